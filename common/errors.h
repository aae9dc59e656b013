/*
 * The one error vocabulary of every layer (house rules 5 and 27): 0 = OK, negative GW_E_* codes, one enum across the
 * modules. Pure modules, the store and the server return these values; the gateway maps each to exactly one HTTP
 * status and a provider-shaped body (gateway/errors.h). Kept in common/ so the store and the pure layers can name the
 * same codes without including anything of the server.
 *
 * Layout: the generic codes first (any layer may return them), then one block of ten per module, so the number alone
 * names the module in a log line. A module's header names its codes as aliases of these members (GW_JSON_E_SYNTAX is
 * GW_E_JSON_SYNTAX), so existing call sites read as before; every *_E_NOMEM alias is GW_E_INTERNAL.
 *
 * Every value is distinct, which is what lets a caller tell one module's error from another's when both can reach it
 * (a JSON walk returns its own errors and its visitor's abort value through one int). The build enforces it:
 * gw_strerror (errors.c) switches over every member without a default, so a duplicated value is a "duplicate case
 * value" error and a member without a message a -Wswitch error (warnings are errors); tests/unit/gateway/test_errors.c
 * does the same over every module alias, and its ctest probe proves a collision fails to compile.
 */
#ifndef AIGW_COMMON_ERRORS_H
#define AIGW_COMMON_ERRORS_H

typedef enum en_gw_error_t {
    GW_OK = 0,
    /* generic */
    GW_E_BAD_REQUEST = -1,  /* 400 malformed input (bad argument, bad query parameter) */
    GW_E_CREDITS = -3,      /* 402 balance cannot cover the reservation */
    GW_E_NOT_FOUND = -5,    /* 404 no such object */
    GW_E_INTERNAL = -9,     /* 500 aigw itself failed (allocation, bug); every module's *_E_NOMEM is this code */
    GW_E_UNAVAILABLE = -11, /* 503 draining, store queue full or closed */
    /* (-2, -4, -6..-8, -10, -12 were request errors nothing returned: the request pipeline's errors are the rows of
       gateway/errors.h gw_err_t.) */

    /* common/json.h */
    GW_E_JSON_SYNTAX = -20, /* not RFC 8259 JSON (grammar, numbers, escapes, trailing bytes) */
    GW_E_JSON_DEPTH = -21,  /* nesting deeper than GW_JSON_MAX_DEPTH */
    GW_E_JSON_UTF8 = -22,   /* invalid UTF-8 in a string, or a lone surrogate escape */
    GW_E_JSON_EDIT = -23,   /* an edit cannot apply (non-object intermediate, bad edit spec) */
    GW_E_JSON_DUPKEY = -24, /* an object names one key twice (with GW_JSON_V_UNIQUE_KEYS) */
    /* common/sse.h */
    GW_E_SSE_TOO_BIG = -30,   /* an event block exceeded max_event_bytes */
    GW_E_SSE_TRUNCATED = -31, /* the stream ended inside an event block */
    /* common/multipart.h */
    GW_E_MULTIPART_SYNTAX = -40,   /* malformed multipart/form-data body */
    GW_E_MULTIPART_LIMIT = -41,    /* too many parts, or a header block too large */
    GW_E_MULTIPART_BOUNDARY = -42, /* no valid boundary, or rewritten data would contain it */
    /* policy/imagemeta.h */
    GW_E_IMAGE_CORRUPT = -50,     /* image structure broken */
    GW_E_IMAGE_UNSUPPORTED = -51, /* not JPEG, PNG or WebP */
    GW_E_IMAGE_BASE64 = -52,      /* the base64 payload does not decode */
    GW_E_IMAGE_DATA_URI = -53,    /* not a data: URI */
    /* policy/ratelimit.h */
    GW_E_RATELIMIT_TOO_BIG = -60, /* the cost exceeds a bucket's capacity: can never pass */
    /* policy/pricing.h, policy/meter.h */
    GW_E_PRICING_OVERFLOW = -70, /* a cost does not fit in int64 micro-credits */
    /* policy/restore.h */
    GW_E_RESTORE_HOLD = -80,        /* a scan callback broke the hold-back contract */
    GW_E_RESTORE_UNSCANNABLE = -81, /* with an output scan: an answer or event whose text cannot be read (not JSON) */
    /* providers/provider.h */
    GW_E_PROV_PARSE = -90,  /* a body is not the JSON an adapter's extractor expects */
    GW_E_PROV_TARGET = -91, /* fal x-fal-target-url missing, malformed or not allow-listed */
    /* gateway/canon.h */
    GW_E_CANON_SYNTAX = -100,  /* request target not starting with '/', fragment, invalid percent-escape */
    GW_E_CANON_SLASH = -101,   /* encoded '/' or '\', or a raw '\' */
    GW_E_CANON_CONTROL = -102, /* a control byte or space, raw or encoded */
    GW_E_CANON_ESCAPE = -103,  /* ".." climbs above the root */
    GW_E_CANON_LENGTH = -104,  /* longer than GW_CANON_MAX_BYTES */
    /* gateway/privacy.h */
    GW_E_PRIVACY_REFUSED = -110 /* the privacy pass refused a field of the body (gw_body_info_t says how) */
} gw_error_t;

/**
 * A short static English description of `code` (a gw_error_t value, 0 included) for log lines, e.g.
 * "json: syntax error" or "internal error (allocation failure or bug)"; never NULL, never request content.
 * "unknown error" for a value that is no member (a module's private -1, say). Thread-safe, no allocation.
 */
const char *gw_strerror(int code);

#endif
