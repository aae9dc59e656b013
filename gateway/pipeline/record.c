/*
 * "record": what stays of a call. When the request goes away (proxy.c on_req_dispose), the access-log line and the
 * metrics; with a store, the call record (encrypted call log, redaction rows, no-training decision, usage, cost) and
 * the settlement of its reservation go to the store's journal as one item, group-committed with other calls'. A call
 * whose answer completes waits for that commit before its last bytes go out (gw__finish_call `wait`), so a client
 * that saw a complete answer can always find it in the call log, charged. The worker's journal items are committed
 * once per loop turn (gw_proxy_turn_end): on the loop's thread when the journal is idle, their completions run right
 * there; else by the store's writer thread, whose completions come back to the loop through gw_proxy_on_journal.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "gateway/pipeline/call.h"

static const char *protocol_name(h2o_req_t *req)
{
    return req->version >= 0x200 ? "HTTP/2" : req->version == 0x101 ? "HTTP/1.1" : "HTTP/1.0";
}

static const char *action_name(pol_pii_action_t a)
{
    static const char *const names[] = {"tokenize", "redact", "mask", "hash", "block", "allow"};
    return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "unknown";
}

static char *dup_buf(const gw_buf_t *b)
{
    return b->len != 0 ? strndup(b->base, b->len) : NULL;
}

/* Whether a logged response carries image payloads (a member the adapters declare in image_payload_fields: OpenAI
 * b64_json, Imagen bytesBase64Encoded, Gemini inline data; or data: URIs): its bodies then follow
 * retention.image_payload_hours. */
static int response_has_image(const gw_buf_t *b)
{
    return b->len != 0 && prov_has_image_payload(b->base, b->len);
}

/* Whether a finding's field ("item.content[0].text") is one of the adapter's repeat patterns ("item.content.*.text"). */
static int repeat_field(const char *const *patterns, const char *field)
{
    char dotted[256];
    size_t o = 0;
    for (const char *c = field; *c != '\0' && o < sizeof(dotted) - 1; c++)
        if (*c != ']')
            dotted[o++] = *c == '[' ? '.' : *c;
    dotted[o] = '\0';
    for (size_t i = 0; patterns[i] != NULL; i++)
        if (fnmatch(patterns[i], dotted, 0) == 0)
            return 1;
    return 0;
}

/* Whether finding `i` of `f` (`n` findings) is model text a stream repeats (the adapter's output_text_repeats: the
 * Responses API's *.done events and response.completed) whose value was already found in the stream's pieces: acted
 * on in the answer like any finding, logged and counted once. A value found only in a repeat is logged. */
static int finding_repeated(const gw_call_t *call, const pol_pii_finding_t *f, size_t n, size_t i)
{
    const char *const *rep = call->usage_ad != NULL ? call->usage_ad->output_text_repeats : NULL;
    if (rep == NULL || !call->sse || !f[i].response || !repeat_field(rep, f[i].field))
        return 0;
    for (size_t k = 0; k < n; k++)
        if (k != i && f[k].response && f[k].type == f[i].type &&
            memcmp(f[k].value_hash, f[i].value_hash, sizeof(f[i].value_hash)) == 0 && !repeat_field(rep, f[k].field))
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
    gw_str_copy(rec->request_id, sizeof(rec->request_id), call->request_id);
    rec->user_id = dup_buf(&call->user);
    rec->client = call->client != NULL ? strdup(call->client->name) : NULL;
    gw_str_copy(rec->provider, sizeof(rec->provider), call->provider->name);
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
        gw_buf_t ub = GW_BUF_INIT;
        if (u->has != 0 && prov_usage_to_json(u, &ub) == 0)
            rec->usage_json = dup_buf(&ub);
        gw_buf_free(&ub);
        /* the counts reports show, from the usage the call is billed for (gateway/billing.h) */
        prov_usage_t bu;
        gw_billing_usage(&call->bill, u, call->info.size, call->info.quality, call->body_len, &bu);
        gw_billing_counts(&bu, &rec->input_tokens, &rec->output_tokens, &rec->images, &rec->compute_ms);
        if (call->bill.outcome != NULL)
            gw_str_copy(rec->outcome, sizeof(rec->outcome), call->bill.outcome);
    }
    if (srv->log_bodies) {
        if (call->body_len != 0 && (rec->request_body = malloc(call->body_len)) != NULL) {
            memcpy(rec->request_body, call->body, call->body_len); /* as sent upstream: scrubbed */
            rec->request_len = call->body_len;
        }
        const gw_buf_t *resp = call->resp_log.len != 0 ? &call->resp_log : &call->errbody;
        if (resp->len != 0 && (rec->response_body = malloc(resp->len)) != NULL) {
            memcpy(rec->response_body, resp->base, resp->len);
            gw_secrets_mask(&call->secrets, rec->response_body, resp->len); /* exports return it to a client too */
            rec->response_len = resp->len;
        }
    }
    size_t nall = 0, nf = 0;
    const pol_pii_finding_t *fa = call->pii != NULL ? pol_pii_session_findings(call->pii, &nall) : NULL;
    /* one row per finding, except model text a stream repeats (logged once, from its pieces) */
    size_t *keep = nall != 0 ? malloc(nall * sizeof(*keep)) : NULL;
    for (size_t i = 0; i < nall; i++) {
        if (keep != NULL && finding_repeated(call, fa, nall, i))
            continue;
        if (keep != NULL)
            keep[nf] = i;
        nf++; /* without memory for the index, every finding is logged */
    }
    /* at most pii.max_findings_per_request rows, then one summary row for the rest (a 20 MiB
     * prompt of numbers made 635k rows) */
    size_t cap = gw_privacy_max_findings(call->gen->privacy), nrows = nf > cap ? cap : nf;
    if (nf != 0 && (rec->redactions = calloc(nrows + (nf > cap), sizeof(*rec->redactions))) != NULL) {
        const pol_pii_engine_t *eng = gw_privacy_engine(call->gen->privacy);
        if (nf > cap) {
            gw_redaction_rec_t *r = &rec->redactions[nrows];
            r->field = strdup("*");
            gw_str_copy(r->entity_type, sizeof(r->entity_type), GW_REDACTION_OVERFLOW_TYPE);
            r->start = cap; /* rows logged */
            r->end = nf;    /* findings in the request */
            snprintf(r->action, sizeof(r->action), "summary");
            nf = nrows;
            rec->nredactions = 1; /* counted below with the logged rows */
        }
        for (size_t i = 0; i < nf; i++) {
            gw_redaction_rec_t *r = &rec->redactions[i];
            const pol_pii_finding_t *f = &fa[keep != NULL ? keep[i] : i];
            r->field = strdup(f->field);
            gw_str_copy(r->entity_type, sizeof(r->entity_type), pol_pii_type_name(eng, f->type));
            r->start = f->start;
            r->end = f->end;
            gw_str_copy(r->action, sizeof(r->action), action_name(f->action));
            r->response = f->response;
            memcpy(r->value_hmac, f->value_hash, sizeof(r->value_hmac));
        }
        rec->nredactions += nf;
    }
    free(keep);
    return rec;
}

int gw__provider_index(const prov_adapter_t *a, int known)
{
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    for (size_t i = 0; known && i < n; i++)
        if (all[i] == a)
            return (int)i;
    return -1;
}

/* The client address of `ss` as text (h2o_socket_getnumerichost: numeric host, no port) into `ip` (64 bytes), through
 * the worker's one-entry cache keyed by family, address and IPv6 scope (what the text is made of). */
static void peer_text(gw_worker_t *w, struct sockaddr_storage *ss, socklen_t len, char ip[64])
{
    const unsigned char *a = NULL;
    size_t alen = 0;
    uint32_t scope = 0;
    if (ss->ss_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        a = (const unsigned char *)&((const struct sockaddr_in *)ss)->sin_addr;
        alen = 4;
    } else if (ss->ss_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        a = (const unsigned char *)&((const struct sockaddr_in6 *)ss)->sin6_addr;
        alen = 16;
        scope = ((const struct sockaddr_in6 *)ss)->sin6_scope_id;
    }
    if (a != NULL && w->last_peer.family == ss->ss_family && w->last_peer.scope == scope &&
        memcmp(w->last_peer.addr, a, alen) == 0) {
        memcpy(ip, w->last_peer.text, sizeof(w->last_peer.text));
        return;
    }
    if (h2o_socket_getnumerichost((struct sockaddr *)ss, len, ip) == SIZE_MAX)
        ip[0] = '\0';
    if (a != NULL) {
        w->last_peer.family = ss->ss_family;
        memcpy(w->last_peer.addr, a, alen);
        w->last_peer.scope = scope;
        memcpy(w->last_peer.text, ip, sizeof(w->last_peer.text));
    }
}

void gw__log_access(gw_call_t *call, h2o_req_t *req)
{
    gw_worker_t *w = call->worker;
    char ip[64] = "";
    struct sockaddr_storage ss;
    socklen_t sslen = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    if (sslen > 0)
        peer_text(w, &ss, sslen, ip);
    uint64_t end = gw__now_ns();
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
    gw_metrics_request(&w->metrics, gw__provider_index(call->adapter, call->provider != NULL), rec.status, (uint64_t)rec.total_us,
                       (uint64_t)rec.overhead_us, rec.upstream_us, rec.bytes_in, rec.bytes_out);
    /* while the body's pass runs on a scan thread (a client gone mid-scan), its session is the thread's: the findings
     * of a request that was never forwarded are neither counted nor recorded */
    int scanning = call->scan.state == GW_SCAN_RUNNING;
    if (call->pii != NULL && !scanning) {
        size_t nf;
        const pol_pii_finding_t *f = pol_pii_session_findings(call->pii, &nf);
        for (size_t i = 0; i < nf; i++)
            if (f[i].type >= 0 && f[i].type < GW_METRICS_PII_TYPES && !finding_repeated(call, f, nf, i))
                gw_metrics_add(&w->metrics.redactions[f[i].type], 1);
    }
    if (w->server->store != NULL) {
        gw_call_rec_t *crec = !call->finished && !scanning && call->provider != NULL && call->user.len != 0
                                  ? make_call_record(call, rec.total_us)
                                  : NULL;
        gw_worker_submit(w, crec, gw_store_access_rec_from(&rec));
    }
}

/* ---- the journal: reservations and finished calls committed by the store's writer ------- */

enum { GW_JOURNAL_RESERVE = 1, GW_JOURNAL_FINISH = 2 };

/* The worker whose loop commits its turn inline on this thread right now (gw_proxy_turn_end): the
 * completions it posts are run by that callback, with no uv_async_send. NULL on the writer thread. */
static _Thread_local gw_worker_t *turn_worker;

/* Posts the completion to the call's worker (the call is kept alive by the reference its submitter
 * took): from the writer thread through journal_async; from the worker's own loop committing its
 * turn inline, gw_proxy_turn_end runs it once the commit returns. */
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
    if (turn_worker != w)
        uv_async_send(&w->journal_async);
}

void gw__on_journal_reserved(void *ctx, int rc, int64_t bal)
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
int gw__finish_call(gw_call_t *call, int complete, int wait, int with_record)
{
    gw_worker_t *w = call->worker;
    gw_store_t *st = w->server->store;
    if (st == NULL || call->finished)
        return -1;
    int64_t actual = call->reserved ? gw__settle_amount(call, complete) : 0;
    /* a prediction not terminal yet: its reservation is settled by the first terminal read (predictions.c) */
    int settle = call->reserved && !call->pred.keep_open;
    if (call->idem_claimed)
        gw__queue_ledger_job(call, 0, 0, call->status != 0 ? call->status : 499);
    gw_call_rec_t *rec = NULL;
    if (with_record && call->provider != NULL && call->user.len != 0)
        rec = make_call_record(call, (int64_t)((gw__now_ns() - call->t_start_ns) / 1000));
    if (!settle && rec == NULL)
        return -1;
    call->finished = 1;
    call->refs++;
    w->inflight++;
    call->finishing = wait;
    int rc = gw_store_finish_async(st, rec, call->user.base, call->request_id, settle, actual, on_journal_finished, call);
    if (rc != 0) {
        gw_log(GW_LOG_ERROR, "the record of %s could not be queued (%s)%s", call->request_id, gw_strerror(rc),
               settle ? "; its reservation is settled by crash recovery on the next start" : "");
        call->finishing = 0;
        call->refs--;
        w->inflight--;
        return -1;
    }
    return 0;
}

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
            /* the held piece ends the body (respond.c gw__flush): h2o writes the bytes of an error
             * send before it closes, so sent they would complete a Content-Length answer that is in
             * no call log. Dropped: the client sees a cut answer. */
            gw_buf_reset(&call->pending);
        }
        call->upstream_done = 1;
        gw__flush(call);
    }
    gw__release(call); /* finish_call's reference */
    gw_worker_request_done(w);
}

/* Runs the completions posted for `w`'s calls, in posting order (loop). */
static void journal_run(gw_worker_t *w)
{
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
            gw__meter_reserved(call, 0);
        } else {
            on_finish_committed(call);
        }
    }
}

void gw_proxy_on_journal(uv_async_t *a)
{
    journal_run(a->data);
}

/* Rounds of gw_proxy_turn_end: a completion that submits again (a reservation committed for a client
 * that has left settles at once) is committed in the same turn; past this, the writer's. */
#define GW_TURN_ROUNDS 4

void gw_proxy_turn_end(uv_prepare_t *p)
{
    gw_worker_t *w = p->data;
    for (int round = 0; round < GW_TURN_ROUNDS; round++) {
        turn_worker = w;
        size_t n = gw_store_turn_commit(w->turn, 1);
        turn_worker = NULL;
        if (n == 0)
            return; /* nothing held, or handed to the writer (its completions come through journal_async) */
        journal_run(w);
        /* a reservation committed here started its transfer: send it now, not after a poll of 0 ms and the
         * next turn's timers (what it ends with, if anything, is committed by the next round) */
        gw_upstream_run_due(w->upstream);
    }
    gw_store_turn_commit(w->turn, 0);
}
