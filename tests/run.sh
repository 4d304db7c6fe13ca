#!/usr/bin/env bash
# Runs every unit test binary (cmocka, TAP output) and every end-to-end bats file,
# prints each failure, and ends with one line: "N passed, N failed, N skipped"
# (a TAP "ok N ... # skip" counts as skipped, never as passed).
# Usage: BUILD=build tests/run.sh [--unit-only|--e2e-only] [FILTER]
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export STATEGUARD="$PWD/$BUILD/stateguard"
export SG_BUILD="$PWD/$BUILD"
export SG_ROOT="$PWD"
# A sanitizer report must never pass for "blocked" (exit 1): give it its own status.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=87:print_stacktrace=1"
mode=${1:-all}
filter=${2:-}
[[ $mode == --unit-only || $mode == --e2e-only || $mode == all ]] || { filter=$mode; mode=all; }
pass=0 fail=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count_tap() { # file label
	local p f s
	s=$(grep -ciE '^ok .*# skip( |$)' "$1" || true)
	p=$(grep -cE '^ok ' "$1" || true)
	p=$((p - s))
	f=$(grep -cE '^not ok ' "$1" || true)
	pass=$((pass + p)); fail=$((fail + f)); skipped=$((skipped + s))
	if ((f > 0)); then
		echo "FAILED in $2:"; grep -E '^not ok |^#' "$1" | sed 's/^/    /' | head -60
	fi
	printf '%-40s %4d passed %4d failed %4d skipped\n' "$2" "$p" "$f" "$s"
}

if [[ $mode != --e2e-only ]]; then
	for t in "$BUILD"/tests/test_*; do
		[[ -x $t ]] || continue
		[[ -n $filter && $t != *"$filter"* ]] && continue
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1
		rc=$?
		if ! grep -qE '^(not )?ok ' "$log" || { ((rc != 0)) && ! grep -qE '^not ok ' "$log"; }; then
			echo "FAILED: $t exited $rc without a clean TAP report:"; sed 's/^/    /' "$log" | tail -30
			fail=$((fail + 1))
		fi
		count_tap "$log" "unit/$(basename "$t")"
	done
fi

if [[ $mode != --unit-only ]]; then
	command -v bats >/dev/null || { echo "bats is not installed (run ./install.sh)"; exit 2; }
	for t in tests/e2e/*.bats; do
		[[ -f $t ]] || continue
		[[ -n $filter && $t != *"$filter"* ]] && continue
		bats --tap "$t" >"$log" 2>&1
		rc=$?
		if ! grep -qE '^(not )?ok ' "$log" || { ((rc != 0)) && ! grep -qE '^not ok ' "$log"; }; then
			echo "FAILED: $t exited $rc without a clean TAP report:"; sed 's/^/    /' "$log" | tail -30
			fail=$((fail + 1))
		fi
		count_tap "$log" "e2e/$(basename "$t")"
	done
fi

echo "$pass passed, $fail failed, $skipped skipped"
((fail == 0))
