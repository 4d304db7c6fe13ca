/*
 * fuzz_hcl: the HCL/line scanner (.tf, .tfvars, .terraform.lock.hcl, .env
 * style files), reached through detect_blob under a .tf path so that the
 * line-oriented detectors run on every input.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/detect.h"
#include "fuzz_common.h"

static const char *const hcl_paths[] = {"main.tf", "prod.auto.tfvars", ".terraform.lock.hcl",
                                        "env/.env"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_ctx ctx;
	struct scan_limits limits;
	struct finding_list out;

	unsigned char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = 0;
	for (size_t i = 0; i < sizeof(hcl_paths) / sizeof(hcl_paths[0]); i++) {
		fuzz_ctx_init(&ctx, &limits, &out);
		detect_blob(&ctx, hcl_paths[i], copy, size, 0);
		finding_list_free(&out);
	}
	free(copy);
	return 0;
}
