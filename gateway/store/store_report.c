/*
 * Usage reports (see store_report.h). One SQL statement per report on the store's read
 * connection, the same text on SQLite and PostgreSQL: the calls of the window (the call log holds
 * every proxied call with its token, image and compute counts, metered or not) UNION ALL the
 * ledger's reservations that have no call row any more, each joined with its reserve / settle /
 * refund ledger rows for the amounts. Grouping keys are expressions over that union; the rows
 * come back sorted and are formatted here (JSON through jansson, CSV by RFC 4180 with the OWASP
 * formula neutralisation, or an aligned table).
 */
#include "gateway/store/store_report.h"
#include "common/log.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "gateway/store/store_ledger.h"

#define NCOLS 9
static const char *const COLS[NCOLS] = {"requests",  "charged_microcredits", "refunded_microcredits", "open_reservations",
                                        "flagged",   "input_tokens",         "output_tokens",         "images",
                                        "compute_ms"};
static const char *const GROUP_NAMES[5] = {"user", "provider", "model", "client", "day"};
/* grouping expressions over the union `u` and its reserve row `r` */
static const char *const GROUP_SQL[5] = {"COALESCE(r.user_id, u.user_id)", "u.provider", "u.model", "u.client",
                                         "COALESCE(r.at, u.at) / 86400000000"};

typedef struct st_urow_t {
    char *key[GW_USAGE_MAX_DIMS];
    int64_t v[NCOLS];
} urow_t;

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

int gw_usage_csv_field(pol_buf_t *out, const char *s)
{
    int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
    if (!formula && strpbrk(s, ",\"\r\n") == NULL)
        return pol_buf_append(out, s, strlen(s));
    if (pol_buf_append(out, formula ? "\"'" : "\"", formula ? 2 : 1) != 0)
        return -1;
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1)
        if (pol_buf_append(out, s, (size_t)(q - s)) != 0 || pol_buf_append(out, "\"\"", 2) != 0)
            return -1;
    if (pol_buf_append(out, s, strlen(s)) != 0)
        return -1;
    return pol_buf_append(out, "\"", 1);
}

static void day_string(int64_t day, char out[16])
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

static void group_label(const gw_usage_group_t *dims, size_t ndims, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s", GROUP_NAMES[dims[0]], ndims > 1 ? "," : "", ndims > 1 ? GROUP_NAMES[dims[1]] : "");
}

static int format_json(urow_t *rows, size_t n, const int64_t *tot, int64_t from, int64_t to, const gw_usage_group_t *dims,
                       size_t ndims, pol_buf_t *out)
{
    char label[32];
    group_label(dims, ndims, label, sizeof(label));
    json_t *doc = json_object(), *arr = json_array(), *t = json_object();
    json_object_set_new(doc, "from", from ? json_integer(from) : json_null());
    json_object_set_new(doc, "to", to ? json_integer(to) : json_null());
    json_object_set_new(doc, "group_by", json_string(label));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        pol_buf_t key = POL_BUF_INIT;
        for (size_t d = 0; d < ndims; d++) {
            pol_buf_appendf(&key, "%s%s", d ? "," : "", rows[i].key[d]);
            /* old rows may hold user ids with invalid UTF-8: shown with U+FFFD, not dropped (issue 14) */
            json_object_set_new(o, GROUP_NAMES[dims[d]], gw_store_json_text(rows[i].key[d]));
        }
        json_object_set_new(o, "key", gw_store_json_text(key.base != NULL ? key.base : ""));
        pol_buf_free(&key);
        for (int k = 0; k < NCOLS; k++)
            json_object_set_new(o, COLS[k], json_integer(rows[i].v[k]));
        json_array_append_new(arr, o);
    }
    for (int k = 0; k < NCOLS; k++)
        json_object_set_new(t, COLS[k], json_integer(tot[k]));
    json_object_set_new(doc, "rows", arr);
    json_object_set_new(doc, "total", t);
    char *s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (s == NULL)
        return GW_STORE_E_NOMEM;
    int rc = pol_buf_append(out, s, strlen(s));
    free(s);
    return rc == 0 ? 0 : GW_STORE_E_NOMEM;
}

static int format_csv(urow_t *rows, size_t n, const gw_usage_group_t *dims, size_t ndims, pol_buf_t *out)
{
    int rc = 0;
    for (size_t d = 0; d < ndims; d++)
        rc |= pol_buf_appendf(out, "%s%s", d ? "," : "", GROUP_NAMES[dims[d]]);
    for (int k = 0; k < NCOLS; k++)
        rc |= pol_buf_appendf(out, ",%s", COLS[k]);
    rc |= pol_buf_append(out, "\r\n", 2);
    for (size_t i = 0; i < n; i++) {
        for (size_t d = 0; d < ndims; d++) {
            if (d != 0)
                rc |= pol_buf_append(out, ",", 1);
            rc |= gw_usage_csv_field(out, rows[i].key[d]);
        }
        for (int k = 0; k < NCOLS; k++)
            rc |= pol_buf_appendf(out, ",%" PRId64, rows[i].v[k]);
        rc |= pol_buf_append(out, "\r\n", 2);
    }
    return rc == 0 ? 0 : GW_STORE_E_NOMEM;
}

/* "12.345678": micro-units as a decimal (credits, or seconds from ms with 3 places). */
static void decimal(char *buf, size_t cap, int64_t v, int64_t scale, int places)
{
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    snprintf(buf, cap, "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "", a / (uint64_t)scale, places, a % (uint64_t)scale);
}

static int format_table(urow_t *rows, size_t n, const int64_t *tot, const gw_usage_group_t *dims, size_t ndims, pol_buf_t *out)
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
        rc |= pol_buf_appendf(out, "%-*s ", w[d], GROUP_NAMES[dims[d]]);
    }
    rc |= pol_buf_appendf(out, "%9s %17s %18s %5s %7s %13s %13s %7s %12s\n", "requests", "charged (credits)", "refunded (credits)",
                          "open", "flagged", "input tokens", "output tokens", "images", "compute (s)");
    for (size_t i = 0; i <= n; i++) {
        const int64_t *v = i < n ? rows[i].v : tot;
        for (size_t d = 0; d < ndims; d++)
            rc |= pol_buf_appendf(out, "%-*.*s ", w[d], w[d], i < n ? rows[i].key[d] : d == 0 ? "TOTAL" : "");
        char ch[32], rf[32], cs[32];
        decimal(ch, sizeof(ch), v[1], 1000000, 6);
        decimal(rf, sizeof(rf), v[2], 1000000, 6);
        decimal(cs, sizeof(cs), v[8], 1000, 3);
        rc |=
            pol_buf_appendf(out, "%9" PRId64 " %17s %18s %5" PRId64 " %7" PRId64 " %13" PRId64 " %13" PRId64 " %7" PRId64 " %12s\n",
                            v[0], ch, rf, v[3], v[4], v[5], v[6], v[7], cs);
    }
    return rc == 0 ? 0 : GW_STORE_E_NOMEM;
}

int gw_store_usage_report_by(gw_store_t *st, int64_t from_us, int64_t to_us, const gw_usage_group_t *dims, size_t ndims,
                             gw_usage_format_t format, pol_buf_t *out)
{
    if (ndims == 0 || ndims > GW_USAGE_MAX_DIMS || (unsigned)format > GW_USAGE_TABLE || (to_us != 0 && to_us <= from_us))
        return GW_STORE_E_INVAL;
    for (size_t d = 0; d < ndims; d++)
        if ((unsigned)dims[d] > GW_USAGE_BY_DAY || (d == 1 && dims[1] == dims[0]))
            return GW_STORE_E_INVAL;
    char keys[200], order[16];
    snprintf(keys, sizeof(keys), "%s AS k1, %s AS k2", GROUP_SQL[dims[0]], ndims > 1 ? GROUP_SQL[dims[1]] : "''");
    snprintf(order, sizeof(order), "%s", ndims > 1 ? "1, 2" : "1");
    char sql[2400];
    snprintf(sql, sizeof(sql),
             "SELECT %s, CAST(COUNT(*) AS BIGINT),"
             " CAST(SUM(CASE WHEN r.id IS NULL THEN 0 ELSE -r.amount_microcredits - COALESCE(s.amount_microcredits, 0)"
             " - COALESCE(f.amount_microcredits, 0) END) AS BIGINT),"
             " CAST(SUM(COALESCE(f.amount_microcredits, 0)) AS BIGINT),"
             " CAST(SUM(CASE WHEN r.id IS NOT NULL AND s.id IS NULL THEN 1 ELSE 0 END) AS BIGINT),"
             " CAST(SUM(COALESCE(s.flagged, 0)) AS BIGINT),"
             " CAST(SUM(u.tin) AS BIGINT), CAST(SUM(u.tout) AS BIGINT), CAST(SUM(u.imgs) AS BIGINT), CAST(SUM(u.cms) AS BIGINT)"
             " FROM (SELECT c.request_id AS rid, c.user_id AS user_id, c.provider AS provider,"
             " COALESCE(c.model, 'unknown') AS model, COALESCE(c.client, 'unknown') AS client, c.started_at AS at,"
             " c.input_tokens AS tin, c.output_tokens AS tout, c.images AS imgs, c.compute_ms AS cms FROM calls c"
             " UNION ALL SELECT l.request_id, l.user_id, 'unknown', 'unknown', 'unknown', l.at, 0, 0, 0, 0 FROM ledger l"
             " WHERE l.kind = 'reserve' AND NOT EXISTS (SELECT 1 FROM calls c2 WHERE c2.request_id = l.request_id)) u"
             " LEFT JOIN ledger r ON r.request_id = u.rid AND r.kind = 'reserve'"
             " LEFT JOIN ledger s ON s.request_id = u.rid AND s.kind = 'settle'"
             " LEFT JOIN ledger f ON f.request_id = u.rid AND f.kind = 'refund'"
             " WHERE COALESCE(r.at, u.at) >= ? AND COALESCE(r.at, u.at) < ? GROUP BY %s ORDER BY %s",
             keys, order, order);
    urow_t *rows = NULL;
    size_t n = 0, cap = 0;
    int ret = 0, rc;
    gw_store_ledger_flush(st);
    gw_store_db_t *db = gw_store__rdb_acquire(st);
    gw_store_stmt_t *s = gw_store__db_prepare(db, sql);
    if (s == NULL) {
        gw_log(GW_LOG_ERROR, "report: %s", gw_store__db_errmsg(db));
        gw_store__rdb_release(st);
        return GW_STORE_E_DB;
    }
    gw_store__bind_int64(s, 1, from_us);
    gw_store__bind_int64(s, 2, to_us ? to_us : INT64_MAX);
    while ((rc = gw_store__step(s)) == 1) {
        if (n == cap) {
            urow_t *r = realloc(rows, (cap = cap ? cap * 2 : 32) * sizeof(*rows));
            if (r == NULL) {
                ret = GW_STORE_E_NOMEM;
                break;
            }
            rows = r;
        }
        memset(&rows[n], 0, sizeof(rows[n]));
        n++;
        for (size_t d = 0; d < ndims; d++) {
            char day[16];
            const char *k;
            if (dims[d] == GW_USAGE_BY_DAY) {
                day_string(gw_store__col_int64(s, (int)d), day);
                k = day;
            } else {
                k = gw_store__col_text(s, (int)d);
            }
            if ((rows[n - 1].key[d] = strdup(k != NULL ? k : "")) == NULL)
                ret = GW_STORE_E_NOMEM;
        }
        if (ret != 0)
            break;
        for (int i = 0; i < NCOLS; i++)
            rows[n - 1].v[i] = gw_store__col_int64(s, i + 2);
    }
    if (rc < 0 && ret == 0) {
        gw_log(GW_LOG_ERROR, "report: %s", gw_store__db_errmsg(db));
        ret = GW_STORE_E_DB;
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    gw_store__rdb_release(st);
    int64_t tot[NCOLS] = {0};
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < NCOLS; k++)
            tot[k] += rows[i].v[k];
    if (ret == 0)
        ret = format == GW_USAGE_JSON  ? format_json(rows, n, tot, from_us, to_us, dims, ndims, out)
              : format == GW_USAGE_CSV ? format_csv(rows, n, dims, ndims, out)
                                       : format_table(rows, n, tot, dims, ndims, out);
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < GW_USAGE_MAX_DIMS; d++)
            free(rows[i].key[d]);
    free(rows);
    return ret;
}

int gw_store_usage_report(gw_store_t *st, int64_t from_us, int64_t to_us, gw_usage_group_t group, gw_usage_format_t format,
                          pol_buf_t *out)
{
    return gw_store_usage_report_by(st, from_us, to_us, &group, 1, format, out);
}
