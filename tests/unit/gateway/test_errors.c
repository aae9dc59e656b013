/*
 * The request pipeline's error table (gateway/errors.h): every gw_err_t has a complete row, codes are unique per row
 * except where a row deliberately shares one (the two invalid_user fields), and statuses are error statuses. And the
 * one error vocabulary across modules (common/errors.h): every module's out-of-memory code is GW_E_INTERNAL, and every
 * module's codes are distinct from every other's.
 *
 * Distinct is checked by the compiler: module_code_name() switches over every module's error names, so two names with
 * one value are a "duplicate case value" compile error and this test (built by `make test`) does not build. The ctest
 * unit/errors-collision-probe builds this file again with AIGW_ERRORS_PROBE_COLLISION set to an existing code (one
 * more case label, as a module that numbered a new code like an old one would add) and passes only when that build
 * fails with "duplicate case value": the check can fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gateway/errors.h"
#include "common/json.h"
#include "common/limits.h"
#include "common/multipart.h"
#include "common/sse.h"
#include "gateway/canon.h"
#include "gateway/privacy.h"
#include "gateway/store/store.h"
#include "policy/imagemeta.h"
#include "policy/pricing.h"
#include "policy/ratelimit.h"
#include "policy/restore.h"
#include "providers/provider.h"

static void test_every_row_complete(void **state)
{
    for (int e = 0; e < GW_ERR_COUNT; e++) {
        const gw_error_def_t *d = gw_error_def((gw_err_t)e);
        assert_non_null(d);
        assert_true(d->status >= 400 && d->status <= 599);
        assert_non_null(d->type);
        assert_non_null(d->code);
        assert_non_null(d->message);
        assert_true(strncmp(d->message, "aigw", 4) == 0); /* aigw's own words, never a provider's */
    }
}

static void test_codes_distinct(void **state)
{
    for (int a = 0; a < GW_ERR_COUNT; a++)
        for (int b = a + 1; b < GW_ERR_COUNT; b++) {
            const gw_error_def_t *x = gw_error_def((gw_err_t)a), *y = gw_error_def((gw_err_t)b);
            if (strcmp(x->code, y->code) != 0)
                continue;
            /* one code, two places of the request: the field at fault tells them apart */
            assert_true(a == GW_ERR_INVALID_USER_HEADER && b == GW_ERR_INVALID_USER_BODY);
            assert_string_not_equal(x->param, y->param);
        }
}

static void test_pinned_rows(void **state)
{
    /* rows the integration tests and SDKs pin: status, type and code together */
    const gw_error_def_t *d = gw_error_def(GW_ERR_INVALID_API_KEY);
    assert_int_equal(d->status, 401);
    assert_string_equal(d->type, "invalid_request_error");
    assert_string_equal(d->code, "invalid_api_key");
    d = gw_error_def(GW_ERR_INSUFFICIENT_CREDITS);
    assert_int_equal(d->status, 402);
    assert_string_equal(d->type, "insufficient_quota");
    d = gw_error_def(GW_ERR_RATE_LIMITED);
    assert_int_equal(d->status, 429);
    assert_string_equal(d->code, "rate_limit_exceeded");
    d = gw_error_def(GW_ERR_UPSTREAM_TIMEOUT);
    assert_int_equal(d->status, 504);
    assert_string_equal(d->type, "server_error");
    /* out of range: the internal error row, never a crash */
    assert_ptr_equal(gw_error_def(GW_ERR_COUNT), gw_error_def(GW_ERR_INTERNAL));
    assert_ptr_equal(gw_error_def((gw_err_t)-1), gw_error_def(GW_ERR_INTERNAL));
}

static void test_status_of_codes(void **state)
{
    assert_int_equal(gw_error_status(GW_OK), 200);
    assert_int_equal(gw_error_status(GW_E_BAD_REQUEST), 400);
    assert_int_equal(gw_error_status(GW_E_CREDITS), 402);
    assert_int_equal(gw_error_status(GW_E_NOT_FOUND), 404);
    assert_int_equal(gw_error_status(GW_E_UNAVAILABLE), 503);
    assert_int_equal(gw_error_status(GW_E_INTERNAL), 500);
    assert_int_equal(gw_error_status(-1000), 500);
}

/* Each module's allocation failure is the one common code (it was -6, -4, -2 or -9 depending on the module, issue 15),
 * distinct from the module's other errors, and answered 500. */
/* Messages that state a size state the constant the check uses (common/limits.h), not a copied number. */
static void test_messages_state_the_limits(void **state)
{
    char want[64];
    snprintf(want, sizeof(want), "1..%d bytes", GW_USER_ID_MAX);
    assert_non_null(strstr(gw_error_def(GW_ERR_INVALID_USER_HEADER)->message, want));
    assert_non_null(strstr(gw_error_def(GW_ERR_INVALID_USER_BODY)->message, want));
    snprintf(want, sizeof(want), "1 to %d visible", GW_IDEMPOTENCY_KEY_MAX);
    assert_non_null(strstr(gw_error_def(GW_ERR_INVALID_IDEMPOTENCY_KEY)->message, want));
    (void)state;
}

static void test_out_of_memory_is_one_code(void **state)
{
    static const struct {
        const char *module;
        int nomem;
        int others[6];
    } mods[] = {
        {"json", GW_JSON_E_NOMEM, {GW_JSON_E_SYNTAX, GW_JSON_E_DEPTH, GW_JSON_E_UTF8, GW_JSON_E_EDIT, GW_JSON_E_DUPKEY}},
        {"sse", GW_SSE_E_NOMEM, {GW_SSE_E_TOO_BIG, GW_SSE_E_TRUNCATED}},
        {"multipart", GW_MULTIPART_E_NOMEM, {GW_MULTIPART_E_SYNTAX, GW_MULTIPART_E_LIMIT, GW_MULTIPART_E_BOUNDARY}},
        {"imagemeta",
         POL_IMAGEMETA_E_NOMEM,
         {POL_IMAGEMETA_E_CORRUPT, POL_IMAGEMETA_E_UNSUPPORTED, POL_IMAGEMETA_E_BASE64, POL_IMAGEMETA_E_DATA_URI}},
        {"ratelimit", POL_RATELIMIT_E_NOMEM, {POL_RATELIMIT_E_TOO_BIG}},
        /* restore also passes on the JSON and SSE errors of the stream it parses */
        {"restore", POL_RESTORE_E_NOMEM, {POL_RESTORE_E_HOLD, GW_SSE_E_TOO_BIG, GW_JSON_E_SYNTAX, GW_JSON_E_DEPTH, GW_JSON_E_UTF8}},
        {"canon",
         GW_CANON_E_NOMEM,
         {GW_CANON_E_SYNTAX, GW_CANON_E_SLASH, GW_CANON_E_CONTROL, GW_CANON_E_ESCAPE, GW_CANON_E_LENGTH}},
        {"store", GW_STORE_E_NOMEM, {0}},
    };
    for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
        if (mods[i].nomem != GW_E_INTERNAL)
            fail_msg("%s: out of memory is %d, not GW_E_INTERNAL (%d)", mods[i].module, mods[i].nomem, GW_E_INTERNAL);
        for (size_t j = 0; j < sizeof(mods[i].others) / sizeof(mods[i].others[0]); j++)
            if (mods[i].others[j] == mods[i].nomem)
                fail_msg("%s: error %zu has the out-of-memory code", mods[i].module, j);
    }
    assert_int_equal(gw_error_status(GW_E_INTERNAL), 500);
    (void)state;
}

/* Every module error by its module's name; a switch, so a collision does not compile (see the file comment). The
 * store's codes are aliases of the generic codes by design (GW_STORE_E_DB is GW_E_INTERNAL) and are not listed twice. */
static const char *module_code_name(int code)
{
    switch (code) {
    case GW_OK:
        return "GW_OK";
    case GW_E_BAD_REQUEST: /* also GW_STORE_E_INVAL */
        return "GW_E_BAD_REQUEST";
    case GW_E_CREDITS:
        return "GW_E_CREDITS";
    case GW_E_NOT_FOUND: /* also GW_STORE_E_NOTFOUND */
        return "GW_E_NOT_FOUND";
    case GW_E_INTERNAL: /* every *_E_NOMEM, GW_STORE_E_DB / CRYPTO / NOMEM / WRITE */
        return "GW_E_INTERNAL";
    case GW_E_UNAVAILABLE: /* GW_STORE_E_FULL, GW_STORE_E_CLOSED */
        return "GW_E_UNAVAILABLE";
    case GW_JSON_E_SYNTAX:
        return "GW_JSON_E_SYNTAX";
    case GW_JSON_E_DEPTH:
        return "GW_JSON_E_DEPTH";
    case GW_JSON_E_UTF8:
        return "GW_JSON_E_UTF8";
    case GW_JSON_E_EDIT:
        return "GW_JSON_E_EDIT";
    case GW_JSON_E_DUPKEY:
        return "GW_JSON_E_DUPKEY";
    case GW_SSE_E_TOO_BIG:
        return "GW_SSE_E_TOO_BIG";
    case GW_SSE_E_TRUNCATED:
        return "GW_SSE_E_TRUNCATED";
    case GW_MULTIPART_E_SYNTAX:
        return "GW_MULTIPART_E_SYNTAX";
    case GW_MULTIPART_E_LIMIT:
        return "GW_MULTIPART_E_LIMIT";
    case GW_MULTIPART_E_BOUNDARY:
        return "GW_MULTIPART_E_BOUNDARY";
    case POL_IMAGEMETA_E_CORRUPT:
        return "POL_IMAGEMETA_E_CORRUPT";
    case POL_IMAGEMETA_E_UNSUPPORTED:
        return "POL_IMAGEMETA_E_UNSUPPORTED";
    case POL_IMAGEMETA_E_BASE64:
        return "POL_IMAGEMETA_E_BASE64";
    case POL_IMAGEMETA_E_DATA_URI:
        return "POL_IMAGEMETA_E_DATA_URI";
    case POL_RATELIMIT_E_TOO_BIG:
        return "POL_RATELIMIT_E_TOO_BIG";
    case POL_PRICING_E_OVERFLOW:
        return "POL_PRICING_E_OVERFLOW";
    case POL_RESTORE_E_HOLD:
        return "POL_RESTORE_E_HOLD";
    case PROV_E_PARSE:
        return "PROV_E_PARSE";
    case PROV_E_TARGET:
        return "PROV_E_TARGET";
    case GW_CANON_E_SYNTAX:
        return "GW_CANON_E_SYNTAX";
    case GW_CANON_E_SLASH:
        return "GW_CANON_E_SLASH";
    case GW_CANON_E_CONTROL:
        return "GW_CANON_E_CONTROL";
    case GW_CANON_E_ESCAPE:
        return "GW_CANON_E_ESCAPE";
    case GW_CANON_E_LENGTH:
        return "GW_CANON_E_LENGTH";
    case GW_PRIVACY_E_REFUSED:
        return "GW_PRIVACY_E_REFUSED";
#ifdef AIGW_ERRORS_PROBE_COLLISION
    case AIGW_ERRORS_PROBE_COLLISION: /* the probe: a new code numbered like an existing one */
        return "probe";
#endif
    }
    return NULL;
}

/* The module codes (all but OK) are negative, named by the switch above, and each has its own gw_strerror text;
 * gw_strerror has a text for every code and "unknown error" for anything else (a module's private -1 is GW_E_BAD_REQUEST:
 * that is what it reads as in a log). */
static void test_module_codes_distinct(void **state)
{
    static const int codes[] = {GW_E_BAD_REQUEST,
                                GW_E_CREDITS,
                                GW_E_NOT_FOUND,
                                GW_E_INTERNAL,
                                GW_E_UNAVAILABLE,
                                GW_JSON_E_SYNTAX,
                                GW_JSON_E_DEPTH,
                                GW_JSON_E_UTF8,
                                GW_JSON_E_EDIT,
                                GW_JSON_E_DUPKEY,
                                GW_SSE_E_TOO_BIG,
                                GW_SSE_E_TRUNCATED,
                                GW_MULTIPART_E_SYNTAX,
                                GW_MULTIPART_E_LIMIT,
                                GW_MULTIPART_E_BOUNDARY,
                                POL_IMAGEMETA_E_CORRUPT,
                                POL_IMAGEMETA_E_UNSUPPORTED,
                                POL_IMAGEMETA_E_BASE64,
                                POL_IMAGEMETA_E_DATA_URI,
                                POL_RATELIMIT_E_TOO_BIG,
                                POL_PRICING_E_OVERFLOW,
                                POL_RESTORE_E_HOLD,
                                PROV_E_PARSE,
                                PROV_E_TARGET,
                                GW_CANON_E_SYNTAX,
                                GW_CANON_E_SLASH,
                                GW_CANON_E_CONTROL,
                                GW_CANON_E_ESCAPE,
                                GW_CANON_E_LENGTH,
                                GW_PRIVACY_E_REFUSED};
    size_t n = sizeof(codes) / sizeof(codes[0]);
    for (size_t i = 0; i < n; i++) {
        assert_true(codes[i] < 0);
        assert_non_null(module_code_name(codes[i]));
        const char *s = gw_strerror(codes[i]);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown error");
        for (size_t j = i + 1; j < n; j++) {
            if (codes[i] == codes[j])
                fail_msg("%s and %s are both %d", module_code_name(codes[i]), module_code_name(codes[j]), codes[i]);
            assert_string_not_equal(s, gw_strerror(codes[j]));
        }
    }
    assert_string_equal(gw_strerror(GW_OK), "ok");
    assert_string_equal(gw_strerror(GW_E_INTERNAL), "internal error (allocation failure or bug)");
    assert_string_equal(gw_strerror(GW_JSON_E_SYNTAX), "json: syntax error");
    assert_string_equal(gw_strerror(-2), "unknown error");
    assert_string_equal(gw_strerror(1), "unknown error");
    assert_string_equal(gw_strerror(-1000), "unknown error");
    assert_null(module_code_name(-2));
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_complete),
        cmocka_unit_test(test_codes_distinct),
        cmocka_unit_test(test_pinned_rows),
        cmocka_unit_test(test_status_of_codes),
        cmocka_unit_test(test_out_of_memory_is_one_code),
        cmocka_unit_test(test_messages_state_the_limits),
        cmocka_unit_test(test_module_codes_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
