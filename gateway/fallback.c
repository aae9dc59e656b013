/*
 * The fallback table (see fallback.h): one entry per configured "provider/model" key, its targets resolved to
 * adapters at parse time, so a lookup is string compares only (a handful of chains).
 */
#include "gateway/fallback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct st_chain_t {
    const prov_adapter_t *adapter;
    char model[GW_FALLBACK_MODEL_MAX + 1];
    gw_fallback_target_t targets[GW_FALLBACK_MAX_TARGETS];
    size_t n;
} chain_t;

struct st_gw_fallbacks_t {
    chain_t *chains;
    size_t n;
};

/* "provider/model" -> adapter and model. @return 0, or -1 with what is wrong in `why`. */
static int split_target(const char *s, const prov_adapter_t **a, char *model, const char **why)
{
    const char *slash = strchr(s, '/');
    char name[32];
    if (slash == NULL || slash == s || slash[1] == '\0' || (size_t)(slash - s) >= sizeof(name)) {
        *why = "expected \"<provider>/<model>\"";
        return -1;
    }
    memcpy(name, s, (size_t)(slash - s));
    name[slash - s] = '\0';
    if ((*a = prov_find(name)) == NULL) {
        *why = "unknown provider";
        return -1;
    }
    if (strlen(slash + 1) > GW_FALLBACK_MODEL_MAX) {
        *why = "model name too long";
        return -1;
    }
    snprintf(model, GW_FALLBACK_MODEL_MAX + 1, "%s", slash + 1);
    return 0;
}

gw_fallbacks_t *gw_fallbacks_new(const json_t *conf, char *err, size_t errlen)
{
    gw_fallbacks_t *f = calloc(1, sizeof(*f));
    const char *key, *why = NULL;
    json_t *v;
    if (f == NULL) {
        snprintf(err, errlen, "fallbacks: out of memory");
        return NULL;
    }
    if (conf == NULL)
        return f;
    if (!json_is_object(conf)) {
        snprintf(err, errlen, "fallbacks: expected an object {\"<provider>/<model>\": [\"<provider>/<model>\", ...]}");
        goto fail;
    }
    if ((f->chains = calloc(json_object_size(conf) + 1, sizeof(*f->chains))) == NULL) {
        snprintf(err, errlen, "fallbacks: out of memory");
        goto fail;
    }
    json_object_foreach((json_t *)conf, key, v)
    {
        chain_t *c = &f->chains[f->n];
        if (split_target(key, &c->adapter, c->model, &why) != 0) {
            snprintf(err, errlen, "fallbacks.\"%.80s\": %s", key, why);
            goto fail;
        }
        if (c->adapter->async_create_routes != NULL) {
            snprintf(err, errlen, "fallbacks.\"%.80s\": %s calls have side effects (predictions): no fallbacks", key,
                     c->adapter->name);
            goto fail;
        }
        if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > GW_FALLBACK_MAX_TARGETS) {
            snprintf(err, errlen, "fallbacks.\"%.80s\": expected an array of 1..%d \"<provider>/<model>\" targets", key,
                     GW_FALLBACK_MAX_TARGETS);
            goto fail;
        }
        size_t i;
        json_t *t;
        json_array_foreach(v, i, t)
        {
            gw_fallback_target_t *x = &c->targets[i];
            const char *ts = json_string_value(t);
            if (ts == NULL || split_target(ts, &x->adapter, x->model, &why) != 0) {
                snprintf(err, errlen, "fallbacks.\"%.80s\"[%zu]: %s", key, i, ts == NULL ? "expected a string" : why);
                goto fail;
            }
            if (x->adapter == c->adapter && strcmp(x->model, c->model) == 0) {
                snprintf(err, errlen, "fallbacks.\"%.80s\"[%zu]: the chain's own provider and model", key, i);
                goto fail;
            }
            for (size_t k = 0; k < i; k++)
                if (c->targets[k].adapter == x->adapter && strcmp(c->targets[k].model, x->model) == 0) {
                    snprintf(err, errlen, "fallbacks.\"%.80s\"[%zu]: %.80s is listed twice", key, i, ts);
                    goto fail;
                }
            /* another provider: only between OpenAI-compatible APIs (the request is re-addressed, not translated) */
            if (x->adapter != c->adapter && (c->adapter->compat_prefix == NULL || x->adapter->compat_prefix == NULL)) {
                snprintf(err, errlen,
                         "fallbacks.\"%.80s\"[%zu]: %.80s is another wire format (%s has no OpenAI-compatible API); a fallback "
                         "goes to the same provider or between OpenAI-compatible APIs",
                         key, i, ts, c->adapter->compat_prefix == NULL ? c->adapter->name : x->adapter->name);
                goto fail;
            }
            c->n = i + 1;
        }
        f->n++;
    }
    return f;
fail:
    gw_fallbacks_free(f);
    return NULL;
}

void gw_fallbacks_free(gw_fallbacks_t *f)
{
    if (f == NULL)
        return;
    free(f->chains);
    free(f);
}

const gw_fallback_target_t *gw_fallbacks_for(const gw_fallbacks_t *f, const char *provider, const char *model, size_t *n)
{
    *n = 0;
    for (size_t i = 0; f != NULL && i < f->n; i++)
        if (strcmp(f->chains[i].adapter->name, provider) == 0 && strcmp(f->chains[i].model, model) == 0) {
            *n = f->chains[i].n;
            return f->chains[i].targets;
        }
    return NULL;
}
