#!/usr/bin/env bats
# Every artifact kind other than plain state is recognised by content, with its rule name.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

# scan_expect RULE STATUS FILE...: scan, check exit status and that RULE is reported.
scan_expect() {
	local rule=$1 want=$2
	shift 2
	run sg scan "$@"
	assert_status "$want"
	assert_output_contains "$rule"
}

@test "backend snapshots in the new and old layout are blocked, renamed too" {
	mkdir .terraform
	fixtures backend-cache-new --out .terraform/terraform.tfstate
	scan_expect tf-backend-snapshot 1 .terraform/terraform.tfstate
	assert_output_not_contains "tf-backend-credentials"
	fixtures backend-cache-old --out cache.json
	scan_expect tf-backend-snapshot 1 cache.json
	fixtures backend-cache-new --variant escaped --out esc.json
	scan_expect tf-backend-snapshot 1 esc.json
}

@test "credentials inside a backend snapshot are reported without their values" {
	fixtures backend-cache-new --credentials --out snap.json
	scan_expect tf-backend-credentials 1 snap.json
	assert_output_contains "aws-access-key"
	secret=$(python3 -c 'import json;print(json.load(open("snap.json"))["backend"]["config"]["secret_key"])')
	assert_output_not_contains "$secret"
	fixtures backend-cache-old --credentials --out old.json
	scan_expect tf-backend-credentials 1 old.json
	assert_output_contains "tfc-token"
}

@test "a legacy binary plan is blocked as tf-plan" {
	fixtures plan-legacy --out prod.plan
	scan_expect tf-plan 1 prod.plan
}

@test "terraform show -json plan and state output is blocked in every variant" {
	for v in pretty minified escaped bom-crlf upper; do
		fixtures show-json-plan --variant "$v" --out "plan-$v.json"
		scan_expect tf-show-json 1 "plan-$v.json"
		fixtures show-json-state --variant "$v" --out "state-$v.json"
		scan_expect tf-show-json 1 "state-$v.json"
		assert_output_contains "aws_db_instance ×1, aws_vpc ×1"
	done
}

@test "OpenTofu encrypted state and plans are blocked as tf-state-encrypted, saying why" {
	fixtures encrypted-state --out terraform.tfstate
	scan_expect tf-state-encrypted 1 terraform.tfstate
	assert_output_not_contains "Named like"
	assert_output_contains "tofu destroy"
	fixtures encrypted-plan --variant minified --out plan.bin
	scan_expect tf-state-encrypted 1 plan.bin
}

@test "Pulumi checkpoints and stack exports are blocked as pulumi-state" {
	mkdir -p .pulumi/stacks/web
	fixtures pulumi-checkpoint --out .pulumi/stacks/web/prod.json
	scan_expect pulumi-state 1 .pulumi/stacks/web/prod.json
	fixtures pulumi-export --variant escaped --out export.txt
	scan_expect pulumi-state 1 export.txt
}

@test "credentials.tfrc.json and .terraformrc with a token are blocked as tf-cli-credentials" {
	fixtures credentials-tfrc-json --out credentials.tfrc.json
	scan_expect tf-cli-credentials 1 credentials.tfrc.json
	fixtures credentials-tfrc-json --variant bom-crlf --out renamed.json
	scan_expect tf-cli-credentials 1 renamed.json
	fixtures terraformrc --out .terraformrc
	scan_expect tf-cli-credentials 1 .terraformrc
	fixtures terraformrc-no-token --out terraform.rc
	run sg scan terraform.rc
	assert_status 0
}

@test "backend, cloud, remote_state, encryption blocks and partial files with literal credentials are blocked" {
	fixtures backend-tf --backend s3 --credentials --out s3.tf
	scan_expect tf-backend-credentials 1 s3.tf
	fixtures backend-tf --backend pg --credentials --out pg.tf
	scan_expect tf-backend-credentials 1 pg.tf
	fixtures cloud-tf --out cloud.tf
	scan_expect tf-backend-credentials 1 cloud.tf
	fixtures terragrunt --out terragrunt.hcl
	scan_expect tf-backend-credentials 1 terragrunt.hcl
	fixtures encryption-tf --out enc.tf
	scan_expect tf-backend-credentials 1 enc.tf
	fixtures tfbackend --out prod.s3.tfbackend
	scan_expect tf-backend-credentials 1 prod.s3.tfbackend
	fixtures tfbackend --out renamed.cfg
	scan_expect tf-backend-credentials 1 renamed.cfg
}

@test "a local backend block is a tf-local-backend warning" {
	fixtures backend-tf --backend local --out main.tf
	scan_expect tf-local-backend 0 main.tf
	assert_output_contains "WARN"
}

@test "tokens and keys are blocked with their rule names and redacted" {
	for kind in aws-pair:aws-access-key aws-pair:aws-secret-key aws-access:aws-access-key \
	    aws-secret:aws-secret-key tfc:tfc-token tf-token-env:tfc-token vault:vault-token \
	    vault-legacy:vault-token private-key:private-key openssh-key:private-key; do
		fixtures token --token "${kind%%:*}" --out "tok.txt"
		scan_expect "${kind##*:}" 1 tok.txt
	done
	fixtures token --token tfc --out t.txt
	tok=$(grep -o '[A-Za-z0-9]*\.atlasv1\.[A-Za-z0-9]*' t.txt)
	run sg scan --format json t.txt
	assert_output_not_contains "$tok"
	assert_output_not_contains "${tok:4:20}"
}

@test "secrets inside state are reported next to the state finding" {
	python3 - <<'PY'
import sys, json
sys.path.insert(0, __import__("os").environ["SG_ROOT"] + "/tests/lib")
import fixtures
s = fixtures.state_v4_obj(["aws_iam_access_key"])
s["resources"][0]["instances"][0]["attributes"].update(
    {"id": fixtures.aws_access_key_id(7), "secret": fixtures.aws_secret_key(7)})
open("prod.json", "w").write(json.dumps(s))
PY
	run sg scan prod.json
	assert_status 1
	assert_output_contains "tf-state"
	assert_output_contains "aws-access-key"
	assert_output_contains "aws-secret-key"
	assert_output_contains "inside a state-like file"
}
