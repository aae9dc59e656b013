/*
 * Stage "canonicalise": one canonical request before any decision (issue 10). HTTP/1.1 framing that a proxy in front
 * may read differently is refused; the path is normalised once (gateway/canon.h) and every later stage, the logs and
 * the upstream URL read only that form (call->target, call->route); a `key` query parameter is removed on provider
 * routes. The canonical path names a route (route.c): aigw's own routes (health, metrics, admin) are answered here,
 * provider routes get their adapter and the method check.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "gateway/admin.h"
#include "gateway/canon.h"
#include "gateway/headers.h"
#include "gateway/pipeline/call.h"

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

/* A path under a provider's first segment but outside its route prefix that the provider's posture names a storage
 * route (policy/notrain.h routes with `refuse`; Gemini "upload/...": /gemini/upload/v1beta/files, the Files API's upload
 * URL the Gemini SDK builds from its base URL). aigw has no upstream URL for it, and a resumable upload's session URL
 * would send the file to the provider around aigw, so it is refused with the storage refusal (403, the route's reason,
 * the provider's error shape) whatever training.providers.NAME.no_storage says. @return 0 not such a path, -1 answered. */
static int refuse_storage_outside(gw_call_t *call, const prov_adapter_t *a)
{
    const char *seg = a->route_prefix, *slash = strchr(seg + 1, '/');
    size_t sl = slash != NULL ? (size_t)(slash - seg) + 1 : 0; /* "/gemini/" */
    if (a->notrain == NULL || sl == 0 || call->route.len <= sl)
        return 0;
    char route[256];
    size_t rl = call->route.len - sl;
    const char *rest = call->route.base + sl, *q = memchr(rest, '?', rl);
    if (q != NULL)
        rl = (size_t)(q - rest);
    if (rl >= sizeof(route))
        rl = sizeof(route) - 1;
    memcpy(route, rest, rl);
    route[rl] = '\0';
    for (const pol_notrain_route_t *rr = a->notrain->routes; rr != NULL && rr->glob != NULL; rr++) {
        if (rr->refuse == NULL || fnmatch(rr->glob, route, FNM_CASEFOLD) != 0)
            continue;
        char msg[400];
        if (rr->message != NULL)
            snprintf(msg, sizeof(msg), "aigw: %s", rr->message);
        else
            snprintf(msg, sizeof(msg),
                     "aigw: %s: the route \"%.100s\" stores content at the provider until it is deleted, and aigw does not "
                     "serve it (a storage feature outside %s, refused whatever training.providers.%s.no_storage says); send "
                     "the content inline in the request instead",
                     a->name, route, a->route_prefix, a->name);
        gw_send_error_as(call, GW_ERR_TRAINING_POLICY, 0, rr->refuse, msg);
        return -1;
    }
    return 0;
}

gw_stage_rc_t gw__stage_canonicalise(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    gw_worker_t *w = call->worker;
    gw_route_t *r = &call->rt;
    /* HTTP/1.1 framing that a proxy in front may read differently: refuse and close (RFC 9112 section 6.3) */
    if (req->version < 0x200 && conflicting_framing(req)) {
        req->http1_is_persistent = 0; /* what follows on this connection may be a smuggled request: never read it */
        gw_send_error(call, GW_ERR_INVALID_FRAMING, NULL);
        return GW_STAGE_ANSWERED;
    }
    /* one canonical request target for every decision below and for the upstream URL */
    size_t cpath_len;
    const char *canon_err;
    if (gw_canon_target(req->input.path.base, req->input.path.len, &call->target, &cpath_len, &canon_err) != 0) {
        char msg[200];
        gw__route_match(req->input.path.base, req->input.path.len, r); /* only for the error's shape */
        if (r->kind == GW_ROUTE_PROVIDER)
            call->adapter = r->adapter;
        gw_buf_append(&call->route, req->input.path.base, req->input.path.len < 100 ? req->input.path.len : 100);
        snprintf(msg, sizeof(msg), "aigw: invalid request path: %s", canon_err);
        gw_send_error(call, GW_ERR_INVALID_PATH, msg);
        return GW_STAGE_ANSWERED;
    }
    gw_buf_append(&call->route, call->target.base, cpath_len);
    gw__route_match(call->target.base, call->target.len, r);
    size_t dropped = 0; /* a client credential is never forwarded */
    for (const char *const *q = prov_credential_query_params; r->kind == GW_ROUTE_PROVIDER && *q != NULL; q++)
        dropped += gw_canon_drop_query_param(&call->target, cpath_len, *q);
    if (dropped != 0)
        gw__route_match(call->target.base, call->target.len, r);
    switch (r->kind) {
    case GW_ROUTE_HEALTHZ:
        gw__send_json(call, 200, "{\"status\":\"ok\"}");
        call->no_access_log = 1;
        return GW_STAGE_ANSWERED;
    case GW_ROUTE_READYZ:
        if (w->draining || w->server->draining)
            gw__send_json(call, 503, "{\"status\":\"draining\"}");
        else
            gw__send_json(call, 200, "{\"status\":\"ready\"}");
        call->no_access_log = 1;
        return GW_STAGE_ANSWERED;
    case GW_ROUTE_NONE: {
        char msg[200];
        if (r->adapter != NULL)
            call->adapter = r->adapter; /* under /gemini/, /anthropic/, ...: that provider's error shape */
        if (r->adapter != NULL && refuse_storage_outside(call, r->adapter) != 0)
            return GW_STAGE_ANSWERED;
        snprintf(msg, sizeof(msg), "aigw: unknown route %.*s (see the API routes in README.md)",
                 (int)(call->route.len > 100 ? 100 : call->route.len), call->route.base);
        gw_send_error(call, GW_ERR_UNKNOWN_ROUTE, msg);
        return GW_STAGE_ANSWERED;
    }
    case GW_ROUTE_METRICS:
        call->no_access_log = 1;
        call->state = GW_CALL_FINISHED;
        gw_admin_metrics(w, req);
        return GW_STAGE_ANSWERED;
    case GW_ROUTE_CONSOLE:
        call->no_access_log = 1;
        call->state = GW_CALL_FINISHED;
        gw_admin_console(w, req);
        return GW_STAGE_ANSWERED;
    case GW_ROUTE_ADMIN:
        call->no_access_log = 1;
        call->state = GW_CALL_FINISHED;
        gw_admin_handle(w, req);
        return GW_STAGE_ANSWERED;
    case GW_ROUTE_PROVIDER:
        break;
    }
    call->adapter = r->adapter;
    call->up = call->usage_ad = r->adapter;
    call->unified = r->unified;
    if (r->wire != NULL)
        call->adapter = call->usage_ad = r->wire; /* e.g. /gemini/v1beta/openai/: OpenAI's format, Gemini's key and posture */
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("POST")) &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("DELETE")) &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"))) {
        gw__add_header(req, "allow", "GET, POST, DELETE, HEAD", 23);
        gw_send_error(call, GW_ERR_METHOD_NOT_ALLOWED, NULL);
        return GW_STAGE_ANSWERED;
    }
    /* A method override (Google's APIs honour X-HTTP-Method-Override) would have the provider run another method than
       the one every decision here was made for (routes, storage refusals, metering): refused, never forwarded. */
    static const char *const overrides[] = {"x-http-method-override", "x-http-method", "x-method-override"};
    for (size_t i = 0; i < req->headers.size; i++)
        for (size_t k = 0; k < sizeof(overrides) / sizeof(overrides[0]); k++)
            if (h2o_lcstris(req->headers.entries[i].name->base, req->headers.entries[i].name->len, overrides[k],
                            strlen(overrides[k]))) {
                gw__add_header(req, "allow", "GET, POST, DELETE, HEAD", 23);
                gw_send_error(call, GW_ERR_METHOD_NOT_ALLOWED,
                              "aigw: method override headers (X-HTTP-Method-Override) are not forwarded; send the method "
                              "itself");
                return GW_STAGE_ANSWERED;
            }
    return GW_STAGE_NEXT;
}
