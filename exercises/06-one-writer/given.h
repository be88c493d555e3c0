/* What the check sees of the given code: the log, and the preparations. */
#define LOG_MAX 64
extern int given_log[LOG_MAX], given_log_len;    /* worker ids, one per part */
extern int given_preparing, given_most_preparing, given_writers, given_most_writers;
