/* Exercise 6's check: reports whole and all there, preparations at once. */
#include "check.h"
#include "exercise.h"
#include "given.h"

typedef struct result { int rc; double took; } result;

static int save(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = save_all(8);
    r->took = async_time() - start;
    return 0;
}

static void check(void)
{
    result r = { 0 };
    check_run(save, &r);
    EXPECT(r.rc == 0, "save_all(8) returned %s: expected 0 (success)", status_name(r.rc));
    for (int k = 0; k + 1 < given_log_len; k++)
        EXPECT(k % 3 == 2 || given_log[k] == given_log[k + 1], "worker %d's report was "
               "mixed with worker %d's in the log (%d writing at the same moment): expected "
               "one writer at a time", given_log[k], given_log[k + 1], given_most_writers);
    int seen[8] = { 0 };
    for (int k = 0; k < given_log_len; k += 3)
        if (given_log[k] >= 0 && given_log[k] < 8)
            seen[given_log[k]]++;
    for (int i = 0; i < 8; i++)
        EXPECT(seen[i] == 1, "worker %d's report is in the log %d times: expected each of "
               "the 8 once", i, seen[i]);
    EXPECT(given_most_preparing >= 8 && r.took < 0.3, "save_all(8) took %.2f s with at most "
           "%d preparation%s at once: expected the 8 preparations at once and only the "
           "writes one at a time, about 0.13 s", r.took, given_most_preparing,
           given_most_preparing == 1 ? "" : "s");
}
