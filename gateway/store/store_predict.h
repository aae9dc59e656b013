/*
 * gw_store predictions (issue 16, issue 13 "fal queue"): what aigw keeps about an asynchronous
 * prediction between the call that created it (Replicate POST .../predictions, fal queue submit)
 * and the later calls that read it (Replicate GET / cancel, fal result), possibly on another
 * instance sharing the database.
 *
 * - The vault: the creating request's placeholders (token -> original value, the user's own
 *   values) so every later read can restore them. Sealed with XChaCha20-Poly1305 under the
 *   user's data key (policy/crypto.h, like call-log bodies; associated data "provider/id", so a
 *   ciphertext cannot be moved to another prediction), kept until the prediction's TTL passes or
 *   GW_PREDICT_TERMINAL_KEEP_S after aigw first saw it terminal, deleted by the erasure of the user
 *   (and unreadable from the moment their data key is destroyed).
 * - The settlement: the creating call's reservation is left open (open_reservation) and settled
 *   once, from the answer in which aigw first sees the prediction terminal. `settled_at` is set by
 *   one conditional UPDATE (... WHERE settled_at IS NULL): exactly one reader, of any instance,
 *   wins the right to settle; the ledger's UNIQUE (request_id, kind) makes the settle itself
 *   idempotent as well.
 *
 * Rows are written by the store's writer with the creating call's record (gw_call_rec_t.predict,
 * same transaction, committed before the create answer's last byte, so a poll that follows it at
 * once finds the row). Reads and the expiry sweep are blocking calls for a thread pool.
 */
#ifndef AIGW_GATEWAY_STORE_PREDICT_H
#define AIGW_GATEWAY_STORE_PREDICT_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/store/store.h"

#define GW_PREDICT_ID_MAX 128 /* = GW_ASYNC_ID_MAX (gateway/async.h) */

/**
 * How long a prediction's vault is kept after aigw first saw it terminal (seconds): Replicate
 * deletes the inputs and outputs of API predictions after one hour (replicate.com/docs/topics/
 * predictions/data-retention), so later reads carry no placeholders.
 */
#define GW_PREDICT_TERMINAL_KEEP_S 3600

/** A prediction created by a call (gw_call_rec_t.predict). Strings owned (malloc). */
typedef struct st_gw_predict_rec_t {
    char provider[GW_PROVIDER_NAME_MAX + 1]; /* "replicate", "fal" */
    char id[GW_PREDICT_ID_MAX + 1];          /* the provider's prediction / request id */
    char *client;                            /* client key name of the creating call (may be NULL) */
    char *model;                             /* model it is priced under (may be NULL) */
    uint32_t markup_permille;                /* the creating client's markup (1000 = none) */
    int64_t reserved;                        /* micro-credits reserved by the creating call */
    int open_reservation;                    /* 1: the creating call's reservation waits for the terminal answer */
    int settled;                             /* 1: already terminal when created (nothing left to settle) */
    int64_t expires_at_us;                   /* the vault is not given out after this */
    char *vault;                             /* plaintext JSON (gw_async_vault_to_json), wiped on free; may be NULL */
    size_t vault_len;                        /* bytes */
} gw_predict_rec_t;

/** Frees a record (the vault wiped first). NULL is fine. */
void gw_predict_rec_free(gw_predict_rec_t *p);

/** What a read of a prediction found (gw_store_predict_read). */
typedef struct st_gw_predict_row_t {
    char user_id[GW_USER_ID_MAX + 1];       /* of the creating call */
    char request_id[GW_REQUEST_ID_MAX + 1]; /* of the creating call (its reservation) */
    char model[128];
    uint32_t markup_permille;
    int64_t reserved;
    int open_reservation;
    int claimed; /* 1: this read saw the prediction terminal first: the caller settles the reservation */
    char *vault; /* plaintext JSON owned by the row (wiped on free), NULL when not given out */
    size_t vault_len;
} gw_predict_row_t;

/** Frees the row's vault (wiped) and zeroes the row. */
void gw_predict_row_free(gw_predict_row_t *row);

/**
 * One later read of prediction (`provider`, `id`) by end user `user_id` through client `client`
 * (NULL = none), in one transaction: the row if it has not expired; its vault opened only when
 * user and client are the creating call's (a prediction id is not a credential: another user
 * polling the same id gets the provider's answer, never the creator's values); when `terminal`,
 * claims the settlement (settled_at, at most once over all readers and instances; the vault then
 * expires GW_PREDICT_TERMINAL_KEEP_S seconds later at the latest).
 * Blocking: call from a thread pool.
 * A vault that does not open (the user was erased meanwhile) is not given out (logged).
 * @return 0 (row filled), GW_STORE_E_NOTFOUND (unknown or expired), GW_STORE_E_INVAL, GW_STORE_E_DB.
 */
int gw_store_predict_read(gw_store_t *st, const char *provider, const char *id, const char *user_id, const char *client,
                          int terminal, gw_predict_row_t *row);

/**
 * The creating call's usage once its prediction is settled: its call-log row gets the cost
 * charged and the compute time (reports), as if the create had answered it.
 * Blocking. @return 0 (also when the row is gone), GW_STORE_E_DB.
 */
int gw_store_predict_usage(gw_store_t *st, const char *request_id, int64_t cost_microcredits, int64_t compute_ms);

/**
 * Expired predictions: those never seen terminal whose reservation is still open are settled at
 * their reservation (an upper bound: the provider's usage never came back through aigw), then at
 * most `max` expired rows are deleted. Blocking. @param settled receives the reservations settled
 * (may be NULL). @return 0 or GW_STORE_E_DB.
 */
int gw_store_predict_sweep(gw_store_t *st, int max, int64_t *settled);

#endif
