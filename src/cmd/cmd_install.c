/*
 * cmd_install: `stateguard install|uninstall [--repo DIR] [--global] [--server
 * BARE]`: writes the hook shim (hooks/stateguard-hook) under each hook's name
 * into the hooks directory git uses (core.hooksPath respected), keeping an
 * existing hook as NAME.stateguard-chained; uninstall puts it back.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "core/util.h"
#include "source/gitrepo.h"

#define SHIM_NAME "stateguard-hook"
#define SHIM_MARK "stateguard hook shim"
#define CHAIN_SUFFIX ".stateguard-chained"

static const char *const client_hooks[] = {"pre-commit", "pre-merge-commit", "pre-push", NULL};
static const char *const server_hooks[] = {"pre-receive", NULL};

static const char usage[] =
	"usage: stateguard install [--repo DIR | --global | --server BARE_REPO]\n"
	"usage: stateguard uninstall [--repo DIR | --global | --server BARE_REPO]\n\n"
	"install writes the pre-commit, pre-merge-commit and pre-push hooks into the\n"
	"repository DIR (default: the current one), into a core.hooksPath for every\n"
	"repository of the user (--global), or the pre-receive hook into a server's\n"
	"bare repository (--server). An existing hook is kept and still runs after\n"
	"stateguard; uninstall restores it. Re-running install is harmless.\n"
	"--server also sets receive.advertisePushOptions (for -o stateguard.skip=...).\n\n"
	"Examples:\n"
	"  stateguard install\n"
	"  stateguard install --repo ~/src/infra\n"
	"  stateguard install --global\n"
	"  stateguard install --server /srv/git/infra.git\n"
	"  stateguard uninstall --repo ~/src/infra\n";

static char *self_path(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

/* The shim template: $STATEGUARD_HOOKS_DIR, the installed share dir, or the source tree. */
static int read_shim(unsigned char **data, size_t *len, const char *self)
{
	const char *env = getenv("STATEGUARD_HOOKS_DIR");
	char *dir = xstrdup(self), *slash = strrchr(dir, '/');
	const char *rel[] = {"/../share/stateguard/hooks/", "/../hooks/", "/../../hooks/", NULL};
	int rc = -1;

	if (slash)
		*slash = '\0';
	if (env && *env) {
		char *p = xasprintf("%s/%s", env, SHIM_NAME);
		rc = util_read_file(p, 1 << 20, data, len) == 0 ? 0 : -1;
		free(p);
	}
	for (const char **r = rel; rc < 0 && *r; r++) {
		char *p = xasprintf("%s%s%s", dir, *r, SHIM_NAME);
		rc = util_read_file(p, 1 << 20, data, len) == 0 ? 0 : -1;
		free(p);
	}
	if (rc < 0)
		sg_error("cannot find the hook shim '%s' (looked in ../share/stateguard/hooks, ../hooks "
		         "and ../../hooks from %s%s); reinstall stateguard or set STATEGUARD_HOOKS_DIR",
		         SHIM_NAME, self, env && *env ? ", and in STATEGUARD_HOOKS_DIR" : "");
	free(dir);
	return rc;
}

/* Replaces every occurrence of `key` in text by `val` (a fresh string). */
static char *subst(const char *text, const char *key, const char *val)
{
	size_t kl = strlen(key), vl = strlen(val), n = 0, cap = 0;
	char *out = NULL;
	for (const char *p = text; *p;) {
		const char *hit = strstr(p, key);
		size_t chunk = hit ? (size_t)(hit - p) : strlen(p);
		xgrow((void **)&out, &cap, n + chunk + vl + 1, 1);
		memcpy(out + n, p, chunk);
		n += chunk;
		p += chunk;
		if (!hit)
			break;
		memcpy(out + n, val, vl);
		n += vl;
		p += kl;
	}
	xgrow((void **)&out, &cap, n + 1, 1);
	out[n] = '\0';
	return out;
}

static int is_ours(const char *path)
{
	unsigned char *data;
	size_t len;
	if (util_read_file(path, 1 << 20, &data, &len) != 0)
		return 0;
	int ours = util_memmem(data, len, SHIM_MARK, strlen(SHIM_MARK)) != NULL;
	free(data);
	return ours;
}

static int write_file(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.stateguard-tmp", path);
	int r = util_write_file_atomic(path, text, strlen(text), tmp, 0755);
	if (r < 0)
		sg_error("cannot write %s: %s", r == -1 ? tmp : path, strerror(errno));
	free(tmp);
	return r < 0 ? -1 : 0;
}

static int install_hook(const char *dir, const char *name, const char *shim)
{
	char *path = xasprintf("%s/%s", dir, name), *chain = xasprintf("%s%s", path, CHAIN_SUFFIX);
	struct stat st;
	int rc = -1;

	if (lstat(path, &st) == 0 && !is_ours(path)) {
		if (lstat(chain, &st) == 0) {
			sg_error("%s exists and so does %s: move one of them away, then install again",
			         path, chain);
			goto done;
		}
		if (rename(path, chain) < 0) {
			sg_error("cannot keep the existing hook %s: %s", path, strerror(errno));
			goto done;
		}
		fprintf(stderr, "stateguard: kept the existing %s hook; it still runs after stateguard\n",
		        name);
	}
	rc = write_file(path, shim);
done:
	free(path);
	free(chain);
	return rc;
}

static int uninstall_hook(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name), *chain = xasprintf("%s%s", path, CHAIN_SUFFIX);
	struct stat st;
	int rc = 0;

	if (lstat(path, &st) == 0) {
		if (!is_ours(path)) {
			fprintf(stderr, "stateguard: %s is not a stateguard hook; left alone\n", path);
			goto done;
		}
		if (unlink(path) < 0) {
			sg_error("cannot remove %s: %s", path, strerror(errno));
			rc = -1;
			goto done;
		}
	}
	if (lstat(chain, &st) == 0 && rename(chain, path) < 0) {
		sg_error("cannot restore %s: %s", path, strerror(errno));
		rc = -1;
	}
done:
	free(path);
	free(chain);
	return rc;
}

/* The hooks directory git uses for repo: core.hooksPath (relative to where hooks run) or hooks/. */
static char *hooks_dir(git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf buf = GIT_BUF_INIT;
	char *dir = NULL;

	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_path(&buf, cfg, "core.hooksPath") == 0 && buf.ptr[0]) {
		if (buf.ptr[0] == '/')
			dir = xstrdup(buf.ptr);
		else
			dir = xasprintf("%s%s", git_repository_is_bare(repo) ? git_repository_path(repo)
			                                                    : git_repository_workdir(repo),
			                buf.ptr);
	} else {
		dir = xasprintf("%shooks", git_repository_commondir(repo));
	}
	git_buf_dispose(&buf);
	git_config_free(cfg);
	return dir;
}

static char *global_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		return xasprintf("%s/stateguard/hooks", xdg);
	if (home && *home)
		return xasprintf("%s/.config/stateguard/hooks", home);
	return NULL;
}

static int mkdirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; *s && rc == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0755) < 0 && errno != EEXIST)
		rc = -1;
	if (rc < 0)
		sg_error("cannot create %s: %s", dir, strerror(errno));
	free(p);
	return rc;
}

/* Opens the user's global git config file for writing and reads its core.hooksPath. */
static int global_hooks_path(git_config **cfg, char **current)
{
	git_buf buf = GIT_BUF_INIT;
	const char *home = getenv("HOME");
	char *path = NULL;
	int rc = -1;

	*current = NULL;
	if (git_config_find_global(&buf) == 0)
		path = xstrdup(buf.ptr);
	else if (home && *home)
		path = xasprintf("%s/.gitconfig", home);
	git_buf_dispose(&buf);
	if (!path) {
		sg_error("HOME is not set: cannot find the user's git config");
		return -1;
	}
	if (git_config_open_ondisk(cfg, path) < 0) {
		sg_error("cannot open %s: %s", path, gitrepo_errmsg());
		goto done;
	}
	if (git_config_get_path(&buf, *cfg, "core.hooksPath") == 0 && buf.ptr[0])
		*current = xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	rc = 0;
done:
	free(path);
	return rc;
}

int cmd_install(int argc, char **argv)
{
	int uninstall = !strcmp(argv[0], "uninstall"), global = 0, rc = SG_EXIT_ERROR;
	const char *repo_dir = NULL, *server = NULL;
	const char *const *names = client_hooks;
	git_repository *repo = NULL;
	git_config *gcfg = NULL;
	char *dir = NULL, *self = NULL, *shim = NULL, *shim1 = NULL, *current = NULL;
	unsigned char *tmpl = NULL;
	size_t tlen;
	char err[512];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return SG_EXIT_OK;
		} else if (!strcmp(argv[i], "--repo") && i + 1 < argc) {
			repo_dir = argv[++i];
		} else if (!strcmp(argv[i], "--server") && i + 1 < argc) {
			server = argv[++i];
		} else if (!strcmp(argv[i], "--global")) {
			global = 1;
		} else {
			sg_error("unknown argument '%s' for %s; see 'stateguard %s --help'", argv[i], argv[0],
			         argv[0]);
			return SG_EXIT_ERROR;
		}
	}
	if (!!repo_dir + !!server + global > 1) {
		sg_error("--repo, --global and --server exclude each other");
		return SG_EXIT_ERROR;
	}
	gitrepo_global_init();
	if (global) {
		if (global_hooks_path(&gcfg, &current) < 0)
			goto done;
		dir = current ? xstrdup(current) : global_dir();
		if (!dir) {
			sg_error("neither XDG_CONFIG_HOME nor HOME is set: cannot place global hooks");
			goto done;
		}
	} else {
		if (server)
			names = server_hooks;
		if (gitrepo_open(&repo, server ? server : repo_dir ? repo_dir : ".", err, sizeof(err)) < 0) {
			sg_error("%s", err);
			goto done;
		}
		if (server && !git_repository_is_bare(repo)) {
			sg_error("%s is not a bare repository: --server installs pre-receive into the "
			         "repository that receives pushes",
			         server);
			goto done;
		}
		dir = hooks_dir(repo);
	}

	if (uninstall) {
		rc = SG_EXIT_OK;
		for (const char *const *n = names; *n; n++)
			if (uninstall_hook(dir, *n) < 0)
				rc = SG_EXIT_ERROR;
		char *ours = global ? global_dir() : NULL;
		if (global && current && ours && !strcmp(current, ours) &&
		    git_config_delete_entry(gcfg, "core.hooksPath") < 0) {
			sg_error("cannot unset core.hooksPath: %s", gitrepo_errmsg());
			rc = SG_EXIT_ERROR;
		}
		free(ours);
		if (rc == SG_EXIT_OK)
			sg_info("hooks removed from %s", dir);
		goto done;
	}

	if (!(self = self_path())) {
		sg_error("cannot find the stateguard binary's own path (/proc/self/exe)");
		goto done;
	}
	if (read_shim(&tmpl, &tlen, self) < 0 || mkdirs(dir) < 0)
		goto done;
	shim1 = subst((const char *)tmpl, "@STATEGUARD_BIN@", self);
	shim = subst(shim1, "@STATEGUARD_MODE@", global ? "global" : server ? "server" : "repo");
	for (const char *const *n = names; *n; n++)
		if (install_hook(dir, *n, shim) < 0)
			goto done;
	if (global && !current && git_config_set_string(gcfg, "core.hooksPath", dir) < 0) {
		sg_error("cannot set core.hooksPath in the user's git config: %s", gitrepo_errmsg());
		goto done;
	}
	if (server) {
		git_config *rcfg = NULL;
		int e = git_repository_config(&rcfg, repo);
		if (e == 0)
			e = git_config_set_bool(rcfg, "receive.advertisePushOptions", 1);
		git_config_free(rcfg);
		if (e < 0) {
			sg_error("cannot enable push options (needed for -o stateguard.skip): %s",
			         gitrepo_errmsg());
			goto done;
		}
	}
	sg_info("%s installed in %s", server ? "pre-receive" : "pre-commit, pre-merge-commit, pre-push", dir);
	rc = SG_EXIT_OK;
done:
	free(tmpl);
	free(shim);
	free(shim1);
	free(self);
	free(dir);
	free(current);
	git_config_free(gcfg);
	git_repository_free(repo);
	return rc;
}
