/*
 * blobset: an open-addressing hash set of object ids (the first 8 bytes of a
 * SHA-1 are already uniformly spread) plus the per-blob origin records. It
 * reads no objects.
 */
#include "source/blobset.h"

#include <stdint.h>
#include <string.h>

#include "core/util.h"

void oidset_init(struct oidset *s)
{
	memset(s, 0, sizeof(*s));
}

void oidset_free(struct oidset *s)
{
	free(s->ids);
	free(s->slots);
	oidset_init(s);
}

static size_t oid_hash(const git_oid *id)
{
	uint64_t h;
	memcpy(&h, id->id, sizeof(h));
	return (size_t)h;
}

/* Equality of two raw ids with plain loads (memcpy of fixed sizes compiles to moves). */
static int oid_same(const git_oid *a, const git_oid *b)
{
	uint64_t a0, a1, b0, b1;
	uint32_t a2, b2;
	memcpy(&a0, a->id, 8);
	memcpy(&b0, b->id, 8);
	memcpy(&a1, a->id + 8, 8);
	memcpy(&b1, b->id + 8, 8);
	memcpy(&a2, a->id + 16, 4);
	memcpy(&b2, b->id + 16, 4);
	return ((a0 ^ b0) | (a1 ^ b1) | (uint64_t)(a2 ^ b2)) == 0;
}

/* The slot holding id, or the empty slot where it would go. */
static struct oidset_slot *oidset_find(const struct oidset *s, const git_oid *id)
{
	size_t mask = s->nslots - 1, i = oid_hash(id) & mask;
	for (;;) {
		struct oidset_slot *slot = &s->slots[i];
		if (slot->index1 == 0 || oid_same(&slot->id, id))
			return slot;
		i = (i + 1) & mask;
	}
}

static void oidset_rehash(struct oidset *s)
{
	size_t nslots = s->nslots ? s->nslots * 2 : 64;
	free(s->slots);
	s->slots = xcalloc(nslots, sizeof(*s->slots));
	s->nslots = nslots;
	for (size_t k = 0; k < s->n; k++) {
		struct oidset_slot *slot = oidset_find(s, &s->ids[k]);
		git_oid_cpy(&slot->id, &s->ids[k]);
		slot->index1 = (uint32_t)(k + 1);
	}
}

int oidset_add(struct oidset *s, const git_oid *id, size_t *index)
{
	if ((s->n + 1) * 2 > s->nslots)
		oidset_rehash(s);
	struct oidset_slot *slot = oidset_find(s, id);
	if (slot->index1) {
		if (index)
			*index = slot->index1 - 1;
		return 0;
	}
	if (s->n >= UINT32_MAX - 1)
		util_oom(); /* 4 billion objects: beyond any repository */
	xgrow((void **)&s->ids, &s->cap, s->n + 1, sizeof(*s->ids));
	git_oid_cpy(&s->ids[s->n], id);
	git_oid_cpy(&slot->id, id);
	slot->index1 = (uint32_t)++s->n;
	if (index)
		*index = s->n - 1;
	return 1;
}

int oidset_contains(const struct oidset *s, const git_oid *id)
{
	return s->nslots && oidset_find(s, id)->index1 != 0;
}

void blobset_init(struct blobset *s)
{
	memset(s, 0, sizeof(*s));
	oidset_init(&s->ids);
}

void blobset_free(struct blobset *s)
{
	for (size_t i = 0; i < s->ids.n; i++)
		free(s->chunks[i / BLOBSET_CHUNK][i % BLOBSET_CHUNK].path);
	for (size_t c = 0; c < s->nchunks; c++)
		free(s->chunks[c]);
	free(s->chunks);
	oidset_free(&s->ids);
	blobset_init(s);
}

const struct blob_entry *blobset_at(const struct blobset *s, size_t i)
{
	return &s->chunks[i / BLOBSET_CHUNK][i % BLOBSET_CHUNK];
}

size_t blobset_count(const struct blobset *s)
{
	return s->ids.n;
}

int blobset_add(struct blobset *s, const git_oid *id, const char *path, const git_oid *commit,
                int group)
{
	size_t i;
	if (!oidset_add(&s->ids, id, &i))
		return 0;
	if (i / BLOBSET_CHUNK >= s->nchunks) {
		xgrow((void **)&s->chunks, &s->capchunks, s->nchunks + 1, sizeof(*s->chunks));
		s->chunks[s->nchunks++] = xcalloc(BLOBSET_CHUNK, sizeof(**s->chunks));
	}
	struct blob_entry *e = &s->chunks[i / BLOBSET_CHUNK][i % BLOBSET_CHUNK];
	memset(e, 0, sizeof(*e));
	git_oid_cpy(&e->id, id);
	e->path = xstrdup(path);
	if (commit) {
		git_oid_cpy(&e->commit, commit);
		e->has_commit = 1;
	}
	e->group = group;
	return 1;
}
