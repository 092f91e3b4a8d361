/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oracle: the command line of the data oracle (oracle.h, README.md).
 *
 *   oracle write [OPTIONS] TARGET JOURNAL
 *   oracle check [OPTIONS] TARGET JOURNAL
 *
 * Exit status: 0 all good; 1 the data is not (check: a lost, ghost, torn or
 * foreign block; write: a failed write or a bad read-back); 2 a usage error
 * or a failure to run.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oracle.h"

#define EXIT_DATA 1
#define EXIT_USAGE 2

/* Set by SIGINT or SIGTERM: the writer stops and closes its journal cleanly. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

static void usage_main(FILE *out)
{
	fprintf(out,
		"Usage: oracle write [OPTIONS] TARGET JOURNAL\n"
		"       oracle check [OPTIONS] TARGET JOURNAL\n"
		"\n"
		"A data oracle: 'write' stamps every block it writes with (block, generation,\n"
		"writer id, checksums) and journals which generation of each block was issued\n"
		"and acknowledged; 'check' reads the blocks back and reports, per block,\n"
		"correct, in flight, unwritten, lost, ghost, torn or foreign.\n"
		"'oracle write --help' and 'oracle check --help' list the options.\n");
}

static void usage_write(FILE *out)
{
	fprintf(out,
		"Usage: oracle write [OPTIONS] TARGET JOURNAL\n"
		"\n"
		"Write stamped blocks to TARGET (a block device, or a file) and journal each\n"
		"write's issue and acknowledgement in JOURNAL (created, synced before each\n"
		"write is submitted).\n"
		"\n"
		"Options (SIZE takes k, m, g, t suffixes, powers of 1024):\n"
		"  -b, --block-size=SIZE    512 to 8m, a multiple of 512 (default 4k)\n"
		"  -o, --offset=SIZE        start of the region (default 0)\n"
		"  -l, --length=SIZE        length of the region (default: to the end of\n"
		"                           TARGET; needed with --file)\n"
		"  -q, --queue-depth=N      writes in flight, one thread each (1-256, default 1)\n"
		"  -n, --count=N            stop after N writes\n"
		"  -t, --time=DURATION      stop after DURATION (seconds, or with ms, s, m, h);\n"
		"                           without --count or --time: one write per block\n"
		"  -d, --direct             O_DIRECT (the default)\n"
		"  -B, --buffered           through the page cache; acknowledged by fsync\n"
		"  -f, --fsync-every=N      fsync after every N writes, acknowledging them\n"
		"                           (default: 16 buffered, 1 with --file, never with\n"
		"                           O_DIRECT on a device: acknowledged on return)\n"
		"  -p, --pattern=PATTERN    random or sequential (default random)\n"
		"  -F, --file               TARGET is a file in a file system: create or\n"
		"                           extend it (acknowledged by fsync)\n"
		"  -r, --read-back          read each block back right after its ack (finds\n"
		"                           lost writes later overwritten, tells ghost from lost)\n"
		"  -s, --seed=N             seed of the random pattern (default: from the clock)\n"
		"  -w, --writer-id=N        writer id in every stamp (default: random)\n"
		"  -e, --max-errors=N       stop after N failed writes (default 0: never)\n"
		"      --no-journal-sync    do not fdatasync the journal (it then survives a\n"
		"                           crash of the writer, not of the machine)\n"
		"  -h, --help               show this help\n"
		"\n"
		"Prints one line: writer=, seed=, writes=, acked=, failed=, unacked=,\n"
		"read-back-bad=, max-write-ms=, max-write-at= (when the longest write began,\n"
		"CLOCK_MONOTONIC seconds), max-fsync-ms=, max-fsync-at= and more. SIGINT or\n"
		"SIGTERM stop the run cleanly. Exit status 1 if a write failed or a read-back\n"
		"was bad.\n");
}

static void usage_check(FILE *out)
{
	fprintf(out,
		"Usage: oracle check [OPTIONS] TARGET JOURNAL\n"
		"\n"
		"Read the region JOURNAL names from TARGET and judge each block against the\n"
		"journal: correct, inflight, unwritten (these pass), lost, ghost, torn, foreign\n"
		"(these fail). Prints a line per block that is not correct, then a summary\n"
		"line of key=value pairs ending in result=PASS or result=FAIL.\n"
		"\n"
		"Options:\n"
		"  -B, --buffered        read through the page cache (default: O_DIRECT, or\n"
		"                        buffered with the cached pages dropped if refused)\n"
		"  -a, --all             a line for every block\n"
		"  -m, --max-lines=N     at most N block lines (default 100, 0: no limit)\n"
		"  -Q, --quiet           the summary line only\n"
		"  -h, --help            show this help\n"
		"\n"
		"Exit status 1 if any block is lost, ghost, torn or foreign.\n");
}

static int bad_value(const char *cmd, const char *opt, const char *value, const char *why)
{
	fprintf(stderr, "oracle %s: invalid --%s '%s': %s\n", cmd, opt, value, why);
	return -EINVAL;
}

/* A decimal (or 0x hexadecimal) number. */
static int parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*ret = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

/* A size: a number with an optional k, m, g or t (binary). */
static int parse_size(const char *s, uint64_t *ret)
{
	static const char units[] = "kmgt";
	unsigned long long v;
	const char *u;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (*end) {
		u = strchr(units, *end | 0x20);
		if (!u || !*u || end[1])
			return -EINVAL;
		for (long i = 0; i <= u - units; i++) {
			if (v > UINT64_MAX / 1024)
				return -ERANGE;
			v *= 1024;
		}
	}
	*ret = v;
	return 0;
}

/* A duration: seconds, or a number with ms, s, m or h; to milliseconds. */
static int parse_duration(const char *s, uint64_t *ret)
{
	double v, scale = 1000;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -EINVAL;
	if (strcmp(end, "ms") == 0)
		scale = 1;
	else if (strcmp(end, "m") == 0)
		scale = 60000;
	else if (strcmp(end, "h") == 0)
		scale = 3600000;
	else if (*end && strcmp(end, "s") != 0)
		return -EINVAL;
	if (v * scale >= 1e15)
		return -ERANGE;
	*ret = (uint64_t)(v * scale + 0.5);
	return *ret ? 0 : -EINVAL;
}

/* After the options: TARGET and JOURNAL, nothing more. */
static int operands(const char *cmd, int argc, char *argv[], const char **ret_target, const char **ret_journal)
{
	if (argc - optind != 2) {
		fprintf(stderr, "oracle %s: expected TARGET and JOURNAL%s%s\n", cmd,
			argc - optind > 2 ? ", not also " : "", argc - optind > 2 ? argv[optind + 2] : "");
		return -EINVAL;
	}
	*ret_target = argv[optind];
	*ret_journal = argv[optind + 1];
	return 0;
}

static int parse_write(int argc, char *argv[], struct oracle_write_opts *o)
{
	static const struct option options[] = {
		{ "block-size", required_argument, NULL, 'b' },
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'l' },
		{ "queue-depth", required_argument, NULL, 'q' },
		{ "count", required_argument, NULL, 'n' },
		{ "time", required_argument, NULL, 't' },
		{ "direct", no_argument, NULL, 'd' },
		{ "buffered", no_argument, NULL, 'B' },
		{ "fsync-every", required_argument, NULL, 'f' },
		{ "pattern", required_argument, NULL, 'p' },
		{ "file", no_argument, NULL, 'F' },
		{ "read-back", no_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "writer-id", required_argument, NULL, 'w' },
		{ "max-errors", required_argument, NULL, 'e' },
		{ "no-journal-sync", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct oracle_run *run = &o->run;
	bool fsync_given = false;
	uint64_t v;
	int opt;

	run->block_size = 4096;
	run->queue_depth = 1;
	run->flags = ORACLE_F_DIRECT | ORACLE_F_RANDOM;
	run->seed = (uint64_t)time(NULL) ^ oracle_now_ns();
	o->journal_sync = true;
	while ((opt = getopt_long(argc, argv, "b:o:l:q:n:t:dBf:p:Frs:w:e:h", options, NULL)) >= 0) {
		switch (opt) {
		case 'b':
			if (parse_size(optarg, &v) < 0 || v < ORACLE_MIN_BS || v > ORACLE_MAX_BS ||
			    v % ORACLE_SECTOR)
				return bad_value("write", "block-size", optarg,
						 "a multiple of 512 from 512 to 8m");
			run->block_size = (uint32_t)v;
			break;
		case 'o':
			if (parse_size(optarg, &run->offset) < 0 || run->offset % ORACLE_SECTOR)
				return bad_value("write", "offset", optarg, "a size, a multiple of 512");
			break;
		case 'l':
			if (parse_size(optarg, &run->length) < 0 || run->length == 0)
				return bad_value("write", "length", optarg, "a size above 0");
			break;
		case 'q':
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > ORACLE_MAX_QD)
				return bad_value("write", "queue-depth", optarg, "a number from 1 to 256");
			run->queue_depth = (uint32_t)v;
			break;
		case 'n':
			if (parse_u64(optarg, &o->count) < 0 || o->count == 0)
				return bad_value("write", "count", optarg, "a number above 0");
			break;
		case 't':
			if (parse_duration(optarg, &o->time_ms) < 0)
				return bad_value("write", "time", optarg,
						 "a duration above 0: seconds, or a number with ms, s, m or h");
			break;
		case 'd':
			run->flags |= ORACLE_F_DIRECT;
			break;
		case 'B':
			run->flags &= ~ORACLE_F_DIRECT;
			break;
		case 'f':
			if (parse_u64(optarg, &v) < 0 || v > UINT32_MAX)
				return bad_value("write", "fsync-every", optarg, "a number of writes (0: never)");
			run->fsync_every = (uint32_t)v;
			fsync_given = true;
			break;
		case 'p':
			if (strcmp(optarg, "random") == 0)
				run->flags |= ORACLE_F_RANDOM;
			else if (strcmp(optarg, "sequential") == 0)
				run->flags &= ~ORACLE_F_RANDOM;
			else
				return bad_value("write", "pattern", optarg, "random or sequential");
			break;
		case 'F':
			run->flags |= ORACLE_F_FILE;
			break;
		case 'r':
			run->flags |= ORACLE_F_READ_BACK;
			break;
		case 's':
			if (parse_u64(optarg, &run->seed) < 0)
				return bad_value("write", "seed", optarg, "a number");
			break;
		case 'w':
			if (parse_u64(optarg, &run->writer) < 0 || run->writer == 0)
				return bad_value("write", "writer-id", optarg, "a number above 0");
			break;
		case 'e':
			if (parse_u64(optarg, &o->max_errors) < 0)
				return bad_value("write", "max-errors", optarg, "a number (0: never stop)");
			break;
		case 'J':
			o->journal_sync = false;
			break;
		case 'h':
			usage_write(stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'oracle write --help'.\n");
			return -EINVAL;
		}
	}
	if (operands("write", argc, argv, &o->target, &o->journal) < 0)
		return -EINVAL;
	if (!fsync_given)
		run->fsync_every = !(run->flags & ORACLE_F_DIRECT) ? 16 : run->flags & ORACLE_F_FILE ? 1 : 0;
	return 1;
}

static int parse_check(int argc, char *argv[], struct oracle_check_opts *o)
{
	static const struct option options[] = {
		{ "buffered", no_argument, NULL, 'B' },
		{ "all", no_argument, NULL, 'a' },
		{ "max-lines", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int opt;

	o->max_lines = 100;
	while ((opt = getopt_long(argc, argv, "Bam:Qh", options, NULL)) >= 0) {
		switch (opt) {
		case 'B':
			o->buffered = true;
			break;
		case 'a':
			o->all = true;
			break;
		case 'm':
			if (parse_u64(optarg, &o->max_lines) < 0)
				return bad_value("check", "max-lines", optarg, "a number (0: no limit)");
			break;
		case 'Q':
			o->quiet = true;
			break;
		case 'h':
			usage_check(stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'oracle check --help'.\n");
			return -EINVAL;
		}
	}
	if (operands("check", argc, argv, &o->target, &o->journal) < 0)
		return -EINVAL;
	return 1;
}

static int cmd_write(int argc, char *argv[])
{
	struct oracle_write_opts o = { .out = stdout, .stop = &stop_requested };
	struct sigaction sa = { .sa_handler = on_signal };
	struct oracle_write_result res;
	int r;

	r = parse_write(argc, argv, &o);
	if (r <= 0)
		return r < 0 ? EXIT_USAGE : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	r = oracle_write(&o, &res);
	if (r < 0)
		return EXIT_USAGE;
	return res.failed || res.read_back_bad || res.read_errors ? EXIT_DATA : 0;
}

static int cmd_check(int argc, char *argv[])
{
	struct oracle_check_opts o = { .out = stdout };
	struct oracle_check_result res;
	int r;

	r = parse_check(argc, argv, &o);
	if (r <= 0)
		return r < 0 ? EXIT_USAGE : 0;
	r = oracle_check(&o, &res);
	if (r < 0)
		return EXIT_USAGE;
	free(res.verdict);
	for (int v = ORACLE_LOST; v < _ORACLE_VERDICT_MAX; v++)
		if (res.count[v])
			return EXIT_DATA;
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage_main(stdout);
		return 0;
	}
	/* the subcommand's options start after its name, which getopt's messages show */
	if (strcmp(argv[1], "write") == 0) {
		argv[1] = (char *)"oracle write";
		return cmd_write(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "check") == 0) {
		argv[1] = (char *)"oracle check";
		return cmd_check(argc - 1, argv + 1);
	}
	fprintf(stderr, "oracle: unknown command '%s': expected write or check (oracle --help)\n", argv[1]);
	return EXIT_USAGE;
}
