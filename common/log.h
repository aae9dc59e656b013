/*
 * gw_log: the one log helper (house rule 28). Every diagnostic a running aigw writes is one JSON
 * line on stderr: {"ts":"2026-12-06T07:30:00.123456Z","level":"warn","msg":"..."} (UTC,
 * microseconds), so a log shipper needs no pattern per message. The format string is checked by the
 * compiler (__attribute__((format))). Messages never carry secrets or request content (house rule
 * 12): callers pass ids, counts and their own words.
 *
 * One write(2) per line, built in stack memory: safe from any thread, and it still logs when
 * allocation fails. A message is cut at GW_LOG_MSG_MAX bytes (the cut never leaves invalid UTF-8:
 * JSON escaping replaces a broken sequence with U+FFFD).
 *
 * CLI commands (aigw report, user, keys, check ...) answer their user in plain text on stdout and
 * stderr; that is their interface, not a log.
 */
#ifndef AIGW_COMMON_LOG_H
#define AIGW_COMMON_LOG_H

#include <stddef.h>
#include <stdint.h>

typedef enum en_gw_log_level_t { GW_LOG_DEBUG, GW_LOG_INFO, GW_LOG_WARN, GW_LOG_ERROR } gw_log_level_t;

/** Longest message kept, in bytes; longer messages are cut. */
#define GW_LOG_MSG_MAX 1024

/** Bytes gw_log_format may write: the JSON frame, the timestamp, the level and the escaped message. */
#define GW_LOG_LINE_MAX (6 * GW_LOG_MSG_MAX + 96)

/** Writes one JSON log line to stderr (file descriptor 2); errors writing it are ignored. */
void gw_log(gw_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Formats the line gw_log writes for message `msg` (`len` bytes, borrowed; cut at GW_LOG_MSG_MAX) at
 * wall-clock time `now_us` (µs since the Unix epoch) into `out` (GW_LOG_LINE_MAX bytes, caller's),
 * ending in "\n", without a NUL. @return the line's length in bytes. Pure, for the unit test.
 */
size_t gw_log_format(char *out, int64_t now_us, gw_log_level_t level, const char *msg, size_t len);

/** "debug", "info", "warn" or "error" (static). */
const char *gw_log_level_name(gw_log_level_t level);

/**
 * Invariant check, always compiled in (release builds too): when `cond` is false, logs
 * {"level":"error","msg":"assertion failed: <cond> (<file>:<line> <function>)"} and aborts. For
 * states the code itself rules out, never for input checks (those answer with an error).
 */
#define GW_ASSERT(cond)                                                                                                            \
    do {                                                                                                                           \
        if (__builtin_expect(!(cond), 0))                                                                                          \
            gw__assert_fail(#cond, __FILE__, __LINE__, __func__);                                                                  \
    } while (0)

/** GW_ASSERT's failure path: logs and aborts. */
_Noreturn void gw__assert_fail(const char *expr, const char *file, int line, const char *func);

#endif
