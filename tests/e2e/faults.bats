#!/usr/bin/env bats
# Faults around the scan and the hooks: out of memory, corrupt objects, locks
# held by other git processes, a cut output pipe, time budgets and signals,
# a full disk under the audit log. Under every fault the command rejects or
# exits with an error, with a message, never "no findings" and never a signal.
load ../lib/hooks
load ../lib/hostile

setup() { setup_tmp; }
teardown() {
	[[ -n ${MNT:-} ]] && umount "$MNT" 2>/dev/null
	teardown_tmp
}

needs_plain_build() { is_asan && skip "ASan reserves terabytes of address space: no ulimit -v"; :; }

# oom_sweep FROM TO STEP CMD...: runs CMD under each address-space limit; every
# run must block (1) or fail with "out of memory" (2).
oom_sweep() {
	local from=$1 to=$2 step=$3 mb loads=
	shift 3
	for ((mb = from; mb <= to; mb += step)); do
		# below what the dynamic loader needs nothing runs at all: not our business
		[[ -n $loads ]] || prlimit --as=$((mb << 20)) -- "$STATEGUARD" --version >/dev/null 2>&1 || continue
		loads=1
		run prlimit --as=$((mb << 20)) -- "$@"
		if [[ $status -ne 1 && $status -ne 2 ]]; then
			echo "under a $mb MiB address space: exit $status"; echo "${output:0:2000}"
			return 1
		fi
		if [[ $status -eq 2 && $output != *"out of memory"* && $output != *"rror"* ]]; then
			echo "under a $mb MiB address space: exit 2 without a reason"; echo "${output:0:2000}"
			return 1
		fi
	done
}

@test "out of memory anywhere in a scan of state, zip and tar.gz blocks or exits 2, never passes or crashes" {
	needs_plain_build
	hostile state_zip s.zip
	python3 -c '
import sys; sys.path.insert(0, sys.argv[1]); import hostile as h
st = h.state(3000)
open("mid.json", "wb").write(st)
open("mid.tgz", "wb").write(h.tar_lib([("envs/prod/terraform.tfstate", st)], mode="w:gz"))
open("mid.zip", "wb").write(h.zip_lib([("envs/prod/terraform.tfstate", st)]))' "$SG_ROOT/tests/lib"
	oom_sweep 8 48 2 "$STATEGUARD" scan mid.json
	oom_sweep 8 48 2 "$STATEGUARD" scan mid.zip
	oom_sweep 8 48 2 "$STATEGUARD" scan mid.tgz
	oom_sweep 8 48 5 "$STATEGUARD" scan --format json s.zip mid.json
}

@test "out of memory in pre-commit never lets a staged state through" {
	needs_plain_build
	new_repo work && cd work
	hostile state_zip infra.zip
	hostile state prod.json
	git add infra.zip prod.json
	oom_sweep 8 80 3 "$STATEGUARD" pre-commit
}

@test "a corrupt staged object makes pre-commit fail closed with exit 2" {
	new_repo work && cd work
	echo 'variable "x" {}' >main.tf
	git add main.tf
	obj=.git/objects/$(git rev-parse :main.tf | sed 's|^..|&/|')
	chmod u+w "$obj"
	printf 'garbage, not zlib' >"$obj"
	run sg pre-commit
	assert_status 2
	assert_output_contains "main.tf"
	run git commit -q -m "corrupt"
	assert_status 1
	[[ $(git log --oneline | wc -l) -eq 1 ]]
}

@test "a missing staged object makes pre-commit fail closed with exit 2" {
	new_repo work && cd work
	hostile state prod.json
	git add prod.json
	rm -f ".git/objects/$(git rev-parse :prod.json | sed 's|^..|&/|')"
	run sg pre-commit
	assert_status 2
}

@test "a corrupt object among the new commits makes pre-receive reject, not pass" {
	git init -q --bare srv.git
	git init -q work && cd work
	echo one >a.txt && git add a.txt && git commit -q -m one
	git push -q ../srv.git main
	old=$(git rev-parse HEAD)
	mkdir d && echo two >d/b.txt && git add d && git commit -q -m two
	new=$(git rev-parse HEAD)
	git push -q ../srv.git main:refs/heads/staging
	git -C ../srv.git update-ref -d refs/heads/staging
	blob=$(git rev-parse HEAD:d/b.txt)
	cd ../srv.git
	obj=objects/${blob:0:2}/${blob:2}
	[[ -f $obj ]] || skip "the object was packed"
	chmod u+w "$obj"
	printf 'garbage' >"$obj"
	run bash -c "echo '$old $new refs/heads/main' | GIT_DIR=. '$STATEGUARD' pre-receive"
	assert_status 2
	assert_output_contains "push rejected"
}

@test "pre-commit works while another git process holds index.lock and leaves the lock alone" {
	new_repo work && cd work
	hostile state prod.json
	git add prod.json
	printf 'held by another git process' >.git/index.lock
	before=$(sha256sum .git/index .git/index.lock)
	run sg pre-commit
	assert_status 1
	assert_output_contains "prod.json"
	[[ $(sha256sum .git/index .git/index.lock) == "$before" ]]
}

@test "a server ref locked by another git process does not change the verdict on a state push" {
	new_remote srv.git
	git init -q work && cd work
	echo "# x" >README.md && git add README.md && git commit -q -m init
	git push -q ../srv.git main
	printf 'locked\n' >../srv.git/refs/heads/main.lock
	hostile state prod.json
	git add prod.json && git commit -q --no-verify -m state
	run git push ../srv.git main
	assert_status 1
	assert_output_contains "stateguard: push rejected"
	[[ $(cat ../srv.git/refs/heads/main.lock) == locked ]]
}

# run_closed_pipe SIGPIPE_DISPOSITION CMD...: runs CMD with stdout on a pipe whose
# reader is already gone; prints the exit status (negative: killed by that signal).
run_closed_pipe() {
	local disp=$1
	shift
	run python3 -c '
import os, signal, subprocess, sys
r, w = os.pipe()
os.close(r)
ignore = sys.argv[1] == "ignore"
if ignore:
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
p = subprocess.run(sys.argv[2:], stdout=w, stderr=subprocess.DEVNULL, restore_signals=not ignore)
print(p.returncode)' "$disp" "$@"
}

@test "a report cut by a closed pipe never turns into success" {
	hostile state prod.json
	echo 'variable "x" {}' >clean.tf
	for disp in default ignore; do
		for f in prod.json clean.tf; do
			run_closed_pipe $disp "$STATEGUARD" scan --format json $f
			echo "SIGPIPE $disp, $f: $output"
			[[ $output != 0 ]]
			[[ $disp == default || $output == 1 || $output == 2 ]]
		done
	done
	run_closed_pipe ignore "$STATEGUARD" scan clean.tf
	[[ $output == 2 ]]
}

@test "scan | head -c1 does not succeed on a blocking report" {
	hostile state prod.json
	run bash -c 'set -o pipefail; "$STATEGUARD" scan --format json prod.json | head -c1 >/dev/null'
	[[ $status -ne 0 ]]
}

@test "pre-receive stuck past STATEGUARD_TIMEOUT rejects with a message, not a hang" {
	git init -q --bare srv.git && cd srv.git
	# standard input that stays open, as from a stuck client
	run bash -c 'STATEGUARD_TIMEOUT=1 GIT_DIR=. "$STATEGUARD" pre-receive < <(sleep 30 2>/dev/null 3>&-)'
	assert_status 2
	assert_output_contains "ran out of its time budget of 1 s"
	assert_output_contains "stateguard.timeout"
}

@test "pre-receive over the server's stateguard.timeout rejects the push and updates no ref" {
	new_remote srv.git
	git -C srv.git config stateguard.timeout 1
	git init -q work && cd work
	echo "# x" >README.md && git add README.md && git commit -q -m init
	git push -q ../srv.git main
	before=$(git -C ../srv.git rev-parse main)
	hostile zip_bomb_nested a.zip
	git add a.zip && git commit -q --no-verify -m bomb
	run git push ../srv.git main
	assert_status 1
	[[ $(git -C ../srv.git rev-parse main) == "$before" ]]
	[[ $output == *"time budget of 1 s"* || $output == *"archive-limit"* ]]
}

@test "an invalid time budget rejects every push with a message" {
	git init -q --bare srv.git && cd srv.git
	git config stateguard.timeout soon
	run bash -c 'echo | GIT_DIR=. "$STATEGUARD" pre-receive'
	assert_status 2
	assert_output_contains "stateguard.timeout"
	run bash -c 'echo | STATEGUARD_TIMEOUT=-1 GIT_DIR=. "$STATEGUARD" pre-receive'
	assert_status 2
	assert_output_contains "STATEGUARD_TIMEOUT"
}

@test "SIGTERM during pre-receive exits 2 with a message instead of dying by the signal" {
	git init -q --bare srv.git && cd srv.git
	GIT_DIR=. "$STATEGUARD" pre-receive < <(sleep 30 2>/dev/null 3>&-) 2>err 3>&- &
	pid=$!
	sleep 0.5
	kill -TERM $pid
	status=0
	wait $pid || status=$?
	output=$(cat err)
	assert_status 2
	assert_output_contains "stopped by SIGTERM"
}

@test "an audit log on a full disk rejects the skipped push" {
	new_remote srv.git
	git -C srv.git config --add stateguard.skipAllowed alice
	git -C srv.git config stateguard.auditLog /dev/full
	git init -q work && cd work
	echo "# x" >README.md && git add README.md && git commit -q -m init
	git push -q ../srv.git main
	before=$(git -C ../srv.git rev-parse main)
	hostile state prod.json
	git add prod.json && git commit -q --no-verify -m state
	run env GL_USERNAME=alice git push -o stateguard.skip="restore drill" ../srv.git main
	assert_status 1
	assert_output_contains "audit log"
	[[ $(git -C ../srv.git rev-parse main) == "$before" ]]
}

@test "an audit log on a tiny filesystem that fills up rejects the skipped push" {
	MNT=$TMP/mnt
	mkdir -p "$MNT"
	mount -t tmpfs -o size=16k tmpfs "$MNT" 2>/dev/null || { MNT=; skip "cannot mount a tmpfs here"; }
	head -c 16384 /dev/zero >"$MNT/filler" 2>/dev/null || true
	new_remote srv.git
	git -C srv.git config --add stateguard.skipAllowed alice
	git -C srv.git config stateguard.auditLog "$MNT/audit.log"
	git init -q work && cd work
	echo "# x" >README.md && git add README.md && git commit -q -m init
	git push -q ../srv.git main
	before=$(git -C ../srv.git rev-parse main)
	hostile state prod.json
	git add prod.json && git commit -q --no-verify -m state
	run env GL_USERNAME=alice git push -o stateguard.skip="restore drill" ../srv.git main
	assert_status 1
	assert_output_contains "audit log"
	[[ $(git -C ../srv.git rev-parse main) == "$before" ]]
}
