/*
 * The PII prefilter's invariant (policy/pii/prefilter.c): every match of a window-database
 * pattern that can lead to a candidate lies inside one prefilter window, so scanning only the
 * windows gives the same recognizer calls as scanning the whole text. Checked against a
 * reference: the same patterns compiled with SOM_LEFTMOST and scanned over the whole text, on
 * hand-written texts (each window trigger, at the start, middle and end of the text) and on
 * 3000 pseudo-random texts built from digits, capitals, separators and the trigger words. Also
 * checks that windows come out sorted, disjoint and inside the text, that the C-matched
 * triggers (honorific, greeting, street suffix) yield the same entities as before the split, and
 * that the C-matched digit-cluster, IPv4 and IPv6 patterns give the same candidates as their
 * regexes scanned by vectorscan over the whole text (the prefilter's fast paths included: the
 * texts are padded so that the 16-byte path and the scalar tail both see every event).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <hs/hs.h>

#include "policy/pii/pii.h"
#include "policy/pii/pii_internal.h"

typedef struct {
    const char *text;
    size_t len;
    const pol__windows_t *w;
    unsigned *pat_of_id;
    int failures;
} check_t;

static int is_word_b(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int on_ref_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{
    check_t *ck = ctx;
    const pol__pattern_t *pats;
    size_t np;
    (void)flags;
    pats = pol__patterns(&np);
    unsigned pat = ck->pat_of_id[id];
    /* base58 matches that do not start a word are rejected by rec_btc58 without side effects */
    if (pats[pat].rec == POL__REC_BTC58 && from > 0 && is_word_b((unsigned char)ck->text[from - 1]))
        return 0;
    for (size_t i = 0; i < ck->w->n; i++)
        if (ck->w->v[i].s <= from && to <= ck->w->v[i].e)
            return 0;
    if (ck->failures++ < 5)
        print_error("pattern %u match [%llu, %llu) outside every window in \"%.*s\"\n", pat, from, to, (int)ck->len, ck->text);
    return 0;
}

typedef struct {
    hs_database_t *db;
    hs_scratch_t *hs;
    unsigned ids[64];
    pol__cands_t cands;
    pol__windows_t w;
    unsigned char enabled[POL_PII_NUM_BUILTIN];
} ref_t;

static void ref_init(ref_t *r)
{
    size_t np;
    const pol__pattern_t *pats = pol__patterns(&np);
    const char *ex[64];
    unsigned fl[64], ids[64], n = 0;
    hs_compile_error_t *cerr = NULL;
    memset(r, 0, sizeof(*r));
    for (size_t i = 0; i < np; i++)
        if (pats[i].db == POL__DB_WIN) {
            ex[n] = pats[i].regex;
            fl[n] = pats[i].flags | HS_FLAG_SOM_LEFTMOST;
            ids[n] = n;
            r->ids[n++] = (unsigned)i;
        }
    assert_true(n > 0);
    assert_int_equal(hs_compile_multi(ex, fl, ids, n, HS_MODE_BLOCK, NULL, &r->db, &cerr), HS_SUCCESS);
    assert_int_equal(hs_alloc_scratch(r->db, &r->hs), HS_SUCCESS);
    memset(r->enabled, 1, sizeof(r->enabled));
}

static void ref_free(ref_t *r)
{
    hs_free_scratch(r->hs);
    hs_free_database(r->db);
    free(r->cands.v);
    free(r->w.v);
}

/* @return the number of reference matches outside every window */
static int check_text(ref_t *r, const char *text, size_t len)
{
    pol__scanctx_t c;
    memset(&c, 0, sizeof(c));
    c.text = text;
    c.len = len;
    c.cands = &r->cands;
    c.enabled = r->enabled;
    r->cands.n = 0;
    assert_int_equal(pol__prefilter(&c, &r->w, 1), 0);
    for (size_t i = 0; i < r->w.n; i++) {
        assert_true(r->w.v[i].s < r->w.v[i].e);
        assert_true(r->w.v[i].e <= len);
        if (i > 0)
            assert_true(r->w.v[i - 1].e < r->w.v[i].s);
    }
    check_t ck = {text, len, &r->w, r->ids, 0};
    if (len > 0)
        assert_int_equal(hs_scan(r->db, text, (unsigned)len, 0, r->hs, on_ref_match, &ck), HS_SUCCESS);
    return ck.failures;
}

static void test_windows_hand(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "DE89 3704 0044 0532 0130 00",
        "DE89\t3704\t0044\t0532\t0130\t00, DE89\r\n3704 0044\n0532 0130 00, DE89\\n3704\\n0044, de89 | 3704",
        "4111\t1111\t1111\t1111 / 4111\n1111\n1111\n1111 / +49\t30\t1234567 / 4111 | 1111 | 1111 | 1111",
        "IBAN: GB82WEST12345698765432.",
        "x GB82-WEST-1234-5698-7654-32 y",
        "SW1A 1AA",
        "London EC1A1BB, UK",
        "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
        "send 0.5 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy now",
        "ip 192.168.1.1 and 10.0.0.255/24",
        "fe80::1ff:fe23:4567:890a and ::1 and 2001:db8::8a2e:370:7334",
        "12:00:03 a:b: c::d",
        "Hauptstra\xc3\x9f\x65 5, 10115 Berlin; Bahnhofstr. 12; Ringweg\t7",
        "12 rue de la Paix, 3bis, avenue Foch; 7, all\xc3\xa9\x65 des Roses",
        "Springfield, IL 62704",
        "+1 (415) 555-0132, 4111 1111 1111 1111, 078-05-1123",
        "4012888888881881 4012-8888-8888-1881",
        "1234567",
        "7",
        "A1",
        ":",
        "::f",
        "",
    };
    ref_t r;
    ref_init(&r);
    for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
        /* the text alone, and padded so that the 16-byte path and the scalar tail both see it */
        char buf[512];
        size_t n = strlen(texts[k]);
        assert_int_equal(check_text(&r, texts[k], n), 0);
        memset(buf, 'x', 37);
        buf[37] = ' ';
        memcpy(buf + 38, texts[k], n);
        memcpy(buf + 38 + n, " and so on and so on", 20);
        assert_int_equal(check_text(&r, buf, 58 + n), 0);
    }
    /* windows exist where they must: an IBAN start is one window */
    assert_int_equal(check_text(&r, "pay DE89 3704 0044", 18), 0);
    assert_int_equal(r.w.n, 1);
    assert_int_equal(r.w.v[0].s, 4);
    assert_int_equal(r.w.v[0].e, 16); /* country, check digits, a separator of up to 4 bytes ("\\r\\n"), 4 characters */
    /* digit clusters (phones, cards, dates, IPv4) and ':' (IPv6) are matched in C: no window */
    assert_int_equal(check_text(&r, "call 5551234 now, at 10.0.0.1 or fe80::1", 40), 0);
    assert_int_equal(r.w.n, 0);
    /* prose without digits or ':' has none */
    assert_int_equal(check_text(&r, "The Quick Brown Fox jumps over the lazy dog, Dear John.", 55), 0);
    assert_int_equal(r.w.n, 0);
    ref_free(&r);
}

static void test_windows_random(void **state)
{
    (void)state;
    static const char *const atoms[] = {"0",
                                        "1",
                                        "3",
                                        "7",
                                        "9",
                                        "12",
                                        "2024",
                                        " ",
                                        "  ",
                                        "-",
                                        ".",
                                        "/",
                                        "(",
                                        ")",
                                        ":",
                                        "::",
                                        "A",
                                        "GB",
                                        "DE",
                                        "SW",
                                        "a",
                                        "f",
                                        "x",
                                        "Z",
                                        "_",
                                        ",",
                                        "\t",
                                        "\n",
                                        "weg ",
                                        "str. ",
                                        "stra\xc3\x9f\x65 ",
                                        " rue ",
                                        "bis ",
                                        "ter, ",
                                        ", IL ",
                                        "\xc3\xa9",
                                        "Mr. ",
                                        "Dear ",
                                        " Street",
                                        "Hi, ",
                                        "I am ",
                                        "Prof ",
                                        "Ave",
                                        "1A1zP1",
                                        "bc1",
                                        "0x",
                                        "e",
                                        "F",
                                        "q"};
    const size_t na = sizeof(atoms) / sizeof(atoms[0]);
    unsigned long long rng = 0x9E3779B97F4A7C15ull;
    ref_t r;
    ref_init(&r);
    char buf[400];
    int failures = 0;
    for (int k = 0; k < 3000; k++) {
        size_t n = 0, target;
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        target = (size_t)(rng % 300);
        while (n < target) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            const char *a = atoms[rng % na];
            size_t l = strlen(a);
            if (n + l > sizeof(buf))
                break;
            memcpy(buf + n, a, l);
            n += l;
        }
        failures += check_text(&r, buf, n);
    }
    assert_int_equal(failures, 0);
    ref_free(&r);
}

/* the C-matched patterns give the entities their regexes gave */
static void test_c_patterns(void **state)
{
    (void)state;
    unsigned char key[32] = {0};
    char err[256];
    pol_pii_engine_t *e = pol_pii_engine_create(NULL, key, err, sizeof(err));
    assert_non_null(e);
    pol_pii_scratch_t *s = pol_pii_scratch_create(e);
    assert_non_null(s);
    static const struct {
        const char *text;
        int type;
        const char *value; /* NULL: no entity of `type` */
    } cases[] = {
        {"Please call Mr. Smith tomorrow.", POL_PII_PERSON, "Mr. Smith"},
        {"Dr Jane Goodall spoke.", POL_PII_PERSON, "Dr Jane Goodall"},
        {"Dear Maria, thanks", POL_PII_PERSON, "Maria"},
        {"Regards,\nJohn", POL_PII_PERSON, "John"},
        {"I am Olivia and I work here", POL_PII_PERSON, "Olivia"},
        {"ship to 221 Baker Street today", POL_PII_LOCATION, "221 Baker Street"},
        {"at 1600 Pennsylvania Ave, now", POL_PII_LOCATION, "1600 Pennsylvania Ave"},
        {"xDear Maria, thanks", POL_PII_PERSON, NULL}, /* no \b before the trigger */
        {"Deary Maria", POL_PII_PERSON, NULL},         /* not the whole word */
        {"the Streets of 221 Baker", POL_PII_LOCATION, NULL},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const pol_pii_entity_t *ents;
        size_t n, found = 0;
        const char *t = cases[k].text;
        assert_int_equal(pol_pii_scan(e, s, t, strlen(t), &ents, &n), 0);
        for (size_t i = 0; i < n; i++)
            if (ents[i].type == cases[k].type) {
                found++;
                if (cases[k].value == NULL || strlen(cases[k].value) != ents[i].end - ents[i].start ||
                    memcmp(t + ents[i].start, cases[k].value, ents[i].end - ents[i].start) != 0)
                    fail_msg("case %zu \"%s\": got [%zu, %zu) \"%.*s\"", k, t, ents[i].start, ents[i].end,
                             (int)(ents[i].end - ents[i].start), t + ents[i].start);
            }
        assert_int_equal(found, cases[k].value != NULL ? 1 : 0);
    }
    pol_pii_scratch_free(s);
    pol_pii_engine_free(e);
}

/* ---- C-matched digit-cluster / IPv4 / IPv6 patterns against their regexes ---- */

typedef struct {
    hs_database_t *db;
    hs_scratch_t *hs;
    unsigned pat_of_id[64];
    pol__scanctx_t ctx;
    pol__cands_t cands, mine;
    pol__windows_t w;
    unsigned char enabled[POL_PII_NUM_BUILTIN];
} cref_t;

static int is_c_digit_rec(int rec)
{
    return rec == POL__REC_DIGITS || rec == POL__REC_IPV4 || rec == POL__REC_IPV6;
}

static void cref_init(cref_t *r)
{
    size_t np;
    const pol__pattern_t *pats = pol__patterns(&np);
    const char *ex[64];
    unsigned fl[64], ids[64], n = 0;
    hs_compile_error_t *cerr = NULL;
    memset(r, 0, sizeof(*r));
    for (size_t i = 0; i < np; i++)
        if (pats[i].db == POL__DB_C && is_c_digit_rec(pats[i].rec)) {
            ex[n] = pats[i].regex;
            fl[n] = pats[i].flags;
            ids[n] = n;
            r->pat_of_id[n++] = (unsigned)i;
        }
    assert_int_equal(n, 5);
    assert_int_equal(hs_compile_multi(ex, fl, ids, n, HS_MODE_BLOCK, NULL, &r->db, &cerr), HS_SUCCESS);
    assert_int_equal(hs_alloc_scratch(r->db, &r->hs), HS_SUCCESS);
    memset(r->enabled, 1, sizeof(r->enabled));
}

static void cref_free(cref_t *r)
{
    hs_free_scratch(r->hs);
    hs_free_database(r->db);
    free(r->cands.v);
    free(r->mine.v);
    free(r->w.v);
}

static int on_cref_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{
    cref_t *r = ctx;
    (void)from;
    (void)flags;
    return pol__recognize(&r->ctx, r->pat_of_id[id], (size_t)to) != 0;
}

static int cmp_cand(const void *pa, const void *pb)
{
    const pol__cand_t *a = pa, *b = pb;
    if (a->type != b->type)
        return a->type - b->type;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    if (a->score != b->score)
        return a->score < b->score ? -1 : 1;
    return a->ctx_done - b->ctx_done;
}

/* @return 1 if the prefilter's candidates of the digit/IP recognizers differ from the reference */
static int cref_check(cref_t *r, const char *text, size_t len)
{
    /* the prefilter (its capital-led recognizers push PERSON and LOCATION only) */
    memset(&r->ctx, 0, sizeof(r->ctx));
    r->ctx.text = text;
    r->ctx.len = len;
    r->ctx.cands = &r->mine;
    r->ctx.enabled = r->enabled;
    r->mine.n = 0;
    assert_int_equal(pol__prefilter(&r->ctx, &r->w, 1), 0);
    size_t m = 0;
    for (size_t i = 0; i < r->mine.n; i++)
        if (r->mine.v[i].type != POL_PII_PERSON && r->mine.v[i].type != POL_PII_LOCATION && !pol__national_type(r->mine.v[i].type))
            r->mine.v[m++] = r->mine.v[i];
    r->mine.n = m;
    /* the reference: the five regexes over the whole text, every match end to the recognizer */
    memset(&r->ctx, 0, sizeof(r->ctx));
    r->ctx.text = text;
    r->ctx.len = len;
    r->ctx.cands = &r->cands;
    r->ctx.enabled = r->enabled;
    r->cands.n = 0;
    if (len > 0)
        assert_int_equal(hs_scan(r->db, text, (unsigned)len, 0, r->hs, on_cref_match, r), HS_SUCCESS);
    qsort(r->mine.v, r->mine.n, sizeof(pol__cand_t), cmp_cand);
    qsort(r->cands.v, r->cands.n, sizeof(pol__cand_t), cmp_cand);
    int differ = r->mine.n != r->cands.n;
    for (size_t i = 0; !differ && i < r->cands.n; i++)
        differ = cmp_cand(&r->mine.v[i], &r->cands.v[i]) != 0;
    if (differ)
        print_error("C-matched digit/IP patterns: %zu candidates, reference %zu, in \"%.*s\"\n", r->mine.n, r->cands.n, (int)len,
                    text);
    return differ;
}

static void test_c_digit_patterns(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "+1 (415) 555-0132, 4111 1111 1111 1111, 078-05-1123",
        "4012888888881881 4012-8888-8888-1881 and 943 476 5919",
        "born 1985-03-04; 04/03/1985, 4.3.85 at 12:00:03.123Z",
        "ip 192.168.1.1 and 10.0.0.255/24, v1.2.3.4 1.2.3.4.5 01.2.3.4 1..2.3.4",
        "host 1.2.3.4, then 9.9.9.9. and 8.8.4.4",
        "fe80::1ff:fe23:4567:890a and ::1 and 2001:db8::8a2e:370:7334 a:b: c::d 12345:6:",
        "route ::/0 and ::/128, fe80::/64, fe80::1%eth0/64, a::/3 x::/1 ::/ ::/x",
        "12 - - 3456789 12 -- 3456789 1 2 3 4 5 6 7 (0)20 7946 0958",
        "order 1234567, invoice #7654321, $1,234,567.89, 20% of 1234567",
    };
    static const char *const atoms[] = {"0", "1", "3", "7", "9", "12", "255", "2024",     "4111", " ", "  ",
                                        "-", ".", "/", "(", ")", ":",  "::",  "a",        "f",    "F", "x",
                                        "_", ",", "+", "#", "%", "\n", "A",   "\xc3\xa9", "::/"};
    const size_t na = sizeof(atoms) / sizeof(atoms[0]);
    cref_t r;
    cref_init(&r);
    int failures = 0;
    char buf[512];
    for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
        size_t n = strlen(texts[k]);
        failures += cref_check(&r, texts[k], n);
        memset(buf, 'x', 37);
        buf[37] = ' ';
        memcpy(buf + 38, texts[k], n);
        memcpy(buf + 38 + n, " and so on and so on", 20);
        failures += cref_check(&r, buf, 58 + n);
    }
    unsigned long long rng = 0x2545F4914F6CDD1Dull;
    for (int k = 0; k < 4000; k++) {
        size_t n = 0, target;
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        target = (size_t)(rng % 400);
        while (n < target) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            const char *a = atoms[rng % na];
            size_t l = strlen(a);
            if (n + l > sizeof(buf))
                break;
            memcpy(buf + n, a, l);
            n += l;
        }
        failures += cref_check(&r, buf, n);
    }
    assert_int_equal(failures, 0);
    cref_free(&r);
}

/* the fast path's keyword filter lets every keyword through */
static void test_keyword_filter(void **state)
{
    (void)state;
    assert_int_equal(pol__prefilter_selftest(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_hand),     cmocka_unit_test(test_windows_random), cmocka_unit_test(test_c_patterns),
        cmocka_unit_test(test_c_digit_patterns), cmocka_unit_test(test_keyword_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
