/*
 * Fault injection for the integration tests, never linked into aigw: an LD_PRELOAD library whose strdup() fails
 * (NULL, errno ENOMEM) for every string that starts with $AIGW_FAILALLOC_STRDUP_PREFIX, so a test makes one chosen
 * allocation of the real binary fail, e.g. the rate limiter's bucket key "u:<user>" of one user. Everything else is
 * passed to the next strdup (libc's, or a sanitizer's). aigw has no allocation hook of its own on purpose: a switch
 * that makes a production gateway fail would be one more thing to guard (curl's torture tests fail allocations from
 * the outside too).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static char *(*next_strdup)(const char *);
static const char *prefix;
static size_t prefix_len;

__attribute__((constructor)) static void failalloc_init(void)
{
    next_strdup = (char *(*)(const char *))dlsym(RTLD_NEXT, "strdup");
    prefix = getenv("AIGW_FAILALLOC_STRDUP_PREFIX");
    prefix_len = prefix != NULL ? strlen(prefix) : 0;
}

char *strdup(const char *s)
{
    if (prefix_len != 0 && strncmp(s, prefix, prefix_len) == 0) {
        errno = ENOMEM;
        return NULL;
    }
    if (next_strdup == NULL) /* called before the constructor ran (another library's constructor) */
        failalloc_init();
    return next_strdup(s);
}
