/*
 * What the JSON module's files share (the design is at the top of json.c): the automaton's layout
 * and its bitset helpers (json_paths.c compiles rules into it), the walk's state and the
 * cross-file internals of the walker's files. The helpers are static inline because the walker
 * runs them for every key, index or change (keep them inlined: bench/bench_json measures it). Not
 * a public interface: callers include json.h.
 *
 *   json.c          the walk: validation, path matching, string and embedded-document visits
 *   json_strings.c  string literals: the scanner (validation) and the decoder; gw_json_unescape
 *   json_keys.c     object keys: on_key rewrites and duplicate refusal (GW_JSON_V_UNIQUE_KEYS)
 *   json_edits.c    edits: parsing gw_json_edit_t paths, appending the members still missing
 *   json_paths.c    rule compilation, and the path text handed to the visitor
 *   json_escape.c   string escaping (gw_json_escape*)
 */
#ifndef AIGW_COMMON_JSON_INTERNAL_H
#define AIGW_COMMON_JSON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/json.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define MAX_POS 512
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

/* One distinct literal segment text and the positions that hold it (json_paths.c builds them, step() looks a decoded
 * key up here instead of comparing it with every live literal position: the usage walk's ~30 rules made that loop the
 * walk's largest cost per key). */
typedef struct st_litent_t {
    const char *text; /* pos[first].lit */
    size_t len;
    set_t mask; /* positions whose segment is this literal */
} litent_t;

#define LIT_SLOTS (2 * MAX_POS) /* open addressing, load factor <= 1/2 */

struct st_gw_json_paths_t {
    size_t npos, nw, nrules;
    int has_dstar;
    set_t start, star, dstar, lit, final_scan, final_emb, final_cap, final_verb, final_keys;
    int *rule_id;
    pos_t *pos;
    litent_t *lits;            /* distinct literals */
    uint16_t lslot[LIT_SLOTS]; /* index in lits + 1, 0 = empty */
};

/* Hash of a literal / decoded key for lslot: 8 bytes a step, the tail (< 8 bytes) packed into one word (the byte-wise
 * FNV-1a it replaced was ~1.5k of the usage walk's 15k instructions: ~4 per byte of every key; issue 12, session 7). */
static inline uint32_t lit_hash(const char *k, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, k + i, 8);
        h = (h ^ x) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
    }
    size_t r = n - i;
    uint64_t t = 0;
    if (r >= 4) { /* 4-7 bytes: two overlapping 4-byte loads (n is in the hash) */
        uint32_t a, b;
        memcpy(&a, k + i, 4);
        memcpy(&b, k + n - 4, 4);
        t = ((uint64_t)a << 32) | b;
    } else if (r > 0) {
        t = ((uint64_t)(unsigned char)k[i] << 16) | ((uint64_t)(unsigned char)k[i + r / 2] << 8) | (unsigned char)k[n - 1];
    }
    h = (h ^ t) * 0xc4ceb9fe1a85ec53ULL;
    return (uint32_t)(h >> 32);
}

/* The literal entry whose text is `k` (`n` bytes), or NULL when no rule names that key. */
static inline const litent_t *lit_find(const gw_json_paths_t *p, const char *k, size_t n)
{
    if (n == 0 || n >= MAX_LIT)
        return NULL;
    for (uint32_t i = lit_hash(k, n) & (LIT_SLOTS - 1);; i = (i + 1) & (LIT_SLOTS - 1)) {
        uint16_t e = p->lslot[i];
        if (e == 0)
            return NULL;
        const litent_t *l = &p->lits[e - 1];
        if (l->len == n && memcmp(l->text, k, n) == 0)
            return l;
    }
}

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

/* ---------------------------------------------------------------------------------------------- */
/* the walk's state */

typedef struct st_edit_t {
    const char *seg[GW_JSON_MAX_EDIT_SEGS];
    size_t seglen[GW_JSON_MAX_EDIT_SEGS];
    size_t nseg;
    const char *val;
    size_t vlen;
    int del, only_if_absent;
} edit_t;

typedef struct st_comp_t {
    const char *key; /* raw key including quotes, or NULL for an array index (and for a rewritten key) */
    size_t len;      /* raw key length, or the index */
    int esc;
    int arena; /* a rewritten key: its decoded text is sc->karena[aoff .. aoff + len) */
    size_t aoff;
} comp_t;

/* A key of an open object (GW_JSON_V_UNIQUE_KEYS), in insertion order in sc->keys; sc->kindex is an open-addressing
 * table of entry index + 1. Objects close in LIFO order, so removing the last entries and clearing their slots never
 * breaks the probe chain of an entry that stays. */
typedef struct st_kent_t {
    uint64_t h;
    const char *p; /* key bytes, or NULL: sc->karena + off */
    size_t off, len;
    uint32_t slot; /* index in kindex */
    uint16_t obj;  /* nesting position of the object (embedded level and depth) */
    uint16_t kind; /* KEY_ORIG | KEY_FINAL */
} kent_t;
enum { KEY_ORIG = 1, KEY_FINAL = 2 };

enum { LEAN_NONE = 0, LEAN_VALIDATE, LEAN_SKIP };

typedef struct st_walk_t {
    const char *in;
    size_t len, pos;
    const gw_json_paths_t *paths;
    const gw_json_visitor_t *v;
    gw_buf_t *out;
    size_t copied;
    int changed;
    const char *err;
    size_t err_off;
    int depth, suppress;
    /* LEAN_VALIDATE: a value with no live rule position and no live edit is only validated, by lean_value (json.c):
       nothing in it can be visited, captured or edited (an outer walk that does not track keys for
       GW_JSON_V_UNIQUE_KEYS); LEAN_SKIP (GW_JSON_V_TRUSTED): such a value is stepped over, not validated (skip_value) */
    int lean;
    /* GW_JSON_V_LAZY_PATH: the visitor gets &lazy_path (an empty string) as its path; gw_json_path_text maps it back to
       this walk */
    char lazy_path;
    /* embedded (inner) walk: every string is scanned with rule `inner_rule`, path prefixed by `prefix`; `level` counts
       the documents around this one (0 = the top-level document) */
    int inner, inner_rule, level;
    const char *prefix;
    size_t prefix_len;
    edit_t *ed;
    size_t ned;
    uint32_t set_mask; /* edits that set (not delete) */
    gw_buf_t *b_path, *b_str, *b_repl, *b_key, *b_inner;
    gw_json_scratch_t *sc;
    size_t ncomp;
    /* b_path holds the path of comp[0 .. path_ok) (path_end[i] = its length after comp[i]); a new
     * key or index at depth d cuts path_ok to d, so build_path() appends only what changed */
    size_t path_ok;
    comp_t comp[GW_JSON_MAX_DEPTH + 2];
    size_t path_end[GW_JSON_MAX_DEPTH + 2];
} walk_t;

#define FAIL(w, code, desc)                                                                                                        \
    do {                                                                                                                           \
        (w)->err = (desc);                                                                                                         \
        (w)->err_off = (w)->pos;                                                                                                   \
        return (code);                                                                                                             \
    } while (0)

/* The bytes after the last change are copied lazily: copies the input up to `upto` (the start of a change) to `out`,
 * resetting `out` at the first change of the walk. */
static inline int emit_upto(walk_t *w, size_t upto)
{
    if (!w->changed) {
        gw_buf_reset(w->out);
        w->changed = 1;
    }
    if (upto > w->copied) {
        if (gw_buf_append(w->out, w->in + w->copied, upto - w->copied) != 0)
            return GW_JSON_E_NOMEM;
        w->copied = upto;
    }
    return 0;
}

static inline int seg_eq(const edit_t *e, size_t d, const char *k, size_t klen)
{
    return e->nseg > d && e->seglen[d] == klen && memcmp(e->seg[d], k, klen) == 0;
}

static inline size_t keys_n(const gw_json_scratch_t *sc)
{
    return sc->keys.len / sizeof(kent_t);
}

/* ---------------------------------------------------------------------------------------------- */
/* cross-file internals (each documented where it is defined) */

/* json_strings.c */
int gw_json__scan_string(walk_t *w, int *has_esc);

/* gw_json__scan_string with its most common case inline: the closing quote is the first byte that needs a look among
 * the 16 after the opening quote (no backslash, control or non-ASCII byte before it): most keys and short values. The
 * call and the scanner's set-up were ~75 instructions a string, a fifth of the usage walk of an answer (issue 12,
 * session 7). Any other string goes to the scanner, which decides as before (test_json.c
 * test_strings_against_reference covers both sides). */
static inline int scan_string(walk_t *w, int *has_esc)
{
#ifdef __SSE2__
    size_t i = w->pos + 1;
    if (i + 16 <= w->len) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(w->in + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                                 _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (mask != 0) {
            size_t j = i + (size_t)__builtin_ctz(mask);
            if (w->in[j] == '"') {
                w->pos = j + 1;
                *has_esc = 0;
                return 0;
            }
        }
    }
#endif
    return gw_json__scan_string(w, has_esc);
}
int gw_json__decode(const char *s, size_t n, gw_buf_t *out);
/* json_paths.c */
int gw_json__build_path(walk_t *w);
const char *gw_json__visit_path(walk_t *w);
/* json_keys.c */
int gw_json__visit_key(walk_t *w, const set_t *child, size_t key_start, size_t key_end, const char *k, size_t klen, int raw_stable,
                       int deleted);
void gw_json__keys_pop(gw_json_scratch_t *sc, size_t mark);
/* json_edits.c */
int gw_json__prepare_edits(walk_t *w, edit_t *ed, const gw_json_edit_t *edits, size_t nedits);
int gw_json__emit_created(walk_t *w, uint32_t mask, size_t d);

#endif
