/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Path checkers, and the pool that runs them off the caller's event loop.
 *
 * A check is a blocking system call (SG_IO, an O_DIRECT read) that can take
 * as long as the device wants, so it runs on a worker thread. Workers touch
 * nothing but the device node and the pool's own queues: no libudev, no
 * libdevmapper, no context. The loop thread sees one file descriptor (an
 * epoll set of an eventfd, written when a result is ready, and a timerfd
 * armed for the earliest deadline of a running check) and calls
 * mp_checker_pool_dispatch() when it is readable.
 *
 * Timeouts: tur passes the timeout to SG_IO, so the kernel itself ends the
 * command. But a call can block longer than that (a device in the blocked
 * state holds commands before their timer starts), and a read has no timeout
 * at all. So the loop side also watches each running check: once it is
 * DEADLINE_GRACE_MS past its timeout, the check is reported as timed out
 * and abandoned, the worker stays stuck on it, and a spare worker is started
 * in its place (up to MAX_STUCK stuck workers), so one hung device never
 * delays the checks of the others. While a device's abandoned check hangs,
 * its next checks are reported timed out at once (device_hung()): one
 * stuck thread per device, however long the stall. A worker whose abandoned
 * check finally returns discards the result and, if the pool has enough
 * workers, exits.
 *
 * Jobs move: queue (submitted) -> a worker (running) -> done -> the callback.
 * All lists are under core->lock; the callbacks run without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <scsi/sg.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "checker-internal.h"
#include "libmp-private.h"

#define DEADLINE_GRACE_MS 100
#define MAX_THREADS 64
#define MAX_STUCK 64
#define SENSE_LEN 64

/* SCSI status bytes (SAM-5) */
#define SAM_GOOD 0x00
#define SAM_CHECK_CONDITION 0x02
#define SAM_BUSY 0x08
#define SAM_RESERVATION_CONFLICT 0x18
#define SAM_TASK_SET_FULL 0x28
/* sense keys (SPC-4) */
#define SK_NO_SENSE 0x0
#define SK_RECOVERED_ERROR 0x1
#define SK_NOT_READY 0x2
#define SK_UNIT_ATTENTION 0x6
/* sg_io_hdr host_status and driver_status values (Linux SCSI midlayer) */
#define HOST_BUS_BUSY 0x02
#define HOST_TIME_OUT 0x03
#define HOST_RESET 0x08
#define HOST_SOFT_ERROR 0x0b
#define HOST_IMM_RETRY 0x0c
#define HOST_REQUEUE 0x0d
#define DRIVER_TIMEOUT 0x06
#define DRIVER_SENSE 0x08

static const char *const path_check_names[_MP_PATH_CHECK_MAX] = {
	[MP_CHECK_UP] = "up",
	[MP_CHECK_DOWN] = "down",
	[MP_CHECK_GHOST] = "ghost",
	[MP_CHECK_TRANSITIONING] = "transitioning",
	[MP_CHECK_TIMEOUT] = "timeout",
	[MP_CHECK_ERROR] = "error",
};

_public_ const char *mp_path_check_to_string(enum mp_path_check state)
{
	if (state < 0 || state >= _MP_PATH_CHECK_MAX)
		return NULL;
	return path_check_names[state];
}

_public_ enum mp_path_check mp_path_check_from_string(const char *s)
{
	if (!s)
		return _MP_PATH_CHECK_INVALID;
	for (size_t i = 0; i < ARRAY_SIZE(path_check_names); i++)
		if (strcmp(s, path_check_names[i]) == 0)
			return (enum mp_path_check)i;
	return _MP_PATH_CHECK_INVALID;
}

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* ---- the checks themselves (blocking; run on workers) ---- */

bool mp_tur_interpret(uint8_t status, uint16_t host_status, uint16_t driver_status,
		      const uint8_t *sense, size_t sense_len, bool retry,
		      struct mp_check_result *res)
{
	uint8_t key = 0, asc = 0, ascq = 0;
	bool have_sense = false;

	res->error = 0;
	res->host_status = host_status;
	if (host_status == HOST_TIME_OUT || (driver_status & 0xf) == DRIVER_TIMEOUT) {
		res->state = MP_CHECK_TIMEOUT;
		res->error = -ETIMEDOUT;
		return false;
	}
	switch (host_status) {
	case HOST_BUS_BUSY:
	case HOST_RESET:
	case HOST_SOFT_ERROR:
	case HOST_IMM_RETRY:
	case HOST_REQUEUE:
		/*
		 * Cut short by a reset, or handed back by a busy host: it says
		 * nothing of the path. Ask again; a reset storm is not a dead path.
		 */
		res->state = MP_CHECK_TRANSITIONING;
		return retry;
	default:
		break;
	}
	if (host_status != 0) {
		/* no connection, transport disrupted, bus reset, ...: the path is not there */
		res->state = MP_CHECK_DOWN;
		res->error = -EIO;
		return false;
	}

	/* Fixed (0x70, 0x71) or descriptor (0x72, 0x73) format; only what the device wrote. */
	if (sense && sense_len >= 2 &&
	    ((status & 0x7e) == SAM_CHECK_CONDITION || (driver_status & DRIVER_SENSE))) {
		uint8_t code = sense[0] & 0x7f;

		if ((code == 0x70 || code == 0x71) && sense_len >= 3) {
			key = sense[2] & 0xf;
			asc = sense_len > 12 ? sense[12] : 0;
			ascq = sense_len > 13 ? sense[13] : 0;
			have_sense = true;
		} else if ((code == 0x72 || code == 0x73) && sense_len >= 4) {
			key = sense[1] & 0xf;
			asc = sense[2];
			ascq = sense[3];
			have_sense = true;
		}
	}
	res->sense_key = key;
	res->asc = asc;
	res->ascq = ascq;

	switch (status & 0x7e) {
	case SAM_GOOD:
	case SAM_BUSY:
	case SAM_RESERVATION_CONFLICT:
	case SAM_TASK_SET_FULL:
		/* The command reached the LU and it answered: the path works. */
		res->state = MP_CHECK_UP;
		return false;
	case SAM_CHECK_CONDITION:
		break;
	default:
		res->state = MP_CHECK_DOWN;
		res->error = -EIO;
		return false;
	}

	if (!have_sense) {
		res->state = MP_CHECK_DOWN;
		res->error = -EIO;
		return false;
	}
	switch (key) {
	case SK_NO_SENSE:
	case SK_RECOVERED_ERROR:
		res->state = MP_CHECK_UP;
		return false;
	case SK_UNIT_ATTENTION:
		/* Reported once per event per I_T nexus: ask again to see the real state. */
		res->state = MP_CHECK_TRANSITIONING;
		return retry;
	case SK_NOT_READY:
		if (asc == 0x04) {
			switch (ascq) {
			case 0x0b: /* target port in standby state */
			case 0x0c: /* target port in unavailable state */
				res->state = MP_CHECK_GHOST;
				return false;
			case 0x0a: /* asymmetric access state transition */
			case 0x01: /* in process of becoming ready */
				res->state = MP_CHECK_TRANSITIONING;
				return false;
			default:
				break;
			}
		}
		res->state = MP_CHECK_DOWN;
		res->error = -EIO;
		return false;
	default:
		res->state = MP_CHECK_DOWN;
		res->error = -EIO;
		return false;
	}
}

/*
 * A device node that cannot be opened or asked: the device is down when the
 * kernel refuses because of the device's state (sd_open() and the SCSI ioctl
 * paths answer ENXIO or ENODEV for a device that is offline or
 * transport-offline, as every iSCSI LUN is once its session's recovery
 * timed out); any other errno means the check cannot run here.
 */
static void set_open_error(int err, struct mp_check_result *res)
{
	res->state = err == ENXIO || err == ENODEV ? MP_CHECK_DOWN : MP_CHECK_ERROR;
	res->error = -err;
}

static void check_tur(const char *devnode, unsigned timeout_ms, struct mp_check_result *res)
{
	_cleanup_close_ int fd = -1;

	fd = open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		set_open_error(errno, res);
		return;
	}
	for (unsigned attempt = 0;; attempt++) {
		uint8_t cdb[6] = { 0 }; /* TEST UNIT READY: opcode 0x00 */
		uint8_t sense[SENSE_LEN] = { 0 };
		struct sg_io_hdr io = {
			.interface_id = 'S',
			.dxfer_direction = SG_DXFER_NONE,
			.cmd_len = sizeof(cdb),
			.mx_sb_len = sizeof(sense),
			.cmdp = cdb,
			.sbp = sense,
			.timeout = timeout_ms,
		};

		if (ioctl(fd, SG_IO, &io) < 0) {
			if (errno == EINTR && attempt < 2)
				continue;
			/* ENOTTY, EINVAL: not a SCSI device; ENXIO, ENODEV: offline */
			set_open_error(errno, res);
			return;
		}
		if (!mp_tur_interpret(io.status, io.host_status, io.driver_status, sense,
				      io.sb_len_wr < sizeof(sense) ? io.sb_len_wr : sizeof(sense),
				      attempt == 0, res))
			return;
	}
}

static void check_directio(const char *devnode, struct mp_check_result *res)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ void *buf = NULL;
	long page = sysconf(_SC_PAGESIZE);
	size_t align = page > 0 ? (size_t)page : 4096;
	struct stat st;
	int bs = 0;
	ssize_t n;

	fd = open(devnode, O_RDONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		set_open_error(errno, res);
		return;
	}
	if (fstat(fd, &st) < 0)
		goto error;
	/* The first logical block of a device; a file reads one page-aligned page. */
	if (!S_ISBLK(st.st_mode) || ioctl(fd, BLKSSZGET, &bs) < 0 || bs <= 0)
		bs = (int)align;
	if ((size_t)bs > align)
		align = (size_t)bs;
	if (posix_memalign(&buf, align, (size_t)bs) != 0) {
		res->state = MP_CHECK_ERROR;
		res->error = -ENOMEM;
		return;
	}
	do
		n = pread(fd, buf, (size_t)bs, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		/* EINVAL: O_DIRECT not possible here, a setup problem; else the I/O failed */
		res->state = errno == EINVAL ? MP_CHECK_ERROR : MP_CHECK_DOWN;
		res->error = -errno;
		return;
	}
	res->state = MP_CHECK_UP;
	return;
error:
	res->state = MP_CHECK_ERROR;
	res->error = -errno;
}

_public_ int mp_checker_run(enum mp_checker_type type, const char *devnode, unsigned timeout_ms,
			    struct mp_check_result *ret)
{
	uint64_t start = now_usec();

	if (!devnode || !ret || timeout_ms == 0 || type < 0 || type >= _MP_CHECKER_TYPE_MAX)
		return -EINVAL;
	*ret = (struct mp_check_result){ .type = type, .devnode = devnode };
	switch (type) {
	case MP_CHECKER_TUR:
		check_tur(devnode, timeout_ms, ret);
		break;
	case MP_CHECKER_DIRECTIO:
		check_directio(devnode, ret);
		break;
	default:
		ret->state = MP_CHECK_UP;
		break;
	}
	ret->duration_usec = now_usec() - start;
	return 0;
}

/* ---- the pool ---- */

struct job {
	struct job *next;
	struct mp_check_result res;
	char *devnode;
	/* set by submit, then read-only until the job is freed */
	enum mp_checker_type type;
	void *userdata;
	unsigned timeout_ms;
	uint64_t start; /* when a worker took it */
	bool abandoned; /* reported as timed out: the worker frees it */
};

struct worker {
	struct worker *next;
	struct core *core;
	pthread_t thread;
	struct job *job; /* the running job, or NULL */
	bool exited;	 /* the thread has returned: join it */
	bool orphan;	 /* the pool is gone: the thread frees itself */
};

/* What workers share with the loop thread; outlives the pool while orphaned workers run. */
struct core {
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* workers: a job was queued, or shutdown */
	pthread_cond_t exited;	/* destroy: a worker returned */
	struct job *queue, **queue_tail;
	struct job *done, **done_tail;
	struct worker *workers;
	unsigned nthreads;	/* wanted, not counting stuck ones */
	unsigned nlive;		/* threads running, stuck ones included */
	unsigned nstuck;	/* threads on an abandoned job */
	bool shutdown;
	int efd;		/* eventfd: results ready */
	int tfd;		/* timerfd: the earliest deadline */
	uint64_t armed;		/* deadline tfd is armed for, 0: disarmed */
};

struct mp_checker_pool {
	unsigned refcount;
	struct mp_ctx *ctx;
	struct core *core;
	int epfd;
	unsigned pending; /* submitted, not yet dispatched */
};

static void job_free(struct job *j)
{
	if (!j)
		return;
	free(j->devnode);
	free(j);
}

static uint64_t job_deadline(const struct job *j)
{
	return j->start + ((uint64_t)j->timeout_ms + DEADLINE_GRACE_MS) * 1000;
}

/* With core->lock held. */
static void post_done(struct core *c, struct job *j)
{
	uint64_t one = 1;

	j->next = NULL;
	*c->done_tail = j;
	c->done_tail = &j->next;
	(void)!write(c->efd, &one, sizeof(one));
}

/* Arm the timer for deadline if it is earlier than what is armed. With core->lock held. */
static void arm_timer(struct core *c, uint64_t deadline)
{
	struct itimerspec its = { 0 };

	if (c->armed && c->armed <= deadline)
		return;
	its.it_value.tv_sec = (time_t)(deadline / 1000000);
	its.it_value.tv_nsec = (long)(deadline % 1000000) * 1000;
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	if (timerfd_settime(c->tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		c->armed = deadline;
}

static void core_free(struct core *c)
{
	struct job *j;

	while ((j = c->queue)) {
		c->queue = j->next;
		job_free(j);
	}
	while ((j = c->done)) {
		c->done = j->next;
		job_free(j);
	}
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	pthread_cond_destroy(&c->exited);
	free(c);
}

/* The result of check j, reported timed out after duration_usec. */
static struct mp_check_result timed_out(const struct job *j, const char *devnode,
					 uint64_t duration_usec)
{
	return (struct mp_check_result){
		.state = MP_CHECK_TIMEOUT,
		.error = -ETIMEDOUT,
		.type = j->type,
		.userdata = j->userdata,
		.devnode = devnode,
		.duration_usec = duration_usec,
	};
}

/*
 * Whether a check of devnode was abandoned and still hangs in its worker.
 * A new check of that device would only hang another thread (a stall of
 * many paths would use up the spares, and the checks of healthy paths
 * would wait): it is reported timed out at once instead, until the hung
 * call returns. With core->lock held.
 */
static bool device_hung(const struct core *c, const char *devnode)
{
	for (const struct worker *w = c->workers; w; w = w->next)
		if (w->job && w->job->abandoned && strcmp(w->job->devnode, devnode) == 0)
			return true;
	return false;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct core *c = w->core;
	bool last;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		struct mp_check_result res;
		struct job *j;

		while (!c->shutdown && !c->queue)
			pthread_cond_wait(&c->wake, &c->lock);
		if (c->shutdown)
			break;
		j = c->queue;
		c->queue = j->next;
		if (!c->queue)
			c->queue_tail = &c->queue;
		if (device_hung(c, j->devnode)) {
			j->res = timed_out(j, j->devnode, 0);
			post_done(c, j);
			continue;
		}
		j->start = now_usec();
		w->job = j;
		arm_timer(c, job_deadline(j));
		pthread_mutex_unlock(&c->lock);

		/* The loop thread looks at j under the lock meanwhile: fill a local result. */
		(void)mp_checker_run(j->type, j->devnode, j->timeout_ms, &res);

		pthread_mutex_lock(&c->lock);
		w->job = NULL;
		if (j->abandoned) {
			job_free(j);
			c->nstuck--;
			/* A spare took this thread's place: one of them goes. */
			if (c->nlive - c->nstuck > c->nthreads)
				break;
			continue;
		}
		if (c->shutdown) {
			job_free(j);
			break;
		}
		j->res = res;
		j->res.userdata = j->userdata;
		post_done(c, j);
	}
	c->nlive--;
	w->exited = true;
	if (w->orphan) {
		/* The pool is gone and nobody will join this thread. */
		struct worker **pw;

		for (pw = &c->workers; *pw; pw = &(*pw)->next)
			if (*pw == w) {
				*pw = w->next;
				break;
			}
		free(w);
		last = c->nlive == 0;
		pthread_mutex_unlock(&c->lock);
		if (last)
			core_free(c);
		return NULL;
	}
	pthread_cond_broadcast(&c->exited);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Start one worker. With core->lock held. */
static int worker_start(struct core *c)
{
	struct worker *w;
	sigset_t all, old;
	int r;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->core = c;
	/* Workers take no signals: they belong to the caller's threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		free(w);
		return -r;
	}
	w->next = c->workers;
	c->workers = w;
	c->nlive++;
	return 0;
}

/* Join the workers that have returned. With core->lock held; they no longer take it. */
static void reap_workers(struct core *c)
{
	struct worker **pw = &c->workers;

	while (*pw) {
		struct worker *w = *pw;

		if (!w->exited || w->orphan) {
			pw = &w->next;
			continue;
		}
		*pw = w->next;
		pthread_join(w->thread, NULL);
		free(w);
	}
}

/*
 * Wait until every worker has returned, except those on a check that is past
 * its deadline (or abandoned): they may be hung in the kernel for good. Idle
 * workers return at once. With core->lock held.
 */
static void wait_workers(struct core *c)
{
	for (;;) {
		uint64_t now = now_usec(), until = 0;
		bool waiting = false;
		struct timespec ts;

		for (struct worker *w = c->workers; w; w = w->next) {
			if (w->exited || (w->job && w->job->abandoned))
				continue;
			if (!w->job) {
				waiting = true;
				continue;
			}
			if (job_deadline(w->job) > now) {
				waiting = true;
				if (job_deadline(w->job) > until)
					until = job_deadline(w->job);
			}
		}
		if (!waiting)
			return;
		if (!until)
			until = now + 100 * 1000;
		/* c->exited uses CLOCK_MONOTONIC (core_new sets it) */
		ts.tv_sec = (time_t)(until / 1000000);
		ts.tv_nsec = (long)(until % 1000000) * 1000;
		(void)pthread_cond_timedwait(&c->exited, &c->lock, &ts);
	}
}

static void pool_free(struct mp_checker_pool *pool)
{
	struct core *c = pool->core;

	if (c) {
		bool orphans = false;
		struct job *j;
		int efd, tfd;

		pthread_mutex_lock(&c->lock);
		c->shutdown = true;
		while ((j = c->queue)) {
			c->queue = j->next;
			job_free(j);
		}
		c->queue_tail = &c->queue;
		pthread_cond_broadcast(&c->wake);
		wait_workers(c);
		reap_workers(c);
		/* Whatever still runs is hung in the kernel: let it go, it frees itself. */
		for (struct worker *w = c->workers; w; w = w->next) {
			w->orphan = true;
			pthread_detach(w->thread);
			orphans = true;
		}
		/* Orphans never touch the fds after shutdown; the last one frees c. */
		efd = c->efd;
		tfd = c->tfd;
		c->efd = c->tfd = -1;
		pthread_mutex_unlock(&c->lock);
		if (efd >= 0)
			close(efd);
		if (tfd >= 0)
			close(tfd);
		if (!orphans)
			core_free(c);
	}
	if (pool->epfd >= 0)
		close(pool->epfd);
	mp_ctx_unref(pool->ctx);
	free(pool);
}

_public_ struct mp_checker_pool *mp_checker_pool_ref(struct mp_checker_pool *pool)
{
	if (pool)
		pool->refcount++;
	return pool;
}

_public_ struct mp_checker_pool *mp_checker_pool_unref(struct mp_checker_pool *pool)
{
	if (!pool || --pool->refcount > 0)
		return NULL;
	pool_free(pool);
	return NULL;
}

static int core_new(struct core **ret)
{
	struct core *c;
	pthread_condattr_t attr;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->efd = c->tfd = -1;
	c->queue_tail = &c->queue;
	c->done_tail = &c->done;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c->exited, &attr);
	pthread_condattr_destroy(&attr);
	*ret = c;
	return 0;
}

_public_ int mp_checker_pool_new(struct mp_ctx *ctx, unsigned nthreads, struct mp_checker_pool **ret)
{
	_cleanup_(mp_checker_pool_unrefp) struct mp_checker_pool *pool = NULL;
	struct epoll_event ev = { .events = EPOLLIN };
	struct core *c;
	int r;

	if (!ctx || !ret || nthreads == 0 || nthreads > MAX_THREADS)
		return -EINVAL;
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	pool->refcount = 1;
	pool->epfd = -1;
	pool->ctx = mp_ctx_ref(ctx);
	r = core_new(&pool->core);
	if (r < 0)
		return r;
	c = pool->core;
	c->nthreads = nthreads;

	c->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	c->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	pool->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->efd < 0 || c->tfd < 0 || pool->epfd < 0)
		return -errno;
	ev.data.fd = c->efd;
	if (epoll_ctl(pool->epfd, EPOLL_CTL_ADD, c->efd, &ev) < 0)
		return -errno;
	ev.data.fd = c->tfd;
	if (epoll_ctl(pool->epfd, EPOLL_CTL_ADD, c->tfd, &ev) < 0)
		return -errno;

	pthread_mutex_lock(&c->lock);
	for (unsigned i = 0; i < nthreads && r >= 0; i++)
		r = worker_start(c);
	pthread_mutex_unlock(&c->lock);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(pool);
	return 0;
}

_public_ int mp_checker_pool_get_fd(const struct mp_checker_pool *pool)
{
	return pool ? pool->epfd : -EINVAL;
}

_public_ int mp_checker_pool_get_pending(const struct mp_checker_pool *pool)
{
	return pool ? (int)pool->pending : -EINVAL;
}

_public_ int mp_checker_submit(struct mp_checker_pool *pool, enum mp_checker_type type,
			       const char *devnode, unsigned timeout_ms, void *userdata)
{
	struct core *c;
	struct job *j;

	if (!pool || !devnode || !*devnode || timeout_ms == 0 || type < 0 ||
	    type >= _MP_CHECKER_TYPE_MAX)
		return -EINVAL;
	c = pool->core;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->devnode = strdup(devnode);
	if (!j->devnode) {
		free(j);
		return -ENOMEM;
	}
	j->timeout_ms = timeout_ms;
	j->userdata = userdata;
	j->type = type;

	pthread_mutex_lock(&c->lock);
	if (type == MP_CHECKER_NONE) {
		/* Nothing to wait for: straight to the done list. */
		(void)mp_checker_run(type, j->devnode, timeout_ms, &j->res);
		j->res.userdata = userdata;
		post_done(c, j);
	} else {
		j->next = NULL;
		*c->queue_tail = j;
		c->queue_tail = &j->next;
		pthread_cond_signal(&c->wake);
	}
	pthread_mutex_unlock(&c->lock);
	pool->pending++;
	return 0;
}

/*
 * Report running checks past their deadline as timed out and start spares
 * for their workers; re-arm the timer for the next deadline. With core->lock held.
 */
static void expire_jobs(struct core *c)
{
	uint64_t now = now_usec(), next = 0;
	struct itimerspec off = { 0 };

	for (struct worker *w = c->workers; w; w = w->next) {
		struct job *j = w->job, *t;

		if (!j || j->abandoned)
			continue;
		if (job_deadline(j) > now) {
			if (!next || job_deadline(j) < next)
				next = job_deadline(j);
			continue;
		}
		t = calloc(1, sizeof(*t));
		if (t)
			t->devnode = strdup(j->devnode);
		if (!t || !t->devnode) {
			/* Try again at the next dispatch. */
			job_free(t);
			next = now;
			continue;
		}
		t->res = timed_out(j, t->devnode, now - j->start);
		j->abandoned = true;
		c->nstuck++;
		post_done(c, t);
		if (c->nstuck <= MAX_STUCK)
			(void)worker_start(c);
	}
	(void)timerfd_settime(c->tfd, 0, &off, NULL);
	c->armed = 0;
	if (next)
		arm_timer(c, next);
}

_public_ int mp_checker_pool_dispatch(struct mp_checker_pool *pool, mp_check_fn callback,
				      void *cb_data)
{
	struct core *c;
	struct job *list, *j;
	uint64_t v;
	int n = 0;

	if (!pool)
		return -EINVAL;
	c = pool->core;
	(void)!read(c->efd, &v, sizeof(v));
	(void)!read(c->tfd, &v, sizeof(v));

	pthread_mutex_lock(&c->lock);
	expire_jobs(c);
	reap_workers(c);
	list = c->done;
	c->done = NULL;
	c->done_tail = &c->done;
	pthread_mutex_unlock(&c->lock);

	/* The callback may submit again, or drop the last reference: keep the pool alive. */
	mp_checker_pool_ref(pool);
	while ((j = list)) {
		list = j->next;
		pool->pending--;
		if (callback)
			callback(&j->res, cb_data);
		job_free(j);
		n++;
	}
	mp_checker_pool_unref(pool);
	return n;
}
