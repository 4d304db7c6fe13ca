/*
 * lfsstore: a Git LFS object store on disk, where the objects behind pointers
 * come from: <dir>/aa/bb/<oid> (git-lfs) or <dir>/aa/bb/<oid minus 4 hex>
 * (GitLab, Gitea). It only looks objects up; it never writes or deletes, and
 * which directory a hook uses is decided by gitrepo.c from the git config.
 */
#include "source/lfsstore.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/util.h"

struct lfs_store *lfs_store_new(const char *dir, enum lfs_mode mode, const char *origin)
{
	struct lfs_store *s = xcalloc(1, sizeof(*s));
	s->dir = xstrdup(dir);
	s->mode = mode;
	s->origin = xstrdup(origin);
	return s;
}

void lfs_store_free(struct lfs_store *s)
{
	if (!s)
		return;
	free(s->dir);
	free(s->origin);
	free(s);
}

int lfs_store_find(const struct lfs_store *s, const char *oid, char **path)
{
	struct stat st;
	int err = 0;
	*path = NULL;
	for (int layout = 0; layout < 2; layout++) {
		char *p = xasprintf("%s/%.2s/%.2s/%s", s->dir, oid, oid + 2, oid + (layout ? 4 : 0));
		if (stat(p, &st) == 0) {
			*path = p;
			return 0;
		}
		if (errno != ENOENT && errno != ENOTDIR)
			err = errno;
		free(p);
	}
	if (err) {
		errno = err;
		return -1;
	}
	return 1;
}
