/*
 * Access log: one JSON line per proxied request (time, request id, client, user pseudonym, route,
 * status, bytes (response body bytes sent), bytes_in, upstream time, overhead), never prompt or
 * response content. Workers format
 * the line into their own buffer and hand it over with one short mutex-protected memcpy; a
 * dedicated thread writes to the file (or stderr) so no worker ever blocks on disk. If the
 * hand-over buffer is full (the disk is slower than the traffic), lines are counted as
 * dropped and the writer reports the count in the log itself: never silently.
 */
#ifndef AIGW_GATEWAY_ACCESSLOG_H
#define AIGW_GATEWAY_ACCESSLOG_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "gateway/store/store.h"

typedef struct st_gw_accesslog_t gw_accesslog_t;

/** One record; strings are borrowed for the duration of gw_accesslog_write(). */
typedef struct st_gw_access_rec_t {
    int64_t time_us; /* wall clock at request start, µs since the epoch */
    const char *request_id;
    const char *method;
    const char *route;  /* path without query */
    const char *client; /* client name from config, NULL if unauthenticated */
    const char *user;   /* end-user id, NULL if none */
    const char *provider;
    const char *remote_ip;
    const char *protocol; /* "HTTP/1.1", "HTTP/2" */
    int status;
    uint64_t bytes_in;   /* request body bytes */
    uint64_t bytes_out;  /* response body bytes sent */
    int64_t upstream_us; /* time waiting on the provider, -1 if not contacted */
    int64_t overhead_us; /* time spent inside aigw */
    int64_t total_us;
    const char *error; /* aigw error code ("upstream_timeout"), NULL if none */
} gw_access_rec_t;

/**
 * Opens the log: `path` is a file (appended, created 0640), "-" for stderr, or "" / NULL to
 * disable (then gw_accesslog_write is a no-op). Starts the writer thread.
 * @return the log, or NULL with err set.
 */
gw_accesslog_t *gw_accesslog_open(const char *path, char *err, size_t errlen);

/** Formats and queues one line. Thread-safe, never blocks on I/O. `scratch` is the caller's reusable buffer. */
void gw_accesslog_write(gw_accesslog_t *log, const gw_access_rec_t *rec, gw_buf_t *scratch);

/** Characters of a pseudonymous user id in the log: "u:" + 16 hex digits. */
#define GW_ACCESSLOG_PSEUDONYM_CHARS 18

/**
 * Sets the key of the user pseudonyms (32 bytes, copied). The access log is a plain file outside
 * retention and erasure, so its "user" field is "u:" + keyed BLAKE2b-64 of the id, never the id:
 * the same user gets the same pseudonym while the key stays (the server derives it from the master
 * key file), and nobody without the key can tell whose lines they are. Without a call, the first
 * write picks a random key (pseudonyms then change at each start). Call before the workers run.
 */
void gw_accesslog_set_user_key(gw_accesslog_t *log, const unsigned char key[32]);

/** The pseudonym of `user` (NUL-terminated, borrowed) under `key` into `out` (19 bytes). */
void gw_accesslog_pseudonym(const unsigned char key[32], const char *user, char out[GW_ACCESSLOG_PSEUDONYM_CHARS + 1]);

/** Flushes what is queued, stops the thread, closes the file. NULL is ignored. */
void gw_accesslog_close(gw_accesslog_t *log);

/** Appends one access record as a JSON object line (with trailing newline) to `out`. */
int gw_accesslog_format(const gw_access_rec_t *rec, gw_buf_t *out);

/**
 * Copies the access log record `a` (borrowed) into a new store record (gateway/store/store.h) the
 * caller owns (gw_store_access_rec_free, or hand it to gw_store_submit_access).
 * @return the copy, or NULL on allocation failure.
 */
gw_store_access_rec_t *gw_store_access_rec_from(const gw_access_rec_t *a);

#endif
