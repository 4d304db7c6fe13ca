#!/usr/bin/env python3
"""hostile.py KIND OUT: writes one hostile input for the tests/e2e/hostile_*.bats suites.

Everything is generated here with the python3 stdlib, small on disk and cheap
to build (compressed data is made once and reused), and enormous, deep,
lying or truncated once opened. Run without arguments to list the kinds.
"""
import base64
import bz2
import gzip
import io
import json
import lzma
import struct
import sys
import tarfile
import zipfile
import zlib

from archive_fixtures import (SZ_COPY, SZ_LZMA, SZ_LZMA2, lzma2_raw, lzma2_zeros_unit,  # siblings
                              rar5_bytes, sevenzip_bytes, tar_header)

LINEAGE = "6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
MiB = 1 << 20


def state(n=1, extra=None):
    res = [{"mode": "managed", "type": "aws_instance", "name": "web%d" % i,
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"schema_version": 1, "attributes": {"id": "i-%08x" % i}}]}
           for i in range(n)]
    if extra is not None:
        res[0]["instances"][0]["attributes"]["extra"] = extra
    return json.dumps({"version": 4, "terraform_version": "1.8.2", "serial": 3, "lineage": LINEAGE,
                       "outputs": {}, "resources": res}).encode()


def state_raw_deep(depth):
    """A v4 state whose one attribute nests `depth` arrays deep (built as text)."""
    head = ('{"version":4,"terraform_version":"1.8.2","serial":3,"lineage":"%s","outputs":{},'
            '"resources":[{"mode":"managed","type":"aws_instance","name":"web","instances":'
            '[{"attributes":{"id":"i-1","deep":' % LINEAGE).encode()
    return head + b"[" * depth + b"]" * depth + b"}}]}]}"


def deflate_raw(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zeros_deflated(size):
    """Raw deflate of `size` zero bytes, built from a 1 MiB chunk compressed once."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * MiB
    out = [c.compress(chunk) for _ in range(size // MiB)]
    out.append(c.flush())
    return b"".join(out)


class Member:
    def __init__(self, name, payload, usize, crc, method=8, lie_usize=None, lie_csize=None):
        self.name = name.encode() if isinstance(name, str) else name
        self.payload, self.usize, self.crc, self.method = payload, usize, crc, method
        self.lie_usize, self.lie_csize = lie_usize, lie_csize


def member(name, data, method=8, **kw):
    payload = deflate_raw(data) if method == 8 else data
    return Member(name, payload, len(data), zlib.crc32(data), method, **kw)


def zip_raw(members, prefix=b"", share_local=False):
    """A zip by hand: local headers, data, central directory, EOCD. With
    share_local, every central entry points at the first local header."""
    out = bytearray(prefix)
    offsets = []
    for i, m in enumerate(members):
        if share_local and i > 0:
            offsets.append(offsets[0])
            continue
        offsets.append(len(out))
        usize = m.usize if m.lie_usize is None else m.lie_usize
        csize = len(m.payload) if m.lie_csize is None else m.lie_csize
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, m.method, 0, 0x21, m.crc,
                           csize & 0xFFFFFFFF, usize & 0xFFFFFFFF, len(m.name), 0)
        out += m.name + m.payload
    cd = len(out)
    for m, off in zip(members, offsets):
        usize = m.usize if m.lie_usize is None else m.lie_usize
        csize = len(m.payload) if m.lie_csize is None else m.lie_csize
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, m.method, 0, 0x21, m.crc,
                           csize & 0xFFFFFFFF, usize & 0xFFFFFFFF, len(m.name), 0, 0, 0, 0, 0, off)
        out += m.name
    n = len(members)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(out) - cd, cd, 0)
    return bytes(out)


def zip_lib(files, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in files:
            z.writestr(name, data)
    return b.getvalue()


def tar_lib(files, mode="w"):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode=mode, format=tarfile.USTAR_FORMAT) as t:
        for name, data in files:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime = len(data), 1700000000
            t.addfile(ti, io.BytesIO(data))
    return b.getvalue()


# --- the kinds -------------------------------------------------------------

def k_zip_bomb_flat():
    """40 members of 64 MiB of zeros each: 2.5 GiB from ~2.6 MB."""
    payload = zeros_deflated(64 * MiB)
    crc = zlib.crc32(b"\0" * (64 * MiB))
    return zip_raw([Member("zeros%02d.bin" % i, payload, 64 * MiB, crc) for i in range(40)])


def k_zip_bomb_overlap():
    """1000 central entries sharing one 64 MiB local entry (overlapping files)."""
    payload = zeros_deflated(64 * MiB)
    crc = zlib.crc32(b"\0" * (64 * MiB))
    return zip_raw([Member("zeros.bin", payload, 64 * MiB, crc) for _ in range(1000)],
                   share_local=True)


def k_zip_bomb_nested():
    """Zips of 10 zips, 4 levels, 64 MiB of zeros at the bottom: 640 GiB once opened."""
    payload = zeros_deflated(64 * MiB)
    crc = zlib.crc32(b"\0" * (64 * MiB))
    level = zip_raw([Member("zeros.bin", payload, 64 * MiB, crc)])
    for depth in range(4):
        level = zip_lib([("layer%d-%d.zip" % (depth, i), level) for i in range(10)])
    return level


def k_zip_bomb_state_after():
    """A flat bomb whose last member is a state: the budget may stop the scan, never pass it."""
    payload = zeros_deflated(64 * MiB)
    crc = zlib.crc32(b"\0" * (64 * MiB))
    ms = [Member("zeros%02d.bin" % i, payload, 64 * MiB, crc) for i in range(20)]
    return zip_raw(ms + [member("envs/prod/terraform.tfstate", state())])


def k_gzip_bomb():
    """64 concatenated gzip members of 64 MiB of zeros each: 4 GiB."""
    m = gzip.compress(b"\0" * (64 * MiB), compresslevel=9, mtime=0)
    return m * 64


def k_gzip_bomb_nested():
    """gzip of gzip of 1 GiB of zeros."""
    inner = gzip.compress(b"\0" * (16 * MiB), compresslevel=9, mtime=0) * 64
    return gzip.compress(inner, compresslevel=9, mtime=0)


def k_zip_truncated():
    z = zip_lib([("terraform.tfstate", state(50))])
    return z[: len(z) * 2 // 3]


def k_zip_no_eocd():
    z = zip_lib([("terraform.tfstate", state(50))])
    return z[:-22]


def k_tgz_truncated():
    t = tar_lib([("infra/terraform.tfstate", state(200))], mode="w:gz")
    return t[: len(t) // 2]


def k_xz_truncated():
    x = lzma.compress(state(200))
    return x[: len(x) // 2]


def k_bz2_truncated():
    b = bz2.compress(state(200))
    return b[: len(b) // 2]


def k_gzip_bad_crc():
    g = bytearray(gzip.compress(state(), mtime=0))
    g[-8] ^= 0xFF
    return bytes(g)


def k_zip_bad_crc():
    st = state()
    return zip_raw([Member("terraform.tfstate", deflate_raw(st), len(st), zlib.crc32(st) ^ 1)])


def k_zip_lying_small():
    """Declares 100 bytes, inflates to 10 MiB of zeros then a state."""
    data = b"\0" * (10 * MiB) + state()
    return zip_raw([member("terraform.tfstate", data, lie_usize=100)])


def k_zip_lying_huge():
    """Declares 4 GiB - 1 for a small state member."""
    return zip_raw([member("terraform.tfstate", state(), lie_usize=0xFFFFFFFF)])


def k_zip_lying_csize():
    """Compressed size pointing past the end of the file."""
    return zip_raw([member("terraform.tfstate", state(), lie_csize=0x7FFFFFF0)])


def k_zip_dup_hides_state():
    """Two entries named README.md: the first clean, the second a state."""
    return zip_raw([member("README.md", b"# clean\n"), member("README.md", state())])


def k_zip_sfx_prefix():
    """A state zip behind a shell-script prefix (self-extracting style)."""
    script = b"#!/bin/sh\n# self-extracting installer\nexec unzip -o \"$0\"\nexit 0\n" + b"#" * 4000 + b"\n"
    return zip_raw([member("envs/prod/terraform.tfstate", state())], prefix=script)


def k_tar_huge_size():
    """ustar header declaring 8 GiB (octal) followed by one block."""
    return tar_header(b"terraform.tfstate", b"77777777777\0") + state().ljust(512, b"\0") + b"\0" * 1024


def k_tar_base256_negative():
    """GNU base-256 size field with the sign bit set (a negative size)."""
    return tar_header(b"terraform.tfstate", b"\xff" * 12) + state().ljust(512, b"\0") + b"\0" * 1024


def k_tar_base256_huge():
    return tar_header(b"terraform.tfstate", b"\x80" + b"\xff" * 11) + b"\0" * 1536


def k_tar_size_past_end_state_before():
    """A real state member, then a member whose size runs past the end."""
    t = tar_lib([("envs/prod/terraform.tfstate", state())])
    return t[:-1024] + tar_header(b"x.bin", b"00000777777\0") + b"A" * 512


def k_tar_pax_size_lie():
    """A pax header overriding the next member's size with something absurd."""
    rec = b" size=99999999999999999999\n"
    rec = b"%d%s" % (len(rec) + 2, rec)
    pax = tar_header(b"PaxHeaders/x", b"%011o\0" % len(rec), b"x") + rec.ljust(512, b"\0")
    return pax + tar_header(b"terraform.tfstate", b"%011o\0" % len(state()), b"0") + \
        state().ljust(((len(state()) + 511) // 512) * 512, b"\0") + b"\0" * 1024


def k_json_deep():
    """200,000 nested arrays carrying the state keys."""
    d = 200000
    return (b'{"version":4,"lineage":"%s","resources":' % LINEAGE.encode()) + b"[" * d + b"]" * d + b"}"


def k_json_deep_unclosed():
    return b'{"lineage":"x","a":' + b'{"a":' * 200000


def k_state_deep_attr():
    """A real v4 state with one attribute nested 200,000 deep: not parseable by
    cJSON (nesting limit 1000), still a state."""
    return state_raw_deep(200000)


def k_state_200k():
    """A state with 200,000 resources (~35 MB)."""
    parts = [('{"version":4,"terraform_version":"1.8.2","serial":3,"lineage":"%s","outputs":{},'
              '"resources":[' % LINEAGE).encode()]
    one = ('{"mode":"managed","type":"aws_instance","name":"web%d","provider":"provider[\\"registry.'
           'terraform.io/hashicorp/aws\\"]","instances":[{"schema_version":1,"attributes":{"id":"i-%08x"}}]}')
    parts.append(",".join(one % (i, i) for i in range(200000)).encode())
    parts.append(b"]}")
    return b"".join(parts)


def k_state_nul_padded():
    """A state followed by NUL bytes (looks binary to a NUL sniffer)."""
    return state() + b"\0" * 16384


def k_state_nul_prefix():
    return b"\0" * 64 + state()


def k_state_nul_inside():
    """NUL bytes in a string value of a state."""
    return state().replace(b'"i-00000000"', b'"i-\x00\x00\x00"')


def k_state_invalid_utf8():
    return state().replace(b'"i-00000000"', b'"\xff\xfe\xc3\x28\xed\xa0\x80"')


def k_state_utf8_bom():
    return b"\xef\xbb\xbf" + state()


def k_empty():
    return b""


def k_empty_zip():
    return zip_raw([])


def k_empty_gzip():
    return gzip.compress(b"", mtime=0)


def k_empty_tar():
    return b"\0" * 1024


def k_empty_member_zip():
    return zip_raw([member("terraform.tfstate", b"")])


def k_state():
    return state()


def k_state_zip():
    return zip_lib([("envs/prod/terraform.tfstate", state())])


def k_many_members_zip():
    """65,535 tiny stored members (the most a plain zip holds)."""
    ms = [Member("f%06d" % i, b"", 0, 0, method=0) for i in range(65535)]
    return zip_raw(ms)


def k_7z_bomb():
    """32 members of 128 MiB of zeros in one LZMA2 folder (4 GiB from ~700 KB), then a state."""
    unit, st = lzma2_zeros_unit(2), state()
    packed = unit * 2048 + lzma2_raw(st)
    files = [("zeros%02d.bin" % i, 128 * MiB) for i in range(32)]
    return sevenzip_bytes(packed, SZ_LZMA2, b"\x10", files + [("envs/prod/terraform.tfstate", len(st))])


def k_7z_bomb_one():
    """One member declaring the 4 GiB of zeros it really holds."""
    return sevenzip_bytes(lzma2_zeros_unit(2) * 2048 + b"\0", SZ_LZMA2, b"\x10",
                          [("zeros.bin", 4 << 30)])


def k_7z_lying_size():
    """A stored state whose header declares 1 MiB more than its pack stream holds."""
    st = state()
    return sevenzip_bytes(st, SZ_COPY, b"", [("terraform.tfstate", len(st) + MiB)])


def k_7z_lying_pack():
    """A pack stream declared 1 TiB long in a 1 KB file."""
    st = state()
    return sevenzip_bytes(st, SZ_COPY, b"", [("terraform.tfstate", len(st))], pack_size=1 << 40)


def k_7z_lying_files():
    """Four billion files declared for one stream."""
    st = state()
    return sevenzip_bytes(st, SZ_COPY, b"", [("terraform.tfstate", len(st))], num_files=1 << 32)


def k_7z_huge_dict():
    """An LZMA coder whose properties ask for a 4 GiB dictionary, for a 300-byte state."""
    import lzma
    st = state()
    raw = lzma.compress(st, format=lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_LZMA1}])
    return sevenzip_bytes(raw, SZ_LZMA, b"\x5d" + b"\xff" * 4, [("terraform.tfstate", len(st))])


def cpio_newc(name, data, namesize=None, filesize=None):
    name = name.encode() + b"\0"
    fields = [1, 0o100644, 0, 0, 1, 1700000000, len(data) if filesize is None else filesize,
              0, 0, 0, 0, len(name) if namesize is None else namesize, 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields) + name
    pad = lambda n: b"\0" * (-n % 4)
    return head + pad(len(head)) + data + pad(len(data))


def k_cpio_huge_name():
    """A newc header whose name size is 4 GiB - 1."""
    return cpio_newc("terraform.tfstate", state(), namesize=0xFFFFFFFF) + \
        cpio_newc("TRAILER!!!", b"")


def k_cpio_huge_size():
    """A newc header declaring a 4 GiB - 1 file, in front of a 300-byte state."""
    return cpio_newc("terraform.tfstate", state(), filesize=0xFFFFFFFF) + \
        cpio_newc("TRAILER!!!", b"")


def k_cpio_many():
    """200,000 empty members (over archive_members)."""
    return b"".join(cpio_newc("f%06d" % i, b"") for i in range(200000)) + cpio_newc("TRAILER!!!", b"")


def k_cpio_traversal():
    """A state named ../../../../tmp/sg-escape/terraform.tfstate, and a symlink to /etc."""
    link = cpio_newc("etc-link", b"/etc")
    link = link[:14] + b"%08X" % 0o120777 + link[22:]
    return cpio_newc("../../../../tmp/sg-escape/terraform.tfstate", state()) + link + \
        cpio_newc("TRAILER!!!", b"")


def k_rar5_truncated():
    r = rar5_bytes([("envs/prod/terraform.tfstate", state(50))])
    return r[: len(r) * 2 // 3]


# --- encodings (unpack/utf16.c, base64.c, escaped.c) -----------------------------------

def k_b64_gzip_bomb():
    """base64 (76 columns) of a gzip of 4 GiB of zeros: 5.6 MB of text."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * MiB
    gz = b"".join([c.compress(chunk) for _ in range(4096)] + [c.flush()])
    return base64.encodebytes(gz)


def k_b64_nested30():
    """A state base64-encoded 30 times over (one line)."""
    x = state()
    for _ in range(30):
        x = base64.b64encode(x)
    return x


def k_b64_random_64m():
    """64 MB of base64 (76 columns) of pseudo-random bytes: one long run, nothing in it."""
    import random
    r = random.Random(13)
    return base64.encodebytes(r.randbytes(48 * MiB))


def k_b64_truncated_gzip():
    """A Kubernetes-style secret whose base64 gzip of a state is cut in half."""
    b = base64.b64encode(gzip.compress(state(), mtime=0)).decode()
    return ("apiVersion: v1\nkind: Secret\ndata:\n  tfstate: %s\n" % b[: len(b) // 2 + 1]).encode()


def k_utf16_lone_surrogate_odd():
    """A UTF-16LE state (with BOM) with a lone high surrogate, a lone low one and an odd last byte."""
    return (b"\xff\xfe" + state().decode().encode("utf-16le") + b"\x00\xd8A\x00\x00\xdc" + b"\x01")


def k_utf16_odd_only():
    """UTF-16BE BOM then a single byte."""
    return b"\xfe\xff\x41"


def k_escaped_unclosed():
    """An escaped state in a JSON string that never closes, repeated anchors, and stray escapes."""
    inner = state().decode().replace("\\", "\\\\").replace('"', '\\"')
    return ('{"stdout": "' + inner * 50 + "\\x\\u12\\777\\").encode()


KINDS = {k[2:]: f for k, f in globals().items() if k.startswith("k_")}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in KINDS:
        sys.exit("usage: hostile.py KIND OUT\nkinds: " + " ".join(sorted(KINDS)))
    data = KINDS[sys.argv[1]]()
    with open(sys.argv[2], "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
