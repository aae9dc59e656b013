/*
 * The prediction row the writer stores with the call that created it (store_predict.h,
 * gw_store__predict_write): the vault sealed under the user's data key, associated data
 * "provider/id". Apart from reads, the usage update and the sweep (store_predict.c), which settle
 * through the ledger: the writer's side calls nothing that queues on the journal, so the store's
 * files call each other one way (docs/internals/store.md "Files").
 */
#include "gateway/store/store_predict.h"
#include "gateway/store/store_internal.h"
#include "policy/crypto.h"

#include <stdio.h>
#include <stdlib.h>

size_t gw_store__predict_ad(char *ad, size_t cap, const char *provider, const char *id)
{
    int n = snprintf(ad, cap, "%s/%s", provider, id);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

int gw_store__step_done(gw_store_stmt_t *s)
{
    int rc;
    while ((rc = gw_store__step(s)) == 1)
        ;
    return rc;
}

int gw_store__predict_write(gw_store_t *st, gw_store_db_t *db, const pol_key_t *dk, const char *user, const gw_call_rec_t *r)
{
    const gw_predict_rec_t *p = r->predict;
    char ad[GW_STORE_PREDICT_AD_SIZE];
    size_t adl = gw_store__predict_ad(ad, sizeof(ad), p->provider, p->id);
    unsigned char nonce[POL_CRYPTO_NONCE_BYTES];
    unsigned char *ct = NULL;
    int err = GW_STORE_E_DB;
    if (adl == 0 || p->id[0] == '\0')
        return GW_STORE_E_INVAL;
    if (p->vault != NULL) {
        if ((ct = malloc(p->vault_len + POL_CRYPTO_TAG_BYTES)) == NULL)
            return GW_STORE_E_NOMEM;
        if (pol_crypto_seal(dk, ad, adl, p->vault, p->vault_len, nonce, ct) != 0) {
            free(ct);
            return GW_STORE_E_CRYPTO;
        }
    }
    int64_t now = gw_store__now_us(st);
    gw_store_stmt_t *s = gw_store__db_prepare(
        db, "INSERT INTO predictions(provider, id, user_id, client, request_id, model, markup_permille, reserved, open_reservation,"
            " vault_ct, nonce, created_at, expires_at, settled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING");
    if (s == NULL)
        goto out;
    gw_store__bind_text(s, 1, p->provider);
    gw_store__bind_text(s, 2, p->id);
    gw_store__bind_text(s, 3, user);
    gw_store__bind_text(s, 4, p->client);
    gw_store__bind_text(s, 5, r->request_id);
    gw_store__bind_text(s, 6, p->model);
    gw_store__bind_int64(s, 7, p->markup_permille);
    gw_store__bind_int64(s, 8, p->reserved);
    gw_store__bind_int64(s, 9, p->open_reservation != 0);
    gw_store__bind_blob(s, 10, ct, ct != NULL ? p->vault_len + POL_CRYPTO_TAG_BYTES : 0);
    gw_store__bind_blob(s, 11, ct != NULL ? nonce : NULL, sizeof(nonce));
    gw_store__bind_int64(s, 12, now);
    gw_store__bind_int64(s, 13, p->expires_at_us);
    if (p->settled)
        gw_store__bind_int64(s, 14, now);
    else
        gw_store__bind_blob(s, 14, NULL, 0);
    if (gw_store__step_done(s) == 0)
        err = 0;
    gw_store__reset(s);
    gw_store__db_finalize(s);
out:
    free(ct);
    return err;
}
