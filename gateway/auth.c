/*
 * Client key and admin token checks (see auth.h).
 */
#include "gateway/auth.h"

#include <stdint.h>

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

int gw_auth_user_id_valid(const char *s, size_t len)
{
    if (len == 0 || len > GW_USER_ID_MAX)
        return 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        uint32_t cp;
        size_t n;
        if (p[0] < 0x80) {
            cp = p[0];
            n = 1;
        } else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
            cp = p[0] & 0x1f;
            n = 2;
        } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
            cp = p[0] & 0x0f;
            n = 3;
        } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
            cp = p[0] & 0x07;
            n = 4;
        } else {
            return 0;
        }
        if ((size_t)(end - p) < n)
            return 0;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
            return 0; /* overlong, out of range, surrogate */
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
            return 0;
        p += n;
    }
    return 1;
}
