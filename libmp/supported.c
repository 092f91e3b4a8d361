/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The supported-device list (/etc/mpio/supported-devices): parser, matcher
 * and an atomic in-place editor, plus the transport names its bus-type
 * entries use. The file format and the matching rules are in libmp.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fileio.h"
#include "libmp-private.h"

#define VENDOR_LEN 8
#define PRODUCT_LEN 16
#define ENTRY_MAX MP_SUPPORTED_ENTRY_MAX
#define BUS_PREFIX "bus:"
#define BUS_PREFIX_LEN 4
/* A list is a few dozen lines; anything this big is not one. */
#define LIST_MAX_BYTES (1024 * 1024)

_Static_assert(VENDOR_LEN + PRODUCT_LEN == ENTRY_MAX, "entry = vendor + product");

struct entry {
	char text[ENTRY_MAX + 1]; /* unquoted; "bus:<name>" for a bus-type entry */
	size_t len;
	enum mp_transport bus; /* _MP_TRANSPORT_INVALID for a vendor/product entry */
	unsigned line;	       /* 1-based line it was parsed from */
	size_t line_off;       /* its line in the parsed text, newline included: */
	size_t line_len;       /* what the editor removes */
};

struct mp_supported {
	unsigned refcount;
	struct mp_ctx *ctx;
	struct entry *entries;
	size_t n;
};

static const char *const transport_names[_MP_TRANSPORT_MAX] = {
	[MP_TRANSPORT_OTHER] = "other",
	[MP_TRANSPORT_ISCSI] = "iscsi",
	[MP_TRANSPORT_FC] = "fc",
	[MP_TRANSPORT_SAS] = "sas",
};

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Locale-independent: INQUIRY strings are ASCII, and no locale should change a match. */
static bool ascii_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

static bool is_print(char c)
{
	return c >= 0x20 && c <= 0x7e;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static enum mp_transport transport_from_mem(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(transport_names); i++)
		if (strlen(transport_names[i]) == n && ascii_caseeq(s, transport_names[i], n))
			return (enum mp_transport)i;
	return _MP_TRANSPORT_INVALID;
}

_public_ const char *mp_transport_to_string(enum mp_transport transport)
{
	if (transport < 0 || transport >= _MP_TRANSPORT_MAX)
		return NULL;
	return transport_names[transport];
}

_public_ enum mp_transport mp_transport_from_string(const char *s)
{
	if (!s)
		return _MP_TRANSPORT_INVALID;
	return transport_from_mem(s, strlen(s));
}

static void set_error(struct mp_parse_error *err, const char *file, unsigned line,
		      const char *format, ...) _printf_(4, 5);

static void set_error(struct mp_parse_error *err, const char *file, unsigned line,
		      const char *format, ...)
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

/* Thread-safe text for a negative errno. */
static const char *errno_text(int r)
{
	return strerrordesc_np(-r) ?: "unknown error";
}

/*
 * Make *e from the unquoted entry s[0..n). bus_allowed: a "bus:" prefix makes
 * a bus-type entry (false for quoted entries). Returns 0, or -EINVAL with the
 * reason in msg.
 */
static int entry_set(const char *s, size_t n, bool bus_allowed, struct entry *e, char *msg,
		     size_t msglen)
{
	*e = (struct entry){ .bus = _MP_TRANSPORT_INVALID };

	for (size_t i = 0; i < n; i++)
		if (!is_print(s[i])) {
			snprintf(msg, msglen, "non-printable character 0x%02x in entry",
				 (unsigned char)s[i]);
			return -EINVAL;
		}

	if (bus_allowed && n >= BUS_PREFIX_LEN && ascii_caseeq(s, BUS_PREFIX, BUS_PREFIX_LEN)) {
		const char *name = s + BUS_PREFIX_LEN;
		size_t len = n - BUS_PREFIX_LEN;
		enum mp_transport t = transport_from_mem(name, len);

		if (t == MP_TRANSPORT_OTHER) {
			snprintf(msg, msglen,
				 "bus type \"other\" cannot be claimed, expected iscsi, fc or sas");
			return -EINVAL;
		}
		if (t < 0) {
			snprintf(msg, msglen,
				 "unknown bus type \"%.*s\", expected iscsi, fc or sas",
				 (int)(len > 32 ? 32 : len), name);
			return -EINVAL;
		}
		e->bus = t;
		e->len = (size_t)snprintf(e->text, sizeof(e->text), BUS_PREFIX "%s",
					  transport_names[t]);
		return 0;
	}

	if (n == 0) {
		snprintf(msg, msglen, "empty entry");
		return -EINVAL;
	}
	if (n > ENTRY_MAX) {
		snprintf(msg, msglen, "entry is %zu characters long, at most %d are allowed"
			 " (8 vendor + 16 product)", n, ENTRY_MAX);
		return -EINVAL;
	}
	memcpy(e->text, s, n);
	e->text[n] = '\0';
	e->len = n;
	return 0;
}

static bool entry_same(const struct entry *a, const struct entry *b)
{
	return a->bus == b->bus && a->len == b->len && ascii_caseeq(a->text, b->text, a->len);
}

/* Equal for entries that are entry_same(). */
static uint64_t entry_hash(const struct entry *e)
{
	return mp_hash_mem_ascii_lower(e->text, e->len) ^ (uint64_t)(e->bus + 1);
}

static bool entry_same_at(const void *key, size_t item, const void *userdata)
{
	const struct entry *entries = userdata;

	return entry_same(&entries[item], key);
}

/*
 * One line l[0..n) without its newline. Returns 1 and fills *e for an entry,
 * 0 for a blank or comment line, -EBADMSG with the reason in msg.
 */
static int parse_line(const char *l, size_t n, struct entry *e, char *msg, size_t msglen)
{
	size_t a = 0, b = n;

	while (a < b && is_blank(l[a]))
		a++;
	while (b > a && (is_blank(l[b - 1]) || l[b - 1] == '\r'))
		b--;
	if (a == b || l[a] == '#')
		return 0;

	for (size_t i = a; i < b; i++)
		if (!is_print(l[i])) {
			snprintf(msg, msglen, "non-printable character 0x%02x in column %zu",
				 (unsigned char)l[i], i + 1);
			return -EBADMSG;
		}

	if (l[a] == '"') {
		if (b - a < 2 || l[b - 1] != '"') {
			snprintf(msg, msglen, "missing closing quote");
			return -EBADMSG;
		}
		if (entry_set(l + a + 1, b - a - 2, false, e, msg, msglen) < 0)
			return -EBADMSG;
		return 1;
	}
	if (entry_set(l + a, b - a, true, e, msg, msglen) < 0)
		return -EBADMSG;
	return 1;
}

/*
 * Parse text[0..len) (name is used in errors). Returns 0 and the entries in
 * *ret and *ret_n, or -EBADMSG / -ENOMEM with *err filled.
 */
static int parse_text(const char *text, size_t len, const char *name, struct entry **ret,
		      size_t *ret_n, struct mp_parse_error *err)
{
	_cleanup_free_ struct entry *entries = NULL;
	_cleanup_(mp_index_done) struct mp_index seen = {};
	struct mp_lines it = MP_LINES_INIT(text, len);
	size_t n = 0, size = 0, llen, first;
	const char *l;

	while (mp_lines_next(&it, &l, &llen)) {
		size_t off = (size_t)(l - text), next = it.off;
		unsigned line = it.line;
		char msg[sizeof(err->msg)];
		struct entry e;
		int r;

		r = parse_line(l, llen, &e, msg, sizeof(msg));
		if (r < 0) {
			set_error(err, name, line, "%s", msg);
			return r;
		}
		if (r > 0) {
			uint64_t h = entry_hash(&e);

			if (mp_index_find(&seen, h, entry_same_at, &e, entries, &first)) {
				set_error(err, name, line, "duplicate entry, first given on line %u",
					  entries[first].line);
				return -EBADMSG;
			}
			if (n == size) {
				size_t nsize = size ? size * 2 : 16;
				struct entry *p = reallocarray(entries, nsize, sizeof(*p));

				if (!p) {
					set_error(err, name, 0, "out of memory");
					return -ENOMEM;
				}
				entries = p;
				size = nsize;
			}
			if (mp_index_add(&seen, h, n) < 0) {
				set_error(err, name, 0, "out of memory");
				return -ENOMEM;
			}
			e.line = line;
			e.line_off = off;
			e.line_len = next - off;
			entries[n++] = e;
		}
	}
	*ret = TAKE_PTR(entries);
	*ret_n = n;
	return 0;
}

/* Read a list file; errors name the file with line 0. */
static int read_list(const char *path, char **ret, size_t *ret_len, struct mp_parse_error *err)
{
	int r = mp_read_file(path, LIST_MAX_BYTES, ret, ret_len);

	if (r == -EFBIG)
		set_error(err, path, 0, "file is larger than %d bytes", LIST_MAX_BYTES);
	else if (r < 0)
		set_error(err, path, 0, "cannot read: %s", errno_text(r));
	return r;
}

static int supported_new(struct mp_ctx *ctx, const char *text, size_t len, const char *name,
			 struct mp_supported **ret, struct mp_parse_error *err)
{
	_cleanup_free_ struct entry *entries = NULL;
	struct mp_supported *list;
	size_t n;
	int r;

	r = parse_text(text, len, name, &entries, &n, err);
	if (r < 0)
		return r;
	list = calloc(1, sizeof(*list));
	if (!list) {
		set_error(err, name, 0, "out of memory");
		return -ENOMEM;
	}
	list->refcount = 1;
	list->ctx = mp_ctx_ref(ctx);
	list->entries = TAKE_PTR(entries);
	list->n = n;
	*ret = list;
	return 0;
}

_public_ int mp_supported_parse_file(struct mp_ctx *ctx, const char *path,
				     struct mp_supported **ret, struct mp_parse_error *reterr)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	if (!ctx || !path || !ret)
		return -EINVAL;
	r = read_list(path, &text, &len, reterr);
	if (r < 0)
		return r;
	return supported_new(ctx, text, len, path, ret, reterr);
}

_public_ int mp_supported_parse_string(struct mp_ctx *ctx, const char *text, const char *name,
				       struct mp_supported **ret, struct mp_parse_error *reterr)
{
	if (!ctx || !text || !ret)
		return -EINVAL;
	return supported_new(ctx, text, strlen(text), name ?: "<string>", ret, reterr);
}

_public_ struct mp_supported *mp_supported_ref(struct mp_supported *list)
{
	if (list)
		list->refcount++;
	return list;
}

_public_ struct mp_supported *mp_supported_unref(struct mp_supported *list)
{
	if (!list || --list->refcount > 0)
		return NULL;
	mp_ctx_unref(list->ctx);
	free(list->entries);
	free(list);
	return NULL;
}

_public_ int mp_supported_count(const struct mp_supported *list)
{
	if (!list)
		return -EINVAL;
	return (int)list->n;
}

_public_ int mp_supported_get_entry(const struct mp_supported *list, unsigned idx,
				    const char **ret_text, enum mp_transport *ret_bus,
				    unsigned *ret_line)
{
	const struct entry *e;

	if (!list)
		return -EINVAL;
	if (idx >= list->n)
		return -ERANGE;
	e = &list->entries[idx];
	if (ret_text)
		*ret_text = e->text;
	if (ret_bus)
		*ret_bus = e->bus;
	if (ret_line)
		*ret_line = e->line;
	return 0;
}

/* An INQUIRY field into dst, space padded to width; trailing white space is dropped first. */
static int pad_field(const char *s, char *dst, size_t width)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
			 s[n - 1] == '\r'))
		n--;
	if (n > width)
		return -EINVAL;
	memcpy(dst, s, n);
	memset(dst + n, ' ', width - n);
	return 0;
}

_public_ int mp_supported_match(const struct mp_supported *list, const char *vendor,
				const char *product, enum mp_transport transport)
{
	char dev[ENTRY_MAX];
	int r;

	if (!list || !vendor || !product || transport < 0 || transport >= _MP_TRANSPORT_MAX)
		return -EINVAL;
	r = pad_field(vendor, dev, VENDOR_LEN);
	if (r < 0)
		return r;
	r = pad_field(product, dev + VENDOR_LEN, PRODUCT_LEN);
	if (r < 0)
		return r;

	for (size_t i = 0; i < list->n; i++) {
		const struct entry *e = &list->entries[i];

		if (e->bus != _MP_TRANSPORT_INVALID ? e->bus == transport
						    : ascii_caseeq(e->text, dev, e->len))
			return (int)i;
	}
	return -ENOENT;
}

/* ---- Editing the file ---- */

/*
 * The line that parses back to e, newline included, into buf (ENTRY_MAX + 4
 * bytes). Quotes are added when the unquoted form would read differently:
 * blanks at either end would be trimmed, a leading '"' or '#' would start a
 * quoted entry or a comment, "bus:" would make a bus-type entry.
 */
static size_t format_entry(const struct entry *e, char *buf)
{
	const char *t = e->text;
	bool quote = false;

	if (e->bus == _MP_TRANSPORT_INVALID)
		quote = t[0] == ' ' || t[e->len - 1] == ' ' || t[0] == '"' || t[0] == '#' ||
			(e->len >= BUS_PREFIX_LEN && ascii_caseeq(t, BUS_PREFIX, BUS_PREFIX_LEN));
	return (size_t)sprintf(buf, quote ? "\"%s\"\n" : "%s\n", e->text);
}

/* A file to edit: its text, its entries and its mode. */
struct edit {
	char *text;
	size_t len;
	struct entry *entries;
	size_t n;
	mode_t mode;
};

static void edit_done(struct edit *ed)
{
	free(ed->text);
	free(ed->entries);
}

static int edit_load(const char *path, bool create, struct edit *ed, struct mp_parse_error *err)
{
	struct stat st;
	int r;

	if (stat(path, &st) == 0)
		ed->mode = st.st_mode & 07777;
	else
		ed->mode = 0644;
	r = read_list(path, &ed->text, &ed->len, err);
	if (r == -ENOENT && create) {
		ed->text = strdup("");
		if (!ed->text)
			return -ENOMEM;
		ed->len = 0;
	} else if (r < 0)
		return r;
	return parse_text(ed->text, ed->len, path, &ed->entries, &ed->n, err);
}

/* An editor's argument: quoted, a vendor/product entry as a quoted line is; else as an unquoted one. */
static int entry_from_arg(const char *path, const char *arg, struct entry *e,
			  struct mp_parse_error *err)
{
	char msg[sizeof(err->msg)];
	size_t n = strlen(arg);
	bool quoted = n >= 2 && arg[0] == '"' && arg[n - 1] == '"';

	if (entry_set(quoted ? arg + 1 : arg, quoted ? n - 2 : n, !quoted, e, msg, sizeof(msg)) < 0) {
		set_error(err, path, 0, "%s", msg);
		return -EINVAL;
	}
	return 0;
}

_public_ int mp_supported_file_add_many(const char *path, const char *const *entries, size_t n,
					struct mp_parse_error *reterr)
{
	_cleanup_(edit_done) struct edit ed = {};
	_cleanup_free_ struct entry *add = NULL;
	_cleanup_free_ char *lines = NULL;
	struct iovec iov[3];
	size_t iovcnt = 0, off = 0;
	int r;

	if (!path || (n > 0 && !entries) || n > SIZE_MAX / (ENTRY_MAX + 4))
		return -EINVAL;
	add = calloc(n ?: 1, sizeof(*add));
	lines = malloc(n * (ENTRY_MAX + 4) + 1);
	if (!add || !lines)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!entries[i])
			return -EINVAL;
		r = entry_from_arg(path, entries[i], &add[i], reterr);
		if (r < 0)
			return r;
		for (size_t k = 0; k < i; k++)
			if (entry_same(&add[k], &add[i])) {
				set_error(reterr, path, 0, "entry \"%s\" is given twice", add[i].text);
				return -EINVAL;
			}
	}
	r = edit_load(path, true, &ed, reterr);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < ed.n; k++)
			if (entry_same(&ed.entries[k], &add[i])) {
				set_error(reterr, path, ed.entries[k].line,
					  "entry \"%s\" is already listed", add[i].text);
				return -EEXIST;
			}
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		off += format_entry(&add[i], lines + off);

	iov[iovcnt++] = (struct iovec){ ed.text, ed.len };
	if (ed.len > 0 && ed.text[ed.len - 1] != '\n')
		iov[iovcnt++] = (struct iovec){ (char *)"\n", 1 };
	iov[iovcnt++] = (struct iovec){ lines, off };
	r = mp_replace_file(path, ed.mode, iov, iovcnt);
	if (r < 0)
		set_error(reterr, path, 0, "cannot write: %s", errno_text(r));
	return r;
}

_public_ int mp_supported_file_add(const char *path, const char *entry,
				   struct mp_parse_error *reterr)
{
	if (!entry)
		return -EINVAL;
	return mp_supported_file_add_many(path, &entry, 1, reterr);
}

_public_ int mp_supported_file_remove(const char *path, const char *entry,
				      struct mp_parse_error *reterr)
{
	_cleanup_(edit_done) struct edit ed = {};
	const struct entry *found = NULL;
	struct iovec iov[2];
	struct entry e;
	int r;

	if (!path || !entry)
		return -EINVAL;
	r = entry_from_arg(path, entry, &e, reterr);
	if (r < 0)
		return r;
	r = edit_load(path, false, &ed, reterr);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ed.n && !found; i++)
		if (entry_same(&ed.entries[i], &e))
			found = &ed.entries[i];
	if (!found) {
		set_error(reterr, path, 0, "entry \"%s\" is not listed", e.text);
		return -ENOENT;
	}

	iov[0] = (struct iovec){ ed.text, found->line_off };
	iov[1] = (struct iovec){ ed.text + found->line_off + found->line_len,
				 ed.len - found->line_off - found->line_len };
	r = mp_replace_file(path, ed.mode, iov, 2);
	if (r < 0)
		set_error(reterr, path, 0, "cannot write: %s", errno_text(r));
	return r;
}
