/* many_tasks.c (W1): N tasks each sleeping 0.1 s in one TaskGroup.
 * Prints: wall seconds (from the group's start to its end, as the peers
 * measure it), peak RSS KiB. */
#include "async.h"

#include <stdlib.h>
#include <sys/resource.h>

static int nap(void *arg)
{
    (void)arg;
    return async_sleep(0.1);
}

static double wall;

static int many(void *arg)
{
    long n = *(long *)arg;
    double start = async_time();
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (long i = 0; i < n; i++)
        if (!async_taskgroup_create_task(&tg, nap, NULL))
            return UV_ENOMEM;
    int rc = async_taskgroup_wait(&tg);
    wall = async_time() - start;
    return rc;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    int rc = async_run(many, &n);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
#ifdef __APPLE__
    ru.ru_maxrss /= 1024;               /* bytes on macOS, KiB elsewhere */
#endif
    printf("wall %.4f rss_kib %ld\n", wall, ru.ru_maxrss);
    return rc ? 1 : 0;
}
