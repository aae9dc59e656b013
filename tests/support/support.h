/*
 * Helpers shared by the unit tests, the fuzz targets and the benchmarks (plain C, no cmocka: a fuzz
 * target links them too). Each one was copied in two or more test files before (issue 15). Not part
 * of aigw: built as the aigw_testsupport library (CMakeLists.txt), never linked into the gateway.
 */
#ifndef AIGW_TESTS_SUPPORT_H
#define AIGW_TESTS_SUPPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>

#include "common/buf.h"
#include "common/sse.h"
#include "policy/restore.h"

/** Fuzz-target invariant: when `cond` is false, prints `what` with the file and line and aborts. */
#define TS_CHECK(cond, what)                                                                                                       \
    do {                                                                                                                           \
        if (!(cond)) {                                                                                                             \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, (what));                                                            \
            abort();                                                                                                               \
        }                                                                                                                          \
    } while (0)

/**
 * Reads the whole file `path` into a NUL-terminated malloc'd buffer (the caller frees it); *n = its size in bytes.
 * @return the buffer, or NULL when the file cannot be opened or read whole.
 */
char *ts_slurp(const char *path, size_t *n);

/**
 * Makes a fresh private directory "/tmp/aigw-<tag>-XXXXXX" (mkdtemp) for a test's files.
 * @param dir receives the path, NUL-terminated; `cap` bytes (at least strlen(tag) + 17).
 * @return 0, or -1 when it does not fit or mkdtemp fails.
 */
int ts_tmpdir_make(char *dir, size_t cap, const char *tag);

/**
 * Removes `dir` (made by ts_tmpdir_make) and everything in it.
 * @return 0, or -1 when the removal failed.
 */
int ts_tmpdir_remove(const char *dir);

/** 1 when `a` and `b` hold the same bytes (either may be empty with a NULL base). */
int ts_buf_equal(const gw_buf_t *a, const gw_buf_t *b);

/**
 * A gw_json_visitor_t on_string callback that upper-cases ASCII letters (other bytes kept): appends the new text to
 * `repl` and returns 1, or -1 on allocation failure. The same transform as ts_json_upper_all().
 */
int ts_json_upper(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl);

/**
 * The jansson side of ts_json_upper: a new reference to a copy of `j` (borrowed) whose strings, at any depth, have
 * their ASCII letters upper-cased; keys and other values unchanged. The oracle the JSON rewriter is checked against.
 */
json_t *ts_json_upper_all(json_t *j);

/**
 * Feeds `n` bytes of `in` to the restore stream `rs` (borrowed) in one piece (`seed` 0) or in pseudo-random chunks of
 * 1..23 bytes drawn from `seed`, then finishes it; output appended to `out`. Chunked and whole feeds of one stream
 * must give the same bytes (the restorer's invariant the fuzz targets check).
 * @return 0, or the first error of pol_restore_stream_feed / _finish.
 */
int ts_restore_feed(pol_restore_stream_t *rs, const char *in, size_t n, unsigned seed, gw_buf_t *out);

/**
 * Parses `len` bytes of `s` as one complete SSE stream, calling `cb` for each event.
 * @return 0, the parser's error (GW_SSE_E_*) or the callback's negative value, or GW_SSE_E_TRUNCATED when the
 *         stream ends inside an event.
 */
int ts_sse_parse_all(const char *s, size_t len, gw_sse_event_cb cb, void *ctx);

/**
 * The tests' pseudo-random generator (a 64-bit LCG, reproducible on every platform): advances *r and returns 31 bits.
 */
unsigned ts_rand(uint64_t *r);

/**
 * Random text for differential tests: draws a length below `max_len` from *r, then pieces of `pool` (`npool`
 * NUL-terminated strings, each chosen from *r) until that length, the last piece cut (so a UTF-8 sequence or an
 * escape may end half-way). Writes the bytes to `out` (room for max_len bytes, no NUL).
 * @return the length written.
 */
size_t ts_rand_pieces(uint64_t *r, const char *const *pool, size_t npool, size_t max_len, char *out);

/** A pool for ts_rand_pieces of UTF-8 text: ASCII, quotes, backslashes, JSON escapes valid and not, control bytes,
    valid sequences of 2-4 bytes (Latin, CJK, Cyrillic, emoji) and invalid ones (lone continuation bytes, overlong
    forms, surrogates, cut leads, 0xFF). ts_utf8_pool_n is its size. */
extern const char *const ts_utf8_pool[];
extern const size_t ts_utf8_pool_n;

/**
 * The fuzz targets' model text: each byte of `data` (`size` bytes) picks a piece of `alphabet` (`n` NUL-terminated
 * strings, byte value modulo n), appended to `text` in order.
 */
void ts_fuzz_text(const uint8_t *data, size_t size, const char *const *alphabet, size_t n, gw_buf_t *text);

/**
 * A streamed answer carrying `len` bytes of `text` as model text, `piece` bytes per event (at least 1; extended to
 * whole UTF-8 code points, as providers send), appended to `out`: OpenAI chat chunks (choices[0].delta.content, then
 * a finish_reason chunk and [DONE]), or with `anthropic` Anthropic's message_start, content_block_delta text_delta
 * events and message_stop.
 */
void ts_sse_text_stream(const char *text, size_t len, size_t piece, int anthropic, gw_buf_t *out);

/** The model text a client joins from a stream (ts_sse_text_collect). */
typedef struct {
    gw_buf_t text; /* choices[0].delta.content or delta.text of each event, joined; the caller frees it */
    int bad;       /* 1 when an event's data (other than [DONE]) is not JSON */
} ts_sse_text_t;

/**
 * Parses `len` bytes of `sse` as one complete stream (ts_sse_parse_all) and joins into *v (zeroed first) the text a
 * client reads: choices[0].delta.content (OpenAI chat) or delta.text (Anthropic) of each event.
 * @return as ts_sse_parse_all.
 */
int ts_sse_text_collect(const char *sse, size_t len, ts_sse_text_t *v);

#endif
