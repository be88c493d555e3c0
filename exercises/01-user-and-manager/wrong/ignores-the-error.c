/* Wrong: the first fetch's status is never looked at, so a missing user's
 * "manager" is fetched too (with whatever manager_id *u held).
 * expect: for user 500, who does not exist, fetch_user was called 2 times
 */
#include "exercise.h"

int fetch_with_manager(int id, user *u, user *manager)
{
    fetch_user(id, u);
    return fetch_user(u->manager_id, manager);
}
