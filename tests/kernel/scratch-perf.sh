#!/bin/bash
# scratch: IOPS of 1-path cases, and an instruction profile (cpu-clock under
# -icount) of mpio bio.  args: RUNTIME [PROFILE=0|1] [CASES]
. "$MPIO_SRC/tests/vm/lib.sh"
runtime=${1:-1}
prof=${2:-0}
cases=${3:-"raw linear mpio-bio-1 multipath-bio-1 mpio-bio-2 mpio-rq-1 multipath-rq-1"}
out=$(nullb_create 4 1 irqmode=0 queue_mode=2 hw_queue_depth=64) || exit 1
mapfile -t nb <<<"$out"
need_mod dm_multipath
need_mod dm-mpio
sz=$(blockdev --getsz "${nb[0]}")
table() {
	local target=$1 mode=$2 n=$3 i feat
	if [ "$mode" = bio ]; then feat="2 queue_mode bio"; else feat="2 queue_mode rq"; fi
	[ "$target" = multipath ] && [ "$mode" = rq ] && feat="0"
	printf '0 %s %s %s 0 1 1 round-robin 0 %d 1' "$sz" "$target" "$feat" "$n"
	for ((i = 0; i < n; i++)); do printf ' %s 1' "$(devnum "${nb[$i]}")"; done
	echo
}
iops() {
	fio --name=b --filename="$1" --direct=1 --rw="$2" --bs=4k --iodepth=32 --ioengine=libaio \
		--time_based --runtime="$runtime" --ramp_time=1 --size=512m --norandommap \
		--output-format=json 2>/dev/null | sed -n '/^{/,$p' |
		jq -r ".jobs[0].${2#rand}.iops | floor"
}
declare -A R
for c in $cases; do
	case $c in
	raw) dev=${nb[0]} ;;
	linear) dmsetup create bm --table "0 $sz linear ${nb[0]} 0"; settle; dev=/dev/mapper/bm ;;
	*) IFS=- read -r t m n <<<"$c"; dmsetup create bm --table "$(table $t $m $n)" || t_fail "load $c"; settle; dev=/dev/mapper/bm ;;
	esac
	R[$c]=$(iops "$dev" randread)
	printf '%-18s %8s IOPS %s\n' "$c" "${R[$c]}" "$(echo "scale=4; ${R[$c]} / ${R[raw]}" | bc)"
	if [ "$prof" = 1 ] && [ "$c" != raw ]; then
		perf record -q -e cpu-clock -c 2000 -a -o /tmp/perf.data -- \
			fio --name=b --filename="$dev" --direct=1 --rw=randread --bs=4k --iodepth=32 \
			--ioengine=libaio --time_based --runtime=2 --size=512m --norandommap \
			--output=/dev/null >/dev/null 2>&1
		echo "--- profile $c"
		perf report -i /tmp/perf.data --no-children --sort sym --stdio -q 2>/dev/null | head -n 70
	fi
	[ "$c" != raw ] && dmsetup remove bm
done
