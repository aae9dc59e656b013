/*
 * The offload pool (see offload.h). One mutex and one condition variable guard a FIFO of jobs; `nthreads` threads take
 * jobs from its head, run them without the lock and post each to its inbox: a second short mutex per inbox and one
 * uv_async_send, which libuv coalesces (the loop's callback takes the whole list at once, in posting order).
 *
 * Hand-rolled rather than a library: it is forty lines of pthreads, and the one library at hand (libuv's uv_queue_work)
 * is the shared pool this exists to keep free of long jobs (offload.h).
 */
#include "gateway/offload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GW_OFFLOAD_MAX_THREADS 64

struct st_gw_offload_t {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    gw_offload_job_t *head, *tail; /* queued, not started */
    unsigned queued;
    int stopping;
    unsigned nthreads; /* started */
    pthread_t threads[GW_OFFLOAD_MAX_THREADS];
};

static void post_done(gw_offload_job_t *job)
{
    gw_offload_inbox_t *in = job->inbox;
    job->next = NULL;
    pthread_mutex_lock(&in->mu);
    if (in->tail != NULL)
        in->tail->next = job;
    else
        in->head = job;
    in->tail = job;
    pthread_mutex_unlock(&in->mu);
    uv_async_send(&in->async);
}

static void *pool_main(void *arg)
{
    gw_offload_t *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->head == NULL && !p->stopping)
            pthread_cond_wait(&p->cv, &p->mu);
        gw_offload_job_t *job = p->head;
        if (job == NULL)
            break; /* stopping and nothing left */
        p->head = job->next;
        if (p->head == NULL)
            p->tail = NULL;
        p->queued--;
        pthread_mutex_unlock(&p->mu);
        job->run(job);
        post_done(job);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Loop: every job completed since the last wake-up, in posting order. */
static void on_inbox(uv_async_t *a)
{
    gw_offload_inbox_t *in = a->data;
    pthread_mutex_lock(&in->mu);
    gw_offload_job_t *job = in->head;
    in->head = in->tail = NULL;
    pthread_mutex_unlock(&in->mu);
    while (job != NULL) {
        gw_offload_job_t *next = job->next; /* done may free or reuse the job */
        job->done(job);
        job = next;
    }
}

int gw_offload_inbox_init(uv_loop_t *loop, gw_offload_inbox_t *in)
{
    memset(in, 0, sizeof(*in));
    int rc = pthread_mutex_init(&in->mu, NULL);
    if (rc != 0)
        return -rc;
    if ((rc = uv_async_init(loop, &in->async, on_inbox)) != 0) {
        pthread_mutex_destroy(&in->mu);
        return rc;
    }
    in->async.data = in;
    return 0;
}

void gw_offload_inbox_close(gw_offload_inbox_t *in)
{
    uv_close((uv_handle_t *)&in->async, NULL);
    pthread_mutex_destroy(&in->mu);
}

gw_offload_t *gw_offload_create(unsigned nthreads, const char *name)
{
    if (nthreads == 0 || nthreads > GW_OFFLOAD_MAX_THREADS)
        return NULL;
    gw_offload_t *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    for (unsigned i = 0; i < nthreads; i++) {
        if (pthread_create(&p->threads[i], NULL, pool_main, p) != 0) {
            gw_offload_free(p); /* stops and joins the ones started */
            return NULL;
        }
        p->nthreads++;
        char tn[16];
        snprintf(tn, sizeof(tn), "%.12s%u", name, i % 100);
        pthread_setname_np(p->threads[i], tn);
    }
    return p;
}

int gw_offload_submit(gw_offload_t *p, gw_offload_job_t *job, gw_offload_inbox_t *in)
{
    job->inbox = in;
    job->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->stopping) {
        pthread_mutex_unlock(&p->mu);
        return -1;
    }
    if (p->tail != NULL)
        p->tail->next = job;
    else
        p->head = job;
    p->tail = job;
    p->queued++;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

unsigned gw_offload_queued(gw_offload_t *p)
{
    pthread_mutex_lock(&p->mu);
    unsigned n = p->queued;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void gw_offload_free(gw_offload_t *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
