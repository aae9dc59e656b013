/*
 * Replicate adapter (docs/providers/replicate.md): predictions by version, by model and by
 * deployment, GET / cancel prediction, `Prefer: wait`. Inputs are model-specific, so every string
 * under `input` is text, except data: URIs and bare base64 (file inputs; maybe_binary). Errors are
 * RFC 7807 problem details (application/problem+json) {"title","detail","status"}; the SDKs show
 * `detail`. Usage lives on terminal predictions: metrics.predict_time / total_time (seconds), LLM
 * token counts (input_token_count / output_token_count, names as observed), and output files
 * (metrics.image_count when present, else URL outputs counted). The SSE stream (urls.stream)
 * carries no usage at all: its extractor only notes `done` and `error`; the gateway must GET the
 * prediction (urls.get) after `done` to bill it.
 */
#include "providers/provider.h"
#include "common/json.h"
#include "providers/prov_internal.h"

#include <stdio.h>
#include <string.h>

/* Structural fields never rewritten; every other string and key (the whole `input`) is scanned. */
static const prov_skip_t replicate_skip_fields[] = {
    {"version", PROV_SKIP_VALUE},
    {NULL, 0},
};

static const char *reason(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthenticated";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not found";
    case 409:
        return "Conflict";
    case 413:
        return "Request Entity Too Large";
    case 422:
        return "Input validation failed";
    case 429:
        return "Too Many Requests";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return status >= 500 ? "Internal Server Error" : "Bad Request";
    }
}

static int replicate_error_body(gw_buf_t *out, int status, const char *type, const char *code, const char *param,
                                const char *message)
{
    (void)type;
    (void)code;
    (void)param;
    return gw_buf_appendf(out, "{\"title\":\"%s\",\"detail\":", reason(status)) != 0 ||
                   gw_json_escape(message, strlen(message), out) != 0 || gw_buf_appendf(out, ",\"status\":%d}", status) != 0
               ? -1
               : 0;
}

static int is_file_url(const json_t *j)
{
    const char *s = json_string_value(j);
    return s != NULL && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0 || strncmp(s, "data:", 5) == 0);
}

static int replicate_usage_from_json(const char *body, size_t len, prov_usage_t *u)
{
    json_t *root = prov__jload_object(body, len);
    if (root == NULL)
        return PROV_E_PARSE;
    json_t *m = prov__jget(root, "metrics");
    int n = 0;
    n += prov__usage_from_num(u, PROV_USAGE_PREDICT_TIME_S, m, "predict_time");
    n += prov__usage_from_num(u, PROV_USAGE_TOTAL_TIME_S, m, "total_time");
    n += prov__usage_from_int(u, PROV_USAGE_INPUT_TOKENS, m, "input_token_count");
    n += prov__usage_from_int(u, PROV_USAGE_OUTPUT_TOKENS, m, "output_token_count");
    n += prov__usage_from_str(u, PROV_USAGE_MODEL, root, "model");
    if (prov__usage_from_int(u, PROV_USAGE_IMAGES, m, "image_count")) {
        n++;
    } else {
        /* file outputs: one URL or an array of URLs; LLM outputs (arrays of text pieces) are not files */
        json_t *out = prov__jget(root, "output");
        int64_t files = 0;
        if (is_file_url(out)) {
            files = 1;
        } else if (json_is_array(out)) {
            size_t i;
            json_t *it;
            json_array_foreach(out, i, it)
            {
                files += is_file_url(it);
            }
        }
        if (files > 0) {
            prov__usage_set_int(u, PROV_USAGE_IMAGES, files);
            n++;
        }
    }
    json_decref(root);
    return n;
}

static void replicate_usage_from_event(prov_usage_state_t *st, const gw_sse_event_t *ev)
{
    /* events: output (raw text), logs, error, done ({} or {"reason":...}); no usage (see the top comment) */
    st->events++;
    if (prov__sse_event_is(ev, "done"))
        st->done = 1;
    else if (prov__sse_event_is(ev, "error"))
        st->error = 1;
}

static int replicate_estimate_inputs(const char *body, size_t len, prov_estimate_t *e)
{
    prov__estimate_reset(e, len);
    json_t *root = prov__jload_object(body, len);
    if (root == NULL)
        return PROV_E_PARSE;
    /* version: "owner/name", "owner/name:<64 hex>" or the bare id */
    const char *version = json_string_value(prov__jget(root, "version"));
    if (version != NULL) {
        const char *colon = strchr(version, ':');
        size_t n = colon != NULL ? (size_t)(colon - version) : strlen(version);
        if (n >= sizeof(e->model))
            n = sizeof(e->model) - 1;
        memcpy(e->model, version, n);
        e->model[n] = '\0';
    }
    json_t *in = prov__jget(root, "input");
    int64_t v, w, h;
    if (prov__jint(in, "max_tokens", &v) || prov__jint(in, "max_new_tokens", &v) || prov__jint(in, "max_length", &v))
        e->max_output_tokens = v;
    if (prov__jint(in, "num_outputs", &v) || prov__jint(in, "num_images", &v) || prov__jint(in, "number_of_images", &v))
        e->n = v;
    if (prov__jint(in, "width", &w) && prov__jint(in, "height", &h))
        snprintf(e->size, sizeof(e->size), "%lldx%lld", (long long)w, (long long)h);
    else
        prov__jstr(in, "size", e->size, sizeof(e->size));
    prov__jstr(in, "aspect_ratio", e->aspect_ratio, sizeof(e->aspect_ratio));
    e->stream = json_is_true(prov__jget(root, "stream"));
    json_decref(root);
    return 0;
}

/* "models/{owner}/{name}/predictions", "models/{owner}/{name}/versions/{id}/predictions",
 * "deployments/{owner}/{name}/predictions" -> "owner/name". */
static int replicate_model_from_path(const char *path, size_t len, char *model, size_t cap)
{
    const char *p, *end;
    prov__path_span(path, len, &p, &end);
    if ((size_t)(end - p) > 7 && memcmp(p, "models/", 7) == 0)
        p += 7;
    else if ((size_t)(end - p) > 12 && memcmp(p, "deployments/", 12) == 0)
        p += 12;
    else
        return -1;
    const char *slash = memchr(p, '/', (size_t)(end - p));
    if (slash == NULL || slash == p)
        return -1;
    const char *e = slash + 1;
    while (e < end && *e != '/')
        e++;
    if (e == slash + 1)
        return -1;
    return prov__copy_name(model, cap, p, (size_t)(e - p));
}

/* Replicate bills a prediction for its compute time (replicate.com/pricing); reading or canceling it
 * is not billed on its own: the creating call's reservation is settled from the first terminal answer
 * aigw sees (gateway/store/store_predict.h). Listing and account reads are free. */
static const char *const replicate_unbilled[] = {
    "GET predictions/*", "GET predictions", "POST predictions/*/cancel", "GET models*", "GET account", "GET collections*", NULL};

/* Predictions (replicate.com/docs/reference/http): created by the three create routes, read by GET and cancel;
 * over when succeeded, failed or canceled (docs/providers/replicate.md). */
static const char *const replicate_async_create[] = {"POST predictions", "POST models/*/*/predictions",
                                                     "POST deployments/*/*/predictions", NULL};
static const char *const replicate_async_read[] = {"GET predictions/{id}", "POST predictions/{id}/cancel", NULL};
static const char *const replicate_terminal[] = {"succeeded", "failed", "canceled", NULL};
static const char *const replicate_id_fields[] = {"id", NULL};

/* A prediction answer's `urls` (replicate.com/docs/reference/http#predictions.get, docs/providers/replicate.md):
 * `get` and `cancel` point at api.replicate.com, `stream` at stream.replicate.com and is fetched without credentials
 * (the replicate SDK's stream() sends none: the URL is the capability). `web` is a page on replicate.com, left alone.
 * A list (GET predictions) holds predictions in `results`. The stream's `output` events carry plain text. */
static const prov_async_link_t replicate_link_table[] = {{"get", "predictions/{id}", 0},
                                                         {"cancel", "predictions/{id}/cancel", 0},
                                                         {"stream", "predictions/{id}/stream", 1},
                                                         {NULL, NULL, 0}};
static const prov_async_links_t replicate_links = {
    .object = "urls",
    .list = "results",
    .table = replicate_link_table,
    .stream_origin = "https://stream.replicate.com/",
    .text_event = "output",
    .key_label = "aigw replicate stream capability v1", /* the label of every stream URL issued so far: never change */
};

/* Model text (provider.h output_text): a prediction's `output`, a string or (language models) an array of text
 * pieces; the stream route's output events are plain text (gateway/async.h). Image, audio and video models' output
 * files are URLs at the same path: told apart by their origin (output_media_urls below). */
static const char *const replicate_output_text[] = {"output", "output.*", NULL};

/* Where Replicate serves a prediction's output files (replicate.md; the `replicate` SDK turns such output strings
 * into FileOutput objects): `https://replicate.delivery/<prefix>/<id>/<name>`, or, for a prediction created with
 * `Prefer: wait`, the file itself as a base64 data URI (the SDK's FileOutput: "either a remote URL or a data-uri with
 * base64 encoded data"): image, audio and video data URIs only (prov_output_media_url). */
static const char *const replicate_output_media_urls[] = {"https://replicate.delivery/", "data:", NULL};

/* What is no model text in prediction answers (provider.h output_skip; replicate.md): the prediction's id, model,
 * version, status and times, its links (rewritten to aigw's routes) and the echo of its input; `output`, `logs`, `error`
 * and anything new are scanned by pii.scan_responses. A list answer has predictions at results.*. */
static const prov_out_skip_t replicate_output_skip[] = {{"id", PROV_OUT_STRUCT},
                                                        {"model", PROV_OUT_STRUCT},
                                                        {"version", PROV_OUT_STRUCT},
                                                        {"status", PROV_OUT_STRUCT},
                                                        {"created_at", PROV_OUT_STRUCT},
                                                        {"started_at", PROV_OUT_STRUCT},
                                                        {"completed_at", PROV_OUT_STRUCT},
                                                        {"source", PROV_OUT_STRUCT},
                                                        {"deployment", PROV_OUT_STRUCT},
                                                        {"urls.**", PROV_OUT_STRUCT},
                                                        {"next", PROV_OUT_STRUCT},
                                                        {"previous", PROV_OUT_STRUCT},
                                                        {"results.*.id", PROV_OUT_STRUCT},
                                                        {"results.*.model", PROV_OUT_STRUCT},
                                                        {"results.*.version", PROV_OUT_STRUCT},
                                                        {"results.*.status", PROV_OUT_STRUCT},
                                                        {"results.*.created_at", PROV_OUT_STRUCT},
                                                        {"results.*.started_at", PROV_OUT_STRUCT},
                                                        {"results.*.completed_at", PROV_OUT_STRUCT},
                                                        {"results.*.source", PROV_OUT_STRUCT},
                                                        {"results.*.urls.**", PROV_OUT_STRUCT},
                                                        {"input.**", PROV_OUT_ECHO},
                                                        {"results.*.input.**", PROV_OUT_ECHO},
                                                        {NULL, 0}};

/* File inputs (provider.h file_fields): every model has its own input schema, these are the file keys of Replicate's
 * image, audio and video models (replicate.md "Inputs": https URLs or data: URIs, `image`, `input_image`,
 * `image_input`, `mask`, `audio`, `video`, `input_images[]`). A URL is text (Replicate fetches it); anything else is
 * a file sorted by its bytes at any length (a short GIF or PDF data URI gets a long one's verdict). */
static const prov_file_field_t replicate_file_fields[] = {
    {"input.image", PROV_FILE_URI},         {"input.input_image", PROV_FILE_URI},    {"input.image_input", PROV_FILE_URI},
    {"input.image_input.*", PROV_FILE_URI}, {"input.input_images.*", PROV_FILE_URI}, {"input.mask", PROV_FILE_URI},
    {"input.audio", PROV_FILE_URI},         {"input.video", PROV_FILE_URI},          {NULL, 0}};

/* ---- no-training posture (docs/providers/replicate.md "Storage"; evaluated by policy/notrain.c) ---- */

enum { REPLICATE_PREDICTIONS = 1 }; /* route classes */

/* https file URLs in inputs are not refused: Replicate fetches them, it does not store them. */
static const pol_notrain_route_t replicate_notrain_routes[] = {
    {"files*", "replicate_file_upload",
     "replicate: /v1/files uploads persist on Replicate until deleted; pass files inline as data: URIs instead (replicate JS "
     "SDK: fileEncodingStrategy: \"data-uri\")",
     0, NULL},
    {"trainings*", "replicate_storage_route", NULL, 0, NULL},
    {"*/trainings", "replicate_storage_route", NULL, 0, NULL},
    {"predictions", NULL, NULL, REPLICATE_PREDICTIONS, NULL},
    {"*/predictions", NULL, NULL, REPLICATE_PREDICTIONS, NULL},
    {NULL, NULL, NULL, 0, NULL}};

/* a webhook would send the prediction's input and output to a third party */
static const pol_notrain_force_t replicate_notrain_forces[] = {
    {.label = "webhook dropped", .on = REPLICATE_PREDICTIONS, .edits = {{"webhook", NULL, 0}, {"webhook_events_filter", NULL, 0}}},
    {.label = NULL}};

static const pol_notrain_posture_t replicate_notrain = {
    .provider = "replicate",
    .routes = replicate_notrain_routes,
    .forces = replicate_notrain_forces,
};

/* `Prefer: wait[=N]` (hold the request until the prediction ends) and `Cancel-After` (docs/providers/replicate.md) */
static const char *const replicate_request_headers[] = {"prefer", "cancel-after", NULL};

/* Routes aigw never forwards (provider.h refused_routes): the prediction list (replicate.com/docs/reference/http
 * "predictions.list": every prediction of the account, input and output, API and web) would hand one user of the gateway
 * the predictions of all the others; a prediction is read by its id (predictions/{id}), which the creating call answered. */
static const prov_refused_route_t replicate_refused_routes[] = {
    {"predictions", "account_list_route",
     "replicate: the prediction list holds every prediction of aigw's Replicate account, other users' inputs and outputs "
     "included; aigw serves a prediction by its id (predictions/{id}) only",
     "GET"},
    {NULL, NULL, NULL, NULL}};

const prov_adapter_t prov_replicate = {
    .request_headers = replicate_request_headers,
    .notrain = &replicate_notrain,
    .name = "replicate",
    .refused_routes = replicate_refused_routes,
    .default_base_url = "https://api.replicate.com",
    .api_key_env = "REPLICATE_API_TOKEN",
    .route_prefix = "/replicate/v1/",
    .upstream_prefix = "/v1/",
    .auth = PROV_AUTH_BEARER,
    .skip_fields = replicate_skip_fields,
    .error_body = replicate_error_body,
    .error_content_type = "application/problem+json",
    .usage_from_json = replicate_usage_from_json,
    .usage_from_event = replicate_usage_from_event,
    .estimate_inputs = replicate_estimate_inputs,
    .model_from_path = replicate_model_from_path,
    .async_links = &replicate_links,
    .estimate_custom = 1,
    .unbilled_routes = replicate_unbilled,
    .output_text = replicate_output_text,
    .output_skip = replicate_output_skip,
    .output_media_urls = replicate_output_media_urls,
    .file_fields = replicate_file_fields,
    .async_create_routes = replicate_async_create,
    .async_read_routes = replicate_async_read,
    .async_terminal_statuses = replicate_terminal,
    .async_id_fields = replicate_id_fields,
    .async_status_field = "status",
};
