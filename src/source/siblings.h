/*
 * siblings: the files beside a blob of a git scan (scan_ctx.siblings), as the
 * blob's origin holds them: the tree of the commit that introduced it, or the
 * index git is writing (pre-commit). Entries with neither (quarantine objects
 * no pushed commit reaches) have no directory context.
 */
#ifndef SG_SIBLINGS_H
#define SG_SIBLINGS_H

#include <git2.h>

#include "core/scan.h"
#include "source/blobset.h"

struct git_siblings {
	struct scan_siblings base; /* what scan_ctx.siblings points at */
	git_odb *odb;
	const struct blob_entry *e;
	int from_index; /* entries without a commit come from the index git is writing */
};

/* Fills g for entry e (nothing is allocated; g must outlive the scan of e). */
void git_siblings_init(struct git_siblings *g, git_odb *odb, const struct blob_entry *e,
                       int from_index);

#endif
