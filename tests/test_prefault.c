/* test_prefault.c: the helper thread that asks the kernel for new stacks'
 * pages (common/stacks/prefault.c). It must take page faults off the loop's thread,
 * never disturb a task's stack, and start afresh in a forked child. */
#include "support.h"
#include "platform.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(ASYNC_HAVE_POPULATE_ADVICE)
enum { TASKS = 8192, PAUSE_EVERY = 64 };

static long loop_thread_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_minflt;
}

/* Writes a pattern into its frame, sleeps, and checks the pattern survived:
 * a helper that wrote into stacks would break it. */
static int keep_pattern(void *arg)
{
    long id = (long)(intptr_t)arg;
    volatile unsigned char frame[256];
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (unsigned char)(id * 31 + (long)i);
    int rc = async_sleep(0.01);
    for (size_t i = 0; i < sizeof frame; i++)
        if (frame[i] != (unsigned char)(id * 31 + (long)i))
            return UV_EIO;
    return rc;
}

typedef struct run { long faults; int rc; } run;

/* Creates TASKS tasks, pausing 2 ms every PAUSE_EVERY of them so that a
 * helper, if there is one, has time to populate the slab ahead of the loop.
 * Counts the page faults the loop's own thread took while creating them. */
static int create_with_pauses(void *arg)
{
    run *r = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    long faults = 0;
    for (long i = 0; i < TASKS; i++) {
        long before = loop_thread_faults();
        if (!async_taskgroup_create_task(&tg, keep_pattern, (void *)(intptr_t)i))
            return UV_ENOMEM;
        faults += loop_thread_faults() - before;
        if (i % PAUSE_EVERY == PAUSE_EVERY - 1)
            usleep(2000);          /* blocks the loop on purpose: the helper runs */
    }
    r->faults = faults;
    r->rc = async_taskgroup_wait(&tg);
    return 0;
}

/* In a child: the scenario, its fault count reported on stderr. */
static int report_faults(void *arg)
{
    (void)arg;
    run r = { -1, -1 };
    int rc = create_with_pauses(&r);
    fprintf(stderr, "faults %ld\n", rc == 0 && r.rc == 0 ? r.faults : -1L);
    return rc ? rc : r.rc;
}

/* Runs the scenario in a fresh process with ASYNC_PREFAULT set as given;
 * returns the loop thread's faults, or -1. */
static long faults_in_child(const char *prefault)
{
    setenv("ASYNC_PREFAULT", prefault, 1);
    char *err = NULL;
    int status = run_forked(report_faults, NULL, &err);
    unsetenv("ASYNC_PREFAULT");
    long faults = -1;
    const char *line = err ? strstr(err, "faults ") : NULL;
    if (status != 0 || !line || sscanf(line, "faults %ld", &faults) != 1)
        print_message("the child ended with status %d; stderr: %s\n", status, err ? err : "");
    free(err);
    assert_int_equal(status, 0);
    return faults;
}

/* The loop thread's faults with no helper, measured once: one a task for
 * its stack, and under ASan one more for the stack's shadow, which the
 * helper does not touch. A run with the helper must save over half a
 * fault a task against it. */
static long faults_alone(void)
{
    static long alone = -1;
    if (alone < 0)
        alone = faults_in_child("0");
    return alone;
}

static void assert_helper_took_most(long with)
{
    long without = faults_alone();
    print_message("the loop thread's page faults creating %d tasks: %ld alone, %ld with the helper\n",
                  TASKS, without, with);
    assert_true(without >= TASKS * 9 / 10);   /* at least one fresh page a task */
    assert_true(with >= 0);
    assert_true(without - with > TASKS / 2);
}

static int kernel_populates(void)
{
#ifdef MADV_POPULATE_WRITE
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    int ok = madvise(p, 4096, MADV_POPULATE_WRITE) == 0;
    munmap(p, 4096);
    return ok;
#else
    return 0;
#endif
}

static void skip_without_helper(void)
{
    skip_unless_spawn_works();
    const char *setting = getenv("ASYNC_PREFAULT");
    if (setting && strcmp(setting, "0") == 0) {
        print_message("skipped: ASYNC_PREFAULT=0 is set, so there is no helper\n");
        skip();
    }
    if (under_valgrind() || under_emulator()) {
        print_message("skipped: no helper under valgrind; an emulator may not populate pages\n");
        skip();
    }
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) < 2) {
        print_message("skipped: this process may use one CPU only, so there is no helper\n");
        skip();
    }
    if (!kernel_populates()) {
        print_message("skipped: this kernel has no MADV_POPULATE_WRITE (Linux < 5.14), so no helper\n");
        skip();
    }
}

static void the_helper_takes_most_page_faults_off_the_loop(void **state)
{
    (void)state;
    skip_without_helper();
    assert_helper_took_most(faults_in_child("1"));
}

/* Forks while the helper is running (a few slabs' worth of tasks not yet
 * started); the child has no helper thread, so it must start its own: its
 * loop thread then takes few of the faults for the tasks it creates. */
static int fork_with_helper_running(void *arg)
{
    long *child_faults = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (long i = 0; i < 2048; i++)   /* 8 slabs: past the helper's start */
        if (!async_taskgroup_create_task(&tg, keep_pattern, (void *)(intptr_t)i))
            return UV_ENOMEM;
    int fds[2];
    if (pipe(fds) != 0)
        return UV_EMFILE;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return UV_EAGAIN;
    if (pid == 0) {
        alarm(20);                    /* a hang becomes SIGALRM, not a stuck suite */
        run r = { -1, -1 };
        int rc = create_with_pauses(&r);
        long out = rc == 0 && r.rc == 0 ? r.faults : -1;
        _exit(write(fds[1], &out, sizeof out) == sizeof out ? 0 : 1);
    }
    close(fds[1]);
    if (read(fds[0], child_faults, sizeof *child_faults) != sizeof *child_faults)
        *child_faults = -1;
    close(fds[0]);
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        *child_faults = -1;
    return async_taskgroup_wait(&tg);
}

static void a_forked_child_starts_its_own_helper(void **state)
{
    (void)state;
    skip_without_helper();
    long child_faults = -2;
    assert_int_equal(async_run(fork_with_helper_running, &child_faults), 0);
    print_message("in the child:\n");
    assert_helper_took_most(child_faults);
}

/* The baseline is taken here too, after a first run: under ASan the stack
 * shadow's pages stay mapped from one run to the next, so later runs fault
 * less than a fresh process does, with or without the helper. */
static void each_run_starts_the_helper_again(void **state)
{
    (void)state;
    skip_without_helper();
    run r = { -1, -1 };
    setenv("ASYNC_PREFAULT", "0", 1);
    assert_int_equal(async_run(create_with_pauses, &r), 0);    /* warms ASan's shadow */
    assert_int_equal(async_run(create_with_pauses, &r), 0);
    unsetenv("ASYNC_PREFAULT");
    long without = r.faults;
    print_message("without the helper, in this process: %ld page faults\n", without);
    assert_true(without >= TASKS * 9 / 10);
    for (int i = 0; i < 3; i++) {
        r = (run){ -1, -1 };
        assert_int_equal(async_run(create_with_pauses, &r), 0);
        assert_int_equal(r.rc, 0);
        print_message("run %d with the helper: %ld\n", i + 1, r.faults);
        assert_true(r.faults >= 0 && without - r.faults > TASKS / 2);
    }
}

#else

static void no_helper_in_this_build(void **state)
{
    (void)state;
    print_message("skipped: built without the populate advice (not Linux, or make "
                  "portable-test), so there is no helper\n");
    skip();
}

#endif /* ASYNC_HAVE_POPULATE_ADVICE */

int main(void)
{
#if !defined(ASYNC_HAVE_POPULATE_ADVICE)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_helper_in_this_build),
    };
#else
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_helper_takes_most_page_faults_off_the_loop),
        cmocka_unit_test(a_forked_child_starts_its_own_helper),
        cmocka_unit_test(each_run_starts_the_helper_again),
    };
#endif
    return cmocka_run_group_tests_name("stacks: the page-fault helper", tests, NULL, NULL);
}
