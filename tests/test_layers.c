/* test_layers.c: common/'s layers hold (tests/layers/check.py): includes
 * point down, every header's names carry their layer's prefix, and a program
 * of one's own compiles with async.h alone under strict -std=c11. */
#include "support.h"

#include <string.h>
#include <unistd.h>

static void the_layers_hold(void **state)
{
    (void)state;
    if (access("/usr/bin/python3", X_OK) != 0) {
        print_message("skipped: no /usr/bin/python3 to run tests/layers/check.py\n");
        skip();
    }
    char *argv[] = { "/usr/bin/python3", "tests/layers/check.py", NULL };
    proc_result r = run_program(argv, NULL, 120, 0);
    print_message("%s", r.out);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "layers: 0 problem(s)"));
    proc_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_layers_hold),
    };
    return cmocka_run_group_tests_name("layers", tests, NULL, NULL);
}
