/* What the check sees of the given code: numbers generators started, closed,
 * and numbers handed out. */
extern int given_started, given_finished, given_yielded;
