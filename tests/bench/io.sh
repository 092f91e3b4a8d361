#!/bin/bash
# Data-path benchmark, run in the VM by tests/bench/run under
# -icount shift=0,sleep=off with 1 vCPU, so guest time counts instructions
# and the figures repeat run to run.
#
# Over null_blk (irqmode=0, no memory backing): 4k random read and 4k random
# write at iodepth 32 on the raw device, dm-linear, the in-kernel multipath
# target (bio and rq) and mpio (bio and rq), all with round-robin, for 1, 2
# and 4 paths. Then the failover stall of both targets in both modes: the
# longest gap between completions when one path of two starts returning
# errors, STALL_ROUNDS times. Before the stall, the overhead against
# linear's again, from OVH_ROUNDS rounds of 3 s in which raw, linear,
# multipath bio and mpio bio (1 path, random read) take turns: one pass of
# 1 s per case moves the ratio by up to 0.01 from case to case, which is
# more than the goal's margin.
#   io.sh [RUNTIME_S [STALL_ROUNDS [OVH_ROUNDS]]]   RUNTIME_S 0: the stall part only
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"
runtime=${1:-3}
stall_rounds=${2:-3}
ovh_rounds=${3:-3}

out=$(nullb_create 4 1 irqmode=0 queue_mode=2 hw_queue_depth=64) || exit 1
mapfile -t nb <<<"$out"
need_mod dm_multipath
need_mod dm-mpio
sz=$(blockdev --getsz "${nb[0]}")

# table TARGET MODE N: one round-robin group over the first N null_blk devices.
table() {
	local target=$1 mode=$2 n=$3 i feat
	if [ "$mode" = bio ]; then feat="2 queue_mode bio"; else feat="2 queue_mode rq"; fi
	[ "$target" = multipath ] && [ "$mode" = rq ] && feat="0"
	printf '0 %s %s %s 0 1 1 round-robin 0 %d 1' "$sz" "$target" "$feat" "$n"
	for ((i = 0; i < n; i++)); do printf ' %s 1' "$(devnum "${nb[$i]}")"; done
	echo
}

# iops DEV RW: fio IOPS for 4k random RW at iodepth 32.
iops() {
	fio --name=b --filename="$1" --direct=1 --rw="$2" --bs=4k --iodepth=32 --ioengine=libaio \
		--time_based --runtime="$runtime" --ramp_time=1 --size=512m --norandommap \
		--output-format=json 2>/dev/null | sed -n '/^{/,$p' |
		jq -r ".jobs[0].${2#rand}.iops | floor"
}

declare -A R M
run_case() { # name dev
	local rw
	for rw in randread randwrite; do
		R[$1,$rw]=$(iops "$2" "$rw")
		printf '%-22s %-9s %9s IOPS\n' "$1" "$rw" "${R[$1,$rw]}"
	done
}

if [ "$runtime" -gt 0 ]; then
	t_step "IOPS (guest time under -icount; runtime ${runtime}s per case)"
	run_case raw "${nb[0]}"
	dmsetup create lin --table "0 $sz linear ${nb[0]} 0" && settle
	run_case linear /dev/mapper/lin
	dmsetup remove lin
	for n in 1 2 4; do
		for target in multipath mpio; do
			for mode in bio rq; do
				dmsetup create bm --table "$(table $target $mode $n)" || t_fail "cannot load $target $mode $n"
				settle
				run_case "$target-$mode-${n}p" /dev/mapper/bm
				dmsetup remove bm || t_fail "cannot remove $target $mode $n"
			done
		done
	done

	t_step "Ratios to raw"
	calc() { awk "BEGIN { printf \"%.3f\", $1 }"; } # no bc on a fresh machine
	printf '%-22s %10s %10s\n' case randread randwrite
	for k in linear multipath-bio-1p multipath-rq-1p mpio-bio-1p mpio-rq-1p \
		multipath-bio-2p multipath-rq-2p mpio-bio-2p mpio-rq-2p \
		multipath-bio-4p multipath-rq-4p mpio-bio-4p mpio-rq-4p; do
		printf '%-22s %10s %10s\n' "$k" \
			"$(calc "${R[$k,randread]} / ${R[raw,randread]}")" \
			"$(calc "${R[$k,randwrite]} / ${R[raw,randwrite]}")"
	done
	# Overhead above raw against linear's: (1 - ratio) / (1 - linear ratio).
	ov() { calc "(1 - ${R[$1,$2]} / ${R[raw,$2]}) / (1 - ${R[linear,$2]} / ${R[raw,$2]})"; }
	printf '\noverhead vs linear (1p randread): multipath-bio %s, mpio-bio %s, multipath-rq %s, mpio-rq %s\n' \
		"$(ov multipath-bio-1p randread)" "$(ov mpio-bio-1p randread)" \
		"$(ov multipath-rq-1p randread)" "$(ov mpio-rq-1p randread)"
fi

if [ "$runtime" -gt 0 ] && [ "$ovh_rounds" -gt 0 ]; then
	t_step "Overhead against linear's: $ovh_rounds rounds of 3 s, 1 path, random read, cases in turn"
	runtime=3
	declare -A OV
	median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
	for ((r = 1; r <= ovh_rounds; r++)); do
		line="round $r:"
		for c in raw linear multipath-bio mpio-bio; do
			case $c in
			raw) dev=${nb[0]} ;;
			linear) dmsetup create ov --table "0 $sz linear ${nb[0]} 0" || t_fail "cannot load linear" ;;
			*) dmsetup create ov --table "$(table "${c%-bio}" bio 1)" || t_fail "cannot load $c" ;;
			esac
			[ "$c" = raw ] || { settle; dev=/dev/mapper/ov; }
			v=$(iops "$dev" randread)
			[ "$c" = raw ] || dmsetup remove ov || t_fail "cannot remove the $c map"
			OV[$c]+=" $v"
			line+=" $c $v"
		done
		echo "$line"
	done
	for c in raw linear multipath-bio mpio-bio; do
		# shellcheck disable=SC2086 # the list of figures
		M[$c]=$(median ${OV[$c]})
	done
	ovm() { calc "(1 - ${M[$1]} / ${M[raw]}) / (1 - ${M[linear]} / ${M[raw]})"; }
	printf 'medians: raw %s, linear %s, multipath-bio %s, mpio-bio %s\n' \
		"${M[raw]}" "${M[linear]}" "${M[multipath-bio]}" "${M[mpio-bio]}"
	printf 'overhead vs linear (1p randread, medians): multipath-bio %s, mpio-bio %s\n' \
		"$(ovm multipath-bio)" "$(ovm mpio-bio)"
fi

t_step "Failover stall: one path of two starts returning errors"
# Path 0 starts failing while fio runs, without a table switch; path 1 is a
# plain null_blk device. Path 0 is a configfs null_blk device (blk-mq, so it
# serves request-based maps too) whose range fio uses (its first MB) is made
# bad blocks UP s into the run: each I/O then fails with BLK_STS_IOERR in
# its queue_rq. (A dm-flakey path, up for UP s after its load, is bio-based
# and so cannot serve rq mode, and in bio mode udev's probe of a flakey
# device that went down before udev got to it stalled the guest for guest
# minutes.) Each round uses another UP, and fio another seed; reported per
# run: the longest gap between two completions in fio's per-I/O latency
# log (ms, the log's resolution) and the longest latency of one I/O.
# 6.1's badblocks_set() keeps its list sorted only when each range is at most
# 512 sectors and ranges come in ascending order (a longer range is stored
# backwards and then not found), so the bad range is set 512 sectors at a
# time, and fio's range kept small.
bb_sectors=2048
bb=/sys/kernel/config/nullb/stall
bb_set() { # +|-
	local s
	for ((s = 0; s < bb_sectors; s += 512)); do
		echo "$1$s-$((s + 511))" >"$bb/badblocks" || t_fail "cannot change bad blocks of $bbdev"
	done
}
before=$(ls /sys/block)
mkdir "$bb" || t_fail "null_blk configfs: cannot create $bb"
for kv in size=64 queue_mode=2 irqmode=0 hw_queue_depth=64 memory_backed=0 power=1; do
	echo "${kv#*=}" >"$bb/${kv%%=*}" || t_fail "null_blk configfs: cannot set $kv"
done
settle
# The disk is named after the configfs item on newer kernels, nullb<index> on older.
bbdev=/dev/$(comm -13 <(echo "$before") <(ls /sys/block))
[ -b "$bbdev" ] || t_fail "null_blk configfs: $bbdev missing"
bb_set +
for ((s = 0; s < bb_sectors; s += 512)); do
	if dd if="$bbdev" of=/dev/null bs=4k count=1 skip=$((s / 8 + RANDOM % 64)) iflag=direct \
		status=none 2>/dev/null; then
		t_fail "$bbdev: a read of a bad block near sector $s succeeded"
	fi
done
bb_set -
dd if="$bbdev" of=/dev/null bs=4k count=1 iflag=direct status=none || t_fail "$bbdev: read failed"

# stall_run TARGET MODE UP: one fio run; prints gap (ms) and max latency (us).
stall_run() {
	local target=$1 mode=$2 up=$3 p0=$bbdev feat pid gap maxlat
	if [ "$mode" = bio ]; then
		feat="2 queue_mode bio"
	else
		feat="2 queue_mode rq"
		[ "$target" = multipath ] && feat=0
	fi
	dmsetup create st --table "0 $(blockdev --getsz "$p0") $target $feat 0 1 1 round-robin 0 2 1 $(devnum "$p0") 1 $(devnum "${nb[3]}") 1" ||
		t_fail "cannot load $target $mode stall map"
	rm -f /tmp/st_lat.*.log
	fio --name=st --filename=/dev/mapper/st --direct=1 --rw=randread --bs=4k --iodepth=8 \
		--ioengine=libaio --time_based --runtime=$((up + 2)) --size=$((bb_sectors / 2))k --norandommap \
		--randseed=$RANDOM --write_lat_log=/tmp/st --log_avg_msec=0 --output=/dev/null &
	pid=$!
	sleep "$up"
	bb_set +
	wait "$pid" || t_fail "$target $mode: fio saw an I/O error during failover"
	# The failing path must have failed, and while fio ran.
	mpio_path_is st F "$p0" || t_fail "$target $mode: path $p0 did not fail"
	# Completion times are the first column (ms) of the per-I/O latency log.
	gap=$(cut -d, -f1 /tmp/st_lat.1.log | sort -n |
		awk 'NR > 1 && $1 - p > g { g = $1 - p } { p = $1 } END { print g + 0 }')
	maxlat=$(cut -d, -f2 /tmp/st_lat.1.log | sort -n | tail -n1)
	echo "$gap $((maxlat / 1000))"
	dmsetup remove st || t_fail "cannot remove the $target $mode stall map"
	bb_set -
}

declare -A S
printf '%-5s %-4s %-10s %4s %8s %14s\n' round mode target up 'gap ms' 'max lat us'
for ((round = 1; round <= stall_rounds; round++)); do
	for mode in bio rq; do
		up=$((2 + round % 3))
		for target in multipath mpio; do
			res=$(stall_run "$target" "$mode" "$up") || exit 1
			read -r gap lat <<<"$res"
			S[$target,$mode]+=" $gap"
			printf '%-5s %-4s %-10s %4s %8s %14s\n' "$round" "$mode" "$target" "$up" "$gap" "$lat"
		done
	done
done
printf '\nlongest completion gaps (ms) per round:\n'
for mode in bio rq; do
	for target in multipath mpio; do
		printf '  %-4s %-10s%s (max %s)\n' "$mode" "$target" "${S[$target,$mode]}" \
			"$(tr ' ' '\n' <<<"${S[$target,$mode]}" | sort -n | tail -n1)"
	done
done
rmdir "$bb"
