/* test_tasktree.c: every await records what it waits on and where;
 * async_print_tasks() draws the tree; Ctrl-\ (SIGQUIT) prints it and the
 * program goes on; the deadlock report prints it before it cancels. */
#include "async_file.h"
#include "async_http.h"
#include "wb_demo_server.h"
#include "support.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The await lines, taken on the await's own line, for the expected sites. */
static int sem_line, await_line, group_line, next_line, yield_line;
static int thread_line, get_line, read_line;

static async_semaphore closed;          /* no permit: its waiters queue */

enum { SLEEP_LINE = __LINE__ + 4 };     /* the async_sleep below */
static int sleeper(void *arg)
{
    (void)arg;
    return async_sleep(30);
}

static int queuer(void *arg)
{
    (void)arg;
    sem_line = __LINE__; int rc = async_semaphore_acquire(&closed);
    if (rc == 0)
        async_semaphore_release(&closed);
    return rc;
}

static int awaiter(void *arg)
{
    (void)arg;
    async_task *t = async_create_task(sleeper, NULL);
    await_line = __LINE__; return async_await(t);
}

static int parent_of_two(void *arg)
{
    (void)arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_taskgroup_create_task(&tg, sleeper, NULL);
    async_taskgroup_create_task(&tg, awaiter, NULL);
    group_line = __LINE__; return async_taskgroup_wait(&tg);
}

/* Its consumer waits in async_next while it sleeps before the second item. */
static int slow_numbers(async_generator *g, void *arg)
{
    (void)arg;
    static int one = 1;
    int rc = async_yield(g, &one);
    return rc ? rc : async_sleep(30);
}

/* It waits in async_yield for a consumer that sleeps. */
static int numbers(async_generator *g, void *arg)
{
    (void)arg;
    static int one = 1;
    yield_line = __LINE__; return async_yield(g, &one);
}

static int consumer(void *arg)
{
    int slow = arg != NULL;
    async_generator *g = slow ? async_generator_create(slow_numbers, NULL)
                              : async_generator_create(numbers, NULL);
    void *item;
    int rc;
    for (int i = 0; i < 2; i++) {
        next_line = __LINE__; rc = async_next(g, &item);
        if (rc <= 0)
            break;
        if (!slow)
            rc = async_sleep(30);
    }
    int closed_rc = async_generator_close(g);
    return rc < 0 ? rc : closed_rc;
}

/* Sleeps on the thread pool until the tree is printed (10 s at most). */
static atomic_int printed_yet;

static int nap_in_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000 && !atomic_load(&printed_yet); i++)
        usleep(10 * 1000);
    return 0;
}

static int threaded(void *arg)
{
    (void)arg;
    thread_line = __LINE__; return async_to_thread(nap_in_thread, NULL);
}

typedef struct io_places {
    char hang_url[128];
    char fifo[64];
} io_places;

static int hung_get(void *arg)
{
    io_places *p = arg;
    async_http_client *c = async_http_client_new(NULL);
    async_http_response r;
    get_line = __LINE__; int rc = async_http_get(c, p->hang_url, &r);
    async_http_response_free(&r);
    async_http_client_close(c);
    return rc;
}

static int fifo_read(void *arg)
{
    io_places *p = arg;
    async_file f;
    int rc = async_file_open(&f, p->fifo);
    if (rc)
        return rc;
    char buf[64];
    read_line = __LINE__; ssize_t n = async_file_read(&f, buf, sizeof buf);
    async_file_close(&f);
    return n < 0 ? (int)n : 0;
}

typedef struct printed {
    io_places *io;
    char *text;
} printed;

/* Starts one task of each kind, lets them all park, prints the tree. */
static int every_kind(void *arg)
{
    printed *p = arg;
    atomic_store(&printed_yet, 0);
    async_semaphore_init(&closed, 0);
    async_task *t[] = {
        async_create_task(parent_of_two, NULL),
        async_create_task(queuer, NULL),
        async_create_task(queuer, NULL),
        async_create_task(consumer, NULL),
        async_create_task(consumer, &closed),
        async_create_task(threaded, NULL),
        p->io ? async_create_task(hung_get, p->io) : NULL,
        p->io ? async_create_task(fifo_read, p->io) : NULL,
    };
    /* Until every task has parked where it will stay (slow under valgrind):
     * none ready to run, and the FIFO's open (a short wait on the thread
     * pool) over, so that its task waits in its read. */
    size_t len;
    for (int i = 0; i < 200; i++) {
        async_sleep(0.05);
        free(p->text);
        FILE *out = open_memstream(&p->text, &len);
        async_print_tasks(out);
        fclose(out);
        if (!strstr(p->text, "ready to run") && !strstr(p->text, "not started") &&
            !strstr(p->text, "waits on file open"))
            break;
    }
    atomic_store(&printed_yet, 1);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        async_cancel(t[i]);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i])
            async_await(t[i]);
    return 0;
}

/* The line of text that contains both needles, or NULL. */
static const char *line_with(const char *text, const char *a, const char *b)
{
    for (const char *p = text; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
        if (strstr(line, a) && (!b || strstr(line, b)))
            return p;
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

static const char *site(int line)
{
    static char s[8][64];
    static int next;
    char *buf = s[next++ % 8];
    snprintf(buf, sizeof s[0], "at tests/test_tasktree.c:%d", line);
    return buf;
}

static void each_await_says_what_it_waits_on_and_where(void **state)
{
    (void)state;
    wb_demo_server *demo = wb_demo_server_start(NULL);
    assert_non_null(demo);
    io_places io;
    snprintf(io.hang_url, sizeof io.hang_url, "http://127.0.0.1:%d/hang", wb_demo_server_port(demo));
    snprintf(io.fifo, sizeof io.fifo, "/tmp/test_tasktree.%d.fifo", (int)getpid());
    unlink(io.fifo);
    assert_int_equal(mkfifo(io.fifo, 0600), 0);
    printed p = { &io, NULL };
    assert_int_equal(async_run(every_kind, &p), 0);
    unlink(io.fifo);
    wb_demo_server_stop(demo);
    fputs(p.text, stdout);
    const char *t = p.text;
    assert_non_null(line_with(t, "sleeper #", "waits on sleep, 29."));
    assert_non_null(line_with(t, "sleeper #", site(SLEEP_LINE)));
    assert_non_null(line_with(t, "semaphore &closed, 1st of 2 in line", site(sem_line)));
    assert_non_null(line_with(t, "semaphore &closed, 2nd of 2 in line", site(sem_line)));
    assert_non_null(line_with(t, "awaiter #", "waits on task sleeper #"));
    assert_non_null(line_with(t, "awaiter #", site(await_line)));
    assert_non_null(line_with(t, "parent_of_two #", "its task group, 2 children left"));
    assert_non_null(line_with(t, "parent_of_two #", site(group_line)));
    assert_non_null(line_with(t, "consumer #", "the next item of generator slow_numbers #"));
    assert_non_null(line_with(t, "consumer #", site(next_line)));
    assert_non_null(line_with(t, "slow_numbers #", "waits on sleep"));
    assert_non_null(line_with(t, "numbers #", "its consumer to ask for the next item"));
    assert_non_null(line_with(t, "numbers #", site(yield_line)));
    assert_non_null(line_with(t, "threaded #", "to_thread nap_in_thread"));
    assert_non_null(line_with(t, "threaded #", site(thread_line)));
    assert_non_null(line_with(t, "hung_get #", io.hang_url));
    assert_non_null(line_with(t, "hung_get #", site(get_line)));
    assert_non_null(line_with(t, "fifo_read #", "file read of /tmp/test_tasktree."));
    assert_non_null(line_with(t, "fifo_read #", site(read_line)));
    assert_non_null(line_with(t, "main #", "running (it is the one printing this)"));
    /* the semaphore, under the tree: nobody took a permit yet */
    assert_non_null(line_with(t, "semaphore &closed: ", "0 of 0 permits free, 2 tasks in line"));
    free(p.text);
}

static void children_are_drawn_under_the_task_that_made_them(void **state)
{
    (void)state;
    printed p = { NULL, NULL };
    assert_int_equal(async_run(every_kind, &p), 0);
    const char *t = p.text;
    fputs(t, stdout);
    assert_true(strncmp(t, "└── main #", strlen("└── main #")) == 0);
    /* parent_of_two is main's child; its group's children are its own;
     * the sleeper that awaiter made is awaiter's */
    assert_non_null(strstr(t, "\n    ├── parent_of_two #"));
    assert_non_null(strstr(t, "\n    │   ├── sleeper #"));
    assert_non_null(strstr(t, "\n    │   └── awaiter #"));
    assert_non_null(strstr(t, "\n    │       └── sleeper #"));
    assert_non_null(strstr(t, "\n    │   └── numbers #"));
    assert_non_null(strstr(t, "\n    │   └── slow_numbers #"));
    assert_non_null(strstr(t, "\n    └── threaded #"));
    free(p.text);
}

/* ------------------------------------------------------- the deadlock */

static async_semaphore fork_a, fork_b;

enum { TAKE_B_LINE = __LINE__ + 6 };    /* the second acquire below */
static int philosopher_ab(void *arg)
{
    (void)arg;
    async_semaphore_acquire(&fork_a);
    async_sleep(0.01);
    int rc = async_semaphore_acquire(&fork_b);
    return rc;
}

enum { TAKE_A_LINE = __LINE__ + 6 };    /* the second acquire below */
static int philosopher_ba(void *arg)
{
    (void)arg;
    async_semaphore_acquire(&fork_b);
    async_sleep(0.01);
    int rc = async_semaphore_acquire(&fork_a);
    return rc;
}

static int dine(void *arg)
{
    (void)arg;
    async_semaphore_init(&fork_a, 1);
    async_semaphore_init(&fork_b, 1);
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_taskgroup_create_task(&tg, philosopher_ab, NULL);
    async_taskgroup_create_task(&tg, philosopher_ba, NULL);
    return async_taskgroup_wait(&tg);
}

static void a_deadlock_report_says_where_each_task_waits(void **state)
{
    (void)state;
    char *err = NULL;
    int rc = run_forked(dine, NULL, &err);
    fputs(err, stdout);
    assert_int_equal(rc, 1);                     /* cancelled: UV_ECANCELED */
    assert_non_null(strstr(err, "async: deadlock: every task is waiting"));
    assert_non_null(line_with(err, "philosopher_ab #", "waits on semaphore &fork_b"));
    assert_non_null(line_with(err, "philosopher_ab #", site(TAKE_B_LINE)));
    assert_non_null(line_with(err, "philosopher_ba #", "waits on semaphore &fork_a"));
    assert_non_null(line_with(err, "philosopher_ba #", site(TAKE_A_LINE)));
    assert_non_null(line_with(err, "main #", "its task group, 2 children left"));
    /* each semaphore says who holds its permit */
    assert_non_null(line_with(err, "semaphore &fork_a: ", "by philosopher_ab #"));
    assert_non_null(line_with(err, "semaphore &fork_b: ", "by philosopher_ba #"));
    free(err);
}

/* ------------------------------------------------------------ Ctrl-\ */

static int quit_then_go_on(void *arg)
{
    int *finished = arg;
    async_task *t = async_create_task(sleeper, NULL);
    kill(getpid(), SIGQUIT);
    async_sleep(0.05);                           /* the loop handles the signal */
    fprintf(stderr, "still here\n");
    async_cancel(t);
    async_await(t);
    *finished = 1;
    return 0;
}

static void ctrl_backslash_prints_the_tree_and_the_program_goes_on(void **state)
{
    (void)state;
    int finished = 0;
    char *err = NULL;
    int rc = run_forked(quit_then_go_on, &finished, &err);
    fputs(err, stdout);
    assert_int_equal(rc, 0);
    const char *head = strstr(err, "async: Ctrl-\\ (SIGQUIT): every task and where it waits");
    assert_non_null(head);
    assert_non_null(line_with(err, "└── main #", "waits on sleep, 0.0"));
    assert_non_null(line_with(err, "    └── sleeper #", site(SLEEP_LINE)));
    const char *after = strstr(err, "still here");
    assert_non_null(after);
    assert_true(after > head);
    free(err);
}

static void outside_async_run_there_is_nothing_to_print(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    async_print_tasks(out);
    fclose(out);
    assert_string_equal(text, "(no tasks: async_run is not running)\n");
    free(text);
    async_print_tasks(NULL);                     /* no stream: nothing, no crash */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_await_says_what_it_waits_on_and_where),
        cmocka_unit_test(children_are_drawn_under_the_task_that_made_them),
        cmocka_unit_test(a_deadlock_report_says_where_each_task_waits),
        cmocka_unit_test(ctrl_backslash_prints_the_tree_and_the_program_goes_on),
        cmocka_unit_test(outside_async_run_there_is_nothing_to_print),
    };
    return cmocka_run_group_tests_name("the task tree", tests, NULL, NULL);
}
