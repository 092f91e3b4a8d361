/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path checkers and the checker pool. There is no SCSI device here: the TUR
 * sense logic is tested on bytes (mp_tur_interpret()), and the checks run
 * against regular files (directio reads them, tur gets -ENOTTY) and a FIFO,
 * whose open blocks until a writer comes: a check that hangs in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "checker-internal.h"
#include "libmp-private.h"
#include "unit.h"

#define TMPFS_MAGIC 0x01021994

static char tmpdir[] = "/var/tmp/mpio-test-checker-XXXXXX";
static char datafile[4096], fifo[4096];

static uint64_t now_msec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void setup(void)
{
	static char block[8192];
	int fd;

	if (datafile[0])
		return;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpdir));
	snprintf(datafile, sizeof(datafile), "%s/disk", tmpdir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", tmpdir);
	fd = open(datafile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	memset(block, 0xa5, sizeof(block));
	CU_ASSERT_EQUAL_FATAL(write(fd, block, sizeof(block)), (ssize_t)sizeof(block));
	close(fd);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
}

/* Open and close a writer on the FIFO: a check blocked opening it returns. */
static void release_fifo(void)
{
	int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(mp_path_check_to_string(MP_CHECK_UP), "up");
	CU_ASSERT_STRING_EQUAL(mp_path_check_to_string(MP_CHECK_GHOST), "ghost");
	CU_ASSERT_STRING_EQUAL(mp_path_check_to_string(MP_CHECK_ERROR), "error");
	CU_ASSERT_PTR_NULL(mp_path_check_to_string(_MP_PATH_CHECK_MAX));
	CU_ASSERT_PTR_NULL(mp_path_check_to_string(_MP_PATH_CHECK_INVALID));
	for (int i = 0; i < _MP_PATH_CHECK_MAX; i++)
		CU_ASSERT_EQUAL(mp_path_check_from_string(mp_path_check_to_string(i)), i);
	CU_ASSERT_EQUAL(mp_path_check_from_string("sideways"), _MP_PATH_CHECK_INVALID);
	CU_ASSERT_EQUAL(mp_path_check_from_string(NULL), _MP_PATH_CHECK_INVALID);
}

/* Fixed format sense: response code, key, asc, ascq; exactly 18 bytes. */
#define FIXED(key, asc, ascq) { 0x70, 0, key, 0, 0, 0, 0, 10, 0, 0, 0, 0, asc, ascq, 0, 0, 0, 0 }
/* Descriptor format: 8-byte header, no descriptors. */
#define DESC(key, asc, ascq) { 0x72, key, asc, ascq, 0, 0, 0, 0 }

struct tur_case {
	const char *what;
	uint8_t status;
	uint16_t host, driver;
	uint8_t sense[18];
	size_t sense_len;
	bool retry_allowed;
	bool want_retry;
	enum mp_path_check want;
};

static void test_tur_interpret(void)
{
	static const struct tur_case cases[] = {
		{ "good", 0x00, 0, 0, { 0 }, 0, true, false, MP_CHECK_UP },
		{ "busy", 0x08, 0, 0, { 0 }, 0, true, false, MP_CHECK_UP },
		{ "reservation conflict", 0x18, 0, 0, { 0 }, 0, true, false, MP_CHECK_UP },
		{ "task set full", 0x28, 0, 0, { 0 }, 0, true, false, MP_CHECK_UP },
		{ "task aborted", 0x40, 0, 0, { 0 }, 0, true, false, MP_CHECK_DOWN },
		{ "standby", 0x02, 0, 0x08, FIXED(0x2, 0x04, 0x0b), 18, true, false, MP_CHECK_GHOST },
		{ "unavailable", 0x02, 0, 0x08, FIXED(0x2, 0x04, 0x0c), 18, true, false, MP_CHECK_GHOST },
		{ "transitioning", 0x02, 0, 0x08, FIXED(0x2, 0x04, 0x0a), 18, true, false,
		  MP_CHECK_TRANSITIONING },
		{ "becoming ready", 0x02, 0, 0, FIXED(0x2, 0x04, 0x01), 18, true, false,
		  MP_CHECK_TRANSITIONING },
		{ "needs start unit", 0x02, 0, 0, FIXED(0x2, 0x04, 0x02), 18, true, false, MP_CHECK_DOWN },
		{ "medium not present", 0x02, 0, 0, FIXED(0x2, 0x3a, 0x00), 18, true, false, MP_CHECK_DOWN },
		{ "standby, descriptor sense", 0x02, 0, 0, DESC(0x2, 0x04, 0x0b), 8, true, false,
		  MP_CHECK_GHOST },
		{ "unit attention: ask again", 0x02, 0, 0, FIXED(0x6, 0x2a, 0x06), 18, true, true,
		  MP_CHECK_TRANSITIONING },
		{ "unit attention twice", 0x02, 0, 0, FIXED(0x6, 0x29, 0x00), 18, false, false,
		  MP_CHECK_TRANSITIONING },
		{ "recovered error", 0x02, 0, 0, FIXED(0x1, 0x00, 0x00), 18, true, false, MP_CHECK_UP },
		{ "no sense", 0x02, 0, 0, FIXED(0x0, 0x00, 0x00), 18, true, false, MP_CHECK_UP },
		{ "medium error", 0x02, 0, 0, FIXED(0x3, 0x11, 0x00), 18, true, false, MP_CHECK_DOWN },
		{ "hardware error", 0x02, 0, 0, FIXED(0x4, 0x44, 0x00), 18, true, false, MP_CHECK_DOWN },
		{ "illegal request", 0x02, 0, 0, FIXED(0x5, 0x20, 0x00), 18, true, false, MP_CHECK_DOWN },
		{ "aborted command", 0x02, 0, 0, FIXED(0xb, 0x47, 0x00), 18, true, false, MP_CHECK_DOWN },
		{ "check condition without sense", 0x02, 0, 0, { 0 }, 0, true, false, MP_CHECK_DOWN },
		{ "short sense", 0x02, 0, 0, { 0x70, 0 }, 2, true, false, MP_CHECK_DOWN },
		{ "bad sense format", 0x02, 0, 0, { 0x7f, 0, 0x2, 0 }, 4, true, false, MP_CHECK_DOWN },
		{ "fixed sense without asc", 0x02, 0, 0, { 0x70, 0, 0x2 }, 3, true, false, MP_CHECK_DOWN },
		{ "no connect", 0x00, 0x01, 0, { 0 }, 0, true, false, MP_CHECK_DOWN },
		{ "aborted by a reset: ask again", 0x00, 0x08, 0, { 0 }, 0, true, true,
		  MP_CHECK_TRANSITIONING },
		{ "reset twice: not a failure", 0x00, 0x08, 0, { 0 }, 0, false, false,
		  MP_CHECK_TRANSITIONING },
		{ "bus busy", 0x00, 0x02, 0, { 0 }, 0, true, true, MP_CHECK_TRANSITIONING },
		{ "soft error", 0x00, 0x0b, 0, { 0 }, 0, true, true, MP_CHECK_TRANSITIONING },
		{ "requeue", 0x00, 0x0d, 0, { 0 }, 0, false, false, MP_CHECK_TRANSITIONING },
		{ "transport disrupted", 0x00, 0x0e, 0, { 0 }, 0, true, false, MP_CHECK_DOWN },
		{ "host timeout", 0x00, 0x03, 0, { 0 }, 0, true, false, MP_CHECK_TIMEOUT },
		{ "driver timeout", 0x00, 0, 0x06, { 0 }, 0, true, false, MP_CHECK_TIMEOUT },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct tur_case *c = &cases[i];
		struct mp_check_result res = { .state = _MP_PATH_CHECK_INVALID };
		uint8_t *sense = malloc(c->sense_len ? c->sense_len : 1);
		bool retry;

		CU_ASSERT_PTR_NOT_NULL_FATAL(sense);
		memcpy(sense, c->sense, c->sense_len);
		retry = mp_tur_interpret(c->status, c->host, c->driver, sense, c->sense_len,
					 c->retry_allowed, &res);
		if (res.state != c->want || retry != c->want_retry)
			fprintf(stderr, "\n%s: %s retry %d\n", c->what, mp_path_check_to_string(res.state),
				retry);
		CU_ASSERT_EQUAL(res.state, c->want);
		CU_ASSERT_EQUAL(retry, c->want_retry);
		CU_ASSERT(res.state == MP_CHECK_UP ? res.error == 0 : true);
		free(sense);
	}
}

static void test_sense_fields(void)
{
	static const uint8_t s[] = FIXED(0x2, 0x04, 0x0b);
	struct mp_check_result res;

	mp_tur_interpret(0x02, 0, 0x08, s, sizeof(s), true, &res);
	CU_ASSERT_EQUAL(res.sense_key, 0x2);
	CU_ASSERT_EQUAL(res.asc, 0x04);
	CU_ASSERT_EQUAL(res.ascq, 0x0b);
	mp_tur_interpret(0x00, 0x01, 0, NULL, 0, true, &res);
	CU_ASSERT_EQUAL(res.host_status, 0x01);
	CU_ASSERT_EQUAL(res.error, -EIO);
}

static void test_run_sync(void)
{
	struct mp_check_result res;
	struct statfs sfs;
	char shm[] = "/dev/shm/mpio-test-checker-XXXXXX";
	int fd;

	setup();
	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_NONE, "/nonexistent", 1000, &res), 0);
	CU_ASSERT_EQUAL(res.state, MP_CHECK_UP);

	/* tur on something that is not SCSI: a clear error, not "down" */
	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_TUR, datafile, 1000, &res), 0);
	CU_ASSERT_EQUAL(res.state, MP_CHECK_ERROR);
	CU_ASSERT_EQUAL(res.error, -ENOTTY);
	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_TUR, "/dev/null", 1000, &res), 0);
	CU_ASSERT_EQUAL(res.state, MP_CHECK_ERROR);
	CU_ASSERT_EQUAL(res.error, -ENOTTY);
	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_TUR, "/nonexistent/sdz", 1000, &res), 0);
	CU_ASSERT_EQUAL(res.state, MP_CHECK_ERROR);
	CU_ASSERT_EQUAL(res.error, -ENOENT);

	/* directio reads the file's first page with O_DIRECT (/var/tmp is not tmpfs here) */
	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_DIRECTIO, datafile, 1000, &res), 0);
	if (statfs(tmpdir, &sfs) == 0 && sfs.f_type != TMPFS_MAGIC) {
		CU_ASSERT_EQUAL(res.state, MP_CHECK_UP);
		CU_ASSERT_EQUAL(res.error, 0);
	}
	CU_ASSERT_STRING_EQUAL(res.devnode, datafile);
	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_DIRECTIO, "/nonexistent/sdz", 1000, &res), 0);
	CU_ASSERT_EQUAL(res.state, MP_CHECK_ERROR);
	CU_ASSERT_EQUAL(res.error, -ENOENT);

	/*
	 * tmpfs takes O_DIRECT only since Linux 6.6: before, the check must
	 * report an error (-EINVAL), not hang and not say "up".
	 */
	fd = mkstemp(shm);
	if (fd >= 0) {
		close(fd);
		if (statfs(shm, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC) {
			CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_DIRECTIO, shm, 1000, &res), 0);
			CU_ASSERT((res.state == MP_CHECK_ERROR && res.error == -EINVAL) ||
				  (res.state == MP_CHECK_UP && res.error == 0));
		}
		unlink(shm);
	}

	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_TUR, datafile, 0, &res), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_run(_MP_CHECKER_TYPE_MAX, datafile, 10, &res), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_TUR, NULL, 10, &res), -EINVAL);
}

/*
 * A block device node whose driver is not there: the kernel refuses to open
 * it with ENXIO, as sd refuses an offline SCSI device (an iSCSI LUN whose
 * session's recovery timed out). That is a path down, not a check that
 * could not run: the old checker said "error", and mpiod never failed the
 * path. Major 60 is reserved for local use and has no driver here. Needs
 * CAP_MKNOD and a file system without nodev: else it says so and skips.
 */
static void test_offline_device(void)
{
	struct mp_check_result res;
	char node[4096];

	setup();
	snprintf(node, sizeof(node), "%s/offline", tmpdir);
	if (mknod(node, S_IFBLK | 0600, makedev(60, 0)) < 0) {
		fprintf(stderr, "    (skipped: cannot make a block device node: %s)\n", strerror(errno));
		return;
	}
	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_TUR, node, 1000, &res), 0);
	if (res.error == -EACCES) { /* mounted nodev */
		fprintf(stderr, "    (skipped: %s is on a nodev file system)\n", tmpdir);
		unlink(node);
		return;
	}
	CU_ASSERT_EQUAL(res.state, MP_CHECK_DOWN);
	CU_ASSERT_EQUAL(res.error, -ENXIO);
	CU_ASSERT_EQUAL(mp_checker_run(MP_CHECKER_DIRECTIO, node, 1000, &res), 0);
	CU_ASSERT_EQUAL(res.state, MP_CHECK_DOWN);
	CU_ASSERT_EQUAL(res.error, -ENXIO);
	unlink(node);
}

/* Results collected by the callback, indexed by the userdata (an index + 1). */
struct collect {
	unsigned n;
	unsigned seen[1024];
	unsigned states[_MP_PATH_CHECK_MAX];
	int last_error;
	void *last_userdata;
	uint64_t last_at;
};

static void on_result(const struct mp_check_result *r, void *data)
{
	struct collect *c = data;
	uintptr_t idx = (uintptr_t)r->userdata;

	c->n++;
	if (idx > 0 && idx <= ARRAY_SIZE(c->seen))
		c->seen[idx - 1]++;
	if (r->state >= 0 && r->state < _MP_PATH_CHECK_MAX)
		c->states[r->state]++;
	c->last_error = r->error;
	c->last_userdata = r->userdata;
	c->last_at = now_msec();
}

/* Poll the pool's fd and dispatch until want results came, or timeout_ms passed. */
static void run_loop(struct mp_checker_pool *pool, struct collect *c, unsigned want, unsigned timeout_ms)
{
	uint64_t end = now_msec() + timeout_ms;

	while (c->n < want && now_msec() < end) {
		struct pollfd p = { .fd = mp_checker_pool_get_fd(pool), .events = POLLIN };

		if (poll(&p, 1, 50) > 0)
			CU_ASSERT(mp_checker_pool_dispatch(pool, on_result, c) >= 0);
	}
}

static void test_pool_none(void)
{
	struct mp_checker_pool *pool = NULL;
	struct mp_ctx *ctx = NULL;
	struct collect *c = calloc(1, sizeof(*c));

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL_FATAL(mp_checker_pool_new(ctx, 2, &pool), 0);
	CU_ASSERT(mp_checker_pool_get_fd(pool) >= 0);
	for (uintptr_t i = 1; i <= 1000; i++)
		CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_NONE, "/dev/sdz", 1000, (void *)i), 0);
	CU_ASSERT_EQUAL(mp_checker_pool_get_pending(pool), 1000);
	run_loop(pool, c, 1000, 5000);
	CU_ASSERT_EQUAL(c->n, 1000);
	CU_ASSERT_EQUAL(c->states[MP_CHECK_UP], 1000);
	for (unsigned i = 0; i < 1000; i++)
		CU_ASSERT_EQUAL(c->seen[i], 1);
	CU_ASSERT_EQUAL(mp_checker_pool_get_pending(pool), 0);
	/* nothing left: dispatch hands out nothing */
	CU_ASSERT_EQUAL(mp_checker_pool_dispatch(pool, on_result, c), 0);
	mp_checker_pool_unref(pool);
	mp_ctx_unref(ctx);
	free(c);
}

static void test_pool_mixed(void)
{
	struct mp_checker_pool *pool = NULL;
	struct mp_ctx *ctx = NULL;
	struct collect *c = calloc(1, sizeof(*c));
	static const enum mp_checker_type types[] = { MP_CHECKER_TUR, MP_CHECKER_DIRECTIO,
						      MP_CHECKER_NONE };

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	setup();
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL_FATAL(mp_checker_pool_new(ctx, 4, &pool), 0);
	for (uintptr_t i = 1; i <= 300; i++)
		CU_ASSERT_EQUAL(mp_checker_submit(pool, types[i % 3], datafile, 5000, (void *)i), 0);
	run_loop(pool, c, 300, 10000);
	CU_ASSERT_EQUAL(c->n, 300);
	CU_ASSERT_EQUAL(c->states[MP_CHECK_ERROR], 100); /* tur: -ENOTTY */
	CU_ASSERT_EQUAL(c->states[MP_CHECK_UP], 200);
	for (unsigned i = 0; i < 300; i++)
		CU_ASSERT_EQUAL(c->seen[i], 1);
	mp_checker_pool_unref(pool);
	mp_ctx_unref(ctx);
	free(c);
}

static void test_pool_args(void)
{
	struct mp_checker_pool *pool = NULL;
	struct mp_ctx *ctx = NULL;

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL(mp_checker_pool_new(ctx, 0, &pool), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_pool_new(ctx, 65, &pool), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_pool_new(NULL, 1, &pool), -EINVAL);
	CU_ASSERT_PTR_NULL(pool);
	CU_ASSERT_EQUAL_FATAL(mp_checker_pool_new(ctx, 1, &pool), 0);
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_TUR, NULL, 10, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_TUR, "", 10, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_TUR, "/dev/sda", 0, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_submit(pool, _MP_CHECKER_TYPE_INVALID, "/dev/sda", 10, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_submit(NULL, MP_CHECKER_NONE, "/dev/sda", 10, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_pool_dispatch(NULL, on_result, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_checker_pool_get_fd(NULL), -EINVAL);
	CU_ASSERT_PTR_EQUAL(mp_checker_pool_ref(pool), pool);
	CU_ASSERT_PTR_NULL(mp_checker_pool_unref(pool));
	CU_ASSERT_PTR_NULL(mp_checker_pool_unref(pool));
	CU_ASSERT_PTR_NULL(mp_checker_pool_unref(NULL));
	mp_ctx_unref(ctx);
}

/*
 * One worker, one check hung in open(): it is reported as timed out at its
 * deadline, and the checks queued behind it still run (on a spare worker).
 */
static void test_pool_hung_check(void)
{
	struct mp_checker_pool *pool = NULL;
	struct mp_ctx *ctx = NULL;
	struct collect *c = calloc(1, sizeof(*c));
	uint64_t start;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	setup();
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL_FATAL(mp_checker_pool_new(ctx, 1, &pool), 0);
	start = now_msec();
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_DIRECTIO, fifo, 200, (void *)1), 0);
	for (uintptr_t i = 2; i <= 11; i++)
		CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_DIRECTIO, datafile, 200, (void *)i), 0);

	run_loop(pool, c, 1, 3000);
	CU_ASSERT_EQUAL_FATAL(c->n, 1);
	CU_ASSERT_PTR_EQUAL(c->last_userdata, (void *)1);
	CU_ASSERT_EQUAL(c->states[MP_CHECK_TIMEOUT], 1);
	CU_ASSERT_EQUAL(c->last_error, -ETIMEDOUT);
	CU_ASSERT(c->last_at - start >= 200);
	CU_ASSERT(c->last_at - start < 1500);

	/* the others were stuck behind it and now run on the spare */
	run_loop(pool, c, 11, 3000);
	CU_ASSERT_EQUAL(c->n, 11);
	CU_ASSERT_EQUAL(c->states[MP_CHECK_UP], 10);

	/* the hung call returns: its result is dropped, the pool goes on */
	release_fifo();
	usleep(100 * 1000);
	CU_ASSERT_EQUAL(mp_checker_pool_dispatch(pool, on_result, c), 0);
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_DIRECTIO, datafile, 1000, (void *)12), 0);
	run_loop(pool, c, 12, 3000);
	CU_ASSERT_EQUAL(c->n, 12);
	CU_ASSERT_EQUAL(mp_checker_pool_get_pending(pool), 0);
	mp_checker_pool_unref(pool);
	mp_ctx_unref(ctx);
	free(c);
}

/* The threads of this process (Threads: in /proc/self/status). */
static unsigned count_threads(void)
{
	char line[128];
	unsigned n = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %u", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * A device whose check hangs is checked again and again (mpiod checks a
 * failed path every second). While its first check still hangs, a new one
 * would only hang another thread: a pool facing a long stall of many paths
 * would run out of spares, and the checks of healthy paths would wait. So
 * the check of a device with a check still hung is reported timed out at
 * once, and no thread is added; once the hung call returns, the device is
 * checked for real again.
 */
static void test_pool_recheck_hung(void)
{
	struct mp_checker_pool *pool = NULL;
	struct mp_ctx *ctx = NULL;
	struct collect *c = calloc(1, sizeof(*c));
	unsigned threads;
	uint64_t start;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	setup();
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL_FATAL(mp_checker_pool_new(ctx, 1, &pool), 0);
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_DIRECTIO, fifo, 200, (void *)1), 0);
	run_loop(pool, c, 1, 3000);
	CU_ASSERT_EQUAL_FATAL(c->n, 1);
	CU_ASSERT_EQUAL(c->states[MP_CHECK_TIMEOUT], 1);
	usleep(100 * 1000); /* the spare starts */
	threads = count_threads();
	start = now_msec();
	for (uintptr_t i = 2; i <= 6; i++) {
		CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_DIRECTIO, fifo, 200, (void *)i), 0);
		run_loop(pool, c, i, 3000);
	}
	CU_ASSERT_EQUAL(c->n, 6);
	CU_ASSERT_EQUAL(c->states[MP_CHECK_TIMEOUT], 6);
	CU_ASSERT_EQUAL(c->last_error, -ETIMEDOUT);
	/* answered at once, not after 5 more timeouts of 200 ms */
	CU_ASSERT(now_msec() - start < 500);
	CU_ASSERT_EQUAL(count_threads(), threads);
	/* other devices are still checked */
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_DIRECTIO, datafile, 1000, (void *)7), 0);
	run_loop(pool, c, 7, 3000);
	CU_ASSERT_EQUAL(c->states[MP_CHECK_UP], 1);

	/* the hung call returns: the device is checked for real again */
	release_fifo();
	usleep(100 * 1000);
	CU_ASSERT_EQUAL(mp_checker_pool_dispatch(pool, on_result, c), 0);
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_DIRECTIO, datafile, 1000, (void *)8), 0);
	run_loop(pool, c, 8, 3000);
	CU_ASSERT_EQUAL(c->states[MP_CHECK_UP], 2);
	CU_ASSERT_EQUAL(mp_checker_pool_get_pending(pool), 0);
	mp_checker_pool_unref(pool);
	mp_ctx_unref(ctx);
	free(c);
}

/* Drop the pool with checks queued, running, and hung: no callback, no hang, no leak. */
static void test_pool_destroy_in_flight(void)
{
	struct mp_checker_pool *pool = NULL;
	struct mp_ctx *ctx = NULL;
	uint64_t start;

	setup();
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL_FATAL(mp_checker_pool_new(ctx, 3, &pool), 0);
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_DIRECTIO, fifo, 300, NULL), 0);
	for (int i = 0; i < 200; i++)
		CU_ASSERT_EQUAL(mp_checker_submit(pool, i % 2 ? MP_CHECKER_DIRECTIO : MP_CHECKER_NONE,
						  datafile, 300, NULL), 0);
	usleep(20 * 1000);
	start = now_msec();
	mp_checker_pool_unref(pool);
	/* bounded by the hung check's deadline */
	CU_ASSERT(now_msec() - start < 1500);
	/* let the orphaned worker return and free what it holds before LSan looks */
	release_fifo();
	usleep(200 * 1000);

	/* and a pool dropped right away, with nothing hung */
	CU_ASSERT_EQUAL_FATAL(mp_checker_pool_new(ctx, 4, &pool), 0);
	for (int i = 0; i < 100; i++)
		CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_DIRECTIO, datafile, 1000, NULL), 0);
	start = now_msec();
	mp_checker_pool_unref(pool);
	CU_ASSERT(now_msec() - start < 1500);
	mp_ctx_unref(ctx);
}

/* The callback drops the pool's last reference: dispatch must not touch freed memory. */
struct drop {
	struct mp_checker_pool *pool;
	unsigned n;
};

static void on_result_drop(const struct mp_check_result *r, void *data)
{
	struct drop *d = data;

	d->n++;
	d->pool = mp_checker_pool_unref(d->pool);
}

static void test_pool_unref_in_callback(void)
{
	struct mp_ctx *ctx = NULL;
	struct drop d = { 0 };
	struct mp_checker_pool *pool;

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL_FATAL(mp_checker_pool_new(ctx, 1, &d.pool), 0);
	pool = d.pool;
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_NONE, "/dev/sdz", 10, NULL), 0);
	CU_ASSERT_EQUAL(mp_checker_submit(pool, MP_CHECKER_NONE, "/dev/sdz", 10, NULL), 0);
	CU_ASSERT_EQUAL(mp_checker_pool_dispatch(pool, on_result_drop, &d), 2);
	CU_ASSERT_EQUAL(d.n, 2);
	mp_ctx_unref(ctx);
}

static void test_cleanup(void)
{
	if (datafile[0]) {
		unlink(datafile);
		unlink(fifo);
		rmdir(tmpdir);
	}
}

static const struct unit_test tests[] = {
	{ "state names", test_names },
	{ "TUR sense interpretation", test_tur_interpret },
	{ "TUR sense fields", test_sense_fields },
	{ "checks run synchronously", test_run_sync },
	{ "an offline device (ENXIO) is down", test_offline_device },
	{ "pool: 1000 none checks", test_pool_none },
	{ "pool: tur, directio, none on a file", test_pool_mixed },
	{ "pool: arguments", test_pool_args },
	{ "pool: a hung check times out, others go on", test_pool_hung_check },
	{ "pool: a device with a hung check is not checked again", test_pool_recheck_hung },
	{ "pool: destroyed with checks in flight", test_pool_destroy_in_flight },
	{ "pool: last unref inside the callback", test_pool_unref_in_callback },
	{ "cleanup", test_cleanup },
};

UNIT_MAIN("checker", tests)
