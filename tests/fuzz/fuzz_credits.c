/*
 * Fuzz target for the amount parsers of the CLI (policy/meter.h pol_meter_parse_credits and
 * pol_meter_parse_microcredits) and the usage CSV field writer (gateway/usage_report.h
 * gw_usage_csv_field). Input: any bytes, cut at the first NUL. Invariants: a parsed credit amount
 * printed back with 6 decimals parses to the same micro-credits; a parsed micro-credit integer
 * equals strtoll's reading; a CSV field never holds a NUL byte, starts with a quote whenever it
 * needs one (separator, quote, line break, formula lead), and its quotes come in escaped pairs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/usage_report.h"
#include "policy/meter.h"
#include "support/support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    int64_t v, w;
    if (pol_meter_parse_credits(s, &v) == 0) {
        char back[48];
        uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        snprintf(back, sizeof(back), "%s%" PRIu64 ".%06" PRIu64, v < 0 ? "-" : "", a / 1000000, a % 1000000);
        TS_CHECK(pol_meter_parse_credits(back, &w) == 0 && w == v, "credits do not round-trip");
    }
    if (pol_meter_parse_microcredits(s, &v) == 0) {
        errno = 0;
        char *end;
        long long ll = strtoll(s, &end, 10);
        TS_CHECK(errno == 0 && *end == '\0' && ll == v, "micro-credits differ from strtoll");
    }
    gw_buf_t out = GW_BUF_INIT;
    if (gw_usage_csv_field(&out, s) == 0 && out.len != 0) {
        TS_CHECK(memchr(out.base, '\0', out.len) == NULL, "NUL in a CSV field");
        int quoted = out.base[0] == '"';
        TS_CHECK(quoted || strpbrk(s, ",\"\r\n") == NULL, "unquoted field with a separator");
        TS_CHECK(quoted || !(s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'),
                 "formula lead not neutralised");
        if (quoted) {
            TS_CHECK(out.len >= 2 && out.base[out.len - 1] == '"', "quoted field not closed");
            for (size_t i = 1; i + 1 < out.len; i++)
                if (out.base[i] == '"') {
                    TS_CHECK(i + 2 < out.len && out.base[i + 1] == '"', "lone quote inside a field");
                    i++;
                }
        }
    }
    gw_buf_free(&out);
    free(s);
    return 0;
}
