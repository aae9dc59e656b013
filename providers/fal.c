/*
 * fal adapter (docs/providers/fal.md). fal's SDK has no base URL option; it speaks the proxy
 * protocol instead: every request goes to the proxy URL (aigw's /fal/...) with the real fal URL in
 * the `x-fal-target-url` header, and the proxy adds `Authorization: Key <FAL_KEY>`. So the upstream
 * URL comes from that header through target_url(), which only lets https URLs to allow-listed fal
 * hosts through (default: fal.run, *.fal.run incl. queue.fal.run, rest.alpha.fal.ai; fal's own
 * server proxy allows every path on fal.run and queue.fal.run). Request bodies are the model input itself:
 * every string is text except data: URIs / base64 (maybe_binary). Errors are {"detail":"..."}.
 * Usage: none in bodies; the `x-fal-billable-units` response header [obs] is the billed quantity,
 * with `metrics.inference_time` on COMPLETED status objects (also in the status SSE stream) and
 * the generated images counted in results as fallbacks.
 */
#include "providers/provider.h"
#include "common/json.h"
#include "providers/prov_internal.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every model has its own input schema: nothing is structural, every string and key is scanned. */
static const prov_skip_t fal_skip_fields[] = {
    {NULL, 0},
};

static const char *const fal_target_hosts[] = {"fal.run", "*.fal.run", "queue.fal.run", "rest.alpha.fal.ai", NULL};

static int fal_error_body(gw_buf_t *out, int status, const char *type, const char *code, const char *param, const char *message)
{
    (void)status;
    (void)type;
    (void)code;
    (void)param;
    return PROV_APPEND_LIT(out, "{\"detail\":") != 0 || gw_json_escape(message, strlen(message), out) != 0 ||
                   PROV_APPEND_LIT(out, "}") != 0
               ? -1
               : 0;
}

static int64_t count_outputs(const json_t *root)
{
    json_t *images = prov__jget(root, "images");
    if (json_is_array(images))
        return (int64_t)json_array_size(images);
    if (json_is_object(prov__jget(root, "image")))
        return 1;
    return 0;
}

static int fal_usage_from_json(const char *body, size_t len, prov_usage_t *u)
{
    json_t *root = prov__jload_object(body, len);
    if (root == NULL)
        return PROV_E_PARSE;
    int n = prov__usage_from_num(u, PROV_USAGE_INFERENCE_TIME_S, root, "metrics.inference_time");
    if (n == 0)
        n += prov__usage_from_num(u, PROV_USAGE_INFERENCE_TIME_S, root, "timings.inference");
    int64_t images = count_outputs(root);
    if (images > 0) {
        prov__usage_set_int(u, PROV_USAGE_IMAGES, images);
        n++;
    }
    json_decref(root);
    return n;
}

static void fal_usage_from_event(prov_usage_state_t *st, const gw_sse_event_t *ev)
{
    /* status stream: IN_QUEUE / IN_PROGRESS / COMPLETED status objects; the result is fetched afterwards */
    st->events++;
    if (!ev->has_data || memmem(ev->data, ev->data_len, "COMPLETED", 9) == NULL)
        return;
    json_t *root = prov__jload_object(ev->data, ev->data_len);
    if (root == NULL)
        return;
    const char *status = json_string_value(prov__jget(root, "status"));
    if (status != NULL && strcmp(status, "COMPLETED") == 0) {
        st->done = 1;
        prov__usage_from_num(&st->usage, PROV_USAGE_INFERENCE_TIME_S, root, "metrics.inference_time");
        if (json_is_string(prov__jget(root, "error")))
            st->error = 1;
    }
    json_decref(root);
}

static void fal_usage_from_header(prov_usage_t *u, const char *name, size_t name_len, const char *value, size_t value_len)
{
    static const char want[] = "x-fal-billable-units";
    if (name_len != sizeof(want) - 1 || strncasecmp(name, want, name_len) != 0 || value_len == 0 || value_len > 31)
        return;
    char buf[32], *end;
    memcpy(buf, value, value_len);
    buf[value_len] = '\0';
    double v = strtod(buf, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end != buf && *end == '\0')
        prov__usage_set_double(u, PROV_USAGE_BILLABLE_UNITS, v);
}

static int fal_estimate_inputs(const char *body, size_t len, prov_estimate_t *e)
{
    prov__estimate_reset(e, len);
    json_t *root = prov__jload_object(body, len);
    if (root == NULL)
        return PROV_E_PARSE;
    int64_t v, w, h;
    if (prov__jint(root, "num_images", &v))
        e->n = v;
    if (prov__jint(root, "max_tokens", &v))
        e->max_output_tokens = v;
    /* image_size: a preset name ("landscape_4_3") or {width, height} */
    json_t *size = prov__jget(root, "image_size");
    if (json_is_string(size))
        prov__jstr(root, "image_size", e->size, sizeof(e->size));
    else if (prov__jint(size, "width", &w) && prov__jint(size, "height", &h))
        snprintf(e->size, sizeof(e->size), "%lldx%lld", (long long)w, (long long)h);
    prov__jstr(root, "aspect_ratio", e->aspect_ratio, sizeof(e->aspect_ratio));
    json_decref(root);
    return 0;
}

/* Endpoint id from a target path: "/fal-ai/flux/dev" -> "fal-ai/flux/dev"; follow-up calls
 * "/fal-ai/flux/requests/<id>/status" -> "fal-ai/flux" (fal.md section 1: they drop the sub-path). */
static int fal_model_from_path(const char *path, size_t len, char *model, size_t cap)
{
    const char *p, *end;
    prov__path_span(path, len, &p, &end);
    const char *req = NULL;
    for (const char *s = p; s + 10 <= end; s++)
        if (memcmp(s, "/requests/", 10) == 0) {
            req = s;
            break;
        }
    if (req != NULL)
        end = req;
    while (end > p && end[-1] == '/')
        end--;
    if (end == p || memchr(p, '/', (size_t)(end - p)) == NULL)
        return -1;
    return prov__copy_name(model, cap, p, (size_t)(end - p));
}

static int bad(const char **err_desc, const char *why)
{
    if (err_desc != NULL)
        *err_desc = why;
    return PROV_E_TARGET;
}

static int fal_target_url(const char *value, size_t len, const char *const *allowed_hosts, prov_target_t *t, const char **err_desc)
{
    if (len == 0)
        return bad(err_desc, "x-fal-target-url is missing");
    if (len > 4096)
        return bad(err_desc, "x-fal-target-url is too long");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c <= 0x20 || c >= 0x7f || c == '\\')
            return bad(err_desc, "x-fal-target-url: only printable ASCII without spaces or backslashes");
        if (c == '#')
            return bad(err_desc, "x-fal-target-url: fragments are not allowed");
    }
    if (len < 8 || strncasecmp(value, "https://", 8) != 0)
        return bad(err_desc, "x-fal-target-url: only https:// URLs are allowed");
    const char *host = value + 8, *end = value + len, *a = host;
    while (a < end && *a != '/' && *a != '?')
        a++;
    /* authority = host[:443]; no userinfo, no IP literals */
    const char *colon = memchr(host, ':', (size_t)(a - host));
    const char *host_end = colon != NULL ? colon : a;
    if (colon != NULL && !((size_t)(a - colon) == 4 && memcmp(colon, ":443", 4) == 0))
        return bad(err_desc, "x-fal-target-url: only the default https port is allowed");
    size_t hl = (size_t)(host_end - host);
    char h[256];
    if (hl == 0 || hl >= sizeof(h))
        return bad(err_desc, "x-fal-target-url: bad host");
    for (size_t i = 0; i < hl; i++) {
        char c = host[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return bad(err_desc, "x-fal-target-url: bad host");
        h[i] = c;
    }
    h[hl] = '\0';
    if (h[0] == '.' || h[hl - 1] == '.' || strstr(h, "..") != NULL)
        return bad(err_desc, "x-fal-target-url: bad host");
    int ok = 0;
    for (size_t i = 0; allowed_hosts != NULL && allowed_hosts[i] != NULL && !ok; i++)
        ok = fnmatch(allowed_hosts[i], h, 0) == 0;
    if (!ok)
        return bad(err_desc, "x-fal-target-url: host is not an allowed fal host");
    /* path: "/..." or empty; no dot segments (the same rule as every other route) */
    const char *path = a;
    const char *qm = memchr(path, '?', (size_t)(end - path));
    const char *pend = qm != NULL ? qm : end;
    for (const char *s = path; s < pend; s++) {
        if (*s != '/')
            continue;
        size_t rest = (size_t)(pend - s - 1);
        if ((rest >= 1 && s[1] == '.' && (rest == 1 || s[2] == '/')) ||
            (rest >= 2 && s[1] == '.' && s[2] == '.' && (rest == 2 || s[3] == '/')))
            return bad(err_desc, "x-fal-target-url: dot segments are not allowed");
    }
    /* fal's platform REST host serves temporary tokens (a way to fal around aigw), API keys, storage: no model. Only its
       storage uploads pass here, for the no-training pass's storage refusal with its hint (fal_notrain_routes). */
    if (strcmp(h, "rest.alpha.fal.ai") == 0 && ((size_t)(pend - path) < 15 || strncasecmp(path, "/storage/upload", 15) != 0))
        return bad(err_desc, "x-fal-target-url: rest.alpha.fal.ai is fal's platform API (temporary tokens, keys, storage), "
                             "not a model host; aigw forwards no call there");
    int n = snprintf(t->origin, sizeof(t->origin), "https://%s", h);
    if (n < 0 || (size_t)n >= sizeof(t->origin))
        return bad(err_desc, "x-fal-target-url: bad host");
    if (path < end && *path == '?')
        return bad(err_desc, "x-fal-target-url: a query needs a path");
    t->path = path < end ? path : "/"; /* "https://fal.run" means "/" */
    t->path_len = path < end ? (size_t)(end - path) : 1;
    return 0;
}

/* Queue follow-ups (status, status stream, result, cancel: fal.md section 1) are not billed on their own: the
 * submit is the billed call (its reservation, docs/internals/metering.md "fal queue"). Synchronous calls to
 * fal.run/{model} answer with the result and x-fal-billable-units and are billed exactly. */
static const char *const fal_unbilled[] = {"GET */requests/*", "PUT */requests/*/cancel", NULL};

/* The queue (fal.md section 1): a submit to queue.fal.run/{owner}/{alias}[/...] answers a request_id; its result is
 * GET {owner}/{alias}/requests/{id}, served once the request completed (status polls and the status stream are not
 * results). */
static const char *const fal_async_create[] = {"POST */*", NULL};
static const char *const fal_async_read[] = {"GET */requests/{id}", NULL};
static const char *const fal_async_id_fields[] = {"request_id", NULL}; /* the submit's answer (queue_submit.response.json) */

/* Model text (provider.h output_text): language endpoints (fal-ai/any-llm...) answer {"output": "..."}; image
 * endpoints answer files (URLs, not scanned) and echo the prompt (the user's own input). */
static const char *const fal_output_text[] = {"output", NULL};

/* What is no model text in fal answers (provider.h output_skip; fal.md): queue ids, statuses and links, fal File
 * objects' URLs (CDN links or data URIs) and content types, and the echoed prompt; everything else (an LLM's `output`,
 * captions, logs, anything new) is scanned by pii.scan_responses. */
static const prov_out_skip_t fal_output_skip[] = {
    {"request_id", PROV_OUT_STRUCT},   {"status", PROV_OUT_STRUCT},     {"status_url", PROV_OUT_STRUCT},
    {"response_url", PROV_OUT_STRUCT}, {"cancel_url", PROV_OUT_STRUCT}, {"**.content_type", PROV_OUT_STRUCT},
    {"**.url", PROV_OUT_MEDIA},        {"prompt", PROV_OUT_ECHO},       {NULL, 0}};

/* File inputs (provider.h file_fields): fal endpoints name theirs `*_url` (fal.md "Where user data lives": https URLs
 * or base64 data: URIs; `image_url`, `mask_url`, `image_urls[]`, `audio_url`, `video_url`, `reference_image_url`). A URL
 * is text (fal fetches it); anything else is a file sorted by its bytes at any length. */
static const prov_file_field_t fal_file_fields[] = {{"image_url", PROV_FILE_URI},       {"mask_url", PROV_FILE_URI},
                                                    {"image_urls.*", PROV_FILE_URI},    {"audio_url", PROV_FILE_URI},
                                                    {"video_url", PROV_FILE_URI},       {"reference_image_url", PROV_FILE_URI},
                                                    {"input_image_url", PROV_FILE_URI}, {NULL, 0}};

/* ---- no-training posture (docs/providers/fal.md "Storage"; evaluated by policy/notrain.c) ---- */

enum { FAL_ANY = 1 }; /* route classes */

static const pol_notrain_route_t fal_notrain_routes[] = {
    {"storage/upload*", "fal_storage_upload",
     "fal: uploads to fal storage become CDN files kept under fal's retention; pass files inline as data: URIs in the model "
     "input instead",
     0, NULL},
    {"*", NULL, NULL, FAL_ANY, NULL},
    {NULL, NULL, NULL, 0, NULL}};

/* fal keeps inputs and outputs unless told not to; generated media expire after media_expiration_seconds; a webhook
 * would send them to a third party */
static const pol_notrain_force_t fal_notrain_forces[] = {
    {.label = "X-Fal-Store-IO=0", .on = FAL_ANY, .headers = {{"X-Fal-Store-IO", "0", NULL, NULL}}},
    {.label = "X-Fal-Object-Lifecycle-Preference set",
     .on = FAL_ANY,
     .headers = {{"X-Fal-Object-Lifecycle-Preference", "{\"expiration_duration_seconds\":", "media_expiration_seconds", "}"}}},
    {.label = "fal_webhook dropped", .on = FAL_ANY, .drop_query = "fal_webhook"},
    {.label = NULL}};

static const pol_notrain_option_t fal_notrain_options[] = {
    {.key = "media_expiration_seconds", .type = POL_NOTRAIN_OPT_INT, .def = 3600, .keyed = -1, .min = 1, .max = 31536000},
    {.key = NULL}};

static const pol_notrain_posture_t fal_notrain = {
    .provider = "fal",
    .routes = fal_notrain_routes,
    .forces = fal_notrain_forces,
    .options = fal_notrain_options,
};

/* fal's platform headers (docs/providers/fal.md "Platform request headers"); x-fal-target-url is aigw's to read */
static const char *const fal_request_headers[] = {"x-fal-request-timeout",
                                                  "x-fal-queue-priority",
                                                  "x-fal-runner-hint",
                                                  "x-fal-store-io",
                                                  "x-fal-object-lifecycle-preference",
                                                  NULL};

/* Routes aigw never forwards (provider.h refused_routes), on the target path: tokens (fal-js `getTemporaryAuthToken`,
 * POST {rest host}/tokens/ {allowed_apps, token_expiration}) answers a JWT with which the fal client's realtime and
 * client-mode streams connect to fal.run directly (`?fal_jwt_token=`), around aigw. fal's platform REST host
 * (rest.alpha.fal.ai) serves nothing else a model call needs: fal_target_url lets only its storage uploads through, for
 * their storage refusal. */
static const prov_refused_route_t fal_refused_routes[] = {
    {"tokens*", "direct_access_route",
     "fal: a temporary token lets the client call fal directly (realtime, client-mode streams), around aigw: nothing it "
     "sends there would be scanned, metered or given the no-storage headers; aigw does not serve fal's realtime API",
     NULL},
    {NULL, NULL, NULL, NULL}};

const prov_adapter_t prov_fal = {
    .request_headers = fal_request_headers,
    .notrain = &fal_notrain,
    .name = "fal",
    .refused_routes = fal_refused_routes,
    .default_base_url = "https://fal.run",
    .api_key_env = "FAL_KEY",
    .route_prefix = "/fal/",
    .upstream_prefix = "/", /* unused: the upstream URL comes from target_url() */
    .auth = PROV_AUTH_KEY,
    .skip_fields = fal_skip_fields,
    .error_body = fal_error_body,
    .error_content_type = "application/json",
    .usage_from_json = fal_usage_from_json,
    .usage_from_event = fal_usage_from_event,
    .usage_from_header = fal_usage_from_header,
    .estimate_inputs = fal_estimate_inputs,
    .model_from_path = fal_model_from_path,
    .target_url = fal_target_url,
    .target_hosts = fal_target_hosts,
    .target_header = "x-fal-target-url",
    .unbilled_routes = fal_unbilled,
    .estimate_custom = 1,
    .output_text = fal_output_text,
    .output_skip = fal_output_skip,
    .file_fields = fal_file_fields,
    .async_create_routes = fal_async_create,
    .async_read_routes = fal_async_read,
    .async_origin = "https://queue.fal.run",
    .async_id_fields = fal_async_id_fields,
};
