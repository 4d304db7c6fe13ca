/*
 * quarantine: git_odb_foreach over the quarantine directory only (pack order,
 * the cheapest read order), keeping blobs absent from the main store: git does
 * not promise the quarantine holds only new objects (--fix-thin adds bases).
 */
#include "source/quarantine.h"

#include <stdio.h>

#include "source/gitrepo.h"

struct qwalk {
	git_odb *q, *main;
	struct packread_cache *pc;
	struct blobset *set;
	const char *path;
	int group;
	int failed;
	git_oid bad;
};

static int on_object(const git_oid *id, void *arg)
{
	struct qwalk *w = arg;
	size_t size;
	git_object_t type;
	char err[256];

	if (oidset_contains(&w->set->ids, id))
		return 0; /* found in a pushed tree already */
	if ((!w->pc || packread_type(w->pc, id, &type, err, sizeof(err)) != PACKREAD_OK) &&
	    git_odb_read_header(&size, &type, w->q, id) < 0) {
		w->failed = 1;
		git_oid_cpy(&w->bad, id);
		return 1;
	}
	if (type == GIT_OBJECT_BLOB && !git_odb_exists_ext(w->main, id, GIT_ODB_LOOKUP_NO_REFRESH))
		blobset_add(w->set, id, w->path, NULL, w->group);
	return 0;
}

int quarantine_new_blobs(const char *dir, git_odb *main_odb, struct packread_cache *pc,
                         struct blobset *set, const char *path, int group, char *err,
                         size_t errsz)
{
	struct qwalk w = {NULL, main_odb, pc, set, path, group, 0, {{0}}};
	int rc = -1;

	if (git_odb_open(&w.q, dir) < 0) {
		snprintf(err, errsz, "cannot open the pushed objects in %s: %s", dir, gitrepo_errmsg());
		return -1;
	}
	int e = git_odb_foreach(w.q, on_object, &w);
	if (w.failed) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &w.bad);
		snprintf(err, errsz, "pushed object %s cannot be read: %s", hex, gitrepo_errmsg());
	} else if (e < 0) {
		snprintf(err, errsz, "cannot list the pushed objects in %s: %s", dir, gitrepo_errmsg());
	} else {
		rc = 0;
	}
	git_odb_free(w.q);
	return rc;
}
