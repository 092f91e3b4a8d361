/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `multipathctl show` shows, as one model of the maps, their groups and
 * their paths (show-model.c). Two producers fill it:
 *
 *   show-bus.c     mpiod's view, over D-Bus: its verdict on each path (the
 *                  checker's), the settings and where they come from;
 *   show-kernel.c  the kernel's view, without mpiod: device-mapper's tables
 *                  and status of the "mpio" and "multipath" targets;
 *
 * then show_kernel_add_facts() (show-kernel.c) adds to either what only the
 * kernel knows: the maps' dm-N and table (features, hardware handler), the
 * paths' H:C:T:L and SCSI device state from sysfs. The output
 * (show-fields.c, show-print.c) reads the model alone, whichever filled it.
 *
 * Strings are owned by the model. NULL, MP_*_UNKNOWN and the other
 * "unknown" values mean that the source does not say: printed "-", or null
 * in JSON.
 */
#ifndef MULTIPATHCTL_SHOW_MODEL_H
#define MULTIPATHCTL_SHOW_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libmp.h"

enum show_source {
	SHOW_FROM_DAEMON, /* mpiod's view (show-bus.c) */
	SHOW_FROM_KERNEL, /* dm and sysfs only (show-kernel.c) */
};

/* A path in the kernel's status: usable (A) or failed (F). */
enum show_dm_state {
	SHOW_DM_UNKNOWN, /* in no group of the loaded table */
	SHOW_DM_ACTIVE,
	SHOW_DM_FAILED,
};

struct show_path {
	char *dev;			/* "sdc" */
	char *devt;			/* "8:32" */
	char *map;			/* its map's name; NULL: in no map */
	unsigned group;			/* 1-based; 0: in no group of the loaded table */
	bool failed;			/* no I/O goes there: mpiod's verdict, else the kernel's */
	bool admin_failed;		/* failed with `fail path` (mpiod) */
	enum show_dm_state dm;
	unsigned fail_count;		/* the kernel's count of its failures */
	char *checker;			/* mpiod's verdict: "up", "down", "ghost"; NULL without mpiod */
	char *hctl;			/* "2:0:0:1" */
	enum mp_scsi_state dev_state;	/* sysfs device/state */
	enum mp_alua_state alua;
	enum mp_transport transport;	/* _MP_TRANSPORT_INVALID: unknown */
	char *vendor, *product;
	uint64_t size;			/* bytes; 0: unknown */
};

struct show_group {
	enum mp_group_state state;	/* _MP_GROUP_STATE_INVALID: unknown */
	char *selector;
	size_t n_paths;
	char **devs;			/* its paths' dev (show_model_find_path()) */
};

struct show_setting {
	char *key, *value, *origin;
};

struct show_map {
	char *name;
	char *wwid;
	char *dev;			/* "dm-3" */
	char *devt;			/* "254:3" */
	char *target;			/* MP_DM_TARGET, or MP_DM_TARGET_MULTIPATH: multipath-tools' */
	char *vendor, *product;
	uint64_t size;			/* bytes */
	char *state;			/* mpiod: "active", "pending"; the kernel: "active", "suspended" */
	bool reload_pending;		/* mpiod will reload its table */
	char *features;			/* of the loaded table, without the count; "" for none */
	char *hw_handler;		/* "alua"; "" for none */
	enum mp_queueing queueing;
	bool queue_io;			/* I/O is held now, for want of a usable path */
	unsigned current_group;		/* 1-based; 0: none */
	size_t n_groups;
	struct show_group *groups;	/* in table order: the first is the best */
	bool has_settings;		/* settings were read (mpiod, show map) */
	size_t n_settings;
	struct show_setting *settings;
};

struct show_model {
	enum show_source source;
	size_t n_maps;
	struct show_map *maps;		/* by name */
	size_t n_paths;
	struct show_path *paths;	/* by dev: sda < sdb < sdz < sdaa */
};

void show_model_done(struct show_model *m);

/* A new zeroed map or path at the end of the model's array; NULL on ENOMEM. */
struct show_map *show_model_new_map(struct show_model *m);
struct show_path *show_model_new_path(struct show_model *m);
/* Append a copy of dev to group g; 0 or -ENOMEM. */
int show_group_add_dev(struct show_group *g, const char *dev);
/* Sort maps by name and paths by dev (what the find functions need). */
void show_model_sort(struct show_model *m);
/* After show_model_sort(): the path named dev, the map named name, or NULL. */
const struct show_path *show_model_find_path(const struct show_model *m, const char *dev);
struct show_map *show_model_find_map(struct show_model *m, const char *name);

/*
 * The ALUA prio of a path, on multipath-tools' scale (its "alua"
 * prioritizer): active/optimized 50, active/non-optimized 10, standby 1,
 * unavailable, offline and transitioning 0; -1 for a path without ALUA.
 * mpio does not use it: it orders the groups by the best ALUA state of
 * their usable paths (mp_table_build()), which this scale agrees with.
 */
int show_path_prio(const struct show_path *p);
/* A group's prio: the best of its usable paths' (0 if none is usable); -1 if none has ALUA. */
int show_group_prio(const struct show_model *m, const struct show_group *g);
/* The map's paths, and how many of them are usable (not failed). */
size_t show_map_paths(const struct show_model *m, const struct show_map *map, size_t *ret_usable);

#endif
