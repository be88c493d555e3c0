#include "async_http.h"
#include "wb_demo_server.h"
#include "check.h"
#include "exercise.h"

#include <string.h>

typedef struct result { int port; int hang_rc, page_rc; double took; long status; } result;

static int run(void *arg)
{
    result *r = arg;
    async_http_client *c = async_http_client_new(NULL);
    async_http_response resp;
    char url[96];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/page/1", r->port);
    r->page_rc = get_with_timeout(c, url, 2, &resp);
    r->status = resp.status;
    async_http_response_free(&resp);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hang", r->port);
    double start = async_time();
    async_timeout guard;                 /* the check's own bound: 3 s */
    async_timeout_enter(&guard, 3);
    r->hang_rc = async_timeout_exit(&guard, get_with_timeout(c, url, 0.2, &resp));
    r->took = async_time() - start;
    async_http_response_free(&resp);
    async_http_client_close(c);
    return 0;
}

static void a_hung_server_times_out_a_good_one_answers(void **state)
{
    (void)state;
    wb_demo_server *demo = wb_demo_server_start(NULL);
    result r;
    memset(&r, 0, sizeof r);
    r.port = wb_demo_server_port(demo);
    assert_int_equal(async_run(run, &r), 0);
    wb_demo_server_stop(demo);
    assert_int_equal(r.page_rc, 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.hang_rc, UV_ETIMEDOUT);
    assert_true(r.took < 1.0);           /* at its own 0.2 s deadline, not the check's */
}

CHECK_MAIN(a_hung_server_times_out_a_good_one_answers)
