/*
 * commits: revwalk set-up (hides by iterating refs, never hide_glob), tip
 * peeling, and the collection loops that feed treewalk. It never reads blob
 * content and never treats a walk error as the end of the walk.
 */
#include "source/commits.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "source/gitrepo.h"
#include "source/treewalk.h"

int commits_hide_refs(git_revwalk *walk, git_repository *repo, const char *glob, char *err,
                      size_t errsz)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	int e;

	if (git_reference_iterator_glob_new(&it, repo, glob) < 0) {
		snprintf(err, errsz, "cannot list the refs %s: %s", glob, gitrepo_errmsg());
		return -1;
	}
	while ((e = git_reference_next(&ref, it)) == 0) {
		git_object *obj = NULL;
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0)
			git_revwalk_hide(walk, git_object_id(obj)); /* failure: not hidden, more walked */
		git_object_free(obj);
		git_reference_free(ref);
		ref = NULL;
	}
	git_reference_iterator_free(it);
	if (e != GIT_ITEROVER) {
		snprintf(err, errsz, "cannot list the refs %s: %s", glob, gitrepo_errmsg());
		return -1;
	}
	return 0;
}

int commits_hide_if_present(git_revwalk *walk, git_repository *repo, const git_oid *id, char *err,
                            size_t errsz)
{
	git_odb *odb = NULL;
	git_object *obj = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = 0;

	if (git_repository_odb(&odb, repo) < 0) {
		snprintf(err, errsz, "cannot open the object store: %s", gitrepo_errmsg());
		return -1;
	}
	if (!git_odb_exists_ext(odb, id, GIT_ODB_LOOKUP_NO_REFRESH))
		goto done; /* the remote has commits we never fetched: nothing local to hide */
	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) < 0) {
		git_oid_tostr(hex, sizeof(hex), id);
		snprintf(err, errsz, "object %s cannot be read: %s", hex, gitrepo_errmsg());
		rc = -1;
		goto done;
	}
	git_object *peeled = NULL;
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		if (git_revwalk_hide(walk, git_object_id(peeled)) < 0) {
			git_oid_tostr(hex, sizeof(hex), id);
			snprintf(err, errsz, "cannot walk history from %s: %s", hex, gitrepo_errmsg());
			rc = -1;
		}
		git_object_free(peeled);
	}
done:
	git_object_free(obj);
	git_odb_free(odb);
	return rc;
}

int commits_add_tip(git_repository *repo, git_revwalk *walk, struct oidset *tips,
                    const git_oid *id, const char *refname, struct blobset *set, int group,
                    char *err, size_t errsz)
{
	git_object *obj = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = -1;

	git_oid_tostr(hex, sizeof(hex), id);
	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) < 0) {
		snprintf(err, errsz, "%s: object %s cannot be read: %s", refname, hex, gitrepo_errmsg());
		goto done;
	}
	git_object *target = obj;
	while (git_object_type(target) == GIT_OBJECT_TAG) {
		git_object *next = NULL;
		if (git_tag_target(&next, (git_tag *)target) < 0) {
			snprintf(err, errsz, "%s: tag %s points at an object that cannot be read: %s",
			         refname, hex, gitrepo_errmsg());
			if (target != obj)
				git_object_free(target);
			goto done;
		}
		if (target != obj)
			git_object_free(target);
		target = next;
	}
	switch (git_object_type(target)) {
	case GIT_OBJECT_COMMIT:
		if (walk && git_revwalk_push(walk, git_object_id(target)) < 0) {
			snprintf(err, errsz, "%s: cannot walk from %s: %s", refname, hex, gitrepo_errmsg());
			break;
		}
		if (tips)
			oidset_add(tips, git_object_id(target), NULL);
		rc = 0;
		break;
	case GIT_OBJECT_BLOB:
		blobset_add(set, git_object_id(target), refname, NULL, group);
		rc = 0;
		break;
	case GIT_OBJECT_TREE:
		rc = treewalk_tree(repo, (git_tree *)target, "", NULL, set, group, err, errsz);
		break;
	default:
		snprintf(err, errsz, "%s: %s is not a commit, tag, tree or blob", refname, hex);
		break;
	}
	if (target != obj)
		git_object_free(target);
done:
	git_object_free(obj);
	return rc;
}

static int collect_one(git_repository *repo, struct packread_cache *pc, const git_oid *id,
                       struct blobset *set, int group, struct finding_list *errors, char *err,
                       size_t errsz)
{
	git_commit *c = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = 0;

	git_oid_tostr(hex, sizeof(hex), id);
	if (git_commit_lookup(&c, repo, id) < 0) {
		snprintf(err, errsz, "commit %s cannot be read: %s", hex, gitrepo_errmsg());
		rc = -1;
	} else {
		rc = treewalk_commit(repo, pc, c, set, group, err, errsz);
	}
	git_commit_free(c);
	if (rc < 0 && errors) {
		struct finding *f = finding_list_add_error(errors, "", "%s", err);
		f->commit = xstrdup(hex);
		rc = 0;
	}
	return rc;
}

/* A walk that stopped before its end: says after how many commits, and why a shallow
 * clone cannot be walked. */
static void walk_failed(git_repository *repo, size_t n, char *err, size_t errsz)
{
	snprintf(err, errsz, "walking the history failed after %zu commit%s: %s%s", n,
	         n == 1 ? "" : "s", gitrepo_errmsg(),
	         git_repository_is_shallow(repo) == 1
	             ? " (this is a shallow clone: its history is cut off, so the commits to "
	               "check cannot be determined; fetch the full history with "
	               "'git fetch --unshallow')"
	             : "");
}

int commits_collect(git_repository *repo, struct packread_cache *pc, git_revwalk *walk,
                    struct blobset *set, int group, struct oidset *seen,
                    struct finding_list *errors, size_t *ncommits, char *err, size_t errsz)
{
	git_oid id;
	int e;
	size_t n = 0;

	while ((e = git_revwalk_next(&id, walk)) == 0) {
		if (seen && !oidset_add(seen, &id, NULL))
			continue;
		n++;
		if (collect_one(repo, pc, &id, set, group, errors, err, errsz) < 0)
			return -1;
	}
	if (ncommits)
		*ncommits += n;
	if (e != GIT_ITEROVER) {
		walk_failed(repo, n, err, errsz);
		return -1;
	}
	return 0;
}

int commits_collect_new(git_repository *repo, git_odb *main_odb, struct packread_cache *pc,
                        const struct oidset *tips, struct blobset *set, int group,
                        struct oidset *seen, size_t *ncommits, char *err, size_t errsz)
{
	git_oid *stack = NULL;
	size_t n = 0, cap = 0, walked = 0;
	int rc = -1;

	for (size_t i = 0; i < tips->n; i++) {
		xgrow((void **)&stack, &cap, n + 1, sizeof(*stack));
		git_oid_cpy(&stack[n++], &tips->ids[i]);
	}
	while (n > 0) {
		git_oid id;
		git_commit *c = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_cpy(&id, &stack[--n]);
		if (git_odb_exists_ext(main_odb, &id, GIT_ODB_LOOKUP_NO_REFRESH))
			continue; /* accepted before this push */
		if (!oidset_add(seen, &id, NULL))
			continue;
		git_oid_tostr(hex, sizeof(hex), &id);
		if (git_commit_lookup(&c, repo, &id) < 0) {
			snprintf(err, errsz, "pushed commit %s cannot be read: %s", hex, gitrepo_errmsg());
			goto done;
		}
		walked++;
		int e = treewalk_commit(repo, pc, c, set, group, err, errsz);
		for (unsigned p = 0; e == 0 && p < git_commit_parentcount(c); p++) {
			xgrow((void **)&stack, &cap, n + 1, sizeof(*stack));
			git_oid_cpy(&stack[n++], git_commit_parent_id(c, p));
		}
		git_commit_free(c);
		if (e < 0)
			goto done;
	}
	rc = 0;
done:
	if (ncommits)
		*ncommits += walked;
	free(stack);
	return rc;
}

int commits_collect_unique(git_repository *repo, struct packread_cache *pc,
                           git_revwalk *walk, struct blobset *set, struct oidset *seen_trees,
                           struct finding_list *errors, size_t *ncommits,
                           void (*after)(void *arg), void *arg, char *err, size_t errsz)
{
	git_odb *odb = NULL;
	git_oid id;
	int e, rc = -1;
	size_t n = 0;

	if (git_repository_odb(&odb, repo) < 0) {
		snprintf(err, errsz, "cannot open the object store: %s", gitrepo_errmsg());
		return -1;
	}
	while ((e = git_revwalk_next(&id, walk)) == 0) {
		git_commit *c = NULL;
		char hex[GIT_OID_HEXSZ + 1]; /* filled only for an error */
		git_oid tree;
		int r;
		if (n++ == 0)
			sg_trace("history: first commit of the walk");
		if (gitrepo_read_commit_tree(odb, pc, &id, &tree, err, errsz) == 0) {
			r = treewalk_unique(odb, pc, seen_trees, &tree, &id, set, err, errsz);
		} else if (git_commit_lookup(&c, repo, &id) < 0) { /* libgit2 words the error */
			snprintf(err, errsz, "commit %s cannot be read: %s",
			         git_oid_tostr(hex, sizeof(hex), &id), gitrepo_errmsg());
			r = -1;
		} else {
			r = treewalk_unique(odb, pc, seen_trees, git_commit_tree_id(c), &id, set,
			                    err, errsz);
		}
		git_commit_free(c);
		if (r < 0)
			finding_list_add_error(errors, "", "%s", err)->commit =
				xstrdup(git_oid_tostr(hex, sizeof(hex), &id));
		if (after)
			after(arg);
	}
	if (e != GIT_ITEROVER) {
		walk_failed(repo, n, err, errsz);
		goto done;
	}
	rc = 0;
done:
	if (ncommits)
		*ncommits += n;
	git_odb_free(odb);
	return rc;
}
