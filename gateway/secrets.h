/*
 * gw_secrets: keeps credentials out of every byte aigw returns to a client (issue 10, "Secrets
 * never flow back"). A provider that quotes the key it received in an error body, a header or a
 * stream, or aigw's own 502 message built from such a body, must not hand the configured provider
 * key (or the client's own key) to the client.
 *
 * Each occurrence of a secret is overwritten in place with '*' of the same length, so a body
 * passed through with its Content-Length keeps it, and JSON / SSE framing stays valid (the keys
 * are printable ASCII). Streams are masked as they flow: gw_secrets_holdback() says how many bytes
 * at the end of a chunk could be the start of a secret and must wait for the next chunk.
 * Secrets shorter than GW_SECRET_MIN_BYTES are ignored (an empty test key must not mask every
 * byte). Pure code: no allocation, no I/O. Unit tests: tests/unit/gateway/test_secrets.c.
 */
#ifndef AIGW_GATEWAY_SECRETS_H
#define AIGW_GATEWAY_SECRETS_H

#include <stddef.h>

/** Secrets per set: every configured provider key plus the client's key, with room to spare. */
#define GW_SECRETS_MAX 32
/** Shorter strings are not treated as secrets. */
#define GW_SECRET_MIN_BYTES 8

typedef struct st_gw_secret_t {
    const char *base; /**< borrowed: the caller keeps it alive as long as the set is used */
    size_t len;       /**< bytes */
} gw_secret_t;

typedef struct st_gw_secrets_t {
    gw_secret_t v[GW_SECRETS_MAX];
    size_t n;
    size_t max_len; /**< longest secret, bytes */
} gw_secrets_t;

/** Empties the set. */
void gw_secrets_reset(gw_secrets_t *s);

/**
 * Adds `base` (`len` bytes, borrowed). Secrets shorter than GW_SECRET_MIN_BYTES and duplicates are ignored.
 * @return 0, or -1 when the set is full (GW_SECRETS_MAX)
 */
int gw_secrets_add(gw_secrets_t *s, const char *base, size_t len);

/**
 * Overwrites every occurrence of every secret in `buf` (`len` bytes) with '*' (same length).
 * @return the number of occurrences masked
 */
size_t gw_secrets_mask(const gw_secrets_t *s, char *buf, size_t len);

/**
 * Length of the longest suffix of `buf` (`len` bytes) that is a proper prefix of a secret: those bytes must be held
 * back until more data arrives (or the stream ends) before they may be sent. 0 when nothing needs holding.
 */
size_t gw_secrets_holdback(const gw_secrets_t *s, const char *buf, size_t len);

#endif
