/*
 * fuzz_unpack: the archive layer (zip, tar, gzip, xz, bzip2, zstd) on raw
 * input, the way pipeline.c calls it: only when unpack_is_container agrees.
 * Members recurse through the pipeline with the default budgets, then again
 * with tiny ones, so that members stream through the window (window.c).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "unpack/unpack.h"

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
		if (unpack_is_container(copy, size))
			unpack_container(&ctx, "archive", copy, size, 0);
		finding_list_free(&out);
	}
	free(copy);
	return 0;
}
