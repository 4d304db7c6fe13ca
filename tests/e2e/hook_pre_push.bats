#!/usr/bin/env bats
# pre-push in real git: every commit of every pushed ref that the remote lacks.
# The remote here has no server hook, so any rejection is the client's.
load ../lib/hooks

setup() {
	setup_tmp
	git init -q --bare remote.git
	new_repo work
	cd work
	git remote add origin ../remote.git
	git push -q origin main
}
teardown() { teardown_tmp; }

remote_tip() { git -C ../remote.git rev-parse --verify -q "$1"; }

@test "a clean push passes and updates the remote" {
	echo 'output "x" {}' >out.tf
	git add out.tf && git commit -q -m "out"
	run git push -q origin main
	assert_status 0
	[[ $(remote_tip main) == $(git rev-parse main) ]]
}

@test "a state added and deleted again within the push is still rejected" {
	before=$(remote_tip main)
	state_json >prod.json
	git add prod.json && git commit -q --no-verify -m "add state"
	added=$(git rev-parse HEAD)
	git rm -q prod.json && git commit -q --no-verify -m "remove state"
	run git push origin main
	assert_status 1
	assert_output_contains "prod.json"
	assert_output_contains "${added:0:12}"
	assert_output_contains "Rewrite them"
	[[ $(remote_tip main) == "$before" ]]
}

@test "every ref of a push with several refs is checked, not only the first" {
	echo clean >a.txt && git add a.txt && git commit -q -m clean
	git checkout -q -b feature
	mkdir env && state_json >env/prod.json
	git add env && git commit -q --no-verify -m "state on feature"
	git checkout -q main
	run git push origin main feature
	assert_status 1
	assert_output_contains "env/prod.json"
	assert_output_contains "refs/heads/feature"
	run remote_tip feature
	assert_status 1
}

@test "a new branch is checked for its own commits only, not the whole history" {
	state_json >old.json
	git add old.json && git commit -q --no-verify -m "old state already on the remote"
	git push -q --no-verify origin main
	git checkout -q -b topic
	echo fine >topic.txt && git add topic.txt && git commit -q -m topic
	run git push -q origin topic
	assert_status 0
	git checkout -q -b topic2
	state_json >new.json
	git add new.json && git commit -q --no-verify -m "new state"
	run git push origin topic2
	assert_status 1
	assert_output_contains "new.json"
	assert_output_not_contains "old.json"
}

@test "a push of a whole packed history (thousands of blobs) is read from the packs and checked" {
	for c in $(seq 1 250); do
		for f in 1 2 3 4 5; do seq 1 $((30 + c)) | sed "s/^/row $f /" >"f$f.txt"; done
		if ((c == 100)); then state_json >prod.json; fi
		if ((c == 101)); then git rm -q prod.json; fi
		git add -A && git commit -q --no-verify -m "c$c"
	done
	bad=$(git rev-parse HEAD~150)
	git gc -q --aggressive
	STATEGUARD_TRACE=1 run git push origin main
	assert_status 1
	printf '%s\n' "$output" | grep -Eq 'pre-push: [0-9]{4,} blobs to scan, 1 pack read directly'
	assert_output_contains "prod.json"
	assert_output_contains "${bad:0:12}"
	[[ $(remote_tip main) != $(git rev-parse main) ]]
}

@test "a force push that rewrites the branch with state is rejected" {
	git clone -q ../remote.git ../other
	(cd ../other && echo x >x.txt && git add x.txt && git commit -q -m x && git push -q origin main)
	old=$(remote_tip main)
	git reset -q --hard HEAD
	state_json >prod.json
	git add prod.json && git commit -q --no-verify -m "rewrite with state"
	run git push --force origin main
	assert_status 1
	assert_output_contains "prod.json"
	[[ $(remote_tip main) == "$old" ]]
}

@test "a tag pointing directly at a state blob is rejected" {
	state_json >s.json
	blob=$(git hash-object -w s.json)
	rm s.json
	git tag statetag "$blob"
	run git push origin statetag
	assert_status 1
	assert_output_contains "refs/tags/statetag"
	run remote_tip refs/tags/statetag
	assert_status 1
}

@test "an annotated tag of a commit with state is rejected" {
	state_json >s.json
	git add s.json && git commit -q --no-verify -m "state"
	git tag -a -m "release" v1
	git reset -q --hard HEAD~1
	run git push origin v1
	assert_status 1
	assert_output_contains "s.json"
}

@test "json findings from a push carry the full commit id and the ref" {
	state_json >prod.json
	git add prod.json && git commit -q --no-verify -m "state"
	line="refs/heads/main $(git rev-parse HEAD) refs/heads/main $(git rev-parse origin/main)"
	run sg pre-push --format json origin ../remote.git <<<"$line"
	assert_status 1
	python3 -c 'import json,sys
d=json.loads(sys.argv[1]); f=d["findings"][0]
assert f["commit"]==sys.argv[2], f
assert f["ref"]=="refs/heads/main", f
assert f["path"]=="prod.json", f' "$output" "$(git rev-parse HEAD)"
}

@test "a dangling origin/HEAD does not break the walk" {
	git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/gone
	echo ok >ok.txt && git add ok.txt && git commit -q -m ok
	run git push -q origin main
	assert_status 0
	state_json >bad.json && git add bad.json && git commit -q --no-verify -m bad
	run git push origin main
	assert_status 1
	assert_output_contains "bad.json"
}

@test "a deletion push passes without reading anything" {
	git push -q origin main:refs/heads/tmp
	run git push -q origin :refs/heads/tmp
	assert_status 0
}

@test "pre-push given a terminal instead of git's ref lines refuses (exit 2)" {
	run script -qec "$STATEGUARD pre-push origin ../remote.git" /dev/null
	assert_status 2
	assert_output_contains "is a terminal"
}

@test "pre-push given no ref lines passes with a warning that nothing was checked" {
	run "$STATEGUARD" pre-push origin ../remote.git </dev/null
	assert_status 0
	assert_output_contains "no ref lines"
}

@test "a shallow clone fails closed with the cause named" {
	echo a >a.txt && git add a.txt && git commit -q -m a && git push -q origin main
	echo b >b.txt && git add b.txt && git commit -q -m b && git push -q origin main
	git clone -q --depth 1 "file://$TMP/remote.git" ../shallow
	sg install --repo ../shallow >/dev/null
	cd ../shallow
	echo c >c.txt && git add c.txt && git commit -q -m c
	run git push origin HEAD:refs/heads/from-shallow
	assert_status 1
	assert_output_contains "shallow"
	run git -C ../remote.git rev-parse --verify -q refs/heads/from-shallow
	assert_status 1
}

@test "an existing pre-push hook still runs and gets the same input" {
	sg uninstall --repo . >/dev/null
	printf '#!/bin/sh\necho "user pre-push $1: $(cat)" >&2\n' >.git/hooks/pre-push
	chmod +x .git/hooks/pre-push
	sg install --repo . 2>/dev/null >/dev/null
	echo z >z.txt && git add z.txt && git commit -q -m z
	run git push -q origin main
	assert_status 0
	assert_output_contains "user pre-push origin: refs/heads/main $(git rev-parse HEAD) refs/heads/main"
}

@test "STATEGUARD_SKIP lets a push through with a warning naming the reason" {
	state_json >prod.json
	git add prod.json && git commit -q --no-verify -m "state"
	STATEGUARD_SKIP="restore drill" run git push origin main
	assert_status 0
	assert_output_contains "restore drill"
}
