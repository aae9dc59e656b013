/*
 * gateway/offload: jobs run on the pool's threads and complete on the submitting loop, once each, in order; the loop
 * keeps running callbacks while a job runs (a job that waits for the loop finishes); a stopping pool still runs what
 * was queued; bad sizes are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <time.h>

#include "gateway/offload.h"

typedef struct {
    gw_offload_job_t job; /* first */
    int index;
    pthread_t run_thread, done_thread;
    _Atomic int runs;
    int dones;
    int done_seq; /* order in which done fired */
    sem_t *wait;  /* run blocks on it when set */
    int wait_timed_out;
} test_job_t;

static int done_counter;

static void on_run(gw_offload_job_t *job)
{
    test_job_t *t = (test_job_t *)job;
    t->run_thread = pthread_self();
    atomic_fetch_add(&t->runs, 1);
    if (t->wait != NULL) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 10;
        while (sem_timedwait(t->wait, &ts) != 0)
            if (errno != EINTR) {
                t->wait_timed_out = 1;
                break;
            }
    }
}

static void on_done(gw_offload_job_t *job)
{
    test_job_t *t = (test_job_t *)job;
    t->done_thread = pthread_self();
    t->dones++;
    t->done_seq = done_counter++;
}

static void init_job(test_job_t *t, int index)
{
    memset(t, 0, sizeof(*t));
    t->job.run = on_run;
    t->job.done = on_done;
    t->index = index;
}

/* A loop with an inbox: what each worker has. */
typedef struct {
    uv_loop_t loop;
    gw_offload_inbox_t in;
} fixture_t;

static void fixture_open(fixture_t *f)
{
    assert_int_equal(uv_loop_init(&f->loop), 0);
    assert_int_equal(gw_offload_inbox_init(&f->loop, &f->in), 0);
    done_counter = 0;
}

/* Runs the loop until `*counter` reaches `n` (done callbacks count). */
static void run_until(fixture_t *f, const int *counter, int n)
{
    while (*counter < n)
        uv_run(&f->loop, UV_RUN_ONCE);
}

static void fixture_close(fixture_t *f)
{
    gw_offload_inbox_close(&f->in);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&f->loop), 0);
}

/* one thread: FIFO; every job runs once on a pool thread and completes once on the loop's thread */
static void test_fifo_once_on_loop(void **state)
{
    (void)state;
    fixture_t f;
    fixture_open(&f);
    gw_offload_t *p = gw_offload_create(1, "test");
    assert_non_null(p);
    enum { N = 64 };
    static test_job_t jobs[N];
    for (int i = 0; i < N; i++) {
        init_job(&jobs[i], i);
        assert_int_equal(gw_offload_submit(p, &jobs[i].job, &f.in), 0);
    }
    run_until(&f, &done_counter, N);
    pthread_t self = pthread_self();
    for (int i = 0; i < N; i++) {
        assert_int_equal(atomic_load(&jobs[i].runs), 1);
        assert_int_equal(jobs[i].dones, 1);
        assert_int_equal(jobs[i].done_seq, i);
        assert_true(pthread_equal(jobs[i].done_thread, self));
        assert_false(pthread_equal(jobs[i].run_thread, self));
    }
    gw_offload_free(p);
    fixture_close(&f);
}

/* The loop is not blocked while a job runs: the job waits for a timer callback of the loop that submitted it. Were
 * the work done on the loop, this would deadlock (the wait gives up after 10 s and the test fails). */
static sem_t release_sem;
static int timer_fired;

static void on_timer(uv_timer_t *t)
{
    (void)t;
    timer_fired++;
    sem_post(&release_sem);
}

static void test_loop_runs_while_job_runs(void **state)
{
    (void)state;
    fixture_t f;
    fixture_open(&f);
    gw_offload_t *p = gw_offload_create(2, "test");
    assert_non_null(p);
    assert_int_equal(sem_init(&release_sem, 0, 0), 0);
    test_job_t slow, quick;
    init_job(&slow, 0);
    init_job(&quick, 1);
    slow.wait = &release_sem;
    timer_fired = 0;
    assert_int_equal(gw_offload_submit(p, &slow.job, &f.in), 0);
    /* the second thread completes this one while the first is still blocked */
    assert_int_equal(gw_offload_submit(p, &quick.job, &f.in), 0);
    run_until(&f, &quick.dones, 1);
    assert_int_equal(slow.dones, 0); /* still waiting for the loop */
    uv_timer_t timer;
    uv_timer_init(&f.loop, &timer);
    uv_timer_start(&timer, on_timer, 1, 0);
    run_until(&f, &slow.dones, 1);
    assert_int_equal(timer_fired, 1);
    assert_int_equal(slow.wait_timed_out, 0);
    assert_int_equal(quick.done_seq, 0);
    assert_int_equal(slow.done_seq, 1);
    uv_close((uv_handle_t *)&timer, NULL);
    gw_offload_free(p);
    fixture_close(&f);
    sem_destroy(&release_sem);
}

/* Stopping runs what was queued (each posted to its inbox, completed when that loop runs). */
static void test_stop_drains_queue(void **state)
{
    (void)state;
    fixture_t f;
    fixture_open(&f);
    gw_offload_t *p = gw_offload_create(1, "test");
    assert_non_null(p);
    enum { N = 16 };
    test_job_t jobs[N];
    for (int i = 0; i < N; i++) {
        init_job(&jobs[i], i);
        assert_int_equal(gw_offload_submit(p, &jobs[i].job, &f.in), 0);
    }
    gw_offload_free(p); /* joins after the queue is empty */
    for (int i = 0; i < N; i++)
        assert_int_equal(atomic_load(&jobs[i].runs), 1);
    assert_int_equal(done_counter, 0); /* the loop has not run yet */
    run_until(&f, &done_counter, N);
    for (int i = 0; i < N; i++)
        assert_int_equal(jobs[i].dones, 1);
    fixture_close(&f);
}

static void test_bad_sizes(void **state)
{
    (void)state;
    assert_null(gw_offload_create(0, "test"));
    assert_null(gw_offload_create(65, "test"));
    gw_offload_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_once_on_loop),
        cmocka_unit_test(test_loop_runs_while_job_runs),
        cmocka_unit_test(test_stop_drains_queue),
        cmocka_unit_test(test_bad_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
