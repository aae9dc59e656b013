/*
 * Upstream retries and circuit breakers (issue 16): config section "retry" and
 * "circuit_breaker" (docs/config.md), the decisions the request pipeline asks before it tries a
 * failed call again, and the process-wide state those decisions need (per-provider retry budget,
 * per-host breaker).
 *
 * The rules follow the official SDKs (openai-node / anthropic-sdk-typescript `shouldRetry` and
 * `calculateDefaultRetryTimeoutMillis`): retry connection errors, 408, 409, 429 and 5xx (by
 * default 500, 502, 503, 504 and Anthropic's 529; 501 and the like are not transient), two
 * retries by default, exponential backoff 0.5 s * 2^n capped at 8 s with up to 25 % jitter
 * subtracted, `retry-after-ms` / `Retry-After` (seconds or HTTP date) honoured, `x-should-retry`
 * obeyed. On top of the SDKs' rules aigw adds what a shared gateway needs:
 *   - nothing is retried once a response byte went to the client (the caller only asks before);
 *   - a request with side effects beyond its answer (a prediction, an upload: the adapter does
 *     not list its path as answer-only) is retried only when the upstream cannot have accepted it
 *     (nothing was sent: connection refused, DNS, TLS) or when it carries an Idempotency-Key;
 *   - a Retry-After longer than `max_retry_after_ms` is not waited for: the answer passes through;
 *   - no retry starts later than `max_elapsed_ms` after the first attempt;
 *   - a per-provider budget: retries may add at most `budget_percent` % to the provider's load
 *     (plus `budget_min_retries` per window), like Finagle's RetryBudget / Envoy's retry budget,
 *     so an outage is not amplified;
 *   - a circuit breaker per upstream origin: `failure_threshold` consecutive failures (connection
 *     errors, timeouts, 500/502/503/504/529) open it; while open, calls are answered 503 with
 *     Retry-After without reaching the provider; after `cooldown_ms` one probe is let through
 *     (half-open) and its outcome closes or re-opens the breaker.
 *
 * Layout: the decision functions (gw_retry_decide, gw_retry_backoff_ms, gw_retry_parse_*,
 * gw_retry_budget_*, gw_breaker_*) are pure (no I/O, no clock: times are arguments) and unit
 * tested (tests/unit/gateway/test_retry.c). gw_retry_t wraps them with one mutex for the
 * workers; it is taken at most twice per upstream attempt and never held across I/O.
 */
#ifndef AIGW_GATEWAY_RETRY_H
#define AIGW_GATEWAY_RETRY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"

#define GW_RETRY_MAX_STATUSES 16
#define GW_RETRY_MAX_PROVIDERS 16 /* adapters, by index in prov_all() (== GW_METRICS_PROVIDERS) */
#define GW_BREAKER_MAX_HOSTS 64   /* origins tracked; beyond that calls pass without a breaker */
#define GW_BREAKER_ORIGIN_MAX 200 /* "https://host:port" bytes kept per origin */

/** One retry policy (the section's defaults, a provider's or a model's override). */
typedef struct st_gw_retry_conf_t {
    uint32_t max_retries;                /**< attempts after the first; 0 disables retries */
    uint64_t initial_backoff_ms;         /**< first delay before jitter */
    uint64_t max_backoff_ms;             /**< cap of the exponential delay */
    uint64_t max_retry_after_ms;         /**< longest Retry-After waited for; longer ones pass the answer through */
    uint64_t max_elapsed_ms;             /**< no retry starts later than this after the first attempt started */
    uint32_t budget_percent;             /**< retries may add at most this % of the provider's first attempts */
    uint32_t budget_min_retries;         /**< retries always allowed per budget window (low traffic) */
    uint64_t budget_window_ms;           /**< length of the budget's sliding window */
    int statuses[GW_RETRY_MAX_STATUSES]; /**< retried response statuses */
    size_t nstatuses;
} gw_retry_conf_t;

/** Circuit breaker settings (section "circuit_breaker"). */
typedef struct st_gw_breaker_conf_t {
    int enabled;                /**< 0: never opens */
    uint32_t failure_threshold; /**< consecutive failures that open the breaker */
    uint64_t cooldown_ms;       /**< open -> half-open after this long; also the probe's slot */
} gw_breaker_conf_t;

/** What went wrong with one attempt. */
typedef enum {
    GW_RETRY_FAIL_CONNECT = 0, /**< transport error before any request byte was sent: the upstream cannot have accepted it */
    GW_RETRY_FAIL_RESET = 1,   /**< transport error after the request was (partly) sent, before any response byte went out */
    GW_RETRY_FAIL_STATUS = 2   /**< the upstream answered a status (retried only if listed) */
} gw_retry_fail_t;
#define GW_RETRY_NFAIL 3

/** Inputs of one retry decision (all plain values; the caller measures times). */
typedef struct st_gw_retry_input_t {
    gw_retry_fail_t kind;
    int status;             /**< upstream status for GW_RETRY_FAIL_STATUS */
    int64_t retry_after_ms; /**< from retry-after-ms / Retry-After, -1 when absent or unparsable */
    int should_retry;       /**< x-should-retry: 1 "true", 0 "false", -1 absent */
    int side_effects;       /**< the request is not answer-only and carries no Idempotency-Key */
    uint32_t attempts;      /**< attempts made so far, >= 1 */
    uint64_t elapsed_ms;    /**< since the first attempt started */
} gw_retry_input_t;

/** Reasons a decision says no (negative results of gw_retry_decide). */
enum {
    GW_RETRY_NO_ATTEMPTS = -1,     /* max_retries reached */
    GW_RETRY_NO_STATUS = -2,       /* status not in the retried list */
    GW_RETRY_NO_SIDE_EFFECTS = -3, /* may have been accepted and has side effects */
    GW_RETRY_NO_RETRY_AFTER = -4,  /* Retry-After longer than max_retry_after_ms */
    GW_RETRY_NO_TIME = -5,         /* the delay would end past max_elapsed_ms */
    GW_RETRY_NO_SHOULD = -6,       /* x-should-retry: false */
    GW_RETRY_NO_BUDGET = -7,       /* provider retry budget spent (gw_retry_t only) */
    GW_RETRY_NO_BREAKER = -8       /* the host's breaker is not closed (gw_retry_t only) */
};

/**
 * Whether to retry, and after how long. Pure. `random` is any uniformly random 32-bit value (the
 * jitter). @return the delay in ms (>= 0) before the next attempt, or a negative GW_RETRY_NO_*.
 * Rules: see the file comment. A Retry-After (when present and <= max_retry_after_ms) replaces
 * the backoff delay, as in the SDKs; x-should-retry: true retries a status not in the list, and
 * x-should-retry: false never retries.
 */
int64_t gw_retry_decide(const gw_retry_conf_t *c, const gw_retry_input_t *in, uint32_t random);

/**
 * Backoff before retry number `retry` (1-based): min(initial * 2^(retry-1), max) minus up to 25 %
 * jitter from `random` (openai-node's formula). Pure. @return ms.
 */
uint64_t gw_retry_backoff_ms(const gw_retry_conf_t *c, uint32_t retry, uint32_t random);

/**
 * Parses a `Retry-After` value (`len` bytes, borrowed, not NUL-terminated): delta-seconds or an
 * IMF-fixdate (RFC 9110 section 10.2.3), relative to `now_unix_s`. @return ms >= 0, or -1.
 */
int64_t gw_retry_parse_retry_after(const char *v, size_t len, int64_t now_unix_s);

/** Parses `retry-after-ms` (OpenAI): a non-negative decimal, fraction allowed. @return ms, or -1. */
int64_t gw_retry_parse_retry_after_ms(const char *v, size_t len);

/** Per-provider retry budget over a sliding window of two halves (pure state, zero-initialised). */
typedef struct st_gw_retry_budget_t {
    uint64_t window_start_ms; /**< start of the current half-window */
    uint32_t requests[2];     /**< first attempts: [0] current half, [1] previous */
    uint32_t retries[2];      /**< retries taken */
} gw_retry_budget_t;

/** Counts a first attempt at `now_ms`. */
void gw_retry_budget_request(gw_retry_budget_t *b, const gw_retry_conf_t *c, uint64_t now_ms);

/**
 * Takes one retry from the budget at `now_ms`: allowed while retries in the window stay below
 * budget_min_retries + requests * budget_percent / 100. @return 0 taken, -1 spent.
 */
int gw_retry_budget_take(gw_retry_budget_t *b, const gw_retry_conf_t *c, uint64_t now_ms);

typedef enum { GW_BREAKER_CLOSED = 0, GW_BREAKER_OPEN = 1, GW_BREAKER_HALF_OPEN = 2 } gw_breaker_state_t;

/** One origin's breaker (pure state, zero-initialised = closed). */
typedef struct st_gw_breaker_t {
    gw_breaker_state_t state;
    uint32_t failures;  /**< consecutive failures */
    uint64_t opened_ms; /**< when it last opened */
    uint64_t probe_ms;  /**< when the current half-open probe was let through */
    uint64_t opens;     /**< times opened (metrics) */
    uint64_t rejected;  /**< calls answered 503 while open (metrics) */
} gw_breaker_t;

/**
 * Whether a call may go to the origin at `now_ms`. Closed: yes. Open: no until cooldown_ms have
 * passed, then half-open and one probe is admitted. Half-open: one probe per cooldown_ms (a probe
 * whose outcome never arrives, e.g. its client left, does not block the next one for longer).
 * Pure. @return 0 admitted, or -1 with *retry_after_ms = time until a probe can pass (>= 1).
 */
int gw_breaker_admit(gw_breaker_t *b, const gw_breaker_conf_t *c, uint64_t now_ms, uint64_t *retry_after_ms);

/**
 * Records an attempt's outcome (`failure` 1: connection error, timeout, 500/502/503/504/529; 0:
 * anything else). Half-open: success closes, failure re-opens. Closed: failure_threshold
 * consecutive failures open it. Pure.
 */
void gw_breaker_record(gw_breaker_t *b, const gw_breaker_conf_t *c, uint64_t now_ms, int failure);

/* ---- configured state shared by the workers ------------------------------------------------ */

typedef struct st_gw_retry_t gw_retry_t;

/**
 * Parses the "retry" and "circuit_breaker" sections (each may be NULL: defaults). Keys,
 * defaults and bounds: docs/config.md. `retry.providers.<name>` keys must be known adapters and
 * `retry.models` keys are "provider/model" globs (fnmatch); overrides inherit the section's
 * values (a model's also its provider's). Both borrowed.
 * @return an owned object (gw_retry_free), or NULL with "<key path>: <what was expected>" in err.
 */
gw_retry_t *gw_retry_new(json_t *retry, json_t *breaker, char *err, size_t errlen);

/** Releases it. NULL is ignored. */
void gw_retry_free(gw_retry_t *r);

/**
 * The policy for a call to `provider` (adapter name) and `model` (may be "" or NULL): the first
 * matching `models` glob, else the provider's override, else the section. Borrowed from r.
 */
const gw_retry_conf_t *gw_retry_conf_for(const gw_retry_t *r, const char *provider, const char *model);

/** The breaker settings. Borrowed. */
const gw_breaker_conf_t *gw_retry_breaker_conf(const gw_retry_t *r);

/**
 * Index of the breaker for `origin` (`len` bytes, e.g. "https://api.openai.com"), created on
 * first use; -1 when the table is full (such calls have no breaker). Thread-safe.
 */
int gw_retry_host(gw_retry_t *r, const char *origin, size_t len);

/**
 * gw_breaker_admit on host `host` (-1: admitted) at `now_ms`. Counts the rejection. Thread-safe.
 * @return 0 admitted, -1 open (*retry_after_ms set).
 */
int gw_retry_admit(gw_retry_t *r, int host, uint64_t now_ms, uint64_t *retry_after_ms);

/**
 * Records an attempt's outcome on host `host` (-1: nothing) and, for a first attempt
 * (`first` 1), counts it in provider `provider_idx`'s budget (-1: none). Thread-safe.
 */
void gw_retry_record(gw_retry_t *r, int host, int provider_idx, const gw_retry_conf_t *c, uint64_t now_ms, int first, int failure);

/**
 * The full decision for a failed attempt: gw_retry_decide, then the host's breaker must be closed
 * and the provider's budget must have room (a retry is taken from it only when everything else
 * says yes). Counts the outcome for /metrics. Thread-safe.
 * @return delay in ms >= 0, or a negative GW_RETRY_NO_*.
 */
int64_t gw_retry_should(gw_retry_t *r, int host, int provider_idx, const gw_retry_conf_t *c, const gw_retry_input_t *in,
                        uint64_t now_ms, uint32_t random);

/**
 * Appends the Prometheus text for retries and breakers to `out`: aigw_upstream_retries_total
 * {provider,reason}, aigw_upstream_retries_refused_total{provider,reason},
 * aigw_upstream_circuit_state{origin} (0 closed, 1 open, 2 half-open),
 * aigw_upstream_circuit_opened_total{origin}, aigw_upstream_circuit_rejected_total{origin}.
 * `provider_name(i)` names adapter i (NULL past the last). Thread-safe.
 */
void gw_retry_render_metrics(gw_retry_t *r, const char *(*provider_name)(int idx), gw_buf_t *out);

/** Short name of a GW_RETRY_NO_* reason ("attempts", "budget", ...) for logs and metrics. */
const char *gw_retry_reason_name(int64_t reason);

#endif
