/* test_programs.c: what every program of the workbook (the steps and the
 * mistakes) does with its command line and its output, the same way:
 * --help on stdout with status 0; an unknown flag refused in one line on
 * stderr with status 2. */
#include "support.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_PROGRAMS = 64 };

static const char *steps[] = { "step1", "step2", "step3", "step4", "step5" };

/* The steps and every mistake-* program built beside them. */
static int programs(char names[][64])
{
    int n = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        snprintf(names[n++], 64, "%s", steps[i]);
    const char *bin = getenv("BIN");
    DIR *d = opendir(bin && *bin ? bin : ".");
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) && n < MAX_PROGRAMS;)
        if (strncmp(e->d_name, "mistake-", 8) == 0 && access(test_bin(e->d_name), X_OK) == 0)
            snprintf(names[n++], 64, "%.63s", e->d_name);
    closedir(d);
    assert_true(n >= (int)(sizeof steps / sizeof steps[0]) + 7);   /* the seven mistakes */
    return n;
}

static proc_result run(const char *name, char *a1, char *a2)
{
    char *argv[] = { (char *)test_bin(name), a1, a2, NULL };
    return run_program(argv, NULL, 30, 0);
}

static void help_goes_to_stdout_with_status_0(void **state)
{
    (void)state;
    char names[MAX_PROGRAMS][64];
    int n = programs(names);
    for (int i = 0; i < n; i++) {
        for (int h = 0; h < 2; h++) {
            proc_result r = run(names[i], h ? "-h" : "--help", NULL);
            char usage[80];
            snprintf(usage, sizeof usage, "usage: %.63s", names[i]);
            if (r.status != 0 || strncmp(r.out, usage, strlen(usage)) != 0 || r.err[0])
                print_message("%s --help: status %d, out '%s', err '%s'\n", names[i], r.status,
                              r.out, r.err);
            assert_int_equal(r.status, 0);
            assert_memory_equal(r.out, usage, strlen(usage));
            assert_string_equal(r.err, "");
            proc_result_free(&r);
        }
    }
}

/* "--bogus", also after a flag the program knows, and a stray argument for
 * the programs that take none. */
static void an_unknown_flag_is_one_line_on_stderr_with_status_2(void **state)
{
    (void)state;
    char names[MAX_PROGRAMS][64];
    int n = programs(names);
    for (int i = 0; i < n; i++) {
        int mistake = strncmp(names[i], "mistake-", 8) == 0;
        char *cases[][2] = { { "--bogus", NULL }, { "-x", NULL },
                             { mistake ? "stray" : "--timeline", mistake ? NULL : "--bogus" } };
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            proc_result r = run(names[i], cases[k][0], cases[k][1]);
            const char *bad = cases[k][1] ? cases[k][1] : cases[k][0];
            char want[256];
            snprintf(want, sizeof want, "%.63s: %s '%.20s' (%.63s --help ", names[i],
                     bad[0] == '-' ? "unknown flag" : "unexpected argument", bad, names[i]);
            if (r.status != 2 || !strstr(r.err, want) || count_lines_with(r.err, "") != 1)
                print_message("%s %s: status %d, err '%s'\n", names[i], bad, r.status, r.err);
            assert_int_equal(r.status, 2);
            assert_int_equal(count_lines_with(r.err, ""), 1);
            assert_memory_equal(r.err, want, strlen(want));
            assert_string_equal(r.out, "");
            proc_result_free(&r);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_goes_to_stdout_with_status_0),
        cmocka_unit_test(an_unknown_flag_is_one_line_on_stderr_with_status_2),
    };
    return cmocka_run_group_tests_name("programs: flags and output", tests, NULL, NULL);
}
