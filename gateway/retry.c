/*
 * Retries and circuit breakers (see retry.h). The decisions are pure functions of their
 * arguments; gw_retry_t adds the configured policies (a table of scalar keys, applied to the
 * section, then to each provider override and each model glob on top of its provider's values)
 * and the process-wide state: one budget per provider and one breaker per upstream origin, under
 * one mutex. The breaker table only grows (origins come from config base_urls and fal's
 * allow-listed target hosts, so it stays small) and is capped at GW_BREAKER_MAX_HOSTS.
 */
#include "gateway/retry.h"

#include <fnmatch.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "providers/provider.h"

/* ---- pure decisions ------------------------------------------------------------------------ */

static int status_listed(const gw_retry_conf_t *c, int status)
{
    for (size_t i = 0; i < c->nstatuses; i++)
        if (c->statuses[i] == status)
            return 1;
    return 0;
}

uint64_t gw_retry_backoff_ms(const gw_retry_conf_t *c, uint32_t retry, uint32_t random)
{
    uint64_t d = c->initial_backoff_ms;
    for (uint32_t i = 1; i < retry && d < c->max_backoff_ms; i++)
        d *= 2;
    if (d > c->max_backoff_ms)
        d = c->max_backoff_ms;
    /* openai-node: sleep * (1 - Math.random() * 0.25) */
    uint64_t jitter = d * (uint64_t)(random % 1001u) / 4000u;
    return d - jitter;
}

int64_t gw_retry_decide(const gw_retry_conf_t *c, const gw_retry_input_t *in, uint32_t random)
{
    if (in->attempts > c->max_retries)
        return GW_RETRY_NO_ATTEMPTS;
    if (in->should_retry == 0)
        return GW_RETRY_NO_SHOULD;
    if (in->kind == GW_RETRY_FAIL_STATUS && in->should_retry != 1 && !status_listed(c, in->status))
        return GW_RETRY_NO_STATUS;
    /* the upstream may have acted on it: only answer-only requests or an Idempotency-Key */
    if (in->kind != GW_RETRY_FAIL_CONNECT && in->side_effects)
        return GW_RETRY_NO_SIDE_EFFECTS;
    int64_t delay;
    if (in->retry_after_ms >= 0) {
        if ((uint64_t)in->retry_after_ms > c->max_retry_after_ms)
            return GW_RETRY_NO_RETRY_AFTER;
        delay = in->retry_after_ms;
    } else {
        delay = (int64_t)gw_retry_backoff_ms(c, in->attempts, random);
    }
    if (in->elapsed_ms + (uint64_t)delay > c->max_elapsed_ms)
        return GW_RETRY_NO_TIME;
    return delay;
}

int64_t gw_retry_parse_retry_after_ms(const char *v, size_t len)
{
    size_t i = 0;
    while (i < len && (v[i] == ' ' || v[i] == '\t'))
        i++;
    int64_t ms = 0;
    size_t digits = 0;
    for (; i < len && v[i] >= '0' && v[i] <= '9'; i++, digits++) {
        if (ms > (INT64_C(1) << 40))
            return -1;
        ms = ms * 10 + (v[i] - '0');
    }
    if (digits == 0)
        return -1;
    if (i < len && v[i] == '.') { /* fraction: rounded up to the next ms */
        int frac = 0;
        for (i++; i < len && v[i] >= '0' && v[i] <= '9'; i++)
            frac |= v[i] != '0';
        ms += frac;
    }
    while (i < len && (v[i] == ' ' || v[i] == '\t'))
        i++;
    return i == len ? ms : -1;
}

/* IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" (the only date form senders may generate). */
static int64_t parse_http_date(const char *v, size_t len)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char s[40];
    if (len < 29 || len >= sizeof(s))
        return -1;
    memcpy(s, v, len);
    s[len] = '\0';
    int day, year, hh, mm, ss;
    char mon[4], gmt[4];
    if (sscanf(s + 5, "%2d %3s %4d %2d:%2d:%2d %3s", &day, mon, &year, &hh, &mm, &ss, gmt) != 7 || strcmp(gmt, "GMT") != 0)
        return -1;
    const char *m = strstr(months, mon);
    if (m == NULL || strlen(mon) != 3 || (m - months) % 3 != 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
        return -1;
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = year - 1900;
    tm.tm_mon = (int)((m - months) / 3);
    tm.tm_mday = day;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    return (int64_t)timegm(&tm);
}

int64_t gw_retry_parse_retry_after(const char *v, size_t len, int64_t now_unix_s)
{
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    while (len > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    if (len == 0)
        return -1;
    if (v[0] >= '0' && v[0] <= '9') {
        int64_t s = 0;
        for (size_t i = 0; i < len; i++) {
            if (v[i] < '0' || v[i] > '9' || s > (INT64_C(1) << 30))
                return -1;
            s = s * 10 + (v[i] - '0');
        }
        return s * 1000;
    }
    int64_t at = parse_http_date(v, len);
    if (at < 0)
        return -1;
    return at > now_unix_s ? (at - now_unix_s) * 1000 : 0;
}

/* Moves the two half-windows forward to `now_ms`. */
static void budget_roll(gw_retry_budget_t *b, const gw_retry_conf_t *c, uint64_t now_ms)
{
    uint64_t half = c->budget_window_ms / 2 > 0 ? c->budget_window_ms / 2 : 1;
    if (b->window_start_ms == 0 || now_ms < b->window_start_ms) {
        memset(b, 0, sizeof(*b));
        b->window_start_ms = now_ms;
        return;
    }
    uint64_t passed = (now_ms - b->window_start_ms) / half;
    if (passed == 0)
        return;
    if (passed == 1) {
        b->requests[1] = b->requests[0];
        b->retries[1] = b->retries[0];
    } else {
        b->requests[1] = b->retries[1] = 0;
    }
    b->requests[0] = b->retries[0] = 0;
    b->window_start_ms += passed * half;
}

void gw_retry_budget_request(gw_retry_budget_t *b, const gw_retry_conf_t *c, uint64_t now_ms)
{
    budget_roll(b, c, now_ms);
    if (b->requests[0] < UINT32_MAX)
        b->requests[0]++;
}

int gw_retry_budget_take(gw_retry_budget_t *b, const gw_retry_conf_t *c, uint64_t now_ms)
{
    budget_roll(b, c, now_ms);
    uint64_t reqs = (uint64_t)b->requests[0] + b->requests[1];
    uint64_t taken = (uint64_t)b->retries[0] + b->retries[1];
    uint64_t allowed = c->budget_min_retries + reqs * c->budget_percent / 100u;
    if (taken >= allowed)
        return -1;
    b->retries[0]++;
    return 0;
}

int gw_breaker_admit(gw_breaker_t *b, const gw_breaker_conf_t *c, uint64_t now_ms, uint64_t *retry_after_ms)
{
    if (!c->enabled || b->state == GW_BREAKER_CLOSED)
        return 0;
    uint64_t since = b->state == GW_BREAKER_OPEN ? b->opened_ms : b->probe_ms;
    if (now_ms >= since + c->cooldown_ms) {
        b->state = GW_BREAKER_HALF_OPEN;
        b->probe_ms = now_ms;
        return 0;
    }
    *retry_after_ms = since + c->cooldown_ms - now_ms;
    if (*retry_after_ms == 0)
        *retry_after_ms = 1;
    b->rejected++;
    return -1;
}

void gw_breaker_record(gw_breaker_t *b, const gw_breaker_conf_t *c, uint64_t now_ms, int failure)
{
    if (!c->enabled)
        return;
    if (!failure) {
        b->failures = 0;
        b->state = GW_BREAKER_CLOSED;
        return;
    }
    if (b->failures < UINT32_MAX)
        b->failures++;
    if (b->state == GW_BREAKER_HALF_OPEN || (b->state == GW_BREAKER_CLOSED && b->failures >= c->failure_threshold)) {
        b->state = GW_BREAKER_OPEN;
        b->opened_ms = now_ms;
        b->opens++;
    }
    /* failures of calls admitted before it opened leave an open breaker as it is */
}

const char *gw_retry_reason_name(int64_t reason)
{
    switch (reason) {
    case GW_RETRY_NO_ATTEMPTS:
        return "attempts";
    case GW_RETRY_NO_STATUS:
        return "status";
    case GW_RETRY_NO_SIDE_EFFECTS:
        return "side_effects";
    case GW_RETRY_NO_RETRY_AFTER:
        return "retry_after";
    case GW_RETRY_NO_TIME:
        return "time";
    case GW_RETRY_NO_SHOULD:
        return "should_retry";
    case GW_RETRY_NO_BUDGET:
        return "budget";
    case GW_RETRY_NO_BREAKER:
        return "breaker";
    default:
        return reason >= 0 ? "retry" : "unknown";
    }
}

/* ---- config ---------------------------------------------------------------------------------- */

typedef struct st_model_conf_t {
    char *glob; /* "provider/model" fnmatch pattern */
    gw_retry_conf_t conf;
} model_conf_t;

typedef struct st_host_t {
    char origin[GW_BREAKER_ORIGIN_MAX];
    gw_breaker_t b;
} host_t;

#define NREASONS 8 /* -1..-8 */

struct st_gw_retry_t {
    gw_retry_conf_t base;
    gw_retry_conf_t provider[GW_RETRY_MAX_PROVIDERS];
    model_conf_t *models;
    size_t nmodels;
    gw_breaker_conf_t breaker;
    pthread_mutex_t mu;
    gw_retry_budget_t budget[GW_RETRY_MAX_PROVIDERS];
    uint64_t retries[GW_RETRY_MAX_PROVIDERS][GW_RETRY_NFAIL];
    uint64_t refused[GW_RETRY_MAX_PROVIDERS][NREASONS];
    host_t hosts[GW_BREAKER_MAX_HOSTS];
    size_t nhosts;
};

typedef struct st_conf_key_t {
    const char *name;
    size_t offset;
    int is_u32;
    uint64_t min, max, def;
} conf_key_t;

#define OFF(f) offsetof(gw_retry_conf_t, f)
static const conf_key_t conf_keys[] = {
    {"max_retries", OFF(max_retries), 1, 0, 10, 2},
    {"initial_backoff_ms", OFF(initial_backoff_ms), 0, 1, 600000, 500},
    {"max_backoff_ms", OFF(max_backoff_ms), 0, 1, 600000, 8000},
    {"max_retry_after_ms", OFF(max_retry_after_ms), 0, 0, 3600000, 20000},
    {"max_elapsed_ms", OFF(max_elapsed_ms), 0, 0, 3600000, 60000},
    {"budget_percent", OFF(budget_percent), 1, 0, 1000, 20},
    {"budget_min_retries", OFF(budget_min_retries), 1, 0, 1000000, 10},
    {"budget_window_ms", OFF(budget_window_ms), 0, 1000, 3600000, 10000},
};
#undef OFF

static const int default_statuses[] = {408, 409, 429, 500, 502, 503, 504, 529}; /* 529: Anthropic overloaded_error */

static void set_defaults(gw_retry_conf_t *c)
{
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++) {
        char *p = (char *)c + conf_keys[i].offset;
        if (conf_keys[i].is_u32)
            *(uint32_t *)p = (uint32_t)conf_keys[i].def;
        else
            *(uint64_t *)p = conf_keys[i].def;
    }
    memcpy(c->statuses, default_statuses, sizeof(default_statuses));
    c->nstatuses = sizeof(default_statuses) / sizeof(default_statuses[0]);
}

/* Applies the scalar keys and "statuses" of `obj` onto *c. `extra` lists other keys allowed here. */
static int apply_conf(gw_retry_conf_t *c, json_t *obj, const char *where, const char *const *extra, char *err, size_t errlen)
{
    if (!json_is_object(obj)) {
        snprintf(err, errlen, "%s: expected an object", where);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        int known = 0;
        for (size_t i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]) && !known; i++) {
            const conf_key_t *ck = &conf_keys[i];
            if (strcmp(k, ck->name) != 0)
                continue;
            known = 1;
            if (!json_is_integer(v) || json_integer_value(v) < (json_int_t)ck->min || json_integer_value(v) > (json_int_t)ck->max) {
                snprintf(err, errlen, "%s.%s: expected an integer in %" PRIu64 "..%" PRIu64, where, k, ck->min, ck->max);
                return -1;
            }
            char *p = (char *)c + ck->offset;
            if (ck->is_u32)
                *(uint32_t *)p = (uint32_t)json_integer_value(v);
            else
                *(uint64_t *)p = (uint64_t)json_integer_value(v);
        }
        if (!known && strcmp(k, "statuses") == 0) {
            known = 1;
            size_t n = json_is_array(v) ? json_array_size(v) : 0;
            if (!json_is_array(v) || n > GW_RETRY_MAX_STATUSES) {
                snprintf(err, errlen, "%s.statuses: expected an array of at most %d HTTP statuses", where, GW_RETRY_MAX_STATUSES);
                return -1;
            }
            for (size_t i = 0; i < n; i++) {
                json_t *s = json_array_get(v, i);
                json_int_t st = json_is_integer(s) ? json_integer_value(s) : 0;
                /* only failures: a 2xx/3xx/other 4xx answer is the client's to see */
                if (st != 408 && st != 409 && st != 425 && st != 429 && (st < 500 || st > 599)) {
                    snprintf(err, errlen, "%s.statuses[%zu]: expected 408, 409, 425, 429 or 500..599", where, i);
                    return -1;
                }
                c->statuses[i] = (int)st;
            }
            c->nstatuses = n;
        }
        for (size_t i = 0; extra != NULL && extra[i] != NULL && !known; i++)
            known = strcmp(k, extra[i]) == 0;
        if (!known) {
            snprintf(err, errlen, "%s.%s: unknown key (see docs/config.md)", where, k);
            return -1;
        }
    }
    if (c->initial_backoff_ms > c->max_backoff_ms) {
        snprintf(err, errlen, "%s: initial_backoff_ms must not exceed max_backoff_ms", where);
        return -1;
    }
    return 0;
}

static int provider_index(const char *name)
{
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    for (size_t i = 0; i < n && i < GW_RETRY_MAX_PROVIDERS; i++)
        if (strcmp(all[i]->name, name) == 0)
            return (int)i;
    return -1;
}

static int parse_breaker(gw_breaker_conf_t *b, json_t *obj, char *err, size_t errlen)
{
    b->enabled = 1;
    b->failure_threshold = 10;
    b->cooldown_ms = 15000;
    if (obj == NULL)
        return 0;
    if (!json_is_object(obj)) {
        snprintf(err, errlen, "circuit_breaker: expected an object");
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        if (strcmp(k, "enabled") == 0) {
            if (!json_is_boolean(v)) {
                snprintf(err, errlen, "circuit_breaker.enabled: expected true or false");
                return -1;
            }
            b->enabled = json_is_true(v);
        } else if (strcmp(k, "failure_threshold") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000) {
                snprintf(err, errlen, "circuit_breaker.failure_threshold: expected an integer in 1..1000000");
                return -1;
            }
            b->failure_threshold = (uint32_t)json_integer_value(v);
        } else if (strcmp(k, "cooldown_ms") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 3600000) {
                snprintf(err, errlen, "circuit_breaker.cooldown_ms: expected an integer in 1..3600000");
                return -1;
            }
            b->cooldown_ms = (uint64_t)json_integer_value(v);
        } else {
            snprintf(err, errlen, "circuit_breaker.%s: unknown key (expected enabled, failure_threshold, cooldown_ms)", k);
            return -1;
        }
    }
    return 0;
}

gw_retry_t *gw_retry_new(json_t *retry, json_t *breaker, char *err, size_t errlen)
{
    static const char *const section_extra[] = {"providers", "models", NULL};
    gw_retry_t *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        snprintf(err, errlen, "retry: out of memory");
        return NULL;
    }
    pthread_mutex_init(&r->mu, NULL);
    set_defaults(&r->base);
    if (retry != NULL && apply_conf(&r->base, retry, "retry", section_extra, err, errlen) != 0)
        goto fail;
    for (size_t i = 0; i < GW_RETRY_MAX_PROVIDERS; i++)
        r->provider[i] = r->base;
    json_t *provs = retry != NULL ? json_object_get(retry, "providers") : NULL;
    if (provs != NULL) {
        if (!json_is_object(provs)) {
            snprintf(err, errlen, "retry.providers: expected an object {\"<provider>\": {...}}");
            goto fail;
        }
        const char *name;
        json_t *v;
        json_object_foreach(provs, name, v)
        {
            char where[96];
            snprintf(where, sizeof(where), "retry.providers.%s", name);
            int idx = provider_index(name);
            if (idx < 0) {
                snprintf(err, errlen, "%s: unknown provider", where);
                goto fail;
            }
            if (apply_conf(&r->provider[idx], v, where, NULL, err, errlen) != 0)
                goto fail;
        }
    }
    json_t *models = retry != NULL ? json_object_get(retry, "models") : NULL;
    if (models != NULL) {
        if (!json_is_object(models)) {
            snprintf(err, errlen, "retry.models: expected an object {\"<provider>/<model glob>\": {...}}");
            goto fail;
        }
        r->models = calloc(json_object_size(models) + 1, sizeof(*r->models));
        if (r->models == NULL) {
            snprintf(err, errlen, "retry: out of memory");
            goto fail;
        }
        const char *glob;
        json_t *v;
        json_object_foreach(models, glob, v)
        {
            char where[200];
            snprintf(where, sizeof(where), "retry.models.%.150s", glob);
            const char *slash = strchr(glob, '/');
            char prov[64];
            size_t pl = slash != NULL ? (size_t)(slash - glob) : 0;
            if (slash == NULL || pl == 0 || pl >= sizeof(prov) || slash[1] == '\0') {
                snprintf(err, errlen, "%s: expected a \"<provider>/<model glob>\" key", where);
                goto fail;
            }
            memcpy(prov, glob, pl);
            prov[pl] = '\0';
            int idx = provider_index(prov);
            if (idx < 0) {
                snprintf(err, errlen, "%s: unknown provider %s", where, prov);
                goto fail;
            }
            model_conf_t *m = &r->models[r->nmodels];
            m->conf = r->provider[idx];
            if ((m->glob = strdup(glob)) == NULL)
                goto fail;
            r->nmodels++;
            if (apply_conf(&m->conf, v, where, NULL, err, errlen) != 0)
                goto fail;
        }
    }
    if (parse_breaker(&r->breaker, breaker, err, errlen) != 0)
        goto fail;
    return r;
fail:
    gw_retry_free(r);
    return NULL;
}

void gw_retry_free(gw_retry_t *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->nmodels; i++)
        free(r->models[i].glob);
    free(r->models);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

const gw_retry_conf_t *gw_retry_conf_for(const gw_retry_t *r, const char *provider, const char *model)
{
    if (r->nmodels != 0 && model != NULL && model[0] != '\0') {
        char key[320];
        snprintf(key, sizeof(key), "%s/%s", provider, model);
        for (size_t i = 0; i < r->nmodels; i++)
            if (fnmatch(r->models[i].glob, key, 0) == 0)
                return &r->models[i].conf;
    }
    int idx = provider_index(provider);
    return idx >= 0 ? &r->provider[idx] : &r->base;
}

const gw_breaker_conf_t *gw_retry_breaker_conf(const gw_retry_t *r)
{
    return &r->breaker;
}

/* ---- shared state ------------------------------------------------------------------------------ */

int gw_retry_host(gw_retry_t *r, const char *origin, size_t len)
{
    if (len >= GW_BREAKER_ORIGIN_MAX)
        len = GW_BREAKER_ORIGIN_MAX - 1;
    int idx = -1;
    pthread_mutex_lock(&r->mu);
    for (size_t i = 0; i < r->nhosts && idx < 0; i++)
        if (strlen(r->hosts[i].origin) == len && memcmp(r->hosts[i].origin, origin, len) == 0)
            idx = (int)i;
    if (idx < 0 && r->nhosts < GW_BREAKER_MAX_HOSTS) {
        host_t *h = &r->hosts[r->nhosts];
        memcpy(h->origin, origin, len);
        h->origin[len] = '\0';
        idx = (int)r->nhosts++;
    }
    pthread_mutex_unlock(&r->mu);
    return idx;
}

int gw_retry_admit(gw_retry_t *r, int host, uint64_t now_ms, uint64_t *retry_after_ms)
{
    if (host < 0)
        return 0;
    pthread_mutex_lock(&r->mu);
    int rc = gw_breaker_admit(&r->hosts[host].b, &r->breaker, now_ms, retry_after_ms);
    pthread_mutex_unlock(&r->mu);
    return rc;
}

void gw_retry_record(gw_retry_t *r, int host, int provider_idx, const gw_retry_conf_t *c, uint64_t now_ms, int first, int failure)
{
    pthread_mutex_lock(&r->mu);
    if (host >= 0)
        gw_breaker_record(&r->hosts[host].b, &r->breaker, now_ms, failure);
    if (first && provider_idx >= 0 && provider_idx < GW_RETRY_MAX_PROVIDERS)
        gw_retry_budget_request(&r->budget[provider_idx], c, now_ms);
    pthread_mutex_unlock(&r->mu);
}

int64_t gw_retry_should(gw_retry_t *r, int host, int provider_idx, const gw_retry_conf_t *c, const gw_retry_input_t *in,
                        uint64_t now_ms, uint32_t random)
{
    int64_t d = gw_retry_decide(c, in, random);
    int p = provider_idx >= 0 && provider_idx < GW_RETRY_MAX_PROVIDERS ? provider_idx : -1;
    pthread_mutex_lock(&r->mu);
    if (d >= 0 && host >= 0 && r->breaker.enabled && r->hosts[host].b.state != GW_BREAKER_CLOSED)
        d = GW_RETRY_NO_BREAKER;
    if (d >= 0 && p >= 0 && gw_retry_budget_take(&r->budget[p], c, now_ms) != 0)
        d = GW_RETRY_NO_BUDGET;
    if (p >= 0) {
        if (d >= 0)
            r->retries[p][in->kind]++;
        else if (d != GW_RETRY_NO_STATUS && -d <= NREASONS)
            r->refused[p][-d - 1]++; /* a status that is never retried is not a refusal */
    }
    pthread_mutex_unlock(&r->mu);
    return d;
}

void gw_retry_render_metrics(gw_retry_t *r, const char *(*provider_name)(int idx), gw_buf_t *out)
{
    static const char *const kinds[GW_RETRY_NFAIL] = {"connect", "reset", "status"};
    pthread_mutex_lock(&r->mu);
    gw_buf_appendf(out, "# HELP aigw_upstream_retries_total Upstream attempts retried, by provider and failure.\n"
                        "# TYPE aigw_upstream_retries_total counter\n");
    for (int p = 0; p < GW_RETRY_MAX_PROVIDERS; p++) {
        const char *name = provider_name(p);
        if (name == NULL)
            break;
        for (int k = 0; k < GW_RETRY_NFAIL; k++)
            gw_buf_appendf(out, "aigw_upstream_retries_total{provider=\"%s\",reason=\"%s\"} %" PRIu64 "\n", name, kinds[k],
                           r->retries[p][k]);
    }
    gw_buf_appendf(out, "# HELP aigw_upstream_retries_refused_total Retryable failures not retried, by provider and reason.\n"
                        "# TYPE aigw_upstream_retries_refused_total counter\n");
    for (int p = 0; p < GW_RETRY_MAX_PROVIDERS; p++) {
        const char *name = provider_name(p);
        if (name == NULL)
            break;
        for (int k = 0; k < NREASONS; k++)
            if (r->refused[p][k] != 0)
                gw_buf_appendf(out, "aigw_upstream_retries_refused_total{provider=\"%s\",reason=\"%s\"} %" PRIu64 "\n", name,
                               gw_retry_reason_name(-(int64_t)k - 1), r->refused[p][k]);
    }
    gw_buf_appendf(out, "# HELP aigw_upstream_circuit_state Circuit breaker per upstream origin: 0 closed, 1 open, 2 half-open.\n"
                        "# TYPE aigw_upstream_circuit_state gauge\n");
    for (size_t i = 0; i < r->nhosts; i++)
        gw_buf_appendf(out, "aigw_upstream_circuit_state{origin=\"%s\"} %d\n", r->hosts[i].origin, (int)r->hosts[i].b.state);
    gw_buf_appendf(out, "# HELP aigw_upstream_circuit_opened_total Times the breaker of an origin opened.\n"
                        "# TYPE aigw_upstream_circuit_opened_total counter\n");
    for (size_t i = 0; i < r->nhosts; i++)
        gw_buf_appendf(out, "aigw_upstream_circuit_opened_total{origin=\"%s\"} %" PRIu64 "\n", r->hosts[i].origin,
                       r->hosts[i].b.opens);
    gw_buf_appendf(out, "# HELP aigw_upstream_circuit_rejected_total Calls answered 503 while the origin's breaker was open.\n"
                        "# TYPE aigw_upstream_circuit_rejected_total counter\n");
    for (size_t i = 0; i < r->nhosts; i++)
        gw_buf_appendf(out, "aigw_upstream_circuit_rejected_total{origin=\"%s\"} %" PRIu64 "\n", r->hosts[i].origin,
                       r->hosts[i].b.rejected);
    gw_buf_appendf(out, "# HELP aigw_upstream_circuit_failures Consecutive failures counted by an origin's breaker.\n"
                        "# TYPE aigw_upstream_circuit_failures gauge\n");
    for (size_t i = 0; i < r->nhosts; i++)
        gw_buf_appendf(out, "aigw_upstream_circuit_failures{origin=\"%s\"} %" PRIu32 "\n", r->hosts[i].origin,
                       r->hosts[i].b.failures);
    pthread_mutex_unlock(&r->mu);
}
