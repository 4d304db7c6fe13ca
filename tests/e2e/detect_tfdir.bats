#!/usr/bin/env bats
# The rest of a Terraform working directory: `terraform output -json`, secrets in *.tfvars
# (by name, or declared sensitive in the .tf files beside them, as scan, pre-commit and
# pre-receive see that directory), debug and crash logs. The output and log fixtures were
# made by the real terraform (tests/fixtures/terraform/make.sh).
load ../lib/hooks

setup() { setup_tmp; }
teardown() { teardown_tmp; }

FIX="$SG_ROOT/tests/fixtures/terraform"

declare_sensitive() { # DIR: variables.tf declaring db_master sensitive (and region not)
	mkdir -p "$1"
	printf 'variable "region" {}\n\nvariable "db_master" {\n  type      = string\n  sensitive = true\n}\n' >"$1/variables.tf"
}
declare_plain() { # DIR
	mkdir -p "$1"
	printf 'variable "region" {}\n\nvariable "db_master" {\n  type = string\n}\n' >"$1/variables.tf"
}
prod_tfvars() { # FILE: no secret-sounding name, so only the declaration makes it a secret
	printf 'region    = "eu-west-1"\ndb_master = "Gx7-prod-Value-42"\n' >"$1"
}

# A terraform-aws-modules-style module: examples/ with sensitive variables and outputs, no values.
module_tree() {
	mkdir -p mod/examples/complete mod/modules/db
	printf 'variable "password" {\n  type      = string\n  default   = null\n  sensitive = true\n}\n' >mod/variables.tf
	printf 'output "db_password" {\n  value     = var.password\n  sensitive = true\n}\n' >mod/outputs.tf
	printf 'module "db" {\n  source   = "../../"\n  password = var.password\n}\n' >mod/examples/complete/main.tf
	printf 'variable "password" {\n  sensitive = true\n}\n' >mod/examples/complete/variables.tf
	printf '# Complete example\n\n```\nterraform output -json\n```\n\n| password | sensitive |\n' >mod/examples/complete/README.md
	printf 'region = "eu-west-1"\nname   = "complete-example"\npassword = "CHANGE_ME"\n' >mod/examples/complete/terraform.tfvars
}

@test "terraform output -json blocks when an output is sensitive and only warns otherwise" {
	cp "$FIX/outputs-sensitive.json" outputs.json
	run sg scan outputs.json
	assert_status 1
	assert_output_contains "tf-output-json"
	assert_output_contains "2 sensitive outputs"
	assert_output_not_contains "Pa55w0rd"
	assert_output_not_contains "9f8e7d6c5b4a"
	cp "$FIX/outputs-plain.json" outputs.json
	run sg scan outputs.json
	assert_status 0
	assert_output_contains "tf-output-json"
	assert_output_contains "none sensitive"
}

@test "Terraform trace logs (text and TF_LOG=json) and a crash log are blocked by content under any name" {
	cp "$FIX/trace.log" notes.txt
	cp "$FIX/trace-json.log" apply.json
	cp "$FIX/crash.log" crash.log
	run sg scan --format json notes.txt apply.json crash.log
	assert_status 1
	python3 - "$output" <<'PY'
import json, sys
f = {x["path"]: x for x in json.loads(sys.argv[1])["findings"] if x["rule"] == "tf-log"}
assert set(f) == {"notes.txt", "apply.json", "crash.log"}, f
for x in f.values():
    assert x["severity"] == "block"
    assert x["details"]["terraform_version"] == "1.11.4"
    assert x["details"]["cli_var_names"] == ["db_password"]
assert f["crash.log"]["details"]["kind"] == "crash log"
assert f["notes.txt"]["details"]["line_count"] > 1000
PY
	assert_output_not_contains "Pa55w0rd"
}

@test "an ordinary application debug log passes" {
	for i in $(seq 1 50); do
		printf '2024-05-01T10:00:%02d.000Z [DEBUG] GET /api/backend/users/%d 200\n' $((i % 60)) "$i"
		printf '2024-05-01T10:00:%02d.000Z [INFO]  worker %d done\n' $((i % 60)) "$i"
	done >app.log
	run sg scan app.log
	assert_status 0
	assert_output_not_contains "tf-log"
}

@test "scan blocks a tfvars value for a variable the .tf files beside it declare sensitive" {
	declare_sensitive envs/prod
	declare_plain envs/stage
	prod_tfvars envs/prod/prod.tfvars
	prod_tfvars envs/stage/stage.tfvars
	run sg scan --format json envs
	assert_status 1
	python3 - "$output" <<'PY'
import json, sys
f = [x for x in json.loads(sys.argv[1])["findings"] if x["rule"] == "tf-vars-secret"]
assert [x["path"] for x in f] == ["envs/prod/prod.tfvars"], f
a = f[0]["details"]["attributes"]
assert [(x["name"], x["line"], x["because"]) for x in a] == [("db_master", 2, "declared sensitive")], a
assert "prod-Value" not in json.dumps(f)
PY
	# the file alone, named on the command line, is read with its directory too
	run sg scan envs/prod/prod.tfvars
	assert_status 1
	assert_output_contains "db_master (declared sensitive)"
}

@test "secret-named tfvars values are blocked, also in tfvars.json and inside a zip" {
	printf 'region = "eu-west-1"\ndb = {\n  password = "Kq9-very-real"\n}\n' >prod.tfvars
	printf '{"api_token": "tok-abc123def456", "region": "us-east-1"}' >secrets.auto.tfvars.json
	zip_with bundle.zip infra/terraform.tfvars 'client_secret = "Zx8-very-real-secret"'
	run sg scan --format json prod.tfvars secrets.auto.tfvars.json bundle.zip
	assert_status 1
	python3 - "$output" <<'PY'
import json, sys
f = {x["path"]: x for x in json.loads(sys.argv[1])["findings"] if x["rule"] == "tf-vars-secret"}
assert set(f) == {"prod.tfvars", "secrets.auto.tfvars.json", "bundle.zip!infra/terraform.tfvars"}, f
assert f["prod.tfvars"]["details"]["attributes"][0]["name"] == "db.password"
assert f["bundle.zip!infra/terraform.tfvars"]["details"]["sensitive_declarations_checked"] is True
PY
}

@test "placeholders, regions and counts, sensitive declarations without values and module examples pass" {
	mkdir dev
	printf 'region = "eu-west-1"\ninstance_count = 2\ndb_password = ""\napi_token = "<token>"\n' >dev/dev.tfvars
	printf 'client_secret = "${var.x}"\naccess_key = "CHANGE_ME"\ntoken = "xxxxxxxx"\nsecret = "****"\npasswd = "TODO"\n' >>dev/dev.tfvars
	declare_sensitive dev
	module_tree
	run sg scan dev mod
	assert_status 0
	assert_output_not_contains "tf-vars-secret"
	assert_output_not_contains "BLOCK"
}

@test "pre-commit reads the declarations from the index: committed, staged, not the work tree" {
	new_repo work
	cd work
	declare_sensitive envs/prod
	git add envs && git commit -q -m "variables"
	prod_tfvars envs/prod/prod.tfvars
	git add envs/prod/prod.tfvars
	run git commit -q -m "values"
	assert_status 1
	assert_output_contains "tf-vars-secret"
	assert_output_contains "db_master (declared sensitive)"
	# the staged variables.tf no longer declares it sensitive: the commit passes, whatever the
	# work tree says
	declare_plain envs/prod
	git add envs/prod/variables.tf
	declare_sensitive envs/prod
	run git commit -q -m "values, not sensitive"
	assert_status 0
	[[ $(git log --oneline | wc -l) -eq 3 ]]
}

@test "pre-commit rejects terraform output -json and a crash log" {
	new_repo work
	cd work
	cp "$FIX/outputs-sensitive.json" outputs.json
	cp "$FIX/crash.log" crash.log
	git add outputs.json crash.log
	run git commit -q -m "outputs"
	assert_status 1
	assert_output_contains "tf-output-json"
	assert_output_contains "tf-log"
	[[ $(git log --oneline | wc -l) -eq 1 ]]
}

@test "pre-receive stops a --no-verify push of a tfvars whose commit declares the variable sensitive" {
	new_remote srv.git
	git init -q work
	cd work
	echo "# infra" >README.md
	git add README.md && git commit -q -m initial
	git remote add origin ../srv.git
	git push -q origin main
	declare_plain envs/stage
	prod_tfvars envs/stage/stage.tfvars
	git add envs && git commit -q -m "stage"
	run git push origin main
	assert_status 0
	declare_sensitive envs/prod
	prod_tfvars envs/prod/prod.tfvars
	cp "$FIX/trace.log" envs/prod/apply.txt
	git add envs && git commit -q -m "prod"
	commit=$(git rev-parse HEAD)
	run git push origin main
	assert_status 1
	assert_output_contains "remote: BLOCK"
	assert_output_contains "envs/prod/prod.tfvars"
	assert_output_contains "db_master (declared sensitive)"
	assert_output_contains "envs/prod/apply.txt"
	assert_output_contains "commit ${commit:0:12}"
	[[ $(git -C ../srv.git rev-parse main) != "$commit" ]]
}

@test "learn takes endpoints from output -json and never a sensitive output's value" {
	cat >outputs.json <<'JSON'
{
  "api_endpoint": {"sensitive": false, "type": "string", "value": "api.internal.acme-corp.net:8443"},
  "role": {"sensitive": false, "type": "string", "value": "arn:aws:iam::418273950164:role/deployer"},
  "signing_role": {"sensitive": true, "type": "string", "value": "arn:aws:iam::555566667777:role/signer"}
}
JSON
	run sg learn outputs.json
	assert_status 0
	assert_output_contains "api.internal.acme-corp.net"
	assert_output_contains "arn:aws:iam::418273950164:role/deployer"
	assert_output_not_contains "555566667777"
	assert_output_not_contains "signer"
}

@test "history checks a tfvars against the declarations of the commit that brought it" {
	git init -q repo
	cd repo
	declare_plain envs/prod
	prod_tfvars envs/prod/prod.tfvars
	git add envs && git commit -q -m "not sensitive yet"
	run sg history
	assert_status 0
	declare_sensitive envs/prod
	printf 'region    = "eu-west-1"\ndb_master = "Gx7-prod-Value-43"\n' >envs/prod/prod.tfvars
	git add envs && git commit -q -m "sensitive"
	commit=$(git rev-parse HEAD)
	run sg history --format json
	assert_status 1
	python3 - "$output" "$commit" <<'PY'
import json, sys
f = [x for x in json.loads(sys.argv[1])["findings"] if x["rule"] == "tf-vars-secret"]
assert len(f) == 1 and f[0]["commit"] == sys.argv[2], f
assert f[0]["details"]["attributes"][0]["because"] == "declared sensitive"
PY
}
