/*
 * policy_source: reads config documents from blobs, commit trees, files and
 * git config for the hook modes, hands them to policy_parse and combines them
 * (policy_combine, policy_mark_fresh): one source per mode.
 */
#include "policy/policy_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"
#include "source/gitrepo.h"

#define CONFIG_MAX ((size_t)16 << 20)

static int parse_blob(struct policy **out, git_repository *repo, const git_oid *id,
                      const char *name, char *err, size_t errsz)
{
	git_odb *odb = NULL;
	struct gitrepo_obj obj;
	char rerr[256];
	int rc = -1;

	if (git_repository_odb(&odb, repo) < 0) {
		snprintf(err, errsz, "%s: cannot open the object store: %s", name, gitrepo_errmsg());
		return -1;
	}
	int e = gitrepo_read_blob(odb, NULL, id, CONFIG_MAX, &obj, rerr, sizeof(rerr));
	if (e < 0)
		snprintf(err, errsz, "%s: %s", name, rerr);
	else if (e > 0)
		snprintf(err, errsz, "%s: larger than 16 MiB, not a config", name);
	else
		rc = policy_parse(out, name, (const char *)obj.data, obj.size, err, errsz);
	gitrepo_obj_release(&obj);
	git_odb_free(odb);
	return rc;
}

/* The config in a commit's tree (commit-ish `spec`), if any. */
static int parse_from_commit(struct policy **out, git_repository *repo, const git_oid *commit_id,
                             const char *label, char *err, size_t errsz)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	char hex[GIT_OID_HEXSZ + 1], *name = NULL;
	int rc = -1;

	*out = NULL;
	git_oid_tostr(hex, sizeof(hex), commit_id);
	if (git_commit_lookup(&c, repo, commit_id) < 0 || git_commit_tree(&tree, c) < 0) {
		snprintf(err, errsz, "cannot read %s %s to find %s: %s", label, hex, POLICY_REPO_FILE,
		         gitrepo_errmsg());
		goto done;
	}
	int e = git_tree_entry_bypath(&te, tree, POLICY_REPO_FILE);
	if (e == GIT_ENOTFOUND) {
		rc = 0;
		goto done;
	}
	if (e < 0 || git_tree_entry_type(te) != GIT_OBJECT_BLOB) {
		snprintf(err, errsz, "%s:%s is not a readable file", hex, POLICY_REPO_FILE);
		goto done;
	}
	name = xasprintf("%.12s:%s", hex, POLICY_REPO_FILE);
	rc = parse_blob(out, repo, git_tree_entry_id(te), name, err, errsz);
done:
	free(name);
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

/* The config named by `git config stateguard.config` (user, global or repository), if set. */
static int user_policy(struct policy **out, git_repository *repo, char *err, size_t errsz)
{
	git_config *cfg = NULL;
	git_buf path = GIT_BUF_INIT;
	int rc = -1;
	*out = NULL;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		snprintf(err, errsz, "cannot read the git config: %s", gitrepo_errmsg());
		return -1;
	}
	int e = git_config_get_path(&path, cfg, "stateguard.config");
	if (e == GIT_ENOTFOUND)
		rc = 0;
	else if (e < 0)
		snprintf(err, errsz, "git config stateguard.config: %s", gitrepo_errmsg());
	else
		rc = policy_load_file(out, path.ptr, err, errsz);
	git_buf_dispose(&path);
	git_config_free(cfg);
	return rc;
}

/* Replaces *repo_pol by its combination with the user's config, if there is one. */
static int with_user_policy(struct policy **repo_pol, git_repository *repo, char *err,
                            size_t errsz)
{
	struct policy *user = NULL;
	if (user_policy(&user, repo, err, errsz) < 0) {
		policy_free(*repo_pol);
		*repo_pol = NULL;
		return -1;
	}
	if (user) {
		struct policy *c = policy_combine(user, *repo_pol);
		policy_free(user);
		policy_free(*repo_pol);
		*repo_pol = c;
	}
	return 0;
}

int policy_for_commit(struct policy **out, git_repository *repo,
                      const struct index_path_state *staged, char *err, size_t errsz)
{
	git_oid head;
	int rc = 0;
	*out = NULL;
	if (staged->state == 1) {
		rc = parse_blob(out, repo, &staged->id, "staged " POLICY_REPO_FILE, err, errsz);
	} else if (staged->state >= 0) {
		int e = git_reference_name_to_id(&head, repo, "HEAD");
		if (e < 0 && e != GIT_ENOTFOUND && e != GIT_EUNBORNBRANCH) {
			snprintf(err, errsz, "cannot read HEAD to find %s: %s", POLICY_REPO_FILE,
			         gitrepo_errmsg());
			return -1;
		}
		if (e == 0)
			rc = parse_from_commit(out, repo, &head, "HEAD", err, errsz);
	}
	if (rc < 0)
		return rc;
	return with_user_policy(out, repo, err, errsz);
}

/* The config in the tree a commit-ish points at; none (0) for a missing object. */
static int parse_from_commitish(struct policy **out, git_repository *repo, const git_oid *id,
                                const char *label, int missing_ok, char *err, size_t errsz)
{
	git_object *obj = NULL, *c = NULL;
	int rc = 0;
	*out = NULL;
	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) < 0) {
		if (missing_ok)
			return 0;
		snprintf(err, errsz, "cannot read the %s to find %s: %s", label, POLICY_REPO_FILE,
		         gitrepo_errmsg());
		return -1;
	}
	if (git_object_peel(&c, obj, GIT_OBJECT_COMMIT) == 0)
		rc = parse_from_commit(out, repo, git_object_id(c), label, err, errsz);
	git_object_free(c);
	git_object_free(obj);
	return rc;
}

int policy_for_push(struct policy **out, git_repository *repo, const git_oid *tip,
                    const char *remote, const git_oid *remote_tip, char *err, size_t errsz)
{
	struct policy *before = NULL;
	git_oid b;
	*out = NULL;
	if (tip && parse_from_commitish(out, repo, tip, "pushed commit", 0, err, errsz) < 0)
		return -1;
	if (*out) {
		/* what the remote already has; a config it cannot parse counts as none */
		char berr[512];
		int have = 0;
		if (remote_tip && !git_oid_is_zero(remote_tip)) {
			git_oid_cpy(&b, remote_tip);
			have = 1;
		} else if (remote) {
			char *ref = xasprintf("refs/remotes/%s/HEAD", remote);
			have = git_reference_name_to_id(&b, repo, ref) == 0;
			free(ref);
		}
		if (have && parse_from_commitish(&before, repo, &b, "remote's commit", 1, berr,
		                                 sizeof(berr)) < 0)
			before = NULL;
		policy_mark_fresh(*out, before);
		policy_free(before);
	}
	return with_user_policy(out, repo, err, errsz);
}

/* The repository's own config at the tip of its default branch (HEAD), before the push. */
static int default_branch_policy(struct policy **out, git_repository *repo, char *err,
                                 size_t errsz)
{
	git_oid head;
	*out = NULL;
	int e = git_reference_name_to_id(&head, repo, "HEAD");
	if (e == GIT_ENOTFOUND || e == GIT_EUNBORNBRANCH)
		return 0;
	if (e < 0) {
		snprintf(err, errsz, "cannot read the default branch to find %s: %s", POLICY_REPO_FILE,
		         gitrepo_errmsg());
		return -1;
	}
	return parse_from_commit(out, repo, &head, "default branch", err, errsz);
}

int policy_for_receive(struct policy **out, git_repository *repo, char *err, size_t errsz)
{
	git_config *cfg = NULL;
	git_buf path = GIT_BUF_INIT;
	char *fallback = NULL;
	struct stat st;
	int rc = -1;

	*out = NULL;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		snprintf(err, errsz, "cannot read the repository's git config: %s", gitrepo_errmsg());
		return -1;
	}
	int e = git_config_get_path(&path, cfg, "stateguard.config");
	if (e == 0) {
		rc = policy_load_file(out, path.ptr, err, errsz);
	} else if (e != GIT_ENOTFOUND) {
		snprintf(err, errsz, "git config stateguard.config: %s", gitrepo_errmsg());
	} else {
		fallback = xasprintf("%sstateguard.json", git_repository_commondir(repo));
		rc = stat(fallback, &st) == 0 ? policy_load_file(out, fallback, err, errsz) : 0;
	}
	int want_repo = 0;
	if (rc == 0 && git_config_get_bool(&want_repo, cfg, "stateguard.repositoryConfig") < 0)
		want_repo = 0;
	if (rc == 0 && (want_repo || policy_repository_config(*out))) {
		struct policy *rp = NULL;
		rc = default_branch_policy(&rp, repo, err, errsz);
		if (rc == 0 && rp) {
			struct policy *c = policy_combine(*out, rp);
			policy_free(*out);
			*out = c;
		}
		policy_free(rp);
	}
	if (rc < 0) {
		policy_free(*out);
		*out = NULL;
	}
	free(fallback);
	git_buf_dispose(&path);
	git_config_free(cfg);
	return rc;
}

int policy_for_history(struct policy **out, git_repository *repo, const char *file, char *err,
                       size_t errsz)
{
	git_oid head;
	*out = NULL;
	if (file)
		return policy_load_file(out, file, err, errsz);
	int e = git_reference_name_to_id(&head, repo, "HEAD");
	if (e == GIT_ENOTFOUND || e == GIT_EUNBORNBRANCH)
		return 0;
	if (e < 0) {
		snprintf(err, errsz, "cannot read HEAD to find %s: %s", POLICY_REPO_FILE, gitrepo_errmsg());
		return -1;
	}
	return parse_from_commit(out, repo, &head, "HEAD", err, errsz);
}
