#!/usr/bin/env bats
# Detection of Terraform/OpenTofu state by content: every variant is blocked, look-alikes pass.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

@test "v4 state is blocked in every serialisation variant, under any name" {
	for v in pretty minified escaped bom-crlf reordered upper indent4; do
		fixtures state-v4 --variant "$v" --out "renamed-$v.json"
		run sg scan "renamed-$v.json"
		assert_status 1
		assert_output_contains "tf-state"
		assert_output_contains "aws_db_instance ×1, aws_vpc ×1"
	done
}

@test "the state message says what a destroy would delete and never shows the password" {
	fixtures state-v4 --resources aws_db_instance,aws_vpc,aws_vpc --out terraform.tfstate
	run sg scan --format json terraform.tfstate
	assert_status 1
	python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
f = [x for x in d["findings"] if x["rule"] == "tf-state"][0]
det = f["details"]
assert det["resource_count"] == 3, det
assert det["resource_types"] == "aws_db_instance ×1, aws_vpc ×2", det
assert det["state_version"] == 4 and det["serial"] == 34 and det["terraform_version"] == "1.8.2"
assert any(s.endswith(".password") for s in det["secret_attributes"]), det
assert "terraform destroy" in f["message"]
PY
	pw=$(python3 -c 'import json;d=json.load(open("terraform.tfstate"));print([r for r in d["resources"] if r["type"]=="aws_db_instance"][0]["instances"][0]["attributes"]["password"])')
	assert_output_not_contains "$pw"
}

@test "an empty post-destroy state is reported as a warning and exits 0" {
	fixtures state-empty --out terraform.tfstate
	run sg scan terraform.tfstate
	assert_status 0
	assert_output_contains "tf-state"
	assert_output_contains "WARN"
}

@test "legacy v1, v2, v3 and binary v0 states are blocked" {
	for k in state-v1 state-v2 state-v3 state-v0; do
		fixtures "$k" --out "$k.data"
		run sg scan "$k.data"
		assert_status 1
		assert_output_contains "tf-state"
	done
}

@test "backups, errored state and workspace states are blocked" {
	mkdir -p terraform.tfstate.d/prod
	fixtures state-v4 --out terraform.tfstate.backup
	fixtures state-v4 --variant minified --out errored.tfstate
	fixtures state-v4 --out terraform.tfstate.d/prod/terraform.tfstate
	run sg scan .
	assert_status 1
	[[ $(grep -c "tf-state" <<<"$output") -eq 3 ]]
}

@test "a corrupt file named like state is blocked by its name" {
	printf '{"version": 4, "lineage": "abc", "resources": [' > terraform.tfstate
	run sg scan terraform.tfstate
	assert_status 1
	assert_output_contains "tf-state"
	assert_output_contains "Named like Terraform state"
}

@test "package.json and an OpenAPI spec with state-like fields pass" {
	fixtures package-json --out package.json
	fixtures openapi --out openapi.json
	run sg scan package.json openapi.json
	assert_status 0
	assert_output_contains "no findings"
}
