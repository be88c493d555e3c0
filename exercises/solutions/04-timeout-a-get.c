#include "async_http.h"
#include "exercise.h"

int get_with_timeout(async_http_client *client, const char *url, double seconds,
                     async_http_response *r)
{
    async_timeout t;
    async_timeout_enter(&t, seconds);
    int rc = async_http_get(client, url, r);
    return async_timeout_exit(&t, rc);
}
