/*
 * tf_cli_credentials: Terraform CLI credentials: credentials.tfrc.json from
 * `terraform login` and `credentials "<host>" { token = ... }` blocks in
 * .terraformrc / terraform.rc / *.tfrc (recognised by content, any name).
 * Token shapes in other files are tokens.c's business.
 */
#include "detect/detect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "detect/hcl.h"

/* A token blocks when its evidence says credential (see credval.c), else it is a warning. */
static void report(struct blob *b, const char *host, const char *token, size_t line)
{
	const char *why;
	enum cred_verdict v = cred_judge(token, &why);
	if (v == CRED_PLACEHOLDER)
		return;
	char red[64];
	finding_redact(token, strlen(token), red, sizeof(red));
	cJSON *d = cJSON_CreateObject();
	if (d) {
		cJSON_AddStringToObject(d, "host", host);
		cJSON_AddStringToObject(d, "token", red);
		if (line)
			cJSON_AddNumberToObject(d, "line", (double)line);
		cJSON_AddStringToObject(d, "evidence", why);
	}
	char *msg = v == CRED_EXAMPLE
	                ? xasprintf("Terraform CLI credentials for %.100s with a token (%s) that "
	                            "looks like %s, not a real token; keep CLI configuration out of "
	                            "the repository.",
	                            host, red, why)
	                : xasprintf("Terraform CLI credentials: an API token for %.100s (%s; %s) "
	                            "in plain text. Revoke it (terraform logout / the host's token "
	                            "settings) and keep CLI configuration out of the repository.",
	                            host, red, why);
	struct finding *f = finding_list_add(b->ctx->out, "tf-cli-credentials",
	                                     v == CRED_EXAMPLE ? SG_SEV_WARN : SG_SEV_BLOCK, b->path,
	                                     msg, d);
	f->lowerable = v == CRED_SECRET;
	free(msg);
}

static void json_detect(struct blob *b)
{
	const cJSON *creds = json_get(b->root, "credentials");
	const cJSON *h;
	if (!cJSON_IsObject(creds))
		return;
	cJSON_ArrayForEach(h, creds) {
		const cJSON *tok = json_get(h, "token");
		if (h->string && cJSON_IsString(tok) && !backend_is_placeholder(tok->valuestring))
			report(b, h->string, tok->valuestring, 0);
	}
}

static int hcl_cb_creds(const struct hcl_event *ev, void *arg)
{
	struct blob *b = arg;
	if (ev->kind != HCL_EV_ATTR || ev->depth != 1 || !hcl_span_eq(ev->name, "token") ||
	    !hcl_span_eq(ev->frames[0].type, "credentials") || !ev->frames[0].nlabels ||
	    !hcl_value_is_literal(ev))
		return 0;
	char *host = hcl_span_dup(ev->frames[0].labels[0]);
	char *tok = hcl_span_dup(ev->value);
	if (!backend_is_placeholder(tok))
		report(b, host, tok, ev->line);
	free(host);
	free(tok);
	return 0;
}

int tf_cli_credentials_detect(struct blob *b)
{
	if (b->json == JSON_OK)
		json_detect(b);
	else if ((b->pf & PF_HCL) && b->json == JSON_NOT_TRIED &&
	         util_memmem(b->data, b->len, "credentials", 11))
		hcl_scan((const char *)b->data, b->len, hcl_cb_creds, b);
	return 0;
}
