/* Wrong: counts down to 0, one number too far.
 * expect: countdown(3, 0.05) said 3, 2, 1, 0: expected 3, 2, 1
 */
#include "exercise.h"

int countdown(int from, double interval)
{
    for (int n = from; n >= 0; n--) {
        say(n);
        if (n == 0)
            break;
        int rc = async_sleep(interval);
        if (rc)
            return rc;
    }
    return 0;
}
