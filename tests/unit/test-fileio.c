/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libmp's file helpers (fileio.c): line iteration and atomic rewrites. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "unit.h"

/* All lines of text[0..len) joined by '|', with their numbers checked. */
static void lines_of(const char *text, size_t len, char *out, size_t outlen)
{
	struct mp_lines it = MP_LINES_INIT(text, len);
	unsigned n = 0;
	size_t o = 0;
	const char *l;
	size_t llen;

	out[0] = '\0';
	while (mp_lines_next(&it, &l, &llen)) {
		CU_ASSERT_EQUAL(it.line, ++n);
		CU_ASSERT(l >= text && l + llen <= text + len);
		o += (size_t)snprintf(out + o, outlen - o, "%s%.*s", n > 1 ? "|" : "", (int)llen, l);
	}
	CU_ASSERT_EQUAL(it.off, len);
}

static void test_lines(void)
{
	char out[128];
	/* not NUL-terminated: the iterator must stop at len */
	const char unterminated[3] = { 'a', '\n', 'b' };

	lines_of("", 0, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "");
	lines_of("one\ntwo\n", 8, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "one|two");
	lines_of("one\ntwo", 7, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "one|two");
	lines_of("\n\nx\n\n", 5, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "||x|");
	lines_of(unterminated, sizeof(unterminated), out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "a|b");
	/* a NUL inside a line is the caller's business: the line keeps its length */
	lines_of("a\0b\nc", 5, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "a|c");
}

static void test_replace(void)
{
	char dir[] = "/tmp/mpio-fileio-XXXXXX", path[64], bad[80], *text = NULL;
	struct iovec iov[3] = {
		{ (char *)"first\n", 6 },
		{ (char *)"", 0 },
		{ (char *)"second\n", 7 },
	};
	struct stat st;
	size_t len = 0, entries = 0;
	DIR *d;
	struct dirent *de;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	CU_ASSERT_EQUAL(mp_replace_file(path, 0640, iov, 3), 0);
	CU_ASSERT_EQUAL(mp_read_file(path, 1024, &text, &len), 0);
	CU_ASSERT_EQUAL(len, 13);
	CU_ASSERT_STRING_EQUAL(text, "first\nsecond\n");
	free(text);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0640);

	/* replaced whole, with the new mode */
	CU_ASSERT_EQUAL(mp_replace_file(path, 0600, iov + 2, 1), 0);
	CU_ASSERT_EQUAL(mp_read_file(path, 1024, &text, &len), 0);
	CU_ASSERT_STRING_EQUAL(text, "second\n");
	free(text);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0600);
	CU_ASSERT_EQUAL(mp_read_file(path, 3, &text, &len), -EFBIG);

	/* errors: no file name, missing directory; no temporary file is left */
	snprintf(bad, sizeof(bad), "%s/", dir);
	CU_ASSERT_EQUAL(mp_replace_file(bad, 0644, iov, 1), -EISDIR);
	snprintf(bad, sizeof(bad), "%s/nodir/file", dir);
	CU_ASSERT_EQUAL(mp_replace_file(bad, 0644, iov, 1), -ENOENT);
	d = opendir(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			CU_ASSERT_STRING_EQUAL(de->d_name, "file");
			entries++;
		}
	closedir(d);
	CU_ASSERT_EQUAL(entries, 1);

	CU_ASSERT_EQUAL(mp_write_all(-1, "x", 1), -EBADF);
	CU_ASSERT_EQUAL(mp_read_file(bad, 1024, &text, &len), -ENOENT);
	(void)unlink(path);
	(void)rmdir(dir);
}

static void test_create(void)
{
	char dir[] = "/tmp/mpio-fileio-XXXXXX", path[64], *text = NULL;
	struct iovec iov[2] = { { (char *)"new\n", 4 }, { (char *)"other\n", 6 } };
	struct stat st;
	size_t len = 0;
	DIR *d;
	struct dirent *de;
	unsigned entries = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	CU_ASSERT_EQUAL(mp_create_file(path, 0640, iov, 1), 0);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0640);
	/* something there already: left alone, and no temporary file is left */
	CU_ASSERT_EQUAL(mp_create_file(path, 0644, iov + 1, 1), -EEXIST);
	CU_ASSERT_EQUAL(mp_read_file(path, 1024, &text, &len), 0);
	CU_ASSERT_STRING_EQUAL(text, "new\n");
	free(text);
	d = opendir(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d)))
		entries += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	CU_ASSERT_EQUAL(entries, 1);
	(void)unlink(path);
	(void)rmdir(dir);
}

static const struct unit_test tests[] = {
	{ "lines: numbering, empty lines, no final newline, bounds", test_lines },
	{ "replace: content, mode, errors leave no temporary file", test_replace },
	{ "create: a new file, never over one", test_create },
};

UNIT_MAIN("fileio", tests)
