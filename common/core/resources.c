/* resources.c: what the layers open inside a run (an HTTP client) and the
 * program must close. A forgotten one is named after main returns, where it
 * was created, and released anyway, so that the loop closes cleanly and
 * nothing leaks. */
#include "task.h"
#include "resource.h"

#include <stdio.h>

static async_list open_resources = { &open_resources, &open_resources };

void async__resource_open(async_resource *r, const char *what, const char *file, int line,
                          void (*abandon)(async_resource *r))
{
    r->what = what;
    r->file = file ? file : "?";
    r->line = line;
    r->abandon = abandon;
    async_list_push_back(&open_resources, &r->link);
}

void async__resource_close(async_resource *r)
{
    async_list_remove(&r->link);
}

/* Compares addresses only: a closed resource's memory is freed, not read. */
int async__resource_is_open(const async_resource *r)
{
    async_list_for_each(n, &open_resources)
        if (n == &r->link)
            return 1;
    return 0;
}

void async__resources_abandon(void)
{
    for (async_list *n; (n = async_list_pop_front(&open_resources));) {
        async_resource *r = async_container_of(n, async_resource, link);
        fprintf(stderr, "async: %s created at %s:%d was never closed; closing it now\n",
                r->what, r->file, r->line);
        r->abandon(r);
    }
}

static void close_left_open(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (uv_is_closing(h))
        return;
    fprintf(stderr, "async: a libuv %s handle was left open (not closed before main "
                    "returned); closing it now\n", uv_handle_type_name(uv_handle_get_type(h)));
    uv_close(h, NULL);
}

/* Close callbacks; bounded, so that a handle some layer leaked cannot hang us. */
static void run_close_callbacks(uv_loop_t *loop)
{
    for (int i = 0; i < 100 && uv_run(loop, UV_RUN_NOWAIT); i++)
        ;
}

void async__loop_close(uv_loop_t *loop)
{
    run_close_callbacks(loop);
    if (uv_loop_close(loop) == 0)
        return;
    uv_walk(loop, close_left_open, NULL);      /* the program's own: name and close */
    run_close_callbacks(loop);
    if (uv_loop_close(loop) != 0)
        fprintf(stderr, "async: some libuv handles were left open\n");
}
