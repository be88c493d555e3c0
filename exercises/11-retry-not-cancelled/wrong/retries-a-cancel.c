/* Wrong: retries on any error, UV_ECANCELED included, and the pause's status
 * is not looked at: a cancelled fetch is tried again, twice.
 * expect: (during the first try), fetch_with_retry made 2 more calls of flaky_fetch after the cancel: expected none
 */
#include "exercise.h"

int fetch_with_retry(int id, user *out)
{
    int rc = 0;
    for (int attempt = 1; attempt <= 3; attempt++) {
        rc = flaky_fetch(id, out);
        if (rc == 0)
            return 0;
        if (attempt < 3)
            async_sleep(0.02);
    }
    return rc;
}
