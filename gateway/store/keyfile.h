/*
 * gw_keyfile: reading and writing the master key file (issue 5, "Encryption at rest"). The
 * file holds 64 hex digits and a newline (or 32 raw bytes); it must be a regular file that
 * neither group nor others can read or write, which is checked on the open descriptor (fstat,
 * no race between check and read).
 */
#ifndef AIGW_GATEWAY_STORE_KEYFILE_H
#define AIGW_GATEWAY_STORE_KEYFILE_H

#include <stddef.h>
#include "policy/crypto.h"

/**
 * Loads a master key. Refuses (NULL, message in `err`) a missing or non-regular file, a file
 * with any group/other permission bit (mode & 077), or contents that are not a key.
 * @return the key (caller owns it, pol_key_free), or NULL.
 */
pol_key_t *gw_keyfile_load(const char *path, char *err, size_t errlen);

/**
 * Writes `key` (borrowed) as hex to a new file `path` with mode 0600 (O_CREAT|O_EXCL: never
 * overwrites), fsyncs it. @return 0, or -1 with a message in `err` (file exists, I/O error).
 */
int gw_keyfile_write(const char *path, const pol_key_t *key, char *err, size_t errlen);

#endif
