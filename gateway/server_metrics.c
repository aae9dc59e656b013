/*
 * /metrics for the server (gw_server_render_metrics, see server.h): every worker's counters
 * (gateway/metrics.h), the store's queue gauges and purge counters, and the retry budget's.
 */
#include "gateway/server.h"

#include <inttypes.h>

#include "providers/provider.h"

/* ---- /metrics ------------------------------------------------------------------------- */

static const char *pii_type_name(const void *ctx, int type)
{
    const pol_pii_engine_t *e = ctx;
    return type < pol_pii_type_count(e) ? pol_pii_type_name(e, type) : NULL;
}

static void store_gauges(void *ctx, gw_buf_t *out)
{
    gw_server_t *srv = ctx;
    if (srv->store == NULL)
        return;
    gw_store_stats_t st;
    gw_store_stats(srv->store, &st);
    gw_buf_appendf(out,
                   "# HELP aigw_store_queue_depth Records waiting for the store writer.\n# TYPE aigw_store_queue_depth gauge\n"
                   "aigw_store_queue_depth %" PRIu64 "\n"
                   "# HELP aigw_store_queue_max Capacity of the store queue.\n# TYPE aigw_store_queue_max gauge\n"
                   "aigw_store_queue_max %" PRIu64 "\n"
                   "# HELP aigw_store_records_written_total Records committed by kind.\n"
                   "# TYPE aigw_store_records_written_total counter\n"
                   "aigw_store_records_written_total{kind=\"call\"} %" PRIu64 "\n"
                   "aigw_store_records_written_total{kind=\"access\"} %" PRIu64 "\n"
                   "aigw_store_records_written_total{kind=\"redaction\"} %" PRIu64 "\n"
                   "# HELP aigw_store_rejected_full_total Submissions refused because the queue was full (kept in a backlog).\n"
                   "# TYPE aigw_store_rejected_full_total counter\naigw_store_rejected_full_total %" PRIu64 "\n"
                   "# HELP aigw_store_write_failures_total Records the database refused even alone, dropped (logged at ERROR with "
                   "the request id).\n"
                   "# TYPE aigw_store_write_failures_total counter\naigw_store_write_failures_total %" PRIu64 "\n"
                   "# HELP aigw_store_batch_seconds_max Longest group commit.\n# TYPE aigw_store_batch_seconds_max gauge\n"
                   "aigw_store_batch_seconds_max %.6f\n"
                   "# HELP aigw_store_transactions_total Write transactions the store committed (the writer's and the loops').\n"
                   "# TYPE aigw_store_transactions_total counter\naigw_store_transactions_total %" PRIu64 "\n"
                   "# HELP aigw_store_turns_total Worker loop turns with journal items, by who committed them (loop: inline, "
                   "writer: handed over).\n"
                   "# TYPE aigw_store_turns_total counter\n"
                   "aigw_store_turns_total{committer=\"loop\"} %" PRIu64 "\n"
                   "aigw_store_turns_total{committer=\"writer\"} %" PRIu64 "\n"
                   "# HELP aigw_purged_rows_total Rows removed by retention, by class.\n# TYPE aigw_purged_rows_total counter\n",
                   st.queue_depth, st.queue_max, st.calls_written, st.access_written, st.redactions_written, st.rejected_full,
                   st.write_failures, (double)st.max_batch_us / 1e6, st.batches, st.inline_commits, st.turn_handoffs);
    for (int c = 0; c < POL_RET_NCLASSES; c++)
        gw_buf_appendf(out, "aigw_purged_rows_total{class=\"%s\"} %" PRIu64 "\n", pol_retention_name((pol_retention_class_t)c),
                       st.purged[c]);
}

static const char *provider_name(int idx)
{
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    return idx >= 0 && (size_t)idx < n ? all[idx]->name : NULL;
}

int gw_server_render_metrics(gw_server_t *srv, gw_buf_t *out)
{
    gw_metrics_t *ms[256];
    unsigned n = srv->nworkers < 256 ? srv->nworkers : 256;
    for (unsigned i = 0; i < n; i++)
        ms[i] = &srv->workers[i].metrics;
    if (gw_metrics_render(ms, n, pii_type_name, gw_privacy_engine(srv->privacy), store_gauges, srv, out) != 0)
        return -1;
    if (srv->retry != NULL)
        gw_retry_render_metrics(srv->retry, provider_name, out);
    return 0;
}
