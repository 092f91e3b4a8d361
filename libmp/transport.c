/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The transport timeouts and the I/O size of paths: what a map's settings
 * ask of the kernel objects behind each path, in the order the kernel takes
 * it, written to sysfs (the rules are in libmp.h). Nothing is logged here:
 * the caller hears of each write through its callback.
 *
 * sysfs files, under the device directories path.c found:
 *   <rport dir>/fc_remote_ports/rport-H:B-R/fast_io_fail_tmo   "off" or seconds
 *   <rport dir>/fc_remote_ports/rport-H:B-R/dev_loss_tmo       seconds
 *   <session dir>/iscsi_session/sessionN/recovery_tmo          seconds
 *   <host dir>/scsi_host/hostN/eh_deadline                     "off" or seconds
 *   <block dir>/queue/max_sectors_kb, max_hw_sectors_kb        KiB
 *   <block dir>/holders/                                       the maps above it
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "libmp-private.h"

#define VALUE_MAX 24

static const char *const tattr_names[_MP_TATTR_MAX] = {
	[MP_TATTR_FAST_IO_FAIL_TMO] = "fast_io_fail_tmo",
	[MP_TATTR_DEV_LOSS_TMO] = "dev_loss_tmo",
	[MP_TATTR_RECOVERY_TMO] = "recovery_tmo",
	[MP_TATTR_EH_DEADLINE] = "eh_deadline",
	[MP_TATTR_MAX_SECTORS_KB] = "max_sectors_kb",
};

/* The class directory, below an object's device directory, that holds each attribute. */
static const char *const tattr_classes[_MP_TATTR_MAX] = {
	[MP_TATTR_FAST_IO_FAIL_TMO] = "fc_remote_ports",
	[MP_TATTR_DEV_LOSS_TMO] = "fc_remote_ports",
	[MP_TATTR_RECOVERY_TMO] = "iscsi_session",
	[MP_TATTR_EH_DEADLINE] = "scsi_host",
	[MP_TATTR_MAX_SECTORS_KB] = NULL, /* the block device's queue/ */
};

_public_ const char *mp_tattr_to_string(enum mp_tattr a)
{
	return a >= 0 && a < _MP_TATTR_MAX ? tattr_names[a] : NULL;
}

/* ---- The FC remote port's rules ---- */

static int add_capped(int a, int b)
{
	return a > MP_DEV_LOSS_INFINITY - b ? MP_DEV_LOSS_INFINITY : a + b;
}

/* The shortest dev_loss_tmo that outlasts the map's queueing, 0 when it does not queue. */
static int queueing_floor(const struct mp_settings *s, int fast_io_fail)
{
	switch (s->no_path_retry) {
	case MP_NO_PATH_QUEUE:
		return MP_DEV_LOSS_INFINITY;
	case MP_NO_PATH_TIMEOUT:
		return add_capped(add_capped((int)s->no_path_timeout, fast_io_fail > 0 ? fast_io_fail : 0),
				  (int)s->check_interval);
	default:
		return 0;
	}
}

unsigned mp_rport_tmo_want(const struct mp_settings *s, const struct mp_rport_tmo *cur,
			   struct mp_rport_tmo *ret)
{
	int fast = s->fast_io_fail_tmo != MP_TMO_UNSET ? s->fast_io_fail_tmo : cur->fast_io_fail;
	int loss = s->dev_loss_tmo != MP_TMO_UNSET ? s->dev_loss_tmo : cur->dev_loss;
	int floor = queueing_floor(s, fast);
	unsigned why = 0;

	*ret = *cur;
	if (s->fast_io_fail_tmo == MP_TMO_UNSET && s->dev_loss_tmo == MP_TMO_UNSET)
		return 0; /* the port's timeouts are the kernel's */
	if (loss < floor) {
		loss = floor;
		why |= MP_TATTR_FOR_QUEUEING;
	}
	if (fast >= 0 && fast >= loss) {
		loss = fast + 1;
		why |= MP_TATTR_FOR_FAST_IO_FAIL;
	}
	if (fast == MP_TMO_OFF && loss > MP_BLOCK_MAX_TIMEOUT && loss != cur->dev_loss) {
		loss = MP_BLOCK_MAX_TIMEOUT > cur->dev_loss ? MP_BLOCK_MAX_TIMEOUT : cur->dev_loss;
		why |= MP_TATTR_CAPPED;
	}
	ret->fast_io_fail = fast;
	ret->dev_loss = loss;
	return why;
}

/* Does the kernel take this write in state st? If so, st is changed. */
static bool kernel_takes(struct mp_rport_tmo *st, enum mp_tattr attr, int value)
{
	if (attr == MP_TATTR_FAST_IO_FAIL_TMO) {
		if (value != MP_TMO_OFF && (value >= st->dev_loss || value > MP_BLOCK_MAX_TIMEOUT))
			return false;
		st->fast_io_fail = value;
	} else {
		if (st->fast_io_fail == MP_TMO_OFF && value > MP_BLOCK_MAX_TIMEOUT)
			return false;
		st->dev_loss = value;
	}
	return true;
}

int mp_rport_tmo_plan(const struct mp_rport_tmo *cur, const struct mp_rport_tmo *want,
		      struct mp_rport_write plan[MP_RPORT_PLAN_MAX])
{
	const enum mp_tattr F = MP_TATTR_FAST_IO_FAIL_TMO, L = MP_TATTR_DEV_LOSS_TMO;
	int fw = want->fast_io_fail, lw = want->dev_loss;
	/*
	 * The orders tried; the first the kernel takes in full wins: each value
	 * at once, either way round; with fast_io_fail_tmo on, dev_loss_tmo
	 * first to just above it, or fast_io_fail_tmo first to just below the
	 * current dev_loss_tmo (on, so that dev_loss_tmo may pass 600 s).
	 */
	const struct {
		size_t n;
		struct mp_rport_write w[MP_RPORT_PLAN_MAX];
	} orders[] = {
		{ 2, { { F, fw, false }, { L, lw, false } } },
		{ 2, { { L, lw, false }, { F, fw, false } } },
		{ 3, { { L, fw + 1, true }, { F, fw, false }, { L, lw, false } } },
		{ 3, { { F, cur->dev_loss - 1, true }, { L, lw, false }, { F, fw, false } } },
	};
	size_t n_orders = fw >= 0 ? ARRAY_SIZE(orders) : 2;

	for (size_t o = 0; o < n_orders; o++) {
		struct mp_rport_tmo st = *cur;
		bool taken = true;
		int n = 0;

		for (size_t i = 0; i < orders[o].n && taken; i++) {
			const struct mp_rport_write *w = &orders[o].w[i];

			if (w->value == (w->attr == F ? st.fast_io_fail : st.dev_loss))
				continue;
			taken = (w->value >= 0 || w->value == MP_TMO_OFF) && kernel_takes(&st, w->attr, w->value);
			if (taken)
				plan[n++] = *w;
		}
		if (taken && st.fast_io_fail == fw && st.dev_loss == lw)
			return n;
	}
	return -EINVAL;
}

/* ---- sysfs ---- */

/* An attribute's value: "off" (MP_TMO_OFF) or a number >= 0. */
static int parse_value(const char *s, int *ret)
{
	unsigned long v = 0;

	if (strcmp(s, "off") == 0) {
		*ret = MP_TMO_OFF;
		return 0;
	}
	if (!*s)
		return -EBADMSG;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EBADMSG;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > MP_DEV_LOSS_INFINITY)
			v = MP_DEV_LOSS_INFINITY; /* "infinity" reads back as the kernel's largest */
	}
	*ret = (int)v;
	return 0;
}

static void format_value(int v, char buf[VALUE_MAX])
{
	if (v == MP_TMO_OFF)
		snprintf(buf, VALUE_MAX, "off");
	else
		snprintf(buf, VALUE_MAX, "%d", v);
}

/* One attribute of one kernel object: its file and the value read from it. */
struct tattr {
	enum mp_tattr attr;
	char *file;
	int value;
	char text[VALUE_MAX];
};

static void tattr_done(struct tattr *t)
{
	free(t->file);
}

/* The file of attr in the class directory of the object whose device directory is dir. */
static int tattr_open(struct tattr *t, enum mp_tattr attr, const char *dir)
{
	const char *slash = strrchr(dir, '/');

	*t = (struct tattr){ .attr = attr };
	if (tattr_classes[attr] ?
		    asprintf(&t->file, "%s/%s/%s/%s", dir, tattr_classes[attr],
			     slash ? slash + 1 : dir, tattr_names[attr]) < 0 :
		    asprintf(&t->file, "%s/queue/%s", dir, tattr_names[attr]) < 0) {
		t->file = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int tattr_read(struct tattr *t)
{
	_cleanup_free_ char *s = NULL;
	size_t len = 0;
	int r;

	r = mp_read_file(t->file, 64, &s, &len);
	if (r < 0)
		return r == -EFBIG ? -EBADMSG : r;
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' '))
		s[--len] = '\0';
	r = parse_value(s, &t->value);
	if (r < 0)
		return r;
	snprintf(t->text, sizeof(t->text), "%s", s);
	return 0;
}

static int write_text(const char *file, const char *text)
{
	/* O_TRUNC as a shell's redirection: sysfs ignores it, a plain file needs it. */
	_cleanup_close_ int fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return mp_write_all(fd, text, strlen(text));
}

static void report(mp_tattr_fn fn, void *userdata, const struct tattr *t, const char *old,
		   const char *value, int error, unsigned why)
{
	const struct mp_tattr_write w = {
		.attr = t->attr, .file = t->file, .old = old, .value = value, .error = error, .why = why,
	};

	if (fn)
		fn(&w, userdata);
}

/* Write value to t, whose value was old: 0 or the negative errno, reported. */
static int tattr_write(struct tattr *t, int value, const char *old, unsigned why, mp_tattr_fn fn,
		       void *userdata)
{
	char text[VALUE_MAX];
	int r;

	format_value(value, text);
	r = write_text(t->file, text);
	report(fn, userdata, t, old, text, r, why);
	if (r >= 0) {
		t->value = value;
		snprintf(t->text, sizeof(t->text), "%s", text);
	}
	return r;
}

/* A read that failed, reported: 1 (one failure). */
static int read_failed(struct tattr *t, int r, mp_tattr_fn fn, void *userdata)
{
	report(fn, userdata, t, NULL, NULL, r, 0);
	return 1;
}

/* One attribute set to value unless it is there: the number of failures (0, 1), or -ENOMEM. */
static int apply_one(enum mp_tattr attr, const char *dir, int value, mp_tattr_fn fn, void *userdata)
{
	_cleanup_(tattr_done) struct tattr t = {};
	char old[VALUE_MAX];
	int r;

	if (value == MP_TMO_UNSET || !dir)
		return 0;
	r = tattr_open(&t, attr, dir);
	if (r < 0)
		return r;
	r = tattr_read(&t);
	if (r < 0)
		return read_failed(&t, r, fn, userdata);
	if (t.value == value)
		return 0;
	snprintf(old, sizeof(old), "%s", t.text);
	return tattr_write(&t, value, old, 0, fn, userdata) < 0;
}

static int apply_rport(const char *dir, const struct mp_settings *s, mp_tattr_fn fn, void *userdata)
{
	_cleanup_(tattr_done) struct tattr fast = {}, loss = {};
	struct mp_rport_write plan[MP_RPORT_PLAN_MAX];
	struct mp_rport_tmo cur, want;
	char old_fast[VALUE_MAX], old_loss[VALUE_MAX];
	unsigned why;
	int n, r;

	if (s->fast_io_fail_tmo == MP_TMO_UNSET && s->dev_loss_tmo == MP_TMO_UNSET)
		return 0;
	r = tattr_open(&fast, MP_TATTR_FAST_IO_FAIL_TMO, dir);
	if (r >= 0)
		r = tattr_open(&loss, MP_TATTR_DEV_LOSS_TMO, dir);
	if (r < 0)
		return r;
	r = tattr_read(&fast);
	if (r < 0)
		return read_failed(&fast, r, fn, userdata);
	r = tattr_read(&loss);
	if (r < 0)
		return read_failed(&loss, r, fn, userdata);
	snprintf(old_fast, sizeof(old_fast), "%s", fast.text);
	snprintf(old_loss, sizeof(old_loss), "%s", loss.text);

	cur = (struct mp_rport_tmo){ .fast_io_fail = fast.value, .dev_loss = loss.value };
	why = mp_rport_tmo_want(s, &cur, &want);
	n = mp_rport_tmo_plan(&cur, &want, plan);
	if (n < 0) {
		/* no order of writes the kernel takes: nothing is written */
		char text[VALUE_MAX];

		format_value(want.dev_loss, text);
		report(fn, userdata, &loss, old_loss, text, -EINVAL, why);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		bool is_fast = plan[i].attr == MP_TATTR_FAST_IO_FAIL_TMO;

		r = tattr_write(is_fast ? &fast : &loss, plan[i].value, is_fast ? old_fast : old_loss,
				(is_fast ? 0 : why) | (plan[i].step ? MP_TATTR_STEP : 0), fn, userdata);
		if (r < 0)
			return 1; /* the rest of the plan needs this write */
	}
	return 0;
}

_public_ int mp_path_apply_timeouts(const struct mp_path *path, const struct mp_settings *s,
				    mp_tattr_fn fn, void *userdata)
{
	const char *port = mp_path_port_dir(path);
	int failed = 0, r;

	if (!path || !s)
		return -EINVAL;
	switch (mp_path_get_transport(path)) {
	case MP_TRANSPORT_FC:
		r = port ? apply_rport(port, s, fn, userdata) : 0;
		break;
	case MP_TRANSPORT_ISCSI:
		r = apply_one(MP_TATTR_RECOVERY_TMO, port, s->iscsi_recovery_tmo, fn, userdata);
		break;
	default:
		r = 0;
		break;
	}
	if (r < 0)
		return r;
	failed += r;
	r = apply_one(MP_TATTR_EH_DEADLINE, mp_path_host_dir(path), s->eh_deadline, fn, userdata);
	if (r < 0)
		return r;
	return failed + r;
}

/* ---- max_sectors_kb ---- */

_public_ int mp_paths_max_sectors_kb(const struct mp_path *const *paths, size_t n, int setting)
{
	int kb = setting;

	if (setting == MP_TMO_UNSET || (n > 0 && !paths))
		return MP_TMO_UNSET;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *file = NULL, *s = NULL;
		const char *dir = mp_path_get_syspath(paths[i]);
		size_t len;
		int hw;

		if (!dir || asprintf(&file, "%s/queue/max_hw_sectors_kb", dir) < 0)
			continue;
		if (mp_read_file(file, 64, &s, &len) < 0)
			continue;
		s[strcspn(s, "\n")] = '\0';
		if (parse_value(s, &hw) == 0 && hw > 0 && hw < kb)
			kb = hw;
	}
	return kb;
}

/* Does the block device at dir have a holder (a dm map over it)? */
static bool has_holder(const char *dir)
{
	_cleanup_free_ char *holders = NULL;
	DIR *d;
	struct dirent *de;
	bool found = false;

	if (asprintf(&holders, "%s/holders", dir) < 0)
		return true; /* cannot tell: do not touch it */
	d = opendir(holders);
	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		found = de->d_name[0] != '.';
	closedir(d);
	return found;
}

_public_ int mp_path_set_max_sectors_kb(const struct mp_path *path, int kb, mp_tattr_fn fn,
					void *userdata)
{
	_cleanup_(tattr_done) struct tattr t = {};
	const char *dir = mp_path_get_syspath(path);
	char old[VALUE_MAX], text[VALUE_MAX];
	int r;

	if (!path || !dir)
		return -EINVAL;
	if (kb == MP_TMO_UNSET)
		return 0;
	r = tattr_open(&t, MP_TATTR_MAX_SECTORS_KB, dir);
	if (r < 0)
		return r;
	r = tattr_read(&t);
	if (r < 0) {
		read_failed(&t, r, fn, userdata);
		return r;
	}
	if (t.value == kb)
		return 0;
	snprintf(old, sizeof(old), "%s", t.text);
	if (has_holder(dir)) {
		format_value(kb, text);
		report(fn, userdata, &t, old, text, -EBUSY, MP_TATTR_MAP_MIN | MP_TATTR_IN_USE);
		return -EBUSY;
	}
	r = tattr_write(&t, kb, old, MP_TATTR_MAP_MIN, fn, userdata);
	return r < 0 ? r : 1;
}
