/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data oracle (tests/tools/oracle-*.c) on plain files: the writer writes,
 * the test breaks chosen blocks the way a SAN would (an older stamp put back,
 * half a block of another generation, random bytes, another writer's or
 * another block's stamp; through the writer's write hook: a dropped write, a
 * half write, a failed write, a crash), and the checker must report exactly
 * that kind at exactly those blocks, for 512 B, 4 KiB, 1 MiB and 8 MiB
 * blocks, buffered and O_DIRECT. The files live in /var/tmp: O_DIRECT is
 * refused on tmpfs, and its cases are skipped, with the reason, where the
 * file system refuses it.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "macro.h"
#include "oracle.h"
#include "unit.h"

#define C ORACLE_CORRECT
#define INF ORACLE_INFLIGHT
#define UNW ORACLE_UNWRITTEN
#define LOST ORACLE_LOST
#define GHOST ORACLE_GHOST
#define TORN ORACLE_TORN
#define FOR ORACLE_FOREIGN

#define OTHER_WRITER 0x0bad0bad0bad0badULL

static char workdir[64];
static int direct_state = -1; /* -1: not probed, 0: refused, 1: works */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void remove_workdir(void)
{
	if (workdir[0])
		nftw(workdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static const char *dir(void)
{
	if (!workdir[0]) {
		strcpy(workdir, "/var/tmp/mpio-oracle-XXXXXX");
		if (!mkdtemp(workdir))
			strcpy(workdir, "/tmp");
		else
			atexit(remove_workdir);
	}
	return workdir;
}

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir(), name);
}

/* Whether O_DIRECT works in the work directory; says why not, once. */
static bool direct_ok(void)
{
	char p[128];
	void *buf;
	int fd;

	if (direct_state >= 0)
		return direct_state;
	path_of(p, sizeof(p), "direct-probe");
	fd = open(p, O_RDWR | O_CREAT | O_DIRECT, 0644);
	buf = oracle_alloc(ORACLE_ALIGN);
	memset(buf, 0, ORACLE_ALIGN);
	direct_state = fd >= 0 && pwrite(fd, buf, ORACLE_ALIGN, 0) == ORACLE_ALIGN;
	if (!direct_state)
		printf("\n  O_DIRECT refused in %s (%s): the O_DIRECT cases are skipped\n", dir(),
		       strerror(errno));
	free(buf);
	if (fd >= 0)
		close(fd);
	unlink(p);
	return direct_state;
}

enum mode { BUFFERED, DIRECT };

/* What the write hook does to chosen writes. */
enum hook_action { HOOK_NONE, HOOK_DROP, HOOK_HALF, HOOK_FAIL, HOOK_FAIL_AFTER, HOOK_CRASH };

struct hook_rule {
	uint64_t block, gen;
	enum hook_action action;
	enum hook_action then; /* for HOOK_CRASH: what to do to the write first */
};

struct run {
	const char *name; /* files <name>.dev and <name>.journal */
	uint32_t bs;
	uint64_t blocks;
	unsigned passes;  /* sequential: every block gets this many writes */
	enum mode mode;
	bool read_back;
	bool file;        /* --file: the writer creates the file */
	const struct hook_rule *rules; /* the write hook's, if any */
	size_t nrules;
	/* filled in */
	char target[128], journal[128];
	uint64_t writer;
	struct oracle_write_result res;
};

static ssize_t hook_write(void *ctx, int fd, const void *buf, size_t len, off_t off, uint64_t block,
			  uint64_t gen);

/* A zeroed target of the right size (unless the writer makes it), then the writer. */
static int run_writer(struct run *r)
{
	struct oracle_write_opts o = {
		.run = {
			.block_size = r->bs,
			.length = r->blocks * r->bs,
			.queue_depth = 4,
			.seed = 42,
			.flags = (r->mode == DIRECT ? ORACLE_F_DIRECT : 0) |
				 (r->read_back ? ORACLE_F_READ_BACK : 0) | (r->file ? ORACLE_F_FILE : 0),
			.fsync_every = r->mode == BUFFERED ? 4 : r->file ? 1 : 0,
		},
		.count = r->blocks * r->passes,
		.journal_sync = true,
		.write_fn = r->rules ? hook_write : NULL,
		.write_ctx = r,
	};
	char name[64];
	int fd, rc;

	snprintf(name, sizeof(name), "%s.dev", r->name);
	path_of(r->target, sizeof(r->target), name);
	snprintf(name, sizeof(name), "%s.journal", r->name);
	path_of(r->journal, sizeof(r->journal), name);
	unlink(r->target);
	if (!r->file) {
		fd = open(r->target, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || ftruncate(fd, (off_t)(r->blocks * r->bs)) < 0)
			return -errno;
		close(fd);
	}
	o.target = r->target;
	o.journal = r->journal;
	rc = oracle_write(&o, &r->res);
	r->writer = r->res.writer;
	return rc;
}

/* Write raw bytes into the target, as the SAN would, durably. */
static void poke(const struct run *r, uint64_t off, const void *buf, size_t len)
{
	int fd = open(r->target, O_WRONLY);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(pwrite(fd, buf, len, (off_t)off), (ssize_t)len);
	CU_ASSERT_EQUAL(fsync(fd), 0);
	close(fd);
}

enum part { WHOLE, SECOND_HALF };

/* Put writer's stamp of generation gen, made for block stamped_as, into block b. */
static void put_stamp(const struct run *r, uint64_t b, uint64_t writer, uint64_t stamped_as, uint64_t gen,
		      enum part part)
{
	void *buf = oracle_alloc(r->bs);
	size_t half = part == SECOND_HALF ? r->bs / 2 : 0; /* inside the sector for 512 B blocks */

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	oracle_stamp_fill(buf, r->bs, writer, stamped_as * r->bs, gen);
	poke(r, b * r->bs + half, (char *)buf + half, r->bs - half);
	free(buf);
}

static void put_random(const struct run *r, uint64_t b)
{
	uint64_t *buf = oracle_alloc(r->bs), x = b + 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	for (size_t i = 0; i < r->bs / 8; i++)
		buf[i] = x = oracle_mix64(x);
	poke(r, b * r->bs, buf, r->bs);
	free(buf);
}

/* Check, and compare every block's verdict with want[]; prints the report on a mismatch. */
static void check_expect(const struct run *r, bool buffered_read, const uint8_t *want)
{
	struct oracle_check_opts o = { .target = r->target, .journal = r->journal, .buffered = buffered_read };
	struct oracle_check_result res;
	bool same = true;

	CU_ASSERT_EQUAL_FATAL(oracle_check(&o, &res), 0);
	CU_ASSERT_EQUAL(res.blocks, r->blocks);
	for (uint64_t b = 0; b < r->blocks; b++)
		if (res.verdict[b] != want[b]) {
			printf("\n  %s bs %u: block %llu is %s, expected %s", r->name, r->bs, (unsigned long long)b,
			       oracle_verdict_name(res.verdict[b]), oracle_verdict_name(want[b]));
			same = false;
		}
	CU_ASSERT(same);
	if (!same) {
		o.out = stdout;
		o.all = true;
		printf("\n");
		free(res.verdict);
		oracle_check(&o, &res);
	}
	free(res.verdict);
}

/* ---- the block format and the definitions ---- */

static void test_stamp(void)
{
	static const uint32_t sizes[] = { 512, 4096, 65536 + 512, 1 << 20 };

	for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
		uint32_t bs = sizes[k];
		uint8_t *buf = oracle_alloc(bs);
		struct oracle_view v;

		oracle_stamp_fill(buf, bs, 7, 3 * (uint64_t)bs, 5);
		oracle_stamp_inspect(buf, bs, 7, 3 * (uint64_t)bs, &v);
		CU_ASSERT(v.intact);
		CU_ASSERT_EQUAL(v.ours, bs / 512);
		CU_ASSERT_EQUAL(v.gen_min, 5);
		CU_ASSERT_EQUAL(v.gen_max, 5);
		/* another writer, another block */
		oracle_stamp_inspect(buf, bs, 8, 3 * (uint64_t)bs, &v);
		CU_ASSERT(!v.intact);
		CU_ASSERT_EQUAL(v.other, bs / 512);
		CU_ASSERT_EQUAL(v.other_writer, 7);
		oracle_stamp_inspect(buf, bs, 7, 4 * (uint64_t)bs, &v);
		CU_ASSERT_EQUAL(v.misplaced, bs / 512);
		/* one flipped bit in the filler of the last sector */
		buf[bs - 100] ^= 0x10;
		oracle_stamp_inspect(buf, bs, 7, 3 * (uint64_t)bs, &v);
		CU_ASSERT(!v.intact);
		CU_ASSERT_EQUAL(v.damaged, 1);
		CU_ASSERT_EQUAL(v.ours, bs / 512 - 1);
		buf[bs - 100] ^= 0x10;
		/* a wrong magic: garbage */
		buf[bs - 512] ^= 0x01;
		oracle_stamp_inspect(buf, bs, 7, 3 * (uint64_t)bs, &v);
		CU_ASSERT_EQUAL(v.garbage, 1);
		buf[bs - 512] ^= 0x01;
		/* a sector moved within the block: misplaced, even if intact */
		if (bs > 512) {
			memcpy(buf, buf + 512, 512);
			oracle_stamp_inspect(buf, bs, 7, 3 * (uint64_t)bs, &v);
			CU_ASSERT(!v.intact);
			CU_ASSERT_EQUAL(v.misplaced, 1);
		}
		memset(buf, 0, bs);
		oracle_stamp_inspect(buf, bs, 7, 3 * (uint64_t)bs, &v);
		CU_ASSERT_EQUAL(v.zero, bs / 512);
		free(buf);
	}
}

static void test_classify(void)
{
	static const struct {
		struct oracle_view v;
		struct oracle_expect e;
		enum oracle_verdict want;
	} cases[] = {
		/* intact */
		{ { .sectors = 8, .ours = 8, .gen_min = 3, .gen_max = 3, .intact = true }, { 3, 3, 0 }, C },
		{ { .sectors = 8, .ours = 8, .gen_min = 4, .gen_max = 4, .intact = true }, { 3, 4, 0 }, INF },
		{ { .sectors = 8, .ours = 8, .gen_min = 6, .gen_max = 6, .intact = true }, { 3, 6, 0 }, INF },
		{ { .sectors = 8, .ours = 8, .gen_min = 5, .gen_max = 5, .intact = true }, { 3, 4, 0 }, FOR },
		{ { .sectors = 8, .ours = 8, .gen_min = 2, .gen_max = 2, .intact = true }, { 3, 3, 0 }, LOST },
		{ { .sectors = 8, .ours = 8, .gen_min = 2, .gen_max = 2, .intact = true }, { 3, 3, 2 }, LOST },
		{ { .sectors = 8, .ours = 8, .gen_min = 2, .gen_max = 2, .intact = true }, { 3, 3, 3 }, GHOST },
		{ { .sectors = 8, .ours = 8, .gen_min = 1, .gen_max = 1, .intact = true }, { 0, 0, 0 }, FOR },
		/* nothing of ours */
		{ { .sectors = 8, .zero = 8 }, { 0, 0, 0 }, UNW },
		{ { .sectors = 8, .garbage = 8 }, { 0, 0, 0 }, UNW },
		{ { .sectors = 8, .other = 8 }, { 0, 1, 0 }, INF },
		{ { .sectors = 8, .zero = 8 }, { 2, 2, 0 }, LOST },
		{ { .sectors = 8, .zero = 8 }, { 2, 3, 2 }, LOST },
		{ { .sectors = 8, .garbage = 8 }, { 2, 2, 0 }, FOR },
		{ { .sectors = 8, .other = 8 }, { 2, 2, 0 }, FOR },
		{ { .sectors = 8, .zero = 4, .garbage = 4 }, { 2, 2, 0 }, FOR },
		{ { .sectors = 8, .misplaced = 8 }, { 0, 0, 0 }, FOR },
		{ { .sectors = 8, .misplaced = 8 }, { 0, 1, 0 }, FOR },
		/* partly ours */
		{ { .sectors = 8, .ours = 8, .gen_min = 2, .gen_max = 3 }, { 2, 3, 0 }, INF },
		{ { .sectors = 8, .ours = 8, .gen_min = 2, .gen_max = 3 }, { 3, 3, 0 }, TORN },
		{ { .sectors = 8, .ours = 8, .gen_min = 1, .gen_max = 3 }, { 2, 3, 0 }, TORN },
		{ { .sectors = 8, .ours = 4, .zero = 4, .gen_min = 1, .gen_max = 1 }, { 0, 1, 0 }, INF },
		{ { .sectors = 8, .ours = 4, .zero = 4, .gen_min = 1, .gen_max = 1 }, { 1, 1, 0 }, TORN },
		{ { .sectors = 8, .ours = 4, .zero = 4, .gen_min = 2, .gen_max = 2 }, { 1, 2, 0 }, TORN },
		{ { .sectors = 8, .ours = 4, .misplaced = 4, .gen_min = 1, .gen_max = 1 }, { 0, 1, 0 }, TORN },
		{ { .sectors = 8, .ours = 8, .gen_min = 3, .gen_max = 3 }, { 3, 3, 0 }, TORN },
		/* torn inside a sector */
		{ { .sectors = 1, .damaged = 1 }, { 2, 2, 0 }, TORN },
		{ { .sectors = 1, .damaged = 1 }, { 1, 2, 0 }, TORN },
		{ { .sectors = 8, .ours = 7, .damaged = 1, .gen_min = 2, .gen_max = 3 }, { 2, 3, 0 }, TORN },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum oracle_verdict got = oracle_classify(&cases[i].v, &cases[i].e);

		if (got != cases[i].want)
			printf("\n  case %zu: %s, expected %s", i, oracle_verdict_name(got),
			       oracle_verdict_name(cases[i].want));
		CU_ASSERT_EQUAL(got, cases[i].want);
	}
	CU_ASSERT_STRING_EQUAL(oracle_verdict_name(_ORACLE_VERDICT_MAX), "invalid");
	CU_ASSERT(!oracle_verdict_fails(ORACLE_INFLIGHT));
	CU_ASSERT(oracle_verdict_fails(ORACLE_LOST));
}

/* ---- the journal ---- */

static void test_journal(void)
{
	struct oracle_run run = {
		.writer = 99, .length = 8 * 4096, .block_size = 4096, .queue_depth = 1,
	};
	struct oracle_journal *j;
	struct oracle_history h;
	char p[128];
	const char *why;
	FILE *f;

	path_of(p, sizeof(p), "unit.journal");
	CU_ASSERT_EQUAL_FATAL(oracle_journal_create(p, &run, true, &j), 0);
	CU_ASSERT_EQUAL(oracle_journal_append(j, ORACLE_REC_ISSUE, 0, 1, 1, 0), 0);
	CU_ASSERT_EQUAL(oracle_journal_sync(j), 0);
	CU_ASSERT_EQUAL(oracle_journal_append(j, ORACLE_REC_ACK, 0, 1, 1, 0), 0);
	CU_ASSERT_EQUAL(oracle_journal_append(j, ORACLE_REC_SEEN, 0, 1, 1, 0), 0);
	CU_ASSERT_EQUAL(oracle_journal_append(j, ORACLE_REC_ISSUE, 0, 1, 2, 0), 0);
	CU_ASSERT_EQUAL(oracle_journal_append(j, ORACLE_REC_FAIL, EIO, 1, 2, 0), 0);
	CU_ASSERT_EQUAL(oracle_journal_append(j, ORACLE_REC_ISSUE, 0, 2, 1, 0), 0);
	CU_ASSERT_EQUAL(oracle_journal_close(j), 0);

	/* a crash's torn tail: half a record, then a record of zeros */
	f = fopen(p, "a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (int i = 0; i < 20 + 40; i++)
		fputc(i < 20 ? 0x5a : 0, f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(oracle_history_load(p, &h), 0);
	CU_ASSERT_EQUAL(h.records, 6);
	CU_ASSERT_EQUAL(h.ignored_bytes, 60);
	CU_ASSERT(!h.finished);
	CU_ASSERT_EQUAL(h.failed, 1);
	CU_ASSERT_EQUAL(h.block[1].acked, 1);
	CU_ASSERT_EQUAL(h.block[1].issued, 2);
	CU_ASSERT_EQUAL(h.block[1].seen, 1);
	CU_ASSERT_EQUAL(h.block[2].issued, 1);
	CU_ASSERT_EQUAL(h.block[2].acked, 0);
	CU_ASSERT_EQUAL(h.run.writer, 99);
	oracle_history_free(&h);

	/* a valid record that contradicts the history: ACK of a write never issued */
	CU_ASSERT_EQUAL_FATAL(oracle_journal_create(p, &run, false, &j), 0);
	CU_ASSERT_EQUAL(oracle_journal_append(j, ORACLE_REC_ISSUE, 0, 3, 1, 0), 0);
	CU_ASSERT_EQUAL(oracle_journal_append(j, ORACLE_REC_ACK, 0, 3, 2, 0), 0);
	CU_ASSERT_EQUAL(oracle_journal_close(j), 0);
	CU_ASSERT_EQUAL(oracle_history_load(p, &h), -EBADMSG);
	CU_ASSERT_EQUAL(h.records, 1);

	/* not a journal */
	f = fopen(p, "w");
	fputs("no journal here, but long enough to be read as a header if it were one......", f);
	fclose(f);
	CU_ASSERT_EQUAL(oracle_history_load(p, &h), -EBADMSG);
	unlink(p);
	CU_ASSERT_EQUAL(oracle_history_load(p, &h), -ENOENT);

	run.block_size = 1000;
	CU_ASSERT_EQUAL(oracle_run_validate(&run, &why), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(why);
	run.block_size = 4096;
	run.length = 4096 * 3 + 512;
	CU_ASSERT_EQUAL(oracle_run_validate(&run, &why), -EINVAL);
	run.length = 4096 * 3;
	CU_ASSERT_EQUAL(oracle_run_validate(&run, &why), 0);
}

/* ---- faults, per block size and mode ---- */

static ssize_t hook_write(void *ctx, int fd, const void *buf, size_t len, off_t off, uint64_t block,
			  uint64_t gen)
{
	const struct run *r = ctx;

	for (size_t i = 0; i < r->nrules; i++) {
		const struct hook_rule *rule = &r->rules[i];
		enum hook_action a = rule->action == HOOK_CRASH ? rule->then : rule->action;
		ssize_t n = 0;

		if (rule->block != block || rule->gen != gen)
			continue;
		if (a == HOOK_HALF && len / 2 % ORACLE_SECTOR) {
			/* half a sector: O_DIRECT cannot, so through the page cache */
			int bfd = open(r->target, O_WRONLY);

			n = bfd < 0 ? -errno : oracle_pwrite_all(bfd, buf, len / 2, off);
			if (bfd >= 0 && (fdatasync(bfd) < 0 || close(bfd) < 0))
				n = -errno;
		} else if (a == HOOK_HALF)
			n = oracle_pwrite_all(fd, buf, len / 2, off);
		else if (a == HOOK_FAIL_AFTER || a == HOOK_NONE)
			n = oracle_pwrite_all(fd, buf, len, off);
		if (n < 0)
			return n;
		if (rule->action == HOOK_CRASH) {
			/* the page cache keeps what was written; the journal has no ACK */
			if (fdatasync(fd) < 0)
				_exit(3);
			_exit(0);
		}
		return a == HOOK_FAIL || a == HOOK_FAIL_AFTER ? -EIO : (ssize_t)len;
	}
	return oracle_pwrite_all(fd, buf, len, off);
}

/*
 * Without read-back: every block written twice (generation 2 acknowledged),
 * then block 1 gets generation 1 back (a dropped write: lost), block 2 half
 * of generation 1 (torn), block 3 random bytes, block 4 another writer's
 * stamp, block 5 this writer's stamp for block 0 (all foreign).
 */
static void faults_final(uint32_t bs, uint64_t blocks, enum mode mode)
{
	struct run r = { .name = "final", .bs = bs, .blocks = blocks, .passes = 2, .mode = mode };
	uint8_t want[16] = { 0 };

	CU_ASSERT_EQUAL_FATAL(run_writer(&r), 0);
	CU_ASSERT_EQUAL(r.res.acked, blocks * 2);
	CU_ASSERT_EQUAL(r.res.failed, 0);
	put_stamp(&r, 1, r.writer, 1, 1, WHOLE);
	want[1] = LOST;
	put_stamp(&r, 2, r.writer, 2, 1, SECOND_HALF);
	want[2] = TORN;
	put_random(&r, 3);
	want[3] = FOR;
	put_stamp(&r, 4, OTHER_WRITER, 4, 2, WHOLE);
	want[4] = FOR;
	put_stamp(&r, 5, r.writer, 0, 2, WHOLE);
	want[5] = FOR;
	check_expect(&r, mode == BUFFERED, want);
}

/*
 * With read-back: the hook drops generation 2 of block 1 (lost: its
 * read-back and the final content both show generation 1) and generation
 * 1 of block 2 (lost: its read-back saw zeros, though generation 2 then
 * landed), and writes half of generation 2 of block 4 (torn); after the
 * run, block 3 gets generation 1 back although generation 2 had been read
 * back (ghost).
 */
static void faults_read_back(uint32_t bs, uint64_t blocks, enum mode mode)
{
	static const struct hook_rule rules[] = {
		{ 1, 2, HOOK_DROP, 0 },
		{ 2, 1, HOOK_DROP, 0 },
		{ 4, 2, HOOK_HALF, 0 },
	};
	struct run r = {
		.name = "readback", .bs = bs, .blocks = blocks, .passes = 2, .mode = mode, .read_back = true,
		.rules = rules, .nrules = ARRAY_SIZE(rules),
	};
	uint8_t want[16] = { 0 };

	CU_ASSERT_EQUAL_FATAL(run_writer(&r), 0);
	CU_ASSERT_EQUAL(r.res.acked, blocks * 2);
	CU_ASSERT_EQUAL(r.res.read_back_bad, 3);
	CU_ASSERT_EQUAL(r.res.read_errors, 0);
	want[1] = LOST;
	want[2] = LOST;
	want[4] = TORN;
	put_stamp(&r, 3, r.writer, 3, 1, WHOLE);
	want[3] = GHOST;
	check_expect(&r, false, want);
}

static void faults(uint32_t bs, uint64_t blocks)
{
	faults_final(bs, blocks, BUFFERED);
	faults_read_back(bs, blocks, BUFFERED);
	if (direct_ok()) {
		faults_final(bs, blocks, DIRECT);
		faults_read_back(bs, blocks, DIRECT);
	}
}

static void test_faults_512(void)
{
	faults(512, 8);
}

static void test_faults_4k(void)
{
	faults(4096, 8);
}

static void test_faults_1m(void)
{
	faults(1 << 20, 6);
}

static void test_faults_8m(void)
{
	faults(8 << 20, 6);
}

/*
 * Failed writes are not acknowledged: block 2's generation 2 failed without
 * landing (it holds 1: correct), block 3's landed and then failed (it holds
 * 2: in flight). Neither is lost.
 */
static void test_failed_writes(void)
{
	static const struct hook_rule rules[] = {
		{ 2, 2, HOOK_FAIL, 0 },
		{ 3, 2, HOOK_FAIL_AFTER, 0 },
	};
	struct run r = {
		.name = "failed", .bs = 4096, .blocks = 8, .passes = 2, .mode = BUFFERED,
		.rules = rules, .nrules = ARRAY_SIZE(rules),
	};
	uint8_t want[8] = { [3] = INF };
	struct oracle_history hist;

	CU_ASSERT_EQUAL_FATAL(run_writer(&r), 0);
	CU_ASSERT_EQUAL(r.res.failed, 2);
	CU_ASSERT_EQUAL(r.res.acked, 14);
	CU_ASSERT_EQUAL_FATAL(oracle_history_load(r.journal, &hist), 0);
	CU_ASSERT_EQUAL(hist.failed, 2);
	CU_ASSERT(hist.finished);
	oracle_history_free(&hist);
	check_expect(&r, false, want);
}

/*
 * The writer crashes (the process exits in the middle of a write, with
 * other writes in flight): whatever was issued and not acknowledged must
 * come out as in flight (or correct, where it did not land), never lost.
 */
static void crash_case(enum hook_action then, uint64_t block, uint64_t gen, enum oracle_verdict want_block,
		       enum mode mode)
{
	const struct hook_rule rules[] = { { block, gen, HOOK_CRASH, then } };
	struct run r = {
		.name = "crash", .bs = 4096, .blocks = 16, .passes = 3, .mode = mode, .rules = rules, .nrules = 1,
	};
	struct oracle_check_opts o;
	struct oracle_check_result res;
	int status;
	pid_t pid;

	(void)dir(); /* made here, not in the child */
	fflush(stdout);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		run_writer(&r);
		_exit(1); /* the hook should have ended the process */
	}
	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* the child's paths */
	path_of(r.target, sizeof(r.target), "crash.dev");
	path_of(r.journal, sizeof(r.journal), "crash.journal");
	o = (struct oracle_check_opts){ .target = r.target, .journal = r.journal };
	CU_ASSERT_EQUAL_FATAL(oracle_check(&o, &res), 0);
	CU_ASSERT(!res.writer_finished);
	CU_ASSERT_EQUAL(res.count[ORACLE_LOST] + res.count[ORACLE_GHOST] + res.count[ORACLE_TORN] +
			res.count[ORACLE_FOREIGN], 0);
	CU_ASSERT_EQUAL(res.verdict[block], want_block);
	if (res.verdict[block] != want_block || res.count[ORACLE_LOST] + res.count[ORACLE_TORN]) {
		printf("\n  crash at block %llu gen %llu: block is %s, expected %s\n", (unsigned long long)block,
		       (unsigned long long)gen, oracle_verdict_name(res.verdict[block]),
		       oracle_verdict_name(want_block));
		free(res.verdict);
		o.out = stdout;
		oracle_check(&o, &res);
	}
	free(res.verdict);
}

static void test_crash_in_flight(void)
{
	/* in the third pass, over generation 2 */
	crash_case(HOOK_DROP, 5, 3, C, BUFFERED);
	crash_case(HOOK_HALF, 5, 3, INF, BUFFERED);
	crash_case(HOOK_NONE, 5, 3, INF, BUFFERED);
	/* a first write, over zeros */
	crash_case(HOOK_DROP, 9, 1, INF, BUFFERED);
	crash_case(HOOK_HALF, 9, 1, INF, BUFFERED);
	if (direct_ok()) {
		crash_case(HOOK_HALF, 5, 3, INF, DIRECT);
		crash_case(HOOK_NONE, 9, 1, INF, DIRECT);
	}
}

/*
 * --file: the writer creates and extends the file (random pattern, fewer
 * writes than blocks: holes and an end short of the region read as
 * unwritten); a block put back to an older generation is lost.
 */
static void file_mode(enum mode mode)
{
	struct oracle_write_opts o = {
		.run = {
			.block_size = 65536, .length = 32 * 65536, .queue_depth = 3, .seed = 7,
			.flags = ORACLE_F_FILE | ORACLE_F_RANDOM | (mode == DIRECT ? ORACLE_F_DIRECT : 0),
			.fsync_every = mode == DIRECT ? 1 : 8,
		},
		.count = 48,
		.journal_sync = true,
	};
	struct run r = { .name = "file", .bs = 65536, .blocks = 32 };
	struct oracle_check_result res;
	struct oracle_check_opts co;
	struct oracle_history h;
	uint8_t want[32];
	uint64_t victim = UINT64_MAX;

	path_of(r.target, sizeof(r.target), "file.dev");
	path_of(r.journal, sizeof(r.journal), "file.journal");
	unlink(r.target);
	o.target = r.target;
	o.journal = r.journal;
	CU_ASSERT_EQUAL_FATAL(oracle_write(&o, &r.res), 0);
	CU_ASSERT_EQUAL(r.res.acked, 48);
	CU_ASSERT_EQUAL_FATAL(oracle_history_load(r.journal, &h), 0);
	for (uint64_t b = 0; b < 32; b++) {
		want[b] = h.block[b].acked ? C : UNW;
		if (h.block[b].acked >= 2 && victim == UINT64_MAX)
			victim = b;
	}
	oracle_history_free(&h);
	CU_ASSERT_FATAL(victim != UINT64_MAX);
	put_stamp(&r, victim, r.res.writer, victim, 1, WHOLE);
	want[victim] = LOST;
	check_expect(&r, false, want);
	/* the checker's summary line, as a script reads it */
	co = (struct oracle_check_opts){ .target = r.target, .journal = r.journal, .quiet = true };
	{
		char *text = NULL;
		size_t len = 0;

		co.out = open_memstream(&text, &len);
		CU_ASSERT_EQUAL(oracle_check(&co, &res), 0);
		fclose(co.out);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, " lost=1 "));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "result=FAIL"));
		CU_ASSERT_PTR_NULL(strstr(text, "block "));
		free(text);
		free(res.verdict);
	}
}

static void test_file_mode(void)
{
	file_mode(BUFFERED);
	if (direct_ok())
		file_mode(DIRECT);
}

static const struct unit_test tests[] = {
	{ "stamp", test_stamp },
	{ "classify", test_classify },
	{ "journal", test_journal },
	{ "faults 512 B", test_faults_512 },
	{ "faults 4 KiB", test_faults_4k },
	{ "faults 1 MiB", test_faults_1m },
	{ "faults 8 MiB", test_faults_8m },
	{ "failed writes", test_failed_writes },
	{ "crash with writes in flight", test_crash_in_flight },
	{ "file mode", test_file_mode },
};

UNIT_MAIN("oracle", tests)
