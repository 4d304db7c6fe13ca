/*
 * commits: which commits are new, and the blobs they introduce. A revwalk
 * (pre-push, history, pre-receive without quarantine) or a walk bounded by the
 * repository's own object store (pre-receive with quarantine). Every walk
 * fails closed: an error that is not the end of the walk is returned, never
 * read as "no more commits". Content is not read here.
 */
#ifndef SG_COMMITS_H
#define SG_COMMITS_H

#include <stddef.h>

#include <git2.h>

#include "core/finding.h"
#include "source/packread.h"
#include "source/blobset.h"

/*
 * Hides every ref matching glob (e.g. refs/remotes/origin/ followed by a star) by iterating them:
 * a ref that does not resolve to a commit (dangling symref, tag of a blob) is skipped, never
 * fatal. Returns 0, or -1 with err set if the refs cannot be listed.
 */
int commits_hide_refs(git_revwalk *walk, git_repository *repo, const char *glob, char *err,
                      size_t errsz);

/*
 * Hides `id` if the object exists locally (a remote's old tip may not). Returns 0, or -1 with
 * err set if it exists but cannot be hidden.
 */
int commits_hide_if_present(git_revwalk *walk, git_repository *repo, const git_oid *id, char *err,
                            size_t errsz);

/*
 * Adds a pushed tip: peels tags; a commit is pushed on the walk (walk may be NULL: then it is
 * added to `tips`), a blob goes into set (path = refname), a tree is walked whole. Returns 0,
 * or -1 with err set (missing object, ...).
 */
int commits_add_tip(git_repository *repo, git_revwalk *walk, struct oidset *tips,
                    const git_oid *id, const char *refname, struct blobset *set, int group,
                    char *err, size_t errsz);

/*
 * Runs the walk to its end, adding each new commit's introduced blobs to set (commits in
 * `seen` are skipped, then added to it). With `errors` NULL the first unreadable commit or
 * tree is fatal (-1, err set); otherwise it is recorded there as a scan error and the walk
 * goes on. A walk error (missing or shallow history) is always fatal. *ncommits (optional)
 * counts the commits walked.
 */
int commits_collect(git_repository *repo, struct packread_cache *pc, git_revwalk *walk,
                    struct blobset *set, int group, struct oidset *seen,
                    struct finding_list *errors, size_t *ncommits, char *err, size_t errsz);

/*
 * History: runs the walk to its end, adding the blobs of each commit's tree that no earlier
 * commit of the walk had (treewalk_unique: each tree read once). An unreadable commit or
 * tree is recorded in `errors` as a scan error and the walk goes on; a walk error is fatal
 * (-1, err set). `after` (optional) is called after each commit, e.g. to hand the new
 * entries of set to scanning workers. Commits and trees are read through pc when given
 * (NULL: libgit2 alone).
 */
int commits_collect_unique(git_repository *repo, struct packread_cache *pc,
                           git_revwalk *walk, struct blobset *set, struct oidset *seen_trees,
                           struct finding_list *errors, size_t *ncommits,
                           void (*after)(void *arg), void *arg, char *err, size_t errsz);

/*
 * pre-receive with a quarantine: walks back from `tips` through commits absent from
 * `main_odb` (the repository before this push) and adds the blobs each introduces. Cost
 * follows the size of the push, not of the repository. Fails closed on any missing object.
 */
int commits_collect_new(git_repository *repo, git_odb *main_odb, struct packread_cache *pc,
                        const struct oidset *tips, struct blobset *set, int group,
                        struct oidset *seen, size_t *ncommits, char *err, size_t errsz);

#endif
