/* Unit tests for detect/ credential families: tokens, backend credentials, CLI credentials, prefilter. */
#include "detect_run.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/finding.h"
#include "pipeline/pipeline.h"
#include "detect/detect.h"
#include "detect/detect_int.h"

/* Expects exactly `n` findings of `rule` (and no secret text in any message). */
static void expect(const char *path, const char *text, const char *rule, size_t n,
                   const char *secret)
{
	struct run r;
	run_scan(&r, path, text);
	if (count_rule(&r, rule) != n) {
		for (size_t i = 0; i < r.out.n; i++)
			print_message("got %s: %s\n", r.out.v[i].rule, r.out.v[i].message);
		fail_msg("%s: expected %zu x %s", path, n, rule);
	}
	for (size_t i = 0; secret && i < r.out.n; i++) {
		char *d = cJSON_PrintUnformatted(r.out.v[i].details);
		assert_null(strstr(r.out.v[i].message, secret));
		assert_null(strstr(d, secret));
		free(d);
	}
	finding_list_free(&r.out);
}

#define AKID "AKIAZ7QWERTY2345ABCD"
#define ASK "k8Jd0Qp3Lr/Zx9Tn2Vb+Wq7Hy5Mc1Ef4Gs6Ua0Ti"
#define TFC "Ab3dE5gH7jK9mN.atlasv1.Qw3rTy5uIo7pAs9dFg1hJk3lZx5cVb7nMq9wEr1tYu3iOp5aSd7fGh9jKl1zXc3vB"

static void aws_keys_are_found_and_redacted(void **state)
{
	(void)state;
	expect("creds", "aws_access_key_id = " AKID "\naws_secret_access_key = " ASK "\n",
	       "aws-access-key", 1, AKID);
	expect("creds", "aws_access_key_id = " AKID "\naws_secret_access_key = " ASK "\n",
	       "aws-secret-key", 1, ASK);
	/* a secret next to a key id is found even without a keyword */
	expect("x.json", "{\"id\":\"" AKID "\",\"k\":\"" ASK "\"}", "aws-secret-key", 1, ASK);
	/* escaped newlines inside JSON do not hide a secret_key assignment */
	expect("s.json", "{\"secret_key\": \"" ASK "\"}", "aws-secret-key", 1, ASK);
}

static void aws_guards_hold(void **state)
{
	(void)state;
	expect("doc.md", "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	       "aws-access-key", 0, NULL);
	expect("doc.md", "secret = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"", "aws-secret-key", 0,
	       NULL);
	expect("sha", "secret = \"3f786850e387550fdab836ed7e6dc881de23001b\"\n"
	              "secret = \"3F786850E387550FDAB836ED7E6DC881DE23001B\"",
	       "aws-secret-key", 0, NULL);
	/* a random 40-char string with no key id and no keyword is not a secret */
	expect("x", "value: " ASK "\n", "aws-secret-key", 0, NULL);
	/* longer base64 runs are not 40-char secrets */
	expect("x", "secret = \"" ASK "AAAA\"", "aws-secret-key", 0, NULL);
	/* the shape of a secret key filled with an alphabet or a copied word is an example */
	expect("x", "secret_key = \"abcdefghijklmnopqrstuvwxyzABCD0123456789\"", "aws-secret-key", 0,
	       NULL);
	expect("x", "secret_key = \"k8Jd0Qp3Lr/Zx9Tn2Vb+Wq7Hy5Mc1Ef4Gs6UfakeT\"", "aws-secret-key", 0,
	       NULL);
	/* identifiers that are not credentials */
	expect("x", "AIDAZ7QWERTY2345ABCD AROAZ7QWERTY2345ABCD", "aws-access-key", 0, NULL);
	expect("x", "XAKIAZ7QWERTY2345ABCD", "aws-access-key", 0, NULL);
}

static void tfc_and_tf_token_variables_are_found(void **state)
{
	(void)state;
	expect("ci.yml", "token: \"" TFC "\"", "tfc-token", 1, TFC);
	expect(".env", "TF_TOKEN_app_terraform_io=Zq8Xw2Ce4Rv6Tb8Yn0Um2Il4Ok6Pj8Hg\n", "tfc-token", 1,
	       "Zq8Xw2Ce4Rv6Tb8Yn0Um2Il4Ok6Pj8Hg");
	expect("ci.yml", "TF_TOKEN_app_terraform_io: ${{ secrets.TFC_TOKEN }}\n"
	                 "TF_TOKEN_example_com=$TOKEN\n",
	       "tfc-token", 0, NULL);
	expect("x", "xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	       "tfc-token", 0, NULL);
}

static void vault_tokens_and_private_keys_are_found(void **state)
{
	(void)state;
	char hvs[200];
	snprintf(hvs, sizeof(hvs), "VAULT_TOKEN=hvs.%s", "CAESIJ3kF9q2Lm8Xw4Zp0Rt6Yb1Nc7Vd5Ue3Gh9Jk2Ls4Qa8Wo0Ei6Ry1Tu3Ip5GhUkN2xCmZp4Bq7Wv9Lr1Ys3Df6Hj8Kl0");
	expect("x", hvs, "vault-token", 1, "CAESIJ3kF9q2");
	expect("x", "export VAULT_TOKEN=s.k3j4h5g6f7d8s9a0q1w2e3r4\n", "vault-token", 1, NULL);
	expect("x", "see s.k3j4h5g6f7d8s9a0q1w2e3r4 for details\n", "vault-token", 0, NULL);
	char pem[1024] = "{\"private_key_pem\": \"-----BEGIN RSA PRIVATE KEY-----\\n";
	for (int i = 0; i < 3; i++)
		strcat(pem, "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\\n");
	strcat(pem, "-----END RSA PRIVATE KEY-----\\n\"}");
	expect("state.json", pem, "private-key", 1, "MIIEow");
	expect("README", "-----BEGIN OPENSSH PRIVATE KEY-----\n...\n-----END OPENSSH PRIVATE KEY-----",
	       "private-key", 0, NULL);
}

static void backend_credentials_need_a_literal_value(void **state)
{
	(void)state;
	expect("main.tf", "terraform {\n backend \"s3\" {\n  bucket = \"b\"\n  secret_key = \"" ASK
	                  "\"\n }\n}\n",
	       "tf-backend-credentials", 1, ASK);
	expect("main.tf", "terraform {\n backend \"s3\" {\n  bucket = \"b\"\n  access_key = null\n"
	                  "  secret_key = var.k\n  token = \"\"\n  password = \"${var.p}\"\n }\n}\n",
	       "tf-backend-credentials", 0, NULL);
	expect("main.tf", "terraform {\n backend \"gcs\" {\n  credentials = \"keys/sa.json\"\n }\n}\n",
	       "tf-backend-credentials", 0, NULL);
	/* a provider block is not a backend */
	expect("main.tf", "provider \"aws\" {\n  secret_key = \"abcdefgh\"\n}\n",
	       "tf-backend-credentials", 0, NULL);
	expect("backend.hcl", "bucket = \"b\"\nkey = \"k\"\npassword = \"pw123456\"\n",
	       "tf-backend-credentials", 1, "pw123456");
	expect("vars.txt", "bucket = \"b\"\nkey = \"k\"\npassword = \"pw123456\"\n",
	       "tf-backend-credentials", 1, "pw123456");
	expect("main.tf", "terraform {\n backend \"local\" {\n  path = \"x.tfstate\"\n }\n}\n",
	       "tf-local-backend", 1, NULL);
	expect("main.tf", "terraform {\n encryption {\n  key_provider \"static\" \"k\" {\n"
	                  "   key = \"9f86d081884c7d659a2feaa0c55ad015\"\n  }\n }\n}\n",
	       "tf-backend-credentials", 1, NULL);
}

static void tf_json_backend_credentials_are_found(void **state)
{
	(void)state;
	expect("main.tf.json", "{\"terraform\":{\"backend\":{\"s3\":{\"bucket\":\"b\","
	                       "\"secret_key\":\"" ASK "\",\"token\":null}}}}",
	       "tf-backend-credentials", 1, ASK);
	expect("main.tf.json", "{\"terraform\":[{\"cloud\":{\"organization\":\"o\","
	                       "\"token\":\"${var.t}\"}}]}",
	       "tf-backend-credentials", 0, NULL);
}

static void snapshot_credentials_skip_nulls(void **state)
{
	(void)state;
	expect(".terraform/terraform.tfstate",
	       "{\"version\":3,\"backend\":{\"type\":\"s3\",\"config\":{\"bucket\":\"b\","
	       "\"access_key\":null,\"secret_key\":null,\"token\":null},\"hash\":1}}",
	       "tf-backend-credentials", 0, NULL);
	expect("renamed.json",
	       "{\"version\":3,\"backend\":{\"type\":\"s3\",\"config\":{\"bucket\":\"b\","
	       "\"access_key\":null,\"secret_key\":\"" ASK "\"},\"hash\":1}}",
	       "tf-backend-credentials", 1, ASK);
	expect("renamed.json",
	       "{\"version\":3,\"backend\":{\"type\":\"s3\",\"config\":{},\"hash\":1}}",
	       "tf-backend-snapshot", 1, NULL);
}

static void cli_credentials_json_and_hcl(void **state)
{
	(void)state;
	expect("creds.json", "{\"credentials\":{\"tfe.example.com\":{\"token\":\"abc123def456\"}}}",
	       "tf-cli-credentials", 1, "abc123def456");
	expect("rc", "credentials \"tfe.example.com\" {\n  token = \"abc123def456\"\n}\n",
	       "tf-cli-credentials", 1, "abc123def456");
	expect("rc", "credentials_helper \"x\" {\n  args = []\n}\n", "tf-cli-credentials", 0, NULL);
}

/* The severity of the only finding of `rule` in `text`, or -1 if none. */
static int severity_of(const char *path, const char *text, const char *rule)
{
	struct run r;
	run_scan(&r, path, text);
	int sev = count_rule(&r, rule) == 1 ? (int)find_rule(&r, rule)->severity : -1;
	if (count_rule(&r, rule) == 1 && sev == SG_SEV_BLOCK)
		assert_true(find_rule(&r, rule)->lowerable || !strcmp(rule, "private-key"));
	finding_list_free(&r.out);
	return sev;
}

static char *enc_block(const char *attr, const char *value)
{
	static char buf[800];
	snprintf(buf, sizeof(buf),
	         "terraform {\n  encryption {\n    key_provider \"pbkdf2\" \"k\" {\n      %s = \"%s\"\n"
	         "    }\n  }\n}\n",
	         attr, value);
	return buf;
}

static void backend_values_that_are_no_credentials_only_warn(void **state)
{
	(void)state;
	/* each written here after a false positive seen in public repositories' docs and tests */
	static const char *const examples[] = {
		"correct-horse-battery-staple", "hunter2", "foo", "OpenTofu has encryption",
		"This is passphrase 1", "SUPERSECRETPASSPHRASE", "GOOGLE_ENCRYPTION_KEY",
		"__FILL_IN_OPENBAO_TOKEN__", "abcdefghijklmnopqrstuvwxyz0123456789...",
		"sv=2024-11-04&ss=b&srt=sco&sp=rwdlac&se=2025-08-05T23:46:49Z&spr=https&sig=abcdefg...",
		"?sv=2021-06-08&ss=b&sp=rwdlacx&sig=qwe", "Kq3v9Zp2Lm8Xr4Tw\xe2\x80\xa6", "secret",
		"testpassphrase123", "randompassphrase123456", "AmyFarrahFowler",
		"aaaaaaaa-83f1-47ec-9b2d-2aebf6417167", "` + realToken + `", "my-backend-key",
		"6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f", NULL,
	};
	for (size_t i = 0; examples[i]; i++) {
		int sev = severity_of("infra/main.tf", enc_block("passphrase", examples[i]),
		                      "tf-backend-credentials");
		if (sev != SG_SEV_WARN)
			fail_msg("\"%s\": expected a warning, got %d", examples[i], sev);
	}
	/* the finding says what the value looks like */
	struct run r;
	run_scan(&r, "main.tf", enc_block("passphrase", "This is passphrase 1"));
	assert_non_null(strstr(r.out.v[0].message, "a sentence"));
	assert_string_equal(cJSON_GetObjectItem(r.out.v[0].details, "evidence")->valuestring,
	                    "words or a sentence (it has spaces)");
	finding_list_free(&r.out);
	/* a connection string without a password holds no secret at all */
	expect("main.tf", "terraform {\n backend \"pg\" {\n  conn_str = "
	                  "\"postgres://localhost/terraform_backend\"\n }\n}\n",
	       "tf-backend-credentials", 0, NULL);
}

static void backend_values_that_look_like_credentials_still_block(void **state)
{
	(void)state;
	static const char *const secrets[] = {
		ASK, "pw123456", "Xk9mP2qLw7", "26281afb-83f1-47ec-9b2d-2aebf6417167",
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"sv=2022-11-02&ss=b&sig=Qw3rTy5uIo7pAs9dFg1hJk3lZx5cVb7nMq9wEr1tYu3",
		"postgres://tf:pass@db.internal/terraform",
		"{\\\"type\\\": \\\"service_account\\\", \\\"private_key\\\": \\\"-----BEGIN PRIVATE KEY-----\\\\nMIIEvQ\\\"}",
		NULL,
	};
	for (size_t i = 0; secrets[i]; i++) {
		int sev = severity_of("infra/main.tf", enc_block("passphrase", secrets[i]),
		                      "tf-backend-credentials");
		if (sev != SG_SEV_BLOCK)
			fail_msg("\"%s\": expected a block, got %d", secrets[i], sev);
	}
	/* a known token shape blocks and is not lowerable anywhere */
	struct run r;
	run_scan(&r, "docs/cloud.md", "terraform {\n  cloud {\n    token = \"" TFC "\"\n  }\n}\n");
	const struct finding *f = find_rule(&r, "tf-backend-credentials");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	assert_false(f->lowerable);
	finding_list_free(&r.out);
}

static void cli_tokens_that_are_no_credentials_only_warn(void **state)
{
	(void)state;
	static const char *const examples[] = {
		"xxxxxx.atlasv1.zzzzzzzzzzzzz", "__registry_token__", "` + realToken + `",
		"foo the bar baz", NULL,
	};
	char text[400];
	for (size_t i = 0; examples[i]; i++) {
		snprintf(text, sizeof(text), "credentials \"app.terraform.io\" {\n  token = \"%s\"\n}\n",
		         examples[i]);
		if (severity_of(".terraformrc", text, "tf-cli-credentials") != SG_SEV_WARN)
			fail_msg("\"%s\": expected a warning", examples[i]);
	}
	snprintf(text, sizeof(text), "credentials \"app.terraform.io\" {\n  token = \"%s\"\n}\n", TFC);
	struct run r;
	run_scan(&r, "test/fixtures/.terraformrc", text);
	const struct finding *f = find_rule(&r, "tf-cli-credentials");
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	assert_false(f->lowerable);
	finding_list_free(&r.out);
}

#define KEY_LINES                                                                                 \
	"MIIEowIBAAKCAQEAoahsvJ1rIxTIOOmJZ7yErs5eOq/Kv9+5l3h0LbxW78K8//Kb\n"                      \
	"OMU3v8F3h8jp+AB/1zGr5UBYfnYp5ncJm/OTCXLFAHxGibEbRnf1m2A3o0hEaWsw\n"                      \
	"Zq7cN1v4Lm2Tx9Rb5Yw3Jk8Hd6Fs0Ge7Pa1Qc4Ui2Vn5Xo8Wr3Ez6Ty9Bm1Dl4Kf\n"

static void private_keys_block_only_when_complete(void **state)
{
	(void)state;
	/* an excerpt in an upgrade guide: no END line */
	assert_int_equal(severity_of("guide.md",
	                             "$ terraform output -raw private_key\n"
	                             "-----BEGIN RSA PRIVATE KEY-----\n" KEY_LINES "# (etc...)\n```\n",
	                             "private-key"),
	                 SG_SEV_WARN);
	/* BEGIN and END around a body that does not decode */
	assert_int_equal(severity_of("k.pem",
	                             "-----BEGIN RSA PRIVATE KEY-----\n" KEY_LINES "MIIE...\n"
	                             "-----END RSA PRIVATE KEY-----\n",
	                             "private-key"),
	                 SG_SEV_WARN);
	/* complete: raw, in a Go string joined with ` + `, in a comment, escaped in JSON */
	assert_int_equal(severity_of("k.pem",
	                             "-----BEGIN RSA PRIVATE KEY-----\n" KEY_LINES
	                             "-----END RSA PRIVATE KEY-----\n",
	                             "private-key"),
	                 SG_SEV_BLOCK);
	assert_int_equal(severity_of("k_test.go",
	                             "var k = `-----BEGIN RSA PRIVATE KEY-----\n"
	                             "MIIEowIBAAKCAQEAoahsvJ1rIxTIOOmJZ7yE` + `rs5eOq/Kv9+5l3h0LbxW78K8//Kb\n"
	                             "OMU3v8F3h8jp+AB/1zGr5UBYfnYp5ncJm/OTCXLFAHxGibEbRnf1m2A3o0hEaWsw\n"
	                             "-----END RSA PRIVATE KEY-----`\n",
	                             "private-key"),
	                 SG_SEV_BLOCK);
	assert_int_equal(severity_of("tls_test.go",
	                             "// -----BEGIN EC PRIVATE KEY-----\n"
	                             "// MIIEowIBAAKCAQEAoahsvJ1rIxTIOOmJZ7yErs5eOq/Kv9+5l3h0LbxW78K8//Kb\n"
	                             "// OMU3v8F3h8jp+AB/1zGr5UBYfnYp5ncJm/OTCXLFAHxGibEbRnf1m2A3o0hEaWsw\n"
	                             "// -----END EC PRIVATE KEY-----\n",
	                             "private-key"),
	                 SG_SEV_BLOCK);
	assert_int_equal(severity_of("k.json",
	                             "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n"
	                             "MIIEowIBAAKCAQEAoahsvJ1rIxTIOOmJZ7yErs5eOq/Kv9+5l3h0LbxW78K8//Kb\\n"
	                             "OMU3v8F3h8jp+AB/1zGr5UBYfnYp5ncJm/OTCXLFAHxGibEbRnf1m2A3o0hEaWsw\\n"
	                             "-----END PRIVATE KEY-----\\n\"}",
	                             "private-key"),
	                 SG_SEV_BLOCK);
}

static void lock_file_is_never_blocked(void **state)
{
	(void)state;
	struct run r;
	run_scan(&r, "mod/.terraform.lock.hcl",
	         "provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.0.0\"\n"
	         "  hashes = [\"h1:" ASK "=\", \"zh:3f786850e387550fdab836ed7e6dc881de23001b\"]\n}\n");
	assert_int_equal(r.out.n, 0);
	finding_list_free(&r.out);
}

static void prefilter_streams_across_chunk_borders(void **state)
{
	(void)state;
	const char *t = "   {\"a\": 1, \"LINEAGE\": \"x\"}";
	for (size_t cut = 1; cut < strlen(t); cut++) {
		struct prefilter pf;
		prefilter_init(&pf);
		prefilter_feed(&pf, (const unsigned char *)t, cut);
		prefilter_feed(&pf, (const unsigned char *)t + cut, strlen(t) - cut);
		assert_true(pf.flags & PF_JSON);
	}
	assert_false(prefilter_run((const unsigned char *)"int main(void) { return 0; }", 28) &
	             (PF_JSON | PF_TOKENS | PF_BINARY));
	assert_true(prefilter_run((const unsigned char *)"{\"\\u006cin\": 1}", 15) & PF_JSON);
	assert_false(prefilter_run((const unsigned char *)"{\"name\": \"x\"}", 13) & PF_JSON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aws_keys_are_found_and_redacted),
		cmocka_unit_test(aws_guards_hold),
		cmocka_unit_test(tfc_and_tf_token_variables_are_found),
		cmocka_unit_test(vault_tokens_and_private_keys_are_found),
		cmocka_unit_test(backend_credentials_need_a_literal_value),
		cmocka_unit_test(tf_json_backend_credentials_are_found),
		cmocka_unit_test(snapshot_credentials_skip_nulls),
		cmocka_unit_test(cli_credentials_json_and_hcl),
		cmocka_unit_test(backend_values_that_are_no_credentials_only_warn),
		cmocka_unit_test(backend_values_that_look_like_credentials_still_block),
		cmocka_unit_test(cli_tokens_that_are_no_credentials_only_warn),
		cmocka_unit_test(private_keys_block_only_when_complete),
		cmocka_unit_test(lock_file_is_never_blocked),
		cmocka_unit_test(prefilter_streams_across_chunk_borders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
