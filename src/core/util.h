/*
 * util: allocation that exits cleanly on exhaustion, small string helpers,
 * bounded file reading and atomic file replacement. No policy, no detection:
 * plumbing shared by every module.
 */
#ifndef SG_UTIL_H
#define SG_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit status for usage, configuration and internal errors. */
#define SG_EXIT_OK 0
#define SG_EXIT_BLOCK 1
#define SG_EXIT_ERROR 2

/*
 * Allocation wrappers. On exhaustion they print "out of memory" and exit with
 * SG_EXIT_ERROR (never a signal): a hook that cannot allocate rejects.
 */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Says "out of memory; nothing was accepted" on stderr and exits 2 (fail closed). */
void util_oom(void) __attribute__((noreturn));

/* Grows *v (of element size `size`) so that it holds at least `need` elements. */
void xgrow(void **v, size_t *cap, size_t need, size_t size);

/* Prints "stateguard: <msg>" on stderr. */
void sg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "stateguard: <msg>" on stderr unless quiet: progress and confirmations. */
void sg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * With STATEGUARD_TRACE set (non-empty), prints "stateguard: trace: <seconds since
 * start> <msg>" on stderr: phase timings for profiling. Silent otherwise.
 */
void sg_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 1 when quiet mode is on (set by main from -q/--quiet). */
extern int sg_quiet;

/*
 * Reads a whole file into a NUL-terminated buffer (the NUL is not counted in
 * *len). Files larger than `max` bytes are not read: returns 1 and sets *len to
 * the file size. Returns 0 on success, -1 with errno set on error.
 */
int util_read_file(const char *path, size_t max, unsigned char **data, size_t *len);

/*
 * Writes `len` bytes of `data` to the temporary file `tmp`, then renames it over
 * `path`, so readers see the old file or the new one, never a part. `mode` is
 * the new file's mode; 0 keeps the mode of the file being replaced (the default
 * creation mode when there is none). Returns 0; -1 with errno set when `tmp`
 * cannot be created; -2 with errno set when writing or renaming fails (`tmp`
 * is removed).
 */
int util_write_file_atomic(const char *path, const char *data, size_t len, const char *tmp,
                           mode_t mode);

/*
 * Maps the first `len` (> 0) bytes of the regular file open as fd, read-only and
 * followed by a NUL byte like util_read_file's buffers. Its pages can be given
 * back with util_release_pages as a reader moves on, so scanning a big file
 * does not keep it resident. Returns the mapping, or NULL with errno set.
 */
const unsigned char *util_map_fd(int fd, size_t len);
void util_unmap(const unsigned char *p, size_t len);

/*
 * Says that [p, p+n) will not be read again soon: where it lies in a mapping of
 * util_map_fd, its whole pages leave the resident set (re-read from the page
 * cache if touched again). Any other memory is left alone, so callers need not
 * know where their bytes came from.
 */
void util_release_pages(const void *p, size_t n);

/* Reads a stream up to `max` bytes; returns 1 if the stream was longer (data holds max bytes). */
int util_read_stream(FILE *f, size_t max, unsigned char **data, size_t *len);

/* memmem with a NULL-safe signature; returns a pointer into hay or NULL. */
const unsigned char *util_memmem(const unsigned char *hay, size_t hay_len, const char *needle,
                                 size_t needle_len);

/* ASCII case-insensitive memmem. */
const unsigned char *util_memcasemem(const unsigned char *hay, size_t hay_len, const char *needle,
                                     size_t needle_len);

/* 1 if s ends with suffix. */
int util_ends_with(const char *s, const char *suffix);

/* Last path component of a path that may contain '/' and '!' separators. */
const char *util_basename(const char *path);

/*
 * Touches 512 KiB of stack now, so that the stack never has to grow later: under
 * an address-space limit (ulimit -v) a stack that cannot grow is a SIGSEGV, even
 * in the out-of-memory path, instead of a clean exit 2. Called first in main.
 */
void util_prefault_stack(void);

/* Formats bytes as "12.3 MiB" into buf. */
const char *util_human_bytes(uint64_t n, char *buf, size_t bufsz);

/* Shannon entropy of s[0..n) in bits per byte (0 for n == 0). */
double util_entropy(const unsigned char *s, size_t n);

#endif
