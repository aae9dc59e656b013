/*
 * gw_server__: what the server's files share (server.c, server_listen.c). Not a public interface:
 * the rest of the gateway includes server.h.
 */
#ifndef AIGW_GATEWAY_SERVER_INTERNAL_H
#define AIGW_GATEWAY_SERVER_INTERNAL_H

#include <sys/socket.h>

#include "gateway/config.h"

/**
 * Fills `ss` (caller's) and `sslen` with the address of listener `l` (borrowed): its host must be a
 * literal IPv4 or IPv6 address. @return 0, or -1 with a message in `err` (`errlen` bytes, caller's).
 */
int gw_server__listen_addr(const gw_listen_conf_t *l, struct sockaddr_storage *ss, socklen_t *sslen, char *err, size_t errlen);

/**
 * Opens one non-blocking listening socket for `l` (borrowed) with SO_REUSEADDR and SO_REUSEPORT
 * (one per worker; the kernel spreads connections). @return the descriptor (the caller closes it),
 * or -1 with a message in `err` (`errlen` bytes).
 */
int gw_server__bind_listener(const gw_listen_conf_t *l, char *err, size_t errlen);

/**
 * Refuses to share the port of `l` (borrowed) at address `sa` (`salen` bytes): takes a lock named
 * after the port (an abstract unix socket, released by the kernel when the process dies) and probes
 * the address without SO_REUSEPORT. Call before any worker socket exists. @return the lock's
 * descriptor (keep it open until exit), or -1 with a message in `err` (`errlen` bytes) when another
 * process holds the port or the lock.
 */
int gw_server__claim_port(const gw_listen_conf_t *l, const struct sockaddr *sa, socklen_t salen, char *err, size_t errlen);

#endif
