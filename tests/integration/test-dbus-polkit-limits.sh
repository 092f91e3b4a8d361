#!/bin/bash
# vm-options: --timeout 720
# An unprivileged user cannot lock authorized users out by keeping polkit
# questions pending (review U2: 128 pending calls used up dbus-daemon's
# max_replies_per_connection on mpiod's connection, and every polkit-authorized
# call was then refused). tests/tools/fake-polkit stands in for polkitd: it
# authorizes uid 1 and never answers for uids 2 to 10, as a user's own
# authentication agent that never finishes would; tests/tools/bus-flood
# sends many calls at once, each on its own connection. mpiod lets a user
# have 4 questions pending (over all its connections), all users 32, refuses
# the excess at once with LimitsExceeded, and gives polkit 15 s to answer.
# mpiod by hand: the test starts dbus-daemon and the fake polkit itself.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

FAKE=$MPIO_SRC/tests/tools/fake-polkit
FLOOD=$MPIO_SRC/tests/tools/bus-flood
FAKE_LOG=/tmp/fake-polkit.log
BUS=(org.mpio.Manager1 /org/mpio/Manager1 org.mpio.Manager1)
PKSVC=/usr/share/dbus-1/system-services/org.freedesktop.PolicyKit1.service
as() { local u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }
# reload_gdbus UID: a Reload by UID; gdbus prints the D-Bus error's name and message.
reload_gdbus() {
	as "$1" gdbus call --system --dest "${BUS[0]}" --object-path "${BUS[1]}" --method "${BUS[2]}.Reload"
}
# flood UID N LOG: N Reload calls of UID at once in the background (bus-flood), answers in LOG.
flood() { as "$1" "$FLOOD" "$2" "${BUS[@]}" Reload >"$3" 2>&1 & }
held() { grep -c "^hold ${1:-[0-9]*} " "$FAKE_LOG"; }
answers() { grep -c '^[0-9]* ' "$1"; }
# count LOG PATTERN: answers in LOG matching PATTERN
count() { grep -c -- "$2" "$1"; }
# settled HELD0 LOG N: the N calls of LOG are each held by polkit (beyond the HELD0 before) or answered.
settled() { [ $(($(held) - $1 + $(answers "$2"))) -ge "$3" ]; }
# held_since HELD0 N: N questions held beyond the HELD0 before
held_since() { [ $(($(held) - $1)) -ge "$2" ]; }

for t in "$FAKE" "$FLOOD"; do [ -x "$t" ] || t_fail "no $t: run make -C tests/tools"; done
modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg"
# The real polkitd must not be activated in the fake one's place.
[ -f $PKSVC ] && mv $PKSVC /tmp/pk.service
system_bus
# polkit's D-Bus policy lets the user polkitd own org.freedesktop.PolicyKit1.
holds=()
for u in $(seq 2 10); do holds+=(--hold "$u"); done
as polkitd "$FAKE" --allow 1 "${holds[@]}" >"$FAKE_LOG" 2>&1 &
fakepid=$!
wait_for 20 sh -c "busctl list | grep -q '^org.freedesktop.PolicyKit1 '" || {
	cat "$FAKE_LOG"
	t_fail "the fake polkit did not get its name"
}
mpiod_start "$cfg"
wait_for 10 grep -q "D-Bus API on the system bus" "$MPIOD_LOG" || t_fail "mpiod is not on the bus"

t_step "before: uid 1 is authorized, nobody is not"
t_check "uid 1: Reload authorized" as 1 busctl call "${BUS[@]}" Reload
t_check "nobody: Reload denied by polkit" sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups \
	gdbus call --system --dest ${BUS[0]} --object-path ${BUS[1]} --method ${BUS[2]}.Reload \
	>/tmp/out 2>&1 && grep -q 'AccessDenied: Reload needs root or polkit.s authorization' /tmp/out"
sed 's/^/   | /' /tmp/out

t_step "uid 2 sends 130 Reload calls at once, each on its own connection; polkit never answers them"
h0=$(held)
flood 2 130 /tmp/flood
floodpid=$!
t_check "the calls are sent" wait_for 60 grep -q '^sent 130' /tmp/flood
t_check "the calls settled: held by polkit or answered" wait_for 60 settled "$h0" /tmp/flood 130
echo "   held by polkit: $(($(held) - h0)), answered: $(answers /tmp/flood)"
t_check "uid 1: Reload still authorized while uid 2 holds its most" as 1 busctl call "${BUS[@]}" Reload
t_check "polkit was asked 4 times for uid 2" test "$(($(held) - h0))" = 4
t_check "126 calls refused at once: LimitsExceeded, the most a user may have" test "$(count /tmp/flood \
	'LimitsExceeded Reload refused: uid 2 has 4 calls waiting for polkit.s answer, the most a user may have')" = 126
grep -m1 LimitsExceeded /tmp/flood | sed 's/^/   | /'

t_step "polkit has 15 s to answer"
t_check "the 4 held calls are answered" wait_for 60 sh -c "! kill -0 $floodpid"
t_check "... denied after 15 s: polkit did not answer" test "$(grep -cE \
	'^(1[5-9]|2[0-9])[0-9]{3} .*AccessDenied Reload needs root or polkit.s authorization, and polkit did not answer within 15 s' \
	/tmp/flood)" = 4
grep -m1 'within 15 s' /tmp/flood | sed 's/^/   | /'
t_check "mpiod logged the time-outs" grep -q "Reload from .*: polkit did not answer within 15 s" "$MPIOD_LOG"

t_step "all users together: 32 questions pending at most"
h0=$(held) h2=$(held 2)
for u in $(seq 2 9); do flood "$u" 4 "/tmp/flood-$u"; done
t_check "32 calls held" wait_for 60 held_since "$h0" 32
t_check "uid 2 asked again after its time-outs" test "$(($(held 2) - h2))" = 4
reload_gdbus 10 >/tmp/out 2>&1
t_check "uid 10's call refused at once: LimitsExceeded, the most mpiod takes" \
	grep -q 'LimitsExceeded: Reload refused: 32 calls are waiting for polkit.s answer, the most mpiod takes' /tmp/out
sed 's/^/   | /' /tmp/out
t_check "root is not asked about: Reload" busctl call "${BUS[@]}" Reload
t_check "the held calls are answered (time-out)" wait_for 60 sh -c "! pgrep -x bus-flood"
t_check "uid 1: Reload authorized again" as 1 busctl call "${BUS[@]}" Reload

kill "$fakepid"
[ -f /tmp/pk.service ] && mv /tmp/pk.service $PKSVC
mpiod_stop
t_check "mpiod logged no error" sh -c "! grep -q '^<[0-3]>' $MPIOD_LOG"
t_done
