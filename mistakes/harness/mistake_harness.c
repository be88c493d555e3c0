/* mistake_harness.c: runs one half of a mistake demo under async_run, a
 * heartbeat beside it, and prints how it went. */
#include "async.h"
#include "mistake_harness.h"
#include "wb_cli.h"
#include "wb_output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct measured {
    mistake_half *half;
    int (*body)(void *arg);
    void *arg;
} measured;

static int measure(void *arg)
{
    measured *m = arg;
    wb_heartbeat_start(&m->half->hb, 0.01);
    async_sleep(0.02);                       /* let it beat once before the work */
    double start = async_time();
    m->half->status = m->body(m->arg);
    m->half->took = async_time() - start;
    async_sleep(0.02);                       /* let an overdue beat see the stall */
    wb_heartbeat_stop(&m->half->hb);
    return 0;
}

static char prog[64];

int mistake_start(int argc, char **argv, const char *name, const char *about)
{
    char usage[512];
    snprintf(prog, sizeof prog, "mistake-%s", name);
    wb_output_init(prog);
    snprintf(usage, sizeof usage, "usage: %s [--help]\n  %s\n  runs the mistake (wrong), then its fix "
             "(right), and measures both\n", prog, about);
    return wb_cli_help_only(prog, usage, argc, argv);
}

int mistake_run(mistake_half *h, const char *label, int (*body)(void *arg), void *arg)
{
    memset(h, 0, sizeof *h);
    h->label = label;
    wb_output_flush();                          /* keep our lines before the core's reports */
    measured m = { h, body, arg };
    int rc = async_run(measure, &m);
    if (rc) {
        /* measure() itself returns 0: the run failed around the body (the
         * loop could not start, no memory for a stack, the ASYNC_TRACE file
         * could not be written). Its figures would be zeros: say why, and
         * fail, rather than print a verdict on a run that never happened. */
        wb_output_flush();
        fprintf(stderr, "%s: the run of the %s way failed: %s\n", prog, label, uv_strerror(rc));
        exit(1);
    }
    return h->status;
}

void mistake_print(const mistake_half *h)
{
    printf("%s: took %.2f s; heartbeat: worst lag %.0f ms, average %.1f ms over %d beats\n",
           h->label, h->took, h->hb.worst_lag * 1000, wb_heartbeat_average_lag(&h->hb) * 1000,
           h->hb.beats);
    wb_output_flush();
}
