/* What the check sees of the given code: a log of every fetch_user call. */
#define GIVEN_MAX 16
typedef struct fetch_log {
    int count;
    int ids[GIVEN_MAX];
    double started[GIVEN_MAX], finished[GIVEN_MAX];
} fetch_log;
extern fetch_log given_log;
