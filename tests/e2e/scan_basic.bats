#!/usr/bin/env bats
# stateguard scan: command-line behaviour (exit codes, formats, unreadable input).
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

@test "scan of an empty directory passes with exit 0" {
	mkdir empty
	run sg scan empty
	assert_status 0
	assert_output_contains "no findings"
}

@test "scan blocks a minimal v4 state and exits 1" {
	printf '{"version":4,"terraform_version":"1.8.2","serial":3,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},"resources":[{"mode":"managed","type":"aws_vpc","name":"main","instances":[{"attributes":{"id":"vpc-1"}}]}]}' > prod.json
	run sg scan prod.json
	assert_status 1
	assert_output_contains "tf-state"
}

@test "json output is one document with version, findings and summary" {
	printf '{"version":4,"serial":3,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","resources":[{"mode":"managed","type":"aws_vpc","name":"main","instances":[{}]}]}' > s.json
	run sg scan --format json s.json
	assert_status 1
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["version"]==1; assert d["findings"][0]["rule"]=="tf-state"; assert "summary" in d' "$output"
}

@test "an unreadable file is reported as an error, exit 2" {
	run sg scan does-not-exist
	assert_status 2
	assert_output_contains "scan-error"
}

@test "unknown options and commands exit 2" {
	run sg scan --bogus x
	assert_status 2
	run sg frobnicate
	assert_status 2
}
