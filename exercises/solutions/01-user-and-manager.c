#include "exercise.h"

int fetch_with_manager(int id, user *u, user *manager)
{
    int rc = fetch_user(id, u);          /* u = await fetch_user(id) */
    if (rc)
        return rc;                       /* no user, no manager */
    return fetch_user(u->manager_id, manager);
}
