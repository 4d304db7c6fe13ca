/*
 * blobscan: the read-scan-annotate loop shared by every git mode. It decides
 * nothing about which blobs are new (commits.c, index.c, quarantine.c) and
 * prints nothing (report/).
 */
#include "pipeline/blobscan.h"

#include <stdio.h>

#include "core/util.h"
#include "policy/policy.h"
#include "source/gitrepo.h"
#include "source/siblings.h"

/* Sets commit and ref (the blob id: pipeline_stamp_blob). */
static void annotate(struct finding_list *out, size_t from, const struct blob_entry *e,
                     const char *ref)
{
	char commit[GIT_OID_HEXSZ + 1];
	if (e->has_commit)
		git_oid_tostr(commit, sizeof(commit), &e->commit);
	for (size_t i = from; i < out->n; i++) {
		struct finding *f = &out->v[i];
		if (e->has_commit && !f->commit)
			f->commit = xstrdup(commit);
		if (ref && !f->ref)
			f->ref = xstrdup(ref);
	}
}

void blobscan_entry(git_odb *odb, struct packread_cache *pc, const struct blob_entry *e,
                    const struct blobscan_opts *o, struct finding_list *out)
{
	const struct policy *pol = o->policies ? o->policies[e->group] : NULL;
	const char *ref = o->refs ? o->refs[e->group] : NULL;
	char hex[GIT_OID_HEXSZ + 1], err[512], hb[32], lim[32];
	size_t n0 = out->n;
	struct git_siblings sib;
	git_siblings_init(&sib, odb, e, o->index_siblings);
	struct scan_ctx ctx = {.limits = o->limits, .policy = pol, .out = out, .blob_first = n0,
	                       .lfs = o->lfs, .siblings = &sib.base};
	struct gitrepo_obj obj;

	int rc = gitrepo_read_blob(odb, pc, &e->id, o->limits->file_bytes, &obj, err, sizeof(err));
	if (rc < 0)
		finding_list_add_error(out, e->path, "%s", err);
	else if (rc > 0)
		finding_list_add_error(out, e->path, "blob is %s, above the %s file limit: not examined",
		                       util_human_bytes(obj.size, hb, sizeof(hb)),
		                       util_human_bytes(o->limits->file_bytes, lim, sizeof(lim)));
	else
		pipeline_scan_blob(&ctx, e->path, obj.data, obj.size);
	gitrepo_obj_release(&obj);
	if (out->n == n0)
		return; /* nothing found: nothing to stamp, annotate or apply (most blobs) */
	pipeline_stamp_blob(&ctx, git_oid_tostr(hex, sizeof(hex), &e->id)); /* errors too */
	annotate(out, n0, e, ref);
	policy_apply(pol, out, n0);
}

int blobscan_run(git_repository *repo, const struct blobset *set, size_t n,
                 const struct blobscan_opts *o, struct finding_list *out)
{
	git_odb *odb = NULL;
	if (git_repository_odb(&odb, repo) < 0) {
		finding_list_add_error(out, "", "cannot open the object store: %s", gitrepo_errmsg());
		return 0;
	}
	struct packread_cache *pc = o->packs ? packread_cache_new(o->packs, PACKREAD_CACHE_BYTES)
	                                     : NULL;
	for (size_t i = 0; i < n && i < blobset_count(set); i++)
		blobscan_entry(odb, pc, blobset_at(set, i), o, out);
	packread_cache_free(pc);
	git_odb_free(odb);
	return 0;
}
