/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building supported-devices entries from `multipathctl claim` arguments
 * (multipathctl/claim.c): padding, limits, bus types, and that what is built
 * goes through libmp's editor and matches the device it names.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claim.h"
#include "libmp.h"
#include "macro.h"
#include "unit.h"

static void test_padding(void)
{
	char e[CLAIM_ENTRY_SIZE], msg[256];

	CU_ASSERT_EQUAL(claim_entry_build("IBM", "2145", e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "IBM     2145");
	CU_ASSERT_EQUAL(claim_entry_build("NETAPP", "LUN", e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "NETAPP  LUN");
	/* an 8-character vendor needs no padding */
	CU_ASSERT_EQUAL(claim_entry_build("3PARdata", "VV", e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "3PARdataVV");
	/* without a product: the padded vendor alone (every product of that vendor) */
	CU_ASSERT_EQUAL(claim_entry_build("DGC", "", e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "DGC     ");
	CU_ASSERT_EQUAL(claim_entry_build("DGC", NULL, e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "DGC     ");
	/* the longest: 8 + 16 = 24 */
	CU_ASSERT_EQUAL(claim_entry_build("ABCDEFGH", "0123456789abcdef", e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "ABCDEFGH0123456789abcdef");
	CU_ASSERT_EQUAL(strlen(e), MP_SUPPORTED_ENTRY_MAX);
	/* blanks inside are kept as given */
	CU_ASSERT_EQUAL(claim_entry_build("A B", "Compellent Vol", e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "A B     Compellent Vol");
}

static void test_length_errors(void)
{
	char e[CLAIM_ENTRY_SIZE] = "untouched", msg[256] = "";

	CU_ASSERT_EQUAL(claim_entry_build("ABCDEFGHI", "X", e, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "vendor \"ABCDEFGHI\" is 9 characters long, at most 8 are "
			       "allowed (the SCSI INQUIRY vendor ID)");
	CU_ASSERT_EQUAL(claim_entry_build("IBM", "0123456789abcdefg", e, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "product \"0123456789abcdefg\" is 17 characters long, at most "
			       "16 are allowed (the SCSI INQUIRY product ID)");
	CU_ASSERT_EQUAL(claim_entry_build("", "X", e, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "the vendor must not be empty");
	CU_ASSERT_EQUAL(claim_entry_build(NULL, "X", e, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_EQUAL(claim_entry_build("IB\tM", "X", e, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "vendor contains the character 0x09: only printable ASCII is "
			       "allowed");
	CU_ASSERT_EQUAL(claim_entry_build("IBM", "\xc3\xa9", e, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "product contains the character 0xc3: only printable ASCII "
			       "is allowed");
	/* on failure the entry is not written */
	CU_ASSERT_STRING_EQUAL(e, "untouched");
}

static void test_bus(void)
{
	char e[CLAIM_ENTRY_SIZE], msg[256];

	CU_ASSERT_EQUAL(claim_bus_entry("iscsi", e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "bus:iscsi");
	CU_ASSERT_EQUAL(claim_bus_entry("FC", e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "bus:fc");
	CU_ASSERT_EQUAL(claim_bus_entry("Sas", e, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(e, "bus:sas");
	CU_ASSERT_EQUAL(claim_bus_entry("other", e, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "unknown bus type \"other\", expected iscsi, fc or sas");
	CU_ASSERT_EQUAL(claim_bus_entry("infiniband", e, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_EQUAL(claim_bus_entry("", e, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_EQUAL(claim_bus_entry(NULL, e, msg, sizeof(msg)), -EINVAL);
}

static void test_split(void)
{
	char v[9], p[17];

	claim_entry_split("IBM     2145", v, p);
	CU_ASSERT_STRING_EQUAL(v, "IBM");
	CU_ASSERT_STRING_EQUAL(p, "2145");
	claim_entry_split("DGC     ", v, p);
	CU_ASSERT_STRING_EQUAL(v, "DGC");
	CU_ASSERT_STRING_EQUAL(p, "");
	claim_entry_split("DGC", v, p);
	CU_ASSERT_STRING_EQUAL(v, "DGC");
	CU_ASSERT_STRING_EQUAL(p, "");
	claim_entry_split("ABCDEFGH0123456789abcdef", v, p);
	CU_ASSERT_STRING_EQUAL(v, "ABCDEFGH");
	CU_ASSERT_STRING_EQUAL(p, "0123456789abcdef");
}

/* Built entries survive libmp's editor and claim exactly what they say. */
static void test_round_trip(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	char dir[] = "/tmp/test-ctl-claim.XXXXXX", path[64], e[CLAIM_ENTRY_SIZE], msg[256];
	struct mp_parse_error err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/supported-devices", dir);
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);

	CU_ASSERT_EQUAL(claim_entry_build("DGC", "", e, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(mp_supported_file_add(path, e, &err), 0);
	CU_ASSERT_EQUAL(claim_entry_build("IBM", "2145", e, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(mp_supported_file_add(path, e, &err), 0);
	CU_ASSERT_EQUAL(claim_entry_build("ibm", "2145", e, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(mp_supported_file_add(path, e, &err), -EEXIST);
	CU_ASSERT_EQUAL(claim_bus_entry("ISCSI", e, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(mp_supported_file_add(path, e, &err), 0);

	CU_ASSERT_EQUAL_FATAL(mp_supported_parse_file(ctx, path, &list, &err), 0);
	CU_ASSERT_EQUAL(mp_supported_count(list), 3);
	/* the padded vendor claims DGC only, not DGCX */
	CU_ASSERT_EQUAL(mp_supported_match(list, "DGC", "VRAID", MP_TRANSPORT_FC), 0);
	CU_ASSERT_EQUAL(mp_supported_match(list, "DGCX", "VRAID", MP_TRANSPORT_FC), -ENOENT);
	/* the product is a prefix */
	CU_ASSERT_EQUAL(mp_supported_match(list, "IBM", "2145-XYZ", MP_TRANSPORT_FC), 1);
	CU_ASSERT_EQUAL(mp_supported_match(list, "IBM", "2146", MP_TRANSPORT_FC), -ENOENT);
	CU_ASSERT_EQUAL(mp_supported_match(list, "ACME", "Box", MP_TRANSPORT_ISCSI), 2);

	CU_ASSERT_EQUAL(claim_entry_build("IBM", "2145", e, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(mp_supported_file_remove(path, e, &err), 0);
	CU_ASSERT_EQUAL(mp_supported_file_remove(path, e, &err), -ENOENT);

	CU_ASSERT_EQUAL(unlink(path), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/*
 * A vendor that begins with "bus:" stays a vendor/product entry through
 * libmp's editor: "bus:iscs" + "i" must not become the bus type iSCSI, and
 * "bus:x" (no bus type) must be accepted as the vendor it is.
 */
static void test_bus_like_vendor(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	char dir[] = "/tmp/test-ctl-claim.XXXXXX", path[64], e[CLAIM_ENTRY_SIZE], msg[256];
	char arg[CLAIM_ARG_SIZE];
	struct mp_parse_error err;
	enum mp_transport bus = MP_TRANSPORT_ISCSI;
	const char *text = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/supported-devices", dir);
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);

	CU_ASSERT_EQUAL(claim_entry_build("bus:iscs", "i", e, msg, sizeof(msg)), 0);
	claim_entry_arg(e, false, arg);
	CU_ASSERT_STRING_EQUAL(arg, "\"bus:iscsi\"");
	CU_ASSERT_EQUAL(mp_supported_file_add(path, arg, &err), 0);
	CU_ASSERT_EQUAL(claim_entry_build("bus:x", NULL, e, msg, sizeof(msg)), 0);
	claim_entry_arg(e, false, arg);
	CU_ASSERT_EQUAL(mp_supported_file_add(path, arg, &err), 0);

	CU_ASSERT_EQUAL_FATAL(mp_supported_parse_file(ctx, path, &list, &err), 0);
	CU_ASSERT_EQUAL(mp_supported_count(list), 2);
	CU_ASSERT_EQUAL(mp_supported_get_entry(list, 0, &text, &bus, NULL), 0);
	CU_ASSERT_STRING_EQUAL(text, "bus:iscsi");
	CU_ASSERT_EQUAL(bus, _MP_TRANSPORT_INVALID);
	/* it claims its own device, and not every iSCSI LUN */
	CU_ASSERT_EQUAL(mp_supported_match(list, "bus:iscs", "i", MP_TRANSPORT_FC), 0);
	CU_ASSERT_EQUAL(mp_supported_match(list, "ACME", "Box", MP_TRANSPORT_ISCSI), -ENOENT);
	CU_ASSERT_EQUAL(mp_supported_match(list, "bus:x", "Box", MP_TRANSPORT_SAS), 1);

	/* remove takes the same argument, and leaves a real bus entry alone */
	CU_ASSERT_EQUAL(claim_bus_entry("iscsi", e, msg, sizeof(msg)), 0);
	claim_entry_arg(e, true, arg);
	CU_ASSERT_STRING_EQUAL(arg, "bus:iscsi");
	CU_ASSERT_EQUAL(mp_supported_file_remove(path, arg, &err), -ENOENT);
	CU_ASSERT_EQUAL(claim_entry_build("BUS:ISCS", "I", e, msg, sizeof(msg)), 0);
	claim_entry_arg(e, false, arg);
	CU_ASSERT_EQUAL(mp_supported_file_remove(path, arg, &err), 0);

	CU_ASSERT_EQUAL(unlink(path), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static const struct unit_test tests[] = {
	{ "vendor padded to 8, product as a prefix", test_padding },
	{ "too long, empty, non-ASCII", test_length_errors },
	{ "bus types", test_bus },
	{ "split for display", test_split },
	{ "round trip through libmp's editor", test_round_trip },
	{ "a vendor beginning with bus: is no bus type", test_bus_like_vendor },
};

UNIT_MAIN("ctl-claim", tests)
