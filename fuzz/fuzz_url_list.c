/* fuzz_url_list.c: step 3's -i FILE parser on any bytes: no crash, no leak,
 * and every URL it returns is non-empty text without control characters. */
#include "../step3-semaphore/crawl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char **urls;
    long n = parse_url_list((const char *)data, size, &urls);
    for (long i = 0; i < n; i++) {
        size_t len = strlen(urls[i]);
        if (len == 0 || urls[i][0] == '#')
            abort();
        for (size_t k = 0; k < len; k++)
            if ((unsigned char)urls[i][k] < 0x20)
                abort();
        free(urls[i]);
    }
    if (n >= 0)
        free(urls);
    return 0;
}
