/*
 * Server lifecycle (see server.h). The main thread validates everything that can fail at
 * start (TLS files, binding every listener once per worker with SO_REUSEPORT) before any
 * worker runs, so a bad config fails fast with a clear message. It then blocks SIGTERM and
 * SIGINT in every thread and waits for them with sigwait(); on a signal it wakes each worker
 * through a uv_async_t to drain. libuv 1.44 has no UV_TCP_REUSEPORT, so sockets are created,
 * bound and listened by hand and given to libuv with uv_tcp_open (platform-facts section 1).
 *
 * Listening sockets, the port claim and TLS contexts are in server_listen.c; /metrics rendering is in
 * server_metrics.c.
 */
#include "gateway/server.h"
#include "common/log.h"
#include "gateway/server_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sodium.h>

#include "gateway/admin.h"
#include "gateway/auth.h"
#include "gateway/config_check.h"
#include "gateway/store/keyfile.h"
#include "gateway/proxy.h"
#include "gateway/store/store_ledger.h"
#include "providers/provider.h"

static gw_server_t server = {.gen_mu = PTHREAD_MUTEX_INITIALIZER}; /* one per process; reachable for the whole run */

static pthread_mutex_t ready_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static unsigned ready_count;
static int ready_failed;

/* ---- worker ---------------------------------------------------------------------------- */

/* A turn of more journal items than this (a reservation and a finished call are one item each: about
 * 4 calls) is committed by the store's writer thread even when the journal is idle (gw_store_turn_open;
 * 0: no limit). Serially and at low concurrency the loop commits inline (no thread hop); under load the
 * commit runs beside the loop, one hand-off per turn. Measured against no limit (docs/BENCHMARKS.md
 * "Issue 12, session 7: commit once per loop turn"): the same instructions per call, but a loop that
 * commits every turn itself never sleeps, and on a shared core it got half the CPU time the loop and
 * the writer got together (all-on throughput 1.3-3.7k against 6.9-10.5k req/s in the same runs). */
#ifndef GW_TURN_INLINE_MAX
#define GW_TURN_INLINE_MAX 8
#endif

static void on_accept(uv_stream_t *listener, int status)
{
    if (status != 0)
        return;
    h2o_accept_ctx_t *actx = listener->data;
    uv_tcp_t *conn = malloc(sizeof(*conn));
    if (conn == NULL)
        return;
    uv_tcp_init(listener->loop, conn);
    if (uv_accept(listener, (uv_stream_t *)conn) != 0) {
        uv_close((uv_handle_t *)conn, (uv_close_cb)free);
        return;
    }
    uv_tcp_nodelay(conn, 1);
    h2o_socket_t *sock = h2o_uv_socket_create((uv_stream_t *)conn, (uv_close_cb)free);
    h2o_accept(actx, sock);
}

/* ---- store hand-off with backlog ------------------------------------------------------- */

static int try_submit(gw_worker_t *w, gw_backlog_t *b)
{
    gw_store_t *st = w->server->store;
    int rc = b->call != NULL ? gw_store_submit_call(st, b->call) : gw_store_submit_access(st, b->access);
    return rc == 0 ? 0 : -1;
}

static void on_backlog_timer(uv_timer_t *t)
{
    gw_worker_t *w = t->data;
    while (w->backlog != NULL && try_submit(w, w->backlog) == 0) {
        gw_backlog_t *b = w->backlog;
        w->backlog = b->next;
        free(b);
    }
    if (w->backlog == NULL)
        uv_timer_stop(&w->backlog_timer);
}

static void submit_one(gw_worker_t *w, gw_call_rec_t *call, gw_store_access_rec_t *access)
{
    gw_backlog_t tmp = {NULL, call, access};
    if (w->backlog == NULL && try_submit(w, &tmp) == 0)
        return;
    gw_backlog_t *b = malloc(sizeof(*b));
    if (b == NULL) {
        /* cannot even queue it: say so loudly rather than lose it silently */
        gw_log(GW_LOG_ERROR, "worker %u: out of memory, a %s record could not be queued", w->id, call ? "call" : "access");
        gw_call_rec_free(call);
        gw_store_access_rec_free(access);
        return;
    }
    *b = tmp;
    gw_backlog_t **tail = &w->backlog;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = b;
    if (!uv_is_active((uv_handle_t *)&w->backlog_timer))
        uv_timer_start(&w->backlog_timer, on_backlog_timer, 5, 5);
}

void gw_worker_submit(gw_worker_t *w, gw_call_rec_t *call, gw_store_access_rec_t *access)
{
    if (w->server->store == NULL) {
        gw_call_rec_free(call);
        gw_store_access_rec_free(access);
        return;
    }
    if (call != NULL)
        submit_one(w, call, NULL);
    if (access != NULL)
        submit_one(w, NULL, access);
}

/* After the workers stopped: hand every backlog record over, waiting for room. */
static void flush_backlogs(void)
{
    for (unsigned i = 0; i < server.nworkers; i++) {
        gw_worker_t *w = &server.workers[i];
        while (w->backlog != NULL) {
            if (try_submit(w, w->backlog) != 0) {
                gw_store_flush(server.store);
                continue;
            }
            gw_backlog_t *b = w->backlog;
            w->backlog = b->next;
            free(b);
        }
    }
}

static void worker_stop_loop(gw_worker_t *w)
{
    uv_timer_stop(&w->drain_timer);
    uv_stop(&w->loop);
}

static void on_drain_timeout(uv_timer_t *t)
{
    gw_worker_t *w = t->data;
    gw_log(GW_LOG_WARN, "worker %u: drain timeout, %zu requests still in flight", w->id, w->inflight);
    worker_stop_loop(w);
}

void gw_worker_request_done(gw_worker_t *w)
{
    GW_ASSERT(w->inflight > 0); /* one done per started request (callback contract, rule 6) */
    w->inflight--;
    if (w->draining && w->inflight == 0)
        worker_stop_loop(w);
}

static void on_stop_async(uv_async_t *a)
{
    gw_worker_t *w = a->data;
    if (w->draining)
        return;
    w->draining = 1;
    for (size_t i = 0; i < server.cfg->nlisten; i++)
        uv_close((uv_handle_t *)&w->listeners[i], NULL);
    h2o_context_request_shutdown(&w->ctx);
    if (w->inflight == 0) {
        worker_stop_loop(w);
        return;
    }
    uv_timer_start(&w->drain_timer, on_drain_timeout, server.cfg->drain_timeout_ms, 0);
}

static void signal_ready(int ok)
{
    pthread_mutex_lock(&ready_mu);
    ready_count++;
    if (!ok)
        ready_failed = 1;
    pthread_cond_signal(&ready_cv);
    pthread_mutex_unlock(&ready_mu);
}

static void *worker_main(void *arg)
{
    gw_worker_t *w = arg;
    const gw_config_t *cfg = server.cfg;
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(w->id_prefix, sizeof(w->id_prefix), rnd, sizeof(rnd));
    uv_loop_init(&w->loop);
    uv_async_init(&w->loop, &w->stop_async, on_stop_async);
    w->stop_async.data = w;
    uv_timer_init(&w->loop, &w->drain_timer);
    w->drain_timer.data = w;
    uv_timer_init(&w->loop, &w->backlog_timer);
    w->backlog_timer.data = w;
    pthread_mutex_init(&w->journal_mu, NULL);
    uv_async_init(&w->loop, &w->journal_async, gw_proxy_on_journal);
    w->journal_async.data = w;
    if (gw_offload_inbox_init(&w->loop, &w->scan_inbox) != 0) {
        signal_ready(0);
        uv_run(&w->loop, UV_RUN_DEFAULT); /* wait for the stop request */
        return NULL;
    }
    h2o_context_init(&w->ctx, &w->loop, &server.h2o);
    if ((w->upstream = gw_upstream_create(&w->loop, cfg)) == NULL || gw_privacy_scratch_init(server.privacy, &w->privacy) != 0) {
        signal_ready(0);
        uv_run(&w->loop, UV_RUN_DEFAULT); /* wait for the stop request */
        return NULL;
    }
    for (size_t i = 0; i < cfg->nlisten; i++) {
        h2o_accept_ctx_t *actx = &w->accept_ctx[i];
        actx->ctx = &w->ctx;
        actx->hosts = server.h2o.hosts;
        actx->ssl_ctx = server.ssl_ctx[i];
        uv_tcp_init(&w->loop, &w->listeners[i]);
        w->listeners[i].data = actx;
        if (uv_tcp_open(&w->listeners[i], w->listen_fds[i]) != 0 ||
            uv_listen((uv_stream_t *)&w->listeners[i], 1024, on_accept) != 0) {
            signal_ready(0);
            uv_run(&w->loop, UV_RUN_DEFAULT);
            return NULL;
        }
    }
    if (server.store != NULL) {
        /* the journal items of this loop's calls are committed once per turn, before the loop polls */
        if ((w->turn = gw_store_turn_open(server.store, GW_TURN_INLINE_MAX)) == NULL) {
            signal_ready(0);
            uv_run(&w->loop, UV_RUN_DEFAULT);
            return NULL;
        }
        uv_prepare_init(&w->loop, &w->turn_prepare);
        w->turn_prepare.data = w;
        uv_prepare_start(&w->turn_prepare, gw_proxy_turn_end);
        uv_unref((uv_handle_t *)&w->turn_prepare); /* it does not keep the loop alive */
    }
    signal_ready(1);
    uv_run(&w->loop, UV_RUN_DEFAULT);
    /* stopped (drained, or the drain timed out): what the last turn submitted after the loop's last
     * prepare goes to the writer, which the main thread's gw_store_close waits for */
    gw_store_turn_close(w->turn);
    w->turn = NULL;
    return NULL;
}

/* ---- main thread ----------------------------------------------------------------------- */

static int setup_h2o(gw_config_t *cfg)
{
    h2o_config_init(&server.h2o);
    server.h2o.server_name = h2o_iovec_init(H2O_STRLIT("aigw"));
    /* h2o buffers the whole body before the handler runs (2.2.5 has no body streaming), so
     * this is the memory bound per request. Twice the configured limit lets the handler answer
     * bodies a little over it with a provider-shaped 413; beyond that h2o answers 413 itself. */
    size_t cap = cfg->max_request_body_bytes;
    server.h2o.max_request_entity_size = cap > SIZE_MAX / 2 ? cap : cap * 2;
    h2o_hostconf_t *host = h2o_config_register_host(&server.h2o, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    gw_proxy_register_error_filter(host); /* h2o's own 400/413/417 answers in the provider's shape */
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(path, sizeof(*handler));
    handler->on_req = gw_proxy_on_req;
    return 0;
}

static void print_listening(const gw_config_t *cfg)
{
    for (size_t i = 0; i < cfg->nlisten; i++) {
        const gw_listen_conf_t *l = &cfg->listen[i];
        int v6 = strchr(l->host, ':') != NULL;
        gw_log(GW_LOG_INFO, "listening on %s://%s%s%s:%u (%s) with %u workers", l->tls_cert ? "https" : "http", v6 ? "[" : "",
               l->host, v6 ? "]" : "", l->port, l->tls_cert ? "TLS: h2, HTTP/1.1" : "HTTP/1.1, h2c", server.nworkers);
    }
}

/* ---- keys from the store, reload ------------------------------------------------------- */

#define GW_KEYS_REFRESH_S 5 /* how often the main thread re-reads `aigw keys` credentials */

/* Re-reads the credentials managed with `aigw keys` and publishes them when they changed. */
static void refresh_store_keys(int verbose)
{
    if (server.store == NULL)
        return;
    gw_store_key_t *keys = NULL;
    size_t n = 0;
    if (gw_store_keys_list(server.store, 0, &keys, &n) != 0) {
        gw_log(GW_LOG_ERROR, "keys: cannot read the store's keys (the store's line above says why); keeping the current set");
        return;
    }
    gw_keyset_t *ks = gw_keyset_new(keys, n);
    sodium_memzero(keys, n * sizeof(*keys));
    free(keys);
    if (ks == NULL) {
        gw_log(GW_LOG_ERROR, "keys: out of memory; keeping the current set");
        return;
    }
    int changed = gw_auth_publish_keyset(ks);
    if (changed || verbose) {
        size_t c, a;
        gw_auth_keyset_counts(&c, &a);
        gw_log(GW_LOG_INFO, "keys: %zu client key(s) and %zu admin token(s) from the store (aigw keys)%s", c, a,
               changed ? "" : ", unchanged");
    }
}

/* ---- generations ---------------------------------------------------------------------- */

static void gen_free(gw_gen_t *g)
{
    if (g->scratch != NULL)
        for (unsigned i = 0; i < g->nworkers; i++)
            if (g->scratch_ready[i])
                gw_privacy_scratch_dispose(&g->scratch[i]);
    free(g->scratch);
    free(g->scratch_ready);
    if (g->owned) {
        pol_pricing_free(g->pricing);
        gw_privacy_free(g->privacy);
        gw_config_free(g->cfg);
    }
    free(g);
}

gw_gen_t *gw_server_gen_acquire(gw_server_t *srv)
{
    pthread_mutex_lock(&srv->gen_mu);
    gw_gen_t *g = srv->gen;
    atomic_fetch_add(&g->refs, 1);
    pthread_mutex_unlock(&srv->gen_mu);
    return g;
}

void gw_server_gen_release(gw_gen_t *g)
{
    if (g != NULL && atomic_fetch_sub(&g->refs, 1) == 1)
        gen_free(g);
}

gw_privacy_scratch_t *gw_gen_scratch(gw_gen_t *g, gw_worker_t *w)
{
    if (!g->owned)
        return &w->privacy; /* the boot generation: the worker's own, made at start */
    if (!g->scratch_ready[w->id]) {
        if (gw_privacy_scratch_init(g->privacy, &g->scratch[w->id]) != 0)
            return NULL;
        g->scratch_ready[w->id] = 1;
    }
    return &g->scratch[w->id];
}

static gw_gen_t *gen_new(gw_config_t *cfg, gw_privacy_t *pv, pol_pricing_t *pricing, const pol_meter_conf_t *mc, int owned)
{
    gw_gen_t *g = calloc(1, sizeof(*g));
    if (g == NULL)
        return NULL;
    g->cfg = cfg;
    g->privacy = pv;
    g->pricing = pricing;
    if (mc != NULL)
        g->meter_conf = *mc;
    g->owned = owned;
    g->nworkers = server.nworkers;
    atomic_init(&g->refs, 1);
    if (owned && ((g->scratch = calloc(server.nworkers, sizeof(*g->scratch))) == NULL ||
                  (g->scratch_ready = calloc(server.nworkers, 1)) == NULL)) {
        free(g->scratch);
        free(g);
        return NULL;
    }
    return g;
}

/* ---- SIGHUP: reload ------------------------------------------------------------------- */

/* Sections a reload may change; every other one (listen, workers, store, keys of the store,
 * limits, upstream, access log, rate limits, retries...) needs a restart. */
static const char *const reloadable[] = {"clients", "admin_tokens", "providers", "models", "pii", "training", "pricing", "credits"};

static int is_reloadable(const char *k)
{
    for (size_t i = 0; i < sizeof(reloadable) / sizeof(reloadable[0]); i++)
        if (strcmp(k, reloadable[i]) == 0)
            return 1;
    return 0;
}

/* The first top-level section that differs between a and b and is (not) reloadable, or NULL. */
static const char *differing_fixed(json_t *a, json_t *b)
{
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v) if (!is_reloadable(k) && !json_equal(v, json_object_get(b, k))) return k;
    json_object_foreach(b, k, v) if (!is_reloadable(k) && json_object_get(a, k) == NULL) return k;
    return NULL;
}

static int clients_equal(const gw_config_t *a, const gw_config_t *b)
{
    if (a->nclients != b->nclients)
        return 0;
    for (size_t i = 0; i < a->nclients; i++)
        if (strcmp(a->clients[i].name, b->clients[i].name) != 0 ||
            sodium_memcmp(a->clients[i].key_hash, b->clients[i].key_hash, GW_KEY_HASH_BYTES) != 0 ||
            a->clients[i].markup_permille != b->clients[i].markup_permille)
            return 0;
    return 1;
}

static int admins_equal(const gw_config_t *a, const gw_config_t *b)
{
    if (a->nadmin_tokens != b->nadmin_tokens)
        return 0;
    for (size_t i = 0; i < a->nadmin_tokens; i++)
        if (strcmp(a->admin_tokens[i].role, b->admin_tokens[i].role) != 0 ||
            sodium_memcmp(a->admin_tokens[i].token_hash, b->admin_tokens[i].token_hash, GW_KEY_HASH_BYTES) != 0)
            return 0;
    return 1;
}

/* Appends "providers.<name>" for each provider added, removed or changed (URL, key, tier):
 * keys are compared here because the parsed document no longer holds them. */
static void provider_changes(const gw_config_t *a, const gw_config_t *b, gw_buf_t *out)
{
    for (size_t i = 0; i < b->nproviders; i++) {
        const gw_provider_conf_t *p = &b->providers[i], *q = gw_config_provider(a, p->name);
        if (q == NULL || strcmp(p->base_url, q->base_url) != 0 || strcmp(p->api_key, q->api_key) != 0 ||
            (p->tier == NULL) != (q->tier == NULL) || (p->tier != NULL && strcmp(p->tier, q->tier) != 0))
            gw_buf_appendf(out, "%sproviders.%s%s", out->len ? ", " : "", p->name, q == NULL ? " (added)" : "");
    }
    for (size_t i = 0; i < a->nproviders; i++)
        if (gw_config_provider(b, a->providers[i].name) == NULL)
            gw_buf_appendf(out, "%sproviders.%s (removed)", out->len ? ", " : "", a->providers[i].name);
}

/* Reloads the config file: validated like `aigw check`, refused as a whole (with the reason)
 * when invalid or when a section that needs a restart changed; otherwise published as a new
 * generation. Connections stay open; requests in flight finish on the generation they started with. */
static void reload_config(void)
{
    char err[768] = "";
    gw_config_t *cfg = NULL;
    gw_privacy_t *pv = NULL;
    pol_pricing_t *pricing = NULL;
    pol_meter_conf_t mc;
    gw_buf_t changed = GW_BUF_INIT;
    gw_gen_t *cur = gw_server_gen_acquire(&server);
    memset(&mc, 0, sizeof(mc));
    if (strcmp(server.cfg->path, "<embedded defaults>") == 0) {
        snprintf(err, sizeof(err), "started without --config: there is no file to reload");
        goto refused;
    }
    if ((cfg = gw_config_load(server.cfg->path, err, sizeof(err))) == NULL || gw_config_validate(cfg, err, sizeof(err)) != 0)
        goto refused;
    const char *fixed = differing_fixed(server.cfg->root, cfg->root);
    if (fixed != NULL) {
        snprintf(err, sizeof(err), "%s changed: that section needs a restart", fixed);
        goto refused;
    }
    if ((gw_config_section(cfg, "credits") != NULL) != server.metering) {
        snprintf(err, sizeof(err), "credits: turning metering %s needs a restart", server.metering ? "off" : "on");
        goto refused;
    }
    json_t *cust_new = json_object_get(gw_config_section(cfg, "pii"), "custom"),
           *cust_old = json_object_get(gw_config_section(cur->cfg, "pii"), "custom");
    if ((cust_new != NULL || cust_old != NULL) && !json_equal(cust_new, cust_old)) {
        snprintf(err, sizeof(err), "pii.custom changed: new recognizers need a restart (actions and allow lists reload)");
        goto refused;
    }
    if ((pv = gw_privacy_create(cfg, err, sizeof(err))) == NULL)
        goto refused;
    if (server.metering && (pol_meter_conf_parse(gw_config_section(cfg, "credits"), &mc, err, sizeof(err)) != 0 ||
                            (pricing = pol_pricing_new(gw_config_section(cfg, "pricing"), err, sizeof(err))) == NULL))
        goto refused;
    if (!clients_equal(cur->cfg, cfg))
        gw_buf_appendf(&changed, "%sclients", changed.len ? ", " : "");
    if (!admins_equal(cur->cfg, cfg))
        gw_buf_appendf(&changed, "%sadmin_tokens", changed.len ? ", " : "");
    provider_changes(cur->cfg, cfg, &changed);
    static const char *const sections[] = {"models", "pii", "training", "pricing", "credits"};
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        if (!json_equal(gw_config_section(cur->cfg, sections[i]), gw_config_section(cfg, sections[i])) &&
            (gw_config_section(cur->cfg, sections[i]) != NULL || gw_config_section(cfg, sections[i]) != NULL))
            gw_buf_appendf(&changed, "%s%s", changed.len ? ", " : "", sections[i]);
    if (changed.len == 0) {
        gw_log(GW_LOG_INFO, "reload: %s has no change that matters; still on generation %u", server.cfg->path, cur->seq);
        goto discard;
    }
    gw_gen_t *g = gen_new(cfg, pv, pricing, &mc, 1);
    if (g == NULL) {
        snprintf(err, sizeof(err), "out of memory");
        goto refused;
    }
    g->seq = cur->seq + 1;
    cfg = NULL;
    pv = NULL;
    pricing = NULL;
    pthread_mutex_lock(&server.gen_mu);
    gw_gen_t *old = server.gen;
    server.gen = g;
    pthread_mutex_unlock(&server.gen_mu);
    gw_server_gen_release(old); /* its "current" reference; requests pinning it keep it alive */
    for (size_t i = 0; i < g->cfg->nproviders; i++)
        if (g->cfg->providers[i].api_key[0] == '\0')
            gw_log(GW_LOG_WARN, "provider %s: %s is not set; its requests get 503 until it is", g->cfg->providers[i].name,
                   g->cfg->providers[i].api_key_env);
    gw_log(GW_LOG_INFO,
           "reload: %s applied as generation %u; changed: %s; connections stay open, requests in flight finish "
           "on the previous config",
           server.cfg->path, g->seq, changed.base);
    goto out;
refused:
    gw_config_hint_unknown_key(err, sizeof(err));
    gw_log(GW_LOG_ERROR, "reload refused: %s: %s; still running with generation %u (nothing changed)", server.cfg->path, err,
           cur->seq);
discard:
    pol_pricing_free(pricing);
    gw_privacy_free(pv);
    gw_config_free(cfg);
out:
    gw_buf_free(&changed);
    gw_server_gen_release(cur);
}

/* glibc keeps freed memory in its arenas (one per thread that allocated): after a burst of large
 * requests an idle aigw held ~900 MB (issue 14). Every few seconds, when the arenas hold more
 * than GW_TRIM_FREE_BYTES free, hand it back to the kernel. malloc_trim locks each arena in turn,
 * a few ms at most; between bursts it costs nothing. */
#define GW_TRIM_FREE_BYTES ((size_t)32 << 20)

/* Resident set size from /proc/self/statm, 0 when unreadable. */
static size_t rss_bytes(void)
{
    unsigned long long size = 0, resident = 0;
    FILE *fp = fopen("/proc/self/statm", "r");
    if (fp == NULL)
        return 0;
    if (fscanf(fp, "%llu %llu", &size, &resident) != 2)
        resident = 0;
    fclose(fp);
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

static void trim_memory(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    if (mi.fordblks < GW_TRIM_FREE_BYTES)
        return;
    size_t before = rss_bytes();
    malloc_trim(0);
    size_t after = rss_bytes();
    if (before < after + ((size_t)16 << 20))
        return; /* under steady load the free memory is reused at once: say nothing every 5 s */
    gw_log(GW_LOG_INFO, "memory: %zu MiB freed in the allocator returned to the system (resident %zu -> %zu MiB)",
           mi.fordblks >> 20, before >> 20, after >> 20);
#endif
}

static void on_sighup(void)
{
    gw_log(GW_LOG_INFO, "SIGHUP received: reloading the config and the store's keys");
    reload_config();
    refresh_store_keys(1);
}

int gw_server_run(gw_config_t *cfg)
{
    char err[512] = "";
    int rc = 1;
    server.cfg = cfg;
    server.nworkers = cfg->workers != 0 ? cfg->workers : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    if (server.nworkers == 0)
        server.nworkers = 1;

    /* Blocked before any thread starts (store and access-log writers, curl's resolver threads,
     * workers all inherit the mask), so a SIGTERM at any point of the start or of the drain stays
     * pending for the sigwait below instead of killing the process with its default action. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP); /* reload (sigtimedwait below), never the default "terminate" */
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK || sodium_init() < 0) {
        gw_log(GW_LOG_ERROR, "library initialisation failed");
        return 1;
    }
    for (size_t i = 0; i < cfg->nproviders; i++)
        if (cfg->providers[i].api_key[0] == '\0')
            gw_log(GW_LOG_WARN, "provider %s: %s is not set; its requests get 503 until it is", cfg->providers[i].name,
                   cfg->providers[i].api_key_env);
    if (cfg->nclients == 0)
        gw_log(GW_LOG_WARN, "no clients configured; every proxied request will get 401");

    if (gw_config_validate(cfg, err, sizeof(err)) != 0) /* the same checks as `aigw check` */
        goto out;
    if ((server.privacy = gw_privacy_create(cfg, err, sizeof(err))) == NULL)
        goto out;
    if ((server.retry =
             gw_retry_new(gw_config_section(cfg, "retry"), gw_config_section(cfg, "circuit_breaker"), err, sizeof(err))) == NULL)
        goto out;
    if ((server.fallbacks = gw_fallbacks_new(gw_config_section(cfg, "fallbacks"), err, sizeof(err))) == NULL)
        goto out;
    if (gw_config_section(cfg, "rate_limits") != NULL &&
        (server.ratelimit = pol_ratelimit_new(gw_config_section(cfg, "rate_limits"), err, sizeof(err))) == NULL)
        goto out;
    if (gw_config_master_key_file(cfg) != NULL) {
        json_t *lb = gw_config_section(cfg, "log_bodies");
        server.log_bodies = !(json_is_string(lb) && strcmp(json_string_value(lb), "none") == 0);
        server.store = gw_store_open(gw_config_section(cfg, "store"), gw_config_section(cfg, "retention"), lb,
                                     gw_config_master_key_file(cfg), err, sizeof(err));
        if (server.store == NULL)
            goto out;
        if (gw_config_section(cfg, "credits") != NULL) {
            int64_t settled = 0;
            if (pol_meter_conf_parse(gw_config_section(cfg, "credits"), &server.meter_conf, err, sizeof(err)) != 0 ||
                (server.pricing = pol_pricing_new(gw_config_section(cfg, "pricing"), err, sizeof(err))) == NULL)
                goto out;
            gw_store_lease_conf_t lc = {.calls = server.meter_conf.lease_calls,
                                        .min_calls = server.meter_conf.lease_min_calls,
                                        .idle_ms = server.meter_conf.lease_idle_ms,
                                        .ttl_ms = server.meter_conf.lease_ttl_ms};
            if (gw_store_ledger_leases(server.store, &lc) != 0) {
                snprintf(err, sizeof(err), "credits: invalid lease settings");
                goto out;
            }
            /* a crash leaves reservations open: settle them at their reserved amount, flagged */
            if (gw_store_settle_open_reservations(server.store, &settled) != 0) {
                snprintf(err, sizeof(err), "credits: cannot settle the reservations left open by the last run");
                goto out;
            }
            if (settled != 0)
                gw_log(GW_LOG_WARN, "settled %lld reservation(s) left open by the last run at their reserved amount (flagged)",
                       (long long)settled);
            server.metering = 1;
        }
        /* several instances on one PostgreSQL: the rate limits hold for all of them together */
        if (server.ratelimit != NULL && pol_ratelimit_enabled(server.ratelimit) &&
            gw_store_ratelimit_share(server.store, server.ratelimit))
            gw_log(GW_LOG_INFO, "rate limits are shared by the instances on this PostgreSQL database");
    } else if (gw_config_section(cfg, "credits") != NULL) {
        snprintf(err, sizeof(err), "credits: metering needs the store (set master_key_file)");
        goto out;
    } else if (gw_config_section(cfg, "store") != NULL) {
        snprintf(err, sizeof(err), "store: needs master_key_file (create one with: aigw keygen var/master.key)");
        goto out;
    } else {
        gw_log(GW_LOG_WARN, "no master_key_file: the encrypted call log, redaction log and retention are off");
    }
    if ((server.gen = gen_new(cfg, server.privacy, server.pricing, &server.meter_conf, 0)) == NULL) {
        snprintf(err, sizeof(err), "out of memory");
        goto out;
    }
    /* large request bodies are scanned here, off the workers' loops (gateway/pipeline/parse.c) */
    if ((server.scan_pool = gw_offload_create((unsigned)cfg->scan_threads, "aigw-scan")) == NULL) {
        snprintf(err, sizeof(err), "cannot start the scan threads (limits.scan_threads)");
        goto out;
    }
    setup_h2o(cfg);
    server.ssl_ctx = calloc(cfg->nlisten, sizeof(*server.ssl_ctx));
    server.workers = calloc(server.nworkers, sizeof(*server.workers));
    if (server.ssl_ctx == NULL || server.workers == NULL)
        goto out;
    for (size_t i = 0; i < cfg->nlisten; i++)
        if (cfg->listen[i].tls_cert != NULL &&
            (server.ssl_ctx[i] = gw_server_tls_ctx_new(&cfg->listen[i], err, sizeof(err))) == NULL)
            goto out;
    for (size_t j = 0; j < cfg->nlisten; j++) {
        struct sockaddr_storage ss;
        socklen_t sslen;
        int again = 0; /* one lock per port: a second listener on it (::1 beside 127.0.0.1) has it already */
        for (size_t k = 0; k < j; k++)
            again |= cfg->listen[k].port == cfg->listen[j].port;
        if (again)
            continue;
        if (gw_server__listen_addr(&cfg->listen[j], &ss, &sslen, err, sizeof(err)) != 0 ||
            gw_server__claim_port(&cfg->listen[j], (struct sockaddr *)&ss, sslen, err, sizeof(err)) < 0)
            goto out;
    }
    for (unsigned i = 0; i < server.nworkers; i++) {
        gw_worker_t *w = &server.workers[i];
        w->server = &server;
        w->id = i;
        w->listen_fds = calloc(cfg->nlisten, sizeof(int));
        w->listeners = calloc(cfg->nlisten, sizeof(uv_tcp_t));
        w->accept_ctx = calloc(cfg->nlisten, sizeof(h2o_accept_ctx_t));
        if (w->listen_fds == NULL || w->listeners == NULL || w->accept_ctx == NULL)
            goto out;
        for (size_t j = 0; j < cfg->nlisten; j++)
            if ((w->listen_fds[j] = gw_server__bind_listener(&cfg->listen[j], err, sizeof(err))) < 0)
                goto out;
    }
    if ((server.access_log = gw_accesslog_open(cfg->access_log_path, err, sizeof(err))) == NULL)
        goto out;
    if (gw_config_master_key_file(cfg) != NULL) {
        /* stable pseudonyms across restarts: a key of its own, derived from the master key */
        pol_key_t *mk = gw_keyfile_load(gw_config_master_key_file(cfg), err, sizeof(err));
        if (mk == NULL)
            goto out;
        static const char label[] = "aigw access log user v1";
        char hex[2 * POL_CRYPTO_KEY_BYTES + 1];
        unsigned char k[32];
        pol_key_hex(mk, hex);
        crypto_generichash(k, sizeof(k), (const unsigned char *)label, sizeof(label) - 1, (const unsigned char *)hex,
                           2 * POL_CRYPTO_KEY_BYTES);
        gw_accesslog_set_user_key(server.access_log, k);
        sodium_memzero(hex, sizeof(hex));
        sodium_memzero(k, sizeof(k));
        pol_key_free(mk);
    }

    for (unsigned i = 0; i < server.nworkers; i++) {
        if (pthread_create(&server.workers[i].thread, NULL, worker_main, &server.workers[i]) != 0) {
            snprintf(err, sizeof(err), "cannot start worker thread %u", i);
            server.nworkers = i;
            goto stop;
        }
        char name[16];
        snprintf(name, sizeof(name), "aigw-w%u", i % 1000);
        pthread_setname_np(server.workers[i].thread, name);
    }
    pthread_mutex_lock(&ready_mu);
    while (ready_count < server.nworkers)
        pthread_cond_wait(&ready_cv, &ready_mu);
    pthread_mutex_unlock(&ready_mu);
    if (ready_failed) {
        snprintf(err, sizeof(err), "a worker failed to start");
        goto stop;
    }
    print_listening(cfg);
    refresh_store_keys(1);
    int sig = 0;
    for (;;) {
        /* SIGHUP reloads; between signals the store's keys are re-read every few seconds, so a
         * key added or revoked with `aigw keys` works on every instance without a signal */
        struct timespec ts = {GW_KEYS_REFRESH_S, 0};
        sig = sigtimedwait(&set, NULL, &ts);
        if (sig < 0) {
            if (errno == EAGAIN) {
                refresh_store_keys(0);
                trim_memory();
            }
            continue;
        }
        if (sig == SIGHUP) {
            on_sighup();
            continue;
        }
        break;
    }
    gw_log(GW_LOG_INFO, "%s received, draining in-flight requests (up to %llu ms)", sig == SIGTERM ? "SIGTERM" : "SIGINT",
           (unsigned long long)cfg->drain_timeout_ms);
    rc = 0;
stop:
    atomic_store(&server.draining, 1);
    for (unsigned i = 0; i < server.nworkers; i++)
        uv_async_send(&server.workers[i].stop_async);
    for (unsigned i = 0; i < server.nworkers; i++)
        pthread_join(server.workers[i].thread, NULL);
    gw_offload_free(server.scan_pool); /* scans still queued (drain timeout) run; their calls stay with the stopped loops */
    server.scan_pool = NULL;
    if (server.store != NULL) {
        flush_backlogs();
        gw_store_close(server.store); /* drains the queue: every record is written */
        server.store = NULL;
    }
    gw_auth_release_keysets(); /* the workers are gone: nothing points into a keyset any more */
    gw_server_gen_release(server.gen);
    server.gen = NULL;
    if (rc == 0)
        gw_log(GW_LOG_INFO, "drained, exiting");
out:
    if (server.store != NULL) {
        gw_store_close(server.store);
        server.store = NULL;
    }
    if (err[0] != '\0') {
        /* the command's answer to whoever ran `aigw serve`, in the same words as `aigw check` (plain text like every CLI
         * error, not a log line: a config error quotes key names, which a JSON line would escape) */
        fprintf(stderr, "aigw: %s\n", err);
        rc = 1;
    }
    gw_offload_free(server.scan_pool); /* a start that failed before the workers ran */
    server.scan_pool = NULL;
    gw_accesslog_close(server.access_log);
    server.access_log = NULL;
    gw_retry_free(server.retry);
    gw_fallbacks_free(server.fallbacks);
    server.retry = NULL;
    return rc;
}
