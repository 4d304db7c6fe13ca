#!/usr/bin/env bash
# Scan throughput: generates a tree of N mixed files (default 100000: mostly
# ordinary source, ~10% JSON, a few planted artifacts), runs `stateguard scan`
# over it twice (the second run with a warm page cache is reported) and prints
# files/s and MB/s (wall clock and per CPU second: on a busy machine the
# latter is the stable figure), and how many planted artifacts were found.
# Usage: bench/scan_bench.sh [N] [BINARY]   (tree kept in $SG_BENCH_DIR if set)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
bin=${2:-build/stateguard}
[[ -x $bin ]] || { echo "build first: make" >&2; exit 2; }
dir=${SG_BENCH_DIR:-$(mktemp -d /tmp/sg-bench.XXXXXX)}
[[ -n ${SG_BENCH_DIR:-} ]] || trap 'rm -rf "$dir"' EXIT
if [[ ! -f $dir/.planted ]]; then
	python3 bench/scan_gen.py "$dir/tree" "$n" > "$dir/.planted"
fi
planted=$(cat "$dir/.planted")
files=$(find "$dir/tree" -type f | wc -l)
bytes=$(du -sb "$dir/tree" | cut -f1)
"$bin" scan --format json "$dir/tree" > /dev/null || true   # warm the cache
set +e
/usr/bin/time -f "%e %U %S" -o "$dir/time" "$bin" scan --format json "$dir/tree" > "$dir/out.json"
set -e
python3 - "$dir/out.json" "$dir/time" "$files" "$bytes" "$planted" <<'PY'
import json, sys, collections
out, timef, files, size, planted = sys.argv[1:]
d = json.load(open(out))
secs, user, sys_ = (float(x) for x in open(timef).read().split()[-3:])
cpu = user + sys_
paths = {f["path"] for f in d["findings"] if f["severity"] == "block"}
rules = collections.Counter(f["rule"] for f in d["findings"])
print("files: %s  bytes: %.1f MB  time: %.2f s" % (files, int(size) / 1e6, secs))
print("throughput: %.0f files/s, %.1f MB/s wall clock" % (int(files) / secs, int(size) / 1e6 / secs))
print("cpu: %.2f s user+sys -> %.0f files/s, %.1f MB/s per CPU second (load-independent)"
      % (cpu, int(files) / cpu, int(size) / 1e6 / cpu))
print("planted artifacts: %s, blocked files: %d, findings by rule: %s" % (planted, len(paths), dict(rules)))
PY
