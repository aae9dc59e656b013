/*
 * Fuzz target for gw_multipart_parse() / gw_multipart_rewrite(). The boundary is "XyZ" unless the
 * input starts with "--" + a boundary line (then that line's boundary is used, so the fixture seed
 * works as is). Invariants: no crash or sanitizer report; every part span lies inside the body;
 * the rewrite (text parts upper-cased, file parts replaced, neutral file names) succeeds exactly
 * when the parse does, and its output parses again into the same number of parts with the
 * transformed contents; rewriting that output again with neutral names only changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int upper(void *ctx, const gw_multipart_part_t *p, gw_buf_t *repl)
{
    (void)ctx;
    if (gw_buf_reserve(repl, p->body_len) != 0)
        return -1;
    for (size_t i = 0; i < p->body_len; i++)
        repl->base[i] = p->body[i] >= 'a' && p->body[i] <= 'z' ? (char)(p->body[i] - 32) : p->body[i];
    repl->len = p->body_len;
    return 1;
}

static int file(void *ctx, const gw_multipart_part_t *p, gw_buf_t *repl)
{
    (void)ctx;
    (void)p;
    return gw_buf_append(repl, "FILE", 4) == 0 ? 1 : -1;
}

static int inside(const char *s, size_t n, const char *body, size_t len)
{
    return s == NULL ? n == 0 : (s >= body && (size_t)(s - body) <= len && n <= len - (size_t)(s - body));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    const char *b = "XyZ";
    size_t bl = 3;
    char own[GW_MULTIPART_MAX_BOUNDARY + 1];
    if (size > 4 && body[0] == '-' && body[1] == '-') {
        const char *eol = memchr(body + 2, '\r', size - 2);
        if (eol != NULL && (size_t)(eol - body - 2) >= 1 && (size_t)(eol - body - 2) <= GW_MULTIPART_MAX_BOUNDARY) {
            bl = (size_t)(eol - body - 2);
            memcpy(own, body + 2, bl);
            b = own;
        }
    }
    gw_multipart_part_t parts[GW_MULTIPART_MAX_PARTS], parts2[GW_MULTIPART_MAX_PARTS];
    size_t n = 0, n2 = 0;
    int rc = gw_multipart_parse(body, size, b, bl, parts, GW_MULTIPART_MAX_PARTS, &n, NULL, NULL);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!inside(parts[i].body, parts[i].body_len, body, size) || !inside(parts[i].name, parts[i].name_len, body, size) ||
            !inside(parts[i].headers, parts[i].headers_len, body, size))
            abort();

    gw_buf_t out = GW_BUF_INIT, out2 = GW_BUF_INIT;
    gw_multipart_rewriter_t rw = {upper, file, 1, NULL};
    int changed = 0;
    int rrc = gw_multipart_rewrite(body, size, b, bl, &rw, &out, &changed, NULL);
    if ((rc == 0) != (rrc == 0 || rrc == GW_MULTIPART_E_BOUNDARY))
        abort();
    if (rrc == 0 && changed) {
        if (gw_multipart_parse(out.base, out.len, b, bl, parts2, GW_MULTIPART_MAX_PARTS, &n2, NULL, NULL) != 0 || n2 != n)
            abort();
        for (size_t i = 0; i < n; i++) {
            if (parts2[i].is_file != parts[i].is_file)
                abort();
            if (parts[i].is_file ? (parts2[i].body_len != 4 || memcmp(parts2[i].body, "FILE", 4) != 0)
                                 : parts2[i].body_len != parts[i].body_len)
                abort();
        }
        gw_multipart_rewriter_t names = {NULL, NULL, 1, NULL};
        if (gw_multipart_rewrite(out.base, out.len, b, bl, &names, &out2, &changed, NULL) != 0 || changed)
            abort();
    }
    gw_buf_free(&out);
    gw_buf_free(&out2);
    return 0;
}
