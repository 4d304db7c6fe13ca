/*
 * tf_output_json: `terraform output -json` / `tofu output -json` documents: an
 * object whose members are all {"value", "type"[, "sensitive"]}. Sensitive
 * outputs are printed there in clear text. It reports output names and which
 * are sensitive, never values; outputs nested in state are tf_state.c's.
 */
#include "detect/detect_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define MAX_NAMES 64

/* A Terraform type constraint as JSON: "string", "number", "bool", "dynamic", or
 * ["list"|"set"|"map"|"object"|"tuple", ...] (ARM deployment outputs say "String"). */
static int tf_type(const cJSON *t)
{
	static const char *const prim[] = {"string", "number", "bool", "dynamic", NULL};
	static const char *const coll[] = {"list", "set", "map", "object", "tuple", NULL};
	const char *const *k = prim;
	if (cJSON_IsArray(t)) {
		t = t->child;
		k = coll;
	}
	if (!cJSON_IsString(t))
		return 0;
	for (; *k; k++)
		if (!strcmp(t->valuestring, *k))
			return 1;
	return 0;
}

/* 1 if o is {"value", "type"[, "sensitive": bool]} and nothing else; *sens says sensitive. */
static int output_shape(const cJSON *o, int *sens)
{
	int value = 0, type = 0;
	*sens = 0;
	if (!cJSON_IsObject(o))
		return 0;
	for (const cJSON *m = o->child; m; m = m->next) {
		if (!m->string)
			return 0;
		if (!strcmp(m->string, "value") && !value)
			value = 1;
		else if (!strcmp(m->string, "type") && !type && tf_type(m))
			type = 1;
		else if (!strcmp(m->string, "sensitive") && cJSON_IsBool(m))
			*sens = cJSON_IsTrue(m);
		else
			return 0;
	}
	return value && type;
}

int tf_output_json_detect(struct blob *b)
{
	if (b->json != JSON_OK || !b->root->child)
		return 0;
	size_t n = 0, nsens = 0;
	for (const cJSON *m = b->root->child; m; m = m->next) {
		int s;
		if (!m->string || !output_shape(m, &s))
			return 0;
		n++;
		nsens += (size_t)s;
	}
	cJSON *d = cJSON_CreateObject();
	if (!d)
		return -1;
	cJSON *names = cJSON_AddArrayToObject(d, "outputs");
	cJSON *sens = cJSON_AddArrayToObject(d, "sensitive_outputs");
	for (const cJSON *m = b->root->child; m; m = m->next) {
		int s;
		output_shape(m, &s);
		if (cJSON_GetArraySize(names) < MAX_NAMES)
			cJSON_AddItemToArray(names, cJSON_CreateString(m->string));
		if (s && cJSON_GetArraySize(sens) < MAX_NAMES)
			cJSON_AddItemToArray(sens, cJSON_CreateString(m->string));
	}
	cJSON_AddNumberToObject(d, "output_count", (double)n);
	char *msg;
	if (nsens)
		msg = xasprintf("`terraform output -json` output with %zu sensitive output%s (%s%s): "
		                "`sensitive = true` only hides values on screen, this file holds them in "
		                "clear text. Remove it and rotate those values.",
		                nsens, nsens == 1 ? "" : "s", cJSON_GetArrayItem(sens, 0)->valuestring,
		                nsens > 1 ? ", ..." : "");
	else
		msg = xasprintf("`terraform output -json` output (%zu output%s, none sensitive): the "
		                "values name live infrastructure; read them from the state with a "
		                "terraform_remote_state data source instead of committing them.",
		                n, n == 1 ? "" : "s");
	finding_list_add(b->ctx->out, "tf-output-json", nsens ? SG_SEV_BLOCK : SG_SEV_WARN, b->path,
	                 msg, d);
	free(msg);
	return 0;
}
