/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system's shutdown, seen from its start.
 *
 * A map that queues I/O while no path is usable holds every writer, and at a
 * shutdown that includes the last sync and the unmount of each file system
 * on it: with every path gone, the host never powers off. mpiod itself stops
 * late in the shutdown, after the local file systems are unmounted (it must
 * keep serving the maps until then), so turning queueing off only when it
 * stops comes too late for them.
 *
 * So mpiod watches systemd's jobs over systemd's private socket (there from
 * the start of the boot to the end of the shutdown, also when dbus-daemon is
 * not running): when a job for shutdown.target appears (poweroff, reboot,
 * halt and kexec all pull it in), the shutdown has begun. From then on every
 * mpio map fails I/O when it has no usable path, instead of queueing it, and
 * every table mpiod loads has no queue_if_no_path: a path that returns does
 * not turn queueing on again. Maps with a usable path carry I/O as before.
 *
 * When mpiod stops (SIGTERM) it asks systemd whether the system is stopping,
 * in case the watch missed the start (mpiod was started during the
 * shutdown, or systemd was re-executed at that moment); SIGUSR2 is the stop
 * for a shutdown under other init systems.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "model.h"
#include "shutdown.h"

#define SYSTEMD_PRIVATE_SOCKET "/run/systemd/private"
#define SHUTDOWN_TARGET "shutdown.target"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER "org.freedesktop.systemd1.Manager"
#define SYSTEMD_NAME "org.freedesktop.systemd1"
#define RECONNECT_USEC (1000 * 1000ULL)
#define STATE_STOPPING "stopping"	/* the Manager's SystemState during a shutdown */

static int shutdown_connect(Context *c);

/* A new, unstarted connection to systemd's private socket. */
static int systemd_bus_new(sd_bus **ret)
{
	int r = sd_bus_new(ret);

	if (r >= 0)
		r = sd_bus_set_address(*ret, "unix:path=" SYSTEMD_PRIVATE_SOCKET);
	return r;
}

/*
 * At shutdown: no map may hold I/O for a path that will never come back, or
 * the last sync and unmount would hang and the host would not power off.
 * Every mpio map in the kernel (adopted or not: a map of the mpio target
 * with a map uuid; never multipath-tools' maps of the multipath target)
 * fails I/O from now on when it has no usable path; I/O already queued
 * fails now.
 */
void queueing_off(Context *c)
{
	struct mp_dm_map *maps = NULL;
	size_t n = 0, done = 0;
	int r;

	r = mp_dm_list_maps(c->mp, NULL, &maps, &n);
	if (r < 0) {
		log_errno(LOG_ERR, r, "cannot list the maps to turn queueing off");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!mp_uuid_to_wwid(maps[i].uuid))
			continue;
		r = mp_dm_message(c->mp, maps[i].name, "fail_if_no_path");
		if (r < 0)
			log_errno(LOG_ERR, r, "map %s: cannot turn queueing off", maps[i].name);
		else
			done++;
	}
	mp_dm_maps_free(maps, n);
	log_msg(LOG_INFO, "queueing turned off on %zu maps", done);
}

void shutdown_begin(Context *c, const char *why)
{
	if (c->shutting_down)
		return;
	c->shutting_down = true;
	log_msg(LOG_NOTICE, "the system is shutting down (%s): from now on a map with no "
		"usable path fails I/O instead of queueing it", why);
	/* Every table built from now on leaves queue_if_no_path out (map_resolve()). */
	maps_resolve_settings(c);
	queueing_off(c);
	state_mark_dirty(c);
}

/*
 * Is the system shutting down? Asked of systemd (its Manager's SystemState
 * is "stopping") over its private socket, which works after dbus-daemon has
 * stopped, as it has by the time mpiod stops at shutdown. Without systemd,
 * or if it does not answer within 2 s: no.
 */
bool system_shutting_down(void)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *state = NULL;
	int r;

	if (sd_booted() <= 0)
		return false;
	r = systemd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_method_call_timeout(bus, 2 * 1000000ULL);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r >= 0)
		r = sd_bus_get_property_string(bus, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER,
					       "SystemState", &error, &state);
	if (r < 0) {
		log_errno(LOG_WARNING, r, "cannot ask systemd whether the system is shutting down, "
			  "assuming not");
		return false;
	}
	log_msg(LOG_DEBUG, "systemd's state: %s", state);
	return strcmp(state, STATE_STOPPING) == 0;
}

/* JobNew(u id, o job, s unit): a job was queued. */
static int on_job_new(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	Context *c = userdata;
	const char *unit = NULL;
	uint32_t id;
	const char *job;

	if (sd_bus_message_read(m, "uos", &id, &job, &unit) < 0 || !unit)
		return 0;
	if (strcmp(unit, SHUTDOWN_TARGET) == 0)
		shutdown_begin(c, "systemd queued " SHUTDOWN_TARGET);
	return 0;
}

/* Subscribed: signals come from now on. The shutdown may have begun before. */
static int on_state_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	Context *c = userdata;
	const char *state = NULL;

	if (sd_bus_message_is_method_error(reply, NULL) ||
	    sd_bus_message_read(reply, "v", "s", &state) < 0 || !state)
		return 0;
	if (strcmp(state, STATE_STOPPING) == 0)
		shutdown_begin(c, "systemd's state is \"stopping\"");
	return 0;
}

static int on_subscribed(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	Context *c = userdata;
	const sd_bus_error *e = sd_bus_message_get_error(reply);
	int r;

	if (e) {
		log_msg(LOG_WARNING, "systemd refused to send its job signals (%s): the start of a "
			"shutdown is seen only when mpiod stops", e->message ?: e->name);
		return 0;
	}
	r = sd_bus_call_method_async(c->systemd, NULL, SYSTEMD_NAME, SYSTEMD_PATH,
				     "org.freedesktop.DBus.Properties", "Get", on_state_reply, c,
				     "ss", SYSTEMD_MANAGER, "SystemState");
	if (r < 0)
		log_errno(LOG_WARNING, r, "cannot ask systemd for its state");
	return 0;
}

static int on_reconnect(sd_event_source *s, uint64_t usec, void *userdata)
{
	Context *c = userdata;

	c->systemd_retry = sd_event_source_disable_unref(c->systemd_retry);
	c->systemd = sd_bus_flush_close_unref(c->systemd);
	(void)shutdown_connect(c);
	return 0;
}

/* systemd closed the connection (daemon-reexec): connect again. */
static int on_systemd_message(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	Context *c = userdata;
	int r;

	if (!sd_bus_message_is_signal(m, "org.freedesktop.DBus.Local", "Disconnected"))
		return 0;
	if (c->systemd_retry)
		return 1;
	/* Not from inside the connection's own dispatch: from a timer. */
	r = sd_event_add_time_relative(c->event, &c->systemd_retry, CLOCK_MONOTONIC, RECONNECT_USEC,
				       100 * 1000, on_reconnect, c);
	if (r < 0)
		log_errno(LOG_WARNING, r, "cannot arm the reconnection to systemd");
	return 1;
}

static int shutdown_connect(Context *c)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	int r;

	r = systemd_bus_new(&bus);
	/* After a daemon-reexec the socket comes back: wait for it without blocking. */
	if (r >= 0)
		r = sd_bus_set_watch_bind(bus, true);
	if (r >= 0)
		r = sd_bus_add_filter(bus, NULL, on_systemd_message, c);
	/* A direct connection: no bus daemon to send the signal's sender or to match on it. */
	if (r >= 0)
		r = sd_bus_match_signal(bus, NULL, NULL, SYSTEMD_PATH, SYSTEMD_MANAGER, "JobNew",
					on_job_new, c);
	if (r >= 0)
		r = sd_bus_attach_event(bus, c->event, SD_EVENT_PRIORITY_NORMAL);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r >= 0)
		r = sd_bus_call_method_async(bus, NULL, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER,
					     "Subscribe", on_subscribed, c, NULL);
	if (r < 0)
		return log_errno(LOG_WARNING, r, "cannot watch systemd's jobs: the start of a shutdown "
				 "is seen only when mpiod stops");
	c->systemd = TAKE_PTR(bus);
	return 0;
}

int shutdown_watch_setup(Context *c)
{
	if (sd_booted() <= 0)
		return 0; /* no systemd: SIGUSR2 is the shutdown's stop */
	return shutdown_connect(c);
}

void shutdown_watch_teardown(Context *c)
{
	c->systemd_retry = sd_event_source_disable_unref(c->systemd_retry);
	c->systemd = sd_bus_flush_close_unref(c->systemd);
}
