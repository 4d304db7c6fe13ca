/*
 * scan: the default budgets and the one call layers use to hand inner content
 * back to the pipeline. It knows no stage: the pipeline sets ctx->emit.
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
