#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET...]: runs each libFuzzer target (built by `make
# fuzz`) for SECONDS on its generated seeds plus its growing corpus, fails on the
# first crash, leak, timeout or OOM, and appends the time fuzzed to
# build/fuzz/fuzz-time.log. Crash inputs land in build/fuzz/crashes/.
set -u
cd "$(dirname "$0")/.."
FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if ((${#targets[@]} == 0)); then
	for f in fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi

rm -rf "$FUZZ_BUILD/seeds"
python3 fuzz/make_seeds.py "$FUZZ_BUILD/seeds" || exit 2
mkdir -p "$FUZZ_BUILD/crashes"
failed=0
for t in "${targets[@]}"; do
	bin=$FUZZ_BUILD/$t
	[[ -x $bin ]] || { echo "fuzz: $bin is not built (run make fuzz)"; exit 2; }
	corpus=$FUZZ_BUILD/corpus/$t
	seeds=$FUZZ_BUILD/seeds/$t
	regress=tests/regress/$t
	mkdir -p "$corpus" "$seeds"
	dirs=("$corpus" "$seeds")
	[[ -d $regress ]] && dirs+=("$regress")
	log=$FUZZ_BUILD/$t.log
	start=$(date +%s)
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/crashes/$t-" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	printf '%s %s %ds rc=%d execs=%s\n' "$(date -u +%FT%TZ)" "$t" $((end - start)) "$rc" \
		"${execs:-?}" >>"$FUZZ_BUILD/fuzz-time.log"
	if ((rc != 0)); then
		echo "fuzz: $t FAILED (exit $rc) after $((end - start))s; log: $log"
		grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 | sed 's/^/    /'
		failed=1
	else
		printf 'fuzz: %-16s ok  %4ds  %s runs, corpus %s files\n' "$t" $((end - start)) \
			"${execs:-?}" "$(find "$corpus/" -type f | wc -l)"
	fi
done
exit $failed
