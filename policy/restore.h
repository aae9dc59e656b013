/*
 * pol_restore: streaming rewriter for SSE responses that puts original values back in place of the
 * placeholder tokens (`<EMAIL_ADDRESS_1>`) aigw sent upstream. The PII vault lives elsewhere: the
 * stream hands every decoded string value to a text callback. Tokens split across events are
 * reassembled per JSON path while holding back only a trailing possible token prefix (see
 * docs/internals/json.md, "Streaming restore").
 */
#ifndef AIGW_POLICY_RESTORE_H
#define AIGW_POLICY_RESTORE_H

#include <stddef.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/json.h"
#include "common/sse.h"

#define POL_RESTORE_E_NOMEM GW_E_INTERNAL /* allocation failure: the common code (common/errors.h) */
#define POL_RESTORE_E_HOLD                                                                                                         \
    GW_E_RESTORE_HOLD /* a scan callback broke its contract (held back more than POL_RESTORE_MAX_HOLD, or held                     \
            back text when told the piece was final) */

#define POL_RESTORE_E_UNSCANNABLE                                                                                                  \
    GW_E_RESTORE_UNSCANNABLE /* with a scan stage: an event whose data is neither a JSON object nor `[DONE]`, or does not          \
            parse: its text cannot be scanned, so it is not forwarded (fail closed) */

/** Longest token in bytes, `<` and `>` included: `<` [A-Z][A-Z0-9_]* `_` [1-9][0-9]* `>`. */
#define POL_RESTORE_MAX_TOKEN 64

/**
 * Text callback: `s` (`len` bytes, decoded UTF-8, borrowed) is text to send to the client, taken from the string value
 * at JSON `path` (NUL-terminated, borrowed; e.g. "choices[0].delta.content"). Tokens complete in `s` should be
 * restored: append the transformed text to `out` (empty on entry) and return 1, or return 0 to send `s` unchanged.
 * A negative return aborts: pol_restore_stream_feed() / finish() return it.
 */
typedef int (*pol_restore_text_cb)(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out);

/** Most bytes a stream holds back per JSON path (a scan callback's hold included). */
#define POL_RESTORE_MAX_HOLD 1024

/**
 * Scan callback for strings at the paths given to pol_restore_paths_compile() (model text: pii.scan_responses):
 * `s` (`len` bytes, decoded UTF-8, borrowed) is the held text of that path followed by the new piece. Set *emit
 * (<= len, preset to len) to how many bytes go out now; the rest (at most POL_RESTORE_MAX_HOLD bytes; none when
 * `final` is 1) is held and prepended to the next piece at that path. Append the text that replaces s[0, *emit) to
 * `out` (empty on entry) and return 1, or return 0 to send s[0, *emit) unchanged; negative aborts like the text
 * callback. The callback restores tokens itself: the text callback is not called for these strings.
 */
typedef int (*pol_restore_scan_cb)(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out);

typedef struct st_pol_restore_stream_t pol_restore_stream_t;

/** Creates a stream that calls cb with ctx (borrowed; must outlive the stream's use). @return NULL on OOM. */
pol_restore_stream_t *pol_restore_stream_create(pol_restore_text_cb cb, void *ctx);

/**
 * Compiles the stream's path rules with `n` extra patterns (common/json.h syntax, borrowed during the call) whose
 * strings go to a scan callback (see pol_restore_stream_set_scan()); every other string is only restored (the scan of
 * listed paths only; aigw's pii.scan_responses uses pol_restore_paths_compile_all()). The result is immutable and may be shared by
 * every stream and thread; free with gw_json_paths_free(). @return NULL with a message in err on a bad pattern.
 */
gw_json_paths_t *pol_restore_paths_compile(const char *const *scan_patterns, size_t n, char *err, size_t errlen);

/**
 * pol_restore_paths_compile() for a scan that reads every string (pii.scan_responses, session 11): strings at the `n`
 * scan_patterns go to the scan callback as streamed text (held back across events as it decides); strings at the
 * `nskip` skip_patterns (a provider's declared no-text fields: ids, types, base64, signatures, tool-call arguments) are
 * only restored, as without a scan stage; every other string goes to the scan callback on its own with final = 1,
 * after a trailing possible token prefix is held back (so a placeholder split across events is restored). A skip
 * pattern wins over a scan pattern. Object keys are restored, not scanned. At most 64 scan and 128 skip patterns.
 * @return NULL with a message in err on a bad pattern or too many.
 */
gw_json_paths_t *pol_restore_paths_compile_all(const char *const *scan_patterns, size_t n, const char *const *skip_patterns,
                                               size_t nskip, char *err, size_t errlen);

/**
 * Turns on the scan stage for this response: `paths` (from pol_restore_paths_compile(), borrowed, must outlive the
 * response) selects the strings that go to `scan` (with the stream's ctx) instead of the text callback. Holds of those
 * paths are bounded by POL_RESTORE_MAX_HOLD; flushes call `scan` with final = 1. Reset turns it off.
 */
void pol_restore_stream_set_scan(pol_restore_stream_t *rs, const gw_json_paths_t *paths, pol_restore_scan_cb scan);

/**
 * For a stream without a scan stage (restore only): `paths` (from pol_restore_paths_compile() with the format's
 * streamed-text patterns, borrowed, must outlive the response; NULL: none) tells which strings are pieces a client
 * joins. A re-send (a flush) then sends those other than the flushed one empty, as with a scan stage: they went out
 * with the event the first time and a client would read them twice. Without it every other string is re-sent as it
 * was (harmless for whole values such as ids, a repeat for streamed text). Read by re-sends only (other events walk
 * the stream's own rules: these cost ~37 % more instructions per event), and ignored with a scan stage. Reset clears it.
 */
void pol_restore_stream_set_text(pol_restore_stream_t *rs, const gw_json_paths_t *paths);

/** Makes the stream ready for a new response with a new callback, keeping its memory. Clears the event hook and the
    scan stage. */
void pol_restore_stream_reset(pol_restore_stream_t *rs, pol_restore_text_cb cb, void *ctx);

/** Frees the stream (NULL is ignored). */
void pol_restore_stream_free(pol_restore_stream_t *rs);

/**
 * Feeds `len` bytes of the upstream SSE body (any chunking, borrowed) and appends the bytes to send to the client to
 * `out` (never reset). For each complete event whose data is a JSON object, every string value goes through the text
 * callback, except a trailing possible token prefix (`<` + at most 63 bytes that can still become a token), which is
 * held back and prepended to the next string at the same path. Held text is flushed by re-sending the last event that
 * carried its path (same JSON, that string replaced by the held text) just before a terminating event: non-JSON data
 * (`[DONE]`), an event named or typed message_delta / message_stop / content_block_stop / error / done / *.done /
 * *.completed / *.incomplete / *.failed, or a chunk with a string `choices[].finish_reason` /
 * `candidates[].finishReason` / `delta.stop_reason` (a terminating event holds nothing back itself). Events that change
 * are re-serialized as `id: I\n` (if any), the event's `retry` lines as received, `event: X\n` (if named), `data: <json>\n`
 * (one line per data line), `\n`;
 * everything else (comments, blank blocks, non-JSON data, unchanged events) passes through byte for byte. Comment lines
 * inside a re-serialized event are dropped.
 * With a scan stage (pol_restore_stream_set_scan()), strings at its paths are held back as its callback decides
 * instead, and in a re-send every other string at a scan path is sent empty (it went out with its own event).
 * With a scan stage, non-JSON data other than `[DONE]` or blank, and data that does not parse, are refused
 * (POL_RESTORE_E_UNSCANNABLE): without one they pass as above.
 * @return 0, GW_SSE_E_TOO_BIG (an event over 8 MiB), POL_RESTORE_E_NOMEM, POL_RESTORE_E_HOLD,
 * POL_RESTORE_E_UNSCANNABLE, or a callback's negative value.
 */
int pol_restore_stream_feed(pol_restore_stream_t *rs, const char *in, size_t len, gw_buf_t *out);

/**
 * End of the upstream body: appends the flush of all held text (as above) and, without a scan stage, the raw bytes of
 * an incomplete trailing event, if any, to `out` (with one it is dropped: its text was not scanned).
 * @return 0, GW_SSE_E_TRUNCATED (the upstream ended inside an event; out is complete anyway), or an error as feed.
 */
int pol_restore_stream_finish(pol_restore_stream_t *rs, gw_buf_t *out);

/** Sets an optional hook that sees every event carrying data, as received (before restoring; e.g. usage
    extraction). `ev` is borrowed for the call. */
void pol_restore_stream_on_event(pol_restore_stream_t *rs, void (*on_event)(void *ctx, const gw_sse_event_t *ev), void *ctx);

/**
 * The name (SSE `event:` field) of the event whose strings the text or scan callback is being given: the event being
 * fed, or, while held text is flushed, the held event that is re-sent (its text belongs to that event). For callbacks
 * whose treatment depends on the event, not only on the JSON path: OpenAI Responses streams carry both model prose and
 * function-call arguments (JSON text) at the path `delta` (`response.output_text.delta`,
 * `response.function_call_arguments.delta`). Valid only during a callback; outside one, or for an unnamed event,
 * returns "" with *len = 0. Borrowed, NUL-terminated only when it came from a held event (use *len).
 */
const char *pol_restore_stream_event(const pol_restore_stream_t *rs, size_t *len);

/**
 * Length of the trailing possible token prefix of `s` (0 if none): the suffix starting at the last `<` when it is at
 * most POL_RESTORE_MAX_TOKEN - 1 bytes and can still be completed into a token within POL_RESTORE_MAX_TOKEN bytes.
 */
size_t pol_restore_token_prefix_len(const char *s, size_t len);

#endif
