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
/* Many guards in one call (process_madvise on ourselves): half the cost of
 * one madvise each. The loop's pidfd is opened for the call, never kept: a
 * forked child must not reach its parent's memory through it (the helper
 * thread keeps one, and a child forgets it: prefault.c). Called by both
 * threads, so the vector is per thread, and not on a task's small stack. */
int async__guard_stacks(int pidfd, char *base, size_t from, size_t to, size_t stride,
                        size_t page)
{
    static _Thread_local struct iovec iov[ASYNC_SLAB_STACKS_MAX];
    if (from >= to || !guard_advice_works(page) || async__on_valgrind())
        return -1;           /* valgrind does not know process_madvise, and says so */
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        iov[n++] = (struct iovec){ base + i * stride, page };
    int fd = pidfd >= 0 ? pidfd : async__pidfd_self();
    long done = fd < 0 ? -1 : async__process_madvise(fd, iov, n, MADV_GUARD_INSTALL);
    if (fd >= 0 && fd != pidfd)
        close(fd);                   /* our own, opened for this call */
    return done == (long)(n * page) ? 0 : -1;
}
#else
int async__guard_stacks(int pidfd, char *base, size_t from, size_t to, size_t stride,
                        size_t page)
{
    (void)pidfd, (void)base, (void)from, (void)to, (void)stride, (void)page;
    return -1;
}
#endif

/* All of a fresh slab's first n guards in one call; how many (0 or n). */
size_t async__guard_slab(char *base, size_t n, size_t stride, size_t page)
{
    return n && async__guard_stacks(-1, base, 0, n, stride, page) == 0 ? n : 0;
}
