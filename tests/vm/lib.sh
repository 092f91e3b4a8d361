# shellcheck shell=bash
# Helpers for test scripts that run inside the test VM (tests/vm/run).
# Source it first:   . "$MPIO_SRC/tests/vm/lib.sh"
#
# Every helper exits the test with a message naming what failed (t_fail), so
# a script reads as a list of steps. Device lists are printed one per line.
#
# Checks and steps
#   t_step TEXT            print a step heading
#   t_fail TEXT            fail the test now
#   t_check TEXT CMD...    run CMD; count a passed or failed check
#   t_done                 print the check summary; exit 1 if any failed
#   wait_for SEC CMD...    poll CMD every 0.1 s until it succeeds or SEC pass
#   lines_are OP N CMD...  CMD prints N lines (OP: = -ge -le ...), and
#   output_is TEXT CMD...  CMD prints TEXT: checks for wait_for, which runs
#                          CMD anew each time (a "$(...)" argument is expanded
#                          once, before wait_for starts)
#
# Paths
#   sd_paths N [LUNS] [scsi_debug params...]   N SCSI paths to each of LUNS LUNs
#   sd_devs [LUN]          the sd nodes of scsi_debug (optionally of one LUN)
#   sd_alua_paths          2 scsi_debug paths to 1 LUN under scsi_dh_alua: the
#                          active/optimized one, then the standby one
#   sd_delay JIFFIES       scsi_debug's response delay (1: its default)
#   nullb_create N [GB] [params...]            N null_blk devices (/dev/nullbX)
#   dm_linear NAME DEV, dm_flakey NAME DEV UP DOWN, dm_delay NAME DEV MS,
#   dm_error NAME SECTORS  one-target stacks; dm_fail NAME, dm_slow NAME MS and
#                          dm_restore NAME swap the table under a live stack
#   iscsi_san [--luns N] [--vendor V] [--product P] [--serial S]
#             [--backing file|DEV] [--alua] [--size MB] [--target-only]
#             [--per-portal DEV1 DEV2] [--node NAME=VALUE]...
#                          LIO target + 2 portals + logins (not with
#                          --target-only); file backstores in $LIO_DIR
#                          (default /var/tmp), kept if they exist;
#                          --per-portal: one LU, exported by a backstore
#                          per portal (DEV1 behind 127.0.0.1, DEV2 behind
#                          127.0.0.2) with one identity; --node: an
#                          open-iscsi node setting for both portals
#   iscsi_devs [PORTAL]    the sd nodes of the iSCSI sessions
#   alua_set PORTAL STATE  set the ALUA state of a portal's port group
#   tcmloop_paths N [--vendor V --product P --serial S]   N SAS-like paths
#
# Faults
#   path_offline DEV, path_online DEV, path_state DEV
#   path_delete DEV, scsi_rescan, alua_rescan DEV... (RTPG now, for 6.12)
#   iscsi_logout PORTAL, iscsi_login PORTAL
#
# Full boots (tests/vm/run --boot)
#   boot_next reboot|poweroff   boot again once the script has exited 0
#
# Multipath maps (tables, and reading a map's status and table) have their
# helpers in tests/kernel/lib-mpio.sh, which builds on this file.

set -o pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
T_PASSED=0
T_FAILED=0
CFS=/sys/kernel/config/target
ISCSI_IQN=iqn.2026-01.org.mpio:san
ISCSI_PORTALS=(127.0.0.1 127.0.0.2)

t_step() { printf '\n=== %s\n' "$*"; }
# Also from inside $(...): the message goes to stderr, and callers write
# `x=$(helper ...) || exit 1`.
t_fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}
t_check() {
	local what=$1
	shift
	if "$@"; then
		T_PASSED=$((T_PASSED + 1))
		printf 'ok   %s\n' "$what"
	else
		T_FAILED=$((T_FAILED + 1))
		printf 'FAIL %s\n' "$what"
	fi
}
t_done() {
	printf '\n%d checks passed, %d failed\n' "$T_PASSED" "$T_FAILED"
	[ "$T_FAILED" = 0 ]
	exit $?
}
wait_for() {
	local secs=$1 end
	shift
	end=$(($(date +%s%N) + secs * 1000000000))
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$end" ] || return 1
		sleep 0.1
	done
}
lines_are() { [ "$("${@:3}" | wc -l)" "$1" "$2" ]; }
output_is() { [ "$("${@:2}")" = "$1" ]; }
settle() { udevadm settle --timeout="${1:-60}" || t_fail "udev did not settle"; }
need_mod() { modprobe "$@" || t_fail "modprobe $* failed"; }

# The sd nodes whose SCSI device matches a sysfs attribute test.
_sd_where() {
	local attr=$1 want=$2 d
	for d in /sys/class/scsi_device/*/device/block/*; do
		[ -e "$d" ] || continue
		if [ "$(tr -d ' \n' <"$d/../../$attr" 2>/dev/null)" = "$want" ]; then
			echo "/dev/${d##*/}"
		fi
	done | sort -V
}

# ---- scsi_debug -------------------------------------------------------------
sd_paths() {
	local n=$1 luns=${2:-1}
	shift 2 2>/dev/null || shift $#
	need_mod scsi_debug vpd_use_hostno=0 add_host="$n" num_tgts=1 max_luns="$luns" \
		dev_size_mb=64 "$@"
	settle
	wait_for 30 lines_are -ge $((n * luns)) sd_devs ||
		t_fail "scsi_debug: expected $((n * luns)) paths, got $(sd_devs | wc -l)"
	sd_devs
}
sd_devs() {
	local lun=${1:-} d
	for d in $(_sd_where model scsi_debug); do
		if [ -z "$lun" ] || [ "$(scsi_lun "$d")" = "$lun" ]; then echo "$d"; fi
	done
}
# scsi_debug reports one of its ports active/optimized and the other in
# standby (implicit ALUA only). access_state reads active/optimized until
# scsi_dh_alua's first RTPG has completed (it is retried after the power-on
# unit attention), so wait for the two ports to differ; Linux 6.12 also
# needs the rescan (see alua_rescan).
sd_alua_paths() {
	local out d st act= stby=
	local -a sd
	modprobe scsi_dh_alua 2>/dev/null || true
	out=$(sd_paths 2 1) || exit 1
	mapfile -t sd <<<"$out"
	for d in "${sd[@]}"; do
		dd if="$d" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null || true
	done
	if ! wait_for 15 _sd_alua_split "${sd[@]}"; then
		alua_rescan "${sd[@]}"
		wait_for 30 _sd_alua_split "${sd[@]}" || true
	fi
	for d in "${sd[@]}"; do
		st=$(cat "$(_sdev "$d")/access_state" 2>/dev/null)
		echo "   $d: dh_state $(cat "$(_sdev "$d")/dh_state"), access_state $st" >&2
		case $st in
		active*) act=$d ;;
		standby) stby=$d ;;
		esac
	done
	[ -n "$act" ] && [ -n "$stby" ] || t_fail "expected one active and one standby scsi_debug port"
	printf '%s\n%s\n' "$act" "$stby"
}
_sd_alua_split() {
	local a b
	a=$(cat "$(_sdev "$1")/access_state" 2>/dev/null)
	b=$(cat "$(_sdev "$2")/access_state" 2>/dev/null)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]
}
# A write is refused while scsi_debug has commands queued: retry a while.
sd_delay() {
	wait_for 30 sh -c "echo $1 >/sys/bus/pseudo/drivers/scsi_debug/delay" ||
		t_fail "cannot set scsi_debug's delay to $1"
}
# H:C:T:L of an sd node, and its LUN alone.
scsi_addr() { basename "$(readlink -f "/sys/block/${1#/dev/}/device")"; }
scsi_lun() { scsi_addr "$1" | cut -d: -f4; }

# ---- null_blk ---------------------------------------------------------------
nullb_create() {
	local n=$1 gb=${2:-1} i
	shift 2 2>/dev/null || shift $#
	need_mod null_blk nr_devices="$n" gb="$gb" "$@"
	settle
	for ((i = 0; i < n; i++)); do
		[ -b "/dev/nullb$i" ] || t_fail "null_blk: /dev/nullb$i missing"
		echo "/dev/nullb$i"
	done
}

# ---- device-mapper stacks ---------------------------------------------------
_sectors() { blockdev --getsz "$1" || t_fail "cannot size $1"; }
_dm_create() {
	local name=$1 table=$2
	dmsetup create "$name" --table "$table" || t_fail "dmsetup create $name '$table' failed"
	settle
	echo "/dev/mapper/$name"
}
# _dm_swap NAME TABLE: NAME's table replaced under I/O. The table is loaded
# first; then one resume ioctl suspends without flush, swaps and resumes, so
# I/O is held for the swap alone, not while dmsetup processes start (on a
# loaded guest, seconds: that stall was the fault's, not the one measured).
_dm_swap() {
	local name=$1 table=$2
	dmsetup load "$name" --table "$table" &&
		dmsetup resume --noflush "$name" || t_fail "cannot reload $name with '$table'"
}
dm_linear() {
	_dm_create "$1" "0 $(_sectors "$2") linear $2 0"
	echo "$2" >"/run/mpio-dm-$1.dev"
}
dm_flakey() { _dm_create "$1" "0 $(_sectors "$2") flakey $2 0 $3 $4"; echo "$2" >"/run/mpio-dm-$1.dev"; }
dm_delay() { _dm_create "$1" "0 $(_sectors "$2") delay $2 0 $3"; echo "$2" >"/run/mpio-dm-$1.dev"; }
dm_error() { _dm_create "$1" "0 $2 error"; }
_dm_lower() { cat "/run/mpio-dm-$1.dev" 2>/dev/null || t_fail "$1 was not made by dm_linear/flakey/delay"; }
dm_fail() {
	local lower
	lower=$(_dm_lower "$1")
	_dm_swap "$1" "0 $(_sectors "$lower") error"
}
dm_slow() {
	local lower
	lower=$(_dm_lower "$1")
	_dm_swap "$1" "0 $(_sectors "$lower") delay $lower 0 $2"
}
dm_restore() {
	local lower
	lower=$(_dm_lower "$1")
	_dm_swap "$1" "0 $(_sectors "$lower") linear $lower 0"
}

# ---- LIO backstores ---------------------------------------------------------
# _lio_backstore NAME SIZE_MB BACKING VENDOR PRODUCT SERIAL -> configfs dir
_lio_backstore() {
	local name=$1 mb=$2 backing=$3 vendor=$4 product=$5 serial=$6 dir
	need_mod target_core_mod
	if [ "$backing" = file ]; then
		need_mod target_core_file
		mkdir -p "${LIO_DIR:-/var/tmp}"
		dir=$CFS/core/fileio_0/$name
		mkdir -p "$dir" || t_fail "LIO: cannot create backstore $name"
		echo "fd_dev_name=${LIO_DIR:-/var/tmp}/lio-$name.img,fd_dev_size=$((mb * 1024 * 1024))" >"$dir/control"
	else
		need_mod target_core_iblock
		dir=$CFS/core/iblock_0/$name
		mkdir -p "$dir" || t_fail "LIO: cannot create backstore $name"
		echo "udev_path=$backing" >"$dir/control"
	fi
	echo 1 >"$dir/enable" || t_fail "LIO: cannot enable backstore $name"
	echo "$serial" >"$dir/wwn/vpd_unit_serial" || t_fail "LIO: cannot set serial of $name"
	echo "$vendor" >"$dir/wwn/vendor_id" || t_fail "LIO: cannot set vendor of $name"
	echo "$product" >"$dir/wwn/product_id" || t_fail "LIO: cannot set product of $name"
	echo "$dir"
}
# Make a target port group NAME with id ID on a backstore.
_lio_alua_group() {
	local bs=$1 name=$2 id=$3
	mkdir -p "$bs/alua/$name" || t_fail "LIO: cannot create ALUA group $name"
	echo "$id" >"$bs/alua/$name/tg_pt_gp_id"
	echo 3 >"$bs/alua/$name/alua_access_type" # implicit and explicit
	echo 0 >"$bs/alua/$name/alua_access_state"
}

# ---- iSCSI SAN --------------------------------------------------------------
# A LIO iSCSI target with one TPG per portal (127.0.0.1 and 127.0.0.2), the
# same LUNs behind both, and open-iscsi logged in to both: 2 paths per LUN.
iscsi_san() {
	local luns=1 vendor=MPIOTEST product=SAN-DISK serial=mpio-iscsi backing=file alua=0 mb=64
	local login=1 per_portal=() node=() kv
	while [ $# -gt 0 ]; do
		case $1 in
		--per-portal) per_portal=("$2" "$3"); shift 3 ;;
		--node) node+=("$2"); shift 2 ;;
		--luns) luns=$2; shift 2 ;;
		--size) mb=$2; shift 2 ;;
		--target-only) login=0; shift ;;
		--vendor) vendor=$2; shift 2 ;;
		--product) product=$2; shift 2 ;;
		--serial) serial=$2; shift 2 ;;
		--backing) backing=$2; shift 2 ;;
		--alua) alua=1; shift ;;
		*) t_fail "iscsi_san: unknown option $1" ;;
		esac
	done
	need_mod iscsi_target_mod
	need_mod scsi_dh_alua
	local base=$CFS/iscsi/$ISCSI_IQN tpg l bs i portal
	local stores=() names=() backings=()
	# stores[l] is LUN l's backstore, or with --per-portal stores[i] is
	# portal i's backstore of LUN 0.
	if [ ${#per_portal[@]} = 2 ]; then
		[ "$luns" = 1 ] || t_fail "iscsi_san: --per-portal takes one LUN"
		names=(lun0p1 lun0p2) backings=("${per_portal[@]}")
	else
		for ((l = 0; l < luns; l++)); do names+=("lun$l") backings+=("$backing"); done
	fi
	for ((l = 0; l < ${#names[@]}; l++)); do
		i=${names[$l]#lun}
		bs=$(_lio_backstore "${names[$l]}" "$mb" "${backings[$l]}" "$vendor" "$product" "$serial-${i%p*}") || exit 1
		stores+=("$bs")
		if [ "$alua" = 1 ]; then
			_lio_alua_group "$bs" pg1 1
			_lio_alua_group "$bs" pg2 2
		fi
	done
	for i in 0 1; do
		portal=${ISCSI_PORTALS[$i]}
		tpg=$base/tpgt_$((i + 1))
		mkdir -p "$tpg/np/$portal:3260" || t_fail "LIO: cannot add portal $portal"
		for ((l = 0; l < luns; l++)); do
			mkdir -p "$tpg/lun/lun_$l"
			bs=${stores[$l]}
			[ ${#per_portal[@]} = 0 ] || bs=${stores[$i]}
			ln -s "$bs" "$tpg/lun/lun_$l/store" || t_fail "LIO: cannot map lun $l"
			[ "$alua" = 1 ] && echo "pg$((i + 1))" >"$tpg/lun/lun_$l/alua_tg_pt_gp"
		done
		echo 0 >"$tpg/attrib/authentication"
		echo 1 >"$tpg/attrib/generate_node_acls"
		echo 1 >"$tpg/attrib/cache_dynamic_acls"
		echo 0 >"$tpg/attrib/demo_mode_write_protect"
		echo 1 >"$tpg/enable" || t_fail "LIO: cannot enable $tpg"
	done
	[ "$login" = 1 ] || return 0
	pgrep -x iscsid >/dev/null || iscsid || t_fail "iscsid did not start"
	for portal in "${ISCSI_PORTALS[@]}"; do
		iscsiadm -m discovery -t sendtargets -p "$portal" >/dev/null ||
			t_fail "iSCSI discovery on $portal failed"
	done
	for portal in "${ISCSI_PORTALS[@]}"; do
		# Fail fast when a portal is gone, as multipath setups do.
		for kv in node.session.timeo.replacement_timeout=5 "${node[@]}"; do
			iscsiadm -m node -T "$ISCSI_IQN" -p "$portal" -o update \
				-n "${kv%%=*}" -v "${kv#*=}" >/dev/null || t_fail "iscsiadm: cannot set $kv"
		done
		iscsi_login "$portal"
	done
	wait_for 30 lines_are -ge $((2 * luns)) iscsi_devs ||
		t_fail "iSCSI: expected $((2 * luns)) paths, got $(iscsi_devs | wc -l)"
	iscsi_devs
}
iscsi_login() {
	iscsiadm -m node -T "$ISCSI_IQN" -p "$1" --login >/dev/null || t_fail "iSCSI login to $1 failed"
	settle
}
iscsi_logout() {
	iscsiadm -m node -T "$ISCSI_IQN" -p "$1" --logout >/dev/null || t_fail "iSCSI logout from $1 failed"
	settle
}
# sd nodes of iSCSI sessions, optionally only the one to PORTAL.
iscsi_devs() {
	local want=${1:-} s addr
	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s" ] || continue
		addr=$(cat "$s"/device/connection*/iscsi_connection/*/persistent_address 2>/dev/null | head -n1)
		[ -z "$want" ] || [ "$addr" = "$want" ] || continue
		ls -d "$s"/device/target*/*/block/* 2>/dev/null | sed 's|.*/|/dev/|'
	done | sort -V
}
# ALUA state of a portal's port group: optimized, nonoptimized, standby, unavailable.
alua_set() {
	local portal=$1 state=$2 idx code bs
	case $portal in 127.0.0.1) idx=1 ;; 127.0.0.2) idx=2 ;; *) t_fail "alua_set: unknown portal $portal" ;; esac
	case $state in
	optimized) code=0 ;; nonoptimized) code=1 ;; standby) code=2 ;; unavailable) code=3 ;;
	*) t_fail "alua_set: unknown state $state" ;;
	esac
	for bs in "$CFS"/core/*/lun*; do
		[ -d "$bs/alua/pg$idx" ] || continue
		echo "$code" >"$bs/alua/pg$idx/alua_access_state" || t_fail "cannot set ALUA state of pg$idx"
	done
}

# ---- tcm_loop (SAS-like) ----------------------------------------------------
tcmloop_paths() {
	local n=$1 vendor=MPIOTEST product=SAS-DISK serial=mpio-sas bs i wwn tpg
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--vendor) vendor=$2; shift 2 ;;
		--product) product=$2; shift 2 ;;
		--serial) serial=$2; shift 2 ;;
		*) t_fail "tcmloop_paths: unknown option $1" ;;
		esac
	done
	need_mod tcm_loop
	bs=$(_lio_backstore sas0 64 file "$vendor" "$product" "$serial") || exit 1
	for ((i = 1; i <= n; i++)); do
		wwn=naa.50014050000000$(printf '%02x' "$i")
		tpg=$CFS/loopback/$wwn/tpgt_1
		mkdir -p "$tpg/lun/lun_0" || t_fail "tcm_loop: cannot create $wwn"
		echo "naa.50014050000001$(printf '%02x' "$i")" >"$tpg/nexus" || t_fail "tcm_loop: nexus for $wwn"
		ln -s "$bs" "$tpg/lun/lun_0/store" || t_fail "tcm_loop: cannot map lun on $wwn"
	done
	settle
	wait_for 30 lines_are -ge "$n" _sd_where vendor "$vendor" ||
		t_fail "tcm_loop: expected $n paths"
	_sd_where vendor "$vendor"
}

# ---- path faults ------------------------------------------------------------
_sdev() { echo "/sys/block/${1#/dev/}/device"; }
path_state() { cat "$(_sdev "$1")/state"; }
# alua_rescan DEV...: have scsi_dh_alua read the ports' states now. Linux
# 6.1 runs RTPG when the handler attaches to a new device; 6.12 does not, and
# access_state reads active/optimized until something asks: a rescan of the
# device re-reads its VPD and runs RTPG, on every kernel.
alua_rescan() {
	local d
	for d in "$@"; do echo 1 >"$(_sdev "$d")/rescan" || t_fail "cannot rescan $d"; done
}
path_offline() { echo offline >"$(_sdev "$1")/state" || t_fail "cannot offline $1"; }
path_online() { echo running >"$(_sdev "$1")/state" || t_fail "cannot online $1"; }
path_delete() {
	echo 1 >"$(_sdev "$1")/delete" || t_fail "cannot delete $1"
	settle
}
scsi_rescan() {
	local h
	for h in /sys/class/scsi_host/host*; do echo '- - -' >"$h/scan"; done
	settle
}

# WWID as udev's scsi_id sees it (ID_SERIAL), for grouping checks.
dev_wwid() { /lib/udev/scsi_id --whitelisted --device="$1"; }

# ---- I/O --------------------------------------------------------------------
devnum() { printf '%d:%d' "0x$(stat -L -c %t "$1")" "0x$(stat -L -c %T "$1")"; }
# Completed reads + writes of a block device (from /sys/block/X/stat).
dev_ios() {
	local b
	b=$(basename "$(readlink -f "$1")")
	awk '{ print $1 + $5 }' "/sys/class/block/$b/stat"
}
# ios_past DEV N: DEV has completed more than N I/Os (for wait_for).
ios_past() { test "$(dev_ios "$1")" -gt "$2"; }
# io_pattern FILE MB: a file of random bytes to write and check.
io_pattern() { head -c "$(($2 * 1024 * 1024))" /dev/urandom >"$1" || t_fail "cannot make $1"; }
io_write() { dd if="$2" of="$1" bs=1M oflag=direct conv=fsync status=none; }
io_same() {
	local mb
	mb=$(($(stat -c %s "$2") / 1024 / 1024))
	cmp -s <(dd if="$1" bs=1M count="$mb" iflag=direct status=none) "$2"
}
# SCSI inquiry strings of an sd node, without the padding: dev_inq DEV vendor|model|rev
dev_inq() { tr -d ' \n' <"/sys/block/${1#/dev/}/device/$2"; }

# ---- Full boots (tests/vm/run --boot) ---------------------------------------
# $MPIO_BOOT is the boot's number (1, 2, ...); /results/boot-N.times holds the
# runner's figures of an earlier boot N (BOOT_SECS, TEST_SECS, SHUTDOWN_SECS).
# boot_next reboot|poweroff: end this boot once the script exits 0; the VM
#                        is then booted again with the same disk.
boot_next() {
	case $1 in reboot|poweroff) ;; *) t_fail "boot_next: reboot or poweroff, not $1" ;; esac
	[ -n "${MPIO_BOOT:-}" ] || t_fail "boot_next: not a full boot (tests/vm/run --boot)"
	echo "$1" >/run/mpio-test/next
}
