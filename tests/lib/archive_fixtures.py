#!/usr/bin/env python3
"""Generates archive fixtures for the archive tests, at test time (stdlib only).

Usage: archive_fixtures.py KIND OUT [ARGS...]; `archive_fixtures.py list` shows the kinds.
Hand-written zip/tar/gzip layouts make hostile archives (bombs, lying sizes, overlaps) that
the standard library refuses to write. Bombs are built from one deflate block of zeros
repeated, and their CRC is computed algebraically, so a 4 GiB bomb takes milliseconds.
"""
import io
import json
import os
import struct
import sys
import tarfile
import zipfile
import zlib

LINEAGE = "6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"


def state(resources=1, serial=3):
    res = [{"mode": "managed", "type": "aws_db_instance", "name": "db%d" % i,
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"schema_version": 1,
                           "attributes": {"id": "prod-db-%d" % i, "engine": "postgres"}}]}
           for i in range(resources)]
    return json.dumps({"version": 4, "terraform_version": "1.8.2", "serial": serial,
                       "lineage": LINEAGE, "outputs": {}, "resources": res},
                      indent=2).encode()


# --- CRC-32 of runs of zeros, by squaring the GF(2) "one zero bit" operator ----------------

def _apply(op, vec):
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= op[i]
        vec >>= 1
        i += 1
    return out


def _square(op):
    return [_apply(op, op[i]) for i in range(32)]


def crc32_zeros(n, crc=0):
    """zlib.crc32(bytes(n), crc) without touching n bytes."""
    op = [0xEDB88320] + [1 << i for i in range(31)]
    reg = crc ^ 0xFFFFFFFF
    bits = 8 * n
    while bits:
        if bits & 1:
            reg = _apply(op, reg)
        op = _square(op)
        bits >>= 1
    return reg ^ 0xFFFFFFFF


def deflate_zeros(n):
    """A raw deflate stream of n zero bytes (n a multiple of 1 MiB)."""
    mib = 1 << 20
    assert n % mib == 0
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(mib)
    first = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    unit = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    assert unit == again
    blocks = n // mib
    return first + unit * (blocks - 1) + co.flush() if blocks else co.flush()


# --- zip writer with knobs -------------------------------------------------------------

class Entry:
    def __init__(self, name, data=None, method=8, raw=None, size=None, crc=None,
                 declared=None, offset_of=None, mode=None):
        self.name = name.encode() if isinstance(name, str) else name
        self.method = method
        if raw is not None:  # precompressed
            self.comp, self.size, self.crc = raw, size, crc
        else:
            self.size, self.crc = len(data), zlib.crc32(data)
            if method == 8:
                co = zlib.compressobj(6, zlib.DEFLATED, -15)
                self.comp = co.compress(data) + co.flush()
            else:
                self.comp = data
        self.declared = self.size if declared is None else declared
        self.offset_of = offset_of  # reuse another entry's local header (overlap)
        self.mode = mode


def write_zip(entries, prefix=b""):
    out = io.BytesIO()
    out.write(prefix)
    base = len(prefix)
    offsets = {}
    for e in entries:
        if e.offset_of is not None:
            offsets[id(e)] = offsets[id(e.offset_of)]
            continue
        offsets[id(e)] = out.tell() - base
        z64 = e.declared >= 0xFFFFFFFF or len(e.comp) >= 0xFFFFFFFF
        extra = struct.pack("<HHQQ", 1, 16, e.declared, len(e.comp)) if z64 else b""
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\3\4", 45 if z64 else 20, 0, e.method, 0,
                              0x21, e.crc,
                              0xFFFFFFFF if z64 else len(e.comp),
                              0xFFFFFFFF if z64 else e.declared, len(e.name), len(extra)))
        out.write(e.name + extra + e.comp)
    cd_start = out.tell() - base
    for e in entries:
        off = offsets[id(e)]
        z64 = e.declared >= 0xFFFFFFFF or len(e.comp) >= 0xFFFFFFFF or off >= 0xFFFFFFFF
        extra = struct.pack("<HHQQQ", 1, 24, e.declared, len(e.comp), off) if z64 else b""
        attr = (e.mode << 16) if e.mode else 0
        out.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\1\2", 0x031e, 45 if z64 else 20, 0,
                              e.method, 0, 0x21, e.crc,
                              0xFFFFFFFF if z64 else len(e.comp),
                              0xFFFFFFFF if z64 else e.declared, len(e.name), len(extra), 0, 0,
                              0, attr, 0xFFFFFFFF if z64 else off))
        out.write(e.name + extra)
    cd_end = out.tell() - base
    n, cd_size = len(entries), cd_end - cd_start
    if any(e.declared >= 0xFFFFFFFF for e in entries):
        out.write(struct.pack("<4sQHHIIQQQQ", b"PK\6\6", 44, 45, 45, 0, 0, n, n, cd_size, cd_start))
        out.write(struct.pack("<4sIQI", b"PK\6\7", 0, cd_end, 1))
        out.write(struct.pack("<4sHHHHIIH", b"PK\5\6", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                              0xFFFFFFFF, 0))
    else:
        out.write(struct.pack("<4sHHHHIIH", b"PK\5\6", 0, 0, n, n, cd_size, cd_start, 0))
    return out.getvalue()


def zeros_entry(name, n):
    return Entry(name, raw=deflate_zeros(n), size=n, crc=crc32_zeros(n))


def gzip_zeros(n):
    hdr = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"
    return hdr + deflate_zeros(n) + struct.pack("<II", crc32_zeros(n), n & 0xFFFFFFFF)


def tar_bytes(members, fmt=tarfile.PAX_FORMAT):
    """members: list of (name, bytes) or (name, None, linkname) for symlinks."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for m in members:
            ti = tarfile.TarInfo(m[0])
            ti.mtime = 1700000000
            if len(m) > 2:
                ti.type, ti.linkname = tarfile.SYMTYPE, m[2]
                t.addfile(ti)
            else:
                ti.size = len(m[1])
                t.addfile(ti, io.BytesIO(m[1]))
    return buf.getvalue()


def zip_bytes(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, method)
    return buf.getvalue()


def tar_header(name, size_field, typeflag=b"0"):
    """One ustar header with a raw 12-byte size field and a valid checksum (name: str or bytes)."""
    name = name.encode() if isinstance(name, str) else name
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = size_field
    h[136:148] = b"00000000000\0"
    h[156:157] = typeflag
    h[257:265] = b"ustar\x0000"
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


# --- kinds -------------------------------------------------------------------------------

def k_state(out):
    return state()


def k_plan(out):
    tfplan = b"\x08\x03" + b"\x12\x10" + b"db_password=hunter2"
    return zip_bytes([("tfplan", tfplan), ("tfstate", state(3)), ("tfstate-prev", state(2)),
                      ("tfconfig/m-/main.tf", b'resource "aws_db_instance" "db" {}\n'),
                      ("tfconfig/modules.json", b'[{"Key":"","Source":"","Dir":"."}]')])


def k_plan_nostate(out):
    return zip_bytes([("tfplan", b"\x08\x03\x12\x00"),
                      ("tfconfig/m-/main.tf", b'variable "x" {}\n'),
                      ("tfconfig/modules.json", b"[]")])


def k_nested3(out):
    inner = zip_bytes([("envs/prod/terraform.tfstate", state())])
    mid = zip_bytes([("README.md", b"# bundle\n"), ("bundle/infra.zip", inner)])
    tar = tar_bytes([("dist/notes.txt", b"notes\n"), ("bundle/deploy.zip", mid)])
    buf = io.BytesIO()
    with __import__("gzip").GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
        g.write(tar)
    return buf.getvalue()


def k_bomb_zip(out):
    return write_zip([zeros_entry("zeros.bin", 4 << 30)])


def k_bomb_gzip(out):
    return gzip_zeros(4 << 30)


def k_bomb_nested(out):
    inner = write_zip([zeros_entry("layer%d.bin" % i, 1 << 30) for i in range(8)])
    e = Entry("x", inner)
    outer = [Entry("inner%d.zip" % i, raw=e.comp, size=e.size, crc=e.crc) for i in range(8)]
    return write_zip(outer)


def k_bomb_ratio(out):
    """64 MiB of zeros, honestly declared and under every size cap: only the ratio stops it."""
    return write_zip([zeros_entry("small-looking.bin", 64 << 20)])


def k_liar(out):
    e = Entry("terraform.tfstate", bytes(2 << 20) + state())
    e.declared = 100
    return write_zip([Entry("readme.txt", b"hello\n"), e])


def k_short(out):
    e = Entry("data.bin", b"x" * 1000)
    e.declared = 5000
    return write_zip([e])


def k_overlap(out):
    a = Entry("a.txt", state())
    b = Entry("b.txt", None, raw=a.comp, size=a.size, crc=a.crc, offset_of=a)
    return write_zip([a, b])


def k_duplicate(out):
    return write_zip([Entry("terraform.tfstate", b"{}\n"), Entry("terraform.tfstate", state())])


def k_badcrc(out):
    e = Entry("notes.txt", b"A" * 4000, method=0)
    e.crc ^= 1
    return write_zip([e])


def k_truncated_zip(out):
    return zip_bytes([("terraform.tfstate", state()), ("pad.bin", os.urandom(4096))])[:-300]


def k_truncated_tgz(out):
    data = tar_bytes([("terraform.tfstate", state()), ("pad.bin", os.urandom(65536))])
    import gzip
    return gzip.compress(data, mtime=0)[:-2000]


def k_sfx(out):
    prefix = b"#!/bin/sh\necho self-extracting\nexit 0\n" + b"#" * 1000 + b"\n"
    return write_zip([Entry("terraform.tfstate", state())], prefix=prefix)


def k_tar_huge(out):
    size = b"\x80" + (1 << 62).to_bytes(11, "big")
    return tar_header("terraform.tfstate", size) + state().ljust(1024, b"\0") + bytes(1024)


def k_tar_negative(out):
    return tar_header("x.bin", b"\xff" * 12) + bytes(1024)


def k_tar_badsum(out):
    h = bytearray(tar_header("x.bin", b"00000000010\0"))
    h[0] ^= 0x20
    return bytes(h) + b"hello".ljust(512, b"\0") + bytes(1024)


def k_tar_longname(out):
    deep = "/".join(["very-long-directory-name-%02d" % i for i in range(8)])
    return tar_bytes([(deep + "/terraform.tfstate", state())], fmt=tarfile.GNU_FORMAT)


def k_tar_pax(out):
    deep = "/".join(["päx-directory-%02d" % i for i in range(10)])
    return tar_bytes([(deep + "/prod.tfstate.backup", state())], fmt=tarfile.PAX_FORMAT)


def k_traversal(out):
    return tar_bytes([("../../../../tmp/sg-escape/terraform.tfstate", state()),
                      ("link.tfstate", None, "/etc/passwd"),
                      ("evil\nBLOCK   fake\x1b[31m.tfstate", state())])


def k_symlink_zip(out):
    return write_zip([Entry("state-link", b"../../secrets/prod.tfstate", method=0,
                            mode=0o120777), Entry("ok.txt", b"fine\n")])


def k_zip_methods(out):
    """State in members compressed with xz (95) and zstd (93), plus a PPMd (98) member."""
    import lzma
    import subprocess
    data = state()
    xz = lzma.compress(data, format=lzma.FORMAT_XZ)
    zst = subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True, check=True).stdout
    crc = zlib.crc32(data)
    return write_zip([Entry("xz/terraform.tfstate", raw=xz, size=len(data), crc=crc, method=95),
                      Entry("zstd/terraform.tfstate", raw=zst, size=len(data), crc=crc, method=93),
                      Entry("ppmd/notes.txt", raw=b"\x07" * 40, size=100, crc=0, method=98)])


def k_zip_lzma_badcrc(out):
    import lzma
    data = state()
    raw = lzma.compress(data, format=lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_LZMA1}])
    props = lzma._encode_filter_properties({"id": lzma.FILTER_LZMA1})
    comp = b"\x09\x14" + struct.pack("<H", len(props)) + props + raw
    return write_zip([Entry("terraform.tfstate", raw=comp, size=len(data),
                            crc=zlib.crc32(data) ^ 1, method=14)])


# --- RAR, which has no free writer: stored (method "store") archives built byte by byte ---
# RAR 5 from https://www.rarlab.com/technote.htm (vint numbers, CRC32 of each header from its
# size field on); RAR 4 from the RAR 2.9-4.x header layout of the same technote's older
# edition (7-byte block heads, CRC32 & 0xffff of each header from its type byte on).

RAR_NOTES = b"release notes: nothing to see here\n"


def vint(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def rar5_block(htype, fields, extra=b"", data=b"", hflags=0):
    flags = hflags | (0x0001 if extra else 0) | (0x0002 if data else 0)
    body = vint(htype) + vint(flags)
    if extra:
        body += vint(len(extra))
    if data:
        body += vint(len(data))
    body += fields + extra
    head = vint(len(body)) + body
    return struct.pack("<I", zlib.crc32(head)) + head + data


def rar5_file(name, data, encrypted=False):
    """A file header (type 2) with its data stored, or random bytes behind an AES record."""
    name = name.encode()
    extra = b""
    if encrypted:
        rec = vint(0x01) + vint(0) + vint(0x0001) + bytes([15]) + os.urandom(16 + 16 + 12)
        extra = vint(len(rec)) + rec
        payload = os.urandom((len(data) + 15) // 16 * 16)
        fields = vint(0x0002) + vint(len(data)) + vint(0o100644) + struct.pack("<I", 1700000000)
    else:
        payload = data
        fields = (vint(0x0002 | 0x0004) + vint(len(data)) + vint(0o100644) +
                  struct.pack("<II", 1700000000, zlib.crc32(data)))
    fields += vint(0) + vint(1) + vint(len(name)) + name  # store, version 0; host OS Unix
    return rar5_block(2, fields, extra, payload)


def rar5_bytes(members, encrypted=False, encrypted_headers=False):
    out = b"Rar!\x1a\x07\x01\x00"
    if encrypted_headers:  # archive encryption header (type 4); everything after is AES
        out += rar5_block(4, vint(0) + vint(0x0001) + bytes([15]) + os.urandom(16 + 12))
        return out + os.urandom(256)
    out += rar5_block(1, vint(0))  # main archive header, no flags
    for name, data in members:
        out += rar5_file(name, data, encrypted)
    return out + rar5_block(5, vint(0))  # end of archive


def rar4_block(htype, flags, body, data=b""):
    head = struct.pack("<BHH", htype, flags, 7 + len(body)) + body
    return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head + data


def rar4_bytes(members, encrypted=False, encrypted_headers=False):
    out = b"Rar!\x1a\x07\x00"
    if encrypted_headers:  # MHD_PASSWORD: every later header is encrypted
        return out + rar4_block(0x73, 0x0080, b"\0" * 6) + os.urandom(256)
    out += rar4_block(0x73, 0, b"\0" * 6)  # archive header
    for name, data in members:
        name = name.encode()
        flags = 0x8000  # LONG_BLOCK: the pack size follows
        payload, salt = data, b""
        if encrypted:  # FHD_PASSWORD and FHD_SALT
            flags |= 0x0004 | 0x0400
            payload, salt = os.urandom((len(data) + 15) // 16 * 16), os.urandom(8)
        dos_time = (2023 - 1980) << 25 | 1 << 21 | 1 << 16
        body = struct.pack("<IIBIIBBHI", len(payload), len(data), 3, zlib.crc32(data), dos_time,
                           29, 0x30, len(name), 0o100644) + name + salt
        out += rar4_block(0x74, flags, body, payload)
    return out + rar4_block(0x7B, 0x4000, b"")  # end of archive


def rar_members():
    return [("envs/prod/terraform.tfstate", state()), ("docs/notes.txt", RAR_NOTES)]


def k_7z_hand(out):
    """A valid 7z written by hand (LZMA2): checks the writer the hostile 7z kinds use."""
    data = state()
    return sevenzip_bytes(lzma2_raw(data), SZ_LZMA2, b"\x10",
                          [("envs/prod/terraform.tfstate", len(data))])


def k_rar4(out):
    return rar4_bytes(rar_members())


def k_rar5(out):
    return rar5_bytes(rar_members())


def k_rar4_clean(out):
    return rar4_bytes([("docs/notes.txt", RAR_NOTES)])


def k_rar5_clean(out):
    return rar5_bytes([("docs/notes.txt", RAR_NOTES)])


def k_rar4_encrypted(out):
    return rar4_bytes(rar_members(), encrypted=True)


def k_rar5_encrypted(out):
    return rar5_bytes(rar_members(), encrypted=True)


def k_rar4_encrypted_clean(out):
    return rar4_bytes([("docs/notes.txt", RAR_NOTES)], encrypted=True)


def k_rar5_encrypted_clean(out):
    return rar5_bytes([("docs/notes.txt", RAR_NOTES)], encrypted=True)


def k_rar4_encrypted_names(out):
    return rar4_bytes([("docs/notes.txt", RAR_NOTES)], encrypted_headers=True)


def k_rar5_encrypted_names(out):
    return rar5_bytes([("docs/notes.txt", RAR_NOTES)], encrypted_headers=True)


# --- 7z by hand (7zFormat.txt of the 7-Zip sources describes it): one folder of one coder,
# for headers that lie and for bombs the 7z tool would take minutes to make ----------------

def sz_number(n):
    """A 7z NUMBER: one byte below 0x80, else 0xff and eight little-endian bytes."""
    return bytes([n]) if n < 0x80 else b"\xff" + struct.pack("<Q", n)


SZ_COPY, SZ_LZMA, SZ_LZMA2 = b"\x00", b"\x03\x01\x01", b"\x21"


def sevenzip_bytes(packed, coder, props, files, folder_size=None, pack_size=None,
                   num_files=None):
    """A 7z whose one pack stream `packed` decodes (coder, props) into the files [(name, size)]
    in order. folder_size, pack_size and num_files override what the header declares."""
    if folder_size is None:
        folder_size = sum(size for _, size in files)
    h = bytearray(b"\x01\x04")  # Header, MainStreamsInfo
    h += b"\x06" + sz_number(0) + sz_number(1)  # PackInfo: at 0, one stream
    h += b"\x09" + sz_number(len(packed) if pack_size is None else pack_size) + b"\x00"
    h += b"\x07\x0b" + sz_number(1) + b"\x00"  # UnPackInfo: one folder, not external
    h += sz_number(1) + bytes([len(coder) | (0x20 if props else 0)]) + coder
    if props:
        h += sz_number(len(props)) + props
    h += b"\x0c" + sz_number(folder_size) + b"\x00"
    h += b"\x08\x0d" + sz_number(len(files))  # SubStreamsInfo
    if len(files) > 1:
        h += b"\x09" + b"".join(sz_number(size) for _, size in files[:-1])
    h += b"\x00\x00"
    names = b"".join(n.encode("utf-16-le") + b"\0\0" for n, _ in files)
    h += b"\x05" + sz_number(len(files) if num_files is None else num_files)
    h += b"\x11" + sz_number(len(names) + 1) + b"\x00" + names + b"\x00\x00"
    start = struct.pack("<QQI", len(packed), len(h), zlib.crc32(h))
    return b"7z\xbc\xaf\x27\x1c\x00\x04" + struct.pack("<I", zlib.crc32(start)) + start + \
        packed + bytes(h)


def lzma2_zeros_unit(mib=2):
    """Raw LZMA2 chunks of `mib` MiB of zeros that start with a dictionary reset, without the
    end marker: repeating them is a valid stream."""
    import lzma
    u = lzma.compress(bytes(mib << 20), format=lzma.FORMAT_RAW,
                      filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1 << 20}])
    assert u[0] & 0xE0 == 0xE0 and u[-1] == 0
    return u[:-1]


def lzma2_raw(data):
    import lzma
    return lzma.compress(data, format=lzma.FORMAT_RAW,
                         filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1 << 20}])


def k_provider(out):
    rnd = os.urandom(3 << 20)
    return zip_bytes([("terraform-provider-example_v1.2.3_x5", rnd)])


def k_docs(out):
    docs = [("docs/README.md", b"# Project\n\nSee the guide.\n"),
            ("docs/guide/install.md", b"Run ./install.sh\n" * 50),
            ("docs/img/logo.bin", os.urandom(20000)),
            ("docs/examples/main.tf", b'module "vpc" { source = "./vpc" }\n')]
    import gzip
    return gzip.compress(tar_bytes(docs), mtime=0)


def k_concat_gz(out):
    import gzip
    s = state()
    return gzip.compress(s[:40], mtime=0) + gzip.compress(s[40:], mtime=0)


def k_deep(out):
    data = state()
    for i in range(7):
        data = zip_bytes([("level%d/inner.zip" % i if i else "terraform.tfstate", data)])
    return data


def k_many(out):
    return zip_bytes([("f%05d.txt" % i, b"") for i in range(300)], zipfile.ZIP_STORED)


def k_big_legit(out):
    """~200 MiB of varied, moderately compressible text in a zip of 200 members."""
    import random
    rng = random.Random(42)
    words = [("%x" % rng.getrandbits(40)).encode() for _ in range(5000)]
    members = []
    for i in range(200):
        lines = b"\n".join(b" ".join(rng.choices(words, k=12)) for _ in range(7500))
        members.append(("logs/part-%03d.log" % i, lines[: 1 << 20].ljust(1 << 20, b"\n")))
    return zip_bytes(members)


KINDS = {k[2:].replace("_", "-"): f for k, f in globals().items() if k.startswith("k_")}


def main():
    if len(sys.argv) < 2 or sys.argv[1] == "list":
        print("\n".join(sorted(KINDS)))
        return 0
    kind, out = sys.argv[1], sys.argv[2]
    data = KINDS[kind](out)
    with open(out, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
