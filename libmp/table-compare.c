/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tables of the multipath targets (grammar above mpio_ctr() in
 * kernel/mpio-target.c; the kernel's "multipath" target writes the same
 * layout): parsed once here, for two uses.
 *
 * Does the table the kernel runs do what the table we built asks for?
 * Both sides are parsed and compared part by part; what is the kernel's own
 * rather than a setting (the current group, queue_mode, write_quiesce_ms, a
 * handler it attached, selector defaults, repeat counts) is left out, so
 * that an unchanged map is never reloaded. The rules are at
 * mp_table_compare() in libmp.h.
 *
 * What does a loaded table say (features, handler, each group's selector
 * and devices), for a tool that shows it: mp_dm_parse_table().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmp-private.h"

/* The words of a table line, read front to back; every read is bounds-checked. */
struct words {
	char **w;
	size_t n, i;
};

static const char *word_next(struct words *t)
{
	return t->i < t->n ? t->w[t->i++] : NULL;
}

/* A count; it cannot exceed the words left, which bounds every loop over it. */
static int word_count(struct words *t, size_t *ret)
{
	const char *s = word_next(t);
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > t->n - t->i)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* A slice of the words: [first, first + n). */
struct span {
	char **w;
	size_t n;
};

struct tpath {
	const char *dev;
	const char *arg; /* the first per-path argument, or NULL */
};

struct tgroup {
	const char *selector;
	struct span sel_args;
	struct tpath *paths;
	size_t n_paths;
};

/*
 * Features the kernel always writes, with its default when the table sets
 * none: they count only when the table we built names them.
 */
static const char *const kernel_features[] = { "queue_mode", "write_quiesce_ms" };
#define N_KERNEL_FEATURES (sizeof(kernel_features) / sizeof(kernel_features[0]))

struct ttable {
	char **features; /* "name" or "name value", kernel-only ones left out */
	size_t n_features;
	bool named[N_KERNEL_FEATURES]; /* the table names kernel_features[i] */
	struct span handler; /* name and arguments; n == 0: none */
	struct tgroup *groups;
	size_t n_groups;
	char *words_buf;
	char **words;
};

static void ttable_done(struct ttable *t)
{
	if (t->groups)
		for (size_t g = 0; g < t->n_groups; g++)
			free(t->groups[g].paths);
	free(t->groups);
	free(t->features);
	free(t->words);
	free(t->words_buf);
}

/* Features that take a value. */
static bool feature_has_value(const char *name)
{
	return strcmp(name, "queue_mode") == 0 || strcmp(name, "no_path_timeout") == 0 ||
	       strcmp(name, "pg_init_retries") == 0 || strcmp(name, "pg_init_delay_msecs") == 0 ||
	       strcmp(name, "write_quiesce_ms") == 0;
}

/* Is feature (a "name value" word) kernel_features[i]? */
static bool kernel_feature_is(const char *feature, size_t i)
{
	size_t n = strlen(kernel_features[i]);

	return strncmp(feature, kernel_features[i], n) == 0 && feature[n] == ' ';
}

static int parse_features(struct words *w, struct ttable *t)
{
	size_t n;
	int r;

	r = word_count(w, &n);
	if (r < 0)
		return r;
	t->features = calloc(n ?: 1, sizeof(*t->features));
	if (!t->features)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		char *name = (char *)word_next(w), *value = NULL;

		if (!name)
			return -EINVAL;
		if (feature_has_value(name)) {
			if (++k >= n || !(value = (char *)word_next(w)))
				return -EINVAL;
			/* join "name value" in place: they are adjacent in the buffer */
			value[-1] = ' ';
		}
		if (strcmp(name, "retain_attached_hw_handler") == 0)
			continue; /* always the kernel's behaviour */
		for (size_t i = 0; i < N_KERNEL_FEATURES; i++)
			if (kernel_feature_is(name, i))
				t->named[i] = true;
		t->features[t->n_features++] = name;
	}
	return 0;
}

/* A hex CPU mask as the kernel prints it ("%*pb": zero-padded, a comma every 8 digits). */
static int cpumask_canon(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == ',')
			continue;
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
			return -EINVAL;
		if (n == 0 && *s == '0')
			continue;
		if (n + 1 >= len)
			return -EINVAL;
		out[n++] = (char)(*s >= 'A' && *s <= 'F' ? *s - 'A' + 'a' : *s);
	}
	out[n] = '\0';
	return 0;
}

/* Per-path arguments that are settings, canonical; "" if the selector's are its own. */
static int path_arg_canon(const char *selector, const char *arg, char *out, size_t len)
{
	if (strcmp(selector, "io-affinity") == 0)
		return arg ? cpumask_canon(arg, out, len) : -EINVAL;
	if (strcmp(selector, "weighted-path") == 0) {
		unsigned long v;
		char *end;

		if (!arg || *arg < '0' || *arg > '9')
			return -EINVAL;
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (errno != 0 || *end)
			return -EINVAL;
		snprintf(out, len, "%lu", v);
		return 0;
	}
	out[0] = '\0';
	return 0;
}

static int parse_groups(struct words *w, struct ttable *t)
{
	size_t ng, initial;
	int r;

	r = word_count(w, &ng);
	if (r < 0)
		return r;
	r = word_count(w, &initial); /* the group to start with: not compared */
	if (r < 0)
		return r;
	if (initial > ng)
		return -EINVAL;
	t->groups = calloc(ng ?: 1, sizeof(*t->groups));
	if (!t->groups)
		return -ENOMEM;
	t->n_groups = ng;
	for (size_t g = 0; g < ng; g++) {
		struct tgroup *grp = &t->groups[g];
		size_t nsa, np, npa;
		char arg[80];

		grp->selector = word_next(w);
		if (!grp->selector)
			return -EINVAL;
		r = word_count(w, &nsa);
		if (r < 0)
			return r;
		grp->sel_args = (struct span){ .w = w->w + w->i, .n = nsa };
		w->i += nsa;
		if (word_count(w, &np) < 0 || word_count(w, &npa) < 0)
			return -EINVAL;
		if (np == 0 || npa > (w->n - w->i) / np)
			return -EINVAL;
		grp->paths = calloc(np, sizeof(*grp->paths));
		if (!grp->paths)
			return -ENOMEM;
		grp->n_paths = np;
		for (size_t k = 0; k < np; k++) {
			grp->paths[k].dev = word_next(w);
			if (!grp->paths[k].dev || npa > w->n - w->i)
				return -EINVAL;
			grp->paths[k].arg = npa > 0 ? w->w[w->i] : NULL;
			w->i += npa;
			r = path_arg_canon(grp->selector, grp->paths[k].arg, arg, sizeof(arg));
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int ttable_parse(const char *params, struct ttable *t)
{
	struct words w = {};
	size_t cap = 0, nh;
	char *save = NULL, *s;
	int r;

	*t = (struct ttable){};
	t->words_buf = strdup(params);
	if (!t->words_buf)
		return -ENOMEM;
	for (s = strtok_r(t->words_buf, " \t\n", &save); s; s = strtok_r(NULL, " \t\n", &save)) {
		if (w.n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **a = reallocarray(t->words, ncap, sizeof(*a));

			if (!a)
				return -ENOMEM;
			t->words = a;
			cap = ncap;
		}
		t->words[w.n++] = s;
	}
	w.w = t->words;
	r = parse_features(&w, t);
	if (r < 0)
		return r;
	r = word_count(&w, &nh);
	if (r < 0)
		return r;
	t->handler = (struct span){ .w = w.w + w.i, .n = nh };
	w.i += nh;
	r = parse_groups(&w, t);
	if (r < 0)
		return r;
	return w.i == w.n ? 0 : -EINVAL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct tpath *)a)->dev, ((const struct tpath *)b)->dev);
}

static bool span_equal(struct span a, struct span b)
{
	if (a.n != b.n)
		return false;
	for (size_t i = 0; i < a.n; i++)
		if (strcmp(a.w[i], b.w[i]) != 0)
			return false;
	return true;
}

/* The paths of two groups with the same selector, as sets; 1 if they differ. */
static int compare_paths(struct tgroup *a, struct tgroup *b, const char **what)
{
	qsort(a->paths, a->n_paths, sizeof(*a->paths), cmp_path);
	qsort(b->paths, b->n_paths, sizeof(*b->paths), cmp_path);
	if (a->n_paths != b->n_paths) {
		*what = "the paths of a group differ";
		return 1;
	}
	for (size_t k = 0; k < a->n_paths; k++) {
		char x[80], y[80];
		int r;

		if (strcmp(a->paths[k].dev, b->paths[k].dev) != 0) {
			*what = "the paths of a group differ";
			return 1;
		}
		r = path_arg_canon(a->selector, a->paths[k].arg, x, sizeof(x));
		if (r >= 0)
			r = path_arg_canon(b->selector, b->paths[k].arg, y, sizeof(y));
		if (r < 0)
			return r;
		if (strcmp(x, y) != 0) {
			*what = "the path arguments differ";
			return 1;
		}
	}
	return 0;
}

static int compare(struct ttable *want, struct ttable *have, const char **what)
{
	size_t nf = 0;
	int r;

	/* Features as sets; the kernel's own count only when we ask for them. */
	for (size_t i = 0; i < have->n_features; i++) {
		bool keep = true;

		for (size_t k = 0; k < N_KERNEL_FEATURES; k++)
			if (!want->named[k] && kernel_feature_is(have->features[i], k))
				keep = false;
		if (keep)
			have->features[nf++] = have->features[i];
	}
	have->n_features = nf;
	qsort(want->features, want->n_features, sizeof(char *), cmp_str);
	qsort(have->features, have->n_features, sizeof(char *), cmp_str);
	if (want->n_features != have->n_features) {
		*what = "the features differ";
		return 1;
	}
	for (size_t i = 0; i < want->n_features; i++)
		if (strcmp(want->features[i], have->features[i]) != 0) {
			*what = "the features differ";
			return 1;
		}

	/* A handler we do not name is the kernel's (it attached one to the devices). */
	if (want->handler.n > 0) {
		bool same = have->handler.n > 0 && strcmp(want->handler.w[0], have->handler.w[0]) == 0;

		if (same && want->handler.n > 1)
			same = span_equal(want->handler, have->handler);
		if (!same) {
			*what = "the hardware handler differs";
			return 1;
		}
	}

	if (want->n_groups != have->n_groups) {
		*what = "the number of groups differs";
		return 1;
	}
	for (size_t g = 0; g < want->n_groups; g++) {
		struct tgroup *a = &want->groups[g], *b = &have->groups[g];

		if (strcmp(a->selector, b->selector) != 0 ||
		    (a->sel_args.n > 0 && !span_equal(a->sel_args, b->sel_args))) {
			*what = "a group's selector differs";
			return 1;
		}
		r = compare_paths(a, b, what);
		if (r != 0)
			return r;
	}
	return 0;
}

_public_ int mp_table_compare(const char *want, const char *have, const char **ret_what)
{
	_cleanup_(ttable_done) struct ttable a = {}, b = {};
	const char *what = NULL;
	int r;

	if (!want || !have)
		return -EINVAL;
	r = ttable_parse(want, &a);
	if (r < 0)
		return r;
	r = ttable_parse(have, &b);
	if (r < 0)
		return r;
	r = compare(&a, &b, &what);
	if (r == 1 && ret_what)
		*ret_what = what;
	return r;
}

/* ---- A loaded table, for display ---- */

/* The n words of w joined by spaces, as a new string ("" for none); NULL on ENOMEM. */
static char *words_join(char *const *w, size_t n)
{
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; i < n; i++)
		len += strlen(w[i]) + 1;
	s = p = malloc(len);
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? " " : "", w[i]);
	return s;
}

_public_ struct mp_map_table *mp_map_table_free(struct mp_map_table *t)
{
	if (!t)
		return NULL;
	for (unsigned g = 0; t->groups && g < t->n_groups; g++) {
		free(t->groups[g].selector);
		for (unsigned k = 0; t->groups[g].devs && k < t->groups[g].n_paths; k++)
			free(t->groups[g].devs[k]);
		free(t->groups[g].devs);
	}
	free(t->groups);
	free(t->features);
	free(t->hw_handler);
	free(t);
	return NULL;
}

_public_ int mp_dm_parse_table(const char *params, struct mp_map_table **ret)
{
	_cleanup_(ttable_done) struct ttable tt = {};
	struct mp_map_table *t;
	int r;

	if (!params || !ret)
		return -EINVAL;
	r = ttable_parse(params, &tt);
	if (r < 0)
		return r == -ENOMEM ? r : -EBADMSG;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->features = words_join(tt.features, tt.n_features);
	t->hw_handler = words_join(tt.handler.w, tt.handler.n);
	t->groups = calloc(tt.n_groups ?: 1, sizeof(*t->groups));
	if (!t->features || !t->hw_handler || !t->groups)
		goto oom;
	for (size_t i = 0; i < tt.n_features; i++)
		if (strcmp(tt.features[i], "queue_if_no_path") == 0)
			t->queue_if_no_path = true;
	for (size_t g = 0; g < tt.n_groups; g++) {
		struct mp_map_table_group *grp = &t->groups[t->n_groups++];

		grp->selector = strdup(tt.groups[g].selector);
		grp->devs = calloc(tt.groups[g].n_paths, sizeof(*grp->devs));
		if (!grp->selector || !grp->devs)
			goto oom;
		for (size_t k = 0; k < tt.groups[g].n_paths; k++) {
			grp->devs[k] = strdup(tt.groups[g].paths[k].dev);
			if (!grp->devs[k])
				goto oom;
			grp->n_paths++;
		}
	}
	*ret = t;
	return 0;
oom:
	mp_map_table_free(t);
	return -ENOMEM;
}
