/*
 * Store migrations (see store_schema.h). The schema is DESIGN.md section 5; times are µs since
 * the Unix epoch in BIGINT columns, ciphertexts and hashes are BLOB (SQLite) / BYTEA
 * (PostgreSQL). Every retained table has an index on expires_at, which is what keeps purge
 * batches short (platform-facts.md section 6: 101 ms per 1000-row batch without it, 31 ms
 * with). The ledger is append-only, enforced by a trigger in both dialects: the only change
 * allowed is replacing user_id (erasure writes a tombstone there).
 *
 * To change the schema, append a version: never edit a released one.
 */
#include "gateway/store/store_schema.h"

#include <stdio.h>

typedef struct st_migration_t {
    int version;
    const char *sqlite;
    const char *pg;
} migration_t;

#define TABLES_COMMON(BLOB, SERIAL)                                                                                                \
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"                                                  \
    "CREATE TABLE users(id TEXT PRIMARY KEY, data_key_wrapped " BLOB " NOT NULL, key_id TEXT NOT NULL,"                            \
    " consent_training INTEGER NOT NULL DEFAULT 0, consent_at BIGINT, created_at BIGINT NOT NULL);"                                \
    "CREATE TABLE ledger(id " SERIAL ", user_id TEXT NOT NULL, request_id TEXT NOT NULL, kind TEXT NOT NULL"                       \
    " CHECK (kind IN ('grant','reserve','settle','refund','adjust')), amount_microcredits BIGINT NOT NULL,"                        \
    " at BIGINT NOT NULL, UNIQUE (request_id, kind));"                                                                             \
    "CREATE INDEX ledger_user ON ledger(user_id);"                                                                                 \
    "CREATE TABLE calls(request_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, client TEXT, provider TEXT NOT NULL, model TEXT,"      \
    " route TEXT, status INTEGER NOT NULL, started_at BIGINT NOT NULL, duration_us BIGINT NOT NULL, usage_json TEXT,"              \
    " cost_microcredits BIGINT NOT NULL DEFAULT 0, notrain_decision TEXT, has_images INTEGER NOT NULL DEFAULT 0,"                  \
    " expires_at BIGINT NOT NULL, body_expires_at BIGINT, request_ct " BLOB ", response_ct " BLOB ", nonce " BLOB ");"             \
    "CREATE INDEX calls_expires ON calls(expires_at);"                                                                             \
    "CREATE INDEX calls_body_expires ON calls(body_expires_at);"                                                                   \
    "CREATE INDEX calls_user ON calls(user_id);"                                                                                   \
    "CREATE TABLE redactions(id " SERIAL ", request_id TEXT NOT NULL, user_id TEXT NOT NULL, route TEXT, field TEXT,"              \
    " entity_type TEXT NOT NULL, start_off BIGINT NOT NULL, end_off BIGINT NOT NULL, action TEXT NOT NULL,"                        \
    " value_hmac " BLOB ", at BIGINT NOT NULL, expires_at BIGINT NOT NULL);"                                                       \
    "CREATE INDEX redactions_expires ON redactions(expires_at);"                                                                   \
    "CREATE INDEX redactions_user ON redactions(user_id);"                                                                         \
    "CREATE INDEX redactions_at ON redactions(at);"                                                                                \
    "CREATE TABLE access_log(id " SERIAL                                                                                           \
    ", at BIGINT NOT NULL, request_id TEXT, method TEXT NOT NULL, route TEXT, status INTEGER NOT NULL,"                            \
    " bytes_in BIGINT NOT NULL, bytes_out BIGINT NOT NULL, client_ip TEXT, user_id TEXT, duration_us BIGINT NOT NULL,"             \
    " upstream_us BIGINT NOT NULL, expires_at BIGINT NOT NULL);"                                                                   \
    "CREATE INDEX access_log_expires ON access_log(expires_at);"                                                                   \
    "CREATE INDEX access_log_user ON access_log(user_id);"

#define LEDGER_V2                                                                                                                  \
    "ALTER TABLE ledger ADD COLUMN note TEXT;"                                                                                     \
    "ALTER TABLE ledger ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;"                                                            \
    "CREATE INDEX ledger_kind_at ON ledger(kind, at);"                                                                             \
    "CREATE TABLE credit_balances(user_id TEXT PRIMARY KEY, balance BIGINT NOT NULL, reserved BIGINT NOT NULL DEFAULT 0,"          \
    " updated_at BIGINT NOT NULL);"                                                                                                \
    "CREATE TABLE credit_open(request_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, amount BIGINT NOT NULL,"                         \
    " instance BIGINT NOT NULL, at BIGINT NOT NULL);"                                                                              \
    "CREATE INDEX credit_open_instance ON credit_open(instance);"                                                                  \
    "CREATE TABLE idempotency(user_id TEXT NOT NULL, idem_key TEXT NOT NULL, request_id TEXT NOT NULL,"                            \
    " status INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (user_id, "           \
    "idem_key));"                                                                                                                  \
    "CREATE INDEX idempotency_expires ON idempotency(expires_at);"

/* 3: usage counts on every call (issue 13: reports without credits enforcement) and how its
 * upstream answer ended (NULL = complete, "truncated", "upstream_reset", "idle_timeout"). */
#define CALLS_V3                                                                                                                   \
    "ALTER TABLE calls ADD COLUMN outcome TEXT;"                                                                                   \
    "ALTER TABLE calls ADD COLUMN input_tokens BIGINT NOT NULL DEFAULT 0;"                                                         \
    "ALTER TABLE calls ADD COLUMN output_tokens BIGINT NOT NULL DEFAULT 0;"                                                        \
    "ALTER TABLE calls ADD COLUMN images BIGINT NOT NULL DEFAULT 0;"                                                               \
    "ALTER TABLE calls ADD COLUMN compute_ms BIGINT NOT NULL DEFAULT 0;"                                                           \
    "CREATE INDEX calls_started ON calls(started_at);"
#define API_KEYS_V3                                                                                                                \
    "CREATE TABLE api_keys(id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('client','admin')), name TEXT NOT NULL,"        \
    " key_hash TEXT NOT NULL UNIQUE, markup_permille BIGINT NOT NULL DEFAULT 1000, created_at BIGINT NOT NULL,"                    \
    " revoked_at BIGINT);"

#define LEASES_V6                                                                                                                  \
    "CREATE TABLE credit_leases(user_id TEXT NOT NULL, instance BIGINT NOT NULL, amount BIGINT NOT NULL,"                          \
    " expires_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (user_id, instance));"                                   \
    "CREATE INDEX credit_leases_instance ON credit_leases(instance, expires_at);"                                                  \
    "ALTER TABLE credit_open ADD COLUMN lease INTEGER NOT NULL DEFAULT 0;"                                                         \
    "CREATE TABLE rate_buckets(key TEXT NOT NULL, kind TEXT NOT NULL, level BIGINT NOT NULL, updated_at BIGINT NOT NULL,"          \
    " PRIMARY KEY (key, kind));"

#define REDACTIONS_V4 "ALTER TABLE redactions ADD COLUMN direction TEXT NOT NULL DEFAULT 'request';"

/* 7 (issue 16): asynchronous predictions (gateway/store/store_predict.h): the creating request's
 * placeholder vault sealed under the user's data key (vault_ct, nonce), the reservation left open
 * until aigw first sees the prediction terminal (settled_at set once, by one instance). */
#define PREDICTIONS_V7(BLOB)                                                                                                       \
    "CREATE TABLE predictions(provider TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT NOT NULL, client TEXT,"                       \
    " request_id TEXT NOT NULL, model TEXT, markup_permille BIGINT NOT NULL DEFAULT 1000, reserved BIGINT NOT NULL DEFAULT 0,"     \
    " open_reservation INTEGER NOT NULL DEFAULT 0, vault_ct " BLOB ", nonce " BLOB ", created_at BIGINT NOT NULL,"                 \
    " expires_at BIGINT NOT NULL, settled_at BIGINT, PRIMARY KEY (provider, id));"                                                 \
    "CREATE INDEX predictions_expires ON predictions(expires_at);"                                                                 \
    "CREATE INDEX predictions_user ON predictions(user_id);"

/* 8 (issue 12): fewer B-trees written per call. Every index a call's rows enter is at least one
 * more page in each commit (SQLite writes whole pages to its WAL, checksummed; the serial callgrind
 * of docs/BENCHMARKS.md "Issue 12, session 3" counts them). Dropped: ledger_kind_at (no query
 * filters the ledger by kind and time since the usage report reads the call log) and calls_started
 * (the report's window is over COALESCE(reservation, start) and cannot use it); calls_body_expires
 * keeps only the rows that have a body expiry (calls with images and bodies; the purge's
 * `body_expires_at < ?` implies it). SQLite only: credit_open, a small table of the reservations
 * in flight, becomes one B-tree keyed by request id (WITHOUT ROWID) without the instance index
 * (one gateway per SQLite database: crash recovery reads the whole table); PostgreSQL keeps its
 * instance index (several instances' recovery). */
#define INDEXES_V8                                                                                                                 \
    "DROP INDEX ledger_kind_at;"                                                                                                   \
    "DROP INDEX calls_started;"                                                                                                    \
    "DROP INDEX calls_body_expires;"                                                                                               \
    "CREATE INDEX calls_body_expires ON calls(body_expires_at) WHERE body_expires_at IS NOT NULL;"
#define CREDIT_OPEN_V8_SQLITE                                                                                                      \
    "CREATE TABLE credit_open_v8(request_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, amount BIGINT NOT NULL,"                      \
    " instance BIGINT NOT NULL, at BIGINT NOT NULL, lease INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"                              \
    "INSERT INTO credit_open_v8(request_id, user_id, amount, instance, at, lease)"                                                 \
    " SELECT request_id, user_id, amount, instance, at, lease FROM credit_open;"                                                   \
    "DROP TABLE credit_open;"                                                                                                      \
    "ALTER TABLE credit_open_v8 RENAME TO credit_open;"

/* 9 (issue 12), PostgreSQL only: the encrypted bodies are stored without a compression attempt
 * (STORAGE EXTERNAL: out of line when large, never compressed). Ciphertext does not compress, and
 * PostgreSQL tried pglz on every call row whose bodies passed the TOAST threshold: 3.5 % of the
 * server's CPU in bench/bench_meter_pg.sh (docs/BENCHMARKS.md "Issue 12, session 3: PostgreSQL").
 * SQLite has no compression to skip. */
#define BODIES_V9_PG                                                                                                               \
    "ALTER TABLE calls ALTER COLUMN request_ct SET STORAGE EXTERNAL, ALTER COLUMN response_ct SET STORAGE EXTERNAL;"               \
    "ALTER TABLE predictions ALTER COLUMN vault_ct SET STORAGE EXTERNAL;"

/* 10 (issue 12), SQLite only: the append-only and log tables lose AUTOINCREMENT, and the ledger's
 * CHECK on `kind` is a chain of comparisons instead of an IN list. Both cost every insert of a
 * metered call (docs/BENCHMARKS.md "Issue 12, session 4: SQLite store"): AUTOINCREMENT reads and
 * rewrites the table's row of sqlite_sequence (one more page in each commit), and SQLite evaluates
 * an IN list of five values by building an ephemeral B-tree per inserted row. The ids stay
 * INTEGER PRIMARY KEY (rowid: max + 1), and every row keeps its id. The ledger is append-only (no
 * row is ever deleted), so its ids are the same sequence as before; access_log and redaction ids
 * may now be reused above the largest live one once the newest rows are purged or erased (no
 * query keeps an id across such a delete: export and the review list order by id, the purge
 * selects and deletes in one statement). SQLite cannot drop AUTOINCREMENT or change a CHECK in
 * place: each table is rebuilt (sqlite.org/lang_altertable.html, "other kinds of table schema
 * changes"), its indexes and triggers recreated as versions 1, 2, 4, 5 and 8 left them; dropping
 * an AUTOINCREMENT table deletes its sqlite_sequence row. PostgreSQL's BIGSERIAL has neither
 * cost. */
#define LEDGER_V10_SQLITE                                                                                                          \
    "CREATE TABLE ledger_v10(id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, request_id TEXT NOT NULL, kind TEXT NOT NULL"          \
    " CHECK (kind = 'grant' OR kind = 'reserve' OR kind = 'settle' OR kind = 'refund' OR kind = 'adjust'),"                        \
    " amount_microcredits BIGINT NOT NULL, at BIGINT NOT NULL, note TEXT, flagged INTEGER NOT NULL DEFAULT 0,"                     \
    " UNIQUE (request_id, kind));"                                                                                                 \
    "INSERT INTO ledger_v10(id, user_id, request_id, kind, amount_microcredits, at, note, flagged)"                                \
    " SELECT id, user_id, request_id, kind, amount_microcredits, at, note, flagged FROM ledger ORDER BY id;"                       \
    "DROP TABLE ledger;"                                                                                                           \
    "ALTER TABLE ledger_v10 RENAME TO ledger;"                                                                                     \
    "CREATE INDEX ledger_user ON ledger(user_id);"                                                                                 \
    "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;"             \
    "CREATE TRIGGER ledger_no_update_v2 BEFORE UPDATE OF note, flagged ON ledger"                                                  \
    " BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;"                                                                    \
    "CREATE TRIGGER ledger_no_update BEFORE UPDATE OF request_id, kind, amount_microcredits, at ON ledger"                         \
    " WHEN NOT (OLD.request_id LIKE 'default-grant:%' AND NEW.request_id LIKE 'default-grant:%'"                                   \
    " AND NEW.kind = OLD.kind AND NEW.amount_microcredits = OLD.amount_microcredits AND NEW.at = OLD.at)"                          \
    " BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;"
#define LOGS_V10_SQLITE                                                                                                            \
    "CREATE TABLE redactions_v10(id INTEGER PRIMARY KEY, request_id TEXT NOT NULL, user_id TEXT NOT NULL, route TEXT, field TEXT," \
    " entity_type TEXT NOT NULL, start_off BIGINT NOT NULL, end_off BIGINT NOT NULL, action TEXT NOT NULL,"                        \
    " value_hmac BLOB, at BIGINT NOT NULL, expires_at BIGINT NOT NULL, direction TEXT NOT NULL DEFAULT 'request');"                \
    "INSERT INTO redactions_v10(id, request_id, user_id, route, field, entity_type, start_off, end_off, action, value_hmac, at,"   \
    " expires_at, direction) SELECT id, request_id, user_id, route, field, entity_type, start_off, end_off, action, value_hmac,"   \
    " at, expires_at, direction FROM redactions ORDER BY id;"                                                                      \
    "DROP TABLE redactions;"                                                                                                       \
    "ALTER TABLE redactions_v10 RENAME TO redactions;"                                                                             \
    "CREATE INDEX redactions_expires ON redactions(expires_at);"                                                                   \
    "CREATE INDEX redactions_user ON redactions(user_id);"                                                                         \
    "CREATE INDEX redactions_at ON redactions(at);"                                                                                \
    "CREATE TABLE access_log_v10(id INTEGER PRIMARY KEY, at BIGINT NOT NULL, request_id TEXT, method TEXT NOT NULL, route TEXT,"   \
    " status INTEGER NOT NULL, bytes_in BIGINT NOT NULL, bytes_out BIGINT NOT NULL, client_ip TEXT, user_id TEXT,"                 \
    " duration_us BIGINT NOT NULL, upstream_us BIGINT NOT NULL, expires_at BIGINT NOT NULL);"                                      \
    "INSERT INTO access_log_v10(id, at, request_id, method, route, status, bytes_in, bytes_out, client_ip, user_id, duration_us,"  \
    " upstream_us, expires_at) SELECT id, at, request_id, method, route, status, bytes_in, bytes_out, client_ip, user_id,"         \
    " duration_us, upstream_us, expires_at FROM access_log ORDER BY id;"                                                           \
    "DROP TABLE access_log;"                                                                                                       \
    "ALTER TABLE access_log_v10 RENAME TO access_log;"                                                                             \
    "CREATE INDEX access_log_expires ON access_log(expires_at);"                                                                   \
    "CREATE INDEX access_log_user ON access_log(user_id);"

/* 11 (issue 12), SQLite only: the two rows the writer reads by key in every transaction that
 * carries a call, the user's key row (erasure safety: store_keys.c re-reads it per transaction)
 * and their balance row (the ledger's balance cursor), are found with one B-tree search instead of
 * two. Both tables had a TEXT PRIMARY KEY on a rowid table: SQLite kept the rows in the rowid
 * B-tree and the key in a second one (sqlite_autoindex_*), so each read walked the index, then the
 * table. WITHOUT ROWID stores each row in its key's B-tree (sqlite.org/withoutrowid.html: "small
 * rows ... non-integer or composite PRIMARY KEY"; a key row is under 120 bytes, a balance row under
 * 60). No query uses either table's rowid. PostgreSQL has no rowid to drop. Rebuilt as version 10
 * rebuilt the logs (sqlite.org/lang_altertable.html); neither table has an index or trigger. */
#define KEYED_V11_SQLITE                                                                                                           \
    "CREATE TABLE users_v11(id TEXT PRIMARY KEY, data_key_wrapped BLOB NOT NULL, key_id TEXT NOT NULL,"                            \
    " consent_training INTEGER NOT NULL DEFAULT 0, consent_at BIGINT, created_at BIGINT NOT NULL) WITHOUT ROWID;"                  \
    "INSERT INTO users_v11(id, data_key_wrapped, key_id, consent_training, consent_at, created_at)"                                \
    " SELECT id, data_key_wrapped, key_id, consent_training, consent_at, created_at FROM users;"                                   \
    "DROP TABLE users;"                                                                                                            \
    "ALTER TABLE users_v11 RENAME TO users;"                                                                                       \
    "CREATE TABLE credit_balances_v11(user_id TEXT PRIMARY KEY, balance BIGINT NOT NULL, reserved BIGINT NOT NULL DEFAULT 0,"      \
    " updated_at BIGINT NOT NULL) WITHOUT ROWID;"                                                                                  \
    "INSERT INTO credit_balances_v11(user_id, balance, reserved, updated_at)"                                                      \
    " SELECT user_id, balance, reserved, updated_at FROM credit_balances;"                                                         \
    "DROP TABLE credit_balances;"                                                                                                  \
    "ALTER TABLE credit_balances_v11 RENAME TO credit_balances;"

/* 12 (issue 12, session 6), PostgreSQL only: fewer index entries and no TOAST round per metered call.
 * - credit_open_instance and credit_leases_instance are dropped. Both tables are small (the
 *   reservations in flight; one lease row per user and instance), and only crash recovery and the
 *   lease reclaim filter them by instance, every lease_ttl_ms / 2 and at start: a scan of the table
 *   then. credit_open_instance cost an index entry per metered call; credit_leases_instance covered
 *   expires_at, which the journal's lease cursor rewrites once per transaction, so no such update
 *   could be HOT (two index entries per transaction, in this index and in the primary key).
 * - calls: toast_tuple_target 8160 (the largest the server allows): a call row up to about 8 KB keeps
 *   its encrypted bodies in line. With the default (2032) a chat call's row (bodies of 1 KB each)
 *   went through the TOAST pass: its request body was stored as a row of the TOAST table with an
 *   index entry and a new OID, and the text columns were tried for compression first (6.6 % and
 *   about 1 % of the server's CPU in bench/bench_meter_pg.sh). Larger rows are moved out of line as
 *   before (STORAGE EXTERNAL, version 9). What it costs: the heap of `calls` holds the bodies, so a
 *   scan that reads no body (the usage report) reads more pages (docs/BENCHMARKS.md "Issue 12,
 *   session 6: PostgreSQL"). Applies to rows written from now on. */
#define PG_V12                                                                                                                     \
    "DROP INDEX credit_open_instance;"                                                                                             \
    "DROP INDEX credit_leases_instance;"                                                                                           \
    "ALTER TABLE calls SET (toast_tuple_target = 8160);"

/* 13 (issue 12, session 9), SQLite only: the access-log entry of a logged call is one row of one
 * B-tree, `call_access`, instead of an access_log row with its two indexes. The fields an access
 * entry shares with its call's row (request id, user, route, status, start time) are read from the
 * call row; the rest (method, bytes in and out, client address, duration to the last byte, upstream
 * time) are this row. Its rowid is the entry's time (µs) * 1024 + a 10-bit hash of the request id
 * (GW_STORE_CALL_ACCESS_ID, store_internal.h), so the purge at access_log_days is a range of rowids
 * (no expires_at index: an entry expires at its time + the access log's TTL), erasure and export
 * reach a user's entries through calls_user and a rowid range per call row (its started_at), and an
 * insert appends to a rowid B-tree (SQLite's quick balance on a full right-most leaf; keyed by
 * (at, request_id) WITHOUT ROWID each split rebalanced three leaves: 1.86 WAL frames per entry
 * against 1.23, docs/BENCHMARKS.md). The store writes an entry here only when its call row is in the database with the
 * same start, user, route and status, and only while access_log_days <= call_log_days (an entry is
 * purged before or with its call row; at a start with other TTLs the entries move back to
 * access_log, store.c apply_meta); every other access entry is an access_log row as before. A
 * serial call's access entry wrote 3 pages (access_log, access_log_expires, access_log_user), now 1
 * (docs/BENCHMARKS.md "Issue 12, session 9"). PostgreSQL writes a transaction's access rows as one
 * multi-row INSERT; unchanged. */
#define CALL_ACCESS_V13_SQLITE                                                                                                     \
    "CREATE TABLE call_access(id INTEGER PRIMARY KEY, request_id TEXT NOT NULL, method TEXT NOT NULL, bytes_in BIGINT NOT NULL,"   \
    " bytes_out BIGINT NOT NULL, client_ip TEXT, duration_us BIGINT NOT NULL, upstream_us BIGINT NOT NULL);"

/* 14 (issue 12, session 12), SQLite only: a call's sealed bodies go to an append-only segment file
 * beside the database (`<database>.bodies/<day>.seg`, day = started_at / 86400 s; store_bodies.c,
 * docs/internals/store.md "Call bodies in segment files"), the row keeps where: the segment, the
 * offset of the request's ciphertext, and the two ciphertext lengths (NULL: that body is absent);
 * the response's ciphertext follows the request's. request_ct / response_ct stay for the rows
 * written before (both forms are read). The bodies were 2 of a call row's 3 B-tree pages (1 KiB
 * pages) and half the bytes the checkpointer copied and synced (docs/BENCHMARKS.md "Issue 12,
 * session 12"). PostgreSQL keeps the bodies in the rows: its instances may run on other hosts. */
#define BODIES_V14_SQLITE                                                                                                          \
    "ALTER TABLE calls ADD COLUMN body_seg BIGINT;"                                                                                \
    "ALTER TABLE calls ADD COLUMN body_off BIGINT;"                                                                                \
    "ALTER TABLE calls ADD COLUMN request_len BIGINT;"                                                                             \
    "ALTER TABLE calls ADD COLUMN response_len BIGINT;"

/* 15 (issue 12, session 14), PostgreSQL only: two fewer index entries per metered call, one fewer
 * per access-log entry (docs/BENCHMARKS.md "Issue 12, session 14: PostgreSQL").
 * - ledger: its primary key is (request_id, kind), the UNIQUE index every insert already entered
 *   (ON CONFLICT (request_id, kind) and the batched reserve rows' duplicate check use it); the
 *   index on `id` is dropped. A metered call writes two ledger rows, each entered three B-trees
 *   (id, (request_id, kind), user_id), now two. No statement finds a ledger row by id: export
 *   orders a user's rows by id (a sort of the rows ledger_user finds), erasure and the usage
 *   report select by user and by request id, the credit paths by request id and kind. `id` stays, filled from its sequence as
 * before (every row keeps its id; new rows get larger ones), unique by that sequence, no longer by an index.
 * - access_log: the index on `id` is dropped. Its purge deletes by row address (ctid) from the
 *   expires_at index's batch (store_purge.c); export orders a user's rows by id (found by
 *   access_log_user); erasure deletes by user. The table has no replica identity now: a logical
 *   replication publication that publishes its deletes needs REPLICA IDENTITY FULL on it.
 * The ledger's new key is built by the migration (one pass over the ledger, under the migration's
 * lock; the UNIQUE index it replaces cannot become a primary key in place while it backs a
 * constraint). The append-only trigger is unchanged (it reads the row, not the key). */
#define KEYS_V15_PG                                                                                                                \
    "ALTER TABLE ledger DROP CONSTRAINT ledger_pkey, DROP CONSTRAINT ledger_request_id_kind_key,"                                  \
    " ADD CONSTRAINT ledger_pkey PRIMARY KEY (request_id, kind);"                                                                  \
    "ALTER TABLE access_log DROP CONSTRAINT access_log_pkey;"

static const migration_t migrations[] = {
    {1,
     TABLES_COMMON("BLOB", "INTEGER PRIMARY KEY AUTOINCREMENT") "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN "
                                                                "SELECT RAISE(ABORT, 'ledger is append-only'); END;"
                                                                "CREATE TRIGGER ledger_no_update BEFORE UPDATE OF request_id, "
                                                                "kind, amount_microcredits, at ON ledger"
                                                                " BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;",
     TABLES_COMMON("BYTEA",
                   "BIGSERIAL PRIMARY KEY") "CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                                            " IF TG_OP = 'DELETE' OR NEW.request_id <> OLD.request_id OR NEW.kind <> OLD.kind"
                                            " OR NEW.amount_microcredits <> OLD.amount_microcredits OR NEW.at <> OLD.at THEN"
                                            " RAISE EXCEPTION 'ledger is append-only'; END IF; RETURN NEW; END $$;"
                                            "CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger FOR EACH ROW "
                                            "EXECUTE FUNCTION ledger_append_only();"},
    /* 2: credits (issue 6, gateway/store/store_ledger.h): a note and a review flag on ledger
     * rows, the per-user balance kept in step with the rows, open reservations, and
     * Idempotency-Key records. */
    {2,
     LEDGER_V2 "CREATE TRIGGER ledger_no_update_v2 BEFORE UPDATE OF note, flagged ON ledger"
               " BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;",
     LEDGER_V2 "CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
               " IF TG_OP = 'DELETE' OR NEW.request_id <> OLD.request_id OR NEW.kind <> OLD.kind"
               " OR NEW.amount_microcredits <> OLD.amount_microcredits OR NEW.at <> OLD.at"
               " OR NEW.note IS DISTINCT FROM OLD.note OR NEW.flagged <> OLD.flagged THEN"
               " RAISE EXCEPTION 'ledger is append-only'; END IF; RETURN NEW; END $$;"},
    {3, CALLS_V3, CALLS_V3},
    /* 4: redaction-log rows of model output (pii.scan_responses, issue 16) say direction = 'response'. */
    {4, REDACTIONS_V4, REDACTIONS_V4},
    /* 5 (issue 14): client keys and admin tokens managed with `aigw keys` (only their BLAKE2b
     * hash is kept; gateway/cmd_keys.h, gateway/auth.h); the append-only rule lets an erasure re-key one thing: a
     * default grant's request id from "default-grant:<user id>" (before issue 14) to
     * "default-grant:<keyed hash>", amounts and times unchanged. */
    {5,
     API_KEYS_V3 "DROP TRIGGER ledger_no_update;"
                 "CREATE TRIGGER ledger_no_update BEFORE UPDATE OF request_id, kind, amount_microcredits, at ON ledger"
                 " WHEN NOT (OLD.request_id LIKE 'default-grant:%' AND NEW.request_id LIKE 'default-grant:%'"
                 " AND NEW.kind = OLD.kind AND NEW.amount_microcredits = OLD.amount_microcredits AND NEW.at = OLD.at)"
                 " BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;",
     API_KEYS_V3 "CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                 " IF TG_OP = 'DELETE' OR (NEW.request_id <> OLD.request_id AND NOT (OLD.request_id LIKE 'default-grant:%'"
                 " AND NEW.request_id LIKE 'default-grant:%')) OR NEW.kind <> OLD.kind"
                 " OR NEW.amount_microcredits <> OLD.amount_microcredits OR NEW.at <> OLD.at"
                 " OR NEW.note IS DISTINCT FROM OLD.note OR NEW.flagged <> OLD.flagged THEN"
                 " RAISE EXCEPTION 'ledger is append-only'; END IF; RETURN NEW; END $$;"},
    /* 6 (issue 12): credit leases of instances sharing a PostgreSQL database (store_ledger.c, docs/internals/metering.md
     * "Credit leases"): the part of a user's balance an instance holds to admit reservations in memory, and which open
     * reservations were admitted against such a lease (their settlement goes back to it, not to credit_balances); the
     * shared rate-limit buckets the instances lease blocks of tokens from (policy/ratelimit.h pol_ratelimit_share). */
    {6, LEASES_V6, LEASES_V6},
    {7, PREDICTIONS_V7("BLOB"), PREDICTIONS_V7("BYTEA")},
    {8, INDEXES_V8 CREDIT_OPEN_V8_SQLITE, INDEXES_V8},
    {9, "", BODIES_V9_PG},
    {10, LEDGER_V10_SQLITE LOGS_V10_SQLITE, ""},
    {11, KEYED_V11_SQLITE, ""},
    {12, "", PG_V12},
    {13, CALL_ACCESS_V13_SQLITE, ""},
    {14, BODIES_V14_SQLITE, ""},
    {15, "", KEYS_V15_PG},
};

int gw_store__schema_version(void)
{
    return migrations[sizeof(migrations) / sizeof(migrations[0]) - 1].version;
}

static int current_version(gw_store_db_t *db, int64_t *v)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM schema_version");
    if (s == NULL)
        return -1;
    int rc = gw_store__step(s);
    if (rc == 1)
        *v = gw_store__col_int64(s, 0);
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return rc == 1 ? 0 : -1;
}

int gw_store__migrate(gw_store_db_t *db, int64_t now_us, char *err, size_t errlen)
{
    return gw_store__migrate_to(db, gw_store__schema_version(), now_us, err, errlen);
}

int gw_store__migrate_to(gw_store_db_t *db, int version, int64_t now_us, char *err, size_t errlen)
{
    int pg = gw_store__db_kind(db) == GW_STORE_DB_PG;
    int64_t have = 0;
    /* One transaction for the check and every step: a crash leaves the previous version. */
    const char *begin = pg ? "BEGIN; SELECT pg_advisory_xact_lock(7415823311)" : "BEGIN IMMEDIATE";
    if (gw_store__db_exec(db, begin) != 0 ||
        gw_store__db_exec(
            db, "CREATE TABLE IF NOT EXISTS schema_version(version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)") != 0 ||
        current_version(db, &have) != 0) {
        snprintf(err, errlen, "schema: %s", gw_store__db_errmsg(db));
        goto fail;
    }
    if (have > gw_store__schema_version()) {
        snprintf(err, errlen, "schema: the database has version %lld, newer than this aigw knows (%d): upgrade aigw",
                 (long long)have, gw_store__schema_version());
        goto fail;
    }
    for (size_t i = 0; i < sizeof(migrations) / sizeof(migrations[0]); i++) {
        const migration_t *m = &migrations[i];
        if (m->version <= have || m->version > version)
            continue;
        const char *sql = pg ? m->pg : m->sqlite; /* "": a version of the other dialect only */
        char rec[160];
        snprintf(rec, sizeof(rec), "INSERT INTO schema_version(version, applied_at) VALUES (%d, %lld)", m->version,
                 (long long)now_us);
        if ((sql[0] != '\0' && gw_store__db_exec(db, sql) != 0) || gw_store__db_exec(db, rec) != 0) {
            snprintf(err, errlen, "schema: migration %d: %s", m->version, gw_store__db_errmsg(db));
            goto fail;
        }
    }
    if (gw_store__db_exec(db, "COMMIT") != 0) {
        snprintf(err, errlen, "schema: commit: %s", gw_store__db_errmsg(db));
        goto fail;
    }
    return 0;
fail:
    gw_store__db_exec(db, "ROLLBACK");
    return -1;
}
