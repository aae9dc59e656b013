/*
 * pol_retention: how long each class of record is kept (DESIGN.md section 5, issue 5).
 *
 * The promises in the seeds become four classes with a TTL each: call logs (input, instruction,
 * model output, timing: 90 days), redaction log (90 days), API access log (30 days) and image
 * payloads (0 hours: images are never kept). Every stored row gets `expires_at = event time +
 * TTL` on insert; the store's purge job deletes what is past it. A TTL of 0 means "not kept at
 * all": the store does not write that class. Pure code: parses the config object, computes times.
 */
#ifndef AIGW_POLICY_RETENTION_H
#define AIGW_POLICY_RETENTION_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

/** Retention classes; the order is the order of the config keys and of status reports. */
typedef enum en_pol_retention_class_t {
    POL_RET_CALL_LOG = 0,  /* calls rows, bodies included (config call_log_days, default 90) */
    POL_RET_REDACTION_LOG, /* redactions rows (redaction_log_days, default 90) */
    POL_RET_ACCESS_LOG,    /* access_log rows (access_log_days, default 30) */
    POL_RET_IMAGE_PAYLOAD, /* bodies of calls that carried images (image_payload_hours, default 0) */
    POL_RET_NCLASSES
} pol_retention_class_t;

/** Microseconds per day and per hour (TTLs are kept in microseconds like every store time). */
#define POL_RET_US_PER_HOUR INT64_C(3600000000)
#define POL_RET_US_PER_DAY (24 * POL_RET_US_PER_HOUR)

/** TTL per class, in microseconds; 0 = not kept. */
typedef struct st_pol_retention_t {
    int64_t ttl_us[POL_RET_NCLASSES];
} pol_retention_t;

/** Fills `r` with the defaults: 90 days, 90 days, 30 days, 0 hours. */
void pol_retention_defaults(pol_retention_t *r);

/**
 * Reads the config "retention" object (borrowed; NULL = defaults). Keys: call_log_days,
 * redaction_log_days, access_log_days (integers 0..3650) and image_payload_hours (0..87600);
 * absent keys keep their default.
 * @return 0, or -1 with a message naming the key and what was expected in `err`
 *         (unknown key, wrong type, out of range).
 */
int pol_retention_parse(const json_t *cfg, pol_retention_t *r, char *err, size_t errlen);

/** The config key of a class ("call_log_days", ...), and its short name ("call_log", ...). */
const char *pol_retention_key(pol_retention_class_t c);
const char *pol_retention_name(pol_retention_class_t c);

/** @return 1 when records of class `c` are kept at all (TTL > 0). */
int pol_retention_keeps(const pol_retention_t *r, pol_retention_class_t c);

/**
 * When a record of class `c` that happened at `event_us` (µs since the Unix epoch) expires:
 * event_us + TTL, saturating at INT64_MAX.
 */
int64_t pol_retention_expires_at(const pol_retention_t *r, pol_retention_class_t c, int64_t event_us);

#endif
