#!/usr/bin/env bats
# Server-side guarding over real smart HTTP (nginx + fcgiwrap + git http-backend
# on 127.0.0.1): a plain bare repository, the GitLab custom_hooks/pre-receive.d
# layout and the Gitea/Forgejo hooks/pre-receive.d layout. The pusher must see
# the reason as `remote:` lines and the server's refs must not move.
load ../lib/helpers
load ../lib/smart_http

setup_file() {
	http_start "$(mktemp -d "${BATS_TMPDIR:-/tmp}/sg-http.XXXXXX")" >&3 2>&3 || return 1
	ln -s "$STATEGUARD" "$HTTP_ROOT/bin/stateguard"
}
teardown_file() { http_stop; }

setup() {
	setup_tmp
	git init -q work
	cd work || return 1
	echo 'resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }' > main.tf
	git add main.tf
	git commit -qm "vpc"
}
teardown() { teardown_tmp; }

state_json() {
	printf '{"version":4,"terraform_version":"1.8.2","serial":7,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},"resources":[{"mode":"managed","type":"aws_db_instance","name":"orders","provider":"provider[\\"registry.terraform.io/hashicorp/aws\\"]","instances":[{"attributes":{"id":"orders"}}]}]}'
}

# commit_state: a second commit that adds a renamed state file.
commit_state() {
	state_json > backup.json
	git add backup.json
	git commit -qm "add backup" --no-verify
}

# The hook a GitLab or Gitea administrator drops into a pre-receive.d directory.
HOOK='#!/bin/sh
exec stateguard pre-receive'

# guard_plain NAME: a bare repository guarded by `stateguard install --server`.
guard_plain() {
	local bare
	bare=$(http_new_repo "$1")
	sg install --server "$bare" >&2
	echo "$bare"
}

# guard_dir NAME DIR [GITLAB=1]: a bare repository whose pre-receive dispatcher
# runs DIR/*, with stateguard's hook in it.
guard_dir() {
	local bare
	bare=$(http_new_repo "$1")
	http_dispatcher "$bare" "$2"
	printf '%s\n' "$HOOK" > "$bare/$2/stateguard"
	chmod +x "$bare/$2/stateguard"
	echo "$bare"
}

# push_and_check BARE: a clean push is accepted; a state push is refused with
# `remote:` lines naming the file and the rule, and the server's branch stays.
push_and_check() {
	local bare=$1 url=$HTTP_URL/${1##*/}
	run git push "$url" HEAD:refs/heads/main
	assert_status 0
	local accepted
	accepted=$(git -C "$bare" rev-parse refs/heads/main)
	[[ $accepted == "$(git rev-parse HEAD)" ]]

	commit_state
	run git push "$url" HEAD:refs/heads/main
	assert_status 1
	assert_output_contains "remote:"
	assert_output_contains "backup.json"
	assert_output_contains "tf-state"
	assert_output_contains "pre-receive hook declined"
	[[ $(git -C "$bare" rev-parse refs/heads/main) == "$accepted" ]]
}

@test "the test server clones and accepts pushes over smart HTTP" {
	local bare
	bare=$(http_new_repo plain-nohook)
	run git push "$HTTP_URL/plain-nohook.git" HEAD:refs/heads/main
	assert_status 0
	run git clone -q "$HTTP_URL/plain-nohook.git" ../clone
	assert_status 0
	[[ -f ../clone/main.tf ]]
}

@test "a plain bare repository guarded by install --server refuses state over HTTP" {
	push_and_check "$(guard_plain plain)"
}

@test "GitLab custom_hooks/pre-receive.d runs stateguard and refuses state over HTTP" {
	push_and_check "$(GITLAB=1 guard_dir gitlab custom_hooks/pre-receive.d)"
}

@test "GitLab: a skip push option is honoured for an allowed GL_USERNAME and audited" {
	local bare
	bare=$(GITLAB=1 guard_dir gitlab-skip custom_hooks/pre-receive.d)
	git -C "$bare" config receive.advertisePushOptions true
	git -C "$bare" config --add stateguard.skipAllowed alice
	commit_state
	run git push -o stateguard.skip=INC-42 "$HTTP_URL/gitlab-skip.git" HEAD:refs/heads/main
	assert_status 0
	assert_output_contains "remote:"
	grep -q alice "$bare/stateguard-audit.log"
	grep -q INC-42 "$bare/stateguard-audit.log"
}

@test "GitLab: a skip push option from a GL_USERNAME not listed is refused" {
	local bare
	bare=$(GITLAB=1 guard_dir gitlab-noskip custom_hooks/pre-receive.d)
	git -C "$bare" config receive.advertisePushOptions true
	git -C "$bare" config --add stateguard.skipAllowed bob
	commit_state
	run git push -o stateguard.skip=INC-42 "$HTTP_URL/gitlab-noskip.git" HEAD:refs/heads/main
	assert_status 1
	assert_output_contains "backup.json"
	run git -C "$bare" rev-parse --verify -q refs/heads/main
	assert_status 1
}

@test "Gitea/Forgejo hooks/pre-receive.d runs stateguard next to Gitea's own hook" {
	local bare
	bare=$(guard_dir gitea hooks/pre-receive.d)
	printf '#!/bin/sh\ncat >/dev/null\necho gitea-hook-ran\n' > "$bare/hooks/pre-receive.d/gitea"
	chmod +x "$bare/hooks/pre-receive.d/gitea"
	push_and_check "$bare"
	assert_output_contains "gitea-hook-ran"
}
