/*
 * config: strict parsing of .stateguard.json into struct policy. Every error
 * names the file, line and key (cJSON keeps no positions: lines are recovered
 * by walking the text in the order cJSON built its tree). It does not apply the
 * policy (allow.c) or match identifiers (env.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/util.h"
#include "policy/glob.h"
#include "policy/policy_int.h"
#include "policy/rules.h"

const char *const policy_limit_names[LIMIT_COUNT + 1] = {
	"archive_depth", "archive_bytes", "member_bytes", "archive_members",
	"archive_ratio", "parse_bytes",   "file_bytes",    "inflated_bytes", NULL,
};

struct cfg {
	const char *name;
	const char *text;
	size_t len;
	const cJSON *root;
	char *err;
	size_t errsz;
	struct policy *p;
};

/* --- line numbers --------------------------------------------------------- */

struct linewalk {
	const char *s;
	size_t len, pos;
	int line;
	const cJSON *target;
	int found;
};

static void lw_ws(struct linewalk *w)
{
	while (w->pos < w->len && strchr(" \t\r\n", w->s[w->pos])) {
		if (w->s[w->pos] == '\n')
			w->line++;
		w->pos++;
	}
}

static void lw_string(struct linewalk *w)
{
	w->pos++; /* opening quote */
	while (w->pos < w->len && w->s[w->pos] != '"') {
		if (w->s[w->pos] == '\\')
			w->pos++;
		w->pos++;
	}
	w->pos++;
}

/* Walks one value; sets w->found when node == target (line of `line_of`). */
static void lw_value(struct linewalk *w, const cJSON *node, int line_of)
{
	lw_ws(w);
	if (node == w->target) {
		w->found = line_of ? line_of : w->line;
		return;
	}
	if (w->pos >= w->len)
		return;
	char c = w->s[w->pos];
	if (c == '{' || c == '[') {
		w->pos++;
		const cJSON *ch = node ? node->child : NULL;
		for (;;) {
			lw_ws(w);
			if (w->pos >= w->len || w->s[w->pos] == '}' || w->s[w->pos] == ']' || !ch)
				break;
			int key_line = 0;
			if (c == '{') {
				key_line = w->line;
				lw_string(w);
				lw_ws(w);
				w->pos++; /* ':' */
			}
			lw_value(w, ch, key_line);
			if (w->found)
				return;
			lw_ws(w);
			if (w->pos < w->len && w->s[w->pos] == ',')
				w->pos++;
			ch = ch->next;
		}
		w->pos++;
	} else if (c == '"') {
		lw_string(w);
	} else {
		while (w->pos < w->len && !strchr(",]} \t\r\n", w->s[w->pos]))
			w->pos++;
	}
}

static int line_of_node(const struct cfg *c, const cJSON *node)
{
	struct linewalk w = {c->text, c->len, 0, 1, node, 0};
	lw_value(&w, c->root, 0);
	return w.found ? w.found : 1;
}

static int line_of_offset(const char *text, size_t len, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off && i < len; i++)
		line += text[i] == '\n';
	return line;
}

static int fail(struct cfg *c, const cJSON *node, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct cfg *c, const cJSON *node, const char *key, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsz, "%s:%d: \"%s\": %s", c->name, line_of_node(c, node), key, msg);
	return -1;
}

/* --- helpers -------------------------------------------------------------- */

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

/* Checks that obj is an object whose keys are all in `allowed` (NULL-terminated) and unique. */
static int check_object(struct cfg *c, const cJSON *obj, const char *key,
                        const char *const *allowed)
{
	if (!cJSON_IsObject(obj))
		return fail(c, obj, key, "must be an object, not %s", type_name(obj));
	for (const cJSON *e = obj->child; e; e = e->next) {
		for (const cJSON *d = obj->child; d != e; d = d->next)
			if (!strcmp(d->string, e->string))
				return fail(c, e, key, "duplicate key \"%s\"", e->string);
		if (!allowed)
			continue;
		const char *const *a = allowed;
		while (*a && strcmp(*a, e->string))
			a++;
		if (!*a) {
			char list[200] = "";
			for (a = allowed; *a; a++) {
				strncat(list, *a, sizeof(list) - strlen(list) - 1);
				if (a[1])
					strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			}
			return fail(c, e, key, "unknown key \"%s\" (known keys: %s)", e->string, list);
		}
	}
	return 0;
}

/* Reads an array of strings into a new vector. */
static int string_array(struct cfg *c, const cJSON *arr, const char *key, char ***out,
                        size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!cJSON_IsArray(arr))
		return fail(c, arr, key, "must be an array of strings, not %s", type_name(arr));
	size_t cnt = (size_t)cJSON_GetArraySize(arr), i = 0;
	*out = xcalloc(cnt + 1, sizeof(char *));
	for (const cJSON *e = arr->child; e; e = e->next, i++) {
		if (!cJSON_IsString(e))
			return fail(c, e, key, "element %zu must be a string, not %s", i, type_name(e));
		if (!e->valuestring[0])
			return fail(c, e, key, "element %zu is empty", i);
		(*out)[(*n)++] = xstrdup(e->valuestring);
	}
	return 0;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Parses "sha256:<salt>:<64 lowercase hex>"; returns 0 or -1 with a reason. */
static int parse_fingerprint(const char *s, char **salt, unsigned char digest[32],
                             const char **why)
{
	if (strncmp(s, "sha256:", 7)) {
		*why = "must start with \"sha256:\" (as printed by stateguard learn --hash)";
		return -1;
	}
	const char *sb = s + 7, *se = strchr(sb, ':');
	if (!se || se == sb || se - sb > 64) {
		*why = "must look like sha256:<salt>:<64 hex digits>";
		return -1;
	}
	for (const char *q = sb; q < se; q++)
		if (!isalnum((unsigned char)*q)) {
			*why = "the salt may only hold letters and digits";
			return -1;
		}
	const char *h = se + 1;
	if (strlen(h) != 64) {
		*why = "the digest must be 64 lowercase hex digits";
		return -1;
	}
	for (int i = 0; i < 32; i++) {
		int hi = hexval(h[2 * i]), lo = hexval(h[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			*why = "the digest must be 64 lowercase hex digits";
			return -1;
		}
		digest[i] = (unsigned char)(hi << 4 | lo);
	}
	*salt = xstrndup(sb, (size_t)(se - sb));
	return 0;
}

static int valid_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return 0;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 2000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static int valid_blob_id(const char *s)
{
	size_t n = strlen(s);
	if (n != 40 && n != 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (hexval(s[i]) < 0)
			return 0;
	return 1;
}

/* --- sections ------------------------------------------------------------- */

static int parse_environments(struct cfg *c, const cJSON *envs)
{
	static const char *const env_keys[] = {"paths", "identifiers", "fingerprints", NULL};
	char key[300];
	if (check_object(c, envs, "environments", NULL) < 0)
		return -1;
	struct policy *p = c->p;
	size_t n = (size_t)cJSON_GetArraySize(envs);
	p->envs = xcalloc(n + 1, sizeof(*p->envs));
	for (const cJSON *e = envs->child; e; e = e->next) {
		snprintf(key, sizeof(key), "environments.%s", e->string);
		if (!e->string[0])
			return fail(c, e, key, "an environment needs a name");
		for (const char *q = e->string; *q; q++)
			if (!isalnum((unsigned char)*q) && !strchr("-_.", *q))
				return fail(c, e, key,
				            "environment names may hold letters, digits, '-', '_' and '.'");
		if (check_object(c, e, key, env_keys) < 0)
			return -1;
		struct policy_env *env = &p->envs[p->nenvs++];
		env->name = xstrdup(e->string);
		const cJSON *paths = cJSON_GetObjectItemCaseSensitive(e, "paths");
		const cJSON *ids = cJSON_GetObjectItemCaseSensitive(e, "identifiers");
		const cJSON *fps = cJSON_GetObjectItemCaseSensitive(e, "fingerprints");
		if (paths) {
			snprintf(key, sizeof(key), "environments.%s.paths", e->string);
			if (string_array(c, paths, key, &env->paths, &env->npaths) < 0)
				return -1;
			size_t i = 0;
			for (const cJSON *g = paths->child; g; g = g->next, i++) {
				char why[200];
				if (glob_check(g->valuestring, why, sizeof(why)) < 0)
					return fail(c, g, key, "malformed glob \"%s\": %s", g->valuestring, why);
			}
		}
		if (ids) {
			snprintf(key, sizeof(key), "environments.%s.identifiers", e->string);
			if (string_array(c, ids, key, &env->idents, &env->nidents) < 0)
				return -1;
			size_t i = 0;
			for (const cJSON *g = ids->child; g; g = g->next, i++) {
				size_t l = strlen(g->valuestring);
				if (l < 3)
					return fail(c, g, key,
					            "identifier \"%s\" is shorter than 3 characters: it would "
					            "match almost anywhere",
					            g->valuestring);
				if (isspace((unsigned char)g->valuestring[0]) ||
				    isspace((unsigned char)g->valuestring[l - 1]))
					return fail(c, g, key, "identifier %zu starts or ends with white space",
					            i);
			}
		}
		if (fps) {
			snprintf(key, sizeof(key), "environments.%s.fingerprints", e->string);
			if (!cJSON_IsArray(fps))
				return fail(c, fps, key, "must be an array of strings, not %s",
				            type_name(fps));
			size_t cnt = (size_t)cJSON_GetArraySize(fps), i = 0;
			p->fps = xrealloc(p->fps, (p->nfps + cnt + 1) * sizeof(*p->fps));
			for (const cJSON *g = fps->child; g; g = g->next, i++) {
				const char *why;
				char *salt;
				struct policy_fp *fp = &p->fps[p->nfps];
				if (!cJSON_IsString(g))
					return fail(c, g, key, "element %zu must be a string, not %s", i,
					            type_name(g));
				if (parse_fingerprint(g->valuestring, &salt, fp->digest, &why) < 0)
					return fail(c, g, key, "fingerprint %zu %s", i, why);
				size_t s = 0;
				while (s < p->nsalts && strcmp(p->salts[s], salt))
					s++;
				if (s == p->nsalts) {
					p->salts = xrealloc(p->salts, (p->nsalts + 1) * sizeof(char *));
					p->salts[p->nsalts++] = salt;
				} else {
					free(salt);
				}
				fp->salt = s;
				fp->env = p->nenvs - 1;
				p->nfps++;
				env->nfps++;
			}
		}
	}
	return 0;
}

static int parse_rules(struct cfg *c, const cJSON *rules)
{
	if (check_object(c, rules, "rules", NULL) < 0)
		return -1;
	struct policy *p = c->p;
	p->rules = xcalloc((size_t)cJSON_GetArraySize(rules) + 1, sizeof(*p->rules));
	for (const cJSON *e = rules->child; e; e = e->next) {
		char key[200];
		int sev;
		snprintf(key, sizeof(key), "rules.%s", e->string);
		if (!rules_find(e->string))
			return fail(c, e, key, "unknown rule id \"%s\" (see the rule list in the README)",
			            e->string);
		if (!strcmp(e->string, "scan-error"))
			return fail(c, e, key,
			            "scan errors cannot be configured: stateguard never passes content it "
			            "could not examine");
		if (!cJSON_IsString(e))
			return fail(c, e, key, "must be \"block\", \"warn\", \"info\" or \"off\", not %s",
			            type_name(e));
		if (severity_parse(e->valuestring, &sev) < 0)
			return fail(c, e, key, "must be \"block\", \"warn\", \"info\" or \"off\", not \"%s\"",
			            e->valuestring);
		p->rules[p->nrules].id = xstrdup(e->string);
		p->rules[p->nrules++].sev = sev;
	}
	return 0;
}

static int parse_allow(struct cfg *c, const cJSON *allow)
{
	static const char *const keys[] = {"path", "blob", "rules", "reason", "expires", "owner", NULL};
	struct policy *p = c->p;
	if (!cJSON_IsArray(allow))
		return fail(c, allow, "allow", "must be an array of objects, not %s", type_name(allow));
	p->allows = xcalloc((size_t)cJSON_GetArraySize(allow) + 1, sizeof(*p->allows));
	size_t i = 0;
	for (const cJSON *e = allow->child; e; e = e->next, i++) {
		char key[100], why[200];
		snprintf(key, sizeof(key), "allow[%zu]", i);
		if (check_object(c, e, key, keys) < 0)
			return -1;
		struct policy_allow *a = &p->allows[p->nallows++];
		a->line = line_of_node(c, e);
		const cJSON *v;
		for (const char *const *k = keys; *k; k++) {
			v = cJSON_GetObjectItemCaseSensitive(e, *k);
			if (!v || !strcmp(*k, "rules"))
				continue;
			snprintf(key, sizeof(key), "allow[%zu].%s", i, *k);
			if (!cJSON_IsString(v))
				return fail(c, v, key, "must be a string, not %s", type_name(v));
			if (!v->valuestring[0])
				return fail(c, v, key, "must not be empty");
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(e, "path"))) {
			snprintf(key, sizeof(key), "allow[%zu].path", i);
			if (glob_check(v->valuestring, why, sizeof(why)) < 0)
				return fail(c, v, key, "malformed glob \"%s\": %s", v->valuestring, why);
			a->path = xstrdup(v->valuestring);
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(e, "blob"))) {
			snprintf(key, sizeof(key), "allow[%zu].blob", i);
			if (!valid_blob_id(v->valuestring))
				return fail(c, v, key, "must be a full git blob id (40 or 64 lowercase hex digits)");
			a->blob = xstrdup(v->valuestring);
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(e, "rules"))) {
			snprintf(key, sizeof(key), "allow[%zu].rules", i);
			if (string_array(c, v, key, &a->rules, &a->nrules) < 0)
				return -1;
			if (!a->nrules)
				return fail(c, v, key, "an empty list would allow nothing: remove the key to "
				                       "allow every rule");
			for (const cJSON *r = v->child; r; r = r->next)
				if (!rules_find(r->valuestring))
					return fail(c, r, key, "unknown rule id \"%s\"", r->valuestring);
				else if (!strcmp(r->valuestring, "scan-error"))
					return fail(c, r, key, "scan errors cannot be allowed");
		}
		snprintf(key, sizeof(key), "allow[%zu]", i);
		if ((v = cJSON_GetObjectItemCaseSensitive(e, "reason")))
			a->reason = xstrdup(v->valuestring);
		else
			return fail(c, e, key, "every allow entry needs a \"reason\"");
		if ((v = cJSON_GetObjectItemCaseSensitive(e, "owner")))
			a->owner = xstrdup(v->valuestring);
		if ((v = cJSON_GetObjectItemCaseSensitive(e, "expires"))) {
			snprintf(key, sizeof(key), "allow[%zu].expires", i);
			if (!valid_date(v->valuestring))
				return fail(c, v, key, "must be a date YYYY-MM-DD, not \"%s\"", v->valuestring);
			memcpy(a->expires, v->valuestring, 11);
		}
		if (!a->path && !a->blob)
			return fail(c, e, key, "needs a \"path\" glob, a \"blob\" id or both");
		cJSON *dup = cJSON_Duplicate(e, 1);
		a->canon = dup ? cJSON_PrintUnformatted(dup) : NULL;
		cJSON_Delete(dup);
		if (!a->canon) {
			sg_error("out of memory reading the configuration");
			exit(SG_EXIT_ERROR);
		}
	}
	return 0;
}

static int parse_limits(struct cfg *c, const cJSON *lim)
{
	if (check_object(c, lim, "limits", (const char *const *)policy_limit_names) < 0)
		return -1;
	for (const cJSON *e = lim->child; e; e = e->next) {
		char key[100];
		int k = 0;
		while (strcmp(policy_limit_names[k], e->string))
			k++;
		snprintf(key, sizeof(key), "limits.%s", e->string);
		if (!cJSON_IsNumber(e))
			return fail(c, e, key, "must be a number, not %s", type_name(e));
		double d = e->valuedouble;
		if (d < 1 || d > 9007199254740992.0 || d != (double)(uint64_t)d)
			return fail(c, e, key, "must be a positive whole number");
		if (k == 0 && d > 64)
			return fail(c, e, key, "archive_depth above 64 is not supported");
		c->p->has_limit[k] = 1;
		c->p->limit[k] = (uint64_t)d;
	}
	return 0;
}

static int parse_contexts(struct cfg *c, const cJSON *ctx)
{
	if (check_object(c, ctx, "contexts", (const char *const *)policy_context_names) < 0)
		return -1;
	for (int k = 0; k < CTX_COUNT; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctx, policy_context_names[k]);
		char key[64];
		if (!v)
			continue;
		snprintf(key, sizeof(key), "contexts.%s", policy_context_names[k]);
		if (string_array(c, v, key, &c->p->ctx[k], &c->p->nctx[k]) < 0)
			return -1;
		c->p->has_ctx[k] = 1;
		for (const cJSON *g = v->child; g; g = g->next) {
			char why[200];
			if (glob_check(g->valuestring, why, sizeof(why)) < 0)
				return fail(c, g, key, "malformed glob \"%s\": %s", g->valuestring, why);
		}
	}
	return 0;
}

static int parse_server(struct cfg *c, const cJSON *srv)
{
	static const char *const keys[] = {"repository_config", NULL};
	if (check_object(c, srv, "server", keys) < 0)
		return -1;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(srv, "repository_config");
	if (v) {
		if (!cJSON_IsBool(v))
			return fail(c, v, "server.repository_config", "must be true or false, not %s",
			            type_name(v));
		c->p->repository_config = cJSON_IsTrue(v);
	}
	return 0;
}

int policy_parse(struct policy **out, const char *name, const char *text, size_t len, char *err,
                 size_t errsz)
{
	static const char *const top[] = {"environments", "rules", "allow", "limits", "server",
	                                  "contexts", NULL};
	struct cfg c = {name, text, len, NULL, err, errsz, NULL};
	const char *end = NULL;
	int rc = -1;
	*out = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root) {
		size_t off = end && end >= text ? (size_t)(end - text) : 0;
		snprintf(err, errsz, "%s:%d: not valid JSON (near byte %zu)", name,
		         line_of_offset(text, len, off), off);
		goto done;
	}
	size_t off = (size_t)(end - text);
	while (off < len && strchr(" \t\r\n", text[off]))
		off++;
	if (off < len) {
		snprintf(err, errsz, "%s:%d: unexpected content after the JSON document", name,
		         line_of_offset(text, len, off));
		goto done;
	}
	c.root = root;
	c.p = xcalloc(1, sizeof(*c.p));
	if (check_object(&c, root, "(document)", top) < 0)
		goto done;
	const cJSON *v;
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "environments")) &&
	    parse_environments(&c, v) < 0)
		goto done;
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "rules")) && parse_rules(&c, v) < 0)
		goto done;
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "allow")) && parse_allow(&c, v) < 0)
		goto done;
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "limits")) && parse_limits(&c, v) < 0)
		goto done;
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "server")) && parse_server(&c, v) < 0)
		goto done;
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "contexts")) && parse_contexts(&c, v) < 0)
		goto done;
	policy_index(c.p);
	*out = c.p;
	c.p = NULL;
	rc = 0;
done:
	policy_free(c.p);
	cJSON_Delete(root);
	return rc;
}

int policy_load_file(struct policy **out, const char *path, char *err, size_t errsz)
{
	unsigned char *data = NULL;
	size_t len;
	int r = util_read_file(path, 64u << 20, &data, &len);
	if (r != 0) {
		if (r > 0)
			snprintf(err, errsz, "%s: the configuration file is larger than 64 MiB", path);
		else
			snprintf(err, errsz, "%s: cannot read the configuration file: %s", path,
			         strerror(errno));
		free(data);
		return -1;
	}
	int rc = policy_parse(out, path, (const char *)data, len, err, errsz);
	free(data);
	return rc;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nenvs; i++) {
		free(p->envs[i].name);
		free_strv(p->envs[i].paths, p->envs[i].npaths);
		free_strv(p->envs[i].idents, p->envs[i].nidents);
	}
	free(p->envs);
	for (size_t i = 0; i < p->nrules; i++)
		free(p->rules[i].id);
	free(p->rules);
	for (size_t i = 0; i < p->nallows; i++) {
		struct policy_allow *a = &p->allows[i];
		free(a->path);
		free(a->blob);
		free_strv(a->rules, a->nrules);
		free(a->reason);
		free(a->owner);
		free(a->canon);
	}
	free(p->allows);
	free_strv(p->salts, p->nsalts);
	free(p->fps);
	free(p->lits);
	for (int k = 0; k < CTX_COUNT; k++)
		free_strv(p->ctx[k], p->nctx[k]);
	free(p->root);
	free(p->cwd);
	free(p);
}

/* The nearest .stateguard.json in dir or above; *root gets its directory. NULL if none. */
static char *discover(const char *dir, char **root)
{
	char *d = realpath(dir, NULL);
	*root = NULL;
	if (!d)
		return NULL;
	for (;;) {
		char *cand = xasprintf("%s%s%s", d, strcmp(d, "/") ? "/" : "", POLICY_FILE);
		if (access(cand, F_OK) == 0) {
			*root = d;
			return cand;
		}
		free(cand);
		char *slash = strrchr(d, '/');
		if (!slash || slash == d) {
			if (strcmp(d, "/")) {
				d[1] = 0;
				continue;
			}
			break;
		}
		*slash = 0;
	}
	free(d);
	return NULL;
}

int policy_locate(const char *file, char **path, char **root)
{
	*path = file ? NULL : discover(".", root);
	if (*path)
		return 0;
	if (!(*root = realpath(".", NULL)))
		return -1;
	*path = xstrdup(file ? file : POLICY_FILE);
	return 0;
}

int policy_load_rooted(struct policy **out, const char *path, const char *root, int missing_ok,
                       char *err, size_t errsz)
{
	*out = NULL;
	if (missing_ok && access(path, F_OK) != 0 && errno == ENOENT) {
		if (policy_parse(out, path, "{}", 2, err, errsz) < 0)
			return -1;
	} else if (policy_load_file(out, path, err, errsz) < 0) {
		return -1;
	}
	policy_set_root(*out, root);
	return 0;
}

void policy_limits(const struct policy *p, struct scan_limits *l)
{
	if (!p)
		return;
	uint64_t *dst[LIMIT_COUNT] = {NULL,           &l->archive_bytes, &l->member_bytes,
	                              &l->archive_members, &l->archive_ratio, &l->parse_bytes,
	                              &l->file_bytes, &l->inflated_bytes};
	for (int k = 0; k < LIMIT_COUNT; k++) {
		if (!p->has_limit[k])
			continue;
		if (k == 0)
			l->archive_depth = (unsigned)p->limit[k];
		else
			*dst[k] = p->limit[k];
	}
}

int policy_repository_config(const struct policy *p)
{
	return p ? p->repository_config : 0;
}
