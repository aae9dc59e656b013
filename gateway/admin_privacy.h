/*
 * Admin API routes of the privacy role (issue 5; DESIGN.md section 4), as a plain function the
 * admin router calls from its thread pool after authentication and the role check:
 *
 *   DELETE /users/{id}            erasure; 200 with the receipt
 *   GET    /users/{id}/export     the export document (buffered; see gw_store_export_user to stream)
 *   PUT    /users/{id}/consent    body {"training": true|false}; 200 {"id","consent_training"}
 *   GET    /redactions            ?from&to&type&user&route&cursor&limit: one page, newest first
 *   GET    /redactions/summary    ?from&to: counts per entity type per UTC day
 *   GET    /retention             per class: TTL, rows, oldest, next expiry; next purge run
 *   POST   /purge[?dry_run=1]     purge now: {"dry_run": bool, "purged": {"<class>": rows, ...}}
 *
 * Times in queries are a date (2025-11-21, UTC midnight), an RFC 3339 UTC time
 * (2025-11-21T10:00:00Z) or Unix seconds; in answers they are µs since the epoch.
 */
#ifndef AIGW_GATEWAY_ADMIN_PRIVACY_H
#define AIGW_GATEWAY_ADMIN_PRIVACY_H

#include <stddef.h>
#include "gateway/store/store.h"
#include "common/buf.h"

/**
 * Handles one request. `path` is what follows /admin/api (e.g. "/users/alice/export"), without
 * the query; `query` the part after '?' (may be NULL); `body` (borrowed, `body_len` bytes, may
 * be NULL). On return *status holds the HTTP status and `json_out` (appended) the JSON body,
 * {"error": "..."} for 4xx/5xx (never echoing a user's data).
 * @return 0 when the route is one of the above (whatever the status), or GW_E_NOT_FOUND when it
 *         is not, so the router can try its other handlers (GET /users/{id} is the ops route).
 */
int gw_admin_privacy_handle(gw_store_t *st, const char *method, const char *path, const char *query, const char *body,
                            size_t body_len, int *status, gw_buf_t *json_out);

/**
 * Finds parameter `name` in the query string `q` (without '?', may be NULL) and decodes its value into `out`
 * (`outlen` bytes): "name=value" gives the decoded value, a bare "name" the empty string; the first match wins.
 * @return 1 found, 0 absent, -1 present but not decodable (bad escape, NUL, too long for `out`).
 */
int gw_admin_query_param(const char *q, const char *name, char *out, size_t outlen);

/**
 * Parses a query-string or CLI time (`s` NUL-terminated, borrowed), UTC, in exactly one of three forms:
 * `YYYY-MM-DD` (midnight), `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339 section 5.6 with the Z offset only; `t` and `z` may be
 * lower case; 23:59:60, a leap second, counts as the next second), or Unix seconds (1 to 19 ASCII digits). Dates
 * are proleptic Gregorian, years 0001-9999, and must exist: 2026-02-29 and 2026-04-31 are refused, never rolled
 * over into the next month. No blanks, signs or one-digit fields.
 * @param out receives µs since the epoch (negative before 1970); untouched on error.
 * @return 0, or -1 when `s` is none of these (the caller answers 400).
 */
int gw_admin_parse_time(const char *s, int64_t *out);

#endif
