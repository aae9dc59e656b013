/*
 * Fuzz target for the config parser (gateway/config.h): gw_config_parse, the validation of every
 * section it runs (listeners, clients, providers, store, pii with its custom recognizers, retry,
 * fallbacks...), gw_config_parse_store_only and gw_config_expand_env. A config is an operator's
 * file, but `aigw check` is what operators run on a file they are still writing: it must answer
 * every text with a config or one message, never crash.
 * Input: any bytes, the config's JSON text as is (not NUL-terminated: ASan catches a read past
 * it); the expansion reads it cut at its first NUL.
 * Invariants: no crash or sanitizer report; gw_config_parse returns a config with no message or
 * NULL with a message that names the origin; the same text gives the same answer twice (pure); a
 * text the full parser accepts is accepted by the store-only parser too (it validates a subset);
 * an expansion of a text with no `$` is the text itself, and a failed one says why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/config.h"
#include "support/support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bounds the work per input: a config is at most a few KiB, and the pii section compiles regexes. */
#define MAX_INPUT 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char *json = malloc(size != 0 ? size : 1);
    if (json == NULL)
        return 0;
    memcpy(json, data, size);
    char err[512], err2[512];
    err[0] = err2[0] = '\0';
    gw_config_t *cfg = gw_config_parse(json, size, "fuzz.json", err, sizeof(err));
    TS_CHECK(memchr(err, '\0', sizeof(err)) != NULL, "message not NUL-terminated");
    if (cfg != NULL) {
        TS_CHECK(err[0] == '\0', "a config and a message");
    } else {
        TS_CHECK(strncmp(err, "fuzz.json", 9) == 0, "a refusal whose message does not name the file");
    }
    gw_config_t *again = gw_config_parse(json, size, "fuzz.json", err2, sizeof(err2));
    TS_CHECK((again != NULL) == (cfg != NULL) && strcmp(err, err2) == 0, "gw_config_parse is not pure");
    gw_config_free(again);
    if (cfg != NULL) {
        gw_config_t *st = gw_config_parse_store_only(json, size, "fuzz.json", err2, sizeof(err2));
        TS_CHECK(st != NULL, "the store-only parser refuses a config the full parser accepts");
        gw_config_free(st);
    }
    gw_config_free(cfg);

    char *text = malloc(size + 1);
    if (text != NULL) {
        memcpy(text, data, size);
        text[size] = '\0';
        err[0] = '\0';
        char *x = gw_config_expand_env(text, err, sizeof(err));
        if (x == NULL)
            TS_CHECK(err[0] != '\0', "an expansion refused without a message");
        else if (strchr(text, '$') == NULL)
            TS_CHECK(strcmp(x, text) == 0, "an expansion changed a text without variables");
        free(x);
        free(text);
    }
    free(json);
    return 0;
}
