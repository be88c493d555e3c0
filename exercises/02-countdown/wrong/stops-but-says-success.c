/* Wrong: stops at the cancelled wait, but returns 0: the caller cannot tell
 * a finished countdown from a cancelled one.
 * expect: returned 0 (success): expected the cancelled wait's status
 */
#include "exercise.h"

int countdown(int from, double interval)
{
    for (int n = from; n >= 1; n--) {
        say(n);
        if (n > 1 && async_sleep(interval) != 0)
            break;
    }
    return 0;
}
