# Helpers for the hook scenarios (tests/e2e/hook_*.bats): real repositories,
# real bare remotes with the installed pre-receive, real pushes.
load ../lib/helpers

# A minimal Terraform v4 state that the detectors block.
state_json() {
	printf '{"version":4,"terraform_version":"1.8.2","serial":3,"lineage":"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","outputs":{},"resources":[{"mode":"managed","type":"aws_vpc","name":"main","instances":[{"attributes":{"id":"vpc-1"}}]}]}'
}

# new_repo DIR: a work repository with one clean commit and stateguard's client hooks.
new_repo() {
	git init -q "$1"
	echo "# infra" >"$1/README.md"
	git -C "$1" add README.md
	git -C "$1" commit -q -m "initial"
	sg install --repo "$1" >/dev/null
}

# new_remote BARE: a bare repository guarded by the installed pre-receive hook.
new_remote() {
	git init -q --bare "$1"
	sg install --server "$1" >/dev/null
}

# zip_with ZIP MEMBER CONTENT: writes a zip archive holding one member.
zip_with() {
	python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(sys.argv[2], sys.argv[3])' "$1" "$2" "$3"
}

# index_digest: a checksum of the index file, to prove a rejected commit left it alone.
index_digest() {
	sha256sum "$(git rev-parse --git-dir)/index" | cut -d' ' -f1
}
