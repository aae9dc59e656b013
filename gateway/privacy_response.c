/*
 * The privacy stage's no-training pass and response side (see privacy.h): the no-training
 * decision's JSON walk, placeholder restore in JSON answers and SSE text (escaped for strings that
 * hold JSON), and pii.scan_responses (scrubbing PII the model produced). The request side and the
 * object's creation are in privacy.c.
 */
#include "gateway/privacy.h"
#include "gateway/privacy_internal.h"

#include <string.h>

typedef struct st_notrain_ctx_t {
    pol_notrain_decision_t *d;
    int failed;
} notrain_ctx_t;

static int on_notrain_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement)
{
    notrain_ctx_t *c = ctx;
    int rc = pol_notrain_on_string(c->d, rule_id, s, len, replacement);
    if (rc < 0)
        c->failed = 1;
    return rc;
}

static void on_notrain_capture(void *ctx, int rule_id, const char *raw, size_t len, int type)
{
    notrain_ctx_t *c = ctx;
    pol_notrain_on_capture(c->d, rule_id, raw, len, type);
}

const pol_notrain_t *gw_privacy_notrain_table(const gw_privacy_t *pv)
{
    return pv->notrain;
}

int gw_privacy_notrain(const gw_privacy_t *pv, gw_privacy_scratch_t *s, const prov_adapter_t *up, const pol_notrain_input_t *in,
                       const char *body, size_t len, int trusted, const gw_json_edit_t *extra, size_t nextra,
                       pol_notrain_decision_t *d, gw_buf_t *out, int *changed, const char **err_desc)
{
    *changed = 0;
    if (pol_notrain_begin(pv->notrain, in, d) == POL_NOTRAIN_REFUSED)
        return POL_NOTRAIN_REFUSED;
    const gw_json_paths_t *paths = NULL;
    for (size_t i = 0; i < pv->nadapters; i++)
        if (pv->adapters[i] == up)
            paths = pv->notrain_paths[i];
    size_t nedits = d->nedits + nextra;
    if (len != 0 && (paths != NULL || nedits != 0)) {
        gw_json_edit_t edits[POL_NOTRAIN_MAX_EDITS + 4];
        if (nedits > sizeof(edits) / sizeof(edits[0]))
            nedits = sizeof(edits) / sizeof(edits[0]);
        memcpy(edits, d->edits, d->nedits * sizeof(edits[0]));
        memcpy(edits + d->nedits, extra, (nedits - d->nedits) * sizeof(edits[0]));
        notrain_ctx_t ctx = {d, 0};
        gw_json_visitor_t v = {on_notrain_string, on_notrain_capture, &ctx, NULL, trusted ? GW_JSON_V_TRUSTED : 0};
        int rc = gw_json_rewrite_ex(body, len, paths, edits, nedits, &v, out, changed, err_desc, NULL, &s->json);
        if (ctx.failed)
            return GW_E_INTERNAL;
        if (rc != 0)
            return rc;
    }
    return pol_notrain_end(d);
}

/* Strings whose content is itself JSON text: a restored value must be escaped for it. Tool-call arguments: OpenAI chat
 * `tool_calls[].function.arguments` and Responses `output[].arguments` / `item.arguments` (`.arguments`), the top-level
 * `arguments` of the Responses `*_arguments.done` events, Anthropic `input_json_delta.partial_json`; and the `delta` of
 * the Responses `response.function_call_arguments.delta` / `response.mcp_call_arguments.delta` events (OpenAI API
 * reference, "Streaming events"; docs/providers/openai.md), told apart from the prose `delta` of
 * `response.output_text.delta` by the event's name. */
static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static int path_holds_json(const char *event, size_t event_len, const char *path)
{
    size_t n = strlen(path);
    if (ends_with(path, n, ".arguments") || ends_with(path, n, ".partial_json") || strcmp(path, "arguments") == 0)
        return 1;
    return strcmp(path, "delta") == 0 && event != NULL && ends_with(event, event_len, "_arguments.delta");
}

/* A string that is itself one JSON object or array (a structured-output answer: OpenAI `response_format` json_schema /
 * json_object, Responses `text.format`, Gemini `responseMimeType: application/json`, an app's "answer in JSON"): a
 * placeholder can only stand inside one of its string literals (`<` starts no JSON value), so a restored value must be
 * escaped for it. Prose that merely starts with `{` or `[` does not validate and is restored as it is. */
static int text_is_json(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i < len && (s[i] == '{' || s[i] == '[') && gw_json_validate(s, len, NULL, NULL) == 0;
}

int gw_privacy_restore_text(void *session, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    return gw_privacy_restore_event_text(session, NULL, 0, path, s, len, out);
}

int gw_privacy_restore_event_text(void *session, const char *event, size_t event_len, const char *path, const char *s, size_t len,
                                  gw_buf_t *out)
{
    const pol_pii_session_t *ss = session;
    if (!path_holds_json(event, event_len, path) && (memchr(s, '<', len) == NULL || !text_is_json(s, len)))
        return pol_pii_session_restore(ss, s, len, out);
    /* inside embedded JSON: escape each value as the body of a JSON string literal */
    int changed = 0;
    size_t run = 0;
    gw_buf_reset(out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '<')
            continue;
        size_t tl = pol_pii_token_len(s + i, len - i);
        const char *val;
        size_t vl;
        if (tl == 0 || pol_pii_session_lookup(ss, s + i, tl, &val, &vl) != 0)
            continue;
        gw_buf_t lit = GW_BUF_INIT;
        if (gw_buf_append(out, s + run, i - run) != 0 || gw_json_escape(val, vl, &lit) != 0 ||
            gw_buf_append(out, lit.base + 1, lit.len - 2) != 0) { /* without the quotes */
            gw_buf_free(&lit);
            return GW_E_INTERNAL;
        }
        gw_buf_free(&lit);
        changed = 1;
        i += tl - 1;
        run = i + 1;
    }
    if (!changed)
        return 0;
    return gw_buf_append(out, s + run, len - run) == 0 ? 1 : GW_E_INTERNAL;
}

static int adapter_index(const gw_privacy_t *pv, const prov_adapter_t *a)
{
    for (size_t i = 0; i < pv->nadapters; i++)
        if (pv->adapters[i] == a)
            return (int)i;
    return -1;
}

const gw_json_paths_t *gw_privacy_output_paths(const gw_privacy_t *pv, const prov_adapter_t *a)
{
    int i = adapter_index(pv, a);
    return i >= 0 ? pv->resp_sse_paths[i] : NULL;
}

int gw_privacy_scan_output(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out)
{
    gw_privacy_output_t *o = ctx;
    return pol_pii_session_scrub_output(o->session, o->scratch, path, s, len, final, emit, out);
}

int gw_privacy_restore_cb(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    gw_privacy_output_t *o = ctx;
    size_t nl = 0;
    const char *ev = o->stream != NULL ? pol_restore_stream_event(o->stream, &nl) : NULL;
    return gw_privacy_restore_event_text(o->session, ev, nl, path, s, len, out);
}

typedef struct st_restore_ctx_t {
    pol_pii_session_t *session;
    gw_privacy_output_t *scan; /* NULL: restore only */
} restore_ctx_t;

static int on_response_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement)
{
    restore_ctx_t *c = ctx;
    if (rule_id == 1 && c->scan != NULL) {
        size_t emit;
        int rc = pol_pii_session_scrub_output(c->session, c->scan->scratch, path, s, len, 1, &emit, replacement);
        return rc < 0 ? GW_E_INTERNAL : rc;
    }
    if (memchr(s, '<', len) == NULL)
        return 0;
    int rc = gw_privacy_restore_text(c->session, path, s, len, replacement);
    return rc < 0 ? GW_E_INTERNAL : rc;
}

int gw_privacy_response_text(const gw_privacy_t *pv, gw_privacy_scratch_t *s, const prov_adapter_t *scan_adapter,
                             pol_pii_session_t *session, const char *body, size_t len, gw_buf_t *out, int *changed)
{
    *changed = 0;
    int ai = scan_adapter != NULL ? adapter_index(pv, scan_adapter) : -1;
    int rc;
    gw_buf_reset(out);
    if (ai >= 0 && pv->resp_json_paths[ai] != NULL) {
        size_t emit = 0;
        rc = pol_pii_session_scrub_output(session, s->pii, "text", body, len, 1, &emit, out);
    } else {
        rc = memchr(body, '<', len) != NULL ? pol_pii_session_restore(session, body, len, out) : 0;
    }
    if (rc < 0)
        return GW_E_INTERNAL;
    *changed = rc == 1;
    return 0;
}

int gw_privacy_restore_json(const gw_privacy_t *pv, gw_privacy_scratch_t *s, pol_pii_session_t *session, const char *body,
                            size_t len, gw_buf_t *out, int *changed)
{
    return gw_privacy_response_json(pv, s, NULL, session, body, len, out, changed);
}

int gw_privacy_response_json(const gw_privacy_t *pv, gw_privacy_scratch_t *s, const prov_adapter_t *scan_adapter,
                             pol_pii_session_t *session, const char *body, size_t len, gw_buf_t *out, int *changed)
{
    *changed = 0;
    int ai = scan_adapter != NULL ? adapter_index(pv, scan_adapter) : -1;
    gw_privacy_output_t o = {session, s->pii, NULL};
    restore_ctx_t ctx = {session, ai >= 0 && pv->resp_json_paths[ai] != NULL ? &o : NULL};
    gw_json_visitor_t v = {on_response_string, NULL, &ctx, on_response_string, 0};
    int rc = gw_json_rewrite_ex(body, len, ctx.scan != NULL ? pv->resp_json_paths[ai] : pv->restore_paths, NULL, 0, &v, out,
                                changed, NULL, NULL, &s->json);
    if (rc == GW_JSON_E_SYNTAX || rc == GW_JSON_E_DEPTH || rc == GW_JSON_E_UTF8) {
        *changed = 0;
        /* not JSON: with an output scan its text cannot be scanned, so it is not sent (fail closed; so is an SSE
         * event's, restore.c); without one it passes as it came (nothing of the session's can be restored in it) */
        return ctx.scan != NULL ? GW_E_RESTORE_UNSCANNABLE : 0;
    }
    if (rc < 0) {
        /* a visitor could not finish (a restore or scan failed: allocation). This was once taken for "not JSON" and
         * the answer went out with its placeholders (the restore's -1 is no JSON code): the caller answers an error */
        *changed = 0;
        return GW_E_INTERNAL;
    }
    return 0;
}
