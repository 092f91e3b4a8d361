/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The published snapshot (state.c): immutable once published. Its readers
 * are the state-file thread and the D-Bus API (dbus.c), told of each new
 * one by a callback.
 */
#ifndef MPIOD_STATE_H
#define MPIOD_STATE_H

#include <urcu/urcu-memb.h>

#include "model.h"

struct snap_map;

struct snap_path {
	const struct snap_map *map;	/* the map it is in, in the same snapshot */
	char name[32];
	char devnum[24];
	bool failed;
	enum mp_alua_state alua;
	enum mp_transport transport;
	bool admin_failed;	/* failed by an admin: the checker leaves it failed */
	/* from the kernel's status */
	unsigned group;		/* 1-based; 0: not in the loaded table */
	bool kernel_active;
	unsigned fail_count;
	bool has_stats;
	uint64_t ios, bytes, errors, avg_lat_us;
};

struct snap_group {
	enum mp_group_state state;
	size_t n_paths;
	size_t *paths;		/* indexes into the map's paths */
};

/*
 * One resolved setting: its config key, its value as mpio.conf writes it,
 * where it came from. Value and origin are valid UTF-8 (D-Bus strings): a
 * byte that is not is written "\xNN".
 */
struct snap_setting {
	const char *key;	/* static (mp_setting_to_string()) */
	char *value;
	char *origin;
};

struct snap_map {
	char *name;		/* NULL: not created yet */
	char *wwid;
	size_t n_settings;	/* every setting with a value (an unset Alias= has none) */
	struct snap_setting *settings;
	uint64_t size;
	bool exists, dirty;
	size_t n_paths;
	struct snap_path *paths;
	char vendor[16], product[32];
	enum mp_selector selector;
	/* from the kernel's status; no groups when the map does not exist or its status is unreadable */
	bool queue_io;
	enum mp_queueing queueing;	/* with no usable path: queue, fail, or expired */
	unsigned current_group;
	size_t n_groups;
	struct snap_group *groups;
};

struct snapshot {
	struct rcu_head rcu;
	uint64_t generation;
	uint64_t published_usec;
	char *config_dir;
	size_t n_maps;
	struct snap_map *maps;
	/* snapshot_find_map() and _path(): the named maps and their paths by name */
	struct mp_index maps_by_name;	/* positions in maps */
	struct mp_index paths_by_name;	/* positions in paths */
	const struct snap_path **paths;
	size_t n_paths;
};

/*
 * In snapshot s (NULL: none), the map named name and the path named dev of
 * a named map (the first, if two have it); NULL if there is none.
 */
const struct snap_map *snapshot_find_map(const struct snapshot *s, const char *name);
const struct snap_path *snapshot_find_path(const struct snapshot *s, const char *dev);

/*
 * The current snapshot: call on the loop thread (registered with RCU), or on
 * another registered thread between urcu_memb_read_lock() and _unlock(). May be NULL.
 */
const struct snapshot *state_current(Context *c);

int state_setup(Context *c);
void state_teardown(Context *c);
/* Loop thread: publish a snapshot of the model now (the subscriber is told). */
void state_publish(Context *c);
/* Ask the state-file thread to write the current snapshot. */
void state_request_dump(Context *c);
/* Called on the loop thread with each new snapshot and the one it replaces (NULL at first). */
typedef void (*state_changed_fn)(Context *c, const struct snapshot *old, const struct snapshot *new);
void state_subscribe(Context *c, state_changed_fn fn);

#endif
