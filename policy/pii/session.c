/*
 * Per-request PII session: applies the configured action to every entity found in a field,
 * keeps the token vault (token <-> original value) for restoring responses, and records
 * findings for the redaction log. Values and field names live in an arena of fixed chunks so
 * that pointers handed out (lookup values, finding fields) stay valid until reset; reset
 * rewinds the arena and the tables without freeing, so a worker that reuses its session does
 * not allocate per request once warm. The vault maps (type, value) -> entry through an
 * open-addressing hash table (same value -> same token) and (type, N) -> entry through a
 * per-type array (token lookup is O(1)). Findings never hold values: only offsets (code points)
 * and a keyed BLAKE2b-128 of the value.
 */
#include "policy/pii/pii_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE 8192

typedef struct st_chunk_t {
    struct st_chunk_t *next;
    size_t cap, used;
    char data[];
} chunk_t;

typedef struct st_entry_t {
    int type;
    unsigned n; /* token number, 1-based, per type */
    const char *value;
    size_t vlen;
    uint64_t hash;
} entry_t;

typedef struct st_idxvec_t {
    size_t *v;
    size_t n, cap;
} idxvec_t;

struct st_pol_pii_session_t {
    const pol_pii_engine_t *e;
    chunk_t *chunks, *cur; /* arena */
    entry_t *entries;
    size_t nentries, entries_cap;
    size_t *table; /* entry index + 1, 0 = empty */
    size_t table_cap;
    idxvec_t by_type[POL_PII_NUM_BUILTIN + POL_PII_MAX_CUSTOM];
    pol_pii_finding_t *findings;
    size_t nfindings, findings_cap;
    unsigned char blocked[POL_PII_NUM_BUILTIN + POL_PII_MAX_CUSTOM];
    int any_blocked;
    size_t *spans; /* scrub_output: [start, end) pairs of this session's tokens in the scanned text */
    size_t spans_cap;
};

/* ---- arena ---- */

static char *arena_dup(pol_pii_session_t *ss, const char *p, size_t n, int nul)
{
    size_t need = n + (size_t)(nul != 0);
    chunk_t *c = ss->cur;
    while (c != NULL && c->cap - c->used < need) {
        c = c->next;
        if (c != NULL)
            c->used = 0;
    }
    if (c == NULL) {
        size_t cap = need > CHUNK_SIZE ? need : CHUNK_SIZE;
        c = malloc(sizeof(chunk_t) + cap);
        if (c == NULL)
            return NULL;
        c->cap = cap;
        c->used = 0;
        /* insert after cur (or as the first chunk) so that rewinding walks all chunks */
        if (ss->cur == NULL) {
            c->next = ss->chunks;
            ss->chunks = c;
        } else {
            c->next = ss->cur->next;
            ss->cur->next = c;
        }
    }
    ss->cur = c;
    char *d = c->data + c->used;
    memcpy(d, p, n);
    if (nul)
        d[n] = '\0';
    c->used += need;
    return d;
}

/* ---- create / reset / free ---- */

pol_pii_session_t *pol_pii_session_create(const pol_pii_engine_t *e)
{
    pol_pii_session_t *ss = calloc(1, sizeof(*ss));
    if (ss == NULL)
        return NULL;
    ss->e = e;
    return ss;
}

void pol_pii_session_reset(pol_pii_session_t *ss)
{
    if (ss->chunks != NULL)
        ss->chunks->used = 0;
    ss->cur = ss->chunks;
    if (ss->nentries > 0 && ss->table != NULL)
        memset(ss->table, 0, ss->table_cap * sizeof(size_t));
    ss->nentries = 0;
    for (size_t t = 0; t < sizeof(ss->by_type) / sizeof(ss->by_type[0]); t++)
        ss->by_type[t].n = 0;
    ss->nfindings = 0;
    memset(ss->blocked, 0, sizeof(ss->blocked));
    ss->any_blocked = 0;
}

void pol_pii_session_free(pol_pii_session_t *ss)
{
    if (ss == NULL)
        return;
    for (chunk_t *c = ss->chunks, *next; c != NULL; c = next) {
        next = c->next;
        sodium_memzero(c->data, c->cap); /* values are personal data */
        free(c);
    }
    free(ss->entries);
    free(ss->table);
    for (size_t t = 0; t < sizeof(ss->by_type) / sizeof(ss->by_type[0]); t++)
        free(ss->by_type[t].v);
    free(ss->findings);
    free(ss->spans);
    free(ss);
}

/* ---- vault ---- */

static uint64_t value_hash64(int type, const char *v, size_t n)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)type;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)v[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int table_grow(pol_pii_session_t *ss)
{
    size_t cap = ss->table_cap ? ss->table_cap * 2 : 64;
    size_t *t = calloc(cap, sizeof(size_t));
    if (t == NULL)
        return -1;
    for (size_t i = 0; i < ss->nentries; i++) {
        size_t k = ss->entries[i].hash & (cap - 1);
        while (t[k] != 0)
            k = (k + 1) & (cap - 1);
        t[k] = i + 1;
    }
    free(ss->table);
    ss->table = t;
    ss->table_cap = cap;
    return 0;
}

/* Finds or adds the entry for (type, value). @return entry or NULL on allocation failure. */
static const entry_t *vault_get(pol_pii_session_t *ss, int type, const char *v, size_t n)
{
    uint64_t h = value_hash64(type, v, n);
    if (ss->table_cap > 0) {
        for (size_t k = h & (ss->table_cap - 1); ss->table[k] != 0; k = (k + 1) & (ss->table_cap - 1)) {
            const entry_t *en = &ss->entries[ss->table[k] - 1];
            if (en->hash == h && en->type == type && en->vlen == n && memcmp(en->value, v, n) == 0)
                return en;
        }
    }
    if ((ss->nentries + 1) * 2 > ss->table_cap && table_grow(ss) != 0)
        return NULL;
    if (ss->nentries == ss->entries_cap) {
        size_t cap = ss->entries_cap ? ss->entries_cap * 2 : 32;
        entry_t *en = realloc(ss->entries, cap * sizeof(*en));
        if (en == NULL)
            return NULL;
        ss->entries = en;
        ss->entries_cap = cap;
    }
    idxvec_t *bt = &ss->by_type[type];
    if (bt->n == bt->cap) {
        size_t cap = bt->cap ? bt->cap * 2 : 8;
        size_t *iv = realloc(bt->v, cap * sizeof(*iv));
        if (iv == NULL)
            return NULL;
        bt->v = iv;
        bt->cap = cap;
    }
    const char *copy = arena_dup(ss, v, n, 0);
    if (copy == NULL)
        return NULL;
    size_t idx = ss->nentries++;
    ss->entries[idx] = (entry_t){type, (unsigned)(bt->n + 1), copy, n, h};
    bt->v[bt->n++] = idx;
    size_t k = h & (ss->table_cap - 1);
    while (ss->table[k] != 0)
        k = (k + 1) & (ss->table_cap - 1);
    ss->table[k] = idx + 1;
    return &ss->entries[idx];
}

/* ---- tokens ---- */

static int tok_ch(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

size_t pol_pii_token_len(const char *t, size_t len)
{
    if (len < 4 || t[0] != '<' || t[1] < 'A' || t[1] > 'Z')
        return 0;
    size_t i = 1;
    while (i < len && i < POL_PII_TOKEN_MAX && tok_ch((unsigned char)t[i]))
        i++;
    if (i >= len || t[i] != '>' || i + 1 > POL_PII_TOKEN_MAX)
        return 0;
    /* t[1, i) = TYPE '_' N */
    size_t us = i;
    while (us > 1 && t[us - 1] >= '0' && t[us - 1] <= '9')
        us--;
    if (us == i || us < 3 || t[us - 1] != '_' || t[us] == '0')
        return 0;
    return i + 1;
}

size_t pol_pii_token_prefix_len(const char *t, size_t len)
{
    size_t lim = len > POL_PII_TOKEN_MAX - 1 ? len - (POL_PII_TOKEN_MAX - 1) : 0;
    for (size_t p = len; p-- > lim;) {
        if (t[p] == '<') {
            if (p + 1 < len && (t[p + 1] < 'A' || t[p + 1] > 'Z'))
                return 0;
            for (size_t q = p + 1; q < len; q++)
                if (!tok_ch((unsigned char)t[q]))
                    return 0;
            return len - p;
        }
        if (!tok_ch((unsigned char)t[p]))
            return 0;
    }
    return 0;
}

int pol_pii_session_lookup(const pol_pii_session_t *ss, const char *token, size_t len, const char **value, size_t *vlen)
{
    if (pol_pii_token_len(token, len) != len)
        return -1;
    size_t us = len - 1;
    while (token[us - 1] != '_')
        us--;
    unsigned long n = 0;
    for (size_t i = us; i < len - 1; i++) {
        n = n * 10 + (unsigned long)(token[i] - '0');
        if (n > 100000000ul)
            return -1;
    }
    int type = pol_pii_type_by_name(ss->e, token + 1, us - 2);
    if (type < 0 || n == 0 || n > ss->by_type[type].n)
        return -1;
    const entry_t *en = &ss->entries[ss->by_type[type].v[n - 1]];
    *value = en->value;
    *vlen = en->vlen;
    return 0;
}

int pol_pii_session_restore(const pol_pii_session_t *ss, const char *text, size_t len, gw_buf_t *out)
{
    size_t done = 0, p = 0;
    int changed = 0;
    while (p < len) {
        const char *lt = memchr(text + p, '<', len - p);
        if (lt == NULL)
            break;
        p = (size_t)(lt - text);
        size_t tl = pol_pii_token_len(text + p, len - p);
        const char *v;
        size_t vl;
        if (tl != 0 && pol_pii_session_lookup(ss, text + p, tl, &v, &vl) == 0) {
            if (!changed) {
                gw_buf_reset(out);
                changed = 1;
            }
            if (gw_buf_append(out, text + done, p - done) != 0 || gw_buf_append(out, v, vl) != 0)
                return -1;
            p += tl;
            done = p;
        } else {
            p++;
        }
    }
    if (!changed)
        return 0;
    if (gw_buf_append(out, text + done, len - done) != 0)
        return -1;
    return 1;
}

/* ---- actions ---- */

static int is_alnum_b(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* mask: keeps a few characters so a human can still tell values apart, hides the rest */
static int append_mask(gw_buf_t *out, int type, const char *v, size_t n)
{
    if (type == POL_PII_EMAIL_ADDRESS) {
        const char *at = memchr(v, '@', n);
        const char *dot = NULL;
        for (const char *p = v + n; p-- > (at ? at : v);)
            if (*p == '.') {
                dot = p;
                break;
            }
        if (at != NULL && dot != NULL && dot > at + 1) {
            /* j***@e******.com */
            if (gw_buf_append(out, v, 1) != 0 || gw_buf_append(out, "***@", 4) != 0 || gw_buf_append(out, at + 1, 1) != 0)
                return -1;
            for (size_t i = pol__cp_count(at + 2, (size_t)(dot - at - 2)); i > 0; i--)
                if (gw_buf_append(out, "*", 1) != 0)
                    return -1;
            return gw_buf_append(out, dot, (size_t)(v + n - dot));
        }
    }
    /* count alnum code points; numeric-style types keep the last 4, others keep the first one */
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)v[i] & 0xC0) != 0x80 && is_alnum_b((unsigned char)v[i]))
            total++;
    int keep_tail = type == POL_PII_CREDIT_CARD || type == POL_PII_PHONE_NUMBER || type == POL_PII_IBAN_CODE ||
                    type == POL_PII_US_SSN || type == POL_PII_UK_NHS || type == POL_PII_US_PASSPORT ||
                    type == POL_PII_US_DRIVER_LICENSE || pol__national_type(type);
    size_t keep_from = keep_tail ? (total > 8 ? total - 4 : total) : (size_t)-1;
    size_t idx = 0;
    for (size_t i = 0; i < n;) {
        size_t cl = 1;
        while (i + cl < n && ((unsigned char)v[i + cl] & 0xC0) == 0x80)
            cl++;
        if (is_alnum_b((unsigned char)v[i])) {
            int keep = keep_tail ? idx >= keep_from : idx == 0;
            if (gw_buf_append(out, keep ? v + i : "*", keep ? cl : 1) != 0)
                return -1;
            idx++;
        } else if (gw_buf_append(out, v + i, cl) != 0) {
            return -1;
        }
        i += cl;
    }
    return 0;
}

/* "<" name [sep digits] ">": tokens and redaction markers without printf (it showed up in the
 * scrub profile); n == 0 writes no number */
static int append_marker(gw_buf_t *out, const char *name, char sep, unsigned n, const char *suffix, size_t suffix_len)
{
    size_t nl = strlen(name);
    char num[12];
    size_t k = sizeof(num);
    if (n != 0) {
        do
            num[--k] = (char)('0' + n % 10);
        while ((n /= 10) != 0);
        num[--k] = sep;
    }
    if (gw_buf_reserve(out, nl + (sizeof(num) - k) + suffix_len + 2) != 0)
        return -1;
    char *d = out->base + out->len;
    *d++ = '<';
    memcpy(d, name, nl);
    d += nl;
    memcpy(d, num + k, sizeof(num) - k);
    d += sizeof(num) - k;
    memcpy(d, suffix, suffix_len);
    d += suffix_len;
    *d++ = '>';
    *d = '\0'; /* as gw_buf_append does */
    out->len = (size_t)(d - out->base);
    return 0;
}

static int push_finding(pol_pii_session_t *ss, const pol_pii_finding_t *f)
{
    if (ss->nfindings == ss->findings_cap) {
        size_t cap = ss->findings_cap ? ss->findings_cap * 2 : 16;
        pol_pii_finding_t *v = realloc(ss->findings, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        ss->findings = v;
        ss->findings_cap = cap;
    }
    ss->findings[ss->nfindings++] = *f;
    return 0;
}

/* Appends what replaces value v (vl bytes) of finding f under f->action. */
static int apply_action(pol_pii_session_t *ss, gw_buf_t *out, const pol_pii_finding_t *f, const char *v, size_t vl)
{
    const char *name = pol_pii_type_name(ss->e, f->type);
    switch (f->action) {
    case POL_PII_ACT_TOKENIZE: {
        const entry_t *ent = vault_get(ss, f->type, v, vl);
        return ent == NULL ? -1 : append_marker(out, name, '_', ent->n, "", 0);
    }
    case POL_PII_ACT_REDACT:
        return append_marker(out, name, 0, 0, "", 0);
    case POL_PII_ACT_MASK:
        return append_mask(out, f->type, v, vl);
    case POL_PII_ACT_HASH: {
        char hex[14];
        hex[0] = ':';
        sodium_bin2hex(hex + 1, sizeof(hex) - 1, f->value_hash, 6);
        return append_marker(out, name, 0, 0, hex, 13);
    }
    case POL_PII_ACT_BLOCK:
    case POL_PII_ACT_ALLOW:
        return gw_buf_append(out, v, vl);
    }
    return -1;
}

int pol_pii_session_scrub(pol_pii_session_t *ss, pol_pii_scratch_t *s, const char *field, const char *text, size_t len,
                          gw_buf_t *out)
{
    const pol_pii_engine_t *e = ss->e;
    const pol_pii_entity_t *ents;
    size_t n;
    if (pol_pii_scan(e, s, text, len, &ents, &n) != 0)
        return -1;
    if (n == 0)
        return 0;
    const char *fcopy = arena_dup(ss, field ? field : "", field ? strlen(field) : 0, 1);
    if (fcopy == NULL)
        return -1;
    int changed = 0;
    for (size_t i = 0; i < n; i++) {
        pol_pii_action_t a = pol_pii_engine_action(e, ents[i].type);
        if (a != POL_PII_ACT_BLOCK && a != POL_PII_ACT_ALLOW)
            changed = 1;
    }
    if (changed)
        gw_buf_reset(out);
    size_t done = 0, cp = 0, cp_at = 0;
    const unsigned char *key = pol__engine_hash_key(e);
    for (size_t i = 0; i < n; i++) {
        const pol_pii_entity_t *en = &ents[i];
        const char *v = text + en->start;
        size_t vl = en->end - en->start;
        pol_pii_finding_t f;
        memset(&f, 0, sizeof(f));
        f.type = en->type;
        f.field = fcopy;
        cp += pol__cp_count(text + cp_at, en->start - cp_at);
        f.start = cp;
        f.end = cp + pol__cp_count(v, vl);
        cp = f.end;
        cp_at = en->end;
        f.action = pol_pii_engine_action(e, en->type);
        f.score = en->score;
        crypto_generichash(f.value_hash, sizeof(f.value_hash), (const unsigned char *)v, vl, key, 32);
        if (push_finding(ss, &f) != 0)
            return -1;
        if (f.action == POL_PII_ACT_BLOCK) {
            ss->blocked[en->type] = 1;
            ss->any_blocked = 1;
        }
        if (!changed)
            continue;
        if (gw_buf_append(out, text + done, en->start - done) != 0)
            return -1;
        done = en->start;
        if (apply_action(ss, out, &f, v, vl) != 0)
            return -1;
        done = en->end;
    }
    if (!changed)
        return 0;
    if (gw_buf_append(out, text + done, len - done) != 0)
        return -1;
    return 1;
}

int pol_pii_session_blocked(const pol_pii_session_t *ss, gw_buf_t *types)
{
    if (!ss->any_blocked)
        return 0;
    if (types != NULL) {
        int first = 1;
        for (int t = 0; t < pol_pii_type_count(ss->e); t++) {
            if (!ss->blocked[t])
                continue;
            const char *name = pol_pii_type_name(ss->e, t);
            if ((!first && gw_buf_append(types, ",", 1) != 0) || gw_buf_append(types, name, strlen(name)) != 0)
                break;
            first = 0;
        }
    }
    return 1;
}

const pol_pii_finding_t *pol_pii_session_findings(const pol_pii_session_t *ss, size_t *n)
{
    *n = ss->nfindings;
    return ss->findings;
}

/* ---- model output ---- */

static int push_span(pol_pii_session_t *ss, size_t *n, size_t start, size_t end)
{
    if (*n + 2 > ss->spans_cap) {
        size_t cap = ss->spans_cap ? ss->spans_cap * 2 : 32;
        size_t *v = realloc(ss->spans, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        ss->spans = v;
        ss->spans_cap = cap;
    }
    ss->spans[(*n)++] = start;
    ss->spans[(*n)++] = end;
    return 0;
}

static int overlaps_span(const size_t *spans, size_t nspans, size_t start, size_t end)
{
    for (size_t i = 0; i < nspans; i += 2)
        if (start < spans[i + 1] && spans[i] < end)
            return 1;
    return 0;
}

static int is_word_b(unsigned char c)
{
    return is_alnum_b(c) || c == '_';
}

int pol_pii_session_scrub_output(pol_pii_session_t *ss, pol_pii_scratch_t *s, const char *field, const char *text, size_t len,
                                 int final, size_t *emit, gw_buf_t *out)
{
    const pol_pii_engine_t *e = ss->e;
    size_t nspans = 0;
    *emit = len;
    /* this session's tokens: restored, and never scanned (their values are the user's own) */
    for (size_t p = 0; p < len;) {
        const char *lt = memchr(text + p, '<', len - p);
        if (lt == NULL)
            break;
        p = (size_t)(lt - text);
        size_t tl = pol_pii_token_len(text + p, len - p);
        const char *v;
        size_t vl;
        if (tl != 0 && pol_pii_session_lookup(ss, text + p, tl, &v, &vl) == 0) {
            if (push_span(ss, &nspans, p, p + tl) != 0)
                return -1;
            p += tl;
        } else {
            p++;
        }
    }
    const pol_pii_entity_t *ents;
    size_t n;
    if (pol_pii_scan(e, s, text, len, &ents, &n) != 0)
        return -1;
    size_t cut = len;
    if (!final) {
        /* Hold back the last POL_PII_OUTPUT_WINDOW bytes (an entity that may still grow), moved back to a code point
         * start and, by at most POL_PII_OUTPUT_WORD_SLACK bytes, to a word boundary (the held text is scanned again
         * without its left context). Every entity that starts before the cut and is at most the window long was
         * seen whole in this scan. */
        cut = len > POL_PII_OUTPUT_WINDOW ? len - POL_PII_OUTPUT_WINDOW : 0;
        size_t floor = cut > POL_PII_OUTPUT_WORD_SLACK ? cut - POL_PII_OUTPUT_WORD_SLACK : 0;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
        size_t c2 = cut;
        while (c2 > floor && is_word_b((unsigned char)text[c2 - 1]) && is_word_b((unsigned char)text[c2]))
            c2--;
        if (c2 == 0 || !is_word_b((unsigned char)text[c2 - 1]) || !is_word_b((unsigned char)text[c2]))
            cut = c2; /* a boundary; inside a longer run (base64...) the cut stays where it was */
        for (size_t i = 0; i < nspans; i += 2)
            if (ss->spans[i] < cut && cut < ss->spans[i + 1])
                cut = ss->spans[i];
        for (size_t i = 0; i < n; i++)
            if (ents[i].start < cut && cut < ents[i].end && len - ents[i].start <= POL_PII_OUTPUT_HOLD_MAX &&
                !overlaps_span(ss->spans, nspans, ents[i].start, ents[i].end))
                cut = ents[i].start;
    }
    *emit = cut;
    const char *fcopy = NULL;
    int changed = 0;
    size_t done = 0, cp = 0, cp_at = 0, si = 0;
    const unsigned char *key = pol__engine_hash_key(e);
    for (size_t i = 0; i <= n; i++) {
        /* an entity (clipped at the cut when it is longer than the hold-back allows), or the end */
        size_t es = cut, ee = cut;
        if (i < n) {
            es = ents[i].start;
            ee = ents[i].end < cut ? ents[i].end : cut;
            if (es >= cut)
                continue;
            if (overlaps_span(ss->spans, nspans, es, ee))
                continue;
        }
        /* tokens before it are restored */
        for (; si < nspans && ss->spans[si + 1] <= es; si += 2) {
            const char *v;
            size_t vl;
            if (!changed) {
                gw_buf_reset(out);
                changed = 1;
            }
            if (pol_pii_session_lookup(ss, text + ss->spans[si], ss->spans[si + 1] - ss->spans[si], &v, &vl) != 0 ||
                gw_buf_append(out, text + done, ss->spans[si] - done) != 0 || gw_buf_append(out, v, vl) != 0)
                return -1;
            done = ss->spans[si + 1];
        }
        if (i == n)
            break;
        pol_pii_finding_t f;
        memset(&f, 0, sizeof(f));
        if (fcopy == NULL && (fcopy = arena_dup(ss, field ? field : "", field ? strlen(field) : 0, 1)) == NULL)
            return -1;
        f.type = ents[i].type;
        f.field = fcopy;
        cp += pol__cp_count(text + cp_at, es - cp_at);
        f.start = cp;
        f.end = cp + pol__cp_count(text + es, ee - es);
        cp = f.end;
        cp_at = ee;
        f.action = pol_pii_engine_action(e, f.type);
        /* nobody can restore a placeholder in model output, and a streamed answer's status has gone out: tokenize and
         * block act as redact there */
        if (f.action == POL_PII_ACT_TOKENIZE || f.action == POL_PII_ACT_BLOCK)
            f.action = POL_PII_ACT_REDACT;
        f.score = ents[i].score;
        f.response = 1;
        crypto_generichash(f.value_hash, sizeof(f.value_hash), (const unsigned char *)text + es, ee - es, key, 32);
        if (push_finding(ss, &f) != 0)
            return -1;
        if (f.action == POL_PII_ACT_ALLOW)
            continue;
        if (!changed) {
            gw_buf_reset(out);
            changed = 1;
        }
        if (gw_buf_append(out, text + done, es - done) != 0 || apply_action(ss, out, &f, text + es, ee - es) != 0)
            return -1;
        done = ee;
    }
    if (!changed)
        return 0;
    if (gw_buf_append(out, text + done, cut - done) != 0)
        return -1;
    return 1;
}
