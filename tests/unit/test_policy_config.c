/* Unit tests for policy/config: every error path names the key and the line. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "policy/policy.h"

/* Parses text; expects failure whose message contains line and needle. */
static void expect_error(const char *text, int line, const char *needle)
{
	struct policy *p = NULL;
	char err[600], want[32];
	int rc = policy_parse(&p, "cfg.json", text, strlen(text), err, sizeof(err));
	if (rc != -1 || !strstr(err, needle)) {
		print_error("config: %s\nerror: %s\nwanted: %s\n", text, rc ? err : "(parsed)", needle);
		fail();
	}
	snprintf(want, sizeof(want), "cfg.json:%d:", line);
	if (strncmp(err, want, strlen(want))) {
		print_error("wanted prefix %s, got %s\n", want, err);
		fail();
	}
	assert_null(p);
}

static void a_complete_config_parses(void **state)
{
	(void)state;
	const char *t =
		"{\n"
		" \"environments\": {\n"
		"  \"production\": {\"paths\": [\"envs/prod/**\"], \"identifiers\": [\"418273950164\"],\n"
		"     \"fingerprints\": [\"sha256:abc:" 
		"0000000000000000000000000000000000000000000000000000000000000000\"]},\n"
		"  \"staging\": {\"paths\": [\"envs/staging/**\"], \"identifiers\": [\"acme-stg\"]}\n"
		" },\n"
		" \"rules\": {\"tf-local-backend\": \"block\", \"aws-arn\": \"off\"},\n"
		" \"allow\": [{\"path\": \"test/**\", \"rules\": [\"tf-state\"], \"reason\": \"r\",\n"
		"             \"expires\": \"2027-06-30\", \"owner\": \"team\"},\n"
		"           {\"blob\": \"0123456789abcdef0123456789abcdef01234567\", \"reason\": \"x\"}],\n"
		" \"limits\": {\"archive_depth\": 3, \"archive_bytes\": 1048576,\n"
		"            \"inflated_bytes\": 17179869184},\n"
		" \"server\": {\"repository_config\": true}\n"
		"}\n";
	struct policy *p = NULL;
	char err[600];
	assert_int_equal(policy_parse(&p, "cfg.json", t, strlen(t), err, sizeof(err)), 0);
	assert_int_equal(policy_env_count(p), 2);
	assert_string_equal(policy_env_name(p, 0), "production");
	assert_true(policy_env_home(p, 0, "envs/prod/x.tf"));
	assert_true(policy_env_home(p, 0, "envs/prod/a.zip!inner/state.json"));
	assert_false(policy_env_home(p, 0, "envs/staging/x.tf"));
	assert_int_equal(policy_repository_config(p), 1);
	struct scan_limits l;
	scan_limits_default(&l);
	uint64_t member = l.member_bytes;
	policy_limits(p, &l);
	assert_int_equal(l.archive_depth, 3);
	assert_int_equal(l.archive_bytes, 1048576);
	assert_int_equal(l.member_bytes, member);
	assert_int_equal(l.inflated_bytes, 16ull << 30);
	policy_free(p);
}

static void invalid_json_names_the_line(void **state)
{
	(void)state;
	expect_error("{\n\"rules\": {\n\"tf-state\": \"block\",,\n}}", 3, "not valid JSON");
	expect_error("{}\n\n{}", 3, "unexpected content after");
	expect_error("", 1, "not valid JSON");
}

static void unknown_keys_are_errors(void **state)
{
	(void)state;
	expect_error("{\n\"rule\": {}}", 2, "\"(document)\": unknown key \"rule\"");
	expect_error("{\"environments\": {\"prod\": {\n\"path\": []}}}", 2,
	             "\"environments.prod\": unknown key \"path\"");
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": \"r\",\n \"expire\": \"2027-01-01\"}]}",
	             2, "\"allow[0]\": unknown key \"expire\"");
	expect_error("{\"limits\": {\n\"archive_dpth\": 3}}", 2, "\"limits\": unknown key \"archive_dpth\"");
	expect_error("{\"server\": {\"repo\": true}}", 1, "\"server\": unknown key");
}

static void contexts_take_known_names_and_well_formed_globs(void **state)
{
	(void)state;
	expect_error("{\"contexts\": {\n\"doc\": []}}", 2, "\"contexts\": unknown key \"doc\"");
	expect_error("{\"contexts\": {\"docs\": [\"a/**b\"]}}", 1, "\"contexts.docs\": malformed glob");
	expect_error("{\"contexts\": {\"tests\": true}}", 1, "\"contexts.tests\": must be an array");
	expect_error("{\"contexts\": []}", 1, "\"contexts\": must be an object");
}

static void duplicate_keys_are_errors(void **state)
{
	(void)state;
	expect_error("{\"rules\": {\"tf-state\": \"warn\",\n \"tf-state\": \"off\"}}", 2,
	             "duplicate key \"tf-state\"");
	expect_error("{\"rules\": {},\n\"rules\": {}}", 2, "duplicate key \"rules\"");
}

static void wrong_types_are_errors(void **state)
{
	(void)state;
	expect_error("[]", 1, "must be an object, not an array");
	expect_error("{\"environments\": []}", 1, "\"environments\": must be an object");
	expect_error("{\"environments\": {\"p\": {\"paths\": \"envs/**\"}}}", 1,
	             "\"environments.p.paths\": must be an array of strings, not a string");
	expect_error("{\"environments\": {\"p\": {\"identifiers\": [\"abcd\",\n 12]}}}", 2,
	             "element 1 must be a string, not a number");
	expect_error("{\"environments\": {\"p\": {\"fingerprints\": {}}}}", 1, "must be an array");
	expect_error("{\"rules\": {\"tf-state\": true}}", 1, "not a boolean");
	expect_error("{\"allow\": {}}", 1, "\"allow\": must be an array of objects");
	expect_error("{\"allow\": [\"x\"]}", 1, "\"allow[0]\": must be an object");
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": 5}]}", 1,
	             "\"allow[0].reason\": must be a string, not a number");
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": \"r\", \"rules\": \"tf-state\"}]}", 1,
	             "\"allow[0].rules\": must be an array");
	expect_error("{\"limits\": {\"archive_bytes\": \"1G\"}}", 1, "must be a number, not a string");
	expect_error("{\"server\": {\"repository_config\": \"yes\"}}", 1, "must be true or false");
}

static void bad_values_are_errors(void **state)
{
	(void)state;
	expect_error("{\"rules\": {\"tf-state\": \"blocking\"}}", 1, "not \"blocking\"");
	expect_error("{\"rules\": {\"tf-stat\": \"off\"}}", 1, "unknown rule id \"tf-stat\"");
	expect_error("{\"rules\": {\"scan-error\": \"off\"}}", 1, "cannot be configured");
	expect_error("{\"environments\": {\"\": {}}}", 1, "needs a name");
	expect_error("{\"environments\": {\"a b\": {}}}", 1, "environment names may hold");
	expect_error("{\"environments\": {\"p\": {\"identifiers\": [\"ab\"]}}}", 1, "shorter than 3");
	expect_error("{\"environments\": {\"p\": {\"identifiers\": [\" abc\"]}}}", 1, "white space");
	expect_error("{\"environments\": {\"p\": {\"identifiers\": [\"\"]}}}", 1, "element 0 is empty");
	expect_error("{\"environments\": {\"p\": {\"fingerprints\": [\"md5:x:y\"]}}}", 1,
	             "must start with \"sha256:\"");
	expect_error("{\"environments\": {\"p\": {\"fingerprints\": [\"sha256:s:abc\"]}}}", 1,
	             "64 lowercase hex");
	expect_error("{\"environments\": {\"p\": {\"fingerprints\": [\"sha256::00\"]}}}", 1,
	             "sha256:<salt>:<64 hex digits>");
	expect_error("{\"environments\": {\"p\": {\"fingerprints\": [\"sha256:a-b:00\"]}}}", 1,
	             "letters and digits");
	expect_error("{\"limits\": {\"archive_depth\": 0}}", 1, "positive whole number");
	expect_error("{\"limits\": {\"archive_depth\": 1.5}}", 1, "positive whole number");
	expect_error("{\"limits\": {\"archive_depth\": 65}}", 1, "above 64");
}

static void malformed_globs_name_key_and_line(void **state)
{
	(void)state;
	expect_error("{\"environments\": {\"prod\": {\"paths\": [\n\"envs/prod/**\",\n\"envs/[prod\"]}}}", 3,
	             "\"environments.prod.paths\": malformed glob \"envs/[prod\": unclosed '['");
	expect_error("{\"allow\": [{\n\"path\": \"/abs/**\", \"reason\": \"r\"}]}", 2,
	             "\"allow[0].path\": malformed glob");
	expect_error("{\"environments\": {\"p\": {\"paths\": [\"a**b\"]}}}", 1, "whole path segment");
}

static void allow_entries_need_reason_target_and_valid_fields(void **state)
{
	(void)state;
	expect_error("{\"allow\": [\n{\"path\": \"a/**\"}]}", 2, "\"allow[0]\": every allow entry needs a \"reason\"");
	expect_error("{\"allow\": [{\"reason\": \"r\"}]}", 1, "needs a \"path\" glob, a \"blob\" id or both");
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": \"\"}]}", 1, "must not be empty");
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": \"r\", \"expires\": \"2027-02-30\"}]}", 1,
	             "\"allow[0].expires\": must be a date YYYY-MM-DD");
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": \"r\", \"expires\": \"30/06/2027\"}]}", 1,
	             "must be a date");
	expect_error("{\"allow\": [{\"blob\": \"abc\", \"reason\": \"r\"}]}", 1, "full git blob id");
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": \"r\", \"rules\": []}]}", 1,
	             "empty list would allow nothing");
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": \"r\", \"rules\": [\"tf-stat\"]}]}", 1,
	             "unknown rule id \"tf-stat\"");
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": \"r\", \"rules\": [\"scan-error\"]}]}",
	             1, "cannot be allowed");
}

static void leap_days_are_dates(void **state)
{
	(void)state;
	const char *t = "{\"allow\": [{\"path\": \"a\", \"reason\": \"r\", \"expires\": \"2028-02-29\"}]}";
	struct policy *p = NULL;
	char err[600];
	assert_int_equal(policy_parse(&p, "c", t, strlen(t), err, sizeof(err)), 0);
	policy_free(p);
	expect_error("{\"allow\": [{\"path\": \"a\", \"reason\": \"r\", \"expires\": \"2027-02-29\"}]}", 1,
	             "must be a date");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_complete_config_parses),
		cmocka_unit_test(invalid_json_names_the_line),
		cmocka_unit_test(unknown_keys_are_errors),
		cmocka_unit_test(contexts_take_known_names_and_well_formed_globs),
		cmocka_unit_test(duplicate_keys_are_errors),
		cmocka_unit_test(wrong_types_are_errors),
		cmocka_unit_test(bad_values_are_errors),
		cmocka_unit_test(malformed_globs_name_key_and_line),
		cmocka_unit_test(allow_entries_need_reason_target_and_valid_fields),
		cmocka_unit_test(leap_days_are_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
