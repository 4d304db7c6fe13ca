#!/usr/bin/env bats
# Big legitimate archives (issue 19): provider release zips and provider mirrors
# hold members of hundreds of MB. They pass when the streaming window rules
# every artifact out, in bounded memory, and a state inside or beside them still
# blocks. Every test here is tagged `big` (bats --filter-tags '!big' leaves them
# out); `make test` runs them. The data (~3 GB on disk) is generated once per
# file in setup_file: 700 MB of AES-CTR output behind an ELF header, zipped
# stored (a release zip of an incompressible binary is as big), and a mirror of
# three providers as tar.gz (deflate level 0: gzip -1 of random bytes would take
# most of the minute this file may use).
load ../lib/helpers
load ../lib/hostile

BIG=$((700 << 20))
PROVIDER=terraform-provider-aws_v5.31.0_x5

setup_file() {
	local d=$BATS_FILE_TMPDIR
	python3 "$SG_ROOT/tests/lib/archive_fixtures.py" state "$d/terraform.tfstate"
	{ printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000'
	  openssl enc -aes-128-ctr -nosalt -pbkdf2 -pass pass:stateguard </dev/zero 2>/dev/null |
		head -c "$BIG"; } >"$d/$PROVIDER"
	python3 - "$d" "$PROVIDER" <<'PY'
import os, shutil, sys, tarfile, zipfile
d, name = sys.argv[1], sys.argv[2]
binary, state = os.path.join(d, name), os.path.join(d, "terraform.tfstate")

def stored_zip(out, members):
    """members: (name, [paths whose bytes follow one another in the member])."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
        for mname, parts in members:
            with z.open(mname, "w", force_zip64=True) as w:
                for p in parts:
                    with open(p, "rb") as f:
                        shutil.copyfileobj(f, w, 1 << 20)

stored_zip(os.path.join(d, "provider.zip"), [(name, [binary])])
stored_zip(os.path.join(d, "state-inside.zip"), [(name, [binary, state])])
stored_zip(os.path.join(d, "state-after.zip"), [(name, [binary]), ("terraform.tfstate", [state])])

# a `terraform providers mirror` tree: three providers, 560 MiB together, the biggest over
# member_bytes; each binary is a different slice of the random bytes
mirror = [("hashicorp/aws/5.31.0", "terraform-provider-aws_v5.31.0_x5", 0, 300),
          ("hashicorp/google/5.10.0", "terraform-provider-google_v5.10.0_x5", 300, 140),
          ("hashicorp/azurerm/3.85.0", "terraform-provider-azurerm_v3.85.0_x5", 440, 120)]
with open(binary, "rb") as src, tarfile.open(os.path.join(d, "mirror.tar.gz"), "w:gz",
                                             compresslevel=0) as t:
    for dirs, exe, off, mib in mirror:
        src.seek(off << 20)
        info = tarfile.TarInfo("registry.terraform.io/%s/linux_amd64/%s" % (dirs, exe))
        info.size, info.mode, info.mtime = mib << 20, 0o755, 1700000000
        t.addfile(info, src)
PY
}

setup() { setup_tmp; }
teardown() { teardown_tmp; }

# big_scan [ARG...] FILE: scans FILE under /usr/bin/time; sets status, output and rss_mib.
big_scan() {
	local t
	t=$(is_asan && echo 480 || echo 120)
	run timeout -s KILL "$t" /usr/bin/time -f '%M' -o "$TMP/rss" "$STATEGUARD" scan "$@"
	rss_mib=$(($(tail -1 "$TMP/rss") / 1024))
	echo "peak RSS ${rss_mib} MiB" >&3
}

# bats test_tags=big
@test "a provider zip with a 700 MB binary passes in under 256 MiB of memory" {
	big_scan "$BATS_FILE_TMPDIR/provider.zip"
	assert_status 0
	assert_output_contains "no findings"
	is_asan || ((rss_mib < 256)) || { echo "peak RSS $rss_mib MiB"; false; }
}

# bats test_tags=big
@test "state appended inside the 700 MB member is blocked by the streaming window (scan-limit)" {
	big_scan --format json "$BATS_FILE_TMPDIR/state-inside.zip"
	assert_status 1
	assert_output_contains '"rule":"scan-limit","severity":"block"'
	assert_output_contains "state-inside.zip!$PROVIDER"
	assert_output_contains '"member_bytes":268435456'
	assert_output_contains "Terraform state"
	is_asan || ((rss_mib < 256)) || { echo "peak RSS $rss_mib MiB"; false; }
	# the finding pins the file's blob id, hashed in steps: the same id git computes
	assert_output_contains "\"blob\":\"$(git hash-object "$BATS_FILE_TMPDIR/state-inside.zip")\""
}

# bats test_tags=big
@test "a state as a second member after the 700 MB member is found as tf-state" {
	big_scan "$BATS_FILE_TMPDIR/state-after.zip"
	assert_status 1
	assert_output_contains "BLOCK   tf-state  "
	assert_output_contains "state-after.zip!terraform.tfstate"
	assert_output_not_contains "state-after.zip!$PROVIDER"
}

# bats test_tags=big
@test "a three-provider mirror (560 MiB, its biggest binary over member_bytes) in a tar.gz passes" {
	big_scan "$BATS_FILE_TMPDIR/mirror.tar.gz"
	assert_status 0
	assert_output_contains "no findings"
	is_asan || ((rss_mib < 256)) || { echo "peak RSS $rss_mib MiB"; false; }
}
