/*
 * treewalk: the pruned N-parent tree walk and the seen-tree walk (see
 * treewalk.h). libgit2's tree diff is not used: it does not skip identical
 * subtrees. Both walks parse raw tree objects themselves (bounds-checked,
 * "mode SP name NUL 20-byte id" records) and build nothing per entry: the
 * pruned walk reads each parent's tree in step with the child's (both are in
 * git's tree order), the seen-tree walk reads each tree of a history once
 * (history keeps trees out of libgit2's object cache with a 0 size limit).
 * Paths are built in one growing buffer; recursion depth is bounded.
 */
#include "source/treewalk.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "source/gitrepo.h"

#define TREEWALK_MAX_DEPTH 4096

/* One record of a raw tree: "MODE SP NAME NUL 20-byte-id". */
struct tentry {
	const unsigned char *name, *id;
	size_t nlen;
	unsigned mode;
};

#define MODE_KIND(m) ((m) & 0170000)
#define KIND_TREE 0040000
#define KIND_GITLINK 0160000

/* Parses the record at *p (bounds-checked). Returns 1 with e set and *p past it, 0 at the
 * end, -1 if the tree is corrupt. */
static int tree_next(const unsigned char **p, const unsigned char *end, struct tentry *e)
{
	const unsigned char *q = *p;
	if (q >= end)
		return 0;
	e->mode = 0;
	while (q < end && *q >= '0' && *q <= '7' && q - *p < 7)
		e->mode = e->mode * 8 + (unsigned)(*q++ - '0');
	e->name = q + 1;
	const unsigned char *nul = q < end && *q == ' ' && q > *p
	                               ? memchr(e->name, '\0', (size_t)(end - e->name)) : NULL;
	if (!nul || nul == e->name || (size_t)(end - nul - 1) < GIT_OID_RAWSZ)
		return -1;
	e->nlen = (size_t)(nul - e->name);
	e->id = nul + 1;
	*p = e->id + GIT_OID_RAWSZ;
	return 1;
}

/* git's tree order: names compared bytewise, a tree's name as if it ended in '/'. */
static int tentry_cmp(const struct tentry *a, const struct tentry *b)
{
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	int c = memcmp(a->name, b->name, n);
	if (c)
		return c;
	unsigned ca = a->nlen > n ? a->name[n] : MODE_KIND(a->mode) == KIND_TREE ? '/' : 0;
	unsigned cb = b->nlen > n ? b->name[n] : MODE_KIND(b->mode) == KIND_TREE ? '/' : 0;
	return (int)ca - (int)cb;
}

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

/* What both walks carry: where objects come from, where blobs go, the path so far. */
struct walk {
	git_odb *odb;
	struct packread_cache *pc;
	struct oidset *seen; /* seen-tree walk: trees met before; NULL in the pruned walk */
	struct blobset *set;
	const git_oid *commit;
	int group;
	char *path;
	size_t cap;
	char *err;
	size_t errsz;
};

/* Reads tree `id` (at w->path[0..plen]) into obj; `what` names it in the error. */
static int walk_read_tree(struct walk *w, const git_oid *id, size_t plen, const char *what,
                          struct gitrepo_obj *obj)
{
	char rerr[256];
	if (gitrepo_read_object(w->odb, w->pc, id, GIT_OBJECT_TREE, UINT64_MAX, obj, rerr,
	                        sizeof(rerr)) == 0)
		return 0;
	snprintf(w->err, w->errsz, "%s at %s: %s", what, plen ? w->path : "/", rerr);
	return -1;
}

/* Says that tree `id` at w->path[0..plen] is corrupt; returns -1. */
static int walk_corrupt(struct walk *w, const git_oid *id, size_t plen)
{
	char hex[GIT_OID_HEXSZ + 1];
	snprintf(w->err, w->errsz, "tree %s (%s) is corrupt", plen ? w->path : "/",
	         git_oid_tostr(hex, sizeof(hex), id));
	return -1;
}

/* -1 with the error set when the walk is nested too deep. */
static int walk_depth(struct walk *w, unsigned depth)
{
	if (depth <= TREEWALK_MAX_DEPTH)
		return 0;
	snprintf(w->err, w->errsz, "tree nesting deeper than %d at %s", TREEWALK_MAX_DEPTH, w->path);
	return -1;
}

/* Starts w->path as `prefix`. */
static void walk_path_init(struct walk *w, const char *prefix)
{
	size_t plen = strlen(prefix);
	xgrow((void **)&w->path, &w->cap, plen + 1, 1);
	memcpy(w->path, prefix, plen + 1);
}

/* --- pruned N-parent walk (hooks) ---------------------------------------------------- */

/* A parent's tree being read alongside the child's, in step (both are in tree order). */
struct cursor {
	struct gitrepo_obj obj;
	const unsigned char *p, *end;
	struct tentry e;
	int at;         /* 1: e is the current record; 0: past the end (or no tree) */
	git_oid sub_id; /* the same-named subtree of the current child entry */
};

static int cursor_open(struct walk *w, struct cursor *c, const git_oid *id, size_t plen)
{
	memset(c, 0, sizeof(*c));
	if (!id)
		return 0;
	if (walk_read_tree(w, id, plen, "parent tree", &c->obj) < 0)
		return -1;
	c->p = c->obj.data;
	c->end = c->p + c->obj.size;
	c->at = 1;
	return 0;
}

/* Moves c to the first record not before e. -1 if the parent tree is corrupt. */
static int cursor_seek(struct walk *w, struct cursor *c, const struct tentry *e, size_t plen)
{
	while (c->at) {
		if (c->at == 1 && c->e.name && tentry_cmp(&c->e, e) >= 0)
			return 0;
		int r = tree_next(&c->p, c->end, &c->e);
		if (r < 0) {
			snprintf(w->err, w->errsz, "a parent tree at %s is corrupt", plen ? w->path : "/");
			return -1;
		}
		c->at = r;
	}
	return 0;
}

/*
 * Adds the blobs of tree `id` that no parent tree (parents[0..np), NULL entries: the parent
 * has no tree there) has under the same name with the same id; recurses into subtrees with
 * the parents' same-named subtrees. Parents are read in step with the child, so a change
 * costs one pass over the trees on its path. Whether an entry is "the same" needs its name
 * and id to be equal: a tree out of git's order can only make more entries look new.
 */
static int walk_tree(struct walk *w, const git_oid *id, const git_oid *const *parents, size_t np,
                     size_t plen, unsigned depth)
{
	struct gitrepo_obj obj;
	struct cursor *cur = np ? xcalloc(np, sizeof(*cur)) : NULL;
	const git_oid **sub = np ? xcalloc(np, sizeof(*sub)) : NULL;
	int rc = -1;

	memset(&obj, 0, sizeof(obj));
	if (walk_depth(w, depth) < 0 || walk_read_tree(w, id, plen, "tree", &obj) < 0)
		goto done;
	for (size_t k = 0; k < np; k++)
		if (cursor_open(w, &cur[k], parents[k], plen) < 0)
			goto done;

	const unsigned char *p = obj.data, *end = p + obj.size;
	struct tentry e;
	int r;
	while ((r = tree_next(&p, end, &e)) > 0) {
		unsigned kind = MODE_KIND(e.mode);
		int same = 0;
		if (kind == KIND_GITLINK)
			continue; /* a submodule pointer, its content lives elsewhere */
		for (size_t k = 0; k < np; k++) {
			sub[k] = NULL;
			if (cursor_seek(w, &cur[k], &e, plen) < 0)
				goto done;
			if (!cur[k].at || cur[k].e.nlen != e.nlen || memcmp(cur[k].e.name, e.name, e.nlen))
				continue;
			if (!memcmp(cur[k].e.id, e.id, GIT_OID_RAWSZ))
				same = 1;
			else if (MODE_KIND(cur[k].e.mode) == KIND_TREE) {
				git_oid_fromraw(&cur[k].sub_id, cur[k].e.id);
				sub[k] = &cur[k].sub_id;
			}
		}
		if (same)
			continue;

		git_oid eid;
		git_oid_fromraw(&eid, e.id);
		size_t len = path_push(&w->path, &w->cap, plen, (const char *)e.name, e.nlen);
		if (kind == KIND_TREE) {
			/* the callee reads sub[] only as it starts: this frame's arrays can serve */
			if (walk_tree(w, &eid, sub, np, len, depth + 1) < 0)
				goto done;
		} else {
			blobset_add(w->set, &eid, w->path, w->commit, w->group);
		}
		w->path[plen] = '\0';
	}
	rc = r < 0 ? walk_corrupt(w, id, plen) : 0;
done:
	for (size_t k = 0; k < np; k++)
		gitrepo_obj_release(&cur[k].obj);
	free(cur);
	free(sub);
	gitrepo_obj_release(&obj);
	return rc;
}

int treewalk_tree(git_repository *repo, git_tree *tree, const char *prefix, const git_oid *commit,
                  struct blobset *set, int group, char *err, size_t errsz)
{
	struct walk w = {NULL, NULL, NULL, set, commit, group, NULL, 0, err, errsz};
	if (git_repository_odb(&w.odb, repo) < 0) {
		snprintf(err, errsz, "cannot open the object store: %s", gitrepo_errmsg());
		return -1;
	}
	walk_path_init(&w, prefix);
	int rc = walk_tree(&w, git_tree_id(tree), NULL, 0, strlen(prefix), 0);
	free(w.path);
	git_odb_free(w.odb);
	return rc;
}

int treewalk_commit(git_repository *repo, struct packread_cache *pc, git_commit *commit,
                    struct blobset *set, int group, char *err, size_t errsz)
{
	struct walk w = {NULL, pc, NULL, set, git_commit_id(commit), group, NULL, 0, err, errsz};
	unsigned np = git_commit_parentcount(commit);
	git_oid *ptrees = np ? xcalloc(np, sizeof(*ptrees)) : NULL;
	const git_oid **parents = np ? xcalloc(np, sizeof(*parents)) : NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = -1;

	if (git_repository_odb(&w.odb, repo) < 0) {
		snprintf(err, errsz, "cannot open the object store: %s", gitrepo_errmsg());
		goto done;
	}
	for (unsigned p = 0; p < np; p++) {
		if (gitrepo_read_commit_tree(w.odb, pc, git_commit_parent_id(commit, p), &ptrees[p], err,
		                             errsz) < 0) {
			char why[256];
			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errsz, "parent %u of commit %s cannot be read: %s", p + 1,
			         git_oid_tostr(hex, sizeof(hex), git_commit_id(commit)), why);
			goto done;
		}
		parents[p] = &ptrees[p];
	}
	walk_path_init(&w, "");
	rc = walk_tree(&w, git_commit_tree_id(commit), parents, np, 0, 0);
done:
	free(ptrees);
	free(parents);
	free(w.path);
	git_odb_free(w.odb);
	return rc;
}

/* --- seen-tree walk (history) ------------------------------------------------------- */

static int unique_tree(struct walk *w, const git_oid *id, size_t plen, unsigned depth)
{
	struct gitrepo_obj obj;
	int rc = -1;

	if (walk_depth(w, depth) < 0 || walk_read_tree(w, id, plen, "tree", &obj) < 0)
		return -1;
	const unsigned char *p = obj.data, *end = p + obj.size;
	struct tentry e;
	int r;
	while ((r = tree_next(&p, end, &e)) > 0) {
		unsigned kind = MODE_KIND(e.mode);
		git_oid eid;
		if (kind == KIND_GITLINK)
			continue; /* a submodule pointer, its content lives elsewhere */
		git_oid_fromraw(&eid, e.id);
		if (kind == KIND_TREE && !oidset_add(w->seen, &eid, NULL))
			continue; /* this tree was walked for an earlier commit */

		size_t len = path_push(&w->path, &w->cap, plen, (const char *)e.name, e.nlen);
		int e2 = 0;
		if (kind == KIND_TREE)
			e2 = unique_tree(w, &eid, len, depth + 1);
		else
			blobset_add(w->set, &eid, w->path, w->commit, w->group);
		w->path[plen] = '\0';
		if (e2 < 0)
			goto done;
	}
	rc = r < 0 ? walk_corrupt(w, id, plen) : 0;
done:
	gitrepo_obj_release(&obj);
	return rc;
}

int treewalk_unique(git_odb *odb, struct packread_cache *pc, struct oidset *seen_trees,
                    const git_oid *tree, const git_oid *commit, struct blobset *set, char *err,
                    size_t errsz)
{
	struct walk w = {odb, pc, seen_trees, set, commit, 0, NULL, 0, err, errsz};
	if (!oidset_add(seen_trees, tree, NULL))
		return 0;
	walk_path_init(&w, "");
	int rc = unique_tree(&w, tree, 0, 0);
	free(w.path);
	return rc;
}
