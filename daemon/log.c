/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The log, the clock and the temporary file beside a file (log.h).
 */
#include <errno.h>
#include <libdevmapper.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int log_max_priority = LOG_INFO;

void log_set_max_priority(int priority)
{
	log_max_priority = priority;
}

static void vlog(int priority, const char *fmt, va_list ap)
{
	static const char *const prefix[] = { "<0>", "<1>", "<2>", "<3>", "<4>", "<5>", "<6>", "<7>" };
	char buf[2048];

	if ((priority & 7) > log_max_priority)
		return;
	/* One write per line, so lines of concurrent writers never mix. */
	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* The "<N>" prefix lets the journal keep the level when we run under systemd. */
	fprintf(stderr, "%s%s\n", prefix[priority & 7], buf);
}

int log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(priority, fmt, ap);
	va_end(ap);
	return 0;
}

int log_errno(int priority, int r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(priority, "%s: %s", buf, strerror(-r));
	return r;
}

static void libmp_log(void *userdata, int priority, const char *file, int line, const char *fn,
		      const char *format, va_list args)
{
	vlog(priority, format, args);
}

/*
 * libdevmapper's own messages. Its levels are syslog's; its debug output is
 * verbose, so everything below a warning is shown only with --verbose.
 */
static void dm_log_cb(int level, const char *file, int line, int dm_errno_or_class,
		      const char *f, ...) _printf_(5, 6);
static void dm_log_cb(int level, const char *file, int line, int dm_errno_or_class,
		      const char *f, ...)
{
	char buf[1024];
	va_list ap;
	int prio = level & 7;

	if (prio > LOG_WARNING)
		prio = LOG_DEBUG;
	if (prio > log_max_priority)
		return;
	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	log_msg(prio, "device-mapper: %s", buf);
}

void log_attach_libraries(struct mp_ctx *mp)
{
	dm_log_with_errno_init(dm_log_cb);
	mp_ctx_set_log_fn(mp, libmp_log, NULL);
	mp_ctx_set_log_priority(mp, log_max_priority);
}

uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * A temporary file next to path (its directory made if missing), for an
 * atomic replace by rename: the state file and the pid file.
 */
FILE *fopen_tmp_beside(const char *path, char **ret_tmp)
{
	_cleanup_free_ char *tmp = NULL, *dir = NULL;
	char *slash;
	FILE *f;

	if (asprintf(&tmp, "%s.tmp", path) < 0 || !(dir = strdup(path))) {
		errno = ENOMEM;
		return NULL;
	}
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		(void)mkdir(dir, 0755);
	}
	f = fopen(tmp, "we");
	if (f)
		*ret_tmp = TAKE_PTR(tmp);
	return f;
}
