/*
 * aigw's epoll_ctl (see epoll_shim.h): ADD of a descriptor still registered in the same instance made as MOD, one
 * system call instead of libuv's ADD (EEXIST) + MOD. `held[fd]` is the epoll descriptor + 1 that fd was last added to
 * or modified in by a successful call here, 0 after a DEL or when not known; it is only a hint (relaxed atomics: the
 * kernel's answer to the MOD decides, a stale entry costs the system call it saves).
 */
#include "gateway/epoll_shim.h"

#include <errno.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

static _Atomic int held[GW_EPOLL_SHIM_FDS];
static _Atomic unsigned long nsyscalls;

static int sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
    atomic_fetch_add_explicit(&nsyscalls, 1, memory_order_relaxed);
    return (int)syscall(SYS_epoll_ctl, epfd, op, fd, ev);
}

unsigned long gw_epoll_shim_syscalls(void)
{
    return atomic_load_explicit(&nsyscalls, memory_order_relaxed);
}

/* epoll_ctl(2), glibc's prototype (sys/epoll.h): the definition libuv's calls resolve to (the executable's symbol comes
 * first in the dynamic linker's search order). Returns 0 or -1 with errno set, as the system call. */
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
    int tracked = fd >= 0 && fd < GW_EPOLL_SHIM_FDS && epfd >= 0;
    if (tracked && op == EPOLL_CTL_ADD && ev != NULL && !(ev->events & EPOLLEXCLUSIVE) &&
        atomic_load_explicit(&held[fd], memory_order_relaxed) == epfd + 1) {
        int saved = errno;
        if (sys_epoll_ctl(epfd, EPOLL_CTL_MOD, fd, ev) == 0)
            return 0;  /* still registered: the ADD would have failed with EEXIST, and libuv would have made this MOD */
        errno = saved; /* not registered any more (closed, number reused): the ADD as asked */
    }
    int r = sys_epoll_ctl(epfd, op, fd, ev);
    if (tracked) {
        int e = errno;
        if (r == 0 && (op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD))
            atomic_store_explicit(&held[fd], epfd + 1, memory_order_relaxed);
        else if (r == 0 ? op == EPOLL_CTL_DEL : e == ENOENT)
            atomic_store_explicit(&held[fd], 0, memory_order_relaxed);
        else if (r != 0 && e == EEXIST && op == EPOLL_CTL_ADD)
            atomic_store_explicit(&held[fd], epfd + 1, memory_order_relaxed);
        errno = e;
    }
    return r;
}
