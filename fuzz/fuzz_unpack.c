/*
 * fuzz_unpack: the layers (zip, tar, gzip, xz, bzip2, zstd, and 7z, RAR, cpio, ISO
 * 9660, ar, lz4, lzip, .Z through libarchive) on raw input,
 * the way the pipeline calls them: a layer opens only what its sniffer claims,
 * and inner content comes back through ctx->emit, which here opens nested
 * layers again (no detectors: their fuzzing is fuzz_detect's). Once with the default
 * budgets, then with tiny ones, so that members stream through the window (window.c).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "unpack/unpack.h"

static int fuzz_emit(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                     unsigned depth)
{
	const struct unpack_layer *l = unpack_layer_sniff(data, len);
	if (l)
		return unpack_layer_open(l, ctx, path, data, len, depth);
	return unpack_embedded(ctx, path, data, len, depth);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_ctx ctx;
	struct scan_limits limits;
	struct finding_list out;

	unsigned char *copy = fuzz_copy(data, size);
	if (!copy)
		return 0;
	for (int tiny = 0; tiny < 2; tiny++) {
		fuzz_ctx_init(&ctx, &limits, &out);
		if (tiny) {
			limits.member_bytes = 64;
			limits.archive_bytes = 4096;
		}
		pipeline_attach(&ctx); /* the streaming checks; members come back to fuzz_emit */
		ctx.emit = fuzz_emit;
		fuzz_emit(&ctx, "archive", copy, size, 0);
		finding_list_free(&out);
	}
	free(copy);
	return 0;
}
