/* test_limits.c: running out of memory while creating tasks is an error the
 * caller sees (NULL), not a crash; a task that overflows its stack is stopped
 * with a message that names it, not a bare segfault. */
#include "support.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int nap(void *arg)
{
    (void)arg;
    return async_sleep(0.01);
}

typedef struct many { long created; int refused; } many;

static int create_until_refused(void *arg)
{
    many *m = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (long i = 0; i < 10000000; i++) {
        if (!async_taskgroup_create_task(&tg, nap, NULL)) {
            m->refused = 1;
            break;
        }
        m->created++;
    }
    return async_taskgroup_wait(&tg);
}

static void running_out_of_memory_returns_null(void **state)
{
    (void)state;
    skip_unless_spawn_works();
    if (under_valgrind() || getenv("ASAN_OPTIONS") || strstr(getenv("BIN") ? getenv("BIN") : "", "asan")) {
        print_message("skipped: an address-space limit cannot be set under valgrind, ASan or an emulator\n");
        skip();
    }
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit lim = { 2u << 30, 2u << 30 };   /* 2 GiB of address space */
        setrlimit(RLIMIT_AS, &lim);
        many m = { 0, 0 };
        int rc = async_run(create_until_refused, &m);
        printf("created %ld, refused %d, rc %d\n", m.created, m.refused, rc);
        _exit(m.refused && rc == 0 ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static int recurse(int depth)
{
    volatile char frame[512];
    memset((char *)frame, depth & 0xff, sizeof frame);
    return depth > 0 ? recurse(depth - 1) + frame[1] : frame[0];
}

static int too_deep(void *arg)
{
    (void)arg;
    return recurse(1 << 20);       /* half a gigabyte of frames */
}

static int start_deep_one(void *arg)
{
    (void)arg;
    async_task *t = async_create_task(too_deep, NULL);
    async_task_set_name(t, "too_deep");
    return async_await(t);
}

static void a_stack_overflow_names_the_task(void **state)
{
    (void)state;
    skip_unless_spawn_works();
    char *err = NULL;
    int status = run_forked(start_deep_one, NULL, &err);
    print_message("exit status %d; stderr: %s", status, err);
    /* the fault itself, but named; AddressSanitizer then reports it and exits 1 */
    assert_true(status == 128 + SIGSEGV || (built_with_asan() && status == 1));
    assert_non_null(strstr(err, "async: task 'too_deep' overflowed its stack"));
    assert_non_null(strstr(err, "ASYNC_STACK_SIZE"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(running_out_of_memory_returns_null),
        cmocka_unit_test(a_stack_overflow_names_the_task),
    };
    return cmocka_run_group_tests_name("resource limits", tests, NULL, NULL);
}
