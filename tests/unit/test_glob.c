/* Unit tests for policy/glob: matching relative paths, and refusing malformed patterns. */
#include "unit.h"

#include <stdlib.h>

#include "policy/glob.h"

static void double_star_spans_directories(void **state)
{
	(void)state;
	assert_true(glob_match("envs/prod/**", "envs/prod/main.tf"));
	assert_true(glob_match("envs/prod/**", "envs/prod/a/b/c.tfstate"));
	assert_false(glob_match("envs/prod/**", "envs/production/main.tf"));
	assert_true(glob_match("**/*.tfstate", "terraform.tfstate"));
	assert_true(glob_match("**/*.tfstate", "a/b/terraform.tfstate"));
	assert_true(glob_match("a/**/b", "a/b"));
	assert_true(glob_match("a/**/b", "a/x/y/b"));
	assert_false(glob_match("a/**/b", "a/x/y/c"));
	assert_true(glob_match("**", "anything/at/all"));
}

static void single_star_and_question_stay_in_one_segment(void **state)
{
	(void)state;
	assert_true(glob_match("*.tf", "main.tf"));
	assert_false(glob_match("*.tf", "dir/main.tf"));
	assert_true(glob_match("envs/*/backend.tf", "envs/prod/backend.tf"));
	assert_false(glob_match("envs/*/backend.tf", "envs/prod/x/backend.tf"));
	assert_true(glob_match("file?.json", "file1.json"));
	assert_false(glob_match("file?.json", "file12.json"));
	assert_false(glob_match("a?b", "a/b"));
	assert_true(glob_match("*a*b*c*", "xxaxxbxxcxx"));
	assert_false(glob_match("*a*b*c*", "xxaxxcxxbxx"));
}

static void classes_ranges_and_negation(void **state)
{
	(void)state;
	assert_true(glob_match("env[0-9].tf", "env7.tf"));
	assert_false(glob_match("env[0-9].tf", "envx.tf"));
	assert_true(glob_match("env[!0-9].tf", "envx.tf"));
	assert_true(glob_match("env[^ab].tf", "envc.tf"));
	assert_false(glob_match("env[^ab].tf", "enva.tf"));
	assert_true(glob_match("[]]x", "]x"));
	assert_true(glob_match("a\\*b", "a*b"));
	assert_false(glob_match("a\\*b", "axb"));
}

static void trailing_slash_means_everything_below(void **state)
{
	(void)state;
	assert_true(glob_match("test/fixtures/", "test/fixtures/state.json"));
	assert_false(glob_match("test/fixtures/", "test/other.json"));
}

static void escape_round_trips_through_match(void **state)
{
	(void)state;
	char *e = glob_escape("weird[1]*?.json");
	char err[200];
	assert_int_equal(glob_check(e, err, sizeof(err)), 0);
	assert_true(glob_match(e, "weird[1]*?.json"));
	assert_false(glob_match(e, "weird1xx.json"));
	free(e);
}

static void malformed_patterns_are_refused_with_a_reason(void **state)
{
	(void)state;
	char err[200];
	static const char *bad[] = {"",       "/abs/path", "a//b",     "a/../b", "./a",
	                            "a**",    "x/a**b/c",  "env[0-9",  "a[]",    "a[!]",
	                            "trail\\", NULL};
	for (const char **b = bad; *b; b++) {
		err[0] = 0;
		assert_int_equal(glob_check(*b, err, sizeof(err)), -1);
		assert_true(err[0] != 0);
	}
	assert_int_equal(glob_check("envs/prod/**", err, sizeof(err)), 0);
	assert_int_equal(glob_check("**/*.tfstate", err, sizeof(err)), 0);
	assert_int_equal(glob_check("a\\[b", err, sizeof(err)), 0);
}

static void long_inputs_do_not_explode(void **state)
{
	(void)state;
	char path[3000];
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = 0;
	assert_false(glob_match("*a*a*a*a*a*a*a*a*a*a*b", path));
	assert_true(glob_match("**/**/**/**/*", "a/b/c/d/e/f/g"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(double_star_spans_directories),
		cmocka_unit_test(single_star_and_question_stay_in_one_segment),
		cmocka_unit_test(classes_ranges_and_negation),
		cmocka_unit_test(trailing_slash_means_everything_below),
		cmocka_unit_test(escape_round_trips_through_match),
		cmocka_unit_test(malformed_patterns_are_refused_with_a_reason),
		cmocka_unit_test(long_inputs_do_not_explode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
