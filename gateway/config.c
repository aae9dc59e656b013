/*
 * Config loading (see config.h). The design follows redis' config table: every scalar key is one
 * row of `scalar_keys` with its type, bounds, default and unit in the name; structured keys
 * (listen, clients, admin_tokens, providers) have a parse function each; sections owned by other
 * modules are listed in `top_keys` and kept as JSON. Anything else is an error, so a typo
 * fails at start instead of silently using a default.
 *
 * Order: parse JSON (jansson, start-up only) -> expand ${ENV} in every string, in place ->
 * fill defaults -> apply rows -> structured keys (config_sections.c) -> cross checks.
 */
#include "gateway/config.h"
#include "gateway/config_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#include <sodium.h>

#include "gateway/fallback.h"
#include "gateway/retry.h"

const char gw_config_embedded_default[] =
    "{\n"
    "  \"listen\": [{\"host\": \"127.0.0.1\", \"port\": 8080}],\n"
    "  \"clients\": [{\"name\": \"backend\", \"key\": \"${AIGW_CLIENT_KEY}\"}],\n"
    "  \"master_key_file\": \"${AIGW_MASTER_KEY_FILE:-var/master.key}\",\n"
    "  \"store\": {\"driver\": \"sqlite\", \"path\": \"${AIGW_DB:-var/aigw.db}\"},\n"
    "  \"providers\": {\"openai\": {\"base_url\": \"${OPENAI_BASE_URL:-https://api.openai.com}\",\n"
    "                             \"api_key\": \"${OPENAI_API_KEY:-}\"}}\n"
    "}\n";

typedef enum { KEY_U64, KEY_STR } key_type_t;

struct st_scalar_key_t {
    const char *path; /* dotted */
    key_type_t type;
    size_t offset;
    uint64_t min, max;   /* KEY_U64 bounds, inclusive */
    uint64_t def_u64;    /* KEY_U64 default */
    const char *def_str; /* KEY_STR default (NULL = unset) */
};

#define OFF(f) offsetof(gw_config_t, f)
static const struct st_scalar_key_t scalar_keys[] = {
    {"workers", KEY_U64, OFF(workers), 0, 256, 0, NULL},
    {"limits.max_request_body_bytes", KEY_U64, OFF(max_request_body_bytes), 1024, (uint64_t)1 << 30, 20u << 20, NULL},
    {"limits.scan_offload_min_bytes", KEY_U64, OFF(scan_offload_min_bytes), 0, (uint64_t)1 << 31, 256u << 10, NULL},
    {"limits.scan_threads", KEY_U64, OFF(scan_threads), 1, 64, 2, NULL},
    {"upstream.connect_timeout_ms", KEY_U64, OFF(upstream.connect_timeout_ms), 1, 600000, 10000, NULL},
    {"upstream.first_byte_timeout_ms", KEY_U64, OFF(upstream.first_byte_timeout_ms), 1, 3600000, 300000, NULL},
    {"upstream.idle_timeout_ms", KEY_U64, OFF(upstream.idle_timeout_ms), 1, 3600000, 120000, NULL},
    {"upstream.max_connections", KEY_U64, OFF(upstream.max_connections), 1, 100000, 1024, NULL},
    {"upstream.ca_file", KEY_STR, OFF(upstream.ca_file), 0, 0, 0, NULL},
    {"drain_timeout_ms", KEY_U64, OFF(drain_timeout_ms), 0, 3600000, 30000, NULL},
    {"access_log.path", KEY_STR, OFF(access_log_path), 0, 0, 0, "-"},
    {"master_key_file", KEY_STR, OFF(master_key_file), 0, 0, 0, NULL},
};
#undef OFF

/* Every top-level key (the union of the two lists above and the scalar rows), for errors and hints. */
static const char *const top_keys[] = {"listen",  "workers",          "clients", "admin_tokens",    "providers",  "models",
                                       "store",   "master_key_file",  "pii",     "training",        "retention",  "pricing",
                                       "credits", "rate_limits",      "limits",  "upstream",        "access_log", "log_bodies",
                                       "metrics", "drain_timeout_ms", "retry",   "circuit_breaker", "fallbacks"};
/* Keys allowed inside the structured objects that are scalar-table parents. */
static const char *const limits_keys[] = {"max_request_body_bytes", "scan_offload_min_bytes", "scan_threads"};
static const char *const upstream_keys[] = {
    "connect_timeout_ms", "first_byte_timeout_ms", "idle_timeout_ms", "max_connections", "ca_file", "forward_headers"};
static const char *const access_log_keys[] = {"path"};

void gw_config__set_err(char *err, size_t errlen, const char *origin, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    int n = snprintf(err, errlen, "%s: ", origin);
    if (n < 0 || (size_t)n >= errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

void gw_config_hash_key(const char *key, size_t len, unsigned char out[GW_KEY_HASH_BYTES])
{
    crypto_generichash(out, GW_KEY_HASH_BYTES, (const unsigned char *)key, len, NULL, 0);
}

char *gw_config_expand_env(const char *in, char *err, size_t errlen)
{
    gw_buf_t out = GW_BUF_INIT;
    const char *p = in;
    if (gw_buf_reserve(&out, strlen(in)) != 0)
        goto oom;
    out.base[0] = '\0';
    while (*p != '\0') {
        if (p[0] == '$' && p[1] == '$') {
            if (gw_buf_append(&out, "$", 1) != 0)
                goto oom;
            p += 2;
            continue;
        }
        if (p[0] != '$' || p[1] != '{') {
            const char *next = strchr(p + 1, '$');
            size_t n = next != NULL ? (size_t)(next - p) : strlen(p);
            if (gw_buf_append(&out, p, n) != 0)
                goto oom;
            p += n;
            continue;
        }
        const char *close = strchr(p + 2, '}');
        if (close == NULL) {
            snprintf(err, errlen, "unterminated ${ in \"%s\"", in);
            goto fail;
        }
        const char *name = p + 2;
        const char *dflt = NULL;
        size_t name_len = (size_t)(close - name);
        const char *sep = memchr(name, ':', name_len);
        if (sep != NULL && sep + 1 < close && sep[1] == '-') {
            dflt = sep + 2;
            name_len = (size_t)(sep - name);
        }
        if (name_len == 0 || name_len > 128) {
            snprintf(err, errlen, "bad variable name in \"%s\"", in);
            goto fail;
        }
        for (size_t i = 0; i < name_len; i++) {
            char c = name[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                snprintf(err, errlen, "bad variable name in \"%s\" (expected ${NAME} or ${NAME:-default})", in);
                goto fail;
            }
        }
        char vname[129];
        memcpy(vname, name, name_len);
        vname[name_len] = '\0';
        const char *val = getenv(vname);
        if (val == NULL || (val[0] == '\0' && dflt != NULL)) {
            if (dflt == NULL) {
                snprintf(err, errlen, "environment variable %s is not set (use ${%s:-default} for an optional value)", vname,
                         vname);
                goto fail;
            }
            if (gw_buf_append(&out, dflt, (size_t)(close - dflt)) != 0)
                goto oom;
        } else if (gw_buf_append(&out, val, strlen(val)) != 0) {
            goto oom;
        }
        p = close + 1;
    }
    return out.base;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    gw_buf_free(&out);
    return NULL;
}

/* Expands every string in the tree in place; `path` accumulates the key path for errors. */
static int expand_tree(json_t *node, gw_buf_t *path, char *err, size_t errlen)
{
    size_t mark = path->len;
    int ret = 0;
    if (json_is_string(node)) {
        const char *s = json_string_value(node);
        if (strchr(s, '$') == NULL)
            return 0;
        char sub[512];
        char *x = gw_config_expand_env(s, sub, sizeof(sub));
        if (x == NULL) {
            snprintf(err, errlen, "%s: %s", path->len ? path->base : "(root)", sub);
            return -1;
        }
        json_string_set(node, x);
        sodium_memzero(x, strlen(x));
        free(x);
        return 0;
    }
    if (json_is_object(node)) {
        const char *k;
        json_t *v;
        json_object_foreach(node, k, v)
        {
            path->len = mark;
            if (gw_buf_appendf(path, "%s%s", mark ? "." : "", k) != 0 || (ret = expand_tree(v, path, err, errlen)) != 0)
                break;
        }
    } else if (json_is_array(node)) {
        size_t i;
        json_t *v;
        json_array_foreach(node, i, v)
        {
            path->len = mark;
            if (gw_buf_appendf(path, "[%zu]", i) != 0 || (ret = expand_tree(v, path, err, errlen)) != 0)
                break;
        }
    }
    path->len = mark;
    if (path->base != NULL)
        path->base[mark] = '\0';
    return ret;
}

static json_t *lookup_path(json_t *root, const char *dotted)
{
    char seg[64];
    json_t *cur = root;
    const char *p = dotted;
    while (cur != NULL && *p != '\0') {
        const char *dot = strchr(p, '.');
        size_t n = dot != NULL ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof(seg) || !json_is_object(cur))
            return NULL;
        memcpy(seg, p, n);
        seg[n] = '\0';
        cur = json_object_get(cur, seg);
        p += n + (dot != NULL);
    }
    return cur;
}

static int in_list(const char *k, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(k, list[i]) == 0)
            return 1;
    return 0;
}

int gw_config__check_keys(json_t *obj, const char *where, const char *const *allowed, size_t n, const char *origin, char *err,
                          size_t errlen)
{
    const char *k;
    json_t *v;
    if (!json_is_object(obj)) {
        gw_config__set_err(err, errlen, origin, "%s: expected an object", where);
        return -1;
    }
    json_object_foreach(obj, k, v)
    {
        if (!in_list(k, allowed, n)) {
            gw_buf_t names = GW_BUF_INIT;
            for (size_t i = 0; i < n; i++)
                gw_buf_appendf(&names, "%s%s", i ? ", " : "", allowed[i]);
            gw_config__set_err(err, errlen, origin, "%s%s%s: unknown key (expected %s)", where, *where ? "." : "", k,
                               names.base != NULL ? names.base : "none");
            gw_buf_free(&names);
            gw_config_hint_unknown_key(err, errlen);
            return -1;
        }
    }
    return 0;
}

static int apply_scalars(gw_config_t *cfg, const char *origin, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof(scalar_keys) / sizeof(scalar_keys[0]); i++) {
        const struct st_scalar_key_t *k = &scalar_keys[i];
        json_t *v = lookup_path(cfg->root, k->path);
        char *base = (char *)cfg + k->offset;
        if (k->type == KEY_U64) {
            uint64_t val = k->def_u64;
            if (v != NULL) {
                if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) < k->min ||
                    (uint64_t)json_integer_value(v) > k->max) {
                    gw_config__set_err(err, errlen, origin, "%s: expected an integer in %" PRIu64 "..%" PRIu64, k->path, k->min,
                                       k->max);
                    return -1;
                }
                val = (uint64_t)json_integer_value(v);
            }
            if (strcmp(k->path, "workers") == 0)
                *(unsigned *)base = (unsigned)val;
            else if (strcmp(k->path, "limits.max_request_body_bytes") == 0)
                *(size_t *)base = (size_t)val;
            else
                *(uint64_t *)base = val;
        } else {
            const char *s = k->def_str;
            if (v != NULL) {
                if (!json_is_string(v)) {
                    gw_config__set_err(err, errlen, origin, "%s: expected a string", k->path);
                    return -1;
                }
                s = json_string_value(v);
            }
            *(char **)base = s != NULL ? strdup(s) : NULL;
        }
    }
    return 0;
}

/* Secrets are kept only as hashes (client keys, admin tokens) or in sodium_malloc memory (provider
 * keys): wipe the plaintext copies jansson holds and drop them from the tree. */
static void wipe_member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_string(v)) {
        sodium_memzero((char *)json_string_value(v), json_string_length(v));
        json_object_del(obj, key);
    }
}

static void scrub_secrets(json_t *root)
{
    size_t i;
    json_t *e;
    const char *name;
    json_array_foreach(json_object_get(root, "clients"), i, e) wipe_member(e, "key");
    json_array_foreach(json_object_get(root, "admin_tokens"), i, e)
    {
        wipe_member(e, "token");
        wipe_member(e, "key");
    }
    json_object_foreach(json_object_get(root, "providers"), name, e) wipe_member(e, "api_key");
}

gw_config_t *gw_config_parse(const char *json, size_t len, const char *origin, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *key_envs = NULL;
    gw_config_t *cfg = calloc(1, sizeof(*cfg));
    gw_buf_t path = GW_BUF_INIT;
    if (cfg == NULL || sodium_init() < 0) {
        gw_config__set_err(err, errlen, origin, "out of memory");
        free(cfg);
        return NULL;
    }
    cfg->path = strdup(origin);
    if ((cfg->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
        gw_config__set_err(err, errlen, origin, "line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        goto fail;
    }
    if (!json_is_object(cfg->root)) {
        gw_config__set_err(err, errlen, origin, "expected a JSON object at the top level");
        goto fail;
    }
    key_envs = gw_config__api_key_env_names(json_object_get(cfg->root, "providers"));
    char sub[600];
    if (expand_tree(cfg->root, &path, sub, sizeof(sub)) != 0) {
        gw_config__set_err(err, errlen, origin, "%s", sub);
        goto fail;
    }
    json_t *v;
    if (gw_config__check_keys(cfg->root, "", top_keys, sizeof(top_keys) / sizeof(top_keys[0]), origin, err, errlen) != 0)
        goto fail;
    if ((v = json_object_get(cfg->root, "limits")) != NULL &&
        gw_config__check_keys(v, "limits", limits_keys, sizeof(limits_keys) / sizeof(limits_keys[0]), origin, err, errlen) != 0)
        goto fail;
    if ((v = json_object_get(cfg->root, "upstream")) != NULL &&
        gw_config__check_keys(v, "upstream", upstream_keys, sizeof(upstream_keys) / sizeof(upstream_keys[0]), origin, err,
                              errlen) != 0)
        goto fail;
    if ((v = json_object_get(cfg->root, "access_log")) != NULL &&
        gw_config__check_keys(v, "access_log", access_log_keys, 1, origin, err, errlen) != 0)
        goto fail;
    if (apply_scalars(cfg, origin, err, errlen) != 0)
        goto fail;

    json_t *listen = json_object_get(cfg->root, "listen");
    if (listen == NULL) {
        json_t *dflt = json_loads("[{\"host\":\"127.0.0.1\",\"port\":8080}]", 0, NULL);
        json_object_set_new(cfg->root, "listen", dflt);
        listen = dflt;
    }
    if (gw_config__parse_listen(cfg, listen, origin, err, errlen) != 0)
        goto fail;
    if ((v = json_object_get(cfg->root, "clients")) != NULL && gw_config__parse_clients(cfg, v, origin, err, errlen) != 0)
        goto fail;
    if ((v = json_object_get(cfg->root, "admin_tokens")) != NULL && gw_config__parse_admin_tokens(cfg, v, origin, err, errlen) != 0)
        goto fail;
    if ((v = json_object_get(cfg->root, "providers")) != NULL &&
        gw_config__parse_providers(cfg, v, key_envs, origin, err, errlen) != 0)
        goto fail;
    if ((v = json_object_get(cfg->root, "upstream")) != NULL &&
        gw_config__parse_forward_headers(cfg, json_object_get(v, "forward_headers"), origin, err, errlen) != 0)
        goto fail;
    for (size_t i = 0; i < cfg->nlisten; i++)
        for (size_t j = i + 1; j < cfg->nlisten; j++)
            if (cfg->listen[i].port == cfg->listen[j].port && strcmp(cfg->listen[i].host, cfg->listen[j].host) == 0) {
                gw_config__set_err(err, errlen, origin, "listen[%zu]: %s:%u is already used by listen[%zu]", j, cfg->listen[j].host,
                                   cfg->listen[j].port, i);
                goto fail;
            }
    {
        /* retry / circuit_breaker are validated here so that `aigw check` reports them (gateway/retry.h) */
        char rerr[300];
        gw_retry_t *r =
            gw_retry_new(json_object_get(cfg->root, "retry"), json_object_get(cfg->root, "circuit_breaker"), rerr, sizeof(rerr));
        if (r == NULL) {
            gw_config__set_err(err, errlen, origin, "%s", rerr);
            gw_config_hint_unknown_key(err, errlen);
            goto fail;
        }
        gw_retry_free(r);
        gw_fallbacks_t *fb = gw_fallbacks_new(json_object_get(cfg->root, "fallbacks"), rerr, sizeof(rerr));
        if (fb == NULL) {
            gw_config__set_err(err, errlen, origin, "%s", rerr);
            goto fail;
        }
        gw_fallbacks_free(fb);
    }
    scrub_secrets(cfg->root);
    gw_buf_free(&path);
    json_decref(key_envs);
    return cfg;
fail:
    gw_buf_free(&path);
    json_decref(key_envs);
    gw_config_free(cfg);
    return NULL;
}

static int read_file(const char *path, gw_buf_t *buf, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        gw_config__set_err(err, errlen, path, "cannot open: %s", strerror(errno));
        return -1;
    }
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (gw_buf_append(buf, chunk, n) != 0 || buf->len > (16u << 20)) {
            gw_config__set_err(err, errlen, path, "file too large or out of memory");
            fclose(fp);
            gw_buf_free(buf);
            return -1;
        }
    }
    int rd_err = ferror(fp);
    fclose(fp);
    if (rd_err) {
        gw_config__set_err(err, errlen, path, "read error");
        gw_buf_free(buf);
        return -1;
    }
    return 0;
}

gw_config_t *gw_config_load(const char *path, char *err, size_t errlen)
{
    gw_buf_t buf = GW_BUF_INIT;
    if (read_file(path, &buf, err, errlen) != 0)
        return NULL;
    gw_config_t *cfg = gw_config_parse(buf.base != NULL ? buf.base : "", buf.len, path, err, errlen);
    gw_buf_free(&buf);
    return cfg;
}

void gw_config_free(gw_config_t *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; i < cfg->nlisten; i++) {
        free(cfg->listen[i].host);
        free(cfg->listen[i].tls_cert);
        free(cfg->listen[i].tls_key);
    }
    free(cfg->listen);
    for (size_t i = 0; i < cfg->nclients; i++)
        free(cfg->clients[i].name);
    free(cfg->clients);
    for (size_t i = 0; i < cfg->nadmin_tokens; i++)
        free(cfg->admin_tokens[i].role);
    free(cfg->admin_tokens);
    for (size_t i = 0; i < cfg->nproviders; i++) {
        free(cfg->providers[i].name);
        free(cfg->providers[i].base_url);
        if (cfg->providers[i].api_key != NULL)
            sodium_free(cfg->providers[i].api_key);
        free(cfg->providers[i].tier);
        free(cfg->providers[i].api_key_env);
        for (size_t j = 0; j < cfg->providers[i].nbinary_routes; j++)
            free(cfg->providers[i].binary_routes[j]);
        free(cfg->providers[i].binary_routes);
        for (size_t j = 0; j < cfg->providers[i].nheaders; j++) {
            free(cfg->providers[i].header_names[j]);
            free(cfg->providers[i].header_values[j]);
        }
        free(cfg->providers[i].header_names);
        free(cfg->providers[i].header_values);
    }
    free(cfg->providers);
    free(cfg->upstream.ca_file);
    for (size_t i = 0; i < cfg->upstream.nforward_headers; i++)
        free(cfg->upstream.forward_headers[i]);
    free(cfg->upstream.forward_headers);
    free(cfg->access_log_path);
    free(cfg->master_key_file);
    free(cfg->path);
    if (cfg->root != NULL)
        json_decref(cfg->root);
    free(cfg);
}

json_t *gw_config_section(const gw_config_t *cfg, const char *name)
{
    return json_object_get(cfg->root, name);
}

const char *gw_config_master_key_file(const gw_config_t *cfg)
{
    return cfg->master_key_file;
}

const gw_provider_conf_t *gw_config_provider(const gw_config_t *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nproviders; i++)
        if (strcmp(cfg->providers[i].name, name) == 0)
            return &cfg->providers[i];
    return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            size_t best = diag + (same ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

const char *gw_config_closest(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX, wl = strlen(word);
    size_t limit = wl / 3 > 0 ? wl / 3 : 1;
    for (size_t i = 0; i < n; i++) {
        size_t cl = strlen(candidates[i]);
        size_t d = edit_distance(word, candidates[i]);
        if (wl >= 3 && cl >= 3 && (strncasecmp(word, candidates[i], wl < cl ? wl : cl) == 0))
            d = d < limit ? d : limit; /* one is a prefix of the other: EMAIL -> EMAIL_ADDRESS */
        if (d <= limit && d < wl && d < best_d) {
            best = candidates[i];
            best_d = d;
        }
    }
    return best;
}

void gw_config_hint_unknown_key(char *err, size_t errlen)
{
    static const char marker[] = ": unknown key (expected ";
    static const char marker2[] = ": unknown field (expected "; /* pricing's word, same length */
    char *m = strstr(err, marker);
    if (m == NULL)
        m = strstr(err, marker2);
    if (m == NULL || strstr(err, "did you mean") != NULL)
        return;
    /* the unknown key: the last path segment before the marker */
    char *seg = m;
    while (seg > err && seg[-1] != '.' && seg[-1] != ' ')
        seg--;
    char word[96];
    snprintf(word, sizeof(word), "%.*s", (int)(m - seg), seg);
    /* the expected names: a, b, c / a|b|c, up to ')' or ';' */
    char list[1024];
    snprintf(list, sizeof(list), "%s", m + sizeof(marker) - 1);
    list[strcspn(list, ");")] = '\0';
    const char *cands[64];
    size_t n = 0;
    for (char *p = list; *p != '\0' && n < 64;) {
        p += strspn(p, " ,|");
        if (strncmp(p, "or ", 3) == 0)
            p += 3;
        size_t len = strcspn(p, " ,|");
        if (len == 0)
            break;
        cands[n++] = p;
        if (p[len] == '\0')
            break;
        p[len] = '\0';
        p += len + 1;
    }
    const char *best = gw_config_closest(word, cands, n);
    size_t used = strlen(err);
    if (best != NULL && used < errlen)
        snprintf(err + used, errlen - used, " (did you mean \"%s\"?)", best);
}

gw_config_t *gw_config_parse_store_only(const char *json, size_t len, const char *origin, char *err, size_t errlen)
{
    static const char *const keep[] = {"store", "master_key_file", "retention", "log_bodies", "credits", "pricing"};
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        gw_config__set_err(err, errlen, origin, "line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        gw_config__set_err(err, errlen, origin, "expected a JSON object at the top level");
        return NULL;
    }
    json_t *sub = json_object();
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        json_t *v = json_object_get(root, keep[i]);
        if (v != NULL)
            json_object_set(sub, keep[i], v);
    }
    char *text = json_dumps(sub, JSON_COMPACT);
    json_decref(sub);
    json_decref(root);
    if (text == NULL) {
        gw_config__set_err(err, errlen, origin, "out of memory");
        return NULL;
    }
    gw_config_t *cfg = gw_config_parse(text, strlen(text), origin, err, errlen);
    free(text);
    return cfg;
}

gw_config_t *gw_config_load_store_only(const char *path, char *err, size_t errlen)
{
    if (path == NULL)
        return gw_config_parse_store_only(gw_config_embedded_default, strlen(gw_config_embedded_default), "<embedded defaults>",
                                          err, errlen);
    gw_buf_t buf = GW_BUF_INIT;
    if (read_file(path, &buf, err, errlen) != 0)
        return NULL;
    gw_config_t *cfg = gw_config_parse_store_only(buf.base != NULL ? buf.base : "", buf.len, path, err, errlen);
    gw_buf_free(&buf);
    return cfg;
}
