#!/bin/bash
# shellcheck disable=SC2015 # pass never fails: 'test && pass || fail' is fine
# `multipathctl config import` on the host, against the built binary, with
# the multipath.conf files of tests/cli/import/ (written for these tests from
# the descriptions of multipath.conf(5)): each mapped keyword, no_path_retry
# in seconds, regular expressions to literals and the refusals, drop-ins in
# order, `multipathd show config local` output on standard input, the
# bindings note, bad input with file:line, a dry run that writes nothing,
# --write that never replaces a file unless --force, and a result that
# passes `config check` (or an import that fails when it would not). Ends
# with "N passed, N failed" and exits non-zero if anything failed.
#
#   tests/cli/test-config-import.sh      (MULTIPATHCTL=path overrides the binary)
set -uo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CTL=${MULTIPATHCTL:-$SRC/multipathctl/multipathctl}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1

RUN=$CTL
# shellcheck source=tests/lib-host.sh
. "$SRC/tests/lib-host.sh"

[ -x "$CTL" ] || { echo "no binary at $CTL (make -C multipathctl)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is needed (make deps)" >&2; exit 1; }

# jq_is NAME FILTER VALUE: jq FILTER on stdout of the last run gives VALUE.
jq_is() {
	local got
	got=$(jq -rc "$2" "$TMP/out" 2>&1)
	if [ "$got" = "$3" ]; then pass; else fail "$1: jq '$2' gave '$got', expected '$3'"; fi
}

# has_line NAME FILE LINE: FILE has LINE, whole.
has_line() {
	if grep -qxF -- "$3" "$2"; then pass; else fail "$1: no line '$3' in $2"; fi
}

# The inputs, with this run's paths in place of @DIR@.
IN=$TMP/in
cp -r "$SRC/tests/cli/import" "$IN"
sed -i "s|@DIR@|$IN|g" "$IN/site.conf"
E=$TMP/etc
mkdir "$E"
printf 'IBM     2145\n' >"$E/supported-devices"
C=(--config-dir "$E")

# ---- usage ----
run config import --help; expect "--help" 0 "Usage: multipathctl config import"
run config --help; expect "config --help lists import" 0 "import"
run "${C[@]}" config import a b; expect "two files" 2 "" "unexpected argument 'b'"
run "${C[@]}" config import --force "$IN/site.conf"; expect "--force alone" 2 "" "--force goes with --write"
run "${C[@]}" config import --dropin x.txt "$IN/site.conf"; expect "--dropin without .conf" 2 "" "--dropin 'x.txt'"
run "${C[@]}" config import --dropin ../x.conf "$IN/site.conf"; expect "--dropin with a /" 2

# ---- a dry run of the site's file and its drop-ins ----
run "${C[@]}" config import "$IN/site.conf"
expect "dry run" 0 "A dry run: nothing written"
expect "dry run: checked" 0 "with these files passes \`multipathctl config check\`"
[ ! -e "$E/mpio.conf.d" ] && [ "$(cat "$E/supported-devices")" = "IBM     2145" ] && pass ||
	fail "a dry run writes nothing"
run "${C[@]}" --json config import "$IN/site.conf"
expect "dry run --json" 0
jq -j .dropin.text "$TMP/out" >"$TMP/dropin"
jq_is "sources: the file, then its drop-ins in order, README left out" '.sources | join(" ")' \
	"$IN/site.conf $IN/conf.d/10-arrays.conf $IN/conf.d/20-late.conf"
jq_is "not written" .written false
jq_is "the drop-in's path" .dropin.path "$E/mpio.conf.d/50-imported.conf"
# each mapped keyword
has_line "path_selector" "$TMP/dropin" "PathSelector=round-robin"
has_line "path_checker readsector0" "$TMP/dropin" "PathChecker=directio"
has_line "polling_interval" "$TMP/dropin" "CheckInterval=10"
has_line "user_friendly_names" "$TMP/dropin" "UserFriendlyNames=yes"
has_line "device vendor" "$TMP/dropin" "Vendor=NETAPP"
has_line "device product: the literal prefix of LUN.*" "$TMP/dropin" "Product=LUN"
has_line "path_grouping_policy" "$TMP/dropin" "PathGroupingPolicy=group_by_prio"
has_line "hardware_handler \"1 alua\"" "$TMP/dropin" "HardwareHandler=alua"
has_line "features pg_init_retries" "$TMP/dropin" "PgInitRetries=50"
has_line "failback immediate" "$TMP/dropin" "Failback=immediate"
has_line "multipath wwid" "$TMP/dropin" "WWID=3600a098038303053453f463045757a4d"
has_line "multipath alias" "$TMP/dropin" "Alias=oradata"
has_line "no_path_retry queue" "$TMP/dropin" "NoPathRetry=queue"
has_line "path_selector \"service-time 0\"" "$TMP/dropin" "PathSelector=service-time"
# no_path_retry 6, every polling_interval of 10 s: 60 s
has_line "no_path_retry in seconds" "$TMP/dropin" "NoPathRetry=60"
has_line "no_path_retry's comment" "$TMP/dropin" "# $IN/site.conf:6: no_path_retry 6 (6 checker intervals of 10 s)"
jq_is "no_path_retry's note names the interval and where it was set" \
	'.report[] | select(.line == 6 and .kind == "changed") | .why' \
	"NoPathRetry=60: no_path_retry counts checker intervals, NoPathRetry= seconds: 6 x polling_interval 10 s from $IN/site.conf:5 = 60 s"
# drop-ins: the later file wins, as in multipathd
has_line "failback: the last drop-in's" "$TMP/dropin" "Failback=followover"
jq_is "the earlier failback, overridden" \
	'.report[] | select(.file | endswith("10-arrays.conf")) | select(.line == 18) | .why' \
	"overridden by $IN/conf.d/20-late.conf:2 (failback followover), as in multipathd"
# the queue_if_no_path feature yields to no_path_retry
jq_is "queue_if_no_path yields to no_path_retry" \
	'[.report[] | select(.what == "features: queue_if_no_path") | .kind] | unique | join(",")' dropped
# regex alternatives: one [Device] each
has_line "(HITACHI|HP): HITACHI" "$TMP/dropin" "Vendor=HITACHI"
has_line "(HITACHI|HP): HP" "$TMP/dropin" "Vendor=HP"
# the claims: new ones to add, and one the list has already
jq_is "entries to add" '[.supported_devices.add[].entry] | join("|")' "NETAPP  LUN|HITACHI OPEN-|HP      OPEN-"
jq_is "entry claimed already" '.supported_devices.claimed[0] | "\(.entry)|\(.by)|\(.line)"' \
	"IBM     2145            |IBM     2145|1"
# what is not carried over, each with file:line and why
jq_is "find_multipaths" '.report[] | select(.what == "find_multipaths yes") | "\(.kind) \(.line)"' "dropped 9"
jq_is "blacklist devnode" '.report[] | select(.what | startswith("devnode")) | "\(.kind) \(.line) \(.why)"' \
	"dropped 16 mpio has no deny-list yet: it takes only the devices supported-devices lists"
has_line "dev_loss_tmo carried over" "$TMP/dropin" "DevLossTimeout=infinity"
jq_is "a revision: the section is refused" '.report[] | select(.what == "revision ^8") | .why' \
	"mpio cannot tell revisions apart: the section is left out rather than applied to every revision"
grep -q "Vendor=PURE" "$TMP/dropin" && fail "a device with a revision is not carried over" || pass
jq_is "bindings: read as mpio would" '.bindings | "\(.source) \(.names) \(.target_exists)"' "$IN/bindings 2 false"
jq_is "every note has a file and a line" '[.report[] | select(.file == null or .line < 1)] | length' 0
# the text output: the bindings note and the report's parts
run "${C[@]}" config import "$IN/site.conf"
expect "bindings: copy hint" 0 "cp -p $IN/bindings $E/bindings"
expect "report: changed" 0 "Carried over with a change ("
expect "report: not carried over" 0 "Not carried over (16):"
expect "report: line" 0 "$IN/site.conf:10: max_polling_interval 40: "

# --no-dropins: the main file alone
run "${C[@]}" --json config import --no-dropins "$IN/site.conf"
jq_is "--no-dropins" '.sources | length' 1

# ---- regular expressions: literal prefixes only ----
run "${C[@]}" --json config import "$IN/regex.conf"
expect "regex.conf" 0
jq -j .dropin.text "$TMP/out" >"$TMP/regex"
jq_is "^DGC\$ with any product: the vendor alone" '.supported_devices.add[0].entry' "DGC     "
has_line "3PARdata VV" "$TMP/regex" "Vendor=3PARdata"
has_line "XSG1+: XSG1" "$TMP/regex" "Product=XSG1"
jq_is "Box[0-9]+ refused" '.report[] | select(.what == "product Box[0-9]+") | .why' \
	"a regular expression mpio cannot match (mpio matches a vendor whole and a product by its start): \"Box[0-9]+\": \"[0-9]\" must match a character after \"Box\", so this is not a literal prefix"
jq_is "V.RAID refused" '.report[] | select(.what == "vendor V.RAID") | .kind' dropped
jq_is "a nested group refused" '.report[] | select(.what == "vendor (A|(B))") | .why | endswith("a group inside a group")' true
jq_is "the lines of a refused section" '[.report[] | select(.why == "its device section is not carried over: see its product")] | length' 2

# ---- `multipathd show config local` output on standard input ----
"$CTL" "${C[@]}" --json config import - <"$IN/show-config-local.out" >"$TMP/out" 2>"$TMP/err"
rc=$?
expect "show config local on stdin" 0
jq_is "stdin's name" '.sources | join(" ")' "<stdin>"
jq -j .dropin.text "$TMP/out" >"$TMP/show"
has_line "show config: PURE" "$TMP/show" "Product=FlashArray"
has_line "show config: no_path_retry 10 x 5 s" "$TMP/show" "NoPathRetry=50"
has_line "show config: quoted value" "$TMP/show" "PathGroupingPolicy=group_by_prio"
has_line "show config: its alias" "$TMP/show" "Alias=pure-db"
jq_is "show config: config_dir is not followed" '.report[] | select(.what | startswith("config_dir")) | .why' \
	"its drop-ins are not read (they are in \`multipathd show config\` output already, or --no-dropins)"
jq_is "show config: the defaults mpio has too" '.report[] | select(.what == "retain_attached_hw_handler yes") | .kind' same
jq_is "show config: empty overrides" '.report[] | select(.what == "overrides") | .kind' dropped

# ---- bad input: file:line ----
run "${C[@]}" config import "$IN/bad-unterminated.conf"
expect "unterminated brace" 1 "" "bad-unterminated.conf:4: section \"devices\" is not closed: no '}' for its '{' by the end of the file"
run "${C[@]}" config import "$IN/bad-section.conf"
expect "unknown section" 1 "" "bad-section.conf:4: unknown section \"blacklists\": expected defaults, blacklist, blacklist_exceptions, devices, multipaths or overrides"
run "${C[@]}" config import "$IN/bad-quote.conf"
expect "missing quote" 1 "" "bad-quote.conf:2: missing closing quote"
run "${C[@]}" --json config import "$IN/bad-section.conf"
expect "bad input --json" 1
jq_is "bad input --json: the error" '.errors[0] | "\(.line) \(.message | startswith("unknown section"))"' "4 true"
run "${C[@]}" config import "$TMP/missing.conf"
expect "missing file" 1 "" "missing.conf: cannot read: No such file or directory"
[ ! -e "$E/mpio.conf.d" ] && pass || fail "bad input writes nothing"

# ---- --write ----
cp "$E/supported-devices" "$TMP/list.before"
run "${C[@]}" config import --write "$IN/site.conf"
expect "--write" 0 "Written."
[ -f "$E/mpio.conf.d/50-imported.conf" ] && pass || fail "--write: the drop-in is there"
cmp -s "$E/mpio.conf.d/50-imported.conf" "$TMP/dropin" && pass || fail "--write: what the dry run showed"
[ "$(stat -c %a "$E/mpio.conf.d/50-imported.conf")" = 644 ] && pass || fail "--write: mode 0644"
printf 'IBM     2145\nNETAPP  LUN\nHITACHI OPEN-\nHP      OPEN-\n' >"$TMP/list.want"
cmp -s "$E/supported-devices" "$TMP/list.want" && pass || fail "--write: entries appended to the list, the old one kept"
[ ! -e "$E/bindings" ] && pass || fail "--write: the bindings are a hint, not copied"
run "${C[@]}" config check; expect "the result passes config check" 0 "ok (mpio.conf: none, 1 drop-in, supported-devices: 4 entries)"
run "${C[@]}" show config --device HP OPEN-XP
grep -qE "^PathChecker +tur +$E/mpio.conf.d/50-imported.conf:[0-9]+ \[Device HP OPEN-\]$" "$TMP/out" &&
	pass || fail "mpio reads the imported [Device] section"
run "${C[@]}" show config
grep -qE "^NoPathRetry +60 +$E/mpio.conf.d/50-imported.conf:" "$TMP/out" && pass ||
	fail "mpio reads the imported NoPathRetry"

# never over an existing file, unless --force
echo "# the admin's" >"$E/mpio.conf.d/50-imported.conf"
run "${C[@]}" config import --write "$IN/site.conf"
expect "--write refuses an existing drop-in" 1 "" "$E/mpio.conf.d/50-imported.conf: exists: not replaced (--force replaces it)"
[ "$(cat "$E/mpio.conf.d/50-imported.conf")" = "# the admin's" ] && pass || fail "the existing drop-in is kept"
cmp -s "$E/supported-devices" "$TMP/list.want" && pass || fail "a refused import adds no entry"
run "${C[@]}" config import "$IN/site.conf"
expect "the dry run says it would refuse" 0 "exists: --write refuses to replace it without --force"
run "${C[@]}" config import --write --force "$IN/site.conf"
expect "--write --force" 0 "Written."
cmp -s "$E/mpio.conf.d/50-imported.conf" "$TMP/dropin" && pass || fail "--force replaces the drop-in"
cmp -s "$E/supported-devices" "$TMP/list.want" && pass || fail "entries are added once"
run "${C[@]}" config import --write --dropin 60-again.conf "$IN/regex.conf"
expect "--dropin NAME" 0 "Written."
[ -f "$E/mpio.conf.d/60-again.conf" ] && pass || fail "--dropin: the file name"

# ---- a result that would not pass config check fails, and writes nothing ----
mkdir -p "$TMP/clash/mpio.conf.d"
printf '[Map]\nWWID=3600a098038303053453f463045757a4d\nAlias=other\n' >"$TMP/clash/mpio.conf"
cp "$TMP/list.before" "$TMP/clash/supported-devices"
run --config-dir "$TMP/clash" config import --write "$IN/site.conf"
expect "a clash with the existing configuration" 1 "" "$TMP/clash/mpio.conf.d/50-imported.conf:"
expect "a clash: named" 1 "" "duplicate [Map] section for WWID 3600a098038303053453f463045757a4d, first given at $TMP/clash/mpio.conf:2"
expect "a clash: nothing written" 1 "" "would not pass \`multipathctl config check\`: nothing written"
[ -z "$(ls -A "$TMP/clash/mpio.conf.d")" ] && cmp -s "$TMP/clash/supported-devices" "$TMP/list.before" &&
	pass || fail "a failed import writes nothing"

# ---- bindings: a file mpio would refuse; one there already ----
printf 'mpatha 3600a\nmpathb 3600a\n' >"$TMP/badbind"
sed "s|$IN/bindings|$TMP/badbind|" "$IN/site.conf" >"$TMP/site-badbind.conf"
run "${C[@]}" config import --no-dropins "$TMP/site-badbind.conf"
expect "bindings mpio would refuse" 0 "$TMP/badbind:2: WWID 3600a is already bound on line 1"
cp "$IN/bindings" "$E/bindings"
run "${C[@]}" config import --no-dropins "$IN/site.conf"
expect "bindings copied already" 0 "$E/bindings holds the same names already."
echo "mpathz 3600ffff" >>"$E/bindings"
run "${C[@]}" config import --no-dropins "$IN/site.conf"
expect "bindings that differ" 0 "$E/bindings exists: merge the names into it by hand"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
