# stateguard build. `make` builds build/stateguard; `make test` runs every test and ends
# with one line "N passed, N failed, N skipped"; SANITIZE=1 builds with ASan+UBSan into build/asan.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
DESTDIR ?=

# The one version number: VERSION. The binary gets it as SG_VERSION (main.c only);
# the man page's .Os, debian/changelog and CHANGELOG.md are checked against it
# (tests/e2e/release_version.bats), the tarball is named from it.
VERSION := $(shell cat VERSION)

PKGS    := libgit2 libzip libcjson zlib liblzma libzstd libcrypto libdeflate libarchive
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lbz2 -lpthread -lm

CC      ?= cc
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
             -Isrc $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)

ifeq ($(SANITIZE),1)
BUILD   ?= build/asan
ALL_CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else
BUILD   ?= build
endif

SRC      := $(shell find src -name '*.c' ! -name main.c | sort)
OBJ      := $(SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/src/main.o
BIN      := $(BUILD)/stateguard
LIBSG    := $(BUILD)/libstateguard.a

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test test-fresh unit e2e install uninstall clean bench fuzz fuzz-build valgrind demo \
        dist deb test-package

all: $(BIN)

$(BUILD)/obj/%.o: %.c $(shell find src -name '*.h')
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(MAIN_OBJ): ALL_CFLAGS += -DSG_VERSION='"$(VERSION)"'
$(MAIN_OBJ): VERSION

$(LIBSG): $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIBSG)
	$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIBSG) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBSG) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(shell pkg-config --cflags cmocka) $(LDFLAGS) -o $@ $< \
	    $(LIBSG) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

# The regression replay compiles the fuzz targets themselves (tests/unit/test_regress.c).
$(BUILD)/tests/test_regress: $(wildcard fuzz/*.c fuzz/*.h)
$(BUILD)/tests/test_packread: fuzz/pack_build.h

test: $(BIN) $(UNIT_BIN)
	@BUILD=$(BUILD) tests/run.sh

# The README's two commands (./install.sh && make test) on a fresh minimal Debian bookworm
# (debootstrap, chroot; root and Debian's registry needed): proves install.sh installs all
# the tests use. FRESH_REF picks the commit (default HEAD); see tests/fresh.sh.
FRESH_REF ?= HEAD
test-fresh:
	tests/fresh.sh $(FRESH_REF)

unit: $(UNIT_BIN)
	@BUILD=$(BUILD) tests/run.sh --unit-only

e2e: $(BIN)
	@BUILD=$(BUILD) tests/run.sh --e2e-only

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/stateguard/hooks
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/stateguard
	for h in hooks/*; do [ -f "$$h" ] && install -m 0755 "$$h" $(DESTDIR)$(DATADIR)/stateguard/hooks/ || true; done
	if [ -f docs/stateguard.1 ]; then install -d $(DESTDIR)$(MANDIR)/man1 && \
	    install -m 0644 docs/stateguard.1 $(DESTDIR)$(MANDIR)/man1/stateguard.1; fi
	if [ -f contrib/stateguard.bash-completion ]; then \
	    install -d $(DESTDIR)$(DATADIR)/bash-completion/completions && \
	    install -m 0644 contrib/stateguard.bash-completion $(DESTDIR)$(DATADIR)/bash-completion/completions/stateguard; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/stateguard $(DESTDIR)$(MANDIR)/man1/stateguard.1
	rm -f $(DESTDIR)$(DATADIR)/bash-completion/completions/stateguard
	rm -rf $(DESTDIR)$(DATADIR)/stateguard

bench: $(BIN)
	bench/run.sh

demo: $(BIN)
	STATEGUARD=$(abspath $(BIN)) demo/incident.sh

# Fuzzing (fuzz/README.md): every src/ file built again by clang with ASan+UBSan and
# libFuzzer coverage into build/fuzz/, one binary per fuzz/fuzz_*.c, each run for
# FUZZ_SECONDS (FUZZ_TARGETS="fuzz_unpack ..." to pick some).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?=
FUZZ_BUILD   := build/fuzz
FUZZ_CFLAGS   = $(filter-out -Werror,$(ALL_CFLAGS)) -O1 -g -fno-omit-frame-pointer \
                -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_OBJ     := $(SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN     := $(patsubst fuzz/%.c,$(FUZZ_BUILD)/%,$(sort $(wildcard fuzz/fuzz_*.c)))

$(FUZZ_BUILD)/obj/%.o: %.c $(shell find src -name '*.h')
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/libstateguard.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(wildcard fuzz/*.h) $(FUZZ_BUILD)/libstateguard.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ifuzz -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libstateguard.a \
	    $(PKG_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# A representative subset (scans of archives and state, the hooks in real
# repositories) under valgrind memcheck: any error or definite leak fails.
valgrind: $(BIN)
	BIN=$(CURDIR)/$(BIN) tests/valgrind.sh

# Releases (docs in README "Install"). `make dist`: dist/stateguard-$(VERSION).tar.gz from
# `git archive` of HEAD (entries sorted, mtime = the commit's time, owner root, gzip -n:
# the same commit gives the same bytes) and its .sha256. `make deb`: the Debian package
# (debian/, dpkg-buildpackage -b) built in a copy under build/deb, then lintian; the
# .deb lands in dist/. `make test-package` builds both twice over and installs the
# package on this machine (root) to test it; see tests/package.sh.
DIST_NAME := stateguard-$(VERSION)

dist:
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || \
	    { echo "make dist needs a git checkout (it archives HEAD)" >&2; exit 2; }
	@git diff --quiet HEAD 2>/dev/null || \
	    echo "make dist: note: uncommitted changes are not in the tarball (it archives HEAD)" >&2
	@mkdir -p dist
	git archive --format=tar --prefix=$(DIST_NAME)/ HEAD | gzip -n -9 > dist/$(DIST_NAME).tar.gz.tmp
	mv dist/$(DIST_NAME).tar.gz.tmp dist/$(DIST_NAME).tar.gz
	cd dist && sha256sum $(DIST_NAME).tar.gz > $(DIST_NAME).tar.gz.sha256
	@cat dist/$(DIST_NAME).tar.gz.sha256

DEB_DIR := build/deb

deb:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/$(DIST_NAME) dist
	tar -cf - --exclude=./build --exclude=./dist --exclude=./.git --exclude=./bench/out \
	    --exclude=./bench/node_modules --exclude=./fuzz/corpus-run . | tar -xf - -C $(DEB_DIR)/$(DIST_NAME)
	cd $(DEB_DIR)/$(DIST_NAME) && dpkg-buildpackage -us -uc -b
	cp $(DEB_DIR)/*.deb $(DEB_DIR)/*.buildinfo $(DEB_DIR)/*.changes dist/
	lintian --fail-on error --info dist/stateguard_$$(dpkg-parsechangelog -S Version)_$$(dpkg --print-architecture).deb
	@ls -1 dist/stateguard_$$(dpkg-parsechangelog -S Version)_*

test-package:
	@tests/package.sh

clean:
	rm -rf build dist
