/*
 * files: recursive walk over paths given on the command line. Symlinks found
 * inside a directory are not followed (they could leave the tree or loop);
 * ".git" directories are skipped; entries are visited in sorted order so output
 * is deterministic. Files from FILES_MAP_MIN bytes up are mapped, not copied:
 * readers give pages back as they pass (util_release_pages), so a big archive
 * is never resident whole. A file truncated by another process while mapped
 * can end the scan with SIGBUS, which still fails closed (no verdict).
 */
#include "source/files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

/* Files at least this big are mapped rather than read. */
#define FILES_MAP_MIN ((size_t)32 << 20)

/*
 * Hands a regular file of FILES_MAP_MIN..max bytes to cb as a mapping. Returns 1
 * with *rc set if it did, 0 if the caller should read the file instead.
 */
static int map_file(const char *path, int flags, uint64_t max, files_cb cb, void *arg, int *rc)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags), done = 0;
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size >= FILES_MAP_MIN &&
	    (uint64_t)st.st_size <= max && (uint64_t)st.st_size <= SIZE_MAX / 2) {
		size_t len = (size_t)st.st_size;
		const unsigned char *data = util_map_fd(fd, len);
		if (data) {
			close(fd);
			fd = -1;
			*rc = cb(path, data, len, NULL, arg);
			util_unmap(data, len);
			done = 1;
		}
	}
	if (fd >= 0)
		close(fd);
	return done;
}

static int walk_file(const char *path, uint64_t max, files_cb cb, void *arg)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;
	if (map_file(path, O_NOFOLLOW, max, cb, arg, &rc))
		return rc;
	int r = util_read_file(path, max, &data, &len);
	if (r < 0) {
		char msg[256];
		snprintf(msg, sizeof(msg), "cannot read: %s", strerror(errno));
		rc = cb(path, NULL, 0, msg, arg);
	} else if (r == 1) {
		rc = cb(path, NULL, len, NULL, arg);
	} else {
		rc = cb(path, data, len, NULL, arg);
	}
	free(data);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(const char *dir, uint64_t max, files_cb cb, void *arg)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		char msg[256];
		snprintf(msg, sizeof(msg), "cannot open directory: %s", strerror(errno));
		return cb(dir, NULL, 0, msg, arg);
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git"))
			continue;
		xgrow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);

	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t dl = strlen(dir);
		char *child = dl && dir[dl - 1] == '/' ? xasprintf("%s%s", dir, names[i])
		                                       : xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		if (lstat(child, &st) < 0) {
			char msg[256];
			snprintf(msg, sizeof(msg), "cannot stat: %s", strerror(errno));
			rc = cb(child, NULL, 0, msg, arg);
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk_dir(child, max, cb, arg);
		} else if (S_ISREG(st.st_mode)) {
			rc = walk_file(child, max, cb, arg);
		}
		/* symlinks, sockets, fifos, devices: not content of the tree */
		free(child);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int files_walk(const char *arg, uint64_t max, files_cb cb, void *cbarg)
{
	struct stat st;
	if (!strcmp(arg, "-")) {
		unsigned char *data;
		size_t len;
		int r = util_read_stream(stdin, max, &data, &len);
		if (r < 0)
			return cb("<stdin>", NULL, 0, "cannot read standard input", cbarg);
		int rc = r == 1 ? cb("<stdin>", NULL, len, NULL, cbarg)
		                : cb("<stdin>", data, len, NULL, cbarg);
		free(data);
		return rc;
	}
	if (stat(arg, &st) < 0) {
		char msg[256];
		snprintf(msg, sizeof(msg), "cannot read: %s", strerror(errno));
		return cb(arg, NULL, 0, msg, cbarg);
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(arg, max, cb, cbarg);
	if (!S_ISREG(st.st_mode))
		return cb(arg, NULL, 0, "not a regular file or directory", cbarg);
	/* a named file is read even through a symlink: the user asked for it */
	int mrc;
	if (map_file(arg, 0, max, cb, cbarg, &mrc))
		return mrc;
	unsigned char *data;
	size_t len;
	FILE *f = fopen(arg, "rb");
	if (!f) {
		char msg[256];
		snprintf(msg, sizeof(msg), "cannot read: %s", strerror(errno));
		return cb(arg, NULL, 0, msg, cbarg);
	}
	int r = util_read_stream(f, max, &data, &len);
	fclose(f);
	if (r < 0)
		return cb(arg, NULL, 0, "read error", cbarg);
	int rc = r == 1 ? cb(arg, NULL, (size_t)st.st_size, NULL, cbarg) : cb(arg, data, len, NULL, cbarg);
	free(data);
	return rc;
}

/* ---------------------------------------------------------------- siblings */

#define SIBLING_MAX_BYTES (64ull << 20)

static int files_siblings_each(const struct scan_siblings *s, const char *path,
                               const char *const *suffixes, scan_sibling_fn fn, void *arg,
                               char *err, size_t errsz)
{
	(void)s;
	if (!strcmp(path, "<stdin>"))
		return 1; /* no directory */
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash - path + (slash == path)), path)
	                  : xstrdup(".");
	int rc = -1;
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errsz, "cannot open directory %s: %s", dir, strerror(errno));
		goto done;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		int want = 0;
		for (size_t i = 0; suffixes[i] && !want; i++)
			want = util_ends_with(de->d_name, suffixes[i]);
		if (!want)
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		struct stat st;
		unsigned char *data = NULL;
		size_t len = 0;
		int r = 0;
		if (lstat(p, &st) < 0)
			r = -1;
		else if (S_ISREG(st.st_mode))
			r = util_read_file(p, SIBLING_MAX_BYTES, &data, &len);
		if (r == 0 && S_ISREG(st.st_mode))
			fn(de->d_name, data, len, arg);
		else if (r != 0)
			snprintf(err, errsz, "%s: %s", p, r < 0 ? strerror(errno) : "too large to read");
		free(data);
		free(p);
		if (r != 0) {
			closedir(d);
			goto done;
		}
	}
	closedir(d);
	rc = 0;
done:
	free(dir);
	return rc;
}

const struct scan_siblings files_siblings = {files_siblings_each};
