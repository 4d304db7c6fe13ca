#!/usr/bin/env python3
"""make_seeds.py OUTDIR: writes small seed corpora for every fuzz target.

Everything is generated here (python3 stdlib only): states, plans, HCL, configs,
and the archive formats unpack/ reads (zip, tar, gzip, xz, bzip2, zstd; 7z, RAR 4/5, cpio,
ar by tests/lib/archive_fixtures.py's writers; lz4, lzip, .Z and ISO 9660 by the tools
install.sh installs, skipped when missing). Layout:
OUTDIR/<target>/<name>. Inputs of fuzz_pipeline and fuzz_detect start with one
selector byte choosing the display path (fuzz/fuzz_common.h); those of fuzz_prefilter
with the byte that says where to cut the input in two chunks.
"""
import bz2
import gzip
import hashlib
import io
import json
import lzma
import os
import shutil
import subprocess
import struct
import sys
import tarfile
import warnings
import zipfile

# Must match fuzz_paths[] in fuzz_common.h.
PATHS = ["blob", "terraform.tfstate", "terraform.tfstate.backup", ".terraform/terraform.tfstate",
         "plan.json", "tfplan", "main.tf", "prod.auto.tfvars", "terraform.tfvars.json",
         ".terraform.lock.hcl", "Pulumi.prod.yaml", ".pulumi/stacks/dev.json", "credentials",
         "state.zip", "backup.tar.gz", "env/.env"]
LINEAGE = "6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"


def sel(name):
    return bytes([PATHS.index(name)])


def state_v4(n=1):
    res = [{"mode": "managed", "type": "aws_db_instance", "name": "db%d" % i,
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"schema_version": 1, "attributes": {
                "id": "db-%d" % i, "password": "hunter2-not-real",
                "endpoint": "orders.abc123.eu-west-1.rds.amazonaws.com"},
                "sensitive_attributes": []}]} for i in range(n)]
    return json.dumps({"version": 4, "terraform_version": "1.8.2", "serial": 3,
                       "lineage": LINEAGE, "outputs": {"ip": {"value": "10.0.0.1", "type": "string"}},
                       "resources": res, "check_results": None}, indent=2).encode()


def state_v3():
    return json.dumps({"version": 3, "terraform_version": "0.11.14", "serial": 1, "lineage": LINEAGE,
                       "modules": [{"path": ["root"], "outputs": {}, "resources": {
                           "aws_s3_bucket.b": {"type": "aws_s3_bucket", "primary": {
                               "id": "acme-prod-tfstate", "attributes": {"id": "acme-prod-tfstate"}}}},
                           "depends_on": []}]}).encode()


def backend_cache():
    return json.dumps({"version": 3, "serial": 1, "lineage": LINEAGE, "backend": {
        "type": "s3", "config": {"bucket": "acme-prod-tfstate", "key": "prod/terraform.tfstate",
                                 "region": "eu-west-1", "access_key": "AKIAIOSFODNN7EXAMPLE"},
        "hash": 12345}, "modules": [{"path": ["root"], "outputs": {}, "resources": {}}]}).encode()


def plan_json():
    return json.dumps({"format_version": "1.2", "terraform_version": "1.8.2",
                       "planned_values": {"root_module": {"resources": []}},
                       "resource_changes": [{"address": "aws_s3_bucket.b", "type": "aws_s3_bucket",
                                             "change": {"actions": ["create"], "before": None,
                                                        "after": {"bucket": "acme-prod-tfstate"}}}],
                       "prior_state": json.loads(state_v4()), "configuration": {}}).encode()


def pulumi_checkpoint():
    return json.dumps({"version": 3, "checkpoint": {"stack": "organization/app/prod", "latest": {
        "manifest": {"time": "2024-01-01T00:00:00Z", "magic": "abc", "version": "v3.100.0"},
        "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:abc"}},
        "resources": [{"urn": "urn:pulumi:prod::app::pulumi:pulumi:Stack::app-prod",
                       "custom": False, "type": "pulumi:pulumi:Stack"}]}}}).encode()


def opentofu_encrypted():
    return json.dumps({"serial": 1, "lineage": LINEAGE, "meta": {"key_provider.pbkdf2.k": "eyJ"},
                       "encrypted_data": "AAAA", "encryption_version": "v0"}).encode()


HCL = {
    "main.tf": b'''terraform {
  backend "s3" {
    bucket = "acme-prod-tfstate"
    key    = "prod/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-${var.env}-data"
  tags = { Name = "x", "a b" = <<EOT
heredoc "text" with ${interp}
EOT
  }
}
# comment
// another
/* block
comment */
''',
    "prod.auto.tfvars": b'db_password = "correct-horse-battery"\ntoken = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"\n',
    ".terraform.lock.hcl": b'''provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.31.0"
  constraints = "~> 5.0"
  hashes = [
    "h1:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=",
    "zh:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  ]
}
''',
    "env/.env": b'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\nexport X=1\n',
    "credentials": b'[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
    "Pulumi.prod.yaml": b'config:\n  aws:region: eu-west-1\n  app:dbPassword:\n    secure: v1:abc:def\n',
    "pem": b'-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n',
}


def zip_bytes(members, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in members:
            z.writestr(name, data)
    return b.getvalue()


def tar_bytes(members, mode="w", fmt=tarfile.USTAR_FORMAT):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode=mode, format=fmt) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 1700000000
            t.addfile(ti, io.BytesIO(data))
    return b.getvalue()


def zstd_raw(data):
    """A zstd frame holding `data` (< 128 KiB) in one raw block (RFC 8878)."""
    assert len(data) < 1 << 17
    if len(data) < 256:
        hdr = bytes([0x20, len(data)])        # single segment, 1-byte content size
    else:
        hdr = bytes([0xa0]) + len(data).to_bytes(4, "little")  # 4-byte content size
    block = ((len(data) << 3) | 1).to_bytes(3, "little")  # last block, raw
    return b"\x28\xb5\x2f\xfd" + hdr + block + data


def tool_output(cmd, data):
    """stdout of a packing tool fed `data`, or None when the tool is missing."""
    if not shutil.which(cmd[0]):
        return None
    return subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout


def cpio_newc(name, data, mode=0o100644):
    name = name.encode() + b"\0"
    fields = [1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields) + name
    return head + b"\0" * (-len(head) % 4) + data + b"\0" * (-len(data) % 4)


def cpio_odc(name, data):
    name = name.encode() + b"\0"
    return (b"070707" + b"%06o" % 0 + b"%06o" % 1 + b"%06o" % 0o100644 + b"%06o%06o%06o%06o" % (0, 0, 1, 0)
            + b"%011o" % 0 + b"%06o" % len(name) + b"%011o" % len(data) + name + data)


def cpio_bin(name, data):
    name = name.encode() + b"\0"
    h = struct.pack("<13H", 0o070707, 0, 1, 0o100644, 0, 0, 1, 0, 0, 0, len(name), len(data) >> 16,
                    len(data) & 0xFFFF)
    return h + name + b"\0" * (len(name) % 2) + data + b"\0" * (len(data) % 2)


def ar_bytes(members):
    out = b"!<arch>\n"
    for name, data in members:
        out += b"%-16s%-12d%-6d%-6d%-8o%-10d`\n" % (name.encode() + b"/", 0, 0, 0, 0o100644, len(data))
        out += data + b"\n" * (len(data) % 2)
    return out


def libarchive_formats(st):
    """Seeds for the formats read through libarchive (unpack/libarchive.c)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
    import archive_fixtures as af
    tar = tar_bytes([("envs/prod/terraform.tfstate", st)])
    out = {
        "7z_copy": af.sevenzip_bytes(st, af.SZ_COPY, b"", [("terraform.tfstate", len(st))]),
        "7z_lzma2_two": af.sevenzip_bytes(af.lzma2_raw(st + b"notes\n"), af.SZ_LZMA2, b"\x10",
                                          [("terraform.tfstate", len(st)), ("notes.txt", 6)]),
        "7z_lzma": af.sevenzip_bytes(lzma.compress(st, format=lzma.FORMAT_RAW,
                                                   filters=[{"id": lzma.FILTER_LZMA1}]),
                                     af.SZ_LZMA, b"\x5d\x00\x00\x10\x00",
                                     [("terraform.tfstate", len(st))]),
        "rar4": af.rar4_bytes([("envs/prod/terraform.tfstate", st), ("notes.txt", b"hi\n")]),
        "rar5": af.rar5_bytes([("envs/prod/terraform.tfstate", st), ("notes.txt", b"hi\n")]),
        "rar5_encrypted": af.rar5_bytes([("terraform.tfstate", st)], encrypted=True),
        "rar5_encrypted_names": af.rar5_bytes([("x", b"")], encrypted_headers=True),
        "rar4_encrypted": af.rar4_bytes([("terraform.tfstate", st)], encrypted=True),
        "cpio_newc": cpio_newc("envs/prod/terraform.tfstate", st) + cpio_newc("TRAILER!!!", b"", 0),
        "cpio_odc": cpio_odc("terraform.tfstate", st) + cpio_odc("TRAILER!!!", b""),
        "cpio_bin": cpio_bin("terraform.tfstate", st) + cpio_bin("TRAILER!!!", b""),
        "ar": ar_bytes([("prod.tfstate", st), ("notes.txt", b"hi\n")]),
    }
    for name, cmd, data in [("lz4_tar", ["lz4", "-q", "-c"], tar), ("lz4_state", ["lz4", "-q", "-c"], st),
                            ("lzip_state", ["lzip", "-c"], st), ("compress_tar", ["compress", "-c"], tar)]:
        try:
            got = tool_output(cmd, data)
        except subprocess.CalledProcessError:
            got = None
        if got:
            out[name] = got
    if shutil.which("genisoimage"):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "terraform.tfstate"), "wb") as f:
                f.write(st)
            iso = subprocess.run(["genisoimage", "-quiet", "-input-charset", "utf-8", "-R", "-J", "-no-pad", "-o", "-", d],
                                 stdout=subprocess.PIPE, check=True).stdout
            if len(iso) <= 65536:  # fuzz/run.sh -max_len
                out["iso9660"] = iso
    return out


def archives():
    st = state_v4()
    plan = zip_bytes([("tfplan", b"\x00binary-plan"), ("tfstate", st), ("tfstate-prev", st),
                      ("tfconfig/m-/main.tf", HCL["main.tf"])])
    inner = zip_bytes([("envs/prod/terraform.tfstate", st)])
    dup = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(dup, "w") as z:
        warnings.simplefilter("ignore")  # "Duplicate name": exactly what this seed is for
        z.writestr("README.md", b"clean\n")
        z.writestr("README.md", st)
    out = {
        "zip_state": zip_bytes([("terraform.tfstate", st), ("docs/readme.txt", b"hello\n")]),
        "zip_stored": zip_bytes([("a.json", st)], zipfile.ZIP_STORED),
        "zip_bzip2": zip_bytes([("a.json", st)], zipfile.ZIP_BZIP2),
        "zip_plan": plan,
        "zip_nested": zip_bytes([("inner.zip", inner)]),
        "zip_dup": dup.getvalue(),
        "zip_prefixed": b"#!/bin/sh\necho self-extracting\nexit 0\n" + zip_bytes([("x.tfstate", st)]),
        "zip_empty": zip_bytes([]),
        "zip_truncated": zip_bytes([("terraform.tfstate", st)])[:-30],
        "tar_ustar": tar_bytes([("envs/prod/terraform.tfstate", st), ("ok.txt", b"ok\n")]),
        "tar_gnu_long": tar_bytes([("d/" * 60 + "terraform.tfstate", st)], fmt=tarfile.GNU_FORMAT),
        "tar_pax": tar_bytes([("p/" * 70 + "x.tfstate", st)], fmt=tarfile.PAX_FORMAT),
        "tar_gz": tar_bytes([("infra/terraform.tfstate", st)], mode="w:gz"),
        "gz_state": gzip.compress(st, mtime=0),
        "gz_multi": gzip.compress(b"part one\n", mtime=0) + gzip.compress(st, mtime=0),
        "xz_state": lzma.compress(st),
        "lzma_alone": lzma.compress(st, format=lzma.FORMAT_ALONE),
        "bz2_state": bz2.compress(st),
        "zst_state": zstd_raw(st),
        "tar_xz_zip": lzma.compress(tar_bytes([("bundle/infra.zip", inner)])),
        "gz_bomb_small": gzip.compress(b"\0" * (2 << 20), mtime=0),
    }
    out.update(libarchive_formats(st))
    return out


def texts():
    return {
        "state_v4": ("terraform.tfstate", state_v4(2)),
        "state_v4_noname": ("blob", state_v4()),
        "state_v3": ("terraform.tfstate.backup", state_v3()),
        "backend_cache": (".terraform/terraform.tfstate", backend_cache()),
        "plan_json": ("plan.json", plan_json()),
        "pulumi": (".pulumi/stacks/dev.json", pulumi_checkpoint()),
        "tofu_encrypted": ("terraform.tfstate", opentofu_encrypted()),
        "tfvars_json": ("terraform.tfvars.json", b'{"db_password": "s3cr3t-value", "region": "eu-west-1"}'),
        "escaped_keys": ("blob", b'{"version":4,"\\u006cineage":"' + LINEAGE.encode() +
                         b'","resources":[],"terraform_version":"1.0.0"}'),
        "tfvars_hcl": ("prod.auto.tfvars", b'region = "eu-west-1"\ndb = {\n  password = "s3cr3t-value"\n  "api_key" = "k-123456"\n}\ntoken = "CHANGE_ME"\n'),
        "tfvars_json_nested": ("terraform.tfvars.json", b'{"db": {"users": [{"password": "p4ss-w0rd"}]}, "sas": "sv=2020"}'),
        "output_json": ("blob", b'{"db_password": {"sensitive": true, "type": "string", "value": "x"}, '
                        b'"ids": {"sensitive": false, "type": ["list", "string"], "value": ["a"]}}'),
        "tf_log": ("blob", b'2024-01-02T03:04:05.678Z [INFO]  Terraform version: 1.11.4\n'
                   b'2024-01-02T03:04:05.678Z [INFO]  CLI args: []string{"terraform", "apply", "-var", '
                   b'"db_password=x", "-backend-config=access_key=y", "-var=\\"q"}\n'
                   b'2024-01-02T03:04:05.679Z [TRACE] statemgr.Filesystem: reading\n'
                   b'2024-01-02T03:04:05.679Z [TRACE] backend/local: starting\n'),
        "tf_crash": ("blob", b'!!!!!!!! TERRAFORM CRASH !!!!!!!!\npanic: x\ngoroutine 1 [running]:\n'),
        "json_deep": ("blob", b"[" * 40 + b"]" * 40),
        "json_bad": ("blob", b'{"version":4,"lineage":"x","resources":[1,2,'),
    }


def configs():
    return {
        "empty": b"{}",
        "full": json.dumps({
            "environments": {
                "production": {"paths": ["envs/prod/**"],
                               "identifiers": ["418273950164", "acme-prod-tfstate",
                                               "orders.abc123.eu-west-1.rds.amazonaws.com"],
                               "fingerprints": ["sha256:" + "ab" * 32]},
                "staging": {"paths": ["envs/staging/**"], "identifiers": ["acme-staging-tfstate"]}},
            "rules": {"tf-local-backend": "block", "tf-state-encrypted": "warn", "aws-arn": "off"},
            "allow": [{"path": "test/fixtures/**", "rules": ["tf-state"], "reason": "synthetic",
                       "expires": "2027-06-30"},
                      {"blob": "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", "reason": "empty",
                       "owner": "platform-team"}],
            "limits": {"archive_depth": 5, "archive_bytes": 536870912, "member_bytes": 1048576}},
            indent=2).encode(),
        "globs": json.dumps({"allow": [{"path": p, "reason": "r"} for p in
                                       ["**", "a/**/b", "*.tfstate", "[a-z]?/x", "{a,b}", "\\*", "a/[!b]"]]}).encode(),
        "bad_type": b'{"rules": {"tf-state": 3}}',
        "unknown_key": b'{"rulez": {}}',
        "bad_date": b'{"allow": [{"path": "x", "reason": "r", "expires": "2027-13-45"}]}',
    }


def write(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    arch = archives()
    txt = texts()
    for name, data in arch.items():
        write(os.path.join(out, "fuzz_unpack"), name, data)
        write(os.path.join(out, "fuzz_pipeline"), name, sel("blob") + data)
    write(os.path.join(out, "fuzz_pipeline"), "tfplan_named", sel("tfplan") + arch["zip_plan"])
    for name, (path, data) in txt.items():
        write(os.path.join(out, "fuzz_detect"), name, sel(path) + data)
        write(os.path.join(out, "fuzz_pipeline"), name, sel(path) + data)
    for name, data in HCL.items():
        path = name if name in PATHS else "blob"
        write(os.path.join(out, "fuzz_detect"), "hcl_" + name.replace("/", "_"), sel(path) + data)
        write(os.path.join(out, "fuzz_hcl"), name.replace("/", "_"), data)
    write(os.path.join(out, "fuzz_hcl"), "unterminated", b'resource "x" "y" {\n  a = "open string\n  b = <<EOT\n')
    write(os.path.join(out, "fuzz_hcl"), "crlf", HCL["main.tf"].replace(b"\n", b"\r\n"))
    for name, data in configs().items():
        write(os.path.join(out, "fuzz_config"), name, data)
    # fuzz_prefilter: the first byte is where the input is cut in two chunks
    for i, (name, (path, data)) in enumerate(sorted(txt.items())):
        write(os.path.join(out, "fuzz_prefilter"), name, bytes([(i * 37) % 256]) + data)
    for i, (name, data) in enumerate(sorted(HCL.items())):
        write(os.path.join(out, "fuzz_prefilter"), "hcl_" + name.replace("/", "_"),
              bytes([(i * 53) % 256]) + data)
    for name, data in packs().items():
        write(os.path.join(out, "fuzz_packread"), name, data)
    for name, data in lfs_pointers().items():
        write(os.path.join(out, "fuzz_lfs"), name, data)
    for name, data in encodings().items():
        write(os.path.join(out, "fuzz_encodings"), name, data)


def lfs_pointers():
    """fuzz_lfs inputs: the canonical pointer and the variants git-lfs also smudges."""
    oid = hashlib.sha256(b"hello\n").hexdigest()
    v1 = b"version https://git-lfs.github.com/spec/v1\n"
    canon = v1 + b"oid sha256:" + oid.encode() + b"\nsize 6\n"
    ext = (v1 + b"ext-0-foo sha256:" + oid.encode() + b"\next-1-bar sha256:" + oid.encode() +
           b"\noid sha256:" + oid.encode() + b"\nsize 6\n")
    return {
        "canonical": canon,
        "crlf": canon.replace(b"\n", b"\r\n"),
        "padded": b" \n\t" + canon + b" " * 1200,
        "nbsp": "\u00a0".encode() + canon + "\u3000".encode(),
        "hawser": canon.replace(b"git-lfs.github.com", b"hawser.github.com"),
        "ext": ext,
        "no_size": v1 + b"oid sha256:" + oid.encode() + b"\n",
    }


def encodings():
    """fuzz_encodings inputs: [layer: 0 utf16, 1 base64, 2 escaped, 3 pipeline] then text."""
    import base64
    st = state_v4()
    esc = st.decode().replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
    return {
        "utf16le_bom": b"\0" + b"\xff\xfe" + st.decode().encode("utf-16le"),
        "utf16be_nobom": b"\0" + st.decode().encode("utf-16be"),
        "utf32le_bom": b"\0" + b"\xff\xfe\0\0" + st.decode().encode("utf-32le"),
        "utf16_lone": b"\0" + b"\xff\xfe" + b"\x00\xd8A\x00\x00\xdc\x01",
        "b64_gzip": b"\1" + b"data:\n  tfstate: " + base64.b64encode(gzip.compress(st, mtime=0)) + b"\n",
        "b64_wrapped": b"\1" + b"key: |\n" + b"".join(b"  " + l + b"\n" for l in
                                                     base64.encodebytes(st).splitlines()),
        "b64_json_escaped_nl": b"\1" + b'{"v": "' + base64.encodebytes(st).replace(b"\n", b"\\n") + b'"}',
        "b64_nested": b"\1" + base64.b64encode(base64.b64encode(base64.b64encode(st))),
        "b64_keyed": b"\1" + b"AWS_SECRET_ACCESS_KEY: " + base64.b64encode(b"hzlW4fT0vQ2kP9mXc8R1nB7sJ3yL6aE5dG0uK2iO") + b"\n",
        "escaped_json": b"\2" + b'{"stdout": "' + esc.encode() + b'"}',
        "escaped_copy": b"\3" + b"COPY s (id, data) FROM stdin;\n1\t" +
                        st.replace(b"\\", b"\\\\").replace(b"\n", b"\\n") + b"\n\\.\n",
        "escaped_octal": b"\2" + b'x = "{\\n \\"lineage\\": \\101\\x41\\u00e9\\ud83d\\ude00\\U0001F600"',
    }


def packs():
    """fuzz_packread inputs: [cache][cap] then entries [type][base][flags][len][bytes]
    (flags 8 = honest size, zlib)."""
    def entry(t, base, payload, flags=8):
        return bytes([t, base, flags, len(payload)]) + payload
    blob = b'{"version": 4, "serial": 1, "lineage": "x", "resources": []}\n'
    n = len(blob)
    # copy 8 bytes from 1, insert 3; then copy the whole result again
    delta = bytes([n, 11, 0x91, 1, 8, 3]) + b"abc"
    again = bytes([11, 11, 0x90, 11])
    return {
        "whole": b"\x02\x00" + entry(3, 0, blob) + entry(2, 0, b"100644 a\0" + b"\x11" * 20),
        "ofs_chain": b"\x02\x00" + entry(3, 0, blob) + entry(6, 0, delta) + entry(6, 1, again),
        "ref_chain": b"\x01\x03" + entry(3, 0, blob) + entry(7, 0, delta) + entry(7, 1, again),
        "cycle": b"\x00\x00" + entry(7, 1, again) + entry(7, 0, again),
        "lying": b"\x03\x02" + entry(3, 0, blob, 9) + entry(6, 0, delta, 1),
    }


if __name__ == "__main__":
    main()
