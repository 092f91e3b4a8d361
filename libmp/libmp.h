/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmp: the mpio userspace library.
 *
 * Conventions, for every function here:
 *  - Errors are returned as a negative errno; >= 0 means success (or a count).
 *  - Objects are opaque and reference counted. *_unref() accepts NULL and
 *    returns NULL, so `p = mp_x_unref(p);` clears the caller's pointer.
 *  - The library keeps no global state and never logs on its own: messages go
 *    to the log function set on the context with mp_ctx_set_log_fn(), once.
 *  - A context is not thread safe: use it from one thread (the event loop), or
 *    lock around it.
 */
#ifndef LIBMP_H
#define LIBMP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Library context: holds the log function and shared settings. */
struct mp_ctx;

typedef void (*mp_log_fn)(void *userdata, int priority, const char *file, int line,
			  const char *fn, const char *format, va_list args);

/* Returns 0 and a new context with one reference in *ret, or -ENOMEM. */
int mp_ctx_new(struct mp_ctx **ret);
struct mp_ctx *mp_ctx_ref(struct mp_ctx *ctx);
struct mp_ctx *mp_ctx_unref(struct mp_ctx *ctx);

/* Route library messages (syslog LOG_* priorities) to fn. NULL silences them. */
void mp_ctx_set_log_fn(struct mp_ctx *ctx, mp_log_fn fn, void *userdata);
/* Messages above this LOG_* priority are dropped before formatting. Default LOG_INFO. */
void mp_ctx_set_log_priority(struct mp_ctx *ctx, int priority);
int mp_ctx_get_log_priority(const struct mp_ctx *ctx);

/* The library's version string, e.g. "0.1". */
const char *mp_version(void);

/*
 * ---- Transports ----
 *
 * The transport a SCSI path runs over. Supported-device lists claim whole
 * transports with bus-type entries ("bus:iscsi").
 */
enum mp_transport {
	MP_TRANSPORT_OTHER,
	MP_TRANSPORT_ISCSI,
	MP_TRANSPORT_FC,
	MP_TRANSPORT_SAS,
	_MP_TRANSPORT_MAX,
	_MP_TRANSPORT_INVALID = -EINVAL,
};

/* "other", "iscsi", "fc" or "sas"; NULL for a value out of range. */
const char *mp_transport_to_string(enum mp_transport transport);
/* The reverse of mp_transport_to_string(), case-insensitive; _MP_TRANSPORT_INVALID if unknown. */
enum mp_transport mp_transport_from_string(const char *s);

/*
 * ---- Parse errors ----
 *
 * Filled by parsers (and the file editors built on them) when they fail, so
 * the caller can print "file:line: msg". line is 1-based, or 0 when the error
 * is not about one line (the file cannot be read, a bad argument). Strings are
 * NUL-terminated and truncated to fit.
 */
struct mp_parse_error {
	char file[4096];
	unsigned line;
	char msg[256];
};

/*
 * ---- WWID from SCSI VPD pages (vpd.c) ----
 *
 * The WWID names a logical unit: every path to the same LU gives the same
 * WWID. It comes from VPD page 0x83 (Device Identification), using only
 * designators associated with the logical unit (association 0): target port
 * and target device designators are shared by all LUs behind a port, so they
 * are never used. Among those, the best type wins:
 *
 *   SCSI name string (type 8)  "8" + the string, e.g. "8iqn.2004-01.com.example:lun0"
 *                              ("naa.<hex>" and "eui.<hex>" names are written
 *                              as the NAA and EUI-64 forms below, lowercase)
 *   NAA (type 3)               "3" + lowercase hex, e.g. "36001405a1b2c3d4e5f60718293a4b5c6"
 *                              (NAA 6 > 5 > 2 > 3 when there are several)
 *   EUI-64 (type 2)            "2" + lowercase hex (16 > 12 > 8 bytes)
 *   T10 vendor ID (type 1)     "1" + the text, trimmed, each run of spaces as one "_"
 *
 * NAA, EUI-64 and T10 results are meant to equal udev's ID_SERIAL (scsi_id) for the
 * same designator.
 * Descriptors whose code set or length does not fit their type are skipped.
 *
 * All functions return the length of the string written to out (>= 0), or:
 *   -EINVAL   a NULL argument;
 *   -EBADMSG  the page is truncated or malformed: wrong page code, a page
 *             length beyond the buffer, a descriptor running past the page.
 *             Nothing outside buf[0..len) is ever read;
 *   -ENODATA  the page is well formed but holds no usable identifier;
 *   -ERANGE   outlen is too small for the result.
 * On failure out is left untouched.
 */

/* Large enough for every WWID decoded from page 0x83, with its NUL. */
#define MP_WWID_SIZE 260

/* Decode raw VPD page 0x83 bytes (with the 4-byte page header) into a WWID. */
int mp_wwid_from_vpd83(const uint8_t *buf, size_t len, char *out, size_t outlen);

/*
 * Decode raw VPD page 0x80 bytes into the unit serial number, with leading and
 * trailing spaces (and NUL padding) removed. -EBADMSG also for a serial number
 * holding non-printable characters.
 */
int mp_serial_from_vpd80(const uint8_t *buf, size_t len, char *out, size_t outlen);

/*
 * The WWID of a SCSI device from its sysfs directory (/sys/block/sdX/device,
 * or /sys/class/scsi_device/H:C:T:L/device): decode <dir>/vpd_pg83; if that
 * file is missing or empty, or holds no usable identifier, fall back to
 * <dir>/vpd_pg80 and build "S" + vendor (8 chars) + model (16 chars) + serial
 * from <dir>/vendor and <dir>/model, with runs of spaces as one "_" (the
 * scsi_id form for page 0x80). A malformed vpd_pg83 is an error (-EBADMSG),
 * not a reason to fall back: a WWID must not depend on which page happened to
 * read well.
 *
 * Returns as above, and -ENOENT when neither page is available, or another
 * negative errno from reading the files. The next fallback, udev's ID_SERIAL,
 * is the caller's job: the library does not talk to udev here.
 */
int mp_wwid_from_sysfs(const char *sysfs_dev_dir, char *out, size_t outlen);

/*
 * ---- Supported-device list (supported.c) ----
 *
 * /etc/mpio/supported-devices says which devices are multipathed; a device no
 * entry claims is left alone. Format, one entry per line:
 *
 *   # comment             '#' as the first non-blank character: the whole
 *                         line is a comment (there are no trailing comments:
 *                         '#' may be part of a product ID)
 *   IBM     2145          vendor ID padded with spaces to 8 characters, then
 *                         product ID; at most 24 characters in all. Leading
 *                         and trailing blanks (spaces, tabs, a CR) of the
 *                         line are ignored
 *   "DGC     "            the same inside double quotes, taken verbatim, so
 *                         that trailing spaces count; everything between the
 *                         first and the last '"' of the line is the entry
 *   bus:iscsi             claims every device on that transport: iscsi, fc
 *                         or sas, ignoring case (a quoted "bus:..." is a
 *                         vendor/product entry)
 *
 * Matching follows Windows' MPIOSupportedDeviceList: the device string is the
 * INQUIRY vendor padded to 8 plus the product padded to 16; an entry matches
 * when it equals the start of that string (an entry shorter than 24 matches as
 * a prefix), ignoring ASCII case. '_' is a literal character, not a wildcard.
 * So the line IBM     2145 claims vendor "IBM" with product "2145" or "2145-XYZ";
 * the line DGC also claims vendor "DGCX", while the line "DGC     " (quoted)
 * claims vendor "DGC" only.
 *
 * Entries must be printable ASCII; an entry over 24 characters, an unknown bus
 * type, a missing closing quote, an empty entry and a duplicate (compared
 * ignoring case) are errors reported with file:line.
 */
struct mp_supported;

/* Longest vendor/product entry: 8 + 16 characters. */
#define MP_SUPPORTED_ENTRY_MAX 24

/*
 * Parse the list at path. Returns 0 and a new list with one reference in *ret;
 * -EBADMSG for a syntax error, or the negative errno of reading the file
 * (-ENOENT if it does not exist: whether that means "claim nothing" is the
 * caller's choice). On failure *reterr, if not NULL, says where and why, and
 * *ret is left untouched. Release the list with mp_supported_unref().
 */
int mp_supported_parse_file(struct mp_ctx *ctx, const char *path, struct mp_supported **ret,
			    struct mp_parse_error *reterr);
/* The same from a NUL-terminated string; name (or "<string>") is used in errors. */
int mp_supported_parse_string(struct mp_ctx *ctx, const char *text, const char *name,
			      struct mp_supported **ret, struct mp_parse_error *reterr);
struct mp_supported *mp_supported_ref(struct mp_supported *list);
struct mp_supported *mp_supported_unref(struct mp_supported *list);

/* Number of entries (>= 0), or -EINVAL for NULL. */
int mp_supported_count(const struct mp_supported *list);

/*
 * Entry idx (0-based, in file order). Each out pointer may be NULL. *ret_text
 * is the entry without quotes ("IBM     2145", "DGC     ", or "bus:iscsi"),
 * owned by the list and valid while it is referenced. *ret_bus is the
 * transport of a bus-type entry, _MP_TRANSPORT_INVALID for a vendor/product
 * one. *ret_line is the 1-based line it came from. Returns 0, or -ERANGE for an
 * index out of range, -EINVAL for NULL list.
 */
int mp_supported_get_entry(const struct mp_supported *list, unsigned idx, const char **ret_text,
			   enum mp_transport *ret_bus, unsigned *ret_line);

/*
 * Does the list claim a device? vendor and product are the INQUIRY strings,
 * padded or not (trailing white space, e.g. sysfs' newline, is ignored; after
 * that vendor may have up to 8 and product up to 16 characters). Returns the
 * index of the first entry that claims the device (>= 0), -ENOENT if none
 * does, or -EINVAL for bad arguments.
 */
int mp_supported_match(const struct mp_supported *list, const char *vendor, const char *product,
		       enum mp_transport transport);

/*
 * Edit the list file in place, atomically: the new content goes to a
 * temporary file in the same directory, is fsync()ed and renamed over path, so
 * readers see the old file or the new one, never a mix. Comments, blank lines
 * and other entries are kept byte for byte; the file mode is kept.
 *
 * entry is given unquoted, as mp_supported_get_entry() returns it:
 * "IBM     2145", "DGC     " (trailing spaces count), or "bus:iscsi" for a
 * bus type.
 * mp_supported_file_add() appends it to the file (creating the file if
 * missing), quoted when it needs to be; mp_supported_file_remove() deletes the
 * line holding it. Entries compare ignoring case.
 *
 * Returns 0, or -EINVAL for an invalid entry, -EEXIST if it is already there
 * (add), -ENOENT if it is not (remove), -EBADMSG if the file does not parse
 * (it is not touched), or the negative errno of the I/O. *reterr, if not NULL,
 * is filled on failure. Two editors running at once may lose one's change:
 * serialise them (a lock is the caller's job for now).
 */
int mp_supported_file_add(const char *path, const char *entry, struct mp_parse_error *reterr);
int mp_supported_file_remove(const char *path, const char *entry, struct mp_parse_error *reterr);

#ifdef __cplusplus
}
#endif

#endif
