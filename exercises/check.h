/* check.h: what every exercise's check needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#define CHECK_MAIN(test)                                          \
    int main(void)                                                \
    {                                                             \
        const struct CMUnitTest tests[] = { cmocka_unit_test(test) }; \
        return cmocka_run_group_tests(tests, NULL, NULL);         \
    }
