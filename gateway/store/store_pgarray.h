/*
 * gw_store__pgarr: a one-dimensional PostgreSQL array in the binary wire format, built in memory
 * and bound as one parameter of a prepared statement, so one statement carries many rows
 * (`INSERT ... SELECT ... FROM unnest(?::text[], ?::int8[], ...)`: the journal's ledger rows and
 * open reservations on PostgreSQL, store_ledger_batch.c; a transaction's call, redaction and access
 * rows, store_calls.c).
 *
 * Format (PostgreSQL src/backend/utils/adt/arrayfuncs.c array_recv): a 20-byte header (number of
 * dimensions 1, has-nulls flag, element type OID, length, lower bound 1), then per element a
 * 4-byte big-endian length (-1 = NULL) and the element's binary form (text and bytea: the bytes;
 * int8: 8 bytes big-endian two's complement). Hand-written: libpq has no array builder, and the
 * format is five integers and length-prefixed values. The element type must be the one the
 * statement casts the parameter to (array_recv refuses another with "wrong element type").
 */
#ifndef AIGW_GATEWAY_STORE_PGARRAY_H
#define AIGW_GATEWAY_STORE_PGARRAY_H

#include <stddef.h>
#include <stdint.h>
#include "common/buf.h"
#include "gateway/store/store_db.h"

/* Element type OIDs from PostgreSQL's catalog (src/include/catalog/pg_type.dat). */
#define GW_PG_BYTEAOID 17
#define GW_PG_INT8OID 20
#define GW_PG_TEXTOID 25

/** An array being built. Zero-initialised is valid and empty; reuse it with gw_store__pgarr_start. */
typedef struct st_gw_store_pgarr_t {
    gw_buf_t buf; /* header + elements; owned */
    uint32_t oid; /* element type */
    uint32_t n;   /* elements appended */
    int nomem;    /* an append failed: the array is incomplete and gw_store__pgarr_bind refuses it */
} gw_store_pgarr_t;

/** Empties `a` (keeping its memory) for elements of type `oid` (GW_PG_*OID). */
void gw_store__pgarr_start(gw_store_pgarr_t *a, uint32_t oid);

/** Appends a text element; NULL appends SQL NULL. `s` is borrowed (copied). Out of memory is remembered (a->nomem). */
void gw_store__pgarr_text(gw_store_pgarr_t *a, const char *s);

/** Appends an int8 element. Out of memory is remembered (a->nomem). */
void gw_store__pgarr_int8(gw_store_pgarr_t *a, int64_t v);

/** Appends SQL NULL (any element type). Out of memory is remembered (a->nomem). */
void gw_store__pgarr_null(gw_store_pgarr_t *a);

/** Appends a bytea element of `n` bytes at `p` (copied); `p` NULL appends SQL NULL. Out of memory is remembered (a->nomem). */
void gw_store__pgarr_bytes(gw_store_pgarr_t *a, const void *p, size_t n);

/**
 * Writes the header and binds the array as parameter `i` (1-based) of `s` (binary format; the
 * bytes are copied by the binding). @return 0, or -1 when an append ran out of memory or the
 * array is too large for the wire format (nothing bound then).
 */
int gw_store__pgarr_bind(gw_store_pgarr_t *a, gw_store_stmt_t *s, int i);

/** Releases the memory; `a` is empty and reusable afterwards. */
void gw_store__pgarr_free(gw_store_pgarr_t *a);

#endif
