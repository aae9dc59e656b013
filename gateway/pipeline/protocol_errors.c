/*
 * h2o's own error answers in the provider's shape (issue 10, "edges"). h2o 2.2.5 answers a few requests itself,
 * before aigw's handler runs, with a plain-text body: HTTP/1.1 bodies over its hard limit (413, twice
 * limits.max_request_body_bytes: server.c), broken chunked encoding, an unknown Transfer-Encoding or a broken
 * Content-Length (400), an Expect other than 100-continue (417), and HTTP/2 requests with invalid headers (400).
 * It sends them through h2o_send_error_generic on the request bound to the host's fallback path (lib/core/request.c),
 * so a response filter registered there (and only there: every request that reaches aigw is bound to the "/" path)
 * sees exactly those answers and replaces the body with the error of the route the path names, in its provider's
 * shape (the same adapter choice as the canonicalise stage), keeping h2o's status. SDKs then raise their usual
 * exception instead of failing to parse text.
 *
 * What cannot be intercepted (documented in docs/internals/pipeline.md): a request line or header block h2o cannot
 * parse at all (lib/http1.c send_bad_request writes a fixed 400 straight to the socket, before any request exists),
 * and an HTTP/2 body over the hard limit (h2o resets the stream with REFUSED_STREAM; there is no HTTP answer).
 */
#include <string.h>

#include "gateway/canon.h"
#include "gateway/pipeline/call.h"

typedef struct st_gw_h2o_error_t {
    h2o_ostream_t super;
    h2o_iovec_t body; /* in the request pool */
    int sent;
} gw_h2o_error_t;

/* Sends the shaped body in place of h2o's text (h2o_send_inline sends once, FINAL; HEAD sends nothing). */
static void on_error_send(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs, size_t bufcnt, h2o_send_state_t state)
{
    gw_h2o_error_t *e = (gw_h2o_error_t *)self;
    h2o_iovec_t out = e->body;
    size_t n = !e->sent && bufcnt != 0 ? 1 : 0;
    e->sent = 1;
    h2o_ostream_send_next(self, req, &out, n, state);
}

/* The adapter whose error shape the request's path asks for: the provider route's (or its compat wire), else the
 * unified route's (aigw's own answers on unknown paths use it too). */
static const prov_adapter_t *shape_of(h2o_req_t *req)
{
    const prov_adapter_t *a = prov_unified();
    gw_buf_t target = GW_BUF_INIT;
    size_t plen;
    const char *err = NULL;
    gw_route_t r;
    if (req->input.path.base != NULL && gw_canon_target(req->input.path.base, req->input.path.len, &target, &plen, &err) == 0) {
        gw__route_match(target.base, target.len, &r);
        if (r.kind == GW_ROUTE_PROVIDER)
            a = r.wire != NULL ? r.wire : r.adapter;
        else if (r.kind == GW_ROUTE_NONE && r.adapter != NULL)
            a = r.adapter; /* an unknown path under a provider's segment */
    }
    gw_buf_free(&target);
    return a;
}

static void on_setup_ostream(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    gw_err_t err;
    const char *msg;
    switch (req->res.status) {
    case 413:
        err = GW_ERR_REQUEST_TOO_LARGE;
        msg = "aigw: the request body is over the server's hard limit (twice limits.max_request_body_bytes); the "
              "connection is closed";
        break;
    case 417:
        err = GW_ERR_EXPECTATION_FAILED;
        msg = NULL;
        break;
    case 400:
        err = GW_ERR_INVALID_HTTP_REQUEST;
        msg = NULL;
        break;
    default:
        h2o_setup_next_ostream(req, slot);
        return;
    }
    const prov_adapter_t *a = shape_of(req);
    const gw_error_def_t *d = gw_error_def(err);
    gw_buf_t body = GW_BUF_INIT;
    if (a->error_body(&body, req->res.status, d->type, d->code, d->param, msg != NULL ? msg : d->message) != 0) {
        gw_buf_free(&body);
        h2o_setup_next_ostream(req, slot); /* out of memory: h2o's plain text goes out */
        return;
    }
    gw_h2o_error_t *e = (gw_h2o_error_t *)h2o_add_ostream(req, sizeof(*e), slot);
    e->super.do_send = on_error_send;
    e->body = h2o_strdup(&req->pool, body.base, body.len);
    e->sent = 0;
    gw_buf_free(&body);
    req->res.content_length = e->body.len;
    ssize_t ci = h2o_find_header(&req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1);
    h2o_iovec_t ct = h2o_strdup(&req->pool, a->error_content_type, strlen(a->error_content_type));
    if (ci >= 0)
        req->res.headers.entries[ci].value = ct;
    else
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, ct.base, ct.len);
    h2o_setup_next_ostream(req, &e->super.next);
}

void gw_proxy_register_error_filter(h2o_hostconf_t *host)
{
    h2o_filter_t *f = h2o_create_filter(&host->fallback_path, sizeof(*f));
    f->on_setup_ostream = on_setup_ostream;
}
