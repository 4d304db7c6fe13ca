/* Unit tests for detect/ JSON families other than state: show-json, Pulumi, encrypted, legacy plan, budget. */
#include "detect_run.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/finding.h"
#include "pipeline/pipeline.h"
#include "detect/detect.h"
#include "detect/detect_int.h"

/* The rule and severity of the only finding, or fails. */
static void expect_one(const char *text, const char *rule, enum sg_severity sev)
{
	struct run r;
	run_scan_len(&r, "renamed.json", text, strlen(text));
	if (r.out.n != 1)
		fail_msg("expected one %s finding, got %zu", rule, r.out.n);
	assert_string_equal(r.out.v[0].rule, rule);
	assert_int_equal(r.out.v[0].severity, sev);
	finding_list_free(&r.out);
}

static void expect_none(const char *text)
{
	struct run r;
	run_scan_len(&r, "renamed.json", text, strlen(text));
	if (r.out.n)
		fail_msg("expected nothing, got %s", r.out.v[0].rule);
	finding_list_free(&r.out);
}

static void show_json_plan_and_state_are_recognised(void **state)
{
	(void)state;
	expect_one("{\"format_version\":\"1.2\",\"terraform_version\":\"1.8.2\",\"variables\":{\"pw\":"
	           "{\"value\":\"x\"}},\"planned_values\":{},\"resource_changes\":[]}",
	           "tf-show-json", SG_SEV_BLOCK);
	expect_one("{\"format_version\":\"1.0\",\"values\":{\"root_module\":{\"resources\":[{"
	           "\"address\":\"aws_vpc.m\",\"mode\":\"managed\",\"type\":\"aws_vpc\",\"name\":\"m\","
	           "\"values\":{\"id\":\"vpc-1\"}}]}}}",
	           "tf-show-json", SG_SEV_BLOCK);
	expect_one("{\"format_version\":\"1.0\",\"values\":{\"root_module\":{}}}", "tf-show-json",
	           SG_SEV_WARN);
}

static void other_terraform_json_is_not_show_json(void **state)
{
	(void)state;
	expect_none("{\"format_version\":\"1.0\",\"valid\":true,\"error_count\":0,\"diagnostics\":[]}");
	expect_none("{\"format_version\":\"1.0\",\"provider_schemas\":{}}");
	expect_none("{\"format_version\":\"2\",\"planned_values\":{}}");
	expect_none("{\"format_version\":1.0,\"planned_values\":{}}");
}

static void pulumi_checkpoint_and_export_are_recognised(void **state)
{
	(void)state;
	expect_one("{\"version\":3,\"checkpoint\":{\"stack\":\"s\",\"latest\":{\"manifest\":{\"magic\":"
	           "\"abc\"},\"resources\":[{\"urn\":\"urn:pulumi:p::w::aws:s3/bucket:Bucket::b\","
	           "\"custom\":true,\"type\":\"aws:s3/bucket:Bucket\"}]}}}",
	           "pulumi-state", SG_SEV_BLOCK);
	expect_one("{\"version\":3,\"deployment\":{\"resources\":[{\"urn\":\"urn:pulumi:p::w::"
	           "pulumi:pulumi:Stack::w\",\"type\":\"pulumi:pulumi:Stack\"}]}}",
	           "pulumi-state", SG_SEV_WARN);
	expect_none("{\"version\":3,\"deployment\":{\"name\":\"kubernetes\",\"replicas\":2}}");
}

static void unversioned_pulumi_checkpoints_are_state_with_counts_and_types(void **state)
{
	(void)state;
	const char *v0 = "{\"target\":\"dev\",\"config\":{},\"latest\":{\"time\":\"t\",\"resources\":["
	                 "{\"urn\":\"urn:pulumi:dev::app::pulumi:pulumi:Stack::app-dev\",\"custom\":false,"
	                 "\"type\":\"pulumi:pulumi:Stack\"},"
	                 "{\"urn\":\"urn:pulumi:dev::app::aws:s3/bucket:Bucket::logs\",\"custom\":true,"
	                 "\"type\":\"aws:s3/bucket:Bucket\",\"outputs\":{\"arn\":\"x\"}},"
	                 "{\"urn\":\"urn:pulumi:dev::app::aws:iam/role:Role::r\",\"custom\":true,"
	                 "\"type\":\"aws:iam/role:Role\"}]}}";
	struct run r;
	run_scan_len(&r, "checkpoints/dev.json", v0, strlen(v0));
	const struct finding *f = find_rule(&r, "pulumi-state");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	assert_int_equal(cJSON_GetObjectItem(f->details, "resource_count")->valuedouble, 2);
	char *d = cJSON_PrintUnformatted(f->details);
	assert_non_null(strstr(d, "aws:s3/bucket:Bucket"));
	assert_non_null(strstr(d, "aws:iam/role:Role"));
	assert_non_null(strstr(d, "\"stack\":\"dev\""));
	free(d);
	finding_list_free(&r.out);
	expect_one("{\"checkpoint\":{\"stack\":\"s\",\"latest\":{\"resources\":[{\"urn\":"
	           "\"urn:pulumi:s::w::aws:s3/bucket:Bucket::b\",\"custom\":true,"
	           "\"type\":\"aws:s3/bucket:Bucket\"}]}}}",
	           "pulumi-state", SG_SEV_BLOCK);
	/* a "latest" that is no Pulumi deployment is nothing */
	expect_none("{\"latest\":{\"version\":\"1.2.3\",\"resources\":[]}}");
}

static void encrypted_envelope_needs_all_parts_and_no_version(void **state)
{
	(void)state;
	expect_one("{\"serial\":1,\"lineage\":\"x\",\"meta\":{\"key_provider.pbkdf2.k\":\"eyJ9\"},"
	           "\"encrypted_data\":\"QUJD\",\"encryption_version\":\"v0\"}",
	           "tf-state-encrypted", SG_SEV_BLOCK);
	expect_none("{\"meta\":{},\"encrypted_data\":\"QUJD\",\"encryption_version\":\"\"}");
	expect_none("{\"version\":1,\"meta\":{},\"encrypted_data\":\"QUJD\",\"encryption_version\":\"v0\"}");
}

static void legacy_plan_magic_is_a_plan(void **state)
{
	(void)state;
	struct run r;
	run_scan_len(&r, "x.bin", "tfplan\x00\x01zz", 10);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0].rule, "tf-plan");
	finding_list_free(&r.out);
}

static void json_budget_failure_is_reported_not_passed(void **state)
{
	(void)state;
	/* ~2 bytes of input per 64-byte cJSON item: far above the 8x budget */
	size_t n = 400000;
	char *t = malloc(n * 2 + 64);
	size_t k = (size_t)sprintf(t, "{\"lineage\":\"x\",\"a\":[");
	for (size_t i = 0; i < n; i++) {
		t[k++] = '1';
		t[k++] = ',';
	}
	k += (size_t)sprintf(t + k - 1, "]}") - 1;
	struct run r;
	run_scan_len(&r, "big.json", t, k);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0].rule, "scan-limit");
	assert_int_equal(r.out.v[0].severity, SG_SEV_BLOCK);
	finding_list_free(&r.out);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(show_json_plan_and_state_are_recognised),
		cmocka_unit_test(other_terraform_json_is_not_show_json),
		cmocka_unit_test(pulumi_checkpoint_and_export_are_recognised),
		cmocka_unit_test(unversioned_pulumi_checkpoints_are_state_with_counts_and_types),
		cmocka_unit_test(encrypted_envelope_needs_all_parts_and_no_version),
		cmocka_unit_test(legacy_plan_magic_is_a_plan),
		cmocka_unit_test(json_budget_failure_is_reported_not_passed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
