#!/bin/bash
# vm-options: --timeout 360
# Who may change things over D-Bus: root always; another user only if polkit
# authorizes org.mpio.manage for them. Without polkit on the bus the D-Bus
# policy lets the call through and mpiod refuses it (AccessDenied, "needs
# root"); with polkitd running and a rule for the user "nobody", nobody may
# reload and fail/reinstate a path, while the user "daemon" is still refused.
# mpiod by hand: the test starts dbus-daemon and polkitd itself, in an order
# it chooses (first without polkit on the bus), and greps mpiod's log.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

CTL=$MPIO_SRC/multipathctl/multipathctl
BUS=(org.mpio.Manager1 /org/mpio/Manager1 org.mpio.Manager1)
as() { local u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }
# fails_with PATTERN CMD...: CMD fails with PATTERN on stderr
fails_with() {
	local pat=$1
	shift
	! "$@" >/tmp/out 2>/tmp/err && sed 's/^/   | /' /tmp/err && grep -q -- "$pat" /tmp/err
}
PKSVC=/usr/share/dbus-1/system-services/org.freedesktop.PolicyKit1.service

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
out=$(sd_paths 2 1) || exit 1
mapfile -t sd <<<"$out"

t_step "system bus without polkit"
# polkit is installed on the host: hide its activation file, so it is absent here.
[ -f $PKSVC ] && mv $PKSVC /tmp/pk.service
system_bus
mpiod_start "$cfg"
t_check "mpiod on the bus" wait_for 10 grep -q "D-Bus API on the system bus" "$MPIOD_LOG"
victim=$(basename "${sd[0]}")
t_check "nobody may read" as 65534 "$CTL" show maps
t_check "nobody: reload denied by mpiod, needs root" fails_with "Reload needs root (polkit" \
	as 65534 "$CTL" reload
t_check "nobody: multipathctl fail path -> permission denied" fails_with "permission denied" \
	as 65534 "$CTL" fail path "$victim"
t_check "nobody: ClaimDevice denied (busctl)" fails_with "Access denied" \
	as 65534 busctl call "${BUS[@]}" ClaimDevice ss OTHERVND DISK
t_check "mpiod: polkit not available" grep -q "ClaimDevice from .*: polkit is not available" "$MPIOD_LOG"
# The caller is checked before any work: an unauthorized SwitchGroup learns
# nothing of the map's groups (their range needs a dm ioctl).
t_check "nobody: SwitchGroup denied before the group range is read" fails_with "SwitchGroup needs root" \
	as 65534 "$CTL" switch group "$(mpio_maps)" 99
t_check "nothing was claimed" sh -c "! grep -q OTHERVND $cfg/supported-devices"
t_check "nobody: another interface on the name stays closed (policy)" fails_with "AccessDenied\|denied" \
	as 65534 busctl call org.mpio.Manager1 /org/mpio/Manager1 org.freedesktop.DBus.Properties Set ssv org.mpio.Manager1 Version s x
t_check "root may" "$CTL" reload

t_step "polkitd with a rule for nobody"
mkdir -p /usr/share/polkit-1/actions /etc/polkit-1/rules.d
cp "$MPIO_SRC/systemd/org.mpio.policy" /usr/share/polkit-1/actions/ || t_fail "cannot install the action"
# With /tmp/pk-slow, polkit answers for nobody 3 s late.
cat >/etc/polkit-1/rules.d/50-mpio-test.rules <<'EOF'
polkit.addRule(function(action, subject) {
	if (action.id == "org.mpio.manage" && subject.user == "nobody") {
		polkit.spawn(["/bin/sh", "-c", "if test -e /tmp/pk-slow; then sleep 3; fi"]);
		return polkit.Result.YES;
	}
});
EOF
[ -f /tmp/pk.service ] && mv /tmp/pk.service $PKSVC
/usr/lib/polkit-1/polkitd --no-debug >/tmp/polkitd.log 2>&1 &
pkpid=$!
t_check "polkitd owns org.freedesktop.PolicyKit1" wait_for 30 sh -c "busctl list | grep -q '^org.freedesktop.PolicyKit1 '"
t_check "polkitd knows org.mpio.manage" wait_for 10 sh -c "pkaction --action-id org.mpio.manage 2>/dev/null | grep -q org.mpio.manage || busctl call org.freedesktop.PolicyKit1 /org/freedesktop/PolicyKit1/Authority org.freedesktop.PolicyKit1.Authority EnumerateActions s '' | grep -q org.mpio.manage"
t_check "nobody: Reload authorized by polkit" as 65534 busctl call "${BUS[@]}" Reload
t_check "nobody: multipathctl fail path $victim" as 65534 "$CTL" fail path "$victim"
# The map is looked up on each poll, as the path is.
victim_failed() { mpio_path_is "$(mpio_maps)" F "${sd[0]}"; }
t_check "$victim is failed" wait_for 5 victim_failed
t_check "nobody: multipathctl reinstate path $victim" as 65534 "$CTL" reinstate path "$victim"
t_check "daemon (uid 1): still denied" fails_with "Reload needs root or polkit's authorization for org.mpio.manage" \
	as 1 "$CTL" reload
grep 'polkit' "$MPIOD_LOG" | sed 's/^/   /'
t_check "mpiod logged polkit's answers" grep -q "polkit authorized it" "$MPIOD_LOG"

t_step "the path goes away while polkit is asked"
# The call comes back with polkit's answer, finds no path and fails before it
# takes the answer: mpiod drops the answer (and the call it holds) then.
touch /tmp/pk-slow
as 65534 "$CTL" fail path "$victim" >/tmp/out 2>/tmp/err &
failer=$!
sleep 1
t_check "root: RemovePath $victim meanwhile" busctl call "${BUS[@]}" RemovePath s "$victim"
wait "$failer"
t_check "nobody's fail path then fails: no such path" sh -c "grep -q 'No path' /tmp/err"
sed 's/^/   | /' /tmp/err
rm -f /tmp/pk-slow
t_check "the next call: mpiod dropped the unused answer" sh -c \
	"'$CTL' status >/dev/null; grep -q \"FailPath from .*: the call failed before it used polkit's answer\" $MPIOD_LOG"
t_check "root: AddPath $victim back" busctl call "${BUS[@]}" AddPath s "$victim"
victim_back() { mpio_path_is "$(mpio_maps)" A "${sd[0]}"; }
t_check "$victim back in the map" wait_for 10 victim_back

t_step "polkitd gone: back to root only"
kill "$pkpid"
wait "$pkpid" 2>/dev/null
mv $PKSVC /tmp/pk.service
t_check "nobody: reload denied again" fails_with "Reload needs root (polkit" as 65534 "$CTL" reload
t_check "mpiod still up" kill -0 "$(mpiod_pid)"

mpiod_stop
t_check "mpiod logged no error" sh -c "! grep -q '^<[0-3]>' $MPIOD_LOG"
for m in $(mpio_maps); do dmsetup remove "$m"; done
t_done
