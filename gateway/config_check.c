/*
 * Whole-config validation (see config_check.h). Each section is handed to the module that owns
 * it, exactly as the server does at start, and whatever was built is freed at once: there is no
 * second, hand-written description of the modules' keys that could drift from their parsers.
 * Cross-section rules (metering needs the store, models route to known providers)
 * live here and nowhere else.
 */
#include "gateway/config_check.h"

#include <stdio.h>
#include <string.h>

#include <openssl/ssl.h>

#include "gateway/privacy.h"
#include "gateway/server.h"
#include "gateway/store/keyfile.h"
#include "gateway/store/store.h"
#include "policy/meter.h"
#include "policy/pii/pii.h"
#include "policy/pricing.h"
#include "policy/ratelimit.h"
#include "providers/provider.h"

/* "pii.actions.EMAIL: unknown entity type" -> add the closest entity name. */
static void hint_entity(char *err, size_t errlen)
{
    static const char marker[] = ": unknown entity type";
    char *m = strstr(err, marker);
    if (m == NULL)
        return;
    char *seg = m;
    while (seg > err && seg[-1] != '.')
        seg--;
    char word[96];
    snprintf(word, sizeof(word), "%.*s", (int)(m - seg), seg);
    unsigned char key[32] = {0};
    char e2[64];
    pol_pii_engine_t *e = pol_pii_engine_create(NULL, key, e2, sizeof(e2));
    if (e == NULL)
        return;
    const char *names[64];
    int n = pol_pii_type_count(e);
    size_t k = 0;
    for (int i = 0; i < n && k < 64; i++)
        names[k++] = pol_pii_type_name(e, i);
    const char *best = gw_config_closest(word, names, k);
    size_t used = strlen(err);
    if (best != NULL && used < errlen)
        snprintf(err + used, errlen - used, " (did you mean \"%s\"?)", best);
    pol_pii_engine_free(e);
}

static int check_models(const gw_config_t *cfg, char *err, size_t errlen)
{
    json_t *models = gw_config_section(cfg, "models");
    if (models == NULL)
        return 0;
    if (!json_is_object(models)) {
        snprintf(err, errlen, "models: expected an object {\"<model glob>\": \"<provider>\"}");
        return -1;
    }
    const char *glob;
    json_t *v;
    json_object_foreach(models, glob, v)
    {
        const char *name = json_string_value(v);
        if (name == NULL || prov_find(name) == NULL) {
            size_t n;
            const prov_adapter_t *const *all = prov_all(&n);
            const char *names[16];
            char list[256] = "";
            size_t used = 0;
            for (size_t i = 0; i < n && i < 16; i++) {
                names[i] = all[i]->name;
                used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0, "%s%s", i ? "|" : "",
                                         all[i]->name);
            }
            const char *best = name != NULL ? gw_config_closest(name, names, n < 16 ? n : 16) : NULL;
            snprintf(err, errlen, "models.%s: expected a provider name (one of %s)%s%s%s", glob, list,
                     best != NULL ? " (did you mean \"" : "", best != NULL ? best : "", best != NULL ? "\"?)" : "");
            return -1;
        }
        /* a provider that is known but not configured is allowed (its requests answer 404
         * provider_not_configured): configs share one models table across deployments */
    }
    return 0;
}

static int check_sections(const gw_config_t *cfg, char *err, size_t errlen)
{
    json_t *v;
    const char *mk = gw_config_master_key_file(cfg);

    gw_privacy_t *pv = gw_privacy_create(cfg, err, errlen); /* pii, training, pii.hash_key_hex */
    if (pv == NULL)
        return -1;
    gw_privacy_free(pv);
    if ((v = gw_config_section(cfg, "rate_limits")) != NULL) {
        pol_ratelimit_t *rl = pol_ratelimit_new(v, err, errlen);
        if (rl == NULL)
            return -1;
        pol_ratelimit_free(rl);
    }
    if ((v = gw_config_section(cfg, "pricing")) != NULL) {
        pol_pricing_t *pt = pol_pricing_new(v, err, errlen);
        if (pt == NULL)
            return -1;
        pol_pricing_free(pt);
    }
    if ((v = gw_config_section(cfg, "credits")) != NULL) {
        pol_meter_conf_t mc;
        if (pol_meter_conf_parse(v, &mc, err, errlen) != 0)
            return -1;
        if (mk == NULL) {
            snprintf(err, errlen, "credits: metering needs the store (set master_key_file)");
            return -1;
        }
    }
    if (gw_store_conf_check(gw_config_section(cfg, "store"), gw_config_section(cfg, "retention"),
                            gw_config_section(cfg, "log_bodies"), err, errlen) != 0)
        return -1;
    if (mk == NULL && gw_config_section(cfg, "store") != NULL) {
        snprintf(err, errlen, "store: needs master_key_file (create one with: aigw keygen var/master.key)");
        return -1;
    }
    if (mk != NULL) {
        pol_key_t *k = gw_keyfile_load(mk, err, errlen);
        if (k == NULL)
            return -1;
        pol_key_free(k);
    }
    if ((v = gw_config_section(cfg, "metrics")) != NULL && (!json_is_object(v) || json_object_size(v) != 0)) {
        snprintf(err, errlen, "metrics: reserved, expected {} (no keys yet)");
        return -1;
    }
    if (check_models(cfg, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < cfg->nlisten; i++) {
        if (cfg->listen[i].tls_cert == NULL)
            continue;
        SSL_CTX *ctx = gw_server_tls_ctx_new(&cfg->listen[i], err, errlen);
        if (ctx == NULL)
            return -1;
        SSL_CTX_free(ctx);
    }
    return 0;
}

int gw_config_validate(const gw_config_t *cfg, char *err, size_t errlen)
{
    err[0] = '\0';
    if (check_sections(cfg, err, errlen) == 0)
        return 0;
    gw_config_hint_unknown_key(err, errlen);
    hint_entity(err, errlen);
    return -1;
}
