/*
 * The route table and stage "route". gw__route_match says what a canonical path names (DESIGN.md section 4): aigw's
 * own routes, each adapter's native prefix (a native route under the adapter's compat_prefix speaks its compat_wire
 * format), and the unified /v1/ route. The stage decides which provider serves the call: a native route's own, or on
 * /v1/ the provider config "models" names for the body's model (so it runs after parse); fal's proxy protocol names
 * the upstream in x-fal-target-url, which is validated and canonicalised here. Nothing here names a provider: every
 * difference is declared by the adapters (providers/provider.h).
 */
#include <stdio.h>
#include <string.h>

#include "gateway/canon.h"
#include "gateway/pipeline/call.h"

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

/* Routes (DESIGN.md section 4): native /<provider>/... prefixes, and /v1/ for the unified
 * (OpenAI-format) surface, whose provider is chosen by model in the route stage. */
void gw__route_match(const char *path, size_t len, gw_route_t *r)
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
        r->adapter = prov_unified(); /* the wire format; the provider is chosen by model later (route stage) */
        r->unified = 1;
        r->rest = path + 4;
        r->rest_len = len - 4;
        return;
    }
    /* No route, but under a provider's first segment (/gemini/upload/v1beta/files, the Files API's upload URL the
     * Gemini SDK builds from its base URL): kind stays NONE, the adapter only names the error shape, so the SDK reads
     * aigw's 404 as its own error */
    for (size_t i = 0; i < n; i++) {
        const char *seg = all[i]->route_prefix, *slash = strchr(seg + 1, '/');
        size_t sl = slash != NULL ? (size_t)(slash - seg) + 1 : 0; /* "/gemini/" */
        if (sl > 2 && len >= sl && memcmp(path, seg, sl) == 0) {
            r->adapter = all[i];
            return;
        }
    }
}

/* An adapter whose client names the upstream URL in a header (fal's proxy protocol: the adapter's
 * target_header, x-fal-target-url): only https URLs on the adapter's allow-listed hosts pass
 * (anything else: 400, nothing forwarded). From here on the call's path is the target's: the
 * storage refusal, the model and its price are decided from where the call really goes, not from
 * aigw's own route prefix. Answers the request on failure. */
static int take_target_url(gw_call_t *call, h2o_req_t *req)
{
    const prov_adapter_t *up = call->up;
    const h2o_header_t *th = gw__find_header(req, up->target_header, strlen(up->target_header));
    const char *err_desc = "header missing";
    if (th == NULL || up->target_url(th->value.base, th->value.len, up->target_hosts, &call->named_target, &err_desc) != 0) {
        char msg[400];
        snprintf(msg, sizeof(msg), "aigw: %s (%s must be an https URL on one of %s's allowed hosts)", err_desc, up->target_header,
                 up->name);
        gw_send_error(call, GW_ERR_INVALID_TARGET_URL, msg);
        return -1;
    }
    /* the same canonical form as aigw's own paths: "/%73torage/upload" is "/storage/upload" */
    size_t plen;
    const char *canon_err = "invalid path";
    if (gw_canon_target(call->named_target.path, call->named_target.path_len, &call->named_target_path, &plen, &canon_err) != 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "aigw: %s: invalid path: %s", up->target_header, canon_err);
        gw_send_error(call, GW_ERR_INVALID_TARGET_URL, msg);
        return -1;
    }
    call->named_target.path = call->named_target_path.base;
    call->named_target.path_len = call->named_target_path.len;
    call->rest = call->named_target.path;
    call->rest_len = call->named_target.path_len;
    while (call->rest_len != 0 && call->rest[0] == '/') {
        call->rest++;
        call->rest_len--;
    }
    return 0;
}

const char *gw__query_refused(const gw_call_t *call, const prov_adapter_t *a)
{
    if (a == NULL || a->refused_query == NULL)
        return NULL;
    const char *q = memchr(call->rest, '?', call->rest_len), *end = call->rest + call->rest_len;
    while (q != NULL && q < end) {
        const char *param = q + 1, *pe = param, *ke;
        while (pe < end && *pe != '&')
            pe++;
        for (ke = param; ke < pe && *ke != '='; ke++)
            ;
        for (const char *const *n = a->refused_query; *n != NULL; n++)
            if (gw_canon_query_name_is(param, (size_t)(ke - param), *n))
                return *n;
        q = pe;
    }
    return NULL;
}

/* Routes that hand the client a way to the provider around aigw, or administer the provider account
 * (providers/provider.h refused_routes): refused with 403 on every method, whatever config says; and query parameters
 * an adapter never forwards (refused_query: 400), as the route's wire
 * adapter or the serving provider declares them (on /v1/ a model routed to Gemini still names OpenAI's route). Runs
 * on the call's final path (fal: the target's). Answers the request itself. @return 0, or -1 answered. */
static int refuse_route(gw_call_t *call)
{
    const prov_adapter_t *ads[2] = {call->adapter, call->up};
    for (size_t i = 0; i < 2; i++) {
        const prov_refused_route_t *rr =
            prov_route_refused(ads[i], call->req->method.base, call->req->method.len, call->rest, call->rest_len);
        if (rr == NULL)
            continue;
        char msg[400];
        snprintf(msg, sizeof(msg), "aigw: %s", rr->message);
        gw_send_error_as(call, GW_ERR_ROUTE_REFUSED, 0, rr->code, msg);
        return -1;
    }
    /* query parameters the adapters never forward (providers/provider.h refused_query), in any spelling */
    for (size_t i = 0; i < 2; i++) {
        const char *n = gw__query_refused(call, ads[i]);
        if (n == NULL)
            continue;
        char msg[300];
        snprintf(msg, sizeof(msg),
                 "aigw: %s: the query parameter %s changes what the answer holds (a partial response can leave out the usage "
                 "aigw meters); it is not forwarded: send the request without it",
                 ads[i]->name, n);
        gw_send_error(call, GW_ERR_QUERY_REFUSED, msg);
        return -1;
    }
    return 0;
}

/* Which provider serves the call. Native routes: the route's. /v1/: config "models" globs on the
 * body's model (providers/provider.h prov_for_model), reached through the provider's
 * OpenAI-compatible endpoint. Answers the request itself on failure. */
int gw__choose_provider(gw_call_t *call)
{
    const gw_config_t *cfg = call->gen->cfg;
    if (call->rt.unified) {
        const char *model = call->info.model.len != 0 ? call->info.model.base : "";
        const prov_adapter_t *t = prov_for_model(model, gw_config_section(cfg, "models"));
        if (t != NULL && t != call->rt.adapter) {
            if (t->compat_prefix == NULL) {
                char msg[300];
                snprintf(msg, sizeof(msg),
                         "aigw: model %.80s is routed to %s (config models), which has no OpenAI-compatible API; call it on "
                         "%s natively",
                         model, t->name, t->route_prefix);
                gw_send_error(call, GW_ERR_MODEL_NOT_OPENAI_COMPATIBLE, msg);
                return -1;
            }
            call->up = t;
            call->usage_ad = t->compat_wire != NULL ? t->compat_wire : t;
        }
    }
    if ((call->provider = gw_config_provider(cfg, call->up->name)) == NULL) {
        char msg[160];
        snprintf(msg, sizeof(msg), "aigw: provider %s is not configured on this gateway", call->up->name);
        gw_send_error(call, GW_ERR_PROVIDER_NOT_CONFIGURED, msg);
        return -1;
    }
    if (call->provider->api_key[0] == '\0') {
        /* the shipped config lists every provider with its key from the environment: say which
         * variable is missing instead of forwarding an empty key for the provider to refuse */
        char msg[200];
        snprintf(msg, sizeof(msg), "provider %s: %s is not set (aigw has no key for this provider; set it and restart or reload)",
                 call->up->name, call->provider->api_key_env != NULL ? call->provider->api_key_env : "its api_key");
        gw_send_error(call, GW_ERR_PROVIDER_KEY_MISSING, msg);
        return -1;
    }
    return 0;
}

int gw__output_session(gw_call_t *call)
{
    const gw_privacy_t *pv = call->gen->privacy;
    if (call->pii != NULL || gw_privacy_output_paths(pv, call->usage_ad) == NULL)
        return 0;
    if ((call->pii = pol_pii_session_create(gw_privacy_engine(pv))) == NULL) {
        gw_send_error(call, GW_ERR_INTERNAL, "aigw: out of memory");
        return -1;
    }
    call->pii_seq = call->gen->seq;
    return 0;
}

gw_stage_rc_t gw__stage_route(gw_call_t *call)
{
    h2o_req_t *req = call->req;
    call->rest = call->rt.rest;
    call->rest_len = call->rt.rest_len;
    if (gw__choose_provider(call) != 0 || gw__output_session(call) != 0)
        return GW_STAGE_ANSWERED;
    if (call->up->target_url != NULL && take_target_url(call, req) != 0)
        return GW_STAGE_ANSWERED;
    if (refuse_route(call) != 0)
        return GW_STAGE_ANSWERED;
    gw_billing_begin(&call->bill, call->up, call->info.model.base, call->info.model.len, req->method.base, req->method.len,
                     call->rest, call->rest_len);
    call->async_rewrite = call->up->async_links != NULL;
    gw__async_classify(call);
    gw__fallback_begin(call);
    return GW_STAGE_NEXT;
}
