/*
 * gw_buf: a growable byte buffer shared by the pure modules (JSON rewriter, PII engine, SSE
 * restorer). Buffers are meant to be reused: gw_buf_reset() keeps the capacity, so a worker
 * that owns one per request slot allocates only while warming up (the hot path must not
 * malloc per request; see docs/internals/pipeline.md).
 */
#ifndef AIGW_COMMON_BUF_H
#define AIGW_COMMON_BUF_H

#include <stddef.h>
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

/**
 * Appends `n` bytes from `p` (borrowed). @return 0, or -1 on allocation failure.
 */
int gw_buf_append(gw_buf_t *b, const void *p, size_t n);

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

#endif
