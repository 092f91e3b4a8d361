#!/bin/bash
# Data-path benchmark, run in the VM by tests/bench/run under
# -icount shift=0,sleep=off with 1 vCPU, so guest time counts instructions
# and the figures repeat run to run.
#
# Over null_blk (irqmode=0, no memory backing): 4k random read and 4k random
# write at iodepth 32 on the raw device, dm-linear, the in-kernel multipath
# target (bio and rq) and mpio (bio and rq), all with round-robin, for 1, 2
# and 4 paths. Then the failover stall of both targets: the longest gap
# between completions when one path of two starts returning errors.
#   io.sh [RUNTIME_S]
. "$MPIO_SRC/tests/vm/lib.sh"
runtime=${1:-3}

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

declare -A R
run_case() { # name dev
	local rw
	for rw in randread randwrite; do
		R[$1,$rw]=$(iops "$2" "$rw")
		printf '%-22s %-9s %9s IOPS\n' "$1" "$rw" "${R[$1,$rw]}"
	done
}

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
printf '%-22s %10s %10s\n' case randread randwrite
for k in linear multipath-bio-1p multipath-rq-1p mpio-bio-1p mpio-rq-1p \
	multipath-bio-2p multipath-rq-2p mpio-bio-2p mpio-rq-2p \
	multipath-bio-4p multipath-rq-4p mpio-bio-4p mpio-rq-4p; do
	printf '%-22s %10s %10s\n' "$k" \
		"$(echo "scale=3; ${R[$k,randread]} / ${R[raw,randread]}" | bc)" \
		"$(echo "scale=3; ${R[$k,randwrite]} / ${R[raw,randwrite]}" | bc)"
done
# Overhead above raw against linear's: (1 - ratio) / (1 - linear ratio).
ov() { echo "scale=3; (1 - ${R[$1,$2]} / ${R[raw,$2]}) / (1 - ${R[linear,$2]} / ${R[raw,$2]})" | bc; }
printf '\noverhead vs linear (1p randread): multipath-bio %s, mpio-bio %s, multipath-rq %s, mpio-rq %s\n' \
	"$(ov multipath-bio-1p randread)" "$(ov mpio-bio-1p randread)" \
	"$(ov multipath-rq-1p randread)" "$(ov mpio-rq-1p randread)"

t_step "Failover stall: one path of two starts returning errors"
p0=$(dm_linear fp0 "${nb[2]}") || exit 1
p1=$(dm_linear fp1 "${nb[3]}") || exit 1
for target in multipath mpio; do
	tbl="0 $sz $target 2 queue_mode bio 0 1 1 round-robin 0 2 1 $(devnum "$p0") 1 $(devnum "$p1") 1"
	dmsetup create st --table "$tbl" || t_fail "cannot load $target stall map"
	settle
	rm -f /tmp/st_lat.*.log
	fio --name=st --filename=/dev/mapper/st --direct=1 --rw=randread --bs=4k --iodepth=8 \
		--ioengine=libaio --time_based --runtime=4 --size=512m --norandommap \
		--write_lat_log=/tmp/st --log_avg_msec=0 --output=/dev/null &
	pid=$!
	sleep 2
	dm_fail fp0
	wait "$pid" || t_fail "$target: fio saw an I/O error during failover"
	# Completion times are the first column (ms) of the per-I/O latency log.
	gap=$(cut -d, -f1 /tmp/st_lat.1.log | sort -n |
		awk 'NR > 1 && $1 - p > g { g = $1 - p } { p = $1 } END { print g + 0 }')
	maxlat=$(cut -d, -f2 /tmp/st_lat.1.log | sort -n | tail -n1)
	printf '%-10s longest completion gap %s ms, max latency %s us\n' "$target" "$gap" \
		"$((maxlat / 1000))"
	dmsetup remove st
	dm_restore fp0
done
dmsetup remove fp0 fp1
