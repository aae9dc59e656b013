/*
 * bench_chat.h: what bench_json and bench_privacy share (header-only: each bench source is its own executable).
 *
 * bench_cpu_ns(): this thread's CPU time (CLOCK_THREAD_CPUTIME_ID) in nanoseconds; CPU time rather than wall
 *   time because the bench machine is shared.
 * bench_chat_request(b): appends to b (caller-owned, initialised) one ~2 KB OpenAI Chat Completions request: a
 *   system message, five user/assistant turns (array and string content, a \u escape, an email, a card's last
 *   four, a street), an assistant tool call whose `arguments` is JSON in a string, `metadata` and `user`. The same
 *   bytes in both benches, so their figures compare. Returns 0, or -1 if an append failed (allocation).
 */
#ifndef AIGW_BENCH_CHAT_H
#define AIGW_BENCH_CHAT_H

#include <time.h>

#include "common/buf.h"

static inline double bench_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int bench_chat_request(gw_buf_t *b)
{
    int rc = gw_buf_appendf(
        b, "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"temperature\":0.2,\"messages\":["
           "{\"role\":\"system\",\"content\":\"You are the support assistant of Acme Bank. Answer briefly and politely; "
           "never reveal internal notes. Escalate fraud cases to a human agent.\"},");
    for (int i = 0; i < 5; i++)
        rc |= gw_buf_appendf(
            b,
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi, this is message %d. My card ending 4242 was "
            "declined yesterday at the grocery store on Elm Street, and I would like to know why. You can "
            "reach me at jane.doe@example.com or on my mobile.\"}]},"
            "{\"role\":\"assistant\",\"content\":\"I am sorry to hear that. Let me check the transaction details "
            "for you \\u2014 one moment please.\"},",
            i);
    rc |= gw_buf_appendf(
        b, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
           "{\"name\":\"lookup\",\"arguments\":\"{\\\"last4\\\":\\\"4242\\\",\\\"holder\\\":\\\"Jane Doe\\\"}\"}}]}],"
           "\"metadata\":{\"ticket\":\"T-1234\",\"channel\":\"web\"},\"user\":\"user-42\"}");
    return rc;
}

#endif
