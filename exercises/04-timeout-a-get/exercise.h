/* Exercise 4 (step 3): a per-request timeout around an HTTP GET. */
#include "async.h"
#include "async_http.h"

/* To write: GET url with the client, giving up after `seconds`: 0 and r
 * filled, UV_ETIMEDOUT when the deadline passed, or the GET's error. */
int get_with_timeout(async_http_client *client, const char *url, double seconds,
                     async_http_response *r);
