/*
 * OpenAI adapter: Chat Completions, Responses, Embeddings, Images (see
 * docs/providers/openai.md). Error bodies follow the spec's ErrorResponse:
 * {"error":{"message","type","param","code"}} with all four keys present.
 *
 * The OpenAI-format pieces (text fields, error body, usage, estimate) are shared through
 * providers/prov_internal.h with the adapters whose APIs are OpenAI supersets (OpenRouter,
 * DeepSeek, Fireworks). Usage: chat / embeddings `usage.{prompt,completion,total}_tokens` +
 * `*_details`; Responses and Images `usage.{input,output,total}_tokens` + details. Streams: the
 * last non-null `usage` of a chat chunk (only sent with stream_options.include_usage), the
 * `response.usage` of a terminal Responses event, the `usage` of image_generation.completed /
 * image_edit.completed. Non-stream JSON is walked once by common/json (prov__openai_usage_from_json); stream events
 * are parsed only when a byte scan finds a `"usage":{` member, because every chat chunk carries
 * `"usage":null`.
 */
#include "providers/provider.h"
#include "common/json.h"
#include "providers/prov_internal.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Structural fields never rewritten (openai.md section 2); every other string and key is scanned. */
/* File data (provider.h file_fields): the OpenAI wire format's base64 fields. */
static const prov_file_field_t openai_file_fields[] = {
    PROV_OPENAI_FILE_FIELDS,
    {NULL, 0},
};

static const prov_skip_t openai_skip_fields[] = {
    PROV_OPENAI_SKIP_FIELDS,
    {NULL, 0},
};

int prov__openai_error_body(gw_buf_t *out, int status, const char *type, const char *code, const char *param, const char *message)
{
    (void)status;
    if (gw_buf_append(out, "{\"error\":{\"message\":", 20) != 0 || gw_json_escape(message, strlen(message), out) != 0 ||
        gw_buf_append(out, ",\"type\":", 8) != 0 || gw_json_escape(type, strlen(type), out) != 0 ||
        gw_buf_append(out, ",\"param\":", 9) != 0)
        return -1;
    if ((param != NULL ? gw_json_escape(param, strlen(param), out) : gw_buf_append(out, "null", 4)) != 0)
        return -1;
    if (gw_buf_append(out, ",\"code\":", 8) != 0)
        return -1;
    if ((code != NULL ? gw_json_escape(code, strlen(code), out) : gw_buf_append(out, "null", 4)) != 0)
        return -1;
    return gw_buf_append(out, "}}", 2);
}

int prov__openai_usage_obj(const json_t *usage, prov_usage_t *u, int images_api)
{
    int n = 0;
    if (!json_is_object(usage))
        return 0;
    /* chat / embeddings names, then Responses / Images names */
    n += prov__usage_from_int(u, PROV_USAGE_INPUT_TOKENS, usage, "prompt_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_INPUT_TOKENS, usage, "input_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_OUTPUT_TOKENS, usage, "completion_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_OUTPUT_TOKENS, usage, "output_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_TOTAL_TOKENS, usage, "total_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_CACHED_INPUT_TOKENS, usage, "prompt_tokens_details.cached_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_CACHED_INPUT_TOKENS, usage, "input_tokens_details.cached_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_REASONING_TOKENS, usage, "completion_tokens_details.reasoning_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_REASONING_TOKENS, usage, "output_tokens_details.reasoning_tokens");
    /* DeepSeek: hits and misses are priced apart (deepseek.md section 4) */
    n += prov__usage_from_int(u, PROV_USAGE_CACHE_HIT_TOKENS, usage, "prompt_cache_hit_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_CACHE_MISS_TOKENS, usage, "prompt_cache_miss_tokens");
    /* OpenRouter: cost in credits (= USD), server-side tools (openrouter.md section 4) */
    n += prov__usage_from_num(u, PROV_USAGE_COST_CREDITS_USD, usage, "cost");
    n += prov__usage_from_int(u, PROV_USAGE_WEB_SEARCH_REQUESTS, usage, "server_tool_use_details.web_search_requests");
    /* Images API (ImagesUsage): text / image split; streamed ImagesUsage has no output details, its output is all
       image tokens (openai.md, images). Only the Images API has text_tokens / image_tokens in input details. */
    if (images_api || prov__jpath(usage, "input_tokens_details.text_tokens") != NULL ||
        prov__jpath(usage, "input_tokens_details.image_tokens") != NULL) {
        n += prov__usage_from_int(u, PROV_USAGE_INPUT_TEXT_TOKENS, usage, "input_tokens_details.text_tokens");
        n += prov__usage_from_int(u, PROV_USAGE_INPUT_IMAGE_TOKENS, usage, "input_tokens_details.image_tokens");
        n += prov__usage_from_int(u, PROV_USAGE_OUTPUT_TEXT_TOKENS, usage, "output_tokens_details.text_tokens");
        n += prov__usage_from_int(u, PROV_USAGE_OUTPUT_IMAGE_TOKENS, usage,
                                  prov__jpath(usage, "output_tokens_details") != NULL ? "output_tokens_details.image_tokens"
                                                                                      : "output_tokens");
    }
    return n;
}

/*
 * Usage of a JSON answer. The whole answer is walked once by the gateway's own validating reader
 * (common/json.h) with CAPTURE rules for the members needed, the top-level ones and those of
 * `usage`: no tree is built, numbers are converted from their raw text. The fields, their order
 * (a later name wins) and the number rules are prov__openai_usage_obj's, which stream events use
 * (tests/unit/providers/test_usage.c checks every fixture's expected usage). Before issue 12 the
 * whole answer went through jansson: about 156k instructions per 1 KB chat answer, now about 24k
 * (docs/BENCHMARKS.md "Issue 12: three instances on PostgreSQL").
 */
enum {
    CAP_DATA = 1,
    CAP_DATA_ITEM,
    CAP_OBJECT,
    CAP_MODEL,
    CAP_SIZE,
    CAP_QUALITY,
    CAP_OUT_DETAILS, /* usage.output_tokens_details: present (any value) */
    CAP_IN_TEXT,     /* usage.input_tokens_details.text_tokens (its presence marks the Images API too) */
    CAP_IN_IMAGE,
    CAP_U, /* first of the usage fields applied in table order */
};

/* usage fields in prov__openai_usage_obj's order: capture id CAP_U + index */
static const struct {
    const char *path;
    prov_usage_field_t f;
    int real; /* a non-negative number (cost), else a non-negative integer */
} usage_fields[] = {
    {"usage.prompt_tokens", PROV_USAGE_INPUT_TOKENS, 0},
    {"usage.input_tokens", PROV_USAGE_INPUT_TOKENS, 0},
    {"usage.completion_tokens", PROV_USAGE_OUTPUT_TOKENS, 0},
    {"usage.output_tokens", PROV_USAGE_OUTPUT_TOKENS, 0},
    {"usage.total_tokens", PROV_USAGE_TOTAL_TOKENS, 0},
    {"usage.prompt_tokens_details.cached_tokens", PROV_USAGE_CACHED_INPUT_TOKENS, 0},
    {"usage.input_tokens_details.cached_tokens", PROV_USAGE_CACHED_INPUT_TOKENS, 0},
    {"usage.completion_tokens_details.reasoning_tokens", PROV_USAGE_REASONING_TOKENS, 0},
    {"usage.output_tokens_details.reasoning_tokens", PROV_USAGE_REASONING_TOKENS, 0},
    {"usage.prompt_cache_hit_tokens", PROV_USAGE_CACHE_HIT_TOKENS, 0},
    {"usage.prompt_cache_miss_tokens", PROV_USAGE_CACHE_MISS_TOKENS, 0},
    {"usage.cost", PROV_USAGE_COST_CREDITS_USD, 1},
    {"usage.server_tool_use_details.web_search_requests", PROV_USAGE_WEB_SEARCH_REQUESTS, 0},
    /* Images API only (see below) */
    {"usage.output_tokens_details.text_tokens", PROV_USAGE_OUTPUT_TEXT_TOKENS, 0},
    {"usage.output_tokens_details.image_tokens", PROV_USAGE_OUTPUT_IMAGE_TOKENS, 0},
};
#define N_USAGE_FIELDS (sizeof(usage_fields) / sizeof(usage_fields[0]))
#define N_GENERAL_FIELDS 13 /* the ones before the Images API's */
#define N_CAPS (CAP_U + N_USAGE_FIELDS)

static gw_json_paths_t *usage_paths;
static pthread_once_t usage_paths_once = PTHREAD_ONCE_INIT;

static void usage_paths_init(void)
{
    static const struct {
        const char *path;
        int id;
    } top[] = {{"data", CAP_DATA},
               {"data.*", CAP_DATA_ITEM},
               {"object", CAP_OBJECT},
               {"model", CAP_MODEL},
               {"size", CAP_SIZE},
               {"quality", CAP_QUALITY},
               {"usage.output_tokens_details", CAP_OUT_DETAILS},
               {"usage.input_tokens_details.text_tokens", CAP_IN_TEXT},
               {"usage.input_tokens_details.image_tokens", CAP_IN_IMAGE}};
    gw_json_rule_t rules[sizeof(top) / sizeof(top[0]) + N_USAGE_FIELDS];
    size_t n = 0;
    for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++)
        rules[n++] = (gw_json_rule_t){top[i].path, GW_JSON_CAPTURE, top[i].id};
    for (size_t i = 0; i < N_USAGE_FIELDS; i++)
        rules[n++] = (gw_json_rule_t){usage_fields[i].path, GW_JSON_CAPTURE, (int)(CAP_U + i)};
    char err[128];
    usage_paths = gw_json_paths_compile(rules, n, err, sizeof(err));
}

/* What the walk found: raw spans into the answer; the last of duplicate keys wins, as with jansson;
 * the items of a repeated "data" add up. */
typedef struct st_usage_caps_t {
    const char *raw[N_CAPS];
    size_t len[N_CAPS];
    int type[N_CAPS];
    int64_t items; /* values under "data" (reported before "data" itself, which ends after them) */
} usage_caps_t;

static void on_usage_capture(void *ctx, int id, const char *raw, size_t len, int json_type)
{
    usage_caps_t *c = ctx;
    if (id == CAP_DATA_ITEM) {
        c->items++;
        return;
    }
    if (id <= 0 || id >= (int)N_CAPS)
        return;
    c->raw[id] = raw;
    c->len[id] = len;
    c->type[id] = json_type;
}

/* A captured JSON number as prov__jint / prov__jnum read it: `real` = any finite number >= 0, else an
 * integer >= 0 (an integral real too). @return 1 and *i or *d, 0 when it is not one. */
static int usage_number(const usage_caps_t *c, int id, int real, int64_t *i, double *d)
{
    char t[64];
    if (c->type[id] != GW_JSON_T_NUMBER || c->len[id] == 0 || c->len[id] >= sizeof(t))
        return 0;
    if (c->len[id] <= 18) { /* the common case, digits only (a count): read in place, no copy and no strtoll */
        int64_t v = 0;
        size_t k = 0;
        for (; k < c->len[id] && c->raw[id][k] >= '0' && c->raw[id][k] <= '9'; k++)
            v = v * 10 + (c->raw[id][k] - '0');
        if (k == c->len[id]) {
            *i = v;
            *d = (double)v;
            return 1;
        }
    }
    memcpy(t, c->raw[id], c->len[id]);
    t[c->len[id]] = '\0';
    int integral = strpbrk(t, ".eE") == NULL;
    char *end;
    if (integral) {
        errno = 0;
        long long v = strtoll(t, &end, 10);
        if (errno != 0 || *end != '\0' || v < 0)
            return 0;
        *i = v;
        *d = (double)v;
        return 1;
    }
    double v = strtod(t, &end);
    if (*end != '\0' || !isfinite(v) || v < 0)
        return 0;
    if (!real && (v >= 9.2e18 || v != floor(v)))
        return 0;
    *i = (int64_t)v;
    *d = v;
    return 1;
}

/* Usage field `k` of usage_fields into u. @return 1 set, 0 absent or not such a number. */
static int usage_field(prov_usage_t *u, const usage_caps_t *c, size_t k)
{
    int64_t i = 0;
    double d = 0;
    if (!usage_number(c, (int)(CAP_U + k), usage_fields[k].real, &i, &d))
        return 0;
    if (usage_fields[k].real)
        prov__usage_set_double(u, usage_fields[k].f, d);
    else
        prov__usage_set_int(u, usage_fields[k].f, i);
    return 1;
}

/* A captured top-level string into usage field f. @return 1 set, 0 absent or not a string. */
static int usage_string(prov_usage_t *u, prov_usage_field_t f, const usage_caps_t *c, int id)
{
    if (c->type[id] != GW_JSON_T_STRING || c->len[id] < 2)
        return 0;
    const char *p = c->raw[id] + 1;
    size_t n = c->len[id] - 2;
    if (memchr(p, '\\', n) == NULL) {
        prov__usage_set_string(u, f, p, n);
        return 1;
    }
    gw_buf_t b = GW_BUF_INIT;
    int ok = gw_json_unescape(p, n, &b) == 0;
    if (ok)
        prov__usage_set_string(u, f, b.base != NULL ? b.base : "", b.len);
    gw_buf_free(&b);
    return ok;
}

int prov__openai_usage_from_json(const char *body, size_t len, prov_usage_t *u)
{
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r'))
        i++;
    pthread_once(&usage_paths_once, usage_paths_init);
    if (i == len || body[i] != '{' || usage_paths == NULL)
        return PROV_E_PARSE;
    usage_caps_t c;
    memset(&c, 0, sizeof(c));
    gw_json_visitor_t v = {.on_capture = on_usage_capture, .ctx = &c};
    gw_buf_t out = GW_BUF_INIT;
    int changed = 0;
    int rc = gw_json_rewrite(body, len, usage_paths, NULL, 0, &v, &out, &changed, NULL, NULL);
    gw_buf_free(&out);
    if (rc != 0)
        return PROV_E_PARSE;
    /* Images responses: {"created", "data":[{url|b64_json}], ...}; embeddings lists have "object":"list" */
    int images_api = c.type[CAP_DATA] == GW_JSON_T_ARRAY && c.raw[CAP_OBJECT] == NULL;
    int n = 0;
    for (size_t k = 0; k < N_GENERAL_FIELDS; k++)
        n += usage_field(u, &c, k);
    /* Images API (ImagesUsage): as prov__openai_usage_obj */
    if (images_api || c.raw[CAP_IN_TEXT] != NULL || c.raw[CAP_IN_IMAGE] != NULL) {
        int64_t iv = 0;
        double dv = 0;
        if (usage_number(&c, CAP_IN_TEXT, 0, &iv, &dv)) {
            prov__usage_set_int(u, PROV_USAGE_INPUT_TEXT_TOKENS, iv);
            n++;
        }
        if (usage_number(&c, CAP_IN_IMAGE, 0, &iv, &dv)) {
            prov__usage_set_int(u, PROV_USAGE_INPUT_IMAGE_TOKENS, iv);
            n++;
        }
        n += usage_field(u, &c, N_GENERAL_FIELDS); /* output_tokens_details.text_tokens */
        if (c.raw[CAP_OUT_DETAILS] != NULL) {
            n += usage_field(u, &c, N_GENERAL_FIELDS + 1);
        } else if (usage_number(&c, CAP_U + 3, 0, &iv, &dv)) { /* no details: the output is all image tokens */
            prov__usage_set_int(u, PROV_USAGE_OUTPUT_IMAGE_TOKENS, iv);
            n++;
        }
    }
    if (images_api) {
        prov__usage_set_int(u, PROV_USAGE_IMAGES, c.items);
        n++;
    }
    n += usage_string(u, PROV_USAGE_MODEL, &c, CAP_MODEL);
    n += usage_string(u, PROV_USAGE_SIZE, &c, CAP_SIZE);
    n += usage_string(u, PROV_USAGE_QUALITY, &c, CAP_QUALITY);
    return n;
}

static int type_ends_with(const char *type, const char *suffix)
{
    size_t a = strlen(type), b = strlen(suffix);
    return a >= b && memcmp(type + a - b, suffix, b) == 0;
}

void prov__openai_usage_from_event(prov_usage_state_t *st, const gw_sse_event_t *ev)
{
    st->events++;
    if (!ev->has_data)
        return;
    if (prov__sse_is_done(ev)) {
        st->done = 1;
        return;
    }
    /* Responses API errors: "event: error" (ResponseErrorEvent) or response.failed (usage still follows) */
    if (prov__sse_event_is(ev, "error"))
        st->error = 1;
    int has_usage = prov__json_has_member(ev->data, ev->data_len, "\"usage\"", 1);
    int has_error = prov__json_has_member(ev->data, ev->data_len, "\"error\"", 1);
    int terminal_name =
        ev->event_len > 0 && (prov__sse_event_is(ev, "response.completed") || prov__sse_event_is(ev, "response.incomplete") ||
                              prov__sse_event_is(ev, "response.failed"));
    if (!has_usage && !has_error && !terminal_name)
        return;
    json_t *root = prov__jload_object(ev->data, ev->data_len);
    if (root == NULL)
        return;
    const char *type = json_string_value(prov__jget(root, "type"));
    if (type == NULL)
        type = "";
    /* OpenRouter mid-stream failure: a chunk with a top-level error object */
    if (json_is_object(prov__jget(root, "error")) && strcmp(type, "error") != 0 && strncmp(type, "response.", 9) != 0)
        st->error = 1;
    if (strcmp(type, "error") == 0)
        st->error = 1;
    if (strcmp(type, "response.completed") == 0 || strcmp(type, "response.incomplete") == 0 ||
        strcmp(type, "response.failed") == 0) {
        json_t *resp = prov__jget(root, "response");
        prov__openai_usage_obj(prov__jget(resp, "usage"), &st->usage, 0);
        prov__usage_from_str(&st->usage, PROV_USAGE_MODEL, resp, "model");
        st->done = 1;
        if (strcmp(type, "response.failed") == 0)
            st->error = 1;
    } else if (strncmp(type, "image_generation.", 17) == 0 || strncmp(type, "image_edit.", 11) == 0) {
        if (type_ends_with(type, ".completed")) {
            prov__openai_usage_obj(prov__jget(root, "usage"), &st->usage, 1);
            prov__usage_add_int(&st->usage, PROV_USAGE_IMAGES, 1);
            prov__usage_from_str(&st->usage, PROV_USAGE_SIZE, root, "size");
            prov__usage_from_str(&st->usage, PROV_USAGE_QUALITY, root, "quality");
        }
    } else {
        /* chat completion chunk: usage is null except on the final chunk (or, Fireworks, the finishing one) */
        json_t *usage = prov__jget(root, "usage");
        if (json_is_object(usage)) {
            prov__openai_usage_obj(usage, &st->usage, 0);
            prov__usage_from_str(&st->usage, PROV_USAGE_MODEL, root, "model");
        }
    }
    json_decref(root);
}

void prov__openai_estimate_obj(const json_t *root, prov_estimate_t *e)
{
    int64_t v;
    prov__jstr(root, "model", e->model, sizeof(e->model));
    if (prov__jint(root, "max_completion_tokens", &v) || prov__jint(root, "max_tokens", &v) ||
        prov__jint(root, "max_output_tokens", &v))
        e->max_output_tokens = v;
    if (prov__jint(root, "n", &v))
        e->n = v;
    prov__jstr(root, "size", e->size, sizeof(e->size));
    prov__jstr(root, "quality", e->quality, sizeof(e->quality));
    prov__jstr(root, "aspect_ratio", e->aspect_ratio, sizeof(e->aspect_ratio));
    e->stream = json_is_true(prov__jget(root, "stream"));
}

int prov__openai_estimate_inputs(const char *body, size_t len, prov_estimate_t *e)
{
    prov__estimate_reset(e, len);
    json_t *root = prov__jload_object(body, len);
    if (root == NULL)
        return PROV_E_PARSE;
    prov__openai_estimate_obj(root, e);
    json_decref(root);
    return 0;
}

/* POST endpoints whose only effect is their answer: retried by aigw (provider.h answer_only) */
static const char *const openai_answer_only[] = {"chat/completions",   "completions",          "embeddings",         "responses",
                                                 "images/generations", "images/edits",         "images/variations",  "moderations",
                                                 "audio/speech",       "audio/transcriptions", "audio/translations", NULL};

/* Routes not billed (provider.h unbilled_routes): listing and reading models is free
 * (platform.openai.com/docs/api-reference/models). */
static const char *const openai_unbilled[] = {"GET models", "GET models/*", NULL};

/* Answers aigw cannot restore (provider.h unrestorable_outputs). Media: "Create speech" returns the audio of `input`
 * (platform.openai.com/docs/api-reference/audio/createSpeech); a chat completion with "audio" in `modalities` answers
 * message.audio.data, the spoken answer, beside its transcript (api-reference/chat/create, `modalities`, `audio`); an
 * image generated or edited from `prompt` (api-reference/images/create, createEdit), by the Responses API's
 * image_generation tool (api-reference/responses/create, `tools`) or a video from it (api-reference/videos/create) may
 * draw the prompt's text, placeholders included. Log probabilities: prov_internal.h PROV_OPENAI_LOGPROBS_OUTPUTS. */
static const prov_unrestorable_t openai_unrestorable[] = {
    {"POST audio/speech", NULL, NULL, PROV_UNRESTORABLE_MEDIA},
    {"POST chat/completions", "modalities", "audio", PROV_UNRESTORABLE_MEDIA},
    {"POST images/generations", NULL, NULL, PROV_UNRESTORABLE_MEDIA},
    {"POST images/edits", NULL, NULL, PROV_UNRESTORABLE_MEDIA},
    {"POST responses", "tools.*.type", "image_generation", PROV_UNRESTORABLE_MEDIA},
    {"POST videos", NULL, NULL, PROV_UNRESTORABLE_MEDIA},
    PROV_OPENAI_LOGPROBS_OUTPUTS,
    {NULL, NULL, NULL, PROV_UNRESTORABLE_NONE},
};

/* Model text (provider.h output_text). Chat: message / delta content, refusal and reasoning (DeepSeek and Fireworks
 * `reasoning_content`; OpenRouter `reasoning` and `reasoning_details[]` `text` / `summary`), the transcript of audio
 * output; legacy completions: text; Responses: output[].content[].text and reasoning items' summary[].text, and in
 * streams response.output_text.delta / reasoning_summary_text.delta `delta`, *.done `text` / `part.text` /
 * `item.content[].text` / `item.summary[].text`, response.completed `response.output[]...`. */
const char *const prov__openai_output_text[] = {"choices.*.message.content",
                                                "choices.*.message.refusal",
                                                "choices.*.message.reasoning_content",
                                                "choices.*.message.reasoning",
                                                "choices.*.message.reasoning_details.*.text",
                                                "choices.*.message.reasoning_details.*.summary",
                                                "choices.*.message.audio.transcript",
                                                "choices.*.delta.content",
                                                "choices.*.delta.refusal",
                                                "choices.*.delta.reasoning_content",
                                                "choices.*.delta.reasoning",
                                                "choices.*.delta.reasoning_details.*.text",
                                                "choices.*.delta.reasoning_details.*.summary",
                                                "choices.*.delta.audio.transcript",
                                                "choices.*.text",
                                                "output.*.content.*.text",
                                                "output.*.summary.*.text",
                                                "output_text",
                                                "delta",
                                                "text",
                                                "part.text",
                                                "item.content.*.text",
                                                "item.summary.*.text",
                                                "response.output.*.content.*.text",
                                                "response.output.*.summary.*.text",
                                                NULL};

/* What is no model text in OpenAI-format answers (provider.h output_skip; openai.md; OpenRouter, DeepSeek and Fireworks
 * answers are OpenAI's with a few members more): every other string is scanned by pii.scan_responses. Chat completions
 * and chunks, legacy completions, embeddings, images, Responses answers and every Responses stream event (items at
 * `output.*`, `item`, `response.output.*`). `type`, `id`, `object`, `role`, `status` are discriminators and
 * identifiers at every level of these formats. */
const prov_out_skip_t prov__openai_output_skip[] = {
    {"**.id", PROV_OUT_STRUCT},
    {"**.object", PROV_OUT_STRUCT},
    {"**.type", PROV_OUT_STRUCT},
    {"**.role", PROV_OUT_STRUCT},
    {"**.status", PROV_OUT_STRUCT},
    {"**.model", PROV_OUT_STRUCT},
    {"**.finish_reason", PROV_OUT_STRUCT},
    {"**.native_finish_reason", PROV_OUT_STRUCT}, /* OpenRouter */
    {"**.call_id", PROV_OUT_STRUCT},
    {"**.item_id", PROV_OUT_STRUCT},
    {"**.system_fingerprint", PROV_OUT_STRUCT},
    {"**.service_tier", PROV_OUT_STRUCT},
    {"**.obfuscation", PROV_OUT_STRUCT}, /* stream events' random padding */
    {"**.previous_response_id", PROV_OUT_STRUCT},
    {"**.file_id", PROV_OUT_STRUCT},
    {"**.container_id", PROV_OUT_STRUCT},
    {"**.function.name", PROV_OUT_STRUCT},
    {"**.function_call.name", PROV_OUT_STRUCT},
    {"output.*.name", PROV_OUT_STRUCT},
    {"item.name", PROV_OUT_STRUCT},
    {"response.output.*.name", PROV_OUT_STRUCT},
    {"name", PROV_OUT_STRUCT},     /* response.function_call_arguments.done */
    {"provider", PROV_OUT_STRUCT}, /* OpenRouter: the upstream that answered */
    {"**.reasoning_details.*.format", PROV_OUT_STRUCT},
    /* chat tool_calls[].function.arguments and function_call.arguments, Responses function_call items' arguments and
     * the *_arguments.done events' top-level arguments; custom tool calls' input */
    {"**.arguments", PROV_OUT_ARGUMENTS},
    {"output.*.input", PROV_OUT_ARGUMENTS},
    {"item.input", PROV_OUT_ARGUMENTS},
    {"response.output.*.input", PROV_OUT_ARGUMENTS},
    {"**.b64_json", PROV_OUT_MEDIA},
    {"**.audio.data", PROV_OUT_MEDIA},
    {"data.*.url", PROV_OUT_MEDIA},       /* images: a generated file's URL */
    {"data.*.embedding", PROV_OUT_MEDIA}, /* encoding_format base64 */
    {"**.result", PROV_OUT_MEDIA},        /* image_generation_call: base64 image */
    {"**.partial_image_b64", PROV_OUT_MEDIA},
    {"**.images.*.image_url.url", PROV_OUT_MEDIA}, /* OpenRouter image output: data URLs */
    {"**.encrypted_content", PROV_OUT_OPAQUE},
    {"**.reasoning_details.*.signature", PROV_OUT_OPAQUE},
    {"**.reasoning_details.*.data", PROV_OUT_OPAQUE}, /* OpenRouter reasoning.encrypted */
    {NULL, 0}};

/* Responses stream events whose `delta` / `input` are a tool call's arguments (provider.h output_skip_events; OpenAI API
 * reference, "Streaming events"): `delta` is the path of response.output_text.delta's prose pieces too, so these are
 * declared by event. With `**.arguments` and the items' `input` above, a tool call's arguments are restored and never
 * scanned in the pieces, the `.done` event and the response's items alike (before, the pieces were scanned and the rest
 * not: the client's joined pieces and the final arguments differed). */
const prov_out_event_skip_t prov__openai_output_skip_events[] = {
    {"response.function_call_arguments.delta", "delta", PROV_OUT_ARGUMENTS},
    {"response.mcp_call_arguments.delta", "delta", PROV_OUT_ARGUMENTS},
    {"response.custom_tool_call_input.delta", "delta", PROV_OUT_ARGUMENTS},
    {"response.custom_tool_call_input.done", "input", PROV_OUT_ARGUMENTS},
    {NULL, NULL, 0}};

/* Responses stream events that repeat the deltas' text (provider.h output_text_repeats). */
const char *const prov__openai_output_repeats[] = {"text",
                                                   "part.text",
                                                   "item.content.*.text",
                                                   "item.summary.*.text",
                                                   "response.output.*.content.*.text",
                                                   "response.output.*.summary.*.text",
                                                   NULL};

/* ---- no-training posture (docs/providers/openai.md "Storage"; evaluated by policy/notrain.c) ---- */

enum { OPENAI_CHAT = 1, OPENAI_RESPONSES = 2 }; /* route classes */

/* Storage routes: their content persists at OpenAI until deleted. */
static const pol_notrain_route_t openai_notrain_routes[] = {{"chat/completions", NULL, NULL, OPENAI_CHAT, NULL},
                                                            {"responses", NULL, NULL, OPENAI_RESPONSES, NULL},
                                                            {"files*", "openai_storage_route", NULL, 0, NULL},
                                                            {"uploads*", "openai_storage_route", NULL, 0, NULL},
                                                            {"batches*", "openai_storage_route", NULL, 0, NULL},
                                                            {"fine_tuning*", "openai_storage_route", NULL, 0, NULL},
                                                            {"vector_stores*", "openai_storage_route", NULL, 0, NULL},
                                                            {"conversations*", "openai_storage_route", NULL, 0, NULL},
                                                            {"assistants*", "openai_storage_route", NULL, 0, NULL},
                                                            {"threads*", "openai_storage_route", NULL, 0, NULL},
                                                            /* evals keep their data sources, containers their files,
                                                               skills their uploaded bundles until deleted (redteam9) */
                                                            {"evals*", "openai_storage_route", NULL, 0, NULL},
                                                            {"containers*", "openai_storage_route", NULL, 0, NULL},
                                                            {"skills*", "openai_storage_route", NULL, 0, NULL},
                                                            {NULL, NULL, NULL, 0, NULL}};

/* user / safety_identifier: "hash" (default with a hash key) replaces them by a keyed hash, "drop" deletes them, "keep".
 * OpenAI asks for a stable id per end user and recommends hashing it ("We recommend hashing their username or email
 * address, in order to avoid sending us any identifying information", api-reference/chat/create `safety_identifier`);
 * the PII pass alone gave every user whose id is an e-mail the same "<EMAIL_ADDRESS_1>". */
static const char *const openai_user_values[] = {"hash", "drop", "keep", NULL};
enum { OPENAI_UID_HASH, OPENAI_UID_DROP };

/* store:false keeps completions and responses out of OpenAI's stored objects; metadata is only kept for stored
 * objects; encrypted reasoning is opt-in (non-reasoning models reject the include). */
static const pol_notrain_force_t openai_notrain_forces[] = {
    {.label = "store=false", .on = OPENAI_CHAT | OPENAI_RESPONSES, .edits = {{"store", "false", 0}}},
    {.label = "metadata dropped",
     .on = OPENAI_CHAT | OPENAI_RESPONSES,
     .when = {"drop_metadata", 1},
     .edits = {{"metadata", NULL, 0}}},
    {.label = "user dropped",
     .on = OPENAI_CHAT | OPENAI_RESPONSES,
     .when = {"user", OPENAI_UID_DROP},
     .edits = {{"user", NULL, 0}, {"safety_identifier", NULL, 0}}},
    {.label = "include+=reasoning.encrypted_content",
     .on = OPENAI_RESPONSES,
     .when = {"include_encrypted_reasoning", 1},
     .edits = {{"include", "[\"reasoning.encrypted_content\"]", 1}}},
    {.label = NULL}};

/* Responses features that need a response stored by OpenAI, refused once store:false is forced. */
static const pol_notrain_capture_t openai_notrain_captures[] = {
    {"previous_response_id",
     OPENAI_RESPONSES,
     {NULL, 0},
     POL_NOTRAIN_IF_NOT_NULL,
     NULL,
     "openai_previous_response_id",
     "openai: previous_response_id needs a response stored by the provider, and aigw forces store:false; send the earlier "
     "turns in input instead (training.providers.openai.no_storage)"},
    {"conversation",
     OPENAI_RESPONSES,
     {NULL, 0},
     POL_NOTRAIN_IF_NOT_NULL,
     NULL,
     "openai_conversation",
     "openai: conversation keeps the turns in a server-side conversation object, and aigw's no-storage policy refuses it; "
     "send the earlier turns in input instead (training.providers.openai.no_storage)"},
    {"background",
     OPENAI_RESPONSES,
     {NULL, 0},
     POL_NOTRAIN_IF_TRUE,
     NULL,
     "openai_background",
     "openai: background:true needs a stored response, and aigw forces store:false; send the request without background "
     "(training.providers.openai.no_storage)"},
    {"input.*.type",
     OPENAI_RESPONSES,
     {NULL, 0},
     POL_NOTRAIN_IF_STRING,
     "item_reference",
     "openai_item_reference",
     "openai: item_reference inputs point at items stored by OpenAI, and aigw forces store:false; send the items "
     "themselves instead (training.providers.openai.no_storage)"},
    {NULL, 0, {NULL, 0}, 0, NULL, NULL, NULL}};

static const pol_notrain_option_t openai_notrain_options[] = {
    {.key = "drop_metadata", .type = POL_NOTRAIN_OPT_BOOL, .def = 1, .keyed = -1},
    {.key = "include_encrypted_reasoning", .type = POL_NOTRAIN_OPT_BOOL, .def = 0, .keyed = -1},
    {.key = "user",
     .type = POL_NOTRAIN_OPT_ENUM,
     .def = OPENAI_UID_HASH,
     .values = openai_user_values,
     .keyed = OPENAI_UID_HASH,
     .def_unkeyed = OPENAI_UID_DROP},
    {.key = NULL}};

static const pol_notrain_hash_t openai_notrain_hashes[] = {
    {"user", OPENAI_CHAT | OPENAI_RESPONSES, {"user", OPENAI_UID_HASH}, "user hashed"},
    {"safety_identifier", OPENAI_CHAT | OPENAI_RESPONSES, {"user", OPENAI_UID_HASH}, "safety_identifier hashed"},
    {NULL, 0, {NULL, 0}, NULL}};

static const pol_notrain_posture_t openai_notrain = {
    .provider = "openai",
    .routes = openai_notrain_routes,
    .forces = openai_notrain_forces,
    .captures = openai_notrain_captures,
    .hashes = openai_notrain_hashes,
    .options = openai_notrain_options,
};

/* Images responses carry generated images as data[].b64_json (docs/providers/openai.md). */
static const char *const openai_image_payload_fields[] = {"b64_json", NULL};

/* Optional headers that pick the organization / project billed (docs/providers/openai.md section 1). */
static const char *const openai_account_headers[] = {"openai-organization", "openai-project", NULL};
/* OpenAI API reference: beta features (Assistants v2, Realtime), a client-chosen request id echoed in logs */
static const char *const openai_request_headers[] = {"openai-beta", "x-client-request-id", NULL};

/* Routes aigw never forwards (provider.h refused_routes). Realtime (api-reference/realtime; openai-node
 * resources/realtime): POST realtime/client_secrets answers an ephemeral key (ek_...), realtime/sessions and
 * realtime/transcription_sessions (beta) a client_secret, with which a browser or app talks to OpenAI over WebRTC or
 * WebSocket; realtime/calls opens the WebRTC call itself (SDP offer -> answer) and accepts, refers or hangs up SIP calls.
 * ChatKit (api-reference/chatkit; resources/beta/chatkit): chatkit/sessions answers a client_secret for the browser's
 * widget, which then talks to OpenAI; its threads are stored there. Administration API (api-reference/administration;
 * resources/admin): organization/... (API keys, users, projects, data retention, spend) with an admin key. */
static const prov_refused_route_t openai_refused_routes[] = {
    {"realtime*", "direct_access_route",
     "openai: the Realtime API's client secrets, sessions and calls let the client talk to OpenAI directly (WebRTC or "
     "WebSocket), around aigw: nothing it sends there would be scanned, metered or given the no-training flags; aigw does "
     "not serve the Realtime API",
     NULL},
    {"chatkit*", "direct_access_route",
     "openai: a ChatKit session hands the browser a client secret with which it talks to OpenAI directly, around aigw "
     "(nothing scanned or metered; its threads are stored at OpenAI); aigw does not serve ChatKit",
     NULL},
    /* lists of the project's objects (api-reference: videos/list, chat/list of stored completions): every user's */
    {"videos", "account_list_route",
     "openai: the video list holds every video of aigw's OpenAI project, other users' included; aigw serves a video by "
     "its id only",
     "GET"},
    {"chat/completions", "account_list_route",
     "openai: the list of stored chat completions holds every stored completion of aigw's OpenAI project, other users' "
     "included (aigw itself stores none: store:false)",
     "GET"},
    {"organization*", "account_admin_route",
     "openai: the Administration API (API keys, users, projects, data retention, spend) is account administration, not a "
     "model call; aigw does not send its provider key there",
     NULL},
    {NULL, NULL, NULL, NULL}};

/* Token ids the model reads as text (provider.h token_inputs) */
static const prov_token_input_t openai_token_inputs[] = {PROV_OPENAI_TOKEN_INPUTS, {NULL, NULL}};

const prov_adapter_t prov_openai = {
    .account_headers = openai_account_headers,
    .request_headers = openai_request_headers,
    .image_payload_fields = openai_image_payload_fields,
    .notrain = &openai_notrain,
    .name = "openai",
    .token_inputs = openai_token_inputs,
    .refused_routes = openai_refused_routes,
    .default_base_url = "https://api.openai.com",
    .api_key_env = "OPENAI_API_KEY",
    .route_prefix = "/openai/v1/",
    .upstream_prefix = "/v1/",
    .auth = PROV_AUTH_BEARER,
    .skip_fields = openai_skip_fields,
    .file_fields = openai_file_fields,
    .error_body = prov__openai_error_body,
    .error_content_type = "application/json",
    .compat_prefix = "/v1/",
    .usage_from_json = prov__openai_usage_from_json,
    .usage_from_event = prov__openai_usage_from_event,
    .estimate_inputs = prov__openai_estimate_inputs,
    .answer_only = openai_answer_only,
    .unbilled_routes = openai_unbilled,
    .unrestorable_outputs = openai_unrestorable,
    .output_text = prov__openai_output_text,
    .output_text_repeats = prov__openai_output_repeats,
    .output_skip = prov__openai_output_skip,
    .output_skip_events = prov__openai_output_skip_events,
};
