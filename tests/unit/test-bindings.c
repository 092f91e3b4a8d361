/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bindings file: assignment of the lowest free name, the name sequence
 * (z, aa, ..., zz, aaa), content and mode kept, corrupt files rejected with
 * file:line, concurrent writers in separate processes agreeing, and many
 * names in one call given as one call each would give them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "libmp-private.h"
#include "unit.h"

struct tmp {
	char dir[64];
	char path[128];
	char lock[128];
};

static void tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/mpio-test-bindings.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/bindings", t->dir);
	snprintf(t->lock, sizeof(t->lock), "%s/.bindings.lock", t->dir);
}

static int tmp_count_files(const struct tmp *t)
{
	DIR *d = opendir(t->dir);
	struct dirent *de;
	int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void tmp_remove(struct tmp *t)
{
	(void)unlink(t->path);
	(void)unlink(t->lock);
	CU_ASSERT_EQUAL(rmdir(t->dir), 0);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *path)
{
	char *text = NULL;
	size_t len;

	CU_ASSERT_EQUAL_FATAL(mp_read_file(path, 1 << 24, &text, &len), 0);
	return text;
}

#define ASSERT_FILE(path, expect)                              \
	do {                                                   \
		char *_t = slurp(path);                        \
		CU_ASSERT_PTR_NOT_NULL_FATAL(_t);              \
		if (_t && strcmp(_t, expect) != 0)             \
			fprintf(stderr, "\nfile:\n%s\n", _t);  \
		CU_ASSERT_STRING_EQUAL(_t, expect);            \
		free(_t);                                      \
	} while (0)

#define HEADER                                                                        \
	"# mpio bindings: user-friendly names of multipath maps, one \"<name> <wwid>\"\n" \
	"# per line. mpiod appends to this file; a name never moves to another WWID.\n"

/* Assign and check the name and whether it is new. */
static void assign(const char *path, const char *wwid, const char *want, int want_r)
{
	struct mp_parse_error err = {};
	char *name = NULL;
	int r = mp_bindings_get_or_assign(path, wwid, &name, &err);

	if (r < 0)
		fprintf(stderr, "\n%s:%u: %s\n", err.file, err.line, err.msg);
	CU_ASSERT_EQUAL(r, want_r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(name);
	CU_ASSERT_STRING_EQUAL(name, want);
	free(name);
}

static void test_assign_and_lookup(void)
{
	struct mp_parse_error err = {};
	struct tmp t;
	struct stat st;
	char *name = NULL;

	tmp_make(&t);
	CU_ASSERT_EQUAL(mp_bindings_lookup(t.path, "3600a", &name, &err), -ENOENT);
	CU_ASSERT_PTR_NULL(name);

	assign(t.path, "3600a", "mpatha", 1);
	ASSERT_FILE(t.path, HEADER "mpatha 3600a\n");
	CU_ASSERT_EQUAL(stat(t.path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0644);
	assign(t.path, "3600a", "mpatha", 0);
	assign(t.path, "3600b", "mpathb", 1);
	assign(t.path, "3600a", "mpatha", 0);
	ASSERT_FILE(t.path, HEADER "mpatha 3600a\nmpathb 3600b\n");

	CU_ASSERT_EQUAL(mp_bindings_lookup(t.path, "3600b", &name, &err), 0);
	CU_ASSERT_STRING_EQUAL(name, "mpathb");
	free(name);
	name = NULL;
	CU_ASSERT_EQUAL(mp_bindings_lookup(t.path, "3600c", &name, &err), -ENOENT);
	CU_ASSERT_STRING_EQUAL(err.msg, "WWID 3600c has no name");
	/* no temporary file left behind: the file and the lock file */
	CU_ASSERT_EQUAL(tmp_count_files(&t), 2);
	tmp_remove(&t);
}

static void test_lowest_free_and_kept_content(void)
{
	struct tmp t;
	struct stat st;

	tmp_make(&t);
	/* comments, blanks and hand-written names are kept; no newline at the end */
	put(t.path, "# mine\n\n  mpathb   3600b\t\nmpathd 3600d\ndb 3600db\n#x\nmpathzzzzzzz 3600long");
	CU_ASSERT_EQUAL(chmod(t.path, 0600), 0);
	assign(t.path, "3600db", "db", 0);
	assign(t.path, "3600new1", "mpatha", 1);
	assign(t.path, "3600new2", "mpathc", 1);
	assign(t.path, "3600new3", "mpathe", 1);
	assign(t.path, "3600long", "mpathzzzzzzz", 0);
	ASSERT_FILE(t.path, "# mine\n\n  mpathb   3600b\t\nmpathd 3600d\ndb 3600db\n#x\n"
			    "mpathzzzzzzz 3600long\nmpatha 3600new1\nmpathc 3600new2\n"
			    "mpathe 3600new3\n");
	CU_ASSERT_EQUAL(stat(t.path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0600);
	tmp_remove(&t);
}

/* The test's own spelling of name n (1-based): mpatha .. mpathz, mpathaa, ... */
static void name_n(unsigned n, char *buf)
{
	char rev[8];
	size_t k = 0;

	while (n > 0) {
		n--;
		rev[k++] = (char)('a' + n % 26);
		n /= 26;
	}
	strcpy(buf, "mpath");
	for (size_t i = 0; i < k; i++)
		buf[5 + i] = rev[k - 1 - i];
	buf[5 + k] = '\0';
}

static void test_name_sequence(void)
{
	struct tmp t;
	FILE *f;
	char name[16], wwid[32];

	name_n(1, name);
	CU_ASSERT_STRING_EQUAL(name, "mpatha");
	name_n(27, name);
	CU_ASSERT_STRING_EQUAL(name, "mpathaa");

	tmp_make(&t);
	for (unsigned i = 1; i <= 30; i++) {
		name_n(i, name);
		snprintf(wwid, sizeof(wwid), "36%05u", i);
		assign(t.path, wwid, name, 1);
	}
	tmp_remove(&t);

	/* 26 + 26 * 26 = 702 names of up to two letters are taken: the next has three */
	tmp_make(&t);
	f = fopen(t.path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (unsigned i = 1; i <= 702; i++) {
		name_n(i, name);
		fprintf(f, "%s 36%05u\n", name, i);
	}
	fclose(f);
	assign(t.path, "36last", "mpathaaa", 1);
	assign(t.path, "3600702", "mpathzz", 0);
	assign(t.path, "3600026", "mpathz", 0);
	tmp_remove(&t);
}

struct corrupt_case {
	const char *text;
	unsigned line;
	const char *msg;
};

static const struct corrupt_case corrupt_cases[] = {
	{ "mpatha 3600a\n# c\nmpatha 3600b\n", 3, "name mpatha is already bound on line 1" },
	{ "\nmpatha 3600a\nmpathb 3600a\n", 3, "WWID 3600a is already bound on line 2" },
	{ "mpatha\n", 1, "expected \"<name> <wwid>\", got 1 field" },
	{ "mpatha 3600a extra\n", 1, "expected \"<name> <wwid>\", got 3 fields" },
	{ "mpatha 3600a\nmp/x 3600b\n", 2, "invalid name \"mp/x\"" },
	/* names the kernel refuses (review U9) */
	{ "mpatha 3600a\ncontrol 3600b\n", 2, "invalid name \"control\"" },
	{ "..  3600b\n", 1, "invalid name \"..\"" },
	{ ". 3600b\n", 1, "invalid name \".\"" },
	{ "mpatha 36\x01\n", 1, "invalid WWID \"36\x01\"" },
	/* both clash: the earlier line is named; on the same line, the name */
	{ "mpatha 3600a\nmpathb 3600b\nmpathb 3600a\n", 3, "WWID 3600a is already bound on line 1" },
	{ "mpatha 3600a\nmpathb 3600b\nmpatha 3600b\n", 3, "name mpatha is already bound on line 1" },
	{ "mpatha 3600a\nmpatha 3600a\n", 2, "name mpatha is already bound on line 1" },
};

static void test_corrupt(void)
{
	struct tmp t;

	tmp_make(&t);
	for (size_t i = 0; i < ARRAY_SIZE(corrupt_cases); i++) {
		const struct corrupt_case *c = &corrupt_cases[i];
		struct mp_parse_error err = {};
		char *name = NULL;

		put(t.path, c->text);
		CU_ASSERT_EQUAL(mp_bindings_get_or_assign(t.path, "3600new", &name, &err), -EBADMSG);
		CU_ASSERT_PTR_NULL(name);
		CU_ASSERT_STRING_EQUAL(err.file, t.path);
		CU_ASSERT_EQUAL(err.line, c->line);
		CU_ASSERT_STRING_EQUAL(err.msg, c->msg);
		CU_ASSERT_EQUAL(mp_bindings_lookup(t.path, "3600a", &name, NULL), -EBADMSG);
		ASSERT_FILE(t.path, c->text); /* never repaired */
	}
	tmp_remove(&t);
}

static void test_bad_args(void)
{
	struct mp_parse_error err = {};
	struct tmp t;
	char *name = NULL;

	tmp_make(&t);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign(t.path, "", &name, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign(t.path, "36 00", &name, &err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err.msg, "invalid WWID \"36 00\"");
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign(t.path, "36\n", &name, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign(NULL, "3600", &name, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign(t.path, NULL, &name, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign(t.path, "3600", NULL, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_bindings_lookup(t.path, "3600", NULL, &err), -EINVAL);
	CU_ASSERT_PTR_NULL(name);
	CU_ASSERT_EQUAL(tmp_count_files(&t), 0);
	/* a directory that does not exist */
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign("/nonexistent-mpio/bindings", "3600", &name,
						  &err), -ENOENT);
	CU_ASSERT_STRING_EQUAL(err.file, "/nonexistent-mpio/.bindings.lock");
	tmp_remove(&t);
}

#define WRITERS 8
#define WWIDS 50

/* One writer: assign every WWID in its own order, report "<index> <name>" lines on fd. */
static int writer(const char *path, unsigned seed, int fd)
{
	unsigned order[WWIDS];
	FILE *out = fdopen(fd, "w");

	if (!out)
		return 2;
	for (unsigned i = 0; i < WWIDS; i++)
		order[i] = i;
	srand(seed);
	for (unsigned i = WWIDS - 1; i > 0; i--) {
		unsigned j = (unsigned)rand() % (i + 1), x = order[i];

		order[i] = order[j];
		order[j] = x;
	}
	for (unsigned i = 0; i < WWIDS; i++) {
		char wwid[32], *name = NULL;

		snprintf(wwid, sizeof(wwid), "3600c0ff%08u", order[i]);
		if (mp_bindings_get_or_assign(path, wwid, &name, NULL) < 0)
			return 3;
		fprintf(out, "%u %s\n", order[i], name);
		free(name);
	}
	return fclose(out) == 0 ? 0 : 4;
}

static void test_concurrent_writers(void)
{
	char names[WRITERS][WWIDS][16] = {};
	char *text, *save = NULL;
	pid_t pids[WRITERS];
	FILE *in[WRITERS];
	bool seen[WWIDS + 1] = {};
	unsigned lines = 0;
	struct tmp t;

	tmp_make(&t);
	for (int w = 0; w < WRITERS; w++) {
		int fds[2];

		CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
		pids[w] = fork();
		CU_ASSERT_FATAL(pids[w] >= 0);
		if (pids[w] == 0) {
			close(fds[0]);
			_exit(writer(t.path, 1000u + (unsigned)w, fds[1]));
		}
		close(fds[1]);
		in[w] = fdopen(fds[0], "r");
		CU_ASSERT_PTR_NOT_NULL_FATAL(in[w]);
	}
	for (int w = 0; w < WRITERS; w++) {
		unsigned idx, n = 0;
		char name[16];
		int status;

		while (fscanf(in[w], "%u %15s", &idx, name) == 2) {
			CU_ASSERT_FATAL(idx < WWIDS);
			snprintf(names[w][idx], sizeof(names[w][idx]), "%s", name);
			n++;
		}
		fclose(in[w]);
		CU_ASSERT_EQUAL(waitpid(pids[w], &status, 0), pids[w]);
		CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CU_ASSERT_EQUAL(n, WWIDS);
	}
	/* every process got the same name for each WWID */
	for (int w = 1; w < WRITERS; w++)
		for (int i = 0; i < WWIDS; i++)
			CU_ASSERT_STRING_EQUAL(names[w][i], names[0][i]);

	/* the file: one line per WWID, the names are mpatha..mpathax, each once, as reported */
	text = slurp(t.path);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char name[16];
		unsigned idx;

		if (l[0] == '#')
			continue;
		lines++;
		CU_ASSERT_EQUAL_FATAL(sscanf(l, "%15s 3600c0ff%u", name, &idx), 2);
		CU_ASSERT_FATAL(idx < WWIDS);
		CU_ASSERT_STRING_EQUAL(name, names[0][idx]);
		for (unsigned n = 1; n <= WWIDS; n++) {
			char want[16];

			name_n(n, want);
			if (strcmp(want, name) == 0) {
				CU_ASSERT_FALSE(seen[n]);
				seen[n] = true;
			}
		}
	}
	free(text);
	CU_ASSERT_EQUAL(lines, WWIDS);
	for (unsigned n = 1; n <= WWIDS; n++)
		CU_ASSERT_TRUE(seen[n]);
	CU_ASSERT_EQUAL(tmp_count_files(&t), 2);
	tmp_remove(&t);
}

/* A file of n bindings, mpatha.. for 3600000001.., then extra. */
static void put_many(const char *path, unsigned n, const char *extra)
{
	FILE *f = fopen(path, "w");
	char name[16];

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (unsigned i = 1; i <= n; i++) {
		name_n(i, name);
		fprintf(f, "%s 36%08u\n", name, i);
	}
	fputs(extra, f);
	fclose(f);
}

/* Duplicates found through the index far apart, past its growth. */
static void test_corrupt_large(void)
{
	struct mp_parse_error err = {};
	struct tmp t;
	char *name = NULL;

	tmp_make(&t);
	put_many(t.path, 5000, "mpathx 3600new9\n");
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign(t.path, "3600new", &name, &err), -EBADMSG);
	CU_ASSERT_EQUAL(err.line, 5001);
	CU_ASSERT_STRING_EQUAL(err.msg, "name mpathx is already bound on line 24");
	put_many(t.path, 5000, "db 3600004999\n");
	CU_ASSERT_EQUAL(mp_bindings_lookup(t.path, "3600000001", &name, &err), -EBADMSG);
	CU_ASSERT_EQUAL(err.line, 5001);
	CU_ASSERT_STRING_EQUAL(err.msg, "WWID 3600004999 is already bound on line 4999");
	CU_ASSERT_PTR_NULL(name);
	/* and a sound large file: every lookup finds its own */
	put_many(t.path, 5000, "");
	assign(t.path, "3600000001", "mpatha", 0);
	assign(t.path, "3600005000", "mpathgjh", 0);
	assign(t.path, "3600new", "mpathgji", 1);
	tmp_remove(&t);
}

/* Many names at once, as the same calls one by one would give them. */
static void test_many(void)
{
	static const char *const text = "# mine\nmpathb 3600b\nmpathd 3600d\ndb 3600db";
	const char *wwids[] = { "3600new1", "3600db", "3600new2", "3600new1", "3600b", "3600new3" };
	const char *want[] = { "mpatha", "db", "mpathc", "mpatha", "mpathb", "mpathe" };
	char *names[ARRAY_SIZE(wwids)] = {}, *one = NULL;
	struct mp_parse_error err = {};
	struct stat st, st2;
	struct tmp t;

	tmp_make(&t);
	put(t.path, text);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, wwids, ARRAY_SIZE(wwids), names, &err), 3);
	for (size_t i = 0; i < ARRAY_SIZE(wwids); i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(names[i]);
		CU_ASSERT_STRING_EQUAL(names[i], want[i]);
		free(names[i]);
		names[i] = NULL;
	}
	ASSERT_FILE(t.path, "# mine\nmpathb 3600b\nmpathd 3600d\ndb 3600db\n"
			    "mpatha 3600new1\nmpathc 3600new2\nmpathe 3600new3\n");
	/* the file the same calls one by one make */
	put(t.path, text);
	for (size_t i = 0; i < ARRAY_SIZE(wwids); i++)
		assign(t.path, wwids[i], want[i], i == 0 || i == 2 || i == 5);
	ASSERT_FILE(t.path, "# mine\nmpathb 3600b\nmpathd 3600d\ndb 3600db\n"
			    "mpatha 3600new1\nmpathc 3600new2\nmpathe 3600new3\n");

	/* all bound already: nothing written (the same inode) */
	CU_ASSERT_EQUAL(stat(t.path, &st), 0);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, wwids, 2, names, &err), 0);
	CU_ASSERT_STRING_EQUAL(names[0], "mpatha");
	CU_ASSERT_STRING_EQUAL(names[1], "db");
	free(names[0]);
	free(names[1]);
	names[0] = names[1] = NULL;
	CU_ASSERT_EQUAL(stat(t.path, &st2), 0);
	CU_ASSERT_EQUAL(st.st_ino, st2.st_ino);

	/* one bad WWID fails the call: no name, the file unchanged */
	wwids[1] = "36 00";
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, wwids, 3, names, &err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err.msg, "invalid WWID \"36 00\"");
	CU_ASSERT_PTR_NULL(names[0]);
	CU_ASSERT_EQUAL(stat(t.path, &st2), 0);
	CU_ASSERT_EQUAL(st.st_ino, st2.st_ino);
	wwids[1] = NULL;
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, wwids, 3, names, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(NULL, wwids, 1, names, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, NULL, 1, names, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, wwids, 1, NULL, &err), -EINVAL);
	/* none asked: nothing to do */
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, NULL, 0, NULL, &err), 0);
	tmp_remove(&t);

	/* a new file gets its header once, then every line */
	tmp_make(&t);
	wwids[1] = "3600x";
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, wwids, 3, names, &err), 3);
	ASSERT_FILE(t.path, HEADER "mpatha 3600new1\nmpathb 3600x\nmpathc 3600new2\n");
	for (size_t i = 0; i < 3; i++)
		free(names[i]);
	CU_ASSERT_EQUAL(mp_bindings_lookup(t.path, "3600x", &one, &err), 0);
	CU_ASSERT_STRING_EQUAL(one, "mpathb");
	free(one);
	/* a corrupt file: nothing assigned */
	put(t.path, "mpatha 3600a\nmpatha 3600b\n");
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, wwids, 1, names, &err), -EBADMSG);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(tmp_count_files(&t), 2);
	tmp_remove(&t);
}

/* 3,000 new names in one call: the sequence across the two-letter boundary, one write. */
static void test_many_large(void)
{
	enum { N = 3000 };
	static char wwid_buf[N][16];
	const char *wwids[N];
	char **names = calloc(N, sizeof(*names)), want[16];
	struct mp_parse_error err = {};
	struct tmp t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(names);
	for (unsigned i = 0; i < N; i++) {
		snprintf(wwid_buf[i], sizeof(wwid_buf[i]), "36%08u", i + 1);
		wwids[i] = wwid_buf[i];
	}
	tmp_make(&t);
	/* a hole at 10: the first new WWID takes it */
	put_many(t.path, 9, "");
	CU_ASSERT_EQUAL(mp_bindings_get_or_assign_many(t.path, wwids, N, names, &err), N - 9);
	for (unsigned i = 0; i < N; i++) {
		name_n(i + 1, want);
		CU_ASSERT_STRING_EQUAL(names[i], want);
		free(names[i]);
	}
	free(names);
	assign(t.path, "36new", "mpathdkk", 1);
	tmp_remove(&t);
}

static void test_count(void)
{
	struct mp_parse_error err = {};
	struct tmp t;

	tmp_make(&t);
	CU_ASSERT_EQUAL(mp_bindings_count(t.path, &err), -ENOENT);
	CU_ASSERT_STRING_EQUAL(err.file, t.path);
	/* as multipath-tools keeps it: comment lines, then "alias wwid" pairs */
	put(t.path, "# written by multipath-tools\n"
		    "#\n"
		    "mpatha 3600a098038303053453f463045757a4d\n"
		    "mpathb 3600a098038303053453f463045757a4e\n");
	CU_ASSERT_EQUAL(mp_bindings_count(t.path, &err), 2);
	put(t.path, "mpatha 3600a\nmpathb 3600a\n");
	CU_ASSERT_EQUAL(mp_bindings_count(t.path, &err), -EBADMSG);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_STRING_EQUAL(err.msg, "WWID 3600a is already bound on line 1");
	put(t.path, "");
	CU_ASSERT_EQUAL(mp_bindings_count(t.path, &err), 0);
	CU_ASSERT_EQUAL(mp_bindings_count(NULL, &err), -EINVAL);
	CU_ASSERT_EQUAL(tmp_count_files(&t), 1); /* no lock file: nothing is locked */
	tmp_remove(&t);
}

static const struct unit_test tests[] = {
	{ "assign and look up", test_assign_and_lookup },
	{ "lowest free name, content and mode kept", test_lowest_free_and_kept_content },
	{ "name sequence z, aa, zz, aaa", test_name_sequence },
	{ "corrupt files: every message with its line", test_corrupt },
	{ "bad arguments", test_bad_args },
	{ "8 concurrent writers agree", test_concurrent_writers },
	{ "corrupt large files: duplicates far apart", test_corrupt_large },
	{ "many names at once, as one by one", test_many },
	{ "3000 names at once", test_many_large },
	{ "count: a file checked as mpiod reads it", test_count },
};

UNIT_MAIN("bindings", tests)
