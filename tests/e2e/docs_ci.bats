#!/usr/bin/env bats
# docs/ci.md: the GitLab CI job's script, taken from the document as written,
# runs against a real repository: a merge request range that adds and removes
# a state fails with a SARIF report; a clean range passes.
load ../lib/helpers

setup() {
	setup_tmp
	stateguard_on_path
	# The shell of the `script: - |` block of the GitLab CI job in docs/ci.md.
	awk '/^```yaml/ {y = 1; next} /^```/ {y = 0} y && /^  script:/ {s = 1; next}
	     s && /^    - \|/ {b = 1; next} b && /^      / {sub(/^      /, ""); print; next} b {exit}' \
		"$SG_ROOT/docs/ci.md" > gitlab-script.sh
	grep -q 'stateguard history --format sarif' gitlab-script.sh
	git init -q repo
	cd repo || return 1
	echo 'resource "aws_vpc" "main" {}' > main.tf
	git add main.tf
	git commit -qm base
}
teardown() { teardown_tmp; }

state_json() {
	printf '{"version":4,"terraform_version":"1.8.2","serial":7,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},"resources":[{"mode":"managed","type":"aws_vpc","name":"main","instances":[{"attributes":{"id":"vpc-0a1b2c3d"}}]}]}'
}

@test "the documented GitLab CI script fails a merge request whose commits add and remove a state" {
	local base
	base=$(git rev-parse HEAD)
	state_json > backup.json
	git add backup.json
	git commit -qm backup
	git rm -q backup.json
	git commit -qm "remove backup"
	run env CI_MERGE_REQUEST_DIFF_BASE_SHA="$base" CI_COMMIT_SHA="$(git rev-parse HEAD)" bash -e ../gitlab-script.sh
	assert_status 1
	assert_output_contains "backup.json"
	python3 -c 'import json; d=json.load(open("stateguard.sarif")); r=d["runs"][0]["results"]; assert r and r[0]["ruleId"]=="tf-state"'
}

@test "the documented GitLab CI script passes a clean merge request" {
	local base
	base=$(git rev-parse HEAD)
	echo 'variable "region" {}' > variables.tf
	git add variables.tf
	git commit -qm vars
	run env CI_MERGE_REQUEST_DIFF_BASE_SHA="$base" CI_COMMIT_SHA="$(git rev-parse HEAD)" bash -e ../gitlab-script.sh
	assert_status 0
	python3 -c 'import json; d=json.load(open("stateguard.sarif")); assert d["runs"][0]["results"]==[]'
}

@test "the documented GitLab CI script audits everything on a new branch" {
	state_json > old-backup.json
	git add old-backup.json
	git commit -qm "old backup"
	run env CI_COMMIT_BEFORE_SHA=0000000000000000000000000000000000000000 CI_COMMIT_SHA="$(git rev-parse HEAD)" bash -e ../gitlab-script.sh
	assert_status 1
	assert_output_contains "old-backup.json"
}

@test "the documented GitHub Actions step fails a pull request that adds a state" {
	local base head
	base=$(git rev-parse HEAD)
	state_json > backup.json
	git add backup.json
	git commit -qm backup
	head=$(git rev-parse HEAD)
	# The `run: |` block of the "Audit the commits of this change" step, with the
	# ${{ }} expressions GitHub would substitute for a pull_request event.
	awk '/name: Audit the commits of this change/ {a = 1; next} a && /^        run: \|/ {b = 1; next}
	     b && /^          / {sub(/^          /, ""); print; next} b {exit}' "$SG_ROOT/docs/ci.md" |
		sed -e 's/\${{ github.event_name }}/pull_request/' \
		    -e "s/\${{ github.event.pull_request.base.sha }}/$base/" \
		    -e "s/\${{ github.event.pull_request.head.sha }}/$head/" > ../github-step.sh
	grep -q "$base..$head" ../github-step.sh
	run env GITHUB_WORKSPACE="$PWD" bash -e ../github-step.sh
	assert_status 1
	assert_output_contains "backup.json"
	python3 -c 'import json; d=json.load(open("stateguard.sarif")); assert d["runs"][0]["results"][0]["ruleId"]=="tf-state"'
}
