/*
 * gw_store__schema: the versioned migrations of the store, one SQL script per version and
 * dialect. Version N is applied once, in a transaction, and recorded in schema_version; the
 * PostgreSQL scripts run under an advisory lock so instances starting together do not race.
 */
#ifndef AIGW_GATEWAY_STORE_SCHEMA_H
#define AIGW_GATEWAY_STORE_SCHEMA_H

#include <stddef.h>
#include "gateway/store/store_db.h"

/**
 * Brings the database to the newest schema version.
 * @param now_us recorded as applied_at. @return 0, or -1 with a message in `err`.
 */
int gw_store__migrate(gw_store_db_t *db, int64_t now_us, char *err, size_t errlen);

/**
 * gw_store__migrate, stopping after `version` (for tests of upgrading an older database: build
 * one at an older version, fill it, then migrate to the newest). @return 0, or -1 with a message.
 */
int gw_store__migrate_to(gw_store_db_t *db, int version, int64_t now_us, char *err, size_t errlen);

/** The newest schema version this build knows. */
int gw_store__schema_version(void);

#endif
