# portal: a class leader's toolkit around the school electronic journal.
# make            build every binary into bin/
# make check      install what is missing, build, run unit tests, CLI tests and the man page lint
# make demo       install, build, run the main job on a synthetic school in a fresh store
# make bench      performance figures on a school of real size

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
PKGS      := sqlite3 libsodium
CPPFLAGS  += -D_GNU_SOURCE -DPORTAL_VERSION='"$(VERSION)"' -Ilib -Ibuild -MMD -MP
CFLAGS    ?= -O2 -g
CFLAGS    += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wno-format-truncation
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS    += $(PKG_LIBS) -lcsv -lpthread -lm
CPPFLAGS  += $(PKG_CFLAGS)

# Debian packages the toolkit and its tests need.
DEB_PKGS := build-essential pkg-config sqlite3 libsqlite3-dev libcsv-dev libxlsxwriter-dev \
	libcmocka-dev bats libsodium-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core \
	libqrencode-dev libgmime-3.0-dev mandoc poppler-utils python3 time zsh fish

BINS    := portal-db portal-accounts
LIB_SRC := $(wildcard lib/*.c) build/schema.c
LIB_OBJ := $(patsubst %.c,build/%.o,$(notdir $(LIB_SRC)))
FRAME_OBJ := build/frame.o build/importcmd.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
SCHEMA  := $(sort $(wildcard share/schema/*.sql))
MANS    := $(wildcard share/man/*.1)

all: $(addprefix bin/,$(BINS)) build/portal-synth

build bin build/tests:
	mkdir -p $@

build/schema.c: $(SCHEMA) | build
	sh share/schema/embed.sh $(SCHEMA) > $@.tmp && mv $@.tmp $@

build/%.o: lib/%.c | build
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/schema.o: build/schema.c | build
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/frame.o build/importcmd.o: build/%.o: cmd/%.c | build
	$(CC) $(CPPFLAGS) $(CFLAGS) -Icmd -c -o $@ $<

build/cmd-%.o: cmd/%.c | build
	$(CC) $(CPPFLAGS) $(CFLAGS) -Icmd -c -o $@ $<

lib/libportal.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

bin/%: build/cmd-%.o $(FRAME_OBJ) lib/libportal.a | bin
	$(CC) $(LDFLAGS) -o $@ $< $(FRAME_OBJ) lib/libportal.a $(LDLIBS)

build/portal-synth: tests/synth/synth.c | build
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LDLIBS)

build/tests/%: tests/unit/%.c lib/libportal.a | build/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< lib/libportal.a $(LDLIBS) -lcmocka

deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all installed"; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: run as root: apt-get install -y $$missing"; exit 69; fi

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

cli: all
	bats tests/cli

manlint:
	mandoc -T lint -W warning $(MANS)

check: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) cli
	$(MAKE) manlint

demo: deps
	$(MAKE) all
	sh share/demo/demo.sh

build/bench-hashtime: tests/bench/hashtime.c lib/libportal.a | build
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< lib/libportal.a $(LDLIBS)

bench: all build/bench-hashtime
	sh tests/bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(addprefix bin/,$(BINS)) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MANS) $(DESTDIR)$(PREFIX)/share/man/man1/
	for b in $(BINS); do \
		install -m 644 completions/bash/$$b $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$b; \
		install -m 644 completions/zsh/_$$b $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$$b; \
		install -m 644 completions/fish/$$b.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$b.fish; \
	done

clean:
	rm -rf build bin lib/libportal.a

.PHONY: all deps unit cli manlint check demo bench install clean
.SECONDARY:
-include $(wildcard build/*.d build/tests/*.d)
