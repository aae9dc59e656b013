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

#include "common/buf.h"

typedef struct st_gw_store_t gw_store_t;

/** Report grouping and format. */
typedef enum en_gw_usage_group_t {
    GW_USAGE_BY_USER,
    GW_USAGE_BY_PROVIDER,
    GW_USAGE_BY_MODEL,
    GW_USAGE_BY_CLIENT,
    GW_USAGE_BY_DAY
} gw_usage_group_t;
typedef enum en_gw_usage_format_t { GW_USAGE_JSON, GW_USAGE_CSV, GW_USAGE_TABLE } gw_usage_format_t;

/** Most dimensions of one report ("day,provider"). */
#define GW_USAGE_MAX_DIMS 2

/** Parses "user"|"provider"|"model"|"client"|"day" / "json"|"csv"|"table". @return 0 or -1. */
int gw_usage_group_parse(const char *s, gw_usage_group_t *g);
int gw_usage_format_parse(const char *s, gw_usage_format_t *f);

/**
 * Parses a comma-separated list of 1..GW_USAGE_MAX_DIMS distinct group names ("day,provider")
 * into `dims` (order kept) and `*ndims`. @return 0, or -1 on an unknown, repeated or extra name.
 */
int gw_usage_groups_parse(const char *s, gw_usage_group_t dims[GW_USAGE_MAX_DIMS], size_t *ndims);

/**
 * Appends `s` (NUL-terminated) to `out` as one RFC 4180 CSV field: quoted when it holds a comma,
 * quote, CR or LF (quotes doubled), and neutralised against formula injection (OWASP "CSV
 * Injection"): a field starting with = + - @ TAB or CR is prefixed with a single quote and quoted.
 * @return 0, or -1 on allocation failure.
 */
int gw_usage_csv_field(pol_buf_t *out, const char *s);

/**
 * Usage report over calls in [from_us, to_us) (0 = open ends; a metered call counts at its
 * reservation, any other at its start), grouped by `dims` (1..GW_USAGE_MAX_DIMS). One row per
 * group, sorted by its keys. Columns: requests, charged_microcredits, refunded_microcredits,
 * open_reservations, flagged, input_tokens, output_tokens, images, compute_ms.
 * JSON {"from","to","group_by":"day,provider","rows":[{"key": "k1" or "k1,k2", "<dim>": "k", ...
 * columns}],"total":{columns}}; CSV (RFC 4180, CRLF, header line, gw_usage_csv_field keys);
 * table: aligned columns for a terminal, credits and seconds as decimals. Appended to `out`.
 * @return 0, GW_STORE_E_INVAL, GW_STORE_E_NOMEM, GW_STORE_E_DB.
 */
int gw_store_usage_report_by(gw_store_t *st, int64_t from_us, int64_t to_us, const gw_usage_group_t *dims, size_t ndims,
                             gw_usage_format_t format, pol_buf_t *out);

/** gw_store_usage_report_by with one dimension. */
int gw_store_usage_report(gw_store_t *st, int64_t from_us, int64_t to_us, gw_usage_group_t group, gw_usage_format_t format,
                          pol_buf_t *out);

#endif
