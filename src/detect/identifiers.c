/*
 * identifiers: environment identifiers and built-in identifier shapes in one
 * blob. Matching of configured identifiers and fingerprints is policy/'s
 * (policy_find_identifiers); this file decides what a match means here and
 * writes findings. It never prints an identifier whole (finding_redact).
 */
#include "detect/identifiers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "detect/hcl.h"
#include "policy/idtoken.h"
#include "policy/policy.h"

#define MAX_EXAMPLES 3

/* --- built-in shapes ----------------------------------------------------------- */

enum builtin { B_ARN, B_ENDPOINT, B_RESOURCE_ID, B_AZURE, B_COUNT };

static const char *const builtin_rule[B_COUNT] = {"aws-arn", "aws-endpoint", "aws-resource-id",
                                                  "azure-subscription-id"};
static const char *const builtin_what[B_COUNT] = {
	"AWS ARN with an account id", "AWS resource hostname (RDS/Aurora, ELB, ElastiCache, CloudFront)",
	"EC2-style resource id", "Azure resource id with a subscription id"};

struct builtin_hits {
	size_t count[B_COUNT];
	cJSON *examples[B_COUNT];
};

static int all_of(const unsigned char *s, size_t n, int (*pred)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!pred(s[i]))
			return 0;
	return 1;
}

static int ends_with(const unsigned char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n > k && !memcmp(s + n - k, suf, k);
}

/* An ARN whose fifth field is 12 digits. */
static int arn_has_account(const unsigned char *s, size_t n)
{
	size_t field = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == ':') {
			if (field == 4)
				return i - start == 12 && all_of(s + start, 12, isdigit);
			field++;
			start = i + 1;
		}
	}
	return 0;
}

static int is_aws_endpoint(const unsigned char *s, size_t n)
{
	static const char *const sufs[] = {".rds.amazonaws.com", ".rds.amazonaws.com.cn",
	                                   ".elb.amazonaws.com", ".elb.amazonaws.com.cn",
	                                   ".cache.amazonaws.com", ".cache.amazonaws.com.cn", NULL};
	for (const char *const *q = sufs; *q; q++)
		if (ends_with(s, n, *q)) {
			size_t dots = 0;
			for (size_t i = 0; i < n; i++)
				dots += s[i] == '.';
			return dots >= 4; /* name.region.service.amazonaws.com at least */
		}
	/* d + 13 lowercase alnum + .cloudfront.net */
	if (n == 1 + 13 + 15 && s[0] == 'd' && ends_with(s, n, ".cloudfront.net")) {
		for (size_t i = 1; i < 14; i++)
			if (!islower(s[i]) && !isdigit(s[i]))
				return 0;
		return 1;
	}
	return 0;
}

static int is_ec2_id(const unsigned char *s, size_t n)
{
	static const char *const prefixes[] = {"vpc", "subnet", "sg", "i", "igw", "rtb", "eni", "vol",
	                                       "ami", "nat", "eipalloc", "snap", "acl", "tgw", "vpce",
	                                       "pcx", "lt", "eigw", "dopt", NULL};
	const unsigned char *dash = memchr(s, '-', n);
	if (!dash)
		return 0;
	size_t pl = (size_t)(dash - s), hl = n - pl - 1;
	if (hl != 8 && hl != 17)
		return 0;
	if (!all_of(dash + 1, hl, idtoken_is_lower_hex))
		return 0;
	/* all-digit tails are usually dates or counters, not ids */
	if (all_of(dash + 1, hl, isdigit))
		return 0;
	for (const char *const *p = prefixes; *p; p++)
		if (strlen(*p) == pl && !memcmp(s, *p, pl))
			return 1;
	return 0;
}

const char *identifiers_classify(const unsigned char *s, size_t len, int kind)
{
	if (kind == IDTOKEN_ACCOUNT)
		return "account id";
	if (kind == IDTOKEN_ARN)
		return arn_has_account(s, len) ? "arn" : NULL;
	if (is_aws_endpoint(s, len))
		return "endpoint";
	if (is_ec2_id(s, len))
		return "resource id";
	return NULL;
}

static void add_example(struct builtin_hits *h, enum builtin k, const unsigned char *s, size_t n)
{
	h->count[k]++;
	if (!h->examples[k])
		h->examples[k] = cJSON_CreateArray();
	if (!h->examples[k] || cJSON_GetArraySize(h->examples[k]) >= MAX_EXAMPLES)
		return;
	char buf[64];
	char *tmp = xstrndup((const char *)s, n);
	cJSON_AddItemToArray(h->examples[k], cJSON_CreateString(finding_redact(tmp, n, buf, sizeof(buf))));
	free(tmp);
}

static int builtin_token(const unsigned char *d, size_t off, size_t len, enum idtoken_kind kind,
                         void *arg)
{
	struct builtin_hits *h = arg;
	const unsigned char *s = d + off;
	if (kind == IDTOKEN_ARN && arn_has_account(s, len))
		add_example(h, B_ARN, s, len);
	else if (kind == IDTOKEN_NAME && is_aws_endpoint(s, len))
		add_example(h, B_ENDPOINT, s, len);
	else if (kind == IDTOKEN_NAME && is_ec2_id(s, len))
		add_example(h, B_RESOURCE_ID, s, len);
	return 0;
}

static int pos_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static void add_pos(size_t **v, size_t *n, size_t *cap, size_t pos)
{
	xgrow((void **)v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = pos;
}

/*
 * The built-in AWS shapes, token by token, but only in the runs that hold one of their
 * anchors: "arn:" (an ARN starts so), ".amazonaws.com" / ".cloudfront.net" (every endpoint
 * ends so) and '-' followed by 8 lowercase hex digits (every EC2-style id has one). Each such
 * run is handed to idtoken_scan_at, so a token is judged exactly as idtoken_scan would judge
 * it, without tokenising the whole blob.
 */
static void find_aws_shapes(const unsigned char *d, size_t len, unsigned shapes,
                            struct builtin_hits *h)
{
	static const struct {
		const char *s;
		unsigned shape;
	} anchors[] = {{"arn:", IDENT_SHAPES_ARN},
	               {".amazonaws.com", IDENT_SHAPES_HOST},
	               {".cloudfront.net", IDENT_SHAPES_HOST}};
	size_t *at = NULL, n = 0, cap = 0; /* anchor positions */
	for (size_t a = 0; a < sizeof(anchors) / sizeof(*anchors); a++) {
		if (!(shapes & anchors[a].shape))
			continue;
		size_t al = strlen(anchors[a].s);
		const unsigned char *p = d, *end = d + len;
		while ((p = util_memmem(p, (size_t)(end - p), anchors[a].s, al)) != NULL) {
			add_pos(&at, &n, &cap, (size_t)(p - d));
			p++;
		}
	}
	for (const unsigned char *p = d, *end = d + len;
	     (shapes & IDENT_SHAPES_EC2) && (p = memchr(p, '-', (size_t)(end - p))) != NULL; p++) {
		size_t pos = (size_t)(p - d), k = 1;
		while (k <= 8 && pos + k < len && idtoken_is_lower_hex(d[pos + k]))
			k++;
		if (k == 9)
			add_pos(&at, &n, &cap, pos);
	}
	if (n > 1)
		qsort(at, n, sizeof(*at), pos_cmp);
	size_t done = 0; /* anchors before this offset lie in a run already scanned */
	for (size_t r = 0; r < n; r++) {
		size_t s, e;
		if (at[r] < done)
			continue; /* the same run, met through another anchor */
		idtoken_scan_at(d, len, at[r], builtin_token, h, &s, &e);
		done = e > s ? e : at[r] + 1;
	}
	free(at);
}

static void find_azure(const unsigned char *d, size_t len, struct builtin_hits *h)
{
	static const char key[] = "/subscriptions/";
	const size_t kl = sizeof(key) - 1;
	size_t pos = 0;
	while (pos < len) {
		const unsigned char *hit = util_memcasemem(d + pos, len - pos, key, kl);
		if (!hit)
			break;
		size_t u = (size_t)(hit - d) + kl;
		pos = u;
		if (len - u < 36 + 16)
			break;
		int ok = 1;
		for (size_t i = 0; i < 36 && ok; i++) {
			int dash = i == 8 || i == 13 || i == 18 || i == 23;
			ok = dash ? d[u + i] == '-' : isxdigit(d[u + i]) != 0;
		}
		if (ok && !strncasecmp((const char *)d + u + 36, "/resourceGroups/", 16))
			add_example(h, B_AZURE, d + u, 36);
	}
}

static void report_builtins(struct scan_ctx *ctx, const char *path, struct builtin_hits *h)
{
	for (int k = 0; k < B_COUNT; k++) {
		if (!h->count[k])
			continue;
		cJSON *det = cJSON_CreateObject();
		if (det) {
			cJSON_AddNumberToObject(det, "occurrences", (double)h->count[k]);
			cJSON_AddItemToObject(det, "examples", h->examples[k]);
			h->examples[k] = NULL;
		}
		char *msg = xasprintf("%zu hard-coded %s%s: it ties this file to live infrastructure; "
		                      "if it is production's, list it in .stateguard.json environments",
		                      h->count[k], builtin_what[k], h->count[k] == 1 ? "" : "s");
		finding_list_add(ctx->out, builtin_rule[k], SG_SEV_WARN, path, msg, det);
		free(msg);
	}
	for (int k = 0; k < B_COUNT; k++)
		cJSON_Delete(h->examples[k]);
}

/* --- backend regions ------------------------------------------------------------- */

/* Offset just past the '}' matching the '{' at open, skipping strings and comments. */
static size_t match_brace(const unsigned char *d, size_t len, size_t open)
{
	int depth = 0;
	for (size_t i = open; i < len; i++) {
		unsigned char c = d[i];
		if (c == '"') {
			for (i++; i < len && d[i] != '"' && d[i] != '\n'; i++)
				if (d[i] == '\\')
					i++;
		} else if (c == '#' || (c == '/' && i + 1 < len && d[i + 1] == '/')) {
			while (i < len && d[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && d[i + 1] == '*') {
			const unsigned char *e = util_memmem(d + i + 2, len - i - 2, "*/", 2);
			i = e ? (size_t)(e - d) + 1 : len;
		} else if (c == '{') {
			depth++;
		} else if (c == '}' && --depth == 0) {
			return i + 1;
		}
	}
	return len;
}

static int partial_backend_name(const char *base)
{
	return util_ends_with(base, ".tfbackend") || util_ends_with(base, ".backend") ||
	       !strcmp(base, "backend.hcl") || !strcmp(base, "backend.conf") ||
	       !strcmp(base, "state.config");
}

static size_t skip_space(const unsigned char *d, size_t len, size_t i)
{
	while (i < len && isspace(d[i]))
		i++;
	return i;
}

struct hcl_regions {
	const unsigned char *base;
	identifiers_region_cb cb;
	void *arg;
};

/* Every value inside a backend, cloud or remote_state block (any depth) is a region. */
static int hcl_value(const struct hcl_event *ev, void *arg)
{
	struct hcl_regions *r = arg;
	if (ev->kind != HCL_EV_ATTR || ev->vkind == HCL_VAL_OBJECT)
		return 0;
	int in_backend = 0;
	for (unsigned d = 0; d < ev->depth && !in_backend; d++)
		in_backend = hcl_span_eq(ev->frames[d].type, "backend") ||
		             hcl_span_eq(ev->frames[d].type, "cloud") ||
		             hcl_span_eq(ev->frames[d].type, "remote_state");
	if (!in_backend || !ev->value.len)
		return 0;
	return r->cb((size_t)((const unsigned char *)ev->value.p - r->base), ev->value.len, r->arg);
}

static int is_hcl_name(const char *base)
{
	return util_ends_with(base, ".tf") || util_ends_with(base, ".tofu") ||
	       util_ends_with(base, ".hcl");
}

int identifiers_backend_regions(const char *path, const unsigned char *data, size_t len,
                                identifiers_region_cb cb, void *arg)
{
	const char *base = util_basename(path);
	if (partial_backend_name(base))
		return cb(0, len, arg);
	if (is_hcl_name(base)) {
		struct hcl_regions r = {data, cb, arg};
		return hcl_scan((const char *)data, len, hcl_value, &r);
	}
	/* JSON (backend snapshots, *.tf.json) and files of unknown type: the block text */
	static const char *const kws[] = {"backend", "cloud", "remote_state", "\"backend\"", NULL};
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (idtoken_is_ident_char(data[i - 1]) || data[i - 1] == '"'))
			continue;
		for (const char *const *k = kws; *k; k++) {
			size_t kl = strlen(*k);
			if (len - i < kl || memcmp(data + i, *k, kl))
				continue;
			size_t j = i + kl;
			if (j < len && idtoken_is_ident_char(data[j]))
				continue;
			j = skip_space(data, len, j);
			if (**k == '"') { /* JSON: "backend": { "type": ..., "config": {...} } */
				if (j >= len || data[j] != ':')
					continue;
				j = skip_space(data, len, j + 1);
			} else if (!strcmp(*k, "backend")) { /* backend "s3" { */
				if (j >= len || data[j] != '"')
					continue;
				const unsigned char *q = memchr(data + j + 1, '"', len - j - 1);
				if (!q)
					continue;
				j = skip_space(data, len, (size_t)(q - data) + 1);
			} else if (j < len && data[j] == '=') { /* remote_state = { */
				j = skip_space(data, len, j + 1);
			}
			if (j >= len || data[j] != '{')
				continue;
			size_t end = match_brace(data, len, j);
			int rc = cb(i, end - i, arg);
			if (rc)
				return rc;
			i = end - 1;
			break;
		}
	}
	return 0;
}

/* --- environments -------------------------------------------------------------------- */

struct env_hits {
	size_t count;
	int hashed;
	cJSON *examples;
};

struct ident_scan {
	const struct policy *p;
	const unsigned char *data; /* base of the offsets the callback reports */
	struct env_hits *hits;
};

static int ident_hit(size_t env, size_t off, size_t len, int hashed, void *arg)
{
	struct ident_scan *s = arg;
	struct env_hits *h = &s->hits[env];
	h->count++;
	h->hashed |= hashed;
	if (!h->examples)
		h->examples = cJSON_CreateArray();
	if (h->examples && cJSON_GetArraySize(h->examples) < MAX_EXAMPLES) {
		char buf[64];
		char *tmp = xstrndup((const char *)s->data + off, len);
		cJSON_AddItemToArray(h->examples,
		                     cJSON_CreateString(finding_redact(tmp, len, buf, sizeof(buf))));
		free(tmp);
	}
	return 0;
}

struct mismatch {
	struct scan_ctx *ctx;
	const char *path;
	const unsigned char *data;
	const int *home;
	int *reported; /* per environment: env-mismatch already reported */
	int failed;
};

static int backend_region(size_t off, size_t len, void *arg)
{
	struct mismatch *m = arg;
	const struct policy *p = m->ctx->policy;
	size_t n = policy_env_count(p);
	struct env_hits *hits = xcalloc(n, sizeof(*hits));
	struct ident_scan s = {p, m->data + off, hits};
	if (policy_find_identifiers(p, m->data + off, len, ident_hit, &s) < 0)
		m->failed = 1;
	const char *here = NULL;
	for (size_t e = 0; e < n; e++)
		if (m->home[e])
			here = policy_env_name(p, e);
	for (size_t b = 0; b < n; b++) {
		if (!hits[b].count || m->home[b] || m->reported[b]) {
			cJSON_Delete(hits[b].examples);
			continue;
		}
		const char *other = policy_env_name(p, b);
		cJSON *det = cJSON_CreateObject();
		if (det) {
			cJSON_AddStringToObject(det, "environment", here);
			cJSON_AddStringToObject(det, "names_environment", other);
			cJSON_AddItemToObject(det, "identifiers", hits[b].examples);
		} else {
			cJSON_Delete(hits[b].examples);
		}
		char *msg = xasprintf(
			"Backend configuration under %s's paths names %s's state (%s): running "
			"`terraform destroy` in this directory would act on %s, not %s. Point the backend "
			"at %s's own bucket, key, account or workspace.",
			here, other, hits[b].hashed ? "matches its fingerprints" : "bucket, key, account, workspace or endpoint",
			other, here, here);
		finding_list_add(m->ctx->out, "env-mismatch", SG_SEV_BLOCK, m->path, msg, det);
		free(msg);
		m->reported[b] = 1;
	}
	free(hits);
	return 0;
}

static int env_detect(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                      size_t len)
{
	const struct policy *p = ctx->policy;
	size_t n = policy_env_count(p);
	if (!n)
		return 0;
	char *rel = policy_relpath(p, path);
	int *home = xcalloc(n, sizeof(int)), *reported = xcalloc(n, sizeof(int)), any_home = 0;
	struct env_hits *hits = xcalloc(n, sizeof(*hits));
	int rc = 0;
	for (size_t e = 0; e < n; e++)
		any_home |= home[e] = policy_env_home(p, e, rel);

	if (any_home) {
		struct mismatch m = {ctx, path, data, home, reported, 0};
		identifiers_backend_regions(path, data, len, backend_region, &m);
		if (m.failed)
			rc = -1;
	}

	struct ident_scan s = {p, data, hits};
	if (policy_find_identifiers(p, data, len, ident_hit, &s) < 0)
		rc = -1;
	for (size_t e = 0; e < n; e++) {
		if (!hits[e].count || home[e] || reported[e]) {
			cJSON_Delete(hits[e].examples);
			continue;
		}
		const char *name = policy_env_name(p, e);
		cJSON *det = cJSON_CreateObject();
		if (det) {
			cJSON_AddStringToObject(det, "environment", name);
			cJSON_AddNumberToObject(det, "occurrences", (double)hits[e].count);
			cJSON_AddStringToObject(det, "matched_by",
			                        hits[e].hashed ? "fingerprint" : "identifier");
			cJSON_AddItemToObject(det, "identifiers", hits[e].examples);
		} else {
			cJSON_Delete(hits[e].examples);
		}
		char *msg = xasprintf(
			"%zu identifier%s of environment %s (%s) outside %s's paths: this file exposes or "
			"targets %s. Keep %s's identifiers under its paths, or read them from variables.",
			hits[e].count, hits[e].count == 1 ? "" : "s", name,
			hits[e].hashed ? "matched by fingerprint" : "account id, bucket, endpoint, ARN, ...",
			name, name, name);
		finding_list_add(ctx->out, "prod-identifier", SG_SEV_BLOCK, path, msg, det);
		free(msg);
	}
	free(hits);
	free(home);
	free(reported);
	free(rel);
	return rc;
}

int identifiers_detect(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                       size_t len, unsigned shapes)
{
	const char *bang = strchr(path, '!');
	const char *top_end = bang ? bang : path + strlen(path);
	const char *slash = top_end;
	while (slash > path && slash[-1] != '/')
		slash--;
	/* the policy file lists identifiers on purpose */
	if ((size_t)(top_end - slash) == strlen(POLICY_FILE) && !memcmp(slash, POLICY_FILE, strlen(POLICY_FILE)))
		return 0;
	int rc = env_detect(ctx, path, data, len);
	if (shapes) {
		struct builtin_hits h;
		memset(&h, 0, sizeof(h));
		if (shapes & IDENT_SHAPES_AWS)
			find_aws_shapes(data, len, shapes, &h);
		if (shapes & IDENT_SHAPES_AZURE)
			find_azure(data, len, &h);
		report_builtins(ctx, path, &h);
	}
	return rc;
}
