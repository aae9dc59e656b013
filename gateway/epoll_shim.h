/*
 * epoll_ctl as libuv sees it in aigw (gateway/epoll_shim.c): aigw defines epoll_ctl(2) itself, so libuv's calls (and any
 * other library's in the process) reach this definition instead of glibc's wrapper. It makes one change: an
 * EPOLL_CTL_ADD of a descriptor this process last registered in the same epoll instance, and has not removed since, is
 * made as EPOLL_CTL_MOD first, because libuv re-adds a descriptor it stopped watching without removing it from the
 * kernel: h2o stops reading an HTTP/1.1 connection while it serves a request and starts again after the answer, and
 * libuv 1.44 (src/unix/epoll.c uv__io_poll) then issues an ADD that fails with EEXIST followed by the MOD it falls back
 * to, two system calls a request where one does (issue 12, session 15: ~1.4 µs each on the bench host).
 *
 * The result is the state libuv's own fallback reaches: the MOD succeeds exactly when the kernel still holds that
 * descriptor in that instance (which is when the ADD fails with EEXIST), and then the caller gets 0 instead of
 * EEXIST; a MOD that fails for any reason (the descriptor was closed, which removes it from every epoll set, and its
 * number reused; a dup2 onto it; EPOLLEXCLUSIVE, which MOD refuses) falls through to the ADD as asked, whose result is
 * returned unchanged. So the only caller-visible difference is "0" for an ADD of a registered descriptor, which libuv
 * (the only user of epoll in aigw: h2o runs on libuv, libcurl and libpq use poll) treats as its EEXIST path. Events with
 * EPOLLEXCLUSIVE are never converted. Descriptors from GW_EPOLL_SHIM_FDS up are passed through unchanged.
 */
#ifndef AIGW_GATEWAY_EPOLL_SHIM_H
#define AIGW_GATEWAY_EPOLL_SHIM_H

/** Descriptors below this number are tracked (one int each, 256 KiB of zero pages touched only where used). */
#define GW_EPOLL_SHIM_FDS 65536

/**
 * The number of epoll_ctl system calls made through aigw's epoll_ctl since the process started (every thread, every
 * epoll instance). For tests and diagnostics; reading it has no effect.
 * @return the count (monotonic).
 */
unsigned long gw_epoll_shim_syscalls(void);

#endif
