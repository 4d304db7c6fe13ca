#!/usr/bin/env bash
# tests/valgrind.sh: runs a representative subset of stateguard under valgrind
# (memcheck, full leak check): scans of a state, a zip, a tar.gz, a saved plan,
# 7z, RAR 5 and cpio (libarchive), a 7z bomb,
# a directory and JSON output; pre-commit, pre-push and pre-receive in real
# repositories; history over a delta-packed one. Fails if valgrind reports any
# error or definite leak (its own exit status 99, so that stateguard's
# 1 = blocked stays distinct) or if a run does not end with the exit status
# it should.
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/build/stateguard}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 2; }
[[ -x $BIN ]] || { echo "$BIN is not built"; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export HOME=$TMP/home GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name V && git config --global user.email v@example.com
git config --global init.defaultBranch main
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
	--show-leak-kinds=definite --track-origins=yes)
pass=0 fail=0

# check EXPECTED-STATUS LABEL CMD...
check() {
	local want=$1 label=$2 rc
	shift 2
	"${VG[@]}" "$@" >"$TMP/out" 2>&1
	rc=$?
	if [[ $rc -eq $want ]]; then
		pass=$((pass + 1))
		printf 'valgrind ok    %s\n' "$label"
	else
		fail=$((fail + 1))
		printf 'valgrind FAIL  %s (exit %d, expected %d)\n' "$label" "$rc" "$want"
		sed 's/^/    /' "$TMP/out" | head -40
	fi
}

H="python3 tests/lib/hostile.py"
$H state "$TMP/prod.json"
$H state_zip "$TMP/infra.zip"
$H zip_dup_hides_state "$TMP/dup.zip"
$H tgz_truncated "$TMP/trunc.tgz"
$H gzip_bomb_nested "$TMP/bomb.gz"
$H 7z_bomb "$TMP/bomb.7z"
$H cpio_huge_name "$TMP/name.cpio"
A="python3 tests/lib/archive_fixtures.py"
$A 7z-hand "$TMP/state.7z"
$A rar5 "$TMP/state.rar"
$A rar5-encrypted "$TMP/enc.rar"
python3 - "$TMP" <<'PY'
import io, sys, tarfile, zipfile
sys.path.insert(0, "tests/lib")
import hostile as h
t = sys.argv[1]
st = h.state(20)
open(t + "/infra.tar.gz", "wb").write(h.tar_lib([("envs/prod/terraform.tfstate", st)], mode="w:gz"))
open(t + "/planout", "wb").write(h.zip_lib([("tfplan", b"\x00plan"), ("tfstate", st), ("tfstate-prev", st),
                                            ("tfconfig/m-/main.tf", b'variable "x" {}\n')]))
PY
mkdir -p "$TMP/tree/sub"
cp "$TMP/prod.json" "$TMP/tree/sub/"
echo 'variable "region" {}' >"$TMP/tree/main.tf"

check 1 "scan of a state" "$BIN" scan "$TMP/prod.json"
check 1 "scan of a zip holding a state" "$BIN" scan "$TMP/infra.zip"
check 1 "scan of a zip with duplicate entries" "$BIN" scan "$TMP/dup.zip"
check 1 "scan of a tar.gz holding a state" "$BIN" scan "$TMP/infra.tar.gz"
check 1 "scan of a truncated tar.gz" "$BIN" scan "$TMP/trunc.tgz"
check 1 "scan of a saved plan" "$BIN" scan --format json "$TMP/planout"
check 1 "scan of a gzip bomb" "$BIN" scan "$TMP/bomb.gz"
check 1 "scan of a 7z holding a state" "$BIN" scan "$TMP/state.7z"
check 1 "scan of a solid 7z bomb" "$BIN" scan "$TMP/bomb.7z"
check 1 "scan of a RAR 5 holding a state" "$BIN" scan "$TMP/state.rar"
check 1 "scan of an encrypted RAR 5" "$BIN" scan "$TMP/enc.rar"
check 1 "scan of a cpio with a 4 GiB name size" "$BIN" scan "$TMP/name.cpio"
check 1 "scan of a directory, SARIF" "$BIN" scan --format sarif "$TMP/tree"
check 0 "scan of clean HCL" "$BIN" scan "$TMP/tree/main.tf"
# members above member_bytes stream through the window (zip, tar.gz, gzip); the key blocks
head -c 40000 /dev/urandom >"$TMP/big.bin"
{ head -c 20000 /dev/urandom; printf '\nAKIAZ7QWERTY2345ABCD\n'; } >"$TMP/keyed.bin"
(cd "$TMP" && zip -q stream.zip big.bin keyed.bin && tar -czf stream.tgz big.bin && gzip -k big.bin)
echo '{"limits": {"member_bytes": 1000}}' >"$TMP/small.json"
check 1 "scan of zip members streamed through the window" "$BIN" scan --config "$TMP/small.json" "$TMP/stream.zip"
check 0 "scan of tar.gz and gzip members streamed" "$BIN" scan --config "$TMP/small.json" "$TMP/stream.tgz" "$TMP/big.bin.gz"

git init -q "$TMP/repo"
cd "$TMP/repo"
echo "# x" >README.md && git add README.md && git commit -q -m init
check 0 "pre-commit, nothing staged" "$BIN" pre-commit
cp "$TMP/infra.zip" . && cp "$TMP/prod.json" . && git add infra.zip prod.json
check 1 "pre-commit, state and zip staged" "$BIN" pre-commit
git commit -q --no-verify -m state
git init -q --bare "$TMP/srv.git"
zero=0000000000000000000000000000000000000000
echo "refs/heads/main $(git rev-parse HEAD) refs/heads/main $zero" >"$TMP/push"
check 1 "pre-push of a new branch with state" "$BIN" pre-push origin "$TMP/srv.git" <"$TMP/push"
# a pushed commit no ref reaches yet, as pre-receive sees it without a quarantine
git checkout -q -b side
cp "$TMP/prod.json" prod2.json && git add prod2.json && git commit -q --no-verify -m side
echo "$(git rev-parse main) $(git rev-parse side) refs/heads/main" >"$TMP/receive"
git checkout -q main && git branch -q -D side
cd "$TMP/repo/.git"
check 1 "pre-receive (no quarantine) of a state push" env GIT_DIR=. "$BIN" pre-receive <"$TMP/receive"

# history over a pack with delta chains (source/packread.c), threads and all
cd "$TMP/repo"
for i in 1 2 3 4 5 6; do
	seq 1 $((300 + i)) >lines.txt && git add lines.txt && git commit -q --no-verify -m "lines $i"
done
git gc -q --aggressive
check 1 "history --all of a packed repository" "$BIN" history --all --format json

echo "valgrind: $pass passed, $fail failed"
((fail == 0))
