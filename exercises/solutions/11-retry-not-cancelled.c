#include "exercise.h"

int fetch_with_retry(int id, user *out)
{
    int rc = 0;
    for (int attempt = 1; attempt <= 3; attempt++) {
        rc = flaky_fetch(id, out);
        if (rc == 0 || rc == UV_ECANCELED)
            return rc;                  /* done, or cancelled: never retry that */
        if (attempt < 3) {
            int slept = async_sleep(0.02);
            if (slept)
                return slept;           /* cancelled while pausing */
        }
    }
    return rc;
}
