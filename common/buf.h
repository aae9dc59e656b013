/*
 * gw_buf: a growable byte buffer shared by the pure modules (JSON rewriter, PII engine, SSE
 * restorer). Buffers are meant to be reused: gw_buf_reset() keeps the capacity, so a worker
 * that owns one per request slot allocates only while warming up (the hot path must not
 * malloc per request; see docs/internals/pipeline.md).
 */
#ifndef AIGW_COMMON_BUF_H
#define AIGW_COMMON_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct st_gw_buf_t {
    char *base; /* owned; NULL until the first append */
    size_t len; /* bytes in use */
    size_t cap; /* bytes allocated */
} gw_buf_t;

#define GW_BUF_INIT                                                                                                                \
    {                                                                                                                              \
        NULL, 0, 0                                                                                                                 \
    }

/**
 * Makes room for at least `extra` more bytes after `len`.
 * @return 0, or -1 when allocation fails (the buffer is unchanged).
 */
int gw_buf_reserve(gw_buf_t *b, size_t extra);

/** gw_buf_append when the bytes do not fit (grows the buffer). Not for direct use. */
int gw__buf_append_grow(gw_buf_t *b, const void *p, size_t n);

/**
 * Appends `n` bytes from `p` (borrowed); a NUL is kept after them (not counted in len). @return 0, or -1 on
 * allocation failure. Inline when they fit: appends are the most frequent call of the request path (about 130 per
 * call on the event loop, mostly a few bytes each; the call and its gw_buf_reserve were ~65 instructions an append,
 * docs/BENCHMARKS.md "Issue 12, session 6").
 */
static inline int gw_buf_append(gw_buf_t *b, const void *p, size_t n)
{
    if (b->len < b->cap && b->cap - b->len > n) { /* room for the bytes and the NUL (a len past cap: the slow path asserts) */
        if (n != 0)
            memcpy(b->base + b->len, p, n);
        b->len += n;
        b->base[b->len] = '\0';
        return 0;
    }
    return gw__buf_append_grow(b, p, n);
}

/**
 * Appends a printf-style formatted string (no NUL is counted in len, one is kept after it).
 * @return 0, or -1 on allocation failure or a format error.
 */
int gw_buf_appendf(gw_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Empties the buffer, keeping its memory for reuse. */
static inline void gw_buf_reset(gw_buf_t *b)
{
    b->len = 0;
}

/** Releases the memory; the buffer is empty and reusable afterwards. */
void gw_buf_free(gw_buf_t *b);

/**
 * Copies the NUL-terminated string `src` (borrowed; NULL copies "") into `dst` of `cap` bytes (cap >= 1), truncated to
 * cap - 1 bytes and always NUL-terminated: what snprintf(dst, cap, "%s", src) writes, without the printf machinery
 * (about 500 instructions a call, several per request on the worker: docs/BENCHMARKS.md "Issue 12, session 5").
 */
static inline void gw_str_copy(char *dst, size_t cap, const char *src)
{
    size_t n = src != NULL ? strnlen(src, cap - 1) : 0;
    if (n != 0)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/** Bytes of the longest decimal text gw_u64_text / gw_i64_text write ("18446744073709551615", "-9223372036854775808"). */
#define GW_INT_TEXT_MAX 20

/**
 * Writes `v` as decimal text into `dst` (at least GW_INT_TEXT_MAX bytes; no NUL is written). @return its length.
 * What snprintf "%" PRIu64 writes, without the printf machinery (~700 instructions a call on the worker's loop,
 * docs/BENCHMARKS.md "Issue 12, session 6").
 */
static inline size_t gw_u64_text(char *dst, uint64_t v)
{
    char t[GW_INT_TEXT_MAX];
    size_t i = sizeof(t);
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    memcpy(dst, t + i, sizeof(t) - i);
    return sizeof(t) - i;
}

/** As gw_u64_text for a signed value (INT64_MIN included): what snprintf "%" PRId64 writes. */
static inline size_t gw_i64_text(char *dst, int64_t v)
{
    if (v >= 0)
        return gw_u64_text(dst, (uint64_t)v);
    dst[0] = '-';
    return 1 + gw_u64_text(dst + 1, (uint64_t)0 - (uint64_t)v);
}

#endif
