/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery: the set of paths, from coldplug (udev enumeration) and from
 * uevents. A path is an sd disk whose INQUIRY vendor/product (or transport)
 * the supported-device list claims and that has a WWID; it joins the map of
 * its WWID, and gets the map's transport settings (transport.c). Changes
 * only mark maps dirty: the reload itself runs later, once per map for a
 * whole burst of uevents (maps.c).
 *
 * The same monitor brings the mpio target's path uevents (change events of
 * the dm disk with DM_ACTION=PATH_FAILED/PATH_REINSTATED) and SCSI device
 * events (an ALUA state change is reported on the scsi_device).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/sysmacros.h>

#include "log.h"
#include "model.h"
#include "transport.h"
#include "check.h"
#include "discovery.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct udev_device *, udev_device_unref);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct udev_enumerate *, udev_enumerate_unref);

static void path_drop(Context *c, struct dpath *p, const char *why)
{
	struct dmap *m = p->map;

	if (m)
		map_mark_dirty(c, m, "%s path %s (%s)", why, p->name, p->devnum);
	else
		log_msg(LOG_INFO, "path %s (%s): %s", p->name, p->devnum, why);
	path_free(c, p);
}

static bool scsi_state_down(enum mp_scsi_state s)
{
	return s == MP_SCSI_OFFLINE || s == MP_SCSI_TRANSPORT_OFFLINE || s == MP_SCSI_DELETED ||
	       s == MP_SCSI_CANCEL;
}

/* Does the table text name the device "MAJ:MIN" as one of its words? (the kernel's form) */
static bool table_names_dev(const char *table, const char *devnum)
{
	size_t n = strlen(devnum);

	for (const char *s = table; (s = strstr(s, devnum)); s += n)
		if ((s == table || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return true;
	return false;
}

/*
 * The map adopted at start whose table holds this path although its uuid
 * holds another WWID: made by an older mpio, which read the LU's WWID
 * another way (README, "Upgrade notes"). A new map could not take the path
 * from under it, and two maps of one LU must not be: the path joins it,
 * and the map goes on under its uuid until it is removed. NULL if none.
 */
static struct dmap *adopted_map_of(Context *c, const char *wwid, dev_t devt)
{
	char devnum[24], part[MP_MAP_UUID_SIZE];

	/* A WWID too long for a uuid has its short form there (map_get_or_new()). */
	if (mp_wwid_uuid_part(wwid, part, sizeof(part)) >= 0 && map_by_wwid(c, part))
		return NULL;
	snprintf(devnum, sizeof(devnum), "%u:%u", major(devt), minor(devt));
	for (size_t i = 0; i < c->n_maps; i++) {
		struct dmap *m = c->maps[i];

		if (!m->adopting || !m->adopted_table || m->path_wwid ||
		    !table_names_dev(m->adopted_table, devnum))
			continue;
		m->path_wwid = strdup(wwid);
		if (!m->path_wwid)
			return NULL;
		log_msg(LOG_WARNING, "map %s (%s): its paths' WWID is %s now, as udev's scsi_id gives "
			"it, where an older mpio made the map under %s: it keeps them while it exists; "
			"flush it when it is not in use (or reboot) to have it made as " MP_UUID_PREFIX
			"%s, and write that WWID in [Map] WWID= and the bindings file", m->name, m->wwid,
			wwid, m->wwid, wwid);
		return m;
	}
	return NULL;
}

/* An add or change of an sd disk, or a disk found by coldplug. */
static void path_seen(Context *c, struct udev_device *dev)
{
	_cleanup_(mp_path_unrefp) struct mp_path *mp = NULL;
	const char *name = udev_device_get_sysname(dev), *wwid;
	struct dpath *p = name ? path_by_name(c, name) : NULL;
	enum mp_alua_state alua;
	struct dmap *m;
	int r, claim;

	if (!name)
		return;
	r = mp_path_new_from_udev(c->mp, dev, &mp);
	if (r < 0) {
		if (r != -ENODEV && r != -ENOTBLK)
			log_errno(LOG_DEBUG, r, "%s: not a usable path", name);
		if (p)
			path_drop(c, p, "lost");
		return;
	}
	wwid = mp_path_get_wwid(mp);
	claim = mp_supported_claims(c->supported, mp);
	if (claim < 0 || mp_path_get_size(mp) == 0) {
		if ((claim >= 0 || claim == -ENODATA) && !p)
			log_msg(LOG_WARNING, "%s: claimed (%s %s) but unusable: %s, ignoring", name,
				mp_path_get_vendor(mp), mp_path_get_product(mp),
				claim == -ENODATA ? "no WWID" : "size 0");
		if (p)
			path_drop(c, p, claim == -ENOENT ? "unclaimed" : "unusable");
		return;
	}
	if (p && (p->devt != mp_path_get_devt(mp) || strcmp(mp_path_get_wwid(p->mp), wwid) != 0)) {
		path_drop(c, p, "replaced");
		p = NULL;
	}

	alua = mp_path_get_alua_state(mp);
	if (p) {
		uint64_t old_size = mp_path_get_size(p->mp);

		mp_path_unref(p->mp);
		p->mp = TAKE_PTR(mp);
		if (alua != p->alua) {
			map_mark_dirty(c, p->map, "ALUA state of %s (%s): %s -> %s", p->name, p->devnum,
				       mp_alua_state_to_string(p->alua), mp_alua_state_to_string(alua));
			p->alua = alua;
		}
		if (mp_path_get_size(p->mp) != old_size)
			map_mark_dirty(c, p->map, "size of %s changed", p->name);
		/* A uevent has an action; a device enumerated at coldplug has none. */
		check_device_reported(c, p, udev_device_get_action(dev) != NULL);
		return;
	}

	p = calloc(1, sizeof(*p));
	if (!p || (c->n_paths == c->cap_paths && c->cap_paths > SIZE_MAX / 4)) {
		free(p);
		log_errno(LOG_ERR, -ENOMEM, "%s: cannot add path", name);
		return;
	}
	if (c->n_paths == c->cap_paths) {
		size_t cap = c->cap_paths ? c->cap_paths * 2 : 64;
		struct dpath **a = reallocarray(c->paths, cap, sizeof(*a));

		if (!a) {
			free(p);
			log_errno(LOG_ERR, -ENOMEM, "%s: cannot add path", name);
			return;
		}
		c->paths = a;
		c->cap_paths = cap;
	}
	m = map_by_wwid(c, wwid) ?: adopted_map_of(c, wwid, mp_path_get_devt(mp));
	if (!m)
		m = map_get_or_new(c, wwid);
	if (!m) {
		free(p);
		log_errno(LOG_ERR, -ENOMEM, "%s: cannot add path", name);
		return;
	}
	p->id = ++c->next_path_id;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->devt = mp_path_get_devt(mp);
	snprintf(p->devnum, sizeof(p->devnum), "%u:%u", major(p->devt), minor(p->devt));
	p->alua = alua;
	p->failed = scsi_state_down(mp_path_get_scsi_state(mp));
	p->mp = TAKE_PTR(mp);
	if (map_add_path(c, m, p) < 0) {
		mp_path_unref(p->mp);
		free(p);
		log_errno(LOG_ERR, -ENOMEM, "%s: cannot add path", name);
		return;
	}
	c->paths[c->n_paths++] = p;
	transport_apply(c, p);
	map_mark_dirty(c, m, "added path %s (%s)", p->name, p->devnum);
	check_soon(c, p, (uint64_t)m->settings.check_interval * 1000000);
	state_mark_dirty(c);
}

int discovery_add_path(Context *c, const char *name)
{
	struct udev_device *dev;

	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	dev = udev_device_new_from_subsystem_sysname(c->udev, "block", name);
	if (!dev)
		return -ENODEV;
	path_seen(c, dev);
	udev_device_unref(dev);
	return path_by_name(c, name) ? 0 : -ENOENT;
}

void discovery_remove_path(Context *c, struct dpath *p, const char *why)
{
	path_drop(c, p, why);
}

static void path_gone(Context *c, const char *name)
{
	struct dpath *p = path_by_name(c, name);

	if (p)
		path_drop(c, p, "removed");
}

static int on_no_path_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
	state_mark_dirty(userdata);
	return 0;
}

/*
 * The map's last usable path failed. With NoPathRetry=<seconds> the kernel
 * stops queueing after that long (and turns it on again itself when a path
 * is usable): it sends no event then, so publish the state again once it
 * should have expired, for the state file and D-Bus to show it. Only a
 * refresh of what is shown: queueing itself is the kernel's alone.
 */
static void watch_no_path_timeout(Context *c, struct dmap *m)
{
	int r;

	if (m->settings.no_path_retry != MP_NO_PATH_TIMEOUT)
		return;
	/* Floating: the loop owns it; it touches no map, so it may outlive this one. */
	r = sd_event_add_time_relative(c->event, NULL, CLOCK_MONOTONIC,
				       ((uint64_t)m->settings.no_path_timeout + 1) * 1000000, 100 * 1000,
				       on_no_path_timeout, c);
	if (r < 0)
		log_errno(LOG_WARNING, r, "map %s: cannot schedule a state refresh", m->name);
}

/* A path uevent of an mpio map: the kernel failed or reinstated a path. */
static void dm_path_event(Context *c, struct udev_device *dev, const char *action)
{
	const char *name = udev_device_get_property_value(dev, "DM_NAME");
	const char *dpath = udev_device_get_property_value(dev, "DM_PATH");
	const char *nr = udev_device_get_property_value(dev, "DM_NR_VALID_PATHS");
	unsigned maj, min;
	struct dpath *p;
	struct dmap *m;

	if (!name || !dpath || sscanf(dpath, "%u:%u", &maj, &min) != 2)
		return;
	m = map_by_name(c, name);
	p = path_by_devt(c, makedev(maj, min));
	if (!m || !p || p->map != m)
		return;
	if (strcmp(action, "PATH_FAILED") == 0) {
		if (!p->failed)
			log_msg(LOG_WARNING, "map %s: kernel failed path %s (%s), %s usable paths left",
				m->name, p->name, p->devnum, nr ?: "?");
		p->failed = true;
		check_soon(c, p, (uint64_t)m->settings.check_interval * 1000000);
		if (nr && strcmp(nr, "0") == 0)
			watch_no_path_timeout(c, m);
	} else if (strcmp(action, "PATH_REINSTATED") == 0) {
		if (p->failed)
			log_msg(LOG_INFO, "map %s: path %s (%s) reinstated", m->name, p->name, p->devnum);
		p->failed = false;
	}
	state_mark_dirty(c);
}

/* A SCSI device event (e.g. an ALUA state change unit attention): check its paths now. */
static void scsi_device_event(Context *c, struct udev_device *dev)
{
	const char *syspath = udev_device_get_syspath(dev);
	size_t n;

	if (!syspath)
		return;
	n = strlen(syspath);
	for (size_t i = 0; i < c->n_paths; i++) {
		const char *ps = mp_path_get_syspath(c->paths[i]->mp);

		if (ps && strncmp(ps, syspath, n) == 0 && ps[n] == '/')
			check_soon(c, c->paths[i], 0);
	}
}

static void handle_device(Context *c, struct udev_device *dev)
{
	const char *action = udev_device_get_action(dev) ?: "";
	const char *subsystem = udev_device_get_subsystem(dev) ?: "";
	const char *name = udev_device_get_sysname(dev) ?: "";
	const char *dm_action;

	if (strcmp(subsystem, "scsi") == 0) {
		if (strcmp(action, "change") == 0)
			scsi_device_event(c, dev);
		return;
	}
	if (strncmp(name, "dm-", 3) == 0) {
		dm_action = udev_device_get_property_value(dev, "DM_ACTION");
		if (dm_action && strcmp(action, "change") == 0)
			dm_path_event(c, dev, dm_action);
		return;
	}
	if (strncmp(name, "sd", 2) != 0)
		return;
	if (strcmp(action, "remove") == 0)
		path_gone(c, name);
	else if (strcmp(action, "add") == 0 || strcmp(action, "change") == 0)
		path_seen(c, dev);
}

/*
 * At most UEVENT_BATCH uevents, or UEVENT_SLICE_USEC, per dispatch: the
 * socket stays readable, so the loop comes back for the rest after whatever
 * else is pending (a D-Bus request first, PRIORITY_BUS). Draining a whole
 * storm at once kept the CLI waiting behind it for as long as the storm
 * lasted; a new path's sysfs and VPD reads are slow on a loaded host.
 */
#define UEVENT_BATCH 32
#define UEVENT_SLICE_USEC (50 * 1000)

static int on_uevent(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	Context *c = userdata;
	uint64_t t0 = now_usec();
	struct udev_device *dev;

	for (unsigned n = 0; n < UEVENT_BATCH && now_usec() - t0 < UEVENT_SLICE_USEC &&
	     (dev = udev_monitor_receive_device(c->monitor)); n++) {
		log_msg(LOG_DEBUG, "uevent %s %s", udev_device_get_action(dev) ?: "?",
			udev_device_get_sysname(dev) ?: "?");
		handle_device(c, dev);
		udev_device_unref(dev);
	}
	return 0;
}

int discovery_setup(Context *c)
{
	int r;

	c->udev = udev_new();
	if (!c->udev)
		return log_errno(LOG_ERR, -ENOMEM, "cannot create udev context");
	c->monitor = udev_monitor_new_from_netlink(c->udev, "udev");
	if (!c->monitor)
		return log_errno(LOG_ERR, -errno ?: -EIO, "cannot open udev monitor");
	r = udev_monitor_filter_add_match_subsystem_devtype(c->monitor, "block", "disk");
	if (r >= 0)
		r = udev_monitor_filter_add_match_subsystem_devtype(c->monitor, "scsi", "scsi_device");
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot filter udev monitor");
	/* A storm of uevents (a whole array appearing) must not overflow the socket. */
	(void)udev_monitor_set_receive_buffer_size(c->monitor, 128 * 1024 * 1024);
	r = udev_monitor_enable_receiving(c->monitor);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot enable udev monitor");
	r = sd_event_add_io(c->event, &c->monitor_source, udev_monitor_get_fd(c->monitor), EPOLLIN,
			    on_uevent, c);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot watch udev monitor");
	r = sd_event_source_set_priority(c->monitor_source, PRIORITY_UEVENT);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot set the udev monitor's priority");
	return 0;
}

/* Look at every sd disk there is, as if each had just been added. */
int discovery_coldplug(Context *c)
{
	_cleanup_(udev_enumerate_unrefp) struct udev_enumerate *e = NULL;
	struct udev_list_entry *entry;
	int r;

	e = udev_enumerate_new(c->udev);
	if (!e)
		return log_errno(LOG_ERR, -ENOMEM, "cannot enumerate block devices");
	if ((r = udev_enumerate_add_match_subsystem(e, "block")) < 0 ||
	    (r = udev_enumerate_add_match_sysname(e, "sd*")) < 0 ||
	    (r = udev_enumerate_scan_devices(e)) < 0)
		return log_errno(LOG_ERR, r, "cannot enumerate block devices");
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		_cleanup_(udev_device_unrefp) struct udev_device *dev = NULL;
		const char *devtype;

		dev = udev_device_new_from_syspath(c->udev, udev_list_entry_get_name(entry));
		if (!dev)
			continue;
		devtype = udev_device_get_devtype(dev);
		if (!devtype || strcmp(devtype, "disk") != 0)
			continue;
		path_seen(c, dev);
	}
	return 0;
}
