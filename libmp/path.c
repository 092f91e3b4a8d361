/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The device model: one struct mp_path per SCSI disk (sdX), read once from
 * sysfs and immutable afterwards. A change (a uevent, a new ALUA state) is
 * picked up by building a new object, so a path can be shared with readers
 * of a published snapshot without locks.
 *
 * sysfs layout used (the block device's directory is <syspath>, e.g.
 * /sys/devices/platform/host3/session1/target3:0:0/3:0:0:1/block/sdc):
 *   <syspath>/dev                 "major:minor"
 *   <syspath>/size                size in 512-byte sectors
 *   <syspath>/partition           present on partitions, which are refused
 *   <syspath>/device              link to the SCSI device, named H:C:T:L
 *   device/vendor, model, rev     INQUIRY strings, space padded
 *   device/state                  SCSI device state ("running", ...)
 *   device/dh_state               attached device handler ("alua", "detached")
 *   device/access_state           ALUA state, from scsi_dh_alua
 *   device/vpd_pg83, vpd_pg80     WWID (vpd.c) and target port group
 * The transport comes from the SCSI device's ancestors (and so does the SCSI
 * host, .../hostN/..., whose class directory is hostN/scsi_host/hostN):
 *   iSCSI  .../hostN/sessionM/...            sessionM/iscsi_session/sessionM/targetname,
 *                                            sessionM/connectionM:C/iscsi_connection/
 *                                            connectionM:C/persistent_address, persistent_port
 *   FC     .../hostN/rport-N:B-R/...         rport-N:B-R/fc_remote_ports/rport-N:B-R/port_name,
 *                                            hostN/fc_host/hostN/port_name
 *   SAS    .../end_device-N:P[:E]/...        end_device-.../sas_device/end_device-.../sas_address
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <libudev.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "fileio.h"
#include "libmp-private.h"

/* sysfs attributes are one page at most */
#define ATTR_MAX 4096
#define VPD_MAX (4 + 0xffff)

static inline void *mfree(void *p)
{
	free(p);
	return NULL;
}

static inline void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

struct mp_path {
	unsigned refcount;
	char *name;	/* "sdc" */
	char *devnode;	/* "/dev/sdc" */
	char *syspath;	/* the block device's real sysfs directory */
	dev_t devt;
	uint64_t size;	/* bytes */
	char *vendor, *product, *revision;
	unsigned host, channel, target;
	uint64_t lun;
	char wwid[MP_WWID_SIZE];
	int wwid_error; /* 0 when wwid is set */
	enum mp_transport transport;
	char *iscsi_session, *iscsi_target, *iscsi_portal;
	char *fc_host_wwpn, *fc_rport_wwpn;
	char *sas_address;
	char *port_dir;	/* the iSCSI session's or FC remote port's device directory, or NULL */
	char *host_dir;	/* the SCSI host's device directory, or NULL */
	char *dh_name; /* NULL: no handler attached */
	int tpg;       /* -ENODATA when unknown */
	enum mp_alua_state alua_state;
	enum mp_scsi_state scsi_state;
};

static const char *const scsi_state_names[_MP_SCSI_STATE_MAX] = {
	[MP_SCSI_CREATED] = "created",
	[MP_SCSI_RUNNING] = "running",
	[MP_SCSI_CANCEL] = "cancel",
	[MP_SCSI_DELETED] = "deleted",
	[MP_SCSI_QUIESCE] = "quiesce",
	[MP_SCSI_OFFLINE] = "offline",
	[MP_SCSI_TRANSPORT_OFFLINE] = "transport-offline",
	[MP_SCSI_BLOCKED] = "blocked",
	[MP_SCSI_CREATED_BLOCKED] = "created-blocked",
	[MP_SCSI_UNKNOWN] = "unknown",
};

_public_ const char *mp_scsi_state_to_string(enum mp_scsi_state state)
{
	if (state < 0 || state >= _MP_SCSI_STATE_MAX)
		return NULL;
	return scsi_state_names[state];
}

_public_ enum mp_scsi_state mp_scsi_state_from_string(const char *s)
{
	if (!s)
		return _MP_SCSI_STATE_INVALID;
	for (size_t i = 0; i < ARRAY_SIZE(scsi_state_names); i++)
		if (strcmp(s, scsi_state_names[i]) == 0)
			return (enum mp_scsi_state)i;
	return _MP_SCSI_STATE_INVALID;
}

/*
 * The words of sysfs access_state (scsi_dh_alua). "lba-dependent" is I/O
 * capable for the LBAs the device says so: it counts as non-optimized.
 */
static const struct {
	const char *word;
	enum mp_alua_state state;
} access_states[] = {
	{ "active/optimized", MP_ALUA_OPTIMIZED },
	{ "active/non-optimized", MP_ALUA_NONOPTIMIZED },
	{ "lba-dependent", MP_ALUA_NONOPTIMIZED },
	{ "standby", MP_ALUA_STANDBY },
	{ "unavailable", MP_ALUA_UNAVAILABLE },
	{ "offline", MP_ALUA_OFFLINE },
	{ "transitioning", MP_ALUA_TRANSITIONING },
};

static enum mp_alua_state alua_state_from_sysfs(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(access_states); i++)
		if (strcmp(s, access_states[i].word) == 0)
			return access_states[i].state;
	return MP_ALUA_UNKNOWN;
}

_public_ struct mp_path *mp_path_ref(struct mp_path *path)
{
	if (path)
		path->refcount++;
	return path;
}

_public_ struct mp_path *mp_path_unref(struct mp_path *path)
{
	if (!path || --path->refcount > 0)
		return NULL;
	free(path->name);
	free(path->devnode);
	free(path->syspath);
	free(path->vendor);
	free(path->product);
	free(path->revision);
	free(path->iscsi_session);
	free(path->iscsi_target);
	free(path->iscsi_portal);
	free(path->fc_host_wwpn);
	free(path->fc_rport_wwpn);
	free(path->sas_address);
	free(path->port_dir);
	free(path->host_dir);
	free(path->dh_name);
	free(path);
	return NULL;
}

/*
 * A text attribute dir/name, with trailing blanks and newlines removed (and
 * leading blanks too if trim_leading). -ENOENT if missing.
 */
static int read_text(const char *dir, const char *name, bool trim_leading, char **ret)
{
	_cleanup_free_ char *path = NULL, *s = NULL;
	size_t len = 0;
	char *start;
	int r;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	r = mp_read_file(path, ATTR_MAX, &s, &len);
	if (r < 0)
		return r;
	if (strlen(s) != len)
		return -EBADMSG; /* a NUL inside a text attribute */
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	start = s;
	if (trim_leading)
		while (*start == ' ' || *start == '\t')
			start++;
	if (start != s)
		memmove(s, start, strlen(start) + 1);
	*ret = TAKE_PTR(s);
	return 0;
}

/* Like read_text(), but a missing attribute is not an error: *ret stays NULL. */
static int read_text_opt(const char *dir, const char *name, char **ret)
{
	int r;

	r = read_text(dir, name, true, ret);
	return r == -ENOENT ? 0 : r;
}

static int read_u64(const char *dir, const char *name, uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	char *end;
	int r;

	r = read_text(dir, name, true, &s);
	if (r < 0)
		return r;
	if (s[0] < '0' || s[0] > '9')
		return -EBADMSG;
	errno = 0;
	*ret = strtoull(s, &end, 10);
	if (errno || *end)
		return -EBADMSG;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "H:C:T:L" */
static int parse_scsi_address(const char *s, struct mp_path *p)
{
	int n = -1;

	if (sscanf(s, "%u:%u:%u:%" SCNu64 "%n", &p->host, &p->channel, &p->target, &p->lun, &n) != 4 ||
	    n < 0 || s[n] != '\0' || s[0] < '0' || s[0] > '9')
		return -ENODEV;
	return 0;
}

/* dir/<sub>/<name>/attr, the attribute of a class device under its parent device dir/<name>. */
static int read_class_attr(const char *dir, const char *sub, const char *attr, char **ret)
{
	_cleanup_free_ char *classdir = NULL;

	if (asprintf(&classdir, "%s/%s/%s", dir, sub, base_name(dir)) < 0)
		return -ENOMEM;
	return read_text_opt(classdir, attr, ret);
}

/* Target IQN and portal of the iSCSI session directory sessdir. */
static int read_iscsi(struct mp_path *p, const char *sessdir)
{
	_cleanup_free_ char *addr = NULL, *port = NULL;
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	int r;

	p->iscsi_session = strdup(base_name(sessdir));
	if (!p->iscsi_session)
		return -ENOMEM;
	r = read_class_attr(sessdir, "iscsi_session", "targetname", &p->iscsi_target);
	if (r < 0)
		return r;

	/* One connection per session (open-iscsi never makes more): take the first. */
	d = opendir(sessdir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		_cleanup_free_ char *conndir = NULL;

		if (!has_prefix(de->d_name, "connection"))
			continue;
		if (asprintf(&conndir, "%s/%s", sessdir, de->d_name) < 0)
			return -ENOMEM;
		r = read_class_attr(conndir, "iscsi_connection", "persistent_address", &addr);
		if (r >= 0)
			r = read_class_attr(conndir, "iscsi_connection", "persistent_port", &port);
		if (r < 0)
			return r;
		break;
	}
	if (addr && port) {
		/* IPv6 addresses in brackets, so that the port stays apart */
		if (asprintf(&p->iscsi_portal, strchr(addr, ':') ? "[%s]:%s" : "%s:%s", addr, port) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int read_fc(struct mp_path *p, const char *rportdir, const char *hostdir)
{
	int r;

	r = read_class_attr(rportdir, "fc_remote_ports", "port_name", &p->fc_rport_wwpn);
	if (r < 0 || !hostdir)
		return r;
	return read_class_attr(hostdir, "fc_host", "port_name", &p->fc_host_wwpn);
}

/*
 * Find the transport in the ancestors of the SCSI device's real directory,
 * nearest first: the session, remote port or end device the LU is reached
 * through. Stops at the "devices" directory, the top of the device tree.
 */
static int detect_transport(struct mp_path *p, const char *devdir)
{
	_cleanup_free_ char *dir = strdup(devdir);
	char *slash;
	int r;

	if (!dir)
		return -ENOMEM;
	while ((slash = strrchr(dir, '/')) && slash != dir) {
		const char *name;

		*slash = '\0';
		name = base_name(dir);
		if (strcmp(name, "devices") == 0)
			break;

		if (has_prefix(name, "session")) {
			const char *parent = NULL;
			char *pslash = strrchr(dir, '/');

			if (pslash && pslash != dir) {
				*pslash = '\0';
				parent = base_name(dir);
				*pslash = '/';
			}
			if (parent && has_prefix(parent, "host")) {
				p->transport = MP_TRANSPORT_ISCSI;
				p->port_dir = strdup(dir);
				if (!p->port_dir)
					return -ENOMEM;
				return read_iscsi(p, dir);
			}
		} else if (has_prefix(name, "rport-")) {
			_cleanup_free_ char *hostdir = strdup(dir);
			char *h;

			if (!hostdir)
				return -ENOMEM;
			h = strrchr(hostdir, '/');
			if (h && h != hostdir)
				*h = '\0';
			p->transport = MP_TRANSPORT_FC;
			p->port_dir = strdup(dir);
			if (!p->port_dir)
				return -ENOMEM;
			return read_fc(p, dir, h && has_prefix(base_name(hostdir), "host") ? hostdir : NULL);
		} else if (has_prefix(name, "end_device-")) {
			p->transport = MP_TRANSPORT_SAS;
			return read_class_attr(dir, "sas_device", "sas_address", &p->sas_address);
		}
	}

	/* Some SAS HBAs show the address on the SCSI device only. */
	r = read_text_opt(devdir, "sas_address", &p->sas_address);
	if (r < 0)
		return r;
	p->transport = p->sas_address ? MP_TRANSPORT_SAS : MP_TRANSPORT_OTHER;
	return 0;
}

/* The nearest ancestor of devdir named host<N>: the SCSI host, NULL if none. */
static int find_host_dir(struct mp_path *p, const char *devdir)
{
	_cleanup_free_ char *dir = strdup(devdir);
	char *slash;

	if (!dir)
		return -ENOMEM;
	while ((slash = strrchr(dir, '/')) && slash != dir) {
		const char *name;
		unsigned n;
		int end = -1;

		*slash = '\0';
		name = base_name(dir);
		if (strcmp(name, "devices") == 0)
			break;
		if (sscanf(name, "host%u%n", &n, &end) == 1 && end > 0 && name[end] == '\0') {
			p->host_dir = strdup(dir);
			return p->host_dir ? 0 : -ENOMEM;
		}
	}
	return 0;
}

static int read_alua(struct mp_path *p, const char *devdir, const char *pg83, size_t len83)
{
	_cleanup_free_ char *state = NULL;
	int r;

	p->tpg = -ENODATA;
	p->alua_state = MP_ALUA_UNKNOWN;

	r = read_text_opt(devdir, "dh_state", &p->dh_name);
	if (r < 0)
		return r;
	if (p->dh_name && strcmp(p->dh_name, "detached") == 0)
		p->dh_name = mfree(p->dh_name);

	if (pg83 && len83 > 0) {
		r = mp_tpg_from_vpd83((const uint8_t *)pg83, len83);
		if (r >= 0)
			p->tpg = r;
	}

	/* Without a device handler the kernel fails the read (EINVAL): that is "unknown". */
	r = read_text_opt(devdir, "access_state", &state);
	if (r == -ENOMEM)
		return r;
	if (state)
		p->alua_state = alua_state_from_sysfs(state);
	return 0;
}

/*
 * The real path of the symlink dir/name, dir being a real path: sysfs links
 * are relative and lead to real directories, so resolving their ".."
 * lexically gives what realpath() would, with one system call instead of
 * one per component. NULL with errno set on failure.
 */
static char *resolve_link(const char *dir, const char *name)
{
	_cleanup_free_ char *lpath = NULL;
	char target[PATH_MAX], *out, *save = NULL, *c;
	size_t len;
	ssize_t n;

	if (asprintf(&lpath, "%s/%s", dir, name) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	n = readlink(lpath, target, sizeof(target) - 1);
	if (n < 0 && errno == EINVAL)
		return realpath(lpath, NULL); /* not a link */
	if (n < 0)
		return NULL;
	target[n] = '\0';
	if (target[0] == '/')
		return realpath(lpath, NULL);
	len = strlen(dir);
	out = malloc(len + 1 + (size_t)n + 1);
	if (!out)
		return NULL;
	memcpy(out, dir, len + 1);
	for (c = strtok_r(target, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			char *slash = strrchr(out, '/');

			if (slash)
				*(slash == out ? slash + 1 : slash) = '\0';
			continue;
		}
		len = strlen(out);
		if (len == 0 || out[len - 1] != '/')
			out[len++] = '/';
		strcpy(out + len, c);
	}
	return out;
}

static int read_device(struct mp_path *p, const char *blockdir)
{
	_cleanup_free_ char *devlink = NULL, *devdir = NULL, *devno = NULL, *state = NULL;
	_cleanup_free_ char *pg83path = NULL, *pg83 = NULL;
	size_t len83 = 0;
	unsigned maj, min;
	uint64_t sectors;
	int n = -1, r;

	if (asprintf(&devlink, "%s/partition", blockdir) < 0)
		return -ENOMEM;
	if (access(devlink, F_OK) == 0)
		return -ENOTBLK;
	devlink = mfree(devlink);

	r = read_text(blockdir, "dev", true, &devno);
	if (r < 0)
		return r;
	if (sscanf(devno, "%u:%u%n", &maj, &min, &n) != 2 || n < 0 || devno[n] != '\0')
		return -EBADMSG;
	p->devt = makedev(maj, min);

	r = read_u64(blockdir, "size", &sectors);
	if (r < 0)
		return r;
	if (sectors > UINT64_MAX / 512)
		return -EBADMSG;
	p->size = sectors * 512;

	/* Only SCSI disks are paths: their "device" is an H:C:T:L directory. */
	devdir = resolve_link(blockdir, "device");
	if (!devdir)
		return errno == ENOENT ? -ENODEV : -errno;
	r = parse_scsi_address(base_name(devdir), p);
	if (r < 0)
		return r;

	r = read_text(devdir, "vendor", true, &p->vendor);
	if (r >= 0)
		r = read_text(devdir, "model", true, &p->product);
	if (r >= 0)
		r = read_text_opt(devdir, "rev", &p->revision);
	if (r < 0)
		return r;

	r = read_text_opt(devdir, "state", &state);
	if (r < 0)
		return r;
	p->scsi_state = state ? mp_scsi_state_from_string(state) : MP_SCSI_UNKNOWN;
	if (p->scsi_state < 0)
		p->scsi_state = MP_SCSI_UNKNOWN;

	/* Page 0x83 gives both the WWID and the target port group: read it once. */
	if (asprintf(&pg83path, "%s/vpd_pg83", devdir) < 0)
		return -ENOMEM;
	r = mp_read_file(pg83path, VPD_MAX, &pg83, &len83);
	if (r < 0)
		len83 = 0;
	if (r < 0 && r != -ENOENT)
		r = r == -EFBIG ? -EBADMSG : r;
	else
		r = mp_wwid_from_sysfs_pg83(devdir, (const uint8_t *)pg83, len83, p->wwid,
					    sizeof(p->wwid));
	p->wwid_error = r < 0 ? r : 0;
	if (r < 0)
		p->wwid[0] = '\0';
	if (r == -ENOMEM)
		return r;

	r = read_alua(p, devdir, pg83, len83);
	if (r >= 0)
		r = find_host_dir(p, devdir);
	if (r < 0)
		return r;
	return detect_transport(p, devdir);
}

/*
 * Build a path from the block device's sysfs directory (already its real
 * path if canonical, as udev's syspaths are); devnode may be NULL
 * ("/dev/<name>").
 */
static int path_new(struct mp_ctx *ctx, const char *syspath, bool canonical, const char *devnode,
		    struct mp_path **ret)
{
	_cleanup_(mp_path_unrefp) struct mp_path *p = NULL;
	int r;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->refcount = 1;
	p->syspath = canonical ? strdup(syspath) : realpath(syspath, NULL);
	if (!p->syspath)
		return -errno;
	p->name = strdup(base_name(p->syspath));
	if (!p->name)
		return -ENOMEM;
	if (devnode)
		p->devnode = strdup(devnode);
	else if (asprintf(&p->devnode, "/dev/%s", p->name) < 0)
		p->devnode = NULL;
	if (!p->devnode)
		return -ENOMEM;

	r = read_device(p, p->syspath);
	if (r < 0) {
		mp_dbg(ctx, "%s: not a usable SCSI path: %s", p->name, strerror(-r));
		return r;
	}
	*ret = TAKE_PTR(p);
	return 0;
}

_public_ int mp_path_new_from_sysfs(struct mp_ctx *ctx, const char *sysfs_root, const char *name,
				    struct mp_path **ret)
{
	_cleanup_free_ char *syspath = NULL;

	if (!ctx || !name || !ret || !*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return -EINVAL;
	if (asprintf(&syspath, "%s/class/block/%s", sysfs_root ? sysfs_root : "/sys", name) < 0)
		return -ENOMEM;
	return path_new(ctx, syspath, false, NULL, ret);
}

_public_ int mp_path_new_from_udev(struct mp_ctx *ctx, struct udev_device *dev, struct mp_path **ret)
{
	_cleanup_(mp_path_unrefp) struct mp_path *p = NULL;
	const char *syspath, *subsystem, *devtype, *serial;
	int r;

	if (!ctx || !dev || !ret)
		return -EINVAL;
	syspath = udev_device_get_syspath(dev);
	subsystem = udev_device_get_subsystem(dev);
	devtype = udev_device_get_devtype(dev);
	if (!syspath || !subsystem || strcmp(subsystem, "block") != 0)
		return -ENODEV;
	if (devtype && strcmp(devtype, "disk") != 0)
		return -ENOTBLK;
	r = path_new(ctx, syspath, true, udev_device_get_devnode(dev), &p);
	if (r < 0)
		return r;

	/* The last WWID fallback: udev's ID_SERIAL, when sysfs has no VPD page at all. */
	serial = p->wwid_error == -ENOENT ? udev_device_get_property_value(dev, "ID_SERIAL") : NULL;
	if (serial && *serial && strlen(serial) < sizeof(p->wwid)) {
		strcpy(p->wwid, serial);
		p->wwid_error = 0;
	}
	*ret = TAKE_PTR(p);
	return 0;
}

/* ---- getters ---- */

_public_ const char *mp_path_get_name(const struct mp_path *p)
{
	return p ? p->name : NULL;
}

_public_ const char *mp_path_get_devnode(const struct mp_path *p)
{
	return p ? p->devnode : NULL;
}

_public_ const char *mp_path_get_syspath(const struct mp_path *p)
{
	return p ? p->syspath : NULL;
}

_public_ dev_t mp_path_get_devt(const struct mp_path *p)
{
	return p ? p->devt : 0;
}

_public_ uint64_t mp_path_get_size(const struct mp_path *p)
{
	return p ? p->size : 0;
}

_public_ const char *mp_path_get_vendor(const struct mp_path *p)
{
	return p ? p->vendor : NULL;
}

_public_ const char *mp_path_get_product(const struct mp_path *p)
{
	return p ? p->product : NULL;
}

_public_ const char *mp_path_get_revision(const struct mp_path *p)
{
	return p ? p->revision : NULL;
}

_public_ int mp_path_get_scsi_address(const struct mp_path *p, unsigned *ret_host,
				      unsigned *ret_channel, unsigned *ret_target, uint64_t *ret_lun)
{
	if (!p)
		return -EINVAL;
	if (ret_host)
		*ret_host = p->host;
	if (ret_channel)
		*ret_channel = p->channel;
	if (ret_target)
		*ret_target = p->target;
	if (ret_lun)
		*ret_lun = p->lun;
	return 0;
}

_public_ const char *mp_path_get_wwid(const struct mp_path *p)
{
	return p && !p->wwid_error ? p->wwid : NULL;
}

_public_ int mp_path_get_wwid_error(const struct mp_path *p)
{
	return p ? p->wwid_error : -EINVAL;
}

_public_ enum mp_transport mp_path_get_transport(const struct mp_path *p)
{
	return p ? p->transport : _MP_TRANSPORT_INVALID;
}

_public_ const char *mp_path_get_iscsi_session(const struct mp_path *p)
{
	return p ? p->iscsi_session : NULL;
}

_public_ const char *mp_path_get_iscsi_target(const struct mp_path *p)
{
	return p ? p->iscsi_target : NULL;
}

_public_ const char *mp_path_get_iscsi_portal(const struct mp_path *p)
{
	return p ? p->iscsi_portal : NULL;
}

_public_ const char *mp_path_get_fc_host_wwpn(const struct mp_path *p)
{
	return p ? p->fc_host_wwpn : NULL;
}

_public_ const char *mp_path_get_fc_rport_wwpn(const struct mp_path *p)
{
	return p ? p->fc_rport_wwpn : NULL;
}

_public_ const char *mp_path_get_sas_address(const struct mp_path *p)
{
	return p ? p->sas_address : NULL;
}

_public_ const char *mp_path_get_dh_name(const struct mp_path *p)
{
	return p ? p->dh_name : NULL;
}

_public_ int mp_path_get_tpg(const struct mp_path *p)
{
	return p ? p->tpg : -EINVAL;
}

_public_ enum mp_alua_state mp_path_get_alua_state(const struct mp_path *p)
{
	return p ? p->alua_state : _MP_ALUA_STATE_INVALID;
}

_public_ enum mp_scsi_state mp_path_get_scsi_state(const struct mp_path *p)
{
	return p ? p->scsi_state : _MP_SCSI_STATE_INVALID;
}

const char *mp_path_port_dir(const struct mp_path *p)
{
	return p ? p->port_dir : NULL;
}

const char *mp_path_host_dir(const struct mp_path *p)
{
	return p ? p->host_dir : NULL;
}

/* The path's SCSI device attribute name, read now (trimmed). */
static int read_device_text(const struct mp_path *p, const char *name, char **ret)
{
	_cleanup_free_ char *devdir = NULL;

	if (asprintf(&devdir, "%s/device", p->syspath) < 0)
		return -ENOMEM;
	return read_text(devdir, name, true, ret);
}

_public_ enum mp_alua_state mp_path_read_alua_state(const struct mp_path *p)
{
	_cleanup_free_ char *s = NULL;

	if (!p || !p->syspath || read_device_text(p, "access_state", &s) < 0)
		return MP_ALUA_UNKNOWN;
	return alua_state_from_sysfs(s);
}

_public_ enum mp_scsi_state mp_path_read_scsi_state(const struct mp_path *p)
{
	_cleanup_free_ char *s = NULL;
	enum mp_scsi_state st;

	if (!p || !p->syspath || read_device_text(p, "state", &s) < 0)
		return MP_SCSI_UNKNOWN;
	st = mp_scsi_state_from_string(s);
	return st < 0 ? MP_SCSI_UNKNOWN : st;
}

_public_ int mp_supported_claims(const struct mp_supported *list, const struct mp_path *p)
{
	int r;

	if (!list || !p)
		return -EINVAL;
	r = mp_supported_match(list, p->vendor, p->product, p->transport);
	if (r < 0)
		return r;
	return mp_path_get_wwid(p) ? r : -ENODATA;
}
