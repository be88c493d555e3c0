/* platform.h: what the core asks of the machine, probed in one place.
 *
 * Each probe is a feature test (does the header or the syscall number
 * exist?), never a test of the OS's name, so that macOS and the BSDs take the
 * portable path by themselves. Every fast path here has a plain fallback.
 */
#ifndef ASYNC_PLATFORM_H
#define ASYNC_PLATFORM_H

#include <stddef.h>
#include <sys/types.h>

/* AddressSanitizer must be told of every stack switch (core.c) and owns the
 * SIGSEGV handler (stack_overflow.c). */
#if defined(__SANITIZE_ADDRESS__)
#define ASYNC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASYNC_ASAN 1
#endif
#endif

/* valgrind must be told where task stacks are, and runs one thread at a
 * time (the prefault helper would gain nothing there). */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define ASYNC_HAVE_VALGRIND 1
#endif
#endif

static inline int async__on_valgrind(void)
{
#ifdef ASYNC_HAVE_VALGRIND
    return RUNNING_ON_VALGRIND != 0;
#else
    return 0;
#endif
}

/* The fast paths, each named by what it needs. `make portable-test` builds
 * with -DASYNC_PORTABLE: every one of them off, as on macOS and the BSDs,
 * so that the plain paths are tested here too.
 *   ASYNC_HAVE_PROCESS_MADVISE  many pages advised in one call (Linux 5.10+)
 *   ASYNC_HAVE_GUARD_ADVICE     guard pages in the page table (Linux 6.13+)
 *   ASYNC_HAVE_POPULATE_ADVICE  pages mapped ahead of use (Linux 5.14+), the
 *                               prefault helper's tool
 *   ASYNC_HAVE_SOCK_CLOEXEC     close-on-exec set by socket() itself
 */
#include <sys/mman.h>
#include <sys/socket.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif
#if !defined(ASYNC_PORTABLE)
#if defined(__linux__)
#define ASYNC_HAVE_GUARD_ADVICE 1
#define ASYNC_HAVE_POPULATE_ADVICE 1
#endif
#if defined(SOCK_CLOEXEC)
#define ASYNC_HAVE_SOCK_CLOEXEC 1
#endif
#endif

/* Linux's process_madvise on ourselves (through a pidfd): many pages advised
 * in one call. Elsewhere async__pidfd_self() is -1 and callers advise one
 * page at a time. The pidfd is close-on-exec; a forked child must not keep
 * its parent's. */
#if defined(SYS_pidfd_open) && defined(SYS_process_madvise) && !defined(ASYNC_PORTABLE)
#define ASYNC_HAVE_PROCESS_MADVISE 1
#include <sys/uio.h>
#include <unistd.h>
static inline int async__pidfd_self(void)
{
    return (int)syscall(SYS_pidfd_open, getpid(), 0);
}
static inline long async__process_madvise(int pidfd, const struct iovec *iov, size_t n, int advice)
{
    return syscall(SYS_process_madvise, pidfd, iov, n, advice, 0);
}
#else
static inline int async__pidfd_self(void) { return -1; }
#endif

#endif
