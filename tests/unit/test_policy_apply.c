/* Unit tests for policy/allow and policy/policy: severities, exceptions, ids, combining. */
#include "unit.h"

#include <stdlib.h>

#include "policy/policy.h"

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

static void rules_change_severity_and_off_removes(void **state)
{
	(void)state;
	struct policy *p = parse("{\"rules\": {\"tf-local-backend\": \"block\", \"aws-arn\": \"off\"}}");
	struct finding_list l;
	finding_list_init(&l);
	finding_list_add(&l, "aws-arn", SG_SEV_WARN, "a.tf", "arn", NULL);
	finding_list_add(&l, "tf-local-backend", SG_SEV_WARN, "main.tf", "local", NULL);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "s.json", "state", NULL);
	policy_apply(p, &l, 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].rule, "tf-local-backend");
	assert_int_equal(l.v[0].severity, SG_SEV_BLOCK);
	assert_int_equal(l.v[1].severity, SG_SEV_BLOCK);
	assert_non_null(l.v[1].id);
	assert_int_equal(strlen(l.v[1].id), 15);
	finding_list_free(&l);
	policy_free(p);
}

static struct finding *add_lowerable(struct finding_list *l, const char *path)
{
	struct finding *f = finding_list_add(l, "tf-backend-credentials", SG_SEV_BLOCK, path,
	                                     "The `backend \"s3\"` block sets `secret_key`.", NULL);
	f->lowerable = 1;
	return f;
}

static void docs_and_tests_lower_lookalike_credentials_and_say_why(void **state)
{
	(void)state;
	struct finding_list l;
	finding_list_init(&l);
	add_lowerable(&l, "website/docs/backends/s3.tf");
	add_lowerable(&l, "README.md");
	add_lowerable(&l, "./internal/command/testdata/enc/main.tf");
	add_lowerable(&l, "pkg/config/config_test.go");
	add_lowerable(&l, "live/prod/main.tf");
	add_lowerable(&l, "examples.zip!docs/x.tf");
	finding_list_add(&l, "tfc-token", SG_SEV_BLOCK, "docs/a.md", "token", NULL);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "testdata/terraform.tfstate", "state", NULL);
	policy_apply(NULL, &l, 0); /* built-in contexts without any configuration */
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(l.v[i].severity, SG_SEV_WARN);
		assert_non_null(strstr(l.v[i].message, "Lowered to a warning"));
		assert_non_null(cJSON_GetObjectItem(l.v[i].details, "lowered"));
	}
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(l.v[2].details, "lowered"), "context")->valuestring,
	    "tests");
	assert_int_equal(l.v[4].severity, SG_SEV_BLOCK); /* not documentation or tests */
	assert_int_equal(l.v[5].severity, SG_SEV_BLOCK); /* only a member path under docs/ */
	assert_int_equal(l.v[6].severity, SG_SEV_BLOCK); /* a known token shape: never lowered */
	assert_int_equal(l.v[7].severity, SG_SEV_BLOCK); /* state: never lowered */
	finding_list_free(&l);

	/* a team that wants documentation to block empties that context; globs replace the defaults */
	struct policy *p = parse("{\"contexts\": {\"docs\": [], \"tests\": [\"qa/**\"]}}");
	finding_list_init(&l);
	add_lowerable(&l, "docs/s3.md");
	add_lowerable(&l, "pkg/x_test.go");
	add_lowerable(&l, "qa/fixtures/main.tf");
	policy_apply(p, &l, 0);
	assert_int_equal(l.v[0].severity, SG_SEV_BLOCK);
	assert_int_equal(l.v[1].severity, SG_SEV_BLOCK);
	assert_int_equal(l.v[2].severity, SG_SEV_WARN);
	finding_list_free(&l);
	policy_free(p);
}

static void allow_matches_by_path_blob_and_rules(void **state)
{
	(void)state;
	struct policy *p = parse(
		"{\"allow\": [{\"path\": \"test/fixtures/**\", \"rules\": [\"tf-state\"], \"reason\": \"fixture\"},"
		"{\"blob\": \"0123456789abcdef0123456789abcdef01234567\", \"reason\": \"pinned\", \"owner\": \"ops\"},"
		"{\"path\": \"docs/a.json\", \"blob\": \"1111111111111111111111111111111111111111\", \"reason\": \"both\"}]}");
	struct finding_list l;
	finding_list_init(&l);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "test/fixtures/s.json", "m", NULL);
	finding_list_add(&l, "tfc-token", SG_SEV_BLOCK, "test/fixtures/s.json", "m", NULL);
	struct finding *f = finding_list_add(&l, "tf-plan", SG_SEV_BLOCK, "any/where.zip!plan", "m", NULL);
	f->blob = strdup("0123456789abcdef0123456789abcdef01234567");
	f = finding_list_add(&l, "tf-plan", SG_SEV_BLOCK, "docs/a.json", "m", NULL);
	f->blob = strdup("2222222222222222222222222222222222222222");
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "test/fixtures/x.zip!in/s.json", "m", NULL);
	policy_apply(p, &l, 0);
	assert_string_equal(l.v[0].allowed_by, "allow[0]: fixture");
	assert_null(l.v[1].allowed_by); /* narrowed to tf-state */
	assert_string_equal(l.v[2].allowed_by, "allow[1]: pinned (owner: ops)");
	assert_null(l.v[3].allowed_by); /* path matches, blob changed */
	assert_non_null(l.v[4].allowed_by); /* archive member under an allowed path */
	assert_int_equal(finding_list_exit_code(&l), 1);
	finding_list_free(&l);
	policy_free(p);
}

static void expired_entries_are_ignored_with_a_note(void **state)
{
	(void)state;
	struct policy *p = parse("{\"allow\": [{\"path\": \"a/**\", \"reason\": \"old\", \"expires\": \"2020-01-31\"},"
	                         "{\"path\": \"b/**\", \"reason\": \"new\", \"expires\": \"2999-01-01\"}]}");
	struct finding_list l;
	finding_list_init(&l);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "a/s.json", "m", NULL);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "b/s.json", "m", NULL);
	policy_apply(p, &l, 0);
	assert_null(l.v[0].allowed_by);
	assert_non_null(strstr(l.v[0].note, "expired on 2020-01-31"));
	assert_non_null(l.v[1].allowed_by);
	finding_list_free(&l);
	policy_free(p);
}

static void finding_ids_are_stable_and_distinct(void **state)
{
	(void)state;
	struct finding_list l;
	finding_list_init(&l);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "a.json", "m", NULL);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "a.json", "m", NULL);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "b.json", "m", NULL);
	finding_list_add(&l, "tf-plan", SG_SEV_BLOCK, "a.json", "m", NULL);
	policy_apply(NULL, &l, 0);
	assert_string_equal(l.v[0].id, l.v[1].id);
	assert_string_not_equal(l.v[0].id, l.v[2].id);
	assert_string_not_equal(l.v[0].id, l.v[3].id);
	assert_memory_equal(l.v[0].id, "sg-", 3);
	finding_list_free(&l);
}

static void errors_are_never_allowed_or_removed(void **state)
{
	(void)state;
	struct policy *p = parse("{\"allow\": [{\"path\": \"**\", \"reason\": \"everything\"}]}");
	struct finding_list l;
	finding_list_init(&l);
	finding_list_add_error(&l, "x.zip", "corrupt");
	policy_apply(p, &l, 0);
	assert_null(l.v[0].allowed_by);
	assert_int_equal(finding_list_exit_code(&l), 2);
	finding_list_free(&l);
	policy_free(p);
}

static void combined_policy_never_weakens_a_base_block(void **state)
{
	(void)state;
	struct policy *base = parse("{\"rules\": {\"tf-local-backend\": \"block\", \"aws-arn\": \"warn\"}}");
	struct policy *repo = parse("{\"rules\": {\"tf-local-backend\": \"off\", \"aws-arn\": \"off\","
	                            " \"tf-state\": \"off\"},"
	                            " \"allow\": [{\"path\": \"fx/**\", \"reason\": \"fixtures\"}]}");
	struct policy *c = policy_combine(base, repo);
	struct finding_list l;
	finding_list_init(&l);
	finding_list_add(&l, "tf-local-backend", SG_SEV_WARN, "main.tf", "m", NULL);
	finding_list_add(&l, "aws-arn", SG_SEV_WARN, "a.tf", "m", NULL);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "s.json", "m", NULL);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "fx/s.json", "m", NULL);
	policy_apply(c, &l, 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].rule, "tf-local-backend");
	assert_int_equal(l.v[0].severity, SG_SEV_BLOCK); /* base block stands */
	assert_int_equal(l.v[1].severity, SG_SEV_BLOCK); /* detector's block stands */
	assert_null(l.v[1].allowed_by);
	assert_non_null(l.v[2].allowed_by); /* allow comes from the repository */
	finding_list_free(&l);
	policy_free(c);
	policy_free(base);
	policy_free(repo);
}

static void fresh_allow_entries_do_not_allow_what_they_came_with(void **state)
{
	(void)state;
	struct policy *before = parse("{\"allow\": [{\"path\": \"a/**\", \"reason\": \"old\"}]}");
	struct policy *after = parse("{\"allow\": [{\"path\": \"a/**\", \"reason\": \"old\"},"
	                             "{\"path\": \"b/**\", \"reason\": \"sneaky\"}]}");
	policy_mark_fresh(after, before);
	struct finding_list l;
	finding_list_init(&l);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "a/s.json", "m", NULL);
	finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "b/s.json", "m", NULL);
	policy_apply(after, &l, 0);
	assert_non_null(l.v[0].allowed_by);
	assert_null(l.v[1].allowed_by);
	assert_non_null(strstr(l.v[1].note, "same push"));
	finding_list_free(&l);
	policy_free(before);
	policy_free(after);
}

static void relpath_is_relative_to_the_config_root(void **state)
{
	(void)state;
	struct policy *p = parse("{}");
	char *r = policy_relpath(p, "x/y");
	assert_string_equal(r, "x/y");
	free(r);
	policy_set_root(p, "/");
	r = policy_relpath(p, "/repo/envs/../envs/prod/a.zip!m/s.json");
	assert_string_equal(r, "repo/envs/prod/a.zip!m/s.json");
	free(r);
	policy_set_root(p, "/repo");
	r = policy_relpath(p, "/repo/./envs/prod/x.tf");
	assert_string_equal(r, "envs/prod/x.tf");
	free(r);
	r = policy_relpath(p, "/other/x.tf");
	assert_string_equal(r, "/other/x.tf");
	free(r);
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_change_severity_and_off_removes),
		cmocka_unit_test(docs_and_tests_lower_lookalike_credentials_and_say_why),
		cmocka_unit_test(allow_matches_by_path_blob_and_rules),
		cmocka_unit_test(expired_entries_are_ignored_with_a_note),
		cmocka_unit_test(finding_ids_are_stable_and_distinct),
		cmocka_unit_test(errors_are_never_allowed_or_removed),
		cmocka_unit_test(combined_policy_never_weakens_a_base_block),
		cmocka_unit_test(fresh_allow_entries_do_not_allow_what_they_came_with),
		cmocka_unit_test(relpath_is_relative_to_the_config_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
