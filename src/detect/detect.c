/*
 * detect: the entry point of the detectors. It strips a BOM, runs the sound
 * prefilter, parses JSON once within its budget, hands the blob to every family
 * and applies the name fallback (a state-named file is never passed silently).
 * It does not know any format itself: each family lives in its own file.
 */
#include "detect/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "detect/detect_int.h"
#include "detect/identifiers.h"

int name_is_state(const char *base, const char *path)
{
	return util_ends_with(base, ".tfstate") || util_ends_with(base, ".tfstate.backup") ||
	       !strcmp(base, "tfstate") || !strcmp(base, "tfstate-prev") ||
	       strstr(path, "terraform.tfstate.d/") != NULL;
}

int name_is_backend_snapshot(const char *path)
{
	return util_ends_with(path, ".terraform/terraform.tfstate") ||
	       !strcmp(path, ".terraform/terraform.tfstate");
}

/* The file's own path when `path` names its transcoded text ("x.tfstate!utf-16le"), else NULL. */
static char *name_of_text(const char *path)
{
	const char *bang = strrchr(path, '!');
	if (!bang || strncmp(bang, "!utf-", 5))
		return NULL;
	return xstrndup(path, (size_t)(bang - path));
}

static int only_space(const unsigned char *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n')
			return 0;
	return 1;
}

/* A JSON blob that may be an artifact but could not be parsed within the limits. */
static void report_limit(struct blob *b, const char *why)
{
	char hb[32], lb[32];
	cJSON *d = cJSON_CreateObject();
	if (d) {
		cJSON_AddNumberToObject(d, "size", (double)b->len);
		cJSON_AddNumberToObject(d, "parse_bytes", (double)b->ctx->limits->parse_bytes);
	}
	char *msg = xasprintf(
	    "%s (%s; parse limit %s) and may be Terraform/OpenTofu/Pulumi state, so it is blocked "
	    "unexamined. Check the file; to examine it, raise limits.parse_bytes in the "
	    "stateguard configuration.",
	    why, util_human_bytes(b->len, hb, sizeof(hb)),
	    util_human_bytes(b->ctx->limits->parse_bytes, lb, sizeof(lb)));
	finding_list_add(b->ctx->out, "scan-limit", SG_SEV_BLOCK, b->path, msg, d);
	free(msg);
}

/* A state-named file whose content no family recognised. */
static void name_fallback(struct blob *b)
{
	const char *msg;
	enum sg_severity sev = SG_SEV_BLOCK;
	if (only_space(b->data, b->len)) {
		msg = "Empty file named like Terraform state: nothing to destroy, but state files do "
		      "not belong in the repository.";
		sev = SG_SEV_WARN;
	} else if (b->len < 64 && !memchr(b->data, '{', b->len)) {
		/* A state file is a JSON object; under 64 bytes without a '{' no state fits (the
		 * smallest v4 state is ~150 bytes): a stub like "invalid", not truncated state. */
		msg = "Named like Terraform state but only a few bytes that are not JSON: it holds no "
		      "state, but state files do not belong in the repository.";
		sev = SG_SEV_WARN;
	} else if (b->json == JSON_OK) {
		msg = "Named like Terraform state but not recognisable as state: check it and keep "
		      "state files out of the repository.";
		sev = SG_SEV_WARN;
	} else {
		msg = "Named like Terraform state but not valid state JSON (truncated or corrupt "
		      "state still maps live infrastructure): treated as state.";
	}
	cJSON *d = cJSON_CreateObject();
	if (d)
		cJSON_AddStringToObject(d, "matched_by", "file name");
	finding_list_add(b->ctx->out, "tf-state", sev, b->path, msg, d);
}

int detect_blob(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                unsigned depth, int wrapped)
{
	struct blob b;
	int rc = 0;
	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	b.path = path;
	/* transcoded text (unpack/utf16.c) is still the file: its name rules apply */
	char *name = name_of_text(path);
	const char *npath = name ? name : path;
	b.base = util_basename(npath);
	b.data = data;
	b.len = len;
	b.depth = depth;
	/* Zeroed blocks before the content (a torn write, a preallocated file) hide
	 * nothing from a reader that skips them: skip them like the BOM. */
	while (b.len && b.data[0] == 0) {
		b.data++;
		b.len--;
	}
	if (b.len >= 3 && !memcmp(b.data, "\xef\xbb\xbf", 3)) {
		b.data += 3;
		b.len -= 3;
	}
	b.pf = prefilter_run(b.data, b.len);
	/* HashiCorp says to commit the lock file: its hashes never go through the heuristics */
	if (!strcmp(b.base, ".terraform.lock.hcl"))
		b.pf &= ~(unsigned)(PF_HCL | PF_PARTIAL | PF_TOKENS);

	int state_name = name_is_state(b.base, npath);
	size_t i = 0;
	while (i < b.len && (b.data[i] == ' ' || b.data[i] == '\t' || b.data[i] == '\r' ||
	                     b.data[i] == '\n'))
		i++;
	int object = i < b.len && b.data[i] == '{';
	size_t before = ctx->out->n;

	if ((b.pf & PF_JSON) || (state_name && object)) {
		b.json = json_doc_parse(b.data, b.len, ctx->limits->parse_bytes, &b.root);
		if (b.json == JSON_TOO_LARGE)
			report_limit(&b, "JSON document too large to examine");
		else if (b.json == JSON_OVER_BUDGET)
			report_limit(&b, "JSON document too complex to examine (memory budget or "
			             "nesting limit)");
	}

	if (tf_encrypted_detect(&b) < 0 || tf_state_detect(&b) < 0 || tf_backend_detect(&b) < 0 ||
	    tf_show_json_detect(&b) < 0 || pulumi_detect(&b) < 0 ||
	    tf_cli_credentials_detect(&b) < 0 || tf_plan_legacy_detect(&b) < 0 ||
	    tf_output_json_detect(&b) < 0 || tf_log_detect(&b) < 0 || tf_vars_detect(&b) < 0)
		rc = -1;

	if (state_name && ctx->out->n == before)
		name_fallback(&b);

	if (tokens_detect(&b) < 0)
		rc = -1;
	unsigned shapes = 0;
	if (!b.state_found)
		shapes = ((b.pf & PF_IDS_ARN) ? IDENT_SHAPES_ARN : 0) |
		         ((b.pf & PF_IDS_HOST) ? IDENT_SHAPES_HOST : 0) |
		         ((b.pf & PF_IDS_EC2) ? IDENT_SHAPES_EC2 : 0) |
		         ((b.pf & PF_AZURE) ? IDENT_SHAPES_AZURE : 0);
	if (!wrapped && identifiers_detect(ctx, path, b.data, b.len, shapes) < 0)
		rc = -1;
	if (rc < 0)
		finding_list_add_error(ctx->out, path, "internal error while examining this content");
	cJSON_Delete(b.root);
	free(name);
	return rc;
}
