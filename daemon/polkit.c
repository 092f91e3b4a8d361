/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Authorization (polkit.h). Who may change things: root, and where
 * polkit runs, whoever it authorizes for the action org.mpio.manage
 * (org.mpio.policy). polkit is asked asynchronously, as systemd's daemons
 * do, so the loop never waits for it (nor for an authentication agent): the
 * method returns without a reply, and when polkit answers the call is
 * dispatched again and finds the answer here. Without polkit (not installed or not running) only root may.
 *
 * Every pending question is a method call on mpiod's one bus connection,
 * and dbus-daemon allows a connection 128 pending calls
 * (max_replies_per_connection): past that, every question fails and every
 * authorized user is refused. So a user may have POLKIT_PENDING_PER_USER
 * questions pending (whatever the number of its connections), all users
 * together POLKIT_PENDING_MAX; a call beyond either is refused at once
 * (LimitsExceeded). polkit has POLKIT_TIMEOUT_USEC to answer, also when an
 * authentication agent is involved: less than a caller's default 25 s for a
 * method call, so that the caller learns why.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "mpio-names.h"
#include "log.h"
#include "model.h"
#include "polkit.h"

#define POLKIT_PENDING_PER_USER	4
#define POLKIT_PENDING_MAX	32
#define POLKIT_TIMEOUT_USEC	(15 * 1000000ULL)

struct polkit_query {
	struct polkit_query *next;
	Context *ctx;
	sd_bus_message *request;	/* the method call, dispatched again on the answer */
	sd_bus_slot *slot;		/* the pending CheckAuthorization */
	uid_t uid;			/* the caller's */
	uint64_t asked;			/* when, usec (now_usec()) */
	int result;			/* 1 authorized; < 0 denied, with error; 0 pending */
	bool redispatched;		/* the call came back with the answer (polkit_call_seen()) */
	sd_bus_error error;
};

static struct polkit_query *polkit_query_free(struct polkit_query *q)
{
	if (!q)
		return NULL;
	sd_bus_slot_unref(q->slot);
	sd_bus_message_unref(q->request);
	sd_bus_error_free(&q->error);
	free(q);
	return NULL;
}

static void polkit_query_unlink(Context *c, struct polkit_query *q)
{
	for (struct polkit_query **pp = &c->polkit_queries; *pp; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			return;
		}
}

static int polkit_answer(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	struct polkit_query *q = userdata;
	const sd_bus_error *e = sd_bus_message_get_error(reply);
	const char *member = sd_bus_message_get_member(q->request);
	bool timed_out = e && sd_bus_error_has_name(e, SD_BUS_ERROR_NO_REPLY) &&
			 now_usec() - q->asked >= POLKIT_TIMEOUT_USEC;
	int authorized = 0, challenge = 0, r = 0;

	q->slot = sd_bus_slot_unref(q->slot);
	if (sd_bus_is_open(sd_bus_message_get_bus(q->request)) <= 0) {
		/* The bus went away, and the caller's connection with it. */
		polkit_query_unlink(q->ctx, q);
		polkit_query_free(q);
		return 0;
	}
	if (timed_out)
		q->result = sd_bus_error_setf(&q->error, SD_BUS_ERROR_ACCESS_DENIED,
					      "%s needs root or polkit's authorization, and polkit did "
					      "not answer within %llu s", member,
					      POLKIT_TIMEOUT_USEC / 1000000ULL);
	else if (e)
		/* No polkit here (or it failed): root only. */
		q->result = sd_bus_error_setf(&q->error, SD_BUS_ERROR_ACCESS_DENIED,
					      "%s needs root (polkit: %s)", member, e->message ?: e->name);
	else if ((r = sd_bus_message_enter_container(reply, 'r', "bba{ss}")) < 0 ||
		 (r = sd_bus_message_read(reply, "bb", &authorized, &challenge)) < 0)
		q->result = sd_bus_error_setf(&q->error, SD_BUS_ERROR_ACCESS_DENIED,
					      "%s needs root (polkit's answer is unreadable: %s)",
					      member, strerror(-r));
	else if (authorized)
		q->result = 1;
	else
		q->result = sd_bus_error_setf(&q->error, SD_BUS_ERROR_ACCESS_DENIED,
					      "%s needs root or polkit's authorization for %s%s",
					      member, MPIO_POLKIT_ACTION,
					      challenge ? " (authentication is required)" : "");
	if (timed_out)
		log_msg(LOG_INFO, "D-Bus %s from %s: polkit did not answer within %llu s", member,
			sd_bus_message_get_sender(q->request) ?: "?", POLKIT_TIMEOUT_USEC / 1000000ULL);
	else
		log_msg(LOG_INFO, "D-Bus %s from %s: polkit %s%s", member,
			sd_bus_message_get_sender(q->request) ?: "?",
			q->result > 0 ? "authorized it" : e ? "is not available or failed: " :
			r < 0 ? "gave no answer" : "denied it", e ? e->message ?: e->name : "");
	r = sd_bus_message_rewind(q->request, true);
	if (r >= 0)
		r = sd_bus_enqueue_for_read(sd_bus_message_get_bus(q->request), q->request);
	if (r < 0) {
		log_errno(LOG_ERR, r, "cannot dispatch %s again after polkit's answer", member);
		polkit_query_unlink(q->ctx, q);
		polkit_query_free(q);
	}
	return 0;
}

/* Refuses the call of uid when it has too many questions pending, or all have. */
static int polkit_check_limits(Context *c, sd_bus_message *m, uid_t uid, sd_bus_error *error)
{
	unsigned int n_user = 0, n_all = 0;

	for (struct polkit_query *q = c->polkit_queries; q; q = q->next)
		if (q->result == 0) {
			n_all++;
			n_user += q->uid == uid;
		}
	if (n_user >= POLKIT_PENDING_PER_USER)
		return sd_bus_error_setf(error, SD_BUS_ERROR_LIMITS_EXCEEDED,
					 "%s refused: uid %u has %u calls waiting for polkit's answer, "
					 "the most a user may have", sd_bus_message_get_member(m),
					 (unsigned int)uid, n_user);
	if (n_all >= POLKIT_PENDING_MAX)
		return sd_bus_error_setf(error, SD_BUS_ERROR_LIMITS_EXCEEDED,
					 "%s refused: %u calls are waiting for polkit's answer, "
					 "the most mpiod takes", sd_bus_message_get_member(m), n_all);
	return 0;
}

static int polkit_ask(Context *c, sd_bus_message *m, uid_t uid, sd_bus_error *error)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *call = NULL;
	struct polkit_query *q;
	bool interactive = sd_bus_message_get_allow_interactive_authorization(m) > 0;
	int r;

	r = sd_bus_message_new_method_call(c->bus, &call, "org.freedesktop.PolicyKit1",
					   "/org/freedesktop/PolicyKit1/Authority",
					   "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization");
	if (r >= 0)
		/* subject: the caller's bus name; no details; flag 1: AllowUserInteraction */
		r = sd_bus_message_append(call, "(sa{sv})sa{ss}us", "system-bus-name", 1, "name",
					  "s", sd_bus_message_get_sender(m), MPIO_POLKIT_ACTION, 0,
					  (uint32_t)interactive, "");
	if (r < 0)
		return r;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->ctx = c;
	q->request = sd_bus_message_ref(m);
	q->uid = uid;
	q->asked = now_usec();
	r = sd_bus_call_async(c->bus, &q->slot, call, polkit_answer, q, POLKIT_TIMEOUT_USEC);
	if (r < 0) {
		polkit_query_free(q);
		return r;
	}
	q->next = c->polkit_queries;
	c->polkit_queries = q;
	return 0;
}

int polkit_verify_caller(Context *c, sd_bus_message *m, sd_bus_error *error)
{
	_cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
	struct polkit_query *q;
	uid_t uid;
	int r;

	r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID | SD_BUS_CREDS_AUGMENT, &creds);
	if (r < 0)
		return r;
	r = sd_bus_creds_get_euid(creds, &uid);
	if (r < 0)
		return r;
	if (uid == 0)
		return 1;
	for (q = c->polkit_queries; q && q->request != m; q = q->next)
		;
	if (q) {
		if (q->result == 0)
			return 0;
		polkit_query_unlink(c, q);
		r = q->result;
		if (r < 0)
			sd_bus_error_move(error, &q->error);
		polkit_query_free(q);
		return r;
	}
	r = polkit_check_limits(c, m, uid, error);
	if (r < 0) {
		/* Not above debug: a refusal costs the caller nothing, the log would. */
		log_msg(LOG_DEBUG, "D-Bus %s from %s: %s", sd_bus_message_get_member(m),
			sd_bus_message_get_sender(m) ?: "?", error->message);
		return r;
	}
	r = polkit_ask(c, m, uid, error);
	if (r < 0)
		return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
					 "%s needs root (cannot ask polkit: %s)",
					 sd_bus_message_get_member(m), strerror(-r));
	return 0;
}

void polkit_call_seen(Context *c, sd_bus_message *m)
{
	/*
	 * sd-bus handles one message at a time: a call dispatched again
	 * before this one is done with. If its answer is still here, the
	 * method failed before it asked for it (the path or map went away
	 * meanwhile, or the object did): drop it, and its message.
	 */
	for (struct polkit_query **pp = &c->polkit_queries; *pp;) {
		struct polkit_query *q = *pp;

		if (!q->redispatched) {
			pp = &q->next;
			continue;
		}
		log_msg(LOG_INFO, "D-Bus %s from %s: the call failed before it used polkit's answer",
			sd_bus_message_get_member(q->request),
			sd_bus_message_get_sender(q->request) ?: "?");
		*pp = q->next;
		polkit_query_free(q);
	}
	for (struct polkit_query *q = c->polkit_queries; q; q = q->next)
		if (q->request == m && q->result != 0)
			q->redispatched = true;
}

void polkit_queries_drop(Context *c)
{
	while (c->polkit_queries) {
		struct polkit_query *q = c->polkit_queries;

		c->polkit_queries = q->next;
		polkit_query_free(q);
	}
}
