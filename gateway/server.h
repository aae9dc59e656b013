/*
 * The server: listeners, worker threads and their lifecycle.
 *
 * One worker thread per core (config `workers`), each with its own libuv loop, h2o context,
 * curl multi handle (gateway/upstream.h) and one SO_REUSEPORT listening socket per configured
 * listener, so the kernel spreads connections and nothing is shared on the hot path but
 * read-only config. Plain listeners speak HTTP/1.1, h2c with prior knowledge and
 * `Upgrade: h2c`; listeners with a certificate speak TLS with ALPN h2 and http/1.1.
 *
 * SIGTERM/SIGINT: every worker closes its listeners, asks h2o to shut connections down
 * gracefully (GOAWAY on h2, no keep-alive on h1), waits until its in-flight requests and
 * streams have finished (at most drain_timeout_ms), then stops; the process exits 0.
 */
#ifndef AIGW_GATEWAY_SERVER_H
#define AIGW_GATEWAY_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define H2O_USE_LIBUV 1
#include <h2o.h>
#include <uv.h>

#include "gateway/accesslog.h"
#include "gateway/config.h"
#include "gateway/consent.h"
#include "gateway/metrics.h"
#include "gateway/offload.h"
#include "gateway/privacy.h"
#include "gateway/store/store.h"
#include "policy/meter.h"
#include "policy/pricing.h"
#include "policy/ratelimit.h"
#include "gateway/fallback.h"
#include "gateway/retry.h"
#include "gateway/upstream.h"
#include "common/buf.h"

typedef struct st_gw_call_t gw_call_t;
typedef struct st_gw_worker_t gw_worker_t;

/** A record waiting for room in the store's queue (never dropped: see gateway/pipeline/authenticate.c). */
typedef struct st_gw_backlog_t {
    struct st_gw_backlog_t *next;
    gw_call_rec_t *call; /* one of call / access is set */
    gw_store_access_rec_t *access;
} gw_backlog_t;

/**
 * One generation of the reloadable configuration (issue 14: SIGHUP). A request pins the
 * generation current when it starts (gw_server_gen_acquire) and uses it to the end, so a reload
 * never changes the rules under a request in flight nor frees what it points into (its client,
 * provider, PII session, price); a replaced generation is freed by the last request using it.
 * The boot generation borrows the server's own cfg / privacy / pricing.
 */
typedef struct st_gw_gen_t {
    gw_config_t *cfg;       /* clients, admin tokens, providers, models, pii, training, pricing... */
    gw_privacy_t *privacy;  /* PII engine + field matchers built from cfg */
    pol_pricing_t *pricing; /* NULL unless metering */
    pol_meter_conf_t meter_conf;
    gw_privacy_scratch_t *scratch; /* [nworkers]: each created by its worker on first use (not for the boot generation) */
    unsigned char *scratch_ready;
    unsigned nworkers;
    _Atomic long refs; /* 1 while current + 1 per request pinning it */
    unsigned seq;      /* 0 = boot, +1 per reload */
    int owned;         /* cfg, privacy, pricing are this generation's (not the boot ones) */
} gw_gen_t;

typedef struct st_gw_server_t {
    gw_config_t *cfg;           /* owned */
    h2o_globalconf_t h2o;       /* shared read-only by workers */
    SSL_CTX **ssl_ctx;          /* per listener, NULL for plain ones */
    gw_accesslog_t *access_log; /* owned */
    gw_privacy_t *privacy;      /* owned: PII engine + per-adapter field matchers */
    gw_store_t *store;          /* owned; NULL when no master_key_file is configured */
    int log_bodies;             /* store request/response bodies (config log_bodies != "none") */
    int metering;               /* config "credits" present: reserve before, settle after every call */
    pol_pricing_t *pricing;     /* owned; NULL unless metering */
    pol_meter_conf_t meter_conf;
    pol_ratelimit_t *ratelimit; /* owned; NULL when no rate_limits are configured */
    gw_retry_t *retry;          /* owned: retry policies, budgets, circuit breakers (gateway/retry.h) */
    gw_fallbacks_t *fallbacks;  /* owned: fallback chains (gateway/fallback.h), read at start */
    gw_offload_t *scan_pool;    /* owned: privacy passes over large request bodies (limits.scan_threads threads) */
    gw_worker_t *workers;
    unsigned nworkers;
    atomic_int draining; /* set once by the signal thread, read by workers */
    gw_gen_t *gen;       /* current generation; read under gen_mu (gw_server_gen_acquire) */
    pthread_mutex_t gen_mu;
} gw_server_t;

struct st_gw_worker_t {
    gw_server_t *server;
    unsigned id;
    pthread_t thread;
    uv_loop_t loop;
    h2o_context_t ctx; /* its `loop` is &loop */
    int *listen_fds;   /* bound by the main thread, one per listener */
    uv_tcp_t *listeners;
    h2o_accept_ctx_t *accept_ctx;
    gw_upstream_t *upstream;
    uv_async_t stop_async;
    uv_timer_t drain_timer;
    int draining;
    size_t inflight;       /* requests accepted and not yet disposed */
    uint64_t seq;          /* request counter for ids */
    char id_prefix[17];    /* random per worker and start, hex */
    gw_call_t *free_calls; /* pool of per-request contexts */
    gw_privacy_scratch_t privacy;
    gw_metrics_t metrics;          /* written by this worker only */
    gw_consent_cache_t consent;    /* users' training consent, refreshed from the store */
    gw_backlog_t *backlog;         /* records the store's queue refused; retried by backlog_timer */
    uv_async_t journal_async;      /* the store's writer completed journal items of this worker's calls */
    pthread_mutex_t journal_mu;    /* guards journal_done (the writer thread pushes, the loop takes) */
    gw_call_t *journal_done;       /* calls whose journal item completed (gateway/pipeline/record.c) */
    gw_store_turn_t *turn;         /* this loop's journal items, committed once per turn (NULL without a store) */
    uv_prepare_t turn_prepare;     /* commits `turn` before the loop polls (gw_proxy_turn_end) */
    gw_offload_inbox_t scan_inbox; /* body scans of this worker's calls completed by the scan pool (pipeline/parse.c) */
    uv_timer_t backlog_timer;
    gw_buf_t log_scratch;
    /* the access log's last client address (family, address, IPv6 scope) and its text: a load balancer's or a
       client's connections share it, and formatting it (getnameinfo) was ~1.7k instructions per request */
    struct {
        int family;
        unsigned char addr[16];
        uint32_t scope;
        char text[64];
    } last_peer;
};

/**
 * Runs the gateway with `cfg` (takes ownership) until SIGTERM/SIGINT has drained it.
 * @return process exit status: 0 after a clean drain, 1 if start-up failed (reason on stderr).
 */
int gw_server_run(gw_config_t *cfg);

/**
 * Hands a record to the store, or keeps it in the worker's backlog when the queue is full
 * (retried every few ms; the pipeline answers 503 while a backlog exists). Takes ownership.
 */
void gw_worker_submit(gw_worker_t *w, gw_call_rec_t *call, gw_store_access_rec_t *access);

/** Renders /metrics (every worker's counters + store gauges) into out. @return 0 or -1. */
int gw_server_render_metrics(gw_server_t *srv, gw_buf_t *out);

/**
 * A TLS server context for listener `l` (borrowed): certificate chain and key loaded and matched,
 * TLS >= 1.2, ALPN h2 and http/1.1. Used at start and by gw_config_validate.
 * @return the context (SSL_CTX_free), or NULL with err naming the file and the reason.
 */
SSL_CTX *gw_server_tls_ctx_new(const gw_listen_conf_t *l, char *err, size_t errlen);

/** The current generation, pinned (refs + 1) until gw_server_gen_release. Never NULL while serving. */
gw_gen_t *gw_server_gen_acquire(gw_server_t *srv);

/** Unpins `g` (NULL is ignored); the last user of a replaced generation frees it. Any thread. */
void gw_server_gen_release(gw_gen_t *g);

/** The PII scratch of worker `w` for generation `g` (created on first use, on w's thread). NULL on allocation failure. */
gw_privacy_scratch_t *gw_gen_scratch(gw_gen_t *g, gw_worker_t *w);

/** Called by the request pipeline when one of the worker's requests is fully disposed. */
void gw_worker_request_done(gw_worker_t *w);

#endif
