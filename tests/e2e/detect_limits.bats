#!/usr/bin/env bats
# Content above the size limits is checked by name and streaming prefilter, and fails closed.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

@test "a file above file_bytes that may be state is blocked unexamined, with how to raise the limit" {
	printf '{"limits": {"file_bytes": 500}}' > cfg.json
	fixtures state-v4 --out big.json
	run sg scan --config cfg.json big.json
	assert_status 1
	assert_output_contains "scan-limit"
	assert_output_contains "limits.file_bytes"
}

@test "a file above file_bytes whose key is only spelled with escapes is still blocked" {
	printf '{"limits": {"file_bytes": 500}}' > cfg.json
	fixtures state-v4 --variant escaped --out big.json
	run sg scan --config cfg.json big.json
	assert_status 1
	assert_output_contains "scan-limit"
}

@test "a state-named file above file_bytes is blocked by its name" {
	printf '{"limits": {"file_bytes": 100}}' > cfg.json
	head -c 5000 /dev/zero | tr '\0' 'a' > terraform.tfstate
	run sg scan --config cfg.json terraform.tfstate
	assert_status 1
	assert_output_contains "scan-limit"
}

@test "ordinary text above file_bytes passes the streaming prefilter" {
	printf '{"limits": {"file_bytes": 100}}' > cfg.json
	for i in $(seq 200); do echo "line $i of an ordinary log file"; done > app.log
	run sg scan --config cfg.json app.log
	assert_status 0
}

@test "JSON above parse_bytes that may be an artifact is blocked, other JSON passes" {
	printf '{"limits": {"parse_bytes": 500}}' > cfg.json
	fixtures state-v4 --out state.json
	fixtures package-json --out package.json
	python3 -c 'import json; json.dump({"name": "x", "items": list(range(400))}, open("data.json", "w"))'
	run sg scan --config cfg.json state.json package.json data.json
	assert_status 1
	assert_output_contains "scan-limit"
	assert_output_contains "limits.parse_bytes"
	[[ $(grep -c "scan-limit" <<<"$output") -eq 1 ]]
}
