/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmp: the mpio userspace library.
 *
 * Private to mpio for now: linked statically into mpiod, multipathctl and
 * the tests, not installed (its API may still change).
 *
 * Conventions, for every function here:
 *  - Errors are returned as a negative errno; >= 0 means success (or a count).
 *  - Four kinds of type:
 *      objects      opaque and reference counted (mp_ctx, mp_supported,
 *                   mp_config, mp_path, mp_checker_pool). *_unref() accepts
 *                   NULL and returns NULL, so `p = mp_x_unref(p);` clears the
 *                   caller's pointer; mp_x_unrefp() is its form for
 *                   __attribute__((cleanup)).
 *      results      plain structures the library allocates, released with
 *                   their *_free() (mp_map_status, mp_dm_map arrays).
 *      caller's     plain structures in the caller's memory: filled in by
 *                   the caller (mp_path_info) or by the library
 *                   (mp_settings, mp_parse_error).
 *      borrowed     callback data, valid during the callback only
 *                   (mp_check_result).
 *  - A constructor puts one reference (or the result) in *ret on success and
 *    leaves *ret untouched on failure.
 *  - The library keeps no global state and never logs on its own: messages go
 *    to the log function set on the context with mp_ctx_set_log_fn(), once.
 *    A function takes a context when it may have something to log (device
 *    access, libdevmapper); pure codecs take none and report through their
 *    return value and struct mp_parse_error.
 *  - A context is not thread safe: use it from one thread (the event loop), or
 *    lock around it. Each group below states its own thread rule.
 *
 * Groups: 1. codecs, 2. the device model, 3. runtime services.
 */
#ifndef LIBMP_H
#define LIBMP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * mp_x_unrefp(&p): unref p if set, for __attribute__((cleanup)):
 *   __attribute__((cleanup(mp_path_unrefp))) struct mp_path *p = NULL;
 */
#define MP_DEFINE_UNREFP(type, unref)			\
	static inline void unref##p(type **p)		\
	{						\
		if (*p)					\
			(void)unref(*p);		\
	}

/* Library context: holds the log function and shared settings. */
struct mp_ctx;

typedef void (*mp_log_fn)(void *userdata, int priority, const char *file, int line,
			  const char *fn, const char *format, va_list args);

/* Returns 0 and a new context with one reference in *ret, or -ENOMEM. */
int mp_ctx_new(struct mp_ctx **ret);
struct mp_ctx *mp_ctx_ref(struct mp_ctx *ctx);
struct mp_ctx *mp_ctx_unref(struct mp_ctx *ctx);
MP_DEFINE_UNREFP(struct mp_ctx, mp_ctx_unref)

/* Route library messages (syslog LOG_* priorities) to fn. NULL silences them. */
void mp_ctx_set_log_fn(struct mp_ctx *ctx, mp_log_fn fn, void *userdata);
/* Messages above this LOG_* priority are dropped before formatting. Default LOG_INFO. */
void mp_ctx_set_log_priority(struct mp_ctx *ctx, int priority);
int mp_ctx_get_log_priority(const struct mp_ctx *ctx);

/* The library's version string, e.g. "0.1". */
const char *mp_version(void);

/*
 * ======== 1. Codecs ========
 *
 * Bytes and text in, values out: VPD pages, the supported-device list,
 * the configuration, tables, the bindings file. No device is touched; the
 * *_file() variants read or rewrite one file. Safe from any thread on
 * distinct objects.
 */

/*
 * ---- SCSI vocabulary: transports, ALUA states ----
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

/* A path's ALUA access state (sysfs access_state). */
enum mp_alua_state {
	MP_ALUA_OPTIMIZED,	/* "active/optimized" */
	MP_ALUA_NONOPTIMIZED,	/* "active/non-optimized" */
	MP_ALUA_STANDBY,	/* "standby" */
	MP_ALUA_UNAVAILABLE,	/* "unavailable" */
	MP_ALUA_OFFLINE,	/* "offline" */
	MP_ALUA_TRANSITIONING,	/* "transitioning" */
	MP_ALUA_UNKNOWN,	/* not reported (the device has no ALUA) */
	_MP_ALUA_STATE_MAX,
	_MP_ALUA_STATE_INVALID = -EINVAL,
};
/* The sysfs access_state words above ("unknown" for MP_ALUA_UNKNOWN). */
const char *mp_alua_state_to_string(enum mp_alua_state s);
enum mp_alua_state mp_alua_state_from_string(const char *s);

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
 * WWID. It is the one udev's scsi_id gives (ID_SERIAL, multipath-tools'
 * default WWID of a SCSI disk), from the logical unit's designators in VPD
 * page 0x83 (association 0): NAA 6, then NAA 5, then any other NAA, then
 * EUI-64, T10 vendor ID and vendor specific, each written as the designator
 * type's digit and then lowercase hex (binary) or the text (ASCII), e.g.
 * "36001405a1b2c3d4e5f60718293a4b5c6"; then page 0x80's "S" + vendor +
 * model + serial number; then, as multipath-tools' own decoder does, a SCSI
 * name string "naa.X", "eui.X" or "iqn.X" as "3X", "2X" or "8X". The full
 * table, the text rules and the few places where mpio differs on purpose
 * are at the top of vpd.c.
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

/*
 * Decode raw VPD page 0x83 bytes (with the 4-byte page header) into a WWID.
 * Without the INQUIRY vendor and model, vendor specific designators are
 * skipped, and a SCSI name string is taken where mp_wwid_from_sysfs() would
 * prefer page 0x80.
 */
int mp_wwid_from_vpd83(const uint8_t *buf, size_t len, char *out, size_t outlen);

/*
 * Decode raw VPD page 0x80 bytes into the unit serial number, with leading and
 * trailing spaces (and NUL padding) removed. -EBADMSG also for a serial number
 * holding non-printable characters.
 */
int mp_serial_from_vpd80(const uint8_t *buf, size_t len, char *out, size_t outlen);

/*
 * The WWID of a SCSI device from its sysfs directory (/sys/block/sdX/device,
 * or /sys/class/scsi_device/H:C:T:L/device): every step above, from
 * <dir>/vpd_pg83, <dir>/vpd_pg80, <dir>/vendor and <dir>/model. A missing or
 * empty vpd_pg83 has no designator. A malformed vpd_pg83 is an error
 * (-EBADMSG), not a reason to fall back: a WWID must not depend on which page
 * happened to read well.
 *
 * Returns as above, and -ENOENT when neither page is available, or another
 * negative errno from reading the files. The next fallback, udev's ID_SERIAL,
 * is the caller's job: the library does not talk to udev here.
 */
int mp_wwid_from_sysfs(const char *sysfs_dev_dir, char *out, size_t outlen);

/*
 * The target port group of the port a raw VPD page 0x83 was read through
 * (designator type 5, association "target port"). Returns it (0..65535),
 * -ENODATA if the page has none, -EBADMSG for a malformed page (as
 * mp_wwid_from_vpd83(), or a group designator not 4 bytes long), -EINVAL
 * for NULL. Nothing outside buf[0..len) is read.
 */
int mp_tpg_from_vpd83(const uint8_t *buf, size_t len);

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
MP_DEFINE_UNREFP(struct mp_supported, mp_supported_unref)

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
 * entry is given as mp_supported_get_entry() returns it: "IBM     2145",
 * "DGC     " (trailing spaces count), or "bus:iscsi" for a bus type; or in
 * double quotes, as in the file, which makes it a vendor/product entry
 * whatever it begins with: "\"bus:iscsi\"" is the vendor "bus:iscs" with
 * the product "i", never the bus type iSCSI. An editor that has a vendor and
 * a product passes them quoted, so that no vendor ID reads as a bus type.
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
/*
 * mp_supported_file_add() of entries[0..n) in one write: all of them are
 * appended in that order, or none (-EEXIST if one is listed already,
 * -EINVAL for an invalid one or one given twice). n == 0 writes nothing.
 * Since: LIBMP_1_CONFIG_WRITE.
 */
int mp_supported_file_add_many(const char *path, const char *const *entries, size_t n,
			       struct mp_parse_error *reterr);

/*
 * ---- Policies, config, built-in device table (config.c, devtable.c) ----
 *
 * The enums below name the values of mpio.conf settings (see conf/mpio.conf).
 * Each has a bounds-checked name table: *_to_string() returns the config
 * word (NULL when out of range), *_from_string() the reverse, ignoring case,
 * or the _INVALID value.
 */

/* How the paths of a map are split into priority groups (PathGroupingPolicy=). */
enum mp_pg_policy {
	MP_PG_FAILOVER,		/* "failover": one path per group */
	MP_PG_MULTIBUS,		/* "multibus": all paths in one group */
	MP_PG_GROUP_BY_PRIO,	/* "group_by_prio": by ALUA state */
	MP_PG_GROUP_BY_SERIAL,	/* "group_by_serial": by controller serial number */
	MP_PG_GROUP_BY_TPG,	/* "group_by_tpg": by ALUA target port group */
	_MP_PG_POLICY_MAX,
	_MP_PG_POLICY_INVALID = -EINVAL,
};
const char *mp_pg_policy_to_string(enum mp_pg_policy p);
enum mp_pg_policy mp_pg_policy_from_string(const char *s);

/* The kernel path selector of every group (PathSelector=). */
enum mp_selector {
	MP_SELECTOR_ROUND_ROBIN,		/* "round-robin" */
	MP_SELECTOR_QUEUE_LENGTH,		/* "queue-length" */
	MP_SELECTOR_SERVICE_TIME,		/* "service-time" */
	MP_SELECTOR_LEAST_BLOCKS,		/* "least-blocks" */
	MP_SELECTOR_WEIGHTED_PATH,		/* "weighted-path" */
	MP_SELECTOR_HISTORICAL_SERVICE_TIME,	/* "historical-service-time" */
	MP_SELECTOR_IO_AFFINITY,		/* "io-affinity" */
	_MP_SELECTOR_MAX,
	_MP_SELECTOR_INVALID = -EINVAL,
};
const char *mp_selector_to_string(enum mp_selector s);
enum mp_selector mp_selector_from_string(const char *s);

/* The SCSI device handler the kernel attaches to each path (HardwareHandler=). */
enum mp_hw_handler {
	MP_HW_HANDLER_NONE,	/* "none" */
	MP_HW_HANDLER_ALUA,	/* "alua" */
	MP_HW_HANDLER_EMC,	/* "emc" */
	MP_HW_HANDLER_RDAC,	/* "rdac" */
	MP_HW_HANDLER_HP_SW,	/* "hp_sw" */
	_MP_HW_HANDLER_MAX,
	_MP_HW_HANDLER_INVALID = -EINVAL,
};
const char *mp_hw_handler_to_string(enum mp_hw_handler h);
enum mp_hw_handler mp_hw_handler_from_string(const char *s);

/* The path checker that tests each path (PathChecker=). */
enum mp_checker_type {
	MP_CHECKER_TUR,		/* "tur": SCSI TEST UNIT READY */
	MP_CHECKER_DIRECTIO,	/* "directio": O_DIRECT read of the first block */
	MP_CHECKER_NONE,	/* "none": paths are always up */
	_MP_CHECKER_TYPE_MAX,
	_MP_CHECKER_TYPE_INVALID = -EINVAL,
};
const char *mp_checker_type_to_string(enum mp_checker_type c);
enum mp_checker_type mp_checker_type_from_string(const char *s);

/* When to switch back to a better group that became usable again (Failback=). */
enum mp_failback {
	MP_FAILBACK_IMMEDIATE,	/* "immediate" */
	MP_FAILBACK_MANUAL,	/* "manual": never on its own */
	MP_FAILBACK_FOLLOWOVER,	/* "followover": only when the paths of the current group fail */
	MP_FAILBACK_DEFERRED,	/* "<seconds>": that long after the group came back */
	_MP_FAILBACK_MAX,
	_MP_FAILBACK_INVALID = -EINVAL,
};

/* What happens to I/O when no path is usable (NoPathRetry=). */
enum mp_no_path_retry {
	MP_NO_PATH_FAIL,	/* "fail": fail I/O at once */
	MP_NO_PATH_QUEUE,	/* "queue": queue I/O until a path comes back */
	MP_NO_PATH_TIMEOUT,	/* "<seconds>": queue, for at most that long */
	_MP_NO_PATH_RETRY_MAX,
	_MP_NO_PATH_RETRY_INVALID = -EINVAL,
};

/* One value per config key; the names are the keys ("PathGroupingPolicy"). */
enum mp_setting {
	MP_SETTING_PG_POLICY,
	MP_SETTING_SELECTOR,
	MP_SETTING_HW_HANDLER,
	MP_SETTING_FAILBACK,
	MP_SETTING_NO_PATH_RETRY,
	MP_SETTING_CHECKER,
	MP_SETTING_CHECK_INTERVAL,
	MP_SETTING_USER_FRIENDLY_NAMES,
	MP_SETTING_REMOVE_TIMEOUT,
	MP_SETTING_PG_INIT_RETRIES,
	MP_SETTING_PG_INIT_DELAY_MSEC,
	MP_SETTING_ALIAS,
	MP_SETTING_WRITE_QUIESCE_MSEC,
	MP_SETTING_FAST_IO_FAIL_TMO,
	MP_SETTING_DEV_LOSS_TMO,
	MP_SETTING_ISCSI_RECOVERY_TMO,
	MP_SETTING_EH_DEADLINE,
	MP_SETTING_MAX_SECTORS_KB,
	_MP_SETTING_MAX,
	_MP_SETTING_INVALID = -EINVAL,
};
/* The config key of a setting, e.g. "NoPathRetry"; NULL when out of range. */
const char *mp_setting_to_string(enum mp_setting s);
enum mp_setting mp_setting_from_string(const char *s);

/*
 * The settings of one map, resolved from the config (mp_config_resolve()).
 * origin[MP_SETTING_x] says where each value came from, one of:
 *   "default"                                      the compiled-in default
 *   "built-in device table: NETAPP LUN"            an entry of the built-in table
 *   "built-in device table: generic ALUA"          the entry for unknown ALUA devices
 *   "/etc/mpio/mpio.conf.d/10-site.conf:12 [Map 3600a0b8...]"
 *                                                  the file and line of the assignment
 *                                                  and its section ([Defaults],
 *                                                  [Device VENDOR PRODUCT], [Map WWID])
 * Strings (alias, origins) are owned by the config and valid while it is referenced.
 */
struct mp_settings {
	enum mp_pg_policy pg_policy;
	enum mp_selector selector;
	enum mp_hw_handler hw_handler;
	enum mp_failback failback;
	unsigned failback_secs;		/* for MP_FAILBACK_DEFERRED, else 0 */
	enum mp_no_path_retry no_path_retry;
	unsigned no_path_timeout;	/* for MP_NO_PATH_TIMEOUT (1..86400), else 0 */
	enum mp_checker_type checker;
	unsigned check_interval;	/* seconds between path checks, 1..3600 */
	bool user_friendly_names;	/* name maps mpathN (bindings file) instead of by WWID */
	unsigned remove_timeout;	/* seconds a map without paths is kept, 0..604800 */
	unsigned pg_init_retries;	/* 0: kernel default (no retry), else 1..50 */
	int pg_init_delay_msecs;	/* -1: kernel default, else 0..60000 */
	int write_quiesce_msecs;	/* -1: kernel default, else 0..60000 (0: off) */
	/* Transport and I/O size settings of the paths (transport.c): MP_TMO_UNSET
	 * leaves the kernel's value alone. */
	int fast_io_fail_tmo;		/* FC remote port: MP_TMO_OFF or seconds 0..600 */
	int dev_loss_tmo;		/* FC remote port: seconds 1..MP_DEV_LOSS_INFINITY */
	int iscsi_recovery_tmo;		/* iSCSI session: seconds 1..86400 */
	int eh_deadline;		/* SCSI host: MP_TMO_OFF or seconds 0..86400 */
	int max_sectors_kb;		/* the path's block queue: KiB 4..1048576 */
	const char *alias;		/* [Map] Alias=, NULL if none */
	const char *origin[_MP_SETTING_MAX];
};

/* The transport settings' values besides numbers: "unset", "off", "infinity". */
#define MP_TMO_UNSET (-1)
#define MP_TMO_OFF (-2)
#define MP_DEV_LOSS_INFINITY 2147483647 /* DevLossTimeout=infinity: 68 years */

/* The longest text of a setting's value but Alias= (a number, a word). */
#define MP_SETTING_VALUE_MAX 24
/*
 * The value of setting id in s as it is written in mpio.conf ("immediate",
 * "30", "default", "yes"): a static word, the alias, or the number written
 * in buf (len >= MP_SETTING_VALUE_MAX). NULL for an unset Alias=, an id
 * out of range, or NULL arguments.
 */
const char *mp_settings_value(const struct mp_settings *s, enum mp_setting id, char *buf,
			      size_t len);

/*
 * Configuration: <dir>/mpio.conf, then the *.conf files of <dir>/mpio.conf.d
 * in strcmp() order of their names (later files override earlier ones), INI
 * style as systemd's: "[Section]" lines, "Key=Value" lines (blanks around
 * both are trimmed), '#' or ';' comment lines and blank lines. Keys and
 * section names are case-sensitive, enum values are not. conf/mpio.conf
 * documents every key. Sections:
 *   [Defaults]   settings for every map (multiple sections merge, later wins)
 *   [Device]     Vendor= (required, <= 8 chars) and Product= (optional,
 *                <= 16 chars) plus settings; matches a device like a
 *                supported-devices entry (mp_supported_match()): the vendor
 *                exactly, the product as a prefix, ignoring case. Every
 *                matching section applies, later ones win key by key.
 *   [Map]        WWID= (required, unique) and Alias= (optional, unique) plus
 *                settings for the map of that WWID.
 * Precedence, highest first: [Map], [Device], the built-in device table,
 * [Defaults], compiled-in defaults. (So [Defaults] does not override the
 * built-in entry of a known array: write a [Device] section for that.)
 *
 * Loading is all or nothing: an unknown section or key, a bad value, an
 * assignment outside a section, a [Device] without Vendor=, a [Map] without
 * WWID=, a duplicate WWID or alias is an error naming file:line.
 */
struct mp_config;

/* Used by mp_config_load() when dir is NULL. */
#define MP_CONFIG_DIR "/etc/mpio"
/* The names, in a config directory, of the main config file, the supported-device list and the bindings file. */
#define MP_CONFIG_MAIN_NAME "mpio.conf"
#define MP_SUPPORTED_DEVICES_NAME "supported-devices"
#define MP_BINDINGS_NAME "bindings"

/*
 * Load the configuration of dir (NULL: MP_CONFIG_DIR). Missing files or a
 * missing mpio.conf.d are fine: what is there is used, over the built-in
 * defaults. Returns 0 and a new config with one reference in *ret, or
 * -EBADMSG (a syntax or value error), -ENOMEM, or the negative errno of
 * reading a file; then *reterr, if not NULL, says where and why, and *ret is
 * untouched. Release the config with mp_config_unref().
 */
int mp_config_load(struct mp_ctx *ctx, const char *dir, struct mp_config **ret,
		   struct mp_parse_error *reterr);
/*
 * Whether mp_config_load() found <dir>/mpio.conf and read it (false when it
 * was missing, for mp_config_parse_string(), and for NULL).
 */
bool mp_config_read_main_file(const struct mp_config *cfg);
/* The same from one NUL-terminated string; name (or "<string>") is used in errors and origins. */
int mp_config_parse_string(struct mp_ctx *ctx, const char *text, const char *name,
			   struct mp_config **ret, struct mp_parse_error *reterr);
struct mp_config *mp_config_ref(struct mp_config *cfg);
struct mp_config *mp_config_unref(struct mp_config *cfg);
MP_DEFINE_UNREFP(struct mp_config, mp_config_unref)

/* Flags of mp_config_resolve(). */
enum {
	/* The device reports ALUA support (INQUIRY TPGS != 0): when no built-in
	 * entry matches it, the generic ALUA entry applies. */
	MP_RESOLVE_TPGS = 1 << 0,
};

/*
 * The settings of the map with this WWID on a device with this INQUIRY
 * vendor and product (padded or not, as for mp_supported_match()). wwid may
 * be NULL (no [Map] section applies); it is compared with WWID= exactly.
 * The first matching built-in entry applies, then every matching [Device]
 * section in file order. Does not allocate: safe to call from any thread
 * while cfg is referenced. Returns 0 and fills *ret, or -EINVAL
 * for bad arguments (a vendor over 8 or product over 16 characters).
 */
int mp_config_resolve(const struct mp_config *cfg, const char *vendor, const char *product,
		      const char *wwid, unsigned flags, struct mp_settings *ret);

/* The WWID whose [Map] section has this Alias=, or NULL. Owned by cfg. */
const char *mp_config_wwid_by_alias(const struct mp_config *cfg, const char *alias);

/*
 * mp_config_load() as if the drop-in dropin_name of <dir>/mpio.conf.d held
 * text: it is read in its place in the order of names, instead of a file of
 * that name if there is one. For checking a drop-in in the configuration it
 * joins, before writing it; errors name it as <dir>/mpio.conf.d/<dropin_name>.
 * -EINVAL also for a name mp_config_dropin_name_valid() refuses. Since:
 * LIBMP_1_CONFIG_WRITE.
 */
int mp_config_load_overlay(struct mp_ctx *ctx, const char *dir, const char *dropin_name,
			   const char *text, struct mp_config **ret, struct mp_parse_error *reterr);
/*
 * Is name one mp_config_load() reads from mpio.conf.d: ending in ".conf",
 * not starting with '.', without '/'? Since: LIBMP_1_CONFIG_WRITE.
 */
bool mp_config_dropin_name_valid(const char *name);

/*
 * ---- Writing mpio.conf (config.c) ----
 *
 * For tools that write a configuration (multipathctl config import): a
 * section is given as values, and the section names, keys and value texts
 * written are the parser's own, so what is written reads back the same.
 * Since: LIBMP_1_CONFIG_WRITE.
 */
enum mp_config_section_kind {
	MP_CONFIG_DEFAULTS,	/* [Defaults] */
	MP_CONFIG_DEVICE,	/* [Device]: Vendor= (required), Product= */
	MP_CONFIG_MAP,		/* [Map]: WWID= (required), Alias= (v.alias) */
	_MP_CONFIG_SECTION_MAX,
	_MP_CONFIG_SECTION_INVALID = -EINVAL,
};

/* A section to write. Strings are the caller's. */
struct mp_config_section {
	enum mp_config_section_kind kind;
	const char *vendor, *product;	/* [Device]; NULL: not written */
	const char *wwid;		/* [Map] */
	uint32_t mask;			/* the settings written: 1u << MP_SETTING_x each */
	struct mp_settings v;		/* their values; v.origin is not read */
	const char *comment;		/* comment lines above the header, '\n' between them; or NULL */
	const char *setting_comment[_MP_SETTING_MAX]; /* comment lines above a setting, or NULL */
};

/*
 * Would the parser take s, each of its keys, with these values, in this
 * section? 0, or -EINVAL and the parser's message (without file and line:
 * "invalid NoPathRetry= value \"90000\": expected queue, fail or seconds
 * (1..86400)", "Alias= is only valid in [Map], not in [Device]") in errbuf
 * (len bytes, may be 0). -ENOMEM.
 */
int mp_config_section_check(const struct mp_config_section *s, char *errbuf, size_t len);

/*
 * The text of a configuration file: the header as comment lines (none if
 * NULL), then each section after a blank line: its comment, "[Section]",
 * Vendor=, Product=, WWID=, then each setting of its mask in the order of
 * enum mp_setting, after its comment. Returns 0 and a new string in *ret
 * (free() it), -EINVAL for a section mp_config_section_check() refuses or a
 * comment with a control character (other than '\n' and '\t'), -ENOMEM.
 */
int mp_config_format(const char *header, const struct mp_config_section *sections, size_t n,
		     char **ret);

/*
 * ---- Table builder (table.c) ----
 *
 * Builds the parameters of an mpio table line (what follows
 * "<start> <len> mpio ") from the paths of one map and its settings.
 */

/* What the table builder needs to know of one path. A plain struct: fill it in. */
struct mp_path_info {
	unsigned major, minor;
	char dev[32];			/* kernel name ("sdc"); informational */
	enum mp_alua_state alua_state;
	int tpg;			/* ALUA target port group, -1 if unknown */
	char serial[128];		/* serial number of the controller/LU behind the path */
	bool failed;			/* the checker or kernel says the path is down */
	unsigned weight;		/* weighted-path: 0..1000 (0: standby path) */
	char cpumask[64];		/* io-affinity: hex CPU mask, e.g. "f"; required then */
};

/*
 * Build the table parameters for paths[0..n) with settings s:
 *   <#features> [queue_if_no_path [no_path_timeout N]] [pg_init_retries N]
 *     [pg_init_delay_msecs N] [write_quiesce_ms N] <#hw_handler_args> [handler]
 *     <#groups> 1
 *   then per group: <selector> 0 <#paths> 1, then per path "<major>:<minor> <arg>"
 *   where arg is the repeat count 1, the weight (weighted-path) or the
 *   cpumask (io-affinity).
 * Groups follow s->pg_policy and are ordered best first: groups with a usable
 * path before those whose paths all failed, then by the best ALUA state of
 * their usable paths (optimized > non-optimized > standby > unknown >
 * transitioning, unavailable and offline), then by lowest dev_t. Paths in a
 * group are in dev_t order. The same input always gives the same string.
 * n may be 0 (a map that lost all its paths): "<features> <hw> 0 0".
 * A failed path is still listed (it may come back): the table cannot mark it
 * failed, so send "fail_path" for it after loading the table.
 *
 * Returns 0 and a new string in *ret (free() it), or -EINVAL (bad settings,
 * two paths with one dev_t, an io-affinity path without cpumask, more than
 * 1024 paths), -ERANGE (a weight over 1000), -ENOMEM.
 */
int mp_table_build(const struct mp_path_info *paths, size_t n, const struct mp_settings *s,
		   char **ret);

/*
 * Does the table the kernel reports (have, as "dmsetup table" prints its
 * parameters) run what want (from mp_table_build()) asks for? Only what
 * decides how the map behaves counts:
 *   - features, in any order; "queue_mode", "write_quiesce_ms" and
 *     "retain_attached_hw_handler" are the kernel's unless want names them
 *     (it always writes the first two, and always retains);
 *   - the hardware handler: when want names none, whatever the kernel
 *     attached to the devices itself (e.g. alua for an implicit-ALUA LUN)
 *     counts as equal; a handler want names must be the one in have, with
 *     its arguments when want gives any;
 *   - the groups in order (the order is their priority), each with its
 *     selector, its selector arguments when want gives any (else the
 *     kernel's own defaults), and its set of paths, in any order;
 *   - per-path arguments that are settings: the weight (weighted-path) and
 *     the CPU mask (io-affinity, compared as a number: "1" equals "01").
 *     Other selectors' per-path arguments are the kernel's own.
 * The initial group is not compared: the kernel writes the current one.
 * Returns 0 if equivalent, 1 if they differ (then *ret_what, if not NULL,
 * says what differs first, e.g. "the hardware handler differs": a static
 * string), -EINVAL if either does not parse, -ENOMEM. Since: LIBMP_1_SYNC.
 */
int mp_table_compare(const char *want, const char *have, const char **ret_what);

/*
 * ---- Bindings: user-friendly names (bindings.c) ----
 *
 * The bindings file (/etc/mpio/bindings) holds one "<name> <wwid>" pair per
 * line, '#' comment lines and blank lines. Names are "mpath" + a, b, ... z,
 * aa, ab, ... (bijective base 26); other names may be written by hand and are
 * kept. A name and a WWID each appear at most once: a file breaking that is
 * rejected (-EBADMSG, with file:line), never repaired.
 */
#define MP_BINDINGS_FILE MP_CONFIG_DIR "/" MP_BINDINGS_NAME

/*
 * The name bound to wwid; if none, bind the lowest free "mpath" name and
 * append the line to the file. Runs under an exclusive flock() on the
 * sibling lock file "<dir>/.<file>.lock" and re-reads the file under it;
 * the new file is written to a temporary file in the same directory,
 * fsync()ed, renamed over the old one, and the directory is fsync()ed.
 * So concurrent callers (processes or threads) agree, and a name, once
 * returned, never moves to another WWID.
 *
 * Returns 0 (existing binding) or 1 (new binding) and the name in *ret
 * (free() it); -EINVAL for a bad argument (wwid empty, with blanks or
 * non-printable characters), -EBADMSG for a corrupt file, or the negative
 * errno of the I/O. *reterr, if not NULL, is filled on failure.
 */
int mp_bindings_get_or_assign(const char *path, const char *wwid, char **ret,
			      struct mp_parse_error *reterr);
/*
 * The same for wwids[0..n) at once: one lock, one read, and for the WWIDs
 * without a name one write (one fsync pair), binding them the lowest free
 * names in array order, so the names are those n calls of
 * mp_bindings_get_or_assign() in that order would give. A WWID given twice
 * gets one name. For a caller naming many maps at once (a cold start).
 *
 * Returns the number of new bindings (>= 0) and the names in
 * ret_names[0..n) (free() each); on failure no name is returned and the file
 * is unchanged. Errors as for mp_bindings_get_or_assign(); one bad WWID
 * fails the call (-EINVAL). Since: LIBMP_1_BINDINGS_MANY.
 */
int mp_bindings_get_or_assign_many(const char *path, const char *const *wwids, size_t n,
				   char **ret_names, struct mp_parse_error *reterr);
/* Look up without assigning or locking. Returns 0 and the name, or -ENOENT. */
int mp_bindings_lookup(const char *path, const char *wwid, char **ret,
		       struct mp_parse_error *reterr);
/*
 * Read the bindings file at path as mpiod would, without locking: the
 * number of bindings (>= 0), or -EBADMSG (with file:line in *reterr) for a
 * file mpiod would refuse, or the negative errno of reading it (-ENOENT).
 * For checking a file before installing it (one from multipath-tools, whose
 * format is the same). Since: LIBMP_1_CONFIG_WRITE.
 */
int mp_bindings_count(const char *path, struct mp_parse_error *reterr);

/*
 * ======== 2. The device model ========
 *
 * A SCSI disk as udev and sysfs describe it (struct mp_path), read once
 * and immutable after: share it between threads freely.
 */

/*
 * ---- Paths: the SCSI device model (path.c) ----
 *
 * One struct mp_path per SCSI disk (sdX), read from sysfs when it is built
 * and immutable afterwards: to see a change (a uevent, a new ALUA state),
 * build a new one. So a path can be shared between threads once built.
 * Strings returned by the getters are owned by the path and valid while it
 * is referenced; a getter returns NULL (or the documented "unknown" value)
 * for what the device does not report.
 */
struct mp_path;
struct udev_device;

/* SCSI device state, sysfs device/state. */
enum mp_scsi_state {
	MP_SCSI_CREATED,		/* "created" */
	MP_SCSI_RUNNING,		/* "running": the only state that does I/O */
	MP_SCSI_CANCEL,			/* "cancel" */
	MP_SCSI_DELETED,		/* "deleted" */
	MP_SCSI_QUIESCE,		/* "quiesce" */
	MP_SCSI_OFFLINE,		/* "offline" */
	MP_SCSI_TRANSPORT_OFFLINE,	/* "transport-offline" */
	MP_SCSI_BLOCKED,		/* "blocked": held by the transport (e.g. iSCSI recovery) */
	MP_SCSI_CREATED_BLOCKED,	/* "created-blocked" */
	MP_SCSI_UNKNOWN,		/* "unknown": missing or not one of the above */
	_MP_SCSI_STATE_MAX,
	_MP_SCSI_STATE_INVALID = -EINVAL,
};
const char *mp_scsi_state_to_string(enum mp_scsi_state state);
enum mp_scsi_state mp_scsi_state_from_string(const char *s);

/*
 * Build the path of block device name ("sdc") from the sysfs tree at
 * sysfs_root (NULL: "/sys"): <sysfs_root>/class/block/<name> is resolved to
 * the device's real directory, and everything else is found from there (the
 * layout is described at the top of path.c). Returns 0 and a new path with
 * one reference in *ret, or:
 *   -EINVAL   bad arguments (a name with '/', "." or "..");
 *   -ENOENT   no such block device;
 *   -ENOTBLK  a partition;
 *   -ENODEV   not a SCSI disk (its device is not an H:C:T:L directory);
 *   -EBADMSG  a malformed dev or size attribute;
 *   another negative errno of reading sysfs.
 * A path without WWID is still built: see mp_path_get_wwid_error().
 * The devnode is "/dev/<name>". Release the path with mp_path_unref().
 */
int mp_path_new_from_sysfs(struct mp_ctx *ctx, const char *sysfs_root, const char *name,
			   struct mp_path **ret);
/*
 * The same from a udev device of subsystem "block" (-ENODEV otherwise,
 * -ENOTBLK for a partition), with udev's devnode, and udev's ID_SERIAL as
 * the WWID when sysfs has neither VPD page. Reads the udev device on the
 * caller's thread only, and keeps no reference to it.
 */
int mp_path_new_from_udev(struct mp_ctx *ctx, struct udev_device *dev, struct mp_path **ret);
struct mp_path *mp_path_ref(struct mp_path *path);
struct mp_path *mp_path_unref(struct mp_path *path);
MP_DEFINE_UNREFP(struct mp_path, mp_path_unref)

const char *mp_path_get_name(const struct mp_path *path);	/* "sdc" */
const char *mp_path_get_devnode(const struct mp_path *path);	/* "/dev/sdc" */
const char *mp_path_get_syspath(const struct mp_path *path);	/* the real sysfs directory */
dev_t mp_path_get_devt(const struct mp_path *path);
uint64_t mp_path_get_size(const struct mp_path *path);	/* bytes */
/* INQUIRY vendor, product and revision, trimmed of blanks; revision may be NULL. */
const char *mp_path_get_vendor(const struct mp_path *path);
const char *mp_path_get_product(const struct mp_path *path);
const char *mp_path_get_revision(const struct mp_path *path);
/* H:C:T:L; each out pointer may be NULL. Returns 0, or -EINVAL for a NULL path. */
int mp_path_get_scsi_address(const struct mp_path *path, unsigned *ret_host,
			     unsigned *ret_channel, unsigned *ret_target, uint64_t *ret_lun);
/* The WWID (see mp_wwid_from_sysfs()), or NULL; then mp_path_get_wwid_error() says why. */
const char *mp_path_get_wwid(const struct mp_path *path);
int mp_path_get_wwid_error(const struct mp_path *path);
enum mp_transport mp_path_get_transport(const struct mp_path *path);
/* iSCSI: "session3", the target IQN, the portal "10.0.0.1:3260" or "[fe80::1]:3260". */
const char *mp_path_get_iscsi_session(const struct mp_path *path);
const char *mp_path_get_iscsi_target(const struct mp_path *path);
const char *mp_path_get_iscsi_portal(const struct mp_path *path);
/* FC: the WWPNs of the local HBA port and of the remote port, as sysfs writes them ("0x5000..."). */
const char *mp_path_get_fc_host_wwpn(const struct mp_path *path);
const char *mp_path_get_fc_rport_wwpn(const struct mp_path *path);
/* SAS: the end device's SAS address ("0x5000..."). */
const char *mp_path_get_sas_address(const struct mp_path *path);
/* The attached SCSI device handler ("alua", "rdac", ...), NULL if none. */
const char *mp_path_get_dh_name(const struct mp_path *path);
/* The ALUA target port group (0..65535) from VPD page 0x83, or -ENODATA. */
int mp_path_get_tpg(const struct mp_path *path);
/*
 * The ALUA access state from sysfs access_state (present with the alua
 * handler attached); MP_ALUA_UNKNOWN without it. "lba-dependent" counts as
 * MP_ALUA_NONOPTIMIZED.
 */
enum mp_alua_state mp_path_get_alua_state(const struct mp_path *path);
enum mp_scsi_state mp_path_get_scsi_state(const struct mp_path *path);
/*
 * The same two, read from sysfs now (the path object keeps what was read
 * when it was made): for a checker that follows a device between uevents.
 * MP_ALUA_UNKNOWN and MP_SCSI_UNKNOWN when unreadable.
 */
enum mp_alua_state mp_path_read_alua_state(const struct mp_path *path);
enum mp_scsi_state mp_path_read_scsi_state(const struct mp_path *path);

/*
 * Does the supported-device list claim path, as mpiod takes its paths (and
 * udev's rules ask, multipathctl is-claimed)? The list must claim its
 * vendor and product, or its transport, and the path must have a WWID.
 * Returns the index of the entry that claims it (>= 0); -ENOENT if no
 * entry does; -ENODATA if one does but the path has no WWID; -EINVAL for
 * NULL.
 */
int mp_supported_claims(const struct mp_supported *list, const struct mp_path *path);

/*
 * ======== 3. Runtime services ========
 *
 * What acts on the system: path checkers on worker threads, and
 * device-mapper maps through libdevmapper (one thread only: it has
 * process-wide state).
 */

/*
 * ---- Path checkers (checker.c) ----
 *
 * A checker tests one path with a blocking call; the pool runs checks on
 * its worker threads and hands the results back on the caller's thread, so
 * the event loop never blocks:
 *
 *   mp_checker_pool_new(ctx, 4, &pool);
 *   watch mp_checker_pool_get_fd(pool) for EPOLLIN; when readable:
 *     mp_checker_pool_dispatch(pool, on_result, data);
 *   mp_checker_submit(pool, MP_CHECKER_TUR, "/dev/sdc", 30000, path);
 *
 * Checkers (enum mp_checker_type, above):
 *   tur       SCSI TEST UNIT READY through SG_IO, with the timeout given to
 *             the kernel. A UNIT ATTENTION is asked again once.
 *   directio  an O_DIRECT read of the first logical block (a regular file
 *             reads its first page: useful for tests).
 *   none      always up, without a thread.
 * Every check also has a deadline of timeout_ms (plus 100 ms) from when a
 * worker starts it: past it, the check is reported MP_CHECK_TIMEOUT at once,
 * even if the system call is still blocked; its worker is replaced, so a hung
 * device never holds up the checks of other paths.
 *
 * Workers touch only the device node: never libudev, libdevmapper or the
 * context. The pool itself is not thread safe: call every function below
 * from one thread (the event loop).
 */

/* The outcome of one check. */
enum mp_path_check {
	MP_CHECK_UP,		/* "up": the path works */
	MP_CHECK_DOWN,		/* "down": the path or the device failed (transport error,
				 * error sense, I/O error, the kernel refuses to open an
				 * offline device: -ENXIO, -ENODEV): fail the path */
	MP_CHECK_GHOST,		/* "ghost": the device answers from an ALUA standby or
				 * unavailable port: the path is there but takes no I/O */
	MP_CHECK_TRANSITIONING,	/* "transitioning": the device answers but its state is
				 * changing (ALUA transition, becoming ready, repeated
				 * unit attention): keep the path as it is, check again soon */
	MP_CHECK_TIMEOUT,	/* "timeout": no answer within the timeout: treat as down */
	MP_CHECK_ERROR,		/* "error": the check could not run: the node cannot be
				 * opened (-ENOENT, -EACCES, ...), is not a SCSI device
				 * (tur, -ENOTTY), or does not
				 * take O_DIRECT (directio, -EINVAL); see error */
	_MP_PATH_CHECK_MAX,
	_MP_PATH_CHECK_INVALID = -EINVAL,
};
const char *mp_path_check_to_string(enum mp_path_check state);
enum mp_path_check mp_path_check_from_string(const char *s);

/*
 * A result, owned by the library and valid during the callback only. Fields
 * may be added at the end in later versions.
 */
struct mp_check_result {
	enum mp_path_check state;
	int error;			/* negative errno behind DOWN, TIMEOUT or ERROR, else 0 */
	enum mp_checker_type type;
	const char *devnode;		/* as submitted */
	void *userdata;			/* as submitted */
	uint64_t duration_usec;		/* how long the check ran */
	uint16_t host_status;		/* tur: SG_IO host_status (0 when the LU answered) */
	uint8_t sense_key, asc, ascq;	/* tur: the sense data behind the state, or 0 */
};

struct mp_checker_pool;

/*
 * A pool of nthreads workers (1..64). Returns 0 and a new pool with one
 * reference in *ret, -EINVAL, -ENOMEM, or the negative errno of creating
 * its threads or file descriptors. Dropping the last reference cancels the
 * queued checks, waits for the running ones until their deadline at most,
 * and lets workers that are still blocked then finish on their own (they
 * free what they hold); no callback runs for any of these.
 */
int mp_checker_pool_new(struct mp_ctx *ctx, unsigned nthreads, struct mp_checker_pool **ret);
struct mp_checker_pool *mp_checker_pool_ref(struct mp_checker_pool *pool);
struct mp_checker_pool *mp_checker_pool_unref(struct mp_checker_pool *pool);
MP_DEFINE_UNREFP(struct mp_checker_pool, mp_checker_pool_unref)

/* A file descriptor that polls readable (EPOLLIN) when mp_checker_pool_dispatch() has work. */
int mp_checker_pool_get_fd(const struct mp_checker_pool *pool);
/* Checks submitted and not yet dispatched. */
int mp_checker_pool_get_pending(const struct mp_checker_pool *pool);

/*
 * Queue a check of devnode; its result comes back with userdata through
 * mp_checker_pool_dispatch(). timeout_ms must be > 0. Returns 0, -EINVAL or
 * -ENOMEM. A path may have several checks queued: each gets its result.
 */
int mp_checker_submit(struct mp_checker_pool *pool, enum mp_checker_type type,
		      const char *devnode, unsigned timeout_ms, void *userdata);

typedef void (*mp_check_fn)(const struct mp_check_result *result, void *cb_data);
/*
 * Run callback for every finished check (and every check past its deadline),
 * in the order they finished, on the caller's thread. The callback may submit
 * more checks and may drop the pool's last reference. Returns the number of
 * results handed out (>= 0), or -EINVAL.
 */
int mp_checker_pool_dispatch(struct mp_checker_pool *pool, mp_check_fn callback, void *cb_data);

/*
 * Run one check on the calling thread, blocking: for tools (multipathctl)
 * and tests. directio has no timeout of its own here. Returns 0 and fills
 * *ret (ret->devnode is devnode), or -EINVAL.
 */
int mp_checker_run(enum mp_checker_type type, const char *devnode, unsigned timeout_ms,
		   struct mp_check_result *ret);

/*
 * ---- Transport timeouts and I/O size of paths (transport.c) ----
 *
 * Five settings of a map are the kernel's, written to its paths' sysfs:
 *   FastIoFailTimeout=     fast_io_fail_tmo of the path's FC remote port
 *   DevLossTimeout=        dev_loss_tmo of the path's FC remote port
 *   IscsiRecoveryTimeout=  recovery_tmo of the path's iSCSI session
 *   EhDeadline=            eh_deadline of the path's SCSI host
 *   MaxSectorsKb=          max_sectors_kb of the path's block device
 * MP_TMO_UNSET leaves the kernel's value alone; a value that is already
 * there is not written again. A remote port, a session or a host is shared
 * by every LU behind it (a host also by disks no map uses): the last map
 * applied there sets it.
 *
 * The rules of an FC remote port, where the kernel takes fast_io_fail_tmo
 * only below dev_loss_tmo, and dev_loss_tmo above 600 s only while
 * fast_io_fail_tmo is on. While queueing (NoPathRetry=), dev_loss_tmo (set,
 * or the kernel's) is raised to outlast it, so that the LU's devices are
 * not deleted while the map waits for them: to infinity for "queue", to the
 * seconds plus fast_io_fail_tmo plus CheckInterval= (the time to notice
 * the paths failed) for a time. It is raised above fast_io_fail_tmo when
 * not above it, and held at 600 s while fast_io_fail_tmo is off. The
 * values are written in an order the kernel takes, through a step if need
 * be.
 *
 * max_sectors_kb is written to a path that is not yet under a map (its
 * block device has no holder), the smallest of MaxSectorsKb= and every
 * path's max_hw_sectors_kb, so that all paths of a map have the same and
 * the kernel takes each: changing it under a live map can fail I/O.
 * Since: LIBMP_1_TRANSPORT.
 */
enum mp_tattr {
	MP_TATTR_FAST_IO_FAIL_TMO,
	MP_TATTR_DEV_LOSS_TMO,
	MP_TATTR_RECOVERY_TMO,
	MP_TATTR_EH_DEADLINE,
	MP_TATTR_MAX_SECTORS_KB,
	_MP_TATTR_MAX,
	_MP_TATTR_INVALID = -EINVAL,
};
/* The attribute's sysfs name ("fast_io_fail_tmo"), NULL when out of range. */
const char *mp_tattr_to_string(enum mp_tattr a);

/* Why a value written is not the setting's own: struct mp_tattr_write's why. */
enum {
	MP_TATTR_FOR_QUEUEING = 1 << 0,	   /* dev_loss_tmo raised to outlast NoPathRetry= */
	MP_TATTR_FOR_FAST_IO_FAIL = 1 << 1, /* dev_loss_tmo raised above fast_io_fail_tmo */
	MP_TATTR_CAPPED = 1 << 2,	   /* dev_loss_tmo held at 600 s: fast_io_fail_tmo is off */
	MP_TATTR_STEP = 1 << 3,		   /* a step to the final value, in the kernel's order */
	MP_TATTR_MAP_MIN = 1 << 4,	   /* the largest max_sectors_kb every path of the map takes */
	MP_TATTR_IN_USE = 1 << 5,	   /* not written: the path is under a map (error -EBUSY) */
};

/* One write, made or failed; or a value that could not be read (value NULL). */
struct mp_tattr_write {
	enum mp_tattr attr;
	const char *file;	/* the attribute's sysfs file */
	const char *old;	/* its value before ("120", "off"), NULL if unread */
	const char *value;	/* the value written, NULL if none (a read failed) */
	int error;		/* 0, or the negative errno of the write or the read */
	unsigned why;		/* MP_TATTR_* flags */
};
typedef void (*mp_tattr_fn)(const struct mp_tattr_write *w, void *userdata);

/*
 * Apply a map's settings s to path's FC remote port, iSCSI session and SCSI
 * host. fn (may be NULL) hears of every write and every failure. Returns
 * the number of failures (0: every value is in place), or -EINVAL.
 */
int mp_path_apply_timeouts(const struct mp_path *path, const struct mp_settings *s, mp_tattr_fn fn,
			   void *userdata);
/*
 * The max_sectors_kb for the n paths of a map, by the rule above, or
 * MP_TMO_UNSET when setting is: the smallest of setting and each path's
 * max_hw_sectors_kb (a path whose limit cannot be read does not count).
 */
int mp_paths_max_sectors_kb(const struct mp_path *const *paths, size_t n, int setting);
/*
 * Write kb (from mp_paths_max_sectors_kb()) to path's max_sectors_kb,
 * unless it is there already, kb is MP_TMO_UNSET, or the path is under a
 * map (then fn hears of it with -EBUSY and MP_TATTR_IN_USE). Returns 1 if
 * written, 0 if not needed, or a negative errno.
 */
int mp_path_set_max_sectors_kb(const struct mp_path *path, int kb, mp_tattr_fn fn, void *userdata);

/*
 * ---- Device-mapper maps (dm.c) ----
 *
 * Thin wrappers around libdevmapper for maps of the "mpio" target, named by
 * name (the map name, "mpatha" or the WWID). Calls that make a uevent
 * (create, reload's resume, remove) wait for udev to process it. Call them
 * from one thread: libdevmapper has process-wide state. ctx is for logging.
 * Errors: -EINVAL for bad arguments, -ENXIO for a map that does not exist,
 * -EMEDIUMTYPE for a map that is not one mpio target, else the errno of the
 * failed ioctl (or -EIO when libdevmapper gives none).
 */

/*
 * A map's dm uuid is MP_UUID_PREFIX and its WWID: "mpath-<WWID>", the prefix
 * by which the rest of the system knows a multipath device (LVM's multipath
 * component detection, kpartx's udev rules, lsblk's TYPE mpath, the
 * /dev/disk/by-id/dm-uuid-mpath-* links). multipath-tools' maps carry it too:
 * what tells them apart is the table's target, "mpio" here and "multipath"
 * there (mp_dm_list_maps() lists one target type). Maps made by mpio 0.1
 * carry MP_UUID_PREFIX_LEGACY instead; they are recognised, never created.
 */
#define MP_UUID_PREFIX "mpath-"
#define MP_UUID_PREFIX_LEGACY "mpio-"
/*
 * Map names. The kernel takes a name of 1 to 127 bytes without '/', other
 * than ".", ".." and "control" (its control node): mp_map_name_valid().
 * Aliases (mpio.conf) and bindings names that are not valid are refused
 * where they are read. A map named by its WWID (no alias, no bindings name)
 * is named mp_wwid_to_map_name(): the WWID itself when it is a valid name;
 * else (a WWID with '/' or longer than 127 bytes, as T10 vendor ID and SCSI
 * name designators may be) its first 110 bytes with each '/' made '_', then
 * '-' and the 16 hex digits of a 64-bit FNV-1a hash of the whole WWID:
 * stable, and unique but for a hash collision. Likewise the dm uuid is
 * MP_UUID_PREFIX and mp_wwid_uuid_part(): the WWID, or when the uuid would
 * pass 128 bytes, the same short form in 122 bytes. So for such a WWID,
 * mp_uuid_to_wwid() returns the short form: compare it with
 * mp_wwid_uuid_part(). Both functions return 0, -EINVAL for a NULL or empty
 * wwid, or -ERANGE if outlen is less than MP_MAP_NAME_SIZE (the name) or
 * MP_MAP_UUID_SIZE (the uuid part) and the result does not fit. Since:
 * LIBMP_1_MAP_NAMES.
 */
#define MP_MAP_NAME_SIZE 128 /* device-mapper's DM_NAME_LEN, with the NUL */
#define MP_MAP_UUID_SIZE 129 /* DM_UUID_LEN */
bool mp_map_name_valid(const char *name);
int mp_wwid_to_map_name(const char *wwid, char *out, size_t outlen);
int mp_wwid_uuid_part(const char *wwid, char *out, size_t outlen);
/* The device-mapper target of mpio's maps (kernel/dm-mpio.ko). */
#define MP_DM_TARGET "mpio"
/*
 * The WWID in a map's dm uuid of either prefix (a pointer into uuid), or
 * NULL if uuid is NULL, has neither prefix or no WWID after it. Since:
 * LIBMP_1_DM_UUID.
 */
const char *mp_uuid_to_wwid(const char *uuid);
/*
 * The map of dm uuid MP_UUID_PREFIX wwid, whatever its target: its name and
 * the type of its (first) target ("" if it has no table), new strings in
 * *ret_name and *ret_target; -ENXIO if there is none. One ioctl. Since:
 * LIBMP_1_DM_UUID.
 */
int mp_dm_find_by_wwid(struct mp_ctx *ctx, const char *wwid, char **ret_name, char **ret_target);

/* Create and activate map name over size_sectors with the mpio table params; uuid "mpath-<wwid>". */
int mp_dm_create(struct mp_ctx *ctx, const char *name, const char *wwid, uint64_t size_sectors,
		 const char *params);
/*
 * Batched creation: the same as mp_dm_create(), but without waiting for
 * udev. Start with *cookie = 0; every map created with the same cookie joins
 * one batch, and mp_dm_udev_wait(ctx, *cookie) then waits for udev to finish
 * with all of them at once (udev handles them in parallel). Until then the
 * maps exist and take messages and I/O, but their /dev nodes may not exist
 * yet. Wait on a cookie exactly once, even when every create in it failed
 * (a zero cookie needs no wait). Since: LIBMP_1_DM_BATCH.
 */
int mp_dm_create_nowait(struct mp_ctx *ctx, const char *name, const char *wwid,
			uint64_t size_sectors, const char *params, uint32_t *cookie);
int mp_dm_udev_wait(struct mp_ctx *ctx, uint32_t cookie);
/*
 * The same without blocking, for an event loop: 1 when udev is done with the
 * batch (the cookie is then released: do not poll or wait on it again), 0
 * when not yet, or a negative errno (the cookie is released too).
 */
int mp_dm_udev_poll(struct mp_ctx *ctx, uint32_t cookie);
/*
 * Creation in two steps, for many maps at once. mp_dm_create_inactive()
 * creates the map and loads its table without making it live: no uevent, so
 * udev has nothing to do yet, and the map takes no I/O (on failure nothing is
 * left behind). mp_dm_resume_nowait() makes the table live; its uevent joins
 * the batch of *cookie as with mp_dm_create_nowait(). Creating every map of a
 * batch first and then resuming them all keeps the creations clear of udev's
 * work on the maps that are already live. A map whose resume failed is still
 * there, inactive: remove it with mp_dm_remove(). Since: LIBMP_1_DM_BATCH.
 */
int mp_dm_create_inactive(struct mp_ctx *ctx, const char *name, const char *wwid,
			  uint64_t size_sectors, const char *params);
int mp_dm_resume_nowait(struct mp_ctx *ctx, const char *name, uint32_t *cookie);
/* Load a new table into map name and resume it (which swaps the table in). */
int mp_dm_reload(struct mp_ctx *ctx, const char *name, uint64_t size_sectors, const char *params);
/*
 * The same without waiting for udev: the resume's change uevent joins the
 * batch of *cookie, to wait on or poll as with mp_dm_create_nowait(). The
 * map runs the new table when this returns; only udev's work on the change
 * (the /dev links, which a reload leaves as they were) may still be going
 * on. For an event loop, which must not block on a busy udev. Since:
 * LIBMP_1_SYNC.
 */
int mp_dm_reload_nowait(struct mp_ctx *ctx, const char *name, uint64_t size_sectors,
			const char *params, uint32_t *cookie);
/*
 * Remove map name. When it is open: -EBUSY, or, with deferred, ask the
 * kernel to remove it on last close and return 1. Returns 0 when removed.
 */
int mp_dm_remove(struct mp_ctx *ctx, const char *name, bool deferred);
/*
 * The same without waiting for udev: the removal's uevent joins the batch
 * of *cookie, to wait on or poll as with mp_dm_create_nowait(). The map is
 * gone from the kernel (or its removal deferred) when this returns; only
 * udev's removal of its /dev links may still be going on. Since:
 * LIBMP_1_DM_REMOVE_NOWAIT.
 */
int mp_dm_remove_nowait(struct mp_ctx *ctx, const char *name, bool deferred, uint32_t *cookie);
/* Send a target message ("fail_path 8:32", "switch_group 2", ...). */
int mp_dm_message(struct mp_ctx *ctx, const char *name, const char *message);
/* 1 if map name is open, 0 if not. */
int mp_dm_is_open(struct mp_ctx *ctx, const char *name);
/*
 * The parameters of the map's table (what follows "0 <size> mpio ") or of its
 * INFO status, as a new string in *ret_params (free() it); *ret_size, if not
 * NULL, gets the table's size in sectors.
 */
int mp_dm_get_table(struct mp_ctx *ctx, const char *name, char **ret_params, uint64_t *ret_size);
int mp_dm_get_status(struct mp_ctx *ctx, const char *name, char **ret_params);
/*
 * The same for a map whose target is of type target_type (NULL: "mpio"),
 * for tools that show the maps of the kernel's "multipath" target too
 * (multipath-tools' maps): -EMEDIUMTYPE for a map of another target. Both
 * targets write their table and status in the same layout, which
 * mp_dm_parse_table() and mp_dm_parse_status() read. Since: LIBMP_1_SHOW.
 */
#define MP_DM_TARGET_MULTIPATH "multipath"
int mp_dm_get_table_of(struct mp_ctx *ctx, const char *name, const char *target_type,
		       char **ret_params, uint64_t *ret_size);
int mp_dm_get_status_of(struct mp_ctx *ctx, const char *name, const char *target_type,
			char **ret_params);

/* One map of mp_dm_list_maps(). */
struct mp_dm_map {
	char *name;
	char *uuid; /* "" if the map has none */
};
/*
 * The maps whose table is one target of type target_type (NULL: "mpio"), as
 * a new array of *ret_n entries in *ret; release it with mp_dm_maps_free().
 */
int mp_dm_list_maps(struct mp_ctx *ctx, const char *target_type, struct mp_dm_map **ret,
		    size_t *ret_n);
void mp_dm_maps_free(struct mp_dm_map *maps, size_t n);

/* The state of a priority group in status output. */
enum mp_group_state {
	MP_GROUP_ACTIVE,	/* "active" (A): I/O goes there */
	MP_GROUP_ENABLED,	/* "enabled" (E): usable, not in use */
	MP_GROUP_DISABLED,	/* "disabled" (D): bypassed */
	_MP_GROUP_STATE_MAX,
	_MP_GROUP_STATE_INVALID = -EINVAL,
};
const char *mp_group_state_to_string(enum mp_group_state state);
/* The reverse, ignoring case; _MP_GROUP_STATE_INVALID if unknown. Since: LIBMP_1_SHOW. */
enum mp_group_state mp_group_state_from_string(const char *s);

/* Whether a map queues I/O while no path is usable: the INFO status' "queueing" word. */
enum mp_queueing {
	MP_QUEUEING_UNKNOWN,	/* "unknown": the status does not say (an older module) */
	MP_QUEUEING_ON,		/* "on": I/O is queued while no path is usable */
	MP_QUEUEING_OFF,	/* "off": I/O fails while no path is usable */
	MP_QUEUEING_EXPIRED,	/* "expired": no_path_timeout ran out, I/O fails; on again
				 * as soon as a path is usable */
	_MP_QUEUEING_MAX,
	_MP_QUEUEING_INVALID = -EINVAL,
};
const char *mp_queueing_to_string(enum mp_queueing queueing);
/* The reverse, ignoring case; _MP_QUEUEING_INVALID if unknown. Since: LIBMP_1_SHOW. */
enum mp_queueing mp_queueing_from_string(const char *s);

/* A map's INFO status, parsed. Plain data: read it, release it with mp_map_status_free(). */
struct mp_map_path_status {
	unsigned major, minor;
	bool active;			/* A: usable; F: failed */
	unsigned fail_count;
	/* mpio's counters since load or "clear_stats", when the status has them (has_stats) */
	uint64_t ios, bytes, errors, avg_lat_us;
};
struct mp_map_group_status {
	enum mp_group_state state;
	unsigned n_paths;
	struct mp_map_path_status *paths;
};
struct mp_map_status {
	bool queue_io;			/* I/O is being held */
	unsigned pg_init_count;
	unsigned current_group;		/* 1-based; 0 when there is none */
	unsigned n_groups;
	struct mp_map_group_status *groups;
	bool has_stats;			/* the paths' counters are filled */
	enum mp_queueing queueing;
};
/*
 * Parse INFO status parameters (the layout is at the top of dm.c: the
 * multipath target's, plus mpio's optional "stats" section, whose per-path
 * counters fill the paths, and its optional "queueing" word, unknown when
 * missing or not one this library knows). Words after the last known section
 * are ignored.
 * Returns 0 and a new status in *ret, -EBADMSG for malformed text (a count
 * that does not match what follows, a bad number or state letter, stats for
 * other devices) without reading past the string's NUL, -EINVAL, -ENOMEM.
 */
int mp_dm_parse_status(const char *params, struct mp_map_status **ret);
struct mp_map_status *mp_map_status_free(struct mp_map_status *status);

/*
 * A map's table, parsed (table-compare.c): what a tool shows of it. Plain
 * data: read it, release it with mp_map_table_free().
 */
struct mp_map_table_group {
	char *selector;			/* "service-time" */
	unsigned n_paths;
	char **devs;			/* "8:32", in table order */
};
struct mp_map_table {
	char *features;			/* the feature words without their count, as the kernel
					 * lists them ("queue_if_no_path queue_mode bio"), except
					 * retain_attached_hw_handler (always the kernel's
					 * behaviour); "" for none */
	bool queue_if_no_path;		/* features has it */
	char *hw_handler;		/* the handler and its arguments without their count
					 * ("alua"); "" for none */
	unsigned n_groups;
	struct mp_map_table_group *groups;
};
/*
 * Parse table parameters (what follows "<start> <len> mpio " or
 * "... multipath ", as mp_dm_get_table() returns them). Returns 0 and a
 * new table in *ret, -EBADMSG for text that does not follow the grammar,
 * -EINVAL, -ENOMEM. Since: LIBMP_1_SHOW.
 */
int mp_dm_parse_table(const char *params, struct mp_map_table **ret);
struct mp_map_table *mp_map_table_free(struct mp_map_table *table);

#ifdef __cplusplus
}
#endif

/*
 * An index of the caller's items (positions in its array) by a hash of
 * their key (index.c): the parsers' duplicate checks, mpiod's lookups by
 * name. The caller hashes (mp_hash_str()) and eq() says whether the item at
 * a position has key. Zero-initialize it; mp_index_done() frees it. Not
 * thread safe; finding in an index no one adds to is (a read only). Since:
 * LIBMP_1_INDEX.
 */
struct mp_index_slot {
	uint64_t hash;
	size_t item; /* position + 1; 0: an empty slot */
};

struct mp_index {
	struct mp_index_slot *slots;
	size_t cap; /* 0 or a power of two */
	size_t n;
};

typedef bool (*mp_index_eq_fn)(const void *key, size_t item, const void *userdata);

/* 64-bit FNV-1a of a string: short keys, no adversary who could choose colliding ones to any effect. */
uint64_t mp_hash_str(const char *s);
/* 1 and the item's position in *ret_item (if not NULL) if an item has key, else 0. */
int mp_index_find(const struct mp_index *ix, uint64_t hash, mp_index_eq_fn eq, const void *key,
		  const void *userdata, size_t *ret_item);
/* Add item (a position) under hash; it does not check for an equal key. 0 or -ENOMEM. */
int mp_index_add(struct mp_index *ix, uint64_t hash, size_t item);
void mp_index_done(struct mp_index *ix);

#endif
