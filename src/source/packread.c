/*
 * packread: a narrow, read-only pack reader for the history audit and the push
 * hooks' large reads (see packread.h). Why our own and not libgit2's: libgit2
 * 1.5's delta-base cache is a fixed 16 MiB per pack, and its pack windows sit
 * behind one process-wide lock, so reading a large history costs 1.45x the CPU
 * git pays for the same blobs (measured on hashicorp/terraform, one thread),
 * and more when threads contend (about 90,000 context switches on a
 * 100k-commit history). Here each thread has its own cache, sized by the
 * caller, and inflates with libdeflate (whole-buffer; every inflated size is
 * known from the pack). The scope is deliberately small: SHA-1 repositories,
 * version-2 .idx files, version 2 or 3 packs, mmap'd read-only. A v1 index, an
 * object outside these packs, a REF_DELTA whose base lies in no opened pack,
 * or an object too large to bound are "not here" and libgit2 reads them. Every
 * offset, length, varint and delta instruction read from a file is bounds-
 * checked; delta chains are resolved iteratively with a depth cap. As with
 * libgit2 under GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION=0, object ids are not
 * re-hashed; each zlib stream's Adler-32 is checked and every delta's sizes
 * must agree.
 */
#include "source/packread.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>

#include "core/util.h"

#define OID_LEN 20
#define IDX_HEADER (8 + 256 * 4)
#define PACK_HEADER 12
#define MAX_CHAIN 10000          /* git refuses --depth above 4095 */
#define MAX_INFLATE ((uint64_t)1 << 30) /* larger bases and deltas are left to libgit2 */
#define CACHE_SLOTS 4096         /* cached bases at most, whatever their size */
#define CACHE_BUCKETS 8192
#define NIL 0u                   /* cache indices are 1-based */

/* entry types as the pack format numbers them (5 is unused) */
enum {
	OBJ_COMMIT = 1,
	OBJ_TREE = 2,
	OBJ_BLOB = 3,
	OBJ_TAG = 4,
	OBJ_OFS_DELTA = 6,
	OBJ_REF_DELTA = 7,
};

struct pack {
	const unsigned char *idx, *data; /* mapped (or borrowed) */
	size_t idxlen, len;
	uint32_t n;                     /* objects */
	const unsigned char *fanout, *oids, *off32, *off64;
	size_t n64;
	int mapped;
};

struct packread {
	struct pack *packs;
	size_t n;
};

/* One entry's header as stored in the pack. */
struct entry {
	const struct pack *p;
	uint64_t off, data_off, size, base_off;
	int type;
	const unsigned char *base_id; /* REF_DELTA */
};

struct centry {
	const struct pack *p;
	uint64_t off;
	unsigned char *data;
	size_t size;
	int type;
	uint32_t hnext, prev, next; /* bucket chain; LRU list (prev: more recent) */
};

struct packread_cache {
	const struct packread *pr;
	struct libdeflate_decompressor *dec;
	size_t limit, bytes;
	struct centry e[CACHE_SLOTS + 1];
	uint32_t bucket[CACHE_BUCKETS];
	uint32_t free_head, mru, lru;
	struct entry *chain;
	size_t chain_cap;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* --- opening ------------------------------------------------------------------------- */

/* Checks an index and its pack and fills p's table pointers. */
static int pack_check(struct pack *p, char *err, size_t errsz)
{
	const unsigned char *x = p->idx;
	if (p->idxlen < IDX_HEADER + 2 * OID_LEN || memcmp(x, "\377tOc", 4) != 0 ||
	    be32(x + 4) != 2) {
		snprintf(err, errsz, "not a version-2 pack index");
		return -1;
	}
	p->fanout = x + 8;
	for (int i = 1; i < 256; i++)
		if (be32(p->fanout + 4 * (i - 1)) > be32(p->fanout + 4 * i)) {
			snprintf(err, errsz, "pack index fan-out is not sorted");
			return -1;
		}
	p->n = be32(p->fanout + 4 * 255);
	uint64_t fixed = (uint64_t)IDX_HEADER + (uint64_t)p->n * (OID_LEN + 4 + 4) + 2 * OID_LEN;
	if (fixed > p->idxlen || (p->idxlen - fixed) % 8 != 0) {
		snprintf(err, errsz, "pack index size does not match its %u objects", p->n);
		return -1;
	}
	p->oids = x + IDX_HEADER;
	p->off32 = p->oids + (size_t)p->n * (OID_LEN + 4); /* after the CRCs */
	p->off64 = p->off32 + (size_t)p->n * 4;
	p->n64 = (p->idxlen - fixed) / 8;
	if (p->len < PACK_HEADER + OID_LEN || memcmp(p->data, "PACK", 4) != 0 ||
	    (be32(p->data + 4) != 2 && be32(p->data + 4) != 3) || be32(p->data + 8) != p->n) {
		snprintf(err, errsz, "pack header does not match its index");
		return -1;
	}
	if (memcmp(p->data + p->len - OID_LEN, x + p->idxlen - 2 * OID_LEN, OID_LEN) != 0) {
		snprintf(err, errsz, "pack checksum does not match its index");
		return -1;
	}
	return 0;
}

static void pack_unmap(struct pack *p)
{
	if (!p->mapped)
		return;
	if (p->idx)
		munmap((void *)p->idx, p->idxlen);
	if (p->data)
		munmap((void *)p->data, p->len);
}

static int map_file(const char *path, const unsigned char **out, size_t *len)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO planted under objects/pack must not hang the audit */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), rc = -1;
	*out = NULL;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			*out = m;
			*len = (size_t)st.st_size;
			rc = 0;
		}
	}
	close(fd);
	return rc;
}

int packread_open(struct packread **out, const char *objects_dir)
{
	*out = xcalloc(1, sizeof(**out));
	packread_add(*out, objects_dir);
	return 0;
}

void packread_add(struct packread *pr, const char *objects_dir)
{
	size_t cap = pr->n;
	char *dir = xasprintf("%s/pack", objects_dir);
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		if (nl < 5 || strcmp(de->d_name + nl - 4, ".idx") != 0)
			continue;
		struct pack p = {.mapped = 1};
		char *ip = xasprintf("%s/%s", dir, de->d_name);
		char *pp = xasprintf("%s/%.*s.pack", dir, (int)(nl - 4), de->d_name);
		char err[128];
		if (map_file(ip, &p.idx, &p.idxlen) == 0 && map_file(pp, &p.data, &p.len) == 0 &&
		    pack_check(&p, err, sizeof(err)) == 0) {
			xgrow((void **)&pr->packs, &cap, pr->n + 1, sizeof(*pr->packs));
			pr->packs[pr->n++] = p;
		} else {
			pack_unmap(&p); /* libgit2 reads (or reports) what it holds */
		}
		free(ip);
		free(pp);
	}
	if (d)
		closedir(d);
	free(dir);
}

int packread_open_mem(struct packread **out, const void *idx, size_t idxlen, const void *pack,
                      size_t packlen, char *err, size_t errsz)
{
	struct pack p = {idx, pack, idxlen, packlen, 0, NULL, NULL, NULL, NULL, 0, 0};
	*out = NULL;
	if (pack_check(&p, err, errsz) < 0)
		return -1;
	struct packread *pr = xcalloc(1, sizeof(*pr));
	pr->packs = xcalloc(1, sizeof(*pr->packs));
	pr->packs[0] = p;
	pr->n = 1;
	*out = pr;
	return 0;
}

size_t packread_count(const struct packread *pr)
{
	return pr ? pr->n : 0;
}

void packread_free(struct packread *pr)
{
	if (!pr)
		return;
	for (size_t i = 0; i < pr->n; i++)
		pack_unmap(&pr->packs[i]);
	free(pr->packs);
	free(pr);
}

/* --- index lookup and entry headers -------------------------------------------------- */

/* The pack offset of id, or 0 if p does not hold it (0 is never an entry's offset). */
static uint64_t pack_find(const struct pack *p, const unsigned char *id)
{
	uint32_t lo = id[0] ? be32(p->fanout + 4 * (id[0] - 1)) : 0;
	uint32_t hi = be32(p->fanout + 4 * id[0]);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(p->oids + (size_t)mid * OID_LEN, id, OID_LEN);
		if (c == 0) {
			uint32_t o = be32(p->off32 + (size_t)mid * 4);
			if (!(o & 0x80000000u))
				return o;
			o &= 0x7fffffffu;
			return o < p->n64 ? be64(p->off64 + (size_t)o * 8) : 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Parses the entry header at off. Returns 0, or -1 with err set. */
static int entry_read(const struct pack *p, uint64_t off, struct entry *e, char *err, size_t errsz)
{
	const uint64_t end = p->len - OID_LEN;
	uint64_t pos = off;
	unsigned shift = 4;

	if (off < PACK_HEADER || off >= end)
		goto bad;
	unsigned c = p->data[pos++];
	e->p = p;
	e->off = off;
	e->type = (int)((c >> 4) & 7);
	e->size = c & 15;
	while (c & 0x80) {
		if (pos >= end || shift > 57)
			goto bad;
		c = p->data[pos++];
		e->size |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (e->type == OBJ_OFS_DELTA) {
		if (pos >= end)
			goto bad;
		c = p->data[pos++];
		uint64_t rel = c & 0x7f;
		while (c & 0x80) {
			if (pos >= end || rel >= (UINT64_MAX >> 8))
				goto bad;
			c = p->data[pos++];
			rel = ((rel + 1) << 7) | (c & 0x7f);
		}
		if (rel == 0 || rel > off)
			goto bad;
		e->base_off = off - rel;
	} else if (e->type == OBJ_REF_DELTA) {
		if (end - pos < OID_LEN)
			goto bad;
		e->base_id = p->data + pos;
		pos += OID_LEN;
	} else if (e->type < OBJ_COMMIT || e->type > OBJ_TAG) {
		goto bad;
	}
	if (pos >= end)
		goto bad;
	e->data_off = pos;
	return 0;
bad:
	snprintf(err, errsz, "corrupt pack entry at offset %llu", (unsigned long long)off);
	return -1;
}

/* Inflates e's data, which must be exactly e->size bytes, into out. */
static int entry_inflate(struct packread_cache *c, const struct entry *e, unsigned char *out,
                         char *err, size_t errsz)
{
	const struct pack *p = e->p;
	/* a NULL actual size makes a shorter stream an error (LIBDEFLATE_SHORT_OUTPUT) */
	size_t avail = (size_t)(p->len - OID_LEN - e->data_off);
	if (libdeflate_zlib_decompress(c->dec, p->data + e->data_off, avail, out, (size_t)e->size,
	                               NULL) != LIBDEFLATE_SUCCESS) {
		snprintf(err, errsz, "pack entry at offset %llu does not inflate to its %llu bytes",
		         (unsigned long long)e->off, (unsigned long long)e->size);
		return -1;
	}
	return 0;
}

/* --- delta-base cache ------------------------------------------------------------------ */

static uint32_t cache_hash(const struct pack *p, uint64_t off)
{
	uint64_t h = (off ^ (uint64_t)(uintptr_t)p) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 40) & (CACHE_BUCKETS - 1);
}

static struct centry *cache_get(struct packread_cache *c, const struct pack *p, uint64_t off)
{
	for (uint32_t i = c->bucket[cache_hash(p, off)]; i != NIL; i = c->e[i].hnext)
		if (c->e[i].p == p && c->e[i].off == off)
			return &c->e[i];
	return NULL;
}

static void lru_unlink(struct packread_cache *c, uint32_t i)
{
	struct centry *x = &c->e[i];
	if (x->prev)
		c->e[x->prev].next = x->next;
	else
		c->mru = x->next;
	if (x->next)
		c->e[x->next].prev = x->prev;
	else
		c->lru = x->prev;
	x->prev = x->next = NIL;
}

static void lru_push_front(struct packread_cache *c, uint32_t i)
{
	c->e[i].prev = NIL;
	c->e[i].next = c->mru;
	if (c->mru)
		c->e[c->mru].prev = i;
	c->mru = i;
	if (!c->lru)
		c->lru = i;
}

static void cache_touch(struct packread_cache *c, struct centry *x)
{
	uint32_t i = (uint32_t)(x - c->e);
	if (c->mru != i) {
		lru_unlink(c, i);
		lru_push_front(c, i);
	}
}

static void cache_evict(struct packread_cache *c, uint32_t i)
{
	struct centry *x = &c->e[i];
	uint32_t *link = &c->bucket[cache_hash(x->p, x->off)];
	while (*link != i)
		link = &c->e[*link].hnext;
	*link = x->hnext;
	lru_unlink(c, i);
	c->bytes -= x->size;
	free(x->data);
	memset(x, 0, sizeof(*x));
	x->hnext = c->free_head;
	c->free_head = i;
}

/* Keeps data (taking ownership) as the inflated object at (p, off). Returns 1 if kept, 0 if
 * it is too large to keep (the caller still owns it). */
static int cache_put(struct packread_cache *c, const struct pack *p, uint64_t off,
                     unsigned char *data, size_t size, int type)
{
	if (size > c->limit / 2 || cache_get(c, p, off))
		return 0;
	while (c->lru && (c->bytes + size > c->limit || c->free_head == NIL))
		cache_evict(c, c->lru);
	uint32_t i = c->free_head;
	struct centry *x = &c->e[i];
	c->free_head = x->hnext;
	uint32_t b = cache_hash(p, off);
	*x = (struct centry){p, off, data, size, type, c->bucket[b], NIL, NIL};
	c->bucket[b] = i;
	lru_push_front(c, i);
	c->bytes += size;
	return 1;
}

struct packread_cache *packread_cache_new(const struct packread *pr, size_t limit_bytes)
{
	struct packread_cache *c = xcalloc(1, sizeof(*c));
	c->pr = pr;
	c->limit = limit_bytes;
	c->dec = libdeflate_alloc_decompressor();
	if (!c->dec) {
		free(c);
		return NULL;
	}
	for (uint32_t i = 1; i <= CACHE_SLOTS; i++)
		c->e[i].hnext = i < CACHE_SLOTS ? i + 1 : NIL;
	c->free_head = 1;
	return c;
}

void packread_cache_free(struct packread_cache *c)
{
	if (!c)
		return;
	while (c->lru)
		cache_evict(c, c->lru);
	libdeflate_free_decompressor(c->dec);
	free(c->chain);
	free(c);
}

/* --- deltas ---------------------------------------------------------------------------- */

static int delta_varint(const unsigned char **d, const unsigned char *end, uint64_t *v)
{
	unsigned shift = 0;
	unsigned c;
	*v = 0;
	do {
		if (*d >= end || shift > 57)
			return -1;
		c = *(*d)++;
		*v |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	return 0;
}

/* The result size a delta announces. */
static int delta_target_size(const unsigned char *d, size_t dlen, uint64_t *size)
{
	const unsigned char *end = d + dlen;
	uint64_t src;
	return delta_varint(&d, end, &src) < 0 || delta_varint(&d, end, size) < 0 ? -1 : 0;
}

/* Applies delta to base into a new buffer (NUL-terminated). Returns 0, 1 if the result
 * would be larger than limit, or -1 if the delta does not fit the base or its own sizes. */
static int delta_apply(const unsigned char *base, size_t blen, const unsigned char *d, size_t dlen,
                       uint64_t limit, unsigned char **out, size_t *olen)
{
	const unsigned char *end = d + dlen;
	uint64_t src, dst;
	*out = NULL;
	if (delta_varint(&d, end, &src) < 0 || delta_varint(&d, end, &dst) < 0 || src != blen)
		return -1;
	if (dst > limit)
		return 1;
	unsigned char *o = malloc((size_t)dst + 1);
	size_t at = 0;
	if (!o)
		return -1;
	while (d < end) {
		unsigned op = *d++;
		if (op & 0x80) {
			uint64_t cp_off = 0, cp_len = 0;
			for (unsigned i = 0; i < 4; i++)
				if (op & (1u << i)) {
					if (d >= end)
						goto bad;
					cp_off |= (uint64_t)*d++ << (8 * i);
				}
			for (unsigned i = 0; i < 3; i++)
				if (op & (0x10u << i)) {
					if (d >= end)
						goto bad;
					cp_len |= (uint64_t)*d++ << (8 * i);
				}
			if (cp_len == 0)
				cp_len = 0x10000;
			if (cp_off > blen || cp_len > blen - cp_off || cp_len > dst - at)
				goto bad;
			memcpy(o + at, base + cp_off, (size_t)cp_len);
			at += (size_t)cp_len;
		} else if (op) {
			if (op > (size_t)(end - d) || op > dst - at)
				goto bad;
			memcpy(o + at, d, op);
			d += op;
			at += op;
		} else {
			goto bad; /* opcode 0 is reserved */
		}
	}
	if (at != dst)
		goto bad;
	o[at] = '\0';
	*out = o;
	*olen = at;
	return 0;
bad:
	free(o);
	return -1;
}

/* --- reading ----------------------------------------------------------------------------- */

static const struct pack *find_any(const struct packread *pr, const unsigned char *id,
                                   const struct pack *first, uint64_t *off)
{
	if (first && (*off = pack_find(first, id)) != 0)
		return first;
	for (size_t i = 0; i < pr->n; i++)
		if (&pr->packs[i] != first && (*off = pack_find(&pr->packs[i], id)) != 0)
			return &pr->packs[i];
	return NULL;
}

static git_object_t to_git_type(int t)
{
	switch (t) {
	case OBJ_COMMIT: return GIT_OBJECT_COMMIT;
	case OBJ_TREE: return GIT_OBJECT_TREE;
	case OBJ_BLOB: return GIT_OBJECT_BLOB;
	default: return GIT_OBJECT_TAG;
	}
}

/* A malloc'd, NUL-terminated buffer of n bytes (+1), or NULL. */
static unsigned char *buf_alloc(uint64_t n)
{
	return n < SIZE_MAX ? malloc((size_t)n + 1) : NULL;
}

static int is_delta(int type)
{
	return type == OBJ_OFS_DELTA || type == OBJ_REF_DELTA;
}

/*
 * Fills c->chain from the entry at (p, off) down to a whole base or to an entry already in
 * the cache (*hit). Returns 0 with *depth entries, PACKREAD_NOT_HERE (a base in no opened
 * pack, or an entry above `bound`, except the object itself when whole), or -1.
 */
static int chain_build(struct packread_cache *c, const struct pack *p, uint64_t off,
                       uint64_t bound, struct centry **hit, size_t *depth, char *err,
                       size_t errsz)
{
	*depth = 0;
	while ((*hit = cache_get(c, p, off)) == NULL) {
		if (*depth >= MAX_CHAIN) {
			snprintf(err, errsz, "delta chain longer than %d", MAX_CHAIN);
			return -1;
		}
		xgrow((void **)&c->chain, &c->chain_cap, *depth + 1, sizeof(*c->chain));
		struct entry *e = &c->chain[*depth];
		if (entry_read(p, off, e, err, errsz) < 0)
			return -1;
		if (e->size > bound && (*depth > 0 || is_delta(e->type)))
			return PACKREAD_NOT_HERE; /* a whole object alone: max decides */
		++*depth;
		if (!is_delta(e->type))
			break;
		if (e->type == OBJ_OFS_DELTA)
			off = e->base_off;
		else if (!(p = find_any(c->pr, e->base_id, p, &off)))
			return PACKREAD_NOT_HERE;
	}
	return 0;
}

/* The pack type of the object chain_build reached: its base's (a cached base keeps it). */
static int chain_type(const struct packread_cache *c, const struct centry *hit, size_t depth)
{
	return hit ? hit->type : c->chain[depth - 1].type;
}

/*
 * Builds the object of a chain (c->chain[0..depth) over `hit` or the last entry): inflates
 * the base, applies the deltas innermost first, keeping each intermediate result as a base.
 * `top` is chain[0]'s inflated delta (taken over), `size` the object's size. Returns 0 with
 * *out a malloc'd copy the caller owns, PACKREAD_NOT_HERE, or -1.
 */
static int chain_unpack(struct packread_cache *c, size_t depth, struct centry *hit, int type,
                        unsigned char *top, uint64_t size, uint64_t bound, unsigned char **out,
                        char *err, size_t errsz)
{
	unsigned char *cur = NULL, *delta = NULL;
	size_t cur_len = 0;
	int cur_owned = 0, rc = -1;

	if (hit) {
		cache_touch(c, hit);
		cur = hit->data;
		cur_len = hit->size;
	} else {
		const struct entry *b = &c->chain[--depth];
		if (!(cur = buf_alloc(b->size))) {
			snprintf(err, errsz, "out of memory");
			goto done;
		}
		cur_len = (size_t)b->size;
		cur[cur_len] = '\0';
		cur_owned = 1;
		if (entry_inflate(c, b, cur, err, errsz) < 0)
			goto done;
		if (depth > 0 && cache_put(c, b->p, b->off, cur, cur_len, type))
			cur_owned = 0;
	}
	while (depth > 0) {
		const struct entry *e = &c->chain[--depth];
		unsigned char *next = NULL;
		size_t next_len = 0;
		free(delta);
		delta = NULL;
		if (depth == 0) { /* the object's own delta, inflated to learn its size */
			delta = top;
			top = NULL;
		} else if (!(delta = buf_alloc(e->size))) {
			snprintf(err, errsz, "out of memory");
			goto done;
		} else if (entry_inflate(c, e, delta, err, errsz) < 0) {
			goto done;
		}
		int r = delta_apply(cur, cur_len, delta, (size_t)e->size, depth ? bound : size, &next,
		                    &next_len);
		if (r != 0) {
			if (r > 0)
				rc = PACKREAD_NOT_HERE;
			else
				snprintf(err, errsz, "delta at offset %llu does not apply to its base",
				         (unsigned long long)e->off);
			goto done;
		}
		if (cur_owned)
			free(cur);
		cur = next;
		cur_len = next_len;
		cur_owned = 1;
		if (depth > 0 && cache_put(c, e->p, e->off, cur, cur_len, type))
			cur_owned = 0;
	}
	if (!cur_owned) { /* the object itself was a cached base */
		unsigned char *copy = buf_alloc(cur_len);
		if (!copy) {
			snprintf(err, errsz, "out of memory");
			goto done;
		}
		memcpy(copy, cur, cur_len);
		copy[cur_len] = '\0';
		cur = copy;
		cur_owned = 1;
	}
	*out = cur;
	cur_owned = 0;
	rc = 0;
done:
	if (cur_owned)
		free(cur);
	free(top);
	free(delta);
	return rc;
}

int packread_read(struct packread_cache *c, const git_oid *id, uint64_t max, unsigned char **data,
                  size_t *size, git_object_t *type, char *err, size_t errsz)
{
	uint64_t off = 0, sz;
	const struct pack *p = find_any(c->pr, id->id, NULL, &off);
	/* a base or delta inflating to more than this is left to libgit2 (a delta can hold about
	 * 8 bytes of instructions per byte it makes, so this never turns away an object that
	 * fits max only through a large delta) */
	const uint64_t bound = max >= MAX_INFLATE / 8 ? MAX_INFLATE : max * 8 + 64;
	struct centry *hit = NULL;
	size_t depth = 0;
	unsigned char *top = NULL;
	int rc, base_type;

	*data = NULL;
	if (!p)
		return PACKREAD_NOT_HERE;
	if ((rc = chain_build(c, p, off, bound, &hit, &depth, err, errsz)) != 0)
		return rc;
	base_type = chain_type(c, hit, depth);
	*type = to_git_type(base_type);

	/* the object's size, before inflating anything large */
	if (depth == 0) {
		sz = hit->size;
	} else if (!is_delta(c->chain[0].type)) {
		sz = c->chain[0].size;
	} else {
		if (!(top = buf_alloc(c->chain[0].size))) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		if (entry_inflate(c, &c->chain[0], top, err, errsz) < 0) {
			free(top);
			return -1;
		}
		if (delta_target_size(top, (size_t)c->chain[0].size, &sz) < 0) {
			snprintf(err, errsz, "corrupt delta at offset %llu",
			         (unsigned long long)c->chain[0].off);
			free(top);
			return -1;
		}
	}
	*size = sz < SIZE_MAX ? (size_t)sz : SIZE_MAX;
	if (sz > max || sz > MAX_INFLATE) { /* never allocate more for a size read from a file */
		free(top);
		return sz > max ? PACKREAD_TOO_BIG : PACKREAD_NOT_HERE;
	}
	rc = chain_unpack(c, depth, hit, base_type, top, sz, bound, data, err, errsz);
	if (rc == 0)
		*size = (size_t)sz;
	return rc;
}

int packread_type(struct packread_cache *c, const git_oid *id, git_object_t *type, char *err,
                  size_t errsz)
{
	uint64_t off = 0;
	const struct pack *p = find_any(c->pr, id->id, NULL, &off);
	struct centry *hit = NULL;
	size_t depth = 0;
	int rc;
	if (!p)
		return PACKREAD_NOT_HERE;
	/* no size bound: the headers are all that is read */
	if ((rc = chain_build(c, p, off, UINT64_MAX, &hit, &depth, err, errsz)) != 0)
		return rc;
	*type = to_git_type(chain_type(c, hit, depth));
	return PACKREAD_OK;
}
