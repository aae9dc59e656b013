/*
 * `aigw scrub`: reads JSON lines, scrubs the "text" of each with one PII session (reset per line,
 * so tokens restart at _1 on every line), prints the scrubbed text and the entities found.
 * Entities are reported with code point offsets into the input, converted from the engine's
 * byte offsets in one pass.
 *
 * Built for batch speed: stdin is read in 1 MiB blocks and split at '\n' in place (a line longer
 * than a block grows one buffer; no limit other than memory, the engine refuses texts over
 * 4 GiB), each line is validated and its "text" decoded by the gateway's own one-pass JSON reader
 * (common/json.h: a SCAN rule hands over the decoded string, a CAPTURE rule tells its type), and
 * the output lines are built in one buffer written with one fwrite per 256 KiB. Nothing is
 * allocated per line once the buffers have grown. The output is byte-identical to the jansson
 * JSON_COMPACT dump it replaces (key order, escapes with upper-case \u00XX, reals as %.17g with
 * ".0"); only the text of `{"error": ...}` lines for malformed input comes from the new reader.
 * As with jansson, a duplicated "text" key counts by its last occurrence.
 */
#include "gateway/cmd_scrub.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "gateway/config.h"
#include "common/buf.h"
#include "common/json.h"
#include "policy/pii/pii.h"

#define SCRUB_READ_BYTES (1u << 20)
#define SCRUB_FLUSH_BYTES (256u << 10)

static void usage(FILE *f)
{
    fputs("usage: aigw scrub [--config FILE]\n"
          "  reads {\"text\": ...} JSON lines on stdin, writes {\"text\": <scrubbed>, \"entities\": [...]} lines;\n"
          "  entity offsets are Unicode code points of the input text.\n",
          f);
}

typedef struct st_scrub_t {
    const pol_pii_engine_t *e;
    pol_pii_scratch_t *s;
    pol_pii_session_t *ss;
    gw_json_paths_t *paths;
    gw_json_scratch_t js;
    gw_buf_t text; /* the decoded "text" of the current line */
    int text_type; /* GW_JSON_T_* of the last "text" member, 0 if none */
    gw_buf_t scrubbed;
    gw_buf_t out; /* output lines not yet written */
    FILE *fout;
} scrub_t;

enum { RULE_TEXT_SCAN, RULE_TEXT_TYPE };

static int on_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement)
{
    scrub_t *sc = ctx;
    (void)rule_id;
    (void)path;
    (void)replacement;
    gw_buf_reset(&sc->text);
    return gw_buf_append(&sc->text, s, len) != 0 ? GW_JSON_E_NOMEM : 0;
}

static void on_capture(void *ctx, int rule_id, const char *raw, size_t len, int json_type)
{
    scrub_t *sc = ctx;
    (void)rule_id;
    (void)raw;
    (void)len;
    sc->text_type = json_type;
}

/* jansson's string dump (JSON_COMPACT, no ENSURE_ASCII): '"' '\\' and controls escaped, \u00XX in
 * upper case, everything else (valid UTF-8 here) copied: the one escaper with jansson's hex case */
static int put_string(gw_buf_t *b, const char *s, size_t len)
{
    return gw_json_escape_flags(s, len, b, GW_JSON_ESC_UPPER_HEX);
}

static int put_uint(gw_buf_t *b, size_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return gw_buf_append(b, tmp + sizeof(tmp) - n, n);
}

/* jansson's real dump: %.17g, ".0" when it reads as an integer, exponent without '+' and leading zeros */
static int put_real(gw_buf_t *b, double v)
{
    char tmp[40], clean[40];
    int n = snprintf(tmp, sizeof(tmp), "%.17g", v);
    if (n <= 0 || (size_t)n >= sizeof(tmp) - 2)
        return -1;
    if (strchr(tmp, '.') == NULL && strchr(tmp, 'e') == NULL) {
        memcpy(tmp + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(tmp, 'e');
    if (e == NULL)
        return gw_buf_append(b, tmp, (size_t)n);
    size_t k = (size_t)(e - tmp) + 1, o = k;
    memcpy(clean, tmp, k);
    const char *p = e + 1;
    if (*p == '+')
        p++;
    else if (*p == '-')
        clean[o++] = *p++;
    while (*p == '0' && p[1] != '\0')
        p++;
    while (*p != '\0')
        clean[o++] = *p++;
    return gw_buf_append(b, clean, o);
}

static int put_error(gw_buf_t *b, const char *msg)
{
    if (gw_buf_append(b, "{\"error\":", 9) != 0 || put_string(b, msg, strlen(msg)) != 0)
        return -1;
    return gw_buf_append(b, "}\n", 2);
}

static int flush_out(scrub_t *sc)
{
    if (sc->out.len > 0 && fwrite(sc->out.base, 1, sc->out.len, sc->fout) != sc->out.len)
        return -1;
    gw_buf_reset(&sc->out);
    return 0;
}

/* one input line (without its line break): appends one output line; -1 on allocation failure */
static int scrub_line(scrub_t *sc, const char *line, size_t n)
{
    const char *err = NULL;
    int changed = 0;
    gw_json_visitor_t vis = {.on_string = on_string, .on_capture = on_capture, .ctx = sc};
    sc->text_type = 0;
    int rc = gw_json_rewrite_ex(line, n, sc->paths, NULL, 0, &vis, &sc->scrubbed, &changed, &err, NULL, &sc->js);
    if (rc == GW_JSON_E_NOMEM)
        return -1;
    if (rc != 0)
        return put_error(&sc->out, err != NULL ? err : "invalid JSON");
    if (sc->text_type != GW_JSON_T_STRING)
        return put_error(&sc->out, "expected an object with a string \"text\"");
    pol_pii_session_reset(sc->ss);
    rc = pol_pii_session_scrub(sc->ss, sc->s, "text", sc->text.base, sc->text.len, &sc->scrubbed);
    if (rc < 0)
        return put_error(&sc->out, "scan failed");
    size_t nf;
    const pol_pii_finding_t *f = pol_pii_session_findings(sc->ss, &nf);
    gw_buf_t *o = &sc->out;
    if (gw_buf_append(o, "{\"text\":", 8) != 0 ||
        (rc == 1 ? put_string(o, sc->scrubbed.base, sc->scrubbed.len) : put_string(o, sc->text.base, sc->text.len)) != 0 ||
        gw_buf_append(o, ",\"entities\":[", 13) != 0)
        return -1;
    for (size_t i = 0; i < nf; i++) {
        const char *tn = pol_pii_type_name(sc->e, f[i].type);
        if ((i > 0 && gw_buf_append(o, ",", 1) != 0) || gw_buf_append(o, "{\"type\":", 8) != 0 ||
            put_string(o, tn, strlen(tn)) != 0 || gw_buf_append(o, ",\"start\":", 9) != 0 || put_uint(o, f[i].start) != 0 ||
            gw_buf_append(o, ",\"end\":", 7) != 0 || put_uint(o, f[i].end) != 0 || gw_buf_append(o, ",\"score\":", 9) != 0 ||
            put_real(o, f[i].score) != 0 || gw_buf_append(o, "}", 1) != 0)
            return -1;
    }
    return gw_buf_append(o, "]}\n", 3);
}

/* the lines of `in`, each handed to scrub_line with its trailing "\n" / "\r" removed */
static int run(scrub_t *sc, FILE *in)
{
    char *buf = NULL;
    size_t cap = 0, have = 0; /* bytes of an unfinished line at the start of buf */
    int status = -1;
    for (;;) {
        if (cap - have < SCRUB_READ_BYTES) {
            size_t ncap = have + SCRUB_READ_BYTES > cap * 2 ? have + SCRUB_READ_BYTES : cap * 2;
            char *nb = realloc(buf, ncap);
            if (nb == NULL)
                goto out;
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + have, 1, cap - have, in);
        size_t end = have + got, start = 0;
        int eof = got == 0;
        for (;;) {
            char *nl = memchr(buf + start, '\n', end - start);
            size_t le;
            if (nl != NULL)
                le = (size_t)(nl - buf);
            else if (eof && start < end)
                le = end;
            else
                break;
            size_t l = le - start;
            while (l > 0 && (buf[start + l - 1] == '\n' || buf[start + l - 1] == '\r'))
                l--;
            if (scrub_line(sc, buf + start, l) != 0)
                goto out;
            if (sc->out.len >= SCRUB_FLUSH_BYTES && flush_out(sc) != 0)
                goto out;
            start = nl != NULL ? le + 1 : end;
        }
        have = end - start;
        memmove(buf, buf + start, have);
        if (eof)
            break;
    }
    status = flush_out(sc);
out:
    free(buf);
    return status;
}

int gw_cmd_scrub_io(int argc, char **argv, FILE *in, FILE *out, FILE *errout)
{
    const char *config_path = NULL;
    char err[512];
    unsigned char key[32] = {0};
    int status = 1;
    gw_config_t *cfg = NULL;
    pol_pii_engine_t *e = NULL;
    scrub_t sc = {.js = GW_JSON_SCRATCH_INIT, .text = GW_BUF_INIT, .scrubbed = GW_BUF_INIT, .out = GW_BUF_INIT, .fout = out};

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config_path = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(out);
            return 0;
        } else {
            usage(errout);
            return 2;
        }
    }
    const json_t *pii = NULL;
    if (config_path != NULL) {
        if ((cfg = gw_config_load(config_path, err, sizeof(err))) == NULL) {
            fprintf(errout, "aigw scrub: %s\n", err);
            goto out;
        }
        pii = gw_config_section(cfg, "pii");
        const char *hex = json_string_value(json_object_get(pii, "hash_key_hex"));
        size_t klen = 0;
        if (hex != NULL && (sodium_hex2bin(key, sizeof(key), hex, strlen(hex), NULL, &klen, NULL) != 0 || klen != 32)) {
            fprintf(errout, "aigw scrub: %s: pii.hash_key_hex: expected 64 hex digits\n", config_path);
            goto out;
        }
    }
    if ((e = pol_pii_engine_create(pii, key, err, sizeof(err))) == NULL) {
        fprintf(errout, "aigw scrub: %s%s%s\n", config_path ? config_path : "", config_path ? ": " : "", err);
        goto out;
    }
    static const gw_json_rule_t rules[] = {
        {"text", GW_JSON_SCAN, RULE_TEXT_SCAN},
        {"text", GW_JSON_CAPTURE, RULE_TEXT_TYPE},
    };
    sc.e = e;
    if ((sc.paths = gw_json_paths_compile(rules, 2, err, sizeof(err))) == NULL) {
        fprintf(errout, "aigw scrub: %s\n", err);
        goto out;
    }
    if ((sc.s = pol_pii_scratch_create(e)) == NULL || (sc.ss = pol_pii_session_create(e)) == NULL) {
        fprintf(errout, "aigw scrub: out of memory\n");
        goto out;
    }
    if (run(&sc, in) != 0) {
        fprintf(errout, "aigw scrub: %s\n", ferror(out) ? "write error" : "out of memory");
        goto out;
    }
    fflush(out);
    status = 0;
out:
    gw_buf_free(&sc.text);
    gw_buf_free(&sc.scrubbed);
    gw_buf_free(&sc.out);
    gw_json_scratch_free(&sc.js);
    gw_json_paths_free(sc.paths);
    pol_pii_session_free(sc.ss);
    pol_pii_scratch_free(sc.s);
    pol_pii_engine_free(e);
    gw_config_free(cfg);
    sodium_memzero(key, sizeof(key));
    return status;
}

int gw_cmd_scrub(int argc, char **argv)
{
    return gw_cmd_scrub_io(argc, argv, stdin, stdout, stderr);
}
