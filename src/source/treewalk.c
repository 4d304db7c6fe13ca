/*
 * treewalk: the pruned N-parent tree walk and the seen-tree walk (see
 * treewalk.h). libgit2's tree diff is not used: it does not skip identical
 * subtrees. The seen-tree walk parses raw tree objects itself (bounds-checked,
 * "mode SP name NUL 20-byte id" records), so each tree of a history is read
 * once and nothing is built per entry (history keeps trees out of libgit2's
 * object cache with a 0 size limit). Paths are built in one growing buffer;
 * recursion depth is bounded.
 */
#include "source/treewalk.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "source/gitrepo.h"

struct walk {
	git_repository *repo;
	struct blobset *set;
	const git_oid *commit;
	int group;
	char *path;
	size_t cap;
	char *err;
	size_t errsz;
};

#define TREEWALK_MAX_DEPTH 4096

/* Appends "/name" (just "name" at the root) to the path of length plen; returns the new
 * length. The buffer grows as needed. */
static size_t path_push(char **path, size_t *cap, size_t plen, const char *name, size_t nlen)
{
	xgrow((void **)path, cap, plen + (plen ? 1 : 0) + nlen + 1, 1);
	size_t at = plen;
	if (plen)
		(*path)[at++] = '/';
	memcpy(*path + at, name, nlen);
	(*path)[at + nlen] = '\0';
	return at + nlen;
}

static int walk_tree(struct walk *w, git_tree *tree, git_tree **parents, size_t np, size_t plen,
                     unsigned depth)
{
	size_t n = git_tree_entrycount(tree);
	git_tree **sub = np ? xcalloc(np, sizeof(*sub)) : NULL;
	int rc = 0;

	if (depth > TREEWALK_MAX_DEPTH) {
		snprintf(w->err, w->errsz, "tree nesting deeper than %d at %s", TREEWALK_MAX_DEPTH,
		         w->path);
		free(sub);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		const git_oid *id = git_tree_entry_id(e);
		git_object_t type = git_tree_entry_type(e);
		int same = 0;

		if (type == GIT_OBJECT_COMMIT)
			continue; /* gitlink: a submodule pointer, its content lives elsewhere */
		for (size_t p = 0; p < np && !same; p++) {
			const git_tree_entry *pe = parents[p] ? git_tree_entry_byname(parents[p], name) : NULL;
			same = pe && git_oid_equal(git_tree_entry_id(pe), id);
		}
		if (same)
			continue;

		size_t nlen = strlen(name), len = path_push(&w->path, &w->cap, plen, name, nlen);

		if (type == GIT_OBJECT_BLOB) {
			blobset_add(w->set, id, w->path, w->commit, w->group);
		} else if (type == GIT_OBJECT_TREE) {
			git_tree *child = NULL;
			if (git_tree_lookup(&child, w->repo, id) < 0) {
				snprintf(w->err, w->errsz, "tree %s cannot be read: %s", w->path, gitrepo_errmsg());
				rc = -1;
				break;
			}
			for (size_t p = 0; p < np; p++) {
				const git_tree_entry *pe =
					parents[p] ? git_tree_entry_byname(parents[p], name) : NULL;
				sub[p] = NULL;
				if (pe && git_tree_entry_type(pe) == GIT_OBJECT_TREE &&
				    git_tree_lookup(&sub[p], w->repo, git_tree_entry_id(pe)) < 0) {
					snprintf(w->err, w->errsz, "parent tree of %s cannot be read: %s", w->path,
					         gitrepo_errmsg());
					rc = -1;
				}
			}
			if (rc == 0)
				rc = walk_tree(w, child, sub, np, len, depth + 1);
			for (size_t p = 0; p < np; p++) {
				git_tree_free(sub[p]);
				sub[p] = NULL;
			}
			git_tree_free(child);
		}
		w->path[plen] = '\0';
	}
	free(sub);
	return rc;
}

int treewalk_tree(git_repository *repo, git_tree *tree, const char *prefix, const git_oid *commit,
                  struct blobset *set, int group, char *err, size_t errsz)
{
	struct walk w = {repo, set, commit, group, NULL, 0, err, errsz};
	size_t plen = strlen(prefix);
	xgrow((void **)&w.path, &w.cap, plen + 1, 1);
	memcpy(w.path, prefix, plen + 1);
	int rc = walk_tree(&w, tree, NULL, 0, plen, 0);
	free(w.path);
	return rc;
}

int treewalk_commit(git_repository *repo, git_commit *commit, struct blobset *set, int group,
                    char *err, size_t errsz)
{
	struct walk w = {repo, set, git_commit_id(commit), group, NULL, 0, err, errsz};
	unsigned np = git_commit_parentcount(commit);
	git_tree **parents = np ? xcalloc(np, sizeof(*parents)) : NULL;
	git_tree *tree = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = -1;

	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	if (git_commit_tree(&tree, commit) < 0) {
		snprintf(err, errsz, "the tree of commit %s cannot be read: %s", hex, gitrepo_errmsg());
		goto done;
	}
	for (unsigned p = 0; p < np; p++) {
		git_commit *pc = NULL;
		int e = git_commit_parent(&pc, commit, p);
		if (e == 0)
			e = git_commit_tree(&parents[p], pc);
		git_commit_free(pc);
		if (e < 0) {
			snprintf(err, errsz, "parent %u of commit %s cannot be read: %s", p + 1, hex,
			         gitrepo_errmsg());
			goto done;
		}
	}
	xgrow((void **)&w.path, &w.cap, 1, 1);
	w.path[0] = '\0';
	rc = walk_tree(&w, tree, parents, np, 0, 0);
done:
	for (unsigned p = 0; p < np; p++)
		git_tree_free(parents[p]);
	free(parents);
	git_tree_free(tree);
	free(w.path);
	return rc;
}

/* --- seen-tree walk (history) ------------------------------------------------------- */

struct uwalk {
	git_odb *odb;
	struct packread_cache *pc;
	struct oidset *seen;
	struct blobset *set;
	const git_oid *commit;
	char *path;
	size_t cap;
	char *err;
	size_t errsz;
};

static int uwalk_tree(struct uwalk *w, const git_oid *id, size_t plen, unsigned depth)
{
	struct gitrepo_obj obj;
	char hex[GIT_OID_HEXSZ + 1], rerr[256]; /* filled only for an error message */
	int rc = -1;

	if (depth > TREEWALK_MAX_DEPTH) {
		snprintf(w->err, w->errsz, "tree nesting deeper than %d at %s", TREEWALK_MAX_DEPTH,
		         w->path);
		return -1;
	}
	if (gitrepo_read_object(w->odb, w->pc, id, GIT_OBJECT_TREE, UINT64_MAX, &obj, rerr,
	                        sizeof(rerr)) != 0) {
		snprintf(w->err, w->errsz, "tree at %s: %s", plen ? w->path : "/", rerr);
		return -1;
	}
	const unsigned char *p = obj.data, *end = p + obj.size;
	while (p < end) {
		unsigned mode = 0;
		const unsigned char *q = p;
		while (q < end && *q >= '0' && *q <= '7' && q - p < 7)
			mode = mode * 8 + (unsigned)(*q++ - '0');
		const unsigned char *name = q + 1;
		const unsigned char *nul = q < end && *q == ' ' && q > p
		                               ? memchr(name, '\0', (size_t)(end - name)) : NULL;
		if (!nul || nul == name || (size_t)(end - nul - 1) < GIT_OID_RAWSZ) {
			git_oid_tostr(hex, sizeof(hex), id);
			snprintf(w->err, w->errsz, "tree %s (%s) is corrupt", plen ? w->path : "/", hex);
			goto done;
		}
		git_oid eid;
		git_oid_fromraw(&eid, nul + 1);
		p = nul + 1 + GIT_OID_RAWSZ;
		unsigned kind = mode & 0170000;
		if (kind == 0160000)
			continue; /* gitlink: a submodule pointer, its content lives elsewhere */
		if (kind == 0040000 && !oidset_add(w->seen, &eid, NULL))
			continue; /* this tree was walked for an earlier commit */

		size_t len = path_push(&w->path, &w->cap, plen, (const char *)name, (size_t)(nul - name));
		int e = 0;
		if (kind == 0040000)
			e = uwalk_tree(w, &eid, len, depth + 1);
		else
			blobset_add(w->set, &eid, w->path, w->commit, 0);
		w->path[plen] = '\0';
		if (e < 0)
			goto done;
	}
	rc = 0;
done:
	gitrepo_obj_release(&obj);
	return rc;
}

int treewalk_unique(git_odb *odb, struct packread_cache *pc, struct oidset *seen_trees,
                    const git_oid *tree, const git_oid *commit, struct blobset *set, char *err,
                    size_t errsz)
{
	struct uwalk w = {odb, pc, seen_trees, set, commit, NULL, 0, err, errsz};
	if (!oidset_add(seen_trees, tree, NULL))
		return 0;
	xgrow((void **)&w.path, &w.cap, 1, 1);
	w.path[0] = '\0';
	int rc = uwalk_tree(&w, tree, 0, 0);
	free(w.path);
	return rc;
}
