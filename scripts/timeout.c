/* timeout.c: a portable stand-in for GNU timeout (macOS and the BSDs have
 * none), built by make into build/tools/timeout for tests/run, the exercises
 * and tests/valgrind-steps. POSIX only.
 *
 *   timeout [-k GRACE] [-s SIGNAL] [--preserve-status] DURATION COMMAND [ARG...]
 *   (also --kill-after=GRACE, --signal=SIGNAL)
 *
 * Runs COMMAND in a process group of its own. If it has not finished after
 * DURATION seconds (a number, with an optional s, m, h or d), SIGNAL (default
 * TERM) goes to the whole group, so its children die with it, and a line on
 * stderr says so; with -k, whatever is still in the group GRACE seconds later
 * gets SIGKILL. Exit status: 124 if it timed out (its own status with
 * --preserve-status), else COMMAND's (128+N if signal N ended it); 125 if
 * timeout itself failed, 126 if COMMAND could not run, 127 if it was not
 * found. INT, TERM, HUP and QUIT sent to timeout are passed on to the group.
 * A DURATION of 0 means no limit. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int wake_fd = -1;                 /* write end of the self-pipe */

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    if (write(wake_fd, &b, 1) < 0) {
        /* the pipe is full: a wake-up is already pending */
    }
    errno = saved;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
    fprintf(stderr, "usage: timeout [-k GRACE] [-s SIGNAL] [--preserve-status] DURATION COMMAND [ARG...]\n");
    return 125;
}

/* "1.5", "30s", "2m", "1h", "1d" -> seconds; -1 if not a duration. */
static double parse_duration(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno != 0 || v < 0 || v != v)
        return -1;
    switch (*end) {
    case '\0': case 's': break;
    case 'm': v *= 60; break;
    case 'h': v *= 3600; break;
    case 'd': v *= 86400; break;
    default: return -1;
    }
    if (*end != '\0' && end[1] != '\0')
        return -1;
    return v;
}

static const struct { const char *name; int sig; } signals[] = {
    { "TERM", SIGTERM }, { "INT", SIGINT }, { "HUP", SIGHUP }, { "QUIT", SIGQUIT },
    { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "ALRM", SIGALRM },
};

static int parse_signal(const char *s)
{
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (strcmp(s, signals[i].name) == 0)
            return signals[i].sig;
    char *end;
    long n = strtol(s, &end, 10);
    return (end != s && *end == '\0' && n > 0 && n < 64) ? (int)n : -1;
}

static const char *signal_name(int sig)
{
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (signals[i].sig == sig)
            return signals[i].name;
    return "a signal";
}

/* The command as one line, shortened if long, for the messages. */
static void describe(char **argv, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; argv[i] && used + 1 < size; i++) {
        int n = snprintf(out + used, size - used, "%s%s", i ? " " : "", argv[i]);
        if (n < 0 || (size_t)n >= size - used) {
            if (size > 4)
                strcpy(out + size - 4, "...");
            return;
        }
        used += (size_t)n;
    }
}

/* Signals the command's group (the command itself if the group is gone). */
static void signal_group(pid_t pid, int sig)
{
    if (kill(-pid, sig) != 0)
        kill(pid, sig);
}

int main(int argc, char **argv)
{
    double grace = 0;
    int sig = SIGTERM, preserve = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--help") == 0) {      /* as GNU's: stdout, status 0 */
            printf("usage: timeout [-k GRACE] [-s SIGNAL] [--preserve-status] DURATION COMMAND [ARG...]\n");
            return 0;
        } else if (strcmp(argv[i], "--preserve-status") == 0) {
            preserve = 1;
        } else if ((strcmp(argv[i], "-k") == 0 && i + 1 < argc) || strncmp(argv[i], "--kill-after=", 13) == 0) {
            const char *v = argv[i][1] == 'k' ? argv[++i] : argv[i] + 13;
            if ((grace = parse_duration(v)) < 0) {
                fprintf(stderr, "timeout: -k %s is not a duration\n", v);
                return usage();
            }
        } else if ((strcmp(argv[i], "-s") == 0 && i + 1 < argc) || strncmp(argv[i], "--signal=", 9) == 0) {
            const char *v = argv[i][1] == 's' ? argv[++i] : argv[i] + 9;
            if ((sig = parse_signal(v)) < 0) {
                fprintf(stderr, "timeout: -s %s is not a signal\n", v);
                return usage();
            }
        } else {
            fprintf(stderr, "timeout: unknown option %s\n", argv[i]);
            return usage();
        }
    }
    if (argc - i < 2)
        return usage();
    double limit = parse_duration(argv[i]);
    if (limit < 0) {
        fprintf(stderr, "timeout: %s is not a duration\n", argv[i]);
        return usage();
    }
    char **cmd = argv + i + 1;
    char what[200];
    describe(cmd, what, sizeof what);

    int wake[2];
    if (pipe(wake) != 0) {
        perror("timeout: pipe");
        return 125;
    }
    for (int k = 0; k < 2; k++) {
        fcntl(wake[k], F_SETFL, fcntl(wake[k], F_GETFL) | O_NONBLOCK);
        fcntl(wake[k], F_SETFD, FD_CLOEXEC);
    }
    wake_fd = wake[1];

    /* SIGCHLD wakes the loop; these are passed on to the command's group,
     * unless they were ignored when we started (a shell's background job). */
    static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    for (size_t k = 0; k < sizeof forwarded / sizeof forwarded[0]; k++) {
        struct sigaction old;
        if (sigaction(forwarded[k], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(forwarded[k], &sa, NULL);
    }

    pid_t pid = fork();
    if (pid < 0) {
        perror("timeout: fork");
        return 125;
    }
    if (pid == 0) {
        setpgid(0, 0);
        execvp(cmd[0], cmd);
        int e = errno;
        fprintf(stderr, "timeout: cannot run %s: %s\n", cmd[0], strerror(e));
        _exit(e == ENOENT ? 127 : 126);
    }
    setpgid(pid, pid);             /* also here, so that no signal can miss the group */

    double start = now(), deadline = limit > 0 ? start + limit : 0, kill_at = 0;
    int timed_out = 0, killed = 0, status = 0, reaped = 0;
    for (;;) {
        if (!reaped) {
            pid_t r = waitpid(pid, &status, WNOHANG);
            if (r == pid)
                reaped = 1;
            else if (r < 0 && errno != EINTR) {
                perror("timeout: waitpid");
                return 125;
            }
        }
        double t = now();
        if (!timed_out && deadline > 0 && t >= deadline && !reaped) {
            timed_out = 1;
            fprintf(stderr, "timeout: %s did not finish within %g s; stopped it%s%s\n", what, limit,
                    sig == SIGTERM ? "" : " with SIG", sig == SIGTERM ? "" : signal_name(sig));
            signal_group(pid, sig);
            if (sig != SIGKILL)
                signal_group(pid, SIGCONT);     /* a stopped process must see it too */
            if (grace > 0)
                kill_at = t + grace;
        }
        if (timed_out && kill_at > 0 && !killed && t >= kill_at) {
            killed = 1;
            if (!reaped || kill(-pid, 0) == 0) {
                fprintf(stderr, "timeout: %s still running %g s later; killed it\n", what, grace);
                signal_group(pid, SIGKILL);
            }
        }
        /* Done when the command has ended, unless it timed out with a grace
         * and some of its children are still in its group: they get the
         * rest of the grace, then SIGKILL. */
        if (reaped && (!timed_out || kill_at == 0 || killed || kill(-pid, 0) != 0))
            break;

        int wait_ms = -1;
        double next = !timed_out ? deadline : (!killed ? kill_at : 0);
        if (next > 0)
            wait_ms = next > t ? (int)((next - t) * 1000) + 1 : 0;
        if (reaped && (wait_ms < 0 || wait_ms > 50))
            wait_ms = 50;               /* children of an ended command: no SIGCHLD tells */
        if (wait_ms > 3600 * 1000)
            wait_ms = 3600 * 1000;
        struct pollfd p = { .fd = wake[0], .events = POLLIN };
        if (poll(&p, 1, wait_ms) > 0) {
            unsigned char b[64];
            ssize_t n;
            while ((n = read(wake[0], b, sizeof b)) > 0)
                for (ssize_t k = 0; k < n; k++)
                    if (b[k] != SIGCHLD)
                        signal_group(pid, b[k]);
        }
    }

    if (timed_out && !preserve)
        return 124;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
}
