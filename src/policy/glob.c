/*
 * glob: matching of configuration path patterns. Segment-wise: `**` segments
 * are matched with the classic last-star backtracking over segments, and `*`
 * within a segment the same way over characters, so matching is O(n*m) and
 * never exponential. It does not touch the file system or know about '!'.
 */
#include "policy/glob.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

/* Length of the class at p (p[0] == '['), or 0 if unclosed. */
static size_t class_len(const char *p, const char *end)
{
	const char *q = p + 1;
	if (q < end && (*q == '!' || *q == '^'))
		q++;
	if (q < end && *q == ']')
		q++;
	for (; q < end; q++) {
		if (*q == '\\' && q + 1 < end)
			q++;
		else if (*q == ']')
			return (size_t)(q - p) + 1;
	}
	return 0;
}

static int class_match(const char *p, size_t n, char ch)
{
	const char *q = p + 1, *end = p + n - 1; /* end: the closing ']' */
	unsigned char c = (unsigned char)ch;
	int neg = 0, hit = 0;
	if (*q == '!' || *q == '^') {
		neg = 1;
		q++;
	}
	while (q < end) {
		unsigned char lo = (unsigned char)*q++;
		if (lo == '\\' && q < end)
			lo = (unsigned char)*q++;
		unsigned char hi = lo;
		if (q + 1 < end && *q == '-') {
			q++;
			hi = (unsigned char)*q++;
			if (hi == '\\' && q < end)
				hi = (unsigned char)*q++;
		}
		if (c >= lo && c <= hi)
			hit = 1;
	}
	return c != '/' && hit != neg;
}

/* Matches one pattern segment [p, pe) against one path segment [s, se). */
static int seg_match(const char *p, const char *pe, const char *s, const char *se)
{
	const char *star = NULL, *mark = NULL;
	while (s < se) {
		if (p < pe && *p == '*') {
			star = ++p;
			mark = s;
			continue;
		}
		if (p < pe) {
			size_t adv = 1;
			int ok;
			if (*p == '?') {
				ok = 1;
			} else if (*p == '[') {
				adv = class_len(p, pe);
				ok = class_match(p, adv, *s);
			} else if (*p == '\\' && p + 1 < pe) {
				ok = p[1] == *s;
				adv = 2;
			} else {
				ok = *p == *s;
			}
			if (ok) {
				p += adv;
				s++;
				continue;
			}
		}
		if (!star)
			return 0;
		p = star;
		s = ++mark;
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

struct seg {
	const char *b, *e;
};

static size_t split(const char *s, struct seg *v, size_t max)
{
	size_t n = 0;
	const char *b = s;
	for (const char *q = s;; q++) {
		if (*q == '/' || !*q) {
			if (n < max)
				v[n] = (struct seg){b, q};
			n++;
			if (!*q)
				break;
			b = q + 1;
		}
	}
	return n;
}

#define GLOB_MAX_SEGS 256

int glob_match(const char *pattern, const char *path)
{
	struct seg ps[GLOB_MAX_SEGS], ss[GLOB_MAX_SEGS];
	char buf[4096];
	size_t plen = strlen(pattern);
	if (plen && pattern[plen - 1] == '/') {
		if (plen + 3 > sizeof(buf))
			return 0;
		memcpy(buf, pattern, plen);
		memcpy(buf + plen, "**", 3);
		pattern = buf;
	}
	size_t np = split(pattern, ps, GLOB_MAX_SEGS), ns = split(path, ss, GLOB_MAX_SEGS);
	if (np > GLOB_MAX_SEGS || ns > GLOB_MAX_SEGS)
		return 0;
	size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
	while (j < ns) {
		if (i < np && ps[i].e - ps[i].b == 2 && !memcmp(ps[i].b, "**", 2)) {
			star = ++i;
			mark = j;
			continue;
		}
		if (i < np && seg_match(ps[i].b, ps[i].e, ss[j].b, ss[j].e)) {
			i++;
			j++;
			continue;
		}
		if (star == (size_t)-1)
			return 0;
		i = star;
		j = ++mark;
	}
	while (i < np && ps[i].e - ps[i].b == 2 && !memcmp(ps[i].b, "**", 2))
		i++;
	return i == np;
}

int glob_check(const char *p, char *err, size_t errsz)
{
	size_t n = strlen(p);
	if (!n) {
		snprintf(err, errsz, "empty pattern");
		return -1;
	}
	if (n >= 4000) {
		snprintf(err, errsz, "pattern longer than 4000 characters");
		return -1;
	}
	if (p[0] == '/') {
		snprintf(err, errsz, "patterns are relative to the repository root: remove the leading '/'");
		return -1;
	}
	const char *seg = p;
	size_t nseg = 1;
	for (const char *q = p;; q++) {
		if (*q == '/' || !*q) {
			size_t sl = (size_t)(q - seg);
			if (sl == 0 && *q) {
				snprintf(err, errsz, "empty path segment ('//')");
				return -1;
			}
			if ((sl == 1 && seg[0] == '.') || (sl == 2 && !memcmp(seg, "..", 2))) {
				snprintf(err, errsz, "'.' and '..' segments are not allowed");
				return -1;
			}
			if (sl > 2 && memmem(seg, sl, "**", 2)) {
				snprintf(err, errsz, "'**' must be a whole path segment (like 'a/**/b')");
				return -1;
			}
			if (!*q)
				break;
			seg = q + 1;
			nseg++;
			continue;
		}
		if (*q == '\\') {
			if (!q[1] || q[1] == '/') {
				snprintf(err, errsz, "'\\' at the end of a segment escapes nothing");
				return -1;
			}
			q++;
		} else if (*q == '[') {
			size_t cl = class_len(q, p + n);
			if (!cl || memchr(q, '/', cl)) {
				snprintf(err, errsz, "unclosed '[' (write '\\[' for a literal bracket)");
				return -1;
			}
			if (cl == 2 || (cl == 3 && (q[1] == '!' || q[1] == '^'))) {
				snprintf(err, errsz, "empty character class");
				return -1;
			}
			q += cl - 1;
		}
	}
	if (nseg > GLOB_MAX_SEGS - 1) {
		snprintf(err, errsz, "more than %d path segments", GLOB_MAX_SEGS - 1);
		return -1;
	}
	return 0;
}

char *glob_escape(const char *path)
{
	size_t n = strlen(path);
	char *o = xmalloc(2 * n + 1), *w = o;
	for (const char *q = path; *q; q++) {
		if (strchr("*?[]\\", *q))
			*w++ = '\\';
		*w++ = *q;
	}
	*w = 0;
	return o;
}
