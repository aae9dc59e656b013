/*
 * The admin console's static assets, embedded at build time by scripts/embed-assets.py from
 * gateway/console/ (see docs/internals/console.md). Served under /admin/ with no Node at run time.
 */
#ifndef AIGW_GATEWAY_CONSOLE_H
#define AIGW_GATEWAY_CONSOLE_H

#include <stddef.h>

typedef struct st_gw_console_asset_t {
    const char *path;         /* "/index.html", relative to /admin */
    const char *content_type; /* "text/html; charset=utf-8" */
    const unsigned char *data;
    size_t len; /* bytes */
} gw_console_asset_t;

/** The embedded files, NULL-path terminated; static lifetime. */
extern const gw_console_asset_t gw_console_assets[];
extern const size_t gw_console_nassets;

/** The asset at `path` (`len` bytes, after /admin; "" or "/" means "/index.html"), or NULL. */
const gw_console_asset_t *gw_console_find(const char *path, size_t len);

#endif
