#!/usr/bin/env bats
# Policy in `stateguard scan`: config discovery, strict parsing, rules and reviewed exceptions.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

state() { printf '{"version":4,"terraform_version":"1.8.2","serial":3,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},"resources":[{"mode":"managed","type":"aws_vpc","name":"main","provider":"provider[\\"registry.terraform.io/hashicorp/aws\\"]","instances":[{"attributes":{"id":"vpc-1"}}]}]}' > "$1"; }

@test "the config is found by walking up and its globs match paths relative to its directory" {
	mkdir -p repo/test/fixtures repo/envs/prod
	state repo/test/fixtures/s.json
	state repo/envs/prod/s.json
	cat > repo/.stateguard.json <<-'JSON'
	{"allow": [{"path": "test/fixtures/**", "rules": ["tf-state"], "reason": "synthetic state for tests"}]}
	JSON
	cd repo/envs
	run sg scan --format json ..
	assert_status 1
	python3 - "$output" <<-'PY'
	import json, sys
	d = json.loads(sys.argv[1])
	f = {x["path"]: x for x in d["findings"]}
	assert f["../test/fixtures/s.json"]["allowed_by"] == "allow[0]: synthetic state for tests", f
	assert "allowed_by" not in f["../envs/prod/s.json"], f
	assert d["summary"]["allowed"] == 1 and d["summary"]["block"] == 1
	PY
	cd ../test
	run sg scan fixtures
	assert_status 0
	assert_output_contains "ALLOWED"
}

@test "--config overrides discovery and matches paths relative to the current directory" {
	mkdir -p fx
	state fx/s.json
	echo '{"allow": [{"path": "nothing/**", "reason": "x"}]}' > .stateguard.json
	echo '{"allow": [{"path": "fx/*.json", "reason": "from the other file"}]}' > other.json
	run sg scan fx
	assert_status 1
	run sg scan --config other.json fx
	assert_status 0
	assert_output_contains "from the other file"
}

@test "a typo in a config key is an error naming the key and the line, exit 2" {
	printf '{\n  "rules": {"tf-state": "block"},\n  "alow": []\n}\n' > .stateguard.json
	echo 'x' > a.txt
	run sg scan a.txt
	assert_status 2
	assert_output_contains '.stateguard.json:3: "(document)": unknown key "alow"'
}

@test "a wrong type, a malformed glob and an unknown rule id are errors with their line" {
	printf '{\n "limits": {\n  "archive_depth": "5"}}\n' > c1.json
	run sg scan --config c1.json c1.json
	assert_status 2
	assert_output_contains 'c1.json:3: "limits.archive_depth": must be a number, not a string'
	printf '{"environments": {"prod": {\n"paths": ["envs/[prod/**"]}}}\n' > c2.json
	run sg scan --config c2.json c2.json
	assert_status 2
	assert_output_contains 'c2.json:2: "environments.prod.paths": malformed glob'
	printf '{"rules": {\n\n"tf-sate": "off"}}\n' > c3.json
	run sg scan --config c3.json c3.json
	assert_status 2
	assert_output_contains 'c3.json:3: "rules.tf-sate": unknown rule id'
}

@test "rules set a severity or turn a rule off" {
	state s.json
	echo '{"rules": {"tf-state": "warn"}}' > .stateguard.json
	run sg scan s.json
	assert_status 0
	assert_output_contains "WARN"
	echo '{"rules": {"tf-state": "off"}}' > .stateguard.json
	run sg scan s.json
	assert_status 0
	assert_output_contains "no findings"
}

@test "an allow entry without a reason is refused" {
	echo '{"allow": [{"path": "**"}]}' > .stateguard.json
	state s.json
	run sg scan s.json
	assert_status 2
	assert_output_contains 'every allow entry needs a "reason"'
}

@test "an expired exception is ignored and the finding says so" {
	mkdir fx
	state fx/s.json
	echo '{"allow": [{"path": "fx/**", "reason": "temporary", "expires": "2021-03-31"}]}' > .stateguard.json
	run sg scan fx
	assert_status 1
	assert_output_contains "expired on 2021-03-31"
	run sg scan --format json fx
	python3 -c 'import json,sys; f=json.loads(sys.argv[1])["findings"][0]; assert "allowed_by" not in f and "expired on 2021-03-31" in f["note"], f' "$output"
}

@test "an exception pinned to a blob id stops matching when the content changes" {
	state s.json
	blob=$(git hash-object s.json)
	printf '{"allow": [{"path": "s.json", "blob": "%s", "reason": "reviewed copy"}]}' "$blob" > .stateguard.json
	run sg scan s.json
	assert_status 0
	assert_output_contains "reviewed copy"
	state s.json
	echo ' ' >> s.json
	run sg scan s.json
	assert_status 1
}

@test "limits in the config reach the scan" {
	echo '{"limits": {"file_bytes": 10}}' > .stateguard.json
	state s.json
	run sg scan s.json
	assert_status 1
	assert_output_contains "scan-limit"
}
