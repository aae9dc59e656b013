/*
 * gw_canon: the one canonical form of a request target (issue 10, "One canonical request").
 *
 * Every decision aigw takes on a path (routing, the no-training refusals of storage routes, the
 * flags injected per route, the model named in a Gemini path for pricing, the access log) and the
 * URL forwarded upstream use the same canonical form, computed once per request by
 * gw_canon_target(). Two spellings that a provider treats as the same resource therefore always
 * get the same decision: "/v1/%66iles", "/v1//files/" and "/v1/./files" are all "/v1/files".
 *
 * Rules (RFC 3986 sections 2.1, 2.3, 6.2.2, 5.2.4), applied to the path; the query is kept as sent:
 *  - percent-escapes of unreserved characters, sub-delims, ':' and '@' (everything a path segment
 *    may hold literally, RFC 3986 section 3.3) are decoded, in either hex case ("%66", "%3a", "%3A");
 *  - every other escape is kept, with upper-case hex ("%c3%a9" -> "%C3%A9");
 *  - raw bytes a path may not hold literally (non-ASCII, '"', '<', '>', '^', '`', '{', '|', '}')
 *    are percent-encoded;
 *  - dot segments ("." and "..", literal or encoded) are removed; ".." above the root is refused;
 *  - runs of '/' become one '/', and a trailing '/' is removed (except for the root "/");
 *  - refused (GW_CANON_E_*, answered 400): an encoded '/' or '\' ("%2F", "%5C"), a raw '\', "%00"
 *    or any encoded or raw control byte (< 0x20, 0x7f) or space, an invalid escape ("%", "%4",
 *    "%zz"), a target that does not start with '/', a fragment ('#'), and targets longer than
 *    GW_CANON_MAX_BYTES.
 * Pure code: no allocation besides `out`, no I/O. Unit tests: tests/unit/gateway/test_canon.c;
 * fuzz target: tests/fuzz/fuzz_canon.c.
 */
#ifndef AIGW_GATEWAY_CANON_H
#define AIGW_GATEWAY_CANON_H

#include <stddef.h>

#include "common/buf.h"
#include "common/errors.h"

/** Longest request target (path and query) accepted, in bytes (h2o itself caps the request line). */
#define GW_CANON_MAX_BYTES 8192

/* Errors (negative, like every aigw error); each is a 400 for the client. */
#define GW_CANON_E_SYNTAX GW_E_CANON_SYNTAX   /* not starting with '/', fragment, invalid percent-escape */
#define GW_CANON_E_SLASH GW_E_CANON_SLASH     /* encoded '/' or '\' (%2F, %5C) or a raw '\' */
#define GW_CANON_E_CONTROL GW_E_CANON_CONTROL /* %00, another control byte or space, raw or encoded */
#define GW_CANON_E_ESCAPE GW_E_CANON_ESCAPE   /* ".." climbs above the root */
#define GW_CANON_E_LENGTH GW_E_CANON_LENGTH   /* longer than GW_CANON_MAX_BYTES */
#define GW_CANON_E_NOMEM GW_E_INTERNAL        /* allocation failure: the common code (common/errors.h) */

/**
 * Canonical form of the request target `target` (`len` bytes, borrowed; path and optional "?query"
 * as received on the request line or in :path).
 * @param out       receives the canonical path followed by the query as sent ('?' included); reset
 *                  first; NUL-terminated (the NUL is not counted in out->len)
 * @param path_len  receives the length of the canonical path within out (the query starts there)
 * @param err_desc  on error, a static description ("encoded '/' (%2F) in the path"), never NULL
 * @return 0, or a GW_CANON_E_* code
 */
int gw_canon_target(const char *target, size_t len, gw_buf_t *out, size_t *path_len, const char **err_desc);

/**
 * Removes every query parameter named `name` (exact, case-sensitive, compared on the raw bytes and
 * on the percent-decoded name) from the query of `out`, which gw_canon_target() produced
 * (`*path_len` bytes of path, then the query). The '?' goes too when no parameter is left.
 * Used to keep client credentials (providers/provider.h prov_credential_query_params: Gemini's "?key=") from being
 * forwarded.
 * @return the number of parameters removed
 */
size_t gw_canon_drop_query_param(gw_buf_t *out, size_t path_len, const char *name);

/**
 * Whether the query parameter name `p` (`n` bytes, as sent: raw, with `%XX` escapes and '+' for space) names `name`
 * (NUL-terminated, lower-case ASCII) once percent-decoded, compared ASCII case-insensitively: "fal%5Fwebhook" and
 * "FAL_WEBHOOK" are "fal_webhook". For parameters aigw removes because of what they do (the no-training pass's
 * drop_query: fal's webhook): a server's query parser decodes the escapes, and one that folds case would act on another
 * spelling, so every spelling goes (a parameter of another meaning never has such a name).
 * @return 1 or 0
 */
int gw_canon_query_name_is(const char *p, size_t n, const char *name);

#endif
