/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mpio.conf: the INI parser, the built-in device table on top of it, and
 * the resolution of one map's settings with the origin of each. The format
 * and the precedence rules are in libmp.h; every key is documented in
 * conf/mpio.conf.
 *
 * A config is built in full and then never changes, so a published one can
 * be read from any thread while it is referenced.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config-private.h"
#include "fileio.h"
#include "libmp-private.h"

#define CONFIG_MAX_BYTES (4 * 1024 * 1024)
#define VENDOR_LEN 8
#define PRODUCT_LEN 16
#define MAX_SECONDS 86400
#define MAX_REMOVE_TIMEOUT 604800
#define MAX_CHECK_INTERVAL 3600
#define MAX_PG_INIT_RETRIES 50
#define MAX_PG_INIT_DELAY 60000
#define MAX_WRITE_QUIESCE 60000
#define MIN_MAX_SECTORS_KB 4 /* one page */
#define MAX_MAX_SECTORS_KB 1048576
#define MSG_VALUE_MAX 64 /* longest piece of a value quoted in an error */

/* ---- Names of enum values ---- */

static const char *const pg_policy_names[_MP_PG_POLICY_MAX] = {
	[MP_PG_FAILOVER] = "failover",
	[MP_PG_MULTIBUS] = "multibus",
	[MP_PG_GROUP_BY_PRIO] = "group_by_prio",
	[MP_PG_GROUP_BY_SERIAL] = "group_by_serial",
	[MP_PG_GROUP_BY_TPG] = "group_by_tpg",
};

static const char *const selector_names[_MP_SELECTOR_MAX] = {
	[MP_SELECTOR_ROUND_ROBIN] = "round-robin",
	[MP_SELECTOR_QUEUE_LENGTH] = "queue-length",
	[MP_SELECTOR_SERVICE_TIME] = "service-time",
	[MP_SELECTOR_LEAST_BLOCKS] = "least-blocks",
	[MP_SELECTOR_WEIGHTED_PATH] = "weighted-path",
	[MP_SELECTOR_HISTORICAL_SERVICE_TIME] = "historical-service-time",
	[MP_SELECTOR_IO_AFFINITY] = "io-affinity",
};

static const char *const hw_handler_names[_MP_HW_HANDLER_MAX] = {
	[MP_HW_HANDLER_NONE] = "none",
	[MP_HW_HANDLER_ALUA] = "alua",
	[MP_HW_HANDLER_EMC] = "emc",
	[MP_HW_HANDLER_RDAC] = "rdac",
	[MP_HW_HANDLER_HP_SW] = "hp_sw",
};

static const char *const checker_names[_MP_CHECKER_TYPE_MAX] = {
	[MP_CHECKER_TUR] = "tur",
	[MP_CHECKER_DIRECTIO] = "directio",
	[MP_CHECKER_NONE] = "none",
};

/* The words of Failback= and NoPathRetry=; the other values are seconds. */
static const char *const failback_names[_MP_FAILBACK_MAX] = {
	[MP_FAILBACK_IMMEDIATE] = "immediate",
	[MP_FAILBACK_MANUAL] = "manual",
	[MP_FAILBACK_FOLLOWOVER] = "followover",
};

static const char *const no_path_retry_names[_MP_NO_PATH_RETRY_MAX] = {
	[MP_NO_PATH_FAIL] = "fail",
	[MP_NO_PATH_QUEUE] = "queue",
};

static const char *const setting_names[_MP_SETTING_MAX] = {
	[MP_SETTING_PG_POLICY] = "PathGroupingPolicy",
	[MP_SETTING_SELECTOR] = "PathSelector",
	[MP_SETTING_HW_HANDLER] = "HardwareHandler",
	[MP_SETTING_FAILBACK] = "Failback",
	[MP_SETTING_NO_PATH_RETRY] = "NoPathRetry",
	[MP_SETTING_CHECKER] = "PathChecker",
	[MP_SETTING_CHECK_INTERVAL] = "CheckInterval",
	[MP_SETTING_USER_FRIENDLY_NAMES] = "UserFriendlyNames",
	[MP_SETTING_REMOVE_TIMEOUT] = "RemoveTimeout",
	[MP_SETTING_PG_INIT_RETRIES] = "PgInitRetries",
	[MP_SETTING_PG_INIT_DELAY_MSEC] = "PgInitDelayMsec",
	[MP_SETTING_ALIAS] = "Alias",
	[MP_SETTING_WRITE_QUIESCE_MSEC] = "WriteQuiesceMsec",
	[MP_SETTING_FAST_IO_FAIL_TMO] = "FastIoFailTimeout",
	[MP_SETTING_DEV_LOSS_TMO] = "DevLossTimeout",
	[MP_SETTING_ISCSI_RECOVERY_TMO] = "IscsiRecoveryTimeout",
	[MP_SETTING_EH_DEADLINE] = "EhDeadline",
	[MP_SETTING_MAX_SECTORS_KB] = "MaxSectorsKb",
};

/* The words of the transport settings; their other values are numbers. */
#define TMO_UNSET_WORD "unset"
#define TMO_OFF_WORD "off"
#define TMO_INFINITY_WORD "infinity"

static int name_lookup(const char *const *names, size_t n, const char *s)
{
	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcasecmp(names[i], s) == 0)
			return (int)i;
	return -EINVAL;
}

static const char *name_get(const char *const *names, size_t n, int i)
{
	return i >= 0 && (size_t)i < n ? names[i] : NULL;
}

_public_ const char *mp_pg_policy_to_string(enum mp_pg_policy p)
{
	return name_get(pg_policy_names, ARRAY_SIZE(pg_policy_names), p);
}

_public_ enum mp_pg_policy mp_pg_policy_from_string(const char *s)
{
	return name_lookup(pg_policy_names, ARRAY_SIZE(pg_policy_names), s);
}

_public_ const char *mp_selector_to_string(enum mp_selector s)
{
	return name_get(selector_names, ARRAY_SIZE(selector_names), s);
}

_public_ enum mp_selector mp_selector_from_string(const char *s)
{
	return name_lookup(selector_names, ARRAY_SIZE(selector_names), s);
}

_public_ const char *mp_hw_handler_to_string(enum mp_hw_handler h)
{
	return name_get(hw_handler_names, ARRAY_SIZE(hw_handler_names), h);
}

_public_ enum mp_hw_handler mp_hw_handler_from_string(const char *s)
{
	return name_lookup(hw_handler_names, ARRAY_SIZE(hw_handler_names), s);
}

_public_ const char *mp_checker_type_to_string(enum mp_checker_type c)
{
	return name_get(checker_names, ARRAY_SIZE(checker_names), c);
}

_public_ enum mp_checker_type mp_checker_type_from_string(const char *s)
{
	return name_lookup(checker_names, ARRAY_SIZE(checker_names), s);
}

_public_ const char *mp_setting_to_string(enum mp_setting s)
{
	return name_get(setting_names, ARRAY_SIZE(setting_names), s);
}

_public_ enum mp_setting mp_setting_from_string(const char *s)
{
	/* keys are case-sensitive */
	if (s)
		for (size_t i = 0; i < ARRAY_SIZE(setting_names); i++)
			if (strcmp(setting_names[i], s) == 0)
				return (enum mp_setting)i;
	return _MP_SETTING_INVALID;
}

/* A transport setting's value: its word, or the number in buf. */
static const char *tmo_value(int v, char *buf, size_t len)
{
	if (v == MP_TMO_UNSET)
		return TMO_UNSET_WORD;
	if (v == MP_TMO_OFF)
		return TMO_OFF_WORD;
	if (v == MP_DEV_LOSS_INFINITY)
		return TMO_INFINITY_WORD;
	snprintf(buf, len, "%d", v);
	return buf;
}

_public_ const char *mp_settings_value(const struct mp_settings *s, enum mp_setting id, char *buf,
				       size_t len)
{
	if (!s || !buf || len == 0)
		return NULL;
	switch (id) {
	case MP_SETTING_FAST_IO_FAIL_TMO:
		return tmo_value(s->fast_io_fail_tmo, buf, len);
	case MP_SETTING_DEV_LOSS_TMO:
		return tmo_value(s->dev_loss_tmo, buf, len);
	case MP_SETTING_ISCSI_RECOVERY_TMO:
		return tmo_value(s->iscsi_recovery_tmo, buf, len);
	case MP_SETTING_EH_DEADLINE:
		return tmo_value(s->eh_deadline, buf, len);
	case MP_SETTING_MAX_SECTORS_KB:
		return tmo_value(s->max_sectors_kb, buf, len);
	case MP_SETTING_PG_POLICY:
		return mp_pg_policy_to_string(s->pg_policy);
	case MP_SETTING_SELECTOR:
		return mp_selector_to_string(s->selector);
	case MP_SETTING_HW_HANDLER:
		return mp_hw_handler_to_string(s->hw_handler);
	case MP_SETTING_FAILBACK:
		if (s->failback == MP_FAILBACK_DEFERRED)
			break;
		return name_get(failback_names, ARRAY_SIZE(failback_names), s->failback);
	case MP_SETTING_NO_PATH_RETRY:
		if (s->no_path_retry == MP_NO_PATH_TIMEOUT)
			break;
		return name_get(no_path_retry_names, ARRAY_SIZE(no_path_retry_names), s->no_path_retry);
	case MP_SETTING_CHECKER:
		return mp_checker_type_to_string(s->checker);
	case MP_SETTING_USER_FRIENDLY_NAMES:
		return s->user_friendly_names ? "yes" : "no";
	case MP_SETTING_PG_INIT_DELAY_MSEC:
		if (s->pg_init_delay_msecs < 0)
			return "default";
		break;
	case MP_SETTING_WRITE_QUIESCE_MSEC:
		if (s->write_quiesce_msecs < 0)
			return "default";
		break;
	case MP_SETTING_ALIAS:
		return s->alias;
	case MP_SETTING_CHECK_INTERVAL:
	case MP_SETTING_REMOVE_TIMEOUT:
	case MP_SETTING_PG_INIT_RETRIES:
		break;
	default:
		return NULL;
	}
	/* A number: seconds, a count, milliseconds. */
	snprintf(buf, len, "%lld",
		 id == MP_SETTING_FAILBACK ? (long long)s->failback_secs :
		 id == MP_SETTING_NO_PATH_RETRY ? (long long)s->no_path_timeout :
		 id == MP_SETTING_CHECK_INTERVAL ? (long long)s->check_interval :
		 id == MP_SETTING_REMOVE_TIMEOUT ? (long long)s->remove_timeout :
		 id == MP_SETTING_PG_INIT_RETRIES ? (long long)s->pg_init_retries :
		 id == MP_SETTING_WRITE_QUIESCE_MSEC ? (long long)s->write_quiesce_msecs :
		 (long long)s->pg_init_delay_msecs);
	return buf;
}

/* ---- The config object ---- */

enum section_kind {
	SECTION_DEFAULTS,
	SECTION_DEVICE,
	SECTION_MAP,
	SECTION_GENERIC_ALUA, /* built-in table only */
	_SECTION_KIND_MAX,
};

static const char *const section_names[_SECTION_KIND_MAX] = {
	[SECTION_DEFAULTS] = "Defaults",
	[SECTION_DEVICE] = "Device",
	[SECTION_MAP] = "Map",
	[SECTION_GENERIC_ALUA] = "GenericALUA",
};

/* Settings given in one section (or merged from several): mask says which. */
struct layer {
	uint32_t mask;
	struct mp_settings v; /* v.origin[] point into the config's strings */
	unsigned line[_MP_SETTING_MAX]; /* while parsing: where each was set */
};

_Static_assert(_MP_SETTING_MAX <= 32, "layer mask is 32 bits");

struct section {
	enum section_kind kind;
	const char *file; /* interned in the config */
	unsigned line;	  /* of the [Section] header */
	char vendor[VENDOR_LEN + 1], product[PRODUCT_LEN + 1];
	unsigned vendor_line, product_line;
	char *wwid;
	unsigned wwid_line;
	struct mp_supported *match; /* [Device]: one entry, vendor padded + product */
	struct layer layer;
};

struct mp_config {
	unsigned refcount;
	struct mp_ctx *ctx;
	struct layer defaults; /* compiled-in defaults, then every [Defaults] merged */
	struct section *builtin; /* the built-in table's [Device] sections, in order */
	size_t n_builtin, cap_builtin;
	struct layer generic_alua;
	struct section *sections; /* [Device] and [Map] sections of the files, in order */
	size_t n_sections, cap_sections;
	struct mp_index map_by_wwid, map_by_alias; /* the [Map] sections' positions in sections */
	size_t *devices; /* the [Device] sections' positions in sections, in order */
	size_t n_devices, cap_devices;
	char **strings; /* owned: file names, origins */
	size_t n_strings, cap_strings;
	bool main_read; /* mp_config_load() read <dir>/mpio.conf (it existed) */
};

/* Grow *arr (of *cap items of size) to hold one more than n: doubling, so that n pushes cost O(n). */
static int grow(void *arr, size_t *cap, size_t n, size_t size)
{
	void *a;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	a = reallocarray(*(void **)arr, ncap, size);
	if (!a)
		return -ENOMEM;
	*(void **)arr = a;
	*cap = ncap;
	return 0;
}

static bool map_wwid_eq(const void *key, size_t item, const void *userdata)
{
	const struct mp_config *cfg = userdata;

	return strcmp(cfg->sections[item].wwid, key) == 0;
}

static bool map_alias_eq(const void *key, size_t item, const void *userdata)
{
	const struct mp_config *cfg = userdata;

	return strcmp(cfg->sections[item].layer.v.alias, key) == 0;
}

/* The [Map] section of wwid, or of alias, or NULL. */
static const struct section *map_by_wwid(const struct mp_config *cfg, const char *wwid)
{
	size_t i;

	return mp_index_find(&cfg->map_by_wwid, mp_hash_str(wwid), map_wwid_eq, wwid, cfg, &i)
		       ? &cfg->sections[i]
		       : NULL;
}

static const struct section *map_by_alias(const struct mp_config *cfg, const char *alias)
{
	size_t i;

	return mp_index_find(&cfg->map_by_alias, mp_hash_str(alias), map_alias_eq, alias, cfg, &i)
		       ? &cfg->sections[i]
		       : NULL;
}

static void section_done(struct section *s)
{
	free(s->wwid);
	mp_supported_unref(s->match);
}

static void config_free(struct mp_config *cfg)
{
	for (size_t i = 0; i < cfg->n_builtin; i++)
		section_done(&cfg->builtin[i]);
	for (size_t i = 0; i < cfg->n_sections; i++)
		section_done(&cfg->sections[i]);
	mp_index_done(&cfg->map_by_wwid);
	mp_index_done(&cfg->map_by_alias);
	free(cfg->devices);
	for (size_t i = 0; i < cfg->n_strings; i++)
		free(cfg->strings[i]);
	free(cfg->builtin);
	free(cfg->sections);
	free(cfg->strings);
	mp_ctx_unref(cfg->ctx);
	free(cfg);
}

_public_ struct mp_config *mp_config_ref(struct mp_config *cfg)
{
	if (cfg)
		cfg->refcount++;
	return cfg;
}

_public_ struct mp_config *mp_config_unref(struct mp_config *cfg)
{
	if (!cfg || --cfg->refcount > 0)
		return NULL;
	config_free(cfg);
	return NULL;
}

/* A new string owned by the config, or NULL on ENOMEM. */
static const char *config_strf(struct mp_config *cfg, const char *format, ...) _printf_(2, 3);

static const char *config_strf(struct mp_config *cfg, const char *format, ...)
{
	va_list ap;
	char *s;
	int r;

	if (grow(&cfg->strings, &cfg->cap_strings, cfg->n_strings, sizeof(*cfg->strings)) < 0)
		return NULL;
	va_start(ap, format);
	r = vasprintf(&s, format, ap);
	va_end(ap);
	if (r < 0)
		return NULL;
	cfg->strings[cfg->n_strings++] = s;
	return s;
}

static void compiled_defaults(struct layer *l)
{
	*l = (struct layer){
		.mask = 0,
		.v = {
			.pg_policy = MP_PG_FAILOVER,
			.selector = MP_SELECTOR_SERVICE_TIME,
			.hw_handler = MP_HW_HANDLER_NONE,
			.failback = MP_FAILBACK_MANUAL,
			.no_path_retry = MP_NO_PATH_FAIL,
			.checker = MP_CHECKER_TUR,
			.check_interval = 5,
			.user_friendly_names = false,
			.remove_timeout = 300,
			.pg_init_retries = 0,
			.pg_init_delay_msecs = -1,
			.write_quiesce_msecs = -1,
			/* 5 s, as multipathd: without it, I/O through a lost FC port
			 * waits for dev_loss_tmo (often 30 s or more) before it can
			 * go down another path. */
			.fast_io_fail_tmo = 5,
			.dev_loss_tmo = MP_TMO_UNSET,
			/* 5 s, as multipathd (which writes its fast_io_fail_tmo there):
			 * open-iscsi's 120 s would hold I/O that long before it can
			 * go down another path. */
			.iscsi_recovery_tmo = 5,
			.eh_deadline = MP_TMO_UNSET,
			.max_sectors_kb = MP_TMO_UNSET,
			.alias = NULL,
		},
	};
	for (size_t i = 0; i < _MP_SETTING_MAX; i++)
		l->v.origin[i] = "default";
}

/* Copy setting id from src over dst, origin included. */
static void setting_copy(struct mp_settings *dst, const struct mp_settings *src, enum mp_setting id)
{
	switch (id) {
	case MP_SETTING_PG_POLICY:
		dst->pg_policy = src->pg_policy;
		break;
	case MP_SETTING_SELECTOR:
		dst->selector = src->selector;
		break;
	case MP_SETTING_HW_HANDLER:
		dst->hw_handler = src->hw_handler;
		break;
	case MP_SETTING_FAILBACK:
		dst->failback = src->failback;
		dst->failback_secs = src->failback_secs;
		break;
	case MP_SETTING_NO_PATH_RETRY:
		dst->no_path_retry = src->no_path_retry;
		dst->no_path_timeout = src->no_path_timeout;
		break;
	case MP_SETTING_CHECKER:
		dst->checker = src->checker;
		break;
	case MP_SETTING_CHECK_INTERVAL:
		dst->check_interval = src->check_interval;
		break;
	case MP_SETTING_USER_FRIENDLY_NAMES:
		dst->user_friendly_names = src->user_friendly_names;
		break;
	case MP_SETTING_REMOVE_TIMEOUT:
		dst->remove_timeout = src->remove_timeout;
		break;
	case MP_SETTING_PG_INIT_RETRIES:
		dst->pg_init_retries = src->pg_init_retries;
		break;
	case MP_SETTING_PG_INIT_DELAY_MSEC:
		dst->pg_init_delay_msecs = src->pg_init_delay_msecs;
		break;
	case MP_SETTING_WRITE_QUIESCE_MSEC:
		dst->write_quiesce_msecs = src->write_quiesce_msecs;
		break;
	case MP_SETTING_FAST_IO_FAIL_TMO:
		dst->fast_io_fail_tmo = src->fast_io_fail_tmo;
		break;
	case MP_SETTING_DEV_LOSS_TMO:
		dst->dev_loss_tmo = src->dev_loss_tmo;
		break;
	case MP_SETTING_ISCSI_RECOVERY_TMO:
		dst->iscsi_recovery_tmo = src->iscsi_recovery_tmo;
		break;
	case MP_SETTING_EH_DEADLINE:
		dst->eh_deadline = src->eh_deadline;
		break;
	case MP_SETTING_MAX_SECTORS_KB:
		dst->max_sectors_kb = src->max_sectors_kb;
		break;
	case MP_SETTING_ALIAS:
		dst->alias = src->alias;
		break;
	default:
		return;
	}
	dst->origin[id] = src->origin[id];
}

/* Apply the settings a layer gives over dst. */
static void layer_apply(struct mp_settings *dst, const struct layer *l)
{
	for (int id = 0; id < _MP_SETTING_MAX; id++)
		if (l->mask & (1u << id))
			setting_copy(dst, &l->v, id);
}

static void layer_merge(struct layer *dst, const struct layer *src)
{
	layer_apply(&dst->v, src);
	dst->mask |= src->mask;
}

/* ---- Parsing ---- */

static void set_error(struct mp_parse_error *err, const char *file, unsigned line,
		      const char *format, ...) _printf_(4, 5);

static void set_error(struct mp_parse_error *err, const char *file, unsigned line,
		      const char *format, ...)
{
	va_list ap;

	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = line;
	va_start(ap, format);
	vsnprintf(err->msg, sizeof(err->msg), format, ap);
	va_end(ap);
}

static const char *errno_text(int r)
{
	return strerrordesc_np(-r) ?: "unknown error";
}

/* State of one parse: the file, the line, the open section. */
struct parser {
	struct mp_config *cfg;
	const char *file; /* interned */
	bool builtin;
	unsigned line;
	struct mp_parse_error *err;
	bool in_section;
	struct section cur;
};

#define PARSE_ERROR(p, ...)                                            \
	({                                                             \
		set_error((p)->err, (p)->file, (p)->line, __VA_ARGS__); \
		-EBADMSG;                                              \
	})

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_print_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

static bool has_blank_or_ctrl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* "a, b or c" from a name table. */
static void names_list(const char *const *names, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
}

/* Decimal digits only, in [min, max]. */
static bool parse_uint(const char *s, unsigned min, unsigned max, unsigned *ret)
{
	unsigned long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return false;
	}
	if (v < min)
		return false;
	*ret = (unsigned)v;
	return true;
}

/* "default" (-1: the kernel's) or milliseconds 0..max. */
static bool parse_msecs(const char *s, unsigned max, int *ret)
{
	unsigned u;

	if (strcasecmp(s, "default") == 0) {
		*ret = -1;
		return true;
	}
	if (!parse_uint(s, 0, max, &u))
		return false;
	*ret = (int)u;
	return true;
}

/*
 * A transport setting: "unset", "off" if off_ok, "infinity" (MP_DEV_LOSS_INFINITY)
 * if inf_ok, or a number min..max.
 */
static bool parse_tmo(const char *s, bool off_ok, bool inf_ok, unsigned min, unsigned max, int *ret)
{
	unsigned u;

	if (strcasecmp(s, TMO_UNSET_WORD) == 0)
		*ret = MP_TMO_UNSET;
	else if (off_ok && strcasecmp(s, TMO_OFF_WORD) == 0)
		*ret = MP_TMO_OFF;
	else if (inf_ok && strcasecmp(s, TMO_INFINITY_WORD) == 0)
		*ret = MP_DEV_LOSS_INFINITY;
	else if (parse_uint(s, min, max, &u))
		*ret = (int)u;
	else
		return false;
	return true;
}

static int parse_bool(const char *s)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -EINVAL;
}

static int bad_value(struct parser *p, enum mp_setting id, const char *value, const char *expected)
{
	return PARSE_ERROR(p, "invalid %s= value \"%.*s\": expected %s", setting_names[id],
			   MSG_VALUE_MAX, value, expected);
}

static int parse_enum_value(struct parser *p, enum mp_setting id, const char *value,
			    const char *const *names, size_t n, int *ret)
{
	char expected[200];
	int v = name_lookup(names, n, value);

	if (v < 0) {
		names_list(names, n, expected, sizeof(expected));
		return bad_value(p, id, value, expected);
	}
	*ret = v;
	return 0;
}

static bool valid_alias(const char *s)
{
	/* A map name the kernel takes (mp_map_name_valid()), and a word in mpio.conf. */
	return is_print_ascii(s) && !has_blank_or_ctrl(s) && mp_map_name_valid(s);
}

/* Parse value for setting id into the open section's layer. */
static int parse_setting(struct parser *p, enum mp_setting id, const char *value)
{
	struct mp_settings *v = &p->cur.layer.v;
	unsigned u;
	int e, r;

	switch (id) {
	case MP_SETTING_PG_POLICY:
		r = parse_enum_value(p, id, value, pg_policy_names, ARRAY_SIZE(pg_policy_names), &e);
		if (r < 0)
			return r;
		v->pg_policy = e;
		break;
	case MP_SETTING_SELECTOR:
		r = parse_enum_value(p, id, value, selector_names, ARRAY_SIZE(selector_names), &e);
		if (r < 0)
			return r;
		v->selector = e;
		break;
	case MP_SETTING_HW_HANDLER:
		r = parse_enum_value(p, id, value, hw_handler_names, ARRAY_SIZE(hw_handler_names),
				     &e);
		if (r < 0)
			return r;
		v->hw_handler = e;
		break;
	case MP_SETTING_CHECKER:
		r = parse_enum_value(p, id, value, checker_names, ARRAY_SIZE(checker_names), &e);
		if (r < 0)
			return r;
		v->checker = e;
		break;
	case MP_SETTING_FAILBACK:
		v->failback_secs = 0;
		e = name_lookup(failback_names, ARRAY_SIZE(failback_names), value);
		if (e >= 0)
			v->failback = e;
		else if (parse_uint(value, 1, MAX_SECONDS, &u)) {
			v->failback = MP_FAILBACK_DEFERRED;
			v->failback_secs = u;
		} else
			return bad_value(p, id, value,
					 "immediate, manual, followover or seconds (1..86400)");
		break;
	case MP_SETTING_NO_PATH_RETRY:
		v->no_path_timeout = 0;
		e = name_lookup(no_path_retry_names, ARRAY_SIZE(no_path_retry_names), value);
		if (e >= 0)
			v->no_path_retry = e;
		else if (parse_uint(value, 1, MAX_SECONDS, &u)) {
			v->no_path_retry = MP_NO_PATH_TIMEOUT;
			v->no_path_timeout = u;
		} else
			return bad_value(p, id, value, "queue, fail or seconds (1..86400)");
		break;
	case MP_SETTING_CHECK_INTERVAL:
		if (!parse_uint(value, 1, MAX_CHECK_INTERVAL, &v->check_interval))
			return bad_value(p, id, value, "seconds (1..3600)");
		break;
	case MP_SETTING_USER_FRIENDLY_NAMES:
		r = parse_bool(value);
		if (r < 0)
			return bad_value(p, id, value, "yes or no");
		v->user_friendly_names = r;
		break;
	case MP_SETTING_REMOVE_TIMEOUT:
		if (!parse_uint(value, 0, MAX_REMOVE_TIMEOUT, &v->remove_timeout))
			return bad_value(p, id, value, "seconds (0..604800)");
		break;
	case MP_SETTING_PG_INIT_RETRIES:
		if (!parse_uint(value, 0, MAX_PG_INIT_RETRIES, &v->pg_init_retries))
			return bad_value(p, id, value, "a count (0..50)");
		break;
	case MP_SETTING_PG_INIT_DELAY_MSEC:
		if (!parse_msecs(value, MAX_PG_INIT_DELAY, &v->pg_init_delay_msecs))
			return bad_value(p, id, value, "default or milliseconds (0..60000)");
		break;
	case MP_SETTING_WRITE_QUIESCE_MSEC:
		if (!parse_msecs(value, MAX_WRITE_QUIESCE, &v->write_quiesce_msecs))
			return bad_value(p, id, value, "default or milliseconds (0..60000)");
		break;
	case MP_SETTING_FAST_IO_FAIL_TMO:
		if (!parse_tmo(value, true, false, 0, MP_BLOCK_MAX_TIMEOUT, &v->fast_io_fail_tmo))
			return bad_value(p, id, value, "unset, off or seconds (0..600)");
		break;
	case MP_SETTING_DEV_LOSS_TMO:
		if (!parse_tmo(value, false, true, 1, MP_DEV_LOSS_INFINITY, &v->dev_loss_tmo))
			return bad_value(p, id, value, "unset, infinity or seconds (1..2147483647)");
		break;
	case MP_SETTING_ISCSI_RECOVERY_TMO:
		if (!parse_tmo(value, false, false, 1, MAX_SECONDS, &v->iscsi_recovery_tmo))
			return bad_value(p, id, value, "unset or seconds (1..86400)");
		break;
	case MP_SETTING_EH_DEADLINE:
		if (!parse_tmo(value, true, false, 0, MAX_SECONDS, &v->eh_deadline))
			return bad_value(p, id, value, "unset, off or seconds (0..86400)");
		break;
	case MP_SETTING_MAX_SECTORS_KB:
		if (!parse_tmo(value, false, false, MIN_MAX_SECTORS_KB, MAX_MAX_SECTORS_KB,
			       &v->max_sectors_kb))
			return bad_value(p, id, value, "unset or KiB (4..1048576)");
		break;
	case MP_SETTING_ALIAS: {
		const char *s;

		if (!valid_alias(value))
			return bad_value(p, id, value,
					 "1..127 printable ASCII characters, no blanks or '/', "
					 "not \".\", \"..\" or \"control\"");
		s = config_strf(p->cfg, "%s", value);
		if (!s)
			return -ENOMEM;
		v->alias = s;
		break;
	}
	default:
		return -EINVAL;
	}
	p->cur.layer.mask |= 1u << id;
	p->cur.layer.line[id] = p->line;
	return 0;
}

/* Keys that are not settings: they say which devices or map a section is for. */
enum ident_key {
	KEY_VENDOR,
	KEY_PRODUCT,
	KEY_WWID,
	_KEY_IDENT_MAX,
};

static const char *const ident_names[_KEY_IDENT_MAX] = {
	[KEY_VENDOR] = "Vendor",
	[KEY_PRODUCT] = "Product",
	[KEY_WWID] = "WWID",
};

static int parse_ident(struct parser *p, enum ident_key k, const char *value)
{
	struct section *s = &p->cur;
	unsigned *line = k == KEY_VENDOR ? &s->vendor_line
			 : k == KEY_PRODUCT ? &s->product_line
					    : &s->wwid_line;
	size_t n = strlen(value);

	if (*line)
		return PARSE_ERROR(p, "%s= is already set in this section, on line %u",
				   ident_names[k], *line);
	switch (k) {
	case KEY_VENDOR:
	case KEY_PRODUCT: {
		size_t max = k == KEY_VENDOR ? VENDOR_LEN : PRODUCT_LEN;

		if (!is_print_ascii(value))
			return PARSE_ERROR(p, "%s= must be printable ASCII", ident_names[k]);
		if (n > max)
			return PARSE_ERROR(p, "%s= value \"%.*s\" is %zu characters long, "
					   "at most %zu are allowed", ident_names[k],
					   MSG_VALUE_MAX, value, n, max);
		memcpy(k == KEY_VENDOR ? s->vendor : s->product, value, n + 1);
		break;
	}
	case KEY_WWID:
		if (n >= MP_WWID_SIZE || !is_print_ascii(value) || has_blank_or_ctrl(value))
			return PARSE_ERROR(p, "invalid WWID= value \"%.*s\": expected up to %d "
					   "printable ASCII characters, no blanks",
					   MSG_VALUE_MAX, value, MP_WWID_SIZE - 1);
		s->wwid = strdup(value);
		if (!s->wwid)
			return -ENOMEM;
		break;
	default:
		return -EINVAL;
	}
	*line = p->line;
	return 0;
}

/* Which sections take which keys. */
static bool setting_allowed(enum section_kind kind, enum mp_setting id)
{
	if (id == MP_SETTING_ALIAS)
		return kind == SECTION_MAP;
	return true;
}

static bool ident_allowed(enum section_kind kind, enum ident_key k)
{
	return k == KEY_WWID ? kind == SECTION_MAP : kind == SECTION_DEVICE;
}

static int parse_assignment(struct parser *p, const char *key, const char *value)
{
	enum section_kind kind = p->cur.kind;
	const char *kname = section_names[kind];

	for (int k = 0; k < _KEY_IDENT_MAX; k++)
		if (strcmp(key, ident_names[k]) == 0) {
			if (!ident_allowed(kind, k))
				return PARSE_ERROR(p, "%s= is only valid in [%s], not in [%s]", key,
						   k == KEY_WWID ? "Map" : "Device", kname);
			if (!*value)
				return PARSE_ERROR(p, "%s= needs a value", key);
			return parse_ident(p, k, value);
		}
	for (int id = 0; id < _MP_SETTING_MAX; id++)
		if (strcmp(key, setting_names[id]) == 0) {
			if (!setting_allowed(kind, id))
				return PARSE_ERROR(p, "%s= is only valid in [Map], not in [%s]", key,
						   kname);
			if (!*value)
				return PARSE_ERROR(p, "%s= needs a value", key);
			return parse_setting(p, id, value);
		}

	/* A near miss gets a hint: keys are case-sensitive. */
	for (int k = 0; k < _KEY_IDENT_MAX; k++)
		if (strcasecmp(key, ident_names[k]) == 0)
			return PARSE_ERROR(p, "unknown key \"%s\" in [%s], did you mean %s=?", key,
					   kname, ident_names[k]);
	for (int id = 0; id < _MP_SETTING_MAX; id++)
		if (strcasecmp(key, setting_names[id]) == 0)
			return PARSE_ERROR(p, "unknown key \"%s\" in [%s], did you mean %s=?", key,
					   kname, setting_names[id]);
	return PARSE_ERROR(p, "unknown key \"%.*s\" in [%s]", MSG_VALUE_MAX, key, kname);
}

/* The label of a section in origins: "[Defaults]", "[Device NETAPP LUN]", "[Map 3600...]". */
static const char *section_origin(struct parser *p, const struct section *s, enum mp_setting id)
{
	if (p->builtin) {
		if (s->kind == SECTION_GENERIC_ALUA)
			return MP_BUILTIN_NAME ": generic ALUA";
		return config_strf(p->cfg, MP_BUILTIN_NAME ": %s%s%s", s->vendor,
				   s->product[0] ? " " : "", s->product);
	}
	switch (s->kind) {
	case SECTION_DEVICE:
		return config_strf(p->cfg, "%s:%u [Device %s%s%s]", p->file, s->layer.line[id],
				   s->vendor, s->product[0] ? " " : "", s->product);
	case SECTION_MAP:
		return config_strf(p->cfg, "%s:%u [Map %s]", p->file, s->layer.line[id], s->wwid);
	default:
		return config_strf(p->cfg, "%s:%u [Defaults]", p->file, s->layer.line[id]);
	}
}

static int push_section(struct section **arr, size_t *n, size_t *cap, struct section *s)
{
	if (grow(arr, cap, *n, sizeof(**arr)) < 0)
		return -ENOMEM;
	(*arr)[(*n)++] = *s;
	*s = (struct section){};
	return 0;
}

/* Push a [Map] section (checked unique) and index it by WWID and alias. */
static int push_map_section(struct mp_config *cfg, struct section *s)
{
	size_t pos = cfg->n_sections;
	const char *alias = s->layer.v.alias;

	if (mp_index_add(&cfg->map_by_wwid, mp_hash_str(s->wwid), pos) < 0 ||
	    (alias && mp_index_add(&cfg->map_by_alias, mp_hash_str(alias), pos) < 0))
		return -ENOMEM;
	return push_section(&cfg->sections, &cfg->n_sections, &cfg->cap_sections, s);
}

/* A [Device] section needs Vendor=, a [Map] section WWID=. */
static int check_required_keys(struct parser *p)
{
	const struct section *s = &p->cur;

	if (s->kind == SECTION_DEVICE && !s->vendor_line) {
		p->line = s->line;
		return PARSE_ERROR(p, "[Device] section has no Vendor=");
	}
	if (s->kind == SECTION_MAP && !s->wwid_line) {
		p->line = s->line;
		return PARSE_ERROR(p, "[Map] section has no WWID=");
	}
	return 0;
}

/*
 * An FC remote port takes fast_io_fail_tmo only below its dev_loss_tmo, and
 * dev_loss_tmo above 600 s only while fast_io_fail_tmo is on: one section
 * that sets both must keep to that (a map whose two values come from
 * different sections is mended when they are applied, transport.c).
 */
static int check_fc_timeouts(struct parser *p)
{
	const struct layer *l = &p->cur.layer;
	const uint32_t both = 1u << MP_SETTING_FAST_IO_FAIL_TMO | 1u << MP_SETTING_DEV_LOSS_TMO;
	unsigned lf = l->line[MP_SETTING_FAST_IO_FAIL_TMO], ld = l->line[MP_SETTING_DEV_LOSS_TMO];
	int fast = l->v.fast_io_fail_tmo, loss = l->v.dev_loss_tmo;
	char other[48] = "", fv[16], lv[16];

	if ((l->mask & both) != both || loss == MP_TMO_UNSET || fast == MP_TMO_UNSET)
		return 0;
	/* The error is on the later line; the message names the earlier. */
	p->line = lf > ld ? lf : ld;
	if (lf != ld)
		snprintf(other, sizeof(other), " (%s= is on line %u)",
			 setting_names[lf < ld ? MP_SETTING_FAST_IO_FAIL_TMO : MP_SETTING_DEV_LOSS_TMO],
			 lf < ld ? lf : ld);
	/* The values as written: "infinity", not its number. */
	if (fast >= 0 && fast >= loss)
		return PARSE_ERROR(p, "%s=%s must be less than %s=%s%s: the kernel takes an FC "
				   "port's fast_io_fail_tmo only below its dev_loss_tmo",
				   setting_names[MP_SETTING_FAST_IO_FAIL_TMO], tmo_value(fast, fv, sizeof(fv)),
				   setting_names[MP_SETTING_DEV_LOSS_TMO], tmo_value(loss, lv, sizeof(lv)),
				   other);
	if (fast == MP_TMO_OFF && loss > MP_BLOCK_MAX_TIMEOUT)
		return PARSE_ERROR(p, "%s=%s is more than %d s with %s=%s%s: the kernel takes an FC "
				   "port's dev_loss_tmo above %d s only with fast_io_fail_tmo on",
				   setting_names[MP_SETTING_DEV_LOSS_TMO], tmo_value(loss, lv, sizeof(lv)),
				   MP_BLOCK_MAX_TIMEOUT, setting_names[MP_SETTING_FAST_IO_FAIL_TMO],
				   TMO_OFF_WORD, other, MP_BLOCK_MAX_TIMEOUT);
	return 0;
}

/* Validate the open section and add it to the config. */
static int close_section(struct parser *p)
{
	struct mp_config *cfg = p->cfg;
	struct section *s = &p->cur;
	const char *builtin_origin = NULL;
	int r;

	if (!p->in_section)
		return 0;
	p->in_section = false;

	r = check_required_keys(p);
	if (r >= 0)
		r = check_fc_timeouts(p);
	if (r < 0)
		return r;
	if (s->kind == SECTION_MAP) {
		const struct section *o = map_by_wwid(cfg, s->wwid);
		const struct section *oa = s->layer.v.alias ? map_by_alias(cfg, s->layer.v.alias) : NULL;

		/* Of two clashes the earlier section is named; in one section, the WWID's. */
		if (o && (!oa || o <= oa)) {
			p->line = s->wwid_line;
			return PARSE_ERROR(p, "duplicate [Map] section for WWID %s, "
					   "first given at %s:%u", s->wwid, o->file, o->wwid_line);
		}
		if (oa) {
			p->line = s->layer.line[MP_SETTING_ALIAS];
			return PARSE_ERROR(p, "Alias \"%s\" is already used by the [Map] "
					   "section at %s:%u", s->layer.v.alias, oa->file, oa->line);
		}
	}
	if (s->kind == SECTION_DEVICE) {
		char entry[VENDOR_LEN + PRODUCT_LEN + 3];

		/* Vendor padded (exact), product as given (a prefix): the supported-list rules. */
		snprintf(entry, sizeof(entry), "\"%-*s%s\"", VENDOR_LEN, s->vendor, s->product);
		r = mp_supported_parse_string(cfg->ctx, entry, p->file, &s->match, NULL);
		if (r < 0) {
			p->line = s->line;
			return r == -ENOMEM ? r : PARSE_ERROR(p, "invalid Vendor=/Product=");
		}
	}

	for (int id = 0; id < _MP_SETTING_MAX; id++) {
		if (!(s->layer.mask & (1u << id)))
			continue;
		if (p->builtin && builtin_origin)
			s->layer.v.origin[id] = builtin_origin;
		else
			s->layer.v.origin[id] = section_origin(p, s, id);
		if (!s->layer.v.origin[id])
			return -ENOMEM;
		if (p->builtin)
			builtin_origin = s->layer.v.origin[id];
	}

	switch (s->kind) {
	case SECTION_DEFAULTS:
		layer_merge(&cfg->defaults, &s->layer);
		section_done(s);
		*s = (struct section){};
		return 0;
	case SECTION_GENERIC_ALUA:
		layer_merge(&cfg->generic_alua, &s->layer);
		section_done(s);
		*s = (struct section){};
		return 0;
	default:
		if (p->builtin)
			return push_section(&cfg->builtin, &cfg->n_builtin, &cfg->cap_builtin, s);
		if (s->kind == SECTION_MAP)
			return push_map_section(cfg, s);
		/* [Device]: resolving a map looks at these only, not at every [Map] */
		if (grow(&cfg->devices, &cfg->cap_devices, cfg->n_devices, sizeof(*cfg->devices)) < 0)
			return -ENOMEM;
		cfg->devices[cfg->n_devices++] = cfg->n_sections;
		return push_section(&cfg->sections, &cfg->n_sections, &cfg->cap_sections, s);
	}
}

static int open_section(struct parser *p, const char *name)
{
	int r;

	r = close_section(p);
	if (r < 0)
		return r;
	for (int k = 0; k < _SECTION_KIND_MAX; k++) {
		bool allowed = p->builtin ? k == SECTION_DEVICE || k == SECTION_GENERIC_ALUA
					  : k != SECTION_GENERIC_ALUA;

		if (allowed && strcmp(name, section_names[k]) == 0) {
			p->cur = (struct section){ .kind = k, .file = p->file, .line = p->line };
			p->in_section = true;
			return 0;
		}
	}
	return PARSE_ERROR(p, "unknown section [%.*s], expected [Defaults], [Device] or [Map]",
			   MSG_VALUE_MAX, name);
}

/* One line l[0..n), without its newline. */
static int parse_line(struct parser *p, char *l, size_t n)
{
	char *eq, *key, *value;
	size_t a = 0, b = n;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)l[i] < 0x20 && l[i] != '\t' && l[i] != '\r') || l[i] == 0x7f)
			return PARSE_ERROR(p, "control character 0x%02x in column %zu",
					   (unsigned char)l[i], i + 1);
	while (a < b && is_blank(l[a]))
		a++;
	while (b > a && is_blank(l[b - 1]))
		b--;
	if (a == b || l[a] == '#' || l[a] == ';')
		return 0;
	l[b] = '\0';
	l += a;

	if (l[0] == '[') {
		char *close = strchr(l, ']');

		if (!close)
			return PARSE_ERROR(p, "missing ']' in section header");
		if (close[1] != '\0')
			return PARSE_ERROR(p, "unexpected text after section header [%.*s]",
					   (int)(close - l - 1), l + 1);
		*close = '\0';
		return open_section(p, l + 1);
	}

	eq = strchr(l, '=');
	if (!eq)
		return PARSE_ERROR(p, "expected [Section] or Key=Value, got \"%.*s\"",
				   MSG_VALUE_MAX, l);
	*eq = '\0';
	key = l;
	value = eq + 1;
	for (char *e = eq; e > key && is_blank(e[-1]); e--)
		e[-1] = '\0';
	while (is_blank(*value))
		value++;
	if (!*key)
		return PARSE_ERROR(p, "missing key before '='");
	if (!p->in_section)
		return PARSE_ERROR(p, "assignment %s= outside of a section", key);
	return parse_assignment(p, key, value);
}

static int parse_text(struct mp_config *cfg, const char *text, size_t len, const char *name,
		      bool builtin, struct mp_parse_error *err)
{
	struct parser p = { .cfg = cfg, .builtin = builtin, .err = err };
	struct mp_lines it = MP_LINES_INIT(text, len);
	const char *l;
	size_t llen;
	int r = 0;

	p.file = config_strf(cfg, "%s", name);
	if (!p.file)
		return -ENOMEM;
	/* Every exit goes through section_done(): an open [Map] section owns its WWID. */
	while (r >= 0 && mp_lines_next(&it, &l, &llen)) {
		_cleanup_free_ char *copy = strndup(l, llen);

		p.line = it.line;
		if (!copy)
			r = -ENOMEM;
		else if (strlen(copy) != llen)
			r = PARSE_ERROR(&p, "NUL character in line");
		else
			r = parse_line(&p, copy, llen);
	}
	if (r >= 0)
		r = close_section(&p);
	section_done(&p.cur);
	if (r == -ENOMEM)
		set_error(err, name, 0, "out of memory");
	return r;
}

static int config_new(struct mp_ctx *ctx, struct mp_config **ret, struct mp_parse_error *err)
{
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	const char *builtin = mp_builtin_devices_conf();
	int r;

	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return -ENOMEM;
	cfg->refcount = 1;
	cfg->ctx = mp_ctx_ref(ctx);
	compiled_defaults(&cfg->defaults);
	r = parse_text(cfg, builtin, strlen(builtin), MP_BUILTIN_NAME, true, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(cfg);
	return 0;
}

/* Returns 1 when path was read, 0 when it is missing and may be, or a negative errno. */
static int parse_file(struct mp_config *cfg, const char *path, bool may_be_missing,
		      struct mp_parse_error *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r;

	r = mp_read_file(path, CONFIG_MAX_BYTES, &text, &len);
	if (r == -ENOENT && may_be_missing)
		return 0;
	if (r == -EFBIG) {
		set_error(err, path, 0, "file is larger than %d bytes", CONFIG_MAX_BYTES);
		return r;
	}
	if (r < 0) {
		set_error(err, path, 0, "cannot read: %s", errno_text(r));
		return r;
	}
	r = parse_text(cfg, text, len, path, false, err);
	return r < 0 ? r : 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char ***names, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*names)[i]);
	free(*names);
	*names = NULL;
	*n = 0;
}

_public_ bool mp_config_dropin_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	return len > 5 && name[0] != '.' && !strchr(name, '/') &&
	       strcmp(name + len - 5, ".conf") == 0;
}

/* The *.conf names in dir, sorted; none if dir does not exist. */
static int list_dropins(const char *dir, char ***ret, size_t *ret_n, struct mp_parse_error *err)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	int r = 0;

	if (!d) {
		if (errno == ENOENT) {
			*ret = NULL;
			*ret_n = 0;
			return 0;
		}
		r = -errno;
		set_error(err, dir, 0, "cannot read directory: %s", errno_text(r));
		return r;
	}
	while ((errno = 0, de = readdir(d))) {
		char **a;

		if (!mp_config_dropin_name_valid(de->d_name))
			continue;
		a = reallocarray(names, n + 1, sizeof(*names));
		if (!a) {
			r = -ENOMEM;
			break;
		}
		names = a;
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	if (r == 0 && errno != 0) {
		r = -errno;
		set_error(err, dir, 0, "cannot read directory: %s", errno_text(r));
	}
	closedir(d);
	if (r < 0) {
		free_names(&names, &n);
		return r;
	}
	sort_array(names, n, sizeof(*names), cmp_str);
	*ret = names;
	*ret_n = n;
	return 0;
}

/*
 * mp_config_load(), with overlay_text read as if it were the drop-in
 * overlay_name (NULL: none) of dir/mpio.conf.d, in its place in the order.
 */
static int config_load(struct mp_ctx *ctx, const char *dir, const char *overlay_name,
		       const char *overlay_text, struct mp_config **ret, struct mp_parse_error *reterr)
{
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	_cleanup_free_ char *main_path = NULL, *dropin_dir = NULL;
	char **names = NULL;
	size_t n = 0;
	bool overlay_done = !overlay_name;
	int r;

	if (!ctx || !ret)
		return -EINVAL;
	if (!dir)
		dir = MP_CONFIG_DIR;
	if (asprintf(&main_path, "%s/" MP_CONFIG_MAIN_NAME, dir) < 0 ||
	    asprintf(&dropin_dir, "%s/mpio.conf.d", dir) < 0)
		return -ENOMEM;
	r = config_new(ctx, &cfg, reterr);
	if (r < 0)
		return r;
	r = parse_file(cfg, main_path, true, reterr);
	if (r < 0)
		return r;
	cfg->main_read = r > 0;
	r = list_dropins(dropin_dir, &names, &n, reterr);
	if (r < 0)
		return r;
	for (size_t i = 0; r >= 0 && (i < n || !overlay_done);) {
		_cleanup_free_ char *path = NULL;

		if (!overlay_done && (i == n || strcmp(overlay_name, names[i]) <= 0)) {
			/* the overlay's turn: it takes the place of a file of its name */
			overlay_done = true;
			if (i < n && strcmp(overlay_name, names[i]) == 0)
				i++;
			if (asprintf(&path, "%s/%s", dropin_dir, overlay_name) < 0)
				r = -ENOMEM;
			else
				r = parse_text(cfg, overlay_text, strlen(overlay_text), path, false,
					       reterr);
			continue;
		}
		if (asprintf(&path, "%s/%s", dropin_dir, names[i++]) < 0)
			r = -ENOMEM;
		else
			/* listed a moment ago: if it is gone now, skip it as if not listed */
			r = parse_file(cfg, path, true, reterr);
	}
	free_names(&names, &n);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(cfg);
	return 0;
}

_public_ int mp_config_load(struct mp_ctx *ctx, const char *dir, struct mp_config **ret,
			    struct mp_parse_error *reterr)
{
	return config_load(ctx, dir, NULL, NULL, ret, reterr);
}

_public_ int mp_config_load_overlay(struct mp_ctx *ctx, const char *dir, const char *dropin_name,
				    const char *text, struct mp_config **ret,
				    struct mp_parse_error *reterr)
{
	if (!mp_config_dropin_name_valid(dropin_name) || !text)
		return -EINVAL;
	return config_load(ctx, dir, dropin_name, text, ret, reterr);
}

_public_ int mp_config_parse_string(struct mp_ctx *ctx, const char *text, const char *name,
				    struct mp_config **ret, struct mp_parse_error *reterr)
{
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	int r;

	if (!ctx || !text || !ret)
		return -EINVAL;
	r = config_new(ctx, &cfg, reterr);
	if (r < 0)
		return r;
	r = parse_text(cfg, text, strlen(text), name ?: "<string>", false, reterr);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(cfg);
	return 0;
}

_public_ bool mp_config_read_main_file(const struct mp_config *cfg)
{
	return cfg && cfg->main_read;
}

/* ---- Resolution ---- */

static int device_matches(const struct section *s, const char *vendor, const char *product)
{
	int r = mp_supported_match(s->match, vendor, product, MP_TRANSPORT_OTHER);

	return r == -ENOENT ? 0 : r < 0 ? r : 1;
}

_public_ int mp_config_resolve(const struct mp_config *cfg, const char *vendor,
			       const char *product, const char *wwid, unsigned flags,
			       struct mp_settings *ret)
{
	struct mp_settings s;
	bool builtin_found = false;
	int r;

	if (!cfg || !vendor || !product || !ret)
		return -EINVAL;
	s = cfg->defaults.v;
	for (size_t i = 0; i < cfg->n_builtin && !builtin_found; i++) {
		r = device_matches(&cfg->builtin[i], vendor, product);
		if (r < 0)
			return r;
		if (r > 0) {
			layer_apply(&s, &cfg->builtin[i].layer);
			builtin_found = true;
		}
	}
	if (!builtin_found && (flags & MP_RESOLVE_TPGS))
		layer_apply(&s, &cfg->generic_alua);
	for (size_t i = 0; i < cfg->n_devices; i++) {
		const struct section *sec = &cfg->sections[cfg->devices[i]];

		r = device_matches(sec, vendor, product);
		if (r < 0)
			return r;
		if (r > 0)
			layer_apply(&s, &sec->layer);
	}
	if (wwid) {
		const struct section *sec = map_by_wwid(cfg, wwid);

		if (sec)
			layer_apply(&s, &sec->layer);
	}
	*ret = s;
	return 0;
}

_public_ const char *mp_config_wwid_by_alias(const struct mp_config *cfg, const char *alias)
{
	const struct section *sec;

	if (!cfg || !alias)
		return NULL;
	sec = map_by_alias(cfg, alias);
	return sec ? sec->wwid : NULL;
}

/* ---- Writing ---- */

/* The parser's section of each kind a writer may give. */
static const enum section_kind writable_kinds[_MP_CONFIG_SECTION_MAX] = {
	[MP_CONFIG_DEFAULTS] = SECTION_DEFAULTS,
	[MP_CONFIG_DEVICE] = SECTION_DEVICE,
	[MP_CONFIG_MAP] = SECTION_MAP,
};

/* Does value read back the same after "Key=": not empty, no control character, no end blank? */
static bool value_writable(const char *v)
{
	size_t n = strlen(v);

	for (const char *c = v; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	return n > 0 && !is_blank(v[0]) && !is_blank(v[n - 1]);
}

/*
 * Run the parser's own checks on a section given as values: each key as if
 * it stood on a line of its own, then the keys the section requires.
 */
static int check_section(const struct mp_config_section *s, struct mp_parse_error *err)
{
	struct mp_config scratch = { .refcount = 1 }; /* holds what the parser interns (Alias=) */
	struct parser p = { .cfg = &scratch, .file = "", .line = 1, .err = err, .in_section = true };
	const char *idents[_KEY_IDENT_MAX] = {
		[KEY_VENDOR] = s->vendor,
		[KEY_PRODUCT] = s->product,
		[KEY_WWID] = s->wwid,
	};
	int r = 0;

	if (s->kind < 0 || s->kind >= _MP_CONFIG_SECTION_MAX) {
		set_error(err, "", 0, "unknown section kind %d", (int)s->kind);
		return -EINVAL;
	}
	if ((uint64_t)s->mask >> _MP_SETTING_MAX) {
		set_error(err, "", 0, "unknown setting in mask 0x%x", s->mask);
		return -EINVAL;
	}
	p.cur = (struct section){ .kind = writable_kinds[s->kind], .line = 1 };
	for (int k = 0; k < _KEY_IDENT_MAX && r >= 0; k++) {
		if (!idents[k])
			continue;
		if (!value_writable(idents[k]))
			r = PARSE_ERROR(&p, "%s= value \"%.*s\" cannot be written: it is empty, has "
					"a control character or a blank at an end",
					ident_names[k], MSG_VALUE_MAX, idents[k]);
		else
			r = parse_assignment(&p, ident_names[k], idents[k]);
	}
	for (int id = 0; id < _MP_SETTING_MAX && r >= 0; id++) {
		char buf[MP_SETTING_VALUE_MAX];
		const char *v;

		if (!(s->mask & (1u << id)))
			continue;
		v = mp_settings_value(&s->v, id, buf, sizeof(buf));
		if (!v)
			r = PARSE_ERROR(&p, "%s= has no value", setting_names[id]);
		else if (!value_writable(v))
			r = PARSE_ERROR(&p, "%s= value \"%.*s\" cannot be written: it is empty, has "
					"a control character or a blank at an end",
					setting_names[id], MSG_VALUE_MAX, v);
		else
			r = parse_assignment(&p, setting_names[id], v);
	}
	if (r >= 0)
		r = check_required_keys(&p);
	if (r >= 0)
		r = check_fc_timeouts(&p);
	section_done(&p.cur);
	for (size_t i = 0; i < scratch.n_strings; i++)
		free(scratch.strings[i]);
	free(scratch.strings);
	return r == -EBADMSG ? -EINVAL : r;
}

_public_ int mp_config_section_check(const struct mp_config_section *s, char *errbuf, size_t len)
{
	struct mp_parse_error err = {};
	int r;

	if (!s)
		return -EINVAL;
	r = check_section(s, &err);
	if (r < 0 && errbuf && len > 0)
		snprintf(errbuf, len, "%s", r == -ENOMEM ? "out of memory" : err.msg);
	return r;
}

/*
 * Comment lines: "# " and each line of text ("#" for an empty one).
 * -EINVAL for a control character the parser refuses (all but the tab).
 */
static int write_comment(FILE *f, const char *text)
{
	if (!text)
		return 0;
	for (const char *c = text; *c; c++)
		if (((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t') || *c == 0x7f)
			return -EINVAL;
	for (const char *l = text; *l;) {
		size_t n = strcspn(l, "\n");

		fprintf(f, n ? "# %.*s\n" : "#\n", (int)n, l);
		l += n + (l[n] == '\n');
	}
	return 0;
}

static int write_section(FILE *f, const struct mp_config_section *s)
{
	const char *idents[_KEY_IDENT_MAX] = {
		[KEY_VENDOR] = s->vendor,
		[KEY_PRODUCT] = s->product,
		[KEY_WWID] = s->wwid,
	};
	int r;

	r = check_section(s, NULL);
	if (r < 0)
		return r;
	r = write_comment(f, s->comment);
	if (r < 0)
		return r;
	fprintf(f, "[%s]\n", section_names[writable_kinds[s->kind]]);
	for (int k = 0; k < _KEY_IDENT_MAX; k++)
		if (idents[k])
			fprintf(f, "%s=%s\n", ident_names[k], idents[k]);
	for (int id = 0; id < _MP_SETTING_MAX; id++) {
		char buf[MP_SETTING_VALUE_MAX];

		if (!(s->mask & (1u << id)))
			continue;
		r = write_comment(f, s->setting_comment[id]);
		if (r < 0)
			return r;
		fprintf(f, "%s=%s\n", setting_names[id], mp_settings_value(&s->v, id, buf, sizeof(buf)));
	}
	return 0;
}

_public_ int mp_config_format(const char *header, const struct mp_config_section *sections,
			      size_t n, char **ret)
{
	_cleanup_free_ char *text = NULL;
	size_t size = 0;
	FILE *f;
	int r;

	if ((n > 0 && !sections) || !ret)
		return -EINVAL;
	f = open_memstream(&text, &size);
	if (!f)
		return -ENOMEM;
	r = write_comment(f, header);
	for (size_t i = 0; i < n && r >= 0; i++) {
		if (i > 0 || header)
			fputc('\n', f);
		r = write_section(f, &sections[i]);
	}
	if (fclose(f) != 0 && r >= 0)
		r = -ENOMEM;
	if (r < 0)
		return r;
	*ret = TAKE_PTR(text);
	return 0;
}
