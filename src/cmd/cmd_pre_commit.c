/*
 * cmd_pre_commit: `stateguard pre-commit` and `stateguard pre-merge-commit`:
 * scans every staged blob that differs from HEAD, as the index git is writing
 * holds it. Reads the index and objects only; never touches the work tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/hook.h"
#include "core/util.h"
#include "policy/policy_source.h"
#include "pipeline/blobscan.h"
#include "source/gitrepo.h"
#include "source/index.h"

static const char usage[] =
	"usage: stateguard pre-commit [--format text|json|sarif]\n"
	"usage: stateguard pre-merge-commit [--format text|json|sarif]\n\n"
	"Git hook: scans the blobs staged for the next commit (whole files, archives\n"
	"opened) and rejects the commit if any is state, a plan, a backend cache or a\n"
	"credential. Git runs it (install with 'stateguard install'); findings go to\n"
	"standard error, JSON/SARIF to standard output.\n\n"
	"Options:\n"
	"  --format F     text (default), json or sarif\n\n"
	"Environment:\n"
	"  STATEGUARD_SKIP=reason   skip the check, printing a warning with the reason\n\n"
	"Examples:\n"
	"  stateguard install                 run it on every commit of this repository\n"
	"  stateguard pre-commit              check what is staged now, by hand\n"
	"  STATEGUARD_SKIP='fixture, see #12' git commit ...\n";

/* Started by cmd_pre_commit_prepare before libgit2 starts up (the two overlap). */
static struct index_listing *early_listing;

void cmd_pre_commit_prepare(int argc, char **argv)
{
	const char *skip = getenv("STATEGUARD_SKIP");
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return;
	if (!skip || !*skip)
		early_listing = index_listing_start();
}

int cmd_pre_commit(int argc, char **argv)
{
	enum report_format format;
	git_repository *repo = NULL;
	struct policy *pol = NULL;
	struct lfs_store *lfs = NULL;
	struct blobset set;
	struct finding_list findings;
	struct index_path_state cfg;
	struct scan_limits limits;
	char err[1024];
	int argi, rc = SG_EXIT_ERROR;

	int o = hook_parse_options(argc, argv, usage, &format, &argi);
	if (o != 0 || argi < argc || hook_client_skipped(argv[0])) {
		index_listing_free(early_listing);
		early_listing = NULL;
		if (o == 0 && argi < argc)
			sg_error("%s takes no arguments", argv[0]);
		return o > 0 || (o == 0 && argi >= argc) ? SG_EXIT_OK : SG_EXIT_ERROR;
	}

	blobset_init(&set);
	finding_list_init(&findings);
	gitrepo_global_init();
	if (gitrepo_open(&repo, NULL, err, sizeof(err)) < 0 ||
	    index_staged_blobs(repo, early_listing, &set, POLICY_REPO_FILE, &cfg, err,
	                       sizeof(err)) < 0) {
		sg_error("%s: %s; the commit is rejected because the staged files could not be checked",
		         argv[0], err);
		goto done;
	}
	if (policy_for_commit(&pol, repo, &cfg, err, sizeof(err)) < 0) {
		sg_error("%s: bad configuration: %s; fix it (or unstage it) and commit again", argv[0], err);
		goto done;
	}
	if (gitrepo_lfs_store(repo, LFS_MODE_COMMIT, &lfs, err, sizeof(err)) < 0) {
		sg_error("%s: %s; the commit is rejected because Git LFS objects could not be located",
		         argv[0], err);
		goto done;
	}
	scan_limits_default(&limits);
	policy_limits(pol, &limits);
	const struct policy *pols[1] = {pol};
	struct blobscan_opts bo = {&limits, pols, NULL, NULL, lfs, 1};
	blobscan_run(repo, &set, blobset_count(&set), &bo, &findings);
	rc = hook_finish(&findings, format, REPORT_MODE_COMMIT);
done:
	index_listing_free(early_listing);
	early_listing = NULL;
	finding_list_free(&findings);
	blobset_free(&set);
	policy_free(pol);
	lfs_store_free(lfs);
	git_repository_free(repo);
	return rc;
}
