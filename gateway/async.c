/*
 * Prediction links rewritten to aigw's routes, as the adapter declares them, and stream capabilities (see async.h).
 * A capability is
 * base64url(nonce || XChaCha20-Poly1305(key, nonce, JSON)) with the JSON
 * {"v":1,"u":upstream,"usr":user,"cl":client,"exp":unix,"t":[[token,value],...]}; the version
 * byte "v" lets the format change without accepting old boxes by mistake.
 */
#include "gateway/async.h"

#include "common/log.h"
#include "policy/pii/pii.h"

#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int gw_async_vault_add(gw_async_vault_t *v, const char *token, size_t tl, const char *value, size_t vl)
{
    for (size_t i = 0; i < v->n; i++)
        if (strlen(v->tokens[i]) == tl && memcmp(v->tokens[i], token, tl) == 0)
            return 0;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        char **t = realloc(v->tokens, cap * sizeof(*t));
        if (t == NULL)
            return -1;
        v->tokens = t;
        char **x = realloc(v->values, cap * sizeof(*x));
        if (x == NULL)
            return -1;
        v->values = x;
        v->cap = cap;
    }
    char *t = strndup(token, tl), *x = strndup(value, vl);
    if (t == NULL || x == NULL) {
        free(t);
        free(x);
        return -1;
    }
    v->tokens[v->n] = t;
    v->values[v->n] = x;
    v->n++;
    return 0;
}

static void free_strings(char **s, size_t n, int wipe)
{
    for (size_t i = 0; s != NULL && i < n; i++) {
        if (wipe && s[i] != NULL)
            sodium_memzero(s[i], strlen(s[i]));
        free(s[i]);
    }
    free(s);
}

void gw_async_vault_free(gw_async_vault_t *v)
{
    free_strings(v->tokens, v->n, 0);
    free_strings(v->values, v->n, 1);
    memset(v, 0, sizeof(*v));
}

int gw_async_cap_seal(const unsigned char key[GW_ASYNC_KEY_BYTES], const char *upstream_url, const char *user, const char *client,
                      int64_t expires, const gw_async_vault_t *v, gw_buf_t *out)
{
    int rc = -1;
    char *plain = NULL;
    unsigned char *box = NULL;
    char *b64 = NULL;
    json_t *t = json_array();
    json_t *doc = json_pack("{s:i, s:s, s:s, s:s, s:I, s:o}", "v", 1, "u", upstream_url, "usr", user, "cl",
                            client != NULL ? client : "", "exp", (json_int_t)expires, "t", t);
    if (doc == NULL)
        goto out;
    for (size_t i = 0; v != NULL && i < v->n; i++)
        if (json_array_append_new(t, json_pack("[s, s]", v->tokens[i], v->values[i])) != 0)
            goto out;
    if ((plain = json_dumps(doc, JSON_COMPACT)) == NULL)
        goto out;
    size_t plen = strlen(plain);
    size_t blen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plen + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if ((box = malloc(blen)) == NULL)
        goto out;
    randombytes_buf(box, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
                                               (const unsigned char *)plain, plen, NULL, 0, NULL, box, key);
    size_t b64len = sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if ((b64 = malloc(b64len)) == NULL)
        goto out;
    sodium_bin2base64(b64, b64len, box, blen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    rc = gw_buf_append(out, b64, strlen(b64));
out:
    if (plain != NULL) {
        sodium_memzero(plain, strlen(plain));
        free(plain);
    }
    free(box);
    free(b64);
    json_decref(doc); /* also frees t (stolen by "o") */
    if (doc == NULL)
        json_decref(t);
    return rc;
}

void gw_async_cap_free(gw_async_cap_t *cap)
{
    free(cap->upstream_url);
    free(cap->user);
    free(cap->client);
    free_strings(cap->tokens, cap->ntokens, 0);
    free_strings(cap->values, cap->ntokens, 1);
    memset(cap, 0, sizeof(*cap));
}

int gw_async_cap_open(const unsigned char key[GW_ASYNC_KEY_BYTES], const char *text, size_t len, int64_t now, gw_async_cap_t *cap,
                      const char **err_desc)
{
    memset(cap, 0, sizeof(*cap));
    *err_desc = "malformed";
    if (len == 0 || len > GW_ASYNC_CAP_MAX)
        return -1;
    unsigned char *box = malloc(len);
    unsigned char *plain = NULL;
    json_t *doc = NULL;
    int rc = -1;
    size_t blen = 0;
    if (box == NULL || sodium_base642bin(box, len, text, len, NULL, &blen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        blen < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
        goto out;
    size_t clen = blen - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if ((plain = malloc(clen)) == NULL)
        goto out;
    unsigned long long plen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, clen,
                                                   NULL, 0, box, key) != 0) {
        *err_desc = "forged or damaged";
        goto out;
    }
    json_error_t jerr;
    doc = json_loadb((const char *)plain, (size_t)plen, JSON_REJECT_DUPLICATES, &jerr);
    json_t *t = json_object_get(doc, "t");
    json_int_t exp = json_integer_value(json_object_get(doc, "exp"));
    const char *u = json_string_value(json_object_get(doc, "u"));
    const char *usr = json_string_value(json_object_get(doc, "usr"));
    const char *cl = json_string_value(json_object_get(doc, "cl"));
    if (json_integer_value(json_object_get(doc, "v")) != 1 || u == NULL || usr == NULL || cl == NULL || !json_is_array(t))
        goto out;
    if (exp < now) {
        *err_desc = "expired";
        goto out;
    }
    cap->expires = exp;
    cap->upstream_url = strdup(u);
    cap->user = strdup(usr);
    cap->client = strdup(cl);
    size_t n = json_array_size(t);
    cap->tokens = calloc(n + 1, sizeof(char *));
    cap->values = calloc(n + 1, sizeof(char *));
    if (cap->upstream_url == NULL || cap->user == NULL || cap->client == NULL || cap->tokens == NULL || cap->values == NULL)
        goto out;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(t, i);
        const char *tk = json_string_value(json_array_get(e, 0)), *val = json_string_value(json_array_get(e, 1));
        if (tk == NULL || val == NULL)
            goto out;
        cap->tokens[i] = strdup(tk);
        cap->values[i] = strdup(val);
        cap->ntokens = i + 1;
        if (cap->tokens[i] == NULL || cap->values[i] == NULL)
            goto out;
    }
    rc = 0;
out:
    if (rc != 0)
        gw_async_cap_free(cap);
    if (plain != NULL) {
        sodium_memzero(plain, (size_t)plen);
        free(plain);
    }
    free(box);
    json_decref(doc);
    return rc;
}

/* Replaces every token of tokens[0..n) found in `s`. @return 0 unchanged, 1 changed (out), -1 OOM. */
static int restore_tokens(char *const *tokens, char *const *values, size_t n, const char *s, size_t len, gw_buf_t *out)
{
    int changed = 0;
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '<')
            continue;
        for (size_t k = 0; k < n; k++) {
            size_t tl = strlen(tokens[k]);
            if (tl <= len - i && memcmp(s + i, tokens[k], tl) == 0) {
                if (!changed)
                    gw_buf_reset(out);
                changed = 1;
                if (gw_buf_append(out, s + from, i - from) != 0 || gw_buf_append(out, values[k], strlen(values[k])) != 0)
                    return -1;
                from = i + tl;
                i = from - 1;
                break;
            }
        }
    }
    if (changed && gw_buf_append(out, s + from, len - from) != 0)
        return -1;
    return changed;
}

int gw_async_restore_text(void *session, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    (void)path;
    const gw_async_cap_t *cap = session;
    return restore_tokens(cap->tokens, cap->values, cap->ntokens, s, len, out);
}

int gw_async_vault_restore_text(void *session, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    (void)path;
    const gw_async_vault_t *v = session;
    return restore_tokens(v->tokens, v->values, v->n, s, len, out);
}

static int valid_id(const char *id, size_t len)
{
    if (len == 0 || len > GW_ASYNC_ID_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

/* `path` (`len` bytes) without a leading '/' and without its query. */
static void path_span(const char **path, size_t *len)
{
    const char *q = memchr(*path, '?', *len);
    if (q != NULL)
        *len = (size_t)(q - *path);
    while (*len != 0 && (*path)[0] == '/') {
        (*path)++;
        (*len)--;
    }
}

/* fnmatch over a length-delimited subject (copied: routes are short). @return 1 match. */
static int glob_match(const char *glob, size_t gl, const char *s, size_t sl)
{
    char g[256], b[512];
    if (gl >= sizeof(g) || sl >= sizeof(b))
        return 0;
    memcpy(g, glob, gl);
    g[gl] = '\0';
    memcpy(b, s, sl);
    b[sl] = '\0';
    return fnmatch(g, b, 0) == 0;
}

/* Whether "METHOD glob" (`e`) names `method` (`ml` bytes); *glob points after the space. */
static int route_method(const char *e, const char *method, size_t ml, const char **glob)
{
    const char *sp = strchr(e, ' ');
    if (sp == NULL || (size_t)(sp - e) != ml || memcmp(e, method, ml) != 0)
        return 0;
    *glob = sp + 1;
    return 1;
}

gw_async_kind_t gw_async_classify(const prov_adapter_t *a, const char *method, size_t ml, const char *path, size_t pl,
                                  const char *origin, char id[GW_ASYNC_ID_MAX + 1])
{
    const char *glob;
    if (a == NULL || (a->async_origin != NULL && (origin == NULL || strcmp(origin, a->async_origin) != 0)))
        return GW_ASYNC_NONE;
    path_span(&path, &pl);
    for (size_t i = 0; a->async_read_routes != NULL && a->async_read_routes[i] != NULL; i++) {
        if (!route_method(a->async_read_routes[i], method, ml, &glob))
            continue;
        /* "prefix{id}suffix": the path ends with suffix, the id is the segment before it, the rest matches prefix */
        const char *mark = strstr(glob, "{id}");
        if (mark == NULL)
            continue;
        const char *suffix = mark + 4;
        size_t sl = strlen(suffix);
        if (pl < sl || memcmp(path + pl - sl, suffix, sl) != 0)
            continue;
        size_t rl = pl - sl, from = rl;
        while (from > 0 && path[from - 1] != '/')
            from--;
        if (valid_id(path + from, rl - from) && glob_match(glob, (size_t)(mark - glob), path, from)) {
            memcpy(id, path + from, rl - from);
            id[rl - from] = '\0';
            return GW_ASYNC_READ;
        }
    }
    for (size_t i = 0; a->async_create_routes != NULL && a->async_create_routes[i] != NULL; i++)
        if (route_method(a->async_create_routes[i], method, ml, &glob) && glob_match(glob, strlen(glob), path, pl))
            return GW_ASYNC_CREATE;
    return GW_ASYNC_NONE;
}

/* The first of the adapter's id members present in the object `p`, or NULL. */
static json_t *answer_id(const prov_adapter_t *a, const json_t *p)
{
    json_t *v = NULL;
    for (size_t i = 0; a->async_id_fields != NULL && a->async_id_fields[i] != NULL && v == NULL; i++)
        v = json_object_get(p, a->async_id_fields[i]);
    return v;
}

int gw_async_answer_state(const prov_adapter_t *a, const char *json, size_t len, gw_async_state_t *st)
{
    memset(st, 0, sizeof(*st));
    json_t *doc = json_loadb(json, len, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return -1;
    }
    const char *id = json_string_value(answer_id(a, doc));
    if (id != NULL && valid_id(id, strlen(id)))
        snprintf(st->id, sizeof(st->id), "%s", id);
    const char *const *terminal = a->async_terminal_statuses;
    const char *status = a->async_status_field != NULL ? json_string_value(json_object_get(doc, a->async_status_field)) : NULL;
    for (size_t i = 0; status != NULL && terminal != NULL && terminal[i] != NULL && !st->terminal; i++)
        st->terminal = strcmp(status, terminal[i]) == 0;
    json_decref(doc);
    return 0;
}

int gw_async_vault_to_json(const gw_async_vault_t *v, gw_buf_t *out)
{
    json_t *a = json_array();
    int rc = -1;
    for (size_t i = 0; a != NULL && i < v->n; i++)
        if (json_array_append_new(a, json_pack("[s, s]", v->tokens[i], v->values[i])) != 0)
            goto out;
    char *s = a != NULL ? json_dumps(a, JSON_COMPACT) : NULL;
    if (s != NULL) {
        rc = gw_buf_append(out, s, strlen(s));
        sodium_memzero(s, strlen(s));
        free(s);
    }
out:
    json_decref(a);
    return rc;
}

int gw_async_vault_from_json(const char *s, size_t len, gw_async_vault_t *v)
{
    json_t *a = json_loadb(s, len, JSON_REJECT_DUPLICATES, NULL);
    int rc = json_is_array(a) ? 0 : -1;
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        const char *tk = json_string_value(json_array_get(e, 0)), *val = json_string_value(json_array_get(e, 1));
        if (rc != 0 || tk == NULL || val == NULL || json_array_size(e) != 2 ||
            gw_async_vault_add(v, tk, strlen(tk), val, strlen(val)) != 0) {
            rc = -1;
            break;
        }
    }
    json_decref(a);
    if (rc != 0)
        gw_async_vault_free(v);
    return rc;
}

/* Restores the strings under `j` in place. @return 1 changed, 0 not, -1 OOM. */
static int restore_node(const gw_async_vault_t *v, json_t *j, gw_buf_t *tmp)
{
    int changed = 0, rc;
    if (json_is_string(j)) {
        if ((rc = restore_tokens(v->tokens, v->values, v->n, json_string_value(j), json_string_length(j), tmp)) == 1 &&
            json_string_setn(j, tmp->base, tmp->len) != 0)
            return -1;
        return rc;
    }
    if (json_is_array(j)) {
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e)
        {
            if ((rc = restore_node(v, e, tmp)) < 0)
                return -1;
            changed |= rc;
        }
        return changed;
    }
    if (json_is_object(j)) {
        const char *k;
        json_t *e;
        void *it = json_object_iter(j);
        /* keys first: a restored key replaces its member (collected, then re-inserted) */
        json_t *renamed = NULL;
        while (it != NULL) {
            k = json_object_iter_key(it);
            e = json_object_iter_value(it);
            it = json_object_iter_next(j, it);
            if ((rc = restore_node(v, e, tmp)) < 0)
                goto oom;
            changed |= rc;
            if ((rc = restore_tokens(v->tokens, v->values, v->n, k, strlen(k), tmp)) < 0)
                goto oom;
            if (rc == 1) {
                if (renamed == NULL && (renamed = json_object()) == NULL)
                    goto oom;
                if (gw_buf_append(tmp, "", 1) != 0 || json_object_set(renamed, tmp->base, e) != 0 || json_object_del(j, k) != 0)
                    goto oom;
                changed = 1;
            }
        }
        if (renamed != NULL && json_object_update(j, renamed) != 0)
            goto oom;
        json_decref(renamed);
        return changed;
    oom:
        json_decref(renamed);
        return -1;
    }
    return 0;
}

int gw_async_restore_json(const gw_async_vault_t *v, const char *json, size_t len, gw_buf_t *out)
{
    if (v == NULL || v->n == 0 || memchr(json, '<', len) == NULL)
        return 0;
    json_t *doc = json_loadb(json, len, JSON_DECODE_ANY, NULL);
    if (doc == NULL)
        return 0;
    gw_buf_t tmp = GW_BUF_INIT;
    int rc = restore_node(v, doc, &tmp);
    if (rc == 1) {
        char *s = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
        gw_buf_reset(out);
        rc = s != NULL && gw_buf_append(out, s, strlen(s)) == 0 ? 1 : -1;
        if (s != NULL) {
            sodium_memzero(s, strlen(s));
            free(s);
        }
    }
    if (tmp.base != NULL)
        sodium_memzero(tmp.base, tmp.len);
    gw_buf_free(&tmp);
    json_decref(doc);
    return rc;
}

/* Appends `route` with its "{id}" replaced by `id`. @return 0, or -1 on OOM. */
static int append_route(gw_buf_t *u, const char *route, const char *id)
{
    const char *mark = strstr(route, "{id}");
    if (mark == NULL)
        return gw_buf_append(u, route, strlen(route));
    if (gw_buf_append(u, route, (size_t)(mark - route)) != 0 || gw_buf_append(u, id, strlen(id)) != 0)
        return -1;
    return gw_buf_append(u, mark + 4, strlen(mark + 4));
}

/* Rewrites the declared links of one prediction object in place. @return 1 changed, 0 not, -1 OOM. */
static int rewrite_prediction(const prov_adapter_t *a, const gw_async_rewrite_t *rw, json_t *p)
{
    json_t *urls = json_object_get(p, a->async_links->object);
    const char *id = json_string_value(answer_id(a, p));
    if (!json_is_object(urls) || id == NULL || !valid_id(id, strlen(id)))
        return 0; /* never put an unexpected id into a URL */
    int changed = 0;
    gw_buf_t u = GW_BUF_INIT;
    for (const prov_async_link_t *l = a->async_links->table; l->field != NULL; l++) {
        json_t *old = json_object_get(urls, l->field);
        const char *upstream = json_string_value(old); /* a capability seals it: only a string */
        if (old == NULL || (l->capability && upstream == NULL))
            continue;
        gw_buf_reset(&u);
        if (gw_buf_appendf(&u, "%s%s", rw->public_base, rw->route_prefix) != 0 || append_route(&u, l->route, id) != 0)
            goto oom;
        GW_ASSERT(!l->capability || rw->key != NULL); /* an adapter with a capability link declares its key_label */
        if (l->capability &&
            (gw_buf_append(&u, "?aigw_cap=", 10) != 0 ||
             gw_async_cap_seal(rw->key, upstream, rw->user, rw->client, rw->now + GW_ASYNC_CAP_TTL_S, rw->vault, &u) != 0))
            goto oom;
        if (json_object_set_new(urls, l->field, json_stringn(u.base, u.len)) != 0)
            goto oom;
        changed = 1;
    }
    gw_buf_free(&u);
    return changed;
oom:
    gw_buf_free(&u);
    return -1;
}

int gw_async_rewrite_links(const prov_adapter_t *a, const gw_async_rewrite_t *rw, const char *json, size_t len, gw_buf_t *out)
{
    if (a == NULL || a->async_links == NULL)
        return 0;
    char quoted[128]; /* a cheap test first: no links member, nothing to parse */
    int ql = snprintf(quoted, sizeof(quoted), "\"%s\"", a->async_links->object);
    if (ql > 0 && (size_t)ql < sizeof(quoted) && memmem(json, len, quoted, (size_t)ql) == NULL)
        return 0;
    json_t *doc = json_loadb(json, len, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return 0;
    }
    int changed = 0, rc;
    json_t *results = a->async_links->list != NULL ? json_object_get(doc, a->async_links->list) : NULL;
    if (json_is_array(results)) {
        size_t i;
        json_t *p;
        json_array_foreach(results, i, p)
        {
            if ((rc = rewrite_prediction(a, rw, p)) < 0)
                goto oom;
            changed |= rc;
        }
    } else if ((rc = rewrite_prediction(a, rw, doc)) < 0) {
        goto oom;
    } else {
        changed = rc;
    }
    if (changed) {
        char *s = json_dumps(doc, JSON_COMPACT);
        if (s == NULL)
            goto oom;
        gw_buf_reset(out);
        rc = gw_buf_append(out, s, strlen(s));
        free(s);
        if (rc != 0)
            goto oom;
    }
    json_decref(doc);
    return changed;
oom:
    json_decref(doc);
    return -1;
}

int gw_async_stream_route(const prov_adapter_t *a, const char *rest, size_t len, const char **cap, size_t *cap_len)
{
    const prov_async_link_t *l = a != NULL && a->async_links != NULL ? a->async_links->table : NULL;
    while (l != NULL && l->field != NULL && !l->capability)
        l++;
    const char *mark = l != NULL && l->field != NULL ? strstr(l->route, "{id}") : NULL;
    if (mark == NULL)
        return 0; /* no capability link */
    const char *pre = l->route, *suf = mark + 4;
    size_t prel = (size_t)(mark - pre), sufl = strlen(suf);
    const char *q = memchr(rest, '?', len);
    size_t plen = q != NULL ? (size_t)(q - rest) : len;
    if (q == NULL || plen <= prel + sufl || memcmp(rest, pre, prel) != 0 || memcmp(rest + plen - sufl, suf, sufl) != 0)
        return 0;
    for (const char *c = rest + prel; c < rest + plen - sufl; c++)
        if (*c == '/')
            return 0;
    const char *end = rest + len, *p = q + 1;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pe = amp != NULL ? amp : end;
        if ((size_t)(pe - p) > 9 && memcmp(p, "aigw_cap=", 9) == 0) {
            *cap = p + 9;
            *cap_len = (size_t)(pe - p - 9);
            return 1;
        }
        p = pe + 1;
    }
    return 0;
}

/* Appends one event named `name` (`name_len` bytes; 0: unnamed) with `text` (data lines split at '\n'), ev's id and
 * its retry lines. */
static int emit_event(const char *name, size_t name_len, const gw_sse_event_t *ev, const char *text, size_t len, gw_buf_t *out)
{
    if (ev != NULL && ev->has_id &&
        (gw_buf_append(out, "id: ", 4) != 0 || gw_buf_append(out, ev->id, ev->id_len) != 0 || gw_buf_append(out, "\n", 1) != 0))
        return -1;
    if (ev != NULL && gw_sse_append_retry(ev, out) != 0)
        return -1;
    if (name_len != 0 &&
        (gw_buf_append(out, "event: ", 7) != 0 || gw_buf_append(out, name, name_len) != 0 || gw_buf_append(out, "\n", 1) != 0))
        return -1;
    size_t from = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        if (gw_buf_append(out, "data: ", 6) != 0 || gw_buf_append(out, text + from, i - from) != 0 ||
            gw_buf_append(out, "\n", 1) != 0)
            return -1;
        from = i + 1;
    }
    return gw_buf_append(out, "\n", 1);
}

/* Emits text[0, len) as one text event: restored from the vault (a scanned piece was scanned with its tokens in place). */
static int emit_restored(gw_async_sse_t *st, const gw_async_cap_t *cap, const gw_sse_event_t *ev, const char *text, size_t len,
                         gw_buf_t *out)
{
    if (len == 0)
        return 0;
    int rc = cap != NULL ? gw_async_restore_text((void *)cap, NULL, text, len, &st->restored) : 0;
    if (rc < 0)
        return -1;
    const char *t = rc == 1 ? st->restored.base : text;
    return emit_event(st->text_event, strlen(st->text_event), ev, t, rc == 1 ? st->restored.len : len, out);
}

/* Scans text[0, len) at `path` (the whole of it when `final`): *emit bytes covered, *piece / *plen what to send for them. */
static int scan_piece(gw_async_sse_t *st, const char *path, const char *text, size_t len, int final, size_t *emit,
                      const char **piece, size_t *plen)
{
    int rc = st->scan(st->scan_ctx, path, text, len, final, emit, &st->scanned);
    if (rc < 0)
        return -1;
    *piece = rc == 1 ? st->scanned.base : text;
    *plen = rc == 1 ? st->scanned.len : *emit;
    return 0;
}

/* An event with data that is not a text event (Replicate `logs`, `error`, `done`'s JSON, a kind added tomorrow): its data
 * is scanned as one text on its own (final; its path for the findings is the event's name) when st->scan is set, and
 * restored from the vault; re-serialised when that changed it, else passed as received. Before session 12 such events
 * passed unscanned: a model's log line or error message reached the client as the model wrote it. */
static int whole_event(gw_async_sse_t *st, const gw_async_cap_t *cap, const gw_sse_event_t *ev, gw_buf_t *out)
{
    const char *piece = ev->data;
    size_t plen = ev->data_len, emit = 0;
    if (st->scan != NULL) {
        char path[64];
        snprintf(path, sizeof(path), "%.*s", ev->event_len != 0 ? (int)ev->event_len : 7,
                 ev->event_len != 0 ? ev->event : "message");
        if (scan_piece(st, path, ev->data, ev->data_len, 1, &emit, &piece, &plen) != 0)
            return -1;
    }
    int rc = cap != NULL && plen != 0 ? gw_async_restore_text((void *)cap, NULL, piece, plen, &st->restored) : 0;
    if (rc < 0)
        return -1;
    if (rc == 1)
        piece = st->restored.base, plen = st->restored.len;
    if (piece == ev->data && plen == ev->data_len)
        return gw_buf_append(out, ev->raw, ev->raw_len); /* unchanged: as received */
    return emit_event(ev->event, ev->event_len, ev, piece, plen, out);
}

int gw_async_sse_finish(gw_async_sse_t *st, const gw_async_cap_t *cap, gw_buf_t *out)
{
    if (st->held.len == 0)
        return 0;
    const char *piece = st->held.base;
    size_t plen = st->held.len, emit = 0;
    if (st->scan != NULL && scan_piece(st, st->text_event, st->held.base, st->held.len, 1, &emit, &piece, &plen) != 0)
        return -1;
    int rc = emit_restored(st, cap, NULL, piece, plen, out);
    gw_buf_reset(&st->held);
    return rc;
}

int gw_async_sse_event(gw_async_sse_t *st, const gw_async_cap_t *cap, const gw_sse_event_t *ev, gw_buf_t *out)
{
    size_t tl = st->text_event != NULL ? strlen(st->text_event) : 0;
    if (!(tl != 0 && ev->has_data && ev->event_len == tl && memcmp(ev->event, st->text_event, tl) == 0)) {
        if (gw_async_sse_finish(st, cap, out) != 0)
            return -1;
        return ev->has_data ? whole_event(st, cap, ev, out) : gw_buf_append(out, ev->raw, ev->raw_len);
    }
    if (prov_output_media_url(st->media_urls, ev->data, ev->data_len)) {
        /* a generated file's link (an image model's output event), no text: not scanned, nothing to restore */
        if (gw_async_sse_finish(st, cap, out) != 0)
            return -1;
        return gw_buf_append(out, ev->raw, ev->raw_len);
    }
    gw_buf_reset(&st->text);
    if (gw_buf_append(&st->text, st->held.base != NULL ? st->held.base : "", st->held.len) != 0 ||
        gw_buf_append(&st->text, ev->data, ev->data_len) != 0)
        return -1;
    const char *piece = st->text.base;
    size_t emit = 0, plen = 0;
    if (st->scan != NULL) {
        /* the scan holds back what may continue (never cutting an entity); the vault's tokens are not the
         * session's, so a cut inside one is moved before it here (the piece ends with the same bytes then) */
        if (scan_piece(st, st->text_event, st->text.base, st->text.len, 0, &emit, &piece, &plen) != 0)
            return -1;
        size_t tp = pol_pii_token_prefix_len(st->text.base, emit);
        if (tp != 0 && plen >= tp && memcmp(piece + plen - tp, st->text.base + emit - tp, tp) == 0) {
            plen -= tp;
            emit -= tp;
        }
    } else {
        emit = plen = st->text.len - pol_pii_token_prefix_len(st->text.base, st->text.len);
    }
    gw_buf_reset(&st->held);
    if (emit < st->text.len && gw_buf_append(&st->held, st->text.base + emit, st->text.len - emit) != 0)
        return -1;
    return emit_restored(st, cap, ev, piece, plen, out); /* nothing to send yet: all of it may continue */
}

void gw_async_sse_free(gw_async_sse_t *st)
{
    gw_buf_free(&st->held);
    gw_buf_free(&st->text);
    gw_buf_free(&st->restored);
    gw_buf_free(&st->scanned);
}
