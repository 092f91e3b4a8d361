/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the libFuzzer harnesses (fuzz-*.c): the input as
 * NUL-terminated parts, a scratch directory per process, invariant checks
 * that abort (so libFuzzer saves the input), and the switch that steps
 * around findings already known and being fixed elsewhere (tests/fuzz/known).
 *
 * Every harness is deterministic: its behaviour depends on the input bytes
 * only (file names in the scratch directory are fixed, nothing random, no
 * clock), and it frees everything it allocates.
 */
#ifndef MPIO_FUZZ_H
#define MPIO_FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant of the code under test failed: say which, and abort (libFuzzer keeps the input). */
#define FUZZ_CHECK(cond, ...)                                                        \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, \
				#cond);                                              \
			fprintf(stderr, __VA_ARGS__);                                \
			fputc('\n', stderr);                                         \
			abort();                                                     \
		}                                                                    \
	} while (0)

/* Out of memory in the harness itself is not a finding: stop. */
static inline void *fuzz_oom(void *p)
{
	if (!p) {
		fprintf(stderr, "fuzz harness: out of memory\n");
		abort();
	}
	return p;
}

/*
 * Inputs with several parts (a file and its drop-ins, a list and the
 * arguments of an edit) separate them with this line. The parts are
 * NUL-terminated copies; a part may hold NUL bytes of its own (len counts
 * them), and parts beyond FUZZ_MAX_PARTS stay in the last one.
 */
#define FUZZ_SEP "\n--8<--\n"
#define FUZZ_SEP_LEN 8
#define FUZZ_MAX_PARTS 16

struct fuzz_parts {
	char *buf;
	size_t n;
	char *part[FUZZ_MAX_PARTS];
	size_t len[FUZZ_MAX_PARTS];
};

static inline void fuzz_split(const uint8_t *data, size_t size, size_t max,
			      struct fuzz_parts *ret)
{
	char *p, *end, *sep;

	*ret = (struct fuzz_parts){ .buf = fuzz_oom(malloc(size + 1)) };
	if (size)
		memcpy(ret->buf, data, size);
	ret->buf[size] = '\0';
	if (max > FUZZ_MAX_PARTS)
		max = FUZZ_MAX_PARTS;
	p = ret->buf;
	end = ret->buf + size;
	for (;;) {
		ret->part[ret->n] = p;
		sep = ret->n + 1 < max ? memmem(p, (size_t)(end - p), FUZZ_SEP, FUZZ_SEP_LEN) : NULL;
		if (!sep) {
			ret->len[ret->n++] = (size_t)(end - p);
			break;
		}
		*sep = '\0';
		ret->len[ret->n++] = (size_t)(sep - p);
		p = sep + FUZZ_SEP_LEN;
	}
}

static inline void fuzz_parts_free(struct fuzz_parts *p)
{
	free(p->buf);
	*p = (struct fuzz_parts){};
}

/* The input as one NUL-terminated string (a NUL inside ends it early for strlen()). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = fuzz_oom(malloc(size + 1));

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A context whose log function formats every message (so format bugs show) and drops it. */
__attribute__((format(printf, 6, 0)))
static inline void fuzz_log(void *userdata, int priority, const char *file, int line,
			    const char *fn, const char *format, va_list args)
{
	char buf[1024];

	(void)vsnprintf(buf, sizeof(buf), format, args);
}

static inline struct mp_ctx *fuzz_ctx(void)
{
	struct mp_ctx *ctx = NULL;

	if (mp_ctx_new(&ctx) < 0)
		fuzz_oom(NULL);
	mp_ctx_set_log_fn(ctx, fuzz_log, NULL);
	mp_ctx_set_log_priority(ctx, 7 /* LOG_DEBUG */);
	return ctx;
}

/*
 * The process's scratch directory (made on first use, removed at exit with
 * what the harness left in it). Harnesses use fixed names inside it.
 */
static char *fuzz_tmpdir_path;

static inline int fuzz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path) < 0 ? -1 : 0;
}

static inline void fuzz_tmpdir_cleanup(void)
{
	if (fuzz_tmpdir_path && nftw(fuzz_tmpdir_path, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		fprintf(stderr, "fuzz: could not remove %s\n", fuzz_tmpdir_path);
	free(fuzz_tmpdir_path);
	fuzz_tmpdir_path = NULL;
}

static inline const char *fuzz_tmpdir(void)
{
	if (!fuzz_tmpdir_path) {
		const char *base = getenv("TMPDIR");

		if (asprintf(&fuzz_tmpdir_path, "%s/mpio-fuzz.XXXXXX", base && *base ? base : "/tmp") < 0)
			fuzz_oom(NULL);
		if (!mkdtemp(fuzz_tmpdir_path)) {
			perror("mkdtemp");
			abort();
		}
		atexit(fuzz_tmpdir_cleanup);
	}
	return fuzz_tmpdir_path;
}

/* "<tmpdir>/<name>", newly allocated. */
static inline char *fuzz_path(const char *name)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", fuzz_tmpdir(), name) < 0)
		fuzz_oom(NULL);
	return p;
}

/* Write data[0..len) to path, replacing it; aborts on an I/O error (not a finding). */
static inline void fuzz_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len) || close(fd) < 0) {
		perror(path);
		abort();
	}
}

/* The whole file as a NUL-terminated string in *ret (free() it); its length, or -1 if missing. */
static inline ssize_t fuzz_read_file(const char *path, char **ret)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	*ret = NULL;
	if (!f)
		return -1;
	FILE *m = fuzz_oom(open_memstream(&buf, &len));
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	*ret = buf;
	return (ssize_t)len;
}

/*
 * Is finding id (e.g. "CFG-2") known and being fixed elsewhere? Set by
 * tests/fuzz/run from tests/fuzz/known while it fuzzes ($FUZZ_KNOWN, a
 * comma-separated list), so that a short run does not stop on it again; a
 * harness then steps around the inputs that reach it. Unset when the
 * regression inputs are replayed, so the known reproducers still fail
 * until the fix is merged.
 */
static inline bool fuzz_known(const char *id)
{
	const char *k = getenv("FUZZ_KNOWN");
	size_t n = strlen(id);

	for (; k && *k; k = strchr(k, ',') ? strchr(k, ',') + 1 : NULL)
		if (strncmp(k, id, n) == 0 && (k[n] == ',' || k[n] == '\0'))
			return true;
	return false;
}

#endif
