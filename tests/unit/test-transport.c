/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Transport timeouts and I/O size (libmp/transport.c): the FC remote port's
 * rules and the order of its writes, checked against a model of what the
 * kernel takes (scsi_transport_fc's checks), then the sysfs writes on a
 * fake tree (fake-sysfs.h) with an FC and an iSCSI path:
 *   FC     devices/pci0000:00/0000:00:03.0/host5/rport-5:0-2/target5:0:0/5:0:0:7/block/sdd
 *   iSCSI  devices/platform/host3/session1/target3:0:0/3:0:0:1/block/sdc
 * No FC hardware is needed: the files are plain files, and every write the
 * plan makes was checked against the kernel's rules before.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake-sysfs.h"
#include "libmp-private.h"
#include "unit.h"

#define OFF MP_TMO_OFF
#define INF MP_DEV_LOSS_INFINITY
#define F MP_TATTR_FAST_IO_FAIL_TMO
#define L MP_TATTR_DEV_LOSS_TMO

/* Settings with the FC ones and the queueing given, the rest unset. */
static struct mp_settings fc_settings(int fast, int loss, enum mp_no_path_retry npr, unsigned secs)
{
	return (struct mp_settings){ .fast_io_fail_tmo = fast, .dev_loss_tmo = loss,
				     .no_path_retry = npr, .no_path_timeout = secs,
				     .check_interval = 5, .iscsi_recovery_tmo = MP_TMO_UNSET,
				     .eh_deadline = MP_TMO_UNSET, .max_sectors_kb = MP_TMO_UNSET };
}

/* ---- the rules ---- */

static void test_rport_want(void)
{
	static const struct {
		const char *what;
		int fast, loss;
		enum mp_no_path_retry npr;
		unsigned secs;
		struct mp_rport_tmo cur, want;
		unsigned why;
	} cases[] = {
		{ "both unset: the kernel's, even when queueing", MP_TMO_UNSET, MP_TMO_UNSET,
		  MP_NO_PATH_QUEUE, 0, { OFF, 30 }, { OFF, 30 }, 0 },
		{ "fast_io_fail_tmo alone", 5, MP_TMO_UNSET, MP_NO_PATH_FAIL, 0, { OFF, 30 },
		  { 5, 30 }, 0 },
		{ "the kernel's dev_loss_tmo raised above it", 5, MP_TMO_UNSET, MP_NO_PATH_FAIL, 0,
		  { OFF, 3 }, { 5, 6 }, MP_TATTR_FOR_FAST_IO_FAIL },
		{ "a clash of two sections mended", 10, 10, MP_NO_PATH_FAIL, 0, { OFF, 30 },
		  { 10, 11 }, MP_TATTR_FOR_FAST_IO_FAIL },
		{ "DevLossTimeout= below the kernel's fast_io_fail_tmo", MP_TMO_UNSET, 20,
		  MP_NO_PATH_FAIL, 0, { 25, 60 }, { 25, 26 }, MP_TATTR_FOR_FAST_IO_FAIL },
		{ "queueing 100 s: 100 + 5 + CheckInterval 5", 5, 60, MP_NO_PATH_TIMEOUT, 100,
		  { OFF, 30 }, { 5, 110 }, MP_TATTR_FOR_QUEUEING },
		{ "queueing 100 s, DevLossTimeout= longer already", 5, 300, MP_NO_PATH_TIMEOUT, 100,
		  { OFF, 30 }, { 5, 300 }, 0 },
		{ "queue: the kernel's dev_loss_tmo to infinity", 5, MP_TMO_UNSET, MP_NO_PATH_QUEUE, 0,
		  { 5, 30 }, { 5, INF }, MP_TATTR_FOR_QUEUEING },
		{ "queue with fast_io_fail_tmo off: 600 s", OFF, 60, MP_NO_PATH_QUEUE, 0,
		  { 5, 30 }, { OFF, 600 }, MP_TATTR_FOR_QUEUEING | MP_TATTR_CAPPED },
		{ "off and over 600 from two sections", OFF, 601, MP_NO_PATH_FAIL, 0, { 5, 30 },
		  { OFF, 600 }, MP_TATTR_CAPPED },
		{ "off, and the kernel's over 600 left alone", OFF, MP_TMO_UNSET, MP_NO_PATH_FAIL, 0,
		  { 5, 3600 }, { OFF, 3600 }, 0 },
		{ "infinity stays", 5, INF, MP_NO_PATH_QUEUE, 0, { OFF, 30 }, { 5, INF }, 0 },
		{ "the longest queueing, with fast_io_fail_tmo off", OFF, MP_TMO_UNSET,
		  MP_NO_PATH_TIMEOUT, 86400, { OFF, 30 }, { OFF, 600 },
		  MP_TATTR_FOR_QUEUEING | MP_TATTR_CAPPED },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mp_settings s = fc_settings(cases[i].fast, cases[i].loss, cases[i].npr,
						   cases[i].secs);
		struct mp_rport_tmo got;
		unsigned why = mp_rport_tmo_want(&s, &cases[i].cur, &got);

		if (got.fast_io_fail != cases[i].want.fast_io_fail ||
		    got.dev_loss != cases[i].want.dev_loss || why != cases[i].why)
			fprintf(stderr, "\n%s: got %d %d why %#x\n", cases[i].what, got.fast_io_fail,
				got.dev_loss, why);
		CU_ASSERT_EQUAL(got.fast_io_fail, cases[i].want.fast_io_fail);
		CU_ASSERT_EQUAL(got.dev_loss, cases[i].want.dev_loss);
		CU_ASSERT_EQUAL(why, cases[i].why);
	}
}

/*
 * The kernel's checks (drivers/scsi/scsi_transport_fc.c, as documented in
 * libmp.h), written again here apart from the library's.
 */
static bool model_takes(struct mp_rport_tmo *st, const struct mp_rport_write *w)
{
	if (w->attr == F) {
		if (w->value == OFF) {
			st->fast_io_fail = OFF;
			return true;
		}
		if (w->value < 0 || w->value >= st->dev_loss || w->value > 600)
			return false;
		st->fast_io_fail = w->value;
		return true;
	}
	if (w->value < 1 || (st->fast_io_fail == OFF && w->value > 600))
		return false;
	st->dev_loss = w->value;
	return true;
}

/* A state the kernel ends in when it is asked for the values directly: fast below loss, 600 at most while off. */
static bool final_valid(struct mp_rport_tmo t)
{
	return t.fast_io_fail == OFF ? t.dev_loss <= 600 : t.fast_io_fail < t.dev_loss;
}

static void check_plan(struct mp_rport_tmo cur, struct mp_rport_tmo want,
		       const struct mp_rport_write *expect, int n_expect)
{
	struct mp_rport_write plan[MP_RPORT_PLAN_MAX];
	int n = mp_rport_tmo_plan(&cur, &want, plan);

	if (n != n_expect)
		fprintf(stderr, "\n(%d %d) -> (%d %d): %d writes, not %d\n", cur.fast_io_fail,
			cur.dev_loss, want.fast_io_fail, want.dev_loss, n, n_expect);
	CU_ASSERT_EQUAL_FATAL(n, n_expect);
	for (int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(plan[i].attr, expect[i].attr);
		CU_ASSERT_EQUAL(plan[i].value, expect[i].value);
		CU_ASSERT_EQUAL(plan[i].step, expect[i].step);
	}
}

static void test_rport_plan_cases(void)
{
	check_plan((struct mp_rport_tmo){ OFF, 30 }, (struct mp_rport_tmo){ OFF, 30 }, NULL, 0);
	check_plan((struct mp_rport_tmo){ OFF, 30 }, (struct mp_rport_tmo){ 5, 30 },
		   (const struct mp_rport_write[]){ { F, 5, false } }, 1);
	check_plan((struct mp_rport_tmo){ OFF, 30 }, (struct mp_rport_tmo){ 5, 3600 },
		   (const struct mp_rport_write[]){ { F, 5, false }, { L, 3600, false } }, 2);
	/* fast_io_fail_tmo not below the current dev_loss_tmo: dev_loss_tmo first */
	check_plan((struct mp_rport_tmo){ 5, 30 }, (struct mp_rport_tmo){ 40, 60 },
		   (const struct mp_rport_write[]){ { L, 60, false }, { F, 40, false } }, 2);
	/* off, and both over the cap: dev_loss_tmo to just above fast_io_fail_tmo first */
	check_plan((struct mp_rport_tmo){ OFF, 30 }, (struct mp_rport_tmo){ 599, 3600 },
		   (const struct mp_rport_write[]){ { L, 600, true }, { F, 599, false },
						    { L, 3600, false } }, 3);
	/* 600 itself: fast_io_fail_tmo on first, below the current dev_loss_tmo */
	check_plan((struct mp_rport_tmo){ OFF, 30 }, (struct mp_rport_tmo){ 600, 3600 },
		   (const struct mp_rport_write[]){ { F, 29, true }, { L, 3600, false },
						    { F, 600, false } }, 3);
	check_plan((struct mp_rport_tmo){ 5, 3600 }, (struct mp_rport_tmo){ OFF, 600 },
		   (const struct mp_rport_write[]){ { F, OFF, false }, { L, 600, false } }, 2);
	/* what the kernel takes in no order: dev_loss_tmo over 600 while off from the start */
	check_plan((struct mp_rport_tmo){ OFF, 30 }, (struct mp_rport_tmo){ OFF, 601 }, NULL, -EINVAL);
}

/*
 * Every pair of states from a grid of values: a plan, when there is one, is
 * taken by the model write by write and ends at want; and there is one for
 * every want the kernel could end in.
 */
static void test_rport_plan_grid(void)
{
	static const int fasts[] = { OFF, 0, 5, 29, 30, 599, 600 };
	static const int losses[] = { 1, 6, 30, 31, 600, 601, 3600, INF };
	unsigned planned = 0, refused = 0;

	for (size_t a = 0; a < ARRAY_SIZE(fasts); a++)
		for (size_t b = 0; b < ARRAY_SIZE(losses); b++)
			for (size_t c = 0; c < ARRAY_SIZE(fasts); c++)
				for (size_t d = 0; d < ARRAY_SIZE(losses); d++) {
					struct mp_rport_tmo cur = { fasts[a], losses[b] };
					struct mp_rport_tmo want = { fasts[c], losses[d] };
					struct mp_rport_write plan[MP_RPORT_PLAN_MAX];
					struct mp_rport_tmo st = cur;
					int n;

					/* a port is only ever in a state the kernel allows */
					if (cur.fast_io_fail >= 0 && cur.fast_io_fail >= cur.dev_loss)
						continue;
					n = mp_rport_tmo_plan(&cur, &want, plan);
					if (n < 0) {
						CU_ASSERT_FALSE(final_valid(want));
						refused++;
						continue;
					}
					planned++;
					for (int i = 0; i < n; i++)
						CU_ASSERT_FATAL(model_takes(&st, &plan[i]));
					CU_ASSERT_EQUAL(st.fast_io_fail, want.fast_io_fail);
					CU_ASSERT_EQUAL(st.dev_loss, want.dev_loss);
				}
	CU_ASSERT(planned > 1000);
	CU_ASSERT(refused > 0);
}

/* ---- sysfs ---- */

#define FC_HOST "devices/pci0000:00/0000:00:03.0/host5"
#define FC_RPORT FC_HOST "/rport-5:0-2"
#define FC_RPORT_CLASS FC_RPORT "/fc_remote_ports/rport-5:0-2"
#define FC_HCTL FC_RPORT "/target5:0:0/5:0:0:7"
#define ISCSI_HOST "devices/platform/host3"
#define ISCSI_SESSION_CLASS ISCSI_HOST "/session1/iscsi_session/session1"
#define ISCSI_HCTL ISCSI_HOST "/session1/target3:0:0/3:0:0:1"

static struct mp_ctx *ctx;

static void build_tree(void)
{
	if (ctx)
		return;
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	fake_sysfs_make("transport");
	fake_add_disk(FC_HCTL, "sdd", "8:48\n", "2048\n", "NETAPP  \n", "LUN C-Mode      \n");
	fake_put(FC_RPORT_CLASS, "port_name", "0x500a09829b8d1f3e\n");
	fake_put(FC_RPORT_CLASS, "fast_io_fail_tmo", "off\n");
	fake_put(FC_RPORT_CLASS, "dev_loss_tmo", "30\n");
	fake_put(FC_HOST "/scsi_host/host5", "eh_deadline", "off\n");
	fake_put(FC_HCTL "/block/sdd/queue", "max_hw_sectors_kb", "32767\n");
	fake_put(FC_HCTL "/block/sdd/queue", "max_sectors_kb", "1280\n");

	fake_add_disk(ISCSI_HCTL, "sdc", "8:32\n", "2048\n", "LIO-ORG \n", "block0          \n");
	fake_put(ISCSI_SESSION_CLASS, "targetname", "iqn.2003-01.org.linux-iscsi.tgt:sn.1234\n");
	fake_put(ISCSI_SESSION_CLASS, "recovery_tmo", "120\n");
	fake_put(ISCSI_HCTL "/block/sdc/queue", "max_hw_sectors_kb", "512\n");
	fake_put(ISCSI_HCTL "/block/sdc/queue", "max_sectors_kb", "512\n");
	/* host3 has no eh_deadline: a host whose driver has no error handler */
}

static struct mp_path *get(const char *name)
{
	struct mp_path *p = NULL;

	build_tree();
	CU_ASSERT_EQUAL_FATAL(mp_path_new_from_sysfs(ctx, fake_root, name, &p), 0);
	return p;
}

/* The first line of fake_root/rel. */
static char *value_of(const char *rel)
{
	_cleanup_free_ char *path = fake_join(fake_root, rel);
	static char buf[64];
	FILE *f = fopen(path, "re");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* What the callback heard. */
struct heard {
	size_t n;
	struct {
		enum mp_tattr attr;
		char file[512], old[24], value[24];
		int error;
		unsigned why;
	} w[8];
};

static void hear(const struct mp_tattr_write *w, void *userdata)
{
	struct heard *h = userdata;

	CU_ASSERT_FATAL(h->n < ARRAY_SIZE(h->w));
	h->w[h->n].attr = w->attr;
	snprintf(h->w[h->n].file, sizeof(h->w[h->n].file), "%s", w->file);
	snprintf(h->w[h->n].old, sizeof(h->w[h->n].old), "%s", w->old ?: "(null)");
	snprintf(h->w[h->n].value, sizeof(h->w[h->n].value), "%s", w->value ?: "(null)");
	h->w[h->n].error = w->error;
	h->w[h->n].why = w->why;
	h->n++;
}

/* Write i was attr from old to value in file fake_root/rel, for why. */
static void check_heard(const struct heard *h, size_t i, enum mp_tattr attr, const char *rel,
			const char *old, const char *value, int error, unsigned why)
{
	_cleanup_free_ char *file = fake_join(fake_root, rel);

	CU_ASSERT_FATAL(i < h->n);
	CU_ASSERT_EQUAL(h->w[i].attr, attr);
	CU_ASSERT_STRING_EQUAL(h->w[i].file, file);
	CU_ASSERT_STRING_EQUAL(h->w[i].old, old);
	CU_ASSERT_STRING_EQUAL(h->w[i].value, value);
	CU_ASSERT_EQUAL(h->w[i].error, error);
	CU_ASSERT_EQUAL(h->w[i].why, why);
}

static void test_apply_fc(void)
{
	_cleanup_(mp_path_unrefp) struct mp_path *p = get("sdd");
	struct mp_settings s = fc_settings(5, MP_TMO_UNSET, MP_NO_PATH_TIMEOUT, 60);
	struct heard h = {};

	/* fast_io_fail_tmo on, then dev_loss_tmo raised to outlast 60 s of queueing */
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(p, &s, hear, &h), 0);
	CU_ASSERT_EQUAL(h.n, 2);
	check_heard(&h, 0, F, FC_RPORT_CLASS "/fast_io_fail_tmo", "off", "5", 0, 0);
	check_heard(&h, 1, L, FC_RPORT_CLASS "/dev_loss_tmo", "30", "70", 0,
		    MP_TATTR_FOR_QUEUEING);
	CU_ASSERT_STRING_EQUAL(value_of(FC_RPORT_CLASS "/fast_io_fail_tmo"), "5");
	CU_ASSERT_STRING_EQUAL(value_of(FC_RPORT_CLASS "/dev_loss_tmo"), "70");

	/* again: every value is in place, nothing is written */
	h = (struct heard){};
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(p, &s, hear, &h), 0);
	CU_ASSERT_EQUAL(h.n, 0);

	/* the host's eh_deadline; off and over 600 s, through a step the kernel takes */
	s = fc_settings(599, 3600, MP_NO_PATH_FAIL, 0);
	s.eh_deadline = 10;
	fake_put(FC_RPORT_CLASS, "fast_io_fail_tmo", "off\n");
	fake_put(FC_RPORT_CLASS, "dev_loss_tmo", "30\n");
	h = (struct heard){};
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(p, &s, hear, &h), 0);
	CU_ASSERT_EQUAL(h.n, 4);
	check_heard(&h, 0, L, FC_RPORT_CLASS "/dev_loss_tmo", "30", "600", 0, MP_TATTR_STEP);
	check_heard(&h, 1, F, FC_RPORT_CLASS "/fast_io_fail_tmo", "off", "599", 0, 0);
	check_heard(&h, 2, L, FC_RPORT_CLASS "/dev_loss_tmo", "30", "3600", 0, 0);
	check_heard(&h, 3, MP_TATTR_EH_DEADLINE, FC_HOST "/scsi_host/host5/eh_deadline", "off",
		    "10", 0, 0);
	CU_ASSERT_STRING_EQUAL(value_of(FC_RPORT_CLASS "/dev_loss_tmo"), "3600");
	CU_ASSERT_STRING_EQUAL(value_of(FC_HOST "/scsi_host/host5/eh_deadline"), "10");

	/* unset leaves every value alone, whatever it is */
	s = fc_settings(MP_TMO_UNSET, MP_TMO_UNSET, MP_NO_PATH_QUEUE, 0);
	h = (struct heard){};
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(p, &s, hear, &h), 0);
	CU_ASSERT_EQUAL(h.n, 0);
	CU_ASSERT_STRING_EQUAL(value_of(FC_RPORT_CLASS "/fast_io_fail_tmo"), "599");

	/* a value that does not read: a warning, nothing written to that port */
	fake_put(FC_RPORT_CLASS, "dev_loss_tmo", "lots\n");
	s = fc_settings(7, MP_TMO_UNSET, MP_NO_PATH_FAIL, 0);
	h = (struct heard){};
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(p, &s, hear, &h), 1);
	CU_ASSERT_EQUAL(h.n, 1);
	check_heard(&h, 0, L, FC_RPORT_CLASS "/dev_loss_tmo", "(null)", "(null)", -EBADMSG, 0);
	CU_ASSERT_STRING_EQUAL(value_of(FC_RPORT_CLASS "/fast_io_fail_tmo"), "599");
	fake_put(FC_RPORT_CLASS, "dev_loss_tmo", "3600\n");
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(NULL, &s, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(p, NULL, NULL, NULL), -EINVAL);
}

static void test_apply_iscsi(void)
{
	_cleanup_(mp_path_unrefp) struct mp_path *p = get("sdc");
	_cleanup_free_ char *attr = NULL;
	struct mp_settings s = fc_settings(5, 60, MP_NO_PATH_QUEUE, 0);
	struct heard h = {};

	/* the session's recovery_tmo; the FC settings mean nothing here */
	s.iscsi_recovery_tmo = 5;
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(p, &s, hear, &h), 0);
	CU_ASSERT_EQUAL(h.n, 1);
	check_heard(&h, 0, MP_TATTR_RECOVERY_TMO, ISCSI_SESSION_CLASS "/recovery_tmo", "120", "5",
		    0, 0);
	CU_ASSERT_STRING_EQUAL(value_of(ISCSI_SESSION_CLASS "/recovery_tmo"), "5");

	/* a host without eh_deadline: a failure reported, the session's value still written */
	s.eh_deadline = MP_TMO_OFF;
	s.iscsi_recovery_tmo = 15;
	h = (struct heard){};
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(p, &s, hear, &h), 1);
	CU_ASSERT_EQUAL(h.n, 2);
	check_heard(&h, 0, MP_TATTR_RECOVERY_TMO, ISCSI_SESSION_CLASS "/recovery_tmo", "5", "15",
		    0, 0);
	check_heard(&h, 1, MP_TATTR_EH_DEADLINE, ISCSI_HOST "/scsi_host/host3/eh_deadline",
		    "(null)", "(null)", -ENOENT, 0);

	/* a write the kernel refuses: the error, for the caller to warn of (no failed path) */
	attr = fake_join(fake_root, ISCSI_SESSION_CLASS "/recovery_tmo");
	CU_ASSERT_EQUAL_FATAL(unlink(attr), 0);
	CU_ASSERT_EQUAL_FATAL(symlink("/proc/self/oom_score", attr), 0);
	s = fc_settings(MP_TMO_UNSET, MP_TMO_UNSET, MP_NO_PATH_FAIL, 0);
	s.iscsi_recovery_tmo = 86400; /* no oom_score is that high */
	h = (struct heard){};
	CU_ASSERT_EQUAL(mp_path_apply_timeouts(p, &s, hear, &h), 1);
	CU_ASSERT_EQUAL(h.n, 1);
	CU_ASSERT_EQUAL(h.w[0].attr, MP_TATTR_RECOVERY_TMO);
	CU_ASSERT_STRING_EQUAL(h.w[0].value, "86400");
	CU_ASSERT(h.w[0].error < 0);
	CU_ASSERT_EQUAL_FATAL(unlink(attr), 0);
	fake_put(ISCSI_SESSION_CLASS, "recovery_tmo", "15\n");
}

static void test_max_sectors_kb(void)
{
	_cleanup_(mp_path_unrefp) struct mp_path *fc = get("sdd"), *iscsi = get("sdc");
	const struct mp_path *both[] = { fc, iscsi };
	struct heard h = {};

	/* the smallest of the setting and every path's hardware limit */
	CU_ASSERT_EQUAL(mp_paths_max_sectors_kb(both, 2, 1024), 512);
	CU_ASSERT_EQUAL(mp_paths_max_sectors_kb(both, 1, 1024), 1024);
	CU_ASSERT_EQUAL(mp_paths_max_sectors_kb(both, 2, 256), 256);
	CU_ASSERT_EQUAL(mp_paths_max_sectors_kb(both, 2, MP_TMO_UNSET), MP_TMO_UNSET);
	CU_ASSERT_EQUAL(mp_paths_max_sectors_kb(NULL, 0, 64), 64);

	CU_ASSERT_EQUAL(mp_path_set_max_sectors_kb(fc, 512, hear, &h), 1);
	CU_ASSERT_EQUAL(h.n, 1);
	check_heard(&h, 0, MP_TATTR_MAX_SECTORS_KB, FC_HCTL "/block/sdd/queue/max_sectors_kb",
		    "1280", "512", 0, MP_TATTR_MAP_MIN);
	CU_ASSERT_STRING_EQUAL(value_of(FC_HCTL "/block/sdd/queue/max_sectors_kb"), "512");
	/* there already, or unset: nothing */
	h = (struct heard){};
	CU_ASSERT_EQUAL(mp_path_set_max_sectors_kb(fc, 512, hear, &h), 0);
	CU_ASSERT_EQUAL(mp_path_set_max_sectors_kb(fc, MP_TMO_UNSET, hear, &h), 0);
	CU_ASSERT_EQUAL(h.n, 0);

	/* under a map (a holder): never changed, and said so */
	fake_put(FC_HCTL "/block/sdd/holders/dm-3", "dev", "253:3\n");
	CU_ASSERT_EQUAL(mp_path_set_max_sectors_kb(fc, 256, hear, &h), -EBUSY);
	CU_ASSERT_EQUAL(h.n, 1);
	check_heard(&h, 0, MP_TATTR_MAX_SECTORS_KB, FC_HCTL "/block/sdd/queue/max_sectors_kb",
		    "512", "256", -EBUSY, MP_TATTR_MAP_MIN | MP_TATTR_IN_USE);
	CU_ASSERT_STRING_EQUAL(value_of(FC_HCTL "/block/sdd/queue/max_sectors_kb"), "512");
	CU_ASSERT_EQUAL(mp_path_set_max_sectors_kb(NULL, 256, NULL, NULL), -EINVAL);
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(mp_tattr_to_string(MP_TATTR_FAST_IO_FAIL_TMO), "fast_io_fail_tmo");
	CU_ASSERT_STRING_EQUAL(mp_tattr_to_string(MP_TATTR_RECOVERY_TMO), "recovery_tmo");
	CU_ASSERT_STRING_EQUAL(mp_tattr_to_string(MP_TATTR_MAX_SECTORS_KB), "max_sectors_kb");
	CU_ASSERT_PTR_NULL(mp_tattr_to_string(_MP_TATTR_MAX));
	CU_ASSERT_PTR_NULL(mp_tattr_to_string(_MP_TATTR_INVALID));
}

static void test_cleanup(void)
{
	if (ctx) {
		fake_sysfs_remove();
		ctx = mp_ctx_unref(ctx);
	}
}

static const struct unit_test tests[] = {
	{ "FC remote port: the rules", test_rport_want },
	{ "FC remote port: the order of writes", test_rport_plan_cases },
	{ "FC remote port: every plan the kernel takes", test_rport_plan_grid },
	{ "FC path: timeouts written, in order, once", test_apply_fc },
	{ "iSCSI path: recovery_tmo, failures", test_apply_iscsi },
	{ "max_sectors_kb: the map's smallest, never under a map", test_max_sectors_kb },
	{ "attribute names", test_names },
	{ "cleanup", test_cleanup },
};

UNIT_MAIN("transport", tests)
