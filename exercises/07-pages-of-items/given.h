/* What the check sees of the given code: pages fetched and freed. */
extern int given_fetched, given_freed, given_failing_page;
