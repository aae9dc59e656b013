/*
 * Usage reports for people and programs (see usage_report.h): the store's rows
 * (gw_store_usage_rows) formatted as JSON through jansson, as CSV by RFC 4180 with the OWASP formula
 * neutralisation, or as an aligned table. Shared by `aigw report usage` and GET /admin/api/usage;
 * the store only queries.
 */
#include "gateway/usage_report.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const GROUP_NAMES[5] = {"user", "provider", "model", "client", "day"};

int gw_usage_group_parse(const char *s, gw_usage_group_t *g)
{
    for (int i = 0; s != NULL && i < 5; i++)
        if (strcmp(s, GROUP_NAMES[i]) == 0) {
            *g = (gw_usage_group_t)i;
            return 0;
        }
    return -1;
}

int gw_usage_format_parse(const char *s, gw_usage_format_t *f)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "json") == 0)
        *f = GW_USAGE_JSON;
    else if (strcmp(s, "csv") == 0)
        *f = GW_USAGE_CSV;
    else if (strcmp(s, "table") == 0)
        *f = GW_USAGE_TABLE;
    else
        return -1;
    return 0;
}

int gw_usage_groups_parse(const char *s, gw_usage_group_t dims[GW_USAGE_MAX_DIMS], size_t *ndims)
{
    size_t n = 0;
    if (s == NULL)
        return -1;
    for (;;) {
        const char *c = strchr(s, ',');
        size_t len = c != NULL ? (size_t)(c - s) : strlen(s);
        char name[16];
        if (len == 0 || len >= sizeof(name) || n == GW_USAGE_MAX_DIMS)
            return -1;
        memcpy(name, s, len);
        name[len] = '\0';
        if (gw_usage_group_parse(name, &dims[n]) != 0)
            return -1;
        for (size_t i = 0; i < n; i++)
            if (dims[i] == dims[n])
                return -1;
        n++;
        if (c == NULL)
            break;
        s = c + 1;
    }
    *ndims = n;
    return 0;
}

int gw_usage_csv_field(gw_buf_t *out, const char *s)
{
    int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
    if (!formula && strpbrk(s, ",\"\r\n") == NULL)
        return gw_buf_append(out, s, strlen(s));
    if (gw_buf_append(out, formula ? "\"'" : "\"", formula ? 2 : 1) != 0)
        return -1;
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1)
        if (gw_buf_append(out, s, (size_t)(q - s)) != 0 || gw_buf_append(out, "\"\"", 2) != 0)
            return -1;
    if (gw_buf_append(out, s, strlen(s)) != 0)
        return -1;
    return gw_buf_append(out, "\"", 1);
}

static void group_label(const gw_usage_group_t *dims, size_t ndims, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s", GROUP_NAMES[dims[0]], ndims > 1 ? "," : "", ndims > 1 ? GROUP_NAMES[dims[1]] : "");
}

static int format_json(gw_usage_row_t *rows, size_t n, const int64_t *tot, int64_t from, int64_t to, const gw_usage_group_t *dims,
                       size_t ndims, gw_buf_t *out)
{
    char label[32];
    group_label(dims, ndims, label, sizeof(label));
    json_t *doc = json_object(), *arr = json_array(), *t = json_object();
    json_object_set_new(doc, "from", from ? json_integer(from) : json_null());
    json_object_set_new(doc, "to", to ? json_integer(to) : json_null());
    json_object_set_new(doc, "group_by", json_string(label));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        gw_buf_t key = GW_BUF_INIT;
        for (size_t d = 0; d < ndims; d++) {
            gw_buf_appendf(&key, "%s%s", d ? "," : "", rows[i].key[d]);
            /* old rows may hold user ids with invalid UTF-8: shown with U+FFFD, not dropped (issue 14) */
            json_object_set_new(o, GROUP_NAMES[dims[d]], gw_store_json_text(rows[i].key[d]));
        }
        json_object_set_new(o, "key", gw_store_json_text(key.base != NULL ? key.base : ""));
        gw_buf_free(&key);
        for (int k = 0; k < GW_USAGE_NCOLS; k++)
            json_object_set_new(o, gw_usage_columns[k], json_integer(rows[i].v[k]));
        json_array_append_new(arr, o);
    }
    for (int k = 0; k < GW_USAGE_NCOLS; k++)
        json_object_set_new(t, gw_usage_columns[k], json_integer(tot[k]));
    json_object_set_new(doc, "rows", arr);
    json_object_set_new(doc, "total", t);
    char *s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (s == NULL)
        return GW_STORE_E_NOMEM;
    int rc = gw_buf_append(out, s, strlen(s));
    free(s);
    return rc == 0 ? 0 : GW_STORE_E_NOMEM;
}

static int format_csv(gw_usage_row_t *rows, size_t n, const gw_usage_group_t *dims, size_t ndims, gw_buf_t *out)
{
    int rc = 0;
    for (size_t d = 0; d < ndims; d++)
        rc |= gw_buf_appendf(out, "%s%s", d ? "," : "", GROUP_NAMES[dims[d]]);
    for (int k = 0; k < GW_USAGE_NCOLS; k++)
        rc |= gw_buf_appendf(out, ",%s", gw_usage_columns[k]);
    rc |= gw_buf_append(out, "\r\n", 2);
    for (size_t i = 0; i < n; i++) {
        for (size_t d = 0; d < ndims; d++) {
            if (d != 0)
                rc |= gw_buf_append(out, ",", 1);
            rc |= gw_usage_csv_field(out, rows[i].key[d]);
        }
        for (int k = 0; k < GW_USAGE_NCOLS; k++)
            rc |= gw_buf_appendf(out, ",%" PRId64, rows[i].v[k]);
        rc |= gw_buf_append(out, "\r\n", 2);
    }
    return rc == 0 ? 0 : GW_STORE_E_NOMEM;
}

/* "12.345678": micro-units as a decimal (credits, or seconds from ms with 3 places). */
static void decimal(char *buf, size_t cap, int64_t v, int64_t scale, int places)
{
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    snprintf(buf, cap, "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "", a / (uint64_t)scale, places, a % (uint64_t)scale);
}

static int format_table(gw_usage_row_t *rows, size_t n, const int64_t *tot, const gw_usage_group_t *dims, size_t ndims,
                        gw_buf_t *out)
{
    int w[GW_USAGE_MAX_DIMS];
    int rc = 0;
    for (size_t d = 0; d < ndims; d++) {
        w[d] = (int)strlen(GROUP_NAMES[dims[d]]);
        for (size_t i = 0; i < n; i++)
            if ((int)strlen(rows[i].key[d]) > w[d])
                w[d] = (int)strlen(rows[i].key[d]);
        if (w[d] < 5)
            w[d] = 5; /* "TOTAL" */
        if (w[d] > 60)
            w[d] = 60;
        rc |= gw_buf_appendf(out, "%-*s ", w[d], GROUP_NAMES[dims[d]]);
    }
    rc |= gw_buf_appendf(out, "%9s %17s %18s %5s %7s %13s %13s %7s %12s\n", "requests", "charged (credits)", "refunded (credits)",
                         "open", "flagged", "input tokens", "output tokens", "images", "compute (s)");
    for (size_t i = 0; i <= n; i++) {
        const int64_t *v = i < n ? rows[i].v : tot;
        for (size_t d = 0; d < ndims; d++)
            rc |= gw_buf_appendf(out, "%-*.*s ", w[d], w[d], i < n ? rows[i].key[d] : d == 0 ? "TOTAL" : "");
        char ch[32], rf[32], cs[32];
        decimal(ch, sizeof(ch), v[1], 1000000, 6);
        decimal(rf, sizeof(rf), v[2], 1000000, 6);
        decimal(cs, sizeof(cs), v[8], 1000, 3);
        rc |=
            gw_buf_appendf(out, "%9" PRId64 " %17s %18s %5" PRId64 " %7" PRId64 " %13" PRId64 " %13" PRId64 " %7" PRId64 " %12s\n",
                           v[0], ch, rf, v[3], v[4], v[5], v[6], v[7], cs);
    }
    return rc == 0 ? 0 : GW_STORE_E_NOMEM;
}

int gw_usage_report_by(gw_store_t *st, int64_t from_us, int64_t to_us, const gw_usage_group_t *dims, size_t ndims,
                       gw_usage_format_t format, gw_buf_t *out)
{
    if ((unsigned)format > GW_USAGE_TABLE)
        return GW_STORE_E_INVAL;
    gw_usage_rows_t r;
    int ret = gw_store_usage_rows(st, from_us, to_us, dims, ndims, &r);
    if (ret == 0)
        ret = format == GW_USAGE_JSON  ? format_json(r.rows, r.n, r.total, from_us, to_us, dims, ndims, out)
              : format == GW_USAGE_CSV ? format_csv(r.rows, r.n, dims, ndims, out)
                                       : format_table(r.rows, r.n, r.total, dims, ndims, out);
    gw_usage_rows_free(&r);
    return ret;
}

int gw_usage_report(gw_store_t *st, int64_t from_us, int64_t to_us, gw_usage_group_t group, gw_usage_format_t format, gw_buf_t *out)
{
    return gw_usage_report_by(st, from_us, to_us, &group, 1, format, out);
}
