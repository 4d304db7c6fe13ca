/*
 * files: the plain-file content source for `stateguard scan`. Walks files and
 * directories (never following symlinks below a named argument, skipping .git/)
 * and hands each file's bytes to a callback. Reading errors are reported to the
 * callback, never skipped.
 */
#ifndef SG_FILES_H
#define SG_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "core/scan.h"

/*
 * Called once per file. data is NUL-terminated (not counted in len). On a read
 * error data is NULL and err says why; on an oversize file data is NULL, err is
 * NULL and len is the file's size (fd-free: the callback may reopen `path`).
 * Return non-zero to stop the walk.
 */
typedef int (*files_cb)(const char *path, const unsigned char *data, size_t len, const char *err,
                        void *arg);

/*
 * Walks `arg` ("-" = standard input, shown as "<stdin>"), calling cb for every
 * regular file. Files above max_bytes are passed with data == NULL.
 * Returns 0, or the callback's non-zero value.
 */
int files_walk(const char *arg, uint64_t max_bytes, files_cb cb, void *cbarg);

/* The files beside a path on disk (its directory as it is now), for scan_ctx.siblings;
 * "<stdin>" has none. */
extern const struct scan_siblings files_siblings;

#endif
