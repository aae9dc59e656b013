/*
 * Stage "upstream": the request as the provider receives it, handed to curl (gateway/upstream.h). URL = provider
 * base_url + the adapter's upstream prefix (on /v1/, the provider's compat_prefix) + the rest of the canonical path
 * (query included, minus parameters the no-training decision drops); fal's proxy protocol takes the validated
 * x-fal-target-url, a prediction stream URL the one sealed in its capability. End-to-end headers are copied,
 * hop-by-hop and client credentials dropped (gateway/headers.c), headers the no-training decision sets replace the
 * client's, and the provider key is added in the adapter's auth style. Small bodies are copied into the call and sent
 * whole; larger ones are read through CURLOPT_READFUNCTION (with a seek function for curl's own re-sends).
 * Each attempt (attempt.c: retries, circuit breaker) ends in on_upstream_done; the first-byte / idle timer is here.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gateway/canon.h"
#include "gateway/headers.h"
#include "gateway/pipeline/call.h"

static int notrain_sets_header(const pol_notrain_decision_t *d, const char *name, size_t len)
{
    for (size_t i = 0; i < d->nheaders; i++)
        if (strlen(d->headers[i].name) == len && strncasecmp(d->headers[i].name, name, len) == 0)
            return 1;
    return 0;
}

/* Appends the path and query `p` (`len` bytes) without the query parameters the no-training
 * decision removes (fal_webhook), in any spelling (gw_canon_query_name_is: escapes, case). */
static int append_path_query(gw_buf_t *url, const char *p, size_t len, const pol_notrain_decision_t *d)
{
    const char *q = memchr(p, '?', len);
    if (q == NULL || d->ndrop_query == 0)
        return gw_buf_append(url, p, len);
    if (gw_buf_append(url, p, (size_t)(q - p)) != 0)
        return -1;
    const char *end = p + len, *param = q + 1;
    int first = 1;
    while (param < end) {
        const char *amp = memchr(param, '&', (size_t)(end - param));
        const char *pe = amp != NULL ? amp : end;
        const char *eq = memchr(param, '=', (size_t)(pe - param));
        size_t klen = (size_t)((eq != NULL ? eq : pe) - param);
        int drop = 0;
        for (size_t i = 0; i < d->ndrop_query; i++)
            if (gw_canon_query_name_is(param, klen, d->drop_query[i]))
                drop = 1; /* every spelling: "fal%5Fwebhook" is fal_webhook to fal's query parser */
        if (!drop && pe > param) {
            if (gw_buf_append(url, first ? "?" : "&", 1) != 0 || gw_buf_append(url, param, (size_t)(pe - param)) != 0)
                return -1;
            first = 0;
        }
        param = pe + 1;
    }
    return 0;
}

static size_t on_upstream_read(char *dst, size_t size, size_t nitems, void *ud)
{
    gw_call_t *call = ud;
    if (call->req == NULL)
        return CURL_READFUNC_ABORT;
    size_t room = size * nitems, left = call->body_len - call->body_off;
    size_t n = left < room ? left : room;
    memcpy(dst, call->body + call->body_off, n);
    call->body_off += n;
    return n;
}

static int on_upstream_seek(void *ud, curl_off_t offset, int origin)
{
    gw_call_t *call = ud;
    if (origin != SEEK_SET || offset < 0 || (size_t)offset > call->body_len)
        return CURL_SEEKFUNC_FAIL;
    call->body_off = (size_t)offset; /* curl rewinds when it retries on a dead reused connection */
    return CURL_SEEKFUNC_OK;
}

static int build_upstream_request(gw_call_t *call, h2o_req_t *req)
{
    gw_worker_t *w = call->worker;
    const gw_provider_conf_t *pc = call->provider;
    const prov_adapter_t *up = call->up;
    const gw_config_t *cfg = call->gen->cfg;
    if (call->async_url != NULL) {
        /* a stream URL aigw handed out: the upstream URL sealed in its capability (checked) */
        if (gw_buf_append(&call->url, call->async_url, strlen(call->async_url)) != 0)
            return -1;
    } else if (up->target_url != NULL) {
        /* fal's proxy protocol: the target was validated by take_target_url (route.c). A base_url
         * other than the adapter's default replaces scheme and host (an egress proxy, or a mock in tests). */
        const prov_target_t t = call->named_target;
        const char *origin = strcmp(pc->base_url, up->default_base_url) == 0 ? t.origin : pc->base_url;
        if (gw_buf_append(&call->url, origin, strlen(origin)) != 0 ||
            append_path_query(&call->url, t.path, t.path_len, &call->notrain) != 0)
            return -1;
    } else {
        /* on /v1/, a provider other than the route's own format is reached through its OpenAI-compatible API */
        const char *prefix = call->unified && up != call->adapter ? up->compat_prefix : up->upstream_prefix;
        if (gw_buf_append(&call->url, pc->base_url, strlen(pc->base_url)) != 0 ||
            gw_buf_append(&call->url, prefix, strlen(prefix)) != 0 ||
            append_path_query(&call->url, call->rest, call->rest_len, &call->notrain) != 0)
            return -1;
    }
    CURL *easy = gw_upstream_easy(w->upstream);
    if (easy == NULL)
        return -1;
    call->easy = easy;
    gw_upstream_set_url(w->upstream, easy, call->url.base);
    /* Header lines go NUL-separated into call->hdr and are linked through call->hdr_nodes, both
     * reused across requests (curl only reads the list; curl_slist_append would malloc twice
     * per header). */
    gw_buf_t *hb = &call->hdr;
    size_t nlines = 0;
    gw_buf_reset(hb);
    /* end-to-end headers */
    ssize_t ci = h2o_find_header(&req->headers, H2O_TOKEN_CONNECTION, -1);
    h2o_iovec_t conn = ci >= 0 ? req->headers.entries[ci].value : h2o_iovec_init(NULL, 0);
    for (size_t i = 0; i != req->headers.size; i++) {
        const h2o_header_t *h = &req->headers.entries[i];
        if (gw_headers_drop_request(h->name->base, h->name->len) ||
            !gw_headers_forward_request(up, call->adapter, cfg->upstream.forward_headers, cfg->upstream.nforward_headers,
                                        h->name->base, h->name->len) ||
            (conn.len != 0 && gw_headers_in_connection(conn.base, conn.len, h->name->base, h->name->len)) ||
            notrain_sets_header(&call->notrain, h->name->base, h->name->len))
            continue;
        if (gw_buf_append(hb, h->name->base, h->name->len) != 0 || gw_buf_append(hb, ": ", 2) != 0 ||
            gw_buf_append(hb, h->value.base, h->value.len) != 0 || gw_buf_append(hb, "", 1) != 0)
            return -1;
        nlines++;
    }
    /* headers the no-training decision sets (fal X-Fal-Store-IO: 0, ...) */
    for (size_t i = 0; i < call->notrain.nheaders; i++) {
        const pol_notrain_header_t *nh = &call->notrain.headers[i];
        if (gw_buf_append(hb, nh->name, strlen(nh->name)) != 0 || gw_buf_append(hb, ": ", 2) != 0 ||
            gw_buf_append(hb, nh->value, strlen(nh->value) + 1) != 0)
            return -1;
        nlines++;
    }
    /* account-selection headers from config (providers.NAME.headers); the client's own were dropped above */
    for (size_t i = 0; i < pc->nheaders; i++) {
        if (gw_buf_append(hb, pc->header_names[i], strlen(pc->header_names[i])) != 0 || gw_buf_append(hb, ": ", 2) != 0 ||
            gw_buf_append(hb, pc->header_values[i], strlen(pc->header_values[i]) + 1) != 0)
            return -1;
        nlines++;
    }
    /* the provider credential replaces the client's */
    const char *ap = prov_auth_line(call->up->auth);
    if (gw_buf_append(hb, ap, strlen(ap)) != 0 || gw_buf_append(hb, pc->api_key, strlen(pc->api_key) + 1) != 0 ||
        gw_buf_append(hb, "Expect:", 8) != 0)
        return -1;
    nlines += 2;
    if (nlines > call->hdr_nodes_cap) {
        struct curl_slist *nodes = realloc(call->hdr_nodes, nlines * 2 * sizeof(*nodes));
        if (nodes == NULL)
            return -1;
        call->hdr_nodes = nodes;
        call->hdr_nodes_cap = nlines * 2;
    }
    char *line = hb->base;
    for (size_t i = 0; i < nlines; i++) {
        call->hdr_nodes[i].data = line;
        call->hdr_nodes[i].next = i + 1 < nlines ? &call->hdr_nodes[i + 1] : NULL;
        line += strlen(line) + 1;
    }
    call->req_headers = call->hdr_nodes;
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, call->req_headers);
    /* method and body */
    if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"))) {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"))) {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
        if (call->body_len <= GW_POSTFIELDS_MAX) {
            /* small bodies: a call-owned copy given whole, so curl sends headers and body in one
             * write; the copy outlives the request pool if the client vanishes mid-transfer */
            if (call->body != call->body_rewritten.base) {
                gw_buf_reset(&call->body_rewritten);
                if (gw_buf_append(&call->body_rewritten, call->body, call->body_len) != 0)
                    return -1;
                call->body = call->body_rewritten.base;
            }
            curl_easy_setopt(easy, CURLOPT_POSTFIELDS, call->body);
        } else {
            curl_easy_setopt(easy, CURLOPT_READFUNCTION, on_upstream_read);
            curl_easy_setopt(easy, CURLOPT_READDATA, call);
            curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, on_upstream_seek);
            curl_easy_setopt(easy, CURLOPT_SEEKDATA, call);
        }
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)call->body_len);
        if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("POST"))) {
            char m[16];
            size_t ml = req->method.len < sizeof(m) - 1 ? req->method.len : sizeof(m) - 1;
            memcpy(m, req->method.base, ml);
            m[ml] = '\0';
            curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, m); /* curl copies it */
        }
    }
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, gw__on_upstream_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, call);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, gw__on_upstream_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, call);
    return 0;
}

static void on_timeout(uv_timer_t *t)
{
    gw_call_t *call = t->data;
    if (call->easy == NULL || call->req == NULL)
        return;
    gw_upstream_cancel(call->worker->upstream, call->easy);
    call->easy = NULL;
    gw__retry_record(call, 1);
    if (call->state == GW_CALL_UPSTREAM) {
        gw_send_error(call, GW_ERR_UPSTREAM_TIMEOUT,
                      call->t_headers_ns == 0 ? "aigw: the upstream provider did not answer within upstream.first_byte_timeout_ms"
                                              : "aigw: the upstream provider stalled longer than upstream.idle_timeout_ms");
    } else {
        call->error_code = "upstream_idle_timeout";
        if (call->upstream_status >= 200 && call->upstream_status < 300)
            call->bill.outcome = GW_OUTCOME_IDLE_TIMEOUT;
        call->upstream_done = 1;
        call->upstream_failed = 1;
        gw__flush(call);
    }
    gw__release(call); /* the transfer's reference */
}

void gw__arm_timer(gw_call_t *call, uint64_t ms)
{
    if (!call->timer_ready)
        return;
    /* every header line re-arms the timer; within one loop turn that is the same deadline again
     * (a uv timer heap removal and insertion each time, ~160 instructions a line) */
    uint64_t due = uv_now(&call->worker->loop) + ms;
    if (due == call->timer_due && uv_is_active((uv_handle_t *)&call->timer))
        return;
    call->timer_due = due;
    uv_timer_start(&call->timer, on_timeout, ms, 0);
}

/* curl: the attempt's transfer ended (success or error). */
static void on_upstream_done(gw_upstream_req_t *self, CURLcode result, long http_status)
{
    gw_call_t *call = (gw_call_t *)((char *)self - offsetof(gw_call_t, upreq));
    call->easy = NULL;
    if (call->timer_ready)
        uv_timer_stop(&call->timer);
    if (call->req == NULL) {
        gw__release(call);
        return;
    }
    if (result != CURLE_WRITE_ERROR && result != CURLE_ABORTED_BY_CALLBACK)
        gw__retry_record(call, result != CURLE_OK || call->upstream_status == 500 || call->upstream_status == 502 ||
                                   call->upstream_status == 503 || call->upstream_status == 504 || call->upstream_status == 529);
    if (call->state == GW_CALL_UPSTREAM && gw__retry_or_release(call, result))
        return; /* the next attempt follows after the backoff */
    if (result != CURLE_OK) {
        /* an answer that started (2xx headers) and then broke: billed for what was delivered */
        if (call->t_headers_ns != 0 && call->upstream_status >= 200 && call->upstream_status < 300 && !call->map_upstream_error)
            call->bill.outcome = call->aigw_cut ? GW_OUTCOME_AIGW_CUT : GW_OUTCOME_RESET;
        if (call->state == GW_CALL_UPSTREAM && call->upstream_malformed) {
            char msg[300];
            snprintf(msg, sizeof(msg),
                     "aigw: upstream %s sent a malformed response header line (a control character in a field value, or a "
                     "line that is no field: RFC 9110 section 5.5); its answer is not forwarded",
                     call->provider->name);
            gw_send_error(call, GW_ERR_UPSTREAM_ERROR, msg);
        } else if (call->state == GW_CALL_UPSTREAM && call->aigw_cut) {
            /* aigw failed, not the provider: nothing of the answer reaches the client */
            gw_send_error(call, GW_ERR_INTERNAL, "aigw: the upstream answer could not be parsed, restored or scanned");
        } else if (call->state == GW_CALL_UPSTREAM && call->bill.outcome != NULL) {
            /* a JSON answer held for restore / settlement and cut mid-body: nothing usable reaches the client */
            char msg[300];
            snprintf(msg, sizeof(msg), "aigw: upstream %s cut its answer mid-body (%s)", call->provider->name,
                     curl_easy_strerror(result));
            gw_send_error_as(call, GW_ERR_UPSTREAM_CUT, 0, call->bill.outcome, msg);
        } else if (call->state == GW_CALL_UPSTREAM) {
            char msg[300];
            int timeout = result == CURLE_OPERATION_TIMEDOUT;
            snprintf(msg, sizeof(msg), "aigw: cannot reach upstream %s: %s", call->provider->name, curl_easy_strerror(result));
            gw_send_error(call, timeout ? GW_ERR_UPSTREAM_TIMEOUT : GW_ERR_UPSTREAM_UNREACHABLE, msg);
        } else {
            call->error_code = call->bill.outcome != NULL ? call->bill.outcome : "upstream_reset";
            call->upstream_done = 1;
            call->upstream_failed = 1;
            gw__flush(call);
        }
    } else if (call->map_upstream_error) {
        char msg[400];
        gw__upstream_error_message(call, msg, sizeof(msg));
        gw_send_error(call, GW_ERR_UPSTREAM_ERROR, msg);
    } else if (!gw__respond_complete(call, http_status)) {
        return; /* a later read of a prediction: the store lookup runs first (gw__respond_resume) */
    }
    gw__release(call);
}

/* Before an attempt: the URL, headers and body, the retry policy and breaker, then the hand-off to curl. Also the
 * next attempt after a retry's backoff (attempt.c). */
gw_stage_rc_t gw__stage_upstream(gw_call_t *call)
{
    gw_worker_t *w = call->worker;
    h2o_req_t *req = call->req;
    const gw_config_t *cfg = call->gen->cfg;
    uint64_t t0 = gw__now_ns();
    int brc = build_upstream_request(call, req);
    if (brc > 0)
        return GW_STAGE_ANSWERED; /* answered (bad fal target) */
    if (brc != 0) {
        if (call->easy != NULL) {
            gw_upstream_easy_release(w->upstream, call->easy);
            call->easy = NULL;
        }
        gw_send_error(call, GW_ERR_INTERNAL, "aigw: out of memory");
        return GW_STAGE_ANSWERED;
    }
    if (gw__retry_admit(call) != 0)
        return GW_STAGE_ANSWERED; /* answered: the origin's circuit breaker is open */
    /* curl re-sends a request by itself when a reused connection dies before any answer; that is
     * safe for answer-only requests only, so the others get a fresh connection */
    if (call->side_effects)
        curl_easy_setopt(call->easy, CURLOPT_FRESH_CONNECT, 1L);
    call->upreq.on_done = on_upstream_done;
    call->state = GW_CALL_UPSTREAM;
    call->refs++; /* the transfer's reference */
    if (call->attempts++ == 0) {
        call->t_upstream_ns = gw__now_ns();
        call->overhead_ns = call->t_upstream_ns - call->t_start_ns;
    } else {
        call->overhead_ns += gw__now_ns() - t0; /* the backoff is not aigw's processing time */
    }
    call->res_headers_base = req->res.headers.size;
    if (gw_upstream_start(w->upstream, call->easy, &call->upreq) != 0) {
        call->easy = NULL;
        call->refs--;
        call->state = GW_CALL_LOCAL;
        gw_send_error(call, GW_ERR_INTERNAL, "aigw: cannot start the upstream transfer");
        return GW_STAGE_ANSWERED;
    }
    gw__arm_timer(call, cfg->upstream.first_byte_timeout_ms);
    return GW_STAGE_PENDING; /* the answer arrives in respond.c's callbacks */
}
