/*
 * Stream-side usage helpers for the adapters: the per-stream extraction state and cheap byte scans
 * of one SSE event. The usage record itself (prov_usage_t, field ids, setters, JSON form) is the
 * policy layer's (policy/usage.h), since pricing consumes it.
 */
#ifndef AIGW_PROVIDERS_USAGE_H
#define AIGW_PROVIDERS_USAGE_H

#include <stddef.h>
#include <stdint.h>

#include "policy/usage.h"

/**
 * Streaming extraction state: one per response stream, zero-initialised (PROV_USAGE_STATE_INIT).
 * Fed every SSE event by the adapter's usage_from_event; `usage` holds the best numbers so far
 * (what to bill if the stream dies now).
 */
typedef struct st_prov_usage_state_t {
    prov_usage_t usage;
    uint64_t events; /**< events seen */
    int done;        /**< the provider's terminal event was seen ([DONE], message_stop, response.completed, done, ...) */
    int error;       /**< an in-stream error was seen (event: error, response.failed, OpenRouter chunk with "error") */
} prov_usage_state_t;

#define PROV_USAGE_STATE_INIT                                                                                                      \
    {                                                                                                                              \
        PROV_USAGE_INIT, 0, 0, 0                                                                                                   \
    }

/**
 * 1 when the stream event `data` (`len` bytes, one SSE data payload) is the usage-only chunk of an
 * OpenAI-format chat stream: a JSON object whose "choices" is an empty array and whose "usage" is
 * an object (openai.md section 4: sent before [DONE] when stream_options.include_usage is set).
 * Decided by parsing the event (jansson), not by its bytes, so `"choices": []` with spaces (as
 * OpenAI-compatible servers write it) is recognised too; a cheap member scan rejects the other
 * events first. 0 for anything else, including invalid JSON.
 */
int prov_usage_is_usage_only_chunk(const char *data, size_t len);

/**
 * Bytes of generated text carried by one stream event (`data`, `len` bytes), for billing a stream
 * the provider cut before it reported its usage (gateway/billing.h). Counts the raw bytes (escape
 * sequences as written) of the JSON string values of members named "content", "text", "thinking",
 * "reasoning_content", "reasoning", "partial_json", "arguments" and "delta" (the Responses API's
 * text deltas); events of the Responses API other than *.delta repeat text already counted
 * (output_text.done, response.completed) and count 0. A byte scan, no allocation, any input.
 */
uint64_t prov_usage_event_text_bytes(const char *data, size_t len);

/**
 * Cheap pre-filter for stream events: 1 when `data` (`len` bytes) contains the JSON member name `key` (with quotes,
 * e.g. "\"usage\"") followed by optional whitespace, ':' and optional whitespace and then `{` (when want_object)
 * or any value. False positives are possible (the member is inside a string) and only cost a real parse; false
 * negatives are not: a member "usage" whose value is an object always matches.
 */
int prov__json_has_member(const char *data, size_t len, const char *key, int want_object);

#endif
