#!/usr/bin/env bats
# Hostile file names and file types on disk: newlines and invalid UTF-8 in
# names, symlinks leaving the tree or looping, devices and FIFOs, endless
# standard input. Each scan ends with a decision; names never break reports.
load ../lib/helpers
load ../lib/hostile

setup() { setup_tmp; }
teardown() { teardown_tmp; }

@test "a state under a file name with a newline is blocked and the JSON report stays valid" {
	mkdir d
	hostile state "d/$(printf 'prod\n.tfstate')"
	run_bounded 20 300 "$STATEGUARD" scan d
	assert_status 1
	assert_output_contains 'd/prod\n.tfstate'
	run_bounded 20 300 "$STATEGUARD" scan --format json d
	assert_status 1
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["findings"], d' "$output"
}

@test "a state under a file name with invalid UTF-8 is blocked and the JSON report stays valid" {
	mkdir d
	hostile state "d/$(printf 'bad\xff\xfe-\xc3(.tfstate')"
	run_bounded 20 300 "$STATEGUARD" scan d
	assert_status 1
	run_bounded 20 300 "$STATEGUARD" scan --format json d
	assert_status 1
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["findings"], d' "$output"
}

@test "terminal escape sequences in a file name are not echoed raw" {
	mkdir d
	hostile state "d/$(printf 'x\033[2J\033]0;owned\007.tfstate')"
	run_bounded 20 300 "$STATEGUARD" scan d
	assert_status 1
	[[ $output != *$'\033[2J'* ]] || { echo "raw escape sequence in output"; return 1; }
}

@test "symlinks inside the tree are not followed out of it, into loops or into devices" {
	mkdir -p outside tree/sub
	hostile state outside/terraform.tfstate
	ln -s ../outside/terraform.tfstate tree/state-link
	ln -s ../../outside tree/sub/dir-link
	ln -s loop tree/loop
	ln -s /dev/zero tree/zero
	ln -s /proc/self/fd/0 tree/stdin
	ln -s /nonexistent tree/dangling
	echo hello >tree/readme.txt
	run_bounded 20 300 "$STATEGUARD" scan tree </dev/null
	assert_status 0
}

@test "a FIFO or a device named on the command line is an error, not a hang" {
	mkfifo fifo
	run_bounded 10 300 "$STATEGUARD" scan fifo
	assert_status 2
	run_bounded 10 300 "$STATEGUARD" scan /dev/zero
	assert_status 2
}

@test "a FIFO inside a directory is skipped without blocking the walk" {
	mkdir d
	mkfifo d/fifo
	hostile state d/terraform.tfstate
	run_bounded 10 300 "$STATEGUARD" scan d
	assert_status 1
}

@test "endless standard input is cut at the file limit with an error, in bounded memory" {
	run_bounded 60 1600 bash -c '"$STATEGUARD" scan - </dev/zero'
	assert_decided
	[[ $status -ne 0 ]] || { echo "an unread rest of stdin must not pass"; return 1; }
}

@test "an unreadable file inside a directory fails closed with exit 2" {
	mkdir d
	hostile state d/terraform.tfstate
	chmod 000 d/terraform.tfstate
	chmod 755 "$TMP"
	# as root every file is readable: run as nobody
	setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null || skip "setpriv cannot drop to nobody"
	run_bounded 10 300 setpriv --reuid=65534 --regid=65534 --clear-groups "$STATEGUARD" scan d
	assert_status 2
	assert_output_contains "scan-error"
}

@test "a directory 200 levels deep is walked to the state at the bottom" {
	p=d
	for i in $(seq 200); do p=$p/l; done
	mkdir -p "$p"
	hostile state "$p/terraform.tfstate"
	run_bounded 20 300 "$STATEGUARD" scan d
	assert_status 1
}
