/*
 * gateway/upstream gw_upstream_run_due: a transfer started outside the loop's timer phase (the journal's completions,
 * run from the uv_prepare handle) goes out when its caller runs the due timer, without the loop polling first; with no
 * timer armed nothing happens.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "gateway/config.h"
#include "gateway/upstream.h"

typedef struct {
    gw_upstream_req_t req; /* first */
    int done;
} test_req_t;

static void on_done(gw_upstream_req_t *self, CURLcode result, long http_status)
{
    (void)result;
    (void)http_status;
    ((test_req_t *)self)->done++;
}

/* A listening loopback socket (non-blocking accept), its port in *port. */
static int listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 4), 0);
    socklen_t len = sizeof(a);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* Whether a connection is waiting on `lfd` (accepted and closed if so). */
static int connected(int lfd)
{
    int c = accept(lfd, NULL, NULL);
    if (c < 0) {
        assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
        return 0;
    }
    close(c);
    return 1;
}

static void test_due_timer_sends_now(void **state)
{
    (void)state;
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    gw_config_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.upstream.connect_timeout_ms = 5000;
    cfg.upstream.max_connections = 4;
    gw_upstream_t *up = gw_upstream_create(&loop, &cfg);
    assert_non_null(up);
    int port, lfd = listener(&port);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/x", port);

    /* nothing armed: nothing happens */
    gw_upstream_run_due(up);
    assert_int_equal(connected(lfd), 0);

    test_req_t t = {.req.on_done = on_done};
    CURL *easy = gw_upstream_easy(up);
    assert_non_null(easy);
    gw_upstream_set_url(up, easy, url);
    assert_int_equal(gw_upstream_start(up, easy, &t.req), 0);
    /* curl asked for its timer at 0 ms: no connection until someone runs it (the loop has not run) */
    assert_int_equal(connected(lfd), 0);
    gw_upstream_run_due(up);
    /* the transfer started here: its connection reached the listener without a turn of the loop */
    assert_int_equal(connected(lfd), 1);
    assert_int_equal(t.done, 0);
    /* the connection was closed unanswered: the transfer fails through the loop as usual */
    while (t.done == 0)
        uv_run(&loop, UV_RUN_ONCE);
    assert_int_equal(t.done, 1);

    gw_upstream_destroy(up);
    close(lfd);
    while (uv_run(&loop, UV_RUN_NOWAIT) != 0) {
    }
    assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_timer_sends_now),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
