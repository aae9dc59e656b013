/*
 * Privacy stage glue (see privacy.h). Scan every string, skip by declaration (issue 10): one "**" rule
 * (EMBEDDED | KEYS) reports every string value and object key of a request body; the adapter's
 * skip_fields come first as VERBATIM rules (ids GW_SKIP_RULE_BASE + index) so that a declared
 * structural field is reported as itself, never as text to rewrite. Strings that hold JSON are walked
 * by the JSON rewriter; strings that hold file bytes (data: URIs, base64) are sorted by
 * policy/payload.h: images are stripped of metadata, text documents scanned and re-encoded, anything
 * else refused unless pii.forward_unscanned_types names its type. Negative ids are the captures.
 *
 * This file holds the object's creation and the request side; the no-training pass and the
 * response side (restore, pii.scan_responses) are in privacy_response.c.
 */
#include "gateway/privacy.h"
#include "common/log.h"
#include "common/pct.h"
#include "gateway/privacy_internal.h"

#include "policy/restore.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

enum {
    CAP_USER = -1,
    CAP_SAFETY_ID = -2,
    CAP_MODEL = -3,
    CAP_STREAM = -4,
    CAP_INCLUDE_USAGE = -5,
    CAP_MAX_TOKENS = -6,
    CAP_N = -7,
    CAP_SIZE = -8,
    CAP_QUALITY = -9,
    CAP_OUTPUT_TYPE = -10, /* response_format.type and its kin: json_schema / json_object say JSON */
    CAP_OUTPUT_MIME = -11, /* Gemini responseMimeType: application/json says JSON */
    CAP_META_USER_ID = -12 /* Anthropic metadata.user_id (gw_privacy_id_fields) */
};

const char *const gw_privacy_id_fields[GW_ID_FIELDS] = {"user", "safety_identifier", "metadata.user_id"};

/* Keeps the decoded original of end-user id field k (gw_privacy_id_fields) when it fits. */
static void capture_id(gw_body_info_t *info, int k, const char *raw, size_t len)
{
    gw_buf_t v = GW_BUF_INIT;
    info->id_len[k] = 0;
    if (gw_json_unescape(raw, len, &v) == 0 && v.len <= GW_ID_MAX && v.base != NULL) {
        memcpy(info->id[k], v.base, v.len);
        info->id_len[k] = v.len;
    }
    gw_buf_free(&v);
}

/* Where a request declares its answer's format (gw_body_info_t.output_mode; provider docs: OpenAI chat
 * response_format, Responses text.format, Anthropic output_config.format (and the beta's output_format), Gemini
 * generationConfig.responseMimeType in both spellings). */
static const gw_json_rule_t output_mode_rules[] = {
    {"response_format.type", GW_JSON_CAPTURE, CAP_OUTPUT_TYPE},
    {"text.format.type", GW_JSON_CAPTURE, CAP_OUTPUT_TYPE},
    {"output_config.format.type", GW_JSON_CAPTURE, CAP_OUTPUT_TYPE},
    {"output_format.type", GW_JSON_CAPTURE, CAP_OUTPUT_TYPE},
    {"generationConfig.responseMimeType", GW_JSON_CAPTURE, CAP_OUTPUT_MIME},
    {"generation_config.response_mime_type", GW_JSON_CAPTURE, CAP_OUTPUT_MIME},
    {"generationConfig.response_mime_type", GW_JSON_CAPTURE, CAP_OUTPUT_MIME},
    {"generation_config.responseMimeType", GW_JSON_CAPTURE, CAP_OUTPUT_MIME},
};

#define GW_RULE_ALL 1                /* every string and key */
#define GW_SKIP_RULE_BASE 0x534b0000 /* rule ids of skip fields: base + index in skip_fields */
#define GW_FILE_RULE_BASE 0x46490000 /* rule ids of file fields: base + index in file_fields (below the skip ids) */
#define GW_MAX_FILE_FIELDS 24
#define GW_NUMBER_MIN_DIGITS 6 /* numbers with fewer digits are not scanned (on_request_number) */
#define GW_NUMBER_MAX_PLAIN 64 /* longest plain spelling of a number with a fraction or exponent that is scanned */

/* a short string whose whole handling found nothing, per kind of handling (scrub_text and its callers) */
struct st_gw_clean_slot_t {
    uint64_t h;
    uint32_t len;
    uint32_t kind; /* CLEAN_* */
    char s[GW_CLEAN_MAX_BYTES];
};

/* What a cache entry proves. Each kind is a verdict of a whole handling, so a hit stands for exactly the calls the
 * handling makes; a text proven clean as a key is not proven clean as a value (a value may be a base64 payload that
 * decodes to personal data, a structural value is refused for holding one). */
enum {
    CLEAN_TEXT = 1,  /* scrub_text: the scan changed nothing and recorded no finding (also every key: on_request_key) */
    CLEAN_VALUE = 2, /* on_any_string: pol_payload_classify found no payload (plain text) and the text is CLEAN_TEXT */
    CLEAN_STRUCT = 3 /* a PROV_SKIP_VALUE field: no payload, no JSON, and the text is CLEAN_TEXT */
};

/* pii.forward_unscanned_types: an array of MIME type globs ("application/pdf", "audio/..."). */
static int forward_types_from_config(gw_privacy_t *pv, const gw_config_t *cfg, char *err, size_t errlen)
{
    json_t *a = json_object_get(gw_config_section(cfg, "pii"), "forward_unscanned_types");
    if (a == NULL)
        return 0;
    if (!json_is_array(a) || json_array_size(a) > GW_MAX_FORWARD_TYPES) {
        snprintf(err, errlen, "pii.forward_unscanned_types: expected an array of at most %d MIME types", GW_MAX_FORWARD_TYPES);
        return -1;
    }
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        const char *t = json_string_value(v);
        if (t == NULL || t[0] == '\0' || strlen(t) >= POL_PAYLOAD_MAX_MIME || strchr(t, '/') == NULL) {
            snprintf(err, errlen, "pii.forward_unscanned_types[%zu]: expected a MIME type or glob such as \"application/pdf\"", i);
            return -1;
        }
        if ((pv->forward_types[pv->nforward] = strdup(t)) == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        pv->nforward++;
    }
    return 0;
}

/* Marks the skip field that is the `type` sibling of the PROV_FILE_TYPED file field `pattern` ("a.*.source.data" ->
 * "a.*.source.type"). */
static void mark_type_skips(gw_privacy_t *pv, size_t ai, const prov_adapter_t *a, const char *pattern)
{
    const char *dot = strrchr(pattern, '.');
    size_t pl = dot != NULL ? (size_t)(dot - pattern) + 1 : 0;
    for (size_t k = 0; k < 128 && a->skip_fields[k].pattern != NULL; k++) {
        const char *sp = a->skip_fields[k].pattern;
        if (a->skip_fields[k].kind == PROV_SKIP_VALUE && strncmp(sp, pattern, pl) == 0 && strcmp(sp + pl, "type") == 0)
            pv->type_skips[ai][k / 64] |= 1ull << (k % 64);
    }
}

static int hash_key_from_config(const gw_config_t *cfg, unsigned char key[32], char *err, size_t errlen)
{
    json_t *pii = gw_config_section(cfg, "pii");
    const char *hex = json_string_value(json_object_get(pii, "hash_key_hex"));
    if (hex != NULL) {
        size_t n = 0;
        if (strlen(hex) != 64 || sodium_hex2bin(key, 32, hex, 64, NULL, &n, NULL) != 0 || n != 32) {
            snprintf(err, errlen, "pii.hash_key_hex: expected 64 hex digits");
            return -1;
        }
        return 0;
    }
    const char *mk = gw_config_master_key_file(cfg);
    FILE *fp = mk != NULL ? fopen(mk, "rb") : NULL;
    if (fp != NULL) {
        unsigned char buf[256];
        size_t n = fread(buf, 1, sizeof(buf), fp);
        fclose(fp);
        if (n >= 32) {
            /* a key of its own, derived from the master key: BLAKE2b keyed by the file's bytes */
            static const char label[] = "aigw pii hash key v1";
            crypto_generichash(key, 32, (const unsigned char *)label, sizeof(label) - 1, buf, n > 64 ? 64 : n);
            sodium_memzero(buf, sizeof(buf));
            return 0;
        }
        sodium_memzero(buf, sizeof(buf));
    }
    randombytes_buf(key, 32);
    gw_log(GW_LOG_WARN, "no pii.hash_key_hex and no readable master_key_file: `hash` placeholders and "
                        "redaction-log hashes use a random key and will differ after a restart");
    return 0;
}

gw_privacy_t *gw_privacy_create(const gw_config_t *cfg, char *err, size_t errlen)
{
    gw_privacy_t *pv = calloc(1, sizeof(*pv));
    unsigned char key[32];
    if (pv == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (hash_key_from_config(cfg, key, err, errlen) != 0)
        goto fail;
    {
        /* pii.max_findings_per_request: redaction-log rows per request (the scan itself is not capped) */
        json_t *mf = json_object_get(gw_config_section(cfg, "pii"), "max_findings_per_request");
        pv->max_findings = GW_PRIVACY_MAX_FINDINGS_DEFAULT;
        if (mf != NULL && (!json_is_integer(mf) || json_integer_value(mf) < 1 || json_integer_value(mf) > 1000000)) {
            snprintf(err, errlen, "pii.max_findings_per_request: expected an integer in [1, 1000000]");
            goto fail;
        }
        if (mf != NULL)
            pv->max_findings = (size_t)json_integer_value(mf);
    }
    pv->engine = pol_pii_engine_create(gw_config_section(cfg, "pii"), key, err, errlen);
    if (pv->engine != NULL) {
        size_t nadapters;
        const prov_adapter_t *const *adapters = prov_all(&nadapters);
        const pol_notrain_posture_t *postures[16];
        size_t npostures = 0;
        GW_ASSERT(nadapters <= sizeof(postures) / sizeof(postures[0])); /* a new adapter: grow the array */
        for (size_t i = 0; i < nadapters; i++) {
            postures[npostures++] = adapters[i]->notrain;
            /* a hashed field whose original the request pass does not capture would be hashed as its placeholder */
            for (const pol_notrain_hash_t *h = adapters[i]->notrain->hashes; h != NULL && h->pattern != NULL; h++) {
                int known = 0;
                for (size_t k = 0; k < GW_ID_FIELDS; k++)
                    known |= strcmp(h->pattern, gw_privacy_id_fields[k]) == 0;
                GW_ASSERT(known); /* a posture hashes a new field: add it to gw_privacy_id_fields */
            }
        }
        pv->notrain = pol_notrain_create(gw_config_section(cfg, "training"), key, postures, npostures, err, errlen);
    }
    sodium_memzero(key, sizeof(key));
    if (pv->engine == NULL || pv->notrain == NULL || forward_types_from_config(pv, cfg, err, errlen) != 0)
        goto fail;
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    for (size_t i = 0; i < n && i < GW_MAX_ADAPTERS; i++) {
        gw_json_rule_t rules[160];
        size_t nr = 0;
        for (size_t k = 0; all[i]->skip_fields[k].pattern != NULL; k++) {
            if (nr == 96) {
                snprintf(err, errlen, "provider %s: too many skip_fields", all[i]->name);
                goto fail;
            }
            rules[nr++] = (gw_json_rule_t){all[i]->skip_fields[k].pattern, GW_JSON_VERBATIM, GW_SKIP_RULE_BASE + (int)k};
        }
        /* declared file fields: VERBATIM (never walked as JSON), after the skip fields (a skip rule wins) */
        for (size_t k = 0; all[i]->file_fields != NULL && all[i]->file_fields[k].pattern != NULL; k++) {
            const prov_file_field_t *ff = &all[i]->file_fields[k];
            if (k == GW_MAX_FILE_FIELDS) {
                snprintf(err, errlen, "provider %s: too many file_fields", all[i]->name);
                goto fail;
            }
            rules[nr++] = (gw_json_rule_t){ff->pattern, GW_JSON_VERBATIM, GW_FILE_RULE_BASE + (int)k};
            if (ff->kind == PROV_FILE_TYPED)
                mark_type_skips(pv, i, all[i], ff->pattern);
        }
        rules[nr++] = (gw_json_rule_t){"**", GW_JSON_EMBEDDED | GW_JSON_KEYS, GW_RULE_ALL};
        rules[nr++] = (gw_json_rule_t){"user", GW_JSON_CAPTURE, CAP_USER};
        rules[nr++] = (gw_json_rule_t){"safety_identifier", GW_JSON_CAPTURE, CAP_SAFETY_ID};
        rules[nr++] = (gw_json_rule_t){"metadata.user_id", GW_JSON_CAPTURE, CAP_META_USER_ID};
        rules[nr++] = (gw_json_rule_t){"model", GW_JSON_CAPTURE, CAP_MODEL};
        rules[nr++] = (gw_json_rule_t){"stream", GW_JSON_CAPTURE, CAP_STREAM};
        rules[nr++] = (gw_json_rule_t){"stream_options.include_usage", GW_JSON_CAPTURE, CAP_INCLUDE_USAGE};
        for (size_t k = 0; k < sizeof(output_mode_rules) / sizeof(output_mode_rules[0]); k++)
            rules[nr++] = output_mode_rules[k];
        /* inputs of the metering estimate (providers/provider.h prov_estimate_fields), read in the same pass (a second
         * parse of the body with jansson cost ~12 µs per KiB on the hot path) */
        static const int est_cap[] = {[PROV_EST_MAX_OUTPUT_TOKENS] = CAP_MAX_TOKENS,
                                      [PROV_EST_N] = CAP_N,
                                      [PROV_EST_SIZE] = CAP_SIZE,
                                      [PROV_EST_QUALITY] = CAP_QUALITY};
        for (const prov_estimate_field_t *e = prov_estimate_fields; e->pattern != NULL; e++) {
            GW_ASSERT(nr < sizeof(rules) / sizeof(rules[0]) && e->kind > 0 &&
                      (size_t)e->kind < sizeof(est_cap) / sizeof(est_cap[0]));
            rules[nr++] = (gw_json_rule_t){e->pattern, GW_JSON_CAPTURE, est_cap[e->kind]};
        }
        if ((pv->paths[i] = gw_json_paths_compile(rules, nr, err, errlen)) == NULL)
            goto fail;
        gw_json_rule_t nt_rules[POL_NOTRAIN_MAX_RULES];
        size_t nnt = pol_notrain_rules(pv->notrain, all[i]->name, nt_rules, POL_NOTRAIN_MAX_RULES);
        if (nnt != 0 && (pv->notrain_paths[i] = gw_json_paths_compile(nt_rules, nnt, err, errlen)) == NULL)
            goto fail;
        /* the adapter's output_text (streamed text) and output_skip (declared no-text fields) */
        const char *text[65], *skip[129];
        size_t no = 0, ns = 0;
        for (; all[i]->output_text != NULL && all[i]->output_text[no] != NULL; no++) {
            if (no == 64) {
                snprintf(err, errlen, "provider %s: too many output_text patterns", all[i]->name);
                goto fail;
            }
            text[no] = all[i]->output_text[no];
        }
        for (; all[i]->output_skip != NULL && all[i]->output_skip[ns].pattern != NULL; ns++) {
            if (ns == 128) {
                snprintf(err, errlen, "provider %s: too many output_skip patterns", all[i]->name);
                goto fail;
            }
            skip[ns] = all[i]->output_skip[ns].pattern;
        }
        /* the SSE restorer's rules, with or without a scan (restore only: which strings a re-send sends empty) */
        int scan = pol_pii_engine_scan_responses(pv->engine);
        if ((scan || no != 0) && (pv->resp_sse_paths[i] = pol_restore_paths_compile_all(text, no, skip, ns, err, errlen)) == NULL)
            goto fail;
        if (scan) {
            /* every string is scanned but the adapter's declared no-text fields (output_skip, first: the first rule that
             * matches decides): output_text as streamed text (rule 1), the rest on its own ("**", rule 1 in a JSON
             * answer, where nothing is held back; RULE_WHOLE in streams); the declared fields are restored (rule 0) */
            gw_json_rule_t rr[64 + 128 + 1];
            size_t nrr = 0;
            for (size_t k = 0; k < ns; k++)
                rr[nrr++] = (gw_json_rule_t){skip[k], GW_JSON_SCAN, 0};
            for (size_t k = 0; k < no; k++)
                rr[nrr++] = (gw_json_rule_t){text[k], GW_JSON_SCAN, 1};
            rr[nrr++] = (gw_json_rule_t){"**", GW_JSON_SCAN | GW_JSON_KEYS, 1};
            if ((pv->resp_json_paths[i] = gw_json_paths_compile(rr, nrr, err, errlen)) == NULL)
                goto fail;
        }
        pv->adapters[i] = all[i];
        pv->nadapters++;
    }
    static const gw_json_rule_t all_strings = {"**", GW_JSON_SCAN | GW_JSON_KEYS, 0};
    static const gw_json_rule_t all_strings_keys = {"**", GW_JSON_EMBEDDED | GW_JSON_KEYS, GW_RULE_ALL};
    if ((pv->restore_paths = gw_json_paths_compile(&all_strings, 1, err, errlen)) == NULL ||
        (pv->all_paths = gw_json_paths_compile(&all_strings_keys, 1, err, errlen)) == NULL)
        goto fail;
    return pv;
fail:
    gw_privacy_free(pv);
    return NULL;
}

void gw_privacy_free(gw_privacy_t *pv)
{
    if (pv == NULL)
        return;
    for (size_t i = 0; i < pv->nadapters; i++) {
        gw_json_paths_free(pv->paths[i]);
        gw_json_paths_free(pv->notrain_paths[i]);
        gw_json_paths_free(pv->resp_json_paths[i]);
        gw_json_paths_free(pv->resp_sse_paths[i]);
    }
    pol_notrain_free(pv->notrain);
    for (size_t i = 0; i < pv->nforward; i++)
        free(pv->forward_types[i]);
    gw_json_paths_free(pv->restore_paths);
    gw_json_paths_free(pv->all_paths);
    pol_pii_engine_free(pv->engine);
    free(pv);
}

size_t gw_privacy_max_findings(const gw_privacy_t *pv)
{
    return pv->max_findings;
}

const pol_pii_engine_t *gw_privacy_engine(const gw_privacy_t *pv)
{
    return pv->engine;
}

int gw_privacy_scratch_init(const gw_privacy_t *pv, gw_privacy_scratch_t *s)
{
    memset(s, 0, sizeof(*s));
    s->json = (gw_json_scratch_t)GW_JSON_SCRATCH_INIT;
    s->json_inner = (gw_json_scratch_t)GW_JSON_SCRATCH_INIT;
    if ((s->clean = calloc(GW_CLEAN_SLOTS, sizeof(*s->clean))) == NULL)
        return -1;
    s->img = (pol_imagemeta_scratch_t)POL_IMAGEMETA_SCRATCH_INIT;
    return (s->pii = pol_pii_scratch_create(pv->engine)) != NULL ? 0 : -1;
}

void gw_privacy_scratch_dispose(gw_privacy_scratch_t *s)
{
    pol_pii_scratch_free(s->pii);
    s->pii = NULL;
    gw_json_scratch_free(&s->json);
    pol_imagemeta_scratch_free(&s->img);
    gw_buf_free(&s->tmp);
    gw_buf_free(&s->dec);
    gw_buf_free(&s->txt);
    gw_buf_free(&s->field);
    gw_buf_free(&s->inner);
    gw_buf_free(&s->inner_out);
    gw_buf_free(&s->pct);
    gw_json_scratch_free(&s->json_inner);
    free(s->clean);
    s->clean = NULL;
}

typedef struct st_scrub_ctx_t {
    const gw_privacy_t *pv;
    pol_pii_session_t *session;
    gw_privacy_scratch_t *scratch;
    gw_body_info_t *info;
    const prov_adapter_t *adapter;
    int failed;
    int nested; /* > 0 inside a JSON document decoded from a base64 text payload */
    int ai;     /* the adapter's index in pv->adapters, -1 if none */
    /* the last `type` beside a PROV_FILE_TYPED file field (Anthropic `source.type`): its object's path and whether it
       said "base64" (1) or something else (2); 0 = none seen */
    int typed_kind;
    char typed_parent[256];
} scrub_ctx_t;

static int on_request_string(void *ctx, int rule_id, const char *at, const char *s, size_t len, gw_buf_t *replacement);
static int on_request_key(void *ctx, int rule_id, const char *at, const char *s, size_t len, gw_buf_t *replacement);
static int on_request_number(void *ctx, int rule_id, const char *at, const char *s, size_t len, gw_buf_t *replacement);

/* Where the string being handled is: its path (the redaction log's field, refusal messages), built by the walker only
 * when it is needed (GW_JSON_V_LAZY_PATH, gw_json_path_text): a string or key whose verdict is cached never needs it (issue 12,
 * session 7: the path of every visited string was ~1.4k instructions of the proxy bench body's ~15k walk). `text` set = known. */
typedef struct st_where_t {
    const char *at; /* the walk's handle (GW_JSON_V_LAZY_PATH), or NULL when `text` is set */
    const char *text;
} where_t;

/* The path of `wh`; NULL when memory runs out (c->failed set: the pass ends with GW_E_INTERNAL). */
static const char *path_of(scrub_ctx_t *c, where_t *wh)
{
    if (wh->text == NULL && (wh->text = gw_json_path_text(wh->at)) == NULL)
        c->failed = 1;
    return wh->text;
}

/* Refuses the request from inside the walk: the message (never a value) goes to info, the walk stops. */
static int refuse(scrub_ctx_t *c, int status, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int refuse(scrub_ctx_t *c, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->info->refusal, sizeof(c->info->refusal), fmt, ap);
    va_end(ap);
    c->info->refusal_status = status;
    c->info->refusal_code = code;
    return GW_PRIVACY_E_REFUSED;
}

/* A JPEG / PNG / WebP payload (data: URI, or raw base64 whose first bytes tell the format) gets its metadata
 * stripped (policy/imagemeta.h: EXIF incl. GPS, XMP, IPTC, comments; pixels untouched). */
static int on_image(scrub_ctx_t *c, const pol_payload_t *pl, where_t *wh, const char *s, size_t len, gw_buf_t *replacement)
{
    pol_imagemeta_report_t rep;
    int rc = pl->data_uri ? pol_imagemeta_strip_data_uri(s, len, replacement, &c->scratch->img, &rep)
                          : pol_imagemeta_strip_base64(pl->mime, strlen(pl->mime), s, len, replacement, &c->scratch->img, &rep);
    if (rc == POL_IMAGEMETA_E_NOMEM) {
        c->failed = 1;
        return GW_E_INTERNAL;
    }
    c->info->has_images = 1;
    if (rc == POL_IMAGEMETA_E_CORRUPT || rc == POL_IMAGEMETA_E_BASE64 || rc == POL_IMAGEMETA_E_DATA_URI) {
        c->info->image_error = "an image could not be parsed (truncated or corrupt JPEG/PNG/WebP)";
        return 0;
    }
    if (rc < 0) { /* a variant the stripper does not handle: its metadata cannot be removed */
        const char *path = path_of(c, wh);
        return path == NULL ? GW_E_INTERNAL
                            : refuse(c, 415, "unscannable_payload",
                                     "aigw: the %s payload at %s cannot be stripped of metadata, so it is not forwarded (allow "
                                     "the type with pii.forward_unscanned_types)",
                                     pl->mime, path);
    }
    if (rc == 1)
        c->info->images_stripped++;
    return rc;
}

static int forwardable(const gw_privacy_t *pv, const char *mime)
{
    for (size_t i = 0; i < pv->nforward; i++)
        if (fnmatch(pv->forward_types[i], mime, 0) == 0)
            return 1;
    return 0;
}

/* Short strings known to hold nothing (per worker, across requests: the engine and the configuration are immutable for
 * a scratch's life): keys and enum values repeat in every request ("role", "content", "type", "user", "assistant"),
 * and their handling has a fixed cost (payload classification, the field name, the scan: ~0.1-1 us). A string is
 * cached only when its handling changed nothing, recorded no finding (a `block` finding leaves the text as is) and
 * refused nothing; the kind (CLEAN_*) says which handling. */

/* 8 bytes a step (a byte-wise FNV-1a cost ~5 instructions a byte); the kind is mixed in, so kinds do not collide */
static uint64_t clean_hash(const char *s, size_t n, uint32_t kind)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL * (kind + (uint64_t)n * 0x100);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, s + i, n - i);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    h = (h ^ (h >> 29)) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 32;
    return h ? h : 1;
}

static int clean_find(const gw_privacy_scratch_t *x, uint32_t kind, uint64_t h, const char *s, size_t n)
{
    for (size_t k = 0; k < 4; k++) {
        const struct st_gw_clean_slot_t *e = &x->clean[(h + k) & (GW_CLEAN_SLOTS - 1)];
        if (e->h == h && e->len == n && e->kind == kind && memcmp(e->s, s, n) == 0)
            return 1;
    }
    return 0;
}

static void clean_add(gw_privacy_scratch_t *x, uint32_t kind, uint64_t h, const char *s, size_t n)
{
    struct st_gw_clean_slot_t *e = &x->clean[h & (GW_CLEAN_SLOTS - 1)];
    for (size_t k = 0; k < 4; k++) {
        struct st_gw_clean_slot_t *f = &x->clean[(h + k) & (GW_CLEAN_SLOTS - 1)];
        if (f->h == 0) {
            e = f;
            break;
        }
    }
    e->h = h;
    e->len = (uint32_t)n;
    e->kind = kind;
    memcpy(e->s, s, n);
}

/* 1 when a string of `n` bytes can be looked up in the cache */
static inline int cacheable(const gw_privacy_scratch_t *x, size_t n)
{
    return n <= GW_CLEAN_MAX_BYTES && x->clean != NULL;
}

static size_t nfindings(const pol_pii_session_t *ss)
{
    size_t n;
    pol_pii_session_findings(ss, &n);
    return n;
}

/* 1 when `s` (`n` bytes) holds a percent-escape (%XX). */
static int has_pct_escape(const char *s, size_t n)
{
    const char *end = s + n;
    for (const char *p = s; (p = memchr(p, '%', (size_t)(end - p))) != NULL; p++)
        if (gw_pct_at(s, n, (size_t)(p - s)) >= 0)
            return 1;
    return 0;
}

/* Text as it will be forwarded (`f`, `fl` bytes: after its scrub, so what the scan found is a placeholder there) that
 * holds percent-escapes: a URL the provider fetches, a form value a tool decodes. Whoever decodes it reads what the
 * scan of the text as written did not see ("https://t.io/p?e=jane.doe%40example.com", "?c=4111111111111111%20": a
 * recognizer does not read through escapes inside a URL). The text is decoded and scanned; an e-mail address, card,
 * IBAN, SSN or phone number there cannot be replaced inside the encoding, so the request is refused (400
 * pii_in_encoded_text). @return 0, GW_PRIVACY_E_REFUSED, GW_E_INTERNAL */
static int encoded_pii(scrub_ctx_t *c, where_t *wh, const char *f, size_t fl)
{
    gw_buf_t *d = &c->scratch->pct;
    gw_buf_reset(d);
    if (gw_pct_decode_append(d, f, fl, 0) != 0) {
        c->failed = 1;
        return GW_E_INTERNAL;
    }
    const pol_pii_engine_t *e = c->pv->engine;
    const pol_pii_entity_t *ents;
    size_t n = 0;
    if (pol_pii_scan(e, c->scratch->pii, d->base, d->len, &ents, &n) != 0) {
        c->failed = 1;
        return GW_E_INTERNAL;
    }
    for (size_t i = 0; i < n; i++) {
        int t = ents[i].type;
        if ((t != POL_PII_EMAIL_ADDRESS && t != POL_PII_CREDIT_CARD && t != POL_PII_IBAN_CODE && t != POL_PII_US_SSN &&
             t != POL_PII_PHONE_NUMBER) ||
            pol_pii_engine_action(e, t) == POL_PII_ACT_ALLOW)
            continue;
        const char *path = path_of(c, wh);
        return path == NULL ? GW_E_INTERNAL
                            : refuse(c, 400, "pii_in_encoded_text",
                                     "aigw: %s holds percent-encoded personal data of type %s (a URL's query, a form value); "
                                     "aigw cannot replace it inside the encoding, so the request is not forwarded",
                                     path, pol_pii_type_name(e, t));
    }
    return 0;
}

static int scrub_text(scrub_ctx_t *c, where_t *wh, const char *s, size_t len, gw_buf_t *out)
{
    gw_privacy_scratch_t *x = c->scratch;
    uint64_t h = 0;
    size_t nf0 = 0;
    if (cacheable(x, len)) {
        h = clean_hash(s, len, CLEAN_TEXT);
        if (clean_find(x, CLEAN_TEXT, h, s, len))
            return 0;
        nf0 = nfindings(c->session);
    }
    const char *path = path_of(c, wh);
    if (path == NULL)
        return GW_E_INTERNAL;
    int rc = pol_pii_session_scrub(c->session, x->pii, path, s, len, out);
    if (rc < 0) {
        c->failed = 1;
        return GW_E_INTERNAL;
    }
    const char *f = rc == 1 ? (out->base != NULL ? out->base : "") : s;
    size_t fl = rc == 1 ? out->len : len;
    if (has_pct_escape(f, fl)) {
        int erc = encoded_pii(c, wh, f, fl);
        if (erc != 0)
            return erc;
    }
    if (rc == 0 && h != 0 && nfindings(c->session) == nf0)
        clean_add(x, CLEAN_TEXT, h, s, len);
    return rc;
}

static int on_payload(scrub_ctx_t *c, const pol_payload_t *pl, where_t *wh, const char *s, size_t len, gw_buf_t *replacement);

/* Every string value of the body, except declared structural fields: text, JSON (already decoded by the walker),
 * or a file payload sorted by its bytes. */
static int on_any_string(scrub_ctx_t *c, where_t *wh, const char *s, size_t len, gw_buf_t *replacement)
{
    gw_privacy_scratch_t *x = c->scratch;
    uint64_t h = 0;
    if (cacheable(x, len)) {
        h = clean_hash(s, len, CLEAN_VALUE);
        if (clean_find(x, CLEAN_VALUE, h, s, len))
            return 0;
    }
    pol_payload_t pl;
    if (pol_payload_classify(s, len, &pl, &x->dec) != 0) {
        c->failed = 1;
        return GW_E_INTERNAL;
    }
    if (pl.kind == POL_PAYLOAD_NONE) {
        size_t nf0 = h != 0 ? nfindings(c->session) : 0;
        int rc = scrub_text(c, wh, s, len, replacement);
        if (rc == 0 && h != 0 && nfindings(c->session) == nf0)
            clean_add(x, CLEAN_VALUE, h, s, len);
        return rc;
    }
    return on_payload(c, &pl, wh, s, len, replacement);
}

/* A string pol_payload_classify() or pol_payload_classify_file() found to be a file payload (`pl`, its decoded bytes in
 * the scratch's dec): an image is stripped, a text document scanned and re-encoded, anything else refused unless
 * pii.forward_unscanned_types names its type. */
static int on_payload(scrub_ctx_t *c, const pol_payload_t *ppl, where_t *wh, const char *s, size_t len, gw_buf_t *replacement)
{
    gw_privacy_scratch_t *x = c->scratch;
    pol_payload_t pl = *ppl;
    switch (pl.kind) {
    case POL_PAYLOAD_NONE:
        return scrub_text(c, wh, s, len, replacement);
    case POL_PAYLOAD_IMAGE:
        return on_image(c, &pl, wh, s, len, replacement);
    case POL_PAYLOAD_TEXT: {
        /* a text document (data:text/plain;base64,..., Gemini inlineData text/plain, a base64 .txt): scan the
           decoded text, re-encode it the same way. A JSON document is walked as JSON (its escapes would hide
           values from a text scan: "\nsk-..." reads "nsk-..."), once: deeper base64 JSON is refused. */
        gw_buf_reset(&x->txt);
        const char *d = x->dec.base != NULL ? x->dec.base : "";
        size_t i = 0;
        while (i < x->dec.len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
            i++;
        int rc;
        if (i < x->dec.len && (d[i] == '{' || d[i] == '[' || d[i] == '"') && gw_json_validate(d, x->dec.len, NULL, NULL) == 0) {
            if (c->nested) {
                const char *path = path_of(c, wh);
                return path == NULL
                           ? GW_E_INTERNAL
                           : refuse(c, 415, "unscannable_payload",
                                    "aigw: the payload at %s holds base64 JSON inside base64 JSON; it is not forwarded", path);
            }
            /* the decoded bytes move to `inner` (x->dec is reused by the strings of the inner walk) */
            gw_buf_reset(&x->inner);
            if (gw_buf_append(&x->inner, d, x->dec.len) != 0) {
                c->failed = 1;
                return GW_E_INTERNAL;
            }
            int changed = 0;
            c->nested++;
            gw_json_visitor_t v = {on_request_string, NULL, c, on_request_key, GW_JSON_V_UNIQUE_KEYS | GW_JSON_V_LAZY_PATH,
                                   on_request_number};
            /* the strings of the inner walk use dec and txt themselves: the output goes to inner_out */
            rc = gw_json_rewrite_ex(x->inner.base, x->inner.len, c->pv->all_paths, NULL, 0, &v, &x->inner_out, &changed, NULL, NULL,
                                    &x->json_inner);
            c->nested--;
            if (rc < 0)
                return rc == GW_JSON_E_NOMEM ? (c->failed = 1, GW_E_INTERNAL) : rc;
            gw_buf_reset(&x->txt);
            if (changed && gw_buf_append(&x->txt, x->inner_out.base, x->inner_out.len) != 0) {
                c->failed = 1;
                return GW_E_INTERNAL;
            }
            rc = changed;
        } else {
            rc = scrub_text(c, wh, d, x->dec.len, &x->txt);
        }
        if (rc < 0)
            return rc;
        if (rc == 1) {
            if (pol_payload_encode(&pl, x->txt.base != NULL ? x->txt.base : "", x->txt.len, replacement) != 0) {
                c->failed = 1;
                return GW_E_INTERNAL;
            }
            return 1;
        }
        /* a short base64-looking word is also text as written */
        return pl.data_uri ? 0 : scrub_text(c, wh, s, len, replacement);
    }
    case POL_PAYLOAD_BLOB:
        if (forwardable(c->pv, pl.mime)) {
            /* forwarded unscanned by configuration, but its text as written is scanned: base64 cannot hold readable
               personal data, so a finding is text put next to the payload (refused: rewriting would corrupt it) */
            gw_buf_reset(&x->txt);
            int rc = scrub_text(c, wh, s, len, &x->txt);
            if (rc == 1) /* scrub_text built the path */
                return refuse(c, 415, "unscannable_payload",
                              "aigw: the %s payload at %s carries text with personal data next to its bytes; it is not forwarded",
                              pl.mime, wh->text);
            return rc;
        }
        const char *path = path_of(c, wh);
        return path == NULL ? GW_E_INTERNAL
                            : refuse(c, 415, "unscannable_payload",
                                     "aigw: the %s payload at %s cannot be scanned for personal data, so it is not forwarded "
                                     "(allow the type with pii.forward_unscanned_types)",
                                     pl.mime, path);
    }
    return 0;
}

/* The length of `path` without its last member (".data", ".type"), or 0 when it has none. */
static size_t parent_len(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot != NULL ? (size_t)(dot - path) : 0;
}

/* A declared file field (prov_file_field_t `ff`): its bytes are sorted as a file at any length, never as prose. */
static int on_file_string(scrub_ctx_t *c, const prov_file_field_t *ff, where_t *wh, const char *s, size_t len,
                          gw_buf_t *replacement)
{
    int typed = 0; /* PROV_FILE_TYPED: 1 its `type` said base64, 2 it said something else, 0 not seen yet */
    if (ff->kind == PROV_FILE_TYPED && c->typed_kind != 0) {
        const char *path = path_of(c, wh);
        if (path == NULL)
            return GW_E_INTERNAL;
        size_t pl = parent_len(path);
        if (pl != 0 && pl == strlen(c->typed_parent) && memcmp(path, c->typed_parent, pl) == 0)
            typed = c->typed_kind;
    }
    if (typed == 2) /* a text document's text (Anthropic source type "text") */
        return on_any_string(c, wh, s, len, replacement);
    if (ff->kind == PROV_FILE_URI &&
        ((len >= 8 && strncasecmp(s, "https://", 8) == 0) || (len >= 7 && strncasecmp(s, "http://", 7) == 0)))
        return on_any_string(c, wh, s, len, replacement); /* a link the provider fetches: text to aigw */
    pol_payload_t pl;
    if (pol_payload_classify_file(s, len, &pl, &c->scratch->dec) != 0) {
        c->failed = 1;
        return GW_E_INTERNAL;
    }
    if (pl.undecodable) {
        if (ff->kind == PROV_FILE_TYPED && typed == 0) /* its type is not known yet: not base64, so not a file */
            return on_any_string(c, wh, s, len, replacement);
        /* a file that does not decode: scanning it as text would not see what the provider decodes from it */
        const char *path = path_of(c, wh);
        return path == NULL ? GW_E_INTERNAL
                            : refuse(c, 415, "unscannable_payload",
                                     "aigw: %s holds file data by the provider's format, but its value is neither base64 nor a "
                                     "valid data: URI, so it cannot be scanned; it is not forwarded",
                                     path);
    }
    return on_payload(c, &pl, wh, s, len, replacement);
}

static int on_request_string(void *ctx, int rule_id, const char *at, const char *s, size_t len, gw_buf_t *replacement)
{
    scrub_ctx_t *c = ctx;
    where_t wh = {at, NULL};
    if (rule_id >= GW_FILE_RULE_BASE && rule_id < GW_FILE_RULE_BASE + GW_MAX_FILE_FIELDS)
        return on_file_string(c, &c->adapter->file_fields[rule_id - GW_FILE_RULE_BASE], &wh, s, len, replacement);
    if (rule_id < GW_SKIP_RULE_BASE)
        return on_any_string(c, &wh, s, len, replacement);
    size_t k = (size_t)(rule_id - GW_SKIP_RULE_BASE);
    const prov_skip_t *sk = &c->adapter->skip_fields[k];
    if (c->ai >= 0 && k < 128 && (c->pv->type_skips[c->ai][k / 64] >> (k % 64) & 1)) {
        /* the `type` beside a typed file field: remember what it said for the data of the same object */
        const char *path = path_of(c, &wh);
        if (path == NULL)
            return GW_E_INTERNAL;
        size_t pl = parent_len(path);
        c->typed_kind = 0;
        if (pl < sizeof(c->typed_parent)) {
            memcpy(c->typed_parent, path, pl);
            c->typed_parent[pl] = '\0';
            c->typed_kind = len == 6 && memcmp(s, "base64", 6) == 0 ? 1 : 2;
        }
    }
    if (sk->kind == PROV_SKIP_OPAQUE) {
        /* a provider's own token is base64 of bytes only the provider reads (encrypted, signed): anything else was not
           issued by the provider. Base64 of text is no such token: its text is scanned, and personal data in it refuses
           the request (the provider's logs and error messages would carry it). */
        if (pol_payload_is_base64_token(s, len)) {
            pol_payload_t opl;
            if (pol_payload_classify_file(s, len, &opl, &c->scratch->dec) != 0) {
                c->failed = 1;
                return GW_E_INTERNAL;
            }
            if (opl.kind != POL_PAYLOAD_TEXT || c->scratch->dec.len == 0)
                return 0;
            gw_buf_reset(&c->scratch->txt);
            int orc = scrub_text(c, &wh, c->scratch->dec.base, c->scratch->dec.len, &c->scratch->txt);
            if (orc != 1)
                return orc;
            return refuse(c, 400, "invalid_opaque_field",
                          "aigw: %s must be the provider-issued token it returned; it holds base64 text with personal data, "
                          "so it is not forwarded",
                          wh.text);
        }
        const char *path = path_of(c, &wh);
        return path == NULL ? GW_E_INTERNAL
                            : refuse(c, 400, "invalid_opaque_field",
                                     "aigw: %s must be the provider-issued token (base64) it returned; it is not forwarded "
                                     "otherwise",
                                     path);
    }
    /* structural: scanned, never rewritten. An id, role or model name is never a file or a JSON document: such a
       value is not what the field holds, and scanning it as text could miss what it encodes */
    uint64_t h = 0;
    if (cacheable(c->scratch, len)) {
        h = clean_hash(s, len, CLEAN_STRUCT);
        if (clean_find(c->scratch, CLEAN_STRUCT, h, s, len))
            return 0;
    }
    pol_payload_t pl;
    if (pol_payload_classify(s, len, &pl, &c->scratch->dec) != 0) {
        c->failed = 1;
        return GW_E_INTERNAL;
    }
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (pl.kind != POL_PAYLOAD_NONE || (i < len && (s[i] == '{' || s[i] == '[' || s[i] == '"'))) {
        const char *path = path_of(c, &wh);
        return path == NULL ? GW_E_INTERNAL
                            : refuse(c, 400, "invalid_structural_field",
                                     "aigw: %s holds encoded data (JSON or base64) in a field aigw does not rewrite (model, role, "
                                     "id, type); the request is not forwarded",
                                     path);
    }
    gw_buf_reset(&c->scratch->txt);
    size_t nf0 = h != 0 ? nfindings(c->session) : 0;
    int rc = scrub_text(c, &wh, s, len, &c->scratch->txt);
    if (rc == 1) /* scrub_text built the path */
        return refuse(c, 400, "pii_in_structural_field",
                      "aigw: %s holds personal data and is a field aigw does not rewrite (model, role, id, type); the "
                      "request is not forwarded",
                      wh.text);
    if (rc == 0 && h != 0 && nfindings(c->session) == nf0)
        clean_add(c->scratch, CLEAN_STRUCT, h, s, len);
    return rc;
}

/* Every object key: personal data in a key (tool-call arguments {"jane@example.com": ...}) is rewritten like a
 * value; the walker keeps keys unique. The redaction log names the field "<object path>.{key}". */
static int on_request_key(void *ctx, int rule_id, const char *at, const char *s, size_t len, gw_buf_t *replacement)
{
    scrub_ctx_t *c = ctx;
    /* a key is text (never a payload or a document): its verdict is scrub_text's, looked up before the field name is
       built */
    if (cacheable(c->scratch, len) && clean_find(c->scratch, CLEAN_TEXT, clean_hash(s, len, CLEAN_TEXT), s, len))
        return 0;
    gw_buf_t *f = &c->scratch->field;
    gw_buf_reset(f);
    const char *path = gw_json_path_text(at);
    if (path == NULL || gw_buf_append(f, path, strlen(path)) != 0 ||
        gw_buf_append(f, path[0] != '\0' ? ".{key}" : "{key}", path[0] != '\0' ? 6 : 5) != 0) {
        c->failed = 1;
        return GW_E_INTERNAL;
    }
    where_t fw = {NULL, f->base};
    return scrub_text(c, &fw, s, len, replacement);
}

/* A number's plain decimal spelling (sign, digits, at most one '.') when it is written with a fraction or an exponent
 * ("4.111111111111111e15" -> "4111111111111111", "4111111111111111.0" -> "4111111111111111"): what a provider that
 * parses it as a float renders to the model. Written to `out` (`cap` bytes), NUL-terminated. @return its length, or 0
 * when the number has neither, or its spelling would be longer than `cap` - 1 (no digit run of personal data is). */
static size_t number_plain(const char *s, size_t len, char *out, size_t cap)
{
    char d[GW_NUMBER_MAX_PLAIN];
    size_t nd = 0, i = 0, o = 0;
    long point = -1, e = 0;
    int neg = 0, fancy = 0;
    if (i < len && s[i] == '-')
        neg = 1, i++;
    for (; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
        if (s[i] == '.') {
            point = (long)nd;
            fancy = 1;
        } else if (nd < sizeof(d)) {
            d[nd++] = s[i];
        } else {
            return 0;
        }
    }
    if (point < 0)
        point = (long)nd;
    if (i < len) { /* exponent */
        fancy = 1;
        int eneg = 0;
        if (++i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        for (; i < len; i++) {
            e = e * 10 + (s[i] - '0');
            if (e > (long)cap)
                return 0;
        }
        point += eneg ? -e : e;
    }
    if (!fancy || point > (long)cap || point < -(long)cap)
        return 0;
    /* digits d[0, nd) with the decimal point before d[point] (point may be < 0 or > nd): the integer part without
       leading zeros, then the fraction without trailing zeros */
    if (neg)
        out[o++] = '-';
    int lead = 1;
    for (long k = 0; k < point; k++) {
        char ch = k < (long)nd ? d[k] : '0';
        if (lead && ch == '0')
            continue;
        lead = 0;
        if (o + 1 >= cap)
            return 0;
        out[o++] = ch;
    }
    if (lead)
        out[o++] = '0';
    long last = (long)nd - 1;
    while (last >= 0 && last >= point && d[last] == '0')
        last--;
    if (last >= 0 && last >= point) {
        if (o + 1 >= cap)
            return 0;
        out[o++] = '.';
        for (long k = point; k <= last; k++) {
            if (o + 1 >= cap)
                return 0;
            out[o++] = k < 0 ? '0' : d[k];
        }
    }
    out[o] = '\0';
    return o;
}

/* Every number value of the body (gw_json_visitor_t.on_number): a JSON number is text the model reads like any other
 * (a tool result's {"card": 4111111111111111}, a phone in a Gemini functionResponse), so it is scanned as written and,
 * with a fraction or an exponent, in its plain decimal spelling. Personal data there replaces the number by the
 * scrubbed text as a JSON string (the field's type changes: a provider that wants a number refuses it, nothing
 * leaks); in a declared structural or opaque field the request is refused. Numbers of fewer than
 * GW_NUMBER_MIN_DIGITS digits (max_tokens, temperature, indexes) are no personal data of any recognised type. */
static int on_request_number(void *ctx, int rule_id, const char *at, const char *s, size_t len, gw_buf_t *replacement)
{
    scrub_ctx_t *c = ctx;
    size_t digits = 0;
    for (size_t i = 0; i < len; i++)
        digits += s[i] >= '0' && s[i] <= '9';
    if (digits < GW_NUMBER_MIN_DIGITS)
        return 0;
    where_t wh = {at, NULL};
    char plain[GW_NUMBER_MAX_PLAIN + 8];
    size_t pn = number_plain(s, len, plain, sizeof(plain));
    int rc = scrub_text(c, &wh, s, len, replacement);
    if (rc == 0 && pn != 0)
        rc = scrub_text(c, &wh, plain, pn, replacement);
    if (rc != 1 || rule_id < GW_SKIP_RULE_BASE ||
        (rule_id >= GW_FILE_RULE_BASE && rule_id < GW_FILE_RULE_BASE + GW_MAX_FILE_FIELDS))
        return rc;
    return refuse(c, 400, "pii_in_structural_field",
                  "aigw: %s holds personal data and is a field aigw does not rewrite (model, role, id, type); the request is "
                  "not forwarded",
                  wh.text);
}

static void on_request_capture(void *ctx, int rule_id, const char *raw, size_t len, int type)
{
    scrub_ctx_t *c = ctx;
    switch (rule_id) {
    case CAP_USER:
        if (type == GW_JSON_T_STRING) {
            gw_buf_reset(&c->info->user);
            gw_json_unescape(raw, len, &c->info->user);
            capture_id(c->info, 0, raw, len);
        }
        break;
    case CAP_SAFETY_ID:
        if (type == GW_JSON_T_STRING)
            capture_id(c->info, 1, raw, len);
        if (type == GW_JSON_T_STRING && c->info->user.len == 0) {
            gw_json_unescape(raw, len, &c->info->user);
            c->info->has_safety_identifier = 1;
        }
        break;
    case CAP_META_USER_ID:
        if (type == GW_JSON_T_STRING)
            capture_id(c->info, 2, raw, len);
        break;
    case CAP_MODEL:
        if (type == GW_JSON_T_STRING)
            gw_json_unescape(raw, len, &c->info->model);
        break;
    case CAP_STREAM:
        c->info->stream = type == GW_JSON_T_TRUE;
        break;
    case CAP_INCLUDE_USAGE:
        c->info->include_usage = type == GW_JSON_T_TRUE ? 1 : 0;
        break;
    case CAP_MAX_TOKENS:
    case CAP_N:
        if (type == GW_JSON_T_NUMBER && len < 20) {
            int64_t v = 0;
            size_t i = 0;
            for (; i < len && raw[i] >= '0' && raw[i] <= '9'; i++)
                v = v * 10 + (raw[i] - '0');
            if (i == len && len > 0) {
                if (rule_id == CAP_N)
                    c->info->n = v;
                else if (v > c->info->max_tokens)
                    c->info->max_tokens = v;
            }
        }
        break;
    case CAP_OUTPUT_TYPE:
    case CAP_OUTPUT_MIME:
        if (type == GW_JSON_T_STRING) {
            /* the raw literal with its quotes; the values compared are plain ASCII (an escaped spelling is not one) */
            const char *v = raw + 1;
            size_t n = len - 2;
            int json = rule_id == CAP_OUTPUT_TYPE
                           ? (n == 11 && memcmp(v, "json_schema", 11) == 0) || (n == 11 && memcmp(v, "json_object", 11) == 0)
                           : n >= 16 && strncasecmp(v, "application/json", 16) == 0 && (n == 16 || v[16] == ';' || v[16] == ' ');
            c->info->output_mode = json ? GW_OUTPUT_JSON : GW_OUTPUT_TEXT;
        }
        break;
    case CAP_SIZE:
    case CAP_QUALITY:
        if (type == GW_JSON_T_STRING && len >= 2 && len - 2 < sizeof(c->info->size)) {
            char *dst = rule_id == CAP_SIZE ? c->info->size : c->info->quality;
            memcpy(dst, raw + 1, len - 2);
            dst[len - 2] = '\0';
        }
        break;
    }
}

void gw_privacy_info_reset(gw_body_info_t *info)
{
    gw_buf_t user = info->user, model = info->model; /* their memory is kept for the next request */
    memset(info, 0, sizeof(*info));                  /* every other field by construction (STYLE rule 29) */
    info->user = user;
    info->model = model;
    gw_buf_reset(&info->user);
    gw_buf_reset(&info->model);
    info->include_usage = -1;
    info->max_tokens = -1;
}

int gw_privacy_scrub_request(const gw_privacy_t *pv, gw_privacy_scratch_t *s, const prov_adapter_t *adapter,
                             pol_pii_session_t *session, const char *body, size_t len, gw_buf_t *out, int *changed,
                             gw_body_info_t *info, const char **err_desc, size_t *err_offset)
{
    const gw_json_paths_t *paths = NULL;
    for (size_t i = 0; i < pv->nadapters; i++)
        if (pv->adapters[i] == adapter)
            paths = pv->paths[i];
    gw_privacy_info_reset(info);
    scrub_ctx_t ctx = {pv, session, s, info, adapter, 0, 0, -1, 0, {0}};
    for (size_t i = 0; i < pv->nadapters; i++)
        if (pv->adapters[i] == adapter)
            ctx.ai = (int)i;
    gw_json_visitor_t v = {on_request_string, on_request_capture, &ctx, on_request_key, GW_JSON_V_UNIQUE_KEYS | GW_JSON_V_LAZY_PATH,
                           on_request_number};
    int rc = gw_json_rewrite_ex(body, len, paths, NULL, 0, &v, out, changed, err_desc, err_offset, &s->json);
    if (ctx.failed)
        return GW_E_INTERNAL;
    return rc;
}

/* A part's name, or the value of its `model` part: structural like a JSON key the provider defines or a model name,
 * scanned and never rewritten (a provider reads the name as its field), so personal data there refuses the request.
 * `what` names the value in the message. @return 0, GW_PRIVACY_E_REFUSED, GW_E_INTERNAL */
static int mp_structural(scrub_ctx_t *c, const gw_multipart_part_t *part, const char *what, const char *s, size_t len)
{
    char field[96];
    snprintf(field, sizeof(field), "multipart.%.*s", (int)(part->name_len < 64 ? part->name_len : 64), part->name);
    where_t fw = {NULL, field};
    gw_buf_reset(&c->scratch->txt);
    int rc = scrub_text(c, &fw, s, len, &c->scratch->txt);
    if (rc == 1)
        return refuse(c, 400, "pii_in_structural_field",
                      "aigw: the %s of a multipart/form-data part holds personal data and is a field aigw does not rewrite; "
                      "the request is not forwarded",
                      what);
    return rc;
}

static int on_mp_text(void *ctx, const gw_multipart_part_t *part, gw_buf_t *replacement)
{
    scrub_ctx_t *c = ctx;
    int rc = mp_structural(c, part, "name", part->name, part->name_len);
    if (rc != 0)
        return rc;
    if (part->name_len == 5 && memcmp(part->name, "model", 5) == 0) {
        if ((rc = mp_structural(c, part, "model", part->body, part->body_len)) != 0)
            return rc;
        gw_buf_reset(&c->info->model);
        gw_buf_append(&c->info->model, part->body, part->body_len);
        return 0;
    }
    if (part->name_len == 4 && memcmp(part->name, "user", 4) == 0 && c->info->user.len == 0)
        gw_buf_append(&c->info->user, part->body, part->body_len);
    char field[96];
    snprintf(field, sizeof(field), "multipart.%.*s", (int)(part->name_len < 64 ? part->name_len : 64), part->name);
    rc = pol_pii_session_scrub(c->session, c->scratch->pii, field, part->body, part->body_len, replacement);
    if (rc < 0)
        c->failed = 1;
    return rc;
}

static int on_mp_file(void *ctx, const gw_multipart_part_t *part, gw_buf_t *replacement)
{
    scrub_ctx_t *c = ctx;
    int rc = mp_structural(c, part, "name", part->name, part->name_len);
    if (rc != 0)
        return rc;
    pol_imagemeta_report_t rep;
    rc = pol_imagemeta_strip((const unsigned char *)part->body, part->body_len, replacement, &rep);
    if (rc == POL_IMAGEMETA_E_NOMEM) {
        c->failed = 1;
        return GW_E_INTERNAL;
    }
    if (rep.format == POL_IMAGEMETA_UNKNOWN) {
        /* not JPEG/PNG/WebP: sorted like a payload inside JSON (issue 10): text is scanned, anything else refused
           unless its type is allowed */
        pol_payload_t pl;
        pol_payload_sniff((const unsigned char *)part->body, part->body_len, &pl);
        if (pl.kind == POL_PAYLOAD_TEXT) {
            char field[96];
            snprintf(field, sizeof(field), "multipart.%.*s", (int)(part->name_len < 64 ? part->name_len : 64), part->name);
            where_t fw = {NULL, field};
            return scrub_text(c, &fw, part->body, part->body_len, replacement);
        }
        if (forwardable(c->pv, pl.mime))
            return 0;
        return refuse(c, 415, "unscannable_payload",
                      "aigw: the uploaded %s file (part \"%.*s\") cannot be scanned for personal data or stripped of metadata, "
                      "so it is not forwarded (allow the type with pii.forward_unscanned_types)",
                      pl.mime, (int)(part->name_len < 64 ? part->name_len : 64), part->name);
    }
    c->info->has_images = 1;
    if (rc == POL_IMAGEMETA_E_CORRUPT) {
        c->info->image_error = "an uploaded image could not be parsed (truncated or corrupt JPEG/PNG/WebP)";
        return 0;
    }
    if (rc == 1)
        c->info->images_stripped++;
    return rc == 1 ? 1 : 0;
}

int gw_privacy_scrub_multipart(const gw_privacy_t *pv, gw_privacy_scratch_t *s, pol_pii_session_t *session,
                               const char *content_type, size_t ct_len, const char *body, size_t len, gw_buf_t *out, int *changed,
                               gw_body_info_t *info, const char **err_desc)
{
    char boundary[GW_MULTIPART_MAX_BOUNDARY + 1];
    size_t blen;
    gw_privacy_info_reset(info);
    *changed = 0;
    int rc = gw_multipart_boundary(content_type, ct_len, boundary, &blen, err_desc);
    if (rc != 0)
        return rc;
    scrub_ctx_t ctx = {pv, session, s, info, NULL, 0, 0, -1, 0, {0}};
    gw_multipart_rewriter_t rw = {on_mp_text, on_mp_file, 1, &ctx};
    rc = gw_multipart_rewrite(body, len, boundary, blen, &rw, out, changed, err_desc);
    if (ctx.failed)
        return GW_E_INTERNAL;
    return rc;
}
