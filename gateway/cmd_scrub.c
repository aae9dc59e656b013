/*
 * `aigw scrub`: reads JSON lines, scrubs the "text" of each with one PII session (reset per line,
 * so tokens restart at _1 on every line), prints the scrubbed text and the entities found.
 * Entities are reported with code point offsets into the input, converted from the engine's
 * byte offsets in one pass. Lines are read with getline, so there is no line-length limit other
 * than memory; the engine itself refuses texts over 4 GiB.
 */
#include "gateway/cmd_scrub.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "gateway/config.h"
#include "policy/pii/pii.h"

static void usage(FILE *f)
{
    fputs("usage: aigw scrub [--config FILE]\n"
          "  reads {\"text\": ...} JSON lines on stdin, writes {\"text\": <scrubbed>, \"entities\": [...]} lines;\n"
          "  entity offsets are Unicode code points of the input text.\n",
          f);
}

static void print_error(FILE *out, const char *msg)
{
    json_t *o = json_pack("{s:s}", "error", msg);
    if (o != NULL) {
        json_dumpf(o, out, JSON_COMPACT);
        fputc('\n', out);
        json_decref(o);
    }
}

static int scrub_line(const pol_pii_engine_t *e, pol_pii_scratch_t *s, pol_pii_session_t *ss, pol_buf_t *buf, const char *line,
                      size_t n, FILE *out)
{
    json_error_t jerr;
    json_t *in = json_loadb(line, n, JSON_ALLOW_NUL, &jerr), *text;
    if (in == NULL) {
        print_error(out, jerr.text);
        return 0;
    }
    if (!json_is_object(in) || !json_is_string(text = json_object_get(in, "text"))) {
        print_error(out, "expected an object with a string \"text\"");
        json_decref(in);
        return 0;
    }
    const char *t = json_string_value(text);
    size_t tl = json_string_length(text);
    pol_pii_session_reset(ss);
    int rc = pol_pii_session_scrub(ss, s, "text", t, tl, buf);
    if (rc < 0) {
        print_error(out, "scan failed");
        json_decref(in);
        return 0;
    }
    size_t nf;
    const pol_pii_finding_t *f = pol_pii_session_findings(ss, &nf);
    json_t *ents = json_array();
    for (size_t i = 0; i < nf && ents != NULL; i++)
        json_array_append_new(ents, json_pack("{s:s,s:I,s:I,s:f}", "type", pol_pii_type_name(e, f[i].type), "start",
                                              (json_int_t)f[i].start, "end", (json_int_t)f[i].end, "score", f[i].score));
    json_t *res = json_object();
    if (res == NULL || ents == NULL) {
        json_decref(res);
        json_decref(ents);
        json_decref(in);
        return -1;
    }
    json_object_set_new(res, "text", rc == 1 ? json_stringn(buf->base, buf->len) : json_stringn(t, tl));
    json_object_set_new(res, "entities", ents);
    json_dumpf(res, out, JSON_COMPACT);
    fputc('\n', out);
    json_decref(res);
    json_decref(in);
    return 0;
}

int gw_cmd_scrub_io(int argc, char **argv, FILE *in, FILE *out, FILE *errout)
{
    const char *config_path = NULL;
    char err[512];
    unsigned char key[32] = {0};
    int status = 1;
    gw_config_t *cfg = NULL;
    pol_pii_engine_t *e = NULL;
    pol_pii_scratch_t *s = NULL;
    pol_pii_session_t *ss = NULL;
    pol_buf_t buf = POL_BUF_INIT;
    char *line = NULL;
    size_t cap = 0;

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
    if ((s = pol_pii_scratch_create(e)) == NULL || (ss = pol_pii_session_create(e)) == NULL) {
        fprintf(errout, "aigw scrub: out of memory\n");
        goto out;
    }
    ssize_t n;
    while ((n = getline(&line, &cap, in)) >= 0) {
        size_t l = (size_t)n;
        while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r'))
            l--;
        if (scrub_line(e, s, ss, &buf, line, l, out) != 0) {
            fprintf(errout, "aigw scrub: out of memory\n");
            goto out;
        }
    }
    fflush(out);
    status = 0;
out:
    free(line);
    pol_buf_free(&buf);
    pol_pii_session_free(ss);
    pol_pii_scratch_free(s);
    pol_pii_engine_free(e);
    gw_config_free(cfg);
    sodium_memzero(key, sizeof(key));
    return status;
}

int gw_cmd_scrub(int argc, char **argv)
{
    return gw_cmd_scrub_io(argc, argv, stdin, stdout, stderr);
}
