/*
 * Usage reports (see store_report.h). One SQL statement per report on the store's read
 * connection, the same text on SQLite and PostgreSQL: the calls of the window (the call log holds
 * every proxied call with its token, image and compute counts, metered or not) UNION ALL the
 * ledger's reservations that have no call row any more, each joined with its reserve / settle /
 * refund ledger rows for the amounts (what went back is the settle row's amount when positive,
 * plus a refund row, which databases written before the single settle row hold). Grouping keys are expressions over that union; the
 * rows come back sorted. Formatting them (JSON, CSV, a table) is the CLI's and the admin API's business (gateway/usage_report.c).
 */
#include "gateway/store/store_report.h"
#include "common/log.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "gateway/store/store_ledger.h"

const char *const gw_usage_columns[GW_USAGE_NCOLS] = {
    "requests",  "charged_microcredits", "refunded_microcredits", "open_reservations",
    "flagged",   "input_tokens",         "output_tokens",         "images",
    "compute_ms"};
/* grouping expressions over the union `u` and its reserve row `r` */
static const char *const GROUP_SQL[5] = {"COALESCE(r.user_id, u.user_id)", "u.provider", "u.model", "u.client",
                                         "COALESCE(r.at, u.at) / 86400000000"};

static void day_string(int64_t day, char out[16])
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

void gw_usage_rows_free(gw_usage_rows_t *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (size_t d = 0; d < GW_USAGE_MAX_DIMS; d++)
            free(r->rows[i].key[d]);
    free(r->rows);
    r->rows = NULL;
    r->n = 0;
}

int gw_store_usage_rows(gw_store_t *st, int64_t from_us, int64_t to_us, const gw_usage_group_t *dims, size_t ndims,
                        gw_usage_rows_t *out)
{
    memset(out, 0, sizeof(*out));
    if (ndims == 0 || ndims > GW_USAGE_MAX_DIMS || (to_us != 0 && to_us <= from_us))
        return GW_STORE_E_INVAL;
    for (size_t d = 0; d < ndims; d++)
        if ((unsigned)dims[d] > GW_USAGE_BY_DAY || (d == 1 && dims[1] == dims[0]))
            return GW_STORE_E_INVAL;
    char keys[200], order[16];
    snprintf(keys, sizeof(keys), "%s AS k1, %s AS k2", GROUP_SQL[dims[0]], ndims > 1 ? GROUP_SQL[dims[1]] : "''");
    snprintf(order, sizeof(order), "%s", ndims > 1 ? "1, 2" : "1");
    char sql[2600];
    snprintf(sql, sizeof(sql),
             "SELECT %s, CAST(COUNT(*) AS BIGINT),"
             " CAST(SUM(CASE WHEN r.id IS NULL THEN 0 ELSE -r.amount_microcredits - COALESCE(s.amount_microcredits, 0)"
             " - COALESCE(f.amount_microcredits, 0) END) AS BIGINT),"
             " CAST(SUM(COALESCE(f.amount_microcredits, 0) + CASE WHEN s.amount_microcredits > 0 THEN s.amount_microcredits ELSE 0"
             " END) AS BIGINT),"
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
    gw_usage_row_t *rows = NULL;
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
            gw_usage_row_t *r = realloc(rows, (cap = cap ? cap * 2 : 32) * sizeof(*rows));
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
        for (int i = 0; i < GW_USAGE_NCOLS; i++)
            rows[n - 1].v[i] = gw_store__col_int64(s, i + 2);
    }
    if (rc < 0 && ret == 0) {
        gw_log(GW_LOG_ERROR, "report: %s", gw_store__db_errmsg(db));
        ret = GW_STORE_E_DB;
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    gw_store__rdb_release(st);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < GW_USAGE_NCOLS; k++)
            out->total[k] += rows[i].v[k];
    out->rows = rows;
    out->n = n;
    if (ret != 0)
        gw_usage_rows_free(out);
    return ret;
}
