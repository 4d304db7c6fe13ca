/*
 * fuzz_common: what every fuzz target shares: the input layout (one selector
 * byte choosing the display path, then the content) and a scan context with
 * the default limits. Also used by the regression replay unit test, so a saved
 * crash input means the same thing to both. No fuzzing logic lives here.
 */
#ifndef SG_FUZZ_COMMON_H
#define SG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "core/finding.h"
#include "pipeline/pipeline.h"

/* Display paths a fuzz input can be scanned under; the name drives some detectors. */
static const char *const fuzz_paths[] = {
	"blob",
	"terraform.tfstate",
	"terraform.tfstate.backup",
	".terraform/terraform.tfstate",
	"plan.json",
	"tfplan",
	"main.tf",
	"prod.auto.tfvars",
	"terraform.tfvars.json",
	".terraform.lock.hcl",
	"Pulumi.prod.yaml",
	".pulumi/stacks/dev.json",
	"credentials",
	"state.zip",
	"backup.tar.gz",
	"env/.env",
};
#define FUZZ_NPATHS (sizeof(fuzz_paths) / sizeof(fuzz_paths[0]))

/*
 * Splits an input into (path, content): the first byte selects the path.
 * An empty input gives the first path and no content.
 */
static inline const char *fuzz_split(const uint8_t *data, size_t size, const uint8_t **content,
                                     size_t *len)
{
	if (size == 0) {
		*content = data;
		*len = 0;
		return fuzz_paths[0];
	}
	*content = data + 1;
	*len = size - 1;
	return fuzz_paths[data[0] % FUZZ_NPATHS];
}

/* Fills a scan context with default limits, no policy and an empty list. */
static inline void fuzz_ctx_init(struct scan_ctx *ctx, struct scan_limits *limits,
                                 struct finding_list *out)
{
	scan_limits_default(limits);
	finding_list_init(out);
	memset(ctx, 0, sizeof(*ctx));
	ctx->limits = limits;
	ctx->out = out;
}

/*
 * A NUL-terminated copy of the input, as every real source hands over (files.h,
 * git blobs); NULL when allocation fails (the run is then skipped).
 */
static inline unsigned char *fuzz_copy(const uint8_t *data, size_t size)
{
	unsigned char *copy = malloc(size + 1);
	if (!copy)
		return NULL;
	memcpy(copy, data, size);
	copy[size] = 0;
	return copy;
}

#endif
