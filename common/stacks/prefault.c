/* prefault.c: the second core prepares new stacks: it asks the kernel for
 * their first pages, and puts in their guard pages.
 *
 * Why: the first write to a new task's stack page makes the kernel clear and
 * map a fresh page, ~1.7 µs on the machine this was measured on: three
 * quarters of what creating a task costs. A program that creates tasks by
 * the thousand pays it on the loop's path. So once a program has carved a
 * few slabs, a helper thread takes each new slab and, from its far end back,
 * asks for its stacks' top pages with MADV_POPULATE_WRITE (the page is mapped
 * as a write fault would map it, and nothing is written) while the loop
 * carves from the near end. They meet near the middle: the loop takes about
 * half the faults it used to, the other core the rest.
 *
 * Where every stack is to have a guard (slab.c), the helper puts in each
 * batch's guards before populating it, and says how far it has come
 * (guarded_from): half a microsecond a stack that the loop, which guards
 * the stacks it reaches first in batches of its own, no longer pays. A
 * stack both guard is harmless: a guard page holds no data to lose.
 *
 * The helper never writes to a stack, so it cannot race a task's record;
 * it reads only how far the loop has carved, and stops there or when a newer
 * slab arrives. It is not started under valgrind (which runs one thread at
 * a time anyway), in a process allowed only one CPU, with ASYNC_PREFAULT=0,
 * nor where a probe page does not become resident when advised (Linux before
 * 5.14, emulators that accept the advice and do nothing): then every page is
 * faulted on the loop, as before. Linux only (ASYNC_HAVE_POPULATE_ADVICE in
 * platform.h); elsewhere the two entry points do nothing.
 */
#include "stacks.h"

#include <stdlib.h>
#include <string.h>

/* At each run's start, so that a small program is told too. */
void async__prefault_check_env(void)
{
    const char *env = getenv("ASYNC_PREFAULT");
    if (env && *env && strcmp(env, "0") != 0 && strcmp(env, "1") != 0)
        async__env_refused("ASYNC_PREFAULT", env, "not 0 (no helper thread) or 1");
}

#if defined(ASYNC_HAVE_POPULATE_ADVICE)

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "platform.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23   /* Linux 5.14; older C headers lack the name */
#endif

/* Small programs (every step, most tests) never start a thread. */
enum { PREFAULT_AFTER_SLABS = 4 };
/* Pages asked for between two looks at how far the loop has carved. */
enum { PREFAULT_BATCH = 8 };

static struct {
    pthread_t thread;
    int started;                       /* loop thread only */
    int unavailable;                   /* loop thread only: do not try again */
    int tried;                         /* loop thread only: asked in this run */
    sem_t work;
    _Atomic(async_prefault_job *) next;/* the newest slab, taken by the helper */
    atomic_int stop;
    int pidfd;                         /* ourselves, for process_madvise; or -1;
                                          opened and closed by the loop thread only */
    int batched_fails;                 /* helper only: process_madvise cannot */
    int guards_fail;                   /* helper only: its guard calls fail */
} helper;

static void *top_page(const async_prefault_job *job, size_t i)
{
    return job->base + (i + 1) * job->stride - job->page;
}

/* One page at a time: for kernels whose process_madvise cannot advise this
 * (the start's probe made sure madvise can). */
static int populate_each(struct iovec *iov, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (madvise(iov[k].iov_base, iov[k].iov_len, MADV_POPULATE_WRITE) != 0 &&
            errno != EINTR && errno != EAGAIN)
            return -1;
    return 0;
}

/* Guards stacks [lo, hi), then says so to the loop. */
static int guard_batch(async_prefault_job *job, size_t lo, size_t hi)
{
    if (async__guard_stacks(helper.pidfd, job->base, lo, hi, job->stride, job->page) != 0)
        return -1;
    atomic_store_explicit(&job->guarded_from, lo, memory_order_release);
    return 0;
}

/* Populates stacks [lo, hi) from hi down, skipping what the loop has carved,
 * in one process_madvise call (a third cheaper a page than one madvise
 * each). Returns 0 to keep going, -1 to drop this slab. */
static int populate_batch(async_prefault_job *job, size_t lo, size_t hi)
{
    size_t carved = atomic_load_explicit(&job->carved, memory_order_relaxed);
    if (lo < carved)
        lo = carved;                   /* the loop has faulted those itself */
    if (lo >= hi)
        return -1;
    struct iovec iov[PREFAULT_BATCH];
    size_t n = 0;
    if (job->guard_all && !helper.guards_fail && guard_batch(job, lo, hi) != 0)
        helper.guards_fail = 1;        /* the loop guards them all itself */
    for (size_t i = hi; i-- > lo;)
        iov[n++] = (struct iovec){ top_page(job, i), job->page };
#ifdef ASYNC_HAVE_PROCESS_MADVISE
    if (helper.pidfd >= 0 && !helper.batched_fails) {
        long done = async__process_madvise(helper.pidfd, iov, n, MADV_POPULATE_WRITE);
        if (done == (long)(n * job->page))
            return 0;
        if (done < 0 && (errno == EINTR || errno == EAGAIN))
            return 0;
        if (done < 0 && errno != EFAULT && errno != ENOMEM)
            helper.batched_fails = 1;      /* before 6.13 it takes no such advice: one at a time */
    }
#endif
    return populate_each(iov, n);
}

static void populate(async_prefault_job *job)
{
    for (size_t hi = job->stacks; hi > 0;) {
        if (atomic_load(&helper.stop) || atomic_load_explicit(&helper.next, memory_order_relaxed))
            return;                    /* shutting down, or the loop moved on */
        size_t lo = hi > PREFAULT_BATCH ? hi - PREFAULT_BATCH : 0;
        if (populate_batch(job, lo, hi) != 0)
            return;
        hi = lo;
    }
}

static void *helper_main(void *unused)
{
    (void)unused;
    for (;;) {
        while (sem_wait(&helper.work) != 0 && errno == EINTR)
            ;
        if (atomic_load(&helper.stop))
            return NULL;
        async_prefault_job *job = atomic_exchange_explicit(&helper.next, NULL, memory_order_acquire);
        if (job)
            populate(job);
    }
}

/* A forked child has no helper: it starts its own if it needs one. */
static void forget_helper_in_child(void)
{
    if (helper.started && helper.pidfd >= 0)
        close(helper.pidfd);               /* it names the parent */
    helper.pidfd = -1;
    helper.started = 0;
    helper.tried = 0;
    atomic_store(&helper.next, NULL);
}

/* The helper's whole point is a second core; pinned to one (taskset -c 0),
 * it would only take turns with the loop. */
static int one_cpu_only(void)
{
#ifdef CPU_COUNT
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) < 2;
#else
    return 0;
#endif
}

/* 1 if the advice really maps a page: the kernel may not know it (EINVAL
 * before 5.14), and an emulator may accept it and do nothing. */
static int advice_maps_pages(void)
{
    static int works = -1;
    if (works >= 0)
        return works;
    long page = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;                      /* out of memory now: try again later */
    unsigned char resident = 0;
    works = madvise(p, (size_t)page, MADV_POPULATE_WRITE) == 0 &&
            mincore(p, (size_t)page, &resident) == 0 && (resident & 1);
    munmap(p, (size_t)page);
    return works;
}

/* Read at each start (once per async_run at most): the setting may change
 * between runs, as the tests change it. */
static int disabled_here(void)
{
    const char *env = getenv("ASYNC_PREFAULT");
    if (env && strcmp(env, "0") == 0)
        return 1;
    if (one_cpu_only())
        return 1;
    if (async__on_valgrind())
        return 1;
    return !advice_maps_pages();
}

static void close_pidfd(void)
{
    if (helper.pidfd >= 0)
        close(helper.pidfd);
    helper.pidfd = -1;
}

static int start_helper(void)
{
    static int atfork_registered;
    if (!atfork_registered)            /* first: a child must never join a thread it lacks */
        atfork_registered = pthread_atfork(NULL, NULL, forget_helper_in_child) == 0;
    if (!atfork_registered || sem_init(&helper.work, 0, 0) != 0)
        return -1;
    atomic_store(&helper.stop, 0);
    atomic_store(&helper.next, NULL);
    helper.pidfd = async__pidfd_self();
    helper.batched_fails = 0;
    helper.guards_fail = 0;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);   /* signals go to the loop's thread */
    int rc = pthread_create(&helper.thread, NULL, helper_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        close_pidfd();
        sem_destroy(&helper.work);
        return -1;
    }
    helper.started = 1;
    return 0;
}

int async__prefault_post(async_prefault_job *job, size_t slabs_made)
{
    if (slabs_made < PREFAULT_AFTER_SLABS || helper.unavailable)
        return 0;
    if (!helper.started) {
        if (helper.tried)
            return 0;                  /* asked once per run (and once in a forked child) */
        helper.tried = 1;
        if (disabled_here())
            return 0;
        if (start_helper() != 0) {
            helper.unavailable = 1;
            return 0;
        }
    }
    atomic_store_explicit(&helper.next, job, memory_order_release);
    sem_post(&helper.work);
    return 1;
}

void async__prefault_stop(void)
{
    helper.tried = 0;
    if (!helper.started)
        return;
    atomic_store(&helper.stop, 1);
    sem_post(&helper.work);
    pthread_join(helper.thread, NULL);
    close_pidfd();
    sem_destroy(&helper.work);
    helper.started = 0;
    atomic_store(&helper.next, NULL);
}

#else /* no populate advice (not Linux, or make portable-test): no helper */

int async__prefault_post(async_prefault_job *job, size_t slabs_made)
{
    (void)job, (void)slabs_made;
    return 0;
}

void async__prefault_stop(void)
{
}

#endif
