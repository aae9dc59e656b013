/*
 * multipart/form-data parsing and rewriting (see multipart.h).
 *
 * The parser is a span walker over the whole body: find a delimiter ("--" boundary at the start or
 * after CRLF, followed by transport padding and CRLF, or by "--"), read the header block up to the
 * blank line (capped), then search the next delimiter with memmem; a "--boundary" that is not
 * followed by LWSP CRLF or "--" is data, not a delimiter. Parts are recorded in a caller array, so
 * parsing allocates nothing. The rewriter parses everything first (a malformed body never reaches
 * the transforms), runs the transforms, and only serialises when one of them changed something.
 * Hand-rolled: no Debian C library parses multipart from memory without I/O or allocation
 * per part, and the grammar is small; the walker is fuzzed.
 */
#include "common/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/utf8.h"

static int is_bchar(unsigned char c)
{
    /* RFC 2046 section 5.1.1: bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" / ":"
       / "=" / "?"; bchars adds space */
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c) != NULL;
}

static int is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static size_t skip_ws(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/*
 * Parses `; name=value` parameters from s[i..n). For each parameter calls back with the name span and the value span
 * (a quoted value without its quotes, escapes left in). @return 0, or -1 on a syntax error.
 */
typedef int (*param_cb)(void *ctx, const char *name, size_t nl, const char *val, size_t vl, int quoted);

static int parse_params(const char *s, size_t i, size_t n, int strict_tokens, param_cb cb, void *ctx)
{
    for (;;) {
        i = skip_ws(s, i, n);
        if (i == n)
            return 0;
        if (s[i] != ';')
            return -1;
        i = skip_ws(s, i + 1, n);
        if (i == n)
            return 0; /* trailing ';' is tolerated */
        size_t ns = i;
        while (i < n && is_tchar((unsigned char)s[i]))
            i++;
        size_t nl = i - ns;
        i = skip_ws(s, i, n);
        if (nl == 0 || i == n || s[i] != '=')
            return -1;
        i = skip_ws(s, i + 1, n);
        const char *v;
        size_t vl;
        int quoted = 0;
        if (i < n && s[i] == '"') {
            size_t vs = ++i;
            while (i < n && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < n)
                    i++;
                i++;
            }
            if (i == n)
                return -1;
            v = s + vs;
            vl = i - vs;
            i++;
            quoted = 1;
        } else {
            size_t vs = i;
            while (i < n && s[i] != ';' && s[i] != ' ' && s[i] != '\t') {
                if (strict_tokens && !is_tchar((unsigned char)s[i]))
                    return -1; /* an unquoted value is a token (RFC 9110 section 5.6.6) */
                i++;
            }
            v = s + vs;
            vl = i - vs;
        }
        if (cb(ctx, s + ns, nl, v, vl, quoted) != 0)
            return -1;
    }
}

typedef struct st_boundary_ctx_t {
    char *out;
    size_t len;
    int found;
    int bad;
} boundary_ctx_t;

static int on_ct_param(void *ctx, const char *name, size_t nl, const char *val, size_t vl, int quoted)
{
    boundary_ctx_t *b = ctx;
    if (nl != 8 || strncasecmp(name, "boundary", 8) != 0)
        return 0;
    if (b->found)
        return -1; /* two boundary parameters */
    b->found = 1;
    size_t o = 0;
    for (size_t i = 0; i < vl; i++) {
        char c = val[i];
        if (quoted && c == '\\' && i + 1 < vl)
            c = val[++i];
        if (o == GW_MULTIPART_MAX_BOUNDARY || !is_bchar((unsigned char)c)) {
            b->bad = 1;
            return 0;
        }
        b->out[o++] = c;
    }
    if (o == 0 || b->out[o - 1] == ' ')
        b->bad = 1;
    b->out[o] = '\0';
    b->len = o;
    return 0;
}

int gw_multipart_boundary(const char *ct, size_t len, char out[GW_MULTIPART_MAX_BOUNDARY + 1], size_t *outlen,
                          const char **err_desc)
{
    const char *desc = NULL;
    size_t i = skip_ws(ct, 0, len);
    if (len - i < 19 || strncasecmp(ct + i, "multipart/form-data", 19) != 0) {
        desc = "Content-Type is not multipart/form-data";
        goto fail;
    }
    boundary_ctx_t b = {out, 0, 0, 0};
    if (parse_params(ct, i + 19, len, 0, on_ct_param, &b) != 0) {
        desc = "malformed Content-Type parameters";
        goto fail;
    }
    if (!b.found) {
        desc = "multipart/form-data without a boundary parameter";
        goto fail;
    }
    if (b.bad) {
        desc = "boundary must be 1 to 70 characters of DIGIT, ALPHA or '()+_,-./:=? (RFC 2046)";
        goto fail;
    }
    *outlen = b.len;
    return 0;
fail:
    if (err_desc != NULL)
        *err_desc = desc;
    return GW_MULTIPART_E_BOUNDARY;
}

/* If a delimiter starts at body[i] ("--" boundary), returns the offset after its line (after CRLF), sets *close
   for the close delimiter; returns 0 if body[i] does not start a delimiter line. */
static size_t delimiter_end(const char *body, size_t len, size_t i, const char *b, size_t bl, int *close)
{
    if (len - i < 2 + bl || body[i] != '-' || body[i + 1] != '-' || memcmp(body + i + 2, b, bl) != 0)
        return 0;
    size_t j = i + 2 + bl;
    if (len - j >= 2 && body[j] == '-' && body[j + 1] == '-') {
        *close = 1;
        return j + 2; /* the epilogue that follows is ignored */
    }
    j = skip_ws(body, j, len);
    if (len - j >= 2 && body[j] == '\r' && body[j + 1] == '\n') {
        *close = 0;
        return j + 2;
    }
    return 0;
}

/* Finds the next delimiter at or after `from`: "--" boundary at offset 0 (only when at_start) or right after CRLF,
   and ending its line properly. Returns the offset of its CRLF (0 at the start) and sets *after / *close; returns
   len when there is none, STRAY when "--" boundary occurs anywhere else (RFC 2046 section 5.1.1: the delimiter MUST
   NOT appear inside a part; rejecting it also keeps lenient upstream parsers, e.g. LF-only ones, from seeing parts
   this parser did not). */
#define STRAY ((size_t)-1)
static size_t find_delimiter(const char *body, size_t len, size_t from, int at_start, const char *b, size_t bl, size_t *after,
                             int *close)
{
    char pat[2 + GW_MULTIPART_MAX_BOUNDARY];
    pat[0] = pat[1] = '-';
    memcpy(pat + 2, b, bl);
    size_t i = from;
    while (i < len) {
        const char *p = memmem(body + i, len - i, pat, 2 + bl);
        if (p == NULL)
            break;
        size_t at = (size_t)(p - body);
        if (at == 0 && at_start) {
            if ((*after = delimiter_end(body, len, 0, b, bl, close)) != 0)
                return 0;
        } else if (at >= 2 && (at - 2 >= from || at == from) && body[at - 2] == '\r' && body[at - 1] == '\n') {
            /* at == from: a part whose header block is directly followed by the delimiter (no blank line + content) */
            if ((*after = delimiter_end(body, len, at, b, bl, close)) != 0)
                return at - 2;
        }
        return STRAY;
    }
    return len;
}

typedef struct st_cd_ctx_t {
    gw_multipart_part_t *part;
    int has_name;
} cd_ctx_t;

static int on_cd_param(void *ctx, const char *name, size_t nl, const char *val, size_t vl, int quoted)
{
    cd_ctx_t *c = ctx;
    if (nl == 4 && strncasecmp(name, "name", 4) == 0) {
        if (c->has_name)
            return -1;
        c->has_name = 1;
        c->part->name = val;
        c->part->name_len = vl;
    } else if ((nl == 8 && strncasecmp(name, "filename", 8) == 0) ||
               (nl == 9 && strncasecmp(name, "filename*", 9) == 0 && c->part->filename == NULL)) {
        c->part->filename = val;
        c->part->filename_len = vl;
    }
    (void)quoted;
    return 0;
}

/* 1 when s[0..n) is the token `t` (ASCII, case-insensitive) */
static int token_is(const char *s, size_t n, const char *t)
{
    return n == strlen(t) && strncasecmp(s, t, n) == 0;
}

/* Parses the header block h[0..n) (lines ending in CRLF) into `p`; *declared_len receives a Content-Length ((size_t)-1
 * when none). Only the header fields RFC 7578 allows in a part are accepted. @return NULL or an error description. */
static const char *parse_headers(const char *h, size_t n, gw_multipart_part_t *p, size_t *declared_len)
{
    size_t i = 0;
    int have_cd = 0;
    while (i < n) {
        const char *eol = memmem(h + i, n - i, "\r\n", 2);
        if (eol == NULL)
            return "header line without CRLF";
        size_t le = (size_t)(eol - h);
        if (memchr(h + i, '\n', le - i) != NULL || memchr(h + i, '\r', le - i) != NULL)
            return "bare CR or LF in a part header (lines must end in CRLF)";
        size_t ns = i;
        while (i < le && is_tchar((unsigned char)h[i]))
            i++;
        if (i == ns || i == le || h[i] != ':')
            return h[ns] == ' ' || h[ns] == '\t' ? "folded part header line" : "malformed part header line";
        size_t nl = i - ns;
        size_t vs = skip_ws(h, i + 1, le), ve = le;
        while (ve > vs && (h[ve - 1] == ' ' || h[ve - 1] == '\t'))
            ve--;
        if (nl == 19 && strncasecmp(h + ns, "Content-Disposition", 19) == 0) {
            if (have_cd)
                return "two Content-Disposition headers";
            have_cd = 1;
            p->disposition = h + vs;
            p->disposition_len = ve - vs;
            if (ve - vs < 9 || strncasecmp(h + vs, "form-data", 9) != 0)
                return "Content-Disposition is not form-data";
            cd_ctx_t c = {p, 0};
            if (parse_params(h, vs + 9, ve, 1, on_cd_param, &c) != 0)
                return "malformed Content-Disposition parameters";
            if (!c.has_name)
                return "part without a name (RFC 7578 section 4.2)";
        } else if (nl == 12 && strncasecmp(h + ns, "Content-Type", 12) == 0) {
            if (p->content_type != NULL)
                return "two Content-Type headers in a part";
            p->content_type = h + vs;
            p->content_type_len = ve - vs;
        } else if (nl == 25 && strncasecmp(h + ns, "Content-Transfer-Encoding", 25) == 0) {
            /* RFC 7578 section 4.7: senders must not use it; only the identity encodings say nothing the scan could
               miss. base64 or quoted-printable content would be scanned in its encoded form and decoded by the provider */
            if (!token_is(h + vs, ve - vs, "7bit") && !token_is(h + vs, ve - vs, "8bit") && !token_is(h + vs, ve - vs, "binary"))
                return "Content-Transfer-Encoding other than 7bit, 8bit or binary in a part (RFC 7578 section 4.7); "
                       "send the content itself";
        } else if (nl == 14 && strncasecmp(h + ns, "Content-Length", 14) == 0) {
            /* some clients (OkHttp) send it; it must say what the delimiters say, or the part is ambiguous */
            size_t v = 0, k = vs;
            if (k == ve || ve - vs > 15)
                return "malformed Content-Length in a part";
            for (; k < ve; k++) {
                if (h[k] < '0' || h[k] > '9')
                    return "malformed Content-Length in a part";
                v = v * 10 + (size_t)(h[k] - '0');
            }
            if (*declared_len != (size_t)-1)
                return "two Content-Length headers in a part";
            *declared_len = v;
        } else {
            /* RFC 7578 section 4.8: no other header field belongs in a part. A Content-Encoding would make the provider
               read other bytes than the ones scanned, and any value could carry personal data unscanned: refused */
            return "a part header other than Content-Disposition, Content-Type, Content-Transfer-Encoding (identity) "
                   "or Content-Length (RFC 7578 section 4.8)";
        }
        i = le + 2;
    }
    if (!have_cd)
        return "part without Content-Disposition (RFC 7578 section 4.2)";
    return NULL;
}

typedef struct st_charset_ctx_t {
    int bad, seen;
} charset_ctx_t;

static int on_text_ct_param(void *ctx, const char *name, size_t nl, const char *val, size_t vl, int quoted)
{
    charset_ctx_t *c = ctx;
    (void)quoted;
    if (nl == 7 && strncasecmp(name, "charset", 7) == 0) {
        if (c->seen++ || !(token_is(val, vl, "utf-8") || token_is(val, vl, "utf8") || token_is(val, vl, "us-ascii")))
            c->bad = 1;
    }
    return 0;
}

/* 1 when a part of Content-Type `ct` (NULL: text/plain, RFC 7578 section 4.4) holds text aigw scans as text: text/...,
 * application/json or application/...+json (JSON is text, RFC 8259 section 8.1). Anything else is a file. */
static int ct_is_text(const char *ct, size_t n)
{
    if (ct == NULL)
        return 1;
    size_t e = 0;
    while (e < n && ct[e] != ';' && ct[e] != ' ' && ct[e] != '\t')
        e++;
    if (e >= 5 && strncasecmp(ct, "text/", 5) == 0)
        return 1;
    if (e == 16 && strncasecmp(ct, "application/json", 16) == 0)
        return 1;
    return e > 17 && strncasecmp(ct, "application/", 12) == 0 && strncasecmp(ct + e - 5, "+json", 5) == 0;
}

/* The checks a text part's content must pass to be scanned as what it says it is: a charset other than UTF-8
 * (US-ASCII is a subset) would be scanned as the wrong text, and so would content that is not UTF-8 or holds NUL (UTF-16
 * without a label). @return NULL or an error description. */
static const char *check_text_part(const gw_multipart_part_t *p)
{
    if (p->content_type != NULL) {
        size_t e = 0;
        while (e < p->content_type_len && p->content_type[e] != ';')
            e++;
        charset_ctx_t c = {0, 0};
        if (parse_params(p->content_type, e, p->content_type_len, 0, on_text_ct_param, &c) != 0)
            return "malformed Content-Type parameters in a part";
        if (c.bad)
            return "a text part in a charset other than UTF-8 (aigw scans UTF-8 text only)";
    }
    const unsigned char *b = (const unsigned char *)p->body;
    for (size_t i = 0; i < p->body_len;) {
        if (b[i] == 0)
            return "a text part holding a NUL byte (not UTF-8 text: UTF-16? send it as UTF-8)";
        size_t k = gw_utf8_seq(b + i, p->body_len - i);
        if (k == 0)
            return "a text part that is not valid UTF-8 (aigw scans UTF-8 text only)";
        i += k;
    }
    return NULL;
}

int gw_multipart_parse(const char *body, size_t len, const char *boundary, size_t blen, gw_multipart_part_t *parts, size_t cap,
                       size_t *nparts, const char **err_desc, size_t *err_offset)
{
    const char *desc = NULL;
    size_t at = 0, after = 0, n = 0;
    int close = 0, rc = GW_MULTIPART_E_SYNTAX;
    *nparts = 0;
    if (blen == 0 || blen > GW_MULTIPART_MAX_BOUNDARY) {
        desc = "bad boundary";
        rc = GW_MULTIPART_E_BOUNDARY;
        goto fail;
    }
    at = find_delimiter(body, len, 0, 1, boundary, blen, &after, &close);
    if (at == len || at == STRAY) {
        desc = at == len ? "no multipart delimiter found" : "boundary inside the preamble";
        at = 0;
        goto fail;
    }
    while (!close) {
        size_t hs = after;
        gw_multipart_part_t p;
        memset(&p, 0, sizeof(p));
        /* header block: up to the blank line; an empty block is just CRLF */
        size_t he;
        if (len - hs >= 2 && body[hs] == '\r' && body[hs + 1] == '\n') {
            he = hs;
        } else {
            size_t lim = len - hs < GW_MULTIPART_MAX_HEADER_BYTES + 4 ? len - hs : GW_MULTIPART_MAX_HEADER_BYTES + 4;
            const char *e = memmem(body + hs, lim, "\r\n\r\n", 4);
            if (e == NULL) {
                at = hs;
                if (lim == GW_MULTIPART_MAX_HEADER_BYTES + 4) {
                    desc = "part header block too large";
                    rc = GW_MULTIPART_E_LIMIT;
                } else {
                    desc = "part headers not terminated by a blank line";
                }
                goto fail;
            }
            he = (size_t)(e - body) + 2; /* headers keep the CRLF of their last line */
        }
        p.headers = body + hs;
        p.headers_len = he - hs;
        size_t declared_len = (size_t)-1;
        if ((desc = parse_headers(p.headers, p.headers_len, &p, &declared_len)) != NULL) {
            at = hs;
            goto fail;
        }
        size_t bs = he + 2;
        size_t next = find_delimiter(body, len, bs, 0, boundary, blen, &after, &close);
        if (next == len || next == STRAY) {
            at = bs;
            desc = next == len ? "missing final boundary" : "boundary inside part data (RFC 2046 section 5.1.1)";
            goto fail;
        }
        p.body = body + bs;
        p.body_len = next >= bs ? next - bs : 0;
        if (declared_len != (size_t)-1 && declared_len != p.body_len) {
            at = hs;
            desc = "a part's Content-Length differs from its content's length";
            goto fail;
        }
        p.is_file = p.filename != NULL || !ct_is_text(p.content_type, p.content_type_len);
        if (!p.is_file && (desc = check_text_part(&p)) != NULL) {
            at = bs;
            goto fail;
        }
        /* RFC 7578 section 4.6: a `_charset_` field names the charset of the text fields without one */
        if (!p.is_file && token_is(p.name, p.name_len, "_charset_") && !token_is(p.body, p.body_len, "utf-8") &&
            !token_is(p.body, p.body_len, "utf8") && !token_is(p.body, p.body_len, "us-ascii")) {
            at = bs;
            desc = "a _charset_ field naming a charset other than UTF-8 (RFC 7578 section 4.6; aigw scans UTF-8 text only)";
            goto fail;
        }
        if (n == cap || n == GW_MULTIPART_MAX_PARTS) {
            at = hs;
            desc = "too many parts";
            rc = GW_MULTIPART_E_LIMIT;
            goto fail;
        }
        parts[n++] = p;
    }
    /* the epilogue is ignored, but must not look like more parts either */
    size_t dummy_after;
    int dummy_close;
    if (find_delimiter(body, len, after, 0, boundary, blen, &dummy_after, &dummy_close) != len) {
        at = after;
        desc = "boundary inside the epilogue";
        goto fail;
    }
    *nparts = n;
    return 0;
fail:
    if (err_desc != NULL)
        *err_desc = desc;
    if (err_offset != NULL)
        *err_offset = at;
    return rc;
}

/* ---- rewrite ---------------------------------------------------------------------------------- */

static size_t neutral_name(const gw_multipart_part_t *p, char *out, size_t outsz)
{
    static const struct {
        const char *ct, *ext;
    } map[] = {{"image/png", "png"}, {"image/jpeg", "jpg"}, {"image/jpg", "jpg"}, {"image/webp", "webp"}, {"image/gif", "gif"}};
    const char *ext = NULL;
    size_t extlen = 0;
    int image = p->content_type != NULL && p->content_type_len >= 6 && strncasecmp(p->content_type, "image/", 6) == 0;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]) && p->content_type != NULL; i++)
        if (p->content_type_len == strlen(map[i].ct) && strncasecmp(p->content_type, map[i].ct, p->content_type_len) == 0)
            ext = map[i].ext, extlen = strlen(ext);
    if (ext == NULL && p->filename != NULL) {
        const char *dot = NULL;
        for (size_t i = 0; i < p->filename_len; i++)
            if (p->filename[i] == '.')
                dot = p->filename + i;
        size_t el = dot != NULL ? p->filename_len - (size_t)(dot + 1 - p->filename) : 0;
        int ok = el >= 1 && el <= 5;
        for (size_t i = 0; ok && i < el; i++)
            ok = (dot[1 + i] >= 'a' && dot[1 + i] <= 'z') || (dot[1 + i] >= 'A' && dot[1 + i] <= 'Z') ||
                 (dot[1 + i] >= '0' && dot[1 + i] <= '9');
        if (ok) {
            ext = dot + 1, extlen = el;
            static const char *const img[] = {"png", "jpg", "jpeg", "webp", "gif"};
            for (size_t i = 0; i < sizeof(img) / sizeof(img[0]); i++)
                if (el == strlen(img[i]) && strncasecmp(ext, img[i], el) == 0)
                    image = 1;
        }
    }
    const char *base = image ? "image" : "file";
    size_t n = strlen(base);
    memcpy(out, base, n);
    if (ext != NULL && n + 1 + extlen < outsz) {
        out[n++] = '.';
        for (size_t i = 0; i < extlen; i++)
            out[n++] = (char)(ext[i] >= 'A' && ext[i] <= 'Z' ? ext[i] + 32 : ext[i]);
    }
    return n;
}

int gw_multipart_rewrite(const char *body, size_t len, const char *boundary, size_t blen, const gw_multipart_rewriter_t *rw,
                         gw_buf_t *out, int *changed, const char **err_desc)
{
    gw_multipart_part_t parts[GW_MULTIPART_MAX_PARTS];
    size_t n;
    *changed = 0;
    int rc = gw_multipart_parse(body, len, boundary, blen, parts, GW_MULTIPART_MAX_PARTS, &n, err_desc, NULL);
    if (rc != 0)
        return rc;

    /* transforms first; replacements are kept in one buffer as (offset, length) per part */
    gw_buf_t repl = GW_BUF_INIT, one = GW_BUF_INIT;
    size_t off[GW_MULTIPART_MAX_PARTS], rlen[GW_MULTIPART_MAX_PARTS];
    unsigned char replaced[GW_MULTIPART_MAX_PARTS], renamed[GW_MULTIPART_MAX_PARTS];
    char names[GW_MULTIPART_MAX_PARTS][16];
    size_t name_len[GW_MULTIPART_MAX_PARTS];
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        const gw_multipart_part_t *p = &parts[i];
        int (*cb)(void *, const gw_multipart_part_t *, gw_buf_t *) = p->is_file ? rw->on_file : rw->on_text;
        replaced[i] = renamed[i] = 0;
        if (cb != NULL) {
            one.len = 0;
            int r = cb(rw->ctx, p, &one);
            if (r < 0) {
                rc = r;
                goto out;
            }
            if (r == 1 && (one.len != p->body_len || (one.len != 0 && memcmp(one.base, p->body, one.len) != 0))) {
                off[i] = repl.len;
                rlen[i] = one.len;
                if (one.len != 0 && gw_buf_append(&repl, one.base, one.len) != 0) {
                    rc = GW_MULTIPART_E_NOMEM;
                    goto out;
                }
                replaced[i] = 1;
                any = 1;
            }
        }
        if (rw->neutral_filenames && p->filename != NULL) {
            name_len[i] = neutral_name(p, names[i], sizeof(names[i]));
            if (name_len[i] != p->filename_len || memcmp(names[i], p->filename, name_len[i]) != 0 ||
                p->disposition_len != 9 + 8 + p->name_len + 13 + name_len[i] + 1) { /* not yet canonical */
                renamed[i] = 1;
                any = 1;
            }
        }
    }
    if (!any)
        goto out;

    /* a replacement must not contain "--" boundary (RFC 2046: the delimiter must not occur in the data; this parser
       rejects it anywhere, so the output must not hold it either) */
    char delim[2 + GW_MULTIPART_MAX_BOUNDARY];
    memcpy(delim, "--", 2);
    memcpy(delim + 2, boundary, blen);
    for (size_t i = 0; i < n; i++)
        if (replaced[i] && rlen[i] != 0 && memmem(repl.base + off[i], rlen[i], delim, 2 + blen) != NULL) {
            if (err_desc != NULL)
                *err_desc = "rewritten part contains the multipart boundary";
            rc = GW_MULTIPART_E_BOUNDARY;
            goto out;
        }

    out->len = 0;
    int e = 0;
    for (size_t i = 0; i < n && e == 0; i++) {
        const gw_multipart_part_t *p = &parts[i];
        e |= gw_buf_append(out, "--", 2) | gw_buf_append(out, boundary, blen) | gw_buf_append(out, "\r\n", 2);
        /* the header lines as they came, except a renamed part's Content-Disposition (canonical form) and a replaced
           part's Content-Length (the new content's length: parse_headers refuses a part whose length disagrees) */
        for (size_t ls = 0; ls < p->headers_len && e == 0;) {
            const char *eol = memmem(p->headers + ls, p->headers_len - ls, "\r\n", 2);
            size_t le = (size_t)(eol - p->headers) + 2; /* parse_headers saw a CRLF at the end of every line */
            const char *line = p->headers + ls;
            if (renamed[i] && p->disposition > line && p->disposition < p->headers + le) {
                e |= gw_buf_append(out, "Content-Disposition: form-data; name=\"", 38) | gw_buf_append(out, p->name, p->name_len) |
                     gw_buf_append(out, "\"; filename=\"", 13) | gw_buf_append(out, names[i], name_len[i]) |
                     gw_buf_append(out, "\"\r\n", 3);
            } else if (replaced[i] && le - ls > 15 && strncasecmp(line, "Content-Length:", 15) == 0) {
                char num[40];
                int k = snprintf(num, sizeof(num), "Content-Length: %zu\r\n", rlen[i]);
                e |= gw_buf_append(out, num, (size_t)k);
            } else {
                e |= gw_buf_append(out, line, le - ls);
            }
            ls = le;
        }
        e |= gw_buf_append(out, "\r\n", 2);
        if (replaced[i])
            e |= rlen[i] != 0 ? gw_buf_append(out, repl.base + off[i], rlen[i]) : 0;
        else
            e |= gw_buf_append(out, p->body, p->body_len);
        e |= gw_buf_append(out, "\r\n", 2);
    }
    e |= gw_buf_append(out, "--", 2) | gw_buf_append(out, boundary, blen) | gw_buf_append(out, "--\r\n", 4);
    if (e != 0) {
        rc = GW_MULTIPART_E_NOMEM;
        goto out;
    }
    *changed = 1;
out:
    gw_buf_free(&repl);
    gw_buf_free(&one);
    return rc;
}
