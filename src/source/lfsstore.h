/*
 * lfsstore: a Git LFS object store on disk, the place the objects behind LFS
 * pointers come from, and what an absent object means for the hook reading it.
 */
#ifndef SG_LFSSTORE_H
#define SG_LFSSTORE_H

/* What an object that is not in the store means for the hook. */
enum lfs_mode {
	LFS_MODE_COMMIT,  /* pre-commit: the clean filter just wrote it; absent = error (refuse) */
	LFS_MODE_PUSH,    /* pre-push: absent = warning (this push cannot upload it either) */
	LFS_MODE_RECEIVE, /* pre-receive: absent = blocking (the server would serve nothing) */
	LFS_MODE_HISTORY, /* history: absent = error (the audit is incomplete), counted */
};

/* An LFS object store: <dir>/aa/bb/<oid> (git-lfs) or <dir>/aa/bb/<oid minus 4 hex>
 * (GitLab shared/lfs-objects, Gitea data/lfs); both are looked at. Read-only once made:
 * shared by every scanning thread. */
struct lfs_store {
	char *dir;
	enum lfs_mode mode;
	char *origin; /* how dir was chosen, for messages: "stateguard.lfsStore", ... */
};

/* A store over `dir` (copied); `origin` says where dir came from. */
struct lfs_store *lfs_store_new(const char *dir, enum lfs_mode mode, const char *origin);
void lfs_store_free(struct lfs_store *s);

/*
 * Finds object `oid` (64 hex) in the store. Returns 0 with *path (caller frees) when a
 * file is there, 1 when it is in neither layout, -1 with errno set when a directory
 * cannot be searched.
 */
int lfs_store_find(const struct lfs_store *s, const char *oid, char **path);

#endif
