/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The journal: the run's parameters, then one fixed-size record per event,
 * appended in the order the events happened, in host byte order.
 *
 *   header  magic "MPIOJRNL", version, record size, struct oracle_run, checksum
 *   record  type, arg, block (index in the region), generation, extra, checksum
 *
 * A record's checksum covers its fields, its index in the file and the writer
 * id, so a stale or zeroed record never passes. The durability rule: an
 * ISSUE record is synced (fdatasync, shared by the writes in flight: one sync
 * covers every record appended before it started) before its write is
 * submitted; ACK, FAIL, SEEN and BAD records are appended after the fact and
 * become durable with the next sync, and the last with the sync at close.
 * After a crash the journal is read up to the first record that is not
 * valid: everything synced is in that prefix, so every write that could have
 * reached the target is named; an ACK lost in the tail leaves its write
 * "unacknowledged", which only ever widens what the checker accepts.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "oracle.h"

#define JOURNAL_MAGIC 0x4c4e524a4f49504dULL /* "MPIOJRNL" on a little-endian host */
#define JOURNAL_VERSION 1u

struct journal_header {
	uint64_t magic;
	uint32_t version;
	uint32_t record_size;
	struct oracle_run run;
	uint64_t sum;
};

struct journal_record {
	uint32_t type;
	uint32_t arg;
	uint64_t block;
	uint64_t gen;
	uint64_t extra;
	uint64_t sum;
};

_Static_assert(sizeof(struct oracle_run) == 48, "struct oracle_run has padding");
_Static_assert(sizeof(struct journal_header) == 72, "journal header has padding");
_Static_assert(sizeof(struct journal_record) == 40, "journal record has padding");

struct oracle_journal {
	int fd;
	bool sync;
	uint64_t writer;
	pthread_mutex_t lock;      /* records */
	pthread_mutex_t sync_lock; /* one fdatasync at a time */
	uint64_t records;          /* appended */
	uint64_t synced;           /* records known to be durable */
};

static uint64_t sum_words(const uint64_t *w, size_t n, uint64_t seed)
{
	uint64_t h = oracle_mix64(seed ^ 0x6a6f75726e616c00ULL);

	for (size_t i = 0; i < n; i++)
		h = oracle_mix64(h ^ w[i]) + i;
	return h;
}

static uint64_t header_sum(const struct journal_header *h)
{
	return sum_words((const uint64_t *)h, offsetof(struct journal_header, sum) / 8, 0);
}

static uint64_t record_sum(const struct journal_record *r, uint64_t index, uint64_t writer)
{
	return sum_words((const uint64_t *)r, offsetof(struct journal_record, sum) / 8,
			 oracle_mix64(index) ^ writer);
}

static off_t record_offset(uint64_t index)
{
	return (off_t)(sizeof(struct journal_header) + index * sizeof(struct journal_record));
}

/* Check a run's parameters; on -EINVAL *ret_reason says what is wrong. */
int oracle_run_validate(const struct oracle_run *run, const char **ret_reason)
{
	const char *why = NULL;

	if (run->block_size < ORACLE_MIN_BS || run->block_size > ORACLE_MAX_BS ||
	    run->block_size % ORACLE_SECTOR)
		why = "the block size must be a multiple of 512 from 512 to 8M";
	else if (run->offset % ORACLE_SECTOR)
		why = "the region's offset must be a multiple of 512";
	else if (run->length == 0 || run->length % run->block_size)
		why = "the region's length must be a non-zero multiple of the block size";
	else if (run->length / run->block_size > ORACLE_MAX_BLOCKS)
		why = "the region has more than 16777216 blocks: use larger blocks or a shorter region";
	else if (run->offset + run->length < run->offset)
		why = "the region ends beyond 2^64";
	else if (run->queue_depth < 1 || run->queue_depth > ORACLE_MAX_QD)
		why = "the queue depth must be from 1 to 256";
	if (ret_reason)
		*ret_reason = why;
	return why ? -EINVAL : 0;
}

/* fsync the directory holding path, so that a new file's name is durable. */
static int sync_parent(const char *path)
{
	_cleanup_free_ char *copy = strdup(path);
	_cleanup_close_ int dfd = -1;

	if (!copy)
		return -ENOMEM;
	dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	return fsync(dfd) < 0 ? -errno : 0;
}

int oracle_journal_create(const char *path, const struct oracle_run *run, bool sync,
			  struct oracle_journal **ret)
{
	struct journal_header h = {
		.magic = JOURNAL_MAGIC,
		.version = JOURNAL_VERSION,
		.record_size = sizeof(struct journal_record),
		.run = *run,
	};
	_cleanup_close_ int fd = -1;
	struct oracle_journal *j;
	ssize_t n;
	int r;

	r = oracle_open(path, O_WRONLY | O_CREAT | O_TRUNC, &fd);
	if (r < 0)
		return r;
	h.sum = header_sum(&h);
	n = oracle_pwrite_all(fd, &h, sizeof(h), 0);
	if (n < 0)
		return (int)n;
	if (fdatasync(fd) < 0)
		return -errno;
	r = sync_parent(path);
	if (r < 0)
		return r;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->fd = TAKE_FD(fd);
	j->sync = sync;
	j->writer = run->writer;
	pthread_mutex_init(&j->lock, NULL);
	pthread_mutex_init(&j->sync_lock, NULL);
	*ret = j;
	return 0;
}

int oracle_journal_append(struct oracle_journal *j, enum oracle_record_type type, uint32_t arg,
			  uint64_t block, uint64_t gen, uint64_t extra)
{
	struct journal_record rec = {
		.type = type, .arg = arg, .block = block, .gen = gen, .extra = extra,
	};
	ssize_t n;

	pthread_mutex_lock(&j->lock);
	rec.sum = record_sum(&rec, j->records, j->writer);
	n = oracle_pwrite_all(j->fd, &rec, sizeof(rec), record_offset(j->records));
	if (n >= 0)
		j->records++;
	pthread_mutex_unlock(&j->lock);
	return n < 0 ? (int)n : 0;
}

/* Make every record appended so far durable; one sync serves all waiting callers. */
int oracle_journal_sync(struct oracle_journal *j)
{
	uint64_t want, upto;
	int r = 0;

	if (!j->sync)
		return 0;
	pthread_mutex_lock(&j->lock);
	want = j->records;
	pthread_mutex_unlock(&j->lock);

	pthread_mutex_lock(&j->sync_lock);
	pthread_mutex_lock(&j->lock);
	upto = j->records;
	if (j->synced >= want) {
		pthread_mutex_unlock(&j->lock);
		pthread_mutex_unlock(&j->sync_lock);
		return 0;
	}
	pthread_mutex_unlock(&j->lock);
	if (fdatasync(j->fd) < 0)
		r = -errno;
	else {
		pthread_mutex_lock(&j->lock);
		if (upto > j->synced)
			j->synced = upto;
		pthread_mutex_unlock(&j->lock);
	}
	pthread_mutex_unlock(&j->sync_lock);
	return r;
}

/* Sync (whatever the sync option said) and close; frees j even on error. */
int oracle_journal_close(struct oracle_journal *j)
{
	int r = 0;

	if (!j)
		return 0;
	if (fdatasync(j->fd) < 0)
		r = -errno;
	if (close(j->fd) < 0 && r == 0)
		r = -errno;
	pthread_mutex_destroy(&j->lock);
	pthread_mutex_destroy(&j->sync_lock);
	free(j);
	return r;
}

/* Apply one valid record to the history: -EBADMSG if it contradicts what came before. */
static int history_apply(struct oracle_history *h, const struct journal_record *rec)
{
	struct oracle_block_history *b;

	if (rec->type == ORACLE_REC_END) {
		h->finished = true;
		return 0;
	}
	if (rec->block >= h->blocks)
		return -EBADMSG;
	b = &h->block[rec->block];
	switch (rec->type) {
	case ORACLE_REC_ISSUE:
		/* one write of a block at a time, generations in order */
		if (rec->gen != b->issued + 1)
			return -EBADMSG;
		b->issued = rec->gen;
		return 0;
	case ORACLE_REC_ACK:
		if (rec->gen > b->issued || rec->gen <= b->acked)
			return -EBADMSG;
		b->acked = rec->gen;
		return 0;
	case ORACLE_REC_FAIL:
		if (rec->gen > b->issued || rec->gen <= b->acked)
			return -EBADMSG;
		h->failed++;
		return 0;
	case ORACLE_REC_SEEN:
		if (rec->gen > b->acked)
			return -EBADMSG;
		if (rec->gen > b->seen)
			b->seen = rec->gen;
		return 0;
	case ORACLE_REC_BAD:
		if (rec->gen > b->acked || !oracle_verdict_fails(rec->arg))
			return -EBADMSG;
		if (b->bad == ORACLE_CORRECT) {
			b->bad = (uint8_t)rec->arg;
			b->bad_gen = rec->gen;
			b->bad_found = rec->extra;
		}
		return 0;
	default:
		return -EBADMSG;
	}
}

/*
 * Read a journal into a history. Returns -EBADMSG for a header that is not a
 * journal's, or for a valid record that contradicts the ones before it (then
 * ret->records is that record's index); ret is freed on every error.
 */
int oracle_history_load(const char *path, struct oracle_history *ret)
{
	_cleanup_fclose_ FILE *f = NULL;
	struct journal_header hdr;
	struct journal_record rec;
	struct stat st;
	size_t n;
	int r;

	memset(ret, 0, sizeof(*ret));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) < 0)
		return -errno;
	if (fread(&hdr, sizeof(hdr), 1, f) != 1)
		return ferror(f) ? -EIO : -EBADMSG;
	if (hdr.magic != JOURNAL_MAGIC || hdr.version != JOURNAL_VERSION ||
	    hdr.record_size != sizeof(struct journal_record) || hdr.sum != header_sum(&hdr) ||
	    oracle_run_validate(&hdr.run, NULL) < 0)
		return -EBADMSG;
	ret->run = hdr.run;
	ret->blocks = hdr.run.length / hdr.run.block_size;
	ret->block = calloc(ret->blocks, sizeof(*ret->block));
	if (!ret->block)
		return -ENOMEM;
	for (;;) {
		n = fread(&rec, 1, sizeof(rec), f);
		if (n == 0 && !ferror(f))
			break;
		if (n != sizeof(rec) || rec.sum != record_sum(&rec, ret->records, hdr.run.writer)) {
			/* the torn tail of a crash: everything from here on */
			if (ferror(f)) {
				r = -EIO;
				goto fail;
			}
			ret->ignored_bytes = (uint64_t)st.st_size - (uint64_t)record_offset(ret->records);
			break;
		}
		r = history_apply(ret, &rec);
		if (r < 0)
			goto fail;
		ret->records++;
	}
	return 0;
fail:
	free(ret->block);
	ret->block = NULL;
	return r;
}

void oracle_history_free(struct oracle_history *h)
{
	free(h->block);
	h->block = NULL;
}
