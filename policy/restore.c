/*
 * Streaming token restorer for SSE responses (see restore.h and docs/internals/json.md).
 *
 * Bytes go through gw_sse; each event whose data is a JSON object goes through gw_json_rewrite
 * with one "**" SCAN rule, so every string value reaches on_string with its path. Per path the
 * stream keeps at most one hold: the trailing bytes of the last piece that could still grow into a
 * token (`<EMAIL_`). The next piece at the same path gets the hold prepended before it is restored.
 * Nothing else is delayed, so the client sees each event as soon as upstream sends it.
 *
 * State changes of an event are collected while its JSON is walked and committed afterwards,
 * because whether the event terminates the stream (finish_reason, message_stop, ...) is only known
 * at the end of the walk: a terminating event is then walked again without holding anything back,
 * and before it goes out every other pending hold is flushed by re-sending the last event that
 * carried its path with the held text in place of the string.
 *
 * Scan stage (pii.scan_responses, restore.h): strings at the extra scan paths go to the scan
 * callback, which decides how much to hold back (up to POL_RESTORE_MAX_HOLD bytes) and restores
 * tokens itself. Because a scan records findings, an event is first walked in MODE_PROBE (captures
 * only) to learn whether it terminates, so that each string is scanned exactly once.
 */
#include "policy/restore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"

enum { MODE_NORMAL, MODE_FINAL, MODE_REEMIT, MODE_PROBE };
enum { RULE_TEXT = 0, RULE_TYPE = 1, RULE_FINISH = 2, RULE_INDEX = 3, RULE_SCAN = 4, RULE_WHOLE = 5 };

/* The stream's own rules; scan rules go first so that they win over "**" (common/json.h: first SCAN rule). */
static const gw_json_rule_t base_rules[] = {
    {"**", GW_JSON_SCAN | GW_JSON_KEYS, RULE_TEXT},
    {"type", GW_JSON_CAPTURE, RULE_TYPE},
    {"choices.*.finish_reason", GW_JSON_CAPTURE, RULE_FINISH},
    {"candidates.*.finishReason", GW_JSON_CAPTURE, RULE_FINISH},
    {"delta.stop_reason", GW_JSON_CAPTURE, RULE_FINISH},
    {"choices.*.index", GW_JSON_CAPTURE, RULE_INDEX},
};
#define NBASE (sizeof(base_rules) / sizeof(base_rules[0]))
#define MAX_SCAN_RULES 64
#define MAX_SKIP_RULES 128

typedef struct st_hold_t {
    gw_buf_t path;
    char text[POL_RESTORE_MAX_HOLD];
    size_t len; /* 0 = inactive entry */
    gw_buf_t data, name, id;
    int has_id;
    unsigned long long seq;
} hold_t;

typedef struct st_update_t {
    size_t path_off, path_len;
    char text[POL_RESTORE_MAX_HOLD];
    size_t len;
} update_t;

struct st_pol_restore_stream_t {
    pol_restore_text_cb cb;
    pol_restore_scan_cb scan; /* NULL: no scan stage */
    void *ctx;
    void (*on_event)(void *ctx, const gw_sse_event_t *ev);
    void *ev_ctx;
    gw_sse_parser_t sse;
    gw_json_paths_t *paths;            /* base_rules, owned */
    const gw_json_paths_t *use;        /* paths, or the scan stage's (borrowed) */
    const gw_json_paths_t *text_paths; /* restore only: the format's streamed-text rules for re-sends (borrowed; NULL: none) */
    gw_json_scratch_t scratch;
    gw_buf_t json, json2, text, restored, upd_paths, *out; /* json2: re-sends, so a flush keeps json */
    hold_t *holds;
    size_t nholds, cap_holds;
    update_t *upd;
    size_t nupd, cap_upd;
    unsigned long long seq;
    int mode, terminal, cb_rc;
    long choice_index; /* "index" of the last choice seen in the current event, -1 if none */
    gw_buf_t key;
    int prev_raw_cr, prev_was_raw; /* for a CRLF split across chunks, see emit_event() */
    const hold_t *target;          /* MODE_REEMIT */
    const char *ev_name;           /* pol_restore_stream_event(): the event whose strings are walked, NULL outside a walk */
    size_t ev_name_len;
};

/* ---------------------------------------------------------------------------------------------- */

static int is_tok_body(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

size_t pol_restore_token_prefix_len(const char *s, size_t len)
{
    size_t lo = len > POL_RESTORE_MAX_TOKEN - 1 ? len - (POL_RESTORE_MAX_TOKEN - 1) : 0;
    size_t i = len;
    while (i > lo) {
        i--;
        if (s[i] == '<')
            break;
        if (!is_tok_body((unsigned char)s[i]))
            return 0;
        if (i == lo)
            return 0;
    }
    if (i >= len || s[i] != '<')
        return 0;
    size_t n = len - i; /* "<" + body */
    if (n == 1)
        return 1;
    if (s[i + 1] < 'A' || s[i + 1] > 'Z')
        return 0;
    /* shortest completion: ">" after "_[1-9][0-9]*", "1>" after "_", else "_1>" */
    size_t need = 3, k = len;
    while (k > i + 1 && s[k - 1] >= '0' && s[k - 1] <= '9')
        k--;
    if (s[len - 1] == '_' && len - 1 > i + 1)
        need = 2;
    else if (k < len && s[k] != '0' && s[k - 1] == '_' && k - 1 > i + 1)
        need = 1;
    return n + need <= POL_RESTORE_MAX_TOKEN ? n : 0;
}

/* ---------------------------------------------------------------------------------------------- */

gw_json_paths_t *pol_restore_paths_compile(const char *const *scan_patterns, size_t n, char *err, size_t errlen)
{
    gw_json_rule_t rules[MAX_SCAN_RULES + NBASE];
    if (n > MAX_SCAN_RULES) {
        snprintf(err, errlen, "more than %d scan patterns", MAX_SCAN_RULES);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        rules[i] = (gw_json_rule_t){scan_patterns[i], GW_JSON_SCAN, RULE_SCAN};
    memcpy(rules + n, base_rules, sizeof(base_rules));
    return gw_json_paths_compile(rules, n + NBASE, err, errlen);
}

gw_json_paths_t *pol_restore_paths_compile_all(const char *const *scan_patterns, size_t n, const char *const *skip_patterns,
                                               size_t nskip, char *err, size_t errlen)
{
    gw_json_rule_t rules[MAX_SKIP_RULES + MAX_SCAN_RULES + NBASE];
    if (n > MAX_SCAN_RULES || nskip > MAX_SKIP_RULES) {
        snprintf(err, errlen, "more than %d scan or %d skip patterns", MAX_SCAN_RULES, MAX_SKIP_RULES);
        return NULL;
    }
    /* the first SCAN rule that matches a string decides (common/json.h): skips, then streamed text, then "**" */
    for (size_t i = 0; i < nskip; i++)
        rules[i] = (gw_json_rule_t){skip_patterns[i], GW_JSON_SCAN, RULE_TEXT};
    for (size_t i = 0; i < n; i++)
        rules[nskip + i] = (gw_json_rule_t){scan_patterns[i], GW_JSON_SCAN, RULE_SCAN};
    memcpy(rules + nskip + n, base_rules, sizeof(base_rules));
    rules[nskip + n].id = RULE_WHOLE; /* base_rules[0]: "**" */
    return gw_json_paths_compile(rules, nskip + n + NBASE, err, errlen);
}

pol_restore_stream_t *pol_restore_stream_create(pol_restore_text_cb cb, void *ctx)
{
    pol_restore_stream_t *rs = calloc(1, sizeof(*rs));
    if (rs == NULL)
        return NULL;
    char err[128];
    if ((rs->paths = gw_json_paths_compile(base_rules, NBASE, err, sizeof(err))) == NULL) {
        free(rs);
        return NULL;
    }
    rs->use = rs->paths;
    gw_sse_init(&rs->sse, 0);
    gw_json_scratch_t sc = GW_JSON_SCRATCH_INIT;
    rs->scratch = sc;
    rs->cb = cb;
    rs->ctx = ctx;
    return rs;
}

void pol_restore_stream_set_scan(pol_restore_stream_t *rs, const gw_json_paths_t *paths, pol_restore_scan_cb scan)
{
    rs->use = paths != NULL && scan != NULL ? paths : rs->paths;
    rs->scan = paths != NULL ? scan : NULL;
}

void pol_restore_stream_set_text(pol_restore_stream_t *rs, const gw_json_paths_t *paths)
{
    rs->text_paths = paths; /* read by re-sends only: outside them every string is restored alike (+37 % per event if not) */
}

void pol_restore_stream_reset(pol_restore_stream_t *rs, pol_restore_text_cb cb, void *ctx)
{
    gw_sse_reset(&rs->sse);
    for (size_t i = 0; i < rs->nholds; i++)
        rs->holds[i].len = 0;
    rs->nupd = 0;
    rs->seq = 0;
    rs->cb = cb;
    rs->ctx = ctx;
    rs->scan = NULL;
    rs->use = rs->paths;
    rs->text_paths = NULL;
    rs->on_event = NULL;
    rs->ev_ctx = NULL;
    rs->prev_raw_cr = rs->prev_was_raw = 0;
}

void pol_restore_stream_free(pol_restore_stream_t *rs)
{
    if (rs == NULL)
        return;
    gw_sse_dispose(&rs->sse);
    gw_json_paths_free(rs->paths);
    gw_json_scratch_free(&rs->scratch);
    gw_buf_free(&rs->json);
    gw_buf_free(&rs->json2);
    gw_buf_free(&rs->text);
    gw_buf_free(&rs->restored);
    gw_buf_free(&rs->upd_paths);
    gw_buf_free(&rs->key);
    for (size_t i = 0; i < rs->nholds; i++) {
        gw_buf_free(&rs->holds[i].path);
        gw_buf_free(&rs->holds[i].data);
        gw_buf_free(&rs->holds[i].name);
        gw_buf_free(&rs->holds[i].id);
    }
    free(rs->holds);
    free(rs->upd);
    free(rs);
}

void pol_restore_stream_on_event(pol_restore_stream_t *rs, void (*on_event)(void *ctx, const gw_sse_event_t *ev), void *ctx)
{
    rs->on_event = on_event;
    rs->ev_ctx = ctx;
}

const char *pol_restore_stream_event(const pol_restore_stream_t *rs, size_t *len)
{
    if (rs->ev_name == NULL) {
        *len = 0;
        return "";
    }
    *len = rs->ev_name_len;
    return rs->ev_name;
}

/* ---------------------------------------------------------------------------------------------- */

static hold_t *find_hold(pol_restore_stream_t *rs, const char *path)
{
    for (size_t i = 0; i < rs->nholds; i++)
        if (rs->holds[i].len && strcmp(rs->holds[i].path.base, path) == 0)
            return &rs->holds[i];
    return NULL;
}

static int is_terminal_name(const char *s, size_t n)
{
    static const char *const names[] = {"message_delta", "message_stop", "content_block_stop", "error", "done"};
    static const char *const suffixes[] = {".done", ".completed", ".incomplete", ".failed"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
            return 1;
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        size_t l = strlen(suffixes[i]);
        if (n > l && memcmp(s + n - l, suffixes[i], l) == 0)
            return 1;
    }
    return 0;
}

static void on_capture(void *ctx, int rule_id, const char *raw, size_t len, int json_type)
{
    pol_restore_stream_t *rs = ctx;
    if (rule_id == RULE_INDEX && json_type == GW_JSON_T_NUMBER) {
        long v = 0;
        for (size_t i = 0; i < len && raw[i] >= '0' && raw[i] <= '9' && v < 1000000; i++)
            v = v * 10 + (raw[i] - '0');
        rs->choice_index = v;
        return;
    }
    if (json_type != GW_JSON_T_STRING)
        return;
    if (rule_id == RULE_FINISH || (rule_id == RULE_TYPE && is_terminal_name(raw + 1, len - 2)))
        rs->terminal = 1;
}

/* A callback's return `rc`: its text (rs->restored) appended to *repl when 1; a negative one kept for walk(). */
static int cb_result(pol_restore_stream_t *rs, int rc, gw_buf_t *repl)
{
    if (rc < 0) {
        rs->cb_rc = rc;
        return rc;
    }
    if (rc == 1)
        return gw_buf_append(repl, rs->restored.base ? rs->restored.base : "", rs->restored.len) == 0 ? 1 : POL_RESTORE_E_NOMEM;
    return 0;
}

/* Text through the user's callback into *repl; returns 1 when repl holds it, 0 when s is unchanged, < 0 abort. */
static int restore_text(pol_restore_stream_t *rs, const char *path, const char *s, size_t n, gw_buf_t *repl)
{
    gw_buf_reset(&rs->restored);
    return cb_result(rs, rs->cb != NULL ? rs->cb(rs->ctx, path, s, n, &rs->restored) : 0, repl);
}

static int add_update(pol_restore_stream_t *rs, const char *path, const char *text, size_t len)
{
    if (rs->nupd == rs->cap_upd) {
        size_t cap = rs->cap_upd ? rs->cap_upd * 2 : 8;
        update_t *u = realloc(rs->upd, cap * sizeof(*u));
        if (u == NULL)
            return POL_RESTORE_E_NOMEM;
        rs->upd = u;
        rs->cap_upd = cap;
    }
    update_t *u = &rs->upd[rs->nupd];
    u->path_off = rs->upd_paths.len;
    u->path_len = strlen(path);
    if (gw_buf_append(&rs->upd_paths, path, u->path_len + 1) != 0)
        return POL_RESTORE_E_NOMEM;
    memcpy(u->text, text, len);
    u->len = len;
    rs->nupd++;
    return 0;
}

/* The hold key of a path. OpenAI streams with n > 1 send every choice at choices[0] with its "index" member (before
   "delta"), so the key of a choice path uses that index instead of the array position. */
static const char *hold_key(pol_restore_stream_t *rs, const char *path)
{
    if (rs->choice_index < 0 || strncmp(path, "choices[", 8) != 0)
        return path;
    const char *close = strchr(path, ']');
    gw_buf_reset(&rs->key);
    if (close == NULL || gw_buf_appendf(&rs->key, "choices[#%ld", rs->choice_index) != 0 ||
        gw_buf_append(&rs->key, close, strlen(close)) != 0)
        return path;
    return rs->key.base;
}

/* Text at a scan path through the scan callback: *emit bytes of t go out (replacement in repl when 1 is returned). */
static int scan_text(pol_restore_stream_t *rs, const char *path, const char *t, size_t tn, int final, size_t *emit, gw_buf_t *repl)
{
    gw_buf_reset(&rs->restored);
    *emit = tn;
    int rc = rs->scan(rs->ctx, path, t, tn, final, emit, &rs->restored);
    if (rc >= 0 && (*emit > tn || tn - *emit > POL_RESTORE_MAX_HOLD || (final && *emit != tn)))
        rc = POL_RESTORE_E_HOLD;
    return cb_result(rs, rc, repl);
}

/* The text at hold key `key`: s[0, n) with that key's held text in front (in rs->text) when there is one. Sets *t, *tn.
 * @return 1 a hold was joined, 0 none, POL_RESTORE_E_NOMEM. */
static int join_held(pol_restore_stream_t *rs, const char *key, const char *s, size_t n, const char **t, size_t *tn)
{
    hold_t *h = find_hold(rs, key);
    *t = s;
    *tn = n;
    if (h == NULL)
        return 0;
    gw_buf_reset(&rs->text);
    if (gw_buf_append(&rs->text, h->text, h->len) != 0 || gw_buf_append(&rs->text, s, n) != 0)
        return POL_RESTORE_E_NOMEM;
    *t = rs->text.base;
    *tn = rs->text.len;
    return 1;
}

/* A string held back only by a trailing possible token prefix (restored text; with a scan stage, a whole string, so
 * that a placeholder split across events is still restored): joined to its key's hold, the prefix (none in
 * MODE_FINAL) recorded as the key's next hold, the rest restored (`scan` 0) or scanned on its own, final (`scan` 1).
 * @return as on_string. */
static int hold_token_prefix(pol_restore_stream_t *rs, const char *key, const char *path, const char *s, size_t n, int scan,
                             gw_buf_t *repl)
{
    const char *t;
    size_t tn, emit;
    int held = join_held(rs, key, s, n, &t, &tn);
    if (held < 0)
        return held;
    size_t keep = rs->mode == MODE_FINAL ? 0 : pol_restore_token_prefix_len(t, tn);
    if (held || keep) {
        int rc = add_update(rs, key, t + tn - keep, keep);
        if (rc != 0)
            return rc;
    }
    int rc = scan ? scan_text(rs, path, t, tn - keep, 1, &emit, repl) : restore_text(rs, path, t, tn - keep, repl);
    if (rc < 0)
        return rc;
    if (rc == 0 && (held || keep)) {
        if (gw_buf_append(repl, t, tn - keep) != 0)
            return POL_RESTORE_E_NOMEM;
        rc = 1;
    }
    return rc;
}

/* In a re-send (MODE_REEMIT): the target's held text in place of the string, restored (`scan` 0) or scanned, final. */
static int send_target(pol_restore_stream_t *rs, const char *path, int scan, gw_buf_t *repl)
{
    size_t emit;
    int rc = scan ? scan_text(rs, path, rs->target->text, rs->target->len, 1, &emit, repl)
                  : restore_text(rs, path, rs->target->text, rs->target->len, repl);
    if (rc == 0 && gw_buf_append(repl, rs->target->text, rs->target->len) != 0)
        return POL_RESTORE_E_NOMEM;
    return rc < 0 ? rc : 1;
}

/* Streamed text (RULE_SCAN) with a scan stage, outside re-sends: the scan callback decides what is held. */
static int on_scan_string(pol_restore_stream_t *rs, const char *key, const char *path, const char *s, size_t n, gw_buf_t *repl)
{
    size_t emit;
    const char *t;
    size_t tn;
    int rc, held = join_held(rs, key, s, n, &t, &tn);
    if (held < 0)
        return held;
    if ((rc = scan_text(rs, path, t, tn, rs->mode == MODE_FINAL, &emit, repl)) < 0)
        return rc;
    size_t keep = tn - emit;
    if (held || keep) {
        int urc = add_update(rs, key, t + emit, keep);
        if (urc != 0)
            return urc;
    }
    if (rc == 0 && (held || keep)) {
        if (gw_buf_append(repl, t, emit) != 0)
            return POL_RESTORE_E_NOMEM;
        rc = 1;
    }
    return rc;
}

/* A re-send (flush) with a scan stage: the held event's data is the event as it went out (scanned, restored,
 * commit_updates). The target's held text is scanned (text and whole strings) or restored (declared no text); other
 * streamed text (the scan paths) went out with its event and is sent empty (a client joins its pieces: never twice);
 * every other string goes out as it did (already scanned: never scanned twice), but empty when a hold of its own from
 * this event is re-sent separately. A whole string (RULE_WHOLE) is a value, not a piece: clients keep the last one
 * they see (the openai SDK Object.assign()s a chunk's unknown members into its snapshot), so an empty copy in the
 * re-send replaced the model's value on the client (session 12: an annotation's url and title, a Gemini chunk's
 * groundingMetadata, came out empty). */
static int on_reemit_scanned(pol_restore_stream_t *rs, int rule_id, const char *key, const char *path, gw_buf_t *repl)
{
    if (strcmp(key, rs->target->path.base) == 0)
        return send_target(rs, path, rule_id != RULE_TEXT, repl);
    if (rule_id == RULE_SCAN)
        return 1; /* streamed text went out with its own event (or is held under its own re-send): empty here */
    hold_t *h = find_hold(rs, key);
    return h != NULL && h->seq == rs->target->seq ? 1 : 0; /* its own re-send carries the held rest */
}

static int on_string(void *ctx, int rule_id, const char *path, const char *s, size_t n, gw_buf_t *repl)
{
    pol_restore_stream_t *rs = ctx;
    if (rs->mode == MODE_PROBE)
        return 0;
    const char *key = hold_key(rs, path);
    if (rs->scan != NULL && rs->mode == MODE_REEMIT)
        return on_reemit_scanned(rs, rule_id, key, path, repl);
    if (rule_id == RULE_SCAN && rs->scan != NULL)
        return on_scan_string(rs, key, path, s, n, repl);
    if (rule_id == RULE_WHOLE && rs->scan != NULL) /* neither streamed text nor declared no text: scanned on its own */
        return hold_token_prefix(rs, key, path, s, n, 1, repl);
    if (rs->mode == MODE_REEMIT) {
        if (strcmp(key, rs->target->path.base) == 0)
            return send_target(rs, path, 0, repl);
        if (rule_id == RULE_SCAN)
            return 1; /* declared streamed text (pol_restore_stream_set_text) went out with its event: empty here */
        hold_t *h = find_hold(rs, key);
        if (h != NULL && h->seq == rs->target->seq)
            return 1; /* its own re-send carries it: empty here */
        return restore_text(rs, path, s, n, repl);
    }
    return hold_token_prefix(rs, key, path, s, n, 0, repl);
}

/* An object key (Gemini functionCall.args, Anthropic tool_use input): restored whole, never held back (a key is
 * complete in its event). In a re-sent copy (flush) keys are as in the first send. */
static int on_key(void *ctx, int rule_id, const char *path, const char *s, size_t n, gw_buf_t *repl)
{
    pol_restore_stream_t *rs = ctx;
    (void)rule_id;
    if (memchr(s, '<', n) == NULL || (rs->scan != NULL && rs->mode == MODE_REEMIT)) /* a re-send's keys went out restored */
        return 0;
    return restore_text(rs, path, s, n, repl);
}

/* Runs the JSON walk of data in the current mode; *changed tells whether rs->json holds new text. */
static int walk(pol_restore_stream_t *rs, const char *data, size_t len, gw_buf_t *json, int *changed)
{
    gw_json_visitor_t v = {on_string, on_capture, rs, on_key, 0, NULL};
    const char *desc;
    size_t off;
    rs->cb_rc = 0;
    rs->choice_index = -1;
    int rc = gw_json_rewrite_ex(data, len,
                                rs->mode == MODE_REEMIT && rs->scan == NULL && rs->text_paths != NULL ? rs->text_paths : rs->use,
                                NULL, 0, &v, json, changed, &desc, &off, &rs->scratch);
    if (rs->cb_rc < 0)
        return rs->cb_rc;
    return rc;
}

static int put(gw_buf_t *out, const char *a, size_t n)
{
    return gw_buf_append(out, a, n) == 0 ? 0 : POL_RESTORE_E_NOMEM;
}

/* Writes an event re-serialized with `json` as data; `ev` (NULL in a re-send: its retry went out the first time) gives
 * the retry lines to keep. */
static int write_event(pol_restore_stream_t *rs, const gw_sse_event_t *ev, const char *name, size_t name_len, const char *id,
                       size_t id_len, int has_id, const char *json, size_t json_len)
{
    gw_buf_t *out = rs->out;
    if (has_id && (put(out, "id: ", 4) || put(out, id, id_len) || put(out, "\n", 1)))
        return POL_RESTORE_E_NOMEM;
    if (ev != NULL && gw_sse_append_retry(ev, out) != 0)
        return POL_RESTORE_E_NOMEM;
    if (name_len && (put(out, "event: ", 7) || put(out, name, name_len) || put(out, "\n", 1)))
        return POL_RESTORE_E_NOMEM;
    for (;;) {
        const char *nl = memchr(json, '\n', json_len);
        size_t l = nl ? (size_t)(nl - json) : json_len;
        if (put(out, "data: ", 6) || put(out, json, l) || put(out, "\n", 1))
            return POL_RESTORE_E_NOMEM;
        if (nl == NULL)
            break;
        json += l + 1;
        json_len -= l + 1;
    }
    return put(out, "\n", 1);
}

/* Re-sends the event stored in hold h with its path's string replaced by the held text; deactivates h. */
static int flush_hold(pol_restore_stream_t *rs, hold_t *h)
{
    int changed, rc;
    const char *name = rs->ev_name;
    size_t name_len = rs->ev_name_len;
    rs->mode = MODE_REEMIT;
    rs->target = h;
    rs->ev_name = h->name.base; /* the held text belongs to the held event */
    rs->ev_name_len = h->name.len;
    rc = walk(rs, h->data.base, h->data.len, &rs->json2, &changed);
    rs->ev_name = name;
    rs->ev_name_len = name_len;
    rs->mode = MODE_NORMAL;
    if (rc != 0)
        return rc;
    rc = write_event(rs, NULL, h->name.base, h->name.len, h->id.base, h->id.len, h->has_id, changed ? rs->json2.base : h->data.base,
                     changed ? rs->json2.len : h->data.len);
    h->len = 0;
    return rc;
}

static int in_updates(pol_restore_stream_t *rs, const char *path)
{
    for (size_t i = 0; i < rs->nupd; i++)
        if (strcmp(rs->upd_paths.base + rs->upd[i].path_off, path) == 0)
            return 1;
    return 0;
}

static int flush_all(pol_restore_stream_t *rs, int skip_updated)
{
    /* holds created by the same event are flushed together in creation order; their re-sends blank each other */
    for (size_t i = 0; i < rs->nholds; i++) {
        hold_t *h = &rs->holds[i];
        if (h->len == 0 || (skip_updated && in_updates(rs, h->path.base)))
            continue;
        int rc = flush_hold(rs, h);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int set_buf(gw_buf_t *b, const char *s, size_t n)
{
    gw_buf_reset(b);
    if (gw_buf_append(b, s, n) != 0)
        return POL_RESTORE_E_NOMEM;
    if (b->base == NULL && gw_buf_reserve(b, 1) != 0)
        return POL_RESTORE_E_NOMEM;
    b->base[b->len] = '\0';
    return 0;
}

/* Makes the updates of event `ev` the stream's holds; `data` (`data_len` bytes) is what a re-send walks: the event's data
 * as received, or with a scan stage as it went out (its strings are not scanned twice). */
static int commit_updates(pol_restore_stream_t *rs, const gw_sse_event_t *ev, const char *data, size_t data_len)
{
    for (size_t i = 0; i < rs->nupd; i++) {
        const update_t *u = &rs->upd[i];
        const char *path = rs->upd_paths.base + u->path_off;
        hold_t *h = find_hold(rs, path);
        if (u->len == 0) {
            if (h != NULL)
                h->len = 0;
            continue;
        }
        if (h == NULL) {
            for (size_t k = 0; k < rs->nholds && h == NULL; k++)
                if (rs->holds[k].len == 0)
                    h = &rs->holds[k];
            if (h == NULL) {
                if (rs->nholds == rs->cap_holds) {
                    size_t cap = rs->cap_holds ? rs->cap_holds * 2 : 4;
                    hold_t *nh = realloc(rs->holds, cap * sizeof(*nh));
                    if (nh == NULL)
                        return POL_RESTORE_E_NOMEM;
                    memset(nh + rs->cap_holds, 0, (cap - rs->cap_holds) * sizeof(*nh));
                    rs->holds = nh;
                    rs->cap_holds = cap;
                }
                h = &rs->holds[rs->nholds++];
            }
            if (set_buf(&h->path, path, u->path_len) != 0)
                return POL_RESTORE_E_NOMEM;
        }
        memcpy(h->text, u->text, u->len);
        h->len = u->len;
        h->seq = rs->seq;
        h->has_id = ev->has_id;
        if (set_buf(&h->data, data, data_len) || set_buf(&h->name, ev->event, ev->event_len) || set_buf(&h->id, ev->id, ev->id_len))
            return POL_RESTORE_E_NOMEM;
    }
    rs->nupd = 0;
    gw_buf_reset(&rs->upd_paths);
    return 0;
}

/* Non-JSON data that carries no text: blank, or the `[DONE]` sentinel OpenAI-compatible streams end with (OpenAI
 * "Streaming" API reference; also DeepSeek, Fireworks, OpenRouter). */
static int is_done_or_blank(const char *d, size_t n)
{
    while (n != 0 && (*d == ' ' || *d == '\t' || *d == '\r' || *d == '\n'))
        d++, n--;
    while (n != 0 && (d[n - 1] == ' ' || d[n - 1] == '\t' || d[n - 1] == '\r' || d[n - 1] == '\n'))
        n--;
    return n == 0 || (n == 6 && memcmp(d, "[DONE]", 6) == 0);
}

static int on_sse_event_in(pol_restore_stream_t *rs, const gw_sse_event_t *ev);

static int on_sse_event(void *ctx, const gw_sse_event_t *ev)
{
    pol_restore_stream_t *rs = ctx;
    rs->ev_name = ev->event != NULL ? ev->event : "";
    rs->ev_name_len = ev->event != NULL ? ev->event_len : 0;
    int rc = on_sse_event_in(rs, ev);
    rs->ev_name = NULL; /* ev is the parser's: gone after this call */
    rs->ev_name_len = 0;
    return rc;
}

static int on_sse_event_in(pol_restore_stream_t *rs, const gw_sse_event_t *ev)
{
    const char *raw = ev->raw;
    size_t raw_len = ev->raw_len;
    int rc, changed = 0, is_json = 0;
    /* A LF completing the CR that ended the previous block belongs to that block: write it now when that block went
       out raw (as a whole-stream feed would have), drop it when it was re-serialized. */
    if (rs->prev_raw_cr && raw_len && raw[0] == '\n') {
        if (rs->prev_was_raw && (rc = put(rs->out, "\n", 1)) != 0)
            return rc;
        raw++;
        raw_len--;
    }
    rs->prev_raw_cr = raw_len && raw[raw_len - 1] == '\r';
    rs->seq++;
    if (ev->has_data && rs->on_event != NULL)
        rs->on_event(rs->ev_ctx, ev);
    if (ev->has_data) {
        size_t i = 0;
        while (i < ev->data_len && (ev->data[i] == ' ' || ev->data[i] == '\t' || ev->data[i] == '\n'))
            i++;
        is_json = i < ev->data_len && ev->data[i] == '{';
    }
    if (!ev->has_data) {
        /* comments, blank blocks: pass through */
    } else if (!is_json) {
        if (rs->scan != NULL && !is_done_or_blank(ev->data, ev->data_len))
            return POL_RESTORE_E_UNSCANNABLE; /* model text aigw cannot read is not forwarded unscanned */
        if ((rc = flush_all(rs, 0)) != 0)
            return rc;
    } else {
        rs->nupd = 0;
        gw_buf_reset(&rs->upd_paths);
        rs->terminal = is_terminal_name(ev->event, ev->event_len);
        rc = 0;
        if (rs->scan != NULL && !rs->terminal) {
            /* a scan has side effects (findings): learn whether the event terminates before the real walk */
            rs->mode = MODE_PROBE;
            rc = walk(rs, ev->data, ev->data_len, &rs->json, &changed);
        }
        rs->mode = rs->terminal ? MODE_FINAL : MODE_NORMAL;
        if (rc == 0)
            rc = walk(rs, ev->data, ev->data_len, &rs->json, &changed);
        if (rc == 0 && rs->terminal && rs->mode == MODE_NORMAL) {
            /* learned at the end of the walk that the event terminates: walk again without holding back */
            rs->nupd = 0;
            gw_buf_reset(&rs->upd_paths);
            rs->mode = MODE_FINAL;
            rc = walk(rs, ev->data, ev->data_len, &rs->json, &changed);
        }
        int final = rs->mode == MODE_FINAL;
        rs->mode = MODE_NORMAL;
        if (rc < 0 && rc != GW_JSON_E_SYNTAX && rc != GW_JSON_E_DEPTH && rc != GW_JSON_E_UTF8)
            return rc;
        if (rc != 0) { /* not JSON after all: pass through, like [DONE]; unless it had to be scanned */
            if (rs->scan != NULL)
                return POL_RESTORE_E_UNSCANNABLE;
            changed = 0;
            rs->nupd = 0;
            if ((rc = flush_all(rs, 0)) != 0)
                return rc;
        } else {
            if (final && (rc = flush_all(rs, 1)) != 0)
                return rc;
            int sent = rs->scan != NULL && changed;
            if ((rc = commit_updates(rs, ev, sent ? rs->json.base : ev->data, sent ? rs->json.len : ev->data_len)) != 0)
                return rc;
        }
    }
    if (!changed) {
        rs->prev_was_raw = 1;
        return put(rs->out, raw, raw_len);
    }
    rs->prev_was_raw = 0;
    return write_event(rs, ev, ev->event, ev->event_len, ev->id, ev->id_len, ev->has_id, rs->json.base, rs->json.len);
}

int pol_restore_stream_feed(pol_restore_stream_t *rs, const char *in, size_t len, gw_buf_t *out)
{
    rs->out = out;
    return gw_sse_feed(&rs->sse, in, len, on_sse_event, rs);
}

int pol_restore_stream_finish(pol_restore_stream_t *rs, gw_buf_t *out)
{
    rs->out = out;
    size_t n;
    const char *p = gw_sse_pending(&rs->sse, &n);
    int rc;
    /* pending bytes: maybe the LF completing the last block's CR (see on_sse_event), then maybe an incomplete event,
       which is forwarded as is after the held text */
    if (rs->prev_raw_cr && n && p[0] == '\n') {
        if (rs->prev_was_raw && put(out, "\n", 1) != 0)
            return POL_RESTORE_E_NOMEM;
        p++;
        n--;
    }
    if ((rc = flush_all(rs, 0)) != 0)
        return rc;
    rc = gw_sse_finish(&rs->sse);
    /* with a scan stage the incomplete event is dropped: its text was never scanned, and an SSE client discards an
     * event the stream ends inside anyway (WHATWG HTML "Server-sent events", end of file: pending data discarded) */
    if (rc == GW_SSE_E_TRUNCATED && rs->scan == NULL && put(out, p, n) != 0)
        return POL_RESTORE_E_NOMEM;
    return rc;
}
