/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's model: the Context, the paths (struct dpath: a "daemon path",
 * one claimed SCSI disk) and the maps (struct dmap: one mpio map per WWID),
 * their lookups and lifecycles, their resolved settings, and the dirty
 * marks: a map to compare with the kernel's table, a state to publish. A
 * mark only sets flags; who acts on them is above (maps.c syncs, state.c
 * publishes, both from mpiod.c's post hook).
 *
 * Everything here lives on the event-loop thread. The only data other
 * threads see are the checker pool's (through its fd) and the published
 * snapshot (state.c).
 */
#ifndef MPIOD_MODEL_H
#define MPIOD_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <libudev.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "libmp.h"
#include "macro.h"

struct dmap;

/*
 * Event source priorities (lower runs first when several are pending): a
 * D-Bus request is answered before the next batch of a uevent storm is
 * taken in, and uevents, which only mark maps dirty, wait behind the rest.
 */
#define PRIORITY_BUS (SD_EVENT_PRIORITY_NORMAL - 10)
#define PRIORITY_UEVENT (SD_EVENT_PRIORITY_NORMAL + 10)

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
	char *wwid;			/* the WWID its uuid holds */
	char *path_wwid;		/* its paths' WWID where that differs: made by an older
					 * mpio, which read the LU's WWID another way (discovery.c) */
	char *adopted_table;		/* the kernel's table when adopted, until its first sync */
	uint64_t size;			/* sectors */
	struct dpath **paths;
	size_t n_paths, cap_paths;
	bool exists;			/* the dm map exists */
	bool inactive;			/* created with its table not live yet (maps_sync_dirty()) */
	bool adopting;			/* found at start-up, not yet compared */
	bool dirty;			/* to compare with the kernel's table, reload if needed */
	uint64_t dirty_since;		/* when it became dirty (CLOCK_MONOTONIC usec): the oldest goes first */
	char reason[256];		/* why it is dirty, for the log */
	struct mp_settings settings;	/* resolved; origins owned by the current config */
	sd_event_source *remove_timer;	/* maps.c */
	sd_event_source *failback_timer; /* failover.c */
};

struct state_publisher;
struct polkit_query;
struct udev_batch;

typedef struct Context {
	/* mpiod.c: options and the loop */
	int log_max_priority;
	char *config_dir;
	char *state_file;
	char *pid_file;
	bool pid_file_written;
	bool ready;			/* start-up is over: READY=1 was sent */
	struct mp_ctx *mp;
	sd_event *event;

	/* reload.c: the running configuration */
	struct mp_config *cfg;
	struct mp_supported *supported;
	bool supported_read;		/* from its file (false: there was none, nothing is claimed) */

	/* model.c */
	struct dpath **paths;
	size_t n_paths, cap_paths;
	struct dmap **maps;
	size_t n_maps, cap_maps;
	uint64_t next_path_id;
	uint64_t first_dirty;		/* when the first change of a map since its last sync came, 0: none */
	uint64_t last_dirty;		/* when the latest came */
	bool state_dirty;		/* to publish a new snapshot */

	/* discovery.c */
	struct udev *udev;
	struct udev_monitor *monitor;
	sd_event_source *monitor_source;

	/* maps.c: the deferred sync of dirty maps, and udev's work on the maps it made */
	sd_event_source *sync_timer;
	struct udev_batch *batches;
	size_t n_batches;
	sd_event_source *batch_timer;

	/* check.c */
	struct mp_checker_pool *checkers;
	sd_event_source *checker_source;
	sd_event_source *tick_timer;

	/* state.c */
	struct state_publisher *state;

	/* dbus.c: the system bus, connected when it appears and again after it restarts */
	sd_bus *bus;			/* waiting for the bus, connecting or connected; NULL between */
	bool bus_named;			/* we own org.mpio.Manager1: the API is up */
	bool bus_lost;			/* lost it: logged, not logged again until named again */
	uint64_t bus_since;		/* when the current connection was set up, usec */
	uint64_t bus_backoff;		/* delay of the next reconnection, usec */
	sd_event_source *bus_retry;	/* the reconnection */
	struct polkit_query *polkit_queries;	/* polkit.c: callers polkit is asked about */

	/* shutdown.c: systemd's jobs, watched over its private socket */
	sd_bus *systemd;
	sd_event_source *systemd_retry;
	bool shutting_down;		/* the system's shutdown has begun: maps do not queue */
} Context;

/* Paths */
struct dpath *path_by_devt(Context *c, dev_t devt);
struct dpath *path_by_id(Context *c, uint64_t id);
/* By kernel name ("sdc"). */
struct dpath *path_by_name(Context *c, const char *name);
/* By kernel name ("sdc", "/dev/sdc") or "major:minor"; NULL if unknown. */
struct dpath *path_lookup(Context *c, const char *name);
/* Unlink from the context (and its map, if any) and free. */
void path_free(Context *c, struct dpath *p);

/* Maps */
/* The map of a WWID: the one its uuid holds, or its paths' (path_wwid). */
struct dmap *map_by_wwid(Context *c, const char *wwid);
struct dmap *map_by_name(Context *c, const char *name);
struct dmap *map_get_or_new(Context *c, const char *wwid);
int map_add_path(Context *c, struct dmap *m, struct dpath *p);
void map_remove_path(struct dmap *m, struct dpath *p);
void map_free(Context *c, struct dmap *m);
/*
 * The dirty maps, the longest dirty first, in a new array (NULL when none);
 * a sync that stops before the end takes the rest first the next time.
 */
int maps_dirty_oldest_first(Context *c, struct dmap ***ret, size_t *ret_n);
/* The settings of every map, from the running configuration again. */
void maps_resolve_settings(Context *c);

/* Marks: flags only. */
_printf_(3, 4) void map_mark_dirty(Context *c, struct dmap *m, const char *fmt, ...);
static inline void state_mark_dirty(Context *c)
{
	c->state_dirty = true;
}

#endif
