/*
 * A small pool of threads for CPU-bound work that must not stall a worker's event loop: the privacy pass over a large
 * request body (issue 13: a 20 MiB prompt scanned on the loop stalled every other request of its worker for 1.5 s).
 *
 * A job is a struct embedded in its submitter's object (no allocation per job). `run` executes on one of the pool's
 * threads, in submission order (FIFO); then `done` runs on the event loop of the inbox the job was submitted with: the
 * pool thread appends the job to the inbox's list under its mutex and wakes the loop with uv_async_send, the pattern of
 * h2o's multithread receivers and of the journal's completions (gateway/pipeline/record.c). `done` fires exactly once
 * for every job gw_offload_submit accepted (STYLE rule 6), after `run` returned, unless the inbox's loop stops first.
 *
 * The libuv thread pool (uv_queue_work) is not used for this on purpose: it is shared by every worker's short store
 * look-ups (consent, prediction reads, admin jobs); a few multi-second scans would queue those behind them, which is
 * the stall moved elsewhere. This pool's threads do nothing else.
 */
#ifndef AIGW_GATEWAY_OFFLOAD_H
#define AIGW_GATEWAY_OFFLOAD_H

#include <pthread.h>

#include <uv.h>

typedef struct st_gw_offload_t gw_offload_t;
typedef struct st_gw_offload_job_t gw_offload_job_t;
typedef struct st_gw_offload_inbox_t gw_offload_inbox_t;

/** One unit of work. The submitter sets `run` and `done` and keeps the job (and whatever `run` reads) alive until
 *  `done` has fired; the other fields belong to the pool. */
struct st_gw_offload_job_t {
    void (*run)(gw_offload_job_t *job);  /* on a pool thread; must not touch the submitter's loop */
    void (*done)(gw_offload_job_t *job); /* on the inbox's loop thread, after run returned */
    gw_offload_inbox_t *inbox;           /* set by gw_offload_submit */
    gw_offload_job_t *next;              /* in the pool's queue, then in the inbox's list */
};

/** Where completed jobs of one event loop arrive (one per worker). Lives as long as its loop. */
struct st_gw_offload_inbox_t {
    uv_async_t async;
    pthread_mutex_t mu;            /* guards head / tail (pool threads append, the loop takes) */
    gw_offload_job_t *head, *tail; /* completed, oldest first */
};

/**
 * Initialises `in` on `loop` (called on the loop's thread, before jobs are submitted with it).
 * @return 0, or a negative libuv / errno code (nothing to release then).
 */
int gw_offload_inbox_init(uv_loop_t *loop, gw_offload_inbox_t *in);

/** Closes the inbox's async handle (uv_close: the loop must run once more to finish it) and its mutex. Jobs still on
 *  their way to it must not exist any more (their `done` would never fire). */
void gw_offload_inbox_close(gw_offload_inbox_t *in);

/**
 * Starts a pool of `nthreads` threads (1..64) named `name` (at most 12 characters; the thread's name gets its index).
 * @return the pool (gw_offload_free), or NULL when a thread or memory could not be had (nothing left running).
 */
gw_offload_t *gw_offload_create(unsigned nthreads, const char *name);

/**
 * Queues `job` (its run and done set; borrowed until done fires) to complete on `in`'s loop. Any thread.
 * @return 0 queued; -1 when the pool is stopping (nothing queued, done never fires: the caller answers itself).
 */
int gw_offload_submit(gw_offload_t *p, gw_offload_job_t *job, gw_offload_inbox_t *in);

/** Jobs queued and not yet started (a gauge; racy by nature). */
unsigned gw_offload_queued(gw_offload_t *p);

/**
 * Stops the pool: jobs already queued are still run and posted to their inboxes (whose loops may no longer run: the
 * caller then owns what their `done` would have released), new submissions are refused, the threads are joined and
 * the pool freed. NULL is ignored. Call from a thread that is not one of the pool's.
 */
void gw_offload_free(gw_offload_t *p);

#endif
