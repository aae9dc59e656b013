/*
 * Client key and admin token checks (see auth.h).
 */
#include "gateway/auth.h"

#include <sodium.h>
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

const gw_client_conf_t *gw_auth_client(const gw_config_t *cfg, const char *key, size_t len)
{
    unsigned char h[GW_KEY_HASH_BYTES];
    const gw_client_conf_t *found = NULL;
    gw_config_hash_key(key, len, h);
    for (size_t i = 0; i < cfg->nclients; i++)
        if (sodium_memcmp(h, cfg->clients[i].key_hash, sizeof(h)) == 0 && found == NULL)
            found = &cfg->clients[i];
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
    return role;
}
