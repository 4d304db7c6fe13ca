# Helpers for the hostile-input, fault and concurrency suites (load after helpers):
# generated inputs, and runs bounded in wall-clock time and memory whose exit
# status must be a decision (0/1/2), never a signal or a sanitizer report.

hostile() { python3 "$SG_ROOT/tests/lib/hostile.py" "$@"; }

is_asan() { [[ $STATEGUARD == */asan/* ]]; }

# run_bounded SECS MB CMD...: `run`s CMD killed after SECS seconds (x4 under
# ASan) and, in the plain build, with its address space capped (MB + 512 MiB of
# slack for libraries) and its peak RSS recorded for assert_rss_below.
run_bounded() {
	local secs=$1 mb=$2
	shift 2
	BOUND_MB=$mb
	rm -f "$TMP/.maxrss"
	if is_asan; then
		run env ASAN_OPTIONS="${ASAN_OPTIONS:-}:allocator_may_return_null=1:hard_rss_limit_mb=6000" \
			timeout -s KILL $((secs * 4)) "$@"
	else
		run timeout -s KILL "$secs" /usr/bin/time -f '%M' -o "$TMP/.maxrss" \
			prlimit --as=$(((mb + 512) << 20)) -- "$@"
	fi
}

# The last run ended with 0, 1 or 2: not killed, not timed out, no sanitizer report.
assert_decided() {
	if [[ $status -gt 2 ]]; then
		echo "expected exit 0, 1 or 2, got $status (timeout 137, sanitizer 86/87, signal 128+N)"
		echo "--- output ---"; echo "${output:0:3000}"
		return 1
	fi
	if [[ $output == *"runtime error:"* || $output == *"Sanitizer"* ]]; then
		echo "sanitizer report in output:"; echo "${output:0:3000}"
		return 1
	fi
}

# The last run_bounded stayed below its MB of peak RSS (plain build only).
assert_rss_below() {
	is_asan && return 0
	local kb
	kb=$(tail -1 "$TMP/.maxrss")
	if ((kb > ${1:-$BOUND_MB} * 1024)); then
		echo "peak RSS $((kb / 1024)) MiB, limit ${1:-$BOUND_MB} MiB"
		return 1
	fi
}

# Blocked or failed closed: exit 1 or 2, never 0.
assert_not_passed() {
	assert_decided || return 1
	if [[ $status -eq 0 ]]; then
		echo "expected a block (1) or an error (2), got 0: the content went through"
		echo "--- output ---"; echo "${output:0:3000}"
		return 1
	fi
}
