/*
 * The request pipeline (DESIGN.md section 3) for one worker: route -> authenticate the client
 * key -> identify the end user -> read the capped body -> policies -> upstream through libcurl
 * -> stream the response back with backpressure. Errors are answered in the route's provider
 * error shape. See docs/internals/pipeline.md.
 */
#ifndef AIGW_GATEWAY_PROXY_H
#define AIGW_GATEWAY_PROXY_H

#include "gateway/server.h"

/** h2o on_req entry point for every path; always handles the request (returns 0). */
int gw_proxy_on_req(h2o_handler_t *self, h2o_req_t *req);

/**
 * Registers, on `host`'s fallback path (borrowed; at configuration time, before any worker starts), the response
 * filter that gives h2o's own error answers (413 over its hard body limit, 400 broken framing or headers, 417) the
 * provider error shape of the route their path names (gateway/pipeline/protocol_errors.c).
 */
void gw_proxy_register_error_filter(h2o_hostconf_t *host);

/** Frees the worker's pooled request contexts (at worker exit). */
void gw_proxy_worker_dispose(gw_worker_t *w);

/**
 * The worker's journal_async callback: runs on the worker's loop the completions the store's
 * writer thread posted for this worker's calls (reservations committed or refused, finished
 * calls committed), in the order they were posted.
 */
void gw_proxy_on_journal(uv_async_t *a);

/**
 * The worker's turn_prepare callback (uv_prepare, run once per loop turn just before the loop
 * computes its poll timeout and blocks): commits the journal items the worker's calls submitted
 * during the turn (gw_store_turn_commit) and, when they were committed on this thread, runs their
 * completions at once, as gw_proxy_on_journal would (no uv_async hop). What those completions
 * submit is committed in the same callback, a few rounds at most, then handed to the writer: the
 * loop never blocks with items waiting in its turn. Timers, sockets and curl handles the
 * completions start are seen by this turn's poll (libuv 1.44 runs prepare handles before it
 * computes the poll timeout).
 */
void gw_proxy_turn_end(uv_prepare_t *p);

#endif
