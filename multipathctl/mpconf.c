/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The multipath.conf reader (see mpconf.h). Hand-written: the format is
 * line-based with its own quoting ("" in strings, '!' comments), which no
 * Debian library parses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "macro.h"
#include "mpconf.h"

#define MAX_DEPTH 8	/* multipath.conf nests two deep; more is a broken file */
#define MAX_TOKENS 64	/* per line; the rest of a longer line is one error */

enum tok_type {
	TOK_WORD,
	TOK_STRING,
	TOK_OPEN,
	TOK_CLOSE,
};

struct tok {
	enum tok_type type;
	char *text; /* TOK_WORD, TOK_STRING: the word, the string without quotes */
};

struct reader {
	const char *path;
	unsigned line;
	struct mp_parse_error *err;
};

void mpc_error(struct mp_parse_error *err, const char *file, unsigned line, const char *format,
	       ...)
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

/* An error at the line being read: -EBADMSG. */
#define read_error(rd, ...)                                             \
	({                                                              \
		mpc_error((rd)->err, (rd)->path, (rd)->line, __VA_ARGS__); \
		-EBADMSG;                                               \
	})

static void node_done(struct mpc_node *n)
{
	for (size_t i = 0; i < n->n_children; i++)
		node_done(&n->children[i]);
	free(n->children);
	free(n->key);
	free(n->value);
	free(n->extra);
}

struct mpc_file *mpc_file_free(struct mpc_file *f)
{
	if (f) {
		node_done(&f->root);
		free(f->path);
		free(f);
	}
	return NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool ends_word(char c)
{
	return !c || is_blank(c) || c == '"' || c == '#' || c == '!' || c == '{' || c == '}';
}

static void toks_free(struct tok *toks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(toks[i].text);
}

/* Split line l (NUL-terminated, no control characters) into toks[]. */
static int tokenize(struct reader *rd, const char *l, struct tok *toks, size_t *ret_n)
{
	size_t n = 0;
	int r = 0;

	for (const char *p = l; r >= 0;) {
		struct tok t = {};

		while (is_blank(*p))
			p++;
		if (!*p || *p == '#' || *p == '!')
			break;
		if (n == MAX_TOKENS) {
			r = read_error(rd, "more than %d words on one line", MAX_TOKENS);
			break;
		}
		if (*p == '{' || *p == '}') {
			t.type = *p++ == '{' ? TOK_OPEN : TOK_CLOSE;
		} else if (*p == '"') {
			char *s = malloc(strlen(p)), *o = s;

			if (!s) {
				r = -ENOMEM;
				break;
			}
			for (p++;; p++) {
				if (!*p) {
					free(s);
					r = read_error(rd, "missing closing quote");
					break;
				}
				if (*p == '"' && p[1] != '"')
					break;
				if (*p == '"')
					p++; /* "" is one '"' */
				*o++ = *p;
			}
			if (r < 0)
				break;
			*o = '\0';
			p++;
			t.type = TOK_STRING;
			t.text = s;
		} else {
			const char *e = p;

			while (!ends_word(*e))
				e++;
			t.type = TOK_WORD;
			t.text = strndup(p, (size_t)(e - p));
			if (!t.text) {
				r = -ENOMEM;
				break;
			}
			p = e;
		}
		toks[n++] = t;
	}
	if (r < 0) {
		toks_free(toks, n);
		return r;
	}
	*ret_n = n;
	return 0;
}

static const char *tok_name(const struct tok *t)
{
	return t->type == TOK_OPEN ? "{" : t->type == TOK_CLOSE ? "}" : t->text;
}

/* Append a node to section parent; returns it, or NULL on ENOMEM. */
static struct mpc_node *add_child(struct mpc_node *parent)
{
	struct mpc_node *c;

	/* one at a time: a section's lines are few, and a parent does not grow while a child is open */
	c = reallocarray(parent->children, parent->n_children + 1, sizeof(*c));
	if (!c)
		return NULL;
	parent->children = c;
	c = &c[parent->n_children++];
	*c = (struct mpc_node){};
	return c;
}

/* "word word ..." of toks[from..n), for what multipathd would ignore. */
static char *join_words(const struct tok *toks, size_t from, size_t n)
{
	size_t len = 0, off = 0;
	char *s;

	for (size_t i = from; i < n; i++)
		len += strlen(toks[i].text) + 1;
	s = malloc(len + 1);
	if (!s)
		return NULL;
	for (size_t i = from; i < n; i++)
		off += (size_t)sprintf(s + off, "%s%s", i > from ? " " : "", toks[i].text);
	s[off] = '\0';
	return s;
}

/* One line's tokens, in the section stack[*depth - 1]. */
static int parse_tokens(struct reader *rd, struct mpc_file *f, struct tok *toks, size_t n,
			struct mpc_node **stack, size_t *depth)
{
	struct mpc_node *parent = stack[*depth - 1], *c;

	if (n == 0)
		return 0;
	if (toks[0].type == TOK_CLOSE) {
		if (n > 1)
			return read_error(rd, "unexpected \"%s\" after '}': a '}' stands alone on "
					  "its line", tok_name(&toks[1]));
		if (*depth == 1)
			return read_error(rd, "'}' without a section to close");
		(*depth)--;
		return 0;
	}
	if (toks[0].type == TOK_OPEN)
		return read_error(rd, "'{' without a section name before it");
	if (toks[0].type == TOK_STRING)
		return read_error(rd, "expected a keyword, got the quoted string \"%s\"",
				  toks[0].text);
	for (size_t i = 1; i < n; i++)
		if ((toks[i].type == TOK_OPEN && i != 1) || toks[i].type == TOK_CLOSE)
			return read_error(rd, "unexpected '%s' after \"%s\": a '{' follows a section "
					  "name, a '}' stands alone on its line",
					  tok_name(&toks[i]), toks[0].text);

	c = add_child(parent);
	if (!c)
		return -ENOMEM;
	c->key = TAKE_PTR(toks[0].text);
	c->file = f->path;
	c->line = rd->line;
	if (n > 1 && toks[1].type == TOK_OPEN) {
		if (n > 2)
			return read_error(rd, "unexpected \"%s\" after '{'", tok_name(&toks[2]));
		if (*depth == MAX_DEPTH)
			return read_error(rd, "sections nested more than %d deep", MAX_DEPTH - 1);
		c->section = true;
		stack[(*depth)++] = c;
		return 0;
	}
	if (n > 1)
		c->value = TAKE_PTR(toks[1].text);
	if (n > 2) {
		c->extra = join_words(toks, 2, n);
		if (!c->extra)
			return -ENOMEM;
	}
	return 0;
}

int mpc_parse(const char *text, size_t len, const char *path, struct mpc_file **ret,
	      struct mp_parse_error *err)
{
	_cleanup_(mpc_file_freep) struct mpc_file *f = NULL;
	struct reader rd = { .path = path, .err = err };
	struct mp_lines it = MP_LINES_INIT(text, len);
	struct mpc_node *stack[MAX_DEPTH];
	size_t depth = 1;
	const char *l;
	size_t llen;
	int r = 0;

	if (!text || !path || !ret)
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->path = strdup(path);
	if (!f->path)
		return -ENOMEM;
	f->root.section = true;
	f->root.file = f->path;
	stack[0] = &f->root;

	while (r >= 0 && mp_lines_next(&it, &l, &llen)) {
		_cleanup_free_ char *copy = NULL;
		struct tok toks[MAX_TOKENS];
		size_t n = 0;

		rd.line = it.line;
		for (size_t i = 0; i < llen; i++)
			if (!l[i])
				return read_error(&rd, "NUL character in line");
			else if (((unsigned char)l[i] < 0x20 && l[i] != '\t' && l[i] != '\r') ||
				 l[i] == 0x7f)
				return read_error(&rd, "control character 0x%02x in column %zu",
						  (unsigned char)l[i], i + 1);
		copy = strndup(l, llen);
		if (!copy)
			return -ENOMEM;
		r = tokenize(&rd, copy, toks, &n);
		if (r < 0)
			break;
		r = parse_tokens(&rd, f, toks, n, stack, &depth);
		toks_free(toks, n);
	}
	if (r >= 0 && depth > 1) {
		rd.line = stack[depth - 1]->line;
		r = read_error(&rd, "section \"%s\" is not closed: no '}' for its '{' by the end of "
			       "the file", stack[depth - 1]->key);
	}
	if (r == -ENOMEM)
		mpc_error(rd.err, rd.path, rd.line, "out of memory");
	if (r < 0)
		return r == -ENOMEM ? r : -EBADMSG;
	*ret = TAKE_PTR(f);
	return 0;
}
