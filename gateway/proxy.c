/*
 * The request pipeline's driver (see proxy.h and gateway/pipeline/call.h). One gw_call_t per request, taken from a
 * per-worker pool so the hot path does not allocate once warm. gw_proxy_on_req takes a call, pins the configuration
 * generation, registers the "request gone" hook and runs the request stages in order (gw__pipeline_resume); each
 * stage is a file of its own under gateway/pipeline/ and answers GW_STAGE_NEXT, _ANSWERED or _PENDING. A stage that
 * continues on another thread (consent lookup, credit reservation) resumes the driver from its callback.
 *
 * Lifetime: a call is referenced by the h2o request (until on_req_dispose) and by the curl transfer (until done or
 * cancelled); it returns to the pool when both are gone. Its per-request state is zeroed as a whole when it is taken
 * again (gw__call_reset, STYLE rule 29): only the pooled buffers' capacity, the timer and the pooled PII session and
 * restorer survive a request.
 */
#include "gateway/proxy.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/pipeline/call.h"

/* ---- call pool ------------------------------------------------------------------------- */

/* A pooled call keeps its buffers' memory for the next request (no malloc per request), but not
 * without bound: one 20 MiB request used to leave every buffer it touched at 20 MiB in the pool
 * for good (an idle aigw kept ~900 MB after a burst, issue 14). Buffers above this are freed when
 * the call goes back to the pool; the common small request never reaches it. */
#define GW_POOL_BUF_KEEP_BYTES (256u << 10)

/* Every pooled buffer of gw_call_t (call.h): emptied per request, capped on release, freed at exit. */
static const size_t gw__call_bufs[] = {
    offsetof(gw_call_t, user),
    offsetof(gw_call_t, target),
    offsetof(gw_call_t, route),
    offsetof(gw_call_t, url),
    offsetof(gw_call_t, hdr),
    offsetof(gw_call_t, body_rewritten),
    offsetof(gw_call_t, usage_tee),
    offsetof(gw_call_t, edit_body),
    offsetof(gw_call_t, notrain_record),
    offsetof(gw_call_t, resp_json),
    offsetof(gw_call_t, resp_log),
    offsetof(gw_call_t, pending),
    offsetof(gw_call_t, inflight),
    offsetof(gw_call_t, errbody),
    offsetof(gw_call_t, held),
    offsetof(gw_call_t, async_out),
    offsetof(gw_call_t, named_target_path),
    offsetof(gw_call_t, fb_body),
    offsetof(gw_call_t, info.user),
    offsetof(gw_call_t, info.model),
    offsetof(gw_call_t, async_sse.held),
    offsetof(gw_call_t, async_sse.text),
    offsetof(gw_call_t, async_sse.restored),
    offsetof(gw_call_t, async_sse.scanned),
};
#define GW_CALL_NBUFS (sizeof(gw__call_bufs) / sizeof(gw__call_bufs[0]))

static gw_buf_t *call_buf(gw_call_t *call, size_t i)
{
    return (gw_buf_t *)((char *)call + gw__call_bufs[i]);
}

static void cap_pooled_buffers(gw_call_t *call)
{
    for (size_t i = 0; i < GW_CALL_NBUFS; i++) {
        gw_buf_t *b = call_buf(call, i);
        if (b->cap > GW_POOL_BUF_KEEP_BYTES)
            gw_buf_free(b); /* back to GW_BUF_INIT: the next request allocates what it needs */
    }
    size_t nf = 0;
    if (call->pii != NULL && (pol_pii_session_findings(call->pii, &nf), nf > 4096)) {
        pol_pii_session_free(call->pii); /* a session grows with the findings it holds */
        call->pii = NULL;
    }
}

/* The per-request state of a pooled call, by construction: the per-request part zeroed as a whole, every pooled
 * buffer emptied, then the fields whose neutral value is not 0. `gen` is the pinned generation. */
static void gw__call_reset(gw_call_t *call, gw_gen_t *gen)
{
    gw_server_t *srv = call->worker->server;
    memset(&call->super, 0, sizeof(call->super));
    memset((char *)call + GW_CALL_RESET_FROM, 0, sizeof(*call) - GW_CALL_RESET_FROM);
    for (size_t i = 0; i < GW_CALL_NBUFS; i++)
        gw_buf_reset(call_buf(call, i));
    gw_privacy_info_reset(&call->info); /* a request without a body captures nothing: it inherits nothing either */
    if (call->pii != NULL && call->pii_seq != gen->seq) {
        /* the pooled session was made for a replaced generation's engine (SIGHUP): make a new
         * one for this request's engine (freeing a session never touches its engine) */
        pol_pii_session_free(call->pii);
        call->pii = NULL;
    }
    if (call->pii != NULL)
        pol_pii_session_reset(call->pii);
    call->gen = gen;
    /* the unified route's adapter until routing says otherwise: the shape of an early error */
    call->adapter = call->up = call->usage_ad = prov_unified();
    call->need_usage = srv->store != NULL || srv->metering || srv->ratelimit != NULL;
    call->charged = -1;
    call->upstream_length = -1;
    call->retry_host = -1;
    call->should_retry = -1;
    call->retry_after_ms = -1;
    gw_secrets_reset(&call->secrets);
    for (size_t i = 0; i < gen->cfg->nproviders; i++) /* the keys of this request's generation */
        gw_secrets_add(&call->secrets, gen->cfg->providers[i].api_key, strlen(gen->cfg->providers[i].api_key));
}

void gw__release(gw_call_t *call)
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
        gw_sse_dispose(&call->sse_parser);
        call->sse = 0;
    }
    sodium_memzero(call->client_key, sizeof(call->client_key));
    call->client_key_len = 0;
    gw_async_cap_free(&call->async_cap); /* holds the vault of a stream route */
    gw_async_vault_free(&call->pred.vault);
    gw_predict_rec_free(call->pred.rec);
    call->pred.rec = NULL;
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
    call->next_free = NULL;
    gw_gen_t *gen = gw_server_gen_acquire(w->server);
    if (gw_gen_scratch(gen, w) == NULL) { /* made here, so later stages cannot fail on it */
        gw_server_gen_release(gen);
        call->next_free = w->free_calls;
        w->free_calls = call;
        return NULL;
    }
    gw__call_reset(call, gen);
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
        for (size_t i = 0; i < GW_CALL_NBUFS; i++)
            gw_buf_free(call_buf(call, i));
        free(call->hdr_nodes);
        pol_pii_session_free(call->pii);
        pol_restore_stream_free(call->restorer);
        if (call->timer_ready)
            uv_close((uv_handle_t *)&call->timer, on_timer_closed);
        else
            free(call);
    }
}

/* ---- the request ----------------------------------------------------------------------- */

/* h2o: the request is gone (answered, or the client went away). */
static void on_req_dispose(void *p)
{
    gw_call_t *call = *(gw_call_t **)p;
    gw_worker_t *w = call->worker;
    if (call->scan.state == GW_SCAN_RUNNING)
        atomic_store(&call->scan.abandoned, 1); /* a scan not started yet is skipped; on_scan_done releases the call */
    /* a forwarded or reserved call not finished yet (error, client gone, stream cut): its record
     * and settlement go to the journal now (retried there until committed; nobody waits) */
    if (call->reserved || call->t_upstream_ns != 0)
        gw__finish_call(call, call->state == GW_CALL_FINISHED && !call->upstream_failed, 0, 1);
    if (!call->no_access_log)
        gw__log_access(call, call->req);
    call->req = NULL;
    if (call->easy != NULL && !call->in_curl_cb) {
        /* client went away while the upstream transfer runs: cancel it now */
        gw_upstream_cancel(w->upstream, call->easy);
        call->easy = NULL;
        gw__release(call); /* the transfer's reference */
    }
    if (call->retry_wait) {
        /* client went away during a retry's backoff */
        uv_timer_stop(&call->timer);
        call->retry_wait = 0;
        gw__release(call); /* the transfer's reference, held by the wait */
    }
    gw__release(call); /* the request's reference */
    gw_worker_request_done(w);
}

static gw_stage_rc_t (*const gw__stages[GW_STAGE_COUNT])(gw_call_t *) = {
    [GW_STAGE_CANONICALISE] = gw__stage_canonicalise,
    [GW_STAGE_AUTHENTICATE] = gw__stage_authenticate,
    [GW_STAGE_PARSE] = gw__stage_parse,
    [GW_STAGE_ROUTE] = gw__stage_route,
    [GW_STAGE_PRIVACY] = gw__stage_privacy,
    [GW_STAGE_METER] = gw__stage_meter,
    [GW_STAGE_UPSTREAM] = gw__stage_upstream,
};

void gw__pipeline_resume(gw_call_t *call, gw_stage_id_t from)
{
    for (int i = (int)from; i < GW_STAGE_COUNT; i++)
        if (gw__stages[i](call) != GW_STAGE_NEXT)
            return;
}

int gw_proxy_on_req(h2o_handler_t *self, h2o_req_t *req)
{
    gw_worker_t *w = (gw_worker_t *)((char *)req->conn->ctx - offsetof(gw_worker_t, ctx));
    gw_call_t *call = call_acquire(w);
    if (call == NULL) {
        h2o_send_error_503(req, "Service Unavailable", "aigw: out of memory", 0);
        return 0;
    }
    call->t_start_ns = gw__now_ns();
    call->wall_start_us = gw__wall_us();
    call->req = req;
    call->refs = 1;
    call->state = GW_CALL_LOCAL;
    gw_call_t **hook = h2o_mem_alloc_shared(&req->pool, sizeof(*hook), on_req_dispose);
    *hook = call;
    w->inflight++;
    /* request id: 16 hex digits random per worker and start + 16 hex digits of a counter */
    _Static_assert(32 <= GW_REQUEST_ID_MAX, "aigw's request ids (32 hex digits) fit GW_REQUEST_ID_MAX");
    memcpy(call->request_id, w->id_prefix, 16);
    uint64_t seq = ++w->seq;
    for (int i = 31; i >= 16; i--, seq >>= 4)
        call->request_id[i] = "0123456789abcdef"[seq & 15];
    call->request_id[32] = '\0';
    gw__pipeline_resume(call, GW_STAGE_CANONICALISE);
    return 0;
}
