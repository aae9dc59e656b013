/*
 * pol_notrain: the no-training / no-storage decision for one call (issue 4, "No-training policy";
 * the posture table is docs/providers/README.md section 3). Pure code: the gateway hands in
 * the provider name, the route, config facts (key tier) and the user's consent, and gets back
 * either a refusal (403 with a message that names the provider, the reason and the fix) or the
 * JSON member edits and HTTP headers that make the provider keep nothing and train on nothing.
 *
 * One JSON pass: the fields the decision depends on (previous_response_id, background, model, ...)
 * are CAPTURE rules that the gateway compiles into the same pol_json_paths_t as its PII rules
 * (pol_notrain_rules()), and the edits go into that same pol_json_rewrite() call. The decision
 * is therefore made in three steps: pol_notrain_begin() before the pass (route, tier, consent),
 * pol_notrain_on_capture() / pol_notrain_on_string() during it, pol_notrain_end() after it. If
 * end() refuses, the rewritten body is thrown away. pol_notrain_apply() does the three steps with
 * its own pass for callers that do not merge (tests, tools). See docs/internals/notrain.md.
 */
#ifndef AIGW_POLICY_NOTRAIN_H
#define AIGW_POLICY_NOTRAIN_H

#include <stddef.h>
#include <jansson.h>

#include "common/buf.h"
#include "common/json.h"

/** Config "training.mode" (and per provider "training.providers.NAME.mode"). */
typedef enum en_pol_notrain_mode_t {
    POL_NOTRAIN_DENY_UNLESS_CONSENT = 0, /* default: a provider that may train is refused unless the user consented */
    POL_NOTRAIN_DENY,                    /* a provider that may train is always refused */
    POL_NOTRAIN_ALLOW                    /* training risk is accepted; no-storage flags and refusals still apply */
} pol_notrain_mode_t;

/** Verdicts. */
enum { POL_NOTRAIN_ALLOWED = 0, POL_NOTRAIN_REFUSED = 1 };

/** Caps of one decision. */
#define POL_NOTRAIN_MAX_EDITS 8
#define POL_NOTRAIN_MAX_HEADERS 4
#define POL_NOTRAIN_MAX_QUERY 2
/** Rule ids returned by pol_notrain_rules() are POL_NOTRAIN_RULE_BASE + small integers. */
#define POL_NOTRAIN_RULE_BASE 0x4e540000
/** At most this many rules per provider come from pol_notrain_rules(). */
#define POL_NOTRAIN_MAX_RULES 12

/** @return 1 when `rule_id` belongs to pol_notrain (route its captures and strings to this module). */
static inline int pol_notrain_owns_rule(int rule_id)
{
    return rule_id >= POL_NOTRAIN_RULE_BASE && rule_id < POL_NOTRAIN_RULE_BASE + 0x100;
}

typedef struct st_pol_notrain_t pol_notrain_t;

/** One header to set on the upstream request (replacing any value the client sent). */
typedef struct st_pol_notrain_header_t {
    const char *name;  /* static, e.g. "X-Fal-Store-IO" */
    const char *value; /* NUL-terminated; valid as long as the decision */
} pol_notrain_header_t;

/** What the gateway knows about the call before reading the body. All pointers borrowed for the call. */
typedef struct st_pol_notrain_input_t {
    const char *provider; /**< adapter name: "openai", "gemini", "anthropic", "replicate", "openrouter", "deepseek",
                               "fireworks", "fal" (unknown names are allowed unchanged, record "allowed:unknown_provider") */
    const char *route;    /**< request path after the route prefix, e.g. "chat/completions" for /openai/v1/chat/completions
                               or /v1/chat/completions, "models/gemini-2.5-flash:generateContent" for /gemini/v1beta/...;
                               a leading '/' or "v1/" and a "?query" are ignored; for fal the target URL's path */
    size_t route_len;     /**< bytes */
    const char *key_tier; /**< config providers.NAME.tier: "paid", "free" or NULL (only Gemini reads it) */
    int consent;          /**< 1 if the end user consented to training (aigw user consent USER on) */
} pol_notrain_input_t;

/**
 * One call's decision. Caller-allocated (stack or request pool), filled by pol_notrain_begin(); the public fields
 * below are valid until the decision is reused. Fields starting with `priv_` are internal.
 */
typedef struct st_pol_notrain_decision_t {
    int verdict;        /**< POL_NOTRAIN_ALLOWED / POL_NOTRAIN_REFUSED */
    const char *reason; /**< refusal code ("gemini_unpaid_tier"), static; for an allowed call the training risk that the
                             user's consent lifted, else NULL */
    pol_json_edit_t edits[POL_NOTRAIN_MAX_EDITS];          /**< member edits for pol_json_rewrite() (JSON bodies only) */
    size_t nedits;                                         /**< count of edits */
    pol_notrain_header_t headers[POL_NOTRAIN_MAX_HEADERS]; /**< headers to set upstream (fal) */
    size_t nheaders;                                       /**< count of headers */
    const char *drop_query[POL_NOTRAIN_MAX_QUERY];         /**< query parameters to remove upstream ("fal_webhook") */
    size_t ndrop_query;                                    /**< count of drop_query */
    /* internal */
    const pol_notrain_t *priv_nt;
    const void *priv_posture;
    const char *priv_provider;
    unsigned priv_route_flags;
    unsigned priv_flags; /* what was forced/seen (bits in notrain.c) */
    int priv_consent;
    int priv_consent_used;
    char priv_detail[96];    /* short detail for the message (route or model), NUL-terminated */
    char priv_model[128];    /* captured model id (NUL-terminated, may be truncated) */
    int priv_model_state;    /* 0 none, 1 captured, 2 captured but unreadable (escapes, too long, not a string) */
    char priv_lifecycle[64]; /* fal lifecycle header value */
} pol_notrain_decision_t;

/**
 * Builds the posture table: built-in defaults (README.md section 3) overlaid by the config "training" object
 * (borrowed; NULL = defaults):
 *   {"mode": "deny_unless_consent"|"deny"|"allow",
 *    "providers": {"<name>": {"mode": ..., "no_storage": bool, "deny_models": [glob...], "allow_models": [glob...],
 *                             <provider keys: see docs/internals/notrain.md>}}}
 * `hash_key` (32 bytes, copied; NULL = none) keys the BLAKE2b hash of Anthropic metadata.user_id; without it the
 * user_id is dropped instead of hashed.
 * @return the table (free with pol_notrain_free(); immutable, shareable between threads), or NULL with a message in
 *         err naming the key path, e.g. "training.providers.gemini.mode: expected \"deny_unless_consent\", \"deny\" or
 *         \"allow\"".
 */
pol_notrain_t *pol_notrain_create(const json_t *training, const unsigned char *hash_key, char *err, size_t errlen);

/** Frees a table (NULL is ignored). */
void pol_notrain_free(pol_notrain_t *nt);

/** The effective mode for `provider` (its override, else the global mode). */
pol_notrain_mode_t pol_notrain_mode(const pol_notrain_t *nt, const char *provider);

/**
 * Copies into `out` (capacity `cap`, POL_NOTRAIN_MAX_RULES is always enough) the JSON rules the decision for
 * `provider` needs: CAPTURE rules and, for hashing, SCAN rules. Their ids satisfy pol_notrain_owns_rule(). Compile
 * them into the adapter's matcher BEFORE its PII rules (a string matched by several SCAN rules goes to the first).
 * Patterns are static strings. @return the number of rules (0 for a provider without body-dependent decisions).
 */
size_t pol_notrain_rules(const pol_notrain_t *nt, const char *provider, pol_json_rule_t *out, size_t cap);

/**
 * Step 1, before the body pass: decides what does not depend on the body (provider posture, key tier, consent,
 * route) and fills d->edits / d->headers / d->drop_query. `nt` and `in->provider` must outlive `d`.
 * @return d->verdict: POL_NOTRAIN_REFUSED (answer 403 now, no body pass needed) or POL_NOTRAIN_ALLOWED (run the body
 *         pass with d->edits, then pol_notrain_end()).
 */
int pol_notrain_begin(const pol_notrain_t *nt, const pol_notrain_input_t *in, pol_notrain_decision_t *d);

/** Step 2: forward pol_json_visitor_t.on_capture calls whose rule id pol_notrain_owns_rule(). */
void pol_notrain_on_capture(pol_notrain_decision_t *d, int rule_id, const char *raw, size_t len, int json_type);

/**
 * Step 2: forward pol_json_visitor_t.on_string calls whose rule id pol_notrain_owns_rule() (same contract:
 * 0 keep, 1 `replacement` holds the new text, < 0 abort on allocation failure). Used to hash Anthropic
 * metadata.user_id (keyed BLAKE2b-128, hex, prefix "u_").
 */
int pol_notrain_on_string(pol_notrain_decision_t *d, int rule_id, const char *s, size_t len, pol_buf_t *replacement);

/**
 * Step 3, after a successful body pass (also call it when there was no body): refusals that depend on captured
 * fields (previous_response_id, conversation, background, item_reference, file_id sources, denied models).
 * @return d->verdict.
 */
int pol_notrain_end(pol_notrain_decision_t *d);

/**
 * Steps 1-3 with a private pass over the JSON body `body` (`len` bytes, borrowed; NULL/0 = no body). On
 * POL_NOTRAIN_ALLOWED, *changed tells whether `out` holds the rewritten body (else forward the original).
 * @return POL_NOTRAIN_ALLOWED / POL_NOTRAIN_REFUSED, or a negative POL_JSON_E_* from the pass (bad JSON: 400).
 */
int pol_notrain_apply(const pol_notrain_t *nt, const pol_notrain_input_t *in, const char *body, size_t len,
                      pol_notrain_decision_t *d, pol_buf_t *out, int *changed);

/**
 * Appends the decision record for the call log: "allowed", "flags:store=false,metadata dropped",
 * "consent:gemini_unpaid_tier;flags:..." or "refused:gemini_unpaid_tier". @return 0 or -1 (allocation).
 */
int pol_notrain_record(const pol_notrain_decision_t *d, pol_buf_t *out);

/**
 * Appends the human message of a refusal (UTF-8, no request content): names the provider, the reason and how to fix
 * it. Appends nothing for an allowed call. @return 0 or -1 (allocation).
 */
int pol_notrain_message(const pol_notrain_decision_t *d, pol_buf_t *out);

#endif
