/*
 * Listening sockets for the server (see server.h, server_internal.h): one SO_REUSEPORT socket per
 * worker and listener, bound and listened by hand (libuv 1.44 has no UV_TCP_REUSEPORT), the claim
 * that keeps a second aigw off the same port, and the TLS context of a listener with a certificate.
 */
#include "gateway/server.h"
#include "gateway/server_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

int gw_server__listen_addr(const gw_listen_conf_t *l, struct sockaddr_storage *ss, socklen_t *sslen, char *err, size_t errlen)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, l->host, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(l->port);
        *sslen = sizeof(*sin);
    } else if (inet_pton(AF_INET6, l->host, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(l->port);
        *sslen = sizeof(*sin6);
    } else {
        snprintf(err, errlen, "listen: host \"%s\" is not an IPv4 or IPv6 address", l->host);
        return -1;
    }
    return 0;
}

int gw_server__bind_listener(const gw_listen_conf_t *l, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    if (gw_server__listen_addr(l, &ss, &sslen, err, errlen) != 0)
        return -1;
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 || bind(fd, (struct sockaddr *)&ss, sslen) != 0 ||
        listen(fd, 1024) != 0) {
        snprintf(err, errlen, "listen: cannot listen on %s:%u: %s", l->host, l->port, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Refuses to share a port. The workers' sockets use SO_REUSEPORT (one per worker, the kernel
 * spreads connections), which would also let a second aigw join the same port and receive half
 * of the traffic. Two guards, before any worker socket exists:
 *  - a lock: an abstract unix socket named after the port, bound for the life of the process
 *    (the kernel releases it when the process dies, so no stale lock file), closes the race
 *    between two aigw processes starting at once;
 *  - a probe: bind the address without SO_REUSEPORT; EADDRINUSE means some process (aigw or
 *    not) listens there. */
int gw_server__claim_port(const gw_listen_conf_t *l, const struct sockaddr *sa, socklen_t salen, char *err, size_t errlen)
{
    struct sockaddr_un un;
    memset(&un, 0, sizeof(un));
    un.sun_family = AF_UNIX;
    int n = snprintf(un.sun_path + 1, sizeof(un.sun_path) - 1, "aigw-listen-port-%u", l->port);
    int lock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lock < 0 || bind(lock, (struct sockaddr *)&un, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n)) != 0) {
        int e = errno;
        if (lock >= 0)
            close(lock);
        if (e == EADDRINUSE)
            snprintf(err, errlen,
                     "listen: port %u is already used by another aigw process on this host (stop it first: aigw never "
                     "shares a port)",
                     l->port);
        else
            snprintf(err, errlen, "listen: cannot take the port lock for %u: %s", l->port, strerror(e));
        return -1;
    }
    int probe = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    if (probe < 0 || setsockopt(probe, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 || bind(probe, sa, salen) != 0) {
        int e = errno;
        if (probe >= 0)
            close(probe);
        close(lock);
        if (e == EADDRINUSE)
            snprintf(err, errlen, "listen: %s:%u is already in use by another process (aigw never shares a port)", l->host,
                     l->port);
        else
            snprintf(err, errlen, "listen: cannot listen on %s:%u: %s", l->host, l->port, strerror(e));
        return -1;
    }
    close(probe);
    return lock; /* kept open until exit */
}

SSL_CTX *gw_server_tls_ctx_new(const gw_listen_conf_t *l, char *err, size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL)
        goto fail;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_use_certificate_chain_file(ctx, l->tls_cert) != 1) {
        snprintf(err, errlen, "listen %s:%u: tls.cert %s: %s", l->host, l->port, l->tls_cert,
                 ERR_reason_error_string(ERR_get_error()));
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, l->tls_key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        snprintf(err, errlen, "listen %s:%u: tls.key %s: %s", l->host, l->port, l->tls_key,
                 ERR_reason_error_string(ERR_get_error()));
        goto fail;
    }
    h2o_ssl_register_alpn_protocols(ctx, h2o_http2_alpn_protocols);
    return ctx;
fail:
    if (ctx != NULL)
        SSL_CTX_free(ctx);
    if (err[0] == '\0')
        snprintf(err, errlen, "TLS setup failed");
    return NULL;
}
