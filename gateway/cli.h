/*
 * What every `aigw` command shares before doing its work: loading the config (a file, or the
 * embedded defaults when no --config is given) and, for the store commands (user, purge, report,
 * keys, keygen, rotate ...), opening the store from it. Errors are told to the operator in plain
 * text on stderr, prefixed with the command ("aigw keys: config error: ..."); these are CLI
 * answers, not log lines (common/log.h).
 */
#ifndef AIGW_GATEWAY_CLI_H
#define AIGW_GATEWAY_CLI_H

#include "gateway/config.h"
#include "gateway/store/store.h"

/** Which sections a command needs. */
typedef enum en_gw_cli_config_t {
    GW_CLI_CONFIG_FULL = 0,  /**< the whole config (serve, check, scrub): gw_config_load */
    GW_CLI_CONFIG_STORE_ONLY /**< the store's sections only (issue 14): gw_config_load_store_only */
} gw_cli_config_t;

/**
 * The config at `path` (NULL: the embedded defaults), or NULL after printing "<prefix>: config error: <why>".
 * `prefix` names the command ("aigw", "aigw keys"). Free with gw_config_free.
 */
gw_config_t *gw_cli_load_config(const char *prefix, const char *path, gw_cli_config_t what);

/**
 * Opens the store of the config at `path` (store sections only; NULL: embedded defaults), or NULL after printing
 * "<prefix>: config error: ..." or "<prefix>: store: <why>". *credits_enforced (if not NULL) = the config has a
 * "credits" section. Close with gw_store_close.
 */
gw_store_t *gw_cli_open_store(const char *prefix, const char *path, int *credits_enforced);

#endif
