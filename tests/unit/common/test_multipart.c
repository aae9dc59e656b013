/* Unit tests for policy/multipart: boundary extraction from Content-Type, parsing the OpenAI
 * images/edits fixture, rewriting it (text transform, file transform, neutral file names) and the
 * framing edge cases of RFC 2046 / RFC 7578: CRLF ownership, transport padding, preamble and
 * epilogue, missing final boundary, quoted boundaries, boundary-like lines inside data, caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/multipart.h"

#define FIXTURE_CT "multipart/form-data; boundary=----gwFixtureBoundary7MA4YWxkTrZu0gW"

static char *load_fixture(size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/openai/images_edits.request.multipart", AIGW_FIXTURES_DIR);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        fail_msg("cannot open %s (AIGW_FIXTURES_DIR)", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return b;
}

static int span_eq(const char *p, size_t n, const char *s)
{
    return p != NULL && n == strlen(s) && memcmp(p, s, n) == 0;
}

static void test_boundary(void **state)
{
    char b[GW_MULTIPART_MAX_BOUNDARY + 1];
    size_t bl;
    const char *err = NULL;
    assert_int_equal(gw_multipart_boundary(FIXTURE_CT, strlen(FIXTURE_CT), b, &bl, &err), 0);
    assert_string_equal(b, "----gwFixtureBoundary7MA4YWxkTrZu0gW");
    assert_int_equal(bl, 36);

    struct {
        const char *ct;
        const char *want; /* NULL: error */
    } cases[] = {
        {"Multipart/Form-Data; BOUNDARY=abc", "abc"},
        {"multipart/form-data; charset=utf-8; boundary=\"a b:c?\"", "a b:c?"},
        {"multipart/form-data;boundary=x;", "x"},
        {"multipart/form-data; boundary=\"a\\(b\"", "a(b"},
        {"multipart/mixed; boundary=x", NULL},
        {"multipart/form-data", NULL},
        {"multipart/form-data; name=x", NULL},
        {"multipart/form-data; boundary=", NULL},
        {"multipart/form-data; boundary=\"a \"", NULL}, /* space may not be last */
        {"multipart/form-data; boundary=a\"b", NULL},
        {"multipart/form-data; boundary=\"unterminated", NULL},
        {"multipart/form-data; boundary=a; boundary=b", NULL},
        {"multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789X", NULL},
        {"application/json", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        err = NULL;
        int rc = gw_multipart_boundary(cases[i].ct, strlen(cases[i].ct), b, &bl, &err);
        if (cases[i].want != NULL) {
            if (rc != 0)
                fail_msg("%s: %s", cases[i].ct, err);
            assert_string_equal(b, cases[i].want);
            assert_int_equal(bl, strlen(cases[i].want));
        } else {
            if (rc != GW_MULTIPART_E_BOUNDARY)
                fail_msg("%s: accepted", cases[i].ct);
            assert_non_null(err);
        }
    }
    /* 70 characters is the maximum */
    const char *ct70 = "multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789";
    assert_int_equal(gw_multipart_boundary(ct70, strlen(ct70), b, &bl, NULL), 0);
    assert_int_equal(bl, 70);
}

static void test_fixture_parse(void **state)
{
    size_t len, n;
    char *body = load_fixture(&len);
    gw_multipart_part_t parts[GW_MULTIPART_MAX_PARTS];
    const char *b = "----gwFixtureBoundary7MA4YWxkTrZu0gW";
    assert_int_equal(gw_multipart_parse(body, len, b, strlen(b), parts, GW_MULTIPART_MAX_PARTS, &n, NULL, NULL), 0);
    assert_int_equal(n, 8);
    const char *names[] = {"model", "image[]", "image[]", "prompt", "size", "quality", "input_fidelity", "user"};
    for (size_t i = 0; i < n; i++)
        assert_true(span_eq(parts[i].name, parts[i].name_len, names[i]));
    assert_true(span_eq(parts[0].body, parts[0].body_len, "gpt-image-1"));
    assert_false(parts[0].is_file);
    assert_null(parts[0].filename);
    assert_null(parts[0].content_type);
    assert_true(parts[1].is_file);
    assert_true(span_eq(parts[1].filename, parts[1].filename_len, "jane-living-room.png"));
    assert_true(span_eq(parts[2].filename, parts[2].filename_len, "sofa.png"));
    assert_true(span_eq(parts[1].content_type, parts[1].content_type_len, "image/png"));
    assert_true(parts[1].body_len > 8 && memcmp(parts[1].body, "\x89PNG\r\n\x1a\n", 8) == 0);
    assert_true(memcmp(parts[1].body + parts[1].body_len - 8, "IEND\xae\x42\x60\x82", 8) == 0); /* CRLF not included */
    assert_true(span_eq(parts[3].body, parts[3].body_len, "Put the sofa into Jane Doe's living room at 12 Elm St"));
    assert_true(span_eq(parts[7].body, parts[7].body_len, "user-8f14e45f"));
    assert_true(
        span_eq(parts[1].disposition, parts[1].disposition_len, "form-data; name=\"image[]\"; filename=\"jane-living-room.png\""));
    free(body);
}

typedef struct st_counts_t {
    int text, file;
    int abort_at; /* abort with -42 on this call number (1-based), 0 = never */
    const char *file_repl;
} counts_t;

static int upper_prompt(void *ctx, const gw_multipart_part_t *p, gw_buf_t *repl)
{
    counts_t *c = ctx;
    c->text++;
    if (c->abort_at != 0 && c->text + c->file == c->abort_at)
        return -42;
    if (!span_eq(p->name, p->name_len, "prompt"))
        return 0;
    for (size_t i = 0; i < p->body_len; i++) {
        char ch = p->body[i] >= 'a' && p->body[i] <= 'z' ? (char)(p->body[i] - 32) : p->body[i];
        if (gw_buf_append(repl, &ch, 1) != 0)
            return -1;
    }
    return 1;
}

static int replace_file(void *ctx, const gw_multipart_part_t *p, gw_buf_t *repl)
{
    counts_t *c = ctx;
    c->file++;
    if (c->abort_at != 0 && c->text + c->file == c->abort_at)
        return -42;
    if (c->file_repl == NULL)
        return 0;
    return gw_buf_append(repl, c->file_repl, strlen(c->file_repl)) == 0 ? 1 : -1;
}

static void test_fixture_rewrite(void **state)
{
    size_t len, n;
    char *body = load_fixture(&len);
    const char *b = "----gwFixtureBoundary7MA4YWxkTrZu0gW";
    counts_t c = {0, 0, 0, "STRIPPED-IMAGE"};
    gw_multipart_rewriter_t rw = {upper_prompt, replace_file, 1, &c};
    gw_buf_t out = GW_BUF_INIT, out2 = GW_BUF_INIT;
    int changed = 0;
    assert_int_equal(gw_multipart_rewrite(body, len, b, strlen(b), &rw, &out, &changed, NULL), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(c.text, 6);
    assert_int_equal(c.file, 2);
    assert_null(memmem(out.base, out.len, "jane", 4));
    assert_null(memmem(out.base, out.len, "sofa.png", 8));

    gw_multipart_part_t parts[GW_MULTIPART_MAX_PARTS];
    assert_int_equal(gw_multipart_parse(out.base, out.len, b, strlen(b), parts, GW_MULTIPART_MAX_PARTS, &n, NULL, NULL), 0);
    assert_int_equal(n, 8);
    assert_true(span_eq(parts[1].filename, parts[1].filename_len, "image.png"));
    assert_true(span_eq(parts[2].filename, parts[2].filename_len, "image.png"));
    assert_true(span_eq(parts[1].name, parts[1].name_len, "image[]"));
    assert_true(span_eq(parts[1].content_type, parts[1].content_type_len, "image/png")); /* other headers kept */
    assert_true(span_eq(parts[1].body, parts[1].body_len, "STRIPPED-IMAGE"));
    assert_true(span_eq(parts[3].body, parts[3].body_len, "PUT THE SOFA INTO JANE DOE'S LIVING ROOM AT 12 ELM ST"));
    assert_true(span_eq(parts[0].body, parts[0].body_len, "gpt-image-1"));
    assert_true(span_eq(parts[7].body, parts[7].body_len, "user-8f14e45f"));
    /* the same framing: starts with the delimiter, ends with the close delimiter and CRLF */
    assert_true(memcmp(out.base, "------gwFixtureBoundary7MA4YWxkTrZu0gW\r\n", 40) == 0);
    assert_true(memcmp(out.base + out.len - 42, "------gwFixtureBoundary7MA4YWxkTrZu0gW--\r\n", 42) == 0);

    /* rewriting the output again with neutral names only changes nothing */
    gw_multipart_rewriter_t names_only = {NULL, NULL, 1, NULL};
    assert_int_equal(gw_multipart_rewrite(out.base, out.len, b, strlen(b), &names_only, &out2, &changed, NULL), 0);
    assert_int_equal(changed, 0);
    assert_int_equal(out2.len, 0);

    /* keep-everything transforms: unchanged, out untouched */
    counts_t keep = {0, 0, 0, NULL};
    gw_multipart_rewriter_t rw_keep = {NULL, replace_file, 0, &keep};
    assert_int_equal(gw_multipart_rewrite(body, len, b, strlen(b), &rw_keep, &out2, &changed, NULL), 0);
    assert_int_equal(changed, 0);
    assert_int_equal(keep.file, 2);
    assert_null(out2.base);

    /* an abort value is returned as is */
    counts_t ab = {0, 0, 3, NULL};
    gw_multipart_rewriter_t rw_abort = {upper_prompt, replace_file, 0, &ab};
    assert_int_equal(gw_multipart_rewrite(body, len, b, strlen(b), &rw_abort, &out2, &changed, NULL), -42);
    assert_int_equal(changed, 0);

    /* a replacement containing the delimiter is refused */
    char evil[128];
    snprintf(evil, sizeof(evil), "x\r\n--%s--\r\n", b);
    counts_t ev = {0, 0, 0, evil};
    gw_multipart_rewriter_t rw_evil = {NULL, replace_file, 0, &ev};
    const char *err = NULL;
    assert_int_equal(gw_multipart_rewrite(body, len, b, strlen(b), &rw_evil, &out2, &changed, &err), GW_MULTIPART_E_BOUNDARY);
    assert_non_null(err);

    /* transforms are never called when the body is malformed */
    counts_t none = {0, 0, 0, "x"};
    gw_multipart_rewriter_t rw_none = {upper_prompt, replace_file, 1, &none};
    assert_int_equal(gw_multipart_rewrite(body, len - 10, b, strlen(b), &rw_none, &out2, &changed, NULL), GW_MULTIPART_E_SYNTAX);
    assert_int_equal(none.text + none.file, 0);

    gw_buf_free(&out);
    gw_buf_free(&out2);
    free(body);
}

#define CD(name) "Content-Disposition: form-data; name=\"" name "\"\r\n"

static int parse_str(const char *body, size_t *n, gw_multipart_part_t *parts, const char **err)
{
    return gw_multipart_parse(body, strlen(body), "XyZ", 3, parts, GW_MULTIPART_MAX_PARTS, n, err, NULL);
}

static void test_framing(void **state)
{
    gw_multipart_part_t p[GW_MULTIPART_MAX_PARTS];
    size_t n;
    const char *err;

    /* preamble and epilogue are ignored; transport padding after the boundary is allowed */
    assert_int_equal(parse_str("preamble\r\n--XyZ \t\r\n" CD("a") "\r\nvalue\r\n--XyZ--\r\nepilogue\r\n", &n, p, &err), 0);
    assert_int_equal(n, 1);
    assert_true(span_eq(p[0].body, p[0].body_len, "value"));

    /* the CRLF before a delimiter belongs to it; CRLFs inside the content stay */
    assert_int_equal(parse_str("--XyZ\r\n" CD("a") "\r\n\r\nline\r\n\r\n--XyZ\r\n" CD("b") "\r\n\r\n--XyZ--", &n, p, &err), 0);
    assert_int_equal(n, 2);
    assert_true(span_eq(p[0].body, p[0].body_len, "\r\nline\r\n"));
    assert_int_equal(p[1].body_len, 0);

    /* text that merely resembles the boundary is data */
    assert_int_equal(parse_str("--XyZ\r\n" CD("a") "\r\nx-XyZ\r\n--Xy\r\n-- XyZ\r\n--xyz\r\n--XyZ--", &n, p, &err), 0);
    assert_int_equal(n, 1);
    assert_true(span_eq(p[0].body, p[0].body_len, "x-XyZ\r\n--Xy\r\n-- XyZ\r\n--xyz"));

    /* headers directly followed by the delimiter: an empty part */
    assert_int_equal(parse_str("--XyZ\r\n" CD("a") "\r\n--XyZ--", &n, p, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].body_len, 0);

    /* zero parts */
    assert_int_equal(parse_str("--XyZ--", &n, p, &err), 0);
    assert_int_equal(n, 0);

    /* header details: quoted name with an escaped quote, filename*, content types, header name case */
    assert_int_equal(
        parse_str(
            "--XyZ\r\ncontent-disposition: FORM-DATA; name=\"a\\\"b\"; filename*=UTF-8''jane%20doe.png\r\n"
            "CONTENT-TYPE:  image/png  \r\n\r\nPNG\r\n"
            "--XyZ\r\n" CD("t") "Content-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n"
                                "--XyZ\r\n" CD("blob") "Content-Type: image/jpeg\r\n\r\nJPG\r\n"
                                                       "--XyZ\r\nContent-Disposition: form-data; name=plain\r\n\r\nv\r\n--XyZ--",
            &n, p, &err),
        0);
    assert_int_equal(n, 4);
    assert_true(span_eq(p[0].name, p[0].name_len, "a\\\"b"));
    assert_true(span_eq(p[0].filename, p[0].filename_len, "UTF-8''jane%20doe.png"));
    assert_true(span_eq(p[0].content_type, p[0].content_type_len, "image/png"));
    assert_true(p[0].is_file);
    assert_false(p[1].is_file);
    assert_true(p[2].is_file); /* image content type without a filename */
    assert_true(span_eq(p[3].name, p[3].name_len, "plain"));

    struct {
        const char *body;
        int rc;
    } bad[] = {
        {"no delimiter at all", GW_MULTIPART_E_SYNTAX},
        {"--XyZ\n" CD("a") "\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX}, /* LF after the delimiter */
        {"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\n\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX}, /* bare LF in headers */
        {"--XyZ\r\n" CD("a") "\r\nvalue without end", GW_MULTIPART_E_SYNTAX},                   /* missing final boundary */
        {"--XyZ\r\n" CD("a") "\r\nv\r\n--XyZ\r\n", GW_MULTIPART_E_SYNTAX},                      /* ends after a delimiter */
        {"--XyZ\r\n" CD("a") "\r\nv\r\n--XyZ", GW_MULTIPART_E_SYNTAX},                          /* delimiter without CRLF or -- */
        {"--XyZ\r\n" CD("a") "v\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},                            /* no blank line */
        {"--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX}, /* no name */
        {"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
        {"--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX}, /* no Content-Disposition */
        {"--XyZ\r\n" CD("a") CD("b") "\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
        {"--XyZ\r\n" CD("a") " folded\r\n\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
        {"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
        {"--XyZ\r\n\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
        /* the boundary inside data, preamble or epilogue (RFC 2046: MUST NOT appear; a lenient parser upstream could
           see parts this one did not) */
        {"--XyZ\r\n" CD("a") "\r\nx--XyZ\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
        {"--XyZ\r\n" CD("a") "\r\nx\r\n--XyZa\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
        {"--XyZ\r\n" CD("a") "\r\nx\n--XyZ\n" CD("b") "\nhidden\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
        {"preamble --XyZ\r\n--XyZ\r\n" CD("a") "\r\nv\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
        {"--XyZ\r\n" CD("a") "\r\nv\r\n--XyZ--\r\n--XyZ\r\n" CD("b") "\r\nw\r\n--XyZ--", GW_MULTIPART_E_SYNTAX},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err = NULL;
        int rc = parse_str(bad[i].body, &n, p, &err);
        if (rc != bad[i].rc)
            fail_msg("case %zu: rc %d, want %d", i, rc, bad[i].rc);
        assert_non_null(err);
    }
    err = NULL;
    assert_int_equal(parse_str("--XyZ\r\n" CD("a") "\r\nvalue without end", &n, p, &err), GW_MULTIPART_E_SYNTAX);
    assert_string_equal(err, "missing final boundary");
}

/* text transform of test_part_rules: part "a" gets longer, the others stay */
static int grow_a(void *ctx, const gw_multipart_part_t *part, gw_buf_t *repl)
{
    (void)ctx;
    if (part->name_len != 1 || part->name[0] != 'a')
        return 0;
    return gw_buf_append(repl, "hello, longer", 13) == 0 ? 1 : -1;
}

/* RFC 7578 sections 4.6-4.8, failing closed: a part is accepted only when the bytes aigw scans are the bytes the
 * provider reads (no transfer or content encoding, no other charset, no header field the scan never sees). */
static void test_part_rules(void **state)
{
    gw_multipart_part_t p[GW_MULTIPART_MAX_PARTS];
    size_t n;
    const char *err;
    struct {
        const char *body;
        int ok;
    } cases[] = {
        /* identity transfer encodings, a Content-Length that matches, UTF-8 labels */
        {"--XyZ\r\n" CD("a") "Content-Transfer-Encoding: 8bit\r\n\r\nv\r\n--XyZ--", 1},
        {"--XyZ\r\n" CD("a") "content-transfer-encoding: BINARY\r\n\r\nv\r\n--XyZ--", 1},
        {"--XyZ\r\n" CD("a") "Content-Transfer-Encoding: 7bit\r\n\r\nv\r\n--XyZ--", 1},
        {"--XyZ\r\n" CD("a") "Content-Length: 5\r\n\r\nhello\r\n--XyZ--", 1},
        {"--XyZ\r\n" CD("a") "Content-Type: text/plain; charset=\"UTF-8\"\r\n\r\nJos\xc3\xa9\r\n--XyZ--", 1},
        {"--XyZ\r\n" CD("a") "Content-Type: text/plain; charset=us-ascii\r\n\r\nv\r\n--XyZ--", 1},
        {"--XyZ\r\n" CD("_charset_") "\r\nUTF-8\r\n--XyZ--", 1},
        {"--XyZ\r\n" CD("j") "Content-Type: application/json\r\n\r\n{}\r\n--XyZ--", 1},
        /* binary content in a file part is not text */
        {"--XyZ\r\n" CD("f") "Content-Type: audio/mpeg\r\n\r\nID3\x03\xff\xfe\r\n--XyZ--", 1},
        /* refused: encodings the provider would undo after the scan */
        {"--XyZ\r\n" CD("a") "Content-Transfer-Encoding: base64\r\n\r\nbWFpbA==\r\n--XyZ--", 0},
        {"--XyZ\r\n" CD("a") "Content-Transfer-Encoding: quoted-printable\r\n\r\nv=40x\r\n--XyZ--", 0},
        {"--XyZ\r\n" CD("a") "Content-Encoding: gzip\r\n\r\nv\r\n--XyZ--", 0},
        /* refused: header fields RFC 7578 section 4.8 does not allow (their values go unscanned) */
        {"--XyZ\r\n" CD("a") "X-Note: jane@example.com\r\n\r\nv\r\n--XyZ--", 0},
        {"--XyZ\r\n" CD("a") "Content-Type: text/plain\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--", 0},
        /* refused: a Content-Length that says another length, or is not a number */
        {"--XyZ\r\n" CD("a") "Content-Length: 9\r\n\r\nhello\r\n--XyZ--", 0},
        {"--XyZ\r\n" CD("a") "Content-Length: 5x\r\n\r\nhello\r\n--XyZ--", 0},
        /* refused: text that is not UTF-8, labelled or not */
        {"--XyZ\r\n" CD("a") "Content-Type: text/plain; charset=utf-16le\r\n\r\nm\r\n--XyZ--", 0},
        {"--XyZ\r\n" CD("a") "Content-Type: text/plain; charset=iso-8859-1\r\n\r\nJos\xe9\r\n--XyZ--", 0},
        {"--XyZ\r\n" CD("a") "\r\nJos\xe9\r\n--XyZ--", 0},
        {"--XyZ\r\n" CD("_charset_") "\r\nshift_jis\r\n--XyZ--", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        err = NULL;
        int rc = parse_str(cases[i].body, &n, p, &err);
        if (cases[i].ok && rc != 0)
            fail_msg("case %zu: refused (%s)", i, err);
        if (!cases[i].ok && (rc != GW_MULTIPART_E_SYNTAX || err == NULL))
            fail_msg("case %zu: accepted", i);
    }
    /* NUL bytes in a text part (UTF-16 without a label; strlen would stop at them) */
    static const char utf16[] = "--XyZ\r\n" CD("a") "\r\nm\x00a\x00i\x00l\x00\r\n--XyZ--";
    err = NULL;
    assert_int_equal(gw_multipart_parse(utf16, sizeof(utf16) - 1, "XyZ", 3, p, GW_MULTIPART_MAX_PARTS, &n, &err, NULL),
                     GW_MULTIPART_E_SYNTAX);
    assert_non_null(strstr(err, "NUL"));
    /* the same bytes in a file part are the file scan's to judge */
    static const char file16[] =
        "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nm\x00a\x00\r\n--XyZ--";
    assert_int_equal(gw_multipart_parse(file16, sizeof(file16) - 1, "XyZ", 3, p, GW_MULTIPART_MAX_PARTS, &n, &err, NULL), 0);
    assert_true(p[0].is_file);
    /* a part typed as audio without a filename is a file, not text */
    assert_int_equal(parse_str("--XyZ\r\n" CD("f") "Content-Type: audio/wav\r\n\r\nRIFF\r\n--XyZ--", &n, p, &err), 0);
    assert_true(p[0].is_file);
    assert_int_equal(parse_str("--XyZ\r\n" CD("j") "Content-Type: application/vnd.x+json\r\n\r\n{}\r\n--XyZ--", &n, p, &err), 0);
    assert_false(p[0].is_file);

    /* a replaced part's Content-Length says the new length, so the output parses again (a stale one would be refused) */
    static const char withlen[] =
        "--XyZ\r\n" CD("a") "Content-Length: 5\r\n\r\nhello\r\n--XyZ\r\n" CD("b") "content-length: 2\r\n\r\nok\r\n--XyZ--";
    gw_buf_t out = GW_BUF_INIT;
    int changed = 0;
    gw_multipart_rewriter_t rw = {grow_a, NULL, 0, NULL};
    assert_int_equal(gw_multipart_rewrite(withlen, sizeof(withlen) - 1, "XyZ", 3, &rw, &out, &changed, &err), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(gw_multipart_parse(out.base, out.len, "XyZ", 3, p, GW_MULTIPART_MAX_PARTS, &n, &err, NULL), 0);
    assert_int_equal(n, 2);
    assert_true(span_eq(p[0].body, p[0].body_len, "hello, longer"));
    assert_non_null(memmem(out.base, out.len, "Content-Length: 13\r\n", 20));
    assert_non_null(memmem(out.base, out.len, "content-length: 2\r\n", 19)); /* untouched part: as it came */
    gw_buf_free(&out);
    (void)state;
}

static void test_caps(void **state)
{
    gw_buf_t body = GW_BUF_INIT;
    gw_multipart_part_t p[GW_MULTIPART_MAX_PARTS];
    size_t n;
    const char *err;
    for (int i = 0; i < GW_MULTIPART_MAX_PARTS; i++)
        gw_buf_appendf(&body, "--XyZ\r\n" CD("f%d") "\r\n%d\r\n", i, i);
    size_t keep = body.len;
    gw_buf_appendf(&body, "--XyZ--\r\n");
    assert_int_equal(gw_multipart_parse(body.base, body.len, "XyZ", 3, p, GW_MULTIPART_MAX_PARTS, &n, &err, NULL), 0);
    assert_int_equal(n, GW_MULTIPART_MAX_PARTS);
    /* a smaller caller array is a limit too */
    assert_int_equal(gw_multipart_parse(body.base, body.len, "XyZ", 3, p, 10, &n, &err, NULL), GW_MULTIPART_E_LIMIT);
    body.len = keep;
    gw_buf_appendf(&body, "--XyZ\r\n" CD("one-too-many") "\r\nx\r\n--XyZ--\r\n");
    assert_int_equal(gw_multipart_parse(body.base, body.len, "XyZ", 3, p, GW_MULTIPART_MAX_PARTS, &n, &err, NULL),
                     GW_MULTIPART_E_LIMIT);
    assert_string_equal(err, "too many parts");

    body.len = 0;
    gw_buf_appendf(&body, "--XyZ\r\n" CD("a") "X-Pad: ");
    for (int i = 0; i < GW_MULTIPART_MAX_HEADER_BYTES; i++)
        gw_buf_append(&body, "p", 1);
    gw_buf_appendf(&body, "\r\n\r\nv\r\n--XyZ--");
    assert_int_equal(gw_multipart_parse(body.base, body.len, "XyZ", 3, p, GW_MULTIPART_MAX_PARTS, &n, &err, NULL),
                     GW_MULTIPART_E_LIMIT);
    assert_string_equal(err, "part header block too large");
    gw_buf_free(&body);
}

static int keep_text(void *ctx, const gw_multipart_part_t *p, gw_buf_t *repl)
{
    return 0;
}

static void test_neutral_names(void **state)
{
    struct {
        const char *headers;
        const char *want;
    } cases[] = {
        {"Content-Disposition: form-data; name=\"image\"; filename=\"Jane Doe.JPEG\"\r\nContent-Type: image/jpeg\r\n", "image.jpg"},
        {"Content-Disposition: form-data; name=\"image\"; filename=\"jane.webp\"\r\n", "image.webp"},
        {"Content-Disposition: form-data; name=\"doc\"; filename=\"jane-doe-cv.PDF\"\r\n", "file.pdf"},
        {"Content-Disposition: form-data; name=\"doc\"; filename=\"jane\"\r\nContent-Type: application/octet-stream\r\n", "file"},
        {"Content-Type: image/png\r\nContent-Disposition: form-data; name=\"mask\"; filename=\"m.bin\"; x=y\r\n", "image.png"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        gw_buf_t body = GW_BUF_INIT, out = GW_BUF_INIT;
        gw_buf_appendf(&body, "--XyZ\r\n%s\r\nDATA\r\n--XyZ--\r\n", cases[i].headers);
        gw_multipart_rewriter_t rw = {keep_text, NULL, 1, NULL};
        int changed = 0;
        assert_int_equal(gw_multipart_rewrite(body.base, body.len, "XyZ", 3, &rw, &out, &changed, NULL), 0);
        assert_int_equal(changed, 1);
        gw_multipart_part_t p[1];
        size_t n;
        assert_int_equal(gw_multipart_parse(out.base, out.len, "XyZ", 3, p, 1, &n, NULL, NULL), 0);
        if (!span_eq(p[0].filename, p[0].filename_len, cases[i].want))
            fail_msg("case %zu: filename %.*s, want %s", i, (int)p[0].filename_len, p[0].filename, cases[i].want);
        assert_true(span_eq(p[0].body, p[0].body_len, "DATA"));
        assert_null(memmem(out.base, out.len, "jane", 4));
        assert_null(memmem(out.base, out.len, "Jane", 4));
        if (strstr(cases[i].headers, "Content-Type") != NULL)
            assert_non_null(p[0].content_type);
        gw_buf_free(&body);
        gw_buf_free(&out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary),      cmocka_unit_test(test_fixture_parse), cmocka_unit_test(test_fixture_rewrite),
        cmocka_unit_test(test_framing),       cmocka_unit_test(test_caps),          cmocka_unit_test(test_part_rules),
        cmocka_unit_test(test_neutral_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
