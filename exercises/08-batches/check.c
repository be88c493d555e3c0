/* Exercise 8's check: the batches, numbers read as needed, the inner
 * generator closed every time, errors passed on. */
#include "check.h"
#include "exercise.h"
#include "given.h"

#include <stdio.h>
#include <string.h>

typedef struct run_spec { int count, fail_after, size, take; } run_spec;

static char got[512];

/* Reads the batches into `got` ("[1 2 3 4] [5 6]"); returns the last
 * async_next status. Stops after spec->take batches if > 0. */
static int read_batches(const run_spec *spec, int *yielded_after_first)
{
    number_source ns = { spec->count, spec->fail_after };
    batch_source bs = { .numbers = &ns, .size = spec->size };
    async_generator *g = async_generator_create(batches, &bs);
    void *item;
    int rc, taken = 0;
    got[0] = 0;
    while ((rc = async_next(g, &item)) == 1) {
        const batch *b = item;
        size_t len = strlen(got);
        snprintf(got + len, sizeof got - len, "%s[", len ? " " : "");
        for (int i = 0; i < b->count && i < BATCH_MAX; i++) {
            len = strlen(got);
            snprintf(got + len, sizeof got - len, "%s%d", i ? " " : "", b->items[i]);
        }
        strncat(got, "]", sizeof got - strlen(got) - 1);
        if (++taken == 1 && yielded_after_first)
            *yielded_after_first = given_yielded;
        if (spec->take && taken == spec->take)
            break;
    }
    async_generator_close(g);
    return rc;
}

static int check_runs(void *arg)
{
    (void)arg;
    run_spec ten = { 10, 0, 4, 0 };
    int first = 0;
    int rc = read_batches(&ten, &first);
    EXPECT(strcmp(got, "[1 2 3 4] [5 6 7 8] [9 10]") == 0, "10 numbers in batches of 4 came "
           "as %s: expected [1 2 3 4] [5 6 7 8] [9 10]", got[0] ? got : "nothing");
    EXPECT(rc == 0, "after the last batch, async_next returned %s: expected 0, the end",
           status_name(rc));
    EXPECT(given_finished == given_started, "after reading every batch, the numbers "
           "generator was %s: expected it closed before batches ended",
           given_started ? "never closed" : "never started");
    EXPECT(first <= 5, "when the first batch came, %d numbers had been read: expected about "
           "4 (the numbers are read as they are needed)", first);

    given_started = given_finished = given_yielded = 0;
    run_spec eight = { 8, 0, 4, 0 };
    read_batches(&eight, NULL);
    EXPECT(strcmp(got, "[1 2 3 4] [5 6 7 8]") == 0, "8 numbers in batches of 4 came as %s: "
           "expected [1 2 3 4] [5 6 7 8] (no empty batch)", got);

    given_started = given_finished = given_yielded = 0;
    run_spec one = { 100, 0, 4, 1 };
    read_batches(&one, NULL);
    EXPECT(given_finished == given_started, "closed after the first batch, batches left its "
           "numbers generator open: expected it closed before async_generator_close returned");
    EXPECT(given_yielded <= 5, "closed after the first batch, %d numbers had been read: "
           "expected about 4", given_yielded);

    given_started = given_finished = given_yielded = 0;
    run_spec failing = { 10, 6, 4, 0 };
    rc = read_batches(&failing, NULL);
    EXPECT(rc == UV_EIO, "with the numbers failing after 6, the batches were %s and then "
           "async_next returned %s: expected [1 2 3 4] and then %s", got[0] ? got : "none",
           status_name(rc), status_name(UV_EIO));
    EXPECT(given_finished == given_started, "with the numbers failing, their generator was "
           "never closed: expected it closed however batches ends");
    return 0;
}

static void check(void)
{
    check_run(check_runs, NULL);
}
