/*
 * Upstream attempts (gateway/retry.h holds the policy; this file applies it to a call). Before the first attempt the
 * call gets its retry policy and the origin's circuit breaker may refuse it (503 with Retry-After). An answer whose
 * status may still be retried is held (headers and body, capped) instead of forwarded; when the attempt ends, a
 * retryable failure that reached nothing of the client is tried again after a backoff (the transfer's reference moves
 * to the call's timer), otherwise the held answer is forwarded as it came. Requests with side effects (not answer-only
 * and without an Idempotency-Key) are retried only when the upstream cannot have received them.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "gateway/pipeline/call.h"

/* Whether an answer with `status` may still be retried: then it is held, not forwarded. */
int gw__retry_may_follow(gw_call_t *call, int status)
{
    const gw_retry_conf_t *c = call->retry_conf;
    if (c == NULL || (call->attempts > c->max_retries && !gw__fallback_pending(call)))
        return 0; /* the last attempt's answer is held too while a fallback target is left */
    for (size_t i = 0; i < c->nstatuses; i++)
        if (c->statuses[i] == status)
            return 1;
    return 0;
}

/* The headers of a held answer that steer the retry (as the SDKs read them). */
void gw__retry_header(gw_call_t *call, const char *name, size_t nl, const char *value, size_t vl)
{
    if (nl == 14 && strncasecmp(name, "retry-after-ms", 14) == 0) {
        int64_t ms = gw_retry_parse_retry_after_ms(value, vl);
        if (ms >= 0)
            call->retry_after_ms = ms; /* preferred over Retry-After */
    } else if (nl == 11 && strncasecmp(name, "retry-after", 11) == 0) {
        if (call->retry_after_ms < 0)
            call->retry_after_ms = gw_retry_parse_retry_after(value, vl, (int64_t)time(NULL));
    } else if (nl == 14 && strncasecmp(name, "x-should-retry", 14) == 0) {
        call->should_retry = vl == 4 && strncasecmp(value, "true", 4) == 0    ? 1
                             : vl == 5 && strncasecmp(value, "false", 5) == 0 ? 0
                                                                              : -1;
    }
}

/* Transport failures by what the upstream can have seen: 0 nothing was sent (connect, DNS, TLS
 * handshake; curl has no CURLOPT_TIMEOUT here, so a timeout is the connect timeout), 1 the
 * request may have arrived (reset, empty reply, broken HTTP/2 stream), -1 not retried (aigw's
 * own aborts, certificate and protocol errors). */
static int curl_failure_kind(CURLcode r)
{
    switch (r) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
        return GW_RETRY_FAIL_CONNECT;
    case CURLE_HTTP2:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2_STREAM:
        return GW_RETRY_FAIL_RESET;
    default:
        return -1;
    }
}

/* A request that does more than answer (prediction, upload) and has no Idempotency-Key. GET,
 * HEAD and DELETE are idempotent; a POST is answer-only when its adapter lists the path. */
static int has_side_effects(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) ||
        h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")) ||
        h2o_memis(req->method.base, req->method.len, H2O_STRLIT("DELETE")))
        return 0;
    const h2o_header_t *ik = gw__find_header(req, H2O_STRLIT("idempotency-key"));
    if (ik != NULL && ik->value.len != 0)
        return 0;
    const char *q = memchr(call->rest, '?', call->rest_len);
    size_t n = q != NULL ? (size_t)(q - call->rest) : call->rest_len;
    for (const char *const *a = call->adapter->answer_only; a != NULL && *a != NULL; a++) {
        size_t al = strlen(*a);
        if (n >= al && memcmp(call->rest + n - al, *a, al) == 0 && (n == al || (*a)[0] == ':' || call->rest[n - al - 1] == '/'))
            return 0;
    }
    return 1;
}

/* Scheme, host and port of the upstream URL: the circuit breaker's key. */
static size_t url_origin_len(const gw_buf_t *url)
{
    const char *p = memchr(url->base, ':', url->len);
    if (p == NULL || (size_t)(url->base + url->len - p) < 3 || p[1] != '/' || p[2] != '/')
        return url->len;
    const char *slash = memchr(p + 3, '/', (size_t)(url->base + url->len - (p + 3)));
    return slash != NULL ? (size_t)(slash - url->base) : url->len;
}

/* Counts an attempt's outcome in its origin's breaker. */
void gw__retry_record(gw_call_t *call, int failure)
{
    gw_server_t *srv = call->worker->server;
    if (srv->retry != NULL && call->retry_conf != NULL)
        gw_retry_record(srv->retry, call->retry_host, -1, call->retry_conf, gw__now_ms(), 0, failure);
}

/* Forgets everything the failed attempt left in the call (its headers in the h2o response too). */
static void reset_attempt(gw_call_t *call)
{
    if (call->req != NULL)
        call->req->res.headers.size = call->res_headers_base;
    gw_buf_reset(&call->url);
    gw_buf_reset(&call->errbody);
    gw_buf_reset(&call->held);
    gw_buf_reset(&call->resp_json);
    gw_buf_reset(&call->resp_log);
    gw_buf_reset(&call->usage_tee);
    if (call->sse) {
        gw_sse_dispose(&call->sse_parser);
        call->sse = 0;
    }
    call->json_resp = 0;
    call->restore = GW_RESTORE_NONE;
    call->resp_ctype = GW_CTYPE_NONE;
    memset(&call->usage_state, 0, sizeof(call->usage_state));
    memset(&call->usage, 0, sizeof(call->usage));
    call->upstream_status = 0;
    call->upstream_length = -1;
    call->upstream_coded = 0;
    call->upstream_received = 0;
    call->map_upstream_error = call->curl_paused = call->send_inflight = 0;
    call->upstream_done = call->upstream_failed = call->hold_end = call->aigw_cut = call->upstream_malformed = 0;
    call->t_headers_ns = 0;
    call->body_off = 0;
    call->retry_hold = 0;
    call->should_retry = -1;
    call->retry_after_ms = -1;
}

static void on_retry_timer(uv_timer_t *t)
{
    gw_call_t *call = t->data;
    call->retry_wait = 0;
    if (call->req != NULL) {
        reset_attempt(call);
        gw__fallback_announce(call);
        gw__stage_upstream(call); /* takes its own transfer reference, or answers the request */
    }
    gw__release(call); /* the wait's reference */
}

/* After an attempt failed before any response byte went to the client: schedules the next
 * attempt (returns 1; the transfer's reference moves to the backoff timer) or returns 0, after
 * which the failure is answered as usual (a held answer is forwarded as it came). */
int gw__retry_or_release(gw_call_t *call, CURLcode result)
{
    gw_server_t *srv = call->worker->server;
    int kind = result != CURLE_OK ? curl_failure_kind(result) : call->retry_hold ? GW_RETRY_FAIL_STATUS : -1;
    if (kind >= 0 && srv->retry != NULL && call->retry_conf != NULL && call->timer_ready) {
        uint64_t now = gw__now_ms();
        gw_retry_input_t in = {(gw_retry_fail_t)kind,
                               (int)call->upstream_status,
                               kind == GW_RETRY_FAIL_STATUS ? call->retry_after_ms : -1,
                               kind == GW_RETRY_FAIL_STATUS ? call->should_retry : -1,
                               call->side_effects,
                               call->attempts,
                               now - call->t_first_attempt_ms};
        int64_t delay = gw_retry_should(srv->retry, call->retry_host, gw__provider_index(call->up, 1), call->retry_conf, &in, now,
                                        randombytes_random());
        if (delay >= 0) {
            call->retry_wait = 1;
            call->timer_due = 0; /* not the first-byte / idle timeout any more (gw__arm_timer) */
            uv_timer_start(&call->timer, on_retry_timer, (uint64_t)delay, 0);
            return 1;
        }
    }
    /* no retry here: the next target of the call's fallback chain, at once (fallback.c) */
    if (kind >= 0 && call->timer_ready && gw__fallback_next(call)) {
        call->retry_wait = 1;
        call->timer_due = 0;
        uv_timer_start(&call->timer, on_retry_timer, 0, 0);
        return 1;
    }
    if (call->retry_hold) {
        call->retry_hold = 0;
        if (call->held.len != 0)
            gw__on_upstream_body(call->held.base, 1, call->held.len, call);
        if (call->timer_ready)
            uv_timer_stop(&call->timer); /* armed by the replay; the transfer is over */
    }
    return 0;
}

/* Before an attempt: the call's retry policy (first attempt), then the origin's circuit breaker.
 * Answers 503 with Retry-After itself when the breaker is open (first attempt only: a retry was
 * decided while it was closed). @return 0 go on, -1 answered. */
int gw__retry_admit(gw_call_t *call)
{
    gw_worker_t *w = call->worker;
    gw_retry_t *r = w->server->retry;
    if (r == NULL || call->attempts != 0)
        return 0;
    uint64_t now = gw__now_ms(), wait_ms = 0;
    call->retry_conf = gw_retry_conf_for(r, call->up->name, call->info.model.len != 0 ? call->info.model.base : NULL);
    call->side_effects = has_side_effects(call);
    call->t_first_attempt_ms = now;
    call->retry_host = gw_retry_host(r, call->url.base, url_origin_len(&call->url));
    if (gw_retry_admit(r, call->retry_host, now, &wait_ms) != 0) {
        char ra[24], msg[300];
        gw_upstream_easy_release(w->upstream, call->easy);
        call->easy = NULL;
        snprintf(ra, sizeof(ra), "%llu", (unsigned long long)((wait_ms + 999) / 1000));
        gw__add_header(call->req, "retry-after", ra, strlen(ra));
        snprintf(msg, sizeof(msg),
                 "aigw: upstream %s is failing (circuit breaker open after repeated errors); not forwarded, retry in %s s",
                 call->provider->name, ra);
        gw_send_error(call, GW_ERR_CIRCUIT_OPEN, msg);
        return -1;
    }
    gw_retry_record(r, -1, gw__provider_index(call->up, 1), call->retry_conf, now, 1, 0); /* budget: one more first attempt */
    return 0;
}
