/* Exercise 3's check: results, time, overlap, and what a failure leaves running. */
#include "check.h"
#include "exercise.h"
#include "given.h"

#include <string.h>

typedef struct result { profile p; int rc; double took; } result;

static int load(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = load_profile(r->p.user_id, &r->p);
    r->took = async_time() - start;
    /* Judged here, before anything else can run: a fetch still running now
     * was left behind by load_profile. */
    for (int i = 0; i < SVC_COUNT; i++)
        EXPECT(given_svc[i].running == 0, "load_profile(%d) returned %s after %.2f s while "
               "%s(%d) was still running: expected the group to end (or cancel) every fetch "
               "before it returns", r->p.user_id, status_name(r->rc), r->took,
               given_svc_name[i], r->p.user_id);
    return 0;
}

static void check(void)
{
    result r = { .p = { .user_id = 7 } };
    check_run(load, &r);
    EXPECT(r.rc == 0, "load_profile(7) returned %s: expected 0 (success)", status_name(r.rc));
    EXPECT(r.p.user.id == 7 && r.p.orders == 3 && r.p.friends == 14, "user 7's profile "
           "holds user %d, %d orders and %d friends: expected user 7, 3 orders, 14 friends",
           r.p.user.id, r.p.orders, r.p.friends);
    EXPECT(given_most_running_all == 3 && r.took < 0.3, "load_profile(7) took %.2f s, with "
           "at most %d fetch%s running at once: expected the three at once, about 0.15 s "
           "(one after another they take 0.10 + 0.15 + 0.12 = 0.37 s)",
           r.took, given_most_running_all, given_most_running_all == 1 ? "" : "es");

    memset(given_svc, 0, sizeof given_svc);
    result f = { .p = { .user_id = 13 } };
    check_run(load, &f);
    EXPECT(f.rc == UV_ECONNREFUSED, "load_profile(13), whose orders service refuses, returned "
           "%s: expected fetch_orders's failure, %s", status_name(f.rc),
           status_name(UV_ECONNREFUSED));
    EXPECT(f.took < 0.09, "load_profile(13) returned after %.2f s: expected it at once when "
           "fetch_orders failed, at 0.05 s (the group cancels the other fetches)", f.took);
    EXPECT(given_svc[SVC_USER].cancelled == 1 && given_svc[SVC_FRIENDS].cancelled == 1,
           "when fetch_orders(13) failed, fetch_user was cancelled %d times and fetch_friends "
           "%d times: expected each cancelled once", given_svc[SVC_USER].cancelled,
           given_svc[SVC_FRIENDS].cancelled);
}
