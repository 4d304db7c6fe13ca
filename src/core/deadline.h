/*
 * deadline: a wall-clock budget for one command run (the server's pre-receive).
 * When it runs out, or when the process is told to stop (SIGTERM, SIGINT,
 * SIGHUP), it prints why and exits 2: the hook fails closed with a message
 * instead of hanging a push or dying by a signal. Process-wide by nature (one
 * timer, signal handlers); it knows nothing about Git or configuration.
 */
#ifndef SG_DEADLINE_H
#define SG_DEADLINE_H

/* Parses a budget: whole seconds, 0 meaning none (at most one week). Returns 0 or -1. */
int deadline_parse(const char *text, unsigned *seconds);

/*
 * Arms (or re-arms) the budget: `seconds` counted from the first call, 0 for
 * none. `what` names the command and `hint` says how to raise the budget; both
 * are copied. Signal handlers are installed on the first call.
 */
void deadline_arm(unsigned seconds, const char *what, const char *hint);

#endif
