/* test_resources.c: running out of file descriptors or address space is
 * named (which resource, and the ulimit to raise), never a bare abort inside
 * libuv nor a misleading "connection refused"; a handle the program left
 * open is named and closed. */
#include "async_http.h"
#include "support.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* prlimit runs the program natively: not for ASan builds (the runtime needs
 * descriptors and address space of its own) nor emulators. */
static void skip_unless_prlimit_fits(void)
{
    skip_unless_spawn_works();
    const char *bin = getenv("BIN");
    if (access("/usr/bin/prlimit", X_OK) != 0 || under_emulator() ||
        (bin && strstr(bin, "asan"))) {
        print_message("skipped: needs /usr/bin/prlimit and a plain build (not ASan, no emulator)\n");
        skip();
    }
}

static proc_result limited(const char *limit, const char *prog)
{
    char *argv[] = { "/usr/bin/prlimit", (char *)limit, (char *)test_bin(prog), NULL };
    return run_program(argv, NULL, 60, 0);
}

/* With 4 or 5 descriptors libuv's first loop aborted (it takes a pipe for
 * signals and aborts without one); with 6 it returned an error nobody named. */
static void the_loop_names_running_out_of_descriptors(void **state)
{
    (void)state;
    skip_unless_prlimit_fits();
    const char *limits[] = { "--nofile=4", "--nofile=5", "--nofile=6" };
    for (int i = 0; i < 3; i++) {
        proc_result r = limited(limits[i], "step1");
        print_message("step1 %s: status %d: %s", limits[i], r.status, r.err);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "async: the loop cannot start: too many open files "
                                      "(raise ulimit -n)\n"));
        proc_result_free(&r);
    }
}

/* step3's demo server starts a loop of its own, before async_run's. */
static void the_demo_server_names_running_out_of_descriptors(void **state)
{
    (void)state;
    skip_unless_prlimit_fits();
    proc_result r = limited("--nofile=5", "step3");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "demo server: cannot listen on 127.0.0.1:0: too many open "
                                  "files (raise ulimit -n)\n"));
    proc_result_free(&r);
}

/* Under an address-space limit, libuv aborted when its worker threads (8 MiB
 * of stack each) could not start at step4's first file read. Over a range of
 * limits, every run ends with a status of its own (0, or 1 and a message);
 * at least one limit is tight enough to need the message. */
static void worker_threads_that_cannot_fit_are_named(void **state)
{
    (void)state;
    skip_unless_prlimit_fits();
    int named = 0;
    for (int mb = 60; mb <= 160; mb += 10) {
        char limit[32];
        snprintf(limit, sizeof limit, "--as=%d", mb * 1000 * 1000);
        proc_result r = limited(limit, "step4");
        if (r.status != 0)
            print_message("step4 %s: status %d: %s", limit, r.status, r.err);
        assert_true(r.status == 0 || r.status == 1);
        named += strstr(r.err, "leaves no room for libuv's 4 worker threads") != NULL;
        proc_result_free(&r);
    }
    assert_true(named > 0);
}

/* ------------------------------------------ a GET with no descriptor left */

typedef struct no_fd { int rc; char error[256]; int spent; } no_fd;

static int get_with_no_descriptor_left(void *arg)
{
    no_fd *n = arg;
    struct rlimit old, low;
    getrlimit(RLIMIT_NOFILE, &old);
    low = old;
    low.rlim_cur = 256;
    if (low.rlim_cur > old.rlim_cur || setrlimit(RLIMIT_NOFILE, &low) != 0)
        return UV_ENOTSUP;
    async_http_client *c = async_http_client_new(NULL);
    static int held[256];
    while (n->spent < 256 && (held[n->spent] = dup(0)) >= 0)
        n->spent++;
    async_http_response r;
    n->rc = async_http_get(c, "http://127.0.0.1:1/", &r);
    memcpy(n->error, r.error, sizeof n->error);
    async_http_response_free(&r);
    while (n->spent > 0)
        close(held[--n->spent]);
    setrlimit(RLIMIT_NOFILE, &old);
    async_http_client_close(c);
    return 0;
}

/* It said "connection refused" (curl's "Couldn't connect to server"). */
static void a_get_with_no_descriptor_left_says_so(void **state)
{
    (void)state;
    no_fd n = { 0 };
    int rc = async_run(get_with_no_descriptor_left, &n);
    if (rc == UV_ENOTSUP) {
        print_message("skipped: cannot lower RLIMIT_NOFILE to 256 here\n");
        skip();
    }
    assert_int_equal(rc, 0);
    print_message("%s (%s)\n", uv_strerror(n.rc), n.error);
    assert_int_equal(n.rc, UV_EMFILE);
    assert_non_null(strstr(n.error, "raise ulimit -n"));
}

/* ------------------------------------- a libuv handle of the program's own */

static uv_timer_t forgotten;

static void never(uv_timer_t *t)
{
    (void)t;
}

static int leave_a_timer_open(void *arg)
{
    (void)arg;
    uv_timer_init(async_loop(), &forgotten);
    uv_timer_start(&forgotten, never, 60000, 0);
    return 0;
}

/* It said "some libuv handles were left open" and left the loop unclosed. */
static void a_handle_left_open_is_named_and_closed(void **state)
{
    (void)state;
    char *err = NULL;
    int status = run_forked(leave_a_timer_open, NULL, &err);
    print_message("%s", err);
    assert_int_equal(status, 0);
    assert_non_null(strstr(err, "async: a libuv timer handle was left open (not closed before "
                                "main returned); closing it now\n"));
    assert_null(strstr(err, "some libuv handles"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_loop_names_running_out_of_descriptors),
        cmocka_unit_test(the_demo_server_names_running_out_of_descriptors),
        cmocka_unit_test(worker_threads_that_cannot_fit_are_named),
        cmocka_unit_test(a_get_with_no_descriptor_left_says_so),
        cmocka_unit_test(a_handle_left_open_is_named_and_closed),
    };
    return cmocka_run_group_tests_name("resources: descriptors and address space", tests,
                                       NULL, NULL);
}
