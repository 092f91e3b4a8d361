/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device model on fake sysfs trees, and the target port group decoder on
 * bytes. The trees are built at run time in a temporary directory (so no
 * symlinks are committed), laid out like the kernel's: /class/block/<name>
 * links to the block device under /devices, whose "device" link goes to the
 * H:C:T:L directory, below the transport's objects:
 *   iSCSI  devices/platform/host3/session1/target3:0:0/3:0:0:1/block/sdc
 *   FC     devices/pci0000:00/0000:00:03.0/host5/rport-5:0-2/target5:0:0/5:0:0:7/block/sdd
 *   SAS    devices/pci0000:00/0000:00:04.0/host0/port-0:0/expander-0:1/port-0:1:0/
 *          end_device-0:1:0/target0:0:0/0:0:0:0/block/sde
 *   other  devices/pci0000:00/0000:00:05.0/virtio2/host2/target2:0:0/2:0:0:3/block/sdf
 * The iSCSI LU uses the lio-iblock fixture's VPD pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fake-sysfs.h"
#include "fileio.h"
#include "libmp-private.h"
#include "unit.h"

static struct mp_ctx *ctx;

static void copy_fixture(const char *from, const char *to_rel)
{
	char *buf = NULL;
	size_t len;

	CU_ASSERT_EQUAL_FATAL(mp_read_file(from, 1 << 20, &buf, &len), 0);
	fake_put_bytes(to_rel, buf, len);
	free(buf);
}

#define ISCSI_HCTL "devices/platform/host3/session1/target3:0:0/3:0:0:1"
#define FC_HCTL "devices/pci0000:00/0000:00:03.0/host5/rport-5:0-2/target5:0:0/5:0:0:7"
#define SAS_END "devices/pci0000:00/0000:00:04.0/host0/port-0:0/expander-0:1/port-0:1:0/end_device-0:1:0"
#define SAS_HCTL SAS_END "/target0:0:0/0:0:0:0"
#define PLAIN_HCTL "devices/pci0000:00/0000:00:05.0/virtio2/host2/target2:0:0/2:0:0:3"

/* Page 0x83: NAA 6 (LU), relative port 2 and target port group 0x0102 (target port). */
static const uint8_t fc_pg83[] = {
	0x00, 0x83, 0x00, 0x24,
	0x01, 0x03, 0x00, 0x10, 0x60, 0x0a, 0x09, 0x80, 0x38, 0x30, 0x36, 0x5a,
	0x2b, 0x5d, 0x4a, 0x4d, 0x57, 0x55, 0x59, 0x31,
	0x01, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02,
	0x01, 0x95, 0x00, 0x04, 0x00, 0x00, 0x01, 0x02,
};

static void build_trees(void)
{
	fake_sysfs_make("path");

	/* iSCSI, ALUA active/optimized */
	fake_add_disk(ISCSI_HCTL, "sdc", "8:32\n", "2097152\n", "LIO-ORG \n", "block0          \n");
	copy_fixture(MPIO_FIXTURES "/sysfs/lio-iblock/device/vpd_pg83", ISCSI_HCTL "/vpd_pg83");
	copy_fixture(MPIO_FIXTURES "/sysfs/lio-iblock/device/vpd_pg80", ISCSI_HCTL "/vpd_pg80");
	fake_put(ISCSI_HCTL, "dh_state", "alua\n");
	fake_put(ISCSI_HCTL, "access_state", "active/optimized\n");
	fake_put("devices/platform/host3/session1/iscsi_session/session1", "targetname",
	    "iqn.2003-01.org.linux-iscsi.tgt:sn.1234\n");
	fake_put("devices/platform/host3/session1/connection1:0/iscsi_connection/connection1:0",
	    "persistent_address", "192.168.10.1\n");
	fake_put("devices/platform/host3/session1/connection1:0/iscsi_connection/connection1:0",
	    "persistent_port", "3260\n");

	/* FC, ALUA standby, target port group 0x102, SCSI state blocked */
	fake_add_disk(FC_HCTL, "sdd", "8:48\n", "41943040\n", "NETAPP  \n", "LUN C-Mode      \n");
	fake_put_bytes(FC_HCTL "/vpd_pg83", fc_pg83, sizeof(fc_pg83));
	fake_put(FC_HCTL, "dh_state", "alua\n");
	fake_put(FC_HCTL, "access_state", "standby\n");
	fake_put(FC_HCTL, "state", "blocked\n");
	fake_put("devices/pci0000:00/0000:00:03.0/host5/fc_host/host5", "port_name", "0x21000024ff7e1a2b\n");
	fake_put("devices/pci0000:00/0000:00:03.0/host5/rport-5:0-2/fc_remote_ports/rport-5:0-2", "port_name",
	    "0x500a09829b8d1f3e\n");

	/* SAS behind an expander, handler detached, no VPD page 0x83 */
	fake_add_disk(SAS_HCTL, "sde", "8:64\n", "1000\n", "SEAGATE \n", "ST4000NM0023    \n");
	fake_put(SAS_END "/sas_device/end_device-0:1:0", "sas_address", "0x5000c50056a1b2c3\n");
	fake_put(SAS_HCTL, "dh_state", "detached\n");

	/* plain virtio-scsi, no VPD pages, lba-dependent ALUA (odd but possible) */
	fake_add_disk(PLAIN_HCTL, "sdf", "8:80\n", "8\n", "QEMU    \n", "QEMU HARDDISK   \n");
	fake_put(PLAIN_HCTL, "access_state", "lba-dependent\n");

	/* a partition and a non-SCSI disk */
	fake_put(ISCSI_HCTL "/block/sdc/sdc1", "dev", "8:33\n");
	fake_put(ISCSI_HCTL "/block/sdc/sdc1", "size", "2048\n");
	fake_put(ISCSI_HCTL "/block/sdc/sdc1", "partition", "1\n");
	fake_link("class/block/sdc1", "../../" ISCSI_HCTL "/block/sdc/sdc1");
	fake_put("devices/virtual/block/loop0", "dev", "7:0\n");
	fake_put("devices/virtual/block/loop0", "size", "0\n");
	fake_link("class/block/loop0", "../../devices/virtual/block/loop0");
	/* a disk with a broken size */
	fake_add_disk("devices/platform/host9/target9:0:0/9:0:0:0", "sdg", "8:96\n", "lots\n", "X\n", "Y\n");
}

static void setup(void)
{
	if (ctx)
		return;
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	build_trees();
}

static struct mp_path *get(const char *name)
{
	struct mp_path *p = NULL;
	int r;

	setup();
	r = mp_path_new_from_sysfs(ctx, fake_root, name, &p);
	if (r < 0)
		fprintf(stderr, "\n%s: %s\n", name, strerror(-r));
	CU_ASSERT_EQUAL_FATAL(r, 0);
	return p;
}

static void test_iscsi(void)
{
	struct mp_path *p = get("sdc");
	unsigned h, c, t;
	uint64_t l;

	CU_ASSERT_STRING_EQUAL(mp_path_get_name(p), "sdc");
	CU_ASSERT_STRING_EQUAL(mp_path_get_devnode(p), "/dev/sdc");
	CU_ASSERT_EQUAL(mp_path_get_devt(p), makedev(8, 32));
	CU_ASSERT_EQUAL(mp_path_get_size(p), 2097152ull * 512);
	CU_ASSERT_STRING_EQUAL(mp_path_get_vendor(p), "LIO-ORG");
	CU_ASSERT_STRING_EQUAL(mp_path_get_product(p), "block0");
	CU_ASSERT_STRING_EQUAL(mp_path_get_revision(p), "4.0");
	CU_ASSERT_EQUAL(mp_path_get_scsi_address(p, &h, &c, &t, &l), 0);
	CU_ASSERT(h == 3 && c == 0 && t == 0 && l == 1);
	CU_ASSERT_STRING_EQUAL(mp_path_get_wwid(p), "36001405a1b2c3d4e5f60718293a4b5c6");
	CU_ASSERT_EQUAL(mp_path_get_wwid_error(p), 0);
	CU_ASSERT_EQUAL(mp_path_get_transport(p), MP_TRANSPORT_ISCSI);
	CU_ASSERT_STRING_EQUAL(mp_path_get_iscsi_session(p), "session1");
	CU_ASSERT_STRING_EQUAL(mp_path_get_iscsi_target(p), "iqn.2003-01.org.linux-iscsi.tgt:sn.1234");
	CU_ASSERT_STRING_EQUAL(mp_path_get_iscsi_portal(p), "192.168.10.1:3260");
	CU_ASSERT_PTR_NULL(mp_path_get_fc_rport_wwpn(p));
	CU_ASSERT_PTR_NULL(mp_path_get_sas_address(p));
	CU_ASSERT_STRING_EQUAL(mp_path_get_dh_name(p), "alua");
	CU_ASSERT_EQUAL(mp_path_get_tpg(p), 0);
	CU_ASSERT_EQUAL(mp_path_get_alua_state(p), MP_ALUA_OPTIMIZED);
	CU_ASSERT_EQUAL(mp_path_get_scsi_state(p), MP_SCSI_RUNNING);
	CU_ASSERT_PTR_NOT_NULL(strstr(mp_path_get_syspath(p), "/session1/"));

	CU_ASSERT_PTR_EQUAL(mp_path_ref(p), p);
	CU_ASSERT_PTR_NULL(mp_path_unref(p));
	CU_ASSERT_STRING_EQUAL(mp_path_get_name(p), "sdc");
	CU_ASSERT_PTR_NULL(mp_path_unref(p));
}

static void test_fc(void)
{
	struct mp_path *p = get("sdd");
	uint64_t lun;

	CU_ASSERT_EQUAL(mp_path_get_transport(p), MP_TRANSPORT_FC);
	CU_ASSERT_STRING_EQUAL(mp_path_get_fc_host_wwpn(p), "0x21000024ff7e1a2b");
	CU_ASSERT_STRING_EQUAL(mp_path_get_fc_rport_wwpn(p), "0x500a09829b8d1f3e");
	CU_ASSERT_PTR_NULL(mp_path_get_iscsi_target(p));
	CU_ASSERT_STRING_EQUAL(mp_path_get_wwid(p), "3600a09803830365a2b5d4a4d57555931");
	CU_ASSERT_EQUAL(mp_path_get_tpg(p), 0x0102);
	CU_ASSERT_EQUAL(mp_path_get_alua_state(p), MP_ALUA_STANDBY);
	CU_ASSERT_EQUAL(mp_path_get_scsi_state(p), MP_SCSI_BLOCKED);
	CU_ASSERT_STRING_EQUAL(mp_path_get_vendor(p), "NETAPP");
	CU_ASSERT_STRING_EQUAL(mp_path_get_product(p), "LUN C-Mode");
	CU_ASSERT_EQUAL(mp_path_get_scsi_address(p, NULL, NULL, NULL, &lun), 0);
	CU_ASSERT_EQUAL(lun, 7);
	mp_path_unref(p);
}

static void test_sas(void)
{
	struct mp_path *p = get("sde");

	CU_ASSERT_EQUAL(mp_path_get_transport(p), MP_TRANSPORT_SAS);
	CU_ASSERT_STRING_EQUAL(mp_path_get_sas_address(p), "0x5000c50056a1b2c3");
	CU_ASSERT_PTR_NULL(mp_path_get_dh_name(p)); /* "detached" */
	CU_ASSERT_EQUAL(mp_path_get_alua_state(p), MP_ALUA_UNKNOWN);
	CU_ASSERT_EQUAL(mp_path_get_tpg(p), -ENODATA);
	CU_ASSERT_EQUAL(mp_path_get_size(p), 512000);
	mp_path_unref(p);
}

static void test_other(void)
{
	struct mp_path *p = get("sdf");

	CU_ASSERT_EQUAL(mp_path_get_transport(p), MP_TRANSPORT_OTHER);
	CU_ASSERT_PTR_NULL(mp_path_get_wwid(p));
	CU_ASSERT_EQUAL(mp_path_get_wwid_error(p), -ENOENT);
	CU_ASSERT_PTR_NULL(mp_path_get_iscsi_session(p));
	CU_ASSERT_PTR_NULL(mp_path_get_fc_host_wwpn(p));
	CU_ASSERT_PTR_NULL(mp_path_get_sas_address(p));
	CU_ASSERT_EQUAL(mp_path_get_alua_state(p), MP_ALUA_NONOPTIMIZED); /* lba-dependent */
	CU_ASSERT_STRING_EQUAL(mp_path_get_product(p), "QEMU HARDDISK");
	mp_path_unref(p);
}

static void test_refused(void)
{
	struct mp_path *p = NULL;

	setup();
	CU_ASSERT_EQUAL(mp_path_new_from_sysfs(ctx, fake_root, "sdc1", &p), -ENOTBLK);
	CU_ASSERT_EQUAL(mp_path_new_from_sysfs(ctx, fake_root, "loop0", &p), -ENODEV);
	CU_ASSERT_EQUAL(mp_path_new_from_sysfs(ctx, fake_root, "sdz", &p), -ENOENT);
	CU_ASSERT_EQUAL(mp_path_new_from_sysfs(ctx, fake_root, "sdg", &p), -EBADMSG);
	CU_ASSERT_EQUAL(mp_path_new_from_sysfs(ctx, fake_root, "../sdc", &p), -EINVAL);
	CU_ASSERT_EQUAL(mp_path_new_from_sysfs(ctx, fake_root, "..", &p), -EINVAL);
	CU_ASSERT_EQUAL(mp_path_new_from_sysfs(ctx, fake_root, "", &p), -EINVAL);
	CU_ASSERT_EQUAL(mp_path_new_from_sysfs(NULL, fake_root, "sdc", &p), -EINVAL);
	CU_ASSERT_EQUAL(mp_path_new_from_sysfs(ctx, fake_root, "sdc", NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_path_new_from_udev(ctx, NULL, &p), -EINVAL);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_PTR_NULL(mp_path_get_name(NULL));
	CU_ASSERT_EQUAL(mp_path_get_transport(NULL), _MP_TRANSPORT_INVALID);
	CU_ASSERT_EQUAL(mp_path_get_tpg(NULL), -EINVAL);
	CU_ASSERT_PTR_NULL(mp_path_unref(NULL));
}

static void test_scsi_state_names(void)
{
	for (int i = 0; i < _MP_SCSI_STATE_MAX; i++)
		CU_ASSERT_EQUAL(mp_scsi_state_from_string(mp_scsi_state_to_string(i)), i);
	CU_ASSERT_STRING_EQUAL(mp_scsi_state_to_string(MP_SCSI_TRANSPORT_OFFLINE), "transport-offline");
	CU_ASSERT_PTR_NULL(mp_scsi_state_to_string(_MP_SCSI_STATE_MAX));
	CU_ASSERT_EQUAL(mp_scsi_state_from_string("Running"), _MP_SCSI_STATE_INVALID);
	CU_ASSERT_EQUAL(mp_scsi_state_from_string(NULL), _MP_SCSI_STATE_INVALID);
}

/* ---- mp_tpg_from_vpd83() on bytes ---- */

static int tpg(const uint8_t *page, size_t len)
{
	uint8_t *b = malloc(len ? len : 1);
	int r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	memcpy(b, page, len);
	r = mp_tpg_from_vpd83(b, len);
	free(b);
	return r;
}

static void test_tpg_decoder(void)
{
	static const uint8_t lu_only[] = { 0x00, 0x83, 0x00, 0x0c, 0x01, 0x03, 0x00, 0x08,
					   0x50, 1, 2, 3, 4, 5, 6, 7 };
	/* a TPG designator with LU association does not count */
	static const uint8_t tpg_lu[] = { 0x00, 0x83, 0x00, 0x08, 0x01, 0x05, 0x00, 0x04, 0, 0, 0, 9 };
	static const uint8_t two[] = { 0x00, 0x83, 0x00, 0x10, 0x01, 0x95, 0x00, 0x04, 0, 0, 0xff, 0xfe,
				       0x01, 0x95, 0x00, 0x04, 0, 0, 0, 1 };
	static const uint8_t bad_len[] = { 0x00, 0x83, 0x00, 0x07, 0x01, 0x95, 0x00, 0x03, 0, 0, 1 };
	static const uint8_t over[] = { 0x00, 0x83, 0x00, 0x08, 0x01, 0x95, 0x00, 0x08, 0, 0, 0, 1 };
	static const uint8_t page_len[] = { 0x00, 0x83, 0x00, 0x40, 0x01, 0x95, 0x00, 0x04, 0, 0, 0, 1 };
	static const uint8_t wrong_page[] = { 0x00, 0x80, 0x00, 0x08, 0x01, 0x95, 0x00, 0x04, 0, 0, 0, 1 };
	static const uint8_t stub[] = { 0x00, 0x83, 0x00, 0x02, 0x01, 0x95 };

	CU_ASSERT_EQUAL(tpg(fc_pg83, sizeof(fc_pg83)), 0x0102);
	CU_ASSERT_EQUAL(tpg(two, sizeof(two)), 0xfffe);
	CU_ASSERT_EQUAL(tpg(lu_only, sizeof(lu_only)), -ENODATA);
	CU_ASSERT_EQUAL(tpg(tpg_lu, sizeof(tpg_lu)), -ENODATA);
	CU_ASSERT_EQUAL(tpg(bad_len, sizeof(bad_len)), -EBADMSG);
	CU_ASSERT_EQUAL(tpg(over, sizeof(over)), -EBADMSG);
	CU_ASSERT_EQUAL(tpg(page_len, sizeof(page_len)), -EBADMSG);
	CU_ASSERT_EQUAL(tpg(wrong_page, sizeof(wrong_page)), -EBADMSG);
	CU_ASSERT_EQUAL(tpg(stub, sizeof(stub)), -EBADMSG);
	CU_ASSERT_EQUAL(tpg(fc_pg83, 3), -EBADMSG);
	CU_ASSERT_EQUAL(tpg(fc_pg83, 0), -EBADMSG);
	CU_ASSERT_EQUAL(mp_tpg_from_vpd83(NULL, 4), -EINVAL);
	/* every truncation of a good page fails cleanly */
	for (size_t n = 0; n < sizeof(fc_pg83); n++)
		CU_ASSERT_EQUAL(tpg(fc_pg83, n), -EBADMSG);
}

/* The ALUA and SCSI states read now follow sysfs; the object keeps what it read when made. */
static void test_read_now(void)
{
	_cleanup_(mp_path_unrefp) struct mp_path *p = get("sdc");

	fake_put(ISCSI_HCTL, "access_state", "standby\n");
	fake_put(ISCSI_HCTL, "state", "transport-offline\n");
	CU_ASSERT_EQUAL(mp_path_read_alua_state(p), MP_ALUA_STANDBY);
	CU_ASSERT_EQUAL(mp_path_read_scsi_state(p), MP_SCSI_TRANSPORT_OFFLINE);
	CU_ASSERT_EQUAL(mp_path_get_alua_state(p), MP_ALUA_OPTIMIZED);
	CU_ASSERT_EQUAL(mp_path_get_scsi_state(p), MP_SCSI_RUNNING);
	fake_put(ISCSI_HCTL, "access_state", "lba-dependent\n");
	fake_put(ISCSI_HCTL, "state", "offline\n");
	CU_ASSERT_EQUAL(mp_path_read_alua_state(p), MP_ALUA_NONOPTIMIZED);
	CU_ASSERT_EQUAL(mp_path_read_scsi_state(p), MP_SCSI_OFFLINE);
	fake_put(ISCSI_HCTL, "access_state", "sideways\n");
	fake_put(ISCSI_HCTL, "state", "sideways\n");
	CU_ASSERT_EQUAL(mp_path_read_alua_state(p), MP_ALUA_UNKNOWN);
	CU_ASSERT_EQUAL(mp_path_read_scsi_state(p), MP_SCSI_UNKNOWN);
	/* As it was, for the tests after this one. */
	fake_put(ISCSI_HCTL, "access_state", "active/optimized\n");
	fake_put(ISCSI_HCTL, "state", "running\n");
	CU_ASSERT_EQUAL(mp_path_read_alua_state(p), MP_ALUA_OPTIMIZED);
	CU_ASSERT_EQUAL(mp_path_read_scsi_state(p), MP_SCSI_RUNNING);
	CU_ASSERT_EQUAL(mp_path_read_alua_state(NULL), MP_ALUA_UNKNOWN);
	CU_ASSERT_EQUAL(mp_path_read_scsi_state(NULL), MP_SCSI_UNKNOWN);
}

/* The claim rule mpiod and multipathctl is-claimed share: a match, and a WWID. */
static int claims(const char *list_text, const char *name)
{
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	_cleanup_(mp_path_unrefp) struct mp_path *p = get(name);
	struct mp_parse_error e = {};

	CU_ASSERT_EQUAL_FATAL(mp_supported_parse_string(ctx, list_text, NULL, &list, &e), 0);
	return mp_supported_claims(list, p);
}

static void test_claims(void)
{
	_cleanup_(mp_path_unrefp) struct mp_path *p = get("sdc");

	CU_ASSERT_EQUAL(claims("NETAPP  LUN\nLIO-ORG block0\n", "sdc"), 1);
	CU_ASSERT_EQUAL(claims("bus:iscsi\n", "sdc"), 0);
	CU_ASSERT_EQUAL(claims("bus:fc\n", "sdd"), 0);
	CU_ASSERT_EQUAL(claims("NETAPP  LUN\n", "sdc"), -ENOENT);
	CU_ASSERT_EQUAL(claims("bus:fc\n", "sdc"), -ENOENT);
	/* Claimed by its vendor, but no WWID: not a path. */
	CU_ASSERT_EQUAL(claims("QEMU\n", "sdf"), -ENODATA);
	CU_ASSERT_EQUAL(claims("", "sdc"), -ENOENT);
	CU_ASSERT_EQUAL(mp_supported_claims(NULL, p), -EINVAL);
}

static void test_cleanup(void)
{
	if (ctx) {
		fake_sysfs_remove();
		ctx = mp_ctx_unref(ctx);
	}
}

static const struct unit_test tests[] = {
	{ "iSCSI path", test_iscsi },
	{ "FC path", test_fc },
	{ "SAS path", test_sas },
	{ "other transport", test_other },
	{ "partitions, non-SCSI, bad trees", test_refused },
	{ "SCSI state names", test_scsi_state_names },
	{ "target port group decoder", test_tpg_decoder },
	{ "the claim rule (mp_supported_claims)", test_claims },
	{ "ALUA and SCSI states read now", test_read_now },
	{ "cleanup", test_cleanup },
};

UNIT_MAIN("path", tests)
