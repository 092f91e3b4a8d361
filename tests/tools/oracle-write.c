/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The writer. queue_depth threads each take a block that has no write
 * outstanding (random or in order), give it the next generation, journal
 * and sync the ISSUE, write the stamped block, and then:
 *
 *   - without an fsync period: the write returned, so it is acknowledged:
 *     journal the ACK, read the block back if asked, and free the block;
 *   - with one (buffered, a file, --fsync-every N): the block waits; after
 *     N returned writes, the thread that made the Nth fsyncs (fdatasync on a
 *     device, fsync on a file) and acknowledges every write that had
 *     returned before that fsync started, or fails them all if it failed.
 *
 * A block stays busy from its ISSUE to its ACK or FAIL, so the journal holds
 * the generations of one block in order, and at most one of them is ever
 * outstanding. A failed write is journalled (FAIL) and counted, and the
 * block is written again later with the next generation. When the count,
 * the time, the error limit or a signal stops the run, the threads finish
 * their writes, the last pending ones are fsynced and acknowledged, and an
 * END record closes the journal.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "macro.h"
#include "oracle.h"

#define NO_BLOCK UINT64_MAX

enum block_state {
	BLOCK_FREE,
	BLOCK_WRITING, /* issued, the write not returned */
	BLOCK_PENDING, /* returned, waiting for the fsync that acknowledges it */
};

struct writer {
	const struct oracle_write_opts *o;
	struct oracle_run run;
	uint64_t blocks;
	int fd;
	int rfd;         /* read-back, or -1 */
	bool rdirect;
	bool file_mode;
	struct oracle_journal *journal;

	pthread_mutex_t lock; /* everything below */
	pthread_cond_t freed; /* a block became free or pending */
	uint8_t *state;       /* enum block_state, per block */
	uint64_t *gen;        /* last issued generation, per block */
	uint64_t *seen;       /* last generation read back intact, per block */
	uint64_t *pend_next;  /* the list of pending blocks */
	uint64_t pend_head;
	uint64_t pending;     /* length of that list */
	uint64_t cursor;      /* sequential: the next block */
	uint64_t count;       /* writes to issue, 0: no limit */
	uint64_t deadline_ns;
	int fatal;            /* the error that stops the run */
	struct oracle_write_result res;

	pthread_mutex_t fsync_lock; /* one fsync and its acks at a time */
};

struct worker {
	struct writer *w;
	pthread_t thread;
	uint64_t rng;
	void *buf;  /* the block being written */
	void *rbuf; /* read-back, or NULL */
};

static uint64_t rng_next(uint64_t *s)
{
	*s += 0x9e3779b97f4a7c15ULL;
	return oracle_mix64(*s);
}

static ssize_t default_write(void *ctx, int fd, const void *buf, size_t len, off_t off, uint64_t block,
			     uint64_t gen)
{
	return oracle_pwrite_all(fd, buf, len, off);
}

static off_t block_offset(const struct writer *w, uint64_t b)
{
	return (off_t)(w->run.offset + b * w->run.block_size);
}

/* The first fatal error wins; every thread stops at its next pick. */
static void set_fatal(struct writer *w, int r)
{
	pthread_mutex_lock(&w->lock);
	if (!w->fatal)
		w->fatal = r;
	pthread_cond_broadcast(&w->freed);
	pthread_mutex_unlock(&w->lock);
}

static bool should_stop(struct writer *w)
{
	const struct oracle_write_opts *o = w->o;

	return w->fatal || (o->stop && *o->stop) || (w->count && w->res.issued >= w->count) ||
	       (o->max_errors && w->res.failed >= o->max_errors) ||
	       (w->deadline_ns && oracle_now_ns() >= w->deadline_ns);
}

static void wait_freed(struct writer *w)
{
	struct timespec ts;

	/* wake now and then to see the deadline or a signal */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 100 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&w->freed, &w->lock, &ts);
}

enum pick { PICK_GOT, PICK_STOP, PICK_FLUSH };

/* Take a free block and its next generation; lock held. */
static enum pick pick_block(struct worker *me, uint64_t *ret_block, uint64_t *ret_gen)
{
	struct writer *w = me->w;
	uint64_t b = NO_BLOCK;

	for (;;) {
		if (should_stop(w))
			return PICK_STOP;
		if (w->run.flags & ORACLE_F_RANDOM) {
			for (int tries = 0; tries < 8 && b == NO_BLOCK; tries++) {
				uint64_t c = rng_next(&me->rng) % w->blocks;

				if (w->state[c] == BLOCK_FREE)
					b = c;
			}
			for (uint64_t k = 0, s = rng_next(&me->rng); k < w->blocks && b == NO_BLOCK; k++)
				if (w->state[(s + k) % w->blocks] == BLOCK_FREE)
					b = (s + k) % w->blocks;
			if (b == NO_BLOCK && w->pending)
				return PICK_FLUSH;
		} else if (w->state[w->cursor] == BLOCK_FREE) {
			b = w->cursor;
			w->cursor = (w->cursor + 1) % w->blocks;
		} else if (w->state[w->cursor] == BLOCK_PENDING)
			return PICK_FLUSH;
		if (b != NO_BLOCK)
			break;
		wait_freed(w);
	}
	w->state[b] = BLOCK_WRITING;
	w->res.issued++;
	*ret_block = b;
	*ret_gen = ++w->gen[b];
	return PICK_GOT;
}

/* One more of a result's counters (failed, read_errors, ...). */
static void count(struct writer *w, uint64_t *counter)
{
	pthread_mutex_lock(&w->lock);
	(*counter)++;
	pthread_mutex_unlock(&w->lock);
}

/* Keep the longest time (max_write_ns, max_fsync_ns) of a call started at t0, and when it started. */
static void note_max(struct writer *w, uint64_t *longest, uint64_t *started, uint64_t t0)
{
	uint64_t ns = oracle_now_ns() - t0;

	pthread_mutex_lock(&w->lock);
	if (ns > *longest) {
		*longest = ns;
		*started = t0;
	}
	pthread_mutex_unlock(&w->lock);
}

static void release(struct writer *w, uint64_t b)
{
	pthread_mutex_lock(&w->lock);
	w->state[b] = BLOCK_FREE;
	pthread_cond_broadcast(&w->freed);
	pthread_mutex_unlock(&w->lock);
}

static void fail_write(struct writer *w, uint64_t b, uint64_t gen, int err)
{
	int r = oracle_journal_append(w->journal, ORACLE_REC_FAIL, (uint32_t)-err, b, gen, 0);

	if (r < 0)
		set_fatal(w, r);
	count(w, &w->res.failed);
	release(w, b);
}

/* Read the block back right after its ack and journal what was there. */
static int read_back(struct worker *me, uint64_t b, uint64_t gen)
{
	struct writer *w = me->w;
	struct oracle_expect e = { .acked = gen, .issued = gen, .seen = w->seen[b] };
	struct oracle_view v;
	enum oracle_verdict verdict;
	int r;

	r = oracle_read_block(w->rfd, w->rdirect, me->rbuf, w->run.block_size, block_offset(w, b));
	if (r < 0) {
		count(w, &w->res.read_errors);
		return 0;
	}
	oracle_stamp_inspect(me->rbuf, w->run.block_size, w->run.writer, (uint64_t)block_offset(w, b), &v);
	verdict = oracle_classify(&v, &e);
	if (verdict == ORACLE_CORRECT) {
		w->seen[b] = gen;
		return oracle_journal_append(w->journal, ORACLE_REC_SEEN, 0, b, gen, 0);
	}
	count(w, &w->res.read_back_bad);
	return oracle_journal_append(w->journal, ORACLE_REC_BAD, verdict, b, gen, v.intact ? v.gen_max : 0);
}

static void ack(struct worker *me, uint64_t b, uint64_t gen)
{
	struct writer *w = me->w;
	int r;

	r = oracle_journal_append(w->journal, ORACLE_REC_ACK, 0, b, gen, 0);
	if (r >= 0 && me->rbuf)
		r = read_back(me, b, gen);
	if (r < 0)
		set_fatal(w, r);
	count(w, &w->res.acked);
	release(w, b);
}

/* fsync, then acknowledge (or fail) every write that had returned before it. */
static void flush(struct worker *me)
{
	struct writer *w = me->w;
	uint64_t head, t0;
	int r = 0;

	pthread_mutex_lock(&w->fsync_lock);
	pthread_mutex_lock(&w->lock);
	head = w->pend_head;
	w->pend_head = NO_BLOCK;
	w->pending = 0;
	pthread_mutex_unlock(&w->lock);
	if (head != NO_BLOCK) {
		t0 = oracle_now_ns();
		if ((w->file_mode ? fsync(w->fd) : fdatasync(w->fd)) < 0)
			r = -errno;
		note_max(w, &w->res.max_fsync_ns, &w->res.max_fsync_at_ns, t0);
	}
	/* the blocks on the list are pending: no other thread touches them */
	while (head != NO_BLOCK) {
		uint64_t b = head;

		head = w->pend_next[b];
		if (r == 0)
			ack(me, b, w->gen[b]);
		else
			fail_write(w, b, w->gen[b], r);
	}
	pthread_mutex_unlock(&w->fsync_lock);
}

static void write_one(struct worker *me, uint64_t b, uint64_t gen)
{
	struct writer *w = me->w;
	const struct oracle_write_opts *o = w->o;
	oracle_write_fn fn = o->write_fn ?: default_write;
	uint64_t t0;
	bool need_flush;
	ssize_t n;
	int r;

	oracle_stamp_fill(me->buf, w->run.block_size, w->run.writer, (uint64_t)block_offset(w, b), gen);
	r = oracle_journal_append(w->journal, ORACLE_REC_ISSUE, 0, b, gen, 0);
	if (r >= 0)
		r = oracle_journal_sync(w->journal);
	if (r < 0) {
		/* the write was not submitted: the journal is what failed */
		set_fatal(w, r);
		release(w, b);
		return;
	}
	t0 = oracle_now_ns();
	n = fn(o->write_ctx, w->fd, me->buf, w->run.block_size, block_offset(w, b), b, gen);
	note_max(w, &w->res.max_write_ns, &w->res.max_write_at_ns, t0);
	if (n >= 0 && n != (ssize_t)w->run.block_size)
		n = -EIO;
	if (n < 0) {
		fail_write(w, b, gen, (int)n);
		return;
	}
	if (w->run.fsync_every == 0) {
		ack(me, b, gen);
		return;
	}
	pthread_mutex_lock(&w->lock);
	w->state[b] = BLOCK_PENDING;
	w->pend_next[b] = w->pend_head;
	w->pend_head = b;
	need_flush = ++w->pending >= w->run.fsync_every;
	pthread_cond_broadcast(&w->freed);
	pthread_mutex_unlock(&w->lock);
	if (need_flush)
		flush(me);
}

static void *worker_main(void *arg)
{
	struct worker *me = arg;
	struct writer *w = me->w;
	uint64_t b, gen;

	for (;;) {
		enum pick p;

		pthread_mutex_lock(&w->lock);
		p = pick_block(me, &b, &gen);
		pthread_mutex_unlock(&w->lock);
		if (p == PICK_STOP)
			break;
		if (p == PICK_FLUSH)
			flush(me);
		else
			write_one(me, b, gen);
	}
	return NULL;
}

static int random_writer(uint64_t *ret)
{
	do {
		if (getrandom(ret, sizeof(*ret), 0) != sizeof(*ret))
			return -errno;
	} while (*ret == 0);
	return 0;
}

/* Open the target and settle the region; prints what is wrong. */
static int open_target(struct writer *w)
{
	const struct oracle_write_opts *o = w->o;
	int flags = O_RDWR | (w->run.flags & ORACLE_F_DIRECT ? O_DIRECT : 0) | (w->file_mode ? O_CREAT : 0);
	const char *why;
	uint64_t size;
	int r;

	r = oracle_open(o->target, flags, &w->fd);
	if (r == -EINVAL && (flags & O_DIRECT)) {
		fprintf(stderr, "oracle write: %s: O_DIRECT refused (tmpfs?): use --buffered\n", o->target);
		return r;
	}
	if (r < 0) {
		fprintf(stderr, "oracle write: cannot open %s: %s\n", o->target, strerror(-r));
		return r;
	}
	r = oracle_target_size(w->fd, &size);
	if (r < 0) {
		fprintf(stderr, "oracle write: %s: not a block device or regular file: %s\n", o->target,
			strerror(-r));
		return r;
	}
	if (!w->file_mode && w->run.offset >= size) {
		fprintf(stderr, "oracle write: the offset %llu is not inside %s's %llu bytes\n",
			(unsigned long long)w->run.offset, o->target, (unsigned long long)size);
		return -ENOSPC;
	}
	if (w->run.length == 0 && !w->file_mode && w->run.block_size)
		w->run.length = (size - w->run.offset) / w->run.block_size * w->run.block_size;
	if (w->run.length == 0 && w->file_mode) {
		fprintf(stderr, "oracle write: --file needs --length (the size of the region to write)\n");
		return -EINVAL;
	}
	r = oracle_run_validate(&w->run, &why);
	if (r < 0) {
		fprintf(stderr, "oracle write: %s\n", why);
		return r;
	}
	if (!w->file_mode && w->run.offset + w->run.length > size) {
		fprintf(stderr, "oracle write: the region %llu+%llu ends beyond %s's %llu bytes\n",
			(unsigned long long)w->run.offset, (unsigned long long)w->run.length, o->target,
			(unsigned long long)size);
		return -ENOSPC;
	}
	w->blocks = w->run.length / w->run.block_size;
	if (w->run.flags & ORACLE_F_READ_BACK) {
		r = oracle_open_read(o->target, true, &w->rfd, &w->rdirect);
		if (r < 0) {
			fprintf(stderr, "oracle write: cannot open %s to read back: %s\n", o->target, strerror(-r));
			return r;
		}
	}
	return 0;
}

static int setup(struct writer *w, struct worker *workers, unsigned n)
{
	bool read_back = w->run.flags & ORACLE_F_READ_BACK;

	w->state = calloc(w->blocks, sizeof(*w->state));
	w->gen = calloc(w->blocks, sizeof(*w->gen));
	w->seen = calloc(w->blocks, sizeof(*w->seen));
	w->pend_next = calloc(w->blocks, sizeof(*w->pend_next));
	if (!w->state || !w->gen || !w->seen || !w->pend_next)
		return -ENOMEM;
	/* workers[n] is the main thread's, for the last flush */
	for (unsigned i = 0; i <= n; i++) {
		workers[i].w = w;
		workers[i].rng = oracle_mix64(w->run.seed ^ oracle_mix64(i + 1));
		workers[i].buf = i < n ? oracle_alloc(w->run.block_size) : NULL;
		workers[i].rbuf = read_back ? oracle_alloc(w->run.block_size) : NULL;
		if ((i < n && !workers[i].buf) || (read_back && !workers[i].rbuf))
			return -ENOMEM;
	}
	return 0;
}

static void print_result(const struct writer *w, FILE *out)
{
	const struct oracle_write_result *r = &w->res;
	double s = (double)r->elapsed_ns / 1e9;

	fprintf(out,
		"oracle write: writer=%llu seed=%llu blocks=%llu bs=%u direct=%s writes=%llu acked=%llu failed=%llu "
		"unacked=%llu read-back-bad=%llu read-errors=%llu max-write-ms=%.1f max-write-at=%.3f "
		"max-fsync-ms=%.1f max-fsync-at=%.3f seconds=%.2f MiB/s=%.1f\n",
		(unsigned long long)r->writer, (unsigned long long)w->run.seed, (unsigned long long)w->blocks, w->run.block_size,
		r->direct ? "yes" : "no", (unsigned long long)r->issued, (unsigned long long)r->acked,
		(unsigned long long)r->failed, (unsigned long long)(r->issued - r->acked - r->failed),
		(unsigned long long)r->read_back_bad, (unsigned long long)r->read_errors,
		(double)r->max_write_ns / 1e6, (double)r->max_write_at_ns / 1e9, (double)r->max_fsync_ns / 1e6,
		(double)r->max_fsync_at_ns / 1e9, s,
		s > 0 ? (double)r->acked * w->run.block_size / s / (1 << 20) : 0.0);
}

/*
 * Run the writer. Returns a negative errno if it could not start or its
 * journal failed (with a message on stderr); else 0, and *ret tells how the
 * writes went (failed writes and bad read-backs are results, not errors).
 */
int oracle_write(const struct oracle_write_opts *o, struct oracle_write_result *ret)
{
	struct writer w = {
		.o = o, .run = o->run, .fd = -1, .rfd = -1, .pend_head = NO_BLOCK,
		.file_mode = o->run.flags & ORACLE_F_FILE,
	};
	unsigned n = o->run.queue_depth, started = 0;
	struct worker *workers = NULL;
	pthread_condattr_t ca;
	uint64_t t0;
	int r;

	memset(ret, 0, sizeof(*ret));
	pthread_mutex_init(&w.lock, NULL);
	pthread_mutex_init(&w.fsync_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w.freed, &ca);
	pthread_condattr_destroy(&ca);

	if (w.run.writer == 0) {
		r = random_writer(&w.run.writer);
		if (r < 0) {
			fprintf(stderr, "oracle write: cannot draw a writer id: %s\n", strerror(-r));
			goto out;
		}
	}
	if (w.file_mode && w.run.length == 0) {
		fprintf(stderr, "oracle write: --file needs --length (the size of the region to write)\n");
		r = -EINVAL;
		goto out;
	}
	if (!(w.run.flags & ORACLE_F_DIRECT) && w.run.fsync_every == 0) {
		fprintf(stderr, "oracle write: buffered writes need --fsync-every N (N >= 1): "
			"a write is acknowledged by the fsync after it\n");
		r = -EINVAL;
		goto out;
	}
	r = open_target(&w);
	if (r < 0)
		goto out;
	if ((uint64_t)w.run.block_size * n * (w.run.flags & ORACLE_F_READ_BACK ? 2 : 1) > (2ull << 30)) {
		fprintf(stderr, "oracle write: block size x queue depth needs more than 2 GiB of buffers\n");
		r = -E2BIG;
		goto out;
	}
	workers = calloc(n + 1, sizeof(*workers));
	r = workers ? setup(&w, workers, n) : -ENOMEM;
	if (r < 0) {
		fprintf(stderr, "oracle write: out of memory\n");
		goto out;
	}
	r = oracle_journal_create(o->journal, &w.run, o->journal_sync, &w.journal);
	if (r < 0) {
		fprintf(stderr, "oracle write: cannot create the journal %s: %s\n", o->journal, strerror(-r));
		goto out;
	}

	w.count = o->count || o->time_ms ? o->count : w.blocks;
	t0 = oracle_now_ns();
	if (o->time_ms)
		w.deadline_ns = t0 + o->time_ms * 1000000;
	for (; started < n; started++) {
		r = -pthread_create(&workers[started].thread, NULL, worker_main, &workers[started]);
		if (r < 0) {
			set_fatal(&w, r);
			break;
		}
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(workers[i].thread, NULL);
	if (!w.fatal)
		flush(&workers[n]);
	if (!w.fatal) {
		r = oracle_journal_append(w.journal, ORACLE_REC_END, 0, 0, 0, 0);
		if (r < 0)
			w.fatal = r;
	}
	w.res.elapsed_ns = oracle_now_ns() - t0;
	r = oracle_journal_close(w.journal);
	w.journal = NULL;
	if (w.fatal)
		r = w.fatal;
	if (r < 0)
		fprintf(stderr, "oracle write: the journal %s failed: %s\n", o->journal, strerror(-r));

	w.res.writer = w.run.writer;
	w.res.direct = w.run.flags & ORACLE_F_DIRECT;
	*ret = w.res;
	if (o->out)
		print_result(&w, o->out);
out:
	if (workers)
		for (unsigned i = 0; i <= n; i++) {
			free(workers[i].buf);
			free(workers[i].rbuf);
		}
	free(workers);
	free(w.state);
	free(w.gen);
	free(w.seen);
	free(w.pend_next);
	if (w.fd >= 0)
		close(w.fd);
	if (w.rfd >= 0)
		close(w.rfd);
	pthread_cond_destroy(&w.freed);
	pthread_mutex_destroy(&w.fsync_lock);
	pthread_mutex_destroy(&w.lock);
	return r;
}
