/* cli.c: step 5's flags and printing, kept out of the lesson's way. */
#include "wb_cli.h"
#include "wb_output.h"
#include "wb_timeline.h"
#include "events.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

step5_options options = { 5.0, 1.0, 30.0 };
static double started;

void event(const char *fmt, ...)
{
    va_list ap;
    printf("[%5.2f s] ", async_time() - started);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    wb_output_flush();
}

static int usage(void)
{
    return wb_cli_help(
        "usage: step5 [--timeout S] [--cancel-after S] [--slow S] [--timeline[=FILE.html]]\n"
        "  a --timeout scope (default 5) around a --slow operation (default 30),\n"
        "  then the same operation as a task, cancelled after --cancel-after (default 1)\n");
}

static int parse(int argc, char **argv)
{
    int t;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        double *target = strcmp(a, "--timeout") == 0        ? &options.timeout
                       : strcmp(a, "--cancel-after") == 0   ? &options.cancel_after
                       : strcmp(a, "--slow") == 0           ? &options.slow
                       : NULL;
        if (target) {
            if (!(v = wb_cli_value("step5", argc, argv, &i)) ||
                wb_cli_double("step5", a, v, 0, 86400, target))
                return -1;
        } else if ((t = wb_timeline_option("step5", a)) != 0) {
            if (t < 0)
                return -1;
        } else if (wb_cli_is_help(a)) {
            return 1;
        } else {
            wb_cli_unknown("step5", a);
            return -1;
        }
    }
    return 0;
}

int step5_cli(int argc, char **argv, async_fn main_task)
{
    wb_output_init("step5");
    int p = parse(argc, argv);
    if (p)
        return p > 0 ? usage() : 2;
    started = async_time();
    int rc = async_run(main_task, NULL);
    int drawn = wb_timeline_print(stdout);
    if (rc) {
        fprintf(stderr, "step5: %s\n", uv_strerror(rc));
        return 1;
    }
    return drawn ? 1 : 0;
}
