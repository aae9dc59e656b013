/*
 * The store's keys (see store.h): per-user data keys (unwrapped on demand into a small cache of
 * sodium_malloc entries, re-validated against the wrapped row every batch so an erasure elsewhere is
 * never answered with a stale key) and the managed client keys and admin tokens of `aigw keys`.
 */
#include "gateway/store/store.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/userid.h"
#include "gateway/store/keyfile.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "gateway/store/store_predict.h"
#include "gateway/store/store_schema.h"
#include "policy/crypto.h"
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- managed client keys and admin tokens (issue 14, `aigw keys`) ---- */

int gw_store_keys_add(gw_store_t *st, const gw_store_key_t *k, char id_out[GW_STORE_KEY_ID_CHARS + 1])
{
    unsigned char rnd[6];
    char hex[2 * GW_KEY_HASH_BYTES + 1];
    if ((strcmp(k->kind, "client") != 0 && strcmp(k->kind, "admin") != 0) || k->name[0] == '\0')
        return GW_STORE_E_INVAL;
    randombytes_buf(rnd, sizeof(rnd));
    memcpy(id_out, "key_", 4);
    sodium_bin2hex(id_out + 4, GW_STORE_KEY_ID_CHARS - 3, rnd, sizeof(rnd));
    sodium_bin2hex(hex, sizeof(hex), k->hash, GW_KEY_HASH_BYTES);
    pthread_mutex_lock(&st->wlock);
    int64_t n = gw_store__run_sql(
        st->wdb, "INSERT INTO api_keys(id, kind, name, key_hash, markup_permille, created_at) VALUES (?, ?, ?, ?, ?, ?)", "ttttii",
        id_out, k->kind, k->name, hex, (int64_t)k->markup_permille, gw_store__clock_us(st));
    if (n < 0)
        gw_store__log_db_error(st->wdb, "keys add");
    pthread_mutex_unlock(&st->wlock);
    return n == 1 ? 0 : GW_STORE_E_DB;
}

int gw_store_keys_revoke(gw_store_t *st, const char *id)
{
    pthread_mutex_lock(&st->wlock);
    int64_t n = gw_store__run_sql(st->wdb, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", "it",
                                  gw_store__clock_us(st), id);
    if (n < 0)
        gw_store__log_db_error(st->wdb, "keys revoke");
    pthread_mutex_unlock(&st->wlock);
    return n < 0 ? GW_STORE_E_DB : n == 0 ? GW_STORE_E_NOTFOUND : 0;
}

int gw_store_keys_list(gw_store_t *st, int with_revoked, gw_store_key_t **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    pthread_mutex_lock(&st->rlock);
    int ret = GW_STORE_E_DB;
    gw_store_stmt_t *s = gw_store__db_prepare(
        st->rdb,
        with_revoked
            ? "SELECT id, kind, name, key_hash, markup_permille, created_at, revoked_at FROM api_keys ORDER BY created_at, id"
            : "SELECT id, kind, name, key_hash, markup_permille, created_at, revoked_at FROM api_keys"
              " WHERE revoked_at IS NULL ORDER BY created_at, id");
    if (s != NULL) {
        size_t cap = 0, n = 0;
        gw_store_key_t *arr = NULL;
        int rc;
        while ((rc = gw_store__step(s)) == 1) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 16;
                gw_store_key_t *na = realloc(arr, nc * sizeof(*na));
                if (na == NULL) {
                    rc = -1;
                    break;
                }
                arr = na;
                cap = nc;
            }
            gw_store_key_t *k = &arr[n];
            memset(k, 0, sizeof(*k));
            const char *hex = gw_store__col_text(s, 3);
            size_t bin = 0;
            snprintf(k->id, sizeof(k->id), "%s", gw_store__col_text(s, 0) ? gw_store__col_text(s, 0) : "");
            snprintf(k->kind, sizeof(k->kind), "%s", gw_store__col_text(s, 1) ? gw_store__col_text(s, 1) : "");
            snprintf(k->name, sizeof(k->name), "%s", gw_store__col_text(s, 2) ? gw_store__col_text(s, 2) : "");
            if (hex == NULL || sodium_hex2bin(k->hash, GW_KEY_HASH_BYTES, hex, strlen(hex), NULL, &bin, NULL) != 0 ||
                bin != GW_KEY_HASH_BYTES)
                continue; /* a damaged row authenticates nobody */
            k->markup_permille = (uint32_t)gw_store__col_int64(s, 4);
            k->created_at_us = gw_store__col_int64(s, 5);
            k->revoked_at_us = gw_store__col_isnull(s, 6) ? 0 : gw_store__col_int64(s, 6);
            n++;
        }
        gw_store__reset(s);
        gw_store__db_finalize(s);
        if (rc == 0) {
            *out = arr;
            *n_out = n;
            ret = 0;
        } else {
            free(arr);
        }
    }
    if (ret != 0)
        gw_store__log_db_error(st->rdb, "keys list");
    pthread_mutex_unlock(&st->rlock);
    return ret;
}
