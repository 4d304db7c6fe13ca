#!/usr/bin/env bats
# Git LFS: the object behind a pointer is examined at every hook point, with real
# git-lfs (its hooks installed first, stateguard's chained after them), real file://
# bare remotes (git-lfs's standalone transfer uploads into <bare>/lfs/objects) and the
# server's pre-receive.
load ../lib/hooks

setup() {
	setup_tmp
	command -v git-lfs >/dev/null || {
		echo "git-lfs is not installed (run ./install.sh)"
		return 1
	}
}
teardown() { teardown_tmp; }

# lfs_repo DIR: a work repository with *.zip tracked by LFS, git-lfs's hooks, then
# stateguard's (which keeps git-lfs's pre-push and runs it after its own check).
lfs_repo() {
	git init -q "$1"
	(
		cd "$1" || exit 1
		git lfs install --local >/dev/null
		git lfs track '*.zip' >/dev/null
		git add .gitattributes && git commit -q -m "track zips with LFS"
	)
	sg install --repo "$1" >/dev/null
}

# state_zip ZIP: a zip (made by zip(1)) holding prod/terraform.tfstate.
state_zip() {
	mkdir -p "$TMP/z/prod"
	fixtures state-v4 --out "$TMP/z/prod/terraform.tfstate"
	(cd "$TMP/z" && zip -qr "$1" prod)
	rm -rf "$TMP/z"
}

# clean_zip ZIP: a zip holding documentation only.
clean_zip() {
	mkdir -p "$TMP/z/docs"
	echo "# runbook" >"$TMP/z/docs/README.md"
	(cd "$TMP/z" && zip -qr "$1" docs)
	rm -rf "$TMP/z"
}

# oid_of PATH: the LFS oid of the staged or committed pointer at PATH.
oid_of() { git cat-file -p "${2:-}:$1" | sed -n 's/^oid sha256://p'; }

server_files() { find "$1/lfs" -type f 2>/dev/null | sort; }

@test "the commit of an LFS-tracked zip holding a state is refused and the file stays staged" {
	lfs_repo work && cd work
	state_zip "$PWD/infra.zip"
	git add infra.zip
	oid=$(oid_of infra.zip)
	[[ ${#oid} -eq 64 ]]
	before=$(git rev-parse HEAD)
	staged=$(git ls-files -s infra.zip)
	run git commit -q -m "add infra"
	assert_status 1
	assert_output_contains "BLOCK   tf-state  infra.zip (LFS sha256:${oid:0:8}…)!prod/terraform.tfstate"
	assert_output_contains "lfs object: sha256:$oid"
	[[ $(git rev-parse HEAD) == "$before" ]]
	[[ $(git diff --cached --name-only) == infra.zip ]]
	[[ $(git ls-files -s infra.zip) == "$staged" ]]
}

@test "JSON and SARIF name the path and the LFS object of a finding" {
	lfs_repo work && cd work
	state_zip "$PWD/infra.zip"
	git add infra.zip
	oid=$(oid_of infra.zip)
	run sg pre-commit --format json
	assert_status 1
	python3 - "$oid" "$output" <<'EOF'
import json, sys
oid, doc = sys.argv[1], json.loads(sys.argv[2])
f = [x for x in doc["findings"] if x["rule"] == "tf-state"][0]
assert f["path"] == "infra.zip!prod/terraform.tfstate", f
assert f["lfs"] == "sha256:" + oid, f
assert f["display_path"] == "infra.zip (LFS sha256:%s…)!prod/terraform.tfstate" % oid[:8], f
EOF
	run sg pre-commit --format sarif
	assert_status 1
	python3 - "$oid" "$output" <<'EOF'
import json, sys
oid, doc = sys.argv[1], json.loads(sys.argv[2])
r = [x for x in doc["runs"][0]["results"] if x["ruleId"] == "tf-state"][0]
loc = r["locations"][0]
assert loc["physicalLocation"]["artifactLocation"]["uri"] == "infra.zip", loc
name = loc["logicalLocations"][0]["fullyQualifiedName"]
assert name == "infra.zip (LFS sha256:%s…)!prod/terraform.tfstate" % oid[:8], name
assert r["properties"]["lfs"] == "sha256:" + oid, r["properties"]
EOF
	printf '%s\n' "$output" >"$TMP/lfs.sarif"
	python3 "$SG_ROOT/tests/lib/sarif_check.py" "$TMP/lfs.sarif"
}

@test "a --no-verify commit is refused by pre-push before git-lfs uploads anything" {
	git init -q --bare srv.git
	lfs_repo work && cd work
	git remote add origin "file://$TMP/srv.git"
	git push -q origin main
	state_zip "$PWD/infra.zip"
	git add infra.zip && git commit -q --no-verify -m "add infra"
	oid=$(oid_of infra.zip HEAD)
	run git push origin main
	assert_status 1
	assert_output_contains "infra.zip (LFS sha256:${oid:0:8}…)!prod/terraform.tfstate"
	[[ -z $(server_files "$TMP/srv.git") ]]
	[[ $(git -C "$TMP/srv.git" rev-parse main) != "$(git rev-parse HEAD)" ]]
	# the chained git-lfs pre-push is what uploads: it still works for a clean push
	git reset -q --hard HEAD~1
	clean_zip "$PWD/docs.zip"
	git add docs.zip && git commit -q -m docs
	run git push origin main
	assert_status 0
	[[ -n $(server_files "$TMP/srv.git") ]]
}

@test "a client without stateguard is refused by pre-receive with remote: lines naming the path and the LFS object" {
	new_remote srv.git
	git init -q work && cd work
	git lfs install --local >/dev/null
	git lfs track '*.zip' >/dev/null
	git add .gitattributes && git commit -q -m "track zips"
	git remote add origin "file://$TMP/srv.git"
	git push -q origin main
	state_zip "$PWD/infra.zip"
	git add infra.zip && git commit -q -m "add infra"
	oid=$(oid_of infra.zip HEAD)
	run git push origin main
	assert_status 1
	assert_output_contains "remote: BLOCK   tf-state  infra.zip (LFS sha256:${oid:0:8}…)!prod/terraform.tfstate"
	assert_output_contains "remote:         lfs object: sha256:$oid"
	assert_output_contains "remote: stateguard: the LFS object sha256:$oid of infra.zip already reached the server's LFS store"
	assert_output_contains "pre-receive hook declined"
	# refused, and the uploaded object is left for an administrator: never deleted
	[[ $(server_files "$TMP/srv.git") == *"/${oid:0:2}/${oid:2:2}/$oid" ]]
	[[ $(git -C "$TMP/srv.git" rev-parse main) != "$(git rev-parse HEAD)" ]]
}

@test "a clean LFS zip is accepted end to end" {
	new_remote srv.git
	lfs_repo work && cd work
	git remote add origin "file://$TMP/srv.git"
	clean_zip "$PWD/docs.zip"
	git add docs.zip
	run git commit -q -m docs
	assert_status 0
	oid=$(oid_of docs.zip HEAD)
	run git push origin main
	assert_status 0
	[[ $(git -C "$TMP/srv.git" rev-parse main) == "$(git rev-parse HEAD)" ]]
	[[ $(server_files "$TMP/srv.git") == *"/$oid" ]]
}

@test "a pointer pushed with --no-verify whose object never reached the server is refused" {
	new_remote srv.git
	lfs_repo work && cd work
	git remote add origin "file://$TMP/srv.git"
	git push -q origin main
	clean_zip "$PWD/docs.zip"
	git add docs.zip && git commit -q -m docs
	oid=$(oid_of docs.zip HEAD)
	run git push --no-verify origin main
	assert_status 1
	assert_output_contains "remote: BLOCK   lfs-object-missing  docs.zip (LFS sha256:${oid:0:8}…)"
	assert_output_contains "sha256:$oid"
	assert_output_contains "git lfs push --all"
	[[ -z $(server_files "$TMP/srv.git") ]]
	# once the object is uploaded, the same push is accepted
	git lfs push --all origin main >/dev/null 2>&1
	run git push --no-verify origin main
	assert_status 0
}

@test "a hand-written pointer to an object nobody has is refused by the server" {
	new_remote srv.git
	git init -q work && cd work
	git remote add origin "file://$TMP/srv.git"
	printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 4096\n' \
		"$(printf x | sha256sum | cut -c1-64)" >ghost.bin
	git add ghost.bin && git commit -q -m ghost
	run git push origin main
	assert_status 1
	assert_output_contains "remote: BLOCK   lfs-object-missing  ghost.bin (LFS sha256:"
}

@test "history finds the state behind a pointer and counts pointers whose object is missing" {
	lfs_repo work && cd work
	state_zip "$PWD/infra.zip"
	git add infra.zip && git commit -q --no-verify -m "add infra"
	oid=$(oid_of infra.zip HEAD)
	run sg history
	assert_status 1
	assert_output_contains "BLOCK   tf-state  infra.zip (LFS sha256:${oid:0:8}…)!prod/terraform.tfstate"
	# a pointer whose object is not here: the audit is incomplete (exit 2) and says so
	printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 4096\n' \
		"$(printf x | sha256sum | cut -c1-64)" >ghost.bin
	git add ghost.bin && git commit -q --no-verify -m ghost
	run sg history
	assert_status 2
	assert_output_contains "1 Git LFS pointer whose object is not in $PWD/.git/lfs/objects"
	assert_output_contains "git lfs fetch --all"
	assert_output_contains "ERROR   lfs-object-missing  ghost.bin (LFS sha256:"
}

@test "a pointer whose object does not match its oid is blocked" {
	lfs_repo work && cd work
	clean_zip "$PWD/docs.zip"
	git add docs.zip
	oid=$(oid_of docs.zip)
	obj=.git/lfs/objects/${oid:0:2}/${oid:2:2}/$oid
	[[ -f $obj ]]
	chmod u+w "$obj"
	state_zip "$TMP/other.zip"
	cp "$TMP/other.zip" "$obj"
	# the hook itself (git commit would first re-run git-lfs's clean filter on the file)
	run sg pre-commit
	assert_status 1
	assert_output_contains "BLOCK   lfs-object-mismatch  docs.zip (LFS sha256:${oid:0:8}…)"
	assert_output_contains "the pointer says sha256:$oid"
	# what the store holds is scanned too
	assert_output_contains "docs.zip (LFS sha256:${oid:0:8}…)!prod/terraform.tfstate"
}

@test "the commit is refused when the LFS object is missing from the local store" {
	lfs_repo work && cd work
	clean_zip "$PWD/docs.zip"
	git add docs.zip
	oid=$(oid_of docs.zip)
	rm -f ".git/lfs/objects/${oid:0:2}/${oid:2:2}/$oid"
	run sg pre-commit
	assert_status 2
	assert_output_contains "ERROR   lfs-object-missing  docs.zip (LFS sha256:${oid:0:8}…)"
	assert_output_contains "$PWD/.git/lfs/objects"
}

@test "lfs.storage moves the store the client hooks read" {
	lfs_repo work && cd work
	git config lfs.storage "$TMP/shared-lfs"
	state_zip "$PWD/infra.zip"
	git add infra.zip
	oid=$(oid_of infra.zip)
	[[ -f $TMP/shared-lfs/objects/${oid:0:2}/${oid:2:2}/$oid ]]
	run git commit -q -m "add infra"
	assert_status 1
	assert_output_contains "infra.zip (LFS sha256:${oid:0:8}…)!prod/terraform.tfstate"
}

@test "pre-push warns about a pointer whose object is not in the local store" {
	lfs_repo work && cd work
	clean_zip "$PWD/docs.zip"
	git add docs.zip && git commit -q -m docs
	oid=$(oid_of docs.zip HEAD)
	rm -f ".git/lfs/objects/${oid:0:2}/${oid:2:2}/$oid"
	run sg pre-push origin <<<"refs/heads/main $(git rev-parse HEAD) refs/heads/main $(printf "%040d" 0)"
	assert_status 0
	assert_output_contains "WARN    lfs-object-missing  docs.zip (LFS sha256:${oid:0:8}…)"
	assert_output_contains "GIT_LFS_SKIP_SMUDGE"
}

@test "a GitLab-layout store named by stateguard.lfsStore is read" {
	new_remote srv.git
	git -C srv.git config stateguard.lfsStore "$TMP/gitlab/shared/lfs-objects"
	lfs_repo work && cd work
	git remote add origin "file://$TMP/srv.git"
	git push -q origin main
	state_zip "$PWD/infra.zip"
	git add infra.zip && git commit -q --no-verify -m "add infra"
	oid=$(oid_of infra.zip HEAD)
	# GitLab keeps objects as aa/bb/<oid without its first 4 hex>
	mkdir -p "$TMP/gitlab/shared/lfs-objects/${oid:0:2}/${oid:2:2}"
	cp ".git/lfs/objects/${oid:0:2}/${oid:2:2}/$oid" "$TMP/gitlab/shared/lfs-objects/${oid:0:2}/${oid:2:2}/${oid:4}"
	run git push --no-verify origin main
	assert_status 1
	assert_output_contains "remote: BLOCK   tf-state  infra.zip (LFS sha256:${oid:0:8}…)!prod/terraform.tfstate"
	assert_output_contains "${oid:0:2}/${oid:2:2}/${oid:4} under it"
	assert_output_not_contains "lfs-object-missing"
}

@test "a server whose policy lowers lfs-object-missing to a warning accepts a pointer without its object" {
	new_remote srv.git
	printf '{"rules": {"lfs-object-missing": "warn"}}\n' >srv.git/stateguard.json
	git init -q work && cd work
	git remote add origin "file://$TMP/srv.git"
	printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 4096\n' \
		"$(printf x | sha256sum | cut -c1-64)" >ghost.bin
	git add ghost.bin && git commit -q -m ghost
	run git push origin main
	assert_status 0
	assert_output_contains "remote: WARN    lfs-object-missing  ghost.bin (LFS sha256:"
}
