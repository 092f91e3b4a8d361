#!/bin/bash
# vm-options: --timeout 900 --allow rejecting.I/O.to.offline.device
# Data integrity under path faults: fio random writes with --verify for 60 s
# over 4 scsi_debug paths while paths are offlined and restored in a loop
# (one at a time, sometimes two), in bio and in rq mode. Zero I/O errors and
# zero verify failures; the faults really failed paths and retried I/O.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

RUNTIME=${1:-60}
mpio_load
out=$(sd_paths 4 1) || exit 1
mapfile -t sd <<<"$out"
t_check "4 scsi_debug paths" test ${#sd[@]} = 4

# fault_loop: offline a path, wait, bring it back and reinstate it; every
# third round two paths are down at once. Runs until /tmp/stop exists.
fault_loop() {
	local i=0 p q
	while [ ! -e /tmp/stop ]; do
		p=${sd[i % 4]} q=${sd[(i + 1) % 4]}
		path_offline "$p"
		[ $((i % 3)) = 2 ] && path_offline "$q"
		sleep 1.5
		path_online "$p"
		path_online "$q"
		dmsetup message mp 0 reinstate_path "$(devnum "$p")"
		dmsetup message mp 0 reinstate_path "$(devnum "$q")"
		sleep 1
		i=$((i + 1))
	done
	echo "$i" >/tmp/rounds
}

for mode in bio rq; do
	t_step "fio --verify for ${RUNTIME}s, paths flapping, queue_mode $mode"
	mpio_create mp "$(mpio_table -f "queue_mode $mode" round-robin "${sd[@]}")"
	rm -f /tmp/stop /tmp/rounds
	fault_loop &
	loop=$!
	fio --name=verify --filename=/dev/mapper/mp --rw=randwrite --bs=4k \
		--direct=1 --ioengine=libaio --iodepth=16 --size=48m \
		--runtime="$RUNTIME" --time_based --verify=crc32c \
		--verify_backlog=512 --verify_fatal=1 --norandommap \
		--output=/tmp/fio-$mode.log
	rc=$?
	touch /tmp/stop
	wait "$loop"
	grep -E 'err=|IOPS|verify' /tmp/fio-$mode.log | head -5
	t_check "fio exits 0 ($mode)" test "$rc" = 0
	t_check "no I/O error reported by fio ($mode)" grep -q 'err= 0' /tmp/fio-$mode.log
	t_check "fio verified data ($mode)" sh -c "! grep -qi 'verify.*fail\|bad magic\|crc32c: verify failed' /tmp/fio-$mode.log"
	dmsetup status mp
	fails=$(mpio_stat_sum mp fail_count)
	errs=$(mpio_stat_sum mp errors)
	echo "   fault rounds: $(cat /tmp/rounds), path failures: $fails, path I/O errors retried: $errs"
	t_check "paths were failed by the faults ($mode)" test "$fails" -gt 0
	t_check "failed I/Os were retried ($mode)" test "$errs" -gt 0
	mpio_remove mp
done
t_done
