/*
 * pipeline: the single path every blob takes: transcode UTF-16/32 text, unpack
 * containers (recursing), run the detectors, then decode base64 and escaped text
 * inside it (recursing). Budgets are enforced by unpack/; this file only
 * resets them per top-level blob and joins the two stages; callers stamp the
 * blob id on what was found (pipeline_stamp_blob).
 */
#include "core/pipeline.h"

#include "core/util.h"
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

void pipeline_stamp_blob(struct scan_ctx *ctx, const char *hex)
{
	for (size_t i = ctx->blob_first; i < ctx->out->n; i++)
		if (!ctx->out->v[i].blob)
			ctx->out->v[i].blob = xstrdup(hex);
}

int pipeline_scan_member(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                         size_t len, unsigned depth)
{
	size_t bom;
	/* UTF-16/32 text is scanned as the UTF-8 it transcodes to, and only so */
	if (unpack_text_sniff(data, len, &bom) != UNPACK_TEXT_UTF8)
		return unpack_utf16(ctx, path, data, len, depth);
	int container = unpack_is_container(data, len);
	if (container && unpack_container(ctx, path, data, len, depth) < 0)
		return -1;
	if (detect_blob(ctx, path, data, len, depth) < 0)
		return -1;
	/* encodings inside text: what they decode comes back here */
	if (!container && (unpack_base64(ctx, path, data, len, depth) < 0 ||
	                   unpack_escaped(ctx, path, data, len, depth) < 0))
		return -1;
	return 0;
}
