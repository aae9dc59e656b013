/*
 * Lookup in the embedded console assets (see console.h). A handful of files: a linear scan.
 */
#include "gateway/console.h"

#include <string.h>

const gw_console_asset_t *gw_console_find(const char *path, size_t len)
{
    if (len == 0 || (len == 1 && path[0] == '/')) {
        path = "/index.html";
        len = strlen(path);
    }
    for (size_t i = 0; i < gw_console_nassets; i++) {
        const gw_console_asset_t *a = &gw_console_assets[i];
        if (strlen(a->path) == len && memcmp(a->path, path, len) == 0)
            return a;
    }
    return NULL;
}
