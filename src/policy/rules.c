/*
 * rules: the rule catalog. A new detector rule is added here so that configs
 * may name it (unknown ids in a config are errors: a typo must not pass) and
 * SARIF can explain it. No detection logic lives here.
 */
#include "policy/rules.h"

#include <string.h>

#define STATE_FIX                                                                                 \
	"Remove it from the commit (git rm --cached), ignore it in .gitignore and keep state in a " \
	"remote backend with locking."
#define SECRET_FIX "Remove it from the commit and rotate the credential: once committed it is leaked."

const struct rule_info rules_catalog[] = {
	{"tf-state", "Terraform/OpenTofu state",
	 "A Terraform/OpenTofu state file lists every resource an environment controls and often "
	 "secrets; with it, terraform destroy deletes that infrastructure. " STATE_FIX},
	{"tf-state-encrypted", "OpenTofu encrypted state",
	 "An OpenTofu encrypted state envelope: encrypted, but still the state of a live "
	 "environment; with the team's key, tofu destroy with it deletes everything it tracks. "
	 STATE_FIX},
	{"tf-backend-snapshot", "Terraform backend cache (.terraform/terraform.tfstate)",
	 "The .terraform/ backend snapshot records where live state is and sometimes backend "
	 "credentials. Ignore .terraform/ and never commit it."},
	{"tf-plan", "Saved Terraform plan",
	 "A saved plan embeds the prior state and configuration, secrets included. Do not commit "
	 "plan files; produce them in CI and keep them as protected artifacts."},
	{"tf-show-json", "terraform show -json output",
	 "JSON output of terraform show holds the full state or plan values. " STATE_FIX},
	{"tf-output-json", "terraform output -json output",
	 "Output of terraform output -json: sensitive outputs are in clear text there (block), the "
	 "others name live infrastructure (warn). Do not commit it; read outputs from the state "
	 "with a terraform_remote_state data source. " SECRET_FIX},
	{"tf-vars-secret", "Secret in a Terraform variable file",
	 "A *.tfvars or *.tfvars.json file sets a variable that is secret by name or declared "
	 "sensitive to a literal value. Pass secrets through TF_VAR_ environment variables or a "
	 "secret manager and ignore *.tfvars. " SECRET_FIX},
	{"tf-log", "Terraform/OpenTofu debug or crash log",
	 "A TF_LOG/TF_LOG_PATH debug log or crash log records CLI arguments (-var values), backend "
	 "settings and provider requests in clear text. Delete it and ignore crash*.log and log "
	 "files. " SECRET_FIX},
	{"pulumi-state", "Pulumi state", "A Pulumi checkpoint or stack export. " STATE_FIX},
	{"tf-cli-credentials", "Terraform CLI credentials",
	 "A CLI configuration or credentials.tfrc.json with an API token. " SECRET_FIX},
	{"tfc-token", "HCP Terraform / TFE API token", "An .atlasv1. API token. " SECRET_FIX},
	{"aws-access-key", "AWS access key id", "An AWS access key id. " SECRET_FIX},
	{"aws-secret-key", "AWS secret access key", "An AWS secret access key. " SECRET_FIX},
	{"vault-token", "HashiCorp Vault token", "A Vault token. " SECRET_FIX},
	{"private-key", "Private key", "A PEM or OpenSSH private key block. " SECRET_FIX},
	{"tf-backend-credentials", "Credentials in a backend configuration",
	 "A backend, cloud, remote_state or encryption block with a literal credential. Pass "
	 "backend credentials through the environment instead. " SECRET_FIX},
	{"tf-local-backend", "Local backend",
	 "A backend \"local\" block keeps state in the work tree, where it gets committed. Use a "
	 "remote backend with locking."},
	{"archive-corrupt", "Corrupt or inconsistent archive",
	 "The archive could not be read consistently, so its content cannot be proven clean. "
	 "Repair or remove it."},
	{"archive-encrypted", "Encrypted archive member",
	 "An encrypted archive member cannot be examined; its name suggests what it holds."},
	{"archive-limit", "Archive budget exceeded",
	 "Unpacking stopped at a configured limit (depth, bytes, members or ratio). Raise the limit "
	 "in .stateguard.json \"limits\" if the archive is legitimate."},
	{"text-encoding", "Invalid UTF-16/UTF-32 text",
	 "UTF-16 or UTF-32 text held lone surrogates, values out of range or a truncated last "
	 "character; it was scanned with U+FFFD in their place. Informational."},
	{"scan-limit", "Content above a scan limit",
	 "A blob or archive member was larger than a configured limit (parse_bytes, file_bytes, "
	 "member_bytes) and the streaming checks could not rule an artifact out. Raise the limit in "
	 ".stateguard.json \"limits\" if the file is legitimate."},
	{"scan-error", "Content that could not be examined",
	 "stateguard does not pass what it could not read. Fix the cause named in the message."},
	{"lfs-object-missing", "Git LFS object not available",
	 "A file is stored with Git LFS and the object its pointer names is not in the LFS store "
	 "this check reads, so its content was not examined. On a client, fetch or re-add it "
	 "(git lfs fetch, git add); on a server, the pointer is refused until the object is "
	 "uploaded (git lfs push --all REMOTE)."},
	{"lfs-object-mismatch", "Git LFS object that does not match its pointer",
	 "The object in the LFS store has another SHA-256 or size than its pointer states: the "
	 "content is not what the pointer names. Add the file again with git-lfs or repair the "
	 "store (git lfs fsck)."},
	{"prod-identifier", "Environment identifier outside its environment",
	 "An identifier (account id, bucket, endpoint, ARN, ...) that .stateguard.json assigns to an "
	 "environment appears outside that environment's paths. Move the value to that "
	 "environment's directory or read it from a variable or data source."},
	{"env-mismatch", "Backend of one environment pointing at another",
	 "Backend configuration under one environment's paths names another environment's bucket, "
	 "key, account, workspace or endpoint: terraform destroy run there would act on the other "
	 "environment. Point the backend at this environment's own state."},
	{"aws-arn", "AWS ARN with an account id",
	 "A hard-coded ARN reveals the account id and resource layout. Prefer data sources or "
	 "variables; list production identifiers in .stateguard.json environments."},
	{"aws-endpoint", "AWS resource hostname",
	 "A hard-coded RDS/Aurora, ELB, ElastiCache or CloudFront hostname of a live resource. Read "
	 "it from outputs or configuration instead."},
	{"aws-resource-id", "EC2-style resource id",
	 "A hard-coded EC2-style id (vpc-, subnet-, sg-, i-, ...) ties code to one live resource. "
	 "Use data sources or variables."},
	{"azure-subscription-id", "Azure subscription id in a resource id",
	 "An Azure resource id with its subscription id. Use data sources or variables."},
	{NULL, NULL, NULL},
};

const struct rule_info *rules_find(const char *id)
{
	for (const struct rule_info *r = rules_catalog; r->id; r++)
		if (!strcmp(r->id, id))
			return r;
	return NULL;
}
