/*
 * The canonical request target (see canon.h). One pass over the path, segment by segment: each
 * segment is appended to `out` in canonical spelling (escapes decoded or upper-cased, unsafe raw
 * bytes encoded), and `out` doubles as the segment stack of RFC 3986 section 5.2.4, so "." drops
 * the segment just written and ".." also drops the one before it. Empty segments (from "//" or a
 * trailing '/') are skipped. Whether a segment is a dot segment is decided on its decoded bytes,
 * so "%2e%2E" is "..". The query is copied as sent after a byte check; decisions never read it
 * except the no-training pass's fal_webhook removal and gw_canon_drop_query_param().
 */
#include "gateway/canon.h"
#include "common/pct.h"

#include <string.h>

static const char hexdig[] = "0123456789ABCDEF";

/* Characters a path segment holds literally (RFC 3986 section 3.3: pchar = unreserved / sub-delims / ':' / '@'). */
static int literal_ok(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return 1;
    return strchr("-._~!$&'()*+,;=:@", c) != NULL && c != '\0';
}

static int put_byte(gw_buf_t *out, unsigned char c)
{
    if (literal_ok(c))
        return gw_buf_append(out, &c, 1);
    char esc[3] = {'%', hexdig[c >> 4], hexdig[c & 15]};
    return gw_buf_append(out, esc, 3);
}

/* Appends "/" + the canonical spelling of one segment `s` (`n` bytes, no raw '/'), then applies it
 * to the stack: a "." segment is removed again, ".." removes itself and its parent. */
static int put_segment(gw_buf_t *out, const char *s, size_t n, const char **err_desc)
{
    size_t mark = out->len;
    if (gw_buf_append(out, "/", 1) != 0)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int raw = 1;
        if (c == '%') {
            int v = gw_pct_at(s, n, i);
            if (v < 0) {
                *err_desc = "invalid percent-escape in the path";
                return GW_CANON_E_SYNTAX;
            }
            c = (unsigned char)v;
            i += 2;
            raw = 0;
        }
        if (c < 0x20 || c == 0x7f || (raw && c == ' ')) {
            *err_desc = c == 0 ? "%00 in the path" : "control character in the path";
            return GW_CANON_E_CONTROL;
        }
        if (c == '/' || c == '\\') {
            *err_desc = raw ? "'\\' in the path" : "encoded '/' or '\\' (%2F, %5C) in the path";
            return GW_CANON_E_SLASH;
        }
        if (put_byte(out, c) != 0)
            goto nomem;
    }
    const char *seg = out->base + mark + 1;
    size_t sl = out->len - mark - 1;
    if (sl == 1 && seg[0] == '.') {
        out->len = mark;
    } else if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
        out->len = mark;
        if (mark == 0) {
            *err_desc = "'..' above the root of the path";
            return GW_CANON_E_ESCAPE;
        }
        while (out->len > 0 && out->base[out->len - 1] != '/')
            out->len--;
        out->len--; /* the parent's '/' */
    }
    return 0;
nomem:
    *err_desc = "out of memory";
    return GW_CANON_E_NOMEM;
}

int gw_canon_target(const char *target, size_t len, gw_buf_t *out, size_t *path_len, const char **err_desc)
{
    gw_buf_reset(out);
    *path_len = 0;
    *err_desc = "invalid request target";
    if (len > GW_CANON_MAX_BYTES) {
        *err_desc = "request target too long";
        return GW_CANON_E_LENGTH;
    }
    if (len == 0 || target[0] != '/') {
        *err_desc = "the request target must start with '/'";
        return GW_CANON_E_SYNTAX;
    }
    const char *q = memchr(target, '?', len);
    size_t plen = q != NULL ? (size_t)(q - target) : len;
    if (memchr(target, '#', len) != NULL) {
        *err_desc = "fragment ('#') in the request target";
        return GW_CANON_E_SYNTAX;
    }
    size_t i = 0;
    while (i < plen) {
        while (i < plen && target[i] == '/')
            i++;
        size_t start = i;
        while (i < plen && target[i] != '/')
            i++;
        if (i > start) {
            int rc = put_segment(out, target + start, i - start, err_desc);
            if (rc != 0)
                return rc;
        }
    }
    if (out->len == 0 && gw_buf_append(out, "/", 1) != 0)
        goto nomem;
    *path_len = out->len;
    if (q != NULL) {
        size_t qlen = len - plen;
        for (size_t j = 0; j < qlen; j++) {
            unsigned char c = (unsigned char)q[j];
            if (c < 0x21 || c == 0x7f) {
                *err_desc = "control character or space in the query";
                return GW_CANON_E_CONTROL;
            }
            if (c == '%' && j + 2 < qlen && q[j + 1] == '0' && q[j + 2] == '0') {
                *err_desc = "%00 in the query";
                return GW_CANON_E_CONTROL;
            }
            if (c >= 0x80) {
                char esc[3] = {'%', hexdig[c >> 4], hexdig[c & 15]};
                if (gw_buf_append(out, esc, 3) != 0)
                    goto nomem;
            } else if (gw_buf_append(out, &q[j], 1) != 0) {
                goto nomem;
            }
        }
    }
    if (gw_buf_reserve(out, 1) != 0)
        goto nomem;
    out->base[out->len] = '\0';
    *err_desc = NULL;
    return 0;
nomem:
    *err_desc = "out of memory";
    return GW_CANON_E_NOMEM;
}

/* Whether the parameter name `p` (`n` bytes, raw) is `name` once percent escapes and '+' are decoded; `fold`: ASCII
 * letters of `p` compared lower-cased (`name` is written in lower case then). */
static int name_decoded_is(const char *p, size_t n, const char *name, int fold)
{
    size_t nl = strlen(name), k = 0;
    for (size_t i = 0; i < n; i++, k++) {
        int c = (unsigned char)p[i], v = gw_pct_at(p, n, i);
        if (v >= 0) {
            c = v;
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (fold && c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (k >= nl || c != (unsigned char)name[k])
            return 0;
    }
    return k == nl;
}

/* Whether the parameter name `p` (`n` bytes, raw) is `name`, raw or percent-decoded. */
static int param_is(const char *p, size_t n, const char *name)
{
    size_t nl = strlen(name);
    return (n == nl && memcmp(p, name, n) == 0) || name_decoded_is(p, n, name, 0);
}

int gw_canon_query_name_is(const char *p, size_t n, const char *name)
{
    return name_decoded_is(p, n, name, 1);
}

size_t gw_canon_drop_query_param(gw_buf_t *out, size_t path_len, const char *name)
{
    if (out->len <= path_len || out->base[path_len] != '?')
        return 0;
    size_t w = path_len + 1, r = path_len + 1, dropped = 0;
    int first = 1;
    while (r < out->len) {
        size_t end = r;
        while (end < out->len && out->base[end] != '&')
            end++;
        size_t kend = r;
        while (kend < end && out->base[kend] != '=')
            kend++;
        if (param_is(out->base + r, kend - r, name)) {
            dropped++;
        } else {
            if (!first)
                out->base[w++] = '&';
            first = 0;
            memmove(out->base + w, out->base + r, end - r);
            w += end - r;
        }
        r = end + 1;
    }
    if (first)
        w = path_len; /* nothing left: no '?' either */
    if (dropped != 0) {
        out->len = w;
        out->base[w] = '\0';
    }
    return dropped;
}
