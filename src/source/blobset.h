/*
 * blobset: the candidate blobs of a git scan, each id once, in the order they
 * were first met, with the path and commit that introduced it. Collecting the
 * set and scanning it are separate steps (see blobscan.h), so the scan can be
 * split over workers while the report order stays the order of this set.
 * Also an oidset: a plain id set (commits already visited, ...).
 */
#ifndef SG_BLOBSET_H
#define SG_BLOBSET_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

/* One slot of the hash table: the id itself (a lookup reads one slot, not ids[] too). */
struct oidset_slot {
	git_oid id;
	uint32_t index1; /* index+1 into ids; 0 = empty */
};

struct oidset {
	git_oid *ids;  /* in insertion order */
	size_t n, cap;
	struct oidset_slot *slots; /* open addressing, linear probing, at most half full */
	size_t nslots;
};

void oidset_init(struct oidset *s);
void oidset_free(struct oidset *s);
/* Inserts id; returns 1 if it was new, 0 if present. *index (optional) receives its position. */
int oidset_add(struct oidset *s, const git_oid *id, size_t *index);
int oidset_contains(const struct oidset *s, const git_oid *id);

struct blob_entry {
	git_oid id;
	char *path;       /* path in the tree where it was first met ("" never) */
	git_oid commit;   /* commit that introduced it; zero if none (index, quarantine) */
	int has_commit;
	int group;        /* caller-defined (pushed ref index); 0 if unused */
};

/* Entries live in fixed-size chunks that never move once allocated, so a pointer to an
 * entry stays valid while the set grows (history hands entries to workers as it walks). */
#define BLOBSET_CHUNK 4096

struct blobset {
	struct oidset ids;
	struct blob_entry **chunks; /* entry i is chunks[i / BLOBSET_CHUNK][i % BLOBSET_CHUNK] */
	size_t nchunks, capchunks;
};

void blobset_init(struct blobset *s);
void blobset_free(struct blobset *s);
size_t blobset_count(const struct blobset *s);
/* Entry i (i < count): ids.ids[i]'s origin. The pointer stays valid until blobset_free. */
const struct blob_entry *blobset_at(const struct blobset *s, size_t i);
/* Adds a blob unless its id is already present; returns 1 if added. commit may be NULL. */
int blobset_add(struct blobset *s, const git_oid *id, const char *path, const git_oid *commit,
                int group);

#endif
