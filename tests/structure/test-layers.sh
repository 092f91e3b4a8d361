#!/bin/bash
# The daemon's layers: daemon/README.md lists its files lowest first; each
# file may include the headers of files listed before it (and its own), and
# each call from one daemon object into another (from the built objects'
# symbols, so namesakes do not count) must go down and be declared by an
# include. So no circle exists, the README is true, and the includes of a
# file are its dependencies. Needs the daemon built (make userspace).
#
#   tests/structure/test-layers.sh [DAEMON-DIR]
set -uo pipefail

dir=${1:-$(cd "$(dirname "$0")/../../daemon" && pwd)}
passed=0 failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# The order: the README's "- `name.c`" lines, in their order.
mapfile -t order < <(sed -n 's/^- `\([a-z0-9_-]*\)\.c`.*/\1/p' "$dir/README.md")
declare -A rank
for i in "${!order[@]}"; do rank[${order[$i]}]=$i; done

# 1. The README names every .c file of the daemon, and nothing else.
mapfile -t files < <(cd "$dir" && ls -- *.c | sed 's/\.c$//')
bad=""
for f in "${files[@]}"; do [ -n "${rank[$f]+x}" ] || bad+=" $f.c (not in the README)"; done
for f in "${order[@]}"; do [ -f "$dir/$f.c" ] || bad+=" $f.c (in the README, no such file)"; done
if [ -z "$bad" ]; then
	pass "daemon/README.md lists the ${#order[@]} files of the daemon: ${order[*]}"
else
	fail "daemon/README.md and the files differ:$bad"
fi

# 2. Includes point down: a file includes its own header and those of lower files only.
bad=""
declare -A includes
for f in "${order[@]}"; do
	while read -r h; do
		h=${h%.h}
		[ -n "${rank[$h]+x}" ] || continue	# not a daemon module's header
		includes[$f:$h]=1
		[ "$h" = "$f" ] || [ "${rank[$h]}" -lt "${rank[$f]}" ] || bad+=" $f.c includes $h.h (above it)"
	done < <(sed -n 's/^#include "\([a-z0-9_-]*\.h\)".*/\1/p' "$dir/$f.c" "$dir/$f.h" 2>/dev/null)
done
if [ -z "$bad" ]; then
	pass "every include of a daemon header points down the layers"
else
	fail "includes pointing up:$bad"
fi

# 3. Calls point down, and each is declared by an include.
if ! ls "$dir"/*.o >/dev/null 2>&1; then
	fail "no objects in $dir: build the daemon first (make userspace)"
else
	bad="" calls=0
	declare -A defines
	for f in "${order[@]}"; do
		while read -r sym; do defines[$sym]=$f; done < <(nm --defined-only "$dir/$f.o" | awk '$2 ~ /[TDBR]/ {print $3}')
	done
	for f in "${order[@]}"; do
		while read -r sym; do
			g=${defines[$sym]:-}
			[ -n "$g" ] && [ "$g" != "$f" ] || continue
			calls=$((calls + 1))
			[ "${rank[$g]}" -lt "${rank[$f]}" ] || bad+=" $f -> $g ($sym: up)"
			[ -n "${includes[$f:$g]:-}" ] || bad+=" $f -> $g ($sym: $g.h not included)"
		done < <(nm -u "$dir/$f.o" | awk '{print $2}')
	done
	if [ -z "$bad" ]; then
		pass "all $calls calls between daemon objects point down and are declared by an include"
	else
		fail "calls:$bad"
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
