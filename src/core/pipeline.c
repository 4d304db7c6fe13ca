/*
 * pipeline: the single path every blob takes: unpack containers (recursing),
 * then run the detectors. Budgets are enforced by unpack/; this file only
 * resets them per top-level blob and joins the two stages.
 */
#include "core/pipeline.h"

#include "detect/detect.h"
#include "unpack/unpack.h"

void scan_limits_default(struct scan_limits *l)
{
	l->archive_depth = 5;
	l->archive_bytes = 512ull << 20;
	l->member_bytes = 256ull << 20;
	l->archive_members = 100000;
	l->archive_ratio = 1000;
	l->parse_bytes = 64ull << 20;
	l->file_bytes = 1ull << 30;
}

int pipeline_scan_blob(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                       size_t len)
{
	ctx->inflated = 0;
	ctx->blob_first = ctx->out->n;
	return pipeline_scan_member(ctx, path, data, len, 0);
}

int pipeline_scan_member(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                         size_t len, unsigned depth)
{
	int rc = 0;
	if (unpack_is_container(data, len)) {
		rc = unpack_container(ctx, path, data, len, depth);
		if (rc < 0)
			return rc;
	}
	return detect_blob(ctx, path, data, len, depth);
}
