/*
 * tf_backend: backend configuration wherever it is written down: the
 * .terraform/terraform.tfstate backend snapshot (old and new layout), backend /
 * cloud / Terragrunt remote_state / OpenTofu encryption blocks (HCL and .tf.json),
 * partial backend files, and `backend "local"`. Literal credentials there are findings; null,
 * empty and variable references are not. Backend identifiers are the policy's.
 */
#include "detect/detect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "detect/hcl.h"

/* Credential attributes of backends (reference §8.2) and of encryption key providers. */
static const char *const cred_attrs[] = {
	"secret_key", "access_key", "token", "password", "conn_str", "sas_token", "client_secret",
	"credentials", "sse_customer_key", "web_identity_token", "client_certificate",
	"client_certificate_password", "oidc_token", "oidc_request_token", "access_token",
	"encryption_key", "client_private_key_pem", "client_key", "security_token", "private_key",
	"private_key_password", "passphrase", "http_auth", "secret_id", NULL,
};

/* Identifier keys that make a flat file look like a partial backend configuration. */
static const char *const partial_pairs[][2] = {
	{"bucket", "key"},         {"bucket", "prefix"},          {"bucket", "region"},
	{"storage_account_name", "container_name"}, {"organization", "hostname"},
	{"organization", "workspaces"}, {"address", "lock_address"}, {"conn_str", "schema_name"},
	{"resource_group_name", "storage_account_name"},
};

static int is_cred_attr(const char *name, size_t len)
{
	for (size_t i = 0; cred_attrs[i]; i++)
		if (strlen(cred_attrs[i]) == len && !memcmp(cred_attrs[i], name, len))
			return 1;
	return 0;
}

/* Placeholders in documentation and templates are not credentials. */
int backend_is_placeholder(const char *v)
{
	size_t n = strlen(v);
	if (!n || v[0] == '$' || (v[0] == '<' && v[n - 1] == '>') || (v[0] == '{' && v[1] == '{'))
		return 1;
	if (strstr(v, "%s") || strstr(v, "%v") || strstr(v, "%q") || strstr(v, "%d"))
		return 1; /* a format string in source code */
	if (util_memcasemem((const unsigned char *)v, n, "example", 7) ||
	    util_memcasemem((const unsigned char *)v, n, "changeme", 8) ||
	    util_memcasemem((const unsigned char *)v, n, "placeholder", 11) ||
	    util_memcasemem((const unsigned char *)v, n, "your_", 5) ||
	    util_memcasemem((const unsigned char *)v, n, "your-", 5))
		return 1;
	size_t same = 0;
	for (size_t i = 0; i < n; i++)
		same += v[i] == v[0] || v[i] == '*' || v[i] == 'x' || v[i] == 'X' || v[i] == '.';
	return same == n;
}

/* gcs/oci "credentials" or key files given as a path are not secrets; inline JSON/PEM are. */
static int is_path_value(const char *attr, const char *v)
{
	if (strcmp(attr, "credentials") && strcmp(attr, "client_certificate") &&
	    strcmp(attr, "private_key") && strcmp(attr, "client_key"))
		return 0;
	return !strchr(v, '{') && !strstr(v, "PRIVATE KEY") && strlen(v) < 300 &&
	       (strchr(v, '/') || strchr(v, '\\') || strchr(v, '.'));
}

/*
 * Reports a literal in a credential attribute as its evidence says: a known token shape or
 * a random-looking value blocks, anything else is a warning that says what it looks like.
 */
static void report_cred(struct blob *b, const char *where, const char *attr, const char *value,
                        size_t line)
{
	const char *why;
	enum cred_verdict v = cred_judge(value, &why);
	if (v == CRED_PLACEHOLDER)
		return;
	char red[64];
	finding_redact(value, strlen(value), red, sizeof(red));
	cJSON *d = cJSON_CreateObject();
	if (d) {
		cJSON_AddStringToObject(d, "block", where);
		cJSON_AddStringToObject(d, "attribute", attr);
		if (line)
			cJSON_AddNumberToObject(d, "line", (double)line);
		cJSON_AddStringToObject(d, "value", red);
		cJSON_AddStringToObject(d, "evidence", why);
	}
	char *msg = v == CRED_EXAMPLE
	                ? xasprintf("%s sets `%s` to a literal (%s) that looks like %s, not a "
	                            "credential; if it is a real one, pass it through the "
	                            "environment or -backend-config instead.",
	                            where, attr, red, why)
	                : xasprintf("%s sets `%s` to a literal credential (%s; %s): pass it "
	                            "through the environment or -backend-config at init time "
	                            "instead, and rotate it.",
	                            where, attr, red, why);
	struct finding *f = finding_list_add(b->ctx->out, "tf-backend-credentials",
	                                     v == CRED_EXAMPLE ? SG_SEV_WARN : SG_SEV_BLOCK, b->path,
	                                     msg, d);
	f->lowerable = v == CRED_SECRET;
	free(msg);
}

/* ---------------------------------------------------------------- snapshot (JSON) */

static void add_identifiers(cJSON *d, const cJSON *cfg)
{
	static const char *const ids[] = {"bucket", "key", "region", "dynamodb_table", "kms_key_id",
	                                  "storage_account_name", "container_name",
	                                  "resource_group_name", "organization", "hostname",
	                                  "prefix", "address", "path", "workspace_key_prefix", NULL};
	for (size_t i = 0; ids[i]; i++) {
		const cJSON *v = json_get(cfg, ids[i]);
		if (cJSON_IsString(v) && v->valuestring[0])
			cJSON_AddStringToObject(d, ids[i], v->valuestring);
	}
	const cJSON *ws = json_get(json_get(cfg, "workspaces"), "name");
	if (cJSON_IsString(ws))
		cJSON_AddStringToObject(d, "workspace", ws->valuestring);
}

/* Reports literal credentials inside a backend configuration object. */
static void config_credentials(struct blob *b, const char *where, const cJSON *cfg)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, cfg) {
		if (!e->string || !is_cred_attr(e->string, strlen(e->string)))
			continue;
		char *val = cJSON_IsString(e) ? xstrdup(e->valuestring)
		            : (cJSON_IsObject(e) || cJSON_IsArray(e)) && e->child
		                ? cJSON_PrintUnformatted(e)
		                : NULL;
		if (val && *val && !backend_is_placeholder(val) && !is_path_value(e->string, val))
			report_cred(b, where, e->string, val, 0);
		free(val);
	}
}

static void snapshot_credentials(struct blob *b, const char *btype, const cJSON *cfg)
{
	char where[128];
	snprintf(where, sizeof(where), "The cached `%.40s` backend configuration", btype);
	config_credentials(b, where, cfg);
}

static int snapshot_detect(struct blob *b)
{
	const cJSON *root = b->root;
	const cJSON *backend = json_get(root, "backend");
	if (!cJSON_IsObject(backend))
		backend = json_get(root, "state_store");
	const cJSON *remote = json_get(root, "remote");
	const cJSON *src = cJSON_IsObject(backend) ? backend : remote;
	const cJSON *type = json_get(src, "type"), *cfg = json_get(src, "config");
	if (!json_is_int(json_get(root, "version"), 1, 3) || !cJSON_IsString(type) ||
	    !cJSON_IsObject(cfg))
		return 0;
	if (b->state_found) { /* pre-0.9 full state with a remote/backend: credentials only */
		snapshot_credentials(b, type->valuestring, cfg);
		return 0;
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, json_get(root, "modules")) {
		const cJSON *res = json_get(m, "resources");
		if (res && res->child)
			return 0;
	}
	cJSON *d = cJSON_CreateObject();
	if (!d)
		return -1;
	int legacy = json_get(root, "lineage") || json_get(root, "serial") || json_get(root, "modules");
	cJSON_AddStringToObject(d, "layout", legacy ? "Terraform 0.9-1.8 (legacy)" : "Terraform >= 1.9");
	cJSON_AddStringToObject(d, "backend_type", type->valuestring);
	const cJSON *tv = json_get(root, "terraform_version");
	if (cJSON_IsString(tv))
		cJSON_AddStringToObject(d, "terraform_version", tv->valuestring);
	add_identifiers(d, cfg);
	char *msg = xasprintf("Terraform backend snapshot (.terraform/terraform.tfstate, `%.40s` "
	                      "backend): it records where the live state is and every backend "
	                      "setting; .terraform/ belongs in .gitignore.",
	                      type->valuestring);
	finding_list_add(b->ctx->out, "tf-backend-snapshot", SG_SEV_BLOCK, b->path, msg, d);
	free(msg);
	b->state_found = 1;
	snapshot_credentials(b, type->valuestring, cfg);
	return 0;
}

/* ---------------------------------------------------------------- .tf.json */

/* Literal credentials in `{"terraform": {"backend": {"<type>": {...}}}}` (JSON syntax). */
static void tf_json_detect(struct blob *b)
{
	const cJSON *tf = json_get(b->root, "terraform");
	const cJSON *blocks = cJSON_IsArray(tf) ? tf : NULL;
	const cJSON *one = cJSON_IsObject(tf) ? tf : NULL;
	const cJSON *t = blocks ? blocks->child : one;
	for (; t; t = blocks ? t->next : NULL) {
		const cJSON *be;
		cJSON_ArrayForEach(be, json_get(t, "backend")) {
			char where[128];
			snprintf(where, sizeof(where), "The `backend \"%.40s\"` block (JSON syntax)",
			         be->string ? be->string : "?");
			const cJSON *cfg = cJSON_IsArray(be) ? be->child : be;
			if (cJSON_IsObject(cfg))
				config_credentials(b, where, cfg);
		}
		const cJSON *cloud = json_get(t, "cloud");
		if (cJSON_IsArray(cloud))
			cloud = cloud->child;
		if (cJSON_IsObject(cloud))
			config_credentials(b, "The `cloud` block (JSON syntax)", cloud);
		if (!blocks)
			break;
	}
}

/* ---------------------------------------------------------------- HCL */

struct hcl_walk {
	struct blob *b;
	int partial_name;                 /* the file name says partial backend config */
	int config_file;                  /* a Terraform/HCL configuration file by name */
	int top_blocks;                   /* blocks at depth 0 */
	unsigned char pairs_seen[32];     /* identifier keys seen at depth 0 */
	struct { char *attr, *value; size_t line; } top[16]; /* literal credentials at depth 0 */
	size_t ntop;
};

/* Describes the backend-ish block enclosing an attribute, or NULL. */
static const char *cred_context(const struct hcl_event *ev, char *buf, size_t sz, int *static_kp)
{
	*static_kp = 0;
	const char *ctx = NULL;
	for (unsigned i = 0; i < ev->depth; i++) {
		const struct hcl_frame *f = &ev->frames[i];
		int in_tf = i > 0 && hcl_span_eq(ev->frames[0].type, "terraform");
		if (in_tf && i == 1 && hcl_span_eq(f->type, "backend") && f->nlabels) {
			snprintf(buf, sz, "The `backend \"%.*s\"` block", (int)(f->labels[0].len > 40 ? 40 : f->labels[0].len),
			         f->labels[0].p);
			ctx = buf;
		} else if (in_tf && i == 1 && hcl_span_eq(f->type, "cloud")) {
			snprintf(buf, sz, "The `cloud` block");
			ctx = buf;
		} else if (in_tf && i == 1 && hcl_span_eq(f->type, "encryption")) {
			snprintf(buf, sz, "The OpenTofu `encryption` block");
			ctx = buf;
		} else if (i == 0 && hcl_span_eq(f->type, "remote_state")) {
			snprintf(buf, sz, "The Terragrunt `remote_state` block");
			ctx = buf;
		}
		if (ctx && hcl_span_eq(f->type, "key_provider") && f->nlabels &&
		    hcl_span_eq(f->labels[0], "static"))
			*static_kp = 1;
	}
	return ctx;
}

static int hcl_event_cb(const struct hcl_event *ev, void *arg)
{
	struct hcl_walk *w = arg;
	if (ev->kind == HCL_EV_BLOCK && ev->depth == 1 && !ev->frames[0].is_object)
		w->top_blocks++;
	if (ev->kind == HCL_EV_BLOCK && ev->depth == 2 && w->config_file &&
	    hcl_span_eq(ev->frames[0].type, "terraform") &&
	    hcl_span_eq(ev->frames[1].type, "backend") && ev->frames[1].nlabels &&
	    hcl_span_eq(ev->frames[1].labels[0], "local")) {
		cJSON *d = cJSON_CreateObject();
		if (d)
			cJSON_AddNumberToObject(d, "line", (double)ev->line);
		finding_list_add(w->b->ctx->out, "tf-local-backend", SG_SEV_WARN, w->b->path,
		                 "A `backend \"local\"` block keeps the state file in the work tree, "
		                 "one `git add` away from the repository: use a remote backend.",
		                 d);
	}
	if (ev->kind != HCL_EV_ATTR)
		return 0;
	char name[64];
	if (ev->name.len >= sizeof(name))
		return 0;
	memcpy(name, ev->name.p, ev->name.len);
	name[ev->name.len] = 0;
	if (ev->depth == 0) {
		for (size_t i = 0; i < sizeof(partial_pairs) / sizeof(*partial_pairs); i++)
			for (int j = 0; j < 2; j++)
				if (!strcmp(name, partial_pairs[i][j]))
					w->pairs_seen[i] |= (unsigned char)(1u << j);
	}
	int static_kp;
	char where[128];
	const char *ctx = cred_context(ev, where, sizeof(where), &static_kp);
	int cred = is_cred_attr(ev->name.p, ev->name.len) || (static_kp && !strcmp(name, "key"));
	if (!cred || !hcl_value_is_literal(ev))
		return 0;
	char *val = hcl_span_dup(ev->value);
	if (backend_is_placeholder(val) || is_path_value(name, val)) {
		free(val);
		return 0;
	}
	if (ctx) {
		report_cred(w->b, ctx, name, val, ev->line);
		free(val);
	} else if (ev->depth == 0 && w->ntop < sizeof(w->top) / sizeof(*w->top)) {
		w->top[w->ntop].attr = xstrdup(name);
		w->top[w->ntop].value = val;
		w->top[w->ntop].line = ev->line;
		w->ntop++;
	} else {
		free(val);
	}
	return 0;
}

static int partial_name(const char *base)
{
	return util_ends_with(base, ".tfbackend") || util_ends_with(base, ".backend") ||
	       !strcmp(base, "backend.hcl") || !strcmp(base, "backend.conf") ||
	       !strcmp(base, "state.config") || (!strncmp(base, "backend", 7) &&
	                                          (util_ends_with(base, ".hcl") ||
	                                           util_ends_with(base, ".tfvars")));
}

static void hcl_detect(struct blob *b)
{
	struct hcl_walk w;
	memset(&w, 0, sizeof(w));
	w.b = b;
	w.partial_name = partial_name(b->base);
	w.config_file = util_ends_with(b->base, ".tf") || util_ends_with(b->base, ".hcl") ||
	                util_ends_with(b->base, ".tofu") || w.partial_name;
	hcl_scan((const char *)b->data, b->len, hcl_event_cb, &w);
	int pairs = 0;
	for (size_t i = 0; i < sizeof(partial_pairs) / sizeof(*partial_pairs); i++)
		pairs |= w.pairs_seen[i] == 3;
	int partial = w.partial_name || (pairs && w.top_blocks == 0);
	for (size_t i = 0; i < w.ntop; i++) {
		if (partial)
			report_cred(b, "The partial backend configuration", w.top[i].attr, w.top[i].value,
			            w.top[i].line);
		free(w.top[i].attr);
		free(w.top[i].value);
	}
}

/* ---------------------------------------------------------------- entry */

int tf_backend_detect(struct blob *b)
{
	if (b->json == JSON_OK) {
		tf_json_detect(b);
		return snapshot_detect(b);
	}
	/* a file named like a partial backend file is read whatever its words (it needs no pair) */
	if (((b->pf & (PF_HCL | PF_PARTIAL)) || partial_name(b->base)) && b->json != JSON_TOO_LARGE &&
	    b->json != JSON_OVER_BUDGET &&
	    !memchr(b->data, 0, b->len < 8000 ? b->len : 8000))
		hcl_detect(b);
	return 0;
}
