/* Wrong: the user is fetched into *manager and the manager into *u.
 * expect: *u holds user 3 and *manager user 6
 */
#include "exercise.h"

int fetch_with_manager(int id, user *u, user *manager)
{
    int rc = fetch_user(id, manager);
    if (rc)
        return rc;
    return fetch_user(manager->manager_id, u);
}
