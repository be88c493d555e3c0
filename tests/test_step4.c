/* test_step4.c: the line splitter, the file reads, the generator around them,
 * and ./step4 end to end on each awkward kind of input. */
#include "async_file.h"
#include "async_lines.h"
#include "support.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/async-step4-XXXXXX";

static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static proc_result step4(const char *a1, const char *a2, const char *a3, const char *a4)
{
    char *argv[] = { (char *)test_bin("step4"), (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };
    return run_program(argv, NULL, 60, 0);
}

/* ------------------------------------------------------ the splitter */

typedef struct split_out { char buf[4096]; size_t len; int lines; } split_out;

static void collect(split_out *o, const char *line, size_t len)
{
    memcpy(o->buf + o->len, line, len);
    o->len += len;
    o->buf[o->len++] = '|';
    o->lines++;
}

static void split_in_chunks(const char *in, size_t n, size_t chunk, split_out *o)
{
    async_line_splitter s;
    const char *line;
    size_t len;
    async_lines_init(&s, 0);
    memset(o, 0, sizeof *o);
    for (size_t at = 0; at < n; at += chunk) {
        async_lines_feed(&s, in + at, n - at < chunk ? n - at : chunk);
        while (async_lines_next(&s, &line, &len) == 1)
            collect(o, line, len);
    }
    if (async_lines_finish(&s, &line, &len))
        collect(o, line, len);
    async_lines_free(&s);
}

static void the_splitter_gives_the_same_lines_for_every_chunking(void **state)
{
    (void)state;
    static const char in[] = "first\r\n\nsecond line\nwith\0nul\n\r\nlast, no newline";
    size_t n = sizeof in - 1;
    split_out whole, part;
    split_in_chunks(in, n, n, &whole);
    assert_int_equal(whole.lines, 6);
    assert_memory_equal(whole.buf, "first||second line|with\0nul||last, no newline|", whole.len);
    for (size_t chunk = 1; chunk < n; chunk++) {
        split_in_chunks(in, n, chunk, &part);
        assert_int_equal(part.len, whole.len);
        assert_memory_equal(part.buf, whole.buf, whole.len);
    }
}

static void a_line_longer_than_the_limit_is_an_error(void **state)
{
    (void)state;
    char in[100];
    memset(in, 'x', sizeof in);
    async_line_splitter s;
    const char *line;
    size_t len;
    async_lines_init(&s, 50);
    async_lines_feed(&s, "ok\n", 3);
    assert_int_equal(async_lines_next(&s, &line, &len), 1);
    assert_int_equal(async_lines_next(&s, &line, &len), 0);
    async_lines_feed(&s, in, 30);
    assert_int_equal(async_lines_next(&s, &line, &len), 0);
    async_lines_feed(&s, in, 30);
    assert_int_equal(async_lines_next(&s, &line, &len), UV_E2BIG);
    assert_int_equal(s.line_no + 1, 2);
    async_lines_free(&s);
}

/* ------------------------------------------- the generator, closed early */

typedef struct reader_case { const char *path; int cleaned; int got; int close_rc; int fds_before_close, fds_after_close; } reader_case;

/* How many of our open descriptors point at a path ending in name. */
static int count_fds(const char *name)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        char link[300], target[512];
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t len = readlink(link, target, sizeof target - 1);
        if (len <= 0)
            continue;
        target[len] = 0;
        size_t tl = strlen(target), nl = strlen(name);
        if (tl >= nl && strcmp(target + tl - nl, name) == 0)
            n++;
    }
    closedir(d);
    return n;
}

static int produce_lines(async_generator *g, void *arg)
{
    reader_case *c = arg;
    static char chunk[64];
    async_file f;
    int rc = async_file_open(&f, c->path);
    if (rc)
        return rc;
    async_line_reader r;
    async_line_reader_init(&r, &f, chunk, sizeof chunk, 0);
    const char *line;
    size_t len;
    while ((rc = async_line_reader_next(&r, &line, &len)) == 1)
        if ((rc = async_yield(g, (void *)line)))
            break;
    async_line_reader_free(&r);
    async_file_close(&f);
    c->cleaned = 1;
    return rc < 0 ? rc : 0;
}

static int consume_two(void *arg)
{
    reader_case *c = arg;
    async_generator *g = async_generator_create(produce_lines, c);
    void *item;
    while (c->got < 2 && async_next(g, &item) == 1)
        c->got++;
    c->fds_before_close = count_fds("/many.log");
    c->close_rc = async_generator_close(g);
    c->fds_after_close = count_fds("/many.log");
    return 0;
}

static void closing_the_generator_early_closes_the_file(void **state)
{
    (void)state;
    char text[4400];
    for (int i = 0; i < 400; i++)
        memcpy(text + i * 11, "line ERROR\n", 11);
    reader_case c = { write_file("many.log", text, sizeof text), 0, 0, -1, 0, 0 };
    assert_int_equal(async_run(consume_two, &c), 0);
    assert_int_equal(c.got, 2);
    assert_int_equal(c.cleaned, 1);
    assert_int_equal(c.close_rc, 0);
    assert_int_equal(c.fds_before_close, 1);   /* open while the generator runs */
    assert_int_equal(c.fds_after_close, 0);    /* closed by the time close returns */
}

/* ------------------------------------------ a timeout around a file read */

static char fifo_path[256];

static void *late_writer(void *arg)
{
    (void)arg;
    int fd = open(fifo_path, O_WRONLY);
    usleep(500000);                         /* writes only after the deadline */
    if (write(fd, "late\n", 5) < 0) { /* the reader may be gone */ }
    close(fd);
    return NULL;
}

typedef struct fifo_case { int rc; double took; } fifo_case;

static int read_with_timeout(void *arg)
{
    fifo_case *c = arg;
    char buf[64];
    async_file f;
    double start = async_time();
    int rc = async_file_open(&f, fifo_path);
    if (rc)
        return rc;
    async_timeout t;
    async_timeout_enter(&t, 0.1);
    ssize_t n = async_file_read(&f, buf, sizeof buf);
    c->rc = async_timeout_exit(&t, n < 0 ? (int)n : 0);
    c->took = async_time() - start;
    return async_file_close(&f);
}

static void a_timeout_around_a_blocked_read(void **state)
{
    (void)state;
    snprintf(fifo_path, sizeof fifo_path, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo_path, 0600), 0);
    pthread_t writer;
    pthread_create(&writer, NULL, late_writer, NULL);
    fifo_case c = { 0, 0 };
    assert_int_equal(async_run(read_with_timeout, &c), 0);
    pthread_join(writer, NULL);
    /* A FIFO is read on the loop: the deadline stops the wait at once, long
     * before the writer's 0.5 s (a thread-pool read could not be stopped). */
    assert_int_equal(c.rc, UV_ETIMEDOUT);
    assert_true(c.took >= 0.099);
    assert_true(c.took < 0.4);
    unlink(fifo_path);
}

/* A writer that holds the FIFO open and never writes, until told to stop. */
static volatile int silent_writer_stop;

static void *silent_writer(void *arg)
{
    (void)arg;
    int fd = open(fifo_path, O_WRONLY);
    while (!silent_writer_stop)
        usleep(10000);
    if (fd >= 0)
        close(fd);
    return NULL;
}

static void ctrl_c_ends_a_read_of_a_silent_fifo(void **state)
{
    (void)state;
    skip_unless_spawn_works();
    snprintf(fifo_path, sizeof fifo_path, "%s/silent", dir);
    assert_int_equal(mkfifo(fifo_path, 0600), 0);
    silent_writer_stop = 0;
    pthread_t writer;
    pthread_create(&writer, NULL, silent_writer, NULL);
    char *argv[] = { (char *)test_bin("step4"), fifo_path, NULL };
    proc_result r = run_program(argv, NULL, 10, 0.3);
    silent_writer_stop = 1;
    pthread_join(writer, NULL);
    unlink(fifo_path);
    assert_false(r.timed_out);
    assert_int_equal(r.status, 130);
    assert_true(r.seconds < 3);
    proc_result_free(&r);
}

/* ------------------------------------------------------ ./step4 itself */

static void step4_prints_the_sample_logs_errors(void **state)
{
    (void)state;
    proc_result r = step4(NULL, NULL, NULL, NULL);
    assert_int_equal(r.status, 0);
    int found = count_lines_with(r.out, "Found error: ");
    assert_true(found > 5);
    assert_int_equal(found, count_lines_with(r.out, "ERROR"));
    proc_result_free(&r);
    r = step4("--count", NULL, NULL, NULL);
    assert_int_equal(atoi(r.out), found);
    proc_result_free(&r);
}

/* --pattern WARN says what it found: "Found WARN: ...", never "Found error:". */
static void another_pattern_is_named_in_the_output(void **state)
{
    (void)state;
    proc_result r = step4("--pattern", "WARN", NULL, NULL);
    assert_int_equal(r.status, 0);
    int found = count_lines_with(r.out, "Found WARN: ");
    assert_true(found > 5);
    assert_int_equal(found, count_lines_with(r.out, "WARN"));
    assert_null(strstr(r.out, "Found error"));
    proc_result_free(&r);
}

/* A log of `mib` MiB: the sample log's lines over and over (as the
 * TUTORIAL's `yes ... | head -c` recipe makes it). */
static const char *log_of_size(const char *name, size_t mib)
{
    static const char line[] = "2026-11-24T09:00:18.585 ERROR [api] GET /api/orders 500\n"
                               "2026-11-24T09:00:18.600 INFO  [web] GET / 200 3ms\n";
    size_t len = mib << 20;
    char *data = malloc(len);
    assert_non_null(data);
    for (size_t i = 0; i < len; i++)
        data[i] = line[i % (sizeof line - 1)];
    const char *path = write_file(name, data, len);
    free(data);
    return path;
}

/* Peak resident memory of `./step4 [flag] file`, in KiB (wait4's ru_maxrss). */
static long peak_kib(const char *flag1, const char *flag2, const char *file)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        const char *argv[] = { "step4", flag1 ? flag1 : file, flag2 ? flag2 : file, file, NULL };
        argv[!flag1 ? 2 : !flag2 ? 3 : 4] = NULL;
        execv(test_bin("step4"), (char *const *)argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return ru.ru_maxrss;
}

/* TUTORIAL: the read buffer (one chunk, 1 MiB) fills up on the first big
 * read, and from then on peak memory stays flat: 64 MiB costs what 4 MiB
 * does, whether counted by blocks, line by line, or printed. */
static void peak_memory_is_flat_past_one_chunk(void **state)
{
    (void)state;
    if (under_valgrind() || under_emulator() || (getenv("SAN") && *getenv("SAN"))) {
        print_message("skipped: peak memory is the tool's, not the program's, here\n");
        skip();
    }
    char small[256], big[256];
    snprintf(small, sizeof small, "%s", log_of_size("4mib.log", 4));
    snprintf(big, sizeof big, "%s", log_of_size("64mib.log", 64));
    const char *runs[][2] = { { "--count", NULL }, { "--count", "--by-line" }, { NULL, NULL } };
    for (int i = 0; i < 3; i++) {
        long a = peak_kib(runs[i][0], runs[i][1], small);
        long b = peak_kib(runs[i][0], runs[i][1], big);
        print_message("step4 %s %s: 4 MiB file %ld KiB, 64 MiB file %ld KiB\n",
                      runs[i][0] ? runs[i][0] : "", runs[i][1] ? runs[i][1] : "", a, b);
        assert_true(b < a + 1024);       /* 16 times the file, under 1 MiB more */
    }
    unlink(small);
    unlink(big);
}

static void awkward_lines_come_out_right(void **state)
{
    (void)state;
    static const char in[] = "  ERROR crlf  \r\n\n\nplain\nERROR\0nul\nERROR last";
    proc_result r = step4(write_file("awkward.log", in, sizeof in - 1), NULL, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "Found error: ERROR crlf\nFound error: ERROR\\x00nul\n"
                               "Found error: ERROR last\n");
    proc_result_free(&r);
}

static void a_line_spanning_chunks_is_whole(void **state)
{
    (void)state;
    size_t n = 700 * 1024;
    char *big = malloc(n + 16);
    memset(big, 'a', n);
    memcpy(big + n - 6, "ERROR\n", 6);
    memcpy(big + n, "ERROR2\n", 7);
    proc_result r = step4(write_file("span.log", big, n + 7), "--count", NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "2\n");
    proc_result_free(&r);
    r = step4(write_file("span.log", big, n + 7), "--max-line", "100000", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "line 1 is longer than 100000 bytes"));
    assert_int_equal(count_lines_with(r.err, "step4:"), 1);
    proc_result_free(&r);
    free(big);
}

static void bad_files_get_one_clear_line(void **state)
{
    (void)state;
    proc_result r = step4("missing.log", NULL, NULL, NULL);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, "step4: missing.log: no such file or directory\n");
    proc_result_free(&r);
    r = step4(dir, NULL, NULL, NULL);
    assert_int_equal(r.status, 1);
    assert_int_equal(count_lines_with(r.err, "illegal operation on a directory"), 1);
    proc_result_free(&r);
    r = step4(write_file("empty.log", "", 0), NULL, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    proc_result_free(&r);
    r = step4("--pattern", NULL, NULL, NULL);
    assert_int_equal(r.status, 2);
    proc_result_free(&r);
    r = step4("a.log", "b.log", NULL, NULL);
    assert_int_equal(r.status, 2);
    proc_result_free(&r);
    r = step4("", NULL, NULL, NULL);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "step4: the file name is empty\n");
    proc_result_free(&r);
    r = step4("--by-line", NULL, NULL, NULL);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "step4: --by-line goes with --count\n");
    proc_result_free(&r);
}

/* Runs ./step4 path as the unprivileged user nobody (as root, a file's mode
 * stops nobody: root reads whatever the mode says). Returns the exit status;
 * *err gets stderr. */
static int step4_as_nobody(const char *path, char *err, size_t errsize)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
            perror("setuid");
            _exit(99);
        }
        execl(test_bin("step4"), "step4", path, (char *)NULL);
        perror("exec");
        _exit(98);
    }
    close(fds[1]);
    size_t got = 0;
    ssize_t n;
    while (got + 1 < errsize && (n = read(fds[0], err + got, errsize - 1 - got)) > 0)
        got += (size_t)n;
    err[got] = 0;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void an_unreadable_file_is_reported(void **state)
{
    (void)state;
    const char *path = write_file("secret.log", "ERROR\n", 6);
    chmod(path, 0);
    char expected[400];
    snprintf(expected, sizeof expected, "step4: %s: permission denied\n", path);
    if (geteuid() == 0) {
        if (under_valgrind()) {
            print_message("skipped: root, and under valgrind the run as nobody is not traced\n");
            skip();
        }
        /* the directory must let nobody in, so that the file's own mode is what stops it */
        chmod(dir, 0711);
        char err[1024];
        int status = step4_as_nobody(path, err, sizeof err);
        chmod(dir, 0700);
        if (status == 98 || status == 99) {
            print_message("skipped: as root, could not run ./step4 as nobody: %s", err);
            skip();
        }
        assert_int_equal(status, 1);
        assert_string_equal(err, expected);
        return;
    }
    proc_result r = step4(path, NULL, NULL, NULL);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, expected);
    proc_result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);    /* the late writer may find the reader gone */
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_splitter_gives_the_same_lines_for_every_chunking),
        cmocka_unit_test(a_line_longer_than_the_limit_is_an_error),
        cmocka_unit_test(closing_the_generator_early_closes_the_file),
        cmocka_unit_test(a_timeout_around_a_blocked_read),
        cmocka_unit_test(ctrl_c_ends_a_read_of_a_silent_fifo),
        cmocka_unit_test(step4_prints_the_sample_logs_errors),
        cmocka_unit_test(another_pattern_is_named_in_the_output),
        cmocka_unit_test(peak_memory_is_flat_past_one_chunk),
        cmocka_unit_test(awkward_lines_come_out_right),
        cmocka_unit_test(a_line_spanning_chunks_is_whole),
        cmocka_unit_test(bad_files_get_one_clear_line),
        cmocka_unit_test(an_unreadable_file_is_reported),
    };
    return cmocka_run_group_tests_name("step 4", tests, setup, teardown);
}
