/*
 * The JSON rewriter's unit-test recorder (see json_rec.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "support/json_rec.h"
#include "support/support.h"

void rec_cat(char *dst, size_t cap, const char *s, size_t n)
{
    size_t l = strlen(dst);
    if (l + n + 1 > cap)
        n = cap - l - 1;
    memcpy(dst + l, s, n);
    dst[l + n] = '\0';
}

int rec_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    rec_t *r = ctx;
    char head[256];
    r->calls++;
    r->last_len = len < sizeof(r->last) ? len : sizeof(r->last);
    memcpy(r->last, s, r->last_len);
    snprintf(head, sizeof(head), "%d|%s|", rule_id, path);
    rec_cat(r->log, sizeof(r->log), head, strlen(head));
    rec_cat(r->log, sizeof(r->log), s, len);
    rec_cat(r->log, sizeof(r->log), "\n", 1);
    switch (r->mode) {
    case 1:
        return ts_json_upper(NULL, rule_id, path, s, len, repl);
    case 2:
        gw_buf_append(repl, r->fixed, strlen(r->fixed));
        return 1;
    case 3:
        return -77;
    }
    return 0;
}

void rec_capture(void *ctx, int rule_id, const char *raw, size_t len, int type)
{
    rec_t *r = ctx;
    char head[64];
    snprintf(head, sizeof(head), "%d|%d|", rule_id, type);
    rec_cat(r->caps, sizeof(r->caps), head, strlen(head));
    rec_cat(r->caps, sizeof(r->caps), raw, len);
    rec_cat(r->caps, sizeof(r->caps), "\n", 1);
}

gw_json_paths_t *rec_compile(const gw_json_rule_t *rules, size_t n)
{
    char err[128] = "";
    gw_json_paths_t *p = gw_json_paths_compile(rules, n, err, sizeof(err));
    if (p == NULL)
        fail_msg("compile: %s", err);
    return p;
}

int rec_rewrite(const char *in, const gw_json_paths_t *p, const gw_json_edit_t *ed, size_t ned, rec_t *r, char **res, int *changed)
{
    gw_json_visitor_t v = {rec_string, rec_capture, r, NULL, 0, NULL};
    gw_buf_t out = GW_BUF_INIT;
    gw_buf_append(&out, "SENTINEL", 8);
    const char *desc = NULL;
    size_t off = 0;
    int ch = -1;
    int rc = gw_json_rewrite(in, strlen(in), p, ed, ned, &v, &out, &ch, &desc, &off);
    if (rc == 0 && ch == 0)
        assert_true(out.len == 8 && memcmp(out.base, "SENTINEL", 8) == 0); /* untouched when unchanged */
    if (rc != 0)
        assert_non_null(desc);
    if (changed)
        *changed = ch;
    if (res)
        *res = rc == 0 ? strdup(ch ? out.base : in) : NULL;
    gw_buf_free(&out);
    return rc;
}

void rec_expect_rewrite(const char *in, const gw_json_paths_t *p, const gw_json_edit_t *ed, size_t ned, int mode, const char *want)
{
    rec_t r;
    memset(&r, 0, sizeof(r));
    r.mode = mode;
    char *res = NULL;
    int changed;
    int rc = rec_rewrite(in, p, ed, ned, &r, &res, &changed);
    if (rc != 0)
        fail_msg("rewrite of %s failed: %d", in, rc);
    assert_string_equal(res, want);
    assert_int_equal(changed, strcmp(in, want) != 0);
    /* whatever we produce must be valid JSON for jansson too */
    json_error_t je;
    json_t *j = json_loads(res, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (j == NULL)
        fail_msg("jansson rejects output %s: %s", res, je.text);
    json_decref(j);
    free(res);
}
