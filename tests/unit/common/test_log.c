/*
 * Unit tests for common/log: the exact bytes of a JSON log line (timestamp, level, escaping of
 * quotes, control characters and invalid UTF-8), the cut at GW_LOG_MSG_MAX, gw_log writing one
 * line to stderr, and GW_ASSERT logging the failed condition and aborting (in a child process).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"

/* 2026-12-06T07:30:00.123456Z */
#define T0 (INT64_C(1796542200) * 1000000 + 123456)

static char line[GW_LOG_LINE_MAX];

static void test_format_bytes(void **state)
{
    (void)state;
    const char msg[] = "store: \"x\" failed\n\ttwice";
    size_t n = gw_log_format(line, T0, GW_LOG_WARN, msg, sizeof(msg) - 1);
    const char want[] =
        "{\"ts\":\"2026-12-06T07:30:00.123456Z\",\"level\":\"warn\",\"msg\":\"store: \\\"x\\\" failed\\n\\ttwice\"}\n";
    assert_int_equal(n, sizeof(want) - 1);
    assert_memory_equal(line, want, n);
}

static void test_levels(void **state)
{
    (void)state;
    assert_string_equal(gw_log_level_name(GW_LOG_DEBUG), "debug");
    assert_string_equal(gw_log_level_name(GW_LOG_INFO), "info");
    assert_string_equal(gw_log_level_name(GW_LOG_WARN), "warn");
    assert_string_equal(gw_log_level_name(GW_LOG_ERROR), "error");
}

/* Invalid UTF-8 and control bytes still give one valid JSON object per line. */
static void test_invalid_utf8_is_valid_json(void **state)
{
    (void)state;
    const char msg[] = "a\xff\xc3 b\x01";
    size_t n = gw_log_format(line, T0, GW_LOG_ERROR, msg, sizeof(msg) - 1);
    assert_true(n > 0 && line[n - 1] == '\n');
    assert_null(memchr(line, '\n', n - 1));
    json_error_t err;
    json_t *j = json_loadb(line, n - 1, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "msg")), "a\xef\xbf\xbd\xef\xbf\xbd b\x01");
    assert_string_equal(json_string_value(json_object_get(j, "level")), "error");
    json_decref(j);
}

static void test_cut_at_max(void **state)
{
    (void)state;
    char *msg = malloc(GW_LOG_MSG_MAX + 100);
    assert_non_null(msg);
    memset(msg, '"', GW_LOG_MSG_MAX + 100); /* worst case for the escaped length but one */
    size_t n = gw_log_format(line, T0, GW_LOG_INFO, msg, GW_LOG_MSG_MAX + 100);
    assert_true(n <= GW_LOG_LINE_MAX);
    json_t *j = json_loadb(line, n - 1, 0, NULL);
    assert_non_null(j);
    assert_int_equal(strlen(json_string_value(json_object_get(j, "msg"))), GW_LOG_MSG_MAX);
    json_decref(j);
    memset(msg, 1, GW_LOG_MSG_MAX); /* the true worst case: every byte \u0001 */
    n = gw_log_format(line, T0, GW_LOG_INFO, msg, GW_LOG_MSG_MAX);
    assert_true(n <= GW_LOG_LINE_MAX);
    free(msg);
}

/* Runs `fn` in a child with stderr on a pipe; returns what it wrote and its wait status. */
static char *run_child(void (*fn)(void), int *status)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        fn();
        _exit(0);
    }
    close(fds[1]);
    static char out[8192];
    size_t len = 0;
    ssize_t r;
    while ((r = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
        len += (size_t)r;
    out[len] = '\0';
    close(fds[0]);
    assert_int_equal(waitpid(pid, status, 0), pid);
    return out;
}

static void log_two_lines(void)
{
    gw_log(GW_LOG_INFO, "listening on %s:%u", "127.0.0.1", 8080u);
    gw_log(GW_LOG_ERROR, "worker %d: out of memory", 3);
}

static void test_gw_log_writes_json_lines(void **state)
{
    (void)state;
    int st;
    char *out = run_child(log_two_lines, &st);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char *nl = strchr(out, '\n');
    assert_non_null(nl);
    json_t *a = json_loadb(out, (size_t)(nl - out), 0, NULL), *b = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(json_string_value(json_object_get(a, "msg")), "listening on 127.0.0.1:8080");
    assert_string_equal(json_string_value(json_object_get(a, "level")), "info");
    assert_string_equal(json_string_value(json_object_get(b, "msg")), "worker 3: out of memory");
    assert_int_equal(strlen(json_string_value(json_object_get(a, "ts"))), strlen("2026-12-06T07:30:00.123456Z"));
    json_decref(a);
    json_decref(b);
}

static void assert_fails(void)
{
    int open_requests = 2;
    GW_ASSERT(open_requests == 0);
}

static void test_assert_logs_and_aborts(void **state)
{
    (void)state;
    int st;
    char *out = run_child(assert_fails, &st);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGABRT);
    assert_non_null(strstr(out, "\"level\":\"error\""));
    assert_non_null(strstr(out, "assertion failed: open_requests == 0 ("));
    assert_non_null(strstr(out, "test_log.c:"));
}

static void assert_holds(void)
{
    int open_requests = 0;
    GW_ASSERT(open_requests == 0);
}

static void test_assert_holds_is_silent(void **state)
{
    (void)state;
    int st;
    char *out = run_child(assert_holds, &st);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_bytes),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_invalid_utf8_is_valid_json),
        cmocka_unit_test(test_cut_at_max),
        cmocka_unit_test(test_gw_log_writes_json_lines),
        cmocka_unit_test(test_assert_logs_and_aborts),
        cmocka_unit_test(test_assert_holds_is_silent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
