#include "exercise.h"

int countdown(int from, double interval)
{
    for (int n = from; n >= 1; n--) {
        say(n);
        if (n == 1)
            break;
        int rc = async_sleep(interval);  /* await asyncio.sleep(interval) */
        if (rc)
            return rc;                   /* cancelled: stop, and say so */
    }
    return 0;
}
