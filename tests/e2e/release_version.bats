#!/usr/bin/env bats
# One version, defined in VERSION: the binary, the man page, debian/changelog,
# CHANGELOG.md and the tarball name agree with it, and the check catches a
# disagreement. The license is Apache-2.0, named by --version and the README.
load ../lib/helpers
load ../lib/release

setup() { setup_tmp; }
teardown() { teardown_tmp; }

version() { cat "$SG_ROOT/VERSION"; }

@test "stateguard --version prints the VERSION file's number and names the license" {
	run --separate-stderr sg --version
	assert_status 0
	[[ ${lines[0]} == "stateguard $(version)" ]] || { echo "$output"; false; }
	assert_output_contains "License: Apache-2.0"
}

@test "the man page, debian/changelog and CHANGELOG.md agree with VERSION" {
	run release_version_mismatches "$SG_ROOT"
	assert_status 0
	[[ -z $output ]] || { echo "$output"; false; }
}

@test "a man page, debian/changelog or CHANGELOG.md that disagrees with VERSION is reported" {
	mkdir -p t/docs t/debian
	cp "$SG_ROOT/VERSION" "$SG_ROOT/CHANGELOG.md" t/
	cp "$SG_ROOT/docs/stateguard.1" t/docs/
	cp "$SG_ROOT/debian/changelog" t/debian/
	echo 99.0.0 >t/VERSION
	run release_version_mismatches t
	assert_output_contains "docs/stateguard.1: .Os says 'stateguard $(version)', VERSION says 99.0.0"
	assert_output_contains "debian/changelog: first entry is '$(version)-"
	assert_output_contains "CHANGELOG.md: newest release is '$(version)'"
	((${#lines[@]} == 4)) || { echo "$output"; false; }
	echo 9.9 >t/VERSION
	run release_version_mismatches t
	assert_output_contains "is not X.Y.Z"
}

@test "make dist names the tarball and its checksum after VERSION" {
	run make --no-print-directory -s -n -C "$SG_ROOT" dist
	assert_status 0
	assert_output_contains "--prefix=stateguard-$(version)/ HEAD"
	assert_output_contains "> dist/stateguard-$(version).tar.gz.tmp"
	assert_output_contains "sha256sum stateguard-$(version).tar.gz > stateguard-$(version).tar.gz.sha256"
}

@test "LICENSE is the Apache License 2.0 and the README names it" {
	grep -q "Apache License" "$SG_ROOT/LICENSE"
	grep -q "Version 2.0, January 2004" "$SG_ROOT/LICENSE"
	grep -q "END OF TERMS AND CONDITIONS" "$SG_ROOT/LICENSE"
	grep -q "^## License" "$SG_ROOT/README.md"
	grep -q "Apache License 2.0" "$SG_ROOT/README.md"
	grep -q "^License: Apache-2.0" "$SG_ROOT/debian/copyright"
}
