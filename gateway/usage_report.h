/*
 * Usage reports as `aigw report usage` prints them and GET /admin/api/usage returns them: the
 * store's rows (gateway/store/store_report.h) formatted as JSON, CSV or a terminal table, plus the
 * parsers of the report options. The store queries; this layer formats.
 */
#ifndef AIGW_GATEWAY_USAGE_REPORT_H
#define AIGW_GATEWAY_USAGE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "gateway/store/store.h"
#include "gateway/store/store_report.h"

/** Report format. */
typedef enum en_gw_usage_format_t { GW_USAGE_JSON, GW_USAGE_CSV, GW_USAGE_TABLE } gw_usage_format_t;

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
int gw_usage_csv_field(gw_buf_t *out, const char *s);

/**
 * Usage report over calls in [from_us, to_us) (gw_store_usage_rows), grouped by `dims`, appended to `out`:
 * JSON {"from","to","group_by":"day,provider","rows":[{"key": "k1" or "k1,k2", "<dim>": "k", ...
 * columns}],"total":{columns}}; CSV (RFC 4180, CRLF, header line, gw_usage_csv_field keys);
 * table: aligned columns for a terminal, credits and seconds as decimals.
 * @return 0, GW_STORE_E_INVAL, GW_STORE_E_NOMEM, GW_STORE_E_DB.
 */
int gw_usage_report_by(gw_store_t *st, int64_t from_us, int64_t to_us, const gw_usage_group_t *dims, size_t ndims,
                       gw_usage_format_t format, gw_buf_t *out);

/** gw_usage_report_by with one dimension. */
int gw_usage_report(gw_store_t *st, int64_t from_us, int64_t to_us, gw_usage_group_t group, gw_usage_format_t format,
                    gw_buf_t *out);

#endif
