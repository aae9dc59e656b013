/*
 * Compiling JSON path rules (gw_json_paths_compile, see json.h) into the walker's position
 * automaton (json_internal.h; the design is at the top of json.c): rule r with k segments owns
 * positions base..base+k, and each segment kind (literal, `*`, `**`) sets its bit in one mask.
 * Also the other side of paths: the path text ("messages[2].content") handed to the visitor for a
 * selected value, built incrementally during the walk.
 */
#include "common/json.h"
#include "common/json_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------- */
/* compile */

gw_json_paths_t *gw_json_paths_compile(const gw_json_rule_t *rules, size_t n, char *err, size_t errlen)
{
    gw_json_paths_t *p = calloc(1, sizeof(*p));
    if (p == NULL || (p->pos = calloc(MAX_POS, sizeof(pos_t))) == NULL || (p->rule_id = calloc(n ? n : 1, sizeof(int))) == NULL) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        goto fail;
    }
    p->nrules = n;
    size_t np = 0;
    for (size_t r = 0; r < n; r++) {
        const char *pat = rules[r].pattern;
        p->rule_id[r] = rules[r].id;
        if (pat == NULL || pat[0] == '\0') {
            if (err && errlen)
                snprintf(err, errlen, "rule %zu: empty pattern", r);
            goto fail;
        }
        if ((rules[r].flags & (GW_JSON_SCAN | GW_JSON_EMBEDDED | GW_JSON_CAPTURE | GW_JSON_VERBATIM | GW_JSON_KEYS)) == 0) {
            if (err && errlen)
                snprintf(err, errlen, "rule %zu (%s): no flag set", r, pat);
            goto fail;
        }
        size_t base = np;
        set_bit(&p->start, base);
        const char *s = pat;
        for (;;) {
            const char *dot = strchr(s, '.');
            size_t sl = dot ? (size_t)(dot - s) : strlen(s);
            if (np + 2 > MAX_POS) {
                if (err && errlen)
                    snprintf(err, errlen, "rule %zu (%s): too many segments in total (max %d)", r, pat, MAX_POS);
                goto fail;
            }
            pos_t *ps = &p->pos[np];
            ps->rule = (int16_t)r;
            ps->index = -1;
            if (sl == 0 || sl >= MAX_LIT) {
                if (err && errlen)
                    snprintf(err, errlen, "rule %zu (%s): empty or over-long segment", r, pat);
                goto fail;
            }
            if (sl == 1 && s[0] == '*') {
                ps->kind = SEG_STAR;
                set_bit(&p->star, np);
            } else if (sl == 2 && s[0] == '*' && s[1] == '*') {
                ps->kind = SEG_DSTAR;
                set_bit(&p->dstar, np);
                p->has_dstar = 1;
            } else {
                ps->kind = SEG_LIT;
                ps->len = (uint8_t)sl;
                memcpy(ps->lit, s, sl);
                set_bit(&p->lit, np);
                long idx = 0;
                size_t k;
                for (k = 0; k < sl && s[k] >= '0' && s[k] <= '9' && k < 9; k++)
                    idx = idx * 10 + (s[k] - '0');
                if (k == sl)
                    ps->index = idx;
            }
            np++;
            if (dot == NULL)
                break;
            s = dot + 1;
        }
        pos_t *fin = &p->pos[np];
        fin->kind = SEG_FINAL;
        fin->rule = (int16_t)r;
        fin->index = -1;
        if (rules[r].flags & GW_JSON_SCAN)
            set_bit(&p->final_scan, np);
        if (rules[r].flags & GW_JSON_EMBEDDED)
            set_bit(&p->final_emb, np);
        if (rules[r].flags & GW_JSON_CAPTURE)
            set_bit(&p->final_cap, np);
        if (rules[r].flags & GW_JSON_VERBATIM)
            set_bit(&p->final_verb, np);
        if (rules[r].flags & GW_JSON_KEYS)
            set_bit(&p->final_keys, np);
        np++;
    }
    p->npos = np;
    p->nw = (np + 63) / 64;
    if (p->nw == 0)
        p->nw = 1;
    closure(p, &p->start);
    /* the table of distinct literals (step() matches a key by one look-up); at most MAX_POS entries, so the table of
       LIT_SLOTS is never more than half full */
    if ((p->lits = calloc(np ? np : 1, sizeof(litent_t))) == NULL) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        goto fail;
    }
    size_t nl = 0;
    for (size_t b = 0; b < np; b++) {
        const pos_t *ps = &p->pos[b];
        if (ps->kind != SEG_LIT)
            continue;
        litent_t *l = (litent_t *)lit_find(p, ps->lit, ps->len);
        if (l == NULL) {
            l = &p->lits[nl++];
            l->text = ps->lit;
            l->len = ps->len;
            uint32_t i = lit_hash(ps->lit, ps->len) & (LIT_SLOTS - 1);
            while (p->lslot[i] != 0)
                i = (i + 1) & (LIT_SLOTS - 1);
            p->lslot[i] = (uint16_t)nl;
        }
        set_bit(&l->mask, b);
    }
    return p;
fail:
    gw_json_paths_free(p);
    return NULL;
}

void gw_json_paths_free(gw_json_paths_t *p)
{
    if (p == NULL)
        return;
    free(p->pos);
    free(p->rule_id);
    free(p->lits);
    free(p);
}

/* ---------------------------------------------------------------------------------------------- */
/* the path text handed to the visitor */

/* Brings b_path up to date with comp[0 .. ncomp) ("messages[2].content", after the prefix of an
 * embedded walk): only the components after the longest unchanged prefix are written. The path is
 * built only for strings a rule selects, and siblings share all but their last component. */
int gw_json__build_path(walk_t *w)
{
    gw_buf_t *b = w->b_path;
    size_t i = w->path_ok;
    if (i == 0) {
        gw_buf_reset(b);
        if (gw_buf_append(b, w->prefix ? w->prefix : "", w->prefix_len) != 0)
            return GW_JSON_E_NOMEM;
    } else {
        b->len = w->path_end[i - 1];
    }
    for (; i < w->ncomp; i++) {
        const comp_t *c = &w->comp[i];
        if (c->key == NULL && !c->arena) {
            char tmp[24];
            size_t n = 0, v = c->len;
            tmp[sizeof(tmp) - 1 - n++] = ']';
            do {
                tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            tmp[sizeof(tmp) - 1 - n++] = '[';
            if (gw_buf_reserve(b, n) != 0)
                return GW_JSON_E_NOMEM;
            memcpy(b->base + b->len, tmp + sizeof(tmp) - n, n);
            b->len += n;
        } else if (c->arena) {
            /* a rewritten key: its new text (the original may be personal data) */
            if (gw_buf_reserve(b, c->len + 1) != 0)
                return GW_JSON_E_NOMEM;
            if (i > 0)
                b->base[b->len++] = '.';
            memcpy(b->base + b->len, w->sc->karena.base + c->aoff, c->len);
            b->len += c->len;
        } else {
            /* ".key": decoding never makes a key longer than its raw body (c->len - 2) */
            if (gw_buf_reserve(b, c->len) != 0)
                return GW_JSON_E_NOMEM;
            if (i > 0)
                b->base[b->len++] = '.';
            if (c->esc) {
                if (gw_json__decode(c->key + 1, c->len - 2, b) != 0)
                    return GW_JSON_E_NOMEM;
            } else {
                memcpy(b->base + b->len, c->key + 1, c->len - 2);
                b->len += c->len - 2;
            }
        }
        w->path_end[i] = b->len;
    }
    w->path_ok = w->ncomp;
    if (gw_buf_reserve(b, 0) != 0)
        return GW_JSON_E_NOMEM;
    b->base[b->len] = '\0';
    return 0;
}

/* The path handed to the visitor for the string or key being visited: its text, or with GW_JSON_V_LAZY_PATH the
 * handle gw_json_path_text builds it from (the empty string at w->lazy_path). NULL when memory runs out. */
const char *gw_json__visit_path(walk_t *w)
{
    if (w->v->flags & GW_JSON_V_LAZY_PATH) {
        w->lazy_path = '\0';
        return &w->lazy_path;
    }
    return gw_json__build_path(w) == 0 ? w->b_path->base : NULL;
}
