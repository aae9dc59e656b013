/*
 * gw_log (see log.h): vsnprintf into a stack buffer, then the JSON frame around the escaped message
 * (gw_json_escape_into, the one JSON string escaper) in a second stack buffer, then one write(2):
 * lines from different threads never interleave (stderr is a pipe or a file opened O_APPEND by the
 * service manager; a pipe write of a few KiB is atomic up to PIPE_BUF, longer lines are rare) and
 * nothing allocates, so "out of memory" can still be logged.
 */
#include "common/log.h"
#include "common/json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *gw_log_level_name(gw_log_level_t level)
{
    switch (level) {
    case GW_LOG_DEBUG:
        return "debug";
    case GW_LOG_INFO:
        return "info";
    case GW_LOG_WARN:
        return "warn";
    default:
        return "error";
    }
}

size_t gw_log_format(char *out, int64_t now_us, gw_log_level_t level, const char *msg, size_t len)
{
    if (len > GW_LOG_MSG_MAX)
        len = GW_LOG_MSG_MAX;
    time_t secs = (time_t)(now_us / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    /* the frame is at most ~80 bytes; GW_LOG_LINE_MAX leaves room for it and the escaped message */
    int n = snprintf(out, GW_LOG_LINE_MAX,
                     "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%06dZ\",\"level\":\"%s\",\"msg\":", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(now_us % 1000000), gw_log_level_name(level));
    size_t o = n > 0 ? (size_t)n : 0;
    o += gw_json_escape_into(out + o, msg, len, 0);
    out[o++] = '}';
    out[o++] = '\n';
    return o;
}

static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* nowhere left to report it */
        p += w;
        n -= (size_t)w;
    }
}

__attribute__((format(printf, 2, 0))) static void vlog(gw_log_level_t level, const char *fmt, va_list ap)
{
    char msg[GW_LOG_MSG_MAX + 1];
    char line[GW_LOG_LINE_MAX];
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    if (n < 0)
        n = 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    write_all(line, gw_log_format(line, now_us, level, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1));
}

void gw_log(gw_log_level_t level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(level, fmt, ap);
    va_end(ap);
}

/* The line is written (one write(2)) before abort, so the reason survives the crash. */
_Noreturn void gw__assert_fail(const char *expr, const char *file, int line, const char *func)
{
    gw_log(GW_LOG_ERROR, "assertion failed: %s (%s:%d %s)", expr, file, line, func);
    abort();
}
