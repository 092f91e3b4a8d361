/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Does a loaded table run what the table we built asks for? Moved from
 * mpiod as it was (a text canonical form of each side).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmp-private.h"

struct words {
	char **w;
	size_t n, i;
};

static const char *word_next(struct words *t)
{
	return t->i < t->n ? t->w[t->i++] : NULL;
}

static bool word_count(struct words *t, unsigned long *ret)
{
	const char *s = word_next(t);
	char *end;

	if (!s)
		return false;
	errno = 0;
	*ret = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && end != s && *ret <= t->n;
}

static bool canon_words(struct words *t, FILE *f)
{
	unsigned long nf, nh, ng;
	const char *w;

	if (!word_count(t, &nf))
		return false;
	fputs("features:", f);
	for (unsigned long k = 0; k < nf; k++) {
		if (!(w = word_next(t)))
			return false;
		if (strcmp(w, "queue_mode") == 0) {
			if (!word_next(t))
				return false;
			k++;
			continue;
		}
		fprintf(f, " %s", w);
	}
	if (!word_count(t, &nh))
		return false;
	fputs(" | hw:", f);
	for (unsigned long k = 0; k < nh; k++) {
		if (!(w = word_next(t)))
			return false;
		fprintf(f, " %s", w);
	}
	if (!word_count(t, &ng) || !word_next(t))
		return false;
	for (unsigned long g = 0; g < ng; g++) {
		unsigned long nsa, np, npa;
		const char *sel = word_next(t);
		bool keep_arg;

		if (!sel || !word_count(t, &nsa) || t->i + nsa > t->n)
			return false;
		t->i += nsa;
		if (!word_count(t, &np) || !word_count(t, &npa))
			return false;
		keep_arg = strcmp(sel, "weighted-path") == 0 || strcmp(sel, "io-affinity") == 0;
		fprintf(f, " | %s:", sel);
		for (unsigned long k = 0; k < np; k++) {
			const char *dev = word_next(t);

			if (!dev || t->i + npa > t->n)
				return false;
			fprintf(f, " %s", dev);
			if (keep_arg && npa > 0)
				fprintf(f, "/%s", t->w[t->i]);
			t->i += npa;
		}
	}
	return true;
}

static char *table_canon(const char *params)
{
	_cleanup_free_ char *copy = strdup(params ?: "");
	_cleanup_free_ char **words = NULL;
	struct words t = {};
	char *out = NULL, *save = NULL, *w;
	size_t cap = 0, len = 0;
	FILE *f;
	bool ok;

	if (!copy)
		return NULL;
	for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		if (t.n == cap) {
			char **a = reallocarray(words, cap ? cap * 2 : 64, sizeof(*a));

			if (!a)
				return NULL;
			words = a;
			cap = cap ? cap * 2 : 64;
		}
		words[t.n++] = w;
	}
	t.w = words;
	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	ok = canon_words(&t, f);
	if (fclose(f) != 0 || !ok) {
		free(out);
		return NULL;
	}
	return out;
}

_public_ int mp_table_compare(const char *want, const char *have, const char **ret_what)
{
	_cleanup_free_ char *a = NULL, *b = NULL;

	if (!want || !have)
		return -EINVAL;
	a = table_canon(want);
	b = table_canon(have);
	if (!a || !b)
		return -EINVAL;
	if (strcmp(a, b) == 0)
		return 0;
	if (ret_what)
		*ret_what = "the table differs";
	return 1;
}
