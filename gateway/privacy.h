/*
 * The privacy stage of the pipeline: glue between a provider adapter's field list, the JSON
 * rewriter (common/json.h) and the PII engine (policy/pii/pii.h).
 *
 * Request side: one pass of gw_json_rewrite over the body validates it, captures the fields
 * the gateway needs (user, safety_identifier, model, stream) and sends every text field the
 * adapter names through pol_pii_session_scrub; only changed strings are re-encoded.
 * Response side: tokens the session issued are restored in JSON bodies (every string value)
 * and in SSE streams (policy/restore.h holds back only a possible token prefix). Inside
 * strings that themselves hold JSON (tool-call `arguments`, Anthropic `partial_json`) the
 * restored value is JSON-escaped so the inner document stays valid.
 */
#ifndef AIGW_GATEWAY_PRIVACY_H
#define AIGW_GATEWAY_PRIVACY_H

#include <stddef.h>

#include "gateway/config.h"
#include "common/buf.h"
#include "policy/imagemeta.h"
#include "common/json.h"
#include "common/multipart.h"
#include "policy/notrain.h"
#include "policy/payload.h"
#include "policy/pii/pii.h"
#include "policy/restore.h"
#include "providers/provider.h"

typedef struct st_gw_privacy_t gw_privacy_t;

/** Per-worker scratch memory for the privacy stage (not shared between threads). */
typedef struct st_gw_privacy_scratch_t {
    pol_pii_scratch_t *pii;
    gw_json_scratch_t json;
    pol_imagemeta_scratch_t img;
    gw_buf_t tmp;
    gw_buf_t dec, txt, field;  /* decoded payloads, scanned text, key field names */
    gw_buf_t inner, inner_out; /* a JSON document decoded from a base64 text payload, and its rewrite */
    gw_buf_t pct;              /* a scanned text percent-decoded (scrub_text) */
    gw_json_scratch_t json_inner;
    struct st_gw_clean_slot_t *clean; /* GW_CLEAN_SLOTS short texts whose scan found nothing (see privacy.c) */
} gw_privacy_scratch_t;

/** Texts up to this many bytes that scanned clean are remembered per worker (GW_CLEAN_SLOTS of them). */
#define GW_CLEAN_MAX_BYTES 48
#define GW_CLEAN_SLOTS 2048

/** gw_privacy_scrub_request(): the body is refused; gw_body_info_t.refusal_* say how (status, code, message). */
#define GW_PRIVACY_E_REFUSED GW_E_PRIVACY_REFUSED

/**
 * The output mode a request declares for the model's answer text (gw_body_info_t.output_mode): whether that text is
 * itself JSON, so that a value restored into it must be escaped for a JSON string literal (docs/internals/privacy.md,
 * "Response side: values restored into JSON text"). Read from OpenAI chat `response_format.type` and Responses
 * `text.format.type` (json_schema / json_object: JSON; text, grammar...: text), Gemini
 * `generationConfig.responseMimeType` (application/json: JSON; any other: text), Anthropic `output_config.format.type`
 * and `output_format.type` (json_schema: JSON).
 */
enum {
    GW_OUTPUT_UNDECLARED = 0, /**< no mode declared: a whole string that is one JSON object or array is taken for JSON */
    GW_OUTPUT_TEXT = 1,       /**< prose declared: the answer's text gets values as they are */
    GW_OUTPUT_JSON = 2        /**< JSON declared: the answer's text (every piece of a stream) gets values escaped */
};

/** End-user id fields a no-training posture hashes (policy/notrain.h pol_notrain_hash_t; gw_privacy_create refuses a
    posture that hashes another): their original values are captured before the PII pass, so that the hash is of the id
    the client sent, not of its placeholder. */
#define GW_ID_FIELDS 3
#define GW_ID_MAX 256 /* longest original kept, bytes (OpenAI safety_identifier: 64 characters; longer: not kept) */
extern const char *const gw_privacy_id_fields[GW_ID_FIELDS]; /* "user", "safety_identifier", "metadata.user_id" */

/** What the request pass captured from the body. Buffers are reused across requests. */
typedef struct st_gw_body_info_t {
    gw_buf_t user;                    /* decoded "user", else "safety_identifier" (original value, before scrubbing) */
    gw_buf_t model;                   /* decoded "model" */
    char id[GW_ID_FIELDS][GW_ID_MAX]; /* decoded original of gw_privacy_id_fields[k] (a string), id_len[k] bytes */
    size_t id_len[GW_ID_FIELDS];      /* 0: absent, not a string, empty, or longer than GW_ID_MAX */
    int stream;                       /* "stream": true */
    int has_safety_identifier;
    int include_usage;  /* stream_options.include_usage: -1 absent, 0 false, 1 true */
    int output_mode;    /* GW_OUTPUT_*: the answer text's declared format (response_format, text.format, responseMimeType) */
    int64_t max_tokens; /* max_tokens / max_completion_tokens / max_output_tokens / generationConfig.maxOutputTokens, -1 absent */
    int64_t n;          /* n / generationConfig.candidateCount, 0 absent */
    char size[32];      /* images: "size" */
    char quality[32];   /* images: "quality" */
    int has_images;     /* an image payload (data: URI or base64) was present */
    unsigned images_stripped; /* image payloads whose metadata was removed */
    const char *image_error;  /* set when an image could not be parsed: the request is refused (400) */
    /* GW_PRIVACY_E_REFUSED: 400 pii_in_structural_field / invalid_opaque_field, 415 unscannable_payload; the
       message names the field path, never a value */
    int refusal_status;
    const char *refusal_code; /* static */
    char refusal[320];
} gw_body_info_t;

/**
 * Resets *info to "nothing captured" (include_usage and max_tokens -1, every other field zero), keeping the
 * capacity of its buffers. The pipeline calls it for every request, bodies or not: a GET after a chat request
 * must not inherit the chat's model (issue 10). The scrub functions call it first too.
 */
void gw_privacy_info_reset(gw_body_info_t *info);

/**
 * Builds the server-wide privacy state from cfg (borrowed): the PII engine (config "pii"), the
 * no-training posture table (config "training", policy/notrain.h), and per provider adapter one
 * compiled field matcher for the request pass (image fields, text fields, captures) and one for
 * the no-training pass. The keyed hash used by `hash` actions
 * and redaction-log hashes comes from pii.hash_key_hex, else is derived from master_key_file,
 * else is random for this process (a warning is printed: hashes are then not stable).
 * @return the state, or NULL with err set ("pii.actions.X: ...").
 */
gw_privacy_t *gw_privacy_create(const gw_config_t *cfg, char *err, size_t errlen);

/** Frees the state (NULL is ignored). */
void gw_privacy_free(gw_privacy_t *pv);

/** The PII engine (borrowed). */
const pol_pii_engine_t *gw_privacy_engine(const gw_privacy_t *pv);

/** Default of config pii.max_findings_per_request. */
#define GW_PRIVACY_MAX_FINDINGS_DEFAULT 1000

/**
 * Config pii.max_findings_per_request (default GW_PRIVACY_MAX_FINDINGS_DEFAULT, 1..1000000): how
 * many findings of one request are written to the redaction log, one row each; the rest are
 * counted in one summary row (gateway/pipeline/record.c; docs/config.md). Scrubbing is never capped.
 */
size_t gw_privacy_max_findings(const gw_privacy_t *pv);

/** Initialises / releases a worker's scratch. @return 0 or -1. */
int gw_privacy_scratch_init(const gw_privacy_t *pv, gw_privacy_scratch_t *s);
void gw_privacy_scratch_dispose(gw_privacy_scratch_t *s);

/**
 * Request pass over a JSON body (`body`, `len` bytes, borrowed): every string value and object key is scanned
 * except the adapter's skip_fields (issue 10); strings holding JSON are scanned inside; file payloads are sorted
 * by policy/payload.h; duplicate object keys are refused (RFC 8259 section 4: a parser differential is a bypass).
 * @param session  the request's PII session (borrowed; receives tokens and findings)
 * @param out      receives the rewritten body when *changed is set (reset first)
 * @param info     receives the captured fields (reset first)
 * @return 0; a negative GW_JSON_E_* code with *err_desc / *err_offset describing the JSON error (caller answers
 *         400; GW_JSON_E_DUPKEY for a duplicate key, also one inside a JSON document held in a string or a base64
 *         payload); GW_PRIVACY_E_REFUSED with info->refusal_*; or GW_E_INTERNAL on a scan or allocation failure.
 */
int gw_privacy_scrub_request(const gw_privacy_t *pv, gw_privacy_scratch_t *s, const prov_adapter_t *adapter,
                             pol_pii_session_t *session, const char *body, size_t len, gw_buf_t *out, int *changed,
                             gw_body_info_t *info, const char **err_desc, size_t *err_offset);

/**
 * Request pass over a multipart/form-data body (OpenAI images/edits): text parts are scrubbed
 * like JSON text fields (field "multipart.<name>"), file parts lose their image metadata, file
 * names are replaced by neutral ones ("image.png": names can carry a person's name), and the
 * `model` / `user` parts are captured. `content_type` is the request's Content-Type value.
 * @return 0 (with *changed / `out` as for the JSON pass), GW_E_INTERNAL on a scan or allocation failure, or a negative
 *         GW_MULTIPART_E_* with *err_desc for a malformed body (400).
 */
int gw_privacy_scrub_multipart(const gw_privacy_t *pv, gw_privacy_scratch_t *s, pol_pii_session_t *session,
                               const char *content_type, size_t ct_len, const char *body, size_t len, gw_buf_t *out, int *changed,
                               gw_body_info_t *info, const char **err_desc);

/**
 * The no-training pass over a request body (already scrubbed; `body`, `len` bytes, may be
 * empty) for upstream provider `up`: pol_notrain_begin / one gw_json_rewrite with the decision's
 * edits plus `extra` (e.g. stream_options.include_usage) / pol_notrain_end.
 * @param trusted 1 when `body` is a document the request privacy pass accepted, or one aigw derived from it (the
 *              scrubbed body, a no-training rewrite, the fallback copy): the parts no rule or edit reads are stepped
 *              over, not validated again (GW_JSON_V_TRUSTED); 0 validates all of it
 * @param d     receives the decision (verdict, record, headers to set upstream)
 * @param out   receives the rewritten body when *changed is set
 * @return POL_NOTRAIN_ALLOWED / POL_NOTRAIN_REFUSED, a negative GW_JSON_E_* (bad JSON or an
 *         edit that cannot apply: 400) with *err_desc, or GW_E_INTERNAL on allocation failure (500).
 */
int gw_privacy_notrain(const gw_privacy_t *pv, gw_privacy_scratch_t *s, const prov_adapter_t *up, const pol_notrain_input_t *in,
                       const char *body, size_t len, int trusted, const gw_json_edit_t *extra, size_t nextra,
                       pol_notrain_decision_t *d, gw_buf_t *out, int *changed, const char **err_desc);

/** The posture table (borrowed). */
const pol_notrain_t *gw_privacy_notrain_table(const gw_privacy_t *pv);

/**
 * Restore callback for one decoded string value at JSON `path` (signature of
 * pol_restore_text_cb; ctx is the pol_pii_session_t). @return 1 if `out` holds new text, 0 if
 * unchanged, GW_E_INTERNAL on allocation failure. Where the string is itself JSON text (tool-call arguments:
 * a path ending in `.arguments` or `.partial_json`, or the top-level `arguments` of an OpenAI Responses
 * `response.function_call_arguments.done` / `response.mcp_call_arguments.done` event), each restored value is
 * escaped as the body of a JSON string literal, so that the arguments stay valid JSON whatever the value holds
 * (a line break in a PEM block, a quote, a backslash). The same for a string that is itself one valid JSON object or
 * array (a structured-output answer's content: `{"name":"<PERSON_1>"}`), checked with gw_json_validate() when it
 * holds a `<`: the guess for a request that declared no output mode (GW_OUTPUT_UNDECLARED; see
 * gw_privacy_restore_piece() for the declared modes).
 */
int gw_privacy_restore_text(void *session, const char *path, const char *s, size_t len, gw_buf_t *out);

/**
 * Restores the session's tokens in one decoded string (or streamed piece of one) of a response, `s` (`len` bytes,
 * borrowed), at JSON `path` of the SSE event named `event` (`event_len` bytes; NULL / 0 outside a stream or for an
 * unnamed event), for a request whose declared output mode is `output_mode` (GW_OUTPUT_*, gw_body_info_t). Each value
 * is escaped as the body of a JSON string literal where the string is JSON text: tool-call arguments (as
 * gw_privacy_restore_event_text()) in any mode; with GW_OUTPUT_JSON the answer's own text in every provider's wire
 * format, streamed pieces included (a placeholder can only stand inside a string literal of JSON text, so each piece
 * is escaped on its own and the joined text parses): OpenAI chat `choices[].message.content` / `delta.content`,
 * Responses output_text (`output[].content[].text`, the output_text delta and done events, content parts, output items,
 * response.completed), Anthropic text blocks and text deltas, Gemini `candidates[].content.parts[].text`; reasoning,
 * refusals and summaries are prose. With GW_OUTPUT_TEXT nothing else is escaped; with GW_OUTPUT_UNDECLARED a whole
 * string that is one JSON object or array is (the guess of gw_privacy_restore_text()).
 * @param ss  the request's session (borrowed)
 * @param out reset and filled when the return value is 1
 * @return 1 `out` holds the restored text, 0 unchanged, GW_E_INTERNAL (or -1) on allocation failure
 */
int gw_privacy_restore_piece(const pol_pii_session_t *ss, int output_mode, const char *event, size_t event_len, const char *path,
                             const char *s, size_t len, gw_buf_t *out);

/**
 * pii.scan_responses on one piece of model text (pol_pii_session_scrub_output(), same parameters and holds), for the
 * string at `path` of the event named `event` of a request with output mode `output_mode`, as for
 * gw_privacy_restore_piece(): where that text is JSON (the same rule), the values the scan restores are escaped for a
 * JSON string literal (the scan runs on the text with the session's tokens disguised as same-length non-tokens, then
 * the disguised tokens of its output get their escaped values; docs/internals/privacy.md). Elsewhere the scan's own
 * restore (values as they are).
 * @return 0 s[0, *emit) goes out unchanged, 1 `out` replaces it, GW_E_INTERNAL on a scan or allocation failure
 */
int gw_privacy_scan_piece(pol_pii_session_t *ss, pol_pii_scratch_t *scratch, int output_mode, const char *event, size_t event_len,
                          const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out);

/**
 * gw_privacy_restore_text() for a string of the SSE event named `event` (`event_len` bytes, may be 0): in an OpenAI
 * Responses stream the `delta` of a `response.function_call_arguments.delta` or `response.mcp_call_arguments.delta`
 * event is a piece of the call's JSON arguments (OpenAI API reference, "Streaming events"), while the `delta` of
 * `response.output_text.delta` is prose: the path alone cannot tell them apart.
 */
int gw_privacy_restore_event_text(void *session, const char *event, size_t event_len, const char *path, const char *s, size_t len,
                                  gw_buf_t *out);

/**
 * Restores tokens in every string value of a JSON response body. On success *changed tells
 * whether `out` holds a new body. Bodies that are not valid JSON are left unchanged (0).
 * @return 0, or GW_E_INTERNAL when a restore failed (allocation): the body must not be sent (it would carry
 * placeholders where the client's values belong).
 */
int gw_privacy_restore_json(const gw_privacy_t *pv, gw_privacy_scratch_t *s, pol_pii_session_t *session, const char *body,
                            size_t len, gw_buf_t *out, int *changed);

/** Context of the model-output callbacks: the request's session (its vault restores, its findings log) and the
    worker's PII scratch. Both borrowed for the response. */
typedef struct st_gw_privacy_output_t {
    pol_pii_session_t *session;
    pol_pii_scratch_t *scratch;
    /** The SSE restorer these callbacks serve (borrowed), whose current event name gw_privacy_restore_cb() reads;
        NULL outside a stream. */
    const pol_restore_stream_t *stream;
    /** GW_OUTPUT_*: the output mode the request declared (gw_body_info_t.output_mode), which decides where restored
        values are escaped for JSON (gw_privacy_restore_piece()). */
    int output_mode;
    /** The output_skip_events of the answer's wire format (providers/provider.h, borrowed; NULL: none), applied by
        gw_privacy_scan_output(). */
    const prov_out_event_skip_t *skip_events;
} gw_privacy_output_t;

/**
 * The SSE restorer's rules for pii.scan_responses on responses in adapter `a`'s wire format (its output_text,
 * policy/restore.h pol_restore_paths_compile), or NULL when responses are not scanned (scan_responses off, or the
 * adapter declares no output_text). Borrowed, lives as long as pv.
 */
const gw_json_paths_t *gw_privacy_output_paths(const gw_privacy_t *pv, const prov_adapter_t *a);

/**
 * The same rules whether or not responses are scanned, for a restore-only SSE restorer (policy/restore.h
 * pol_restore_stream_set_text: which strings are streamed text a re-send sends empty), or NULL when adapter `a`
 * declares no output_text and responses are not scanned. Borrowed, lives as long as pv.
 */
const gw_json_paths_t *gw_privacy_text_paths(const gw_privacy_t *pv, const prov_adapter_t *a);

/** Scan callback (pol_restore_scan_cb; ctx is a gw_privacy_output_t): gw_privacy_scan_piece() on a piece of model
    text, with the event being fed or flushed and the ctx's output mode. A string the ctx's `skip_events` declares no text
    for its event (an OpenAI Responses `response.function_call_arguments.delta`'s `delta`: tool-call arguments, unscanned by
    design like the `arguments` of its `.done` event and of the response's items) is only restored
    (gw_privacy_restore_piece()), holding back a trailing possible token prefix unless `final`. */
int gw_privacy_scan_output(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out);

/** Restore callback (pol_restore_text_cb) with a gw_privacy_output_t as ctx: gw_privacy_restore_piece() with the event
    being fed or flushed and the ctx's output mode. */
int gw_privacy_restore_cb(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out);

/**
 * A JSON response body: with `scan_adapter` (may be NULL) and pii.scan_responses on, the strings at its output_text
 * are scanned (gw_privacy_scan_piece, final) and every other string has its tokens restored
 * (gw_privacy_restore_piece); without, every string is restored. `output_mode` (GW_OUTPUT_*) is the request's declared
 * output mode: it decides which strings are JSON text whose restored values are escaped. Bodies that are not valid
 * JSON are left unchanged (0).
 * @return 0 (*changed tells whether `out` holds a new body), or GW_E_INTERNAL on a restore, scan or allocation failure
 * (the caller must not send the body: it would be unscanned, or carry placeholders where the client's values belong;
 * the pipeline answers 500 internal_error instead, gateway/pipeline/respond.c).
 */
int gw_privacy_response_json(const gw_privacy_t *pv, gw_privacy_scratch_t *s, const prov_adapter_t *scan_adapter,
                             pol_pii_session_t *session, int output_mode, const char *body, size_t len, gw_buf_t *out,
                             int *changed);

/**
 * A plain-text response body (`text/plain`, `text/vtt`, ...: an OpenAI transcription or translation asked for
 * `response_format` text / srt / vtt), `body` (`len` bytes, borrowed), as one piece of model text at the path "text":
 * with `scan_adapter` (may be NULL) and pii.scan_responses on, scanned (pol_pii_session_scrub_output, final: the user's
 * restored values are not flagged), else its tokens restored. On success *changed tells whether `out` holds a new body.
 * @return 0, or GW_E_INTERNAL on a scan, restore or allocation failure (the caller must not send the body).
 */
int gw_privacy_response_text(const gw_privacy_t *pv, gw_privacy_scratch_t *s, const prov_adapter_t *scan_adapter,
                             pol_pii_session_t *session, const char *body, size_t len, gw_buf_t *out, int *changed);

#endif
