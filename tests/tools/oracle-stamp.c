/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The block format. A block of B bytes (512 B to 8 MiB, a multiple of 512)
 * is B/512 sectors, and every sector carries the whole stamp, so a block
 * that is half one write and half another shows it sector by sector. A
 * sector is 64 words of 8 bytes, in host byte order:
 *
 *   word 0  magic 0x4c43524f4f49504d ("MPIOORCL" on a little-endian host)
 *   word 1  writer id
 *   word 2  byte offset of the block in the target (names the block)
 *   word 3  generation: 1 for the block's first write, +1 for each next one
 *   word 4  block size in sectors << 32 | this sector's index in the block
 *   word 5  block checksum (the same in every sector)
 *   word 6  sector checksum: over the sector's 64 words, words 5 and 6 as 0
 *   word 7  0
 *   words 8-63  filler, a pseudo-random sequence seeded from words 1-4, so
 *               that no two sectors ever written are alike
 *
 * The block checksum folds the sector checksums of all sectors in order: it
 * covers every byte of the block but the checksum words. A sector is intact
 * when its magic and sector checksum are right; else it is damaged (its
 * header is this writer's for this block and place: torn inside the sector),
 * zeros, or garbage. A block is intact when all its sectors are intact, stamped by
 * this writer for this offset, in their places, with one generation, and
 * every word 5 equals the fold.
 */
#include <string.h>

#include "oracle.h"

#define STAMP_MAGIC 0x4c43524f4f49504dULL
#define SECTOR_WORDS (ORACLE_SECTOR / 8)

enum {
	W_MAGIC,
	W_WRITER,
	W_OFFSET,
	W_GEN,
	W_POS,
	W_BLOCK_SUM,
	W_SECTOR_SUM,
	W_ZERO,
	W_FILLER,
};

#define K_SUM 0xd1a6e55e9b9b1325ULL
#define K_MIX1 0x566bf9d7c55a45f9ULL
#define K_MIX2 0xcf0c26ef4243ed53ULL
#define K_FOLD 0x5d96cf7f265beda9ULL
#define K_FILL 0xc1d77cffb7decc0dULL

static inline uint64_t rotl(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

/* A bijective scrambler: every input bit reaches every output bit. */
uint64_t oracle_mix64(uint64_t x)
{
	x ^= x >> 32;
	x *= K_MIX1;
	x ^= x >> 29;
	x *= K_MIX2;
	x ^= x >> 32;
	return x;
}

static inline uint64_t sum_step(uint64_t h, uint64_t w)
{
	return rotl(h ^ w, 27) * K_SUM;
}

static uint64_t sector_sum(const uint64_t *w)
{
	uint64_t h = K_SUM;

	for (unsigned i = 0; i < SECTOR_WORDS; i++)
		h = sum_step(h, i == W_BLOCK_SUM || i == W_SECTOR_SUM ? 0 : w[i]);
	return oracle_mix64(h);
}

static inline uint64_t fold_step(uint64_t h, uint64_t sector_sum_value)
{
	return rotl(h ^ sector_sum_value, 31) * K_FOLD;
}

static inline uint64_t fold_end(uint64_t h, uint32_t sectors)
{
	return oracle_mix64(h ^ sectors);
}

static inline uint64_t pos_word(uint32_t index, uint32_t sectors)
{
	return (uint64_t)sectors << 32 | index;
}

static bool is_zero(const uint64_t *w)
{
	for (unsigned i = 0; i < SECTOR_WORDS; i++)
		if (w[i])
			return false;
	return true;
}

/* Fill buf (8-byte aligned, bs bytes) with the stamped content of one write. */
void oracle_stamp_fill(void *buf, uint32_t bs, uint64_t writer, uint64_t offset, uint64_t gen)
{
	uint32_t sectors = bs / ORACLE_SECTOR;
	uint64_t *w = buf, fold = K_FOLD, block_sum;

	for (uint32_t i = 0; i < sectors; i++, w += SECTOR_WORDS) {
		uint64_t x;

		w[W_MAGIC] = STAMP_MAGIC;
		w[W_WRITER] = writer;
		w[W_OFFSET] = offset;
		w[W_GEN] = gen;
		w[W_POS] = pos_word(i, sectors);
		w[W_BLOCK_SUM] = 0;
		w[W_SECTOR_SUM] = 0;
		w[W_ZERO] = 0;
		/* xorshift over a seed from the stamp: never 0, different per sector */
		x = oracle_mix64(writer ^ oracle_mix64(offset ^ oracle_mix64(gen ^ rotl(w[W_POS], 17)))) | 1;
		for (unsigned k = W_FILLER; k < SECTOR_WORDS; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			w[k] = x * K_FILL;
		}
		w[W_SECTOR_SUM] = sector_sum(w);
		fold = fold_step(fold, w[W_SECTOR_SUM]);
	}
	block_sum = fold_end(fold, sectors);
	w = buf;
	for (uint32_t i = 0; i < sectors; i++, w += SECTOR_WORDS)
		w[W_BLOCK_SUM] = block_sum;
}

/* Say what buf (8-byte aligned, bs bytes) holds, read at offset, for writer. */
void oracle_stamp_inspect(const void *buf, uint32_t bs, uint64_t writer, uint64_t offset,
			  struct oracle_view *ret)
{
	uint32_t sectors = bs / ORACLE_SECTOR;
	const uint64_t *w = buf;
	uint64_t fold = K_FOLD, block_sum = 0;
	bool sums_agree = true;

	memset(ret, 0, sizeof(*ret));
	ret->sectors = sectors;
	ret->gen_min = UINT64_MAX;
	for (uint32_t i = 0; i < sectors; i++, w += SECTOR_WORDS) {
		uint64_t sum = sector_sum(w);

		fold = fold_step(fold, sum);
		if (w[W_MAGIC] != STAMP_MAGIC || w[W_SECTOR_SUM] != sum) {
			if (w[W_MAGIC] == STAMP_MAGIC && w[W_WRITER] == writer && w[W_OFFSET] == offset &&
			    w[W_POS] == pos_word(i, sectors))
				ret->damaged++;
			else if (is_zero(w))
				ret->zero++;
			else
				ret->garbage++;
			continue;
		}
		if (w[W_WRITER] != writer) {
			ret->other++;
			ret->other_writer = w[W_WRITER];
			continue;
		}
		if (w[W_OFFSET] != offset || w[W_POS] != pos_word(i, sectors)) {
			ret->misplaced++;
			continue;
		}
		if (ret->ours++ == 0)
			block_sum = w[W_BLOCK_SUM];
		else if (w[W_BLOCK_SUM] != block_sum)
			sums_agree = false;
		if (w[W_GEN] < ret->gen_min)
			ret->gen_min = w[W_GEN];
		if (w[W_GEN] > ret->gen_max)
			ret->gen_max = w[W_GEN];
	}
	if (ret->ours == 0)
		ret->gen_min = 0;
	ret->intact = ret->ours == sectors && ret->gen_min == ret->gen_max && sums_agree &&
		      block_sum == fold_end(fold, sectors);
}
