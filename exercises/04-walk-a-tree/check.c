/* Exercise 4's check: every node fetched once, level by level at once, and a
 * failure ending the walk at once. */
#include "check.h"
#include "exercise.h"
#include "given.h"

#include <string.h>

typedef struct result { int rc, visited; double took; int running_after; } result;

static int walk(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = visit_tree(1, &r->visited);
    r->took = async_time() - start;
    r->running_after = given_running;
    return 0;
}

static void check(void)
{
    result r = { 0 };
    check_run(walk, &r);
    EXPECT(r.rc == 0, "visit_tree(1) returned %s: expected 0 (success)", status_name(r.rc));
    EXPECT(r.visited == 40, "visit_tree(1) returned after %.2f s with *visited %d: expected "
           "40, once every node is fetched (is every task in the group the walk waits for?)",
           r.took, r.visited);
    int never = 0, twice = 0;
    for (int n = 1; n <= 40; n++) {
        if (given_fetches[n] == 0 && !never)
            never = n;
        if (given_fetches[n] > 1 && !twice)
            twice = n;
    }
    EXPECT(!never && !twice, "node %d was fetched %d times: expected every node of the 40 "
           "once (does each task get an argument of its own, which nothing changes before "
           "the task has read it?)", never ? never : twice, given_fetches[never ? never : twice]);
    EXPECT(given_most_running >= 9 && r.took < 0.5, "visit_tree(1) took %.2f s with at most "
           "%d fetches at once: expected each level's fetches at once (27 nodes on the "
           "last), about 0.12 s (one after another: 1.20 s)", r.took, given_most_running);

    memset(given_fetches, 0, sizeof given_fetches[0] * (MAX_NODES + 1));
    given_failing_node = 12;
    result f = { 0 };
    check_run(walk, &f);
    EXPECT(f.rc == UV_EIO, "visit_tree(1), with node 12's fetch failing, returned %s: "
           "expected that failure, %s", status_name(f.rc), status_name(UV_EIO));
    EXPECT(f.running_after == 0 && f.took < 0.2, "with node 12's fetch failing, visit_tree "
           "returned after %.2f s with %d fetches still running: expected it to return at the "
           "failure (0.06 s), the other fetches cancelled", f.took, f.running_after);
}
