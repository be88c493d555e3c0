/* peak_rss.c: runs a command and prints its peak resident set size on stderr
 * as "rss_kib N", what GNU `/usr/bin/time -f "rss_kib %M"` printed (macOS and
 * the BSDs have no -f). Built by make into build/tools/peak-rss for bench/run.
 *
 *   peak-rss COMMAND [ARG...]
 *
 * Exits with the command's status (128+N if signal N ended it, 127 if it was
 * not found). POSIX: getrusage(RUSAGE_CHILDREN) once the command has been
 * waited for covers only it, this being a small process with no other child;
 * ru_maxrss is in KiB on Linux and the BSDs, in bytes on macOS. (A forked
 * child's peak counts the parent's pages until exec, so the parent is kept
 * small: in Python, say, every figure would start at Python's own size.) */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: peak-rss COMMAND [ARG...]\n");
        return 125;
    }
    if (strcmp(argv[1], "--help") == 0) {
        printf("usage: peak-rss COMMAND [ARG...]\n  runs COMMAND, then prints 'rss_kib N', its peak "
               "resident memory, on stderr\n");
        return 0;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("peak-rss: fork");
        return 125;
    }
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        int e = errno;
        fprintf(stderr, "peak-rss: cannot run %s: %s\n", argv[1], strerror(e));
        _exit(e == ENOENT ? 127 : 126);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("peak-rss: waitpid");
            return 125;
        }
    }
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) != 0) {
        perror("peak-rss: getrusage");
        return 125;
    }
    long kib = (long)ru.ru_maxrss;
#ifdef __APPLE__
    kib /= 1024;
#endif
    fprintf(stderr, "rss_kib %ld\n", kib);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
}
