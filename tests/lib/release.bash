# Release checks shared by tests/e2e/release_version.bats and tests/package.sh.
# release_version_mismatches DIR: prints one line per place in the tree DIR whose
# version disagrees with DIR/VERSION (the one definition); prints nothing when all agree.
release_version_mismatches() {
	local dir=$1 v os deb cl
	v=$(cat "$dir/VERSION" 2>/dev/null)
	if ! [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
		echo "VERSION: '$v' is not X.Y.Z"
		return 0
	fi
	os=$(sed -n 's/^\.Os //p' "$dir/docs/stateguard.1")
	[[ $os == "stateguard $v" ]] || echo "docs/stateguard.1: .Os says '$os', VERSION says $v"
	# The first entry's upstream part: "stateguard (X.Y.Z-N) ...".
	deb=$(sed -n '1s/^stateguard (\([^)]*\)).*/\1/p' "$dir/debian/changelog")
	[[ ${deb%-*} == "$v" ]] || echo "debian/changelog: first entry is '$deb', VERSION says $v"
	# The first released section after [Unreleased].
	cl=$(grep -m1 -E '^## \[[0-9]' "$dir/CHANGELOG.md" | sed -E 's/^## \[([^]]*)\].*/\1/')
	[[ $cl == "$v" ]] || echo "CHANGELOG.md: newest release is '$cl', VERSION says $v"
	grep -qE "^## \[$v\] - [0-9]{4}-[0-9]{2}-[0-9]{2}$" "$dir/CHANGELOG.md" ||
		echo "CHANGELOG.md: no '## [$v] - YYYY-MM-DD' heading"
	return 0
}
