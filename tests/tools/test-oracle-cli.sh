#!/bin/bash
# shellcheck disable=SC2015 # pass never fails: 'test && pass || fail' is fine
# The data oracle's command line on the host (tests/unit/test-oracle.c tests
# its workings): help, errors that name the bad option and value, exit
# statuses, a write and check round trip, a lost and a foreign block made
# with dd, a clean stop on SIGTERM. Ends with "N passed, N failed" and exits
# non-zero if anything failed.
#
#   tests/tools/test-oracle-cli.sh        (ORACLE=path overrides the binary)
set -uo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
ORACLE=${ORACLE:-$SRC/tests/tools/oracle}
# O_DIRECT needs a file system that takes it: not tmpfs.
TMP=$(mktemp -d /var/tmp/mpio-oracle-cli-XXXXXX)
trap 'rm -rf "$TMP"' EXIT

RUN=$ORACLE
# shellcheck source=tests/lib-host.sh
. "$SRC/tests/lib-host.sh"

[ -x "$ORACLE" ] || { echo "no binary at $ORACLE (make -C tests/tools)" >&2; exit 1; }

# ---- help and usage errors ----
run --help
expect "--help" 0 "oracle write [OPTIONS] TARGET JOURNAL"
run
expect "no command" 2 "" "oracle check [OPTIONS]"
run frob
expect "unknown command" 2 "" "unknown command 'frob'"
run write --help
expect "write --help" 0 "--queue-depth=N"
run check --help
expect "check --help" 0 "--max-lines=N"
run write --block-size 3000 "$TMP/dev" "$TMP/j"
expect "bad block size" 2 "" "invalid --block-size '3000': a multiple of 512 from 512 to 8m"
run write -b 16m "$TMP/dev" "$TMP/j"
expect "block size too large" 2 "" "invalid --block-size '16m'"
run write --queue-depth 0 "$TMP/dev" "$TMP/j"
expect "bad queue depth" 2 "" "invalid --queue-depth '0': a number from 1 to 256"
run write --pattern zigzag "$TMP/dev" "$TMP/j"
expect "bad pattern" 2 "" "invalid --pattern 'zigzag': random or sequential"
run write --time 5x "$TMP/dev" "$TMP/j"
expect "bad time" 2 "" "invalid --time '5x'"
run write --offset 100 "$TMP/dev" "$TMP/j"
expect "bad offset" 2 "" "invalid --offset '100'"
run write --bogus "$TMP/dev" "$TMP/j"
expect "unknown option" 2 "" "unrecognized option '--bogus'"
run write "$TMP/dev"
expect "no journal" 2 "" "expected TARGET and JOURNAL"
run check -m x "$TMP/dev" "$TMP/j"
expect "bad max-lines" 2 "" "invalid --max-lines 'x'"

# ---- errors at start ----
run write "$TMP/none" "$TMP/j"
expect "missing target" 2 "" "cannot open $TMP/none: No such file or directory"
run write --file "$TMP/f" "$TMP/j"
expect "--file without --length" 2 "" "--file needs --length"
truncate -s 1m "$TMP/dev"
run write --length 8m "$TMP/dev" "$TMP/j"
expect "region beyond the end" 2 "" "ends beyond $TMP/dev's 1048576 bytes"
run write --offset 2m "$TMP/dev" "$TMP/j"
expect "offset beyond the end" 2 "" "the offset 2097152 is not inside $TMP/dev's 1048576 bytes"
run write --buffered --fsync-every 0 "$TMP/dev" "$TMP/j"
expect "buffered without fsync" 2 "" "buffered writes need --fsync-every N"
# tmpfs takes O_DIRECT from Linux 6.6 on; before, the refusal is tested.
shm=$(mktemp /dev/shm/mpio-oracle-XXXXXX 2>/dev/null) && truncate -s 64k "$shm"
if [ -n "$shm" ] && ! dd if=/dev/zero of="$shm" bs=4k count=1 oflag=direct conv=notrunc status=none 2>/dev/null; then
	run write --direct "$shm" "$TMP/j"
	expect "O_DIRECT on tmpfs" 2 "" "O_DIRECT refused (tmpfs?): use --buffered"
	run write --buffered -n 4 "$shm" "$TMP/j"
	run check "$shm" "$TMP/j"
	expect "check on tmpfs falls back to buffered" 0 "O_DIRECT refused by $shm: reading buffered"
else
	echo "skipped: O_DIRECT is not refused in /dev/shm here, no refusal to test"
fi
[ -n "$shm" ] && rm -f "$shm"
echo garbage >"$TMP/notjournal"
run check "$TMP/dev" "$TMP/notjournal"
expect "not a journal" 2 "" "is not an oracle journal"

# ---- round trips ----
truncate -s 256k "$TMP/dev"
run write -b 4k -q 4 -p sequential -n 128 -w 77 --read-back "$TMP/dev" "$TMP/j"
expect "write, direct, read-back" 0 "writer=77 seed="
grep -qF " writes=128 acked=128 failed=0 unacked=0 read-back-bad=0 " "$TMP/out" && pass ||
	fail "write summary counts"
run check "$TMP/dev" "$TMP/j"
expect "check after a clean run" 0 "blocks=64 correct=64 inflight=0 unwritten=0 lost=0 ghost=0 torn=0 foreign=0 writer=finished result=PASS"
run write -B -f 8 -b 64k -q 2 -p random -n 6 --seed 5 "$TMP/dev" "$TMP/j2"
expect "write, buffered, random" 0 "direct=no writes=6 acked=6"
run check "$TMP/dev" "$TMP/j2"
expect "unwritten blocks pass" 0 "result=PASS"
grep -q '^block ' "$TMP/out" && fail "unwritten blocks listed without --all" || pass
run check --all "$TMP/dev" "$TMP/j2"
expect "--all lists every block" 0 "block 0 offset 0: "
[ "$(grep -c '^block ' "$TMP/out")" = 4 ] && pass || fail "--all: 4 block lines"
run write --file -l 1m -b 1m -n 3 "$TMP/newfile" "$TMP/j3"
expect "write --file creates the file" 0 "writes=3 acked=3"
[ "$(stat -c %s "$TMP/newfile")" = 1048576 ] && pass || fail "--file: file of 1 MiB"

# ---- a lost block and a foreign one, made with dd ----
# Generation 2 everywhere; the same writer id into another file gives
# generation 1 of each block, and block 3 put back from there is lost.
truncate -s 64k "$TMP/a" "$TMP/b"
run write -b 4k -p sequential -n 32 -w 5 "$TMP/a" "$TMP/ja"
expect "two passes" 0 "acked=32"
run write -b 4k -p sequential -n 16 -w 5 "$TMP/b" "$TMP/jb"
expect "one pass" 0 "acked=16"
dd if="$TMP/b" of="$TMP/a" bs=4k skip=3 seek=3 count=1 conv=notrunc status=none
dd if=/dev/urandom of="$TMP/a" bs=4k seek=9 count=1 conv=notrunc status=none
run check "$TMP/a" "$TMP/ja"
expect "lost and foreign found" 1 "lost=1 ghost=0 torn=0 foreign=1 writer=finished result=FAIL"
grep -qF "block 3 offset 12288: lost: generation 1, but generation 2 was acknowledged" "$TMP/out" && pass ||
	fail "the lost block's line"
grep -qF "block 9 offset 36864: foreign: " "$TMP/out" && pass || fail "the foreign block's line"
run check --quiet "$TMP/a" "$TMP/ja"
expect "--quiet" 1 "result=FAIL"
[ "$(wc -l <"$TMP/out")" = 1 ] && pass || fail "--quiet prints one line"
run check -m 1 "$TMP/a" "$TMP/ja"
expect "--max-lines" 1 "1 more block lines not shown"

# ---- SIGTERM stops the writer cleanly ----
truncate -s 1m "$TMP/dev"
"$ORACLE" write -b 4k -q 2 -t 60 --no-journal-sync "$TMP/dev" "$TMP/j4" >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 0.5
kill -TERM "$pid"
wait "$pid"
rc=$?
expect "SIGTERM: exit 0 and a summary" 0 "oracle write: writer="
run check "$TMP/dev" "$TMP/j4"
expect "SIGTERM: the journal is closed" 0 "writer=finished result=PASS"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
