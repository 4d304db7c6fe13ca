# Shared helpers for the bats end-to-end tests. Every test gets a fresh
# $TMP directory; fixtures are generated there by tests/lib/fixtures.py or inline.
: "${STATEGUARD:?run through 'make test' (tests/run.sh sets STATEGUARD)}"

setup_tmp() {
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/sg.XXXXXX")
	export TMP
	export GIT_CONFIG_NOSYSTEM=1
	export HOME="$TMP/home"
	mkdir -p "$HOME"
	git config --global user.name "Test User"
	git config --global user.email "test@example.com"
	git config --global init.defaultBranch main
	git config --global advice.detachedHead false
	cd "$TMP" || return 1
}

teardown_tmp() {
	[[ -n ${TMP:-} && -d $TMP ]] && rm -rf "$TMP"
}

sg() { "$STATEGUARD" "$@"; }

# Puts the binary under test on PATH as `stateguard` (for scripts that call it by name).
stateguard_on_path() {
	mkdir -p "$TMP/bin"
	ln -sf "$STATEGUARD" "$TMP/bin/stateguard"
	export PATH="$TMP/bin:$PATH"
}

fixtures() { python3 "$SG_ROOT/tests/lib/fixtures.py" "$@"; }

# assert_output_contains STRING: $output (from `run`) contains STRING.
assert_output_contains() {
	if [[ $output != *"$1"* ]]; then
		echo "expected output to contain: $1"
		echo "--- output ---"; echo "$output"
		return 1
	fi
}

assert_output_not_contains() {
	if [[ $output == *"$1"* ]]; then
		echo "expected output NOT to contain: $1"
		echo "--- output ---"; echo "$output"
		return 1
	fi
}

assert_status() {
	if [[ $status -ne $1 ]]; then
		echo "expected exit status $1, got $status"
		echo "--- output ---"; echo "$output"
		return 1
	fi
}
