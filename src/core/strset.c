/*
 * strset: insertion-ordered string set (see strset.h). Linear probing in a
 * table kept at most half full; items are stored once, slots hold indices.
 */
#include "core/strset.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

void strset_init(struct strset *s)
{
	memset(s, 0, sizeof(*s));
}

void strset_free(struct strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i].str);
	free(s->items);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

static uint64_t hash(const char *str, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)str[i]) * 0x100000001b3ull;
	return h;
}

/* The slot holding str, or the empty slot where it would go. */
static size_t find(const struct strset *s, const char *str, size_t len)
{
	size_t mask = s->nslots - 1, i = (size_t)hash(str, len) & mask;
	for (;;) {
		uint32_t k = s->slots[i];
		if (!k || (s->items[k - 1].len == len && !memcmp(s->items[k - 1].str, str, len)))
			return i;
		i = (i + 1) & mask;
	}
}

static void grow(struct strset *s)
{
	size_t n = s->nslots ? s->nslots * 2 : 64;
	free(s->slots);
	s->slots = xcalloc(n, sizeof(*s->slots));
	s->nslots = n;
	for (size_t k = 0; k < s->n; k++)
		s->slots[find(s, s->items[k].str, s->items[k].len)] = (uint32_t)(k + 1);
}

int strset_has(const struct strset *s, const char *str, size_t len)
{
	return s->nslots && s->slots[find(s, str, len)] != 0;
}

int strset_add(struct strset *s, const char *str, size_t len)
{
	if (strset_has(s, str, len))
		return 0;
	if (s->n >= UINT32_MAX - 1)
		util_oom(); /* four billion strings: nothing collects that many */
	if (2 * (s->n + 1) > s->nslots)
		grow(s);
	char *copy = xmalloc(len + 1);
	memcpy(copy, str, len);
	copy[len] = '\0';
	xgrow((void **)&s->items, &s->cap, s->n + 1, sizeof(*s->items));
	s->items[s->n] = (struct strset_item){copy, len};
	s->slots[find(s, str, len)] = (uint32_t)(s->n + 1);
	s->n++;
	return 1;
}
