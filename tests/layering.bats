#!/usr/bin/env bats
# How the source is laid out, checked on the tree itself: libcore's modules
# depend one way, every command is a descriptor run by the one main, and
# SQL stays in libcore.  These read files, not the build.

SRC="$BATS_TEST_DIRNAME/.."

# "used user" pairs for tsort: each #include "x.h" in libcore/y.[ch] makes
# module y depend on x.  A module's private headers (x_priv.h, x_defs.h)
# are part of it.
libcore_includes() {
	local f user used
	for f in "$SRC"/libcore/*.[ch]; do
		user=$(basename "${f%.[ch]}")
		user=${user%_priv}
		user=${user%_defs}
		sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]+"([a-z_0-9]+)\.h".*/\1/p' "$f" |
			while read -r used; do
				used=${used%_priv}
				used=${used%_defs}
				[ "$used" = "$user" ] || echo "$used $user"
			done
	done
}

@test "libcore: no include cycle between modules" {
	libcore_includes >"$BATS_TEST_TMPDIR/pairs"
	[ -s "$BATS_TEST_TMPDIR/pairs" ]
	run tsort "$BATS_TEST_TMPDIR/pairs"
	[ "$status" -eq 0 ]
	[[ "$output" != *"loop"* ]]
}

@test "libcore: the cycle check sees a cycle" {
	# The check above must be able to fail: a loop fed to it is reported.
	printf 'a b\nb c\nc a\n' >"$BATS_TEST_TMPDIR/pairs"
	run tsort "$BATS_TEST_TMPDIR/pairs"
	[ "$status" -ne 0 ]
	[[ "$output" == *"loop"* ]]
}

@test "libcore: db.c and the store drivers are leaves, and nothing in libcore includes a command" {
	local f
	run sed -nE 's/^#[[:space:]]*include[[:space:]]+"([a-z_0-9]+\.h)".*/\1/p' "$SRC/libcore/db.c"
	[ "$status" -eq 0 ]
	for h in $output; do
		case $h in db.h | util.h | store.h | store_sqlite.h | store_pg.h) ;;
		*) echo "db.c includes $h"; return 1 ;; esac
	done
	# a driver knows the seam and nothing of appt's above it
	for f in store_sqlite.c store_sqlite.h store_pg.c store_pg.h; do
		run sed -nE 's/^#[[:space:]]*include[[:space:]]+"([a-z_0-9]+\.h)".*/\1/p' "$SRC/libcore/$f"
		for h in $output; do
			case $h in util.h | store.h | store_sqlite.h | store_pg.h) ;;
			*) echo "$f includes $h"; return 1 ;; esac
		done
	done
	run grep -lE '#[[:space:]]*include[[:space:]]+"\.\./cmd/' "$SRC"/libcore/*.[ch]
	[ "$status" -ne 0 ]
}

@test "cmd: one main, and no command parses its own options" {
	run grep -lE 'getopt_long|getopt\(' "$SRC"/cmd/*.c
	[ "$status" -ne 0 ] || { echo "own option loop: $output"; false; }
	run grep -lE '^int main\(' "$SRC"/cmd/*.c
	[ "$output" = "$SRC/cmd/appt.c" ]
}

@test "cmd: every command file is a descriptor" {
	local f name
	for f in "$SRC"/cmd/*.c; do
		name=$(basename "${f%.c}")
		[ "$name" = appt ] && continue
		grep -qE "^(const struct command cmd_$name( |$)|STATE_COMMAND\($name,)" "$f" ||
			{ echo "$f: no 'const struct command cmd_$name'"; return 1; }
	done
}

@test "cmd: no SQL outside libcore" {
	run grep -lE 'sqlite3_|"(SELECT|INSERT|UPDATE|DELETE) ' "$SRC"/cmd/*.c
	[ "$status" -ne 0 ] || { echo "SQL in: $output"; false; }
}

@test "cmd: no command opens a transaction for the library" {
	# libcore's functions open their own (they nest); a command that only
	# reads asks its descriptor for one snapshot (CMD_NEEDS_SNAPSHOT).
	run grep -lE 'db_(begin|commit|rollback|finish)' "$SRC"/cmd/*.c
	[ "$status" -ne 0 ] || { echo "transaction in: $output"; false; }
}
