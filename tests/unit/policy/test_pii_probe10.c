/*
 * Scans tests/data/pii/probe10.jsonl .. probe16.jsonl (the blind probes of sessions 10 to 16, made the same way:
 * gen_probe11.py .. gen_probe16.py), the second to eighth holdouts. probe10.jsonl, the second holdout: a blind
 * probe written by hand in session 10 (2026-12-07) before reading how the recognizers treat each case
 * (tests/data/pii/gen_probe10.py says how it was made): chat and image prompts in 26 languages and scripts with personal data glued
 * to the script, full-width and non-ASCII digits, local address formats, national identifiers with valid check digits, IBANs, dates
 * of birth, percent-encoded values, and PII-free look-alikes. Matching rule of test_pii_multilingual.c / score.py: a gold span is
 * found when a prediction of the same type overlaps at least half of it; an unmatched prediction is a false positive. National and
 * sector identifiers of every country count as one type, ID. Prints F1 per type and per language and asserts floors set just below
 * what the engine measured when they were written, plus <= 3 % of PII-free prompts with a false finding (AIGW_PII_VERBOSE=1 lists
 * every miss and false finding).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy/pii/pii.h"
#include "policy/pii/pii_internal.h"
#include "support/pii_score.h"

#define NT 9
static const char *const types[NT] = {"EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "PERSON", "LOCATION", "ID", "DATE", "IP"};
/* F1 floors per type and micro, just below the figures measured at the end of session 10 (the engine before session 10
 * measured micro 0.939: see docs/internals/pii.md "Quality") */
static const double type_floor10[NT] = {0.99, 0.97, 0.99, 0.99, 0.94, 0.99, 0.94, 0.99, 0.99};
/* probe11 (session 11): floors just below the figures measured after session 11's fixes (the untouched engine measured
 * micro 0.839, PERSON 0.709: docs/BENCHMARKS.md "PII, session 11"; the after figure, micro 0.944, is overstated: its
 * misses were read while the causes were fixed) */
/* session 15: PHONE and LOCATION raised after the spaced-slash phone and address-tail rules (0.992 -> 1.000, 0.944 -> 0.959) */
static const double type_floor11[NT] = {0.97, 0.99, 0.99, 0.99, 0.91, 0.95, 0.91, 0.82, 0.99};
/* probe12 (session 12, gen_probe12.py: 271 prompts in 17 languages and layouts the earlier probes lack, 312 gold spans,
 * 74 PII-free look-alikes). The untouched engine's score is the BLIND figure: micro F1 0.751 (P 0.979, R 0.609; PERSON
 * 0.472, LOCATION 0.370, ID 0.630, DATE 0.348, PHONE 0.943), 2 of 74 PII-free prompts with a false finding. Floors are
 * set just below the latest figure; every figure after the blind one was read while the causes were fixed. */
/* session 15: PERSON raised (0.772 -> 0.810: speakers, record keys, table columns) */
static const double type_floor12[NT] = {0.99, 0.97, 0.99, 0.99, 0.80, 0.52, 0.77, 0.93, 0.99};
/* probe13 (session 13, gen_probe13.py: 345 prompts in 17 languages the earlier probes hold few of and business layouts
 * (HR forms, medical intake, invoices, shipping labels, bookings, school records, chat exports, OCR, SQL dumps), 471
 * gold spans, 92 PII-free look-alikes). BLIND figure (the untouched engine, 6c875dc): micro F1 0.849 (P 0.986, R 0.745;
 * PERSON 0.720, LOCATION 0.806, ID 0.838, DATE 0.806, PHONE 0.945, CREDIT_CARD 0.939), 2 of 92 PII-free prompts with a
 * false finding. After session 13's fixes: micro 0.920 (PERSON 0.852, ID 0.954, DATE 0.976, CREDIT_CARD 0.960; LOCATION unchanged),
 * read while the causes were fixed. Floors are set just below the latest figure. */
/* session 15: PHONE 0.957 -> 0.976 (Warsaw landlines), PERSON 0.852 -> 0.860, LOCATION 0.806 -> 0.838 */
static const double type_floor13[NT] = {0.99, 0.97, 0.95, 0.99, 0.85, 0.83, 0.94, 0.96, 0.99};

/* probe14 (session 14, gen_probe14.py: 350 prompts in 33 languages and variants the earlier probes lack or hold few of
 * (Nordic, Baltic, West and South Slavic, Balkan, Latin-American Spanish, Québec French, Austrian and Swiss German,
 * Maghreb/Gulf/Egyptian Arabic, Marathi, Nepali, Hausa, Zulu, Taiwan and Hong Kong Chinese) and business layouts
 * (support tickets, legal filings, HR exports, JSON/YAML, e-mail threads with signatures, labels in capitals), 564 gold
 * spans, 90 PII-free look-alikes). BLIND figure (the untouched engine, main 32e3d55): micro F1 0.795 (P 0.962,
 * R 0.677; PERSON 0.651, LOCATION 0.594, ID 0.828, DATE 0.571, PHONE 0.930), 10 of 90 PII-free prompts with a false
 * finding. After session 14's fixes: micro 0.879 (P 0.970, R 0.803; PERSON 0.828, ID 0.944, DATE 0.913, PHONE 0.940;
 * LOCATION unchanged), still 10 of 90 (company registration numbers read as SE_ORGANISATIONSNUMMER, IT_VAT_CODE, MX_RFC ...),
 * read while the causes were fixed. Floors are set just below the latest figure. */
/* session 15 (probe14 not read): PHONE 0.940 -> 0.959, PERSON 0.828 -> 0.893, LOCATION 0.594 -> 0.797, micro 0.879 -> 0.921 */
static const double type_floor14[NT] = {0.99, 0.95, 0.95, 0.99, 0.88, 0.79, 0.93, 0.90, 0.99};

/* probe15 (session 15, gen_probe15.py: 301 prompts, 382 gold spans, 96 PII-free look-alikes; addresses in national
 * formats (Nordic, Baltic, Balkan, Mexican, Québec, Gulf, Japanese / Korean / Chinese in their script, Indian PIN,
 * Brazilian CEP), names and addresses in capitals, names in CSV / YAML / JSON / chat speaker prefixes, German and
 * Austrian phones with a spaced slash, Warsaw landlines, mixed-script text). BLIND figure (the untouched engine, main
 * 8206640): micro F1 0.755 (P 0.963, R 0.620; PERSON 0.702, LOCATION 0.591, PHONE 0.857, DATE 0.941, IP 0.800), 5 of 96
 * PII-free prompts with a false finding. After session 15's fixes: micro 0.953 (P 0.981, R 0.927; PHONE 1.000, PERSON 0.949,
 * LOCATION 0.906), still 5 of 96 -- read while the causes were fixed. Floors are set just below the latest figure. */
static const double type_floor15[NT] = {0.99, 0.99, 0.99, 0.99, 0.94, 0.90, 0.99, 0.94, 0.79};

/* probe16 (session 16, gen_probe16.py: 294 prompts, 378 gold spans, 114 PII-free look-alikes; chat-app layouts (support
 * tickets, résumés, medical intake, bookings, code literals, JSON tool-call arguments, log lines), lower-case labels,
 * honorifics glued to names, Korean/Japanese/Chinese transcript speakers, Indian Flat/H.No./Sector addresses, US street
 * lines in capitals, ko/ja/zh/hi/ar/he/th/vi/tr/id/sw/pt-BR, full-width and mixed-width phones). BLIND figure (the
 * untouched engine, main 700f318): micro F1 0.860 (P 0.970, R 0.772; PERSON 0.786, LOCATION 0.674, ID 0.955, DATE
 * 0.909, PHONE 0.986, IP 0.857), 4 of 114 PII-free prompts with a false finding. After session 16's fixes: micro 0.913
 * (P 0.976, R 0.857; PERSON 0.855, LOCATION 0.875), still 4 of 114, read while the causes were fixed. Floors are set just
 * below the latest figure. */
static const double type_floor16[NT] = {0.99, 0.98, 0.99, 0.99, 0.85, 0.87, 0.95, 0.90, 0.85};

static int tix(const pol_pii_engine_t *e, int type)
{
    static const char *const map[][2] = {
        {"EMAIL_ADDRESS", "EMAIL"},
        {"PHONE_NUMBER", "PHONE"},
        {"IBAN_CODE", "IBAN"},
        {"DATE_TIME", "DATE"},
        {"IP_ADDRESS", "IP"},
        {"US_SSN", "ID"},
        {"UK_NHS", "ID"},
        /* a passport number is an identifier of the probes' ID (session 13: the engine's US_PASSPORT, found after
           "passport no.", was counted as a type the probes do not label) */
        {"US_PASSPORT", "ID"}};
    if (pol__national_type(type))
        return 6;
    const char *t = pol_pii_type_name(e, type);
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(t, map[i][0]) == 0)
            t = map[i][1];
    for (int i = 0; i < NT; i++)
        if (strcmp(types[i], t) == 0)
            return i;
    return -1;
}

static int tix_gold(const char *t)
{
    for (int i = 0; i < NT; i++)
        if (strcmp(types[i], t) == 0)
            return i;
    return -1;
}

#define NL 48

/* scores tests/data/pii/<file> and asserts the floors: type_floor per type, micro_floor, and at most neg_pct % of its
 * PII-free prompts with a false finding */
static void run_probe(const char *file, const double *type_floor, double micro_floor, long neg_pct)
{
    char path[256];
    snprintf(path, sizeof(path), "tests/data/pii/%s", file);
    print_message("%s\n", file);
    FILE *fp = ts_source_open(path);
    assert_non_null(fp);
    unsigned char key[32] = {0};
    char err[256];
    pol_pii_engine_t *e = pol_pii_engine_create(NULL, key, err, sizeof(err));
    assert_non_null(e);
    pol_pii_scratch_t *s = pol_pii_scratch_create(e);
    assert_non_null(s);
    long tp[NT] = {0}, fpos[NT] = {0}, gold[NT] = {0};
    char langs[NL][8] = {{0}};
    long ltp[NL] = {0}, lfp[NL] = {0}, lgold[NL] = {0};
    int nl = 0;
    long cases = 0, neg = 0, neg_fp = 0;
    int verbose = getenv("AIGW_PII_VERBOSE") != NULL;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, fp) > 0) {
        json_t *c = json_loads(line, 0, NULL);
        assert_non_null(c);
        json_t *jt = json_object_get(c, "text"), *ge = json_object_get(c, "entities");
        const char *lang = json_string_value(json_object_get(c, "lang"));
        assert_non_null(lang);
        int l = 0;
        while (l < nl && strcmp(langs[l], lang) != 0)
            l++;
        if (l == nl) {
            assert_true(nl < NL && strlen(lang) < sizeof(langs[0]));
            strcpy(langs[nl++], lang);
        }
        const char *text = json_string_value(jt);
        size_t len = json_string_length(jt);
        ts_pii_span_t pr[256];
        size_t np;
        assert_int_equal(ts_pii_spans(e, s, text, len, tix, pr, 256, &np), 0);
        int other = 0; /* findings of types this probe does not label (URL, SECRET, ...) */
        for (size_t p = 0; p < np; p++)
            if (pr[p].type < 0) {
                other = 1;
                if (verbose)
                    print_message("OTHER %s [%s]: %s", pol_pii_type_name(e, pr[p].engine_type), lang, line);
            }
        size_t ng = json_array_size(ge);
        for (size_t g = 0; g < ng; g++) {
            json_t *gi = json_array_get(ge, g);
            int t = tix_gold(json_string_value(json_object_get(gi, "type")));
            assert_true(t >= 0);
            gold[t]++, lgold[l]++;
            int hit = ts_pii_match_gold(pr, np, t, (long)json_integer_value(json_object_get(gi, "start")),
                                        (long)json_integer_value(json_object_get(gi, "end")));
            tp[t] += hit, ltp[l] += hit;
            if (!hit && verbose)
                print_message("FN %s [%s]: %s", types[t], lang, line);
        }
        int any_fp = 0;
        for (size_t p = 0; p < np; p++)
            if (!pr[p].matched && pr[p].type >= 0) {
                fpos[pr[p].type]++, lfp[l]++;
                any_fp = 1;
                if (verbose)
                    print_message("FP %s [%s] %ld-%ld: %s", types[pr[p].type], lang, pr[p].start, pr[p].end, line);
            }
        if (ng == 0) {
            any_fp |= other;
            neg++;
            neg_fp += any_fp;
        }
        cases++;
        json_decref(c);
    }
    free(line);
    fclose(fp);
    assert_true(cases >= 250);
    int failed = 0;
    long atp = 0, afp = 0, agold = 0;
    print_message("%-12s %6s %6s %6s %7s\n", "type", "gold", "tp", "fp", "F1");
    for (int t = 0; t < NT; t++) {
        double v = ts_f1(tp[t], fpos[t], gold[t]);
        print_message("%-12s %6ld %6ld %6ld %7.3f (floor %.2f)\n", types[t], gold[t], tp[t], fpos[t], v, type_floor[t]);
        failed |= gold[t] > 0 && v < type_floor[t];
        atp += tp[t], afp += fpos[t], agold += gold[t];
    }
    double micro = ts_f1(atp, afp, agold);
    print_message("%-12s %6ld %6ld %6ld %7.3f (floor %.2f)\n", "micro", agold, atp, afp, micro, micro_floor);
    failed |= micro < micro_floor;
    for (int l = 0; l < nl; l++)
        print_message("%s %.2f%s", langs[l], ts_f1(ltp[l], lfp[l], lgold[l]), l + 1 < nl ? "  " : "\n");
    print_message("PII-free prompts with a false finding: %ld/%ld (%.1f %%, limit %ld %%)\n", neg_fp, neg,
                  neg ? 100.0 * (double)neg_fp / (double)neg : 0.0, neg_pct);
    assert_false(failed);
    assert_true(neg_fp * 100 <= neg * neg_pct);
    pol_pii_scratch_free(s);
    pol_pii_engine_free(e);
}

static void test_probe10_floors(void **state)
{
    (void)state;
    run_probe("probe10.jsonl", type_floor10, 0.97, 3);
}

static void test_probe11_floors(void **state)
{
    (void)state;
    run_probe("probe11.jsonl", type_floor11, 0.96, 3);
}

static void test_probe12_floors(void **state)
{
    (void)state;
    run_probe("probe12.jsonl", type_floor12, 0.88, 3);
}

static void test_probe13_floors(void **state)
{
    (void)state;
    run_probe("probe13.jsonl", type_floor13, 0.92, 3);
}

static void test_probe14_floors(void **state)
{
    (void)state;
    run_probe("probe14.jsonl", type_floor14, 0.92, 12);
}

static void test_probe15_floors(void **state)
{
    (void)state;
    run_probe("probe15.jsonl", type_floor15, 0.95, 6);
}

static void test_probe16_floors(void **state)
{
    (void)state;
    run_probe("probe16.jsonl", type_floor16, 0.91, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_probe10_floors), cmocka_unit_test(test_probe11_floors),
                                       cmocka_unit_test(test_probe12_floors), cmocka_unit_test(test_probe13_floors),
                                       cmocka_unit_test(test_probe14_floors), cmocka_unit_test(test_probe15_floors),
                                       cmocka_unit_test(test_probe16_floors)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
