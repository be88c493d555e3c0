/* Exercise 4's given code: the tree, counting every fetch for the check. */
#include "exercise.h"
#include "given.h"

int given_fetches[MAX_NODES + 1];
int given_running, given_most_running;
int given_failing_node;             /* 0: none fails */

int fetch_children(int node, int kids[3], int *count)
{
    if (node >= 1 && node <= MAX_NODES)
        given_fetches[node]++;
    if (++given_running > given_most_running)
        given_most_running = given_running;
    int rc = async_sleep(0.03);
    given_running--;
    if (rc)
        return rc;
    if (node == given_failing_node)
        return UV_EIO;
    if (node < 1 || node > 40)
        return UV_EINVAL;
    *count = 0;
    for (int k = 3 * node - 1; node <= 13 && k <= 3 * node + 1; k++)
        kids[(*count)++] = k;
    return 0;
}
