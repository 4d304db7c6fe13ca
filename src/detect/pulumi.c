/*
 * pulumi: Pulumi state: a checkpoint ({version, checkpoint.latest}), an unversioned (v0)
 * checkpoint ({target, latest}) or a stack export ({version, deployment}), recognised by
 * the manifest or by resources
 * whose urn starts "urn:pulumi:". Pulumi.<stack>.yaml (ciphertext) is not state.
 */
#include "detect/detect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

int pulumi_detect(struct blob *b)
{
	if (b->json != JSON_OK)
		return 0;
	const cJSON *dep = NULL, *ckpt = NULL;
	const char *kind = NULL;
	if (json_is_int(json_get(b->root, "version"), 0, 1000)) {
		ckpt = json_get(b->root, "checkpoint");
		dep = json_get(ckpt, "latest");
		kind = "checkpoint";
		if (!cJSON_IsObject(dep)) {
			dep = json_get(b->root, "deployment");
			kind = "stack export";
		}
	}
	if (!cJSON_IsObject(dep)) {
		/* unversioned (v0) checkpoint: {"target"/"stack": ..., "latest": {...}}, bare or
		 * wrapped in "checkpoint" without a version */
		ckpt = cJSON_IsObject(json_get(json_get(b->root, "checkpoint"), "latest"))
		           ? json_get(b->root, "checkpoint")
		           : b->root;
		dep = json_get(ckpt, "latest");
		kind = "unversioned checkpoint";
	}
	if (!cJSON_IsObject(dep))
		return 0;
	const cJSON *manifest = json_get(dep, "manifest"), *res = json_get(dep, "resources");
	int urn = 0;
	const cJSON *r;
	cJSON_ArrayForEach(r, res) {
		const cJSON *u = json_get(r, "urn");
		if (cJSON_IsString(u) && !strncmp(u->valuestring, "urn:pulumi:", 11)) {
			urn = 1;
			break;
		}
	}
	if (!urn && !cJSON_IsObject(json_get(manifest, "magic")) &&
	    !cJSON_IsString(json_get(manifest, "magic")))
		return 0;

	struct state_summary s;
	cJSON *d;
	if (state_summary_init(&s, &d) < 0)
		return -1;
	cJSON_AddStringToObject(d, "kind", kind);
	const cJSON *stack = json_get(ckpt, "stack");
	if (!cJSON_IsString(stack))
		stack = json_get(ckpt, "target");
	if (cJSON_IsString(stack))
		cJSON_AddStringToObject(d, "stack", stack->valuestring);
	cJSON_ArrayForEach(r, res) {
		const cJSON *type = json_get(r, "type"), *custom = json_get(r, "custom");
		if (!cJSON_IsString(type) || !strncmp(type->valuestring, "pulumi:", 7))
			continue; /* stack and provider pseudo-resources */
		if (custom && !cJSON_IsTrue(custom))
			continue; /* component resources own nothing themselves */
		state_summary_add_type(&s, type->valuestring, 1);
		const cJSON *e;
		cJSON_ArrayForEach(e, json_get(r, "outputs")) {
			if (e->string && secret_attr_name(e->string))
				state_summary_add_secret(&s, type->valuestring, e->string);
		}
	}
	char *types = state_summary_finish(&s, d);
	char what[64];
	snprintf(what, sizeof(what), "Pulumi state (%s)", kind);
	char *msg = s.resources
	                ? xasprintf("%s: a `pulumi destroy` with it would delete %zu resources (%s); "
	                            "outputs are stored in plain text.",
	                            what, s.resources, types)
	                : xasprintf("%s with no resources: remove it from the repository.", what);
	finding_list_add(b->ctx->out, "pulumi-state", s.resources ? SG_SEV_BLOCK : SG_SEV_WARN,
	                 b->path, msg, d);
	b->state_found = 1;
	free(msg);
	free(types);
	state_summary_free(&s);
	return 0;
}
