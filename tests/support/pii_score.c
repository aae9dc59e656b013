/* Scoring a PII engine against a labelled corpus: see pii_score.h. */
#include "support/pii_score.h"

#include <stdlib.h>

FILE *ts_source_open(const char *rel)
{
    const char *src = getenv("AIGW_SOURCE_DIR");
    char path[1024];
    int n = snprintf(path, sizeof(path), "%s/%s", src ? src : ".", rel);
    return n < 0 || (size_t)n >= sizeof(path) ? NULL : fopen(path, "r");
}

int ts_pii_spans(const pol_pii_engine_t *e, pol_pii_scratch_t *s, const char *text, size_t len,
                 int (*map)(const pol_pii_engine_t *e, int engine_type), ts_pii_span_t *out, size_t cap, size_t *np)
{
    const pol_pii_entity_t *ents;
    size_t n;
    *np = 0;
    if (pol_pii_scan(e, s, text, len, &ents, &n) != 0)
        return -1;
    for (size_t i = 0; i < n && *np < cap; i++) {
        long cs = 0, ce = 0;
        for (size_t b = 0; b < ents[i].end; b++) {
            int cont = ((unsigned char)text[b] & 0xC0) == 0x80;
            if (b < ents[i].start)
                cs += !cont;
            ce += !cont;
        }
        out[(*np)++] = (ts_pii_span_t){cs, ce, map(e, ents[i].type), ents[i].type, 0};
    }
    return 0;
}

int ts_pii_match_gold(ts_pii_span_t *p, size_t np, int t, long gs, long ge)
{
    for (size_t i = 0; i < np; i++) {
        long ov = (p[i].end < ge ? p[i].end : ge) - (p[i].start > gs ? p[i].start : gs);
        if (p[i].type == t && ov > 0) {
            if (!p[i].matched && ov * 2 >= ge - gs) {
                p[i].matched = 1;
                return 1;
            }
            p[i].matched = p[i].matched ? p[i].matched : 2;
        }
    }
    return 0;
}

double ts_f1(long tp, long fp, long gold)
{
    double p = tp + fp ? (double)tp / (double)(tp + fp) : 1.0, r = gold ? (double)tp / (double)gold : 1.0;
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}
