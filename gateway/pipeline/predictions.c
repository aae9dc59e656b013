/*
 * Asynchronous predictions (gateway/async.h) in the pipeline, for adapters that declare async_stream_origin
 * (providers/provider.h). A prediction answer's urls.get / cancel / stream are rewritten to aigw's routes; the stream
 * URL carries a capability (sealed with a per-start key: user, client, upstream URL and the request's placeholder
 * vault) that stands in for the client key, since SDKs fetch stream URLs without credentials. Placeholders of the
 * creating request are restored from its vault. A stream is not charged: the prediction was reserved and settled when
 * it was created.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "gateway/pipeline/call.h"

static unsigned char async_key_bytes[GW_ASYNC_KEY_BYTES];

static void async_key_init(void)
{
    randombytes_buf(async_key_bytes, sizeof(async_key_bytes));
}

/* The key of this process's stream capabilities (random per start: a stream URL is used
 * seconds after its prediction was created, by the same gateway). */
static const unsigned char *async_key(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, async_key_init);
    return async_key_bytes;
}

/* The request's placeholder vault: every token in the body as sent upstream, with its value. */
static int async_vault(gw_call_t *call, gw_async_vault_t *v)
{
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
void gw__async_rewrite_urls(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    gw_async_vault_t v;
    memset(&v, 0, sizeof(v));
    pol_buf_t base = POL_BUF_INIT;
    if (pol_buf_appendf(&base, "%.*s://%.*s", (int)req->input.scheme->name.len, req->input.scheme->name.base,
                        (int)req->input.authority.len, req->input.authority.base) == 0 &&
        async_vault(call, &v) == 0) {
        gw_async_rewrite_t rw = {
            base.base,   call->adapter->route_prefix, call->user.base, call->client != NULL ? call->client->name : "", &v,
            async_key(), (int64_t)time(NULL)};
        if (gw_async_rewrite_replicate(&rw, call->pending.base, call->pending.len, &call->async_out) == 1) {
            pol_buf_t t = call->pending;
            call->pending = call->async_out;
            call->async_out = t;
        }
    }
    pol_buf_free(&base);
    gw_async_vault_free(&v);
}

/* GET <aigw>/replicate/v1/predictions/{id}/stream?aigw_cap=...: the user and the upstream URL
 * come from the capability (no client key: the SDK fetches stream URLs without credentials);
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
    if (gw_async_cap_open(async_key(), capv, capl, (int64_t)time(NULL), &call->async_cap, &err_desc) != 0) {
        snprintf(msg, sizeof(msg), "aigw: this stream URL is not valid (%s); take urls.stream from a prediction aigw returned",
                 err_desc);
        gw_send_error(call, GW_ERR_INVALID_STREAM_URL, msg);
        return GW_STAGE_ANSWERED;
    }
    for (size_t i = 0; i < cfg->nclients && call->client == NULL; i++)
        if (strcmp(cfg->clients[i].name, call->async_cap.client) == 0)
            call->client = &cfg->clients[i];
    pol_buf_append(&call->user, call->async_cap.user, strlen(call->async_cap.user));
    call->rest = call->rt.rest;
    call->rest_len = call->rt.rest_len;
    if (gw__choose_provider(call) != 0)
        return GW_STAGE_ANSWERED;
    /* only the adapter's stream origin or the configured base_url (a mock, an egress proxy) */
    const char *u = call->async_cap.upstream_url, *so = call->up->async_stream_origin != NULL ? call->up->async_stream_origin : "";
    size_t bl = strlen(call->provider->base_url);
    if (!((strncmp(u, call->provider->base_url, bl) == 0 && u[bl] == '/') || strncmp(u, so, strlen(so)) == 0)) {
        gw_send_error(call, GW_ERR_INVALID_STREAM_URL, "aigw: the stream URL names an unexpected host");
        return GW_STAGE_ANSWERED;
    }
    call->async_url = u;
    call->async_restore = call->async_cap.ntokens != 0;
    gw__pipeline_resume(call, GW_STAGE_UPSTREAM); /* no body: nothing to parse, meter or scrub */
    return GW_STAGE_ANSWERED;
}
