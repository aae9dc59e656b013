/*
 * The PII engine object: parses the "pii" config section (one table of keys, each checked for
 * type and range, errors name the key path), compiles TWO vectorscan block-mode databases and
 * runs scans.
 *
 * A scan runs on the text itself, or on its normalised copy when it holds full-width forms,
 * wide or no-break spaces, Unicode hyphens or non-ASCII digits (unicode.c); candidates found in
 * the copy are mapped back to offsets of the original before the allow-list and the overlap
 * sweep. A scan is: one hs_scan of the full-text database (literal-anchored built-in patterns and the
 * custom regexes), whose callback hands each match end to the recognizer of that pattern (which
 * parses and validates the candidate in C and pushes it); then the prefilter pass (prefilter.c),
 * which matches the digit-cluster, IPv4, IPv6 and capital-led patterns in C, runs the
 * untriggered PERSON rule and collects the windows that can hold a match of the remaining
 * class-heavy patterns; then one hs_scan of the window database over those windows (copied into
 * one NUL-separated buffer); then, for texts holding kana, ideographs or Hangul, the CJK name and
 * address rules (cjk.c); then context words adjust scores; then entities of disabled types,
 * below min_score or on the allow-list are dropped; then overlaps are resolved by a sweep over
 * the candidates sorted by start, keeping the better of two overlapping spans (higher score,
 * then longer, then lower type id). The split keeps the results of one database over the whole
 * text (tests/unit/policy/test_pii_prefilter.c checks the window invariant and the C-matched
 * patterns) at about 2.3x the speed. Built-in patterns run without SOM; only custom regexes are
 * compiled with HS_FLAG_SOM_LEFTMOST because their start cannot be derived.
 *
 * Compiling the two databases takes about 100 ms, most of an engine's creation (and of a short
 * `aigw scrub` run). The build compiles the built-in ones once (gen_hsdb.c) and links them
 * serialised into the programs (pol__hsdb_builtin); an engine without custom regexes
 * deserialises them in microseconds when their fingerprint (vectorscan version + pattern table)
 * matches and a trial scan on this CPU succeeds, and compiles them otherwise.
 */
#include "policy/pii/pii_internal.h"

#include <hs/hs.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>

static const char *const builtin_names[POL_PII_NUM_BUILTIN] = {"EMAIL_ADDRESS",
                                                               "PHONE_NUMBER",
                                                               "CREDIT_CARD",
                                                               "IBAN_CODE",
                                                               "US_SSN",
                                                               "IP_ADDRESS",
                                                               "CRYPTO",
                                                               "URL",
                                                               "DATE_TIME",
                                                               "US_PASSPORT",
                                                               "US_DRIVER_LICENSE",
                                                               "UK_NHS",
                                                               "PERSON",
                                                               "LOCATION",
                                                               "SECRET",
#define NATIONAL_NAME_(n) #n,
                                                               POL_PII_NATIONAL_TYPES(NATIONAL_NAME_)
#undef NATIONAL_NAME_
};

static const char *const action_names[] = {"tokenize", "redact", "mask", "hash", "block", "allow"};

typedef struct st_custom_t {
    char *name;
    int luhn;
    char **context; /* NULL-terminated lowercase words */
    double score;
} custom_t;

struct st_pol_pii_engine_t {
    hs_database_t *db;     /* full text: POL__DB_TEXT patterns + custom regexes */
    hs_database_t *db_win; /* prefilter windows: POL__DB_WIN patterns */
    size_t nbuiltin_patterns;
    int ntypes;
    custom_t custom[POL_PII_MAX_CUSTOM];
    int ncustom;
    pol_pii_action_t actions[POL_PII_NUM_BUILTIN + POL_PII_MAX_CUSTOM];
    unsigned char enabled[POL_PII_NUM_BUILTIN + POL_PII_MAX_CUSTOM];
    double min_score;
    char **allow; /* allow-list values */
    size_t *allow_len;
    size_t nallow;
    int scan_responses;
    pol__script_tables_t tables; /* filters of the CJK / Cyrillic / Arabic / Devanagari rules */
    unsigned char hash_key[32];
};

struct st_pol_pii_scratch_t {
    const pol_pii_engine_t *e;
    hs_scratch_t *hs;
    pol__cands_t cands;
    pol_pii_entity_t *out;
    size_t out_cap;
    pol__scanctx_t ctx;
    pol__windows_t win;
    char *wbuf; /* the windows, concatenated with NUL separators */
    size_t wbuf_cap;
    size_t wcur, *wpos; /* window cursor and each window's start in wbuf */
    size_t wpos_cap;
    pol__norm_t norm; /* the normalised copy of the text, when it needs one (unicode.c) */
    pol__phone_cache_t phone_cache;
    int failed;
};

/* ---- config ---- */

static int parse_action(const json_t *v, pol_pii_action_t *out)
{
    const char *s = json_string_value(v);
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
        if (strcmp(s, action_names[i]) == 0) {
            *out = (pol_pii_action_t)i;
            return 0;
        }
    return -1;
}

static int type_index(const pol_pii_engine_t *e, const char *name)
{
    return pol_pii_type_by_name(e, name, strlen(name));
}

static int valid_type_name(const char *s)
{
    if (s[0] < 'A' || s[0] > 'Z' || strlen(s) > 40)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

static char *xstrdup_lower(const char *s, int lower)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d == NULL)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        d[i] = (char)(lower && s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    return d;
}

#define FAIL(...)                                                                                                                  \
    do {                                                                                                                           \
        snprintf(err, errlen, __VA_ARGS__);                                                                                        \
        goto fail;                                                                                                                 \
    } while (0)

static int parse_custom(pol_pii_engine_t *e, const json_t *arr, const char ***regexes, char *err, size_t errlen)
{
    size_t i;
    json_t *it;
    if (!json_is_array(arr))
        FAIL("pii.custom: expected an array of {name, regex, validator, context, score}");
    if (json_array_size(arr) > POL_PII_MAX_CUSTOM)
        FAIL("pii.custom: at most %d custom recognizers", POL_PII_MAX_CUSTOM);
    *regexes = calloc(json_array_size(arr) + 1, sizeof(char *));
    if (*regexes == NULL)
        FAIL("pii.custom: out of memory");
    json_array_foreach(arr, i, it)
    {
        custom_t *c = &e->custom[e->ncustom];
        const char *key;
        json_t *v;
        if (!json_is_object(it))
            FAIL("pii.custom[%zu]: expected an object", i);
        const char *name = json_string_value(json_object_get(it, "name"));
        const char *regex = json_string_value(json_object_get(it, "regex"));
        if (name == NULL || !valid_type_name(name))
            FAIL("pii.custom[%zu].name: expected an upper-case type name matching [A-Z][A-Z0-9_]*", i);
        if (type_index(e, name) >= 0)
            FAIL("pii.custom[%zu].name: type %s already exists", i, name);
        if (regex == NULL || regex[0] == '\0')
            FAIL("pii.custom[%zu].regex: expected a non-empty string", i);
        c->score = 0.8;
        json_object_foreach((json_t *)it, key, v)
        {
            if (strcmp(key, "name") == 0 || strcmp(key, "regex") == 0) {
                continue;
            } else if (strcmp(key, "validator") == 0) {
                const char *s = json_string_value(v);
                if (s == NULL || (strcmp(s, "luhn") != 0 && strcmp(s, "none") != 0))
                    FAIL("pii.custom[%zu].validator: expected one of luhn|none", i);
                c->luhn = strcmp(s, "luhn") == 0;
            } else if (strcmp(key, "score") == 0) {
                if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
                    FAIL("pii.custom[%zu].score: expected a number in [0, 1]", i);
                c->score = json_number_value(v);
            } else if (strcmp(key, "context") == 0) {
                size_t k;
                json_t *w;
                if (!json_is_array(v))
                    FAIL("pii.custom[%zu].context: expected an array of strings", i);
                c->context = calloc(json_array_size(v) + 1, sizeof(char *));
                if (c->context == NULL)
                    FAIL("pii.custom[%zu].context: out of memory", i);
                json_array_foreach(v, k, w)
                {
                    if (!json_is_string(w) || json_string_length(w) == 0 || json_string_length(w) > 60)
                        FAIL("pii.custom[%zu].context[%zu]: expected a non-empty string of at most 60 bytes", i, k);
                    if ((c->context[k] = xstrdup_lower(json_string_value(w), 1)) == NULL)
                        FAIL("pii.custom[%zu].context: out of memory", i);
                }
            } else {
                FAIL("pii.custom[%zu].%s: unknown key (expected name, regex, validator, context, score)", i, key);
            }
        }
        if ((c->name = xstrdup_lower(name, 0)) == NULL)
            FAIL("pii.custom: out of memory");
        (*regexes)[e->ncustom] = regex;
        e->ncustom++;
        e->ntypes++;
    }
    return 0;
fail:
    return -1;
}

static int parse_config(pol_pii_engine_t *e, const json_t *cfg, const char ***regexes, char *err, size_t errlen)
{
    const char *key;
    json_t *v;
    const json_t *actions = NULL, *entities = NULL;
    pol_pii_action_t def = POL_PII_ACT_TOKENIZE;
    if (cfg == NULL)
        goto defaults;
    if (!json_is_object(cfg))
        FAIL("pii: expected an object");
    /* custom first: actions and entities may name custom types */
    if ((v = json_object_get(cfg, "custom")) != NULL && parse_custom(e, v, regexes, err, errlen) != 0)
        return -1;
    json_object_foreach((json_t *)cfg, key, v)
    {
        if (strcmp(key, "default_action") == 0) {
            if (parse_action(v, &def) != 0)
                FAIL("pii.default_action: expected one of tokenize|redact|mask|hash|block|allow");
        } else if (strcmp(key, "actions") == 0) {
            if (!json_is_object(v))
                FAIL("pii.actions: expected an object of TYPE: action");
            actions = v;
        } else if (strcmp(key, "min_score") == 0) {
            if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
                FAIL("pii.min_score: expected a number in [0, 1]");
            e->min_score = json_number_value(v);
        } else if (strcmp(key, "allow_list") == 0) {
            size_t i;
            json_t *w;
            if (!json_is_array(v))
                FAIL("pii.allow_list: expected an array of strings");
            e->allow = calloc(json_array_size(v) + 1, sizeof(char *));
            e->allow_len = calloc(json_array_size(v) + 1, sizeof(size_t));
            if (e->allow == NULL || e->allow_len == NULL)
                FAIL("pii.allow_list: out of memory");
            json_array_foreach(v, i, w)
            {
                if (!json_is_string(w))
                    FAIL("pii.allow_list[%zu]: expected a string", i);
                e->allow_len[i] = json_string_length(w);
                if ((e->allow[i] = malloc(e->allow_len[i] + 1)) == NULL)
                    FAIL("pii.allow_list: out of memory");
                memcpy(e->allow[i], json_string_value(w), e->allow_len[i] + 1);
                e->nallow++;
            }
        } else if (strcmp(key, "entities") == 0) {
            if (!json_is_array(v))
                FAIL("pii.entities: expected an array of entity type names");
            entities = v;
        } else if (strcmp(key, "scan_responses") == 0) {
            if (!json_is_boolean(v))
                FAIL("pii.scan_responses: expected true or false");
            e->scan_responses = json_is_true(v);
        } else if (strcmp(key, "custom") == 0 || strcmp(key, "hash_key_hex") == 0 || strcmp(key, "max_findings_per_request") == 0 ||
                   strcmp(key, "forward_unscanned_types") == 0) {
            continue; /* custom parsed above; hash_key_hex, max_findings_per_request and forward_unscanned_types are read by
                         gateway/privacy.c */
        } else {
            FAIL("pii.%s: unknown key (expected default_action, actions, min_score, allow_list, entities, custom, "
                 "scan_responses, hash_key_hex, max_findings_per_request, forward_unscanned_types)",
                 key);
        }
    }
defaults:
    for (int t = 0; t < e->ntypes; t++)
        e->actions[t] = def;
    if (actions != NULL) {
        json_object_foreach((json_t *)actions, key, v)
        {
            int t = type_index(e, key);
            if (t < 0)
                FAIL("pii.actions.%s: unknown entity type", key);
            if (parse_action(v, &e->actions[t]) != 0)
                FAIL("pii.actions.%s: expected one of tokenize|redact|mask|hash|block|allow", key);
        }
    }
    if (entities != NULL) {
        size_t i;
        json_t *w;
        memset(e->enabled, 0, sizeof(e->enabled));
        json_array_foreach(entities, i, w)
        {
            int t = json_is_string(w) ? type_index(e, json_string_value(w)) : -1;
            if (t < 0)
                FAIL("pii.entities[%zu]: expected a known entity type name", i);
            e->enabled[t] = 1;
        }
    } else {
        memset(e->enabled, 1, (size_t)e->ntypes);
    }
    return 0;
fail:
    return -1;
}

/* ---- create / free ---- */

unsigned pol__hsdb_exprs(int db, const char **exprs, unsigned *flags, unsigned *ids)
{
    size_t nb;
    const pol__pattern_t *pats = pol__patterns(&nb);
    unsigned m = 0;
    for (size_t i = 0; i < nb; i++)
        if (pats[i].db == db) {
            exprs[m] = pats[i].regex;
            flags[m] = pats[i].flags;
            ids[m++] = (unsigned)i;
        }
    return m;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ ((const unsigned char *)p)[i]) * 0x100000001b3ull;
    return h;
}

uint64_t pol__hsdb_fingerprint(void)
{
    size_t nb;
    const pol__pattern_t *pats = pol__patterns(&nb);
    const char *v = hs_version();
    uint64_t h = fnv1a(0xcbf29ce484222325ull, v, strlen(v) + 1);
    for (size_t i = 0; i < nb; i++) {
        uint32_t f[3] = {pats[i].flags, (uint32_t)pats[i].db, (uint32_t)i};
        h = fnv1a(h, pats[i].regex, strlen(pats[i].regex) + 1);
        h = fnv1a(h, f, sizeof(f));
    }
    return h;
}

/* one serialised database: deserialised and tried on a short text with a scratch of its own, so
 * a database this CPU or this libhs cannot run is refused here (NULL) rather than at a scan */
static hs_database_t *load_db(const char *bytes, size_t len)
{
    hs_database_t *db = NULL;
    hs_scratch_t *sc = NULL;
    if (bytes == NULL || hs_deserialize_database(bytes, len, &db) != HS_SUCCESS)
        return NULL;
    int ok = hs_alloc_scratch(db, &sc) == HS_SUCCESS && hs_scan(db, "0 a@b.c", 7, 0, sc, NULL, NULL) == HS_SUCCESS;
    if (sc != NULL)
        hs_free_scratch(sc);
    if (!ok) {
        hs_free_database(db);
        return NULL;
    }
    return db;
}

/* the built-in databases from the build (pol__hsdb_builtin), for an engine without custom
 * regexes; 0 when there are none that fit, and the caller compiles */
static int load_builtin(pol_pii_engine_t *e)
{
    const pol__hsdb_blob_t *b = pol__hsdb_builtin != NULL ? pol__hsdb_builtin() : NULL;
    if (b == NULL || e->ncustom != 0 || b->fingerprint != pol__hsdb_fingerprint())
        return 0;
    e->db = load_db(b->text, b->text_len);
    e->db_win = load_db(b->win, b->win_len);
    if (e->db != NULL && e->db_win != NULL)
        return 1;
    if (e->db != NULL)
        hs_free_database(e->db);
    if (e->db_win != NULL)
        hs_free_database(e->db_win);
    e->db = e->db_win = NULL;
    return 0;
}

pol_pii_engine_t *pol_pii_engine_create(const json_t *pii_config, const unsigned char hash_key[32], char *err, size_t errlen)
{
    pol_pii_engine_t *e = calloc(1, sizeof(*e));
    const char **custom_regexes = NULL;
    const char **exprs = NULL;
    unsigned *flags = NULL, *ids = NULL;
    hs_compile_error_t *cerr = NULL;
    if (errlen > 0)
        err[0] = '\0';
    if (e == NULL) {
        snprintf(err, errlen, "pii: out of memory");
        return NULL;
    }
    pol__phone_warmup(); /* once per process: no request pays the numbering plans' first use */
    e->ntypes = POL_PII_NUM_BUILTIN;
    e->min_score = 0.5;
    if (pol__script_tables_init(&e->tables) != 0) {
        snprintf(err, errlen, "pii: the script trigger lists outgrow their index (POL__TRIG_MAX)");
        goto fail;
    }
    memcpy(e->hash_key, hash_key, 32);
    if (parse_config(e, pii_config, &custom_regexes, err, errlen) != 0)
        goto fail;

    size_t nb;
    pol__patterns(&nb);
    size_t total = nb + (size_t)e->ncustom;
    e->nbuiltin_patterns = nb;
    exprs = calloc(total, sizeof(*exprs));
    flags = calloc(total, sizeof(*flags));
    ids = calloc(total, sizeof(*ids));
    if (exprs == NULL || flags == NULL || ids == NULL) {
        snprintf(err, errlen, "pii: out of memory");
        goto fail;
    }
    if (load_builtin(e))
        goto done;
    /* the window database first (built-in only), then the full-text one (built-in + custom) */
    unsigned m = pol__hsdb_exprs(POL__DB_WIN, exprs, flags, ids);
    if (hs_compile_multi(exprs, flags, ids, m, HS_MODE_BLOCK, NULL, &e->db_win, &cerr) != HS_SUCCESS) {
        snprintf(err, errlen, "pii: pattern %d does not compile: %s", cerr ? (int)ids[cerr->expression] : -1,
                 cerr ? cerr->message : "?");
        goto fail;
    }
    m = pol__hsdb_exprs(POL__DB_TEXT, exprs, flags, ids);
    for (int k = 0; k < e->ncustom; k++) {
        exprs[m] = custom_regexes[k];
        flags[m] = HS_FLAG_SOM_LEFTMOST | HS_FLAG_UTF8;
        ids[m] = (unsigned)(nb + (size_t)k);
        /* check each custom regex alone first, so the error names the right one */
        hs_database_t *one = NULL;
        if (hs_compile(custom_regexes[k], flags[m], HS_MODE_BLOCK, NULL, &one, &cerr) != HS_SUCCESS) {
            snprintf(err, errlen, "pii.custom[%d].regex: %s", k, cerr ? cerr->message : "does not compile");
            goto fail;
        }
        hs_free_database(one);
        m++;
    }
    if (hs_compile_multi(exprs, flags, ids, m, HS_MODE_BLOCK, NULL, &e->db, &cerr) != HS_SUCCESS) {
        snprintf(err, errlen, "pii: pattern %d does not compile: %s", cerr ? (int)ids[cerr->expression] : -1,
                 cerr ? cerr->message : "?");
        goto fail;
    }
done:
    free(custom_regexes);
    free(exprs);
    free(flags);
    free(ids);
    return e;
fail:
    if (cerr != NULL)
        hs_free_compile_error(cerr);
    free(custom_regexes);
    free(exprs);
    free(flags);
    free(ids);
    pol_pii_engine_free(e);
    return NULL;
}

void pol_pii_engine_free(pol_pii_engine_t *e)
{
    if (e == NULL)
        return;
    if (e->db != NULL)
        hs_free_database(e->db);
    if (e->db_win != NULL)
        hs_free_database(e->db_win);
    for (int k = 0; k < POL_PII_MAX_CUSTOM; k++) {
        free(e->custom[k].name);
        if (e->custom[k].context != NULL)
            for (char **w = e->custom[k].context; *w != NULL; w++)
                free(*w);
        free(e->custom[k].context);
    }
    for (size_t i = 0; i < e->nallow; i++)
        free(e->allow[i]);
    free(e->allow);
    free(e->allow_len);
    sodium_memzero(e->hash_key, sizeof(e->hash_key));
    free(e);
}

const char *pol_pii_type_name(const pol_pii_engine_t *e, int type)
{
    if (type >= 0 && type < POL_PII_NUM_BUILTIN)
        return builtin_names[type];
    if (e != NULL && type >= POL_PII_NUM_BUILTIN && type < e->ntypes)
        return e->custom[type - POL_PII_NUM_BUILTIN].name;
    return "UNKNOWN";
}

int pol_pii_type_by_name(const pol_pii_engine_t *e, const char *name, size_t len)
{
    for (int t = 0; t < POL_PII_NUM_BUILTIN; t++)
        if (strlen(builtin_names[t]) == len && memcmp(builtin_names[t], name, len) == 0)
            return t;
    for (int k = 0; e != NULL && k < e->ncustom; k++)
        if (strlen(e->custom[k].name) == len && memcmp(e->custom[k].name, name, len) == 0)
            return POL_PII_NUM_BUILTIN + k;
    return -1;
}

int pol_pii_type_count(const pol_pii_engine_t *e)
{
    return e->ntypes;
}

int pol_pii_engine_scan_responses(const pol_pii_engine_t *e)
{
    return e->scan_responses;
}

pol_pii_action_t pol_pii_engine_action(const pol_pii_engine_t *e, int type)
{
    return type >= 0 && type < e->ntypes ? e->actions[type] : POL_PII_ACT_REDACT;
}

const unsigned char *pol__engine_hash_key(const pol_pii_engine_t *e)
{
    return e->hash_key;
}

/* ---- scratch ---- */

pol_pii_scratch_t *pol_pii_scratch_create(const pol_pii_engine_t *e)
{
    pol_pii_scratch_t *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->e = e;
    randombytes_buf(s->phone_cache.key, sizeof(s->phone_cache.key));
    /* one vectorscan scratch serves both databases */
    if (hs_alloc_scratch(e->db, &s->hs) != HS_SUCCESS || hs_alloc_scratch(e->db_win, &s->hs) != HS_SUCCESS) {
        if (s->hs != NULL)
            hs_free_scratch(s->hs);
        free(s);
        return NULL;
    }
    return s;
}

void pol_pii_scratch_free(pol_pii_scratch_t *s)
{
    if (s == NULL)
        return;
    hs_free_scratch(s->hs);
    free(s->win.v);
    free(s->wbuf);
    free(s->wpos);
    free(s->norm.buf);
    free(s->norm.shift);
    free(s->cands.v);
    free(s->out);
    free(s);
}

/* ---- scan ---- */

static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{
    pol_pii_scratch_t *s = ctx;
    const pol_pii_engine_t *e = s->e;
    (void)flags;
    if (id < e->nbuiltin_patterns) {
        if (pol__recognize(&s->ctx, id, (size_t)to) != 0) {
            s->failed = 1;
            return 1;
        }
        return 0;
    }
    int k = (int)(id - e->nbuiltin_patterns);
    int type = POL_PII_NUM_BUILTIN + k;
    if (!e->enabled[type])
        return 0;
    if (e->custom[k].luhn && !pol__luhn_ok(s->ctx.text + from, (size_t)(to - from)))
        return 0;
    if (pol__cands_push(&s->cands, type, (size_t)from, (size_t)to, e->custom[k].score) != 0) {
        s->failed = 1;
        return 1;
    }
    return 0;
}

/* A match of the window database: map its end in wbuf back to the text (ends arrive in order). */
static int on_win_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{
    pol_pii_scratch_t *s = ctx;
    (void)from;
    (void)flags;
    while (s->wcur + 1 < s->win.n && to > s->wpos[s->wcur + 1])
        s->wcur++;
    const pol__window_t *w = &s->win.v[s->wcur];
    if (pol__recognize(&s->ctx, id, w->s + (size_t)(to - s->wpos[s->wcur])) != 0) {
        s->failed = 1;
        return 1;
    }
    return 0;
}

/*
 * Scans the prefilter's windows with the window database in one hs_scan: the windows are copied
 * into one buffer separated by a NUL byte, which no window pattern can match across (none of
 * their classes holds NUL), so one call replaces one call per window (each costs a fixed setup).
 */
static int scan_windows(const pol_pii_engine_t *e, pol_pii_scratch_t *s)
{
    size_t need = 0;
    for (size_t i = 0; i < s->win.n; i++)
        need += s->win.v[i].e - s->win.v[i].s + 1;
    if (need > UINT_MAX)
        return -1;
    if (need > s->wbuf_cap) {
        char *b = realloc(s->wbuf, need);
        if (b == NULL)
            return -1;
        s->wbuf = b;
        s->wbuf_cap = need;
    }
    if (s->win.n > s->wpos_cap) {
        size_t *p = realloc(s->wpos, s->win.n * sizeof(*p));
        if (p == NULL)
            return -1;
        s->wpos = p;
        s->wpos_cap = s->win.n;
    }
    size_t o = 0;
    for (size_t i = 0; i < s->win.n; i++) {
        size_t n = s->win.v[i].e - s->win.v[i].s;
        s->wpos[i] = o;
        memcpy(s->wbuf + o, s->ctx.text + s->win.v[i].s, n);
        o += n;
        s->wbuf[o++] = '\0';
    }
    s->wcur = 0;
    hs_error_t rc = hs_scan(e->db_win, s->wbuf, (unsigned)(o - 1), 0, s->hs, on_win_match, s);
    return s->failed || (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) ? -1 : 0;
}

static int allowed_value(const pol_pii_engine_t *e, const char *v, size_t n)
{
    for (size_t i = 0; i < e->nallow; i++)
        if (e->allow_len[i] == n && strncasecmp(e->allow[i], v, n) == 0)
            return 1;
    return 0;
}

static int hex_digit(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static int ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* 1 if text[p, p + 36) is a UUID in its canonical string form, 8-4-4-4-12 hexadecimal digits with hyphens (RFC 9562
 * section 4; either case, any version and variant: the nil and max UUIDs and version 7 included), and the characters
 * around it, where there are any, are not ASCII letters or digits. */
static int uuid_at(const char *text, size_t len, size_t p)
{
    if (p + 36 > len || (p > 0 && ascii_alnum(POL__U(text[p - 1]))) || (p + 36 < len && ascii_alnum(POL__U(text[p + 36]))))
        return 0;
    for (size_t i = 0; i < 36; i++) {
        unsigned char c = POL__U(text[p + i]);
        if (i == 8 || i == 13 || i == 18 || i == 23 ? c != '-' : !hex_digit(c))
            return 0;
    }
    return 1;
}

/* 1 if bytes [start, end) of `text` lie inside a UUID (uuid_at). Identifiers of requests, jobs and records are random
 * UUIDs; about one in a thousand has a group of digits that passes a national ID's, a card's or a phone number's check
 * (a fal request id in x-fal-target-url was refused as PII in a header). A built-in finding wholly inside one is not
 * PII: a UUID's groups are fixed in length, none a national format's. A span reaching past the UUID is kept. */
static int inside_uuid(const char *text, size_t len, size_t start, size_t end)
{
    if (end - start > 36)
        return 0;
    for (size_t i = start; i < end; i++)
        if (text[i] != '-' && !hex_digit(POL__U(text[i])))
            return 0;
    size_t lo = end >= 36 ? end - 36 : 0;
    for (size_t p = start + 1; p-- > lo;)
        if (uuid_at(text, len, p))
            return 1;
    return 0;
}

/* a better than b: for the same type the longer span (a secret inside a password value must not
 * leave the rest of the value behind); otherwise higher score, then longer, then lower type id */
static int better(const pol__cand_t *a, const pol__cand_t *b)
{
    if (a->type == b->type && a->end - a->start != b->end - b->start)
        return a->end - a->start > b->end - b->start;
    if (a->score != b->score)
        return a->score > b->score;
    if (a->end - a->start != b->end - b->start)
        return a->end - a->start > b->end - b->start;
    return a->type < b->type;
}

static int cmp_start(const void *pa, const void *pb)
{
    const pol__cand_t *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1;
    return a->type - b->type;
}

static int scan(const pol_pii_engine_t *e, pol_pii_scratch_t *s, const char *text, size_t len, const pol_pii_entity_t **out,
                size_t *n, int all)
{
    *out = NULL;
    *n = 0;
    if (len > UINT_MAX)
        return -1;
    s->cands.n = 0;
    s->failed = 0;
    memset(&s->ctx, 0, sizeof(s->ctx));
    if (len == 0)
        return 0;
    /* width and digit variants: scan a normalised copy, report offsets of the original */
    unsigned scripts = 0;
    int nr = pol__normalize(&s->norm, text, len, &scripts);
    if (nr < 0)
        return -1;
    const char *st = nr ? s->norm.buf : text;
    size_t sl = nr ? s->norm.len : len;
    s->ctx.text = st;
    s->ctx.len = sl;
    s->ctx.cands = &s->cands;
    s->ctx.enabled = e->enabled;
    s->ctx.tables = &e->tables;
    s->ctx.phone_cache = &s->phone_cache;
    hs_error_t rc = hs_scan(e->db, st, (unsigned)sl, 0, s->hs, on_match, s);
    if (s->failed || (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED))
        return -1;
    if (pol__prefilter(&s->ctx, &s->win, e->enabled[POL_PII_PERSON]) != 0)
        return -1;
    if (s->win.n > 0 && scan_windows(e, s) != 0)
        return -1;
    if (e->enabled[POL_PII_PERSON] && pol__person_speakers(st, sl, &s->cands) != 0)
        return -1;
    if ((scripts & POL__SCRIPT_CJK) && pol__cjk_scan(&s->ctx) != 0)
        return -1;
    if ((scripts & POL__SCRIPT_THAI) && pol__thai_scan(&s->ctx) != 0)
        return -1;
    if ((scripts & (POL__SCRIPT_DEVANAGARI | POL__SCRIPT_BENGALI)) && pol__indic_scan(&s->ctx) != 0)
        return -1;
    if ((scripts & (POL__SCRIPT_CYRILLIC | POL__SCRIPT_ARABIC | POL__SCRIPT_DEVANAGARI | POL__SCRIPT_GREEK | POL__SCRIPT_HEBREW |
                    POL__SCRIPT_BENGALI | POL__SCRIPT_WORLD)) &&
        e->enabled[POL_PII_PERSON] && pol__script_names(&s->ctx, scripts) != 0)
        return -1;
    /* context, enabled set, threshold, allow-list */
    size_t m = 0;
    for (size_t i = 0; i < s->cands.n; i++) {
        pol__cand_t *c = &s->cands.v[i];
        if (!e->enabled[c->type] || c->end <= c->start || c->end > sl)
            continue;
        if (c->type >= POL_PII_NUM_BUILTIN) {
            char *const *words = e->custom[c->type - POL_PII_NUM_BUILTIN].context;
            if (words != NULL) {
                size_t from = c->start > 48 ? c->start - 48 : 0;
                if (pol__has_word(st, from, c->start, (const char *const *)words)) {
                    c->score += 0.35;
                    if (c->score > 1)
                        c->score = 1;
                }
            }
        } else {
            pol__apply_context(st, sl, c);
        }
        if (nr) {
            c->start = pol__norm_start(&s->norm, c->start);
            c->end = pol__norm_end(&s->norm, c->end);
        }
        /* a span never cuts a UTF-8 sequence in two: widened to whole code points (fail closed: a street rule walking
           back by bytes once started one inside a Chinese character, and the replacement left a broken sequence) */
        for (int k = 0; k < 3 && c->start > 0 && (POL__U(text[c->start]) & 0xC0) == 0x80; k++)
            c->start--;
        for (int k = 0; k < 3 && c->end < len && (POL__U(text[c->end]) & 0xC0) == 0x80; k++)
            c->end++;
        if (c->type < POL_PII_NUM_BUILTIN && inside_uuid(text, len, c->start, c->end))
            continue;
        if (!all && (c->score < e->min_score || allowed_value(e, text + c->start, c->end - c->start)))
            continue;
        s->cands.v[m++] = *c;
    }
    s->cands.n = m;
    if (m == 0)
        return 0;
    qsort(s->cands.v, m, sizeof(pol__cand_t), cmp_start);
    /* sweep: keep the better of overlapping neighbours */
    size_t k = 0;
    for (size_t i = 1; i < m; i++) {
        pol__cand_t *c = &s->cands.v[i], *last = &s->cands.v[k];
        if (c->start < last->end) {
            if (better(c, last))
                *last = *c;
        } else {
            s->cands.v[++k] = *c;
        }
    }
    m = k + 1;
    if (s->out_cap < m) {
        pol_pii_entity_t *o = realloc(s->out, m * sizeof(*o));
        if (o == NULL)
            return -1;
        s->out = o;
        s->out_cap = m;
    }
    for (size_t i = 0; i < m; i++)
        s->out[i] = (pol_pii_entity_t){s->cands.v[i].type, s->cands.v[i].start, s->cands.v[i].end, s->cands.v[i].score};
    *out = s->out;
    *n = m;
    return 0;
}

int pol_pii_scan(const pol_pii_engine_t *e, pol_pii_scratch_t *s, const char *text, size_t len, const pol_pii_entity_t **out,
                 size_t *n)
{
    return scan(e, s, text, len, out, n, 0);
}

int pol_pii_scan_all(const pol_pii_engine_t *e, pol_pii_scratch_t *s, const char *text, size_t len, const pol_pii_entity_t **out,
                     size_t *n)
{
    return scan(e, s, text, len, out, n, 1);
}
