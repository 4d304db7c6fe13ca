/*
 * multimatch: finds which of a fixed set of short literal anchors occur in a
 * buffer, in one pass. It answers "which flags", not "where": the prefilter
 * needs only to know which detector families may match (detect/prefilter.c).
 */
#ifndef SG_MULTIMATCH_H
#define SG_MULTIMATCH_H

#include <stddef.h>

struct mm_pattern {
	const char *s;  /* the literal (may hold non-ASCII bytes; not NUL inside) */
	unsigned flag;  /* OR-ed into the result when the pattern occurs */
	int ci;         /* ASCII letters match in either case */
	int hex8;       /* the literal must be followed by 8 bytes of [0-9a-f] */
	/* If set: the rest of the line after the literal must hold one of these bytes or the
	 * opener of a block comment. A line that runs past the end of the buffer counts as holding them
	 * (a chunk cannot tell), so the answer stays an over-approximation. */
	const char *line_has;
	/* If set: the byte before the literal is not [A-Za-z0-9_-] (start of an identifier). */
	int word;
	/* If set: the byte after the literal (after hex8's digits) is one of these bytes; at the
	 * end of the buffer it counts as one of them. */
	const char *next_in;
	/* 1..8: the filter bucket to put the pattern in (patterns that look alike should share
	 * one); 0: chosen by the pattern's first byte. */
	int bucket;
};

struct multimatch;

/* Compiles up to MM_MAX_PATTERNS patterns (each 2..63 bytes long, 1 with hex8); NULL if invalid. */
#define MM_MAX_PATTERNS 128
struct multimatch *multimatch_new(const struct mm_pattern *patterns, size_t n);
void multimatch_free(struct multimatch *m);

/*
 * The OR of the flags of every pattern that occurs wholly inside d[0, n).
 * Patterns whose flag is already in `known` are not looked for (their flag is
 * kept in the result), so a caller feeding chunks can pass what it has.
 */
unsigned multimatch_scan(const struct multimatch *m, const unsigned char *d, size_t n,
                         unsigned known);

/* The same answer without SIMD (the reference the SIMD path is tested against). */
unsigned multimatch_scan_scalar(const struct multimatch *m, const unsigned char *d, size_t n,
                                unsigned known);

#endif
