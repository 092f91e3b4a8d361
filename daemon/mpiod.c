/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mpiod: the mpio daemon.
 *
 * One sd-event loop owns every udev and device-mapper object: the udev
 * monitor (path and dm uevents), the timers (deferred reloads, path checks,
 * failback, map removal) and the checker pool's fd. Checkers run on the
 * pool's threads and post their results back to the loop. What the daemon
 * knows is published as an immutable RCU snapshot (state.c) that readers
 * take without ever blocking the loop.
 *
 * This file: options, signals, the pid file, the post hook (after every
 * dispatch: sync the maps marked dirty, publish the state) and the
 * start-up order (config, adopt existing maps, coldplug, READY). The
 * daemon's layers, lowest first, are in daemon/README.md.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "mpio-names.h"
#include "log.h"
#include "model.h"
#include "state.h"
#include "check.h"
#include "discovery.h"
#include "maps.h"
#include "reload.h"
#include "shutdown.h"
#include "dbus.h"

/*
 * The pid file, for multipathctl claim (SIGHUP after an edit) and for other
 * init systems. Written atomically once signals are handled; its directory
 * is made if missing (tmpfiles.d makes /run/mpio at boot). Not fatal.
 */
static void pid_file_write(Context *c)
{
	_cleanup_free_ char *tmp = NULL;
	FILE *f;

	f = fopen_tmp_beside(c->pid_file, &tmp);
	if (!f) {
		log_errno(LOG_WARNING, -errno, "cannot write the pid file %s", c->pid_file);
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	if (fclose(f) != 0 || rename(tmp, c->pid_file) < 0) {
		log_errno(LOG_WARNING, -errno, "cannot write the pid file %s", c->pid_file);
		(void)unlink(tmp);
		return;
	}
	c->pid_file_written = true;
}

/* Remove the pid file if it is still ours (a newer mpiod may have replaced it). */
static void pid_file_remove(Context *c)
{
	char buf[32] = "";
	FILE *f;

	if (!c->pid_file_written || !(f = fopen(c->pid_file, "re")))
		return;
	if (fgets(buf, sizeof(buf), f) && atoi(buf) == (int)getpid())
		(void)unlink(c->pid_file);
	fclose(f);
}

static void context_destroy(Context *c)
{
	pid_file_remove(c);
	maps_finish_batches(c);
	dbus_teardown(c);
	shutdown_watch_teardown(c);
	state_teardown(c);
	while (c->n_maps > 0)
		map_free(c, c->maps[c->n_maps - 1]);
	while (c->n_paths > 0)
		path_free(c, c->paths[c->n_paths - 1]);
	free(c->maps);
	free(c->paths);
	c->sync_timer = sd_event_source_unref(c->sync_timer);
	c->tick_timer = sd_event_source_unref(c->tick_timer);
	c->checker_source = sd_event_source_unref(c->checker_source);
	c->checkers = mp_checker_pool_unref(c->checkers);
	c->monitor_source = sd_event_source_unref(c->monitor_source);
	c->monitor = udev_monitor_unref(c->monitor);
	c->udev = udev_unref(c->udev);
	c->event = sd_event_unref(c->event);
	c->cfg = mp_config_unref(c->cfg);
	c->supported = mp_supported_unref(c->supported);
	c->mp = mp_ctx_unref(c->mp);
	free(c->config_dir);
	free(c->state_file);
	free(c->pid_file);
}

/*
 * SIGTERM, SIGINT: stop and leave the maps as they are, so that a restart
 * (or a crash) never fails I/O; unless systemd says the system is shutting
 * down. SIGUSR2: stop for a shutdown, whoever runs us (other init systems).
 */
static int on_signal_exit(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	Context *c = userdata;
	bool shutdown = c->shutting_down || si->ssi_signo == SIGUSR2 || system_shutting_down();

	(void)sd_notify(0, "STOPPING=1");
	if (shutdown) {
		log_msg(LOG_INFO, "received %s, the system is shutting down: turning queueing off, "
			"then stopping", strsignal(si->ssi_signo));
		/* Again if the shutdown's start was seen: maps made since are included. */
		queueing_off(c);
	} else
		log_msg(LOG_INFO, "received %s, stopping (maps are left as they are)",
			strsignal(si->ssi_signo));
	return sd_event_exit(c->event, 0);
}

static int on_signal_reload(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	(void)daemon_reload(userdata, NULL);
	return 0;
}

static int on_signal_dump(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	state_request_dump(userdata);
	return 0;
}

/*
 * After every dispatch: arm the sync of the maps marked dirty, and publish
 * a new snapshot if something changed.
 */
static int on_post(sd_event_source *s, void *userdata)
{
	Context *c = userdata;

	maps_schedule_sync(c);
	if (c->state_dirty) {
		state_publish(c);
		if (c->ready)
			notify_status(c);
	}
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
		"  -d, --config-dir=DIR   read mpio.conf, mpio.conf.d/, supported-devices and\n"
		"                         bindings from DIR (default " MP_CONFIG_DIR ")\n"
		"  -s, --state-file=FILE  where SIGUSR1 writes the state (default " MPIOD_STATE_FILE ")\n"
		"  -p, --pid-file=FILE    write the daemon's pid there (default " MPIOD_PID_FILE ")\n"
		"  -v, --verbose          log debug messages\n"
		"  -q, --quiet            log warnings and errors only\n"
		"  -h, --help             show this help and exit\n"
		"      --version          show the version and exit\n"
		"\n"
		"Signals: SIGHUP reloads the configuration, SIGUSR1 writes the state file,\n"
		"SIGTERM and SIGINT stop the daemon and leave the maps in place (at a\n"
		"shutdown under systemd, queueing is turned off first), SIGUSR2 turns\n"
		"queueing off on every map and stops (for a shutdown).\n");
}

static int parse_argv(int argc, char *argv[], Context *c)
{
	static const struct option options[] = {
		{ "config-dir", required_argument, NULL, 'd' },
		{ "state-file", required_argument, NULL, 's' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "d:s:p:vqh", options, NULL)) >= 0) {
		switch (opt) {
		case 'd':
			free(c->config_dir);
			c->config_dir = strdup(optarg);
			if (!c->config_dir)
				return -ENOMEM;
			break;
		case 's':
			free(c->state_file);
			c->state_file = strdup(optarg);
			if (!c->state_file)
				return -ENOMEM;
			break;
		case 'p':
			free(c->pid_file);
			c->pid_file = strdup(optarg);
			if (!c->pid_file)
				return -ENOMEM;
			break;
		case 'v':
			c->log_max_priority = LOG_DEBUG;
			break;
		case 'q':
			c->log_max_priority = LOG_WARNING;
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
	if (!c->config_dir && !(c->config_dir = strdup(MP_CONFIG_DIR)))
		return -ENOMEM;
	if (!c->state_file && !(c->state_file = strdup(MPIOD_STATE_FILE)))
		return -ENOMEM;
	if (!c->pid_file && !(c->pid_file = strdup(MPIOD_PID_FILE)))
		return -ENOMEM;
	return 1;
}

static int run(int argc, char *argv[])
{
	_cleanup_(context_destroy) Context c = { .log_max_priority = LOG_INFO };
	uint64_t t0 = now_usec();
	sigset_t mask;
	int r;

	r = parse_argv(argc, argv, &c);
	if (r <= 0)
		return r;
	log_set_max_priority(c.log_max_priority);

	r = mp_ctx_new(&c.mp);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot create libmp context");
	log_attach_libraries(c.mp);

	r = sd_event_default(&c.event);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot create event loop");
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((r = sd_event_add_signal(c.event, NULL, SIGTERM, on_signal_exit, &c)) < 0 ||
	    (r = sd_event_add_signal(c.event, NULL, SIGINT, on_signal_exit, &c)) < 0 ||
	    (r = sd_event_add_signal(c.event, NULL, SIGHUP, on_signal_reload, &c)) < 0 ||
	    (r = sd_event_add_signal(c.event, NULL, SIGUSR1, on_signal_dump, &c)) < 0 ||
	    (r = sd_event_add_signal(c.event, NULL, SIGUSR2, on_signal_exit, &c)) < 0)
		return log_errno(LOG_ERR, r, "cannot watch signals");
	pid_file_write(&c);
	r = sd_event_add_post(c.event, NULL, on_post, &c);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot add post hook");
	r = sd_event_set_watchdog(c.event, true);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot set up the watchdog");

	r = state_setup(&c);
	if (r < 0)
		return r;
	r = config_load(&c, true, NULL);
	if (r < 0)
		return r;
	/* Listen before looking, so nothing that appears meanwhile is missed. */
	r = discovery_setup(&c);
	if (r < 0)
		return r;
	r = check_setup(&c);
	if (r < 0)
		return r;

	/* Before the first table: one built during a shutdown must not queue. */
	(void)shutdown_watch_setup(&c);

	r = maps_adopt_existing(&c);
	if (r < 0)
		return r;
	r = discovery_coldplug(&c);
	if (r < 0)
		return r;
	maps_sync_dirty(&c);
	state_publish(&c);
	/*
	 * After the first snapshot: the API never shows an empty daemon that is
	 * still starting. The bus is connected now, or when it appears (at boot
	 * mpiod comes first), and again after it restarts: READY never waits.
	 */
	(void)dbus_setup(&c);

	c.ready = true;
	(void)sd_notify(0, "READY=1");
	notify_status(&c);
	log_msg(LOG_INFO, "mpiod %s ready: %zu maps, %zu paths, start-up took %llu ms", mp_version(),
		c.n_maps, c.n_paths, (unsigned long long)(now_usec() - t0) / 1000);
	r = sd_event_loop(c.event);
	if (r < 0)
		return log_errno(LOG_ERR, r, "event loop failed");
	return 0;
}

int main(int argc, char *argv[])
{
	return run(argc, argv) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
