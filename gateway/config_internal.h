/*
 * gw_config__: what the config's files share (config.c: the table of scalar keys, loading, checks;
 * config_sections.c: the structured keys). Not a public interface: the rest of the gateway includes
 * config.h.
 */
#ifndef AIGW_GATEWAY_CONFIG_INTERNAL_H
#define AIGW_GATEWAY_CONFIG_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

#include "gateway/config.h"

/**
 * Writes "<origin>: <message>" into `err` (`errlen` bytes, caller's; nothing when NULL or 0),
 * cut to fit. `origin` (borrowed) is the config file's path or name.
 */
void gw_config__set_err(char *err, size_t errlen, const char *origin, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * Checks that `obj` (borrowed) is an object whose every key is one of `allowed` (`n` names,
 * borrowed). `where` is its dotted path ("" for the top level). @return 0, or -1 with the unknown
 * key, the expected names and a spelling hint (gw_config_hint_unknown_key) in `err`.
 */
int gw_config__check_keys(json_t *obj, const char *where, const char *const *allowed, size_t n, const char *origin, char *err,
                          size_t errlen);

/**
 * The structured keys: each parses its section (`arr` / `obj`, borrowed from the config's JSON
 * tree) into `cfg`, which owns what they allocate (gw_config_free releases it). @return 0, or -1
 * with "<origin>: <where>: <what was expected>" in `err` (`errlen` bytes, caller's).
 */
int gw_config__parse_listen(gw_config_t *cfg, json_t *arr, const char *origin, char *err, size_t errlen);
/* upstream.forward_headers (NULL: none): up to 64 header names (RFC 9110 tokens) or prefixes ending in '*', stored in
 * lower case in cfg->upstream.forward_headers. @return 0, or -1 with err set */
int gw_config__parse_forward_headers(gw_config_t *cfg, json_t *arr, const char *origin, char *err, size_t errlen);
int gw_config__parse_clients(gw_config_t *cfg, json_t *arr, const char *origin, char *err, size_t errlen);
int gw_config__parse_admin_tokens(gw_config_t *cfg, json_t *arr, const char *origin, char *err, size_t errlen);
/** `key_envs` (borrowed): gw_config__api_key_env_names of the unexpanded tree, to name a missing api_key variable. */
int gw_config__parse_providers(gw_config_t *cfg, json_t *obj, json_t *key_envs, const char *origin, char *err, size_t errlen);

/**
 * {"gemini": "GEMINI_API_KEY"} for every providers.<name>.api_key of `providers` (borrowed, before
 * ${ENV} expansion) that is a bare "${NAME}" or "${NAME:-default}". @return a new object (the
 * caller decrefs it); NULL only when out of memory.
 */
json_t *gw_config__api_key_env_names(json_t *providers);

#endif
