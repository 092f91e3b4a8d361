/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bindings file: user-friendly names (mpatha, mpathb, ...) for WWIDs.
 *
 * The file is only ever replaced whole (a temporary file renamed over it),
 * so it cannot be locked itself: a reader holding the old inode would not
 * see the writer's lock on the new one. All access therefore goes through a
 * flock() on a sibling lock file that is never replaced. Under the
 * exclusive lock a writer re-reads the file, so the decision "this WWID has
 * no name yet, take the lowest free one" is made on the latest content.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "libmp-private.h"

#define BINDINGS_MAX_BYTES (16 * 1024 * 1024)
#define NAME_PREFIX "mpath"
#define NAME_PREFIX_LEN 5
#define NAME_MAX_LETTERS 6 /* 26^6 names, far beyond what a host has */
#define NAME_BUF (NAME_PREFIX_LEN + NAME_MAX_LETTERS + 1)
#define BINDINGS_HEADER                                                             \
	"# mpio bindings: user-friendly names of multipath maps, one \"<name> <wwid>\"\n" \
	"# per line. mpiod appends to this file; a name never moves to another WWID.\n"

struct binding {
	char *name, *wwid;
	unsigned line;
};

struct bindings {
	char *text; /* the file, split in place: the bindings point into it */
	size_t len;
	struct binding *b;
	size_t n, size;
	struct mp_index by_name, by_wwid; /* positions in b */
	mode_t mode;
	bool exists;
};

static void bindings_done(struct bindings *bs)
{
	free(bs->text);
	free(bs->b);
	mp_index_done(&bs->by_name);
	mp_index_done(&bs->by_wwid);
}

static bool name_eq(const void *key, size_t item, const void *userdata)
{
	const struct bindings *bs = userdata;

	return strcmp(bs->b[item].name, key) == 0;
}

static bool wwid_eq(const void *key, size_t item, const void *userdata)
{
	const struct bindings *bs = userdata;

	return strcmp(bs->b[item].wwid, key) == 0;
}

/* The binding of name (by_name) or wwid (by_wwid), or NULL. */
static const struct binding *find_name(const struct bindings *bs, const char *name)
{
	size_t i;

	return mp_index_find(&bs->by_name, mp_hash_str(name), name_eq, name, bs, &i) ? &bs->b[i] : NULL;
}

static const struct binding *find_wwid(const struct bindings *bs, const char *wwid)
{
	size_t i;

	return mp_index_find(&bs->by_wwid, mp_hash_str(wwid), wwid_eq, wwid, bs, &i) ? &bs->b[i] : NULL;
}

/* Append a binding whose name and WWID are unique (the caller checked); the strings must outlive bs. */
static int bindings_add(struct bindings *bs, char *name, char *wwid, unsigned line)
{
	if (bs->n == bs->size) {
		size_t nsize = bs->size ? bs->size * 2 : 64;
		struct binding *p = reallocarray(bs->b, nsize, sizeof(*p));

		if (!p)
			return -ENOMEM;
		bs->b = p;
		bs->size = nsize;
	}
	if (mp_index_add(&bs->by_name, mp_hash_str(name), bs->n) < 0 ||
	    mp_index_add(&bs->by_wwid, mp_hash_str(wwid), bs->n) < 0)
		return -ENOMEM;
	bs->b[bs->n++] = (struct binding){ name, wwid, line };
	return 0;
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

static const char *errno_text(int r)
{
	return strerrordesc_np(-r) ?: "unknown error";
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* A word that can stand in the file: printable ASCII, no blanks. */
static bool valid_word(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* The index of a generated name ("mpatha" is 1, "mpathaa" 27), or 0 for any other name. */
static unsigned long name_index(const char *name)
{
	unsigned long idx = 0;
	size_t n;

	if (strncmp(name, NAME_PREFIX, NAME_PREFIX_LEN) != 0)
		return 0;
	name += NAME_PREFIX_LEN;
	n = strlen(name);
	if (n == 0 || n > NAME_MAX_LETTERS)
		return 0;
	for (; *name; name++) {
		if (*name < 'a' || *name > 'z')
			return 0;
		idx = idx * 26 + (unsigned long)(*name - 'a' + 1);
	}
	return idx;
}

/* The generated name of index idx >= 1 (bijective base 26). */
static int name_of_index(unsigned long idx, char *buf, size_t len)
{
	char letters[NAME_MAX_LETTERS + 1];
	size_t n = 0;

	while (idx > 0) {
		if (n == NAME_MAX_LETTERS)
			return -ENOSPC;
		idx--;
		letters[n++] = (char)('a' + idx % 26);
		idx /= 26;
	}
	if (len < NAME_PREFIX_LEN + n + 1)
		return -ERANGE;
	memcpy(buf, NAME_PREFIX, NAME_PREFIX_LEN);
	for (size_t i = 0; i < n; i++)
		buf[NAME_PREFIX_LEN + i] = letters[n - 1 - i];
	buf[NAME_PREFIX_LEN + n] = '\0';
	return 0;
}

/* Split bs->text into bindings, checking that names and WWIDs are unique. */
static int parse(const char *path, struct bindings *bs, struct mp_parse_error *err)
{
	struct mp_lines it = MP_LINES_INIT(bs->text, bs->len);
	const struct binding *o, *ow;
	const char *cl;
	size_t llen;
	int r;

	if (strlen(bs->text) != bs->len) {
		set_error(err, path, 0, "NUL character in file");
		return -EBADMSG;
	}
	while (mp_lines_next(&it, &cl, &llen)) {
		/* Fields are cut out of the text in place: bs->text is ours, the bindings point into it. */
		char *l = bs->text + (cl - bs->text), *fields[3] = {};
		unsigned line = it.line;
		size_t nf = 0;

		l[llen] = '\0';
		for (char *p = l; *p;) {
			while (is_blank(*p))
				p++;
			if (!*p)
				break;
			if (nf == 0 && *p == '#')
				break;
			if (nf < 3)
				fields[nf] = p;
			nf++;
			while (*p && !is_blank(*p))
				p++;
			if (*p)
				*p++ = '\0';
		}
		if (nf == 0)
			continue;
		if (nf != 2) {
			set_error(err, path, line, "expected \"<name> <wwid>\", got %zu field%s", nf,
				  nf == 1 ? "" : "s");
			return -EBADMSG;
		}
		if (!valid_word(fields[0], MP_MAP_NAME_SIZE - 1) || !mp_map_name_valid(fields[0])) {
			set_error(err, path, line, "invalid name \"%.64s\"", fields[0]);
			return -EBADMSG;
		}
		if (!valid_word(fields[1], MP_WWID_SIZE - 1)) {
			set_error(err, path, line, "invalid WWID \"%.64s\"", fields[1]);
			return -EBADMSG;
		}
		/* Of two clashes the earlier line is named; on one line, the name's. */
		o = find_name(bs, fields[0]);
		ow = find_wwid(bs, fields[1]);
		if (o && (!ow || o <= ow)) {
			set_error(err, path, line, "name %s is already bound on line %u", fields[0],
				  o->line);
			return -EBADMSG;
		}
		if (ow) {
			o = ow;
			set_error(err, path, line, "WWID %s is already bound on line %u", fields[1],
				  o->line);
			return -EBADMSG;
		}
		r = bindings_add(bs, fields[0], fields[1], line);
		if (r < 0)
			return r;
	}
	return 0;
}

static int load(const char *path, struct bindings *bs, struct mp_parse_error *err)
{
	struct stat st;
	int r;

	r = mp_read_file(path, BINDINGS_MAX_BYTES, &bs->text, &bs->len);
	if (r == -ENOENT) {
		bs->text = strdup("");
		if (!bs->text)
			return -ENOMEM;
		bs->len = 0;
		bs->mode = 0644;
		return 0;
	}
	if (r < 0) {
		set_error(err, path, 0, r == -EFBIG ? "file is too large" : "cannot read: %s",
			  errno_text(r));
		return r;
	}
	bs->exists = true;
	bs->mode = stat(path, &st) == 0 ? st.st_mode & 07777 : 0644;
	return 0;
}

/* Open and lock the sibling lock file of path; returns the fd. */
static int lock_bindings(const char *path, int op, struct mp_parse_error *err)
{
	_cleanup_free_ char *lock = NULL;
	_cleanup_close_ int fd = -1;
	const char *slash = strrchr(path, '/');
	int r;

	if (slash)
		r = asprintf(&lock, "%.*s/.%s.lock", (int)(slash - path), path, slash + 1);
	else
		r = asprintf(&lock, ".%s.lock", path);
	if (r < 0)
		return -ENOMEM;
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		r = -errno;
		set_error(err, lock, 0, "cannot open lock file: %s", errno_text(r));
		return r;
	}
	while (flock(fd, op) < 0) {
		if (errno == EINTR)
			continue;
		r = -errno;
		set_error(err, lock, 0, "cannot lock: %s", errno_text(r));
		return r;
	}
	return TAKE_FD(fd);
}

/* Read and parse the file; the text as read, before parse() split it, in *ret_orig if asked. */
static int bindings_read(const char *path, struct bindings *bs, char **ret_orig,
			 struct mp_parse_error *err)
{
	int r;

	r = load(path, bs, err);
	if (r < 0)
		return r;
	if (ret_orig) {
		/* parse() splits the text in place: keep a copy to write back */
		*ret_orig = malloc(bs->len + 1);
		if (!*ret_orig)
			return -ENOMEM;
		memcpy(*ret_orig, bs->text, bs->len + 1);
	}
	return parse(path, bs, err);
}

static void names_free(char **names, size_t n)
{
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * The names of wwids[0..n), binding the lowest free names to those without
 * one, in order, with one locked read, one write and one fsync pair for all.
 * Returns the number of new bindings and the names in ret_names[0..n).
 */
static int bindings_assign(const char *path, const char *const *wwids, size_t n, char **ret_names,
			   struct mp_parse_error *err)
{
	_cleanup_(bindings_done) struct bindings bs = {};
	_cleanup_free_ char *orig = NULL, *lines = NULL, *newnames = NULL;
	_cleanup_free_ bool *used = NULL;
	_cleanup_close_ int lock = -1;
	char **names = NULL;
	size_t n_new = 0, off = 0, lines_max, next = 1;
	struct iovec iov[3];
	size_t iovcnt = 0;
	int r;

	if (!path || (!wwids && n > 0) || (!ret_names && n > 0))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!wwids[i] || !valid_word(wwids[i], MP_WWID_SIZE - 1)) {
			set_error(err, path, 0, "invalid WWID \"%.64s\"", wwids[i] ?: "");
			return -EINVAL;
		}
	if (n == 0)
		return 0;
	lock = lock_bindings(path, LOCK_EX, err);
	if (lock < 0)
		return lock;
	r = bindings_read(path, &bs, &orig, err);
	if (r < 0)
		return r;

	/* Every new name is held here, with room for all: bs points into it. */
	newnames = calloc(n, NAME_BUF);
	/* The lowest free index is at most bs.n + n: mark the ones in use up to there. */
	used = calloc(bs.n + n + 1, sizeof(*used));
	names = calloc(n, sizeof(*names));
	if (!newnames || !used || !names) {
		r = -ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < bs.n; i++) {
		unsigned long idx = name_index(bs.b[i].name);

		if (idx > 0 && idx <= bs.n + n)
			used[idx] = true;
	}
	for (size_t i = 0; i < n; i++) {
		const struct binding *b = find_wwid(&bs, wwids[i]);
		char *name;

		if (!b) {
			name = newnames + n_new * NAME_BUF;
			while (used[next])
				next++;
			r = name_of_index(next, name, NAME_BUF);
			if (r < 0) {
				set_error(err, path, 0, "no free name left");
				goto fail;
			}
			used[next] = true;
			/* the caller's WWID: it outlives bs */
			r = bindings_add(&bs, name, (char *)wwids[i], 0);
			if (r < 0)
				goto fail;
			b = &bs.b[bs.n - 1];
			n_new++;
		}
		names[i] = strdup(b->name);
		if (!names[i]) {
			r = -ENOMEM;
			goto fail;
		}
	}

	if (n_new > 0) {
		lines_max = sizeof(BINDINGS_HEADER) + n_new * (NAME_BUF + MP_WWID_SIZE + 1);
		lines = malloc(lines_max);
		if (!lines) {
			r = -ENOMEM;
			goto fail;
		}
		if (!bs.exists)
			off += (size_t)snprintf(lines, lines_max, "%s", BINDINGS_HEADER);
		for (size_t i = bs.n - n_new; i < bs.n; i++)
			off += (size_t)snprintf(lines + off, lines_max - off, "%s %s\n", bs.b[i].name,
						bs.b[i].wwid);
		iov[iovcnt++] = (struct iovec){ orig, bs.len };
		if (bs.len > 0 && orig[bs.len - 1] != '\n')
			iov[iovcnt++] = (struct iovec){ (char *)"\n", 1 };
		iov[iovcnt++] = (struct iovec){ lines, off };
		r = mp_replace_file(path, bs.mode, iov, iovcnt);
		if (r < 0) {
			set_error(err, path, 0, "cannot write: %s", errno_text(r));
			goto fail;
		}
	}
	memcpy(ret_names, names, n * sizeof(*names));
	free(names);
	return (int)(n_new > INT_MAX ? INT_MAX : n_new);
fail:
	names_free(names, n);
	return r;
}

static int bindings_lookup(const char *path, const char *wwid, char **ret, struct mp_parse_error *err)
{
	_cleanup_(bindings_done) struct bindings bs = {};
	const struct binding *b;
	char *name;
	int r;

	if (!path || !wwid || !ret)
		return -EINVAL;
	if (!valid_word(wwid, MP_WWID_SIZE - 1)) {
		set_error(err, path, 0, "invalid WWID \"%.64s\"", wwid);
		return -EINVAL;
	}
	/* Readers need no lock: the file is only ever replaced whole, by rename(). */
	r = bindings_read(path, &bs, NULL, err);
	if (r < 0)
		return r;
	b = find_wwid(&bs, wwid);
	if (!b) {
		set_error(err, path, 0, "WWID %.64s has no name", wwid);
		return -ENOENT;
	}
	name = strdup(b->name);
	if (!name)
		return -ENOMEM;
	*ret = name;
	return 0;
}

_public_ int mp_bindings_get_or_assign(const char *path, const char *wwid, char **ret,
				       struct mp_parse_error *reterr)
{
	if (!path || !wwid || !ret)
		return -EINVAL;
	return bindings_assign(path, &wwid, 1, ret, reterr);
}

_public_ int mp_bindings_get_or_assign_many(const char *path, const char *const *wwids, size_t n,
					    char **ret_names, struct mp_parse_error *reterr)
{
	return bindings_assign(path, wwids, n, ret_names, reterr);
}

_public_ int mp_bindings_lookup(const char *path, const char *wwid, char **ret,
				struct mp_parse_error *reterr)
{
	return bindings_lookup(path, wwid, ret, reterr);
}

_public_ int mp_bindings_count(const char *path, struct mp_parse_error *reterr)
{
	_cleanup_(bindings_done) struct bindings bs = {};
	int r;

	if (!path)
		return -EINVAL;
	r = bindings_read(path, &bs, NULL, reterr);
	if (r < 0)
		return r;
	if (!bs.exists) {
		set_error(reterr, path, 0, "cannot read: %s", errno_text(-ENOENT));
		return -ENOENT;
	}
	return bs.n > INT_MAX ? -EOVERFLOW : (int)bs.n;
}
