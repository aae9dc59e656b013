/*
 * pol_ratelimit: token buckets per user and per client (issue 6, "Rate limits"): requests per
 * minute and tokens per minute, config "rate_limits":
 *   {"per_user": {"requests_per_minute": N, "tokens_per_minute": N}, "per_client": {...}}
 * (off unless configured; each limit independently optional).
 *
 * The bucket arithmetic is a pure function (pol_ratelimit_take). The table of buckets is
 * lock-striped (POL_RATELIMIT_STRIPES mutexes, a key hashes to one stripe), so workers contend
 * only when they touch the same stripe; the mutex is held for a hash lookup and a few integer
 * operations. This is the one place in policy/ with a lock: the alternative (one table per
 * worker) would split every user's budget by the number of workers.
 *
 * Limits are per instance unless a shared bucket provider is installed (pol_ratelimit_share; the
 * gateway installs the store's when several instances share one PostgreSQL): then a limit holds
 * for all instances together, each leasing blocks of a tenth of the limit from a shared bucket
 * (docs/internals/metering.md "Rate limits across instances").
 */
#ifndef AIGW_POLICY_RATELIMIT_H
#define AIGW_POLICY_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "common/errors.h"

/* Results (0 = allowed). */
#define POL_RATELIMIT_LIMITED 1                        /* over the limit: answer 429 with Retry-After */
#define POL_RATELIMIT_E_TOO_BIG GW_E_RATELIMIT_TOO_BIG /* the cost exceeds the bucket's capacity: can never pass */
#define POL_RATELIMIT_E_NOMEM GW_E_INTERNAL            /* allocation failure: the common code (common/errors.h) */

#define POL_RATELIMIT_STRIPES 64

/** One bucket: capacity = limit per minute, refilled continuously at limit / 60 s. */
typedef struct st_pol_bucket_t {
    int64_t level;   /* in 1/60,000,000 of a token (token × 60e6): integer refill per µs */
    int64_t last_us; /* time of the last refill; 0 = never used (starts full) */
} pol_bucket_t;

/**
 * Takes `cost` tokens (>= 0) from `b` at time `now_us` for a limit of `per_minute` (> 0).
 * @param retry_after_ms when limited: milliseconds until the bucket holds `cost` (rounded up).
 * @return 0 (taken), POL_RATELIMIT_LIMITED (nothing taken), POL_RATELIMIT_E_TOO_BIG.
 */
int pol_ratelimit_take(pol_bucket_t *b, int64_t per_minute, int64_t now_us, int64_t cost, int64_t *retry_after_ms);

/** Gives back (`delta` < 0) or takes more (`delta` > 0, the bucket may go into debt) tokens. */
void pol_ratelimit_adjust(pol_bucket_t *b, int64_t per_minute, int64_t now_us, int64_t delta);

typedef struct st_pol_ratelimit_t pol_ratelimit_t;

/**
 * Builds the limiter from config "rate_limits" (borrowed; NULL = no limits).
 * @return the limiter (pol_ratelimit_free), or NULL with "rate_limits.<path>: ..." in `err`.
 */
pol_ratelimit_t *pol_ratelimit_new(const json_t *cfg, char *err, size_t errlen);
void pol_ratelimit_free(pol_ratelimit_t *rl);

/** @return 1 when any limit is configured (else callers may skip the calls below). */
int pol_ratelimit_enabled(const pol_ratelimit_t *rl);

/**
 * Admits one request of `user` and `client` (either may be NULL: not limited) estimated at
 * `est_tokens` tokens: all configured buckets (user rpm/tpm, client rpm/tpm) are checked and
 * taken together, or none is. Thread-safe.
 * @param retry_after_ms when limited: the longest wait among the buckets that refused.
 * @return 0, POL_RATELIMIT_LIMITED, POL_RATELIMIT_E_TOO_BIG (est_tokens above a tokens per
 *         minute limit: answer 429 too, Retry-After 60), POL_RATELIMIT_E_NOMEM.
 */
int pol_ratelimit_admit(pol_ratelimit_t *rl, const char *user, const char *client, int64_t now_us, int64_t est_tokens,
                        int64_t *retry_after_ms);

/**
 * A shared bucket per key and kind, held outside this process (gateway/store: a PostgreSQL row
 * that refills at the limit per minute, capacity one minute's worth). `ask` requests that the
 * shared bucket of `key` ("u:<user>" / "c:<client>"), kind 'r' (requests) or 't' (tokens), limit
 * `per_minute`, be charged `debt` tokens (spent already: unconditionally, the bucket may go into
 * debt down to minus one minute's worth) and grant up to `want` more; the answer must come later,
 * from any thread, through pol_ratelimit_granted. `ask` is called without any lock of the limiter
 * held; it returns 0 when the question is on its way, -1 when it could not ask (nothing charged).
 */
typedef struct st_pol_ratelimit_share_t {
    int (*ask)(void *ctx, const char *key, char kind, int64_t per_minute, int64_t debt, int64_t want);
    void *ctx; /* borrowed; must outlive the limiter's use */
} pol_ratelimit_share_t;

/**
 * Installs a shared bucket provider (before the first admit; NULL = none: per-instance buckets).
 * With it, each key's buckets in this process hold only what the shared bucket granted: a key
 * seen for the first time (or again after a minute idle) starts with one block (a tenth of the
 * limit, at least 1, charged as debt with the first question), and a bucket below one block (or
 * below the cost it was just asked for) asks for more ahead of need. A request that finds too
 * little is refused (429) with Retry-After: 1 s while a question is out, else the time the shared
 * bucket needs to refill what it lacked. So N instances admit at most the limit per minute plus
 * one block per instance when keys start cold; a block granted and not spent stays with its
 * instance (at most about two blocks per instance and key).
 * @param share borrowed (copied).
 */
void pol_ratelimit_share(pol_ratelimit_t *rl, const pol_ratelimit_share_t *share);

/**
 * The answer to a question of `ask`: `granted` (0..want) tokens of `want` for the bucket `key` /
 * `kind`; when granted < want, the shared bucket needs about `refill_ms` to hold the rest (no new
 * question before then). granted < 0: the question failed (the store could not commit): nothing
 * was charged, the debt is kept for the next question. Thread-safe.
 */
void pol_ratelimit_granted(pol_ratelimit_t *rl, const char *key, char kind, int64_t debt, int64_t want, int64_t granted,
                           int64_t now_us, int64_t refill_ms);

/** After the call: corrects the token buckets by actual - estimated tokens. Thread-safe. */
void pol_ratelimit_settle(pol_ratelimit_t *rl, const char *user, const char *client, int64_t now_us, int64_t est_tokens,
                          int64_t actual_tokens);

#endif
