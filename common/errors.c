/*
 * gw_strerror: one switch over every gw_error_t member (see errors.h). There is deliberately no default label: with
 * -Wswitch (in -Wall, an error here) a member added without a message does not compile, and two members with one
 * value are a "duplicate case value" error, so the enum's values stay distinct by construction.
 */
#include "common/errors.h"

const char *gw_strerror(int code)
{
    switch ((gw_error_t)code) {
    case GW_OK:
        return "ok";
    case GW_E_BAD_REQUEST:
        return "bad request";
    case GW_E_CREDITS:
        return "insufficient credits";
    case GW_E_NOT_FOUND:
        return "not found";
    case GW_E_INTERNAL:
        return "internal error (allocation failure or bug)";
    case GW_E_UNAVAILABLE:
        return "unavailable (draining, or the store's queue is full or closed)";
    case GW_E_JSON_SYNTAX:
        return "json: syntax error";
    case GW_E_JSON_DEPTH:
        return "json: nested too deep";
    case GW_E_JSON_UTF8:
        return "json: invalid UTF-8";
    case GW_E_JSON_EDIT:
        return "json: an edit cannot apply";
    case GW_E_JSON_DUPKEY:
        return "json: duplicate object key";
    case GW_E_SSE_TOO_BIG:
        return "sse: event block too large";
    case GW_E_SSE_TRUNCATED:
        return "sse: stream ended inside an event";
    case GW_E_MULTIPART_SYNTAX:
        return "multipart: malformed body";
    case GW_E_MULTIPART_LIMIT:
        return "multipart: too many parts or headers too large";
    case GW_E_MULTIPART_BOUNDARY:
        return "multipart: bad boundary";
    case GW_E_IMAGE_CORRUPT:
        return "image: corrupt";
    case GW_E_IMAGE_UNSUPPORTED:
        return "image: unsupported format";
    case GW_E_IMAGE_BASE64:
        return "image: invalid base64";
    case GW_E_IMAGE_DATA_URI:
        return "image: not a data: URI";
    case GW_E_RATELIMIT_TOO_BIG:
        return "rate limit: cost above the bucket's capacity";
    case GW_E_PRICING_OVERFLOW:
        return "pricing: cost overflows";
    case GW_E_RESTORE_HOLD:
        return "restore: scan callback broke the hold-back contract";
    case GW_E_RESTORE_UNSCANNABLE:
        return "restore: the answer's text cannot be scanned (not JSON)";
    case GW_E_PROV_PARSE:
        return "provider: body is not the expected JSON";
    case GW_E_PROV_TARGET:
        return "provider: invalid target URL";
    case GW_E_CANON_SYNTAX:
        return "path: invalid syntax";
    case GW_E_CANON_SLASH:
        return "path: encoded slash or backslash";
    case GW_E_CANON_CONTROL:
        return "path: control character";
    case GW_E_CANON_ESCAPE:
        return "path: climbs above the root";
    case GW_E_CANON_LENGTH:
        return "path: too long";
    case GW_E_PRIVACY_REFUSED:
        return "privacy: a body field was refused";
    }
    return "unknown error";
}
