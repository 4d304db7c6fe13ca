/*
 * pipeline: scans one blob of content, whatever its source. It routes containers
 * to unpack/ (which calls back here for each member) and everything to detect/.
 * It owns the per-blob budget; it does not know where bytes came from (source/)
 * or how findings are filtered (policy/) or printed (report/).
 */
#ifndef SG_PIPELINE_H
#define SG_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"

struct policy;

/* Budgets, sized for a hook by default (scan_limits_default). */
struct scan_limits {
	unsigned archive_depth;   /* containers nested deeper than this are not opened */
	uint64_t archive_bytes;   /* bytes inflated per top-level blob, all levels together */
	uint64_t member_bytes;    /* bytes inflated for one member */
	uint64_t archive_members; /* members per container */
	uint64_t archive_ratio;   /* inflated:compressed ratio treated as a bomb (with >1 MiB out) */
	uint64_t parse_bytes;     /* JSON above this is not fully parsed (prefilter + name only) */
	uint64_t file_bytes;      /* blobs/files above this are not read whole */
};

void scan_limits_default(struct scan_limits *l);

/*
 * The files beside a top-level blob, as its source sees them (the same directory of the
 * same commit, index or file system), for a detector that needs a neighbour's
 * declarations (tf_vars.c: which variables the .tf files declare sensitive).
 * each() calls fn(name, data, len, arg) for every regular file of the directory of `path`
 * whose name ends in one of the NULL-terminated `suffixes`, and returns 0; 1 if the source
 * has no directory for `path` (standard input, objects no commit reaches); -1 with err set
 * when the directory or one of those files could not be read.
 */
typedef void (*scan_sibling_fn)(const char *name, const unsigned char *data, size_t len,
                                void *arg);
struct scan_siblings {
	/* s: this struct, which a source may embed first in its own state */
	int (*each)(const struct scan_siblings *s, const char *path, const char *const *suffixes,
	            scan_sibling_fn fn, void *arg, char *err, size_t errsz);
};

struct scan_ctx {
	const struct scan_limits *limits;
	const struct policy *policy; /* NULL: built-in rules only */
	struct finding_list *out;    /* findings are appended here */
	uint64_t inflated;           /* bytes inflated so far under the current top-level blob */
	size_t blob_first;           /* index in out of the current top-level blob's first finding */
	const struct scan_siblings *siblings; /* NULL: the source has no directory context */
};

/*
 * Scans one top-level blob: resets the per-blob budget, then pipeline_scan_member.
 * Returns 0, or -1 on an internal error (already reported as a scan-error finding).
 */
int pipeline_scan_blob(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                       size_t len);

/*
 * Sets the blob id `hex` on every finding added since ctx->blob_first that has
 * none, so that allow entries can pin reviewed content.
 */
void pipeline_stamp_blob(struct scan_ctx *ctx, const char *hex);

/*
 * Scans content at nesting `depth` (0 = top level): containers are unpacked
 * (members come back here at depth+1) and every blob goes through detect/.
 */
int pipeline_scan_member(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                         size_t len, unsigned depth);

#endif
