/*
 * "respond": the answer the client gets. Upstream headers (on_upstream_header) set the status, switch an upstream 5xx
 * to "collect and answer 502 in the provider's shape", copy forwarded headers into the h2o response (secrets masked)
 * and pick the restore mode from Content-Type: SSE goes through the restorer event by event (holding back only a
 * possible placeholder prefix), JSON that needs restore, an output scan or a charge before the headers is held until
 * complete (up to GW_RESTORE_JSON_MAX: a larger one that must be restored or scanned is refused, one held only to
 * charge it passes as it is), anything else passes as it is. The response starts at the first body byte.
 * Backpressure: at most one h2o_send is in flight; beyond GW_PENDING_HIGH pending bytes the curl write callback
 * returns CURL_WRITEFUNC_PAUSE and the idle timer stops until h2o asks for more (memory per stream stays about two
 * curl buffers, whatever the response size). Every key aigw knows is masked in flush() before each send, with a tail
 * that could start one held back until the next chunk. Also every answer aigw writes itself (errors, health).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/utf8.h"
#include "gateway/errors.h"
#include "gateway/headers.h"
#include "gateway/pipeline/call.h"

void gw__add_header(h2o_req_t *req, const char *name, const char *value, size_t len)
{
    h2o_iovec_t v = h2o_strdup(&req->pool, value, len);
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, v.base, v.len);
}

/* aigw's own response headers; integers without printf (four snprintf were ~2.9k instructions a call on the loop) */
static void add_aigw_headers(gw_call_t *call)
{
    char buf[GW_INT_TEXT_MAX];
    uint64_t overhead_us = call->overhead_ns / 1000;
    gw__add_header(call->req, "x-aigw-request-id", call->request_id, strlen(call->request_id));
    gw__add_header(call->req, "x-aigw-overhead-us", buf, gw_u64_text(buf, overhead_us));
    gw__add_header(call->req, "x-aigw-redactions", buf, gw_u64_text(buf, call->redactions));
    if (call->reserved) {
        /* the final charge when the body was complete before the headers (JSON), else the
         * reservation (an upper bound: streams settle at their end; the ledger has the result) */
        int64_t charged = call->charged >= 0 ? call->charged : call->reserve_amount;
        int64_t remaining = call->balance_after + (call->reserve_amount - charged);
        /* micro-credits, named so; the X-AIGW-Credits-* names are deprecated aliases carrying the
         * same micro-credit values (README, "Migration: micro-credit header names") */
        size_t n = gw_i64_text(buf, charged);
        gw__add_header(call->req, "x-aigw-microcredits-charged", buf, n);
        gw__add_header(call->req, "x-aigw-credits-charged", buf, n);
        n = gw_i64_text(buf, remaining);
        gw__add_header(call->req, "x-aigw-microcredits-remaining", buf, n);
        gw__add_header(call->req, "x-aigw-credits-remaining", buf, n);
    }
}

/* A row of the error table (gateway/errors.h) as an error body in the route's provider shape, appended to `out`:
 * `status` 0 and `code` NULL take the row's, `message` NULL the row's default. @return 0 or -1 (allocation). */
static int error_body(gw_call_t *call, gw_err_t err, int status, const char *code, const char *message, gw_buf_t *out)
{
    const gw_error_def_t *d = gw_error_def(err);
    return call->adapter->error_body(out, status != 0 ? status : d->status, d->type, code != NULL ? code : d->code, d->param,
                                     message != NULL ? message : d->message);
}

/* The one place an error answer is sent (STYLE rule 27): a row of the error table (gateway/errors.h), its status
 * and code replaced where the caller says so, in the route's provider shape. */
void gw_send_error_as(gw_call_t *call, gw_err_t err, int status, const char *code, const char *message)
{
    h2o_req_t *req = call->req;
    if (req == NULL)
        return;
    if (status == 0)
        status = gw_error_def(err)->status;
    if (code == NULL)
        code = gw_error_def(err)->code;
    gw_buf_t body = GW_BUF_INIT;
    if (error_body(call, err, status, code, message, &body) != 0) {
        gw_buf_free(&body);
        h2o_send_error_generic(req, 500, "Internal Server Error", "out of memory", 0);
        return;
    }
    gw_secrets_mask(&call->secrets, body.base, body.len); /* aigw's messages quote upstream bodies (502) */
    /* an answer that never started: the failed attempt's forwarded headers (its Content-Type, the provider's ids) are
     * not this error's */
    if (call->state == GW_CALL_UPSTREAM && call->t_upstream_ns != 0 && req->res.headers.size > call->res_headers_base)
        req->res.headers.size = call->res_headers_base;
    call->status = status;
    call->error_code = code;
    call->state = GW_CALL_FINISHED;
    req->res.status = status;
    req->res.reason = gw_status_reason(status);
    req->res.content_length = body.len;
    gw__add_header(req, "content-type", call->adapter->error_content_type, strlen(call->adapter->error_content_type));
    if (call->overhead_ns == 0)
        call->overhead_ns = gw__now_ns() - call->t_start_ns;
    add_aigw_headers(call);
    call->bytes_out = body.len;
    h2o_send_inline(req, body.base, body.len); /* copies the body into the request pool */
    gw_buf_free(&body);
}

void gw_send_error(gw_call_t *call, gw_err_t err, const char *message)
{
    gw_send_error_as(call, err, 0, NULL, message);
}

void gw__send_json(gw_call_t *call, int status, const char *json)
{
    h2o_req_t *req = call->req;
    call->status = status;
    call->state = GW_CALL_FINISHED;
    req->res.status = status;
    req->res.reason = gw_status_reason(status);
    req->res.content_length = strlen(json);
    gw__add_header(req, "content-type", "application/json", 16);
    call->overhead_ns = gw__now_ns() - call->t_start_ns;
    add_aigw_headers(call);
    call->bytes_out = strlen(json);
    h2o_send_inline(req, json, strlen(json));
}

void gw__flush(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    if (req == NULL || call->send_inflight || call->state == GW_CALL_FINISHED || call->finishing)
        return;
    if (call->pending.len == 0 && !call->upstream_done)
        return;
    if (call->hold_end && !call->upstream_done)
        return; /* the terminal event goes out with the final send, after the call's record is committed */
    gw_buf_t tmp = call->inflight;
    call->inflight = call->pending;
    call->pending = tmp;
    gw_buf_reset(&call->pending);
    /* no provider or client key reaches the client, even split across upstream chunks: mask, and keep back a tail that
     * could be the start of one until the next chunk (or the end) decides */
    gw_secrets_mask(&call->secrets, call->inflight.base, call->inflight.len);
    size_t keep = call->upstream_done ? 0 : gw_secrets_holdback(&call->secrets, call->inflight.base, call->inflight.len);
    if (keep != 0 && gw_buf_append(&call->pending, call->inflight.base + call->inflight.len - keep, keep) == 0)
        call->inflight.len -= keep;
    if (call->inflight.len == 0 && !call->upstream_done)
        return;
    /* (a tail kept back above is never the body's last byte: the condition below is then false) */
    if (!call->upstream_done && call->inflight.len > 0 && call->upstream_length >= 0 && call->worker->server->store != NULL &&
        call->bytes_out + call->inflight.len >= (uint64_t)call->upstream_length) {
        /* a body framed by its length is complete for the client with its last byte: the bytes that
         * end it wait for the commit of the call's record (finish_call), like a final send does.
         * The whole piece that ends the body waits, not only its last byte: an answer that came in
         * one piece (most non-streamed answers) then goes out in one send after the commit, not in
         * two (a second socket write of one byte and one more TCP segment per call on the loop,
         * issue 12 session 7). `pending` is empty here (a tail kept back above is never the body's
         * last byte), so the two buffers trade places: nothing to allocate, nothing to lose. */
        gw_buf_t tail = call->pending;
        call->pending = call->inflight;
        call->inflight = tail;
        return;
    }
    h2o_iovec_t buf = h2o_iovec_init(call->inflight.base, call->inflight.len);
    h2o_send_state_t st = H2O_SEND_STATE_IN_PROGRESS;
    if (call->upstream_done) {
        st = call->upstream_failed ? H2O_SEND_STATE_ERROR : H2O_SEND_STATE_FINAL;
        call->state = GW_CALL_FINISHED;
    } else {
        call->send_inflight = 1;
    }
    call->bytes_out += buf.len;
    h2o_send(req, &buf, buf.len != 0 ? 1 : 0, st);
}

static void on_generator_proceed(h2o_generator_t *gen, h2o_req_t *req)
{
    gw_call_t *call = (gw_call_t *)gen;
    call->send_inflight = 0;
    if (call->curl_paused && call->easy != NULL && !call->in_curl_cb) {
        call->curl_paused = 0;
        gw__arm_timer(call, call->gen->cfg->upstream.idle_timeout_ms);
        /* may re-enter on_upstream_body synchronously with the held bytes */
        curl_easy_pause(call->easy, CURLPAUSE_CONT);
    }
    gw__flush(call);
}

static void on_generator_stop(h2o_generator_t *gen, h2o_req_t *req)
{
    /* the client went away mid-response; on_req_dispose follows and cancels the transfer */
}

void gw__start_response(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    uint64_t t = gw__now_ns();
    if (call->t_headers_ns != 0)
        call->overhead_ns += t - call->t_headers_ns;
    req->res.status = (int)call->upstream_status;
    req->res.reason = gw_status_reason((int)call->upstream_status);
    call->status = (int)call->upstream_status;
    /* a body passed through unchanged keeps its length: h2o then frames it with Content-Length
     * (no chunked encoding) and the last bytes go out with the final send */
    if (call->restore == GW_RESTORE_NONE && call->upstream_length >= 0)
        req->res.content_length = (size_t)call->upstream_length;
    add_aigw_headers(call);
    call->super.proceed = on_generator_proceed;
    call->super.stop = on_generator_stop;
    call->state = GW_CALL_STREAMING;
    h2o_start_response(req, &call->super);
}

/* pii.scan_responses applies to this answer: the rules for its wire format (NULL: not scanned). */
static const gw_json_paths_t *output_scanned(gw_call_t *call)
{
    if (call->pii == NULL)
        return NULL;
    return gw_privacy_output_paths(call->gen->privacy, call->usage_ad);
}

/* The SSE restorer for this answer: restores tokens, and scans model text when output_scanned(). @return 0 or -1. */
static int prepare_restorer(gw_call_t *call)
{
    call->out_ctx.session = call->pii;
    call->out_ctx.scratch = gw_gen_scratch(call->gen, call->worker)->pii;
    call->out_ctx.output_mode = call->info.output_mode; /* the request's response_format & co.: where values are escaped */
    call->out_ctx.skip_events = call->usage_ad != NULL ? call->usage_ad->output_skip_events : NULL;
    if (call->restorer == NULL)
        call->restorer = pol_restore_stream_create(gw_privacy_restore_cb, &call->out_ctx);
    else
        pol_restore_stream_reset(call->restorer, gw_privacy_restore_cb, &call->out_ctx);
    if (call->restorer == NULL)
        return -1;
    call->out_ctx.stream = call->restorer; /* the restore callback reads the event's name from it */
    pol_restore_stream_set_scan(call->restorer, output_scanned(call), gw_privacy_scan_output);
    if (call->usage_ad != NULL) /* restore only: the format's streamed text, sent once (ignored with a scan stage) */
        pol_restore_stream_set_text(call->restorer, gw_privacy_text_paths(call->gen->privacy, call->usage_ad));
    return 0;
}

/* Whether a held JSON answer is held for more than its charge: placeholders to restore, model output to scan, a
 * prediction's links to rewrite or its vault to apply. Such an answer is never forwarded as it came. */
static int held_for_privacy(gw_call_t *call)
{
    int ok2xx = call->upstream_status >= 200 && call->upstream_status < 300;
    return call->need_restore || (output_scanned(call) && ok2xx) || (call->async_rewrite && ok2xx) ||
           (call->pred.kind == GW_ASYNC_READ && ok2xx);
}

/* Whether the parameters of a media type (`p`, `n` bytes after type/subtype) name a charset other than UTF-8 or
 * US-ASCII (RFC 9110 section 8.3.1: parameter names and charset names are case-insensitive; a value may be quoted). */
static int foreign_charset(const char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        while (i < n && (p[i] == ';' || p[i] == ' ' || p[i] == '\t'))
            i++;
        size_t k = i;
        while (i < n && p[i] != '=' && p[i] != ';')
            i++;
        int is_charset = i - k == 7 && strncasecmp(p + k, "charset", 7) == 0 && i < n && p[i] == '=';
        size_t v = i < n && p[i] == '=' ? i + 1 : i;
        int quoted = v < n && p[v] == '"';
        size_t e = v + quoted;
        while (e < n && (quoted ? p[e] != '"' : (p[e] != ';' && p[e] != ' ' && p[e] != '\t')))
            e++;
        if (is_charset) {
            const char *c = p + v + quoted;
            size_t cl = e - v - quoted;
            if (!((cl == 5 && strncasecmp(c, "utf-8", 5) == 0) || (cl == 4 && strncasecmp(c, "utf8", 4) == 0) ||
                  (cl == 8 && strncasecmp(c, "us-ascii", 8) == 0)))
                return 1;
        }
        i = e + quoted;
        while (i < n && p[i] != ';')
            i++;
    }
    return 0;
}

/* The class of an answer's Content-Type value (`v`, `n` bytes): SSE, JSON (application/json and the +json structured
 * suffix of RFC 6839), TEXT (other text/...), BINARY (media without text: image/, audio/, video/ but SVG,
 * application/octet-stream and pdf) or OTHER (anything else: NDJSON / JSON lines, XML, multipart, a text type in a
 * charset other than UTF-8, which the restorer and the output scan read as bytes). Case-insensitive. */
static int classify_ctype(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n && (v[i] == ' ' || v[i] == '\t'))
        i++;
    const char *t = v + i;
    while (i < n && v[i] != ';' && v[i] != ' ' && v[i] != '\t')
        i++;
    size_t tl = (size_t)(v + i - t);
    int foreign = foreign_charset(v + i, n - i);
#define CT_IS(lit) (tl == sizeof(lit) - 1 && strncasecmp(t, lit, tl) == 0)
#define CT_UNDER(lit) (tl > sizeof(lit) - 1 && strncasecmp(t, lit, sizeof(lit) - 1) == 0)
    if (CT_IS("text/event-stream"))
        return foreign ? GW_CTYPE_OTHER : GW_CTYPE_SSE;
    if (CT_IS("application/json") || (CT_UNDER("application/") && tl > 17 && strncasecmp(t + tl - 5, "+json", 5) == 0))
        return foreign ? GW_CTYPE_OTHER : GW_CTYPE_JSON;
    if (CT_UNDER("text/"))
        return foreign ? GW_CTYPE_OTHER : GW_CTYPE_TEXT;
    if (CT_IS("image/svg+xml"))
        return GW_CTYPE_OTHER; /* XML text: a model's SVG carries its words */
    if (CT_UNDER("image/") || CT_UNDER("audio/") || CT_UNDER("video/") || CT_IS("application/octet-stream") ||
        CT_IS("application/pdf"))
        return GW_CTYPE_BINARY;
#undef CT_IS
#undef CT_UNDER
    return GW_CTYPE_OTHER;
}

/* At the end of a forwarded answer's header block: how its body is read, from its Content-Type class. An answer
 * that must be restored or scanned (held_for_privacy) and whose type aigw cannot read is refused whole (fail closed:
 * it once passed as it came, placeholders unrestored and model text unscanned); without a Content-Type it is held and
 * read as JSON or text at its end. A 3xx/4xx answer is restored where it is JSON and otherwise passes as it came (an
 * error's echo of a placeholder is no leak). @return 0, or -1 when an SSE restorer cannot be made for a scanned
 * stream (the transfer is cut). */
static int choose_reading(gw_call_t *call)
{
    int ok2xx = call->upstream_status < 300;
    switch (call->resp_ctype) {
    case GW_CTYPE_SSE:
        gw_sse_init(&call->sse_parser, 0);
        call->sse = 1;
        if (call->need_restore || output_scanned(call)) {
            if (prepare_restorer(call) == 0)
                call->restore = GW_RESTORE_SSE;
            else if (output_scanned(call))
                return -1;
        }
        return 0;
    case GW_CTYPE_JSON:
        call->json_resp = 1;
        /* held until complete: to restore tokens, or to charge before the headers go out */
        if (call->need_restore || call->reserved || (call->async_rewrite && ok2xx) || (call->pred.kind == GW_ASYNC_READ && ok2xx) ||
            (output_scanned(call) && ok2xx))
            call->restore = GW_RESTORE_JSON;
        return 0;
    case GW_CTYPE_TEXT:
        /* model text as plain text (an OpenAI transcription as text / srt / vtt): held whole and scanned or
         * restored as one piece; it used to pass unscanned */
        if (ok2xx && (call->need_restore || output_scanned(call)))
            call->restore = GW_RESTORE_TEXT;
        return 0;
    case GW_CTYPE_BINARY:
        return 0; /* no text to restore or scan (media output of a tokenized request is refused before: adapters) */
    case GW_CTYPE_NONE:
        if (ok2xx && held_for_privacy(call))
            call->restore = GW_RESTORE_SNIFF;
        return 0;
    default:
        if (ok2xx && held_for_privacy(call))
            call->restore = GW_RESTORE_REFUSE;
        return 0;
    }
}

size_t gw__on_upstream_header(char *line, size_t size, size_t nitems, void *ud)
{
    gw_call_t *call = ud;
    size_t n = size * nitems;
    const char *name, *value;
    size_t nl, vl;
    if (call->req == NULL)
        return 0; /* client gone: abort the transfer */
    if (call->t_headers_ns == 0)
        gw__arm_timer(call, call->gen->cfg->upstream.idle_timeout_ms);
    switch (gw_headers_parse_line(line, n, &name, &nl, &value, &vl)) {
    case 1: { /* status line: "HTTP/1.1 200 OK" or "HTTP/2 200" */
        const char *sp = memchr(line, ' ', n);
        long st = 0;
        if (sp != NULL)
            for (const char *q = sp + 1; q < line + n && *q >= '0' && *q <= '9'; q++)
                st = st * 10 + (*q - '0');
        call->upstream_status = st;
        call->resp_ctype = GW_CTYPE_NONE; /* a 1xx block's Content-Type is not the answer's */
        call->map_upstream_error = st >= 500;
        call->retry_hold = st >= 200 && gw__retry_may_follow(call, (int)st);
        break;
    }
    case 2: /* end of a header block; 1xx blocks are followed by the real one (trailers end with one too) */
        if (call->upstream_status >= 200 && call->t_headers_ns == 0) {
            call->t_headers_ns = gw__now_ns();
            if (!call->map_upstream_error && choose_reading(call) != 0) {
                call->aigw_cut = 1;
                return 0; /* model text cannot be scanned: abort rather than pass it on */
            }
        }
        break;
    case 0:
        if (nl == 14 && strncasecmp(name, "content-length", 14) == 0 && !call->upstream_coded) {
            int64_t v = 0;
            size_t i = 0;
            for (; i < vl && value[i] >= '0' && value[i] <= '9' && v < ((int64_t)1 << 50); i++)
                v = v * 10 + (value[i] - '0');
            call->upstream_length = i == vl && vl > 0 ? v : -1;
        }
        if (nl == 16 && strncasecmp(name, "content-encoding", 16) == 0 && !(vl == 8 && strncasecmp(value, "identity", 8) == 0)) {
            /* curl decodes it (gw_upstream easy options): the length counts coded bytes, not the ones aigw forwards */
            call->upstream_coded = 1;
            call->upstream_length = -1;
        }
        if (nl == 12 && strncasecmp(name, "content-type", 12) == 0)
            /* a second Content-Type line is ambiguous (which one does the client read?): unreadable */
            call->resp_ctype = call->resp_ctype == GW_CTYPE_NONE ? classify_ctype(value, vl) : GW_CTYPE_OTHER;
        if (call->retry_hold)
            gw__retry_header(call, name, nl, value, vl);
        if (call->need_usage && call->usage_ad->usage_from_header != NULL && call->upstream_status >= 200)
            call->usage_ad->usage_from_header(&call->usage, name, nl, value, vl);
        if (call->upstream_status >= 200 && !call->map_upstream_error && !gw_headers_drop_response(name, nl)) {
            h2o_req_t *req = call->req;
            h2o_iovec_t nm = h2o_strdup(&req->pool, name, nl);
            h2o_strtolower(nm.base, nm.len);
            h2o_iovec_t v = h2o_strdup(&req->pool, value, vl);
            gw_secrets_mask(&call->secrets, v.base, v.len);
            h2o_add_header_by_str(&req->pool, &req->res.headers, nm.base, nm.len, 1, NULL, v.base, v.len);
        }
        break;
    default: /* a malformed line (a control character in a value, no field at all): the answer is refused whole,
              * never forwarded in part or with the line dropped (RFC 9110 section 5.5) */
        call->upstream_malformed = 1;
        return 0;
    }
    return n;
}

/* Emits one event block (raw bytes as received) toward the client. */
static int emit_block(gw_call_t *call, const char *raw, size_t len)
{
    if (call->restore == GW_RESTORE_SSE)
        return pol_restore_stream_feed(call->restorer, raw, len, &call->pending) < 0 ? -1 : 0;
    return gw_buf_append(&call->pending, raw, len);
}

/* Every complete SSE block of the response: usage extraction, then forwarding. */
static int on_sse_block(void *ctx, const gw_sse_event_t *ev)
{
    gw_call_t *call = ctx;
    if (call->need_usage && ev->has_data && call->usage_ad->usage_from_event != NULL) {
        int was_done = call->usage_state.done;
        call->usage_ad->usage_from_event(&call->usage_state, ev);
        /* the provider's terminal event ([DONE], message_stop, response.completed, ...): a client that
         * sees it has a complete answer, so it is held like a last byte (gw__flush) */
        if (!was_done && call->usage_state.done && call->worker->server->store != NULL)
            call->hold_end = 1;
    }
    if (call->strip_usage_chunk && ev->has_data && prov_usage_is_usage_only_chunk(ev->data, ev->data_len))
        return 0;
    if (call->need_usage && ev->has_data)
        gw_billing_delivered(&call->bill, ev->data, ev->data_len);
    if (call->async_restore)
        return gw_async_sse_event(&call->async_sse, &call->async_cap, ev, &call->pending);
    return emit_block(call, ev->raw, ev->raw_len);
}

size_t gw__on_upstream_body(char *p, size_t size, size_t nmemb, void *ud)
{
    gw_call_t *call = ud;
    size_t n = size * nmemb, consumed = n;
    if (call->req == NULL)
        return 0;
    if (call->retry_hold && !call->map_upstream_error) {
        /* a retryable answer (429, 408, 409) is held until the transfer ends: it is either retried or
         * forwarded as it came; one too large to hold is forwarded now and not retried */
        if (gw_buf_append(&call->held, p, n) != 0)
            return 0;
        if (call->held.len <= GW_ERRBODY_MAX)
            return consumed;
        call->retry_hold = 0;
        p = call->held.base;
        n = call->held.len;
    }
    if (call->map_upstream_error) {
        size_t room = GW_ERRBODY_MAX - call->errbody.len;
        gw_buf_append(&call->errbody, p, n < room ? n : room);
        return consumed;
    }
    if (call->send_inflight && call->pending.len >= GW_PENDING_HIGH) {
        call->curl_paused = 1;
        if (call->timer_ready)
            uv_timer_stop(&call->timer); /* a slow client is not an idle upstream */
        return CURL_WRITEFUNC_PAUSE;
    }
    gw__arm_timer(call, call->gen->cfg->upstream.idle_timeout_ms);
    uint64_t t0 = gw__now_ns();
    if (call->worker->server->log_bodies && call->worker->server->store != NULL && call->resp_log.len < GW_LOG_BODY_MAX) {
        size_t room = GW_LOG_BODY_MAX - call->resp_log.len;
        gw_buf_append(&call->resp_log, p, n < room ? n : room);
    }
    if (call->restore == GW_RESTORE_REFUSE) {
        call->upstream_received += n; /* discarded: answered 502 at its end (gw__respond_resume) */
        call->overhead_ns += gw__now_ns() - t0;
        return consumed;
    }
    if (call->restore == GW_RESTORE_JSON || call->restore == GW_RESTORE_TEXT || call->restore == GW_RESTORE_SNIFF) {
        /* non-streaming JSON or text: restore needs the whole document; answered at transfer end */
        if (call->resp_json.len + n <= GW_RESTORE_JSON_MAX) {
            int ok = gw_buf_append(&call->resp_json, p, n) == 0;
            call->overhead_ns += gw__now_ns() - t0;
            return ok ? consumed : 0;
        }
        if (held_for_privacy(call)) {
            /* too large to hold: an answer that must be scanned or restored is refused, never passed unscanned
             * (fail closed: 500 before the headers, docs/internals/pipeline.md) */
            call->aigw_cut = 1;
            call->overhead_ns += gw__now_ns() - t0;
            return 0;
        }
        call->restore = GW_RESTORE_NONE; /* too large, held only to charge it first: passes as it is */
        if (gw_buf_append(&call->pending, call->resp_json.base, call->resp_json.len) != 0)
            return 0;
        gw_buf_reset(&call->resp_json);
    }
    if (call->state == GW_CALL_UPSTREAM)
        gw__start_response(call);
    int rc;
    if (call->sse) {
        rc = gw_sse_feed(&call->sse_parser, p, n, on_sse_block, call) < 0 ? -1 : 0;
    } else {
        rc = gw_buf_append(&call->pending, p, n);
        if (call->need_usage && call->json_resp && call->usage_ad->usage_from_json != NULL &&
            call->usage_tee.len + n <= GW_USAGE_TEE_MAX)
            gw_buf_append(&call->usage_tee, p, n);
    }
    if (rc < 0) {
        call->aigw_cut = 1; /* an event too large to parse, or one that could not be restored or scanned */
        return 0;
    }
    call->upstream_received += n;
    if (call->restore == GW_RESTORE_NONE && !call->sse && call->upstream_length >= 0 &&
        call->upstream_received >= (uint64_t)call->upstream_length && call->worker->server->store == NULL)
        call->upstream_done = 1; /* all announced bytes are here: send them as the final part (with a store,
                                  * the last byte waits for the call's record: on_upstream_done) */
    call->overhead_ns += gw__now_ns() - t0;
    int nested = call->in_curl_cb; /* a held answer replayed from on_upstream_done is not inside curl */
    call->in_curl_cb = 1;
    gw__flush(call);
    call->in_curl_cb = nested;
    return call->req != NULL ? consumed : 0;
}

/* Message for a mapped upstream 5xx: the provider's own error message if it has one. */
void gw__upstream_error_message(gw_call_t *call, char *msg, size_t len)
{
    const char *detail = NULL;
    json_t *doc = call->errbody.len ? json_loadb(call->errbody.base, call->errbody.len, 0, NULL) : NULL;
    json_t *e = doc != NULL ? json_object_get(doc, "error") : NULL;
    if (json_is_object(e) && json_is_string(json_object_get(e, "message")))
        detail = json_string_value(json_object_get(e, "message"));
    else if (json_is_string(e))
        detail = json_string_value(e);
    else if (doc != NULL && json_is_string(json_object_get(doc, "detail")))
        detail = json_string_value(json_object_get(doc, "detail"));
    snprintf(msg, len, "aigw: upstream %s returned HTTP %ld%s%.300s", call->provider->name, call->upstream_status,
             detail != NULL ? ": " : "", detail != NULL ? detail : "");
    if (doc != NULL)
        json_decref(doc);
}

/* The transfer ended with CURLE_OK and an answer that is forwarded: usage, truncation, restore and the output
 * scan of a held JSON answer, then the last bytes (after the commit of the call's record). */
int gw__respond_complete(gw_call_t *call, long http_status)
{
    if (call->sse && call->need_usage && call->usage_ad->usage_from_event != NULL && call->usage_state.events != 0 &&
        !call->usage_state.done && call->upstream_status >= 200 && call->upstream_status < 300) {
        /* closed cleanly without the provider's terminal event: a truncated stream */
        call->bill.outcome = GW_OUTCOME_TRUNCATED;
        call->error_code = GW_OUTCOME_TRUNCATED;
    }
    if (call->sse) {
        /* a stream cut mid-event: forward the partial bytes as they are (a restorer holds them and drops them when
         * it scans); a capability stream whose output is scanned drops them too: their text was never scanned, and an
         * SSE client discards the event a stream ends inside anyway (policy/restore.h pol_restore_stream_finish) */
        size_t plen = 0;
        const char *part = gw_sse_finish(&call->sse_parser) != 0 ? gw_sse_pending(&call->sse_parser, &plen) : NULL;
        if (call->async_restore)
            gw_async_sse_finish(&call->async_sse, &call->async_cap, &call->pending);
        if (part != NULL && plen != 0 && !(call->async_restore && call->async_sse.scan != NULL))
            emit_block(call, part, plen);
    }
    if (call->need_usage && call->json_resp && call->usage_ad->usage_from_json != NULL) {
        const gw_buf_t *b = call->restore == GW_RESTORE_JSON ? &call->resp_json : &call->usage_tee;
        if (b->len != 0)
            call->usage_ad->usage_from_json(b->base, b->len, &call->usage);
    }
    if (gw__async_read(call, http_status))
        return 0;
    gw__respond_resume(call, http_status);
    return 1;
}

/* A held answer that cannot be sent (fail closed) is replaced, before its headers go out, by the error `err` with
 * `message` in the route's provider shape: status, code and Content-Type follow the error, not the upstream's answer. */
static void replace_answer(gw_call_t *call, gw_err_t err, const char *message)
{
    gw_buf_reset(&call->pending);
    error_body(call, err, 0, NULL, message, &call->pending);
    call->upstream_status = gw_error_def(err)->status;
    call->error_code = gw_error_def(err)->code;
    if (call->req == NULL)
        return;
    /* the upstream's Content-Type lines (a text answer announced text/plain; a refused one may have had two) */
    ssize_t ct;
    while ((ct = h2o_find_header(&call->req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1)) >= 0)
        h2o_delete_header(&call->req->res.headers, ct);
    const char *t = call->adapter->error_content_type;
    h2o_add_header(&call->req->pool, &call->req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, t, strlen(t));
}

/* The answer's Content-Type as forwarded (for a message), "none" without one. */
static h2o_iovec_t answer_ctype(gw_call_t *call)
{
    ssize_t ct = call->req != NULL ? h2o_find_header(&call->req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1) : -1;
    return ct >= 0 ? call->req->res.headers.entries[ct].value : h2o_iovec_init(H2O_STRLIT("none"));
}

/* A held answer without a Content-Type (GW_RESTORE_SNIFF), at its end: read as JSON when it parses as JSON, as text
 * when it is UTF-8 without NUL, refused otherwise (what the client reads it as is unknown, so nothing unread goes).
 * An empty body has nothing to read and passes. */
static void sniff_answer(gw_call_t *call)
{
    const unsigned char *b = (const unsigned char *)call->resp_json.base;
    size_t n = call->resp_json.len, i = 0;
    if (n == 0) {
        call->restore = GW_RESTORE_NONE;
        gw_buf_append(&call->pending, call->resp_json.base, call->resp_json.len);
        return;
    }
    json_t *doc = json_loadb(call->resp_json.base, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (doc != NULL) {
        json_decref(doc);
        call->restore = GW_RESTORE_JSON;
        return;
    }
    while (i < n) {
        size_t k = b[i] < 0x80 ? (b[i] != 0) : gw_utf8_seq(b + i, n - i);
        if (k == 0)
            break;
        i += k;
    }
    call->restore = i == n ? GW_RESTORE_TEXT : GW_RESTORE_REFUSE;
}

/* Why a held answer could not be scanned or restored (allocation), for its 500. */
static const char *answer_failure(int scanned)
{
    return scanned ? "aigw: the privacy scan of the answer failed" : "aigw: the placeholders in the answer could not be restored";
}

void gw__respond_resume(gw_call_t *call, long http_status)
{
    uint64_t t0 = gw__now_ns();
    if (call->restore == GW_RESTORE_SNIFF)
        sniff_answer(call);
    if (call->restore == GW_RESTORE_REFUSE) {
        char msg[400];
        h2o_iovec_t ct = answer_ctype(call);
        snprintf(msg, sizeof(msg),
                 "aigw: upstream %s answered with Content-Type %.*s, which aigw cannot read to restore its placeholders "
                 "or scan it (JSON, server-sent events and UTF-8 text only); not forwarded",
                 call->provider->name, (int)(ct.len < 100 ? ct.len : 100), ct.base);
        replace_answer(call, GW_ERR_UPSTREAM_ERROR, msg);
    } else if (call->restore == GW_RESTORE_JSON) {
        int changed = 0;
        if (call->reserved)
            call->charged = gw__actual_cost(call, 1);
        int scan = output_scanned(call) && call->upstream_status < 300, prc = 0;
        if ((call->need_restore || scan) &&
            (prc = gw_privacy_response_json(call->gen->privacy, gw_gen_scratch(call->gen, call->worker),
                                            scan ? call->usage_ad : NULL, call->pii, call->info.output_mode, call->resp_json.base,
                                            call->resp_json.len, &call->pending, &changed)) != 0) {
            /* the answer could not be scanned or restored (allocation): it is not sent (fail closed). Unscanned, it could
             * carry personal data the model produced; unrestored, it would be a silently wrong answer (placeholders
             * where the client's values belong). aigw failed, not the provider: 500, like the stream's counterpart
             * that is cut where its restore failed (docs/internals/privacy.md) */
            /* an answer that says JSON and is not: the provider's fault, but its text cannot be scanned either */
            if (prc == GW_E_RESTORE_UNSCANNABLE)
                replace_answer(call, GW_ERR_UPSTREAM_ERROR,
                               "aigw: the upstream's JSON answer does not parse, so its text cannot be scanned "
                               "(pii.scan_responses); not forwarded");
            else
                replace_answer(call, GW_ERR_INTERNAL, answer_failure(scan));
            changed = 1;
        }
        if (!changed) {
            gw_buf_reset(&call->pending);
            gw_buf_append(&call->pending, call->resp_json.base, call->resp_json.len);
        }
        if (call->pred.vault.n != 0 && call->upstream_status < 300 &&
            gw_async_restore_json(&call->pred.vault, call->pending.base, call->pending.len, &call->async_out) == 1) {
            gw_buf_t t = call->pending; /* a later read: the creating request's values restored */
            call->pending = call->async_out;
            call->async_out = t;
        }
        if (call->pred.kind == GW_ASYNC_CREATE)
            gw__async_created(call);
        if (call->async_rewrite && call->upstream_status < 300)
            gw__async_rewrite_urls(call);
    } else if (call->restore == GW_RESTORE_TEXT) {
        int changed = 0, scan = output_scanned(call) != NULL;
        if (gw_privacy_response_text(call->gen->privacy, gw_gen_scratch(call->gen, call->worker), scan ? call->usage_ad : NULL,
                                     call->pii, call->resp_json.base, call->resp_json.len, &call->pending, &changed) != 0) {
            replace_answer(call, GW_ERR_INTERNAL, answer_failure(scan)); /* fail closed, as a JSON answer's (above) */
        } else if (!changed) {
            gw_buf_reset(&call->pending);
            gw_buf_append(&call->pending, call->resp_json.base, call->resp_json.len);
        }
    } else if (call->restore == GW_RESTORE_SSE) {
        pol_restore_stream_finish(call->restorer, &call->pending); /* flushes held-back token prefixes */
    }
    call->overhead_ns += gw__now_ns() - t0;
    if (call->state == GW_CALL_UPSTREAM) {
        if (call->upstream_status == 0)
            call->upstream_status = http_status;
        gw__start_response(call);
    }
    /* the last bytes wait for the commit of the call's record and settlement */
    if (gw__finish_call(call, 1, 1, 1) != 0) {
        call->upstream_done = 1;
        gw__flush(call);
    }
}
