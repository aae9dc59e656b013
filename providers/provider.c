/*
 * The adapter table. Adding a provider: write providers/<name>.c defining a prov_adapter_t,
 * declare it in provider.h, add one row below.
 */
#include "providers/provider.h"

#include <stdio.h>
#include <string.h>

static const prov_adapter_t *const adapters[] = {
    &prov_openai,
};

const prov_adapter_t *prov_find(const char *name)
{
    for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
        if (strcmp(adapters[i]->name, name) == 0)
            return adapters[i];
    return NULL;
}

const prov_adapter_t *const *prov_all(size_t *n)
{
    *n = sizeof(adapters) / sizeof(adapters[0]);
    return adapters;
}

int prov__json_str(pol_buf_t *out, const char *s, size_t len)
{
    if (pol_buf_reserve(out, len + 2) != 0)
        return -1;
    out->base[out->len++] = '"';
    size_t run = 0; /* start of the current run of bytes that need no escaping */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (pol_buf_append(out, s + run, i - run) != 0)
            return -1;
        char esc[8];
        int n;
        switch (c) {
        case '"':
            n = snprintf(esc, sizeof(esc), "\\\"");
            break;
        case '\\':
            n = snprintf(esc, sizeof(esc), "\\\\");
            break;
        case '\n':
            n = snprintf(esc, sizeof(esc), "\\n");
            break;
        case '\r':
            n = snprintf(esc, sizeof(esc), "\\r");
            break;
        case '\t':
            n = snprintf(esc, sizeof(esc), "\\t");
            break;
        default:
            n = snprintf(esc, sizeof(esc), "\\u%04x", c);
            break;
        }
        if (pol_buf_append(out, esc, (size_t)n) != 0)
            return -1;
        run = i + 1;
    }
    if (pol_buf_append(out, s + run, len - run) != 0)
        return -1;
    return pol_buf_append(out, "\"", 1);
}
