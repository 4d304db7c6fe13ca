#!/usr/bin/env bats
# pre-receive on a real bare repository: the server stops what --no-verify let
# past the client, reading the pushed objects from git's quarantine.
load ../lib/hooks

setup() {
	setup_tmp
	new_remote srv.git
	git init -q work
	cd work
	echo "# infra" >README.md
	git add README.md && git commit -q -m initial
	git remote add origin ../srv.git
	git push -q origin main
}
teardown() { teardown_tmp; }

server_tip() { git -C "${SRV:-../srv.git}" rev-parse --verify -q "$1"; }

@test "a --no-verify push of state is stopped by the server with remote: lines and no ref updated" {
	before=$(server_tip main)
	mkdir -p env/prod
	state_json >env/prod/terraform.tfstate
	git add env && git commit -q --no-verify -m "add state"
	commit=$(git rev-parse HEAD)
	run git push --no-verify origin main
	assert_status 1
	assert_output_contains "remote: stateguard: push rejected"
	assert_output_contains "remote: BLOCK"
	assert_output_contains "env/prod/terraform.tfstate"
	assert_output_contains "commit ${commit:0:12} on refs/heads/main"
	assert_output_contains "Rewrite them"
	assert_output_contains "pre-receive hook declined"
	[[ $(server_tip main) == "$before" ]]
}

@test "a clean push is accepted" {
	echo 'module "vpc" {}' >main.tf
	git add main.tf && git commit -q -m tf
	run git push -q origin main
	assert_status 0
	[[ $(server_tip main) == $(git rev-parse HEAD) ]]
}

@test "a state added then deleted in the same push is rejected by the server" {
	state_json >prod.json
	git add prod.json && git commit -q -m add
	git rm -q prod.json && git commit -q -m remove
	run git push origin main
	assert_status 1
	assert_output_contains "remote: "
	assert_output_contains "prod.json"
}

@test "one bad ref among several rejects the whole push" {
	git checkout -q -b ok-branch
	echo fine >fine.txt && git add fine.txt && git commit -q -m fine
	git checkout -q -b bad-branch main
	state_json >s.json && git add s.json && git commit -q -m bad
	run git push origin ok-branch bad-branch
	assert_status 1
	assert_output_contains "refs/heads/bad-branch"
	run server_tip ok-branch
	assert_status 1
	run server_tip bad-branch
	assert_status 1
}

@test "a tag pointing at a state blob is rejected by the server" {
	state_json >s.json
	git tag blobtag "$(git hash-object -w s.json)"
	rm s.json
	run git push origin blobtag
	assert_status 1
	assert_output_contains "refs/tags/blobtag"
	run server_tip refs/tags/blobtag
	assert_status 1
}

@test "a bare repository whose path contains ':' is guarded" {
	SRV="$TMP/odd:name/srv.git"
	mkdir -p "$TMP/odd:name"
	new_remote "$SRV"
	git push -q "$SRV" main
	state_json >s.json && git add s.json && git commit -q -m s
	run git push "$SRV" main
	assert_status 1
	assert_output_contains "s.json"
	git reset -q --hard HEAD~1
	echo ok >ok.txt && git add ok.txt && git commit -q -m ok
	run git push -q "$SRV" main
	assert_status 0
	[[ $(server_tip main) == $(git rev-parse HEAD) ]]
}

@test "a push of many new objects (a packed quarantine) is checked too" {
	for i in $(seq 1 120); do echo "file $i" >"f$i.txt"; done
	state_json >deep.json
	git add . && git commit -q -m many
	run git push origin main
	assert_status 1
	assert_output_contains "deep.json"
}

@test "a repository moved in whole (thousands of blobs, delta chains, several threads) is checked" {
	# 300 commits of 5 files each in a packed, delta-compressed history: the server reads
	# it through its pack reader and scans on several threads; a state in the middle of
	# the history and a state blob in no tree at all are both found
	for c in $(seq 1 300); do
		for f in 1 2 3 4 5; do seq 1 $((40 + c)) | sed "s/^/row $f /" >"f$f.txt"; done
		if ((c == 150)); then mkdir -p env && state_json >env/prod.tfstate; fi
		if ((c == 151)); then git rm -q -r env; fi
		git add -A && git commit -q -m "c$c"
	done
	bad=$(git rev-parse HEAD~150)
	git gc -q --aggressive
	loose=$(state_json | sed 's/"serial":3/"serial":99/' | git hash-object -w --stdin)
	git tag loose-state "$loose"
	blobs=$(git rev-list --objects --all --no-object-names | git cat-file --batch-check='%(objecttype)' | grep -c blob)
	((blobs >= 1024)) # over the threshold where the scan runs on several threads
	STATEGUARD_TRACE=1 run git push origin main --tags
	assert_status 1
	assert_output_contains "blobs to scan"
	# the quarantine's pack (the server had only loose objects) went through packread
	printf '%s\n' "$output" | grep -Eq 'pre-receive: [1-9][0-9]* packs? read directly'
	python3 - "$output" "$bad" <<'PY'
import re, sys
out, bad = sys.argv[1], sys.argv[2]
assert "env/prod.tfstate" in out, out[-3000:]
assert bad[:12] in out or bad in out, "the introducing commit is named"
assert out.count("tf-state") >= 2, out[-3000:]  # the one in history and the tagged blob
PY
	[ "$(server_tip main)" != "$(git rev-parse main)" ]
}

@test "policy comes from the server, and a bad server config rejects with its name" {
	echo '{nope' >../server-policy.json
	git -C ../srv.git config stateguard.config "$TMP/server-policy.json"
	echo x >x.txt && git add x.txt && git commit -q -m x
	run git push origin main
	assert_status 1
	assert_output_contains "server-policy.json"
	git -C ../srv.git config --unset stateguard.config
	run git push -q origin main
	assert_status 0
}

@test "the skip push option is honoured for a listed identity and written to the audit log" {
	state_json >s.json && git add s.json && git commit -q -m s
	run env USER=mallory git push -o stateguard.skip=because origin main
	assert_status 1
	assert_output_contains "refused"
	git -C ../srv.git config --add stateguard.skipAllowed alice
	run env USER=alice git push -o "stateguard.skip=restore drill INC-7" origin main
	assert_status 0
	assert_output_contains "restore drill INC-7"
	grep -q "skip by alice (USER) reason: restore drill INC-7 | refs/heads/main" ../srv.git/stateguard-audit.log
	[[ $(server_tip main) == $(git rev-parse HEAD) ]]
}

@test "a skip whose audit log cannot be written is rejected" {
	git -C ../srv.git config --add stateguard.skipAllowed alice
	git -C ../srv.git config stateguard.auditLog "$TMP/no/such/dir/audit.log"
	state_json >s.json && git add s.json && git commit -q -m s
	run env USER=alice git push -o stateguard.skip=why origin main
	assert_status 1
	assert_output_contains "audit log"
	run server_tip main
	[[ $output != $(git rev-parse HEAD) ]]
}

@test "pushing commits the server already has to a new branch passes" {
	run git push -q origin main:refs/heads/copy
	assert_status 0
	[[ $(server_tip copy) == $(git rev-parse main) ]]
}

@test "run without a quarantine, pre-receive walks everything no ref reaches yet" {
	state_json >s.json && git add s.json && git commit -q -m s
	bad=$(git rev-parse HEAD)
	git --git-dir=../srv.git fetch -q "$PWD" main:refs/parked/x
	git --git-dir=../srv.git update-ref -d refs/parked/x
	old=$(server_tip main)
	run env -u GIT_QUARANTINE_PATH GIT_DIR="$TMP/srv.git" "$STATEGUARD" pre-receive <<<"$old $bad refs/heads/main"
	assert_status 1
	assert_output_contains "s.json"
	assert_output_contains "refs/heads/main"
}

@test "a pushed Kubernetes backend secret (base64 of gzip of state) is rejected by the server" {
	before=$(server_tip main)
	mkdir -p k8s
	cat >k8s/tfstate-default-prod.yaml <<YAML
apiVersion: v1
data:
  tfstate: $(state_json | gzip -n | base64 -w0)
kind: Secret
metadata:
  name: tfstate-default-prod
type: Opaque
YAML
	git add k8s && git commit -q --no-verify -m "backup the backend secret"
	run git push --no-verify origin main
	assert_status 1
	assert_output_contains "remote: BLOCK"
	assert_output_contains "k8s/tfstate-default-prod.yaml!base64@L3!gzip"
	[[ $(server_tip main) == "$before" ]]
}
