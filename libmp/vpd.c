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
 *   0  vendor specific
 *   1  T10 vendor ID: an 8-byte T10 vendor identification, then a vendor
 *      specific identifier
 *   2  EUI-64: 8, 12 or 16 bytes
 *   3  NAA: the NAA field in the top nibble of the first byte (2 IEEE
 *      extended, 3 locally assigned, 5 IEEE registered, 6 IEEE registered
 *      extended)
 *   5  target port group (association 1), for ALUA: mp_tpg_from_vpd83()
 *   8  SCSI name string: UTF-8, NUL terminated, NUL padded to a multiple of 4
 *
 * ---- Which identifier is the WWID ----
 *
 * The WWID is what udev's scsi_id makes of the device (its ID_SERIAL, which
 * multipath-tools takes as a SCSI disk's WWID by default), so that bindings,
 * wwids files, aliases, LVM filters and by-id names written under
 * multipath-tools name the same LUs here. The steps, best first; within a
 * step, the first fitting descriptor in page order wins. Only descriptors of
 * the logical unit (association 0) count: target port and target device ones
 * are shared by every LU behind the port.
 *
 *   step  source                                 code set  WWID
 *    0    page 0x83 in the SCSI-2 layout            -       "3" + hex of its first
 *         (byte 6, reserved since SPC-2, not 0)             126 bytes at most
 *    1    NAA designator, NAA field 6             binary    "3" + hex
 *    2    NAA designator, NAA field 6             ASCII     "3" + text
 *    3    NAA designator, NAA field 5             binary    "3" + hex
 *    4    NAA designator, NAA field 5             ASCII     "3" + text
 *    5    NAA designator, any NAA field           binary    "3" + hex
 *    6    NAA designator, any NAA field           ASCII     "3" + text
 *    7    EUI-64 designator                       binary    "2" + hex
 *    8    EUI-64 designator                       ASCII     "2" + text
 *    9    T10 vendor ID designator                binary    "1" + hex
 *   10    T10 vendor ID designator                ASCII     "1" + text
 *   11    vendor specific designator              binary    "0" + vendor + model + hex
 *   12    vendor specific designator              ASCII     "0" + vendor + model + text
 *   13    page 0x80 serial number                   -       "S" + vendor + model + text
 *   14    SCSI name string "naa.X", "eui.X"        any      "3" + X, "2" + X (both
 *         or "iqn.X"                                        lowercase), "8" + X
 *
 * The prefix digit is the designator type. The NAA field is the top nibble of
 * the designator's first byte, whatever its code set. Hex is lowercase, two
 * digits a byte; text is the designator's bytes up to the first NUL; vendor
 * and model are the INQUIRY fields, 8 and 16 characters, space padded. Steps
 * 0 to 13 then get udev's treatment of ID_SERIAL (text_clean()). scsi_id's
 * 256-byte buffer bounds the steps: a designator whose WWID would not fit it
 * (255 characters) is skipped, as is a serial number longer than 230 bytes.
 * Step 14 is not scsi_id's (it never uses a name string): it is the form
 * multipath-tools' own decoder gives a disk that udev gave no ID_SERIAL, and
 * X must be printable ASCII without blanks.
 *
 * Where this differs from scsi_id, on purpose:
 *  - a byte >= 0x80 makes a designator (or the serial number) unusable:
 *    scsi_id keeps valid UTF-8, but WWIDs stay ASCII here (dm names, files);
 *  - an identifier that does not tell LUs apart is skipped: an empty
 *    designator, a T10 vendor ID with nothing after its vendor field, a blank
 *    vendor specific designator or serial number (scsi_id would give every
 *    such LU the same "1IBM" or "SVENDOR_MODEL", and one map would take them
 *    all);
 *  - scsi_id reads the first 254 bytes of page 0x83, this the whole page.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "libmp-private.h"

#define VPD_HDR_LEN 4
#define VPD_MAX_LEN (VPD_HDR_LEN + 0xffff)
#define DESC_HDR_LEN 4

#define VPD_PAGE_SERIAL 0x80
#define VPD_PAGE_DEVID 0x83

/* scsi_id's ID_SERIAL buffer, with its NUL: no WWID of steps 0 to 13 is longer. */
#define SCSI_ID_MAX 256
/* The INQUIRY vendor and model fields that steps 11 to 13 put first. */
#define INQUIRY_ID_LEN (8 + 16)
/* Step 0: the byte SPC reserves, and the most bytes scsi_id writes out. */
#define SCSI2_MARK 6
#define SCSI2_MAX_BYTES ((SCSI_ID_MAX - 4) / 2)
/* Step 13: the longest serial number scsi_id takes. */
#define SERIAL_MAX (SCSI_ID_MAX - 1 - INQUIRY_ID_LEN - 1)
/* Step 10: the T10 vendor identification before the identifier proper. */
#define T10_VENDOR_LEN 8
#define NAME_PREFIX_LEN 4

_Static_assert(MP_WWID_SIZE >= SCSI_ID_MAX, "MP_WWID_SIZE holds every WWID");

enum {
	CODE_SET_BINARY = 1,
	CODE_SET_ASCII = 2,
};

enum {
	ASSOC_LU = 0,
	ASSOC_TARGET_PORT = 1,
};

enum {
	DESIG_VENDOR = 0,
	DESIG_T10 = 1,
	DESIG_EUI64 = 2,
	DESIG_NAA = 3,
	DESIG_TPG = 5,
	DESIG_NAME = 8,
};

#define NAA_ANY 0xff

/* Steps 1 to 12 of the table above. */
static const struct designator_step {
	uint8_t type, naa, code_set;
} designator_steps[] = {
	{ DESIG_NAA, 6, CODE_SET_BINARY },	    { DESIG_NAA, 6, CODE_SET_ASCII },
	{ DESIG_NAA, 5, CODE_SET_BINARY },	    { DESIG_NAA, 5, CODE_SET_ASCII },
	{ DESIG_NAA, NAA_ANY, CODE_SET_BINARY },    { DESIG_NAA, NAA_ANY, CODE_SET_ASCII },
	{ DESIG_EUI64, NAA_ANY, CODE_SET_BINARY },  { DESIG_EUI64, NAA_ANY, CODE_SET_ASCII },
	{ DESIG_T10, NAA_ANY, CODE_SET_BINARY },    { DESIG_T10, NAA_ANY, CODE_SET_ASCII },
	{ DESIG_VENDOR, NAA_ANY, CODE_SET_BINARY }, { DESIG_VENDOR, NAA_ANY, CODE_SET_ASCII },
};

/* Step 14: the name string prefixes, and the designator type whose digit each gets. */
static const struct name_form {
	char prefix[NAME_PREFIX_LEN + 1];
	uint8_t type;
} name_forms[] = {
	{ "naa.", DESIG_NAA },
	{ "eui.", DESIG_EUI64 },
	{ "iqn.", DESIG_NAME },
};

static const char hexdigits[] = "0123456789abcdef";

static bool is_print(uint8_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* isspace() in the C locale, as udev applies it. */
static bool is_space(uint8_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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

/* -EBADMSG if a descriptor of a page 0x83 body runs past it: later walks trust the lengths. */
static int check_descriptors(const uint8_t *body, size_t body_len)
{
	for (size_t off = 0; off < body_len; off += DESC_HDR_LEN + body[off + 3]) {
		if (body_len - off < DESC_HDR_LEN)
			return -EBADMSG;
		if (body_len - off - DESC_HDR_LEN < body[off + 3])
			return -EBADMSG;
	}
	return 0;
}

#define for_each_descriptor(desc, body, body_len)                      \
	for (const uint8_t *desc = (body); desc < (body) + (body_len); \
	     desc += DESC_HDR_LEN + desc[3])

static uint8_t desc_code_set(const uint8_t *desc)
{
	return desc[0] & 0xf;
}

static uint8_t desc_assoc(const uint8_t *desc)
{
	return (desc[1] >> 4) & 0x3;
}

static uint8_t desc_type(const uint8_t *desc)
{
	return desc[1] & 0xf;
}

/*
 * udev's treatment of ID_SERIAL, on the raw WWID s[0..n) (no NUL in it), into
 * out (n + 1 bytes): leading and trailing white space dropped, each inner run
 * of it one '_'; then each byte but a letter, a digit, one of "#+-.:=@_" or
 * the start of a "\x" escape made '_'. Returns the length, or -EILSEQ for a
 * byte >= 0x80 (the first difference from scsi_id above).
 */
static int text_clean(const char *s, size_t n, char *out)
{
	size_t len = 0;
	bool gap = false;

	while (n > 0 && is_space((uint8_t)s[n - 1]))
		n--;
	while (n > 0 && is_space((uint8_t)s[0]))
		s++, n--;
	for (size_t i = 0; i < n; i++) {
		if ((uint8_t)s[i] >= 0x80)
			return -EILSEQ;
		if (is_space((uint8_t)s[i])) {
			gap = true;
			continue;
		}
		if (gap)
			out[len++] = '_';
		gap = false;
		out[len++] = s[i];
	}
	out[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		if (out[i] == '\\' && out[i + 1] == 'x')
			i++;
		else if (!is_alnum(out[i]) && !strchr("#+-.:=@_", out[i]))
			out[i] = '_';
	}
	return (int)len;
}

/* Whether d[0..n) holds something besides white space. */
static bool has_text(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_space(d[i]))
			return true;
	return false;
}

/* Lowercase hex of d[0..n) at out; returns 2n. */
static size_t put_hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdigits[d[i] >> 4];
		out[2 * i + 1] = hexdigits[d[i] & 0xf];
	}
	return 2 * n;
}

/*
 * The WWID descriptor desc gives by step st (inquiry: vendor and model, or
 * NULL when unknown) into out (SCSI_ID_MAX bytes). Returns its length, or
 * -ENODATA when the descriptor does not fit the step or gives nothing usable.
 */
static int designator_wwid(const uint8_t *desc, const struct designator_step *st,
			   const char *inquiry, char *out)
{
	const uint8_t *d = desc + DESC_HDR_LEN;
	bool ascii = st->code_set == CODE_SET_ASCII, vendor = st->type == DESIG_VENDOR;
	size_t n = desc[3], pos = 0;
	char raw[SCSI_ID_MAX];
	int r;

	if (desc_assoc(desc) != ASSOC_LU || desc_type(desc) != st->type ||
	    desc_code_set(desc) != st->code_set)
		return -ENODATA;
	if (st->naa != NAA_ANY && (n == 0 || d[0] >> 4 != st->naa))
		return -ENODATA;
	if (vendor && !inquiry)
		return -ENODATA;
	/* What scsi_id's buffer must hold: the digit, the designator, the NUL. */
	if (1 + (vendor ? INQUIRY_ID_LEN : 0) + (ascii ? n : 2 * n) + 1 > SCSI_ID_MAX)
		return -ENODATA;
	if (ascii) {
		size_t skip = st->type == DESIG_T10 ? T10_VENDOR_LEN : 0;

		n = strnlen((const char *)d, n);
		if (n <= skip || !has_text(d + skip, n - skip))
			return -ENODATA;
	} else if (n == 0)
		return -ENODATA;

	raw[pos++] = hexdigits[st->type];
	if (vendor) {
		memcpy(raw + pos, inquiry, INQUIRY_ID_LEN);
		pos += INQUIRY_ID_LEN;
	}
	if (ascii) {
		memcpy(raw + pos, d, n);
		pos += n;
	} else
		pos += put_hex(d, n, raw + pos);
	r = text_clean(raw, pos, out);
	return r < 0 ? -ENODATA : r;
}

/* Step 14 for one descriptor, into out (MP_WWID_SIZE bytes): its length, or -ENODATA. */
static int name_wwid(const uint8_t *desc, char *out)
{
	const char *s = (const char *)desc + DESC_HDR_LEN;
	size_t n;

	if (desc_assoc(desc) != ASSOC_LU || desc_type(desc) != DESIG_NAME)
		return -ENODATA;
	n = strnlen(s, desc[3]);
	if (n <= NAME_PREFIX_LEN)
		return -ENODATA;
	for (size_t i = 0; i < n; i++)
		if (!is_print((uint8_t)s[i]) || s[i] == ' ')
			return -ENODATA;
	for (size_t f = 0; f < ARRAY_SIZE(name_forms); f++) {
		const struct name_form *nf = &name_forms[f];
		bool lower = nf->type != DESIG_NAME;

		if (memcmp(s, nf->prefix, NAME_PREFIX_LEN) != 0)
			continue;
		out[0] = hexdigits[nf->type];
		for (size_t i = NAME_PREFIX_LEN; i < n; i++)
			out[i - NAME_PREFIX_LEN + 1] = lower ? ascii_lower(s[i]) : s[i];
		out[n - NAME_PREFIX_LEN + 1] = '\0';
		return (int)(n - NAME_PREFIX_LEN + 1);
	}
	return -ENODATA;
}

enum pg83_steps {
	STEPS_DESIGNATORS, /* steps 0 to 12 (11 and 12 only with the INQUIRY fields) */
	STEPS_NAMES,	   /* step 14 */
};

/*
 * The WWID page 0x83 buf[0..len) gives by the steps asked for, into out
 * (MP_WWID_SIZE bytes); inquiry as for designator_wwid(). Returns its
 * length, -ENODATA if nothing fits, -EBADMSG for a malformed page.
 */
static int pg83_wwid(const uint8_t *buf, size_t len, enum pg83_steps steps, const char *inquiry,
		     char *out)
{
	const uint8_t *body;
	size_t body_len;
	int r;

	r = vpd_page_body(buf, len, VPD_PAGE_DEVID, &body, &body_len);
	if (r < 0)
		return r;

	/* Step 0: no descriptors in that layout; scsi_id takes the low byte of the length. */
	if (body_len > SCSI2_MARK - VPD_HDR_LEN && buf[SCSI2_MARK] != 0) {
		size_t n = buf[3] < SCSI2_MAX_BYTES ? buf[3] : SCSI2_MAX_BYTES;

		if (steps != STEPS_DESIGNATORS || n == 0)
			return -ENODATA;
		out[0] = hexdigits[DESIG_NAA];
		out[1 + put_hex(body, n, out + 1)] = '\0';
		return (int)(1 + 2 * n);
	}

	/* A malformed page is rejected whole, whatever it holds before the fault. */
	r = check_descriptors(body, body_len);
	if (r < 0)
		return r;
	if (steps == STEPS_NAMES) {
		for_each_descriptor(desc, body, body_len) {
			r = name_wwid(desc, out);
			if (r != -ENODATA)
				return r;
		}
		return -ENODATA;
	}
	for (size_t i = 0; i < ARRAY_SIZE(designator_steps); i++)
		for_each_descriptor(desc, body, body_len) {
			r = designator_wwid(desc, &designator_steps[i], inquiry, out);
			if (r != -ENODATA)
				return r;
		}
	return -ENODATA;
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
	char wwid[MP_WWID_SIZE];
	int r;

	if (!buf || !out)
		return -EINVAL;
	r = pg83_wwid(buf, len, STEPS_DESIGNATORS, NULL, wwid);
	if (r == -ENODATA)
		r = pg83_wwid(buf, len, STEPS_NAMES, NULL, wwid);
	return r < 0 ? r : copy_out(wwid, (size_t)r, out, outlen);
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
 * with spaces to width, at dst.
 */
static int read_inquiry_attr(const char *dir, const char *name, size_t width, char *dst)
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
	memcpy(dst, s, n);
	memset(dst + n, ' ', width - n);
	return 0;
}

/* The INQUIRY vendor (8) and model (16) fields, space padded, from sysfs. */
static int read_inquiry(const char *dir, char inquiry[static INQUIRY_ID_LEN])
{
	int r;

	r = read_inquiry_attr(dir, "vendor", 8, inquiry);
	return r < 0 ? r : read_inquiry_attr(dir, "model", 16, inquiry + 8);
}

/* Step 13, into out (MP_WWID_SIZE bytes): its length, or a negative errno. */
static int pg80_wwid(const uint8_t *pg80, size_t len, const char *inquiry, char *out)
{
	char raw[SCSI_ID_MAX];
	const uint8_t *s;
	size_t n;
	int r;

	r = vpd_page_body(pg80, len, VPD_PAGE_SERIAL, &s, &n);
	if (r < 0)
		return r;
	if (n > SERIAL_MAX)
		return -ENODATA;
	n = strnlen((const char *)s, n);
	if (!has_text(s, n))
		return -ENODATA;
	raw[0] = 'S';
	memcpy(raw + 1, inquiry, INQUIRY_ID_LEN);
	memcpy(raw + 1 + INQUIRY_ID_LEN, s, n);
	r = text_clean(raw, 1 + INQUIRY_ID_LEN + n, out);
	return r == -EILSEQ ? -EBADMSG : r;
}

int mp_wwid_from_sysfs_pg83(const char *sysfs_dev_dir, const uint8_t *pg83, size_t len83,
			    char *out, size_t outlen)
{
	_cleanup_free_ char *pg80 = NULL;
	char wwid[MP_WWID_SIZE], inquiry[INQUIRY_ID_LEN];
	size_t len80 = 0;
	bool have80;
	int r, r_inq, r80;

	if (!pg83 || len83 == 0)
		pg83 = NULL;
	if (pg83) {
		r = pg83_wwid(pg83, len83, STEPS_DESIGNATORS, NULL, wwid);
		if (r != -ENODATA)
			goto done;
	}

	/* Steps 11 to 13 need the INQUIRY vendor and model; without them 11 and 12 are skipped. */
	r_inq = read_inquiry(sysfs_dev_dir, inquiry);
	if (pg83 && r_inq == 0) {
		r = pg83_wwid(pg83, len83, STEPS_DESIGNATORS, inquiry, wwid);
		if (r != -ENODATA)
			goto done;
	}

	r80 = read_attr(sysfs_dev_dir, "vpd_pg80", VPD_MAX_LEN, &pg80, &len80);
	have80 = r80 != -ENOENT && !(r80 == 0 && len80 == 0);
	if (r80 == 0 && have80)
		r80 = r_inq < 0 ? r_inq : pg80_wwid((const uint8_t *)pg80, len80, inquiry, wwid);
	r = r80;
	if (have80 && r >= 0)
		goto done;

	if (pg83) {
		r = pg83_wwid(pg83, len83, STEPS_NAMES, NULL, wwid);
		if (r != -ENODATA)
			goto done;
	}
	/* Nothing usable: page 0x80's trouble if it is there, else whether page 0x83 was. */
	if (have80)
		return r80;
	return pg83 ? -ENODATA : -ENOENT;
done:
	return r < 0 ? r : copy_out(wwid, (size_t)r, out, outlen);
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
#define TPG_DESIG_LEN 4

_public_ int mp_tpg_from_vpd83(const uint8_t *buf, size_t len)
{
	const uint8_t *body;
	size_t body_len;
	int tpg = -ENODATA, r;

	if (!buf)
		return -EINVAL;
	r = vpd_page_body(buf, len, VPD_PAGE_DEVID, &body, &body_len);
	if (r < 0)
		return r;
	/* As for the WWID: the whole page is checked, even after a match. */
	r = check_descriptors(body, body_len);
	if (r < 0)
		return r;
	for_each_descriptor(desc, body, body_len) {
		if (desc_type(desc) != DESIG_TPG || desc_assoc(desc) != ASSOC_TARGET_PORT)
			continue;
		if (desc[3] != TPG_DESIG_LEN)
			return -EBADMSG;
		if (tpg < 0)
			tpg = desc[DESC_HDR_LEN + 2] << 8 | desc[DESC_HDR_LEN + 3];
	}
	return tpg;
}
