/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data oracle: a writer that stamps every block it writes and journals
 * which generation of each block was issued and acknowledged, and a checker
 * that reads the blocks back and judges each against the journal.
 *
 *   oracle-stamp.c    the block format: fill a block, inspect what one holds
 *   oracle-verdict.c  the definitions: correct, in flight, lost, ghost, ...
 *   oracle-journal.c  the journal file: append durably, load into a history
 *   oracle-io.c       opening the target, its size, whole-buffer I/O
 *   oracle-write.c    the writer (threads, queue depth, fsync period, acks)
 *   oracle-check.c    the checker (reads the region, reports per block)
 *   oracle.c          the command line
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure; none keeps global state.
 */
#ifndef MPIO_ORACLE_H
#define MPIO_ORACLE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define ORACLE_SECTOR 512u
#define ORACLE_MIN_BS ORACLE_SECTOR
#define ORACLE_MAX_BS (8u << 20)
#define ORACLE_MAX_QD 256u
/* Per-block state is kept in memory by the writer and the checker. */
#define ORACLE_MAX_BLOCKS (1ull << 24)
/* Buffers are aligned for O_DIRECT on any logical block size up to this. */
#define ORACLE_ALIGN 4096u

/* ---- oracle-stamp.c: the block format ---- */

/* What one block holds, sector by sector (oracle_stamp_inspect). */
struct oracle_view {
	uint32_t sectors;   /* sectors in the block */
	uint32_t ours;      /* intact sectors stamped by this writer for this block and position */
	uint32_t misplaced; /* intact sectors of this writer stamped for another block or position */
	uint32_t other;     /* intact sectors of another writer */
	uint32_t damaged;   /* sectors with this writer's header for this block and position
			     * but a wrong checksum: torn inside the sector, or corrupt */
	uint32_t garbage;   /* other sectors without an intact stamp */
	uint32_t zero;      /* sectors of zeros (never written by anyone, or discarded) */
	uint64_t gen_min;   /* lowest and highest generation among the "ours" sectors */
	uint64_t gen_max;
	uint64_t other_writer; /* one of the other writers seen, for the report */
	bool intact;        /* all sectors ours, one generation, block checksum right */
};

void oracle_stamp_fill(void *buf, uint32_t bs, uint64_t writer, uint64_t offset, uint64_t gen);
void oracle_stamp_inspect(const void *buf, uint32_t bs, uint64_t writer, uint64_t offset,
			  struct oracle_view *ret);
uint64_t oracle_mix64(uint64_t x);

/* ---- oracle-verdict.c: the definitions ---- */

enum oracle_verdict {
	ORACLE_CORRECT,   /* passes */
	ORACLE_INFLIGHT,  /* passes: an unacknowledged write (wholly or partly) */
	ORACLE_UNWRITTEN, /* passes: never written by this run, holds nothing of it */
	ORACLE_LOST,      /* fails from here on */
	ORACLE_GHOST,
	ORACLE_TORN,
	ORACLE_FOREIGN,
	_ORACLE_VERDICT_MAX,
};

/* What the journal says of one block. */
struct oracle_expect {
	uint64_t acked;  /* generation of the last acknowledged write, 0 if none */
	uint64_t issued; /* generation of the last issued write (>= acked) */
	uint64_t seen;   /* highest generation read back intact after its ack, 0 if none */
};

enum oracle_verdict oracle_classify(const struct oracle_view *v, const struct oracle_expect *e);
const char *oracle_verdict_name(enum oracle_verdict v);
static inline bool oracle_verdict_fails(enum oracle_verdict v)
{
	return v >= ORACLE_LOST;
}

/* ---- oracle-journal.c ---- */

/* flags in the journal header */
#define ORACLE_F_DIRECT    (1u << 0)
#define ORACLE_F_FILE      (1u << 1)
#define ORACLE_F_READ_BACK (1u << 2)
#define ORACLE_F_RANDOM    (1u << 3)

/* The run's parameters, at the head of the journal. */
struct oracle_run {
	uint64_t writer;
	uint64_t seed;
	uint64_t offset;      /* region, in bytes */
	uint64_t length;
	uint32_t block_size;
	uint32_t flags;       /* ORACLE_F_* */
	uint32_t fsync_every; /* 0: acknowledged when the write returns */
	uint32_t queue_depth;
};

enum oracle_record_type {
	ORACLE_REC_ISSUE = 1, /* gen: about to be submitted (durable before it is) */
	ORACLE_REC_ACK,       /* gen: the write returned, and the fsync covering it */
	ORACLE_REC_FAIL,      /* gen: the write or its fsync failed; arg: errno */
	ORACLE_REC_SEEN,      /* gen: read back intact after its ack */
	ORACLE_REC_BAD,       /* gen: read back after its ack as arg (a verdict); extra: generation found */
	ORACLE_REC_END,       /* the writer stopped cleanly */
};

int oracle_run_validate(const struct oracle_run *run, const char **ret_reason);

struct oracle_journal;

int oracle_journal_create(const char *path, const struct oracle_run *run, bool sync,
			  struct oracle_journal **ret);
int oracle_journal_append(struct oracle_journal *j, enum oracle_record_type type, uint32_t arg,
			  uint64_t block, uint64_t gen, uint64_t extra);
int oracle_journal_sync(struct oracle_journal *j);
int oracle_journal_close(struct oracle_journal *j);

/* One block's history, replayed from the journal. */
struct oracle_block_history {
	uint64_t acked, issued, seen;
	uint64_t bad_gen;   /* first read-back that found something else: its generation */
	uint64_t bad_found; /* and the generation it found (0: none intact) */
	uint8_t bad;        /* its verdict, ORACLE_CORRECT if none */
};

struct oracle_history {
	struct oracle_run run;
	uint64_t blocks;
	struct oracle_block_history *block;
	uint64_t records;       /* valid records read */
	uint64_t ignored_bytes; /* after the first invalid record (a crash's torn tail) */
	uint64_t failed;        /* FAIL records */
	bool finished;          /* an END record: the writer stopped cleanly */
};

int oracle_history_load(const char *path, struct oracle_history *ret);
void oracle_history_free(struct oracle_history *h);

/* ---- oracle-io.c ---- */

int oracle_open(const char *path, int flags, int *ret_fd);
int oracle_open_read(const char *path, bool direct, int *ret_fd, bool *ret_direct);
int oracle_target_size(int fd, uint64_t *ret);
ssize_t oracle_pwrite_all(int fd, const void *buf, size_t len, off_t off);
ssize_t oracle_pread_all(int fd, void *buf, size_t len, off_t off);
int oracle_read_block(int fd, bool direct, void *buf, size_t len, off_t off);
void *oracle_alloc(size_t len);
uint64_t oracle_now_ns(void);

/* ---- oracle-write.c ---- */

/*
 * How a write reaches the target: returns len or a negative errno. The unit
 * tests put their own here to drop, fail or crash on chosen writes.
 */
typedef ssize_t (*oracle_write_fn)(void *ctx, int fd, const void *buf, size_t len, off_t off,
				   uint64_t block, uint64_t gen);

struct oracle_write_opts {
	const char *target;
	const char *journal;
	struct oracle_run run; /* writer 0: a random one */
	uint64_t count;        /* writes to issue; 0: no limit, or one per block if time_ms is 0 too */
	uint64_t time_ms;      /* run time; 0: no limit */
	uint64_t max_errors;   /* stop after this many failed writes; 0: never */
	bool journal_sync;     /* fdatasync the journal before each write is submitted */
	volatile sig_atomic_t *stop; /* set (by a signal) to stop early; may be NULL */
	oracle_write_fn write_fn;    /* NULL: pwrite */
	void *write_ctx;
	FILE *out;             /* summary line; NULL: none */
};

struct oracle_write_result {
	uint64_t writer;
	uint64_t issued, acked, failed;
	uint64_t read_back_bad, read_errors;
	uint64_t max_write_ns, max_fsync_ns;
	uint64_t max_write_at_ns, max_fsync_at_ns; /* when the longest began (CLOCK_MONOTONIC, as the kernel log's times) */
	uint64_t elapsed_ns;
	bool direct;           /* O_DIRECT was used */
};

int oracle_write(const struct oracle_write_opts *o, struct oracle_write_result *ret);

/* ---- oracle-check.c ---- */

struct oracle_check_opts {
	const char *target;
	const char *journal;
	bool buffered;      /* read through the page cache (default: O_DIRECT if the target allows) */
	bool all;           /* a line for every block, not only those that are not correct */
	bool quiet;         /* the summary line only */
	uint64_t max_lines; /* block lines at most; 0: no limit */
	FILE *out;          /* report; NULL: none */
};

struct oracle_check_result {
	uint64_t blocks;
	uint64_t count[_ORACLE_VERDICT_MAX];
	uint8_t *verdict;    /* per block (enum oracle_verdict); free() it */
	bool writer_finished;
	bool direct;
};

int oracle_check(const struct oracle_check_opts *o, struct oracle_check_result *ret);

#endif
