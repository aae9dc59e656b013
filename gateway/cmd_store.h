/*
 * CLI commands backed by the privacy store (issue 5): keygen, purge, user forget/export/consent,
 * keys rotate. Each is `int gw_cmd_X(int argc, char **argv)` with argv[0] the command name, as
 * gateway/main.c dispatches them; each accepts --help and --config FILE (without it, the
 * embedded default config). Exit status: 0 OK, 1 failure (message on stderr), 2 usage error.
 */
#ifndef AIGW_GATEWAY_CMD_STORE_H
#define AIGW_GATEWAY_CMD_STORE_H

/** `aigw keygen [FILE] [--config FILE]`: writes a new random master key (64 hex digits, mode
 *  0600) to FILE, else to the config's master_key_file; never overwrites an existing file. */
int gw_cmd_keygen(int argc, char **argv);

/** `aigw purge [--dry-run] [--config FILE]`: deletes (or counts) everything past its retention
 *  now and prints the counts per class; a progress bar only when stdout is a terminal. */
int gw_cmd_purge(int argc, char **argv);

/** `aigw user forget|export|consent ...`: dispatches to the three below (argv[0] = "user").
 *  Other subcommands (grant, balance) belong to metering: returns 2 for them. */
int gw_cmd_user(int argc, char **argv);

/** `aigw user forget ID`: erasure (crypto-shredding first); prints the receipt as JSON. argv[0] = "forget". */
int gw_cmd_user_forget(int argc, char **argv);

/** `aigw user export ID`: streams the user's export document (JSON) to stdout. argv[0] = "export". */
int gw_cmd_user_export(int argc, char **argv);

/** `aigw user consent ID [on|off]`: sets, or without on/off prints, training consent. argv[0] = "consent". */
int gw_cmd_user_consent(int argc, char **argv);

/** `aigw keys rotate --new-key FILE`: re-wraps every user key under the new master key. argv[0] = "keys". */
int gw_cmd_keys(int argc, char **argv);

#endif
