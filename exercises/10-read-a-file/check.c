#include "check.h"
#include "exercise.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[] = "/tmp/exercise10-XXXXXX";

typedef struct result {
    int lines, in_order, end_rc;
    int early_got, early_closed;
    int missing_rc, missing_close_rc;
} result;

static int run(void *arg)
{
    result *r = arg;
    void *item;
    char want[64];

    file_source all = { path, { 0 }, 0 };
    async_generator *g = async_generator_create(file_lines, &all);
    r->in_order = 1;
    while ((r->end_rc = async_next(g, &item)) == 1) {
        const line_item *line = item;
        snprintf(want, sizeof want, "line %d of the log, long enough to cross a chunk", ++r->lines);
        if (line->len != strlen(want) || memcmp(line->data, want, line->len) != 0)
            r->in_order = 0;
    }
    async_generator_close(g);

    file_source early = { path, { 0 }, 0 };
    g = async_generator_create(file_lines, &early);
    while (r->early_got < 3 && async_next(g, &item) == 1)
        r->early_got++;
    async_generator_close(g);
    r->early_closed = early.closed;

    file_source missing = { "/nonexistent/exercise10.log", { 0 }, 0 };
    g = async_generator_create(file_lines, &missing);
    r->missing_rc = async_next(g, &item);
    r->missing_close_rc = async_generator_close(g);
    return 0;
}

static void every_line_then_the_file_is_closed(void **state)
{
    (void)state;
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    for (int i = 1; i <= 40; i++)
        fprintf(f, "line %d of the log, long enough to cross a chunk\n", i);
    fclose(f);
    result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(async_run(run, &r), 0);
    unlink(path);
    assert_int_equal(r.lines, 40);
    assert_true(r.in_order);
    assert_int_equal(r.end_rc, 0);
    assert_int_equal(r.early_got, 3);
    assert_true(r.early_closed);        /* closed before async_generator_close returned */
    assert_int_equal(r.missing_rc, UV_ENOENT);
    assert_int_equal(r.missing_close_rc, UV_ENOENT);
}

CHECK_MAIN(every_line_then_the_file_is_closed)
