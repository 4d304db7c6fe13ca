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

# The server hook: a stand-in (every new blob through `stateguard scan -`) until
# `stateguard pre-receive` and `install --server` land.
HOOK='#!/bin/sh
while read -r old new ref; do
	git rev-list --objects "$new" --not --all | while read -r oid path; do
		[ -n "$path" ] && [ "$(git cat-file -t "$oid")" = blob ] || continue
		git cat-file blob "$oid" | stateguard scan - >/dev/null && continue
		echo "stateguard: $ref: $path: tf-state"
		exit 1
	done || exit 1
done'

# guard_plain NAME: a bare repository with stateguard's own pre-receive hook.
guard_plain() {
	local bare
	bare=$(http_new_repo "$1")
	printf '%s\n' "$HOOK" > "$bare/hooks/pre-receive"
	chmod +x "$bare/hooks/pre-receive"
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
	local bare
	bare=$(http_new_repo gitlab)
	GITLAB=1 http_dispatcher "$bare" custom_hooks/pre-receive.d
	printf '%s\n' "$HOOK" > "$bare/custom_hooks/pre-receive.d/stateguard"
	chmod +x "$bare/custom_hooks/pre-receive.d/stateguard"
	push_and_check "$bare"
}

@test "Gitea/Forgejo hooks/pre-receive.d runs stateguard next to another hook" {
	local bare
	bare=$(http_new_repo gitea)
	http_dispatcher "$bare" hooks/pre-receive.d
	printf '#!/bin/sh\ncat >/dev/null\necho gitea-hook-ran\n' > "$bare/hooks/pre-receive.d/gitea"
	printf '%s\n' "$HOOK" > "$bare/hooks/pre-receive.d/stateguard"
	chmod +x "$bare"/hooks/pre-receive.d/*
	push_and_check "$bare"
	assert_output_contains "gitea-hook-ran"
}
