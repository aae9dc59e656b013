/*
 * Client key and admin token checks (see auth.h).
 */
#include "gateway/auth.h"

#include <stdint.h>

#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int gw_auth_parse_authorization(const char *value, size_t len, const char **key, size_t *key_len)
{
    size_t skip;
    if (len > 7 && strncasecmp(value, "Bearer ", 7) == 0)
        skip = 7;
    else if (len > 4 && strncasecmp(value, "Key ", 4) == 0)
        skip = 4;
    else
        return -1;
    while (skip < len && value[skip] == ' ')
        skip++;
    size_t end = len;
    while (end > skip && (value[end - 1] == ' ' || value[end - 1] == '\t'))
        end--;
    if (end == skip)
        return -1;
    *key = value + skip;
    *key_len = end - skip;
    return 0;
}

/* Credentials managed with `aigw keys` (issue 14): an immutable snapshot read from the store,
 * published with one atomic pointer store. A request may hold a pointer into a snapshot (its
 * client entry) for as long as it runs, so replaced snapshots are kept until exit; the server
 * replaces one only when the store's set changed (keys are added or revoked by hand, rarely). */
struct st_gw_keyset_t {
    gw_client_conf_t *clients;
    size_t nclients;
    gw_admin_token_conf_t *admins;
    size_t nadmins;
    unsigned char digest[32]; /* of the whole set, to tell a change */
    struct st_gw_keyset_t *retired_next;
};

static gw_keyset_t *_Atomic current_keys;
static gw_keyset_t *retired_keys; /* touched by the one thread that publishes */

gw_keyset_t *gw_keyset_new(const gw_store_key_t *keys, size_t n)
{
    gw_keyset_t *ks = calloc(1, sizeof(*ks));
    if (ks == NULL || (n > 0 && ((ks->clients = calloc(n, sizeof(*ks->clients))) == NULL ||
                                 (ks->admins = calloc(n, sizeof(*ks->admins))) == NULL)))
        goto fail;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, sizeof(ks->digest));
    for (size_t i = 0; i < n; i++) {
        const gw_store_key_t *k = &keys[i];
        crypto_generichash_update(&h, (const unsigned char *)k->id, strlen(k->id) + 1);
        crypto_generichash_update(&h, (const unsigned char *)k->name, strlen(k->name) + 1);
        crypto_generichash_update(&h, k->hash, sizeof(k->hash));
        crypto_generichash_update(&h, (const unsigned char *)&k->markup_permille, sizeof(k->markup_permille));
        if (strcmp(k->kind, "client") == 0) {
            gw_client_conf_t *c = &ks->clients[ks->nclients];
            if ((c->name = strdup(k->name)) == NULL)
                goto fail;
            memcpy(c->key_hash, k->hash, sizeof(c->key_hash));
            c->markup_permille = k->markup_permille ? k->markup_permille : 1000;
            ks->nclients++;
        } else {
            gw_admin_token_conf_t *a = &ks->admins[ks->nadmins];
            if ((a->role = strdup(k->name)) == NULL)
                goto fail;
            memcpy(a->token_hash, k->hash, sizeof(a->token_hash));
            ks->nadmins++;
        }
    }
    crypto_generichash_final(&h, ks->digest, sizeof(ks->digest));
    return ks;
fail:
    gw_keyset_free(ks);
    return NULL;
}

void gw_keyset_free(gw_keyset_t *ks)
{
    if (ks == NULL)
        return;
    for (size_t i = 0; i < ks->nclients; i++)
        free(ks->clients[i].name);
    for (size_t i = 0; i < ks->nadmins; i++)
        free(ks->admins[i].role);
    free(ks->clients);
    free(ks->admins);
    free(ks);
}

int gw_auth_publish_keyset(gw_keyset_t *ks)
{
    gw_keyset_t *old = atomic_load(&current_keys);
    if (old != NULL && ks != NULL && sodium_memcmp(old->digest, ks->digest, sizeof(ks->digest)) == 0) {
        gw_keyset_free(ks);
        return 0;
    }
    atomic_store(&current_keys, ks);
    if (old != NULL) {
        old->retired_next = retired_keys;
        retired_keys = old;
    }
    return 1;
}

void gw_auth_keyset_counts(size_t *clients, size_t *admins)
{
    gw_keyset_t *ks = atomic_load(&current_keys);
    *clients = ks != NULL ? ks->nclients : 0;
    *admins = ks != NULL ? ks->nadmins : 0;
}

void gw_auth_release_keysets(void)
{
    gw_keyset_free(atomic_exchange(&current_keys, NULL));
    while (retired_keys != NULL) {
        gw_keyset_t *n = retired_keys->retired_next;
        gw_keyset_free(retired_keys);
        retired_keys = n;
    }
}

const gw_client_conf_t *gw_auth_client(const gw_config_t *cfg, const char *key, size_t len)
{
    unsigned char h[GW_KEY_HASH_BYTES];
    const gw_client_conf_t *found = NULL;
    gw_config_hash_key(key, len, h);
    for (size_t i = 0; i < cfg->nclients; i++)
        if (sodium_memcmp(h, cfg->clients[i].key_hash, sizeof(h)) == 0 && found == NULL)
            found = &cfg->clients[i];
    const gw_keyset_t *ks = atomic_load(&current_keys);
    for (size_t i = 0; ks != NULL && i < ks->nclients; i++)
        if (sodium_memcmp(h, ks->clients[i].key_hash, sizeof(h)) == 0 && found == NULL)
            found = &ks->clients[i];
    return found;
}

const char *gw_auth_admin_role(const gw_config_t *cfg, const char *token, size_t len)
{
    unsigned char h[GW_KEY_HASH_BYTES];
    const char *role = NULL;
    gw_config_hash_key(token, len, h);
    for (size_t i = 0; i < cfg->nadmin_tokens; i++)
        if (sodium_memcmp(h, cfg->admin_tokens[i].token_hash, sizeof(h)) == 0 && role == NULL)
            role = cfg->admin_tokens[i].role;
    const gw_keyset_t *ks = atomic_load(&current_keys);
    for (size_t i = 0; ks != NULL && i < ks->nadmins; i++)
        if (sodium_memcmp(h, ks->admins[i].token_hash, sizeof(h)) == 0 && role == NULL)
            role = ks->admins[i].role;
    return role;
}
