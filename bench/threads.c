/* threads.c (W1 peer): one POSIX thread per task, each sleeping 0.1 s.
 * Prints: wall seconds, peak RSS KiB, or "failed N" when the machine refuses. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static void *nap(void *arg)
{
    (void)arg;
    usleep(100000);
    return NULL;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000;
    pthread_t *t = calloc((size_t)n, sizeof *t);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    long started = 0;
    for (; started < n; started++)
        if (pthread_create(&t[started], &attr, nap, NULL) != 0)
            break;
    for (long i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
#ifdef __APPLE__
    ru.ru_maxrss /= 1024;               /* bytes on macOS, KiB elsewhere */
#endif
    if (started < n) {
        printf("failed %ld\n", started);
        return 1;
    }
    printf("wall %.4f rss_kib %ld\n",
           (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, ru.ru_maxrss);
    free(t);
    return 0;
}
