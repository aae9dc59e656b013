/*
 * Header rewriting (see headers.h). Lists are short, so a case-insensitive scan over a table
 * keyed by length is enough; no allocation.
 */
#include "gateway/headers.h"

#include "providers/provider.h"

#include <string.h>
#include <strings.h>

static int in_set(const char *name, size_t len, const char *const *set)
{
    for (; *set != NULL; set++) {
        size_t n = strlen(*set);
        if (n == len && strncasecmp(name, *set, len) == 0)
            return 1;
    }
    return 0;
}

static const char *const hop_by_hop[] = {"connection",        "keep-alive", "proxy-connection", "te", "trailer",
                                         "transfer-encoding", "upgrade",    "http2-settings",   NULL};

/* besides these: every provider credential header (prov_credential_headers) and every adapter's account-selection
 * headers (only config sets them: providers.NAME.headers) */
static const char *const drop_req[] = {"host",      "content-length",  "expect", "accept-encoding", "cookie", "proxy-authorization",
                                       "forwarded", "x-forwarded-for", NULL};

static const char *const drop_resp[] = {"content-length", "content-encoding", "server", "date", "set-cookie", NULL};

int gw_headers_drop_request(const char *name, size_t len)
{
    if (len >= 7 && strncasecmp(name, "x-aigw-", 7) == 0)
        return 1;
    return in_set(name, len, hop_by_hop) || in_set(name, len, drop_req) || in_set(name, len, prov_credential_headers) ||
           prov_is_account_header(name, len);
}

int gw_headers_drop_response(const char *name, size_t len)
{
    if (len >= 7 && strncasecmp(name, "x-aigw-", 7) == 0)
        return 1;
    return in_set(name, len, hop_by_hop) || in_set(name, len, drop_resp);
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
