# appt — build, test, install, demo, bench.
#
# Every libcore/*.c goes into libappt.a; every cmd/NAME.c is a command
# linked into appt (cmd/appt.c holds their table and the one main), with an
# appt-NAME link to it.  O= picks the output directory, so a
# sanitizer build (O=build-asan) never mixes objects with the normal one.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/appt
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share
DESTDIR    ?=

O          ?= build
CC         ?= cc
CFLAGS     ?= -g -O2
# -Werror only where we build (check, asan): a user with a newer compiler is
# warned, not stopped, by a warning this code base has not met yet.
WERROR     ?=
override CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) \
	-Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Ilibcore -I/usr/include/postgresql $(CFLAGS)
LIBS       := -lsqlite3 -lpq -lyaml -lcsv -ljansson -lmicrohttpd -lnettle -lm

SAN_FLAGS  := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined

DEBIAN_PACKAGES := gcc make libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-common \
	libyaml-dev libcsv-dev \
	libjansson-dev bats bats-assert bats-support bats-file python3 \
	python3-icalendar man-db parallel zsh fish hledger \
	libmicrohttpd-dev nettle-dev curl chromium chromium-driver python3-selenium

CORE_SRC   := $(sort $(wildcard libcore/*.c))
CORE_OBJ   := $(CORE_SRC:%.c=$(O)/%.o)
CMD_SRC    := $(sort $(filter-out cmd/appt.c,$(wildcard cmd/*.c)))
CMD_OBJ    := $(CMD_SRC:%.c=$(O)/%.o)
# Every command is a descriptor linked into appt, which runs it in-process
# and answers to the name appt-NAME (a link to it), as git does.
CMD_NAMES  := $(CMD_SRC:cmd/%.c=%)
LINK_BIN   := $(CMD_NAMES:%=$(O)/bin/appt-%)
UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(O)/unit/%)
ALL_BIN    := $(O)/bin/appt $(LINK_BIN)

.PHONY: all check test unit demo bench install uninstall clean deps asan FORCE
.SUFFIXES:

all: $(ALL_BIN) $(UNIT_BIN)

# Each object depends on the headers it includes (the .d files -MMD writes)
# and on the flags it was built with: building with other CFLAGS (check's
# -Werror, or new install paths) rebuilds it.
$(O)/libcore/%.o: libcore/%.c $(O)/flags | $(O)/libcore
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(O)/cmd/%.o: cmd/%.c $(O)/flags | $(O)/cmd
	$(CC) $(CFLAGS) -MMD -MP -DAPPT_LIBEXECDIR='"$(LIBEXECDIR)"' \
		-DAPPT_MANDIR='"$(MANDIR)"' -c -o $@ $<

$(O)/flags: FORCE | $(O)/cmd
	@echo '$(CC) $(CFLAGS) $(LIBEXECDIR) $(MANDIR)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS) $(LIBEXECDIR) $(MANDIR)' >$@

$(O)/libappt.a: $(CORE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(O)/bin/appt: $(O)/cmd/appt.o $(CMD_OBJ) $(O)/libappt.a | $(O)/bin
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

# appt-NAME is appt itself, under the name it dispatches on.
$(LINK_BIN): $(O)/bin/appt
	ln -sf appt $@

$(O)/unit/%: tests/unit/%.c $(O)/libappt.a | $(O)/unit
	$(CC) $(CFLAGS) -MMD -MP -Itests/unit -o $@ $< $(O)/libappt.a $(LIBS)

$(O)/libcore $(O)/cmd $(O)/bin $(O)/unit:
	mkdir -p $@

-include $(CORE_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(O)/cmd/appt.d $(UNIT_BIN:=.d)

# Installs what a fresh Debian machine lacks; as a normal user it prints the
# exact command instead, since only root may install.
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "missing Debian packages; run as root:"; \
			echo "  apt-get install -y $$missing"; exit 1; \
		fi; \
	fi

asan:
	$(MAKE) O=build-asan CFLAGS="$(SAN_FLAGS)" WERROR=-Werror all

# Both builds are -Wall -Wextra -Werror; the unit tests run against each.
# The whole bats suite runs twice, side by side: on SQLite under
# AddressSanitizer and UBSan, where a memory error or undefined behaviour
# fails the test that caused it, and on PostgreSQL with the normal build,
# against a throwaway cluster the run starts itself (tests/with-pg).
check: deps
	$(MAKE) WERROR=-Werror all
	$(MAKE) asan
	@tests/run-all --units build --all build-asan --pg build

test: all
	@tests/run-all $(O)

demo: deps all
	@O=$(O) ./demo.sh

bench: deps all
	@O=$(O) bench/run $(BENCH)
	@if [ -z "$(BENCH)" ]; then O=$(O) bench/serve; fi

MAN1       := $(notdir $(wildcard man/*.1))
MAN5       := $(notdir $(wildcard man/*.5))
COMPLETION_FILES := $(DATADIR)/bash-completion/completions/appt \
	$(DATADIR)/zsh/vendor-completions/_appt $(DATADIR)/fish/vendor_completions.d/appt.fish

# As git: appt-NAME of a built-in is a link to appt in libexec, for scripts
# that call a command directly; appt dispatches on the name it is run as.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(O)/bin/appt $(DESTDIR)$(BINDIR)/appt
	for n in $(CMD_NAMES); do ln -sf $(BINDIR)/appt $(DESTDIR)$(LIBEXECDIR)/appt-$$n || exit 1; done
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -d $(dir $(COMPLETION_FILES:%=$(DESTDIR)%))
	install -m 644 completions/appt.bash $(DESTDIR)$(DATADIR)/bash-completion/completions/appt
	install -m 644 completions/_appt $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_appt
	install -m 644 completions/appt.fish $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/appt.fish

# Everything install put in place, and appt's libexec directory once empty.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/appt $(CMD_NAMES:%=$(DESTDIR)$(LIBEXECDIR)/appt-%) \
		$(MAN1:%=$(DESTDIR)$(MANDIR)/man1/%) $(MAN5:%=$(DESTDIR)$(MANDIR)/man5/%) \
		$(COMPLETION_FILES:%=$(DESTDIR)%)
	rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null || true

clean:
	rm -rf build build-asan build-* bench/data
