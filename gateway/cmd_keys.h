/*
 * `aigw keys add|list|revoke|hash`: client keys and admin tokens without editing the config or
 * restarting (issue 14). add/list/revoke work on the store (only a BLAKE2b-256 hash of each
 * secret is kept; the secret is printed once); running gateways pick the change up within a few
 * seconds (they re-read the store's keys) or at once on SIGHUP. `hash` prints the "key_hash"
 * form for users who keep credentials in the config file. `aigw keys rotate` (master key) is in
 * cmd_store.c.
 */
#ifndef AIGW_GATEWAY_CMD_KEYS_H
#define AIGW_GATEWAY_CMD_KEYS_H

/**
 * Runs `aigw keys <add|list|revoke|hash> ...` (argv[0] = "keys").
 * @return process exit status: 0 done, 1 failed (reason on stderr), 2 usage error.
 */
int gw_cmd_keys_manage(int argc, char **argv);

#endif
