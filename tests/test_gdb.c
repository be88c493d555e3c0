/* test_gdb.c: a running ./step3 crawling URLs that never answer, seen from
 * outside: scripts/async-ps PID prints its task tree; gdb -p PID lists the
 * tasks (info async-tasks) and backtraces a parked one through its own stack
 * (async-bt 2), also from a core dump (gcore); Ctrl-\ (SIGQUIT) prints every
 * task with its GET and URL and the crawl goes on; Ctrl-C then ends it with
 * status 130.
 * Skips, saying why, without gdb, without permission to trace a process, or
 * under an emulator (gdb -p would see qemu, not the program): there, for
 * make cross-test, gdb-multiarch attaches through qemu's gdbstub instead. */
#include "wb_demo_server.h"
#include "support.h"
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static wb_demo_server *demo;
static int have_gdb;
static pid_t crawler = -1;
static char err_path[64], out_path[64];
static char safe_dir[PATH_MAX];         /* the programs' folder, for gdb's safe-path */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *text = calloc(1, 1 << 20);
    if (f && text) {
        size_t n = fread(text, 1, (1 << 20) - 1, f);
        text[n] = '\0';
    }
    if (f)
        fclose(f);
    return text;
}

/* cmd's stdout and stderr, together. */
static char *run_shell(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 20, len = 0;
    char *text = calloc(1, cap);
    assert_non_null(text);
    size_t n;
    while ((n = fread(text + len, 1, cap - 1 - len, p)) > 0)
        len += n;
    text[len] = '\0';
    pclose(p);
    return text;
}

static int count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void skip_because(const char *why)
{
    print_message("skipped: %s\n", why);
    skip();
}

/* Four URLs: two that hang, one answered after 10 s, and a fourth that
 * queues for the semaphore (at most three at a time). */
static void crawl_urls(char urls[4][96])
{
    int port = wb_demo_server_port(demo);
    snprintf(urls[0], sizeof urls[0], "http://127.0.0.1:%d/hang", port);
    snprintf(urls[1], sizeof urls[1], "http://127.0.0.1:%d/hang", port);
    snprintf(urls[2], sizeof urls[2], "http://127.0.0.1:%d/delay/10000", port);
    snprintf(urls[3], sizeof urls[3], "http://127.0.0.1:%d/hang", port);
}

/* Starts ./step3 on them. */
static void start_crawler(void)
{
    char urls[4][96];
    crawl_urls(urls);
    snprintf(err_path, sizeof err_path, "/tmp/test_gdb.%d.err", (int)getpid());
    snprintf(out_path, sizeof out_path, "/tmp/test_gdb.%d.out", (int)getpid());
    fflush(NULL);
    crawler = fork();
    assert_true(crawler >= 0);
    if (crawler == 0) {
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out, 1);
        dup2(err, 2);
        /* gcore cannot read a slab with guard pages (the kernel's own core
         * dumps can): none here, so that the core dump test has the stacks */
        setenv("ASYNC_GUARDED_STACKS", "0", 1);
        execl(test_bin("step3"), "step3", "--max-concurrent", "3", "--timeout", "120",
              urls[0], urls[1], urls[2], urls[3], (char *)NULL);
        _exit(127);
    }
}

/* scripts/async-ps PID, until its tree shows what the test waits for. */
static char *tree_when(const char *needle, int times, double limit)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "scripts/async-ps %d 2>&1", (int)crawler);
    double start = now_seconds();
    for (;;) {
        char *tree = run_shell(cmd);
        if (count(tree, needle) >= times || now_seconds() - start > limit)
            return tree;
        free(tree);
        usleep(200 * 1000);
    }
}

static int setup(void **state)
{
    (void)state;
    have_gdb = system("command -v gdb >/dev/null 2>&1") == 0;
    if (!have_gdb)
        return 0;                       /* each test says why it skips */
    demo = wb_demo_server_start(NULL);
    return demo ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (crawler > 0) {              /* a test failed half way */
        kill(crawler, SIGKILL);
        waitpid(crawler, NULL, 0);
    }
    unlink(err_path);
    unlink(out_path);
    if (demo)
        wb_demo_server_stop(demo);
    return 0;
}

static void skip_unless_gdb_can_attach(void)
{
    if (under_emulator())
        skip_because("gdb -p would attach to the emulator, not the program");
    skip_unless_spawn_works();
    if (!have_gdb)
        skip_because("gdb is not installed (Debian: apt-get install gdb)");
}

static void async_ps_prints_the_tree_of_a_running_crawl(void **state)
{
    (void)state;
    skip_unless_gdb_can_attach();
    start_crawler();
    char *tree = tree_when("waits on HTTP GET", 3, 20);
    fputs(tree, stdout);
    if (strstr(tree, "ptrace") || strstr(tree, "not permitted")) {
        free(tree);
        skip_because("this machine does not let a process trace another (ptrace)");
    }
    char want[160];
    snprintf(want, sizeof want, "fetch_url #2 waits on HTTP GET http://127.0.0.1:%d/hang at "
             "step3-semaphore/step3.c:", wb_demo_server_port(demo));
    assert_non_null(strstr(tree, want));
    assert_non_null(strstr(tree, "└── main #1 waits on its task group, 4 children left"));
    assert_int_equal(count(tree, "── fetch_url #"), 4);
    assert_non_null(strstr(tree, "/delay/10000 at step3-semaphore/step3.c:"));
    assert_non_null(strstr(tree, "fetch_url #5 waits on semaphore job->sem, 1st of 1 in line"));
    free(tree);
}

/* async-ps as every program of the workbook: --help on stdout, a bad
 * argument in one line with status 2, a process that is no workbook program
 * named (it printed nothing and exited 0), a full disk a line and status 1
 * (it exited 0). */
static void async_ps_says_what_is_wrong(void **state)
{
    (void)state;
    char *help[] = { "/bin/sh", "scripts/async-ps", "--help", NULL };
    proc_result r = run_program(help, NULL, 10, 0);
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "usage: async-ps PID", strlen("usage: async-ps PID"));
    assert_string_equal(r.err, "");
    proc_result_free(&r);
    char *bad[][2] = { { "abc", NULL }, { "0", NULL }, { "5x", NULL }, { "-x", NULL },
                       { "1", "2" }, { NULL, NULL } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[] = { "/bin/sh", "scripts/async-ps", bad[i][0], bad[i][1], NULL };
        r = run_program(argv, NULL, 10, 0);
        assert_int_equal(r.status, 2);
        assert_int_equal(count(r.err, "\n"), 1);
        assert_memory_equal(r.err, "async-ps: ", strlen("async-ps: "));
        proc_result_free(&r);
    }
    skip_unless_gdb_can_attach();
    if (crawler <= 0)
        skip_because("no crawler: the test before it skipped");
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)crawler);
    char *full[] = { "/bin/sh", "scripts/async-ps", pid, NULL };
    r = run_program_stdout(full, NULL, 30, "/dev/full");
    print_message("async-ps > /dev/full: status %d, err '%s'\n", r.status, r.err);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "async-ps: cannot write to stdout"));
    proc_result_free(&r);
    pid_t other = fork();             /* a process with no task list */
    assert_true(other >= 0);
    if (other == 0) {
        execl("/bin/sleep", "sleep", "30", (char *)NULL);
        _exit(127);
    }
    usleep(100 * 1000);
    snprintf(pid, sizeof pid, "%d", (int)other);
    r = run_program(full, NULL, 30, 0);
    kill(other, SIGKILL);
    waitpid(other, NULL, 0);
    print_message("async-ps on sleep: status %d, err '%s'\n", r.status, r.err);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "async-ps: process "));
    assert_non_null(strstr(r.err, ": no task list here"));
    assert_int_equal(count(r.err, "\n"), 1);
    proc_result_free(&r);
}

/* The functions of a backtrace's frames, in order: "switch_into,to_loop,...,". */
static void frame_functions(const char *bt, char *out, size_t size)
{
    out[0] = '\0';
    for (const char *p = bt; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (*p != '#')
            continue;
        const char *f = p + strcspn(p, " ");        /* past "#N" */
        f += strspn(f, " ");
        if (strncmp(f, "0x", 2) == 0) {             /* "0x... in name (" */
            const char *in = strstr(f, " in ");
            if (!in)
                continue;
            f = in + 4;
        }
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%.*s,", (int)strcspn(f, " (\n"), f);
    }
}

/* TUTORIAL's async-bt transcript is not run by the docs test (it needs gdb
 * and a process to attach to): its frames are checked here instead, by
 * function, since addresses and line numbers change from build to build. */
static void tutorial_shows_these_frames(const char *bt)
{
#if defined(__clang__) || !defined(__OPTIMIZE__) || defined(ASYNC_ASAN) || \
    defined(ASYNC_CONTEXT_UCONTEXT)
    (void)bt;
    print_message("TUTORIAL's frames not compared: they are plain make's (gcc, -O2, the "
                  "assembly switch), and this build inlines or switches differently\n");
    return;
#endif
    if (under_valgrind()) {
        print_message("TUTORIAL's frames not compared under valgrind\n");
        return;
    }
    char *doc = slurp("TUTORIAL.md");
    char *shown = strstr(doc, "\ntask fetch_url #2: waits");
    assert_non_null(shown);
    char *end = strstr(shown, "\n```");
    assert_non_null(end);
    *end = '\0';
    char want[1024], got[1024];
    frame_functions(shown, want, sizeof want);
    frame_functions(bt, got, sizeof got);
    print_message("async-bt's frames: %s\nTUTORIAL shows: %s\n", got, want);
    assert_string_equal(got, want);
    free(doc);
}

static void gdb_lists_the_tasks_and_backtraces_a_parked_one(void **state)
{
    (void)state;
    skip_unless_gdb_can_attach();
    if (crawler <= 0)
        skip_because("no crawler: the test before it skipped");
    char cmd[PATH_MAX + 256];
    snprintf(cmd, sizeof cmd, "gdb -nx -p %d -batch -iex 'add-auto-load-safe-path %s' "
             "-ex 'info async-tasks' -ex 'async-bt 2' 2>&1", (int)crawler, safe_dir);
    char *out = run_shell(cmd);
    fputs(out, stdout);
    assert_int_equal(count(out, "── fetch_url #"), 4);
    assert_non_null(strstr(out, "task fetch_url #2: waits on HTTP GET"));
    /* async-bt 2: frames on the task's own stack, down to fetch_url */
    const char *bt = strstr(out, "task fetch_url #2:");
    assert_non_null(bt);
    assert_non_null(strstr(bt, "async_http_get_at ("));
    assert_non_null(strstr(bt, " fetch_url (arg="));
    assert_non_null(strstr(bt, "step3-semaphore/step3.c:"));
    assert_non_null(strstr(bt, " task_entry ()"));
    /* task_entry is the last frame: the task's stack starts there (no `?? ()`
     * frame for the zero return address above it, which gdb alone prints) */
    assert_null(strstr(strstr(bt, " task_entry ()"), "\n#"));
    assert_null(strstr(bt, "?? ()"));
    tutorial_shows_these_frames(bt);
    /* and gdb detached: the crawl is still there */
    assert_int_equal(waitpid(crawler, NULL, WNOHANG), 0);
    free(out);
}

static void gdb_reads_the_tasks_from_a_core_dump(void **state)
{
    (void)state;
    skip_unless_gdb_can_attach();
    if (crawler <= 0)
        skip_because("no crawler: the test before it skipped");
    if (system("command -v gcore >/dev/null 2>&1") != 0)
        skip_because("no gcore (it comes with gdb)");
#ifdef ASYNC_ASAN
    skip_because("gcore of an AddressSanitizer program writes its shadow memory (minutes)");
#endif
    char core[96], cmd[2 * PATH_MAX + 256];
    snprintf(core, sizeof core, "/tmp/test_gdb.%d.core", (int)getpid());
    snprintf(cmd, sizeof cmd, "gcore -o %s %d >/dev/null 2>&1", core, (int)crawler);
    assert_int_equal(system(cmd), 0);
    snprintf(core + strlen(core), sizeof core - strlen(core), ".%d", (int)crawler);
    snprintf(cmd, sizeof cmd, "gdb -nx -batch -iex 'add-auto-load-safe-path %s' %s/step3 %s "
             "-ex 'info async-tasks' -ex 'async-bt 2' 2>&1", safe_dir, safe_dir, core);
    char *out = run_shell(cmd);
    unlink(core);
    fputs(out, stdout);
    assert_int_equal(count(out, "── fetch_url #"), 4);
    assert_non_null(strstr(out, "fetch_url #5 waits on semaphore job->sem, 1st of 1 in line"));
    const char *bt = strstr(out, "task fetch_url #2:");
    assert_non_null(bt);
    assert_non_null(strstr(bt, " fetch_url (arg="));
    assert_non_null(strstr(bt, " task_entry ()"));
    assert_null(strstr(strstr(bt, " task_entry ()"), "\n#"));     /* the last frame */
    assert_int_equal(waitpid(crawler, NULL, WNOHANG), 0);  /* gcore let it go on */
    free(out);
}

static void ctrl_backslash_prints_every_get_and_the_crawl_goes_on(void **state)
{
    (void)state;
    skip_unless_gdb_can_attach();
    if (crawler <= 0)
        skip_because("no crawler: the test before it skipped");
    kill(crawler, SIGQUIT);
    char *err = NULL;
    for (double start = now_seconds(); now_seconds() - start < 10; usleep(50 * 1000)) {
        free(err);
        err = slurp(err_path);
        if (strstr(err, "semaphore job->sem: "))          /* the tree's last line */
            break;
    }
    fputs(err, stdout);
    assert_non_null(strstr(err, "async: Ctrl-\\ (SIGQUIT): every task and where it waits"));
    int port = wb_demo_server_port(demo);
    char hang[128], delay[128];
    snprintf(hang, sizeof hang, "waits on HTTP GET http://127.0.0.1:%d/hang at step3-semaphore/",
             port);
    snprintf(delay, sizeof delay, "waits on HTTP GET http://127.0.0.1:%d/delay/10000 at step3-",
             port);
    assert_int_equal(count(err, hang), 2);
    assert_int_equal(count(err, delay), 1);
    assert_int_equal(count(err, "waits on semaphore job->sem"), 1);
    free(err);
    /* The crawl goes on: the delayed page is answered, and its permit passes
     * to the queued task, whose GET starts. */
    char *tree = tree_when(hang, 3, 20);
    fputs(tree, stdout);
    assert_int_equal(count(tree, hang), 3);
    assert_null(strstr(tree, "/delay/10000"));
    assert_null(strstr(tree, "waits on semaphore"));
    free(tree);
    /* Ctrl-C ends it, 130 */
    kill(crawler, SIGINT);
    int st = 0;
    double start = now_seconds();
    while (waitpid(crawler, &st, WNOHANG) == 0 && now_seconds() - start < 20)
        usleep(50 * 1000);
    crawler = -1;
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 130);
    char *out = slurp(out_path);
    assert_non_null(strstr(out, "/delay/10000"));             /* its line, printed at exit */
    free(out);
}

/* Under make cross-test (qemu-user): gdb-multiarch through qemu's gdbstub.
 * gdb stops the crawl when it gets Ctrl-\ (SIGQUIT), with every task parked:
 * the AArch64 switch's saved frame is what async-bt unwinds. */
static void gdb_multiarch_backtraces_a_task_under_qemu(void **state)
{
    (void)state;
    if (!under_emulator())
        skip_because("for make cross-test (an emulator): natively, the tests above run gdb -p");
    if (!have_gdb || system("command -v gdb-multiarch >/dev/null 2>&1") != 0)
        skip_because("no gdb-multiarch (Debian: apt-get install gdb-multiarch)");
    char urls[4][96], cmd[4 * PATH_MAX + 1024];
    crawl_urls(urls);
    int port = 20000 + (int)(getpid() % 20000);
    snprintf(cmd, sizeof cmd,
             "%s -g %d %s/step3 --max-concurrent 3 --timeout 120 %s %s %s %s >/dev/null 2>&1 & "
             "q=$!; (sleep 8; kill -QUIT $q) & "
             "timeout 120 gdb-multiarch -nx -batch -iex 'add-auto-load-safe-path %s' "
             "-iex 'set sysroot /' %s/step3 -ex 'target remote :%d' -ex continue "
             "-ex 'info async-tasks' -ex 'async-bt 2' -ex kill 2>&1; wait",
             getenv("TEST_RUNNER"), port, safe_dir, urls[0], urls[1], urls[2], urls[3],
             safe_dir, safe_dir, port);
    char *out = run_shell(cmd);
    fputs(out, stdout);
    assert_int_equal(count(out, "── fetch_url #"), 4);
    const char *bt = strstr(out, "task fetch_url #2:");
    assert_non_null(bt);
    assert_non_null(strstr(bt, "async_http_get_at ("));
    assert_non_null(strstr(bt, " fetch_url (arg="));
    assert_non_null(strstr(bt, " task_entry ()"));
    free(out);
}

int main(void)
{
    const char *bin = getenv("BIN");
    if (!realpath(bin && *bin ? bin : ".", safe_dir))
        snprintf(safe_dir, sizeof safe_dir, ".");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(async_ps_prints_the_tree_of_a_running_crawl),
        cmocka_unit_test(async_ps_says_what_is_wrong),
        cmocka_unit_test(gdb_lists_the_tasks_and_backtraces_a_parked_one),
        cmocka_unit_test(gdb_reads_the_tasks_from_a_core_dump),
        cmocka_unit_test(ctrl_backslash_prints_every_get_and_the_crawl_goes_on),
        cmocka_unit_test(gdb_multiarch_backtraces_a_task_under_qemu),
    };
    return cmocka_run_group_tests_name("gdb and Ctrl-\\ on a running crawl", tests, setup, teardown);
}
