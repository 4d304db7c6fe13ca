#!/usr/bin/env bash
# bench/peers.sh DIR WIDE_REPO: stateguard next to the peers installable here, on the same
# inputs: git-secrets (Debian package git-secrets) and secretlint (npm, installed under
# DIR/peers, never committed). Prints (and writes DIR/out/peers.md) what each catches of the
# leaked-state cases from gen.py, and what each costs as a pre-commit hook on WIDE_REPO.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
DIR=$1 WIDE=$2
SG=$(cd "$root" && realpath "${STATEGUARD:-build/stateguard}")
OUT=$DIR/out/peers.md
peers=$DIR/peers
mkdir -p "$peers"

have_gs=0 have_sl=0
command -v git-secrets >/dev/null 2>&1 && have_gs=1
if [ -x "$here/node_modules/.bin/secretlint" ]; then
	SL=$here/node_modules/.bin/secretlint
elif [ -x "$peers/node_modules/.bin/secretlint" ] ||
	{ command -v npm >/dev/null &&
	  npm install --silent --no-audit --no-fund --prefix "$peers" secretlint \
	      @secretlint/secretlint-rule-preset-recommend >/dev/null 2>&1; }; then
	SL=$peers/node_modules/.bin/secretlint
fi
[ -n "${SL:-}" ] && [ -x "$SL" ] && have_sl=1
echo '{"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}' >"$peers/secretlintrc.json"
gs_version=$(dpkg-query -W -f '${Version}' git-secrets 2>/dev/null || echo "not installed")
sl_version=$([ $have_sl = 1 ] && "$SL" --version || echo "not installed")
echo "== peers: git-secrets $gs_version (--register-aws), secretlint $sl_version (preset-recommend)"

# --- what each catches
cases=$DIR/cases
rm -rf "$cases"
python3 "$here/gen.py" cases "$cases"
{
	echo "| case | should block | stateguard | git-secrets | secretlint |"
	echo "|---|---|---|---|---|"
} >"$OUT"
mark() { if [ "$1" != 0 ]; then echo "caught"; else echo "—"; fi; }
for c in "$cases"/case*; do
	IFS=$'\t' read -r name rel bad <"$c/.case"
	rm "$c/.case"
	git -C "$c" init -q
	git -C "$c" add -A
	(cd "$c" && "$SG" pre-commit >/dev/null 2>&1); s=$?
	g=n/a l=n/a
	if [ $have_gs = 1 ]; then
		git -C "$c" secrets --register-aws >/dev/null 2>&1
		(cd "$c" && git secrets --pre_commit_hook >/dev/null 2>&1); g=$(mark $?)
	fi
	if [ $have_sl = 1 ]; then
		(cd "$c" && "$SL" --secretlintrc "$peers/secretlintrc.json" "$rel" >/dev/null 2>&1); l=$(mark $?)
	fi
	printf '| %s (`%s`) | %s | %s | %s | %s |\n' "$name" "$rel" "$([ "$bad" = 1 ] && echo yes || echo no)" \
		"$(mark $s)" "$g" "$l" >>"$OUT"
done

# --- what each costs as a pre-commit hook (3 staged files in the wide index)
staged=$(cd "$WIDE" && git diff --cached --name-only | tr '\n' ' ')
git -C "$WIDE" secrets --register-aws >/dev/null 2>&1 || true
# secretlint reads files from the work tree: write the three staged files out (content = index)
for f in $staged; do mkdir -p "$WIDE/$(dirname "$f")"; git -C "$WIDE" show ":$f" >"$WIDE/$f"; done
median() { # CMD: median wall time of 5 runs, in ms
	python3 - "$1" <<'EOF'
import statistics, subprocess, sys, time
ts = []
for _ in range(6):
    t = time.perf_counter()
    subprocess.run(sys.argv[1], shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ts.append(time.perf_counter() - t)
print("%.0f" % (1000 * statistics.median(ts[1:])))
EOF
}
t_sg=$(median "cd '$WIDE' && '$SG' pre-commit")
t_git=$(median "cd '$WIDE' && git diff --cached --name-only")
t_gs=n/a t_sl=n/a
[ $have_gs = 1 ] && t_gs=$(median "cd '$WIDE' && git secrets --pre_commit_hook")
[ $have_sl = 1 ] && t_sl=$(median "cd '$WIDE' && '$SL' --secretlintrc '$peers/secretlintrc.json' $staged")
{
	echo
	echo "| pre-commit, $(git -C "$WIDE" ls-files | wc -l)-file index, 3 staged files | wall time (median of 5) |"
	echo "|---|---|"
	echo "| git diff --cached --name-only (floor) | $t_git ms |"
	echo "| stateguard pre-commit | $t_sg ms |"
	echo "| git-secrets --pre_commit_hook | $t_gs ms |"
	echo "| secretlint on the staged files | $t_sl ms |"
} >>"$OUT"
cat "$OUT"
echo "pre-commit,git,$t_git" >"$DIR/out/peers-time.csv"
echo "pre-commit,stateguard,$t_sg" >>"$DIR/out/peers-time.csv"
echo "pre-commit,git-secrets,$t_gs" >>"$DIR/out/peers-time.csv"
echo "pre-commit,secretlint,$t_sl" >>"$DIR/out/peers-time.csv"
