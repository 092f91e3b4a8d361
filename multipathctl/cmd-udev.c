/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl is-claimed [--udev] DEV`: would mpiod take DEV as a path?
 * Asked by udev (59-mpio.rules) for every sd disk it processes, before the
 * disk is probed, so that LVM, udisks and systemd leave a path alone from its
 * first uevent on, whether mpiod runs yet or not. It needs no daemon and no
 * D-Bus: only the supported-devices list, sysfs and device-mapper's sysfs.
 *
 * A disk is claimed when it has a WWID and
 *   - the list claims its vendor/product or its transport (as mpiod decides), or
 *   - it is a leg of an mpio map (a holder with a map's dm uuid,
 *     "mpath-<WWID>", of the mpio target), or
 *   - an mpio map of its WWID exists: a path that comes back after its entry
 *     left the list stays out of reach until the map goes.
 * multipath-tools' maps carry the same uuid: their target ("multipath") tells
 * them apart, asked of device-mapper only for a map of that uuid (when it
 * cannot be asked, without root, the uuid decides).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "macro.h"
#include "multipathctl.h"
#include "sysfs.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);

enum claim_reason {
	CLAIM_NONE,
	CLAIM_LIST,	/* supported-devices */
	CLAIM_HOLDER,	/* in an mpio map's table */
	CLAIM_WWID,	/* an mpio map of its WWID exists */
};

/*
 * Is one of the dm devices in dir (a holders/ directory, or /sys/block) an
 * mpio map, of wwid if given?
 */
static bool has_mpio_map(struct mp_ctx *ctx, const char *dir, const char *wwid)
{
	_cleanup_(closedirp) DIR *d = opendir(dir);
	char part[MP_MAP_UUID_SIZE];
	struct dirent *de;

	if (!d || (wwid && mp_wwid_uuid_part(wwid, part, sizeof(part)) < 0))
		return false;
	while ((de = readdir(d))) {
		_cleanup_free_ char *uuid = NULL, *name = NULL, *params = NULL;
		const char *w;

		if (strncmp(de->d_name, "dm-", 3) != 0)
			continue;
		uuid = sysfs_block_attr(dir, de->d_name, "dm/uuid");
		w = mp_uuid_to_wwid(uuid);
		if (!w || (wwid && strcmp(w, part) != 0))
			continue;
		/* Not a map of the mpio target: multipath-tools'. */
		name = sysfs_block_attr(dir, de->d_name, "dm/name");
		if (name && mp_dm_get_table(ctx, name, &params, NULL) == -EMEDIUMTYPE)
			continue;
		return true;
	}
	return false;
}

static enum claim_reason claim_reason(struct mp_ctx *ctx, const struct mp_supported *list,
				      const struct mp_path *p)
{
	_cleanup_free_ char *holders = NULL;
	const char *wwid = mp_path_get_wwid(p);

	if (!wwid)
		return CLAIM_NONE;
	if (list && mp_supported_claims(list, p) >= 0)
		return CLAIM_LIST;
	if (asprintf(&holders, "%s/holders", mp_path_get_syspath(p)) >= 0 &&
	    has_mpio_map(ctx, holders, NULL))
		return CLAIM_HOLDER;
	if (has_mpio_map(ctx, "/sys/block", wwid))
		return CLAIM_WWID;
	return CLAIM_NONE;
}

enum { OPT_UDEV = 1 };

static int udev_opt(int id, char *const *values, void *userdata)
{
	*(bool *)userdata = true;
	return 0;
}

int cmd_is_claimed(int argc, char *argv[])
{
	static const struct opt opts[] = {
		{ "udev", 0, 0, OPT_UDEV },
	};
	static const char *const why[] = {
		[CLAIM_LIST] = "the supported-devices list claims it",
		[CLAIM_HOLDER] = "it is a path of an mpio map",
		[CLAIM_WWID] = "an mpio map of its WWID exists",
	};
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	_cleanup_(mp_path_unrefp) struct mp_path *p = NULL;
	_cleanup_free_ char *file = NULL;
	struct mp_parse_error err = {};
	enum claim_reason reason;
	bool udev = false;
	char *pos[argc];
	const char *name;
	int npos, r;

	r = args_parse(argc, argv, opts, ARRAY_SIZE(opts), udev_opt, &udev, pos, &npos);
	if (r > 0) {
		printf("Usage: multipathctl is-claimed [--udev] DEV\n"
		       "\n"
		       "Exit 0 if mpiod takes the disk DEV (sdc or /dev/sdc) as a path: it has a\n"
		       "WWID and the supported-devices list claims it, or it is a path of an\n"
		       "mpio map, or an mpio map of its WWID exists; else exit 1. Works\n"
		       "without mpiod. With --udev (for 59-mpio.rules), print udev properties\n"
		       "for a claimed disk, nothing for another, and exit 0 either way.\n");
		return EXIT_OK;
	}
	if (r < 0 || npos != 1) {
		if (r == 0)
			fprintf(stderr, "multipathctl is-claimed: expected one device (see --help)\n");
		return EXIT_USAGE;
	}
	name = pos[0];
	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;

	ctx = ctl_ctx_new();
	if (!ctx)
		return EXIT_FAIL;
	/* udev logs a helper's stderr: say nothing there about disks that are not paths. */
	if (udev)
		mp_ctx_set_log_priority(ctx, LOG_ERR);
	file = ctl_config_path(MP_SUPPORTED_DEVICES_NAME);
	if (!file)
		return EXIT_FAIL;
	r = mp_supported_parse_file(ctx, file, &list, &err);
	if (r < 0 && r != -ENOENT && !udev)
		ctl_print_parse_error(&err);
	/* A bad list claims nothing, but maps keep their paths. */

	r = mp_path_new_from_sysfs(ctx, NULL, name, &p);
	if (r < 0) {
		if (!udev)
			printf("%s: not claimed (%s)\n", name,
			       r == -ENOTBLK ? "a partition" : r == -ENODEV ? "not a SCSI disk" :
			       strerror(-r));
		return udev ? EXIT_OK : EXIT_FAIL;
	}
	reason = claim_reason(ctx, list, p);
	if (udev) {
		if (reason != CLAIM_NONE)
			printf("MPIO_PATH=1\nMPIO_WWID=%s\n", mp_path_get_wwid(p));
		return EXIT_OK;
	}
	if (reason == CLAIM_NONE) {
		printf("%s: not claimed (%s %s%s)\n", name, mp_path_get_vendor(p),
		       mp_path_get_product(p), mp_path_get_wwid(p) ? "" : ", no WWID");
		return EXIT_FAIL;
	}
	printf("%s: claimed, WWID %s: %s\n", name, mp_path_get_wwid(p), why[reason]);
	return EXIT_OK;
}
