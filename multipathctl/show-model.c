/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model of `multipathctl show` (show-model.h): its memory, order,
 * lookups, and the values derived from it (prios, usable paths).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "show-model.h"

void show_model_done(struct show_model *m)
{
	for (size_t i = 0; i < m->n_maps; i++) {
		struct show_map *map = &m->maps[i];

		free(map->name), free(map->wwid), free(map->dev), free(map->devt), free(map->target);
		free(map->vendor), free(map->product), free(map->state), free(map->features);
		free(map->hw_handler);
		for (size_t g = 0; g < map->n_groups; g++) {
			free(map->groups[g].selector);
			for (size_t k = 0; k < map->groups[g].n_paths; k++)
				free(map->groups[g].devs[k]);
			free(map->groups[g].devs);
		}
		free(map->groups);
		for (size_t k = 0; k < map->n_settings; k++)
			free(map->settings[k].key), free(map->settings[k].value),
				free(map->settings[k].origin);
		free(map->settings);
	}
	for (size_t i = 0; i < m->n_paths; i++) {
		struct show_path *p = &m->paths[i];

		free(p->dev), free(p->devt), free(p->map), free(p->checker), free(p->hctl);
		free(p->vendor), free(p->product);
	}
	free(m->maps);
	free(m->paths);
	*m = (struct show_model){ .source = m->source };
}

struct show_map *show_model_new_map(struct show_model *m)
{
	struct show_map *a = reallocarray(m->maps, m->n_maps + 1, sizeof(*a));

	if (!a)
		return NULL;
	m->maps = a;
	a[m->n_maps] = (struct show_map){ .queueing = MP_QUEUEING_UNKNOWN };
	return &a[m->n_maps++];
}

struct show_path *show_model_new_path(struct show_model *m)
{
	struct show_path *a = reallocarray(m->paths, m->n_paths + 1, sizeof(*a));

	if (!a)
		return NULL;
	m->paths = a;
	a[m->n_paths] = (struct show_path){
		.dev_state = MP_SCSI_UNKNOWN,
		.alua = MP_ALUA_UNKNOWN,
		.transport = _MP_TRANSPORT_INVALID,
	};
	return &a[m->n_paths++];
}

int show_group_add_dev(struct show_group *g, const char *dev)
{
	char **d = reallocarray(g->devs, g->n_paths + 1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	g->devs = d;
	d[g->n_paths] = strdup(dev);
	if (!d[g->n_paths])
		return -ENOMEM;
	g->n_paths++;
	return 0;
}

/* sda < sdb < sdz < sdaa: shorter names first, then by bytes. */
static int dev_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
}

static int map_cmp(const void *a, const void *b)
{
	return strcmp(((const struct show_map *)a)->name ?: "", ((const struct show_map *)b)->name ?: "");
}

static int path_cmp(const void *a, const void *b)
{
	return dev_cmp(((const struct show_path *)a)->dev ?: "", ((const struct show_path *)b)->dev ?: "");
}

void show_model_sort(struct show_model *m)
{
	sort_array(m->maps, m->n_maps, sizeof(*m->maps), map_cmp);
	sort_array(m->paths, m->n_paths, sizeof(*m->paths), path_cmp);
}

const struct show_path *show_model_find_path(const struct show_model *m, const char *dev)
{
	struct show_path key = { .dev = (char *)dev };

	if (!dev || m->n_paths == 0)
		return NULL;
	return bsearch(&key, m->paths, m->n_paths, sizeof(*m->paths), path_cmp);
}

struct show_map *show_model_find_map(struct show_model *m, const char *name)
{
	struct show_map key = { .name = (char *)name };

	if (!name || m->n_maps == 0)
		return NULL;
	return bsearch(&key, m->maps, m->n_maps, sizeof(*m->maps), map_cmp);
}

int show_path_prio(const struct show_path *p)
{
	switch (p->alua) {
	case MP_ALUA_OPTIMIZED:
		return 50;
	case MP_ALUA_NONOPTIMIZED:
		return 10;
	case MP_ALUA_STANDBY:
		return 1;
	case MP_ALUA_UNKNOWN:
		return -1;
	default: /* unavailable, offline, transitioning */
		return 0;
	}
}

int show_group_prio(const struct show_model *m, const struct show_group *g)
{
	int best = -1;
	bool usable = false;

	for (size_t k = 0; k < g->n_paths; k++) {
		const struct show_path *p = show_model_find_path(m, g->devs[k]);
		int prio = p ? show_path_prio(p) : -1;

		if (!p || prio < 0)
			continue;
		if (!p->failed && (!usable || prio > best)) {
			best = prio;
			usable = true;
		} else if (!usable)
			best = 0;
	}
	return best;
}

size_t show_map_paths(const struct show_model *m, const struct show_map *map, size_t *ret_usable)
{
	size_t n = 0, usable = 0;

	for (size_t i = 0; i < m->n_paths; i++)
		if (m->paths[i].map && map->name && strcmp(m->paths[i].map, map->name) == 0) {
			n++;
			usable += !m->paths[i].failed;
		}
	*ret_usable = usable;
	return n;
}
