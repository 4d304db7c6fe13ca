/*
 * cmd_pre_receive: `stateguard pre-receive` (server hook, bare repository):
 * every object a push brings, read from git's quarantine, checked under the
 * server's policy only; any blocking finding rejects the whole push with
 * `remote:` lines saying which ref, commit and path, and how to fix it.
 * The skip push option is honoured for listed identities and audited.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/commands.h"
#include "cmd/hook.h"
#include "core/deadline.h"
#include "core/strset.h"
#include "core/util.h"
#include "unpack/lfs.h"
#include "policy/policy_source.h"
#include "pipeline/blobscan.h"
#include "pipeline/blobscan_par.h"
#include "source/commits.h"
#include "source/gitrepo.h"
#include "source/quarantine.h"

static const char usage[] =
	"usage: stateguard pre-receive [--format text|json|sarif] < UPDATE-LINES\n\n"
	"Git server hook (bare repository): reads '<old> <new> <ref>' lines and checks\n"
	"every object the push brings (from git's quarantine: cost follows the push,\n"
	"not the repository). Any blocking finding rejects the whole push. Policy is\n"
	"the server's only: git config stateguard.config PATH, else\n"
	"$GIT_DIR/stateguard.json; never a config inside the pushed commits.\n\n"
	"Emergency skip: 'git push -o stateguard.skip=REASON' is honoured only for the\n"
	"identities listed in 'git config --add stateguard.skipAllowed NAME' (matched\n"
	"against GL_USERNAME, GITHUB_USER_LOGIN, GITEA_PUSHER_NAME, REMOTE_USER, USER,\n"
	"the first one set) and is appended to the audit log (stateguard.auditLog,\n"
	"default $GIT_DIR/stateguard-audit.log); if the log cannot be written, the\n"
	"push is rejected.\n\n"
	"Git LFS: a pushed pointer is checked against its object in 'git config\n"
	"stateguard.lfsStore PATH', else $GIT_DIR/lfs/objects (GitLab and Gitea layouts\n"
	"too); a pointer whose object is not there is refused.\n\n"
	"Time budget: a check that takes longer than 'git config stateguard.timeout'\n"
	"seconds (default 300, 0: none; STATEGUARD_TIMEOUT overrides it) rejects the\n"
	"push with a message, as does a SIGTERM from the server; set it below the\n"
	"platform's own hook timeout (GitHub Enterprise Server: 5 s).\n\n"
	"Options:\n"
	"  --format F     text (default, on stderr: the pusher sees 'remote:' lines),\n"
	"                 json or sarif (stdout)\n\n"
	"Examples:\n"
	"  stateguard install --server /srv/git/infra.git\n"
	"  git config -f /srv/git/infra.git/config --add stateguard.skipAllowed alice\n"
	"  git push -o stateguard.skip='restore drill, INC-42' origin main\n";

struct update {
	git_oid old, new;
	char *ref;
};

static const char *pusher_identity(const char **var)
{
	static const char *const vars[] = {"GL_USERNAME", "GITHUB_USER_LOGIN", "GITEA_PUSHER_NAME",
	                                   "REMOTE_USER", "USER", NULL};
	for (const char *const *v = vars; *v; v++) {
		const char *val = getenv(*v);
		if (val && *val) {
			*var = *v;
			return val;
		}
	}
	*var = "none";
	return NULL;
}

/* The reason of a `-o stateguard.skip=REASON` push option, or NULL. */
static const char *skip_option(void)
{
	const char *count = getenv("GIT_PUSH_OPTION_COUNT");
	long n = count ? strtol(count, NULL, 10) : 0;
	for (long i = 0; i < n && i < 1000; i++) {
		char name[64];
		snprintf(name, sizeof(name), "GIT_PUSH_OPTION_%ld", i);
		const char *v = getenv(name);
		if (v && !strncmp(v, "stateguard.skip=", 16))
			return v + 16;
	}
	return NULL;
}

struct allow_match {
	const char *who;
	int found;
};

static int on_allowed(const git_config_entry *e, void *arg)
{
	struct allow_match *m = arg;
	if (e->value && !strcmp(e->value, m->who))
		m->found = 1;
	return 0;
}

/*
 * Handles a skip request. Returns 1 if the push is to be accepted unchecked (logged), 0 to
 * check it normally, -1 to reject (err set).
 */
static int handle_skip(git_repository *repo, const struct update *u, size_t nu, char *err,
                       size_t errsz)
{
	const char *reason = skip_option(), *var;
	const char *who = pusher_identity(&var);
	git_config *cfg = NULL;
	git_buf logpath = GIT_BUF_INIT;
	struct allow_match m = {who, 0};
	char *fallback = NULL;
	FILE *log = NULL;
	int rc = -1;

	if (!reason)
		return 0;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		snprintf(err, errsz, "cannot read the server's git config: %s", gitrepo_errmsg());
		return -1;
	}
	if (who) {
		int e = git_config_get_multivar_foreach(cfg, "stateguard.skipAllowed", NULL, on_allowed, &m);
		if (e < 0 && e != GIT_ENOTFOUND) {
			snprintf(err, errsz, "cannot read stateguard.skipAllowed: %s", gitrepo_errmsg());
			goto done;
		}
	}
	if (!m.found || !*reason) {
		fprintf(stderr,
		        "stateguard: the skip request (-o stateguard.skip) is refused: %s%s%s is not "
		        "listed in the server's stateguard.skipAllowed%s; the push is checked as usual.\n",
		        who ? who : "the pusher", who ? " from " : "", who ? var : "",
		        *reason ? "" : " (and a reason is required)");
		rc = 0;
		goto done;
	}
	const char *path;
	if (git_config_get_path(&logpath, cfg, "stateguard.auditLog") == 0) {
		path = logpath.ptr;
	} else {
		fallback = xasprintf("%sstateguard-audit.log", git_repository_commondir(repo));
		path = fallback;
	}
	log = fopen(path, "a");
	if (!log) {
		snprintf(err, errsz, "the skip requested by %s cannot be written to the audit log %s (%s)",
		         who, path, strerror(errno));
		goto done;
	}
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	fprintf(log, "%s skip by %s (%s) reason: ", when, who, var);
	for (const char *c = reason; *c; c++)
		fputc(*c == '\n' || *c == '\r' ? ' ' : *c, log);
	for (size_t i = 0; i < nu; i++) {
		char o[GIT_OID_HEXSZ + 1], n[GIT_OID_HEXSZ + 1];
		git_oid_tostr(o, sizeof(o), &u[i].old);
		git_oid_tostr(n, sizeof(n), &u[i].new);
		fprintf(log, " | %s %s %s", u[i].ref, o, n);
	}
	fputc('\n', log);
	if (ferror(log) | (fclose(log) != 0)) {
		log = NULL;
		snprintf(err, errsz, "the skip requested by %s cannot be written to the audit log %s",
		         who, path);
		goto done;
	}
	log = NULL;
	fprintf(stderr,
	        "stateguard: WARNING: checks skipped for this push by %s (reason: \"%s\"); recorded "
	        "in %s.\n",
	        who, reason, path);
	rc = 1;
done:
	if (log)
		fclose(log);
	free(fallback);
	git_buf_dispose(&logpath);
	git_config_free(cfg);
	return rc;
}

/* Time budget of a push check unless configured (stateguard.timeout, STATEGUARD_TIMEOUT). */
#define RECEIVE_BUDGET_DEFAULT 300

static const char budget_hint[] =
	"An administrator can change the budget with 'git config stateguard.timeout SECONDS' on "
	"the server (0: no limit).";

/* Applies stateguard.timeout from the server's config, if set. Returns 0 or -1 (err set). */
static int receive_budget(git_repository *repo, char *err, size_t errsz)
{
	git_config *cfg = NULL;
	int64_t v = 0;
	int rc = -1;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		snprintf(err, errsz, "cannot read the server's git config: %s", gitrepo_errmsg());
		return -1;
	}
	int e = git_config_get_int64(&v, cfg, "stateguard.timeout");
	if (e == GIT_ENOTFOUND) {
		rc = 0;
	} else if (e < 0 || v < 0 || v > 7 * 24 * 3600) {
		snprintf(err, errsz, "stateguard.timeout is not a number of seconds from 0 (no limit) "
		         "to 604800");
	} else {
		deadline_arm((unsigned)v, "pre-receive", budget_hint);
		rc = 0;
	}
	git_config_free(cfg);
	return rc;
}

/* Collects the blobs the push introduces, bounded by what the repository already has. */
static int collect(git_repository *repo, const struct packread *packs, const struct update *u,
                   size_t nu, struct blobset *set, size_t *ncommits, char *err, size_t errsz)
{
	const char *quarantine = getenv("GIT_QUARANTINE_PATH");
	struct packread_cache *pc = packs ? packread_cache_new(packs, PACKREAD_CACHE_BYTES) : NULL;
	git_odb *main_odb = NULL;
	git_revwalk *walk = NULL;
	struct oidset seen;
	int rc = -1;

	oidset_init(&seen);
	if (quarantine && *quarantine && gitrepo_open_main_odb(&main_odb, repo, err, errsz) < 0)
		goto done;
	for (size_t i = 0; i < nu; i++) {
		if (git_oid_is_zero(&u[i].new))
			continue; /* a deletion adds nothing */
		if (main_odb) {
			struct oidset tips;
			oidset_init(&tips);
			int e = commits_add_tip(repo, NULL, &tips, &u[i].new, u[i].ref, set, (int)i, err, errsz);
			if (e == 0)
				e = commits_collect_new(repo, main_odb, pc, &tips, set, (int)i, &seen, ncommits,
				                        err, errsz);
			oidset_free(&tips);
			if (e < 0)
				goto done;
			continue;
		}
		/* no quarantine (git before 2.11, or run by hand): everything no ref reaches yet */
		if (git_revwalk_new(&walk, repo) < 0) {
			snprintf(err, errsz, "cannot walk history: %s", gitrepo_errmsg());
			goto done;
		}
		if (commits_add_tip(repo, walk, NULL, &u[i].new, u[i].ref, set, (int)i, err, errsz) < 0 ||
		    (!git_oid_is_zero(&u[i].old) &&
		     commits_hide_if_present(walk, repo, &u[i].old, err, errsz) < 0) ||
		    commits_hide_refs(walk, repo, "refs/*", err, errsz) < 0 ||
		    commits_collect(repo, pc, walk, set, (int)i, &seen, NULL, ncommits, err, errsz) < 0)
			goto done;
		git_revwalk_free(walk);
		walk = NULL;
	}
	if (main_odb && quarantine_new_blobs(quarantine, main_odb, pc, set,
	                                     "(pushed blob outside any pushed tree)", (int)nu, err,
	                                     errsz) < 0)
		goto done;
	rc = 0;
done:
	git_revwalk_free(walk);
	git_odb_free(main_odb);
	oidset_free(&seen);
	packread_cache_free(pc);
	return rc;
}

/*
 * A refused push may have uploaded LFS objects already (git-lfs sends them before the
 * refs): names those that carry a blocking finding and are in the store, for an
 * administrator to remove. Nothing is deleted here.
 */
static void report_stored_lfs(const struct finding_list *l, const struct lfs_store *lfs)
{
	struct strset named;
	strset_init(&named);
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		char *file = NULL;
		if (!f->lfs || f->allowed_by || f->is_error || f->severity != SG_SEV_BLOCK ||
		    !strcmp(f->rule, LFS_RULE_MISSING) || !strset_add(&named, f->lfs, strlen(f->lfs)))
			continue;
		if (lfs_store_find(lfs, f->lfs + 7, &file) != 0)
			continue;
		const char *rel = file + strlen(lfs->dir) + 1;
		fprintf(stderr, "stateguard: the LFS object %s of ", f->lfs);
		for (const unsigned char *c = (const unsigned char *)f->path; *c && *c != '!'; c++)
			fprintf(stderr, *c < 0x20 || *c == 0x7f ? "\\x%02x" : "%c", *c);
		fprintf(stderr,
		        " already reached the server's LFS store (%s under it) before the refs were "
		        "checked. The push is refused, but the object stays: if no accepted commit uses "
		        "it, an administrator should remove it.\n",
		        rel);
		free(file);
	}
	strset_free(&named);
}

int cmd_pre_receive(int argc, char **argv)
{
	enum report_format format;
	git_repository *repo = NULL;
	struct policy *pol = NULL;
	struct packread *packs = NULL;
	struct lfs_store *lfs = NULL;
	struct blobset set;
	struct finding_list findings;
	struct scan_limits limits;
	struct update *u = NULL;
	const struct policy **pols = NULL;
	const char **refnames = NULL;
	size_t nu = 0, cap = 0, linecap = 0, ncommits = 0;
	char *line = NULL, err[1024];
	int argi, rc = SG_EXIT_ERROR;

	int o = hook_parse_options(argc, argv, usage, &format, &argi);
	if (o != 0)
		return o > 0 ? SG_EXIT_OK : SG_EXIT_ERROR;
	if (argi < argc) {
		sg_error("pre-receive takes no arguments (git passes the updates on standard input); "
		         "see 'stateguard pre-receive --help'");
		return SG_EXIT_ERROR;
	}
	unsigned budget = RECEIVE_BUDGET_DEFAULT;
	const char *budget_env = getenv("STATEGUARD_TIMEOUT");
	if (budget_env && deadline_parse(budget_env, &budget) < 0) {
		sg_error("STATEGUARD_TIMEOUT='%s' is not a number of seconds (0: no limit); the push is "
		         "rejected.",
		         budget_env);
		return SG_EXIT_ERROR;
	}
	deadline_arm(budget, "pre-receive", budget_hint);
	blobset_init(&set);
	finding_list_init(&findings);
	gitrepo_global_init();

	ssize_t len;
	while ((len = getline(&line, &linecap, stdin)) >= 0) {
		char ohex[128], nhex[128];
		int refat = 0;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		xgrow((void **)&u, &cap, nu + 1, sizeof(*u));
		if (sscanf(line, "%127s %127s %n", ohex, nhex, &refat) != 2 || !refat || !line[refat] ||
		    git_oid_fromstrp(&u[nu].old, ohex) < 0 || git_oid_fromstrp(&u[nu].new, nhex) < 0) {
			snprintf(err, sizeof(err), "cannot parse the update line '%.200s'", line);
			goto fail;
		}
		u[nu++].ref = xstrdup(line + refat);
	}
	if (ferror(stdin)) {
		snprintf(err, sizeof(err), "cannot read the updates from standard input");
		goto fail;
	}
	if (gitrepo_open(&repo, NULL, err, sizeof(err)) < 0)
		goto fail;
	if (!budget_env && receive_budget(repo, err, sizeof(err)) < 0)
		goto fail;
	if (policy_for_receive(&pol, repo, err, sizeof(err)) < 0) {
		sg_error("the server's stateguard configuration is invalid: %s. Every push is rejected "
		         "until an administrator fixes it.",
		         err);
		goto done;
	}
	int skip = handle_skip(repo, u, nu, err, sizeof(err));
	if (skip < 0)
		goto fail;
	if (skip > 0) {
		rc = SG_EXIT_OK;
		goto done;
	}
	/* large pushes (a repository moved here) are read through our pack reader, the
	 * quarantine's packs included; libgit2 reads loose objects and the rest */
	packs = gitrepo_packs(repo);
	sg_trace("pre-receive: %zu pack%s read directly", packread_count(packs),
	         packread_count(packs) == 1 ? "" : "s");
	if (collect(repo, packs, u, nu, &set, &ncommits, err, sizeof(err)) < 0)
		goto fail;
	sg_trace("pre-receive: %zu new commits walked, %zu blobs to scan", ncommits,
	         blobset_count(&set));

	pols = xcalloc(nu + 1, sizeof(*pols));
	refnames = xcalloc(nu + 1, sizeof(*refnames));
	for (size_t i = 0; i <= nu; i++) {
		pols[i] = pol;
		refnames[i] = i < nu ? u[i].ref : NULL;
	}
	if (gitrepo_lfs_store(repo, LFS_MODE_RECEIVE, &lfs, err, sizeof(err)) < 0)
		goto fail;
	scan_limits_default(&limits);
	policy_limits(pol, &limits);
	struct blobscan_opts bo = {&limits, pols, refnames, packs, lfs, 0};
	blobscan_auto(repo, &set, &bo, &findings);
	rc = finding_list_exit_code(&findings);
	if (rc != SG_EXIT_OK && format == REPORT_TEXT)
		fprintf(stderr,
		        "stateguard: push rejected: the pushed commits contain files that must not be in "
		        "this repository.\n\n");
	rc = hook_finish(&findings, format, REPORT_MODE_RECEIVE);
	if (rc != SG_EXIT_OK)
		report_stored_lfs(&findings, lfs);
	goto done;
fail:
	sg_error("push rejected: %s. Nothing was accepted; if this persists, tell the server's "
	         "administrator.",
	         err);
done:
	for (size_t i = 0; i < nu; i++)
		free(u[i].ref);
	free(u);
	free(pols);
	free(refnames);
	free(line);
	finding_list_free(&findings);
	blobset_free(&set);
	policy_free(pol);
	packread_free(packs);
	lfs_store_free(lfs);
	git_repository_free(repo);
	return rc;
}
