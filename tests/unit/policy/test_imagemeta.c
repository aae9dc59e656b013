/* Unit tests for policy/imagemeta. The images in tests/data/images (made by make.sh: gen.py writes
 * metadata-free plain.* files, exiftool adds GPS/EXIF/XMP/IPTC/comments to get meta.*) are stripped;
 * the result must equal the plain image byte for byte (so the pixel data is unchanged), exiftool must
 * find no GPS/XMP/IPTC/comment tags in it (skipped with a message when exiftool is absent), and a
 * second strip must change nothing. Synthetic images cover the keep rules (ICC, Adobe APP14, PNG
 * ancillary allow-list, VP8X flags), trailers and corrupt input; then the data: URI and base64 helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "policy/imagemeta.h"

typedef struct st_file_t {
    unsigned char *p;
    size_t n;
} file_t;

static file_t load(const char *name)
{
    const char *dir = getenv("AIGW_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/images/%s", dir != NULL ? dir : ".", name);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        fail_msg("cannot open %s (AIGW_SOURCE_DIR)", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    file_t f = {malloc((size_t)n + 1), (size_t)n};
    assert_int_equal(fread(f.p, 1, f.n, fp), f.n);
    fclose(fp);
    return f;
}

static int have_exiftool(void)
{
    return system("exiftool -ver >/dev/null 2>&1") == 0;
}

/* Writes `p` to a temp file and returns exiftool's "-a -G1 -s" listing of it (malloc'ed). */
static char *exiftool_dump(const unsigned char *p, size_t n)
{
    char path[] = "/tmp/aigw-imagemeta-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, p, n), (ssize_t)n);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "exiftool -a -G1 -s --System:all --ExifTool:all %s 2>&1", path);
    FILE *pp = popen(cmd, "r");
    assert_non_null(pp);
    size_t cap = 65536, len = 0;
    char *out = malloc(cap);
    size_t r;
    while ((r = fread(out + len, 1, cap - len - 1, pp)) > 0)
        len += r;
    out[len] = '\0';
    pclose(pp);
    unlink(path);
    return out;
}

static void check_pair(const char *meta_name, const char *plain_name, unsigned want_bits)
{
    file_t meta = load(meta_name), plain = load(plain_name);
    gw_buf_t out = GW_BUF_INIT, again = GW_BUF_INIT;
    pol_imagemeta_report_t rep;

    /* before: exiftool sees the metadata (the test images are what we think they are) */
    if (have_exiftool()) {
        char *before = exiftool_dump(meta.p, meta.n);
        assert_non_null(strstr(before, "[GPS]"));
        assert_non_null(strstr(before, "Jane_Doe"));
        free(before);
    }

    assert_int_equal(pol_imagemeta_strip(meta.p, meta.n, &out, &rep), 1);
    assert_true(out.len < meta.n);
    assert_int_equal(rep.bytes, meta.n - out.len);
    if ((rep.removed & want_bits) != want_bits)
        fail_msg("%s: removed bits %#x, want at least %#x", meta_name, rep.removed, want_bits);
    if (plain_name != NULL && strcmp(plain_name, "plain.webp") != 0) {
        /* byte-identical to the image before exiftool touched it: pixels and every decoding parameter unchanged */
        assert_int_equal(out.len, plain.n);
        assert_memory_equal(out.base, plain.p, plain.n);
    } else {
        /* simple WebP became VP8X in meta.webp; the VP8L bitstream (after the 12-byte RIFF header) is unchanged */
        assert_non_null(memmem(out.base, out.len, plain.p + 12, plain.n - 12));
        assert_int_equal((unsigned char)out.base[20] & 0x0C, 0); /* VP8X flags: no EXIF, no XMP */
        assert_int_equal(out.base[4] | out.base[5] << 8, out.len - 8);
    }
    assert_null(memmem(out.base, out.len, "Jane", 4));
    assert_null(memmem(out.base, out.len, "Exif", 4));

    /* idempotent */
    assert_int_equal(pol_imagemeta_strip((unsigned char *)out.base, out.len, &again, &rep), 0);
    assert_int_equal(rep.removed, 0);

    if (have_exiftool()) {
        char *after = exiftool_dump((unsigned char *)out.base, out.len);
        const char *banned[] = {"[GPS]",        "[XMP",       "[IPTC]", "Comment", "Jane", "Artist",
                                "SerialNumber", "ModifyDate", "[IFD0]", "Warning", "Error"};
        for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
            if (strstr(after, banned[i]) != NULL)
                fail_msg("%s after strip: exiftool still reports %s:\n%s", meta_name, banned[i], after);
        assert_non_null(strstr(after, "ImageSize")); /* and still reads it as an image */
        free(after);
    } else {
        print_message("exiftool not installed: skipping the exiftool check of %s\n", meta_name);
    }
    gw_buf_free(&out);
    gw_buf_free(&again);
    free(meta.p);
    free(plain.p);
}

static void test_files(void **state)
{
    check_pair("meta.jpg", "plain.jpg",
               POL_IMAGEMETA_R_EXIF | POL_IMAGEMETA_R_XMP | POL_IMAGEMETA_R_IPTC | POL_IMAGEMETA_R_COMMENT);
    check_pair("meta.png", "plain.png", POL_IMAGEMETA_R_EXIF | POL_IMAGEMETA_R_XMP | POL_IMAGEMETA_R_TEXT | POL_IMAGEMETA_R_TIME);
    check_pair("meta_alpha.webp", "plain_alpha.webp", POL_IMAGEMETA_R_EXIF | POL_IMAGEMETA_R_XMP | POL_IMAGEMETA_R_FLAGS);
    check_pair("meta.webp", "plain.webp", POL_IMAGEMETA_R_EXIF | POL_IMAGEMETA_R_XMP | POL_IMAGEMETA_R_FLAGS);

    /* clean images are left alone, out untouched */
    const char *plain[] = {"plain.jpg", "plain.png", "plain.webp", "plain_alpha.webp"};
    const int formats[] = {POL_IMAGEMETA_JPEG, POL_IMAGEMETA_PNG, POL_IMAGEMETA_WEBP, POL_IMAGEMETA_WEBP};
    for (int i = 0; i < 4; i++) {
        file_t f = load(plain[i]);
        gw_buf_t out = GW_BUF_INIT;
        pol_imagemeta_report_t rep;
        assert_int_equal(pol_imagemeta_format(f.p, f.n), formats[i]);
        assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), 0);
        assert_int_equal(rep.format, formats[i]);
        assert_int_equal(out.len, 0);
        assert_null(out.base);
        free(f.p);
    }
}

/* Builds a JPEG from plain.jpg with segment `seg` (marker + length + payload) inserted after APP0. */
static file_t jpeg_with(const unsigned char *seg, size_t seglen, const char *trailer)
{
    file_t base = load("plain.jpg");
    size_t app0_end = 2 + 2 + 16; /* SOI + FFE0 + length 16 */
    size_t tl = trailer != NULL ? strlen(trailer) : 0;
    file_t f = {malloc(base.n + seglen + tl), base.n + seglen + tl};
    memcpy(f.p, base.p, app0_end);
    if (seglen != 0)
        memcpy(f.p + app0_end, seg, seglen);
    memcpy(f.p + app0_end + seglen, base.p + app0_end, base.n - app0_end);
    if (tl != 0)
        memcpy(f.p + base.n + seglen, trailer, tl);
    free(base.p);
    return f;
}

static size_t make_seg(unsigned char *buf, unsigned marker, const char *payload, size_t n)
{
    buf[0] = 0xFF;
    buf[1] = (unsigned char)marker;
    buf[2] = (unsigned char)((n + 2) >> 8);
    buf[3] = (unsigned char)(n + 2);
    memcpy(buf + 4, payload, n);
    return n + 4;
}

static void test_jpeg_rules(void **state)
{
    unsigned char seg[64];
    gw_buf_t out = GW_BUF_INIT;
    pol_imagemeta_report_t rep;
    struct {
        unsigned marker;
        const char *payload;
        size_t n;
        int removed;
        unsigned bit;
    } cases[] = {
        {0xE2, "ICC_PROFILE\0\1\1abcd", 18, 0, 0},         /* ICC profile: kept */
        {0xEE, "Adobe\0\144\0\0\0\0\1", 12, 0, 0},         /* Adobe colour transform: kept */
        {0xE2, "MPF\0II*\0", 8, 1, POL_IMAGEMETA_R_OTHER}, /* multi-picture index: removed */
        {0xE1, "http://ns.adobe.com/xap/1.0/\0<x/>", 33, 1, POL_IMAGEMETA_R_XMP},
        {0xE1, "Exif\0\0MM", 8, 1, POL_IMAGEMETA_R_EXIF},
        {0xED, "Photoshop 3.0\0", 14, 1, POL_IMAGEMETA_R_IPTC},
        {0xEF, "maker", 5, 1, POL_IMAGEMETA_R_OTHER},
        {0xFE, "Jane Doe", 8, 1, POL_IMAGEMETA_R_COMMENT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = make_seg(seg, cases[i].marker, cases[i].payload, cases[i].n);
        file_t f = jpeg_with(seg, n, NULL);
        int rc = pol_imagemeta_strip(f.p, f.n, &out, &rep);
        assert_int_equal(rc, cases[i].removed);
        if (cases[i].removed) {
            assert_int_equal(rep.removed, cases[i].bit);
            assert_int_equal(rep.segments, 1);
            assert_int_equal(out.len, f.n - n);
        }
        free(f.p);
    }
    /* bytes after EOI (e.g. MPF images, vendor trailers) are dropped */
    file_t f = jpeg_with(NULL, 0, "TRAILER Jane Doe");
    assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), 1);
    assert_int_equal(rep.removed, POL_IMAGEMETA_R_TRAILER);
    assert_int_equal(out.len, f.n - 16);
    assert_int_equal((unsigned char)out.base[out.len - 1], 0xD9);
    /* corrupt: every truncation inside the headers, a bad segment length, a missing marker */
    for (size_t cut = 3; cut < 20 + 4 + 67; cut++)
        assert_int_equal(pol_imagemeta_strip(f.p, cut, &out, &rep), POL_IMAGEMETA_E_CORRUPT);
    f.p[22] = 0;
    f.p[23] = 1; /* DQT length 1 */
    assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), POL_IMAGEMETA_E_CORRUPT);
    free(f.p);
    /* a truncated scan is kept as is */
    f = load("meta.jpg");
    assert_int_equal(pol_imagemeta_strip(f.p, f.n - 2, &out, &rep), 1);
    assert_true((rep.removed & POL_IMAGEMETA_R_EXIF) != 0);
    free(f.p);
    /* not an image we know */
    assert_int_equal(pol_imagemeta_strip((const unsigned char *)"GIF89a....", 10, &out, &rep), POL_IMAGEMETA_E_UNSUPPORTED);
    assert_int_equal(pol_imagemeta_strip((const unsigned char *)"", 0, &out, &rep), POL_IMAGEMETA_E_UNSUPPORTED);
    gw_buf_free(&out);
}

static void put_be32(unsigned char *p, size_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

/* plain.png with a chunk inserted before IDAT (offset 8 + 25 + 16 + 21 = 70). CRC is not checked. */
static file_t png_with(const char *type, const char *data, size_t n)
{
    file_t base = load("plain.png");
    size_t at = 8 + 25 + 16 + 21;
    file_t f = {malloc(base.n + n + 12), base.n + n + 12};
    memcpy(f.p, base.p, at);
    put_be32(f.p + at, n);
    memcpy(f.p + at + 4, type, 4);
    memcpy(f.p + at + 8, data, n);
    memset(f.p + at + 8 + n, 0, 4);
    memcpy(f.p + at + 12 + n, base.p + at, base.n - at);
    free(base.p);
    return f;
}

static void test_png_rules(void **state)
{
    gw_buf_t out = GW_BUF_INIT;
    pol_imagemeta_report_t rep;
    struct {
        const char *type;
        int removed;
        unsigned bit;
    } cases[] = {
        {"tRNS", 0, 0},
        {"iCCP", 0, 0},
        {"sRGB", 0, 0},
        {"cHRM", 0, 0},
        {"bKGD", 0, 0},
        {"acTL", 0, 0},
        {"fdAT", 0, 0},
        {"eXIf", 1, POL_IMAGEMETA_R_EXIF},
        {"tEXt", 1, POL_IMAGEMETA_R_TEXT},
        {"zTXt", 1, POL_IMAGEMETA_R_TEXT},
        {"tIME", 1, POL_IMAGEMETA_R_TIME},
        {"caBX", 1, POL_IMAGEMETA_R_OTHER},
        {"iDOT", 1, POL_IMAGEMETA_R_OTHER},
        {"prVt", 1, POL_IMAGEMETA_R_OTHER},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        file_t f = png_with(cases[i].type, "abcdef", 6);
        assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), cases[i].removed);
        if (cases[i].removed) {
            assert_int_equal(rep.removed, cases[i].bit);
            assert_int_equal(out.len, f.n - 18);
        }
        free(f.p);
    }
    /* iTXt XMP is reported as XMP */
    file_t f = png_with("iTXt", "XML:com.adobe.xmp\0\0\0\0\0<x/>", 27);
    assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), 1);
    assert_int_equal(rep.removed, POL_IMAGEMETA_R_XMP);
    free(f.p);
    /* corrupt: no IEND (every truncation), first chunk not IHDR, bad type bytes, huge length */
    f = load("plain.png");
    for (size_t cut = 8; cut < f.n; cut++)
        assert_int_equal(pol_imagemeta_strip(f.p, cut, &out, &rep), POL_IMAGEMETA_E_CORRUPT);
    memcpy(f.p + 12, "IHDx", 4);
    assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), POL_IMAGEMETA_E_CORRUPT);
    memcpy(f.p + 12, "IH1R", 4);
    assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), POL_IMAGEMETA_E_CORRUPT);
    memcpy(f.p + 12, "IHDR", 4);
    put_be32(f.p + 8, 0x80000000u);
    assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), POL_IMAGEMETA_E_CORRUPT);
    free(f.p);
    gw_buf_free(&out);
}

static void test_webp_rules(void **state)
{
    gw_buf_t out = GW_BUF_INIT;
    pol_imagemeta_report_t rep;
    file_t f = load("plain_alpha.webp");
    /* trailer after the RIFF end: dropped, size unchanged */
    unsigned char *t = malloc(f.n + 5);
    memcpy(t, f.p, f.n);
    memcpy(t + f.n, "Jane!", 5);
    assert_int_equal(pol_imagemeta_strip(t, f.n + 5, &out, &rep), 1);
    assert_int_equal(rep.removed, POL_IMAGEMETA_R_TRAILER);
    assert_int_equal(out.len, f.n);
    assert_memory_equal(out.base, f.p, f.n);
    free(t);
    /* flags claiming EXIF without the chunk: cleared */
    f.p[20] |= 0x08;
    assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), 1);
    assert_int_equal(rep.removed, POL_IMAGEMETA_R_FLAGS);
    assert_int_equal(out.base[20], 0x10);
    f.p[20] &= ~0x08;
    /* corrupt: RIFF size beyond the data, chunk beyond the RIFF end, first chunk not VP8X/VP8/VP8L */
    for (size_t cut = 12; cut < f.n; cut++)
        assert_int_equal(pol_imagemeta_strip(f.p, cut, &out, &rep), POL_IMAGEMETA_E_CORRUPT);
    memcpy(f.p + 12, "ALPH", 4);
    assert_int_equal(pol_imagemeta_strip(f.p, f.n, &out, &rep), POL_IMAGEMETA_E_CORRUPT);
    free(f.p);
    gw_buf_free(&out);
}

static char *b64(const unsigned char *p, size_t n, int variant)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, variant);
    char *s = malloc(cap);
    sodium_bin2base64(s, cap, p, n, variant);
    return s;
}

static void decode_eq(const char *s, size_t n, const file_t *want)
{
    unsigned char *bin = malloc(n);
    size_t bl;
    assert_int_equal(sodium_base642bin(bin, n, s, n, NULL, &bl, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    assert_int_equal(bl, want->n);
    assert_memory_equal(bin, want->p, bl);
    free(bin);
}

static void test_data_uri(void **state)
{
    file_t meta = load("meta.jpg"), plain = load("plain.jpg"), ppng = load("plain.png");
    pol_imagemeta_scratch_t scratch = POL_IMAGEMETA_SCRATCH_INIT;
    gw_buf_t out = GW_BUF_INIT, uri = GW_BUF_INIT;
    pol_imagemeta_report_t rep;

    char *enc = b64(meta.p, meta.n, sodium_base64_VARIANT_ORIGINAL);
    gw_buf_appendf(&uri, "data:image/jpeg;base64,%s", enc);
    assert_int_equal(pol_imagemeta_strip_data_uri(uri.base, uri.len, &out, &scratch, &rep), 1);
    assert_true((rep.removed & POL_IMAGEMETA_R_EXIF) != 0);
    assert_true(out.len > 23 && memcmp(out.base, "data:image/jpeg;base64,", 23) == 0);
    decode_eq(out.base + 23, out.len - 23, &plain);
    free(enc);

    /* no padding and line breaks are accepted; NULL scratch works */
    enc = b64(meta.p, meta.n, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    uri.len = 0;
    gw_buf_appendf(&uri, "DATA:image/JPEG;base64,%.40s\r\n%s", enc, enc + 40);
    assert_int_equal(pol_imagemeta_strip_data_uri(uri.base, uri.len, &out, NULL, &rep), 1);
    assert_true(memcmp(out.base, "data:image/JPEG;base64,", 23) == 0);
    decode_eq(out.base + 23, out.len - 23, &plain);
    free(enc);

    /* a clean image is unchanged; parameters (a file name) are dropped even then */
    enc = b64(ppng.p, ppng.n, sodium_base64_VARIANT_ORIGINAL);
    uri.len = 0;
    gw_buf_appendf(&uri, "data:image/png;base64,%s", enc);
    out.len = 0;
    assert_int_equal(pol_imagemeta_strip_data_uri(uri.base, uri.len, &out, &scratch, &rep), 0);
    assert_int_equal(out.len, 0);
    uri.len = 0;
    gw_buf_appendf(&uri, "data:image/png;name=jane-doe.png;base64,%s", enc);
    assert_int_equal(pol_imagemeta_strip_data_uri(uri.base, uri.len, &out, &scratch, &rep), 1);
    assert_int_equal(rep.removed, POL_IMAGEMETA_R_URI_PARAMS);
    assert_true(memcmp(out.base, "data:image/png;base64,", 22) == 0);
    assert_null(memmem(out.base, out.len, "jane", 4));
    decode_eq(out.base + 22, out.len - 22, &ppng);

    /* the raw base64 helper (Gemini inlineData, Anthropic source) */
    char *menc = b64(meta.p, meta.n, sodium_base64_VARIANT_ORIGINAL);
    assert_int_equal(pol_imagemeta_strip_base64("image/jpeg", 10, menc, strlen(menc), &out, &scratch, &rep), 1);
    decode_eq(out.base, out.len, &plain);
    assert_int_equal(pol_imagemeta_strip_base64("image/png", 9, enc, strlen(enc), &out, &scratch, &rep), 0);
    assert_int_equal(pol_imagemeta_strip_base64("application/pdf", 15, "JVBERi0=", 8, &out, NULL, &rep), 0);
    assert_int_equal(pol_imagemeta_strip_base64("image/heic", 10, "AAAA", 4, &out, NULL, &rep), POL_IMAGEMETA_E_UNSUPPORTED);
    assert_int_equal(pol_imagemeta_strip_base64("image/png", 9, "!!!!", 4, &out, NULL, &rep), POL_IMAGEMETA_E_BASE64);
    /* the label says PNG, the bytes are JPEG: stripped as JPEG */
    assert_int_equal(pol_imagemeta_strip_base64("image/png", 9, menc, strlen(menc), &out, NULL, &rep), 1);
    assert_int_equal(rep.format, POL_IMAGEMETA_JPEG);
    free(menc);
    free(enc);

    /* the fixtures' 1x1 PNG carries no metadata */
    const char *fx =
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
    assert_int_equal(pol_imagemeta_strip_data_uri(fx, strlen(fx), &out, &scratch, &rep), 0);

    struct {
        const char *uri;
        int rc;
    } cases[] = {
        {"data:application/pdf;base64,JVBERi0=", 0},
        {"data:,hello", 0},
        {"data:image/gif;base64,R0lGODlhAQABAAAAACw=", POL_IMAGEMETA_E_UNSUPPORTED},
        {"data:image/png;base64,!!!", POL_IMAGEMETA_E_BASE64},
        {"data:image/png,%89PNG", POL_IMAGEMETA_E_DATA_URI},
        {"data:image/png;base64", POL_IMAGEMETA_E_DATA_URI},
        {"https://example.com/a.png", POL_IMAGEMETA_E_DATA_URI},
        {"data:image/png;base64,AAAA", POL_IMAGEMETA_E_UNSUPPORTED},
        {"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB", POL_IMAGEMETA_E_CORRUPT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = pol_imagemeta_strip_data_uri(cases[i].uri, strlen(cases[i].uri), &out, &scratch, &rep);
        if (rc != cases[i].rc)
            fail_msg("%s: rc %d, want %d", cases[i].uri, rc, cases[i].rc);
    }
    pol_imagemeta_scratch_free(&scratch);
    gw_buf_free(&out);
    gw_buf_free(&uri);
    free(meta.p);
    free(plain.p);
    free(ppng.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files),      cmocka_unit_test(test_jpeg_rules), cmocka_unit_test(test_png_rules),
        cmocka_unit_test(test_webp_rules), cmocka_unit_test(test_data_uri),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
