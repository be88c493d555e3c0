/* Wrong: stops at the error, but reports success.
 * expect: returned 0 (success): expected fetch_user's error, UV_ENOENT (no such file or directory)
 */
#include "exercise.h"

int fetch_with_manager(int id, user *u, user *manager)
{
    if (fetch_user(id, u) == 0)
        fetch_user(u->manager_id, manager);
    return 0;
}
