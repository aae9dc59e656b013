/*
 * Provider adapters: everything aigw knows about one provider's wire format lives behind this
 * interface, one file per provider (providers/openai.c, ...) plus one row in the table in
 * providers/provider.c. The gateway never special-cases a provider by name.
 *
 * An adapter declares:
 *  - its native route prefix on aigw ("/openai/v1/") and the API path prefix appended to the
 *    configured base_url upstream ("/v1/");
 *  - how clients authenticate on that route and how the real provider key is sent upstream;
 *  - the few structural JSON fields the privacy pass must not rewrite (every other string and key of a request
 *    body is scanned: issue 10, "scan every string, skip by declaration");
 *  - the shape of its error bodies, so SDKs raise their usual exceptions for aigw's errors;
 *  - usage extraction (JSON bodies, SSE events, headers) into the neutral prov_usage_t, the inputs of a
 *    cost estimate, and whether / where it speaks OpenAI's format behind the unified /v1/ route;
 *  - when the client names the upstream URL in a header (fal's x-fal-target-url), how it is validated;
 *  - asynchronous predictions: which requests create or read one, which answer fields carry the id, the status and
 *    the links aigw points at its own routes (prov_async_links_t);
 *  - its no-training posture (policy/notrain.h: flags it forces, fields it strips, routes it refuses).
 * docs/internals/providers.md has the table of what each adapter declares.
 */
#ifndef AIGW_PROVIDERS_PROVIDER_H
#define AIGW_PROVIDERS_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/sse.h"
#include "policy/notrain.h"
#include "providers/usage.h"

/* Errors (negative, like every aigw error). */
#define PROV_E_PARSE GW_E_PROV_PARSE   /* body is not the JSON the extractor expects */
#define PROV_E_TARGET GW_E_PROV_TARGET /* fal x-fal-target-url missing, malformed or not allow-listed */

/** How a credential travels in a request (client -> aigw, and aigw -> provider). */
typedef enum {
    PROV_AUTH_BEARER,    /* Authorization: Bearer <key> (OpenAI, OpenRouter, DeepSeek, Fireworks, Replicate) */
    PROV_AUTH_X_GOOG,    /* x-goog-api-key: <key> (Gemini) */
    PROV_AUTH_X_API_KEY, /* x-api-key: <key> (Anthropic; Bearer also accepted from clients) */
    PROV_AUTH_KEY        /* Authorization: Key <key> (fal) */
} prov_auth_t;

/** The start of the upstream header line that carries a key in style `auth`, up to the key ("Authorization: Bearer ",
    "x-goog-api-key: ", "x-api-key: ", "Authorization: Key "). Static; never NULL for a prov_auth_t value. */
const char *prov_auth_line(prov_auth_t auth);

/**
 * Request headers a provider reads a credential from (lower case, NULL-terminated): every prov_auth_t style's
 * ("authorization", "x-api-key", "x-goog-api-key") and Azure OpenAI's "api-key". A client's are never forwarded (the
 * provider key replaces them) and config cannot set them (providers.NAME.headers).
 */
extern const char *const prov_credential_headers[];

/**
 * Query parameters a provider reads a credential from (NULL-terminated): Google APIs accept "?key=<key>"
 * (docs/providers/gemini.md "Auth"). Removed from the request target on every provider route, so a client's key is
 * never forwarded (gateway/canon.h gw_canon_drop_query_param).
 */
extern const char *const prov_credential_query_params[];

/**
 * Headers a client may send its aigw key in besides Authorization (lower case, NULL-terminated, in lookup order): the
 * SDKs' own (Anthropic's x-api-key, Gemini's x-goog-api-key), accepted on every route.
 */
extern const char *const prov_client_key_headers[];

/**
 * 1 when request header `name` (`len` bytes, any case) is one of any adapter's account_headers: a client's is never
 * forwarded, on any route (config sets them per provider: providers.NAME.headers).
 */
int prov_is_account_header(const char *name, size_t len);

/**
 * 1 when `s` (`len` bytes) is a link to a generated file by `prefixes` (an adapter's output_media_urls, may be NULL):
 * it starts with one of them and the rest is a non-empty path of [A-Za-z0-9._~/-] only (no query, fragment, escape,
 * user info, space or '<': nothing that could carry text); or, where `prefixes` holds "data:", it is a base64 data
 * URI (RFC 2397) of an `image/`, `audio/` or `video/` type whose payload is RFC 4648 base64 alone (no text type, no
 * percent-encoding, no line break); else 0.
 */
int prov_output_media_url(const char *const *prefixes, const char *s, size_t len);

/** How the privacy pass treats a declared structural field (prov_skip_t). */
typedef enum {
    /** model, role, ids, enum-typed fields the provider validates: scanned like every string, never rewritten; a
        value the PII policy would change refuses the request (400 pii_in_structural_field) */
    PROV_SKIP_VALUE = 1,
    /** provider-issued opaque token (Anthropic thinking `signature`, OpenAI `encrypted_content`, Gemini
        `thoughtSignature`) that breaks if touched: forwarded unscanned when it is base64 / base64url text only;
        anything else refuses the request (400 invalid_opaque_field) */
    PROV_SKIP_OPAQUE
} prov_skip_kind_t;

/** A structural field of a request body that must not be rewritten (pattern syntax: common/json.h). */
typedef struct st_prov_skip_t {
    const char *pattern;
    prov_skip_kind_t kind;
} prov_skip_t;

/** How the privacy pass reads a declared file field (prov_file_field_t). */
typedef enum {
    /** always a file's bytes (Gemini `inlineData.data`, OpenAI `input_audio.data`): a data: URI or base64 /
        base64url, decoded and sorted by its bytes at any length; a value that does not decode is refused (415
        unscannable_payload), never scanned as text */
    PROV_FILE_BYTES = 1,
    /** a file's bytes when the sibling member `type` (same object) is "base64", plain text when `type` is anything
        else (Anthropic `source.data`: type "base64" holds a file, type "text" a document's text). When `type` comes
        after the data in the object, the value decides: base64 is decoded as a file at any length, anything else is
        text */
    PROV_FILE_TYPED,
    /** a file given by URL or inline (Replicate and fal model inputs: `image`, `image_url`...): an http(s) URL is text
        (scanned; the provider fetches it, aigw never sees its bytes), anything else is a file's bytes as
        PROV_FILE_BYTES (a data: URI or base64 sorted by its bytes at any length; a value that does not decode is
        refused 415 unscannable_payload) */
    PROV_FILE_URI
} prov_file_kind_t;

/** A request field that the provider's format declares as file data (pattern syntax: common/json.h). */
typedef struct st_prov_file_field_t {
    const char *pattern;
    prov_file_kind_t kind;
} prov_file_field_t;

/** Why a field of an answer is no model text (prov_out_skip_t.kind). pii.scan_responses scans every other string of a
    JSON answer and of each SSE event's JSON: a field a provider adds tomorrow is scanned until an adapter declares it. */
typedef enum {
    /** ids, object / type / role / status fields, finish reasons, model names, enum values the provider validates */
    PROV_OUT_STRUCT = 1,
    /** base64 media, embeddings, and URLs of generated files (a signed link breaks when rewritten) */
    PROV_OUT_MEDIA,
    /** provider-issued signatures and encrypted content (Anthropic thinking `signature`, OpenAI `encrypted_content`):
        they break when touched */
    PROV_OUT_OPAQUE,
    /** tool-call arguments: the input of a function the client runs, not scanned by design (docs/config.md "Model
        output"); their placeholders are restored, escaped for the JSON they are */
    PROV_OUT_ARGUMENTS,
    /** the request's own input echoed back (Replicate `input`, fal `prompt`): scanned on the way in */
    PROV_OUT_ECHO
} prov_out_skip_kind_t;

/** A field of this provider's answers that pii.scan_responses does not scan (pattern syntax: common/json.h). Its
    placeholders are still restored. */
typedef struct st_prov_out_skip_t {
    const char *pattern;
    prov_out_skip_kind_t kind;
} prov_out_skip_t;

/** A field of one stream event that pii.scan_responses does not scan, where the same path is model text in other
    events (OpenAI Responses streams send prose pieces and tool-call argument pieces at the same `delta`): the event
    decides (gw_privacy_scan_output, gateway/privacy.h). Its placeholders are still restored. */
typedef struct st_prov_out_event_skip_t {
    const char *event; /* the SSE `event:` field ("response.function_call_arguments.delta"); NULL ends a table */
    const char *path;  /* the string's path in the event's JSON, exactly ("delta") */
    prov_out_skip_kind_t kind;
} prov_out_event_skip_t;

/** Inputs of a cost estimate, read from a request body before it is sent (see estimate_inputs). */
typedef struct st_prov_estimate_t {
    char model[128];           /**< body's model ("" when the body names none: Gemini, fal -> model_from_path) */
    int64_t max_output_tokens; /**< max_tokens / max_completion_tokens / max_output_tokens / maxOutputTokens; -1 absent */
    int64_t n;                 /**< outputs requested: n / candidateCount / sampleCount / num_outputs / num_images; 1 absent */
    char size[32];             /**< image size as sent ("1024x1792", "landscape_4_3", "1K", "1024x1024" from width/height) */
    char quality[32];          /**< image quality ("hd", "low", ...) */
    char aspect_ratio[16];     /**< "16:9", "1:1" */
    int stream;                /**< 1 when the body asks for a streamed response */
    size_t input_bytes;        /**< request body size in bytes (the upper bound of prompt bytes) */
} prov_estimate_t;

/** Which input of a cost estimate a request field is (prov_estimate_fields). */
typedef enum {
    PROV_EST_MAX_OUTPUT_TOKENS = 1, /**< prov_estimate_t.max_output_tokens */
    PROV_EST_N,                     /**< prov_estimate_t.n */
    PROV_EST_SIZE,                  /**< prov_estimate_t.size */
    PROV_EST_QUALITY                /**< prov_estimate_t.quality */
} prov_estimate_kind_t;

/** A request field that is an input of a cost estimate (pattern syntax: common/json.h). */
typedef struct st_prov_estimate_field_t {
    const char *pattern;
    prov_estimate_kind_t kind;
} prov_estimate_field_t;

/**
 * The common estimate inputs of the wire formats (NULL-pattern terminated): OpenAI max_tokens /
 * max_completion_tokens / max_output_tokens, n, size, quality; Gemini generationConfig.maxOutputTokens (and
 * generation_config.max_output_tokens), generationConfig.candidateCount. The privacy pass captures them from every
 * JSON request body in its one parse (gateway/privacy.h gw_body_info_t); adapters with estimate_custom read their
 * own fields with estimate_inputs instead.
 */
extern const prov_estimate_field_t prov_estimate_fields[];

/** Upstream target computed from a client header (fal's proxy protocol, see target_url). */
typedef struct st_prov_target_t {
    char origin[264]; /**< "https://queue.fal.run": scheme and lower-cased host, default port dropped */
    const char *path; /**< path and query, starting with '/'; borrowed from the header value */
    size_t path_len;  /**< bytes */
} prov_target_t;

/**
 * A link of an asynchronous prediction answer that aigw replaces by a URL of its own (prov_async_links_t.table), so
 * a client that follows it stays behind aigw (placeholders restored, the call recorded).
 */
typedef struct st_prov_async_link_t {
    /** Member of the prediction's links object ("get"); NULL ends the table. */
    const char *field;
    /** aigw path after the adapter's route prefix that replaces it, "{id}" standing for the prediction's id (once):
        "predictions/{id}/cancel". The URL is <scheme>://<authority the client used><route_prefix><route>. */
    const char *route;
    /** 1: clients fetch this link without credentials (a stream URL, itself a capability upstream): its value must be
        a string, the upstream URL is sealed in a capability appended as "?aigw_cap=", and the route ("{id}" as one
        path segment) is served with that capability instead of a client key (gateway/async.h). At most one per
        table. 0: the member is replaced whatever its value, and the route is authenticated as usual. */
    int capability;
} prov_async_link_t;

/**
 * Where a provider's asynchronous prediction answers carry links to the provider, and what its capability stream is
 * (prov_adapter_t.async_links). The id comes from prov_adapter_t.async_id_fields; a prediction without a valid id is
 * left alone (an unexpected id never reaches a URL).
 */
typedef struct st_prov_async_links_t {
    /** Member of a prediction holding its links object ("urls"). */
    const char *object;
    /** Member of a list answer holding an array of predictions ("results"), each rewritten; NULL: no lists. */
    const char *list;
    /** The links rewritten, in order (NULL-field terminated). */
    const prov_async_link_t *table;
    /** Origin (scheme, host, '/') of the URLs a capability link holds ("https://stream.replicate.com/"): the stream
        route fetches only this origin or the configured base_url. */
    const char *stream_origin;
    /** SSE event of the capability stream whose data is plain model text, split anywhere ("output"): restored from
        the capability's vault and scanned by pii.scan_responses under this name; other events pass as received. */
    const char *text_event;
    /** Label under which the capability key is derived from the store's master key (gw_store_derive_key). Never
        changed once capabilities were issued: a new label refuses every stream URL handed out before. */
    const char *key_label;
} prov_async_links_t;

typedef struct st_prov_adapter_t {
    /** Provider name as used in config "providers" and pricing keys ("openai"). */
    const char *name;
    /** Native route prefix on aigw, with trailing slash ("/openai/v1/"). */
    const char *route_prefix;
    /** API path prefix appended to base_url upstream, with trailing slash ("/v1/"). */
    const char *upstream_prefix;
    /** Credential style upstream (and the primary one accepted from clients). */
    prov_auth_t auth;
    /** Structural fields of request bodies that are never rewritten (every other string value and object key is
        scanned); NULL-pattern terminated. Small and reviewed: docs/internals/privacy.md lists them. */
    const prov_skip_t *skip_fields;
    /**
     * Appends an error body in the provider's own shape to `out`.
     * @param status  HTTP status being returned (400..599)
     * @param type    error class ("invalid_request_error", "authentication_error", "server_error", ...)
     * @param code    machine code ("invalid_json", "missing_user", "upstream_timeout", ...), may be NULL
     * @param param   request field at fault, may be NULL
     * @param message human text (UTF-8, never contains prompt content or PII values)
     * @return 0, or -1 on allocation failure
     */
    int (*error_body)(gw_buf_t *out, int status, const char *type, const char *code, const char *param, const char *message);
    /** Content type of error bodies ("application/json", "application/problem+json"). */
    const char *error_content_type;

    /* ---- fields below were added for the providers issue; existing code keeps compiling ---- */

    /**
     * Upstream path prefix used when this provider serves OpenAI's chat format behind the unified /v1/ route
     * (base_url + compat_prefix + rest after "/v1/"), e.g. Gemini "/v1beta/openai/"; NULL when the provider cannot
     * (Anthropic, Replicate, fal). See prov_for_model().
     */
    const char *compat_prefix;
    /**
     * Adapter whose skip_fields / usage / estimate functions apply to the OpenAI-format bodies this provider takes
     * and returns through /v1/ (Gemini -> &prov_openai); NULL = this adapter itself (its format is an OpenAI
     * superset). Error bodies on /v1/ are always OpenAI-shaped (the client runs an OpenAI SDK).
     */
    const struct st_prov_adapter_t *compat_wire;
    /**
     * Usage of a non-streamed JSON response body (`len` bytes, borrowed) added to *u (fields present in the body
     * overwrite). Uses jansson: it runs once per response.
     * @return number of fields set (0: the body carries none, e.g. a Replicate prediction still "starting"), or
     * PROV_E_PARSE when the body is not a JSON object.
     */
    int (*usage_from_json)(const char *body, size_t len, prov_usage_t *u);
    /**
     * Streaming usage: called with every SSE event of a response stream, in order (st zero-initialised per stream,
     * ev borrowed for the call). Keeps st->usage at the best known numbers, sets st->done / st->error. Events that
     * cannot carry usage are rejected by a byte scan before any JSON parse.
     */
    void (*usage_from_event)(prov_usage_state_t *st, const gw_sse_event_t *ev);
    /**
     * Usage carried in a response header (fal `x-fal-billable-units`); `name` is lower-case. NULL when the provider
     * has none. Name and value are borrowed, not NUL-terminated.
     */
    void (*usage_from_header)(prov_usage_t *u, const char *name, size_t name_len, const char *value, size_t value_len);
    /**
     * Cost-estimate inputs of a JSON request body (`len` bytes, borrowed). *e is reset first; input_bytes = len.
     * @return 0, or PROV_E_PARSE when the body is not a JSON object (e keeps its defaults).
     */
    int (*estimate_inputs)(const char *body, size_t len, prov_estimate_t *e);
    /**
     * Model named by the request path instead of the body (Gemini "models/gemini-2.5-flash:generateContent",
     * Replicate "models/{owner}/{name}/predictions", fal endpoint ids): `path` is the part after the adapter's route
     * prefix (or fal's target path), `len` bytes, query allowed. Writes a NUL-terminated name of at most cap-1 bytes.
     * NULL when the model is always in the body. @return 0, or -1 when the path names no model or it does not fit.
     */
    int (*model_from_path)(const char *path, size_t len, char *model, size_t cap);
    /**
     * fal's proxy protocol: the upstream URL is not base_url + upstream_prefix but the client's `x-fal-target-url`
     * header (value `len` bytes, borrowed). Accepts only https URLs whose host matches one of `allowed_hosts`
     * (fnmatch globs, NULL-terminated; pass the adapter's target_hosts unless config overrides it), no userinfo,
     * no port but 443, no dot segments, no fragment, printable ASCII only.
     * @return 0 with *t filled, or PROV_E_TARGET with a static *err_desc. NULL for every other adapter.
     */
    int (*target_url)(const char *value, size_t len, const char *const *allowed_hosts, prov_target_t *t, const char **err_desc);
    /** Default allow-list for target_url (NULL-terminated host globs), NULL when target_url is NULL. */
    const char *const *target_hosts;
    /** The request header target_url reads (lower case; fal: "x-fal-target-url"), NULL when target_url is NULL. */
    const char *target_header;
    /**
     * Requests the provider does not bill (NULL-terminated; each entry "METHOD glob": an HTTP method, one space, an
     * fnmatch glob over the path after the route prefix, query excluded; e.g. Gemini "POST models/{model}:countTokens"
     * written with a * for {model}). aigw reserves nothing and charges 0 for them, and still records the call. Every
     * entry names its method, so a POST to a path that looks like a free GET route is billed. Listed with the provider's
     * pricing page as source, next to each entry. NULL = every request is billed.
     */
    const char *const *unbilled_routes;
    /**
     * Requests whose answer carries the request's text in a form aigw cannot restore placeholders in (see
     * prov_unrestorable_t): media rendering it (OpenAI "POST audio/speech": the input is spoken; chat completions asking
     * for audio output) and per-token log probabilities (chat `logprobs`: the tokens are pieces of "<EMAIL_ADDRESS_1>").
     * A placeholder sent there comes back where no restore can reach it, so a request with a value to tokenize is
     * refused (400 pii_unrestorable, gateway/pipeline/privacy.c); values redacted, masked or hashed (no restore
     * promised) pass. Source: the provider's API reference for each entry. Terminated by an entry with route NULL;
     * NULL: none.
     */
    const struct st_prov_unrestorable_t *unrestorable_outputs;
    /**
     * Path suffixes (after the route prefix, before any query; NULL-terminated) of POST endpoints whose only effect is
     * their answer (chat, embeddings, generateContent...): aigw may retry them after the upstream received them
     * (gateway/retry.h). Every other POST (predictions, uploads, batches, fal runs) has side effects and is retried
     * only when the upstream cannot have accepted it or with an Idempotency-Key. NULL: none (refuse by default).
     */
    const char *const *answer_only;
    /**
     * Where model text arrives in pieces in this provider's responses (common/json.h patterns over a JSON answer and
     * over the data of each SSE event; NULL-terminated; NULL = none): pii.scan_responses scans these across the events
     * of a stream (held back by up to POL_PII_OUTPUT_WINDOW bytes, so an entity split across events is seen). Every
     * other string that output_skip does not declare is scanned too, each on its own (session 11: the scan reads every
     * string except what the adapter declares, as the request side does; it read only this list before).
     */
    const char *const *output_text;
    /**
     * Of output_text, the fields of stream events that repeat text the stream already sent in pieces (OpenAI Responses:
     * response.output_text.done `text`, content_part.done `part.text`, output_item.done `item.content.*.text`,
     * response.completed `response.output.*.content.*.text`). They are scanned and acted on like any model text (the
     * client reads them), but a finding there whose value was already found in the pieces is not logged again
     * (gateway/pipeline/record.c). Same pattern syntax as output_text; NULL = none.
     */
    const char *const *output_text_repeats;
    /**
     * Fields of this provider's answers that are no model text (prov_out_skip_t; NULL-pattern terminated; NULL = none):
     * pii.scan_responses does not scan them, every other string of the answer is scanned. Small and reviewed:
     * docs/internals/privacy.md lists them. A pattern here wins over output_text.
     */
    const prov_out_skip_t *output_skip;
    /**
     * Fields that are no model text in one stream event only, where the same path holds text in other events
     * (prov_out_event_skip_t; NULL-event terminated; NULL = none; OpenAI Responses tool-call argument pieces). Read by
     * gw_privacy_scan_output for each string the path rules send to the scan.
     */
    const prov_out_event_skip_t *output_skip_events;
    /**
     * Where this provider serves the files a model generated, as URL prefixes ("https://replicate.delivery/";
     * NULL-terminated; NULL = none): a string of an answer at a scanned path that is one such link and nothing else
     * (prov_output_media_url) is a link to a generated file (PROV_OUT_MEDIA), not model text, where the format puts
     * files and text at the same path (Replicate `output`: an image model's file URLs, a language model's text
     * pieces). Not scanned: a digit run in its random id could be taken for a card or phone number and the link broken.
     */
    const char *const *output_media_urls;
    /** The provider's public API origin, used when config providers.<name>.base_url is absent
        ("https://api.openai.com"; docs/config.md lists them). */
    const char *default_base_url;
    /** The environment variable the shipped config reads this provider's key from ("OPENAI_API_KEY"),
        named in the 503 a request gets when the key is empty (the SDK's own variable name). */
    const char *api_key_env;
    /**
     * Request headers that select the provider account or project billed (lower case, NULL-terminated; OpenAI
     * "openai-organization", "openai-project", Gemini "x-goog-user-project"): only config sets them
     * (providers.NAME.headers), a client's are dropped on every route (prov_is_account_header). NULL: none.
     */
    const char *const *account_headers;
    /**
     * Request headers of this provider's API that a client may send and the provider reads, besides HTTP's own
     * (lower case, NULL-terminated; Anthropic "anthropic-version", "anthropic-beta"; Replicate "prefer",
     * "cancel-after"; the provider's API reference, docs/providers/NAME.md): forwarded as sent, after the scan every
     * forwarded header gets. Any header neither here nor in gateway/headers.c's list of HTTP's is not forwarded
     * (gw_headers_forward_request). NULL: none.
     */
    const char *const *request_headers;
    /**
     * JSON member names whose values are generated image bytes in this provider's responses (NULL-terminated; OpenAI
     * "b64_json", Gemini "inlineData" / "inline_data", Imagen "bytesBase64Encoded"): a logged response that has one
     * follows retention.image_payload_hours (prov_has_image_payload). NULL: none.
     */
    const char *const *image_payload_fields;
    /** The provider's no-training / no-storage posture (flags to force, fields to strip, routes to refuse, training
        risk, config options) as data; policy/notrain.c evaluates it. Never NULL. */
    const pol_notrain_posture_t *notrain;
    /**
     * Asynchronous prediction answers whose links (get, cancel, stream URLs) point at the provider: aigw points them at
     * its own routes and serves the stream route with a capability instead of a client key (see prov_async_links_t,
     * gateway/async.h). NULL: the provider's answers carry no links to rewrite.
     */
    const prov_async_links_t *async_links;
    /**
     * 1 when the cost estimate's inputs are model-specific fields only estimate_inputs reads (Replicate
     * input.num_outputs, fal's per-endpoint fields); 0 when they are the common fields the privacy pass captures from
     * every JSON body (prov_estimate_fields: max_tokens / max_completion_tokens / max_output_tokens, n, size, quality).
     */
    int estimate_custom;
    /**
     * Asynchronous predictions whose results are read by later calls (gateway/async.h gw_async_classify): requests
     * that create one, "METHOD path-glob" as in unbilled_routes (the answer names the new id in one of
     * async_id_fields), and requests that read one, where "{id}" stands for the id's path segment ("GET
     * predictions/{id}"). NULL-terminated; NULL = none. Only on `async_origin` when set (fal: the queue host; its
     * synchronous host answers at once).
     */
    const char *const *async_create_routes;
    const char *const *async_read_routes;
    const char *async_origin;
    /**
     * Values of a read answer's `status` that mean the prediction is over (it is settled then); NULL: every 2xx
     * answer of a read route is final (fal serves a queue result only once the request completed).
     */
    const char *const *async_terminal_statuses;
    /**
     * Top-level members of a prediction answer that name the prediction's id, in order: the first one present is the
     * id (Replicate {"id"}, fal's queue {"request_id"}); read by gw_async_answer_state and, for async_links, the id put
     * into aigw's routes. Only ids of [A-Za-z0-9_-]{1,128} are used. NULL-terminated; NULL when the adapter declares
     * no asynchronous predictions.
     */
    const char *const *async_id_fields;
    /** Top-level member of a prediction answer holding its status (compared with async_terminal_statuses; Replicate
        "status"); NULL: none is read (a prediction is never terminal by its create answer). */
    const char *async_status_field;
    /**
     * Request fields that hold file data by this provider's definition (NULL-pattern terminated; NULL = none): the
     * privacy pass decodes and sorts them as files at any length, where a free-text field's short base64-looking word
     * stays text (policy/payload.h pol_payload_classify_file; docs/internals/privacy.md). Only fields the provider's
     * API reference types as base64 bytes or a data: URI; a field that may hold a URL (OpenAI `image_url.url`) is not
     * listed (its data: URIs are sorted by their bytes anyway).
     */
    const prov_file_field_t *file_fields;
    /**
     * Routes aigw never forwards on this provider, on any method, whatever config says (NULL-glob terminated; NULL:
     * none): routes that hand the client a credential or a connection it then uses to reach the provider directly, around
     * aigw (OpenAI Realtime client secrets and WebRTC calls, ChatKit sessions, Gemini ephemeral auth tokens, fal temporary
     * tokens: whatever goes through them is never scanned, metered or given the no-training flags), and the provider's
     * account administration (API keys, members, data retention), which is no model call, and lists of the objects
     * every user of the gateway created in the one provider account (Replicate `GET predictions`: inputs and outputs of
     * other users' predictions; a prediction read by its id stays served). Checked at the route stage
     * (gateway/pipeline/route.c) against both the route's wire adapter and the serving provider. Source: each entry's
     * API reference, next to it.
     */
    const struct st_prov_refused_route_t *refused_routes;
    /**
     * Request fields that may carry text as token ids (numbers the provider decodes with the model's tokenizer: OpenAI
     * legacy completions `prompt`, embeddings `input`, as int[] or int[][]): aigw has no tokenizer, so such text would
     * reach the model unscanned; a request whose field holds a number there is refused (400 unscannable_tokens,
     * gateway/pipeline/privacy.c). Terminated by an entry with route NULL; NULL: none. Source: the API reference.
     */
    const struct st_prov_token_input_t *token_inputs;
    /**
     * Query parameters aigw never forwards to this provider (lower-case names, NULL-terminated; NULL: none): ones that
     * change what the answer holds in a way aigw cannot follow (Google's partial-response mask `fields` / `$fields` can
     * drop the usage aigw meters: an answer without `usageMetadata.candidatesTokenCount` is billed 0 output tokens). A
     * request naming one, in any spelling (percent-escaped, any case), is refused with 400 unsupported_query_parameter
     * (gateway/pipeline/route.c). Source: the provider's documentation of its system parameters.
     */
    const char *const *refused_query;
} prov_adapter_t;

/** One field of prov_adapter_t.token_inputs. */
typedef struct st_prov_token_input_t {
    const char *route; /**< "METHOD glob" as in unbilled_routes ("POST *completions"); NULL ends the list */
    const char *field; /**< top-level member of the JSON body ("prompt") */
} prov_token_input_t;

/**
 * The first of the adapter's token_inputs (NULL for none or `a` NULL) that the request `method` (`method_len` bytes) on
 * `path` (`len` bytes, as for prov_route_unbilled) with JSON body `body` (`body_len` bytes, borrowed; NULL / 0 for a
 * body that is not JSON: never matches) carries as token ids: the field is a number, or an array holding a number or an
 * array holding a number. The body is parsed only when the route matches and the field's quoted name occurs in it.
 */
const prov_token_input_t *prov_token_input(const prov_adapter_t *a, const char *method, size_t method_len, const char *path,
                                           size_t len, const char *body, size_t body_len);

/** One route of prov_adapter_t.refused_routes. */
typedef struct st_prov_refused_route_t {
    const char *glob;    /**< fnmatch glob over the path after the route prefix (fal: the target path), leading '/' and query
                              excluded, matched ASCII case-insensitively ("realtime*"); NULL ends the list */
    const char *code;    /**< the 403's error code ("direct_access_route", "account_admin_route"); static */
    const char *message; /**< why, the 403's message after "aigw: " (static, names no request data) */
    const char *method;  /**< the one method refused ("GET": a list of the account's objects), NULL: every method */
} prov_refused_route_t;

/**
 * The first of the adapter's refused_routes that the request `method` (`method_len` bytes) on `path` (`len` bytes: the
 * path after the adapter's route prefix, or fal's target path; leading '/' and a query ignored) matches (the path
 * ASCII case-insensitively, the method exactly when the entry names one); NULL when none does or `a` is NULL. A path longer than
 * 511 bytes is judged on its first 511 (the globs are prefixes: fail closed). Borrowed, static.
 */
const prov_refused_route_t *prov_route_refused(const prov_adapter_t *a, const char *method, size_t method_len, const char *path,
                                               size_t len);

/**
 * The adapter of the unified /v1/ route: its wire format (errors, fields, usage), and the provider of a model config
 * "models" does not route elsewhere (see prov_for_model). Borrowed, static lifetime.
 */
const prov_adapter_t *prov_unified(void);

/** The adapter named `name` ("openai"), or NULL. Borrowed, static lifetime. */
const prov_adapter_t *prov_find(const char *name);

/**
 * 1 when the request `method` (`method_len` bytes, e.g. "POST") on `path` (`len` bytes: the request path after the
 * adapter's route prefix, or fal's target path; a query is ignored) matches one of the adapter's unbilled_routes
 * (same method, path glob), else 0.
 */
int prov_route_unbilled(const prov_adapter_t *a, const char *method, size_t method_len, const char *path, size_t len);

/** What a request's answer carries that aigw cannot restore placeholders in (prov_unrestorable_t.kind). */
typedef enum {
    PROV_UNRESTORABLE_NONE = 0,  /* none: a text answer, restored */
    PROV_UNRESTORABLE_MEDIA = 1, /* media rendering the request's text (speech, audio chat) */
    PROV_UNRESTORABLE_LOGPROBS,  /* per-token log probabilities: each token a piece of a placeholder */
} prov_unrestorable_kind_t;

/**
 * One kind of request whose answer carries the request's text where aigw cannot restore placeholders
 * (prov_adapter_t.unrestorable_outputs).
 */
typedef struct st_prov_unrestorable_t {
    const char *route;             /* "METHOD glob" as in unbilled_routes ("POST audio/speech"); NULL ends the list */
    const char *field;             /* NULL: every request on the route; else a dotted path of object members in the JSON body
                                      ("generationConfig.responseModalities"; "*" is any element or member:
                                      "tools.*.type") whose value, or an element of it, is `value` */
    const char *value;             /* with field: the string marking the output, compared ASCII case-insensitively ("audio");
                                      NULL: any value but JSON null and false (`logprobs: true`, `top_logprobs: 0`) */
    prov_unrestorable_kind_t kind; /* what the answer carries (the refusal's message says it) */
} prov_unrestorable_t;

/**
 * The kind of the first of the adapter's unrestorable_outputs that the request `method` (`method_len` bytes) on `path`
 * (`len` bytes, as for prov_route_unbilled) with JSON body `body` (`body_len` bytes; NULL / 0 for a body that is not
 * JSON, which matches only entries without a field) matches: its answer carries the request's text where no placeholder
 * can be restored. PROV_UNRESTORABLE_NONE otherwise, also for a NULL adapter or list, or a body that does not parse.
 * The body is parsed only when an entry's route matches and its field's last member name occurs in it.
 */
prov_unrestorable_kind_t prov_unrestorable_output(const prov_adapter_t *a, const char *method, size_t method_len, const char *path,
                                                  size_t len, const char *body, size_t body_len);

/**
 * 1 when `body` (`len` bytes, any text, not NUL-terminated) holds a JSON member name "<name>" (quoted, the quotes
 * included in the match) of any adapter's image_payload_fields, or the bytes "data:image/" (a data URI of an image),
 * else 0. A byte search in one pass, no parse (a quoted value counts too): a logged response's retention class
 * (retention.image_payload_hours). Thread-safe; the adapters' names are gathered on first use.
 */
int prov_has_image_payload(const char *body, size_t len);

/** All adapters; *n receives the count. Borrowed, static lifetime. */
const prov_adapter_t *const *prov_all(size_t *n);

/**
 * Adapter serving `model` on the unified /v1/ route. `models_config` is the config "models" section (may be NULL):
 * an object of glob -> provider name, e.g. {"gpt-*":"openai","gemini-*":"gemini","anthropic/claude-*":"openrouter"}, globs
 * matched with fnmatch(3) without flags. An exact key wins; otherwise the longest matching glob (most specific),
 * ties resolved by config order. No match, a NULL/empty model, or an unknown provider name -> &prov_openai.
 * The result may have compat_prefix == NULL (Anthropic, ...): the caller must refuse the call then.
 * @return borrowed adapter, static lifetime.
 */
const prov_adapter_t *prov_for_model(const char *model, const json_t *models_config);

/**
 * Validates a config "models" section: an object whose values name adapters that have a compat_prefix.
 * @return 0, or -1 with a message in err (errlen bytes, NUL-terminated) naming the offending key.
 */
int prov_models_config_check(const json_t *models_config, char *err, size_t errlen);

extern const prov_adapter_t prov_openai;
extern const prov_adapter_t prov_gemini;
extern const prov_adapter_t prov_anthropic;
extern const prov_adapter_t prov_replicate;
extern const prov_adapter_t prov_openrouter;
extern const prov_adapter_t prov_deepseek;
extern const prov_adapter_t prov_fireworks;
extern const prov_adapter_t prov_fal;

#endif
