#!/usr/bin/env bats
# `make demo` (demo/incident.sh): the incident replay runs end to end, shows
# both refusals (the commit, and the --no-verify push at the server) and leaves
# nothing behind.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

@test "the incident demo refuses the commit and the --no-verify push, then cleans up" {
	mkdir scratch
	run env TMPDIR="$TMP/scratch" NO_COLOR=1 "$SG_ROOT/demo/incident.sh"
	assert_status 0
	assert_output_contains "tf-state  infra.zip!infra/envs/prod/terraform.tfstate"
	assert_output_contains "aws_db_instance"
	assert_output_contains "aws_vpc"
	assert_output_contains "-> refused; infra.zip is still staged"
	assert_output_contains "remote: stateguard: push rejected"
	assert_output_contains "(pre-receive hook declined)"
	assert_output_contains "-> refused by the server: its main branch did not move."
	assert_output_contains "demo: the commit and the --no-verify push were both refused."
	assert_output_not_contains "UNEXPECTED"
	assert_output_not_contains "demo-not-a-real-password"
	[[ -z $(ls -A scratch) ]] || { ls -la scratch; false; }
}

@test "the demo does not touch the caller's git configuration" {
	git config --global core.hooksPath /nonexistent-hooks
	run env TMPDIR="$TMP" NO_COLOR=1 "$SG_ROOT/demo/incident.sh"
	assert_status 0
	[[ $(git config --global core.hooksPath) == /nonexistent-hooks ]]
}
