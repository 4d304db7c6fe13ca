# stateguard build. `make` builds build/stateguard; `make test` runs every test and ends
# with one line "N passed, N failed"; SANITIZE=1 builds with ASan+UBSan into build/asan.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
DESTDIR ?=

PKGS    := libgit2 libzip libcjson zlib liblzma libzstd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lbz2 -lpthread

CC      ?= cc
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
             -Isrc $(PKG_CFLAGS) $(CFLAGS)

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

.PHONY: all test unit e2e install uninstall clean bench fuzz demo

all: $(BIN)

$(BUILD)/obj/%.o: %.c $(shell find src -name '*.h')
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBSG): $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIBSG)
	$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIBSG) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBSG) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(shell pkg-config --cflags cmocka) $(LDFLAGS) -o $@ $< \
	    $(LIBSG) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

test: $(BIN) $(UNIT_BIN)
	@BUILD=$(BUILD) tests/run.sh

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

clean:
	rm -rf build
