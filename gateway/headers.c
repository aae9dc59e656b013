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

/* A header name and its length. The lists below are turned into one table each on first use (pthread_once), in lower
 * case and sorted by length, with the range of each length: a look-up compares only the names of its own length
 * (1-3 of ~40), byte by byte in ASCII lower case (what strncasecmp does in the C locale, which aigw never leaves).
 * The strlen of every entry of every list on each call cost ~520 instructions per request header (issue 12, session 5);
 * a scan of every entry's length, ~110 (session 8). */
typedef struct st_hname_t {
    const char *name;
    size_t len;
} hname_t;

static const char *const hop_by_hop[] = {"connection",        "keep-alive", "proxy-connection", "te", "trailer",
                                         "transfer-encoding", "upgrade",    "http2-settings",   NULL};

static const char *const drop_req[] = {"host",      "content-length",  "expect", "accept-encoding", "cookie", "proxy-authorization",
                                       "forwarded", "x-forwarded-for", NULL};

static const char *const drop_resp[] = {"content-length", "content-encoding", "server", "date", "set-cookie", NULL};

#define HNAME_MAX 64 /* longest name a table may hold; a longer one aborts at start */

/* request: hop-by-hop, drop_req, every provider credential header, every adapter's account headers; response:
 * hop-by-hop and drop_resp. Sizes: far above the lists; one more name aborts (a credential header left out of the
 * table would be forwarded). */
typedef struct st_htable_t {
    hname_t names[128];
    size_t n;
    unsigned char from[HNAME_MAX + 2]; /* names of length L are names[from[L] .. from[L + 1]) */
    char text[128 * (HNAME_MAX + 1)];  /* the names in lower case */
    size_t text_len;
} htable_t;

static htable_t req_table, resp_table;
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static unsigned char lower_ascii(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static void add_all(htable_t *t, const char *const *set)
{
    for (; *set != NULL; set++) {
        size_t len = strlen(*set);
        GW_ASSERT(t->n < sizeof(t->names) / sizeof(t->names[0]) && len <= HNAME_MAX);
        char *dst = t->text + t->text_len;
        for (size_t i = 0; i < len; i++)
            dst[i] = (char)lower_ascii((unsigned char)(*set)[i]);
        dst[len] = '\0';
        t->text_len += len + 1;
        t->names[t->n++] = (hname_t){dst, len};
    }
}

/* Sorts by length (insertion sort: ~40 names, once) and records where each length starts. */
static void index_by_len(htable_t *t)
{
    for (size_t i = 1; i < t->n; i++)
        for (size_t j = i; j > 0 && t->names[j - 1].len > t->names[j].len; j--) {
            hname_t tmp = t->names[j];
            t->names[j] = t->names[j - 1];
            t->names[j - 1] = tmp;
        }
    size_t k = 0;
    for (size_t len = 0; len <= HNAME_MAX + 1; len++) {
        while (k < t->n && t->names[k].len < len)
            k++;
        t->from[len] = (unsigned char)k;
    }
}

static void names_init(void)
{
    add_all(&req_table, hop_by_hop);
    add_all(&req_table, drop_req);
    add_all(&req_table, prov_credential_headers);
    size_t na;
    const prov_adapter_t *const *all = prov_all(&na);
    for (size_t i = 0; i < na; i++)
        if (all[i]->account_headers != NULL)
            add_all(&req_table, all[i]->account_headers);
    add_all(&resp_table, hop_by_hop);
    add_all(&resp_table, drop_resp);
    index_by_len(&req_table);
    index_by_len(&resp_table);
}

static int in_table(const char *name, size_t len, const htable_t *t)
{
    if (len > HNAME_MAX)
        return 0;
    for (size_t i = t->from[len]; i < t->from[len + 1]; i++) {
        const char *tn = t->names[i].name;
        size_t k = 0;
        while (k < len && lower_ascii((unsigned char)name[k]) == (unsigned char)tn[k])
            k++;
        if (k == len)
            return 1;
    }
    return 0;
}

/* "x-aigw-" in any case */
static int is_aigw_name(const char *name, size_t len)
{
    static const char p[] = "x-aigw-";
    if (len < 7)
        return 0;
    for (size_t i = 0; i < 7; i++)
        if (lower_ascii((unsigned char)name[i]) != (unsigned char)p[i])
            return 0;
    return 1;
}

int gw_headers_drop_request(const char *name, size_t len)
{
    if (is_aigw_name(name, len))
        return 1;
    pthread_once(&names_once, names_init);
    return in_table(name, len, &req_table);
}

/* `len` bytes of `name` equal the lower-case NUL-terminated `want`, in any case; a `want` ending in '*' is a prefix */
static int name_is(const char *name, size_t len, const char *want)
{
    size_t k = 0;
    for (; want[k] != '\0' && want[k] != '*'; k++)
        if (k == len || lower_ascii((unsigned char)name[k]) != (unsigned char)want[k])
            return 0;
    return want[k] == '*' || k == len;
}

static int in_list(const char *const *list, const char *name, size_t len)
{
    for (; list != NULL && *list != NULL; list++)
        if (name_is(name, len, *list))
            return 1;
    return 0;
}

int gw_headers_forward_request(const prov_adapter_t *up, const prov_adapter_t *wire, char *const *extra, size_t nextra,
                               const char *name, size_t len)
{
    /* HTTP's own that a provider reads: what the client accepts, what the body is, who the client is (an SDK names
       itself; the value is scanned like every forwarded header), the retry key of a POST */
    static const char *const http[] = {"accept", "content-type", "user-agent", "idempotency-key", NULL};
    if (in_list(http, name, len) || (up != NULL && in_list(up->request_headers, name, len)) ||
        (wire != NULL && in_list(wire->request_headers, name, len)))
        return 1;
    for (size_t i = 0; i < nextra; i++)
        if (name_is(name, len, extra[i]))
            return 1;
    return 0;
}

int gw_headers_drop_response(const char *name, size_t len)
{
    if (is_aigw_name(name, len))
        return 1;
    pthread_once(&names_once, names_init);
    return in_table(name, len, &resp_table);
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
    /* "HTTP/" in any case (c | 0x20 is the lower-case letter for exactly the two cases of it) */
    if (len >= 5 && (line[0] | 0x20) == 'h' && (line[1] | 0x20) == 't' && (line[2] | 0x20) == 't' && (line[3] | 0x20) == 'p' &&
        line[4] == '/')
        return 1;
    const char *c = memchr(line, ':', len);
    if (c == NULL || c == line)
        return -1;
    size_t colon = (size_t)(c - line);
    for (size_t i = 0; i < colon; i++) {
        unsigned char ch = (unsigned char)line[i];
        if (ch <= 0x20 || ch >= 0x7f)
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
        unsigned char b = (unsigned char)line[i];
        if ((b < 0x20 && b != '\t') || b == 0x7f)
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
        /* only the two names of 17 and 14 bytes matter, and gw_headers_parse_line's name ends at the line's first colon
           (the CR / LF it trims come after it): the other lines are not parsed (issue 12, session 15) */
        const char *colon = memchr(p, ':', ll);
        size_t at = colon != NULL ? (size_t)(colon - p) : 0;
        if ((at == 17 || at == 14) && gw_headers_parse_line(p, ll, &name, &nl, &value, &vl) == 0) {
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
