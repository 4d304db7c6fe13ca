/*
 * fuzz_config: the policy parser (.stateguard.json): policy_parse on the raw
 * input, then the parsed policy's limits and its application to a finding
 * list, so that every parsed field is also used once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy *p = NULL;
	struct scan_limits limits;
	struct finding_list out;
	char err[512];

	/* policy_load_file hands over a NUL-terminated buffer; do the same. */
	char *text = (char *)fuzz_copy(data, size);
	if (!text)
		return 0;
	int rc = policy_parse(&p, "fuzz.json", text, size, err, sizeof(err));
	free(text);
	if (rc < 0)
		return 0;
	scan_limits_default(&limits);
	policy_limits(p, &limits);
	finding_list_init(&out);
	finding_list_add(&out, "tf-state", SG_SEV_BLOCK, "envs/prod/terraform.tfstate",
	                 "Terraform state", NULL);
	finding_list_add(&out, "aws-access-key", SG_SEV_BLOCK, "main.tf", "AWS access key", NULL);
	finding_list_add_error(&out, "a.zip", "archive is corrupt");
	policy_apply(p, &out, 0);
	finding_list_free(&out);
	policy_free(p);
	return 0;
}
