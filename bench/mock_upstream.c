/*
 * mock_upstream: the fastest OpenAI-shaped upstream we can put behind the proxies in the load
 * benchmark (bench/run.sh). It is not the test mock (tests/mockprovider/ records requests and
 * injects faults); this one does as little as possible per request so that the benchmark measures
 * the proxy, not the upstream.
 *
 * Design: h2o 2.2.5 on libuv, one uv loop + h2o context per thread, each thread with its own
 * SO_REUSEPORT listening socket created by hand (libuv 1.44 has no UV_TCP_REUSEPORT), then
 * uv_tcp_open + uv_listen. h2o serves HTTP/1.1 and h2c (prior knowledge) on the same port.
 * The fixtures are read once at start into memory and served from there:
 *   POST /v1/chat/completions  -> chat_completions.response.json, or chat_completions.stream.sse
 *                                 when the body has "stream": true (text/event-stream).
 *   GET  /healthz              -> 200 "ok"
 * With --sse-gap-ms N > 0 the SSE events are sent one at a time, N ms apart (one h2o_send in flight,
 * the next one armed from generator->proceed), so a proxy's time to first event can be measured;
 * with 0 the whole stream goes out in one write. h2o_send_inline() does not set content_length in
 * 2.2.5, so we set it ourselves (otherwise HTTP/1.1 falls back to chunked encoding).
 *
 * Usage: mock_upstream [--host 127.0.0.1] [--port 0] [--threads 1] [--sse-gap-ms 0] --fixtures DIR
 * Prints "port=N" on stdout once listening (N is the bound port, useful with --port 0).
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <uv.h>
#include <h2o.h>

#define MOCK_MAX_THREADS 16
#define MOCK_MAX_SSE_EVENTS 256
#define MOCK_MAX_BODY_BYTES (1024 * 1024)

typedef struct st_mock_fixture_t {
    char *data;
    size_t len;
} mock_fixture_t;

typedef struct st_mock_worker_t {
    pthread_t tid;
    uv_loop_t loop;
    uv_tcp_t listener;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    int fd;
} mock_worker_t;

/* One streamed SSE response; allocated in req->pool with a dispose hook, so it lives exactly as
 * long as the request. The timer is malloc'ed because uv_close() completes after the pool is gone. */
typedef struct st_mock_sse_t {
    h2o_generator_t super;
    h2o_req_t *req;
    uv_timer_t *timer;
    size_t next; /* index of the next event to send */
} mock_sse_t;

static h2o_globalconf_t g_config;
static mock_fixture_t g_chat_json;
static mock_fixture_t g_chat_sse;
static h2o_iovec_t g_sse_events[MOCK_MAX_SSE_EVENTS];
static size_t g_sse_event_count;
static uint64_t g_sse_gap_ms;

static int read_file(const char *dir, const char *name, mock_fixture_t *out)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof(path))
        return -1;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "mock_upstream: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    int ret = -1;
    if (fseek(fp, 0, SEEK_END) != 0)
        goto out;
    long size = ftell(fp);
    if (size < 0 || size > MOCK_MAX_BODY_BYTES || fseek(fp, 0, SEEK_SET) != 0)
        goto out;
    out->data = malloc((size_t)size + 1);
    if (out->data == NULL)
        goto out;
    out->len = fread(out->data, 1, (size_t)size, fp);
    out->data[out->len] = '\0';
    ret = out->len == (size_t)size ? 0 : -1;
out:
    fclose(fp);
    return ret;
}

/* Splits the SSE fixture into events, each ending with its blank line ("\n\n"). */
static void split_sse_events(void)
{
    const char *p = g_chat_sse.data, *end = g_chat_sse.data + g_chat_sse.len;
    while (p < end && g_sse_event_count < MOCK_MAX_SSE_EVENTS) {
        const char *sep = memmem(p, (size_t)(end - p), "\n\n", 2);
        const char *stop = sep != NULL ? sep + 2 : end;
        g_sse_events[g_sse_event_count++] = h2o_iovec_init(p, (size_t)(stop - p));
        p = stop;
    }
}

/* True when the JSON body asks for streaming: "stream" followed by optional blanks, ':', blanks, true.
 * A substring check is enough for a benchmark mock whose clients send known bodies. */
static int wants_stream(h2o_iovec_t body)
{
    static const char key[] = "\"stream\"";
    const char *p = body.base, *end = body.base + body.len;
    while (p != NULL && p < end) {
        const char *hit = memmem(p, (size_t)(end - p), key, sizeof(key) - 1);
        if (hit == NULL)
            return 0;
        const char *q = hit + sizeof(key) - 1;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
            ++q;
        if (q < end && *q == ':') {
            ++q;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
                ++q;
            return (size_t)(end - q) >= 4 && memcmp(q, "true", 4) == 0;
        }
        p = hit + 1;
    }
    return 0;
}

static void on_sse_timer(uv_timer_t *timer);

static void send_next_event(mock_sse_t *sse)
{
    size_t i = sse->next++;
    h2o_send_state_t state = sse->next >= g_sse_event_count ? H2O_SEND_STATE_FINAL : H2O_SEND_STATE_IN_PROGRESS;
    h2o_send(sse->req, &g_sse_events[i], 1, state);
}

static void on_sse_proceed(h2o_generator_t *self, h2o_req_t *req)
{
    mock_sse_t *sse = (mock_sse_t *)self;
    /* the previous event is flushed; pace the next one */
    uv_timer_start(sse->timer, on_sse_timer, g_sse_gap_ms, 0);
}

static void on_sse_stop(h2o_generator_t *self, h2o_req_t *req)
{
    mock_sse_t *sse = (mock_sse_t *)self;
    uv_timer_stop(sse->timer);
}

static void on_sse_timer(uv_timer_t *timer)
{
    mock_sse_t *sse = timer->data;
    if (sse != NULL)
        send_next_event(sse);
}

static void on_timer_closed(uv_handle_t *handle)
{
    free(handle);
}

static void on_sse_dispose(void *p)
{
    mock_sse_t *sse = p;
    uv_timer_stop(sse->timer);
    sse->timer->data = NULL;
    uv_close((uv_handle_t *)sse->timer, on_timer_closed);
}

static int send_fixture(h2o_req_t *req, const mock_fixture_t *fx, const char *type, size_t type_len)
{
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = fx->len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type, type_len);
    h2o_send_inline(req, fx->data, fx->len);
    return 0;
}

static int send_sse_paced(h2o_req_t *req)
{
    uv_timer_t *timer = malloc(sizeof(*timer));
    if (timer == NULL)
        return -1;
    mock_sse_t *sse = h2o_mem_alloc_shared(&req->pool, sizeof(*sse), on_sse_dispose);
    *sse = (mock_sse_t){{on_sse_proceed, on_sse_stop}, req, timer, 0};
    uv_timer_init(req->conn->ctx->loop, timer);
    timer->data = sse;
    req->res.status = 200;
    req->res.reason = "OK";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("text/event-stream"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-cache"));
    /* nginx honours this per response, like the real SSE endpoints behind it */
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-accel-buffering"), 0, NULL, H2O_STRLIT("no"));
    h2o_start_response(req, &sse->super);
    send_next_event(sse);
    return 0;
}

static int on_chat(h2o_handler_t *self, h2o_req_t *req)
{
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("POST")))
        return -1;
    if (!h2o_memis(req->path_normalized.base, req->path_normalized.len, H2O_STRLIT("/v1/chat/completions")))
        return -1;
    if (req->entity.base != NULL && wants_stream(req->entity)) {
        if (g_sse_gap_ms > 0 && g_sse_event_count > 1)
            return send_sse_paced(req);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-cache"));
        return send_fixture(req, &g_chat_sse, H2O_STRLIT("text/event-stream"));
    }
    return send_fixture(req, &g_chat_json, H2O_STRLIT("application/json"));
}

static int on_healthz(h2o_handler_t *self, h2o_req_t *req)
{
    static const mock_fixture_t ok = {"ok\n", 3};
    return send_fixture(req, &ok, H2O_STRLIT("text/plain"));
}

static void on_accept(uv_stream_t *listener, int status)
{
    mock_worker_t *w = listener->data;
    if (status != 0)
        return;
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
    h2o_accept(&w->accept_ctx, sock);
}

/* SO_REUSEPORT socket bound by hand: libuv 1.44 cannot set the option itself. */
static int open_listener(const char *host, uint16_t port)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "mock_upstream: bad IPv4 host %s\n", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    if (fd < 0)
        return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        listen(fd, 1024) != 0) {
        fprintf(stderr, "mock_upstream: cannot listen on %s:%u: %s\n", host, port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void *run_worker(void *arg)
{
    mock_worker_t *w = arg;
    uv_run(&w->loop, UV_RUN_DEFAULT);
    return NULL;
}

static int init_worker(mock_worker_t *w, h2o_globalconf_t *config)
{
    uv_loop_init(&w->loop);
    h2o_context_init(&w->ctx, &w->loop, config);
    w->accept_ctx.ctx = &w->ctx;
    w->accept_ctx.hosts = config->hosts;
    uv_tcp_init(&w->loop, &w->listener);
    w->listener.data = w;
    if (uv_tcp_open(&w->listener, w->fd) != 0 || uv_listen((uv_stream_t *)&w->listener, 1024, on_accept) != 0)
        return -1;
    return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: mock_upstream [--host IPV4] [--port N] [--threads N] [--sse-gap-ms N] --fixtures DIR\n");
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *fixtures = NULL;
    unsigned long port = 0, threads = 1, gap = 0;
    for (int i = 1; i < argc; i += 2) { /* every option takes a value */
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = val == NULL;
        if (!bad && strcmp(opt, "--host") == 0)
            host = val;
        else if (!bad && strcmp(opt, "--fixtures") == 0)
            fixtures = val;
        else if (!bad && strcmp(opt, "--port") == 0)
            bad = parse_uint(val, 65535, &port);
        else if (!bad && strcmp(opt, "--threads") == 0)
            bad = parse_uint(val, MOCK_MAX_THREADS, &threads) || threads == 0;
        else if (!bad && strcmp(opt, "--sse-gap-ms") == 0)
            bad = parse_uint(val, 60000, &gap);
        else
            bad = 1;
        if (bad) {
            usage();
            return 2;
        }
    }
    if (fixtures == NULL) {
        usage();
        return 2;
    }
    if (read_file(fixtures, "chat_completions.response.json", &g_chat_json) != 0 ||
        read_file(fixtures, "chat_completions.stream.sse", &g_chat_sse) != 0)
        return 1;
    split_sse_events();
    g_sse_gap_ms = gap;
    signal(SIGPIPE, SIG_IGN);

    h2o_config_init(&g_config);
    g_config.server_name = h2o_iovec_init(H2O_STRLIT("mock"));
    g_config.max_request_entity_size = MOCK_MAX_BODY_BYTES;
    h2o_hostconf_t *hostconf = h2o_config_register_host(&g_config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_create_handler(h2o_config_register_path(hostconf, "/v1/chat/completions", 0), sizeof(h2o_handler_t))->on_req = on_chat;
    h2o_create_handler(h2o_config_register_path(hostconf, "/healthz", 0), sizeof(h2o_handler_t))->on_req = on_healthz;

    static mock_worker_t workers[MOCK_MAX_THREADS];
    for (unsigned long i = 0; i < threads; ++i) {
        if ((workers[i].fd = open_listener(host, (uint16_t)port)) < 0)
            return 1;
        if (port == 0) { /* every other thread joins the port the kernel picked for the first */
            struct sockaddr_in bound;
            socklen_t len = sizeof(bound);
            if (getsockname(workers[i].fd, (struct sockaddr *)&bound, &len) != 0)
                return 1;
            port = ntohs(bound.sin_port);
        }
        if (init_worker(&workers[i], &g_config) != 0)
            return 1;
    }
    printf("port=%lu\n", port);
    fflush(stdout);
    for (unsigned long i = 1; i < threads; ++i)
        if (pthread_create(&workers[i].tid, NULL, run_worker, &workers[i]) != 0)
            return 1;
    run_worker(&workers[0]);
    return 0;
}
