#!/usr/bin/env bats
# The manual, docs/stateguard.1 (mdoc): lint-clean, renders with man -l, covers
# every command and every option the binary's --help lists, and is installed
# by `make install` with the bash completion.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

page() { echo "$SG_ROOT/docs/stateguard.1"; }

@test "the man page is lint-clean (mandoc -Tlint, else groff warnings)" {
	if command -v mandoc >/dev/null; then
		run mandoc -Tlint -Wwarning "$(page)"
	else
		run groff -mdoc -ww -z "$(page)"
	fi
	assert_status 0
	[[ -z $output ]] || { echo "$output"; false; }
}

@test "man -l renders the page without warnings" {
	run bash -c 'MANWIDTH=80 man -l "$1" 2>&1 >/dev/null' _ "$(page)"
	assert_status 0
	[[ -z $output ]] || { echo "man warned: $output"; false; }
	run env MANWIDTH=80 man -l "$(page)"
	assert_output_contains "NAME"
	assert_output_contains "EXIT STATUS"
	assert_output_contains "NO_COLOR"
	assert_output_contains "STATEGUARD_SKIP"
	assert_output_contains "GIT_QUARANTINE_PATH"
}

@test "every command the binary lists is documented with every option of its --help" {
	# shellcheck source=/dev/null
	source "$SG_ROOT/contrib/stateguard.bash-completion"
	local cmds=() c o missing=()
	mapfile -t cmds < <(_stateguard_commands "$STATEGUARD")
	((${#cmds[@]} > 5))
	for c in "${cmds[@]}"; do
		grep -qE "^\.It Cm ${c}( |$)|^\.It Cm [a-z-]+ , Cm ${c}( |$)" "$(page)" || missing+=("command $c")
		[[ $c == help ]] && continue
		while read -r o; do
			[[ -z $o || $o == -h || $o == --help ]] && continue
			grep -qE -- "Fl ${o#-}([^a-z-]|$)" "$(page)" || missing+=("$c $o")
		done < <(_stateguard_options "$STATEGUARD" "$c")
	done
	((${#missing[@]} == 0)) || { printf 'not in docs/stateguard.1: %s\n' "${missing[@]}"; false; }
}

@test "make install puts the binary, the man page and the bash completion in place" {
	local sanitize=
	[[ $SG_BUILD == */asan ]] && sanitize=1 # the build under test; nothing gets rebuilt
	run make -s -C "$SG_ROOT" install SANITIZE="$sanitize" DESTDIR="$TMP/dest" PREFIX=/usr
	assert_status 0
	[[ -x $TMP/dest/usr/bin/stateguard ]]
	cmp "$SG_ROOT/docs/stateguard.1" "$TMP/dest/usr/share/man/man1/stateguard.1"
	cmp "$SG_ROOT/contrib/stateguard.bash-completion" \
		"$TMP/dest/usr/share/bash-completion/completions/stateguard"
	[[ -x $TMP/dest/usr/share/stateguard/hooks/stateguard-hook ]]
}
