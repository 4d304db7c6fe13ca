#!/usr/bin/env bash
# make test-package: the release artefacts, for real.
# - make dist twice (the second time from a fresh clone, another umask and time
#   zone) gives the same bytes, a valid .sha256, entries sorted, owned by root, one
#   mtime; the unpacked tarball builds and passes the unit tests without Git metadata.
# - make deb builds the package (lintian: no errors), dpkg -i installs it on THIS
#   machine (root), and only the installed files are used (PATH=/usr/bin:/bin, so
#   an install.sh copy in /usr/local is never run): --version, man -l, bash
#   completion, `stateguard install --server` and a refused push of infra.zip;
#   an upgrade keeps the hook working; after dpkg -r the hook refuses and says
#   stateguard is gone; after dpkg -P nothing dpkg -L listed is left. A stateguard
#   package already installed is purged first (the test needs the machine's dpkg).
# Ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=$(cat VERSION)
pass=0 fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/sg-package.XXXXXX")
installed_by_us=0

cleanup() {
	if ((installed_by_us)) && dpkg-query -W -f='${Status}' stateguard 2>/dev/null | grep -q installed; then
		dpkg_locked -P stateguard >/dev/null 2>&1
	fi
	rm -rf "$T"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; [[ -n ${2:-} ]] && sed 's/^/    /' <<<"$2" | head -40; }
# check DESCRIPTION CMD...: runs CMD, passes when it exits 0.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc" "$out"; fi
}
finish() {
	echo "$pass passed, $fail failed"
	((fail == 0))
	exit
}

# dpkg with the lock shared with other users of the machine: wait for it, up to 5 min.
dpkg_locked() {
	local i out rc
	for ((i = 0; i < 60; i++)); do
		out=$(dpkg "$@" 2>&1)
		rc=$?
		if ((rc != 0)) && grep -qi 'lock' <<<"$out"; then
			sleep 5
			continue
		fi
		printf '%s\n' "$out"
		return $rc
	done
	printf '%s\n' "$out"
	return 1
}

# ---------------------------------------------------------------- make dist
status_before=$(git status --porcelain --untracked-files=all 2>/dev/null)
tarball=dist/stateguard-$VERSION.tar.gz
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	head=$(git rev-parse HEAD)
	if out=$(make -s dist 2>&1) && [[ -f $tarball ]]; then
		ok "make dist writes $tarball and its .sha256"
		cp "$tarball" "$T/first.tar.gz"
		sha_first=$(sha256sum "$tarball" | cut -d' ' -f1)
		check "the .sha256 file verifies the tarball" bash -c 'cd dist && sha256sum -c --strict "$1.sha256"' _ "stateguard-$VERSION.tar.gz"
		# The second build: a fresh clone of the same commit, another umask, time zone
		# and a later clock.
		sleep 1
		if out=$(git clone -q --no-checkout "$ROOT" "$T/clone" 2>&1 &&
			git -C "$T/clone" checkout -q --detach "$head" 2>&1 &&
			(umask 077 && cd "$T/clone" && TZ=Asia/Kolkata make -s dist 2>&1)); then
			sha_second=$(sha256sum "$T/clone/$tarball" | cut -d' ' -f1)
			check "a second make dist from a fresh clone gives the same bytes" cmp "$T/first.tar.gz" "$T/clone/$tarball"
			check "both .sha256 files are the same" cmp "dist/stateguard-$VERSION.tar.gz.sha256" "$T/clone/dist/stateguard-$VERSION.tar.gz.sha256"
		else
			not_ok "a second make dist from a fresh clone of $head" "$out"
		fi
		echo "# tarball sha256 (this tree): ${sha_first:-}"
		echo "# tarball sha256 (fresh clone): ${sha_second:-}"
		listing=$(tar -tvzf "$T/first.tar.gz")
		names=$(tar -tzf "$T/first.tar.gz")
		check "every entry is under stateguard-$VERSION/ and none is .git" \
			bash -c '! grep -v "^stateguard-$1/" <<<"$2" && ! grep -E "(^|/)\.git(/|$)" <<<"$2"' _ "$VERSION" "$names"
		check "entries are owned by root:root" bash -c '! awk "\$2 != \"root/root\"" <<<"$1" | grep .' _ "$listing"
		check "entries share one mtime" bash -c '(($(awk "{print \$4, \$5}" <<<"$1" | sort -u | wc -l) == 1))' _ "$listing"
		check "entries are in sorted order (parents before children)" \
			bash -c 'diff <(printf "%s\n" "$1") <(printf "%s\n" "$1" | LC_ALL=C sort)' _ "$names"
		check "the gzip header carries no name and no time (gzip -n)" \
			bash -c '[[ $(od -An -tx1 -j4 -N4 "$1" | tr -d " ") == 00000000 ]]' _ "$T/first.tar.gz"
		check "the tarball holds what its commit holds (git ls-tree)" \
			bash -c 'diff <(git ls-tree -r --name-only "$1" | sed "s|^|stateguard-$2/|" | sort) <(grep -v "/$" <<<"$3" | grep -v "^pax_global_header$" | sort)' _ "$head" "$VERSION" "$names"
		# Build from the unpacked tarball, with no Git metadata anywhere above it.
		mkdir -p "$T/unpacked"
		tar -xzf "$T/first.tar.gz" -C "$T/unpacked"
		src=$T/unpacked/stateguard-$VERSION
		if out=$(cd "$src" && GIT_CEILING_DIRECTORIES=$T/unpacked GIT_DIR=/nonexistent nice make -s -j2 2>&1 &&
			GIT_CEILING_DIRECTORIES=$T/unpacked nice make -s unit 2>&1 &&
			BUILD=build GIT_CEILING_DIRECTORIES=$T/unpacked tests/run.sh --e2e-only release_version 2>&1); then
			ok "the unpacked tarball builds, passes the unit tests and the version checks without a Git checkout"
		else
			not_ok "the unpacked tarball builds and passes the unit tests without a Git checkout" "$(tail -30 <<<"$out")"
		fi
		check "the binary built from the tarball says stateguard $VERSION" \
			bash -c '[[ $("$1"/build/stateguard --version | head -1) == "stateguard $2" ]]' _ "$src" "$VERSION"
	else
		not_ok "make dist writes $tarball" "$out"
	fi
else
	echo "# not a git checkout: make dist (git archive) not tested"
fi

# ---------------------------------------------------------------- make deb
((EUID == 0)) || { not_ok "the package test installs the package with dpkg -i: run it as root"; finish; }
arch=$(dpkg --print-architecture)
debver=$(dpkg-parsechangelog -S Version)
deb=dist/stateguard_${debver}_$arch.deb
if out=$(nice make -s deb 2>&1) && [[ -f $deb ]]; then
	ok "make deb builds $deb and lintian reports no error"
else
	not_ok "make deb builds $deb and lintian reports no error" "$(tail -40 <<<"$out")"
	finish
fi
lint=$(lintian "$deb" 2>&1 | grep -v 'running with root privileges')
echo "# lintian: ${lint:-clean}" | sed '2,$s/^/# lintian: /'
check "lintian reports no error on the .deb" bash -c '! grep -E "^E: " <<<"$1"' _ "$lint"
check "git status shows nothing that make dist or make deb left in the tree" \
	bash -c 'now=$(git status --porcelain --untracked-files=all 2>/dev/null); [[ $now == "$1" ]] || diff <(echo "$1") <(echo "$now")' _ "$status_before"
depends=$(dpkg-deb -f "$deb" Depends)
check "the package depends on the shared libraries it links (shlibs)" \
	bash -c 'for l in libc6 libgit2 libzip4 libcjson1 libdeflate0 libssl3 zlib1g; do grep -q "$l" <<<"$1" || { echo "no $l in: $1"; exit 1; }; done' _ "$depends"

# ---------------------------------------------------------------- install
if dpkg-query -W -f='${Status}' stateguard 2>/dev/null | grep -q installed; then
	dpkg_locked -P stateguard >/dev/null
fi
if out=$(dpkg_locked -i "$deb"); then
	installed_by_us=1
	ok "dpkg -i installs $deb"
else
	not_ok "dpkg -i installs $deb" "$out"
	finish
fi
# From here on only the installed files: no /usr/local, no build tree on PATH.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
unset STATEGUARD_HOOKS_DIR STATEGUARD
export HOME=$T/home GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name "Package Test"
git config --global user.email "package@example.com"
git config --global init.defaultBranch main

files=$(dpkg -L stateguard)
for f in /usr/bin/stateguard /usr/share/stateguard/hooks/stateguard-hook /usr/share/man/man1/stateguard.1.gz \
	/usr/share/bash-completion/completions/stateguard /usr/share/doc/stateguard/copyright \
	/usr/share/doc/stateguard/README.md.gz /usr/share/doc/stateguard/changelog.gz \
	/usr/share/doc/stateguard/servers.md.gz /usr/share/doc/stateguard/ci.md.gz \
	/usr/share/doc/stateguard/integrations.md.gz; do
	check "the package installs $f" bash -c 'grep -qx "$1" <<<"$2" && [[ -e $1 ]]' _ "$f" "$files"
done
# Depends names exactly the packages that hold the libraries the binary needs (NEEDED).
needed_pkgs() {
	local lib path
	readelf -d /usr/bin/stateguard | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | while read -r lib; do
		path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|64bit|=>/ {print $NF; exit}')
		dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path"
	done | cut -d: -f1 | sort -u
}
check "the packages of the binary's NEEDED libraries are found (readelf, dpkg -S)" \
	bash -c '(($(wc -l <<<"$1") >= 8)) || { echo "too few: $1"; exit 1; }' _ "$(needed_pkgs)"
check "Depends is exactly the packages of the shared libraries the binary links" \
	diff <(needed_pkgs) <(dpkg-query -W -f='${Depends}' stateguard | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort -u)
check "the copyright file names Apache-2.0 and every linked library's license" \
	bash -c 'for w in "License: Apache-2.0" libgit2 libzip cJSON libdeflate zlib liblzma libbz2 libzstd OpenSSL; do grep -q "$w" /usr/share/doc/stateguard/copyright || { echo "no $w"; exit 1; }; done'
check "/usr/bin/stateguard --version says stateguard $VERSION and Apache-2.0" \
	bash -c 'v=$(/usr/bin/stateguard --version) && [[ ${v%%$'"'\n'"'*} == "stateguard $1" && $v == *"License: Apache-2.0"* ]] || { echo "$v"; exit 1; }' _ "$VERSION"
if command -v man >/dev/null; then
	check "man -l renders the installed page without warnings, footer stateguard $VERSION" \
		bash -c 'err=$(MANWIDTH=80 man -l /usr/share/man/man1/stateguard.1.gz 2>&1 >/dev/null); [[ -z $err ]] || { echo "$err"; exit 1; }
			out=$(MANWIDTH=80 man -l /usr/share/man/man1/stateguard.1.gz) && [[ $out == *NAME* && $out == *"stateguard $1"* ]]' _ "$VERSION"
	check "man finds the installed page by name" bash -c '[[ $(man -w stateguard) == /usr/share/man/man1/stateguard.1.gz ]]'
else
	check "mandoc renders the installed page, footer stateguard $VERSION" \
		bash -c 'out=$(mandoc -Tlint -Wwarning /usr/share/man/man1/stateguard.1.gz) && [[ -z $out ]] && mandoc /usr/share/man/man1/stateguard.1.gz | grep -q "stateguard $1"' _ "$VERSION"
fi
check "the installed bash completion completes stateguard's commands" \
	bash -c 'source /usr/share/bash-completion/completions/stateguard && complete -p stateguard >/dev/null &&
		COMP_WORDS=(stateguard ins) COMP_CWORD=1 COMP_LINE="stateguard ins" COMP_POINT=14 &&
		$(complete -p stateguard | sed -E "s/.* -F ([^ ]+) .*/\1/") stateguard ins stateguard && [[ " ${COMPREPLY[*]} " == *" install "* ]]'

# ---------------------------------------------------------------- the server
cd "$T" || finish
git init -q --bare srv.git
if out=$(/usr/bin/stateguard install --server srv.git 2>&1); then
	ok "stateguard install --server installs pre-receive into a bare repository"
else
	not_ok "stateguard install --server installs pre-receive into a bare repository" "$out"
fi
check "the hook calls /usr/bin/stateguard" grep -qx "STATEGUARD_BIN='/usr/bin/stateguard'" srv.git/hooks/pre-receive
cp srv.git/hooks/pre-receive hook.before
git clone -q srv.git work 2>/dev/null
cd work || finish
echo 'resource "terraform_data" "x" {}' >main.tf
git add main.tf && git commit -qm "main"
check "a clean push is accepted" git push -q origin HEAD:main
mkdir -p src/envs/prod
python3 "$ROOT/tests/lib/fixtures.py" state-v4 --resources aws_vpc,aws_db_instance --out src/envs/prod/terraform.tfstate
(cd src && zip -qr ../infra.zip envs)
rm -rf src
git add infra.zip && git commit -qm "infra"
push_refused() { # desc: the push of HEAD is refused naming the state in infra.zip
	local out
	if out=$(git push origin HEAD:main 2>&1); then
		not_ok "$1" "$out"
	elif [[ $out == *"infra.zip!envs/prod/terraform.tfstate"* && $out == *tf-state* ]]; then
		ok "$1"
	else
		not_ok "$1" "$out"
	fi
}
push_refused "the push of infra.zip holding a Terraform state is refused by the installed hook"
check "the refused push left the server's main where it was" \
	bash -c '[[ $(git -C ../srv.git rev-parse main) == $(git rev-parse HEAD~1) ]]'

# ---------------------------------------------------------------- upgrade
# A higher version of the same package, made from the built one (dpkg-deb -R/-b).
dpkg-deb -R "$ROOT/$deb" "$T/up" 2>/dev/null
sed -i "s/^Version: .*/Version: ${debver}+pkgtest1/" "$T/up/DEBIAN/control"
if out=$(dpkg-deb -b "$T/up" "$T/stateguard_up.deb" 2>&1 && dpkg_locked -i "$T/stateguard_up.deb"); then
	ok "dpkg -i upgrades to ${debver}+pkgtest1"
else
	not_ok "dpkg -i upgrades to ${debver}+pkgtest1" "$out"
fi
check "the upgrade is installed" bash -c '[[ $(dpkg-query -W -f="\${Version}" stateguard) == "$1+pkgtest1" ]]' _ "$debver"
check "the upgrade left the written hook as it was" cmp ../hook.before ../srv.git/hooks/pre-receive
push_refused "after the upgrade the hook still refuses infra.zip"
git reset -q --hard HEAD~1
echo "# notes" >NOTES.md
git add NOTES.md && git commit -qm "notes"
check "after the upgrade a clean push is accepted" git push -q origin HEAD:main

# ---------------------------------------------------------------- removal
files=$(dpkg -L stateguard)
if out=$(dpkg_locked -r stateguard); then
	ok "dpkg -r removes the package"
else
	not_ok "dpkg -r removes the package" "$out"
fi
echo "more" >>NOTES.md
git commit -qam "more notes"
out=$(git push origin HEAD:main 2>&1)
rc=$?
if ((rc != 0)) && [[ $out == *"stateguard is not installed any more: /usr/bin/stateguard is missing"* &&
	$out == *"the pre-receive check cannot run, so this push is refused"* &&
	$out == *"or remove the hook: rm '"* ]]; then
	ok "after removal the hook refuses a push and says stateguard is gone"
else
	not_ok "after removal the hook refuses a push and says stateguard is gone" "$out"
fi
if out=$(dpkg_locked -P stateguard); then
	ok "dpkg -P purges the package"
	installed_by_us=0
else
	not_ok "dpkg -P purges the package" "$out"
fi
check "dpkg no longer knows the package" bash -c '! dpkg-query -W -f="\${Status}" stateguard 2>/dev/null | grep -q installed'
left=()
while IFS= read -r f; do
	[[ -z $f || $f == /. ]] && continue
	[[ -e $f || -L $f ]] || continue
	# A directory other packages still own (/usr/bin, /usr/share/man/man1...) stays.
	[[ -d $f && ! -L $f ]] && dpkg-query -S "$f" >/dev/null 2>&1 && continue
	left+=("$f")
done <<<"$files"
check "nothing of the package is left after purge ($(wc -l <<<"$files") paths checked)" \
	bash -c '(($# == 0)) || { printf "left: %s\n" "$@"; exit 1; }' _ "${left[@]}"
check "/usr/share/stateguard and /usr/share/doc/stateguard are gone" \
	bash -c '[[ ! -e /usr/share/stateguard && ! -e /usr/share/doc/stateguard && ! -e /usr/bin/stateguard ]]'

finish
