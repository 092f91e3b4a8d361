/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Device-mapper maps of the "mpio" target: thin wrappers around libdevmapper
 * (create, reload, remove, message, table and status, listing), and a parser
 * for the target's INFO status line.
 *
 * Every call that makes the kernel send a uevent (create, resume, remove)
 * carries a udev cookie and waits for udev to finish its rules, so that when
 * it returns the /dev/mapper node exists (or is gone); the batch calls
 * (mp_dm_create_nowait(), mp_dm_resume_nowait(), mp_dm_reload_nowait(),
 * mp_dm_remove_nowait()) leave that wait to the caller, one for a whole
 * batch of maps. Device nodes are left
 * to udev (DM_UDEV_DISABLE_LIBRARY_FALLBACK). libdevmapper keeps process-wide
 * state of its own (its log function, the control fd): call these from one
 * thread, the event loop's.
 *
 * INFO status, as the kernel target writes it (kernel/mpio-target.c, above
 * mpio_status(); the part before "stats" is dm-multipath's layout):
 *
 *   <#features> <queue_io> <pg_init_count> [<feature>...]   #features >= 2
 *   <#hw_status> [<hw_status>...]
 *   <#groups> <current_group>                               1-based, 0: none
 *   per group:
 *     <A|D|E> <#selector_status> [<selector_status>...] <#paths> <#path_info>
 *     per path:
 *       <major:minor> <A|F> <fail_count> [<path_info> x #path_info]
 *   optional, mpio only:
 *     stats <#paths> <#counters>
 *     per path, in table order: <major:minor> <counter> x #counters
 *       counters: <ios> <bytes> <errors> <avg_lat_us> [<later ones>...]
 *     queueing <on|off|expired>                             after stats
 *
 * The parser reads only what the counts announce, checks every count against
 * the tokens that are left before allocating anything, and ignores anything
 * after the last section it knows (a later kernel may append more).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libdevmapper.h>
#include <linux/dm-ioctl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libmp-private.h"

#define MPIO_TARGET MP_DM_TARGET
#define STATS_COUNTERS 4

/* ---- INFO status parser ---- */

struct tokenizer {
	const char *p;
};

/* The next blank-separated token: *ret points into the string, not NUL-terminated. */
static bool next_token(struct tokenizer *t, const char **ret, size_t *ret_len)
{
	const char *s = t->p;
	size_t n = 0;

	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s)
		return false;
	while (s[n] && !isspace((unsigned char)s[n]))
		n++;
	*ret = s;
	*ret_len = n;
	t->p = s + n;
	return true;
}

/* How many tokens are left, at most: a bound for counts read from the string. */
static size_t tokens_left_max(const struct tokenizer *t)
{
	return (strlen(t->p) + 1) / 2;
}

static int parse_u64_mem(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EBADMSG;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -EBADMSG;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

static int token_u64(struct tokenizer *t, uint64_t *ret)
{
	const char *s;
	size_t n;

	if (!next_token(t, &s, &n))
		return -EBADMSG;
	return parse_u64_mem(s, n, ret);
}

static int token_uint(struct tokenizer *t, unsigned *ret)
{
	uint64_t v;
	int r;

	r = token_u64(t, &v);
	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return -EBADMSG;
	*ret = (unsigned)v;
	return 0;
}

/* A count of things that each take at least per_item tokens: bounded by what is left. */
static int token_count(struct tokenizer *t, size_t per_item, unsigned *ret)
{
	unsigned n;
	int r;

	r = token_uint(t, &n);
	if (r < 0)
		return r;
	if (per_item > 0 && (size_t)n > tokens_left_max(t) / per_item)
		return -EBADMSG;
	*ret = n;
	return 0;
}

static int skip_tokens(struct tokenizer *t, unsigned n)
{
	const char *s;
	size_t len;

	for (unsigned i = 0; i < n; i++)
		if (!next_token(t, &s, &len))
			return -EBADMSG;
	return 0;
}

/* One character token out of accept ("ADE", "AF"). */
static int token_char(struct tokenizer *t, const char *accept, char *ret)
{
	const char *s;
	size_t n;

	if (!next_token(t, &s, &n) || n != 1 || !strchr(accept, s[0]))
		return -EBADMSG;
	*ret = s[0];
	return 0;
}

static int token_devno(struct tokenizer *t, unsigned *ret_major, unsigned *ret_minor)
{
	const char *s, *colon;
	uint64_t maj, min;
	size_t n;

	if (!next_token(t, &s, &n))
		return -EBADMSG;
	colon = memchr(s, ':', n);
	if (!colon)
		return -EBADMSG;
	if (parse_u64_mem(s, (size_t)(colon - s), &maj) < 0 ||
	    parse_u64_mem(colon + 1, n - (size_t)(colon - s) - 1, &min) < 0)
		return -EBADMSG;
	/* dev_t: 12-bit major, 20-bit minor */
	if (maj > 0xfff || min > 0xfffff)
		return -EBADMSG;
	*ret_major = (unsigned)maj;
	*ret_minor = (unsigned)min;
	return 0;
}

_public_ struct mp_map_status *mp_map_status_free(struct mp_map_status *st)
{
	if (!st)
		return NULL;
	for (unsigned i = 0; i < st->n_groups; i++)
		free(st->groups[i].paths);
	free(st->groups);
	free(st);
	return NULL;
}

DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_map_status *, mp_map_status_free);

static int parse_group(struct tokenizer *t, struct mp_map_group_status *g)
{
	unsigned nsel, ninfo;
	char state;
	int r;

	r = token_char(t, "ADE", &state);
	if (r < 0)
		return r;
	g->state = state == 'A' ? MP_GROUP_ACTIVE : state == 'D' ? MP_GROUP_DISABLED : MP_GROUP_ENABLED;
	r = token_count(t, 1, &nsel);
	if (r < 0)
		return r;
	r = skip_tokens(t, nsel);
	if (r < 0)
		return r;
	/* a path is at least 3 tokens */
	r = token_count(t, 3, &g->n_paths);
	if (r < 0)
		return r;
	r = token_count(t, 0, &ninfo);
	if (r < 0)
		return r;
	if (g->n_paths == 0)
		return 0;
	g->paths = calloc(g->n_paths, sizeof(*g->paths));
	if (!g->paths)
		return -ENOMEM;
	for (unsigned j = 0; j < g->n_paths; j++) {
		struct mp_map_path_status *p = &g->paths[j];
		char pstate;

		r = token_devno(t, &p->major, &p->minor);
		if (r < 0)
			return r;
		r = token_char(t, "AF", &pstate);
		if (r < 0)
			return r;
		p->active = pstate == 'A';
		r = token_uint(t, &p->fail_count);
		if (r < 0)
			return r;
		r = skip_tokens(t, ninfo);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The mpio "stats" section, after its keyword. */
static int parse_stats(struct tokenizer *t, struct mp_map_status *st)
{
	unsigned npaths, ncounters, total = 0;
	int r;

	for (unsigned i = 0; i < st->n_groups; i++)
		total += st->groups[i].n_paths;
	r = token_count(t, 0, &npaths);
	if (r < 0)
		return r;
	if (npaths != total)
		return -EBADMSG;
	r = token_count(t, 0, &ncounters);
	if (r < 0)
		return r;
	if (ncounters < STATS_COUNTERS)
		return -EBADMSG;
	for (unsigned i = 0; i < st->n_groups; i++)
		for (unsigned j = 0; j < st->groups[i].n_paths; j++) {
			struct mp_map_path_status *p = &st->groups[i].paths[j];
			unsigned maj, min;

			r = token_devno(t, &maj, &min);
			if (r < 0)
				return r;
			if (maj != p->major || min != p->minor)
				return -EBADMSG;
			r = token_u64(t, &p->ios);
			if (r >= 0)
				r = token_u64(t, &p->bytes);
			if (r >= 0)
				r = token_u64(t, &p->errors);
			if (r >= 0)
				r = token_u64(t, &p->avg_lat_us);
			if (r >= 0)
				r = skip_tokens(t, ncounters - STATS_COUNTERS);
			if (r < 0)
				return r;
		}
	st->has_stats = true;
	return 0;
}

static const char *const queueing_names[_MP_QUEUEING_MAX] = {
	[MP_QUEUEING_UNKNOWN] = "unknown",
	[MP_QUEUEING_ON] = "on",
	[MP_QUEUEING_OFF] = "off",
	[MP_QUEUEING_EXPIRED] = "expired",
};

_public_ const char *mp_queueing_to_string(enum mp_queueing queueing)
{
	if (queueing < 0 || queueing >= _MP_QUEUEING_MAX)
		return NULL;
	return queueing_names[queueing];
}

_public_ enum mp_queueing mp_queueing_from_string(const char *s)
{
	for (int i = 0; s && i < _MP_QUEUEING_MAX; i++)
		if (strcasecmp(s, queueing_names[i]) == 0)
			return (enum mp_queueing)i;
	return _MP_QUEUEING_INVALID;
}

_public_ int mp_dm_parse_status(const char *params, struct mp_map_status **ret)
{
	_cleanup_(mp_map_status_freep) struct mp_map_status *st = NULL;
	struct tokenizer t = { .p = params };
	unsigned nfeat, nhw, queue_io, ngroups;
	const char *s;
	size_t n;
	int r;

	if (!params || !ret)
		return -EINVAL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;

	r = token_count(&t, 1, &nfeat);
	if (r < 0)
		return r;
	if (nfeat < 2)
		return -EBADMSG;
	r = token_uint(&t, &queue_io);
	if (r < 0)
		return r;
	if (queue_io > 1)
		return -EBADMSG;
	st->queue_io = queue_io;
	r = token_uint(&t, &st->pg_init_count);
	if (r < 0)
		return r;
	r = skip_tokens(&t, nfeat - 2);
	if (r < 0)
		return r;

	r = token_count(&t, 1, &nhw);
	if (r < 0)
		return r;
	r = skip_tokens(&t, nhw);
	if (r < 0)
		return r;

	/* a group is at least 4 tokens */
	r = token_count(&t, 4, &ngroups);
	if (r < 0)
		return r;
	r = token_uint(&t, &st->current_group);
	if (r < 0)
		return r;
	if (st->current_group > ngroups)
		return -EBADMSG;
	if (ngroups > 0) {
		st->groups = calloc(ngroups, sizeof(*st->groups));
		if (!st->groups)
			return -ENOMEM;
		/* n_groups counts the groups begun, so that a half-built status frees right */
		for (unsigned i = 0; i < ngroups; i++) {
			st->n_groups++;
			r = parse_group(&t, &st->groups[i]);
			if (r < 0)
				return r;
		}
	}

	if (!next_token(&t, &s, &n))
		goto done;
	if (n == 5 && memcmp(s, "stats", 5) == 0) {
		r = parse_stats(&t, st);
		if (r < 0)
			return r;
		if (!next_token(&t, &s, &n))
			goto done;
	}
	if (n == 8 && memcmp(s, "queueing", 8) == 0) {
		if (!next_token(&t, &s, &n))
			return -EBADMSG;
		/* A word this library does not know stays "unknown". */
		for (int q = MP_QUEUEING_ON; q < _MP_QUEUEING_MAX; q++)
			if (n == strlen(queueing_names[q]) && memcmp(s, queueing_names[q], n) == 0)
				st->queueing = q;
	}
	/* Anything else after the known sections is a later extension: ignored. */
done:

	*ret = TAKE_PTR(st);
	return 0;
}

static const char *const group_state_names[_MP_GROUP_STATE_MAX] = {
	[MP_GROUP_ACTIVE] = "active",
	[MP_GROUP_ENABLED] = "enabled",
	[MP_GROUP_DISABLED] = "disabled",
};

_public_ const char *mp_group_state_to_string(enum mp_group_state state)
{
	if (state < 0 || state >= _MP_GROUP_STATE_MAX)
		return NULL;
	return group_state_names[state];
}

_public_ enum mp_group_state mp_group_state_from_string(const char *s)
{
	for (int i = 0; s && i < _MP_GROUP_STATE_MAX; i++)
		if (strcasecmp(s, group_state_names[i]) == 0)
			return (enum mp_group_state)i;
	return _MP_GROUP_STATE_INVALID;
}

/* ---- libdevmapper wrappers ---- */

DEFINE_TRIVIAL_CLEANUP_FUNC(struct dm_task *, dm_task_destroy);

/*
 * libdevmapper reports failure without an errno for most calls: use the
 * ioctl's errno when it left one, else EIO.
 */
static int dm_errno(struct dm_task *dmt)
{
	int e = dmt ? dm_task_get_errno(dmt) : 0;

	return e > 0 ? -e : -EIO;
}

static int task_new(int type, const char *name, struct dm_task **ret)
{
	struct dm_task *dmt;

	dmt = dm_task_create(type);
	if (!dmt)
		return -ENOMEM;
	if (name && !dm_task_set_name(dmt, name)) {
		dm_task_destroy(dmt);
		return -EINVAL;
	}
	*ret = dmt;
	return 0;
}

/*
 * Set on the resume of a reload (udev sees DM_SUBSYSTEM_UDEV_FLAG0=1): the
 * map's content did not change, so systemd/59-mpio.rules skips probing it.
 * Probing a map whose paths are all down would hang the udev worker (and
 * so this caller, waiting for udev) as long as the map queues I/O.
 */
#define MPIO_UDEV_RELOAD_FLAG DM_SUBSYSTEM_UDEV_FLAG0

/* Run a task that makes a uevent, and wait until udev has processed it. */
static int task_run_synced(struct dm_task *dmt, uint16_t udev_flags)
{
	uint32_t cookie = 0;
	bool ok;

	dm_udev_set_sync_support(1);
	if (!dm_task_set_cookie(dmt, &cookie, DM_UDEV_DISABLE_LIBRARY_FALLBACK | udev_flags))
		return -ENOMEM;
	ok = dm_task_run(dmt);
	/* The cookie exists once set: wait on it even after a failure, or its semaphore leaks. */
	(void)dm_udev_wait(cookie);
	return ok ? 0 : dm_errno(dmt);
}

static int check_name(const char *name)
{
	return mp_map_name_valid(name) ? 0 : -EINVAL;
}

/* ---- Map names and uuids (libmp.h, above mp_map_name_valid()) ---- */

_Static_assert(MP_MAP_NAME_SIZE == DM_NAME_LEN && MP_MAP_UUID_SIZE == DM_UUID_LEN,
	       "device-mapper's name and uuid sizes");

#define HASH_SUFFIX_LEN 17 /* "-" and 16 hex digits */

_public_ bool mp_map_name_valid(const char *name)
{
	/* What the kernel refuses (dm-ioctl.c, check_name()). */
	return name && *name && strlen(name) < MP_MAP_NAME_SIZE && !strchr(name, '/') &&
	       strcmp(name, ".") != 0 && strcmp(name, "..") != 0 && strcmp(name, "control") != 0;
}

/*
 * wwid in at most max bytes: as it is if keep_as_is; else its first
 * bytes with each '/' made '_', then "-" and the hash of the whole WWID.
 */
static int wwid_form(const char *wwid, bool keep_as_is, size_t max, char *out, size_t outlen)
{
	size_t n, keep;

	if (!wwid || !*wwid || !out)
		return -EINVAL;
	n = strlen(wwid);
	if (outlen <= (keep_as_is ? n : max))
		return -ERANGE;
	if (keep_as_is) {
		memcpy(out, wwid, n + 1);
		return 0;
	}
	keep = n < max - HASH_SUFFIX_LEN ? n : max - HASH_SUFFIX_LEN;
	for (size_t i = 0; i < keep; i++)
		out[i] = wwid[i] == '/' ? '_' : wwid[i];
	snprintf(out + keep, outlen - keep, "-%016" PRIx64, mp_hash_str(wwid));
	return 0;
}

_public_ int mp_wwid_to_map_name(const char *wwid, char *out, size_t outlen)
{
	return wwid_form(wwid, mp_map_name_valid(wwid), MP_MAP_NAME_SIZE - 1, out, outlen);
}

_public_ int mp_wwid_uuid_part(const char *wwid, char *out, size_t outlen)
{
	size_t max = MP_MAP_UUID_SIZE - 1 - strlen(MP_UUID_PREFIX);

	return wwid_form(wwid, wwid && strlen(wwid) <= max, max, out, outlen);
}

_public_ const char *mp_uuid_to_wwid(const char *uuid)
{
	static const char *const prefixes[] = { MP_UUID_PREFIX, MP_UUID_PREFIX_LEGACY };

	if (!uuid)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t n = strlen(prefixes[i]);

		if (strncmp(uuid, prefixes[i], n) == 0)
			return uuid[n] ? uuid + n : NULL;
	}
	return NULL;
}

/* The dm uuid of the map of wwid. */
static int map_uuid(const char *wwid, char ret[DM_UUID_LEN])
{
	size_t n = strlen(MP_UUID_PREFIX);

	memcpy(ret, MP_UUID_PREFIX, n);
	return mp_wwid_uuid_part(wwid, ret + n, DM_UUID_LEN - n) < 0 ? -EINVAL : 0;
}

/* A create task for map name; with the table to load, or without (validated all the same). */
static int create_task(struct mp_ctx *ctx, const char *name, const char *wwid, uint64_t size_sectors,
		       const char *params, bool with_table, struct dm_task **ret)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	char uuid[DM_UUID_LEN];
	int r;

	if (!ctx || check_name(name) < 0 || !wwid || !*wwid || !params || size_sectors == 0)
		return -EINVAL;
	r = map_uuid(wwid, uuid);
	if (r < 0)
		return r;
	r = task_new(DM_DEVICE_CREATE, name, &dmt);
	if (r < 0)
		return r;
	if (!dm_task_set_uuid(dmt, uuid) ||
	    (with_table && !dm_task_add_target(dmt, 0, size_sectors, MPIO_TARGET, params)))
		return -ENOMEM;
	*ret = TAKE_PTR(dmt);
	return 0;
}

_public_ int mp_dm_create(struct mp_ctx *ctx, const char *name, const char *wwid,
			  uint64_t size_sectors, const char *params)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	int r;

	r = create_task(ctx, name, wwid, size_sectors, params, true, &dmt);
	if (r < 0)
		return r;
	r = task_run_synced(dmt, 0);
	if (r < 0)
		mp_dbg(ctx, "create of map %s failed: %s", name, strerror(-r));
	return r;
}

/* Run a task whose uevent joins the batch of *cookie (a zero cookie starts one). */
static int task_run_batched(struct dm_task *dmt, uint32_t *cookie, uint16_t udev_flags)
{
	dm_udev_set_sync_support(1);
	if (!dm_task_set_cookie(dmt, cookie, DM_UDEV_DISABLE_LIBRARY_FALLBACK | udev_flags))
		return -ENOMEM;
	/* On failure libdevmapper takes this task's count back off the cookie itself. */
	if (!dm_task_run(dmt))
		return dm_errno(dmt);
	return 0;
}

_public_ int mp_dm_create_nowait(struct mp_ctx *ctx, const char *name, const char *wwid,
				 uint64_t size_sectors, const char *params, uint32_t *cookie)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	int r;

	if (!cookie)
		return -EINVAL;
	r = create_task(ctx, name, wwid, size_sectors, params, true, &dmt);
	if (r < 0)
		return r;
	r = task_run_batched(dmt, cookie, 0);
	if (r < 0)
		mp_dbg(ctx, "create of map %s failed: %s", name, strerror(-r));
	return r;
}

/* Remove a map that never went live: it has no users and no /dev node yet. */
static void remove_unused(const char *name)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;

	if (task_new(DM_DEVICE_REMOVE, name, &dmt) >= 0)
		(void)task_run_synced(dmt, 0);
}

_public_ int mp_dm_create_inactive(struct mp_ctx *ctx, const char *name, const char *wwid,
				   uint64_t size_sectors, const char *params)
{
	_cleanup_(dm_task_destroyp) struct dm_task *create = NULL, *load = NULL;
	int r;

	r = create_task(ctx, name, wwid, size_sectors, params, false, &create);
	if (r < 0)
		return r;
	/* No uevent, so no cookie: the /dev node is udev's business at the resume. */
	(void)dm_task_set_add_node(create, DM_ADD_NODE_ON_RESUME);
	if (!dm_task_run(create)) {
		r = dm_errno(create);
		mp_dbg(ctx, "create of map %s failed: %s", name, strerror(-r));
		return r;
	}

	r = task_new(DM_DEVICE_RELOAD, name, &load);
	if (r >= 0 && !dm_task_add_target(load, 0, size_sectors, MPIO_TARGET, params))
		r = -ENOMEM;
	if (r >= 0 && !dm_task_run(load))
		r = dm_errno(load);
	if (r < 0) {
		mp_dbg(ctx, "table load into new map %s failed: %s", name, strerror(-r));
		remove_unused(name);
	}
	return r;
}

_public_ int mp_dm_resume_nowait(struct mp_ctx *ctx, const char *name, uint32_t *cookie)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	int r;

	if (!ctx || check_name(name) < 0 || !cookie)
		return -EINVAL;
	r = task_new(DM_DEVICE_RESUME, name, &dmt);
	if (r < 0)
		return r;
	(void)dm_task_set_add_node(dmt, DM_ADD_NODE_ON_RESUME);
	r = task_run_batched(dmt, cookie, 0);
	if (r < 0)
		mp_dbg(ctx, "resume of map %s failed: %s", name, strerror(-r));
	return r;
}

_public_ int mp_dm_udev_wait(struct mp_ctx *ctx, uint32_t cookie)
{
	if (!ctx)
		return -EINVAL;
	if (cookie == 0)
		return 0;
	return dm_udev_wait(cookie) ? 0 : -EIO;
}

_public_ int mp_dm_udev_poll(struct mp_ctx *ctx, uint32_t cookie)
{
	int ready = 0;

	if (!ctx)
		return -EINVAL;
	if (cookie == 0)
		return 1;
	if (!dm_udev_wait_immediate(cookie, &ready))
		return -EIO;
	return ready ? 1 : 0;
}

/* Load the table and resume; the resume's uevent joins *cookie, or is waited for if NULL. */
static int reload(const char *name, uint64_t size_sectors, const char *params, uint32_t *cookie)
{
	_cleanup_(dm_task_destroyp) struct dm_task *load = NULL, *resume = NULL;
	int r;

	r = task_new(DM_DEVICE_RELOAD, name, &load);
	if (r < 0)
		return r;
	if (!dm_task_add_target(load, 0, size_sectors, MPIO_TARGET, params))
		return -ENOMEM;
	(void)dm_task_no_open_count(load);
	if (!dm_task_run(load))
		return dm_errno(load);

	r = task_new(DM_DEVICE_RESUME, name, &resume);
	if (r < 0)
		return r;
	(void)dm_task_no_open_count(resume);
	/*
	 * The implied suspend must not flush: a flushing suspend makes the target
	 * stop queueing and fail the I/O it holds when no path is usable.
	 */
	(void)dm_task_no_flush(resume);
	if (cookie)
		return task_run_batched(resume, cookie, MPIO_UDEV_RELOAD_FLAG);
	return task_run_synced(resume, MPIO_UDEV_RELOAD_FLAG);
}

_public_ int mp_dm_reload(struct mp_ctx *ctx, const char *name, uint64_t size_sectors,
			  const char *params)
{
	if (!ctx || check_name(name) < 0 || !params || size_sectors == 0)
		return -EINVAL;
	return reload(name, size_sectors, params, NULL);
}

_public_ int mp_dm_reload_nowait(struct mp_ctx *ctx, const char *name, uint64_t size_sectors,
				 const char *params, uint32_t *cookie)
{
	if (!ctx || check_name(name) < 0 || !params || size_sectors == 0 || !cookie)
		return -EINVAL;
	return reload(name, size_sectors, params, cookie);
}

static int map_info(const char *name, struct dm_info *ret)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	int r;

	r = task_new(DM_DEVICE_INFO, name, &dmt);
	if (r < 0)
		return r;
	if (!dm_task_run(dmt))
		return dm_errno(dmt);
	if (!dm_task_get_info(dmt, ret))
		return -EIO;
	return ret->exists ? 0 : -ENXIO;
}

_public_ int mp_dm_is_open(struct mp_ctx *ctx, const char *name)
{
	struct dm_info info;
	int r;

	if (!ctx || check_name(name) < 0)
		return -EINVAL;
	r = map_info(name, &info);
	if (r < 0)
		return r;
	return info.open_count > 0;
}

/* Remove map name; its uevent joins *cookie, or is waited for if cookie is NULL. */
static int remove_map(struct mp_ctx *ctx, const char *name, bool deferred, uint32_t *cookie)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	int r, open;

	open = mp_dm_is_open(ctx, name);
	if (open < 0)
		return open;
	if (open && !deferred)
		return -EBUSY;
	r = task_new(DM_DEVICE_REMOVE, name, &dmt);
	if (r < 0)
		return r;
	/* The map may have been opened since: deferring is harmless if it was not. */
	if (deferred && !dm_task_deferred_remove(dmt))
		return -ENOMEM;
	r = cookie ? task_run_batched(dmt, cookie, 0) : task_run_synced(dmt, 0);
	if (r < 0)
		return r;
	return open ? 1 : 0;
}

_public_ int mp_dm_remove(struct mp_ctx *ctx, const char *name, bool deferred)
{
	return remove_map(ctx, name, deferred, NULL);
}

_public_ int mp_dm_remove_nowait(struct mp_ctx *ctx, const char *name, bool deferred,
				 uint32_t *cookie)
{
	if (!cookie)
		return -EINVAL;
	return remove_map(ctx, name, deferred, cookie);
}

_public_ int mp_dm_message(struct mp_ctx *ctx, const char *name, const char *message)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	int r;

	if (!ctx || check_name(name) < 0 || !message || !*message)
		return -EINVAL;
	r = task_new(DM_DEVICE_TARGET_MSG, name, &dmt);
	if (r < 0)
		return r;
	if (!dm_task_set_sector(dmt, 0) || !dm_task_set_message(dmt, message))
		return -ENOMEM;
	(void)dm_task_no_open_count(dmt);
	if (!dm_task_run(dmt))
		return dm_errno(dmt);
	return 0;
}

/*
 * The single target of a map, for a TABLE or STATUS task. An mpio map has
 * exactly one target, of type mpio (or target_type): anything else is
 * -EMEDIUMTYPE.
 */
static int map_target(struct mp_ctx *ctx, int type, const char *name, const char *target_type,
		      char **ret_params, uint64_t *ret_size)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	char *type_found = NULL, *params = NULL;
	uint64_t start, length;
	char *copy;
	void *next;
	int r;

	if (!ctx || check_name(name) < 0 || !ret_params)
		return -EINVAL;
	r = task_new(type, name, &dmt);
	if (r < 0)
		return r;
	(void)dm_task_no_open_count(dmt);
	if (!dm_task_run(dmt))
		return dm_errno(dmt);
	next = dm_get_next_target(dmt, NULL, &start, &length, &type_found, &params);
	if (next || !type_found || strcmp(type_found, target_type ?: MPIO_TARGET) != 0 || start != 0)
		return -EMEDIUMTYPE;
	copy = strdup(params ? params : "");
	if (!copy)
		return -ENOMEM;
	*ret_params = copy;
	if (ret_size)
		*ret_size = length;
	return 0;
}

_public_ int mp_dm_get_table(struct mp_ctx *ctx, const char *name, char **ret_params,
			     uint64_t *ret_size)
{
	return map_target(ctx, DM_DEVICE_TABLE, name, NULL, ret_params, ret_size);
}

_public_ int mp_dm_get_status(struct mp_ctx *ctx, const char *name, char **ret_params)
{
	return map_target(ctx, DM_DEVICE_STATUS, name, NULL, ret_params, NULL);
}

_public_ int mp_dm_get_table_of(struct mp_ctx *ctx, const char *name, const char *target_type,
				char **ret_params, uint64_t *ret_size)
{
	return map_target(ctx, DM_DEVICE_TABLE, name, target_type, ret_params, ret_size);
}

_public_ int mp_dm_get_status_of(struct mp_ctx *ctx, const char *name, const char *target_type,
				 char **ret_params)
{
	return map_target(ctx, DM_DEVICE_STATUS, name, target_type, ret_params, NULL);
}

_public_ int mp_dm_find_by_wwid(struct mp_ctx *ctx, const char *wwid, char **ret_name, char **ret_target)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	_cleanup_free_ char *name = NULL;
	char uuid[DM_UUID_LEN], *type = NULL, *params = NULL;
	uint64_t start, length;
	struct dm_info info;
	const char *n;
	int r;

	if (!ctx || !ret_name || !ret_target)
		return -EINVAL;
	r = map_uuid(wwid, uuid);
	if (r < 0)
		return r;
	/* STATUS, not TABLE: libdevmapper takes a missing device quietly for it. */
	r = task_new(DM_DEVICE_STATUS, NULL, &dmt);
	if (r < 0)
		return r;
	if (!dm_task_set_uuid(dmt, uuid))
		return -ENOMEM;
	(void)dm_task_no_open_count(dmt);
	if (!dm_task_run(dmt))
		return dm_errno(dmt);
	if (!dm_task_get_info(dmt, &info))
		return -EIO;
	if (!info.exists)
		return -ENXIO;
	(void)dm_get_next_target(dmt, NULL, &start, &length, &type, &params);
	n = dm_task_get_name(dmt);
	name = strdup(n ? n : "");
	*ret_target = strdup(type ? type : "");
	if (!name || !*ret_target) {
		free(*ret_target);
		*ret_target = NULL;
		return -ENOMEM;
	}
	*ret_name = TAKE_PTR(name);
	return 0;
}

_public_ void mp_dm_maps_free(struct mp_dm_map *maps, size_t n)
{
	if (!maps)
		return;
	for (size_t i = 0; i < n; i++) {
		free(maps[i].name);
		free(maps[i].uuid);
	}
	free(maps);
}

/* The uuid of a map if its (only) target is of type target_type; -ENOENT if not, or if it is gone. */
static int map_uuid_if_type(const char *name, const char *target_type, char **ret_uuid)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	char *type = NULL, *params = NULL;
	uint64_t start, length;
	const char *uuid;
	int r;

	r = task_new(DM_DEVICE_TABLE, name, &dmt);
	if (r < 0)
		return r;
	(void)dm_task_no_open_count(dmt);
	if (!dm_task_run(dmt))
		return dm_task_get_errno(dmt) == ENXIO ? -ENOENT : dm_errno(dmt);
	if (dm_get_next_target(dmt, NULL, &start, &length, &type, &params) || !type ||
	    strcmp(type, target_type) != 0)
		return -ENOENT;
	uuid = dm_task_get_uuid(dmt);
	*ret_uuid = strdup(uuid ? uuid : "");
	return *ret_uuid ? 0 : -ENOMEM;
}

_public_ int mp_dm_list_maps(struct mp_ctx *ctx, const char *target_type, struct mp_dm_map **ret,
			     size_t *ret_n)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	struct mp_dm_map *maps = NULL;
	struct dm_names *names;
	size_t n = 0, cap = 0;
	int r;

	if (!ctx || !ret || !ret_n)
		return -EINVAL;
	if (!target_type)
		target_type = MPIO_TARGET;
	r = task_new(DM_DEVICE_LIST, NULL, &dmt);
	if (r < 0)
		return r;
	if (!dm_task_run(dmt))
		return dm_errno(dmt);
	names = dm_task_get_names(dmt);
	if (!names)
		return -EIO;
	/* An empty list is one entry with dev 0. */
	for (unsigned next = names->dev ? 1 : 0; next;) {
		char *uuid = NULL;

		r = map_uuid_if_type(names->name, target_type, &uuid);
		if (r == -ENOENT)
			goto next;
		if (r < 0)
			goto fail;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct mp_dm_map *p = reallocarray(maps, ncap, sizeof(*maps));

			if (!p) {
				free(uuid);
				r = -ENOMEM;
				goto fail;
			}
			maps = p;
			cap = ncap;
		}
		maps[n].uuid = uuid;
		maps[n].name = strdup(names->name);
		if (!maps[n++].name) {
			r = -ENOMEM;
			goto fail;
		}
	next:
		next = names->next;
		names = (struct dm_names *)((char *)names + next);
	}
	*ret = maps;
	*ret_n = n;
	return 0;
fail:
	mp_dm_maps_free(maps, n);
	return r;
}
