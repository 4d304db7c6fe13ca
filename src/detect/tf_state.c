/*
 * tf_state: Terraform/OpenTofu state by content: v4 (resources[]), legacy v1-v3
 * (modules[]) and the v0 binary format, with what a destroy would delete and
 * which attributes hold secrets (names only) in the details. It does not
 * handle backend snapshots (tf_backend.c) or the encrypted envelope.
 */
#include "detect/detect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

#define MAX_SECRET_NAMES 64
#define MAX_WALK_DEPTH 6

int state_summary_init(struct state_summary *s, cJSON **details)
{
	memset(s, 0, sizeof(*s));
	s->secret_attrs = cJSON_CreateArray();
	*details = cJSON_CreateObject();
	if (s->secret_attrs && *details)
		return 0;
	cJSON_Delete(*details);
	*details = NULL;
	state_summary_free(s);
	return -1;
}

void state_summary_free(struct state_summary *s)
{
	for (size_t i = 0; i < s->ntypes; i++)
		free(s->types[i].type);
	free(s->types);
	cJSON_Delete(s->secret_attrs);
	memset(s, 0, sizeof(*s));
}

void state_summary_add_type(struct state_summary *s, const char *type, size_t n)
{
	s->resources += n;
	if (!n)
		return;
	for (size_t i = 0; i < s->ntypes; i++) {
		if (!strcmp(s->types[i].type, type)) {
			s->types[i].n += n;
			return;
		}
	}
	xgrow((void **)&s->types, &s->cap, s->ntypes + 1, sizeof(*s->types));
	s->types[s->ntypes].type = xstrdup(type);
	s->types[s->ntypes].n = n;
	s->ntypes++;
}

void state_summary_add_secret(struct state_summary *s, const char *res, const char *attr)
{
	if (!s->secret_attrs || cJSON_GetArraySize(s->secret_attrs) >= MAX_SECRET_NAMES)
		return;
	char *name = res && *res ? xasprintf("%s.%s", res, attr) : xstrdup(attr);
	const cJSON *e;
	cJSON_ArrayForEach(e, s->secret_attrs) {
		if (!strcasecmp(e->valuestring, name)) {
			free(name);
			return;
		}
	}
	cJSON_AddItemToArray(s->secret_attrs, cJSON_CreateString(name));
	free(name);
}

static int ends_with(const char *s, const char *suf)
{
	return util_ends_with(s, suf);
}

int secret_attr_name(const char *name)
{
	static const char *const not_secret_suffix[] = {
		"_arn", "_id", "_ids", "_name", "_names", "_version", "_length", "_enabled",
		"_wo", "_wo_version", "_type", "_path", "_file", "_reset_required", "_policy",
		"_last_used", "_rotation", "_count", "_hash", "_sha", "_sha1", "_sha256",
		"_fingerprint", "_md5", NULL,
	};
	static const char *const secret_exact[] = {
		"password", "secret", "token", "private_key", "value_wo", "kube_config",
		"kube_admin_config", "kube_config_raw", "kube_admin_config_raw",
		"primary_access_key", "secondary_access_key", "ses_smtp_password_v4",
		"master_password", "auth_token", "api_key", "client_key", "passphrase",
		"secret_string", "secret_binary", "insecure_value", "conn_str", "sas_token", NULL,
	};
	static const char *const secret_part[] = {
		"password", "secret", "private_key", "connection_string", "access_token",
		"refresh_token", "_token", "api_key", "sas_url", "sas_token", NULL,
	};
	char low[128];
	size_t n = strlen(name);
	if (n == 0 || n >= sizeof(low))
		return 0;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
	for (size_t i = 0; not_secret_suffix[i]; i++)
		if (ends_with(low, not_secret_suffix[i]))
			return 0;
	for (size_t i = 0; secret_exact[i]; i++)
		if (!strcmp(low, secret_exact[i]))
			return 1;
	for (size_t i = 0; secret_part[i]; i++)
		if (strstr(low, secret_part[i]))
			return 1;
	return 0;
}

/* 1 if a JSON value carries something (non-empty string, non-empty container, number). */
static int json_has_value(const cJSON *v)
{
	if (cJSON_IsString(v))
		return v->valuestring[0] != 0;
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return v->child != NULL;
	return cJSON_IsNumber(v);
}

/* Records secret-named attributes under v (names joined with '.'), depth-bounded. */
static void walk_secret_attrs(struct state_summary *s, const char *res, const cJSON *v,
                              const char *prefix, unsigned depth)
{
	if (depth > MAX_WALK_DEPTH || (!cJSON_IsObject(v) && !cJSON_IsArray(v)))
		return;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char *name = NULL;
		if (cJSON_IsObject(v) && e->string)
			name = *prefix ? xasprintf("%s.%s", prefix, e->string) : xstrdup(e->string);
		else
			name = xstrdup(prefix);
		if (cJSON_IsObject(v) && e->string && secret_attr_name(e->string) && json_has_value(e))
			state_summary_add_secret(s, res, name);
		else
			walk_secret_attrs(s, res, e, name, depth + 1);
		free(name);
	}
}

static int cmp_types(const void *a, const void *b)
{
	return strcmp(((const struct type_count *)a)->type, ((const struct type_count *)b)->type);
}

char *state_summary_finish(struct state_summary *s, cJSON *details)
{
	if (s->ntypes)
		qsort(s->types, s->ntypes, sizeof(*s->types), cmp_types);
	size_t cap = 64, len = 0;
	char *txt = xmalloc(cap);
	txt[0] = 0;
	for (size_t i = 0; i < s->ntypes; i++) {
		char item[300];
		int n = snprintf(item, sizeof(item), "%s%.200s ×%zu", i ? ", " : "", s->types[i].type,
		                 s->types[i].n);
		if (n < 0)
			continue;
		xgrow((void **)&txt, &cap, len + (size_t)n + 1, 1);
		memcpy(txt + len, item, (size_t)n + 1);
		len += (size_t)n;
	}
	cJSON_AddNumberToObject(details, "resource_count", (double)s->resources);
	if (s->data_sources)
		cJSON_AddNumberToObject(details, "data_source_count", (double)s->data_sources);
	cJSON_AddStringToObject(details, "resource_types", s->ntypes ? txt : "none");
	if (s->secret_attrs && s->secret_attrs->child) {
		cJSON_AddItemToObject(details, "secret_attributes", s->secret_attrs);
		s->secret_attrs = NULL;
	}
	return txt;
}

char *state_message(const char *what, size_t resources, const char *types)
{
	if (!resources)
		return xasprintf("%s with no resources: a `terraform destroy` with it would delete "
		                 "nothing, but it reveals the state's lineage and history; remove it "
		                 "from the repository.",
		                 what);
	char shown[512];
	snprintf(shown, sizeof(shown), "%s", types);
	if (strlen(types) >= sizeof(shown))
		memcpy(shown + sizeof(shown) - 5, "...", 4);
	return xasprintf("%s: a `terraform destroy` with this file would delete %zu resource%s "
	                 "(%s).",
	                 what, resources, resources == 1 ? "" : "s", shown);
}

/* Adds "<module>.<type>.<name>" for a v4 resource into buf. */
static void resource_addr(const cJSON *r, char *buf, size_t sz)
{
	const cJSON *mod = json_get(r, "module"), *type = json_get(r, "type"),
	            *name = json_get(r, "name"), *mode = json_get(r, "mode");
	snprintf(buf, sz, "%s%s%s%s.%s", cJSON_IsString(mod) ? mod->valuestring : "",
	         cJSON_IsString(mod) ? "." : "",
	         cJSON_IsString(mode) && !strcmp(mode->valuestring, "data") ? "data." : "",
	         cJSON_IsString(type) ? type->valuestring : "?",
	         cJSON_IsString(name) ? name->valuestring : "?");
}

static void summarize_v4(struct state_summary *s, const cJSON *root)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, json_get(root, "resources")) {
		const cJSON *mode = json_get(r, "mode"), *type = json_get(r, "type");
		const cJSON *insts = json_get(r, "instances");
		size_t n = cJSON_IsArray(insts) ? (size_t)cJSON_GetArraySize(insts) : 0;
		int data = cJSON_IsString(mode) && !strcmp(mode->valuestring, "data");
		if (data)
			s->data_sources += n;
		else
			state_summary_add_type(s, cJSON_IsString(type) ? type->valuestring : "unknown", n);
		char addr[512];
		resource_addr(r, addr, sizeof(addr));
		const cJSON *inst;
		cJSON_ArrayForEach(inst, insts) {
			walk_secret_attrs(s, addr, json_get(inst, "attributes"), "", 0);
			walk_secret_attrs(s, addr, json_get(inst, "attributes_flat"), "", 0);
			const cJSON *path;
			cJSON_ArrayForEach(path, json_get(inst, "sensitive_attributes")) {
				const cJSON *step = cJSON_IsArray(path) ? path->child : NULL;
				const cJSON *val = json_get(step, "value");
				if (cJSON_IsString(val))
					state_summary_add_secret(s, addr, val->valuestring);
			}
		}
	}
}

static void summarize_outputs(struct state_summary *s, const cJSON *outputs)
{
	const cJSON *o;
	cJSON_ArrayForEach(o, outputs) {
		if (!o->string)
			continue;
		if (cJSON_IsTrue(json_get(o, "sensitive")) || secret_attr_name(o->string))
			state_summary_add_secret(s, "output", o->string);
	}
}

/* v1-v3: modules[].resources is an object keyed "<type>.<name>[.<index>]" or "data.<...>". */
static void summarize_legacy(struct state_summary *s, const cJSON *root)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, json_get(root, "modules")) {
		const cJSON *r;
		cJSON_ArrayForEach(r, json_get(m, "resources")) {
			const char *key = r->string ? r->string : "?";
			const cJSON *type = json_get(r, "type");
			char tbuf[256];
			if (cJSON_IsString(type)) {
				snprintf(tbuf, sizeof(tbuf), "%s", type->valuestring);
			} else {
				const char *k = !strncmp(key, "data.", 5) ? key + 5 : key;
				const char *dot = strchr(k, '.');
				snprintf(tbuf, sizeof(tbuf), "%.*s", dot ? (int)(dot - k) : (int)strlen(k), k);
			}
			if (!strncmp(key, "data.", 5))
				s->data_sources++;
			else
				state_summary_add_type(s, tbuf, 1);
			const cJSON *primary = json_get(r, "primary");
			walk_secret_attrs(s, key, json_get(primary, "attributes"), "", 0);
		}
		summarize_outputs(s, json_get(m, "outputs"));
	}
}

/*
 * 1 if root looks like v4+ state. Terraform itself only needs `version`;
 * missing `serial`/`resources` decode as zero values (real fixtures omit
 * them). We require an integer version >= 4 and either a string lineage
 * (with serial and resources well-typed when present) or resources that look
 * like state resources. `version` + `serial` alone is not state (§3 guards).
 */
static int is_v4(const cJSON *root)
{
	if (!json_is_int(json_get(root, "version"), 4, 1000))
		return 0;
	const cJSON *lineage = json_get(root, "lineage"), *serial = json_get(root, "serial"),
	            *res = json_get(root, "resources");
	if ((serial && !json_is_int(serial, 0, 9007199254740992.0)) || (res && !cJSON_IsArray(res)))
		return 0;
	if (cJSON_IsString(lineage))
		return 1;
	const cJSON *r0 = res ? res->child : NULL;
	return cJSON_IsObject(r0) && cJSON_IsString(json_get(r0, "type")) &&
	       cJSON_IsArray(json_get(r0, "instances"));
}

/* 1 if root looks like v1-v3 state: modules[] with a root path and object resources. */
static int is_legacy(const cJSON *root)
{
	const cJSON *v = json_get(root, "version");
	if (!json_is_int(v, 1, 3))
		return 0;
	if (v->valuedouble >= 2 && !cJSON_IsString(json_get(root, "lineage")))
		return 0;
	const cJSON *mods = json_get(root, "modules");
	if (!cJSON_IsArray(mods) || !mods->child)
		return 0;
	const cJSON *m;
	cJSON_ArrayForEach(m, mods) {
		const cJSON *path = json_get(m, "path");
		if (!cJSON_IsArray(path) || !cJSON_IsString(path->child) ||
		    strcmp(path->child->valuestring, "root"))
			return 0;
		const cJSON *res = json_get(m, "resources");
		if (res && !cJSON_IsObject(res))
			return 0;
	}
	return 1;
}

/* 1 if a legacy document is only a backend cache (backend/remote and no resources). */
static int legacy_is_snapshot(const cJSON *root)
{
	if (!cJSON_IsObject(json_get(root, "backend")) && !cJSON_IsObject(json_get(root, "remote")))
		return 0;
	const cJSON *m;
	cJSON_ArrayForEach(m, json_get(root, "modules")) {
		const cJSON *res = json_get(m, "resources");
		if (res && res->child)
			return 0;
		const cJSON *outs = json_get(m, "outputs");
		if (outs && outs->child)
			return 0;
	}
	return 1;
}

static void add_common(cJSON *d, const cJSON *root, int version)
{
	const cJSON *tv = json_get(root, "terraform_version"), *serial = json_get(root, "serial"),
	            *lineage = json_get(root, "lineage");
	if (cJSON_IsString(tv))
		cJSON_AddStringToObject(d, "terraform_version", tv->valuestring);
	if (cJSON_IsNumber(serial))
		cJSON_AddNumberToObject(d, "serial", serial->valuedouble);
	if (cJSON_IsString(lineage))
		cJSON_AddStringToObject(d, "lineage", lineage->valuestring);
	cJSON_AddNumberToObject(d, "state_version", version);
}

static int report_state(struct blob *b, const cJSON *root, int version)
{
	struct state_summary s;
	cJSON *d;
	if (state_summary_init(&s, &d) < 0)
		return -1;
	add_common(d, root, version);
	if (version >= 4) {
		summarize_v4(&s, root);
		summarize_outputs(&s, json_get(root, "outputs"));
	} else {
		summarize_legacy(&s, root);
	}
	const cJSON *outs = json_get(root, "outputs");
	int has_outputs = outs && outs->child;
	size_t nsecrets = s.secret_attrs ? (size_t)cJSON_GetArraySize(s.secret_attrs) : 0;
	size_t data_sources = s.data_sources;
	char *types = state_summary_finish(&s, d);
	const cJSON *tv = json_get(root, "terraform_version");
	char what[200];
	snprintf(what, sizeof(what), "Terraform state (format v%d%s%.40s)", version,
	         cJSON_IsString(tv) ? ", Terraform " : "", cJSON_IsString(tv) ? tv->valuestring : "");
	int empty = s.resources == 0 && data_sources == 0 && nsecrets == 0 && !has_outputs;
	char *msg = empty ? state_message(what, 0, "")
	                  : s.resources ? state_message(what, s.resources, types)
	                                : xasprintf("%s with no managed resources but data sources "
	                                            "or outputs that may hold production values.",
	                                            what);
	finding_list_add(b->ctx->out, "tf-state", empty ? SG_SEV_WARN : SG_SEV_BLOCK, b->path, msg, d);
	b->state_found = 1;
	free(msg);
	free(types);
	state_summary_free(&s);
	return 0;
}

static int report_v0(struct blob *b)
{
	cJSON *d = cJSON_CreateObject();
	if (!d)
		return -1;
	cJSON_AddNumberToObject(d, "state_version", 0);
	finding_list_add(b->ctx->out, "tf-state", SG_SEV_BLOCK, b->path,
	                 "Terraform state in the binary v0 format (Terraform < 0.7): it maps "
	                 "resources to live infrastructure and stores their attributes, secrets "
	                 "included, in plain text.",
	                 d);
	b->state_found = 1;
	return 0;
}

int tf_state_detect(struct blob *b)
{
	if ((b->pf & PF_BINARY) && b->len >= 7 && !memcmp(b->data, "tfstate", 7))
		return report_v0(b);
	if (b->json != JSON_OK)
		return 0;
	if (is_v4(b->root))
		return report_state(b, b->root, (int)json_get(b->root, "version")->valuedouble);
	if (is_legacy(b->root) && !legacy_is_snapshot(b->root))
		return report_state(b, b->root, (int)json_get(b->root, "version")->valuedouble);
	return 0;
}
