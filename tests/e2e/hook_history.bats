#!/usr/bin/env bats
# stateguard history: auditing existing history, each unique blob once, with
# the first commit and path that introduced it.
load ../lib/hooks

setup() {
	setup_tmp
	git init -q repo
	cd repo
	for i in $(seq 1 12); do
		echo "line $i" >>notes.txt
		git add notes.txt && git commit -q -m "notes $i"
		if ((i == 3)); then
			mkdir -p legacy && state_json >legacy/terraform.tfstate
			git add legacy && git commit -q -m "import legacy state"
			git rev-parse HEAD >"$TMP/introduced"
		fi
		if ((i == 4)); then
			git rm -q -r legacy && git commit -q -m "remove legacy state"
		fi
	done
}
teardown() { teardown_tmp; }

# Commits gone.txt, then deletes its (loose) blob: an object the history names but lacks.
commit_and_lose_blob() {
	echo secret-free >gone.txt && git add gone.txt && git commit -q -m gone
	local blob
	blob=$(git rev-parse HEAD:gone.txt)
	rm -f ".git/objects/${blob:0:2}/${blob:2}"
}

@test "history finds a state deep in the past with the commit and path that introduced it" {
	run sg history
	assert_status 1
	assert_output_contains "legacy/terraform.tfstate"
	assert_output_contains "commit $(cut -c1-12 "$TMP/introduced")"
	assert_output_contains "audited 14 commits"
	assert_output_contains "git filter-repo"
}

@test "the same state at several paths and commits is scanned and reported once, at its first path" {
	git checkout -q -b copies
	git show "$(cat "$TMP/introduced"):legacy/terraform.tfstate" >again.json
	git add again.json && git commit -q -m "the same state again"
	run sg history --format json
	assert_status 1
	python3 -c 'import json,sys
d=json.loads(sys.argv[1]); f=[x for x in d["findings"] if x["rule"]=="tf-state"]
assert len(f)==1, f
assert f[0]["path"]=="legacy/terraform.tfstate", f
assert f[0]["commit"]==sys.argv[2], f
assert len(f[0]["blob"])==40, f' "$output" "$(cat "$TMP/introduced")"
}

@test "a range audits only the commits it names" {
	run sg history HEAD~3..HEAD
	assert_status 0
	run sg history "$(cat "$TMP/introduced")~1..HEAD"
	assert_status 1
}

@test "history works in a bare repository through GIT_DIR" {
	git clone -q --bare . ../bare.git
	cd "$TMP"
	GIT_DIR="$TMP/bare.git" run sg history --all
	assert_status 1
	assert_output_contains "legacy/terraform.tfstate"
}

@test "a tag pointing at a state blob is audited" {
	git checkout -q --orphan clean && git rm -q -rf . && echo x >x && git add x && git commit -q -m clean
	for b in $(git for-each-ref --format='%(refname)' refs/heads/ | grep -v clean); do git update-ref -d "$b"; done
	git reflog expire --expire=now --all
	state_json >s.json
	git tag lone "$(git hash-object -w s.json)"
	rm s.json
	run sg history
	assert_status 1
	assert_output_contains "refs/tags/lone"
}

@test "a missing object is reported, the audit goes on, and the exit status is 2" {
	git checkout -q -b extra
	state_json | sed "s/\"serial\":3/\"serial\":4/" >later.json && git add later.json && git commit -q -m later
	commit_and_lose_blob
	run sg history
	assert_status 2
	assert_output_contains "gone.txt"
	assert_output_contains "later.json"
	assert_output_contains "legacy/terraform.tfstate"
}

@test "a history whose only problem is an unreadable object gives no rewrite advice, exit 2" {
	git init -q only-missing && cd only-missing
	commit_and_lose_blob
	run sg history
	assert_status 2
	assert_output_contains "could not be examined"
	assert_output_not_contains "rewrite it out"
}

@test "a corrupt tree is reported with its commit, the rest is still audited, exit 2" {
	bad=$(printf '100644 cut-short-entry\0abc' | git hash-object -t tree --literally -w --stdin)
	c=$(git commit-tree "$bad" -p HEAD -m "corrupt tree")
	git update-ref refs/heads/corrupt "$c"
	run sg history --format json
	assert_status 2
	python3 -c 'import json,sys
d=json.loads(sys.argv[1]); f=d["findings"]
err=[x for x in f if x["rule"]=="scan-error"]
assert any("corrupt" in x["message"] and x.get("commit")==sys.argv[2] for x in err), err
assert any(x["rule"]=="tf-state" and x["path"]=="legacy/terraform.tfstate" for x in f), f' "$output" "$c"
}

@test "the same tree in many commits and branches is read once and its blobs reported at the first" {
	git checkout -q -b side "$(cat "$TMP/introduced")"
	for i in 1 2 3; do git commit -q --allow-empty -m "empty $i"; done
	git checkout -q -
	git merge -q --no-edit side >/dev/null 2>&1 || true
	STATEGUARD_TRACE=1 run sg history --format json
	assert_status 1
	python3 -c 'import json,sys
d=json.loads(sys.argv[1][sys.argv[1].index("{"):])
f=[x for x in d["findings"] if x["rule"]=="tf-state"]
assert len(f)==1 and f[0]["commit"]==sys.argv[2], f' "$(printf '%s' "$output" | grep -v '^stateguard: trace')" "$(cat "$TMP/introduced")"
	assert_output_contains "trace:"
	# each commit walked once, each distinct tree read once, each blob counted once
	local commits trees blobs
	commits=$(git rev-list --all | wc -l)
	trees=$(git rev-list --objects --all | cut -d' ' -f1 | git cat-file --batch-check='%(objecttype)' | grep -c '^tree$')
	blobs=$(git rev-list --objects --all | cut -d' ' -f1 | git cat-file --batch-check='%(objecttype)' | grep -c '^blob$')
	((commits > 1 && trees > 1))
	assert_output_contains "history: walked $commits commits, $trees trees, $blobs unique blobs"
}

@test "a packed history with delta chains reports exactly what its loose objects did" {
	mkdir -p env
	for i in $(seq 1 40); do
		state_json | sed "s/\"serial\":3/\"serial\":$((i + 10))/; s/vpc-1/vpc-$i/" >env/prod.tfstate
		seq 1 $((200 + i)) | sed "s/^/variable line /" >env/vars.tf
		git add env && git commit -q -m "env $i"
	done
	run sg history --format json
	assert_status 1
	local loose=$output
	git gc -q --aggressive
	[ -z "$(find .git/objects -path '*/objects/[0-9a-f][0-9a-f]/*' -type f)" ] # all packed now
	deltas=$(git verify-pack -v .git/objects/pack/*.idx | awk 'NF >= 7 && $4 ~ /^[0-9]+$/' | wc -l)
	((deltas > 40))
	STATEGUARD_TRACE=1 run sg history --format json
	assert_status 1
	assert_output_contains "history: 1 pack read directly"
	[ "$(printf '%s\n' "$output" | grep -v '^stateguard: trace')" = "$loose" ]
	python3 -c 'import json,sys
f=[x for x in json.loads(sys.argv[1])["findings"] if x["rule"]=="tf-state"]
assert len(f)==41, len(f)' "$loose"
}

@test "a damaged entry in a pack is reported with its path, the rest still audited, exit 2" {
	head -c 3000 /dev/urandom | base64 >noise.txt # incompressible: no delta, no base
	git add noise.txt && git commit -q -m noise
	git gc -q
	blob=$(git rev-parse HEAD:noise.txt)
	idx=$(ls .git/objects/pack/*.idx)
	off=$(git show-index <"$idx" | awk -v b="$blob" '$2 == b {print $1}')
	[ -n "$off" ]
	chmod u+w "${idx%.idx}.pack"
	python3 -c 'import sys
p, off = sys.argv[1], int(sys.argv[2])
with open(p, "r+b") as f:
    f.seek(off + 40); b = f.read(8); f.seek(off + 40)
    f.write(bytes(x ^ 0x5a for x in b))' "${idx%.idx}.pack" "$off"
	run sg history --format json
	assert_status 2
	python3 -c 'import json,sys
f=json.loads(sys.argv[1])["findings"]
err=[x for x in f if x["rule"]=="scan-error"]
assert any(x["path"]=="noise.txt" and sys.argv[2] in x["message"] for x in err), err
assert any(x["rule"]=="tf-state" and x["path"]=="legacy/terraform.tfstate" for x in f), f' "$output" "$blob"
}

@test "a clean history passes" {
	git init -q ../clean && cd ../clean
	echo hi >a && git add a && git commit -q -m a
	run sg history
	assert_status 0
}
