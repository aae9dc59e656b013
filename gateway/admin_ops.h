/*
 * Admin API routes of the ops role for credits and usage (issue 6; DESIGN.md section 4), as a
 * plain function the admin router calls from its thread pool after authentication and the
 * role check (roles are the router's business):
 *
 *   GET  /users/{id}            {"id","balance_microcredits","reserved_microcredits","consent_training","created_at"}
 *   POST /users/{id}/credits    body {"amount_microcredits": N, "reason": "..."}; 200 with the user as above
 *   GET  /usage                 ?from&to&group_by=user|provider|model|client|day&format=json|csv
 *
 * Times in queries as gw_admin_parse_time (YYYY-MM-DD, RFC 3339 UTC, Unix seconds); in answers
 * µs since the epoch. User ids in paths are percent-decoded.
 */
#ifndef AIGW_GATEWAY_ADMIN_OPS_H
#define AIGW_GATEWAY_ADMIN_OPS_H

#include <stddef.h>
#include "gateway/store/store.h"
#include "common/buf.h"

/**
 * Handles one request. `path` follows /admin/api, without the query; `query` is what follows
 * '?' (may be NULL); `body` is borrowed (`len` bytes, may be NULL). On return *status holds the
 * HTTP status, `out` (appended) the body and *content_type its static media type
 * ("application/json", or "text/csv; charset=utf-8" for format=csv); errors are
 * {"error": "..."} without echoing user data.
 * @return 0 when the route is one of the above (whatever the status), GW_E_NOT_FOUND when it
 *         is not (the router tries its other handlers).
 */
int gw_admin_ops_handle(gw_store_t *st, const char *method, const char *path, const char *query, const char *body, size_t len,
                        int *status, gw_buf_t *out, const char **content_type);

#endif
