/* fuzz_demo_request.c: the demo server's request parser on any bytes:
 * no crash, and a parsed request never claims more bytes than it was given. */
#include "wb_demo_request.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wb_demo_request req;
    int used = wb_demo_parse_request((const char *)data, size, &req);
    if (used > 0 && (size_t)used > size)
        abort();
    if (used > 0 && (req.route < WB_DEMO_NOT_FOUND || req.route > WB_DEMO_ONE_SHOT))
        abort();
    return 0;
}
