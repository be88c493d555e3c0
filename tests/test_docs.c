/* test_docs.c: every command shown in README.md, TUTORIAL.md and TEACHING.md
 * is run and its output compared with the transcript shown; the C listings
 * are the files' own lines, every relative link resolves inside the
 * repository, and the agendas add up (tests/docs/check.py). */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void the_docs_show_what_the_programs_print(void **state)
{
    (void)state;
    if (getenv("DOCS_NESTED")) {
        print_message("skipped: already inside the docs test (it runs `make test` itself)\n");
        skip();
    }
    const char *bin = getenv("BIN");
    if (bin && strcmp(bin, ".") != 0) {
        print_message("skipped: the docs show the default build (./stepN), not %s\n", bin);
        skip();
    }
    if (under_valgrind()) {
        print_message("skipped: the transcripts' timings do not hold under valgrind\n");
        skip();
    }
    if (access("/usr/bin/python3", X_OK) != 0) {
        print_message("skipped: no /usr/bin/python3 to run tests/docs/check.py\n");
        skip();
    }
    char *argv[] = { "/usr/bin/python3", "tests/docs/check.py", "README.md", "TUTORIAL.md", "TEACHING.md", NULL };
    proc_result r = run_program(argv, NULL, 600, 0);
    print_message("%s", r.out);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, " 0 failed"));
    proc_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_docs_show_what_the_programs_print),
    };
    return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
