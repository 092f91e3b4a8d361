#!/bin/bash
# scratch: failover stall, both targets and modes, with timing of the swap.
# CASES: target-mode-backend, backend dm (dm-linear/null_blk, swapped for
# error) or sd (scsi_debug, one path offlined).
. "$MPIO_SRC/tests/vm/lib.sh"
CASES=${1:-"multipath-bio-dm mpio-bio-dm multipath-bio-dm mpio-bio-dm multipath-rq-sd mpio-rq-sd multipath-bio-sd mpio-bio-sd"}
out=$(nullb_create 4 1 irqmode=0 queue_mode=2 hw_queue_depth=64) || exit 1
mapfile -t nb <<<"$out"
out=$(sd_paths 2 1 delay=0) || exit 1
mapfile -t sd <<<"$out"
need_mod dm_multipath
need_mod dm-mpio
p0=$(dm_linear fp0 "${nb[2]}") || exit 1
p1=$(dm_linear fp1 "${nb[3]}") || exit 1
ts() { date +%s%3N; }
for cs in $CASES; do
	IFS=- read -r target mode be <<<"$cs"
	feat="2 queue_mode $mode"
	[ "$target" = multipath ] && [ "$mode" = rq ] && feat=0
	if [ "$be" = dm ]; then a=$p0 b=$p1; else a=${sd[0]} b=${sd[1]}; fi
	sz=$(blockdev --getsz "$a")
	tbl="0 $sz $target $feat 0 1 1 round-robin 0 2 1 $(devnum "$a") 1 $(devnum "$b") 1"
	dmsetup create st --table "$tbl" || t_fail "cannot load $target stall map"
	settle
	rm -f /tmp/st_lat.*.log
	echo "== $cs start $(ts)"
	fio --name=st --filename=/dev/mapper/st --direct=1 --rw=randread --bs=4k --iodepth=8 \
		--ioengine=libaio --time_based --runtime=4 --size=32m --norandommap \
		--write_lat_log=/tmp/st --log_avg_msec=0 --log_unix_epoch=1 --output=/dev/null &
	pid=$!
	sleep 2
	if [ "$be" = dm ]; then
		echo "suspend $(ts)"; dmsetup suspend --noflush fp0
		echo "load $(ts)"; dmsetup load fp0 --table "0 $(blockdev --getsz ${nb[2]}) error"
		echo "resume $(ts)"; dmsetup resume fp0
		echo "resumed $(ts)"
	else
		echo "offline $(ts)"; path_offline "$a"
	fi
	wait "$pid" || echo "$target: fio saw an I/O error during failover"
	cut -d, -f1 /tmp/st_lat.1.log | sort -n |
		awk 'NR == 1 { f = $1 } NR > 1 && $1 - p > g { g = $1 - p; at = p } { p = $1 } END { print "gap", g + 0, "ms at", at, "first", f, "last", p, "n", NR }'
	cut -d, -f1 /tmp/st_lat.1.log | sort -n | awk '{ c[int($1 / 100)]++ } END { for (k in c) print k * 100, c[k] }' | sort -n | tr '\n' ' '; echo
	maxlat=$(cut -d, -f2 /tmp/st_lat.1.log | sort -n | tail -n1)
	echo "maxlat $((maxlat / 1000)) us"
	dmsetup status st
	dmsetup remove st
	if [ "$be" = dm ]; then dm_restore fp0; else path_online "$a"; fi
	dmesg | tail -n 4
done
dmsetup remove fp0 fp1
