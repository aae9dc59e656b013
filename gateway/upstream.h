/*
 * Upstream client: one libcurl multi handle per worker, driven by the worker's libuv loop
 * (curl's multi_socket API with uv_poll_t per socket and one uv_timer_t; the pattern of
 * libcurl's docs/examples/multi-uv.c). Easy handles are pooled per worker and reused with
 * curl_easy_reset (which clears every option: a call never inherits the last call's URL, headers,
 * body, method or credentials), each keeping the parsed form of the last URL it was given (see
 * gw_upstream_set_url), and the connection cache is pinned with CURLMOPT_MAXCONNECTS (without it
 * idle connections are dropped after a dip and the next burst pays new TLS handshakes: 3.4x
 * lower throughput measured here, notes/platform-facts.md section 4).
 *
 * HTTP/2 upstream is negotiated by ALPN over TLS (curl's default CURL_HTTP_VERSION_2TLS).
 * h2c prior knowledge is deliberately not offered: curl 7.88.1 breaks on connection reuse
 * with it (curl/curl#10634).
 */
#ifndef AIGW_GATEWAY_UPSTREAM_H
#define AIGW_GATEWAY_UPSTREAM_H

#include <curl/curl.h>
#include <uv.h>

#include "gateway/config.h"

typedef struct st_gw_upstream_t gw_upstream_t;

/**
 * The object behind an easy handle's CURLOPT_PRIVATE. `on_done` fires exactly once per
 * started transfer, from the loop (never from inside a curl callback), after the easy handle
 * has been removed from the multi handle and returned to the pool: the callee must not touch
 * the handle any more. `result` is curl's result; `http_status` the last response status (0 if
 * none arrived).
 */
typedef struct st_gw_upstream_req_t {
    void (*on_done)(struct st_gw_upstream_req_t *self, CURLcode result, long http_status);
} gw_upstream_req_t;

/**
 * Creates the per-worker client on `loop` (borrowed; must outlive it). Reads timeouts,
 * max_connections and ca_file from `cfg` (borrowed, must outlive it). NULL on failure.
 */
gw_upstream_t *gw_upstream_create(uv_loop_t *loop, const gw_config_t *cfg);

/**
 * Cancels every transfer (their on_done does not fire) and frees everything. Handles are
 * closed asynchronously: run the loop once more before freeing it.
 */
void gw_upstream_destroy(gw_upstream_t *up);

/**
 * An easy handle from the pool, reset and preset with the common options (no signals,
 * connect timeout, CA file, TCP keep-alive, HTTP/2 over TLS, pipewait). Never NULL unless
 * allocation fails. Ownership: the caller's until gw_upstream_start().
 */
CURL *gw_upstream_easy(gw_upstream_t *up);

/**
 * Sets the transfer's URL (`url`, borrowed, NUL-terminated; curl copies it) on `easy` from
 * gw_upstream_easy(). Same effect as CURLOPT_URL alone, cheaper when the handle's previous URL
 * was the same string: each pooled handle keeps the CURLU (curl's URL API) of the last URL it was
 * given, parsed with the flags curl's own parse of CURLOPT_URL uses, and passes it as
 * CURLOPT_CURLU, which overrides CURLOPT_URL's parse ("Setting CURLOPT_CURLU will explicitly
 * override CURLOPT_URL", CURLOPT_CURLU(3)); CURLOPT_URL is still set, as the transfer's effective
 * URL. curl then skips parsing the URL string and re-assembling it (about 12k instructions a
 * transfer with libcurl 7.88, docs/BENCHMARKS.md "Issue 12, session 8"). A URL that does not
 * parse is left to curl's own parse, which reports the error as before, and so is every URL when
 * memory runs out (then only CURLOPT_URL is set).
 */
void gw_upstream_set_url(gw_upstream_t *up, CURL *easy, const char *url);

/** Gives an easy handle that was never started back to the pool. */
void gw_upstream_easy_release(gw_upstream_t *up, CURL *easy);

/**
 * Starts the transfer; `req` (borrowed, must stay valid until on_done or cancel) is stored
 * as CURLOPT_PRIVATE. @return 0, or -1 (then on_done never fires; the handle is released).
 */
int gw_upstream_start(gw_upstream_t *up, CURL *easy, gw_upstream_req_t *req);

/**
 * Aborts a started transfer (client went away, timeout). on_done does not fire. Must not be
 * called from inside one of this easy handle's own curl callbacks.
 */
void gw_upstream_cancel(gw_upstream_t *up, CURL *easy);

/**
 * Runs curl's timer now if it is due (armed for a loop time at or before uv_now(): a transfer
 * started in this loop turn asks for 0 ms) and no curl call is under way on this multi. For a
 * caller on the loop that started transfers after the loop's timers ran (the journal's
 * completions in the uv_prepare phase, gateway/pipeline/record.c gw_proxy_turn_end): the request
 * goes out in this turn instead of after a poll with a zero timeout and the next turn's timers.
 * Completions of transfers that end inside it run from here (on_done), as from the timer.
 * Loop thread only.
 */
void gw_upstream_run_due(gw_upstream_t *up);

/** Number of transfers in flight. */
size_t gw_upstream_active(const gw_upstream_t *up);

#endif
