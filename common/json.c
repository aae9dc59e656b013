/*
 * Single-pass JSON validator + path-selective string rewriter (see json.h, docs/internals/json.md).
 *
 * Hand-rolled rather than jansson because this runs on every request and on every streamed event: a
 * parse + dump through jansson costs 10-20 us per KB here, the budget for a 2 KB request is a few us.
 * The walker is a recursive-descent parser over the input bytes that never builds a tree. Output is
 * produced lazily: `copied` marks how far the input has been copied to `out`; a change (replaced
 * string, deleted or set member) first copies the input up to the change, then writes the new bytes
 * and moves `copied` past the old ones. An unchanged document is therefore never copied.
 *
 * Path rules compile into one position automaton shared by all rules (a Glushkov-style NFA): rule r
 * with k segments owns positions base..base+k, position base+i meaning "the first i segments matched"
 * and base+k being final. The set of live positions for each value is a bitset (up to 4 words); a
 * step over a key or index is two masked shifts plus literal compares, and `**` is an epsilon closure
 * over the positions whose segment is `**`. Subtrees with an empty set and no live edit are only
 * validated. An array's elements share one child set unless a live literal names an index, and
 * object-key steps are memoized per walk (the messages of a chat request
 * repeat the same keys). The path handed to the visitor is built only for selected strings and
 * incrementally: the path buffer keeps its longest still-valid prefix of components. String
 * bodies are scanned 16 (SSE2) or 8 (SWAR) bytes at a time for quote, backslash, control and
 * non-ASCII bytes; only the slow bytes go through the UTF-8 / escape validator.
 *
 * Edits are matched the same way against object keys (a bitmask of the edits whose path prefix matches
 * the current object chain); members still missing at an object's closing brace are appended there.
 *
 * Files: this one holds the walker (validate, rewrite, unescape); json_paths.c compiles path rules,
 * json_escape.c escapes strings, json_internal.h holds the automaton's layout and bitset helpers.
 */
#include "common/json.h"
#include "common/json_internal.h"
#include "common/utf8.h"
#include "common/log.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
    /* object-key transitions seen in this walk: the messages of a chat request repeat the same keys
     * under the same live set */
    struct {
        set_t from, to;
        const char *key;
        size_t klen;
    } memo[16];
    comp_t comp[GW_JSON_MAX_DEPTH + 2];
    size_t path_end[GW_JSON_MAX_DEPTH + 2];
} walk_t;

/* Transition over one key (decoded, `key`/`klen`) or array index (`key` == NULL, index `idx`). */
static void step(const gw_json_paths_t *p, const set_t *s, const char *key, size_t klen, size_t idx, set_t *out)
{
    uint64_t carry = 0;
    for (size_t i = 0; i < p->nw; i++) {
        uint64_t st = s->w[i] & p->star.w[i];
        out->w[i] = (st << 1) | carry | (s->w[i] & p->dstar.w[i]);
        carry = st >> 63;
    }
    /* literal hits in a second pass: a hit on the last bit of a word sets bit 0 of the next word,
     * which the first pass would overwrite */
    for (size_t i = 0; i < p->nw; i++) {
        uint64_t l = s->w[i] & p->lit.w[i];
        while (l) {
            size_t b = i * 64 + (size_t)__builtin_ctzll(l);
            l &= l - 1;
            const pos_t *ps = &p->pos[b];
            int hit = key != NULL ? (ps->len == klen && ps->lit[0] == key[0] && memcmp(ps->lit, key, klen) == 0)
                                  : (ps->index >= 0 && (size_t)ps->index == idx);
            if (hit)
                set_bit(out, b + 1);
        }
    }
    if (p->has_dstar) {
        uint64_t any = 0;
        for (size_t i = 0; i < p->nw; i++)
            any |= out->w[i] & p->dstar.w[i];
        if (any)
            closure(p, out);
    }
}

void gw_json_scratch_free(gw_json_scratch_t *s)
{
    gw_buf_free(&s->path);
    gw_buf_free(&s->str);
    gw_buf_free(&s->repl);
    gw_buf_free(&s->key);
    for (size_t l = 0; l < GW_JSON_MAX_EMBED; l++)
        for (size_t i = 0; i < 5; i++)
            gw_buf_free(&s->lvl[l][i]);
    gw_buf_free(&s->keys);
    gw_buf_free(&s->kindex);
    gw_buf_free(&s->karena);
}

/* ---------------------------------------------------------------------------------------------- */
/* strings: validation, decoding (escaping is in json_escape.c) */

#define FAIL(w, code, desc)                                                                                                        \
    do {                                                                                                                           \
        (w)->err = (desc);                                                                                                         \
        (w)->err_off = (w)->pos;                                                                                                   \
        return (code);                                                                                                             \
    } while (0)

static inline int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int hex4(const char *s, size_t avail, unsigned *out)
{
    if (avail < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = (v << 4) | (unsigned)h;
    }
    *out = v;
    return 0;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define IS_LITTLE_ENDIAN 1
#else
#define IS_LITTLE_ENDIAN 0
#endif
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Scans the string starting at w->pos (a quote); leaves w->pos after the closing quote. */
static int scan_string(walk_t *w, int *has_esc)
{
    const unsigned char *s = (const unsigned char *)w->in;
    size_t n = w->len, i = w->pos + 1;
    int esc = 0;
    for (;;) {
        /* fast path: skip plain bytes (no quote, backslash, control or non-ASCII byte) 16 or 8 at a time and land on
           the first special byte */
#ifdef __SSE2__
        while (i + 16 <= n) {
            __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
            /* signed compare: bytes >= 0x80 are negative, so "< 0x20" catches control and non-ASCII bytes together */
            __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                                     _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
            unsigned mask = (unsigned)_mm_movemask_epi8(m);
            if (mask) {
                i += (size_t)__builtin_ctz(mask);
                goto special;
            }
            i += 16;
        }
#endif
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');
            uint64_t t = (((q - ONES) & ~q) | ((b - ONES) & ~b) | (x - ONES * 0x20) | x) & HIGHS;
            if (t) {
                /* borrows only produce false hits above a true one: the lowest hit is exact (little endian) */
                if (IS_LITTLE_ENDIAN)
                    i += (size_t)__builtin_ctzll(t) / 8;
                break;
            }
            i += 8;
        }
#ifdef __SSE2__
    special:
#endif
        if (i >= n) {
            w->pos = i;
            FAIL(w, GW_JSON_E_SYNTAX, "unterminated string");
        }
        unsigned c = s[i];
        if (c == '"') {
            w->pos = i + 1;
            *has_esc = esc;
            return 0;
        }
        if (c == '\\') {
            esc = 1;
            if (i + 1 >= n) {
                w->pos = i;
                FAIL(w, GW_JSON_E_SYNTAX, "unterminated string");
            }
            unsigned e = s[i + 1];
            if (e == 'u') {
                unsigned u;
                if (hex4((const char *)s + i + 2, n - i - 2, &u) != 0) {
                    w->pos = i;
                    FAIL(w, GW_JSON_E_SYNTAX, "invalid \\u escape");
                }
                if (u >= 0xD800 && u <= 0xDBFF) {
                    unsigned lo;
                    if (i + 7 < n && s[i + 6] == '\\' && s[i + 7] == 'u' && hex4((const char *)s + i + 8, n - i - 8, &lo) == 0 &&
                        lo >= 0xDC00 && lo <= 0xDFFF) {
                        i += 12;
                        continue;
                    }
                    w->pos = i;
                    FAIL(w, GW_JSON_E_UTF8, "unpaired surrogate escape");
                }
                if (u >= 0xDC00 && u <= 0xDFFF) {
                    w->pos = i;
                    FAIL(w, GW_JSON_E_UTF8, "unpaired surrogate escape");
                }
                i += 6;
                continue;
            }
            if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                i += 2;
                continue;
            }
            w->pos = i;
            FAIL(w, GW_JSON_E_SYNTAX, "invalid escape");
        }
        if (c < 0x20) {
            w->pos = i;
            FAIL(w, GW_JSON_E_SYNTAX, "control character in string");
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k = gw_utf8_seq(s + i, n - i);
        if (k == 0) {
            w->pos = i;
            FAIL(w, GW_JSON_E_UTF8, "invalid UTF-8 in string");
        }
        i += k;
    }
}

/* Decodes the body of an already validated string literal (without quotes); appends to out. */
static int decode_valid(const char *s, size_t n, gw_buf_t *out)
{
    if (gw_buf_reserve(out, n) != 0) /* decoding never grows the text */
        return GW_JSON_E_NOMEM;
    char *d = out->base + out->len;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const char *bs = memchr(s + i, '\\', n - i);
        size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
        memcpy(d + o, s + i, run);
        o += run;
        i += run;
        if (i >= n)
            break;
        char e = s[i + 1];
        i += 2;
        switch (e) {
        case 'b':
            d[o++] = '\b';
            break;
        case 'f':
            d[o++] = '\f';
            break;
        case 'n':
            d[o++] = '\n';
            break;
        case 'r':
            d[o++] = '\r';
            break;
        case 't':
            d[o++] = '\t';
            break;
        case 'u': {
            unsigned u = 0, lo = 0;
            hex4(s + i, n - i, &u);
            i += 4;
            if (u >= 0xD800 && u <= 0xDBFF) {
                hex4(s + i + 2, n - i - 2, &lo);
                i += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            }
            o += gw_utf8_put(d + o, u);
            break;
        }
        default: /* " \ / */
            d[o++] = e;
            break;
        }
    }
    out->len += o;
    out->base[out->len] = '\0';
    return 0;
}

int gw_json_unescape(const char *raw, size_t len, gw_buf_t *out)
{
    walk_t w;
    memset(&w, 0, offsetof(walk_t, comp));
    w.in = raw;
    w.len = len;
    int esc;
    if (len < 2 || raw[0] != '"')
        return GW_JSON_E_SYNTAX;
    int rc = scan_string(&w, &esc);
    if (rc != 0)
        return rc;
    if (w.pos != len)
        return GW_JSON_E_SYNTAX;
    return decode_valid(raw + 1, len - 2, out);
}

/* ---------------------------------------------------------------------------------------------- */
/* output */

static int emit_upto(walk_t *w, size_t upto)
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

/* Sets the path component at depth w->ncomp (an object key, raw with quotes, or an array index when key == NULL). */
static inline void set_comp(walk_t *w, const char *key, size_t len, int esc)
{
    comp_t *c = &w->comp[w->ncomp];
    c->key = key;
    c->len = len;
    c->esc = esc;
    c->arena = 0;
    if (w->path_ok > w->ncomp)
        w->path_ok = w->ncomp;
}

/* Brings b_path up to date with comp[0 .. ncomp) ("messages[2].content", after the prefix of an
 * embedded walk): only the components after the longest unchanged prefix are written. The path is
 * built only for strings a rule selects, and siblings share all but their last component. */
static int build_path(walk_t *w)
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
                if (decode_valid(c->key + 1, c->len - 2, b) != 0)
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

/* ---------------------------------------------------------------------------------------------- */
/* the walk */

static int walk_value(walk_t *w, const set_t *S, uint32_t live, size_t edepth, int *type);
static int walk_embedded(walk_t *w, int rule, const char *s, size_t n, int *handled);

/* ---------------------------------------------------------------------------------------------- */
/* keys of the open objects (GW_JSON_V_UNIQUE_KEYS) */

#define KENT(sc) ((kent_t *)(void *)(sc)->keys.base)
#define KIDX(sc) ((uint32_t *)(void *)(sc)->kindex.base)

static inline size_t keys_n(const gw_json_scratch_t *sc)
{
    return sc->keys.len / sizeof(kent_t);
}

static inline size_t keys_cap(const gw_json_scratch_t *sc)
{
    return sc->kindex.len / sizeof(uint32_t);
}

static inline uint16_t obj_id(const walk_t *w)
{
    return (uint16_t)(w->level * (GW_JSON_MAX_DEPTH + 2) + w->depth);
}

static uint64_t key_hash(uint16_t obj, const char *k, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)obj * 0x9E3779B97F4A7C15ULL);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

static inline const char *kent_bytes(const gw_json_scratch_t *sc, const kent_t *e)
{
    return e->p != NULL ? e->p : sc->karena.base + e->off;
}

/* Puts entry i into the index (linear probing; the index has a free slot: load <= 1/2). */
static void keys_index(gw_json_scratch_t *sc, size_t i)
{
    kent_t *e = &KENT(sc)[i];
    size_t mask = keys_cap(sc) - 1, j = (size_t)e->h & mask;
    while (KIDX(sc)[j] != 0)
        j = (j + 1) & mask;
    KIDX(sc)[j] = (uint32_t)i + 1;
    e->slot = (uint32_t)j;
}

/* Kinds (KEY_ORIG / KEY_FINAL bits) of the entries equal to `k` in object `obj`, or-ed; 0 when none. */
static unsigned keys_find(const gw_json_scratch_t *sc, uint16_t obj, uint64_t h, const char *k, size_t n)
{
    size_t cap = keys_cap(sc);
    if (cap == 0)
        return 0;
    unsigned kinds = 0;
    for (size_t j = (size_t)h & (cap - 1);; j = (j + 1) & (cap - 1)) {
        uint32_t x = KIDX(sc)[j];
        if (x == 0)
            return kinds;
        const kent_t *e = &KENT(sc)[x - 1];
        if (e->h == h && e->obj == obj && e->len == n && memcmp(kent_bytes(sc, e), k, n) == 0)
            kinds |= e->kind;
    }
}

/* Adds a key; `k` points into input that outlives the object, or is NULL: the bytes are sc->karena[off..]. */
static int keys_add(walk_t *w, uint16_t obj, uint64_t h, const char *k, size_t off, size_t n, unsigned kind)
{
    gw_json_scratch_t *sc = w->sc;
    size_t cnt = keys_n(sc);
    if (cnt >= GW_JSON_MAX_OPEN_KEYS)
        FAIL(w, GW_JSON_E_DUPKEY, "too many object keys");
    if ((cnt + 1) * 2 > keys_cap(sc)) {
        size_t ncap = keys_cap(sc) ? keys_cap(sc) * 2 : 64;
        gw_buf_reset(&sc->kindex);
        if (gw_buf_reserve(&sc->kindex, ncap * sizeof(uint32_t)) != 0)
            return GW_JSON_E_NOMEM;
        memset(sc->kindex.base, 0, ncap * sizeof(uint32_t));
        sc->kindex.len = ncap * sizeof(uint32_t);
        for (size_t i = 0; i < cnt; i++) /* in insertion order: the LIFO removal stays exact */
            keys_index(sc, i);
    }
    if (gw_buf_reserve(&sc->keys, sizeof(kent_t)) != 0)
        return GW_JSON_E_NOMEM;
    kent_t *e = &KENT(sc)[cnt];
    e->h = h;
    e->p = k;
    e->off = off;
    e->len = n;
    e->obj = obj;
    e->kind = (uint16_t)kind;
    sc->keys.len += sizeof(kent_t);
    keys_index(sc, cnt);
    return 0;
}

/* Forgets the keys added after the first `mark` (an object closes). */
static void keys_pop(gw_json_scratch_t *sc, size_t mark)
{
    for (size_t i = keys_n(sc); i > mark; i--)
        KIDX(sc)[KENT(sc)[i - 1].slot] = 0;
    sc->keys.len = mark * sizeof(kent_t);
}

/* Copies `n` bytes to the key arena. @return the offset, or (size_t)-1 on allocation failure. */
static size_t arena_put(gw_json_scratch_t *sc, const char *s, size_t n)
{
    size_t off = sc->karena.len;
    if (gw_buf_append(&sc->karena, s, n) != 0)
        return (size_t)-1;
    return off;
}

/*
 * One key of an object: refuses duplicates (GW_JSON_V_UNIQUE_KEYS), reports it to on_key when selected, and writes a
 * replacement (made unique in its object). `k`/`klen` is the decoded key, `raw_stable` whether `k` points into the
 * input (else into b_key, copied when it must be kept). On a rewrite the path component of the member is pointed at
 * the new text.
 */
static int visit_key(walk_t *w, const set_t *child, size_t key_start, size_t key_end, const char *k, size_t klen, int raw_stable,
                     int deleted)
{
    const gw_json_visitor_t *v = w->v;
    const gw_json_paths_t *p = w->paths;
    int uniq = v != NULL && (v->flags & GW_JSON_V_UNIQUE_KEYS) && w->sc != NULL;
    int rule = -1, rc;
    if (v != NULL && v->on_key != NULL && !deleted && !w->suppress) {
        if (w->inner) {
            rule = w->inner_rule;
        } else if (child != NULL && p != NULL) {
            int b = first_bit(child, &p->final_keys, p->nw);
            if (b >= 0)
                rule = p->rule_id[p->pos[b].rule];
        }
    }
    if (!uniq && rule == -1)
        return 0;
    uint16_t obj = obj_id(w);
    uint64_t h = key_hash(obj, k, klen);
    if (uniq) {
        unsigned found = keys_find(w->sc, obj, h, k, klen);
        if (found & KEY_ORIG) {
            w->pos = key_start;
            FAIL(w, GW_JSON_E_DUPKEY, "duplicate object key");
        }
    }
    int rewritten = 0;
    if (rule != -1) {
        if ((rc = build_path(w)) != 0)
            return rc;
        gw_buf_reset(w->b_repl);
        rc = v->on_key(v->ctx, rule, w->b_path->base, k, klen, w->b_repl);
        if (rc < 0) {
            w->err = "aborted by the key visitor";
            w->err_off = key_start;
            return rc;
        }
        rewritten = rc == 1;
    }
    if (!rewritten) {
        if (uniq) {
            if (keys_find(w->sc, obj, h, k, klen) & KEY_FINAL) {
                w->pos = key_start;
                FAIL(w, GW_JSON_E_DUPKEY, "object key equals a rewritten key");
            }
            size_t off = 0;
            if (!raw_stable && (off = arena_put(w->sc, k, klen)) == (size_t)-1)
                return GW_JSON_E_NOMEM;
            return keys_add(w, obj, h, raw_stable ? k : NULL, off, klen, KEY_ORIG | KEY_FINAL);
        }
        return 0;
    }
    if (uniq) {
        size_t off = 0;
        if (!raw_stable && (off = arena_put(w->sc, k, klen)) == (size_t)-1)
            return GW_JSON_E_NOMEM;
        if ((rc = keys_add(w, obj, h, raw_stable ? k : NULL, off, klen, KEY_ORIG)) != 0)
            return rc;
    }
    /* the new key goes to the arena (the path component points at it); " (2)", " (3)" ... while it equals an
       earlier key of this object */
    size_t base_len = w->b_repl->len, aoff = w->sc->karena.len;
    if (gw_buf_append(&w->sc->karena, w->b_repl->base != NULL ? w->b_repl->base : "", base_len) != 0)
        return GW_JSON_E_NOMEM;
    uint64_t fh = key_hash(obj, w->sc->karena.base + aoff, base_len);
    for (unsigned n = 2; uniq && (keys_find(w->sc, obj, fh, w->sc->karena.base + aoff, w->sc->karena.len - aoff) & KEY_FINAL);
         n++) {
        if (n > 1000) {
            w->pos = key_start;
            FAIL(w, GW_JSON_E_DUPKEY, "too many equal rewritten keys");
        }
        w->sc->karena.len = aoff + base_len;
        if (gw_buf_appendf(&w->sc->karena, " (%u)", n) != 0)
            return GW_JSON_E_NOMEM;
        fh = key_hash(obj, w->sc->karena.base + aoff, w->sc->karena.len - aoff);
    }
    size_t flen = w->sc->karena.len - aoff;
    if (uniq && (rc = keys_add(w, obj, fh, NULL, aoff, flen, KEY_FINAL)) != 0)
        return rc;
    if ((rc = emit_upto(w, key_start)) != 0 || (rc = gw_json_escape(w->sc->karena.base + aoff, flen, w->out)) != 0)
        return rc;
    w->copied = key_end;
    comp_t *c = &w->comp[w->ncomp];
    c->key = NULL;
    c->arena = 1;
    c->aoff = aoff;
    c->len = flen;
    return 0;
}

static inline void skip_ws(walk_t *w)
{
    const char *s = w->in;
    size_t i = w->pos, n = w->len;
    if (i < n && (unsigned char)s[i] > ' ') /* compact JSON: no whitespace */
        return;
    while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    w->pos = i;
}

/* 1 when the decoded string can be a JSON document worth walking: an object, array or string literal after optional
 * whitespace (a bare number or literal is text to scan: "4111111111111111" must reach the scanner). */
static int looks_like_document(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    return i < n && (s[i] == '{' || s[i] == '[' || s[i] == '"');
}

static int visit_string(walk_t *w, const set_t *S, size_t start, int esc)
{
    int rule = -1, emb = 0;
    if (w->inner) {
        rule = w->inner_rule;
        emb = 1;
    } else {
        const gw_json_paths_t *p = w->paths;
        int b = first_bit(S, &p->final_verb, p->nw);
        if (b < 0 && (b = first_bit(S, &p->final_emb, p->nw)) >= 0)
            emb = 1;
        if (b < 0 && (b = first_bit(S, &p->final_scan, p->nw)) < 0)
            return 0;
        rule = w->paths->rule_id[w->paths->pos[b].rule];
    }
    if (w->v == NULL || w->v->on_string == NULL)
        return 0;
    const char *s = w->in + start + 1;
    size_t n = w->pos - start - 2;
    if (esc) {
        gw_buf_reset(w->b_str);
        if (decode_valid(s, n, w->b_str) != 0)
            return GW_JSON_E_NOMEM;
        s = w->b_str->base;
        n = w->b_str->len;
    }
    int rc = build_path(w);
    if (rc != 0)
        return rc;
    if (emb && looks_like_document(s, n)) {
        int handled = 0;
        if ((rc = walk_embedded(w, rule, s, n, &handled)) != 0 || handled)
            return rc;
    }
    gw_buf_reset(w->b_repl);
    rc = w->v->on_string(w->v->ctx, rule, w->b_path->base, s, n, w->b_repl);
    if (rc < 0) {
        w->err = "aborted by the string visitor";
        w->err_off = start;
        return rc;
    }
    if (rc == 1) {
        if ((rc = emit_upto(w, start)) != 0 ||
            (rc = gw_json_escape(w->b_repl->base ? w->b_repl->base : "", w->b_repl->len, w->out)) != 0)
            return rc;
        w->copied = w->pos;
    }
    return 0;
}

/* The matched string holds a JSON document: walk it with every string scanned; replace the outer string with the
   rewritten inner document if anything changed. *handled = 0 when it is not valid JSON (plain text then). */
static int walk_embedded(walk_t *w, int rule, const char *s, size_t n, int *handled)
{
    /* validate first so that the visitor never sees strings of a document later found to be plain text */
    if (gw_json_validate(s, n, NULL, NULL) != 0)
        return 0;
    if (w->level >= GW_JSON_MAX_EMBED)
        FAIL(w, GW_JSON_E_DEPTH, "JSON documents inside strings nested too deep");
    *handled = 1;
    /* the documents walked at level L+1 use the buffers of lvl[L]: `s` (in this walk's input or b_str) and this
       walk's path stay untouched while the inner walk runs */
    gw_buf_t *lb = w->sc->lvl[w->level];
    walk_t iw;
    memset(&iw, 0, offsetof(walk_t, comp));
    iw.in = s;
    iw.len = n;
    iw.v = w->v;
    iw.inner = 1;
    iw.inner_rule = rule;
    iw.level = w->level + 1;
    /* prefix "<outer path>#/" stays in the outer path buffer, which the inner walk does not touch */
    if (gw_buf_append(w->b_path, "#/", 2) != 0)
        return GW_JSON_E_NOMEM;
    iw.prefix = w->b_path->base;
    iw.prefix_len = w->b_path->len;
    iw.out = &lb[0];
    iw.b_path = &lb[1];
    iw.b_str = &lb[2];
    iw.b_repl = &lb[3];
    iw.b_key = &lb[4];
    iw.sc = w->sc;
    int type, rc;
    skip_ws(&iw);
    rc = walk_value(&iw, NULL, 0, 0, &type);
    if (rc == 0 && iw.changed)
        rc = emit_upto(&iw, iw.len);
    if (rc < 0) {
        w->err = iw.err;
        w->err_off = w->pos;
        return rc;
    }
    return iw.changed; /* 1: the caller replaces the outer string with sc->lvl[w->level][0] */
}

static int walk_string_value(walk_t *w, const set_t *S)
{
    size_t start = w->pos;
    int esc, rc;
    if ((rc = scan_string(w, &esc)) != 0)
        return rc;
    if (w->suppress || (!w->inner && (S == NULL || w->paths == NULL)))
        return 0;
    rc = visit_string(w, S, start, esc);
    if (rc == 1) {
        /* the embedded document changed: its rewritten text is in sc->lvl[w->level][0] */
        const gw_buf_t *ib = &w->sc->lvl[w->level][0];
        if ((rc = emit_upto(w, start)) != 0 || (rc = gw_json_escape(ib->base, ib->len, w->out)) != 0)
            return rc;
        w->copied = w->pos;
        return 0;
    }
    return rc;
}

static int walk_number(walk_t *w)
{
    const char *s = w->in;
    size_t i = w->pos, n = w->len;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0') {
        i++;
    } else if (i < n && s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    } else {
        w->pos = i;
        FAIL(w, GW_JSON_E_SYNTAX, "invalid number");
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || s[i] < '0' || s[i] > '9') {
            w->pos = i;
            FAIL(w, GW_JSON_E_SYNTAX, "invalid number: digit expected after '.'");
        }
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || s[i] < '0' || s[i] > '9') {
            w->pos = i;
            FAIL(w, GW_JSON_E_SYNTAX, "invalid number: digit expected in exponent");
        }
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    w->pos = i;
    return 0;
}

static int seg_eq(const edit_t *e, size_t d, const char *k, size_t klen)
{
    return e->nseg > d && e->seglen[d] == klen && memcmp(e->seg[d], k, klen) == 0;
}

/* Appends members for the set edits in `mask` whose path is missing below object depth d. */
static int emit_created(walk_t *w, uint32_t mask, size_t d)
{
    uint32_t done = 0;
    int first = 1, rc;
    for (size_t i = 0; i < w->ned; i++) {
        uint32_t bit = (uint32_t)1 << i;
        if (!(mask & bit) || (done & bit))
            continue;
        const edit_t *e = &w->ed[i];
        uint32_t group = 0;
        for (size_t j = i; j < w->ned; j++)
            if ((mask & ((uint32_t)1 << j)) && seg_eq(&w->ed[j], d, e->seg[d], e->seglen[d]))
                group |= (uint32_t)1 << j;
        done |= group;
        if (!first && gw_buf_append(w->out, ",", 1) != 0)
            return GW_JSON_E_NOMEM;
        first = 0;
        if ((rc = gw_json_escape(e->seg[d], e->seglen[d], w->out)) != 0 || gw_buf_append(w->out, ":", 1) != 0)
            return GW_JSON_E_NOMEM;
        if (e->nseg == d + 1) {
            if (gw_buf_append(w->out, e->val, e->vlen) != 0)
                return GW_JSON_E_NOMEM;
        } else {
            if (gw_buf_append(w->out, "{", 1) != 0 || (rc = emit_created(w, group, d + 1)) != 0 ||
                gw_buf_append(w->out, "}", 1) != 0)
                return rc ? rc : GW_JSON_E_NOMEM;
        }
    }
    return 0;
}

static int walk_object(walk_t *w, const set_t *S, uint32_t live, size_t edepth)
{
    const gw_json_paths_t *p = w->paths;
    int active = S != NULL && p != NULL;
    size_t open_end = ++w->pos;
    size_t kmark = w->sc != NULL ? keys_n(w->sc) : 0;
    int want_keys = w->v != NULL && (w->v->on_key != NULL || (w->v->flags & GW_JSON_V_UNIQUE_KEYS));
    uint32_t touched = 0;
    size_t emitted = 0, last_kept_end = open_end;
    int pending_comma_skip = 0, rc;
    skip_ws(w);
    if (w->pos < w->len && w->in[w->pos] == '}') {
        w->pos++;
        goto close;
    }
    for (;;) {
        if (w->pos >= w->len || w->in[w->pos] != '"')
            FAIL(w, GW_JSON_E_SYNTAX, "expected string key");
        size_t key_start = w->pos;
        int esc;
        if ((rc = scan_string(w, &esc)) != 0)
            return rc;
        size_t key_end = w->pos;
        skip_ws(w);
        if (w->pos >= w->len || w->in[w->pos] != ':')
            FAIL(w, GW_JSON_E_SYNTAX, "expected ':'");
        w->pos++;
        skip_ws(w);
        /* decoded key for matching (only when something could match) */
        const char *k = w->in + key_start + 1;
        size_t klen = key_end - key_start - 2;
        set_t child;
        const set_t *cs = NULL;
        int leaf = -1;
        uint32_t child_live = 0;
        if (esc && (active || live || want_keys)) {
            gw_buf_reset(w->b_key);
            if (decode_valid(k, klen, w->b_key) != 0)
                return GW_JSON_E_NOMEM;
            k = w->b_key->base;
            klen = w->b_key->len;
        }
        if (active) {
            if (klen > 0) {
                /* memo: same live set and same decoded key give the same transition */
                uint64_t sx = 0;
                for (size_t i = 0; i < p->nw; i++)
                    sx ^= S->w[i] * (2 * i + 1);
                unsigned h =
                    ((unsigned)klen * 31u + (unsigned char)k[0] * 7u + (unsigned char)k[klen - 1] + (unsigned)(sx ^ (sx >> 29))) &
                    15u;
                if (w->memo[h].key != NULL && w->memo[h].klen == klen && memcmp(w->memo[h].from.w, S->w, p->nw * 8) == 0 &&
                    memcmp(w->memo[h].key, k, klen) == 0) {
                    memcpy(child.w, w->memo[h].to.w, p->nw * 8);
                } else {
                    step(p, S, k, klen, 0, &child);
                    /* the key must outlive the walk's use of the memo: input bytes do, b_key does not */
                    if (k != w->b_key->base) {
                        memcpy(w->memo[h].from.w, S->w, p->nw * 8);
                        memcpy(w->memo[h].to.w, child.w, p->nw * 8);
                        w->memo[h].key = k;
                        w->memo[h].klen = klen;
                    }
                }
            } else {
                step(p, S, k, klen, 0, &child);
            }
            if (!set_empty(&child, p->nw))
                cs = &child;
        }
        if (live) {
            for (size_t i = 0; i < w->ned; i++) {
                uint32_t bit = (uint32_t)1 << i;
                if ((live & bit) && seg_eq(&w->ed[i], edepth, k, klen)) {
                    touched |= bit;
                    if (w->ed[i].nseg == edepth + 1)
                        leaf = (int)i;
                    else
                        child_live |= bit;
                }
            }
        }
        enum { KEEP, DELETE, REPLACE } act = KEEP;
        if (leaf >= 0)
            act = w->ed[leaf].del ? DELETE : w->ed[leaf].only_if_absent ? KEEP : REPLACE;
        size_t vstart = w->pos;
        int type;
        set_comp(w, w->in + key_start, key_end - key_start, esc);
        if (want_keys && (rc = visit_key(w, cs, key_start, key_end, k, klen, !esc, act == DELETE)) != 0)
            return rc;
        w->ncomp++;
        if (act != KEEP)
            w->suppress++;
        rc = walk_value(w, cs, child_live, edepth + 1, &type);
        if (act != KEEP)
            w->suppress--;
        w->ncomp--;
        if (rc != 0)
            return rc;
        if ((child_live & w->set_mask) && type != GW_JSON_T_OBJECT) {
            w->pos = vstart;
            FAIL(w, GW_JSON_E_EDIT, "edit path crosses a non-object value");
        }
        size_t vend = w->pos;
        if (act == DELETE) {
            size_t ds = emitted ? last_kept_end : key_start;
            if (ds < w->copied)
                ds = w->copied;
            if ((rc = emit_upto(w, ds)) != 0)
                return rc;
            w->copied = vend;
            if (!emitted)
                pending_comma_skip = 1;
        } else {
            if (act == REPLACE &&
                (w->ed[leaf].vlen != vend - vstart || memcmp(w->ed[leaf].val, w->in + vstart, vend - vstart) != 0)) {
                if ((rc = emit_upto(w, vstart)) != 0 || gw_buf_append(w->out, w->ed[leaf].val, w->ed[leaf].vlen) != 0)
                    return rc ? rc : GW_JSON_E_NOMEM;
                w->copied = vend;
            }
            emitted++;
            last_kept_end = vend;
        }
        skip_ws(w);
        if (w->pos < w->len && w->in[w->pos] == ',') {
            if (pending_comma_skip && !emitted) {
                w->copied = w->pos + 1;
                pending_comma_skip = 0;
            }
            w->pos++;
            skip_ws(w);
            continue;
        }
        if (w->pos < w->len && w->in[w->pos] == '}') {
            w->pos++;
            break;
        }
        FAIL(w, GW_JSON_E_SYNTAX, "expected ',' or '}'");
    }
close:;
    if (w->sc != NULL && keys_n(w->sc) > kmark)
        keys_pop(w->sc, kmark);
    uint32_t missing = live & w->set_mask & ~touched;
    if (missing) {
        size_t ins = emitted ? last_kept_end : open_end;
        if (ins < w->copied)
            ins = w->copied;
        if ((rc = emit_upto(w, ins)) != 0)
            return rc;
        if (emitted && gw_buf_append(w->out, ",", 1) != 0)
            return GW_JSON_E_NOMEM;
        if ((rc = emit_created(w, missing, edepth)) != 0)
            return rc;
    }
    return 0;
}

static int walk_array(walk_t *w, const set_t *S)
{
    const gw_json_paths_t *p = w->paths;
    int active = S != NULL && p != NULL, rc, type;
    w->pos++;
    skip_ws(w);
    if (w->pos < w->len && w->in[w->pos] == ']') {
        w->pos++;
        return 0;
    }
    /* the child set depends on the index only through live literal positions that name an index
     * ("messages.0.content"); without them it is computed once for the whole array */
    int per_index = 0;
    if (active)
        for (size_t i = 0; i < p->nw; i++)
            per_index |= (S->w[i] & p->lit.w[i]) != 0;
    set_t child;
    const set_t *cs = NULL;
    if (active && !per_index) {
        step(p, S, NULL, 0, (size_t)-1, &child);
        if (!set_empty(&child, p->nw))
            cs = &child;
    }
    for (size_t idx = 0;; idx++) {
        if (per_index) {
            cs = NULL;
            step(p, S, NULL, 0, idx, &child);
            if (!set_empty(&child, p->nw))
                cs = &child;
        }
        set_comp(w, NULL, idx, 0);
        w->ncomp++;
        rc = walk_value(w, cs, 0, 0, &type);
        w->ncomp--;
        if (rc != 0)
            return rc;
        skip_ws(w);
        if (w->pos < w->len && w->in[w->pos] == ',') {
            w->pos++;
            skip_ws(w);
            continue;
        }
        if (w->pos < w->len && w->in[w->pos] == ']') {
            w->pos++;
            return 0;
        }
        FAIL(w, GW_JSON_E_SYNTAX, "expected ',' or ']'");
    }
}

/* Walks the value at w->pos (whitespace already skipped); S = live rule positions (NULL = none). */
static int walk_value(walk_t *w, const set_t *S, uint32_t live, size_t edepth, int *type)
{
    if (w->pos >= w->len)
        FAIL(w, GW_JSON_E_SYNTAX, "unexpected end of input, value expected");
    size_t start = w->pos;
    int rc;
    switch (w->in[w->pos]) {
    case '{':
    case '[':
        if (++w->depth > GW_JSON_MAX_DEPTH)
            FAIL(w, GW_JSON_E_DEPTH, "nesting too deep");
        if (w->in[w->pos] == '{') {
            *type = GW_JSON_T_OBJECT;
            rc = walk_object(w, S, live, edepth);
        } else {
            *type = GW_JSON_T_ARRAY;
            rc = walk_array(w, S);
        }
        w->depth--;
        break;
    case '"':
        *type = GW_JSON_T_STRING;
        rc = walk_string_value(w, S);
        break;
    case 't':
        *type = GW_JSON_T_TRUE;
        if (w->len - w->pos < 4 || memcmp(w->in + w->pos, "true", 4) != 0)
            FAIL(w, GW_JSON_E_SYNTAX, "invalid literal");
        w->pos += 4;
        rc = 0;
        break;
    case 'f':
        *type = GW_JSON_T_FALSE;
        if (w->len - w->pos < 5 || memcmp(w->in + w->pos, "false", 5) != 0)
            FAIL(w, GW_JSON_E_SYNTAX, "invalid literal");
        w->pos += 5;
        rc = 0;
        break;
    case 'n':
        *type = GW_JSON_T_NULL;
        if (w->len - w->pos < 4 || memcmp(w->in + w->pos, "null", 4) != 0)
            FAIL(w, GW_JSON_E_SYNTAX, "invalid literal");
        w->pos += 4;
        rc = 0;
        break;
    default:
        *type = GW_JSON_T_NUMBER;
        if (w->in[w->pos] != '-' && (w->in[w->pos] < '0' || w->in[w->pos] > '9'))
            FAIL(w, GW_JSON_E_SYNTAX, "unexpected character, value expected");
        rc = walk_number(w);
        break;
    }
    if (rc != 0)
        return rc;
    if (S != NULL && w->v != NULL && w->v->on_capture != NULL) {
        const gw_json_paths_t *p = w->paths;
        for (size_t i = 0; i < p->nw; i++) {
            uint64_t x = S->w[i] & p->final_cap.w[i];
            while (x) {
                size_t b = i * 64 + (size_t)__builtin_ctzll(x);
                x &= x - 1;
                w->v->on_capture(w->v->ctx, p->rule_id[p->pos[b].rule], w->in + start, w->pos - start, *type);
            }
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* entry points */

static int run_root(walk_t *w, const set_t *S, uint32_t live)
{
    int type, rc;
    skip_ws(w);
    if (live && (w->pos >= w->len || w->in[w->pos] != '{'))
        FAIL(w, GW_JSON_E_EDIT, "edits need a top-level object");
    if ((rc = walk_value(w, S, live, 0, &type)) != 0)
        return rc;
    skip_ws(w);
    if (w->pos != w->len)
        FAIL(w, GW_JSON_E_SYNTAX, "trailing characters after the JSON value");
    return 0;
}

int gw_json_validate(const char *in, size_t len, const char **err_desc, size_t *err_offset)
{
    walk_t w;
    memset(&w, 0, offsetof(walk_t, comp));
    w.in = in;
    w.len = len;
    int rc = run_root(&w, NULL, 0);
    if (rc != 0) {
        if (err_desc)
            *err_desc = w.err;
        if (err_offset)
            *err_offset = w.err_off;
    }
    return rc;
}

static int prepare_edits(walk_t *w, edit_t *ed, const gw_json_edit_t *edits, size_t nedits)
{
    if (nedits > GW_JSON_MAX_EDITS)
        FAIL(w, GW_JSON_E_EDIT, "too many edits");
    for (size_t i = 0; i < nedits; i++) {
        edit_t *e = &ed[i];
        const char *s = edits[i].path;
        if (s == NULL || *s == '\0')
            FAIL(w, GW_JSON_E_EDIT, "empty edit path");
        e->nseg = 0;
        for (;;) {
            const char *dot = strchr(s, '.');
            size_t sl = dot ? (size_t)(dot - s) : strlen(s);
            if (sl == 0 || e->nseg == GW_JSON_MAX_EDIT_SEGS)
                FAIL(w, GW_JSON_E_EDIT, "bad edit path");
            e->seg[e->nseg] = s;
            e->seglen[e->nseg++] = sl;
            if (dot == NULL)
                break;
            s = dot + 1;
        }
        e->del = edits[i].value_json == NULL;
        e->only_if_absent = edits[i].only_if_absent;
        if (!e->del) {
            e->val = edits[i].value_json;
            e->vlen = strlen(e->val);
            if (gw_json_validate(e->val, e->vlen, NULL, NULL) != 0)
                FAIL(w, GW_JSON_E_EDIT, "edit value is not valid JSON");
            w->set_mask |= (uint32_t)1 << i;
        }
        for (size_t j = 0; j < i; j++) {
            size_t m = ed[j].nseg < e->nseg ? ed[j].nseg : e->nseg, d;
            for (d = 0; d < m && seg_eq(&ed[j], d, e->seg[d], e->seglen[d]); d++)
                ;
            if (d == m)
                FAIL(w, GW_JSON_E_EDIT, "conflicting edit paths");
        }
    }
    w->ed = ed;
    w->ned = nedits;
    return 0;
}

int gw_json_rewrite_ex(const char *in, size_t len, const gw_json_paths_t *paths, const gw_json_edit_t *edits, size_t nedits,
                       const gw_json_visitor_t *v, gw_buf_t *out, int *changed, const char **err_desc, size_t *err_offset,
                       gw_json_scratch_t *sc)
{
    walk_t w;
    edit_t ed[GW_JSON_MAX_EDITS];
    memset(&w, 0, offsetof(walk_t, comp));
    w.in = in;
    w.len = len;
    w.paths = paths;
    w.v = v;
    w.out = out;
    w.sc = sc;
    w.b_path = &sc->path;
    w.b_str = &sc->str;
    w.b_repl = &sc->repl;
    w.b_key = &sc->key;
    *changed = 0;
    /* keys left by a walk that failed half-way */
    if (sc->keys.len != 0) {
        if (sc->kindex.base != NULL)
            memset(sc->kindex.base, 0, sc->kindex.len);
        sc->keys.len = 0;
    }
    sc->karena.len = 0;
    int rc = prepare_edits(&w, ed, edits, nedits);
    if (rc == 0) {
        uint32_t live = nedits ? (uint32_t)(((uint64_t)1 << nedits) - 1) : 0;
        rc = run_root(&w, paths ? &paths->start : NULL, live);
    }
    if (rc == 0 && w.changed)
        rc = emit_upto(&w, len);
    if (rc != 0) {
        if (err_desc)
            *err_desc = w.err ? w.err : "out of memory";
        if (err_offset)
            *err_offset = w.err_off;
        return rc;
    }
    *changed = w.changed;
    return 0;
}

int gw_json_rewrite(const char *in, size_t len, const gw_json_paths_t *paths, const gw_json_edit_t *edits, size_t nedits,
                    const gw_json_visitor_t *v, gw_buf_t *out, int *changed, const char **err_desc, size_t *err_offset)
{
    gw_json_scratch_t sc = GW_JSON_SCRATCH_INIT;
    int rc = gw_json_rewrite_ex(in, len, paths, edits, nedits, v, out, changed, err_desc, err_offset, &sc);
    gw_json_scratch_free(&sc);
    return rc;
}
