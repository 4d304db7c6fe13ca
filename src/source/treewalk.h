/*
 * treewalk: the blobs commits introduce. Hooks use a pruned walk of a commit's
 * tree against all its parents' trees at once: an entry whose id equals the
 * same-named entry of any parent is skipped (a whole subtree when it is a
 * tree), so cost follows the change, and a merge shows only what differs from
 * every parent. History uses a seen-tree walk instead (treewalk_unique): a tree
 * met before, in any commit, is skipped whole. Neither reads blob content.
 */
#ifndef SG_TREEWALK_H
#define SG_TREEWALK_H

#include <stddef.h>

#include <git2.h>

#include "source/blobset.h"
#include "source/packread.h"

/*
 * Adds to `set` every blob (and symlink) of `commit`'s tree that no parent has at the same
 * path, with the commit as origin. Gitlinks are never read. Trees are read raw (through pc
 * when given) and each parent's tree in step with the commit's. Returns 0, or -1 with err
 * set if a tree or parent cannot be read or is corrupt (the caller decides whether that is
 * fatal).
 */
int treewalk_commit(git_repository *repo, struct packread_cache *pc, git_commit *commit,
                    struct blobset *set, int group, char *err, size_t errsz);

/*
 * Adds every blob of `tree` (a tag pointing at a tree, ...), paths below `prefix`
 * (may be ""). `commit` may be NULL.
 */
int treewalk_tree(git_repository *repo, git_tree *tree, const char *prefix, const git_oid *commit,
                  struct blobset *set, int group, char *err, size_t errsz);

/*
 * History: adds every blob of `tree` not met before, skipping whole subtrees already in
 * `seen_trees` (which it extends), with `commit` as origin. Walking a history's commits
 * oldest first this way reads each tree once and gives each blob the first commit and path
 * that had it. Trees are read through pc when given (see gitrepo_read_object). Returns 0,
 * or -1 with err set (unreadable or corrupt tree).
 */
int treewalk_unique(git_odb *odb, struct packread_cache *pc, struct oidset *seen_trees,
                    const git_oid *tree, const git_oid *commit, struct blobset *set, char *err,
                    size_t errsz);

#endif
