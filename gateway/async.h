/*
 * Asynchronous predictions (issue 16), the generic mechanism; what a provider's answers look like is declared by its
 * adapter (providers/provider.h prov_async_links_t, async_id_fields, async_*_routes). A prediction answer may carry
 * links that point at the provider (Replicate: `urls.get`, `urls.cancel`, `urls.stream`), so a client that follows
 * them (the replicate SDK's `stream()` does) would bypass aigw: no restore of placeholders, no call record. aigw
 * rewrites each declared link to its own route under the adapter's route prefix:
 *   - a plain link      -> <aigw><route_prefix><route with the id>                    (authenticated as usual)
 *   - a capability link -> <aigw><route_prefix><route with the id>?aigw_cap=<capability>
 * A capability link (a stream URL) is fetched without credentials (the provider's own URL is a capability, and the
 * SDK sends no Authorization there), so aigw's URL carries a capability: an XChaCha20-Poly1305 box under a key of
 * this process holding the upstream URL, the end user, the client, an expiry and the request's placeholder vault
 * (token -> original value), so the stream route can restore the placeholders of the request that created the
 * prediction. The box is opaque to the client: neither the upstream URL nor any value can be read from it, and any
 * change is refused.
 *
 * Everything here is pure apart from the key: JSON in, JSON out (jansson: once per prediction
 * response); unit-tested in tests/unit/gateway/test_async.c and fuzzed (fuzz_async_cap).
 */
#ifndef AIGW_GATEWAY_ASYNC_H
#define AIGW_GATEWAY_ASYNC_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/sse.h"
#include "providers/provider.h"

#define GW_ASYNC_KEY_BYTES 32
#define GW_ASYNC_CAP_MAX 16384         /* capability text bytes accepted (the query value) */
#define GW_ASYNC_CAP_TTL_S (24 * 3600) /* providers keep a prediction's stream far shorter (Replicate: minutes) */

/** What a stream capability holds (strings owned by the struct after gw_async_cap_open). */
typedef struct st_gw_async_cap_t {
    char *upstream_url; /**< the provider's capability link (stream URL) as it came */
    char *user;         /**< end user of the creating request */
    char *client;       /**< client name of the creating request */
    int64_t expires;    /**< unix seconds */
    char **tokens;      /**< vault: tokens[i] -> values[i] (NUL-terminated) */
    char **values;
    size_t ntokens;
} gw_async_cap_t;

/** The vault of one request, built with gw_async_vault_add (owned arrays of owned strings). */
typedef struct st_gw_async_vault_t {
    char **tokens;
    char **values;
    size_t n, cap;
} gw_async_vault_t;

/** Adds token -> value (both copied; `tl` / `vl` bytes) unless the token is already there. @return 0 or -1 (OOM). */
int gw_async_vault_add(gw_async_vault_t *v, const char *token, size_t tl, const char *value, size_t vl);

/** Frees the vault's strings and arrays and zeroes it. */
void gw_async_vault_free(gw_async_vault_t *v);

/**
 * Seals a capability for `upstream_url`, `user`, `client` (NUL-terminated, borrowed), valid until
 * `expires` (unix s), with the vault `v` (may be NULL), under `key`. Appends base64url text (no
 * padding) to `out`. @return 0, or -1 on allocation failure.
 */
int gw_async_cap_seal(const unsigned char key[GW_ASYNC_KEY_BYTES], const char *upstream_url, const char *user, const char *client,
                      int64_t expires, const gw_async_vault_t *v, gw_buf_t *out);

/**
 * Opens a capability (`len` bytes of base64url text, borrowed) at `now` (unix s).
 * @return 0 with *cap filled (free with gw_async_cap_free), or -1 with a static *err_desc
 * ("malformed", "forged or damaged", "expired") and *cap zeroed.
 */
int gw_async_cap_open(const unsigned char key[GW_ASYNC_KEY_BYTES], const char *text, size_t len, int64_t now, gw_async_cap_t *cap,
                      const char **err_desc);

/** Frees what gw_async_cap_open filled (values wiped first). */
void gw_async_cap_free(gw_async_cap_t *cap);

/**
 * Restore callback for policy/restore.h over a capability's vault (`session` is a
 * gw_async_cap_t *): replaces every known token in `s` (`len` bytes). Same contract as
 * gw_privacy_restore_text: @return 0 unchanged, 1 changed (out filled), -1 on OOM.
 */
int gw_async_restore_text(void *session, const char *path, const char *s, size_t len, gw_buf_t *out);

/**
 * Restoring a capability stream: its text events (the adapter's async_links->text_event, Replicate `output`) carry
 * plain text (not JSON), split anywhere, so a placeholder may straddle events. Per stream, zero-initialised, then
 * text_event set; free with gw_async_sse_free.
 */
typedef struct st_gw_async_sse_t {
    const char *text_event; /* name of the text events (prov_async_links_t.text_event, borrowed); NULL: none */
    gw_buf_t held;          /* a trailing possible token prefix (or the scan's hold-back), prepended to the next output event */
    gw_buf_t text, restored, scanned;
    /** pii.scan_responses on the stream's model text, or NULL: pol_restore_scan_cb's contract (gateway/privacy.h
        gw_privacy_scan_output): scans text[0, len), holds back what more text may complete unless `final`. */
    int (*scan)(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out);
    void *scan_ctx;
    /** The adapter's output_media_urls (borrowed; NULL: none): a text event whose data is one such link
        (prov_output_media_url: a generated file, an image model's output) is not scanned: held text is flushed
        before it and it passes as received. */
    const char *const *media_urls;
} gw_async_sse_t;

/**
 * One SSE event of a capability stream (`ev` borrowed): a text event's data is scanned (as path st->text_event) when
 * st->scan is set (model output, pii.scan_responses: the scan holds back what the next piece may
 * complete, at most POL_PII_OUTPUT_HOLD_MAX bytes), then gets the vault's tokens restored, holding
 * back at most a possible token prefix for the next text event. Any other event with data (Replicate's `logs`,
 * `error`, `done`'s JSON, a kind added tomorrow) first flushes what is held as a text event, then its data is scanned
 * as one text on its own (final; path: the event's name, "message" when unnamed) when st->scan is set and restored
 * from the vault: re-serialised (`id`, `event`, one `data:` line per line) when that changed it, else passed as
 * received; events without data (comments) pass as received. Appends to `out`. @return 0, or -1 on OOM or a failed
 * scan (the caller must not send the unscanned text).
 */
int gw_async_sse_event(gw_async_sse_t *st, const gw_async_cap_t *cap, const gw_sse_event_t *ev, gw_buf_t *out);

/** End of the stream: scans (final) and restores held text, flushed as a last text event. @return 0, or -1. */
int gw_async_sse_finish(gw_async_sse_t *st, const gw_async_cap_t *cap, gw_buf_t *out);

/** Frees the buffers and zeroes st. */
void gw_async_sse_free(gw_async_sse_t *st);

/** What a prediction rewrite needs to know about the request that got the prediction. */
typedef struct st_gw_async_rewrite_t {
    const char *public_base;  /**< "http://127.0.0.1:8080": scheme and authority the client used */
    const char *route_prefix; /**< the adapter's route prefix on aigw ("/replicate/v1/") */
    const char *user, *client;
    const gw_async_vault_t *vault; /**< may be NULL */
    const unsigned char *key;      /**< GW_ASYNC_KEY_BYTES; NULL only when the adapter declares no capability link */
    int64_t now;                   /**< unix s */
} gw_async_rewrite_t;

/**
 * Rewrites the links adapter `a` declares (a->async_links: the links object of a prediction, or of each prediction
 * in a list answer) in `json` (`len` bytes, borrowed) to aigw's routes; a capability link's URL gets a capability
 * (gw_async_cap_seal) valid for GW_ASYNC_CAP_TTL_S. Other members are kept (the document is re-encoded).
 * Predictions without a valid id (the first of a->async_id_fields present) are left alone.
 * @return 1 rewritten into `out` (reset first), 0 nothing to rewrite or `a` declares no links (out untouched),
 * -1 on OOM.
 */
int gw_async_rewrite_links(const prov_adapter_t *a, const gw_async_rewrite_t *rw, const char *json, size_t len, gw_buf_t *out);

/* ---- results fetched by a later call (Replicate GET / cancel, fal queue result) ---- */

#define GW_ASYNC_ID_MAX 128 /* prediction ids (async_id_fields): [A-Za-z0-9_-]{1,128} */

/** Which asynchronous call a request is (gw_async_classify). */
typedef enum en_gw_async_kind_t {
    GW_ASYNC_NONE = 0,
    GW_ASYNC_CREATE, /* Replicate POST .../predictions, fal queue submit: the answer names a new id */
    GW_ASYNC_READ    /* Replicate GET predictions/{id} or POST predictions/{id}/cancel, fal GET .../requests/{id} */
} gw_async_kind_t;

/**
 * Classifies a request to adapter `a` by its async_create_routes / async_read_routes
 * (providers/provider.h): `method` (`ml` bytes), `path` (`pl` bytes: after the route prefix, or the
 * path of a client-named target (target_url); a leading '/' and a query are ignored) and `origin` (the target URL's
 * "https://host", NULL when the adapter has none), which must be the adapter's async_origin when
 * it declares one. For GW_ASYNC_READ the id is copied to `id` (NUL-terminated); an id outside
 * [A-Za-z0-9_-]{1,GW_ASYNC_ID_MAX} gives GW_ASYNC_NONE (never looked up).
 */
gw_async_kind_t gw_async_classify(const prov_adapter_t *a, const char *method, size_t ml, const char *path, size_t pl,
                                  const char *origin, char id[GW_ASYNC_ID_MAX + 1]);

/** What a prediction answer says about its prediction (gw_async_answer_state). */
typedef struct st_gw_async_state_t {
    char id[GW_ASYNC_ID_MAX + 1]; /**< "" when the answer names no valid id */
    int terminal;                 /**< its status is one the adapter lists as final */
} gw_async_state_t;

/**
 * Reads what adapter `a` declares of a prediction answer (`json`, `len` bytes, borrowed): the id (the first of
 * a->async_id_fields present; "" when it is not a string of [A-Za-z0-9_-]{1,GW_ASYNC_ID_MAX}) and whether the
 * status (a->async_status_field) is one of a->async_terminal_statuses (NULL: never terminal).
 * @return 0, or -1 when it is not a JSON object (st zeroed).
 */
int gw_async_answer_state(const prov_adapter_t *a, const char *json, size_t len, gw_async_state_t *st);

/**
 * The vault as text for storing it (encrypted by the store): a JSON array of [token, value]
 * pairs appended to `out`. @return 0, or -1 on OOM.
 */
int gw_async_vault_to_json(const gw_async_vault_t *v, gw_buf_t *out);

/**
 * Parses what gw_async_vault_to_json wrote (`len` bytes, borrowed) into `v` (zero-initialised by
 * the caller; free with gw_async_vault_free). @return 0, or -1 when malformed or on OOM (v freed).
 */
int gw_async_vault_from_json(const char *s, size_t len, gw_async_vault_t *v);

/**
 * Restores the vault's tokens in every string value (and object key) of the JSON document
 * `json` (`len` bytes, borrowed): a later read of a prediction gives back the values of the
 * request that created it. The document is re-encoded (jansson) only when something changed.
 * @return 1 restored into `out` (reset first), 0 nothing to restore or not JSON (out untouched),
 * -1 on OOM.
 */
int gw_async_restore_json(const gw_async_vault_t *v, const char *json, size_t len, gw_buf_t *out);

/** Same as gw_async_restore_text with a vault (`session` is a const gw_async_vault_t *). */
int gw_async_vault_restore_text(void *session, const char *path, const char *s, size_t len, gw_buf_t *out);

/**
 * Whether `rest` (path after adapter `a`'s route prefix, query allowed, `len` bytes) is the route of its capability
 * link (prov_async_link_t.capability, Replicate "predictions/{id}/stream") with a non-empty single-segment id, and
 * its query has `aigw_cap=`; then *cap / *cap_len point at its value. 0 when `a` declares no capability link.
 */
int gw_async_stream_route(const prov_adapter_t *a, const char *rest, size_t len, const char **cap, size_t *cap_len);

#endif
