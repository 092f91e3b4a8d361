/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path checks. The checker pool runs each check on a worker thread and
 * posts the result to a file descriptor the loop watches, so the loop never
 * blocks on a device. Failed paths are checked every CheckInterval, usable
 * ones four times less often. A failed path that checks up (or ghost) is
 * reinstated, then the Failback policy decides about switching groups; a
 * usable path that checks down is failed. Each result also re-reads the
 * path's ALUA access_state, and a change regroups the map.
 *
 * A standby path answers TEST UNIT READY, but I/O to it fails (scsi_dh_alua
 * rejects it). So a path that checks up or ghost while its port is standby
 * or unavailable is reinstated only in a group of its own kind (a lower
 * group of group_by_prio or failover); in a group that also holds an active
 * path it is kept failed, else the kernel fails it again on the next I/O
 * and the path flaps.
 *
 * PathChecker=none cannot tell whether a path works: its result is always
 * "up". So it never reinstates a path the kernel failed on its own (the
 * kernel would fail it again at the next I/O, and so on): such a path stays
 * failed until udev reports the device again (an add or change uevent,
 * check_device_reported()) or the admin reinstates it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/sysmacros.h>

#include "log.h"
#include "model.h"
#include "failover.h"
#include "check.h"

#define CHECKER_THREADS 4
#define CHECK_TIMEOUT_MS 10000
#define TICK_USEC (1000 * 1000)
#define ACTIVE_FACTOR 4		/* usable paths are checked this much less often */

static void check_submit(Context *c, struct dpath *p)
{
	enum mp_checker_type type = p->map ? p->map->settings.checker : MP_CHECKER_TUR;
	int r;

	r = mp_checker_submit(c->checkers, type, mp_path_get_devnode(p->mp), CHECK_TIMEOUT_MS,
			      (void *)(uintptr_t)p->id);
	if (r < 0) {
		log_errno(LOG_WARNING, r, "path %s: cannot queue a check", p->name);
		return;
	}
	p->check_pending = true;
}

void check_soon(Context *c, struct dpath *p, uint64_t delay_usec)
{
	p->next_check = now_usec() + delay_usec;
	if (delay_usec == 0 && !p->check_pending && c->checkers)
		check_submit(c, p);
}

static uint64_t interval_usec(const struct dpath *p)
{
	unsigned secs = p->map && p->map->settings.check_interval ? p->map->settings.check_interval : 5;

	return (uint64_t)secs * 1000000 * (p->failed ? 1 : ACTIVE_FACTOR);
}

/*
 * The SCSI midlayer took the device offline ("offline": by error handling or
 * by hand; "transport-offline": an iSCSI session whose recovery timed out,
 * an FC remote port gone past fast_io_fail): it rejects every command.
 * Linux 6.1 refuses to open it (ENXIO, a "down" check), but under Debian
 * trixie (6.12.117) the tur check of an offline scsi_debug device said "up"
 * and mpiod reinstated it, so the check's result alone does not decide.
 */
static bool device_offline(const struct dpath *p)
{
	enum mp_scsi_state s = mp_path_read_scsi_state(p->mp);

	return s == MP_SCSI_OFFLINE || s == MP_SCSI_TRANSPORT_OFFLINE;
}

/* Re-read the path's ALUA state; a change regroups its map. */
static void update_alua_state(Context *c, struct dmap *m, struct dpath *p)
{
	enum mp_alua_state alua = mp_path_read_alua_state(p->mp);

	if (alua == p->alua || alua == MP_ALUA_UNKNOWN)
		return;
	map_mark_dirty(c, m, "ALUA state of %s (%s): %s -> %s", p->name, p->devnum,
		       mp_alua_state_to_string(p->alua), mp_alua_state_to_string(alua));
	p->alua = alua;
}

static bool alua_active(enum mp_alua_state s)
{
	return s == MP_ALUA_OPTIMIZED || s == MP_ALUA_NONOPTIMIZED;
}

/*
 * Does p, which cannot take I/O (standby, unavailable, a ghost), share its
 * kernel path group with an active path? Read from the map's status, so it
 * follows the table the kernel runs, not the one a pending regroup builds.
 */
static bool standby_among_active(Context *c, struct dmap *m, const struct dpath *p)
{
	_cleanup_free_ char *params = NULL;
	struct mp_map_status *st = NULL;
	bool among = false;

	if (mp_dm_get_status(c->mp, m->name, &params) < 0 || mp_dm_parse_status(params, &st) < 0)
		return false;
	for (unsigned g = 0; g < st->n_groups && !among; g++) {
		const struct mp_map_group_status *gs = &st->groups[g];
		bool mine = false, active = false;

		for (unsigned k = 0; k < gs->n_paths; k++) {
			struct dpath *q = path_by_devt(c, makedev(gs->paths[k].major, gs->paths[k].minor));

			if (q == p)
				mine = true;
			else if (q && q->map == m && alua_active(q->alua))
				active = true;
		}
		among = mine && active;
	}
	mp_map_status_free(st);
	return among;
}

/* A path that answers but takes no I/O, in a group with active paths: keep it failed there. */
static void hold_standby(Context *c, struct dmap *m, struct dpath *p, const struct mp_check_result *res)
{
	if (!p->failed) {
		if (path_set_failed(c, p, true) < 0)
			return;
		p->next_check = now_usec() + interval_usec(p);
	}
	if (!p->standby_held)
		log_msg(LOG_NOTICE,
			"map %s: path %s (%s) checks %s (%s) but is %s, in a group with active paths: "
			"kept failed", m->name, p->name, p->devnum, mp_path_check_to_string(res->state),
			mp_checker_type_to_string(res->type), mp_alua_state_to_string(p->alua));
	p->standby_held = true;
}

static void path_reinstate(Context *c, struct dmap *m, struct dpath *p, const char *why,
			   const char *checker)
{
	if (path_set_failed(c, p, false) < 0)
		return;
	p->none_held = false;
	p->reported = false;
	p->next_check = now_usec() + interval_usec(p);
	log_msg(LOG_INFO, "map %s: path %s (%s) %s (%s), reinstated", m->name, p->name, p->devnum,
		why, checker);
	map_failback(c, m, false);
}

/*
 * udev reported the device of p (add or change): check a failed path now.
 * Without a checker, a uevent is the only sign it may work again: the check
 * then reinstates it (unless a standby port keeps it failed, as for others).
 * A device looked at again without a uevent (coldplug at a configuration
 * reload, AddPath) is no such sign.
 */
void check_device_reported(Context *c, struct dpath *p, bool uevent)
{
	if (!p->failed)
		return;
	if (uevent)
		p->reported = true;
	check_soon(c, p, 0);
}

static void on_check_result(const struct mp_check_result *res, void *userdata)
{
	Context *c = userdata;
	struct dpath *p = path_by_id(c, (uint64_t)(uintptr_t)res->userdata);
	struct mp_check_result offline;
	struct dmap *m;
	char why[64];

	if (!p)
		return; /* the path went away meanwhile */
	p->check_pending = false;
	p->next_check = now_usec() + interval_usec(p);
	m = p->map;
	if (!m || !m->exists)
		return;

	update_alua_state(c, m, p);

	if (res->state != MP_CHECK_DOWN && res->state != MP_CHECK_TIMEOUT && device_offline(p)) {
		offline = *res;
		offline.state = MP_CHECK_DOWN;
		offline.error = -ENXIO;
		res = &offline;
	}

	switch (res->state) {
	case MP_CHECK_UP:
	case MP_CHECK_GHOST:
		if (p->admin_failed)
			break;
		if ((res->state == MP_CHECK_GHOST || p->alua == MP_ALUA_STANDBY ||
		     p->alua == MP_ALUA_UNAVAILABLE) && standby_among_active(c, m, p)) {
			hold_standby(c, m, p, res);
			break;
		}
		p->standby_held = false;
		if (!p->failed) {
			p->none_held = false;
			break;
		}
		if (res->type == MP_CHECKER_NONE && !p->reported) {
			if (!p->none_held)
				log_msg(LOG_NOTICE, "map %s: path %s (%s) stays failed: PathChecker=none "
					"cannot tell it works; it is reinstated when udev reports the "
					"device again, or by ReinstatePath", m->name, p->name, p->devnum);
			p->none_held = true;
			break;
		}
		if (res->type == MP_CHECKER_NONE)
			snprintf(why, sizeof(why), "reported again by udev");
		else
			snprintf(why, sizeof(why), "checks %s", mp_path_check_to_string(res->state));
		path_reinstate(c, m, p, why,
			       res->type == MP_CHECKER_NONE ? "PathChecker=none" :
			       mp_checker_type_to_string(res->type));
		break;
	case MP_CHECK_DOWN:
	case MP_CHECK_TIMEOUT:
		if (p->failed)
			break;
		if (path_set_failed(c, p, true) < 0)
			break;
		p->next_check = now_usec() + interval_usec(p);
		log_msg(LOG_WARNING, "map %s: path %s (%s) checks %s (%s%s%s), failed it", m->name,
			p->name, p->devnum, mp_path_check_to_string(res->state),
			mp_checker_type_to_string(res->type), res->error ? ": " : "",
			res->error ? strerror(-res->error) : "");
		break;
	case MP_CHECK_TRANSITIONING:
		p->next_check = now_usec() + TICK_USEC;
		break;
	default:
		log_msg(LOG_DEBUG, "path %s: check could not run: %s", p->name,
			res->error ? strerror(-res->error) : "?");
		break;
	}
}

static int on_checker_fd(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	Context *c = userdata;
	int r;

	r = mp_checker_pool_dispatch(c->checkers, on_check_result, c);
	if (r < 0)
		log_errno(LOG_ERR, r, "checker results lost");
	return 0;
}

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata)
{
	Context *c = userdata;
	uint64_t now = now_usec();

	for (size_t i = 0; i < c->n_paths; i++) {
		struct dpath *p = c->paths[i];

		if (!p->map || !p->map->exists)
			continue;
		/*
		 * The map's table attached scsi_dh_alua, whose first RTPG gives the
		 * state only now: learn it at once, not at the next check, so that
		 * standby paths leave the active group before I/O fails on them.
		 */
		if (p->alua == MP_ALUA_UNKNOWN && p->map->settings.hw_handler == MP_HW_HANDLER_ALUA)
			update_alua_state(c, p->map, p);
		if (!p->check_pending && now >= p->next_check)
			check_submit(c, p);
	}
	(void)sd_event_source_set_time_relative(s, TICK_USEC);
	return 0;
}

int check_setup(Context *c)
{
	int r;

	r = mp_checker_pool_new(c->mp, CHECKER_THREADS, &c->checkers);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot start the checker threads");
	r = sd_event_add_io(c->event, &c->checker_source, mp_checker_pool_get_fd(c->checkers), EPOLLIN,
			    on_checker_fd, c);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot watch the checkers");
	r = sd_event_add_time_relative(c->event, &c->tick_timer, CLOCK_MONOTONIC, TICK_USEC,
				       100 * 1000, on_tick, c);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot arm the check timer");
	return sd_event_source_set_enabled(c->tick_timer, SD_EVENT_ON);
}
