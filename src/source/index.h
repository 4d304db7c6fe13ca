/*
 * index: the blobs a commit being made will add: every index entry that
 * differs from HEAD (the empty tree on an unborn branch), as git will commit
 * them. It reads the index git is writing (GIT_INDEX_FILE: index.lock for
 * `commit -a`, a temporary index for `commit <paths>`) and never modifies the
 * index or the work tree.
 */
#ifndef SG_INDEX_H
#define SG_INDEX_H

#include <stddef.h>

#include <git2.h>

#include "source/blobset.h"

/* What the index holds at one path (the team's config file), compared with HEAD. */
struct index_path_state {
	int state;  /* 0: as in HEAD (or absent from both), 1: staged blob `id`, -1: staged deletion */
	git_oid id;
};

/*
 * The listing of staged changes (`git diff-index --cached HEAD`) started ahead, so that git
 * reads the index (using its cache-tree) while this process starts libgit2. NULL if git
 * could not be started (index_staged_blobs then runs git itself).
 */
struct index_listing;
struct index_listing *index_listing_start(void);
void index_listing_free(struct index_listing *l);

/*
 * Adds every staged blob that differs from HEAD to set (intent-to-add entries and
 * gitlinks skipped) and reports in *watch what the index holds at `watch_path`. `early`: a
 * listing from index_listing_start (NULL: git is started now). Returns 0, or -1 with err
 * set: nothing is ever reported as "nothing staged" by accident.
 */
int index_staged_blobs(git_repository *repo, struct index_listing *early, struct blobset *set,
                       const char *watch_path, struct index_path_state *watch, char *err,
                       size_t errsz);

#endif
