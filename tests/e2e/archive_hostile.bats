#!/usr/bin/env bats
# Hostile archives: bombs, encryption, duplicates, lies, truncation, tar header abuse,
# traversal names and symlinks, in zip/tar and in the formats read through libarchive
# (7z, RAR, cpio, ISO 9660, lz4, lzip, .Z). Each ends in a blocking finding (or a pass
# for harmless names), in bounded time and memory.
load ../lib/helpers
load ../lib/hostile

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

@test "xz, bzip2 and zstd bombs are refused by the ratio check" {
	head -c 16M /dev/zero > zeros
	xz -0 -c zeros > zeros.xz
	bzip2 -1 -c zeros > zeros.bz2
	zstd -q -1 -c zeros > zeros.zst
	for f in zeros.xz zeros.bz2 zeros.zst; do
		run sg scan "$f"
		assert_status 1
		assert_output_contains "archive-limit"
		assert_output_contains "archive_ratio"
	done
}

@test "corrupted or truncated xz, bzip2 and zstd streams are corrupt, never clean" {
	python3 "$SG_ROOT/tests/lib/archive_fixtures.py" docs docs.tgz
	gzip -dc docs.tgz > docs.tar
	xz -c docs.tar > d.xz
	bzip2 -c docs.tar > d.bz2
	zstd -q -c docs.tar > d.zst
	for f in d.xz d.bz2 d.zst; do
		head -c $(($(stat -c %s "$f") - 20)) "$f" > "cut-$f"
		run sg scan "cut-$f"
		assert_status 1
		assert_output_contains "archive-corrupt"
		python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 0x55; open(sys.argv[2], "wb").write(b)' "$f" "bad-$f"
		run sg scan "bad-$f"
		assert_status 1
		assert_output_contains "archive-corrupt"
	done
}

@test "bytes after the end of a gzip stream are corrupt; zero padding is not" {
	echo "hello" | gzip -c > pad.gz
	head -c 512 /dev/zero >> pad.gz
	run sg scan pad.gz
	assert_status 0
	echo "hello" | gzip -c > junk.gz
	printf 'hidden text' >> junk.gz
	run sg scan junk.gz
	assert_status 1
	assert_output_contains "trailing data"
}

@test "a member above member_bytes streams through the prefilter: random bytes pass, a key blocks" {
	head -c 5000 /dev/urandom > blob.bin
	zip -q one.zip blob.bin
	echo '{"limits": {"member_bytes": 1000}}' > small-member.json
	run sg scan --config small-member.json one.zip
	assert_status 0
	{ head -c 3000 /dev/urandom; printf '\naws_access_key_id = AKIAZ7QWERTY2345ABCD\n'; head -c 3000 /dev/urandom; } > keyed.bin
	zip -q keyed.zip keyed.bin
	run sg scan --config small-member.json keyed.zip
	assert_status 1
	assert_output_contains "scan-limit"
	assert_output_contains "keyed.zip!keyed.bin"
	assert_output_contains "member_bytes"
	assert_output_contains "aws-access-key"
}

@test "a libarchive member that grows past member_bytes with no declared size is refused, not held" {
	head -c 300000 /dev/urandom | base64 > big.txt
	lz4 -q -c big.txt > big.txt.lz4
	echo '{"limits": {"member_bytes": 100000}}' > small-member.json
	run sg scan --config small-member.json big.txt.lz4
	assert_status 1
	assert_output_contains "archive-limit"
	assert_output_contains "big.txt.lz4!big.txt"
	assert_output_contains "member_bytes"
}

@test "a nested archive above member_bytes is refused: it cannot be opened from a window" {
	head -c 5000 /dev/urandom > blob.bin
	zip -q one.zip blob.bin
	zip -q -0 outer.zip one.zip
	echo '{"limits": {"member_bytes": 1000}}' > small-member.json
	run sg scan --config small-member.json outer.zip
	assert_status 1
	assert_output_contains "archive-limit"
	assert_output_contains "too large to open from a streaming window"
	assert_output_contains "member_bytes"
}

@test "past archive_bytes members stream; inflated_bytes stops everything, all levels together" {
	head -c 5000 /dev/urandom > blob.bin
	zip -q one.zip blob.bin
	zip -q -0 outer.zip one.zip
	echo '{"limits": {"archive_bytes": 8000}}' > small-total.json
	run sg scan --config small-total.json outer.zip
	assert_status 0
	echo '{"limits": {"inflated_bytes": 8000}}' > ceiling.json
	run sg scan --config ceiling.json one.zip
	assert_status 0
	run sg scan --config ceiling.json outer.zip
	assert_status 1
	assert_output_contains "archive-limit"
	assert_output_contains "inflated_bytes"
}

@test "a bomb under the ratio is stopped by inflated_bytes, declared or not" {
	afx bomb-zip bomb.zip
	afx bomb-gzip zeros.gz
	echo '{"limits": {"archive_ratio": 100000, "inflated_bytes": 1073741824}}' > c.json
	measure_cfg() { /usr/bin/time -v "$STATEGUARD" scan --config c.json "$1" >out.txt 2>time.txt || true
		cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' time.txt); }
	measure_cfg bomb.zip
	grep -q "archive-limit" out.txt
	grep -q "inflated_bytes" out.txt
	awk -v c="$cpu" 'BEGIN { exit !(c < 0.5) }' || { echo "cpu $cpu s"; false; }
	measure_cfg zeros.gz
	grep -q "archive-limit" out.txt
	grep -q "inflated_bytes" out.txt
	awk -v c="$cpu" 'BEGIN { exit !(c < 10) }' || { echo "cpu $cpu s"; false; }
}

@test "a tar member larger than member_bytes inside tar.gz is streamed: random passes, state is found" {
	mkdir d && head -c 300000 /dev/urandom > d/big.bin
	python3 "$SG_ROOT/tests/lib/archive_fixtures.py" state d/terraform.tfstate
	{ head -c 200000 /dev/urandom; cat d/terraform.tfstate; } > d/tail-state.bin
	tar -C d -czf t.tgz big.bin terraform.tfstate
	echo '{"limits": {"member_bytes": 100000}}' > c.json
	run sg scan --config c.json t.tgz
	assert_status 1
	assert_output_not_contains "t.tgz!big.bin"
	assert_output_contains "t.tgz!terraform.tfstate"
	tar -C d -czf u.tgz big.bin tail-state.bin
	run sg scan --config c.json u.tgz
	assert_status 1
	assert_output_contains "scan-limit"
	assert_output_contains "u.tgz!tail-state.bin"
	assert_output_contains "Terraform state"
}

@test "zip members in LZMA, xz and zstd are decoded by stateguard itself" {
	afx state terraform.tfstate
	python3 - <<'PY'
import zipfile
with zipfile.ZipFile("lzma.zip", "w", zipfile.ZIP_LZMA) as z:
    z.write("terraform.tfstate")
    z.writestr("notes.txt", "hello " * 10000)
PY
	run sg scan lzma.zip
	assert_status 1
	assert_output_contains "lzma.zip!terraform.tfstate"
	assert_output_not_contains "archive-"
	afx zip-methods m.zip
	run sg scan m.zip
	assert_status 1
	assert_output_contains "m.zip!xz/terraform.tfstate"
	assert_output_contains "m.zip!zstd/terraform.tfstate"
	assert_output_contains "compression method 98"
}

@test "a zip LZMA member without an end marker (7-Zip's eos=off) ends at its declared size" {
	afx state terraform.tfstate
	7z a -tzip -mm=LZMA -meos=off noeos.zip terraform.tfstate >/dev/null
	python3 -c 'import struct,sys; d=open("noeos.zip","rb").read(); sys.exit(struct.unpack("<H",d[6:8])[0] & 2)'
	run sg scan noeos.zip
	assert_status 1
	assert_output_contains "tf-state"
	assert_output_contains "noeos.zip!terraform.tfstate"
	assert_output_not_contains "archive-corrupt"
}

@test "a zip LZMA member with a wrong CRC is corrupt" {
	afx zip-lzma-badcrc bad.zip
	run sg scan bad.zip
	assert_status 1
	assert_output_contains "archive-corrupt"
	assert_output_contains "CRC error"
}

# --- the formats read through libarchive ------------------------------------------------

@test "a solid 7z bomb (4 GiB of zeros in 770 KB, a state last) is refused by the ratio in well under a second" {
	hostile 7z_bomb bomb.7z
	measure bomb.7z
	grep -q "archive-limit" out.txt
	grep -q "archive_ratio" out.txt
	grep -q "bomb.7z!zeros00.bin" out.txt
	awk -v c="$cpu" 'BEGIN { exit !(c < 0.5) }' || { echo "cpu $cpu s"; false; }
	((rss < 262144)) || { echo "rss $rss KiB"; false; }
	hostile 7z_bomb_one one.7z
	measure one.7z
	grep -q "member_bytes" out.txt
	awk -v c="$cpu" 'BEGIN { exit !(c < 0.5) }' || { echo "cpu $cpu s"; false; }
}

@test "7z headers that lie about sizes, the pack stream or the file count are corrupt, never clean" {
	for k in 7z_lying_size 7z_lying_pack 7z_lying_files; do
		hostile $k $k.7z
		run_bounded 20 600 "$STATEGUARD" scan $k.7z
		echo "kind: $k"
		assert_status 1
		assert_output_contains "archive-corrupt"
		assert_rss_below
	done
}

@test "a 7z whose LZMA properties ask for a 4 GiB dictionary is refused as decoder_memory before decoding" {
	hostile 7z_huge_dict dict.7z
	run_bounded 20 600 "$STATEGUARD" scan dict.7z
	assert_status 1
	assert_output_contains "archive-limit"
	assert_output_contains "4.0 GiB of dictionary"
	assert_rss_below 100
	# 1.5 GiB, the most 7-Zip writes, is still read (liblzma only touches what it writes)
	python3 - <<'PY'
import lzma, sys
sys.path.insert(0, __import__("os").environ["SG_ROOT"] + "/tests/lib")
import archive_fixtures as af
st = af.state()
raw = lzma.compress(st, format=lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_LZMA1}])
open("ok.7z", "wb").write(af.sevenzip_bytes(raw, af.SZ_LZMA, b"\x5d" + (1536 << 20).to_bytes(4, "little"),
                                            [("terraform.tfstate", len(st))]))
PY
	measure ok.7z
	grep -q "tf-state" out.txt
	is_asan || ((rss < 65536)) || { echo "rss $rss KiB"; false; } # ASan writes shadow for all of it
}

@test "an encrypted 7z blocks a state-named member, warns on a harmless one, and blocks encrypted names" {
	afx state terraform.tfstate
	echo "hello" >notes.txt
	7z a -bd -bso0 -ps3cret data.7z terraform.tfstate notes.txt
	run sg scan --format json data.7z
	assert_status 1
	python3 - "$output" <<'PY'
import json, sys
f = {x["path"]: x for x in json.loads(sys.argv[1])["findings"]}
assert f["data.7z!terraform.tfstate"]["rule"] == "archive-encrypted", f
assert f["data.7z!terraform.tfstate"]["severity"] == "block", f
assert f["data.7z!notes.txt"]["severity"] == "warn", f
assert f["data.7z!notes.txt"]["details"]["encryption"] == "7z AES", f
PY
	7z a -bd -bso0 -ps3cret notes.7z notes.txt
	run sg scan notes.7z
	assert_status 0
	assert_output_contains "archive-encrypted"
	7z a -bd -bso0 -ps3cret -mhe=on names.7z notes.txt
	run sg scan names.7z
	assert_status 1
	assert_output_contains "archive-encrypted  names.7z"
	assert_output_contains "encrypted member names"
}

@test "encrypted RAR 4 and RAR 5 members and headers are archive-encrypted: state names and hidden names block" {
	for v in rar4 rar5; do
		afx $v-encrypted $v.rar
		run sg scan --format json $v.rar
		assert_status 1
		python3 - "$output" $v.rar <<'PY'
import json, sys
f = {x["path"]: x for x in json.loads(sys.argv[1])["findings"]}
p = sys.argv[2]
assert f[p + "!envs/prod/terraform.tfstate"]["rule"] == "archive-encrypted", f
assert f[p + "!envs/prod/terraform.tfstate"]["severity"] == "block", f
assert f[p + "!docs/notes.txt"]["severity"] == "warn", f
assert len(f) == 2, f
PY
		afx $v-encrypted-clean c$v.rar
		run sg scan c$v.rar
		assert_status 0
		assert_output_contains "archive-encrypted"
		afx $v-encrypted-names n$v.rar
		run sg scan n$v.rar
		assert_status 1
		assert_output_contains "archive-encrypted  n$v.rar"
		assert_output_contains "encrypted member names"
	done
}

@test "a cpio with a 4 GiB name size or file size ends in a block in bounded time and memory" {
	for k in cpio_huge_name cpio_huge_size; do
		hostile $k $k.cpio
		run_bounded 20 600 "$STATEGUARD" scan $k.cpio
		echo "kind: $k"
		assert_status 1
		assert_output_contains "archive-"
		assert_rss_below 200
	done
}

@test "a cpio with more members than archive_members is refused with archive-limit" {
	hostile cpio_many many.cpio
	run_bounded 30 600 "$STATEGUARD" scan many.cpio
	assert_status 1
	assert_output_contains "archive_members"
	assert_rss_below 200
}

@test "cpio traversal names and symlinks are display strings, never written or followed" {
	hostile cpio_traversal t.cpio
	run sg scan t.cpio
	assert_status 1
	assert_output_contains "t.cpio!../../../../tmp/sg-escape/terraform.tfstate"
	assert_output_not_contains "etc-link"
	[[ ! -e /tmp/sg-escape ]]
}

# compress (.Z) is left out: it has no end marker, length or check value, so a cut .Z is
# only a shorter file (its detectors' verdict is all there is).
@test "truncated 7z, RAR, cpio, ISO 9660, ar, lz4 and lzip holding state are corrupt, never clean" {
	mkdir d && afx state d/terraform.tfstate && head -c 1000000 /dev/urandom >d/pad.bin
	(cd d && 7z a -bd -bso0 ../t.7z terraform.tfstate pad.bin)
	(cd d && printf 'pad.bin\nterraform.tfstate\n' | cpio -o -H newc --quiet >../t.cpio)
	(cd d && ar rc ../t.a pad.bin terraform.tfstate)
	genisoimage -quiet -input-charset utf-8 -R -o t.iso d
	lz4 -q -c d/terraform.tfstate >t.lz4
	lzip -c d/terraform.tfstate >t.lz
	hostile rar5_truncated t.rar
	for f in t.7z t.cpio t.a t.lz4 t.lz; do
		head -c $(($(stat -c %s "$f") * 2 / 3)) "$f" >"cut-$f"
	done
	head -c 600000 t.iso >cut-t.iso # inside pad.bin, before genisoimage's padding
	for f in cut-t.7z cut-t.cpio cut-t.a cut-t.iso cut-t.lz4 cut-t.lz t.rar; do
		run_bounded 20 600 "$STATEGUARD" scan "$f"
		echo "file: $f"
		assert_status 1
		assert_output_contains "archive-corrupt"
	done
}
