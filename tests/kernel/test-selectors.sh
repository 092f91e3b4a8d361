#!/bin/bash
# vm-options: --timeout 600
# Each mpio path selector spreads I/O as designed, as the per-path counters
# of the status show: round-robin evenly, weighted-path 1:3 within 10% (and
# set_path_weight changes it), queue-length and least-blocks use every path,
# service-time keeps off a relative_throughput 0 path, io-affinity follows
# the submitting CPU, and historical-service-time sends a dm-delay-slowed
# path less than round-robin does.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

mpio_load
out=$(nullb_create 2 1) || exit 1
mapfile -t nb <<<"$out"
a=${nb[0]} b=${nb[1]}
A=$(devnum "$a") B=$(devnum "$b")

# load SECS [fio args]: random reads through /dev/mapper/mp.
load() {
	local secs=$1
	shift
	fio_ok --name=sel --filename=/dev/mapper/mp --rw=randread --bs=4k \
		--direct=1 --ioengine=libaio --iodepth=8 --runtime="$secs" \
		--time_based --norandommap "$@" || t_fail "fio failed"
}
ios() { mpio_stat mp "$1" ios; }
# within PCT X Y: |X - Y| <= PCT% of Y
within() { awk -v p="$1" -v x="$2" -v y="$3" 'BEGIN { d = x - y; if (d < 0) d = -d; exit !(y > 0 && d <= y * p / 100) }'; }
# share X Y: X / (X + Y) in percent
share() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.1f", (x + y) ? 100 * x / (x + y) : 0 }'; }
report() { echo "   $1: $a=$(ios "$a") $b=$(ios "$b") ios"; }

t_step "round-robin"
mpio_create mp "$(mpio_table round-robin "$a" "$b")"
load 3
report round-robin
t_check "round-robin: even within 10%" within 10 "$(ios "$a")" "$(ios "$b")"
mpio_remove mp

for mode in bio rq; do
	t_step "weighted-path 1:3 ($mode)"
	mpio_create mp "$(mpio_table -f "queue_mode $mode" weighted-path "$a 1" "$b 3")"
	load 3
	report "weighted-path 1:3"
	t_check "weighted-path ($mode): $b gets 3x $a within 10%" \
		within 10 "$(ios "$b")" "$((3 * $(ios "$a")))"
	t_check "set_path_weight $A 3" mpio_msg mp set_path_weight "$A" 3
	t_check "table shows the new weight" test "$(mpio_path_args mp "$a") $(mpio_path_args mp "$b")" = "3 3"
	mpio_msg mp clear_stats
	t_check "clear_stats zeroes the counters" test "$(ios "$a")" = 0
	load 3
	report "weighted-path 3:3"
	t_check "weighted-path ($mode) 3:3: even within 10%" within 10 "$(ios "$a")" "$(ios "$b")"
	t_check "set_path_weight out of range refused" sh -c "! dmsetup message mp 0 set_path_weight $A 1001 2>/dev/null"
	t_check "set_path_weight of a non-path refused" sh -c "! dmsetup message mp 0 set_path_weight 1:3 1 2>/dev/null"
	mpio_remove mp
done

for sel in queue-length least-blocks; do
	t_step "$sel"
	mpio_create mp "$(mpio_table "$sel" "$a" "$b")"
	load 3 --iodepth=16
	report "$sel"
	s=$(share "$(ios "$a")" "$(ios "$b")")
	t_check "$sel: both paths used (share of $a: $s%)" \
		awk -v s="$s" 'BEGIN { exit !(s >= 20 && s <= 80) }'
	mpio_remove mp
done

t_step "service-time"
mpio_create mp "$(mpio_table service-time "$a 1 1" "$b 1 0")"
load 3 --iodepth=16
report "service-time 1:0"
t_check "service-time: throughput-0 path unused while another is usable" test "$(ios "$b")" = 0
t_check "set_path_weight (relative_throughput) $B 1" mpio_msg mp set_path_weight "$B" 1
mpio_msg mp clear_stats
load 3 --iodepth=16
report "service-time 1:1"
t_check "service-time 1:1: both used" test "$(ios "$b")" -gt 0 -a "$(ios "$a")" -gt 0
t_check "fail_path $A" mpio_msg mp fail_path "$A"
mpio_msg mp clear_stats
# With $a failed, set $b's throughput to 0 again and read: $b carries the I/O.
only_b_left() {
	mpio_msg mp set_path_weight "$B" 0 &&
		fio --name=x --filename=/dev/mapper/mp --rw=randread --bs=4k --direct=1 --size=1m --output=/dev/null &&
		[ "$(ios "$b")" -gt 0 ]
}
t_check "service-time: throughput-0 path used when it is the only one" only_b_left
mpio_remove mp

if [ "$(nproc)" -ge 2 ]; then
	t_step "io-affinity"
	mpio_create mp "$(mpio_table io-affinity "$a 1" "$b 2")"
	load 2 --cpus_allowed=0
	report "io-affinity from CPU 0"
	t_check "io-affinity: CPU 0 -> $a (>= 95%)" \
		awk -v s="$(share "$(ios "$a")" "$(ios "$b")")" 'BEGIN { exit !(s >= 95) }'
	mpio_msg mp clear_stats
	load 2 --cpus_allowed=1
	report "io-affinity from CPU 1"
	t_check "io-affinity: CPU 1 -> $b (>= 95%)" \
		awk -v s="$(share "$(ios "$b")" "$(ios "$a")")" 'BEGIN { exit !(s >= 95) }'
	t_check "fail_path $B" mpio_msg mp fail_path "$B"
	mpio_msg mp clear_stats
	load 2 --cpus_allowed=1
	t_check "io-affinity: falls back to $a when $b failed" test "$(ios "$b")" = 0 -a "$(ios "$a")" -gt 0
	mpio_remove mp
fi

t_step "historical-service-time vs round-robin, one path slowed by dm-delay"
slow=$(dm_delay slow "$b" 20) || exit 1
mpio_create mp "$(mpio_table round-robin "$a" "$slow")"
load 4
rr_fast=$(ios "$a") rr_slow=$(mpio_stat mp "$slow" ios)
rr_share=$(share "$rr_slow" "$rr_fast")
echo "   round-robin: fast=$rr_fast slow=$rr_slow ios, slow share $rr_share%"
mpio_remove mp
mpio_create mp "$(mpio_table historical-service-time "$a" "$slow")"
load 4
hst_fast=$(ios "$a") hst_slow=$(mpio_stat mp "$slow" ios)
hst_share=$(share "$hst_slow" "$hst_fast")
echo "   historical-service-time: fast=$hst_fast slow=$hst_slow ios, slow share $hst_share%"
dmsetup status mp
t_check "HST sends the slow path less than round-robin ($hst_share% < $rr_share%)" \
	awk -v h="$hst_share" -v r="$rr_share" 'BEGIN { exit !(h < r / 2) }'
t_check "HST still probes the slow path" test "$hst_slow" -gt 0
t_check "HST completes more I/O than round-robin" test "$((hst_fast + hst_slow))" -gt "$((rr_fast + rr_slow))"
mpio_remove mp
dmsetup remove slow

t_done
