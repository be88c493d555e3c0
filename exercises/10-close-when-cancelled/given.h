/* What the check sees of the given code: connections opened and closed. */
extern int given_opened, given_closed, given_close_cancelled;
