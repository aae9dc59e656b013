/*
 * Secret masking (see secrets.h). The sets are tiny (a handful of keys of 20..200 bytes), so a
 * memmem() per secret over the buffer is the whole algorithm; holdback compares the buffer's
 * tail with each secret's prefixes, longest first.
 */
#include "gateway/secrets.h"

#include <string.h>

void gw_secrets_reset(gw_secrets_t *s)
{
    s->n = 0;
    s->max_len = 0;
}

int gw_secrets_add(gw_secrets_t *s, const char *base, size_t len)
{
    if (base == NULL || len < GW_SECRET_MIN_BYTES)
        return 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].len == len && memcmp(s->v[i].base, base, len) == 0)
            return 0;
    if (s->n == GW_SECRETS_MAX)
        return -1;
    s->v[s->n].base = base;
    s->v[s->n].len = len;
    s->n++;
    if (len > s->max_len)
        s->max_len = len;
    return 0;
}

size_t gw_secrets_mask(const gw_secrets_t *s, char *buf, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < s->n; i++) {
        const gw_secret_t *k = &s->v[i];
        char *p = buf, *end = buf + len;
        while ((size_t)(end - p) >= k->len && (p = memmem(p, (size_t)(end - p), k->base, k->len)) != NULL) {
            memset(p, '*', k->len);
            p += k->len;
            count++;
        }
    }
    return count;
}

size_t gw_secrets_holdback(const gw_secrets_t *s, const char *buf, size_t len)
{
    size_t best = 0;
    for (size_t i = 0; i < s->n; i++) {
        const gw_secret_t *k = &s->v[i];
        size_t m = k->len - 1 < len ? k->len - 1 : len;
        for (; m > best; m--)
            if (memcmp(buf + len - m, k->base, m) == 0) {
                best = m;
                break;
            }
    }
    return best;
}
