/*
 * Fallback chains (issue 16; config "fallbacks"): when every attempt at a call's provider and model failed in a way a
 * retry would have tried again (connection errors, resets, 429, 5xx) and no byte went to the client yet, the call is
 * tried again at the next target of its chain, e.g.
 *   "fallbacks": {"openai/gpt-4o": ["openrouter/openai/gpt-4o", "gemini/gemini-2.5-flash"]}
 * A target is either the same provider (another model: same wire format) or, when the chain's provider and the
 * target both have an OpenAI-compatible API (providers/provider.h compat_prefix), another provider reached through
 * it; anything else is refused by the config check. The request pipeline applies it
 * (gateway/pipeline/fallback.c): each target gets its own no-training pass, price and retry policy.
 * This file is the parsed table only: pure, no I/O.
 */
#ifndef AIGW_GATEWAY_FALLBACK_H
#define AIGW_GATEWAY_FALLBACK_H

#include <stddef.h>
#include <jansson.h>

#include "providers/provider.h"

#define GW_FALLBACK_MAX_TARGETS 8 /* per chain */
#define GW_FALLBACK_MODEL_MAX 127 /* bytes of a target's model name */

/** One target of a chain. */
typedef struct st_gw_fallback_target_t {
    const prov_adapter_t *adapter;         /**< the target's provider (static) */
    char model[GW_FALLBACK_MODEL_MAX + 1]; /**< the model the request names there */
} gw_fallback_target_t;

typedef struct st_gw_fallbacks_t gw_fallbacks_t;

/**
 * Parses config "fallbacks" (`conf` borrowed; NULL = none): an object {"<provider>/<model>": ["<provider>/<model>",
 * ...]} (1..GW_FALLBACK_MAX_TARGETS targets, each a known provider, none equal to the key or repeated; a target of
 * another provider needs an OpenAI-compatible API on both sides; providers with asynchronous predictions have none).
 * @return the table (gw_fallbacks_free), or NULL with the key and what was expected in `err`.
 */
gw_fallbacks_t *gw_fallbacks_new(const json_t *conf, char *err, size_t errlen);

/** Frees the table (NULL is fine). */
void gw_fallbacks_free(gw_fallbacks_t *f);

/**
 * The chain of calls to `provider` / `model` (NUL-terminated, borrowed), or NULL when there is none (also when `f`
 * is NULL). @param n receives the number of targets. Borrowed from the table.
 */
const gw_fallback_target_t *gw_fallbacks_for(const gw_fallbacks_t *f, const char *provider, const char *model, size_t *n);

#endif
