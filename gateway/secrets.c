/*
 * Secret masking (see secrets.h). The sets are tiny (a handful of keys of 20..200 bytes), so a
 * search per secret over the buffer is the whole algorithm; holdback compares the buffer's
 * tail with each secret's prefixes, longest first.
 */
#include "gateway/secrets.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/*
 * The first occurrence of `k` (`kl` >= 2 bytes) in `p` (`n` bytes), as memmem. Every answer is masked on the event loop
 * (the bytes sent, the logged copy, header values), and memmem cost ~1k instructions per key and KB: here 16 start
 * positions at a time are tested on the key's first and last bytes (SSE2), and only those that match both are
 * compared (W. Mula's "SIMD-friendly algorithms for substring searching"). A key is random text, so such candidates
 * are rare. tests/unit/gateway/test_secrets.c checks it against memmem.
 */
static char *find_key(char *p, size_t n, const char *k, size_t kl)
{
    if (n < kl)
        return NULL;
    size_t last = n - kl, i = 0; /* the last start position */
#ifdef __SSE2__
    const __m128i first = _mm_set1_epi8(k[0]), final = _mm_set1_epi8(k[kl - 1]);
    for (; i <= last && last - i >= 15; i += 16) { /* starts i..i+15, all <= last: the loads end at p[n - 1] */
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + kl - 1));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, final)));
        for (; m != 0; m &= m - 1) {
            size_t at = i + (size_t)__builtin_ctz(m);
            if (memcmp(p + at + 1, k + 1, kl - 2) == 0)
                return p + at;
        }
    }
#endif
    for (; i <= last; i++)
        if (p[i] == k[0] && p[i + kl - 1] == k[kl - 1] && memcmp(p + i + 1, k + 1, kl - 2) == 0)
            return p + i;
    return NULL;
}

size_t gw_secrets_mask(const gw_secrets_t *s, char *buf, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < s->n; i++) {
        const gw_secret_t *k = &s->v[i];
        char *p = buf, *end = buf + len;
        while ((size_t)(end - p) >= k->len && (p = find_key(p, (size_t)(end - p), k->base, k->len)) != NULL) {
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
