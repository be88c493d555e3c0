/* What the check sees of the given code: what say() was given, and when. */
#define SAID_MAX 64
typedef struct said_log { int count; int n[SAID_MAX]; double at[SAID_MAX]; } said_log;
extern said_log given_said;
