/*
 * Prometheus metrics (text exposition format 0.0.4) served at GET /metrics to the `ops` role.
 * Each worker owns one gw_metrics_t and is its only writer, so counting costs a plain add
 * (relaxed atomic load + store, no lock prefix); a scrape sums every worker's counters with
 * relaxed loads. Histograms have fixed buckets in microseconds.
 */
#ifndef AIGW_GATEWAY_METRICS_H
#define AIGW_GATEWAY_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

#include "common/buf.h"

#define GW_METRICS_PROVIDERS 16 /* adapters, by index in prov_all() */
#define GW_METRICS_STATUSES 16  /* see status_slots in metrics.c */
#define GW_METRICS_BUCKETS 14   /* see bucket_us in metrics.c, +Inf implied */
#define GW_METRICS_PII_TYPES 80 /* built-in + custom entity types */

typedef struct st_gw_histogram_t {
    _Atomic uint64_t bucket[GW_METRICS_BUCKETS + 1]; /* non-cumulative; last is +Inf */
    _Atomic uint64_t sum_us;
    _Atomic uint64_t count;
} gw_histogram_t;

typedef struct st_gw_metrics_t {
    _Atomic uint64_t requests[GW_METRICS_PROVIDERS + 1][GW_METRICS_STATUSES]; /* last provider row: no provider */
    gw_histogram_t duration;                                                  /* whole request, µs */
    gw_histogram_t overhead;                                                  /* time inside aigw, µs */
    gw_histogram_t upstream;                                                  /* time waiting on the provider, µs */
    _Atomic uint64_t redactions[GW_METRICS_PII_TYPES];
    _Atomic uint64_t bytes_in, bytes_out;
    _Atomic uint64_t upstream_errors; /* 502/504 produced by aigw */
    _Atomic uint64_t pii_blocked;
    _Atomic uint64_t scans_offloaded;  /* request bodies handed to the scan pool (limits.scan_offload_min_bytes) */
    _Atomic uint64_t log_backpressure; /* 503s while the store queue was full */
    _Atomic uint64_t credits_refused;  /* 402s */
    _Atomic uint64_t rate_limited;     /* 429s produced by aigw */
    _Atomic uint64_t credits_reserved, credits_charged, credits_refunded; /* micro-credits */
} gw_metrics_t;

/** Counts one finished request (single writer: the owning worker). provider_idx -1 = none. */
void gw_metrics_request(gw_metrics_t *m, int provider_idx, int status, uint64_t duration_us, uint64_t overhead_us,
                        int64_t upstream_us, uint64_t bytes_in, uint64_t bytes_out);

/** Adds `n` to a single-writer counter. */
static inline void gw_metrics_add(_Atomic uint64_t *c, uint64_t n)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n, memory_order_relaxed);
}

/** One source of gauges appended after the counters (store queue, purge counts...): appends text to out. */
typedef void (*gw_metrics_gauges_cb)(void *ctx, gw_buf_t *out);

/**
 * Renders the sum of `n` workers' metrics (`ms[i]`, borrowed) in Prometheus text format into
 * `out`. `pii_type_name(ctx, i)` names entity type i (NULL past the last); `gauges` may be NULL.
 * @return 0, or -1 on allocation failure.
 */
int gw_metrics_render(gw_metrics_t *const *ms, unsigned n, const char *(*pii_type_name)(const void *ctx, int type),
                      const void *pii_ctx, gw_metrics_gauges_cb gauges, void *gauges_ctx, gw_buf_t *out);

#endif
