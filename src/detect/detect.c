/*
 * detect: entry point of the detectors. Minimal first cut (state v4 only) that
 * the detector families replace; it shows the contract: parse once, within a
 * budget, and append findings to ctx->out.
 */
#include "detect/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/util.h"

int detect_blob(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                unsigned depth)
{
	(void)depth;
	if (!util_memmem(data, len, "lineage", 7))
		return 0;
	cJSON *root = cJSON_ParseWithLength((const char *)data, len);
	if (!root)
		return 0;
	cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
	cJSON *lineage = cJSON_GetObjectItemCaseSensitive(root, "lineage");
	cJSON *resources = cJSON_GetObjectItemCaseSensitive(root, "resources");
	if (cJSON_IsNumber(version) && version->valuedouble == 4 && cJSON_IsString(lineage) &&
	    cJSON_IsArray(resources))
		finding_list_add(ctx->out, "tf-state", SG_SEV_BLOCK, path, "Terraform state", NULL);
	cJSON_Delete(root);
	return 0;
}
