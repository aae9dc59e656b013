/*
 * Allocation failure injection for unit tests (curl's torture tests, from the inside of one test binary): a test
 * linked with tests/support/failalloc_wrap.c and -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (CMakeLists.txt,
 * AIGW_FAILALLOC_TESTS) has every malloc / calloc / realloc of its own code and of aigw's static libraries go through
 * the wrappers, which fail the one allocation the test chose. Not part of aigw (the integration tests fail an
 * allocation of the real binary with tests/support/failalloc_preload.c instead).
 */
#ifndef AIGW_TESTS_FAILALLOC_H
#define AIGW_TESTS_FAILALLOC_H

/** From now on, the `n`-th allocation (1 = the next) returns NULL with errno ENOMEM; 0 disarms. Counting restarts. */
void ts_failalloc_arm(long n);

/** Allocations since the last ts_failalloc_arm() (the failed one included). */
long ts_failalloc_count(void);

/** 1 when the armed allocation has failed since the last ts_failalloc_arm(). */
int ts_failalloc_fired(void);

#endif
