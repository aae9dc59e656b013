/*
 * gw_sse: incremental Server-Sent Events parser (WHATWG HTML "Interpreting an event stream", plus the
 * provider notes in providers/README.md section 4). Bytes may arrive in any chunking; every event block
 * (the lines up to and including a blank line) is reported with its fields and its raw bytes, so a
 * proxy can forward untouched events byte for byte.
 */
#ifndef AIGW_COMMON_SSE_H
#define AIGW_COMMON_SSE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"

#define GW_SSE_E_TOO_BIG GW_E_SSE_TOO_BIG     /* an event block exceeded max_event_bytes */
#define GW_SSE_E_TRUNCATED GW_E_SSE_TRUNCATED /* gw_sse_finish(): the stream ended inside an event block */
#define GW_SSE_E_NOMEM GW_E_INTERNAL          /* allocation failure: the common code (common/errors.h) */

/** Default cap on one event block's raw size: 8 MiB. */
#define GW_SSE_DEFAULT_MAX_EVENT_BYTES ((size_t)8 << 20)

/**
 * One event block. All pointers are borrowed and valid only during the callback.
 * WHATWG dispatches an event only when has_data is set; blocks without data (a lone blank line, a comment
 * followed by a blank line, an `event:` without `data:`) are reported too, so their raw bytes can be forwarded.
 */
typedef struct st_gw_sse_event_t {
    const char *event; /**< value of the last `event:` line, "" when none (WHATWG: type "message") */
    size_t event_len;
    const char *data; /**< values of the `data:` lines joined with "\n" (no trailing "\n"), NUL-terminated */
    size_t data_len;
    const char *id; /**< value of the last `id:` line of this block (ids containing NUL are ignored, WHATWG) */
    size_t id_len;
    int has_id;
    int has_data;     /**< at least one `data` field in the block */
    size_t ncomments; /**< comment lines (":" ...) inside the block */
    const char *raw;  /**< the block's bytes as received, from the end of the previous block through its blank line.
                           After a "\r" at a chunk end, a "\n" opening the next chunk completes that CRLF and is
                           counted at the start of the next block's raw bytes. */
    size_t raw_len;
    uint64_t offset; /**< byte offset of raw in the whole stream */
} gw_sse_event_t;

/** Event callback: return 0 to continue, < 0 to stop (gw_sse_feed() returns that value). */
typedef int (*gw_sse_event_cb)(void *ctx, const gw_sse_event_t *ev);
/** Comment callback: `text` is the line after the ':' (borrowed for the call), reported as soon as the line ends
    (before the block's event). Return 0 to continue, < 0 to stop. */
typedef int (*gw_sse_comment_cb)(void *ctx, const char *text, size_t len);

/** Parser state; may be embedded, but treat the fields as private except on_comment. */
typedef struct st_gw_sse_parser_t {
    gw_sse_comment_cb on_comment; /**< optional, set after gw_sse_init(); gets the ctx passed to feed */
    size_t max_event_bytes;
    gw_buf_t raw;   /* current block's raw bytes */
    gw_buf_t line;  /* current line when it spans chunks */
    gw_buf_t data;  /* joined data */
    gw_buf_t event; /* event name */
    gw_buf_t id;
    int has_id, has_data, pending_cr, stray_lf, error;
    size_t ncomments;
    uint64_t offset; /* stream offset of raw.base[0] */
} gw_sse_parser_t;

/** Initialises `p`; max_event_bytes = cap on one block's raw size (0 = GW_SSE_DEFAULT_MAX_EVENT_BYTES). */
void gw_sse_init(gw_sse_parser_t *p, size_t max_event_bytes);

/**
 * Parses `len` bytes of `data` (borrowed). Lines end with "\n", "\r\n" or "\r"; a field line is `name:value` with one
 * leading space of the value dropped; a line without ':' is a field with an empty value; `data` lines are joined with
 * "\n", `event` and `id` keep their last value, `retry` and unknown fields are ignored (but kept in raw).
 * Calls cb for every complete block, on_comment for every comment line.
 * @return 0; GW_SSE_E_TOO_BIG when a block grows beyond max_event_bytes (the parser then stays failed);
 * GW_SSE_E_NOMEM; or a callback's negative value.
 */
int gw_sse_feed(gw_sse_parser_t *p, const char *data, size_t len, gw_sse_event_cb cb, void *ctx);

/**
 * End of stream. Per WHATWG an incomplete block is not dispatched.
 * @return 0 when the stream ended on a block boundary, GW_SSE_E_TRUNCATED when bytes of an incomplete block were
 * pending (see gw_sse_pending()), or the parser's earlier error.
 */
int gw_sse_finish(gw_sse_parser_t *p);

/**
 * Appends the `retry` field lines of `ev` (the client's reconnection time, WHATWG HTML "Server-sent events",
 * interpreting an event stream: a field the parser reads into no member and keeps in ev->raw only) to `out`, each as
 * received and ended by "\n", for a caller that re-serialises the event (a changed event would lose them otherwise).
 * @return 0 (also when there are none or ev->raw is NULL), or -1 when `out` cannot grow.
 */
int gw_sse_append_retry(const gw_sse_event_t *ev, gw_buf_t *out);

/** Raw bytes received after the last complete block (borrowed, valid until the next feed / dispose). */
const char *gw_sse_pending(const gw_sse_parser_t *p, size_t *len);

/** Resets the state for a new stream, keeping the memory (and on_comment / max_event_bytes). */
void gw_sse_reset(gw_sse_parser_t *p);

/** Frees the memory; gw_sse_init() again before reuse. */
void gw_sse_dispose(gw_sse_parser_t *p);

#endif
