/* cli.c: step 1's printing and flags, kept out of the lesson's way. */
#include "wb_cli.h"
#include "wb_output.h"
#include "wb_timeline.h"
#include "user.h"

#include <stdio.h>
#include <string.h>

void user_make(user *u, int id)
{
    u->id = id;
    snprintf(u->name, sizeof u->name, "User %d", id);
}

void user_print(const user *u)
{
    printf("{'id': %d, 'name': '%s'}\n", u->id, u->name);
}


int step1_cli(int argc, char **argv, async_fn main_task)
{
    int timeline = 0;
    wb_output_init("step1");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--timeline") == 0)
            timeline = 1;
        else if (wb_cli_is_help(argv[i]))
            return wb_cli_help("usage: step1 [--timeline]\n"
                               "  awaits one fetch_user(1) of 0.1 s and prints the user\n");
        else
            return wb_cli_unknown("step1", argv[i]);
    }
    if (timeline)
        wb_timeline_enable();
    double start = async_time();
    int rc = async_run(main_task, NULL);
    double took = async_time() - start;
    if (rc) {
        fprintf(stderr, "step1: %s\n", uv_strerror(rc));
        return 1;
    }
    printf("took %.2f s\n", took);
    wb_timeline_print(stdout);
    return 0;
}
