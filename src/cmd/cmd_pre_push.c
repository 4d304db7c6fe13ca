/*
 * cmd_pre_push: `stateguard pre-push REMOTE URL` (git's pre-push hook): for
 * every ref line on stdin, every commit the remote does not have, and the blobs
 * each introduces, read from the pushed commits (never HEAD or the work tree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "cmd/hook.h"
#include "core/util.h"
#include "policy/policy_source.h"
#include "pipeline/blobscan.h"
#include "pipeline/blobscan_par.h"
#include "source/commits.h"
#include "source/gitrepo.h"

static const char usage[] =
	"usage: stateguard pre-push [--format text|json|sarif] [REMOTE [URL]] < REF-LINES\n\n"
	"Git hook: reads '<local ref> <local oid> <remote ref> <remote oid>' lines and\n"
	"checks every commit of every pushed ref that the remote does not have yet\n"
	"(each blob once, archives opened), including files added and deleted again\n"
	"within the push and tags that point at files. Findings go to standard error.\n\n"
	"Options:\n"
	"  --format F     text (default), json or sarif (JSON carries commit and ref)\n\n"
	"Environment:\n"
	"  STATEGUARD_SKIP=reason   skip the check, printing a warning with the reason\n\n"
	"Examples:\n"
	"  stateguard install                 run it on every push of this repository\n"
	"  echo \"refs/heads/main $(git rev-parse main) refs/heads/main $(git rev-parse origin/main)\" |\n"
	"    stateguard pre-push origin\n";

struct pushed_ref {
	char *remote_ref;
	git_oid local;
	git_oid remote;
};

/* Hides what the remote already has: its old tip and every refs/remotes/REMOTE/ ref. */
static int hide_remote(git_revwalk *walk, git_repository *repo, const char *remote,
                       const git_oid *remote_oid, char *err, size_t errsz)
{
	git_config *cfg = NULL;
	git_config_entry *url = NULL;
	char *glob, *key = remote ? xasprintf("remote.%s.url", remote) : NULL;
	int rc;

	if (!git_oid_is_zero(remote_oid) &&
	    commits_hide_if_present(walk, repo, remote_oid, err, errsz) < 0) {
		free(key);
		return -1;
	}
	/* a direct config read: git_remote_lookup's regex leaks in libgit2 1.5.1 */
	if (key && git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_entry(&url, cfg, key) == 0)
		glob = xasprintf("refs/remotes/%s/*", remote);
	else
		glob = xstrdup("refs/remotes/*"); /* a URL: whatever any remote is known to have */
	git_config_entry_free(url);
	git_config_free(cfg);
	free(key);
	rc = commits_hide_refs(walk, repo, glob, err, errsz);
	free(glob);
	return rc;
}

int cmd_pre_push(int argc, char **argv)
{
	enum report_format format;
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	struct blobset set;
	struct oidset seen;
	struct finding_list findings;
	struct scan_limits limits;
	struct pushed_ref *refs = NULL;
	struct policy **pols = NULL;
	struct packread *packs = NULL;
	struct packread_cache *pc = NULL;
	struct lfs_store *lfs = NULL;
	const char **refnames = NULL;
	size_t nrefs = 0, cap = 0, linecap = 0;
	char *line = NULL, err[1024];
	const char *remote = NULL;
	int argi, rc = SG_EXIT_ERROR;

	int o = hook_parse_options(argc, argv, usage, &format, &argi);
	if (o != 0)
		return o > 0 ? SG_EXIT_OK : SG_EXIT_ERROR;
	if (argi < argc)
		remote = argv[argi];
	if (hook_client_skipped(argv[0]))
		return SG_EXIT_OK;

	if (isatty(STDIN_FILENO)) {
		sg_error("pre-push reads git's '<local ref> <oid> <remote ref> <oid>' lines on standard\n"
		         "input, and it is a terminal: nothing was checked. Run it from git's pre-push\n"
		         "hook; a hook manager must pass stdin through (lefthook: use_stdin: true).");
		return SG_EXIT_ERROR;
	}
	blobset_init(&set);
	oidset_init(&seen);
	finding_list_init(&findings);
	gitrepo_global_init();
	if (gitrepo_open(&repo, NULL, err, sizeof(err)) < 0)
		goto fail;
	packs = gitrepo_packs(repo); /* a push of many commits reads them from the packs */
	pc = packread_cache_new(packs, PACKREAD_CACHE_BYTES);

	ssize_t len;
	size_t nlines = 0;
	while ((len = getline(&line, &linecap, stdin)) >= 0) {
		nlines++;
		char lref[4096], lhex[128], rref[4096], rhex[128];
		git_oid loid, roid;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		if ((size_t)len >= sizeof(lref) ||
		    sscanf(line, "%4095s %127s %4095s %127s", lref, lhex, rref, rhex) != 4 ||
		    git_oid_fromstrp(&loid, lhex) < 0 || git_oid_fromstrp(&roid, rhex) < 0) {
			snprintf(err, sizeof(err), "cannot parse the pre-push input line '%.200s'", line);
			goto fail;
		}
		if (git_oid_is_zero(&loid))
			continue; /* a deletion adds nothing */
		xgrow((void **)&refs, &cap, nrefs + 1, sizeof(*refs));
		refs[nrefs].remote_ref = xstrdup(rref);
		git_oid_cpy(&refs[nrefs].local, &loid);
		git_oid_cpy(&refs[nrefs].remote, &roid);
		nrefs++;

		if (git_revwalk_new(&walk, repo) < 0) {
			snprintf(err, sizeof(err), "cannot walk history: %s", gitrepo_errmsg());
			goto fail;
		}
		if (commits_add_tip(repo, walk, NULL, &loid, lref, &set, (int)nrefs - 1, err,
		                    sizeof(err)) < 0 ||
		    hide_remote(walk, repo, remote, &roid, err, sizeof(err)) < 0 ||
		    commits_collect(repo, pc, walk, &set, (int)nrefs - 1, &seen, NULL, NULL, err,
		                    sizeof(err)) < 0)
			goto fail;
		git_revwalk_free(walk);
		walk = NULL;
	}
	if (ferror(stdin)) {
		snprintf(err, sizeof(err), "cannot read the refs being pushed from standard input");
		goto fail;
	}
	if (nlines == 0)
		sg_warn("pre-push received no ref lines on standard input: nothing to check (a hook\n"
		        "manager must pass git's stdin through, e.g. lefthook use_stdin: true)");

	pols = xcalloc(nrefs + 1, sizeof(*pols));
	refnames = xcalloc(nrefs + 1, sizeof(*refnames));
	for (size_t i = 0; i < nrefs; i++) {
		refnames[i] = refs[i].remote_ref;
		if (policy_for_push(&pols[i], repo, &refs[i].local, remote, &refs[i].remote, err,
		                    sizeof(err)) < 0) {
			sg_error("pre-push: bad configuration: %s; fix it in the pushed commit and push again",
			         err);
			goto done;
		}
	}
	sg_trace("pre-push: %zu blobs to scan, %zu pack%s read directly", blobset_count(&set),
	         packread_count(packs), packread_count(packs) == 1 ? "" : "s");
	if (gitrepo_lfs_store(repo, LFS_MODE_PUSH, &lfs, err, sizeof(err)) < 0)
		goto fail;
	scan_limits_default(&limits);
	policy_limits(nrefs ? pols[0] : NULL, &limits);
	struct blobscan_opts bo = {&limits, (const struct policy *const *)pols, refnames, packs, lfs, 0};
	blobscan_auto(repo, &set, &bo, &findings);
	rc = hook_finish(&findings, format, REPORT_MODE_PUSH);
	goto done;
fail:
	sg_error("pre-push: %s; the push is stopped because its commits could not be checked", err);
done:
	for (size_t i = 0; i < nrefs; i++) {
		free(refs[i].remote_ref);
		if (pols)
			policy_free(pols[i]);
	}
	free(refs);
	free(pols);
	free(refnames);
	free(line);
	finding_list_free(&findings);
	oidset_free(&seen);
	blobset_free(&set);
	git_revwalk_free(walk);
	packread_cache_free(pc);
	packread_free(packs);
	lfs_store_free(lfs);
	git_repository_free(repo);
	return rc;
}
