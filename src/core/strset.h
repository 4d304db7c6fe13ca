/*
 * strset: a set of byte strings that remembers insertion order (open addressing
 * over FNV-1a hashes, copies kept). For deduplicating what a command collects
 * (learn's identifiers) in linear time; it knows nothing of what the strings mean.
 */
#ifndef SG_STRSET_H
#define SG_STRSET_H

#include <stddef.h>
#include <stdint.h>

struct strset_item {
	char *str; /* a NUL-terminated copy */
	size_t len;
};

struct strset {
	struct strset_item *items; /* in insertion order */
	size_t n, cap;
	uint32_t *slots;  /* item index + 1; 0: empty */
	size_t nslots;    /* a power of two, at least twice n */
};

void strset_init(struct strset *s);
void strset_free(struct strset *s);

/* Adds s[0..len) (copied). Returns 1 if it was new, 0 if already there. */
int strset_add(struct strset *s, const char *str, size_t len);

/* Whether s[0..len) is in the set. */
int strset_has(const struct strset *s, const char *str, size_t len);

#endif
