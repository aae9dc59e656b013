/*
 * No-training / no-storage decisions (see notrain.h and docs/internals/notrain.md).
 *
 * Everything provider-specific is data: one static posture row per provider says whether the
 * provider may train regardless of flags (DeepSeek first-party; Gemini unless the key is paid
 * tier), which routes need provider-side storage and are refused, which routes get which
 * rewrites, and which body fields are captured to refuse stateful features. The config
 * "training" object only toggles these rows through a table of override keys (type, which
 * providers it applies to), so parsing, defaults and error messages come from one place.
 *
 * Two kinds of refusal are kept apart on purpose. A *training risk* (the provider may train on
 * the prompt) follows the mode: refused in "deny", refused unless the user consented in
 * "deny_unless_consent", accepted in "allow". A *storage* refusal (a route or field that only
 * works when the provider stores the content, e.g. previous_response_id once store:false is
 * forced) does not depend on consent - consent is about training, and the call would fail
 * upstream anyway - and is lifted only with the provider's "no_storage": false, which also
 * turns off the rewrites.
 */
#include "policy/notrain.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

/* ---- provider rows -------------------------------------------------------------------------- */

enum { P_OPENAI, P_GEMINI, P_ANTHROPIC, P_REPLICATE, P_OPENROUTER, P_DEEPSEEK, P_FIREWORKS, P_FAL, NPROV };
static const char *const prov_names[NPROV] = {"openai",     "gemini",   "anthropic", "replicate",
                                              "openrouter", "deepseek", "fireworks", "fal"};
#define PB(p) (1u << (p))
#define P_ALL ((1u << NPROV) - 1)

/* Route actions: what a matching route gets. */
enum {
    R_REFUSE = 1u << 0,         /* storage route: refused */
    R_STORE_FALSE = 1u << 1,    /* set store:false */
    R_DROP_METADATA = 1u << 2,  /* delete metadata (OpenAI: only kept for stored objects) */
    R_STATEFUL = 1u << 3,       /* refuse previous_response_id / conversation / background / item_reference */
    R_INCLUDE_ENC = 1u << 4,    /* include reasoning.encrypted_content when absent (opt-in) */
    R_OR_PROVIDER = 1u << 5,    /* OpenRouter provider.data_collection=deny, provider.zdr=true, drop trace/metadata */
    R_NO_WEBHOOK = 1u << 6,     /* Replicate: delete webhook, webhook_events_filter */
    R_NO_CACHED = 1u << 7,      /* Gemini: delete cachedContent / cached_content */
    R_ANTHROPIC_MSG = 1u << 8,  /* Anthropic: metadata.user_id, file sources, cache_control */
    R_FAL_HEADERS = 1u << 9,    /* fal: X-Fal-Store-IO, lifecycle, drop fal_webhook */
    R_MODEL_IN_PATH = 1u << 10, /* Gemini: models/NAME:method */
};

typedef struct st_route_rule_t {
    const char *glob; /* fnmatch(3) pattern without FNM_PATHNAME ('*' also matches '/'), with FNM_CASEFOLD: the route is the
                         canonical path (gateway/canon.h), and a case variant of a storage route is refused too */
    unsigned actions;
    const char *reason; /* for R_REFUSE */
} route_rule_t;

/* Storage routes: their content persists at the provider until deleted (provider pages, section "Storage"). */
static const route_rule_t openai_routes[] = {{"chat/completions", R_STORE_FALSE | R_DROP_METADATA, NULL},
                                             {"responses", R_STORE_FALSE | R_DROP_METADATA | R_STATEFUL | R_INCLUDE_ENC, NULL},
                                             {"files*", R_REFUSE, "openai_storage_route"},
                                             {"uploads*", R_REFUSE, "openai_storage_route"},
                                             {"batches*", R_REFUSE, "openai_storage_route"},
                                             {"fine_tuning*", R_REFUSE, "openai_storage_route"},
                                             {"vector_stores*", R_REFUSE, "openai_storage_route"},
                                             {"conversations*", R_REFUSE, "openai_storage_route"},
                                             {"assistants*", R_REFUSE, "openai_storage_route"},
                                             {"threads*", R_REFUSE, "openai_storage_route"},
                                             {NULL, 0, NULL}};
static const route_rule_t gemini_routes[] = {{"cachedContents*", R_REFUSE, "gemini_storage_route"},
                                             {"files*", R_REFUSE, "gemini_storage_route"},
                                             {"upload/*", R_REFUSE, "gemini_storage_route"},
                                             {"tunedModels*", R_REFUSE, "gemini_storage_route"},
                                             {"*:batchGenerateContent*", R_REFUSE, "gemini_storage_route"},
                                             {"*:asyncBatchEmbedContent*", R_REFUSE, "gemini_storage_route"},
                                             /* the OpenAI-compatible API (/v1beta/openai/): its files and batches persist */
                                             {"openai/files*", R_REFUSE, "gemini_storage_route"},
                                             {"openai/batches*", R_REFUSE, "gemini_storage_route"},
                                             {"openai/uploads*", R_REFUSE, "gemini_storage_route"},
                                             {"openai/vector_stores*", R_REFUSE, "gemini_storage_route"},
                                             {"openai/fine_tuning*", R_REFUSE, "gemini_storage_route"},
                                             {"models/*", R_NO_CACHED | R_MODEL_IN_PATH, NULL},
                                             {NULL, 0, NULL}};
static const route_rule_t anthropic_routes[] = {{"files*", R_REFUSE, "anthropic_storage_route"},
                                                {"messages/batches*", R_REFUSE, "anthropic_storage_route"},
                                                {"messages*", R_ANTHROPIC_MSG, NULL},
                                                {NULL, 0, NULL}};
static const route_rule_t replicate_routes[] = {{"files*", R_REFUSE, "replicate_file_upload"},
                                                {"trainings*", R_REFUSE, "replicate_storage_route"},
                                                {"*/trainings", R_REFUSE, "replicate_storage_route"},
                                                {"predictions", R_NO_WEBHOOK, NULL},
                                                {"*/predictions", R_NO_WEBHOOK, NULL},
                                                {NULL, 0, NULL}};
static const route_rule_t openrouter_routes[] = {{"chat/completions", R_OR_PROVIDER, NULL},
                                                 {"completions", R_OR_PROVIDER, NULL},
                                                 {"responses", R_OR_PROVIDER, NULL},
                                                 {"embeddings", R_OR_PROVIDER, NULL},
                                                 {NULL, 0, NULL}};
static const route_rule_t deepseek_routes[] = {{NULL, 0, NULL}};
static const route_rule_t fireworks_routes[] = {{"responses", R_STORE_FALSE | R_STATEFUL, NULL}, {NULL, 0, NULL}};
static const route_rule_t fal_routes[] = {
    {"storage/upload*", R_REFUSE, "fal_storage_upload"}, {"*", R_FAL_HEADERS, NULL}, {NULL, 0, NULL}};

/* Training risk that no flag can remove. */
enum { RISK_NONE, RISK_UNLESS_PAID_TIER, RISK_ALWAYS };

typedef struct st_posture_t {
    int risk;
    const char *risk_reason;
    const route_rule_t *routes;
    const char *const *default_deny_models; /* NULL-terminated */
} posture_t;

/* Fireworks: proprietary Fireworks models may log prompts for analytics (fireworks.md section 3). */
static const char *const fireworks_deny_models[] = {"accounts/fireworks/models/f1*", "accounts/fireworks/models/firefunction*",
                                                    NULL};
static const char *const no_models[] = {NULL};

/* Rows follow docs/providers/README.md section 3. */
static const posture_t postures[NPROV] = {
    [P_OPENAI] = {RISK_NONE, NULL, openai_routes, no_models},
    [P_GEMINI] = {RISK_UNLESS_PAID_TIER, "gemini_unpaid_tier", gemini_routes, no_models},
    [P_ANTHROPIC] = {RISK_NONE, NULL, anthropic_routes, no_models},
    [P_REPLICATE] = {RISK_NONE, NULL, replicate_routes, no_models},
    [P_OPENROUTER] = {RISK_NONE, NULL, openrouter_routes, no_models},
    [P_DEEPSEEK] = {RISK_ALWAYS, "deepseek_first_party", deepseek_routes, no_models},
    [P_FIREWORKS] = {RISK_NONE, NULL, fireworks_routes, fireworks_deny_models},
    [P_FAL] = {RISK_NONE, NULL, fal_routes, no_models},
};

/* ---- config ----------------------------------------------------------------------------------- */

enum { UID_HASH, UID_DROP, UID_KEEP };

typedef struct st_globs_t {
    char **v;
    size_t n;
    int set; /* configured (else the default list applies) */
} globs_t;

typedef struct st_prov_conf_t {
    int mode_set;
    pol_notrain_mode_t mode;
    int no_storage;
    globs_t deny_models, allow_models;
    int drop_metadata;
    int include_encrypted_reasoning;
    int user_id;
    int cache_control_refuse;
    long long media_expiration_seconds;
} prov_conf_t;

struct st_pol_notrain_t {
    pol_notrain_mode_t mode;
    prov_conf_t conf[NPROV];
    unsigned char key[32];
    int has_key;
};

enum { T_MODE, T_BOOL, T_GLOBS, T_USER_ID, T_CACHE_CONTROL, T_SECONDS };

/* Per-provider override keys: one row each (STYLE.md rule 17). */
static const struct {
    const char *key;
    unsigned providers;
    int type;
    size_t off;
} override_keys[] = {
    {"mode", P_ALL, T_MODE, offsetof(prov_conf_t, mode)},
    {"no_storage", P_ALL, T_BOOL, offsetof(prov_conf_t, no_storage)},
    {"deny_models", P_ALL, T_GLOBS, offsetof(prov_conf_t, deny_models)},
    {"allow_models", P_ALL, T_GLOBS, offsetof(prov_conf_t, allow_models)},
    {"drop_metadata", PB(P_OPENAI) | PB(P_OPENROUTER), T_BOOL, offsetof(prov_conf_t, drop_metadata)},
    {"include_encrypted_reasoning", PB(P_OPENAI), T_BOOL, offsetof(prov_conf_t, include_encrypted_reasoning)},
    {"user_id", PB(P_ANTHROPIC), T_USER_ID, offsetof(prov_conf_t, user_id)},
    {"cache_control", PB(P_ANTHROPIC), T_CACHE_CONTROL, offsetof(prov_conf_t, cache_control_refuse)},
    {"media_expiration_seconds", PB(P_FAL), T_SECONDS, offsetof(prov_conf_t, media_expiration_seconds)},
};
#define NKEYS (sizeof(override_keys) / sizeof(override_keys[0]))

static const char *const mode_names[] = {"deny_unless_consent", "deny", "allow"};

static int prov_index(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < NPROV; i++)
        if (strcmp(name, prov_names[i]) == 0)
            return i;
    return -1;
}

static int parse_mode(const json_t *v, pol_notrain_mode_t *m)
{
    if (!json_is_string(v))
        return -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(json_string_value(v), mode_names[i]) == 0) {
            *m = (pol_notrain_mode_t)i;
            return 0;
        }
    return -1;
}

static void globs_free(globs_t *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i]);
    free(g->v);
    g->v = NULL;
    g->n = 0;
}

static int parse_globs(const json_t *v, globs_t *g)
{
    if (!json_is_array(v))
        return -1;
    size_t n = json_array_size(v);
    for (size_t i = 0; i < n; i++)
        if (!json_is_string(json_array_get(v, i)) || json_string_length(json_array_get(v, i)) == 0)
            return -1;
    globs_free(g);
    g->set = 1;
    if (n == 0)
        return 0;
    if ((g->v = calloc(n, sizeof(*g->v))) == NULL)
        return -2;
    for (size_t i = 0; i < n; i++) {
        if ((g->v[i] = strdup(json_string_value(json_array_get(v, i)))) == NULL)
            return -2;
        g->n = i + 1;
    }
    return 0;
}

static int parse_provider(pol_notrain_t *nt, int p, const json_t *obj, char *err, size_t errlen)
{
    const char *name = prov_names[p];
    if (!json_is_object(obj)) {
        snprintf(err, errlen, "training.providers.%s: expected an object", name);
        return -1;
    }
    prov_conf_t *c = &nt->conf[p];
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        size_t i;
        for (i = 0; i < NKEYS; i++)
            if (strcmp(k, override_keys[i].key) == 0 && (override_keys[i].providers & PB(p)) != 0)
                break;
        if (i == NKEYS) {
            char list[256] = "";
            size_t used = 0;
            for (size_t j = 0; j < NKEYS; j++)
                if ((override_keys[j].providers & PB(p)) != 0 && used < sizeof(list)) {
                    int w = snprintf(list + used, sizeof(list) - used, "%s%s", used != 0 ? ", " : "", override_keys[j].key);
                    if (w > 0)
                        used += (size_t)w;
                }
            snprintf(err, errlen, "training.providers.%s.%s: unknown key (expected %s)", name, k, list);
            return -1;
        }
        void *field = (char *)c + override_keys[i].off;
        switch (override_keys[i].type) {
        case T_MODE:
            if (parse_mode(v, field) != 0) {
                snprintf(err, errlen, "training.providers.%s.mode: expected \"deny_unless_consent\", \"deny\" or \"allow\"", name);
                return -1;
            }
            c->mode_set = 1;
            break;
        case T_BOOL:
            if (!json_is_boolean(v)) {
                snprintf(err, errlen, "training.providers.%s.%s: expected true or false", name, k);
                return -1;
            }
            *(int *)field = json_is_true(v);
            break;
        case T_GLOBS: {
            int rc = parse_globs(v, field);
            if (rc == -1) {
                snprintf(err, errlen, "training.providers.%s.%s: expected an array of non-empty model globs", name, k);
                return -1;
            }
            if (rc != 0) {
                snprintf(err, errlen, "training.providers.%s.%s: out of memory", name, k);
                return -1;
            }
            break;
        }
        case T_USER_ID: {
            const char *s = json_is_string(v) ? json_string_value(v) : "";
            if (strcmp(s, "hash") == 0)
                c->user_id = UID_HASH;
            else if (strcmp(s, "drop") == 0)
                c->user_id = UID_DROP;
            else if (strcmp(s, "keep") == 0)
                c->user_id = UID_KEEP;
            else {
                snprintf(err, errlen, "training.providers.%s.user_id: expected \"hash\", \"drop\" or \"keep\"", name);
                return -1;
            }
            break;
        }
        case T_CACHE_CONTROL: {
            const char *s = json_is_string(v) ? json_string_value(v) : "";
            if (strcmp(s, "keep") == 0 || strcmp(s, "refuse") == 0)
                c->cache_control_refuse = strcmp(s, "refuse") == 0;
            else {
                snprintf(err, errlen, "training.providers.%s.cache_control: expected \"keep\" or \"refuse\"", name);
                return -1;
            }
            break;
        }
        case T_SECONDS:
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 31536000) {
                snprintf(err, errlen, "training.providers.%s.%s: expected an integer from 1 to 31536000", name, k);
                return -1;
            }
            *(long long *)field = (long long)json_integer_value(v);
            break;
        }
    }
    return 0;
}

pol_notrain_t *pol_notrain_create(const json_t *training, const unsigned char *hash_key, char *err, size_t errlen)
{
    pol_notrain_t *nt = calloc(1, sizeof(*nt));
    if (nt == NULL) {
        snprintf(err, errlen, "training: out of memory");
        return NULL;
    }
    nt->mode = POL_NOTRAIN_DENY_UNLESS_CONSENT;
    if (hash_key != NULL) {
        memcpy(nt->key, hash_key, sizeof(nt->key));
        nt->has_key = 1;
    }
    for (int p = 0; p < NPROV; p++) {
        prov_conf_t *c = &nt->conf[p];
        c->no_storage = 1;
        c->drop_metadata = 1;
        c->user_id = nt->has_key ? UID_HASH : UID_DROP;
        c->media_expiration_seconds = 3600;
    }
    if (training == NULL || json_is_null(training))
        return nt;
    if (!json_is_object(training)) {
        snprintf(err, errlen, "training: expected an object");
        goto fail;
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)training, k, v)
    {
        if (strcmp(k, "mode") == 0) {
            if (parse_mode(v, &nt->mode) != 0) {
                snprintf(err, errlen, "training.mode: expected \"deny_unless_consent\", \"deny\" or \"allow\"");
                goto fail;
            }
        } else if (strcmp(k, "providers") == 0) {
            if (!json_is_object(v)) {
                snprintf(err, errlen, "training.providers: expected an object keyed by provider name");
                goto fail;
            }
            const char *pk;
            json_t *pv;
            json_object_foreach(v, pk, pv)
            {
                int p = prov_index(pk);
                if (p < 0) {
                    snprintf(err, errlen,
                             "training.providers.%s: unknown provider (expected openai, gemini, anthropic, replicate, "
                             "openrouter, deepseek, fireworks or fal)",
                             pk);
                    goto fail;
                }
                if (parse_provider(nt, p, pv, err, errlen) != 0)
                    goto fail;
            }
        } else {
            snprintf(err, errlen, "training.%s: unknown key (expected mode, providers)", k);
            goto fail;
        }
    }
    if (nt->conf[P_ANTHROPIC].user_id == UID_HASH && !nt->has_key) {
        snprintf(err, errlen,
                 "training.providers.anthropic.user_id: \"hash\" needs a hash key (pii.hash_key_hex or master_key_file)");
        goto fail;
    }
    return nt;
fail:
    pol_notrain_free(nt);
    return NULL;
}

void pol_notrain_free(pol_notrain_t *nt)
{
    if (nt == NULL)
        return;
    for (int p = 0; p < NPROV; p++) {
        globs_free(&nt->conf[p].deny_models);
        globs_free(&nt->conf[p].allow_models);
    }
    sodium_memzero(nt->key, sizeof(nt->key));
    free(nt);
}

pol_notrain_mode_t pol_notrain_mode(const pol_notrain_t *nt, const char *provider)
{
    int p = prov_index(provider);
    if (p >= 0 && nt->conf[p].mode_set)
        return nt->conf[p].mode;
    return nt->mode;
}

/* ---- rules ------------------------------------------------------------------------------------ */

enum {
    C_MODEL = POL_NOTRAIN_RULE_BASE,
    C_PREV,       /* previous_response_id */
    C_CONV,       /* conversation */
    C_BG,         /* background */
    C_ITEM_TYPE,  /* input.*.type */
    C_SRC_TYPE,   /* Anthropic content block source.type */
    C_CACHE_CTRL, /* Anthropic cache_control anywhere */
    S_USER_ID     /* Anthropic metadata.user_id (SCAN: hashed) */
};

size_t pol_notrain_rules(const pol_notrain_t *nt, const char *provider, pol_json_rule_t *out, size_t cap)
{
    int p = prov_index(provider);
    if (p < 0)
        return 0;
    const prov_conf_t *c = &nt->conf[p];
    pol_json_rule_t r[POL_NOTRAIN_MAX_RULES];
    size_t n = 0;
#define ADD(pat, fl, rid)                                                                                                          \
    do {                                                                                                                           \
        r[n].pattern = (pat);                                                                                                      \
        r[n].flags = (fl);                                                                                                         \
        r[n].id = (rid);                                                                                                           \
        n++;                                                                                                                       \
    } while (0)
    int models = (c->deny_models.set ? c->deny_models.n != 0 : postures[p].default_deny_models[0] != NULL) || c->allow_models.set;
    if (models)
        ADD("model", POL_JSON_CAPTURE, C_MODEL);
    if (c->no_storage) {
        if (p == P_OPENAI || p == P_FIREWORKS)
            ADD("previous_response_id", POL_JSON_CAPTURE, C_PREV);
        if (p == P_OPENAI) {
            ADD("conversation", POL_JSON_CAPTURE, C_CONV);
            ADD("background", POL_JSON_CAPTURE, C_BG);
            ADD("input.*.type", POL_JSON_CAPTURE, C_ITEM_TYPE);
        }
        if (p == P_ANTHROPIC) {
            ADD("messages.*.content.*.source.type", POL_JSON_CAPTURE, C_SRC_TYPE);
            ADD("messages.*.content.*.content.*.source.type", POL_JSON_CAPTURE, C_SRC_TYPE);
            if (c->cache_control_refuse)
                ADD("**.cache_control", POL_JSON_CAPTURE, C_CACHE_CTRL);
            if (c->user_id == UID_HASH)
                ADD("metadata.user_id", POL_JSON_SCAN, S_USER_ID);
        }
    }
#undef ADD
    if (n > cap)
        n = cap;
    memcpy(out, r, n * sizeof(*r));
    return n;
}

/* ---- decision --------------------------------------------------------------------------------- */

/* What was forced or seen: priv_flags bits, each with its record label. */
enum {
    F_STORE_FALSE,
    F_METADATA,
    F_INCLUDE_ENC,
    F_OR_DC,
    F_OR_ZDR,
    F_OR_TRACE,
    F_WEBHOOK,
    F_CACHED,
    F_UID_HASH,
    F_UID_DROP,
    F_FAL_STORE_IO,
    F_FAL_LIFECYCLE,
    F_FAL_WEBHOOK,
    NFLAGS,
    /* refusal triggers seen in the body (not part of the record) */
    X_PREV = 16,
    X_CONV,
    X_BG,
    X_ITEM_REF,
    X_FILE_SRC,
    X_CACHE_CTRL,
};
static const char *const flag_labels[NFLAGS] = {"store=false",
                                                "metadata dropped",
                                                "include+=reasoning.encrypted_content",
                                                "provider.data_collection=deny",
                                                "provider.zdr=true",
                                                "trace dropped",
                                                "webhook dropped",
                                                "cachedContent dropped",
                                                "metadata.user_id hashed",
                                                "metadata.user_id dropped",
                                                "X-Fal-Store-IO=0",
                                                "X-Fal-Object-Lifecycle-Preference set",
                                                "fal_webhook dropped"};
#define FB(f) (1u << (f))

static void add_edit(pol_notrain_decision_t *d, const char *path, const char *value, int only_if_absent)
{
    if (d->nedits < POL_NOTRAIN_MAX_EDITS) {
        d->edits[d->nedits].path = path;
        d->edits[d->nedits].value_json = value;
        d->edits[d->nedits].only_if_absent = only_if_absent;
        d->nedits++;
    }
}

static void set_detail(pol_notrain_decision_t *d, const char *s, size_t len)
{
    if (len >= sizeof(d->priv_detail))
        len = sizeof(d->priv_detail) - 1;
    memcpy(d->priv_detail, s, len);
    d->priv_detail[len] = '\0';
}

static int refuse(pol_notrain_decision_t *d, const char *reason)
{
    d->verdict = POL_NOTRAIN_REFUSED;
    d->reason = reason;
    d->nedits = d->nheaders = d->ndrop_query = 0;
    return d->verdict;
}

/* A training risk: refused, or lifted by mode allow / consent. @return the verdict. */
static int risk(pol_notrain_decision_t *d, const char *reason)
{
    pol_notrain_mode_t m = pol_notrain_mode(d->priv_nt, d->priv_provider);
    if (m == POL_NOTRAIN_ALLOW)
        return d->verdict;
    if (m == POL_NOTRAIN_DENY_UNLESS_CONSENT && d->priv_consent) {
        d->priv_consent_used = 1;
        if (d->reason == NULL)
            d->reason = reason; /* kept for the record "consent:<reason>"; verdict stays ALLOWED */
        return d->verdict;
    }
    return refuse(d, reason);
}

int pol_notrain_begin(const pol_notrain_t *nt, const pol_notrain_input_t *in, pol_notrain_decision_t *d)
{
    memset(d, 0, sizeof(*d));
    d->verdict = POL_NOTRAIN_ALLOWED;
    d->priv_nt = nt;
    d->priv_provider = in->provider;
    d->priv_consent = in->consent != 0;
    int p = prov_index(in->provider);
    if (p < 0)
        return d->verdict;
    const posture_t *post = &postures[p];
    const prov_conf_t *c = &nt->conf[p];
    d->priv_posture = post;

    /* route: strip '/', a "v1/" or "v1beta/" version (DeepSeek's optional /v1, full Gemini paths) and the query */
    const char *r = in->route != NULL ? in->route : "";
    size_t rl = in->route != NULL ? in->route_len : 0;
    const char *q = memchr(r, '?', rl);
    if (q != NULL)
        rl = (size_t)(q - r);
    while (rl > 0 && *r == '/')
        r++, rl--;
    if (rl >= 3 && memcmp(r, "v1/", 3) == 0)
        r += 3, rl -= 3;
    else if (rl >= 7 && memcmp(r, "v1beta/", 7) == 0)
        r += 7, rl -= 7;
    char route[512];
    if (rl >= sizeof(route))
        rl = sizeof(route) - 1; /* long routes are matched on their first 511 bytes */
    memcpy(route, r, rl);
    route[rl] = '\0';
    for (const route_rule_t *rr = post->routes; rr->glob != NULL; rr++)
        if (fnmatch(rr->glob, route, FNM_CASEFOLD) == 0) {
            d->priv_route_flags = rr->actions;
            if ((rr->actions & R_REFUSE) != 0) {
                set_detail(d, route, rl);
                if (c->no_storage)
                    return refuse(d, rr->reason);
                d->priv_route_flags = 0;
            }
            break;
        }

    /* Gemini names the model in the path: models/NAME:method */
    if ((d->priv_route_flags & R_MODEL_IN_PATH) != 0) {
        const char *name = route + 7, *colon = strchr(name, ':');
        size_t nl = colon != NULL ? (size_t)(colon - name) : strlen(name);
        if (nl < sizeof(d->priv_model)) {
            memcpy(d->priv_model, name, nl);
            d->priv_model[nl] = '\0';
            d->priv_model_state = 1;
        }
    }

    /* provider-level training risk */
    if (post->risk == RISK_ALWAYS ||
        (post->risk == RISK_UNLESS_PAID_TIER && (in->key_tier == NULL || strcmp(in->key_tier, "paid") != 0))) {
        if (risk(d, post->risk_reason) == POL_NOTRAIN_REFUSED)
            return d->verdict;
    }

    if (!c->no_storage)
        return d->verdict;
    unsigned rf = d->priv_route_flags;
    if ((rf & R_STORE_FALSE) != 0) {
        add_edit(d, "store", "false", 0);
        d->priv_flags |= FB(F_STORE_FALSE);
    }
    if ((rf & R_DROP_METADATA) != 0 && c->drop_metadata) {
        add_edit(d, "metadata", NULL, 0);
        d->priv_flags |= FB(F_METADATA);
    }
    if ((rf & R_INCLUDE_ENC) != 0 && c->include_encrypted_reasoning) {
        add_edit(d, "include", "[\"reasoning.encrypted_content\"]", 1);
        d->priv_flags |= FB(F_INCLUDE_ENC);
    }
    if ((rf & R_OR_PROVIDER) != 0) {
        add_edit(d, "provider.data_collection", "\"deny\"", 0);
        add_edit(d, "provider.zdr", "true", 0);
        add_edit(d, "trace", NULL, 0);
        d->priv_flags |= FB(F_OR_DC) | FB(F_OR_ZDR) | FB(F_OR_TRACE);
        if (c->drop_metadata) {
            add_edit(d, "metadata", NULL, 0);
            d->priv_flags |= FB(F_METADATA);
        }
    }
    if ((rf & R_NO_WEBHOOK) != 0) {
        add_edit(d, "webhook", NULL, 0);
        add_edit(d, "webhook_events_filter", NULL, 0);
        d->priv_flags |= FB(F_WEBHOOK);
    }
    if ((rf & R_NO_CACHED) != 0) {
        add_edit(d, "cachedContent", NULL, 0);
        add_edit(d, "cached_content", NULL, 0);
        d->priv_flags |= FB(F_CACHED);
    }
    if ((rf & R_ANTHROPIC_MSG) != 0 && c->user_id == UID_DROP) {
        add_edit(d, "metadata.user_id", NULL, 0);
        d->priv_flags |= FB(F_UID_DROP);
    }
    if ((rf & R_FAL_HEADERS) != 0) {
        snprintf(d->priv_lifecycle, sizeof(d->priv_lifecycle), "{\"expiration_duration_seconds\":%lld}",
                 c->media_expiration_seconds);
        d->headers[d->nheaders++] = (pol_notrain_header_t){"X-Fal-Store-IO", "0"};
        d->headers[d->nheaders++] = (pol_notrain_header_t){"X-Fal-Object-Lifecycle-Preference", d->priv_lifecycle};
        d->drop_query[d->ndrop_query++] = "fal_webhook";
        d->priv_flags |= FB(F_FAL_STORE_IO) | FB(F_FAL_LIFECYCLE) | FB(F_FAL_WEBHOOK);
    }
    return d->verdict;
}

static int raw_is_string(const char *raw, size_t len, const char *s)
{
    size_t n = strlen(s);
    return len == n + 2 && raw[0] == '"' && memcmp(raw + 1, s, n) == 0 && raw[len - 1] == '"';
}

void pol_notrain_on_capture(pol_notrain_decision_t *d, int rule_id, const char *raw, size_t len, int json_type)
{
    if (d->verdict != POL_NOTRAIN_ALLOWED)
        return;
    switch (rule_id) {
    case C_MODEL:
        if (json_type == POL_JSON_T_STRING && len >= 2 && len - 2 < sizeof(d->priv_model) && memchr(raw, '\\', len) == NULL) {
            memcpy(d->priv_model, raw + 1, len - 2);
            d->priv_model[len - 2] = '\0';
            d->priv_model_state = 1;
        } else {
            d->priv_model_state = 2;
        }
        break;
    case C_PREV:
        if (json_type != POL_JSON_T_NULL)
            d->priv_flags |= FB(X_PREV);
        break;
    case C_CONV:
        if (json_type != POL_JSON_T_NULL)
            d->priv_flags |= FB(X_CONV);
        break;
    case C_BG:
        if (json_type == POL_JSON_T_TRUE)
            d->priv_flags |= FB(X_BG);
        break;
    case C_ITEM_TYPE:
        if (raw_is_string(raw, len, "item_reference"))
            d->priv_flags |= FB(X_ITEM_REF);
        break;
    case C_SRC_TYPE:
        if (raw_is_string(raw, len, "file"))
            d->priv_flags |= FB(X_FILE_SRC);
        break;
    case C_CACHE_CTRL:
        if (json_type != POL_JSON_T_NULL)
            d->priv_flags |= FB(X_CACHE_CTRL);
        break;
    default:
        break;
    }
}

int pol_notrain_on_string(pol_notrain_decision_t *d, int rule_id, const char *s, size_t len, pol_buf_t *replacement)
{
    if (rule_id != S_USER_ID || d->priv_nt == NULL || !d->priv_nt->has_key || d->verdict != POL_NOTRAIN_ALLOWED ||
        (d->priv_route_flags & R_ANTHROPIC_MSG) == 0)
        return 0;
    unsigned char h[16];
    char hex[2 * sizeof(h) + 1];
    crypto_generichash(h, sizeof(h), (const unsigned char *)s, len, d->priv_nt->key, sizeof(d->priv_nt->key));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    d->priv_flags |= FB(F_UID_HASH);
    if (pol_buf_append(replacement, "u_", 2) != 0 || pol_buf_append(replacement, hex, 2 * sizeof(h)) != 0)
        return -1;
    return 1;
}

static int globs_match(const globs_t *g, const char *const *defaults, const char *model)
{
    if (g->set) {
        for (size_t i = 0; i < g->n; i++)
            if (fnmatch(g->v[i], model, 0) == 0)
                return 1;
        return 0;
    }
    for (size_t i = 0; defaults != NULL && defaults[i] != NULL; i++)
        if (fnmatch(defaults[i], model, 0) == 0)
            return 1;
    return 0;
}

int pol_notrain_end(pol_notrain_decision_t *d)
{
    if (d->verdict != POL_NOTRAIN_ALLOWED || d->priv_posture == NULL)
        return d->verdict;
    int p = prov_index(d->priv_provider);
    const prov_conf_t *c = &d->priv_nt->conf[p];
    unsigned f = d->priv_flags;
    if (c->no_storage) {
        if ((d->priv_route_flags & R_STATEFUL) != 0) {
            if ((f & FB(X_PREV)) != 0)
                return refuse(d, p == P_OPENAI ? "openai_previous_response_id" : "fireworks_previous_response_id");
            if ((f & FB(X_CONV)) != 0)
                return refuse(d, "openai_conversation");
            if ((f & FB(X_BG)) != 0)
                return refuse(d, "openai_background");
            if ((f & FB(X_ITEM_REF)) != 0)
                return refuse(d, "openai_item_reference");
        }
        if ((d->priv_route_flags & R_ANTHROPIC_MSG) != 0) {
            if ((f & FB(X_FILE_SRC)) != 0)
                return refuse(d, "anthropic_file_source");
            if ((f & FB(X_CACHE_CTRL)) != 0)
                return refuse(d, "anthropic_cache_control");
        }
    }
    /* model lists: a denied model is a training/logging risk like an unpaid tier */
    const posture_t *post = d->priv_posture;
    if (d->priv_model_state != 0) {
        const char *m = d->priv_model_state == 1 ? d->priv_model : "";
        int has_deny = c->deny_models.set ? c->deny_models.n != 0 : post->default_deny_models[0] != NULL;
        /* an unreadable model id (escapes, > 127 bytes, not a string) cannot be matched: fail closed when lists exist */
        int denied = d->priv_model_state == 2 ? (has_deny || c->allow_models.set)
                                              : (globs_match(&c->deny_models, post->default_deny_models, m) ||
                                                 (c->allow_models.set && !globs_match(&c->allow_models, NULL, m)));
        if (denied) {
            set_detail(d, m, strlen(m));
            return risk(d, "model_denied");
        }
    }
    return d->verdict;
}

static int apply_on_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, pol_buf_t *replacement)
{
    (void)path;
    return pol_notrain_on_string(ctx, rule_id, s, len, replacement);
}

static void apply_on_capture(void *ctx, int rule_id, const char *raw, size_t len, int json_type)
{
    pol_notrain_on_capture(ctx, rule_id, raw, len, json_type);
}

int pol_notrain_apply(const pol_notrain_t *nt, const pol_notrain_input_t *in, const char *body, size_t len,
                      pol_notrain_decision_t *d, pol_buf_t *out, int *changed)
{
    *changed = 0;
    if (pol_notrain_begin(nt, in, d) != POL_NOTRAIN_ALLOWED)
        return d->verdict;
    if (body != NULL && len != 0) {
        pol_json_rule_t rules[POL_NOTRAIN_MAX_RULES];
        size_t n = pol_notrain_rules(nt, in->provider, rules, POL_NOTRAIN_MAX_RULES);
        pol_json_paths_t *paths = NULL;
        if (n != 0) {
            char err[128];
            if ((paths = pol_json_paths_compile(rules, n, err, sizeof(err))) == NULL)
                return POL_JSON_E_NOMEM;
        }
        pol_json_visitor_t v = {apply_on_string, apply_on_capture, d, NULL, 0};
        int rc = pol_json_rewrite(body, len, paths, d->edits, d->nedits, &v, out, changed, NULL, NULL);
        pol_json_paths_free(paths);
        if (rc != 0) {
            *changed = 0;
            return rc;
        }
    }
    if (pol_notrain_end(d) != POL_NOTRAIN_ALLOWED)
        *changed = 0;
    return d->verdict;
}

int pol_notrain_record(const pol_notrain_decision_t *d, pol_buf_t *out)
{
    if (d->verdict == POL_NOTRAIN_REFUSED)
        return pol_buf_appendf(out, "refused:%s", d->reason);
    if (d->priv_posture == NULL && d->priv_provider != NULL && prov_index(d->priv_provider) < 0)
        return pol_buf_append(out, "allowed:unknown_provider", 24);
    int any = 0;
    if (d->priv_consent_used) {
        if (pol_buf_appendf(out, "consent:%s", d->reason) != 0)
            return -1;
        any = 1;
    }
    int first = 1;
    for (int i = 0; i < NFLAGS; i++)
        if ((d->priv_flags & FB(i)) != 0) {
            if (pol_buf_appendf(out, "%s%s", first ? (any ? ";flags:" : "flags:") : ",", flag_labels[i]) != 0)
                return -1;
            first = 0;
            any = 1;
        }
    return any ? 0 : pol_buf_append(out, "allowed", 7);
}

int pol_notrain_message(const pol_notrain_decision_t *d, pol_buf_t *out)
{
    if (d->verdict != POL_NOTRAIN_REFUSED)
        return 0;
    const char *p = d->priv_provider, *r = d->reason;
    pol_notrain_mode_t m = pol_notrain_mode(d->priv_nt, p);
    const char *consent_fix = m == POL_NOTRAIN_DENY
                                  ? " (training.mode is \"deny\" for this provider, so user consent does not lift this)"
                                  : ", or give the user's consent with aigw user consent USER on";
    int rc;
    if (strcmp(r, "gemini_unpaid_tier") == 0)
        rc = pol_buf_appendf(out,
                             "gemini: the configured key is not a paid-tier key (providers.gemini.tier), and Gemini's unpaid "
                             "tier may train on prompts; set tier to \"paid\" for a key from a billing-enabled project%s",
                             consent_fix);
    else if (strcmp(r, "deepseek_first_party") == 0)
        rc = pol_buf_appendf(out,
                             "deepseek: DeepSeek's first-party API may use prompts for model training and documents no "
                             "opt-out; use DeepSeek models through a zero-retention host (OpenRouter or Fireworks)%s",
                             consent_fix);
    else if (strcmp(r, "model_denied") == 0)
        rc = pol_buf_appendf(out,
                             "%s: model \"%s\" is not allowed by the no-training policy (training.providers.%s.deny_models / "
                             "allow_models%s); use another model%s",
                             p, d->priv_detail, p,
                             strcmp(p, "fireworks") == 0 ? "; proprietary Fireworks models may log prompts" : "", consent_fix);
    else if (strcmp(r, "replicate_file_upload") == 0)
        rc =
            pol_buf_appendf(out, "replicate: /v1/files uploads persist on Replicate until deleted; pass files inline as data: URIs "
                                 "instead (replicate JS SDK: fileEncodingStrategy: \"data-uri\")");
    else if (strcmp(r, "fal_storage_upload") == 0)
        rc = pol_buf_appendf(out, "fal: uploads to fal storage become CDN files kept under fal's retention; pass files inline as "
                                  "data: URIs in the model input instead");
    else if (strstr(r, "_storage_route") != NULL) {
        rc = pol_buf_appendf(out,
                             "%s: the route \"%s\" stores content at the provider until it is deleted, and aigw's no-storage "
                             "policy refuses it",
                             p, d->priv_detail);
        if (rc == 0)
            rc = pol_buf_appendf(out, " (training.providers.%s.no_storage)", p);
    } else if (strcmp(r, "openai_previous_response_id") == 0 || strcmp(r, "fireworks_previous_response_id") == 0) {
        rc = pol_buf_appendf(out,
                             "%s: previous_response_id needs a response stored by the provider, and aigw forces store:false; "
                             "send the earlier turns in input instead",
                             p);
        if (rc == 0)
            rc = pol_buf_appendf(out, " (training.providers.%s.no_storage)", p);
    } else if (strcmp(r, "openai_conversation") == 0)
        rc = pol_buf_appendf(out, "openai: conversation keeps the turns in a server-side conversation object, and aigw's "
                                  "no-storage policy refuses it; send the earlier turns in input instead "
                                  "(training.providers.openai.no_storage)");
    else if (strcmp(r, "openai_background") == 0)
        rc = pol_buf_appendf(out, "openai: background:true needs a stored response, and aigw forces store:false; send the request "
                                  "without background (training.providers.openai.no_storage)");
    else if (strcmp(r, "openai_item_reference") == 0)
        rc =
            pol_buf_appendf(out, "openai: item_reference inputs point at items stored by OpenAI, and aigw forces store:false; send "
                                 "the items themselves instead (training.providers.openai.no_storage)");
    else if (strcmp(r, "anthropic_file_source") == 0)
        rc = pol_buf_appendf(out, "anthropic: file sources refer to Files API uploads, which persist until deleted; send the "
                                  "content inline as base64 instead (training.providers.anthropic.no_storage)");
    else if (strcmp(r, "anthropic_cache_control") == 0)
        rc = pol_buf_appendf(out, "anthropic: cache_control keeps prompt prefixes cached at Anthropic for the cache TTL, and "
                                  "training.providers.anthropic.cache_control is \"refuse\"; remove cache_control from the request "
                                  "or set that key to \"keep\"");
    else
        rc = pol_buf_appendf(out, "%s: refused by the no-training policy (%s)", p, r);
    return rc;
}
