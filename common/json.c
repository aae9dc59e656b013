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
 * step over a key or index is two masked shifts plus the literal hits, and `**` is an epsilon closure
 * over the positions whose segment is `**`. Subtrees with an empty set and no live edit are only
 * validated. An array's elements share one child set unless a live literal names an index. A key's
 * literal hits come from one look-up in the table of distinct literals (json_internal.h lit_find), which
 * replaced both a compare per live literal position and a per-walk memo of key steps (issue 12, session 5:
 * cheaper than either). The path handed to the visitor is built only for selected strings and
 * incrementally: the path buffer keeps its longest still-valid prefix of components. String
 * bodies are scanned 16 (SSE2) or 8 (SWAR) bytes at a time for quote, backslash, control and
 * non-ASCII bytes; only the slow bytes go through the UTF-8 / escape validator.
 *
 * Edits are matched the same way against object keys (a bitmask of the edits whose path prefix matches
 * the current object chain); members still missing at an object's closing brace are appended there.
 *
 * Files: this one holds the walk (validate, rewrite); json_internal.h lists the others (string
 * literals, object keys, edits, path rules, escaping) and holds what they share.
 */
#include "common/json.h"
#include "common/json_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
    if (key != NULL) {
        /* a key: the live positions among those that name it (one table look-up), each moved to its next position */
        const litent_t *le = lit_find(p, key, klen);
        if (le != NULL) {
            carry = 0;
            for (size_t i = 0; i < p->nw; i++) {
                uint64_t h = s->w[i] & le->mask.w[i];
                out->w[i] |= (h << 1) | carry;
                carry = h >> 63;
            }
        }
    } else {
        for (size_t i = 0; i < p->nw; i++) {
            uint64_t l = s->w[i] & p->lit.w[i];
            while (l) {
                size_t b = i * 64 + (size_t)__builtin_ctzll(l);
                l &= l - 1;
                const pos_t *ps = &p->pos[b];
                if (ps->index >= 0 && (size_t)ps->index == idx)
                    set_bit(out, b + 1);
            }
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

/* gw_buf_free only where something was allocated: a scratch of gw_json_rewrite() (made and freed per call) has 27
   buffers, most never used */
static inline void drop_buf(gw_buf_t *b)
{
    if (b->base != NULL)
        gw_buf_free(b);
}

void gw_json_scratch_free(gw_json_scratch_t *s)
{
    drop_buf(&s->path);
    drop_buf(&s->str);
    drop_buf(&s->repl);
    drop_buf(&s->key);
    for (size_t l = 0; l < GW_JSON_MAX_EMBED; l++)
        for (size_t i = 0; i < 5; i++)
            drop_buf(&s->lvl[l][i]);
    drop_buf(&s->keys);
    drop_buf(&s->kindex);
    drop_buf(&s->karena);
}

/* ---------------------------------------------------------------------------------------------- */
/* the walk */

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

static int walk_value(walk_t *w, const set_t *S, uint32_t live, size_t edepth, int *type);
static int walk_embedded(walk_t *w, int rule, const char *s, size_t n, int *handled);

static inline void skip_ws(walk_t *w)
{
    const char *s = w->in;
    size_t i = w->pos, n = w->len;
    if (i < n && (unsigned char)s[i] > ' ') /* compact JSON: no whitespace */
        return;
    if (i + 1 < n && (unsigned char)s[i + 1] > ' ' && s[i] == ' ') { /* `"key": value` */
        w->pos = i + 1;
        return;
    }
#ifdef __SSE2__
    /* pretty-printed JSON (providers' answers): a newline and its indentation, 16 bytes a step (the byte loop below
       was 13 % of an answer's usage walk) */
    const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), tab = _mm_set1_epi8('\t');
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, nl)),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, tab)));
        unsigned other = ~(unsigned)_mm_movemask_epi8(ws) & 0xffffu;
        if (other != 0) {
            w->pos = i + (size_t)__builtin_ctz(other);
            return;
        }
        i += 16;
    }
#endif
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

/* Writes the JSON string literal of `s` (`n` bytes, borrowed) in place of the input from `start` to w->pos.
 * @return 0, or the error (< 0) of emit_upto or gw_json_escape. */
static int replace_span(walk_t *w, size_t start, const char *s, size_t n)
{
    int rc;
    if ((rc = emit_upto(w, start)) != 0 || (rc = gw_json_escape(s, n, w->out)) != 0)
        return rc;
    w->copied = w->pos;
    return 0;
}

/* What a visitor's answer `rc` for the value from `start` to w->pos does: < 0 aborts the walk with `err` (which
 * visitor), 1 writes w->b_repl as a string literal in the value's place, anything else leaves it. @return 0 or < 0. */
static int apply_replacement(walk_t *w, size_t start, int rc, const char *err)
{
    if (rc < 0) {
        w->err = err;
        w->err_off = start;
        return rc;
    }
    return rc == 1 ? replace_span(w, start, w->b_repl->base ? w->b_repl->base : "", w->b_repl->len) : 0;
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
        if (gw_json__decode(s, n, w->b_str) != 0)
            return GW_JSON_E_NOMEM;
        s = w->b_str->base;
        n = w->b_str->len;
    }
    int rc;
    if (emb && looks_like_document(s, n)) {
        int handled = 0;
        /* the inner document's paths start with this string's */
        if ((rc = gw_json__build_path(w)) != 0 || (rc = walk_embedded(w, rule, s, n, &handled)) != 0 || handled)
            return rc;
    }
    const char *path = gw_json__visit_path(w);
    if (path == NULL)
        return GW_JSON_E_NOMEM;
    gw_buf_reset(w->b_repl);
    return apply_replacement(w, start, w->v->on_string(w->v->ctx, rule, path, s, n, w->b_repl), "aborted by the string visitor");
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
        return replace_span(w, start, ib->base, ib->len);
    }
    return rc;
}

/* The number just walked (from `start` to w->pos) at rule positions S (or inside an embedded document): to on_number,
 * with the rule on_string would get; a replacement is written as a JSON string literal. */
static int visit_number(walk_t *w, const set_t *S, size_t start)
{
    int rule;
    if (w->inner) {
        rule = w->inner_rule;
    } else {
        const gw_json_paths_t *p = w->paths;
        int b = first_bit(S, &p->final_verb, p->nw);
        if (b < 0)
            b = first_bit(S, &p->final_emb, p->nw);
        if (b < 0 && (b = first_bit(S, &p->final_scan, p->nw)) < 0)
            return 0;
        rule = p->rule_id[p->pos[b].rule];
    }
    const char *path = gw_json__visit_path(w);
    if (path == NULL)
        return GW_JSON_E_NOMEM;
    gw_buf_reset(w->b_repl);
    return apply_replacement(w, start, w->v->on_number(w->v->ctx, rule, path, w->in + start, w->pos - start, w->b_repl),
                             "aborted by the number visitor");
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
            if (gw_json__decode(k, klen, w->b_key) != 0)
                return GW_JSON_E_NOMEM;
            k = w->b_key->base;
            klen = w->b_key->len;
        }
        if (active) {
            step(p, S, k, klen, 0, &child);
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
        if (want_keys && (rc = gw_json__visit_key(w, cs, key_start, key_end, k, klen, !esc, act == DELETE)) != 0)
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
        gw_json__keys_pop(w->sc, kmark);
    uint32_t missing = live & w->set_mask & ~touched;
    if (missing) {
        size_t ins = emitted ? last_kept_end : open_end;
        if (ins < w->copied)
            ins = w->copied;
        if ((rc = emit_upto(w, ins)) != 0)
            return rc;
        if (emitted && gw_buf_append(w->out, ",", 1) != 0)
            return GW_JSON_E_NOMEM;
        if ((rc = gw_json__emit_created(w, missing, edepth)) != 0)
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

/* The GW_JSON_T_* type of a value that starts with byte `c` (a number for any other byte: the caller validates it). */
static inline int value_type(char c)
{
    return c == '{'   ? GW_JSON_T_OBJECT
           : c == '[' ? GW_JSON_T_ARRAY
           : c == '"' ? GW_JSON_T_STRING
           : c == 't' ? GW_JSON_T_TRUE
           : c == 'f' ? GW_JSON_T_FALSE
           : c == 'n' ? GW_JSON_T_NULL
                      : GW_JSON_T_NUMBER;
}

/* Validates the value at w->pos (whitespace already skipped) when nothing in it can be visited (w->lean, no live rule
 * position, no live edit): the same checks in the same order as walk_value / walk_object / walk_array, so the same
 * error code, description and offset, without their per-member work (path components, key decoding, edit and rule
 * matching). Iterative: `open` holds the kinds of the containers opened here, w->depth those around the value.
 * A provider's answer is mostly such values for the usage walk (issue 12, session 7: the validation-only walk of a
 * 958-byte answer went from 9.2k to ~4k instructions). test_json.c test_lean_against_walker compares both. */
static int lean_value(walk_t *w, int *type)
{
    const char *s = w->in;
    size_t n = w->len;
    char open[GW_JSON_MAX_DEPTH + 1];
    int top = 0, esc, rc;
    if (w->pos < n)
        *type = value_type(s[w->pos]);
value:
    if (w->pos >= n)
        FAIL(w, GW_JSON_E_SYNTAX, "unexpected end of input, value expected");
    switch (s[w->pos]) {
    case '{':
    case '[':
        if (w->depth + top + 1 > GW_JSON_MAX_DEPTH)
            FAIL(w, GW_JSON_E_DEPTH, "nesting too deep");
        open[top++] = s[w->pos++];
        skip_ws(w);
        if (open[top - 1] == '[')
            goto array_first;
        if (w->pos < n && s[w->pos] == '}') {
            w->pos++;
            top--;
            goto after;
        }
        goto key;
    case '"':
        if ((rc = scan_string(w, &esc)) != 0)
            return rc;
        goto after;
    case 't':
        if (n - w->pos < 4 || memcmp(s + w->pos, "true", 4) != 0)
            FAIL(w, GW_JSON_E_SYNTAX, "invalid literal");
        w->pos += 4;
        goto after;
    case 'f':
        if (n - w->pos < 5 || memcmp(s + w->pos, "false", 5) != 0)
            FAIL(w, GW_JSON_E_SYNTAX, "invalid literal");
        w->pos += 5;
        goto after;
    case 'n':
        if (n - w->pos < 4 || memcmp(s + w->pos, "null", 4) != 0)
            FAIL(w, GW_JSON_E_SYNTAX, "invalid literal");
        w->pos += 4;
        goto after;
    default:
        if (s[w->pos] != '-' && (s[w->pos] < '0' || s[w->pos] > '9'))
            FAIL(w, GW_JSON_E_SYNTAX, "unexpected character, value expected");
        if ((rc = walk_number(w)) != 0)
            return rc;
        goto after;
    }
array_first:
    if (w->pos < n && s[w->pos] == ']') {
        w->pos++;
        top--;
        goto after;
    }
    goto value;
key:
    if (w->pos >= n || s[w->pos] != '"')
        FAIL(w, GW_JSON_E_SYNTAX, "expected string key");
    if ((rc = scan_string(w, &esc)) != 0)
        return rc;
    skip_ws(w);
    if (w->pos >= n || s[w->pos] != ':')
        FAIL(w, GW_JSON_E_SYNTAX, "expected ':'");
    w->pos++;
    skip_ws(w);
    goto value;
after:
    if (top == 0)
        return 0;
    skip_ws(w);
    if (w->pos < n && s[w->pos] == ',') {
        w->pos++;
        skip_ws(w);
        if (open[top - 1] == '{')
            goto key;
        goto value;
    }
    if (w->pos < n && s[w->pos] == (open[top - 1] == '{' ? '}' : ']')) {
        w->pos++;
        top--;
        goto after;
    }
    if (open[top - 1] == '{')
        FAIL(w, GW_JSON_E_SYNTAX, "expected ',' or '}'");
    FAIL(w, GW_JSON_E_SYNTAX, "expected ',' or ']'");
}

/* Index of the first byte of s[i, n) that is one of the `k` bytes of `set` (a quote, a backslash, brackets), or n.
 * 16 bytes a step with SSE2. */
static inline size_t find_any(const char *s, size_t i, size_t n, const char *set, int k)
{
#ifdef __SSE2__
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i)), m = _mm_setzero_si128();
        for (int j = 0; j < k; j++)
            m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(set[j])));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits != 0)
            return i + (size_t)__builtin_ctz(bits);
        i += 16;
    }
#endif
    for (; i < n; i++)
        for (int j = 0; j < k; j++)
            if (s[i] == set[j])
                return i;
    return n;
}

/* GW_JSON_V_TRUSTED: steps over the value at w->pos (whitespace skipped) without validating it, where lean_value would
 * validate it: a string to its closing quote (a backslash skips the byte after it), a container to its matching bracket
 * (strings inside stepped over the same way), a number or literal to the next delimiter. The document is vouched for by
 * the caller (it passed a walk); on other input this reads no byte past w->len and ends with GW_JSON_E_SYNTAX or a
 * position that the walk then refuses. The no-training pass over a 1 KB body validated all of it again (issue 12,
 * session 7). test_json.c test_trusted_skip compares it with the validating walk on valid documents. */
static int skip_value(walk_t *w, int *type)
{
    const char *s = w->in;
    size_t n = w->len, i = w->pos, depth = 0;
    if (i >= n)
        FAIL(w, GW_JSON_E_SYNTAX, "unexpected end of input, value expected");
    char c = s[i];
    *type = value_type(c);
    if (c != '{' && c != '[' && c != '"') { /* number or literal: up to a delimiter */
        while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            i++;
        w->pos = i;
        return 0;
    }
    for (;;) {
        if (i >= n) {
            w->pos = n;
            FAIL(w, GW_JSON_E_SYNTAX, "unexpected end of input");
        }
        c = s[i++];
        if (c == '"') {
            for (;;) { /* to the closing quote */
                i = find_any(s, i, n, "\"\\", 2);
                if (i >= n) {
                    w->pos = n;
                    FAIL(w, GW_JSON_E_SYNTAX, "unterminated string");
                }
                if (s[i] == '"')
                    break;
                i += 2; /* a backslash and the byte it escapes */
            }
            i++;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0) {
                w->pos = i - 1;
                FAIL(w, GW_JSON_E_SYNTAX, "unexpected character, value expected");
            }
            depth--;
        }
        if (depth == 0)
            break;
        i = find_any(s, i, n, "\"{}[]", 5);
    }
    w->pos = i;
    return 0;
}

/* Walks the value at w->pos (whitespace already skipped); S = live rule positions (NULL = none). */
static int walk_value(walk_t *w, const set_t *S, uint32_t live, size_t edepth, int *type)
{
    if (S == NULL && live == 0 && w->lean != LEAN_NONE)
        return w->lean == LEAN_SKIP ? skip_value(w, type) : lean_value(w, type);
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
        if (rc == 0 && w->v != NULL && w->v->on_number != NULL && !w->suppress && (w->inner || (S != NULL && w->paths != NULL)))
            rc = visit_number(w, S, start);
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

const char *gw_json_path_text(const char *path)
{
    /* the handle is the lazy_path member of the walk that called the visitor (gw_json__visit_path) */
    walk_t *w = (walk_t *)(void *)(path - offsetof(walk_t, lazy_path));
    return gw_json__build_path(w) == 0 ? w->b_path->base : NULL;
}

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
    w.lean = LEAN_VALIDATE;
    int rc = run_root(&w, NULL, 0);
    if (rc != 0) {
        if (err_desc)
            *err_desc = w.err;
        if (err_offset)
            *err_offset = w.err_off;
    }
    return rc;
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
    w.lean = v != NULL && (v->flags & GW_JSON_V_UNIQUE_KEYS) ? LEAN_NONE
             : v != NULL && (v->flags & GW_JSON_V_TRUSTED)   ? LEAN_SKIP
                                                             : LEAN_VALIDATE;
    *changed = 0;
    /* keys left by a walk that failed half-way */
    if (sc->keys.len != 0) {
        if (sc->kindex.base != NULL)
            memset(sc->kindex.base, 0, sc->kindex.len);
        sc->keys.len = 0;
    }
    sc->karena.len = 0;
    int rc = gw_json__prepare_edits(&w, ed, edits, nedits);
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
