/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WWIDs from SCSI VPD pages 0x83 (Device Identification) and 0x80 (Unit Serial
 * Number), decoded from raw bytes: sysfs vpd_pg83/vpd_pg80 or an SG_IO INQUIRY
 * reply. Every length field is checked against the bytes actually there before
 * anything it covers is read.
 *
 * VPD page header (SPC-4), both pages:
 *   byte 0     peripheral qualifier (bits 7-5), peripheral device type (4-0)
 *   byte 1     page code: 0x80 or 0x83
 *   bytes 2-3  page length n, big endian; bytes 4 .. 4+n-1 follow
 *
 * Page 0x80: bytes 4.. are the product serial number, ASCII, space padded.
 *
 * Page 0x83: bytes 4.. are designation descriptors, back to back:
 *   byte 0     protocol identifier (7-4), code set (3-0): 1 binary, 2 ASCII, 3 UTF-8
 *   byte 1     PIV (7), association (5-4): 0 logical unit, 1 target port,
 *              2 target device; designator type (3-0)
 *   byte 2     reserved
 *   byte 3     designator length m; bytes 4 .. 4+m-1 are the designator
 *
 * Designator types used here:
 *   1  T10 vendor ID: an 8-byte T10 vendor identification, then a vendor
 *      specific identifier (ASCII)
 *   2  EUI-64: 8, 12 or 16 bytes (binary)
 *   3  NAA: NAA field in the top nibble of the first byte; 8 bytes for NAA 2
 *      (IEEE extended), 3 (locally assigned) and 5 (IEEE registered), 16 bytes
 *      for NAA 6 (IEEE registered extended) (binary)
 *   8  SCSI name string: UTF-8, NUL terminated, NUL padded to a multiple of 4
 * Others (0 vendor specific, 4 relative target port, 5 target port group,
 * 6 logical unit group, 7 MD5 logical unit identifier) do not name the LU
 * uniquely and are skipped.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fileio.h"
#include "libmp-private.h"

#define VPD_HDR_LEN 4
#define VPD_MAX_LEN (VPD_HDR_LEN + 0xffff)
#define DESC_HDR_LEN 4

#define VPD_PAGE_SERIAL 0x80
#define VPD_PAGE_DEVID 0x83

enum {
	CODE_SET_BINARY = 1,
	CODE_SET_ASCII = 2,
	CODE_SET_UTF8 = 3,
};

enum {
	ASSOC_LU = 0,
};

enum {
	DESIG_T10 = 1,
	DESIG_EUI64 = 2,
	DESIG_NAA = 3,
	DESIG_NAME = 8,
};

/* Ranks of usable designators: higher wins; 0 means "not usable". */
enum {
	RANK_T10 = 100,
	RANK_EUI64 = 200, /* + 1..3 for 8, 12, 16 bytes */
	RANK_NAA = 300,	  /* + 1..4 for NAA 3, 2, 5, 6 */
	RANK_NAME = 400,
};

static const char hexdigits[] = "0123456789abcdef";

static bool is_print(uint8_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Check the page header; the body (the n bytes after it) goes to *ret_body, *ret_len. */
static int vpd_page_body(const uint8_t *buf, size_t len, uint8_t page, const uint8_t **ret_body,
			 size_t *ret_len)
{
	size_t n;

	if (len < VPD_HDR_LEN || buf[1] != page)
		return -EBADMSG;
	n = (size_t)buf[2] << 8 | buf[3];
	if (n > len - VPD_HDR_LEN)
		return -EBADMSG;
	*ret_body = buf + VPD_HDR_LEN;
	*ret_len = n;
	return 0;
}

/*
 * Copy s[0..n) to dst without leading and trailing spaces, each inner run of
 * spaces becoming one '_'. dst needs room for n + 1 bytes. Returns the length.
 */
static size_t squeeze_spaces(const char *s, size_t n, char *dst)
{
	size_t len = 0;
	bool gap = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ') {
			gap = len > 0;
			continue;
		}
		if (gap)
			dst[len++] = '_';
		gap = false;
		dst[len++] = s[i];
	}
	dst[len] = '\0';
	return len;
}

/* prefix + lowercase hex of d[0..n) into out, which must hold 2n + 2 bytes. */
static size_t put_hex(char prefix, const uint8_t *d, size_t n, char *out)
{
	size_t len = 0;

	out[len++] = prefix;
	for (size_t i = 0; i < n; i++) {
		out[len++] = hexdigits[d[i] >> 4];
		out[len++] = hexdigits[d[i] & 0xf];
	}
	out[len] = '\0';
	return len;
}

static int naa_rank(const uint8_t *d, size_t n)
{
	if (n == 0)
		return 0;
	switch (d[0] >> 4) {
	case 6:
		return n == 16 ? RANK_NAA + 4 : 0;
	case 5:
		return n == 8 ? RANK_NAA + 3 : 0;
	case 2:
		return n == 8 ? RANK_NAA + 2 : 0;
	case 3:
		return n == 8 ? RANK_NAA + 1 : 0;
	default:
		return 0;
	}
}

static int eui64_rank(size_t n)
{
	switch (n) {
	case 16:
		return RANK_EUI64 + 3;
	case 12:
		return RANK_EUI64 + 2;
	case 8:
		return RANK_EUI64 + 1;
	default:
		return 0;
	}
}

/*
 * "naa.<hex>" and "eui.<hex>" SCSI names carry an NAA or EUI-64 identifier:
 * write them the way the binary designator would be written, so that the WWID
 * does not depend on which of the two forms a device reports.
 */
static bool name_as_hex(const char *s, size_t n, char *out, size_t *ret_len)
{
	size_t hexlen;
	char prefix;

	if (n <= 4)
		return false;
	hexlen = n - 4;
	if (strncasecmp(s, "naa.", 4) == 0) {
		if (hexlen != 16 && hexlen != 32)
			return false;
		prefix = '3';
	} else if (strncasecmp(s, "eui.", 4) == 0) {
		if (hexlen != 16 && hexlen != 24 && hexlen != 32)
			return false;
		prefix = '2';
	} else
		return false;
	for (size_t i = 4; i < n; i++)
		if (!is_hex(s[i]))
			return false;
	out[0] = prefix;
	for (size_t i = 4; i < n; i++)
		out[i - 3] = ascii_lower(s[i]);
	out[hexlen + 1] = '\0';
	*ret_len = hexlen + 1;
	return true;
}

/*
 * The WWID one descriptor gives, written to out (MP_WWID_SIZE bytes). The
 * descriptor's length is already checked to be in bounds. Returns its rank,
 * or 0 if it is not usable as a WWID.
 */
static int designator_wwid(const uint8_t *desc, char *out, size_t *ret_len)
{
	uint8_t code_set = desc[0] & 0xf, type = desc[1] & 0xf;
	const uint8_t *d = desc + DESC_HDR_LEN;
	size_t n = desc[3];
	int rank;

	/* The longest result, "8" + 255 name bytes, fits MP_WWID_SIZE. */
	_Static_assert(MP_WWID_SIZE >= 2 * 16 + 2 && MP_WWID_SIZE >= 255 + 2, "MP_WWID_SIZE");

	switch (type) {
	case DESIG_NAA:
		rank = naa_rank(d, n);
		if (code_set != CODE_SET_BINARY || !rank)
			return 0;
		*ret_len = put_hex('3', d, n, out);
		return rank;

	case DESIG_EUI64:
		rank = eui64_rank(n);
		if (code_set != CODE_SET_BINARY || !rank)
			return 0;
		*ret_len = put_hex('2', d, n, out);
		return rank;

	case DESIG_T10: {
		bool id = false;

		if (code_set != CODE_SET_ASCII)
			return 0;
		while (n > 0 && d[n - 1] == '\0')
			n--;
		/* 8 bytes of T10 vendor, then something that tells this LU apart */
		if (n <= 8)
			return 0;
		for (size_t i = 0; i < n; i++) {
			if (!is_print(d[i]))
				return 0;
			if (i >= 8 && d[i] != ' ')
				id = true;
		}
		if (!id)
			return 0;
		out[0] = '1';
		*ret_len = 1 + squeeze_spaces((const char *)d, n, out + 1);
		return RANK_T10;
	}

	case DESIG_NAME:
		if (code_set != CODE_SET_UTF8)
			return 0;
		n = strnlen((const char *)d, n);
		if (n == 0)
			return 0;
		/* Only plain ASCII without blanks: the WWID ends up in dm names and files. */
		for (size_t i = 0; i < n; i++)
			if (!is_print(d[i]) || d[i] == ' ')
				return 0;
		if (!name_as_hex((const char *)d, n, out, ret_len)) {
			out[0] = '8';
			memcpy(out + 1, d, n);
			out[n + 1] = '\0';
			*ret_len = n + 1;
		}
		return RANK_NAME;

	default:
		return 0;
	}
}

static int copy_out(const char *s, size_t len, char *out, size_t outlen)
{
	if (len >= outlen)
		return -ERANGE;
	memcpy(out, s, len + 1);
	return (int)len;
}

_public_ int mp_wwid_from_vpd83(const uint8_t *buf, size_t len, char *out, size_t outlen)
{
	char best[MP_WWID_SIZE], cur[MP_WWID_SIZE];
	size_t best_len = 0, cur_len = 0, body_len, off;
	const uint8_t *body;
	int best_rank = 0, r;

	if (!buf || !out)
		return -EINVAL;
	r = vpd_page_body(buf, len, VPD_PAGE_DEVID, &body, &body_len);
	if (r < 0)
		return r;

	/* Walk every descriptor, even after a good one: a malformed page is rejected whole. */
	for (off = 0; off < body_len; off += DESC_HDR_LEN + body[off + 3]) {
		const uint8_t *desc = body + off;
		int rank;

		if (body_len - off < DESC_HDR_LEN)
			return -EBADMSG;
		if (body_len - off - DESC_HDR_LEN < desc[3])
			return -EBADMSG;
		if (((desc[1] >> 4) & 0x3) != ASSOC_LU)
			continue;
		rank = designator_wwid(desc, cur, &cur_len);
		if (rank > best_rank) {
			memcpy(best, cur, cur_len + 1);
			best_len = cur_len;
			best_rank = rank;
		}
	}
	if (!best_rank)
		return -ENODATA;
	return copy_out(best, best_len, out, outlen);
}

/* The serial number's bytes without space and NUL padding, checked to be printable. */
static int vpd80_serial(const uint8_t *buf, size_t len, const uint8_t **ret_s, size_t *ret_n)
{
	const uint8_t *s;
	size_t n;
	int r;

	r = vpd_page_body(buf, len, VPD_PAGE_SERIAL, &s, &n);
	if (r < 0)
		return r;
	while (n > 0 && (s[0] == ' ' || s[0] == '\0'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\0'))
		n--;
	if (n == 0)
		return -ENODATA;
	for (size_t i = 0; i < n; i++)
		if (!is_print(s[i]))
			return -EBADMSG;
	*ret_s = s;
	*ret_n = n;
	return 0;
}

_public_ int mp_serial_from_vpd80(const uint8_t *buf, size_t len, char *out, size_t outlen)
{
	const uint8_t *s;
	size_t n;
	int r;

	if (!buf || !out)
		return -EINVAL;
	r = vpd80_serial(buf, len, &s, &n);
	if (r < 0)
		return r;
	if (n >= outlen)
		return -ERANGE;
	memcpy(out, s, n);
	out[n] = '\0';
	return (int)n;
}

static int read_attr(const char *dir, const char *name, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *path = NULL;
	int r;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	r = mp_read_file(path, max, ret, ret_len);
	return r == -EFBIG ? -EBADMSG : r;
}

/*
 * A sysfs vendor or model attribute ("%.8s\n" of the INQUIRY field) padded
 * with spaces to width, appended to dst at *pos.
 */
static int append_inquiry_attr(const char *dir, const char *name, size_t width, char *dst,
			       size_t *pos)
{
	_cleanup_free_ char *s = NULL;
	size_t n;
	int r;

	r = read_attr(dir, name, 64, &s, &n);
	if (r < 0)
		return r;
	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > width)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++)
		if (!is_print((uint8_t)s[i]))
			return -EBADMSG;
	memcpy(dst + *pos, s, n);
	memset(dst + *pos + n, ' ', width - n);
	*pos += width;
	return 0;
}

/* "S" + vendor(8) + model(16) + serial, with runs of spaces as one '_'. */
static int wwid_from_pg80(const char *dir, const uint8_t *pg80, size_t len, char *out,
			  size_t outlen)
{
	_cleanup_free_ char *raw = NULL, *wwid = NULL;
	const uint8_t *serial;
	size_t n, pos = 0, wlen;
	int r;

	r = vpd80_serial(pg80, len, &serial, &n);
	if (r < 0)
		return r;
	raw = malloc(1 + 8 + 16 + n);
	wwid = malloc(1 + 8 + 16 + n + 1);
	if (!raw || !wwid)
		return -ENOMEM;
	raw[pos++] = 'S';
	r = append_inquiry_attr(dir, "vendor", 8, raw, &pos);
	if (r < 0)
		return r;
	r = append_inquiry_attr(dir, "model", 16, raw, &pos);
	if (r < 0)
		return r;
	memcpy(raw + pos, serial, n);
	pos += n;
	wlen = squeeze_spaces(raw, pos, wwid);
	return copy_out(wwid, wlen, out, outlen);
}

int mp_wwid_from_sysfs_pg83(const char *sysfs_dev_dir, const uint8_t *pg83, size_t len83,
			    char *out, size_t outlen)
{
	_cleanup_free_ char *pg80 = NULL;
	size_t len80 = 0;
	bool nodata = false;
	int r;

	if (pg83 && len83 > 0) {
		r = mp_wwid_from_vpd83(pg83, len83, out, outlen);
		if (r != -ENODATA)
			return r;
		nodata = true;
	}

	r = read_attr(sysfs_dev_dir, "vpd_pg80", VPD_MAX_LEN, &pg80, &len80);
	if (r == -ENOENT || (r == 0 && len80 == 0))
		return nodata ? -ENODATA : -ENOENT;
	if (r < 0)
		return r;
	return wwid_from_pg80(sysfs_dev_dir, (const uint8_t *)pg80, len80, out, outlen);
}

_public_ int mp_wwid_from_sysfs(const char *sysfs_dev_dir, char *out, size_t outlen)
{
	_cleanup_free_ char *pg83 = NULL;
	size_t len83 = 0;
	int r;

	if (!sysfs_dev_dir || !out)
		return -EINVAL;

	r = read_attr(sysfs_dev_dir, "vpd_pg83", VPD_MAX_LEN, &pg83, &len83);
	if (r < 0 && r != -ENOENT)
		return r;
	return mp_wwid_from_sysfs_pg83(sysfs_dev_dir, (const uint8_t *)pg83, len83, out, outlen);
}

/*
 * The target port group designator (type 5, association 1: target port) of
 * the port a page 0x83 was read through: 2 reserved bytes, then the group
 * number, big endian. ALUA devices report exactly one; the first one counts.
 */
#define DESIG_TPG 5
#define ASSOC_TARGET_PORT 1
#define TPG_DESIG_LEN 4

_public_ int mp_tpg_from_vpd83(const uint8_t *buf, size_t len)
{
	size_t body_len, off;
	const uint8_t *body;
	int tpg = -ENODATA, r;

	if (!buf)
		return -EINVAL;
	r = vpd_page_body(buf, len, VPD_PAGE_DEVID, &body, &body_len);
	if (r < 0)
		return r;
	/* As for the WWID: the whole page is checked, even after a match. */
	for (off = 0; off < body_len; off += DESC_HDR_LEN + body[off + 3]) {
		const uint8_t *desc = body + off;

		if (body_len - off < DESC_HDR_LEN)
			return -EBADMSG;
		if (body_len - off - DESC_HDR_LEN < desc[3])
			return -EBADMSG;
		if ((desc[1] & 0xf) != DESIG_TPG || ((desc[1] >> 4) & 0x3) != ASSOC_TARGET_PORT)
			continue;
		if (desc[3] != TPG_DESIG_LEN)
			return -EBADMSG;
		if (tpg < 0)
			tpg = desc[DESC_HDR_LEN + 2] << 8 | desc[DESC_HDR_LEN + 3];
	}
	return tpg;
}
