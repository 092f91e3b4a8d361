/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Map sync: one map per WWID of claimed paths. A change (a path added,
 * removed, regrouped, a new configuration) marks the map dirty (model.c),
 * and after the dispatch that marked it one short timer is armed
 * (maps_schedule_sync() from mpiod.c's post hook); when it fires, every dirty
 * map is synced once (in slices, once mpiod is ready): the table it should
 * have is built and compared with the one the kernel runs, and the map is
 * created, or reloaded only when they differ. So a burst of N uevents makes
 * one reload per affected map, and a restarted daemon adopts the maps it
 * finds without touching them when nothing changed.
 *
 * Tables are built with every path usable: a failed path is told to the
 * kernel with "fail_path" after the load. So the table depends only on the
 * topology, the ALUA states and the settings, and does not churn with path
 * failures (the kernel switches groups on its own).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "log.h"
#include "model.h"
#include "failover.h"
#include "check.h"
#include "maps.h"

#define SYNC_DELAY_USEC (100 * 1000)	/* after the last change */
#define SYNC_MAX_DELAY_USEC (1000 * 1000) /* after the first one, whatever follows */
/*
 * Once mpiod is ready, the sync timer's dispatch syncs maps for at most this
 * long; the maps still dirty go at the next, after any D-Bus call or check
 * that came meanwhile. Under a storm a reload's suspend waits for an SRCU
 * grace period, which a loaded host can stretch to a second, and 64 new maps
 * synced back to back kept the CLI waiting for seconds. Start-up and a
 * configuration reload sync every map at once (maps_sync_dirty()): mpiod
 * says it is ready, or reloaded, when the maps are.
 */
#define SYNC_SLICE_USEC (50 * 1000)
/* New maps are created together after the pass (one bindings write): at most this many per slice. */
#define SYNC_SLICE_CREATES 8

/* A map of this sync to create once it has its name from the bindings file. */
struct map_to_create {
	struct dmap *m;
	char *params;
	uint64_t size;
};

/* The maps of one sync waiting for a bindings name: named all at once (maps_create_named()). */
struct create_batch {
	struct map_to_create *v;
	size_t n, cap;
};

/* Maps created together, whose udev processing is awaited with one cookie. */
struct udev_batch {
	uint32_t cookie;
	uint64_t since;			/* CLOCK_MONOTONIC usec */
	size_t n_maps;
};

static void batch_wait(Context *c, uint32_t cookie, uint64_t since, size_t n_maps);
static void maps_sync(Context *c, bool sliced);

static int on_sync_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	Context *c = userdata;

	maps_sync(c, c->ready);
	return 0;
}

void maps_schedule_sync(Context *c)
{
	uint64_t when;
	int r;

	if (c->first_dirty == 0)
		return;
	when = c->last_dirty + SYNC_DELAY_USEC;
	if (when > c->first_dirty + SYNC_MAX_DELAY_USEC)
		when = c->first_dirty + SYNC_MAX_DELAY_USEC;
	if (!c->sync_timer) {
		r = sd_event_add_time(c->event, &c->sync_timer, CLOCK_MONOTONIC, when, 10 * 1000,
				      on_sync_timer, c);
		if (r < 0)
			log_errno(LOG_ERR, r, "cannot arm the reload timer");
		return;
	}
	(void)sd_event_source_set_time(c->sync_timer, when);
	(void)sd_event_source_set_enabled(c->sync_timer, SD_EVENT_ONESHOT);
}

/* The table params and size (sectors) the map should have now. */
static int map_build(Context *c, struct dmap *m, char **ret_params, uint64_t *ret_size)
{
	_cleanup_free_ struct mp_path_info *info = calloc(m->n_paths ?: 1, sizeof(*info));
	uint64_t size = 0;
	size_t n = 0;

	if (!info)
		return -ENOMEM;
	for (size_t i = 0; i < m->n_paths; i++) {
		struct dpath *p = m->paths[i];
		uint64_t s = mp_path_get_size(p->mp) / 512;
		int tpg = mp_path_get_tpg(p->mp);

		if (size == 0)
			size = s;
		if (s != size) {
			log_msg(LOG_WARNING, "map %s: path %s has %llu sectors, not %llu: left out",
				m->name ?: m->wwid, p->name, (unsigned long long)s,
				(unsigned long long)size);
			continue;
		}
		info[n] = (struct mp_path_info){
			.major = major(p->devt),
			.minor = minor(p->devt),
			.alua_state = p->alua,
			.tpg = tpg >= 0 ? tpg : -1,
			.failed = false,
			.weight = 1,
		};
		snprintf(info[n].dev, sizeof(info[n].dev), "%s", p->name);
		snprintf(info[n].cpumask, sizeof(info[n].cpumask), "1");
		n++;
	}
	if (size == 0)
		size = m->size;
	*ret_size = size;
	return mp_table_build(info, n, &m->settings, ret_params);
}

static void path_list(struct dmap *m, char *buf, size_t len)
{
	size_t off = 0;

	snprintf(buf, len, "none");
	for (size_t i = 0; i < m->n_paths && off + 1 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? " " : "", m->paths[i]->name);
}

/* After a load: the kernel starts with every path usable; tell it which are not. */
static void map_push_failed(Context *c, struct dmap *m)
{
	for (size_t i = 0; i < m->n_paths; i++)
		if (m->paths[i]->failed)
			(void)map_send_path_message(c, m, "fail_path", m->paths[i]);
}

/* The kernel's view of which paths failed, for a map we did not load ourselves. */
static void map_learn_status(Context *c, struct dmap *m)
{
	_cleanup_free_ char *params = NULL;
	struct mp_map_status *st = NULL;

	if (mp_dm_get_status(c->mp, m->name, &params) < 0 || mp_dm_parse_status(params, &st) < 0)
		return;
	for (unsigned g = 0; g < st->n_groups; g++)
		for (unsigned k = 0; k < st->groups[g].n_paths; k++) {
			struct mp_map_path_status *ps = &st->groups[g].paths[k];
			struct dpath *p = path_by_devt(c, makedev(ps->major, ps->minor));

			if (p && p->map == m && !ps->active && !p->failed) {
				p->failed = true;
				log_msg(LOG_INFO, "map %s: path %s (%s) is failed in the kernel", m->name,
					p->name, p->devnum);
				check_soon(c, p, 0);
			}
		}
	mp_map_status_free(st);
}

static char *map_choose_name(Context *c, struct dmap *m)
{
	char *name = NULL, *bindings = NULL, wwid_name[MP_MAP_NAME_SIZE];
	struct mp_parse_error e = {};
	int r;

	if (m->settings.alias)
		return strdup(m->settings.alias);
	if (m->settings.user_friendly_names) {
		if (asprintf(&bindings, "%s/" MP_BINDINGS_NAME, c->config_dir) < 0)
			return NULL;
		r = mp_bindings_get_or_assign(bindings, m->wwid, &name, &e);
		if (r < 0)
			log_msg(LOG_ERR, "%s%s%.0u: %s; naming the map by its WWID %s",
				e.file[0] ? e.file : bindings, e.line ? ":" : "", e.line,
				e.msg[0] ? e.msg : strerror(-r), m->wwid);
		free(bindings);
		if (r >= 0)
			return name;
	}
	/* The WWID, or a short form of it that device-mapper takes (mp_wwid_to_map_name()). */
	if (mp_wwid_to_map_name(m->wwid, wwid_name, sizeof(wwid_name)) < 0)
		return NULL;
	return strdup(wwid_name);
}

/*
 * Remove the partition maps that kpartx made of m (kpartx's udev rules): dm
 * uuid "part<N>-" and the map's uuid. They hold the map open, so they go
 * first. With deferred, an open partition is removed when it is closed;
 * without, an open partition makes it fail with -EBUSY before anything is
 * removed, and its name in *ret_open. Returns the number removed, or a negative errno.
 */
int map_remove_partitions(Context *c, struct dmap *m, bool deferred, char **ret_open)
{
	struct mp_dm_map *parts = NULL;
	char uuid_part[MP_MAP_UUID_SIZE];
	uint32_t cookie = 0;
	size_t n = 0;
	int r, removed = 0;

	r = mp_wwid_uuid_part(m->wwid, uuid_part, sizeof(uuid_part));
	if (r < 0)
		return r;
	r = mp_dm_list_maps(c->mp, "linear", &parts, &n);
	if (r < 0)
		return r;
	/* Only the map's own: "part", digits, "-", then a map uuid of its WWID. */
	for (size_t i = 0; i < n; i++) {
		const char *u = parts[i].uuid, *wwid = NULL;
		size_t d = strncmp(u, "part", 4) == 0 ? strspn(u + 4, "0123456789") : 0;

		if (d > 0 && u[4 + d] == '-')
			wwid = mp_uuid_to_wwid(u + 4 + d + 1);
		if (!wwid || strcmp(wwid, uuid_part) != 0) {
			parts[i].uuid[0] = '\0';
			continue;
		}
		if (!deferred && mp_dm_is_open(c->mp, parts[i].name) > 0) {
			if (ret_open)
				*ret_open = strdup(parts[i].name);
			r = -EBUSY;
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!parts[i].uuid[0])
			continue;
		r = mp_dm_remove_nowait(c->mp, parts[i].name, deferred, &cookie);
		if (r < 0 && r != -ENXIO)
			goto out;
		log_msg(LOG_INFO, "map %s: %s partition %s", m->name,
			r == 1 ? "removal deferred until it is closed:" : "removed", parts[i].name);
		removed++;
	}
	r = removed;
out:
	batch_wait(c, cookie, now_usec(), 0);
	mp_dm_maps_free(parts, n);
	return r;
}

/*
 * Remove map m from the kernel (deferred: on its last close, if open; 1 is
 * returned then). udev's removal of its /dev links is not waited for here:
 * the map is gone when this returns, and nothing needs its node gone.
 */
int map_remove(Context *c, struct dmap *m, bool deferred)
{
	uint32_t cookie = 0;
	int r;

	r = mp_dm_remove_nowait(c->mp, m->name, deferred, &cookie);
	batch_wait(c, cookie, now_usec(), 0);
	return r;
}

static int on_remove_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct dmap *m = userdata;
	Context *c = m->ctx;
	int r;

	m->remove_timer = sd_event_source_disable_unref(m->remove_timer);
	if (m->n_paths > 0 || !m->exists)
		return 0;
	/* I/O queued for paths that will not come back would keep the map open forever. */
	(void)mp_dm_message(c->mp, m->name, "fail_if_no_path");
	/* kpartx's partitions hold it open: they go first (deferred if open themselves). */
	r = map_remove_partitions(c, m, true, NULL);
	if (r < 0)
		log_errno(LOG_WARNING, r, "map %s: cannot remove its partitions", m->name);
	r = map_remove(c, m, true);
	if (r < 0 && r != -ENXIO) {
		log_errno(LOG_ERR, r, "map %s: cannot remove it", m->name);
		return 0;
	}
	if (r == 1)
		log_msg(LOG_INFO, "map %s: no path came back in %u s: removal deferred until it is closed",
			m->name, m->settings.remove_timeout);
	else
		log_msg(LOG_INFO, "map %s: no path came back in %u s: removed", m->name,
			m->settings.remove_timeout);
	map_free(c, m);
	return 0;
}

/* A map without paths stays (queueing as configured) for RemoveTimeout, then goes. */
static void map_update_remove_timer(Context *c, struct dmap *m)
{
	int r;

	if (m->n_paths > 0 || !m->exists) {
		if (m->remove_timer) {
			log_msg(LOG_INFO, "map %s: has paths again, not removing it", m->name);
			m->remove_timer = sd_event_source_disable_unref(m->remove_timer);
		}
		return;
	}
	if (m->remove_timer)
		return;
	r = sd_event_add_time_relative(c->event, &m->remove_timer, CLOCK_MONOTONIC,
				       (uint64_t)m->settings.remove_timeout * 1000000, 100 * 1000,
				       on_remove_timer, m);
	if (r < 0) {
		log_errno(LOG_ERR, r, "map %s: cannot arm the removal timer", m->name);
		return;
	}
	log_msg(LOG_WARNING, "map %s: no paths left, removing it in %u s unless one comes back",
		m->name, m->settings.remove_timeout);
}

/* Does m get its name from the bindings file (when it has none yet)? */
static bool named_by_bindings(const struct dmap *m)
{
	return !m->settings.alias && m->settings.user_friendly_names;
}

/* Create named map m with its table loaded but not live. */
static void map_create_inactive(Context *c, struct dmap *m, const char *params, uint64_t size)
{
	int r;

	r = mp_dm_create_inactive(c->mp, m->name, m->wwid, size, params);
	if (r < 0) {
		log_errno(LOG_ERR, r, "map %s (%s): cannot create it with table '%s'", m->name, m->wwid,
			  params);
		return;
	}
	m->inactive = true;
	m->size = size;
	log_msg(LOG_DEBUG, "map %s: table '%s'", m->name, params);
}

/* Keep m for maps_create_named(); false if there is no room (then it is named alone). */
static bool create_batch_add(struct create_batch *b, struct dmap *m, char **params, uint64_t size)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct map_to_create *v = reallocarray(b->v, cap, sizeof(*v));

		if (!v)
			return false;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = (struct map_to_create){ .m = m, .params = TAKE_PTR(*params), .size = size };
	return true;
}

/*
 * Create the map with its table loaded but not live: maps_sync_dirty()
 * resumes every map it created at the end, in maps_go_live(). A map to
 * name from the bindings file waits in batch, if given, for
 * maps_create_named().
 */
static void map_create(Context *c, struct dmap *m, struct create_batch *batch)
{
	_cleanup_free_ char *params = NULL, *other = NULL, *target = NULL;
	uint64_t size;
	int r;

	/* Its uuid may be taken by a map of another target: multipath-tools'. */
	if (mp_dm_find_by_wwid(c->mp, m->wwid, &other, &target) >= 0 &&
	    strcmp(target, MP_DM_TARGET) != 0) {
		log_msg(LOG_NOTICE, "map of %s: %s (target '%s', multipath-tools') has its uuid, "
			"leaving its paths to it", m->wwid, other, target);
		return;
	}

	r = map_build(c, m, &params, &size);
	if (r < 0) {
		log_errno(LOG_ERR, r, "map of %s: cannot build its table", m->wwid);
		return;
	}
	if (!m->name) {
		if (batch && named_by_bindings(m) && create_batch_add(batch, m, &params, size))
			return;
		m->name = map_choose_name(c, m);
		if (!m->name) {
			log_errno(LOG_ERR, -ENOMEM, "map of %s: cannot name it", m->wwid);
			return;
		}
	}
	map_create_inactive(c, m, params, size);
}

/*
 * Name the maps of batch from the bindings file in one call, then create
 * them: one locked read and one write (one fsync pair) for all the new
 * names of a sync, not one of each per map, which at a cold start of
 * thousands of maps kept the loop busy for minutes. The order is the one
 * map_create() met them in, so the names are those it gave one at a time.
 * If the batch fails, each map is named alone, as before: that logs why
 * for each, and falls back to its WWID.
 */
static void maps_create_named(Context *c, struct create_batch *b)
{
	_cleanup_free_ const char **wwids = NULL;
	_cleanup_free_ char **names = NULL, *bindings = NULL;
	struct mp_parse_error e = {};
	int r = -ENOMEM;

	if (b->n == 0)
		return;
	wwids = calloc(b->n, sizeof(*wwids));
	names = calloc(b->n, sizeof(*names));
	if (wwids && names && asprintf(&bindings, "%s/" MP_BINDINGS_NAME, c->config_dir) >= 0) {
		for (size_t i = 0; i < b->n; i++)
			wwids[i] = b->v[i].m->wwid;
		r = mp_bindings_get_or_assign_many(bindings, wwids, b->n, names, &e);
	}
	if (r > 0)
		log_msg(LOG_DEBUG, "%d new names in %s", r, bindings);
	for (size_t i = 0; i < b->n; i++) {
		struct dmap *m = b->v[i].m;

		m->name = r >= 0 ? names[i] : map_choose_name(c, m);
		if (!m->name)
			log_errno(LOG_ERR, -ENOMEM, "map of %s: cannot name it", m->wwid);
		else
			map_create_inactive(c, m, b->v[i].params, b->v[i].size);
		free(b->v[i].params);
	}
	free(b->v);
	*b = (struct create_batch){};
}

/*
 * Make the maps created by this sync live, one resume each, back to back:
 * the creations and table loads are all done before udev starts on the
 * first live map, and udev's work on all of them joins the batch of *cookie.
 */
static void maps_go_live(Context *c, uint32_t *cookie)
{
	char list[512];
	int r;

	for (size_t i = 0; i < c->n_maps; i++) {
		struct dmap *m = c->maps[i];

		if (!m->inactive)
			continue;
		m->inactive = false;
		r = mp_dm_resume_nowait(c->mp, m->name, cookie);
		if (r < 0) {
			log_errno(LOG_ERR, r, "map %s (%s): cannot make its table live", m->name, m->wwid);
			r = mp_dm_remove_nowait(c->mp, m->name, false, cookie);
			if (r < 0)
				log_errno(LOG_ERR, r, "map %s: cannot remove it", m->name);
			continue;
		}
		m->exists = true;
		path_list(m, list, sizeof(list));
		log_msg(LOG_INFO, "map %s (%s): created with %zu paths (%s), %s", m->name, m->wwid,
			m->n_paths, list, mp_pg_policy_to_string(m->settings.pg_policy));
		map_push_failed(c, m);
		map_update_remove_timer(c, m);
		state_mark_dirty(c);
	}
}

/*
 * Compare the table the map should have with the kernel's; reload only if
 * they differ. The reload's udev work joins the batch of *cookie: the loop
 * does not wait for it (maps_sync_dirty()).
 */
static void map_update(Context *c, struct dmap *m, const char *reason, uint32_t *cookie)
{
	_cleanup_free_ char *params = NULL, *loaded = NULL;
	uint64_t size, loaded_size = 0;
	const char *what = NULL;
	char list[512];
	int r;

	if (m->adopting)
		map_learn_status(c, m);
	r = map_build(c, m, &params, &size);
	if (r < 0) {
		log_errno(LOG_ERR, r, "map %s: cannot build its table", m->name);
		return;
	}
	r = mp_dm_get_table(c->mp, m->name, &loaded, &loaded_size);
	if (r == -ENXIO) {
		log_msg(LOG_WARNING, "map %s: was removed behind our back", m->name);
		m->exists = false;
		if (m->n_paths > 0)
			map_create(c, m, NULL);
		return;
	}
	if (r < 0) {
		log_errno(LOG_ERR, r, "map %s: cannot read its table", m->name);
		return;
	}
	if (m->adopting && m->n_paths == 0) {
		/* Its paths may still be on their way (or unclaimed now): never empty a running map here. */
		log_msg(LOG_WARNING, "map %s (%s): adopted, but none of its paths is claimed now", m->name,
			m->wwid);
		m->size = loaded_size;
		return;
	}
	path_list(m, list, sizeof(list));
	r = mp_table_compare(params, loaded, &what);
	if (r < 0)
		what = "the loaded table does not parse";
	else if (r == 0 && size != loaded_size) {
		r = 1;
		what = "the size differs";
	}
	if (r == 0) {
		if (m->adopting)
			log_msg(LOG_INFO, "map %s (%s): adopted with %zu paths (%s), table unchanged", m->name,
				m->wwid, m->n_paths, list);
		else
			log_msg(LOG_DEBUG, "map %s: %s; table unchanged", m->name, reason);
		m->size = loaded_size;
		return;
	}
	log_msg(LOG_INFO, "map %s: %s%s, reloading with %zu paths (%s): %s", m->name,
		m->adopting ? "adopted, its table differs: " : "", reason, m->n_paths, list, what);
	log_msg(LOG_DEBUG, "map %s: table '%s' -> '%s'", m->name, loaded, params);
	r = mp_dm_reload_nowait(c->mp, m->name, size, params, cookie);
	if (r < 0) {
		log_errno(LOG_ERR, r, "map %s: reload with table '%s' failed", m->name, params);
		return;
	}
	m->size = size;
	map_push_failed(c, m);
}

static void map_sync(Context *c, struct dmap *m, uint32_t *cookie, struct create_batch *batch)
{
	char reason[sizeof(m->reason)];

	snprintf(reason, sizeof(reason), "%s", m->reason[0] ? m->reason : "checked");
	m->reason[0] = '\0';
	m->dirty = false;
	if (!m->exists) {
		if (m->n_paths == 0) {
			map_free(c, m);
			return;
		}
		map_create(c, m, batch);
	} else
		map_update(c, m, reason, cookie);
	m->adopting = false;
	free(m->adopted_table);
	m->adopted_table = NULL;
	if (m->exists)
		map_update_remove_timer(c, m);
	state_mark_dirty(c);
}

#define BATCH_POLL_USEC (20 * 1000)

static void batch_done(struct udev_batch *b, int r)
{
	if (r < 0)
		log_errno(LOG_WARNING, r, "waiting for udev on the maps created or reloaded failed");
	else if (b->n_maps > 1)
		log_msg(LOG_INFO, "%zu new maps set up by udev in %llu ms", b->n_maps,
			(unsigned long long)(now_usec() - b->since) / 1000);
}

static int on_batch_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	Context *c = userdata;

	for (size_t i = c->n_batches; i-- > 0;) {
		int r = mp_dm_udev_poll(c->mp, c->batches[i].cookie);

		if (r == 0)
			continue;
		batch_done(&c->batches[i], r);
		c->batches[i] = c->batches[--c->n_batches];
	}
	if (c->n_batches > 0) {
		/* A oneshot timer is off once it fired: arm it again, or the cookie waits for the next batch. */
		(void)sd_event_source_set_time_relative(s, BATCH_POLL_USEC);
		(void)sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	} else
		(void)sd_event_source_set_enabled(s, SD_EVENT_OFF);
	return 0;
}

/*
 * Wait for udev to finish with the maps of cookie: at once before READY (the
 * maps are set up when mpiod says it is ready), else in the background, so
 * that the cookie's semaphore is released once udev is done.
 * U4: only creation needs udev's work done (its /dev/mapper node) before
 * mpiod says so, and start-up is where it says so for every map at once;
 * a reload changes no node, a removal's node going is nothing anyone waits
 * on: so once ready, no create, reload or removal makes the loop wait.
 */
static void batch_wait(Context *c, uint32_t cookie, uint64_t since, size_t n_maps)
{
	struct udev_batch b = { .cookie = cookie, .since = since, .n_maps = n_maps }, *a;
	int r;

	if (cookie == 0)
		return;
	if (!c->ready)
		goto wait_now;
	/* After start-up the loop must not block on udev: a busy udev would stall it past the watchdog. */
	a = reallocarray(c->batches, c->n_batches + 1, sizeof(*a));
	if (!a)
		goto wait_now;
	c->batches = a;
	c->batches[c->n_batches++] = b;
	if (!c->batch_timer) {
		r = sd_event_add_time_relative(c->event, &c->batch_timer, CLOCK_MONOTONIC, BATCH_POLL_USEC,
					       5 * 1000, on_batch_timer, c);
		if (r < 0) {
			c->n_batches--;
			goto wait_now;
		}
		return;
	}
	(void)sd_event_source_set_time_relative(c->batch_timer, BATCH_POLL_USEC);
	(void)sd_event_source_set_enabled(c->batch_timer, SD_EVENT_ONESHOT);
	return;
wait_now:
	batch_done(&b, mp_dm_udev_wait(c->mp, cookie));
}

/*
 * At exit: release the cookies still pending (a cookie's semaphore outlives
 * us unless it is waited for), but wait for udev at most EXIT_WAIT_USEC:
 * after a storm udev may take minutes with the maps it has queued, and a
 * stop must not wait that long. A cookie left behind is a SysV semaphore
 * that `dmsetup udevcomplete_all` removes.
 */
#define EXIT_WAIT_USEC (3 * 1000 * 1000)

void maps_finish_batches(Context *c)
{
	uint64_t end = now_usec() + EXIT_WAIT_USEC;
	size_t left = 0;

	for (size_t i = 0; i < c->n_batches; i++) {
		int r;

		while ((r = mp_dm_udev_poll(c->mp, c->batches[i].cookie)) == 0 && now_usec() < end)
			(void)usleep(BATCH_POLL_USEC);
		if (r == 0)
			left++;
		else
			batch_done(&c->batches[i], r < 0 ? r : 0);
	}
	if (left > 0)
		log_msg(LOG_NOTICE, "udev is still setting up maps after %u s: not waiting for it "
			"(%zu udev cookies left; `dmsetup udevcomplete_all` removes them)",
			EXIT_WAIT_USEC / 1000000, left);
	free(c->batches);
	c->batches = NULL;
	c->n_batches = 0;
	c->batch_timer = sd_event_source_disable_unref(c->batch_timer);
}

static void maps_sync(Context *c, bool sliced)
{
	struct create_batch batch = {};
	uint64_t t0 = now_usec();
	uint32_t cookie = 0;
	size_t before = 0, after = 0, synced = 0, left = 0, n = 0;
	_cleanup_free_ struct dmap **dirty = NULL;

	c->first_dirty = 0;
	if (c->sync_timer)
		(void)sd_event_source_set_enabled(c->sync_timer, SD_EVENT_OFF);
	for (size_t i = 0; i < c->n_maps; i++)
		before += c->maps[i]->exists;
	/*
	 * The longest dirty first: under a storm, a slice that ends early
	 * leaves the newest for the next one, so no map waits for the storm's
	 * end. map_sync() may free only the map it is given.
	 */
	if (maps_dirty_oldest_first(c, &dirty, &n) < 0) {
		log_errno(LOG_ERR, -ENOMEM, "cannot sync the maps");
		c->first_dirty = now_usec();
		c->last_dirty = c->first_dirty;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (sliced && (now_usec() - t0 >= SYNC_SLICE_USEC || batch.n >= SYNC_SLICE_CREATES)) {
			left = n - i;
			break;
		}
		map_sync(c, dirty[i], &cookie, &batch);
		synced++;
	}
	maps_create_named(c, &batch);
	maps_go_live(c, &cookie);
	for (size_t i = 0; i < c->n_maps; i++)
		after += c->maps[i]->exists;
	if (left > 0) {
		log_msg(LOG_DEBUG, "synced %zu maps in %llu ms, %zu left for the next pass", synced,
			(unsigned long long)(now_usec() - t0) / 1000, left);
		/*
		 * As if the first change were the longest delay ago: the timer is
		 * due at once, whatever change comes meanwhile, and the bus goes
		 * first. (CLOCK_MONOTONIC counts from boot, well over a second
		 * once mpiod is ready; 0 would mean no change.)
		 */
		c->first_dirty = now_usec() - SYNC_MAX_DELAY_USEC;
		c->last_dirty = c->first_dirty;
	}
	/*
	 * udev handles the new and reloaded maps all at once, and the loop polls
	 * for the end of it: a reload used to wait here for udev, so a busy udev
	 * (or a slow rule) stalled D-Bus, the checkers and the watchdog.
	 */
	batch_wait(c, cookie, t0, after > before ? after - before : 0);
}

void maps_sync_dirty(Context *c)
{
	maps_sync(c, false);
}

/*
 * Ownership goes by the table's target, not by the uuid, which multipath-tools'
 * maps carry too: say once, at start, which maps of the kernel's multipath
 * target are left alone.
 */
static void log_foreign_maps(Context *c)
{
	struct mp_dm_map *list = NULL;
	size_t n = 0;

	if (mp_dm_list_maps(c->mp, MP_DM_TARGET_MULTIPATH, &list, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (mp_uuid_to_wwid(list[i].uuid))
			log_msg(LOG_NOTICE, "map %s (%s): a map of the kernel's multipath target "
				"(multipath-tools'), not of mpio's: leaving it alone", list[i].name,
				list[i].uuid);
	mp_dm_maps_free(list, n);
}

/*
 * Take over the maps of the mpio target that exist, as they are: uuid
 * "mpath-<WWID>", or "mpio-<WWID>" from mpio 0.1 (which such a map keeps
 * until it is removed and made again).
 */
int maps_adopt_existing(Context *c)
{
	struct mp_dm_map *list = NULL;
	size_t n = 0;
	int r;

	log_foreign_maps(c);
	r = mp_dm_list_maps(c->mp, NULL, &list, &n);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot list the existing mpio maps");
	for (size_t i = 0; i < n; i++) {
		const char *wwid = mp_uuid_to_wwid(list[i].uuid);
		struct dmap *m;
		char *params = NULL;
		uint64_t size = 0;

		if (!wwid) {
			log_msg(LOG_INFO, "map %s: uuid '%s' is not an mpio WWID, leaving it alone",
				list[i].name, list[i].uuid);
			continue;
		}
		if (strncmp(list[i].uuid, MP_UUID_PREFIX, strlen(MP_UUID_PREFIX)) != 0)
			log_msg(LOG_NOTICE, "map %s: uuid '%s' from an older mpio, kept until the map "
				"is removed; LVM and kpartx's rules know only '" MP_UUID_PREFIX "%s'",
				list[i].name, list[i].uuid, wwid);
		m = map_get_or_new(c, wwid);
		if (!m || !(m->name = strdup(list[i].name))) {
			mp_dm_maps_free(list, n);
			return log_errno(LOG_ERR, -ENOMEM, "cannot adopt maps");
		}
		if (mp_dm_get_table(c->mp, m->name, &params, &size) >= 0) {
			m->size = size;
			free(m->adopted_table);
			m->adopted_table = params; /* which paths it holds: discovery.c */
		}
		m->exists = true;
		m->adopting = true;
		map_mark_dirty(c, m, "found at start-up");
	}
	mp_dm_maps_free(list, n);
	return 0;
}
