/*
 * Admin API router (/admin/api/...): authenticates the admin token (Authorization: Bearer,
 * compared as a BLAKE2b hash in constant time), checks the route's role (DESIGN.md section 4:
 * `ops` usage/credits/metrics, `privacy` redaction log, retention, consent, export, erasure,
 * `admin` both), and runs the handler on libuv's thread pool: handlers touch the database and
 * must never block a worker's event loop. No token: 401; a token of the wrong role: 403.
 */
#ifndef AIGW_GATEWAY_ADMIN_H
#define AIGW_GATEWAY_ADMIN_H

#include "gateway/server.h"

/** Role needed for an admin API route (`path` after /admin/api, `method`): "privacy", "ops", or NULL if unknown. */
const char *gw_admin_route_role(const char *method, size_t method_len, const char *path, size_t path_len);

/** 1 if a token of `role` may use a route that needs `needed` ("admin" may use every route). */
int gw_admin_role_allows(const char *role, const char *needed);

/**
 * Handles a request whose path starts with /admin/api/ on worker `w`. Always answers (now or
 * from the thread pool's completion callback).
 */
void gw_admin_handle(gw_worker_t *w, h2o_req_t *req);

/** GET /admin and /admin/<asset>: the embedded console (public files; the data behind it needs a token). */
void gw_admin_console(gw_worker_t *w, h2o_req_t *req);

/** GET /metrics: Prometheus text for the `ops` (or `admin`) role; 401/403 otherwise. */
void gw_admin_metrics(gw_worker_t *w, h2o_req_t *req);

#endif
