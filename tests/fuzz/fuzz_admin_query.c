/*
 * Fuzz target for the admin API's query parsers (gateway/admin_privacy.h), which read what an
 * admin client sends in a URL and what `aigw meter report --from/--to` reads from a shell:
 * gw_admin_query_param and gw_admin_parse_time, and the usage report's group_by / format values
 * (gateway/usage_report.h gw_usage_groups_parse, gw_usage_format_parse).
 * Input: byte 0 picks the parameter name (one of five), byte 1 the output buffer's size (1..64),
 * the rest (cut at its first NUL) is the query string, and also the time string.
 * Invariants: no crash or sanitizer report; gw_admin_query_param answers 1 or -1 exactly when a
 * `&`-separated piece of the query is the name alone or starts with "name=", else 0; on 1 the
 * output is NUL-terminated inside its buffer with no more bytes than the piece's value; a time
 * that parses is in one of the three documented forms and prints back to the same text (the date
 * exists: nothing rolled over into another day), Unix seconds give exactly seconds * 10^6; an
 * accepted group_by list has one distinct dimension per comma-separated name (1..GW_USAGE_MAX_DIMS),
 * an accepted format is one of its three names; every parser answers the same twice (pure).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/admin_privacy.h"
#include "gateway/usage_report.h"
#include "support/support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether a piece of the query names `name`; *value_len receives its value's length. */
static int piece_matches(const char *q, const char *name, size_t *value_len)
{
    size_t nl = strlen(name);
    while (q != NULL && *q != '\0') {
        const char *amp = strchr(q, '&');
        size_t len = amp ? (size_t)(amp - q) : strlen(q);
        if (len >= nl && memcmp(q, name, nl) == 0 && (len == nl || q[nl] == '=')) {
            *value_len = len == nl ? 0 : len - nl - 1;
            return 1;
        }
        q = amp ? amp + 1 : NULL;
    }
    return 0;
}

static void check_query(const char *q, const char *name, size_t outlen)
{
    char out[64], again[64];
    memset(out, 0x5a, sizeof(out));
    int rc = gw_admin_query_param(q, name, out, outlen);
    size_t value_len = 0;
    int present = piece_matches(q, name, &value_len);
    TS_CHECK(rc == 1 || rc == 0 || rc == -1, "query_param answered something else");
    TS_CHECK((rc != 0) == present, "query_param disagrees on whether the parameter is there");
    if (rc == 1) {
        size_t got = strnlen(out, outlen);
        TS_CHECK(got < outlen, "decoded value not NUL-terminated inside its buffer");
        TS_CHECK(got <= value_len, "decoded value longer than the text it came from");
        TS_CHECK(gw_admin_query_param(q, name, again, outlen) == 1 && strcmp(out, again) == 0, "query_param not pure");
    } else {
        TS_CHECK(gw_admin_query_param(q, name, again, outlen) == rc, "query_param not pure");
    }
}

static void check_time(const char *s)
{
    int64_t v = INT64_MIN, w = INT64_MIN;
    int rc = gw_admin_parse_time(s, &v);
    TS_CHECK(rc == 0 || rc == -1, "parse_time answered something else");
    TS_CHECK(gw_admin_parse_time(s, &w) == rc && w == v, "parse_time not pure");
    if (rc != 0) {
        TS_CHECK(v == INT64_MIN, "parse_time wrote its output on an error");
        return;
    }
    size_t n = strlen(s);
    if (n >= 1 && strspn(s, "0123456789") == n) {
        TS_CHECK(n <= 19, "more than 19 digits accepted");
        TS_CHECK(v == (int64_t)strtoll(s, NULL, 10) * 1000000, "Unix seconds not read as seconds");
        return;
    }
    TS_CHECK(n == 10 || n == 20, "a time of another length accepted");
    TS_CHECK(v % 1000000 == 0, "a time with a fraction of a second");
    int leap_second = n == 20 && memcmp(s + 17, "60", 2) == 0;
    time_t t = (time_t)(v / 1000000) - leap_second;
    struct tm tm;
    TS_CHECK(gmtime_r(&t, &tm) != NULL, "parsed time has no calendar date");
    char back[96];
    if (n == 10)
        snprintf(back, sizeof(back), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    else
        snprintf(back, sizeof(back), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, leap_second ? 60 : tm.tm_sec);
    char upper[24];
    for (size_t i = 0; i <= n; i++)
        upper[i] = (char)toupper((unsigned char)s[i]);
    TS_CHECK(strcmp(back, upper) == 0, "parsed time does not print back to its text (a date rolled over?)");
    if (leap_second)
        TS_CHECK(tm.tm_hour == 23 && tm.tm_min == 59 && tm.tm_sec == 59, "a leap second other than 23:59:60");
}

static void check_report_values(const char *s)
{
    gw_usage_group_t dims[GW_USAGE_MAX_DIMS], dims2[GW_USAGE_MAX_DIMS];
    size_t nd = 99, nd2 = 99;
    int rc = gw_usage_groups_parse(s, dims, &nd);
    TS_CHECK(gw_usage_groups_parse(s, dims2, &nd2) == rc, "groups_parse not pure");
    if (rc == 0) {
        size_t commas = 0;
        for (const char *p = s; *p != '\0'; p++)
            commas += *p == ',';
        TS_CHECK(nd >= 1 && nd <= GW_USAGE_MAX_DIMS && nd == commas + 1, "group_by: not one dimension per name");
        TS_CHECK(nd2 == nd && memcmp(dims, dims2, nd * sizeof(dims[0])) == 0, "groups_parse not pure");
        for (size_t i = 0; i < nd; i++)
            for (size_t j = i + 1; j < nd; j++)
                TS_CHECK(dims[i] != dims[j], "group_by: a dimension twice");
    }
    gw_usage_format_t f;
    if (gw_usage_format_parse(s, &f) == 0)
        TS_CHECK(strcmp(s, "json") == 0 || strcmp(s, "csv") == 0 || strcmp(s, "table") == 0, "format: another name accepted");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"from", "to", "user", "limit", "a"};
    if (size < 2)
        return 0;
    const char *name = names[data[0] % 5];
    size_t outlen = 1 + data[1] % 64;
    char *s = malloc(size - 1);
    if (s == NULL)
        return 0;
    memcpy(s, data + 2, size - 2);
    s[size - 2] = '\0';
    check_query(s, name, outlen);
    check_time(s);
    check_report_values(s);
    free(s);
    return 0;
}
