/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device model read from sysfs (mp_path_new_from_sysfs(), libmp/path.c,
 * and mp_wwid_from_sysfs(), libmp/vpd.c) on a fake sysfs tree whose
 * attributes come from the input. Four trees are made once: a plain SCSI
 * disk (sda), one behind an iSCSI session (sdb), an FC remote port (sdc)
 * and a SAS end device (sdd), laid out as the kernel does (see the top of
 * path.c).
 *
 * Input: parts separated by FUZZ_SEP. The first part's first byte picks the
 * tree ('i', 'f', 's', else the plain one); the next parts are, in order,
 * the attributes below (a part that is not there: the attribute is missing;
 * an empty part: an empty file).
 *
 * Invariants: a path that is built has a printable WWID without blanks, or
 * a WWID error; its enums are in range; its size is a multiple of 512; what
 * mp_wwid_from_sysfs() reads from the same directory agrees with it.
 */
#include <sys/sysmacros.h>

#include "fuzz.h"

/* Attributes: relative to the block device's directory, or to the tree's transport directories. */
enum { ON_BLOCK, ON_DEVICE, ON_A, ON_B, ON_C };
static const struct {
	int where;
	const char *name;
} attrs[] = {
	{ ON_BLOCK, "dev" },	     { ON_BLOCK, "size" },	   { ON_DEVICE, "vendor" },
	{ ON_DEVICE, "model" },	     { ON_DEVICE, "rev" },	   { ON_DEVICE, "state" },
	{ ON_DEVICE, "dh_state" },   { ON_DEVICE, "access_state" }, { ON_DEVICE, "vpd_pg83" },
	{ ON_DEVICE, "vpd_pg80" },   { ON_A, NULL },		   { ON_B, NULL },
	{ ON_C, NULL },		     { ON_DEVICE, "sas_address" },
};
#define N_ATTRS (sizeof(attrs) / sizeof(attrs[0]))

/* Per tree: the block device, the SCSI device's directory, and up to three transport attributes. */
struct tree {
	const char *name;
	const char *devdir;	/* relative to devices/ */
	const char *extra[3];	/* transport attribute files, relative to devices/ */
};
static const struct tree trees[] = {
	{ "sda", "pci0/host0/target0:0:0/0:0:0:0", { NULL, NULL, NULL } },
	{ "sdb", "platform/host1/session1/target1:0:0/1:0:0:1",
	  { "platform/host1/session1/iscsi_session/session1/targetname",
	    "platform/host1/session1/connection1:0/iscsi_connection/connection1:0/persistent_address",
	    "platform/host1/session1/connection1:0/iscsi_connection/connection1:0/persistent_port" } },
	{ "sdc", "pci0/host2/rport-2:0-0/target2:0:0/2:0:0:2",
	  { "pci0/host2/rport-2:0-0/fc_remote_ports/rport-2:0-0/port_name",
	    "pci0/host2/fc_host/host2/port_name", NULL } },
	{ "sdd", "pci0/host3/port-3:0/end_device-3:0/target3:0:0/3:0:0:3",
	  { "pci0/host3/port-3:0/end_device-3:0/sas_device/end_device-3:0/sas_address", NULL,
	    NULL } },
};
#define N_TREES (sizeof(trees) / sizeof(trees[0]))

static char *root;
static char *files[N_TREES][N_ATTRS];

static void mkdir_p(const char *path)
{
	char *p = fuzz_oom(strdup(path));

	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			abort();
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		abort();
	free(p);
}

static char *strf(const char *format, ...) __attribute__((format(printf, 1, 2)));
static char *strf(const char *format, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, format);
	if (vasprintf(&s, format, ap) < 0)
		fuzz_oom(NULL);
	va_end(ap);
	return s;
}

static void free_all(void)
{
	for (size_t t = 0; t < N_TREES; t++)
		for (size_t a = 0; a < N_ATTRS; a++)
			free(files[t][a]);
	free(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	root = fuzz_path("sys");
	for (size_t t = 0; t < N_TREES; t++) {
		const struct tree *tr = &trees[t];
		char *dev = strf("%s/devices/%s", root, tr->devdir);
		char *blk = strf("%s/block/%s", dev, tr->name);
		char *link = strf("%s/device", blk);
		char *cls = strf("%s/class/block", root);
		char *clink = strf("%s/%s", cls, tr->name);
		char *ctarget = strf("../../devices/%s/block/%s", tr->devdir, tr->name);
		char *dtarget = strf("../../..%s", strrchr(tr->devdir, '/'));

		mkdir_p(blk);
		mkdir_p(cls);
		/* block/sdX/device -> ../../../H:C:T:L, relative as in sysfs */
		if (symlink(dtarget, link) < 0 || symlink(ctarget, clink) < 0)
			abort();
		for (size_t a = 0; a < N_ATTRS; a++) {
			switch (attrs[a].where) {
			case ON_BLOCK:
				files[t][a] = strf("%s/%s", blk, attrs[a].name);
				break;
			case ON_DEVICE:
				files[t][a] = strf("%s/%s", dev, attrs[a].name);
				break;
			default:
				if (tr->extra[attrs[a].where - ON_A]) {
					files[t][a] = strf("%s/devices/%s", root,
							   tr->extra[attrs[a].where - ON_A]);
					*strrchr(files[t][a], '/') = '\0';
					mkdir_p(files[t][a]);
					files[t][a][strlen(files[t][a])] = '/';
				}
				break;
			}
		}
		free(dev);
		free(blk);
		free(link);
		free(cls);
		free(clink);
		free(ctarget);
		free(dtarget);
	}
	atexit(free_all);
	return 0;
}

static void check_path(struct mp_path *p, const char *devdir)
{
	const char *wwid = mp_path_get_wwid(p);
	char again[MP_WWID_SIZE];
	int r;

	FUZZ_CHECK(mp_path_get_name(p) && mp_path_get_devnode(p) && mp_path_get_syspath(p), "names");
	FUZZ_CHECK(mp_path_get_vendor(p) && mp_path_get_product(p), "vendor and product");
	FUZZ_CHECK(mp_path_get_size(p) % 512 == 0, "size %llu",
		   (unsigned long long)mp_path_get_size(p));
	FUZZ_CHECK(mp_path_get_transport(p) >= 0 && mp_path_get_transport(p) < _MP_TRANSPORT_MAX,
		   "transport");
	FUZZ_CHECK(mp_path_get_alua_state(p) >= 0 && mp_path_get_alua_state(p) < _MP_ALUA_STATE_MAX,
		   "alua");
	FUZZ_CHECK(mp_path_get_scsi_state(p) >= 0 && mp_path_get_scsi_state(p) < _MP_SCSI_STATE_MAX,
		   "scsi state");
	FUZZ_CHECK(mp_path_read_alua_state(p) == mp_path_get_alua_state(p), "alua read again");
	FUZZ_CHECK(mp_path_read_scsi_state(p) == mp_path_get_scsi_state(p), "state read again");
	r = mp_path_get_tpg(p);
	FUZZ_CHECK(r == -ENODATA || (r >= 0 && r <= 0xffff), "tpg %d", r);
	(void)mp_path_get_scsi_address(p, NULL, NULL, NULL, NULL);
	(void)mp_path_get_revision(p);
	(void)mp_path_get_devt(p);
	if (!wwid) {
		FUZZ_CHECK(mp_path_get_wwid_error(p) < 0, "no WWID, no error");
		return;
	}
	for (const char *c = wwid; *c; c++)
		FUZZ_CHECK(*c > 0x20 && *c < 0x7f, "WWID \"%s\"", wwid);
	r = mp_wwid_from_sysfs(devdir, again, sizeof(again));
	FUZZ_CHECK(r >= 0 && strcmp(again, wwid) == 0, "WWID %s, from sysfs %d %s", wwid, r,
		   r >= 0 ? again : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_ctx *ctx = fuzz_ctx();
	struct mp_path *p = NULL;
	struct fuzz_parts in;
	size_t t;
	char *devdir;
	int r;

	fuzz_split(data, size, 1 + N_ATTRS, &in);
	switch (in.len[0] ? in.part[0][0] : 0) {
	case 'i': t = 1; break;
	case 'f': t = 2; break;
	case 's': t = 3; break;
	default: t = 0; break;
	}
	for (size_t a = 0; a < N_ATTRS; a++) {
		if (!files[t][a])
			continue;
		if (1 + a < in.n)
			fuzz_write_file(files[t][a], in.part[1 + a], in.len[1 + a]);
		else
			(void)unlink(files[t][a]);
	}
	r = mp_path_new_from_sysfs(ctx, root, trees[t].name, &p);
	devdir = strf("%s/devices/%s", root, trees[t].devdir);
	if (r == 0) {
		check_path(p, devdir);
		mp_path_unref(p);
	} else {
		FUZZ_CHECK(r == -EBADMSG || r == -ENOENT || r == -ENODEV || r == -ENOMEM || r == -EISDIR,
			   "mp_path_new_from_sysfs: %d", r);
	}
	free(devdir);
	fuzz_parts_free(&in);
	mp_ctx_unref(ctx);
	return 0;
}
