/*
 * Reservation estimate and settlement arithmetic (see meter.h).
 *
 * Why bytes / 2 for input tokens: BPE tokenizers (tiktoken o200k, SentencePiece, Claude's)
 * average about 4 bytes of English per token, and the request's JSON framing (keys, quotes,
 * roles) is counted in the bytes but not billed. The dense cases come close to 2: CJK text is
 * 3 bytes per character at about 1-1.5 tokens per character, digits and punctuation runs 1-3
 * bytes per token. bytes / 2 is therefore an upper bound for real text; pathological inputs
 * (random single-byte symbols) can exceed it, which the settlement catches (charged in full,
 * flagged). Operators who meter such traffic set credits.input_bytes_per_token to 1.
 *
 * The estimate uses the highest rate of each side of the entry (input vs cache write vs image
 * input; output vs image output) because the request does not say which one the provider
 * will apply. Nothing here allocates: the estimate is on the hot path of every request.
 */
#include "policy/meter.h"

#include <stdio.h>
#include <string.h>

#define MTOK INT64_C(1000000)

static int64_t max3(int64_t a, int64_t b, int64_t c)
{
    int64_t m = a > b ? a : b;
    return m > c ? m : c;
}

static int muladd(int64_t *acc, int64_t a, int64_t b)
{
    int64_t p;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &p))
        return -1;
    return __builtin_add_overflow(*acc, p, acc) ? -1 : 0;
}

int pol_meter_estimate(const pol_price_t *p, const pol_meter_conf_t *conf, const pol_meter_request_t *req, uint32_t markup_permille,
                       int64_t *out)
{
    int bad = 0;
    int64_t exact = 0, whole = 0;
    int64_t bpt = conf->input_bytes_per_token > 0 ? conf->input_bytes_per_token : 1;
    int64_t in_tok = (int64_t)(req->text_bytes / (uint64_t)bpt) + (req->text_bytes % (uint64_t)bpt != 0);
    bad |= muladd(&in_tok, req->input_images > 0 ? req->input_images : 0, conf->image_input_tokens);
    int64_t in_rate = max3(p->input_per_mtok, p->cache_write_per_mtok, p->cache_write_1h_per_mtok);
    if (p->input_image_per_mtok > in_rate)
        in_rate = p->input_image_per_mtok;
    bad |= muladd(&exact, in_tok, in_rate);

    int64_t out_tok = req->max_tokens >= 0       ? req->max_tokens
                      : p->max_output_tokens > 0 ? p->max_output_tokens
                                                 : conf->default_max_output_tokens;
    if (req->thinking_tokens > 0 && __builtin_add_overflow(out_tok, req->thinking_tokens, &out_tok))
        bad = -1;
    int64_t out_rate = p->output_per_mtok > p->output_image_per_mtok ? p->output_per_mtok : p->output_image_per_mtok;
    bad |= muladd(&exact, out_tok, out_rate);

    int64_t n = req->n_images > 0 ? req->n_images : 0;
    if (n > 0) {
        int64_t ip = pol_pricing_image_price(p, req->size, req->quality);
        if (ip > 0)
            bad |= muladd(&whole, n, ip);
    }
    if (p->per_second > 0)
        bad |= muladd(&exact, conf->max_seconds * MTOK, p->per_second);
    if (p->per_unit > 0) {
        int64_t units = 0;
        bad |= muladd(&units, n > 0 ? n : 1, conf->max_units_per_image);
        bad |= muladd(&whole, units, p->per_unit);
    }
    bad |= muladd(&whole, conf->max_web_searches, p->per_web_search);
    bad |= muladd(&whole, 1, p->per_request);
    bad |= muladd(&exact, whole, MTOK);
    if (bad)
        return POL_PRICING_E_OVERFLOW;
    return pol_pricing_markup(exact / MTOK + (exact % MTOK != 0), markup_permille, out);
}

void pol_meter_settle(int64_t reserved, int64_t actual, pol_meter_settlement_t *out)
{
    if (reserved < 0)
        reserved = 0;
    if (actual < 0)
        actual = 0;
    out->charge = actual;
    out->refund = reserved > actual ? reserved - actual : 0;
    out->overrun = actual > reserved ? actual - reserved : 0;
    out->flagged = out->overrun > 0;
}

static const struct {
    const char *key;
    size_t off;
    int64_t def, min, max;
} conf_keys[] = {
    {"default_grant", offsetof(pol_meter_conf_t, default_grant_microcredits), 0, 0, INT64_C(1000000000000000)},
    {"input_bytes_per_token", offsetof(pol_meter_conf_t, input_bytes_per_token), 2, 1, 16},
    {"default_max_output_tokens", offsetof(pol_meter_conf_t, default_max_output_tokens), 32768, 1, 10000000},
    {"image_input_tokens", offsetof(pol_meter_conf_t, image_input_tokens), 3000, 0, 1000000},
    {"max_seconds", offsetof(pol_meter_conf_t, max_seconds), 300, 1, 86400},
    {"max_units_per_image", offsetof(pol_meter_conf_t, max_units_per_image), 4, 0, 1000000},
    {"max_web_searches", offsetof(pol_meter_conf_t, max_web_searches), 10, 0, 10000},
    {"lease_calls", offsetof(pol_meter_conf_t, lease_calls), 32, 0, 100000},
    {"lease_min_calls", offsetof(pol_meter_conf_t, lease_min_calls), 20, 1, 1000000},
    {"lease_idle_ms", offsetof(pol_meter_conf_t, lease_idle_ms), 5000, 100, 3600000},
    {"lease_ttl_ms", offsetof(pol_meter_conf_t, lease_ttl_ms), 30000, 1000, 86400000},
};

int pol_meter_conf_parse(const json_t *credits, pol_meter_conf_t *conf, char *err, size_t errlen)
{
    size_t nk = sizeof(conf_keys) / sizeof(conf_keys[0]);
    for (size_t i = 0; i < nk; i++)
        *(int64_t *)((char *)conf + conf_keys[i].off) = conf_keys[i].def;
    if (credits == NULL || json_is_null(credits))
        return 0;
    if (!json_is_object(credits)) {
        snprintf(err, errlen, "credits: expected an object");
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)credits, k, v)
    {
        size_t i;
        for (i = 0; i < nk; i++)
            if (strcmp(k, conf_keys[i].key) == 0)
                break;
        if (i == nk) {
            snprintf(err, errlen,
                     "credits.%s: unknown key (expected default_grant, input_bytes_per_token, default_max_output_tokens, "
                     "image_input_tokens, max_seconds, max_units_per_image, max_web_searches, lease_calls, "
                     "lease_min_calls, lease_idle_ms, lease_ttl_ms)",
                     k);
            return -1;
        }
        if (!json_is_integer(v) || json_integer_value(v) < conf_keys[i].min || json_integer_value(v) > conf_keys[i].max) {
            snprintf(err, errlen, "credits.%s: expected an integer from %lld to %lld", k, (long long)conf_keys[i].min,
                     (long long)conf_keys[i].max);
            return -1;
        }
        *(int64_t *)((char *)conf + conf_keys[i].off) = json_integer_value(v);
    }
    if (conf->lease_calls > 0 && conf->lease_ttl_ms <= conf->lease_idle_ms) {
        snprintf(err, errlen, "credits.lease_ttl_ms: must be longer than lease_idle_ms (%lld ms)", (long long)conf->lease_idle_ms);
        return -1;
    }
    return 0;
}

int64_t pol_meter_tokens_estimate(uint64_t bytes)
{
    uint64_t t = bytes / POL_METER_ESTIMATE_BYTES_PER_TOKEN + (bytes % POL_METER_ESTIMATE_BYTES_PER_TOKEN != 0);
    return t > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)t;
}

void pol_meter_cut_usage(prov_usage_t *u, uint64_t request_bytes, uint64_t delivered_text_bytes)
{
    uint32_t input_bits = PROV_USAGE_BIT(PROV_USAGE_INPUT_TOKENS) | PROV_USAGE_BIT(PROV_USAGE_INPUT_TEXT_TOKENS) |
                          PROV_USAGE_BIT(PROV_USAGE_INPUT_IMAGE_TOKENS);
    if ((u->has & input_bits) == 0)
        prov__usage_set_int(u, PROV_USAGE_INPUT_TOKENS, pol_meter_tokens_estimate(request_bytes));
    int64_t out = pol_meter_tokens_estimate(delivered_text_bytes);
    int64_t reported = (u->has & PROV_USAGE_BIT(PROV_USAGE_OUTPUT_TOKENS)) ? u->output_tokens : 0;
    if (out > reported)
        prov__usage_set_int(u, PROV_USAGE_OUTPUT_TOKENS, out);
}

/* digits of s into *v (v = v * 10 + d, overflow-checked); returns the first non-digit */
static const char *digits(const char *s, uint64_t *v, int *n, int *bad)
{
    for (; *s >= '0' && *s <= '9'; s++, (*n)++) {
        if (*v > (UINT64_MAX - 9) / 10)
            *bad = 1;
        else
            *v = *v * 10 + (uint64_t)(*s - '0');
    }
    return s;
}

static int signed_result(int neg, uint64_t v, int64_t *out)
{
    if (v > (uint64_t)INT64_MAX)
        return -1;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

int pol_meter_parse_microcredits(const char *s, int64_t *out)
{
    int neg = *s == '-', n = 0, bad = 0;
    uint64_t v = 0;
    if (*s == '-' || *s == '+')
        s++;
    s = digits(s, &v, &n, &bad);
    if (n == 0 || bad || *s != '\0')
        return -1;
    return signed_result(neg, v, out);
}

int pol_meter_parse_credits(const char *s, int64_t *microcredits)
{
    int neg = *s == '-', n = 0, nf = 0, bad = 0;
    uint64_t whole = 0, frac = 0;
    if (*s == '-' || *s == '+')
        s++;
    s = digits(s, &whole, &n, &bad);
    if (*s == '.') {
        s = digits(s + 1, &frac, &nf, &bad);
        if (nf == 0 || nf > 6)
            return -1;
    }
    if ((n == 0 && nf == 0) || bad || *s != '\0' || whole > (uint64_t)INT64_MAX / 1000000)
        return -1;
    for (int i = nf; i < 6; i++)
        frac *= 10;
    return signed_result(neg, whole * 1000000 + frac, microcredits);
}
