/*
 * packread: objects read straight out of a repository's pack files, for the
 * history audit's hot loop and for pushes of many objects (pre-receive, pre-push). The packs of one object directory are opened once
 * (struct packread, immutable, shared by threads); each thread reads through
 * its own struct packread_cache (delta-base cache and decompressor, no locks).
 * Anything packread does not hold or cannot read is reported as "not here",
 * and the caller asks libgit2 (gitrepo_read_object): packread never decides
 * that an object is missing or corrupt on its own.
 */
#ifndef SG_PACKREAD_H
#define SG_PACKREAD_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

struct packread;
struct packread_cache;

enum {
	PACKREAD_OK = 0,
	PACKREAD_NOT_HERE = 1, /* not in these packs, or stored in a way left to libgit2 */
	PACKREAD_TOO_BIG = 2,  /* larger than the caller's max: *size and *type are set */
};

/*
 * Opens every pack of `objects_dir` (its pack/ folder) that has a version-2 index matching
 * it. A pack that cannot be opened or fails the checks is skipped, not an error: its
 * objects are "not here". Returns 0 (possibly with no packs).
 */
int packread_open(struct packread **out, const char *objects_dir);

/* Adds the packs of another object directory (a quarantine, ...), as packread_open does.
 * Only before any packread_cache_new on pr. */
void packread_add(struct packread *pr, const char *objects_dir);

/* One pack from an index and a pack held in memory (not copied; tests and fuzzing).
 * Returns 0, or -1 with err set if they fail the checks packread_open applies. */
int packread_open_mem(struct packread **out, const void *idx, size_t idxlen, const void *pack,
                      size_t packlen, char *err, size_t errsz);

/* Packs opened. */
size_t packread_count(const struct packread *pr);


void packread_free(struct packread *pr);

/* Delta bases one reader keeps: libgit2's own figure. On hashicorp/terraform 8, 16, 32 and
 * 96 MiB per thread (git keeps 96 MiB) took the same time within noise; each 16 MiB more
 * per thread costs up to 48 MiB of RSS. */
#define PACKREAD_CACHE_BYTES ((size_t)16 << 20)

/* A reader for one thread, keeping up to limit_bytes of delta bases. pr must outlive it. */
struct packread_cache *packread_cache_new(const struct packread *pr, size_t limit_bytes);

void packread_cache_free(struct packread_cache *c);

/*
 * Reads object `id`. PACKREAD_OK: *data is a malloc'd copy (NUL-terminated after *size
 * bytes, the caller frees it), *size and *type set. PACKREAD_TOO_BIG: the object is larger
 * than max; nothing is inflated beyond what telling its size needs. PACKREAD_NOT_HERE, or
 * -1 with err set when the pack entry is corrupt (the caller may still ask libgit2).
 */
int packread_read(struct packread_cache *c, const git_oid *id, uint64_t max, unsigned char **data,
                  size_t *size, git_object_t *type, char *err, size_t errsz);

/*
 * The type of object `id`, from entry headers alone (a delta's base is followed, nothing is
 * inflated). PACKREAD_OK, PACKREAD_NOT_HERE, or -1 with err set.
 */
int packread_type(struct packread_cache *c, const git_oid *id, git_object_t *type, char *err,
                  size_t errsz);

#endif
