/*
 * tf_show_json: `terraform show -json` output for a plan (planned_values,
 * resource_changes, prior_state, configuration) or a state (values.root_module).
 * Both carry every attribute in plain text; it does not handle raw state.
 */
#include "detect/detect_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* "0.x" or "1.x": digit, dot, digits. */
static int format_version_ok(const cJSON *v)
{
	if (!cJSON_IsString(v))
		return 0;
	const char *s = v->valuestring;
	if ((s[0] != '0' && s[0] != '1') || s[1] != '.' || !isdigit((unsigned char)s[2]))
		return 0;
	for (s += 2; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Walks values.root_module (resources[], child_modules[]) depth-bounded. */
static void summarize_module(struct state_summary *s, const cJSON *mod, unsigned depth)
{
	if (!cJSON_IsObject(mod) || depth > 32)
		return;
	const cJSON *r;
	cJSON_ArrayForEach(r, json_get(mod, "resources")) {
		const cJSON *mode = json_get(r, "mode"), *type = json_get(r, "type"),
		            *addr = json_get(r, "address");
		if (cJSON_IsString(mode) && !strcmp(mode->valuestring, "data"))
			s->data_sources++;
		else
			state_summary_add_type(s, cJSON_IsString(type) ? type->valuestring : "unknown", 1);
		const cJSON *vals = json_get(r, "values");
		const cJSON *e;
		cJSON_ArrayForEach(e, vals) {
			if (e->string && secret_attr_name(e->string) &&
			    ((cJSON_IsString(e) && e->valuestring[0]) || cJSON_IsObject(e)))
				state_summary_add_secret(s, cJSON_IsString(addr) ? addr->valuestring : "",
				                         e->string);
		}
	}
	const cJSON *c;
	cJSON_ArrayForEach(c, json_get(mod, "child_modules"))
		summarize_module(s, c, depth + 1);
}

int tf_show_json_detect(struct blob *b)
{
	if (b->json != JSON_OK || !format_version_ok(json_get(b->root, "format_version")))
		return 0;
	const cJSON *root = b->root;
	const cJSON *values = json_get(root, "values");
	int plan = json_get(root, "planned_values") || json_get(root, "resource_changes") ||
	           json_get(root, "prior_state") || json_get(root, "configuration");
	int state = cJSON_IsObject(json_get(values, "root_module"));
	if (!plan && !state)
		return 0;

	struct state_summary s;
	cJSON *d;
	if (state_summary_init(&s, &d) < 0)
		return -1;
	const cJSON *tv = json_get(root, "terraform_version");
	cJSON_AddStringToObject(d, "kind", plan ? "plan" : "state");
	cJSON_AddStringToObject(d, "format_version", json_get(root, "format_version")->valuestring);
	if (cJSON_IsString(tv))
		cJSON_AddStringToObject(d, "terraform_version", tv->valuestring);
	if (plan) {
		const cJSON *prior = json_get(json_get(root, "prior_state"), "values");
		summarize_module(&s, json_get(prior, "root_module"), 0);
		const cJSON *vars = json_get(root, "variables");
		if (cJSON_IsObject(vars))
			cJSON_AddNumberToObject(d, "variable_count", cJSON_GetArraySize(vars));
		const cJSON *rc = json_get(root, "resource_changes");
		if (cJSON_IsArray(rc))
			cJSON_AddNumberToObject(d, "resource_change_count", cJSON_GetArraySize(rc));
	} else {
		summarize_module(&s, json_get(values, "root_module"), 0);
	}
	char *types = state_summary_finish(&s, d);
	char what[160];
	snprintf(what, sizeof(what), "`terraform show -json` %s output%s%.40s",
	         plan ? "plan" : "state", cJSON_IsString(tv) ? " (Terraform " : "",
	         cJSON_IsString(tv) ? tv->valuestring : "");
	if (cJSON_IsString(tv))
		strncat(what, ")", sizeof(what) - strlen(what) - 1);
	char *msg;
	if (plan)
		msg = s.resources ? xasprintf("%s: it holds every input variable and the prior state "
		                              "of %zu resource%s (%s) in plain text.",
		                              what, s.resources, s.resources == 1 ? "" : "s", types)
		                  : xasprintf("%s: it holds every input variable and planned values in "
		                              "plain text.",
		                              what);
	else
		msg = state_message(what, s.resources, types);
	int warn = !plan && s.resources == 0 && s.data_sources == 0;
	finding_list_add(b->ctx->out, "tf-show-json", warn ? SG_SEV_WARN : SG_SEV_BLOCK, b->path, msg,
	                 d);
	b->state_found = 1;
	free(msg);
	free(types);
	state_summary_free(&s);
	return 0;
}
