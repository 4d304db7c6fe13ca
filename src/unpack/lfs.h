/*
 * lfs: the Git LFS layer (pointers; the stores are source/lfsstore.h). A blob that
 * git-lfs would smudge is a pointer; the object it names is read from the
 * store the hook was given (struct lfs_store, carried in scan_ctx) and scanned
 * as if it were the file. Which store a hook uses is decided by the caller
 * (source/gitrepo.c reads the git config); this module only looks in it.
 */
#ifndef SG_LFS_H
#define SG_LFS_H

#include <stddef.h>
#include <stdint.h>

#include "source/lfsstore.h"

/* git-lfs reads at most this many bytes of a blob to decide whether it is a pointer. */
#define LFS_POINTER_MAX 1024
/* The shortest pointer: "version http://git-media.io/v/2", a 64-hex oid and "size 0". */
#define LFS_POINTER_MIN 114

struct lfs_pointer {
	char oid[65];   /* SHA-256 of the object, 64 lower-case hex digits */
	uint64_t size;  /* the object's size in bytes, as the pointer states it */
	unsigned nexts; /* ext-N-name lines (the object is what the extensions produced) */
};

/*
 * Cheap first test, for every blob: 0 when the bytes cannot be a pointer (they do not
 * start with white space, "version" or "ext-"), 1 when lfs_pointer_parse must decide.
 */
static inline int lfs_maybe_pointer(const unsigned char *d, size_t len)
{
	if (len < LFS_POINTER_MIN)
		return 0;
	unsigned c = d[0];
	return c == 'v' || c == 'e' || c == ' ' || (c >= '\t' && c <= '\r') || c == 0xc2 ||
	       (c >= 0xe1 && c <= 0xe3);
}

/*
 * Parses a blob the way git-lfs 3.x decides what to smudge (lfs/pointer.go), so that
 * whatever git-lfs would replace by an object is recognised: the first 1024 bytes,
 * white space trimmed; "version" first with one of the three spec URLs git-lfs reads;
 * then "oid sha256:<64 lower-case hex>" and "size <decimal>", in that order; ext-N-name
 * lines with a sha256 oid and distinct priorities; empty lines and a CR before each LF
 * ignored. The canonical pointer git-lfs writes is one such text. Returns 1 with *p set
 * for a pointer, 0 for anything else (ordinary content).
 */
int lfs_pointer_parse(const unsigned char *data, size_t len, struct lfs_pointer *p);

/* Rule ids of the findings this layer adds. */
#define LFS_RULE_MISSING "lfs-object-missing"
#define LFS_RULE_MISMATCH "lfs-object-mismatch"

#endif
