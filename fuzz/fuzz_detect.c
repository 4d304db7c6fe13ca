/*
 * fuzz_detect: the artifact classifier (JSON state, plans, backend caches,
 * credentials) on one already-unpacked blob. The first input byte picks the
 * display path (fuzz_common.h), since file names raise confidence.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/detect.h"
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
	detect_blob(&ctx, path, copy, len, 0, 0);
	finding_list_free(&out);
	free(copy);
	return 0;
}
