/*
 * tf_vars: literal secrets in variable-definition files (*.tfvars, *.tfvars.json,
 * *.auto.tfvars[.json], by name, archive members too): an attribute whose name
 * says secret, or whose variable the .tf/.tf.json files beside it declare
 * `sensitive = true` (read through ctx->siblings, the source's view of that
 * directory). Placeholders are not findings; values are shown redacted only.
 */
#include "detect/detect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strset.h"
#include "core/util.h"
#include "detect/hcl.h"

#define MAX_ATTRS 256     /* literal attributes kept per file */
#define MAX_REPORTED 32   /* attributes listed in details */
#define MAX_JSON_DEPTH 32

int tf_vars_name(const char *base)
{
	return util_ends_with(base, ".tfvars") || util_ends_with(base, ".tfvars.json");
}

/* Lower-case copy without '-' / '_' distinctions ("-" becomes "_"); 0 if too long. */
static int lower(const char *s, char *out, size_t outsz)
{
	size_t n = strlen(s);
	if (!n || n >= outsz)
		return 0;
	for (size_t i = 0; i <= n; i++)
		out[i] = s[i] == '-' ? '_' : (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
	return 1;
}

/* 1 if the name has `word` as a whole '_'-separated component. */
static int has_component(const char *low, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = strstr(low, word); p; p = strstr(p + 1, word))
		if ((p == low || p[-1] == '_') && (p[wl] == 0 || p[wl] == '_'))
			return 1;
	return 0;
}

int tf_vars_secret_name(const char *name)
{
	static const char *const not_secret_suffix[] = {
		"_arn", "_id", "_ids", "_name", "_names", "_version", "_length", "_enabled", "_type",
		"_path", "_file", "_policy", "_rotation", "_count", "_ttl", "_url", "_uri",
		"_endpoint", "_expiry", "_expiration", "_prefix", "_suffix", "_hash", "_sha256",
		"_fingerprint", "_key_id", "_kv_name", "_vault", "_secret_name", "_parameter", NULL,
	};
	static const char *const part[] = {"password", "passwd", "secret", "token", "api_key",
	                                   "apikey", "private_key", "access_key", "conn_str",
	                                   "connection_string", "connectionstring", "passphrase",
	                                   NULL};
	static const char *const component[] = {"sas", "pwd", "pat", NULL};
	char low[128];
	if (!lower(name, low, sizeof(low)))
		return 0;
	for (size_t i = 0; not_secret_suffix[i]; i++)
		if (util_ends_with(low, not_secret_suffix[i]))
			return 0;
	if (secret_attr_name(name))
		return 1;
	for (size_t i = 0; part[i]; i++)
		if (strstr(low, part[i]))
			return 1;
	for (size_t i = 0; component[i]; i++)
		if (has_component(low, component[i]))
			return 1;
	return 0;
}

/* A reference to where a secret lives, not the secret: an ARN, or a file path
 * ("~/.ssh/id_rsa", "./key.pem", "/etc/ssl/key.pem") without spaces. */
static int is_reference(const char *v)
{
	size_t n = strlen(v);
	if (!strncmp(v, "arn:", 4))
		return 1;
	return n < 256 && !strpbrk(v, " \t\r\n") &&
	       (!strncmp(v, "~/", 2) || !strncmp(v, "./", 2) || !strncmp(v, "../", 3) ||
	        (v[0] == '/' && strchr(v + 1, '/')));
}

/* Placeholders (README "Placeholders"): empty, <...>, ${...}, CHANGE_ME / changeme,
 * REPLACE_ME, TODO, and runs of x or '*'. */
int tf_vars_is_placeholder(const char *v)
{
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	if (!n || (v[0] == '<' && v[n - 1] == '>'))
		return 1;
	const unsigned char *u = (const unsigned char *)v;
	if (util_memmem(u, n, "${", 2) || util_memcasemem(u, n, "changeme", 8) ||
	    util_memcasemem(u, n, "change_me", 9) || util_memcasemem(u, n, "change-me", 9) ||
	    util_memcasemem(u, n, "replace_me", 10) || util_memcasemem(u, n, "replaceme", 9) ||
	    util_memcasemem(u, n, "replace-me", 10) ||
	    ((n == 4 || (n > 4 && (v[4] == ':' || v[4] == ' '))) &&
	     util_memcasemem(u, 4, "todo", 4)))
		return 1;
	size_t i = 0;
	while (i < n && (v[i] == 'x' || v[i] == 'X' || v[i] == '*'))
		i++;
	return i == n;
}

/* One literal attribute of the file. */
struct attr {
	char *var;   /* the variable (top-level name) */
	char *name;  /* dotted path of the attribute: var or var.key.key */
	char *value; /* the literal, for redaction only */
	size_t line;
	int secret;  /* the last component's name says secret */
};

struct attrs {
	struct attr v[MAX_ATTRS]; /* past MAX_ATTRS, secret-named ones replace the others */
	size_t n;
};

static void attrs_add(struct attrs *a, const char *var, const char *name, const char *leaf,
                      const char *value, size_t line)
{
	if (tf_vars_is_placeholder(value) || is_reference(value))
		return;
	int secret = tf_vars_secret_name(leaf);
	if (a->n == MAX_ATTRS) {
		/* keep secret-named ones in preference: they are findings without context */
		if (!secret)
			return;
		for (size_t i = 0; i < a->n; i++)
			if (!a->v[i].secret) {
				free(a->v[i].var);
				free(a->v[i].name);
				free(a->v[i].value);
				a->v[i] = a->v[--a->n];
				break;
			}
		if (a->n == MAX_ATTRS)
			return;
	}
	a->v[a->n++] = (struct attr){xstrdup(var), xstrdup(name), xstrdup(value), line, secret};
}

static void attrs_free(struct attrs *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].var);
		free(a->v[i].name);
		free(a->v[i].value);
	}
}

/* ---------------------------------------------------------------- reading the file */

/* The quoted literals of a list expression `["a", "b", { k = "c" }]`, given to the attribute
 * (keys inside are not names here: the attribute's name and its variable decide). */
static void list_literals(struct attrs *a, const char *var, const char *name, const char *leaf,
                          struct hcl_span v, size_t line)
{
	size_t i = 0;
	while (i < v.len) {
		if (v.p[i] != '"') {
			i++;
			continue;
		}
		size_t s = ++i;
		while (i < v.len && v.p[i] != '"')
			i += v.p[i] == '\\' ? 2 : 1;
		if (i > v.len)
			i = v.len;
		struct hcl_span lit = {v.p + s, i - s};
		char *value = hcl_span_dup(lit);
		if (!strstr(value, "${") && !strstr(value, "%{"))
			attrs_add(a, var, name, leaf, value, line);
		free(value);
		i++;
	}
}

static int on_hcl(const struct hcl_event *ev, void *arg)
{
	struct attrs *a = arg;
	int list = ev->kind == HCL_EV_ATTR && ev->vkind == HCL_VAL_EXPR && ev->value.len &&
	           ev->value.p[0] == '[';
	if (ev->kind != HCL_EV_ATTR || (!list && !hcl_value_is_literal(ev)))
		return 0;
	for (unsigned i = 0; i < ev->depth; i++)
		if (!ev->frames[i].is_object)
			return 0; /* a block: not variable syntax */
	char *leaf = hcl_span_dup(ev->name), *value = hcl_span_dup(ev->value);
	char *var = hcl_span_dup(ev->depth ? ev->frames[0].type : ev->name);
	char *name = xstrdup(var);
	for (unsigned i = 1; i <= ev->depth; i++) {
		char *part = hcl_span_dup(i < ev->depth ? ev->frames[i].type : ev->name);
		char *joined = xasprintf("%s.%s", name, part);
		free(part);
		free(name);
		name = joined;
	}
	if (list)
		list_literals(a, var, name, leaf, ev->value, ev->line);
	else
		attrs_add(a, var, name, leaf, value, ev->line);
	free(leaf);
	free(value);
	free(var);
	free(name);
	return 0;
}

/* The 1-based line of the first "key" in the text (JSON has no positions in cJSON). */
static size_t json_line(const struct blob *b, const char *key)
{
	char *q = xasprintf("\"%s\"", key);
	const unsigned char *at = util_memmem(b->data, b->len, q, strlen(q));
	free(q);
	if (!at)
		return 0;
	size_t line = 1;
	for (const unsigned char *p = b->data; p < at; p++)
		line += *p == '\n';
	return line;
}

static void walk_json(struct attrs *a, const char *var, const char *prefix,
                      const cJSON *v, unsigned depth)
{
	if (depth > MAX_JSON_DEPTH)
		return;
	for (const cJSON *c = v->child; c; c = c->next) {
		const char *key = c->string ? c->string : "";
		char *name = c->string ? (prefix ? xasprintf("%s.%s", prefix, key) : xstrdup(key))
		                       : xstrdup(prefix ? prefix : "");
		const char *leaf = c->string ? key : (prefix ? strrchr(prefix, '.') : NULL);
		leaf = leaf ? (leaf[0] == '.' ? leaf + 1 : leaf) : (prefix ? prefix : "");
		const char *top = var ? var : key;
		if (cJSON_IsString(c))
			attrs_add(a, top, name, leaf, c->valuestring, 0); /* line: when reported */
		else if (cJSON_IsObject(c) || cJSON_IsArray(c))
			walk_json(a, top, name, c, depth + 1);
		free(name);
	}
}

/* ---------------------------------------------------------------- the .tf files beside it */

struct sensitive {
	struct strset names;
	uint64_t parse_bytes; /* the scan's limit, for .tf.json files */
	char *unread;         /* a .tf.json too large or complex to parse (then fail closed) */
};

static void sensitive_json(struct sensitive *s, const cJSON *vars)
{
	const cJSON *blocks[64];
	size_t nb = 0;
	if (cJSON_IsObject(vars))
		blocks[nb++] = vars;
	else if (cJSON_IsArray(vars))
		for (const cJSON *e = vars->child; e && nb < 64; e = e->next)
			if (cJSON_IsObject(e))
				blocks[nb++] = e;
	for (size_t i = 0; i < nb; i++)
		for (const cJSON *v = blocks[i]->child; v; v = v->next) {
			const cJSON *decl = cJSON_IsArray(v) ? v->child : v;
			for (; decl; decl = cJSON_IsArray(v) ? decl->next : NULL) {
				if (v->string && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(decl, "sensitive")))
					strset_add(&s->names, v->string, strlen(v->string));
				if (!cJSON_IsArray(v))
					break;
			}
		}
}

static int on_tf(const struct hcl_event *ev, void *arg)
{
	struct sensitive *s = arg;
	if (ev->kind == HCL_EV_ATTR && ev->depth == 1 && ev->frames[0].nlabels >= 1 &&
	    hcl_span_eq(ev->frames[0].type, "variable") && hcl_span_eq(ev->name, "sensitive") &&
	    (ev->vkind == HCL_VAL_BOOL || ev->vkind == HCL_VAL_STRING) &&
	    hcl_span_eq(ev->value, "true"))
		strset_add(&s->names, ev->frames[0].labels[0].p, ev->frames[0].labels[0].len);
	return 0;
}

static void on_sibling(const char *name, const unsigned char *data, size_t len, void *arg)
{
	struct sensitive *s = arg;
	if (util_ends_with(name, ".tf")) {
		hcl_scan((const char *)data, len, on_tf, s);
		return;
	}
	cJSON *root = NULL;
	enum json_status st = json_doc_parse(data, len, s->parse_bytes, &root);
	if (st == JSON_OK)
		sensitive_json(s, cJSON_GetObjectItemCaseSensitive(root, "variable"));
	else if ((st == JSON_TOO_LARGE || st == JSON_OVER_BUDGET) && !s->unread)
		s->unread = xstrdup(name);
	cJSON_Delete(root);
}

/* ---------------------------------------------------------------- report */

static void report(struct blob *b, const struct attrs *a, const int *hit, size_t nhit,
                   int checked)
{
	cJSON *d = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(d, "attributes");
	char names[200] = "";
	size_t listed = 0;
	for (size_t i = 0; i < a->n; i++) {
		if (!hit[i])
			continue;
		char red[64];
		finding_redact(a->v[i].value, strlen(a->v[i].value), red, sizeof(red));
		if (listed < MAX_REPORTED) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "name", a->v[i].name);
			size_t line = a->v[i].line;
			if (!line && util_ends_with(b->base, ".json")) {
				const char *leaf = strrchr(a->v[i].name, '.');
				line = json_line(b, leaf ? leaf + 1 : a->v[i].name);
			}
			if (line)
				cJSON_AddNumberToObject(o, "line", (double)line);
			cJSON_AddStringToObject(o, "value", red);
			cJSON_AddStringToObject(o, "because", hit[i] == 1 ? "name" : "declared sensitive");
			cJSON_AddItemToArray(arr, o);
		}
		if (listed < 3) {
			size_t w = strlen(names);
			snprintf(names + w, sizeof(names) - w, "%s%.60s%s", listed ? ", " : "",
			         a->v[i].name, hit[i] == 2 ? " (declared sensitive)" : "");
		}
		listed++;
	}
	cJSON_AddNumberToObject(d, "count", (double)nhit);
	cJSON_AddBoolToObject(d, "sensitive_declarations_checked", checked);
	char *msg = xasprintf("Terraform variable file sets %zu secret%s to a literal value (%s%s): "
	                      "pass secrets through TF_VAR_ environment variables or a secret "
	                      "manager, ignore *.tfvars, and rotate these values.",
	                      nhit, nhit == 1 ? "" : "s", names, nhit > 3 ? ", ..." : "");
	finding_list_add(b->ctx->out, "tf-vars-secret", SG_SEV_BLOCK, b->path, msg, d);
	free(msg);
}

int tf_vars_detect(struct blob *b)
{
	static const char *const suffixes[] = {".tf", ".tf.json", NULL};
	if (!tf_vars_name(b->base))
		return 0;
	struct attrs *a = xcalloc(1, sizeof(*a));
	struct sensitive s;
	int *hit = NULL, checked = 0;
	strset_init(&s.names);
	s.parse_bytes = b->ctx->limits->parse_bytes;
	s.unread = NULL;
	if (util_ends_with(b->base, ".json")) {
		if (b->json == JSON_NOT_TRIED) {
			/* the JSON gate did not parse it (no artifact keys): parse it here, and say so
			 * if it cannot be examined (detect.c reports the limit when it parsed) */
			b->json = json_doc_parse(b->data, b->len, b->ctx->limits->parse_bytes, &b->root);
			if (b->json == JSON_TOO_LARGE || b->json == JSON_OVER_BUDGET)
				finding_list_add(b->ctx->out, "scan-limit", SG_SEV_BLOCK, b->path,
				                 "Terraform variable file too large or complex to examine "
				                 "within limits.parse_bytes and the memory budget, so it is "
				                 "blocked unexamined. Check it; to examine it, raise "
				                 "limits.parse_bytes in the stateguard configuration.",
				                 NULL);
		}
		if (b->json == JSON_OK)
			walk_json(a, NULL, NULL, b->root, 0);
	} else {
		hcl_scan((const char *)b->data, b->len, on_hcl, a);
	}
	hit = xcalloc(a->n + 1, sizeof(*hit));
	size_t nhit = 0, rest = 0;
	for (size_t i = 0; i < a->n; i++) {
		hit[i] = a->v[i].secret;
		nhit += (size_t)hit[i];
		rest += (size_t)!hit[i];
	}
	if (rest && b->depth == 0 && b->ctx->siblings) {
		char err[512];
		int r = b->ctx->siblings->each(b->ctx->siblings, b->path, suffixes, on_sibling, &s, err,
		                               sizeof(err));
		/* fail closed when the declarations cannot be known; name hits are still reported */
		if (r < 0)
			finding_list_add_error(b->ctx->out, b->path,
			                       "cannot read the .tf files beside this variable file to "
			                       "see which variables are sensitive: %s",
			                       err);
		else if (s.unread)
			finding_list_add_error(b->ctx->out, b->path,
			                       "%s beside this variable file is too large or complex to "
			                       "parse within limits.parse_bytes, so which variables are "
			                       "sensitive is unknown; raise the limit to examine it",
			                       s.unread);
		checked = r == 0 && !s.unread;
		for (size_t i = 0; checked && i < a->n; i++)
			if (!hit[i] && strset_has(&s.names, a->v[i].var, strlen(a->v[i].var))) {
				hit[i] = 2;
				nhit++;
			}
	}
	if (nhit)
		report(b, a, hit, nhit, checked || !rest);
	strset_free(&s.names);
	free(s.unread);
	attrs_free(a);
	free(a);
	free(hit);
	return 0;
}
