#!/usr/bin/env bash
# bench/run.sh (`make bench`): stateguard side by side with what git itself pays, on inputs
# generated here (no downloads). Each case runs alternately against its baseline; medians and
# ratios are printed. Knobs (environment):
#   BENCH_SCALE=1      1 = 100k-file index, 100k commits, 20k refs; 0.1 = a quick run
#   BENCH_ROUNDS=5     timed runs of each side per case (the history --all cases run at most 3)
#   BENCH_DIR=build/bench   where generated repositories are kept (reused when the scale matches)
#   STATEGUARD=build/stateguard
#   BENCH_PEERS=1      also run bench/peers.sh (git-secrets, secretlint) if they are installed
#   BENCH_REAL_REPO=   a large real repository (bare or not) to audit with history --all too,
#                      e.g. a clone of hashicorp/terraform; nothing is downloaded for you
#   BENCH_REAL_NAME=   its name in the report (default: the directory's name)
#   BENCH_PLOT=1       draw $BENCH_OUT/results.png (build/bench/out/results.png by default) with
#                      gnuplot (if installed) from the results; copy it to bench/results.png to publish it
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
SCALE=${BENCH_SCALE:-1}
ROUNDS=${BENCH_ROUNDS:-5}
SG=$(cd "$root" && realpath "${STATEGUARD:-build/stateguard}")
DIR=${BENCH_DIR:-$root/build/bench}
mkdir -p "$DIR"
DIR=$(realpath "$DIR")
export BENCH_OUT=$DIR/out
rm -rf "$BENCH_OUT"
mkdir -p "$BENCH_OUT"
export GIT_CONFIG_NOSYSTEM=1 HOME=$DIR/home
mkdir -p "$HOME"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main
git config --global gc.auto 0
git config --global maintenance.auto false

scaled() { python3 -c "import sys; print(max(int(sys.argv[2]), int(round(float(sys.argv[1]) * int(sys.argv[3])))))" "$SCALE" "$1" "$2"; }
NFILES=$(scaled 1000 100000)
NCOMMITS=$(scaled 1000 100000)
NREFS=$(scaled 100 20000)
SCOMMITS=$(scaled 500 10000)
SREFS=$(scaled 50 1000)
STATE_MB=${BENCH_STATE_MB:-50}
has() { "$SG" "$1" --help >/dev/null 2>&1; }
ms() { python3 -c "import sys; print('%.0f' % (float(sys.argv[1]) / 1024))" "$1"; }

echo "stateguard bench: scale $SCALE ($NFILES-file index; $NCOMMITS commits + $NREFS refs;"\
     "small repository $SCOMMITS commits + $SREFS refs), $ROUNDS rounds, in $DIR"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');"\
     "$(git --version); $("$SG" --version 2>/dev/null | head -1)"

# ---------------------------------------------------------------- inputs
t0=$(date +%s)
wide=$DIR/wide-$NFILES
if [ ! -f "$wide/.done" ]; then
	rm -rf "$wide"
	git init -q "$wide"
	python3 "$here/gen.py" wide "$NFILES" | git -C "$wide" fast-import --quiet
	git -C "$wide" read-tree main # primes the index and its cache-tree, as a checkout does
	for i in 1 2 3; do
		h=$(printf 'locals { staged = %d }\n' "$i" | git -C "$wide" hash-object -w --stdin)
		git -C "$wide" update-index --add --cacheinfo "100644,$h,svc00$i/mod0$i/staged$i.tf"
	done
	touch "$wide/.done"
fi

make_server() { # DIR COMMITS REFS
	if [ -f "$1/.done" ]; then return; fi
	rm -rf "$1"
	git init -q --bare "$1"
	python3 "$here/gen.py" history "$2" "$3" | git -C "$1" fast-import --quiet
	git -C "$1" pack-refs --all
	git -C "$1" repack -adq
	git -C "$1" commit-graph write --reachable 2>/dev/null
	touch "$1/.done"
}
big=$DIR/server-$NCOMMITS-$NREFS.git
small=$DIR/server-$SCOMMITS-$SREFS.git
make_server "$big" "$NCOMMITS" "$NREFS"
make_server "$small" "$SCOMMITS" "$SREFS"
state=$DIR/state-$STATE_MB.tfstate
[ -f "$state" ] || python3 "$here/gen.py" state "$state" "$STATE_MB"
echo "inputs ready in $(( $(date +%s) - t0 )) s"
echo

# ---------------------------------------------------------------- (a) pre-commit
echo "== (a) pre-commit, $NFILES-file index, 3 staged files"
python3 "$here/timeit.py" "pre-commit vs git diff --cached --name-only" "$ROUNDS" 2 ratio \
	"cd '$wide' && git diff --cached --name-only" "cd '$wide' && '$SG' pre-commit"
echo

# ---------------------------------------------------------------- (c) history
echo "== (c) history --all vs git rev-list --objects --all | git cat-file --batch"
if has history; then
	for repo in "$small" "$big"; do
		python3 "$here/timeit.py" "history --all ($(basename "$repo" .git))" "$(( ROUNDS > 3 ? 3 : ROUNDS ))" 1 ratio \
			"git --git-dir='$repo' rev-list --objects --all --no-object-names | git --git-dir='$repo' cat-file --batch" \
			"GIT_DIR='$repo' '$SG' history --all"
	done
	if [ -n "${BENCH_REAL_REPO:-}" ]; then
		real=$(cd "$BENCH_REAL_REPO" && git rev-parse --absolute-git-dir)
		# a partial clone may lack a few blobs: git is told to go on, stateguard reports
		# them and exits 2, which counts as a completed audit here
		BENCH_OK_RC="0 1 2" python3 "$here/timeit.py" \
			"history --all (${BENCH_REAL_NAME:-$(basename "$BENCH_REAL_REPO" .git)})" \
			"$(( ROUNDS > 3 ? 3 : ROUNDS ))" 1 ratio \
			"git --git-dir='$real' rev-list --objects --all --no-object-names --missing=allow-any | git --git-dir='$real' cat-file --batch" \
			"GIT_DIR='$real' '$SG' history --all"
	fi
else
	echo "SKIPPED: this stateguard has no history command"
fi
echo

# ---------------------------------------------------------------- (b) pre-receive
push_case() { # SERVER LABEL TARGET ("-": shown for context, no target)
	local server=$1 label=$2 target=$3 tag=${1##*/} client=$DIR/client-$(basename "$1" .git) n=$(( 2 * ROUNDS + 4 ))
	rm -rf "$client"
	git init -q "$client"
	echo "$server/objects" >"$client/.git/objects/info/alternates"
	local tip
	tip=$(git --git-dir="$server" rev-parse main)
	python3 "$here/gen.py" chain "$tip" "$n" | git -C "$client" fast-import --quiet
	git -C "$client" rev-list --reverse refs/heads/bench --not "$tip" >"$client/chain"
	mkdir -p "$DIR/nohooks"
	git --git-dir="$server" config --unset core.hooksPath || true
	"$SG" install --server "$server" >/dev/null
	BENCH_OK_RC=0 python3 "$here/timeit.py" "push of one commit, $label" "$ROUNDS" "$target" added \
		"git -C '$client' push -q '$server' \"\$(sed -n \${BENCH_I}p '$client/chain'):refs/heads/main\"" \
		"git -C '$client' push -q '$server' \"\$(sed -n \${BENCH_I}p '$client/chain'):refs/heads/main\"" \
		"git --git-dir='$server' config core.hooksPath '$DIR/nohooks'" \
		"git --git-dir='$server' config --unset core.hooksPath"
	# peak RSS of the hook itself, on the next commit of the chain
	mkdir -p "$DIR/rsshook"
	printf '#!/bin/sh\nexec /usr/bin/time -o %s -f %%M %s pre-receive\n' \
		"$BENCH_OUT/rss-pre-receive-${tag%.git}" "$SG" >"$DIR/rsshook/pre-receive"
	chmod +x "$DIR/rsshook/pre-receive"
	git --git-dir="$server" config core.hooksPath "$DIR/rsshook"
	git -C "$client" push -q "$server" "$(sed -n "$(( 2 * ROUNDS + 3 ))p" "$client/chain"):refs/heads/main" ||
		echo "push with the RSS-measuring hook failed" >&2
	git --git-dir="$server" config --unset core.hooksPath
	"$SG" uninstall --server "$server" >/dev/null || true
}
# A whole repository pushed into an empty guarded server (a migration). The generated
# history holds planted leaks, so stateguard rejects it: the baseline's pre-receive rejects
# too (it reads its input and exits 1), so both sides leave git the same work.
initial_push_case() { # SOURCE LABEL
	local src=$1 dst=$DIR/initial-push.git hooks=$DIR/reject-hooks
	mkdir -p "$hooks"
	printf '#!/bin/sh\ncat >/dev/null\nexit 1\n' >"$hooks/pre-receive"
	chmod +x "$hooks/pre-receive"
	BENCH_OK_RC="1" python3 "$here/timeit.py" "initial push, $2" "$(( ROUNDS > 2 ? 2 : ROUNDS ))" \
		- added \
		"git --git-dir='$src' push -q '$dst' 'refs/heads/*:refs/heads/*' 2>/dev/null" \
		"git --git-dir='$src' push -q '$dst' 'refs/heads/*:refs/heads/*' 2>/dev/null" \
		"rm -rf '$dst' && git init -q --bare '$dst' && git --git-dir='$dst' config core.hooksPath '$hooks'" \
		"rm -rf '$dst' && git init -q --bare '$dst' && '$SG' install --server '$dst' >/dev/null 2>&1"
	rm -rf "$dst"
}
echo "== (b) one-commit push with vs without the installed pre-receive"
if has pre-receive; then
	# the target is set for ~100k commits and ~20k refs; the small repository shows the
	# hook's fixed start-up cost against a push that costs git little
	push_case "$small" "$SCOMMITS commits, $SREFS refs" -
	push_case "$big" "$NCOMMITS commits, $NREFS refs" 0.25
	initial_push_case "$big" "$NCOMMITS commits, $NREFS refs, empty server"
else
	echo "SKIPPED: this stateguard has no pre-receive command"
fi
echo

# ---------------------------------------------------------------- (d) memory
echo "== (d) peak RSS"
rss() { /usr/bin/time -f %M -o "$BENCH_OUT/rss" "$@" >/dev/null 2>&1 || true; cat "$BENCH_OUT/rss" | tail -1; }
small_file=$DIR/small.tf
echo 'resource "null_resource" "x" {}' >"$small_file"
r0=$(rss "$SG" scan "$small_file")
r1=$(rss "$SG" scan "$state")
printf '%-44s %6s MB\n' "scan, one small file" "$(ms "$r0")"
printf '%-44s %6s MB   (state of %s MB: %.1fx its size above the constant)\n' \
	"scan, one ${STATE_MB} MB state" "$(ms "$r1")" "$STATE_MB" \
	"$(python3 -c "print(($r1 - $r0) / 1024 / $STATE_MB)")"
echo "scan,small-file,$r0" >>"$BENCH_OUT/rss.csv"
echo "scan,state-${STATE_MB}MB,$r1" >>"$BENCH_OUT/rss.csv"
if has history; then
	for repo in "$small" "$big"; do
		r=$(cd "$DIR" && GIT_DIR=$repo rss "$SG" history --all)
		printf '%-44s %6s MB\n' "history --all, $(basename "$repo" .git)" "$(ms "$r")"
		echo "history,$(basename "$repo" .git),$r" >>"$BENCH_OUT/rss.csv"
	done
fi
for f in "$BENCH_OUT"/rss-pre-receive-*; do
	[ -f "$f" ] || continue
	printf '%-44s %6s MB\n' "pre-receive, ${f##*/rss-pre-receive-}" "$(ms "$(tail -1 "$f")")"
done
r=$(cd "$wide" && rss "$SG" pre-commit)
printf '%-44s %6s MB\n' "pre-commit, $NFILES-file index" "$(ms "$r")"
echo "pre-commit,index-$NFILES,$r" >>"$BENCH_OUT/rss.csv"
staged=$DIR/staged-state-$STATE_MB
if [ ! -f "$staged/.done" ]; then
	rm -rf "$staged" && git init -q "$staged" && cp "$state" "$staged/terraform.tfstate"
	git -C "$staged" add terraform.tfstate && touch "$staged/.done"
fi
r=$(cd "$staged" && rss "$SG" pre-commit)
printf '%-44s %6s MB   (%.1fx the state above the constant)\n' "pre-commit, one staged ${STATE_MB} MB state" \
	"$(ms "$r")" "$(python3 -c "print(($r - $r0) / 1024 / $STATE_MB)")"
echo "pre-commit,staged-state-${STATE_MB}MB,$r" >>"$BENCH_OUT/rss.csv"
echo

# ---------------------------------------------------------------- others
for extra in "$here"/scan_bench.sh "$here"/archive_bench.sh; do
	[ -x "$extra" ] && { echo "== $(basename "$extra")"; "$extra"; echo; }
done
if [ "${BENCH_PEERS:-1}" = 1 ]; then
	"$here/peers.sh" "$DIR" "$wide" "$small" || echo "peers: skipped ($?)"
fi
if [ "${BENCH_PLOT:-1}" = 1 ] && command -v gnuplot >/dev/null; then
	awk -F'\t' '{ v = ($5 == "added") ? 1 + $4 : $4; t = ($6 == "context") ? 0 : ($5 == "added") ? 1.25 : ($1 ~ /^pre-commit/ ? 2 : 1);
		gsub(/"/, "", $1); printf "\"%s\"\t%.4f\t%.4f\n", $1, v, t }' "$BENCH_OUT/results.tsv" >"$BENCH_OUT/plot.dat"
	gnuplot -e "datafile='$BENCH_OUT/plot.dat'; outfile='$BENCH_OUT/results.png'" "$here/plot.gp" &&
		echo "plot: $BENCH_OUT/results.png (copy it to bench/results.png to publish it)"
fi
echo "== summary"
awk -F'\t' '{ printf "%-44s %s\n", $1, ($5 == "added" ? sprintf("%+.1f%%", 100*$4) : sprintf("%.2fx", $4)) " " $6 }' \
	"$BENCH_OUT/results.tsv"
if grep -q missed "$BENCH_OUT/results.tsv"; then
	echo "some targets were missed"
	exit 1
fi
echo "every target met"
