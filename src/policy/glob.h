/*
 * glob: path patterns of the configuration, matched against paths relative to
 * the repository root. `**` (a whole segment) spans directories, `*` and `?`
 * stay within one segment, `[a-z]`/`[!x]` are classes, `\` escapes. Patterns
 * are anchored at the root; a trailing slash means everything below. No file
 * system access.
 */
#ifndef SG_GLOB_H
#define SG_GLOB_H

#include <stddef.h>

/* Checks a pattern; returns 0, or -1 with a reason in err (e.g. "unclosed '['"). */
int glob_check(const char *pattern, char *err, size_t errsz);

/* 1 if a checked pattern matches the relative path, else 0. */
int glob_match(const char *pattern, const char *path);

/* Writes `path` with glob metacharacters escaped; returns a new string. */
char *glob_escape(const char *path);

#endif
