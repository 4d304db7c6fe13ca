#!/usr/bin/env bats
# Many pushes at once into one guarded server repository: each is judged on its
# own content, no hook run interferes with another and no ref is corrupted.
load ../lib/hooks
load ../lib/hostile

setup() { setup_tmp; }
teardown() { teardown_tmp; }

@test "20 parallel pushes, half carrying state: every state push rejected, every clean push accepted, refs intact" {
	new_remote srv.git
	git init -q work && cd work
	echo "# infra" >README.md && git add README.md && git commit -q -m init
	git push -q ../srv.git main
	for i in $(seq 1 20); do
		git checkout -q -b "b$i" main
		if ((i % 2)); then
			mkdir -p "env$i" && hostile state "env$i/terraform.tfstate"
			# a different state in every push: no blob is shared between pushes
			sed -i "s/web0/web$i/" "env$i/terraform.tfstate"
			git add "env$i" && git commit -q --no-verify -m "state $i"
		else
			echo "resource \"null_resource\" \"r$i\" {}" >"main$i.tf"
			git add "main$i.tf" && git commit -q -m "clean $i"
		fi
	done
	for i in $(seq 1 20); do
		git push ../srv.git "b$i" >"push$i.log" 2>&1 &
		pids[i]=$!
	done
	for i in $(seq 1 20); do
		rc=0
		wait "${pids[i]}" || rc=$?
		if ((i % 2)); then
			[[ $rc -ne 0 ]] || { echo "state push $i was accepted"; cat "push$i.log"; return 1; }
			grep -q "stateguard: push rejected" "push$i.log" || { cat "push$i.log"; return 1; }
			grep -q "env$i/terraform.tfstate" "push$i.log" || { cat "push$i.log"; return 1; }
			! git -C ../srv.git rev-parse -q --verify "refs/heads/b$i" >/dev/null
			! git -C ../srv.git cat-file -e "$(git rev-parse "b$i:env$i/terraform.tfstate")" 2>/dev/null
		else
			[[ $rc -eq 0 ]] || { echo "clean push $i was rejected"; cat "push$i.log"; return 1; }
			[[ $(git -C ../srv.git rev-parse "refs/heads/b$i") == $(git rev-parse "b$i") ]]
		fi
	done
	[[ $(git -C ../srv.git for-each-ref refs/heads | wc -l) -eq 11 ]]
	git -C ../srv.git fsck --strict --no-dangling
	[[ -z $(find ../srv.git/objects -maxdepth 1 -name 'tmp_objdir-*' -o -maxdepth 1 -name 'incoming-*') ]]
}

@test "parallel pre-commit runs in 8 repositories each judge their own index" {
	for i in $(seq 1 8); do
		new_repo "r$i"
		if ((i % 2)); then hostile state "r$i/prod.json"; else echo ok >"r$i/ok.txt"; fi
		git -C "r$i" add -A
	done
	for i in $(seq 1 8); do
		(cd "r$i" && "$STATEGUARD" pre-commit >../pc$i.log 2>&1) &
		pids[i]=$!
	done
	for i in $(seq 1 8); do
		rc=0
		wait "${pids[i]}" || rc=$?
		if ((i % 2)); then [[ $rc -eq 1 ]]; else [[ $rc -eq 0 ]]; fi || { cat "pc$i.log"; return 1; }
	done
}
