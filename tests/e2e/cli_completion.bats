#!/usr/bin/env bats
# The bash completion script (contrib/stateguard.bash-completion), sourced into
# bash and driven the way readline drives it (COMP_WORDS/COMP_CWORD).
load ../lib/helpers

setup() {
	setup_tmp
	stateguard_on_path
	# shellcheck source=/dev/null
	source "$SG_ROOT/contrib/stateguard.bash-completion"
}
teardown() { teardown_tmp; }

# complete_line "stateguard ins": runs the completion for the last word; sets $output.
complete_line() {
	read -ra COMP_WORDS <<<"$1"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_stateguard
	output="${COMPREPLY[*]}"
}

@test "the script registers a completion for stateguard" {
	run complete -p stateguard
	assert_status 0
	assert_output_contains "_stateguard"
}

@test "a command name completes from its first letters" {
	complete_line "stateguard ins"
	[[ $output == install ]] || { echo "got: $output"; false; }
	complete_line "stateguard -q hi"
	[[ $output == history ]] || { echo "got: $output"; false; }
}

@test "an empty word lists every command of the binary" {
	complete_line "stateguard "
	local c
	for c in scan pre-commit pre-push pre-receive history install uninstall help; do
		[[ " $output " == *" $c "* ]] || { echo "missing $c in: $output"; return 1; }
	done
}

@test "a command's options complete from its --help" {
	complete_line "stateguard install --"
	assert_output_contains "--repo"
	assert_output_contains "--global"
	assert_output_contains "--server"
	complete_line "stateguard history --f"
	[[ $output == --format ]] || { echo "got: $output"; false; }
}

@test "--format completes its three values" {
	complete_line "stateguard scan --format "
	[[ $output == "text json sarif" ]] || { echo "got: $output"; false; }
}

@test "help completes command names" {
	complete_line "stateguard help pre-m"
	[[ $output == pre-merge-commit ]] || { echo "got: $output"; false; }
}

@test "scan completes file names" {
	touch terraform.tfstate
	complete_line "stateguard scan terr"
	[[ $output == terraform.tfstate ]] || { echo "got: $output"; false; }
}
