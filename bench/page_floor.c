/* page_floor.c (W1's floor): the time to hand out one fresh page per task,
 * measured the way the tasks use them (one touched page per stack-sized
 * stride of a big MAP_NORESERVE mapping). Prints: seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    size_t stride = argc > 2 ? (size_t)atol(argv[2]) : 256 * 1024;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    char *p = mmap(NULL, (size_t)n * stride, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    madvise(p, (size_t)n * stride, MADV_NOHUGEPAGE);
    for (long i = 0; i < n; i++)
        p[(size_t)i * stride + stride - 64] = 1;
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("seconds %.4f\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
    return 0;
}
