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
        gw_json_visitor_t v = {on_notrain_string, on_notrain_capture, &ctx, NULL, trusted ? GW_JSON_V_TRUSTED : 0, NULL};
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
 * escaped for it. Prose that merely starts with `{` or `[` does not validate and is restored as it is. The guess for
 * a request that declares no output mode. */
static int text_is_json(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i < len && (s[i] == '{' || s[i] == '[') && gw_json_validate(s, len, NULL, NULL) == 0;
}

/* 1 when the path text `path` ("choices[0].delta.content") matches `pat`, where "[]" in `pat` stands for any array
 * index ("choices[].delta.content"). */
static int path_is(const char *path, const char *pat)
{
    while (*pat != '\0') {
        if (pat[0] == '[' && pat[1] == ']') {
            if (*path++ != '[' || !(*path >= '0' && *path <= '9'))
                return 0;
            while (*path >= '0' && *path <= '9')
                path++;
            if (*path++ != ']')
                return 0;
            pat += 2;
            continue;
        }
        if (*path++ != *pat++)
            return 0;
    }
    return *path == '\0';
}

/* The answer's own text in each wire format (the strings that are JSON text when the request declared a JSON output
 * mode), as opposed to reasoning, refusals and summaries (prose in any mode). OpenAI chat message / delta content;
 * Responses output_text parts: `output[].content[].text` in the answer, and in the stream the `delta` of
 * response.output_text.delta, the `text` of response.output_text.done, content_part.added/done `part.text`,
 * output_item.added/done `item.content[].text`, and the response of response.completed / .incomplete (OpenAI API
 * reference, "Streaming events"); Anthropic text blocks (`content[].text`, content_block_start `content_block.text`,
 * text_delta `delta.text`); Gemini `candidates[].content.parts[].text` (a thought summary part is prose: not told
 * apart, its path is the same; docs/internals/privacy.md). A Responses event whose name says reasoning
 * (response.reasoning_summary_part.added carries `part.text`) is prose. */
static int path_is_answer(const char *event, size_t event_len, const char *path)
{
    /* a Responses event about reasoning (response.reasoning_summary_part.added: `part.text`) is prose */
    if (event != NULL && event_len >= 9 && memmem(event, event_len, "reasoning", 9) != NULL)
        return 0;
    static const char *const paths[] = {"choices[].message.content",
                                        "choices[].delta.content",
                                        "output[].content[].text",
                                        "part.text",
                                        "item.content[].text",
                                        "response.output[].content[].text",
                                        "content[].text",
                                        "content_block.text",
                                        "delta.text",
                                        "candidates[].content.parts[].text"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        if (path_is(path, paths[i]))
            return 1;
    if (event == NULL)
        return 0;
    if (strcmp(path, "delta") == 0)
        return event_len == 26 && memcmp(event, "response.output_text.delta", 26) == 0;
    if (strcmp(path, "text") == 0)
        return event_len == 25 && memcmp(event, "response.output_text.done", 25) == 0;
    return 0;
}

/* 1 when a value restored into the string at `path` of the event named `event` must be escaped for JSON: tool-call
 * arguments always; the answer's text when the request declared JSON output; with no mode declared, a whole string
 * that is one JSON object or array (the guess of session 8). */
static int restore_escapes(int output_mode, const char *event, size_t event_len, const char *path, const char *s, size_t len)
{
    if (path_holds_json(event, event_len, path))
        return 1;
    if (output_mode == GW_OUTPUT_JSON)
        return path_is_answer(event, event_len, path);
    if (output_mode == GW_OUTPUT_TEXT)
        return 0;
    return memchr(s, '<', len) != NULL && text_is_json(s, len);
}

int gw_privacy_restore_text(void *session, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    return gw_privacy_restore_event_text(session, NULL, 0, path, s, len, out);
}

int gw_privacy_restore_event_text(void *session, const char *event, size_t event_len, const char *path, const char *s, size_t len,
                                  gw_buf_t *out)
{
    return gw_privacy_restore_piece(session, GW_OUTPUT_UNDECLARED, event, event_len, path, s, len, out);
}

/* Appends the value of every session token in s[0, len) to `out` escaped as the body of a JSON string literal, the
 * rest as it is. `sep`: the character that stands for the token's last '_' (scrub_output_json's disguise), or '_'.
 * @return 1 when a token was replaced, 0 none, GW_E_INTERNAL on allocation failure. */
static int restore_escaped(const pol_pii_session_t *ss, char sep, const char *s, size_t len, gw_buf_t *out)
{
    int changed = 0;
    size_t run = 0;
    char tok[POL_RESTORE_MAX_TOKEN];
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '<')
            continue;
        size_t tl;
        const char *t = s + i;
        if (sep == '_') {
            tl = pol_pii_token_len(s + i, len - i);
        } else {
            /* "<" [A-Z][A-Z0-9_]* sep [1-9][0-9]* ">" -> the token with '_' for sep */
            size_t j = i + 1, k;
            while (j < len && ((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= '0' && s[j] <= '9') || s[j] == '_'))
                j++;
            if (j >= len || s[j] != sep || j - i + 2 > sizeof(tok))
                continue;
            for (k = j + 1; k < len && s[k] >= '0' && s[k] <= '9'; k++)
                ;
            if (k >= len || s[k] != '>' || k - i + 1 > sizeof(tok))
                continue;
            tl = k - i + 1;
            memcpy(tok, s + i, tl);
            tok[j - i] = '_';
            t = tok;
            if (pol_pii_token_len(t, tl) != tl)
                continue;
        }
        const char *val;
        size_t vl;
        if (tl == 0 || pol_pii_session_lookup(ss, t, tl, &val, &vl) != 0)
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
    if (gw_buf_append(out, s + run, len - run) != 0)
        return GW_E_INTERNAL;
    return changed;
}

int gw_privacy_restore_piece(const pol_pii_session_t *ss, int output_mode, const char *event, size_t event_len, const char *path,
                             const char *s, size_t len, gw_buf_t *out)
{
    if (!restore_escapes(output_mode, event, event_len, path, s, len))
        return pol_pii_session_restore(ss, s, len, out);
    /* inside JSON text: escape each value as the body of a JSON string literal */
    gw_buf_reset(out);
    return restore_escaped(ss, '_', s, len, out);
}

/* Characters that may stand for a token's last '_' while the output scan runs (scrub_output_json): none is in a token,
 * a redaction marker (`<TYPE>`, `<TYPE:hex>`) or a mask's stars and '@'; the one used is absent from the text. */
static const char disguise_seps[] = "~^|`!#$%&+=?;-";

/* pol_pii_session_scrub_output() for text that is JSON (a structured answer, or a piece of one; tool-call arguments):
 * the scan restores the session's tokens raw, and a value with a quote, backslash or line break breaks that JSON. The
 * scan is kept (policy/pii owns it) and the restore redone: each of the session's tokens is disguised as a text of the
 * same length that is no token (its last '_' replaced by a separator the text does not hold), so the scan sees the same
 * bytes in the same places (its finding offsets hold) and restores nothing; the disguised tokens in its output then get
 * their values escaped for a JSON string literal. A cut the scan put inside a disguised token (a streamed piece) is moved
 * back to the token's start, as the scan does for a token it knows. Differences to the scan of plain text: an entity the
 * scanner finds overlapping a placeholder is acted on (it cannot be, in the built-in recognizers' grammar: `<`, capitals,
 * digits) and the placeholder then stays unrestored. @return as pol_pii_session_scrub_output(), GW_E_INTERNAL on
 * allocation failure. */
static int scrub_output_json(pol_pii_session_t *ss, pol_pii_scratch_t *scratch, const char *field, const char *s, size_t len,
                             int final, size_t *emit, gw_buf_t *out)
{
    size_t ntok = 0, first = len;
    for (const char *p = memchr(s, '<', len); p != NULL; p = memchr(p + 1, '<', len - (size_t)(p + 1 - s))) {
        size_t tl = pol_pii_token_len(p, len - (size_t)(p - s));
        const char *v;
        size_t vl;
        if (tl != 0 && pol_pii_session_lookup(ss, p, tl, &v, &vl) == 0) {
            if (ntok++ == 0)
                first = (size_t)(p - s);
        }
    }
    char sep = 0;
    for (const char *c = disguise_seps; *c != '\0' && ntok != 0; c++)
        if (memchr(s, *c, len) == NULL) {
            sep = *c;
            break;
        }
    if (ntok == 0 || sep == 0) { /* no token: nothing is restored; no free separator (never in practice): as before */
        int r = pol_pii_session_scrub_output(ss, scratch, field, s, len, final, emit, out);
        return r < 0 ? GW_E_INTERNAL : r;
    }
    gw_buf_t dis = GW_BUF_INIT, scanned = GW_BUF_INIT;
    int rc = GW_E_INTERNAL;
    if (gw_buf_append(&dis, s, len) != 0)
        goto done;
    for (size_t i = first; i < len; i++) {
        if (s[i] != '<')
            continue;
        size_t tl = pol_pii_token_len(s + i, len - i);
        const char *v;
        size_t vl;
        if (tl != 0 && pol_pii_session_lookup(ss, s + i, tl, &v, &vl) == 0) {
            size_t u = i + tl - 1;
            while (s[u] != '_')
                u--;
            dis.base[u] = sep;
            i += tl - 1;
        }
    }
    int src = pol_pii_session_scrub_output(ss, scratch, field, dis.base, len, final, emit, &scanned);
    if (src < 0)
        goto done;
    if (src == 0) {
        gw_buf_reset(&scanned);
        if (gw_buf_append(&scanned, dis.base, *emit) != 0)
            goto done;
    }
    /* a cut inside a disguised token: hold the whole token back (when the scan left its head as it was) */
    if (*emit < len) {
        size_t a = *emit;
        while (a > 0 && dis.base[a] != '<' && *emit - a < POL_RESTORE_MAX_TOKEN)
            a--;
        size_t head = *emit - a, tl = dis.base[a] == '<' ? pol_pii_token_len(s + a, len - a) : 0;
        const char *v;
        size_t vl;
        if (tl > head && head > 0 && pol_pii_session_lookup(ss, s + a, tl, &v, &vl) == 0 && scanned.len >= head &&
            memcmp(scanned.base + scanned.len - head, dis.base + a, head) == 0) {
            scanned.len -= head;
            *emit = a;
        }
    }
    gw_buf_reset(out);
    rc = restore_escaped(ss, sep, scanned.base != NULL ? scanned.base : "", scanned.len, out) < 0 ? GW_E_INTERNAL : 1;
done:
    gw_buf_free(&dis);
    gw_buf_free(&scanned);
    return rc;
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
    return i >= 0 && pv->resp_json_paths[i] != NULL ? pv->resp_sse_paths[i] : NULL; /* resp_json_paths: scan_responses */
}

const gw_json_paths_t *gw_privacy_text_paths(const gw_privacy_t *pv, const prov_adapter_t *a)
{
    int i = adapter_index(pv, a);
    return i >= 0 ? pv->resp_sse_paths[i] : NULL;
}

int gw_privacy_scan_piece(pol_pii_session_t *ss, pol_pii_scratch_t *scratch, int output_mode, const char *event, size_t event_len,
                          const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out)
{
    if (restore_escapes(output_mode, event, event_len, path, s, len))
        return scrub_output_json(ss, scratch, path, s, len, final, emit, out);
    int rc = pol_pii_session_scrub_output(ss, scratch, path, s, len, final, emit, out);
    return rc < 0 ? GW_E_INTERNAL : rc;
}

/* Whether `skip` declares the string at `path` of the event named `ev` (`nl` bytes) no text. */
static int event_skips(const prov_out_event_skip_t *skip, const char *ev, size_t nl, const char *path)
{
    for (const prov_out_event_skip_t *k = skip; k != NULL && k->event != NULL; k++)
        if (strlen(k->event) == nl && memcmp(k->event, ev, nl) == 0 && strcmp(k->path, path) == 0)
            return 1;
    return 0;
}

int gw_privacy_scan_output(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out)
{
    gw_privacy_output_t *o = ctx;
    size_t nl = 0;
    const char *ev = o->stream != NULL ? pol_restore_stream_event(o->stream, &nl) : NULL;
    if (nl != 0 && event_skips(o->skip_events, ev, nl, path)) {
        /* declared no text for this event: restored only, as the path rules' skips are (policy/restore.c) */
        *emit = final ? len : len - pol_restore_token_prefix_len(s, len);
        if (memchr(s, '<', *emit) == NULL)
            return 0;
        int rc = gw_privacy_restore_piece(o->session, o->output_mode, ev, nl, path, s, *emit, out);
        return rc < 0 ? GW_E_INTERNAL : rc;
    }
    return gw_privacy_scan_piece(o->session, o->scratch, o->output_mode, ev, nl, path, s, len, final, emit, out);
}

int gw_privacy_restore_cb(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    gw_privacy_output_t *o = ctx;
    size_t nl = 0;
    const char *ev = o->stream != NULL ? pol_restore_stream_event(o->stream, &nl) : NULL;
    return gw_privacy_restore_piece(o->session, o->output_mode, ev, nl, path, s, len, out);
}

typedef struct st_restore_ctx_t {
    pol_pii_session_t *session;
    gw_privacy_output_t *scan;     /* NULL: restore only */
    int output_mode;               /* GW_OUTPUT_* of the request */
    const char *const *media_urls; /* the adapter's output_media_urls: links to generated files, restored only */
} restore_ctx_t;

static int on_response_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement)
{
    restore_ctx_t *c = ctx;
    if (rule_id == 1 && c->scan != NULL && !prov_output_media_url(c->media_urls, s, len)) {
        size_t emit;
        return gw_privacy_scan_piece(c->session, c->scan->scratch, c->output_mode, NULL, 0, path, s, len, 1, &emit, replacement);
    }
    if (memchr(s, '<', len) == NULL)
        return 0;
    int rc = gw_privacy_restore_piece(c->session, c->output_mode, NULL, 0, path, s, len, replacement);
    return rc < 0 ? GW_E_INTERNAL : rc;
}

/* An object key of an answer (Gemini functionCall.args, Anthropic tool_use input, a JSON output's members): keys are
 * the provider's schema or tool-call arguments, restored, never scanned (docs/config.md "Model output"). */
static int on_response_key(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement)
{
    (void)rule_id;
    return on_response_string(ctx, 0, path, s, len, replacement);
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
    return gw_privacy_response_json(pv, s, NULL, session, GW_OUTPUT_UNDECLARED, body, len, out, changed);
}

int gw_privacy_response_json(const gw_privacy_t *pv, gw_privacy_scratch_t *s, const prov_adapter_t *scan_adapter,
                             pol_pii_session_t *session, int output_mode, const char *body, size_t len, gw_buf_t *out, int *changed)
{
    *changed = 0;
    int ai = scan_adapter != NULL ? adapter_index(pv, scan_adapter) : -1;
    gw_privacy_output_t o = {session, s->pii, NULL, output_mode, NULL}; /* a JSON answer: no events */
    restore_ctx_t ctx = {session, ai >= 0 && pv->resp_json_paths[ai] != NULL ? &o : NULL, output_mode,
                         scan_adapter != NULL ? scan_adapter->output_media_urls : NULL};
    gw_json_visitor_t v = {on_response_string, NULL, &ctx, on_response_key, 0, NULL};
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
