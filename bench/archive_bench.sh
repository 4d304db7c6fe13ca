#!/usr/bin/env bash
# bench/archive_bench.sh [MIB]: archive throughput and bounds of `stateguard scan`.
# Generates ~MIB (default 200) MiB of legitimate text members, packs them as zip, tar.gz,
# tar.xz, tar.bz2, tar.zst, 7z and cpio, plus the 4 GiB zip, gzip and 7z bombs and the
# nested bomb, a provider release zip (one 700 MiB binary of random bytes, stored) and a 1 GiB
# tar.zst of it with a 330 MiB build log (both above member_bytes: streamed through the window), and
# prints for each: archive size, wall and CPU seconds, MB/s of inflated data per CPU
# second, peak RSS. The first row scans the unpacked files: the detectors' share.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${STATEGUARD:-$PWD/build/stateguard}
[[ -x $BIN ]] || { echo "build first: make" >&2; exit 2; }
mib=${1:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
afx() { python3 tests/lib/archive_fixtures.py "$@"; }

python3 - "$tmp/data" "$mib" <<'PY'
import os, random, sys
out, mib = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
words = [("%x" % rng.getrandbits(40)).encode() for _ in range(5000)]
for i in range(mib):
    d = os.path.join(out, "logs", "part%02d" % (i % 16))
    os.makedirs(d, exist_ok=True)
    line = lambda: b" ".join(rng.choices(words, k=12))
    block = b"\n".join(line() for _ in range(2000)) + b"\n"
    with open(os.path.join(d, "part-%04d.log" % i), "wb") as f:
        n = 0
        while n < 1 << 20:
            f.write(block)
            n += len(block)
PY
raw=$(du -sb "$tmp/data" | cut -f1)
(cd "$tmp/data" && zip -qr -1 "$tmp/legit.zip" logs)
tar -C "$tmp/data" -cf - logs | gzip -1 >"$tmp/legit.tar.gz"
tar -C "$tmp/data" -cf - logs | xz -T2 -0 >"$tmp/legit.tar.xz"
tar -C "$tmp/data" -cf - logs | bzip2 -1 >"$tmp/legit.tar.bz2"
tar -C "$tmp/data" -cf - logs | zstd -q -3 >"$tmp/legit.tar.zst"
mkdir -p "$tmp/prov"
rand() { # PASS BYTES: BYTES of AES-CTR output (head ends the pipe early: not a failure)
	{ openssl enc -aes-128-ctr -nosalt -pbkdf2 -pass "pass:$1" </dev/zero 2>/dev/null || true; } |
		head -c "$2"
}
{ printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000'
  rand bench 700M; } \
	>"$tmp/prov/terraform-provider-aws_v5.31.0_x5"
(cd "$tmp/prov" && zip -q -0 "$tmp/provider.zip" terraform-provider-aws_v5.31.0_x5)
rand log 243M | base64 >"$tmp/prov/build.log"
tar -C "$tmp/prov" -cf - . | zstd -q -3 -T2 >"$tmp/provider.tar.zst"
prov_zip=$(stat -c %s "$tmp/prov/terraform-provider-aws_v5.31.0_x5")
prov_tar=$(tar -C "$tmp/prov" -cf - . | wc -c)
rm -rf "$tmp/prov"
(cd "$tmp/data" && 7z a -bd -bso0 -mx=1 "$tmp/legit.7z" logs)
(cd "$tmp/data" && find logs | cpio -o -H newc --quiet >"$tmp/legit.cpio")
afx bomb-zip "$tmp/bomb.zip"
afx bomb-gzip "$tmp/bomb.gz"
afx bomb-nested "$tmp/bomb-nested.zip"
python3 tests/lib/hostile.py 7z_bomb "$tmp/bomb.7z"

# The budget must fit the legitimate archive: raise archive_bytes for the run.
printf '{"limits": {"archive_bytes": %d}}\n' $((raw * 2)) >"$tmp/cfg.json"

printf '%-18s %10s %8s %8s %10s %10s  %s\n' archive size_MiB wall_s cpu_s MB/s_cpu rss_MiB result
for f in data legit.zip legit.tar.gz legit.tar.xz legit.tar.bz2 legit.tar.zst legit.7z legit.cpio \
	provider.zip provider.tar.zst bomb.zip bomb.gz bomb-nested.zip bomb.7z; do
	rc=0
	/usr/bin/time -v "$BIN" scan --config "$tmp/cfg.json" "$tmp/$f" >"$tmp/out" 2>"$tmp/time" || rc=$?
	read -r wall cpu rss < <(awk -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, t, ":"); w = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
		/User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
		END { printf "%.2f %.2f %.1f\n", w, u + s, r / 1024 }' "$tmp/time")
	size=$(du -sb "$tmp/$f" | awk '{ printf "%.1f", $1 / 1048576 }')
	case $f in
	data|legit*|provider*)
		b=$raw
		[[ $f == provider.zip ]] && b=$prov_zip
		[[ $f == provider.tar.zst ]] && b=$prov_tar
		mbs=$(awk -v b="$b" -v c="$cpu" 'BEGIN { printf "%.0f", (c > 0 ? b / 1e6 / c : 0) }')
		result=$([[ $rc -eq 0 ]] && echo pass || echo "exit $rc") ;;
	*) mbs=-; result=$(grep -o 'archive-[a-z]*' "$tmp/out" | sort -u | tr '\n' ' ') ;;
	esac
	printf '%-18s %10s %8s %8s %10s %10s  %s\n' "$f" "$size" "$wall" "$cpu" "$mbs" "$rss" "$result"
done
echo "(data = the same files unpacked, for the detectors' own cost; legit: $((raw >> 20)) MiB"
echo " inflated; MB/s_cpu = inflated bytes / CPU seconds, since wall time depends on the machine's load)"
