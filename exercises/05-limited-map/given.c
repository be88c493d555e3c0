#include "exercise.h"

int one_job(job_board *board)
{
    if (++board->running > board->most_running)
        board->most_running = board->running;
    int rc = async_sleep(0.02);
    board->running--;
    if (rc == 0)
        board->done++;
    return rc;
}
