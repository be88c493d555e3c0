/* Wrong: usleep() instead of an await (Python's time.sleep in async code):
 * the numbers come at the right times, but every other task is frozen.
 * expect: a task beside it ticked 0 times
 */
#include "exercise.h"

#include <unistd.h>

int countdown(int from, double interval)
{
    for (int n = from; n >= 1; n--) {
        say(n);
        if (n > 1)
            usleep((useconds_t)(interval * 1e6));
    }
    return 0;
}
