#!/usr/bin/env bats
# Hostile content: deep and huge JSON, NUL bytes, invalid UTF-8, empty files.
# Every scan ends with a decision in bounded time and memory, and a state
# dressed up to confuse a parser is still blocked.
load ../lib/helpers
load ../lib/hostile

setup() { setup_tmp; }
teardown() { teardown_tmp; }

# scan_blocks RULE SECS MB FILE: a bounded scan of FILE decides and blocks it
# (exit 1, not merely "not passed") under RULE.
scan_blocks() {
	run_bounded "$2" "$3" "$STATEGUARD" scan "$4"
	assert_not_passed || return 1
	assert_status 1 || return 1
	assert_output_contains "$1"
}

@test "JSON nested 200,000 deep ends in a decision without exhausting the stack" {
	hostile json_deep deep.json
	run_bounded 20 400 "$STATEGUARD" scan deep.json
	assert_decided
	assert_rss_below
	hostile json_deep_unclosed unclosed.json
	run_bounded 20 400 "$STATEGUARD" scan unclosed.json
	assert_decided
}

@test "a state with one attribute nested 200,000 deep is still blocked" {
	hostile state_deep_attr terraform.tfstate
	cp terraform.tfstate blob.json
	# too deep to parse: blocked unexamined under scan-limit, not recognised as tf-state
	scan_blocks scan-limit 20 400 blob.json
	scan_blocks scan-limit 20 400 terraform.tfstate
}

@test "a state of 200,000 resources is blocked in bounded time and memory" {
	hostile state_200k big.json
	run_bounded 60 1500 "$STATEGUARD" scan big.json
	assert_status 1
	assert_output_contains "tf-state"
	assert_rss_below
}

@test "a state padded or prefixed with NUL bytes is still blocked" {
	hostile state_nul_padded padded.json
	scan_blocks tf-state 20 300 padded.json
	hostile state_nul_prefix prefixed.json
	scan_blocks tf-state 20 300 prefixed.json
}

@test "a state with NUL bytes inside a string value is still blocked" {
	hostile state_nul_inside s.json
	scan_blocks tf-state 20 300 s.json
}

@test "a state with invalid UTF-8 in a value is still blocked" {
	hostile state_invalid_utf8 s.json
	scan_blocks tf-state 20 300 s.json
}

@test "a state with a UTF-8 byte-order mark is still blocked" {
	hostile state_utf8_bom s.json
	scan_blocks tf-state 20 300 s.json
}

@test "empty files of every artifact name pass with exit 0" {
	mkdir -p e/.terraform
	for f in terraform.tfstate terraform.tfstate.backup plan.json main.tf prod.tfvars \
		.terraform.lock.hcl .terraform/terraform.tfstate credentials .env Pulumi.prod.yaml x.zip x.tar.gz; do
		: >"e/$f"
	done
	run_bounded 20 300 "$STATEGUARD" scan e
	assert_decided
	[[ $status -ne 2 ]] || { echo "empty files are readable: no error expected"; echo "$output"; return 1; }
}

@test "random binary data of every container magic ends in a decision" {
	python3 - <<'PY'
import os, random
r = random.Random(7)
magics = [b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b\x08", b"\xfd7zXZ\x00", b"BZh9", b"\x28\xb5\x2f\xfd",
          b"\x5d\x00\x00\x80\x00", b"ustar", b"{", b"[",
          b"7z\xbc\xaf\x27\x1c\x00\x04", b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00",
          b"070701" + b"0" * 104, b"070707" + b"0" * 70, b"!<arch>\n", b"\x04\x22\x4d\x18",
          b"LZIP\x01", b"\x1f\x9d\x90"]
os.mkdir("r")
for i, m in enumerate(magics):
    for j in range(5):
        data = m + bytes(r.getrandbits(8) for _ in range(r.choice([0, 1, 17, 511, 4096])))
        if m == b"ustar":
            data = bytes(257) + data + bytes(300)
        open("r/%d-%d" % (i, j), "wb").write(data)
PY
	run_bounded 30 400 "$STATEGUARD" scan r
	assert_decided
}

@test "a base64'd gzip bomb of 4 GiB of zeros is refused as archive-limit in well under a second" {
	hostile b64_gzip_bomb bomb.yaml
	local t0=$EPOCHREALTIME
	scan_blocks archive-limit 20 300 bomb.yaml
	assert_output_contains "bomb.yaml!base64@L1"
	assert_rss_below
	is_asan || awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 1.0) }' ||
		{ echo "took $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }') s"; return 1; }
}

@test "a state base64-encoded 30 times stops at the depth budget with an archive-limit block" {
	hostile b64_nested30 nested.txt
	scan_blocks archive-limit 20 400 nested.txt
	assert_output_contains "archive_depth"
	assert_output_contains '!base64@L1!base64@L1!base64@L1!base64@L1!base64@L1'
}

@test "64 MB of base64 of random bytes scans clean in a few seconds" {
	hostile b64_random_64m random.txt
	run_bounded 10 700 "$STATEGUARD" scan random.txt
	assert_status 0
	assert_rss_below
}

@test "a truncated base64 gzip of a state is blocked as a corrupt gzip under its base64 line" {
	hostile b64_truncated_gzip secret.yaml
	scan_blocks archive-corrupt 20 300 secret.yaml
	assert_output_contains "secret.yaml!base64@L4"
	assert_output_contains "truncated"
}

@test "UTF-16 with lone surrogates and an odd length ends in a decision, the state still blocked" {
	hostile utf16_lone_surrogate_odd broken.json
	scan_blocks tf-state 20 300 broken.json
	assert_output_contains "text-encoding"
	hostile utf16_odd_only one.txt
	run_bounded 20 300 "$STATEGUARD" scan one.txt
	assert_status 0
	assert_output_contains "truncated last character"
}

@test "an escaped state in a JSON string that never closes is still blocked, in bounded time" {
	hostile escaped_unclosed out.json
	scan_blocks tf-state 20 300 out.json
	assert_output_contains "out.json!unescaped@L1"
}
