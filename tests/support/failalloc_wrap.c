/*
 * The --wrap allocation wrappers of tests/support/failalloc.h. Single-threaded use only (a unit test's own thread):
 * the counters are plain ints.
 */
#include "support/failalloc.h"

#include <errno.h>
#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);

static long armed, count;
static int fired;

void ts_failalloc_arm(long n)
{
    armed = n;
    count = 0;
    fired = 0;
}

long ts_failalloc_count(void)
{
    return count;
}

int ts_failalloc_fired(void)
{
    return fired;
}

/* 1 when this allocation is the one to fail */
static int fail_now(void)
{
    if (armed <= 0)
        return 0;
    if (++count != armed)
        return 0;
    fired = 1;
    errno = ENOMEM;
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return fail_now() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}
