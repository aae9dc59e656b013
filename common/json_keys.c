/*
 * Object keys in the walk (see json_internal.h for the module's files): a key selected by an
 * on_key rule is handed to the visitor and may be rewritten (made unique in its object with " (2)",
 * " (3)" ...), and with GW_JSON_V_UNIQUE_KEYS a key that repeats one of its object is refused. The
 * keys of the open objects are kept in insertion order in sc->keys with an open-addressing index
 * (sc->kindex); objects close in LIFO order, so an object's keys are dropped from the end.
 */
#include "common/json.h"
#include "common/json_internal.h"

#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------- */
/* keys of the open objects (GW_JSON_V_UNIQUE_KEYS) */

#define KENT(sc) ((kent_t *)(void *)(sc)->keys.base)
#define KIDX(sc) ((uint32_t *)(void *)(sc)->kindex.base)

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

/* Objects of up to KEYS_LINEAR entries are searched by comparing their entries, without a hash or the index: a
 * request's objects mostly hold 2-6 keys ({"role", "content"}), and hashing, probing and indexing every key cost ~300
 * instructions a key. An object's entries are the trailing run of sc->keys with its obj id (the entries of the objects
 * inside it are removed when they close); when the run grows past KEYS_LINEAR, the object's entries are indexed and it
 * stays indexed (its last entry has a slot) until it closes. */
#define KEYS_LINEAR 8
#define NO_SLOT UINT32_MAX

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

/* 1 when object obj is indexed: its last entry (the last of sc->keys when it has any) has a slot */
static int obj_indexed(const gw_json_scratch_t *sc, uint16_t obj)
{
    size_t cnt = keys_n(sc);
    return cnt > 0 && KENT(sc)[cnt - 1].obj == obj && KENT(sc)[cnt - 1].slot != NO_SLOT;
}

/* Kinds (KEY_ORIG / KEY_FINAL bits) of the entries equal to `k` in object `obj`, or-ed; 0 when none. */
static unsigned keys_find(const gw_json_scratch_t *sc, uint16_t obj, const char *k, size_t n)
{
    unsigned kinds = 0;
    size_t cnt = keys_n(sc);
    if (!obj_indexed(sc, obj)) {
        for (size_t i = cnt; i > 0 && KENT(sc)[i - 1].obj == obj; i--) {
            const kent_t *e = &KENT(sc)[i - 1];
            if (e->len == n && memcmp(kent_bytes(sc, e), k, n) == 0)
                kinds |= e->kind;
        }
        return kinds;
    }
    size_t cap = keys_cap(sc);
    uint64_t h = key_hash(obj, k, n);
    for (size_t j = (size_t)h & (cap - 1);; j = (j + 1) & (cap - 1)) {
        uint32_t x = KIDX(sc)[j];
        if (x == 0)
            return kinds;
        const kent_t *e = &KENT(sc)[x - 1];
        if (e->h == h && e->obj == obj && e->len == n && memcmp(kent_bytes(sc, e), k, n) == 0)
            kinds |= e->kind;
    }
}

/* Makes room in the index for `need` indexed entries (load <= 1/2), re-inserting the indexed ones in insertion order
 * (the LIFO removal stays exact). */
static int keys_reserve_index(gw_json_scratch_t *sc, size_t need)
{
    if (need * 2 <= keys_cap(sc))
        return 0;
    size_t ncap = keys_cap(sc) ? keys_cap(sc) : 64;
    while (need * 2 > ncap)
        ncap *= 2;
    gw_buf_reset(&sc->kindex);
    if (gw_buf_reserve(&sc->kindex, ncap * sizeof(uint32_t)) != 0)
        return GW_JSON_E_NOMEM;
    memset(sc->kindex.base, 0, ncap * sizeof(uint32_t));
    sc->kindex.len = ncap * sizeof(uint32_t);
    for (size_t i = 0; i < keys_n(sc); i++)
        if (KENT(sc)[i].slot != NO_SLOT)
            keys_index(sc, i);
    return 0;
}

/* Adds a key; `k` points into input that outlives the object, or is NULL: the bytes are sc->karena[off..]. */
static int keys_add(walk_t *w, uint16_t obj, const char *k, size_t off, size_t n, unsigned kind)
{
    gw_json_scratch_t *sc = w->sc;
    size_t cnt = keys_n(sc);
    if (cnt >= GW_JSON_MAX_OPEN_KEYS)
        FAIL(w, GW_JSON_E_DUPKEY, "too many object keys");
    int indexed = obj_indexed(sc, obj);
    size_t run = 0; /* the object's entries before this one */
    if (!indexed)
        while (run < cnt && KENT(sc)[cnt - 1 - run].obj == obj)
            run++;
    if (gw_buf_reserve(&sc->keys, sizeof(kent_t)) != 0)
        return GW_JSON_E_NOMEM;
    kent_t *e = &KENT(sc)[cnt];
    e->h = 0;
    e->p = k;
    e->off = off;
    e->len = n;
    e->obj = obj;
    e->kind = (uint16_t)kind;
    e->slot = NO_SLOT;
    sc->keys.len += sizeof(kent_t);
    if (!indexed && run + 1 <= KEYS_LINEAR)
        return 0;
    /* an indexed object, or one that grows past KEYS_LINEAR: index the entries of the object still without a slot */
    size_t first = indexed ? cnt : cnt - run, nidx = 0;
    for (size_t i = 0; i < cnt; i++)
        nidx += KENT(sc)[i].slot != NO_SLOT;
    if (keys_reserve_index(sc, nidx + (cnt + 1 - first)) != 0)
        return GW_JSON_E_NOMEM;
    for (size_t i = first; i <= cnt; i++) {
        kent_t *x = &KENT(sc)[i];
        x->h = key_hash(obj, kent_bytes(sc, x), x->len);
        keys_index(sc, i);
    }
    return 0;
}

/* Forgets the keys added after the first `mark` (an object closes). */
void gw_json__keys_pop(gw_json_scratch_t *sc, size_t mark)
{
    for (size_t i = keys_n(sc); i > mark; i--)
        if (KENT(sc)[i - 1].slot != NO_SLOT)
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
int gw_json__visit_key(walk_t *w, const set_t *child, size_t key_start, size_t key_end, const char *k, size_t klen, int raw_stable,
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
    unsigned found = 0; /* the kinds of the object's keys equal to k (no key is added to it before the check below) */
    if (uniq) {
        found = keys_find(w->sc, obj, k, klen);
        if (found & KEY_ORIG) {
            w->pos = key_start;
            FAIL(w, GW_JSON_E_DUPKEY, "duplicate object key");
        }
    }
    int rewritten = 0;
    if (rule != -1) {
        const char *path = gw_json__visit_path(w);
        if (path == NULL)
            return GW_JSON_E_NOMEM;
        gw_buf_reset(w->b_repl);
        rc = v->on_key(v->ctx, rule, path, k, klen, w->b_repl);
        if (rc < 0) {
            w->err = "aborted by the key visitor";
            w->err_off = key_start;
            return rc;
        }
        rewritten = rc == 1;
    }
    if (!rewritten) {
        if (uniq) {
            if (found & KEY_FINAL) {
                w->pos = key_start;
                FAIL(w, GW_JSON_E_DUPKEY, "object key equals a rewritten key");
            }
            size_t off = 0;
            if (!raw_stable && (off = arena_put(w->sc, k, klen)) == (size_t)-1)
                return GW_JSON_E_NOMEM;
            return keys_add(w, obj, raw_stable ? k : NULL, off, klen, KEY_ORIG | KEY_FINAL);
        }
        return 0;
    }
    if (uniq) {
        size_t off = 0;
        if (!raw_stable && (off = arena_put(w->sc, k, klen)) == (size_t)-1)
            return GW_JSON_E_NOMEM;
        if ((rc = keys_add(w, obj, raw_stable ? k : NULL, off, klen, KEY_ORIG)) != 0)
            return rc;
    }
    /* the new key goes to the arena (the path component points at it); " (2)", " (3)" ... while it equals an
       earlier key of this object */
    size_t base_len = w->b_repl->len, aoff = w->sc->karena.len;
    if (gw_buf_append(&w->sc->karena, w->b_repl->base != NULL ? w->b_repl->base : "", base_len) != 0)
        return GW_JSON_E_NOMEM;
    for (unsigned n = 2; uniq && (keys_find(w->sc, obj, w->sc->karena.base + aoff, w->sc->karena.len - aoff) & KEY_FINAL); n++) {
        if (n > 1000) {
            w->pos = key_start;
            FAIL(w, GW_JSON_E_DUPKEY, "too many equal rewritten keys");
        }
        w->sc->karena.len = aoff + base_len;
        if (gw_buf_appendf(&w->sc->karena, " (%u)", n) != 0)
            return GW_JSON_E_NOMEM;
    }
    size_t flen = w->sc->karena.len - aoff;
    if (uniq && (rc = keys_add(w, obj, NULL, aoff, flen, KEY_FINAL)) != 0)
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
