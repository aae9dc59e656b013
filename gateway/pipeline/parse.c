/*
 * Stage "parse": everything the client sent, read by content and scanned (issue 10: no byte leaves unscanned). The
 * canonical path, the query and every forwarded header are scanned for strongly validated personal data (400: it
 * cannot be removed without changing the request). The body is read by what it is, not by its label: multipart by
 * its boundary, anything else as JSON whatever its Content-Type says; what aigw cannot parse and scan is refused (415)
 * unless config names the route binary pass-through. Parsing a JSON body and its privacy pass are one pass
 * (gateway/privacy.h gw_privacy_scrub_request: validation, captures of user / model / stream, scrubbing of every
 * string and key), so the body's scrub happens here; its findings decide `block` (403) and placeholder restore.
 * A body of limits.scan_offload_min_bytes or more has that pass on the scan threads (gateway/offload.h) and the stage
 * resumes when it is done (docs/internals/pipeline.md "Large bodies"): the same functions either way, so scan_run is
 * written to touch only the call's pass state and scan_result takes the outcome on the loop.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/pct.h"
#include "gateway/auth.h"
#include "gateway/headers.h"
#include "gateway/pipeline/call.h"

/* Whether the media type `ct` is `type` (case-insensitive; parameters after ';' ignored). */
static int media_type_is(h2o_iovec_t ct, const char *type)
{
    size_t n = strlen(type);
    return ct.len >= n && strncasecmp(ct.base, type, n) == 0 && (ct.len == n || ct.base[n] == ';' || ct.base[n] == ' ');
}

/* A body labelled JSON (or not labelled at all, which SDKs never do): a parse failure is 400, not 415. */
static int declared_json(h2o_iovec_t ct)
{
    if (ct.base == NULL || media_type_is(ct, "application/json"))
        return 1;
    const char *semi = memchr(ct.base, ';', ct.len);
    size_t n = semi != NULL ? (size_t)(semi - ct.base) : ct.len;
    while (n > 0 && ct.base[n - 1] == ' ')
        n--;
    return n > 5 && strncasecmp(ct.base + n - 5, "+json", 5) == 0; /* application/problem+json, ... */
}

/* The request's PII session (pooled), made for this generation's engine. Answers 500 itself: -1. */
static int scan_prepare(gw_call_t *call)
{
    call->pii_seq = call->gen->seq;
    if (call->pii == NULL && (call->pii = pol_pii_session_create(gw_privacy_engine(call->gen->privacy))) == NULL) {
        gw_send_error(call, GW_ERR_INTERNAL, "aigw: out of memory");
        return -1;
    }
    return 0;
}

/* How many times `s` (`n` bytes) holds "charset", in any case. */
static size_t charset_mentions(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i + 7 <= n; i++)
        k += strncasecmp(s + i, "charset", 7) == 0;
    return k;
}

/* The value of the `charset` parameter of the media type `ct` (case-insensitive name, quotes removed) in *cs, *cs_len.
 * Parameters are read as RFC 9110 section 5.6.6 writes them (quoted strings may hold ';' and quoted pairs); a
 * parameter without '=' is passed over. Fail closed (redteam9: "application/json; x; charset=utf-7" and
 * `x="a;b"; charset=utf-7` hid the label from the old loop): two charset parameters, an extended `charset*` (RFC 2231),
 * or "charset" anywhere in the parameters that no charset parameter accounts for (a quoted value, a spelling this
 * reading does not know) name a charset that is not UTF-8.
 * @return 1 when `ct` names a charset, else 0. */
static int media_charset(h2o_iovec_t ct, const char **cs, size_t *cs_len)
{
    const char *p = ct.base != NULL ? memchr(ct.base, ';', ct.len) : NULL, *end = ct.base + ct.len;
    int found = 0;
    if (p == NULL)
        return 0;
    const char *params = p;
    while (p < end) {
        while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
            p++;
        const char *name = p;
        while (p < end && *p != '=' && *p != ';')
            p++;
        const char *ne = p;
        while (ne > name && (ne[-1] == ' ' || ne[-1] == '\t'))
            ne--;
        const char *v = p, *ve = p;
        if (p < end && *p == '=') {
            p++;
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            v = p;
            if (p < end && *p == '"') {
                for (p++; p < end && *p != '"'; p++)
                    if (*p == '\\' && p + 1 < end)
                        p++;
                ve = p < end ? p + 1 : end; /* with the quotes, removed below */
                p = ve;
                while (p < end && *p != ';')
                    p++; /* what follows a quoted string up to ';' (nothing in a valid value) */
            } else {
                while (p < end && *p != ';')
                    p++;
                ve = p;
                while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                    ve--;
            }
        }
        size_t nl = (size_t)(ne - name);
        if (nl >= 7 && strncasecmp(name, "charset", 7) == 0 && (nl == 7 || name[7] == '*')) {
            if (found || nl != 7) { /* two charset parameters, or charset*=: no single reading as UTF-8 */
                *cs = nl != 7 ? "(charset*)" : "(twice)";
                *cs_len = strlen(*cs);
                return 1;
            }
            if (ve - v >= 2 && *v == '"' && ve[-1] == '"')
                v++, ve--;
            *cs = v;
            *cs_len = (size_t)(ve - v);
            found = 1;
        }
    }
    if (charset_mentions(params, (size_t)(end - params)) > (size_t)found) {
        *cs = "(unreadable)"; /* "charset" where no charset parameter accounts for it */
        *cs_len = 12;
        return 1;
    }
    return found;
}

/* Whether every Content-Encoding header of `req` lists only `identity` (no header: yes). A body is scanned as sent, so
 * a coding that any header names (also the second of two headers, or the second of "identity, br") would have the
 * provider decode other bytes than the ones scanned. */
static int identity_coding(h2o_req_t *req)
{
    for (ssize_t i = -1; (i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_ENCODING, i)) >= 0;) {
        const char *v = req->headers.entries[i].value.base, *end = v + req->headers.entries[i].value.len;
        for (;;) {
            while (v < end && (*v == ' ' || *v == '\t' || *v == ','))
                v++;
            if (v == end)
                break;
            const char *t = v;
            while (v < end && *v != ',')
                v++;
            const char *te = v;
            while (te > t && (te[-1] == ' ' || te[-1] == '\t'))
                te--;
            if (!h2o_lcstris(t, (size_t)(te - t), H2O_STRLIT("identity")))
                return 0;
        }
    }
    return 1;
}

/* The privacy pass over a body (`body`, `len` bytes; a multipart one with its Content-Type `ct`, `ct_len` bytes), with
 * scratch `s`: validates it, captures user/model/stream, scrubs every text field the adapter names. Writes only the
 * call's pass state (call->scan results, the session, call->info, call->body_rewritten) and reads only what does not
 * change while it runs, so it runs on the loop or on a scan thread (run_scan_job). */
static void scan_run(gw_call_t *call, gw_privacy_scratch_t *s, const char *ct, size_t ct_len, const char *body, size_t len)
{
    const gw_privacy_t *pv = call->gen->privacy;
    call->scan.err_desc = "invalid JSON";
    call->scan.err_off = 0;
    call->scan.changed = 0;
    if (call->scan.multipart)
        call->scan.rc = gw_privacy_scrub_multipart(pv, s, call->pii, ct, ct_len, body, len, &call->body_rewritten,
                                                   &call->scan.changed, &call->info, &call->scan.err_desc);
    else
        call->scan.rc = gw_privacy_scrub_request(pv, s, call->adapter, call->pii, body, len, &call->body_rewritten,
                                                 &call->scan.changed, &call->info, &call->scan.err_desc, &call->scan.err_off);
}

/* The pass's outcome, on the loop: bad input or a `block` action is answered here, the scrubbed body and the body's
 * user are taken. @return 0, -1 answered, 1 not JSON and not labelled JSON (the caller decides: 415 or binary). */
static int scan_result(gw_call_t *call)
{
    int multipart = call->scan.multipart, rc = call->scan.rc;
    const char *err_desc = call->scan.err_desc;
    size_t err_off = call->scan.err_off;
    if (rc != 0) {
        char msg[256];
        if (call->scan.soft && !multipart && (rc == GW_JSON_E_UTF8 || rc == GW_JSON_E_SYNTAX))
            return 1; /* not JSON: the caller decides (415, or binary pass-through) */
        if (rc == GW_PRIVACY_E_REFUSED) {
            gw_send_error_as(call, GW_ERR_BODY_REFUSED, call->info.refusal_status, call->info.refusal_code, call->info.refusal);
        } else if (multipart && rc != GW_E_INTERNAL) {
            snprintf(msg, sizeof(msg), "aigw: the multipart/form-data body is malformed (%s)", err_desc != NULL ? err_desc : "?");
            gw_send_error(call, GW_ERR_INVALID_MULTIPART, msg);
        } else if (rc == GW_JSON_E_UTF8) {
            snprintf(msg, sizeof(msg), "aigw: the request body is not valid UTF-8 JSON (at byte %zu: %s)", err_off, err_desc);
            gw_send_error(call, GW_ERR_INVALID_UTF8, msg);
        } else if (rc == GW_JSON_E_DUPKEY) {
            snprintf(msg, sizeof(msg), "aigw: the request body names an object key twice (at byte %zu: %s); RFC 8259 section 4",
                     err_off, err_desc);
            gw_send_error(call, GW_ERR_DUPLICATE_KEY, msg);
        } else if (rc == GW_JSON_E_SYNTAX || rc == GW_JSON_E_DEPTH) {
            snprintf(msg, sizeof(msg), "aigw: the request body is not valid JSON (at byte %zu: %s)", err_off, err_desc);
            gw_send_error(call, GW_ERR_INVALID_JSON, msg);
        } else {
            gw_send_error(call, GW_ERR_INTERNAL, "aigw: the privacy scan failed");
        }
        return -1;
    }
    size_t nf;
    const pol_pii_finding_t *f = pol_pii_session_findings(call->pii, &nf);
    call->redactions = nf;
    for (size_t i = 0; i < nf; i++)
        if (f[i].action == POL_PII_ACT_TOKENIZE)
            call->need_restore = 1;
    gw_buf_t types = GW_BUF_INIT;
    if (pol_pii_session_blocked(call->pii, &types)) {
        char msg[400];
        snprintf(msg, sizeof(msg),
                 "aigw: the request was blocked because it contains personal data of type %s (policy pii.actions); remove it "
                 "and retry",
                 types.base != NULL ? types.base : "?");
        gw_buf_free(&types);
        gw_metrics_add(&call->worker->metrics.pii_blocked, 1);
        gw_send_error(call, GW_ERR_PII_BLOCKED, msg);
        return -1;
    }
    gw_buf_free(&types);
    if (call->scan.changed) {
        call->body = call->body_rewritten.base;
        call->body_len = call->body_rewritten.len;
    }
    call->body_json = !multipart; /* the pass validated it (its output is JSON by construction) */
    if (call->user.len == 0 && call->info.user.len != 0) {
        if (!gw_user_id_valid(call->info.user.base, call->info.user.len)) {
            gw_send_error(call, GW_ERR_INVALID_USER_BODY, NULL);
            return -1;
        }
        gw_buf_append(&call->user, call->info.user.base, call->info.user.len);
    }
    return 0;
}

/* Scan thread: the pass over the call's copy of the body, with scratch of its own (the worker's belongs to its loop;
 * made per job: a job is a body of limits.scan_offload_min_bytes or more, against which this is small, and its
 * memory sized by a 20 MiB body is not kept). A request gone before its turn is not scanned. */
static void run_scan_job(gw_offload_job_t *job)
{
    gw_call_t *call = H2O_STRUCT_FROM_MEMBER(gw_call_t, scan.job, job);
    gw_privacy_scratch_t s;
    if (atomic_load(&call->scan.abandoned)) {
        call->scan.rc = -1;
        return;
    }
    if (gw_privacy_scratch_init(call->gen->privacy, &s) == 0)
        scan_run(call, &s, call->scan.copy, call->scan.ct_len, call->scan.copy + call->scan.ct_len, call->scan.len);
    else
        call->scan.rc = -1; /* answered 500: never forwarded unscanned */
    gw_privacy_scratch_dispose(&s);
}

/* Loop: the scan thread is done. The request goes on at the parse stage (which takes the result), unless it is gone. */
static void on_scan_done(gw_offload_job_t *job)
{
    gw_call_t *call = H2O_STRUCT_FROM_MEMBER(gw_call_t, scan.job, job);
    gw_worker_t *w = call->worker;
    free(call->scan.copy);
    call->scan.copy = NULL;
    call->scan.state = GW_SCAN_DONE;
    if (call->req != NULL)
        gw__pipeline_resume(call, GW_STAGE_PARSE);
    gw__release(call);         /* the job's reference */
    gw_worker_request_done(w); /* the job's in-flight count (a drain waits for it) */
}

/* Hands the pass to the scan pool (issue 13: a 20 MiB body scanned on the loop stalled its worker 1.5 s). The body and
 * the Content-Type are copied: with HTTP/2 a client's RST_STREAM frees the request, and its bytes, at once, while the
 * call (one reference more) and what the pass writes into stay until on_scan_done. @return 0 handed over, -1
 * answered (500: nothing is forwarded unscanned). */
static int scan_offload(gw_call_t *call, h2o_req_t *req, h2o_iovec_t ct)
{
    gw_worker_t *w = call->worker;
    size_t ct_len = call->scan.multipart ? ct.len : 0;
    if ((call->scan.copy = malloc(ct_len + req->entity.len + 1)) == NULL) {
        gw_send_error(call, GW_ERR_INTERNAL, "aigw: out of memory");
        return -1;
    }
    if (ct_len != 0)
        memcpy(call->scan.copy, ct.base, ct_len);
    memcpy(call->scan.copy + ct_len, req->entity.base, req->entity.len);
    call->scan.ct_len = ct_len;
    call->scan.len = req->entity.len;
    call->scan.job.run = run_scan_job;
    call->scan.job.done = on_scan_done;
    call->scan.state = GW_SCAN_RUNNING;
    call->refs++;
    w->inflight++;
    if (gw_offload_submit(w->server->scan_pool, &call->scan.job, &w->scan_inbox) != 0) {
        call->scan.state = GW_SCAN_NONE;
        call->refs--;
        w->inflight--;
        free(call->scan.copy);
        call->scan.copy = NULL;
        gw_send_error(call, GW_ERR_INTERNAL, "aigw: the privacy scan could not be started");
        return -1;
    }
    gw_metrics_add(&w->metrics.scans_offloaded, 1);
    return 0;
}

/* Whether `text` (`len` bytes) holds personal data of a strongly validated type (e-mail, Luhn-checked card, mod-97
 * IBAN, SSN) or a written phone number (with '+' or separators: a bare run of digits is an id, a timestamp or a
 * multipart boundary; checked on SDK headers, user agents, trace ids, pagination and API-version parameters) whose
 * configured action is not "allow" (1; *type receives its id, *at its byte offset), not (0), or the
 * scan failed (-1). In the first `url_len`
 * bytes (the path and the query parameters) secrets count too: API keys and tokens are recognised by their literal
 * prefixes and shapes (sk-, AKIA, ghp_, JWT, PEM...), and a credential in a query parameter is never forwarded (like
 * `key`, which canonicalise removes). Weaker types (dates, names, IP addresses) are left out: ids, timestamps, version
 * numbers in user agents and pagination parameters would match them. */
static int strong_pii(gw_call_t *call, const char *text, size_t len, size_t url_len, int *type, size_t *at)
{
    gw_worker_t *w = call->worker;
    const pol_pii_engine_t *e = gw_privacy_engine(call->gen->privacy);
    gw_privacy_scratch_t *sc = gw_gen_scratch(call->gen, w);
    const pol_pii_entity_t *ents;
    size_t n = 0;
    if (len == 0)
        return 0;
    if (sc == NULL || sc->pii == NULL || pol_pii_scan(e, sc->pii, text, len, &ents, &n) != 0)
        return -1; /* never "nothing found": the caller answers 500 */
    for (size_t i = 0; i < n; i++) {
        int t = ents[i].type;
        if (t == POL_PII_PHONE_NUMBER) {
            /* only a written phone number: '+' or separators between its digits. A bare run of digits here is an id
               (a multipart boundary "----formdata-undici-065685255852", a request id, a timestamp) */
            size_t k = ents[i].start;
            while (k < ents[i].end && text[k] >= '0' && text[k] <= '9')
                k++;
            if (k == ents[i].end)
                continue;
        }
        if ((t == POL_PII_EMAIL_ADDRESS || t == POL_PII_CREDIT_CARD || t == POL_PII_IBAN_CODE || t == POL_PII_US_SSN ||
             t == POL_PII_PHONE_NUMBER || (t == POL_PII_SECRET && ents[i].start < url_len)) &&
            pol_pii_engine_action(e, t) != POL_PII_ACT_ALLOW) {
            *type = t;
            *at = ents[i].start;
            return 1;
        }
    }
    return 0;
}

/* The text pii_outside_body scans, in `t`: the target percent-decoded ('+' as space in the query, parameters on lines
 * of their own; *url_len bytes), then every header value that would be forwarded, one per line, and a value holding
 * '%' once more percent-decoded (W3C baggage, URLs in headers: whoever decodes them reads the decoded text).
 * @return 0, or -1 when memory runs out. */
static int outside_text(gw_call_t *call, h2o_req_t *req, gw_buf_t *t, size_t *url_len)
{
    gw_buf_reset(t);
    size_t qs = call->route.len;
    for (size_t i = 0; i < call->target.len; i++) {
        char c = call->target.base[i];
        int v = gw_pct_at(call->target.base, call->target.len, i);
        if (v >= 0) {
            c = (char)v;
            i += 2;
        } else if (i > qs && c == '+') {
            c = ' ';
        } else if (i >= qs && (c == '&' || c == '?' || c == '=')) {
            c = '\n';
        } else if (c == '/') {
            c = ' ';
        }
        if (gw_buf_append(t, &c, 1) != 0)
            return -1;
    }
    *url_len = t->len;
    ssize_t ci = h2o_find_header(&req->headers, H2O_TOKEN_CONNECTION, -1);
    h2o_iovec_t conn = ci >= 0 ? req->headers.entries[ci].value : h2o_iovec_init(NULL, 0);
    for (size_t i = 0; i != req->headers.size; i++) {
        const h2o_header_t *h = &req->headers.entries[i];
        if (gw_headers_drop_request(h->name->base, h->name->len) ||
            (conn.len != 0 && gw_headers_in_connection(conn.base, conn.len, h->name->base, h->name->len)))
            continue; /* not forwarded */
        if (gw_buf_append(t, "\n", 1) != 0 || gw_buf_append(t, h->value.base, h->value.len) != 0)
            return -1;
        if (memchr(h->value.base, '%', h->value.len) == NULL)
            continue;
        if (gw_buf_append(t, "\n", 1) != 0 || gw_pct_decode_append(t, h->value.base, h->value.len, 0) != 0)
            return -1;
    }
    return 0;
}

/* No byte leaves unscanned (issue 10): the body has its privacy pass; the canonical path, the query and every header
 * that would be forwarded are scanned here. Personal data there cannot be replaced without changing what the provider
 * does (a path names a resource), so the request is refused with 400. A scan that cannot run (memory) answers 500:
 * never "nothing found". Answers the request itself. */
static int pii_outside_body(gw_call_t *call, h2o_req_t *req)
{
    gw_buf_t *t = &gw_gen_scratch(call->gen, call->worker)->tmp; /* made in call_acquire */
    size_t url_len = 0, at = 0;
    int type = -1;
    if (outside_text(call, req, t, &url_len) != 0) {
        gw_send_error(call, GW_ERR_INTERNAL, "aigw: out of memory");
        return -1;
    }
    int found = strong_pii(call, t->base, t->len, url_len, &type, &at);
    if (found < 0) {
        gw_send_error(call, GW_ERR_INTERNAL, "aigw: the privacy scan of the URL and headers failed");
        return -1;
    }
    if (found == 0)
        return 0;
    const char *where = at < url_len ? "URL" : "header";
    char msg[300];
    snprintf(msg, sizeof(msg),
             "aigw: the request %s contains personal data of type %s, which cannot be removed from it without changing the "
             "request; send it in the body, where it is scrubbed",
             where, pol_pii_type_name(gw_privacy_engine(call->gen->privacy), type));
    gw_send_error(call, where[0] == 'U' ? GW_ERR_PII_IN_URL : GW_ERR_PII_IN_HEADER, msg);
    return -1;
}

/* Whether config names the route's path as binary pass-through (providers.NAME.binary_routes). */
static int binary_route(gw_call_t *call, const gw_route_t *r)
{
    const gw_provider_conf_t *pc = gw_config_provider(call->gen->cfg, call->up->name);
    if (pc == NULL || pc->nbinary_routes == 0)
        return 0;
    char path[512];
    const char *q = memchr(r->rest, '?', r->rest_len);
    size_t n = q != NULL ? (size_t)(q - r->rest) : r->rest_len;
    if (n >= sizeof(path))
        return 0;
    memcpy(path, r->rest, n);
    path[n] = '\0';
    for (size_t i = 0; i < pc->nbinary_routes; i++)
        if (fnmatch(pc->binary_routes[i], path, 0) == 0)
            return 1;
    return 0;
}

/* After the pass: a body that is not JSON and not labelled JSON is forwarded on a binary route, else refused (415).
 * @return 0, or -1 answered. */
static int body_scanned(gw_call_t *call, h2o_req_t *req)
{
    int rc = scan_result(call);
    if (rc <= 0)
        return rc;
    if (call->scan.binary_ok) {
        call->binary = 1; /* forwarded unscanned: the operator declared this route binary */
        return 0;
    }
    ssize_t ci = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    h2o_iovec_t ct = ci >= 0 ? req->headers.entries[ci].value : h2o_iovec_init(NULL, 0);
    char msg[300];
    snprintf(msg, sizeof(msg),
             "aigw: the request body is neither JSON nor multipart/form-data (Content-Type: %.*s); aigw forwards only bodies "
             "it can scan for personal data (binary uploads: config providers.%s.binary_routes)",
             ct.base != NULL ? (int)(ct.len < 60 ? ct.len : 60) : 4, ct.base != NULL ? ct.base : "none", call->up->name);
    for (char *c = msg; *c != '\0'; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
            *c = '?'; /* the header value is the client's: keep the message printable ASCII */
    gw_send_error(call, GW_ERR_UNSUPPORTED_MEDIA_TYPE, msg);
    return -1;
}

/* Bodies by content, not by label (issue 10): multipart/form-data is parsed by its boundary; any other body is JSON
 * if it parses as JSON, whatever its Content-Type says (text/plain from fetch() and curl -d, form-urlencoded, none);
 * what aigw cannot parse and scan is refused with 415 unless config names the route binary pass-through.
 * A body of limits.scan_offload_min_bytes or more is scanned on the scan pool (1: the stage resumes when it is done).
 * @return 0, -1 answered, 1 pending. */
static int read_body(gw_call_t *call, h2o_req_t *req, const gw_route_t *r)
{
    ssize_t ci = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (ci >= 0 && h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, ci) >= 0) {
        gw_send_error(call, GW_ERR_DUPLICATE_CONTENT_TYPE, NULL);
        return -1;
    }
    h2o_iovec_t ct = ci >= 0 ? req->headers.entries[ci].value : h2o_iovec_init(NULL, 0);
    int binary_ok = binary_route(call, r);
    if (!identity_coding(req)) {
        if (binary_ok) {
            call->binary = 1;
            return 0;
        }
        gw_send_error(call, GW_ERR_UNSUPPORTED_CONTENT_ENCODING, NULL);
        return -1;
    }
    /* the body is scanned as UTF-8 (JSON: RFC 8259 section 8.1; multipart text parts: checked per part). A provider that
       decodes it by a charset label would read other text than the one scanned: charset=utf-7 turns the scanned
       "jane.doe+AEA-example.com" into an e-mail address. */
    const char *cs;
    size_t cs_len;
    if (media_charset(ct, &cs, &cs_len) && !(cs_len == 5 && strncasecmp(cs, "utf-8", 5) == 0) &&
        !(cs_len == 4 && strncasecmp(cs, "utf8", 4) == 0)) {
        char msg[300];
        snprintf(msg, sizeof(msg),
                 "aigw: the request body is labelled charset=%.*s; aigw scans bodies as UTF-8 and a provider that decodes by "
                 "the label would read other text than the one scanned; send UTF-8 (charset=utf-8 or no charset)",
                 (int)(cs_len < 40 ? cs_len : 40), cs);
        for (char *c = msg; *c != '\0'; c++)
            if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
                *c = '?'; /* the header value is the client's: keep the message printable ASCII */
        gw_send_error(call, GW_ERR_UNSUPPORTED_MEDIA_TYPE, msg);
        return -1;
    }
    call->scan.multipart = call->multipart = media_type_is(ct, "multipart/form-data");
    call->scan.soft = !call->scan.multipart && !declared_json(ct);
    call->scan.binary_ok = binary_ok;
    if (scan_prepare(call) != 0)
        return -1;
    if (req->entity.len >= call->worker->server->cfg->scan_offload_min_bytes)
        return scan_offload(call, req, ct) == 0 ? 1 : -1;
    scan_run(call, gw_gen_scratch(call->gen, call->worker), ct.base, ct.len, req->entity.base, req->entity.len);
    return body_scanned(call, req);
}

gw_stage_rc_t gw__stage_parse(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    if (call->scan.state == GW_SCAN_DONE) {
        /* resumed by on_scan_done: the body's pass ran on the scan pool */
        if (body_scanned(call, req) != 0)
            return GW_STAGE_ANSWERED;
    } else {
        call->body = req->entity.base != NULL ? req->entity.base : "";
        call->body_len = req->entity.base != NULL ? req->entity.len : 0;
        call->body_json = 0;
        if (pii_outside_body(call, req) != 0)
            return GW_STAGE_ANSWERED;
        if (call->body_len > 0) {
            int rc = read_body(call, req, &call->rt);
            if (rc < 0)
                return GW_STAGE_ANSWERED;
            if (rc > 0)
                return GW_STAGE_PENDING; /* on_scan_done resumes here */
        }
    }
    if (call->user.len == 0) {
        gw_send_error(call, GW_ERR_MISSING_USER, NULL);
        return GW_STAGE_ANSWERED;
    }
    if (call->info.image_error != NULL) {
        char msg[200];
        snprintf(msg, sizeof(msg), "aigw: %s; metadata cannot be removed, so it is not forwarded", call->info.image_error);
        gw_send_error(call, GW_ERR_INVALID_IMAGE, msg);
        return GW_STAGE_ANSWERED;
    }
    return GW_STAGE_NEXT;
}
