/*
 * pipeline: the single path every content takes. It sniffs the bytes once: a
 * layer that wraps them is opened (its inner contents come back here one level
 * deeper, through scan_emit), then the detectors run, and content no layer
 * claimed is offered to the layers that live inside text. Budgets are enforced
 * by the layers; this file resets them per top-level blob and joins the stages.
 */
#include "pipeline/pipeline.h"

#include "core/util.h"
#include "detect/detect.h"
#include "unpack/unpack.h"

static int pipeline_scan_content(struct scan_ctx *ctx, const char *path,
                                 const unsigned char *data, size_t len, unsigned depth)
{
	const struct unpack_layer *layer = unpack_layer_sniff(data, len);
	int container = layer && unpack_layer_is_container(layer), rc = 0;
	if (layer) {
		int r = unpack_layer_open(layer, ctx, path, data, len, depth);
		if (r > 0)
			return 0; /* the bytes were only an encoding of what the layer emitted */
		if (r < 0)
			rc = -1;
	}
	if (detect_blob(ctx, path, data, len, depth, container) < 0)
		rc = -1;
	if (!container && unpack_embedded(ctx, path, data, len, depth) < 0)
		rc = -1;
	return rc;
}

/* The detectors as the layers see them (struct scan_stream is detect/'s stream, opaque). */
static struct scan_stream *stream_open(void)
{
	return (struct scan_stream *)detect_stream_new();
}

static void stream_feed(struct scan_stream *s, const unsigned char *data, size_t len)
{
	detect_stream_feed((struct detect_stream *)s, data, len);
}

static void stream_finish(struct scan_stream *s, struct scan_ctx *ctx, const char *path,
                          uint64_t size, const char *limit_key, uint64_t limit)
{
	detect_stream_finish_limit((struct detect_stream *)s, ctx, path, size, limit_key, limit);
}

static void stream_discard(struct scan_stream *s)
{
	detect_stream_free((struct detect_stream *)s);
}

static const struct scan_detectors pipeline_detectors = {
	stream_open, stream_feed, stream_finish, stream_discard, detect_may_match, detect_json_key_at};

void pipeline_attach(struct scan_ctx *ctx)
{
	ctx->emit = pipeline_scan_content;
	ctx->detectors = &pipeline_detectors;
}

int pipeline_scan_blob(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                       size_t len)
{
	ctx->inflated = 0;
	ctx->held = 0;
	ctx->blob_first = ctx->out->n;
	pipeline_attach(ctx);
	return pipeline_scan_content(ctx, path, data, len, 0);
}

void pipeline_stamp_blob(struct scan_ctx *ctx, const char *hex)
{
	for (size_t i = ctx->blob_first; i < ctx->out->n; i++)
		if (!ctx->out->v[i].blob)
			ctx->out->v[i].blob = xstrdup(hex);
}
