/*
 * Stage "meter": rate limits and the credit reservation (issue 6), and the settlement that follows a call. Rate
 * limits admit or refuse (429) from an estimate of the call's tokens; with metering, the model's price is looked up
 * (403 for an unknown model), the cost bound estimated (policy/meter.h) and reserved before anything is forwarded:
 * in the store's in-memory credit table and the journal's next group commit, or on the thread pool when the request
 * carries an Idempotency-Key (a retried request is not charged twice). The driver resumes with the upstream stage
 * when the reservation is committed; 402 when the balance cannot cover it. After the call, the reservation is
 * settled at what the provider reported (gw__settle_amount; the journal item is record.c's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "gateway/errors.h"
#include "gateway/pipeline/call.h"

/* What the call costs (micro-credits), from the usage the provider reported (issue 6):
 * an upstream failure or error status without usage costs nothing; a call that produced output
 * but reported no usage (client gone mid-stream, provider without usage) costs its reservation. */
int64_t gw__actual_cost(gw_call_t *call, int complete)
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
    char request_id[GW_REQUEST_ID_MAX + 1];
    char *user;
    char idem_key[GW_IDEMPOTENCY_KEY_MAX + 1];
    int status;
    int do_settle; /* 0: only record the Idempotency-Key outcome */
    int64_t actual;
} settle_job_t;

static void run_settle(uv_work_t *work)
{
    settle_job_t *j = work->data;
    if (j->do_settle && gw_store_settle_deferred(j->store, j->user, j->request_id, j->actual) != 0)
        gw_log(GW_LOG_ERROR, "settling %s failed; it stays open and is settled at its reservation on the next start",
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
void gw__queue_ledger_job(gw_call_t *call, int do_settle, int64_t actual, int status)
{
    gw_worker_t *w = call->worker;
    if (!do_settle && !call->idem_claimed)
        return;
    settle_job_t *j = calloc(1, sizeof(*j));
    if (j == NULL || (j->user = strndup(call->user.base, call->user.len)) == NULL) {
        free(j);
        gw_log(GW_LOG_ERROR, "out of memory settling %s; settled at its reservation on the next start", call->request_id);
        return;
    }
    j->work.data = j;
    j->worker = w;
    j->store = w->server->store;
    gw_str_copy(j->request_id, sizeof(j->request_id), call->request_id);
    gw_str_copy(j->idem_key, sizeof(j->idem_key), call->idem_claimed ? call->idem_key : "");
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
int64_t gw__settle_amount(gw_call_t *call, int complete)
{
    gw_worker_t *w = call->worker;
    int64_t actual = call->charged >= 0 ? call->charged : gw__actual_cost(call, complete);
    if (call->rl_admitted) {
        const prov_usage_t *u = call->usage_state.usage.has != 0 ? &call->usage_state.usage : &call->usage;
        int64_t tokens = u->has != 0 ? u->input_tokens + prov_usage_billed_output_tokens(u) : call->est_tokens;
        pol_ratelimit_settle(w->server->ratelimit, call->user.base, call->client != NULL ? call->client->name : NULL, gw__wall_us(),
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
    gw_send_error(call, GW_ERR_INSUFFICIENT_CREDITS, msg);
}

/* The reservation's outcome, on the loop (from the journal, or from the thread pool when the
 * request carries an Idempotency-Key). `status` != 0: the thread-pool job was cancelled. */
void gw__meter_reserved(gw_call_t *call, int status)
{
    if (status == 0 && call->meter_rc == 0)
        call->reserved = 1; /* committed: from here on the call is settled whatever happens */
    if (call->req == NULL) {
        /* the client left while the reservation was being committed: nothing was forwarded */
        if (call->reserved)
            gw__finish_call(call, 0, 0, 0); /* the record went with the dispose */
        else
            gw__queue_ledger_job(call, 0, 0, 499);
    } else {
        char msg[300];
        if (status != 0) {
            gw_send_error(call, GW_ERR_METERING_UNAVAILABLE, "aigw: the credit reservation was cancelled");
        } else if (call->meter_rc == 1) {
            /* a retried request with the same Idempotency-Key is not charged twice */
            if (call->idem_first_status == 0) {
                gw_send_error(call, GW_ERR_IDEMPOTENCY_KEY_IN_USE, NULL);
            } else {
                snprintf(msg, sizeof(msg),
                         "aigw: a request with this Idempotency-Key was already answered (request %s, status %d); it is not "
                         "charged again",
                         call->idem_first_id, call->idem_first_status);
                gw_send_error_as(call, GW_ERR_IDEMPOTENT_REPLAY, call->idem_first_status >= 400 ? call->idem_first_status : 0, NULL,
                                 msg);
            }
        } else if (call->meter_rc == GW_E_CREDITS) {
            refuse_credits(call);
            gw__queue_ledger_job(call, 0, 0, 402); /* a retry with the same key gets this outcome */
        } else if (call->meter_rc != 0) {
            gw__add_header(call->req, "retry-after", "1", 1);
            gw_send_error(call, GW_ERR_METERING_UNAVAILABLE, NULL);
            gw__queue_ledger_job(call, 0, 0, 503);
        } else {
            gw__pipeline_resume(call, GW_STAGE_UPSTREAM);
        }
    }
    gw__release(call); /* the reservation's reference */
}

static void on_meter_reserved(uv_work_t *work, int status)
{
    gw__meter_reserved(work->data, status);
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
    if (!call->adapter->estimate_custom) {
        /* the common fields (max_tokens, n, size, quality): the privacy pass captured the
         * estimate's inputs already */
        e.max_output_tokens = call->info.max_tokens;
        e.n = call->info.n > 0 ? call->info.n : 1;
        gw_str_copy(e.size, sizeof(e.size), call->info.size);
        gw_str_copy(e.quality, sizeof(e.quality), call->info.quality);
    } else if (call->adapter->estimate_inputs != NULL && call->body_len != 0 && !call->multipart && !call->binary) {
        call->adapter->estimate_inputs(call->body, call->body_len, &e); /* model-specific inputs (input.num_outputs, ...) */
    }
    /* the call's model (body, else path: gateway/billing.h), else one the body names elsewhere */
    if (call->bill.model[0] == '\0' && e.model[0] != '\0')
        gw_str_copy(call->bill.model, sizeof(call->bill.model), e.model);
    const char *model = call->bill.model;
    const char *client = call->client != NULL ? call->client->name : NULL;
    if (srv->ratelimit != NULL && pol_ratelimit_enabled(srv->ratelimit)) {
        int64_t retry_ms = 0;
        call->est_tokens = (int64_t)(call->body_len / 2) + body_max_tokens(&e);
        int rc = pol_ratelimit_admit(srv->ratelimit, call->user.base, client, gw__wall_us(), call->est_tokens, &retry_ms);
        if (rc != 0 && rc != POL_RATELIMIT_LIMITED && rc != POL_RATELIMIT_E_TOO_BIG) {
            /* POL_RATELIMIT_E_NOMEM: aigw failed, not the client's limit. Not forwarded (fail closed), and 500: a 429
             * would tell the SDK to wait and retry as if the user were over a limit they never reached */
            gw_log(GW_LOG_ERROR, "rate limiter: %s; request %s refused", gw_strerror(rc), call->request_id);
            gw_send_error(call, GW_ERR_INTERNAL, "aigw: the rate limiter failed (out of memory)");
            return -1;
        }
        if (rc != 0) {
            char ra[24], msg[200];
            int64_t secs = rc == POL_RATELIMIT_LIMITED ? (retry_ms + 999) / 1000 : 60;
            snprintf(ra, sizeof(ra), "%lld", (long long)(secs > 0 ? secs : 1));
            gw__add_header(call->req, "retry-after", ra, strlen(ra));
            snprintf(msg, sizeof(msg), "aigw: rate limit reached for this user or client (config rate_limits); retry in %s s", ra);
            gw_metrics_add(&w->metrics.rate_limited, 1);
            gw_send_error(call, GW_ERR_RATE_LIMITED, msg);
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
        gw_send_error(call, GW_ERR_MODEL_NOT_PRICED, msg);
        return -1;
    }
    pol_meter_request_t mr = {
        call->body_len, 0, e.max_output_tokens, 0, e.n > 0 ? e.n : 1, e.size[0] ? e.size : NULL, e.quality[0] ? e.quality : NULL};
    if (pol_meter_estimate(call->price, &call->gen->meter_conf, &mr, client != NULL ? call->client->markup_permille : 1000,
                           &call->reserve_amount) != 0) {
        gw_send_error(call, GW_ERR_ESTIMATE_OVERFLOW, NULL);
        return -1;
    }
    call->reserve_amount =
        gw__fallback_reserve(call, &mr, client != NULL ? call->client->markup_permille : 1000, call->reserve_amount);
    const h2o_header_t *ik = gw__find_header(call->req, H2O_STRLIT("idempotency-key"));
    if (ik != NULL && ik->value.len > 0 && ik->value.len < sizeof(call->idem_key)) {
        memcpy(call->idem_key, ik->value.base, ik->value.len);
        call->idem_key[ik->value.len] = '\0';
    }
    call->refs++;
    if (call->idem_key[0] == '\0') {
        /* the credit table in memory, then the journal's next group commit (no thread pool) */
        int rc = gw_store_reserve_async(srv->store, call->user.base, call->request_id, call->reserve_amount,
                                        call->gen->meter_conf.default_grant_microcredits, &call->balance_after,
                                        gw__on_journal_reserved, call);
        if (rc == 0)
            return 1;
        call->refs--;
        if (rc == GW_E_CREDITS) {
            refuse_credits(call);
        } else {
            gw__add_header(call->req, "retry-after", "1", 1);
            gw_send_error(call, GW_ERR_METERING_UNAVAILABLE, NULL);
        }
        return -1;
    }
    call->meter_work.data = call;
    if (uv_queue_work(&w->loop, &call->meter_work, on_meter_reserve, on_meter_reserved) != 0) {
        call->refs--;
        gw_send_error(call, GW_ERR_METERING_UNAVAILABLE, "aigw: cannot schedule the credit reservation");
        return -1;
    }
    return 1;
}

gw_stage_rc_t gw__stage_meter(gw_call_t *call)
{
    int rc = meter_admit(call);
    return rc == 0 ? GW_STAGE_NEXT : rc > 0 ? GW_STAGE_PENDING : GW_STAGE_ANSWERED;
}
