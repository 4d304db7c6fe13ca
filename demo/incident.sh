#!/usr/bin/env bash
# demo/incident.sh (`make demo`): replays the incident stateguard exists for, in
# a throwaway directory: a Terraform project whose production state sits in
# infra.zip; the commit is refused on the laptop, and the push that skips the
# client hooks (--no-verify) is refused by the server. Exits 0 only if both
# refusals happened. Uses $STATEGUARD, else build/stateguard, else PATH.
# Set DEMO_KEEP=1 to keep the directory afterwards.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sg=${STATEGUARD:-}
[[ -z $sg && -x $root/build/stateguard ]] && sg=$root/build/stateguard
[[ -z $sg ]] && sg=$(command -v stateguard 2>/dev/null)
if [[ -z $sg || ! -x $sg ]]; then
	echo "demo: no stateguard binary: run ./install.sh (or make) first" >&2
	exit 2
fi
for tool in git python3; do
	command -v "$tool" >/dev/null || { echo "demo: $tool is needed (run ./install.sh)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/stateguard-demo.XXXXXX")
if [[ -n ${DEMO_KEEP:-} ]]; then
	echo "demo: keeping $work"
else
	trap 'rm -rf "$work"' EXIT
fi
# A private git setup: the demo neither reads nor changes your own configuration.
export HOME=$work/home GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"
git config --global user.name "Dana Developer"
git config --global user.email dana@example.com
git config --global init.defaultBranch main
git config --global advice.detachedHead false

bold=$'\033[1m' dim=$'\033[2m' reset=$'\033[0m'
if [[ ! -t 1 || -n ${NO_COLOR:-} || ${TERM:-} == dumb ]]; then bold= dim= reset=; fi
step() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$reset"; }
say() { printf '%s%s%s\n' "$dim" "$*" "$reset"; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$reset"; }
failures=0

step "1. A Terraform project for production"
mkdir -p "$work/infra/envs/prod" && cd "$work/infra" || exit 2
git init -q
cat > envs/prod/main.tf <<'HCL'
resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_db_instance" "orders" {
  identifier     = "orders-prod"
  engine         = "postgres"
  instance_class = "db.r6g.large"
}
HCL
git add envs/prod/main.tf
git commit -qm "Production VPC and orders database"
say "envs/prod/main.tf: a VPC and an RDS PostgreSQL database, committed."

step "2. The state that controls them, zipped as a 'backup'"
python3 - "$work/infra/infra.zip" <<'PY'
import json, sys, zipfile
acct = "123456789012"
def res(type_, name, attrs):
    return {"mode": "managed", "type": type_, "name": name,
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"schema_version": 0, "attributes": attrs}]}
state = {
    "version": 4, "terraform_version": "1.8.2", "serial": 42,
    "lineage": "b5e7c8a2-3f41-4d9e-9a61-0c2f7e4d8b13", "outputs": {},
    "resources": [
        res("aws_vpc", "main", {"id": "vpc-0a1b2c3d4e5f60718", "cidr_block": "10.40.0.0/16",
            "arn": f"arn:aws:ec2:eu-west-1:{acct}:vpc/vpc-0a1b2c3d4e5f60718"}),
        res("aws_db_instance", "orders", {"id": "db-ORDERSPROD1", "identifier": "orders-prod",
            "engine": "postgres", "username": "orders_admin", "password": "demo-not-a-real-password",
            "endpoint": "orders-prod.c9akciq32.eu-west-1.rds.amazonaws.com:5432",
            "arn": f"arn:aws:rds:eu-west-1:{acct}:db:orders-prod"}),
    ],
}
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("infra/envs/prod/terraform.tfstate", json.dumps(state, indent=2))
PY
say "infra.zip holds infra/envs/prod/terraform.tfstate: every id, the database endpoint"
say "and its master password. With this file, 'terraform destroy' deletes production."

step "3. stateguard guards the repository (client hooks)"
show "stateguard install"
"$sg" install

step "4. The commit is refused"
show "git add infra.zip && git commit -m 'Backup of the infra folder'"
git add infra.zip
if git commit -qm "Backup of the infra folder"; then
	echo "demo: UNEXPECTED: the commit was accepted" >&2
	failures=$((failures + 1))
else
	say "-> refused; infra.zip is still staged, nothing was lost:"
	git status --short
fi

step "5. A server that guards itself (pre-receive)"
git init -q --bare "$work/server.git"
show "stateguard install --server server.git"
"$sg" install --server "$work/server.git"
git remote add origin "$work/server.git"
git push -q origin HEAD:refs/heads/main 2>&1 && say "the clean history is pushed."

step "6. Someone skips the client hooks: commit and push with --no-verify"
show "git commit --no-verify -m 'Backup of the infra folder'"
git commit -q --no-verify -m "Backup of the infra folder"
show "git push --no-verify origin main"
before=$(git --git-dir="$work/server.git" rev-parse refs/heads/main)
if git push --no-verify origin HEAD:refs/heads/main; then
	echo "demo: UNEXPECTED: the server accepted the push" >&2
	failures=$((failures + 1))
fi
after=$(git --git-dir="$work/server.git" rev-parse refs/heads/main)
if [[ $before == "$after" ]]; then
	say "-> refused by the server: its main branch did not move."
else
	echo "demo: UNEXPECTED: the server's main branch moved" >&2
	failures=$((failures + 1))
fi

step "What a newcomer should take from this"
cat <<'TXT'
- stateguard found the state inside infra.zip by its content, not its name, and
  said what it is: the resources a `terraform destroy` with it would delete.
- The laptop hook refused the commit; --no-verify skips only the laptop. The
  server's pre-receive hook refused the push, and the pusher saw why as
  `remote:` lines.
- The fix is never "delete it in a new commit": rewrite the commits that hold
  it (git reset / rebase -i), keep state in a remote backend with locking, and
  rotate what the state contained (here: the database password).
TXT
if ((failures)); then
	echo "demo: $failures step(s) did not behave as described" >&2
	exit 1
fi
printf '\n%sdemo: the commit and the --no-verify push were both refused.%s\n' "$bold" "$reset"
