/*
 * scan: the default budgets and the calls layers use to hand content back to the
 * pipeline: inner content (scan_emit) and content too big to hold (scan_stream_*).
 * It knows no stage: the pipeline sets ctx->emit and ctx->stream.
 */
#include "core/scan.h"

void scan_limits_default(struct scan_limits *l)
{
	l->archive_depth = 5;
	l->archive_bytes = 512ull << 20;
	l->member_bytes = 256ull << 20;
	l->inflated_bytes = 8ull << 30;
	l->archive_members = 100000;
	l->archive_ratio = 1000;
	l->parse_bytes = 64ull << 20;
	l->file_bytes = 1ull << 30;
}

int scan_emit(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
              unsigned depth)
{
	if (!ctx->emit) {
		finding_list_add_error(ctx->out, path, "inner content reached no pipeline: not examined");
		return -1;
	}
	return ctx->emit(ctx, path, data, len, depth);
}

struct scan_stream *scan_stream_open(const struct scan_ctx *ctx)
{
	return ctx->stream ? ctx->stream->open() : NULL;
}

void scan_stream_feed(const struct scan_ctx *ctx, struct scan_stream *s, const unsigned char *data,
                      size_t len)
{
	if (s)
		ctx->stream->feed(s, data, len);
}

void scan_stream_finish(struct scan_ctx *ctx, struct scan_stream *s, const char *path,
                        uint64_t size, const char *limit_key, uint64_t limit)
{
	if (!s) {
		finding_list_add_error(ctx->out, path, "content above the %s limit reached no streaming "
		                       "check: not examined", limit_key);
		return;
	}
	ctx->stream->finish(s, ctx, path, size, limit_key, limit);
}

void scan_stream_discard(const struct scan_ctx *ctx, struct scan_stream *s)
{
	if (s)
		ctx->stream->discard(s);
}
