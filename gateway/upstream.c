/*
 * curl multi <-> libuv glue (see upstream.h). Socket interest changes arrive through
 * CURLMOPT_SOCKETFUNCTION and are mirrored on a uv_poll_t per socket; curl's single timeout
 * arrives through CURLMOPT_TIMERFUNCTION and only (re)arms a uv_timer_t: calling
 * curl_multi_socket_action from inside that callback is not allowed. Completed transfers are
 * collected with curl_multi_info_read after each socket_action, outside curl callbacks, so
 * on_done handlers may start new transfers or free their request objects.
 *
 * Poll handles live as long as the socket, not as long as curl's interest in it: curl says
 * CURL_POLL_REMOVE after every transfer on a keep-alive connection and asks again for the next
 * one, and tearing the uv_poll_t down each time cost ~8 epoll_ctl calls per request (three of
 * them failing, bench/profile.sh). So a REMOVE only parks the handle (readable interest kept,
 * so an idle connection closed by the server is noticed and its handle stopped instead of
 * spinning), and the handle is closed from CURLOPT_CLOSESOCKETFUNCTION when curl closes the
 * socket. Sockets are found by fd in `socks`.
 */
#include "gateway/upstream.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define GW_EASY_POOL_MAX 256
#define GW_SCHEME_HTTP 1
#define GW_SCHEME_HTTPS 2

/* One pooled easy handle and what it keeps across transfers: the URL handle it was last given
 * (CURLOPT_CURLU) and the URL string that handle holds. CURLOPT_PRIVATE points here, not at the
 * request, because curl_easy_reset clears options, not this. */
typedef struct st_gw_upstream_easy_t {
    CURL *easy;
    CURLU *uh;              /* parsed `url`, NULL until the first gw_upstream_set_url */
    char *url;              /* the URL `uh` holds (owned), NULL when uh holds nothing reusable */
    int scheme;             /* of `url`: GW_SCHEME_HTTP / _HTTPS, or 0 (other) */
    gw_upstream_req_t *req; /* the started transfer's request, NULL when none or cancelled */
} gw_upstream_easy_t;

typedef struct st_gw_upstream_sock_t {
    uv_poll_t poll;
    curl_socket_t fd;
    gw_upstream_t *up;
    int events; /* UV_READABLE | UV_WRITABLE currently polled, 0 if stopped */
    int parked; /* curl has no interest (between transfers) */
} gw_upstream_sock_t;

struct st_gw_upstream_t {
    uv_loop_t *loop;
    const gw_config_t *cfg;
    CURLM *multi;
    uv_timer_t timer;
    gw_upstream_easy_t *pool[GW_EASY_POOL_MAX];
    size_t npool;
    size_t active;
    int in_socket_action;       /* guards re-entrant info_read */
    uint64_t timer_due;         /* loop time the timer is armed for, 0 if stopped */
    gw_upstream_sock_t **socks; /* by fd */
    size_t nsocks;
    /* The proxy settings curl would read from the environment on every transfer (lib/url.c
     * detect_proxy and create_conn_helper_init_proxy), read once: [GW_SCHEME_HTTP] http_proxy
     * (lower case only), [GW_SCHEME_HTTPS] https_proxy / HTTPS_PROXY, both falling back to
     * all_proxy / ALL_PROXY; no_proxy / NO_PROXY. "" = not set (curl ignores empty variables too).
     * NULL when a copy failed: curl then reads the environment itself. */
    char *proxy[3];
    char *no_proxy;
};

static void check_done(gw_upstream_t *up)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(up->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        CURLcode result = msg->data.result; /* copy before remove_handle invalidates msg */
        gw_upstream_easy_t *e = NULL;
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&e);
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        gw_upstream_req_t *req = e != NULL ? e->req : NULL;
        curl_multi_remove_handle(up->multi, easy);
        up->active--;
        gw_upstream_easy_release(up, easy);
        if (req != NULL)
            req->on_done(req, result, status);
    }
}

static void socket_action(gw_upstream_t *up, curl_socket_t fd, int events)
{
    int running;
    up->in_socket_action++;
    curl_multi_socket_action(up->multi, fd, events, &running);
    up->in_socket_action--;
    if (up->in_socket_action == 0)
        check_done(up);
}

static void set_events(gw_upstream_sock_t *s, int events);

static void on_poll(uv_poll_t *handle, int status, int events)
{
    gw_upstream_sock_t *s = handle->data;
    if (s->parked) {
        /* an idle keep-alive connection became readable (closed or garbage): stop watching;
         * curl notices the dead connection when it tries to reuse it */
        set_events(s, 0);
        return;
    }
    int flags = 0;
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    socket_action(s->up, s->fd, flags);
}

static void on_timer(uv_timer_t *t)
{
    socket_action(t->data, CURL_SOCKET_TIMEOUT, 0);
}

static void set_events(gw_upstream_sock_t *s, int events)
{
    if (events == s->events)
        return;
    if (events == 0)
        uv_poll_stop(&s->poll);
    else
        uv_poll_start(&s->poll, events, on_poll);
    s->events = events;
}

static gw_upstream_sock_t *sock_get(gw_upstream_t *up, curl_socket_t fd)
{
    if (fd < 0)
        return NULL;
    if ((size_t)fd >= up->nsocks) {
        size_t n = up->nsocks ? up->nsocks : 64;
        while (n <= (size_t)fd)
            n *= 2;
        gw_upstream_sock_t **p = realloc(up->socks, n * sizeof(*p));
        if (p == NULL)
            return NULL;
        memset(p + up->nsocks, 0, (n - up->nsocks) * sizeof(*p));
        up->socks = p;
        up->nsocks = n;
    }
    gw_upstream_sock_t *s = up->socks[fd];
    if (s != NULL)
        return s;
    if ((s = calloc(1, sizeof(*s))) == NULL)
        return NULL;
    s->fd = fd;
    s->up = up;
    if (uv_poll_init_socket(up->loop, &s->poll, fd) != 0) {
        free(s);
        return NULL;
    }
    s->poll.data = s;
    up->socks[fd] = s;
    return s;
}

static void on_sock_closed(uv_handle_t *h)
{
    free(h->data);
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    gw_upstream_t *up = userp;
    gw_upstream_sock_t *s = socketp != NULL ? socketp : sock_get(up, fd);
    if (s == NULL)
        return what == CURL_POLL_REMOVE ? 0 : -1;
    if (what == CURL_POLL_REMOVE) {
        s->parked = 1;
        set_events(s, UV_READABLE);
        return 0;
    }
    s->parked = 0;
    if (socketp == NULL)
        curl_multi_assign(up->multi, fd, s);
    int events = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        events |= UV_READABLE;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        events |= UV_WRITABLE;
    set_events(s, events);
    return 0;
}

static int on_curl_closesocket(void *clientp, curl_socket_t fd)
{
    gw_upstream_t *up = clientp;
    if (fd >= 0 && (size_t)fd < up->nsocks && up->socks[fd] != NULL) {
        gw_upstream_sock_t *s = up->socks[fd];
        up->socks[fd] = NULL;
        uv_close((uv_handle_t *)&s->poll, on_sock_closed); /* drops the fd from epoll before close() */
    }
    return close(fd);
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
    gw_upstream_t *up = userp;
    if (timeout_ms < 0) {
        uv_timer_stop(&up->timer);
        up->timer_due = 0;
        return 0;
    }
    /* curl re-announces the same deadline many times per transfer; re-arming a uv timer is a
     * heap removal + insertion each time (4% of a request's CPU in bench/profile.sh) */
    uint64_t due = uv_now(up->loop) + (uint64_t)timeout_ms;
    if (due == up->timer_due && uv_is_active((uv_handle_t *)&up->timer))
        return 0;
    up->timer_due = due;
    uv_timer_start(&up->timer, on_timer, (uint64_t)timeout_ms, 0);
    return 0;
}

/* A copy of the first of `a`, `b`, `c` (NULL: skipped) set to a non-empty value, "" when none
 * is: curl_getenv's rule (lib/getenv.c: an empty variable counts as unset). */
static char *env_first(const char *a, const char *b, const char *c)
{
    const char *names[3] = {a, b, c};
    for (size_t i = 0; i < 3; i++) {
        const char *v = names[i] != NULL ? getenv(names[i]) : NULL;
        if (v != NULL && v[0] != '\0')
            return strdup(v);
    }
    return strdup("");
}

static void proxy_env_free(gw_upstream_t *up)
{
    for (size_t i = 0; i < 3; i++)
        free(up->proxy[i]);
    free(up->no_proxy);
    memset(up->proxy, 0, sizeof(up->proxy));
    up->no_proxy = NULL;
}

static void proxy_env_read(gw_upstream_t *up)
{
    /* curl does not read HTTP_PROXY (upper case) for http:// URLs: a CGI program's environment has
     * HTTP_PROXY from a client's "Proxy:" header (httpoxy) */
    up->proxy[GW_SCHEME_HTTP] = env_first("http_proxy", "all_proxy", "ALL_PROXY");
    up->proxy[GW_SCHEME_HTTPS] = env_first("https_proxy", "HTTPS_PROXY", NULL);
    if (up->proxy[GW_SCHEME_HTTPS] != NULL && up->proxy[GW_SCHEME_HTTPS][0] == '\0') {
        free(up->proxy[GW_SCHEME_HTTPS]);
        up->proxy[GW_SCHEME_HTTPS] = env_first("all_proxy", "ALL_PROXY", NULL);
    }
    up->no_proxy = env_first("no_proxy", "NO_PROXY", NULL);
    if (up->proxy[GW_SCHEME_HTTP] == NULL || up->proxy[GW_SCHEME_HTTPS] == NULL || up->no_proxy == NULL)
        proxy_env_free(up); /* out of memory: curl reads the environment itself */
}

gw_upstream_t *gw_upstream_create(uv_loop_t *loop, const gw_config_t *cfg)
{
    gw_upstream_t *up = calloc(1, sizeof(*up));
    if (up == NULL)
        return NULL;
    up->loop = loop;
    up->cfg = cfg;
    if ((up->multi = curl_multi_init()) == NULL) {
        free(up);
        return NULL;
    }
    uv_timer_init(loop, &up->timer);
    up->timer.data = up;
    curl_multi_setopt(up->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(up->multi, CURLMOPT_SOCKETDATA, up);
    curl_multi_setopt(up->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(up->multi, CURLMOPT_TIMERDATA, up);
    curl_multi_setopt(up->multi, CURLMOPT_MAXCONNECTS, (long)cfg->upstream.max_connections);
    curl_multi_setopt(up->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    proxy_env_read(up);
    return up;
}

static void on_timer_closed(uv_handle_t *h)
{
    gw_upstream_t *up = h->data;
    proxy_env_free(up);
    free(up);
}

static gw_upstream_easy_t *easy_of(CURL *easy)
{
    gw_upstream_easy_t *e = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&e);
    return e;
}

static void easy_free(gw_upstream_easy_t *e)
{
    curl_easy_cleanup(e->easy);
    curl_url_cleanup(e->uh); /* after the easy handle: it may point at uh */
    free(e->url);
    free(e);
}

void gw_upstream_destroy(gw_upstream_t *up)
{
    if (up == NULL)
        return;
    for (size_t i = 0; i < up->npool; i++)
        easy_free(up->pool[i]);
    up->npool = 0;
    /* Transfers still attached are owned by their requests, which the loop is tearing down;
     * curl_multi_cleanup detaches them and closes the sockets (CURL_POLL_REMOVE callbacks). */
    curl_multi_cleanup(up->multi);
    free(up->socks);
    up->socks = NULL;
    up->nsocks = 0;
    uv_timer_stop(&up->timer);
    uv_close((uv_handle_t *)&up->timer, on_timer_closed);
}

CURL *gw_upstream_easy(gw_upstream_t *up)
{
    gw_upstream_easy_t *e;
    if (up->npool > 0) {
        e = up->pool[--up->npool];
        curl_easy_reset(e->easy); /* every option back to its default, CURLOPT_CURLU and the last call's headers included */
    } else {
        if ((e = calloc(1, sizeof(*e))) == NULL)
            return NULL;
        if ((e->easy = curl_easy_init()) == NULL) {
            free(e);
            return NULL;
        }
    }
    e->req = NULL;
    CURL *easy = e->easy;
    curl_easy_setopt(easy, CURLOPT_PRIVATE, (char *)e);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, on_curl_closesocket);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, up);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, (long)up->cfg->upstream.connect_timeout_ms);
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 64L * 1024);
    /* "Accept-Encoding: identity": without the field any content coding is acceptable (RFC 9110 section 12.5.3), and
     * aigw must read the answer's bytes (restore, output scan, key mask, usage). Setting it also makes curl decode a
     * coding that comes anyway (gzip, deflate, br, zstd; CURLE_BAD_CONTENT_ENCODING for one it cannot: the call
     * fails, nothing undecoded is forwarded); the client's own Accept-Encoding is never forwarded (headers.c). */
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "identity");
    if (up->cfg->upstream.ca_file != NULL)
        curl_easy_setopt(easy, CURLOPT_CAINFO, up->cfg->upstream.ca_file);
    return easy;
}

/* The flags curl's own parse of CURLOPT_URL uses (lib/url.c parseurlandfillconn, 7.88: none of
 * CURLOPT_DISALLOW_USERNAME_IN_URL, CURLOPT_PATH_AS_IS, CURLOPT_DEFAULT_PROTOCOL are set here). */
#define GW_URL_FLAGS (CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME)

static int url_scheme(CURLU *uh)
{
    char *scheme = NULL;
    int r = 0;
    if (curl_url_get(uh, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK)
        r = strcasecmp(scheme, "https") == 0 ? GW_SCHEME_HTTPS : strcasecmp(scheme, "http") == 0 ? GW_SCHEME_HTTP : 0;
    curl_free(scheme);
    return r;
}

void gw_upstream_set_url(gw_upstream_t *up, CURL *easy, const char *url)
{
    gw_upstream_easy_t *e = easy_of(easy);
    if (curl_easy_setopt(easy, CURLOPT_URL, url) != CURLE_OK || e == NULL)
        return; /* refused (longer than 8 MB): the transfer fails in curl as before */
    if (e->url == NULL || strcmp(e->url, url) != 0) {
        free(e->url);
        e->url = NULL;
        if (e->uh == NULL && (e->uh = curl_url()) == NULL)
            return; /* curl parses CURLOPT_URL itself */
        if (curl_url_set(e->uh, CURLUPART_URL, url, GW_URL_FLAGS) != CURLUE_OK)
            return; /* curl parses it again and reports the error as before */
        if ((e->url = strdup(url)) == NULL)
            return;
        e->scheme = url_scheme(e->uh);
    }
    curl_easy_setopt(easy, CURLOPT_CURLU, e->uh);
    /* PIPEWAIT (a transfer waits for a connection that may multiplex rather than open one) for https:// only: there ALPN
     * says at the TLS handshake whether the connection is HTTP/2. Over http:// curl 7.88 learns that a connection will
     * not multiplex (HTTP/1.1) only from its first answer's headers, so every other call of the worker waited for the
     * first answer's first byte (seconds for a model that answers slowly; upstream-pipewait.test.mjs). */
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, e->scheme == GW_SCHEME_HTTPS ? 1L : 0L);
    /* the environment's proxy for this scheme, as curl would pick it ("" = none: then curl does
     * not look at the environment, which costs five getenv a transfer) */
    if (e->scheme != 0 && up->no_proxy != NULL) {
        curl_easy_setopt(easy, CURLOPT_PROXY, up->proxy[e->scheme]);
        curl_easy_setopt(easy, CURLOPT_NOPROXY, up->no_proxy);
    }
}

void gw_upstream_easy_release(gw_upstream_t *up, CURL *easy)
{
    gw_upstream_easy_t *e = easy_of(easy);
    if (e == NULL) { /* not one of ours */
        curl_easy_cleanup(easy);
        return;
    }
    e->req = NULL;
    if (up->npool < GW_EASY_POOL_MAX)
        up->pool[up->npool++] = e;
    else
        easy_free(e);
}

int gw_upstream_start(gw_upstream_t *up, CURL *easy, gw_upstream_req_t *req)
{
    gw_upstream_easy_t *e = easy_of(easy);
    if (e == NULL)
        return gw_upstream_easy_release(up, easy), -1;
    e->req = req;
    if (curl_multi_add_handle(up->multi, easy) != CURLM_OK) {
        gw_upstream_easy_release(up, easy); /* clears e->req */
        return -1;
    }
    up->active++;
    return 0;
}

void gw_upstream_cancel(gw_upstream_t *up, CURL *easy)
{
    gw_upstream_easy_t *e = easy_of(easy);
    if (e != NULL)
        e->req = NULL;
    curl_multi_remove_handle(up->multi, easy);
    up->active--;
    gw_upstream_easy_release(up, easy);
}

void gw_upstream_run_due(gw_upstream_t *up)
{
    if (up->in_socket_action != 0 || !uv_is_active((uv_handle_t *)&up->timer) || up->timer_due > uv_now(up->loop))
        return;
    uv_timer_stop(&up->timer);
    up->timer_due = 0;
    socket_action(up, CURL_SOCKET_TIMEOUT, 0);
}

size_t gw_upstream_active(const gw_upstream_t *up)
{
    return up->active;
}
