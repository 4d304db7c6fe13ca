#!/usr/bin/env bats
# The hooks only read: after any run, passing or failing, the index file, the
# work tree, the refs and the object store are byte for byte what they were,
# and a rejected push leaves no ref updated and no pushed object kept.
load ../lib/hooks
load ../lib/hostile

setup() { setup_tmp; }
teardown() { teardown_tmp; }

# snapshot [GIT_DIR]: a listing of everything a hook must not touch (run at the top of the work tree).
snapshot() {
	local gd=${1:-.git}
	{
		[[ -f $gd/index ]] && sha256sum "$gd/index"
		cat "$gd/HEAD"
		[[ -f $gd/packed-refs ]] && sha256sum "$gd/packed-refs"
		find "$gd/refs" -type f -print0 | sort -z | xargs -0r sha256sum
		[[ -n ${SNAP_NO_OBJECTS:-} ]] || find "$gd/objects" -type f | sort
		find "$gd" -name '*.lock'
		if [[ $gd == .git ]]; then
			find . -path ./.git -prune -o -type f -print0 | sort -z | xargs -0r sha256sum
			find . -path ./.git -prune -o -print | sort
		fi
	} 2>&1
}

assert_unchanged() {
	local now
	now=$(snapshot "${2:-.git}")
	if [[ $now != "$1" ]]; then
		echo "the hook changed the repository:"
		diff <(echo "$1") <(echo "$now") | head -20
		return 1
	fi
}

@test "pre-commit leaves index, work tree, refs and objects unchanged when it passes" {
	new_repo work && cd work
	echo 'variable "x" {}' >main.tf
	echo "unstaged change" >>README.md
	git add main.tf
	before=$(snapshot)
	run sg pre-commit
	assert_status 0
	assert_unchanged "$before"
}

@test "pre-commit leaves index, work tree, refs and objects unchanged when it blocks" {
	new_repo work && cd work
	hostile state prod.json
	hostile state_zip infra.zip
	echo "untracked" >notes.txt
	git add prod.json infra.zip
	before=$(snapshot)
	run sg pre-commit
	assert_status 1
	assert_unchanged "$before"
}

@test "pre-commit leaves everything unchanged when it fails on a corrupt object" {
	new_repo work && cd work
	echo data >a.txt
	git add a.txt
	obj=.git/objects/$(git rev-parse :a.txt | sed 's|^..|&/|')
	chmod u+w "$obj" && printf 'junk' >"$obj"
	before=$(snapshot)
	run sg pre-commit
	assert_status 2
	assert_unchanged "$before"
}

@test "a rejected git commit -a leaves the index and the work tree as they were" {
	new_repo work && cd work
	echo '{}' >prod.json
	git add prod.json && git commit -q -m placeholder
	hostile state prod.json
	# git itself writes the blobs of `commit -a` before running the hook: objects aside
	export SNAP_NO_OBJECTS=1
	before=$(snapshot)
	run git commit -q -a -m "state"
	assert_status 1
	assert_unchanged "$before"
}

@test "pre-push leaves the repository unchanged, passing or blocking" {
	git init -q --bare srv.git
	new_repo work && cd work
	git remote add origin ../srv.git
	git push -q --no-verify origin main
	old=$(git rev-parse main)
	echo ok >ok.txt && git add ok.txt && git commit -q -m ok
	before=$(snapshot)
	run bash -c "echo 'refs/heads/main $(git rev-parse HEAD) refs/heads/main $old' | '$STATEGUARD' pre-push origin ../srv.git"
	assert_status 0
	assert_unchanged "$before"
	hostile state prod.json && git add prod.json && git commit -q --no-verify -m state
	before=$(snapshot)
	run bash -c "echo 'refs/heads/main $(git rev-parse HEAD) refs/heads/main $old' | '$STATEGUARD' pre-push origin ../srv.git"
	assert_status 1
	assert_unchanged "$before"
}

@test "a rejected push updates no ref and keeps no pushed object on the server" {
	new_remote srv.git
	git init -q work && cd work
	echo "# x" >README.md && git add README.md && git commit -q -m init
	git push -q ../srv.git main
	before=$(snapshot ../srv.git)
	count=$(git -C ../srv.git count-objects -v | sort)
	hostile state prod.json
	hostile state_zip infra.zip
	for i in $(seq 1 120); do echo "$i" >"f$i.txt"; done # above receive.unpackLimit: a pack
	git add -A && git commit -q --no-verify -m "state and many files"
	git tag -a -m tag v1
	run git push ../srv.git main v1
	assert_status 1
	assert_output_contains "pre-receive hook declined"
	assert_unchanged "$before" ../srv.git
	[[ $(git -C ../srv.git count-objects -v | sort) == "$count" ]]
	! git -C ../srv.git cat-file -e "$(git rev-parse HEAD:prod.json)" 2>/dev/null
	! git -C ../srv.git cat-file -e "$(git rev-parse HEAD)" 2>/dev/null
	[[ -z $(find ../srv.git/objects -maxdepth 1 -name 'tmp_objdir-*' -o -maxdepth 1 -name 'incoming-*') ]]
}

@test "an accepted push changes only the pushed ref on the server" {
	new_remote srv.git
	git init -q work && cd work
	echo "# x" >README.md && git add README.md && git commit -q -m init
	git push -q ../srv.git main
	git push -q ../srv.git main:other
	other=$(git -C ../srv.git rev-parse other)
	echo ok >ok.txt && git add ok.txt && git commit -q -m ok
	run git push ../srv.git main
	assert_status 0
	[[ $(git -C ../srv.git rev-parse main) == $(git rev-parse HEAD) ]]
	[[ $(git -C ../srv.git rev-parse other) == "$other" ]]
	git -C ../srv.git fsck --strict --no-dangling
}
