#!/usr/bin/env bats
# Hostile archives: bombs, truncated, lying and inconsistent containers. Every
# scan ends with a decision (0/1/2, never a signal) in bounded time and memory,
# and a container that cannot be proven clean is never passed.
load ../lib/helpers
load ../lib/hostile

setup() { setup_tmp; }
teardown() { teardown_tmp; }


scan_hostile() { # KIND [SECS MB]
	hostile "$1" "$1.bin"
	run_bounded "${2:-20}" "${3:-600}" "$STATEGUARD" scan "$1.bin"
}

@test "a flat zip bomb (2.5 GiB in 2.6 MB) is refused with archive-limit in bounded time and memory" {
	scan_hostile zip_bomb_flat
	assert_status 1
	assert_output_contains "archive-limit"
	assert_rss_below
}

@test "a zip of 1000 entries overlapping one 64 MiB entry is refused in bounded memory" {
	scan_hostile zip_bomb_overlap
	assert_not_passed
	assert_rss_below
}

@test "a nested zip bomb (640 GiB, four levels of ten) is refused with archive-limit" {
	scan_hostile zip_bomb_nested
	assert_status 1
	assert_output_contains "archive-limit"
	assert_rss_below
}

@test "a state behind a zip bomb is never passed" {
	scan_hostile zip_bomb_state_after
	assert_status 1
	assert_rss_below
}

@test "a gzip bomb of 64 concatenated members (4 GiB) is refused with archive-limit" {
	scan_hostile gzip_bomb
	assert_status 1
	assert_output_contains "archive-limit"
	assert_rss_below
}

@test "a gzip of a gzip bomb is refused" {
	scan_hostile gzip_bomb_nested
	assert_status 1
	assert_rss_below
}

@test "truncated zip, tar.gz, xz and bzip2 holding state are never passed" {
	for k in zip_truncated zip_no_eocd tgz_truncated xz_truncated bz2_truncated; do
		scan_hostile $k
		echo "kind: $k"
		assert_not_passed
	done
}

@test "archives with a bad CRC are reported, not passed" {
	for k in gzip_bad_crc zip_bad_crc; do
		scan_hostile $k
		echo "kind: $k"
		assert_not_passed
	done
}

@test "zip entries lying about their sizes are never passed" {
	for k in zip_lying_small zip_lying_huge zip_lying_csize; do
		scan_hostile $k
		echo "kind: $k"
		assert_not_passed
		assert_rss_below
	done
}

@test "a state hidden behind a clean zip entry of the same name is found" {
	scan_hostile zip_dup_hides_state
	assert_status 1
	assert_output_contains "tf-state"
}

@test "a state zip behind a shell-script prefix is found" {
	scan_hostile zip_sfx_prefix
	assert_status 1
	assert_output_contains "tf-state"
}

@test "tar headers with impossible sizes (8 GiB octal, negative and huge base-256) end in a decision" {
	for k in tar_huge_size tar_base256_negative tar_base256_huge tar_pax_size_lie; do
		scan_hostile $k
		echo "kind: $k"
		assert_not_passed
		assert_rss_below
	done
}

@test "a tar whose last member runs past the end still reports the state before it" {
	scan_hostile tar_size_past_end_state_before
	assert_status 1
	assert_output_contains "tf-state"
}

@test "empty archives and empty members end in a decision" {
	for k in empty_zip empty_gzip empty_tar empty_member_zip; do
		scan_hostile $k
		echo "kind: $k"
		assert_decided
	done
}

@test "a zip of 65,535 members ends in a decision in bounded time" {
	scan_hostile many_members_zip 30
	assert_decided
	assert_rss_below
}

@test "many hostile archives in one directory scan to one decision" {
	mkdir d
	for k in zip_truncated zip_dup_hides_state tar_huge_size gzip_bad_crc empty_zip state_zip; do
		hostile $k d/$k
	done
	run_bounded 30 600 "$STATEGUARD" scan d
	assert_not_passed
	assert_output_contains "tf-state"
}
