/* Wrong: the manager's id is made up (id + 1) instead of read from the
 * fetched user's manager_id.
 * expect: the second fetch was fetch_user(7)
 */
#include "exercise.h"

int fetch_with_manager(int id, user *u, user *manager)
{
    int rc = fetch_user(id, u);
    if (rc)
        return rc;
    return fetch_user(id + 1, manager);
}
