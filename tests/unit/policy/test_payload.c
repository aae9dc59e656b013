/*
 * Unit tests for policy/payload: data: URIs (base64 and percent-encoded) and raw base64 / base64url sorted by their
 * bytes (images, text documents, unscannable blobs), short words that happen to be base64, hex digests, the
 * re-encoding round trip, and the opaque-token alphabet check (issue 10).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy/payload.h"

static pol_payload_kind_t classify(const char *s, pol_payload_t *p, gw_buf_t *dec)
{
    assert_int_equal(pol_payload_classify(s, strlen(s), p, dec), 0);
    return p->kind;
}

static void b64(const char *text, size_t len, int url, int padded, gw_buf_t *out)
{
    pol_payload_t p;
    memset(&p, 0, sizeof(p));
    p.url_alphabet = url;
    p.padded = padded;
    gw_buf_reset(out);
    assert_int_equal(pol_payload_encode(&p, text, len, out), 0);
}

static void test_data_uris(void **state)
{
    (void)state;
    pol_payload_t p;
    gw_buf_t dec = GW_BUF_INIT, out = GW_BUF_INIT;
    /* base64 text document: decoded, re-encoded with its declared type */
    assert_int_equal(classify("data:text/plain;base64,Y2FsbCBqYW5lQGV4YW1wbGUuY29t", &p, &dec), POL_PAYLOAD_TEXT);
    assert_string_equal(dec.base, "call jane@example.com");
    assert_true(p.data_uri);
    assert_string_equal(p.declared, "text/plain");
    assert_int_equal(pol_payload_encode(&p, "call <E>", 8, &out), 0);
    assert_string_equal(out.base, "data:text/plain;base64,Y2FsbCA8RT4=");
    /* percent-encoded: decoded too (%40 is '@'), re-encoded as base64 */
    assert_int_equal(classify("DATA:text/plain;charset=utf-8,jane%40example.com", &p, &dec), POL_PAYLOAD_TEXT);
    assert_string_equal(dec.base, "jane@example.com");
    /* images by their bytes, whatever the declared type says */
    assert_int_equal(classify("data:text/plain;base64,iVBORw0KGgoAAAANSUhEUg==", &p, &dec), POL_PAYLOAD_IMAGE);
    assert_string_equal(p.mime, "image/png");
    assert_int_equal(classify("data:image/jpeg;base64,/9j/4AAQSkZJRg==", &p, &dec), POL_PAYLOAD_IMAGE);
    /* PDFs, GIFs, audio: cannot be scanned */
    assert_int_equal(classify("data:application/pdf;base64,JVBERi0xLjQKJcfs", &p, &dec), POL_PAYLOAD_BLOB);
    assert_string_equal(p.mime, "application/pdf");
    assert_int_equal(classify("data:image/gif;base64,R0lGODlhAQABAAAAACw=", &p, &dec), POL_PAYLOAD_BLOB);
    assert_string_equal(p.mime, "image/gif");
    /* malformed: no comma, base64 that is not */
    assert_int_equal(classify("data:text/plain;base64", &p, &dec), POL_PAYLOAD_BLOB);
    assert_int_equal(classify("data:text/plain;base64,jane@example.com", &p, &dec), POL_PAYLOAD_BLOB);
    /* a PDF header followed by text is not a PDF (the first bytes are believed only for valid base64) */
    assert_int_equal(classify("data:application/pdf;base64,JVBERi0xLjQKJcfs\ncard 4070122796983442", &p, &dec), POL_PAYLOAD_BLOB);
    assert_string_equal(p.mime, "application/octet-stream");
    assert_int_equal(classify("data:application/pdf;base64,JVBERi0xLjQKJcfs=\nDE89370400440532013000", &p, &dec), POL_PAYLOAD_BLOB);
    assert_string_equal(p.mime, "application/octet-stream"); /* data after the padding */
    gw_buf_free(&dec);
    gw_buf_free(&out);
}

static void test_raw_base64(void **state)
{
    (void)state;
    pol_payload_t p;
    gw_buf_t dec = GW_BUF_INIT, enc = GW_BUF_INIT, out = GW_BUF_INIT;
    const char *doc = "Patient Jane Doe, born 1980-01-02, phone +1 415 555 0134, e-mail jane.doe@example.com.\n";
    /* a long text document, standard alphabet with MIME line breaks */
    b64(doc, strlen(doc), 0, 1, &enc);
    gw_buf_t wrapped = GW_BUF_INIT;
    for (size_t i = 0; i < enc.len; i += 76) {
        size_t n = enc.len - i < 76 ? enc.len - i : 76;
        gw_buf_append(&wrapped, enc.base + i, n);
        gw_buf_append(&wrapped, "\r\n", 2);
    }
    assert_int_equal(classify(wrapped.base, &p, &dec), POL_PAYLOAD_TEXT);
    assert_string_equal(dec.base, doc);
    assert_false(p.data_uri);
    /* base64url without padding keeps its alphabet when re-encoded */
    b64("\xfb\xff\xbf text jane@example.com", 25, 1, 0, &enc);
    assert_non_null(strchr(enc.base, '-'));
    assert_null(strchr(enc.base, '='));
    assert_int_equal(classify(enc.base, &p, &dec), POL_PAYLOAD_NONE); /* short and not UTF-8: a word */
    b64("a short text with jane@example.com", 34, 1, 0, &enc);
    assert_int_equal(classify(enc.base, &p, &dec), POL_PAYLOAD_TEXT);
    assert_true(p.url_alphabet || strchr(enc.base, '-') == NULL);
    gw_buf_reset(&out);
    assert_int_equal(pol_payload_encode(&p, dec.base, dec.len, &out), 0);
    assert_string_equal(out.base, enc.base);
    /* a short base64 text (16 characters) is decoded as well */
    assert_int_equal(classify("amFuZUB4LmNvbQ==", &p, &dec), POL_PAYLOAD_TEXT);
    assert_string_equal(dec.base, "jane@x.com");
    /* long binary: a blob; a PDF by its magic */
    unsigned char bin[96];
    for (size_t i = 0; i < sizeof(bin); i++)
        bin[i] = (unsigned char)(i * 37 + 1);
    b64((const char *)bin, sizeof(bin), 0, 1, &enc);
    assert_int_equal(classify(enc.base, &p, &dec), POL_PAYLOAD_BLOB);
    assert_string_equal(p.mime, "application/octet-stream");
    memcpy(bin, "%PDF-1.7\n", 9);
    b64((const char *)bin, sizeof(bin), 0, 1, &enc);
    assert_int_equal(classify(enc.base, &p, &dec), POL_PAYLOAD_BLOB);
    assert_string_equal(p.mime, "application/pdf");
    gw_buf_free(&wrapped);
    gw_buf_free(&dec);
    gw_buf_free(&enc);
    gw_buf_free(&out);
}

static void test_text_stays_text(void **state)
{
    (void)state;
    pol_payload_t p;
    gw_buf_t dec = GW_BUF_INIT;
    static const char *const texts[] = {
        "Hello Jane, how are you?",
        "jane.doe@example.com",
        "+14155550134",
        "4111111111111111",
        "DE89370400440532013000",
        "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", /* sha256 hex */
        "short",
        "Supercalifragilisticexpialidocious_Supercalifragilisticexpialidocious!",
        "https://example.com/a.png",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (classify(texts[i], &p, &dec) != POL_PAYLOAD_NONE)
            fail_msg("%s: kind %d, expected plain text", texts[i], p.kind);
    gw_buf_free(&dec);
}

/* A declared file field (pol_payload_classify_file): no length rule and no hex rule. A 30-byte GIF, PDF or unknown
 * binary gets the verdict of a long one (pol_payload_classify() called them short words: text, forwarded); a value that
 * is not base64 is undecodable (refused by the caller), never text. */
static void test_file_fields(void **state)
{
    (void)state;
    pol_payload_t p;
    gw_buf_t dec = GW_BUF_INIT, enc = GW_BUF_INIT;
    static const struct {
        const char *bytes;
        size_t len;
        pol_payload_kind_t kind;
        const char *mime;
    } cases[] = {
        {"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00", 26, POL_PAYLOAD_BLOB,
         "image/gif"},
        {"%PDF-1.4\n%\xc7\xec\x8f\xa2\n1 0 obj<<>>endobj\n", 30, POL_PAYLOAD_BLOB, "application/pdf"},
        {"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e", 26,
         POL_PAYLOAD_BLOB, "application/octet-stream"},
        {"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20, POL_PAYLOAD_IMAGE, "image/jpeg"},
        {"call jane@example.com", 21, POL_PAYLOAD_TEXT, "text/plain"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int url = 0; url < 2; url++) {
            b64(cases[i].bytes, cases[i].len, url, 1, &enc);
            assert_true(enc.len < POL_PAYLOAD_MIN_BLOB);
            assert_int_equal(pol_payload_classify_file(enc.base, enc.len, &p, &dec), 0);
            assert_int_equal(p.kind, cases[i].kind);
            assert_string_equal(p.mime, cases[i].mime);
            assert_false(p.undecodable);
            if (cases[i].kind == POL_PAYLOAD_TEXT) {
                assert_int_equal(dec.len, cases[i].len);
                assert_memory_equal(dec.base, cases[i].bytes, dec.len);
            }
            /* the same bytes padded to a long payload: the same verdict */
            char big[256];
            memset(big, 'x', sizeof(big));
            memcpy(big, cases[i].bytes, cases[i].len);
            if (cases[i].kind == POL_PAYLOAD_BLOB && strcmp(cases[i].mime, "application/octet-stream") == 0)
                memset(big + cases[i].len, 0, sizeof(big) - cases[i].len);
            b64(big, cases[i].kind == POL_PAYLOAD_TEXT ? cases[i].len : sizeof(big), url, 1, &enc);
            assert_int_equal(pol_payload_classify_file(enc.base, enc.len, &p, &dec), 0);
            assert_int_equal(p.kind, cases[i].kind);
            assert_string_equal(p.mime, cases[i].mime);
        }
    }
    /* hex digits in a file field are base64 too: "deadbeef" decodes to 6 bytes of binary */
    assert_int_equal(pol_payload_classify_file("deadbeef", 8, &p, &dec), 0);
    assert_int_equal(p.kind, POL_PAYLOAD_BLOB);
    /* the same short GIF in a free-text field stays a word (pol_payload_classify's length rule, unchanged) */
    b64(cases[0].bytes, cases[0].len, 0, 1, &enc);
    assert_int_equal(pol_payload_classify(enc.base, enc.len, &p, &dec), 0);
    assert_int_equal(p.kind, POL_PAYLOAD_NONE);
    /* not base64: undecodable, whatever its length */
    static const char *const bad[] = {"hello world",     "abc!", "AAAA=AAA", "a", "aGVsbG8=\"}", "https://example.com/a.png",
                                      "aGVsbG8*d29ybGQ="};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(pol_payload_classify_file(bad[i], strlen(bad[i]), &p, &dec), 0);
        assert_int_equal(p.kind, POL_PAYLOAD_BLOB);
        assert_true(p.undecodable);
    }
    /* data: URIs as pol_payload_classify(); a malformed one is undecodable */
    assert_int_equal(pol_payload_classify_file("data:application/pdf;base64,JVBERi0x", 36, &p, &dec), 0);
    assert_int_equal(p.kind, POL_PAYLOAD_BLOB);
    assert_false(p.undecodable);
    assert_int_equal(pol_payload_classify_file("data:text/plain;base64,jane@example.com", 39, &p, &dec), 0);
    assert_true(p.undecodable);
    /* the empty file is an empty text */
    assert_int_equal(pol_payload_classify_file("", 0, &p, &dec), 0);
    assert_int_equal(p.kind, POL_PAYLOAD_TEXT);
    gw_buf_free(&dec);
    gw_buf_free(&enc);
}

static void test_helpers(void **state)
{
    (void)state;
    assert_true(pol_payload_is_text((const unsigned char *)"a\tb\n\xc3\xa9", 6));
    assert_false(pol_payload_is_text((const unsigned char *)"a\0b", 3));
    assert_false(pol_payload_is_text((const unsigned char *)"\xc3", 1));
    assert_false(pol_payload_is_text((const unsigned char *)"\xed\xa0\x80", 3)); /* surrogate */
    assert_true(pol_payload_is_base64_token("EuYBCkQYAiJA/gCs1le6+Pol5Z4=", 28));
    assert_true(pol_payload_is_base64_token("gAAAAABo_x-y", 12));
    assert_false(pol_payload_is_base64_token("jane@example.com", 16));
    assert_false(pol_payload_is_base64_token("a b", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_uris), cmocka_unit_test(test_raw_base64),  cmocka_unit_test(test_text_stays_text),
        cmocka_unit_test(test_helpers),   cmocka_unit_test(test_file_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
