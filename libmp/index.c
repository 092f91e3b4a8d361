/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An index of the caller's items by a hash of their key, so that the
 * parsers find a duplicate (a name, a WWID, an entry) in constant time
 * instead of comparing each new line with every earlier one. Open
 * addressing with linear probing, grown to keep it at most half full.
 * It stores positions in the caller's array, never keys: the caller hashes
 * and says whether the item at a position has the key sought.
 */
#include <errno.h>
#include <stdlib.h>

#include "libmp-private.h"

#define INDEX_MIN_CAP 64

/* FNV-1a, 64 bits: short keys, no adversary who could pick colliding ones cheaply enough to matter. */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

uint64_t mp_hash_mem(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = FNV_OFFSET;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

uint64_t mp_hash_mem_ascii_lower(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = FNV_OFFSET;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i])) * FNV_PRIME;
	return h;
}

_public_ uint64_t mp_hash_str(const char *s)
{
	uint64_t h = FNV_OFFSET;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return h;
}

_public_ int mp_index_find(const struct mp_index *ix, uint64_t hash, mp_index_eq_fn eq, const void *key,
		  const void *userdata, size_t *ret_item)
{
	if (ix->cap == 0)
		return 0;
	for (size_t i = hash & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
		const struct mp_index_slot *s = &ix->slots[i];

		if (s->item == 0)
			return 0;
		if (s->hash == hash && eq(key, s->item - 1, userdata)) {
			if (ret_item)
				*ret_item = s->item - 1;
			return 1;
		}
	}
}

static void slot_put(struct mp_index_slot *slots, size_t cap, uint64_t hash, size_t item1)
{
	size_t i = hash & (cap - 1);

	while (slots[i].item != 0)
		i = (i + 1) & (cap - 1);
	slots[i] = (struct mp_index_slot){ .hash = hash, .item = item1 };
}

_public_ int mp_index_add(struct mp_index *ix, uint64_t hash, size_t item)
{
	if (item == SIZE_MAX)
		return -EINVAL;
	if ((ix->n + 1) * 2 > ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : INDEX_MIN_CAP;
		struct mp_index_slot *slots;

		if (cap <= ix->cap)
			return -ENOMEM;
		slots = calloc(cap, sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		for (size_t i = 0; i < ix->cap; i++)
			if (ix->slots[i].item != 0)
				slot_put(slots, cap, ix->slots[i].hash, ix->slots[i].item);
		free(ix->slots);
		ix->slots = slots;
		ix->cap = cap;
	}
	slot_put(ix->slots, ix->cap, hash, item + 1);
	ix->n++;
	return 0;
}

_public_ void mp_index_done(struct mp_index *ix)
{
	free(ix->slots);
	*ix = (struct mp_index){};
}
