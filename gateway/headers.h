/*
 * Header rewriting rules between the client and the upstream provider. Pure functions on
 * (name, length) pairs so they are unit-tested without a server.
 *
 * Dropped toward the provider: hop-by-hop headers (RFC 9110 section 7.6.1: Connection,
 * Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade, plus HTTP2-Settings),
 * Host and Content-Length (curl sets them), Expect (curl would send 100-continue), the client's
 * credentials (providers/provider.h prov_credential_headers: Authorization, x-api-key, x-goog-api-key, api-key: the
 * client key never leaves aigw), every adapter's account-selection headers (prov_is_account_header: OpenAI-Organization,
 * OpenAI-Project, x-goog-user-project; config sets them per provider),
 * Accept-Encoding (aigw must read responses in clear to restore placeholders and meter usage),
 * Cookie, and every X-AIGW- header (aigw's own, e.g. the end-user id). Of the rest, only the headers a provider reads
 * are forwarded (gw_headers_forward_request: an allow-list).
 * Dropped toward the client: hop-by-hop headers, Content-Length and Content-Encoding (aigw may
 * rewrite the body and re-frames it), Server, Date (h2o sets them), Set-Cookie.
 */
#ifndef AIGW_GATEWAY_HEADERS_H
#define AIGW_GATEWAY_HEADERS_H

#include <stddef.h>

/** 1 if a request header `name` (`len` bytes, any case) must not be forwarded upstream. */
int gw_headers_drop_request(const char *name, size_t len);

struct st_prov_adapter_t;
/**
 * Whether a request header that gw_headers_drop_request keeps is forwarded to provider `up` (its wire format `wire`,
 * the route's adapter; may be NULL or equal to up): only headers a provider reads are, so an end user's address in
 * `X-Real-IP`, `True-Client-IP`, `CF-Connecting-IP` (set by a load balancer or CDN in front of aigw), a trace
 * context or an SDK's telemetry headers never reach the provider ("we send only what the provider needs").
 * Forwarded: HTTP's `Accept`, `Content-Type`, `User-Agent`, `Idempotency-Key`; the headers of `up`'s and `wire`'s
 * APIs (prov_adapter_t.request_headers); the names and "prefix*" globs of config upstream.forward_headers (`extra`,
 * `nextra` lower-case entries). Everything else is dropped (not refused: a header the provider does not read changes
 * nothing it does). @param name, len the header name, any case. @return 1 to forward, 0 to drop.
 */
int gw_headers_forward_request(const struct st_prov_adapter_t *up, const struct st_prov_adapter_t *wire, char *const *extra,
                               size_t nextra, const char *name, size_t len);

/**
 * 1 if header `name` is listed in the Connection header value `conn` (`conn_len` bytes,
 * comma-separated tokens, any case): such headers are hop-by-hop too (RFC 9110 section 7.6.1).
 */
int gw_headers_in_connection(const char *conn, size_t conn_len, const char *name, size_t len);

/** 1 if an upstream response header `name` (`len` bytes, any case) must not reach the client. */
int gw_headers_drop_response(const char *name, size_t len);

/**
 * Parses one raw response header line from curl ("Name: value\r\n"). On success points
 * *name and *value into `line` (borrowed), trims whitespace, and returns 0. Returns 1 for a
 * status line ("HTTP/1.1 200 OK", "HTTP/2 200"), 2 for the blank end-of-headers line, -1 for
 * anything malformed: no colon, an empty name, a name byte that is a control, space or non-ASCII
 * (RFC 9110 section 5.1: a token), or a value holding a control character other than HTAB (CR, LF,
 * NUL, DEL, ...: RFC 9110 section 5.5; an obs-fold continuation line is malformed too, its name
 * starts with a blank).
 */
int gw_headers_parse_line(const char *line, size_t len, const char **name, size_t *name_len, const char **value, size_t *value_len);

/**
 * 1 when the raw HTTP/1.x request head `head` (`len` bytes, from the request line; parsing stops at the first empty
 * line) has framing that a front proxy and aigw may read differently (RFC 9112 sections 6.1 and 6.3, request
 * smuggling): Transfer-Encoding together with Content-Length, more than one Transfer-Encoding or one other than
 * "chunked", several Content-Length fields with different values, or a Content-Length that is not a plain decimal
 * number. Identical repeated Content-Length fields are accepted (section 6.3 item 5). 0 otherwise.
 * h2o 2.2.5 drops these fields before the handler sees the request, so the gateway reads the raw head.
 */
int gw_headers_conflicting_framing(const char *head, size_t len);

#endif
