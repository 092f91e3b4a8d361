#!/bin/bash
# vm-options: --timeout 600
# Table accept/reject matrix of the mpio target: every malformed table is
# refused with -EINVAL and the ti->error we expect in the kernel log; valid
# tables load, and their TABLE status loads back as the same table. Nothing
# leaks: no map is left behind and the module unloads.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

mpio_load
out=$(nullb_create 2 1) || exit 1
mapfile -t nb <<<"$out"
A=$(devnum "${nb[0]}") B=$(devnum "${nb[1]}")
SIZE=$(_sectors "${nb[0]}")
RR="round-robin 0"

# reject "ARGS" "expected ti->error": dmsetup create must fail with EINVAL
# and the kernel must log "mpio: <error>".
reject() {
	local args=$1 want=$2 before err
	before=$(dmesg | wc -l)
	if err=$(dmsetup create bad --table "0 $SIZE mpio $args" 2>&1); then
		dmsetup remove bad
		t_check "refused: $args" false
		return
	fi
	if ! grep -q 'Invalid argument' <<<"$err"; then
		echo "   dmsetup said: $err"
		t_check "EINVAL for: $args" false
		return
	fi
	if dmesg | tail -n +"$((before + 1))" | grep -qF "mpio: $want"; then
		t_check "refused ($want): $args" true
	else
		echo "   kernel log: $(dmesg | tail -n +"$((before + 1))" | tr '\n' '|')"
		t_check "refused ($want): $args" false
	fi
}

t_step "malformed tables"
reject "" "invalid number of feature args"
reject "x 0 1 1 $RR 1 0 $A" "invalid number of feature args"
reject "17 queue_if_no_path 0 1 1 $RR 1 0 $A" "invalid number of feature args"
reject "9 queue_if_no_path" "invalid number of feature args"
reject "1 bogus_feature 0 1 1 $RR 1 0 $A" "unknown feature"
reject "1 pg_init_retries 0 1 1 $RR 1 0 $A" "feature needs a value"
reject "2 pg_init_retries 0 0 1 1 $RR 1 0 $A" "pg_init_retries must be 1..50"
reject "2 pg_init_retries 51 0 1 1 $RR 1 0 $A" "pg_init_retries must be 1..50"
reject "2 pg_init_delay_msecs 60001 0 1 1 $RR 1 0 $A" "pg_init_delay_msecs must be 0..60000"
reject "2 no_path_timeout 86401 0 1 1 $RR 1 0 $A" "no_path_timeout must be 0..86400 seconds"
reject "2 no_path_timeout 5s 0 1 1 $RR 1 0 $A" "no_path_timeout must be 0..86400 seconds"
reject "2 write_quiesce_ms 60001 0 1 1 $RR 1 0 $A" "write_quiesce_ms must be 0..60000"
reject "2 write_quiesce_ms -1 0 1 1 $RR 1 0 $A" "write_quiesce_ms must be 0..60000"
reject "2 write_quiesce_ms 20s 0 1 1 $RR 1 0 $A" "write_quiesce_ms must be 0..60000"
reject "1 write_quiesce_ms 0 1 1 $RR 1 0 $A" "feature needs a value"
reject "2 queue_mode foo 0 1 1 $RR 1 0 $A" "queue_mode must be bio or rq"
reject "0 x 1 1 $RR 1 0 $A" "invalid number of hardware handler args"
reject "0 1025 1 1 $RR 1 0 $A" "invalid number of hardware handler args"
reject "0 0 x 1 $RR 1 0 $A" "invalid number of priority groups"
reject "0 0 1025 1 $RR 1 0 $A" "invalid number of priority groups"
reject "0 0 1" "invalid initial priority group"
reject "0 0 1 0 $RR 1 0 $A" "invalid initial priority group"
reject "0 0 0 1" "invalid initial priority group"
reject "0 0 1 2 $RR 1 0 $A" "invalid initial priority group"
reject "0 0 2 1 $RR 1 0 $A" "fewer priority groups than announced"
reject "0 0 1 1 no-such-selector 0 1 0 $A" "unknown path selector type"
reject "0 0 1 1 round-robin 1 foo 1 0 $A" "round-robin: takes no selector arguments"
reject "0 0 1 1 round-robin 5 1 0 $A" "invalid number of selector args"
reject "0 0 1 1 $RR 0 0" "invalid number of paths in group"
reject "0 0 1 1 $RR 1025 0 $A" "invalid number of paths in group"
reject "0 0 1 1 $RR 1 x $A" "invalid number of per-path args"
reject "0 0 1 1 $RR 2 0 $A" "not enough path arguments"
reject "0 0 1 1 $RR 1 1 $A" "not enough path arguments"
reject "0 0 1 1 $RR 1 0 /dev/no-such-disk" "error getting path device"
reject "0 0 1 1 $RR 1 0 259:999" "error getting path device"
reject "0 0 1 1 $RR 2 0 $A $A" "duplicate path device"
reject "0 0 2 1 $RR 1 0 $A $RR 1 0 $A" "duplicate path device"
reject "0 0 1 1 $RR 1 0 $A $B" "too many arguments after the last group"
reject "0 0 1 1 $RR 1 1 $A x" "invalid repeat_count"
reject "0 0 1 1 $RR 1 2 $A 1 1" "round-robin: too many per-path arguments"
reject "0 0 1 1 queue-length 0 1 2 $A 1 1" "queue-length: too many per-path arguments"
reject "0 0 1 1 service-time 0 1 2 $A 1 101" "service-time: relative_throughput must be 0..100"
reject "0 0 1 1 least-blocks 1 x 1 0 $A" "least-blocks: takes no selector arguments"
reject "0 0 1 1 weighted-path 0 1 1 $A 1001" "weighted-path: weight must be 0..1000"
reject "0 0 1 1 weighted-path 0 1 1 $A -1" "weighted-path: weight must be 0..1000"
reject "0 0 1 1 historical-service-time 1 1024 1 0 $A" "historical-service-time: base_weight must be 0..1023"
reject "0 0 1 1 historical-service-time 2 972 1001 1 0 $A" "historical-service-time: threshold_multiplier must be 0..1000"
reject "0 0 1 1 historical-service-time 3 1 1 1 1 0 $A" "historical-service-time: too many selector arguments"
reject "0 0 1 1 io-affinity 0 1 0 $A" "io-affinity: each path needs exactly one cpumask"
reject "0 0 1 1 io-affinity 0 1 1 $A zz" "io-affinity: invalid cpumask"
reject "0 0 1 1 io-affinity 0 1 1 $A 0" "io-affinity: invalid cpumask"
t_check "no map left behind" test -z "$(dmsetup ls --target mpio | grep -v 'No devices')"

# accept "ARGS" ["EXPECTED TABLE STATUS"]: loads; TABLE status reloads as itself.
accept() {
	local args=$1 want=${2:-} s1 s2
	if ! dmsetup create ok1 --table "0 $SIZE mpio $args"; then
		t_check "accepted: $args" false
		return
	fi
	s1=$(dmsetup table ok1)
	if [ -n "$want" ]; then
		t_check "table status of: $args" test "$s1" = "0 $SIZE mpio $want"
		[ "$s1" = "0 $SIZE mpio $want" ] || echo "   got: $s1"
	fi
	if dmsetup create ok2 --table "$s1"; then
		s2=$(dmsetup table ok2)
		t_check "round trip: $s1" test "$s1" = "$s2"
		[ "$s1" = "$s2" ] || echo "   got: $s2"
		dmsetup remove ok2
	else
		t_check "TABLE status loads back: $s1" false
	fi
	dmsetup remove ok1
}

t_step "valid tables and TABLE status round trip"
accept "0 0 1 1 $RR 2 0 $A $B" "4 write_quiesce_ms 20000 queue_mode bio 0 1 1 round-robin 0 2 1 $A 1 $B 1 "
accept "1 queue_if_no_path 0 1 1 queue-length 0 2 1 $A 1 $B 1" \
	"5 queue_if_no_path write_quiesce_ms 20000 queue_mode bio 0 1 1 queue-length 0 2 1 $A 1 $B 1 "
accept "3 queue_if_no_path no_path_timeout 30 0 2 2 service-time 0 1 2 $A 1 5 service-time 0 1 2 $B 1 0" \
	"7 queue_if_no_path no_path_timeout 30 write_quiesce_ms 20000 queue_mode bio 0 2 2 service-time 0 1 2 $A 1 5 service-time 0 1 2 $B 1 0 "
accept "2 queue_mode rq 0 1 1 least-blocks 0 2 0 $A $B" \
	"4 write_quiesce_ms 20000 queue_mode rq 0 1 1 least-blocks 0 2 1 $A 1 $B 1 "
accept "2 queue_mode mq 0 1 1 least-blocks 0 2 0 $A $B" \
	"4 write_quiesce_ms 20000 queue_mode rq 0 1 1 least-blocks 0 2 1 $A 1 $B 1 "
accept "0 0 1 1 weighted-path 0 2 1 $A 1 $B 3" \
	"4 write_quiesce_ms 20000 queue_mode bio 0 1 1 weighted-path 0 2 1 $A 1 $B 3 "
accept "0 0 1 1 historical-service-time 2 900 4 2 1 $A 1 $B 1" \
	"4 write_quiesce_ms 20000 queue_mode bio 0 1 1 historical-service-time 2 900 4 2 1 $A 1 $B 1 "
accept "0 0 1 1 historical-service-time 0 2 0 $A $B" \
	"4 write_quiesce_ms 20000 queue_mode bio 0 1 1 historical-service-time 2 972 0 2 1 $A 1 $B 1 "
accept "0 0 1 1 io-affinity 0 2 1 $A 1 $B 2" \
	"4 write_quiesce_ms 20000 queue_mode bio 0 1 1 io-affinity 0 2 1 $A 1 $B 2 "
accept "5 pg_init_retries 3 pg_init_delay_msecs 100 retain_attached_hw_handler 0 1 1 $RR 2 0 $A $B" \
	"8 pg_init_retries 3 pg_init_delay_msecs 100 write_quiesce_ms 20000 queue_mode bio 0 1 1 round-robin 0 2 1 $A 1 $B 1 "
accept "0 0 2 2 $RR 1 0 $A $RR 1 0 $B" \
	"4 write_quiesce_ms 20000 queue_mode bio 0 2 2 round-robin 0 1 1 $A 1 round-robin 0 1 1 $B 1 "
accept "0 0 1 1 $RR 2 1 ${nb[0]} 128 ${nb[1]} 1" \
	"4 write_quiesce_ms 20000 queue_mode bio 0 1 1 round-robin 0 2 1 $A 1 $B 1 "
accept "0 0 0 0" "4 write_quiesce_ms 20000 queue_mode bio 0 0 0 "
# write_quiesce_ms: shown always, with the default (20000) when not set.
accept "2 write_quiesce_ms 0 0 1 1 $RR 2 0 $A $B" \
	"4 write_quiesce_ms 0 queue_mode bio 0 1 1 round-robin 0 2 1 $A 1 $B 1 "
accept "5 queue_if_no_path WRITE_QUIESCE_MS 60000 queue_mode rq 0 1 1 $RR 2 0 $A $B" \
	"5 queue_if_no_path write_quiesce_ms 60000 queue_mode rq 0 1 1 round-robin 0 2 1 $A 1 $B 1 "
accept "4 write_quiesce_ms 1500 write_quiesce_ms 250 0 1 1 $RR 1 0 $A" \
	"4 write_quiesce_ms 250 queue_mode bio 0 1 1 round-robin 0 1 1 $A 1 "

t_step "the same table in the multipath target"
t_check "multipath target loads" modprobe dm_multipath
t_check "a multipath-style table loads in multipath" \
	dmsetup create mpt --table "0 $SIZE multipath 1 queue_if_no_path 0 1 1 queue-length 0 2 1 $A 1 $B 1"
t_check "and in mpio" \
	dmsetup create mpo --table "0 $SIZE mpio 1 queue_if_no_path 0 1 1 queue-length 0 2 1 $A 1 $B 1"
t_check "INFO status layouts agree up to the mpio stats section" \
	test "$(mpio_info_base mpt)" = "$(mpio_info_base mpo)"
dmsetup status mpt
dmsetup status mpo
# IMA status (dmsetup measure): the multipath key=value layout. The target
# name and version differ, and mpio's selectors report their state where
# multipath's report nothing, so those values are left out of the comparison.
ima() {
	dmsetup measure "$1" | cut -d' ' -f4- |
		sed 's/^target_name=[^,]*,target_version=[^,]*//; s/\(path_selector_status_[0-9_]*=\)[^,;]*/\1/g'
}
dmsetup measure mpt
dmsetup measure mpo
t_check "IMA status names the target" \
	sh -c "dmsetup measure mpo | grep -q ' target_name=mpio,target_version=[0-9.]*,nr_priority_groups=1,'"
t_check "IMA status ends with ';'" sh -c "dmsetup measure mpo | grep -q ';\$'"
t_check "IMA status layouts agree" test "$(ima mpt)" = "$(ima mpo)"
t_check "fail_path shows in the IMA status" dmsetup message mpo 0 fail_path "$A"
t_check "IMA status: path 0 failed, fail count 1" \
	sh -c "dmsetup measure mpo | grep -q 'is_active_0_0=F,fail_count_0_0=1,'"
dmsetup remove mpt
dmsetup remove mpo

t_step "no leak"
t_check "no mpio map left" test -z "$(dmsetup ls --target mpio | grep -v 'No devices')"
t_check "module unloads" rmmod dm_mpio
t_done
