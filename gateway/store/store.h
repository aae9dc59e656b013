/*
 * gw_store: the privacy store (issue 5; data model in DESIGN.md section 5).
 *
 * One interface over two backends: SQLite (embedded default, `{"driver":"sqlite","path":...}`)
 * and PostgreSQL (`{"driver":"postgres","dsn":...}`, several aigw instances may share one
 * database). Workers hand call and access records to gw_store_submit_*, which never blocks on
 * disk: records go into a bounded queue that one writer thread commits in groups (one
 * transaction per batch). A full queue is reported (GW_STORE_E_FULL: answer 503 + Retry-After),
 * never a dropped record. The writer also runs the purge job (expired rows, deleted in batches
 * of GW_STORE_PURGE_BATCH rows). Admin routes and the CLI call the blocking operations below
 * from a thread pool or the CLI, never from a worker loop; they are serialised with the writer.
 *
 * Times are microseconds since the Unix epoch (int64) everywhere. Bodies are encrypted with the
 * user's data key (policy/crypto.h) before they reach the database; redactions hold a keyed hash
 * of the value, never the value. docs/internals/store.md has the schema and the limits.
 */
#ifndef AIGW_GATEWAY_STORE_H
#define AIGW_GATEWAY_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "common/errors.h"
#include "common/limits.h"
#include "common/buf.h"
#include "policy/retention.h"

typedef struct st_gw_store_t gw_store_t;

/* Errors (0 = OK): names for the store's cases, values from the one vocabulary in
 * common/errors.h so each maps to its HTTP status with gw_error_status() (gateway/errors.h). Details (database
 * messages, never bound values) go to stderr. */
#define GW_STORE_E_FULL GW_E_UNAVAILABLE   /* queue full: backpressure, answer 503 with Retry-After */
#define GW_STORE_E_CLOSED GW_E_UNAVAILABLE /* the store is shutting down (or its writer is paused) */
#define GW_STORE_E_INVAL GW_E_BAD_REQUEST  /* bad argument (empty or too long user id, bad query parameter) */
#define GW_STORE_E_NOTFOUND GW_E_NOT_FOUND /* no such user */
#define GW_STORE_E_DB GW_E_INTERNAL        /* database error */
#define GW_STORE_E_CRYPTO GW_E_INTERNAL    /* a key or ciphertext did not authenticate */
#define GW_STORE_E_NOMEM GW_E_INTERNAL     /* allocation failed */
#define GW_STORE_E_WRITE GW_E_INTERNAL     /* the export write callback failed */

/** Rows per purge statement: about 3 ms of write lock on SQLite (platform-facts.md section 6). */
#define GW_STORE_PURGE_BATCH 100

/** User id recorded for calls without an identified end user. */
#define GW_STORE_ANON_USER "anonymous"

/** One PII entity the scrubber acted on. The raw value is never part of it. */
typedef struct st_gw_redaction_rec_t {
    char *field;                  /* owned (malloc): JSON pointer of the scanned field, e.g. "/messages/0/content" */
    char entity_type[32];         /* Presidio name, e.g. "EMAIL_ADDRESS" */
    size_t start, end;            /* Unicode code point offsets into the field's decoded string */
    char action[12];              /* "tokenize", "redact", "mask", "hash", "block", "allow" */
    unsigned char value_hmac[16]; /* keyed BLAKE2b of the value (deployment key), for matching repeats */
    int response;                 /* 1: found in model output (column direction = 'response'), 0: in the request */
} gw_redaction_rec_t;

/**
 * entity_type of the summary row that stands for the findings of a request beyond
 * pii.max_findings_per_request: field "*", action "summary", start = rows logged, end = findings
 * in the request, value_hmac zero.
 */
#define GW_REDACTION_OVERFLOW_TYPE "FINDINGS_OVERFLOW"

/** One proxied call. Every pointer is owned by the record (malloc); gw_call_rec_free frees them. */
typedef struct st_gw_call_rec_t {
    char request_id[GW_REQUEST_ID_MAX + 1]; /* unique; also the AEAD associated data of the bodies */
    char *user_id;                          /* NULL = GW_STORE_ANON_USER */
    char *client;                           /* client key name */
    char provider[GW_PROVIDER_NAME_MAX + 1];
    char *model;
    char *route;
    int status;            /* HTTP status returned to the client */
    int64_t started_at_us; /* 0 = now (store clock) */
    int64_t duration_us;
    char *usage_json; /* may be NULL */
    int64_t cost_microcredits;
    char *notrain_decision;         /* may be NULL */
    int has_images;                 /* bodies carried images: they follow image_payload_hours */
    char *request_body;             /* as sent upstream (already scrubbed); encrypted by the store; may be NULL */
    size_t request_len;             /* bytes */
    char *response_body;            /* as received; may be truncated by the caller; may be NULL */
    size_t response_len;            /* bytes */
    gw_redaction_rec_t *redactions; /* array of nredactions */
    size_t nredactions;

    /* usage counts for reports (issue 13; gateway/billing.h gw_billing_counts) */
    char outcome[16];      /* "" = complete, else how the upstream answer ended: truncated, upstream_reset, idle_timeout */
    int64_t input_tokens;  /* input incl. cache reads / writes and tool-use prompt tokens */
    int64_t output_tokens; /* output incl. reasoning / thoughts */
    int64_t images;        /* generated images */
    int64_t compute_ms;    /* provider compute time (Replicate predict_time, fal inference time), rounded up */

    /* an asynchronous prediction this call created (gateway/store/store_predict.h), or NULL: owned */
    struct st_gw_predict_rec_t *predict;
} gw_call_rec_t;

/** One access log row (the skeleton's access log lines, kept 30 days). Pointers owned by the record (malloc). */
typedef struct st_gw_store_access_rec_t {
    char request_id[GW_REQUEST_ID_MAX + 1]; /* may be empty */
    char method[12];
    char *route; /* path without the query string */
    int status;
    int64_t bytes_in;  /* request body bytes */
    int64_t bytes_out; /* response body bytes */
    char client_ip[48];
    char *user_id; /* may be NULL */
    int64_t at_us; /* 0 = now */
    int64_t duration_us;
    int64_t upstream_us; /* time waiting for the provider, -1 if not contacted */
} gw_store_access_rec_t;

/** Counters for /metrics; a snapshot taken under the queue lock. */
typedef struct st_gw_store_stats_t {
    uint64_t queue_depth, queue_max;
    uint64_t calls_written, access_written, redactions_written;
    uint64_t rejected_full;    /* submissions answered GW_STORE_E_FULL */
    uint64_t write_failures;   /* records that could not be written even alone, dropped (logged at ERROR): a queued record
                                * refused alone, a finished call's record refused for itself (store_journal.c journal_drop) */
    uint64_t finish_failures;  /* failed attempts to commit a finished call alone (retried, or in the end dropped) */
    uint64_t batches;          /* committed transactions */
    uint64_t inline_commits;   /* turns' transactions begun on their loop's thread (gw_store_turn_commit; SQLite) */
    uint64_t turn_handoffs;    /* turns handed to the writer thread (journal busy, PostgreSQL, or over the inline cap) */
    uint64_t key_row_reads;    /* users rows read to check a cached data key or make one (docs/internals/store.md "Keys") */
    uint64_t call_row_lookups; /* SQLite: access entries written beside their call row after a lookup of that row (not
                                * known committed by this writer: docs/internals/store.md, schema version 13) */
    uint64_t last_batch_us, max_batch_us;
    uint64_t purged[POL_RET_NCLASSES]; /* rows (image_payload: bodies) removed per class since open */
    uint64_t max_purge_batch_us;       /* longest purge statement + commit (write lock held) */
    int64_t last_purge_at_us;
} gw_store_stats_t;

/** What an erasure did. */
typedef struct st_gw_erasure_receipt_t {
    char user_id[GW_USER_ID_MAX + 1];
    char tombstone[48]; /* "erased:<random hex>": the ledger's new user id */
    int key_destroyed;  /* 1 when a data key row existed and was deleted */
    int64_t calls, redactions, access_log, ledger_tombstoned;
    int64_t at_us;
} gw_erasure_receipt_t;

/** Rows a purge removed (or would remove, dry run), per class. */
typedef struct st_gw_purge_counts_t {
    int64_t rows[POL_RET_NCLASSES];
} gw_purge_counts_t;

/** A redaction review query; zero/NULL fields are not filtered on. */
typedef struct st_gw_redaction_query_t {
    int64_t from_us, to_us;  /* [from, to) on the redaction time; 0 = open */
    const char *entity_type; /* borrowed */
    const char *user_id;     /* borrowed */
    const char *route;       /* borrowed */
    int64_t cursor;          /* 0 = first page; else the next_cursor of the previous page */
    int limit;               /* 1..1000, 0 = 100 */
} gw_redaction_query_t;

/**
 * Checks the store's settings (the same parse gw_store_open does: store, retention, log_bodies
 * objects, borrowed, NULL = defaults) without opening or creating anything: `aigw check` and
 * SIGHUP use it. @return 0, or -1 with err naming the key and what was expected.
 */
int gw_store_conf_check(const json_t *store_cfg, const json_t *retention_cfg, const json_t *log_bodies, char *err, size_t errlen);

/**
 * Opens the store: connects, applies the versioned migrations, checks the master key against
 * the one recorded in the database, re-applies TTLs to existing rows when the retention config
 * changed since the last start, and starts the writer thread.
 * @param store_cfg borrowed config "store" object: {"driver":"sqlite","path":"var/aigw.db"} or
 *        {"driver":"postgres","dsn":"..."}; optional "queue_max" (records, default 16384),
 *        "batch_max" (records per transaction, 1..1024, default 256), "purge_interval_s" (default 60, 0 =
 *        only on demand). NULL = SQLite at var/aigw.db.
 * @param retention_cfg borrowed "retention" object (policy/retention.h), NULL = defaults.
 * @param log_bodies borrowed JSON string "none" | "scrubbed" (default scrubbed), or NULL.
 * @param master_key_file path of the key file (refused if group/world accessible).
 * @return the store, or NULL with what and where in `err`.
 */
gw_store_t *gw_store_open(const json_t *store_cfg, const json_t *retention_cfg, const json_t *log_bodies,
                          const char *master_key_file, char *err, size_t errlen);

/** Drains the queue (every submitted record is written), joins the writer, closes. NULL is fine. */
void gw_store_close(gw_store_t *st);

/**
 * Hands a call record to the writer without blocking on disk (a short mutex only).
 * @return 0 (the store took ownership of `rec` and everything it points to), GW_STORE_E_FULL
 *         (queue full; `rec` still belongs to the caller, nothing was recorded) or
 *         GW_STORE_E_CLOSED.
 */
int gw_store_submit_call(gw_store_t *st, gw_call_rec_t *rec);

/** Same contract as gw_store_submit_call, for an access log record. */
int gw_store_submit_access(gw_store_t *st, gw_store_access_rec_t *rec);

/**
 * Completion of an asynchronous store operation (gw_store_finish_async, gw_store_reserve_async).
 * Runs exactly once per accepted operation, after the transaction that carried it committed (or
 * after it failed for good): on the store's writer thread, or, when the operation was submitted on
 * a thread with a loop turn (gw_store_turn_open) and its turn was committed inline, on that thread
 * inside gw_store_turn_commit. It must not block and must not call the store; hand the result to a
 * loop (uv_async_send from the writer thread; on the turn's own thread, queue it and run it after
 * gw_store_turn_commit returns). `rc` and `balance_after` as documented for the operation.
 */
typedef void (*gw_store_done_cb)(void *ctx, int rc, int64_t balance_after);

/**
 * Hands a finished call to the journal: its call record and, when `settle`, the settlement of
 * its reservation `request_id` at `actual` micro-credits (gw_store_settle's rules), both in the
 * same group-committed transaction. Never refused for a full queue (the call was forwarded: its
 * record must not be lost): when the database cannot commit, the item stays in memory and is
 * retried (backing off up to 1 s) while gw_store_unavailable() refuses new calls.
 * @param rec the call record, or NULL (settlement only); the store takes ownership (also on error).
 * @param user_id, request_id borrowed (copied); used when `settle`.
 * @param cb fires once: rc 0 = committed; GW_STORE_E_DB = the record could not be written alone
 *        although other transactions committed (a bad record; logged) or the store closed while
 *        it was still failing. A settlement of an unknown reservation is logged, not an error.
 * @return 0 (accepted: cb will fire), GW_STORE_E_INVAL (bad ids; rec freed, cb does not fire),
 *         GW_STORE_E_NOMEM, GW_STORE_E_CLOSED.
 */
int gw_store_finish_async(gw_store_t *st, gw_call_rec_t *rec, const char *user_id, const char *request_id, int settle,
                          int64_t actual, gw_store_done_cb cb, void *ctx);

/**
 * A worker loop's turn of journal items (issue 12 session 7; docs/internals/store.md "Commit once
 * per loop turn"). While a turn is bound to a thread, every journal item that thread submits
 * without waiting for it (gw_store_reserve_async, gw_store_finish_async, gw_store_settle_deferred,
 * lease and rate-limit items) collects in the turn instead of the writer's queue, and the loop
 * commits them together once per turn with gw_store_turn_commit from a uv_prepare handle (libuv
 * runs prepare handles just before it computes the poll timeout and blocks). A blocking store call
 * on that thread hands the turn's items to the writer first, so they keep their order.
 */
typedef struct st_gw_store_turn_t gw_store_turn_t;

/**
 * Binds a new turn to the calling thread. `inline_max`: a turn holding more items than this goes
 * to the writer thread even when the journal is idle (0: no limit). Close it (on the same thread)
 * before gw_store_close. @return the turn, or NULL (out of memory, or this thread has a turn).
 */
gw_store_turn_t *gw_store_turn_open(gw_store_t *st, size_t inline_max);

/**
 * Commits the items of turn `t` (calling thread = the thread it is bound to). When `may_inline`,
 * the store is SQLite, the journal is idle (nothing queued, nothing waiting for a retry, no
 * transaction of the writer or of another turn under way) and the turn is within its inline_max,
 * they are committed in one transaction on this thread, with the ring's queued records, and their
 * callbacks fire here before this returns; the BEGIN never waits for a lock another connection
 * holds. Otherwise (or when that BEGIN finds the database busy) they are handed to the writer
 * thread, which commits them with what is queued there and completes them on its thread. Failures
 * are the writer's rules either way (gw_store_finish_async, gw_store_reserve_async).
 * @return the number of items committed (or failed) on this thread: their callbacks have fired here, except a
 *         finished call whose record failed, kept for the writer's retry; 0: none held, or handed to the writer.
 */
size_t gw_store_turn_commit(gw_store_turn_t *t, int may_inline);

/** Hands what `t` still holds to the writer thread, unbinds it from the calling thread and frees it (NULL is fine). */
void gw_store_turn_close(gw_store_turn_t *t);

/**
 * Whether new calls should be refused (503 + Retry-After: 1) because the journal cannot commit:
 * 1 while finished calls wait for a retry, and for 1 s after any failed journal transaction;
 * else 0. Lock-free (two atomic loads); call it on every request.
 */
int gw_store_unavailable(gw_store_t *st);

/** Frees a record and what it points to (NULL is fine). */
void gw_call_rec_free(gw_call_rec_t *rec);
void gw_store_access_rec_free(gw_store_access_rec_t *rec);

/** Fills `out` with the current counters. */
void gw_store_stats(gw_store_t *st, gw_store_stats_t *out);

/**
 * Blocks until every record submitted before the call is committed (tests, erasure, export).
 * @return 0, or GW_STORE_E_CLOSED when the writer is stopped or paused (it does not wait then).
 */
int gw_store_flush(gw_store_t *st);

/* ---- client keys and admin tokens managed with `aigw keys` (issue 14) ---- */

#define GW_STORE_KEY_ID_CHARS 16 /* "key_" + 12 hex digits */

/** One managed credential; only the BLAKE2b-256 hash of the secret is stored (gw_config_hash_key). */
typedef struct st_gw_store_key_t {
    char id[GW_STORE_KEY_ID_CHARS + 1]; /* public handle for list/revoke ("key_3f9a0c1d2e4b") */
    char kind[8];                       /* "client" or "admin" */
    char name[128];                     /* client name, or the admin role (ops|privacy|admin) */
    unsigned char hash[GW_KEY_HASH_BYTES];
    uint32_t markup_permille; /* clients: price markup, 1000 = none */
    int64_t created_at_us;
    int64_t revoked_at_us; /* 0 while valid */
} gw_store_key_t;

/**
 * Stores a new credential (k->kind, name, hash, markup_permille; id and times are set here).
 * @param id_out receives the new id. @return 0, GW_STORE_E_INVAL or GW_STORE_E_DB (logged).
 */
int gw_store_keys_add(gw_store_t *st, const gw_store_key_t *k, char id_out[GW_STORE_KEY_ID_CHARS + 1]);

/** Marks credential `id` revoked (it stops authenticating at the gateways' next key refresh).
 *  @return 0, GW_STORE_E_NOTFOUND (no such id, or revoked already) or GW_STORE_E_DB. */
int gw_store_keys_revoke(gw_store_t *st, const char *id);

/**
 * The stored credentials, oldest first (revoked ones too when with_revoked).
 * @param out receives a malloc'd array the caller frees (NULL when empty), n_out its length.
 * @return 0 or GW_STORE_E_DB (logged).
 */
int gw_store_keys_list(gw_store_t *st, int with_revoked, gw_store_key_t **out, size_t *n_out);

/**
 * The reading connection's last database message (names tables and constraints, never bound
 * values) into `buf` (`len` bytes, "" when there is none), for the admin API's log line when a
 * read failed: the answer says "see the gateway log", the log says why.
 */
void gw_store_last_error(gw_store_t *st, char *buf, size_t len);

/**
 * A JSON string for text read from the store (`s` borrowed, NUL-terminated; NULL gives JSON
 * null). Rows written before the edge refused invalid UTF-8 can hold any bytes: those come back
 * with U+FFFD for each invalid byte instead of failing the whole answer (jansson refuses invalid
 * UTF-8). @return a new reference, or NULL on allocation failure.
 */
json_t *gw_store_json_text(const char *s);

/** What the privacy team may see about a user id (gw_store_user_status). */
typedef struct st_gw_user_status_t {
    int exists;           /* 1 when any table names the id (a users row, calls, redactions, access log, ledger) */
    int has_key;          /* 1 when the users row (with the data key) exists */
    int consent_training; /* 0/1, 0 without a users row */
    int64_t consent_at_us;
    int64_t created_at_us; /* 0 without a users row */
} gw_user_status_t;

/**
 * Whether the store knows `user_id` and the user's consent, for the privacy role (no balances).
 * @return 0 (an unknown id is exists = 0, not an error), GW_STORE_E_INVAL or GW_STORE_E_DB (logged).
 */
int gw_store_user_status(gw_store_t *st, const char *user_id, gw_user_status_t *out);

/**
 * Erases a user: first deletes the user row holding the wrapped data key and commits
 * (crypto-shredding: their bodies are unreadable in every copy from then on), then deletes their
 * calls, redactions and access log rows, and replaces their ledger user id by a tombstone
 * ("erased:<random>") so amounts still add up. An id no table names is not erased:
 * GW_STORE_E_NOTFOUND (so a second erasure of the same id, or a typo, answers "no such user").
 * @param receipt filled with the counts. @return 0, GW_STORE_E_INVAL, GW_STORE_E_NOTFOUND or GW_STORE_E_DB.
 */
int gw_store_forget_user(gw_store_t *st, const char *user_id, gw_erasure_receipt_t *receipt);

/**
 * Streams one JSON document with the user's consent, calls (bodies decrypted), redaction
 * entries, ledger and access log through `write` (called many times with borrowed bytes;
 * returns 0, or non-zero to abort). @return 0, GW_STORE_E_NOTFOUND (no user row), GW_STORE_E_WRITE
 * when `write` failed, GW_STORE_E_CRYPTO, GW_STORE_E_DB.
 */
int gw_store_export_user(gw_store_t *st, const char *user_id, int (*write)(void *ctx, const char *p, size_t n), void *ctx);

/** Records training consent (creates the user and their data key if new). @return 0 or an error. */
int gw_store_set_consent(gw_store_t *st, const char *user_id, int training);

/** @param training receives 0/1. @return 0, GW_STORE_E_NOTFOUND, or an error. */
int gw_store_get_consent(gw_store_t *st, const char *user_id, int *training);

/**
 * Appends a page of the redaction log as JSON to `json_out`:
 * {"items":[{"id","request_id","user","route","field","type","start","end","action","value_hmac","at"}],
 *  "next_cursor":"N"|null}, newest first. @return 0, GW_STORE_E_INVAL, GW_STORE_E_DB.
 */
int gw_store_list_redactions(gw_store_t *st, const gw_redaction_query_t *q, gw_buf_t *json_out);

/**
 * Appends counts per entity type per UTC day in [from, to) (0 = open) as JSON:
 * {"from","to","days":[{"day":"YYYY-MM-DD","type":"...","count":N}]}.
 */
int gw_store_redaction_summary(gw_store_t *st, int64_t from_us, int64_t to_us, gw_buf_t *json_out);

/**
 * Appends the retention status as JSON: {"now","next_purge_run","classes":[{"class","config_key",
 * "ttl_seconds","rows","oldest","next_expiry"}]} (times in µs, null when there is none).
 */
int gw_store_retention_status(gw_store_t *st, gw_buf_t *json_out);

/**
 * Deletes (or with dry_run counts) every row past its expires_at now, in batches of
 * GW_STORE_PURGE_BATCH, each in its own transaction so ingest interleaves. `progress` (may be
 * NULL) is called after each batch with the class, rows done and rows expected for that class.
 * @param counts filled with rows per class. @return 0 or GW_STORE_E_DB.
 */
int gw_store_purge(gw_store_t *st, int dry_run, gw_purge_counts_t *counts,
                   void (*progress)(void *ctx, pol_retention_class_t cls, int64_t done, int64_t total), void *ctx);

/**
 * Re-wraps every user's data key under the master key in `new_key_file` (bodies untouched), in
 * one transaction, records the new key id, and keeps using the new key. Rows already wrapped by
 * the new key are skipped, so an interrupted rotation can be re-run.
 * @return 0, or GW_STORE_E_CRYPTO (a row did not unwrap with the current key) / GW_STORE_E_DB /
 *         GW_STORE_E_INVAL (key file refused; message on stderr).
 */
int gw_store_rotate_master_key(gw_store_t *st, const char *new_key_file);

/** Tests: replaces the clock (µs since epoch) used for "now"; NULL restores the real clock. */
void gw_store_set_clock(gw_store_t *st, int64_t (*now_us)(void *ctx), void *ctx);

/** Tests and maintenance: while paused the writer takes no records (the queue fills up). */
void gw_store_pause_writer(gw_store_t *st, int paused);

/**
 * Derives `len` bytes (16..64) of key for `purpose` (a NUL-terminated label naming the use and its
 * version) from the master key (keyed BLAKE2b): instances and restarts sharing the master key
 * derive the same key, and nothing else can. Used for the Replicate stream capabilities
 * (gateway/async.h). @return 0, or -1 (bad length).
 */
int gw_store_derive_key(const gw_store_t *st, const char *purpose, unsigned char *out, size_t len);

/** The store's master key id (16 hex digits, borrowed, valid until close or rotation). */
const char *gw_store_master_key_id(gw_store_t *st);

#endif
