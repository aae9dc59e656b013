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

/** Frees the worker's pooled request contexts (at worker exit). */
void gw_proxy_worker_dispose(gw_worker_t *w);

#endif
