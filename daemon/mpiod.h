/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mpiod internals, shared by its source files:
 *   mpiod.c      main, options, logging, signals, configuration (re)load
 *   discovery.c  coldplug and uevents: the set of paths
 *   maps.c       maps: naming, table building, create/adopt/reload/remove
 *   check.c      path checkers, reinstating, failback
 *   state.c      the published RCU snapshot and its reader thread
 *   dbus.c       the D-Bus API (org.mpio.Manager1), reading the snapshot
 *   shutdown.c   the system's shutdown: seen at its start, queueing off
 *
 * Everything here lives on the event-loop thread. The only data other
 * threads see are the checker pool's (through its fd) and the published
 * snapshot (state.c).
 */
#ifndef MPIOD_H
#define MPIOD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <libudev.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "libmp.h"
#include "macro.h"

#define MPIOD_STATE_FILE "/run/mpio/state"
#define MPIOD_PID_FILE "/run/mpio/mpiod.pid"
#define SYSTEMD_PRIVATE_SOCKET "/run/systemd/private"

struct dmap;

/* A SCSI disk claimed by the supported-device list, with a WWID. */
struct dpath {
	uint64_t id;			/* unique for the daemon's life: checker results name it */
	struct mp_path *mp;		/* the latest device model */
	char name[32];			/* "sdc" */
	char devnum[24];		/* "8:32" */
	dev_t devt;
	struct dmap *map;
	enum mp_alua_state alua;	/* latest seen in sysfs */
	bool failed;			/* the kernel or the checker says it is down */
	bool admin_failed;		/* failed over D-Bus: stays failed until reinstated there */
	bool standby_held;		/* answers, but is kept failed: standby among active paths */
	bool none_held;			/* failed, and PathChecker=none cannot say it works */
	bool reported;			/* failed, and udev reported the device since */
	bool check_pending;
	uint64_t next_check;		/* CLOCK_MONOTONIC usec */
};

/* One mpio map, existing or to be created. */
struct dmap {
	struct Context *ctx;
	char *name;			/* NULL until created or adopted */
	char *wwid;
	uint64_t size;			/* sectors */
	struct dpath **paths;
	size_t n_paths, cap_paths;
	bool exists;			/* the dm map exists */
	bool inactive;			/* created with its table not live yet (maps_sync_dirty()) */
	bool adopting;			/* found at start-up, not yet compared */
	bool dirty;			/* to compare with the kernel's table, reload if needed */
	char reason[256];		/* why it is dirty, for the log */
	struct mp_settings settings;	/* resolved; origins owned by the current config */
	sd_event_source *remove_timer;
	sd_event_source *failback_timer;
};

struct state_publisher;
struct snapshot;
struct polkit_query;

/* Maps created together, whose udev processing is awaited with one cookie. */
struct udev_batch {
	uint32_t cookie;
	uint64_t since;			/* CLOCK_MONOTONIC usec */
	size_t n_maps;
};

typedef struct Context {
	int log_max_priority;
	char *config_dir;
	char *state_file;
	char *pid_file;
	bool pid_file_written;
	struct mp_ctx *mp;
	sd_event *event;
	struct udev *udev;
	struct udev_monitor *monitor;
	sd_event_source *monitor_source;

	struct mp_config *cfg;
	struct mp_supported *supported;

	struct dpath **paths;
	size_t n_paths, cap_paths;
	struct dmap **maps;
	size_t n_maps, cap_maps;
	uint64_t next_path_id;

	sd_event_source *sync_timer;	/* the deferred reload of dirty maps */
	uint64_t first_dirty;		/* when the first pending change came, 0: none */
	/* udev's work on maps created after start-up, polled without blocking the loop */
	struct udev_batch *batches;
	size_t n_batches;
	sd_event_source *batch_timer;

	struct mp_checker_pool *checkers;
	sd_event_source *checker_source;
	sd_event_source *tick_timer;

	/* dbus.c: the system bus, connected when it appears and again after it restarts */
	sd_bus *bus;			/* waiting for the bus, connecting or connected; NULL between */
	bool bus_named;			/* we own org.mpio.Manager1: the API is up */
	bool bus_lost;			/* lost it: logged, not logged again until named again */
	uint64_t bus_since;		/* when the current connection was set up, usec */
	uint64_t bus_backoff;		/* delay of the next reconnection, usec */
	sd_event_source *bus_retry;	/* the reconnection */
	struct polkit_query *polkit_queries;	/* dbus.c: callers polkit is asked about */

	/* shutdown.c: systemd's jobs, watched over its private socket */
	sd_bus *systemd;
	sd_event_source *systemd_retry;
	bool shutting_down;		/* the system's shutdown has begun: maps do not queue */

	struct state_publisher *state;
	bool state_dirty;
	bool ready;
} Context;

/* mpiod.c: logging to stderr with "<N>" level prefixes. */
_printf_(2, 3) int log_msg(int priority, const char *fmt, ...);
/* Logs "...: strerror(r)" and returns r as a negative errno. */
_printf_(3, 4) int log_errno(int priority, int r, const char *fmt, ...);
void log_set_max_priority(int priority);
uint64_t now_usec(void);
/* A new "<path>.tmp" (its directory made if missing) to rename over path; NULL with errno. */
FILE *fopen_tmp_beside(const char *path, char **ret_tmp);
void notify_status(Context *c);
/* Reload the configuration and look at every path and map again (SIGHUP, D-Bus Reload). */
int daemon_reload(Context *c);

/* discovery.c */
int discovery_setup(Context *c);
int discovery_coldplug(Context *c);
struct dpath *path_by_devt(Context *c, dev_t devt);
struct dpath *path_by_id(Context *c, uint64_t id);
void path_free(Context *c, struct dpath *p);
/* By kernel name ("sdc", "/dev/sdc") or "major:minor"; NULL if unknown. */
struct dpath *path_lookup(Context *c, const char *name);
/* Look at block device name as a new uevent would: 0 if it is a claimed path now, -ENODEV, -ENOENT. */
int discovery_add_path(Context *c, const char *name);
/* Forget a path (until its next uevent or a reload). */
void discovery_remove_path(Context *c, struct dpath *p, const char *why);

/* maps.c */
struct dmap *map_by_wwid(Context *c, const char *wwid);
struct dmap *map_by_name(Context *c, const char *name);
struct dmap *map_get_or_new(Context *c, const char *wwid);
int map_add_path(struct Context *c, struct dmap *m, struct dpath *p);
void map_remove_path(struct dmap *m, struct dpath *p);
_printf_(3, 4) void map_mark_dirty(Context *c, struct dmap *m, const char *fmt, ...);
int maps_adopt_existing(Context *c);
void maps_sync_dirty(Context *c);
void maps_resolve_settings(Context *c);
void map_free(Context *c, struct dmap *m);
int map_remove_partitions(Context *c, struct dmap *m, bool deferred, char **ret_open);
int map_send_path_message(Context *c, struct dmap *m, const char *verb, struct dpath *p);
void map_failback(Context *c, struct dmap *m, bool timer_fired);
void maps_finish_batches(Context *c);

/* check.c */
int check_setup(Context *c);
void check_soon(Context *c, struct dpath *p, uint64_t delay_usec);
void check_device_reported(Context *c, struct dpath *p, bool uevent);

/* state.c */
int state_setup(Context *c);
void state_publish(Context *c);
void state_request_dump(Context *c);
void state_teardown(Context *c);
void state_mark_dirty(Context *c);

/* dbus.c */
/* Connect to the system bus now or when it appears, and again whenever it goes away. */
int dbus_setup(Context *c);
void dbus_teardown(Context *c);
/* From state_publish(): emit the signals for what changed between two snapshots (old may be NULL). */
void dbus_state_changed(Context *c, const struct snapshot *old, const struct snapshot *new);

/* shutdown.c */
/* Watch systemd for the start of a shutdown (nothing without systemd). */
int shutdown_watch_setup(Context *c);
void shutdown_watch_teardown(Context *c);
/* The shutdown has begun: from now on no map queues I/O without a usable path. */
void shutdown_begin(Context *c, const char *why);
/* Asks systemd now; false without systemd or an answer. */
bool system_shutting_down(void);
/* Every mpio map in the kernel fails I/O when it has no usable path. */
void queueing_off(Context *c);

DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_path *, mp_path_unref);

#endif
