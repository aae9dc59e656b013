/*
 * One error vocabulary for the gateway: every failure a request can meet is a GW_E* code, and
 * every code maps to exactly one HTTP status and an error "type"/"code" pair that the provider
 * adapter turns into a body in the provider's own shape (so SDKs raise their usual exceptions).
 */
#ifndef AIGW_GATEWAY_ERRORS_H
#define AIGW_GATEWAY_ERRORS_H

#include "common/errors.h"

/** HTTP status for a GW_E* code (500 for unknown codes). */
int gw_error_status(int err);

/** Reason phrase for an HTTP status ("Bad Gateway"); "Unknown" if not known. */
const char *gw_status_reason(int status);

#endif
