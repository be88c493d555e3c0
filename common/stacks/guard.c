/* guard.c: the guard page at the bottom of a task's stack, so that an
 * overflow faults there (and stack_overflow.c names the task) instead of
 * running into the neighbouring stack. The cheapest way the kernel offers:
 * Linux 6.13's guard advice (in one process_madvise call for a whole slab),
 * else mprotect, which works everywhere. */
#include "stacks.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(ASYNC_HAVE_GUARD_ADVICE) && !defined(MADV_GUARD_INSTALL)
#define MADV_GUARD_INSTALL 102   /* Linux 6.13; older C headers lack the name */
#endif
#if defined(ASYNC_HAVE_GUARD_ADVICE) && !defined(MADV_POPULATE_READ)
#define MADV_POPULATE_READ 22    /* Linux 5.14 */
#endif

/* Linux 6.13+ marks a guard page in the page table alone: a third of
 * mprotect's cost, and no split of the slab's mapping (each mprotect'd guard
 * costs two kernel mappings of the 65,530 Linux allows, and slows every
 * later page fault). Asked once, on a page of its own: an older kernel
 * refuses the advice (EINVAL), and an emulator may accept it and do nothing;
 * a real guard page cannot be populated (EFAULT). The loop thread asks
 * first (pool_init), before the helper thread exists. */
static int guard_advice_works(size_t page)
{
#ifdef ASYNC_HAVE_GUARD_ADVICE
    static int works = -1;
    if (works >= 0)
        return works;
    char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;                      /* out of memory now: ask again next time */
    works = madvise(p, page, MADV_GUARD_INSTALL) == 0 &&
            madvise(p, page, MADV_POPULATE_READ) != 0 && errno == EFAULT;
    munmap(p, page);
    return works;
#else
    (void)page;
    return 0;
#endif
}

/* 1 while guards cost no mapping: then every stack gets one. */
int async__guards_are_free(size_t page)
{
    return guard_advice_works(page);
}

/* One stack's guard page: the advice if it works, mprotect otherwise. */
int async__guard_page(char *lo, size_t page)
{
#ifdef ASYNC_HAVE_GUARD_ADVICE
    if (guard_advice_works(page) && madvise(lo, page, MADV_GUARD_INSTALL) == 0)
        return 0;
#endif
    return mprotect(lo, page, PROT_NONE);
}

#if defined(ASYNC_HAVE_PROCESS_MADVISE) && defined(ASYNC_HAVE_GUARD_ADVICE)
/* All of a fresh slab's guards in one call (process_madvise on ourselves):
 * half the cost of one madvise each. The pidfd is opened for the call, never
 * kept: a forked child must not reach its parent's memory through it.
 * Called by the loop thread and by the helper (prefault.c), so the vector
 * is per thread, and not on a task's small stack. Returns how many stacks
 * are guarded, maybe 0 (then each gets its own at carve). */
size_t async__guard_slab(char *base, size_t n, size_t stride, size_t page)
{
    static _Thread_local struct iovec iov[ASYNC_SLAB_STACKS_MAX];
    if (n == 0 || !guard_advice_works(page))
        return 0;
    if (async__on_valgrind())
        return 0;            /* it does not know process_madvise, and says so */
    for (size_t i = 0; i < n; i++)
        iov[i] = (struct iovec){ base + i * stride, page };
    int pidfd = async__pidfd_self();
    long done = pidfd < 0 ? -1 : async__process_madvise(pidfd, iov, n, MADV_GUARD_INSTALL);
    if (pidfd >= 0)
        close(pidfd);
    return done == (long)(n * page) ? n : 0;
}
#else
size_t async__guard_slab(char *base, size_t n, size_t stride, size_t page)
{
    (void)base, (void)n, (void)stride, (void)page;
    return 0;
}
#endif
