#!/usr/bin/env bats
# Hostile archives: bombs, encryption, duplicates, lies, truncation, tar header abuse,
# traversal names and symlinks. Each ends in a blocking finding (or a pass for harmless
# names), in bounded time and memory.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

afx() { python3 "$SG_ROOT/tests/lib/archive_fixtures.py" "$@"; }

# measure FILE: runs the scan under /usr/bin/time -v; sets cpu (seconds) and rss (KiB).
measure() {
	/usr/bin/time -v "$STATEGUARD" scan "$1" >out.txt 2>time.txt || true
	cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' time.txt)
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' time.txt)
}

@test "a 4 GiB-of-zeros zip bomb is refused in well under a second and 256 MiB" {
	afx bomb-zip bomb.zip
	measure bomb.zip
	grep -q "archive-limit" out.txt
	grep -q "bomb.zip!zeros.bin" out.txt
	awk -v c="$cpu" 'BEGIN { exit !(c < 0.5) }' || { echo "cpu $cpu s"; false; }
	((rss < 262144)) || { echo "rss $rss KiB"; false; }
}

@test "a 4 GiB gzip bomb is refused in well under a second and 256 MiB" {
	afx bomb-gzip zeros.gz
	measure zeros.gz
	grep -q "archive-limit" out.txt
	grep -q "archive_ratio" out.txt
	awk -v c="$cpu" 'BEGIN { exit !(c < 0.5) }' || { echo "cpu $cpu s"; false; }
	((rss < 262144)) || { echo "rss $rss KiB"; false; }
}

@test "a nested bomb (zips of 1 GiB zero members) is refused quickly with one finding" {
	afx bomb-nested nested.zip
	measure nested.zip
	grep -q "archive-limit" out.txt
	[[ $(grep -c "archive-limit" out.txt) -eq 1 ]]
	awk -v c="$cpu" 'BEGIN { exit !(c < 2) }' || { echo "cpu $cpu s"; false; }
	((rss < 262144)) || { echo "rss $rss KiB"; false; }
}

@test "a member under every size cap but inflating over 1000:1 is refused as a bomb" {
	afx bomb-ratio ratio.zip
	run sg scan --format json ratio.zip
	assert_status 1
	assert_output_contains '"limit":"archive_ratio"'
	assert_output_contains 'compression bomb'
}

@test "a password-protected zip holding terraform.tfstate is blocked as archive-encrypted" {
	afx state terraform.tfstate
	echo "hello" > notes.txt
	zip -q -P s3cret secret.zip terraform.tfstate notes.txt
	run sg scan --format json secret.zip
	assert_status 1
	python3 - "$output" <<'PY'
import json, sys
f = {x["path"]: x for x in json.loads(sys.argv[1])["findings"]}
assert f["secret.zip!terraform.tfstate"]["rule"] == "archive-encrypted"
assert f["secret.zip!terraform.tfstate"]["severity"] == "block"
assert f["secret.zip!notes.txt"]["severity"] == "warn"
PY
}

@test "an encrypted zip of harmless names only warns" {
	echo "hello" > notes.txt
	zip -q -P s3cret notes.zip notes.txt
	run sg scan notes.zip
	assert_status 0
	assert_output_contains "archive-encrypted"
}

@test "duplicate zip entries: the state one hiding behind a clean one is still found" {
	afx duplicate dup.zip
	run sg scan dup.zip
	assert_status 1
	assert_output_contains "archive-corrupt"
	assert_output_contains "duplicate member names"
	assert_output_contains "tf-state"
}

@test "a zip member inflating beyond its declared size is corrupt and not trusted" {
	afx liar liar.zip
	run sg scan liar.zip
	assert_status 1
	assert_output_contains "archive-corrupt"
	assert_output_contains "more than the 100 bytes it declares"
}

@test "a zip member shorter than declared, a bad CRC and overlapping entries are corrupt" {
	afx short short.zip
	run sg scan short.zip
	assert_status 1
	assert_output_contains "archive-corrupt"
	afx badcrc crc.zip
	run sg scan crc.zip
	assert_status 1
	assert_output_contains "CRC"
	afx overlap overlap.zip
	run sg scan overlap.zip
	assert_status 1
	assert_output_contains "overlapping entries"
}

@test "truncated zip and tar.gz are corrupt, never clean" {
	afx truncated-zip t.zip
	run sg scan t.zip
	assert_status 1
	assert_output_contains "archive-corrupt"
	afx truncated-tgz t.tgz
	run sg scan t.tgz
	assert_status 1
	assert_output_contains "archive-corrupt"
}

@test "tar headers with huge, negative or mis-summed sizes are corrupt, without a crash" {
	for k in tar-huge tar-negative tar-badsum; do
		afx "$k" "$k.tar"
		run sg scan "$k.tar"
		assert_status 1
		assert_output_contains "archive-corrupt"
	done
}

@test "traversal names are reported as text, never written, and control bytes are escaped" {
	afx traversal t.tar
	run sg scan t.tar
	assert_status 1
	assert_output_contains "t.tar!../../../../tmp/sg-escape/terraform.tfstate"
	assert_output_contains 'evil\x0aBLOCK   fake\x1b[31m.tfstate'
	[[ ! -e /tmp/sg-escape ]]
}

@test "a symlink member in a zip is read as its link text and never followed" {
	afx symlink-zip links.zip
	run sg scan links.zip
	assert_status 0
}

@test "archives nested deeper than archive_depth are reported as archive-limit" {
	afx deep deep.zip
	run sg scan deep.zip
	assert_status 1
	assert_output_contains "archive-limit"
	assert_output_contains "archive_depth"
}

@test "a file that merely starts like gzip but is not is corrupt, not clean" {
	printf '\x1f\x8b\x08garbage-not-deflate' > fake.gz
	run sg scan fake.gz
	assert_status 1
	assert_output_contains "archive-corrupt"
}
