/* Exercise 1's check: which fetches were made, with which ids, in which order. */
#include "check.h"
#include "exercise.h"
#include "given.h"

typedef struct result { user u, manager; int rc; double took; } result;

static int fetch(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = fetch_with_manager(r->u.id, &r->u, &r->manager);
    r->took = async_time() - start;
    return 0;
}

static void check(void)
{
    result r = { .u = { .id = 6 } };
    check_run(fetch, &r);
    EXPECT(r.rc == 0, "fetch_with_manager(6) returned %s: expected 0 (success), with user 6 "
           "and their manager, user 3", status_name(r.rc));
    EXPECT(given_log.count >= 1 && given_log.ids[0] == 6,
           "the first fetch was %s: expected fetch_user(6) first",
           given_log.count ? "of another user" : "never made");
    EXPECT(given_log.count == 2, "fetch_user was called %d times: expected twice, user 6 "
           "and then their manager", given_log.count);
    EXPECT(given_log.ids[1] == 3, "the second fetch was fetch_user(%d): expected user 6's "
           "manager, fetch_user(3) (the id is in the first result's manager_id)",
           given_log.ids[1]);
    EXPECT(given_log.started[1] >= given_log.finished[0] - 0.001,
           "fetch_user(3) started before fetch_user(6) finished: expected the two in a row");
    EXPECT(r.u.id == 6 && r.manager.id == 3, "*u holds user %d and *manager user %d: "
           "expected user 6 in *u and their manager, user 3, in *manager",
           r.u.id, r.manager.id);

    given_log.count = 0;
    result missing = { .u = { .id = 500 } };
    check_run(fetch, &missing);
    EXPECT(missing.rc == UV_ENOENT, "fetch_with_manager(500), a user who does not exist, "
           "returned %s: expected fetch_user's error, %s", status_name(missing.rc),
           status_name(UV_ENOENT));
    EXPECT(given_log.count == 1, "for user 500, who does not exist, fetch_user was called "
           "%d times: expected one call, and no manager fetched after it failed",
           given_log.count);
}
