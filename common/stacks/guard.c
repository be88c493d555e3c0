/* guard.c: the guard page at the bottom of a task's stack, so that an
 * overflow faults there (and stack_overflow.c names the task) instead of
 * running into the neighbouring stack. The cheapest way the kernel offers:
 * Linux 6.13's guard advice (in one process_madvise call for a whole slab),
 * else mprotect, which works everywhere. */
#include "stacks.h"

#include <errno.h>
#include <sys/mman.h>

#if defined(ASYNC_HAVE_GUARD_ADVICE) && !defined(MADV_GUARD_INSTALL)
#define MADV_GUARD_INSTALL 102   /* Linux 6.13; older C headers lack the name */
#endif

/* Linux 6.13+ marks a guard page in the page table alone: a third of
 * mprotect's cost, and no split of the slab's mapping (4,096 mprotects make
 * 8,192 mappings, which slow every later page fault). Emulators may accept
 * the advice and do nothing, so the first guard is checked: populating a
 * real guard page fails with EFAULT. 1 while the advice is trusted. */
#ifdef ASYNC_HAVE_GUARD_ADVICE
static int guard_advice_works(char *first_guard, size_t page)
{
#if defined(MADV_POPULATE_READ)
    static int works = -1;
    if (works < 0 && first_guard)
        works = madvise(first_guard, page, MADV_POPULATE_READ) != 0 && errno == EFAULT;
    return works != 0;
#else
    (void)first_guard, (void)page;
    return 0;
#endif
}
#endif

/* 1 while guards cost no mapping (the advice is trusted): then every stack
 * gets one, without ASYNC_GUARDED_STACKS' budget. */
int async__guards_are_free(size_t page)
{
#ifdef ASYNC_HAVE_GUARD_ADVICE
    return guard_advice_works(NULL, page);
#else
    (void)page;
    return 0;
#endif
}

/* One stack's guard page: the advice if trusted, mprotect otherwise. */
int async__guard_page(char *lo, size_t page)
{
#ifdef ASYNC_HAVE_GUARD_ADVICE
    if (guard_advice_works(NULL, page) && madvise(lo, page, MADV_GUARD_INSTALL) == 0 &&
        guard_advice_works(lo, page))
        return 0;
#endif
    return mprotect(lo, page, PROT_NONE);
}

#if defined(ASYNC_HAVE_PROCESS_MADVISE) && defined(ASYNC_HAVE_GUARD_ADVICE)
/* All of a fresh slab's guards in one call (process_madvise on ourselves):
 * half the cost of one madvise each, which a crawl making 2,000 tasks pays
 * in full. The pidfd is opened for the call, never kept: a forked child
 * must not reach its parent's memory through it. Returns how many stacks
 * are guarded, maybe 0 (then each gets its own at carve). */
size_t async__guard_slab(char *base, size_t n, size_t stride, size_t page)
{
    static struct iovec iov[ASYNC_SLAB_STACKS_MAX];   /* not on a task's small stack */
    if (n == 0 || !guard_advice_works(NULL, page))
        return 0;
    if (async__on_valgrind())
        return 0;            /* it does not know process_madvise, and says so */
    for (size_t i = 0; i < n; i++)
        iov[i] = (struct iovec){ base + i * stride, page };
    int pidfd = async__pidfd_self();
    long done = pidfd < 0 ? -1 : async__process_madvise(pidfd, iov, n, MADV_GUARD_INSTALL);
    if (pidfd >= 0)
        close(pidfd);
    return done == (long)(n * page) && guard_advice_works(base, page) ? n : 0;
}
#else
size_t async__guard_slab(char *base, size_t n, size_t stride, size_t page)
{
    (void)base, (void)n, (void)stride, (void)page;
    return 0;
}
#endif

