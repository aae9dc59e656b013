/*
 * PostgreSQL binary arrays for multi-row statements (see store_pgarray.h for the format). The
 * header is reserved at start and filled in at bind time, when the length is known; a failed
 * append is sticky, so a caller appends a whole row and checks once, at bind.
 */
#include "gateway/store/store_pgarray.h"

#include <string.h>

#define PGARR_HEADER 20

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

void gw_store__pgarr_start(gw_store_pgarr_t *a, uint32_t oid)
{
    static const unsigned char hdr[PGARR_HEADER] = {0};
    gw_buf_reset(&a->buf);
    a->oid = oid;
    a->n = 0;
    a->nomem = gw_buf_append(&a->buf, hdr, sizeof(hdr)) != 0;
}

/* One element: its length (UINT32_MAX = NULL) and bytes. */
static void put_elem(gw_store_pgarr_t *a, const void *p, size_t n, int null)
{
    unsigned char len[4];
    if (a->nomem)
        return;
    if (n > INT32_MAX) {
        a->nomem = 1;
        return;
    }
    put_be32(len, null ? UINT32_MAX : (uint32_t)n);
    size_t mark = a->buf.len;
    if (gw_buf_append(&a->buf, len, sizeof(len)) != 0 || (!null && n > 0 && gw_buf_append(&a->buf, p, n) != 0)) {
        a->buf.len = mark;
        a->nomem = 1;
        return;
    }
    a->n++;
}

void gw_store__pgarr_text(gw_store_pgarr_t *a, const char *s)
{
    put_elem(a, s, s != NULL ? strlen(s) : 0, s == NULL);
}

void gw_store__pgarr_int8(gw_store_pgarr_t *a, int64_t v)
{
    unsigned char b[8];
    for (int k = 0; k < 8; k++)
        b[k] = (unsigned char)((uint64_t)v >> (56 - 8 * k));
    put_elem(a, b, sizeof(b), 0);
}

void gw_store__pgarr_null(gw_store_pgarr_t *a)
{
    put_elem(a, NULL, 0, 1);
}

void gw_store__pgarr_bytes(gw_store_pgarr_t *a, const void *p, size_t n)
{
    put_elem(a, p, n, p == NULL);
}

int gw_store__pgarr_bind(gw_store_pgarr_t *a, gw_store_stmt_t *s, int i)
{
    if (a->nomem || a->buf.len < PGARR_HEADER || a->n > INT32_MAX)
        return -1;
    unsigned char *h = (unsigned char *)a->buf.base;
    put_be32(h, 1);
    put_be32(h + 4, 1); /* may contain NULLs: the flag only lets array_recv skip a check */
    put_be32(h + 8, a->oid);
    put_be32(h + 12, a->n);
    put_be32(h + 16, 1);
    return gw_store__bind_blob(s, i, a->buf.base, a->buf.len);
}

void gw_store__pgarr_free(gw_store_pgarr_t *a)
{
    gw_buf_free(&a->buf);
    a->n = 0;
    a->nomem = 0;
}
