/*
 * The request pipeline (see proxy.h). One gw_call_t per request, taken from a per-worker pool
 * so the hot path does not allocate once warm; the call's buffers keep their capacity across
 * requests. Callbacks read in firing order:
 *
 *   gw_proxy_on_req          route, auth, user, body checks, build the upstream request
 *   on_upstream_header       curl: status line and headers (forwarded ones copied to h2o)
 *   on_upstream_body         curl: body bytes -> pending buffer -> h2o_send (one in flight)
 *   on_generator_proceed     h2o: previous send written; unpause curl, send more
 *   on_timeout               first-byte / idle timer: 504 before the response, abort after
 *   on_upstream_done         curl transfer finished (success or error)
 *   on_req_dispose           h2o: request freed (finished or client gone): access log,
 *                            cancel the upstream transfer if still running
 *
 * Lifetime: a call is referenced by the h2o request (until dispose) and by the curl transfer
 * (until done or cancelled); it returns to the pool when both are gone. Backpressure: at most
 * one h2o_send is in flight; while it is, upstream bytes collect in `pending` up to
 * GW_PENDING_HIGH, then the curl write callback returns CURL_WRITEFUNC_PAUSE and the idle
 * timer stops (a slow client is not an idle upstream) until h2o asks for more. Memory per
 * stream is therefore bounded by about two curl buffers (64 KiB each), whatever the response
 * size (notes/platform-facts.md section 2).
 *
 * Upstream 5xx answers are not passed through: the body is collected (capped) and the client
 * gets a 502 in the provider's shape naming the upstream status, as SDKs expect from a
 * gateway. 4xx answers (including 429 with Retry-After) pass through unchanged.
 */
#include "gateway/proxy.h"

#include <ctype.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gateway/admin.h"
#include "gateway/async.h"
#include "gateway/store/store_predict.h"
#include "gateway/auth.h"
#include "gateway/billing.h"
#include "gateway/canon.h"
#include "gateway/errors.h"
#include "gateway/headers.h"
#include "gateway/privacy.h"
#include "gateway/retry.h"
#include "gateway/secrets.h"
#include "gateway/store/store_ledger.h"
#include "policy/restore.h"
#include "providers/sse.h"
#include "providers/usage.h"
#include "providers/provider.h"

#define GW_PENDING_HIGH (64u * 1024)
#define GW_ERRBODY_MAX (64u * 1024)
#define GW_USAGE_TEE_MAX (4u << 20)     /* JSON response bytes kept to read usage from */
#define GW_LOG_BODY_MAX (1u << 20)      /* response bytes kept for the encrypted call log */
#define GW_POSTFIELDS_MAX (64u * 1024)  /* bodies up to this size are copied and handed to curl whole */
#define GW_RESTORE_JSON_MAX (32u << 20) /* larger JSON responses pass through without restore */

typedef enum {
    GW_CALL_IDLE,      /* in the pool */
    GW_CALL_LOCAL,     /* answered by aigw itself (error, health) */
    GW_CALL_UPSTREAM,  /* transfer running, response not started */
    GW_CALL_STREAMING, /* response started, body flowing */
    GW_CALL_FINISHED   /* final h2o_send issued */
} gw_call_state_t;

struct st_gw_call_t {
    h2o_generator_t super; /* first: h2o passes it back to proceed/stop */
    gw_upstream_req_t upreq;
    gw_worker_t *worker;
    gw_gen_t *gen;    /* the configuration generation pinned for this request (gateway/server.h) */
    unsigned pii_seq; /* generation whose engine made `pii` (pooled across requests) */
    gw_call_t *next_free;
    h2o_req_t *req; /* NULL once disposed */
    gw_call_state_t state;
    int refs;
    uv_timer_t timer;
    int timer_ready;

    /* request */
    const prov_adapter_t *adapter;
    const gw_provider_conf_t *provider;
    const gw_client_conf_t *client;
    char request_id[36];
    gw_secrets_t secrets; /* provider keys and this client's key: masked in every byte returned to the client */
    char client_key[256]; /* the client's key as sent (copied so the call log can be masked after the request);
                             wiped when the call returns to the pool */
    size_t client_key_len;
    pol_buf_t user;                 /* end-user id, copied (outlives req->pool for the access log) */
    pol_buf_t target;               /* canonical request target (gateway/canon.h): path, then query */
    pol_buf_t route;                /* canonical request path without query, copied */
    pol_buf_t url;                  /* upstream URL */
    pol_buf_t hdr;                  /* scratch for one header line */
    struct curl_slist *req_headers; /* points into hdr_nodes: no per-request allocation */
    struct curl_slist *hdr_nodes;   /* reused list nodes for the upstream headers */
    size_t hdr_nodes_cap;
    CURL *easy;
    const char *body; /* request body sent upstream (req->entity or a rewritten copy) */
    size_t body_len;
    size_t body_off; /* upload read position */
    pol_buf_t body_rewritten;
    gw_body_info_t info;    /* fields captured from the body */
    pol_pii_session_t *pii; /* tokens and findings of this request; reused */
    size_t redactions;      /* findings count, for X-AIGW-Redactions */

    /* response */
    const prov_adapter_t *up;       /* provider the call goes to: auth, API prefix, config (== adapter on native routes) */
    const prov_adapter_t *usage_ad; /* adapter whose extractors read the response's usage */
    int unified;                    /* arrived on /v1/: OpenAI format, provider chosen by model */
    int multipart;                  /* the request body is multipart/form-data (not JSON) */
    int binary;                     /* the body is forwarded unscanned (config binary_routes) */
    int need_usage;                 /* someone consumes the reported usage (call log, metering, rate limits) */
    int sse;                        /* the response is text/event-stream */
    int json_resp;                  /* the response is application/json */
    int strip_usage_chunk;          /* aigw added stream_options.include_usage: drop the usage-only chunk */
    prov_sse_parser_t sse_parser;   /* response events, for usage and filtering */
    prov_usage_state_t usage_state; /* usage from stream events */
    prov_usage_t usage;             /* usage from a JSON body or headers */
    pol_buf_t usage_tee;            /* copy of a JSON response for usage (capped) */
    pol_buf_t edit_body;            /* second rewrite pass (request edits) */
    const char *rest;               /* path after the route prefix (into target) */
    size_t rest_len;
    pol_notrain_decision_t notrain; /* the no-training decision of this call */
    int consent_lookup;             /* a consent lookup on the thread pool holds a reference */
    uv_work_t consent_work;
    int consent_result;
    pol_buf_t notrain_record;
    /* metering */
    const pol_price_t *price; /* NULL unless metering */
    int64_t reserve_amount;   /* micro-credits reserved before forwarding */
    int reserved;             /* the reservation is committed: settle at the end */
    int64_t balance_after;    /* balance after the reservation */
    int64_t charged;          /* final charge when known before the response starts, else -1 */
    int64_t est_tokens;       /* rate-limit estimate, settled against the actual tokens */
    int rl_admitted;
    uv_work_t meter_work;
    int meter_rc;
    /* the journal (gw_store_*_async): completions come back through the worker's journal_async */
    gw_call_t *jnext;         /* in the worker's journal_done list */
    int jkind;                /* GW_JOURNAL_RESERVE or GW_JOURNAL_FINISH */
    int jrc;                  /* the completed item's result */
    int64_t jbal;             /* its balance after */
    int finished;             /* record (and settlement) handed to the journal: nothing more to log or settle */
    int finishing;            /* the final send waits for that commit (durability promise, README) */
    gw_billing_t bill;        /* model, unbilled route, delivered text, outcome (gateway/billing.h) */
    prov_target_t fal_target; /* fal: the upstream named by x-fal-target-url (path: fal_path) */
    pol_buf_t fal_path;       /* fal: the target's path and query in canonical form (gateway/canon.h) */
    int idem_claimed;         /* this request claimed its Idempotency-Key */
    int idem_first_status;    /* status of the earlier request with the same key (0: in flight) */
    char idem_first_id[GW_STORE_REQUEST_ID_MAX + 1];
    char idem_key[129]; /* Idempotency-Key header, "" if none */
    enum { GW_RESTORE_NONE, GW_RESTORE_SSE, GW_RESTORE_JSON } restore;
    int need_restore;               /* the session issued tokens */
    pol_restore_stream_t *restorer; /* reused */
    gw_privacy_output_t out_ctx;    /* ctx of the restorer's callbacks: session + worker scratch */
    pol_buf_t resp_json;            /* buffered JSON response awaiting restore */
    pol_buf_t resp_log;             /* response as the provider sent it, for the call log (capped) */
    long upstream_status;
    int64_t upstream_length; /* Content-Length of the upstream response, -1 if none */
    uint64_t upstream_received;
    int map_upstream_error; /* upstream answered >= 500: collect body, answer 502 */
    int curl_paused;
    int in_curl_cb;
    int send_inflight;
    int upstream_done;
    int upstream_failed;
    pol_buf_t pending;
    pol_buf_t inflight;
    pol_buf_t errbody;
    /* retries (gateway/retry.h): an attempt's answer is held until it is known not to be retried */
    const gw_retry_conf_t *retry_conf;
    uint32_t attempts;       /* upstream attempts started */
    int retry_host;          /* breaker of the upstream origin, -1 none */
    int side_effects;        /* not answer-only and no Idempotency-Key: retried only on connect errors */
    int retry_hold;          /* a retryable status arrived: headers and body held, nothing forwarded */
    int retry_wait;          /* the backoff timer runs and holds the transfer's reference */
    int should_retry;        /* x-should-retry of the held answer: 1, 0, -1 absent */
    int64_t retry_after_ms;  /* retry-after-ms / Retry-After of the held answer, -1 none */
    size_t res_headers_base; /* req->res.headers.size before the attempt's forwarded headers */
    uint64_t t_first_attempt_ms;
    pol_buf_t held; /* body of a held answer (capped at GW_ERRBODY_MAX, then forwarded) */
    /* asynchronous predictions (gateway/async.h) */
    int async_rewrite;        /* Replicate prediction answers: urls.get/cancel/stream point at aigw */
    gw_async_cap_t async_cap; /* stream route: the capability aigw handed out (vault for restore) */
    const char *async_url;    /* stream route: upstream URL from the capability, else NULL */
    pol_buf_t async_out;      /* rewritten prediction */
    int async_restore;        /* stream route with a vault: output events restored by gw_async_sse_event */
    gw_async_sse_t async_sse;
    struct {
        gw_async_kind_t kind;         /* creates or reads an asynchronous prediction (with a store only) */
        char id[GW_ASYNC_ID_MAX + 1]; /* read: the prediction / fal request id of the path */
        gw_predict_rec_t *rec;        /* create: stored with the call record (owned until make_call_record) */
        int keep_open;                /* create: the reservation waits for the first terminal read */
        gw_async_vault_t vault;       /* read: the creating request's vault (same user and client) */
        long http_status;             /* read: on_upstream_done's status for the resumed answer */
    } pred;                           /* zeroed per request; vault and rec freed in release() */

    /* accounting */
    int no_access_log; /* health probes */
    int status;
    const char *error_code;
    uint64_t bytes_out;
    uint64_t t_start_ns;
    uint64_t t_upstream_ns; /* handed to curl */
    uint64_t t_headers_ns;  /* upstream headers complete */
    uint64_t overhead_ns;   /* inside aigw: before upstream + response processing */
    int64_t wall_start_us;
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- call pool ------------------------------------------------------------------------- */

/* A pooled call keeps its buffers' memory for the next request (no malloc per request), but not
 * without bound: one 20 MiB request used to leave every buffer it touched at 20 MiB in the pool
 * for good (an idle aigw kept ~900 MB after a burst, issue 14). Buffers above this are freed when
 * the call goes back to the pool; the common small request never reaches it. */
#define GW_POOL_BUF_KEEP_BYTES (256u << 10)

static const size_t pooled_bufs[] = {
    offsetof(gw_call_t, user),      offsetof(gw_call_t, target),         offsetof(gw_call_t, route),
    offsetof(gw_call_t, url),       offsetof(gw_call_t, body_rewritten), offsetof(gw_call_t, usage_tee),
    offsetof(gw_call_t, edit_body), offsetof(gw_call_t, notrain_record), offsetof(gw_call_t, resp_json),
    offsetof(gw_call_t, resp_log),  offsetof(gw_call_t, pending),        offsetof(gw_call_t, inflight),
    offsetof(gw_call_t, errbody),   offsetof(gw_call_t, held),           offsetof(gw_call_t, async_out),
    offsetof(gw_call_t, fal_path),
};

static void cap_pooled_buffers(gw_call_t *call)
{
    for (size_t i = 0; i < sizeof(pooled_bufs) / sizeof(pooled_bufs[0]); i++) {
        pol_buf_t *b = (pol_buf_t *)((char *)call + pooled_bufs[i]);
        if (b->cap > GW_POOL_BUF_KEEP_BYTES)
            pol_buf_free(b); /* back to POL_BUF_INIT: the next request allocates what it needs */
    }
    size_t nf = 0;
    if (call->pii != NULL && (pol_pii_session_findings(call->pii, &nf), nf > 4096)) {
        pol_pii_session_free(call->pii); /* a session grows with the findings it holds */
        call->pii = NULL;
    }
}

static void release(gw_call_t *call)
{
    if (--call->refs > 0)
        return;
    gw_worker_t *w = call->worker;
    if (call->timer_ready)
        uv_timer_stop(&call->timer);
    if (call->req_headers != NULL) {
        sodium_memzero(call->hdr.base, call->hdr.len); /* holds the provider key */
        call->req_headers = NULL;
    }
    if (call->sse) {
        prov_sse_dispose(&call->sse_parser);
        call->sse = 0;
    }
    sodium_memzero(call->client_key, sizeof(call->client_key));
    call->client_key_len = 0;
    gw_async_cap_free(&call->async_cap); /* holds the vault of a stream route */
    gw_async_vault_free(&call->pred.vault);
    gw_predict_rec_free(call->pred.rec);
    memset(&call->pred, 0, sizeof(call->pred));
    cap_pooled_buffers(call);
    call->state = GW_CALL_IDLE;
    gw_server_gen_release(call->gen); /* a reload may have replaced it: the last request frees it */
    call->gen = NULL;
    call->next_free = w->free_calls;
    w->free_calls = call;
}

static gw_call_t *call_acquire(gw_worker_t *w)
{
    gw_call_t *call = w->free_calls;
    if (call != NULL) {
        w->free_calls = call->next_free;
    } else if ((call = calloc(1, sizeof(*call))) != NULL) {
        call->worker = w;
        if (uv_timer_init(&w->loop, &call->timer) == 0) {
            call->timer.data = call;
            call->timer_ready = 1;
        }
    } else {
        return NULL;
    }
    /* reset per-request state, keep buffers' memory */
    call->gen = gw_server_gen_acquire(w->server);
    if (gw_gen_scratch(call->gen, w) == NULL) { /* made here, so later stages cannot fail on it */
        gw_server_gen_release(call->gen);
        call->gen = NULL;
        call->next_free = w->free_calls;
        w->free_calls = call;
        return NULL;
    }
    call->next_free = NULL;
    call->req = NULL;
    call->refs = 0;
    call->adapter = &prov_openai;
    call->provider = NULL;
    call->client = NULL;
    gw_privacy_info_reset(&call->info); /* a request without a body captures nothing: it inherits nothing either */
    gw_secrets_reset(&call->secrets);
    {
        const gw_config_t *cfg = call->gen->cfg; /* the keys of this request's generation */
        for (size_t i = 0; i < cfg->nproviders; i++)
            gw_secrets_add(&call->secrets, cfg->providers[i].api_key, strlen(cfg->providers[i].api_key));
    }
    pol_buf_reset(&call->user);
    pol_buf_reset(&call->target);
    pol_buf_reset(&call->fal_path);
    pol_buf_reset(&call->route);
    pol_buf_reset(&call->url);
    pol_buf_reset(&call->pending);
    pol_buf_reset(&call->inflight);
    pol_buf_reset(&call->errbody);
    pol_buf_reset(&call->held);
    pol_buf_reset(&call->async_out);
    call->async_rewrite = 0;
    call->async_url = NULL;
    call->async_restore = 0;
    pol_buf_reset(&call->async_sse.held);
    memset(&call->pred, 0, sizeof(call->pred)); /* release() freed what it owned */
    call->retry_conf = NULL;
    call->attempts = 0;
    call->retry_host = -1;
    call->side_effects = call->retry_hold = call->retry_wait = 0;
    call->should_retry = -1;
    call->retry_after_ms = -1;
    call->res_headers_base = 0;
    call->t_first_attempt_ms = 0;
    pol_buf_reset(&call->body_rewritten);
    pol_buf_reset(&call->resp_json);
    pol_buf_reset(&call->resp_log);
    pol_buf_reset(&call->usage_tee);
    pol_buf_reset(&call->edit_body);
    pol_buf_reset(&call->notrain_record);
    call->consent_lookup = 0;
    call->price = NULL;
    call->reserve_amount = call->balance_after = call->est_tokens = 0;
    call->reserved = call->rl_admitted = call->idem_claimed = 0;
    call->jnext = NULL;
    call->jkind = call->jrc = call->finished = call->finishing = 0;
    call->charged = -1;
    memset(&call->bill, 0, sizeof(call->bill));
    call->idem_key[0] = '\0';
    call->up = call->usage_ad = &prov_openai;
    call->unified = call->sse = call->json_resp = call->strip_usage_chunk = call->multipart = call->binary = 0;
    call->need_usage = w->server->store != NULL || w->server->metering || w->server->ratelimit != NULL;
    memset(&call->usage_state, 0, sizeof(call->usage_state));
    memset(&call->usage, 0, sizeof(call->usage));
    if (call->pii != NULL && call->pii_seq != call->gen->seq) {
        /* the pooled session was made for a replaced generation's engine (SIGHUP): make a new
         * one for this request's engine (freeing a session never touches its engine) */
        pol_pii_session_free(call->pii);
        call->pii = NULL;
    }
    if (call->pii != NULL)
        pol_pii_session_reset(call->pii);
    call->redactions = 0;
    call->restore = GW_RESTORE_NONE;
    call->need_restore = 0;
    memset(&call->out_ctx, 0, sizeof(call->out_ctx));
    call->req_headers = NULL;
    call->easy = NULL;
    call->body = NULL;
    call->body_len = call->body_off = 0;
    call->upstream_status = 0;
    call->upstream_length = -1;
    call->upstream_received = 0;
    call->map_upstream_error = call->curl_paused = call->in_curl_cb = call->send_inflight = 0;
    call->upstream_done = call->upstream_failed = 0;
    call->status = 0;
    call->no_access_log = 0;
    call->error_code = NULL;
    call->bytes_out = 0;
    call->t_upstream_ns = call->t_headers_ns = 0;
    call->overhead_ns = 0;
    return call;
}

static void on_timer_closed(uv_handle_t *h)
{
    free(h->data);
}

void gw_proxy_worker_dispose(gw_worker_t *w)
{
    gw_call_t *call;
    while ((call = w->free_calls) != NULL) {
        w->free_calls = call->next_free;
        pol_buf_free(&call->user);
        pol_buf_free(&call->target);
        pol_buf_free(&call->fal_path);
        pol_buf_free(&call->route);
        pol_buf_free(&call->url);
        pol_buf_free(&call->hdr);
        free(call->hdr_nodes);
        pol_buf_free(&call->pending);
        pol_buf_free(&call->inflight);
        pol_buf_free(&call->errbody);
        pol_buf_free(&call->held);
        pol_buf_free(&call->async_out);
        gw_async_sse_free(&call->async_sse);
        pol_buf_free(&call->body_rewritten);
        pol_buf_free(&call->resp_json);
        pol_buf_free(&call->resp_log);
        pol_buf_free(&call->usage_tee);
        pol_buf_free(&call->edit_body);
        pol_buf_free(&call->notrain_record);
        pol_buf_free(&call->info.user);
        pol_buf_free(&call->info.model);
        pol_pii_session_free(call->pii);
        pol_restore_stream_free(call->restorer);
        if (call->timer_ready)
            uv_close((uv_handle_t *)&call->timer, on_timer_closed);
        else
            free(call);
    }
}

/* ---- responses produced by aigw ------------------------------------------------------- */

static void add_header(h2o_req_t *req, const char *name, const char *value, size_t len)
{
    h2o_iovec_t v = h2o_strdup(&req->pool, value, len);
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, v.base, v.len);
}

static void add_aigw_headers(gw_call_t *call)
{
    char buf[32];
    uint64_t overhead_us = call->overhead_ns / 1000;
    add_header(call->req, "x-aigw-request-id", call->request_id, strlen(call->request_id));
    int n = snprintf(buf, sizeof(buf), "%" PRIu64, overhead_us);
    add_header(call->req, "x-aigw-overhead-us", buf, (size_t)n);
    n = snprintf(buf, sizeof(buf), "%zu", call->redactions);
    add_header(call->req, "x-aigw-redactions", buf, (size_t)n);
    if (call->reserved) {
        /* the final charge when the body was complete before the headers (JSON), else the
         * reservation (an upper bound: streams settle at their end; the ledger has the result) */
        int64_t charged = call->charged >= 0 ? call->charged : call->reserve_amount;
        int64_t remaining = call->balance_after + (call->reserve_amount - charged);
        /* micro-credits, named so; the X-AIGW-Credits-* names are deprecated aliases carrying the
         * same micro-credit values (README, "Migration: micro-credit header names") */
        n = snprintf(buf, sizeof(buf), "%lld", (long long)charged);
        add_header(call->req, "x-aigw-microcredits-charged", buf, (size_t)n);
        add_header(call->req, "x-aigw-credits-charged", buf, (size_t)n);
        n = snprintf(buf, sizeof(buf), "%lld", (long long)remaining);
        add_header(call->req, "x-aigw-microcredits-remaining", buf, (size_t)n);
        add_header(call->req, "x-aigw-credits-remaining", buf, (size_t)n);
    }
}

/* Answers the request with an error body in the route's provider shape. */
static void send_error(gw_call_t *call, int status, const char *type, const char *code, const char *param, const char *message)
{
    h2o_req_t *req = call->req;
    if (req == NULL)
        return;
    pol_buf_t body = POL_BUF_INIT;
    if (call->adapter->error_body(&body, status, type, code, param, message) != 0) {
        pol_buf_free(&body);
        h2o_send_error_generic(req, 500, "Internal Server Error", "out of memory", 0);
        return;
    }
    gw_secrets_mask(&call->secrets, body.base, body.len); /* aigw's messages quote upstream bodies (502) */
    call->status = status;
    call->error_code = code;
    call->state = GW_CALL_FINISHED;
    req->res.status = status;
    req->res.reason = gw_status_reason(status);
    req->res.content_length = body.len;
    add_header(req, "content-type", call->adapter->error_content_type, strlen(call->adapter->error_content_type));
    if (call->overhead_ns == 0)
        call->overhead_ns = now_ns() - call->t_start_ns;
    add_aigw_headers(call);
    call->bytes_out = body.len;
    h2o_send_inline(req, body.base, body.len); /* copies the body into the request pool */
    pol_buf_free(&body);
}

static void send_json(gw_call_t *call, int status, const char *json)
{
    h2o_req_t *req = call->req;
    call->status = status;
    call->state = GW_CALL_FINISHED;
    req->res.status = status;
    req->res.reason = gw_status_reason(status);
    req->res.content_length = strlen(json);
    add_header(req, "content-type", "application/json", 16);
    call->overhead_ns = now_ns() - call->t_start_ns;
    add_aigw_headers(call);
    call->bytes_out = strlen(json);
    h2o_send_inline(req, json, strlen(json));
}

/* ---- dispose: the request is gone ------------------------------------------------------ */

static const char *protocol_name(h2o_req_t *req)
{
    return req->version >= 0x200 ? "HTTP/2" : req->version == 0x101 ? "HTTP/1.1" : "HTTP/1.0";
}

static const char *action_name(pol_pii_action_t a)
{
    static const char *const names[] = {"tokenize", "redact", "mask", "hash", "block", "allow"};
    return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "unknown";
}

static char *dup_buf(const pol_buf_t *b)
{
    return b->len != 0 ? strndup(b->base, b->len) : NULL;
}

/* What the call costs (micro-credits), from the usage the provider reported (issue 6):
 * an upstream failure or error status without usage costs nothing; a call that produced output
 * but reported no usage (client gone mid-stream, provider without usage) costs its reservation. */
static int64_t actual_cost(gw_call_t *call, int complete)
{
    const prov_usage_t *u = call->usage_state.usage.has != 0 ? &call->usage_state.usage : &call->usage;
    int status = call->status != 0 ? call->status : (int)call->upstream_status;
    int cut =
        call->bill.outcome != NULL && call->upstream_status >= 200 && call->upstream_status < 300 && !call->map_upstream_error;
    if (u->has != 0 || cut) {
        /* what the provider reported, with the request's image size/quality where the answer has
         * none; an answer cut short: completed with what was delivered (gateway/billing.h) */
        prov_usage_t bu;
        int64_t cost = 0;
        uint32_t markup = call->client != NULL ? call->client->markup_permille : 1000;
        gw_billing_usage(&call->bill, u, call->info.size, call->info.quality, call->body_len, &bu);
        if (pol_pricing_cost(call->price, &bu, markup, &cost) == 0)
            return cost;
        return call->reserve_amount;
    }
    if (call->upstream_status == 0 || call->upstream_status >= 400 || call->map_upstream_error || (status >= 400 && !complete))
        return 0; /* nothing was produced: full refund */
    return call->reserve_amount;
}

typedef struct st_settle_job_t {
    uv_work_t work;
    gw_worker_t *worker;
    gw_store_t *store;
    char request_id[40];
    char *user;
    char idem_key[129];
    int status;
    int do_settle; /* 0: only record the Idempotency-Key outcome */
    int64_t actual;
} settle_job_t;

static void run_settle(uv_work_t *work)
{
    settle_job_t *j = work->data;
    if (j->do_settle && gw_store_settle_deferred(j->store, j->user, j->request_id, j->actual) != 0)
        fprintf(stderr, "aigw: settling %s failed; it stays open and is settled at its reservation on the next start\n",
                j->request_id);
    if (j->idem_key[0] != '\0')
        gw_store_idempotency_put(j->store, j->user, j->idem_key, j->status > 0 ? j->status : 499, j->request_id);
}

static void after_settle(uv_work_t *work, int status)
{
    settle_job_t *j = work->data;
    gw_worker_t *w = j->worker;
    free(j->user);
    free(j);
    gw_worker_request_done(w); /* the drain waits for settlements too */
}

/* Queues the ledger work that follows a call on the thread pool (database writes must not block
 * the loop): the settlement of its reservation (do_settle) and the outcome of its
 * Idempotency-Key. The worker's drain waits for it. The settlement is deferred: on SQLite it
 * rides in the ledger's next group commit (store_ledger.h), and the store's close applies what
 * is still queued. */
static void queue_ledger_job(gw_call_t *call, int do_settle, int64_t actual, int status)
{
    gw_worker_t *w = call->worker;
    if (!do_settle && !call->idem_claimed)
        return;
    settle_job_t *j = calloc(1, sizeof(*j));
    if (j == NULL || (j->user = strndup(call->user.base, call->user.len)) == NULL) {
        free(j);
        fprintf(stderr, "aigw: out of memory settling %s; settled at its reservation on the next start\n", call->request_id);
        return;
    }
    j->work.data = j;
    j->worker = w;
    j->store = w->server->store;
    snprintf(j->request_id, sizeof(j->request_id), "%s", call->request_id);
    snprintf(j->idem_key, sizeof(j->idem_key), "%s", call->idem_claimed ? call->idem_key : "");
    j->status = status;
    j->do_settle = do_settle;
    j->actual = actual;
    call->idem_claimed = 0; /* recorded once */
    w->inflight++;
    if (uv_queue_work(&w->loop, &j->work, run_settle, after_settle) != 0) {
        w->inflight--;
        free(j->user);
        free(j);
    }
}

/* The settlement of the call's reservation from what the provider reported (rate-limit
 * correction and metrics included); the journal item that carries it is finish_call's. */
static int64_t settle_amount(gw_call_t *call, int complete)
{
    gw_worker_t *w = call->worker;
    int64_t actual = call->charged >= 0 ? call->charged : actual_cost(call, complete);
    if (call->rl_admitted) {
        const prov_usage_t *u = call->usage_state.usage.has != 0 ? &call->usage_state.usage : &call->usage;
        int64_t tokens = u->has != 0 ? u->input_tokens + prov_usage_billed_output_tokens(u) : call->est_tokens;
        pol_ratelimit_settle(w->server->ratelimit, call->user.base, call->client != NULL ? call->client->name : NULL, wall_us(),
                             call->est_tokens, tokens);
        call->rl_admitted = 0;
    }
    call->charged = actual;
    gw_metrics_add(&w->metrics.credits_reserved, (uint64_t)call->reserve_amount);
    gw_metrics_add(&w->metrics.credits_charged, (uint64_t)actual);
    if (actual < call->reserve_amount)
        gw_metrics_add(&w->metrics.credits_refunded, (uint64_t)(call->reserve_amount - actual));
    return actual;
}

/* Whether a logged response carries image payloads (OpenAI b64_json, Imagen bytesBase64Encoded,
 * Gemini inline data, data: URIs): its bodies then follow retention.image_payload_hours. */
static int response_has_image(const pol_buf_t *b)
{
    static const char *const markers[] = {"\"b64_json\"", "\"bytesBase64Encoded\"", "\"inlineData\"", "\"inline_data\"",
                                          "data:image/"};
    for (size_t i = 0; b->len != 0 && i < sizeof(markers) / sizeof(markers[0]); i++)
        if (memmem(b->base, b->len, markers[i], strlen(markers[i])) != NULL)
            return 1;
    return 0;
}

/* The call record for the encrypted call log and the redaction log (gateway/store). */
static gw_call_rec_t *make_call_record(gw_call_t *call, int64_t duration_us)
{
    gw_server_t *srv = call->worker->server;
    gw_call_rec_t *rec = calloc(1, sizeof(*rec));
    if (rec == NULL)
        return NULL;
    snprintf(rec->request_id, sizeof(rec->request_id), "%s", call->request_id);
    rec->user_id = dup_buf(&call->user);
    rec->client = call->client != NULL ? strdup(call->client->name) : NULL;
    snprintf(rec->provider, sizeof(rec->provider), "%s", call->provider->name);
    rec->model = call->bill.model[0] != '\0' ? strdup(call->bill.model) : NULL;
    rec->route = dup_buf(&call->route);
    rec->status = call->status != 0 ? call->status : 499;
    rec->started_at_us = call->wall_start_us;
    rec->duration_us = duration_us;
    rec->notrain_decision = dup_buf(&call->notrain_record);
    rec->cost_microcredits = call->reserved ? call->charged : 0;
    rec->has_images = call->info.has_images || response_has_image(&call->resp_log);
    rec->predict = call->pred.rec; /* the prediction this call created, stored in the same transaction */
    call->pred.rec = NULL;
    {
        /* usage the provider reported: stream events, else the JSON body / headers */
        const prov_usage_t *u = call->usage_state.usage.has != 0 ? &call->usage_state.usage : &call->usage;
        pol_buf_t ub = POL_BUF_INIT;
        if (u->has != 0 && prov_usage_to_json(u, &ub) == 0)
            rec->usage_json = dup_buf(&ub);
        pol_buf_free(&ub);
        /* the counts reports show, from the usage the call is billed for (gateway/billing.h) */
        prov_usage_t bu;
        gw_billing_usage(&call->bill, u, call->info.size, call->info.quality, call->body_len, &bu);
        gw_billing_counts(&bu, &rec->input_tokens, &rec->output_tokens, &rec->images, &rec->compute_ms);
        if (call->bill.outcome != NULL)
            snprintf(rec->outcome, sizeof(rec->outcome), "%s", call->bill.outcome);
    }
    if (srv->log_bodies) {
        if (call->body_len != 0 && (rec->request_body = malloc(call->body_len)) != NULL) {
            memcpy(rec->request_body, call->body, call->body_len); /* as sent upstream: scrubbed */
            rec->request_len = call->body_len;
        }
        const pol_buf_t *resp = call->resp_log.len != 0 ? &call->resp_log : &call->errbody;
        if (resp->len != 0 && (rec->response_body = malloc(resp->len)) != NULL) {
            memcpy(rec->response_body, resp->base, resp->len);
            gw_secrets_mask(&call->secrets, rec->response_body, resp->len); /* exports return it to a client too */
            rec->response_len = resp->len;
        }
    }
    size_t nf = 0;
    const pol_pii_finding_t *f = call->pii != NULL ? pol_pii_session_findings(call->pii, &nf) : NULL;
    /* at most pii.max_findings_per_request rows, then one summary row for the rest (a 20 MiB
     * prompt of numbers made 635k rows) */
    size_t cap = gw_privacy_max_findings(call->gen->privacy), nrows = nf > cap ? cap : nf;
    if (nf != 0 && (rec->redactions = calloc(nrows + (nf > cap), sizeof(*rec->redactions))) != NULL) {
        const pol_pii_engine_t *eng = gw_privacy_engine(call->gen->privacy);
        if (nf > cap) {
            gw_redaction_rec_t *r = &rec->redactions[nrows];
            r->field = strdup("*");
            snprintf(r->entity_type, sizeof(r->entity_type), "%s", GW_REDACTION_OVERFLOW_TYPE);
            r->start = cap; /* rows logged */
            r->end = nf;    /* findings in the request */
            snprintf(r->action, sizeof(r->action), "summary");
            nf = nrows;
            rec->nredactions = 1; /* counted below with the logged rows */
        }
        for (size_t i = 0; i < nf; i++) {
            gw_redaction_rec_t *r = &rec->redactions[i];
            r->field = strdup(f[i].field);
            snprintf(r->entity_type, sizeof(r->entity_type), "%s", pol_pii_type_name(eng, f[i].type));
            r->start = f[i].start;
            r->end = f[i].end;
            snprintf(r->action, sizeof(r->action), "%s", action_name(f[i].action));
            r->response = f[i].response;
            memcpy(r->value_hmac, f[i].value_hash, sizeof(r->value_hmac));
        }
        rec->nredactions += nf;
    }
    return rec;
}

static int provider_index(const prov_adapter_t *a, int known)
{
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    for (size_t i = 0; known && i < n; i++)
        if (all[i] == a)
            return (int)i;
    return -1;
}

static void log_access(gw_call_t *call, h2o_req_t *req)
{
    gw_worker_t *w = call->worker;
    char ip[64] = "";
    struct sockaddr_storage ss;
    socklen_t sslen = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    if (sslen > 0)
        h2o_socket_getnumerichost((struct sockaddr *)&ss, sslen, ip);
    uint64_t end = now_ns();
    int64_t upstream_us = call->t_upstream_ns != 0 ? (int64_t)((end - call->t_upstream_ns) / 1000) : -1;
    char method[16];
    size_t ml = req->method.len < sizeof(method) - 1 ? req->method.len : sizeof(method) - 1;
    memcpy(method, req->method.base, ml);
    method[ml] = '\0';
    gw_access_rec_t rec = {
        .time_us = call->wall_start_us,
        .request_id = call->request_id,
        .method = method,
        .route = call->route.len ? call->route.base : "",
        .client = call->client != NULL ? call->client->name : NULL,
        .user = call->user.len ? call->user.base : NULL,
        .provider = call->provider != NULL ? call->provider->name : NULL,
        .remote_ip = ip,
        .protocol = protocol_name(req),
        .status = call->status != 0 ? call->status : (call->state == GW_CALL_FINISHED ? 200 : 499),
        .bytes_in = req->entity.base != NULL ? req->entity.len : 0,
        .bytes_out = call->bytes_out,
        .upstream_us = upstream_us,
        .overhead_us = (int64_t)(call->overhead_ns / 1000),
        .total_us = (int64_t)((end - call->t_start_ns) / 1000),
        .error = call->error_code,
    };
    if (call->state != GW_CALL_FINISHED && rec.error == NULL)
        rec.error = "client_closed";
    gw_accesslog_write(w->server->access_log, &rec, &w->log_scratch);
    gw_metrics_request(&w->metrics, provider_index(call->adapter, call->provider != NULL), rec.status, (uint64_t)rec.total_us,
                       (uint64_t)rec.overhead_us, rec.upstream_us, rec.bytes_in, rec.bytes_out);
    if (call->pii != NULL) {
        size_t nf;
        const pol_pii_finding_t *f = pol_pii_session_findings(call->pii, &nf);
        for (size_t i = 0; i < nf; i++)
            if (f[i].type >= 0 && f[i].type < GW_METRICS_PII_TYPES)
                gw_metrics_add(&w->metrics.redactions[f[i].type], 1);
    }
    if (w->server->store != NULL) {
        gw_call_rec_t *crec =
            !call->finished && call->provider != NULL && call->user.len != 0 ? make_call_record(call, rec.total_us) : NULL;
        gw_worker_submit(w, crec, gw_store_access_rec_from(&rec));
    }
}

/* ---- the journal: reservations and finished calls committed by the store's writer ------- */

enum { GW_JOURNAL_RESERVE = 1, GW_JOURNAL_FINISH = 2 };

/* Writer thread: posts the completion to the call's worker (the call is kept alive by the
 * reference its submitter took). */
static void journal_post(gw_call_t *call, int kind, int rc, int64_t bal)
{
    gw_worker_t *w = call->worker;
    call->jkind = kind;
    call->jrc = rc;
    call->jbal = bal;
    pthread_mutex_lock(&w->journal_mu);
    call->jnext = w->journal_done;
    w->journal_done = call;
    pthread_mutex_unlock(&w->journal_mu);
    uv_async_send(&w->journal_async);
}

static void on_journal_reserved(void *ctx, int rc, int64_t bal)
{
    journal_post(ctx, GW_JOURNAL_RESERVE, rc, bal);
}

static void on_journal_finished(void *ctx, int rc, int64_t bal)
{
    journal_post(ctx, GW_JOURNAL_FINISH, rc, bal);
}

/*
 * Hands the call's record and the settlement of its reservation to the journal (one transaction
 * for both, group-committed with other calls'). `wait`: the final send is held until the commit
 * (on_finish_committed sends it), so a client that saw a complete answer can always find it in
 * the call log, charged. `with_record` 0: the record went to the store already (settle only).
 * @return 0 when handed over (the worker's drain waits for it), -1 when there is nothing to do
 * or it could not be queued (logged: a settlement then stays open for crash recovery).
 */
static int finish_call(gw_call_t *call, int complete, int wait, int with_record)
{
    gw_worker_t *w = call->worker;
    gw_store_t *st = w->server->store;
    if (st == NULL || call->finished)
        return -1;
    int64_t actual = call->reserved ? settle_amount(call, complete) : 0;
    /* a prediction not terminal yet: its reservation is settled by the first terminal read */
    int settle = call->reserved && !call->pred.keep_open;
    if (call->idem_claimed)
        queue_ledger_job(call, 0, 0, call->status != 0 ? call->status : 499);
    gw_call_rec_t *rec = NULL;
    if (with_record && call->provider != NULL && call->user.len != 0)
        rec = make_call_record(call, (int64_t)((now_ns() - call->t_start_ns) / 1000));
    if (!settle && rec == NULL)
        return -1;
    call->finished = 1;
    call->refs++;
    w->inflight++;
    call->finishing = wait;
    int rc = gw_store_finish_async(st, rec, call->user.base, call->request_id, settle, actual, on_journal_finished, call);
    if (rc != 0) {
        fprintf(stderr, "aigw: the record of %s could not be queued (%d)%s\n", call->request_id, rc,
                settle ? "; its reservation is settled by crash recovery on the next start" : "");
        call->finishing = 0;
        call->refs--;
        w->inflight--;
        return -1;
    }
    return 0;
}

static void meter_reserved(gw_call_t *call, int status);
static void flush(gw_call_t *call);

/* Loop: the finished call is committed (or could not be, rc != 0: the response is ended as an
 * error, so the client never takes an unlogged answer for a complete one). */
static void on_finish_committed(gw_call_t *call)
{
    gw_worker_t *w = call->worker;
    if (call->finishing) {
        call->finishing = 0;
        if (call->jrc != 0) {
            call->upstream_failed = 1;
            call->error_code = "call_log_unavailable";
        }
        call->upstream_done = 1;
        flush(call);
    }
    release(call); /* finish_call's reference */
    gw_worker_request_done(w);
}

void gw_proxy_on_journal(uv_async_t *a)
{
    gw_worker_t *w = a->data;
    pthread_mutex_lock(&w->journal_mu);
    gw_call_t *list = w->journal_done, *rev = NULL;
    w->journal_done = NULL;
    pthread_mutex_unlock(&w->journal_mu);
    while (list != NULL) { /* posted newest first: reverse into posting order */
        gw_call_t *next = list->jnext;
        list->jnext = rev;
        rev = list;
        list = next;
    }
    while (rev != NULL) {
        gw_call_t *call = rev;
        rev = call->jnext;
        call->jnext = NULL;
        if (call->jkind == GW_JOURNAL_RESERVE) {
            call->meter_rc = call->jrc;
            call->balance_after = call->jbal;
            meter_reserved(call, 0);
        } else {
            on_finish_committed(call);
        }
    }
}

static void on_req_dispose(void *p)
{
    gw_call_t *call = *(gw_call_t **)p;
    gw_worker_t *w = call->worker;
    /* a forwarded or reserved call not finished yet (error, client gone, stream cut): its record
     * and settlement go to the journal now (retried there until committed; nobody waits) */
    if (call->reserved || call->t_upstream_ns != 0)
        finish_call(call, call->state == GW_CALL_FINISHED && !call->upstream_failed, 0, 1);
    if (!call->no_access_log)
        log_access(call, call->req);
    call->req = NULL;
    if (call->easy != NULL && !call->in_curl_cb) {
        /* client went away while the upstream transfer runs: cancel it now */
        gw_upstream_cancel(w->upstream, call->easy);
        call->easy = NULL;
        release(call); /* the transfer's reference */
    }
    if (call->retry_wait) {
        /* client went away during a retry's backoff */
        uv_timer_stop(&call->timer);
        call->retry_wait = 0;
        release(call); /* the transfer's reference, held by the wait */
    }
    release(call); /* the request's reference */
    gw_worker_request_done(w);
}

/* ---- streaming the response ------------------------------------------------------------ */

static void arm_timer(gw_call_t *call, uint64_t ms);

static void flush(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    if (req == NULL || call->send_inflight || call->state == GW_CALL_FINISHED || call->finishing)
        return;
    if (call->pending.len == 0 && !call->upstream_done)
        return;
    pol_buf_t tmp = call->inflight;
    call->inflight = call->pending;
    call->pending = tmp;
    pol_buf_reset(&call->pending);
    /* no provider or client key reaches the client, even split across upstream chunks: mask, and keep back a tail that
     * could be the start of one until the next chunk (or the end) decides */
    gw_secrets_mask(&call->secrets, call->inflight.base, call->inflight.len);
    size_t keep = call->upstream_done ? 0 : gw_secrets_holdback(&call->secrets, call->inflight.base, call->inflight.len);
    if (keep != 0 && pol_buf_append(&call->pending, call->inflight.base + call->inflight.len - keep, keep) == 0)
        call->inflight.len -= keep;
    if (call->inflight.len == 0 && !call->upstream_done)
        return;
    /* (a tail kept back above is never the body's last byte: the condition below is then false) */
    if (!call->upstream_done && call->inflight.len > 0 && call->upstream_length >= 0 && call->worker->server->store != NULL &&
        call->bytes_out + call->inflight.len >= (uint64_t)call->upstream_length) {
        /* a body framed by its length is complete for the client with its last byte: that byte
         * waits for the commit of the call's record (finish_call), like a final send does */
        call->inflight.len--;
        pol_buf_append(&call->pending, call->inflight.base + call->inflight.len, 1);
        if (call->inflight.len == 0)
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
        arm_timer(call, call->gen->cfg->upstream.idle_timeout_ms);
        /* may re-enter on_upstream_body synchronously with the held bytes */
        curl_easy_pause(call->easy, CURLPAUSE_CONT);
    }
    flush(call);
}

static void on_generator_stop(h2o_generator_t *gen, h2o_req_t *req)
{
    /* the client went away mid-response; on_req_dispose follows and cancels the transfer */
}

static void start_response(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    uint64_t t = now_ns();
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

/* ---- retries (gateway/retry.h) ---------------------------------------------------------- */

static uint64_t now_ms(void);
static void start_upstream(gw_call_t *call);
static void async_rewrite_urls(gw_call_t *call);
static void async_created(gw_call_t *call);
static int async_read(gw_call_t *call, long http_status);
static int answer_done(gw_call_t *call, long http_status, int resumed);
static size_t on_upstream_body(char *p, size_t size, size_t nmemb, void *ud);
static const h2o_header_t *find_header(h2o_req_t *req, const char *name, size_t len);

/* Whether an answer with `status` may still be retried: then it is held, not forwarded. */
static int retry_may_follow(gw_call_t *call, int status)
{
    const gw_retry_conf_t *c = call->retry_conf;
    if (c == NULL || call->attempts > c->max_retries)
        return 0;
    for (size_t i = 0; i < c->nstatuses; i++)
        if (c->statuses[i] == status)
            return 1;
    return 0;
}

/* The headers of a held answer that steer the retry (as the SDKs read them). */
static void retry_header(gw_call_t *call, const char *name, size_t nl, const char *value, size_t vl)
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
    const h2o_header_t *ik = find_header(req, H2O_STRLIT("idempotency-key"));
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
static size_t url_origin_len(const pol_buf_t *url)
{
    const char *p = memchr(url->base, ':', url->len);
    if (p == NULL || (size_t)(url->base + url->len - p) < 3 || p[1] != '/' || p[2] != '/')
        return url->len;
    const char *slash = memchr(p + 3, '/', (size_t)(url->base + url->len - (p + 3)));
    return slash != NULL ? (size_t)(slash - url->base) : url->len;
}

/* Counts an attempt's outcome in its origin's breaker. */
static void retry_record(gw_call_t *call, int failure)
{
    gw_server_t *srv = call->worker->server;
    if (srv->retry != NULL && call->retry_conf != NULL)
        gw_retry_record(srv->retry, call->retry_host, -1, call->retry_conf, now_ms(), 0, failure);
}

/* Forgets everything the failed attempt left in the call (its headers in the h2o response too). */
static void reset_attempt(gw_call_t *call)
{
    if (call->req != NULL)
        call->req->res.headers.size = call->res_headers_base;
    pol_buf_reset(&call->url);
    pol_buf_reset(&call->errbody);
    pol_buf_reset(&call->held);
    pol_buf_reset(&call->resp_json);
    pol_buf_reset(&call->resp_log);
    pol_buf_reset(&call->usage_tee);
    if (call->sse) {
        prov_sse_dispose(&call->sse_parser);
        call->sse = 0;
    }
    call->json_resp = 0;
    call->restore = GW_RESTORE_NONE;
    memset(&call->usage_state, 0, sizeof(call->usage_state));
    memset(&call->usage, 0, sizeof(call->usage));
    call->upstream_status = 0;
    call->upstream_length = -1;
    call->upstream_received = 0;
    call->map_upstream_error = call->curl_paused = call->send_inflight = 0;
    call->upstream_done = call->upstream_failed = 0;
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
        start_upstream(call); /* takes its own transfer reference, or answers the request */
    }
    release(call); /* the wait's reference */
}

/* After an attempt failed before any response byte went to the client: schedules the next
 * attempt (returns 1; the transfer's reference moves to the backoff timer) or returns 0, after
 * which the failure is answered as usual (a held answer is forwarded as it came). */
static int retry_or_release(gw_call_t *call, CURLcode result)
{
    gw_server_t *srv = call->worker->server;
    int kind = result != CURLE_OK ? curl_failure_kind(result) : call->retry_hold ? GW_RETRY_FAIL_STATUS : -1;
    if (kind >= 0 && srv->retry != NULL && call->retry_conf != NULL && call->timer_ready) {
        uint64_t now = now_ms();
        gw_retry_input_t in = {(gw_retry_fail_t)kind,
                               (int)call->upstream_status,
                               kind == GW_RETRY_FAIL_STATUS ? call->retry_after_ms : -1,
                               kind == GW_RETRY_FAIL_STATUS ? call->should_retry : -1,
                               call->side_effects,
                               call->attempts,
                               now - call->t_first_attempt_ms};
        int64_t delay = gw_retry_should(srv->retry, call->retry_host, provider_index(call->up, 1), call->retry_conf, &in, now,
                                        randombytes_random());
        if (delay >= 0) {
            call->retry_wait = 1;
            uv_timer_start(&call->timer, on_retry_timer, (uint64_t)delay, 0);
            return 1;
        }
    }
    if (call->retry_hold) {
        call->retry_hold = 0;
        if (call->held.len != 0)
            on_upstream_body(call->held.base, 1, call->held.len, call);
        if (call->timer_ready)
            uv_timer_stop(&call->timer); /* armed by the replay; the transfer is over */
    }
    return 0;
}

/* ---- upstream callbacks ---------------------------------------------------------------- */

static void on_timeout(uv_timer_t *t)
{
    gw_call_t *call = t->data;
    if (call->easy == NULL || call->req == NULL)
        return;
    gw_upstream_cancel(call->worker->upstream, call->easy);
    call->easy = NULL;
    retry_record(call, 1);
    if (call->state == GW_CALL_UPSTREAM) {
        send_error(call, 504, "server_error", "upstream_timeout", NULL,
                   call->t_headers_ns == 0 ? "aigw: the upstream provider did not answer within upstream.first_byte_timeout_ms"
                                           : "aigw: the upstream provider stalled longer than upstream.idle_timeout_ms");
    } else {
        call->error_code = "upstream_idle_timeout";
        if (call->upstream_status >= 200 && call->upstream_status < 300)
            call->bill.outcome = GW_OUTCOME_IDLE_TIMEOUT;
        call->upstream_done = 1;
        call->upstream_failed = 1;
        flush(call);
    }
    release(call); /* the transfer's reference */
}

static void arm_timer(gw_call_t *call, uint64_t ms)
{
    if (call->timer_ready)
        uv_timer_start(&call->timer, on_timeout, ms, 0);
}

/* pii.scan_responses applies to this answer: the rules for its wire format (NULL: not scanned). */
static const pol_json_paths_t *output_scanned(gw_call_t *call)
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
    if (call->restorer == NULL)
        call->restorer = pol_restore_stream_create(gw_privacy_restore_cb, &call->out_ctx);
    else
        pol_restore_stream_reset(call->restorer, gw_privacy_restore_cb, &call->out_ctx);
    if (call->restorer == NULL)
        return -1;
    pol_restore_stream_set_scan(call->restorer, output_scanned(call), gw_privacy_scan_output);
    return 0;
}

static size_t on_upstream_header(char *line, size_t size, size_t nitems, void *ud)
{
    gw_call_t *call = ud;
    size_t n = size * nitems;
    const char *name, *value;
    size_t nl, vl;
    if (call->req == NULL)
        return 0; /* client gone: abort the transfer */
    if (call->t_headers_ns == 0)
        arm_timer(call, call->gen->cfg->upstream.idle_timeout_ms);
    switch (gw_headers_parse_line(line, n, &name, &nl, &value, &vl)) {
    case 1: { /* status line: "HTTP/1.1 200 OK" or "HTTP/2 200" */
        const char *sp = memchr(line, ' ', n);
        long st = 0;
        if (sp != NULL)
            for (const char *q = sp + 1; q < line + n && *q >= '0' && *q <= '9'; q++)
                st = st * 10 + (*q - '0');
        call->upstream_status = st;
        call->map_upstream_error = st >= 500;
        call->retry_hold = st >= 200 && retry_may_follow(call, (int)st);
        break;
    }
    case 2: /* end of a header block; 1xx blocks are followed by the real one */
        if (call->upstream_status >= 200)
            call->t_headers_ns = now_ns();
        break;
    case 0:
        if (nl == 14 && strncasecmp(name, "content-length", 14) == 0) {
            int64_t v = 0;
            size_t i = 0;
            for (; i < vl && value[i] >= '0' && value[i] <= '9' && v < ((int64_t)1 << 50); i++)
                v = v * 10 + (value[i] - '0');
            call->upstream_length = i == vl && vl > 0 ? v : -1;
        }
        if (call->upstream_status >= 200 && !call->map_upstream_error && nl == 12 && strncasecmp(name, "content-type", 12) == 0) {
            if (vl >= 17 && strncasecmp(value, "text/event-stream", 17) == 0) {
                if (!call->sse) {
                    prov_sse_init(&call->sse_parser, 0);
                    call->sse = 1;
                }
                if (call->need_restore || output_scanned(call)) {
                    if (prepare_restorer(call) == 0)
                        call->restore = GW_RESTORE_SSE;
                    else if (output_scanned(call))
                        return 0; /* model text cannot be scanned: abort rather than pass it on */
                }
            } else if (vl >= 16 && strncasecmp(value, "application/json", 16) == 0) {
                call->json_resp = 1;
                /* held until complete: to restore tokens, or to charge before the headers go out */
                if (call->need_restore || call->reserved || (call->async_rewrite && call->upstream_status < 300) ||
                    (call->pred.kind == GW_ASYNC_READ && call->upstream_status < 300) ||
                    (output_scanned(call) && call->upstream_status < 300))
                    call->restore = GW_RESTORE_JSON;
            }
        }
        if (call->retry_hold)
            retry_header(call, name, nl, value, vl);
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
    default:
        break;
    }
    return n;
}

/* Emits one event block (raw bytes as received) toward the client. */
static int emit_block(gw_call_t *call, const char *raw, size_t len)
{
    if (call->restore == GW_RESTORE_SSE)
        return pol_restore_stream_feed(call->restorer, raw, len, &call->pending) < 0 ? -1 : 0;
    return pol_buf_append(&call->pending, raw, len);
}

/* Every complete SSE block of the response: usage extraction, then forwarding. */
static int on_sse_block(void *ctx, const prov_sse_event_t *ev)
{
    gw_call_t *call = ctx;
    if (call->need_usage && ev->has_data && call->usage_ad->usage_from_event != NULL)
        call->usage_ad->usage_from_event(&call->usage_state, ev);
    if (call->strip_usage_chunk && ev->has_data && prov_usage_is_usage_only_chunk(ev->data, ev->data_len))
        return 0;
    if (call->need_usage && ev->has_data)
        gw_billing_delivered(&call->bill, ev->data, ev->data_len);
    if (call->async_restore)
        return gw_async_sse_event(&call->async_sse, &call->async_cap, ev, &call->pending);
    return emit_block(call, ev->raw, ev->raw_len);
}

static size_t on_upstream_body(char *p, size_t size, size_t nmemb, void *ud)
{
    gw_call_t *call = ud;
    size_t n = size * nmemb, consumed = n;
    if (call->req == NULL)
        return 0;
    if (call->retry_hold && !call->map_upstream_error) {
        /* a retryable answer (429, 408, 409) is held until the transfer ends: it is either retried or
         * forwarded as it came; one too large to hold is forwarded now and not retried */
        if (pol_buf_append(&call->held, p, n) != 0)
            return 0;
        if (call->held.len <= GW_ERRBODY_MAX)
            return consumed;
        call->retry_hold = 0;
        p = call->held.base;
        n = call->held.len;
    }
    if (call->map_upstream_error) {
        size_t room = GW_ERRBODY_MAX - call->errbody.len;
        pol_buf_append(&call->errbody, p, n < room ? n : room);
        return consumed;
    }
    if (call->send_inflight && call->pending.len >= GW_PENDING_HIGH) {
        call->curl_paused = 1;
        if (call->timer_ready)
            uv_timer_stop(&call->timer); /* a slow client is not an idle upstream */
        return CURL_WRITEFUNC_PAUSE;
    }
    arm_timer(call, call->gen->cfg->upstream.idle_timeout_ms);
    uint64_t t0 = now_ns();
    if (call->worker->server->log_bodies && call->worker->server->store != NULL && call->resp_log.len < GW_LOG_BODY_MAX) {
        size_t room = GW_LOG_BODY_MAX - call->resp_log.len;
        pol_buf_append(&call->resp_log, p, n < room ? n : room);
    }
    if (call->restore == GW_RESTORE_JSON) {
        /* non-streaming JSON: restore needs the whole document; answered at transfer end */
        if (call->resp_json.len + n <= GW_RESTORE_JSON_MAX) {
            int ok = pol_buf_append(&call->resp_json, p, n) == 0;
            call->overhead_ns += now_ns() - t0;
            return ok ? consumed : 0;
        }
        call->restore = GW_RESTORE_NONE; /* too large: pass through as it is */
        if (pol_buf_append(&call->pending, call->resp_json.base, call->resp_json.len) != 0)
            return 0;
        pol_buf_reset(&call->resp_json);
    }
    if (call->state == GW_CALL_UPSTREAM)
        start_response(call);
    int rc;
    if (call->sse) {
        rc = prov_sse_feed(&call->sse_parser, p, n, on_sse_block, call) < 0 ? -1 : 0;
    } else {
        rc = pol_buf_append(&call->pending, p, n);
        if (call->need_usage && call->json_resp && call->usage_ad->usage_from_json != NULL &&
            call->usage_tee.len + n <= GW_USAGE_TEE_MAX)
            pol_buf_append(&call->usage_tee, p, n);
    }
    if (rc < 0)
        return 0;
    call->upstream_received += n;
    if (call->restore == GW_RESTORE_NONE && !call->sse && call->upstream_length >= 0 &&
        call->upstream_received >= (uint64_t)call->upstream_length && call->worker->server->store == NULL)
        call->upstream_done = 1; /* all announced bytes are here: send them as the final part (with a store,
                                  * the last byte waits for the call's record: on_upstream_done) */
    call->overhead_ns += now_ns() - t0;
    int nested = call->in_curl_cb; /* a held answer replayed from on_upstream_done is not inside curl */
    call->in_curl_cb = 1;
    flush(call);
    call->in_curl_cb = nested;
    return call->req != NULL ? consumed : 0;
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

/* Message for a mapped upstream 5xx: the provider's own error message if it has one. */
static void upstream_error_message(gw_call_t *call, char *msg, size_t len)
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

static void on_upstream_done(gw_upstream_req_t *self, CURLcode result, long http_status)
{
    gw_call_t *call = (gw_call_t *)((char *)self - offsetof(gw_call_t, upreq));
    call->easy = NULL;
    if (call->timer_ready)
        uv_timer_stop(&call->timer);
    if (call->req == NULL) {
        release(call);
        return;
    }
    if (result != CURLE_WRITE_ERROR && result != CURLE_ABORTED_BY_CALLBACK)
        retry_record(call, result != CURLE_OK || call->upstream_status == 500 || call->upstream_status == 502 ||
                               call->upstream_status == 503 || call->upstream_status == 504 || call->upstream_status == 529);
    if (call->state == GW_CALL_UPSTREAM && retry_or_release(call, result))
        return; /* the next attempt follows after the backoff */
    if (result != CURLE_OK) {
        /* an answer that started (2xx headers) and then broke: billed for what was delivered */
        if (call->t_headers_ns != 0 && call->upstream_status >= 200 && call->upstream_status < 300 && !call->map_upstream_error)
            call->bill.outcome = GW_OUTCOME_RESET;
        if (call->state == GW_CALL_UPSTREAM && call->bill.outcome != NULL) {
            /* a JSON answer held for restore / settlement and cut mid-body: nothing usable reaches the client */
            char msg[300];
            snprintf(msg, sizeof(msg), "aigw: upstream %s cut its answer mid-body (%s)", call->provider->name,
                     curl_easy_strerror(result));
            send_error(call, 502, "server_error", call->bill.outcome, NULL, msg);
        } else if (call->state == GW_CALL_UPSTREAM) {
            char msg[300];
            int timeout = result == CURLE_OPERATION_TIMEDOUT;
            snprintf(msg, sizeof(msg), "aigw: cannot reach upstream %s: %s", call->provider->name, curl_easy_strerror(result));
            send_error(call, timeout ? 504 : 502, "server_error", timeout ? "upstream_timeout" : "upstream_unreachable", NULL, msg);
        } else {
            call->error_code = call->bill.outcome != NULL ? call->bill.outcome : "upstream_reset";
            call->upstream_done = 1;
            call->upstream_failed = 1;
            flush(call);
        }
    } else if (call->map_upstream_error) {
        char msg[400];
        upstream_error_message(call, msg, sizeof(msg));
        send_error(call, 502, "server_error", "upstream_error", NULL, msg);
    } else if (!answer_done(call, http_status, 0)) {
        return; /* a later read of a prediction: the store lookup runs first (async_read_done resumes) */
    }
    release(call);
}

/* The end of a complete upstream answer: usage, restore, the response's start and its last bytes
 * after the call's record is committed. `resumed`: after async_read's store lookup (the usage
 * was read already). @return 1 done, 0 deferred to the thread pool (it holds the transfer's reference). */
static int answer_done(gw_call_t *call, long http_status, int resumed)
{
    uint64_t t0 = now_ns();
    if (!resumed) {
        if (call->sse && call->need_usage && call->usage_ad->usage_from_event != NULL && call->usage_state.events != 0 &&
            !call->usage_state.done && call->upstream_status >= 200 && call->upstream_status < 300) {
            /* closed cleanly without the provider's terminal event: a truncated stream */
            call->bill.outcome = GW_OUTCOME_TRUNCATED;
            call->error_code = GW_OUTCOME_TRUNCATED;
        }
        if (call->sse) {
            /* a stream cut mid-event: forward the partial bytes as they are */
            size_t plen = 0;
            const char *part = prov_sse_finish(&call->sse_parser) != 0 ? prov_sse_pending(&call->sse_parser, &plen) : NULL;
            if (call->async_restore)
                gw_async_sse_finish(&call->async_sse, &call->pending);
            if (part != NULL && plen != 0)
                emit_block(call, part, plen);
        }
        if (call->need_usage && call->json_resp && call->usage_ad->usage_from_json != NULL) {
            const pol_buf_t *b = call->restore == GW_RESTORE_JSON ? &call->resp_json : &call->usage_tee;
            if (b->len != 0)
                call->usage_ad->usage_from_json(b->base, b->len, &call->usage);
        }
        if (async_read(call, http_status))
            return 0;
    }
    if (call->restore == GW_RESTORE_JSON) {
        int changed = 0;
        if (call->reserved)
            call->charged = actual_cost(call, 1);
        int scan = output_scanned(call) && call->upstream_status < 300, prc = 0;
        if ((call->need_restore || scan) &&
            (prc =
                 gw_privacy_response_json(call->gen->privacy, gw_gen_scratch(call->gen, call->worker), scan ? call->usage_ad : NULL,
                                          call->pii, call->resp_json.base, call->resp_json.len, &call->pending, &changed)) != 0 &&
            scan) {
            /* the answer could not be scanned: it is not sent (fail closed) */
            pol_buf_reset(&call->pending);
            call->adapter->error_body(&call->pending, 500, "server_error", "internal_error", NULL,
                                      "aigw: the privacy scan of the answer failed");
            call->upstream_status = 500;
            changed = 1;
        }
        if ((prc != 0 && !scan) || !changed) {
            pol_buf_reset(&call->pending);
            pol_buf_append(&call->pending, call->resp_json.base, call->resp_json.len);
        }
        if (call->pred.vault.n != 0 && call->upstream_status < 300 &&
            gw_async_restore_json(&call->pred.vault, call->pending.base, call->pending.len, &call->async_out) == 1) {
            pol_buf_t t = call->pending; /* a later read: the creating request's values restored */
            call->pending = call->async_out;
            call->async_out = t;
        }
        if (call->pred.kind == GW_ASYNC_CREATE)
            async_created(call);
        if (call->async_rewrite && call->upstream_status < 300)
            async_rewrite_urls(call);
    } else if (call->restore == GW_RESTORE_SSE) {
        pol_restore_stream_finish(call->restorer, &call->pending); /* flushes held-back token prefixes */
    }
    call->overhead_ns += now_ns() - t0;
    if (call->state == GW_CALL_UPSTREAM) {
        if (call->upstream_status == 0)
            call->upstream_status = http_status;
        start_response(call);
    }
    /* the last bytes wait for the commit of the call's record and settlement */
    if (finish_call(call, 1, 1, 1) != 0) {
        call->upstream_done = 1;
        flush(call);
    }
    return 1;
}

/* ---- the request ----------------------------------------------------------------------- */

typedef struct st_gw_route_t {
    enum {
        GW_ROUTE_NONE,
        GW_ROUTE_HEALTHZ,
        GW_ROUTE_READYZ,
        GW_ROUTE_METRICS,
        GW_ROUTE_ADMIN,
        GW_ROUTE_CONSOLE,
        GW_ROUTE_PROVIDER
    } kind;
    const prov_adapter_t *adapter;
    int unified;                /* /v1/: OpenAI format, provider by model */
    const prov_adapter_t *wire; /* native route on the provider's OpenAI-compatible API: the format's adapter, else NULL */
    const char *rest;           /* path after the route prefix, with query */
    size_t rest_len;
} gw_route_t;

static int prefix_eq(const char *p, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(p, prefix, n) == 0;
}

static int path_is(const char *p, size_t len, const char *want)
{
    size_t n = strlen(want);
    return (len == n && memcmp(p, want, n) == 0) || (len > n && memcmp(p, want, n) == 0 && p[n] == '?');
}

/* The adapter of the wire format a native route speaks when its upstream path lies under the
 * provider's OpenAI-compatible API (Gemini: /gemini/v1beta/openai/... is /v1beta/openai/...
 * upstream, OpenAI's chat format), else NULL. Declared by the adapter (compat_prefix, compat_wire). */
static const prov_adapter_t *compat_wire_of(const prov_adapter_t *a, const char *rest, size_t len)
{
    size_t ul = strlen(a->upstream_prefix);
    if (a->compat_wire == NULL || a->compat_prefix == NULL || strncmp(a->compat_prefix, a->upstream_prefix, ul) != 0)
        return NULL;
    const char *sub = a->compat_prefix + ul; /* "openai/" */
    size_t sl = strlen(sub);
    return sl != 0 && len >= sl && memcmp(rest, sub, sl) == 0 ? a->compat_wire : NULL;
}

/* Routes (DESIGN.md section 4): native /<provider>/... prefixes, and /v1/ for the
 * OpenAI-compatible surface (provider by model from config "models" arrives with the
 * providers issue; today /v1/ is OpenAI). */
static void route_match(const char *path, size_t len, gw_route_t *r)
{
    memset(r, 0, sizeof(*r));
    if (path_is(path, len, "/healthz")) {
        r->kind = GW_ROUTE_HEALTHZ;
        return;
    }
    if (path_is(path, len, "/readyz")) {
        r->kind = GW_ROUTE_READYZ;
        return;
    }
    if (path_is(path, len, "/metrics")) {
        r->kind = GW_ROUTE_METRICS;
        return;
    }
    if (prefix_eq(path, len, "/admin/api/")) {
        r->kind = GW_ROUTE_ADMIN;
        return;
    }
    if (path_is(path, len, "/admin") || prefix_eq(path, len, "/admin/")) {
        r->kind = GW_ROUTE_CONSOLE;
        return;
    }
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    for (size_t i = 0; i < n; i++) {
        size_t pl = strlen(all[i]->route_prefix);
        /* "/fal" and "/fal?x" reach the "/fal/" route too (SDK proxy URLs have no trailing slash) */
        if (len >= pl - 1 && memcmp(path, all[i]->route_prefix, pl - 1) == 0 && (len == pl - 1 || path[pl - 1] == '?')) {
            r->kind = GW_ROUTE_PROVIDER;
            r->adapter = all[i];
            r->rest = path + pl - 1;
            r->rest_len = len - (pl - 1);
            return;
        }
        if (prefix_eq(path, len, all[i]->route_prefix)) {
            r->kind = GW_ROUTE_PROVIDER;
            r->adapter = all[i];
            r->rest = path + pl;
            r->rest_len = len - pl;
            r->wire = compat_wire_of(all[i], r->rest, r->rest_len);
            return;
        }
    }
    if (prefix_eq(path, len, "/v1/")) {
        r->kind = GW_ROUTE_PROVIDER;
        r->adapter = &prov_openai; /* the wire format; the provider is chosen by model later */
        r->unified = 1;
        r->rest = path + 4;
        r->rest_len = len - 4;
    }
}

static const h2o_header_t *find_header(h2o_req_t *req, const char *name, size_t len)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, len, -1);
    return i >= 0 ? &req->headers.entries[i] : NULL;
}

/* The client credential for the route's auth style (any of the provider-native headers). */
static int client_credential(h2o_req_t *req, const char **key, size_t *len)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    if (i >= 0)
        return gw_auth_parse_authorization(req->headers.entries[i].value.base, req->headers.entries[i].value.len, key, len);
    const h2o_header_t *h = find_header(req, H2O_STRLIT("x-api-key"));
    if (h == NULL)
        h = find_header(req, H2O_STRLIT("x-goog-api-key"));
    if (h == NULL || h->value.len == 0)
        return -1;
    *key = h->value.base;
    *len = h->value.len;
    return 0;
}

/* RFC 9112 section 6.3 (request smuggling): h2o 2.2.5 drops Content-Length and Transfer-Encoding before the handler
 * and frames by the first Content-Length or the last Transfer-Encoding, so the raw head is checked. While the
 * handler runs, h2o's HTTP/1 connection keeps the request head at the start of the socket's input buffer, followed by
 * the body (phr_parse_request parses the buffer in place; it is consumed when the response ends). */
static int conflicting_framing(h2o_req_t *req)
{
    h2o_socket_t *sock = req->conn->callbacks->get_socket != NULL ? req->conn->callbacks->get_socket(req->conn) : NULL;
    if (sock == NULL || sock->input == NULL)
        return 0;
    const char *b = sock->input->bytes;
    size_t avail = sock->input->size;
    if (avail < req->input.method.len || memcmp(b, req->input.method.base, req->input.method.len) != 0)
        return 0; /* not h2o's in-buffer request head (never the case for HTTP/1 in 2.2.5) */
    if (req->entity.base != NULL && req->entity.base > b && req->entity.base <= b + avail)
        avail = (size_t)(req->entity.base - b); /* the head ends where the body starts */
    return gw_headers_conflicting_framing(b, avail);
}

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

/* The privacy pass over a JSON body: validates it, captures user/model/stream, scrubs every
 * text field the adapter names. Answers the request itself on bad input or a `block` action. */
static int scrub_body(gw_call_t *call, h2o_req_t *req, int multipart, int soft)
{
    gw_worker_t *w = call->worker;
    const gw_privacy_t *pv = call->gen->privacy;
    gw_privacy_scratch_t *scratch = gw_gen_scratch(call->gen, w); /* made in call_acquire */
    call->pii_seq = call->gen->seq;
    if (call->pii == NULL && (call->pii = pol_pii_session_create(gw_privacy_engine(pv))) == NULL) {
        send_error(call, 500, "server_error", "internal_error", NULL, "aigw: out of memory");
        return -1;
    }
    const char *err_desc = "invalid JSON";
    size_t err_off = 0;
    int changed = 0;
    int rc;
    if (multipart) {
        ssize_t ci = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
        h2o_iovec_t ct = req->headers.entries[ci].value;
        rc = gw_privacy_scrub_multipart(pv, scratch, call->pii, ct.base, ct.len, req->entity.base, req->entity.len,
                                        &call->body_rewritten, &changed, &call->info, &err_desc);
    } else {
        rc = gw_privacy_scrub_request(pv, scratch, call->adapter, call->pii, req->entity.base, req->entity.len,
                                      &call->body_rewritten, &changed, &call->info, &err_desc, &err_off);
    }
    if (rc != 0) {
        char msg[256];
        if (soft && !multipart && (rc == POL_JSON_E_UTF8 || rc == POL_JSON_E_SYNTAX))
            return 1; /* not JSON: the caller decides (415, or binary pass-through) */
        if (rc == GW_PRIVACY_E_REFUSED) {
            send_error(call, call->info.refusal_status, "invalid_request_error", call->info.refusal_code, NULL, call->info.refusal);
        } else if (multipart && rc != -1) {
            snprintf(msg, sizeof(msg), "aigw: the multipart/form-data body is malformed (%s)", err_desc != NULL ? err_desc : "?");
            send_error(call, 400, "invalid_request_error", "invalid_multipart", NULL, msg);
        } else if (rc == POL_JSON_E_UTF8) {
            snprintf(msg, sizeof(msg), "aigw: the request body is not valid UTF-8 JSON (at byte %zu: %s)", err_off, err_desc);
            send_error(call, 400, "invalid_request_error", "invalid_utf8", NULL, msg);
        } else if (rc == POL_JSON_E_DUPKEY) {
            snprintf(msg, sizeof(msg), "aigw: the request body names an object key twice (at byte %zu: %s); RFC 8259 section 4",
                     err_off, err_desc);
            send_error(call, 400, "invalid_request_error", "duplicate_key", NULL, msg);
        } else if (rc == POL_JSON_E_SYNTAX || rc == POL_JSON_E_DEPTH) {
            snprintf(msg, sizeof(msg), "aigw: the request body is not valid JSON (at byte %zu: %s)", err_off, err_desc);
            send_error(call, 400, "invalid_request_error", "invalid_json", NULL, msg);
        } else {
            send_error(call, 500, "server_error", "internal_error", NULL, "aigw: the privacy scan failed");
        }
        return -1;
    }
    size_t nf;
    const pol_pii_finding_t *f = pol_pii_session_findings(call->pii, &nf);
    call->redactions = nf;
    for (size_t i = 0; i < nf; i++)
        if (f[i].action == POL_PII_ACT_TOKENIZE)
            call->need_restore = 1;
    pol_buf_t types = POL_BUF_INIT;
    if (pol_pii_session_blocked(call->pii, &types)) {
        char msg[400];
        snprintf(msg, sizeof(msg),
                 "aigw: the request was blocked because it contains personal data of type %s (policy pii.actions); remove it "
                 "and retry",
                 types.base != NULL ? types.base : "?");
        pol_buf_free(&types);
        gw_metrics_add(&call->worker->metrics.pii_blocked, 1);
        send_error(call, 403, "invalid_request_error", "pii_blocked", NULL, msg);
        return -1;
    }
    pol_buf_free(&types);
    if (changed) {
        call->body = call->body_rewritten.base;
        call->body_len = call->body_rewritten.len;
    }
    if (call->user.len == 0 && call->info.user.len != 0) {
        if (!gw_auth_user_id_valid(call->info.user.base, call->info.user.len)) {
            send_error(call, 400, "invalid_request_error", "invalid_user", "user",
                       "aigw: the body's user / safety_identifier must be 1..256 bytes of UTF-8 text without control characters");
            return -1;
        }
        pol_buf_append(&call->user, call->info.user.base, call->info.user.len);
    }
    return 0;
}

/* Whether `text` (`len` bytes) holds personal data of a strongly validated type (e-mail, Luhn-checked card, mod-97
 * IBAN, SSN) whose configured action is not "allow"; *type receives its id, *at its byte offset. Weaker types (phone numbers,
 * dates, names, secrets) are left out here: ids, timestamps and version hashes in paths would match them. */
static int strong_pii(gw_call_t *call, const char *text, size_t len, int *type, size_t *at)
{
    gw_worker_t *w = call->worker;
    const pol_pii_engine_t *e = gw_privacy_engine(call->gen->privacy);
    gw_privacy_scratch_t *sc = gw_gen_scratch(call->gen, w);
    const pol_pii_entity_t *ents;
    size_t n = 0;
    if (len == 0 || sc == NULL || sc->pii == NULL || pol_pii_scan(e, sc->pii, text, len, &ents, &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int t = ents[i].type;
        if ((t == POL_PII_EMAIL_ADDRESS || t == POL_PII_CREDIT_CARD || t == POL_PII_IBAN_CODE || t == POL_PII_US_SSN) &&
            pol_pii_engine_action(e, t) != POL_PII_ACT_ALLOW) {
            *type = t;
            *at = ents[i].start;
            return 1;
        }
    }
    return 0;
}

/* No byte leaves unscanned (issue 10): the body has its privacy pass; the canonical path, the query and every header
 * that would be forwarded are scanned here. Personal data there cannot be replaced without changing what the provider
 * does (a path names a resource), so the request is refused with 400. Answers the request itself. */
static int pii_outside_body(gw_call_t *call, h2o_req_t *req)
{
    pol_buf_t *t = &gw_gen_scratch(call->gen, call->worker)->tmp; /* made in call_acquire */
    const char *where = NULL;
    int type = -1;
    /* the target percent-decoded, '+' as space in the query, parameters on lines of their own */
    pol_buf_reset(t);
    size_t qs = call->route.len;
    for (size_t i = 0; i < call->target.len; i++) {
        char c = call->target.base[i];
        if (c == '%' && i + 2 < call->target.len && isxdigit((unsigned char)call->target.base[i + 1]) &&
            isxdigit((unsigned char)call->target.base[i + 2])) {
            char hx[3] = {call->target.base[i + 1], call->target.base[i + 2], '\0'};
            c = (char)strtol(hx, NULL, 16);
            i += 2;
        } else if (i > qs && c == '+') {
            c = ' ';
        } else if (i >= qs && (c == '&' || c == '?' || c == '=')) {
            c = '\n';
        } else if (c == '/') {
            c = ' ';
        }
        if (pol_buf_append(t, &c, 1) != 0)
            return 0;
    }
    /* then every forwarded header value, one per line: one scan per request */
    size_t url_len = t->len;
    ssize_t ci = h2o_find_header(&req->headers, H2O_TOKEN_CONNECTION, -1);
    h2o_iovec_t conn = ci >= 0 ? req->headers.entries[ci].value : h2o_iovec_init(NULL, 0);
    for (size_t i = 0; i != req->headers.size; i++) {
        const h2o_header_t *h = &req->headers.entries[i];
        if (gw_headers_drop_request(h->name->base, h->name->len) ||
            (conn.len != 0 && gw_headers_in_connection(conn.base, conn.len, h->name->base, h->name->len)))
            continue; /* not forwarded */
        if (pol_buf_append(t, "\n", 1) != 0 || pol_buf_append(t, h->value.base, h->value.len) != 0)
            return 0;
    }
    size_t at = 0;
    if (strong_pii(call, t->base, t->len, &type, &at))
        where = at < url_len ? "URL" : "header";
    if (where == NULL)
        return 0;
    char msg[300];
    snprintf(msg, sizeof(msg),
             "aigw: the request %s contains personal data of type %s, which cannot be removed from it without changing the "
             "request; send it in the body, where it is scrubbed",
             where, pol_pii_type_name(gw_privacy_engine(call->gen->privacy), type));
    send_error(call, 400, "invalid_request_error", where[0] == 'U' ? "pii_in_url" : "pii_in_header", NULL, msg);
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

/* Bodies by content, not by label (issue 10): multipart/form-data is parsed by its boundary; any other body is JSON
 * if it parses as JSON, whatever its Content-Type says (text/plain from fetch() and curl -d, form-urlencoded, none);
 * what aigw cannot parse and scan is refused with 415 unless config names the route binary pass-through.
 * Answers the request itself on refusal. */
static int read_body(gw_call_t *call, h2o_req_t *req, const gw_route_t *r)
{
    ssize_t ci = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (ci >= 0 && h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, ci) >= 0) {
        send_error(call, 400, "invalid_request_error", "duplicate_content_type", NULL,
                   "aigw: more than one Content-Type header; send exactly one");
        return -1;
    }
    h2o_iovec_t ct = ci >= 0 ? req->headers.entries[ci].value : h2o_iovec_init(NULL, 0);
    int binary_ok = binary_route(call, r);
    ssize_t ei = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_ENCODING, -1);
    if (ei >= 0 && !h2o_lcstris(req->headers.entries[ei].value.base, req->headers.entries[ei].value.len, H2O_STRLIT("identity"))) {
        if (binary_ok) {
            call->binary = 1;
            return 0;
        }
        send_error(call, 415, "invalid_request_error", "unsupported_content_encoding", NULL,
                   "aigw: compressed request bodies (Content-Encoding) cannot be scanned for personal data; send the body "
                   "uncompressed");
        return -1;
    }
    if (media_type_is(ct, "multipart/form-data")) {
        call->multipart = 1;
        return scrub_body(call, req, 1, 0);
    }
    int rc = scrub_body(call, req, 0, !declared_json(ct));
    if (rc <= 0)
        return rc;
    if (binary_ok) {
        call->binary = 1; /* forwarded unscanned: the operator declared this route binary */
        return 0;
    }
    char msg[300];
    snprintf(msg, sizeof(msg),
             "aigw: the request body is neither JSON nor multipart/form-data (Content-Type: %.*s); aigw forwards only bodies "
             "it can scan for personal data (binary uploads: config providers.%s.binary_routes)",
             ct.base != NULL ? (int)(ct.len < 60 ? ct.len : 60) : 4, ct.base != NULL ? ct.base : "none", call->up->name);
    for (char *c = msg; *c != '\0'; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
            *c = '?'; /* the header value is the client's: keep the message printable ASCII */
    send_error(call, 415, "invalid_request_error", "unsupported_media_type", NULL, msg);
    return -1;
}

static int notrain_sets_header(const pol_notrain_decision_t *d, const char *name, size_t len)
{
    for (size_t i = 0; i < d->nheaders; i++)
        if (strlen(d->headers[i].name) == len && strncasecmp(d->headers[i].name, name, len) == 0)
            return 1;
    return 0;
}

/* Appends the path and query `p` (`len` bytes) without the query parameters the no-training
 * decision removes (fal_webhook). */
static int append_path_query(pol_buf_t *url, const char *p, size_t len, const pol_notrain_decision_t *d)
{
    const char *q = memchr(p, '?', len);
    if (q == NULL || d->ndrop_query == 0)
        return pol_buf_append(url, p, len);
    if (pol_buf_append(url, p, (size_t)(q - p)) != 0)
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
            if (strlen(d->drop_query[i]) == klen && memcmp(d->drop_query[i], param, klen) == 0)
                drop = 1;
        if (!drop && pe > param) {
            if (pol_buf_append(url, first ? "?" : "&", 1) != 0 || pol_buf_append(url, param, (size_t)(pe - param)) != 0)
                return -1;
            first = 0;
        }
        param = pe + 1;
    }
    return 0;
}

static int build_upstream_request(gw_call_t *call, h2o_req_t *req)
{
    gw_worker_t *w = call->worker;
    const gw_provider_conf_t *pc = call->provider;
    const prov_adapter_t *up = call->up;
    if (call->async_url != NULL) {
        /* a stream URL aigw handed out: the upstream URL sealed in its capability (checked) */
        if (pol_buf_append(&call->url, call->async_url, strlen(call->async_url)) != 0)
            return -1;
    } else if (up->target_url != NULL) {
        /* fal's proxy protocol: the target was validated by take_target_url. A non-default
         * base_url replaces scheme and host (an egress proxy, or a mock in tests). */
        const prov_target_t t = call->fal_target;
        const char *origin = strcmp(pc->base_url, "https://fal.run") == 0 ? t.origin : pc->base_url;
        if (pol_buf_append(&call->url, origin, strlen(origin)) != 0 ||
            append_path_query(&call->url, t.path, t.path_len, &call->notrain) != 0)
            return -1;
    } else {
        const char *prefix = call->unified && up != &prov_openai ? up->compat_prefix : up->upstream_prefix;
        if (pol_buf_append(&call->url, pc->base_url, strlen(pc->base_url)) != 0 ||
            pol_buf_append(&call->url, prefix, strlen(prefix)) != 0 ||
            append_path_query(&call->url, call->rest, call->rest_len, &call->notrain) != 0)
            return -1;
    }
    CURL *easy = gw_upstream_easy(w->upstream);
    if (easy == NULL)
        return -1;
    call->easy = easy;
    curl_easy_setopt(easy, CURLOPT_URL, call->url.base);
    /* Header lines go NUL-separated into call->hdr and are linked through call->hdr_nodes, both
     * reused across requests (curl only reads the list; curl_slist_append would malloc twice
     * per header). */
    pol_buf_t *hb = &call->hdr;
    size_t nlines = 0;
    pol_buf_reset(hb);
    /* end-to-end headers */
    ssize_t ci = h2o_find_header(&req->headers, H2O_TOKEN_CONNECTION, -1);
    h2o_iovec_t conn = ci >= 0 ? req->headers.entries[ci].value : h2o_iovec_init(NULL, 0);
    for (size_t i = 0; i != req->headers.size; i++) {
        const h2o_header_t *h = &req->headers.entries[i];
        if (gw_headers_drop_request(h->name->base, h->name->len) ||
            (conn.len != 0 && gw_headers_in_connection(conn.base, conn.len, h->name->base, h->name->len)) ||
            notrain_sets_header(&call->notrain, h->name->base, h->name->len))
            continue;
        if (pol_buf_append(hb, h->name->base, h->name->len) != 0 || pol_buf_append(hb, ": ", 2) != 0 ||
            pol_buf_append(hb, h->value.base, h->value.len) != 0 || pol_buf_append(hb, "", 1) != 0)
            return -1;
        nlines++;
    }
    /* headers the no-training decision sets (fal X-Fal-Store-IO: 0, ...) */
    for (size_t i = 0; i < call->notrain.nheaders; i++) {
        const pol_notrain_header_t *nh = &call->notrain.headers[i];
        if (pol_buf_append(hb, nh->name, strlen(nh->name)) != 0 || pol_buf_append(hb, ": ", 2) != 0 ||
            pol_buf_append(hb, nh->value, strlen(nh->value) + 1) != 0)
            return -1;
        nlines++;
    }
    /* account-selection headers from config (providers.NAME.headers); the client's own were dropped above */
    for (size_t i = 0; i < pc->nheaders; i++) {
        if (pol_buf_append(hb, pc->header_names[i], strlen(pc->header_names[i])) != 0 || pol_buf_append(hb, ": ", 2) != 0 ||
            pol_buf_append(hb, pc->header_values[i], strlen(pc->header_values[i]) + 1) != 0)
            return -1;
        nlines++;
    }
    /* the provider credential replaces the client's */
    static const char *const auth_prefix[] = {
        [PROV_AUTH_BEARER] = "Authorization: Bearer ",
        [PROV_AUTH_X_GOOG] = "x-goog-api-key: ",
        [PROV_AUTH_X_API_KEY] = "x-api-key: ",
        [PROV_AUTH_KEY] = "Authorization: Key ",
    };
    const char *ap = auth_prefix[call->up->auth];
    if (pol_buf_append(hb, ap, strlen(ap)) != 0 || pol_buf_append(hb, pc->api_key, strlen(pc->api_key) + 1) != 0 ||
        pol_buf_append(hb, "Expect:", 8) != 0)
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
                pol_buf_reset(&call->body_rewritten);
                if (pol_buf_append(&call->body_rewritten, call->body, call->body_len) != 0)
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
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_upstream_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, call);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_upstream_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, call);
    return 0;
}

/* fal's proxy protocol: the client names the upstream URL in x-fal-target-url; only https URLs
 * on the adapter's allow-listed fal hosts pass (anything else: 400, nothing forwarded). From here
 * on the call's path is the target's: the storage refusal, the model and its price are decided
 * from where the call really goes, not from aigw's own /fal path. Answers the request on failure. */
static int take_target_url(gw_call_t *call, h2o_req_t *req)
{
    const prov_adapter_t *up = call->up;
    const h2o_header_t *th = find_header(req, H2O_STRLIT("x-fal-target-url"));
    const char *err_desc = "missing x-fal-target-url header";
    if (th == NULL || up->target_url(th->value.base, th->value.len, up->target_hosts, &call->fal_target, &err_desc) != 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "aigw: %s (fal proxy protocol: x-fal-target-url must be an https URL on a fal host)", err_desc);
        send_error(call, 400, "invalid_request_error", "invalid_target_url", NULL, msg);
        return -1;
    }
    /* the same canonical form as aigw's own paths: "/%73torage/upload" is "/storage/upload" */
    size_t plen;
    const char *canon_err = "invalid path";
    if (gw_canon_target(call->fal_target.path, call->fal_target.path_len, &call->fal_path, &plen, &canon_err) != 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "aigw: x-fal-target-url: invalid path: %s", canon_err);
        send_error(call, 400, "invalid_request_error", "invalid_target_url", NULL, msg);
        return -1;
    }
    call->fal_target.path = call->fal_path.base;
    call->fal_target.path_len = call->fal_path.len;
    call->rest = call->fal_target.path;
    call->rest_len = call->fal_target.path_len;
    while (call->rest_len != 0 && call->rest[0] == '/') {
        call->rest++;
        call->rest_len--;
    }
    return 0;
}

/* Which provider serves the call. Native routes: the route's. /v1/: config "models" globs on the
 * body's model (providers/provider.h prov_for_model), reached through the provider's
 * OpenAI-compatible endpoint. Answers the request itself on failure. */
static int choose_provider(gw_call_t *call, const gw_route_t *r)
{
    const gw_config_t *cfg = call->gen->cfg;
    if (r->unified) {
        const char *model = call->info.model.len != 0 ? call->info.model.base : "";
        const prov_adapter_t *t = prov_for_model(model, gw_config_section(cfg, "models"));
        if (t != NULL && t != &prov_openai) {
            if (t->compat_prefix == NULL) {
                char msg[300];
                snprintf(msg, sizeof(msg),
                         "aigw: model %.80s is routed to %s (config models), which has no OpenAI-compatible API; call it on "
                         "%s natively",
                         model, t->name, t->route_prefix);
                send_error(call, 400, "invalid_request_error", "model_not_openai_compatible", "model", msg);
                return -1;
            }
            call->up = t;
            call->usage_ad = t->compat_wire != NULL ? t->compat_wire : t;
        }
    }
    if ((call->provider = gw_config_provider(cfg, call->up->name)) == NULL) {
        char msg[160];
        snprintf(msg, sizeof(msg), "aigw: provider %s is not configured on this gateway", call->up->name);
        send_error(call, 404, "invalid_request_error", "provider_not_configured", NULL, msg);
        return -1;
    }
    if (call->provider->api_key[0] == '\0') {
        /* the shipped config lists every provider with its key from the environment: say which
         * variable is missing instead of forwarding an empty key for the provider to refuse */
        char msg[200];
        snprintf(msg, sizeof(msg), "provider %s: %s is not set (aigw has no key for this provider; set it and restart or reload)",
                 call->up->name, call->provider->api_key_env != NULL ? call->provider->api_key_env : "its api_key");
        send_error(call, 503, "server_error", "provider_key_missing", NULL, msg);
        return -1;
    }
    return 0;
}

static int path_ends_with(const char *rest, size_t len, const char *suffix)
{
    const char *q = memchr(rest, '?', len);
    size_t n = q != NULL ? (size_t)(q - rest) : len, sl = strlen(suffix);
    return n >= sl && memcmp(rest + n - sl, suffix, sl) == 0;
}

static void start_upstream(gw_call_t *call);

static uint64_t now_ms(void)
{
    return now_ns() / 1000000u;
}

/* The no-training pass (policy/notrain.h) and the request edits that need the first pass's
 * captures: streamed chat completions get stream_options.include_usage (OpenAI reports stream
 * usage only then; openai.md section 4) and the extra usage chunk is dropped again if the client
 * did not ask for it. Answers the request itself on refusal or error. */
static int policy_pass(gw_call_t *call, int consent)
{
    static const pol_json_edit_t add_usage = {"stream_options.include_usage", "true", 0};
    int want_usage = call->info.stream && call->info.include_usage != 1 &&
                     path_ends_with(call->rest, call->rest_len, "chat/completions") && call->usage_ad->usage_from_event != NULL &&
                     call->need_usage;
    pol_notrain_input_t in = {call->up->name, call->rest, call->rest_len, call->provider->tier, consent};
    const char *err_desc = NULL;
    int changed = 0;
    pol_buf_reset(&call->edit_body);
    int rc = gw_privacy_notrain(call->gen->privacy, gw_gen_scratch(call->gen, call->worker), call->up, &in, call->body,
                                call->multipart || call->binary ? 0 : call->body_len, &add_usage, want_usage ? 1 : 0,
                                &call->notrain, &call->edit_body, &changed, &err_desc);
    pol_buf_reset(&call->notrain_record);
    if (rc >= 0)
        pol_notrain_record(&call->notrain, &call->notrain_record);
    if (rc == POL_NOTRAIN_REFUSED) {
        pol_buf_t msg = POL_BUF_INIT;
        pol_buf_append(&msg, "aigw: ", 6);
        pol_notrain_message(&call->notrain, &msg);
        send_error(call, 403, "permission_error", call->notrain.reason != NULL ? call->notrain.reason : "training_policy", NULL,
                   msg.base != NULL ? msg.base : "aigw: refused by the no-training policy");
        pol_buf_free(&msg);
        return -1;
    }
    if (rc < 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "aigw: the request body cannot be rewritten for the no-training policy (%s)",
                 err_desc != NULL ? err_desc : "invalid JSON");
        send_error(call, 400, "invalid_request_error", "invalid_request_body", NULL, msg);
        return -1;
    }
    if (changed) {
        call->body = call->edit_body.base;
        call->body_len = call->edit_body.len;
        call->strip_usage_chunk = want_usage;
    }
    return 0;
}

static int64_t body_max_tokens(const prov_estimate_t *e)
{
    return e->max_output_tokens > 0 ? e->max_output_tokens : 0;
}

static void on_meter_reserve(uv_work_t *work)
{
    gw_call_t *call = work->data;
    gw_store_t *st = call->worker->server->store;
    if (call->idem_key[0] != '\0') {
        int rc = gw_store_idempotency_put(st, call->user.base, call->idem_key, 0, call->request_id);
        if (rc == 1) {
            call->idem_first_status = 0;
            call->idem_first_id[0] = '\0';
            gw_store_idempotency_get(st, call->user.base, call->idem_key, &call->idem_first_status, call->idem_first_id);
            call->meter_rc = 1;
            return;
        }
        call->idem_claimed = rc == 0;
    }
    call->meter_rc = gw_store_reserve(st, call->user.base, call->request_id, call->reserve_amount,
                                      call->gen->meter_conf.default_grant_microcredits, &call->balance_after);
}

/* Refuses the call for credits (402), with the balance that was too low. */
static void refuse_credits(gw_call_t *call)
{
    char msg[300];
    snprintf(msg, sizeof(msg),
             "aigw: insufficient credits: this call needs up to %lld micro-credits, the balance is %lld (ask your "
             "operator for a grant)",
             (long long)call->reserve_amount, (long long)call->balance_after);
    gw_metrics_add(&call->worker->metrics.credits_refused, 1);
    send_error(call, 402, "insufficient_quota", "insufficient_credits", NULL, msg);
}

/* The reservation's outcome, on the loop (from the journal, or from the thread pool when the
 * request carries an Idempotency-Key). `status` != 0: the thread-pool job was cancelled. */
static void meter_reserved(gw_call_t *call, int status)
{
    if (status == 0 && call->meter_rc == 0)
        call->reserved = 1; /* committed: from here on the call is settled whatever happens */
    if (call->req == NULL) {
        /* the client left while the reservation was being committed: nothing was forwarded */
        if (call->reserved)
            finish_call(call, 0, 0, 0); /* the record went with the dispose */
        else
            queue_ledger_job(call, 0, 0, 499);
    } else {
        char msg[300];
        if (status != 0) {
            send_error(call, 503, "server_error", "metering_unavailable", NULL, "aigw: the credit reservation was cancelled");
        } else if (call->meter_rc == 1) {
            /* a retried request with the same Idempotency-Key is not charged twice */
            if (call->idem_first_status == 0) {
                send_error(call, 409, "invalid_request_error", "idempotency_key_in_use", NULL,
                           "aigw: a request with this Idempotency-Key is still in progress");
            } else {
                snprintf(msg, sizeof(msg),
                         "aigw: a request with this Idempotency-Key was already answered (request %s, status %d); it is not "
                         "charged again",
                         call->idem_first_id, call->idem_first_status);
                send_error(call, call->idem_first_status >= 400 ? call->idem_first_status : 409, "invalid_request_error",
                           "idempotent_replay", NULL, msg);
            }
        } else if (call->meter_rc == GW_E_CREDITS) {
            refuse_credits(call);
            queue_ledger_job(call, 0, 0, 402); /* a retry with the same key gets this outcome */
        } else if (call->meter_rc != 0) {
            add_header(call->req, "retry-after", "1", 1);
            send_error(call, 503, "server_error", "metering_unavailable", NULL, "aigw: the credit ledger is unavailable; retry");
            queue_ledger_job(call, 0, 0, 503);
        } else {
            start_upstream(call);
        }
    }
    release(call); /* the reservation's reference */
}

static void on_meter_reserved(uv_work_t *work, int status)
{
    meter_reserved(work->data, status);
}

/* Rate limits and the credit reservation (issue 6). Returns 0 to go on now, 1 when the call
 * continues on the thread pool (reservation), -1 when the request was answered. */
static int meter_admit(gw_call_t *call)
{
    gw_worker_t *w = call->worker;
    gw_server_t *srv = w->server;
    if (srv->ratelimit == NULL && !srv->metering)
        return 0;
    prov_estimate_t e;
    memset(&e, 0, sizeof(e));
    e.max_output_tokens = -1;
    e.n = 1;
    if (call->adapter->target_url == NULL && strcmp(call->adapter->name, "replicate") != 0) {
        /* OpenAI, Gemini, Anthropic and the OpenAI-format providers: the privacy pass captured
         * the estimate's inputs already */
        e.max_output_tokens = call->info.max_tokens;
        e.n = call->info.n > 0 ? call->info.n : 1;
        snprintf(e.size, sizeof(e.size), "%s", call->info.size);
        snprintf(e.quality, sizeof(e.quality), "%s", call->info.quality);
    } else if (call->adapter->estimate_inputs != NULL && call->body_len != 0 && !call->multipart && !call->binary) {
        call->adapter->estimate_inputs(call->body, call->body_len, &e); /* model-specific inputs (input.num_outputs, ...) */
    }
    /* the call's model (body, else path: gateway/billing.h), else one the body names elsewhere */
    if (call->bill.model[0] == '\0' && e.model[0] != '\0')
        snprintf(call->bill.model, sizeof(call->bill.model), "%s", e.model);
    const char *model = call->bill.model;
    const char *client = call->client != NULL ? call->client->name : NULL;
    if (srv->ratelimit != NULL && pol_ratelimit_enabled(srv->ratelimit)) {
        int64_t retry_ms = 0;
        call->est_tokens = (int64_t)(call->body_len / 2) + body_max_tokens(&e);
        int rc = pol_ratelimit_admit(srv->ratelimit, call->user.base, client, wall_us(), call->est_tokens, &retry_ms);
        if (rc != 0) {
            char ra[24], msg[200];
            int64_t secs = rc == POL_RATELIMIT_LIMITED ? (retry_ms + 999) / 1000 : 60;
            snprintf(ra, sizeof(ra), "%lld", (long long)(secs > 0 ? secs : 1));
            add_header(call->req, "retry-after", ra, strlen(ra));
            snprintf(msg, sizeof(msg), "aigw: rate limit reached for this user or client (config rate_limits); retry in %s s", ra);
            gw_metrics_add(&w->metrics.rate_limited, 1);
            send_error(call, 429, "rate_limit_exceeded", "rate_limit_exceeded", NULL, msg);
            return -1;
        }
        call->rl_admitted = 1;
    }
    if (!srv->metering || call->bill.unbilled)
        return 0; /* a route the provider does not bill (countTokens): nothing reserved, nothing charged */
    if ((call->price = pol_pricing_lookup(call->gen->pricing, call->up->name, model)) == NULL) {
        char msg[300];
        snprintf(msg, sizeof(msg), "aigw: no price for model \"%.100s\" of %s (config pricing); unknown models are refused", model,
                 call->up->name);
        send_error(call, 403, "permission_error", "model_not_priced", "model", msg);
        return -1;
    }
    pol_meter_request_t mr = {
        call->body_len, 0, e.max_output_tokens, 0, e.n > 0 ? e.n : 1, e.size[0] ? e.size : NULL, e.quality[0] ? e.quality : NULL};
    if (pol_meter_estimate(call->price, &call->gen->meter_conf, &mr, client != NULL ? call->client->markup_permille : 1000,
                           &call->reserve_amount) != 0) {
        send_error(call, 400, "invalid_request_error", "estimate_overflow", NULL, "aigw: the request's cost bound overflows");
        return -1;
    }
    const h2o_header_t *ik = find_header(call->req, H2O_STRLIT("idempotency-key"));
    if (ik != NULL && ik->value.len > 0 && ik->value.len < sizeof(call->idem_key)) {
        memcpy(call->idem_key, ik->value.base, ik->value.len);
        call->idem_key[ik->value.len] = '\0';
    }
    call->refs++;
    if (call->idem_key[0] == '\0') {
        /* the credit table in memory, then the journal's next group commit (no thread pool) */
        int rc = gw_store_reserve_async(srv->store, call->user.base, call->request_id, call->reserve_amount,
                                        call->gen->meter_conf.default_grant_microcredits, &call->balance_after, on_journal_reserved,
                                        call);
        if (rc == 0)
            return 1;
        call->refs--;
        if (rc == GW_E_CREDITS) {
            refuse_credits(call);
        } else {
            add_header(call->req, "retry-after", "1", 1);
            send_error(call, 503, "server_error", "metering_unavailable", NULL, "aigw: the credit ledger is unavailable; retry");
        }
        return -1;
    }
    call->meter_work.data = call;
    if (uv_queue_work(&w->loop, &call->meter_work, on_meter_reserve, on_meter_reserved) != 0) {
        call->refs--;
        send_error(call, 503, "server_error", "metering_unavailable", NULL, "aigw: cannot schedule the credit reservation");
        return -1;
    }
    return 1;
}

static void on_consent_lookup(uv_work_t *work)
{
    gw_call_t *call = work->data;
    int training = 0;
    gw_store_t *st = call->worker->server->store;
    call->consent_result = st != NULL && gw_store_get_consent(st, call->user.base, &training) == 0 ? training != 0 : 0;
}

static void on_consent_done(uv_work_t *work, int status)
{
    gw_call_t *call = work->data;
    call->consent_lookup = 0;
    if (status == 0)
        gw_consent_put(&call->worker->consent, call->user.base, call->user.len, call->consent_result, now_ms());
    if (call->req != NULL && policy_pass(call, call->consent_result) == 0 && meter_admit(call) == 0)
        start_upstream(call);
    release(call); /* the lookup's reference */
}

/* Consent matters only when it changes the verdict (a provider that may train, in
 * deny_unless_consent mode): then a cache miss is looked up on the thread pool. */
static int resolve_consent(gw_call_t *call)
{
    gw_worker_t *w = call->worker;
    int consent = gw_consent_get(&w->consent, call->user.base, call->user.len, now_ms());
    if (consent >= 0 || w->server->store == NULL)
        return consent > 0;
    pol_notrain_input_t in = {call->up->name, call->rest, call->rest_len, call->provider->tier, 0};
    pol_notrain_decision_t d;
    const pol_notrain_t *nt = gw_privacy_notrain_table(call->gen->privacy);
    int without = pol_notrain_begin(nt, &in, &d);
    in.consent = 1;
    if (pol_notrain_begin(nt, &in, &d) == without)
        return 0;
    call->consent_work.data = call;
    call->refs++;
    call->consent_lookup = 1;
    if (uv_queue_work(&w->loop, &call->consent_work, on_consent_lookup, on_consent_done) != 0) {
        call->refs--;
        call->consent_lookup = 0;
        return 0;
    }
    return -1; /* continues in on_consent_done */
}

/* ---- asynchronous predictions (gateway/async.h) ------------------------------------------- */

static unsigned char async_key_bytes[GW_ASYNC_KEY_BYTES];
static gw_store_t *_Atomic async_key_store; /* the store whose master key the key derives from */

static void async_key_init(void)
{
    gw_store_t *st = atomic_load(&async_key_store);
    if (st == NULL || gw_store_derive_key(st, "aigw replicate stream capability v1", async_key_bytes, sizeof(async_key_bytes)) != 0)
        randombytes_buf(async_key_bytes, sizeof(async_key_bytes));
}

/* The key of the stream capabilities: derived from the store's master key, so every instance
 * and restart sharing it accepts the others' stream URLs; without a store, random per process
 * (a restart refuses older URLs: 403, the client creates a new prediction). */
static const unsigned char *async_key(gw_call_t *call)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    atomic_store(&async_key_store, call->worker->server->store); /* one store per process */
    pthread_once(&once, async_key_init);
    return async_key_bytes;
}

/* The request's placeholder vault: every token in the body as sent upstream, with its value. */
static int async_vault(gw_call_t *call, gw_async_vault_t *v)
{
    for (size_t i = 0; i < call->pred.vault.n; i++) /* a later read: the creating request's vault */
        if (gw_async_vault_add(v, call->pred.vault.tokens[i], strlen(call->pred.vault.tokens[i]), call->pred.vault.values[i],
                               strlen(call->pred.vault.values[i])) != 0)
            return -1;
    if (call->pii == NULL || !call->need_restore)
        return 0;
    for (size_t i = 0; i < call->body_len; i++) {
        if (call->body[i] != '<')
            continue;
        size_t tl = pol_pii_token_len(call->body + i, call->body_len - i);
        const char *val;
        size_t vl;
        if (tl != 0 && pol_pii_session_lookup(call->pii, call->body + i, tl, &val, &vl) == 0) {
            if (gw_async_vault_add(v, call->body + i, tl, val, vl) != 0)
                return -1;
            i += tl - 1;
        }
    }
    return 0;
}

/* Replicate prediction answers: urls.get / cancel / stream rewritten to aigw's routes. */
static void async_rewrite_urls(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    gw_async_vault_t v;
    memset(&v, 0, sizeof(v));
    pol_buf_t base = POL_BUF_INIT;
    if (pol_buf_appendf(&base, "%.*s://%.*s", (int)req->input.scheme->name.len, req->input.scheme->name.base,
                        (int)req->input.authority.len, req->input.authority.base) == 0 &&
        async_vault(call, &v) == 0) {
        gw_async_rewrite_t rw = {
            base.base,       call->adapter->route_prefix, call->user.base, call->client != NULL ? call->client->name : "", &v,
            async_key(call), (int64_t)time(NULL)};
        if (gw_async_rewrite_replicate(&rw, call->pending.base, call->pending.len, &call->async_out) == 1) {
            pol_buf_t t = call->pending;
            call->pending = call->async_out;
            call->async_out = t;
        }
    }
    pol_buf_free(&base);
    gw_async_vault_free(&v);
}

/* A 2xx answer that created a prediction (Replicate create, fal queue submit): its vault and, when
 * it is not terminal yet, its open reservation go to the store with the call record. */
static void async_created(gw_call_t *call)
{
    gw_async_state_t st;
    gw_async_vault_t v;
    memset(&v, 0, sizeof(v));
    pol_buf_t vj = POL_BUF_INIT;
    gw_predict_rec_t *p = NULL;
    if (call->upstream_status < 200 || call->upstream_status >= 300 ||
        gw_async_answer_state(call->resp_json.base, call->resp_json.len, &st) != 0 || st.id[0] == '\0')
        return;
    if (async_vault(call, &v) != 0 || (v.n != 0 && gw_async_vault_to_json(&v, &vj) != 0))
        goto out; /* out of memory: no vault kept, the reservation is settled as any call's */
    int open = call->reserved && !st.terminal;
    if (v.n == 0 && !open)
        goto out; /* nothing to restore, nothing to settle later */
    if ((p = calloc(1, sizeof(*p))) == NULL || (vj.len != 0 && (p->vault = malloc(vj.len)) == NULL))
        goto out;
    snprintf(p->provider, sizeof(p->provider), "%s", call->up->name);
    snprintf(p->id, sizeof(p->id), "%s", st.id);
    p->client = call->client != NULL ? strdup(call->client->name) : NULL;
    p->model = call->bill.model[0] != '\0' ? strdup(call->bill.model) : NULL;
    p->markup_permille = call->client != NULL ? call->client->markup_permille : 1000;
    p->reserved = call->reserve_amount;
    p->open_reservation = open;
    p->settled = st.terminal;
    p->expires_at_us = wall_us() + (int64_t)GW_ASYNC_CAP_TTL_S * 1000000;
    if (vj.len != 0) {
        memcpy(p->vault, vj.base, vj.len);
        p->vault_len = vj.len;
    }
    call->pred.keep_open = open;
    call->pred.rec = p;
    p = NULL;
out:
    gw_predict_rec_free(p);
    if (vj.base != NULL)
        sodium_memzero(vj.base, vj.len);
    pol_buf_free(&vj);
    gw_async_vault_free(&v);
}

typedef struct st_async_read_job_t {
    uv_work_t work;
    gw_call_t *call;
    gw_store_t *store;
    const pol_pricing_t *pricing; /* of the call's generation (pinned by the call) */
    char provider[24];
    char id[GW_ASYNC_ID_MAX + 1];
    char user[GW_STORE_USER_ID_MAX + 1];
    char client[128];
    int terminal;
    prov_usage_t usage; /* what the terminal answer reported */
    gw_predict_row_t row;
    int rc;
} async_read_job_t;

/* Thread pool: the prediction's row (vault for its creator; the settlement claimed when this
 * answer is the first terminal one seen), the settlement from the answer's usage, and a sweep of
 * expired predictions. */
static void on_async_read(uv_work_t *work)
{
    async_read_job_t *j = work->data;
    j->rc =
        gw_store_predict_read(j->store, j->provider, j->id, j->user, j->client[0] != '\0' ? j->client : NULL, j->terminal, &j->row);
    if (j->rc != 0 && j->rc != GW_STORE_E_NOTFOUND)
        fprintf(stderr, "aigw: prediction %s/%s: the store lookup failed (%d); its placeholders stay in this answer\n", j->provider,
                j->id, j->rc);
    if (j->rc == 0 && j->row.claimed && j->row.open_reservation) {
        /* priced like the creating call: its model and client markup; no usage or no price: the
         * reservation (an upper bound, never an undercharge) */
        const pol_price_t *price = j->pricing != NULL ? pol_pricing_lookup(j->pricing, j->provider, j->row.model) : NULL;
        int64_t actual = j->row.reserved, in = 0, out = 0, images = 0, compute_ms = 0;
        if (j->usage.has == 0 || price == NULL || pol_pricing_cost(price, &j->usage, j->row.markup_permille, &actual) != 0)
            actual = j->row.reserved;
        gw_billing_counts(&j->usage, &in, &out, &images, &compute_ms);
        if (gw_store_settle(j->store, j->row.user_id, j->row.request_id, actual, NULL) != 0)
            fprintf(stderr, "aigw: settling prediction %s/%s failed; its reservation is settled by crash recovery\n", j->provider,
                    j->id);
        else
            gw_store_predict_usage(j->store, j->row.request_id, actual, compute_ms);
    }
    gw_store_predict_sweep(j->store, 100, NULL);
}

static void on_async_read_done(uv_work_t *work, int status)
{
    (void)status;
    async_read_job_t *j = work->data;
    gw_call_t *call = j->call;
    gw_worker_t *w = call->worker;
    if (j->rc == 0 && j->row.vault != NULL && call->req != NULL)
        gw_async_vault_from_json(j->row.vault, j->row.vault_len, &call->pred.vault); /* malformed: nothing restored */
    gw_predict_row_free(&j->row);
    free(j);
    if (call->req != NULL)
        answer_done(call, call->pred.http_status, 1);
    release(call); /* the transfer's reference, held by the job */
    gw_worker_request_done(w);
}

/* A complete 2xx JSON answer that reads a prediction (Replicate poll or cancel, fal result): the
 * store lookup runs on the thread pool before the answer goes on. @return 1 deferred (the
 * transfer's reference moves to the job), 0 go on now. */
static int async_read(gw_call_t *call, long http_status)
{
    gw_worker_t *w = call->worker;
    if (call->pred.kind != GW_ASYNC_READ || call->restore != GW_RESTORE_JSON || call->upstream_status < 200 ||
        call->upstream_status >= 300 || call->state != GW_CALL_UPSTREAM || w->server->store == NULL)
        return 0;
    async_read_job_t *j = calloc(1, sizeof(*j));
    if (j == NULL)
        return 0; /* placeholders stay; the prediction is settled by a later read */
    gw_async_state_t st;
    j->work.data = j;
    j->call = call;
    j->store = w->server->store;
    j->pricing = call->gen->pricing;
    snprintf(j->provider, sizeof(j->provider), "%s", call->up->name);
    snprintf(j->id, sizeof(j->id), "%s", call->pred.id);
    snprintf(j->user, sizeof(j->user), "%.*s", (int)call->user.len, call->user.base);
    snprintf(j->client, sizeof(j->client), "%s", call->client != NULL ? call->client->name : "");
    /* fal serves a queue result only once the request completed; a Replicate answer says so */
    j->terminal = call->up->target_url != NULL || (gw_async_answer_state(call->resp_json.base, call->resp_json.len, &st) == 0 &&
                                                   st.terminal && strcmp(st.id, call->pred.id) == 0);
    j->usage = call->usage;
    call->pred.http_status = http_status;
    w->inflight++;
    if (uv_queue_work(&w->loop, &j->work, on_async_read, on_async_read_done) != 0) {
        w->inflight--;
        free(j);
        return 0;
    }
    return 1;
}

/* GET <aigw>/replicate/v1/predictions/{id}/stream?aigw_cap=...: the user and the upstream URL
 * come from the capability (no client key: the SDK fetches stream URLs without credentials);
 * placeholders of the creating request are restored from its vault. Not charged: the prediction
 * was reserved and settled when it was created. */
static void async_stream(gw_call_t *call, h2o_req_t *req, const gw_route_t *r, const char *capv, size_t capl)
{
    const gw_config_t *cfg = call->gen->cfg;
    const char *err_desc = NULL;
    char msg[200];
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"))) {
        add_header(req, "allow", "GET", 3);
        send_error(call, 405, "invalid_request_error", "method_not_allowed", NULL, "aigw: a prediction stream is read with GET");
        return;
    }
    if (gw_async_cap_open(async_key(call), capv, capl, (int64_t)time(NULL), &call->async_cap, &err_desc) != 0) {
        snprintf(msg, sizeof(msg), "aigw: this stream URL is not valid (%s); take urls.stream from a prediction aigw returned",
                 err_desc);
        send_error(call, 403, "permission_error", "invalid_stream_url", NULL, msg);
        return;
    }
    for (size_t i = 0; i < cfg->nclients && call->client == NULL; i++)
        if (strcmp(cfg->clients[i].name, call->async_cap.client) == 0)
            call->client = &cfg->clients[i];
    pol_buf_append(&call->user, call->async_cap.user, strlen(call->async_cap.user));
    call->rest = r->rest;
    call->rest_len = r->rest_len;
    if (choose_provider(call, r) != 0)
        return;
    /* only Replicate's stream host or the configured base_url (a mock, an egress proxy) */
    const char *u = call->async_cap.upstream_url;
    size_t bl = strlen(call->provider->base_url);
    if (!((strncmp(u, call->provider->base_url, bl) == 0 && u[bl] == '/') ||
          strncmp(u, "https://stream.replicate.com/", 29) == 0)) {
        send_error(call, 403, "permission_error", "invalid_stream_url", NULL, "aigw: the stream URL names an unexpected host");
        return;
    }
    call->async_url = u;
    memset(&call->notrain, 0, sizeof(call->notrain));
    call->async_restore = call->async_cap.ntokens != 0;
    start_upstream(call);
}

int gw_proxy_on_req(h2o_handler_t *self, h2o_req_t *req)
{
    gw_worker_t *w = (gw_worker_t *)((char *)req->conn->ctx - offsetof(gw_worker_t, ctx));
    gw_call_t *call = call_acquire(w);
    if (call == NULL) {
        h2o_send_error_503(req, "Service Unavailable", "aigw: out of memory", 0);
        return 0;
    }
    const gw_config_t *cfg = call->gen->cfg;
    call->t_start_ns = now_ns();
    call->wall_start_us = wall_us();
    call->req = req;
    call->refs = 1;
    call->state = GW_CALL_LOCAL;
    gw_call_t **hook = h2o_mem_alloc_shared(&req->pool, sizeof(*hook), on_req_dispose);
    *hook = call;
    w->inflight++;
    /* request id: 16 hex digits random per worker and start + 16 hex digits of a counter */
    memcpy(call->request_id, w->id_prefix, 16);
    uint64_t seq = ++w->seq;
    for (int i = 31; i >= 16; i--, seq >>= 4)
        call->request_id[i] = "0123456789abcdef"[seq & 15];
    call->request_id[32] = '\0';

    /* HTTP/1.1 framing that a proxy in front may read differently: refuse and close (RFC 9112 section 6.3) */
    if (req->version < 0x200 && conflicting_framing(req)) {
        req->http1_is_persistent = 0; /* what follows on this connection may be a smuggled request: never read it */
        send_error(call, 400, "invalid_request_error", "invalid_framing", NULL,
                   "aigw: conflicting message framing (several Content-Length values, or Content-Length with "
                   "Transfer-Encoding); the connection is closed");
        return 0;
    }
    /* one canonical request target for every decision below and for the upstream URL */
    gw_route_t r;
    size_t cpath_len;
    const char *canon_err;
    if (gw_canon_target(req->input.path.base, req->input.path.len, &call->target, &cpath_len, &canon_err) != 0) {
        char msg[200];
        route_match(req->input.path.base, req->input.path.len, &r); /* only for the error's shape */
        if (r.kind == GW_ROUTE_PROVIDER)
            call->adapter = r.adapter;
        pol_buf_append(&call->route, req->input.path.base, req->input.path.len < 100 ? req->input.path.len : 100);
        snprintf(msg, sizeof(msg), "aigw: invalid request path: %s", canon_err);
        send_error(call, 400, "invalid_request_error", "invalid_path", NULL, msg);
        return 0;
    }
    pol_buf_append(&call->route, call->target.base, cpath_len);
    route_match(call->target.base, call->target.len, &r);
    if (r.kind == GW_ROUTE_PROVIDER && gw_canon_drop_query_param(&call->target, cpath_len, "key") != 0)
        route_match(call->target.base, call->target.len, &r); /* a client credential is never forwarded */
    switch (r.kind) {
    case GW_ROUTE_HEALTHZ:
        send_json(call, 200, "{\"status\":\"ok\"}");
        call->no_access_log = 1;
        return 0;
    case GW_ROUTE_READYZ:
        if (w->draining || w->server->draining)
            send_json(call, 503, "{\"status\":\"draining\"}");
        else
            send_json(call, 200, "{\"status\":\"ready\"}");
        call->no_access_log = 1;
        return 0;
    case GW_ROUTE_NONE: {
        char msg[200];
        snprintf(msg, sizeof(msg), "aigw: unknown route %.*s (see the API routes in README.md)",
                 (int)(call->route.len > 100 ? 100 : call->route.len), call->route.base);
        send_error(call, 404, "invalid_request_error", "unknown_route", NULL, msg);
        return 0;
    }
    case GW_ROUTE_METRICS:
        call->no_access_log = 1;
        call->state = GW_CALL_FINISHED;
        gw_admin_metrics(w, req);
        return 0;
    case GW_ROUTE_CONSOLE:
        call->no_access_log = 1;
        call->state = GW_CALL_FINISHED;
        gw_admin_console(w, req);
        return 0;
    case GW_ROUTE_ADMIN:
        call->no_access_log = 1;
        call->state = GW_CALL_FINISHED;
        gw_admin_handle(w, req);
        return 0;
    case GW_ROUTE_PROVIDER:
        break;
    }
    call->adapter = r.adapter;
    call->up = call->usage_ad = r.adapter;
    call->unified = r.unified;
    if (r.wire != NULL)
        call->adapter = call->usage_ad = r.wire; /* e.g. /gemini/v1beta/openai/: OpenAI's format, Gemini's key and posture */
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("POST")) &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("DELETE")) &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"))) {
        add_header(req, "allow", "GET, POST, DELETE, HEAD", 23);
        send_error(call, 405, "invalid_request_error", "method_not_allowed", NULL,
                   "aigw: method not allowed (allowed: GET, POST, DELETE, HEAD)");
        return 0;
    }
    /* a Replicate stream URL aigw handed out carries a capability instead of a client key */
    const char *capv;
    size_t capl;
    if (call->adapter == &prov_replicate && gw_async_stream_route(r.rest, r.rest_len, &capv, &capl)) {
        async_stream(call, req, &r, capv, capl);
        return 0;
    }
    /* client key */
    const char *key;
    size_t klen;
    if (client_credential(req, &key, &klen) != 0 || (call->client = gw_auth_client(cfg, key, klen)) == NULL) {
        send_error(call, 401, "invalid_request_error", "invalid_api_key", NULL,
                   "aigw: missing or incorrect client key (send an aigw client key as the provider API key)");
        return 0;
    }
    if (klen <= sizeof(call->client_key)) {
        memcpy(call->client_key, key, klen);
        call->client_key_len = klen;
        gw_secrets_add(&call->secrets, call->client_key, klen);
    }
    /* the call log must keep up: while records wait for room in the store's queue, refuse new
     * work instead of losing records (rule: a full queue is backpressure, never a drop) */
    if (w->backlog != NULL) {
        gw_metrics_add(&w->metrics.log_backpressure, 1);
        add_header(req, "retry-after", "1", 1);
        send_error(call, 503, "server_error", "log_backpressure", NULL, "aigw: the call log is behind; retry in a second");
        return 0;
    }
    /* the journal cannot commit (database full or failing): forwarding would make a call that
     * cannot be logged or metered, so new calls wait (metering on or off) */
    if (w->server->store != NULL && gw_store_unavailable(w->server->store)) {
        gw_metrics_add(&w->metrics.log_backpressure, 1);
        add_header(req, "retry-after", "1", 1);
        send_error(call, 503, "server_error", "store_unavailable", NULL,
                   "aigw: the call log cannot be written at the moment; retry in a second");
        return 0;
    }
    /* body size cap (h2o's own hard limit is twice this; see server.c) */
    if (req->entity.base != NULL && req->entity.len > cfg->max_request_body_bytes) {
        char msg[160];
        snprintf(msg, sizeof(msg), "aigw: request body of %zu bytes exceeds limits.max_request_body_bytes (%zu)", req->entity.len,
                 cfg->max_request_body_bytes);
        send_error(call, 413, "invalid_request_error", "request_too_large", NULL, msg);
        return 0;
    }
    /* end user: X-AIGW-User, else the body's user / safety_identifier */
    const h2o_header_t *uh = find_header(req, H2O_STRLIT("x-aigw-user"));
    if (uh != NULL) {
        if (!gw_auth_user_id_valid(uh->value.base, uh->value.len)) {
            send_error(call, 400, "invalid_request_error", "invalid_user", "X-AIGW-User",
                       "aigw: X-AIGW-User must be 1..256 bytes of UTF-8 text without control characters");
            return 0;
        }
        pol_buf_append(&call->user, uh->value.base, uh->value.len);
    }
    call->body = req->entity.base != NULL ? req->entity.base : "";
    call->body_len = req->entity.base != NULL ? req->entity.len : 0;
    if (pii_outside_body(call, req) != 0)
        return 0;
    if (call->body_len > 0 && read_body(call, req, &r) != 0)
        return 0;
    if (call->user.len == 0) {
        send_error(call, 400, "invalid_request_error", "missing_user", "user",
                   "aigw: no end user: send the X-AIGW-User header (or a \"user\" / \"safety_identifier\" field)");
        return 0;
    }
    if (call->info.image_error != NULL) {
        char msg[200];
        snprintf(msg, sizeof(msg), "aigw: %s; metadata cannot be removed, so it is not forwarded", call->info.image_error);
        send_error(call, 400, "invalid_request_error", "invalid_image", NULL, msg);
        return 0;
    }
    call->rest = r.rest;
    call->rest_len = r.rest_len;
    if (choose_provider(call, &r) != 0)
        return 0;
    if (call->up->target_url != NULL && take_target_url(call, req) != 0)
        return 0;
    gw_billing_begin(&call->bill, call->up, call->info.model.base, call->info.model.len, req->method.base, req->method.len,
                     call->rest, call->rest_len);
    call->async_rewrite = call->up == &prov_replicate;
    if (w->server->store != NULL) /* the vault and the settlement of predictions live in the store */
        call->pred.kind = gw_async_classify(call->up->name, req->method.base, req->method.len, call->rest, call->rest_len,
                                            call->up->target_url != NULL ? call->fal_target.origin : NULL, call->pred.id);
    int consent = resolve_consent(call);
    if (consent < 0)
        return 0; /* waiting for the consent lookup */
    if (policy_pass(call, consent) != 0 || meter_admit(call) != 0)
        return 0;
    start_upstream(call);
    return 0;
}

/* Before an attempt: the call's retry policy (first attempt), then the origin's circuit breaker.
 * Answers 503 with Retry-After itself when the breaker is open (first attempt only: a retry was
 * decided while it was closed). @return 0 go on, -1 answered. */
static int retry_admit(gw_call_t *call)
{
    gw_worker_t *w = call->worker;
    gw_retry_t *r = w->server->retry;
    if (r == NULL || call->attempts != 0)
        return 0;
    uint64_t now = now_ms(), wait_ms = 0;
    call->retry_conf = gw_retry_conf_for(r, call->up->name, call->info.model.len != 0 ? call->info.model.base : NULL);
    call->side_effects = has_side_effects(call);
    call->t_first_attempt_ms = now;
    call->retry_host = gw_retry_host(r, call->url.base, url_origin_len(&call->url));
    if (gw_retry_admit(r, call->retry_host, now, &wait_ms) != 0) {
        char ra[24], msg[300];
        gw_upstream_easy_release(w->upstream, call->easy);
        call->easy = NULL;
        snprintf(ra, sizeof(ra), "%llu", (unsigned long long)((wait_ms + 999) / 1000));
        add_header(call->req, "retry-after", ra, strlen(ra));
        snprintf(msg, sizeof(msg),
                 "aigw: upstream %s is failing (circuit breaker open after repeated errors); not forwarded, retry in %s s",
                 call->provider->name, ra);
        send_error(call, 503, "server_error", "upstream_circuit_open", NULL, msg);
        return -1;
    }
    gw_retry_record(r, -1, provider_index(call->up, 1), call->retry_conf, now, 1, 0); /* budget: one more first attempt */
    return 0;
}

static void start_upstream(gw_call_t *call)
{
    gw_worker_t *w = call->worker;
    h2o_req_t *req = call->req;
    const gw_config_t *cfg = call->gen->cfg;
    uint64_t t0 = now_ns();
    int brc = build_upstream_request(call, req);
    if (brc > 0)
        return; /* answered (bad fal target) */
    if (brc != 0) {
        if (call->easy != NULL) {
            gw_upstream_easy_release(w->upstream, call->easy);
            call->easy = NULL;
        }
        send_error(call, 500, "server_error", "internal_error", NULL, "aigw: out of memory");
        return;
    }
    if (retry_admit(call) != 0)
        return; /* answered: the origin's circuit breaker is open */
    /* curl re-sends a request by itself when a reused connection dies before any answer; that is
     * safe for answer-only requests only, so the others get a fresh connection */
    if (call->side_effects)
        curl_easy_setopt(call->easy, CURLOPT_FRESH_CONNECT, 1L);
    call->upreq.on_done = on_upstream_done;
    call->state = GW_CALL_UPSTREAM;
    call->refs++; /* the transfer's reference */
    if (call->attempts++ == 0) {
        call->t_upstream_ns = now_ns();
        call->overhead_ns = call->t_upstream_ns - call->t_start_ns;
    } else {
        call->overhead_ns += now_ns() - t0; /* the backoff is not aigw's processing time */
    }
    call->res_headers_base = req->res.headers.size;
    if (gw_upstream_start(w->upstream, call->easy, &call->upreq) != 0) {
        call->easy = NULL;
        call->refs--;
        call->state = GW_CALL_LOCAL;
        send_error(call, 500, "server_error", "internal_error", NULL, "aigw: cannot start the upstream transfer");
        return;
    }
    arm_timer(call, cfg->upstream.first_byte_timeout_ms);
}
