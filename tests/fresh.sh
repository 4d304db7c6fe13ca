#!/usr/bin/env bash
# tests/fresh.sh [REF] — `make test-fresh`: the README's two commands on a truly fresh machine.
# Builds a minimal Debian bookworm root (debootstrap --variant=minbase, cached as a tarball),
# unpacks a fresh copy, puts a clean clone of REF (default HEAD) in it and runs exactly
# `./install.sh && make test` inside via chroot, with /proc, /dev and a private /tmp mounted
# and always unmounted afterwards. Prints the suite's closing line; exits 0 only when it was
# printed and nothing failed. Needs root and Debian's package registry.
# Environment: FRESH_CACHE (default ${TMPDIR:-/tmp}/stateguard-fresh), FRESH_MIRROR,
# FRESH_REBUILD=1 (debootstrap again), FRESH_KEEP=1 (keep the root after the run).
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:-HEAD}
me=test-fresh

if ((EUID != 0)); then
	echo "$me: needs root (debootstrap, chroot and mount); run it as root, as CI does" >&2
	exit 1
fi
for t in debootstrap chroot findmnt git mknod; do
	command -v "$t" >/dev/null || { echo "$me: '$t' is not installed (run ./install.sh)" >&2; exit 1; }
done
commit=$(git rev-parse --verify "$ref^{commit}" 2>/dev/null) ||
	{ echo "$me: '$ref' is not a commit of this repository" >&2; exit 1; }

suite=bookworm
variant=minbase
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
arch=$(dpkg --print-architecture)
cache=${FRESH_CACHE:-${TMPDIR:-/tmp}/stateguard-fresh}
recipe=2 # bump when the way the cached root is made changes
key=$(printf '%s\n' "$suite" "$variant" "$arch" "$mirror" "$recipe" | sha256sum | cut -c1-12)
tarball=$cache/$suite-$variant-$arch-$key.tar
debs=$cache/apt-archives-$suite-$arch # downloaded .debs only, never installed state
mkdir -p "$cache" "$debs"

# --- the cached minimal root ------------------------------------------------------------
if [[ ! -s $tarball || ${FRESH_REBUILD:-} == 1 ]]; then
	echo "$me: debootstrap --variant=$variant $suite (cached as $tarball)"
	boot=$(mktemp -d "$cache/debootstrap.XXXXXX")
	if ! nice debootstrap --variant="$variant" --arch="$arch" "$suite" "$boot" "$mirror" \
		>"$boot.log" 2>&1; then
		tail -20 "$boot.log" >&2
		echo "$me: debootstrap failed (log: $boot.log)" >&2
		# debootstrap mounts proc/sys inside its target and may leave them on failure.
		findmnt -rn -o TARGET | grep -E "^$boot(/|$)" | sort -r | xargs -r -n1 umount || true
		findmnt -rn -o TARGET | grep -qE "^$boot(/|$)" || rm -rf --one-file-system "$boot"
		exit 1
	fi
	chmod 0755 "$boot" # mktemp made it 0700: the root of the system must be 0755
	# debootstrap leaves the base system's .debs behind; a Debian image has none.
	find "$boot/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -delete
	tar -C "$boot" --numeric-owner -cf "$tarball.part" .
	mv "$tarball.part" "$tarball"
	find "$cache" -maxdepth 1 -name "$suite-$variant-$arch-*.tar" ! -path "$tarball" -delete
	rm -rf --one-file-system "$boot" "$boot.log"
fi

# --- one fresh root per run -------------------------------------------------------------
run=$(mktemp -d "$cache/run.XXXXXX")
root=$run/root
log=$run/test.log
mounted=() # in mount order; unmounted in reverse
chroot_pid=

under_root() { [[ $1 == "$root" || $1 == "$root"/* ]]; }

left_mounted() { findmnt -rn -o TARGET | while read -r m; do
	m=$(printf '%b' "$m") # findmnt -r escapes blanks as \x20
	under_root "$m" && echo "$m"
done; return 0; }

# Every process whose root directory is our chroot (the services the tests start included).
chroot_procs() {
	local p r
	for p in /proc/[0-9]*; do
		r=$(readlink "$p/root" 2>/dev/null) || continue
		under_root "$r" && echo "${p#/proc/}"
	done
	return 0
}

cleanup() {
	local rc=$? i m pids left
	trap - EXIT INT TERM
	set +e # every step of the cleanup runs, whatever the one before it did
	[[ -n $chroot_pid ]] && kill -TERM "$chroot_pid" 2>/dev/null
	for i in 1 2 3 4 5; do
		pids=$(chroot_procs)
		[[ -z $pids ]] && break
		# shellcheck disable=SC2086
		kill -"$( ((i < 4)) && echo TERM || echo KILL)" $pids 2>/dev/null
		sleep 1
	done
	# A mount the suite made inside the root (and left) would keep ours busy: it is below
	# our private root, so it is ours to remove, deepest first, with a word about it.
	while read -r m; do
		for i in "${mounted[@]}"; do [[ $i == "$m" ]] && continue 2; done
		echo "$me: the suite left $m mounted; unmounting it" >&2
		umount "$m" || true
	done < <(left_mounted | sort -r)
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		m=${mounted[i]}
		under_root "$m" || { echo "$me: refusing to unmount $m (not under $root)" >&2; continue; }
		umount "$m" 2>/dev/null || { sleep 1; umount "$m"; } ||
			echo "$me: could not unmount $m" >&2
	done
	left=$(left_mounted)
	if [[ -n $left ]]; then
		echo "$me: still mounted under $root, left in place:" >&2
		echo "$left" | sed 's/^/    /' >&2
		exit 1
	fi
	if [[ ${FRESH_KEEP:-} == 1 ]]; then
		echo "$me: root kept in $root"
	else
		rm -rf --one-file-system "$run"
	fi
	echo "$me: took ${SECONDS}s in all"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mount_in() { # TARGET mount-args... — mounts at a path under the root and records it
	local target=$1
	shift
	under_root "$target" || { echo "$me: internal: $target is not under $root" >&2; exit 1; }
	mkdir -p "$target"
	mount "$@" "$target" ||
		{ echo "$me: cannot mount $target (root without CAP_SYS_ADMIN? a container must be privileged)" >&2; exit 1; }
	mounted+=("$target")
}

mkdir -p "$root"
tar -C "$root" --numeric-owner -xf "$tarball"
chmod 0755 "$root"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/var/cache/apt/archives"
# The packages the last run downloaded (a download cache only: apt installs them afresh).
find "$debs" -maxdepth 1 -name '*.deb' -exec cp -l -n -t "$root/var/cache/apt/archives" {} + 2>/dev/null ||
	find "$debs" -maxdepth 1 -name '*.deb' -exec cp -n -t "$root/var/cache/apt/archives" {} +
src=/root/stateguard
# A clean clone of just that commit (what `git archive` holds, plus the .git a user's clone
# has, which the pre-commit framework tests clone from): nothing untracked, nothing built.
git init -q -b main "$root$src"
git -C "$root$src" fetch -q --no-tags "$PWD" "$commit"
git -C "$root$src" reset -q --hard "$commit"

# The root itself becomes a private mount point, so nothing mounted below it can propagate
# to the host's mount table (and nothing of the host's propagates in).
mount_in "$root" --bind "$root"
mount --make-private "$root"
mount_in "$root/proc" -t proc -o nosuid,nodev,noexec proc
mount_in "$root/dev" -t tmpfs -o nosuid,mode=0755,size=1m dev
for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
	IFS=: read -r n ma mi <<<"$d"
	mknod -m 0666 "$root/dev/$n" c "$ma" "$mi"
done
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"
mount_in "$root/dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=0620,nosuid,noexec devpts
ln -s pts/ptmx "$root/dev/ptmx"
mount_in "$root/dev/shm" -t tmpfs -o nosuid,nodev,mode=1777 shm
mount_in "$root/tmp" -t tmpfs -o nosuid,nodev,mode=1777 tmp

echo "$me: $(git log -1 --format='%h %s' "$commit")"
echo "$me: running './install.sh && make test' in a fresh $suite $variant root ($root)"
# A new user's shell: root, HOME and PATH, nothing else of ours (no LANG, no git identity).
(
	set -o pipefail
	env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb \
		chroot "$root" /bin/sh -c "cd $src && ./install.sh && make test" </dev/null 2>&1 |
		tee "$log"
) &
chroot_pid=$!
set +e
wait "$chroot_pid"
status=$?
set -e
chroot_pid=
# Keep the downloaded packages for the next run (apt-get autoclean drops the versions the
# registry no longer has, so the cache does not grow without end).
chroot "$root" apt-get -qq autoclean >/dev/null 2>&1 || true
find "$debs" -maxdepth 1 -name '*.deb' -delete
find "$root/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec cp -l -n -t "$debs" {} + 2>/dev/null ||
	find "$root/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec cp -n -t "$debs" {} + || true

closing=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -1 || true)
echo
if [[ -z $closing ]]; then
	echo "$me: FAILED: the suite never printed its closing line (exit $status); last lines:"
	tail -15 "$log" | sed 's/^/    /'
	exit 1
fi
echo "$me: $closing"
failed=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$closing")
if ((failed != 0 || status != 0)); then
	echo "$me: FAILED on a fresh $suite: ./install.sh && make test did not pass (exit $status)."
	missing=$(grep -oE '[A-Za-z0-9_.+-]+: (command )?not found' "$log" |
		sed -E 's/: (command )?not found//' | sort -u | tr '\n' ' ' || true)
	[[ -n $missing ]] &&
		echo "$me: commands the tests ran that are not on a fresh machine: $missing— add their packages to install.sh"
	exit 1
fi
echo "$me: passed: ./install.sh && make test on a fresh $suite $variant root"
