/* Exercise 3: write load_profile. The task is in README.md. */
#include "exercise.h"

int load_profile(int id, profile *p)
{
    p->user_id = id;
    int rc = fetch_user(id, &p->user);       /* TODO: the three at once */
    if (rc)
        return rc;
    rc = fetch_orders(id, &p->orders);
    if (rc)
        return rc;
    return fetch_friends(id, &p->friends);
}
