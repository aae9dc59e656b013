/*
 * Fuzz target for pol_restore_stream (and gw_sse underneath). The input describes a stream:
 * byte 0 = chunking seed, byte 1 = flags (CRLF line endings, comments, [DONE] at the end), then
 * pieces separated by 0xFF, each piece's first byte choosing one of three provider shapes (OpenAI
 * chat delta, Anthropic text_delta, Gemini part) and its other bytes mapped onto an alphabet rich in
 * token characters and whole tokens. Invariants:
 *  - feeding the stream in random chunks gives exactly the bytes of feeding it whole;
 *  - the output is valid SSE whose data is valid JSON (or [DONE]);
 *  - per text path, the output text concatenated equals the restore of the input text concatenated.
 * Then the raw fuzz bytes are fed as an SSE stream too (no crash, chunking invariance).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "common/json.h"
#include "policy/restore.h"
#include "support/support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const vault[][2] = {
    {"<PERSON_1>", "Jane Doe"},
    {"<EMAIL_ADDRESS_1>", "jane@example.com"},
    {"<PHONE_NUMBER_12>", "+1 <415>"},
};

static int restore_cb(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    (void)ctx;
    (void)path;
    int changed = 0;
    for (size_t i = 0; i < len;) {
        size_t k, n = sizeof(vault) / sizeof(vault[0]);
        for (k = 0; k < n; k++) {
            size_t tl = strlen(vault[k][0]);
            if (tl <= len - i && memcmp(s + i, vault[k][0], tl) == 0)
                break;
        }
        if (k < n) {
            gw_buf_append(out, vault[k][1], strlen(vault[k][1]));
            i += strlen(vault[k][0]);
            changed = 1;
        } else {
            gw_buf_append(out, s + i, 1);
            i++;
        }
    }
    return changed;
}

static const char *const alphabet[] = {"<",
                                       ">",
                                       "_",
                                       "A",
                                       "E",
                                       "P",
                                       "1",
                                       "2",
                                       "0",
                                       " ",
                                       "x",
                                       "\xc3\xa9",
                                       "\"",
                                       "\\",
                                       "\n",
                                       "<PERSON_1>",
                                       "<EMAIL_",
                                       "ADDRESS_1>",
                                       "<PHONE_NUMBER_1",
                                       "2>",
                                       "<PERSON_",
                                       "<EMAIL_ADDRESS_1>",
                                       "PERSON",
                                       "</"};
#define NSHAPES 3
static const char *const shape_path[NSHAPES] = {"choices[0].delta.content", "delta.text", "candidates[0].content.parts[0].text"};

static int feed_all(const char *in, size_t n, unsigned seed, gw_buf_t *out)
{
    pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, NULL);
    TS_CHECK(rs != NULL, "create");
    int rc = ts_restore_feed(rs, in, n, seed, out);
    pol_restore_stream_free(rs);
    return rc;
}

typedef struct {
    gw_buf_t text[NSHAPES];
    int bad;
} view_t;

static int view_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    view_t *v = ctx;
    (void)rule_id;
    (void)repl;
    for (int i = 0; i < NSHAPES; i++)
        if (strcmp(path, shape_path[i]) == 0)
            gw_buf_append(&v->text[i], s, len);
    return 0;
}

static int view_event(void *ctx, const gw_sse_event_t *ev)
{
    static gw_json_paths_t *all;
    view_t *v = ctx;
    if (all == NULL) {
        gw_json_rule_t r = {"**", GW_JSON_SCAN, 0};
        all = gw_json_paths_compile(&r, 1, NULL, 0);
    }
    if (!ev->has_data)
        return 0;
    if (ev->data_len == 6 && memcmp(ev->data, "[DONE]", 6) == 0)
        return 0;
    gw_json_visitor_t vis = {view_string, NULL, v, NULL, 0, NULL};
    gw_buf_t o = GW_BUF_INIT;
    int ch;
    if (gw_json_rewrite(ev->data, ev->data_len, all, NULL, 0, &vis, &o, &ch, NULL, NULL) != 0)
        v->bad = 1;
    json_t *j = json_loadb(ev->data, ev->data_len, JSON_ALLOW_NUL, NULL);
    if (j == NULL)
        v->bad = 1;
    json_decref(j);
    gw_buf_free(&o);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 8192)
        return 0;
    unsigned seed = data[0] | 1u;
    int crlf = data[1] & 1, comments = data[1] & 2, done = data[1] & 4;
    const char *eol = crlf ? "\r\n" : "\n";
    gw_buf_t in = GW_BUF_INIT, piece = GW_BUF_INIT, esc = GW_BUF_INIT, whole[NSHAPES];
    memset(whole, 0, sizeof(whole));
    /* build the stream */
    for (size_t i = 2; i < size;) {
        size_t j = i;
        while (j < size && data[j] != 0xFF)
            j++;
        if (j > i) {
            int shape = data[i] % NSHAPES;
            gw_buf_reset(&piece);
            for (size_t k = i + 1; k < j; k++) {
                const char *a = alphabet[data[k] % (sizeof(alphabet) / sizeof(alphabet[0]))];
                gw_buf_append(&piece, a, strlen(a));
            }
            gw_buf_append(&whole[shape], piece.base ? piece.base : "", piece.len);
            gw_buf_reset(&esc);
            gw_json_escape(piece.base ? piece.base : "", piece.len, &esc);
            if (comments && (data[i] & 8))
                gw_buf_appendf(&in, ": keep-alive%s%s", eol, eol);
            switch (shape) {
            case 0:
                gw_buf_appendf(
                    &in, "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":%s},\"finish_reason\":null}]}%s%s",
                    esc.base, eol, eol);
                break;
            case 1:
                gw_buf_appendf(&in,
                               "event: content_block_delta%sdata: {\"type\":\"content_block_delta\",\"index\":0,"
                               "\"delta\":{\"type\":\"text_delta\",\"text\":%s}}%s%s",
                               eol, esc.base, eol, eol);
                break;
            default:
                gw_buf_appendf(
                    &in, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":%s}],\"role\":\"model\"},\"index\":0}]}%s%s",
                    esc.base, eol, eol);
                break;
            }
        }
        i = j + 1;
    }
    if (done)
        gw_buf_appendf(&in, "data: [DONE]%s%s", eol, eol);
    gw_buf_append(&in, "", 0);
    /* whole vs chunked */
    gw_buf_t a = GW_BUF_INIT, b = GW_BUF_INIT;
    int ra = feed_all(in.base, in.len, 0, &a), rb = feed_all(in.base, in.len, seed, &b);
    if (ra != 0 || rb != 0) {
        fprintf(stderr, "restore failed: %d %d on [%s]\n", ra, rb, in.base);
        abort();
    }
    if (getenv("FUZZ_DEBUG"))
        fprintf(stderr, "IN:\n%s\nWHOLE:\n%.*s\nCHUNKED:\n%.*s\n", in.base, (int)a.len, a.base, (int)b.len, b.base);
    TS_CHECK(ts_buf_equal(&a, &b), "chunked output differs from whole");
    /* output: valid SSE + JSON, restored text per path */
    view_t v;
    memset(&v, 0, sizeof(v));
    TS_CHECK(ts_sse_parse_all(a.base, a.len, view_event, &v) == 0, "output is not SSE or ends inside an event");
    TS_CHECK(!v.bad, "output data is not JSON");
    for (int s = 0; s < NSHAPES; s++) {
        gw_buf_t want = GW_BUF_INIT;
        if (restore_cb(NULL, shape_path[s], whole[s].base ? whole[s].base : "", whole[s].len, &want) == 0) {
            gw_buf_reset(&want);
            gw_buf_append(&want, whole[s].base ? whole[s].base : "", whole[s].len);
        }
        if (want.len != v.text[s].len || (want.len && memcmp(want.base, v.text[s].base, want.len) != 0)) {
            fprintf(stderr, "path %s: want [%.*s] got [%.*s]\n", shape_path[s], (int)want.len, want.base, (int)v.text[s].len,
                    v.text[s].base);
            abort();
        }
        gw_buf_free(&want);
        gw_buf_free(&v.text[s]);
        gw_buf_free(&whole[s]);
    }
    /* raw fuzz bytes as a stream: no crash, chunking invariance */
    gw_buf_reset(&a);
    gw_buf_reset(&b);
    int r1 = feed_all((const char *)data + 1, size - 1, 0, &a), r2 = feed_all((const char *)data + 1, size - 1, seed, &b);
    TS_CHECK(r1 == r2 && ts_buf_equal(&a, &b), "raw stream: chunked output differs");
    gw_buf_free(&a);
    gw_buf_free(&b);
    gw_buf_free(&in);
    gw_buf_free(&piece);
    gw_buf_free(&esc);
    return 0;
}
