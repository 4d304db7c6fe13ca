#!/usr/bin/env bash
# install.sh [--prefix DIR] [--repo DIR]
# Installs the build and test packages that are missing (Debian/Ubuntu, apt-get,
# as root; otherwise prints the exact command), builds stateguard, installs it to
# PREFIX/bin (default /usr/local) and, with --repo, guards that repository.
# Re-running changes nothing that is already in place.
set -euo pipefail
cd "$(dirname "$0")"

prefix=/usr/local
repos=()
while (($#)); do
	case $1 in
	--prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
	--prefix=*) prefix=${1#--prefix=}; shift ;;
	--repo) repos+=("${2:?--repo needs a directory}"); shift 2 ;;
	--repo=*) repos+=("${1#--repo=}"); shift ;;
	-h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done

# Build, test and fuzzing dependencies (Debian package names).
packages=(build-essential pkg-config git python3 libgit2-dev libzip-dev libcjson-dev zlib1g-dev
	liblzma-dev libbz2-dev libzstd-dev libssl-dev libdeflate-dev libarchive-dev libcmocka-dev bats clang
	libclang-rt-14-dev valgrind zip unzip xz-utils bzip2 zstd time openssl)
# Archive tools the tests make fixtures with (formats opened through libarchive).
packages+=(p7zip-full cpio lz4 lzip ncompress genisoimage binutils)
# Ecosystem tests: smart-HTTP server, pre-commit framework, man page lint, Git LFS.
packages+=(nginx fcgiwrap pre-commit mandoc git-lfs)
# Tools the tests run that a minimal Debian lacks: man -l (man page), ps (test server stop).
packages+=(man-db procps)
# make test-fresh: a minimal Debian root (debootstrap) to run ./install.sh && make test in.
packages+=(debootstrap)
# Text tools the encoding tests make fixtures with (iconv, base64, gzip).
packages+=(libc-bin coreutils gzip)
# Benchmarks (make bench): the plot of the ratios.
packages+=(gnuplot-nox)
# Releases (make dist, make deb, make test-package): Debian packaging and its checks.
packages+=(debhelper devscripts lintian dpkg-dev fakeroot)
[[ -f .ci/extra-packages ]] && mapfile -t -O ${#packages[@]} packages < <(grep -v '^#' .ci/extra-packages | tr ' ' '\n' | grep .)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	if ! command -v apt-get >/dev/null; then
		echo "install.sh: missing packages: ${missing[*]} (no apt-get here: install them by hand)" >&2
		exit 1
	fi
	if ((EUID != 0)); then
		echo "install.sh: these packages are missing; install them, then run ./install.sh again:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	echo "install.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

make -s -j"$(nproc)"
if [[ -w $prefix || ( ! -e $prefix && -w $(dirname "$prefix") ) ]]; then
	make -s install PREFIX="$prefix"
	echo "install.sh: installed $prefix/bin/stateguard"
else
	echo "install.sh: $prefix is not writable; run: sudo make install PREFIX=$prefix" >&2
	exit 1
fi

for r in "${repos[@]}"; do
	"$prefix/bin/stateguard" install --repo "$r"
done
