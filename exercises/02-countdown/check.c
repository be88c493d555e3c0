/* Exercise 2's check: what was said, when, and whether the loop stayed free. */
#include "check.h"
#include "exercise.h"
#include "given.h"

#include <stdio.h>
#include <string.h>

typedef struct result { int rc; double start, took; int ticks, stop_ticks; } result;

static int ticker(void *arg)
{
    result *r = arg;
    while (async_sleep(0.01) == 0 && !r->stop_ticks)
        r->ticks++;
    return 0;
}

static int three(void *arg)
{
    result *r = arg;
    async_task *t = async_create_task(ticker, r);
    r->start = async_time();
    r->rc = countdown(3, 0.05);
    r->took = async_time() - r->start;
    r->stop_ticks = 1;
    async_cancel(t);
    async_await(t);
    return 0;
}

static int cut_short(void *arg)
{
    result *r = arg;
    async_timeout deadline;                /* the caller's deadline */
    r->start = async_time();
    async_timeout_enter(&deadline, 0.12);
    r->rc = countdown(10, 0.05);
    async_timeout_exit(&deadline, r->rc);
    r->took = async_time() - r->start;
    return 0;
}

/* "3, 2, 1" */
static const char *said_list(void)
{
    static char buf[256];
    buf[0] = 0;
    for (int i = 0; i < given_said.count && strlen(buf) < sizeof buf - 16; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", i ? ", " : "", given_said.n[i]);
    return given_said.count ? buf : "nothing";
}

static void check(void)
{
    result r = { 0 };
    check_run(three, &r);
    EXPECT(given_said.count == 3 && given_said.n[0] == 3 && given_said.n[1] == 2 &&
           given_said.n[2] == 1, "countdown(3, 0.05) said %s: expected 3, 2, 1", said_list());
    EXPECT(r.rc == 0, "countdown(3, 0.05) returned %s: expected 0 (success)", status_name(r.rc));
    for (int i = 1; i < 3; i++)
        EXPECT(given_said.at[i] - given_said.at[i - 1] >= 0.04,
               "%d was said %.3f s after %d: expected a wait of 0.05 s between two numbers",
               given_said.n[i], given_said.at[i] - given_said.at[i - 1], given_said.n[i - 1]);
    EXPECT(r.ticks >= 4, "while countdown(3, 0.05) ran (%.2f s), a task beside it ticked %d "
           "times, expected about 10: something froze the loop instead of awaiting "
           "(usleep or sleep block every task)", r.took, r.ticks);

    memset(&given_said, 0, sizeof given_said);
    result c = { 0 };
    check_run(cut_short, &c);
    EXPECT(c.rc == UV_ECANCELED, "countdown(10, 0.05), cut short by its caller's deadline at "
           "0.12 s, returned %s: expected the cancelled wait's status, %s, passed up "
           "(said: %s)", status_name(c.rc), status_name(UV_ECANCELED), said_list());
    EXPECT(given_said.count == 3, "countdown(10, 0.05), cut short at 0.12 s, said %s: expected "
           "10, 9, 8 and nothing after the cancelled wait", said_list());
    EXPECT(c.took < 0.3, "countdown(10, 0.05), cut short at 0.12 s, returned after %.2f s: "
           "expected it to stop at the deadline", c.took);
}
