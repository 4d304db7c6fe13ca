/*
 * tf_plan_legacy: the binary plan file of Terraform < 0.12 (ASCII prefix
 * "tfplan"). Zip plans are the archives module's business; this file only
 * recognises the legacy magic, whose body holds the state and the variables.
 */
#include "detect/detect_int.h"

#include <string.h>

int tf_plan_legacy_detect(struct blob *b)
{
	if (!(b->pf & PF_BINARY) || b->len < 6 || memcmp(b->data, "tfplan", 6))
		return 0;
	cJSON *d = cJSON_CreateObject();
	if (!d)
		return -1;
	cJSON_AddStringToObject(d, "format", "legacy binary plan (Terraform < 0.12)");
	finding_list_add(b->ctx->out, "tf-plan", SG_SEV_BLOCK, b->path,
	                 "Terraform saved plan in the legacy binary format: it embeds the full "
	                 "prior state and every input variable, secrets included, in plain text.",
	                 d);
	b->state_found = 1;
	return 0;
}
