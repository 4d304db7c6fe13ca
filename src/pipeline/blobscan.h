/*
 * blobscan: runs the pipeline over entries [from, to) of a blobset, reading each
 * blob from one repository. Findings get the blob's commit, ref and id, then the
 * policy of the entry's group. Reentrant: a worker with its own git_repository
 * and finding list can scan a slice; concatenating slice lists in slice order
 * gives the same report as one pass.
 */
#ifndef SG_BLOBSCAN_H
#define SG_BLOBSCAN_H

#include <stddef.h>

#include <git2.h>

#include "core/finding.h"
#include "pipeline/pipeline.h"
#include "source/blobset.h"
#include "source/packread.h"

struct blobscan_opts {
	const struct scan_limits *limits;
	const struct policy *const *policies; /* indexed by entry group; NULL: built-in rules */
	const char *const *refs;              /* indexed by entry group; NULL: no ref */
	const struct packread *packs;         /* read blobs through these first; NULL: libgit2 */
	const struct lfs_store *lfs;          /* LFS objects behind pointers; NULL: not resolved */
	int index_siblings; /* entries without a commit are staged: their directory is the index */
};

/* Reads (through pc, if given, else odb) and scans one entry; an unreadable blob becomes a
 * scan error. */
void blobscan_entry(git_odb *odb, struct packread_cache *pc, const struct blob_entry *e,
                    const struct blobscan_opts *o, struct finding_list *out);

/* Scans entries [0, n) of set; unreadable blobs become scan errors and the scan goes on.
 * Returns 0. */
int blobscan_run(git_repository *repo, const struct blobset *set, size_t n,
                 const struct blobscan_opts *o, struct finding_list *out);

#endif
