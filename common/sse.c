/*
 * Incremental SSE parser (see sse.h). Rules from WHATWG HTML, "9.2.6 Interpreting an event stream":
 * lines end with CRLF, LF or CR; a blank line dispatches the block; `:` starts a comment; one space
 * after the field colon is dropped; `data` values are joined with LF. The parser keeps the raw bytes
 * of the current block so that a proxy can pass events through unchanged, and caps a block's size
 * (a stream without blank lines must not grow memory without bound, STYLE rule 10).
 *
 * A CR at the end of a chunk ends the line at once (the event is not delayed until the next chunk);
 * `pending_cr` then swallows an LF that opens the next chunk, since CR LF is one line terminator.
 */
#include "common/sse.h"

#include <string.h>

void gw_sse_init(gw_sse_parser_t *p, size_t max_event_bytes)
{
    memset(p, 0, sizeof(*p));
    p->max_event_bytes = max_event_bytes ? max_event_bytes : GW_SSE_DEFAULT_MAX_EVENT_BYTES;
}

void gw_sse_reset(gw_sse_parser_t *p)
{
    gw_buf_reset(&p->raw);
    gw_buf_reset(&p->line);
    gw_buf_reset(&p->data);
    gw_buf_reset(&p->event);
    gw_buf_reset(&p->id);
    p->has_id = p->has_data = p->pending_cr = p->stray_lf = p->error = 0;
    p->ncomments = 0;
    p->offset = 0;
}

void gw_sse_dispose(gw_sse_parser_t *p)
{
    gw_buf_free(&p->raw);
    gw_buf_free(&p->line);
    gw_buf_free(&p->data);
    gw_buf_free(&p->event);
    gw_buf_free(&p->id);
    p->has_id = p->has_data = p->pending_cr = 0;
    p->error = 0;
}

static int set_buf(gw_buf_t *b, const char *s, size_t n)
{
    gw_buf_reset(b);
    return gw_buf_append(b, s, n);
}

static int dispatch(gw_sse_parser_t *p, gw_sse_event_cb cb, void *ctx)
{
    gw_sse_event_t ev;
    ev.event = p->event.len ? p->event.base : "";
    ev.event_len = p->event.len;
    ev.has_data = p->has_data;
    ev.data = p->data.len ? p->data.base : "";
    ev.data_len = p->data.len ? p->data.len - 1 : 0; /* drop the trailing LF (WHATWG) */
    if (p->data.len)
        p->data.base[ev.data_len] = '\0';
    ev.has_id = p->has_id;
    ev.id = p->id.len ? p->id.base : "";
    ev.id_len = p->id.len;
    ev.ncomments = p->ncomments;
    ev.raw = p->raw.len ? p->raw.base : "";
    ev.raw_len = p->raw.len;
    ev.offset = p->offset;
    int rc = cb != NULL ? cb(ctx, &ev) : 0;
    p->offset += p->raw.len;
    gw_buf_reset(&p->raw);
    gw_buf_reset(&p->data);
    gw_buf_reset(&p->event);
    gw_buf_reset(&p->id);
    p->has_id = p->has_data = p->stray_lf = 0;
    p->ncomments = 0;
    return rc;
}

static int process_line(gw_sse_parser_t *p, const char *s, size_t n, gw_sse_event_cb cb, void *ctx)
{
    if (n == 0)
        return dispatch(p, cb, ctx);
    if (s[0] == ':') {
        p->ncomments++;
        return p->on_comment != NULL ? p->on_comment(ctx, s + 1, n - 1) : 0;
    }
    const char *colon = memchr(s, ':', n);
    size_t nl = colon ? (size_t)(colon - s) : n;
    const char *v = colon ? colon + 1 : s + n;
    size_t vl = colon ? n - nl - 1 : 0;
    if (vl && v[0] == ' ') {
        v++;
        vl--;
    }
    if (nl == 4 && memcmp(s, "data", 4) == 0) {
        p->has_data = 1;
        if (gw_buf_append(&p->data, v, vl) != 0 || gw_buf_append(&p->data, "\n", 1) != 0)
            return GW_SSE_E_NOMEM;
    } else if (nl == 5 && memcmp(s, "event", 5) == 0) {
        if (set_buf(&p->event, v, vl) != 0)
            return GW_SSE_E_NOMEM;
    } else if (nl == 2 && memcmp(s, "id", 2) == 0) {
        if (memchr(v, '\0', vl) == NULL) {
            if (set_buf(&p->id, v, vl) != 0)
                return GW_SSE_E_NOMEM;
            p->has_id = 1;
        }
    }
    return 0; /* retry and unknown fields: ignored (they stay in raw) */
}

static int append_raw(gw_sse_parser_t *p, const char *s, size_t n)
{
    if (p->raw.len + n > p->max_event_bytes) {
        p->error = GW_SSE_E_TOO_BIG;
        return p->error;
    }
    return gw_buf_append(&p->raw, s, n) == 0 ? 0 : GW_SSE_E_NOMEM;
}

int gw_sse_feed(gw_sse_parser_t *p, const char *data, size_t len, gw_sse_event_cb cb, void *ctx)
{
    size_t i = 0;
    int rc;
    if (p->error)
        return p->error;
    if (len == 0)
        return 0;
    if (p->pending_cr) {
        p->pending_cr = 0;
        if (data[0] == '\n') {
            p->stray_lf = p->raw.len == 0; /* completes the CRLF that ended the previous block */
            if ((rc = append_raw(p, data, 1)) != 0)
                return rc;
            i = 1;
        }
    }
    while (i < len) {
        const char *s = data + i;
        size_t rest = len - i, j;
        /* find the next CR or LF */
        const char *lf = memchr(s, '\n', rest);
        size_t lim = lf ? (size_t)(lf - s) : rest;
        const char *cr = memchr(s, '\r', lim);
        j = cr ? (size_t)(cr - s) : lim;
        if (j == rest) { /* no terminator in this chunk: keep the partial line */
            if ((rc = append_raw(p, s, rest)) != 0)
                return rc;
            if (gw_buf_append(&p->line, s, rest) != 0)
                return GW_SSE_E_NOMEM;
            break;
        }
        size_t term = 1;
        if (s[j] == '\r') {
            if (j + 1 < rest) {
                if (s[j + 1] == '\n')
                    term = 2;
            } else {
                p->pending_cr = 1;
            }
        }
        if ((rc = append_raw(p, s, j + term)) != 0)
            return rc;
        if (p->line.len) {
            if (gw_buf_append(&p->line, s, j) != 0)
                return GW_SSE_E_NOMEM;
            rc = process_line(p, p->line.base, p->line.len, cb, ctx);
            gw_buf_reset(&p->line);
        } else {
            rc = process_line(p, s, j, cb, ctx);
        }
        if (rc != 0)
            return rc;
        i += j + term;
    }
    return 0;
}

int gw_sse_finish(gw_sse_parser_t *p)
{
    if (p->error)
        return p->error;
    /* a lone LF completing the CRLF of the last block is not an incomplete block */
    return p->raw.len > (size_t)p->stray_lf ? GW_SSE_E_TRUNCATED : 0;
}

const char *gw_sse_pending(const gw_sse_parser_t *p, size_t *len)
{
    *len = p->raw.len;
    return p->raw.len ? p->raw.base : "";
}

int gw_sse_append_retry(const gw_sse_event_t *ev, gw_buf_t *out)
{
    const char *p = ev->raw, *end = p != NULL ? p + ev->raw_len : NULL;
    while (p < end) {
        const char *e = p;
        while (e < end && *e != '\n' && *e != '\r')
            e++;
        if (e - p >= 5 && memcmp(p, "retry", 5) == 0 && (e - p == 5 || p[5] == ':') &&
            (gw_buf_append(out, p, (size_t)(e - p)) != 0 || gw_buf_append(out, "\n", 1) != 0))
            return -1;
        p = e + (e < end && *e == '\r' && e + 1 < end && e[1] == '\n' ? 2 : 1);
    }
    return 0;
}
