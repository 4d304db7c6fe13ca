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

/* pre-commit, pre-merge-commit: the config as staged (the index), which is what will be committed. */
int policy_for_commit(struct policy **out, git_repository *repo,
                      const struct index_path_state *staged, char *err, size_t errsz);

/* pre-push: the config in the tree of the commit being pushed (`tip`; NULL: none). */
int policy_for_push(struct policy **out, git_repository *repo, const git_oid *tip, char *err,
                    size_t errsz);

/*
 * pre-receive: server policy only, never the pushed commits: `git config stateguard.config`
 * (a path), else $GIT_DIR/stateguard.json if it exists.
 */
int policy_for_receive(struct policy **out, git_repository *repo, char *err, size_t errsz);

/* history: `file` if given, else the config in HEAD's tree (none on an unborn HEAD). */
int policy_for_history(struct policy **out, git_repository *repo, const char *file, char *err,
                       size_t errsz);

#endif
