/*
 * The one validation of a whole config, shared by `aigw check`, `aigw serve` (before it binds
 * anything) and the SIGHUP reload: gw_config_parse checks the keys the gateway owns; this runs
 * every module's own parser on its section (pii, training, rate_limits, credits, pricing, store,
 * retention, log_bodies, models), loads the TLS files and the master key, and frees what it built.
 * So a config `check` approves is one `serve` starts with (issue 14), apart from what only exists
 * at run time (the port being free, the database being reachable).
 */
#ifndef AIGW_GATEWAY_CONFIG_CHECK_H
#define AIGW_GATEWAY_CONFIG_CHECK_H

#include <stddef.h>

#include "gateway/config.h"

/**
 * Validates every section of `cfg` (borrowed) with the code serve uses. Unknown keys get a
 * "did you mean" hint (gw_config_hint_unknown_key). Opens no socket and no database; reads the
 * master key file and the TLS certificate and key files.
 * @param err receives "<key path>: <what was expected>" on failure
 * @return 0, or -1 (err set)
 */
int gw_config_validate(const gw_config_t *cfg, char *err, size_t errlen);

#endif
