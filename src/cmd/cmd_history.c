/*
 * cmd_history: `stateguard history [--all | REV... | A..B]`: audits existing
 * history. Collects every unique blob reachable from the given commits with
 * the first commit and path that introduced it, then scans that set; objects
 * that cannot be read are reported and the audit goes on (exit 2 at the end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "core/util.h"
#include "unpack/lfs.h"
#include "policy/policy_source.h"
#include "report/report.h"
#include "pipeline/blobscan.h"
#include "pipeline/blobscan_par.h"
#include "source/commits.h"
#include "source/gitrepo.h"

static const char usage[] =
	"usage: stateguard history [--format text|json|sarif] [--config FILE] [--all | REV... | A..B]\n\n"
	"Audits history: every unique blob reachable from the given commits (default\n"
	"--all: every ref and HEAD) is scanned once, and each finding names the first\n"
	"commit and path that introduced it. Works in bare repositories and honours\n"
	"GIT_DIR. Objects that cannot be read are reported and the audit goes on;\n"
	"the exit status is then 2.\n\n"
	"Options:\n"
	"  --format F     text (default), json or sarif, on standard output\n"
	"  --config FILE  policy file (default: .stateguard.json at HEAD, if any)\n"
	"  --all          every ref and HEAD (the default without revisions)\n"
	"  REV, ^REV      commits to include, commits (and their history) to exclude\n"
	"  A..B           commits reachable from B but not from A (e.g. a pull request)\n\n"
	"Examples:\n"
	"  stateguard history\n"
	"  stateguard history --format json origin/main..HEAD\n"
	"  GIT_DIR=/srv/git/infra.git stateguard history --format sarif > audit.sarif\n";

struct later_tip {
	git_oid id;
	char *name;
};

struct history {
	git_repository *repo;
	git_revwalk *walk;
	struct blobset set;
	struct finding_list findings;
	struct later_tip *later; /* tips that are not commits: scanned after the walk */
	size_t nlater, caplater;
	char err[1024];
};

static void add_later(struct history *h, const git_oid *id, const char *name)
{
	xgrow((void **)&h->later, &h->caplater, h->nlater + 1, sizeof(*h->later));
	git_oid_cpy(&h->later[h->nlater].id, id);
	h->later[h->nlater++].name = xstrdup(name);
}

/* Pushes a commit-ish on the walk, or keeps a tag of a blob/tree for later. */
static int add_start(struct history *h, const git_oid *id, const char *name)
{
	git_object *obj = NULL, *c = NULL;
	int rc = 0;
	if (git_object_lookup(&obj, h->repo, id, GIT_OBJECT_ANY) < 0) {
		finding_list_add_error(&h->findings, name, "%s cannot be read: %s", name, gitrepo_errmsg());
		return 0;
	}
	if (git_object_peel(&c, obj, GIT_OBJECT_COMMIT) == 0) {
		if (git_revwalk_push(h->walk, git_object_id(c)) < 0) {
			snprintf(h->err, sizeof(h->err), "cannot walk from %s: %s", name, gitrepo_errmsg());
			rc = -1;
		}
	} else {
		add_later(h, id, name);
	}
	git_object_free(c);
	git_object_free(obj);
	return rc;
}

static int add_all(struct history *h)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_oid id;
	int e;

	if (git_reference_name_to_id(&id, h->repo, "HEAD") == 0 && add_start(h, &id, "HEAD") < 0)
		return -1;
	if (git_reference_iterator_new(&it, h->repo) < 0) {
		snprintf(h->err, sizeof(h->err), "cannot list the refs: %s", gitrepo_errmsg());
		return -1;
	}
	while ((e = git_reference_next(&ref, it)) == 0) {
		git_reference *res = NULL;
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
			/* its target is known: resolving would only look the ref up again */
			if (add_start(h, git_reference_target(ref), git_reference_name(ref)) < 0)
				e = -1;
		} else if (git_reference_resolve(&res, ref) == 0) {
			if (add_start(h, git_reference_target(res), git_reference_name(ref)) < 0)
				e = -1;
		} /* a dangling symbolic ref (a stale origin/HEAD) names nothing to audit */
		git_reference_free(res);
		git_reference_free(ref);
		ref = NULL;
		if (e < 0)
			break;
	}
	git_reference_iterator_free(it);
	if (e == -1 && h->err[0])
		return -1;
	if (e != GIT_ITEROVER) {
		snprintf(h->err, sizeof(h->err), "cannot list the refs: %s", gitrepo_errmsg());
		return -1;
	}
	return 0;
}

static int add_rev(struct history *h, const char *spec)
{
	git_object *obj = NULL;
	int rc = -1;

	if (strstr(spec, "..")) {
		if (git_revwalk_push_range(h->walk, spec) < 0) {
			snprintf(h->err, sizeof(h->err), "bad range '%s': %s", spec, gitrepo_errmsg());
			return -1;
		}
		return 0;
	}
	int hide = spec[0] == '^';
	if (git_revparse_single(&obj, h->repo, spec + hide) < 0) {
		snprintf(h->err, sizeof(h->err), "unknown revision '%s': %s", spec, gitrepo_errmsg());
		return -1;
	}
	if (hide) {
		rc = commits_hide_if_present(h->walk, h->repo, git_object_id(obj), h->err, sizeof(h->err));
	} else {
		rc = add_start(h, git_object_id(obj), spec);
	}
	git_object_free(obj);
	return rc;
}

struct history_feed {
	struct blobscan_par *par;
	const struct blobset *set;
};

/* After each commit: hands new blobs over in batches (waking a worker per commit for one
 * small blob costs more, in system time, than scanning it). */
static void feed(void *arg)
{
	struct history_feed *f = arg;
	blobscan_par_feed(f->par, f->set, 256);
}

int cmd_history(int argc, char **argv)
{
	struct history h;
	struct report_opts ro = {REPORT_TEXT, REPORT_MODE_HISTORY, 0};
	struct policy *pol = NULL;
	struct packread *packs = NULL;
	struct packread_cache *walk_pc = NULL; /* the walk's own reader (workers have theirs) */
	struct lfs_store *lfs = NULL;
	struct scan_limits limits;
	const char *config = NULL;
	int i, all = 0, nrevs = 0, rc = SG_EXIT_ERROR;
	size_t ncommits = 0;

	memset(&h, 0, sizeof(h));
	blobset_init(&h.set);
	finding_list_init(&h.findings);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *fmt = NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return SG_EXIT_OK;
		} else if (!strcmp(a, "--format") && i + 1 < argc) {
			fmt = argv[++i];
		} else if (!strncmp(a, "--format=", 9)) {
			fmt = a + 9;
		} else if (!strcmp(a, "--config") && i + 1 < argc) {
			config = argv[++i];
		} else if (!strcmp(a, "--format") || !strcmp(a, "--config")) {
			sg_error("option '%s' needs a value; see 'stateguard history --help'", a);
			return SG_EXIT_ERROR;
		} else if (!strcmp(a, "--all")) {
			all = 1;
		} else if (!strcmp(a, "--")) {
			nrevs += argc - i - 1;
			break;
		} else if (a[0] == '-' && a[1]) {
			sg_error("unknown option '%s' for history; see 'stateguard history --help'", a);
			return SG_EXIT_ERROR;
		} else {
			nrevs++;
		}
		if (fmt && report_format_parse(fmt, &ro.format) < 0) {
			sg_error("unknown format '%s' (text, json or sarif); see 'stateguard history --help'",
			         fmt);
			return SG_EXIT_ERROR;
		}
	}

	gitrepo_global_init();
	/* trees and blobs are read once each: libgit2's object cache would only keep them all
	 * (commits stay cached: the walk reads each one twice) */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, (size_t)0);
	if (gitrepo_open(&h.repo, NULL, h.err, sizeof(h.err)) < 0)
		goto fatal;
	if (policy_for_history(&pol, h.repo, config, h.err, sizeof(h.err)) < 0) {
		sg_error("history: bad configuration: %s", h.err);
		goto done;
	}
	if (git_revwalk_new(&h.walk, h.repo) < 0 ||
	    git_revwalk_sorting(h.walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0) {
		snprintf(h.err, sizeof(h.err), "cannot walk history: %s", gitrepo_errmsg());
		goto fatal;
	}
	if ((all || nrevs == 0) && add_all(&h) < 0)
		goto fatal;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--format") || !strcmp(a, "--config")) {
			i++;
			continue;
		}
		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++)
				if (add_rev(&h, argv[i]) < 0)
					goto fatal;
			break;
		}
		if (a[0] == '-' && a[1])
			continue;
		if (add_rev(&h, a) < 0)
			goto fatal;
	}

	sg_trace("history: policy and refs read");
	/* Walk and scan at once: the walk (this thread) hands each commit's new blobs to the
	 * workers, in the order it meets them, so reading blobs overlaps reading trees. */
	scan_limits_default(&limits);
	policy_limits(pol, &limits);
	const struct policy *pols[1] = {pol};
	/* the repository's packs, read by our own reader (source/packread.c: per-thread delta
	 * caches, no lock); libgit2 reads what they do not hold */
	packs = gitrepo_packs(h.repo);
	sg_trace("history: %zu pack%s read directly", packread_count(packs),
	         packread_count(packs) == 1 ? "" : "s");
	walk_pc = packread_cache_new(packs, PACKREAD_CACHE_BYTES);
	if (gitrepo_lfs_store(h.repo, LFS_MODE_HISTORY, &lfs, h.err, sizeof(h.err)) < 0)
		goto fatal;
	struct blobscan_opts bo = {&limits, pols, NULL, packs, lfs, 0};
	struct blobscan_par *par = blobscan_par_start(h.repo, &bo, blobscan_threads());
	struct history_feed hf = {par, &h.set};
	struct oidset seen_trees;
	oidset_init(&seen_trees);
	if (commits_collect_unique(h.repo, walk_pc, h.walk, &h.set, &seen_trees, &h.findings,
	                           &ncommits, feed, &hf, h.err, sizeof(h.err)) < 0)
		finding_list_add_error(&h.findings, "", "%s; the audit covers only the commits read",
		                       h.err);
	for (size_t k = 0; k < h.nlater; k++)
		if (commits_add_tip(h.repo, NULL, NULL, &h.later[k].id, h.later[k].name, &h.set, 0, h.err,
		                    sizeof(h.err)) < 0)
			finding_list_add_error(&h.findings, h.later[k].name, "%s", h.err);
	blobscan_par_feed(par, &h.set, 0);
	sg_trace("history: walked %zu commits, %zu trees, %zu unique blobs", ncommits, seen_trees.n,
	         blobset_count(&h.set));
	oidset_free(&seen_trees);
	blobscan_par_finish(par, h.repo, &h.findings);
	sg_trace("history: scanned, %zu findings", h.findings.n);

	size_t lfs_missing = 0;
	for (size_t k = 0; k < h.findings.n; k++)
		lfs_missing += !strcmp(h.findings.v[k].rule, LFS_RULE_MISSING);
	if (!sg_quiet && ro.format == REPORT_TEXT)
		printf("stateguard: audited %zu commit%s, %zu unique blob%s\n", ncommits,
		       ncommits == 1 ? "" : "s", blobset_count(&h.set),
		       blobset_count(&h.set) == 1 ? "" : "s");
	if (lfs_missing && ro.format == REPORT_TEXT)
		printf("stateguard: %zu Git LFS pointer%s whose object is not in %s: not audited "
		       "(run git lfs fetch --all, then audit again)\n",
		       lfs_missing, lfs_missing == 1 ? "" : "s", lfs->dir);
	ro.color = ro.format == REPORT_TEXT && report_want_color(stdout);
	if (report_print(stdout, &h.findings, &ro) < 0) {
		sg_error("cannot write the report");
		goto done;
	}
	rc = finding_list_exit_code(&h.findings);
	goto done;
fatal:
	sg_error("history: %s", h.err);
done:
	for (size_t k = 0; k < h.nlater; k++)
		free(h.later[k].name);
	free(h.later);
	finding_list_free(&h.findings);
	blobset_free(&h.set);
	policy_free(pol);
	packread_cache_free(walk_pc);
	packread_free(packs);
	lfs_store_free(lfs);
	git_revwalk_free(h.walk);
	git_repository_free(h.repo);
	return rc;
}
