#!/usr/bin/env bats
# `stateguard learn` (identifiers and salted fingerprints from state) and `stateguard allow FINDING-ID`.
load ../lib/helpers

setup() {
	setup_tmp
	cat > prod.tfstate <<-'EOF'
	{"version":4,"terraform_version":"1.8.2","serial":7,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},
	"resources":[
	 {"mode":"managed","type":"aws_s3_bucket","name":"state","instances":[{"attributes":{"id":"acme-prod-tfstate","bucket":"acme-prod-tfstate","arn":"arn:aws:s3:::acme-prod-tfstate"}}]},
	 {"mode":"managed","type":"aws_db_instance","name":"orders","instances":[{"attributes":{"address":"orders.abc123.eu-west-1.rds.amazonaws.com","endpoint":"orders.abc123.eu-west-1.rds.amazonaws.com:5432","arn":"arn:aws:rds:eu-west-1:418273950164:db:orders","vpc_security_group_ids":["sg-0a1b2c3d4e5f60718"]}}]}
	]}
	EOF
}
teardown() { teardown_tmp; }

@test "learn prints a complete config listing what the state controls" {
	run sg learn --env production --path 'envs/prod/**' prod.tfstate
	assert_status 0
	echo "$output" | grep -v '^stateguard:' > cfg.json
	python3 - cfg.json <<-'PY'
	import json, sys
	d = json.load(open(sys.argv[1]))
	env = d["environments"]["production"]
	assert env["paths"] == ["envs/prod/**"], env
	ids = set(env["identifiers"])
	assert len(ids) == len(env["identifiers"]), env["identifiers"]  # each learned once
	for want in ["418273950164", "acme-prod-tfstate", "orders.abc123.eu-west-1.rds.amazonaws.com",
	             "arn:aws:rds:eu-west-1:418273950164:db:orders", "sg-0a1b2c3d4e5f60718"]:
	    assert want in ids, (want, ids)
	assert not any(":5432" in i for i in ids), ids
	PY
	mv cfg.json .stateguard.json
	run sg scan .stateguard.json
	assert_status 0
}

@test "hashed fingerprints leak nothing and catch an account id inside an ARN" {
	sg learn --hash prod.tfstate > cfg.json 2>/dev/null
	run grep -c -e 418273950164 -e acme-prod -e orders.abc123 cfg.json
	[ "$output" = "0" ]
	grep -q '"sha256:[0-9a-f]*:[0-9a-f]\{64\}"' cfg.json
	mkdir app
	echo 'principal = "arn:aws:iam::418273950164:root"' > app/trust.tf
	run sg scan --config cfg.json --format json app
	assert_status 1
	python3 -c 'import json,sys; f=[x for x in json.loads(sys.argv[1])["findings"] if x["rule"]=="prod-identifier"][0]; assert f["details"]["matched_by"]=="fingerprint", f' "$output"
	echo 'principal = "arn:aws:iam::999999999999:root"' > app/trust.tf
	run sg scan --config cfg.json app
	assert_status 0
}

@test "learn --merge keeps the existing config and reuses the environment's salt" {
	sg learn --hash prod.tfstate > first.json 2>/dev/null
	python3 - first.json <<-'PY'
	import json, sys
	d = json.load(open(sys.argv[1])); d["rules"] = {"tf-local-backend": "block"}
	json.dump(d, open(sys.argv[1], "w"))
	PY
	sg learn --hash --merge first.json --path 'envs/prod/**' prod.tfstate > merged.json 2>/dev/null
	python3 - first.json merged.json <<-'PY'
	import json, sys
	a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
	assert b["rules"] == {"tf-local-backend": "block"}
	fa = a["environments"]["production"]["fingerprints"]; fb = b["environments"]["production"]["fingerprints"]
	assert sorted(fa) == sorted(fb), "same salt, same fingerprints, no duplicates"
	assert b["environments"]["production"]["paths"] == ["envs/prod/**"]
	PY
	echo '{"bogus": 1}' > bad.json
	run sg learn --merge bad.json prod.tfstate
	assert_status 2
	assert_output_contains 'unknown key "bogus"'
}

@test "learn refuses input that is not JSON" {
	echo 'not json' > x.txt
	run sg learn x.txt
	assert_status 2
}

@test "allow FINDING-ID appends a pinned entry and the finding is then allowed" {
	mkdir -p repo/test/fixtures && cd repo
	cp ../prod.tfstate test/fixtures/state.json
	echo '{"rules": {"aws-arn": "off", "aws-resource-id": "off"}}' > .stateguard.json
	run sg scan --format json test
	assert_status 1
	id=$(python3 -c 'import json,sys; print([f for f in json.loads(sys.argv[1])["findings"] if f["rule"]=="tf-state"][0]["id"])' "$output")
	run sg allow "$id" --reason "synthetic state for tests" --expires 2099-12-31 --owner platform
	assert_status 0
	assert_output_contains "added allow[0]"
	python3 - <<-'PY'
	import json
	e = json.load(open(".stateguard.json"))["allow"][0]
	assert e["path"] == "test/fixtures/state.json" and e["rules"] == ["tf-state"], e
	assert len(e["blob"]) == 40 and e["reason"] == "synthetic state for tests" and e["owner"] == "platform", e
	PY
	run sg scan test
	assert_status 0
	assert_output_contains "ALLOWED"
	echo ' ' >> test/fixtures/state.json
	run sg scan test
	assert_status 1
}

@test "without a config, an id scan prints for a path typed any way is one allow finds" {
	mkdir -p work/envs && cd work
	cp ../prod.tfstate envs/prod.json
	for typed in ./envs/prod.json envs//prod.json "$PWD/envs/prod.json" envs/../envs/prod.json; do
		run sg scan --format json "$typed"
		assert_status 1
		ids+=("$(python3 -c 'import json,sys; print([f for f in json.loads(sys.argv[1])["findings"] if f["rule"]=="tf-state"][0]["id"])' "$output")")
	done
	[ "${ids[0]}" = "${ids[1]}" ] && [ "${ids[0]}" = "${ids[2]}" ] && [ "${ids[0]}" = "${ids[3]}" ]
	[ ! -e .stateguard.json ]
	run sg allow "${ids[0]}" --reason "fixture for the id test"
	assert_status 0
	assert_output_contains "added allow[0]"
	run sg scan --format json ./envs/prod.json
	python3 -c 'import json,sys
f=[x for x in json.loads(sys.argv[1])["findings"] if x["rule"]=="tf-state"][0]
assert f["id"]==sys.argv[2] and f.get("allowed_by"), f' "$output" "${ids[0]}"
}

@test "allow needs a reason, a known id and a valid date" {
	mkdir fx && cp prod.tfstate fx/s.json
	run sg allow sg-000000000000 fx
	assert_status 2
	assert_output_contains "needs a --reason"
	run sg allow sg-000000000000 --reason r fx
	assert_status 2
	assert_output_contains "no finding with id sg-000000000000"
	id=$(sg scan --format json fx | python3 -c 'import json,sys; print(json.load(sys.stdin)["findings"][0]["id"])')
	run sg allow "$id" --reason r --expires 2027-13-01 fx
	assert_status 2
	assert_output_contains "must be a date"
	[ ! -e .stateguard.json ]
}
