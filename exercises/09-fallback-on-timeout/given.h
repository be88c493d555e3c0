/* What the check sets and sees of the given code. */
extern double given_primary_delay;
extern int given_primary_error;
extern int given_primary_calls, given_primary_cancelled, given_backup_calls;
