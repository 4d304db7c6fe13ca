/*
 * fuzz_pipeline: the whole single-blob pipeline (unpack, recurse, detect) with
 * the default limits, as a hook runs it on every pushed blob. The first input
 * byte picks the display path (fuzz_common.h). Checks only memory safety,
 * termination and leaks; what is found is the unit and e2e tests' business.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_ctx ctx;
	struct scan_limits limits;
	struct finding_list out;
	const uint8_t *content;
	size_t len;
	const char *path = fuzz_split(data, size, &content, &len);

	unsigned char *copy = fuzz_copy(content, len);
	if (!copy)
		return 0;
	fuzz_ctx_init(&ctx, &limits, &out);
	pipeline_scan_blob(&ctx, path, copy, len);
	finding_list_free(&out);
	free(copy);
	return 0;
}
