/*
 * Fallback chains in the pipeline (gateway/fallback.h holds the table). At the route stage a call whose provider and
 * model have a chain remembers it and the scrubbed body before the no-training pass; the meter stage reserves for the
 * most expensive target; when an attempt failed in a way a retry would try again, no retry is left (or the retry is
 * refused) and nothing reached the client, attempt.c asks gw__fallback_next, which readdresses the call to the next
 * target that can take it: configured with a key, priced (when metered), allowed by its own no-training pass for this
 * user (a provider the user has not consented to is skipped, never used; a route it refuses is never taken), and not
 * one that would refuse the call as primary because its answer carries the request's text where no placeholder can be
 * restored (the target's unrestorable_outputs). The request body was scrubbed under the route's adapter, the same
 * rules (skip and file fields) a primary call to the target on that route gets. The call keeps its request id and its
 * one reservation, so the ledger is charged once, at the price of the target that answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "gateway/pipeline/call.h"

/* Whether the request can go to target `t`: the same provider (another model), or a chat completion in OpenAI's
 * format (the /v1/ or /openai/v1/ route) readdressed to another OpenAI-compatible API. */
static int target_fits(const gw_call_t *call, const gw_fallback_target_t *t)
{
    if (t->adapter == call->up)
        return 1;
    const char *q = memchr(call->rest, '?', call->rest_len);
    size_t n = q != NULL ? (size_t)(q - call->rest) : call->rest_len;
    return call->adapter == prov_unified() && t->adapter->compat_prefix != NULL && n == 16 &&
           memcmp(call->rest, "chat/completions", 16) == 0;
}

void gw__fallback_begin(gw_call_t *call)
{
    const gw_fallbacks_t *f = call->worker->server->fallbacks;
    memset(&call->fb, 0, sizeof(call->fb));
    if (f == NULL || call->info.model.len == 0 || call->multipart || call->binary || call->body_len == 0 ||
        call->info.model.len > GW_FALLBACK_MODEL_MAX)
        return;
    char model[GW_FALLBACK_MODEL_MAX + 1];
    memcpy(model, call->info.model.base, call->info.model.len);
    model[call->info.model.len] = '\0';
    call->fb.targets = gw_fallbacks_for(f, call->up->name, model, &call->fb.n);
    /* scrubbed, before the no-training pass: each target gets its own (a copy: the body buffers are reused later) */
    if (call->fb.targets != NULL && gw_buf_append(&call->fb_body, call->body, call->body_len) != 0) {
        call->fb.targets = NULL; /* out of memory: no fallback for this call */
        call->fb.n = 0;
    }
}

int64_t gw__fallback_reserve(gw_call_t *call, const pol_meter_request_t *mr, uint32_t markup, int64_t amount)
{
    for (size_t i = 0; i < call->fb.n; i++) {
        const gw_fallback_target_t *t = &call->fb.targets[i];
        const pol_price_t *p = target_fits(call, t) ? pol_pricing_lookup(call->gen->pricing, t->adapter->name, t->model) : NULL;
        int64_t r = 0;
        if (p != NULL && pol_meter_estimate(p, &call->gen->meter_conf, mr, markup, &r) == 0 && r > amount)
            amount = r; /* the reservation covers whichever target answers */
    }
    return amount;
}

int gw__fallback_consent_matters(const gw_call_t *call)
{
    const pol_notrain_t *nt = gw_privacy_notrain_table(call->gen->privacy);
    for (size_t i = 0; i < call->fb.n; i++) {
        const gw_fallback_target_t *t = &call->fb.targets[i];
        const gw_provider_conf_t *pc = gw_config_provider(call->gen->cfg, t->adapter->name);
        if (pc == NULL || !target_fits(call, t))
            continue;
        pol_notrain_input_t in = {t->adapter->name, call->rest, call->rest_len, pc->tier, 0, NULL, 0, NULL, 0};
        pol_notrain_decision_t d;
        int without = pol_notrain_begin(nt, &in, &d);
        in.consent = 1;
        if (pol_notrain_begin(nt, &in, &d) != without)
            return 1;
    }
    return 0;
}

int gw__fallback_pending(const gw_call_t *call)
{
    return call->fb.next < call->fb.n && !call->side_effects;
}

int gw__fallback_next(gw_call_t *call)
{
    const gw_config_t *cfg = call->gen->cfg;
    if (!gw__fallback_pending(call) || call->state != GW_CALL_UPSTREAM || call->req == NULL)
        return 0;
    /* what the failed target was, restored when no target takes the call (the failure is answered as it was) */
    const prov_adapter_t *up = call->up, *usage_ad = call->usage_ad;
    const gw_provider_conf_t *provider = call->provider;
    int unified = call->unified;
    while (call->fb.next < call->fb.n) {
        const gw_fallback_target_t *t = &call->fb.targets[call->fb.next++];
        const gw_provider_conf_t *pc = gw_config_provider(cfg, t->adapter->name);
        const pol_price_t *price = NULL;
        if (!target_fits(call, t) || pc == NULL || pc->api_key[0] == '\0')
            continue; /* not configured on this gateway, or the request cannot be readdressed there */
        if (gw__query_refused(call, t->adapter) != NULL) {
            gw_log(GW_LOG_INFO, "%s: fallback %s/%s skipped (a query parameter it refuses: providers refused_query)",
                   call->request_id, t->adapter->name, t->model);
            continue; /* Gemini's fields mask would leave out the usage the call is settled from */
        }
        if (call->reserved && (price = pol_pricing_lookup(call->gen->pricing, t->adapter->name, t->model)) == NULL)
            continue; /* a metered call never goes where it cannot be priced */
        call->up = t->adapter;
        call->usage_ad = t->adapter->compat_wire != NULL ? t->adapter->compat_wire : t->adapter;
        call->provider = pc;
        call->unified = unified || t->adapter != call->adapter;
        /* the target's own no-training pass over the scrubbed body, with the target's model */
        char mj[2 * GW_FALLBACK_MODEL_MAX + 3];
        json_t *ms = json_string(t->model);
        char *enc = ms != NULL ? json_dumps(ms, JSON_ENCODE_ANY) : NULL;
        json_decref(ms);
        if (enc == NULL || strlen(enc) >= sizeof(mj)) {
            free(enc);
            continue;
        }
        snprintf(mj, sizeof(mj), "%s", enc);
        free(enc);
        const gw_json_edit_t edit = {"model", mj, 0};
        call->body = call->fb_body.base;
        call->body_len = call->fb_body.len;
        /* every check the target makes of a primary call: one whose answer no restore reaches (image or audio output,
         * logprobs; refuse_unrestorable) with values to tokenize is refused there, so it is not taken */
        if (call->need_restore && gw__unrestorable_kind(call) != PROV_UNRESTORABLE_NONE) {
            gw_log(GW_LOG_INFO, "%s: fallback %s/%s skipped (its answer could not be restored: pii_unrestorable)", call->request_id,
                   t->adapter->name, t->model);
            continue;
        }
        if (gw__policy_pass(call, call->consent_result, &edit, 1) != 0) {
            gw_log(GW_LOG_INFO, "%s: fallback %s/%s skipped (no-training policy for this user)", call->request_id, t->adapter->name,
                   t->model);
            continue;
        }
        if (price != NULL)
            call->price = price;
        snprintf(call->bill.model, sizeof(call->bill.model), "%s", t->model);
        gw_buf_reset(&call->info.model);
        if (gw_buf_append(&call->info.model, t->model, strlen(t->model) + 1) == 0)
            call->info.model.len--; /* NUL kept after it: read as a C string by the retry policy lookup */
        call->attempts = 0;         /* the target's own retry policy, budget and breaker (gw__retry_admit) */
        call->retry_conf = NULL;
        call->fb.announce = 1;
        return 1;
    }
    call->up = up;
    call->usage_ad = usage_ad;
    call->provider = provider;
    call->unified = unified;
    return 0;
}

void gw__fallback_announce(gw_call_t *call)
{
    char v[64 + GW_FALLBACK_MODEL_MAX];
    if (!call->fb.announce || call->req == NULL)
        return;
    call->fb.announce = 0;
    int n = snprintf(v, sizeof(v), "%s/%s", call->up->name, call->bill.model);
    if (n > 0 && (size_t)n < sizeof(v)) {
        h2o_iovec_t val = h2o_strdup(&call->req->pool, v, (size_t)n);
        h2o_set_header_by_str(&call->req->pool, &call->req->res.headers, H2O_STRLIT("x-aigw-fallback"), 0, val.base, val.len, 1);
    }
}
