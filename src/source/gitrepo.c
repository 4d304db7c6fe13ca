/*
 * gitrepo: repository opening for hooks (GIT_DIR, GIT_WORK_TREE, quarantine as a
 * disk alternate), capped blob reads and running git as a child process. It
 * does not walk commits or trees (commits.c, treewalk.c).
 */
#include "source/gitrepo.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"

extern char **environ;

void gitrepo_global_init(void)
{
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

const char *gitrepo_errmsg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

int gitrepo_open(git_repository **out, const char *path, char *err, size_t errsz)
{
	const char *gitdir = getenv("GIT_DIR");
	const char *worktree = getenv("GIT_WORK_TREE");
	const char *quarantine = getenv("GIT_QUARANTINE_PATH");
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	int rc = -1;

	*out = NULL;
	if (path) {
		if (git_repository_open_ext(&repo, path, 0, NULL) < 0) {
			snprintf(err, errsz, "%s is not a git repository: %s", path, gitrepo_errmsg());
			goto done;
		}
	} else if (gitdir && *gitdir) {
		if (git_repository_open_ext(&repo, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
			snprintf(err, errsz, "cannot open the repository at GIT_DIR=%s: %s", gitdir,
			         gitrepo_errmsg());
			goto done;
		}
	} else if (git_repository_open_ext(&repo, ".", 0, NULL) < 0) {
		snprintf(err, errsz, "not inside a git repository: %s", gitrepo_errmsg());
		goto done;
	}
	if (!path && worktree && *worktree && git_repository_set_workdir(repo, worktree, 0) < 0) {
		snprintf(err, errsz, "cannot use GIT_WORK_TREE=%s: %s", worktree, gitrepo_errmsg());
		goto done;
	}
	if (!path && quarantine && *quarantine) {
		if (git_repository_odb(&odb, repo) < 0 || git_odb_add_disk_alternate(odb, quarantine) < 0) {
			snprintf(err, errsz, "cannot read the pushed objects in %s: %s", quarantine,
			         gitrepo_errmsg());
			goto done;
		}
	}
	*out = repo;
	repo = NULL;
	rc = 0;
done:
	git_odb_free(odb);
	git_repository_free(repo);
	return rc;
}

int gitrepo_open_main_odb(git_odb **out, git_repository *repo, char *err, size_t errsz)
{
	char *dir = xasprintf("%s/objects", git_repository_commondir(repo));
	int rc = git_odb_open(out, dir);
	if (rc < 0)
		snprintf(err, errsz, "cannot open the object store %s: %s", dir, gitrepo_errmsg());
	free(dir);
	return rc < 0 ? -1 : 0;
}

/* `path` as given if absolute, else under the common dir (as git-lfs reads lfs.storage). */
static char *under_commondir(git_repository *repo, const char *path, const char *tail)
{
	const char *common = git_repository_commondir(repo);
	size_t cl = strlen(common);
	while (cl > 1 && common[cl - 1] == '/')
		cl--;
	if (path[0] == '/')
		return xasprintf("%s%s", path, tail);
	return xasprintf("%.*s/%s%s", (int)cl, common, path, tail);
}

int gitrepo_lfs_store(git_repository *repo, enum lfs_mode mode, struct lfs_store **out, char *err,
                      size_t errsz)
{
	static const struct {
		const char *key, *tail, *origin;
	} keys[] = {{"stateguard.lfsStore", "", "from git config stateguard.lfsStore"},
	            {"lfs.storage", "/objects", "from git config lfs.storage"}};
	git_config *cfg = NULL;
	git_buf v = GIT_BUF_INIT;
	char *dir = NULL;
	const char *origin = "git-lfs's default";
	int rc = -1, e;

	*out = NULL;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		snprintf(err, errsz, "cannot read the git config: %s", gitrepo_errmsg());
		return -1;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !dir; i++) {
		git_buf_dispose(&v);
		e = git_config_get_path(&v, cfg, keys[i].key);
		if (e < 0 && e != GIT_ENOTFOUND) {
			snprintf(err, errsz, "cannot read %s: %s", keys[i].key, gitrepo_errmsg());
			goto done;
		}
		if (e == 0 && v.size) {
			dir = under_commondir(repo, v.ptr, keys[i].tail);
			origin = keys[i].origin;
		}
	}
	if (!dir)
		dir = under_commondir(repo, "lfs/objects", "");
	*out = lfs_store_new(dir, mode, origin);
	rc = 0;
done:
	free(dir);
	git_buf_dispose(&v);
	git_config_free(cfg);
	return rc;
}

struct packread *gitrepo_packs(git_repository *repo)
{
	struct packread *packs = NULL;
	const char *quarantine = getenv("GIT_QUARANTINE_PATH");
	char *objdir = xasprintf("%s/objects", git_repository_commondir(repo));
	packread_open(&packs, objdir);
	free(objdir);
	if (quarantine && *quarantine)
		packread_add(packs, quarantine);
	return packs;
}

void gitrepo_obj_release(struct gitrepo_obj *o)
{
	git_odb_object_free(o->odb_obj);
	free(o->own);
	memset(o, 0, sizeof(*o));
}

int gitrepo_read_object(git_odb *odb, struct packread_cache *pc, const git_oid *id,
                        git_object_t want, uint64_t max, struct gitrepo_obj *out, char *err,
                        size_t errsz)
{
	char hex[GIT_OID_HEXSZ + 1];
	int rc = PACKREAD_NOT_HERE;

	memset(out, 0, sizeof(*out));
	if (pc) {
		rc = packread_read(pc, id, max, &out->own, &out->size, &out->type, err, errsz);
		out->data = out->own;
	}
	if (rc == PACKREAD_NOT_HERE || rc < 0) { /* libgit2 reads it, or says why it cannot */
		if (git_odb_read_header(&out->size, &out->type, odb, id) < 0) {
			snprintf(err, errsz, "object %s cannot be read (missing or corrupt): %s",
			         git_oid_tostr(hex, sizeof(hex), id), gitrepo_errmsg());
			return -1;
		}
		rc = out->size > max ? PACKREAD_TOO_BIG : PACKREAD_OK;
	}
	if (want != GIT_OBJECT_ANY && out->type != want) {
		snprintf(err, errsz, "object %s is a %s, expected a %s",
		         git_oid_tostr(hex, sizeof(hex), id), git_object_type2string(out->type),
		         git_object_type2string(want));
		gitrepo_obj_release(out);
		return -1;
	}
	if (rc == PACKREAD_TOO_BIG) {
		size_t size = out->size;
		gitrepo_obj_release(out); /* keeps nothing but the size */
		out->size = size;
		return 1;
	}
	if (out->data)
		return 0;
	if (git_odb_read(&out->odb_obj, odb, id) < 0) {
		snprintf(err, errsz, "%s %s cannot be read: %s", git_object_type2string(out->type),
		         git_oid_tostr(hex, sizeof(hex), id), gitrepo_errmsg());
		out->odb_obj = NULL;
		return -1;
	}
	out->data = git_odb_object_data(out->odb_obj);
	out->size = git_odb_object_size(out->odb_obj);
	return 0;
}

int gitrepo_read_commit_tree(git_odb *odb, struct packread_cache *pc, const git_oid *id,
                             git_oid *tree, char *err, size_t errsz)
{
	struct gitrepo_obj obj;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = -1;
	if (gitrepo_read_object(odb, pc, id, GIT_OBJECT_COMMIT, UINT64_MAX, &obj, err, errsz) != 0)
		return -1;
	const char *d = (const char *)obj.data;
	if (obj.size >= 5 + GIT_OID_HEXSZ + 1 && !memcmp(d, "tree ", 5) &&
	    d[5 + GIT_OID_HEXSZ] == '\n' && git_oid_fromstrn(tree, d + 5, GIT_OID_HEXSZ) == 0)
		rc = 0;
	else
		snprintf(err, errsz, "commit %s does not start with its tree",
		         git_oid_tostr(hex, sizeof(hex), id));
	gitrepo_obj_release(&obj);
	return rc;
}

int gitrepo_read_blob(git_odb *odb, struct packread_cache *pc, const git_oid *id, uint64_t max,
                      struct gitrepo_obj *out, char *err, size_t errsz)
{
	return gitrepo_read_object(odb, pc, id, GIT_OBJECT_BLOB, max, out, err, errsz);
}

int gitrepo_git_start(struct gitrepo_child *c, const char *const *argv, char *err, size_t errsz)
{
	int fds[2] = {-1, -1}, rc = -1;
	size_t argc = 0;
	char **args = NULL;
	posix_spawn_file_actions_t fa;
	int fa_init = 0;

	c->pid = -1;
	c->fd = -1;
	while (argv[argc])
		argc++;
	args = xcalloc(argc + 2, sizeof(*args));
	args[0] = (char *)"git";
	for (size_t i = 0; i < argc; i++)
		args[i + 1] = (char *)argv[i];
	snprintf(c->what, sizeof(c->what), "git %s", argv[0]);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, errsz, "cannot run git: %s", strerror(errno));
		goto done;
	}
	if (posix_spawn_file_actions_init(&fa) != 0) {
		snprintf(err, errsz, "cannot run git: out of resources");
		goto done;
	}
	fa_init = 1;
	if (posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO) != 0) {
		snprintf(err, errsz, "cannot run git: out of resources");
		goto done;
	}
	pid_t pid;
	int e = posix_spawnp(&pid, "git", &fa, NULL, args, environ);
	if (e != 0) {
		snprintf(err, errsz, "cannot run git: %s", strerror(e));
		goto done;
	}
	c->pid = pid;
	c->fd = fds[0];
	fds[0] = -1;
	rc = 0;
done:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
	free(args);
	return rc;
}

void gitrepo_git_abandon(struct gitrepo_child *c)
{
	int status;
	if (c->fd >= 0)
		close(c->fd);
	if (c->pid > 0) {
		kill(c->pid, SIGTERM);
		while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	c->fd = -1;
	c->pid = -1;
}

int gitrepo_git_finish(struct gitrepo_child *c, size_t max, char **out, size_t *len, char *err,
                       size_t errsz)
{
	int status = 0, rc = -1;
	size_t cap = 0, n = 0;
	char *buf = NULL;

	*out = NULL;
	*len = 0;
	for (;;) {
		xgrow((void **)&buf, &cap, n + 65537, 1);
		ssize_t r = read(c->fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errsz, "cannot read git's output: %s", strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			snprintf(err, errsz, "%s printed more than %zu bytes", c->what, max);
			goto done;
		}
	}
	buf[n] = '\0';
	close(c->fd);
	c->fd = -1;
	while (waitpid(c->pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, errsz, "cannot wait for git: %s", strerror(errno));
			c->pid = -1;
			goto done;
		}
	}
	c->pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errsz, "%s failed (exit status %d)", c->what,
		         WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		goto done;
	}
	*out = buf;
	*len = n;
	buf = NULL;
	rc = 0;
done:
	gitrepo_git_abandon(c);
	free(buf);
	return rc;
}

int gitrepo_run_git(const char *const *argv, size_t max, char **out, size_t *len, char *err,
                    size_t errsz)
{
	struct gitrepo_child c;
	*out = NULL;
	*len = 0;
	if (gitrepo_git_start(&c, argv, err, errsz) < 0)
		return -1;
	return gitrepo_git_finish(&c, max, out, len, err, errsz);
}
