/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VPD page 0x83/0x80 decoding and WWIDs from sysfs. Pages are built from the
 * SPC-4 layout: one written out byte by byte, the others from descriptor
 * tables (so lengths are computed, not counted by hand). Every decoder call
 * gets a heap buffer of exactly the length it is told, so ASan catches any
 * read past it.
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

static void test_scsi_debug_page(void)
{
	_cleanup_free_ uint8_t *p = dup_exact(pg83_scsi_debug, sizeof(pg83_scsi_debug));
	char out[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(mp_wwid_from_vpd83(p, sizeof(pg83_scsi_debug), out, sizeof(out)), 17);
	CU_ASSERT_STRING_EQUAL(out, "333333330000007d0");
}

static void test_lio_page(void)
{
	char out[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(WWID_OF(lio_descs, out), (int)strlen(LIO_WWID));
	CU_ASSERT_STRING_EQUAL(out, LIO_WWID);
}

static void test_eui64(void)
{
	const struct desc eui8[] = {
		BIN(CS_BIN, LU(T_EUI64), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xaa),
	};
	/* 8, 16 and 12 bytes: the longest wins whatever the order */
	const struct desc eui_mixed[] = {
		BIN(CS_BIN, LU(T_EUI64), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xaa),
		BIN(CS_BIN, LU(T_EUI64), 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc,
		    0xba, 0x98, 0x76, 0x54, 0x32, 0x10),
		BIN(CS_BIN, LU(T_EUI64), 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0,
		    0xb0, 0xc0),
	};
	char out[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(WWID_OF(eui8, out), 17);
	CU_ASSERT_STRING_EQUAL(out, "200112233445566aa");
	CU_ASSERT_EQUAL(WWID_OF(eui_mixed, out), 33);
	CU_ASSERT_STRING_EQUAL(out, "20123456789abcdeffedcba9876543210");
}

static void test_scsi_name_string(void)
{
	/* The LU's name string beats its NAA designator, written before it. */
	const struct desc name[] = {
		BIN(CS_BIN, LU(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60,
		    0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6),
		TXT(CS_UTF8, LU(T_NAME), "iqn.2001-05.com.example:storage.lun7\0\0\0\0"),
	};
	const struct desc naa_name[] = {
		TXT(CS_UTF8, LU(T_NAME), "naa.6001405ABCDEF0123456789ABCDEF012\0\0\0\0"),
	};
	const struct desc eui_name[] = {
		TXT(CS_UTF8, LU(T_NAME), "EUI.0123456789ABCDEF\0\0\0\0"),
	};
	/* not 16/32 hex digits after "naa.": kept as a name */
	const struct desc odd_naa_name[] = {
		TXT(CS_UTF8, LU(T_NAME), "naa.12345\0\0\0"),
	};
	char out[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(WWID_OF(name, out), 37);
	CU_ASSERT_STRING_EQUAL(out, "8iqn.2001-05.com.example:storage.lun7");
	CU_ASSERT(WWID_OF(naa_name, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "36001405abcdef0123456789abcdef012");
	CU_ASSERT(WWID_OF(eui_name, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "20123456789abcdef");
	CU_ASSERT(WWID_OF(odd_naa_name, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "8naa.12345");
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
		TXT(CS_ASCII, LU(T_T10), "VENDOR  LUN42"),
	};
	const struct desc no_lu[] = {
		BIN(CS_BIN, TPORT(T_NAA), 0x50, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
		BIN(CS_BIN, TDEV(T_EUI64), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xaa),
		BIN(CS_BIN, TPORT(T_RELPORT), 0x00, 0x00, 0x00, 0x01),
	};
	char out[MP_WWID_SIZE];

	CU_ASSERT(WWID_OF(t10_lu, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "1VENDOR_LUN42");
	CU_ASSERT_EQUAL(WWID_OF(no_lu, out), -ENODATA);
}

static void test_type_order(void)
{
	const struct desc t10_eui_naa[] = {
		TXT(CS_ASCII, LU(T_T10), "VENDOR  LUN42"),
		BIN(CS_BIN, LU(T_EUI64), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xaa),
		BIN(CS_BIN, LU(T_NAA), 0x50, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
	};
	const struct desc t10_eui[] = {
		TXT(CS_ASCII, LU(T_T10), "VENDOR  LUN42"),
		BIN(CS_BIN, LU(T_EUI64), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xaa),
	};
	/* NAA 3 < 2 < 5 < 6 */
	const struct desc naa_kinds[] = {
		BIN(CS_BIN, LU(T_NAA), 0x33, 0x33, 0x33, 0x30, 0x00, 0x00, 0x07, 0xd0),
		BIN(CS_BIN, LU(T_NAA), 0x20, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55),
		BIN(CS_BIN, LU(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60,
		    0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6),
		BIN(CS_BIN, LU(T_NAA), 0x50, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
	};
	const struct desc naa_2_then_3[] = {
		BIN(CS_BIN, LU(T_NAA), 0x20, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55),
		BIN(CS_BIN, LU(T_NAA), 0x33, 0x33, 0x33, 0x30, 0x00, 0x00, 0x07, 0xd0),
	};
	/* equal rank: the first one */
	const struct desc two_naa5[] = {
		BIN(CS_BIN, LU(T_NAA), 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01),
		BIN(CS_BIN, LU(T_NAA), 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02),
	};
	char out[MP_WWID_SIZE];

	CU_ASSERT(WWID_OF(t10_eui_naa, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "35001405a1b2c3d4e");
	CU_ASSERT(WWID_OF(t10_eui, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "200112233445566aa");
	CU_ASSERT(WWID_OF(naa_kinds, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, LIO_WWID);
	CU_ASSERT(WWID_OF(naa_2_then_3, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "32000001122334455");
	CU_ASSERT(WWID_OF(two_naa5, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "35000000000000001");
}

static void test_unusable_designators_skipped(void)
{
	const struct desc bad[] = {
		/* NAA 6 needs 16 bytes, NAA 5 needs 8 */
		BIN(CS_BIN, LU(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
		BIN(CS_BIN, LU(T_NAA), 0x50, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60,
		    0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6),
		/* reserved NAA value, empty NAA */
		BIN(CS_BIN, LU(T_NAA), 0x40, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
		{ CS_BIN, LU(T_NAA), 0, NULL },
		/* NAA in ASCII */
		TXT(CS_ASCII, LU(T_NAA), "5001405a"),
		/* EUI-64 of 10 bytes */
		BIN(CS_BIN, LU(T_EUI64), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
		/* name strings: binary code set, a space, a control character, empty */
		TXT(CS_BIN, LU(T_NAME), "iqn.2001-05.com.example:a\0\0\0"),
		TXT(CS_UTF8, LU(T_NAME), "iqn.2001-05.com.example a\0\0\0"),
		TXT(CS_UTF8, LU(T_NAME), "iqn.2001-05.com.example\ta\0\0\0"),
		TXT(CS_UTF8, LU(T_NAME), "\0\0\0\0"),
		/* T10 in binary, T10 with a control character */
		TXT(CS_BIN, LU(T_T10), "VENDOR  LUN1"),
		TXT(CS_ASCII, LU(T_T10), "VENDOR  LUN\x01"),
		/* vendor specific */
		TXT(CS_ASCII, LU(0), "VENDOR  PRODUCT 1234"),
	};
	const struct desc bad_then_good[] = {
		BIN(CS_BIN, LU(T_NAA), 0x60, 0x01, 0x40, 0x5a, 0x1b, 0x2c, 0x3d, 0x4e),
		TXT(CS_ASCII, LU(T_T10), "VENDOR  LUN42"),
	};
	char out[MP_WWID_SIZE];

	CU_ASSERT_EQUAL(WWID_OF(bad, out), -ENODATA);
	CU_ASSERT(WWID_OF(bad_then_good, out) > 0);
	CU_ASSERT_STRING_EQUAL(out, "1VENDOR_LUN42");
}

static void test_longest_name_fits(void)
{
	struct desc d = { CS_UTF8, LU(T_NAME), 255, NULL };
	uint8_t name[255];
	char out[MP_WWID_SIZE], expect[257];

	memset(name, 'x', sizeof(name));
	d.data = name;
	expect[0] = '8';
	memset(expect + 1, 'x', 255);
	expect[256] = '\0';
	CU_ASSERT_EQUAL(wwid_of(&d, 1, out, sizeof(out)), 256);
	CU_ASSERT_STRING_EQUAL(out, expect);
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
		r = mp_wwid_from_vpd83(p, len, out, sizeof(out));
		if (r >= 0) {
			ok++;
			CU_ASSERT_EQUAL((size_t)r, strlen(out));
			CU_ASSERT(strchr("1238", out[0]) != NULL);
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

static const char *const attr_names[] = { "vpd_pg83", "vpd_pg80", "vendor", "model" };

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
	CU_ASSERT_STRING_EQUAL(out, "333333330000007d0");

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

static const struct unit_test tests[] = {
	{ "scsi_debug page 0x83", test_scsi_debug_page },
	{ "LIO page 0x83", test_lio_page },
	{ "EUI-64", test_eui64 },
	{ "SCSI name string", test_scsi_name_string },
	{ "T10 vendor ID only", test_t10_only },
	{ "LU association preferred", test_lu_association_preferred },
	{ "designator type order", test_type_order },
	{ "unusable designators skipped", test_unusable_designators_skipped },
	{ "longest name string fits", test_longest_name_fits },
	{ "every truncation is -EBADMSG", test_every_truncation },
	{ "malformed pages", test_malformed },
	{ "random pages", test_random_pages },
	{ "output buffer and arguments", test_output_buffer },
	{ "page 0x80", test_vpd80 },
	{ "sysfs fixture", test_sysfs_fixture },
	{ "sysfs fallbacks", test_sysfs_fallbacks },
};

UNIT_MAIN("vpd", tests)
