#!/usr/bin/env bats
# Archives opened by their bytes: zip (also behind a prefix), tar, gzip, xz, bzip2, zstd,
# nested, saved plans; clean archives pass; formats stateguard does not open are refused.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

afx() { python3 "$SG_ROOT/tests/lib/archive_fixtures.py" "$@"; }

@test "the infra.zip incident: state inside a zip is blocked with the member path" {
	mkdir -p src/envs/prod
	afx state src/envs/prod/terraform.tfstate
	(cd src && zip -qr ../infra.zip envs)
	run sg scan infra.zip
	assert_status 1
	assert_output_contains "tf-state"
	assert_output_contains "infra.zip!envs/prod/terraform.tfstate"
}

@test "a zip is recognised by content even when named like a text file" {
	afx state terraform.tfstate
	zip -q bundle.zip terraform.tfstate
	mv bundle.zip notes.txt
	run sg scan notes.txt
	assert_status 1
	assert_output_contains "notes.txt!terraform.tfstate"
}

@test "a saved plan named planout is blocked as tf-plan with the embedded state's details" {
	afx plan planout
	run sg scan --format json planout
	assert_status 1
	python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
rules = {(f["rule"], f["path"]) for f in d["findings"]}
assert ("tf-plan", "planout") in rules, rules
assert ("tf-state", "planout!tfstate") in rules, rules
assert ("tf-state", "planout!tfstate-prev") in rules, rules
plan = [f for f in d["findings"] if f["rule"] == "tf-plan"][0]
assert plan["severity"] == "block"
assert "saved Terraform plan" in plan["message"], plan["message"]
assert "tfstate" in plan["details"]["plan_members"]
# the embedded state's details are carried over from its tf-state finding
state = [f for f in d["findings"] if f["path"] == "planout!tfstate"][0]
for k, v in state["details"].items():
    assert plan["details"].get(k) == v, (k, v, plan["details"])
PY
}

@test "a saved plan without state members still gets a tf-plan finding with a useful message" {
	afx plan-nostate my.plan
	run sg scan my.plan
	assert_status 1
	assert_output_contains "tf-plan"
	assert_output_contains "saved Terraform plan"
}

@test "state three levels deep in tar.gz, zip, zip is reported with the full nested path" {
	afx nested3 release.tar.gz
	run sg scan release.tar.gz
	assert_status 1
	assert_output_contains "release.tar.gz!bundle/deploy.zip!bundle/infra.zip!envs/prod/terraform.tfstate"
}

@test "a zip behind a shell-script prefix is found from its end record" {
	afx sfx installer.sh
	run sg scan installer.sh
	assert_status 1
	assert_output_contains "installer.sh!terraform.tfstate"
}

@test "a zip made self-extracting with zip -A (absolute offsets) is read too" {
	afx state terraform.tfstate
	zip -q inner.zip terraform.tfstate
	{ printf '#!/bin/sh\nexit 0\n'; cat inner.zip; } > sfx.bin
	zip -qA sfx.bin
	run sg scan sfx.bin
	assert_status 1
	assert_output_contains "sfx.bin!terraform.tfstate"
}

@test "tar with GNU long names and pax paths gives the real member path" {
	afx tar-longname gnu.tar
	run sg scan gnu.tar
	assert_status 1
	assert_output_contains "very-long-directory-name-07/terraform.tfstate"
	afx tar-pax pax.tar
	run sg scan pax.tar
	assert_status 1
	assert_output_contains "päx-directory-09/prod.tfstate.backup"
}

@test "tar made by the tar command, plain and with every compressor, is opened" {
	mkdir -p d/envs
	afx state d/envs/prod.tfstate
	tar -C d -cf plain.tar envs
	tar -C d -czf z.tgz envs
	tar -C d -cJf x.txz envs
	tar -C d -cjf b.tbz2 envs
	tar -C d --zstd -cf s.tar.zst envs
	for f in plain.tar z.tgz x.txz b.tbz2 s.tar.zst; do
		run sg scan "$f"
		assert_status 1
		assert_output_contains "$f!envs/prod.tfstate"
	done
}

@test "single compressed files (gzip, xz, bzip2, zstd) are decompressed and scanned" {
	afx state prod.tfstate
	gzip -kc prod.tfstate > prod.tfstate.gz
	xz -kc prod.tfstate > prod.tfstate.xz
	bzip2 -kc prod.tfstate > prod.tfstate.bz2
	zstd -qc prod.tfstate > prod.tfstate.zst
	for f in prod.tfstate.gz prod.tfstate.xz prod.tfstate.bz2 prod.tfstate.zst; do
		run sg scan "$f"
		assert_status 1
		assert_output_contains "$f!prod.tfstate"
	done
}

@test "concatenated gzip members are read as one stream" {
	afx concat-gz split.gz
	run sg scan split.gz
	assert_status 1
	assert_output_contains "tf-state"
}

@test "a provider-style zip of random binary data passes" {
	afx provider terraform-provider-example_1.2.3_linux_amd64.zip
	run sg scan terraform-provider-example_1.2.3_linux_amd64.zip
	assert_status 0
	assert_output_contains "no findings"
}

@test "a docs tarball passes" {
	afx docs docs.tar.gz
	run sg scan docs.tar.gz
	assert_status 0
	assert_output_contains "no findings"
}

@test "a zip of many empty files and a directory of archives pass" {
	afx many many.zip
	mkdir dir && afx docs dir/a.tgz && afx provider dir/b.zip
	run sg scan many.zip dir
	assert_status 0
}

@test "7z, RAR, cpio, lz4, lzip and .Z content is refused as unexaminable, not passed" {
	afx state terraform.tfstate
	7z a -bd -bso0 s.7z terraform.tfstate
	echo terraform.tfstate | cpio -o -H newc --quiet >s.cpio
	echo terraform.tfstate | cpio -o -H odc --quiet >s.odc
	lz4 -q terraform.tfstate s.lz4
	lzip -c terraform.tfstate >s.lz
	compress -c terraform.tfstate >s.Z
	printf 'Rar!\x1a\x07\x01\x00rest-of-a-rar5-archive' >s.rar # no free RAR writer: the signature
	for f in s.7z s.cpio s.odc s.lz4 s.lz s.Z s.rar; do
		mv "$f" "renamed-$f.bin" # by content, not by name
		run sg scan --format json "renamed-$f.bin"
		assert_status 1
		python3 -c 'import json,sys
f=json.loads(sys.argv[1])["findings"]
assert len(f)==1 and f[0]["rule"]=="archive-limit" and f[0]["severity"]=="block", f
assert "a format stateguard does not open" in f[0]["message"], f' "$output"
	done
	# inside a zip, the member is named
	cp renamed-s.7z.bin inner.7z && zip -q outer.zip inner.7z
	run sg scan outer.zip
	assert_status 1
	assert_output_contains "outer.zip!inner.7z"
	assert_output_contains "7z archive (a format stateguard does not open)"
}

@test "text that merely starts like cpio or 7z is not taken for an archive" {
	printf '070701 is a date, not a header\n' >dates.txt
	printf '7z files are not used here\n' >notes.txt
	printf 'LZIP\n' >word.txt
	run sg scan dates.txt notes.txt word.txt
	assert_status 0
}
