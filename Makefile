# portal: a class leader's toolkit around the school electronic journal.
# make            build every binary into bin/
# make check      install what is missing, build, run unit tests, CLI tests (on SQLite, then on a
#                 throw-away PostgreSQL cluster), the man page lint,
#                 the check that lib/ modules depend downward only, and a short fuzz
# make demo       install, build, run the main job on a synthetic school in a fresh store
# make bench      performance figures on a school of real size
# make fuzz       run each libFuzzer target (tests/fuzz) for FUZZ_SECONDS

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
# where make install puts things; the Debian package (debian/rules) names those Debian wants
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
PORTALDIR   ?= $(DATADIR)/portal
DOCDIR      ?= $(DATADIR)/doc/portal
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
LOCALEDIR   ?= $(DATADIR)/locale
CC        ?= cc
PKGS      := sqlite3 libpq libsodium xlsxwriter jansson
CPPFLAGS  += -D_GNU_SOURCE -DPORTAL_VERSION='"$(VERSION)"' -Ilib -MMD -MP
CFLAGS    ?= -O2 -g
override CFLAGS += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wno-format-truncation
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# GMime, cairo, pango and GLib: their headers are not ours to warn about
GLIB_PKGS  := gmime-3.0 cairo pangocairo libqrencode
PKG_CFLAGS += $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(GLIB_PKGS) 2>/dev/null))
PKG_LIBS   += $(shell pkg-config --libs $(GLIB_PKGS) 2>/dev/null)
# each binary needs only the shared libraries it calls (fewer to load at every start)
LDLIBS    += -Wl,--as-needed $(PKG_LIBS) -lcsv -lpthread -lm
CPPFLAGS  += $(PKG_CFLAGS)

# Debian packages the toolkit and its tests need.
DEB_PKGS := build-essential pkg-config sqlite3 libsqlite3-dev libcsv-dev libxlsxwriter-dev \
	libcmocka-dev bats libsodium-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core \
	libqrencode-dev libgmime-3.0-dev mandoc poppler-utils zbar-tools msmtp python3-openpyxl python3 time zsh fish clang libclang-rt-dev \
	libmicrohttpd-dev curl wrk nginx-light chromium chromium-driver python3-selenium \
	postgresql postgresql-common libpq-dev systemd devscripts debhelper lintian libjansson-dev jq \
	gettext locales

# B and BIN name the build and binary folders, so check-asan builds beside the normal build.
B       ?= build
BIN     ?= bin
LIBA    := $(if $(filter build,$(B)),lib/libportal.a,$(B)/libportal.a)
BINS    := portal-db portal-accounts portal-journal portal-consent portal-extract portal-ack portal-report portal-web
LIB_SRC := $(wildcard lib/*.c lib/store/*.c) $(B)/schema.c
LIB_OBJ := $(patsubst %.c,$(B)/%.o,$(notdir $(LIB_SRC)))
FRAME_OBJ := $(B)/frame.o $(B)/importcmd.o $(B)/completion.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
SCHEMA  := $(sort $(wildcard share/schema/*.sql))
MANS    := $(wildcard share/man/*.1 share/man/*.7)
# the translations of the messages: share/po/LANG.po, built into $(B)/locale/LANG/LC_MESSAGES/portal.mo
LINGUAS := $(patsubst share/po/%.po,%,$(wildcard share/po/*.po))
MOS     := $(foreach l,$(LINGUAS),$(B)/locale/$(l)/LC_MESSAGES/portal.mo)
# what make install puts under PORTALDIR and UNITDIR besides the binaries, pages and completions
EXAMPLES := $(notdir $(wildcard share/examples/*.csv))
UNITS    := portal-web.service portal-nightly.service portal-nightly.timer
DOCS     := README.md $(wildcard docs/*.md)

all: bins $(B)/portal-synth

# the toolkit alone, without the test tools
bins: $(addprefix $(BIN)/,$(BINS)) $(MOS)

$(B) $(BIN) $(B)/tests:
	mkdir -p $@

$(B)/schema.c: $(SCHEMA) share/schema/embed.sh | $(B)
	sh share/schema/embed.sh $(SCHEMA) > $@.tmp && mv $@.tmp $@

$(B)/%.o: lib/%.c | $(B)
	$(CC) $(CPPFLAGS) -I$(B) $(CFLAGS) -c -o $@ $<

# the engines behind store.h
$(B)/%.o: lib/store/%.c | $(B)
	$(CC) $(CPPFLAGS) -I$(B) $(CFLAGS) -c -o $@ $<

$(B)/schema.o: $(B)/schema.c | $(B)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(FRAME_OBJ): $(B)/%.o: cmd/%.c | $(B)
	$(CC) $(CPPFLAGS) -I$(B) $(CFLAGS) -Icmd -c -o $@ $<

# where the installed translations are (frame.c), rewritten only when LOCALEDIR changes, so that
# make install PREFIX=/usr after make builds the frame again for the new place
$(B)/localedir.h: FORCE | $(B)
	@printf '#define LOCALEDIR "%s"\n' '$(LOCALEDIR)' > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(B)/frame.o: $(B)/localedir.h
FORCE:

# Messages for people go through gettext at the few printers they all pass (lib/i18n.h): these
# are their names and which argument is the message (a format: c-format for the translators).
XGETTEXT_KEYWORDS := _ N_ ngettext:1,2 \
	perr_set:3 cmd_warn:2 cmd_note:2 cmd_error:2 cmd_progress_done:2 cmd_progress:2 \
	import_error:3 import_warn:2 usage_error:2 \
	actor_require_admin:2 actor_may_write_class:3 rights_guardian:3 may_manage:3
XGETTEXT_FLAGS := perr_set:3:c-format cmd_warn:2:c-format cmd_note:2:c-format cmd_error:2:c-format \
	cmd_progress_done:2:c-format import_error:3:c-format import_warn:2:c-format usage_error:2:c-format
POT_SRC = $(sort $(wildcard cmd/*.c cmd/*.h lib/*.c lib/*.h lib/store/*.c lib/store/*.h))
# the files a message is in, not its lines: the template changes only when the messages do
# (POT-Creation-Date says when it was made, not what it holds: it goes too)
XGETTEXT := xgettext --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: --add-location=file \
	--package-name=portal --package-version=$(VERSION) --msgid-bugs-address=maintainers@users.noreply.r-seed-96652e22.example \
	$(addprefix --keyword=,$(XGETTEXT_KEYWORDS)) $(addprefix --flag=,$(XGETTEXT_FLAGS))
POT_TMP ?= $(B)/portal.pot

$(POT_TMP): $(POT_SRC) Makefile | $(B)
	$(XGETTEXT) -o $@.tmp $(POT_SRC)
	sed '/^"POT-Creation-Date:/d' $@.tmp > $@ && rm -f $@.tmp

# make pot: share/po/portal.pot from the sources, and each LANG.po merged with it (a new message
# untranslated, a changed one fuzzy, until a translator sees to it)
pot: $(POT_TMP)
	cp $(POT_TMP) share/po/portal.pot
	for l in $(LINGUAS); do msgmerge -q --update --backup=none share/po/$$l.po share/po/portal.pot || exit 1; done

# msgfmt --check: the placeholders of each translation are those of its message, in kind and order
$(B)/locale/%/LC_MESSAGES/portal.mo: share/po/%.po
	mkdir -p $(@D)
	msgfmt --check -o $@.tmp $< && mv $@.tmp $@

# The translations are whole (make check): share/po/portal.pot is what make pot makes of the sources
# now, and each LANG.po translates every message of it, none fuzzy.
po-check: $(POT_TMP)
	@cmp -s $(POT_TMP) share/po/portal.pot || { diff -u share/po/portal.pot $(POT_TMP) | head -40; \
		echo "po-check: share/po/portal.pot is not the sources' (make pot, then translate what is new)"; exit 1; }
	@for l in $(LINGUAS); do \
		msgcmp --use-untranslated share/po/$$l.po share/po/portal.pot || exit 1; \
		out=$$(LC_ALL=C msgfmt --check --statistics -o /dev/null share/po/$$l.po 2>&1) || { echo "$$out"; exit 1; }; \
		echo "$$l.po: $$out"; \
		case "$$out" in *untranslated*|*fuzzy*) echo "po-check: $$l.po is not translated in full"; exit 1;; esac; \
	done

$(B)/cmd-%.o: cmd/%.c | $(B)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Icmd -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BIN)/%: $(B)/cmd-%.o $(FRAME_OBJ) $(LIBA) | $(BIN)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(FRAME_OBJ) $(LIBA) $(LDLIBS)

# only the web cabinet speaks HTTP
WEB_PKGS   := libmicrohttpd
MHD_CFLAGS := $(shell pkg-config --cflags $(WEB_PKGS) 2>/dev/null)
MHD_LIBS   := $(shell pkg-config --libs $(WEB_PKGS) 2>/dev/null)
$(B)/cmd-portal-web.o: CPPFLAGS += $(MHD_CFLAGS)
$(BIN)/portal-web: LDLIBS += $(MHD_LIBS)

$(B)/portal-synth: tests/synth/synth.c | $(B)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(LIBA) | $(B)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBA) $(LDLIBS) -lcmocka

deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all installed"; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: run as root: apt-get install -y $$missing"; exit 69; fi

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

cli: all
	PORTAL_BIN=$(CURDIR)/$(BIN) PORTAL_SYNTH=$(CURDIR)/$(SYNTH_BIN) bats tests/cli

# The unit and CLI tests again on PostgreSQL (make check runs them too): pg_virtualenv makes a throw-away
# cluster and removes it after (-t: in a temporary folder, also as root; C.UTF-8 orders text
# by code point, as SQLite does); each test's store is a school schema in it.
# PG_TESTS narrows the run (e.g. PG_TESTS=tests/cli/journal.bats).
PG_TESTS ?= tests/cli
check-pg: all $(UNIT_BIN)
	PORTAL_TEST_ENGINE=postgresql PORTAL_BIN=$(CURDIR)/$(BIN) PORTAL_SYNTH=$(CURDIR)/$(SYNTH_BIN) \
		pg_virtualenv -t -i --locale=C.UTF-8 sh -c '$(MAKE) -s unit && bats $(PG_TESTS)'

manlint:
	mandoc -T lint -W warning $(MANS)

# lib/ modules depend downward only: no cycle among their #include lines (-v shows the layers)
layers:
	sh tests/layers.sh

# every step below in order, then one line: N passed, M failed, K skipped (tests/check.sh)
check: deps
	sh tests/check.sh

# Everything again under AddressSanitizer and UndefinedBehaviorSanitizer.
SYNTH_BIN ?= $(B)/portal-synth
# the generator is a test tool that exits at once; the sanitizers look at the toolkit
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	$(MAKE) B=build-asan BIN=build-asan/bin SYNTH_BIN=build/portal-synth CFLAGS="$(ASAN_FLAGS)" \
		LDFLAGS="-fsanitize=address,undefined" unit cli

# the README tour's sample files, from the synthetic school (the calendar is kept as it is)
examples: $(B)/portal-synth
	sh tests/synth/examples.sh $(B)/portal-synth share/examples

demo: deps
	$(MAKE) all
	sh share/demo/demo.sh

$(B)/bench-hashtime: tests/bench/hashtime.c $(LIBA) | $(B)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

bench: all $(B)/bench-hashtime
	sh tests/bench/run.sh

# libFuzzer targets for the input parsers, built with clang in their own folder:
# the library under ASan and UBSan with fuzzer coverage, each target linked to libFuzzer.
# New inputs go to FUZZ_B/corpus, crashes to FUZZ_B/artifacts; tests/fuzz/corpus is only read.
FUZZ_B       := build-fuzz
FUZZ_CC      ?= clang
# clang does not know gcc's -Wno-format-truncation
FUZZ_CFLAGS  ?= -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -Wno-unknown-warning-option
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?= 20000
FUZZ_OPTS    := -max_len=4096 -timeout=10 -print_final_stats=1
FUZZ_ENV     := ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(LIBA) | $(B)
	$(CC) $(CPPFLAGS) -Itests/fuzz $(CFLAGS) $(FUZZ_LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

fuzz-build:
	$(MAKE) B=$(FUZZ_B) CC=$(FUZZ_CC) CFLAGS="$(FUZZ_CFLAGS)" $(addprefix $(FUZZ_B)/,$(FUZZ_TARGETS))

# every target for FUZZ_SECONDS on its corpus; the failures are counted at the end
fuzz: fuzz-build
	@fail=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_B)/corpus/$$t $(FUZZ_B)/artifacts; \
		echo "== $$t: $(FUZZ_SECONDS) s"; \
		$(FUZZ_ENV) $(FUZZ_B)/$$t $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=$(FUZZ_B)/artifacts/$$t- $(FUZZ_B)/corpus/$$t tests/fuzz/corpus/$$t || fail=1; \
	done; exit $$fail

# a short fixed run of each target from its seeds, for make check
fuzz-smoke: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
		rm -rf $(FUZZ_B)/smoke/$$t; mkdir -p $(FUZZ_B)/smoke/$$t $(FUZZ_B)/artifacts; \
		echo "== $$t: $(FUZZ_RUNS) runs"; \
		$(FUZZ_ENV) $(FUZZ_B)/$$t $(FUZZ_OPTS) -runs=$(FUZZ_RUNS) -seed=1 \
			-artifact_prefix=$(FUZZ_B)/artifacts/$$t- $(FUZZ_B)/smoke/$$t tests/fuzz/corpus/$$t \
			2> $(FUZZ_B)/smoke/$$t.log || { tail -n 40 $(FUZZ_B)/smoke/$$t.log; exit 1; }; \
		grep -h '^Done' $(FUZZ_B)/smoke/$$t.log; \
	done

# Everything a school's machine needs, under PREFIX (DESTDIR for a staging folder). The units name
# the binaries in /usr/local/bin, as share/systemd is read; here they get BINDIR.
install: bins
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR) \
		$(DESTDIR)$(PORTALDIR)/examples $(DESTDIR)$(PORTALDIR)/nginx $(DESTDIR)$(PORTALDIR)/default \
		$(DESTDIR)$(PORTALDIR)/postgresql \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(addprefix $(BIN)/,$(BINS)) $(DESTDIR)$(BINDIR)/
	# the database roles of a school on PostgreSQL (docs/postgresql.md)
	install -m 755 share/postgresql/grants.sh $(DESTDIR)$(PORTALDIR)/postgresql/
	install -m 644 $(filter %.1,$(MANS)) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(filter %.7,$(MANS)) $(DESTDIR)$(MANDIR)/man7/
	install -m 644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	# one script per shell asks the binary (portal-X --complete); each shell finds it by the binary's name
	for b in $(BINS); do \
		install -m 644 completions/bash/portal $(DESTDIR)$(BASHCOMPDIR)/$$b && \
		install -m 644 completions/zsh/_portal $(DESTDIR)$(ZSHCOMPDIR)/_$$b && \
		install -m 644 completions/fish/portal.fish $(DESTDIR)$(FISHCOMPDIR)/$$b.fish || exit 1; \
	done
	# the production calendar and the tour's sample files
	install -m 644 $(addprefix share/examples/,$(EXAMPLES)) $(DESTDIR)$(PORTALDIR)/examples/
	# to copy and edit: the nginx site, /etc/default/portal
	install -m 644 share/nginx/portal.conf $(DESTDIR)$(PORTALDIR)/nginx/
	install -m 644 share/default/portal $(DESTDIR)$(PORTALDIR)/default/
	# the services (not enabled) and the user portal who runs them (systemd-sysusers creates it)
	for u in $(UNITS); do \
		sed 's|/usr/local/bin/|$(BINDIR)/|g' share/systemd/$$u > $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		chmod 644 $(DESTDIR)$(UNITDIR)/$$u.tmp && mv $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -m 644 share/sysusers/portal.conf $(DESTDIR)$(SYSUSERSDIR)/
	# the messages in each language of share/po, where the binaries look for them (LOCALEDIR)
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(B)/locale/$$l/LC_MESSAGES/portal.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/ || exit 1; \
	done

# Exactly what install put, and the folders that are portal's own; a store is never under PREFIX.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(BINS)) \
		$(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(filter %.1,$(MANS)))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(filter %.7,$(MANS)))) \
		$(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(BINS)) \
		$(addprefix $(DESTDIR)$(ZSHCOMPDIR)/_,$(BINS)) \
		$(addprefix $(DESTDIR)$(FISHCOMPDIR)/,$(addsuffix .fish,$(BINS))) \
		$(addprefix $(DESTDIR)$(PORTALDIR)/examples/,$(EXAMPLES)) \
		$(DESTDIR)$(PORTALDIR)/nginx/portal.conf $(DESTDIR)$(PORTALDIR)/default/portal \
		$(DESTDIR)$(PORTALDIR)/postgresql/grants.sh \
		$(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) $(DESTDIR)$(SYSUSERSDIR)/portal.conf \
		$(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS))) \
		$(foreach l,$(LINGUAS),$(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/portal.mo)
	for d in $(addprefix $(DESTDIR)$(PORTALDIR)/,examples nginx default postgresql) $(DESTDIR)$(PORTALDIR) $(DESTDIR)$(DOCDIR); do \
		[ ! -d $$d ] || rmdir --ignore-fail-on-non-empty $$d || exit 1; \
	done

# The Debian package (debian/), built by dpkg-buildpackage from a copy of the tree in DEB_DIR, so
# the tree stays as it is; the .deb lands in DEB_DIR, and lintian (where it is installed) checks it.
DEB_DIR := build/deb
DEB_SRC := $(DEB_DIR)/portal-$(VERSION)
deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || \
		{ echo "deb: dpkg-buildpackage and debhelper are needed: make deps"; exit 69; }
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	# the source as it is now: the files git knows of, or without git all but the builds
	{ git ls-files -z --cached --others --exclude-standard 2>/dev/null || \
		find . \( -name .git -o -path ./bin -o -path './build*' \) -prune -o -type f ! -name '*.[oad]' -print0; } | \
		xargs -0 sh -c 'for f; do [ ! -e "$$f" ] || printf "%s\0" "$$f"; done' copy | \
		tar --null -T - -cf - | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b -Jauto
	rm -rf $(DEB_SRC)
	@if command -v lintian >/dev/null; then echo "lintian $(DEB_DIR)/portal_$(VERSION)_*.changes"; \
		lintian --fail-on error --tag-display-limit 0 $(DEB_DIR)/portal_$(VERSION)_*.changes; \
	else echo "deb: lintian is not installed, the package is not checked (make deps)"; fi

clean:
	rm -rf build build-asan build-fuzz bin lib/libportal.a

.PHONY: FORCE pot po-check all bins deps unit cli check-pg manlint layers check check-asan demo bench install uninstall deb clean fuzz fuzz-build fuzz-smoke examples
.SECONDARY:
-include $(wildcard $(B)/*.d $(B)/tests/*.d)
