/*
 * The JSON rewriter's unit tests' recorder (tests/unit/common/test_json*.c): a visitor that logs
 * every string and capture it sees and optionally replaces the strings, and rewrite helpers that
 * check the rewriter's contract on every call (the output buffer untouched when nothing changed,
 * an error description on failure, output valid for jansson). Uses cmocka's assertions: unit tests
 * only (built as aigw_unitsupport).
 */
#ifndef AIGW_TESTS_SUPPORT_JSON_REC_H
#define AIGW_TESTS_SUPPORT_JSON_REC_H

#include <stddef.h>

#include "common/json.h"

typedef struct {
    char log[8192];  /* "id|path|value\n" per string */
    char caps[2048]; /* "id|type|raw\n" per capture */
    char last[64];   /* bytes of the last string, NUL-safe */
    size_t last_len;
    int mode; /* 0 keep, 1 uppercase ASCII, 2 replace with fixed text, 3 abort (-77) */
    const char *fixed;
    size_t calls;
} rec_t;

/** Appends `n` bytes of `s` to the NUL-terminated text in `dst` (`cap` bytes), cutting what does not fit. */
void rec_cat(char *dst, size_t cap, const char *s, size_t n);

/** on_string visitor: logs "id|path|value" to ((rec_t *)ctx)->log and acts by its mode. */
int rec_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl);

/** on_capture visitor: logs "id|type|raw" to ((rec_t *)ctx)->caps. */
void rec_capture(void *ctx, int rule_id, const char *raw, size_t len, int type);

/** gw_json_paths_compile that fails the test (with the compiler's message) instead of returning NULL. */
gw_json_paths_t *rec_compile(const gw_json_rule_t *rules, size_t n);

/**
 * Rewrites `in` with rec_string / rec_capture on `r`; asserts `out` is untouched when unchanged and that an error has
 * a description. *res (may be NULL) = the output (the input when unchanged) malloc'd, or NULL on error; *changed (may
 * be NULL) as gw_json_rewrite sets it. @return gw_json_rewrite's result.
 */
int rec_rewrite(const char *in, const gw_json_paths_t *p, const gw_json_edit_t *ed, size_t ned, rec_t *r, char **res, int *changed);

/** Asserts that rewriting `in` with a recorder in `mode` succeeds with exactly `want`, which jansson accepts. */
void rec_expect_rewrite(const char *in, const gw_json_paths_t *p, const gw_json_edit_t *ed, size_t ned, int mode, const char *want);

#endif
