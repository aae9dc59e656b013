/*
 * pol_notrain: the no-training / no-storage decision for one call (issue 4, "No-training policy";
 * the posture table is docs/providers/README.md section 3). Pure code: the gateway hands in
 * the provider name, the route, config facts (key tier) and the user's consent, and gets back
 * either a refusal (403 with a message that names the provider, the reason and the fix) or the
 * JSON member edits and HTTP headers that make the provider keep nothing and train on nothing.
 *
 * This module is the generic evaluator; what is true of one provider (the flags it forces, the
 * fields it strips, the routes it refuses, its training risk and the config keys that tune it) is
 * declared as data, a pol_notrain_posture_t, in that provider's adapter (providers/<name>.c, the
 * `notrain` member of prov_adapter_t), and handed to pol_notrain_create() (house rule 32).
 *
 * One JSON pass: the fields the decision depends on (previous_response_id, background, model, ...)
 * are CAPTURE rules that the gateway compiles into the same gw_json_paths_t as its PII rules
 * (pol_notrain_rules()), and the edits go into that same gw_json_rewrite() call. The decision
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

/* ---- provider postures: data declared by each adapter (providers/<name>.c) ---------------------------------------- */

/** Training risk that no flag removes. */
typedef enum en_pol_notrain_risk_t {
    POL_NOTRAIN_RISK_NONE = 0,
    POL_NOTRAIN_RISK_UNLESS_TIER, /**< the provider may train unless the configured key tier is `risk_tier` (Gemini "paid") */
    POL_NOTRAIN_RISK_ALWAYS       /**< the provider may train whatever is sent (DeepSeek first-party) */
} pol_notrain_risk_t;

/** A condition on a provider option: holds when `option` (a key of the posture's options) has value `is`; option
 *  NULL = always. Enum options compare their value's index in `values`, booleans 0/1. */
typedef struct st_pol_notrain_when_t {
    const char *option;
    long long is;
} pol_notrain_when_t;

/** Type of a provider option (config training.providers.NAME.<key>). */
typedef enum en_pol_notrain_opt_type_t {
    POL_NOTRAIN_OPT_BOOL = 1, /**< true / false */
    POL_NOTRAIN_OPT_ENUM,     /**< one of `values` (stored as its index) */
    POL_NOTRAIN_OPT_INT       /**< integer in min..max */
} pol_notrain_opt_type_t;

/** A config key one provider accepts besides the common ones (mode, no_storage, deny_models, allow_models). */
typedef struct st_pol_notrain_option_t {
    const char *key;
    pol_notrain_opt_type_t type;
    long long def;             /**< default value */
    const char *const *values; /**< ENUM: value names, NULL-terminated */
    int keyed;                 /**< ENUM: index of the value that needs the hash key, or -1; without a key the default is
                                    `def_unkeyed` and configuring it is an error */
    long long def_unkeyed;     /**< ENUM with `keyed` >= 0: default when there is no hash key */
    long long min, max;        /**< INT: bounds */
} pol_notrain_option_t;

/**
 * A route of the provider (first matching glob wins). `glob` is an fnmatch(3) pattern without FNM_PATHNAME ('*' also
 * matches '/'), with FNM_CASEFOLD: a case variant of a storage route is refused too. The route it is matched against is
 * the path after the route prefix without a leading '/', "v1/" or "v1beta/" and without the query.
 */
typedef struct st_pol_notrain_route_t {
    const char *glob;
    const char *refuse;       /**< storage refusal reason ("openai_storage_route"), or NULL for a route that is served */
    const char *message;      /**< refusal message; NULL = "NAME: the route \"...\" stores content at the provider ..." */
    unsigned classes;         /**< posture-defined bits: forces, captures and hashes whose `on` shares a bit apply here */
    const char *model_prefix; /**< the model is named in the path after this prefix, up to ':' (Gemini "models/"), or NULL */
} pol_notrain_route_t;

/** One header a force sets upstream. With `int_option`, the value is `value` + that option's integer + `suffix`. */
typedef struct st_pol_notrain_force_header_t {
    const char *name;
    const char *value;
    const char *int_option;
    const char *suffix;
} pol_notrain_force_header_t;

/** What a served route gets when no_storage is on: member edits, headers, a dropped query parameter; one record label. */
typedef struct st_pol_notrain_force_t {
    const char *label; /**< record label ("store=false"); NULL ends the list */
    unsigned on;       /**< route classes it applies to */
    pol_notrain_when_t when;
    gw_json_edit_t edits[3];               /**< path NULL ends; value_json NULL deletes the member */
    pol_notrain_force_header_t headers[2]; /**< name NULL ends; at most one per posture uses int_option */
    const char *drop_query;                /**< query parameter removed upstream, or NULL */
} pol_notrain_force_t;

/** How a captured field triggers its refusal. */
typedef enum en_pol_notrain_match_t {
    POL_NOTRAIN_IF_NOT_NULL = 1, /**< present with any value but null */
    POL_NOTRAIN_IF_TRUE,         /**< present and true */
    POL_NOTRAIN_IF_STRING        /**< a JSON string equal to `value` (compared raw, no escapes) */
} pol_notrain_match_t;

/** A body field that needs provider-side storage: refused (storage refusal, consent does not lift it) on routes `on`. */
typedef struct st_pol_notrain_capture_t {
    const char *pattern; /**< JSON path (common/json.h syntax); NULL ends the list. Refusals are checked in list order. */
    unsigned on;
    pol_notrain_when_t when;
    pol_notrain_match_t match;
    const char *value;   /**< POL_NOTRAIN_IF_STRING */
    const char *reason;  /**< "openai_previous_response_id" */
    const char *message; /**< the whole refusal message */
} pol_notrain_capture_t;

/**
 * A string field replaced by "u_" + hex keyed BLAKE2b-128 of its value (needs the hash key), on routes `on`. The value
 * hashed is the one the client sent (pol_notrain_input_t.ids, captured before the PII pass replaced it: hashing
 * "<EMAIL_ADDRESS_1>" would give every user the same pseudonym); without one, the field's value, or the call's
 * end-user id (pol_notrain_input_t.user) when that value holds a placeholder of the PII pass.
 */
typedef struct st_pol_notrain_hash_t {
    const char *pattern; /**< NULL ends the list */
    unsigned on;
    pol_notrain_when_t when;
    const char *label; /**< record label */
} pol_notrain_hash_t;

/**
 * Everything the no-training policy knows about one provider. Static data in the adapter's file; every list may be
 * NULL (empty). Sources: docs/providers/README.md section 3 and the provider page's storage section.
 */
typedef struct st_pol_notrain_posture_t {
    const char *provider; /**< adapter name, also the key under training.providers */
    pol_notrain_risk_t risk;
    const char *risk_tier;    /**< RISK_UNLESS_TIER: the key tier that lifts the risk ("paid") */
    const char *risk_reason;  /**< refusal reason of the risk ("gemini_unpaid_tier") */
    const char *risk_message; /**< its message; the consent hint is appended */
    const pol_notrain_route_t *routes;
    const pol_notrain_force_t *forces;
    const pol_notrain_capture_t *captures;
    const pol_notrain_hash_t *hashes;
    const pol_notrain_option_t *options;
    const char *const *deny_models; /**< default deny_models globs, NULL-terminated */
    const char *model_hint;         /**< added to the model_denied message ("; proprietary Fireworks models may log prompts") */
} pol_notrain_posture_t;

/** Most options, captures, hashes and forces one posture may declare. */
#define POL_NOTRAIN_MAX_OPTIONS 4
#define POL_NOTRAIN_MAX_CAPTURES 8
#define POL_NOTRAIN_MAX_HASHES 2
#define POL_NOTRAIN_MAX_FORCES 8

typedef struct st_pol_notrain_t pol_notrain_t;

/** One header to set on the upstream request (replacing any value the client sent). */
typedef struct st_pol_notrain_header_t {
    const char *name;  /* static, e.g. "X-Fal-Store-IO" */
    const char *value; /* NUL-terminated; valid as long as the decision */
} pol_notrain_header_t;

/** What the gateway knows about the call before reading the body. All pointers borrowed for the call. */
typedef struct st_pol_notrain_input_t {
    const char *provider; /**< adapter name, a posture's `provider` (unknown names are allowed unchanged, record
                               "allowed:unknown_provider") */
    const char *route;    /**< request path after the route prefix, e.g. "chat/completions" for /openai/v1/chat/completions
                               or /v1/chat/completions, "models/gemini-2.5-flash:generateContent" for /gemini/v1beta/...;
                               a leading '/' or "v1/" and a "?query" are ignored; for fal the target URL's path */
    size_t route_len;     /**< bytes */
    const char *key_tier; /**< config providers.NAME.tier: "paid", "free" or NULL (read by RISK_UNLESS_TIER postures) */
    int consent;          /**< 1 if the end user consented to training (aigw user consent USER on) */
    const char *user;     /**< the call's end-user id (X-AIGW-User, or the body's user / safety_identifier), NULL if
                               unknown: a hashed field whose value the PII pass replaced by a placeholder (`<TYPE_1>`,
                               `<TYPE>`) is replaced by the keyed hash of this id instead, so that distinct users never
                               share one pseudonym; not copied, valid for the call */
    size_t user_len;      /**< bytes */
    const struct st_pol_notrain_id_t *ids; /**< the original values of hashed fields, as the client sent them (before
                                                the PII pass), `n_ids` entries, NULL = none; not copied, valid for the
                                                call: a hashed field with an entry here is hashed from it */
    size_t n_ids;
} pol_notrain_input_t;

/** The original value of a field a posture hashes (pol_notrain_input_t.ids). */
typedef struct st_pol_notrain_id_t {
    const char *pattern; /**< a posture hash's pattern ("metadata.user_id") */
    const char *value;   /**< the decoded string the client sent, `len` bytes (borrowed) */
    size_t len;
} pol_notrain_id_t;

/**
 * One call's decision. Caller-allocated (stack or request pool), filled by pol_notrain_begin(); the public fields
 * below are valid until the decision is reused. Fields starting with `priv_` are internal.
 */
typedef struct st_pol_notrain_decision_t {
    int verdict;        /**< POL_NOTRAIN_ALLOWED / POL_NOTRAIN_REFUSED */
    const char *reason; /**< refusal code ("gemini_unpaid_tier"), static; for an allowed call the training risk that the
                             user's consent lifted, else NULL */
    gw_json_edit_t edits[POL_NOTRAIN_MAX_EDITS];           /**< member edits for gw_json_rewrite() (JSON bodies only) */
    size_t nedits;                                         /**< count of edits */
    pol_notrain_header_t headers[POL_NOTRAIN_MAX_HEADERS]; /**< headers to set upstream (fal) */
    size_t nheaders;                                       /**< count of headers */
    const char *drop_query[POL_NOTRAIN_MAX_QUERY];         /**< query parameters to remove upstream ("fal_webhook") */
    size_t ndrop_query;                                    /**< count of drop_query */
    /* internal */
    const pol_notrain_t *priv_nt;
    const pol_notrain_posture_t *priv_posture;
    const char *priv_provider;
    int priv_index; /* posture index in the table */
    unsigned priv_route_flags;
    unsigned priv_flags;      /* what was forced: force i = bit i, hash j = bit 16 + j */
    unsigned priv_seen;       /* captures that matched: capture i = bit i */
    const char *priv_message; /* message of a storage refusal (NULL: generic route message or computed) */
    int priv_consent;
    int priv_consent_used;
    char priv_detail[96];       /* short detail for the message (route or model), NUL-terminated */
    char priv_model[128];       /* captured model id (NUL-terminated, may be truncated) */
    int priv_model_state;       /* 0 none, 1 captured, 2 captured but unreadable (escapes, too long, not a string) */
    char priv_header_value[64]; /* value of the header that carries an integer option (fal lifecycle) */
    const char *priv_user;      /* pol_notrain_input_t.user (borrowed) */
    size_t priv_user_len;
    const struct st_pol_notrain_id_t *priv_ids; /* pol_notrain_input_t.ids (borrowed) */
    size_t priv_n_ids;
} pol_notrain_decision_t;

/**
 * Builds the posture table from the adapters' postures (`postures`, `npostures`: the array is copied, the postures
 * are borrowed static data that must outlive the table) overlaid by the config "training" object (borrowed; NULL = defaults):
 *   {"mode": "deny_unless_consent"|"deny"|"allow",
 *    "providers": {"<name>": {"mode": ..., "no_storage": bool, "deny_models": [glob...], "allow_models": [glob...],
 *                             <provider keys: see docs/internals/notrain.md>}}}
 * `hash_key` (32 bytes, copied; NULL = none) keys the BLAKE2b hash of the postures' `hashes` (Anthropic
 * metadata.user_id); without it a keyed option falls back to its unkeyed default (the user_id is dropped instead).
 * Postures with an unknown option name in a `when`, or more entries than the POL_NOTRAIN_MAX_* caps, are refused
 * ("training: posture NAME: ...": a programming error caught at start).
 * @return the table (free with pol_notrain_free(); immutable, shareable between threads), or NULL with a message in
 *         err naming the key path, e.g. "training.providers.gemini.mode: expected \"deny_unless_consent\", \"deny\" or
 *         \"allow\"".
 */
pol_notrain_t *pol_notrain_create(const json_t *training, const unsigned char *hash_key,
                                  const pol_notrain_posture_t *const *postures, size_t npostures, char *err, size_t errlen);

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
size_t pol_notrain_rules(const pol_notrain_t *nt, const char *provider, gw_json_rule_t *out, size_t cap);

/**
 * Step 1, before the body pass: decides what does not depend on the body (provider posture, key tier, consent,
 * route) and fills d->edits / d->headers / d->drop_query. `nt` and `in->provider` must outlive `d`.
 * @return d->verdict: POL_NOTRAIN_REFUSED (answer 403 now, no body pass needed) or POL_NOTRAIN_ALLOWED (run the body
 *         pass with d->edits, then pol_notrain_end()).
 */
int pol_notrain_begin(const pol_notrain_t *nt, const pol_notrain_input_t *in, pol_notrain_decision_t *d);

/** Step 2: forward gw_json_visitor_t.on_capture calls whose rule id pol_notrain_owns_rule(). */
void pol_notrain_on_capture(pol_notrain_decision_t *d, int rule_id, const char *raw, size_t len, int json_type);

/**
 * Step 2: forward gw_json_visitor_t.on_string calls whose rule id pol_notrain_owns_rule() (same contract:
 * 0 keep, 1 `replacement` holds the new text, GW_E_INTERNAL on allocation failure). Used to hash Anthropic
 * metadata.user_id (keyed BLAKE2b-128, hex, prefix "u_").
 */
int pol_notrain_on_string(pol_notrain_decision_t *d, int rule_id, const char *s, size_t len, gw_buf_t *replacement);

/**
 * Step 3, after a successful body pass (also call it when there was no body): refusals that depend on captured
 * fields (previous_response_id, conversation, background, item_reference, file_id sources, denied models).
 * @return d->verdict.
 */
int pol_notrain_end(pol_notrain_decision_t *d);

/**
 * Steps 1-3 with a private pass over the JSON body `body` (`len` bytes, borrowed; NULL/0 = no body). On
 * POL_NOTRAIN_ALLOWED, *changed tells whether `out` holds the rewritten body (else forward the original).
 * @return POL_NOTRAIN_ALLOWED / POL_NOTRAIN_REFUSED, a negative GW_JSON_E_* from the pass (bad JSON: 400), or
 *         GW_E_INTERNAL on allocation failure (500).
 */
int pol_notrain_apply(const pol_notrain_t *nt, const pol_notrain_input_t *in, const char *body, size_t len,
                      pol_notrain_decision_t *d, gw_buf_t *out, int *changed);

/**
 * Appends the decision record for the call log: "allowed", "flags:store=false,metadata dropped",
 * "consent:gemini_unpaid_tier;flags:..." or "refused:gemini_unpaid_tier". @return 0 or -1 (allocation).
 */
int pol_notrain_record(const pol_notrain_decision_t *d, gw_buf_t *out);

/**
 * Appends the human message of a refusal (UTF-8, no request content): names the provider, the reason and how to fix
 * it. Appends nothing for an allowed call. @return 0 or -1 (allocation).
 */
int pol_notrain_message(const pol_notrain_decision_t *d, gw_buf_t *out);

/**
 * Internal, exposed for tests/unit/policy/test_notrain.c: whether `route` (NUL-terminated) matches the route glob
 * `glob` under fnmatch(FNM_CASEFOLD), when the glob's literal start decides it (ASCII letters case-folded):
 * POL__GLOB_NO (they differ before the glob's first special character), POL__GLOB_YES (no special character, equal),
 * POL__GLOB_ASK (fnmatch must decide: a wildcard or a non-ASCII byte was reached). pol_notrain_begin calls fnmatch
 * only on POL__GLOB_ASK.
 */
enum { POL__GLOB_NO = 0, POL__GLOB_YES = 1, POL__GLOB_ASK = 2 };
int pol__notrain_glob_match(const char *glob, const char *route);

#endif
