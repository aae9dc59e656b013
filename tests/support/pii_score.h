/*
 * Scoring a PII engine against a labelled JSONL corpus (tests/data/pii/: corpus.jsonl, multilingual.jsonl,
 * probe10.jsonl), score.py's matching rule: a gold span is found when a prediction of the same type overlaps at
 * least half of it; a prediction of its type that overlaps it without being taken is a fragment (neutral); any other
 * prediction is a false positive. Gold offsets count code points, the engine's bytes. Shared by test_pii_corpus.c,
 * test_pii_multilingual.c and test_pii_probe10.c, which each had their own copy. Plain C (aigw_testsupport).
 */
#ifndef AIGW_TESTS_PII_SCORE_H
#define AIGW_TESTS_PII_SCORE_H

#include <stddef.h>
#include <stdio.h>

#include "policy/pii/pii.h"

/** One finding of a scan, in code points of the scanned text. */
typedef struct {
    long start, end; /* [start, end) in code points */
    int type;        /* the test's type index (its map's answer), or -1 for a type it does not score */
    int engine_type; /* the engine's type id (pol_pii_type_name) */
    int matched;     /* 0 unmatched (a false positive when type >= 0), 1 found a gold span, 2 a fragment of one */
} ts_pii_span_t;

/**
 * Opens `$AIGW_SOURCE_DIR/rel` ("./rel" without the variable) for reading (ctest sets it to the source tree).
 * @return the stream (the caller closes it), or NULL when it cannot be opened or the path is over 1023 bytes.
 */
FILE *ts_source_open(const char *rel);

/**
 * Scans `text` (`len` bytes, borrowed) with `e` and `s` and writes its first `cap` findings to `out` in code points,
 * each typed by `map(e, engine_type)` (-1: a type the test does not score; kept, so the caller sees it).
 * @param np receives the number written. @return 0, or -1 when the scan fails.
 */
int ts_pii_spans(const pol_pii_engine_t *e, pol_pii_scratch_t *s, const char *text, size_t len,
                 int (*map)(const pol_pii_engine_t *e, int engine_type), ts_pii_span_t *out, size_t cap, size_t *np);

/**
 * Matches the gold span [gs, ge) (code points) of type `t` (>= 0) against `p` (`np` spans, in order): the first
 * unmatched span of type `t` that overlaps at least half of it is marked matched (1); spans of type `t` it overlaps
 * before that, too little or already taken, are marked fragments (2) unless matched already.
 * @return 1 when a span was matched (a true positive), 0 when the gold span was missed.
 */
int ts_pii_match_gold(ts_pii_span_t *p, size_t np, int t, long gs, long ge);

/** F1 of `tp` true and `fp` false positives against `gold` gold spans (precision or recall 1 on an empty side). */
double ts_f1(long tp, long fp, long gold);

#endif
