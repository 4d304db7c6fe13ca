/*
 * index: staged blobs vs HEAD through `git diff-index --cached -z --no-renames`.
 * git uses the index's cache-tree to skip unchanged directories and reads sparse
 * and split indexes, which libgit2 1.5.1 cannot (its tree-to-index diff costs
 * about 10x git's on a 100k-file index); blobs are then read with libgit2.
 */
#include "source/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "source/gitrepo.h"

#define EMPTY_TREE "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
#define EMPTY_BLOB "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
#define DIFF_MAX ((size_t)1 << 30)

static int head_tree(git_repository *repo, char *hex, char *err, size_t errsz)
{
	git_object *o = NULL;
	int e = git_revparse_single(&o, repo, "HEAD^{tree}");
	if (e == GIT_ENOTFOUND || e == GIT_EUNBORNBRANCH) {
		strcpy(hex, EMPTY_TREE); /* first commit: everything staged is new */
		return 0;
	}
	if (e < 0) {
		snprintf(err, errsz, "cannot read HEAD: %s", gitrepo_errmsg());
		return -1;
	}
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, git_object_id(o));
	git_object_free(o);
	return 0;
}

/* Parses one ":oldmode newmode oldoid newoid STATUS\0path\0" record at *p. */
static int parse_record(const char **p, const char *end, const char **newmode, const char **newoid,
                        char *status, const char **path)
{
	const char *s = *p, *nul = memchr(s, '\0', (size_t)(end - s));
	if (!nul || s[0] != ':' || nul - s < 1 + 7 + 7 + 41 + 41 + 1)
		return -1;
	*newmode = s + 8;
	*newoid = s + 1 + 7 + 7 + 41;
	*status = s[1 + 7 + 7 + 41 + 41];
	*path = nul + 1;
	const char *pend = memchr(*path, '\0', (size_t)(end - *path));
	if (!pend)
		return -1;
	*p = pend + 1;
	return 0;
}

struct index_listing {
	struct gitrepo_child child;
};

/* `git diff-index --cached` of the index against `base` (a tree-ish), NUL-separated. */
#define DIFF_ARGC 8
static void diff_index_args(const char *argv[DIFF_ARGC], const char *base)
{
	const char *const args[DIFF_ARGC] = {"diff-index", "--cached", "-z", "--no-renames",
	                                     "--no-abbrev", base, "--", NULL};
	memcpy(argv, args, sizeof(args));
}

struct index_listing *index_listing_start(void)
{
	struct index_listing *l = xcalloc(1, sizeof(*l));
	char err[256];
	const char *argv[DIFF_ARGC];
	diff_index_args(argv, "HEAD");
	if (gitrepo_git_start(&l->child, argv, err, sizeof(err)) < 0) {
		free(l);
		return NULL; /* index_staged_blobs runs git itself and reports the failure */
	}
	return l;
}

void index_listing_free(struct index_listing *l)
{
	if (!l)
		return;
	gitrepo_git_abandon(&l->child);
	free(l);
}

int index_staged_blobs(git_repository *repo, struct index_listing *early, struct blobset *set,
                       const char *watch_path, struct index_path_state *watch, char *err,
                       size_t errsz)
{
	char base[GIT_OID_HEXSZ + 1], gerr[256];
	char *out = NULL;
	size_t len = 0;
	int rc = -1, e;

	memset(watch, 0, sizeof(*watch));
	if (head_tree(repo, base, err, errsz) < 0)
		return -1;
	if (early && strcmp(base, EMPTY_TREE) != 0) {
		/* HEAD exists: the listing started against HEAD is the one wanted */
		e = gitrepo_git_finish(&early->child, DIFF_MAX, &out, &len, gerr, sizeof(gerr));
	} else {
		if (early) /* unborn branch: git cannot diff against HEAD, use the empty tree */
			gitrepo_git_abandon(&early->child);
		const char *argv[DIFF_ARGC];
		diff_index_args(argv, base);
		e = gitrepo_run_git(argv, DIFF_MAX, &out, &len, gerr, sizeof(gerr));
	}
	if (e < 0) {
		snprintf(err, errsz, "cannot list the staged files (%s)", gerr);
		return -1;
	}
	const char *p = out, *end = out + len;
	while (p < end) {
		const char *newmode, *newoid, *path;
		char status;
		git_oid id;
		if (parse_record(&p, end, &newmode, &newoid, &status, &path) < 0) {
			snprintf(err, errsz, "cannot parse the output of git diff-index near byte %zu",
			         (size_t)(p - out));
			goto done;
		}
		int is_watch = watch_path && !strcmp(path, watch_path);
		if (status == 'D') {
			if (is_watch)
				watch->state = -1;
			continue;
		}
		if (status != 'A' && status != 'M' && status != 'T')
			continue; /* unmerged entries: git refuses to commit them anyway */
		if (git_oid_fromstrn(&id, newoid, GIT_OID_HEXSZ) < 0) {
			snprintf(err, errsz, "git diff-index gave a bad object id for %s", path);
			goto done;
		}
		if (!strncmp(newmode, "160000", 6))
			continue; /* gitlink: a submodule pointer */
		if (git_oid_is_zero(&id) || !strncmp(newoid, EMPTY_BLOB, GIT_OID_HEXSZ))
			continue; /* intent-to-add (git add -N) or empty: no content */
		if (is_watch) {
			watch->state = 1;
			git_oid_cpy(&watch->id, &id);
		}
		blobset_add(set, &id, path, NULL, 0);
	}
	rc = 0;
done:
	free(out);
	return rc;
}
