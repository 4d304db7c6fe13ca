#!/usr/bin/env bats
# Command-line manners shared by every command: --help with usage and examples,
# --version, exit 2 with a hint on mistakes, -q, colour rules, stdout vs stderr.
# The per-command checks iterate over the commands `stateguard --help` lists, so
# a new command is held to the same manners as soon as it is registered.
load ../lib/helpers
bats_require_minimum_version 1.5.0

setup() { setup_tmp; }
teardown() { teardown_tmp; }

# The command names listed under "Commands:" in `stateguard --help`.
list_commands() {
	"$STATEGUARD" --help | awk '/^Commands:/ {on=1; next} on && /^$/ {exit} on {print $1}'
}

state_file() {
	printf '{"version":4,"terraform_version":"1.8.2","serial":3,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},"resources":[{"mode":"managed","type":"aws_vpc","name":"main","instances":[{"attributes":{"id":"vpc-1"}}]}]}' > "$1"
}

@test "--version prints the version and library versions on stdout" {
	run --separate-stderr sg --version
	assert_status 0
	[[ ${lines[0]} =~ ^stateguard\ [0-9]+\.[0-9]+\.[0-9]+ ]] || { echo "$output"; false; }
	assert_output_contains "libgit2 1.5"
	assert_output_contains "libdeflate 1."
	[[ -z $stderr ]]
}

@test "--help lists the commands, options and examples on stdout" {
	run --separate-stderr sg --help
	assert_status 0
	assert_output_contains "usage: stateguard"
	assert_output_contains "scan"
	assert_output_contains "Examples:"
	assert_output_contains "--quiet"
	[[ -z $stderr ]]
	run sg -h
	assert_status 0
}

@test "no command prints the usage on stderr and exits 2" {
	run --separate-stderr sg
	assert_status 2
	[[ -z $output ]]
	[[ $stderr == *"usage: stateguard"* ]]
}

@test "a mistyped command exits 2 and suggests the closest one" {
	run --separate-stderr sg scna .
	assert_status 2
	[[ -z $output ]]
	[[ $stderr == *"'scna' is not a stateguard command"* ]]
	[[ $stderr == *"did you mean 'scan'"* ]]
}

@test "an unrelated unknown command exits 2 and points at --help" {
	run --separate-stderr sg frobnicate
	assert_status 2
	[[ $stderr == *"stateguard --help"* ]]
	[[ $stderr != *"did you mean"* ]]
}

@test "an unknown global option exits 2 with a hint" {
	run --separate-stderr sg --bogus scan .
	assert_status 2
	[[ $stderr == *"unknown option '--bogus'"* ]]
	[[ $stderr == *"stateguard --help"* ]]
}

@test "every command answers --help with usage and examples on stdout" {
	local cmds=() c
	mapfile -t cmds < <(list_commands)
	((${#cmds[@]} >= 1))
	for c in "${cmds[@]}"; do
		[[ $c == help ]] && continue
		run --separate-stderr sg "$c" --help </dev/null
		if ((status != 0)) || [[ $output != *"usage: stateguard $c"* || $output != *"Examples:"* || -n $stderr ]]; then
			echo "'stateguard $c --help' must exit 0 and print 'usage: stateguard $c' and an 'Examples:' section on stdout, nothing on stderr"
			echo "status $status"; echo "--- stdout"; echo "$output"; echo "--- stderr"; echo "$stderr"
			return 1
		fi
		run --separate-stderr sg "$c" -h </dev/null
		((status == 0)) || { echo "'stateguard $c -h' exited $status"; return 1; }
	done
}

@test "every command rejects an unknown option with exit 2 and a hint on stderr" {
	local cmds=() c
	mapfile -t cmds < <(list_commands)
	for c in "${cmds[@]}"; do
		[[ $c == help ]] && continue
		run --separate-stderr sg "$c" --no-such-option </dev/null
		if ((status != 2)) || [[ $stderr != *"--no-such-option"* || $stderr != *"--help"* ]]; then
			echo "'stateguard $c --no-such-option' must exit 2 naming the option and pointing at --help on stderr"
			echo "status $status"; echo "--- stdout"; echo "$output"; echo "--- stderr"; echo "$stderr"
			return 1
		fi
	done
}

@test "help COMMAND prints the same text as COMMAND --help" {
	run sg help scan
	assert_status 0
	local via_help=$output
	run sg scan --help
	[[ $output == "$via_help" ]]
	run --separate-stderr sg help nosuch
	assert_status 2
	[[ $stderr == *"'nosuch' is not a stateguard command"* ]]
}

@test "-q before or after the command silences the all-clear line" {
	mkdir empty
	run sg scan empty
	assert_output_contains "no findings"
	run --separate-stderr sg -q scan empty
	assert_status 0
	[[ -z $output && -z $stderr ]]
	run --separate-stderr sg scan --quiet empty
	assert_status 0
	[[ -z $output && -z $stderr ]]
}

@test "-q still prints blocking findings and keeps exit 1" {
	state_file prod.tfstate
	run sg scan -q prod.tfstate
	assert_status 1
	assert_output_contains "tf-state"
}

@test "--format without a value says it needs one and exits 2, in every reporting command" {
	local c
	for c in scan pre-commit pre-merge-commit pre-push pre-receive history; do
		run --separate-stderr sg "$c" --format </dev/null
		((status == 2)) && [[ $stderr == *"'--format' needs a value"* ]] ||
			{ echo "$c: status $status, stderr: $stderr"; return 1; }
	done
}

@test "colour is used on a terminal and never with NO_COLOR, TERM=dumb or a pipe" {
	state_file prod.tfstate
	local esc=$'\033['
	run script -qec "TERM=xterm '$STATEGUARD' scan prod.tfstate" /dev/null
	[[ $output == *"$esc"* ]] || { echo "no colour on a terminal: $output"; false; }
	run script -qec "TERM=xterm NO_COLOR=1 '$STATEGUARD' scan prod.tfstate" /dev/null
	[[ $output != *"$esc"* ]] || { echo "colour despite NO_COLOR"; false; }
	run script -qec "TERM=dumb '$STATEGUARD' scan prod.tfstate" /dev/null
	[[ $output != *"$esc"* ]] || { echo "colour despite TERM=dumb"; false; }
	TERM=xterm run sg scan prod.tfstate
	[[ $output != *"$esc"* ]] || { echo "colour into a pipe"; false; }
}

@test "machine output stays on stdout and parses while messages go to stderr" {
	state_file prod.tfstate
	run --separate-stderr sg scan --format json prod.tfstate missing-file
	assert_status 2
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["summary"]["errors"]==1' "$output"
	run --separate-stderr sg scan --format json --bogus
	assert_status 2
	[[ -z $output ]]
	[[ -n $stderr ]]
}

@test "install confirms on stderr, and -q silences the confirmation" {
	git init -q repo
	run --separate-stderr sg install --repo repo
	assert_status 0
	[[ -z $output ]]
	[[ $stderr == *"installed in"* ]]
	run --separate-stderr sg -q uninstall --repo repo
	assert_status 0
	[[ -z $output && -z $stderr ]]
}
