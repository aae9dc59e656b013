/*
 * Growable byte buffer (see buf.h). Growth doubles the capacity, starting at 256 bytes, so an
 * append sequence of total size N costs O(N) copies.
 */
#include "common/buf.h"
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int gw_buf_reserve(gw_buf_t *b, size_t extra)
{
    GW_ASSERT(b->len <= b->cap); /* a caller that set len by hand past the capacity corrupted memory already */
    if (b->cap - b->len > extra)
        return 0;
    size_t need = b->len + extra + 1; /* +1 keeps room for a terminating NUL */
    if (need < b->len)
        return -1; /* overflow */
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        if (cap > ((size_t)-1) / 2)
            return -1;
        cap *= 2;
    }
    char *p = realloc(b->base, cap);
    if (p == NULL)
        return -1;
    b->base = p;
    b->cap = cap;
    return 0;
}

int gw__buf_append_grow(gw_buf_t *b, const void *p, size_t n)
{
    if (gw_buf_reserve(b, n) != 0)
        return -1;
    if (n != 0)
        memcpy(b->base + b->len, p, n);
    b->len += n;
    b->base[b->len] = '\0';
    return 0;
}

int gw_buf_appendf(gw_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || gw_buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->base + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void gw_buf_free(gw_buf_t *b)
{
    free(b->base);
    b->base = NULL;
    b->len = b->cap = 0;
}
