/*
 * Server lifecycle (see server.h). The main thread validates everything that can fail at
 * start (TLS files, binding every listener once per worker with SO_REUSEPORT) before any
 * worker runs, so a bad config fails fast with a clear message. It then blocks SIGTERM and
 * SIGINT in every thread and waits for them with sigwait(); on a signal it wakes each worker
 * through a uv_async_t to drain. libuv 1.44 has no UV_TCP_REUSEPORT, so sockets are created,
 * bound and listened by hand and given to libuv with uv_tcp_open (platform-facts section 1).
 */
#include "gateway/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sodium.h>

#include "gateway/admin.h"
#include "gateway/proxy.h"
#include "gateway/store/store_ledger.h"
#include "providers/provider.h"

static gw_server_t server; /* one per process; reachable for the whole run */

static pthread_mutex_t ready_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static unsigned ready_count;
static int ready_failed;

static int bind_listener(const gw_listen_conf_t *l, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, l->host, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(l->port);
        sslen = sizeof(*sin);
    } else if (inet_pton(AF_INET6, l->host, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(l->port);
        sslen = sizeof(*sin6);
    } else {
        snprintf(err, errlen, "listen: host \"%s\" is not an IPv4 or IPv6 address", l->host);
        return -1;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 || bind(fd, (struct sockaddr *)&ss, sslen) != 0 ||
        listen(fd, 1024) != 0) {
        snprintf(err, errlen, "listen: cannot listen on %s:%u: %s", l->host, l->port, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static SSL_CTX *make_ssl_ctx(const gw_listen_conf_t *l, char *err, size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL)
        goto fail;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_use_certificate_chain_file(ctx, l->tls_cert) != 1) {
        snprintf(err, errlen, "listen %s:%u: tls.cert %s: %s", l->host, l->port, l->tls_cert,
                 ERR_reason_error_string(ERR_get_error()));
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, l->tls_key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        snprintf(err, errlen, "listen %s:%u: tls.key %s: %s", l->host, l->port, l->tls_key,
                 ERR_reason_error_string(ERR_get_error()));
        goto fail;
    }
    h2o_ssl_register_alpn_protocols(ctx, h2o_http2_alpn_protocols);
    return ctx;
fail:
    if (ctx != NULL)
        SSL_CTX_free(ctx);
    if (err[0] == '\0')
        snprintf(err, errlen, "TLS setup failed");
    return NULL;
}

/* ---- worker ---------------------------------------------------------------------------- */

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
        fprintf(stderr, "aigw: worker %u: out of memory, a %s record could not be queued\n", w->id, call ? "call" : "access");
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

/* ---- /metrics ------------------------------------------------------------------------- */

static const char *pii_type_name(const void *ctx, int type)
{
    const pol_pii_engine_t *e = ctx;
    return type < pol_pii_type_count(e) ? pol_pii_type_name(e, type) : NULL;
}

static void store_gauges(void *ctx, pol_buf_t *out)
{
    gw_server_t *srv = ctx;
    if (srv->store == NULL)
        return;
    gw_store_stats_t st;
    gw_store_stats(srv->store, &st);
    pol_buf_appendf(out,
                    "# HELP aigw_store_queue_depth Records waiting for the store writer.\n# TYPE aigw_store_queue_depth gauge\n"
                    "aigw_store_queue_depth %" PRIu64 "\n"
                    "# HELP aigw_store_queue_max Capacity of the store queue.\n# TYPE aigw_store_queue_max gauge\n"
                    "aigw_store_queue_max %" PRIu64 "\n"
                    "# HELP aigw_store_records_written_total Records committed by kind.\n"
                    "# TYPE aigw_store_records_written_total counter\n"
                    "aigw_store_records_written_total{kind=\"call\"} %" PRIu64 "\n"
                    "aigw_store_records_written_total{kind=\"access\"} %" PRIu64 "\n"
                    "aigw_store_records_written_total{kind=\"redaction\"} %" PRIu64 "\n"
                    "# HELP aigw_store_rejected_full_total Submissions refused because the queue was full (kept in a backlog).\n"
                    "# TYPE aigw_store_rejected_full_total counter\naigw_store_rejected_full_total %" PRIu64 "\n"
                    "# HELP aigw_store_batch_seconds_max Longest group commit.\n# TYPE aigw_store_batch_seconds_max gauge\n"
                    "aigw_store_batch_seconds_max %.6f\n"
                    "# HELP aigw_purged_rows_total Rows removed by retention, by class.\n# TYPE aigw_purged_rows_total counter\n",
                    st.queue_depth, st.queue_max, st.calls_written, st.access_written, st.redactions_written, st.rejected_full,
                    (double)st.max_batch_us / 1e6);
    for (int c = 0; c < POL_RET_NCLASSES; c++)
        pol_buf_appendf(out, "aigw_purged_rows_total{class=\"%s\"} %" PRIu64 "\n", pol_retention_name((pol_retention_class_t)c),
                        st.purged[c]);
}

static const char *provider_name(int idx)
{
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    return idx >= 0 && (size_t)idx < n ? all[idx]->name : NULL;
}

int gw_server_render_metrics(gw_server_t *srv, pol_buf_t *out)
{
    gw_metrics_t *ms[256];
    unsigned n = srv->nworkers < 256 ? srv->nworkers : 256;
    for (unsigned i = 0; i < n; i++)
        ms[i] = &srv->workers[i].metrics;
    if (gw_metrics_render(ms, n, pii_type_name, gw_privacy_engine(srv->privacy), store_gauges, srv, out) != 0)
        return -1;
    if (srv->retry != NULL)
        gw_retry_render_metrics(srv->retry, provider_name, out);
    return 0;
}

static void worker_stop_loop(gw_worker_t *w)
{
    uv_timer_stop(&w->drain_timer);
    uv_stop(&w->loop);
}

static void on_drain_timeout(uv_timer_t *t)
{
    gw_worker_t *w = t->data;
    fprintf(stderr, "aigw: worker %u: drain timeout, %zu requests still in flight\n", w->id, w->inflight);
    worker_stop_loop(w);
}

void gw_worker_request_done(gw_worker_t *w)
{
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
    signal_ready(1);
    uv_run(&w->loop, UV_RUN_DEFAULT);
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
        fprintf(stderr, "aigw: listening on %s://%s%s%s:%u (%s) with %u workers\n", l->tls_cert ? "https" : "http", v6 ? "[" : "",
                l->host, v6 ? "]" : "", l->port, l->tls_cert ? "TLS: h2, HTTP/1.1" : "HTTP/1.1, h2c", server.nworkers);
    }
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
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK || sodium_init() < 0) {
        fprintf(stderr, "aigw: library initialisation failed\n");
        return 1;
    }
    for (size_t i = 0; i < cfg->nproviders; i++)
        if (cfg->providers[i].api_key[0] == '\0')
            fprintf(stderr, "aigw: warning: providers.%s.api_key is empty; upstream calls will be rejected by the provider\n",
                    cfg->providers[i].name);
    if (cfg->nclients == 0)
        fprintf(stderr, "aigw: warning: no clients configured; every proxied request will get 401\n");

    if ((server.privacy = gw_privacy_create(cfg, err, sizeof(err))) == NULL)
        goto out;
    if ((server.retry =
             gw_retry_new(gw_config_section(cfg, "retry"), gw_config_section(cfg, "circuit_breaker"), err, sizeof(err))) == NULL)
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
            /* a crash leaves reservations open: settle them at their reserved amount, flagged */
            if (gw_store_settle_open_reservations(server.store, &settled) != 0) {
                snprintf(err, sizeof(err), "credits: cannot settle the reservations left open by the last run");
                goto out;
            }
            if (settled != 0)
                fprintf(stderr, "aigw: settled %lld reservation(s) left open by the last run at their reserved amount (flagged)\n",
                        (long long)settled);
            server.metering = 1;
        }
    } else if (gw_config_section(cfg, "credits") != NULL) {
        snprintf(err, sizeof(err), "credits: metering needs the store (set master_key_file)");
        goto out;
    } else if (gw_config_section(cfg, "store") != NULL) {
        snprintf(err, sizeof(err), "store: needs master_key_file (create one with: aigw keygen var/master.key)");
        goto out;
    } else {
        fprintf(stderr, "aigw: warning: no master_key_file: the encrypted call log, redaction log and retention are off\n");
    }
    setup_h2o(cfg);
    server.ssl_ctx = calloc(cfg->nlisten, sizeof(*server.ssl_ctx));
    server.workers = calloc(server.nworkers, sizeof(*server.workers));
    if (server.ssl_ctx == NULL || server.workers == NULL)
        goto out;
    for (size_t i = 0; i < cfg->nlisten; i++)
        if (cfg->listen[i].tls_cert != NULL && (server.ssl_ctx[i] = make_ssl_ctx(&cfg->listen[i], err, sizeof(err))) == NULL)
            goto out;
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
            if ((w->listen_fds[j] = bind_listener(&cfg->listen[j], err, sizeof(err))) < 0)
                goto out;
    }
    if ((server.access_log = gw_accesslog_open(cfg->access_log_path, err, sizeof(err))) == NULL)
        goto out;

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
    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(stderr, "aigw: %s received, draining in-flight requests (up to %llu ms)\n", sig == SIGTERM ? "SIGTERM" : "SIGINT",
            (unsigned long long)cfg->drain_timeout_ms);
    rc = 0;
stop:
    server.draining = 1;
    for (unsigned i = 0; i < server.nworkers; i++)
        uv_async_send(&server.workers[i].stop_async);
    for (unsigned i = 0; i < server.nworkers; i++)
        pthread_join(server.workers[i].thread, NULL);
    if (server.store != NULL) {
        flush_backlogs();
        gw_store_close(server.store); /* drains the queue: every record is written */
        server.store = NULL;
    }
    if (rc == 0)
        fprintf(stderr, "aigw: drained, exiting\n");
out:
    if (server.store != NULL) {
        gw_store_close(server.store);
        server.store = NULL;
    }
    if (err[0] != '\0') {
        fprintf(stderr, "aigw: %s\n", err);
        rc = 1;
    }
    gw_accesslog_close(server.access_log);
    server.access_log = NULL;
    gw_retry_free(server.retry);
    server.retry = NULL;
    return rc;
}
