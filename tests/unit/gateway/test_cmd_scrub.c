/*
 * `aigw scrub` (gateway/cmd_scrub.c) through gw_cmd_scrub_io with in-memory streams: the exact
 * output bytes (the jansson JSON_COMPACT layout the CLI always had: key order, upper-case \u00XX
 * escapes, reals as %.17g with ".0"), code point offsets, one output line per input line
 * (CRLF, a last line without '\n', empty lines, a line longer than the 1 MiB read block), error
 * lines that do not stop the run, and a duplicated "text" key counting by its last occurrence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gateway/cmd_scrub.h"

/* runs `aigw scrub` on `in` (n bytes); returns the output (malloc'd, NUL-terminated) */
static char *run_scrub(const char *in, size_t n)
{
    FILE *fi = tmpfile(), *fo = tmpfile(), *fe = tmpfile();
    assert_non_null(fi);
    assert_non_null(fo);
    assert_non_null(fe);
    assert_int_equal(fwrite(in, 1, n, fi), n);
    rewind(fi);
    char *argv[] = {(char *)"scrub", NULL};
    assert_int_equal(gw_cmd_scrub_io(1, argv, fi, fo, fe), 0);
    long len = ftell(fo);
    assert_true(len >= 0);
    char *out = malloc((size_t)len + 1);
    assert_non_null(out);
    rewind(fo);
    assert_int_equal(fread(out, 1, (size_t)len, fo), (size_t)len);
    out[len] = '\0';
    fclose(fi);
    fclose(fo);
    fclose(fe);
    return out;
}

static void expect(const char *in, const char *want)
{
    char *out = run_scrub(in, strlen(in));
    if (strcmp(out, want) != 0)
        fail_msg("input %s\n got: %s\nwant: %s", in, out, want);
    free(out);
}

static void test_output_bytes(void **state)
{
    (void)state;
    expect(
        "{\"text\":\"Call 212-555-0187 x\"}\n",
        "{\"text\":\"Call <PHONE_NUMBER_1> x\",\"entities\":[{\"type\":\"PHONE_NUMBER\",\"start\":5,\"end\":17,\"score\":1.0}]}\n");
    /* a score that needs 17 digits (0.35 + 0.35 context) */
    expect("{\"text\":\"Call 555-0187 x\"}\n",
           "{\"text\":\"Call <PHONE_NUMBER_1> x\",\"entities\":[{\"type\":\"PHONE_NUMBER\",\"start\":5,\"end\":13,\"score\":0."
           "69999999999999996}]}\n");
    expect("{\"text\":\"card 4111 1111 1111 1111\"}",
           "{\"text\":\"card <CREDIT_CARD_1>\",\"entities\":[{\"type\":\"CREDIT_CARD\",\"start\":5,\"end\":24,\"score\":1.0}]}\n");
    /* escapes: controls as jansson writes them, '/', DEL and non-ASCII copied; offsets in code points */
    expect("{\"text\":\"\\u0001\\u001f\\t\\n\\\\ \\\" / \\u007f \\u00e9\\u4e2d a@b.co\"}\r\n",
           "{\"text\":\"\\u0001\\u001F\\t\\n\\\\ \\\" / \x7f \xc3\xa9\xe4\xb8\xad <EMAIL_ADDRESS_1>\",\"entities\":[{\"type\":"
           "\"EMAIL_ADDRESS\",\"start\":15,\"end\":21,\"score\":1.0}]}\n");
    expect("{\"text\":\"nothing here\"}\n{\"text\":\"\"}\n",
           "{\"text\":\"nothing here\",\"entities\":[]}\n{\"text\":\"\",\"entities\":[]}\n");
    /* a duplicated key counts by its last occurrence, as in jansson */
    expect("{\"text\":\"a@b.co\",\"text\":\"plain\"}\n", "{\"text\":\"plain\",\"entities\":[]}\n");
    expect("{\"text\":\"a@b.co\",\"text\":1}\n", "{\"error\":\"expected an object with a string \\\"text\\\"\"}\n");
}

static void test_errors_do_not_stop(void **state)
{
    (void)state;
    static const char in[] = "not json\n\n[1]\n{\"x\":\"a@b.co\"}\n{\"text\":\"a@b.co\"}\n";
    char *out = run_scrub(in, sizeof(in) - 1);
    const char *p = out;
    for (int i = 0; i < 4; i++) {
        assert_memory_equal(p, "{\"error\":\"", 10);
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    assert_string_equal(
        p, "{\"text\":\"<EMAIL_ADDRESS_1>\",\"entities\":[{\"type\":\"EMAIL_ADDRESS\",\"start\":0,\"end\":6,\"score\":1.0}]}\n");
    free(out);
}

/* a line longer than the 1 MiB read block, between two short ones */
static void test_long_line(void **state)
{
    (void)state;
    static const char head[] = "{\"text\":\"x@y.co\"}\n{\"text\":\"", tail[] = "\"}\n{\"text\":\"z\"}";
    size_t n = (3u << 20) / 2, o = 0;
    char *in = malloc(n + sizeof(head) + sizeof(tail));
    assert_non_null(in);
    memcpy(in, head, sizeof(head) - 1);
    o = sizeof(head) - 1;
    memset(in + o, 'a', n);
    memcpy(in + o + n - 20, " mail a@b.co end", 16); /* the e-mail is text[n - 14, n - 8) */
    o += n;
    memcpy(in + o, tail, sizeof(tail) - 1);
    o += sizeof(tail) - 1;
    char *out = run_scrub(in, o);
    const char *l2 = strchr(out, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
    assert_memory_equal(out, "{\"text\":\"<EMAIL_ADDRESS_1>\"", 26);
    char want[160];
    snprintf(want, sizeof(want),
             "<EMAIL_ADDRESS_1> endaaaa\",\"entities\":[{\"type\":\"EMAIL_ADDRESS\",\"start\":%zu,\"end\":%zu,\"score\":1.0}]}\n",
             n - 14, n - 8);
    assert_true(strstr(l2, want) != NULL);
    assert_string_equal(l3, "{\"text\":\"z\",\"entities\":[]}\n");
    free(out);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_output_bytes),
        cmocka_unit_test(test_errors_do_not_stop),
        cmocka_unit_test(test_long_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
