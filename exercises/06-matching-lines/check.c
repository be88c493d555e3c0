#include "check.h"
#include "exercise.h"

#include <string.h>

static const char *log_lines[] = { "INFO ok", "ERROR disk full", "WARN slow", "ERROR timeout", "INFO done", "ERROR again" };

typedef struct result { const char *got[6]; int n; int cleaned_early; } result;

static int run(void *arg)
{
    result *r = arg;
    source all = { log_lines, 6, "ERROR", 0 };
    async_generator *g = async_generator_create(matching_lines, &all);
    void *item;
    while (async_next(g, &item) == 1)
        r->got[r->n++] = item;
    async_generator_close(g);
    source early = { log_lines, 6, "ERROR", 0 };
    g = async_generator_create(matching_lines, &early);
    async_next(g, &item);                 /* take one, then close early */
    async_generator_close(g);
    r->cleaned_early = early.cleaned_up;
    return 0;
}

static void only_matching_lines_and_cleanup_on_close(void **state)
{
    (void)state;
    result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(async_run(run, &r), 0);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.got[0], "ERROR disk full");
    assert_string_equal(r.got[2], "ERROR again");
    assert_true(r.cleaned_early);
}

CHECK_MAIN(only_matching_lines_and_cleanup_on_close)
