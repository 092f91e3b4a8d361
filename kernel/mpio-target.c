// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-target.c - the device-mapper target "mpio": multipath I/O.
 *
 * A map is a list of priority groups of paths to one logical unit. I/O goes
 * to the current group, where a path selector picks a path for each I/O.
 * A path error fails the path and the I/O is retried on another path, then
 * on the next group; a target error (medium, reservation conflict, ...) is
 * returned to the caller and leaves the path alone. With no usable path the
 * I/O is queued (queue_if_no_path), for at most no_path_timeout seconds;
 * once that has expired, the next usable path turns queueing on again.
 * A write that failed on a path in a way that leaves its fate unknown is
 * sent again (or failed) only once write_quiesce_ms have passed since it
 * was sent down that path, so that a copy still in flight behind the
 * failed path cannot land after the write completed and overwrite newer
 * data (a "ghost write"); see mpio_write_must_wait().
 *
 * The table grammar is the one of the in-kernel "multipath" target, plus the
 * no_path_timeout and write_quiesce_ms features; see the comment above
 * mpio_ctr(). Status output keeps the multipath layout and appends per-path
 * counters; see the comment above mpio_status().
 *
 * Locking: groups and paths are immutable after the constructor. The I/O
 * path reads m->current_pg and path states with READ_ONCE() and lets the
 * group's selector choose using only atomics and per-CPU data. m->lock is
 * taken only when the current group has no usable path, when I/O must be
 * held (a write after a path error too), and for state changes (fail,
 * reinstate, messages, pg_init).
 */
#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/device-mapper.h>
#include <linux/dm-ioctl.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/kobject.h>
#include <linux/llist.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <scsi/scsi_dh.h>

#include "mpio.h"

#define DM_MSG_PREFIX "mpio"

#define MPIO_MAX_FEATURE_ARGS		16
#define MPIO_MAX_NO_PATH_TIMEOUT	86400		/* seconds */
#define MPIO_PG_INIT_DELAY_UNSET	UINT_MAX
#define MPIO_PG_INIT_DELAY_MSECS	2000		/* when unset */
#define MPIO_MAX_WRITE_QUIESCE_MS	60000
/*
 * The write quiesce time when the table sets none: how long after a write
 * was sent down a path the storage may still carry it out. 20 s covers a
 * target that holds a write 15 s (F13 in tests/faults/README.md) and stays
 * under the 30 s the SCSI disk driver lets a command run on a healthy path
 * before it aborts it. See "Ghost writes" in kernel/README.md for the cost.
 */
#define MPIO_WRITE_QUIESCE_MS		20000
/*
 * A write that fails on a path within this time of its send, with a status
 * other than BLK_STS_TRANSPORT or BLK_STS_TIMEOUT, was refused before it
 * left the host (see mpio_write_must_wait()).
 */
#define MPIO_WRITE_REFUSED_MS		1000

enum mpio_flag_bits {
	MPIOF_QUEUE_IF_NO_PATH,		/* queue I/O when no path is usable */
	MPIOF_SAVED_QUEUE_IF_NO_PATH,	/* the above, saved over a suspend */
	MPIOF_NOPATH_EXPIRED,		/* no_path_timeout turned queueing off:
					 * on again with the next usable path */
	MPIOF_QUEUE_IO,			/* hold all I/O: pg_init in flight */
	MPIOF_PG_INIT_REQUIRED,		/* the current group needs pg_init */
	MPIOF_PG_INIT_DELAY_RETRY,	/* delay the next pg_init attempt */
	MPIOF_PG_INIT_DISABLED,		/* no new pg_init (suspend, dtr) */
};

#define MPIO_HOLD_MASK	(BIT(MPIOF_QUEUE_IO) | BIT(MPIOF_PG_INIT_REQUIRED))
/* queue_if_no_path as the table or the last message set it */
#define MPIO_QUEUE_WANTED_MASK	(BIT(MPIOF_QUEUE_IF_NO_PATH) |		\
				 BIT(MPIOF_SAVED_QUEUE_IF_NO_PATH) |	\
				 BIT(MPIOF_NOPATH_EXPIRED))

struct mpio {
	struct dm_target *ti;
	spinlock_t lock;		/* state changes, held I/O */
	unsigned long flags;		/* MPIOF_* */
	enum dm_queue_mode queue_mode;

	struct mpio_group *current_pg;	/* READ_ONCE in the I/O path */
	struct mpio_group *next_pg;	/* switch_group or initial group */
	atomic_t nr_valid_paths;
	unsigned int nr_groups;
	struct mpio_group **groups;

	char *hw_handler_name;		/* scsi_dh handler, or NULL */
	char *hw_handler_params;	/* "<n>\0<arg>\0..." for scsi_dh */
	unsigned int hw_handler_argc;	/* args in hw_handler_params */
	unsigned int pg_init_retries;
	unsigned int pg_init_delay_msecs;
	atomic_t pg_init_in_progress;
	atomic_t pg_init_count;		/* attempts for the current group */
	wait_queue_head_t pg_init_wait;

	bool io_hooks;			/* a group's selector has I/O hooks */
	unsigned int no_path_timeout;	/* seconds, 0: queue without bound */
	struct timer_list nopath_timer;

	unsigned int write_quiesce_ms;	/* 0: retry failed writes at once */
	unsigned long write_quiesce;	/* the same in jiffies */
	unsigned int id;		/* this table's, for rq_quiesced */
	atomic_t rq_quiesced;		/* rq mode: writes held, for status */

	struct bio_list queued_bios;	/* bio mode, under lock */
	struct work_struct process_queued_bios;
	/*
	 * Bio mode, under lock: writes that failed on a path, until their
	 * quiesce time has passed; not in deadline order. The work runs at
	 * the earliest deadline (quiesce_next, when quiesce_armed).
	 */
	struct bio_list quiesced_bios;
	struct delayed_work release_quiesced;
	unsigned long quiesce_next;
	bool quiesce_armed;
	unsigned int nr_quiesced;	/* in quiesced_bios */
	struct work_struct trigger_event;
	struct work_struct uevent_work;
	struct llist_head uevents;
	struct mutex work_mutex;	/* messages against suspend */
};

/* Per-I/O data, per bio in bio mode and per request in rq mode. */
struct mpio_io {
	struct mpio_path *path;		/* NULL when not mapped to a path */
	size_t nr_bytes;
	u64 start_ns;			/* 0 when the I/O is not timed */
	unsigned long sent;		/* jiffies when last sent down a path */
	/*
	 * rq mode: a failed write waits until @retry_after; it was counted
	 * in rq_quiesced of the table whose id is @quiesce_table.
	 */
	bool quiesce;
	unsigned int quiesce_table;
	unsigned long retry_after;
	/* bio mode: the clone as it was mapped, restored before a retry */
	struct bvec_iter saved_iter;
	unsigned int saved_flags;
	int saved_remaining;
};

enum mpio_uevent_action {
	MPIO_PATH_FAILED,
	MPIO_PATH_REINSTATED,
};

struct mpio_uevent {
	struct llist_node node;
	enum mpio_uevent_action action;
	unsigned int nr_valid_paths;
	char path[16];
};

static struct workqueue_struct *kmpiod;		/* retries, held bios */
static struct workqueue_struct *kmpio_handlerd;	/* pg_init activations */
static atomic_t mpio_table_ids = ATOMIC_INIT(0);	/* struct mpio's id */

static void mpio_activate_path_work(struct work_struct *work);

/*
 * ---------------------------------------------------------------------
 * Allocation
 * ---------------------------------------------------------------------
 */
static void mpio_free_path(struct dm_target *ti, struct mpio_path *p)
{
	if (p->dev)
		dm_put_device(ti, p->dev);
	free_percpu(p->stats);
	kfree(p);
}

static void mpio_free_group(struct dm_target *ti, struct mpio_group *pg)
{
	unsigned int i;

	mpio_ps_destroy(pg);
	for (i = 0; i < pg->nr_paths; i++)
		mpio_free_path(ti, pg->paths[i]);
	kfree(pg);
}

static void mpio_free(struct mpio *m)
{
	unsigned int i;

	if (m->groups) {
		for (i = 0; i < m->nr_groups; i++)
			if (m->groups[i])
				mpio_free_group(m->ti, m->groups[i]);
		kfree(m->groups);
	}
	kfree(m->hw_handler_name);
	kfree(m->hw_handler_params);
	kfree(m);
}

/*
 * ---------------------------------------------------------------------
 * Events
 * ---------------------------------------------------------------------
 */
static void mpio_trigger_event_work(struct work_struct *work)
{
	struct mpio *m = container_of(work, struct mpio, trigger_event);

	dm_table_event(m->ti->table);
}

static const char *const mpio_uevent_names[] = {
	[MPIO_PATH_FAILED] = "PATH_FAILED",
	[MPIO_PATH_REINSTATED] = "PATH_REINSTATED",
};

/*
 * Send the queued path uevents, oldest first, on the dm disk, with the
 * variables the multipath target sends: DM_TARGET, DM_ACTION, DM_PATH,
 * DM_NR_VALID_PATHS, DM_NAME and DM_UUID.
 */
static void mpio_uevent_work(struct work_struct *work)
{
	struct mpio *m = container_of(work, struct mpio, uevent_work);
	struct mapped_device *md = dm_table_get_md(m->ti->table);
	struct kobject *kobj = &disk_to_dev(dm_disk(md))->kobj;
	struct llist_node *list = llist_reverse_order(llist_del_all(&m->uevents));
	struct mpio_uevent *ev, *tmp;
	char *buf, *name, *uuid;

	buf = kzalloc(DM_NAME_LEN + DM_UUID_LEN + 3 * 64, GFP_KERNEL);
	name = buf;
	uuid = buf ? buf + DM_NAME_LEN : NULL;
	if (buf && dm_copy_name_and_uuid(md, name, uuid))
		name[0] = uuid[0] = '\0';

	llist_for_each_entry_safe(ev, tmp, list, node) {
		if (buf) {
			char *vars = uuid + DM_UUID_LEN;
			char *envp[7] = {
				"DM_TARGET=mpio", vars, vars + 64, vars + 128,
				NULL, NULL, NULL,
			};

			snprintf(vars, 64, "DM_ACTION=%s",
				 mpio_uevent_names[ev->action]);
			snprintf(vars + 64, 64, "DM_PATH=%s", ev->path);
			snprintf(vars + 128, 64, "DM_NR_VALID_PATHS=%u",
				 ev->nr_valid_paths);
			envp[4] = kasprintf(GFP_KERNEL, "DM_NAME=%s", name);
			envp[5] = kasprintf(GFP_KERNEL, "DM_UUID=%s", uuid);
			if (envp[4] && envp[5])
				kobject_uevent_env(kobj, KOBJ_CHANGE, envp);
			kfree(envp[4]);
			kfree(envp[5]);
		}
		kfree(ev);
	}
	kfree(buf);
}

/* Queue a path uevent; any context. */
static void mpio_queue_uevent(struct mpio *m, enum mpio_uevent_action action,
			      struct mpio_path *p, unsigned int nr_valid)
{
	struct mpio_uevent *ev = kzalloc(sizeof(*ev), GFP_ATOMIC);

	if (!ev)
		return;
	ev->action = action;
	ev->nr_valid_paths = nr_valid;
	strscpy(ev->path, p->dev->name, sizeof(ev->path));
	llist_add(&ev->node, &m->uevents);
	schedule_work(&m->uevent_work);
}

/*
 * ---------------------------------------------------------------------
 * Queueing state
 * ---------------------------------------------------------------------
 */

/* Restart I/O that the target or dm core holds for lack of a path. */
static void mpio_kick_queued_io(struct mpio *m)
{
	if (m->queue_mode == DM_TYPE_REQUEST_BASED) {
		dm_table_run_md_queue_async(m->ti->table);
		dm_mq_kick_requeue_list(dm_table_get_md(m->ti->table));
	} else {
		queue_work(kmpiod, &m->process_queued_bios);
	}
}

/* Called with m->lock held when queueing may have become unbounded. */
static void __mpio_arm_nopath_timer(struct mpio *m)
{
	lockdep_assert_held(&m->lock);

	if (m->no_path_timeout && !atomic_read(&m->nr_valid_paths) &&
	    test_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags))
		mod_timer(&m->nopath_timer,
			  jiffies + m->no_path_timeout * HZ);
}

/*
 * Turn queue_if_no_path on or off. @save keeps the setting for
 * mpio_resume(), an expired no_path_timeout counting as "on": the resume
 * starts a new period without a path, as a table load does. Without @save
 * (a message) the setting is the one asked for: a plain "off"
 * (fail_if_no_path) also drops a saved "on", and a path's return does not
 * undo either.
 */
static void mpio_set_queue_if_no_path(struct mpio *m, bool queue, bool save)
{
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	if (save)
		assign_bit(MPIOF_SAVED_QUEUE_IF_NO_PATH, &m->flags,
			   test_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags) ||
			   test_bit(MPIOF_NOPATH_EXPIRED, &m->flags));
	else if (!queue)
		clear_bit(MPIOF_SAVED_QUEUE_IF_NO_PATH, &m->flags);
	clear_bit(MPIOF_NOPATH_EXPIRED, &m->flags);
	assign_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags, queue);
	if (queue)
		__mpio_arm_nopath_timer(m);
	spin_unlock_irqrestore(&m->lock, flags);

	if (!queue)
		mpio_kick_queued_io(m);
}

/*
 * no_path_timeout expired: stop queueing and fail what is queued, until a
 * path is usable again (mpio_reinstate_path() turns queueing back on).
 */
static void mpio_nopath_timeout(struct timer_list *t)
{
	struct mpio *m = mpio_from_timer(m, t, nopath_timer);
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	if (atomic_read(&m->nr_valid_paths) ||
	    !test_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags)) {
		spin_unlock_irqrestore(&m->lock, flags);
		return;
	}
	clear_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags);
	clear_bit(MPIOF_SAVED_QUEUE_IF_NO_PATH, &m->flags);
	set_bit(MPIOF_NOPATH_EXPIRED, &m->flags);
	spin_unlock_irqrestore(&m->lock, flags);

	DMWARN("%s: no usable path for %u s, failing queued I/O",
	       dm_table_device_name(m->ti->table), m->no_path_timeout);
	mpio_kick_queued_io(m);
	schedule_work(&m->trigger_event);
}

/*
 * ---------------------------------------------------------------------
 * Group activation (pg_init through scsi_dh)
 * ---------------------------------------------------------------------
 */

/*
 * Queue the activation of every usable path of the current group.
 * Returns true if activations are in flight.
 */
static bool __mpio_pg_init_all_paths(struct mpio *m)
{
	struct mpio_group *pg = m->current_pg;
	unsigned long delay = 0;
	unsigned int i;

	lockdep_assert_held(&m->lock);

	if (atomic_read(&m->pg_init_in_progress) ||
	    test_bit(MPIOF_PG_INIT_DISABLED, &m->flags))
		return false;

	atomic_inc(&m->pg_init_count);
	clear_bit(MPIOF_PG_INIT_REQUIRED, &m->flags);
	if (!pg)
		return false;

	if (test_bit(MPIOF_PG_INIT_DELAY_RETRY, &m->flags))
		delay = msecs_to_jiffies(m->pg_init_delay_msecs ==
					 MPIO_PG_INIT_DELAY_UNSET ?
					 MPIO_PG_INIT_DELAY_MSECS :
					 m->pg_init_delay_msecs);

	for (i = 0; i < pg->nr_paths; i++) {
		struct mpio_path *p = pg->paths[i];

		if (!p->is_active)
			continue;
		if (queue_delayed_work(kmpio_handlerd, &p->activate_work,
				       delay))
			atomic_inc(&m->pg_init_in_progress);
	}
	return atomic_read(&m->pg_init_in_progress);
}

/*
 * Start pg_init if the current group needs it; once nothing is left to
 * wait for, release the I/O held for it.
 *
 * mpio_flush_pg_init() waits for no activation to be in flight, not for
 * the group to be ready: it is woken whenever none is, even when one is
 * still required but may not start (PG_INIT_DISABLED during a suspend or
 * destruction). The held I/O then stays held until the resume lets the
 * activation start.
 */
static void __mpio_pg_init_kick(struct mpio *m)
{
	lockdep_assert_held(&m->lock);

	if (test_bit(MPIOF_PG_INIT_REQUIRED, &m->flags) &&
	    __mpio_pg_init_all_paths(m))
		return;
	if (atomic_read(&m->pg_init_in_progress))
		return;
	wake_up(&m->pg_init_wait);
	if (test_bit(MPIOF_PG_INIT_REQUIRED, &m->flags))
		return;
	if (test_and_clear_bit(MPIOF_QUEUE_IO, &m->flags))
		mpio_kick_queued_io(m);
}

static void mpio_pg_init_kick(struct mpio *m)
{
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	__mpio_pg_init_kick(m);
	spin_unlock_irqrestore(&m->lock, flags);
}

/* Make @pg the current group; m->lock held. */
static void __mpio_switch_group(struct mpio *m, struct mpio_group *pg)
{
	lockdep_assert_held(&m->lock);

	WRITE_ONCE(m->current_pg, pg);
	if (m->hw_handler_name) {
		set_bit(MPIOF_PG_INIT_REQUIRED, &m->flags);
		set_bit(MPIOF_QUEUE_IO, &m->flags);
		atomic_set(&m->pg_init_count, 0);
	} else {
		clear_bit(MPIOF_PG_INIT_REQUIRED, &m->flags);
		clear_bit(MPIOF_QUEUE_IO, &m->flags);
	}
}

/*
 * ---------------------------------------------------------------------
 * Path state
 * ---------------------------------------------------------------------
 */

/*
 * A failed or reinstated path is logged with a rate limit: a loop of
 * fail_path/reinstate_path messages, or a flapping path, would flood the
 * log. Every change still sends its uevent and table event.
 */
static void mpio_fail_path(struct mpio_path *p)
{
	struct mpio_group *pg = p->pg;
	struct mpio *m = pg->m;
	unsigned int nr_valid;
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	if (!p->is_active) {
		spin_unlock_irqrestore(&m->lock, flags);
		return;
	}
	WRITE_ONCE(p->is_active, false);
	p->fail_count++;
	nr_valid = atomic_dec_return(&m->nr_valid_paths);
	if (pg->ps_type->fail_path)
		pg->ps_type->fail_path(pg, p);
	mpio_queue_uevent(m, MPIO_PATH_FAILED, p, nr_valid);
	if (!nr_valid)
		__mpio_arm_nopath_timer(m);
	spin_unlock_irqrestore(&m->lock, flags);

	DMWARN_LIMIT("%s: failing path %s (%u usable left)",
		     dm_table_device_name(m->ti->table), p->dev->name,
		     nr_valid);
	schedule_work(&m->trigger_event);
}

static void mpio_reinstate_path(struct mpio_path *p)
{
	struct mpio_group *pg = p->pg;
	struct mpio *m = pg->m;
	unsigned int nr_valid;
	unsigned long flags;
	bool rearmed;

	spin_lock_irqsave(&m->lock, flags);
	if (p->is_active) {
		spin_unlock_irqrestore(&m->lock, flags);
		return;
	}
	if (pg->ps_type->reinstate_path)
		pg->ps_type->reinstate_path(pg, p);
	WRITE_ONCE(p->is_active, true);
	nr_valid = atomic_inc_return(&m->nr_valid_paths);
	if (m->hw_handler_name && m->current_pg == pg &&
	    queue_delayed_work(kmpio_handlerd, &p->activate_work, 0))
		atomic_inc(&m->pg_init_in_progress);
	mpio_queue_uevent(m, MPIO_PATH_REINSTATED, p, nr_valid);
	if (nr_valid == 1)
		timer_delete(&m->nopath_timer);
	/* The next time no path is usable, queue for no_path_timeout again. */
	rearmed = test_and_clear_bit(MPIOF_NOPATH_EXPIRED, &m->flags);
	if (rearmed)
		set_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags);
	spin_unlock_irqrestore(&m->lock, flags);

	DMWARN_LIMIT("%s: reinstating path %s (%u usable)",
		     dm_table_device_name(m->ti->table), p->dev->name,
		     nr_valid);
	if (rearmed)
		DMINFO("%s: queueing if no path again (no_path_timeout %u s)",
		       dm_table_device_name(m->ti->table), m->no_path_timeout);
	if (nr_valid == 1)
		mpio_kick_queued_io(m);
	schedule_work(&m->trigger_event);
}

static void mpio_pg_init_done(void *data, int errors)
{
	struct mpio_path *p = data;
	struct mpio_group *pg = p->pg;
	struct mpio *m = pg->m;
	bool delay_retry = false, retry = false, fail = false;
	unsigned long flags;

	switch (errors) {
	case SCSI_DH_OK:
		break;
	case SCSI_DH_NOSYS:
		if (!m->hw_handler_name) {
			errors = SCSI_DH_OK;
			break;
		}
		DMERR("%s: handler %s cannot activate path %s",
		      dm_table_device_name(m->ti->table), m->hw_handler_name,
		      p->dev->name);
		fail = true;
		break;
	case SCSI_DH_DEV_TEMP_BUSY:
		/* e.g. a controller firmware update: try another group */
		spin_lock_irqsave(&m->lock, flags);
		pg->bypassed = true;
		spin_unlock_irqrestore(&m->lock, flags);
		schedule_work(&m->trigger_event);
		break;
	case SCSI_DH_RETRY:
		delay_retry = true;
		fallthrough;
	case SCSI_DH_IMM_RETRY:
	case SCSI_DH_RES_TEMP_UNAVAIL:
		retry = true;
		errors = SCSI_DH_OK;
		spin_lock_irqsave(&m->lock, flags);
		if (atomic_read(&m->pg_init_count) <= m->pg_init_retries &&
		    !test_bit(MPIOF_PG_INIT_DISABLED, &m->flags))
			set_bit(MPIOF_PG_INIT_REQUIRED, &m->flags);
		else
			fail = true;
		spin_unlock_irqrestore(&m->lock, flags);
		break;
	default:
		fail = true;
		break;
	}
	if (fail) {
		DMWARN("%s: activating path %s failed (scsi_dh error %d)",
		       dm_table_device_name(m->ti->table), p->dev->name, errors);
		mpio_fail_path(p);
	}

	spin_lock_irqsave(&m->lock, flags);
	if (errors) {
		/* Choose a group again at the next I/O. */
		if (m->current_pg == pg)
			WRITE_ONCE(m->current_pg, NULL);
	} else if (!test_bit(MPIOF_PG_INIT_REQUIRED, &m->flags)) {
		pg->bypassed = false;
	}
	if (atomic_dec_return(&m->pg_init_in_progress) == 0) {
		assign_bit(MPIOF_PG_INIT_DELAY_RETRY, &m->flags,
			   retry && delay_retry);
		if (errors && !m->current_pg) {
			clear_bit(MPIOF_PG_INIT_REQUIRED, &m->flags);
			set_bit(MPIOF_QUEUE_IO, &m->flags);
		}
		__mpio_pg_init_kick(m);
		/* mpio_busy() held requests back while pg_init ran. */
		if (m->queue_mode == DM_TYPE_REQUEST_BASED)
			dm_table_run_md_queue_async(m->ti->table);
	}
	spin_unlock_irqrestore(&m->lock, flags);
}

static void mpio_activate_path_work(struct work_struct *work)
{
	struct mpio_path *p = container_of(to_delayed_work(work),
					   struct mpio_path, activate_work);
	struct request_queue *q = bdev_get_queue(p->dev->bdev);

	if (mpio_path_usable(p) && !blk_queue_dying(q))
		scsi_dh_activate(q, mpio_pg_init_done, p);
	else
		mpio_pg_init_done(p, SCSI_DH_DEV_OFFLINED);
}

/*
 * ---------------------------------------------------------------------
 * Path choice
 * ---------------------------------------------------------------------
 */

/*
 * Slow path of mpio_choose_path(), under m->lock: honour a switch_group
 * request, else keep the current group if it still has a usable path, else
 * take the first enabled group with a usable path, else the first disabled
 * (bypassed) one. Returns NULL when no path at all is usable.
 */
static struct mpio_path *mpio_choose_path_slow(struct mpio *m,
					       size_t nr_bytes)
{
	struct mpio_group *pg;
	struct mpio_path *p = NULL;
	unsigned long flags;
	unsigned int i, pass;

	spin_lock_irqsave(&m->lock, flags);
	if (!atomic_read(&m->nr_valid_paths))
		goto none;

	pg = m->next_pg;
	if (pg) {
		m->next_pg = NULL;
		p = pg->ps_type->select_path(pg, nr_bytes);
		if (p)
			goto found;
	}

	pg = m->current_pg;
	if (pg && !pg->bypassed) {
		p = pg->ps_type->select_path(pg, nr_bytes);
		if (p)
			goto out;
	}

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < m->nr_groups; i++) {
			pg = m->groups[i];
			if (pg->bypassed != !!pass)
				continue;
			p = pg->ps_type->select_path(pg, nr_bytes);
			if (!p)
				continue;
			if (pass)
				set_bit(MPIOF_PG_INIT_DELAY_RETRY, &m->flags);
			goto found;
		}
	}
none:
	WRITE_ONCE(m->current_pg, NULL);
	p = NULL;
	goto out;
found:
	if (pg != m->current_pg)
		__mpio_switch_group(m, pg);
out:
	spin_unlock_irqrestore(&m->lock, flags);
	return p;
}

/*
 * Pick a path for an I/O of @nr_bytes, or NULL if none is usable. A group
 * of one path leaves nothing to choose; most other maps use round-robin,
 * which is called directly rather than through the pointer (an indirect
 * call costs a retpoline).
 */
static inline struct mpio_path *mpio_choose_path(struct mpio *m,
						 size_t nr_bytes)
{
	struct mpio_group *pg = READ_ONCE(m->current_pg);
	struct mpio_path *p;

	if (unlikely(!pg))
		return mpio_choose_path_slow(m, nr_bytes);
	if (pg->nr_paths == 1) {
		p = pg->paths[0];
		if (likely(mpio_path_usable(p)))
			return p;
	} else {
		p = INDIRECT_CALL_1(pg->ps_type->select_path,
				    mpio_rr_select_path, pg, nr_bytes);
		if (likely(p))
			return p;
	}
	return mpio_choose_path_slow(m, nr_bytes);
}

static inline bool mpio_io_held(struct mpio *m)
{
	return READ_ONCE(m->flags) & MPIO_HOLD_MASK;
}

/*
 * Per-I/O accounting. The common case (round-robin, I/O not sampled, no
 * error) stays inline and short; clock reads and selector hooks are out of
 * line. One I/O in MPIO_LAT_SAMPLE on each CPU is timed for the latency
 * average, every I/O if the selector wants each latency.
 */
static noinline void mpio_start_io_hooks(struct mpio_path *p,
					 struct mpio_io *io, bool sample)
{
	const struct mpio_ps_type *type = p->pg->ps_type;

	if (sample || type->time_every_io)
		io->start_ns = ktime_get_ns();
	if (type->count_ios)
		atomic_inc(&p->in_flight);
	if (type->count_bytes)
		atomic64_add(io->nr_bytes, &p->in_flight_bytes);
	if (type->start_io)
		type->start_io(p->pg, p, io->nr_bytes);
}

/* Account an I/O mapped to @p; true if it is timed for the sample. */
static inline bool mpio_start_io(struct mpio_path *p, struct mpio_io *io)
{
	u64 n = this_cpu_inc_return(p->stats->ios);
	bool sample = n % MPIO_LAT_SAMPLE == 1;

	this_cpu_add(p->stats->bytes, io->nr_bytes);
	io->path = p;
	io->start_ns = 0;
	io->sent = jiffies;
	if (unlikely(sample || p->pg->io_hooks))
		mpio_start_io_hooks(p, io, sample);
	return sample;
}

static noinline void mpio_end_io_hooks(struct mpio_io *io,
				       blk_status_t status)
{
	struct mpio_path *p = io->path;
	const struct mpio_ps_type *type = p->pg->ps_type;
	u64 lat = 0;

	if (status)
		this_cpu_inc(p->stats->errors);
	if (io->start_ns) {
		lat = ktime_get_ns() - io->start_ns;
		this_cpu_add(p->stats->lat_ns, lat);
		this_cpu_inc(p->stats->lat_count);
	}
	if (type->end_io)
		type->end_io(p->pg, p, io->nr_bytes, lat);
	if (type->count_ios)
		atomic_dec(&p->in_flight);
	if (type->count_bytes)
		atomic64_sub(io->nr_bytes, &p->in_flight_bytes);
}

/* Account the completion of an I/O on io->path; the path is then unset. */
static inline void mpio_end_io(struct mpio_io *io, blk_status_t status)
{
	if (unlikely(status || io->start_ns || io->path->pg->io_hooks))
		mpio_end_io_hooks(io, status);
	io->path = NULL;
}

static bool mpio_path_error(blk_status_t status)
{
	return status && blk_path_error(status);
}

/*
 * Must a write (with data: not an empty flush) that failed on a path with
 * @status wait until write_quiesce has passed since it was sent, because
 * the storage may still hold a copy of it? Reads, and writes sent long
 * enough ago, go at once. Of the statuses a SCSI path gives (Linux 6.1 and
 * later, scsi_result_to_blk_status() and scsi_queue_rq()):
 *
 * - BLK_STS_TRANSPORT (DID_TRANSPORT_FAILFAST, DID_TRANSPORT_MARGINAL):
 *   the transport class gave up on the command, e.g. FC's fast_io_fail
 *   aborting what it had sent: its fate is unknown. BLK_STS_TIMEOUT (other
 *   drivers' timed-out commands) too. Both wait.
 * - BLK_STS_IOERR for every other host byte, and for a request that
 *   scsi_device_state_check() refuses on an offline device ("rejecting I/O
 *   to offline device") or a deleted one. A refusal comes before dispatch
 *   and at once: such a write goes again at once (F1's offlined path). But
 *   an iSCSI session failure also ends as BLK_STS_IOERR with the commands
 *   already sent: libiscsi fails them with DID_TRANSPORT_DISRUPTED, the
 *   midlayer requeues them while the session is blocked, and when
 *   replacement_timeout expires scsi_target_unblock(SDEV_TRANSPORT_OFFLINE)
 *   lets them meet the offline device's refusal (F13). That takes the
 *   transport's detection time plus replacement_timeout, seconds after the
 *   send. So an IOERR waits only when it came MPIO_WRITE_REFUSED_MS or
 *   more after the send. An IOERR after SCSI error handling (a command
 *   timeout, then aborts and resets that failed) comes at least the
 *   command timeout (30 s by default) after the send: by then the quiesce,
 *   counted from the send, is over, and it goes at once too.
 *
 * BLK_STS_OFFLINE, BLK_STS_AGAIN and the rest of the path errors follow the
 * IOERR rule.
 */
static bool mpio_write_must_wait(struct mpio *m, enum req_op op,
				 struct mpio_io *io, blk_status_t status)
{
	unsigned long now = jiffies;

	if (!m->write_quiesce || !op_is_write(op) || !io->nr_bytes ||
	    !time_before(now, io->sent + m->write_quiesce))
		return false;
	if (status == BLK_STS_TRANSPORT || status == BLK_STS_TIMEOUT)
		return true;
	return !time_before(now, io->sent +
			    msecs_to_jiffies(MPIO_WRITE_REFUSED_MS));
}

static void mpio_log_quiesce(struct mpio *m, struct mpio_path *p,
			     struct mpio_io *io, blk_status_t status)
{
	DMINFO_LIMIT("%s: a write failed on %s after %u ms (%d): sent again no sooner than %u ms after its send",
		     dm_table_device_name(m->ti->table), p->dev->name,
		     jiffies_to_msecs(jiffies - io->sent),
		     blk_status_to_errno(status), m->write_quiesce_ms);
}

/*
 * ---------------------------------------------------------------------
 * Bio-based I/O
 * ---------------------------------------------------------------------
 */
static inline struct mpio_io *mpio_bio_io(struct bio *bio)
{
	return dm_per_bio_data(bio, sizeof(struct mpio_io));
}

static void mpio_record_bio(struct mpio_io *io, struct bio *bio)
{
	io->saved_iter = bio->bi_iter;
	io->saved_flags = bio->bi_flags;
	io->saved_remaining = atomic_read(&bio->__bi_remaining);
}

static void mpio_restore_bio(struct mpio_io *io, struct bio *bio)
{
	bio->bi_iter = io->saved_iter;
	bio->bi_flags = io->saved_flags;
	atomic_set(&bio->__bi_remaining, io->saved_remaining);
	bio->bi_status = BLK_STS_OK;
}

/*
 * No path for @bio (@p == NULL), or the group is being activated: queue
 * it, push it back to dm core, or fail it. Returns a DM_MAPIO_* code, or
 * DM_MAPIO_REMAPPED with *@pp set if a path became usable meanwhile.
 */
static int mpio_hold_bio(struct mpio *m, struct bio *bio,
			 struct mpio_path **pp)
{
	struct mpio_path *p = *pp;
	unsigned long flags;
	bool pg_init = false;

	spin_lock_irqsave(&m->lock, flags);
	if (p && !(m->flags & MPIO_HOLD_MASK))
		goto remap;		/* pg_init finished meanwhile */
	if (!p && atomic_read(&m->nr_valid_paths))
		goto retry;		/* a path came back meanwhile */

	if (dm_noflush_suspending(m->ti)) {
		spin_unlock_irqrestore(&m->lock, flags);
		return DM_MAPIO_REQUEUE;
	}
	if (p) {
		pg_init = true;
	} else if (!test_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags)) {
		spin_unlock_irqrestore(&m->lock, flags);
		DMERR_LIMIT("%s: no usable path, failing I/O",
			    dm_table_device_name(m->ti->table));
		return DM_MAPIO_KILL;
	}
	bio_list_add(&m->queued_bios, bio);
	if (pg_init)
		__mpio_pg_init_kick(m);
	spin_unlock_irqrestore(&m->lock, flags);
	return DM_MAPIO_SUBMITTED;

retry:
	spin_unlock_irqrestore(&m->lock, flags);
	*pp = mpio_choose_path(m, bio->bi_iter.bi_size);
	if (!*pp || mpio_io_held(m))
		return mpio_hold_bio(m, bio, pp);
	return DM_MAPIO_REMAPPED;
remap:
	spin_unlock_irqrestore(&m->lock, flags);
	return DM_MAPIO_REMAPPED;
}

/*
 * Bio mode, in a map without I/O hooks: the last bio each CPU timed for the
 * latency sample. Only its completion (and an error's) reads the per-bio
 * data; a stale entry that matches a later bio at the same address finds
 * that bio's own start_ns (0 if it is not timed), so it costs a read only.
 */
static DEFINE_PER_CPU(struct bio *, mpio_timed_bio);

static inline void mpio_remap_bio(struct mpio_path *p, struct mpio_io *io,
				  struct bio *bio)
{
	if (unlikely(mpio_start_io(p, io)))
		this_cpu_write(mpio_timed_bio, bio);
	bio_set_dev(bio, p->bdev);
	bio->bi_opf |= REQ_FAILFAST_TRANSPORT;
}

/* Map @bio when there is no path to send it to at once. */
static noinline int mpio_map_bio_slow(struct mpio *m, struct bio *bio,
				      struct mpio_io *io, struct mpio_path *p)
{
	int r;

	io->path = NULL;
	r = mpio_hold_bio(m, bio, &p);
	if (r == DM_MAPIO_REMAPPED)
		mpio_remap_bio(p, io, bio);
	return r;
}

static __always_inline int __mpio_map_bio(struct mpio *m, struct bio *bio,
					  struct mpio_io *io)
{
	struct mpio_path *p = mpio_choose_path(m, io->nr_bytes);

	if (unlikely(!p || mpio_io_held(m)))
		return mpio_map_bio_slow(m, bio, io, p);
	mpio_remap_bio(p, io, bio);
	return DM_MAPIO_REMAPPED;
}

static int mpio_map_bio(struct dm_target *ti, struct bio *bio)
{
	struct mpio_io *io = mpio_bio_io(bio);

	io->nr_bytes = bio->bi_iter.bi_size;
	mpio_record_bio(io, bio);
	return __mpio_map_bio(ti->private, bio, io);
}

/* Map again the bios held in the target: retries and queued I/O. */
static void mpio_process_queued_bios(struct work_struct *work)
{
	struct mpio *m = container_of(work, struct mpio, process_queued_bios);
	struct bio_list bios;
	struct blk_plug plug;
	struct bio *bio;

	bio_list_init(&bios);
	spin_lock_irq(&m->lock);
	bio_list_merge(&bios, &m->queued_bios);
	bio_list_init(&m->queued_bios);
	spin_unlock_irq(&m->lock);

	if (bio_list_empty(&bios))
		return;

	blk_start_plug(&plug);
	while ((bio = bio_list_pop(&bios))) {
		struct mpio_io *io = mpio_bio_io(bio);

		mpio_restore_bio(io, bio);
		switch (__mpio_map_bio(m, bio, io)) {
		case DM_MAPIO_KILL:
			bio->bi_status = BLK_STS_IOERR;
			bio_endio(bio);
			break;
		case DM_MAPIO_REQUEUE:
			bio->bi_status = BLK_STS_DM_REQUEUE;
			bio_endio(bio);
			break;
		case DM_MAPIO_REMAPPED:
			submit_bio_noacct(bio);
			break;
		default:	/* DM_MAPIO_SUBMITTED: held again */
			break;
		}
	}
	blk_finish_plug(&plug);
}

/*
 * Hold a failed write until its quiesce time has passed; m->lock held.
 * mpio_release_quiesced() then queues it as a retry.
 */
static void __mpio_quiesce_bio(struct mpio *m, struct bio *bio,
			       struct mpio_io *io)
{
	unsigned long deadline = io->sent + m->write_quiesce, now = jiffies;

	lockdep_assert_held(&m->lock);

	bio_list_add(&m->quiesced_bios, bio);
	m->nr_quiesced++;
	if (m->quiesce_armed && !time_before(deadline, m->quiesce_next))
		return;
	m->quiesce_next = deadline;
	m->quiesce_armed = true;
	mod_delayed_work(kmpiod, &m->release_quiesced,
			 time_before(now, deadline) ? deadline - now : 0);
}

/* Move the writes whose quiesce time has passed to the retry queue. */
static void mpio_release_quiesced(struct work_struct *work)
{
	struct mpio *m = container_of(to_delayed_work(work), struct mpio,
				      release_quiesced);
	unsigned long now = jiffies, next = 0;
	bool released = false, more = false;
	struct bio_list bios;
	struct bio *bio;

	spin_lock_irq(&m->lock);
	bios = m->quiesced_bios;
	bio_list_init(&m->quiesced_bios);
	m->nr_quiesced = 0;
	m->quiesce_armed = false;
	while ((bio = bio_list_pop(&bios))) {
		unsigned long deadline = mpio_bio_io(bio)->sent +
					 m->write_quiesce;

		if (time_before(now, deadline)) {
			bio_list_add(&m->quiesced_bios, bio);
			m->nr_quiesced++;
			if (!more || time_before(deadline, next))
				next = deadline;
			more = true;
		} else {
			bio_list_add(&m->queued_bios, bio);
			released = true;
		}
	}
	if (more) {
		m->quiesce_next = next;
		m->quiesce_armed = true;
		mod_delayed_work(kmpiod, &m->release_quiesced, next - now);
	}
	spin_unlock_irq(&m->lock);

	if (released)
		queue_work(kmpiod, &m->process_queued_bios);
}

/*
 * A path error @status on @p: fail the path and retry @bio on another one,
 * a write whose fate is unknown only once its quiesce time has passed.
 */
static noinline int mpio_bio_path_error(struct mpio *m, struct bio *bio,
					struct mpio_io *io, struct mpio_path *p,
					blk_status_t status)
{
	struct dm_target *ti = m->ti;
	unsigned long flags;
	bool kick;

	mpio_fail_path(p);

	spin_lock_irqsave(&m->lock, flags);
	if (mpio_write_must_wait(m, bio_op(bio), io, status)) {
		__mpio_quiesce_bio(m, bio, io);
		spin_unlock_irqrestore(&m->lock, flags);
		mpio_log_quiesce(m, p, io, status);
		return DM_ENDIO_INCOMPLETE;
	}
	kick = atomic_read(&m->nr_valid_paths);
	if (!kick) {
		if (dm_noflush_suspending(ti)) {
			spin_unlock_irqrestore(&m->lock, flags);
			return DM_ENDIO_REQUEUE;
		}
		if (!test_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags)) {
			spin_unlock_irqrestore(&m->lock, flags);
			DMERR_LIMIT("%s: no usable path left, failing I/O",
				    dm_table_device_name(ti->table));
			return DM_ENDIO_DONE;
		}
	}
	bio_list_add(&m->queued_bios, bio);
	spin_unlock_irqrestore(&m->lock, flags);
	if (kick)
		queue_work(kmpiod, &m->process_queued_bios);
	return DM_ENDIO_INCOMPLETE;
}

/* Completion with an error: account it, and retry it on a path error. */
static noinline int mpio_end_io_bio_error(struct dm_target *ti,
					  struct bio *bio, blk_status_t *error)
{
	struct mpio_io *io = mpio_bio_io(bio);
	struct mpio_path *p = io->path;

	if (!p)
		return DM_ENDIO_DONE;	/* failed or requeued by us */
	mpio_end_io(io, *error);
	if (!mpio_path_error(*error))
		return DM_ENDIO_DONE;
	return mpio_bio_path_error(ti->private, bio, io, p, *error);
}

/* A success that runs the hooks or ends the timed bio. */
static noinline int mpio_end_io_bio_hooks(struct bio *bio)
{
	struct mpio_io *io = mpio_bio_io(bio);

	if (this_cpu_read(mpio_timed_bio) == bio)
		this_cpu_write(mpio_timed_bio, NULL);
	if (likely(io->path))
		mpio_end_io(io, BLK_STS_OK);
	return DM_ENDIO_DONE;
}

/*
 * A success without hooks has nothing to account: the counters were
 * updated at the map, and io->path is written by every map.
 */
static int mpio_end_io_bio(struct dm_target *ti, struct bio *bio,
			   blk_status_t *error)
{
	struct mpio *m = ti->private;

	if (unlikely(*error))
		return mpio_end_io_bio_error(ti, bio, error);
	if (unlikely(m->io_hooks || this_cpu_read(mpio_timed_bio) == bio))
		return mpio_end_io_bio_hooks(bio);
	return DM_ENDIO_DONE;
}

/*
 * ---------------------------------------------------------------------
 * Request-based I/O
 * ---------------------------------------------------------------------
 */
static bool mpio_must_requeue_rq(struct mpio *m)
{
	return test_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags) ||
	       dm_noflush_suspending(m->ti);
}

static int mpio_clone_and_map_rq(struct dm_target *ti, struct request *rq,
				 union map_info *map_context,
				 struct request **clone_out)
{
	struct mpio *m = ti->private;
	struct mpio_io *io = map_context->ptr;
	struct request_queue *q;
	struct mpio_path *p;
	struct request *clone;

	io->path = NULL;
	io->nr_bytes = blk_rq_bytes(rq);

	/*
	 * A write that failed on a path waits out its quiesce time, in this
	 * table or the next one (the per-request data outlives a reload).
	 */
	if (unlikely(io->quiesce)) {
		if (time_before(jiffies, io->retry_after))
			return DM_MAPIO_DELAY_REQUEUE;
		io->quiesce = false;
		if (io->quiesce_table == m->id)
			atomic_dec(&m->rq_quiesced);
	}

	p = mpio_choose_path(m, io->nr_bytes);
	if (unlikely(!p)) {
		if (mpio_must_requeue_rq(m))
			return DM_MAPIO_DELAY_REQUEUE;
		DMERR_LIMIT("%s: no usable path, failing I/O",
			    dm_table_device_name(ti->table));
		return DM_MAPIO_KILL;
	}
	if (unlikely(mpio_io_held(m))) {
		mpio_pg_init_kick(m);
		return DM_MAPIO_DELAY_REQUEUE;
	}

	q = bdev_get_queue(p->dev->bdev);
	clone = blk_mq_alloc_request(q, rq->cmd_flags | REQ_NOMERGE,
				     BLK_MQ_REQ_NOWAIT);
	if (IS_ERR(clone)) {
		if (blk_queue_dying(q)) {
			mpio_fail_path(p);
			return DM_MAPIO_DELAY_REQUEUE;
		}
		return DM_MAPIO_REQUEUE;	/* out of tags: try again */
	}
	clone->bio = NULL;
	clone->biotail = NULL;
	clone->cmd_flags |= REQ_FAILFAST_TRANSPORT;
	*clone_out = clone;

	mpio_start_io(p, io);
	return DM_MAPIO_REMAPPED;
}

static void mpio_release_clone_rq(struct request *clone,
				  union map_info *map_context)
{
	/* A map_context means dm-rq could not dispatch the clone. */
	if (map_context) {
		struct mpio_io *io = map_context->ptr;

		if (io->path)
			mpio_end_io(io, BLK_STS_OK);
	}
	blk_mq_free_request(clone);
}

static int mpio_rq_end_io(struct dm_target *ti, struct request *clone,
			  blk_status_t error, union map_info *map_context)
{
	struct mpio *m = ti->private;
	struct mpio_io *io = map_context->ptr;
	struct mpio_path *p = io->path;

	if (p)
		mpio_end_io(io, error);
	if (likely(!mpio_path_error(error)))
		return DM_ENDIO_DONE;

	/* Short of resources below: not the path's fault. */
	if (error == BLK_STS_RESOURCE || error == BLK_STS_DEV_RESOURCE ||
	    error == BLK_STS_AGAIN)
		return DM_ENDIO_DELAY_REQUEUE;

	if (p)
		mpio_fail_path(p);
	/*
	 * The per-request data outlives the requeue: mpio_clone_and_map_rq()
	 * holds the request back until then, and clears the mark.
	 */
	if (p && mpio_write_must_wait(m, req_op(clone), io, error)) {
		io->quiesce = true;
		io->quiesce_table = m->id;
		io->retry_after = io->sent + m->write_quiesce;
		atomic_inc(&m->rq_quiesced);
		mpio_log_quiesce(m, p, io, error);
		return DM_ENDIO_DELAY_REQUEUE;
	}
	if (!atomic_read(&m->nr_valid_paths) && !mpio_must_requeue_rq(m)) {
		DMERR_LIMIT("%s: no usable path left, failing I/O",
			    dm_table_device_name(ti->table));
		return DM_ENDIO_DONE;
	}
	/* dm-rq clones the original request again and maps it anew. */
	return DM_ENDIO_REQUEUE;
}

/*
 * Asked by request-based dm before each request is mapped: busy while a
 * group activation runs, or while every usable path of the group that the
 * next request will use reports its queue busy (blk_lld_busy(): a SCSI
 * device or host at its queue depth). dm then leaves the request on its own
 * queue, where later I/O can merge with it, rather than mapping a clone
 * that could not get a tag below. When the group is not known yet, or has
 * no usable path, mapping decides.
 */
static int mpio_busy(struct dm_target *ti)
{
	struct mpio *m = ti->private;
	struct mpio_group *pg = READ_ONCE(m->current_pg);
	bool usable = false;
	unsigned int i;

	if (atomic_read(&m->pg_init_in_progress))
		return true;
	if (!pg)
		pg = READ_ONCE(m->next_pg);
	if (!pg)
		return false;
	for (i = 0; i < pg->nr_paths; i++) {
		struct mpio_path *p = pg->paths[i];

		if (!mpio_path_usable(p))
			continue;
		if (!blk_lld_busy(bdev_get_queue(p->bdev)))
			return false;
		usable = true;
	}
	return usable;
}

/*
 * ---------------------------------------------------------------------
 * Constructor
 * ---------------------------------------------------------------------
 */
static struct mpio *mpio_alloc(struct dm_target *ti)
{
	struct mpio *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return NULL;
	m->ti = ti;
	m->id = atomic_inc_return(&mpio_table_ids);
	spin_lock_init(&m->lock);
	m->queue_mode = DM_TYPE_BIO_BASED;
	atomic_set(&m->nr_valid_paths, 0);
	atomic_set(&m->pg_init_in_progress, 0);
	atomic_set(&m->pg_init_count, 0);
	m->pg_init_delay_msecs = MPIO_PG_INIT_DELAY_UNSET;
	init_waitqueue_head(&m->pg_init_wait);
	timer_setup(&m->nopath_timer, mpio_nopath_timeout, 0);
	m->write_quiesce_ms = MPIO_WRITE_QUIESCE_MS;
	bio_list_init(&m->queued_bios);
	INIT_WORK(&m->process_queued_bios, mpio_process_queued_bios);
	bio_list_init(&m->quiesced_bios);
	INIT_DELAYED_WORK(&m->release_quiesced, mpio_release_quiesced);
	INIT_WORK(&m->trigger_event, mpio_trigger_event_work);
	INIT_WORK(&m->uevent_work, mpio_uevent_work);
	init_llist_head(&m->uevents);
	mutex_init(&m->work_mutex);
	return m;
}

static int mpio_parse_features(struct dm_arg_set *as, struct mpio *m)
{
	static const struct dm_arg _args[] = {
		{0, MPIO_MAX_FEATURE_ARGS, "invalid number of feature args"},
		{1, 50, "pg_init_retries must be 1..50"},
		{0, 60000, "pg_init_delay_msecs must be 0..60000"},
		{0, MPIO_MAX_NO_PATH_TIMEOUT,
		 "no_path_timeout must be 0..86400 seconds"},
		{0, MPIO_MAX_WRITE_QUIESCE_MS,
		 "write_quiesce_ms must be 0..60000"},
	};
	struct dm_target *ti = m->ti;
	unsigned int argc;
	const char *name;

	if (dm_read_arg_group(_args, as, &argc, &ti->error))
		return -EINVAL;

	while (argc) {
		name = dm_shift_arg(as);
		argc--;

		if (!strcasecmp(name, "queue_if_no_path")) {
			set_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags);
			continue;
		}
		if (!strcasecmp(name, "retain_attached_hw_handler"))
			continue;	/* always the case */

		if (strcasecmp(name, "pg_init_retries") &&
		    strcasecmp(name, "pg_init_delay_msecs") &&
		    strcasecmp(name, "no_path_timeout") &&
		    strcasecmp(name, "write_quiesce_ms") &&
		    strcasecmp(name, "queue_mode")) {
			ti->error = "unknown feature";
			return -EINVAL;
		}
		if (!argc) {
			ti->error = "feature needs a value";
			return -EINVAL;
		}
		argc--;

		if (!strcasecmp(name, "pg_init_retries")) {
			if (dm_read_arg(_args + 1, as, &m->pg_init_retries,
					&ti->error))
				return -EINVAL;
		} else if (!strcasecmp(name, "pg_init_delay_msecs")) {
			if (dm_read_arg(_args + 2, as, &m->pg_init_delay_msecs,
					&ti->error))
				return -EINVAL;
		} else if (!strcasecmp(name, "no_path_timeout")) {
			if (dm_read_arg(_args + 3, as, &m->no_path_timeout,
					&ti->error))
				return -EINVAL;
		} else if (!strcasecmp(name, "write_quiesce_ms")) {
			if (dm_read_arg(_args + 4, as, &m->write_quiesce_ms,
					&ti->error))
				return -EINVAL;
		} else {
			const char *mode = dm_shift_arg(as);

			if (!strcasecmp(mode, "bio")) {
				m->queue_mode = DM_TYPE_BIO_BASED;
			} else if (!strcasecmp(mode, "rq") ||
				   !strcasecmp(mode, "mq")) {
				m->queue_mode = DM_TYPE_REQUEST_BASED;
			} else {
				ti->error = "queue_mode must be bio or rq";
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * <#hw_handler_args> [<hw_handler> [<arg>...]]: the arguments are kept for
 * scsi_dh_set_params() in its "<count>\0<arg>\0..." form.
 */
static int mpio_parse_hw_handler(struct dm_arg_set *as, struct mpio *m)
{
	static const struct dm_arg _args[] = {
		{0, 1024, "invalid number of hardware handler args"},
	};
	struct dm_target *ti = m->ti;
	unsigned int hw_argc, i;
	size_t len;
	char *p;

	if (dm_read_arg_group(_args, as, &hw_argc, &ti->error))
		return -EINVAL;
	if (!hw_argc)
		return 0;

	m->hw_handler_name = kstrdup(dm_shift_arg(as), GFP_KERNEL);
	if (!m->hw_handler_name)
		goto bad_alloc;
	m->hw_handler_argc = --hw_argc;
	if (!hw_argc)
		return 0;

	len = 12;
	for (i = 0; i < hw_argc; i++)
		len += strlen(as->argv[i]) + 1;
	p = kzalloc(len, GFP_KERNEL);
	if (!p)
		goto bad_alloc;
	m->hw_handler_params = p;
	p += sprintf(p, "%u", hw_argc) + 1;
	for (i = 0; i < hw_argc; i++)
		p += sprintf(p, "%s", as->argv[i]) + 1;
	dm_consume_args(as, hw_argc);
	return 0;

bad_alloc:
	ti->error = "out of memory";
	return -ENOMEM;
}

/*
 * Attach the hardware handler to a new path. A handler already attached
 * to the device wins over the table's (its name then shows in the table
 * status), as with the multipath target.
 */
static int mpio_setup_hw_handler(struct mpio *m, struct mpio_path *p)
{
	struct request_queue *q = bdev_get_queue(p->dev->bdev);
	struct dm_target *ti = m->ti;
	const char *attached;
	int r;

	attached = scsi_dh_attached_handler_name(q, GFP_KERNEL);
	if (IS_ERR(attached)) {
		if (PTR_ERR(attached) != -ENODEV) {
			ti->error = "cannot read the attached hardware handler";
			return PTR_ERR(attached);
		}
		/* not a SCSI device */
		if (m->hw_handler_name) {
			DMWARN("%s: hardware handler %s ignored: %s is not SCSI",
			       dm_table_device_name(ti->table),
			       m->hw_handler_name, p->dev->name);
			kfree(m->hw_handler_name);
			m->hw_handler_name = NULL;
			kfree(m->hw_handler_params);
			m->hw_handler_params = NULL;
			m->hw_handler_argc = 0;
		}
		return 0;
	}

	if (attached) {
		if (!m->hw_handler_name ||
		    strcmp(attached, m->hw_handler_name)) {
			kfree(m->hw_handler_params);
			m->hw_handler_params = NULL;
			m->hw_handler_argc = 0;
		}
		kfree(m->hw_handler_name);
		m->hw_handler_name = (char *)attached;
	}
	if (!m->hw_handler_name)
		return 0;

	r = scsi_dh_attach(q, m->hw_handler_name);
	if (r < 0) {
		ti->error = "error attaching hardware handler";
		return -EINVAL;
	}
	if (m->hw_handler_params) {
		r = scsi_dh_set_params(q, m->hw_handler_params);
		if (r < 0) {
			ti->error = "hardware handler rejected its arguments";
			return -EINVAL;
		}
	}
	return 0;
}

/* Is @devt already a path of the map (groups parsed so far and @pg)? */
static bool mpio_has_path(struct mpio *m, struct mpio_group *pg, dev_t devt)
{
	unsigned int i, j;

	for (i = 0; i < m->nr_groups && m->groups[i]; i++)
		for (j = 0; j < m->groups[i]->nr_paths; j++)
			if (m->groups[i]->paths[j]->dev->bdev->bd_dev == devt)
				return true;
	for (j = 0; j < pg->nr_paths; j++)
		if (pg->paths[j]->dev->bdev->bd_dev == devt)
			return true;
	return false;
}

/* <dev> [<per-path arg>...], with @path_argc per-path args. */
static int mpio_parse_path(struct dm_arg_set *as, struct mpio *m,
			   struct mpio_group *pg, unsigned int path_argc)
{
	struct dm_target *ti = m->ti;
	struct mpio_path *p;
	int r;

	if (as->argc < 1 + path_argc) {
		ti->error = "not enough path arguments";
		return -EINVAL;
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		goto bad_alloc;
	p->stats = alloc_percpu(struct mpio_path_stats);
	if (!p->stats)
		goto bad_alloc_stats;
	p->pg = pg;
	p->is_active = true;
	p->index = pg->nr_paths;
	INIT_DELAYED_WORK(&p->activate_work, mpio_activate_path_work);

	r = dm_get_device(ti, as->argv[0], dm_table_get_mode(ti->table),
			  &p->dev);
	if (r) {
		ti->error = "error getting path device";
		if (r != -EBUSY && r != -ENOMEM)
			r = -EINVAL;
		goto bad_free_path;
	}
	p->bdev = p->dev->bdev;
	if (mpio_has_path(m, pg, p->dev->bdev->bd_dev)) {
		ti->error = "duplicate path device";
		r = -EINVAL;
		goto bad_free_path;
	}

	r = mpio_setup_hw_handler(m, p);
	if (r)
		goto bad_free_path;

	r = mpio_ps_add_path(pg, p, path_argc, as->argv + 1, &ti->error);
	if (r)
		goto bad_free_path;

	pg->paths[pg->nr_paths++] = p;
	dm_consume_args(as, 1 + path_argc);
	return 0;

bad_free_path:
	mpio_free_path(ti, p);
	return r;
bad_alloc_stats:
	kfree(p);
bad_alloc:
	ti->error = "out of memory";
	return -ENOMEM;
}

/*
 * <selector> <#selector_args> [<arg>...] <#paths> <#per_path_args>
 *	<path>...
 */
static int mpio_parse_group(struct dm_arg_set *as, struct mpio *m,
			    unsigned int nr)
{
	static const struct dm_arg _args[] = {
		{0, 1024, "invalid number of selector args"},
		{1, 1024, "invalid number of paths in group"},
		{0, 1024, "invalid number of per-path args"},
	};
	const struct mpio_ps_type *type;
	struct dm_target *ti = m->ti;
	unsigned int ps_argc, nr_paths, path_argc, i;
	struct mpio_group *pg;
	char **ps_argv;
	int r;

	if (!as->argc) {
		ti->error = "fewer priority groups than announced";
		return -EINVAL;
	}
	type = mpio_find_selector(dm_shift_arg(as));
	if (!type) {
		ti->error = "unknown path selector type";
		return -EINVAL;
	}
	if (dm_read_arg_group(_args, as, &ps_argc, &ti->error))
		return -EINVAL;
	ps_argv = as->argv;
	dm_consume_args(as, ps_argc);

	if (dm_read_arg(_args + 1, as, &nr_paths, &ti->error) ||
	    dm_read_arg(_args + 2, as, &path_argc, &ti->error))
		return -EINVAL;

	pg = kzalloc(struct_size(pg, paths, nr_paths), GFP_KERNEL);
	if (!pg) {
		ti->error = "out of memory";
		return -ENOMEM;
	}
	pg->m = m;
	pg->nr = nr;

	r = mpio_ps_create(pg, type, ps_argc, ps_argv, &ti->error);
	if (r)
		goto bad_free_group;
	pg->io_hooks = type->start_io || type->end_io || type->time_every_io ||
		       type->count_ios || type->count_bytes;
	m->io_hooks |= pg->io_hooks;

	for (i = 0; i < nr_paths; i++) {
		r = mpio_parse_path(as, m, pg, path_argc);
		if (r)
			goto bad_free_group;
	}

	m->groups[nr - 1] = pg;
	atomic_add(pg->nr_paths, &m->nr_valid_paths);
	return 0;

bad_free_group:
	mpio_free_group(ti, pg);
	return r;
}

/*
 * Table grammar (the multipath target's, plus the no_path_timeout and
 * write_quiesce_ms features):
 *
 *   <#features> [<feature>...]
 *   <#hw_handler_args> [<hw_handler> [<hw_handler_arg>...]]
 *   <#groups> <initial_group>
 *   then <#groups> times:
 *     <selector> <#selector_args> [<selector_arg>...]
 *     <#paths> <#per_path_args>
 *     then <#paths> times:
 *       <dev> [<per_path_arg>...]       (<#per_path_args> of them)
 *
 *   <#features> counts words, 0..16. Features:
 *     queue_if_no_path             queue I/O while no path is usable
 *     no_path_timeout <0..86400>   stop queueing after that many seconds
 *                                  without a usable path (0: never)
 *     write_quiesce_ms <0..60000>  a write that failed on a path with an
 *                                  unknown fate (mpio_write_must_wait())
 *                                  is sent again, or failed, no sooner
 *                                  than that many ms after it was sent
 *                                  down the path (0: at once; default
 *                                  20000)
 *     pg_init_retries <1..50>      retries of a failed group activation
 *     pg_init_delay_msecs <0..60000>  delay before a retry (default 2000)
 *     retain_attached_hw_handler   accepted; always the behaviour
 *     queue_mode <bio|rq|mq>       bio-based (default) or request-based
 *   <#hw_handler_args> counts the handler name and its arguments (0..1024);
 *   the handler is a scsi_dh one (alua, emc, rdac, hp_sw). A handler
 *   already attached to a path takes precedence; non-SCSI paths drop it.
 *   <#groups> is 0..1024; <initial_group> is 1..<#groups>, 0 iff no group.
 *   Groups are numbered from 1 in table order, which is their priority.
 *   <selector> is round-robin, queue-length, service-time, least-blocks,
 *   weighted-path, historical-service-time or io-affinity; see each
 *   mpio-ps-*.c for its arguments. <#paths> is 1..1024; <dev> is
 *   major:minor or a device node, and a device may appear only once.
 *
 * Example: 0 2097152 mpio 3 queue_if_no_path no_path_timeout 30 0 2 1
 *            round-robin 0 2 0 8:16 8:32 round-robin 0 1 0 8:48
 *
 * Any error fails with -EINVAL (or -ENOMEM) and a ti->error naming it.
 */
static int mpio_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	static const struct dm_arg _args[] = {
		{0, 1024, "invalid number of priority groups"},
		{0, 1024, "invalid initial priority group"},
	};
	struct dm_arg_set as = { .argc = argc, .argv = argv };
	unsigned int initial, i;
	struct mpio *m;
	int r;

	m = mpio_alloc(ti);
	if (!m) {
		ti->error = "out of memory";
		return -ENOMEM;
	}

	r = mpio_parse_features(&as, m);
	if (r)
		goto bad_free_mpio;
	r = mpio_parse_hw_handler(&as, m);
	if (r)
		goto bad_free_mpio;

	r = -EINVAL;
	if (dm_read_arg(_args, &as, &m->nr_groups, &ti->error) ||
	    dm_read_arg(_args + 1, &as, &initial, &ti->error))
		goto bad_free_mpio;
	if (!m->nr_groups != !initial || initial > m->nr_groups) {
		ti->error = "invalid initial priority group";
		goto bad_free_mpio;
	}

	if (m->nr_groups) {
		m->groups = kcalloc(m->nr_groups, sizeof(*m->groups),
				    GFP_KERNEL);
		if (!m->groups) {
			ti->error = "out of memory";
			r = -ENOMEM;
			goto bad_free_mpio;
		}
	}
	for (i = 0; i < m->nr_groups; i++) {
		r = mpio_parse_group(&as, m, i + 1);
		if (r)
			goto bad_free_mpio;
	}
	if (as.argc) {
		ti->error = "too many arguments after the last group";
		r = -EINVAL;
		goto bad_free_mpio;
	}
	if (initial)
		m->next_pg = m->groups[initial - 1];

	m->write_quiesce = msecs_to_jiffies(m->write_quiesce_ms);
	dm_table_set_type(ti->table, m->queue_mode);
	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->per_io_data_size = sizeof(struct mpio_io);
	ti->private = m;
	return 0;

bad_free_mpio:
	mpio_free(m);
	return r;
}

/* Wait for group activations to finish, and keep new ones from starting. */
static void mpio_flush_pg_init(struct mpio *m)
{
	if (!m->hw_handler_name)
		return;

	spin_lock_irq(&m->lock);
	set_bit(MPIOF_PG_INIT_DISABLED, &m->flags);
	spin_unlock_irq(&m->lock);

	flush_workqueue(kmpio_handlerd);
	wait_event(m->pg_init_wait, !atomic_read(&m->pg_init_in_progress));

	spin_lock_irq(&m->lock);
	clear_bit(MPIOF_PG_INIT_DISABLED, &m->flags);
	spin_unlock_irq(&m->lock);
}

static void mpio_flush_work(struct mpio *m)
{
	mpio_flush_pg_init(m);
	if (m->queue_mode == DM_TYPE_BIO_BASED)
		flush_work(&m->process_queued_bios);
	flush_work(&m->trigger_event);
	flush_work(&m->uevent_work);
}

static void mpio_dtr(struct dm_target *ti)
{
	struct mpio *m = ti->private;

	timer_shutdown_sync(&m->nopath_timer);
	/* dm core waited for every bio: none is quiesced any more. */
	cancel_delayed_work_sync(&m->release_quiesced);
	mpio_flush_work(m);
	mpio_free(m);
}

/*
 * ---------------------------------------------------------------------
 * Suspend and resume
 * ---------------------------------------------------------------------
 */

/*
 * A suspend with flush must be able to complete, so queueing stops (the
 * setting is saved and restored on resume) and queued I/O fails if no path
 * is usable. A noflush suspend keeps queueing: held bios go back to dm
 * core, which submits them again after the resume.
 */
static void mpio_presuspend(struct dm_target *ti)
{
	struct mpio *m = ti->private;

	if (dm_noflush_suspending(ti))
		mpio_kick_queued_io(m);
	else
		mpio_set_queue_if_no_path(m, false, true);
}

static void mpio_postsuspend(struct dm_target *ti)
{
	struct mpio *m = ti->private;

	mutex_lock(&m->work_mutex);
	mpio_flush_work(m);
	mutex_unlock(&m->work_mutex);
}

/*
 * no_path_timeout counts from the first resume of a table without a usable
 * path, not from its load: a table loaded and left inactive keeps its
 * queueing however long it waits. A timer still running over a noflush
 * suspend keeps its deadline.
 */
static void mpio_resume(struct dm_target *ti)
{
	struct mpio *m = ti->private;

	spin_lock_irq(&m->lock);
	if (test_and_clear_bit(MPIOF_SAVED_QUEUE_IF_NO_PATH, &m->flags))
		set_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags);
	if (!timer_pending(&m->nopath_timer))
		__mpio_arm_nopath_timer(m);
	spin_unlock_irq(&m->lock);
}

/*
 * ---------------------------------------------------------------------
 * Status
 * ---------------------------------------------------------------------
 */
static void mpio_sum_stats(struct mpio_path *p, struct mpio_path_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		struct mpio_path_stats *s = per_cpu_ptr(p->stats, cpu);

		sum->ios += READ_ONCE(s->ios);
		sum->bytes += READ_ONCE(s->bytes);
		sum->errors += READ_ONCE(s->errors);
		sum->lat_ns += READ_ONCE(s->lat_ns);
		sum->lat_count += READ_ONCE(s->lat_count);
	}
}

static void mpio_clear_stats(struct mpio *m)
{
	unsigned int i, j;
	int cpu;

	for (i = 0; i < m->nr_groups; i++)
		for (j = 0; j < m->groups[i]->nr_paths; j++)
			for_each_possible_cpu(cpu)
				memset(per_cpu_ptr(m->groups[i]->paths[j]->stats,
						   cpu), 0,
				       sizeof(struct mpio_path_stats));
}

static char mpio_group_state(struct mpio *m, struct mpio_group *pg)
{
	if (pg->bypassed)
		return 'D';	/* disabled */
	if (pg == m->current_pg)
		return 'A';	/* active */
	return 'E';		/* enabled */
}

/*
 * INFO status, the multipath target's layout, then the mpio counters:
 *
 *   2 <queue_io> <pg_init_count> 0 <#groups> <current_group>
 *   per group: <A|D|E> <#selector_status_args> [...] <#paths> <#info_args>
 *     per path: <dev> <A|F> <fail_count> [<selector info>...]
 *   stats <#paths> 4
 *     per path, in table order: <dev> <ios> <bytes> <errors> <avg_lat_us>
 *   queueing <on|off|expired>
 *   quiesced <writes>
 *
 * queue_io is 1 while the target holds I/O (pg_init or no usable path with
 * queue_if_no_path). The trailing "stats", "queueing" and "quiesced"
 * sections lie after everything the multipath layout defines, so parsers
 * of that layout are unaffected; the counters are cumulative since the
 * table was loaded or the last "clear_stats" message, and avg_lat_us is
 * the mean completion latency of the sampled I/Os (see MPIO_LAT_SAMPLE).
 * "queueing" is what I/O does
 * while no path is usable: queued (on), failed (off), or failed because
 * no_path_timeout expired, until a path is usable again (expired).
 * "quiesced" counts the writes held now until their quiesce time has passed
 * (write_quiesce_ms: mpio_write_must_wait()).
 *
 * TABLE status is the normalised constructor line; it loads back as the
 * same table. Its queue_if_no_path is the setting (table or last message),
 * which an expired no_path_timeout leaves alone. write_quiesce_ms and
 * queue_mode are always written, with the value in force. IMA status uses the
 * multipath key=value layout.
 */
static void mpio_status(struct dm_target *ti, status_type_t type,
			unsigned int status_flags, char *result,
			unsigned int maxlen)
{
	struct mpio *m = ti->private;
	unsigned int sz = 0, i, j, nr_paths = 0, nr_features;
	struct mpio_path_stats st;
	struct mpio_group *pg;
	struct mpio_path *p;
	unsigned long flags;
	const char *hw;

	spin_lock_irqsave(&m->lock, flags);

	switch (type) {
	case STATUSTYPE_INFO:
		DMEMIT("2 %u %u 0 ",
		       (test_bit(MPIOF_QUEUE_IO, &m->flags) ||
			(!atomic_read(&m->nr_valid_paths) &&
			 test_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags))) ? 1 : 0,
		       atomic_read(&m->pg_init_count));
		break;
	case STATUSTYPE_TABLE:
		nr_features = !!(m->flags & MPIO_QUEUE_WANTED_MASK) +
			      (m->no_path_timeout ? 2 : 0) +
			      (m->pg_init_retries ? 2 : 0) +
			      (m->pg_init_delay_msecs !=
			       MPIO_PG_INIT_DELAY_UNSET ? 2 : 0) +
			      2 +	/* write_quiesce_ms, always explicit */
			      2;	/* queue_mode, always explicit */
		DMEMIT("%u ", nr_features);
		if (m->flags & MPIO_QUEUE_WANTED_MASK)
			DMEMIT("queue_if_no_path ");
		if (m->no_path_timeout)
			DMEMIT("no_path_timeout %u ", m->no_path_timeout);
		if (m->pg_init_retries)
			DMEMIT("pg_init_retries %u ", m->pg_init_retries);
		if (m->pg_init_delay_msecs != MPIO_PG_INIT_DELAY_UNSET)
			DMEMIT("pg_init_delay_msecs %u ",
			       m->pg_init_delay_msecs);
		DMEMIT("write_quiesce_ms %u ", m->write_quiesce_ms);
		DMEMIT("queue_mode %s ",
		       m->queue_mode == DM_TYPE_REQUEST_BASED ? "rq" : "bio");

		if (!m->hw_handler_name) {
			DMEMIT("0 ");
			break;
		}
		DMEMIT("%u %s ", m->hw_handler_argc + 1, m->hw_handler_name);
		hw = m->hw_handler_params;
		if (hw) {
			hw += strlen(hw) + 1;	/* skip the count */
			for (i = 0; i < m->hw_handler_argc; i++) {
				DMEMIT("%s ", hw);
				hw += strlen(hw) + 1;
			}
		}
		break;
	case STATUSTYPE_IMA:
		DMEMIT_TARGET_NAME_VERSION(ti->type);
		DMEMIT(",nr_priority_groups=%u", m->nr_groups);
		for (i = 0; i < m->nr_groups; i++) {
			pg = m->groups[i];
			DMEMIT(",pg_state_%u=%c,nr_pgpaths_%u=%u,path_selector_name_%u=%s",
			       i, mpio_group_state(m, pg), i, pg->nr_paths,
			       i, pg->ps_type->name);
			for (j = 0; j < pg->nr_paths; j++) {
				p = pg->paths[j];
				DMEMIT(",path_name_%u_%u=%s,is_active_%u_%u=%c,fail_count_%u_%u=%u",
				       i, j, p->dev->name, i, j,
				       p->is_active ? 'A' : 'F', i, j,
				       p->fail_count);
				DMEMIT(",path_selector_status_%u_%u=", i, j);
				sz += mpio_ps_status(pg, p, type, result + sz,
						     maxlen - sz);
			}
		}
		DMEMIT(";");
		goto out;
	}

	DMEMIT("%u ", m->nr_groups);
	if (m->current_pg)
		DMEMIT("%u ", m->current_pg->nr);
	else if (m->next_pg)
		DMEMIT("%u ", m->next_pg->nr);
	else
		DMEMIT("%u ", m->nr_groups ? 1 : 0);

	for (i = 0; i < m->nr_groups; i++) {
		pg = m->groups[i];
		if (type == STATUSTYPE_INFO)
			DMEMIT("%c ", mpio_group_state(m, pg));
		else
			DMEMIT("%s ", pg->ps_type->name);
		sz += mpio_ps_status(pg, NULL, type, result + sz,
				     maxlen - sz);
		DMEMIT("%u %u ", pg->nr_paths,
		       type == STATUSTYPE_INFO ? pg->ps_type->info_args :
						 pg->ps_type->table_args);
		for (j = 0; j < pg->nr_paths; j++) {
			p = pg->paths[j];
			if (type == STATUSTYPE_INFO)
				DMEMIT("%s %c %u ", p->dev->name,
				       p->is_active ? 'A' : 'F',
				       p->fail_count);
			else
				DMEMIT("%s ", p->dev->name);
			sz += mpio_ps_status(pg, p, type, result + sz,
					     maxlen - sz);
		}
		nr_paths += pg->nr_paths;
	}

	if (type == STATUSTYPE_INFO) {
		DMEMIT("stats %u 4", nr_paths);
		for (i = 0; i < m->nr_groups; i++) {
			pg = m->groups[i];
			for (j = 0; j < pg->nr_paths; j++) {
				p = pg->paths[j];
				mpio_sum_stats(p, &st);
				DMEMIT(" %s %llu %llu %llu %llu", p->dev->name,
				       st.ios, st.bytes, st.errors,
				       st.lat_count ?
				       div64_u64(st.lat_ns, st.lat_count) / 1000 :
				       0);
			}
		}
		DMEMIT(" queueing %s",
		       test_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags) ? "on" :
		       test_bit(MPIOF_NOPATH_EXPIRED, &m->flags) ? "expired" :
		       "off");
		DMEMIT(" quiesced %u",
		       m->nr_quiesced + atomic_read(&m->rq_quiesced));
	}
out:
	spin_unlock_irqrestore(&m->lock, flags);
}

/*
 * ---------------------------------------------------------------------
 * Messages
 * ---------------------------------------------------------------------
 */

/* "major:minor" or a device node. */
static int mpio_devt_from_arg(const char *arg, dev_t *devt)
{
	unsigned int major, minor;
	char dummy;

	if (sscanf(arg, "%u:%u%c", &major, &minor, &dummy) == 2) {
		*devt = MKDEV(major, minor);
		if (MAJOR(*devt) != major || MINOR(*devt) != minor)
			return -EOVERFLOW;
		return 0;
	}
	return lookup_bdev(arg, devt);
}

static struct mpio_group *mpio_group_from_arg(struct mpio *m, const char *arg)
{
	unsigned int nr;

	if (kstrtouint(arg, 10, &nr) || !nr || nr > m->nr_groups)
		return NULL;
	return m->groups[nr - 1];
}

enum mpio_path_action {
	MPIO_FAIL,
	MPIO_REINSTATE,
	MPIO_SET_WEIGHT,
};

static int mpio_path_action(struct mpio *m, const char *dev,
			    enum mpio_path_action action, unsigned int weight)
{
	unsigned int i, j;
	int r = -EINVAL;
	dev_t devt;

	if (mpio_devt_from_arg(dev, &devt)) {
		DMWARN("%s: message: no such device %s",
		       dm_table_device_name(m->ti->table), dev);
		return -EINVAL;
	}

	for (i = 0; i < m->nr_groups; i++) {
		struct mpio_group *pg = m->groups[i];

		for (j = 0; j < pg->nr_paths; j++) {
			struct mpio_path *p = pg->paths[j];

			if (p->dev->bdev->bd_dev != devt)
				continue;
			switch (action) {
			case MPIO_FAIL:
				mpio_fail_path(p);
				r = 0;
				break;
			case MPIO_REINSTATE:
				mpio_reinstate_path(p);
				r = 0;
				break;
			case MPIO_SET_WEIGHT:
				if (!pg->ps_type->set_weight) {
					DMWARN("%s: selector %s has no path weights",
					       dm_table_device_name(m->ti->table),
					       pg->ps_type->name);
					return -EINVAL;
				}
				r = pg->ps_type->set_weight(pg, p, weight);
				if (r)
					return r;
				break;
			}
		}
	}
	if (r)
		DMWARN("%s: message: %s is not a path of this map",
		       dm_table_device_name(m->ti->table), dev);
	return r;
}

/*
 * Messages:
 *   queue_if_no_path | fail_if_no_path | clear_stats
 *   fail_path <dev> | reinstate_path <dev>
 *   switch_group <n> | disable_group <n> | enable_group <n>
 *   set_path_weight <dev> <weight>
 * Path and group messages return -EBUSY while the device is suspended.
 */
static int mpio_message(struct dm_target *ti, unsigned int argc, char **argv,
			char *result, unsigned int maxlen)
{
	struct mpio *m = ti->private;
	struct mpio_group *pg;
	unsigned long flags;
	unsigned int weight, i;
	int r = -EINVAL;

	mutex_lock(&m->work_mutex);

	if (argc == 1) {
		if (!strcasecmp(argv[0], "queue_if_no_path")) {
			mpio_set_queue_if_no_path(m, true, false);
			r = 0;
		} else if (!strcasecmp(argv[0], "fail_if_no_path")) {
			mpio_set_queue_if_no_path(m, false, false);
			timer_delete_sync(&m->nopath_timer);
			r = 0;
		} else if (!strcasecmp(argv[0], "clear_stats")) {
			mpio_clear_stats(m);
			r = 0;
		}
		if (!r) {
			schedule_work(&m->trigger_event);
			goto out;
		}
	}

	if (dm_suspended(ti)) {
		r = -EBUSY;
		goto out;
	}

	if (argc == 2 && !strcasecmp(argv[0], "fail_path")) {
		r = mpio_path_action(m, argv[1], MPIO_FAIL, 0);
	} else if (argc == 2 && !strcasecmp(argv[0], "reinstate_path")) {
		r = mpio_path_action(m, argv[1], MPIO_REINSTATE, 0);
	} else if (argc == 3 && !strcasecmp(argv[0], "set_path_weight")) {
		if (kstrtouint(argv[2], 10, &weight)) {
			DMWARN("%s: set_path_weight: invalid weight %s",
			       dm_table_device_name(ti->table), argv[2]);
			goto out;
		}
		r = mpio_path_action(m, argv[1], MPIO_SET_WEIGHT, weight);
		if (!r)
			schedule_work(&m->trigger_event);
	} else if (argc == 2 && (!strcasecmp(argv[0], "switch_group") ||
				 !strcasecmp(argv[0], "disable_group") ||
				 !strcasecmp(argv[0], "enable_group"))) {
		pg = mpio_group_from_arg(m, argv[1]);
		if (!pg) {
			DMWARN("%s: %s: invalid group number %s",
			       dm_table_device_name(ti->table), argv[0],
			       argv[1]);
			goto out;
		}
		spin_lock_irqsave(&m->lock, flags);
		if (!strcasecmp(argv[0], "switch_group")) {
			for (i = 0; i < m->nr_groups; i++)
				m->groups[i]->bypassed = false;
			m->next_pg = pg;
		} else {
			pg->bypassed = !strcasecmp(argv[0], "disable_group");
		}
		/* Choose the group again at the next I/O. */
		WRITE_ONCE(m->current_pg, NULL);
		spin_unlock_irqrestore(&m->lock, flags);
		schedule_work(&m->trigger_event);
		r = 0;
	} else {
		DMWARN("%s: unrecognised message: %s (%u words)",
		       dm_table_device_name(ti->table), argc ? argv[0] : "",
		       argc);
	}
out:
	mutex_unlock(&m->work_mutex);
	return r;
}

/*
 * ---------------------------------------------------------------------
 * ioctls and devices
 * ---------------------------------------------------------------------
 */
static int __mpio_prepare_ioctl(struct dm_target *ti,
				struct block_device **bdev)
{
	struct mpio *m = ti->private;
	struct mpio_path *p;
	int r;

	p = mpio_choose_path(m, 0);
	if (!p) {
		r = test_bit(MPIOF_QUEUE_IF_NO_PATH, &m->flags) ? -ENOTCONN :
								 -EIO;
	} else if (mpio_io_held(m)) {
		mpio_pg_init_kick(m);
		r = -ENOTCONN;	/* the group is being activated */
	} else {
		*bdev = p->dev->bdev;
		r = 0;
	}

	/* Pass ioctls through only if the sizes match exactly. */
	if (!r && ti->len != bdev_nr_sectors(*bdev))
		return 1;
	return r;
}

#ifdef MPIO_PREPARE_IOCTL_EXTENDED
static int mpio_prepare_ioctl(struct dm_target *ti, struct block_device **bdev,
			      unsigned int cmd, unsigned long arg,
			      bool *forward)
{
	return __mpio_prepare_ioctl(ti, bdev);
}
#else
static int mpio_prepare_ioctl(struct dm_target *ti, struct block_device **bdev)
{
	return __mpio_prepare_ioctl(ti, bdev);
}
#endif

static int mpio_iterate_devices(struct dm_target *ti,
				iterate_devices_callout_fn fn, void *data)
{
	struct mpio *m = ti->private;
	unsigned int i, j;
	int r;

	for (i = 0; i < m->nr_groups; i++) {
		for (j = 0; j < m->groups[i]->nr_paths; j++) {
			r = fn(ti, m->groups[i]->paths[j]->dev, ti->begin,
			       ti->len, data);
			if (r)
				return r;
		}
	}
	return 0;
}

/*
 * ---------------------------------------------------------------------
 * Module
 * ---------------------------------------------------------------------
 */
/*
 * No DM_TARGET_PASSES_INTEGRITY: before 6.11 bio_endio() frees a clone's
 * integrity payload, so a bio retried on another path would go out without
 * its protection information. Request-based retries re-clone the original
 * and would be safe, but the flag belongs to the target type, not the map.
 */
static struct target_type mpio_target = {
	.name = "mpio",
	.version = {0, 2, 0},	/* 0.2: write_quiesce_ms */
	.features = DM_TARGET_SINGLETON | DM_TARGET_IMMUTABLE,
	.module = THIS_MODULE,
	.ctr = mpio_ctr,
	.dtr = mpio_dtr,
	.map = mpio_map_bio,
	.end_io = mpio_end_io_bio,
	.clone_and_map_rq = mpio_clone_and_map_rq,
	.release_clone_rq = mpio_release_clone_rq,
	.rq_end_io = mpio_rq_end_io,
	.busy = mpio_busy,
	.presuspend = mpio_presuspend,
	.postsuspend = mpio_postsuspend,
	.resume = mpio_resume,
	.status = mpio_status,
	.message = mpio_message,
	.prepare_ioctl = mpio_prepare_ioctl,
	.iterate_devices = mpio_iterate_devices,
};

static int __init dm_mpio_init(void)
{
	int r = -ENOMEM;

	kmpiod = alloc_workqueue("kmpiod", WQ_MEM_RECLAIM | MPIO_WQ_PERCPU, 0);
	if (!kmpiod)
		goto bad_alloc_kmpiod;
	kmpio_handlerd = alloc_ordered_workqueue("kmpio_handlerd",
						 WQ_MEM_RECLAIM);
	if (!kmpio_handlerd)
		goto bad_alloc_handlerd;

	r = mpio_selectors_init();
	if (r)
		goto bad_register_selectors;

	r = dm_register_target(&mpio_target);
	if (r < 0) {
		DMERR("cannot register the mpio target: %d", r);
		goto bad_register_target;
	}
	return 0;

bad_register_target:
	mpio_selectors_exit();
bad_register_selectors:
	destroy_workqueue(kmpio_handlerd);
bad_alloc_handlerd:
	destroy_workqueue(kmpiod);
bad_alloc_kmpiod:
	return r;
}

static void __exit dm_mpio_exit(void)
{
	dm_unregister_target(&mpio_target);
	mpio_selectors_exit();
	destroy_workqueue(kmpio_handlerd);
	destroy_workqueue(kmpiod);
}

module_init(dm_mpio_init);
module_exit(dm_mpio_exit);

MODULE_DESCRIPTION(DM_NAME " multipath I/O target (mpio)");
MODULE_LICENSE("GPL");
