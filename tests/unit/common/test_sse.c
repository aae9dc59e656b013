/*
 * Unit tests for common/sse: WHATWG field rules, line endings (LF, CRLF, CR, CR split across
 * chunks), comments, size cap, truncation, and every provider fixture stream parsed whole, byte by
 * byte and in random chunks with identical results.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include <jansson.h>

#include "common/sse.h"
#include "support/support.h"

typedef struct {
    gw_buf_t log; /* one line per event: "event|data|id?|has_data\n" with data's LF shown as '~' */
    gw_buf_t raw; /* concatenated raw bytes */
    gw_buf_t comments;
    size_t nevents, ndata;
    int abort_at;
} col_t;

static int on_event(void *ctx, const gw_sse_event_t *ev)
{
    col_t *c = ctx;
    c->nevents++;
    c->ndata += ev->has_data ? 1 : 0;
    assert_int_equal(ev->data[ev->data_len], '\0');
    gw_buf_append(&c->log, ev->event, ev->event_len);
    gw_buf_append(&c->log, "|", 1);
    for (size_t i = 0; i < ev->data_len; i++)
        gw_buf_append(&c->log, ev->data[i] == '\n' ? "~" : &ev->data[i], 1);
    gw_buf_append(&c->log, "|", 1);
    if (ev->has_id)
        gw_buf_append(&c->log, ev->id, ev->id_len);
    gw_buf_appendf(&c->log, "|%d\n", ev->has_data);
    assert_int_equal(ev->offset, c->raw.len);
    gw_buf_append(&c->raw, ev->raw, ev->raw_len);
    if (c->abort_at && (int)c->nevents == c->abort_at)
        return -42;
    return 0;
}

static int on_comment(void *ctx, const char *s, size_t n)
{
    col_t *c = ctx;
    gw_buf_append(&c->comments, s, n);
    gw_buf_append(&c->comments, "\n", 1);
    return 0;
}

static void col_free(col_t *c)
{
    gw_buf_free(&c->log);
    gw_buf_free(&c->raw);
    gw_buf_free(&c->comments);
}

/* Parses `s` in chunks of `chunk` bytes (0 = whole; SIZE_MAX = random sizes); returns finish()'s code. */
static int parse(const char *s, size_t n, size_t chunk, col_t *c, size_t max)
{
    gw_sse_parser_t p;
    gw_sse_init(&p, max);
    p.on_comment = on_comment;
    memset(c, 0, sizeof(*c));
    size_t i = 0;
    unsigned seed = (unsigned)n * 2654435761u;
    int rc = 0;
    while (i < n && rc == 0) {
        size_t k = chunk == 0 ? n : chunk;
        if (chunk == SIZE_MAX) {
            seed = seed * 1103515245u + 12345u;
            k = 1 + (seed >> 16) % 37;
        }
        if (k > n - i)
            k = n - i;
        rc = gw_sse_feed(&p, s + i, k, on_event, c);
        i += k;
    }
    if (rc == 0) {
        rc = gw_sse_finish(&p);
        size_t pl;
        const char *pend = gw_sse_pending(&p, &pl);
        gw_buf_append(&c->raw, pend, pl);
    }
    gw_sse_dispose(&p);
    if (c->log.base == NULL)
        gw_buf_append(&c->log, "", 0);
    return rc;
}

static void expect(const char *s, const char *want_log, int want_rc)
{
    static const size_t chunks[] = {0, 1, 2, 3, 5, SIZE_MAX};
    for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        col_t c;
        int rc = parse(s, strlen(s), chunks[k], &c, 0);
        if (rc != want_rc || strcmp(c.log.base ? c.log.base : "", want_log) != 0)
            fail_msg("chunk %zu: rc %d, log:\n%s\nwanted rc %d, log:\n%s", chunks[k], rc, c.log.base, want_rc, want_log);
        /* raw bytes of all events plus the pending tail give back the input */
        assert_int_equal(c.raw.len, strlen(s));
        assert_memory_equal(c.raw.base, s, c.raw.len);
        col_free(&c);
    }
}

static void test_fields(void **state)
{
    expect("data: hello\n\n", "|hello||1\n", 0);
    expect("data:hello\n\n", "|hello||1\n", 0);
    expect("data:  two\n\n", "| two||1\n", 0);
    expect("data\n\n", "|||1\n", 0);          /* field without colon: empty value */
    expect("data:\ndata:\n\n", "|~||1\n", 0); /* two empty lines joined */
    expect("event: add\ndata: a\ndata: b\nid: 7\n\n", "add|a~b|7|1\n", 0);
    expect("event: x\n\n", "x|||0\n", 0); /* no data: reported, has_data 0 */
    expect("retry: 100\nfoo: bar\ndata: x\n\n", "|x||1\n", 0);
    expect("event: a\nevent: b\ndata: x\n\n", "b|x||1\n", 0); /* last event name wins */
    expect("\n\n", "|||0\n|||0\n", 0);
    expect(": keep-alive\n\ndata: 1\n\n", "|||0\n|1||1\n", 0);
    expect("data: x", "", GW_SSE_E_TRUNCATED);   /* incomplete line at EOF: not dispatched */
    expect("data: x\n", "", GW_SSE_E_TRUNCATED); /* incomplete block at EOF */
    expect("data: é €\n\n", "|é €||1\n", 0);
    /* an id containing NUL is ignored (WHATWG) */
    col_t c;
    assert_int_equal(parse("id: a\0b\ndata: x\n\nid: ok\ndata: y\n\n", 33, 0, &c, 0), 0);
    assert_string_equal(c.log.base, "|x||1\n|y|ok|1\n");
    col_free(&c);
    (void)state;
}

static void test_line_endings(void **state)
{
    expect("data: a\r\n\r\ndata: b\r\n\r\n", "|a||1\n|b||1\n", 0);
    expect("data: a\r\rdata: b\r\r", "|a||1\n|b||1\n", 0);
    expect("data: a\rdata: b\n\r\n", "|a~b||1\n", 0);
    expect("data: a\n\r\n\r", "|a||1\n|||0\n", 0);
    /* a CR ending a chunk dispatches at once; the LF opening the next chunk completes that CRLF */
    gw_sse_parser_t p;
    col_t c;
    memset(&c, 0, sizeof(c));
    gw_sse_init(&p, 0);
    assert_int_equal(gw_sse_feed(&p, "data: a\r\n\r", 10, on_event, &c), 0);
    assert_int_equal(c.nevents, 1);
    assert_int_equal(gw_sse_feed(&p, "\ndata: b\r\n\r\n", 12, on_event, &c), 0);
    assert_int_equal(c.nevents, 2);
    assert_string_equal(c.log.base, "|a||1\n|b||1\n");
    assert_int_equal(gw_sse_finish(&p), 0);
    gw_sse_dispose(&p);
    col_free(&c);
    (void)state;
}

static void test_comments(void **state)
{
    col_t c;
    const char *cs = ": OPENROUTER PROCESSING\n\n:x\ndata: 1\n:y\n\n";
    assert_int_equal(parse(cs, strlen(cs), 0, &c, 0), 0);
    assert_string_equal(c.comments.base, " OPENROUTER PROCESSING\nx\ny\n");
    assert_string_equal(c.log.base, "|||0\n|1||1\n");
    col_free(&c);
    (void)state;
}

static void test_cap_and_abort(void **state)
{
    col_t c;
    /* the cap counts a block's raw bytes; the parser stays failed */
    assert_int_equal(parse("data: 123456789\n\n", 17, 0, &c, 17), 0);
    col_free(&c);
    assert_int_equal(parse("data: 123456789\n\n", 17, 0, &c, 16), GW_SSE_E_TOO_BIG);
    col_free(&c);
    assert_int_equal(parse("data: 123456789\n\n", 17, 1, &c, 16), GW_SSE_E_TOO_BIG);
    col_free(&c);
    gw_sse_parser_t p;
    gw_sse_init(&p, 8);
    memset(&c, 0, sizeof(c));
    assert_int_equal(gw_sse_feed(&p, "data: 123456789", 15, on_event, &c), GW_SSE_E_TOO_BIG);
    assert_int_equal(gw_sse_feed(&p, "\n\n", 2, on_event, &c), GW_SSE_E_TOO_BIG);
    assert_int_equal(gw_sse_finish(&p), GW_SSE_E_TOO_BIG);
    assert_int_equal(c.nevents, 0);
    gw_sse_dispose(&p);
    /* a callback's negative value stops the feed */
    gw_sse_init(&p, 0);
    memset(&c, 0, sizeof(c));
    c.abort_at = 2;
    assert_int_equal(gw_sse_feed(&p, "data: 1\n\ndata: 2\n\ndata: 3\n\n", 27, on_event, &c), -42);
    assert_int_equal(c.nevents, 2);
    gw_sse_dispose(&p);
    col_free(&c);
    (void)state;
}

static char *fixture(const char *rel, size_t *n)
{
    char path[2048];
    snprintf(path, sizeof(path), "%s/%s", AIGW_FIXTURES_DIR, rel);
    char *s = ts_slurp(path, n);
    if (s == NULL)
        fail_msg("missing fixture %s", path);
    return s;
}

/* Parses a fixture in several chunkings; checks identical events, raw round trip, and that every data is JSON except
   the listed exceptions. Returns the whole-feed collection. */
static void check_fixture(const char *rel, col_t *whole)
{
    size_t n = 0;
    char *s = fixture(rel, &n);
    assert_int_equal(parse(s, n, 0, whole, 0), 0);
    assert_int_equal(whole->raw.len, n);
    assert_memory_equal(whole->raw.base, s, n);
    static const size_t chunks[] = {1, 2, 7, 64, SIZE_MAX};
    for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        col_t c;
        assert_int_equal(parse(s, n, chunks[k], &c, 0), 0);
        assert_string_equal(c.log.base, whole->log.base);
        assert_int_equal(c.raw.len, n);
        assert_memory_equal(c.raw.base, s, n);
        if (whole->comments.base)
            assert_string_equal(c.comments.base, whole->comments.base);
        col_free(&c);
    }
    free(s);
}

static size_t count_json_data(const col_t *c, size_t *other)
{
    /* re-parse the log: data is the 2nd field; LF was shown as '~' (fixtures have none inside JSON) */
    size_t nj = 0;
    *other = 0;
    const char *line = c->log.base;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        const char *b1 = strchr(line, '|'), *b2 = strchr(b1 + 1, '|');
        const char *hd = memrchr(line, '|', (size_t)(nl - line));
        if (hd[1] == '1') {
            json_t *j = json_loadb(b1 + 1, (size_t)(b2 - b1 - 1), 0, NULL);
            if (j != NULL && json_is_object(j))
                nj++;
            else
                (*other)++;
            json_decref(j);
        }
        line = nl + 1;
    }
    return nj;
}

static void test_fixture_streams(void **state)
{
    static const struct {
        const char *file;
        size_t json, other; /* data events that are JSON objects / anything else */
        const char *first_event;
    } f[] = {
        {"openai/chat_completions.stream.sse", 0, 1, ""},
        {"openai/responses.stream.sse", 0, 0, "response.created"},
        {"openai/responses.stream_error.sse", 2, 0, "response.created"},
        {"openai/images_generations.gpt_image_1.stream.sse", 2, 0, "image_generation.partial_image"},
        {"anthropic/messages.stream.sse", 0, 0, "message_start"},
        {"anthropic/messages.stream_error.sse", 4, 0, "message_start"},
        {"gemini/stream_generate_content.sse", 3, 0, ""},
        {"deepseek/chat_completions.stream.sse", 0, 1, ""},
        {"fireworks/chat_completions.stream.sse", 4, 1, ""},
        {"openrouter/chat_completions.stream.sse", 0, 1, ""},
        {"openrouter/chat_completions.stream_midstream_error.sse", 2, 1, ""},
        {"replicate/prediction.stream.sse", 1, 4, "output"},
        {"fal/queue_status.stream.sse", 3, 0, ""},
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        col_t c;
        check_fixture(f[i].file, &c);
        size_t other, nj = count_json_data(&c, &other);
        if ((f[i].json && nj != f[i].json) || (!f[i].json && nj < 4) || other != f[i].other)
            fail_msg("%s: %zu JSON data, %zu other", f[i].file, nj, other);
        if (f[i].json)
            assert_int_equal(nj, f[i].json);
        else
            assert_true(nj >= 4);
        assert_int_equal(other, f[i].other);
        assert_true(strncmp(c.log.base, f[i].first_event, strlen(f[i].first_event)) == 0);
        if (c.log.base[strlen(f[i].first_event)] != '|')
            fail_msg("%s: first event %.40s", f[i].file, c.log.base);
        col_free(&c);
    }
    (void)state;
}

static void test_fixture_details(void **state)
{
    col_t c;
    /* Replicate: ids, event names, leading space kept after the one stripped, multi-line data joined */
    check_fixture("replicate/prediction.stream.sse", &c);
    assert_string_equal(c.log.base, "output|Jane|1767261900000-0|1\n"
                                    "output| walks in|1767261900010-0|1\n"
                                    "output| spring rain,~then home|1767261900020-0|1\n"
                                    "logs|generation finished in 0.85s|1767261900030-0|1\n"
                                    "done|{}|1767261900040-0|1\n");
    col_free(&c);
    /* OpenRouter / DeepSeek keep-alive comments are reported */
    check_fixture("openrouter/chat_completions.stream.sse", &c);
    assert_string_equal(c.comments.base, " OPENROUTER PROCESSING\n OPENROUTER PROCESSING\n");
    assert_non_null(strstr(c.log.base, "|[DONE]||1\n"));
    col_free(&c);
    check_fixture("deepseek/chat_completions.stream.sse", &c);
    assert_string_equal(c.comments.base, " keep-alive\n keep-alive\n");
    col_free(&c);
    /* Gemini uses CRLF: data must not keep a CR */
    check_fixture("gemini/stream_generate_content.sse", &c);
    assert_null(strchr(c.log.base, '\r'));
    assert_int_equal(c.ndata, 3);
    col_free(&c);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),        cmocka_unit_test(test_line_endings),    cmocka_unit_test(test_comments),
        cmocka_unit_test(test_cap_and_abort), cmocka_unit_test(test_fixture_streams), cmocka_unit_test(test_fixture_details),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
