/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VPD page 0x83/0x80 decoding and WWIDs from sysfs. Pages are built from the
 * SPC-4 layout: one written out byte by byte, the others from descriptor
 * tables (so lengths are computed, not counted by hand). Every decoder call
 * gets a heap buffer of exactly the length it is told, so ASan catches any
 * read past it.
 *
 * The WWID must be udev's scsi_id's ID_SERIAL (libmp/vpd.c). Each case of
 * the table below names the WWID worked out by hand from scsi_id's rules,
 * and is also run through the real scsi_id (its SG_IO INQUIRYs answered
 * from the same made-up sysfs directory by scsi-id-shim.c), so the two can
 * only differ where a case says why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libmp-private.h"
#include "unit.h"

/* Byte 0 of a descriptor: protocol identifier << 4 | code set. */
#define CS_BIN 0x01
#define CS_ASCII 0x02
#define CS_UTF8 0x03
#define PROTO_ISCSI 0x50
#define PROTO_SAS 0x60
/* Byte 1: PIV | association | designator type. */
#define LU(type) (0x00 | (type))
#define TPORT(type) (0x90 | (type))
#define TDEV(type) (0xa0 | (type))
#define T_VENDOR 0
#define T_T10 1
#define T_EUI64 2
#define T_NAA 3
#define T_RELPORT 4
#define T_TPG 5
#define T_NAME 8

struct desc {
	uint8_t b0, b1;
	size_t len;
	const uint8_t *data;
};

#define BIN(b0, b1, ...) \
	{ b0, b1, sizeof((const uint8_t[]){ __VA_ARGS__ }), (const uint8_t[]){ __VA_ARGS__ } }
/* Text designators; sizeof - 1 drops the literal's NUL, put NULs in s for padding. */
#define TXT(b0, b1, s) { b0, b1, sizeof(s) - 1, (const uint8_t *)(s) }

/* Heap copy of exactly len bytes (at least one allocated byte for len 0). */
static uint8_t *dup_exact(const uint8_t *p, size_t len)
{
	uint8_t *b = malloc(len ? len : 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	if (len)
		memcpy(b, p, len);
	return b;
}

/* A page with the given code and descriptors, in a heap buffer of exactly *ret_len bytes. */
static uint8_t *build_page(uint8_t code, const struct desc *d, size_t n, size_t *ret_len)
{
	size_t len = 4, off = 4;
	uint8_t *p;

	for (size_t i = 0; i < n; i++)
		len += 4 + d[i].len;
	p = malloc(len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p[0] = 0x00;
	p[1] = code;
	p[2] = (uint8_t)((len - 4) >> 8);
	p[3] = (uint8_t)(len - 4);
	for (size_t i = 0; i < n; i++) {
		p[off] = d[i].b0;
		p[off + 1] = d[i].b1;
		p[off + 2] = 0;
		p[off + 3] = (uint8_t)d[i].len;
		if (d[i].len)
			memcpy(p + off + 4, d[i].data, d[i].len);
		off += 4 + d[i].len;
	}
	*ret_len = len;
	return p;
}

#define BUILD83(descs, lenp) build_page(0x83, descs, ARRAY_SIZE(descs), lenp)

/* Decode descs as page 0x83; returns the result code, the WWID in out. */
static int wwid_of(const struct desc *d, size_t n, char *out, size_t outlen)
{
	size_t len;
	_cleanup_free_ uint8_t *p = build_page(0x83, d, n, &len);

	return mp_wwid_from_vpd83(p, len, out, outlen);
}

#define WWID_OF(descs, out) wwid_of(descs, ARRAY_SIZE(descs), out, sizeof(out))

/*
 * Shaped like scsi_debug's page 0x83, written out in full: T10 vendor ID and
 * NAA 3 for the LU, then relative port, NAA 5 for the target port and target
 * device, and a SCSI name string for the target device. Only the LU ones may
 * name the LU; NAA 3 is the best of them.
 */
static const uint8_t pg83_scsi_debug[] = {
	0x00, 0x83, 0x00, 0x64,
	/* T10 vendor ID, LU, ASCII, 24 bytes: "Linux   scsi_debug  2000" */
	0x02, 0x01, 0x00, 0x18,
	'L', 'i', 'n', 'u', 'x', ' ', ' ', ' ', 's', 'c', 's', 'i',
	'_', 'd', 'e', 'b', 'u', 'g', ' ', ' ', '2', '0', '0', '0',
	/* NAA 3 (locally assigned), LU, binary, 8 bytes */
	0x01, 0x03, 0x00, 0x08,
	0x33, 0x33, 0x33, 0x30, 0x00, 0x00, 0x07, 0xd0,
	/* relative target port 1, SAS, PIV, target port, 4 bytes */
	0x61, 0x94, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x01,
	/* NAA 5, SAS, PIV, target port, 8 bytes */
	0x61, 0x93, 0x00, 0x08,
	0x52, 0x22, 0x22, 0x20, 0x00, 0x00, 0x00, 0x01,
	/* NAA 5, SAS, PIV, target device, 8 bytes */
	0x61, 0xa3, 0x00, 0x08,
	0x52, 0x22, 0x22, 0x20, 0x00, 0x00, 0x00, 0x00,
	/* SCSI name string, SAS, PIV, target device, UTF-8, 24 bytes NUL padded */
	0x63, 0xa8, 0x00, 0x18,
	'n', 'a', 'a', '.', '5', '2', '2', '2', '2', '2', '2', '0',
	'0', '0', '0', '0', '0', '0', '0', '0', 0, 0, 0, 0,
};

/* Shaped like LIO's: NAA 6 and T10 vendor ID for the LU, then iSCSI port designators. */
static const struct desc lio_descs[] = {
	BIN(CS_BIN, LU(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71,
	    0x82, 0x93, 0xa4, 0xb5, 0xc6),
	TXT(CS_ASCII, LU(T_T10), "LIO-ORG a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90"),
	BIN(PROTO_ISCSI | CS_BIN, TPORT(T_RELPORT), 0x00, 0x00, 0x00, 0x01),
	BIN(PROTO_ISCSI | CS_BIN, TPORT(T_TPG), 0x00, 0x00, 0x00, 0x00),
	TXT(PROTO_ISCSI | CS_UTF8, TPORT(T_NAME),
	    "iqn.2003-01.org.linux-iscsi.host:tgt,t,0x0001\0\0\0"),
};
#define LIO_WWID "36001405a1b2c3d4e5f60718293a4b5c6"


/* Designators the cases below share, and the WWIDs they give alone. */
#define NAA6 BIN(CS_BIN, LU(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, \
		 0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6)
#define NAA6_WWID LIO_WWID
#define NAA5 BIN(CS_BIN, LU(T_NAA), 0x50, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e)
#define NAA5_WWID "35001405a1b2c3d4e"
#define NAA2 BIN(CS_BIN, LU(T_NAA), 0x20, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55)
#define NAA2_WWID "32000001122334455"
#define NAA3 BIN(CS_BIN, LU(T_NAA), 0x33, 0x33, 0x33, 0x30, 0x00, 0x00, 0x07, 0xd0)
#define NAA3_WWID "333333330000007d0"
#define EUI8 BIN(CS_BIN, LU(T_EUI64), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xaa)
#define EUI8_WWID "200112233445566aa"
#define EUI16 BIN(CS_BIN, LU(T_EUI64), 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, \
		  0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10)
#define EUI16_WWID "20123456789abcdeffedcba9876543210"
#define T10 TXT(CS_ASCII, LU(T_T10), "VENDOR  LUN42")
#define T10_WWID "1VENDOR_LUN42"
#define NAME_IQN TXT(CS_UTF8, LU(T_NAME), "iqn.2001-05.com.example:storage.lun7\0\0\0\0")
#define NAME_IQN_WWID "82001-05.com.example:storage.lun7"
#define NAME_NAA TXT(CS_UTF8, LU(T_NAME), "naa.6001405ABCDEF0123456789ABCDEF012\0\0\0\0")
#define NAME_NAA_WWID "36001405abcdef0123456789abcdef012"

static void test_scsi_debug_page(void)
{
	_cleanup_free_ uint8_t *p = dup_exact(pg83_scsi_debug, sizeof(pg83_scsi_debug));
	char out[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, sizeof(pg83_scsi_debug), out, sizeof(out)), 17);
	CU_ASSERT_STRING_EQUAL(out, NAA3_WWID);
}

static void test_lio_page(void)
{
	char out[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(WWID_OF(lio_descs, out), (int)strlen(LIO_WWID));
	CU_ASSERT_STRING_EQUAL(out, LIO_WWID);
}

static void test_scsi_name_string(void)
{
	/* Any designator scsi_id takes beats the name string, written before it. */
	const struct desc name_naa[] = { NAME_IQN, NAA3 };
	const struct desc iqn[] = { NAME_IQN };
	const struct desc naa[] = { NAME_NAA };
	const struct desc eui[] = { TXT(CS_UTF8, LU(T_NAME), "eui.0123456789ABCDEF\0\0\0\0") };
	/* the rest is taken as it is: no check that it is hex */
	const struct desc odd_naa[] = { TXT(CS_UTF8, LU(T_NAME), "naa.12345\0\0\0") };
	/* the code set is not checked; the first fitting one wins */
	const struct desc two[] = {
		TXT(CS_ASCII, LU(T_NAME), "iqn.a\0\0\0"),
		NAME_NAA,
	};
	char out[MP_WWID_SIZE];

	CU_ASSERT(WWID_OF(name_naa, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, NAA3_WWID);
	CU_ASSERT_EQUAL(WWID_OF(iqn, out), (int)strlen(NAME_IQN_WWID));
	CU_ASSERT_STRING_EQUAL(out, NAME_IQN_WWID);
	CU_ASSERT(WWID_OF(naa, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, NAME_NAA_WWID);
	CU_ASSERT(WWID_OF(eui, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "20123456789abcdef");
	CU_ASSERT(WWID_OF(odd_naa, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "312345");
	CU_ASSERT(WWID_OF(two, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "8a");
}

static void test_t10_only(void)
{
	const struct desc t10[] = {
		TXT(CS_ASCII, LU(T_T10), "IBM     2145      00000001  "),
	};
	const struct desc t10_nul_padded[] = {
		TXT(CS_ASCII, LU(T_T10), "LIO-ORG disk1\0\0\0"),
	};
	/* An unconfigured LU answering blanks, or a bare vendor: nothing tells LUs apart. */
	const struct desc t10_blank[] = {
		TXT(CS_ASCII, LU(T_T10), "IBM                     "),
		TXT(CS_ASCII, LU(T_T10), "IBM     "),
		TXT(CS_ASCII, LU(T_T10), "IBM     \0LUN1"),
	};
	char out[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(WWID_OF(t10, out), 18);
	CU_ASSERT_STRING_EQUAL(out, "1IBM_2145_00000001");
	CU_ASSERT(WWID_OF(t10_nul_padded, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "1LIO-ORG_disk1");
	CU_ASSERT_EQUAL(WWID_OF(t10_blank, out), -ENODATA);
}

static void test_lu_association_preferred(void)
{
	/* A target port NAA and a target device name string never name the LU. */
	const struct desc t10_lu[] = {
		BIN(CS_BIN, TPORT(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f,
		    0x60, 0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6),
		TXT(CS_UTF8, TDEV(T_NAME), "iqn.2003-01.org.example:tgt\0"),
		T10,
	};
	const struct desc no_lu[] = {
		BIN(CS_BIN, TPORT(T_NAA), 0x50, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
		BIN(CS_BIN, TDEV(T_EUI64), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xaa),
		BIN(CS_BIN, TPORT(T_RELPORT), 0x00, 0x00, 0x00, 0x01),
		TXT(CS_UTF8, TDEV(T_NAME), "iqn.2003-01.org.example:tgt\0"),
	};
	char out[MP_WWID_SIZE];

	CU_ASSERT(WWID_OF(t10_lu, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, T10_WWID);
	CU_ASSERT_EQUAL(WWID_OF(no_lu, out), -ENODATA);
}

static void test_unusable_designators_skipped(void)
{
	const struct desc bad[] = {
		/* empty designators */
		{ CS_BIN, LU(T_NAA), 0, NULL },
		{ CS_BIN, LU(T_EUI64), 0, NULL },
		{ CS_ASCII, LU(T_T10), 0, NULL },
		TXT(CS_ASCII, LU(T_NAA), "\0\0\0\0"),
		TXT(CS_ASCII, LU(T_EUI64), "   \0"),
		/* a code set scsi_id does not take: UTF-8, reserved */
		BIN(CS_UTF8, LU(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60,
		    0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6),
		BIN(0x0f, LU(T_NAA), 0x50, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
		/* T10 with a byte >= 0x80 */
		TXT(CS_ASCII, LU(T_T10), "VENDOR  caf\xc3\xa9"),
		/* vendor specific: mp_wwid_from_vpd83() has no INQUIRY fields */
		TXT(CS_ASCII, LU(T_VENDOR), "drive-scsi0"),
		/* name strings: no known prefix, an upper case one, nothing after it, a blank */
		TXT(CS_UTF8, LU(T_NAME), "x-2001-05.com.example:a\0"),
		TXT(CS_UTF8, LU(T_NAME), "EUI.0123456789ABCDEF\0\0\0\0"),
		TXT(CS_UTF8, LU(T_NAME), "naa.\0\0\0\0"),
		TXT(CS_UTF8, LU(T_NAME), "iqn.2001-05.com.example a\0\0\0"),
		TXT(CS_UTF8, LU(T_NAME), "iqn.2001-05.com.example\ta\0\0\0"),
		TXT(CS_UTF8, LU(T_NAME), "\0\0\0\0"),
		/* association target device */
		BIN(CS_BIN, TDEV(T_NAA), 0x50, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
	};
	const struct desc bad_then_good[] = {
		{ CS_BIN, LU(T_NAA), 0, NULL },
		T10,
	};
	char out[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(WWID_OF(bad, out), -ENODATA);
	CU_ASSERT(WWID_OF(bad_then_good, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, T10_WWID);
}

/* One descriptor of len bytes of fill (first byte first), as page 0x83 on its own. */
static int wwid_of_one(uint8_t b0, uint8_t b1, size_t len, uint8_t first, uint8_t fill,
		       char *out)
{
	_cleanup_free_ uint8_t *data = malloc(len);
	struct desc d = { b0, b1, len, data };

	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	memset(data, fill, len);
	data[0] = first;
	return wwid_of(&d, 1, out, MP_WWID_SIZE);
}

static void test_longest(void)
{
	char out[MP_WWID_SIZE], expect[MP_WWID_SIZE];

	/* scsi_id's 256 bytes: the digit, 127 bytes in hex, the NUL */
	expect[0] = '3';
	memset(expect + 1, 'a', 254);
	expect[255] = '\0';
	CU_ASSERT_EQUAL(wwid_of_one(CS_BIN, LU(T_NAA), 127, 0xaa, 0xaa, out), 255);
	CU_ASSERT_STRING_EQUAL(out, expect);
	CU_ASSERT_EQUAL(wwid_of_one(CS_BIN, LU(T_NAA), 128, 0xaa, 0xaa, out), -ENODATA);
	/* the digit, 254 characters, the NUL */
	expect[0] = '1';
	memset(expect + 1, 'x', 254);
	CU_ASSERT_EQUAL(wwid_of_one(CS_ASCII, LU(T_T10), 254, 'x', 'x', out), 255);
	CU_ASSERT_STRING_EQUAL(out, expect);
	CU_ASSERT_EQUAL(wwid_of_one(CS_ASCII, LU(T_T10), 255, 'x', 'x', out), -ENODATA);
	/* a name string is not bound by scsi_id: "iqn." and 251 characters */
	CU_ASSERT_EQUAL(wwid_of_one(CS_UTF8, LU(T_NAME), 255, 'x', 'x', out), -ENODATA);
	{
		uint8_t name[255];
		struct desc d = { CS_UTF8, LU(T_NAME), sizeof(name), name };

		memset(name, 'y', sizeof(name));
		memcpy(name, "iqn.", 4);
		expect[0] = '8';
		memset(expect + 1, 'y', 251);
		expect[252] = '\0';
		CU_ASSERT_EQUAL(wwid_of(&d, 1, out, sizeof(out)), 252);
		CU_ASSERT_STRING_EQUAL(out, expect);
	}
}

/* Step 0: a page in the SCSI-2 layout, whose byte 6 is not 0, is "3" + its bytes in hex. */
static void test_scsi2_layout(void)
{
	static const uint8_t emc[] = { 0x00, 0x83, 0x00, 0x10, 0x60, 0x06, 0x04, 0x80, 0x00, 0x01,
				       0x87, 0x90, 0x12, 0x34, 0x53, 0x30, 0x30, 0x34, 0x35, 0x39 };
	_cleanup_free_ uint8_t *p = dup_exact(emc, sizeof(emc)), *big = NULL;
	char out[MP_WWID_SIZE], expect[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, sizeof(emc), out, sizeof(out)), 33);
	CU_ASSERT_STRING_EQUAL(out, "360060480000187901234533030343539");

	/* at most 126 bytes, and the length's low byte only */
	big = calloc(1, 4 + 0x1ff);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	big[1] = 0x83;
	big[2] = 0x01;
	big[3] = 0xff;
	memset(big + 4, 0x11, 0x1ff);
	expect[0] = '3';
	memset(expect + 1, '1', 252);
	expect[253] = '\0';
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(big, 4 + 0x1ff, out, sizeof(out)), 253);
	CU_ASSERT_STRING_EQUAL(out, expect);
	/* byte 6 beyond the page is not looked at */
	big[3] = 0x02;
	big[2] = 0x00;
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(big, 4 + 2, out, sizeof(out)), -EBADMSG);
	big[3] = 0x03;
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(big, 4 + 3, out, sizeof(out)), 7);
	CU_ASSERT_STRING_EQUAL(out, "3111111");
	big[2] = 0x01;
	big[3] = 0x00;
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(big, 4 + 0x100, out, sizeof(out)), -ENODATA);
}

/* Feed p, cut to every length below its full one: always -EBADMSG, never a read past the cut. */
static void check_every_truncation(const uint8_t *page, size_t len, bool pg80)
{
	char out[MP_WWID_SIZE];

	for (size_t cut = 0; cut < len; cut++) {
		_cleanup_free_ uint8_t *p = dup_exact(page, cut);
		int r = pg80 ? mp_serial_from_vpd80(p, cut, out, sizeof(out))
			     : mp_wwid_from_vpd83(p, cut, out, sizeof(out));

		if (r != -EBADMSG)
			fprintf(stderr, "cut at %zu of %zu: %d\n", cut, len, r);
		CU_ASSERT_EQUAL(r, -EBADMSG);
	}
}

static void test_every_truncation(void)
{
	_cleanup_free_ uint8_t *lio = NULL;
	size_t len;

	check_every_truncation(pg83_scsi_debug, sizeof(pg83_scsi_debug), false);
	lio = BUILD83(lio_descs, &len);
	check_every_truncation(lio, len, false);
}

/* Set the page length field of p. */
static void set_page_len(uint8_t *p, size_t n)
{
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
}

static void test_malformed(void)
{
	static const uint8_t empty83[] = { 0x00, 0x83, 0x00, 0x00 };
	_cleanup_free_ uint8_t *p = NULL, *big = NULL;
	size_t len = sizeof(pg83_scsi_debug);
	char out[MP_WWID_SIZE];

	/* a page with no descriptors is well formed, just useless */
	free(p);
	p = dup_exact(empty83, sizeof(empty83));
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, sizeof(empty83), out, sizeof(out)), -ENODATA);

	/* wrong page code */
	free(p);
	p = dup_exact(pg83_scsi_debug, len);
	p[1] = 0x80;
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, len, out, sizeof(out)), -EBADMSG);

	/* page length one more than the bytes there */
	p[1] = 0x83;
	set_page_len(p, len - 4 + 1);
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, len, out, sizeof(out)), -EBADMSG);
	set_page_len(p, 0xffff);
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, len, out, sizeof(out)), -EBADMSG);

	/* page length cutting the last descriptor short, or its header */
	set_page_len(p, len - 4 - 1);
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, len, out, sizeof(out)), -EBADMSG);
	set_page_len(p, len - 4 - 26);
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, len, out, sizeof(out)), -EBADMSG);

	/* a descriptor length running past the page, after a good descriptor */
	set_page_len(p, len - 4);
	p[4 + 28 + 12 + 3] = 0x05; /* relative port claims 5 bytes: the walk goes off by one */
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, len, out, sizeof(out)), -EBADMSG);
	p[4 + 28 + 12 + 3] = 0xff;
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, len, out, sizeof(out)), -EBADMSG);

	/* bytes after the page length are not part of the page */
	big = malloc(len + 7);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memcpy(big, pg83_scsi_debug, len);
	memset(big + len, 0xff, 7);
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(big, len + 7, out, sizeof(out)), 17);
	CU_ASSERT_STRING_EQUAL(out, "333333330000007d0");
}

/* Random pages with valid headers: whatever the bytes, only documented results. */
static void test_random_pages(void)
{
	uint32_t seed = 12345;
	char out[MP_WWID_SIZE];
	unsigned ok = 0, bad = 0, nodata = 0;

	for (unsigned iter = 0; iter < 20000; iter++) {
		size_t len = 4 + (iter % 97);
		_cleanup_free_ uint8_t *p = malloc(len);
		int r;

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			p[i] = (uint8_t)(seed >> 16);
		}
		p[1] = 0x83;
		set_page_len(p, len - 4 - (iter % 3 == 0 ? 0 : p[3] % 4));
		/* bias toward LU-associated, small descriptors so some pages decode */
		for (size_t off = 4; off + 4 <= len; off += 4 + p[off + 3]) {
			p[off + 1] &= 0x0f;
			p[off + 3] %= 20;
		}
		/* and mostly toward the SPC layout (byte 6 reserved, 0), not the SCSI-2 one */
		if (len > 6 && iter % 8 != 0)
			p[6] = 0;
		r = mp_wwid_from_vpd83(p, len, out, sizeof(out));
		if (r >= 0) {
			ok++;
			CU_ASSERT_EQUAL((size_t)r, strlen(out));
			CU_ASSERT(r > 1 && strchr("1238", out[0]) != NULL);
			for (int i = 0; i < r; i++)
				CU_ASSERT(out[i] > 0x20 && out[i] < 0x7f);
		} else if (r == -EBADMSG)
			bad++;
		else if (r == -ENODATA)
			nodata++;
		else
			CU_FAIL("unexpected result");
	}
	CU_ASSERT(ok > 0);
	CU_ASSERT(bad > 0);
	CU_ASSERT(nodata > 0);
}

static void test_output_buffer(void)
{
	_cleanup_free_ uint8_t *p = dup_exact(pg83_scsi_debug, sizeof(pg83_scsi_debug));
	char out[18];

	memcpy(out, "untouched", 10);
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, sizeof(pg83_scsi_debug), out, 17), -ERANGE);
	CU_ASSERT_STRING_EQUAL(out, "untouched");
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, sizeof(pg83_scsi_debug), out, 0), -ERANGE);
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, sizeof(pg83_scsi_debug), out, 18), 17);
	CU_ASSERT_STRING_EQUAL(out, "333333330000007d0");

	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(NULL, 4, out, sizeof(out)), -EINVAL);
	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, sizeof(pg83_scsi_debug), NULL, 10), -EINVAL);
	CU_ASSERT_EQUAL(mp_serial_from_vpd80(NULL, 4, out, sizeof(out)), -EINVAL);
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(NULL, out, sizeof(out)), -EINVAL);
}

static int serial_of(const uint8_t *page, size_t len, char *out, size_t outlen)
{
	_cleanup_free_ uint8_t *p = dup_exact(page, len);

	return mp_serial_from_vpd80(p, len, out, outlen);
}

static void test_vpd80(void)
{
	static const uint8_t padded[] = { 0x00, 0x80, 0x00, 0x0f, ' ', ' ', 'S', 'N', ' ', '0', '0',
					  '4', '2', 'A', 'B', ' ', ' ', ' ', ' ' };
	static const uint8_t nul_padded[] = { 0x00, 0x80, 0x00, 0x08, 'X', 'Y', 'Z', '1',
					      0,    0,    0,    0 };
	static const uint8_t blank[] = { 0x00, 0x80, 0x00, 0x04, ' ', ' ', 0, ' ' };
	static const uint8_t empty[] = { 0x00, 0x80, 0x00, 0x00 };
	static const uint8_t ctrl[] = { 0x00, 0x80, 0x00, 0x04, 'A', 0x07, 'B', ' ' };
	static const uint8_t high[] = { 0x00, 0x80, 0x00, 0x03, 'A', 0xc3, 0xa9 };
	static const uint8_t page83[] = { 0x00, 0x83, 0x00, 0x02, 'A', 'B' };
	char out[32];

	CU_ASSERT_EQUAL(serial_of(padded, sizeof(padded), out, sizeof(out)), 9);
	CU_ASSERT_STRING_EQUAL(out, "SN 0042AB");
	CU_ASSERT_EQUAL(serial_of(nul_padded, sizeof(nul_padded), out, sizeof(out)), 4);
	CU_ASSERT_STRING_EQUAL(out, "XYZ1");
	CU_ASSERT_EQUAL(serial_of(blank, sizeof(blank), out, sizeof(out)), -ENODATA);
	CU_ASSERT_EQUAL(serial_of(empty, sizeof(empty), out, sizeof(out)), -ENODATA);
	CU_ASSERT_EQUAL(serial_of(ctrl, sizeof(ctrl), out, sizeof(out)), -EBADMSG);
	CU_ASSERT_EQUAL(serial_of(high, sizeof(high), out, sizeof(out)), -EBADMSG);
	CU_ASSERT_EQUAL(serial_of(page83, sizeof(page83), out, sizeof(out)), -EBADMSG);
	/* output buffer: exact fit, one short */
	CU_ASSERT_EQUAL(serial_of(nul_padded, sizeof(nul_padded), out, 5), 4);
	memcpy(out, "same", 5);
	CU_ASSERT_EQUAL(serial_of(nul_padded, sizeof(nul_padded), out, 4), -ERANGE);
	CU_ASSERT_STRING_EQUAL(out, "same");

	check_every_truncation(padded, sizeof(padded), true);
	check_every_truncation(nul_padded, sizeof(nul_padded), true);
}

/* ---- sysfs ---- */

struct tmpdir {
	char path[64];
};

static void write_attr(const char *dir, const char *name, const void *data, size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, data, len) == (ssize_t)len);
	close(fd);
}

static const char *const attr_names[] = { "vpd_pg83", "vpd_pg80", "vendor", "model", "dev" };

static int unlink_attr(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return unlink(path);
}

static void tmpdir_remove(struct tmpdir *t)
{
	char path[256];

	for (size_t i = 0; i < ARRAY_SIZE(attr_names); i++) {
		snprintf(path, sizeof(path), "%s/%s", t->path, attr_names[i]);
		(void)unlink(path);
	}
	CU_ASSERT_EQUAL(rmdir(t->path), 0);
}

static void tmpdir_make(struct tmpdir *t)
{
	snprintf(t->path, sizeof(t->path), "/tmp/mpio-test-vpd.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(t->path));
}

static const uint8_t pg80_sn[] = { 0x00, 0x80, 0x00, 0x0a, ' ', ' ', 'S', 'N', ' ', '1', '2', '3',
				   ' ', ' ' };
#define PG80_WWID "SIBM_2145_SN_123"

static void write_inquiry(const char *dir)
{
	write_attr(dir, "vendor", "IBM     \n", 9);
	write_attr(dir, "model", "2145            \n", 17);
}

static void test_sysfs_fixture(void)
{
	_cleanup_free_ uint8_t *lio = NULL;
	_cleanup_free_ char *file = NULL;
	size_t len, flen;
	char out[MP_WWID_SIZE];
	FILE *f;

	/* The committed fixture holds the same bytes as lio_descs (see fixtures/sysfs/README). */
	lio = BUILD83(lio_descs, &len);
	f = fopen(MPIO_FIXTURES "/sysfs/lio-iblock/device/vpd_pg83", "re");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	file = malloc(len + 1);
	flen = fread(file, 1, len + 1, f);
	fclose(f);
	CU_ASSERT_EQUAL(flen, len);
	CU_ASSERT(memcmp(file, lio, len) == 0);

	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(MPIO_FIXTURES "/sysfs/lio-iblock/device", out,
					   sizeof(out)),
			(int)strlen(LIO_WWID));
	CU_ASSERT_STRING_EQUAL(out, LIO_WWID);
}

static void test_sysfs_fallbacks(void)
{
	static const uint8_t pg83_no_lu[] = { 0x00, 0x83, 0x00, 0x08, 0x51, 0x94, 0x00, 0x04,
					      0x00, 0x00, 0x00, 0x01 };
	struct tmpdir t;
	char out[MP_WWID_SIZE];
	_cleanup_free_ uint8_t *huge = NULL;

	tmpdir_make(&t);

	/* nothing there at all */
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, sizeof(out)), -ENOENT);

	/* page 0x80 only, qualified by vendor and model */
	write_attr(t.path, "vpd_pg80", pg80_sn, sizeof(pg80_sn));
	write_inquiry(t.path);
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, sizeof(out)), (int)strlen(PG80_WWID));
	CU_ASSERT_STRING_EQUAL(out, PG80_WWID);

	/* vendor exactly 8 characters: no separator appears */
	write_attr(t.path, "vendor", "3PARdata\n", 9);
	write_attr(t.path, "model", "VV\n", 3);
	CU_ASSERT(mp_wwid_from_sysfs(t.path, out, sizeof(out)) > 0);
	CU_ASSERT_STRING_EQUAL(out, "S3PARdataVV_SN_123");
	write_inquiry(t.path);

	/* an empty vpd_pg83 counts as missing */
	write_attr(t.path, "vpd_pg83", "", 0);
	CU_ASSERT(mp_wwid_from_sysfs(t.path, out, sizeof(out)) > 0);
	CU_ASSERT_STRING_EQUAL(out, PG80_WWID);

	/* page 0x83 without a LU designator falls back too */
	write_attr(t.path, "vpd_pg83", pg83_no_lu, sizeof(pg83_no_lu));
	CU_ASSERT(mp_wwid_from_sysfs(t.path, out, sizeof(out)) > 0);
	CU_ASSERT_STRING_EQUAL(out, PG80_WWID);

	/* a good page 0x83 wins */
	write_attr(t.path, "vpd_pg83", pg83_scsi_debug, sizeof(pg83_scsi_debug));
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, sizeof(out)), 17);
	CU_ASSERT_STRING_EQUAL(out, NAA3_WWID);

	/* a malformed one is an error, not a reason to fall back */
	write_attr(t.path, "vpd_pg83", pg83_scsi_debug, sizeof(pg83_scsi_debug) - 1);
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, sizeof(out)), -EBADMSG);

	/* more than any page can hold */
	huge = calloc(1, 0x10000 + 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(huge);
	huge[1] = 0x83;
	write_attr(t.path, "vpd_pg83", huge, 0x10000 + 8);
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, sizeof(out)), -EBADMSG);

	/* no LU designator and no page 0x80: nothing usable */
	write_attr(t.path, "vpd_pg83", pg83_no_lu, sizeof(pg83_no_lu));
	CU_ASSERT_EQUAL(unlink_attr(t.path, "vpd_pg80"), 0);
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, sizeof(out)), -ENODATA);

	/* page 0x80 but no model attribute to qualify it */
	write_attr(t.path, "vpd_pg80", pg80_sn, sizeof(pg80_sn));
	CU_ASSERT_EQUAL(unlink_attr(t.path, "model"), 0);
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, sizeof(out)), -ENOENT);

	/* a blank serial number */
	write_inquiry(t.path);
	write_attr(t.path, "vpd_pg80", "\x00\x80\x00\x02  ", 6);
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, sizeof(out)), -ENODATA);

	/* output too small */
	write_attr(t.path, "vpd_pg80", pg80_sn, sizeof(pg80_sn));
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, strlen(PG80_WWID)), -ERANGE);

	tmpdir_remove(&t);
	CU_ASSERT_EQUAL(mp_wwid_from_sysfs(t.path, out, sizeof(out)), -ENOENT);
}


/* ---- the same WWIDs as udev's scsi_id ---- */

/* scsi_id's path, or NULL if this host has none. */
static const char *scsi_id_program(void)
{
	static const char *const where[] = { "/usr/lib/udev/scsi_id", "/lib/udev/scsi_id" };

	for (size_t i = 0; i < ARRAY_SIZE(where); i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

/*
 * The ID_SERIAL that scsi_id exports for the made-up disk in dir (through
 * scsi-id-shim.so), into out; false if it exports none.
 */
static bool scsi_id_serial(const char *program, const char *dir, char *out, size_t outlen)
{
	char cmd[1024], line[1024];
	bool found = false;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "LD_PRELOAD=%s MPIO_SHIM_DIR=%s %s --export --whitelisted --device=%s/dev",
		 MPIO_SCSI_ID_SHIM, dir, program, dir);
	f = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "ID_SERIAL=", 10) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, outlen, "%s", line + 10);
			found = true;
		}
	pclose(f);
	return found;
}

struct wwid_case {
	const char *name;
	const struct desc *pg83; /* page 0x83's descriptors */
	size_t n83;
	const uint8_t *raw83; /* or page 0x83 written out; neither: no page */
	size_t len83;
	const uint8_t *pg80; /* page 0x80, or NULL */
	size_t len80;
	const char *wwid;    /* mpio's WWID; NULL: none */
	const char *scsi_id; /* scsi_id's ID_SERIAL, worked out; NULL: none */
	const char *why;     /* why they differ, on purpose; NULL: they must not */
};
#define PG83(d) .pg83 = (d), .n83 = ARRAY_SIZE(d)
#define RAW83(p) .raw83 = (p), .len83 = sizeof(p)
#define PG80(p) .pg80 = (p), .len80 = sizeof(p)
/* The disk's INQUIRY vendor and model (write_inquiry()), as WWIDs show them. */
#define INQ "IBM_2145_"

static const struct desc c_naa6_after_5[] = { NAA5, NAA6 };
static const struct desc c_naa5_after_3_2[] = { NAA3, NAA2, NAA5 };
static const struct desc c_naa3_2[] = { NAA3, NAA2 };
static const struct desc c_naa2_3[] = { NAA2, NAA3 };
static const struct desc c_eui_naa3[] = { EUI16, NAA3 };
static const struct desc c_eui8_16[] = { EUI8, EUI16 };
static const struct desc c_t10_eui[] = { T10, EUI16 };
static const struct desc c_name_naa5[] = { NAME_IQN, NAA5 };
static const struct desc c_name_t10[] = { NAME_NAA, T10 };
static const struct desc c_name[] = { NAME_IQN };
static const struct desc c_name_naa[] = { NAME_NAA };
static const struct desc c_ports[] = {
	BIN(CS_BIN, TPORT(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71,
	    0x82, 0x93, 0xa4, 0xb5, 0xc6),
	TXT(CS_UTF8, TDEV(T_NAME), "iqn.2003-01.org.example:tgt\0"),
	BIN(CS_BIN, TDEV(T_EUI64), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xaa),
	T10,
};
static const struct desc c_no_lu[] = {
	BIN(CS_BIN, TPORT(T_NAA), 0x50, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
	BIN(CS_BIN, TPORT(T_RELPORT), 0x00, 0x00, 0x00, 0x01),
};
static const struct desc c_ascii_naa_bin_naa2[] = {
	TXT(CS_ASCII, LU(T_NAA), "600a0b80001234"),
	NAA2,
};
static const struct desc c_ascii_naa[] = { TXT(CS_ASCII, LU(T_NAA), "600a0b80001234") };
/* 'a' is 0x61: NAA field 6, so step 2 takes it before step 3's binary NAA 5. */
static const struct desc c_ascii_naa6[] = { NAA5, TXT(CS_ASCII, LU(T_NAA), "abc123") };
static const struct desc c_utf8_naa[] = {
	BIN(CS_UTF8, LU(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71,
	    0x82, 0x93, 0xa4, 0xb5, 0xc6),
	T10,
};
static const struct desc c_t10_bin[] = {
	T10,
	BIN(CS_BIN, LU(T_T10), 0x49, 0x42, 0x4d, 0x20, 0x20, 0x20, 0x20, 0x20, 0x01, 0x02),
};
static const struct desc c_vendor_ascii[] = { TXT(CS_ASCII, LU(T_VENDOR), "drive-scsi0-0-0-0") };
static const struct desc c_vendor_bin[] = { BIN(CS_BIN, LU(T_VENDOR), 0x00, 0x11, 0xaa) };
static const struct desc c_vendor_t10[] = {
	TXT(CS_ASCII, LU(T_VENDOR), "drive-scsi0-0-0-0"),
	TXT(CS_ASCII, LU(T_T10), "QEMU    LUN 1"),
};
static const struct desc c_text[] = {
	TXT(CS_ASCII, LU(T_T10), "VENDOR  a/b,c\td\x01" "e  "),
};
static const struct desc c_escape[] = { TXT(CS_ASCII, LU(T_T10), "VENDOR  a\\x41\\b") };
static const struct desc c_nul[] = { TXT(CS_ASCII, LU(T_T10), "VENDOR  ab\0cd") };
static const struct desc c_lead[] = { TXT(CS_ASCII, LU(T_T10), "  VENDOR  LUN1") };
static const struct desc c_t10_bare[] = { TXT(CS_ASCII, LU(T_T10), "IBM     ") };
static const struct desc c_t10_utf8[] = { TXT(CS_ASCII, LU(T_T10), "VENDOR  caf\xc3\xa9") };

static const uint8_t pg80_ctrl[] = { 0x00, 0x80, 0x00, 0x08, ' ', 'S', 'N', 0x01, 'X', '\t', '1', ' ' };
static const uint8_t pg80_blank[] = { 0x00, 0x80, 0x00, 0x04, ' ', ' ', ' ', ' ' };
static const uint8_t pg83_emc[] = { 0x00, 0x83, 0x00, 0x10, 0x60, 0x06, 0x04, 0x80, 0x00, 0x01,
				    0x87, 0x90, 0x12, 0x34, 0x53, 0x30, 0x30, 0x34, 0x35, 0x39 };

static const struct wwid_case wwid_cases[] = {
	{ "scsi_debug: its LU's NAA 3", RAW83(pg83_scsi_debug), .wwid = NAA3_WWID,
	  .scsi_id = NAA3_WWID },
	{ "LIO: its NAA 6", PG83(lio_descs), .wwid = LIO_WWID, .scsi_id = LIO_WWID },
	{ "NAA 6 after NAA 5", PG83(c_naa6_after_5), .wwid = NAA6_WWID, .scsi_id = NAA6_WWID },
	{ "NAA 5 after NAA 3 and 2", PG83(c_naa5_after_3_2), .wwid = NAA5_WWID,
	  .scsi_id = NAA5_WWID },
	{ "NAA 3 then 2: the first", PG83(c_naa3_2), .wwid = NAA3_WWID, .scsi_id = NAA3_WWID },
	{ "NAA 2 then 3: the first", PG83(c_naa2_3), .wwid = NAA2_WWID, .scsi_id = NAA2_WWID },
	{ "NAA 3 over EUI-64", PG83(c_eui_naa3), .wwid = NAA3_WWID, .scsi_id = NAA3_WWID },
	{ "EUI-64: the first, not the longest", PG83(c_eui8_16), .wwid = EUI8_WWID,
	  .scsi_id = EUI8_WWID },
	{ "EUI-64 over T10", PG83(c_t10_eui), .wwid = EUI16_WWID, .scsi_id = EUI16_WWID },
	{ "NAA over a name string", PG83(c_name_naa5), .wwid = NAA5_WWID, .scsi_id = NAA5_WWID },
	{ "T10 over a naa. name string", PG83(c_name_t10), .wwid = T10_WWID, .scsi_id = T10_WWID },
	{ "page 0x80 over a name string", PG83(c_name), PG80(pg80_sn), .wwid = PG80_WWID,
	  .scsi_id = PG80_WWID },
	{ "an iqn. name string last", PG83(c_name), .wwid = NAME_IQN_WWID,
	  .why = "scsi_id takes no name string; this is multipath-tools' own form" },
	{ "a naa. name string last", PG83(c_name_naa), .wwid = NAME_NAA_WWID,
	  .why = "scsi_id takes no name string; this is multipath-tools' own form" },
	{ "target port and device designators never", PG83(c_ports), .wwid = T10_WWID,
	  .scsi_id = T10_WWID },
	{ "no LU designator: page 0x80", PG83(c_no_lu), PG80(pg80_sn), .wwid = PG80_WWID,
	  .scsi_id = PG80_WWID },
	{ "binary NAA before ASCII NAA", PG83(c_ascii_naa_bin_naa2), .wwid = NAA2_WWID,
	  .scsi_id = NAA2_WWID },
	{ "ASCII NAA", PG83(c_ascii_naa), .wwid = "3600a0b80001234", .scsi_id = "3600a0b80001234" },
	{ "ASCII NAA with NAA field 6", PG83(c_ascii_naa6), .wwid = "3abc123",
	  .scsi_id = "3abc123" },
	{ "UTF-8 code set not taken", PG83(c_utf8_naa), .wwid = T10_WWID, .scsi_id = T10_WWID },
	{ "binary T10 before ASCII T10", PG83(c_t10_bin), .wwid = "149424d20202020200102",
	  .scsi_id = "149424d20202020200102" },
	{ "vendor specific, ASCII, over page 0x80", PG83(c_vendor_ascii), PG80(pg80_sn),
	  .wwid = "0" INQ "drive-scsi0-0-0-0", .scsi_id = "0" INQ "drive-scsi0-0-0-0" },
	{ "vendor specific, binary", PG83(c_vendor_bin), .wwid = "0" INQ "0011aa",
	  .scsi_id = "0" INQ "0011aa" },
	{ "T10 over vendor specific", PG83(c_vendor_t10), .wwid = "1QEMU_LUN_1",
	  .scsi_id = "1QEMU_LUN_1" },
	{ "text: white space and characters", PG83(c_text), .wwid = "1VENDOR_a_b_c_d_e",
	  .scsi_id = "1VENDOR_a_b_c_d_e" },
	{ "text: a \\x escape kept", PG83(c_escape), .wwid = "1VENDOR_a\\x41_b",
	  .scsi_id = "1VENDOR_a\\x41_b" },
	{ "text: up to the first NUL", PG83(c_nul), .wwid = "1VENDOR_ab", .scsi_id = "1VENDOR_ab" },
	{ "text: leading blanks", PG83(c_lead), .wwid = "1_VENDOR_LUN1", .scsi_id = "1_VENDOR_LUN1" },
	{ "page 0x80 only", PG80(pg80_sn), .wwid = PG80_WWID, .scsi_id = PG80_WWID },
	{ "page 0x80 with control characters", PG80(pg80_ctrl), .wwid = "S" INQ "SN_X_1",
	  .scsi_id = "S" INQ "SN_X_1" },
	{ "page 0x83 in the SCSI-2 layout", RAW83(pg83_emc),
	  .wwid = "360060480000187901234533030343539",
	  .scsi_id = "360060480000187901234533030343539" },
	{ "no page at all", .wwid = NULL },
	{ "T10 with a vendor only", PG83(c_t10_bare), PG80(pg80_sn), .wwid = PG80_WWID,
	  .scsi_id = "1IBM", .why = "a bare vendor names no LU: every such LU would be one" },
	{ "T10 with UTF-8", PG83(c_t10_utf8), PG80(pg80_sn), .wwid = PG80_WWID,
	  .scsi_id = "1VENDOR_caf\xc3\xa9", .why = "WWIDs stay ASCII" },
	{ "a blank serial number", PG80(pg80_blank), .scsi_id = "SIBM_2145",
	  .why = "a blank serial number names no LU: every such LU would be one" },
};

static bool same(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

static void check_case(const struct wwid_case *c, const char *program)
{
	char out[MP_WWID_SIZE], sid[1024], path[256];
	struct tmpdir t;
	int r;

	tmpdir_make(&t);
	write_inquiry(t.path);
	snprintf(path, sizeof(path), "%s/dev", t.path);
	write_attr(t.path, "dev", "", 0);
	if (c->pg83) {
		size_t len;
		_cleanup_free_ uint8_t *p = build_page(0x83, c->pg83, c->n83, &len);

		write_attr(t.path, "vpd_pg83", p, len);
	}
	if (c->raw83)
		write_attr(t.path, "vpd_pg83", c->raw83, c->len83);
	if (c->pg80)
		write_attr(t.path, "vpd_pg80", c->pg80, c->len80);

	/* mpio's WWID, as worked out */
	r = mp_wwid_from_sysfs(t.path, out, sizeof(out));
	if (c->wwid ? r < 0 || strcmp(out, c->wwid) != 0 : r >= 0) {
		fprintf(stderr, "%s: mpio gives %d \"%s\", not \"%s\"\n", c->name, r,
			r >= 0 ? out : "", c->wwid ?: "(none)");
		CU_FAIL("mpio's WWID");
	}
	/* the same as scsi_id's, as worked out, but where the case says why not */
	CU_ASSERT(c->why ? !same(c->wwid, c->scsi_id) : same(c->wwid, c->scsi_id));

	/* scsi_id's, for real */
	if (program) {
		bool found = scsi_id_serial(program, t.path, sid, sizeof(sid));

		if (!same(found ? sid : NULL, c->scsi_id)) {
			fprintf(stderr, "%s: scsi_id gives \"%s\", not \"%s\"\n", c->name,
				found ? sid : "(none)", c->scsi_id ?: "(none)");
			CU_FAIL("scsi_id's ID_SERIAL");
		}
	}
	tmpdir_remove(&t);
}

static void test_same_as_scsi_id(void)
{
	const char *program = scsi_id_program();

	if (!program)
		fprintf(stderr, "no scsi_id here: WWIDs checked against the worked-out ones only\n");
	for (size_t i = 0; i < ARRAY_SIZE(wwid_cases); i++)
		check_case(&wwid_cases[i], program);
}

static const struct unit_test tests[] = {
	{ "scsi_debug page 0x83", test_scsi_debug_page },
	{ "LIO page 0x83", test_lio_page },
	{ "SCSI name strings", test_scsi_name_string },
	{ "T10 vendor ID only", test_t10_only },
	{ "LU association preferred", test_lu_association_preferred },
	{ "unusable designators skipped", test_unusable_designators_skipped },
	{ "longest WWIDs", test_longest },
	{ "SCSI-2 layout", test_scsi2_layout },
	{ "every truncation is -EBADMSG", test_every_truncation },
	{ "malformed pages", test_malformed },
	{ "random pages", test_random_pages },
	{ "output buffer and arguments", test_output_buffer },
	{ "page 0x80", test_vpd80 },
	{ "sysfs fixture", test_sysfs_fixture },
	{ "sysfs fallbacks", test_sysfs_fallbacks },
	{ "the same WWIDs as scsi_id", test_same_as_scsi_id },
};

UNIT_MAIN("vpd", tests)
