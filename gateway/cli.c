/*
 * The CLI commands' config and store opening (see cli.h): one copy instead of one per command file.
 */
#include "gateway/cli.h"

#include <stdio.h>
#include <string.h>

gw_config_t *gw_cli_load_config(const char *prefix, const char *path, gw_cli_config_t what)
{
    char err[768];
    gw_config_t *cfg;
    if (what == GW_CLI_CONFIG_STORE_ONLY)
        cfg = gw_config_load_store_only(path, err, sizeof(err)); /* NULL path: embedded defaults */
    else if (path != NULL)
        cfg = gw_config_load(path, err, sizeof(err));
    else
        cfg = gw_config_parse(gw_config_embedded_default, strlen(gw_config_embedded_default), "<embedded defaults>", err,
                              sizeof(err));
    if (cfg == NULL)
        fprintf(stderr, "%s: config error: %s\n", prefix, err);
    return cfg;
}

gw_store_t *gw_cli_open_store(const char *prefix, const char *path, int *credits_enforced)
{
    char err[768];
    gw_config_t *cfg = gw_cli_load_config(prefix, path, GW_CLI_CONFIG_STORE_ONLY);
    if (cfg == NULL)
        return NULL;
    if (credits_enforced != NULL)
        *credits_enforced = gw_config_section(cfg, "credits") != NULL;
    gw_store_t *st = gw_store_open(gw_config_section(cfg, "store"), gw_config_section(cfg, "retention"),
                                   gw_config_section(cfg, "log_bodies"), gw_config_master_key_file(cfg), err, sizeof(err));
    if (st == NULL)
        fprintf(stderr, "%s: store: %s\n", prefix, err);
    gw_config_free(cfg);
    return st;
}
