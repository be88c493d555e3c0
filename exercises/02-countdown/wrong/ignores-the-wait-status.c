/* Wrong: the wait's status is thrown away, so a cancelled countdown runs on
 * to 1 (every later wait returns UV_ECANCELED at once) and reports success.
 * expect: returned 0 (success): expected the cancelled wait's status, UV_ECANCELED (operation canceled), passed up (said: 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
 */
#include "exercise.h"

int countdown(int from, double interval)
{
    for (int n = from; n >= 1; n--) {
        say(n);
        if (n > 1)
            async_sleep(interval);
    }
    return 0;
}
