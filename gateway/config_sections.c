/*
 * The structured keys of the config (see config.h, config.c for the order of loading): listen,
 * clients and admin_tokens (named credentials, stored as key hashes), providers (base URLs, binary
 * routes, extra headers) and the environment variable names their api_key values come from. Each
 * has one parse function called by gw_config_parse; errors say where and what was expected.
 */
#include "gateway/config.h"
#include "gateway/config_internal.h"
#include "providers/provider.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "policy/pricing.h"
#include "providers/provider.h"

static char *dup_str(json_t *v)
{
    return strdup(json_string_value(v));
}

int gw_config__parse_listen(gw_config_t *cfg, json_t *arr, const char *origin, char *err, size_t errlen)
{
    static const char *const keys[] = {"host", "port", "tls"};
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 16) {
        gw_config__set_err(err, errlen, origin, "listen: expected an array of 1..16 listener objects");
        return -1;
    }
    cfg->nlisten = json_array_size(arr);
    cfg->listen = calloc(cfg->nlisten, sizeof(*cfg->listen));
    if (cfg->listen == NULL)
        return -1;
    size_t i;
    json_t *l;
    json_array_foreach(arr, i, l)
    {
        char where[32];
        snprintf(where, sizeof(where), "listen[%zu]", i);
        if (gw_config__check_keys(l, where, keys, 3, origin, err, errlen) != 0)
            return -1;
        json_t *host = json_object_get(l, "host"), *port = json_object_get(l, "port"), *tls = json_object_get(l, "tls");
        if (host != NULL && !json_is_string(host)) {
            gw_config__set_err(err, errlen, origin, "%s.host: expected an IP address string", where);
            return -1;
        }
        if (!json_is_integer(port) || json_integer_value(port) < 1 || json_integer_value(port) > 65535) {
            gw_config__set_err(err, errlen, origin, "%s.port: expected an integer in 1..65535", where);
            return -1;
        }
        const char *h = host != NULL ? json_string_value(host) : "127.0.0.1";
        unsigned char addr[sizeof(struct in6_addr)];
        if (inet_pton(AF_INET, h, addr) != 1 && inet_pton(AF_INET6, h, addr) != 1) {
            gw_config__set_err(err, errlen, origin,
                               "%s.host: \"%s\" is not an IPv4 or IPv6 address (host names are not resolved: use %s)", where, h,
                               strcmp(h, "localhost") == 0 ? "127.0.0.1 or ::1" : "an address such as 0.0.0.0 or 127.0.0.1");
            return -1;
        }
        cfg->listen[i].host = strdup(h);
        cfg->listen[i].port = (uint16_t)json_integer_value(port);
        if (tls != NULL) {
            static const char *const tkeys[] = {"cert", "key"};
            char twhere[48];
            snprintf(twhere, sizeof(twhere), "%s.tls", where);
            if (gw_config__check_keys(tls, twhere, tkeys, 2, origin, err, errlen) != 0)
                return -1;
            json_t *c = json_object_get(tls, "cert"), *k = json_object_get(tls, "key");
            if (!json_is_string(c) || !json_is_string(k)) {
                gw_config__set_err(err, errlen, origin, "%s: expected {\"cert\": PEM path, \"key\": PEM path}", twhere);
                return -1;
            }
            cfg->listen[i].tls_cert = dup_str(c);
            cfg->listen[i].tls_key = dup_str(k);
        }
    }
    return 0;
}

static int parse_hex32(const char *hex, unsigned char out[GW_KEY_HASH_BYTES])
{
    size_t bin_len = 0;
    if (strlen(hex) != GW_KEY_HASH_BYTES * 2)
        return -1;
    if (sodium_hex2bin(out, GW_KEY_HASH_BYTES, hex, strlen(hex), NULL, &bin_len, NULL) != 0 || bin_len != GW_KEY_HASH_BYTES)
        return -1;
    return 0;
}

/* A credential entry: {"<namekey>": "...", "key": "secret"} or {"<namekey>": "...", "key_hash": "blake2b:<64 hex>"}. */
static int parse_credential(json_t *e, const char *where, const char *namekey, char **name_out,
                            unsigned char hash[GW_KEY_HASH_BYTES], const char *origin, char *err, size_t errlen)
{
    const char *const keys[] = {namekey, "key", "key_hash", "token", "token_hash", "markup"};
    if (gw_config__check_keys(e, where, keys, strcmp(namekey, "name") == 0 ? 6 : 5, origin, err, errlen) != 0)
        return -1;
    json_t *name = json_object_get(e, namekey);
    json_t *key = json_object_get(e, "key");
    json_t *key_hash = json_object_get(e, "key_hash");
    if (key == NULL)
        key = json_object_get(e, "token");
    if (key_hash == NULL)
        key_hash = json_object_get(e, "token_hash");
    if (!json_is_string(name) || json_string_length(name) == 0) {
        gw_config__set_err(err, errlen, origin, "%s.%s: expected a non-empty string", where, namekey);
        return -1;
    }
    if ((key == NULL) == (key_hash == NULL)) {
        gw_config__set_err(err, errlen, origin,
                           "%s: expected exactly one of \"key\" (the secret) or \"key_hash\" (\"blake2b:<64 hex>\")", where);
        return -1;
    }
    if (key != NULL) {
        if (!json_is_string(key) || json_string_length(key) < 12) {
            gw_config__set_err(err, errlen, origin, "%s.key: expected a secret of at least 12 characters", where);
            return -1;
        }
        gw_config_hash_key(json_string_value(key), json_string_length(key), hash);
    } else {
        const char *h = json_is_string(key_hash) ? json_string_value(key_hash) : "";
        if (strncmp(h, "blake2b:", 8) != 0 || parse_hex32(h + 8, hash) != 0) {
            gw_config__set_err(err, errlen, origin, "%s.key_hash: expected \"blake2b:\" followed by 64 hex digits", where);
            return -1;
        }
    }
    *name_out = dup_str(name);
    return 0;
}

int gw_config__parse_clients(gw_config_t *cfg, json_t *arr, const char *origin, char *err, size_t errlen)
{
    if (!json_is_array(arr)) {
        gw_config__set_err(err, errlen, origin, "clients: expected an array of {\"name\", \"key\"} objects");
        return -1;
    }
    cfg->nclients = json_array_size(arr);
    cfg->clients = calloc(cfg->nclients + 1, sizeof(*cfg->clients));
    if (cfg->clients == NULL)
        return -1;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        char where[32];
        snprintf(where, sizeof(where), "clients[%zu]", i);
        if (parse_credential(e, where, "name", &cfg->clients[i].name, cfg->clients[i].key_hash, origin, err, errlen) != 0)
            return -1;
        /* "markup": a factor (1.2 = +20 %) applied to this client's prices */
        json_t *mk = json_object_get(e, "markup");
        cfg->clients[i].markup_permille = 1000;
        if (mk != NULL && pol_pricing_markup_permille(mk, &cfg->clients[i].markup_permille) != 0) {
            gw_config__set_err(err, errlen, origin, "%s.markup: expected a factor such as 1.2 (0.001..1000)", where);
            return -1;
        }
    }
    return 0;
}

int gw_config__parse_admin_tokens(gw_config_t *cfg, json_t *arr, const char *origin, char *err, size_t errlen)
{
    if (!json_is_array(arr)) {
        gw_config__set_err(err, errlen, origin, "admin_tokens: expected an array of {\"role\", \"token\"} objects");
        return -1;
    }
    cfg->nadmin_tokens = json_array_size(arr);
    cfg->admin_tokens = calloc(cfg->nadmin_tokens + 1, sizeof(*cfg->admin_tokens));
    if (cfg->admin_tokens == NULL)
        return -1;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        char where[40];
        snprintf(where, sizeof(where), "admin_tokens[%zu]", i);
        gw_admin_token_conf_t *t = &cfg->admin_tokens[i];
        if (parse_credential(e, where, "role", &t->role, t->token_hash, origin, err, errlen) != 0)
            return -1;
        if (strcmp(t->role, "ops") != 0 && strcmp(t->role, "privacy") != 0 && strcmp(t->role, "admin") != 0) {
            gw_config__set_err(err, errlen, origin, "%s.role: expected one of ops|privacy|admin", where);
            return -1;
        }
    }
    return 0;
}

/* providers.NAME.binary_routes: [glob, ...] (see config.h). */
static int parse_binary_routes(gw_provider_conf_t *pc, json_t *arr, const char *where, const char *origin, char *err, size_t errlen)
{
    if (arr == NULL)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > 64) {
        gw_config__set_err(err, errlen, origin, "%s.binary_routes: expected an array of up to 64 path globs (\"audio/*\")", where);
        return -1;
    }
    if ((pc->binary_routes = calloc(json_array_size(arr) + 1, sizeof(char *))) == NULL)
        return -1;
    size_t i;
    json_t *g;
    json_array_foreach(arr, i, g)
    {
        const char *s = json_string_value(g);
        if (s == NULL || *s == '\0' || *s == '/' || strlen(s) > 256 || strpbrk(s, "?#%") != NULL) {
            gw_config__set_err(
                err, errlen, origin,
                "%s.binary_routes[%zu]: expected a glob over the path after the route prefix, without a leading '/', "
                "'?', '#' or '%%' (\"audio/transcriptions\")",
                where, i);
            return -1;
        }
        pc->binary_routes[pc->nbinary_routes++] = strdup(s);
    }
    return 0;
}

/* A header field name: an RFC 9110 token. */
static int is_token(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", *s) != NULL)
            return 0;
    return 1;
}

int gw_config__parse_forward_headers(gw_config_t *cfg, json_t *arr, const char *origin, char *err, size_t errlen)
{
    if (arr == NULL)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > 64) {
        gw_config__set_err(err, errlen, origin,
                           "upstream.forward_headers: expected an array of up to 64 header names or prefixes (\"x-trace-*\")");
        return -1;
    }
    if ((cfg->upstream.forward_headers = calloc(json_array_size(arr) + 1, sizeof(char *))) == NULL)
        return -1;
    size_t i;
    json_t *h;
    json_array_foreach(arr, i, h)
    {
        const char *s = json_string_value(h);
        char name[65];
        size_t n = s != NULL ? strlen(s) : 0;
        if (n != 0 && n < sizeof(name)) {
            memcpy(name, s, n + 1);
            if (name[n - 1] == '*')
                name[n - 1] = '\0';
        }
        if (n == 0 || n >= sizeof(name) || !is_token(name) || strchr(name, '*') != NULL) {
            gw_config__set_err(err, errlen, origin,
                               "upstream.forward_headers[%zu]: expected a header name, or a prefix of one ending in '*' "
                               "(\"x-trace-id\", \"x-trace-*\"), of at most 64 characters",
                               i);
            return -1;
        }
        char *c = strdup(s);
        if (c == NULL)
            return -1;
        for (char *p = c; *p != '\0'; p++)
            *p = (char)tolower((unsigned char)*p);
        cfg->upstream.forward_headers[cfg->upstream.nforward_headers++] = c;
    }
    return 0;
}

/* providers.NAME.headers: {"OpenAI-Organization": "org-..."} (see config.h). Credentials and framing headers are not
 * accepted here: the provider key has its own key, the rest is aigw's. */
static int parse_provider_headers(gw_provider_conf_t *pc, json_t *obj, const char *where, const char *origin, char *err,
                                  size_t errlen)
{
    static const char *const reserved[] = {"host", "content-length", "content-type", "transfer-encoding", "connection", "cookie"};
    if (obj == NULL)
        return 0;
    if (!json_is_object(obj) || json_object_size(obj) > 16) {
        gw_config__set_err(err, errlen, origin, "%s.headers: expected an object of up to 16 {\"Header-Name\": \"value\"}", where);
        return -1;
    }
    size_t n = json_object_size(obj);
    if ((pc->header_names = calloc(n + 1, sizeof(char *))) == NULL || (pc->header_values = calloc(n + 1, sizeof(char *))) == NULL)
        return -1;
    const char *name;
    json_t *v;
    json_object_foreach(obj, name, v)
    {
        const char *val = json_string_value(v);
        if (!is_token(name) || strlen(name) > 64) {
            gw_config__set_err(err, errlen, origin, "%s.headers.%s: expected a header name (RFC 9110 token)", where, name);
            return -1;
        }
        int set_by_aigw = strncasecmp(name, "x-aigw-", 7) == 0;
        for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
            set_by_aigw |= strcasecmp(name, reserved[i]) == 0;
        for (const char *const *c = prov_credential_headers; *c != NULL; c++) /* the provider key has its own setting */
            set_by_aigw |= strcasecmp(name, *c) == 0;
        if (set_by_aigw) {
            gw_config__set_err(err, errlen, origin, "%s.headers.%s: aigw sets this header itself", where, name);
            return -1;
        }
        int ok = val != NULL && strlen(val) <= 1024;
        for (const char *c = ok ? val : ""; *c != '\0'; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                ok = 0;
        if (!ok) {
            gw_config__set_err(err, errlen, origin, "%s.headers.%s: expected a string of printable characters (at most 1024)",
                               where, name);
            return -1;
        }
        pc->header_names[pc->nheaders] = strdup(name);
        pc->header_values[pc->nheaders++] = strdup(val);
    }
    return 0;
}

int gw_config__parse_providers(gw_config_t *cfg, json_t *obj, json_t *key_envs, const char *origin, char *err, size_t errlen)
{
    static const char *const keys[] = {"base_url", "api_key", "tier", "binary_routes", "headers"};
    if (!json_is_object(obj)) {
        gw_config__set_err(err, errlen, origin, "providers: expected an object {\"<provider>\": {\"base_url\", \"api_key\"}}");
        return -1;
    }
    cfg->nproviders = json_object_size(obj);
    cfg->providers = calloc(cfg->nproviders + 1, sizeof(*cfg->providers));
    if (cfg->providers == NULL)
        return -1;
    size_t i = 0;
    const char *name;
    json_t *p;
    json_object_foreach(obj, name, p)
    {
        char where[96];
        snprintf(where, sizeof(where), "providers.%s", name);
        if (prov_find(name) == NULL) {
            gw_buf_t names = GW_BUF_INIT;
            size_t n;
            const prov_adapter_t *const *all = prov_all(&n);
            for (size_t j = 0; j < n; j++)
                gw_buf_appendf(&names, "%s%s", j ? "|" : "", all[j]->name);
            gw_config__set_err(err, errlen, origin, "%s: unknown provider (expected one of %s)", where, names.base);
            gw_buf_free(&names);
            return -1;
        }
        if (gw_config__check_keys(p, where, keys, sizeof(keys) / sizeof(keys[0]), origin, err, errlen) != 0)
            return -1;
        json_t *url = json_object_get(p, "base_url"), *key = json_object_get(p, "api_key"), *tier = json_object_get(p, "tier");
        const prov_adapter_t *ad = prov_find(name);
        const char *u = url == NULL ? ad->default_base_url : json_is_string(url) ? json_string_value(url) : "";
        if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0) {
            gw_config__set_err(err, errlen, origin, "%s.base_url: expected an http:// or https:// URL (default %s)", where,
                               ad->default_base_url);
            return -1;
        }
        if (key != NULL && !json_is_string(key)) {
            gw_config__set_err(err, errlen, origin, "%s.api_key: expected a string", where);
            return -1;
        }
        if (tier != NULL && (!json_is_string(tier) ||
                             (strcmp(json_string_value(tier), "paid") != 0 && strcmp(json_string_value(tier), "free") != 0))) {
            gw_config__set_err(err, errlen, origin, "%s.tier: expected \"paid\" or \"free\"", where);
            return -1;
        }
        gw_provider_conf_t *pc = &cfg->providers[i++];
        pc->name = strdup(name);
        pc->base_url = strdup(u);
        size_t ul = strlen(pc->base_url);
        while (ul > 0 && pc->base_url[ul - 1] == '/')
            pc->base_url[--ul] = '\0';
        const char *k = key != NULL ? json_string_value(key) : "";
        pc->api_key = sodium_malloc(strlen(k) + 1);
        if (pc->api_key == NULL)
            return -1;
        memcpy(pc->api_key, k, strlen(k) + 1);
        pc->tier = tier != NULL ? dup_str(tier) : NULL;
        const char *env = json_string_value(json_object_get(key_envs, name));
        pc->api_key_env = strdup(env != NULL ? env : ad->api_key_env);
        if (parse_binary_routes(pc, json_object_get(p, "binary_routes"), where, origin, err, errlen) != 0 ||
            parse_provider_headers(pc, json_object_get(p, "headers"), where, origin, err, errlen) != 0)
            return -1;
    }
    return 0;
}

/* {"gemini": "GEMINI_API_KEY"} for every providers.<name>.api_key that is a bare "${NAME}" or
 * "${NAME:-default}", read before expansion so a missing key can be named in errors. */
json_t *gw_config__api_key_env_names(json_t *providers)
{
    json_t *out = json_object();
    const char *name;
    json_t *p;
    json_object_foreach(providers, name, p)
    {
        const char *s = json_string_value(json_object_get(p, "api_key"));
        if (s == NULL || strncmp(s, "${", 2) != 0 || s[strlen(s) - 1] != '}')
            continue;
        size_t n = strcspn(s + 2, ":}");
        if (n == 0 || n > 128 || strchr(s + 2 + n, '$') != NULL)
            continue;
        json_object_set_new(out, name, json_stringn(s + 2, n));
    }
    return out;
}
