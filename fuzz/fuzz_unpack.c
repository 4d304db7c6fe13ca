/*
 * fuzz_unpack: the archive layer (zip, tar, gzip, xz, bzip2, zstd, and 7z, RAR,
 * cpio, ISO 9660, ar, lz4, lzip, .Z through libarchive) on raw
 * input, the way pipeline.c calls it: only when unpack_is_container agrees.
 * Members recurse through the pipeline with the default budgets.
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
	fuzz_ctx_init(&ctx, &limits, &out);
	if (unpack_is_container(copy, size))
		unpack_container(&ctx, "archive", copy, size, 0);
	finding_list_free(&out);
	free(copy);
	return 0;
}
