/*
 * pol_crypto: the envelope that protects logged bodies at rest.
 *
 * Three layers (DESIGN.md section 5): a master key (32 bytes, from the key file written by
 * `aigw keygen`), one random data key per user stored wrapped by the master key, and bodies
 * sealed with XChaCha20-Poly1305 (libsodium crypto_aead_xchacha20poly1305_ietf, 192-bit random
 * nonces, so random nonces never collide in practice) under the user's data key with the
 * request id as associated data. Destroying a user's wrapped data key makes every copy of their
 * bodies unreadable (crypto-shredding). This module is pure: no files, no database; the key
 * file is read by gateway/store/keyfile.c.
 */
#ifndef AIGW_POLICY_CRYPTO_H
#define AIGW_POLICY_CRYPTO_H

#include <stddef.h>

/** Bytes in a master or data key (XChaCha20-Poly1305 key size). */
#define POL_CRYPTO_KEY_BYTES 32
/** Bytes of an AEAD nonce (XChaCha20: 192 bits). */
#define POL_CRYPTO_NONCE_BYTES 24
/** Bytes the AEAD adds to a plaintext (Poly1305 tag). */
#define POL_CRYPTO_TAG_BYTES 16
/** Bytes of a wrapped data key: nonce || ciphertext of the key || tag. */
#define POL_CRYPTO_WRAPPED_BYTES (POL_CRYPTO_NONCE_BYTES + POL_CRYPTO_KEY_BYTES + POL_CRYPTO_TAG_BYTES)
/** Characters of a key id (hex, without the NUL). */
#define POL_CRYPTO_KEY_ID_CHARS 16

/** A key held in sodium_malloc memory (guard pages, mlock'ed where allowed), wiped on free. */
typedef struct st_pol_key_t pol_key_t;

/**
 * Initialises libsodium; safe to call more than once and from several threads.
 * @return 0, or -1 when libsodium cannot initialise (no entropy source).
 */
int pol_crypto_init(void);

/** @return a new random key (caller owns it, free with pol_key_free), or NULL on allocation failure. */
pol_key_t *pol_key_new_random(void);

/**
 * Parses a key from the contents of a key file: either exactly 32 raw bytes, or 64 hex digits
 * optionally surrounded by ASCII whitespace (what `aigw keygen` writes).
 * @param p borrowed, `n` bytes. @return a new key (caller owns it), or NULL when the contents
 *        are neither form or allocation fails.
 */
pol_key_t *pol_key_from_bytes(const void *p, size_t n);

/** Wipes and releases `k` (NULL is fine). */
void pol_key_free(pol_key_t *k);

/**
 * Writes the key as 64 lowercase hex digits plus NUL into `out` (65 bytes), for key files only.
 * The caller must wipe `out` (sodium_memzero) after use.
 */
void pol_key_hex(const pol_key_t *k, char out[2 * POL_CRYPTO_KEY_BYTES + 1]);

/**
 * The public identifier of a key: 16 hex digits of BLAKE2b("aigw master key id", key). It
 * names a master key in the database so a mismatch or a rotation is detectable; it reveals
 * nothing about the key. `out` receives 17 bytes (NUL-terminated).
 */
void pol_key_id(const pol_key_t *k, char out[POL_CRYPTO_KEY_ID_CHARS + 1]);

/**
 * Wraps data key `dk` under master key `mk` for user `user_id` (the user id is the associated
 * data, so a wrapped key cannot be moved to another user's row). `out` receives
 * POL_CRYPTO_WRAPPED_BYTES. @return 0, or -1 on failure.
 */
int pol_crypto_wrap(const pol_key_t *mk, const pol_key_t *dk, const char *user_id, unsigned char out[POL_CRYPTO_WRAPPED_BYTES]);

/**
 * Unwraps a data key. @param w borrowed, `wlen` bytes (must be POL_CRYPTO_WRAPPED_BYTES).
 * @return the data key (caller owns it), or NULL when the master key, the user id or the bytes
 *         do not match (authentication failure) or allocation fails.
 */
pol_key_t *pol_crypto_unwrap(const pol_key_t *mk, const unsigned char *w, size_t wlen, const char *user_id);

/**
 * A fixed set of key slots in one sodium_malloc allocation (read-only except while a slot is
 * written), for caches that hold many data keys: one guarded, locked region instead of a few
 * pages per key.
 */
typedef struct st_pol_keyring_t pol_keyring_t;

/** @return a keyring of `n` empty slots (caller owns it, pol_keyring_free), or NULL. */
pol_keyring_t *pol_keyring_new(size_t n);

/** Wipes and releases the keyring (NULL is fine); pointers into it become invalid. */
void pol_keyring_free(pol_keyring_t *r);

/**
 * Unwraps a data key (as pol_crypto_unwrap) into slot `i`, replacing what it held.
 * @return the key (borrowed: valid until the slot is overwritten or the keyring freed), or NULL
 *         when the bytes do not authenticate (the slot is wiped then).
 */
const pol_key_t *pol_keyring_unwrap(pol_keyring_t *r, size_t i, const pol_key_t *mk, const unsigned char *w, size_t wlen,
                                    const char *user_id);

/** Wipes slot `i`. */
void pol_keyring_wipe(pol_keyring_t *r, size_t i);

/**
 * Seals `n` bytes of `pt` under data key `dk` with a fresh random nonce written to `nonce`;
 * `ct` receives n + POL_CRYPTO_TAG_BYTES bytes. `ad` (the request id) is authenticated, not
 * stored. Nonces come from a per-thread pool of bytes drawn from the system's generator in 4 KiB
 * draws (each byte used once; refilled in a child after fork, through pthread_atfork): one
 * getrandom(2) per ~85 logged calls instead of one per call. @return 0, or -1 on failure.
 */
int pol_crypto_seal(const pol_key_t *dk, const char *ad, size_t adlen, const void *pt, size_t n,
                    unsigned char nonce[POL_CRYPTO_NONCE_BYTES], unsigned char *ct);

/**
 * Seals two messages under data key `dk` with the same associated data, each with its own fresh
 * random nonce, as two pol_crypto_seal calls would (each output opens with pol_crypto_open), but
 * with one draw from the nonce pool for both nonces (see pol_crypto_seal). A message whose `pt` is NULL is skipped (its nonce is
 * zeroed, its ciphertext not written). `nonces` receives 2 * POL_CRYPTO_NONCE_BYTES (the first message's nonce, then the second's);
 * `ct1` / `ct2` receive n1 / n2 + POL_CRYPTO_TAG_BYTES bytes. @return 0, or -1 on failure.
 */
int pol_crypto_seal_pair(const pol_key_t *dk, const char *ad, size_t adlen, const void *pt1, size_t n1, const void *pt2, size_t n2,
                         unsigned char nonces[2 * POL_CRYPTO_NONCE_BYTES], unsigned char *ct1, unsigned char *ct2);

/**
 * Opens what pol_crypto_seal produced. `pt` receives ctlen - POL_CRYPTO_TAG_BYTES bytes.
 * @return 0, or -1 when the key, nonce, associated data or ciphertext do not match.
 */
int pol_crypto_open(const pol_key_t *dk, const char *ad, size_t adlen, const unsigned char nonce[POL_CRYPTO_NONCE_BYTES],
                    const unsigned char *ct, size_t ctlen, unsigned char *pt);

#endif
