/*
 * Gateway configuration: one JSON file (DESIGN.md section 4), `${ENV}` expanded, validated
 * against a table of keys (config.c) with type, bounds, default and unit in the name. Every key
 * has an embedded default, so an empty object `{}` is a valid config. Errors name the key path
 * and what was expected: `upstream.connect_timeout_ms: expected an integer in 1..600000`.
 *
 * Sections owned by other modules (pii, training, retention, pricing, credits, store, models,
 * rate_limits) are kept as JSON (after expansion) and validated by those modules at start.
 * The reference for every key is docs/config.md.
 */
#ifndef AIGW_GATEWAY_CONFIG_H
#define AIGW_GATEWAY_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/limits.h" /* GW_KEY_HASH_BYTES */

typedef struct st_gw_listen_conf_t {
    char *host;     /* IP literal to bind; default "127.0.0.1" */
    uint16_t port;  /* 1..65535 */
    char *tls_cert; /* PEM file path, NULL for plain (HTTP/1.1 + h2c) */
    char *tls_key;  /* PEM file path, NULL iff tls_cert is NULL */
} gw_listen_conf_t;

typedef struct st_gw_client_conf_t {
    char *name;                                /* shown in logs and reports */
    unsigned char key_hash[GW_KEY_HASH_BYTES]; /* BLAKE2b-256 of the client key; the key itself is not kept */
    uint32_t markup_permille;                  /* price markup for this client: 1000 = none, 1200 = +20 % */
} gw_client_conf_t;

typedef struct st_gw_admin_token_conf_t {
    char *role;                                  /* "ops", "privacy" or "admin" */
    unsigned char token_hash[GW_KEY_HASH_BYTES]; /* BLAKE2b-256 of the token */
} gw_admin_token_conf_t;

typedef struct st_gw_provider_conf_t {
    char *name;        /* adapter name ("openai"), must exist in providers/ */
    char *base_url;    /* scheme://host[:port][/prefix], no trailing slash */
    char *api_key;     /* provider key sent upstream; in sodium_malloc memory, may be "" (then a warning at start) */
    char *tier;        /* "paid" / "free" / NULL (used by no-training policy) */
    char *api_key_env; /* variable api_key was read from ("GEMINI_API_KEY": the file said "${GEMINI_API_KEY}" or
                          "${GEMINI_API_KEY:-...}"), else the adapter's api_key_env; named when the key is empty */
    /** "binary_routes": fnmatch globs over the canonical path after the route prefix, no query ("audio/raw-upload"); a body on
        such a route that is neither JSON nor multipart/form-data is forwarded unscanned instead of refused (415).
        Owned; NULL when none. Off by default (issue 10, fail closed). */
    char **binary_routes;
    size_t nbinary_routes;
    /** "headers": account-selection headers sent upstream on every call to this provider ("OpenAI-Organization"),
        replacing whatever the client sent; the client's own are never forwarded. Names and values owned. */
    char **header_names;
    char **header_values;
    size_t nheaders;
} gw_provider_conf_t;

typedef struct st_gw_config_t {
    char *path;               /* file it came from, or "<embedded defaults>" */
    json_t *root;             /* whole document after ${ENV} expansion; owned */
    gw_listen_conf_t *listen; /* nlisten >= 1 */
    size_t nlisten;
    unsigned workers; /* worker threads; 0 in the file means one per core */
    size_t max_request_body_bytes;
    uint64_t scan_offload_min_bytes; /* request bodies of at least this many bytes are scanned off the event loop */
    uint64_t scan_threads;           /* threads of the process's scan pool (gateway/offload.h) */
    struct {
        uint64_t connect_timeout_ms;    /* TCP + TLS connect */
        uint64_t first_byte_timeout_ms; /* request sent -> first response byte */
        uint64_t idle_timeout_ms;       /* longest gap between response chunks */
        uint64_t max_connections;       /* CURLMOPT_MAXCONNECTS per worker (keep-alive pool) */
        char *ca_file;                  /* extra CA bundle for upstream TLS, or NULL */
        char **forward_headers;         /* upstream.forward_headers: lower-case names, "prefix*" globs; owned */
        size_t nforward_headers;
    } upstream;
    uint64_t drain_timeout_ms; /* SIGTERM: longest wait for in-flight requests */
    char *access_log_path;     /* file path, "-" for stderr, "" to disable */
    char *master_key_file;     /* NULL if not configured */
    gw_client_conf_t *clients;
    size_t nclients;
    gw_admin_token_conf_t *admin_tokens;
    size_t nadmin_tokens;
    gw_provider_conf_t *providers;
    size_t nproviders;
} gw_config_t;

/**
 * Loads and validates a config file.
 * @param path  JSON file path (borrowed)
 * @param err   receives "<path>: <key path>: <what was expected>" on failure
 * @return a config owned by the caller (gw_config_free), or NULL on error
 */
gw_config_t *gw_config_load(const char *path, char *err, size_t errlen);

/**
 * Same as gw_config_load, from a JSON text in memory (`json`, `len` bytes, borrowed). `origin`
 * names it in errors ("<embedded defaults>").
 */
gw_config_t *gw_config_parse(const char *json, size_t len, const char *origin, char *err, size_t errlen);

/**
 * For CLI commands that only touch the store (user, purge, report, keys): loads only the
 * sections they need (store, master_key_file, retention, log_bodies, credits, pricing) and
 * ignores the rest unexpanded, so reading a balance does not need every secret of the server's
 * config in the environment. `path` NULL = the embedded defaults. Other sections are not
 * validated here (`aigw check` does that). @return as gw_config_load.
 */
gw_config_t *gw_config_load_store_only(const char *path, char *err, size_t errlen);

/** gw_config_load_store_only on a JSON text in memory (`len` bytes, borrowed). */
gw_config_t *gw_config_parse_store_only(const char *json, size_t len, const char *origin, char *err, size_t errlen);

/** The config aigw runs with when no --config is given (docs/config.md). */
extern const char gw_config_embedded_default[];

/**
 * The closest of `candidates` (n entries, borrowed) to `word` for a "did you mean" hint: an edit
 * distance of at most a third of the word (at least 1, case-insensitive), or one being a prefix of
 * the other. @return a borrowed candidate, or NULL when none is close.
 */
const char *gw_config_closest(const char *word, const char *const *candidates, size_t n);

/**
 * Appends ` (did you mean "x"?)` to an "<path>.<key>: unknown key (expected a, b, c...)" message
 * (the form every module uses) when one expected key is close to the unknown one (gw_config_closest).
 * Other messages are left as they are. `err` is NUL-terminated, errlen its capacity.
 */
void gw_config_hint_unknown_key(char *err, size_t errlen);

/** Releases everything; secrets are wiped. NULL is ignored. */
void gw_config_free(gw_config_t *cfg);

/** A top-level section owned by another module ("pii"), borrowed from cfg->root; NULL if absent. */
json_t *gw_config_section(const gw_config_t *cfg, const char *name);

/** cfg->master_key_file (may be NULL). */
const char *gw_config_master_key_file(const gw_config_t *cfg);

/** The provider named `name`, or NULL when it is not configured. Borrowed. */
const gw_provider_conf_t *gw_config_provider(const gw_config_t *cfg, const char *name);

/**
 * Expands `${NAME}`, `${NAME:-default}` and `$$` in `in` (NUL-terminated) into a new string.
 * An unset variable without default is an error (message names the variable).
 * @return malloc'd string, or NULL with err set.
 */
char *gw_config_expand_env(const char *in, char *err, size_t errlen);

/**
 * BLAKE2b-256 of a client key or admin token, as stored in the config (libsodium
 * crypto_generichash, unkeyed: the keys are random, high-entropy strings).
 */
void gw_config_hash_key(const char *key, size_t len, unsigned char out[GW_KEY_HASH_BYTES]);

#endif
