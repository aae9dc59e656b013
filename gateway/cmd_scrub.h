/*
 * `aigw scrub`: the PII engine as a command-line filter (JSON lines in, JSON lines out), using
 * the same config and engine as the server. See docs/internals/pii.md.
 */
#ifndef AIGW_GATEWAY_CMD_SCRUB_H
#define AIGW_GATEWAY_CMD_SCRUB_H

#include <stdio.h>

/**
 * Runs `aigw scrub [--config FILE]`. argv[0] is "scrub". Reads `{"text": "..."}` lines from stdin and
 * writes one line per input line to stdout: `{"text": <scrubbed>, "entities": [{"type","start","end","score"}]}`
 * with start/end in Unicode code points of the input text; a line that is not such JSON gives
 * `{"error": "..."}` and the run goes on. The hash key is 32 zero bytes unless the config has
 * pii.hash_key_hex (64 hex digits).
 * @return the process exit status: 0, 1 on a config/engine error, 2 on a usage error
 */
int gw_cmd_scrub(int argc, char **argv);

/** Same as gw_cmd_scrub with explicit streams (for tests). */
int gw_cmd_scrub_io(int argc, char **argv, FILE *in, FILE *out, FILE *errout);

#endif
