/* switching.c (W2): the raw context switch, and round trips through the
 * core's semaphore, a generator and async_sleep(0). Prints one line each:
 * "NAME ns_per_op OPS_PER_SECOND". */
#include "async.h"
#include "context.h"

#include <stdlib.h>
#include <sys/mman.h>

static long N = 1000000;

/* ---- the raw switch: two contexts bouncing, no scheduler at all */
static async_context main_ctx, other_ctx;
static volatile long bounces;

static void bouncer(void)
{
    for (;;) {
        bounces++;
        async__context_switch(&other_ctx, &main_ctx);
    }
}

static void raw_switch(void)
{
    size_t size = 64 * 1024;
    void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    async__context_init(&other_ctx, stack, size, bouncer);
    double start = async_time();
    for (long i = 0; i < N; i++)
        async__context_switch(&main_ctx, &other_ctx);
    double dt = async_time() - start;
    printf("raw_switch %.2f %.0f\n", dt * 1e9 / (2.0 * N), 2.0 * N / dt);   /* two per loop */
    munmap(stack, size);
}

/* ---- ping-pong through two semaphores */
typedef struct pair { async_semaphore ping, pong; } pair;

static int ponger(void *arg)
{
    pair *p = arg;
    for (long i = 0; i < N; i++) {
        async_semaphore_acquire(&p->ping);
        async_semaphore_release(&p->pong);
    }
    return 0;
}

static int semaphore_pingpong(void *arg)
{
    (void)arg;
    pair p;
    async_semaphore_init(&p.ping, 0);
    async_semaphore_init(&p.pong, 0);
    async_task *t = async_create_task(ponger, &p);
    double start = async_time();
    for (long i = 0; i < N; i++) {
        async_semaphore_release(&p.ping);
        async_semaphore_acquire(&p.pong);
    }
    double dt = async_time() - start;
    async_await(t);
    printf("semaphore_round_trip %.2f %.0f\n", dt * 1e9 / N, N / dt);
    return 0;
}

/* ---- a generator handing over N items */
static int counter(async_generator *g, void *arg)
{
    (void)arg;
    static long v;
    for (v = 0; v < N; v++)
        if (async_yield(g, &v))
            break;
    return 0;
}

static int generator_pingpong(void *arg)
{
    (void)arg;
    async_generator *g = async_generator_create(counter, NULL);
    void *item;
    double start = async_time();
    long n = 0;
    while (async_next(g, &item) == 1)
        n++;
    double dt = async_time() - start;
    async_generator_close(g);
    printf("generator_item %.2f %.0f\n", dt * 1e9 / n, n / dt);
    return 0;
}

/* ---- one task yielding N times */
static int yielder(void *arg)
{
    (void)arg;
    double start = async_time();
    for (long i = 0; i < N; i++)
        async_sleep(0);
    double dt = async_time() - start;
    printf("sleep0_yield %.2f %.0f\n", dt * 1e9 / N, N / dt);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        N = atol(argv[1]);
    raw_switch();
    async_run(semaphore_pingpong, NULL);
    async_run(generator_pingpong, NULL);
    async_run(yielder, NULL);
    return 0;
}
