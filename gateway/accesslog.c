/*
 * Access log writer (see accesslog.h). Double buffering: workers append to `front` under the
 * mutex; the writer thread swaps `front` and `back` under the mutex and writes `back` without
 * holding it. The front buffer is capped at GW_ACCESSLOG_MAX_BYTES.
 *
 * Workers do not wake the writer per line (a futex wake per request was 13% of a worker's CPU
 * in bench/profile.sh): the writer flushes every GW_ACCESSLOG_FLUSH_MS, and is woken early only
 * when the buffer passes half of its cap, or at close.
 */
#include "gateway/accesslog.h"
#include "common/json.h"

#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "providers/provider.h"

#define GW_ACCESSLOG_MAX_BYTES (8u << 20)
#define GW_ACCESSLOG_FLUSH_MS 50

struct st_gw_accesslog_t {
    int fd;
    int owns_fd;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    gw_buf_t front, back;
    uint64_t dropped;
    int stopping;
    int has_user_key;           /* always 1 after open; kept for clarity of the invariant */
    unsigned char user_key[32]; /* keys the pseudonyms of user ids (gw_accesslog_set_user_key) */
};

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return; /* disk full or closed stderr: nothing better to do from here */
        }
        p += w;
        n -= (size_t)w;
    }
}

static void *writer_main(void *arg)
{
    gw_accesslog_t *log = arg;
    pthread_mutex_lock(&log->mu);
    for (;;) {
        if (!log->stopping) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += GW_ACCESSLOG_FLUSH_MS * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&log->cv, &log->mu, &until);
        }
        if (log->front.len == 0 && log->dropped == 0 && !log->stopping)
            continue;
        gw_buf_t tmp = log->front;
        log->front = log->back;
        log->back = tmp;
        gw_buf_reset(&log->front);
        uint64_t dropped = log->dropped;
        log->dropped = 0;
        int stop = log->stopping;
        pthread_mutex_unlock(&log->mu);
        if (log->back.len > 0)
            write_all(log->fd, log->back.base, log->back.len);
        if (dropped > 0) {
            char line[128];
            int n = snprintf(line, sizeof(line), "{\"event\":\"access_log_overflow\",\"dropped_lines\":%" PRIu64 "}\n", dropped);
            write_all(log->fd, line, (size_t)n);
        }
        gw_buf_reset(&log->back);
        pthread_mutex_lock(&log->mu);
        if (stop && log->front.len == 0)
            break;
    }
    pthread_mutex_unlock(&log->mu);
    return NULL;
}

gw_accesslog_t *gw_accesslog_open(const char *path, char *err, size_t errlen)
{
    gw_accesslog_t *log = calloc(1, sizeof(*log));
    if (log == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    log->fd = -1;
    /* until gw_accesslog_set_user_key: a random key (pseudonyms change at each start, ids never appear) */
    randombytes_buf(log->user_key, sizeof(log->user_key));
    log->has_user_key = 1;
    if (path == NULL || path[0] == '\0')
        return log;
    if (strcmp(path, "-") == 0) {
        log->fd = STDERR_FILENO;
    } else if ((log->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) < 0) {
        snprintf(err, errlen, "access_log.path: cannot open %s: %s", path, strerror(errno));
        free(log);
        return NULL;
    } else {
        log->owns_fd = 1;
    }
    pthread_mutex_init(&log->mu, NULL);
    pthread_cond_init(&log->cv, NULL);
    if (pthread_create(&log->thread, NULL, writer_main, log) != 0) {
        snprintf(err, errlen, "access log: cannot start thread");
        if (log->owns_fd)
            close(log->fd);
        free(log);
        return NULL;
    }
    return log;
}

/* The formatter runs once per request on a worker: no printf family (two vsnprintf passes
 * per field were the biggest libc cost in bench/profile.sh), keys are literals, integers are
 * converted by hand. */
static int add_lit(gw_buf_t *out, const char *lit, size_t n)
{
    return gw_buf_append(out, lit, n);
}

static int add_str(gw_buf_t *out, const char *key_lit, size_t key_len, const char *v)
{
    if (add_lit(out, key_lit, key_len) != 0)
        return -1;
    return v != NULL ? gw_json_escape(v, strlen(v), out) : add_lit(out, "null", 4);
}

static int add_i64(gw_buf_t *out, const char *key_lit, size_t key_len, int64_t v)
{
    char tmp[GW_INT_TEXT_MAX];
    if (add_lit(out, key_lit, key_len) != 0)
        return -1;
    return add_lit(out, tmp, gw_i64_text(tmp, v));
}

#define KEY(k) ",\"" k "\":", sizeof(",\"" k "\":") - 1

int gw_accesslog_format(const gw_access_rec_t *r, gw_buf_t *out)
{
    /* "2026-11-21T06:16:03.717617Z": the date part changes once a second per thread */
    static _Thread_local int64_t cached_sec = -1;
    static _Thread_local char cached[24];
    int64_t sec = r->time_us / 1000000;
    if (sec != cached_sec) {
        time_t t = (time_t)sec;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S.", &tm);
        cached_sec = sec;
    }
    char frac[8];
    int64_t us = r->time_us % 1000000;
    for (int i = 5; i >= 0; i--, us /= 10)
        frac[i] = (char)('0' + us % 10);
    frac[6] = 'Z';
    frac[7] = '"';
    if (add_lit(out, "{\"time\":\"", 9) != 0 || add_lit(out, cached, strlen(cached)) != 0 || add_lit(out, frac, 8) != 0 ||
        add_str(out, KEY("request_id"), r->request_id) != 0 || add_str(out, KEY("method"), r->method) != 0 ||
        add_str(out, KEY("route"), r->route) != 0 || add_str(out, KEY("client"), r->client) != 0 ||
        add_str(out, KEY("user"), r->user) != 0 || add_str(out, KEY("provider"), r->provider) != 0 ||
        add_str(out, KEY("remote_ip"), r->remote_ip) != 0 || add_str(out, KEY("protocol"), r->protocol) != 0 ||
        add_i64(out, KEY("status"), r->status) != 0 || add_i64(out, KEY("bytes"), (int64_t)r->bytes_out) != 0 ||
        add_i64(out, KEY("bytes_in"), (int64_t)r->bytes_in) != 0 || add_i64(out, KEY("upstream_us"), r->upstream_us) != 0 ||
        add_i64(out, KEY("overhead_us"), r->overhead_us) != 0 || add_i64(out, KEY("total_us"), r->total_us) != 0 ||
        add_str(out, KEY("error"), r->error) != 0 || add_lit(out, "}\n", 2) != 0)
        return -1;
    return 0;
}

void gw_accesslog_set_user_key(gw_accesslog_t *log, const unsigned char key[32])
{
    if (log == NULL)
        return;
    memcpy(log->user_key, key, sizeof(log->user_key));
    log->has_user_key = 1;
}

void gw_accesslog_pseudonym(const unsigned char key[32], const char *user, char out[GW_ACCESSLOG_PSEUDONYM_CHARS + 1])
{
    unsigned char h[8];
    crypto_generichash(h, sizeof(h), (const unsigned char *)user, strlen(user), key, 32);
    out[0] = 'u';
    out[1] = ':';
    sodium_bin2hex(out + 2, GW_ACCESSLOG_PSEUDONYM_CHARS - 1, h, sizeof(h));
}

void gw_accesslog_write(gw_accesslog_t *log, const gw_access_rec_t *rec, gw_buf_t *scratch)
{
    if (log == NULL || log->fd < 0)
        return;
    gw_buf_reset(scratch);
    gw_access_rec_t pseudo;
    char pu[GW_ACCESSLOG_PSEUDONYM_CHARS + 1];
    if (rec->user != NULL) {
        /* the file is outside retention and erasure: it gets a keyed hash, never the id */
        gw_accesslog_pseudonym(log->user_key, rec->user, pu);
        pseudo = *rec;
        pseudo.user = pu;
        rec = &pseudo;
    }
    if (gw_accesslog_format(rec, scratch) != 0)
        return;
    pthread_mutex_lock(&log->mu);
    if (log->front.len + scratch->len > GW_ACCESSLOG_MAX_BYTES || gw_buf_append(&log->front, scratch->base, scratch->len) != 0)
        log->dropped++;
    else if (log->front.len > GW_ACCESSLOG_MAX_BYTES / 2)
        pthread_cond_signal(&log->cv);
    pthread_mutex_unlock(&log->mu);
}

void gw_accesslog_close(gw_accesslog_t *log)
{
    if (log == NULL)
        return;
    if (log->fd >= 0) {
        pthread_mutex_lock(&log->mu);
        log->stopping = 1;
        pthread_cond_signal(&log->cv);
        pthread_mutex_unlock(&log->mu);
        pthread_join(log->thread, NULL);
        pthread_mutex_destroy(&log->mu);
        pthread_cond_destroy(&log->cv);
        if (log->owns_fd)
            close(log->fd);
    }
    gw_buf_free(&log->front);
    gw_buf_free(&log->back);
    free(log);
}

gw_store_access_rec_t *gw_store_access_rec_from(const gw_access_rec_t *a)
{
    gw_store_access_rec_t *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    gw_str_copy(r->request_id, sizeof(r->request_id), a->request_id ? a->request_id : "");
    gw_str_copy(r->method, sizeof(r->method), a->method ? a->method : "");
    gw_str_copy(r->client_ip, sizeof(r->client_ip), a->remote_ip ? a->remote_ip : "");
    r->status = a->status;
    r->bytes_in = (int64_t)a->bytes_in;
    r->bytes_out = (int64_t)a->bytes_out;
    r->at_us = a->time_us;
    r->duration_us = a->total_us;
    r->upstream_us = a->upstream_us;
    if ((a->route && (r->route = strdup(a->route)) == NULL) || (a->user && (r->user_id = strdup(a->user)) == NULL)) {
        gw_store_access_rec_free(r);
        return NULL;
    }
    return r;
}
