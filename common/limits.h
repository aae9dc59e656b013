/*
 * Sizes that more than one layer uses, each defined once (house rule 34): the store, the server
 * and the CLI size their buffers and check their inputs against these, never against a copied
 * literal.
 */
#ifndef AIGW_COMMON_LIMITS_H
#define AIGW_COMMON_LIMITS_H

/** The decimal text of a limit below, for messages built at compile time: "1.." GW_STR(GW_USER_ID_MAX) " bytes". */
#define GW_STR(x) GW_STR_(x)
#define GW_STR_(x) #x

/** Bytes of a client key or admin token hash: BLAKE2b-256 (libsodium crypto_generichash). */
#define GW_KEY_HASH_BYTES 32

/**
 * Longest end-user id, in bytes (X-AIGW-User, the body's user / safety_identifier, the CLI's USER, the
 * admin API's {id}); buffers are GW_USER_ID_MAX + 1. Longer ids are refused (400, or GW_E_BAD_REQUEST).
 */
#define GW_USER_ID_MAX 256

/**
 * Longest request id, in bytes: aigw's own are 32 hex digits (gateway/proxy.c), a grant's is "grant:" +
 * 24 hex digits (gateway/store/store_leases.c); both static-asserted to fit. Buffers are
 * GW_REQUEST_ID_MAX + 1 (the call record's request_id, a prediction's creating request).
 */
#define GW_REQUEST_ID_MAX 39

/**
 * Longest provider name, in bytes: an adapter name of providers/ ("openai", "openrouter"); the config
 * names adapters only (an unknown provider is refused), so nothing longer reaches a call record, a
 * prediction row or a log line (tests/unit/providers/test_adapters.c checks every adapter's name
 * fits). Buffers are GW_PROVIDER_NAME_MAX + 1 (the call record's and the prediction's provider).
 */
#define GW_PROVIDER_NAME_MAX 23

/**
 * Longest Idempotency-Key the gateway honours, in bytes: the pipeline keeps it and the store's
 * idempotency table accepts it (one limit for both, issue 15; it was 128 in the pipeline and 256 in
 * the store). Stripe, whose header the SDKs copy, allows 255 characters. A longer key is refused
 * with 400 invalid_idempotency_key (gateway/pipeline/authenticate.c): ignoring it would let a
 * retried request be charged twice.
 */
#define GW_IDEMPOTENCY_KEY_MAX 256

#endif
