/*
 * Price table and call cost (see pricing.h).
 *
 * The table is a flat array: config entries first, then the shipped defaults, each with its
 * count of literal (non-wildcard) characters. A lookup runs fnmatch over the array (about 40
 * entries, a few hundred ns) and keeps the best: config beats defaults, then more literal
 * characters beat fewer ("openai/gpt-4o-mini*" beats "openai/gpt-4o*"), then the earlier entry;
 * the config key "*" is consulted last, as the fallback price. fnmatch runs only on the entries whose
 * literal start (the bytes before the first wildcard) the name has: it was 6k instructions of a
 * metered call's 8.6k on the worker (docs/BENCHMARKS.md, "Issue 12, session 5").
 *
 * Money is int64 micro-credits. Token parts are tokens × price-per-million, summed exactly (in
 * units of 10^-6 micro-credits) and divided once, rounding up; seconds and billable units
 * (doubles from the provider) are first converted to whole micro-seconds / micro-units rounding
 * up, so they join the same exact sum. Every multiplication and addition is checked with the
 * compiler's overflow builtins: a cost that does not fit is an error, never a wrapped number.
 *
 * Shipped prices. 1 credit = 1 USD (as in DESIGN.md's config example: gpt-4o-mini input
 * 150000 micro-credits = $0.15 per 1M tokens). Sources were read on 2026-06 through the
 * project's search tool (no direct internet on this machine); each entry names its page. An
 * entry marked UNCONFIRMED could not be checked against the vendor's own page: verify it before
 * billing real money, or override it in config "pricing".
 */
#include "policy/pricing.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MTOK INT64_C(1000000)

typedef struct st_entry_t {
    pol_price_t price;
    int from_config;
    int literal;   /* literal characters in the pattern: the specificity */
    size_t prefix; /* bytes before the pattern's first * ? [ or \: a name that does not start with them cannot match */
} entry_t;

struct st_pol_pricing_t {
    entry_t *e;
    size_t n;
    int has_fallback;
    pol_price_t fallback;
};

/* ---- shipped defaults ---- */

typedef struct st_default_t {
    const char *pattern;
    int64_t in, cached, cw, cw1h, out, in_img, out_img, per_image, per_second, per_request, max_out;
    const char *images; /* "key=price,key=price" or NULL */
} default_t;

#define NA (-1) /* "not set": resolved to the fallback field */

/* clang-format off */
static const default_t defaults[] = {
    /* OpenAI: platform.openai.com/docs/pricing (standard tier), as quoted by
     * chatgptpricing-akr.pages.dev/api-pricing and tokenmath.io (checked 2026-06-21). */
    {"openai/gpt-4o-mini*", 150000, 75000, NA, NA, 600000, NA, NA, NA, 0, 0, 16384, NULL},
    {"openai/gpt-4o*", 2500000, 1250000, NA, NA, 10000000, NA, NA, NA, 0, 0, 16384, NULL},
    {"openai/gpt-4.1-nano*", 100000, 25000, NA, NA, 400000, NA, NA, NA, 0, 0, 32768, NULL},
    {"openai/gpt-4.1-mini*", 400000, 100000, NA, NA, 1600000, NA, NA, NA, 0, 0, 32768, NULL},
    {"openai/gpt-4.1*", 2000000, 500000, NA, NA, 8000000, NA, NA, NA, 0, 0, 32768, NULL},
    /* o3-mini / o4-mini: $1.10 in, $0.55 cached (o4-mini: $0.275), $4.40 out. The cached price
     * of o3-mini is UNCONFIRMED (one page quotes a later $0.50/$2.00 cut); 100k output cap. */
    {"openai/o4-mini*", 1100000, 275000, NA, NA, 4400000, NA, NA, NA, 0, 0, 100000, NULL},
    {"openai/o3-mini*", 1100000, 550000, NA, NA, 4400000, NA, NA, NA, 0, 0, 100000, NULL},
    {"openai/text-embedding-3-small*", 20000, NA, NA, NA, 0, NA, NA, NA, 0, 0, 0, NULL},
    {"openai/text-embedding-3-large*", 130000, NA, NA, NA, 0, NA, NA, NA, 0, 0, 0, NULL},
    /* dall-e-3 per image by size/quality ($0.04 / $0.08 standard, $0.08 / $0.12 hd):
     * platform.openai.com/docs/pricing, image generation table; UNCONFIRMED in this session
     * (long-standing published figures, not re-read). */
    {"openai/dall-e-3*", 0, NA, NA, NA, 0, NA, NA, 80000, 0, 0, 0,
     "1024x1024/standard=40000,1024x1792/standard=80000,1792x1024/standard=80000,"
     "1024x1024/hd=80000,1024x1792/hd=120000,1792x1024/hd=120000,1024x1024=40000,*=120000"},
    /* gpt-image-1: text input $5, image input $10, image output $40 per 1M tokens
     * (platform.openai.com/docs/pricing; UNCONFIRMED in this session). */
    {"openai/gpt-image-1*", 5000000, 1250000, NA, NA, 40000000, 10000000, 40000000, NA, 0, 0, 6240, NULL},

    /* Anthropic: platform.claude.com/docs/en/about-claude/pricing (read 2026-06 via search):
     * 5m cache write = 1.25 × input, 1h write = 2 × input, cache read = 0.1 × input. */
    {"anthropic/claude-opus-4-0*", 15000000, 1500000, 18750000, 30000000, 75000000, NA, NA, NA, 0, 0, 32000, NULL},
    {"anthropic/claude-opus-4-1*", 15000000, 1500000, 18750000, 30000000, 75000000, NA, NA, NA, 0, 0, 32000, NULL},
    {"anthropic/claude-opus-4-2025*", 15000000, 1500000, 18750000, 30000000, 75000000, NA, NA, NA, 0, 0, 32000, NULL},
    {"anthropic/claude-opus-4*", 5000000, 500000, 6250000, 10000000, 25000000, NA, NA, NA, 0, 0, 64000, NULL},
    {"anthropic/claude-3-opus*", 15000000, 1500000, 18750000, 30000000, 75000000, NA, NA, NA, 0, 0, 4096, NULL},
    {"anthropic/claude-sonnet-*", 3000000, 300000, 3750000, 6000000, 15000000, NA, NA, NA, 0, 0, 64000, NULL},
    {"anthropic/claude-3-*sonnet*", 3000000, 300000, 3750000, 6000000, 15000000, NA, NA, NA, 0, 0, 8192, NULL},
    {"anthropic/claude-3-5-haiku*", 800000, 80000, 1000000, 1600000, 4000000, NA, NA, NA, 0, 0, 8192, NULL},
    {"anthropic/claude-haiku-4*", 1000000, 100000, 1250000, 2000000, 5000000, NA, NA, NA, 0, 0, 64000, NULL},

    /* Gemini (paid tier): ai.google.dev/gemini-api/docs/pricing as quoted by
     * vercel.com/ai-gateway/models/gemini-2.5-flash ($0.30 / $2.50) and the gemini-cost crate
     * (2.5 Pro $1.25 / $10 up to 200k prompt tokens; the >200k tier, $2.50 / $15, is billed
     * here at the higher rate only if configured: UNCONFIRMED and not modelled). Cached input
     * $0.075 (flash) / $0.31 (pro): UNCONFIRMED. Image output $30 per 1M tokens
     * (gemini-2.5-flash-image): UNCONFIRMED. Imagen 4: $0.04 per image: UNCONFIRMED. */
    {"gemini/gemini-2.5-flash-lite*", 100000, 25000, NA, NA, 400000, NA, NA, NA, 0, 0, 65536, NULL},
    {"gemini/gemini-2.5-flash-image*", 300000, 75000, NA, NA, 2500000, NA, 30000000, NA, 0, 0, 32768, NULL},
    {"gemini/gemini-2.5-flash*", 300000, 75000, NA, NA, 2500000, NA, NA, NA, 0, 0, 65536, NULL},
    {"gemini/gemini-2.5-pro*", 1250000, 310000, NA, NA, 10000000, NA, NA, NA, 0, 0, 65536, NULL},
    {"gemini/imagen-4*", 0, NA, NA, NA, 0, NA, NA, 40000, 0, 0, 0, NULL},

    /* DeepSeek: api-docs.deepseek.com/quick_start/pricing-details-usd (read via search): chat
     * $0.27 miss / $0.07 hit / $1.10 out, 8K output; reasoner $0.55 / $0.14 / $2.19, 32K CoT +
     * 8K answer. DeepSeek has changed these several times: verify before billing. */
    {"deepseek/deepseek-chat*", 270000, 70000, NA, NA, 1100000, NA, NA, NA, 0, 0, 8192, NULL},
    {"deepseek/deepseek-reasoner*", 550000, 140000, NA, NA, 2190000, NA, NA, NA, 0, 0, 65536, NULL},

    /* Fireworks serverless (fireworks.ai/pricing, size tiers: 4B-16B params $0.20, > 16B
     * $0.90 per 1M tokens in and out): UNCONFIRMED in this session; examples only. */
    {"fireworks/accounts/fireworks/models/llama-v3p1-8b*", 200000, NA, NA, NA, 200000, NA, NA, NA, 0, 0, 16384, NULL},
    {"fireworks/accounts/fireworks/models/llama-v3p1-70b*", 900000, NA, NA, NA, 900000, NA, NA, NA, 0, 0, 16384, NULL},

    /* OpenRouter passes the upstream price through (usage.cost); examples priced like the
     * upstream models above. */
    {"openrouter/openai/gpt-4o-mini*", 150000, 75000, NA, NA, 600000, NA, NA, NA, 0, 0, 16384, NULL},
    {"openrouter/anthropic/claude-sonnet-4*", 3000000, 300000, 3750000, 6000000, 15000000, NA, NA, NA, 0, 0, 64000, NULL},

    /* Replicate: hardware-priced models bill predict_time; Nvidia A100 80GB $0.0014/s
     * (replicate.com/pricing; UNCONFIRMED in this session; the DESIGN.md example uses the
     * same figure). flux-schnell is priced per output image, $0.003 (UNCONFIRMED). */
    {"replicate/black-forest-labs/flux-schnell*", 0, NA, NA, NA, 0, NA, NA, 3000, 0, 0, 0, NULL},
    {"replicate/*", 0, NA, NA, NA, 0, NA, NA, NA, 1400, 0, 0, NULL},

    /* fal: flux/schnell $0.003 per megapixel, flux/dev $0.025 per megapixel, billed in the
     * x-fal-billable-units header (fal.ai/pricing; UNCONFIRMED in this session). */
    {"fal/fal-ai/flux/schnell*", 0, NA, NA, NA, 0, NA, NA, NA, 0, 0, 0, "unit=3000"},
    {"fal/fal-ai/flux/dev*", 0, NA, NA, NA, 0, NA, NA, NA, 0, 0, 0, "unit=25000"},
};
/* clang-format on */

/* ---- arithmetic ---- */

static int add64(int64_t *acc, int64_t v)
{
    return __builtin_add_overflow(*acc, v, acc) ? -1 : 0;
}

/* *acc += a × b, checked. */
static int muladd(int64_t *acc, int64_t a, int64_t b)
{
    int64_t p;
    if (__builtin_mul_overflow(a, b, &p))
        return -1;
    return add64(acc, p);
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return a / b + (a % b != 0);
}

/* A provider's seconds / units (finite, >= 0) in millionths, rounded up; -1 if out of range. */
static int64_t to_micro(double v)
{
    if (!(v >= 0) || v > 9e12)
        return -1;
    return (int64_t)ceil(v * 1e6);
}

int pol_pricing_markup(int64_t amount, uint32_t markup_permille, int64_t *out)
{
    if (markup_permille == 0 || markup_permille == 1000) {
        *out = amount;
        return 0;
    }
    int64_t p;
    if (__builtin_mul_overflow(amount, (int64_t)markup_permille, &p))
        return POL_PRICING_E_OVERFLOW;
    *out = ceil_div(p, 1000);
    return 0;
}

int pol_pricing_markup_permille(const json_t *v, uint32_t *out)
{
    if (v == NULL) {
        *out = 1000;
        return 0;
    }
    if (!json_is_number(v))
        return -1;
    double f = json_number_value(v);
    if (!(f >= 0.001 && f <= 1000))
        return -1;
    /* 1e-9 absorbs binary representation error (1.2 * 1000 = 1200.0000000000002). */
    *out = (uint32_t)ceil(f * 1000 - 1e-9);
    return 0;
}

/* ---- images ---- */

int64_t pol_pricing_image_price(const pol_price_t *p, const char *size, const char *quality)
{
    if (p->nimages == 0)
        return p->per_image;
    if (size == NULL) {
        int64_t best = p->per_image;
        for (size_t i = 0; i < p->nimages; i++)
            if (p->images[i].microcredits > best)
                best = p->images[i].microcredits;
        return best;
    }
    char k[80];
    if (size[0] != '\0' && quality != NULL && quality[0] != '\0') {
        snprintf(k, sizeof(k), "%s/%s", size, quality);
        for (size_t i = 0; i < p->nimages; i++)
            if (strcmp(p->images[i].key, k) == 0)
                return p->images[i].microcredits;
    }
    for (size_t i = 0; i < p->nimages; i++)
        if (strcmp(p->images[i].key, size) == 0)
            return p->images[i].microcredits;
    for (size_t i = 0; i < p->nimages; i++)
        if (strcmp(p->images[i].key, "*") == 0)
            return p->images[i].microcredits;
    return p->per_image;
}

/* ---- cost ---- */

void pol_pricing_fill_from_request(prov_usage_t *u, const char *size, const char *quality)
{
    if ((u->has & PROV_USAGE_BIT(PROV_USAGE_SIZE)) == 0 && size != NULL && size[0] != '\0' && strcmp(size, "auto") != 0)
        prov__usage_set_string(u, PROV_USAGE_SIZE, size, strlen(size));
    if ((u->has & PROV_USAGE_BIT(PROV_USAGE_QUALITY)) == 0 && quality != NULL && quality[0] != '\0' && strcmp(quality, "auto") != 0)
        prov__usage_set_string(u, PROV_USAGE_QUALITY, quality, strlen(quality));
}

#define HAS(u, f) (((u)->has & PROV_USAGE_BIT(PROV_USAGE_##f)) != 0)

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int pol_pricing_cost(const pol_price_t *p, const prov_usage_t *u, uint32_t markup_permille, int64_t *out)
{
    int64_t exact = 0; /* 10^-6 micro-credits */
    int bad = 0;

    /* Input: one total, split into cached / image / text parts that never overlap. */
    int64_t in_total = HAS(u, INPUT_TOKENS) ? u->input_tokens : u->input_text_tokens + u->input_image_tokens;
    int64_t cached = HAS(u, CACHED_INPUT_TOKENS) ? u->cached_input_tokens : HAS(u, CACHE_HIT_TOKENS) ? u->cache_hit_tokens : 0;
    cached = clamp(cached, 0, in_total);
    int64_t img_in = clamp(u->input_image_tokens, 0, in_total - cached);
    int64_t text_in = in_total - cached - img_in;
    bad |= muladd(&exact, text_in, p->input_per_mtok);
    bad |= muladd(&exact, cached, p->cached_input_per_mtok);
    bad |= muladd(&exact, img_in, p->input_image_per_mtok);
    bad |= muladd(&exact, u->tool_input_tokens, p->input_per_mtok);
    /* Anthropic: cache reads and writes are outside input_tokens. */
    bad |= muladd(&exact, u->cache_read_tokens, p->cached_input_per_mtok);
    int64_t w5 = u->cache_write_5m_tokens, w1 = u->cache_write_1h_tokens;
    int64_t wrest = clamp(u->cache_write_tokens - w5 - w1, 0, INT64_MAX);
    bad |= muladd(&exact, w5, p->cache_write_per_mtok);
    bad |= muladd(&exact, wrest, p->cache_write_per_mtok);
    bad |= muladd(&exact, w1, p->cache_write_1h_per_mtok);

    /* Output: reasoning is inside output_tokens, Gemini's thoughts are added by the helper. */
    int64_t out_total = (HAS(u, OUTPUT_TOKENS) || HAS(u, THOUGHTS_TOKENS)) ? prov_usage_billed_output_tokens(u)
                                                                           : u->output_text_tokens + u->output_image_tokens;
    int64_t img_out = clamp(u->output_image_tokens, 0, out_total);
    bad |= muladd(&exact, out_total - img_out, p->output_per_mtok);
    bad |= muladd(&exact, img_out, p->output_image_per_mtok);

    /* Compute time and units (doubles from the provider, converted rounding up). */
    double secs = HAS(u, PREDICT_TIME_S) ? u->predict_time_s : HAS(u, INFERENCE_TIME_S) ? u->inference_time_s : 0;
    if (p->per_second > 0 && secs > 0) {
        int64_t us = to_micro(secs);
        bad |= us < 0 ? -1 : muladd(&exact, us, p->per_second);
    }
    if (p->per_unit > 0 && HAS(u, BILLABLE_UNITS)) {
        int64_t mu = to_micro(u->billable_units);
        bad |= mu < 0 ? -1 : muladd(&exact, mu, p->per_unit);
    }

    /* Whole-unit prices join the exact sum scaled by 10^6. */
    int64_t whole = 0;
    if (u->images > 0) {
        int64_t ip = pol_pricing_image_price(p, u->size, u->quality);
        if (ip > 0)
            bad |= muladd(&whole, u->images, ip);
    }
    bad |= muladd(&whole, u->web_search_requests, p->per_web_search);
    bad |= add64(&whole, p->per_request);
    bad |= muladd(&exact, whole, MTOK);
    if (bad || exact < 0)
        return POL_PRICING_E_OVERFLOW;
    return pol_pricing_markup(ceil_div(exact, MTOK), markup_permille, out);
}

/* ---- table ---- */

static size_t literal_prefix(const char *pat)
{
    return strcspn(pat, "*?[\\");
}

static int literal_chars(const char *pat)
{
    int n = 0;
    for (; *pat; pat++)
        if (*pat != '*' && *pat != '?' && *pat != '[' && *pat != ']')
            n++;
    return n;
}

/* Fills the -1 ("not set") fields from the ones they default to. */
static void resolve(pol_price_t *p)
{
    if (p->cached_input_per_mtok < 0)
        p->cached_input_per_mtok = p->input_per_mtok;
    if (p->cache_write_per_mtok < 0)
        p->cache_write_per_mtok = p->input_per_mtok;
    if (p->cache_write_1h_per_mtok < 0)
        p->cache_write_1h_per_mtok = p->cache_write_per_mtok;
    if (p->input_image_per_mtok < 0)
        p->input_image_per_mtok = p->input_per_mtok;
    if (p->output_image_per_mtok < 0)
        p->output_image_per_mtok = p->output_per_mtok;
}

static void unset(pol_price_t *p)
{
    memset(p, 0, sizeof(*p));
    p->cached_input_per_mtok = p->cache_write_per_mtok = p->cache_write_1h_per_mtok = -1;
    p->input_image_per_mtok = p->output_image_per_mtok = -1;
    p->per_image = -1;
}

static int add_image(pol_price_t *p, const char *key, size_t klen, int64_t v)
{
    if (p->nimages == POL_PRICING_MAX_IMAGE_PRICES || klen == 0 || klen >= sizeof(p->images[0].key))
        return -1;
    memcpy(p->images[p->nimages].key, key, klen);
    p->images[p->nimages].key[klen] = '\0';
    p->images[p->nimages++].microcredits = v;
    return 0;
}

static void from_default(const default_t *d, pol_price_t *p)
{
    unset(p);
    snprintf(p->pattern, sizeof(p->pattern), "%s", d->pattern);
    p->input_per_mtok = d->in;
    p->cached_input_per_mtok = d->cached;
    p->cache_write_per_mtok = d->cw;
    p->cache_write_1h_per_mtok = d->cw1h;
    p->output_per_mtok = d->out;
    p->input_image_per_mtok = d->in_img;
    p->output_image_per_mtok = d->out_img;
    p->per_image = d->per_image;
    p->per_second = d->per_second;
    p->per_request = d->per_request;
    p->max_output_tokens = d->max_out;
    for (const char *s = d->images; s != NULL && *s;) {
        const char *eq = strchr(s, '='), *end = strchr(s, ',');
        if (end == NULL)
            end = s + strlen(s);
        int64_t v = strtoll(eq + 1, NULL, 10);
        if ((size_t)(eq - s) == 4 && memcmp(s, "unit", 4) == 0)
            p->per_unit = v;
        else
            add_image(p, s, (size_t)(eq - s), v);
        s = *end ? end + 1 : end;
    }
    resolve(p);
}

static const struct {
    const char *name;
    size_t off;
} int_fields[] = {
    {"input_per_mtok", offsetof(pol_price_t, input_per_mtok)},
    {"cached_input_per_mtok", offsetof(pol_price_t, cached_input_per_mtok)},
    {"cache_write_per_mtok", offsetof(pol_price_t, cache_write_per_mtok)},
    {"cache_write_1h_per_mtok", offsetof(pol_price_t, cache_write_1h_per_mtok)},
    {"output_per_mtok", offsetof(pol_price_t, output_per_mtok)},
    {"input_image_per_mtok", offsetof(pol_price_t, input_image_per_mtok)},
    {"output_image_per_mtok", offsetof(pol_price_t, output_image_per_mtok)},
    {"per_second", offsetof(pol_price_t, per_second)},
    {"per_unit", offsetof(pol_price_t, per_unit)},
    {"per_web_search", offsetof(pol_price_t, per_web_search)},
    {"per_request", offsetof(pol_price_t, per_request)},
    {"max_output_tokens", offsetof(pol_price_t, max_output_tokens)},
};

/* Largest accepted amount: 10^12 micro-credits (a million credits) per unit. */
#define PRICE_MAX INT64_C(1000000000000)

static int parse_entry(const char *key, const json_t *obj, pol_price_t *p, char *err, size_t errlen)
{
    unset(p);
    if (strlen(key) >= sizeof(p->pattern)) {
        snprintf(err, errlen, "pricing.%.60s...: key longer than %zu bytes", key, sizeof(p->pattern) - 1);
        return -1;
    }
    snprintf(p->pattern, sizeof(p->pattern), "%s", key);
    if (!json_is_object(obj)) {
        snprintf(err, errlen, "pricing.%s: expected an object of prices in micro-credits", key);
        return -1;
    }
    const char *f;
    json_t *v;
    json_object_foreach((json_t *)obj, f, v)
    {
        size_t i;
        if (strcmp(f, "per_image") == 0) {
            if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= PRICE_MAX) {
                p->per_image = json_integer_value(v);
                continue;
            }
            if (!json_is_object(v)) {
                snprintf(err, errlen, "pricing.%s.per_image: expected an integer or {\"SIZE/QUALITY\": integer, ...}", key);
                return -1;
            }
            const char *ik;
            json_t *iv;
            json_object_foreach(v, ik, iv)
            {
                if (!json_is_integer(iv) || json_integer_value(iv) < 0 || json_integer_value(iv) > PRICE_MAX ||
                    add_image(p, ik, strlen(ik), json_integer_value(iv)) != 0) {
                    snprintf(err, errlen,
                             "pricing.%s.per_image.%s: expected an integer from 0 to %lld (at most %d sizes, keys under 48 bytes)",
                             key, ik, (long long)PRICE_MAX, POL_PRICING_MAX_IMAGE_PRICES);
                    return -1;
                }
            }
            continue;
        }
        if (strcmp(f, "source") == 0 || strcmp(f, "comment") == 0)
            continue; /* documentation in the config file */
        for (i = 0; i < sizeof(int_fields) / sizeof(int_fields[0]); i++)
            if (strcmp(f, int_fields[i].name) == 0)
                break;
        if (i == sizeof(int_fields) / sizeof(int_fields[0])) {
            snprintf(err, errlen,
                     "pricing.%s.%s: unknown field (expected input_per_mtok, cached_input_per_mtok, cache_write_per_mtok, "
                     "cache_write_1h_per_mtok, output_per_mtok, input_image_per_mtok, output_image_per_mtok, per_image, "
                     "per_second, per_unit, per_web_search, per_request, max_output_tokens)",
                     key, f);
            return -1;
        }
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > PRICE_MAX) {
            snprintf(err, errlen, "pricing.%s.%s: expected an integer from 0 to %lld (micro-credits)", key, f,
                     (long long)PRICE_MAX);
            return -1;
        }
        *(int64_t *)((char *)p + int_fields[i].off) = json_integer_value(v);
    }
    resolve(p);
    return 0;
}

pol_pricing_t *pol_pricing_new(const json_t *cfg, char *err, size_t errlen)
{
    size_t ndef = sizeof(defaults) / sizeof(defaults[0]);
    size_t ncfg = cfg != NULL ? json_object_size(cfg) : 0;
    if (cfg != NULL && !json_is_object(cfg)) {
        snprintf(err, errlen, "pricing: expected an object {\"provider/model-glob\": {prices}}");
        return NULL;
    }
    pol_pricing_t *pt = calloc(1, sizeof(*pt));
    if (pt == NULL || (pt->e = calloc(ncfg + ndef, sizeof(*pt->e))) == NULL) {
        free(pt);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (cfg != NULL) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)cfg, k, v)
        {
            pol_price_t p;
            if (parse_entry(k, v, &p, err, errlen) != 0) {
                pol_pricing_free(pt);
                return NULL;
            }
            if (strcmp(k, "*") == 0) {
                pt->fallback = p;
                pt->has_fallback = 1;
                continue;
            }
            if (strchr(k, '/') == NULL) {
                snprintf(err, errlen, "pricing.%s: keys are \"provider/model\" globs (or \"*\" for the fallback price)", k);
                pol_pricing_free(pt);
                return NULL;
            }
            pt->e[pt->n] = (entry_t){p, 1, literal_chars(k), literal_prefix(p.pattern)};
            pt->n++;
        }
    }
    for (size_t i = 0; i < ndef; i++) {
        from_default(&defaults[i], &pt->e[pt->n].price);
        pt->e[pt->n].literal = literal_chars(defaults[i].pattern);
        pt->e[pt->n].prefix = literal_prefix(pt->e[pt->n].price.pattern);
        pt->n++;
    }
    return pt;
}

void pol_pricing_free(pol_pricing_t *pt)
{
    if (pt == NULL)
        return;
    free(pt->e);
    free(pt);
}

size_t pol_pricing_count(const pol_pricing_t *pt)
{
    return pt->n + (size_t)pt->has_fallback;
}

const pol_price_t *pol_pricing_lookup(const pol_pricing_t *pt, const char *provider, const char *model)
{
    char name[512];
    size_t pl = strlen(provider), ml = model != NULL ? strlen(model) : 0;
    if (pl + 1 + ml >= sizeof(name))
        return pt->has_fallback ? &pt->fallback : NULL;
    memcpy(name, provider, pl);
    name[pl] = '/';
    memcpy(name + pl + 1, model != NULL ? model : "", ml);
    name[pl + 1 + ml] = '\0';
    const entry_t *best = NULL;
    for (size_t i = 0; i < pt->n; i++) {
        const entry_t *e = &pt->e[i];
        if (best != NULL &&
            (best->from_config > e->from_config || (best->from_config == e->from_config && best->literal >= e->literal)))
            continue;
        /* fnmatch only where the pattern's literal start matches (most entries name another provider or model) */
        if (strncmp(e->price.pattern, name, e->prefix) == 0 && fnmatch(e->price.pattern, name, 0) == 0)
            best = e;
    }
    if (best != NULL)
        return &best->price;
    return pt->has_fallback ? &pt->fallback : NULL;
}
