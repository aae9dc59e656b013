/*
 * gw_store__: what store.c shares with the store's other files (store_ledger.c). Not a public
 * interface: the gateway includes store.h and store_ledger.h only.
 */
#ifndef AIGW_GATEWAY_STORE_INTERNAL_H
#define AIGW_GATEWAY_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "gateway/store/store.h"
#include "gateway/store/store_db.h"

typedef struct st_gw_store_ledger_t gw_store_ledger_t;

/**
 * Opens the ledger's connections to the same database as the store (`pg` selects PostgreSQL;
 * `target` is the SQLite path or the libpq DSN, borrowed). Called by gw_store_open.
 * @return the ledger (gw_store__ledger_close), or NULL with a message in `err`.
 */
gw_store_ledger_t *gw_store__ledger_open(gw_store_t *st, int pg, const char *target, char *err, size_t errlen);

/** Closes the ledger's connections (NULL is fine). Called by gw_store_close. */
void gw_store__ledger_close(gw_store_ledger_t *lg);

/** The store's ledger (borrowed). */
gw_store_ledger_t *gw_store__ledger(gw_store_t *st);

/** The store's clock: µs since the epoch (tests replace it with gw_store_set_clock). */
int64_t gw_store__now_us(gw_store_t *st);

/**
 * Inserts the users row for `user_id` with a fresh data key wrapped by the master key, unless
 * it exists (ON CONFLICT DO NOTHING), on connection `db` inside the caller's transaction.
 * @return 0, or -1 (see gw_store__db_errmsg, or a crypto failure).
 */
int gw_store__user_insert(gw_store_t *st, gw_store_db_t *db, const char *user_id);

/** Hex digits of gw_store__user_ref. */
#define GW_STORE_USER_REF_CHARS 32

/**
 * A pseudonymous reference to a user for identifiers that must outlive an erasure (the default
 * grant's ledger request id): keyed BLAKE2b-128 of the id, the key derived from the master key,
 * so the id cannot be read back or tested without it. `out` gets 32 hex digits and a NUL.
 */
void gw_store__user_ref(const gw_store_t *st, const char *user_id, char out[GW_STORE_USER_REF_CHARS + 1]);

/** The read connection under its lock: acquire, use, release (long report queries). */
gw_store_db_t *gw_store__rdb_acquire(gw_store_t *st);
void gw_store__rdb_release(gw_store_t *st);

#endif
