/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's view for `multipathctl show` (show-read.h), as `multipath
 * -ll` reads it when no daemon runs: the maps of the "mpio" target and of
 * the kernel's own "multipath" target (multipath-tools' maps, marked with
 * their target), each from its table (features, hardware handler, each
 * group's selector and devices) and its status (group states, each path
 * usable or failed, its failures, queueing); and what only sysfs knows, for
 * this view and mpiod's alike: dm-N, H:C:T:L, the SCSI device state.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "macro.h"
#include "show-read.h"
#include "sysfs.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_map_table *, mp_map_table_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_map_status *, mp_map_status_free);

static const char *const targets[] = { MP_DM_TARGET, MP_DM_TARGET_MULTIPATH };

static int set_string(char **field, const char *s)
{
	if (!s)
		return 0;
	free(*field);
	*field = strdup(s);
	return *field ? 0 : -ENOMEM;
}

/* The paths of group g (0-based) of map, from its table and, if it has one, its status. */
static int add_group(struct show_model *m, struct show_map *map, const char *sysfs_root,
		     const struct mp_map_table_group *tg, const struct mp_map_group_status *sg)
{
	struct show_group *grp = &map->groups[map->n_groups++];
	int r;

	grp->state = sg ? sg->state : _MP_GROUP_STATE_INVALID;
	r = set_string(&grp->selector, tg->selector);
	if (r < 0)
		return r;
	for (unsigned k = 0; k < tg->n_paths; k++) {
		const struct mp_map_path_status *ps = sg && k < sg->n_paths ? &sg->paths[k] : NULL;
		_cleanup_free_ char *name = sysfs_devt_name(sysfs_root, tg->devs[k]);
		struct show_path *p = show_model_new_path(m);
		char devt[32];

		if (!p)
			return -ENOMEM;
		/* The status lists the table's devices in its order: trust it only where they agree. */
		if (ps && snprintf(devt, sizeof(devt), "%u:%u", ps->major, ps->minor) > 0 &&
		    strcmp(devt, tg->devs[k]) != 0)
			ps = NULL;
		if (set_string(&p->devt, tg->devs[k]) < 0 || set_string(&p->dev, name ?: tg->devs[k]) < 0 ||
		    set_string(&p->map, map->name) < 0 || show_group_add_dev(grp, p->dev) < 0)
			return -ENOMEM;
		p->group = map->n_groups;
		if (ps) {
			p->dm = ps->active ? SHOW_DM_ACTIVE : SHOW_DM_FAILED;
			p->failed = !ps->active;
			p->fail_count = ps->fail_count;
		}
	}
	return 0;
}

/*
 * Map name of target type target: 0, or a negative errno (-ENXIO: it went
 * away since it was listed; -EMEDIUMTYPE: its table is another target's
 * now). A map that cannot be read is said and left out; the others are shown.
 */
static int read_map(struct show_model *m, struct mp_ctx *ctx, const char *sysfs_root,
		    const struct mp_dm_map *dm, const char *target)
{
	_cleanup_free_ char *table = NULL, *status = NULL;
	_cleanup_(mp_map_table_freep) struct mp_map_table *t = NULL;
	_cleanup_(mp_map_status_freep) struct mp_map_status *st = NULL;
	struct show_map *map;
	uint64_t sectors = 0;
	int r;

	r = mp_dm_get_table_of(ctx, dm->name, target, &table, &sectors);
	if (r >= 0)
		r = mp_dm_parse_table(table, &t);
	if (r < 0)
		return r;
	/* A map without status still shows its table. */
	if (mp_dm_get_status_of(ctx, dm->name, target, &status) < 0 ||
	    mp_dm_parse_status(status, &st) < 0 || st->n_groups != t->n_groups)
		st = mp_map_status_free(st);

	map = show_model_new_map(m);
	if (!map)
		return -ENOMEM;
	if (set_string(&map->name, dm->name) < 0 || set_string(&map->target, target) < 0 ||
	    set_string(&map->wwid, mp_uuid_to_wwid(dm->uuid)) < 0 ||
	    set_string(&map->features, t->features) < 0 ||
	    set_string(&map->hw_handler, t->hw_handler) < 0)
		return -ENOMEM;
	map->size = sectors * 512;
	/* The kernel's multipath target lists queue_if_no_path only while it queues. */
	if (strcmp(target, MP_DM_TARGET_MULTIPATH) == 0)
		map->queueing = t->queue_if_no_path ? MP_QUEUEING_ON : MP_QUEUEING_OFF;
	if (st) {
		if (strcmp(target, MP_DM_TARGET) == 0)
			map->queueing = st->queueing;
		map->queue_io = st->queue_io;
		map->current_group = st->current_group;
	}
	map->groups = calloc(t->n_groups ?: 1, sizeof(*map->groups));
	if (!map->groups)
		return -ENOMEM;
	for (unsigned g = 0; g < t->n_groups; g++) {
		r = add_group(m, map, sysfs_root, &t->groups[g], st ? &st->groups[g] : NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

int show_kernel_read(struct show_model *m, struct mp_ctx *ctx, const char *sysfs_root)
{
	m->source = SHOW_FROM_KERNEL;
	if (ctl_dm_available("show") < 0)
		return EXIT_FAIL;
	for (size_t i = 0; i < ARRAY_SIZE(targets); i++) {
		struct mp_dm_map *maps = NULL;
		size_t n = 0;
		int r;

		r = mp_dm_list_maps(ctx, targets[i], &maps, &n);
		if (r < 0) {
			fprintf(stderr, "multipathctl show: cannot list the device-mapper maps: %s\n",
				strerror(-r));
			return EXIT_FAIL;
		}
		for (size_t k = 0; k < n && r != -ENOMEM; k++) {
			r = read_map(m, ctx, sysfs_root, &maps[k], targets[i]);
			/* Removed or replaced since it was listed: not there any more. */
			if (r < 0 && r != -ENXIO && r != -EMEDIUMTYPE)
				fprintf(stderr, "multipathctl show: map %s: cannot read it: %s\n",
					maps[k].name, strerror(-r));
		}
		mp_dm_maps_free(maps, n);
		if (r == -ENOMEM) {
			fprintf(stderr, "multipathctl show: out of memory\n");
			return EXIT_FAIL;
		}
	}
	show_model_sort(m);
	return 0;
}

/* ---- What only the kernel knows, for either view ---- */

static void add_map_facts(struct show_model *m, struct mp_ctx *ctx, const char *block_dir,
			  bool dm_readable)
{
	_cleanup_(closedirp) DIR *d = opendir(block_dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		_cleanup_free_ char *name = NULL, *suspended = NULL;
		struct show_map *map;

		if (strncmp(de->d_name, "dm-", 3) != 0)
			continue;
		name = sysfs_block_attr(block_dir, de->d_name, "dm/name");
		map = show_model_find_map(m, name);
		if (!map || map->dev)
			continue;
		map->dev = strdup(de->d_name);
		map->devt = sysfs_block_attr(block_dir, de->d_name, "dev");
		suspended = sysfs_block_attr(block_dir, de->d_name, "dm/suspended");
		if (!map->state && suspended)
			map->state = strdup(strcmp(suspended, "1") == 0 ? "suspended" : "active");
	}
	for (size_t i = 0; dm_readable && i < m->n_maps; i++) {
		struct show_map *map = &m->maps[i];
		_cleanup_free_ char *table = NULL;
		_cleanup_(mp_map_table_freep) struct mp_map_table *t = NULL;

		if (map->features && map->hw_handler)
			continue;
		if (mp_dm_get_table_of(ctx, map->name, map->target, &table, NULL) < 0 ||
		    mp_dm_parse_table(table, &t) < 0)
			continue;
		if (!map->features)
			map->features = strdup(t->features);
		if (!map->hw_handler)
			map->hw_handler = strdup(t->hw_handler);
	}
}

static void add_path_facts(struct show_path *p, struct mp_ctx *ctx, const char *sysfs_root)
{
	_cleanup_(mp_path_unrefp) struct mp_path *mp = NULL;
	unsigned h, c, t;
	uint64_t l;

	if (!p->dev || mp_path_new_from_sysfs(ctx, sysfs_root, p->dev, &mp) < 0)
		return;
	if (!p->hctl && mp_path_get_scsi_address(mp, &h, &c, &t, &l) == 0 &&
	    asprintf(&p->hctl, "%u:%u:%u:%" PRIu64, h, c, t, l) < 0)
		p->hctl = NULL;
	p->dev_state = mp_path_get_scsi_state(mp);
	if (p->alua == MP_ALUA_UNKNOWN)
		p->alua = mp_path_get_alua_state(mp);
	if (p->transport < 0)
		p->transport = mp_path_get_transport(mp);
	if (!p->vendor)
		(void)set_string(&p->vendor, mp_path_get_vendor(mp));
	if (!p->product)
		(void)set_string(&p->product, mp_path_get_product(mp));
	if (!p->size)
		p->size = mp_path_get_size(mp);
	if (!p->devt) {
		dev_t devt = mp_path_get_devt(mp);

		if (asprintf(&p->devt, "%u:%u", major(devt), minor(devt)) < 0)
			p->devt = NULL;
	}
}

void show_kernel_add_facts(struct show_model *m, struct mp_ctx *ctx, const char *sysfs_root,
			   bool paths)
{
	_cleanup_free_ char *block_dir = NULL;

	if (asprintf(&block_dir, "%s/block", sysfs_root ?: "/sys") < 0)
		return;
	add_map_facts(m, ctx, block_dir, ctl_dm_available(NULL) >= 0);
	for (size_t i = 0; paths && i < m->n_paths; i++)
		add_path_facts(&m->paths[i], ctx, sysfs_root);
	/* A map of the kernel's view has its device's vendor and product from its paths. */
	for (size_t i = 0; i < m->n_paths; i++) {
		const struct show_path *p = &m->paths[i];
		struct show_map *map = show_model_find_map(m, p->map);

		if (map && !map->vendor && p->vendor)
			(void)set_string(&map->vendor, p->vendor);
		if (map && !map->product && p->product)
			(void)set_string(&map->product, p->product);
	}
}
