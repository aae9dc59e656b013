/*
 * Fuzz target for gw_json_rewrite(). Byte 0 selects edits, the rest is the document.
 * Invariants: no crash or sanitizer report; with an all-strings SCAN rule that upper-cases every
 * string and the selected edits, a successful rewrite re-parses with jansson and equals the same
 * transformation done on jansson's parse of the input (when jansson accepts the input); with an
 * EMBEDDED rule the output is still valid JSON for both parsers; with every key also rewritten (keys with
 * a digit become "K", so they collide) and GW_JSON_V_UNIQUE_KEYS, a success means jansson's
 * duplicate-rejecting parser accepts both the input and the output (duplicates refused, rewritten keys unique);
 * gw_json_validate (the lean validator) and the walker agree on every input; with GW_JSON_V_TRUSTED a valid document
 * is rewritten as without it, and no input is read out of bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "common/json.h"
#include "support/support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const gw_json_edit_t all_edits[] = {
    {"metadata", NULL, 0},
    {"store", "false", 0},
    {"stream_options.include_usage", "true", 0},
    {"model", "\"m\"", 1},
};

/* Applies the edits to a jansson object; returns 0, or -1 when an intermediate is not an object. */
static int apply_edits(json_t *o, const gw_json_edit_t *ed, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ed[i].path, "stream_options.include_usage") == 0) {
            json_t *so = json_object_get(o, "stream_options");
            if (so == NULL) {
                so = json_object();
                json_object_set_new(o, "stream_options", so);
            }
            if (!json_is_object(so))
                return -1;
            json_object_set_new(so, "include_usage", json_true());
        } else if (ed[i].value_json == NULL) {
            json_object_del(o, ed[i].path);
        } else if (!ed[i].only_if_absent || json_object_get(o, ed[i].path) == NULL) {
            json_object_set_new(o, ed[i].path, json_loads(ed[i].value_json, JSON_DECODE_ANY, NULL));
        }
    }
    return 0;
}

/* Keys holding a digit become "K": several in one object collide and must be made unique. */
static int key_k(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    (void)ctx;
    (void)rule_id;
    (void)path;
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return gw_buf_append(repl, "K", 1) == 0 ? 1 : -1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gw_json_paths_t *scan_all, *embedded;
    if (scan_all == NULL) {
        gw_json_rule_t r1[] = {{"**", GW_JSON_SCAN, 1}, {"model", GW_JSON_CAPTURE, 2}};
        gw_json_rule_t r2[] = {{"**", GW_JSON_EMBEDDED, 1}, {"*.*", GW_JSON_CAPTURE, 2}};
        scan_all = gw_json_paths_compile(r1, 2, NULL, 0);
        embedded = gw_json_paths_compile(r2, 2, NULL, 0);
    }
    if (size < 1 || size > 65536)
        return 0;
    gw_json_edit_t ed[4];
    size_t ned = 0;
    for (size_t i = 0; i < 4; i++)
        if (data[0] & (1u << i))
            ed[ned++] = all_edits[i];
    const char *doc = (const char *)data + 1;
    size_t len = size - 1;
    gw_json_visitor_t v = {ts_json_upper, NULL, NULL, NULL, 0, NULL};
    gw_buf_t out = GW_BUF_INIT;
    int changed;
    const char *desc;
    size_t off;
    int rc = gw_json_rewrite(doc, len, scan_all, ed, ned, &v, &out, &changed, &desc, &off);
    if (ned == 0) {
        /* gw_json_validate's lean validator and the walker (every value reached by "**") agree: result, description,
           offset */
        const char *vdesc = NULL;
        size_t voff = 0;
        int vrc = gw_json_validate(doc, len, &vdesc, &voff);
        if (vrc != rc || (rc != 0 && (strcmp(vdesc, desc) != 0 || voff != off)))
            abort();
    }
    if (rc == 0) {
        if (gw_json_validate(doc, len, NULL, NULL) != 0)
            abort(); /* rewrite accepted what validate rejects */
        const char *res = changed ? out.base : doc;
        size_t rlen = changed ? out.len : len;
        if (gw_json_validate(res, rlen, NULL, NULL) != 0)
            abort();
        json_t *in = json_loadb(doc, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (in != NULL) {
            json_t *got = json_loadb(res, rlen, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
            if (got == NULL)
                abort();
            json_t *want = ts_json_upper_all(in);
            if (ned == 0 || apply_edits(want, ed, ned) == 0) {
                if (!json_equal(want, got))
                    abort();
            }
            json_decref(want);
            json_decref(got);
            json_decref(in);
        }
    } else if (off > len || desc == NULL) {
        abort();
    }
    rc = gw_json_rewrite(doc, len, embedded, NULL, 0, &v, &out, &changed, &desc, &off);
    if (rc == 0 && changed) {
        if (gw_json_validate(out.base, out.len, NULL, NULL) != 0)
            abort();
        json_t *got = json_loadb(out.base, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        json_t *in = json_loadb(doc, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (in != NULL && got == NULL)
            abort();
        json_decref(in);
        json_decref(got);
    }
    static gw_json_paths_t *keys;
    if (keys == NULL) {
        gw_json_rule_t r3[] = {{"**", GW_JSON_EMBEDDED | GW_JSON_KEYS, 1}};
        keys = gw_json_paths_compile(r3, 1, NULL, 0);
    }
    gw_json_visitor_t vk = {ts_json_upper, NULL, NULL, key_k, GW_JSON_V_UNIQUE_KEYS, NULL};
    rc = gw_json_rewrite(doc, len, keys, NULL, 0, &vk, &out, &changed, &desc, &off);
    if (rc == 0) {
        json_t *in = json_loadb(doc, len, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, NULL);
        json_t *any = json_loadb(doc, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (any != NULL && in == NULL)
            abort(); /* a top-level duplicate passed */
        const char *res = changed ? out.base : doc;
        size_t rlen = changed ? out.len : len;
        json_t *got = json_loadb(res, rlen, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, NULL);
        if (in != NULL && got == NULL)
            abort(); /* rewritten keys collide */
        json_decref(in);
        json_decref(any);
        json_decref(got);
    } else if (rc != GW_JSON_E_DUPKEY && gw_json_validate(doc, len, NULL, NULL) == 0 && rc != GW_JSON_E_DEPTH) {
        abort(); /* valid JSON refused for another reason */
    }
    /* GW_JSON_V_TRUSTED (values no rule or edit reaches are stepped over, not validated): on a document the walker
       accepts, the same result and output; on any other, no read outside the input (ASan) */
    static gw_json_paths_t *sparse;
    if (sparse == NULL) {
        gw_json_rule_t r4[] = {
            {"model", GW_JSON_CAPTURE, 2}, {"usage.*", GW_JSON_CAPTURE, 3}, {"messages.*.content", GW_JSON_SCAN, 1}};
        sparse = gw_json_paths_compile(r4, 3, NULL, 0);
    }
    gw_json_visitor_t vt = {ts_json_upper, NULL, NULL, NULL, GW_JSON_V_TRUSTED, NULL};
    gw_buf_t out2 = GW_BUF_INIT;
    int changed2 = 0;
    rc = gw_json_rewrite(doc, len, sparse, ed, ned, &v, &out, &changed, NULL, NULL);
    int rc2 = gw_json_rewrite(doc, len, sparse, ed, ned, &vt, &out2, &changed2, NULL, NULL);
    if (gw_json_validate(doc, len, NULL, NULL) == 0 &&
        (rc != rc2 || (rc == 0 && (changed != changed2 || (changed && !ts_buf_equal(&out, &out2))))))
        abort();
    gw_buf_free(&out2);
    gw_buf_free(&out);
    return 0;
}
