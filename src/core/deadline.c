/*
 * deadline: the time budget behind deadline.h, with setitimer(ITIMER_REAL) and
 * async-signal-safe handlers that only write(2) a message prepared in advance
 * and _exit(2). It decides nothing about what is scanned.
 */
#include "core/deadline.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

/* Messages are built when armed: a signal handler may not format. */
static char msg_timeout[640], msg_stopped[4][320];
static size_t len_timeout, len_stopped[4];
static struct timespec started;
static int armed;

static const int stop_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
static const char *const stop_names[] = {"SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"};

static void on_alarm(int sig)
{
	(void)sig;
	ssize_t r = write(2, msg_timeout, len_timeout);
	(void)r;
	_exit(SG_EXIT_ERROR);
}

static void on_stop(int sig)
{
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
		if (stop_signals[i] == sig) {
			ssize_t r = write(2, msg_stopped[i], len_stopped[i]);
			(void)r;
		}
	}
	_exit(SG_EXIT_ERROR);
}

int deadline_parse(const char *text, unsigned *seconds)
{
	char *end;
	if (!text || *text < '0' || *text > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	if (errno || *end || v > 7ul * 24 * 3600)
		return -1;
	*seconds = (unsigned)v;
	return 0;
}

void deadline_arm(unsigned seconds, const char *what, const char *hint)
{
	struct itimerval it;
	sigset_t stops, old;
	memset(&it, 0, sizeof(it));
	/* no handler may read a message while it is rewritten */
	setitimer(ITIMER_REAL, &it, NULL);
	sigemptyset(&stops);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaddset(&stops, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &stops, &old);
	if (!armed) {
		clock_gettime(CLOCK_MONOTONIC, &started);
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		sa.sa_handler = on_stop;
		for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
			sigaction(stop_signals[i], &sa, NULL);
		armed = 1;
	}
	int n = snprintf(msg_timeout, sizeof(msg_timeout),
	                 "stateguard: %s ran out of its time budget of %u s before it could finish "
	                 "checking; nothing was accepted. %s\n",
	                 what, seconds, hint);
	len_timeout = n < 0 ? 0 : (size_t)n < sizeof(msg_timeout) ? (size_t)n : sizeof(msg_timeout) - 1;
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
		n = snprintf(msg_stopped[i], sizeof(msg_stopped[i]),
		             "stateguard: %s was stopped by %s before it could finish checking; "
		             "nothing was accepted.\n",
		             what, stop_names[i]);
		len_stopped[i] = n < 0 ? 0
		                 : (size_t)n < sizeof(msg_stopped[i]) ? (size_t)n
		                                                      : sizeof(msg_stopped[i]) - 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (seconds) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long left_us = (long long)seconds * 1000000 -
		                    ((long long)(now.tv_sec - started.tv_sec) * 1000000 +
		                     (now.tv_nsec - started.tv_nsec) / 1000);
		if (left_us < 1)
			left_us = 1; /* already over: fire at once */
		it.it_value.tv_sec = (time_t)(left_us / 1000000);
		it.it_value.tv_usec = (suseconds_t)(left_us % 1000000);
	}
	setitimer(ITIMER_REAL, &it, NULL);
}
