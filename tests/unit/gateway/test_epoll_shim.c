/*
 * gateway/epoll_shim.c: aigw's epoll_ctl. An ADD of a descriptor still registered in the same epoll instance succeeds
 * in one system call (a MOD: glibc's wrapper fails it with EEXIST); every other outcome is the kernel's: after a DEL,
 * after the descriptor was closed and its number reused, in another instance, with EPOLLEXCLUSIVE, on a bad descriptor.
 * libuv's stop-and-restart of a stream (what h2o does to an HTTP/1.1 connection around every request) costs one
 * epoll_ctl instead of two.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "gateway/epoll_shim.h"

/* The data of the one event epoll_wait reports within 1 s on `ep` (the test fails if none). */
static uint64_t one_event(int ep)
{
    struct epoll_event got[4];
    int n = epoll_wait(ep, got, 4, 1000);
    assert_int_equal(n, 1);
    return got[0].data.u64;
}

static void test_add_of_registered_fd_is_one_call(void **state)
{
    (void)state;
    int ep = epoll_create1(EPOLL_CLOEXEC), sv[2];
    assert_true(ep >= 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 1};
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev), 0);
    unsigned long before = gw_epoll_shim_syscalls();
    ev.data.u64 = 2;
    errno = 1234;
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev), 0); /* glibc's: -1 EEXIST */
    assert_int_equal(errno, 1234);
    assert_int_equal(gw_epoll_shim_syscalls() - before, 1);
    /* the registration now carries the new event data, as libuv's ADD (EEXIST) + MOD left it */
    assert_int_equal(write(sv[1], "x", 1), 1);
    assert_int_equal(one_event(ep), 2);
    close(sv[0]);
    close(sv[1]);
    close(ep);
}

static void test_after_del_and_after_reuse_the_kernel_decides(void **state)
{
    (void)state;
    int ep = epoll_create1(EPOLL_CLOEXEC), sv[2], tv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7};
    /* DEL, then ADD: a plain ADD (one call, no MOD tried) */
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev), 0);
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], &ev), 0);
    unsigned long before = gw_epoll_shim_syscalls();
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev), 0);
    assert_int_equal(gw_epoll_shim_syscalls() - before, 1);
    /* closed while registered (the kernel drops it from the set), the number reused by another socket: the hint is
       stale, the MOD fails, the ADD registers the new socket */
    int num = sv[0];
    close(sv[0]);
    close(sv[1]);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, tv), 0);
    if (tv[0] != num) { /* make the reused number explicit */
        assert_int_equal(dup2(tv[0], num), num);
        close(tv[0]);
        tv[0] = num;
    }
    ev.data.u64 = 8;
    errno = 0;
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, tv[0], &ev), 0);
    assert_int_equal(errno, 0);
    assert_int_equal(write(tv[1], "y", 1), 1);
    assert_int_equal(one_event(ep), 8);
    /* and a MOD / DEL of it work as the kernel's */
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_DEL, tv[0], NULL), 0);
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_MOD, tv[0], &ev), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(epoll_ctl(ep, EPOLL_CTL_DEL, tv[0], NULL), -1);
    assert_int_equal(errno, ENOENT);
    close(tv[0]);
    close(tv[1]);
    close(ep);
}

static void test_other_instance_exclusive_and_bad_fd_unchanged(void **state)
{
    (void)state;
    int ep1 = epoll_create1(EPOLL_CLOEXEC), ep2 = epoll_create1(EPOLL_CLOEXEC), sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 3};
    assert_int_equal(epoll_ctl(ep1, EPOLL_CTL_ADD, sv[0], &ev), 0);
    assert_int_equal(epoll_ctl(ep2, EPOLL_CTL_ADD, sv[0], &ev), 0); /* another instance: a real ADD */
    /* the hint names ep2 now: an ADD in ep1 is the kernel's (EEXIST), and the next one is made as a MOD */
    assert_int_equal(epoll_ctl(ep1, EPOLL_CTL_ADD, sv[0], &ev), -1);
    assert_int_equal(errno, EEXIST);
    unsigned long before = gw_epoll_shim_syscalls();
    assert_int_equal(epoll_ctl(ep1, EPOLL_CTL_ADD, sv[0], &ev), 0);
    assert_int_equal(gw_epoll_shim_syscalls() - before, 1);
    /* EPOLLEXCLUSIVE is never made a MOD (the kernel refuses it there): EEXIST as before */
    int ep3 = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ex = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.u64 = 4};
    assert_int_equal(epoll_ctl(ep3, EPOLL_CTL_ADD, sv[1], &ex), 0);
    assert_int_equal(epoll_ctl(ep3, EPOLL_CTL_ADD, sv[1], &ex), -1);
    assert_int_equal(errno, EEXIST);
    /* a descriptor that is not open, and one past the tracked range */
    assert_int_equal(epoll_ctl(ep1, EPOLL_CTL_ADD, 1000000, &ev), -1);
    assert_int_equal(errno, EBADF);
    int closed = dup(sv[0]);
    close(closed);
    assert_int_equal(epoll_ctl(ep1, EPOLL_CTL_ADD, closed, &ev), -1);
    assert_int_equal(errno, EBADF);
    close(sv[0]);
    close(sv[1]);
    close(ep1);
    close(ep2);
    close(ep3);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    static char b[64];
    *buf = uv_buf_init(b, sizeof(b));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    if (n > 0)
        (*(int *)s->data)++;
}

/* What h2o does to an HTTP/1.1 connection around each request (uv_read_stop, then uv_read_start after the answer):
 * libuv re-adds the descriptor it never removed from the kernel; that is now one epoll_ctl, and reading still works. */
static void test_libuv_read_restart_is_one_call(void **state)
{
    (void)state;
    uv_loop_t loop;
    uv_pipe_t pipe;
    int sv[2], reads = 0;
    assert_int_equal(uv_loop_init(&loop), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(uv_pipe_init(&loop, &pipe, 0), 0);
    assert_int_equal(uv_pipe_open(&pipe, sv[0]), 0);
    pipe.data = &reads;
    assert_int_equal(uv_read_start((uv_stream_t *)&pipe, on_alloc, on_read), 0);
    uv_run(&loop, UV_RUN_NOWAIT); /* registers the descriptor */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(uv_read_stop((uv_stream_t *)&pipe), 0);
        uv_run(&loop, UV_RUN_NOWAIT);
        assert_int_equal(uv_read_start((uv_stream_t *)&pipe, on_alloc, on_read), 0);
        unsigned long before = gw_epoll_shim_syscalls();
        assert_int_equal(write(sv[1], "z", 1), 1);
        for (int t = 0; t < 100 && reads == i; t++)
            uv_run(&loop, UV_RUN_ONCE);
        assert_int_equal(reads, i + 1);
        assert_int_equal(gw_epoll_shim_syscalls() - before, 1); /* libuv's ADD, made as a MOD (was ADD + MOD) */
    }
    uv_close((uv_handle_t *)&pipe, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    close(sv[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_of_registered_fd_is_one_call),
        cmocka_unit_test(test_after_del_and_after_reuse_the_kernel_decides),
        cmocka_unit_test(test_other_instance_exclusive_and_bad_fd_unchanged),
        cmocka_unit_test(test_libuv_read_restart_is_one_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
