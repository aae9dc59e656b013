/*
 * Stage "authenticate": who is calling. The client key (any of the provider-native credential headers) against every
 * configured client (gateway/auth.h), or, on a prediction stream URL aigw handed out, the capability in its query
 * (predictions.c). Then what must hold before aigw reads the body: the call log keeps up (503 while records wait for
 * room), the body is within limits.max_request_body_bytes (413), the X-AIGW-User header is a valid user id, and an
 * Idempotency-Key is one the ledger can record (400 otherwise).
 */
#include <stdio.h>
#include <string.h>

#include "gateway/auth.h"
#include "gateway/pipeline/call.h"

/* The client credential for the route's auth style (any of the provider-native headers). */
static int client_credential(h2o_req_t *req, const char **key, size_t *len)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    if (i >= 0)
        return gw_auth_parse_authorization(req->headers.entries[i].value.base, req->headers.entries[i].value.len, key, len);
    const h2o_header_t *h = NULL;
    for (const char *const *name = prov_client_key_headers; h == NULL && *name != NULL; name++)
        h = gw__find_header(req, *name, strlen(*name));
    if (h == NULL || h->value.len == 0)
        return -1;
    *key = h->value.base;
    *len = h->value.len;
    return 0;
}

/* The Idempotency-Key header, when sent: once, 1..GW_IDEMPOTENCY_KEY_MAX bytes of visible ASCII (the header is an
 * sf-string in draft-ietf-httpapi-idempotency-key-header; Stripe's keys, which the SDKs copy, are printable ASCII).
 * Fail closed: a key the ledger could not record would still make the request retryable (attempt.c) without
 * deduplicating its charge, so it is refused rather than ignored. Returns 1 when valid or absent, 0 otherwise. */
static int idempotency_key_valid(const h2o_req_t *req)
{
    int seen = 0;
    for (size_t i = 0; i < req->headers.size; i++) {
        const h2o_header_t *h = &req->headers.entries[i];
        if (!h2o_lcstris(h->name->base, h->name->len, H2O_STRLIT("idempotency-key")))
            continue;
        if (seen++ != 0 || h->value.len == 0 || h->value.len > GW_IDEMPOTENCY_KEY_MAX)
            return 0;
        for (size_t j = 0; j < h->value.len; j++)
            if ((unsigned char)h->value.base[j] < 0x21 || (unsigned char)h->value.base[j] > 0x7e)
                return 0;
    }
    return 1;
}

gw_stage_rc_t gw__stage_authenticate(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    gw_worker_t *w = call->worker;
    const gw_config_t *cfg = call->gen->cfg;
    /* a prediction stream URL aigw handed out carries a capability instead of a client key */
    const char *capv;
    size_t capl;
    if (gw_async_stream_route(call->up, call->rt.rest, call->rt.rest_len, &capv, &capl))
        return gw__async_stream(call, capv, capl);
    /* client key */
    const char *key;
    size_t klen;
    if (client_credential(req, &key, &klen) != 0 || (call->client = gw_auth_client(cfg, key, klen)) == NULL) {
        gw_send_error(call, GW_ERR_INVALID_API_KEY, NULL);
        return GW_STAGE_ANSWERED;
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
        gw__add_header(req, "retry-after", "1", 1);
        gw_send_error(call, GW_ERR_LOG_BACKPRESSURE, NULL);
        return GW_STAGE_ANSWERED;
    }
    /* the journal cannot commit (database full or failing): forwarding would make a call that
     * cannot be logged or metered, so new calls wait (metering on or off) */
    if (w->server->store != NULL && gw_store_unavailable(w->server->store)) {
        gw_metrics_add(&w->metrics.log_backpressure, 1);
        gw__add_header(req, "retry-after", "1", 1);
        gw_send_error(call, GW_ERR_STORE_UNAVAILABLE, NULL);
        return GW_STAGE_ANSWERED;
    }
    /* body size cap (h2o's own hard limit is twice this; see server.c) */
    if (req->entity.base != NULL && req->entity.len > cfg->max_request_body_bytes) {
        char msg[160];
        snprintf(msg, sizeof(msg), "aigw: request body of %zu bytes exceeds limits.max_request_body_bytes (%zu)", req->entity.len,
                 cfg->max_request_body_bytes);
        gw_send_error(call, GW_ERR_REQUEST_TOO_LARGE, msg);
        return GW_STAGE_ANSWERED;
    }
    /* end user: X-AIGW-User, else the body's user / safety_identifier (parse.c) */
    const h2o_header_t *uh = gw__find_header(req, H2O_STRLIT("x-aigw-user"));
    if (uh != NULL) {
        if (!gw_user_id_valid(uh->value.base, uh->value.len)) {
            gw_send_error(call, GW_ERR_INVALID_USER_HEADER, NULL);
            return GW_STAGE_ANSWERED;
        }
        gw_buf_append(&call->user, uh->value.base, uh->value.len);
    }
    if (!idempotency_key_valid(req)) {
        gw_send_error(call, GW_ERR_INVALID_IDEMPOTENCY_KEY, NULL);
        return GW_STAGE_ANSWERED;
    }
    return GW_STAGE_NEXT;
}
