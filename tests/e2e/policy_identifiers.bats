#!/usr/bin/env bats
# Environments: production identifiers outside their paths, misplaced backends, built-in identifier rules.
load ../lib/helpers

setup() {
	setup_tmp
	mkdir -p repo/envs/prod repo/envs/staging repo/app
	cd repo
	cat > .stateguard.json <<-'JSON'
	{
	  "environments": {
	    "production": {"paths": ["envs/prod/**"],
	                   "identifiers": ["418273950164", "acme-prod-tfstate", "orders.abc123.eu-west-1.rds.amazonaws.com"]},
	    "staging": {"paths": ["envs/staging/**"], "identifiers": ["acme-staging-tfstate", "stg-app"]}
	  }
	}
	JSON
}
teardown() { teardown_tmp; }

@test "a production account id in application code is blocked, its home directory passes" {
	echo 'ROLE = "arn:aws:iam::418273950164:role/deploy"' > app/settings.py
	printf 'provider "aws" {\n  allowed_account_ids = ["418273950164"]\n}\n' > envs/prod/provider.tf
	run sg scan --format json .
	assert_status 1
	python3 - "$output" <<-'PY'
	import json, sys
	d = json.loads(sys.argv[1])
	rules = {(f["rule"], f["path"]) for f in d["findings"]}
	assert ("prod-identifier", "./app/settings.py") in rules, rules
	assert not any(p.startswith("./envs/prod") and r == "prod-identifier" for r, p in rules), rules
	assert "418273950164" not in sys.argv[1], "identifier printed whole"
	PY
}

@test "identifiers match only on identifier boundaries" {
	echo 'a = "x418273950164" b = "acme-prod-tfstate-logs" c = "4182739501645"' > app/other.txt
	run sg scan app
	assert_status 0
}

@test "a production endpoint inside a zip in another directory is blocked with the member path" {
	echo 'DATABASE_HOST=orders.abc123.eu-west-1.rds.amazonaws.com' > .env.prod
	zip -q app/bundle.zip .env.prod
	rm .env.prod
	run sg scan app
	assert_status 1
	assert_output_contains "prod-identifier"
	assert_output_contains "app/bundle.zip!.env.prod"
}

@test "a production account id inside a state file elsewhere is blocked besides the state itself" {
	printf '{"version":4,"terraform_version":"1.8.2","serial":1,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},"resources":[{"mode":"managed","type":"aws_iam_role","name":"r","instances":[{"attributes":{"arn":"arn:aws:iam::418273950164:role/r"}}]}]}' > app/copy.tfstate
	run sg scan --format json app
	assert_status 1
	python3 -c 'import json,sys; r={f["rule"] for f in json.loads(sys.argv[1])["findings"]}; assert {"tf-state","prod-identifier"} <= r and "aws-arn" not in r, r' "$output"
}

@test "an environment without paths has no home: its identifiers are blocked everywhere" {
	cat > .stateguard.json <<-'JSON'
	{"environments": {"shared-secrets": {"identifiers": ["acme-vault-root"]}}}
	JSON
	echo 'bucket = "acme-vault-root"' > envs/prod/main.tf
	run sg scan envs
	assert_status 1
	assert_output_contains "shared-secrets"
}

@test "a staging backend pointing at the production bucket is an env-mismatch that names the destroy risk" {
	cat > envs/staging/backend.tf <<-'EOF'
	terraform {
	  backend "s3" {
	    bucket = "acme-prod-tfstate"
	    key    = "staging/terraform.tfstate"
	    region = "eu-west-1"
	  }
	}
	EOF
	run sg scan envs/staging
	assert_status 1
	assert_output_contains "env-mismatch"
	assert_output_contains "terraform destroy\` in this directory would act on production, not staging"
	assert_output_not_contains "prod-identifier"
}

@test "partial backend files and Terragrunt remote_state are checked too, the own bucket passes" {
	printf 'bucket = "acme-prod-tfstate"\nkey = "x"\n' > envs/staging/staging.s3.tfbackend
	printf 'remote_state {\n  backend = "s3"\n  config = {\n    bucket = "acme-prod-tfstate"\n  }\n}\n' > envs/staging/terragrunt.hcl
	printf 'terraform {\n  backend "s3" {\n    bucket = "acme-prod-tfstate"\n  }\n}\n' > envs/prod/backend.tf
	run sg scan --format json envs
	assert_status 1
	python3 - "$output" <<-'PY'
	import json, sys
	d = json.loads(sys.argv[1])
	mm = sorted(f["path"] for f in d["findings"] if f["rule"] == "env-mismatch")
	assert mm == ["envs/staging/staging.s3.tfbackend", "envs/staging/terragrunt.hcl"], mm
	PY
}

@test "a cloud block in production naming a staging workspace is a mismatch" {
	printf 'terraform {\n  cloud {\n    organization = "acme"\n    workspaces {\n      name = "stg-app"\n    }\n  }\n}\n' > envs/prod/cloud.tf
	run sg scan envs/prod
	assert_status 1
	assert_output_contains "would act on staging, not production"
}

@test "built-in identifier rules warn and can be raised or turned off" {
	echo '{}' > .stateguard.json
	printf 'vpc_id = "vpc-0a1b2c3d4e5f60718"\nrole = "arn:aws:iam::123456789012:role/x"\n' > app/main.tf
	run sg scan app
	assert_status 0
	assert_output_contains "aws-resource-id"
	assert_output_contains "aws-arn"
	echo '{"rules": {"aws-arn": "block", "aws-resource-id": "off"}}' > .stateguard.json
	run sg scan app
	assert_status 1
	assert_output_not_contains "aws-resource-id"
}

@test "the configuration file itself may list identifiers" {
	run sg scan .stateguard.json
	assert_status 0
}
