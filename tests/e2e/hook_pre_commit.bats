#!/usr/bin/env bats
# pre-commit and pre-merge-commit in real git: what is staged, as git will commit it.
load ../lib/hooks

setup() { setup_tmp; new_repo work; cd work; }
teardown() { teardown_tmp; }

@test "a clean commit passes silently" {
	echo 'variable "region" {}' >main.tf
	git add main.tf
	run git commit -q -m "add main.tf"
	assert_status 0
	assert_output_not_contains "stateguard"
	[[ $(git log --oneline | wc -l) -eq 2 ]]
}

@test "a commit of a renamed state file is rejected and the file stays staged" {
	state_json >prod.json
	git add prod.json
	staged=$(git ls-files --stage)
	run git commit -q -m "add state"
	assert_status 1
	assert_output_contains "tf-state"
	assert_output_contains "prod.json"
	assert_output_contains "git rm --cached"
	[[ $(git log --oneline | wc -l) -eq 1 ]]
	[[ $(git ls-files --stage) == "$staged" ]]
	[[ $(git diff --cached --name-only) == prod.json ]]
}

@test "the infra.zip commit is rejected and the index is left byte for byte unchanged" {
	zip_with infra.zip terraform.tfstate "$(state_json)"
	git add infra.zip
	before=$(index_digest)
	run sg pre-commit
	assert_status 1
	assert_output_contains "infra.zip!terraform.tfstate"
	[[ $(index_digest) == "$before" ]]
	run git commit -q -m "add infra.zip"
	assert_status 1
	assert_output_contains "infra.zip"
	[[ $(git diff --cached --name-only) == infra.zip ]]
	[[ $(git log --oneline | wc -l) -eq 1 ]]
}

@test "commit -a is checked against the index git is writing" {
	echo '{}' >prod.json
	git add prod.json
	git commit -q -m "placeholder"
	state_json >prod.json
	run git commit -q -a -m "update"
	assert_status 1
	assert_output_contains "prod.json"
	[[ $(git show HEAD:prod.json) == '{}' ]]
}

@test "commit of named paths checks the temporary index, not the default one" {
	echo '{}' >prod.json
	echo ok >notes.txt
	git add prod.json notes.txt
	git commit -q -m "placeholders"
	state_json >prod.json
	echo more >>notes.txt
	git add notes.txt
	run git commit -q -m "only prod" -- prod.json
	assert_status 1
	assert_output_contains "prod.json"
	echo even-more >>notes.txt
	run git commit -q -m "only notes" -- notes.txt
	assert_status 0
}

@test "the initial commit of a new repository is checked" {
	git init -q ../fresh
	sg install --repo ../fresh >/dev/null
	cd ../fresh
	state_json >terraform.tfstate
	git add terraform.tfstate
	run git commit -q -m "initial"
	assert_status 1
	assert_output_contains "terraform.tfstate"
	run git rev-parse --verify -q HEAD
	assert_status 1
}

@test "a merge bringing state in is stopped by pre-merge-commit" {
	git checkout -q -b side
	state_json >prod.json
	git add prod.json
	git commit -q --no-verify -m "state on a side branch"
	git checkout -q main
	echo change >>README.md
	git commit -q -am "main moves on"
	run git merge --no-edit side
	assert_status 1
	assert_output_contains "prod.json"
	run git rev-parse --verify -q HEAD^2
	assert_status 1
}

@test "an existing user hook is kept and still runs" {
	git init -q ../other
	printf '#!/bin/sh\necho user-hook-ran >&2\n' >../other/.git/hooks/pre-commit
	chmod +x ../other/.git/hooks/pre-commit
	sg install --repo ../other
	sg install --repo ../other
	cd ../other
	echo hello >a.txt
	git add a.txt
	run git commit -q -m "a"
	assert_status 0
	assert_output_contains "user-hook-ran"
	state_json >b.json
	git add b.json
	run git commit -q -m "b"
	assert_status 1
	assert_output_contains "tf-state"
	sg uninstall --repo .
	run cat .git/hooks/pre-commit
	assert_output_contains "user-hook-ran"
	[[ ! -e .git/hooks/pre-push ]]
}

@test "intent-to-add entries and submodule pointers are not read" {
	state_json >later.json
	git add -N later.json
	git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/mod
	echo fine >ok.txt
	git add ok.txt
	run sg pre-commit
	assert_status 0
}

@test "a staged config that is not valid JSON rejects the commit and names the file" {
	echo '{nope' >.stateguard.json
	git add .stateguard.json
	run git commit -q -m "bad config"
	assert_status 1
	assert_output_contains "bad configuration: staged .stateguard.json"
	run sg pre-commit
	assert_status 2
}

@test "STATEGUARD_SKIP lets the commit through with a warning naming the reason" {
	state_json >prod.json
	git add prod.json
	STATEGUARD_SKIP="fixture for incident 42" run git commit -q -m "skip"
	assert_status 0
	assert_output_contains "fixture for incident 42"
	assert_output_contains "skipped"
}

@test "a missing stateguard binary makes the hook fail closed with a clear message" {
	sed -i "s|^STATEGUARD_BIN=.*|STATEGUARD_BIN='/nonexistent/stateguard'|" .git/hooks/pre-commit
	echo x >x.txt
	git add x.txt
	PATH=/usr/bin:/bin run git commit -q -m x
	assert_status 1
	assert_output_contains "stateguard is not installed any more: /nonexistent/stateguard is missing and stateguard is not on PATH"
	assert_output_contains "the pre-commit check cannot run, so this commit is refused"
	assert_output_contains "or remove the hook: rm '"
}

@test "a linked worktree and GIT_WORK_TREE are honoured" {
	git worktree add -q ../wt2
	cd ../wt2
	state_json >s.json
	git add s.json
	run git commit -q -m "state from a worktree"
	assert_status 1
	assert_output_contains "s.json"
	cd ../work
	state_json >t.json
	git --git-dir=.git --work-tree=. add t.json
	run git --git-dir=.git --work-tree=. commit -q -m "explicit"
	assert_status 1
	assert_output_contains "t.json"
}

@test "install respects core.hooksPath and uninstall with --global restores the config" {
	git config core.hooksPath .githooks
	sg install --repo .
	[[ -x .githooks/pre-commit && -x .githooks/pre-push ]]
	git config --unset core.hooksPath
	sg install --global
	[[ $(git config --global core.hooksPath) == "$HOME/.config/stateguard/hooks" ]]
	git init -q ../g && cd ../g
	state_json >s.json && git add s.json
	run git commit -q -m s
	assert_status 1
	cd ../work
	sg uninstall --global
	run git config --global core.hooksPath
	assert_status 1
}

@test "a provider zip whose binary is over member_bytes commits; the same with a key inside is rejected" {
	echo '{"limits": {"member_bytes": 65536}}' >.stateguard.json
	git add .stateguard.json && git commit -q -m "small member_bytes"
	mkdir -p bin
	{ printf '\177ELF'; head -c 300000 /dev/urandom; } >bin/terraform-provider-example_v1.0.0_x5
	(cd bin && zip -q ../provider.zip terraform-provider-example_v1.0.0_x5)
	git add provider.zip
	run git commit -q -m "vendor the provider"
	assert_status 0
	printf '\naws_access_key_id = AKIAZ7QWERTY2345ABCD\n' >>bin/terraform-provider-example_v1.0.0_x5
	(cd bin && zip -q ../keyed.zip terraform-provider-example_v1.0.0_x5)
	git add keyed.zip
	run git commit -q -m "vendor a provider with a key in it"
	assert_status 1
	assert_output_contains "scan-limit"
	assert_output_contains "keyed.zip!terraform-provider-example_v1.0.0_x5"
	assert_output_contains "member_bytes"
}

@test "a commit of a state saved by PowerShell as UTF-16 is rejected on its transcoded text" {
	state_json | iconv -f UTF-8 -t UTF-16 >backup.json
	git add backup.json
	run git commit -q -m "add backup"
	assert_status 1
	assert_output_contains "tf-state"
	assert_output_contains "backup.json!utf-16le"
	[[ $(git log --oneline | wc -l) -eq 1 ]]
	[[ $(git diff --cached --name-only) == backup.json ]]
}
