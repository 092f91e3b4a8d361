/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Literal strings from simple regular expressions (see literal.h). Written
 * by hand: regcomp() compiles an expression but cannot say which literal
 * strings it stands for.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "literal.h"
#include "macro.h"

#define ALT_MAX 256 /* the longest alternative, group and tail included */

static const char metachars[] = ".[]()*+?{}|^$\\";

static int refuse(char *errbuf, size_t errlen, const char *format, ...) _printf_(3, 4);

static int refuse(char *errbuf, size_t errlen, const char *format, ...)
{
	va_list ap;

	if (errbuf && errlen) {
		va_start(ap, format);
		vsnprintf(errbuf, errlen, format, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* The end of the bracket expression that starts at p ('['), or NULL if it has none. */
static const char *skip_bracket(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p; p++) {
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			const char *e = strchr(p + 2, p[1]);

			if (!e || e[1] != ']')
				return NULL;
			p = e + 1;
		} else if (*p == ']')
			return p + 1;
	}
	return NULL;
}

/*
 * The quantifier at p, if any: *ret_len its length (0: none); the result
 * says whether it allows zero repetitions ('*', '?', "{0,n}").
 */
static bool quantifier(const char *p, size_t *ret_len, bool *ret_bad)
{
	*ret_bad = false;
	*ret_len = 0;
	if (*p == '*' || *p == '?' || *p == '+') {
		*ret_len = 1;
		return *p != '+';
	}
	if (*p == '{') {
		const char *e = p + 1;
		unsigned long min = 0;
		bool digits = false;

		while (isdigit((unsigned char)*e)) {
			min = min * 10 + (unsigned long)(*e++ - '0');
			digits = true;
			if (min > 1000)
				break;
		}
		if (*e == ',')
			for (e++; isdigit((unsigned char)*e);)
				e++;
		if (*e != '}' || !digits) {
			*ret_bad = true;
			return false;
		}
		*ret_len = (size_t)(e + 1 - p);
		return min == 0;
	}
	return false;
}

/* One atom at p: its length, or 0 if p holds no atom ('(' , '|', '^', '$', a quantifier). */
static size_t atom_len(const char *p)
{
	const char *e;

	if (*p == '\\')
		return p[1] && ispunct((unsigned char)p[1]) ? 2 : 0;
	if (*p == '[') {
		e = skip_bracket(p);
		return e ? (size_t)(e - p) : 0;
	}
	if (*p == '.')
		return 1;
	return *p && !strchr(metachars, *p) ? 1 : 0;
}

/* A flat alternative (no '|', no group) to a literal. */
static int parse_alt(const char *a, struct literal *ret, char *errbuf, size_t errlen)
{
	const char *p = a;
	size_t n = 0;
	bool all_dot_star = true, tail = false;

	*ret = (struct literal){};
	if (*p == '^') {
		ret->start = true;
		p++;
	}
	/* the literal: characters not under a quantifier that allows zero of them */
	for (;;) {
		size_t alen = atom_len(p), qlen;
		bool bad, zero = quantifier(p + alen, &qlen, &bad);
		char c;

		/* only "x+" keeps x in the literal: "x*", "x?", "x{m,n}" end it */
		if (!alen || *p == '[' || *p == '.' || bad || (qlen && (zero || p[alen] != '+')))
			break;
		c = *p == '\\' ? p[1] : *p;
		if (n == LITERAL_TEXT_MAX)
			return refuse(errbuf, errlen, "\"%s\": the literal is longer than %d characters",
				      a, LITERAL_TEXT_MAX);
		ret->text[n++] = c;
		p += alen;
		if (qlen) {
			/* "x+" is "x" then "x*": the rest must be a tail */
			p += qlen;
			tail = true;
			all_dot_star = false;
			break;
		}
	}
	ret->text[n] = '\0';
	/* the tail: atoms that may match nothing, then perhaps '$' */
	while (*p && *p != '$') {
		size_t alen = atom_len(p), qlen;
		bool bad, zero;

		if (!alen) {
			if (*p == '\\')
				return refuse(errbuf, errlen, "\"%s\": '\\%c' is not a plain character",
					      a, p[1] ? p[1] : ' ');
			return refuse(errbuf, errlen, "\"%s\": '%c' cannot be carried over as a literal",
				      a, *p);
		}
		zero = quantifier(p + alen, &qlen, &bad);
		if (bad)
			return refuse(errbuf, errlen, "\"%s\": '{' is not a valid repetition", a);
		if (!zero)
			return refuse(errbuf, errlen, "\"%s\": \"%.*s\" must match a character after "
				      "\"%s\", so this is not a literal prefix",
				      a, (int)alen, p, ret->text);
		if (!(alen == 1 && *p == '.' && qlen == 1 && p[1] == '*'))
			all_dot_star = false;
		tail = true;
		p += alen + qlen;
	}
	if (*p == '$') {
		if (p[1])
			return refuse(errbuf, errlen, "\"%s\": '$' before the end", a);
		/* ".*$" still matches anything; another tail before '$' does not */
		if (tail && !all_dot_star)
			return refuse(errbuf, errlen, "\"%s\": a repetition before '$' makes it "
				      "more than a literal", a);
		ret->end = !tail;
	}
	return 0;
}

/* The position of the first c in s outside brackets and escapes, or NULL. */
static const char *find_top(const char *s, char c)
{
	for (const char *p = s; *p;) {
		if (*p == c)
			return p;
		if (*p == '\\' && p[1])
			p += 2;
		else if (*p == '[') {
			const char *e = skip_bracket(p);

			p = e ? e : p + 1;
		} else
			p++;
	}
	return NULL;
}

static int add_alt(const char *pre, size_t npre, const char *mid, size_t nmid, const char *post,
		   struct literal *ret, size_t *n, size_t max, char *errbuf, size_t errlen)
{
	char a[ALT_MAX + 1];

	if (npre + nmid + strlen(post) > ALT_MAX)
		return refuse(errbuf, errlen, "an alternative is longer than %d characters", ALT_MAX);
	if (*n == max)
		return refuse(errbuf, errlen, "more than %zu alternatives", max);
	snprintf(a, sizeof(a), "%.*s%.*s%s", (int)npre, pre, (int)nmid, mid, post);
	return parse_alt(a, &ret[(*n)++], errbuf, errlen);
}

int literal_parse(const char *re, struct literal *ret, size_t max, char *errbuf, size_t errlen)
{
	const char *open, *close, *bar;
	size_t n = 0;
	int r;

	if (!re || !ret || max == 0)
		return -EINVAL;
	open = find_top(re, '(');
	if (!open) {
		/* top-level alternatives, each with its own anchors */
		for (const char *a = re;; a = bar + 1) {
			bar = find_top(a, '|');
			r = add_alt(a, bar ? (size_t)(bar - a) : strlen(a), "", 0, "", ret, &n, max,
				    errbuf, errlen);
			if (r < 0 || !bar)
				return r < 0 ? r : (int)n;
		}
	}
	close = find_top(open + 1, ')');
	if (!close)
		return refuse(errbuf, errlen, "\"%s\": '(' without ')'", re);
	if (find_top(open + 1, '(') && find_top(open + 1, '(') < close)
		return refuse(errbuf, errlen, "\"%s\": a group inside a group", re);
	if (find_top(close + 1, '(') || find_top(close + 1, ')'))
		return refuse(errbuf, errlen, "\"%s\": more than one group", re);
	bar = find_top(re, '|');
	if ((bar && bar < open) || find_top(close + 1, '|'))
		return refuse(errbuf, errlen, "\"%s\": '|' outside the group", re);
	for (const char *a = open + 1;; a = bar + 1) {
		bar = find_top(a, '|');
		if (bar > close)
			bar = NULL;
		r = add_alt(re, (size_t)(open - re), a, (size_t)((bar ?: close) - a), close + 1, ret,
			    &n, max, errbuf, errlen);
		if (r < 0 || !bar)
			return r < 0 ? r : (int)n;
	}
}
