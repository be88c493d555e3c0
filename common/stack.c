/* stack.c: task stacks, carved from big mmap'd slabs and pooled.
 *
 * Why slabs: one mmap per stack (plus its guard page) is two kernel mappings
 * per task, and Linux allows 65,530 by default: 100,000 tasks would not fit.
 * A slab of up to 256 stacks (64 MiB of address space) is one mapping: 400
 * mmap calls for 100,000 tasks. MAP_NORESERVE means only the pages a task
 * touches cost memory (usually one). The first ASYNC_GUARDED_STACKS
 * stacks get a guard page at the bottom, so an overflow faults
 * there (and stack_overflow.c names the task); past that budget stacks go
 * unguarded and rely on the stack-pointer check at each switch.
 */
#include "task.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND 1
#endif
#endif

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

enum { SLAB_STACKS_MAX = 256, GUARDED_STACKS_DEFAULT = 4096 };
#define SLAB_BYTES (64u * 1024u * 1024u)
#define DEFAULT_STACK_SIZE (256u * 1024u)

typedef struct slab {
    struct slab *next;
    async_prefault_job job;        /* base, and job.carved: stacks handed out so far */
    size_t guarded;                /* stacks 0..guarded-1 got their guard with the slab */
#ifdef HAVE_VALGRIND
    unsigned vg_id[SLAB_STACKS_MAX];
#endif
} slab;

typedef struct free_stack {
    struct free_stack *next;
    size_t guard;
} free_stack;

static struct {
    size_t size, page;
    size_t slab_stacks;            /* SLAB_BYTES worth, 1 to SLAB_STACKS_MAX */
    size_t guards_left;
    slab *slabs;
    size_t slabs_made;
    free_stack *free;              /* lives in the freed stacks themselves */
} pool;

static size_t env_size(const char *name, size_t dflt, size_t lo, size_t hi)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return dflt;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v < lo || v > hi)
        return dflt;
    return (size_t)v;
}

static void pool_init(void)
{
    if (pool.size)
        return;
    pool.page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = env_size("ASYNC_STACK_SIZE", DEFAULT_STACK_SIZE, 16 * 1024, 1u << 30);
    pool.size = (size + pool.page - 1) & ~(pool.page - 1);
    pool.slab_stacks = SLAB_BYTES / pool.size;
    if (pool.slab_stacks > SLAB_STACKS_MAX)
        pool.slab_stacks = SLAB_STACKS_MAX;
    if (pool.slab_stacks < 1)
        pool.slab_stacks = 1;
    pool.guards_left = env_size("ASYNC_GUARDED_STACKS", GUARDED_STACKS_DEFAULT, 0, 1u << 20);
}

size_t async__stack_size(void)
{
    pool_init();
    return pool.size;
}

#if defined(__linux__) && !defined(MADV_GUARD_INSTALL)
#define MADV_GUARD_INSTALL 102   /* Linux 6.13 */
#endif

/* Linux 6.13+ marks a guard page in the page table alone: a third of
 * mprotect's cost, and no split of the slab's mapping (4,096 mprotects make
 * 8,192 mappings, which slow every later page fault). Emulators may accept
 * the advice and do nothing, so the first guard is checked: populating a
 * real guard page fails with EFAULT. 1 while the advice is trusted. */
static int guard_advice_works(char *first_guard)
{
#if defined(MADV_GUARD_INSTALL) && defined(MADV_POPULATE_READ)
    static int works = -1;
    if (works < 0 && first_guard)
        works = madvise(first_guard, pool.page, MADV_POPULATE_READ) != 0 && errno == EFAULT;
    return works != 0;
#else
    (void)first_guard;
    return 0;
#endif
}

/* One stack's guard page: the advice if trusted, mprotect otherwise. */
static int guard_page(char *lo)
{
#ifdef MADV_GUARD_INSTALL
    if (guard_advice_works(NULL) && madvise(lo, pool.page, MADV_GUARD_INSTALL) == 0 &&
        guard_advice_works(lo))
        return 0;
#endif
    return mprotect(lo, pool.page, PROT_NONE);
}

#if defined(__linux__) && defined(SYS_process_madvise) && defined(SYS_pidfd_open)
/* All of a fresh slab's guards in one call (process_madvise on ourselves):
 * half the cost of one madvise each, which a crawl making 2,000 tasks pays
 * in full. The pidfd is opened for the call, never kept: a forked child
 * must not reach its parent's memory through it. Returns how many stacks
 * are guarded, maybe 0 (then each gets its own at carve). */
static size_t guard_slab(char *base, size_t n)
{
    static struct iovec iov[SLAB_STACKS_MAX];   /* not on a task's small stack */
    if (n == 0 || !guard_advice_works(NULL))
        return 0;
#ifdef HAVE_VALGRIND
    if (RUNNING_ON_VALGRIND)
        return 0;            /* it does not know process_madvise, and says so */
#endif
    for (size_t i = 0; i < n; i++)
        iov[i] = (struct iovec){ base + i * pool.size, pool.page };
    int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    long done = pidfd < 0 ? -1 : syscall(SYS_process_madvise, pidfd, iov, n, MADV_GUARD_INSTALL, 0);
    if (pidfd >= 0)
        close(pidfd);
    return done == (long)(n * pool.page) && guard_advice_works(base) ? n : 0;
}
#else
static size_t guard_slab(char *base, size_t n)
{
    (void)base, (void)n;
    return 0;
}
#endif

static slab *slab_new(void)
{
    slab *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    void *p = mmap(NULL, pool.slab_stacks * pool.size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        free(s);
        return NULL;
    }
#ifdef MADV_NOHUGEPAGE
    /* A huge page would make each task cost 2 MiB instead of 4 KiB. */
    madvise(p, pool.slab_stacks * pool.size, MADV_NOHUGEPAGE);
#endif
    s->job.base = p;
    s->job.stacks = pool.slab_stacks;
    s->job.stride = pool.size;
    s->job.page = pool.page;
    s->guarded = guard_slab(p, pool.guards_left < pool.slab_stacks ? pool.guards_left
                                                                  : pool.slab_stacks);
    pool.guards_left -= s->guarded;
    s->next = pool.slabs;
    pool.slabs = s;
    async__prefault_post(&s->job, ++pool.slabs_made);
    return s;
}

static void *carve(slab *s, size_t *guard)
{
    size_t i = atomic_load_explicit(&s->job.carved, memory_order_relaxed);
    atomic_store_explicit(&s->job.carved, i + 1, memory_order_relaxed);
    char *lo = s->job.base + i * pool.size;
    *guard = i < s->guarded ? pool.page : 0;
    if (!*guard && pool.guards_left && guard_page(lo) == 0) {
        *guard = pool.page;
        pool.guards_left--;
    }
#ifdef HAVE_VALGRIND
    s->vg_id[i] = VALGRIND_STACK_REGISTER(lo, lo + pool.size);
#endif
    return lo;
}

void *async__stack_alloc(size_t *guard)
{
    pool_init();
    if (pool.free) {
        free_stack *f = pool.free;
        pool.free = f->next;
        *guard = f->guard;
        return (char *)f - (pool.size - sizeof *f);
    }
    slab *s = pool.slabs;
    if (!s || atomic_load_explicit(&s->job.carved, memory_order_relaxed) == pool.slab_stacks)
        s = slab_new();
    return s ? carve(s, guard) : NULL;
}

/* The free-list link goes at the top of the stack, the page a task touches
 * first, so pooling a stack touches no page that was not already resident. */
void async__stack_free(void *lo, size_t guard)
{
    free_stack *f = (free_stack *)((char *)lo + pool.size - sizeof *f);
    f->guard = guard;
    f->next = pool.free;
    pool.free = f;
}

void async__stack_pool_destroy(void)
{
    async__prefault_stop();
    while (pool.slabs) {
        slab *s = pool.slabs;
        pool.slabs = s->next;
#ifdef HAVE_VALGRIND
        for (size_t i = 0; i < s->job.carved; i++)
            VALGRIND_STACK_DEREGISTER(s->vg_id[i]);
#endif
        munmap(s->job.base, pool.slab_stacks * pool.size);
        free(s);
    }
    pool.free = NULL;
    pool.slabs_made = 0;
    pool.guards_left = 0;
    pool.size = 0;
}
