/*
 * PostgreSQL backend of the store's SQL interface (see store_db.h), on libpq.
 *
 * Each statement is prepared once on the server (PQprepare, named "s<N>") after its `?`
 * placeholders are rewritten to $1..$n. Parameters travel in text format except blobs, which go
 * binary (bytea), so the server infers every parameter type from its context and an int64 is
 * never misread as int4. Results come back in binary format and one row at a time
 * (PQsetSingleRowMode): an export of a large user streams instead of buffering its whole
 * result. Integers are decoded by the column's type (int2/int4/int8/bool), text and bytea are
 * the raw bytes. A broken connection is reset once (PQreset) before the store sees an error;
 * prepared statements are re-created lazily after a reset.
 */
#include "gateway/store/store_db.h"

#include <libpq-fe.h>
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Type OIDs from PostgreSQL's catalog (src/include/catalog/pg_type.dat). */
#define PG_BOOLOID 16
#define PG_INT8OID 20
#define PG_INT2OID 21
#define PG_INT4OID 23

#define PG_MAX_PARAMS 24

/* Pipelined statements between two result reads: bounds what sits in the socket buffers so
 * neither side blocks writing while the other is not reading (blocking-mode libpq). */
#define PG_PIPELINE_WINDOW 64
/* Results in flight at most: the window, plus prepares queued by statements sent before it is full. */
#define PG_PENDING_MAX (2 * PG_PIPELINE_WINDOW)

struct st_pg_stmt_t;

typedef struct st_pg_db_t {
    gw_store_db_t super;
    PGconn *h;
    unsigned next_id;    /* statement name counter */
    unsigned generation; /* bumped on every reset: statements re-prepare */
    int pipeline;        /* in libpq pipeline mode */
    int pending;         /* pipelined statements whose results are not read yet */
    int pipe_err;        /* a pipelined statement failed */
    /* Who each pending result belongs to, oldest first (a ring of `pending` entries from `phead`):
     * the statement whose row count it carries (NULL for a prepare, or a statement finalized
     * meanwhile) and that statement's send number, so a statement sent again before its first
     * result was read only takes the count of its last send. */
    struct {
        struct st_pg_stmt_t *owner;
        unsigned seq;
    } ring[PG_PENDING_MAX];
    int phead;
    unsigned sent_seq;
    char err[512];
} pg_db_t;

typedef struct st_pg_stmt_t {
    gw_store_stmt_t super;
    char name[24];
    char *sql; /* rewritten with $n */
    int nparams;
    unsigned generation; /* connection generation it was prepared in */
    char *values[PG_MAX_PARAMS];
    int lengths[PG_MAX_PARAMS];
    int formats[PG_MAX_PARAMS];
    int dml;          /* returns no rows (INSERT/UPDATE/DELETE without RETURNING, savepoints): may be pipelined */
    int sent;         /* query sent, results pending */
    int pipe_pending; /* pipelined, its result (row count) not read yet: pipe_seq is its send number */
    unsigned pipe_seq;
    PGresult *row; /* current single-row result, or the whole result when `full` */
    int full, ri, nrows;
    int64_t changes; /* -1: the pipeline failed before or at this statement */
} pg_stmt_t;

static const gw_store_db_ops_t pg_ops;

static void quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Notes the class of the error result `r` on the connection (store_db.h GW_STORE_ERR_*) by its
 * SQLSTATE: 22 data exception, 23 integrity constraint violation, 54 program limit exceeded (a row
 * too big), P0 raised by PL/pgSQL (a trigger's RAISE) are the statement's values; anything else
 * (53 insufficient resources: a full disk; 08 connection; 57, 58, XX; no result) is not. */
static void note_result_err(pg_db_t *db, const PGresult *r)
{
    const char *code = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    int data =
        code != NULL && strlen(code) == 5 &&
        (strncmp(code, "22", 2) == 0 || strncmp(code, "23", 2) == 0 || strncmp(code, "54", 2) == 0 || strncmp(code, "P0", 2) == 0);
    gw_store__db_err_note(&db->super, data ? GW_STORE_ERR_DATA : GW_STORE_ERR_ENV);
}

/* Keeps the connection's last error message, prefixed with `what`. */
static void set_msg(pg_db_t *db, const char *what)
{
    snprintf(db->err, sizeof(db->err), "%s%s%s", what, what[0] ? ": " : "", PQerrorMessage(db->h));
    size_t n = strlen(db->err);
    while (n > 0 && (db->err[n - 1] == '\n' || db->err[n - 1] == ' '))
        db->err[--n] = '\0';
}

/* The connection's last error, with no result to read a SQLSTATE from (a send, a flush, the connection): not the values'. */
static void set_err(pg_db_t *db, const char *what)
{
    gw_store__db_err_note(&db->super, GW_STORE_ERR_ENV);
    set_msg(db, what);
}

gw_store_db_t *gw_store__db_open_pg(const char *dsn, char *err, size_t errlen)
{
    pg_db_t *db = calloc(1, sizeof(*db));
    if (db == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    db->super.ops = &pg_ops;
    db->super.kind = GW_STORE_DB_PG;
    db->h = PQconnectdb(dsn);
    if (db->h == NULL || PQstatus(db->h) != CONNECTION_OK) {
        snprintf(err, errlen, "postgres: %s", db->h ? PQerrorMessage(db->h) : "out of memory");
        size_t n = strlen(err);
        while (n > 0 && err[n - 1] == '\n')
            err[--n] = '\0';
        PQfinish(db->h);
        free(db);
        return NULL;
    }
    /* Our notices (e.g. "relation already exists, skipping") are not errors: keep them off stderr. */
    PQsetNoticeProcessor(db->h, quiet_notice, NULL);
    PGresult *r = PQexec(db->h, "SET client_min_messages = warning");
    PQclear(r);
    return &db->super;
}

static void pg_close(gw_store_db_t *dbp)
{
    pg_db_t *db = (pg_db_t *)dbp;
    PQfinish(db->h);
    free(db);
}

static const char *pg_errmsg(gw_store_db_t *dbp)
{
    return ((pg_db_t *)dbp)->err;
}

static int pg_broken(gw_store_db_t *dbp)
{
    pg_db_t *db = (pg_db_t *)dbp;
    if (PQstatus(db->h) == CONNECTION_OK)
        return 0;
    PQreset(db->h);
    db->generation++;
    return PQstatus(db->h) == CONNECTION_OK ? 0 : 1;
}

static int pg_pipeline(gw_store_db_t *dbp, int on);
static void pending_push(pg_db_t *db, struct st_pg_stmt_t *owner);

/* Queues a command without parameters in the pipeline (the COMMIT). @return 0 or -1 (pipe_err set). */
static int pipe_command(pg_db_t *db, const char *sql)
{
    if (PQsendQueryParams(db->h, sql, 0, NULL, NULL, NULL, NULL, 0) != 1) {
        set_err(db, sql);
        db->pipe_err = 1;
        return -1;
    }
    pending_push(db, NULL);
    return 0;
}

/*
 * A "COMMIT" while a pipeline is open (held by gw_store__db_pipeline(db, GW_STORE_PIPELINE_HOLD))
 * goes into that pipeline with its sync: the statements' results, the COMMIT's and the sync are
 * read in one round trip (issue 12). When any statement before the COMMIT failed, the server skips
 * the rest of the pipeline, the COMMIT included (it answers PGRES_PIPELINE_ABORTED), the
 * transaction stays open in its failed state and the caller's ROLLBACK ends it: nothing of it is
 * committed. "BEGIN" is sent at once, not with the first statements: the round trip it costs is
 * also the moment the journal's next items gather (store_journal.c), and without it batches were
 * smaller and every metered call cost about 20 % more CPU in PostgreSQL and 8 % more in aigw
 * (docs/BENCHMARKS.md "Issue 12, session 5: PostgreSQL").
 */
static int pg_exec(gw_store_db_t *dbp, const char *sql)
{
    pg_db_t *db = (pg_db_t *)dbp;
    int commit = strcmp(sql, "COMMIT") == 0, rollback = strcmp(sql, "ROLLBACK") == 0;
    if (db->pipeline && commit) {
        pipe_command(db, "COMMIT");
        return pg_pipeline(dbp, 0); /* sync, read every result: -1 when anything failed, the COMMIT included */
    }
    if (db->pipeline && rollback) {
        pg_pipeline(dbp, 0); /* the failed transaction's results are read and dropped; then ROLLBACK alone */
        db->pipe_err = 0;
    }
    PGresult *r = PQexec(db->h, sql);
    int st = PQresultStatus(r);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) {
        set_msg(db, "");
        note_result_err(db, r);
    }
    PQclear(r);
    return ok ? 0 : -1;
}

/* Rewrites `?` to $1..$n outside string literals. */
static char *rewrite_params(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = malloc(n * 4 + 1); /* "?" -> "$NN" at most triples a char; generous */
    if (out == NULL)
        return NULL;
    size_t o = 0;
    int k = 0, inq = 0;
    for (size_t i = 0; i < n; i++) {
        char c = sql[i];
        if (c == '\'')
            inq = !inq;
        if (c == '?' && !inq) {
            o += (size_t)snprintf(out + o, n * 4 + 1 - o, "$%d", ++k);
            continue;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    *nparams = k;
    return out;
}

static int flush_collect(pg_db_t *db);

/* Records a result the server will send for a pipelined command (owner NULL: a prepare). Collects
 * first when the ring is full. */
static void pending_push(pg_db_t *db, pg_stmt_t *owner)
{
    if (db->pending >= PG_PENDING_MAX)
        flush_collect(db);
    int k = (db->phead + db->pending) % PG_PENDING_MAX;
    db->ring[k].owner = owner;
    db->ring[k].seq = 0;
    if (owner != NULL) {
        owner->pipe_pending = 1;
        owner->pipe_seq = db->ring[k].seq = ++db->sent_seq;
        owner->changes = 0;
    }
    db->pending++;
}

static int ensure_prepared(pg_stmt_t *s)
{
    pg_db_t *db = (pg_db_t *)s->super.db;
    if (s->generation == db->generation && s->name[0] != '\0')
        return 0;
    snprintf(s->name, sizeof(s->name), "s%u", ++db->next_id);
    if (db->pipeline) {
        /* First use since a reset, inside a pipeline: PQprepare is refused there, so the prepare is
         * queued like a statement and its result collected with theirs. */
        if (!PQsendPrepare(db->h, s->name, s->sql, s->nparams, NULL)) {
            set_err(db, "prepare");
            s->name[0] = '\0';
            return -1;
        }
        pending_push(db, NULL);
        s->generation = db->generation;
        return 0;
    }
    PGresult *r = PQprepare(db->h, s->name, s->sql, s->nparams, NULL);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        set_err(db, "prepare");
    PQclear(r);
    if (!ok) {
        s->name[0] = '\0';
        return -1;
    }
    s->generation = db->generation;
    return 0;
}

static gw_store_stmt_t *pg_prepare(gw_store_db_t *dbp, const char *sql)
{
    pg_db_t *db = (pg_db_t *)dbp;
    pg_stmt_t *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->super.db = dbp;
    s->sql = rewrite_params(sql, &s->nparams);
    if (s->sql == NULL || s->nparams > PG_MAX_PARAMS) {
        snprintf(db->err, sizeof(db->err), "statement has too many parameters");
        goto fail;
    }
    if (ensure_prepared(s) != 0)
        goto fail;
    s->dml = (strncasecmp(sql, "INSERT", 6) == 0 || strncasecmp(sql, "UPDATE", 6) == 0 || strncasecmp(sql, "DELETE", 6) == 0 ||
              strncasecmp(sql, "SAVEPOINT", 9) == 0 || strncasecmp(sql, "RELEASE", 7) == 0 ||
              strncasecmp(sql, "ROLLBACK TO", 11) == 0) &&
             strstr(sql, "RETURNING") == NULL;
    return &s->super;
fail:
    free(s->sql);
    free(s);
    return NULL;
}

static int set_param(pg_stmt_t *s, int i, const void *p, size_t n, int binary)
{
    if (i < 1 || i > s->nparams || n > INT32_MAX)
        return -1;
    i--;
    free(s->values[i]);
    s->values[i] = NULL;
    s->lengths[i] = 0;
    s->formats[i] = binary;
    if (p == NULL)
        return 0;
    s->values[i] = malloc(n + 1);
    if (s->values[i] == NULL)
        return -1;
    memcpy(s->values[i], p, n);
    s->values[i][n] = '\0';
    s->lengths[i] = (int)n;
    return 0;
}

static int pg_bind_int64(gw_store_stmt_t *sp, int i, int64_t v)
{
    char b[24];
    int n = snprintf(b, sizeof(b), "%" PRId64, v);
    return set_param((pg_stmt_t *)sp, i, b, (size_t)n, 0);
}

static int pg_bind_text(gw_store_stmt_t *sp, int i, const char *v)
{
    return set_param((pg_stmt_t *)sp, i, v, v ? strlen(v) : 0, 0);
}

static int pg_bind_blob(gw_store_stmt_t *sp, int i, const void *p, size_t n)
{
    /* An empty blob is not SQL NULL: give libpq a non-NULL pointer. */
    return set_param((pg_stmt_t *)sp, i, p, n, 1);
}

static void drain(pg_stmt_t *s)
{
    pg_db_t *db = (pg_db_t *)s->super.db;
    PGresult *r;
    if (s->row != NULL) {
        PQclear(s->row);
        s->row = NULL;
    }
    if (!s->sent)
        return;
    if (s->full) {
        /* Pipeline mode: one NULL ends this statement; the next call would start the next one. */
        PQclear(PQgetResult(db->h));
        s->full = 0;
    } else {
        while ((r = PQgetResult(db->h)) != NULL)
            PQclear(r);
    }
    s->sent = 0;
}

/* The oldest pending result is read (or lost with the connection): its owner learns its row count. */
static void pending_pop(pg_db_t *db, const char *tuples)
{
    pg_stmt_t *o = db->ring[db->phead].owner;
    if (o != NULL && o->pipe_pending && o->pipe_seq == db->ring[db->phead].seq) {
        o->pipe_pending = 0;
        o->changes = db->pipe_err ? -1 : tuples != NULL && tuples[0] ? strtoll(tuples, NULL, 10) : 0;
    }
    db->phead = (db->phead + 1) % PG_PENDING_MAX;
    db->pending--;
}

/* Reads the results of every pipelined statement sent so far (remembering the first error). Each
 * statement's results end with a NULL from PQgetResult. */
static void collect(pg_db_t *db)
{
    char tuples[24] = "";
    while (db->pending > 0) {
        PGresult *r = PQgetResult(db->h);
        if (r == NULL) {
            pending_pop(db, tuples);
            tuples[0] = '\0';
            continue;
        }
        int st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && !db->pipe_err) {
            db->pipe_err = 1;
            if (st != PGRES_PIPELINE_ABORTED) /* the error itself, read here; what follows it is aborted */
                note_result_err(db, r);
            snprintf(db->err, sizeof(db->err), "%s", st == PGRES_PIPELINE_ABORTED ? "pipeline aborted" : PQresultErrorMessage(r));
        }
        snprintf(tuples, sizeof(tuples), "%s", PQcmdTuples(r));
        PQclear(r);
        if (PQstatus(db->h) != CONNECTION_OK) {
            db->pipe_err = 1;
            while (db->pending > 0)
                pending_pop(db, NULL);
        }
    }
}

static int flush_collect(pg_db_t *db)
{
    if (!PQsendFlushRequest(db->h) || PQflush(db->h) != 0) {
        set_err(db, "flush");
        db->pipe_err = 1;
        return -1;
    }
    collect(db);
    return 0;
}

static int pg_pipeline(gw_store_db_t *dbp, int on)
{
    pg_db_t *db = (pg_db_t *)dbp;
    if (on == GW_STORE_PIPELINE_HOLD) {
        /* Left open for the COMMIT (pg_exec). What was queued goes out now, so the server works on
         * it while the caller prepares the rest; its results are read at the next read or the COMMIT. */
        if (db->pipeline && PQflush(db->h) != 0) {
            set_err(db, "flush");
            db->pipe_err = 1;
        }
        return db->pipe_err ? -1 : 0;
    }
    if (on) {
        if (db->pipeline)
            return 0;
        if (PQenterPipelineMode(db->h) != 1) {
            set_err(db, "pipeline");
            return -1;
        }
        db->pipeline = 1;
        db->pending = 0;
        db->phead = 0;
        db->pipe_err = 0;
        return 0;
    }
    if (!db->pipeline)
        return 0;
    int synced = PQpipelineSync(db->h) == 1;
    if (!synced) {
        set_err(db, "pipeline sync");
        db->pipe_err = 1;
        while (db->pending > 0)
            pending_pop(db, NULL);
    }
    collect(db);
    /* Up to the sync marker. Every statement's results end with a NULL, and a statement whose rows
     * were not read to the end leaves its NULL behind, so a NULL here is not the end: only two in a
     * row are (nothing queued any more). Stopping at the first NULL left the sync unread, libpq then
     * refused to leave pipeline mode ("while busy") and every later command on this connection
     * failed ("not allowed in pipeline mode"). */
    for (int nulls = 0; synced && nulls < 2 && PQstatus(db->h) == CONNECTION_OK;) {
        PGresult *r = PQgetResult(db->h);
        if (r == NULL) {
            nulls++;
            continue;
        }
        nulls = 0;
        int st = PQresultStatus(r);
        PQclear(r);
        if (st == PGRES_PIPELINE_SYNC)
            break;
    }
    if (PQexitPipelineMode(db->h) != 1) {
        if (!db->pipe_err)
            set_err(db, "pipeline exit");
        db->pipe_err = 1;
        /* The connection's state is unknown: start it afresh (statements are prepared again on
         * their next use, keyed by the generation) rather than leave it stuck in pipeline mode. */
        PQreset(db->h);
        db->generation++;
    }
    db->pipeline = 0;
    return db->pipe_err ? -1 : 0;
}

static int pg_step(gw_store_stmt_t *sp)
{
    pg_stmt_t *s = (pg_stmt_t *)sp;
    pg_db_t *db = (pg_db_t *)sp->db;
    if (s->full) {
        if (++s->ri < s->nrows)
            return 1;
        drain(s);
        return 0;
    }
    if (s->row != NULL) {
        PQclear(s->row);
        s->row = NULL;
    }
    if (!s->sent) {
        if (!db->pipeline && pg_broken(sp->db)) {
            set_err(db, "connection");
            return -1;
        }
        if (ensure_prepared(s) != 0) /* queued in a pipeline (PQsendPrepare) */
            return -1;
        if (!PQsendQueryPrepared(db->h, s->name, s->nparams, (const char *const *)s->values, s->lengths, s->formats, 1)) {
            set_err(db, "send");
            return -1;
        }
        s->changes = 0;
        if (db->pipeline && s->dml) {
            /* its row count is read when someone asks (pg_changes) or with the next rows / sync */
            pending_push(db, s);
            if (db->pending >= PG_PIPELINE_WINDOW)
                flush_collect(db);
            return 0;
        }
        if (db->pipeline) {
            /* Rows are needed now: collect what was pipelined before, then read this one whole. */
            flush_collect(db);
            PGresult *r = PQgetResult(db->h);
            s->sent = 1;
            if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
                /* libpq keeps the single-row mode of the last query sent before the pipeline began
                 * (it is reset only when a query starts outside a pipeline), so the first query of
                 * a pipeline may answer row by row: read it as outside a pipeline (its results end
                 * with one NULL, which drain reads); taken for an error, it failed the transaction. */
                s->row = r;
                s->ri = 0;
                return 1;
            }
            if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                if (PQresultStatus(r) != PGRES_PIPELINE_ABORTED)
                    note_result_err(db, r);
                snprintf(db->err, sizeof(db->err), "%s", r ? PQresultErrorMessage(r) : "no result");
                db->pipe_err = 1;
                PQclear(r);
                s->full = 1;
                drain(s);
                return -1;
            }
            s->row = r;
            s->full = 1;
            s->ri = 0;
            s->nrows = PQntuples(r);
            if (s->nrows == 0) {
                drain(s);
                return 0;
            }
            return 1;
        }
        PQsetSingleRowMode(db->h);
        s->sent = 1;
    }
    PGresult *r = PQgetResult(db->h);
    if (r == NULL) {
        s->sent = 0;
        return 0;
    }
    switch (PQresultStatus(r)) {
    case PGRES_SINGLE_TUPLE:
        s->row = r;
        s->ri = 0;
        return 1;
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK: {
        const char *t = PQcmdTuples(r);
        s->changes = t[0] ? strtoll(t, NULL, 10) : 0;
        PQclear(r);
        drain(s);
        return 0;
    }
    default:
        note_result_err(db, r);
        snprintf(db->err, sizeof(db->err), "%s", PQresultErrorMessage(r));
        PQclear(r);
        drain(s);
        {
            size_t n = strlen(db->err);
            while (n > 0 && db->err[n - 1] == '\n')
                db->err[--n] = '\0';
        }
        return -1;
    }
}

static int pg_col_isnull(gw_store_stmt_t *sp, int i)
{
    pg_stmt_t *s = (pg_stmt_t *)sp;
    return s->row == NULL || PQgetisnull(s->row, s->ri, i);
}

static int64_t pg_col_int64(gw_store_stmt_t *sp, int i)
{
    pg_stmt_t *s = (pg_stmt_t *)sp;
    if (pg_col_isnull(sp, i))
        return 0;
    const unsigned char *p = (const unsigned char *)PQgetvalue(s->row, s->ri, i);
    int len = PQgetlength(s->row, s->ri, i);
    switch (PQftype(s->row, i)) {
    case PG_INT8OID:
        if (len == 8) {
            uint64_t v = 0;
            for (int k = 0; k < 8; k++)
                v = (v << 8) | p[k];
            return (int64_t)v;
        }
        break;
    case PG_INT4OID:
        if (len == 4)
            return (int32_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]);
        break;
    case PG_INT2OID:
        if (len == 2)
            return (int16_t)(((uint16_t)p[0] << 8) | p[1]);
        break;
    case PG_BOOLOID:
        return len == 1 && p[0] != 0;
    default:
        break;
    }
    return 0;
}

static const char *pg_col_text(gw_store_stmt_t *sp, int i)
{
    pg_stmt_t *s = (pg_stmt_t *)sp;
    /* Binary text values are the raw bytes; libpq NUL-terminates every value. */
    return pg_col_isnull(sp, i) ? NULL : PQgetvalue(s->row, s->ri, i);
}

static const void *pg_col_blob(gw_store_stmt_t *sp, int i, size_t *n)
{
    pg_stmt_t *s = (pg_stmt_t *)sp;
    if (pg_col_isnull(sp, i)) {
        *n = 0;
        return NULL;
    }
    *n = (size_t)PQgetlength(s->row, s->ri, i);
    return PQgetvalue(s->row, s->ri, i);
}

static int64_t pg_changes(gw_store_stmt_t *sp)
{
    pg_stmt_t *s = (pg_stmt_t *)sp;
    if (s->pipe_pending) /* pipelined: wait for this statement's result (one round trip for all sent so far) */
        flush_collect((pg_db_t *)sp->db);
    return s->pipe_pending ? -1 : s->changes;
}

static void pg_reset(gw_store_stmt_t *sp)
{
    pg_stmt_t *s = (pg_stmt_t *)sp;
    drain(s);
    for (int i = 0; i < s->nparams; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
        s->lengths[i] = 0;
        s->formats[i] = 0;
    }
}

static void pg_finalize(gw_store_stmt_t *sp)
{
    pg_stmt_t *s = (pg_stmt_t *)sp;
    pg_db_t *db = (pg_db_t *)sp->db;
    pg_reset(sp);
    for (int i = 0; i < db->pending; i++) /* results still in flight no longer have an owner to tell */
        if (db->ring[(db->phead + i) % PG_PENDING_MAX].owner == s)
            db->ring[(db->phead + i) % PG_PENDING_MAX].owner = NULL;
    if (s->name[0] != '\0' && s->generation == db->generation && PQstatus(db->h) == CONNECTION_OK && !db->pipeline) {
        char sql[48];
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
        PQclear(PQexec(db->h, sql));
    }
    free(s->sql);
    free(s);
}

static const gw_store_db_ops_t pg_ops = {
    pg_close,     pg_errmsg, pg_exec,       pg_prepare,   pg_bind_int64, pg_bind_text,
    pg_bind_blob, pg_step,   pg_col_isnull, pg_col_int64, pg_col_text,   pg_col_blob,
    pg_changes,   pg_reset,  pg_finalize,   pg_broken,    pg_pipeline,   NULL /* bind_text_ref: set_param copies */,
    NULL};
