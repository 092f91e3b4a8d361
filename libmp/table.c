/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The table builder: grouping policies, group order and the parameters of
 * an mpio table line. The grammar is the one above mpio_ctr() in
 * kernel/mpio-target.c; what this file emits is described at
 * mp_table_build() in libmp.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmp-private.h"

#define MAX_PATHS 1024 /* the kernel's limit per group and of groups */
#define MAX_WEIGHT 1000

static const char *const alua_state_names[_MP_ALUA_STATE_MAX] = {
	[MP_ALUA_OPTIMIZED] = "active/optimized",
	[MP_ALUA_NONOPTIMIZED] = "active/non-optimized",
	[MP_ALUA_STANDBY] = "standby",
	[MP_ALUA_UNAVAILABLE] = "unavailable",
	[MP_ALUA_OFFLINE] = "offline",
	[MP_ALUA_TRANSITIONING] = "transitioning",
	[MP_ALUA_UNKNOWN] = "unknown",
};

_public_ const char *mp_alua_state_to_string(enum mp_alua_state s)
{
	if (s < 0 || s >= _MP_ALUA_STATE_MAX)
		return NULL;
	return alua_state_names[s];
}

_public_ enum mp_alua_state mp_alua_state_from_string(const char *s)
{
	if (!s)
		return _MP_ALUA_STATE_INVALID;
	for (int i = 0; i < _MP_ALUA_STATE_MAX; i++)
		if (strcasecmp(s, alua_state_names[i]) == 0)
			return (enum mp_alua_state)i;
	return _MP_ALUA_STATE_INVALID;
}

/*
 * How good a path is by its ALUA state, lower is better. group_by_prio makes
 * one group per rank, so the states that cannot serve I/O share the last one.
 * A device without ALUA has every path "unknown": one rank, one group.
 */
static int alua_rank(enum mp_alua_state s)
{
	switch (s) {
	case MP_ALUA_OPTIMIZED:
		return 0;
	case MP_ALUA_NONOPTIMIZED:
		return 1;
	case MP_ALUA_STANDBY:
		return 2;
	case MP_ALUA_UNKNOWN:
		return 3;
	default: /* transitioning, unavailable, offline, out of range */
		return 4;
	}
}

/* A path while building: its index in the caller's array and its sort keys. */
struct tpath {
	const struct mp_path_info *info;
	unsigned long long devt;
	unsigned group;
};

struct tgroup {
	unsigned first, n; /* range in the path array once sorted by group */
	bool usable;	   /* a path that did not fail */
	int rank;	   /* best rank of its usable paths (else of all paths) */
	unsigned long long min_devt;
};

static unsigned long long devt_of(const struct mp_path_info *p)
{
	return (unsigned long long)p->major << 32 | p->minor;
}

static int cmp_devt(const void *a, const void *b)
{
	const struct tpath *x = a, *y = b;

	return x->devt < y->devt ? -1 : x->devt > y->devt;
}

/* Do paths a and b belong in the same group under policy? */
static bool same_group(enum mp_pg_policy policy, const struct mp_path_info *a,
		       const struct mp_path_info *b)
{
	switch (policy) {
	case MP_PG_MULTIBUS:
		return true;
	case MP_PG_GROUP_BY_PRIO:
		return alua_rank(a->alua_state) == alua_rank(b->alua_state);
	case MP_PG_GROUP_BY_SERIAL:
		return strncmp(a->serial, b->serial, sizeof(a->serial)) == 0;
	case MP_PG_GROUP_BY_TPG:
		/* every negative tpg means "unknown": those paths share a group */
		return a->tpg == b->tpg || (a->tpg < 0 && b->tpg < 0);
	default: /* failover */
		return false;
	}
}

static int cmp_group(const struct tgroup *x, const struct tgroup *y)
{
	if (x->usable != y->usable)
		return x->usable ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->min_devt < y->min_devt ? -1 : x->min_devt > y->min_devt;
}

/* A growing string; on ENOMEM it remembers the failure and stops. */
struct buf {
	char *s;
	size_t len, size;
	bool oom;
};

static void buf_printf(struct buf *b, const char *format, ...) _printf_(2, 3);

static void buf_printf(struct buf *b, const char *format, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t avail = b->size - b->len;

		va_start(ap, format);
		n = vsnprintf(b->s ? b->s + b->len : NULL, avail, format, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < avail) {
			b->len += (size_t)n;
			return;
		}
		size_t nsize = b->size ? b->size * 2 : 256;
		while (nsize - b->len <= (size_t)n)
			nsize *= 2;
		char *p = realloc(b->s, nsize);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->size = nsize;
	}
}

static bool valid_cpumask(const char *m)
{
	size_t n = strnlen(m, sizeof(((struct mp_path_info *)0)->cpumask));

	if (n == 0 || n == sizeof(((struct mp_path_info *)0)->cpumask))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((m[i] >= '0' && m[i] <= '9') || (m[i] >= 'a' && m[i] <= 'f') ||
		      (m[i] >= 'A' && m[i] <= 'F') || m[i] == ','))
			return false;
	return true;
}

static int check_settings(const struct mp_settings *s)
{
	if (s->pg_policy < 0 || s->pg_policy >= _MP_PG_POLICY_MAX || s->selector < 0 ||
	    s->selector >= _MP_SELECTOR_MAX || s->hw_handler < 0 ||
	    s->hw_handler >= _MP_HW_HANDLER_MAX || s->no_path_retry < 0 ||
	    s->no_path_retry >= _MP_NO_PATH_RETRY_MAX)
		return -EINVAL;
	if (s->no_path_retry == MP_NO_PATH_TIMEOUT &&
	    (s->no_path_timeout < 1 || s->no_path_timeout > 86400))
		return -EINVAL;
	if (s->pg_init_retries > 50 || s->pg_init_delay_msecs < -1 ||
	    s->pg_init_delay_msecs > 60000 || s->write_quiesce_msecs < -1 ||
	    s->write_quiesce_msecs > 60000)
		return -EINVAL;
	return 0;
}

static void emit_features(struct buf *b, const struct mp_settings *s)
{
	char f[128];
	unsigned words = 0;
	size_t off = 0;

	f[0] = '\0';
	if (s->no_path_retry != MP_NO_PATH_FAIL) {
		off += (size_t)snprintf(f + off, sizeof(f) - off, " queue_if_no_path");
		words++;
	}
	if (s->no_path_retry == MP_NO_PATH_TIMEOUT) {
		off += (size_t)snprintf(f + off, sizeof(f) - off, " no_path_timeout %u",
					s->no_path_timeout);
		words += 2;
	}
	if (s->pg_init_retries > 0) {
		off += (size_t)snprintf(f + off, sizeof(f) - off, " pg_init_retries %u",
					s->pg_init_retries);
		words += 2;
	}
	if (s->pg_init_delay_msecs >= 0) {
		off += (size_t)snprintf(f + off, sizeof(f) - off, " pg_init_delay_msecs %d",
					s->pg_init_delay_msecs);
		words += 2;
	}
	if (s->write_quiesce_msecs >= 0) {
		off += (size_t)snprintf(f + off, sizeof(f) - off, " write_quiesce_ms %d",
					s->write_quiesce_msecs);
		words += 2;
	}
	buf_printf(b, "%u%s", words, f);
	if (s->hw_handler == MP_HW_HANDLER_NONE)
		buf_printf(b, " 0");
	else
		buf_printf(b, " 1 %s", mp_hw_handler_to_string(s->hw_handler));
}

static void emit_path(struct buf *b, const struct mp_path_info *p, enum mp_selector sel)
{
	buf_printf(b, " %u:%u", p->major, p->minor);
	switch (sel) {
	case MP_SELECTOR_WEIGHTED_PATH:
		buf_printf(b, " %u", p->weight);
		break;
	case MP_SELECTOR_IO_AFFINITY:
		buf_printf(b, " %s", p->cpumask);
		break;
	default: /* the repeat count; the kernel only takes 1 */
		buf_printf(b, " 1");
		break;
	}
}

_public_ int mp_table_build(const struct mp_path_info *paths, size_t n,
			    const struct mp_settings *s, char **ret)
{
	_cleanup_free_ struct tpath *tp = NULL;
	_cleanup_free_ struct tgroup *groups = NULL;
	_cleanup_free_ unsigned *order = NULL;
	struct buf b = {};
	unsigned ngroups = 0;
	int r;

	if ((!paths && n > 0) || !s || !ret)
		return -EINVAL;
	r = check_settings(s);
	if (r < 0)
		return r;
	if (n > MAX_PATHS)
		return -EINVAL;

	tp = calloc(n ?: 1, sizeof(*tp));
	groups = calloc(n ?: 1, sizeof(*groups));
	order = calloc(n ?: 1, sizeof(*order));
	if (!tp || !groups || !order)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct mp_path_info *p = &paths[i];

		if (s->selector == MP_SELECTOR_WEIGHTED_PATH && p->weight > MAX_WEIGHT)
			return -ERANGE;
		if (s->selector == MP_SELECTOR_IO_AFFINITY && !valid_cpumask(p->cpumask))
			return -EINVAL;
		tp[i] = (struct tpath){ .info = p, .devt = devt_of(p) };
	}
	/* dev_t order first: it decides the order inside groups and breaks ties between groups */
	qsort(tp, n, sizeof(*tp), cmp_devt);
	for (size_t i = 1; i < n; i++)
		if (tp[i].devt == tp[i - 1].devt)
			return -EINVAL;

	/* Assign groups: a path joins the first group whose first path it goes with. */
	for (size_t i = 0; i < n; i++) {
		unsigned g;

		for (g = 0; g < ngroups; g++)
			if (same_group(s->pg_policy, tp[groups[g].first].info, tp[i].info))
				break;
		if (g == ngroups)
			groups[ngroups++] = (struct tgroup){ .first = (unsigned)i, .rank = 5,
							     .min_devt = tp[i].devt };
		tp[i].group = g;
		groups[g].n++;
	}
	for (size_t i = 0; i < n; i++) {
		struct tgroup *g = &groups[tp[i].group];
		int rank = alua_rank(tp[i].info->alua_state);

		if (!tp[i].info->failed) {
			if (!g->usable)
				g->rank = 5; /* ranks of failed paths no longer count */
			g->usable = true;
		}
		if ((g->usable == !tp[i].info->failed) && rank < g->rank)
			g->rank = rank;
	}

	/* Order the groups, best first: a small insertion sort keeps it stable. */
	for (unsigned i = 0; i < ngroups; i++) {
		unsigned j = i;

		while (j > 0 && cmp_group(&groups[i], &groups[order[j - 1]]) < 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}

	emit_features(&b, s);
	buf_printf(&b, " %u %u", ngroups, ngroups ? 1u : 0u);
	for (unsigned k = 0; k < ngroups; k++) {
		unsigned g = order[k];

		buf_printf(&b, " %s 0 %u 1", mp_selector_to_string(s->selector), groups[g].n);
		for (size_t i = 0; i < n; i++)
			if (tp[i].group == g)
				emit_path(&b, tp[i].info, s->selector);
	}
	if (b.oom) {
		free(b.s);
		return -ENOMEM;
	}
	*ret = b.s;
	return 0;
}
