/*
 * fuzz_encodings: the encoding layers (UTF-16/32, base64, escaped text) on raw
 * input. The first byte picks the layer (0 utf16, 1 base64, 2 escaped, else the
 * whole pipeline under a text path); what each decodes recurses through the
 * pipeline with the default budgets.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "pipeline/pipeline.h"
#include "unpack/unpack_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_ctx ctx;
	struct scan_limits limits;
	struct finding_list out;
	if (size < 1)
		return 0;
	unsigned char *copy = fuzz_copy(data + 1, size - 1);
	size_t len = size - 1;
	if (!copy)
		return 0;
	fuzz_ctx_init(&ctx, &limits, &out);
	pipeline_attach(&ctx); /* what a layer decodes goes through the whole pipeline */
	switch (data[0] % 4) {
	case 0: unpack_utf16(&ctx, "text.txt", copy, len, 0); break;
	case 1: unpack_base64(&ctx, "secret.yaml", copy, len, 0); break;
	case 2: unpack_escaped(&ctx, "job.json", copy, len, 0); break;
	default: pipeline_scan_blob(&ctx, "dump.sql", copy, len); break;
	}
	finding_list_free(&out);
	free(copy);
	return 0;
}
