/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The definitions: what a block may hold, given its history, and the name of
 * everything else. For one block the journal gives
 *
 *   A  the generation of its last acknowledged write (0: none). A write is
 *      acknowledged when pwrite returned all of it and, if the run fsyncs
 *      (buffered, a file, or --fsync-every), the fsync that followed it
 *      returned 0. The journal's ACK record is appended only then.
 *   I  the generation of its last issued write (I >= A). The ISSUE record is
 *      in the journal, synced, before the write is submitted, so no write can
 *      reach the target that the journal does not name. The writer never has
 *      two writes of one block outstanding, so the generations of one block
 *      are issued and acknowledged in order, and every generation in (A, I]
 *      is unacknowledged: it failed, or was in flight when the writer stopped
 *      or crashed. Its data may or may not have reached the target, in part
 *      or whole.
 *   S  the highest generation read back intact right after its ack
 *      (--read-back; 0 without).
 *
 * and the block's content gives, sector by sector, which stamps are intact
 * (oracle-stamp.c). A block is intact with generation G when every sector
 * holds this writer's stamp for it, in place, of generation G, and the block
 * checksum is right. Then the block is
 *
 *   correct    intact with G = A (> 0).
 *   in flight  intact with A < G <= I; or not intact but every sector is an
 *              intact sector of ours with a generation from A to I while
 *              I > A (an unacknowledged write landed in part), where, if no
 *              write was acknowledged (A = 0), sectors holding nothing of
 *              this writer (the old content) count as generation 0.
 *              Not a failure: a write that was never acknowledged promised
 *              nothing.
 *   unwritten  never issued (A = I = 0) and no sector stamped by this writer:
 *              whatever was there before (zeros or not). Not a failure.
 *   lost       intact with G < A, and no newer generation than G was ever read
 *              back (S <= G): the last acknowledged write is not there, an
 *              older one is. Or every sector zeros while A > 0: no write of
 *              the block is there (a dropped first write, a discard; targets
 *              start zeroed: scsi_debug, null_blk, a new sparse file). Also:
 *              a read-back right after the ack of generation g found an older
 *              generation or zeros, even if a later write then covered it (the
 *              journal's BAD record; oracle-check.c).
 *   ghost      intact with G < A and S > G: a newer generation had been read
 *              back from the target after its ack, and the older G came back
 *              afterwards (a delayed write landing late). Without --read-back
 *              S is 0, and a ghost is reported as lost: from the final content
 *              alone the two look the same.
 *   torn       not intact, at least one sector of ours (intact, or damaged:
 *              our header for this block and place with a wrong checksum, a
 *              write torn inside the sector), and not in flight by the rule
 *              above: mixed generations, ours mixed with other writers',
 *              misplaced, zero or garbage sectors, a damaged sector, or a bad
 *              block checksum.
 *   foreign    no sector of ours, and neither unwritten, in flight nor
 *              all zeros: random bytes, another writer's stamps, or this writer's
 *              stamps for another block (a misdirected write); also intact
 *              with G > I or G = 0: a generation never issued for the block.
 *
 * Lost, ghost, torn and foreign fail a check. A write that the target
 * acknowledged and never stored is found as lost: multipath cannot prevent
 * that, only the oracle can show it.
 */
#include "oracle.h"

static const char *const verdict_names[_ORACLE_VERDICT_MAX] = {
	[ORACLE_CORRECT] = "correct",
	[ORACLE_INFLIGHT] = "inflight",
	[ORACLE_UNWRITTEN] = "unwritten",
	[ORACLE_LOST] = "lost",
	[ORACLE_GHOST] = "ghost",
	[ORACLE_TORN] = "torn",
	[ORACLE_FOREIGN] = "foreign",
};

const char *oracle_verdict_name(enum oracle_verdict v)
{
	return (unsigned)v < _ORACLE_VERDICT_MAX ? verdict_names[v] : "invalid";
}

enum oracle_verdict oracle_classify(const struct oracle_view *v, const struct oracle_expect *e)
{
	uint64_t a = e->acked, i = e->issued;

	if (v->intact) {
		uint64_t g = v->gen_max;

		if (g == 0 || g > i)
			return ORACLE_FOREIGN;
		if (g == a)
			return ORACLE_CORRECT;
		if (g > a)
			return ORACLE_INFLIGHT;
		return e->seen > g ? ORACLE_GHOST : ORACLE_LOST;
	}
	if (v->ours == 0 && v->damaged == 0) {
		if (v->misplaced == 0 && a == 0)
			return i == 0 ? ORACLE_UNWRITTEN : ORACLE_INFLIGHT;
		if (v->misplaced == 0 && v->zero == v->sectors)
			return ORACLE_LOST;
		return ORACLE_FOREIGN;
	}
	if (v->damaged == 0 && i > a && v->gen_min >= a && v->gen_max <= i &&
	    (v->ours == v->sectors || (a == 0 && v->misplaced == 0)))
		return ORACLE_INFLIGHT;
	return ORACLE_TORN;
}
