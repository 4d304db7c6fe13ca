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
	                  "   key = \"6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f\"\n  }\n }\n}\n",
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
		cmocka_unit_test(lock_file_is_never_blocked),
		cmocka_unit_test(prefilter_streams_across_chunk_borders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
