#!/usr/bin/env bats
# The pre-commit framework (https://pre-commit.com, Debian's `pre-commit`) using
# this repository's .pre-commit-hooks.yaml with the binary on PATH: `try-repo`
# and an installed config refuse staged state and pass clean commits.
load ../lib/helpers

setup() {
	setup_tmp
	command -v pre-commit >/dev/null || skip "pre-commit is not installed (run ./install.sh)"
	git -C "$SG_ROOT" rev-parse --git-dir >/dev/null 2>&1 || skip "$SG_ROOT is not a git checkout"
	stateguard_on_path
	export PRE_COMMIT_HOME="$TMP/pre-commit-cache"
	# A clean clone: what a user's config points at. The work tree's own
	# .pre-commit-hooks.yaml is copied over so uncommitted edits are what is tested.
	git clone -q "$SG_ROOT" hookrepo
	cp "$SG_ROOT/.pre-commit-hooks.yaml" hookrepo/
	cp "$SG_ROOT/contrib/pre-commit-framework-pre-push" hookrepo/contrib/
	git -C hookrepo commit -qam "current hooks" --allow-empty
	git init -q proj
	cd proj || return 1
	echo 'resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }' > main.tf
	git add main.tf
	git commit -qm "vpc"
}
teardown() { teardown_tmp; }

state_json() {
	printf '{"version":4,"terraform_version":"1.8.2","serial":7,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},"resources":[{"mode":"managed","type":"aws_vpc","name":"main","instances":[{"attributes":{"id":"vpc-0a1b2c3d"}}]}]}'
}

use_hooks() { # writes and stages a .pre-commit-config.yaml using the clone
	cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $TMP/hookrepo
    rev: $(git -C "$TMP/hookrepo" rev-parse HEAD)
    hooks:
      - id: stateguard
      - id: stateguard-pre-push
YAML
	git add .pre-commit-config.yaml
}

@test "pre-commit try-repo refuses a staged terraform.tfstate" {
	state_json > terraform.tfstate
	git add terraform.tfstate
	run pre-commit try-repo "$TMP/hookrepo" stateguard
	assert_status 1
	assert_output_contains "Failed"
	assert_output_contains "terraform.tfstate"
	assert_output_contains "tf-state"
	git diff --cached --name-only | grep -qx terraform.tfstate
}

@test "pre-commit try-repo refuses a staged infra.zip holding a state" {
	mkdir -p zipsrc/envs/prod
	state_json > zipsrc/envs/prod/terraform.tfstate
	(cd zipsrc && zip -qr ../infra.zip envs)
	rm -r zipsrc
	git add infra.zip
	run pre-commit try-repo "$TMP/hookrepo" stateguard
	assert_status 1
	assert_output_contains "infra.zip"
	assert_output_contains "tf-state"
}

@test "pre-commit try-repo passes a clean staged change" {
	echo 'variable "region" {}' > variables.tf
	git add variables.tf
	run pre-commit try-repo "$TMP/hookrepo" stateguard
	assert_status 0
	assert_output_contains "Passed"
}

@test "an installed pre-commit config blocks git commit and lets a clean one through" {
	use_hooks
	run pre-commit install -t pre-commit -t pre-push
	assert_status 0
	git commit -qm "hooks"
	state_json > backup.json
	git add backup.json
	run git commit -m "backup"
	assert_status 1
	assert_output_contains "backup.json"
	git rm -q --cached backup.json
	echo 'output "id" { value = 1 }' > outputs.tf
	git add outputs.tf
	run git commit -qm "outputs"
	assert_status 0
}

@test "the framework's pre-push stage refuses state in a pushed commit, not only the tip" {
	git init -q --bare "$TMP/server.git"
	git remote add origin "$TMP/server.git"
	git push -q origin HEAD:refs/heads/main
	use_hooks
	git commit -qm "hooks"
	pre-commit install -t pre-push >/dev/null
	state_json > backup.json
	git add backup.json
	git commit -qm "backup"
	git rm -q backup.json
	git commit -qm "remove backup"
	run git push origin HEAD:refs/heads/main
	assert_status 1
	assert_output_contains "backup.json"
	[[ $(git -C "$TMP/server.git" rev-parse main) == "$(git rev-parse HEAD~3)" ]]
}

@test "the framework's pre-push stage run by hand audits a --from-ref/--to-ref range" {
	use_hooks
	git commit -qm "hooks"
	local base
	base=$(git rev-parse HEAD)
	state_json > backup.json
	git add backup.json
	git commit -qm "backup" --no-verify
	run pre-commit run stateguard-pre-push --hook-stage push --from-ref "$base" --to-ref HEAD
	assert_status 1
	assert_output_contains "backup.json"
}
