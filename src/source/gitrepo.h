/*
 * gitrepo: opening the repository a hook runs in, the way git describes it to
 * the hook (GIT_DIR, GIT_WORK_TREE, GIT_QUARANTINE_PATH), reading objects
 * within a size cap (through packread when the caller has one), and running
 * git itself for what libgit2 1.5.1 cannot do (the index's cache-tree). It
 * knows nothing of scanning or policy.
 */
#ifndef SG_GITREPO_H
#define SG_GITREPO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <git2.h>

#include "source/packread.h"
#include "source/lfsstore.h"

/* Once per process, before any thread: strict hash verification off (objects are local or
 * already hashed by index-pack), which doubles blob read speed. */
void gitrepo_global_init(void);

/* The message of the last libgit2 error on this thread, never NULL. */
const char *gitrepo_errmsg(void);

/*
 * Opens the repository: `path` if given, else $GIT_DIR if set (exactly there), else by
 * discovery from the current directory. $GIT_WORK_TREE is honoured. If $GIT_QUARANTINE_PATH
 * is set (pre-receive), it is added as an object directory. GIT_REPOSITORY_OPEN_FROM_ENV is
 * deliberately not used (it breaks on paths containing ':').
 */
int gitrepo_open(git_repository **out, const char *path, char *err, size_t errsz);

/*
 * Opens the repository's own object store without the quarantine (pre-receive: an object
 * found here was accepted before this push).
 */
int gitrepo_open_main_odb(git_odb **out, git_repository *repo, char *err, size_t errsz);

/*
 * The Git LFS object store of repo for a hook in `mode` (source/lfsstore.h): git config
 * stateguard.lfsStore if set (a server's store, e.g. GitLab's shared/lfs-objects), else
 * lfs.storage + "/objects" if set (git-lfs's own override), else <common dir>/lfs/objects.
 * Relative paths are under the common dir. Returns 0 with *out (lfs_store_free), or -1
 * with err set when the config cannot be read.
 */
int gitrepo_lfs_store(git_repository *repo, enum lfs_mode mode, struct lfs_store **out, char *err,
                      size_t errsz);

/*
 * The packs packread reads for repo: its own object store's, and the quarantine's when
 * $GIT_QUARANTINE_PATH is set (as gitrepo_open adds it). Never NULL; free with
 * packread_free.
 */
struct packread *gitrepo_packs(git_repository *repo);

/* An object's bytes, read by gitrepo_read_object; gitrepo_obj_release frees them. */
struct gitrepo_obj {
	const unsigned char *data; /* NUL-terminated after size bytes */
	size_t size;
	git_object_t type;
	git_odb_object *odb_obj; /* read by libgit2, or */
	unsigned char *own;      /* read by packread */
};

void gitrepo_obj_release(struct gitrepo_obj *o);

/*
 * Reads object `id` whole: through pc (packread) when it is given and holds the object, else
 * through libgit2 (which also gets the last word when packread finds an entry corrupt).
 * `want` is a type the object must have, or GIT_OBJECT_ANY. Returns 0 with *out set, 1 if
 * it is larger than max (then out->size is its size, nothing is read), -1 with err set if
 * it is missing, unreadable or of another type.
 */
int gitrepo_read_object(git_odb *odb, struct packread_cache *pc, const git_oid *id,
                        git_object_t want, uint64_t max, struct gitrepo_obj *out, char *err,
                        size_t errsz);

/* The tree of commit `id`, from the commit's raw text ("tree <hex>" comes first): no full
 * parse. Returns 0, or -1 with err set. */
int gitrepo_read_commit_tree(git_odb *odb, struct packread_cache *pc, const git_oid *id,
                             git_oid *tree, char *err, size_t errsz);

/* gitrepo_read_object for a blob. */
int gitrepo_read_blob(git_odb *odb, struct packread_cache *pc, const git_oid *id, uint64_t max,
                      struct gitrepo_obj *out, char *err, size_t errsz);

/*
 * Runs `git ARGV...` with the current environment and directory and captures its stdout
 * (NUL-terminated, at most max bytes). Returns 0 on exit status 0, else -1 with err set
 * (including git's exit status).
 */
int gitrepo_run_git(const char *const *argv, size_t max, char **out, size_t *len, char *err,
                    size_t errsz);

/* A git child process whose standard output is being captured (gitrepo_git_start). */
struct gitrepo_child {
	pid_t pid;
	int fd;
	char what[64];
};

/*
 * Starts `git ARGV...` (current environment and directory) with its stdout on a pipe, so the
 * caller can work while git runs. Returns 0, or -1 with err set. Every started child must end
 * with gitrepo_git_finish or gitrepo_git_abandon.
 */
int gitrepo_git_start(struct gitrepo_child *c, const char *const *argv, char *err, size_t errsz);

/* Reads the child's output (as gitrepo_run_git) and reaps it. */
int gitrepo_git_finish(struct gitrepo_child *c, size_t max, char **out, size_t *len, char *err,
                       size_t errsz);

/* Stops and reaps a started child whose output is no longer wanted. */
void gitrepo_git_abandon(struct gitrepo_child *c);

#endif
