/*
 * Token buckets and the striped table (see ratelimit.h).
 *
 * Arithmetic: a bucket's level is kept in units of 1/60e6 token, so refilling `dt` µs at
 * `limit` tokens per minute adds exactly dt × limit units (no division, no drift); the
 * capacity is limit × 60e6 units. Limits are capped at 10^9 per minute so capacity fits
 * int64 with room for the multiplication by elapsed time (clamped to one minute: a bucket idle
 * longer is simply full).
 *
 * Table: per stripe an open-addressing hash of (key -> two buckets) with linear probing,
 * doubled when 3/4 full. Keys are "u:<user>" and "c:<client>". Entries of users not seen for
 * more than a minute are full again, so they are dropped when a stripe grows instead of being
 * copied (that bounds memory by the users active in the last minute).
 *
 * Shared mode (pol_ratelimit_share): a key's bucket is `have`, the tokens its shared bucket
 * granted this process and not spent, with no local refill; the questions to the shared bucket
 * are asked after the stripe locks are released.
 */
#include "policy/ratelimit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNITS INT64_C(60000000) /* per token */
#define LIMIT_MAX INT64_C(1000000000)

int pol_ratelimit_take(pol_bucket_t *b, int64_t per_minute, int64_t now_us, int64_t cost, int64_t *retry_after_ms)
{
    int64_t cap = per_minute * UNITS;
    if (cost < 0)
        cost = 0;
    if (cost > per_minute)
        return POL_RATELIMIT_E_TOO_BIG;
    pol_ratelimit_adjust(b, per_minute, now_us, 0);
    int64_t need = cost * UNITS;
    if (b->level >= need) {
        b->level -= need;
        return 0;
    }
    /* µs until level reaches need, at per_minute units per µs; then ms, both rounded up */
    int64_t us = (need - b->level + per_minute - 1) / per_minute;
    *retry_after_ms = (us + 999) / 1000;
    (void)cap;
    return POL_RATELIMIT_LIMITED;
}

void pol_ratelimit_adjust(pol_bucket_t *b, int64_t per_minute, int64_t now_us, int64_t delta)
{
    int64_t cap = per_minute * UNITS;
    if (b->last_us == 0) {
        b->level = cap;
    } else if (now_us > b->last_us) {
        int64_t dt = now_us - b->last_us;
        if (dt > UNITS) /* one minute refills any bucket */
            dt = UNITS;
        b->level += dt * per_minute;
        if (b->level > cap)
            b->level = cap;
    }
    if (now_us > b->last_us || b->last_us == 0)
        b->last_us = now_us;
    if (delta > LIMIT_MAX)
        delta = LIMIT_MAX;
    if (delta < -LIMIT_MAX)
        delta = -LIMIT_MAX;
    b->level -= delta * UNITS;
    if (b->level > cap)
        b->level = cap;
    if (b->level < -cap) /* debt is bounded to one minute's worth */
        b->level = -cap;
}

/* ---- table ---- */

/* Shared mode, per bucket of an entry ([0] requests, [1] tokens). */
typedef struct st_rl_share_t {
    int64_t have;         /* tokens granted (or the first block, provisionally) and not spent; < 0 after corrections */
    int64_t debt;         /* tokens spent and not charged to the shared bucket yet (the first block) */
    int64_t dry_until_us; /* the shared bucket lacked tokens at the last answer: no question before this */
    int inflight;         /* a question is out */
    int started;          /* the first block was given */
} rl_share_t;

typedef struct st_rl_entry_t {
    char *key; /* NULL = free */
    uint64_t hash;
    pol_bucket_t req, tok;
    rl_share_t sh[2];
} rl_entry_t;

typedef struct st_stripe_t {
    pthread_mutex_t lock;
    rl_entry_t *e;
    size_t cap, n;
} stripe_t;

typedef struct st_limits_t {
    int64_t rpm, tpm; /* 0 = none */
} limits_t;

struct st_pol_ratelimit_t {
    limits_t user, client;
    stripe_t stripes[POL_RATELIMIT_STRIPES];
    pol_ratelimit_share_t share; /* share.ask == NULL: per-instance buckets */
};

/* A question for the shared bucket, asked once the stripe locks are released. */
typedef struct st_rl_question_t {
    const char *key;
    char kind;
    int64_t per_minute, debt, want;
} rl_question_t;

/* The shared mode's block: a tenth of the limit, at least 1 token. */
static int64_t share_block(int64_t per_minute)
{
    return per_minute / 10 > 0 ? per_minute / 10 : 1;
}

static uint64_t hash_key(const char *k)
{
    uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a */
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * UINT64_C(1099511628211);
    return h;
}

static int parse_limits(const json_t *o, const char *name, limits_t *l, char *err, size_t errlen)
{
    memset(l, 0, sizeof(*l));
    if (o == NULL)
        return 0;
    if (!json_is_object(o)) {
        snprintf(err, errlen, "rate_limits.%s: expected an object", name);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        int64_t *dst = strcmp(k, "requests_per_minute") == 0 ? &l->rpm : strcmp(k, "tokens_per_minute") == 0 ? &l->tpm : NULL;
        if (dst == NULL) {
            snprintf(err, errlen, "rate_limits.%s.%s: unknown key (expected requests_per_minute, tokens_per_minute)", name, k);
            return -1;
        }
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > LIMIT_MAX) {
            snprintf(err, errlen, "rate_limits.%s.%s: expected an integer from 1 to %lld", name, k, (long long)LIMIT_MAX);
            return -1;
        }
        *dst = json_integer_value(v);
    }
    return 0;
}

pol_ratelimit_t *pol_ratelimit_new(const json_t *cfg, char *err, size_t errlen)
{
    pol_ratelimit_t *rl = calloc(1, sizeof(*rl));
    if (rl == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (int i = 0; i < POL_RATELIMIT_STRIPES; i++)
        pthread_mutex_init(&rl->stripes[i].lock, NULL);
    if (cfg != NULL && !json_is_null(cfg)) {
        const char *k;
        json_t *v;
        if (!json_is_object(cfg)) {
            snprintf(err, errlen, "rate_limits: expected an object");
            goto fail;
        }
        json_object_foreach((json_t *)cfg, k, v)
        {
            if (strcmp(k, "per_user") != 0 && strcmp(k, "per_client") != 0) {
                snprintf(err, errlen, "rate_limits.%s: unknown key (expected per_user, per_client)", k);
                goto fail;
            }
        }
        if (parse_limits(json_object_get(cfg, "per_user"), "per_user", &rl->user, err, errlen) != 0 ||
            parse_limits(json_object_get(cfg, "per_client"), "per_client", &rl->client, err, errlen) != 0)
            goto fail;
    }
    return rl;
fail:
    pol_ratelimit_free(rl);
    return NULL;
}

void pol_ratelimit_free(pol_ratelimit_t *rl)
{
    if (rl == NULL)
        return;
    for (int i = 0; i < POL_RATELIMIT_STRIPES; i++) {
        stripe_t *s = &rl->stripes[i];
        for (size_t k = 0; k < s->cap; k++)
            free(s->e[k].key);
        free(s->e);
        pthread_mutex_destroy(&s->lock);
    }
    free(rl);
}

int pol_ratelimit_enabled(const pol_ratelimit_t *rl)
{
    return rl != NULL && (rl->user.rpm || rl->user.tpm || rl->client.rpm || rl->client.tpm);
}

/* Inserts into a table known to have room. */
static rl_entry_t *slot_for(rl_entry_t *e, size_t cap, uint64_t h, const char *key)
{
    size_t i = (size_t)(h & (cap - 1));
    while (e[i].key != NULL && !(e[i].hash == h && strcmp(e[i].key, key) == 0))
        i = (i + 1) & (cap - 1);
    return &e[i];
}

/* Not used for a minute (its buckets are full again) and nothing owed to or asked of a shared bucket. */
static int entry_idle(const rl_entry_t *e, int64_t now_us)
{
    for (int k = 0; k < 2; k++)
        if (e->sh[k].inflight || e->sh[k].debt > 0)
            return 0;
    return now_us - e->req.last_us > UNITS && now_us - e->tok.last_us > UNITS;
}

/* Grows the stripe, dropping entries idle for a minute (their buckets are full). */
static int grow(stripe_t *s, int64_t now_us)
{
    size_t live = 0;
    for (size_t i = 0; i < s->cap; i++)
        if (s->e[i].key != NULL && !entry_idle(&s->e[i], now_us))
            live++;
    size_t nc = 16;
    while (nc * 3 / 4 <= live + 1)
        nc *= 2;
    if (nc < s->cap && live * 4 > s->cap)
        nc = s->cap; /* not worth shrinking */
    rl_entry_t *ne = calloc(nc, sizeof(*ne));
    if (ne == NULL)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < s->cap; i++) {
        rl_entry_t *o = &s->e[i];
        if (o->key == NULL)
            continue;
        if (entry_idle(o, now_us)) {
            free(o->key);
            continue;
        }
        *slot_for(ne, nc, o->hash, o->key) = *o;
        n++;
    }
    free(s->e);
    s->e = ne;
    s->cap = nc;
    s->n = n;
    return 0;
}

/* The entry for `key` in its (locked) stripe, created if absent. */
static rl_entry_t *lookup(stripe_t *s, const char *key, uint64_t h, int64_t now_us)
{
    if (s->cap == 0 || (s->n + 1) * 4 > s->cap * 3) {
        if (grow(s, now_us) != 0)
            return NULL;
    }
    rl_entry_t *e = slot_for(s->e, s->cap, h, key);
    if (e->key == NULL) {
        if ((e->key = strdup(key)) == NULL)
            return NULL;
        e->hash = h;
        memset(&e->req, 0, sizeof(e->req));
        memset(&e->tok, 0, sizeof(e->tok));
        memset(e->sh, 0, sizeof(e->sh));
        s->n++;
    }
    return e;
}

typedef struct st_side_t {
    char key[300];
    uint64_t hash;
    stripe_t *stripe;
    const limits_t *lim;
    rl_entry_t *e;
} side_t;

static int make_side(pol_ratelimit_t *rl, side_t *sd, char prefix, const char *id, const limits_t *lim)
{
    if (id == NULL || (lim->rpm == 0 && lim->tpm == 0))
        return 0;
    snprintf(sd->key, sizeof(sd->key), "%c:%s", prefix, id);
    sd->hash = hash_key(sd->key);
    sd->stripe = &rl->stripes[sd->hash % POL_RATELIMIT_STRIPES];
    sd->lim = lim;
    return 1;
}

/* Locks the stripes of the sides in index order (no deadlock between two admits). */
static void lock_sides(side_t *sd, int n)
{
    if (n == 2 && sd[0].stripe == sd[1].stripe)
        n = 1;
    if (n == 2 && sd[1].stripe < sd[0].stripe) {
        pthread_mutex_lock(&sd[1].stripe->lock);
        pthread_mutex_lock(&sd[0].stripe->lock);
    } else {
        for (int i = 0; i < n; i++)
            pthread_mutex_lock(&sd[i].stripe->lock);
    }
}

static void unlock_sides(side_t *sd, int n)
{
    if (n == 2 && sd[0].stripe == sd[1].stripe)
        n = 1;
    for (int i = 0; i < n; i++)
        pthread_mutex_unlock(&sd[i].stripe->lock);
}

void pol_ratelimit_share(pol_ratelimit_t *rl, const pol_ratelimit_share_t *share)
{
    if (share != NULL)
        rl->share = *share;
    else
        memset(&rl->share, 0, sizeof(rl->share));
}

/* Shared mode, stripe locked: what to ask for bucket h of `key` after a request that cost `cost`. */
static int share_plan(rl_share_t *h, const char *key, char kind, int64_t per_minute, int64_t cost, int64_t now_us, rl_question_t *q)
{
    int64_t need = share_block(per_minute) > cost ? share_block(per_minute) : cost;
    int low = h->have < need && now_us >= h->dry_until_us;
    if (h->inflight || (h->debt == 0 && !low))
        return 0;
    q->key = key;
    q->kind = kind;
    q->per_minute = per_minute;
    q->debt = h->debt;
    q->want = low ? 2 * need - h->have : 0; /* about two blocks held ahead of need */
    h->debt = 0;
    h->inflight = 1;
    return 1;
}

/* Shared mode: asks the questions (no lock held); one that cannot be asked gives its debt back. */
static void share_ask(pol_ratelimit_t *rl, side_t *sd, rl_question_t *q, int nq)
{
    for (int i = 0; i < nq; i++) {
        if (rl->share.ask(rl->share.ctx, q[i].key, q[i].kind, q[i].per_minute, q[i].debt, q[i].want) == 0)
            continue;
        for (int j = 0; j < 2; j++) {
            if (sd[j].key != q[i].key)
                continue;
            pthread_mutex_lock(&sd[j].stripe->lock);
            rl_entry_t *e = lookup(sd[j].stripe, sd[j].key, sd[j].hash, 0);
            if (e != NULL) {
                rl_share_t *h = &e->sh[q[i].kind == 't'];
                h->inflight = 0;
                h->debt += q[i].debt;
            }
            pthread_mutex_unlock(&sd[j].stripe->lock);
            break;
        }
    }
}

/* pol_ratelimit_admit in shared mode (sides looked up, stripes locked; unlocks them). */
static int admit_shared(pol_ratelimit_t *rl, side_t *sd, int n, int64_t now_us, int64_t est_tokens, int64_t *retry_after_ms)
{
    int ret = 0;
    int64_t wait = 0;
    for (int i = 0; i < n && ret >= 0; i++)
        for (int k = 0; k < 2; k++) {
            int64_t lim = k == 0 ? sd[i].lim->rpm : sd[i].lim->tpm, cost = k == 0 ? 1 : (est_tokens > 0 ? est_tokens : 0);
            rl_share_t *h = &sd[i].e->sh[k];
            if (lim == 0)
                continue;
            if (cost > lim) {
                ret = POL_RATELIMIT_E_TOO_BIG;
                break;
            }
            if (!h->started) { /* first sight: one block, charged with the first question */
                h->started = 1;
                h->have = h->debt = share_block(lim);
            }
            if (h->have < cost) {
                int64_t w = h->inflight || now_us >= h->dry_until_us ? 1000 : (h->dry_until_us - now_us + 999) / 1000;
                wait = w > wait ? w : wait;
                ret = POL_RATELIMIT_LIMITED;
            }
        }
    rl_question_t q[4];
    int nq = 0;
    for (int i = 0; i < n; i++) {
        sd[i].e->req.last_us = sd[i].e->tok.last_us = now_us; /* for entry_idle */
        for (int k = 0; k < 2; k++) {
            int64_t lim = k == 0 ? sd[i].lim->rpm : sd[i].lim->tpm, cost = k == 0 ? 1 : (est_tokens > 0 ? est_tokens : 0);
            if (lim == 0 || cost > lim)
                continue;
            if (ret == 0)
                sd[i].e->sh[k].have -= cost;
            nq += share_plan(&sd[i].e->sh[k], sd[i].key, k == 0 ? 'r' : 't', lim, cost, now_us, &q[nq]);
        }
    }
    unlock_sides(sd, n);
    if (ret != 0 && retry_after_ms != NULL)
        *retry_after_ms = ret == POL_RATELIMIT_E_TOO_BIG ? 60000 : wait;
    share_ask(rl, sd, q, nq);
    return ret;
}

void pol_ratelimit_granted(pol_ratelimit_t *rl, const char *key, char kind, int64_t debt, int64_t want, int64_t granted,
                           int64_t now_us, int64_t refill_ms)
{
    uint64_t hh = hash_key(key);
    stripe_t *s = &rl->stripes[hh % POL_RATELIMIT_STRIPES];
    pthread_mutex_lock(&s->lock);
    rl_entry_t *e = lookup(s, key, hh, now_us);
    if (e != NULL) {
        rl_share_t *h = &e->sh[kind == 't'];
        h->inflight = 0;
        h->started = 1;
        if (granted < 0) { /* nothing was charged: owe it again, and do not ask for a second */
            h->debt += debt;
            h->dry_until_us = now_us + 1000000;
        } else {
            h->have += granted;
            if (granted < want)
                h->dry_until_us = now_us + (refill_ms > 0 ? refill_ms : 1) * 1000;
        }
    }
    pthread_mutex_unlock(&s->lock);
}

int pol_ratelimit_admit(pol_ratelimit_t *rl, const char *user, const char *client, int64_t now_us, int64_t est_tokens,
                        int64_t *retry_after_ms)
{
    side_t sd[2];
    int n = 0, ret = 0;
    if (!pol_ratelimit_enabled(rl))
        return 0;
    n += make_side(rl, &sd[n], 'u', user, &rl->user);
    n += make_side(rl, &sd[n], 'c', client, &rl->client);
    if (n == 0)
        return 0;
    lock_sides(sd, n);
    for (int i = 0; i < n; i++)
        if ((sd[i].e = lookup(sd[i].stripe, sd[i].key, sd[i].hash, now_us)) == NULL) {
            unlock_sides(sd, n);
            return POL_RATELIMIT_E_NOMEM;
        }
    if (rl->share.ask != NULL)
        return admit_shared(rl, sd, n, now_us, est_tokens, retry_after_ms);
    /* Check on copies first, then commit: all buckets or none. */
    pol_bucket_t copy[2][2];
    int64_t wait = 0;
    for (int i = 0; i < n; i++) {
        copy[i][0] = sd[i].e->req;
        copy[i][1] = sd[i].e->tok;
        int64_t ra = 0;
        int rc = 0;
        if (sd[i].lim->rpm)
            rc = pol_ratelimit_take(&copy[i][0], sd[i].lim->rpm, now_us, 1, &ra);
        if (rc == POL_RATELIMIT_LIMITED && ra > wait)
            wait = ra;
        if (rc < 0 && ret == 0)
            ret = rc;
        if (rc > 0 && ret == 0)
            ret = rc;
        if (sd[i].lim->tpm) {
            ra = 0;
            rc = pol_ratelimit_take(&copy[i][1], sd[i].lim->tpm, now_us, est_tokens, &ra);
            if (rc == POL_RATELIMIT_LIMITED && ra > wait)
                wait = ra;
            if (rc != 0 && (ret == 0 || rc < 0))
                ret = rc;
        }
    }
    if (ret == 0) {
        for (int i = 0; i < n; i++) {
            sd[i].e->req = copy[i][0];
            sd[i].e->tok = copy[i][1];
        }
    } else if (retry_after_ms != NULL) {
        *retry_after_ms = ret == POL_RATELIMIT_E_TOO_BIG ? 60000 : wait;
    }
    unlock_sides(sd, n);
    return ret;
}

void pol_ratelimit_settle(pol_ratelimit_t *rl, const char *user, const char *client, int64_t now_us, int64_t est_tokens,
                          int64_t actual_tokens)
{
    side_t sd[2];
    int n = 0;
    if (!pol_ratelimit_enabled(rl) || actual_tokens == est_tokens)
        return;
    n += make_side(rl, &sd[n], 'u', user, &rl->user);
    n += make_side(rl, &sd[n], 'c', client, &rl->client);
    if (n == 0)
        return;
    lock_sides(sd, n);
    for (int i = 0; i < n; i++) {
        if (!sd[i].lim->tpm || (sd[i].e = lookup(sd[i].stripe, sd[i].key, sd[i].hash, now_us)) == NULL)
            continue;
        if (rl->share.ask != NULL) /* shared mode: the correction stays with this process's tokens */
            sd[i].e->sh[1].have -= actual_tokens - est_tokens;
        else
            pol_ratelimit_adjust(&sd[i].e->tok, sd[i].lim->tpm, now_us, actual_tokens - est_tokens);
    }
    unlock_sides(sd, n);
}
