/* Exercise 3's given code: three services, each keeping a log for the check. */
#include "exercise.h"
#include "given.h"

#include <stdio.h>

service_log given_svc[SVC_COUNT];
int given_running_all, given_most_running_all;
const char *const given_svc_name[SVC_COUNT] = { "fetch_user", "fetch_orders", "fetch_friends" };

/* One service call: waits `seconds`, counting who runs at once; UV_ECANCELED
 * if cancelled. */
static int service(int which, double seconds)
{
    service_log *s = &given_svc[which];
    if (s->calls++ == 0)
        s->first_start = async_time();
    s->running++;
    if (++given_running_all > given_most_running_all)
        given_most_running_all = given_running_all;
    int rc = async_sleep(seconds);
    s->running--;
    given_running_all--;
    s->last_end = async_time();
    if (rc == UV_ECANCELED)
        s->cancelled++;
    return rc;
}

int fetch_user(int id, user *out)
{
    int rc = service(SVC_USER, 0.10);
    if (rc)
        return rc;
    out->id = id;
    snprintf(out->name, sizeof out->name, "User %d", id);
    return 0;
}

int fetch_orders(int user_id, int *count)
{
    int rc = service(SVC_ORDERS, user_id == 13 ? 0.05 : 0.15);
    if (rc)
        return rc;
    if (user_id == 13)
        return UV_ECONNREFUSED;
    *count = user_id % 5 + 1;
    return 0;
}

int fetch_friends(int user_id, int *count)
{
    int rc = service(SVC_FRIENDS, 0.12);
    if (rc)
        return rc;
    *count = user_id * 2;
    return 0;
}
