/*
 * learn: identifier collection from state. Every string value of the document
 * (state v4/legacy, show -json, plan JSON: they differ in layout, not in where
 * identifiers live) is tokenized like scanned content; tokens with a built-in
 * shape are kept, and so are whole values of bucket/endpoint-like attributes
 * and outputs (`terraform output -json` too). A sensitive output's value is a
 * secret, never an identifier: it is skipped.
 */
#include "policy/learn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "core/strset.h"
#include "core/util.h"
#include "detect/identifiers.h"
#include "policy/idtoken.h"

struct learn {
	struct strset ids;  /* in the order met */
	const char **kind;  /* of each id */
	size_t kind_cap;
};

struct learn *learn_new(void)
{
	struct learn *l = xcalloc(1, sizeof(struct learn));
	strset_init(&l->ids);
	return l;
}

void learn_free(struct learn *l)
{
	if (!l)
		return;
	strset_free(&l->ids);
	free(l->kind);
	free(l);
}

static int learn_put(struct learn *l, const char *s, size_t n, const char *kind)
{
	if (!strset_add(&l->ids, s, n))
		return 0;
	xgrow((void **)&l->kind, &l->kind_cap, l->ids.n, sizeof(*l->kind));
	l->kind[l->ids.n - 1] = kind;
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

/* An output ({"value", "type", "sensitive"}: state outputs, `terraform output -json`). */
static int is_output(const cJSON *c)
{
	return cJSON_IsObject(c) && cJSON_GetObjectItemCaseSensitive(c, "value") &&
	       (cJSON_GetObjectItemCaseSensitive(c, "type") ||
	        cJSON_GetObjectItemCaseSensitive(c, "sensitive"));
}

/* An output named like an endpoint or bucket: its whole value is a name to learn. */
static int named_output(const char *name)
{
	static const char *const ends[] = {"endpoint", "address", "hostname", "host", "dns_name",
	                                   "fqdn", "bucket", "bucket_name", "domain_name", NULL};
	for (const char *const *k = ends; *k; k++)
		if (util_ends_with(name, *k))
			return 1;
	return 0;
}

/* Learns a whole value given for a bucket/endpoint-like name (an endpoint may carry ":port"). */
static void learn_named(struct tokctx *t, const char *v)
{
	size_t n = strlen(v);
	const char *colon = strrchr(v, ':');
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1))
		n = (size_t)(colon - v);
	if (n >= 3 && n <= 253 && !memchr(v, ':', n) && !strpbrk(v, " \t\n\"'$"))
		t->added += (size_t)learn_put(t->l, v, n, "name");
}

static void walk(struct tokctx *t, const cJSON *v, int depth)
{
	if (depth > 200)
		return;
	for (const cJSON *c = v->child; c; c = c->next) {
		if (c->string && skipped_key(c->string) && depth < 4)
			continue;
		if (is_output(c)) {
			if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "sensitive")))
				continue;
			const cJSON *val = cJSON_GetObjectItemCaseSensitive(c, "value");
			if (c->string && named_output(c->string) && cJSON_IsString(val) &&
			    val->valuestring[0])
				learn_named(t, val->valuestring);
		}
		if (cJSON_IsString(c) && c->valuestring[0]) {
			const unsigned char *s = (const unsigned char *)c->valuestring;
			idtoken_scan(s, strlen(c->valuestring), on_token, t);
			if (c->string && named_attribute(c->string))
				learn_named(t, c->valuestring);
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
	return l->ids.n;
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
		for (size_t i = 0; i < l->ids.n; i++)
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

/* Appends s to arr unless `present` (arr's strings so far) has it. */
static void append_new(cJSON *arr, struct strset *present, const char *s)
{
	if (strset_add(present, s, strlen(s)))
		cJSON_AddItemToArray(arr, cJSON_CreateString(s));
}

/* The strings of arr, for append_new. */
static void strings_of(const cJSON *arr, struct strset *out)
{
	const cJSON *e;
	strset_init(out);
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e))
			strset_add(out, e->valuestring, strlen(e->valuestring));
}

/* The salt of an environment's existing fingerprints ("sha256:SALT:..."), else a new one. */
static int env_salt(const cJSON *fps, char salt[65], char *err, size_t errsz)
{
	const cJSON *first = cJSON_GetArrayItem(fps, 0);
	salt[0] = '\0';
	if (cJSON_IsString(first) && !strncmp(first->valuestring, "sha256:", 7)) {
		const char *sb = first->valuestring + 7, *se = strchr(sb, ':');
		if (se && se - sb < 65)
			snprintf(salt, 65, "%.*s", (int)(se - sb), sb);
	}
	if (salt[0])
		return 0;
	unsigned char rnd[8];
	if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
		snprintf(err, errsz, "cannot get random bytes for the salt");
		return -1;
	}
	for (int i = 0; i < 8; i++)
		snprintf(salt + 2 * i, 3, "%02x", rnd[i]);
	return 0;
}

int learn_write(const struct learn *l, cJSON *doc, const char *env, char *const *paths,
                size_t npaths, int hash, size_t *skipped, char *err, size_t errsz)
{
	struct strset present;
	char salt[65];
	int rc = -1;

	*skipped = 0;
	cJSON *envs = ensure(doc, "environments", 0);
	cJSON *e = envs ? ensure(envs, env, 0) : NULL;
	if (!e || !cJSON_IsObject(e)) {
		snprintf(err, errsz, "cannot build environment %s in the configuration", env);
		return -1;
	}
	if (npaths) {
		cJSON *pa = ensure(e, "paths", 1);
		strings_of(pa, &present);
		for (size_t i = 0; i < npaths; i++)
			append_new(pa, &present, paths[i]);
		strset_free(&present);
	}
	if (!hash) {
		cJSON *ids = ensure(e, "identifiers", 1);
		strings_of(ids, &present);
		for (size_t i = 0; i < l->ids.n; i++)
			append_new(ids, &present, l->ids.items[i].str);
		strset_free(&present);
		return 0;
	}
	cJSON *fps = ensure(e, "fingerprints", 1);
	if (env_salt(fps, salt, err, errsz) < 0)
		return -1;
	strings_of(fps, &present);
	for (size_t i = 0; i < l->ids.n; i++) {
		const struct strset_item *id = &l->ids.items[i];
		unsigned char d[32];
		char fp[7 + 65 + 1 + 64 + 1];
		if (!is_candidate(id->str)) {
			(*skipped)++;
			continue;
		}
		if (idtoken_hash(salt, (const unsigned char *)id->str, id->len, d) < 0) {
			snprintf(err, errsz, "SHA-256 failed (libcrypto)");
			goto done;
		}
		int k = snprintf(fp, sizeof(fp), "sha256:%s:", salt);
		for (int j = 0; j < 32; j++)
			k += snprintf(fp + k, sizeof(fp) - (size_t)k, "%02x", d[j]);
		append_new(fps, &present, fp);
	}
	rc = 0;
done:
	strset_free(&present);
	return rc;
}
