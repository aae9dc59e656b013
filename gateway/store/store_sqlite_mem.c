/*
 * SQLite's memory: no statistics, and small blocks kept per thread (issue 12, session 10).
 *
 * Why. Debian's SQLite is built with SQLITE_OMIT_LOOKASIDE (`PRAGMA compile_options`), so every
 * cursor a statement opens, every record and index key it builds and every value it reads is a
 * malloc and a free through SQLite's allocator: about 30 of each per metered call on the writer
 * under load, about 50 per serial call. With memory statistics on (SQLite's default) each of them
 * also took SQLite's global memory mutex and updated four counters. With glibc, blocks above its
 * per-thread cache's 1032 bytes (the call row's record, 2.4 KB) and bursts of more than 7 blocks
 * of one size go through its arenas. Instructions per call: docs/BENCHMARKS.md "Issue 12, session
 * 10".
 *
 * What. gw_store__sqlite_mem_config() runs once, before SQLite initialises (store_sqlite_vfs.c
 * vfs_init, the first thing aigw does with SQLite):
 *   - SQLITE_CONFIG_MEMSTATUS 0: aigw reads none of the statistics (sqlite3_memory_used,
 *     sqlite3_status) and sets no soft or hard heap limit, which need them;
 *   - SQLITE_CONFIG_MALLOC with the functions below: blocks of up to 4 KiB in power-of-two
 *     classes (64 B .. 4 KiB) with a 16-byte header holding the class capacity; a freed block goes
 *     onto the freeing thread's list of its class, at most CACHE_BYTES_PER_CLASS bytes (and 16
 *     blocks) per class and thread (64.5 KiB per thread at most), and the next allocation of that
 *     class on that thread takes it back; anything else is malloc / free. A thread's lists are
 *     freed when the thread ends (a pthread key's destructor). A block may be freed by another
 *     thread than the one that allocated it (the journal's statements run on the writer and on
 *     the worker loops): it then joins that thread's list.
 * Blocks are not zeroed on free, as glibc's are not (what SQLite keeps in them, the rows' values,
 * lived in glibc's free lists before too). Built with AddressSanitizer, only the statistics are
 * turned off: SQLite's blocks stay plain malloc / free, so ASan still sees a use after free.
 * sqlite3_config refuses (SQLITE_MISUSE) once SQLite is initialised (a test that opened a database
 * itself first): nothing is changed then.
 */
#include "gateway/store/store_db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define GW_SQLITE_MEM_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GW_SQLITE_MEM_PLAIN 1
#endif
#endif

#ifndef GW_SQLITE_MEM_PLAIN
#define HDR 16u                      /* header: the block's capacity; keeps 16-byte alignment */
#define MIN_SHIFT 6u                 /* 64 bytes */
#define NCLASS 7u                    /* 64, 128, ..., 4096 */
#define CACHE_BYTES_PER_CLASS 16384u /* per class and thread */
#define CACHE_MAX_BLOCKS 16u         /* per class and thread */
#define BIG ((size_t)1 << (MIN_SHIFT + NCLASS - 1))

typedef struct blk {
    struct blk *next;
} blk_t;

typedef struct {
    blk_t *head[NCLASS];
    unsigned n[NCLASS];
    int registered; /* 1: the pthread key holds this thread's cache (freed at thread exit); -1: it cannot, no cache */
} tcache_t;

static _Thread_local tcache_t g_tc;
static pthread_key_t g_key;
static int g_key_ok;

/* class index of a capacity-or-request n <= BIG: the smallest c with 64 << c >= n */
static unsigned class_of(size_t n)
{
    return n <= ((size_t)1 << MIN_SHIFT) ? 0u : (unsigned)(64 - __builtin_clzll((unsigned long long)(n - 1))) - MIN_SHIFT;
}

static size_t class_cap(unsigned c)
{
    return (size_t)1 << (MIN_SHIFT + c);
}

/* blocks kept per class and thread: CACHE_BYTES_PER_CLASS of them, at most CACHE_MAX_BLOCKS */
static const unsigned char LIMIT[NCLASS] = {16, 16, 16, 16, 16, 8, 4};
_Static_assert(CACHE_BYTES_PER_CLASS / 4096u == 4u && CACHE_BYTES_PER_CLASS / 2048u == 8u && CACHE_MAX_BLOCKS == 16u,
               "LIMIT follows CACHE_BYTES_PER_CLASS and CACHE_MAX_BLOCKS");

static void tc_flush(void *p)
{
    tcache_t *tc = p;
    tc->registered = 0; /* a block freed after this (another destructor) registers the thread again */
    for (unsigned c = 0; c < NCLASS; c++) {
        for (blk_t *b = tc->head[c], *next; b != NULL; b = next) {
            next = b->next;
            free((unsigned char *)b - HDR);
        }
        tc->head[c] = NULL;
        tc->n[c] = 0;
    }
}

static size_t cap_of(const void *p)
{
    size_t cap;
    memcpy(&cap, (const unsigned char *)p - HDR, sizeof(cap));
    return cap;
}

static void *m_malloc(int n)
{
    if (n <= 0)
        return NULL;
    size_t want = (size_t)n, cap;
    if (want <= BIG) {
        unsigned c = class_of(want);
        blk_t *b = g_tc.head[c];
        if (b != NULL) {
            g_tc.head[c] = b->next;
            g_tc.n[c]--;
            return b;
        }
        cap = class_cap(c);
    } else {
        cap = (want + 15u) & ~(size_t)15u;
    }
    unsigned char *raw = malloc(HDR + cap);
    if (raw == NULL)
        return NULL;
    memcpy(raw, &cap, sizeof(cap));
    return raw + HDR;
}

static void m_free(void *p)
{
    if (p == NULL)
        return;
    size_t cap = cap_of(p);
    if (cap <= BIG) {
        unsigned c = class_of(cap);
        if (g_tc.n[c] < LIMIT[c]) {
            if (g_tc.registered == 0)
                g_tc.registered = g_key_ok && pthread_setspecific(g_key, &g_tc) == 0 ? 1 : -1;
            if (g_tc.registered == 1) {
                blk_t *b = p;
                b->next = g_tc.head[c];
                g_tc.head[c] = b;
                g_tc.n[c]++;
                return;
            }
        }
    }
    free((unsigned char *)p - HDR);
}

static int m_size(void *p)
{
    return p == NULL ? 0 : (int)cap_of(p);
}

static void *m_realloc(void *p, int n)
{
    if (p == NULL)
        return m_malloc(n);
    if (n <= 0) {
        m_free(p);
        return NULL;
    }
    size_t cap = cap_of(p);
    if ((size_t)n <= cap)
        return p;
    void *q = m_malloc(n);
    if (q == NULL)
        return NULL; /* SQLite keeps p */
    memcpy(q, p, cap);
    m_free(p);
    return q;
}

static int m_roundup(int n)
{
    if (n <= 0)
        return 0;
    if ((size_t)n <= BIG)
        return (int)class_cap(class_of((size_t)n));
    return (int)(((size_t)n + 15u) & ~(size_t)15u);
}

static int m_init(void *arg)
{
    (void)arg;
    return SQLITE_OK;
}

static void m_shutdown(void *arg)
{
    (void)arg;
}

static void key_init(void)
{
    g_key_ok = pthread_key_create(&g_key, tc_flush) == 0;
}
#endif

void gw_store__sqlite_mem_config(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#ifndef GW_SQLITE_MEM_PLAIN
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, key_init);
    static const sqlite3_mem_methods methods = {m_malloc, m_free, m_realloc, m_size, m_roundup, m_init, m_shutdown, NULL};
    (void)sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
#endif
}
