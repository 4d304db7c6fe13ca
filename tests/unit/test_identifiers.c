/* Unit tests for identifier tokenizing (policy/idtoken), environment matching and detect/identifiers. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "pipeline/pipeline.h"
#include "detect/identifiers.h"
#include "policy/idtoken.h"
#include "policy/policy.h"

struct toks {
	char v[32][128];
	int kind[32];
	int n;
};

static int collect(const unsigned char *d, size_t off, size_t len, enum idtoken_kind kind, void *arg)
{
	struct toks *t = arg;
	if (t->n < 32 && len < 128) {
		memcpy(t->v[t->n], d + off, len);
		t->v[t->n][len] = 0;
		t->kind[t->n++] = kind;
	}
	return 0;
}

static struct toks tokenize(const char *s)
{
	struct toks t;
	memset(&t, 0, sizeof(t));
	idtoken_scan((const unsigned char *)s, strlen(s), collect, &t);
	return t;
}

static void account_ids_are_twelve_digit_words(void **state)
{
	(void)state;
	struct toks t = tokenize("id 418273950164, not 1418273950164 nor 41827395016 or x418273950164");
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0], "418273950164");
	assert_int_equal(t.kind[0], IDTOKEN_ACCOUNT);
}

static void an_arn_yields_itself_and_its_account_and_names(void **state)
{
	(void)state;
	struct toks t = tokenize("role = \"arn:aws:iam::418273950164:role/deploy-prod\"");
	assert_int_equal(t.n, 3);
	assert_string_equal(t.v[2], "deploy-prod");
	assert_string_equal(t.v[0], "arn:aws:iam::418273950164:role/deploy-prod");
	assert_int_equal(t.kind[0], IDTOKEN_ARN);
	assert_string_equal(t.v[1], "418273950164");
	t = tokenize("arn:aws:s3:::acme-prod-tfstate/key");
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[1], "acme-prod-tfstate");
	assert_int_equal(t.kind[1], IDTOKEN_NAME);
}

static void hostnames_and_bucket_names_are_whole_runs(void **state)
{
	(void)state;
	struct toks t = tokenize("host: orders.abc123.eu-west-1.rds.amazonaws.com:5432. bucket acme-prod-tfstate.");
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0], "orders.abc123.eu-west-1.rds.amazonaws.com");
	assert_string_equal(t.v[1], "acme-prod-tfstate");
	/* version numbers, snake_case and plain words are not candidates */
	t = tokenize("1.2.3 my_var word 2024-01-01");
	assert_int_equal(t.n, 0);
}

static void salted_hash_depends_on_the_salt(void **state)
{
	(void)state;
	unsigned char a[32], b[32], c[32];
	assert_int_equal(idtoken_hash("s1", (const unsigned char *)"418273950164", 12, a), 0);
	assert_int_equal(idtoken_hash("s2", (const unsigned char *)"418273950164", 12, b), 0);
	assert_memory_not_equal(a, b, 32);
	struct idtoken_hasher *h = idtoken_hasher_new("s1");
	assert_non_null(h);
	assert_int_equal(idtoken_hasher_hash(h, (const unsigned char *)"418273950164", 12, c), 0);
	assert_memory_equal(a, c, 32);
	idtoken_hasher_free(h);
}

static struct policy *parse(const char *t)
{
	struct policy *p = NULL;
	char err[600];
	if (policy_parse(&p, "c", t, strlen(t), err, sizeof(err)) < 0) {
		print_error("%s\n", err);
		fail();
	}
	return p;
}

struct hits {
	size_t env[16], off[16], len[16];
	int hashed[16];
	int n;
};

static int hit(size_t env, size_t off, size_t len, int hashed, void *arg)
{
	struct hits *h = arg;
	if (h->n < 16) {
		h->env[h->n] = env;
		h->off[h->n] = off;
		h->len[h->n] = len;
		h->hashed[h->n++] = hashed;
	}
	return 0;
}

static void identifiers_match_on_boundaries_only(void **state)
{
	(void)state;
	struct policy *p = parse("{\"environments\": {\"prod\": {\"identifiers\": [\"acme-prod\", \"418273950164\"]},"
	                         " \"stg\": {\"identifiers\": [\"acme-stg\"]}}}");
	const char *text = "acme-prod-logs xacme-prod acme-prod.s3 (acme-prod) 418273950164 acme-stg";
	struct hits h = {0};
	policy_find_identifiers(p, (const unsigned char *)text, strlen(text), hit, &h);
	assert_int_equal(h.n, 4);
	assert_int_equal(h.off[0], strlen("acme-prod-logs xacme-prod "));
	assert_int_equal(h.env[3], 1);
	policy_free(p);
}

static void fingerprints_find_an_account_inside_an_arn(void **state)
{
	(void)state;
	unsigned char d[32];
	char fp[120], cfg[300];
	idtoken_hash("c0ffee", (const unsigned char *)"418273950164", 12, d);
	int k = snprintf(fp, sizeof(fp), "sha256:c0ffee:");
	for (int i = 0; i < 32; i++)
		k += snprintf(fp + k, sizeof(fp) - (size_t)k, "%02x", d[i]);
	snprintf(cfg, sizeof(cfg), "{\"environments\": {\"prod\": {\"fingerprints\": [\"%s\"]}}}", fp);
	struct policy *p = parse(cfg);
	const char *text = "principal = \"arn:aws:iam::418273950164:root\"";
	struct hits h = {0};
	assert_int_equal(policy_find_identifiers(p, (const unsigned char *)text, strlen(text), hit, &h), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.hashed[0], 1);
	assert_int_equal(h.len[0], 12);
	assert_memory_equal(text + h.off[0], "418273950164", 12);
	policy_free(p);
}

static int region(size_t off, size_t len, void *arg)
{
	struct hits *h = arg;
	h->off[h->n] = off;
	h->len[h->n++] = len;
	return 0;
}

static void backend_regions_cover_blocks_and_partial_files(void **state)
{
	(void)state;
	const char *tf = "resource \"x\" \"y\" { bucket = \"a\" }\n"
	                 "terraform {\n  backend \"s3\" {\n    bucket = \"b\" # prod-bucket }\n  }\n}\n"
	                 "remote_state {\n backend = \"s3\"\n config = { bucket = \"c\" }\n}\n";
	struct hits h = {0};
	identifiers_backend_regions("main.tf", (const unsigned char *)tf, strlen(tf), region, &h);
	/* values only: "b", then remote_state's backend "s3" and bucket "c"; never "a" or comments */
	assert_int_equal(h.n, 3);
	assert_int_equal(h.len[0], 1);
	assert_int_equal(h.len[1], 2);
	assert_int_equal(h.len[2], 1);
	assert_memory_equal(tf + h.off[0], "b", h.len[0]);
	assert_memory_equal(tf + h.off[1], "s3", h.len[1]);
	assert_memory_equal(tf + h.off[2], "c", h.len[2]);
	const char *partial = "bucket = \"b\"\nkey = \"k\"\n";
	memset(&h, 0, sizeof(h));
	identifiers_backend_regions("envs/stg/stg.s3.tfbackend", (const unsigned char *)partial,
	                            strlen(partial), region, &h);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.len[0], strlen(partial));
	const char *snap = "{\"version\":3,\"backend\":{\"type\":\"s3\",\"config\":{\"bucket\":\"b\"}}}";
	memset(&h, 0, sizeof(h));
	identifiers_backend_regions(".terraform/terraform.tfstate", (const unsigned char *)snap,
	                            strlen(snap), region, &h);
	assert_int_equal(h.n, 1);
	assert_memory_equal(snap + h.off[0] + h.len[0] - 2, "}}", 2);
	const char *cloud = "terraform {\n cloud {\n  organization = \"acme\"\n  workspaces { name = \"prod\" }\n }\n}";
	memset(&h, 0, sizeof(h));
	identifiers_backend_regions("c.tf", (const unsigned char *)cloud, strlen(cloud), region, &h);
	assert_int_equal(h.n, 2);
	assert_memory_equal(cloud + h.off[1], "prod", 4);
}

static size_t count_rule(const struct finding_list *l, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += !strcmp(l->v[i].rule, rule);
	return n;
}

static void builtin_shapes_warn_once_per_rule_and_blob(void **state)
{
	(void)state;
	struct scan_limits lim;
	struct finding_list out;
	scan_limits_default(&lim);
	finding_list_init(&out);
	struct scan_ctx ctx = {.limits = &lim, .out = &out};
	const char *text =
		"a = \"arn:aws:iam::418273950164:role/x\" b = \"arn:aws:iam::418273950164:role/y\"\n"
		"c = \"arn:aws:s3:::bucket\"\n"
		"db = \"mydb.cluster-ro-abcdefghijkl.us-east-1.rds.amazonaws.com\"\n"
		"cdn = \"d1234567890abc.cloudfront.net\"\n"
		"vpc = \"vpc-0a1b2c3d4e5f60718\" sg = \"sg-1a2b3c4d\" date = \"i-20240101\"\n"
		"id = \"/subscriptions/12345678-1234-1234-1234-123456789abc/resourceGroups/rg/providers/x\"\n";
	assert_int_equal(identifiers_detect(&ctx, "main.tf", (const unsigned char *)text, strlen(text), IDENT_SHAPES_ALL), 0);
	assert_int_equal(count_rule(&out, "aws-arn"), 1);
	assert_int_equal(count_rule(&out, "aws-endpoint"), 1);
	assert_int_equal(count_rule(&out, "aws-resource-id"), 1);
	assert_int_equal(count_rule(&out, "azure-subscription-id"), 1);
	for (size_t i = 0; i < out.n; i++) {
		assert_int_equal(out.v[i].severity, SG_SEV_WARN);
		char *json = cJSON_PrintUnformatted(out.v[i].details);
		assert_null(strstr(json, "418273950164"));
		if (!strcmp(out.v[i].rule, "aws-arn"))
			assert_non_null(strstr(json, "\"occurrences\":2"));
		if (!strcmp(out.v[i].rule, "aws-endpoint"))
			assert_non_null(strstr(json, "\"occurrences\":2"));
		if (!strcmp(out.v[i].rule, "aws-resource-id"))
			assert_non_null(strstr(json, "\"occurrences\":2"));
		free(json);
	}
	finding_list_free(&out);
	finding_list_init(&out);
	identifiers_detect(&ctx, "s.tfstate", (const unsigned char *)text, strlen(text), 0);
	assert_int_equal(out.n, 0);
	finding_list_free(&out);
}

/* Occurrences of one built-in rule in out (0 if it has no finding). */
static int occurrences(const struct finding_list *out, const char *rule)
{
	for (size_t i = 0; i < out->n; i++)
		if (!strcmp(out->v[i].rule, rule))
			return cJSON_GetObjectItem(out->v[i].details, "occurrences")->valueint;
	return 0;
}

struct classified {
	int arn, endpoint, resource;
};

static int classify_token(const unsigned char *d, size_t off, size_t len, enum idtoken_kind kind,
                          void *arg)
{
	struct classified *c = arg;
	const char *what = kind == IDTOKEN_ACCOUNT ? NULL : identifiers_classify(d + off, len, kind);
	if (what && !strcmp(what, "arn"))
		c->arn++;
	else if (what && !strcmp(what, "endpoint"))
		c->endpoint++;
	else if (what && !strcmp(what, "resource id"))
		c->resource++;
	return 0;
}

/* The built-in AWS shapes are looked for only around their anchors: the counts must equal a
 * full tokenisation of the same text, whatever the text. */
static void anchored_shapes_count_like_a_full_tokenisation(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"arn:aws:iam::418273950164:role/x", "arn:aws:s3:::b", "arn", ":", "vpc-", "sg-", "i-",
		"0a1b2c3d", "4e5f60718", "12345678", "-", ".", "..", "x.eu-west-1.rds.amazonaws.com",
		".amazonaws.com", "d1234567890abc", ".cloudfront.net", "_", " ", "\"", "\n", "ami",
		"subnet-", "ab", "Z", "eipalloc-0123456789abcdef0"};
	struct scan_limits lim;
	scan_limits_default(&lim);
	char buf[600];
	srand(777);
	int total = 0;
	for (int round = 0; round < 4000; round++) {
		size_t n = 0, want = (size_t)(rand() % 500);
		while (n < want) {
			const char *p = pieces[rand() % (sizeof(pieces) / sizeof(*pieces))];
			size_t l = strlen(p);
			if (n + l >= sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		struct classified want_c = {0, 0, 0};
		idtoken_scan((const unsigned char *)buf, n, classify_token, &want_c);
		struct finding_list out;
		finding_list_init(&out);
		struct scan_ctx ctx = {.limits = &lim, .out = &out};
		identifiers_detect(&ctx, "x.txt", (const unsigned char *)buf, n, IDENT_SHAPES_AWS);
		assert_int_equal(occurrences(&out, "aws-arn"), want_c.arn);
		assert_int_equal(occurrences(&out, "aws-endpoint"), want_c.endpoint);
		assert_int_equal(occurrences(&out, "aws-resource-id"), want_c.resource);
		total += want_c.arn + want_c.endpoint + want_c.resource;
		finding_list_free(&out);
	}
	assert_true(total > 1000); /* the generator does make shapes */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(account_ids_are_twelve_digit_words),
		cmocka_unit_test(an_arn_yields_itself_and_its_account_and_names),
		cmocka_unit_test(hostnames_and_bucket_names_are_whole_runs),
		cmocka_unit_test(salted_hash_depends_on_the_salt),
		cmocka_unit_test(identifiers_match_on_boundaries_only),
		cmocka_unit_test(fingerprints_find_an_account_inside_an_arn),
		cmocka_unit_test(backend_regions_cover_blocks_and_partial_files),
		cmocka_unit_test(builtin_shapes_warn_once_per_rule_and_blob),
		cmocka_unit_test(anchored_shapes_count_like_a_full_tokenisation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
