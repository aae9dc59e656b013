/*
 * Test support shared by unit tests and fuzz targets (see support.h).
 */
#include "support/support.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"

char *ts_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *b = NULL;
    long l;
    if (fseek(f, 0, SEEK_END) != 0 || (l = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 || (b = malloc((size_t)l + 1)) == NULL)
        goto fail;
    if (fread(b, 1, (size_t)l, f) != (size_t)l)
        goto fail;
    b[l] = '\0';
    *n = (size_t)l;
    fclose(f);
    return b;
fail:
    free(b);
    fclose(f);
    return NULL;
}

int ts_buf_equal(const gw_buf_t *a, const gw_buf_t *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->base, b->base, a->len) == 0);
}

int ts_json_upper(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    (void)ctx;
    (void)rule_id;
    (void)path;
    if (gw_buf_reserve(repl, len) != 0)
        return -1;
    for (size_t i = 0; i < len; i++)
        repl->base[repl->len + i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
    repl->len += len;
    return 1;
}

json_t *ts_json_upper_all(json_t *j)
{
    if (json_is_string(j)) {
        size_t n = json_string_length(j);
        char *s = malloc(n + 1);
        memcpy(s, json_string_value(j), n);
        for (size_t i = 0; i < n; i++)
            if (s[i] >= 'a' && s[i] <= 'z')
                s[i] = (char)(s[i] - 32);
        json_t *r = json_stringn(s, n);
        free(s);
        return r;
    }
    if (json_is_object(j)) {
        json_t *o = json_object();
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) json_object_set_new(o, k, ts_json_upper_all(v));
        return o;
    }
    if (json_is_array(j)) {
        json_t *a = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) json_array_append_new(a, ts_json_upper_all(v));
        return a;
    }
    return json_incref(j);
}

int ts_restore_feed(pol_restore_stream_t *rs, const char *in, size_t n, unsigned seed, gw_buf_t *out)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        size_t k = n - i;
        if (seed) {
            seed = seed * 1103515245u + 12345u;
            k = 1 + (seed >> 16) % 23;
            if (k > n - i)
                k = n - i;
        }
        rc = pol_restore_stream_feed(rs, in + i, k, out);
        i += k;
    }
    if (rc == 0)
        rc = pol_restore_stream_finish(rs, out);
    return rc;
}

int ts_sse_parse_all(const char *s, size_t len, gw_sse_event_cb cb, void *ctx)
{
    gw_sse_parser_t p;
    gw_sse_init(&p, 0);
    int rc = gw_sse_feed(&p, s != NULL ? s : "", len, cb, ctx);
    if (rc == 0)
        rc = gw_sse_finish(&p);
    gw_sse_dispose(&p);
    return rc;
}

int ts_tmpdir_make(char *dir, size_t cap, const char *tag)
{
    int n = snprintf(dir, cap, "/tmp/aigw-%s-XXXXXX", tag);
    if (n < 0 || (size_t)n >= cap)
        return -1;
    return mkdtemp(dir) != NULL ? 0 : -1;
}

int ts_tmpdir_remove(const char *dir)
{
    char cmd[PATH_MAX + 16];
    int n = snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (n < 0 || (size_t)n >= sizeof(cmd))
        return -1;
    return system(cmd) == 0 ? 0 : -1;
}

unsigned ts_rand(uint64_t *r)
{
    *r = *r * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(*r >> 33);
}

size_t ts_rand_pieces(uint64_t *r, const char *const *pool, size_t npool, size_t max_len, char *out)
{
    size_t want = ts_rand(r) % max_len, n = 0;
    while (n < want) {
        const char *p = pool[ts_rand(r) % npool];
        size_t k = strlen(p);
        if (n + k > want)
            k = want - n; /* cut: a sequence may end half-way */
        memcpy(out + n, p, k);
        n += k;
    }
    return n;
}

const char *const ts_utf8_pool[] = {"a",
                                    "Z",
                                    " ",
                                    "\"",
                                    "\\",
                                    "\\n",
                                    "\\u00e9",
                                    "\\uD83D\\uDE00",
                                    "\\ud83d",
                                    "\\ude00",
                                    "\\x",
                                    "\\u12",
                                    "\x01",
                                    "\x1f",
                                    "\x7f",
                                    "\xc3\xa9",
                                    "\xe4\xb8\xad",
                                    "\xe3\x81\x82",
                                    "\xf0\x9f\x98\x80",
                                    "\x80",
                                    "\xbf",
                                    "\xc0\xaf",
                                    "\xe0\x80\x80",
                                    "\xed\xa0\x80",
                                    "\xf4\x90\x80\x80",
                                    "\xe4\xb8",
                                    "\xf0\x9f\x98",
                                    "\xff",
                                    "\xd0\x96",
                                    "/"};
const size_t ts_utf8_pool_n = sizeof(ts_utf8_pool) / sizeof(ts_utf8_pool[0]);

void ts_fuzz_text(const uint8_t *data, size_t size, const char *const *alphabet, size_t n, gw_buf_t *text)
{
    for (size_t i = 0; i < size; i++) {
        const char *a = alphabet[data[i] % n];
        gw_buf_append(text, a, strlen(a));
    }
}

void ts_sse_text_stream(const char *text, size_t len, size_t piece, int anthropic, gw_buf_t *out)
{
    gw_buf_t esc = GW_BUF_INIT;
    if (piece == 0)
        piece = 1;
    if (anthropic)
        gw_buf_appendf(out, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"content\":[]}}\n\n");
    for (size_t i = 0; i < len;) {
        size_t k = piece < len - i ? piece : len - i;
        while (i + k < len && ((unsigned char)text[i + k] & 0xC0) == 0x80)
            k++; /* whole code points per event, as providers send */
        gw_buf_reset(&esc);
        gw_json_escape(text + i, k, &esc);
        if (anthropic)
            gw_buf_appendf(out,
                           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                           "\"delta\":{\"type\":\"text_delta\",\"text\":%.*s}}\n\n",
                           (int)esc.len, esc.base);
        else
            gw_buf_appendf(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":%.*s}}]}\n\n", (int)esc.len, esc.base);
        i += k;
    }
    if (anthropic)
        gw_buf_appendf(out, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    else
        gw_buf_appendf(out, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    gw_buf_free(&esc);
}

static int text_event(void *ctx, const gw_sse_event_t *ev)
{
    ts_sse_text_t *v = ctx;
    if (!ev->has_data || (ev->data_len == 6 && memcmp(ev->data, "[DONE]", 6) == 0))
        return 0;
    json_t *j = json_loadb(ev->data, ev->data_len, JSON_ALLOW_NUL, NULL);
    if (j == NULL) {
        v->bad = 1;
        return 0;
    }
    json_t *s = json_object_get(json_object_get(json_array_get(json_object_get(j, "choices"), 0), "delta"), "content");
    if (s == NULL)
        s = json_object_get(json_object_get(j, "delta"), "text");
    if (json_is_string(s))
        gw_buf_append(&v->text, json_string_value(s), json_string_length(s));
    json_decref(j);
    return 0;
}

int ts_sse_text_collect(const char *sse, size_t len, ts_sse_text_t *v)
{
    memset(v, 0, sizeof(*v));
    return ts_sse_parse_all(sse, len, text_event, v);
}
