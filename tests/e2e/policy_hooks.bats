#!/usr/bin/env bats
# Where policy comes from in the hooks: pushed configs cannot allow themselves in,
# user/server block rules cannot be weakened, the server reads the repository's
# config only when it enables it, and then only from the default branch before the push.
load ../lib/hooks

setup() {
	setup_tmp
	new_remote srv.git
	new_repo work
	cd work
	git remote add origin ../srv.git
	git push -q --no-verify origin main
}
teardown() { teardown_tmp; }

allow_fixtures() {
	echo '{"allow": [{"path": "test/fixtures/**", "rules": ["tf-state"], "reason": "synthetic state for tests"}]}' > .stateguard.json
}

@test "a pushed config that tries to allow itself in is rejected by pre-push" {
	mkdir -p test/fixtures
	state_json > test/fixtures/s.json
	allow_fixtures
	git add -A && git commit -q --no-verify -m "state with its own exception"
	run git push origin main
	assert_status 1
	assert_output_contains "same push as the content it allows"
}

@test "an exception landed on its own first then allows the fixture in a later push" {
	allow_fixtures
	git add -A && git commit -q -m "reviewed exception"
	run git push origin main
	assert_status 0
	mkdir -p test/fixtures
	state_json > test/fixtures/s.json
	git add -A && git commit -q -m "fixture"
	run git -c core.hooksPath=/dev/null push origin main
	assert_status 1 # the server has no repository_config: its policy does not allow it
	run sg pre-push origin ../srv.git <<<"refs/heads/main $(git rev-parse HEAD) refs/heads/main $(git rev-parse origin/main)"
	assert_status 0
	assert_output_contains "ALLOWED"
}

@test "the server ignores a pushed config that allows itself in, even with repository_config on" {
	echo '{"server": {"repository_config": true}}' > ../server.json
	git -C ../srv.git config stateguard.config "$TMP/server.json"
	mkdir -p test/fixtures
	state_json > test/fixtures/s.json
	allow_fixtures
	git add -A && git commit -q --no-verify -m "state with its own exception"
	run git push --no-verify origin main
	assert_status 1
	assert_output_contains "remote: BLOCK"
	assert_output_contains "test/fixtures/s.json"
}

@test "with repository_config on, the server honours the default branch's exceptions" {
	echo '{"server": {"repository_config": true}}' > ../server.json
	git -C ../srv.git config stateguard.config "$TMP/server.json"
	allow_fixtures
	git add -A && git commit -q -m "reviewed exception"
	git push -q origin main
	mkdir -p test/fixtures
	state_json > test/fixtures/s.json
	git add -A && git commit -q --no-verify -m "fixture"
	run git push --no-verify origin main
	assert_status 0
	git -C ../srv.git config --unset stateguard.config
	state_json > test/fixtures/t.json
	git add -A && git commit -q --no-verify -m "another fixture"
	run git push --no-verify origin main
	assert_status 1
}

@test "a repository config cannot weaken a rule the server sets to block" {
	echo '{"server": {"repository_config": true}, "rules": {"tf-local-backend": "block"}}' > ../server.json
	git -C ../srv.git config stateguard.config "$TMP/server.json"
	echo '{"rules": {"tf-local-backend": "off", "tf-state": "off"}}' > .stateguard.json
	git add -A && git commit -q --no-verify -m "weaken"
	git push -q --no-verify origin main
	printf 'terraform {\n  backend "local" {\n    path = "x.tfstate"\n  }\n}\n' > main.tf
	state_json > s.json
	git add -A && git commit -q --no-verify -m "local backend and state"
	run git push --no-verify origin main
	assert_status 1
	assert_output_contains "tf-local-backend"
	assert_output_contains "tf-state"
}

@test "a pushed config cannot weaken the user's block rules in pre-push" {
	echo '{"rules": {"tf-local-backend": "block"}}' > ../user.json
	git config stateguard.config "$TMP/user.json"
	echo '{"rules": {"tf-local-backend": "off"}}' > .stateguard.json
	printf 'terraform {\n  backend "local" {}\n}\n' > main.tf
	git add -A && git commit -q --no-verify -m "weaken"
	run sg pre-push origin ../srv.git <<<"refs/heads/main $(git rev-parse HEAD) refs/heads/main $(git rev-parse origin/main)"
	assert_status 1
	assert_output_contains "tf-local-backend"
}

@test "pre-commit reads the staged config" {
	mkdir -p test/fixtures
	state_json > test/fixtures/s.json
	allow_fixtures
	git add -A
	run git commit -q -m "fixture with exception"
	assert_status 0
}

@test "pre-commit blocks a staging backend that points at the production bucket" {
	cat > .stateguard.json <<-'JSON'
	{"environments": {"production": {"paths": ["envs/prod/**"], "identifiers": ["acme-prod-tfstate"]},
	                  "staging": {"paths": ["envs/staging/**"]}}}
	JSON
	git add .stateguard.json && git commit -q -m policy
	mkdir -p envs/staging
	printf 'terraform {\n  backend "s3" {\n    bucket = "acme-prod-tfstate"\n  }\n}\n' > envs/staging/backend.tf
	git add envs
	run git commit -q -m "staging backend"
	assert_status 1
	assert_output_contains "env-mismatch"
	assert_output_contains "would act on production, not staging"
}

@test "history applies the config at HEAD: allowed fixtures pass, a production id elsewhere is found" {
	mkdir -p test/fixtures app
	state_json > test/fixtures/s.json
	allow_fixtures
	git add -A && git commit -q --no-verify -m "fixture with exception"
	run sg history --format json
	assert_status 0
	python3 -c 'import json,sys; f=json.loads(sys.argv[1])["findings"]; assert f and all(x.get("allowed_by") for x in f if x["rule"]=="tf-state"), f' "$output"
	echo '{"environments": {"production": {"paths": ["envs/prod/**"], "identifiers": ["418273950164"]}}}' > .stateguard.json
	echo 'ROLE = "arn:aws:iam::418273950164:role/x"' > app/x.py
	git add -A && git commit -q --no-verify -m "leak"
	run sg history --format json
	assert_status 1
	assert_output_contains '"rule":"prod-identifier"'
}
