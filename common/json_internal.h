/*
 * What the JSON module's files share (json.c: the walker, i.e. validator and path-selective
 * rewriter; json_paths.c: compiling path rules into the position automaton): the automaton's
 * layout and its bitset helpers, static inline because the walker runs them for every key and
 * index (keep them inlined: bench/bench_json measures it). Not a public interface: callers
 * include json.h.
 */
#ifndef AIGW_COMMON_JSON_INTERNAL_H
#define AIGW_COMMON_JSON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/json.h"

#define MAX_POS 256
#define MAX_WORDS (MAX_POS / 64)
#define MAX_LIT 64

enum { SEG_LIT = 0, SEG_STAR, SEG_DSTAR, SEG_FINAL };

typedef struct st_set_t {
    uint64_t w[MAX_WORDS];
} set_t;

typedef struct st_pos_t {
    uint8_t kind;
    uint8_t len;
    int16_t rule;
    long index; /* literal made of digits: the array index it also matches, else -1 */
    char lit[MAX_LIT];
} pos_t;

struct st_gw_json_paths_t {
    size_t npos, nw, nrules;
    int has_dstar;
    set_t start, star, dstar, lit, final_scan, final_emb, final_cap, final_verb, final_keys;
    int *rule_id;
    pos_t *pos;
};

/* ---------------------------------------------------------------------------------------------- */
/* bitsets */

static inline int set_empty(const set_t *s, size_t nw)
{
    for (size_t i = 0; i < nw; i++)
        if (s->w[i])
            return 0;
    return 1;
}

static inline void set_bit(set_t *s, size_t b)
{
    s->w[b >> 6] |= (uint64_t)1 << (b & 63);
}

static inline int first_bit(const set_t *a, const set_t *mask, size_t nw)
{
    for (size_t i = 0; i < nw; i++) {
        uint64_t x = a->w[i] & mask->w[i];
        if (x)
            return (int)(i * 64 + (size_t)__builtin_ctzll(x));
    }
    return -1;
}

static inline void closure(const gw_json_paths_t *p, set_t *s)
{
    /* positions whose segment is `**` may also match zero levels: add the next position, repeatedly */
    for (;;) {
        uint64_t carry = 0, added = 0;
        for (size_t i = 0; i < p->nw; i++) {
            uint64_t d = s->w[i] & p->dstar.w[i];
            uint64_t sh = (d << 1) | carry;
            carry = d >> 63;
            added |= sh & ~s->w[i];
            s->w[i] |= sh;
        }
        if (!added)
            break;
    }
}

#endif
