/*
 * Edits in the walk (see json_internal.h for the module's files): gw_json_edit_t paths ("a.b.c")
 * parsed into segments and checked against each other before the walk, and the members of set
 * edits still missing when their object closes, appended there (missing intermediate objects
 * created). Matching edits against keys runs inside the walk (json.c, walk_object).
 */
#include "common/json.h"
#include "common/json_internal.h"

#include <stdint.h>
#include <string.h>

/* Appends members for the set edits in `mask` whose path is missing below object depth d. */
int gw_json__emit_created(walk_t *w, uint32_t mask, size_t d)
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
            if (gw_buf_append(w->out, "{", 1) != 0 || (rc = gw_json__emit_created(w, group, d + 1)) != 0 ||
                gw_buf_append(w->out, "}", 1) != 0)
                return rc ? rc : GW_JSON_E_NOMEM;
        }
    }
    return 0;
}

int gw_json__prepare_edits(walk_t *w, edit_t *ed, const gw_json_edit_t *edits, size_t nedits)
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
