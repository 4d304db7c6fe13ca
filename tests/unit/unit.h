/*
 * unit: common includes for the cmocka unit tests, and the two helpers of the tests
 * that build real repositories with git in a temporary directory.
 */
#ifndef SG_UNIT_H
#define SG_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Runs a shell command built printf-style (up to 16 KiB). 0 if it exits 0, else -1. */
__attribute__((format(printf, 1, 2))) static inline int unit_sh(const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	return system(cmd) == 0 ? 0 : -1;
}

/* Makes the fixture directory `dir` (a mkdtemp template, filled in) and runs `script` with
 * the directory as its one printf argument. 0 or -1. */
static inline int unit_fixture(char *dir, const char *script)
{
	if (!mkdtemp(dir))
		return -1;
	return unit_sh(script, dir);
}

/* Removes a fixture directory, unless $SG_KEEP_FIXTURES is set (to look at a failure). */
static inline int unit_rm_fixture(const char *dir)
{
	if (getenv("SG_KEEP_FIXTURES")) {
		fprintf(stderr, "kept %s\n", dir);
		return 0;
	}
	return unit_sh("rm -rf '%s'", dir);
}

#endif
