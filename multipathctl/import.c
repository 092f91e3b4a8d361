/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipath.conf to mpio.conf (see import.h). The keywords multipath.conf(5)
 * lists are in keywords[] below, each with where it may stand and what
 * becomes of it; mpio's keys and values come from libmp (mp_setting_*,
 * mp_settings_value(), mp_config_section_check()), never spelled here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "claim.h"
#include "import.h"
#include "literal.h"
#include "macro.h"

/* Where multipath.conf(5) allows a keyword. */
enum {
	IN_DEFAULTS = 1 << 0,
	IN_DEVICE = 1 << 1,
	IN_MULTIPATH = 1 << 2,
	IN_OVERRIDES = 1 << 3,
	IN_TOP = 1 << 4, /* a top-level section */
};
#define IN_DVMO (IN_DEFAULTS | IN_DEVICE | IN_MULTIPATH | IN_OVERRIDES)
#define IN_DVO (IN_DEFAULTS | IN_DEVICE | IN_OVERRIDES)

/* A section being converted, with where each of its settings came from. */
struct target {
	struct mp_config_section sec;
	const struct mpc_node *src[_MP_SETTING_MAX];	/* the line that set it */
	size_t note[_MP_SETTING_MAX];			/* its note + 1, 0 if none */
	const struct mpc_node *node;			/* the section it came from */
};

struct conv {
	struct import *im;
	const struct mpc_file *const *files;
	size_t n_files;
	unsigned file_idx;
	const struct mp_config *builtin;
	bool dropins_read;
	struct mp_parse_error *err;
	unsigned interval;			/* polling_interval, seconds */
	const struct mpc_node *interval_node;	/* where it is set, NULL: multipath-tools' default */
	const struct mpc_node *npr_global;	/* a no_path_retry in defaults or overrides */
	const struct mpc_node *npr_section;	/* the no_path_retry of the section being converted */
	struct target defaults;
	struct target *devices;
	size_t n_devices;
	struct target *maps;
	size_t n_maps;
};

/* ---- Strings, notes ---- */

static const char *pool_add(struct import *im, char *s)
{
	char **a;

	if (!s)
		return NULL;
	a = reallocarray(im->strings, im->n_strings + 1, sizeof(*a));
	if (!a) {
		free(s);
		return NULL;
	}
	im->strings = a;
	im->strings[im->n_strings++] = s;
	return s;
}

static const char *pool_printf(struct import *im, const char *format, ...) _printf_(2, 3);

static const char *pool_printf(struct import *im, const char *format, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, format);
	r = vasprintf(&s, format, ap);
	va_end(ap);
	return r < 0 ? NULL : pool_add(im, s);
}

struct import *import_free(struct import *im)
{
	if (!im)
		return NULL;
	for (size_t i = 0; i < im->n_notes; i++) {
		free(im->notes[i].what);
		free(im->notes[i].why);
	}
	for (size_t i = 0; i < im->n_claims; i++)
		free(im->claims[i].entry);
	for (size_t i = 0; i < im->n_strings; i++)
		free(im->strings[i]);
	free(im->notes);
	free(im->claims);
	free(im->strings);
	free(im->sections);
	free(im);
	return NULL;
}

int import_note_add(struct import *im, enum import_kind kind, unsigned file_idx, const char *file,
		    unsigned line, const char *what, const char *why)
{
	struct import_note *a, *n;

	a = reallocarray(im->notes, im->n_notes + 1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	im->notes = a;
	n = &a[im->n_notes];
	*n = (struct import_note){ .kind = kind, .file_idx = file_idx, .file = file, .line = line,
				   .seq = (unsigned)im->n_notes };
	n->what = strdup(what);
	n->why = strdup(why);
	if (!n->what || !n->why) {
		free(n->what);
		free(n->why);
		return -ENOMEM;
	}
	im->n_notes++;
	return 0;
}

/* Does a value need quotes to read back as one word? */
static bool needs_quotes(const char *v)
{
	return !*v || strpbrk(v, " \t\"#!{}");
}

/* The line of node as written, in short: `key value`, `key "a value"`. */
static char *node_text(const struct mpc_node *c)
{
	char *s;

	if (!c->value)
		return strdup(c->key);
	if (asprintf(&s, needs_quotes(c->value) ? "%s \"%s\"" : "%s %s", c->key, c->value) < 0)
		return NULL;
	return s;
}

/* The index of the file line c is in (the notes are sorted by file, then line). */
static unsigned file_index(const struct conv *cv, const struct mpc_node *c)
{
	for (size_t i = 0; i < cv->n_files; i++)
		if (cv->files[i]->path == c->file)
			return (unsigned)i;
	return cv->file_idx;
}

static int note_what(struct conv *cv, enum import_kind kind, const struct mpc_node *c,
		     const char *what, const char *format, ...) _printf_(5, 6);

/* A note on line c, about what (NULL: the line itself). */
static int note_what(struct conv *cv, enum import_kind kind, const struct mpc_node *c,
		     const char *what, const char *format, ...)
{
	_cleanup_free_ char *why = NULL, *line = NULL;
	va_list ap;
	int r;

	va_start(ap, format);
	r = vasprintf(&why, format, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	if (!what) {
		line = node_text(c);
		if (!line)
			return -ENOMEM;
		what = line;
	}
	return import_note_add(cv->im, kind, file_index(cv, c), c->file, c->line, what, why);
}

#define note(cv, kind, c, ...) note_what(cv, kind, c, NULL, __VA_ARGS__)

/* A hard error at line c: the input is not multipath.conf. -EBADMSG. */
#define conv_error(cv, c, ...)                                        \
	({                                                            \
		mpc_error((cv)->err, (c)->file, (c)->line, __VA_ARGS__); \
		-EBADMSG;                                             \
	})

/* "NoPathRetry=60": a setting of t as mpio.conf writes it. */
static const char *setting_text(struct conv *cv, const struct mp_settings *v, enum mp_setting id)
{
	char buf[MP_SETTING_VALUE_MAX];

	return pool_printf(cv->im, "%s=%s", mp_setting_to_string(id),
			   mp_settings_value(v, id, buf, sizeof(buf)) ?: "");
}

/*
 * Set setting id of t to its value in nv (a copy of t->sec.v with that field
 * changed), from line c. A value mpio.conf does not take is a note, not an
 * error; so is the earlier line a later one overrides. why: a note on the
 * conversion for the report, or NULL; aside: a shorter one for the comment
 * in the file, or NULL.
 */
static int set_setting_aside(struct conv *cv, struct target *t, enum mp_setting id,
			     const struct mp_settings *nv, const struct mpc_node *c,
			     const char *what, const char *why, const char *aside)
{
	struct mp_config_section trial = t->sec;
	_cleanup_free_ char *line = node_text(c);
	const char *comment;
	char msg[256];
	int r;

	if (!line)
		return -ENOMEM;
	/* the section as it would be: a value may clash with another (FC timeouts) */
	trial.v = *nv;
	trial.mask |= 1u << id;
	r = mp_config_section_check(&trial, msg, sizeof(msg));
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return note_what(cv, IMPORT_DROPPED, c, what, "mpio.conf would not take it: %s", msg);

	if (t->src[id]) {
		/* as in multipathd, the later line wins */
		const struct mpc_node *o = t->src[id];
		_cleanup_free_ char *ow = NULL;

		if (asprintf(&ow, "overridden by %s:%u (%s), as in multipathd", c->file, c->line,
			     line) < 0)
			return -ENOMEM;
		if (t->note[id]) {
			struct import_note *n = &cv->im->notes[t->note[id] - 1];

			free(n->why);
			n->why = TAKE_PTR(ow);
			n->kind = IMPORT_DROPPED;
		} else {
			r = note_what(cv, IMPORT_DROPPED, o, NULL, "%s", ow);
			if (r < 0)
				return r;
		}
	}
	t->sec.v = *nv;
	t->sec.mask |= 1u << id;
	t->src[id] = c;
	t->note[id] = 0;
	comment = pool_printf(cv->im, "%s:%u: %s%s%s%s", c->file, c->line, what ?: line,
			      aside ? " (" : "", aside ?: "", aside ? ")" : "");
	if (!comment)
		return -ENOMEM;
	t->sec.setting_comment[id] = comment;
	if (why) {
		r = note_what(cv, IMPORT_CHANGED, c, what, "%s: %s", setting_text(cv, nv, id), why);
		if (r < 0)
			return r;
		t->note[id] = cv->im->n_notes;
	}
	return 0;
}

static int set_setting(struct conv *cv, struct target *t, enum mp_setting id,
		       const struct mp_settings *nv, const struct mpc_node *c, const char *what,
		       const char *why)
{
	return set_setting_aside(cv, t, id, nv, c, what, why, NULL);
}

/* ---- Words of multipath.conf and what they are in mpio ---- */

/*
 * The values of path_grouping_policy, path_selector, hardware_handler and
 * path_checker are mostly mpio's own words (the kernel's, for selectors and
 * handlers): those are looked up in libmp's tables, spelled exactly (multipathd
 * compares them case-sensitively). The words below are multipath.conf's
 * others: what they become, or why nothing.
 */
struct word {
	const char *mpt;	/* multipath-tools' word */
	int value;		/* mpio's enum value, or -1: none */
	const char *why;	/* a note on the mapping, or why there is none */
};

static const struct word *word_find(const struct word *words, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i].mpt, s) == 0)
			return &words[i];
	return NULL;
}

static const struct word pg_policy_words[] = {
	{ "group_by_node_name", -1, "mpio cannot group paths by target node name" },
};

static const struct word checker_words[] = {
	{ "readsector0", MP_CHECKER_DIRECTIO,
	  "readsector0 reads the first sector, as directio does (with O_DIRECT)" },
	{ "emc_clariion", -1, "mpio has no EMC CLARiiON checker: tur or directio check these arrays" },
	{ "hp_sw", -1, "mpio has no hp_sw checker" },
	{ "rdac", -1, "mpio has no RDAC checker" },
	{ "cciss_tur", -1, "mpio handles SCSI disks only, not HP Smart Array (cciss) devices" },
	{ "rbd", -1, "mpio handles SCSI disks only, not Ceph RBD devices" },
};

static const struct word hw_handler_words[] = {
	{ "ana", -1, "ANA is NVMe's: mpio handles SCSI disks only" },
};

/* failback's words (multipath.conf(5)); its numbers are seconds. */
static const struct word failback_words[] = {
	{ "immediate", MP_FAILBACK_IMMEDIATE, NULL },
	{ "manual", MP_FAILBACK_MANUAL, NULL },
	{ "followover", MP_FAILBACK_FOLLOWOVER, NULL },
};

/* mpio's value of setting id spelled word exactly, or -1. */
static int mpio_word(enum mp_setting id, const char *word)
{
	int v;
	const char *back;

	switch (id) {
	case MP_SETTING_PG_POLICY:
		v = mp_pg_policy_from_string(word);
		back = mp_pg_policy_to_string(v);
		break;
	case MP_SETTING_SELECTOR:
		v = mp_selector_from_string(word);
		back = mp_selector_to_string(v);
		break;
	case MP_SETTING_HW_HANDLER:
		v = mp_hw_handler_from_string(word);
		back = mp_hw_handler_to_string(v);
		break;
	case MP_SETTING_CHECKER:
		v = mp_checker_type_from_string(word);
		back = mp_checker_type_to_string(v);
		break;
	default:
		return -1;
	}
	return back && strcmp(back, word) == 0 ? v : -1;
}

/* A whole decimal number > 0 (multipathd's numbers are atoi()'s; this takes digits only). */
static bool parse_count(const char *s, unsigned max, unsigned *ret)
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
	*ret = (unsigned)v;
	return true;
}

/* The words of a value ("service-time 0"), in place; at most max. */
static size_t split_words(char *s, char **words, size_t max)
{
	size_t n = 0;

	for (char *p = strtok(s, " \t"); p && n < max; p = strtok(NULL, " \t"))
		words[n++] = p;
	return n;
}

/* ---- Keyword converters ---- */

typedef int (*convert_fn)(struct conv *cv, struct target *t, const struct mpc_node *c);

static int conv_polling_interval(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	struct mp_settings nv = t->sec.v;

	if (!parse_count(c->value, 1000000, &nv.check_interval) || nv.check_interval == 0)
		return note(cv, IMPORT_DROPPED, c, "not a number of seconds above 0");
	return set_setting(cv, t, MP_SETTING_CHECK_INTERVAL, &nv, c, NULL, NULL);
}

static int conv_word(struct conv *cv, struct target *t, const struct mpc_node *c,
		     enum mp_setting id, const struct word *words, size_t n, const char *word,
		     const char *extra_why)
{
	const struct word *w = word_find(words, n, word);
	struct mp_settings nv = t->sec.v;
	int v = w ? w->value : mpio_word(id, word);

	if (w && v < 0)
		return note(cv, IMPORT_DROPPED, c, "%s", w->why);
	if (v < 0)
		return note(cv, IMPORT_DROPPED, c, "mpio has no %s \"%s\"", mp_setting_to_string(id),
			    word);
	switch (id) {
	case MP_SETTING_PG_POLICY:
		nv.pg_policy = v;
		break;
	case MP_SETTING_SELECTOR:
		nv.selector = v;
		break;
	case MP_SETTING_CHECKER:
		nv.checker = v;
		break;
	case MP_SETTING_HW_HANDLER:
		nv.hw_handler = v;
		break;
	default:
		return -EINVAL;
	}
	return set_setting(cv, t, id, &nv, c, NULL, (w ? w->why : NULL) ?: extra_why);
}

static int conv_pg_policy(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	return conv_word(cv, t, c, MP_SETTING_PG_POLICY, pg_policy_words,
			 ARRAY_SIZE(pg_policy_words), c->value, NULL);
}

static int conv_checker(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	return conv_word(cv, t, c, MP_SETTING_CHECKER, checker_words, ARRAY_SIZE(checker_words),
			 c->value, NULL);
}

/* "service-time 0": the selector, then the count of its arguments, which mpio does not give. */
static int conv_selector(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	_cleanup_free_ char *v = strdup(c->value);
	char *w[3];
	size_t n;
	unsigned nargs = 0;

	if (!v)
		return -ENOMEM;
	n = split_words(v, w, ARRAY_SIZE(w));
	if (n == 0)
		return note(cv, IMPORT_DROPPED, c, "no selector named");
	if (n > 1 && !parse_count(w[1], 100, &nargs))
		return note(cv, IMPORT_DROPPED, c, "expected a selector and the count of its "
			    "arguments, as \"service-time 0\"");
	return conv_word(cv, t, c, MP_SETTING_SELECTOR, NULL, 0, w[0],
			 nargs > 0 ? "its arguments are not carried over: mpio gives the "
				     "selector none" : NULL);
}

/* "1 alua": the count of words, then the handler and its arguments; "0": none. */
static int conv_hw_handler(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	_cleanup_free_ char *v = strdup(c->value);
	struct mp_settings nv = t->sec.v;
	char *w[3];
	size_t n;
	unsigned count;

	if (!v)
		return -ENOMEM;
	n = split_words(v, w, ARRAY_SIZE(w));
	if (n == 0 || !parse_count(w[0], 100, &count) || (count > 0 && n < 2))
		return note(cv, IMPORT_DROPPED, c, "expected the count of words, then the handler, "
			    "as \"1 alua\", or \"0\"");
	if (count == 0) {
		nv.hw_handler = MP_HW_HANDLER_NONE;
		return set_setting(cv, t, MP_SETTING_HW_HANDLER, &nv, c, NULL, NULL);
	}
	return conv_word(cv, t, c, MP_SETTING_HW_HANDLER, hw_handler_words,
			 ARRAY_SIZE(hw_handler_words), w[1],
			 n > 2 ? "its arguments are not carried over: mpio gives the handler "
				 "none" : NULL);
}

static int conv_failback(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	const struct word *w = word_find(failback_words, ARRAY_SIZE(failback_words), c->value);
	struct mp_settings nv = t->sec.v;

	nv.failback_secs = 0;
	if (w)
		nv.failback = w->value;
	else if (parse_count(c->value, 1000000, &nv.failback_secs) && nv.failback_secs > 0)
		nv.failback = MP_FAILBACK_DEFERRED; /* seconds in both */
	else
		return note(cv, IMPORT_DROPPED, c, "not a value multipathd takes: immediate, manual, "
			    "followover or seconds above 0");
	return set_setting(cv, t, MP_SETTING_FAILBACK, &nv, c, NULL, NULL);
}

/* Where the polling interval a count of checks is multiplied by came from. */
static const char *interval_origin(struct conv *cv)
{
	if (!cv->interval_node)
		return pool_printf(cv->im, "multipath-tools' default polling_interval %u s",
				   cv->interval);
	return pool_printf(cv->im, "polling_interval %u s from %s:%u", cv->interval,
			   cv->interval_node->file, cv->interval_node->line);
}

/*
 * no_path_retry N counts the checker's rounds while no path is left, one
 * every polling_interval: NoPathRetry= counts seconds. "fail" or 0: fail;
 * "queue": queue.
 */
static int conv_no_path_retry(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	struct mp_settings nv = t->sec.v;
	const char *why = NULL, *aside = NULL;
	unsigned n;

	nv.no_path_timeout = 0;
	if (strcmp(c->value, "queue") == 0)
		nv.no_path_retry = MP_NO_PATH_QUEUE;
	else if (strcmp(c->value, "fail") == 0 || strcmp(c->value, "0") == 0)
		nv.no_path_retry = MP_NO_PATH_FAIL;
	else if (parse_count(c->value, 1000000, &n) && n > 0) {
		const char *origin = interval_origin(cv);

		if (!origin)
			return -ENOMEM;
		nv.no_path_retry = MP_NO_PATH_TIMEOUT;
		nv.no_path_timeout = n * cv->interval;
		why = pool_printf(cv->im, "no_path_retry counts checker intervals, NoPathRetry= "
				  "seconds: %u x %s = %u s", n, origin, nv.no_path_timeout);
		aside = pool_printf(cv->im, "%u checker intervals of %u s", n, cv->interval);
		if (!why || !aside)
			return -ENOMEM;
	} else
		return note(cv, IMPORT_DROPPED, c, "not a value multipathd takes: queue, fail or a "
			    "number of retries above 0");
	return set_setting_aside(cv, t, MP_SETTING_NO_PATH_RETRY, &nv, c, NULL, why, aside);
}

static int conv_user_friendly_names(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	struct mp_settings nv = t->sec.v;

	if (strcmp(c->value, "yes") == 0 || strcmp(c->value, "1") == 0)
		nv.user_friendly_names = true;
	else if (strcmp(c->value, "no") == 0 || strcmp(c->value, "0") == 0)
		nv.user_friendly_names = false;
	else
		return note(cv, IMPORT_DROPPED, c, "not a value multipathd takes: yes or no");
	if (nv.user_friendly_names)
		cv->im->friendly_names = true;
	return set_setting(cv, t, MP_SETTING_USER_FRIENDLY_NAMES, &nv, c, NULL, NULL);
}

/*
 * The transport timeouts and max_sectors_kb: multipath.conf's numbers and
 * words are mpio's ("off", "infinity"), but for max_sectors_kb 0, which
 * multipathd reads as not set. multipathd writes fast_io_fail_tmo to the
 * recovery_tmo of iSCSI sessions too (not "off" nor 0): mpio's
 * IscsiRecoveryTimeout= follows it, and is unset where multipathd leaves
 * the sessions alone (its default would write 5 there).
 */
static int conv_transport(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	static const struct {
		const char *keyword;
		enum mp_setting id;
		bool off, infinity;
		unsigned max;
	} forms[] = {
		{ "fast_io_fail_tmo", MP_SETTING_FAST_IO_FAIL_TMO, true, false, 1000000 },
		{ "dev_loss_tmo", MP_SETTING_DEV_LOSS_TMO, false, true, MP_DEV_LOSS_INFINITY },
		{ "eh_deadline", MP_SETTING_EH_DEADLINE, true, false, 1000000 },
		{ "max_sectors_kb", MP_SETTING_MAX_SECTORS_KB, false, false, 100000000 },
	};
	struct mp_settings nv = t->sec.v;
	unsigned n;
	int v, r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(forms) && strcmp(forms[i].keyword, c->key) != 0; i++)
		;
	if (i == ARRAY_SIZE(forms))
		return -EINVAL;
	if (forms[i].off && strcmp(c->value, "off") == 0)
		v = MP_TMO_OFF;
	else if (forms[i].infinity && strcmp(c->value, "infinity") == 0)
		v = MP_DEV_LOSS_INFINITY;
	else if (parse_count(c->value, forms[i].max, &n))
		v = forms[i].id == MP_SETTING_MAX_SECTORS_KB && n == 0 ? MP_TMO_UNSET : (int)n;
	else
		return note(cv, IMPORT_DROPPED, c, "not a value multipathd takes: %s",
			    forms[i].off ? "off or seconds" : forms[i].infinity ?
			    "infinity or seconds" : "KiB");
	switch (forms[i].id) {
	case MP_SETTING_FAST_IO_FAIL_TMO:
		nv.fast_io_fail_tmo = v;
		break;
	case MP_SETTING_DEV_LOSS_TMO:
		nv.dev_loss_tmo = v;
		break;
	case MP_SETTING_EH_DEADLINE:
		nv.eh_deadline = v;
		break;
	default:
		nv.max_sectors_kb = v;
		break;
	}
	r = set_setting(cv, t, forms[i].id, &nv, c, NULL,
			v == MP_TMO_UNSET ? "multipathd reads 0 as not set" : NULL);
	if (r < 0 || forms[i].id != MP_SETTING_FAST_IO_FAIL_TMO || !(t->sec.mask & (1u << forms[i].id)))
		return r;
	nv = t->sec.v;
	nv.iscsi_recovery_tmo = v > 0 ? v : MP_TMO_UNSET;
	return set_setting(cv, t, MP_SETTING_ISCSI_RECOVERY_TMO, &nv, c, NULL,
			   v > 0 ? "multipathd writes fast_io_fail_tmo to iSCSI sessions' "
				   "recovery_tmo too" :
				   "multipathd leaves iSCSI sessions alone then");
}

/*
 * features "N f1 f2 arg ...": queue_if_no_path (unless a no_path_retry
 * applies, which multipathd prefers), pg_init_retries N, pg_init_delay_msecs N.
 */
static int conv_features(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	_cleanup_free_ char *v = strdup(c->value);
	char *w[32];
	size_t n;
	unsigned count;
	int r = 0;

	if (!v)
		return -ENOMEM;
	n = split_words(v, w, ARRAY_SIZE(w));
	if (n == 0 || !parse_count(w[0], 100, &count))
		return note(cv, IMPORT_DROPPED, c, "expected the count of words, then the features, "
			    "as \"1 queue_if_no_path\"");
	if (count != n - 1) {
		r = note(cv, IMPORT_CHANGED, c, "the count %u does not match the %zu words after "
			 "it: all of them are read", count, n - 1);
		if (r < 0)
			return r;
	}
	for (size_t i = 1; i < n && r >= 0; i++) {
		struct mp_settings nv = t->sec.v;
		_cleanup_free_ char *what = NULL;
		bool retries = strcmp(w[i], "pg_init_retries") == 0;
		bool with_arg = retries || strcmp(w[i], "pg_init_delay_msecs") == 0 ||
				strcmp(w[i], "queue_mode") == 0;
		const char *arg_text = with_arg && i + 1 < n ? w[i + 1] : NULL;
		unsigned arg;

		/* the feature and its argument, for the report */
		if (asprintf(&what, "features: %s%s%s", w[i], arg_text ? " " : "", arg_text ?: "") < 0)
			return -ENOMEM;
		if (strcmp(w[i], "queue_if_no_path") == 0) {
			const struct mpc_node *npr = cv->npr_section ?: cv->npr_global;

			if (npr) {
				r = note_what(cv, IMPORT_DROPPED, c, what, "the no_path_retry of "
					      "%s:%u takes precedence, as in multipathd", npr->file,
					      npr->line);
				continue;
			}
			nv.no_path_retry = MP_NO_PATH_QUEUE;
			nv.no_path_timeout = 0;
			r = set_setting(cv, t, MP_SETTING_NO_PATH_RETRY, &nv, c, what,
					"multipathd prefers a no_path_retry that applies to the "
					"map from any other section or its built-in table: check "
					"`multipathctl show config`");
		} else if (retries || strcmp(w[i], "pg_init_delay_msecs") == 0) {
			if (i + 1 >= n || !parse_count(w[i + 1], 1000000, &arg)) {
				r = note_what(cv, IMPORT_DROPPED, c, what, "a number must follow it");
				continue;
			}
			if (retries)
				nv.pg_init_retries = arg;
			else
				nv.pg_init_delay_msecs = (int)arg;
			r = set_setting(cv, t, retries ? MP_SETTING_PG_INIT_RETRIES
						       : MP_SETTING_PG_INIT_DELAY_MSEC,
					&nv, c, what, NULL);
			i++;
		} else if (strcmp(w[i], "queue_mode") == 0) {
			r = note_what(cv, IMPORT_DROPPED, c, what, "mpio does not set queue_mode: its "
				      "maps run in the mpio target's own mode");
			i++;
		} else if (strcmp(w[i], "retain_attached_hw_handler") == 0)
			r = note_what(cv, IMPORT_SAME, c, what, "mpio keeps a handler the kernel "
				      "attached");
		else
			r = note_what(cv, IMPORT_DROPPED, c, what, "mpio has no such feature");
	}
	return r;
}

/* Keywords that are a note only, depending on their value. */

static bool is_off(const char *v)
{
	return strcmp(v, "no") == 0 || strcmp(v, "0") == 0 || strcmp(v, "off") == 0;
}

static bool is_yes(const char *v)
{
	return strcmp(v, "yes") == 0 || strcmp(v, "1") == 0;
}

static int conv_shaky(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	if (is_off(c->value))
		return note(cv, IMPORT_SAME, c, "off, and mpio has no such detection either");
	return note(cv, IMPORT_DROPPED, c, "mpio has no detection of shaky (marginal) paths");
}

static int conv_prio(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	if (strcmp(c->value, "alua") == 0 || strcmp(c->value, "sysfs") == 0)
		return note(cv, IMPORT_SAME, c, "mpio ranks paths by their ALUA state, as this "
			    "prioritizer does (PathGroupingPolicy=group_by_prio)");
	if (strcmp(c->value, "const") == 0)
		return note(cv, IMPORT_SAME, c, "mpio ranks the paths of a device without ALUA "
			    "alike, as this prioritizer does");
	return note(cv, IMPORT_DROPPED, c, "mpio ranks paths by their ALUA state only: it has no "
		    "\"%s\" prioritizer", c->value);
}

/* A keyword that needs no setting when it has the value same (what mpio does), else dropped. */
struct valued {
	const char *name;
	bool (*same)(const char *value);
	const char *same_why, *dropped_why;
};

static bool is_mpath(const char *v)
{
	return strcmp(v, "mpath") == 0;
}

static bool is_uniform(const char *v)
{
	return strcmp(v, "uniform") == 0;
}

static bool is_none(const char *v)
{
	return strcmp(v, "NONE") == 0;
}

static bool is_empty(const char *v)
{
	return !*v;
}

static bool is_never(const char *v)
{
	return strcmp(v, "never") == 0;
}

static const struct valued valued[] = {
	{ "alias_prefix", is_mpath, "mpio names maps mpath<letters> too",
	     "mpio names new maps mpath<letters>; names already in the bindings file are kept "
	     "whatever their prefix" },
	{ "rr_weight", is_uniform, "mpio weighs the paths of round-robin alike",
	     "mpio has no priority weights for round-robin" },
	{ "retain_attached_hw_handler", is_yes, "mpio keeps a handler the kernel attached",
	     "mpio always keeps a handler the kernel attached (as kernels since 4.3 do)" },
	{ "detect_prio", is_yes, "mpio ranks paths by their ALUA state where the device has one",
	     "mpio always ranks paths by their ALUA state where the device has one" },
	{ "detect_checker", is_yes, "mpio checks with tur unless PathChecker= says otherwise",
	     "no counterpart: mpio checks with tur unless PathChecker= says otherwise" },
	{ "detect_pgpolicy", is_yes,
	     "mpio's built-in device table and its generic ALUA entry group ALUA devices by their "
	     "state (group_by_prio)",
	     "no counterpart: mpio's generic ALUA entry groups ALUA devices by their state" },
	{ "detect_pgpolicy_use_tpg", is_off, "off, as in mpio",
	     "no counterpart: set PathGroupingPolicy=group_by_tpg where it is wanted" },
	{ "deferred_remove", is_yes, "mpiod removes an open map with a deferred remove",
	     "mpiod always removes an open map with a deferred remove" },
	{ "skip_kpartx", is_off, "kpartx's udev rules map the partitions of mpio's maps",
	     "no counterpart: kpartx's udev rules map the partitions of every map" },
	{ "enable_foreign", is_none, "mpio has no foreign libraries either",
	     "mpio handles SCSI disks only (no NVMe native multipath)" },
	{ "auto_resize", is_never, "mpio does not resize maps on its own either",
	     "mpio does not resize maps on its own" },
	{ "recheck_wwid", is_off, "off, as in mpio", "no counterpart in mpio" },
	{ "ghost_delay", is_off, "off, as in mpio", "no counterpart in mpio" },
	{ "prio_args", is_empty, "none given",
	  "mpio's ranking by ALUA state takes no arguments" },
};

static int conv_valued(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(valued); i++)
		if (strcmp(valued[i].name, c->key) == 0)
			return valued[i].same(c->value)
				       ? note(cv, IMPORT_SAME, c, "%s", valued[i].same_why)
				       : note(cv, IMPORT_DROPPED, c, "%s", valued[i].dropped_why);
	return -EINVAL;
}

static int conv_bindings_file(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	cv->im->bindings_file = pool_printf(cv->im, "%s", c->value);
	if (!cv->im->bindings_file)
		return -ENOMEM;
	return note(cv, IMPORT_DROPPED, c, "mpio keeps its names in the bindings file of its "
		    "configuration directory: see the bindings note");
}

static int conv_config_dir(struct conv *cv, struct target *t, const struct mpc_node *c)
{
	if (cv->file_idx > 0)
		return note(cv, IMPORT_DROPPED, c, "only the main file's config_dir counts");
	if (c->value[0] != '/')
		return note(cv, IMPORT_DROPPED, c, "not an absolute path: no drop-ins read");
	if (!cv->dropins_read)
		return note(cv, IMPORT_SAME, c, "its drop-ins are not read (they are in `multipathd "
			    "show config` output already, or --no-dropins)");
	return note(cv, IMPORT_SAME, c, "its *.conf files are read after this file, in the "
		    "order of their names, as multipathd does");
}

/* ---- The keywords of multipath.conf(5) ---- */

#define WWID_WHY \
	"mpio reads the WWID from SCSI VPD page 0x83 (0x80 as a fallback) itself, not from udev"
#define OBSOLETE_WHY "obsolete: multipath-tools ignores it too"
#define PR_WHY "mpio has no persistent reservation support (mpathpersist)"
#define NO_COUNTERPART "no counterpart in mpio"
#define NODE_WHY "mpio leaves the map's device node to udev"

struct keyword {
	const char *name;
	unsigned where;
	convert_fn convert;	/* NULL: a note of kind with why */
	enum import_kind kind;
	const char *why;
};

#define CONVERT(name, where, fn) { name, where, fn, IMPORT_CHANGED, NULL }
#define NOTE(name, where, kind, why) { name, where, NULL, kind, why }

static const struct keyword keywords[] = {
	/* carried over */
	CONVERT("polling_interval", IN_DEFAULTS, conv_polling_interval),
	CONVERT("path_grouping_policy", IN_DVMO, conv_pg_policy),
	CONVERT("path_selector", IN_DVMO, conv_selector),
	CONVERT("path_checker", IN_DVO, conv_checker),
	CONVERT("checker", IN_DVO, conv_checker),
	CONVERT("hardware_handler", IN_DEVICE, conv_hw_handler),
	CONVERT("failback", IN_DVMO, conv_failback),
	CONVERT("no_path_retry", IN_DVMO, conv_no_path_retry),
	CONVERT("features", IN_DVMO, conv_features),
	CONVERT("user_friendly_names", IN_DVMO, conv_user_friendly_names),
	CONVERT("fast_io_fail_tmo", IN_DVO, conv_transport),
	CONVERT("dev_loss_tmo", IN_DVO, conv_transport),
	CONVERT("eh_deadline", IN_DVO, conv_transport),
	CONVERT("max_sectors_kb", IN_DVMO, conv_transport),
	/* a note, by value */
	CONVERT("prio", IN_DVMO, conv_prio),
	CONVERT("alias_prefix", IN_DVO, conv_valued),
	CONVERT("rr_weight", IN_DVMO, conv_valued),
	CONVERT("retain_attached_hw_handler", IN_DVO, conv_valued),
	CONVERT("detect_prio", IN_DVO, conv_valued),
	CONVERT("detect_checker", IN_DVO, conv_valued),
	CONVERT("detect_pgpolicy", IN_DVO, conv_valued),
	CONVERT("detect_pgpolicy_use_tpg", IN_DVO, conv_valued),
	CONVERT("deferred_remove", IN_DVMO, conv_valued),
	CONVERT("skip_kpartx", IN_DVMO, conv_valued),
	CONVERT("enable_foreign", IN_DEFAULTS, conv_valued),
	CONVERT("auto_resize", IN_DEFAULTS, conv_valued),
	CONVERT("recheck_wwid", IN_DVO, conv_valued),
	CONVERT("ghost_delay", IN_DVMO, conv_valued),
	CONVERT("san_path_err_threshold", IN_DVMO, conv_shaky),
	CONVERT("san_path_err_forget_rate", IN_DVMO, conv_shaky),
	CONVERT("san_path_err_recovery_time", IN_DVMO, conv_shaky),
	CONVERT("marginal_path_err_sample_time", IN_DVMO, conv_shaky),
	CONVERT("marginal_path_err_rate_threshold", IN_DVMO, conv_shaky),
	CONVERT("marginal_path_err_recheck_gap_time", IN_DVMO, conv_shaky),
	CONVERT("marginal_path_double_failed_time", IN_DVMO, conv_shaky),
	CONVERT("delay_watch_checks", IN_DVMO, conv_shaky),
	CONVERT("delay_wait_checks", IN_DVMO, conv_shaky),
	CONVERT("marginal_pathgroups", IN_DEFAULTS, conv_shaky),
	CONVERT("bindings_file", IN_DEFAULTS, conv_bindings_file),
	CONVERT("config_dir", IN_DEFAULTS, conv_config_dir),
	/* needs nothing */
	NOTE("multipath_dir", IN_DEFAULTS, IMPORT_SAME, OBSOLETE_WHY),
	NOTE("pg_timeout", IN_DVMO, IMPORT_SAME, OBSOLETE_WHY),
	NOTE("getuid_callout", IN_DVO, IMPORT_SAME, OBSOLETE_WHY),
	NOTE("disable_changed_wwids", IN_DEFAULTS, IMPORT_SAME, OBSOLETE_WHY),
	/* not carried over */
	NOTE("verbosity", IN_DEFAULTS, IMPORT_DROPPED,
	     "mpiod's log level is an option of its own (mpiod -v, -q)"),
	NOTE("max_polling_interval", IN_DEFAULTS, IMPORT_DROPPED,
	     "mpiod checks usable paths a fixed factor less often than failed ones (mpiod(8))"),
	NOTE("reassign_maps", IN_DEFAULTS, IMPORT_DROPPED,
	     "mpio never reassigns other device-mapper maps"),
	NOTE("uid_attrs", IN_DEFAULTS, IMPORT_DROPPED, WWID_WHY),
	NOTE("uid_attribute", IN_DVO, IMPORT_DROPPED, WWID_WHY),
	CONVERT("prio_args", IN_DVMO, conv_valued),
	NOTE("rr_min_io", IN_DVMO, IMPORT_DROPPED, "mpio gives every path a repeat count of 1"),
	NOTE("rr_min_io_rq", IN_DVMO, IMPORT_DROPPED, "mpio gives every path a repeat count of 1"),
	NOTE("max_fds", IN_DEFAULTS, IMPORT_DROPPED, NO_COUNTERPART),
	NOTE("queue_without_daemon", IN_DEFAULTS, IMPORT_DROPPED,
	     "mpio keeps queueing as configured when mpiod stops, and turns it off when the "
	     "system shuts down (mpiod(8))"),
	NOTE("checker_timeout", IN_DEFAULTS, IMPORT_DROPPED,
	     "mpiod's checker timeout is fixed (mpiod(8))"),
	NOTE("flush_on_last_del", IN_DVMO, IMPORT_DROPPED,
	     "no counterpart: a map that lost its last path queues as NoPathRetry= says and is "
	     "removed after RemoveTimeout= seconds"),
	NOTE("mode", IN_DEFAULTS | IN_MULTIPATH, IMPORT_DROPPED, NODE_WHY),
	NOTE("uid", IN_DEFAULTS | IN_MULTIPATH, IMPORT_DROPPED, NODE_WHY),
	NOTE("gid", IN_DEFAULTS | IN_MULTIPATH, IMPORT_DROPPED, NODE_WHY),
	NOTE("wwids_file", IN_DEFAULTS, IMPORT_DROPPED,
	     "mpio keeps no WWIDs file: supported-devices says which devices it takes"),
	NOTE("prkeys_file", IN_DEFAULTS, IMPORT_DROPPED, PR_WHY),
	NOTE("reservation_key", IN_DEFAULTS | IN_MULTIPATH, IMPORT_DROPPED, PR_WHY),
	NOTE("all_tg_pt", IN_DVO, IMPORT_DROPPED, PR_WHY),
	NOTE("log_checker_err", IN_DEFAULTS, IMPORT_DROPPED, NO_COUNTERPART),
	NOTE("force_sync", IN_DEFAULTS, IMPORT_DROPPED,
	     "no counterpart: mpiod's checks run beside its event loop, in threads"),
	NOTE("strict_timing", IN_DEFAULTS, IMPORT_DROPPED, NO_COUNTERPART),
	NOTE("partition_delimiter", IN_DEFAULTS, IMPORT_DROPPED,
	     "kpartx names the partitions of mpio's maps NAME-partN: no setting"),
	NOTE("uxsock_timeout", IN_DEFAULTS, IMPORT_DROPPED,
	     "multipathctl talks to mpiod over D-Bus: no socket timeout"),
	NOTE("retrigger_tries", IN_DEFAULTS, IMPORT_DROPPED, NO_COUNTERPART),
	NOTE("retrigger_delay", IN_DEFAULTS, IMPORT_DROPPED, NO_COUNTERPART),
	NOTE("missing_uev_wait_timeout", IN_DEFAULTS, IMPORT_DROPPED, NO_COUNTERPART),
	NOTE("remove_retries", IN_DEFAULTS, IMPORT_DROPPED, NO_COUNTERPART),
	NOTE("allow_usb_devices", IN_DEFAULTS, IMPORT_DROPPED,
	     "mpio takes the devices supported-devices lists, on any bus"),
	NOTE("vpd_vendor", IN_DEVICE, IMPORT_DROPPED, NO_COUNTERPART),
};

/*
 * ---- Not carried over yet: which devices mpio takes ----
 *
 * multipath-tools takes every device its deny-list (blacklist, less
 * blacklist_exceptions) and find_multipaths let through, with overrides
 * above its device table. mpio takes the devices supported-devices lists,
 * with no deny-list, no single-path policy and no overrides section yet:
 * when it has them, their mapping goes here, and only here.
 */
struct pending {
	const char *name;
	unsigned where;
	const char *why;
};

static const struct pending pending[] = {
	{ "blacklist", IN_TOP,
	     "mpio has no deny-list yet: it takes only the devices supported-devices lists" },
	{ "blacklist_exceptions", IN_TOP,
	     "mpio has no deny-list yet: the devices to take go in supported-devices" },
	{ "overrides", IN_TOP,
	     "mpio has no overrides section yet ([Defaults] does not override its built-in device "
	     "table: a [Device] section does)" },
	{ "find_multipaths", IN_DEFAULTS,
	     "mpio has no such policy yet: it takes every device supported-devices lists, with one "
	     "path or more" },
	{ "find_multipaths_timeout", IN_DEFAULTS,
	     "mpio has no find_multipaths policy yet" },
	{ "product_blacklist", IN_DEVICE,
	     "mpio has no deny-list yet: it takes only the devices supported-devices lists" },
};

static const struct pending *pending_find(const char *name, unsigned where)
{
	for (size_t i = 0; i < ARRAY_SIZE(pending); i++)
		if (strcmp(pending[i].name, name) == 0 && (pending[i].where & where))
			return &pending[i];
	return NULL;
}

/*
 * Every line of c (a section: each line in it, a keyword: itself) but skip
 * as not carried over, for why.
 */
static int drop_but(struct conv *cv, const struct mpc_node *c, const struct mpc_node *skip,
		    const char *why)
{
	int r = 0;

	if (c == skip)
		return 0;
	if (!c->section || c->n_children == 0)
		return note(cv, IMPORT_DROPPED, c, "%s", why);
	for (size_t i = 0; i < c->n_children && r >= 0; i++)
		r = drop_but(cv, &c->children[i], skip, why);
	return r;
}

static int drop_all(struct conv *cv, const struct mpc_node *c, const char *why)
{
	return drop_but(cv, c, NULL, why);
}

static const struct keyword *keyword_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
		if (strcmp(keywords[i].name, name) == 0)
			return &keywords[i];
	return NULL;
}

static const char *where_name(unsigned where)
{
	return where == IN_DEFAULTS ? "defaults" : where == IN_DEVICE ? "device" : "multipath";
}

/* The attributes of section sec (defaults, a device, a multipath) into t; idents are skipped. */
static int convert_attrs(struct conv *cv, const struct mpc_node *sec, unsigned where,
			 struct target *t, const char *const *idents)
{
	int r = 0;

	cv->npr_section = NULL;
	for (size_t i = 0; i < sec->n_children; i++) {
		const struct mpc_node *c = &sec->children[i];

		if (!c->section && c->value && strcmp(c->key, "no_path_retry") == 0)
			cv->npr_section = c;
	}
	for (size_t i = 0; i < sec->n_children && r >= 0; i++) {
		const struct mpc_node *c = &sec->children[i];
		const struct keyword *kw;
		const struct pending *pd;
		bool ident = false;

		if (c->section)
			return conv_error(cv, c, "unknown section \"%s\" in %s: %s has no sections",
					  c->key, sec->key, sec->key);
		for (const char *const *id = idents; id && *id; id++)
			ident = ident || strcmp(*id, c->key) == 0;
		if (ident)
			continue;
		if (c->extra) {
			r = note(cv, IMPORT_SAME, c, "the words after its value, \"%s\", are ignored, "
				 "as multipathd does", c->extra);
			if (r < 0)
				return r;
		}
		pd = pending_find(c->key, where);
		kw = keyword_find(c->key);
		if (pd)
			r = drop_all(cv, c, pd->why);
		else if (!kw)
			r = note(cv, IMPORT_DROPPED, c, "not a keyword of multipath.conf(5) that this "
				 "import knows");
		else if (!(kw->where & where))
			r = note(cv, IMPORT_DROPPED, c, "not a keyword of the %s section: multipathd "
				 "ignores it there", where_name(where));
		else if (!c->value)
			r = note(cv, IMPORT_DROPPED, c, "no value: multipathd ignores it");
		else if (kw->convert)
			r = kw->convert(cv, t, c);
		else
			r = note(cv, kw->kind, c, "%s", kw->why);
	}
	cv->npr_section = NULL;
	return r;
}

/*
 * The last line of section sec with keyword key (one with a value), or NULL;
 * earlier ones are noted.
 */
static int ident_node(struct conv *cv, const struct mpc_node *sec, const char *key,
		      const struct mpc_node **ret)
{
	const struct mpc_node *last = NULL;
	int r = 0;

	for (size_t i = 0; i < sec->n_children && r >= 0; i++) {
		const struct mpc_node *c = &sec->children[i];

		if (c->section || strcmp(c->key, key) != 0)
			continue;
		if (!c->value) {
			r = note(cv, IMPORT_DROPPED, c, "no value: multipathd ignores it");
			continue;
		}
		if (last)
			r = note(cv, IMPORT_DROPPED, last, "overridden by line %u, as in multipathd",
				 c->line);
		last = c;
	}
	*ret = last;
	return r;
}

/* ---- devices ---- */

static int claim_add(struct conv *cv, const char *entry, const struct mpc_node *src)
{
	struct import *im = cv->im;
	struct import_claim *a;

	for (size_t i = 0; i < im->n_claims; i++)
		if (strcasecmp(im->claims[i].entry, entry) == 0)
			return 0;
	a = reallocarray(im->claims, im->n_claims + 1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	im->claims = a;
	a[im->n_claims] = (struct import_claim){ .entry = strdup(entry), .file = src->file,
						 .line = src->line };
	if (!a[im->n_claims].entry)
		return -ENOMEM;
	im->n_claims++;
	return 0;
}

static int push_target(struct target **arr, size_t *n, const struct target *t)
{
	struct target *a = reallocarray(*arr, *n + 1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	*arr = a;
	a[(*n)++] = *t;
	return 0;
}

/* Does mpio's built-in device table have an entry for this device? */
static bool builtin_knows(const struct mp_config *builtin, const char *vendor, const char *product)
{
	struct mp_settings s;

	if (mp_config_resolve(builtin, vendor, product, NULL, 0, &s) < 0)
		return false;
	for (int id = 0; id < _MP_SETTING_MAX; id++)
		if (strcmp(s.origin[id], "default") != 0)
			return true;
	return false;
}

/* The literals of a device's vendor or product expression, or a note why there are none. */
static int device_literals(struct conv *cv, const struct mpc_node *dev, const struct mpc_node *c,
			   struct literal *lits, size_t *ret_n)
{
	char msg[256];
	int n;

	n = literal_parse(c->value, lits, LITERAL_ALTS_MAX, msg, sizeof(msg));
	if (n < 0) {
		int r = note(cv, IMPORT_DROPPED, c, "a regular expression mpio cannot match (mpio "
			     "matches a vendor whole and a product by its start): %s", msg);

		if (r >= 0)
			r = drop_but(cv, dev, c, strcmp(c->key, "vendor") == 0
				     ? "its device section is not carried over: see its vendor"
				     : "its device section is not carried over: see its product");
		return r < 0 ? r : 0;
	}
	*ret_n = (size_t)n;
	return 1;
}

static int convert_device(struct conv *cv, const struct mpc_node *dev)
{
	static const char *const idents[] = { "vendor", "product", "revision", NULL };
	const struct mpc_node *vnode, *pnode, *rnode;
	struct literal vendors[LITERAL_ALTS_MAX], products[LITERAL_ALTS_MAX] = { { .start = true } };
	size_t nv = 0, np = 1;
	struct target tpl = { .sec.kind = MP_CONFIG_DEFAULTS, .node = dev };
	_cleanup_free_ char *diffs = NULL;
	char msg[256];
	int r;

	if ((r = ident_node(cv, dev, "vendor", &vnode)) < 0 ||
	    (r = ident_node(cv, dev, "product", &pnode)) < 0 ||
	    (r = ident_node(cv, dev, "revision", &rnode)) < 0)
		return r;
	if (!vnode)
		return drop_all(cv, dev, "its device section has no vendor: multipathd ignores it");
	if (rnode && strcmp(rnode->value, "") != 0 && strcmp(rnode->value, ".*") != 0) {
		r = note(cv, IMPORT_DROPPED, rnode, "mpio cannot tell revisions apart: the section "
			 "is left out rather than applied to every revision");
		return r < 0 ? r : drop_but(cv, dev, rnode, "its device section is not carried "
					    "over: see its revision");
	}
	r = device_literals(cv, dev, vnode, vendors, &nv);
	if (r <= 0)
		return r;
	if (pnode) {
		r = device_literals(cv, dev, pnode, products, &np);
		if (r <= 0)
			return r;
	}
	if (nv * np > LITERAL_ALTS_MAX)
		return drop_all(cv, dev, "its vendor and product stand for too many devices");

	/* each device it stands for must be one mpio.conf takes */
	for (size_t i = 0; i < nv; i++)
		for (size_t k = 0; k < np; k++) {
			struct mp_config_section s = {
				.kind = MP_CONFIG_DEVICE,
				.vendor = vendors[i].text,
				.product = products[k].text[0] ? products[k].text : NULL,
			};

			r = vendors[i].text[0] ? mp_config_section_check(&s, msg, sizeof(msg)) : -EINVAL;
			if (r == -ENOMEM)
				return r;
			if (r < 0) {
				if (!vendors[i].text[0])
					snprintf(msg, sizeof(msg), "it matches any vendor: mpio needs one");
				r = note(cv, IMPORT_DROPPED, vnode, "%s", msg);
				return r < 0 ? r : drop_but(cv, dev, vnode, "its device section is not "
							    "carried over: see its vendor");
			}
		}

	r = convert_attrs(cv, dev, IN_DEVICE, &tpl, idents);
	if (r < 0)
		return r;

	/* how the match differs: mpio takes a vendor whole and a product by its start */
	for (size_t i = 0; i < nv && !diffs; i++)
		if (!vendors[i].start || !vendors[i].end)
			diffs = strdup("the vendor is matched whole, not by a regular expression");
	for (size_t k = 0; pnode && k < np; k++) {
		const char *d = !products[k].start && products[k].text[0]
					? "the product by its start, not anywhere in it"
				: products[k].end && products[k].text[0]
					? "the supported-devices entry takes the product whole "
					  "(padded), but [Device] Product= matches its start"
					: NULL;
		char *s;

		if (!d || (diffs && strstr(diffs, d)))
			continue;
		if (asprintf(&s, "%s%s%s", diffs ?: "", diffs ? "; " : "", d) < 0)
			return -ENOMEM;
		free(diffs);
		diffs = s;
	}

	for (size_t i = 0; i < nv; i++)
		for (size_t k = 0; k < np; k++) {
			struct target t = tpl;
			const char *product = products[k].text[0] ? products[k].text : NULL;
			char entry[CLAIM_ENTRY_SIZE], padded[CLAIM_PRODUCT_LEN + 1];

			t.sec.kind = MP_CONFIG_DEVICE;
			t.sec.vendor = pool_printf(cv->im, "%s", vendors[i].text);
			t.sec.product = product ? pool_printf(cv->im, "%s", product) : NULL;
			t.sec.comment = pool_printf(cv->im, "%s:%u: device vendor \"%s\"%s%s%s",
						    dev->file, dev->line, vnode->value,
						    pnode ? " product \"" : "",
						    pnode ? pnode->value : "", pnode ? "\"" : "");
			if (!t.sec.vendor || (product && !t.sec.product) || !t.sec.comment)
				return -ENOMEM;
			/* a product that must end where the literal does: padded, the entry is exact */
			snprintf(padded, sizeof(padded), products[k].end && product ? "%-*s" : "%.*s",
				 CLAIM_PRODUCT_LEN, product ?: "");
			if (claim_entry_build(vendors[i].text, padded, entry, msg, sizeof(msg)) < 0)
				return note(cv, IMPORT_DROPPED, vnode, "%s", msg);
			r = claim_add(cv, entry, dev);
			if (r < 0)
				return r;
			r = note_what(cv, IMPORT_CHANGED, dev, pool_printf(cv->im, "device %s %s",
					vnode->value, pnode ? pnode->value : "(any product)"),
				      "[Device] Vendor=%s%s%s%s, supported-devices entry \"%s\"%s%s",
				      vendors[i].text, product ? " Product=" : "", product ?: "",
				      t.sec.mask ? "" : " (no settings: not written)", entry,
				      diffs ? ": " : "", diffs ?: "");
			if (r < 0)
				return r;
			if (cv->builtin && !builtin_knows(cv->builtin, vendors[i].text, product ?: "")) {
				r = note_what(cv, IMPORT_CHANGED, dev,
					      pool_printf(cv->im, "device %s %s", vendors[i].text,
							  product ?: "(any product)"),
					      "mpio's built-in device table has no entry for it: what "
					      "this section does not set comes from [Defaults], where "
					      "multipathd may have used its own table; see "
					      "`multipathctl show config --device \"%s\" \"%s\"`",
					      vendors[i].text, product ?: "");
				if (r < 0)
					return r;
			}
			if (t.sec.mask) {
				r = push_target(&cv->devices, &cv->n_devices, &t);
				if (r < 0)
					return r;
			}
		}
	return 0;
}

/* ---- multipaths ---- */

static int convert_multipath(struct conv *cv, const struct mpc_node *mp)
{
	static const char *const idents[] = { "wwid", "alias", NULL };
	const struct mpc_node *wnode, *anode;
	struct target *t = NULL;
	char msg[256];
	int r;

	if ((r = ident_node(cv, mp, "wwid", &wnode)) < 0 ||
	    (r = ident_node(cv, mp, "alias", &anode)) < 0)
		return r;
	if (!wnode)
		return drop_all(cv, mp, "its multipath section has no wwid: multipathd ignores it");
	r = mp_config_section_check(&(struct mp_config_section){ .kind = MP_CONFIG_MAP,
								 .wwid = wnode->value },
				    msg, sizeof(msg));
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		r = note(cv, IMPORT_DROPPED, wnode, "%s", msg);
		return r < 0 ? r : drop_but(cv, mp, wnode, "its multipath section is not carried "
					    "over: see its wwid");
	}
	for (size_t i = 0; i < cv->n_maps; i++)
		if (strcmp(cv->maps[i].sec.wwid, wnode->value) == 0)
			t = &cv->maps[i];
	if (!t) {
		struct target nt = { .sec.kind = MP_CONFIG_MAP, .node = mp };

		nt.sec.wwid = pool_printf(cv->im, "%s", wnode->value);
		nt.sec.comment = pool_printf(cv->im, "%s:%u: multipath wwid %s", mp->file, mp->line,
					     wnode->value);
		if (!nt.sec.wwid || !nt.sec.comment)
			return -ENOMEM;
		r = push_target(&cv->maps, &cv->n_maps, &nt);
		if (r < 0)
			return r;
		t = &cv->maps[cv->n_maps - 1];
	} else {
		r = note(cv, IMPORT_SAME, mp, "a second multipath section for wwid %s (%s:%u): "
			 "merged into one [Map], the later values winning, as in multipathd",
			 wnode->value, t->node->file, t->node->line);
		if (r < 0)
			return r;
	}
	if (anode) {
		struct mp_settings nv = t->sec.v;
		const struct target *other = NULL;

		for (size_t i = 0; i < cv->n_maps; i++)
			if (&cv->maps[i] != t && cv->maps[i].sec.v.alias &&
			    strcmp(cv->maps[i].sec.v.alias, anode->value) == 0)
				other = &cv->maps[i];
		if (other)
			r = note(cv, IMPORT_DROPPED, anode, "already the alias of wwid %s (%s:%u)",
				 other->sec.wwid, other->src[MP_SETTING_ALIAS]->file,
				 other->src[MP_SETTING_ALIAS]->line);
		else {
			nv.alias = pool_printf(cv->im, "%s", anode->value);
			r = nv.alias ? set_setting(cv, t, MP_SETTING_ALIAS, &nv, anode, NULL, NULL)
				     : -ENOMEM;
		}
		if (r < 0)
			return r;
	}
	if (!cv->im->has_maps) {
		cv->im->has_maps = true;
		r = note_what(cv, IMPORT_CHANGED, mp, "multipaths",
			      "a [Map] applies when mpio reads the same WWID from the LUN: compare "
			      "`multipathctl is-claimed sdX` with multipathd's `show paths format "
			      "\"%%d %%w\"` before the switch");
		if (r < 0)
			return r;
	}
	/* t stays valid: no map is added while its lines are converted */
	return convert_attrs(cv, mp, IN_MULTIPATH, t, idents);
}

/* ---- The files ---- */

static int convert_list(struct conv *cv, const struct mpc_node *sec, const char *child,
			int (*fn)(struct conv *, const struct mpc_node *))
{
	int r = 0;

	for (size_t i = 0; i < sec->n_children && r >= 0; i++) {
		const struct mpc_node *c = &sec->children[i];

		if (c->section && strcmp(c->key, child) == 0)
			r = fn(cv, c);
		else if (c->section)
			r = conv_error(cv, c, "unknown section \"%s\" in %s: expected %s", c->key,
				       sec->key, child);
		else if (strcmp(c->key, child) == 0)
			r = conv_error(cv, c, "expected '{' after \"%s\"", child);
		else
			r = note(cv, IMPORT_DROPPED, c, "%s holds only %s sections: multipathd "
				 "ignores it", sec->key, child);
	}
	return r;
}

static bool is_section_name(const char *s)
{
	static const char *const names[] = { "defaults", "devices", "multipaths", "blacklist",
					      "blacklist_exceptions", "overrides" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(names[i], s) == 0)
			return true;
	return false;
}

static int convert_file(struct conv *cv, const struct mpc_file *f)
{
	int r = 0;

	for (size_t i = 0; i < f->root.n_children && r >= 0; i++) {
		const struct mpc_node *c = &f->root.children[i];
		const struct pending *pd;

		if (!c->section && is_section_name(c->key))
			return conv_error(cv, c, "expected '{' after \"%s\" on its line", c->key);
		if (!c->section) {
			r = note(cv, IMPORT_DROPPED, c, "outside of any section: multipathd ignores it");
			continue;
		}
		pd = pending_find(c->key, IN_TOP);
		if (strcmp(c->key, "defaults") == 0)
			r = convert_attrs(cv, c, IN_DEFAULTS, &cv->defaults, NULL);
		else if (strcmp(c->key, "devices") == 0)
			r = convert_list(cv, c, "device", convert_device);
		else if (strcmp(c->key, "multipaths") == 0)
			r = convert_list(cv, c, "multipath", convert_multipath);
		else if (pd)
			r = drop_all(cv, c, pd->why);
		else
			r = conv_error(cv, c, "unknown section \"%s\": expected defaults, blacklist, "
				       "blacklist_exceptions, devices, multipaths or overrides",
				       c->key);
	}
	return r;
}

/* polling_interval, and a no_path_retry every map gets, before any conversion. */
static void scan_globals(struct conv *cv)
{
	for (size_t f = 0; f < cv->n_files; f++)
		for (size_t i = 0; i < cv->files[f]->root.n_children; i++) {
			const struct mpc_node *s = &cv->files[f]->root.children[i];
			bool defaults = strcmp(s->key, "defaults") == 0;

			if (!s->section || (!defaults && strcmp(s->key, "overrides") != 0))
				continue;
			for (size_t k = 0; k < s->n_children; k++) {
				const struct mpc_node *c = &s->children[k];
				unsigned v;

				if (c->section || !c->value)
					continue;
				if (strcmp(c->key, "no_path_retry") == 0)
					cv->npr_global = c;
				if (defaults && strcmp(c->key, "polling_interval") == 0 &&
				    parse_count(c->value, 1000000, &v) && v > 0) {
					cv->interval = v;
					cv->interval_node = c;
				}
			}
		}
}

static int cmp_note(const void *a, const void *b)
{
	const struct import_note *x = a, *y = b;

	if (x->file_idx != y->file_idx)
		return x->file_idx < y->file_idx ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int collect_sections(struct conv *cv)
{
	struct import *im = cv->im;
	size_t n = (cv->defaults.sec.mask ? 1 : 0) + cv->n_devices + cv->n_maps, k = 0;

	im->sections = calloc(n ?: 1, sizeof(*im->sections));
	if (!im->sections)
		return -ENOMEM;
	if (cv->defaults.sec.mask)
		im->sections[k++] = cv->defaults.sec;
	for (size_t i = 0; i < cv->n_devices; i++)
		im->sections[k++] = cv->devices[i].sec;
	for (size_t i = 0; i < cv->n_maps; i++)
		if (cv->maps[i].sec.mask) /* a [Map] without settings changes nothing */
			im->sections[k++] = cv->maps[i].sec;
	im->n_sections = k;
	return 0;
}

int import_convert(const struct mpc_file *const *files, size_t n, const struct mp_config *builtin,
		   bool dropins_read, struct import **ret, struct mp_parse_error *err)
{
	_cleanup_(import_freep) struct import *im = calloc(1, sizeof(*im));
	struct conv cv = {
		.im = im,
		.files = files,
		.n_files = n,
		.builtin = builtin,
		.dropins_read = dropins_read,
		.err = err,
		.interval = IMPORT_DEFAULT_POLLING_INTERVAL,
		.defaults = { .sec.kind = MP_CONFIG_DEFAULTS },
	};
	int r = 0;

	if (!im)
		return -ENOMEM;
	if (!files || !ret)
		return -EINVAL;
	scan_globals(&cv);
	for (size_t i = 0; i < n && r >= 0; i++) {
		cv.file_idx = (unsigned)i;
		r = convert_file(&cv, files[i]);
	}
	if (r >= 0)
		r = collect_sections(&cv);
	free(cv.devices);
	free(cv.maps);
	if (r < 0)
		return r;
	sort_array(im->notes, im->n_notes, sizeof(*im->notes), cmp_note);
	*ret = TAKE_PTR(im);
	return 0;
}

const char *import_config_dir(const struct mpc_file *main)
{
	const char *dir = NULL;

	for (size_t i = 0; i < main->root.n_children; i++) {
		const struct mpc_node *s = &main->root.children[i];

		if (!s->section || strcmp(s->key, "defaults") != 0)
			continue;
		for (size_t k = 0; k < s->n_children; k++)
			if (!s->children[k].section && s->children[k].value &&
			    strcmp(s->children[k].key, "config_dir") == 0)
				dir = s->children[k].value;
	}
	return dir && dir[0] == '/' ? dir : NULL;
}
