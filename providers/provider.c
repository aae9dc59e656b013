/*
 * The adapter table and what is shared by every adapter: the unified-route model lookup
 * (prov_for_model, fnmatch globs from config "models"), the binary-vs-text test used by
 * maybe_binary field rules, the credential and account headers of every adapter, JSON string escaping for error
 * bodies, and small jansson getters
 * for the usage and estimate extractors. Adding a provider: write providers/<name>.c defining a
 * prov_adapter_t, declare it in provider.h, add one row below.
 */
#include "providers/provider.h"
#include "providers/prov_internal.h"

#include <fnmatch.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static const prov_adapter_t *const adapters[] = {
    &prov_openai, &prov_gemini, &prov_anthropic, &prov_replicate, &prov_openrouter, &prov_deepseek, &prov_fireworks, &prov_fal,
};

/* The credential styles' header lines (docs/providers/<name>.md "Auth"). */
const char *prov_auth_line(prov_auth_t auth)
{
    static const char *const line[] = {
        [PROV_AUTH_BEARER] = "Authorization: Bearer ",
        [PROV_AUTH_X_GOOG] = "x-goog-api-key: ",
        [PROV_AUTH_X_API_KEY] = "x-api-key: ",
        [PROV_AUTH_KEY] = "Authorization: Key ",
    };
    return line[auth];
}

const char *const prov_credential_headers[] = {"authorization", "x-api-key", "x-goog-api-key", "api-key" /* Azure OpenAI style */,
                                               NULL};

const prov_estimate_field_t prov_estimate_fields[] = {
    {"max_tokens", PROV_EST_MAX_OUTPUT_TOKENS},
    {"max_completion_tokens", PROV_EST_MAX_OUTPUT_TOKENS},
    {"max_output_tokens", PROV_EST_MAX_OUTPUT_TOKENS},
    {"generationConfig.maxOutputTokens", PROV_EST_MAX_OUTPUT_TOKENS},
    {"generation_config.max_output_tokens", PROV_EST_MAX_OUTPUT_TOKENS},
    {"n", PROV_EST_N},
    {"generationConfig.candidateCount", PROV_EST_N},
    {"size", PROV_EST_SIZE},
    {"quality", PROV_EST_QUALITY},
    {NULL, 0},
};

const char *const prov_credential_query_params[] = {"key", NULL};

const char *const prov_client_key_headers[] = {"x-api-key", "x-goog-api-key", NULL};

int prov_is_account_header(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
        for (const char *const *h = adapters[i]->account_headers; h != NULL && *h != NULL; h++)
            if (strlen(*h) == len && strncasecmp(name, *h, len) == 0)
                return 1;
    return 0;
}

/* First bytes of the adapters' image_payload_fields, gathered once: a '"' followed by another byte starts no name.
 * `first` lists them (and 'i', the byte after the colon of "data:image/") for the 16-byte blocks of the scan. */
static struct {
    unsigned char is_first[256];
    unsigned char first[256];
    size_t nfirst;
} image_names;
static pthread_once_t image_names_once = PTHREAD_ONCE_INIT;

#define DATA_IMAGE "data:image/"
#define DATA_IMAGE_COLON 4 /* the ':' of "data:image/" */

static void image_first_add(unsigned char c)
{
    if (!image_names.is_first[c])
        image_names.first[image_names.nfirst++] = c;
    image_names.is_first[c] = 1;
}

static void image_names_init(void)
{
    for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
        for (const char *const *f = adapters[i]->image_payload_fields; f != NULL && *f != NULL; f++)
            image_first_add((unsigned char)**f);
    image_first_add((unsigned char)DATA_IMAGE[DATA_IMAGE_COLON + 1]);
}

/* Whether the byte at `i` of `b` (a '"' or a ':') starts a quoted image member name or is the colon of "data:image/". */
static inline int image_at(const char *b, size_t len, size_t i)
{
    if (b[i] == ':')
        return i >= DATA_IMAGE_COLON && len - i >= sizeof(DATA_IMAGE) - 1 - DATA_IMAGE_COLON &&
               memcmp(b + i - DATA_IMAGE_COLON, DATA_IMAGE, sizeof(DATA_IMAGE) - 1) == 0;
    if (i + 1 >= len || !image_names.is_first[(unsigned char)b[i + 1]])
        return 0;
    for (size_t a = 0; a < sizeof(adapters) / sizeof(adapters[0]); a++)
        for (const char *const *f = adapters[a]->image_payload_fields; f != NULL && *f != NULL; f++) {
            size_t fl = strlen(*f);
            if (len - (i + 1) > fl && b[i + 1 + fl] == '"' && memcmp(b + i + 1, *f, fl) == 0)
                return 1;
        }
    return 0;
}

/*
 * One pass over the body: a match starts at a '"' (which opens every quoted name) or contains a ':' (the fixed byte
 * of "data:image/"), and the byte after either is one of a few (a name's first byte, or the 'i' of "image/"). The
 * bytes are sorted 16 at a time (SSE2) on both tests, and only the positions that pass both are looked at. It
 * replaced one memmem per declared name plus one for "data:image/" (five passes: ~6.9k instructions per 1 KB answer
 * on the event loop, docs/BENCHMARKS.md "Issue 12, session 6"). Hand-rolled: no library at hand searches several
 * needles in one pass (tests/unit/providers/test_adapters.c checks it against those memmem passes).
 */
/* Whether `s` (`len` bytes) is a base64 data URI of image, audio or video bytes (RFC 2397): `data:`, a media type
 * `image/` `audio/` `video/` + [a-z0-9.+-] subtype, parameters of [A-Za-z0-9.+=-] only, `;base64,`, then base64 of
 * RFC 4648 section 4 only (length a multiple of 4, at most two `=` at the end). Nothing else passes: a `text/` or
 * `application/` type, a percent-encoded payload, a space or a line break are text, scanned as such. */
static int media_data_uri(const char *s, size_t len)
{
    static const char *const types[] = {"image/", "audio/", "video/"};
    size_t i = 5; /* after "data:" */
    size_t t = 0;
    while (t < 3 && (len - i < 6 || strncasecmp(s + i, types[t], 6) != 0))
        t++;
    if (t == 3)
        return 0;
    i += 6;
    size_t sub = i;
    while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
                       s[i] == '.' || s[i] == '+' || s[i] == '-'))
        i++;
    if (i == sub)
        return 0;
    /* parameters (`;name=value`) up to the last ';', which must be ";base64," */
    const char *comma = memchr(s + i, ',', len - i);
    if (comma == NULL || (size_t)(comma - s) < i + 7 || strncasecmp(comma - 7, ";base64", 7) != 0)
        return 0;
    if (s + i < comma - 7 && s[i] != ';')
        return 0;
    for (const char *p = s + i; p < comma - 7; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ';' || c == '=' || c == '.' ||
              c == '+' || c == '-'))
            return 0;
    }
    size_t from = (size_t)(comma - s) + 1, n = len - from, pad = 0;
    if (n == 0 || n % 4 != 0)
        return 0;
    for (size_t k = from; k < len; k++) {
        char c = s[k];
        if (c == '=') {
            if (++pad > 2)
                return 0;
        } else if (pad != 0 ||
                   !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
            return 0;
        }
    }
    return 1;
}

int prov_output_media_url(const char *const *prefixes, const char *s, size_t len)
{
    for (const char *const *p = prefixes; p != NULL && *p != NULL; p++) {
        size_t pl = strlen(*p);
        if (len <= pl || strncasecmp(s, *p, pl) != 0)
            continue;
        if (pl == 5 && strncasecmp(*p, "data:", 5) == 0) {
            if (media_data_uri(s, len))
                return 1;
            continue;
        }
        if (memcmp(s, *p, pl) != 0)
            continue;
        for (size_t i = pl; i < len; i++) {
            char c = s[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '~' ||
                  c == '/' || c == '-'))
                return 0;
        }
        return 1;
    }
    return 0;
}

int prov_has_image_payload(const char *body, size_t len)
{
    pthread_once(&image_names_once, image_names_init);
    size_t i = 0;
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"'), colon = _mm_set1_epi8(':');
    for (; len - i > 16; i += 16) { /* the block and the byte after it */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(body + i));
        __m128i next = _mm_loadu_si128((const __m128i *)(const void *)(body + i + 1));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, colon)));
        if (m == 0)
            continue;
        __m128i f = _mm_setzero_si128();
        for (size_t k = 0; k < image_names.nfirst; k++)
            f = _mm_or_si128(f, _mm_cmpeq_epi8(next, _mm_set1_epi8((char)image_names.first[k])));
        for (m &= (unsigned)_mm_movemask_epi8(f); m != 0; m &= m - 1)
            if (image_at(body, len, i + (size_t)__builtin_ctz(m)))
                return 1;
    }
#endif
    for (; i < len; i++)
        if ((body[i] == '"' || body[i] == ':') && image_at(body, len, i))
            return 1;
    return 0;
}

const prov_adapter_t *prov_find(const char *name)
{
    for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
        if (strcmp(adapters[i]->name, name) == 0)
            return adapters[i];
    return NULL;
}

const prov_adapter_t *prov_unified(void)
{
    return &prov_openai;
}

const prov_adapter_t *const *prov_all(size_t *n)
{
    *n = sizeof(adapters) / sizeof(adapters[0]);
    return adapters;
}

const prov_adapter_t *prov_for_model(const char *model, const json_t *models_config)
{
    if (model == NULL || *model == '\0' || !json_is_object(models_config))
        return &prov_openai;
    const char *key;
    json_t *value;
    const prov_adapter_t *best = NULL;
    size_t best_len = 0;
    json_object_foreach((json_t *)models_config, key, value)
    {
        const char *name = json_string_value(value);
        const prov_adapter_t *a = name != NULL ? prov_find(name) : NULL;
        if (a == NULL)
            continue;
        if (strcmp(key, model) == 0)
            return a;
        size_t kl = strlen(key);
        if (fnmatch(key, model, 0) == 0 && (best == NULL || kl > best_len)) {
            best = a;
            best_len = kl;
        }
    }
    return best != NULL ? best : &prov_openai;
}

int prov_models_config_check(const json_t *models_config, char *err, size_t errlen)
{
    if (models_config == NULL)
        return 0;
    if (!json_is_object(models_config)) {
        snprintf(err, errlen, "models: expected an object of model glob -> provider name");
        return -1;
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)models_config, key, value)
    {
        const char *name = json_string_value(value);
        const prov_adapter_t *a = name != NULL ? prov_find(name) : NULL;
        if (a == NULL) {
            snprintf(err, errlen, "models.%s: expected the name of a provider (openai, gemini, openrouter, ...)", key);
            return -1;
        }
        if (a->compat_prefix == NULL) {
            snprintf(err, errlen, "models.%s: provider %s does not accept OpenAI's chat format on /v1/; use its native route", key,
                     name);
            return -1;
        }
    }
    return 0;
}

/* ---- jansson getters ---- */

json_t *prov__jget(const json_t *o, const char *key)
{
    return json_is_object(o) ? json_object_get(o, key) : NULL;
}

json_t *prov__jpath(const json_t *o, const char *path)
{
    char seg[64];
    const json_t *cur = o;
    while (cur != NULL && *path != '\0') {
        const char *dot = strchr(path, '.');
        size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof(seg))
            return NULL;
        memcpy(seg, path, n);
        seg[n] = '\0';
        cur = prov__jget(cur, seg);
        path += n + (dot != NULL ? 1 : 0);
    }
    return (json_t *)cur;
}

int prov__jint(const json_t *o, const char *path, int64_t *v)
{
    json_t *j = prov__jpath(o, path);
    if (json_is_integer(j)) {
        if (json_integer_value(j) < 0)
            return 0;
        *v = (int64_t)json_integer_value(j);
        return 1;
    }
    if (json_is_real(j)) {
        double d = json_real_value(j);
        if (!(d >= 0 && d < 9.2e18) || d != floor(d))
            return 0;
        *v = (int64_t)d;
        return 1;
    }
    return 0;
}

int prov__jnum(const json_t *o, const char *path, double *v)
{
    json_t *j = prov__jpath(o, path);
    if (!json_is_number(j))
        return 0;
    double d = json_number_value(j);
    if (!isfinite(d))
        return 0;
    *v = d;
    return 1;
}

int prov__jstr(const json_t *o, const char *path, char *dst, size_t cap)
{
    json_t *j = prov__jpath(o, path);
    if (!json_is_string(j) || cap == 0)
        return 0;
    size_t n = json_string_length(j);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, json_string_value(j), n);
    dst[n] = '\0';
    return 1;
}

int prov__usage_from_int(prov_usage_t *u, prov_usage_field_t f, const json_t *o, const char *path)
{
    int64_t v;
    if (!prov__jint(o, path, &v))
        return 0;
    prov__usage_set_int(u, f, v);
    return 1;
}

int prov__usage_from_num(prov_usage_t *u, prov_usage_field_t f, const json_t *o, const char *path)
{
    double v;
    if (!prov__jnum(o, path, &v) || v < 0)
        return 0;
    prov__usage_set_double(u, f, v);
    return 1;
}

int prov__usage_from_str(prov_usage_t *u, prov_usage_field_t f, const json_t *o, const char *path)
{
    json_t *j = prov__jpath(o, path);
    if (!json_is_string(j))
        return 0;
    prov__usage_set_string(u, f, json_string_value(j), json_string_length(j));
    return 1;
}

json_t *prov__jload_object(const char *body, size_t len)
{
    json_t *root = json_loadb(body, len, JSON_ALLOW_NUL, NULL);
    if (root != NULL && !json_is_object(root)) {
        json_decref(root);
        root = NULL;
    }
    return root;
}

void prov__path_span(const char *path, size_t len, const char **p, const char **end)
{
    const char *q = memchr(path, '?', len);
    *end = q != NULL ? q : path + len;
    *p = path;
    while (*p < *end && **p == '/')
        (*p)++;
}

int prov__copy_name(char *dst, size_t cap, const char *s, size_t n)
{
    if (n == 0 || n >= cap)
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return -1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

void prov__estimate_reset(prov_estimate_t *e, size_t len)
{
    memset(e, 0, sizeof(*e));
    e->max_output_tokens = -1;
    e->n = 1;
    e->input_bytes = len;
}

int prov__sse_is_done(const gw_sse_event_t *ev)
{
    return ev->has_data && ev->data_len == 6 && memcmp(ev->data, "[DONE]", 6) == 0;
}

int prov__sse_event_is(const gw_sse_event_t *ev, const char *name)
{
    size_t n = strlen(name);
    return ev->event_len == n && memcmp(ev->event, name, n) == 0;
}

/* 1 when `method` on `path` (query ignored) matches an entry of `list` ("METHOD glob", NULL-terminated), else 0. */
static int route_listed(const char *const *list, const char *method, size_t method_len, const char *path, size_t len)
{
    const char *p, *end;
    char buf[512];
    if (list == NULL)
        return 0;
    prov__path_span(path, len, &p, &end);
    if ((size_t)(end - p) >= sizeof(buf))
        return 0; /* longer than any route a provider lists */
    memcpy(buf, p, (size_t)(end - p));
    buf[end - p] = '\0';
    for (size_t i = 0; list[i] != NULL; i++) {
        const char *e = list[i], *sp = strchr(e, ' ');
        if (sp != NULL && (size_t)(sp - e) == method_len && memcmp(e, method, method_len) == 0 && fnmatch(sp + 1, buf, 0) == 0)
            return 1;
    }
    return 0;
}

int prov_route_unbilled(const prov_adapter_t *a, const char *method, size_t method_len, const char *path, size_t len)
{
    return a != NULL && route_listed(a->unbilled_routes, method, method_len, path, len); /* too long: billed */
}

const prov_refused_route_t *prov_route_refused(const prov_adapter_t *a, const char *method, size_t method_len, const char *path,
                                               size_t len)
{
    const char *p, *end;
    char buf[512];
    if (a == NULL || a->refused_routes == NULL)
        return NULL;
    prov__path_span(path, len, &p, &end);
    size_t n = (size_t)(end - p) < sizeof(buf) ? (size_t)(end - p) : sizeof(buf) - 1; /* a prefix: the globs end in '*' */
    memcpy(buf, p, n);
    buf[n] = '\0';
    for (const prov_refused_route_t *r = a->refused_routes; r->glob != NULL; r++)
        if ((r->method == NULL || (strlen(r->method) == method_len && memcmp(r->method, method, method_len) == 0)) &&
            fnmatch(r->glob, buf, FNM_CASEFOLD) == 0)
            return r;
    return NULL;
}

/* 1 when `v` is the string `want` or an array holding it (ASCII case-insensitive). */
static int json_names(const json_t *v, const char *want)
{
    if (json_is_string(v))
        return strcasecmp(json_string_value(v), want) == 0;
    size_t i;
    const json_t *e;
    json_array_foreach(v, i, e)
    {
        if (json_is_string(e) && strcasecmp(json_string_value(e), want) == 0)
            return 1;
    }
    return 0;
}

/* 1 when the member at dotted `path` of `v` ("*" = every element of an array or member of an object)
 * names `want` (json_names), or with `want` NULL holds any value but null and false. */
static int field_on(const json_t *v, const char *path, const char *want)
{
    if (*path == '\0')
        return want != NULL ? json_names(v, want) : !json_is_null(v) && !json_is_false(v);
    const char *dot = strchr(path, '.');
    size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);
    const char *next = dot != NULL ? dot + 1 : path + n;
    if (n == 1 && path[0] == '*') {
        size_t i;
        const char *k;
        json_t *e;
        if (json_is_array(v)) {
            json_array_foreach(v, i, e)
            {
                if (field_on(e, next, want))
                    return 1;
            }
        } else if (json_is_object(v)) {
            json_object_foreach((json_t *)v, k, e)
            {
                if (field_on(e, next, want))
                    return 1;
            }
        }
        return 0;
    }
    const json_t *m = json_is_object(v) ? json_object_getn(v, path, n) : NULL;
    return m != NULL && field_on(m, next, want);
}

prov_unrestorable_kind_t prov_unrestorable_output(const prov_adapter_t *a, const char *method, size_t method_len, const char *path,
                                                  size_t len, const char *body, size_t body_len)
{
    if (a == NULL || a->unrestorable_outputs == NULL)
        return PROV_UNRESTORABLE_NONE;
    json_t *root = NULL;
    int parsed = 0;
    prov_unrestorable_kind_t hit = PROV_UNRESTORABLE_NONE;
    for (const prov_unrestorable_t *m = a->unrestorable_outputs; hit == PROV_UNRESTORABLE_NONE && m->route != NULL; m++) {
        const char *const one[] = {m->route, NULL};
        if (!route_listed(one, method, method_len, path, len))
            continue;
        if (m->field == NULL) {
            hit = m->kind;
            break;
        }
        /* prefilter: the field's last member name, quoted, somewhere in the body */
        const char *last = strrchr(m->field, '.');
        last = last != NULL ? last + 1 : m->field;
        char quoted[72];
        int ql = snprintf(quoted, sizeof(quoted), "\"%s\"", last);
        if (body == NULL || ql <= 0 || (size_t)ql >= sizeof(quoted) || memmem(body, body_len, quoted, (size_t)ql) == NULL)
            continue;
        if (!parsed) {
            root = prov__jload_object(body, body_len);
            parsed = 1;
        }
        if (root != NULL && field_on(root, m->field, m->value))
            hit = m->kind;
    }
    json_decref(root);
    return hit;
}

/* 1 when `v` is a number, or an array holding one, or an array of arrays holding one (token ids). */
static int holds_token_ids(const json_t *v, int depth)
{
    if (json_is_number(v))
        return 1;
    if (!json_is_array(v) || depth == 2)
        return 0;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (holds_token_ids(e, depth + 1))
            return 1;
    }
    return 0;
}

const prov_token_input_t *prov_token_input(const prov_adapter_t *a, const char *method, size_t method_len, const char *path,
                                           size_t len, const char *body, size_t body_len)
{
    if (a == NULL || a->token_inputs == NULL || body == NULL)
        return NULL;
    json_t *root = NULL;
    int parsed = 0;
    const prov_token_input_t *hit = NULL;
    for (const prov_token_input_t *t = a->token_inputs; hit == NULL && t->route != NULL; t++) {
        const char *const one[] = {t->route, NULL};
        char quoted[72];
        int ql = snprintf(quoted, sizeof(quoted), "\"%s\"", t->field);
        if (!route_listed(one, method, method_len, path, len) || ql <= 0 || (size_t)ql >= sizeof(quoted) ||
            memmem(body, body_len, quoted, (size_t)ql) == NULL)
            continue;
        if (!parsed) {
            root = prov__jload_object(body, body_len);
            parsed = 1;
        }
        if (root != NULL && holds_token_ids(json_object_get(root, t->field), 0))
            hit = t;
    }
    json_decref(root);
    return hit;
}
