/*
 * learn: identifier collection from state. Every string value of the document
 * (state v4/legacy, show -json, plan JSON: they differ in layout, not in where
 * identifiers live) is tokenized like scanned content; tokens with a built-in
 * shape are kept, and so are whole values of bucket/endpoint-like attributes.
 */
#include "policy/learn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "core/util.h"
#include "detect/identifiers.h"
#include "policy/idtoken.h"

struct learn {
	char **v;
	const char **kind;
	size_t n, cap;
};

struct learn *learn_new(void)
{
	return xcalloc(1, sizeof(struct learn));
}

void learn_free(struct learn *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->kind);
	free(l);
}

static int learn_put(struct learn *l, const char *s, size_t n, const char *kind)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == n && !memcmp(l->v[i], s, n))
			return 0;
	size_t cap = l->cap;
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	xgrow((void **)&l->kind, &cap, l->n + 1, sizeof(*l->kind));
	l->v[l->n] = xstrndup(s, n);
	l->kind[l->n++] = kind;
	return 1;
}

struct tokctx {
	struct learn *l;
	size_t added;
};

static int on_token(const unsigned char *d, size_t off, size_t len, enum idtoken_kind kind, void *arg)
{
	struct tokctx *t = arg;
	const char *k = identifiers_classify(d + off, len, (int)kind);
	if (k)
		t->added += (size_t)learn_put(t->l, (const char *)d + off, len, k);
	return 0;
}

static int named_attribute(const char *key)
{
	static const char *const keys[] = {"bucket", "bucket_name", "bucket_domain_name",
	                                   "bucket_regional_domain_name", "endpoint", "address",
	                                   "dns_name", "hostname", "fqdn", "domain_name",
	                                   "subscription_id", "tenant_id", "account_id", "workspace",
	                                   "storage_account_name", "dynamodb_table", NULL};
	for (const char *const *k = keys; *k; k++)
		if (!strcmp(key, *k))
			return 1;
	return 0;
}

static int skipped_key(const char *key)
{
	static const char *const keys[] = {"lineage", "terraform_version", "provider", "format_version",
	                                   "schema_version", "private", "sensitive_attributes",
	                                   "check_results", "type", "mode", "name", NULL};
	for (const char *const *k = keys; *k; k++)
		if (!strcmp(key, *k))
			return 1;
	return 0;
}

static void walk(struct tokctx *t, const cJSON *v, int depth)
{
	if (depth > 200)
		return;
	for (const cJSON *c = v->child; c; c = c->next) {
		if (c->string && skipped_key(c->string) && depth < 4)
			continue;
		if (cJSON_IsString(c) && c->valuestring[0]) {
			const unsigned char *s = (const unsigned char *)c->valuestring;
			size_t n = strlen(c->valuestring);
			idtoken_scan(s, n, on_token, t);
			/* an endpoint attribute may carry ":port" */
			const char *colon = strrchr(c->valuestring, ':');
			if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1))
				n = (size_t)(colon - c->valuestring);
			if (c->string && named_attribute(c->string) && n >= 3 && n <= 253 &&
			    !memchr(c->valuestring, ':', n) && !strpbrk(c->valuestring, " \t\n\"'$"))
				t->added += (size_t)learn_put(t->l, c->valuestring, n, "name");
		} else if (cJSON_IsArray(c) || cJSON_IsObject(c)) {
			walk(t, c, depth + 1);
		}
	}
}

size_t learn_add_document(struct learn *l, const cJSON *doc)
{
	struct tokctx t = {l, 0};
	walk(&t, doc, 0);
	return t.added;
}

size_t learn_count(const struct learn *l)
{
	return l->n;
}

void learn_summary(const struct learn *l, char *buf, size_t bufsz)
{
	static const char *const kinds[] = {"account id", "arn", "endpoint", "resource id", "name", NULL};
	static const char *const labels[] = {"account ids", "ARNs", "endpoints", "resource ids",
	                                     "bucket/endpoint names", NULL};
	size_t w = 0;
	buf[0] = 0;
	for (int k = 0; kinds[k]; k++) {
		size_t c = 0;
		for (size_t i = 0; i < l->n; i++)
			c += !strcmp(l->kind[i], kinds[k]);
		if (c && w < bufsz)
			w += (size_t)snprintf(buf + w, bufsz - w, "%s%zu %s", w ? ", " : "", c, labels[k]);
	}
}

struct probe {
	size_t n;
	int whole;
};

static int on_probe(const unsigned char *d, size_t off, size_t len, enum idtoken_kind kind,
                    void *arg)
{
	(void)d;
	(void)kind;
	struct probe *p = arg;
	if (off == 0 && len == p->n)
		p->whole = 1;
	return 0;
}

/* 1 if scanning would produce exactly s as one candidate token (else no fingerprint can match it). */
static int is_candidate(const char *s)
{
	struct probe p = {strlen(s), 0};
	idtoken_scan((const unsigned char *)s, p.n, on_probe, &p);
	return p.whole;
}

static cJSON *ensure(cJSON *obj, const char *key, int array)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v)
		v = array ? cJSON_AddArrayToObject(obj, key) : cJSON_AddObjectToObject(obj, key);
	return v;
}

static int has_string(const cJSON *arr, const char *s)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return 1;
	return 0;
}

int learn_write(const struct learn *l, cJSON *doc, const char *env, char *const *paths,
                size_t npaths, int hash, size_t *skipped, char *err, size_t errsz)
{
	*skipped = 0;
	cJSON *envs = ensure(doc, "environments", 0);
	cJSON *e = envs ? ensure(envs, env, 0) : NULL;
	if (!e || !cJSON_IsObject(e)) {
		snprintf(err, errsz, "cannot build environment %s in the configuration", env);
		return -1;
	}
	if (npaths) {
		cJSON *pa = ensure(e, "paths", 1);
		for (size_t i = 0; i < npaths; i++)
			if (!has_string(pa, paths[i]))
				cJSON_AddItemToArray(pa, cJSON_CreateString(paths[i]));
	}
	if (!hash) {
		cJSON *ids = ensure(e, "identifiers", 1);
		for (size_t i = 0; i < l->n; i++)
			if (!has_string(ids, l->v[i]))
				cJSON_AddItemToArray(ids, cJSON_CreateString(l->v[i]));
		return 0;
	}
	cJSON *fps = ensure(e, "fingerprints", 1);
	char salt[65] = "";
	const cJSON *first = cJSON_GetArrayItem(fps, 0);
	if (cJSON_IsString(first) && !strncmp(first->valuestring, "sha256:", 7)) {
		const char *sb = first->valuestring + 7, *se = strchr(sb, ':');
		if (se && se - sb < (long)sizeof(salt))
			snprintf(salt, sizeof(salt), "%.*s", (int)(se - sb), sb);
	}
	if (!salt[0]) {
		unsigned char rnd[8];
		if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
			snprintf(err, errsz, "cannot get random bytes for the salt");
			return -1;
		}
		for (int i = 0; i < 8; i++)
			snprintf(salt + 2 * i, 3, "%02x", rnd[i]);
	}
	for (size_t i = 0; i < l->n; i++) {
		unsigned char d[32];
		char fp[7 + 65 + 1 + 64 + 1];
		if (!is_candidate(l->v[i])) {
			(*skipped)++;
			continue;
		}
		if (idtoken_hash(salt, (const unsigned char *)l->v[i], strlen(l->v[i]), d) < 0) {
			snprintf(err, errsz, "SHA-256 failed (libcrypto)");
			return -1;
		}
		int k = snprintf(fp, sizeof(fp), "sha256:%s:", salt);
		for (int j = 0; j < 32; j++)
			k += snprintf(fp + k, sizeof(fp) - (size_t)k, "%02x", d[j]);
		if (!has_string(fps, fp))
			cJSON_AddItemToArray(fps, cJSON_CreateString(fp));
	}
	return 0;
}
