/* What the check sees of the given code: how many conversions, how many at once. */
extern int given_calls, given_running, given_most_running;
