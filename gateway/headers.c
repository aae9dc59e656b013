/*
 * Header rewriting (see headers.h). Lists are short, so a case-insensitive scan over a table
 * of names with their lengths is enough; no allocation.
 */
#include "gateway/headers.h"

#include "common/log.h"
#include "providers/provider.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

/* A header name and its length; the lists below are turned into one table each on first use (pthread_once), so a
 * look-up compares lengths first and runs strncasecmp only on names of the right length. The strlen of every entry of
 * every list on each call cost ~520 instructions per request header, ten headers a request (issue 12, session 5). */
typedef struct st_hname_t {
    const char *name;
    size_t len;
} hname_t;

static const char *const hop_by_hop[] = {"connection",        "keep-alive", "proxy-connection", "te", "trailer",
                                         "transfer-encoding", "upgrade",    "http2-settings",   NULL};

static const char *const drop_req[] = {"host",      "content-length",  "expect", "accept-encoding", "cookie", "proxy-authorization",
                                       "forwarded", "x-forwarded-for", NULL};

static const char *const drop_resp[] = {"content-length", "content-encoding", "server", "date", "set-cookie", NULL};

/* request: hop-by-hop, drop_req, every provider credential header, every adapter's account headers; response:
 * hop-by-hop and drop_resp. Sizes: far above the lists; one more name aborts (a credential header left out of the
 * table would be forwarded). */
static hname_t req_names[128], resp_names[32];
static size_t nreq, nresp;
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void add_all(hname_t *t, size_t cap, size_t *n, const char *const *set)
{
    for (; *set != NULL; set++) {
        GW_ASSERT(*n < cap);
        t[(*n)++] = (hname_t){*set, strlen(*set)};
    }
}

static void names_init(void)
{
    add_all(req_names, sizeof(req_names) / sizeof(req_names[0]), &nreq, hop_by_hop);
    add_all(req_names, sizeof(req_names) / sizeof(req_names[0]), &nreq, drop_req);
    add_all(req_names, sizeof(req_names) / sizeof(req_names[0]), &nreq, prov_credential_headers);
    size_t na;
    const prov_adapter_t *const *all = prov_all(&na);
    for (size_t i = 0; i < na; i++)
        if (all[i]->account_headers != NULL)
            add_all(req_names, sizeof(req_names) / sizeof(req_names[0]), &nreq, all[i]->account_headers);
    add_all(resp_names, sizeof(resp_names) / sizeof(resp_names[0]), &nresp, hop_by_hop);
    add_all(resp_names, sizeof(resp_names) / sizeof(resp_names[0]), &nresp, drop_resp);
}

static int in_table(const char *name, size_t len, const hname_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].len == len && strncasecmp(name, t[i].name, len) == 0)
            return 1;
    return 0;
}

int gw_headers_drop_request(const char *name, size_t len)
{
    if (len >= 7 && strncasecmp(name, "x-aigw-", 7) == 0)
        return 1;
    pthread_once(&names_once, names_init);
    return in_table(name, len, req_names, nreq);
}

int gw_headers_drop_response(const char *name, size_t len)
{
    if (len >= 7 && strncasecmp(name, "x-aigw-", 7) == 0)
        return 1;
    pthread_once(&names_once, names_init);
    return in_table(name, len, resp_names, nresp);
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

int gw_headers_parse_line(const char *line, size_t len, const char **name, size_t *name_len, const char **value, size_t *value_len)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len == 0)
        return 2;
    if (len >= 5 && strncasecmp(line, "HTTP/", 5) == 0)
        return 1;
    size_t colon = 0;
    while (colon < len && line[colon] != ':')
        colon++;
    if (colon == 0 || colon == len)
        return -1;
    for (size_t i = 0; i < colon; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c <= 0x20 || c >= 0x7f)
            return -1; /* field names are tokens (RFC 9110 section 5.1) */
    }
    size_t v = colon + 1;
    while (v < len && is_ws(line[v]))
        v++;
    size_t end = len;
    while (end > v && is_ws(line[end - 1]))
        end--;
    /* RFC 9110 section 5.5: a field value holds no control character but HTAB; a proxy must reject
     * or replace CR, LF and NUL before forwarding (curl hands them over: a bare CR inside a line
     * would reach the client as a header break, "X: a\rSet-Cookie: ..."). Rejected, as any other. */
    for (size_t i = v; i < end; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return -1;
    }
    *name = line;
    *name_len = colon;
    *value = line + v;
    *value_len = end - v;
    return 0;
}

int gw_headers_in_connection(const char *conn, size_t conn_len, const char *name, size_t len)
{
    size_t i = 0;
    while (i < conn_len) {
        while (i < conn_len && (conn[i] == ',' || is_ws(conn[i])))
            i++;
        size_t start = i;
        while (i < conn_len && conn[i] != ',')
            i++;
        size_t end = i;
        while (end > start && is_ws(conn[end - 1]))
            end--;
        if (end - start == len && len > 0 && strncasecmp(conn + start, name, len) == 0)
            return 1;
    }
    return 0;
}

int gw_headers_conflicting_framing(const char *head, size_t len)
{
    const char *p = memchr(head, '\n', len), *end = head + len;
    const char *cl = NULL;
    size_t cl_len = 0;
    int n_te = 0, n_cl = 0, te_chunked = 1;
    if (p == NULL)
        return 0;
    for (p++; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol != NULL ? eol : end;
        const char *name, *value;
        size_t nl, vl;
        size_t ll = (size_t)(line_end - p);
        if (ll == 0 || (ll == 1 && p[0] == '\r'))
            break; /* end of the head */
        if (gw_headers_parse_line(p, ll, &name, &nl, &value, &vl) == 0) {
            if (nl == 17 && strncasecmp(name, "transfer-encoding", 17) == 0) {
                n_te++;
                if (!(vl == 7 && strncasecmp(value, "chunked", 7) == 0))
                    te_chunked = 0;
            } else if (nl == 14 && strncasecmp(name, "content-length", 14) == 0) {
                if (vl == 0 || vl > 19)
                    return 1;
                for (size_t i = 0; i < vl; i++)
                    if (value[i] < '0' || value[i] > '9')
                        return 1;
                if (n_cl++ != 0 && (vl != cl_len || memcmp(value, cl, vl) != 0))
                    return 1;
                cl = value;
                cl_len = vl;
            }
        }
        if (eol == NULL)
            break;
        p = eol + 1;
    }
    return n_te > 1 || (n_te == 1 && (n_cl != 0 || !te_chunked));
}
