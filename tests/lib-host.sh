# shellcheck shell=bash
# Shared by the host tests that end with "N passed, N failed"
# (tests/cli/test-cli-offline.sh, tests/tools/test-oracle-cli.sh). Source it
# after setting TMP (a scratch directory) and RUN (the program under test).

passed=0 failed=0

pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL: $1" >&2
	[ -s "$TMP/out" ] && sed 's/^/  stdout: /' "$TMP/out" >&2
	[ -s "$TMP/err" ] && sed 's/^/  stderr: /' "$TMP/err" >&2
	return 0
}

# run ARGS...: run $RUN, keeping stdout, stderr and the exit status.
run() {
	"$RUN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# expect NAME RC [STDOUT-PATTERN [STDERR-PATTERN]]: after run, check the exit
# status and (fixed-string) patterns in the output.
expect() {
	local name=$1 want=$2 out=${3:-} err=${4:-}
	if [ "$rc" != "$want" ]; then
		fail "$name: exit status $rc, expected $want"
	elif [ -n "$out" ] && ! grep -qF -- "$out" "$TMP/out"; then
		fail "$name: stdout lacks '$out'"
	elif [ -n "$err" ] && ! grep -qF -- "$err" "$TMP/err"; then
		fail "$name: stderr lacks '$err'"
	else
		pass
	fi
}
