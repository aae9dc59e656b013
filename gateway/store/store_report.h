/*
 * Usage reports (issue 6, reworked by issue 13): calls, tokens, images, compute seconds and
 * credits per user / provider / model / client / day, or per two of them (day,provider). Read
 * from the call log (every proxied call is recorded there whether or not credits are enforced)
 * joined with the ledger (what metered calls were charged), plus the ledger's reservations whose
 * call row is gone (expired or never logged: provider/model/client "unknown"). Counts and
 * amounts only, never prompt text.
 */
#ifndef AIGW_GATEWAY_STORE_STORE_REPORT_H
#define AIGW_GATEWAY_STORE_STORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

typedef struct st_gw_store_t gw_store_t;

/** Report grouping. */
typedef enum en_gw_usage_group_t {
    GW_USAGE_BY_USER,
    GW_USAGE_BY_PROVIDER,
    GW_USAGE_BY_MODEL,
    GW_USAGE_BY_CLIENT,
    GW_USAGE_BY_DAY
} gw_usage_group_t;
/** Most dimensions of one report ("day,provider"). */
#define GW_USAGE_MAX_DIMS 2

/** Columns of a report row, in order (gw_usage_columns names them). */
#define GW_USAGE_NCOLS 9

/** "requests", "charged_microcredits", "refunded_microcredits", "open_reservations", "flagged", "input_tokens",
 *  "output_tokens", "images", "compute_ms". */
extern const char *const gw_usage_columns[GW_USAGE_NCOLS];

/** One group: its keys (owned, malloc; a day as "YYYY-MM-DD") and its column values. */
typedef struct st_gw_usage_row_t {
    char *key[GW_USAGE_MAX_DIMS];
    int64_t v[GW_USAGE_NCOLS];
} gw_usage_row_t;

/** The rows of a report, sorted by their keys, and the column totals. Free with gw_usage_rows_free. */
typedef struct st_gw_usage_rows_t {
    gw_usage_row_t *rows;
    size_t n;
    int64_t total[GW_USAGE_NCOLS];
} gw_usage_rows_t;

/**
 * Usage over calls in [from_us, to_us) (0 = open ends; a metered call counts at its reservation, any other at its
 * start), grouped by `dims` (1..GW_USAGE_MAX_DIMS distinct groups): one row per group into *out (caller's struct,
 * filled; free with gw_usage_rows_free). Formatting is the caller's (gateway/usage_report.h).
 * @return 0, GW_STORE_E_INVAL, GW_STORE_E_NOMEM, GW_STORE_E_DB (*out is empty then).
 */
int gw_store_usage_rows(gw_store_t *st, int64_t from_us, int64_t to_us, const gw_usage_group_t *dims, size_t ndims,
                        gw_usage_rows_t *out);

/** Frees the rows of `r` (the struct itself is the caller's) and empties it. */
void gw_usage_rows_free(gw_usage_rows_t *r);

#endif
