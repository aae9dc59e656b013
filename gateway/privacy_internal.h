/*
 * The privacy object's layout, shared by the privacy stage's files (privacy.c: creation and the
 * request side; privacy_response.c: the no-training pass and the response side). Not a public
 * interface: the rest of the gateway sees gw_privacy_t as opaque (privacy.h).
 */
#ifndef AIGW_GATEWAY_PRIVACY_INTERNAL_H
#define AIGW_GATEWAY_PRIVACY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/privacy.h"

#define GW_MAX_ADAPTERS 16
#define GW_MAX_FORWARD_TYPES 32

struct st_gw_privacy_t {
    pol_pii_engine_t *engine;
    const prov_adapter_t *adapters[GW_MAX_ADAPTERS];
    gw_json_paths_t *paths[GW_MAX_ADAPTERS];
    gw_json_paths_t *notrain_paths[GW_MAX_ADAPTERS]; /* NULL: the provider's decision needs no body field */
    pol_notrain_t *notrain;
    size_t nadapters;
    gw_json_paths_t *restore_paths;            /* "**" */
    gw_json_paths_t *all_paths;                /* "**" EMBEDDED | KEYS: JSON documents decoded from base64 text payloads */
    char *forward_types[GW_MAX_FORWARD_TYPES]; /* pii.forward_unscanned_types: MIME globs of payloads sent unscanned */
    size_t nforward;
    /* pii.scan_responses, per adapter: a JSON answer's rules (output_skip id 0: restored only; output_text and "**" id
     * 1: scanned) and the SSE restorer's (pol_restore_paths_compile_all) */
    gw_json_paths_t *resp_json_paths[GW_MAX_ADAPTERS];
    gw_json_paths_t *resp_sse_paths[GW_MAX_ADAPTERS];
    size_t max_findings; /* pii.max_findings_per_request (issue 13) */
    /* per adapter: bit k set when skip_fields[k] is the `type` member beside a PROV_FILE_TYPED file field (Anthropic
     * `source.type`): its value says whether the data is a file (privacy.c on_file_string) */
    uint64_t type_skips[GW_MAX_ADAPTERS][2];
};

#endif
