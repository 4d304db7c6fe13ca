/*
 * scan: the default budgets and the calls layers use to hand content back to the
 * pipeline (scan_emit) and to ask the detectors (scan_stream_*, scan_may_match,
 * scan_json_key_at). It knows no stage: the pipeline sets ctx->emit and ctx->detectors.
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
	return ctx->detectors ? ctx->detectors->stream_open() : NULL;
}

void scan_stream_feed(const struct scan_ctx *ctx, struct scan_stream *s, const unsigned char *data,
                      size_t len)
{
	if (s)
		ctx->detectors->stream_feed(s, data, len);
}

void scan_stream_finish(struct scan_ctx *ctx, struct scan_stream *s, const char *path,
                        uint64_t size, const char *limit_key, uint64_t limit)
{
	if (!s) {
		finding_list_add_error(ctx->out, path, "content above the %s limit reached no streaming "
		                       "check: not examined", limit_key);
		return;
	}
	ctx->detectors->stream_finish(s, ctx, path, size, limit_key, limit);
}

void scan_stream_discard(const struct scan_ctx *ctx, struct scan_stream *s)
{
	if (s)
		ctx->detectors->stream_discard(s);
}

unsigned scan_may_match(const struct scan_ctx *ctx, const unsigned char *data, size_t len)
{
	return ctx->detectors ? ctx->detectors->may_match(data, len) : 1;
}

size_t scan_json_key_at(const struct scan_ctx *ctx, const unsigned char *p, size_t n)
{
	return ctx->detectors ? ctx->detectors->json_key_at(p, n) : 0;
}
