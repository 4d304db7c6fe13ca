#!/usr/bin/env bats
# Ordinary code passes: nothing here may be reported.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

@test "package.json, OpenAPI, lock file, plain backend, docs, SHAs and EXAMPLE keys pass together" {
	mkdir -p repo/infra repo/docs
	fixtures package-json --out repo/package.json
	fixtures openapi --out repo/docs/openapi.json
	fixtures lock-hcl --out repo/infra/.terraform.lock.hcl
	fixtures tf-s3-no-credentials --out repo/infra/main.tf
	fixtures backend-tf-references --out repo/infra/backend.tf
	fixtures docs-tfstate --out repo/docs/README.md
	fixtures git-shas --out repo/docs/shas.txt
	fixtures aws-example-keys --out repo/docs/aws.md
	fixtures terraformrc-no-token --out repo/.terraformrc
	run sg scan repo
	assert_status 0
	assert_output_contains "no findings"
}

@test "JSON with a single state-like key, arrays and invalid JSON pass" {
	printf '{"lineage": "family tree", "version": "2"}' > a.json
	printf '[{"version":4,"serial":1,"lineage":"x","resources":[]}]' > b.json
	printf '{"modules": ["a"], "backend": "express"' > c.json
	printf '{"format_version": "1.0", "valid": true, "diagnostics": []}' > validate.json
	printf '{"credentials": {"host": {"token": ""}}}' > d.json
	run sg scan a.json b.json c.json validate.json d.json
	assert_status 0
	assert_output_contains "no findings"
}

@test "binary files, empty files and NUL bytes pass cleanly" {
	head -c 4096 /dev/urandom | tr -d 't' > rand.bin
	: > empty.json
	printf '{"a":"\0lineage"}' > nul.json
	run sg scan rand.bin empty.json nul.json
	assert_status 0
}
