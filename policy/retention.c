/*
 * Retention classes and TTLs (see retention.h). A static table gives each class its config
 * key, unit, bound and default, so parsing, defaults and error messages come from one place.
 */
#include "policy/retention.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *key;  /* config key; the unit is in the name */
    const char *name; /* short class name used in reports */
    int64_t unit_us;
    json_int_t max;
    json_int_t def;
} classes[POL_RET_NCLASSES] = {
    {"call_log_days", "call_log", POL_RET_US_PER_DAY, 3650, 90},
    {"redaction_log_days", "redaction_log", POL_RET_US_PER_DAY, 3650, 90},
    {"access_log_days", "access_log", POL_RET_US_PER_DAY, 3650, 30},
    {"image_payload_hours", "image_payload", POL_RET_US_PER_HOUR, 87600, 0},
};

void pol_retention_defaults(pol_retention_t *r)
{
    for (int c = 0; c < POL_RET_NCLASSES; c++)
        r->ttl_us[c] = classes[c].def * classes[c].unit_us;
}

int pol_retention_parse(const json_t *cfg, pol_retention_t *r, char *err, size_t errlen)
{
    pol_retention_defaults(r);
    if (cfg == NULL || json_is_null(cfg))
        return 0;
    if (!json_is_object(cfg)) {
        snprintf(err, errlen, "retention: expected an object");
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)cfg, k, v)
    {
        int c;
        for (c = 0; c < POL_RET_NCLASSES; c++)
            if (strcmp(k, classes[c].key) == 0)
                break;
        if (c == POL_RET_NCLASSES) {
            snprintf(err, errlen,
                     "retention.%s: unknown key (expected call_log_days, redaction_log_days, access_log_days, "
                     "image_payload_hours)",
                     k);
            return -1;
        }
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > classes[c].max) {
            snprintf(err, errlen, "retention.%s: expected an integer from 0 to %lld", k, (long long)classes[c].max);
            return -1;
        }
        r->ttl_us[c] = (int64_t)json_integer_value(v) * classes[c].unit_us;
    }
    return 0;
}

const char *pol_retention_key(pol_retention_class_t c)
{
    return (unsigned)c < POL_RET_NCLASSES ? classes[c].key : "?";
}

const char *pol_retention_name(pol_retention_class_t c)
{
    return (unsigned)c < POL_RET_NCLASSES ? classes[c].name : "?";
}

int pol_retention_keeps(const pol_retention_t *r, pol_retention_class_t c)
{
    return r->ttl_us[c] > 0;
}

int64_t pol_retention_expires_at(const pol_retention_t *r, pol_retention_class_t c, int64_t event_us)
{
    int64_t ttl = r->ttl_us[c];
    if (event_us > INT64_MAX - ttl)
        return INT64_MAX;
    return event_us + ttl;
}
