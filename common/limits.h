/*
 * Sizes that more than one layer uses, each defined once (house rule 34): the store, the server
 * and the CLI size their buffers and check their inputs against these, never against a copied
 * literal.
 */
#ifndef AIGW_COMMON_LIMITS_H
#define AIGW_COMMON_LIMITS_H

/** Bytes of a client key or admin token hash: BLAKE2b-256 (libsodium crypto_generichash). */
#define GW_KEY_HASH_BYTES 32

#endif
