/*
 * The one error vocabulary of every layer (house rule 5): 0 = OK, negative GW_E* codes. Pure
 * modules, the store and the server return these values; the gateway maps each to exactly one HTTP
 * status and a provider-shaped body (gateway/errors.h). Kept in common/ so the store and the pure
 * layers can name the same codes without including anything of the server.
 */
#ifndef AIGW_COMMON_ERRORS_H
#define AIGW_COMMON_ERRORS_H

enum {
    GW_OK = 0,
    GW_E_BAD_REQUEST = -1, /* 400 malformed input (bad argument, bad query parameter) */
    GW_E_CREDITS = -3,     /* 402 balance cannot cover the reservation */
    GW_E_NOT_FOUND = -5,   /* 404 no such object */
    GW_E_INTERNAL = -9,    /* 500 aigw itself failed (allocation, bug); every module's *_E_NOMEM is this code */
    GW_E_UNAVAILABLE = -11 /* 503 draining, store queue full or closed */
};
/* (-2, -4, -6..-8, -10, -12 were request errors nothing returned: the request pipeline's errors are the rows of
   gateway/errors.h gw_err_t.) */

#endif
