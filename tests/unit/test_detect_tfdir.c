/* Unit tests for the rest of a Terraform working directory: output -json, variable files (with
 * the .tf files beside them, read from a real directory), debug and crash logs. */
#include "detect_run.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/finding.h"
#include "pipeline/pipeline.h"
#include "core/util.h"
#include "detect/detect.h"
#include "detect/detect_int.h"
#include "source/files.h"

#define FIX "tests/fixtures/terraform/"

static char *slurp(const char *path, size_t *len)
{
	unsigned char *d = NULL;
	if (util_read_file(path, 1u << 24, &d, len) != 0)
		fail_msg("cannot read %s (run from the repository root)", path);
	return (char *)d;
}

static void expect(const char *path, const char *text, const char *rule, int sev)
{
	struct run r;
	run_scan(&r, path, text);
	const struct finding *f = find_rule(&r, rule);
	if (sev < 0 && f)
		fail_msg("%s: unexpected %s: %s", path, rule, f->message);
	if (sev >= 0 && !f)
		fail_msg("%s: no %s finding", path, rule);
	if (f)
		assert_int_equal(f->severity, sev);
	finding_list_free(&r.out);
}

/* ---------------------------------------------------------------- output -json */

static void output_json_made_by_terraform_blocks_when_an_output_is_sensitive(void **state)
{
	(void)state;
	size_t n;
	char *s = slurp(FIX "outputs-sensitive.json", &n);
	struct run r;
	run_scan(&r, "outputs.json", s);
	const struct finding *f = find_rule(&r, "tf-output-json");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	char *d = cJSON_PrintUnformatted(f->details);
	assert_non_null(strstr(d, "\"sensitive_outputs\":[\"api_token\",\"db_password\"]"));
	/* values are never in a finding */
	for (size_t i = 0; i < r.out.n; i++) {
		char *all = cJSON_PrintUnformatted(r.out.v[i].details);
		assert_null(strstr(all, "Pa55w0rd"));
		assert_null(strstr(r.out.v[i].message, "Pa55w0rd"));
		assert_null(strstr(all, "9f8e7d6c5b4a"));
		free(all);
	}
	free(d);
	finding_list_free(&r.out);
	free(s);
	s = slurp(FIX "outputs-plain.json", &n);
	expect("outputs.json", s, "tf-output-json", SG_SEV_WARN);
	free(s);
}

static void output_json_shape_is_checked_member_by_member(void **state)
{
	(void)state;
	expect("o.json", "{\"a\":{\"value\":\"x\",\"type\":\"string\"}}", "tf-output-json",
	       SG_SEV_WARN);
	expect("o.json", "{\"a\":{\"value\":{},\"type\":[\"object\",{}],\"sensitive\":true}}",
	       "tf-output-json", SG_SEV_BLOCK);
	/* Azure deployment outputs say "String"; other keys, a missing type, an empty object */
	expect("o.json", "{\"a\":{\"value\":\"x\",\"type\":\"String\"}}", "tf-output-json", -1);
	expect("o.json", "{\"a\":{\"value\":\"x\",\"type\":\"string\",\"note\":1}}", "tf-output-json",
	       -1);
	expect("o.json", "{\"a\":{\"value\":\"x\"}}", "tf-output-json", -1);
	expect("o.json", "{\"a\":{\"value\":\"x\",\"type\":\"string\"},\"b\":2}", "tf-output-json", -1);
	expect("o.json", "{}", "tf-output-json", -1);
}

/* ---------------------------------------------------------------- variable files */

static void secret_names_and_placeholders(void **state)
{
	(void)state;
	static const char *const secret[] = {"db_password", "passwd", "client_secret", "api_token",
	                                     "API-KEY", "private_key", "access_key",
	                                     "storage_conn_str", "connection_string", "sas",
	                                     "blob_sas", "admin_pwd", NULL};
	static const char *const not_secret[] = {"region", "secret_name", "secret_arn",
	                                         "token_ttl", "password_length", "kms_key_id",
	                                         "instance_count", "sassy", "access_key_id",
	                                         "token_url", NULL};
	for (size_t i = 0; secret[i]; i++)
		if (!tf_vars_secret_name(secret[i]))
			fail_msg("%s should be a secret name", secret[i]);
	for (size_t i = 0; not_secret[i]; i++)
		if (tf_vars_secret_name(not_secret[i]))
			fail_msg("%s should not be a secret name", not_secret[i]);
	static const char *const ph[] = {"", "  ", "<db password>", "${var.pw}", "CHANGE_ME",
	                                 "changeme", "please-change-me", "REPLACE_ME", "TODO",
	                                 "TODO: set", "xxxxxxxx", "XXXX", "********", NULL};
	static const char *const real[] = {"hunter2hunter2", "Todo1234List", "x1x1x1", NULL};
	for (size_t i = 0; ph[i]; i++)
		if (!tf_vars_is_placeholder(ph[i]))
			fail_msg("'%s' should be a placeholder", ph[i]);
	for (size_t i = 0; real[i]; i++)
		if (tf_vars_is_placeholder(real[i]))
			fail_msg("'%s' should not be a placeholder", real[i]);
}

static void tfvars_with_secret_names_are_blocked_by_name_alone(void **state)
{
	(void)state;
	const char *hcl = "region = \"eu-west-1\"\n"
	                  "db_password = \"S3cr3t-Value-1\"\n"
	                  "settings = {\n  name = \"x\"\n  client_secret = \"abcdef123456\"\n}\n";
	struct run r;
	run_scan(&r, "envs/prod/prod.tfvars", hcl);
	const struct finding *f = find_rule(&r, "tf-vars-secret");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	char *d = cJSON_PrintUnformatted(f->details);
	assert_non_null(strstr(d, "\"name\":\"db_password\",\"line\":2,\"value\":\""));
	assert_non_null(strstr(d, "(14 chars)"));
	assert_non_null(strstr(d, "\"name\":\"settings.client_secret\",\"line\":5"));
	assert_null(strstr(d, "Value-1"));
	free(d);
	finding_list_free(&r.out);
	expect("x.auto.tfvars.json", "{\"api_token\":\"tok-abc123def456\",\"db\":{\"password\":\"p4ss-w0rd\"}}",
	       "tf-vars-secret", SG_SEV_BLOCK);
	expect("backup.zip!infra/terraform.tfvars", "token = \"tok-abc123def456\"\n", "tf-vars-secret",
	       SG_SEV_BLOCK);
	expect("t.tfvars", "db_passwords = [\"Sup3r-one\", \"${var.x}\"]\n", "tf-vars-secret",
	       SG_SEV_BLOCK);
	/* not a variable file: other rules' business */
	expect("main.tf", "db_password = \"S3cr3t-Value-1\"\n", "tf-vars-secret", -1);
}

static void tfvars_json_above_the_parse_limit_is_blocked_unexamined(void **state)
{
	(void)state;
	struct run r;
	const char *text = "{\"region\": \"eu-west-1\", \"n\": 12345678901234567890}";
	memset(&r, 0, sizeof(r));
	scan_limits_default(&r.limits);
	r.limits.parse_bytes = 16;
	finding_list_init(&r.out);
	r.ctx.limits = &r.limits;
	r.ctx.out = &r.out;
	assert_int_equal(detect_blob(&r.ctx, "prod.tfvars.json", (const unsigned char *)text,
	                             strlen(text), 0, 0), 0);
	const struct finding *f = find_rule(&r, "scan-limit");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	finding_list_free(&r.out);
}

static void dev_tfvars_with_regions_counts_and_placeholders_passes(void **state)
{
	(void)state;
	expect("dev.tfvars",
	       "region = \"eu-west-1\"\ninstance_count = 2\nenable_nat = true\n"
	       "db_password = \"\"\napi_token = \"<your token>\"\nclient_secret = \"${var.x}\"\n"
	       "access_key = \"CHANGE_ME\"\ntoken = \"xxxxxxxx\"\nsecret = \"********\"\n"
	       "passwd = \"TODO\"\nconn_str = null\nprivate_key = file(\"key.pem\")\n"
	       "secret_name = \"prod/db\"\nssh_private_key = \"~/.ssh/id_rsa\"\n"
	       "db_password_secret = \"arn:aws:secretsmanager:eu-west-1:1:secret:x\"\n"
	       "admins = [\"alice\", \"bob\"]\napi_tokens = [\"${var.t}\"]\n",
	       "tf-vars-secret", -1);
	expect("dev.tfvars.json", "{\"region\":\"eu-west-1\",\"db_password\":\"REPLACE_ME\",\"n\":3}",
	       "tf-vars-secret", -1);
}

static void declared_sensitive_variables_come_from_the_tf_files_beside(void **state)
{
	(void)state;
	char dir[] = "/tmp/sg-tfvars-XXXXXX";
	assert_int_equal(
	    unit_fixture(dir, "cd '%s' && mkdir a b && "
	                      "printf 'variable \"db_master\" {\\n  sensitive = true\\n}\\n' > a/variables.tf && "
	                      "printf '{\"variable\":{\"signing\":{\"sensitive\":true}}}' > a/more.tf.json && "
	                      "printf 'variable \"db_master\" {}\\n' > b/variables.tf"),
	    0);
	const char *vars = "region = \"eu-west-1\"\ndb_master = \"Sup3r-Value\"\nsigning = \"k-123456\"\n";
	char pa[64], pb[64];
	snprintf(pa, sizeof(pa), "%s/a/prod.tfvars", dir);
	snprintf(pb, sizeof(pb), "%s/b/prod.tfvars", dir);
	struct run r;
	memset(&r, 0, sizeof(r));
	scan_limits_default(&r.limits);
	finding_list_init(&r.out);
	r.ctx.limits = &r.limits;
	r.ctx.out = &r.out;
	r.ctx.siblings = &files_siblings;
	assert_int_equal(detect_blob(&r.ctx, pa, (const unsigned char *)vars, strlen(vars), 0, 0), 0);
	assert_int_equal(detect_blob(&r.ctx, pb, (const unsigned char *)vars, strlen(vars), 0, 0), 0);
	assert_int_equal(r.out.n, 1);
	assert_string_equal(r.out.v[0].path, pa);
	char *d = cJSON_PrintUnformatted(r.out.v[0].details);
	assert_non_null(strstr(d, "\"name\":\"db_master\",\"line\":2"));
	assert_non_null(strstr(d, "\"name\":\"signing\",\"line\":3"));
	assert_non_null(strstr(d, "\"because\":\"declared sensitive\""));
	assert_non_null(strstr(d, "\"sensitive_declarations_checked\":true"));
	assert_null(strstr(d, "region"));
	free(d);
	finding_list_free(&r.out);
	unit_rm_fixture(dir);
}

static void declarations_that_cannot_be_parsed_are_a_scan_error_not_a_pass(void **state)
{
	(void)state;
	char dir[] = "/tmp/sg-tfvars-XXXXXX";
	assert_int_equal(unit_fixture(dir, "cd '%s' && printf '{\"variable\":{\"db_master\":"
	                                   "{\"sensitive\":true}}}' > variables.tf.json"),
	                 0);
	const char *vars = "db_master = \"Sup3r-Value\"\ntoken = \"tok-abc123def456\"\n";
	char path[64];
	snprintf(path, sizeof(path), "%s/prod.tfvars", dir);
	struct run r;
	memset(&r, 0, sizeof(r));
	scan_limits_default(&r.limits);
	r.limits.parse_bytes = 16;
	finding_list_init(&r.out);
	r.ctx.limits = &r.limits;
	r.ctx.out = &r.out;
	r.ctx.siblings = &files_siblings;
	assert_int_equal(detect_blob(&r.ctx, path, (const unsigned char *)vars, strlen(vars), 0, 0), 0);
	const struct finding *e = find_rule(&r, "scan-error"), *f = find_rule(&r, "tf-vars-secret");
	assert_non_null(e);
	assert_true(e->is_error);
	assert_non_null(strstr(e->message, "variables.tf.json"));
	/* the secret-named one is still reported, and the details say the check was incomplete */
	assert_non_null(f);
	char *d = cJSON_PrintUnformatted(f->details);
	assert_non_null(strstr(d, "\"name\":\"token\""));
	assert_non_null(strstr(d, "\"sensitive_declarations_checked\":false"));
	free(d);
	finding_list_free(&r.out);
	unit_rm_fixture(dir);
}

/* ---------------------------------------------------------------- logs */

static void trace_and_crash_logs_made_by_terraform_are_blocked(void **state)
{
	(void)state;
	static const char *const files[] = {"trace.log", "trace-json.log", "crash.log", NULL};
	for (size_t i = 0; files[i]; i++) {
		size_t n;
		char path[128];
		snprintf(path, sizeof(path), FIX "%s", files[i]);
		char *s = slurp(path, &n);
		assert_true(prefilter_run((const unsigned char *)s, n) & PF_TF_LOG);
		struct run r;
		run_scan(&r, "renamed.txt", s);
		const struct finding *f = find_rule(&r, "tf-log");
		assert_non_null(f);
		assert_int_equal(f->severity, SG_SEV_BLOCK);
		char *d = cJSON_PrintUnformatted(f->details);
		assert_non_null(strstr(d, "\"terraform_version\":\"1.11.4\""));
		assert_non_null(strstr(d, "\"cli_var_names\":[\"db_password\"]"));
		assert_null(strstr(d, "Pa55w0rd"));
		assert_null(strstr(f->message, "Pa55w0rd"));
		free(d);
		finding_list_free(&r.out);
		free(s);
	}
}

static void backend_config_and_var_names_are_read_from_cli_args(void **state)
{
	(void)state;
	const char *log = "2020/06/01 10:00:00 [INFO] Terraform version: 0.12.29\n"
	                  "2020/06/01 10:00:00 [INFO] CLI args: []string{\"terraform\", \"init\", "
	                  "\"-backend-config=access_key=AKIAXXXX\", \"-backend-config\", "
	                  "\"backend.hcl\", \"-var=token=abc\"}\n";
	struct run r;
	run_scan(&r, "terraform.log", log);
	const struct finding *f = find_rule(&r, "tf-log");
	assert_non_null(f);
	char *d = cJSON_PrintUnformatted(f->details);
	assert_non_null(strstr(d, "\"cli_var_names\":[\"token\"]"));
	assert_non_null(strstr(d, "\"cli_backend_config_names\":[\"access_key\"]"));
	free(d);
	finding_list_free(&r.out);
}

static void ordinary_debug_logs_and_terraform_source_are_not_logs(void **state)
{
	(void)state;
	expect("app.log",
	       "2024-05-01T10:00:00.000Z [DEBUG] GET /api/backend/users 200\n"
	       "2024-05-01T10:00:01.000Z [INFO]  cache warm\n"
	       "2024-05-01T10:00:02.000Z [ERROR] backend/db: timeout\n",
	       "tf-log", -1);
	/* hclog JSON lines of another HashiCorp tool */
	expect("vault.log",
	       "{\"@level\":\"info\",\"@message\":\"core: successfully mounted backend\","
	       "\"@module\":\"core\",\"@timestamp\":\"2024-05-01T10:00:00Z\",\"path\":\"secret/\"}\n"
	       "{\"@level\":\"info\",\"@message\":\"core: post-unseal setup complete\","
	       "\"@timestamp\":\"2024-05-01T10:00:01Z\"}\n",
	       "tf-log", -1);
	/* the banner in Terraform's own source (a Go string), without a stack or log lines */
	expect("panic.go",
	       "const panicOutput = `\n"
	       "!!!!!!!!!!!!!!!!!!!!!!!!!!! TERRAFORM CRASH !!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`\n"
	       "log.Printf(\"[INFO] Terraform version: %s\", v)\n",
	       "tf-log", -1);
	/* banner + stack: stderr of a crash, saved */
	expect("crash.txt",
	       "!!!!!!!!!!!!!!!!!!!!!!!!!!! TERRAFORM CRASH !!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n"
	       "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n",
	       "tf-log", SG_SEV_BLOCK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(output_json_made_by_terraform_blocks_when_an_output_is_sensitive),
		cmocka_unit_test(output_json_shape_is_checked_member_by_member),
		cmocka_unit_test(secret_names_and_placeholders),
		cmocka_unit_test(tfvars_with_secret_names_are_blocked_by_name_alone),
		cmocka_unit_test(dev_tfvars_with_regions_counts_and_placeholders_passes),
		cmocka_unit_test(tfvars_json_above_the_parse_limit_is_blocked_unexamined),
		cmocka_unit_test(declared_sensitive_variables_come_from_the_tf_files_beside),
		cmocka_unit_test(declarations_that_cannot_be_parsed_are_a_scan_error_not_a_pass),
		cmocka_unit_test(trace_and_crash_logs_made_by_terraform_are_blocked),
		cmocka_unit_test(backend_config_and_var_names_are_read_from_cli_args),
		cmocka_unit_test(ordinary_debug_logs_and_terraform_source_are_not_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
