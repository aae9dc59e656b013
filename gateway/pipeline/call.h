/*
 * The request pipeline's shared state (internal to gateway/proxy.c and the stage files in gateway/pipeline/; nothing else includes
 * it). One gw_call_t per request, taken from a per-worker pool. The driver (gateway/proxy.c) runs the request stages
 * in order; each stage lives in its own file and returns one result type, gw_stage_rc_t:
 *
 *   canonicalise   gateway/pipeline/canonicalise.c  HTTP/1 framing, canonical target, path route, local routes, method
 *   authenticate   gateway/pipeline/authenticate.c  client key (or a stream capability), backpressure, body cap, user
 *   parse          gateway/pipeline/parse.c         URL and headers scanned, body by content (its privacy pass)
 *   route          gateway/pipeline/route.c         the provider that serves the call (/v1/: by model), a named target
 *   privacy        gateway/pipeline/privacy.c       training consent, the no-training pass
 *   meter          gateway/pipeline/meter.c         rate limits, price, credit reservation (journal)
 *   upstream       gateway/pipeline/upstream.c      the upstream request handed to curl; attempts in attempt.c
 *
 * and then the callbacks of the answer:
 *
 *   respond        gateway/pipeline/respond.c       upstream headers and body -> client (restore, backpressure), and
 *                                                    every answer aigw writes itself (errors, health)
 *   record         gateway/pipeline/record.c        access log, call record, settlement hand-off, the journal
 *
 * Asynchronous predictions (stream capabilities, rewriting the links an adapter declares) are in predictions.c.
 *
 * Reset by construction (STYLE rule 29): the struct has a pooled part (the worker link, the timer, pooled objects and
 * buffers whose capacity is kept) and a per-request part, from `req` to the end, which gw__call_reset zeroes as a
 * whole before setting the few fields whose neutral value is not 0. A field added below `req` can never leak from one
 * request into the next; a buffer must be added to the pooled part and to gw__call_bufs (proxy.c).
 */
#ifndef AIGW_GATEWAY_PIPELINE_CALL_H
#define AIGW_GATEWAY_PIPELINE_CALL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "gateway/async.h"
#include "gateway/store/store_predict.h"
#include "gateway/billing.h"
#include "gateway/errors.h"
#include "gateway/proxy.h"
#include "gateway/secrets.h"
#include "gateway/store/store_ledger.h"
#include "policy/restore.h"
#include "providers/provider.h"
#include "common/sse.h"
#include "providers/usage.h"

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

/** What a request stage did (the one result type of every stage). */
typedef enum {
    GW_STAGE_NEXT = 0, /* done: the driver runs the next stage */
    GW_STAGE_ANSWERED, /* the request was answered (error, local route) or handed on: nothing more to run */
    GW_STAGE_PENDING   /* continues in a callback (thread pool, journal), which resumes the driver */
} gw_stage_rc_t;

/** The request stages in firing order (gw__pipeline_resume starts at one of them). */
typedef enum {
    GW_STAGE_CANONICALISE,
    GW_STAGE_AUTHENTICATE,
    GW_STAGE_PARSE,
    GW_STAGE_ROUTE,
    GW_STAGE_PRIVACY,
    GW_STAGE_METER,
    GW_STAGE_UPSTREAM,
    GW_STAGE_COUNT
} gw_stage_id_t;

/** The route a canonical path names (canonicalise.c). */
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
    const prov_adapter_t *adapter; /* the route's provider; with kind NONE, the provider whose path segment the unknown
                                      path is under (its error shape), or NULL */
    int unified;                   /* /v1/: the unified wire format, provider by model */
    const prov_adapter_t *wire;    /* native route on the provider's OpenAI-compatible API: the format's adapter, else NULL */
    const char *rest;              /* path after the route prefix, with query */
    size_t rest_len;
} gw_route_t;

struct st_gw_call_t {
    h2o_generator_t super; /* first: h2o passes it back to proceed/stop; zeroed per request */

    /* ---- pooled: survives the return to the worker's pool ---- */
    gw_worker_t *worker;
    gw_call_t *next_free;
    uv_timer_t timer; /* initialised once, reused */
    int timer_ready;
    uint64_t timer_due;             /* loop time gw__arm_timer armed `timer` for (on_timeout); 0 when it runs anything else */
    unsigned pii_seq;               /* generation whose engine made `pii` */
    pol_pii_session_t *pii;         /* tokens and findings of this request; reset per request */
    pol_restore_stream_t *restorer; /* reset per response */
    struct curl_slist *hdr_nodes;   /* reused list nodes for the upstream headers */
    size_t hdr_nodes_cap;
    /* buffers: emptied per request, capacity kept (up to GW_POOL_BUF_KEEP_BYTES; listed in gw__call_bufs) */
    gw_buf_t user;           /* end-user id, copied (outlives req->pool for the access log) */
    gw_buf_t target;         /* canonical request target (gateway/canon.h): path, then query */
    gw_buf_t route;          /* canonical request path without query, copied */
    gw_buf_t url;            /* upstream URL */
    gw_buf_t hdr;            /* the upstream header lines (holds the provider key: wiped on release) */
    gw_buf_t body_rewritten; /* scrubbed body, or the call's copy of a small body */
    gw_buf_t usage_tee;      /* copy of a JSON response for usage (capped) */
    gw_buf_t edit_body;      /* second rewrite pass (request edits) */
    gw_buf_t notrain_record;
    gw_buf_t resp_json; /* buffered JSON response awaiting restore */
    gw_buf_t resp_log;  /* response as the provider sent it, for the call log (capped) */
    gw_buf_t pending;
    gw_buf_t inflight;
    gw_buf_t errbody;
    gw_buf_t held;              /* body of a held answer (capped at GW_ERRBODY_MAX, then forwarded) */
    gw_buf_t async_out;         /* rewritten prediction */
    gw_buf_t named_target_path; /* named_target's path and query in canonical form (gateway/canon.h) */
    gw_buf_t fb_body;           /* a call with a fallback chain: its scrubbed body before the no-training pass */
    gw_body_info_t info;        /* fields captured from the body (its buffers pooled; reset with gw_privacy_info_reset) */
    gw_async_sse_t async_sse;

    /* ---- per request: zeroed as a whole by gw__call_reset (every field from `req` to the end) ---- */
    h2o_req_t *req; /* NULL once disposed */
    gw_gen_t *gen;  /* the configuration generation pinned for this request (gateway/server.h) */
    gw_upstream_req_t upreq;
    gw_call_state_t state;
    int refs;

    /* request */
    gw_route_t rt; /* what the canonical path names */
    const prov_adapter_t *adapter;
    const gw_provider_conf_t *provider;
    const gw_client_conf_t *client;
    char request_id[GW_REQUEST_ID_MAX + 1];
    gw_secrets_t secrets; /* provider keys and this client's key: masked in every byte returned to the client */
    char client_key[256]; /* the client's key as sent (the call log is masked after the request); wiped on release */
    size_t client_key_len;
    struct curl_slist *req_headers; /* points into hdr_nodes: no per-request allocation */
    CURL *easy;
    const char *body; /* request body sent upstream (req->entity or a rewritten copy) */
    size_t body_len;
    int body_json;     /* the privacy pass accepted the JSON body: `body` is it, its rewrite or one derived from it (the
                          no-training rewrite, the fallback copy), JSON by construction (the no-training walk trusts it) */
    size_t body_off;   /* upload read position */
    size_t redactions; /* findings count, for X-AIGW-Redactions */

    /* response */
    const prov_adapter_t *up;       /* provider the call goes to: auth, API prefix, config (== adapter on native routes) */
    const prov_adapter_t *usage_ad; /* adapter whose extractors read the response's usage */
    int unified;                    /* arrived on /v1/: OpenAI format, provider chosen by model */
    int multipart;                  /* the request body is multipart/form-data (not JSON) */
    int binary;                     /* the body is forwarded unscanned (config binary_routes) */
    int need_usage;                 /* someone consumes the reported usage (call log, metering, rate limits) */
    int sse;                        /* the response is text/event-stream (sse_parser initialised) */
    int json_resp;                  /* the response is application/json */
    int strip_usage_chunk;          /* aigw added stream_options.include_usage: drop the usage-only chunk */
    gw_sse_parser_t sse_parser;     /* response events, for usage and filtering */
    prov_usage_state_t usage_state; /* usage from stream events */
    prov_usage_t usage;             /* usage from a JSON body or headers */
    const char *rest;               /* path after the route prefix (into target) */
    size_t rest_len;
    pol_notrain_decision_t notrain; /* the no-training decision of this call */
    int consent_known;              /* consent_result holds the user's training consent */
    int consent_lookup;             /* a consent lookup on the thread pool holds a reference */
    uv_work_t consent_work;
    int consent_result;
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
    gw_call_t *jnext;           /* in the worker's journal_done list */
    int jkind;                  /* GW_JOURNAL_RESERVE or GW_JOURNAL_FINISH */
    int jrc;                    /* the completed item's result */
    int64_t jbal;               /* its balance after */
    int finished;               /* record (and settlement) handed to the journal: nothing more to log or settle */
    int finishing;              /* the final send waits for that commit (durability promise, README) */
    gw_billing_t bill;          /* model, unbilled route, delivered text, outcome (gateway/billing.h) */
    prov_target_t named_target; /* the upstream the request names in its adapter's target_header (fal's x-fal-target-url;
                                 * path: named_target_path) */
    int idem_claimed;           /* this request claimed its Idempotency-Key */
    int idem_first_status;      /* status of the earlier request with the same key (0: in flight) */
    char idem_first_id[GW_REQUEST_ID_MAX + 1];
    char idem_key[GW_IDEMPOTENCY_KEY_MAX + 1]; /* Idempotency-Key header, "" if none */
    /* how the answer's body is read before it goes out: TEXT a text/... answer held whole; SNIFF one without a
     * Content-Type held whole and read as JSON or text at its end; REFUSE one whose Content-Type aigw cannot read
     * (respond.c classify_ctype) although it must be restored or scanned: discarded and answered 502 */
    enum { GW_RESTORE_NONE, GW_RESTORE_SSE, GW_RESTORE_JSON, GW_RESTORE_TEXT, GW_RESTORE_SNIFF, GW_RESTORE_REFUSE } restore;
    /* the class of the answer's Content-Type (respond.c classify_ctype): OTHER also for a second Content-Type line */
    enum { GW_CTYPE_NONE, GW_CTYPE_SSE, GW_CTYPE_JSON, GW_CTYPE_TEXT, GW_CTYPE_BINARY, GW_CTYPE_OTHER } resp_ctype;
    int need_restore;            /* the session issued tokens */
    gw_privacy_output_t out_ctx; /* ctx of the restorer's callbacks: session + worker scratch */
    long upstream_status;
    int64_t upstream_length; /* Content-Length of the upstream response, -1 if none or content-coded */
    int upstream_coded;      /* the answer came content-coded (curl decodes it): its Content-Length is not ours */
    uint64_t upstream_received;
    int map_upstream_error; /* upstream answered >= 500: collect body, answer 502 */
    int curl_paused;
    int in_curl_cb;
    int send_inflight;
    int upstream_done;
    int upstream_failed;
    /* aigw stopped the transfer itself (its stream parser, restore or output scan failed: an oversized event, out of
     * memory): answered and logged as aigw's failure (500 internal_error before the headers, outcome
     * GW_OUTCOME_AIGW_CUT after), never as the provider's reset */
    int aigw_cut;
    int upstream_malformed; /* the upstream sent a header line gw_headers_parse_line refuses: 502, nothing forwarded */
    int hold_end;           /* SSE with a store: the provider's terminal event was seen; it and the rest wait for the
                             * commit of the call's record (durability promise, README): gw__flush holds them */
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
    /* asynchronous predictions (gateway/async.h) */
    int async_rewrite;        /* prediction answers: the adapter's async_links point at aigw */
    gw_async_cap_t async_cap; /* stream route: the capability aigw handed out (vault for restore); freed on release */
    const char *async_url;    /* stream route: upstream URL from the capability, else NULL */
    int async_restore;        /* stream route with a vault: output events restored by gw_async_sse_event */
    struct {
        gw_async_kind_t kind;         /* creates or reads an asynchronous prediction (with a store only) */
        char id[GW_ASYNC_ID_MAX + 1]; /* read: the prediction id of the path (Replicate prediction, fal request) */
        gw_predict_rec_t *rec;        /* create: stored with the call record (owned until gw__finish_call's record) */
        int keep_open;                /* create: the reservation waits for the first terminal read */
        gw_async_vault_t vault;       /* read: the creating request's vault (same user and client) */
        long http_status;             /* read: the status for the resumed answer */
    } pred;                           /* vault and rec freed by gw__release */
    struct {
        /* the body's privacy pass (parse.c): run on the loop, or on the scan pool for a body of at least
         * limits.scan_offload_min_bytes (GW_SCAN_RUNNING: the pool's job holds a reference to the call and one
         * in-flight count of its worker; nothing on the loop reads pii, info or body_rewritten meanwhile) */
        enum { GW_SCAN_NONE = 0, GW_SCAN_RUNNING, GW_SCAN_DONE } state;
        gw_offload_job_t job;
        _Atomic int abandoned; /* the request is gone: a scan not started yet is skipped */
        char *copy;            /* the pool's input: Content-Type then body, copied (the request's bytes vanish with it) */
        size_t ct_len, len;
        int multipart; /* multipart/form-data by its Content-Type */
        int soft;      /* not labelled JSON: a body that is not JSON is the caller's 415 / binary decision */
        int binary_ok; /* the route is declared binary (providers.NAME.binary_routes) */
        int rc;        /* the pass's result: gw_privacy_scrub_request / gw_privacy_scrub_multipart */
        const char *err_desc;
        size_t err_off;
        int changed;
    } scan;
    struct {
        const gw_fallback_target_t *targets; /* the chain of the call's provider and model (gateway/fallback.h), or NULL */
        size_t n, next;                      /* its targets; the next one to try */
        int announce;                        /* readdressed: x-aigw-fallback goes on the next attempt's response */
    } fb;

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

/** The first byte of the per-request part of gw_call_t (zeroed by gw__call_reset). */
#define GW_CALL_RESET_FROM offsetof(gw_call_t, req)

static inline uint64_t gw__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t gw__now_ms(void)
{
    return gw__now_ns() / 1000000u;
}

static inline int64_t gw__wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/** The request header `name` (`len` bytes, lower case), first occurrence, or NULL. Borrowed from req. */
static inline const h2o_header_t *gw__find_header(h2o_req_t *req, const char *name, size_t len)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, len, -1);
    return i >= 0 ? &req->headers.entries[i] : NULL;
}

/* ---- driver (gateway/proxy.c) ---- */

/** Runs the request stages from `from` until one answers or continues in a callback. */
void gw__pipeline_resume(gw_call_t *call, gw_stage_id_t from);
/** Drops one reference; the last one returns the call to its worker's pool. */
void gw__release(gw_call_t *call);

/* ---- the stages, in firing order ---- */
gw_stage_rc_t gw__stage_canonicalise(gw_call_t *call);
gw_stage_rc_t gw__stage_authenticate(gw_call_t *call);
gw_stage_rc_t gw__stage_parse(gw_call_t *call);
gw_stage_rc_t gw__stage_route(gw_call_t *call);
gw_stage_rc_t gw__stage_privacy(gw_call_t *call);
gw_stage_rc_t gw__stage_meter(gw_call_t *call);
gw_stage_rc_t gw__stage_upstream(gw_call_t *call);

/* ---- route.c ---- */
/** Which route the canonical path `path` (`len` bytes) names; *r is overwritten. */
void gw__route_match(const char *path, size_t len, gw_route_t *r);
/** The provider of the call (call->up, call->provider, call->usage_ad). Answers the request itself on failure: -1. */
int gw__choose_provider(gw_call_t *call);
/**
 * With pii.scan_responses and an adapter that declares model text, a PII session even for a request without a body
 * (a poll, a stored answer, a prediction stream): its answer's model text is scanned and its findings logged.
 * Answers 500 itself when out of memory: -1; else 0.
 */
int gw__output_session(gw_call_t *call);
/**
 * The first of adapter `a`'s refused_query names (providers/provider.h) that a query parameter of the call's path
 * (call->rest) names, in any spelling (gateway/canon.h gw_canon_query_name_is); NULL when none does or `a` is NULL.
 * Static string. Also asked for each fallback target (fallback.c): a parameter the target refuses skips it.
 */
const char *gw__query_refused(const gw_call_t *call, const prov_adapter_t *a);

/* ---- respond.c ---- */
/** Adds a response header (name and value copied into the request pool). */
void gw__add_header(h2o_req_t *req, const char *name, const char *value, size_t len);
/**
 * Answers with the error `err` (a row of the table in gateway/errors.h) in the route's provider shape (the adapter's
 * error_body and error_content_type), secrets masked; the call's status and error code are recorded for the logs.
 * `message` (UTF-8, never request content; borrowed) replaces the row's default message when not NULL. No-op once the
 * request is gone.
 */
void gw_send_error(gw_call_t *call, gw_err_t err, const char *message);
/** gw_send_error with the row's status replaced by `status` (0: the row's) and its code by `code` (NULL: the row's):
 *  refusals whose status or code come from a decision (the privacy pass, the no-training posture, an earlier answer). */
void gw_send_error_as(gw_call_t *call, gw_err_t err, int status, const char *code, const char *message);
/** Answers with a JSON body aigw wrote itself (health routes). */
void gw__send_json(gw_call_t *call, int status, const char *json);
/** Sends what is pending toward the client (one h2o_send in flight at most). */
void gw__flush(gw_call_t *call);
/** Starts the client response with the upstream status and the forwarded headers. */
void gw__start_response(gw_call_t *call);
/** curl header / write callbacks (CURLOPT_HEADERFUNCTION / CURLOPT_WRITEFUNCTION), ud = the call. */
size_t gw__on_upstream_header(char *line, size_t size, size_t nitems, void *ud);
size_t gw__on_upstream_body(char *p, size_t size, size_t nmemb, void *ud);
/**
 * The transfer ended with curl's CURLE_OK and a status that is forwarded: finishes the answer.
 * @return 1 done, 0 deferred: a later read of a prediction looks its vault up first (the transfer's
 * reference moves to that job, which finishes the answer with gw__respond_resume).
 */
int gw__respond_complete(gw_call_t *call, long http_status);
/** The rest of gw__respond_complete after a prediction read's store lookup (predictions.c). */
void gw__respond_resume(gw_call_t *call, long http_status);
/** Message for a mapped upstream 5xx: the provider's own error message if it has one. */
void gw__upstream_error_message(gw_call_t *call, char *msg, size_t len);

/* ---- upstream.c / attempt.c ---- */
/** (Re)arms the call's first-byte / idle timer to fire `ms` after the loop's current time (a no-op when it is
 * already armed for that very deadline). */
void gw__arm_timer(gw_call_t *call, uint64_t ms);
/** Whether an answer with `status` may still be retried: then it is held, not forwarded. */
int gw__retry_may_follow(gw_call_t *call, int status);
/** Records a header of a held answer that steers the retry (retry-after-ms, retry-after, x-should-retry). */
void gw__retry_header(gw_call_t *call, const char *name, size_t nl, const char *value, size_t vl);
/** Before the first attempt: retry policy and circuit breaker. Answers 503 itself when open: -1; else 0. */
int gw__retry_admit(gw_call_t *call);
/** Counts an attempt's outcome in its origin's breaker. */
void gw__retry_record(gw_call_t *call, int failure);
/** After a failed attempt: 1 when another attempt is scheduled (the transfer's reference moves to the backoff timer),
 *  else 0 (a held answer has been forwarded). */
int gw__retry_or_release(gw_call_t *call, CURLcode result);

/* ---- meter.c ---- */
/** What the call costs (micro-credits) from the usage the provider reported; `complete`: the answer was whole. */
int64_t gw__actual_cost(gw_call_t *call, int complete);
/** The settlement of the call's reservation (rate-limit correction and metrics included). */
int64_t gw__settle_amount(gw_call_t *call, int complete);
/** Queues the settlement (do_settle) and the Idempotency-Key outcome on the thread pool. */
void gw__queue_ledger_job(gw_call_t *call, int do_settle, int64_t actual, int status);
/** The reservation's outcome, on the loop. `status` != 0: the thread-pool job was cancelled. */
void gw__meter_reserved(gw_call_t *call, int status);

/* ---- record.c ---- */
/** Index of adapter `a` in prov_all() (metrics, budgets), -1 when !known. */
int gw__provider_index(const prov_adapter_t *a, int known);
/** Writes the access-log line, metrics and (with a store) the call record of a call whose request is ending. */
void gw__log_access(gw_call_t *call, h2o_req_t *req);
/** Hands the call's record and settlement to the journal (see record.c). @return 0 handed over, -1 nothing done. */
int gw__finish_call(gw_call_t *call, int complete, int wait, int with_record);
/** gw_store_reserve_async callback (the writer thread, or the worker's loop committing its turn inline): posts the completion to
 * the call's worker. */
void gw__on_journal_reserved(void *ctx, int rc, int64_t bal);

/* ---- privacy.c ---- */
/**
 * The no-training pass for call->up over call->body (plus `extra`, may be NULL), setting call->body to its result.
 * `quiet` 0: a refusal or a bad body is answered (403 / 400); 1: nothing is answered (a fallback target is skipped).
 * @return 0, or -1 (answered unless quiet).
 */
int gw__policy_pass(gw_call_t *call, int consent, const gw_json_edit_t *extra, int quiet);
/**
 * What the answer of the call as addressed now (call->up, call->usage_ad, call->rest, call->body) carries that no
 * placeholder restore reaches (provider.h unrestorable_outputs), asked of call->up's adapter and of the wire format's
 * when the call speaks another's. PROV_UNRESTORABLE_NONE when nothing. Pure: answers nothing.
 */
prov_unrestorable_kind_t gw__unrestorable_kind(const gw_call_t *call);

/* ---- fallback.c ---- */
/** At the route stage: the call's fallback chain (config "fallbacks") and its scrubbed body. */
void gw__fallback_begin(gw_call_t *call);
/** The reservation covering the most expensive target that can take the call (`amount`: the call's own estimate). */
int64_t gw__fallback_reserve(gw_call_t *call, const pol_meter_request_t *mr, uint32_t markup, int64_t amount);
/** Whether the user's training consent changes the no-training verdict of a target of the call's chain. */
int gw__fallback_consent_matters(const gw_call_t *call);
/** Whether a target is left for a call that may fall back (no side effects). */
int gw__fallback_pending(const gw_call_t *call);
/**
 * After an attempt that failed before any byte reached the client and will not be retried: readdresses the call to the
 * next target that takes it: configured, priced, allowed by its own no-training pass, and, when the request holds values
 * to tokenize, not one whose answer no restore reaches (gw__unrestorable_kind with the target: a primary call there is
 * refused 400 pii_unrestorable, so the fallback is not taken either). @return 1 switched (the next
 * attempt goes there, with the target's retry policy), 0 none left (the call is as it was).
 */
int gw__fallback_next(gw_call_t *call);
/** On the first attempt at a new target: x-aigw-fallback: <provider>/<model> in the response. */
void gw__fallback_announce(gw_call_t *call);

/* ---- predictions.c ---- */
/** A prediction stream URL aigw handed out (capability instead of a client key): runs the call. */
gw_stage_rc_t gw__async_stream(gw_call_t *call, const char *capv, size_t capl);
/** Prediction answers: the links the adapter declares (async_links) rewritten to aigw's routes (call->pending). */
void gw__async_rewrite_urls(gw_call_t *call);
/** At the route stage, with a store: whether the request creates or reads an asynchronous prediction (call->pred). */
void gw__async_classify(gw_call_t *call);
/** A 2xx answer that created a prediction: its vault and open reservation go with the call record (call->pred.rec). */
void gw__async_created(gw_call_t *call);
/** A complete 2xx JSON read of a prediction: the store lookup on the thread pool. @return 1 deferred, 0 go on now. */
int gw__async_read(gw_call_t *call, long http_status);

#endif
