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
	uint64_t archive_bytes;   /* bytes inflated per top-level blob and read whole, all levels
	                           * together; past it, members stream through the prefilter */
	uint64_t member_bytes;    /* largest member read whole; bigger ones stream (prefilter) */
	uint64_t inflated_bytes;  /* hard ceiling on bytes inflated per top-level blob (bombs) */
	uint64_t archive_members; /* members per container */
	uint64_t archive_ratio;   /* inflated:compressed ratio treated as a bomb (with >1 MiB out) */
	uint64_t parse_bytes;     /* JSON above this is not fully parsed (prefilter + name only) */
	uint64_t file_bytes;      /* blobs/files above this are not read whole */
};

void scan_limits_default(struct scan_limits *l);

struct scan_ctx {
	const struct scan_limits *limits;
	const struct policy *policy; /* NULL: built-in rules only */
	struct finding_list *out;    /* findings are appended here */
	uint64_t inflated;           /* bytes inflated so far under the current top-level blob */
	uint64_t held;               /* of those, bytes of members read whole (archive_bytes) */
	size_t blob_first;           /* index in out of the current top-level blob's first finding */
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
