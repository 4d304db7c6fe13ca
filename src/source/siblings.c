/*
 * siblings: lists the files of one directory of a commit's tree (libgit2) or of
 * the index being committed (`git ls-files`, which reads GIT_INDEX_FILE, split
 * and sparse indexes as git commits them) and reads the ones a detector asks
 * for. Only detectors that need a neighbour call it, so it is rarely used.
 */
#include "source/siblings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "source/gitrepo.h"

#define SIBLING_MAX_BYTES (64ull << 20)
#define LSFILES_MAX ((size_t)64 << 20)

static int wanted(const char *name, const char *const *suffixes)
{
	for (size_t i = 0; suffixes[i]; i++)
		if (util_ends_with(name, suffixes[i]))
			return 1;
	return 0;
}

/* Reads blob id and hands it to fn; -1 with err set if it cannot be read whole. */
static int give(git_odb *odb, const git_oid *id, const char *name, scan_sibling_fn fn, void *arg,
                char *err, size_t errsz)
{
	struct gitrepo_obj obj;
	char e[256];
	int r = gitrepo_read_blob(odb, NULL, id, SIBLING_MAX_BYTES, &obj, e, sizeof(e));
	if (r == 0)
		fn(name, obj.data, obj.size, arg);
	else
		snprintf(err, errsz, "%s: %s", name, r < 0 ? e : "too large to read");
	gitrepo_obj_release(&obj);
	return r == 0 ? 0 : -1;
}

static int from_commit(git_odb *odb, const git_oid *commit, const char *dir,
                       const char *const *suffixes, scan_sibling_fn fn, void *arg, char *err,
                       size_t errsz)
{
	git_repository *repo = NULL;
	git_commit *c = NULL;
	git_tree *root = NULL, *sub = NULL;
	git_tree_entry *te = NULL;
	int rc = -1;
	if (git_repository_wrap_odb(&repo, odb) < 0 || git_commit_lookup(&c, repo, commit) < 0 ||
	    git_commit_tree(&root, c) < 0) {
		snprintf(err, errsz, "cannot read the commit's tree: %s", gitrepo_errmsg());
		goto done;
	}
	const git_tree *t = root;
	if (dir[0]) {
		if (git_tree_entry_bypath(&te, root, dir) < 0 ||
		    git_tree_entry_type(te) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&sub, repo, git_tree_entry_id(te)) < 0) {
			snprintf(err, errsz, "cannot read directory %s of the commit: %s", dir,
			         gitrepo_errmsg());
			goto done;
		}
		t = sub;
	}
	for (size_t i = 0; i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || !wanted(git_tree_entry_name(e), suffixes))
			continue;
		if (give(odb, git_tree_entry_id(e), git_tree_entry_name(e), fn, arg, err, errsz) < 0)
			goto done;
	}
	rc = 0;
done:
	git_tree_entry_free(te);
	git_tree_free(sub);
	git_tree_free(root);
	git_commit_free(c);
	git_repository_free(repo);
	return rc;
}

/* The pathspec of DIR's files ending in SUFFIX: ":(top,glob)DIR/" "*SUFFIX", DIR escaped. */
static char *pathspec(const char *dir, const char *suffix)
{
	size_t n = strlen(dir), k = 0;
	char *esc = xmalloc(2 * n + 1);
	for (size_t i = 0; i < n; i++) {
		if (strchr("*?[]\\", dir[i]))
			esc[k++] = '\\';
		esc[k++] = dir[i];
	}
	esc[k] = 0;
	char *s = xasprintf(":(top,glob)%s%s*%s", esc, n ? "/" : "", suffix);
	free(esc);
	return s;
}

static int from_index(git_odb *odb, const char *dir, const char *const *suffixes,
                      scan_sibling_fn fn, void *arg, char *err, size_t errsz)
{
	const char *argv[16] = {"ls-files", "--stage", "-z", "--"};
	char *specs[11] = {0};
	size_t ns = 0;
	for (; suffixes[ns] && ns < 10; ns++)
		argv[4 + ns] = specs[ns] = pathspec(dir, suffixes[ns]);
	argv[4 + ns] = NULL;
	char *out = NULL, gerr[256];
	size_t len = 0;
	int rc = -1;
	if (gitrepo_run_git(argv, LSFILES_MAX, &out, &len, gerr, sizeof(gerr)) < 0) {
		snprintf(err, errsz, "cannot list the index (%s)", gerr);
		goto done;
	}
	/* "MODE SP OID SP STAGE TAB PATH NUL" */
	for (const char *p = out, *end = out + len; p < end;) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		const char *tab = nul ? memchr(p, '\t', (size_t)(nul - p)) : NULL;
		git_oid id;
		if (!tab || tab - p < 6 + 1 + GIT_OID_HEXSZ + 2 ||
		    git_oid_fromstrn(&id, p + 7, GIT_OID_HEXSZ) < 0) {
			snprintf(err, errsz, "cannot parse the output of git ls-files");
			goto done;
		}
		const char *path = tab + 1, *slash = strrchr(path, '/');
		if (!strncmp(p, "100", 3) && tab[-1] == '0' &&
		    give(odb, &id, slash ? slash + 1 : path, fn, arg, err, errsz) < 0)
			goto done;
		p = nul + 1;
	}
	rc = 0;
done:
	for (size_t i = 0; i < ns; i++)
		free(specs[i]);
	free(out);
	return rc;
}

static int git_siblings_each(const struct scan_siblings *s, const char *path,
                             const char *const *suffixes, scan_sibling_fn fn, void *arg,
                             char *err, size_t errsz)
{
	const struct git_siblings *g = (const struct git_siblings *)s;
	if (!g->e->has_commit && !g->from_index)
		return 1;
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash - path), path) : xstrdup("");
	int rc = g->e->has_commit
	             ? from_commit(g->odb, &g->e->commit, dir, suffixes, fn, arg, err, errsz)
	             : from_index(g->odb, dir, suffixes, fn, arg, err, errsz);
	free(dir);
	return rc;
}

void git_siblings_init(struct git_siblings *g, git_odb *odb, const struct blob_entry *e,
                       int from_index)
{
	g->base.each = git_siblings_each;
	g->odb = odb;
	g->e = e;
	g->from_index = from_index;
}
