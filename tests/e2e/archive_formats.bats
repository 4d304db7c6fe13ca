#!/usr/bin/env bats
# Archives opened by their bytes: zip (also behind a prefix), tar, gzip, xz, bzip2, zstd,
# nested, saved plans, and through libarchive 7z, RAR 4/5, cpio, ISO 9660, ar, lz4, lzip
# and .Z; clean archives pass.
load ../lib/hooks

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

# make_formats: state at envs/prod/terraform.tfstate packed by the real tools, each file
# renamed to *.bin so that only its bytes can say what it is.
make_formats() {
	mkdir -p d/envs/prod
	afx state d/envs/prod/terraform.tfstate
	echo "release notes" >d/notes.txt
	(cd d && 7z a -bd -bso0 ../s.7z envs notes.txt)
	(cd d && find envs notes.txt | cpio -o -H newc --quiet >../s.newc)
	(cd d && find envs notes.txt | cpio -o -H odc --quiet >../s.odc)
	(cd d && find envs notes.txt | cpio -o -H bin --quiet >../s.cpiobin)
	(cd d && ar rc ../s.a envs/prod/terraform.tfstate notes.txt)
	genisoimage -quiet -input-charset utf-8 -R -J -graft-points -o s.iso envs=d/envs notes.txt=d/notes.txt
	afx rar4 s.rar4
	afx rar5 s.rar5
	for f in s.7z s.newc s.odc s.cpiobin s.a s.iso s.rar4 s.rar5; do mv "$f" "$f.bin"; done
}

@test "state inside 7z, cpio (newc, odc, bin), ar, ISO 9660 and RAR 4/5 is found with its member path" {
	make_formats
	for f in s.7z s.newc s.odc s.cpiobin s.iso s.rar4 s.rar5; do
		run sg scan --format json "$f.bin"
		assert_status 1
		python3 -c 'import json, sys
d = json.loads(sys.argv[1]); p = sys.argv[2]
rules = {(x["rule"], x["path"]) for x in d["findings"]}
assert ("tf-state", p + "!envs/prod/terraform.tfstate") in rules, rules
assert not any(r.startswith("archive-") for r, _ in rules), rules' "$output" "$f.bin"
	done
	run sg scan s.a.bin # ar keeps base names only
	assert_status 1
	assert_output_contains "tf-state  s.a.bin!terraform.tfstate"
}

@test "non-ASCII member names of 7z (UTF-16) and ISO 9660 (Joliet) keep their letters" {
	mkdir u
	afx state "u/päx-prod.tfstate"
	(cd u && 7z a -bd -bso0 ../u.7z "päx-prod.tfstate")
	genisoimage -quiet -input-charset utf-8 -J -o u.iso u
	run sg scan u.7z u.iso
	assert_status 1
	assert_output_contains "u.7z!päx-prod.tfstate"
	assert_output_contains "u.iso!päx-prod.tfstate"
}

@test "single lz4, lzip and .Z streams are decompressed, and a tar inside them is read" {
	mkdir -p d/envs
	afx state d/envs/prod.tfstate
	lz4 -q d/envs/prod.tfstate prod.tfstate.lz4
	lzip -c d/envs/prod.tfstate >prod.tfstate.lz
	compress -c d/envs/prod.tfstate >prod.tfstate.Z
	tar -C d -cf - envs | lz4 -q >bundle.tar.lz4
	tar -C d -cf - envs | lzip -c >bundle.tlz
	tar -C d -cf - envs | compress -c >bundle.tar.Z
	for f in prod.tfstate.lz4 prod.tfstate.lz prod.tfstate.Z; do
		run sg scan "$f"
		assert_status 1
		assert_output_contains "tf-state  $f!prod.tfstate"
	done
	run sg scan bundle.tar.lz4 bundle.tlz bundle.tar.Z
	assert_status 1
	assert_output_contains "bundle.tar.lz4!bundle.tar!envs/prod.tfstate"
	assert_output_contains "bundle.tlz!bundle.tar!envs/prod.tfstate"
	assert_output_contains "bundle.tar.Z!bundle.tar!envs/prod.tfstate"
}

@test "clean 7z, cpio, ar, ISO 9660, RAR, lz4, lzip and .Z files pass" {
	mkdir d && echo "release notes" >d/notes.txt && head -c 100000 /dev/urandom >d/logo.bin
	(cd d && 7z a -bd -bso0 ../c.7z notes.txt logo.bin)
	(cd d && printf 'notes.txt\nlogo.bin\n' | cpio -o -H newc --quiet >../c.cpio)
	(cd d && ar rc ../c.a notes.txt logo.bin)
	genisoimage -quiet -input-charset utf-8 -R -J -o c.iso d
	afx rar4-clean c4.rar
	afx rar5-clean c5.rar
	head -c 6000000 /dev/urandom | base64 | lz4 -q >c.lz4 # 4 MiB blocks: counted input lags output
	lzip -c d/notes.txt >c.lz
	compress -c d/notes.txt >c.Z
	run sg scan c.7z c.cpio c.a c.iso c4.rar c5.rar c.lz4 c.lz c.Z
	assert_status 0
	assert_output_contains "no findings"
}

@test "a 7z inside a zip and a cpio inside gzip (an initramfs) are opened as nested layers" {
	make_formats
	cp s.7z.bin inner.7z && zip -q outer.zip inner.7z
	run sg scan outer.zip
	assert_status 1
	assert_output_contains "outer.zip!inner.7z!envs/prod/terraform.tfstate"
	gzip -c s.newc.bin >initrd.img
	run sg scan initrd.img
	assert_status 1
	assert_output_contains "initrd.img!gzip!envs/prod/terraform.tfstate"
}

@test "a Debian package (ar of control and data tarballs) with state in its data is blocked" {
	mkdir -p pkg/DEBIAN pkg/etc/app
	printf 'Package: app\nVersion: 1.0\nArchitecture: all\nMaintainer: ops <ops@example.com>\nDescription: app\n' >pkg/DEBIAN/control
	afx state pkg/etc/app/terraform.tfstate
	dpkg-deb --root-owner-group -Zxz -b pkg app.deb >/dev/null
	run sg scan app.deb
	assert_status 1
	assert_output_contains "app.deb!data.tar.xz!./etc/app/terraform.tfstate"
}

@test "text that merely starts like cpio or 7z is not taken for an archive" {
	printf '070701 is a date, not a header\n' >dates.txt
	printf '7z files are not used here\n' >notes.txt
	printf 'LZIP\n' >word.txt
	printf '\xc7\x71 two bytes of binary cpio magic, then text\n' >magic.txt
	run sg scan dates.txt notes.txt word.txt magic.txt
	assert_status 0
}

@test "through real hooks: a commit of a 7z holding state is rejected, and a pushed RAR 5 is refused by the server" {
	new_repo work
	new_remote srv.git
	cd work
	git remote add origin ../srv.git
	git push -q origin HEAD:main
	mkdir -p envs/prod
	state_json >envs/prod/terraform.tfstate
	7z a -bd -bso0 backup.7z envs
	rm -r envs
	git add backup.7z
	run git commit -q -m "add backup"
	assert_status 1
	assert_output_contains "backup.7z!envs/prod/terraform.tfstate"
	git rm -q --cached backup.7z && rm backup.7z
	afx rar5 release.rar
	git add release.rar
	git commit -q --no-verify -m "add release"
	run git push --no-verify origin HEAD:main
	assert_status 1
	assert_output_contains "release.rar!envs/prod/terraform.tfstate"
	[[ $(git -C ../srv.git rev-parse main) != $(git rev-parse HEAD) ]]
}
