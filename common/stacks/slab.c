/* slab.c: task stacks, carved from big mmap'd slabs and pooled.
 *
 * Why slabs: one mmap per stack (plus its guard page) is two kernel mappings
 * per task, and Linux allows 65,530 by default: 100,000 tasks would not fit.
 * A slab of up to 256 stacks (64 MiB of address space) is one mapping: 400
 * mmap calls for 100,000 tasks. MAP_NORESERVE means only the pages a task
 * touches cost memory (usually one).
 *
 * Every stack gets a guard page at its bottom where the kernel's guard
 * advice works (Linux 6.13+: no mapping, about half a microsecond each;
 * once a program makes slabs by the dozen, the helper thread of prefault.c
 * guards each new slab from its far end while the loop guards, in batches,
 * the stacks it reaches first, so the loop pays about half).
 * Elsewhere the first 4,096 (mprotect splits the slab's mapping, and Linux
 * allows 65,530 mappings). ASYNC_GUARDED_STACKS sets the number. An overflow
 * faults there (and stack_overflow.c names the task); a stack past that
 * budget relies on the stack-pointer check at each switch. */
#include "stacks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

enum { GUARDED_STACKS_DEFAULT = 4096 };
#define GUARDED_STACKS_ALL SIZE_MAX
#define SLAB_BYTES (64u * 1024u * 1024u)
#define DEFAULT_STACK_SIZE (256u * 1024u)

typedef struct slab {
    struct slab *next;
    async_prefault_job job;        /* base, and job.carved: stacks handed out so far */
    size_t guarded;                /* stacks 0..guarded-1 have their guard (from the loop) */
#ifdef ASYNC_HAVE_VALGRIND
    unsigned vg_id[ASYNC_SLAB_STACKS_MAX];
#endif
} slab;

typedef struct free_stack {
    struct free_stack *next;
    size_t guard;
} free_stack;

static struct {
    size_t size, page;
    size_t slab_stacks;            /* SLAB_BYTES worth, 1 to ASYNC_SLAB_STACKS_MAX */
    size_t guards_left;            /* GUARDED_STACKS_ALL: no budget */
    slab *slabs;
    size_t slabs_made;
    free_stack *free;              /* lives in the freed stacks themselves */
} pool;

/* A knob set to what it cannot be is bad input: one line, status 2, as
 * Python stops on a PYTHONHASHSEED it cannot read (not a silent default). */
void async__env_refused(const char *name, const char *value, const char *what)
{
    fflush(stdout);
    fprintf(stderr, "async: %s=%s: %s\n", name, value, what);
    exit(2);
}

static size_t env_size(const char *name, size_t dflt, size_t lo, size_t hi, const char *unit)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return dflt;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v < lo || v > hi) {
        char what[96];
        snprintf(what, sizeof what, "not a whole number of %s from %zu to %zu", unit, lo, hi);
        async__env_refused(name, s, what);
    }
    return (size_t)v;
}

static void pool_init(void)
{
    if (pool.size)
        return;
    pool.page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = env_size("ASYNC_STACK_SIZE", DEFAULT_STACK_SIZE, 16 * 1024, 1u << 30, "bytes");
    pool.size = (size + pool.page - 1) & ~(pool.page - 1);
    pool.slab_stacks = SLAB_BYTES / pool.size;
    if (pool.slab_stacks > ASYNC_SLAB_STACKS_MAX)
        pool.slab_stacks = ASYNC_SLAB_STACKS_MAX;
    if (pool.slab_stacks < 1)
        pool.slab_stacks = 1;
    size_t dflt = async__guards_are_free(pool.page) ? GUARDED_STACKS_ALL : GUARDED_STACKS_DEFAULT;
    pool.guards_left = env_size("ASYNC_GUARDED_STACKS", dflt, 0, 1u << 20, "stacks");
    async__prefault_check_env();
}

size_t async__stack_size(void)
{
    pool_init();
    return pool.size;
}

/* A slab's address space: one mapping, no memory until a page is touched. */
static char *slab_map(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_NOHUGEPAGE
    /* A huge page would make each task cost 2 MiB instead of 4 KiB. */
    madvise(p, bytes, MADV_NOHUGEPAGE);
#endif
    return p;
}

static size_t guards_for_a_slab(void)
{
    return pool.guards_left < pool.slab_stacks ? pool.guards_left : pool.slab_stacks;
}

static slab *slab_new(void)
{
    slab *s = calloc(1, sizeof *s);
    char *p = s ? slab_map(pool.slab_stacks * pool.size) : NULL;
    if (!p) {
        free(s);
        return NULL;
    }
    s->job.base = p;
    s->job.stacks = pool.slab_stacks;
    s->job.stride = pool.size;
    s->job.page = pool.page;
    s->job.guard_all = pool.guards_left == GUARDED_STACKS_ALL;
    atomic_init(&s->job.guarded_from, pool.slab_stacks);   /* the helper's: none yet */
    s->next = pool.slabs;
    pool.slabs = s;
    if (async__prefault_post(&s->job, ++pool.slabs_made) && s->job.guard_all)
        return s;                /* guarded from both ends as it is carved */
    s->guarded = async__guard_slab(p, guards_for_a_slab(), pool.size, pool.page);
    if (pool.guards_left != GUARDED_STACKS_ALL)
        pool.guards_left -= s->guarded;
    return s;
}

/* Stacks the loop carves before the helper's guards reach them get theirs
 * here, this many in one call. */
enum { LOOP_GUARD_BATCH = 32 };

/* Stack i of a slab the helper is guarding from the far end: guarded by it
 * already, or by the loop now, with the next few. 1 if it has its guard. */
static int guard_shared(slab *s, size_t i)
{
    size_t helper_from = atomic_load_explicit(&s->job.guarded_from, memory_order_acquire);
    if (i >= helper_from)
        return 1;
    size_t to = i + LOOP_GUARD_BATCH < helper_from ? i + LOOP_GUARD_BATCH : helper_from;
    if (async__guard_stacks(-1, s->job.base, i, to, pool.size, pool.page) != 0)
        return async__guard_page(s->job.base + i * pool.size, pool.page) == 0;
    s->guarded = to;
    return 1;
}

/* A stack past its slab's guards, where guards cost a mapping: one more
 * while the budget lasts. */
static int guard_from_budget(char *lo)
{
    if (!pool.guards_left || async__guard_page(lo, pool.page) != 0)
        return 0;
    pool.guards_left--;
    return 1;
}

static void *carve(slab *s, size_t *guard)
{
    size_t i = atomic_load_explicit(&s->job.carved, memory_order_relaxed);
    atomic_store_explicit(&s->job.carved, i + 1, memory_order_relaxed);
    char *lo = s->job.base + i * pool.size;
    int guarded = i < s->guarded ||
                  (s->job.guard_all ? guard_shared(s, i) : guard_from_budget(lo));
    *guard = guarded ? pool.page : 0;
#ifdef ASYNC_HAVE_VALGRIND
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
#ifdef ASYNC_HAVE_VALGRIND
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
