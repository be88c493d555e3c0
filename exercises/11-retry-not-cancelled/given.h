/* What the check sets and sees of the given code. */
extern int given_calls, given_always_fail;
extern double given_last_call_at;
