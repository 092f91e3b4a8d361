/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker: replays the journal, reads the region as the target holds it
 * (O_DIRECT, or buffered with the cached pages dropped first), and judges
 * each block by oracle_classify() (oracle-verdict.c). A block whose final
 * content passes but whose read-back after some ack found something else
 * (a BAD record: a write lost, even if a later one covered it) takes the
 * read-back's verdict. One line per block that is neither correct nor
 * unwritten (or per block with --all), then a summary line of key=value
 * pairs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"
#include "oracle.h"

#define CHUNK (1u << 20) /* read at least this much at once */

/* Print at s + *o (of len), and move *o past it; never beyond len. */
_printf_(4, 0) static void vappend(char *s, size_t len, size_t *o, const char *fmt, va_list ap)
{
	int n;

	if (*o >= len)
		return;
	n = vsnprintf(s + *o, len - *o, fmt, ap);
	if (n > 0)
		*o += (size_t)n;
}

_printf_(4, 5) static void append(char *s, size_t len, size_t *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vappend(s, len, o, fmt, ap);
	va_end(ap);
}

/* One more part of a list: ", " before all but the first. */
_printf_(5, 6) static void part(char *s, size_t len, size_t *o, bool *first, const char *fmt, ...)
{
	va_list ap;

	append(s, len, o, "%s", *first ? " " : ", ");
	*first = false;
	va_start(ap, fmt);
	vappend(s, len, o, fmt, ap);
	va_end(ap);
}

/* "8 sectors: 4 ours (generations 1-2), 4 zeros": the kinds that are there. */
static void describe_sectors(char *s, size_t len, const struct oracle_view *v)
{
	unsigned long long lo = v->gen_min, hi = v->gen_max;
	bool first = true;
	size_t o = 0;

	append(s, len, &o, "%u sectors:", v->sectors);
	if (v->ours && lo == hi)
		part(s, len, &o, &first, "%u ours (generation %llu)", v->ours, lo);
	else if (v->ours)
		part(s, len, &o, &first, "%u ours (generations %llu-%llu)", v->ours, lo, hi);
	if (v->damaged)
		part(s, len, &o, &first, "%u damaged", v->damaged);
	if (v->misplaced)
		part(s, len, &o, &first, "%u misplaced", v->misplaced);
	if (v->other)
		part(s, len, &o, &first, "%u of writer %llu", v->other, (unsigned long long)v->other_writer);
	if (v->garbage)
		part(s, len, &o, &first, "%u garbage", v->garbage);
	if (v->zero)
		part(s, len, &o, &first, "%u zeros", v->zero);
	if (v->ours == v->sectors && lo == hi)
		part(s, len, &o, &first, "bad block checksum");
}

static void describe(char *s, size_t len, enum oracle_verdict verdict, const struct oracle_view *v,
		     const struct oracle_block_history *hb, bool from_read_back)
{
	unsigned long long a = hb->acked, i = hb->issued, s_ = hb->seen;
	unsigned long long g = v->gen_max;
	size_t o;

	if (from_read_back) {
		snprintf(s, len, "generation %llu was acknowledged, then read back as %s%llu; now %s",
			 (unsigned long long)hb->bad_gen, hb->bad_found ? "generation " : "no intact generation ",
			 (unsigned long long)hb->bad_found, v->intact ? "intact" : "not intact");
		return;
	}
	switch (verdict) {
	case ORACLE_CORRECT:
		snprintf(s, len, "generation %llu", g);
		break;
	case ORACLE_UNWRITTEN:
		snprintf(s, len, "never written");
		break;
	case ORACLE_LOST:
		if (v->intact)
			snprintf(s, len, "generation %llu, but generation %llu was acknowledged", g, a);
		else
			snprintf(s, len, "zeros, but generation %llu was acknowledged", a);
		break;
	case ORACLE_GHOST:
		snprintf(s, len, "generation %llu came back after generation %llu was read back "
			 "(last acknowledged %llu)", g, s_, a);
		break;
	case ORACLE_INFLIGHT:
		if (v->intact)
			snprintf(s, len, "generation %llu, not acknowledged (last acknowledged %llu)", g, a);
		else if (v->ours) {
			describe_sectors(s, len, v);
			o = strlen(s);
			append(s, len, &o, "; last acknowledged %llu, last issued %llu", a, i);
		} else
			snprintf(s, len, "old content: generation %llu was issued, not acknowledged", i);
		break;
	case ORACLE_TORN:
	case ORACLE_FOREIGN:
	default:
		if (v->intact)
			snprintf(s, len, "generation %llu was never issued (last issued %llu)", g, i);
		else {
			describe_sectors(s, len, v);
			o = strlen(s);
			append(s, len, &o, "; last acknowledged %llu", a);
		}
		break;
	}
}

static void print_summary(FILE *out, const struct oracle_check_result *r)
{
	bool fail = false;

	fprintf(out, "oracle check: blocks=%llu", (unsigned long long)r->blocks);
	for (int v = 0; v < _ORACLE_VERDICT_MAX; v++) {
		fprintf(out, " %s=%llu", oracle_verdict_name(v), (unsigned long long)r->count[v]);
		if (oracle_verdict_fails(v) && r->count[v])
			fail = true;
	}
	fprintf(out, " writer=%s result=%s\n", r->writer_finished ? "finished" : "unfinished",
		fail ? "FAIL" : "PASS");
}

static int load(const struct oracle_check_opts *o, struct oracle_history *h)
{
	int r = oracle_history_load(o->journal, h);

	if (r == -EBADMSG && h->run.block_size == 0)
		fprintf(stderr, "oracle check: %s is not an oracle journal\n", o->journal);
	else if (r == -EBADMSG)
		fprintf(stderr, "oracle check: %s: record %llu contradicts the records before it\n",
			o->journal, (unsigned long long)h->records);
	else if (r < 0)
		fprintf(stderr, "oracle check: cannot read the journal %s: %s\n", o->journal, strerror(-r));
	return r;
}

static void print_header(FILE *out, const struct oracle_check_opts *o, const struct oracle_history *h,
			 bool direct)
{
	const struct oracle_run *run = &h->run;

	fprintf(out, "oracle check: %s against %s: writer %llu, %llu blocks of %u bytes at %llu, %llu records%s\n",
		o->target, o->journal, (unsigned long long)run->writer, (unsigned long long)h->blocks,
		run->block_size, (unsigned long long)run->offset, (unsigned long long)h->records,
		h->finished ? ", the writer finished" : ", the writer did not finish (stopped or crashed): "
		"its unacknowledged writes count as in flight");
	if (h->ignored_bytes)
		fprintf(out, "oracle check: %llu bytes after the last valid record ignored (a crash's tail)\n",
			(unsigned long long)h->ignored_bytes);
	if (!o->buffered && !direct)
		fprintf(out, "oracle check: O_DIRECT refused by %s: reading buffered, cached pages dropped\n",
			o->target);
}

/*
 * Check the target against the journal. Returns a negative errno if either
 * cannot be read (with a message on stderr); else 0 and the counts in *ret.
 */
int oracle_check(const struct oracle_check_opts *o, struct oracle_check_result *ret)
{
	_cleanup_(oracle_history_free) struct oracle_history h = {};
	_cleanup_close_ int fd = -1;
	_cleanup_free_ void *buf = NULL;
	_cleanup_free_ uint8_t *verdicts = NULL;
	uint64_t lines = 0, more = 0;
	uint32_t bs, per_chunk;
	bool direct;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = load(o, &h);
	if (r < 0)
		return r;
	bs = h.run.block_size;
	r = oracle_open_read(o->target, !o->buffered, &fd, &direct);
	if (r < 0) {
		fprintf(stderr, "oracle check: cannot open %s: %s\n", o->target, strerror(-r));
		return r;
	}
	per_chunk = bs >= CHUNK ? 1 : CHUNK / bs;
	buf = oracle_alloc((size_t)bs * per_chunk);
	verdicts = calloc(h.blocks, 1);
	if (!buf || !verdicts)
		return -ENOMEM;
	if (o->out && !o->quiet)
		print_header(o->out, o, &h, direct);

	for (uint64_t first = 0; first < h.blocks; first += per_chunk) {
		uint64_t n = h.blocks - first < per_chunk ? h.blocks - first : per_chunk;
		off_t off = (off_t)(h.run.offset + first * bs);

		r = oracle_read_block(fd, direct, buf, n * bs, off);
		if (r < 0) {
			fprintf(stderr, "oracle check: %s: read error at offset %llu: %s\n", o->target,
				(unsigned long long)off, strerror(-r));
			return r;
		}
		for (uint64_t k = 0; k < n; k++) {
			const struct oracle_block_history *hb = &h.block[first + k];
			struct oracle_expect e = { .acked = hb->acked, .issued = hb->issued, .seen = hb->seen };
			uint64_t boff = h.run.offset + (first + k) * bs;
			enum oracle_verdict verdict;
			bool from_read_back = false;
			struct oracle_view v;
			char detail[256];

			oracle_stamp_inspect((char *)buf + k * bs, bs, h.run.writer, boff, &v);
			verdict = oracle_classify(&v, &e);
			if (!oracle_verdict_fails(verdict) && hb->bad != ORACLE_CORRECT) {
				verdict = hb->bad;
				from_read_back = true;
			}
			verdicts[first + k] = (uint8_t)verdict;
			ret->count[verdict]++;
			if (!o->out || o->quiet ||
			    (!o->all && (verdict == ORACLE_CORRECT || verdict == ORACLE_UNWRITTEN)))
				continue;
			if (o->max_lines && lines >= o->max_lines) {
				more++;
				continue;
			}
			lines++;
			describe(detail, sizeof(detail), verdict, &v, hb, from_read_back);
			fprintf(o->out, "block %llu offset %llu: %s: %s\n", (unsigned long long)(first + k),
				(unsigned long long)boff, oracle_verdict_name(verdict), detail);
		}
	}
	ret->blocks = h.blocks;
	ret->writer_finished = h.finished;
	ret->direct = direct;
	ret->verdict = TAKE_PTR(verdicts);
	if (o->out) {
		if (more)
			fprintf(o->out, "oracle check: %llu more block lines not shown (--max-lines)\n",
				(unsigned long long)more);
		print_summary(o->out, ret);
	}
	return 0;
}
