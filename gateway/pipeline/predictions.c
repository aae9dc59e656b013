/*
 * Asynchronous predictions (gateway/async.h) in the pipeline, as the call's adapter declares them (providers/provider.h
 * async_links, async_id_fields, async_*_routes). A prediction answer's links (Replicate urls.get / cancel / stream) are
 * rewritten to aigw's routes; a capability link (the stream URL) carries a capability (sealed with a per-start key: user, client,
 * upstream URL and the request's placeholder vault) that stands in for the client key, since SDKs fetch stream URLs without
 * credentials. Placeholders of the creating request are restored from its vault. A stream is not charged: the prediction was
 * reserved when it was created. With a store, results read by a later call (poll, cancel, fal queue result) get the creating
 * request's placeholders restored from the vault kept in the store, and the creating call's reservation stays open until the first
 * terminal answer settles it, once (gateway/store/store_predict.h, docs/internals/async.md).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "common/log.h"
#include "gateway/billing.h"
#include "gateway/pipeline/call.h"
#include "gateway/store/store_ledger.h"
#include "gateway/store/store_predict.h"

/* The capability keys, one per label an adapter declares (prov_async_links_t.key_label), each derived once per
 * process; entries are never changed or moved once added. */
#define ASYNC_KEYS_MAX 16 /* labels: at most one per adapter */
static struct {
    const char *label;
    unsigned char key[GW_ASYNC_KEY_BYTES];
} async_keys[ASYNC_KEYS_MAX];
static size_t async_nkeys;
static pthread_mutex_t async_keys_mu = PTHREAD_MUTEX_INITIALIZER;

/* The key of the stream capabilities of the call's adapter (which declares a capability link, so a key_label): derived from the
 * store's master key under the adapter's label, so every instance and restart sharing it accepts the others' stream URLs; without a
 * store, random per process (a restart refuses older URLs: 403, the client creates a new prediction). */
static const unsigned char *async_key(gw_call_t *call)
{
    const char *label = call->up->async_links->key_label;
    GW_ASSERT(label != NULL);                     /* providers/provider.h: declared with a capability link (test_adapters) */
    gw_store_t *st = call->worker->server->store; /* one store per process */
    const unsigned char *key = NULL;
    pthread_mutex_lock(&async_keys_mu);
    for (size_t i = 0; i < async_nkeys && key == NULL; i++)
        if (strcmp(async_keys[i].label, label) == 0)
            key = async_keys[i].key;
    if (key == NULL) {
        GW_ASSERT(async_nkeys < ASYNC_KEYS_MAX);
        unsigned char *k = async_keys[async_nkeys].key;
        if (st == NULL || gw_store_derive_key(st, label, k, GW_ASYNC_KEY_BYTES) != 0)
            randombytes_buf(k, GW_ASYNC_KEY_BYTES);
        async_keys[async_nkeys++].label = label;
        key = k;
    }
    pthread_mutex_unlock(&async_keys_mu);
    return key;
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

/* Prediction answers: the links the adapter declares (Replicate urls.get / cancel / stream) rewritten to aigw's routes. */
void gw__async_rewrite_urls(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    if (call->up->async_links == NULL)
        return; /* readdressed to an adapter without links */
    gw_async_vault_t v;
    memset(&v, 0, sizeof(v));
    gw_buf_t base = GW_BUF_INIT;
    if (gw_buf_appendf(&base, "%.*s://%.*s", (int)req->input.scheme->name.len, req->input.scheme->name.base,
                       (int)req->input.authority.len, req->input.authority.base) == 0 &&
        async_vault(call, &v) == 0) {
        gw_async_rewrite_t rw = {base.base,
                                 call->adapter->route_prefix,
                                 call->user.base,
                                 call->client != NULL ? call->client->name : "",
                                 &v,
                                 call->up->async_links->key_label != NULL ? async_key(call) : NULL, /* no capability link: no key */
                                 (int64_t)time(NULL)};
        if (gw_async_rewrite_links(call->up, &rw, call->pending.base, call->pending.len, &call->async_out) == 1) {
            gw_buf_t t = call->pending;
            call->pending = call->async_out;
            call->async_out = t;
        }
    }
    gw_buf_free(&base);
    gw_async_vault_free(&v);
}

/* GET <aigw><route prefix><capability route>?aigw_cap=... (Replicate: /replicate/v1/predictions/{id}/stream): the
 * user and the upstream URL come from the capability (no client key: the SDK fetches stream URLs without credentials);
 * placeholders of the creating request are restored from its vault. Not charged: the prediction
 * was reserved and settled when it was created. */
gw_stage_rc_t gw__async_stream(gw_call_t *call, const char *capv, size_t capl)
{
    h2o_req_t *req = call->req;
    const gw_config_t *cfg = call->gen->cfg;
    const char *err_desc = NULL;
    char msg[200];
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"))) {
        gw__add_header(req, "allow", "GET", 3);
        gw_send_error(call, GW_ERR_METHOD_NOT_ALLOWED, "aigw: a prediction stream is read with GET");
        return GW_STAGE_ANSWERED;
    }
    if (gw_async_cap_open(async_key(call), capv, capl, (int64_t)time(NULL), &call->async_cap, &err_desc) != 0) {
        snprintf(msg, sizeof(msg), "aigw: this stream URL is not valid (%s); take urls.stream from a prediction aigw returned",
                 err_desc);
        gw_send_error(call, GW_ERR_INVALID_STREAM_URL, msg);
        return GW_STAGE_ANSWERED;
    }
    for (size_t i = 0; i < cfg->nclients && call->client == NULL; i++)
        if (strcmp(cfg->clients[i].name, call->async_cap.client) == 0)
            call->client = &cfg->clients[i];
    gw_buf_append(&call->user, call->async_cap.user, strlen(call->async_cap.user));
    call->rest = call->rt.rest;
    call->rest_len = call->rt.rest_len;
    if (gw__choose_provider(call) != 0)
        return GW_STAGE_ANSWERED;
    /* only the adapter's stream origin or the configured base_url (a mock, an egress proxy) */
    const char *u = call->async_cap.upstream_url, *so = call->up->async_links->stream_origin;
    size_t bl = strlen(call->provider->base_url);
    if (!((strncmp(u, call->provider->base_url, bl) == 0 && u[bl] == '/') || (so != NULL && strncmp(u, so, strlen(so)) == 0))) {
        gw_send_error(call, GW_ERR_INVALID_STREAM_URL, "aigw: the stream URL names an unexpected host");
        return GW_STAGE_ANSWERED;
    }
    call->async_url = u;
    /* pii.scan_responses: the stream's model text is scanned too (findings logged for the capability's user) */
    if (gw__output_session(call) != 0)
        return GW_STAGE_ANSWERED;
    call->async_sse.text_event = call->up->async_links->text_event;
    call->async_sse.media_urls = call->up->output_media_urls;
    call->async_sse.scan = NULL;
    call->async_sse.scan_ctx = NULL;
    if (call->pii != NULL && gw_privacy_output_paths(call->gen->privacy, call->usage_ad) != NULL) {
        call->out_ctx.session = call->pii;
        call->out_ctx.scratch = gw_gen_scratch(call->gen, call->worker)->pii;
        call->out_ctx.stream = NULL; /* not a pol_restore stream: the scan callback only */
        call->async_sse.scan = gw_privacy_scan_output;
        call->async_sse.scan_ctx = &call->out_ctx;
    }
    call->async_restore = call->async_cap.ntokens != 0 || call->async_sse.scan != NULL;
    gw__pipeline_resume(call, GW_STAGE_UPSTREAM); /* no body: nothing to parse, meter or scrub */
    return GW_STAGE_ANSWERED;
}

/* ---- results read by a later call (gateway/store/store_predict.h) ---- */

void gw__async_classify(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    if (call->worker->server->store == NULL)
        return; /* the vault and the settlement of predictions live in the store */
    call->pred.kind = gw_async_classify(call->up, req->method.base, req->method.len, call->rest, call->rest_len,
                                        call->up->target_url != NULL ? call->named_target.origin : NULL, call->pred.id);
}

void gw__async_created(gw_call_t *call)
{
    gw_async_state_t st;
    gw_async_vault_t v;
    memset(&v, 0, sizeof(v));
    gw_buf_t vj = GW_BUF_INIT;
    gw_predict_rec_t *p = NULL;
    if (call->upstream_status < 200 || call->upstream_status >= 300 ||
        gw_async_answer_state(call->up, call->resp_json.base, call->resp_json.len, &st) != 0 || st.id[0] == '\0')
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
    p->expires_at_us = gw__wall_us() + (int64_t)GW_ASYNC_CAP_TTL_S * 1000000;
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
    gw_buf_free(&vj);
    gw_async_vault_free(&v);
}

/* the ids the pipeline accepts (gateway/async.h) are the ids the store keeps (store_predict.h): one limit */
_Static_assert(GW_ASYNC_ID_MAX == GW_PREDICT_ID_MAX, "a prediction id the pipeline accepts fits the store's row");

typedef struct st_async_read_job_t {
    uv_work_t work;
    gw_call_t *call;
    gw_store_t *store;
    const pol_pricing_t *pricing; /* of the call's generation (pinned by the call) */
    char provider[GW_PROVIDER_NAME_MAX + 1];
    char id[GW_ASYNC_ID_MAX + 1];
    char user[GW_USER_ID_MAX + 1];
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
        gw_log(GW_LOG_ERROR, "prediction %s/%s: the store lookup failed (%d); its placeholders stay in this answer", j->provider,
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
            gw_log(GW_LOG_ERROR, "settling prediction %s/%s failed; its reservation is settled by crash recovery", j->provider,
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
        gw__respond_resume(call, call->pred.http_status);
    gw__release(call); /* the transfer's reference, held by the job */
    gw_worker_request_done(w);
}

int gw__async_read(gw_call_t *call, long http_status)
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
    /* final: the answer's status is one the adapter lists, or every answer of a read route when it lists none */
    const char *const *term = call->up->async_terminal_statuses;
    j->terminal = term == NULL || (gw_async_answer_state(call->up, call->resp_json.base, call->resp_json.len, &st) == 0 &&
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
