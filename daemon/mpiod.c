/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mpiod: the mpio daemon.
 *
 * One sd-event loop owns every udev and device-mapper object. This first
 * version watches block uevents and reports readiness to systemd; map
 * management grows on top of this loop.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <libudev.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "libmp.h"
#include "macro.h"

struct log_settings {
	int max_priority;
};

typedef struct Context {
	struct log_settings log;
	struct mp_ctx *mp;
	sd_event *event;
	struct udev *udev;
	struct udev_monitor *monitor;
	sd_event_source *monitor_source;
	unsigned long uevents_seen;
} Context;

static struct log_settings *log_cfg;

static void vlog(int priority, const char *fmt, va_list ap)
{
	static const char *const prefix[] = { "<0>", "<1>", "<2>", "<3>", "<4>", "<5>", "<6>", "<7>" };

	if (log_cfg && priority > log_cfg->max_priority)
		return;
	/* The "<N>" prefix lets the journal keep the level when we run under systemd. */
	fputs(prefix[priority & 7], stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static _printf_(2, 3) int log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(priority, fmt, ap);
	va_end(ap);
	return 0;
}

static _printf_(3, 4) int log_errno(int priority, int r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(priority, "%s: %s", buf, strerror(r < 0 ? -r : r));
	return r < 0 ? r : -r;
}

static void libmp_log(void *userdata, int priority, const char *file, int line, const char *fn,
		      const char *format, va_list args)
{
	vlog(priority, format, args);
}

static void context_destroy(Context *c)
{
	c->monitor_source = sd_event_source_unref(c->monitor_source);
	c->monitor = udev_monitor_unref(c->monitor);
	c->udev = udev_unref(c->udev);
	c->event = sd_event_unref(c->event);
	c->mp = mp_ctx_unref(c->mp);
}

static int on_uevent(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	Context *c = userdata;
	struct udev_device *dev;

	while ((dev = udev_monitor_receive_device(c->monitor))) {
		c->uevents_seen++;
		log_msg(LOG_DEBUG, "uevent %s %s", udev_device_get_action(dev) ?: "?",
			udev_device_get_sysname(dev) ?: "?");
		udev_device_unref(dev);
	}
	return 0;
}

static int on_signal_exit(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	Context *c = userdata;

	(void)sd_notify(0, "STOPPING=1");
	log_msg(LOG_INFO, "received %s, stopping", strsignal(si->ssi_signo));
	return sd_event_exit(c->event, 0);
}

static int on_signal_reload(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	(void)sd_notify(0, "RELOADING=1");
	log_msg(LOG_INFO, "reload requested");
	(void)sd_notify(0, "READY=1");
	return 0;
}

static int setup_udev(Context *c)
{
	int r;

	c->udev = udev_new();
	if (!c->udev)
		return log_errno(LOG_ERR, -ENOMEM, "cannot create udev context");
	c->monitor = udev_monitor_new_from_netlink(c->udev, "udev");
	if (!c->monitor)
		return log_errno(LOG_ERR, -errno ?: -EIO, "cannot open udev monitor");
	r = udev_monitor_filter_add_match_subsystem_devtype(c->monitor, "block", NULL);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot filter udev monitor");
	r = udev_monitor_enable_receiving(c->monitor);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot enable udev monitor");
	r = sd_event_add_io(c->event, &c->monitor_source, udev_monitor_get_fd(c->monitor), EPOLLIN,
			    on_uevent, c);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot watch udev monitor");
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: mpiod [OPTIONS]\n"
		"\n"
		"The mpio multipath daemon: finds the paths of supported SAN devices and\n"
		"keeps one mpio device-mapper map per LUN.\n"
		"\n"
		"Options:\n"
		"  -v, --verbose   log debug messages\n"
		"  -q, --quiet     log warnings and errors only\n"
		"  -h, --help      show this help and exit\n"
		"      --version   show the version and exit\n");
}

static int parse_argv(int argc, char *argv[], Context *c)
{
	static const struct option options[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "vqh", options, NULL)) >= 0) {
		switch (opt) {
		case 'v':
			c->log.max_priority = LOG_DEBUG;
			break;
		case 'q':
			c->log.max_priority = LOG_WARNING;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("mpiod %s\n", mp_version());
			return 0;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mpiod: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 1;
}

static int run(int argc, char *argv[])
{
	_cleanup_(context_destroy) Context c = { .log.max_priority = LOG_INFO };
	sigset_t mask;
	int r;

	log_cfg = &c.log;
	r = parse_argv(argc, argv, &c);
	if (r <= 0)
		return r;

	r = mp_ctx_new(&c.mp);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot create libmp context");
	mp_ctx_set_log_fn(c.mp, libmp_log, NULL);
	mp_ctx_set_log_priority(c.mp, c.log.max_priority);

	r = sd_event_default(&c.event);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot create event loop");
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((r = sd_event_add_signal(c.event, NULL, SIGTERM, on_signal_exit, &c)) < 0 ||
	    (r = sd_event_add_signal(c.event, NULL, SIGINT, on_signal_exit, &c)) < 0 ||
	    (r = sd_event_add_signal(c.event, NULL, SIGHUP, on_signal_reload, &c)) < 0)
		return log_errno(LOG_ERR, r, "cannot watch signals");
	r = sd_event_set_watchdog(c.event, true);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot set up the watchdog");

	r = setup_udev(&c);
	if (r < 0)
		return r;

	(void)sd_notify(0, "READY=1\nSTATUS=watching block devices");
	log_msg(LOG_INFO, "mpiod %s started", mp_version());
	r = sd_event_loop(c.event);
	if (r < 0)
		return log_errno(LOG_ERR, r, "event loop failed");
	return 0;
}

int main(int argc, char *argv[])
{
	return run(argc, argv) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
