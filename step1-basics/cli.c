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

/* main fetches user 1 (step1.c): its row in --timeline says so */
static async_fn lesson_main;
static int labelled_main(void *arg)
{
    async_task_set_label(async_current_task(), "user 1");
    return lesson_main(arg);
}

int step1_cli(int argc, char **argv, async_fn main_task)
{
    int t;
    wb_output_init("step1");
    for (int i = 1; i < argc; i++) {
        if ((t = wb_timeline_option("step1", argv[i])) != 0) {
            if (t < 0)
                return 2;
        } else if (wb_cli_is_help(argv[i]))
            return wb_cli_help("usage: step1 [--timeline[=FILE.html]]\n"
                               "  awaits one fetch_user(1) of 0.1 s and prints the user\n");
        else
            return wb_cli_unknown("step1", argv[i]);
    }
    lesson_main = main_task;
    double start = async_time();
    int rc = async_run(labelled_main, NULL);
    double took = async_time() - start;
    if (rc) {
        fprintf(stderr, "step1: %s\n", uv_strerror(rc));
        return 1;
    }
    printf("took %.2f s\n", took);
    return wb_timeline_print(stdout) ? 1 : 0;
}
