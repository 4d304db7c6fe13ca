/* Unit tests for detect/ state families: v4, legacy, v0, empty, guards, details. */
#include "detect_run.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/finding.h"
#include "pipeline/pipeline.h"
#include "detect/detect.h"

#define V4                                                                                       \
	"{\"version\":4,\"terraform_version\":\"1.8.2\",\"serial\":34,"                             \
	"\"lineage\":\"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f\",\"outputs\":{},\"resources\":["       \
	"{\"mode\":\"managed\",\"type\":\"aws_db_instance\",\"name\":\"db\",\"instances\":[{"        \
	"\"attributes\":{\"id\":\"db-1\",\"password\":\"hunter2hunter2\",\"password_wo\":null}}]},"  \
	"{\"mode\":\"managed\",\"type\":\"aws_vpc\",\"name\":\"main\",\"instances\":[{"              \
	"\"attributes\":{\"id\":\"vpc-1\"}}]},"                                                      \
	"{\"mode\":\"data\",\"type\":\"aws_ami\",\"name\":\"ubuntu\",\"instances\":[{}]}]}"

static void v4_state_is_blocked_with_destroy_details(void **state)
{
	(void)state;
	struct run r;
	run_scan(&r, "prod.json", V4);
	const struct finding *f = find_rule(&r, "tf-state");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	assert_non_null(strstr(f->message, "would delete 2 resources"));
	assert_non_null(strstr(f->message, "aws_db_instance ×1, aws_vpc ×1"));
	cJSON *d = f->details;
	assert_string_equal(cJSON_GetObjectItem(d, "resource_types")->valuestring,
	                    "aws_db_instance ×1, aws_vpc ×1");
	assert_int_equal(cJSON_GetObjectItem(d, "resource_count")->valuedouble, 2);
	assert_int_equal(cJSON_GetObjectItem(d, "serial")->valuedouble, 34);
	assert_int_equal(cJSON_GetObjectItem(d, "state_version")->valuedouble, 4);
	assert_string_equal(cJSON_GetObjectItem(d, "lineage")->valuestring,
	                    "6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
	char *dump = cJSON_PrintUnformatted(d);
	assert_non_null(strstr(dump, "aws_db_instance.db.password"));
	assert_null(strstr(dump, "hunter2"));
	assert_null(strstr(dump, "password_wo"));
	free(dump);
	finding_list_free(&r.out);
}

static void empty_state_is_a_warning(void **state)
{
	(void)state;
	struct run r;
	run_scan(&r, "x", "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[],"
	                  "\"outputs\":{},\"check_results\":null}");
	const struct finding *f = find_rule(&r, "tf-state");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_WARN);
	finding_list_free(&r.out);
}

static void escaped_and_upper_case_keys_are_still_state(void **state)
{
	(void)state;
	struct run r;
	run_scan(&r, "a", "\xef\xbb\xbf{\r\n\"resources\":[],\"\\u006cineage\":\"x\",\r\n"
	                  "\"SERIAL\":2,\"Version\":4}\r\n");
	assert_non_null(find_rule(&r, "tf-state"));
	finding_list_free(&r.out);
}

static void v4_state_without_resources_key_is_state(void **state)
{
	(void)state;
	struct run r;
	/* Terraform reads these (missing fields decode as zero values); real fixtures omit them */
	run_scan(&r, "x.json", "{\"version\":4,\"serial\":7,\"lineage\":\"hello\","
	                       "\"outputs\":{\"foo\":{\"value\":\"bar\",\"type\":\"string\"}}}");
	const struct finding *f = find_rule(&r, "tf-state");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK); /* outputs carry values */
	finding_list_free(&r.out);
	run_scan(&r, "x.json", "{\"version\":4,\"resources\":[{\"mode\":\"managed\",\"type\":"
	                       "\"aws_vpc\",\"name\":\"m\",\"instances\":[{}]}]}");
	assert_non_null(find_rule(&r, "tf-state"));
	finding_list_free(&r.out);
}

static void legacy_v3_state_counts_module_resources(void **state)
{
	(void)state;
	struct run r;
	run_scan(&r, "old.json",
	         "{\"version\":3,\"serial\":7,\"lineage\":\"x\",\"modules\":[{\"path\":[\"root\"],"
	         "\"resources\":{\"aws_instance.web.0\":{\"type\":\"aws_instance\",\"primary\":{"
	         "\"attributes\":{\"id\":\"i-1\"}}},\"data.aws_ami.u\":{\"type\":\"aws_ami\"}}}]}");
	const struct finding *f = find_rule(&r, "tf-state");
	assert_non_null(f);
	assert_int_equal(cJSON_GetObjectItem(f->details, "resource_count")->valuedouble, 1);
	finding_list_free(&r.out);
}

static void v0_binary_state_is_blocked(void **state)
{
	(void)state;
	struct run r;
	memset(&r, 0, sizeof(r));
	scan_limits_default(&r.limits);
	r.ctx.limits = &r.limits;
	r.ctx.out = &r.out;
	const unsigned char bin[] = {'t', 'f', 's', 't', 'a', 't', 'e', 0, 1, 0xff, 0};
	assert_int_equal(detect_blob(&r.ctx, "renamed.bin", bin, sizeof(bin), 0, 0), 0);
	assert_non_null(find_rule(&r, "tf-state"));
	finding_list_free(&r.out);
}

static void lookalikes_are_not_state(void **state)
{
	(void)state;
	static const char *const negatives[] = {
		"{\"name\":\"web\",\"version\":\"4\",\"lineage\":\"x\",\"serial\":1,\"resources\":[]}",
		"{\"version\":4,\"serial\":1,\"resources\":[]}",
		"{\"version\":4,\"lineage\":\"x\",\"serial\":\"1\",\"resources\":[]}",
		"{\"version\":2,\"serial\":1,\"modules\":[{\"path\":[\"root\"],\"resources\":{}}]}",
		"[{\"version\":4,\"serial\":1,\"lineage\":\"x\",\"resources\":[]}]",
		"{\"version\":4,\"serial\":1,\"lineage\":\"x\",\"resources\":[]",
		"",
	};
	for (size_t i = 0; i < sizeof(negatives) / sizeof(*negatives); i++) {
		struct run r;
		run_scan(&r, "data.json", negatives[i]);
		if (r.out.n)
			fail_msg("negative %zu gave %s", i, r.out.v[0].rule);
		finding_list_free(&r.out);
	}
}

static void state_followed_by_junk_is_still_state(void **state)
{
	(void)state;
	struct run r;
	run_scan(&r, "x.txt", V4 "\n-- appended by a broken merge --\n{");
	assert_non_null(find_rule(&r, "tf-state"));
	finding_list_free(&r.out);
}

static void state_named_garbage_is_blocked_by_name(void **state)
{
	(void)state;
	struct run r;
	run_scan(&r, "env/prod/terraform.tfstate", "{\"version\": 4, \"lineage\": \"trunc");
	const struct finding *f = find_rule(&r, "tf-state");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	finding_list_free(&r.out);
	run_scan(&r, "plan!tfstate-prev", "");
	assert_non_null(find_rule(&r, "tf-state"));
	finding_list_free(&r.out);
}

static void state_named_stub_that_cannot_hold_state_is_a_warning(void **state)
{
	(void)state;
	struct run r;
	run_scan(&r, "testdata/show-corrupt-statefile/terraform.tfstate", "invalid\n");
	const struct finding *f = find_rule(&r, "tf-state");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_WARN);
	finding_list_free(&r.out);
	/* a symbolic link stored as a blob: its target's name */
	run_scan(&r, "roundtrip/v4-simple.out.tfstate", "v4-simple.in.tfstate");
	assert_int_equal(find_rule(&r, "tf-state")->severity, SG_SEV_WARN);
	finding_list_free(&r.out);
	/* 64 bytes and more, or any '{', may be what is left of real state: blocked */
	run_scan(&r, "terraform.tfstate",
	         "\"lineage\": \"7b1c0c52-95b1-4a4c-9c3e-2f0a6b1f9d10\", \"serial\": 12, \"re");
	assert_int_equal(find_rule(&r, "tf-state")->severity, SG_SEV_BLOCK);
	finding_list_free(&r.out);
	run_scan(&r, "terraform.tfstate", "{\"ver");
	assert_int_equal(find_rule(&r, "tf-state")->severity, SG_SEV_BLOCK);
	finding_list_free(&r.out);
}

static void plan_member_named_tfstate_is_state(void **state)
{
	(void)state;
	struct run r;
	run_scan(&r, "plan!tfstate", V4);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0].rule, "tf-state");
	assert_string_equal(r.out.v[0].path, "plan!tfstate");
	finding_list_free(&r.out);
}

static void json_over_parse_limit_fails_closed(void **state)
{
	(void)state;
	struct run r;
	memset(&r, 0, sizeof(r));
	scan_limits_default(&r.limits);
	r.limits.parse_bytes = 16;
	r.ctx.limits = &r.limits;
	r.ctx.out = &r.out;
	const char *t = V4;
	assert_int_equal(detect_blob(&r.ctx, "big.json", (const unsigned char *)t, strlen(t), 0, 0), 0);
	const struct finding *f = find_rule(&r, "scan-limit");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	assert_non_null(strstr(f->message, "parse_bytes"));
	finding_list_free(&r.out);
}

static void deeply_nested_json_that_may_be_state_fails_closed(void **state)
{
	(void)state;
	size_t depth = 5000;
	char *t = malloc(depth * 2 + 64);
	size_t n = (size_t)sprintf(t, "{\"lineage\":");
	for (size_t i = 0; i < depth; i++)
		t[n++] = '[';
	for (size_t i = 0; i < depth; i++)
		t[n++] = ']';
	t[n++] = '}';
	t[n] = 0;
	struct run r;
	run_scan(&r, "deep.json", t);
	assert_non_null(find_rule(&r, "scan-limit"));
	finding_list_free(&r.out);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v4_state_is_blocked_with_destroy_details),
		cmocka_unit_test(empty_state_is_a_warning),
		cmocka_unit_test(escaped_and_upper_case_keys_are_still_state),
		cmocka_unit_test(v4_state_without_resources_key_is_state),
		cmocka_unit_test(legacy_v3_state_counts_module_resources),
		cmocka_unit_test(v0_binary_state_is_blocked),
		cmocka_unit_test(lookalikes_are_not_state),
		cmocka_unit_test(state_followed_by_junk_is_still_state),
		cmocka_unit_test(state_named_garbage_is_blocked_by_name),
		cmocka_unit_test(state_named_stub_that_cannot_hold_state_is_a_warning),
		cmocka_unit_test(plan_member_named_tfstate_is_state),
		cmocka_unit_test(json_over_parse_limit_fails_closed),
		cmocka_unit_test(deeply_nested_json_that_may_be_state_fails_closed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
