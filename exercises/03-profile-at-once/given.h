/* What the check sees of the given code: each service's calls. */
enum { SVC_USER, SVC_ORDERS, SVC_FRIENDS, SVC_COUNT };
typedef struct service_log {
    int calls, running, cancelled, most_running_all;
    double first_start, last_end;
} service_log;
extern service_log given_svc[SVC_COUNT];
extern int given_running_all, given_most_running_all;
extern const char *const given_svc_name[SVC_COUNT];
