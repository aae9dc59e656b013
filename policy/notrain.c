/*
 * No-training / no-storage decisions (see notrain.h and docs/internals/notrain.md).
 *
 * The generic evaluator of the postures the provider adapters declare (pol_notrain_posture_t in
 * providers/<name>.c): whether the provider may train regardless of flags (DeepSeek first-party;
 * Gemini unless the key is paid tier), which routes need provider-side storage and are refused,
 * which routes get which rewrites, and which body fields are captured to refuse stateful features.
 * The config "training" object only toggles these through the common keys and the options each
 * posture declares (type, default, bounds), so parsing, defaults and error messages come from one
 * place. Nothing here names a provider.
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

/* ---- config ----------------------------------------------------------------------------------- */

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
    long long opt[POL_NOTRAIN_MAX_OPTIONS]; /* the posture's options, by index */
    int opt_set[POL_NOTRAIN_MAX_OPTIONS];
} prov_conf_t;

struct st_pol_notrain_t {
    pol_notrain_mode_t mode;
    const pol_notrain_posture_t **post; /* copy of the caller's array (the postures are static data) */
    size_t npost;
    prov_conf_t *conf; /* npost rows */
    unsigned char key[32];
    int has_key;
};

static const char *const mode_names[] = {"deny_unless_consent", "deny", "allow"};

/* The keys every provider accepts, before its own options (the order of the "expected ..." list). */
static const char *const common_keys[] = {"mode", "no_storage", "deny_models", "allow_models"};
#define NCOMMON (sizeof(common_keys) / sizeof(common_keys[0]))

/* Lengths of a posture's NULL-terminated lists (NULL = empty). */
static size_t count_options(const pol_notrain_option_t *v)
{
    size_t n = 0;
    while (v != NULL && v[n].key != NULL)
        n++;
    return n;
}

static size_t count_forces(const pol_notrain_force_t *v)
{
    size_t n = 0;
    while (v != NULL && v[n].label != NULL)
        n++;
    return n;
}

static size_t count_captures(const pol_notrain_capture_t *v)
{
    size_t n = 0;
    while (v != NULL && v[n].pattern != NULL)
        n++;
    return n;
}

static size_t count_hashes(const pol_notrain_hash_t *v)
{
    size_t n = 0;
    while (v != NULL && v[n].pattern != NULL)
        n++;
    return n;
}

static int prov_index(const pol_notrain_t *nt, const char *name)
{
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < nt->npost; i++)
        if (strcmp(name, nt->post[i]->provider) == 0)
            return (int)i;
    return -1;
}

static int option_index(const pol_notrain_posture_t *post, const char *key)
{
    for (int i = 0; post->options != NULL && post->options[i].key != NULL; i++)
        if (strcmp(post->options[i].key, key) == 0)
            return i;
    return -1;
}

/* Does the posture's condition hold for this provider's config? */
static int when_holds(const pol_notrain_t *nt, int p, const pol_notrain_when_t *w)
{
    if (w->option == NULL)
        return 1;
    int i = option_index(nt->post[p], w->option);
    return i >= 0 && nt->conf[p].opt[i] == w->is;
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

/* @return 0, GW_E_BAD_REQUEST (not an array of non-empty strings) or GW_E_INTERNAL (allocation). */
static int parse_globs(const json_t *v, globs_t *g)
{
    if (!json_is_array(v))
        return GW_E_BAD_REQUEST;
    size_t n = json_array_size(v);
    for (size_t i = 0; i < n; i++)
        if (!json_is_string(json_array_get(v, i)) || json_string_length(json_array_get(v, i)) == 0)
            return GW_E_BAD_REQUEST;
    globs_free(g);
    g->set = 1;
    if (n == 0)
        return 0;
    if ((g->v = calloc(n, sizeof(*g->v))) == NULL)
        return GW_E_INTERNAL;
    for (size_t i = 0; i < n; i++) {
        if ((g->v[i] = strdup(json_string_value(json_array_get(v, i)))) == NULL)
            return GW_E_INTERNAL;
        g->n = i + 1;
    }
    return 0;
}

/* "\"a\", \"b\" or \"c\"" from a NULL-terminated list (the enum option's expected values). */
static void quoted_list(const char *const *v, char *out, size_t cap)
{
    size_t n = 0, used = 0;
    while (v[n] != NULL)
        n++;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++) {
        int w = snprintf(out + used, cap - used, "%s\"%s\"", i == 0 ? "" : i + 1 == n ? " or " : ", ", v[i]);
        if (w > 0)
            used += (size_t)w;
    }
}

static int parse_option(const pol_notrain_option_t *o, const char *name, const json_t *v, long long *out, char *err, size_t errlen)
{
    switch (o->type) {
    case POL_NOTRAIN_OPT_BOOL:
        if (!json_is_boolean(v)) {
            snprintf(err, errlen, "training.providers.%s.%s: expected true or false", name, o->key);
            return -1;
        }
        *out = json_is_true(v);
        return 0;
    case POL_NOTRAIN_OPT_ENUM: {
        const char *s = json_is_string(v) ? json_string_value(v) : "";
        for (long long i = 0; o->values[i] != NULL; i++)
            if (strcmp(s, o->values[i]) == 0) {
                *out = i;
                return 0;
            }
        char list[160];
        quoted_list(o->values, list, sizeof(list));
        snprintf(err, errlen, "training.providers.%s.%s: expected %s", name, o->key, list);
        return -1;
    }
    case POL_NOTRAIN_OPT_INT:
        if (!json_is_integer(v) || json_integer_value(v) < o->min || json_integer_value(v) > o->max) {
            snprintf(err, errlen, "training.providers.%s.%s: expected an integer from %lld to %lld", name, o->key, o->min, o->max);
            return -1;
        }
        *out = (long long)json_integer_value(v);
        return 0;
    }
    snprintf(err, errlen, "training.providers.%s.%s: unsupported option type", name, o->key);
    return -1;
}

static int parse_provider(pol_notrain_t *nt, int p, const json_t *obj, char *err, size_t errlen)
{
    const pol_notrain_posture_t *post = nt->post[p];
    const char *name = post->provider;
    if (!json_is_object(obj)) {
        snprintf(err, errlen, "training.providers.%s: expected an object", name);
        return -1;
    }
    prov_conf_t *c = &nt->conf[p];
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        if (strcmp(k, "mode") == 0) {
            if (parse_mode(v, &c->mode) != 0) {
                snprintf(err, errlen, "training.providers.%s.mode: expected \"deny_unless_consent\", \"deny\" or \"allow\"", name);
                return -1;
            }
            c->mode_set = 1;
        } else if (strcmp(k, "no_storage") == 0) {
            if (!json_is_boolean(v)) {
                snprintf(err, errlen, "training.providers.%s.%s: expected true or false", name, k);
                return -1;
            }
            c->no_storage = json_is_true(v);
        } else if (strcmp(k, "deny_models") == 0 || strcmp(k, "allow_models") == 0) {
            int rc = parse_globs(v, strcmp(k, "deny_models") == 0 ? &c->deny_models : &c->allow_models);
            if (rc == GW_E_BAD_REQUEST) {
                snprintf(err, errlen, "training.providers.%s.%s: expected an array of non-empty model globs", name, k);
                return -1;
            }
            if (rc != 0) {
                snprintf(err, errlen, "training.providers.%s.%s: out of memory", name, k);
                return -1;
            }
        } else {
            int i = option_index(post, k);
            if (i < 0) {
                char list[256] = "";
                size_t used = 0, nopt = count_options(post->options);
                for (size_t j = 0; j < NCOMMON + nopt && used < sizeof(list); j++) {
                    int w = snprintf(list + used, sizeof(list) - used, "%s%s", used != 0 ? ", " : "",
                                     j < NCOMMON ? common_keys[j] : post->options[j - NCOMMON].key);
                    if (w > 0)
                        used += (size_t)w;
                }
                snprintf(err, errlen, "training.providers.%s.%s: unknown key (expected %s)", name, k, list);
                return -1;
            }
            if (parse_option(&post->options[i], name, v, &c->opt[i], err, errlen) != 0)
                return -1;
            c->opt_set[i] = 1;
        }
    }
    return 0;
}

/* A posture is static data; check what the evaluator relies on once, at start. */
static int posture_check(const pol_notrain_posture_t *post, char *err, size_t errlen)
{
    const char *what = NULL;
    if (post == NULL || post->provider == NULL)
        what = "no provider name";
    else if (count_options(post->options) > POL_NOTRAIN_MAX_OPTIONS)
        what = "too many options";
    else if (count_captures(post->captures) > POL_NOTRAIN_MAX_CAPTURES)
        what = "too many captures";
    else if (count_hashes(post->hashes) > POL_NOTRAIN_MAX_HASHES)
        what = "too many hashes";
    else if (count_forces(post->forces) > POL_NOTRAIN_MAX_FORCES)
        what = "too many forces";
    else {
        for (size_t i = 0; what == NULL && post->forces != NULL && post->forces[i].label != NULL; i++)
            if (post->forces[i].when.option != NULL && option_index(post, post->forces[i].when.option) < 0)
                what = "a force names an unknown option";
        for (size_t i = 0; what == NULL && post->captures != NULL && post->captures[i].pattern != NULL; i++)
            if (post->captures[i].when.option != NULL && option_index(post, post->captures[i].when.option) < 0)
                what = "a capture names an unknown option";
        for (size_t i = 0; what == NULL && post->hashes != NULL && post->hashes[i].pattern != NULL; i++)
            if (post->hashes[i].when.option != NULL && option_index(post, post->hashes[i].when.option) < 0)
                what = "a hash names an unknown option";
    }
    if (what == NULL)
        return 0;
    snprintf(err, errlen, "training: posture %s: %s", post != NULL && post->provider != NULL ? post->provider : "?", what);
    return -1;
}

pol_notrain_t *pol_notrain_create(const json_t *training, const unsigned char *hash_key,
                                  const pol_notrain_posture_t *const *postures, size_t npostures, char *err, size_t errlen)
{
    pol_notrain_t *nt = calloc(1, sizeof(*nt));
    if (nt == NULL || (nt->conf = calloc(npostures ? npostures : 1, sizeof(*nt->conf))) == NULL ||
        (nt->post = calloc(npostures ? npostures : 1, sizeof(*nt->post))) == NULL) {
        if (nt != NULL)
            free(nt->conf);
        free(nt);
        snprintf(err, errlen, "training: out of memory");
        return NULL;
    }
    memcpy(nt->post, postures, npostures * sizeof(*nt->post));
    nt->npost = npostures;
    nt->mode = POL_NOTRAIN_DENY_UNLESS_CONSENT;
    if (hash_key != NULL) {
        memcpy(nt->key, hash_key, sizeof(nt->key));
        nt->has_key = 1;
    }
    for (size_t p = 0; p < npostures; p++) {
        if (posture_check(postures[p], err, errlen) != 0)
            goto fail;
        prov_conf_t *c = &nt->conf[p];
        c->no_storage = 1;
        for (size_t i = 0; postures[p]->options != NULL && postures[p]->options[i].key != NULL; i++) {
            const pol_notrain_option_t *o = &postures[p]->options[i];
            c->opt[i] = o->type == POL_NOTRAIN_OPT_ENUM && o->keyed >= 0 && !nt->has_key ? o->def_unkeyed : o->def;
        }
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
                int p = prov_index(nt, pk);
                if (p < 0) {
                    char list[256] = "";
                    size_t used = 0;
                    for (size_t i = 0; i < npostures && used < sizeof(list); i++) {
                        int w = snprintf(list + used, sizeof(list) - used, "%s%s",
                                         i == 0               ? ""
                                         : i + 1 == npostures ? " or "
                                                              : ", ",
                                         postures[i]->provider);
                        if (w > 0)
                            used += (size_t)w;
                    }
                    snprintf(err, errlen, "training.providers.%s: unknown provider (expected %s)", pk, list);
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
    /* a keyed value configured without a key (e.g. anthropic user_id "hash") */
    for (size_t p = 0; p < npostures && !nt->has_key; p++)
        for (size_t i = 0; postures[p]->options != NULL && postures[p]->options[i].key != NULL; i++) {
            const pol_notrain_option_t *o = &postures[p]->options[i];
            if (o->type == POL_NOTRAIN_OPT_ENUM && o->keyed >= 0 && nt->conf[p].opt_set[i] && nt->conf[p].opt[i] == o->keyed) {
                snprintf(err, errlen, "training.providers.%s.%s: \"%s\" needs a hash key (pii.hash_key_hex or master_key_file)",
                         postures[p]->provider, o->key, o->values[o->keyed]);
                goto fail;
            }
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
    for (size_t p = 0; nt->conf != NULL && p < nt->npost; p++) {
        globs_free(&nt->conf[p].deny_models);
        globs_free(&nt->conf[p].allow_models);
    }
    free(nt->conf);
    free(nt->post);
    sodium_memzero(nt->key, sizeof(nt->key));
    free(nt);
}

pol_notrain_mode_t pol_notrain_mode(const pol_notrain_t *nt, const char *provider)
{
    int p = prov_index(nt, provider);
    if (p >= 0 && nt->conf[p].mode_set)
        return nt->conf[p].mode;
    return nt->mode;
}

/* ---- rules ------------------------------------------------------------------------------------ */

/* Rule ids: the model, the posture's captures (by index), its hashes (by index). */
#define C_MODEL POL_NOTRAIN_RULE_BASE
#define C_CAPTURE (POL_NOTRAIN_RULE_BASE + 0x10)
#define S_HASH (POL_NOTRAIN_RULE_BASE + 0x40)

static int has_model_lists(const prov_conf_t *c, const pol_notrain_posture_t *post)
{
    int deny = c->deny_models.set ? c->deny_models.n != 0 : post->deny_models != NULL && post->deny_models[0] != NULL;
    return deny || c->allow_models.set;
}

size_t pol_notrain_rules(const pol_notrain_t *nt, const char *provider, gw_json_rule_t *out, size_t cap)
{
    int p = prov_index(nt, provider);
    if (p < 0)
        return 0;
    const pol_notrain_posture_t *post = nt->post[p];
    const prov_conf_t *c = &nt->conf[p];
    gw_json_rule_t r[POL_NOTRAIN_MAX_RULES];
    size_t n = 0;
    if (has_model_lists(c, post))
        r[n++] = (gw_json_rule_t){"model", GW_JSON_CAPTURE, C_MODEL};
    if (c->no_storage) {
        for (int i = 0; post->captures != NULL && post->captures[i].pattern != NULL; i++)
            if (when_holds(nt, p, &post->captures[i].when))
                r[n++] = (gw_json_rule_t){post->captures[i].pattern, GW_JSON_CAPTURE, C_CAPTURE + i};
        for (int i = 0; post->hashes != NULL && post->hashes[i].pattern != NULL; i++)
            if (nt->has_key && when_holds(nt, p, &post->hashes[i].when))
                r[n++] = (gw_json_rule_t){post->hashes[i].pattern, GW_JSON_SCAN, S_HASH + i};
    }
    if (n > cap)
        n = cap;
    memcpy(out, r, n * sizeof(*r));
    return n;
}

/* ---- decision --------------------------------------------------------------------------------- */

#define FB(f) (1u << (f))
#define HASH_BIT(i) (1u << (16 + (i)))

static void add_edit(pol_notrain_decision_t *d, const gw_json_edit_t *e)
{
    if (d->nedits < POL_NOTRAIN_MAX_EDITS)
        d->edits[d->nedits++] = *e;
}

static void set_detail(pol_notrain_decision_t *d, const char *s, size_t len)
{
    if (len >= sizeof(d->priv_detail))
        len = sizeof(d->priv_detail) - 1;
    memcpy(d->priv_detail, s, len);
    d->priv_detail[len] = '\0';
}

static int refuse(pol_notrain_decision_t *d, const char *reason, const char *message)
{
    d->verdict = POL_NOTRAIN_REFUSED;
    d->reason = reason;
    d->priv_message = message;
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
    return refuse(d, reason, NULL);
}

static void apply_force(pol_notrain_decision_t *d, const prov_conf_t *c, const pol_notrain_posture_t *post,
                        const pol_notrain_force_t *f)
{
    for (size_t e = 0; e < sizeof(f->edits) / sizeof(f->edits[0]) && f->edits[e].path != NULL; e++)
        add_edit(d, &f->edits[e]);
    for (size_t h = 0; h < sizeof(f->headers) / sizeof(f->headers[0]) && f->headers[h].name != NULL; h++) {
        if (d->nheaders >= POL_NOTRAIN_MAX_HEADERS)
            break;
        const char *value = f->headers[h].value;
        if (f->headers[h].int_option != NULL) {
            int i = option_index(post, f->headers[h].int_option);
            snprintf(d->priv_header_value, sizeof(d->priv_header_value), "%s%lld%s", value, i >= 0 ? c->opt[i] : 0,
                     f->headers[h].suffix != NULL ? f->headers[h].suffix : "");
            value = d->priv_header_value;
        }
        d->headers[d->nheaders++] = (pol_notrain_header_t){f->headers[h].name, value};
    }
    if (f->drop_query != NULL && d->ndrop_query < POL_NOTRAIN_MAX_QUERY)
        d->drop_query[d->ndrop_query++] = f->drop_query;
}

static inline unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Whether `route` matches the route glob `glob` under fnmatch(FNM_CASEFOLD), decided without fnmatch when the glob's
 * literal start settles it: POL__GLOB_NO when they differ (ASCII, case-folded) before the glob's first special
 * character or the route ends there, POL__GLOB_YES when the glob has no special character and equals the route,
 * POL__GLOB_ASK otherwise (a wildcard reached, or a non-ASCII byte: case folding outside ASCII depends on the locale).
 * Every call matched its provider's route globs with fnmatch until one matched: ~500 instructions for OpenAI's first,
 * "chat/completions" (issue 12, session 7). */
int pol__notrain_glob_match(const char *glob, const char *route)
{
    for (size_t i = 0;; i++) {
        unsigned char g = (unsigned char)glob[i], c = (unsigned char)route[i];
        if (g == '\0')
            return c == '\0' ? POL__GLOB_YES : POL__GLOB_NO;
        if (g == '*' || g == '?' || g == '[' || g == '\\' || g >= 0x80 || c >= 0x80)
            return POL__GLOB_ASK;
        if (ascii_lower(g) != ascii_lower(c)) /* also the route's end: g is not NUL */
            return POL__GLOB_NO;
    }
}

int pol_notrain_begin(const pol_notrain_t *nt, const pol_notrain_input_t *in, pol_notrain_decision_t *d)
{
    memset(d, 0, sizeof(*d));
    d->verdict = POL_NOTRAIN_ALLOWED;
    d->priv_nt = nt;
    d->priv_provider = in->provider;
    d->priv_consent = in->consent != 0;
    d->priv_user = in->user_len != 0 ? in->user : NULL;
    d->priv_user_len = in->user != NULL ? in->user_len : 0;
    d->priv_ids = in->ids;
    d->priv_n_ids = in->ids != NULL ? in->n_ids : 0;
    int p = prov_index(nt, in->provider);
    if (p < 0)
        return d->verdict;
    const pol_notrain_posture_t *post = nt->post[p];
    const prov_conf_t *c = &nt->conf[p];
    d->priv_posture = post;
    d->priv_index = p;

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
    const pol_notrain_route_t *rt = NULL;
    for (const pol_notrain_route_t *rr = post->routes; rr != NULL && rr->glob != NULL; rr++) {
        int m = pol__notrain_glob_match(rr->glob, route);
        if (m == POL__GLOB_YES || (m == POL__GLOB_ASK && fnmatch(rr->glob, route, FNM_CASEFOLD) == 0)) {
            rt = rr;
            if (rr->refuse != NULL) {
                set_detail(d, route, rl);
                if (c->no_storage)
                    return refuse(d, rr->refuse, rr->message);
                rt = NULL; /* no_storage off: a storage route is served as is */
            }
            break;
        }
    }
    d->priv_route_flags = rt != NULL ? rt->classes : 0;

    /* the model named in the path (Gemini models/NAME:method) */
    if (rt != NULL && rt->model_prefix != NULL && strncmp(route, rt->model_prefix, strlen(rt->model_prefix)) == 0) {
        const char *name = route + strlen(rt->model_prefix), *colon = strchr(name, ':');
        size_t nl = colon != NULL ? (size_t)(colon - name) : strlen(name);
        if (nl < sizeof(d->priv_model)) {
            memcpy(d->priv_model, name, nl);
            d->priv_model[nl] = '\0';
            d->priv_model_state = 1;
        }
    }

    /* provider-level training risk */
    if (post->risk == POL_NOTRAIN_RISK_ALWAYS ||
        (post->risk == POL_NOTRAIN_RISK_UNLESS_TIER &&
         (in->key_tier == NULL || post->risk_tier == NULL || strcmp(in->key_tier, post->risk_tier) != 0))) {
        if (risk(d, post->risk_reason) == POL_NOTRAIN_REFUSED)
            return d->verdict;
    }

    if (!c->no_storage)
        return d->verdict;
    for (int i = 0; post->forces != NULL && post->forces[i].label != NULL; i++) {
        const pol_notrain_force_t *f = &post->forces[i];
        if ((f->on & d->priv_route_flags) == 0 || !when_holds(nt, p, &f->when))
            continue;
        apply_force(d, c, post, f);
        d->priv_flags |= FB(i);
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
    if (d->verdict != POL_NOTRAIN_ALLOWED || d->priv_posture == NULL)
        return;
    if (rule_id == C_MODEL) {
        if (json_type == GW_JSON_T_STRING && len >= 2 && len - 2 < sizeof(d->priv_model) && memchr(raw, '\\', len) == NULL) {
            memcpy(d->priv_model, raw + 1, len - 2);
            d->priv_model[len - 2] = '\0';
            d->priv_model_state = 1;
        } else {
            d->priv_model_state = 2;
        }
        return;
    }
    int i = rule_id - C_CAPTURE;
    if (i < 0 || i >= POL_NOTRAIN_MAX_CAPTURES || i >= (int)count_captures(d->priv_posture->captures))
        return;
    const pol_notrain_capture_t *cp = &d->priv_posture->captures[i];
    int hit = 0;
    switch (cp->match) {
    case POL_NOTRAIN_IF_NOT_NULL:
        hit = json_type != GW_JSON_T_NULL;
        break;
    case POL_NOTRAIN_IF_TRUE:
        hit = json_type == GW_JSON_T_TRUE;
        break;
    case POL_NOTRAIN_IF_STRING:
        hit = cp->value != NULL && raw_is_string(raw, len, cp->value);
        break;
    }
    if (hit)
        d->priv_seen |= FB(i);
}

/* 1 when `s` holds a placeholder of the PII pass: "<" + an entity type (upper-case letters, digits, '_') + ">",
 * tokenize's "<EMAIL_ADDRESS_1>" and redact's "<EMAIL_ADDRESS>" alike. */
static int has_placeholder(const char *s, size_t len)
{
    for (const char *p = memchr(s, '<', len); p != NULL; p = memchr(p + 1, '<', len - (size_t)(p + 1 - s))) {
        const char *q = p + 1, *end = s + len;
        if (q >= end || *q < 'A' || *q > 'Z')
            continue;
        while (q < end && ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_'))
            q++;
        if (q < end && *q == '>')
            return 1;
        if (q >= end)
            return 0;
    }
    return 0;
}

int pol_notrain_on_string(pol_notrain_decision_t *d, int rule_id, const char *s, size_t len, gw_buf_t *replacement)
{
    int i = rule_id - S_HASH;
    if (i < 0 || i >= POL_NOTRAIN_MAX_HASHES || d->priv_nt == NULL || d->priv_posture == NULL || !d->priv_nt->has_key ||
        d->verdict != POL_NOTRAIN_ALLOWED || i >= (int)count_hashes(d->priv_posture->hashes) ||
        (d->priv_route_flags & d->priv_posture->hashes[i].on) == 0)
        return 0;
    unsigned char h[16];
    char hex[2 * sizeof(h) + 1];
    const pol_notrain_id_t *orig = NULL;
    for (size_t k = 0; orig == NULL && k < d->priv_n_ids; k++)
        if (strcmp(d->priv_ids[k].pattern, d->priv_posture->hashes[i].pattern) == 0)
            orig = &d->priv_ids[k];
    if (orig != NULL) { /* the id as the client sent it, before the PII pass replaced any of it */
        s = orig->value;
        len = orig->len;
    } else if (d->priv_user != NULL && has_placeholder(s, len)) { /* the value is gone: the end user's own pseudonym */
        s = d->priv_user;
        len = d->priv_user_len;
    }
    crypto_generichash(h, sizeof(h), (const unsigned char *)s, len, d->priv_nt->key, sizeof(d->priv_nt->key));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    d->priv_flags |= HASH_BIT(i);
    if (gw_buf_append(replacement, "u_", 2) != 0 || gw_buf_append(replacement, hex, 2 * sizeof(h)) != 0)
        return GW_E_INTERNAL;
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
    const pol_notrain_posture_t *post = d->priv_posture;
    const prov_conf_t *c = &d->priv_nt->conf[d->priv_index];
    if (c->no_storage)
        for (int i = 0; post->captures != NULL && post->captures[i].pattern != NULL; i++)
            if ((d->priv_seen & FB(i)) != 0 && (post->captures[i].on & d->priv_route_flags) != 0)
                return refuse(d, post->captures[i].reason, post->captures[i].message);
    /* model lists: a denied model is a training/logging risk like an unpaid tier */
    if (d->priv_model_state != 0) {
        const char *m = d->priv_model_state == 1 ? d->priv_model : "";
        int has_deny = c->deny_models.set ? c->deny_models.n != 0 : post->deny_models != NULL && post->deny_models[0] != NULL;
        /* an unreadable model id (escapes, > 127 bytes, not a string) cannot be matched: fail closed when lists exist */
        int denied = d->priv_model_state == 2 ? (has_deny || c->allow_models.set)
                                              : (globs_match(&c->deny_models, post->deny_models, m) ||
                                                 (c->allow_models.set && !globs_match(&c->allow_models, NULL, m)));
        if (denied) {
            set_detail(d, m, strlen(m));
            return risk(d, "model_denied");
        }
    }
    return d->verdict;
}

static int apply_on_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement)
{
    (void)path;
    return pol_notrain_on_string(ctx, rule_id, s, len, replacement);
}

static void apply_on_capture(void *ctx, int rule_id, const char *raw, size_t len, int json_type)
{
    pol_notrain_on_capture(ctx, rule_id, raw, len, json_type);
}

int pol_notrain_apply(const pol_notrain_t *nt, const pol_notrain_input_t *in, const char *body, size_t len,
                      pol_notrain_decision_t *d, gw_buf_t *out, int *changed)
{
    *changed = 0;
    if (pol_notrain_begin(nt, in, d) != POL_NOTRAIN_ALLOWED)
        return d->verdict;
    if (body != NULL && len != 0) {
        gw_json_rule_t rules[POL_NOTRAIN_MAX_RULES];
        size_t n = pol_notrain_rules(nt, in->provider, rules, POL_NOTRAIN_MAX_RULES);
        gw_json_paths_t *paths = NULL;
        if (n != 0) {
            char err[128];
            if ((paths = gw_json_paths_compile(rules, n, err, sizeof(err))) == NULL)
                return GW_JSON_E_NOMEM;
        }
        gw_json_visitor_t v = {apply_on_string, apply_on_capture, d, NULL, 0, NULL};
        int rc = gw_json_rewrite(body, len, paths, d->edits, d->nedits, &v, out, changed, NULL, NULL);
        gw_json_paths_free(paths);
        if (rc != 0) {
            *changed = 0;
            return rc;
        }
    }
    if (pol_notrain_end(d) != POL_NOTRAIN_ALLOWED)
        *changed = 0;
    return d->verdict;
}

int pol_notrain_record(const pol_notrain_decision_t *d, gw_buf_t *out)
{
    if (d->verdict == POL_NOTRAIN_REFUSED)
        return gw_buf_appendf(out, "refused:%s", d->reason);
    if (d->priv_posture == NULL && d->priv_provider != NULL && (d->priv_nt == NULL || prov_index(d->priv_nt, d->priv_provider) < 0))
        return gw_buf_append(out, "allowed:unknown_provider", 24);
    int any = 0;
    if (d->priv_consent_used) {
        if (gw_buf_appendf(out, "consent:%s", d->reason) != 0)
            return -1;
        any = 1;
    }
    /* labels in the posture's order: its forces, then its hashes */
    const pol_notrain_posture_t *post = d->priv_posture;
    int first = 1;
    for (int i = 0; post != NULL && i < 24; i++) {
        const char *label = NULL;
        if (i < 16 && (d->priv_flags & FB(i)) != 0 && i < (int)count_forces(post->forces))
            label = post->forces[i].label;
        else if (i >= 16 && (d->priv_flags & FB(i)) != 0 && i - 16 < (int)count_hashes(post->hashes))
            label = post->hashes[i - 16].label;
        if (label == NULL)
            continue;
        /* no printf for the labels: every allowed call writes them on the worker's loop (a gw_buf_appendf per label was
         * ~1.7k instructions, docs/BENCHMARKS.md "Issue 12, session 6") */
        const char *sep = first ? (any ? ";flags:" : "flags:") : ",";
        if (gw_buf_append(out, sep, strlen(sep)) != 0 || gw_buf_append(out, label, strlen(label)) != 0)
            return -1;
        first = 0;
        any = 1;
    }
    return any ? 0 : gw_buf_append(out, "allowed", 7);
}

int pol_notrain_message(const pol_notrain_decision_t *d, gw_buf_t *out)
{
    if (d->verdict != POL_NOTRAIN_REFUSED)
        return 0;
    const char *p = d->priv_provider, *r = d->reason;
    const pol_notrain_posture_t *post = d->priv_posture;
    pol_notrain_mode_t m = pol_notrain_mode(d->priv_nt, p);
    const char *consent_fix = m == POL_NOTRAIN_DENY
                                  ? " (training.mode is \"deny\" for this provider, so user consent does not lift this)"
                                  : ", or give the user's consent with aigw user consent USER on";
    if (d->priv_message != NULL) /* a route or capture refusal with its own words */
        return gw_buf_appendf(out, "%s", d->priv_message);
    if (post != NULL && post->risk_reason != NULL && strcmp(r, post->risk_reason) == 0)
        return gw_buf_appendf(out, "%s%s", post->risk_message != NULL ? post->risk_message : r, consent_fix);
    if (strcmp(r, "model_denied") == 0)
        return gw_buf_appendf(out,
                              "%s: model \"%s\" is not allowed by the no-training policy (training.providers.%s.deny_models / "
                              "allow_models%s); use another model%s",
                              p, d->priv_detail, p, post != NULL && post->model_hint != NULL ? post->model_hint : "", consent_fix);
    for (const pol_notrain_route_t *rr = post != NULL ? post->routes : NULL; rr != NULL && rr->glob != NULL; rr++)
        if (rr->refuse != NULL && strcmp(rr->refuse, r) == 0)
            return gw_buf_appendf(out,
                                  "%s: the route \"%s\" stores content at the provider until it is deleted, and aigw's "
                                  "no-storage policy refuses it (training.providers.%s.no_storage)",
                                  p, d->priv_detail, p);
    return gw_buf_appendf(out, "%s: refused by the no-training policy (%s)", p, r);
}
