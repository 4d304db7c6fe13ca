/*
 * policy_source: where each git mode takes its policy from, one function per
 * mode, so that merge rules (server/user config over a pushed one) plug in
 * here. Loading only: the meaning of a config is policy.c's business.
 * Each returns 0 with *out set (NULL: no config, built-in rules), or -1 with
 * err naming the config that could not be read or parsed (callers exit 2).
 */
#ifndef SG_POLICY_SOURCE_H
#define SG_POLICY_SOURCE_H

#include <stddef.h>

#include <git2.h>

#include "policy/policy.h"
#include "source/index.h"

/* The in-repository config file name. */
#define POLICY_REPO_FILE ".stateguard.json"

/*
 * pre-commit, pre-merge-commit: the config as staged (the index), which is what
 * will be committed, combined with the user's config (`git config stateguard.config`).
 */
int policy_for_commit(struct policy **out, git_repository *repo,
                      const struct index_path_state *staged, char *err, size_t errsz);

/*
 * pre-push: `allow` and the rest from the config in the tree of the commit being
 * pushed (`tip`; NULL: none), combined with the user's config (`git config
 * stateguard.config`), whose block rules the pushed config cannot weaken. Allow
 * entries the remote does not have yet (config at `remote_tip`, else at
 * refs/remotes/REMOTE/HEAD) are fresh: they do not excuse content of this push.
 */
int policy_for_push(struct policy **out, git_repository *repo, const git_oid *tip,
                    const char *remote, const git_oid *remote_tip, char *err, size_t errsz);

/*
 * pre-receive: server policy, never the pushed commits: `git config stateguard.config`
 * (a path), else $GIT_DIR/stateguard.json if it exists. Only if the server policy
 * sets "server": {"repository_config": true} (or git config
 * stateguard.repositoryConfig is true), the repository's config at the tip of the
 * default branch before the push is combined in (policy_combine).
 */
int policy_for_receive(struct policy **out, git_repository *repo, char *err, size_t errsz);

/* history: `file` if given, else the config in HEAD's tree (none on an unborn HEAD). */
int policy_for_history(struct policy **out, git_repository *repo, const char *file, char *err,
                       size_t errsz);

#endif
