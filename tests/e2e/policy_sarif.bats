#!/usr/bin/env bats
# SARIF 2.1.0 output: required fields (tests/lib/sarif_check.py), one rule per id, locations, redaction.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

state() { printf '{"version":4,"terraform_version":"1.8.2","serial":3,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},"resources":[{"mode":"managed","type":"aws_vpc","name":"main","instances":[{"attributes":{"id":"vpc-1"}}]}]}' > "$1"; }

@test "scan --format sarif passes the SARIF 2.1.0 required-field check" {
	mkdir -p "dir with space" fx
	state "dir with space/a.json"
	state fx/b.json
	state fx/c.json
	echo 'role = "arn:aws:iam::123456789012:role/x"' > main.tf
	echo '{"allow": [{"path": "fx/b.json", "reason": "fixture"}]}' > .stateguard.json
	run sg scan --format sarif .
	assert_status 1
	echo "$output" > out.sarif
	run python3 "$SG_ROOT/tests/lib/sarif_check.py" out.sarif
	assert_status 0
	python3 - out.sarif <<-'PY'
	import json, sys
	d = json.load(open(sys.argv[1]))
	run = d["runs"][0]
	ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
	assert sorted(ids) == ["aws-arn", "tf-state"], ids
	res = run["results"]
	uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in res)
	assert "dir%20with%20space/a.json" in uris and "fx/b.json" in uris, uris
	levels = {r["ruleId"]: r["level"] for r in res}
	assert levels == {"tf-state": "error", "aws-arn": "warning"}, levels
	allowed = [r for r in res if r.get("suppressions")]
	assert len(allowed) == 1 and allowed[0]["suppressions"][0]["justification"] == "allow[0]: fixture"
	assert all(r["partialFingerprints"]["stateguardFindingId/v1"].startswith("sg-") for r in res)
	PY
}

@test "sarif never carries a secret value" {
	printf 'aws_access_key_id = AKIAZ7QWERTY2345ABCD\naws_secret_access_key = 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\n' > creds
	run sg scan --format sarif creds
	echo "$output" > out.sarif
	run python3 "$SG_ROOT/tests/lib/sarif_check.py" out.sarif
	assert_status 0
	run grep -c -e AKIAZ7QWERTY2345ABCD -e wJalrXUtnFEMI out.sarif
	[ "$output" = "0" ]
}

@test "an empty result set is still a valid SARIF log" {
	echo hello > a.txt
	run sg scan --format sarif a.txt
	assert_status 0
	echo "$output" > out.sarif
	run python3 "$SG_ROOT/tests/lib/sarif_check.py" out.sarif
	assert_status 0
}

@test "history --format sarif carries the commit of each result" {
	git init -q repo && cd repo
	state prod.tfstate
	git add prod.tfstate && git commit -qm "add state"
	git rm -q prod.tfstate && git commit -qm "remove state"
	run sg history --format sarif --all
	assert_status 1
	echo "$output" > ../out.sarif
	run python3 "$SG_ROOT/tests/lib/sarif_check.py" ../out.sarif
	assert_status 0
	first=$(git rev-list --max-parents=0 HEAD)
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; assert r and r[0]["properties"]["commit"]==sys.argv[2], r' ../out.sarif "$first"
}
