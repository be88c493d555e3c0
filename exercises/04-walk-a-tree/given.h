/* What the check sees of the given code: fetches per node, overlap, failures. */
extern int given_fetches[];         /* [node]: how many times it was fetched */
extern int given_running, given_most_running, given_failing_node;
