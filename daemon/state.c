/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The published state: an immutable snapshot of the maps, their paths and
 * settings, built on the loop thread after every change and swapped in with
 * rcu_xchg_pointer(). Readers take it under urcu_memb_read_lock() and never block
 * the loop; the loop never waits for them either: the old snapshot is freed
 * by urcu_memb_call_rcu() on our own call_rcu thread, and urcu_memb_barrier() at exit waits
 * for the last frees.
 *
 * Two readers: a thread that writes the snapshot to the state file on
 * SIGUSR1, and the D-Bus API (dbus.c), whose property getters run on the
 * loop thread and which, as the subscriber (state_subscribe()), compares
 * each new snapshot with the previous one to emit its signals.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <syslog.h>
#include <unistd.h>

#include <urcu/urcu-memb.h>

#include "utf8.h"
#include "log.h"
#include "model.h"
#include "state.h"

struct state_publisher {
	struct snapshot *current;	/* RCU-protected */
	uint64_t generation;
	struct call_rcu_data *crdp;
	char *state_file;
	state_changed_fn subscriber;	/* told of each new snapshot, on the loop thread */
	int efd;			/* dump requests for the reader thread */
	atomic_bool quit;
	bool reader_started;
	pthread_t reader;
};

static void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_maps; i++) {
		free(s->maps[i].name);
		free(s->maps[i].wwid);
		for (size_t k = 0; k < s->maps[i].n_settings; k++) {
			free(s->maps[i].settings[k].value);
			free(s->maps[i].settings[k].origin);
		}
		free(s->maps[i].settings);
		free(s->maps[i].paths);
		for (size_t g = 0; g < s->maps[i].n_groups; g++)
			free(s->maps[i].groups[g].paths);
		free(s->maps[i].groups);
	}
	free(s->maps);
	free(s->config_dir);
	mp_index_done(&s->maps_by_name);
	mp_index_done(&s->paths_by_name);
	free(s->paths);
	free(s);
}

static void snapshot_free_rcu(struct rcu_head *head)
{
	snapshot_free(caa_container_of(head, struct snapshot, rcu));
}

/* The map's settings, copied: the configuration they point into may be replaced while readers hold the snapshot. */
static int snapshot_add_settings(struct snap_map *sm, const struct mp_settings *s)
{
	sm->settings = calloc(_MP_SETTING_MAX, sizeof(*sm->settings));
	if (!sm->settings)
		return -ENOMEM;
	for (int id = 0; id < _MP_SETTING_MAX; id++) {
		struct snap_setting *ss = &sm->settings[sm->n_settings];
		char buf[MP_SETTING_VALUE_MAX];
		const char *v = mp_settings_value(s, id, buf, sizeof(buf));

		if (!v)
			continue;
		ss->key = mp_setting_to_string(id);
		/* D-Bus strings are UTF-8; a drop-in's file name need not be. */
		ss->value = mp_utf8_escape(v);
		ss->origin = mp_utf8_escape(s->origin[id] ?: "?");
		sm->n_settings++;
		if (!ss->value || !ss->origin)
			return -ENOMEM;
	}
	return 0;
}

/*
 * The kernel's view of a map: its groups in table order (the first is the
 * best), their states, and which path is in which, with the paths' counters.
 * A map whose status cannot be read has no groups (not an error).
 */
static int snapshot_add_status(Context *c, struct snap_map *sm)
{
	_cleanup_free_ char *params = NULL;
	struct mp_map_status *st = NULL;
	int r = 0;

	if (mp_dm_get_status(c->mp, sm->name, &params) < 0 || mp_dm_parse_status(params, &st) < 0)
		return 0;
	sm->groups = calloc(st->n_groups ?: 1, sizeof(*sm->groups));
	if (!sm->groups) {
		r = -ENOMEM;
		goto out;
	}
	sm->queue_io = st->queue_io;
	sm->queueing = st->queueing;
	sm->current_group = st->current_group;
	for (unsigned g = 0; g < st->n_groups; g++) {
		struct snap_group *sg = &sm->groups[sm->n_groups++];

		sg->state = st->groups[g].state;
		sg->paths = calloc(st->groups[g].n_paths ?: 1, sizeof(*sg->paths));
		if (!sg->paths) {
			r = -ENOMEM;
			goto out;
		}
		for (unsigned k = 0; k < st->groups[g].n_paths; k++) {
			const struct mp_map_path_status *ps = &st->groups[g].paths[k];
			char devnum[24];

			snprintf(devnum, sizeof(devnum), "%u:%u", ps->major, ps->minor);
			for (size_t i = 0; i < sm->n_paths; i++) {
				struct snap_path *sp = &sm->paths[i];

				if (strcmp(sp->devnum, devnum) != 0)
					continue;
				sp->group = g + 1;
				sp->kernel_active = ps->active;
				sp->fail_count = ps->fail_count;
				sp->has_stats = st->has_stats;
				sp->ios = ps->ios;
				sp->bytes = ps->bytes;
				sp->errors = ps->errors;
				sp->avg_lat_us = ps->avg_lat_us;
				sg->paths[sg->n_paths++] = i;
				break;
			}
		}
	}
out:
	mp_map_status_free(st);
	return r;
}

static bool map_name_eq(const void *key, size_t item, const void *userdata)
{
	const struct snapshot *s = userdata;

	return strcmp(s->maps[item].name, key) == 0;
}

static bool path_name_eq(const void *key, size_t item, const void *userdata)
{
	const struct snapshot *s = userdata;

	return strcmp(s->paths[item]->name, key) == 0;
}

/*
 * Index the named maps and their paths by name, so that each lookup of the
 * D-Bus API is O(1), not a scan: sd-bus finds every object it lists. The
 * first of a name wins, as a scan would find it.
 */
static int snapshot_index(struct snapshot *s)
{
	size_t total = 0;

	for (size_t i = 0; i < s->n_maps; i++)
		total += s->maps[i].name ? s->maps[i].n_paths : 0;
	s->paths = calloc(total ?: 1, sizeof(*s->paths));
	if (!s->paths)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_maps; i++) {
		const struct snap_map *m = &s->maps[i];
		uint64_t h;

		if (!m->name)
			continue;
		h = mp_hash_str(m->name);
		if (!mp_index_find(&s->maps_by_name, h, map_name_eq, m->name, s, NULL) &&
		    mp_index_add(&s->maps_by_name, h, i) < 0)
			return -ENOMEM;
		for (size_t k = 0; k < m->n_paths; k++) {
			const struct snap_path *p = &m->paths[k];

			h = mp_hash_str(p->name);
			if (mp_index_find(&s->paths_by_name, h, path_name_eq, p->name, s, NULL))
				continue;
			s->paths[s->n_paths] = p;
			if (mp_index_add(&s->paths_by_name, h, s->n_paths++) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static struct snapshot *snapshot_build(Context *c, uint64_t generation)
{
	struct snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->generation = generation;
	s->published_usec = now_usec();
	s->config_dir = strdup(c->config_dir);
	s->maps = calloc(c->n_maps ?: 1, sizeof(*s->maps));
	if (!s->config_dir || !s->maps)
		goto fail;
	for (size_t i = 0; i < c->n_maps; i++) {
		const struct dmap *m = c->maps[i];
		struct snap_map *sm = &s->maps[s->n_maps++];

		sm->name = m->name ? strdup(m->name) : NULL;
		sm->wwid = strdup(m->wwid);
		sm->paths = calloc(m->n_paths ?: 1, sizeof(*sm->paths));
		if ((m->name && !sm->name) || !sm->wwid || !sm->paths ||
		    snapshot_add_settings(sm, &m->settings) < 0)
			goto fail;
		sm->size = m->size;
		sm->exists = m->exists;
		sm->dirty = m->dirty;
		sm->n_paths = m->n_paths;
		for (size_t k = 0; k < m->n_paths; k++) {
			const struct dpath *p = m->paths[k];

			sm->paths[k].map = sm;
			memcpy(sm->paths[k].name, p->name, sizeof(p->name));
			memcpy(sm->paths[k].devnum, p->devnum, sizeof(p->devnum));
			sm->paths[k].failed = p->failed;
			sm->paths[k].alua = p->alua;
			sm->paths[k].transport = mp_path_get_transport(p->mp);
			sm->paths[k].admin_failed = p->admin_failed;
		}
		if (m->n_paths > 0) {
			snprintf(sm->vendor, sizeof(sm->vendor), "%s", mp_path_get_vendor(m->paths[0]->mp) ?: "");
			snprintf(sm->product, sizeof(sm->product), "%s",
				 mp_path_get_product(m->paths[0]->mp) ?: "");
		}
		sm->selector = m->settings.selector;
		if (m->exists && snapshot_add_status(c, sm) < 0)
			goto fail;
	}
	if (snapshot_index(s) < 0)
		goto fail;
	return s;
fail:
	snapshot_free(s);
	return NULL;
}

const struct snap_map *snapshot_find_map(const struct snapshot *s, const char *name)
{
	size_t i;

	if (!s || !mp_index_find(&s->maps_by_name, mp_hash_str(name), map_name_eq, name, s, &i))
		return NULL;
	return &s->maps[i];
}

const struct snap_path *snapshot_find_path(const struct snapshot *s, const char *dev)
{
	size_t i;

	if (!s || !mp_index_find(&s->paths_by_name, mp_hash_str(dev), path_name_eq, dev, s, &i))
		return NULL;
	return s->paths[i];
}

const struct snapshot *state_current(Context *c)
{
	return c->state ? rcu_dereference(c->state->current) : NULL;
}

void state_subscribe(Context *c, state_changed_fn fn)
{
	if (c->state)
		c->state->subscriber = fn;
}

/* Loop thread: publish a new snapshot; the old one is freed once no reader holds it. */
void state_publish(Context *c)
{
	struct state_publisher *pub = c->state;
	struct snapshot *s, *old;

	if (!pub)
		return;
	s = snapshot_build(c, ++pub->generation);
	if (!s) {
		log_errno(LOG_ERR, -ENOMEM, "cannot publish the state");
		return;
	}
	c->state_dirty = false;
	old = rcu_xchg_pointer(&pub->current, s);
	/* The old snapshot stays valid until call_rcu() below: no reader frees it. */
	if (pub->subscriber)
		pub->subscriber(c, old, s);
	if (old)
		urcu_memb_call_rcu(&old->rcu, snapshot_free_rcu);
}

static void snapshot_write(const struct snapshot *s, FILE *f)
{
	fprintf(f, "generation %llu\nconfig-dir %s\nmaps %zu\n", (unsigned long long)s->generation,
		s->config_dir, s->n_maps);
	for (size_t i = 0; i < s->n_maps; i++) {
		const struct snap_map *m = &s->maps[i];

		fprintf(f, "\nmap %s\n  wwid %s\n  size %llu\n  state %s%s\n  queueing %s\n  paths %zu\n",
			m->name ?: "-", m->wwid, (unsigned long long)m->size,
			m->exists ? "active" : "pending", m->dirty ? " (reload pending)" : "",
			mp_queueing_to_string(m->queueing) ?: "unknown", m->n_paths);
		for (size_t k = 0; k < m->n_paths; k++)
			fprintf(f, "  path %s %s %s alua=%s transport=%s\n", m->paths[k].name,
				m->paths[k].devnum, m->paths[k].failed ? "failed" : "active",
				mp_alua_state_to_string(m->paths[k].alua),
				mp_transport_to_string(m->paths[k].transport));
		for (size_t k = 0; k < m->n_settings; k++)
			fprintf(f, "  %s=%s (%s)\n", m->settings[k].key, m->settings[k].value,
				m->settings[k].origin);
	}
}

/* Reader thread: write the current snapshot to the state file, atomically. */
static void state_dump(struct state_publisher *pub)
{
	_cleanup_free_ char *tmp = NULL;
	FILE *f;
	int r = 0;

	f = fopen_tmp_beside(pub->state_file, &tmp);
	if (!f) {
		log_errno(LOG_ERR, -errno, "cannot write %s", pub->state_file);
		return;
	}
	urcu_memb_read_lock();
	{
		const struct snapshot *s = rcu_dereference(pub->current);

		if (s)
			snapshot_write(s, f);
	}
	urcu_memb_read_unlock();
	if (fflush(f) != 0 || ferror(f))
		r = -errno ?: -EIO;
	fclose(f);
	if (r >= 0 && rename(tmp, pub->state_file) < 0)
		r = -errno;
	if (r < 0) {
		log_errno(LOG_ERR, r, "cannot write %s", pub->state_file);
		(void)unlink(tmp);
	}
}

static void *reader_thread(void *arg)
{
	struct state_publisher *pub = arg;
	uint64_t v;

	urcu_memb_register_thread();
	for (;;) {
		if (read(pub->efd, &v, sizeof(v)) < 0 && errno == EINTR)
			continue;
		if (atomic_load(&pub->quit))
			break;
		state_dump(pub);
	}
	urcu_memb_unregister_thread();
	return NULL;
}

void state_request_dump(Context *c)
{
	uint64_t one = 1;

	if (c->state && write(c->state->efd, &one, sizeof(one)) < 0)
		log_errno(LOG_WARNING, -errno, "cannot request a state dump");
}

int state_setup(Context *c)
{
	struct state_publisher *pub;
	int r;

	pub = calloc(1, sizeof(*pub));
	if (!pub)
		return log_errno(LOG_ERR, -ENOMEM, "cannot set up the state");
	c->state = pub;
	pub->efd = -1;
	pub->state_file = strdup(c->state_file);
	if (!pub->state_file)
		return log_errno(LOG_ERR, -ENOMEM, "cannot set up the state");
	urcu_memb_register_thread();
	/* Our own call_rcu thread: the default one cannot be joined. */
	pub->crdp = urcu_memb_create_call_rcu_data(0, -1);
	if (!pub->crdp)
		return log_errno(LOG_ERR, -ENOMEM, "cannot start the call_rcu thread");
	urcu_memb_set_thread_call_rcu_data(pub->crdp);
	pub->efd = eventfd(0, EFD_CLOEXEC);
	if (pub->efd < 0)
		return log_errno(LOG_ERR, -errno, "cannot create eventfd");
	r = -pthread_create(&pub->reader, NULL, reader_thread, pub);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot start the state reader thread");
	pub->reader_started = true;
	return 0;
}

void state_teardown(Context *c)
{
	struct state_publisher *pub = c->state;
	struct snapshot *old;
	uint64_t one = 1;

	if (!pub)
		return;
	if (pub->reader_started) {
		atomic_store(&pub->quit, true);
		if (write(pub->efd, &one, sizeof(one)) < 0)
			log_errno(LOG_WARNING, -errno, "cannot stop the reader thread");
		pthread_join(pub->reader, NULL);
	}
	if (pub->crdp) {
		old = rcu_xchg_pointer(&pub->current, NULL);
		if (old)
			urcu_memb_call_rcu(&old->rcu, snapshot_free_rcu);
		urcu_memb_barrier();
		urcu_memb_set_thread_call_rcu_data(NULL);
		urcu_memb_call_rcu_data_free(pub->crdp);
	}
	urcu_memb_unregister_thread();
	if (pub->efd >= 0)
		close(pub->efd);
	free(pub->state_file);
	free(pub);
	c->state = NULL;
}
