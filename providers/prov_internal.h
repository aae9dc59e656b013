/*
 * Cross-file internals of providers/: jansson getters shared by the extractors, and the
 * OpenAI-format pieces (text-field rules, error body, usage and estimate functions) that the
 * OpenAI-compatible adapters (OpenRouter, DeepSeek, Fireworks) reuse from providers/openai.c.
 * Not for use outside providers/.
 */
#ifndef AIGW_PROVIDERS_PROV_INTERNAL_H
#define AIGW_PROVIDERS_PROV_INTERNAL_H

#include <jansson.h>

#include "providers/provider.h"

/* Structural fields of OpenAI's request formats (openai.md section 2) that are never rewritten, as prov_skip_t
 * initialisers, so that the OpenAI-compatible adapters can list them first and append their own. Every other string
 * and key is scanned (issue 10). VALUE = scanned, a finding refuses; OPAQUE = provider token, base64 only. */
#define PROV_OPENAI_SKIP_FIELDS                                                                                                    \
    /* chat completions */                                                                                                         \
    {"model", PROV_SKIP_VALUE}, {"messages.*.role", PROV_SKIP_VALUE}, {"messages.*.content.*.type", PROV_SKIP_VALUE},              \
        {"messages.*.tool_call_id", PROV_SKIP_VALUE}, {"messages.*.tool_calls.*.id", PROV_SKIP_VALUE},                             \
        {"messages.*.tool_calls.*.type", PROV_SKIP_VALUE}, {"messages.*.tool_calls.*.function.name", PROV_SKIP_VALUE},             \
        {"messages.*.content.*.file.file_id", PROV_SKIP_VALUE}, {"tools.*.type", PROV_SKIP_VALUE},                                 \
        {"tools.*.function.name", PROV_SKIP_VALUE}, {"tool_choice.function.name", PROV_SKIP_VALUE}, /* responses */                \
        {"tools.*.name", PROV_SKIP_VALUE}, {"input.*.role", PROV_SKIP_VALUE}, {"input.*.type", PROV_SKIP_VALUE},                   \
        {"input.*.id", PROV_SKIP_VALUE}, {"input.*.call_id", PROV_SKIP_VALUE}, {"input.*.name", PROV_SKIP_VALUE},                  \
        {"input.*.content.*.type", PROV_SKIP_VALUE}, {"input.*.content.*.file_id", PROV_SKIP_VALUE},                               \
        {"include.*", PROV_SKIP_VALUE},                                                                                            \
    /* reasoning items carried between turns (store:false) */                                                                      \
    {                                                                                                                              \
        "input.*.encrypted_content", PROV_SKIP_OPAQUE                                                                              \
    }

/* File data of OpenAI-format requests (openai.md: chat `input_audio.data` base64 audio, `file.file_data` base64 or
 * a data URL; Responses `input_file.file_data`), shared by the OpenAI-compatible adapters whose file_data is bytes. */
#define PROV_OPENAI_FILE_FIELDS                                                                                                    \
    {"messages.*.content.*.input_audio.data", PROV_FILE_BYTES}, {"messages.*.content.*.file.file_data", PROV_FILE_BYTES},          \
    {                                                                                                                              \
        "input.*.content.*.file_data", PROV_FILE_BYTES                                                                             \
    }

/* Log probabilities in OpenAI-format answers (provider.h unrestorable_outputs), shared by the OpenAI-compatible adapters:
 * chat completions `logprobs: true` / `top_logprobs` (platform.openai.com/docs/api-reference/chat/create), legacy
 * completions `logprobs: N` (0 still returns the sampled token's; api-reference/completions/create; DeepSeek's FIM at
 * beta/completions and Fireworks' completions take the same field), Responses `include:
 * ["message.output_text.logprobs"]` and `top_logprobs` (api-reference/responses/create). Each token is a piece of a
 * placeholder ("<EMAIL", "_ADDRESS", "_1>") that no restore can put back token by token. "*completions" matches
 * chat/completions, completions and beta/completions. */
#define PROV_OPENAI_LOGPROBS_OUTPUTS                                                                                               \
    {"POST *completions", "logprobs", NULL, PROV_UNRESTORABLE_LOGPROBS},                                                           \
        {"POST *completions", "top_logprobs", NULL, PROV_UNRESTORABLE_LOGPROBS},                                                   \
        {"POST responses", "include", "message.output_text.logprobs", PROV_UNRESTORABLE_LOGPROBS},                                 \
    {                                                                                                                              \
        "POST responses", "top_logprobs", NULL, PROV_UNRESTORABLE_LOGPROBS                                                         \
    }

/* Text sent as token ids in OpenAI-format requests (provider.h token_inputs; openai.md: legacy completions `prompt`
 * and embeddings `input` take int[] or int[][]), shared by the OpenAI-compatible adapters. */
#define PROV_OPENAI_TOKEN_INPUTS                                                                                                   \
    {"POST *completions", "prompt"},                                                                                               \
    {                                                                                                                              \
        "POST *embeddings", "input"                                                                                                \
    }

/* Model text in OpenAI-format responses (openai.md: chat completions message / delta, legacy completions, Responses
 * output items and their stream events), shared by the OpenAI-compatible adapters. */
extern const char *const prov__openai_output_text[];
extern const char *const prov__openai_output_repeats[];
/* What is no model text in OpenAI-format answers (provider.h output_skip), shared by the OpenAI-compatible adapters. */
extern const prov_out_skip_t prov__openai_output_skip[];
/* Its fields that are no text in one stream event only (provider.h output_skip_events: Responses argument pieces). */
extern const prov_out_event_skip_t prov__openai_output_skip_events[];

/** Appends the string literal `lit` (length computed by the compiler). @return 0 or -1. */
#define PROV_APPEND_LIT(out, lit) gw_buf_append((out), (lit), sizeof(lit) - 1)

/* ---- jansson getters: NULL / 0 when absent or of another type ---- */

/** Object member `key` of `o` when `o` is an object, else NULL. Borrowed. */
json_t *prov__jget(const json_t *o, const char *key);
/** Member at a dotted path of object keys ("usage.prompt_tokens_details.cached_tokens"), or NULL. Borrowed. */
json_t *prov__jpath(const json_t *o, const char *path);
/** Non-negative integral number (JSON integer, or real with an integral value) at `path` -> *v. @return 1 / 0. */
int prov__jint(const json_t *o, const char *path, int64_t *v);
/** Finite number at `path` -> *v. @return 1 / 0. */
int prov__jnum(const json_t *o, const char *path, double *v);
/** Copies the string at `path` into `dst` (cap bytes incl. NUL, truncated). @return 1 / 0. */
int prov__jstr(const json_t *o, const char *path, char *dst, size_t cap);
/** Sets usage field `f` from the integer at `path` when present. @return 1 when set. */
int prov__usage_from_int(prov_usage_t *u, prov_usage_field_t f, const json_t *o, const char *path);
/** Sets usage field `f` from the number at `path` when present. @return 1 when set. */
int prov__usage_from_num(prov_usage_t *u, prov_usage_field_t f, const json_t *o, const char *path);
/** Sets string usage field `f` from the string at `path` when present. @return 1 when set. */
int prov__usage_from_str(prov_usage_t *u, prov_usage_field_t f, const json_t *o, const char *path);
/** Parses `len` bytes as a JSON object (leading whitespace allowed, DeepSeek sends blank lines first). NULL if not. */
json_t *prov__jload_object(const char *body, size_t len);
/** Copies a model name taken from a path (`n` bytes) into `dst` (cap bytes incl. NUL). @return 0, or -1 when it
    is empty, does not fit, or holds a byte outside printable ASCII (control bytes, NUL, space, DEL, non-ASCII). */
int prov__copy_name(char *dst, size_t cap, const char *s, size_t n);
/** The path part of `path` (`len` bytes) for the model_from_path parsers: *p after leading slashes, *end before
    any "?query". */
void prov__path_span(const char *path, size_t len, const char **p, const char **end);
/** Resets *e to defaults (max_output_tokens -1, n 1) with input_bytes = len. */
void prov__estimate_reset(prov_estimate_t *e, size_t len);
/** True when the SSE event carries the data "[DONE]". */
int prov__sse_is_done(const gw_sse_event_t *ev);
/** True when the event name equals `name`. */
int prov__sse_event_is(const gw_sse_event_t *ev, const char *name);

/* ---- OpenAI format, reused by the OpenAI-compatible adapters ---- */

/** OpenAI ErrorResponse {"error":{"message","type","param","code"}} (see prov_adapter_t.error_body). */
int prov__openai_error_body(gw_buf_t *out, int status, const char *type, const char *code, const char *param, const char *message);
/** Usage object of any OpenAI-format response (chat, responses, embeddings, images; plus the DeepSeek and
    OpenRouter extensions) into *u. @return fields set. */
int prov__openai_usage_obj(const json_t *usage, prov_usage_t *u, int images_api);
/** prov_adapter_t.usage_from_json for OpenAI-format bodies. */
int prov__openai_usage_from_json(const char *body, size_t len, prov_usage_t *u);
/** prov_adapter_t.usage_from_event for OpenAI-format streams (chat chunks, Responses and Images events). */
void prov__openai_usage_from_event(prov_usage_state_t *st, const gw_sse_event_t *ev);
/** prov_adapter_t.estimate_inputs for OpenAI-format bodies. */
int prov__openai_estimate_inputs(const char *body, size_t len, prov_estimate_t *e);
/** Fills *e from an already parsed OpenAI-format body. */
void prov__openai_estimate_obj(const json_t *root, prov_estimate_t *e);

#endif
