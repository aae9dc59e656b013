/*
 * Admin API router (see admin.h). The job object is malloc'd and outlives the request if the
 * client goes away while the handler runs on the thread pool: a slot in the request pool links
 * request and job, and whichever ends first unlinks itself (rule 13: never free the object whose
 * callback is running).
 */
#include "gateway/admin.h"
#include "common/json.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gateway/admin_ops.h"
#include "gateway/admin_privacy.h"
#include "gateway/auth.h"
#include "gateway/console.h"
#include "gateway/errors.h"

#define GW_ADMIN_PREFIX "/admin/api"

typedef struct st_admin_job_t admin_job_t;

typedef struct st_admin_slot_t {
    admin_job_t *job;
} admin_slot_t;

struct st_admin_job_t {
    uv_work_t work;
    h2o_req_t *req; /* NULL once the request is gone */
    admin_slot_t *slot;
    gw_store_t *store;
    char method[16];
    char *path;  /* after /admin/api, without query */
    char *query; /* may be NULL */
    char *body;
    size_t body_len;
    int ops;                  /* route of the ops role (metering) rather than privacy */
    const char *content_type; /* static */
    int status;
    int rc;
    gw_buf_t out;
};

static int seg_eq(const char *p, size_t len, const char *lit)
{
    return len == strlen(lit) && memcmp(p, lit, len) == 0;
}

const char *gw_admin_route_role(const char *method, size_t method_len, const char *path, size_t path_len)
{
    /* /users/{id}[/export|/consent|/credits], /redactions[/summary], /retention, /usage */
    if (path_len >= 7 && memcmp(path, "/users/", 7) == 0) {
        const char *id = path + 7;
        const char *slash = memchr(id, '/', path_len - 7);
        if (slash == NULL) {
            if (seg_eq(method, method_len, "DELETE"))
                return "privacy";
            return seg_eq(method, method_len, "GET") ? "ops" : NULL;
        }
        size_t rest = path_len - (size_t)(slash - path);
        if (seg_eq(slash, rest, "/export") || seg_eq(slash, rest, "/consent"))
            return "privacy";
        if (seg_eq(slash, rest, "/credits"))
            return "ops";
        return NULL;
    }
    if (seg_eq(path, path_len, "/redactions") || seg_eq(path, path_len, "/redactions/summary") ||
        seg_eq(path, path_len, "/redactions/types") || seg_eq(path, path_len, "/retention") || seg_eq(path, path_len, "/purge"))
        return "privacy";
    if (seg_eq(path, path_len, "/usage"))
        return "ops";
    return NULL;
}

int gw_admin_role_allows(const char *role, const char *needed)
{
    return strcmp(role, "admin") == 0 || strcmp(role, needed) == 0;
}

static void send_body(h2o_req_t *req, int status, const char *content_type, const char *body, size_t len)
{
    req->res.status = status;
    req->res.reason = gw_status_reason(status);
    req->res.content_length = len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type, strlen(content_type));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_send_inline(req, body, len);
}

static void send_json(h2o_req_t *req, int status, const char *body, size_t len)
{
    req->res.status = status;
    req->res.reason = gw_status_reason(status);
    req->res.content_length = len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("application/json"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_send_inline(req, body, len);
}

static void send_error(h2o_req_t *req, int status, const char *message)
{
    gw_buf_t b = GW_BUF_INIT;
    if (gw_buf_append(&b, "{\"error\":", 9) == 0 && gw_json_escape(message, strlen(message), &b) == 0 &&
        gw_buf_append(&b, "}", 1) == 0)
        send_json(req, status, b.base, b.len);
    else
        h2o_send_error_generic(req, 500, "Internal Server Error", "out of memory", 0);
    gw_buf_free(&b);
}

static void on_slot_dispose(void *p)
{
    admin_slot_t *slot = p;
    if (slot->job != NULL)
        slot->job->req = NULL;
}

static void run_job(uv_work_t *work)
{
    admin_job_t *job = work->data;
    job->content_type = "application/json";
    if (job->ops)
        job->rc = gw_admin_ops_handle(job->store, job->method, job->path, job->query, job->body, job->body_len, &job->status,
                                      &job->out, &job->content_type);
    else
        job->rc = gw_admin_privacy_handle(job->store, job->method, job->path, job->query, job->body, job->body_len, &job->status,
                                          &job->out);
}

static void free_job(admin_job_t *job)
{
    free(job->path);
    free(job->query);
    free(job->body);
    gw_buf_free(&job->out);
    free(job);
}

static void after_job(uv_work_t *work, int status)
{
    admin_job_t *job = work->data;
    if (job->req != NULL) {
        job->slot->job = NULL;
        if (status != 0)
            send_error(job->req, 500, "the admin request was cancelled");
        else if (job->rc == GW_E_NOT_FOUND)
            send_error(job->req, 404, "unknown admin route (see README.md, Admin API)");
        else if (job->out.len == 0)
            send_error(job->req, job->status >= 400 ? job->status : 500, "admin handler returned no body");
        else
            send_body(job->req, job->status, job->content_type, job->out.base, job->out.len);
    }
    free_job(job);
}

/* The admin role of the request's bearer token, or NULL (then a 401 has been sent). */
static const char *authenticate(const gw_config_t *cfg, h2o_req_t *req)
{
    ssize_t ai = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    const char *token;
    size_t token_len;
    const char *role = NULL;
    if (ai >= 0 && gw_auth_parse_authorization(req->headers.entries[ai].value.base, req->headers.entries[ai].value.len, &token,
                                               &token_len) == 0)
        role = gw_auth_admin_role(cfg, token, token_len);
    if (role == NULL) {
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_WWW_AUTHENTICATE, NULL, H2O_STRLIT("Bearer"));
        send_error(req, 401, "missing or unknown admin token (Authorization: Bearer <token from admin_tokens>)");
    }
    return role;
}

void gw_admin_console(gw_worker_t *w, h2o_req_t *req)
{
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    if (plen == 6) { /* "/admin" */
        h2o_send_redirect(req, 301, "Moved Permanently", H2O_STRLIT("/admin/"));
        return;
    }
    const gw_console_asset_t *a = gw_console_find(req->path.base + 6, plen - 6);
    if (a == NULL || !(h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) ||
                       h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))) {
        send_error(req, 404, "no such console page");
        return;
    }
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = a->len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, a->content_type, strlen(a->content_type));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-cache"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-frame-options"), 0, NULL, H2O_STRLIT("DENY"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-content-type-options"), 0, NULL, H2O_STRLIT("nosniff"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"), 0, NULL,
                          H2O_STRLIT("default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("referrer-policy"), 0, NULL, H2O_STRLIT("no-referrer"));
    h2o_send_inline(req, (const char *)a->data, a->len);
}

void gw_admin_metrics(gw_worker_t *w, h2o_req_t *req)
{
    gw_gen_t *gen = gw_server_gen_acquire(w->server); /* the tokens of the current config (SIGHUP may replace it) */
    const char *role = authenticate(gen->cfg, req);
    int allowed = role != NULL && gw_admin_role_allows(role, "ops");
    gw_server_gen_release(gen);
    if (role == NULL)
        return;
    if (!allowed) {
        send_error(req, 403, "/metrics needs the ops role");
        return;
    }
    gw_buf_t out = GW_BUF_INIT;
    if (gw_server_render_metrics(w->server, &out) != 0) {
        gw_buf_free(&out);
        send_error(req, 500, "out of memory");
        return;
    }
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = out.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("text/plain; version=0.0.4"));
    h2o_send_inline(req, out.base, out.len);
    gw_buf_free(&out);
}

static void admin_handle(gw_worker_t *w, h2o_req_t *req, const gw_config_t *cfg)
{
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    const char *path = req->path.base + strlen(GW_ADMIN_PREFIX);
    size_t path_len = plen - strlen(GW_ADMIN_PREFIX);
    /* authentication first: an unauthenticated caller learns nothing about routes */
    const char *role = authenticate(cfg, req);
    if (role == NULL)
        return;
    const char *needed = gw_admin_route_role(req->method.base, req->method.len, path, path_len);
    if (needed == NULL) {
        send_error(req, 404, "unknown admin route (see README.md, Admin API)");
        return;
    }
    if (!gw_admin_role_allows(role, needed)) {
        char msg[128];
        snprintf(msg, sizeof(msg), "this route needs the %s role; the token has the %s role", needed, role);
        send_error(req, 403, msg);
        return;
    }
    if (w->server->store == NULL) {
        send_error(req, 503, "the privacy store is not configured (set master_key_file and store in the config)");
        return;
    }
    admin_job_t *job = calloc(1, sizeof(*job));
    if (job == NULL) {
        send_error(req, 500, "out of memory");
        return;
    }
    size_t ml = req->method.len < sizeof(job->method) - 1 ? req->method.len : sizeof(job->method) - 1;
    memcpy(job->method, req->method.base, ml);
    job->path = strndup(path, path_len);
    if (req->query_at != SIZE_MAX)
        job->query = strndup(req->path.base + req->query_at + 1, req->path.len - req->query_at - 1);
    if (req->entity.base != NULL && (job->body = malloc(req->entity.len + 1)) != NULL) {
        memcpy(job->body, req->entity.base, req->entity.len);
        job->body[req->entity.len] = '\0';
        job->body_len = req->entity.len;
    }
    if (job->path == NULL || (req->query_at != SIZE_MAX && job->query == NULL) || (req->entity.base != NULL && job->body == NULL)) {
        free_job(job);
        send_error(req, 500, "out of memory");
        return;
    }
    job->req = req;
    job->ops = strcmp(needed, "ops") == 0;
    job->store = w->server->store;
    job->work.data = job;
    job->slot = h2o_mem_alloc_shared(&req->pool, sizeof(*job->slot), on_slot_dispose);
    job->slot->job = job;
    if (uv_queue_work(&w->loop, &job->work, run_job, after_job) != 0) {
        job->slot->job = NULL;
        free_job(job);
        send_error(req, 500, "cannot schedule the admin request");
    }
}

void gw_admin_handle(gw_worker_t *w, h2o_req_t *req)
{
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    if (h2o_memis(req->path.base, plen, H2O_STRLIT(GW_ADMIN_PREFIX "/openapi.json")) &&
        h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"))) {
        /* the OpenAPI 3.1 description of this API (gateway/console/openapi.json, embedded): public,
         * like the console's own code, so client generators need no token */
        const gw_console_asset_t *a = gw_console_find(H2O_STRLIT("/openapi.json"));
        if (a != NULL) {
            send_body(req, 200, a->content_type, (const char *)a->data, a->len);
            return;
        }
    }
    /* pinned for the synchronous part only: the job copies what it needs, and a role string
     * points into this config (or into a keyset, kept until exit) */
    gw_gen_t *gen = gw_server_gen_acquire(w->server);
    admin_handle(w, req, gen->cfg);
    gw_server_gen_release(gen);
}
