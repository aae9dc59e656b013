/*
 * Metrics counting and rendering (see metrics.h). Label values come from fixed tables (provider
 * names, status codes, entity types), never from requests, so the series count is bounded.
 */
#include "gateway/metrics.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "providers/provider.h"

static const int status_slots[GW_METRICS_STATUSES] = {
    200, 400, 401, 402, 403, 404, 405, 413, 429, 499, 500, 502, 503, 504, 0 /* other 2xx-3xx */, -1 /* other */};

static const uint64_t bucket_us[GW_METRICS_BUCKETS] = {50,    100,   250,   500,    1000,    2500,     5000,
                                                       10000, 25000, 50000, 100000, 1000000, 10000000, 60000000};

static int status_slot(int status)
{
    for (int i = 0; i < GW_METRICS_STATUSES - 2; i++)
        if (status_slots[i] == status)
            return i;
    return status < 400 ? GW_METRICS_STATUSES - 2 : GW_METRICS_STATUSES - 1;
}

static void observe(gw_histogram_t *h, uint64_t us)
{
    int b = 0;
    while (b < GW_METRICS_BUCKETS && us > bucket_us[b])
        b++;
    gw_metrics_add(&h->bucket[b], 1);
    gw_metrics_add(&h->sum_us, us);
    gw_metrics_add(&h->count, 1);
}

void gw_metrics_request(gw_metrics_t *m, int provider_idx, int status, uint64_t duration_us, uint64_t overhead_us,
                        int64_t upstream_us, uint64_t bytes_in, uint64_t bytes_out)
{
    int p = provider_idx >= 0 && provider_idx < GW_METRICS_PROVIDERS ? provider_idx : GW_METRICS_PROVIDERS;
    gw_metrics_add(&m->requests[p][status_slot(status)], 1);
    observe(&m->duration, duration_us);
    observe(&m->overhead, overhead_us);
    if (upstream_us >= 0)
        observe(&m->upstream, (uint64_t)upstream_us);
    gw_metrics_add(&m->bytes_in, bytes_in);
    gw_metrics_add(&m->bytes_out, bytes_out);
    if (status == 502 || status == 504)
        gw_metrics_add(&m->upstream_errors, 1);
}

static uint64_t sum(gw_metrics_t *const *ms, unsigned n, size_t offset)
{
    uint64_t s = 0;
    for (unsigned i = 0; i < n; i++)
        s += atomic_load_explicit((_Atomic uint64_t *)((char *)ms[i] + offset), memory_order_relaxed);
    return s;
}

#define SUM(field) sum(ms, n, offsetof(gw_metrics_t, field))

static int render_histogram(gw_metrics_t *const *ms, unsigned n, size_t offset, const char *name, const char *help, gw_buf_t *out)
{
    if (gw_buf_appendf(out, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name) != 0)
        return -1;
    uint64_t cum = 0;
    for (int b = 0; b <= GW_METRICS_BUCKETS; b++) {
        cum += sum(ms, n, offset + offsetof(gw_histogram_t, bucket) + (size_t)b * sizeof(_Atomic uint64_t));
        if (b < GW_METRICS_BUCKETS) {
            if (gw_buf_appendf(out, "%s_bucket{le=\"%g\"} %" PRIu64 "\n", name, (double)bucket_us[b] / 1e6, cum) != 0)
                return -1;
        } else if (gw_buf_appendf(out, "%s_bucket{le=\"+Inf\"} %" PRIu64 "\n", name, cum) != 0) {
            return -1;
        }
    }
    uint64_t s = sum(ms, n, offset + offsetof(gw_histogram_t, sum_us));
    uint64_t c = sum(ms, n, offset + offsetof(gw_histogram_t, count));
    return gw_buf_appendf(out, "%s_sum %.6f\n%s_count %" PRIu64 "\n", name, (double)s / 1e6, name, c);
}

int gw_metrics_render(gw_metrics_t *const *ms, unsigned n, const char *(*pii_type_name)(const void *ctx, int type),
                      const void *pii_ctx, gw_metrics_gauges_cb gauges, void *gauges_ctx, gw_buf_t *out)
{
    size_t nprov;
    const prov_adapter_t *const *all = prov_all(&nprov);
    if (gw_buf_appendf(out, "# HELP aigw_requests_total Proxied requests by provider and HTTP status returned.\n"
                            "# TYPE aigw_requests_total counter\n") != 0)
        return -1;
    for (int p = 0; p <= GW_METRICS_PROVIDERS; p++) {
        if (p < GW_METRICS_PROVIDERS && (size_t)p >= nprov)
            continue;
        const char *pname = p < GW_METRICS_PROVIDERS ? all[p]->name : "none";
        for (int s = 0; s < GW_METRICS_STATUSES; s++) {
            uint64_t v = sum(
                ms, n, offsetof(gw_metrics_t, requests) + ((size_t)p * GW_METRICS_STATUSES + (size_t)s) * sizeof(_Atomic uint64_t));
            if (v == 0)
                continue;
            char st[16];
            if (status_slots[s] > 0)
                snprintf(st, sizeof(st), "%d", status_slots[s]);
            else
                snprintf(st, sizeof(st), "%s", status_slots[s] == 0 ? "2xx" : "other");
            if (gw_buf_appendf(out, "aigw_requests_total{provider=\"%s\",status=\"%s\"} %" PRIu64 "\n", pname, st, v) != 0)
                return -1;
        }
    }
    if (render_histogram(ms, n, offsetof(gw_metrics_t, duration), "aigw_request_duration_seconds",
                         "Whole request time as seen by aigw.", out) != 0 ||
        render_histogram(ms, n, offsetof(gw_metrics_t, overhead), "aigw_overhead_seconds",
                         "Time spent inside aigw (request processing and response handling).", out) != 0 ||
        render_histogram(ms, n, offsetof(gw_metrics_t, upstream), "aigw_upstream_seconds",
                         "Time from handing the request to the provider until the transfer ended.", out) != 0)
        return -1;
    if (gw_buf_appendf(out, "# HELP aigw_redactions_total PII findings by entity type.\n# TYPE aigw_redactions_total counter\n") !=
        0)
        return -1;
    for (int t = 0; t < GW_METRICS_PII_TYPES; t++) {
        const char *name = pii_type_name != NULL ? pii_type_name(pii_ctx, t) : NULL;
        if (name == NULL)
            break;
        uint64_t v = sum(ms, n, offsetof(gw_metrics_t, redactions) + (size_t)t * sizeof(_Atomic uint64_t));
        if (gw_buf_appendf(out, "aigw_redactions_total{type=\"%s\"} %" PRIu64 "\n", name, v) != 0)
            return -1;
    }
    if (gw_buf_appendf(out,
                       "# HELP aigw_request_bytes_total Request body bytes received.\n# TYPE aigw_request_bytes_total counter\n"
                       "aigw_request_bytes_total %" PRIu64 "\n"
                       "# HELP aigw_response_bytes_total Response body bytes sent.\n# TYPE aigw_response_bytes_total counter\n"
                       "aigw_response_bytes_total %" PRIu64 "\n"
                       "# HELP aigw_upstream_errors_total 502 and 504 answers produced by aigw.\n"
                       "# TYPE aigw_upstream_errors_total counter\naigw_upstream_errors_total %" PRIu64 "\n"
                       "# HELP aigw_pii_blocked_total Requests refused because of a block action.\n"
                       "# TYPE aigw_pii_blocked_total counter\naigw_pii_blocked_total %" PRIu64 "\n"
                       "# HELP aigw_body_scans_offloaded_total Request bodies scanned on the scan threads, off the event loop.\n"
                       "# TYPE aigw_body_scans_offloaded_total counter\naigw_body_scans_offloaded_total %" PRIu64 "\n"
                       "# HELP aigw_log_backpressure_total Requests refused with 503 while the call log queue was full.\n"
                       "# TYPE aigw_log_backpressure_total counter\naigw_log_backpressure_total %" PRIu64 "\n"
                       "# HELP aigw_credits_refused_total Requests refused with 402 (insufficient credits).\n"
                       "# TYPE aigw_credits_refused_total counter\naigw_credits_refused_total %" PRIu64 "\n"
                       "# HELP aigw_rate_limited_total Requests refused with 429 by aigw's rate limits.\n"
                       "# TYPE aigw_rate_limited_total counter\naigw_rate_limited_total %" PRIu64 "\n"
                       "# HELP aigw_credits_microcredits_total Micro-credits reserved, charged and refunded.\n"
                       "# TYPE aigw_credits_microcredits_total counter\n"
                       "aigw_credits_microcredits_total{kind=\"reserved\"} %" PRIu64 "\n"
                       "aigw_credits_microcredits_total{kind=\"charged\"} %" PRIu64 "\n"
                       "aigw_credits_microcredits_total{kind=\"refunded\"} %" PRIu64 "\n",
                       SUM(bytes_in), SUM(bytes_out), SUM(upstream_errors), SUM(pii_blocked), SUM(scans_offloaded),
                       SUM(log_backpressure), SUM(credits_refused), SUM(rate_limited), SUM(credits_reserved), SUM(credits_charged),
                       SUM(credits_refunded)) != 0)
        return -1;
    if (gauges != NULL)
        gauges(gauges_ctx, out);
    return 0;
}
