/*
 * pack_build: writes a small pack and its version-2 index in memory from a list
 * of entries, each stored as asked (any type, OFS or REF delta base, raw bytes
 * instead of zlib, a lying size), so fuzz_packread and the packread unit test
 * can hand packread entries git would never write. Entry i has the id
 * pack_build_oid(i) (ids sort in entry order). Test-only; no packread logic.
 */
#ifndef SG_PACK_BUILD_H
#define SG_PACK_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

struct pack_build_entry {
	int type;                  /* 1 commit, 2 tree, 3 blob, 4 tag, 6 OFS delta, 7 REF delta, or any */
	size_t base;               /* delta base: an entry index (OFS: must be earlier to be valid) */
	const unsigned char *data; /* the object, or the delta instructions */
	size_t len;
	int raw;                   /* store data as is instead of zlib-compressing it */
	int64_t size_skew;         /* added to the size written in the header */
};

struct pack_build {
	unsigned char *pack, *idx;
	size_t packlen, idxlen;
};

static inline void pack_build_oid(size_t i, unsigned char out[20])
{
	memset(out, 0x11, 20);
	out[0] = (unsigned char)(i >> 8);
	out[1] = (unsigned char)i;
}

static inline int pack_build_put(unsigned char **b, size_t *len, size_t *cap, const void *p,
                                 size_t n)
{
	if (*len + n > *cap) {
		size_t c = (*cap ? *cap * 2 : 256) + n;
		unsigned char *nb = realloc(*b, c);
		if (!nb)
			return -1;
		*b = nb;
		*cap = c;
	}
	if (n)
		memcpy(*b + *len, p, n);
	*len += n;
	return 0;
}

static inline void pack_build_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static inline void pack_build_free(struct pack_build *pb)
{
	free(pb->pack);
	free(pb->idx);
	memset(pb, 0, sizeof(*pb));
}

/* Returns 0, or -1 (out of memory, or more than 65535 entries). */
static inline int pack_build(struct pack_build *pb, const struct pack_build_entry *e, size_t n)
{
	size_t cap = 0, icap = 0;
	uint64_t *off = calloc(n ? n : 1, sizeof(*off));
	unsigned char hdr[32], oid[20], sum[20];
	int rc = -1;

	memset(pb, 0, sizeof(*pb));
	if (!off || n > 65535)
		goto done;
	memcpy(hdr, "PACK", 4);
	pack_build_be32(hdr + 4, 2);
	pack_build_be32(hdr + 8, (uint32_t)n);
	if (pack_build_put(&pb->pack, &pb->packlen, &cap, hdr, 12) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		size_t h = 0;
		uint64_t size = (uint64_t)((int64_t)e[i].len + e[i].size_skew);
		off[i] = pb->packlen;
		hdr[h] = (unsigned char)(((e[i].type & 7) << 4) | (size & 15));
		size >>= 4;
		while (size) {
			hdr[h++] |= 0x80;
			hdr[h] = (unsigned char)(size & 0x7f);
			size >>= 7;
		}
		h++;
		if ((e[i].type & 7) == 6) {
			/* git's offset encoding; an invalid one (pointing before the pack) if the base
			 * is not earlier */
			uint64_t rel = e[i].base < i ? off[i] - off[e[i].base] : off[i] + 5;
			unsigned char tmp[16];
			size_t t = sizeof(tmp) - 1;
			tmp[t] = (unsigned char)(rel & 0x7f);
			while (rel >>= 7)
				tmp[--t] = (unsigned char)(0x80 | (--rel & 0x7f));
			memcpy(hdr + h, tmp + t, sizeof(tmp) - t);
			h += sizeof(tmp) - t;
		} else if ((e[i].type & 7) == 7) {
			pack_build_oid(e[i].base, hdr + h);
			h += 20;
		}
		if (pack_build_put(&pb->pack, &pb->packlen, &cap, hdr, h) < 0)
			goto done;
		if (e[i].raw) {
			if (pack_build_put(&pb->pack, &pb->packlen, &cap, e[i].data, e[i].len) < 0)
				goto done;
		} else {
			uLongf zl = compressBound((uLong)e[i].len);
			unsigned char *z = malloc(zl);
			if (!z || compress2(z, &zl, e[i].data, (uLong)e[i].len, 6) != Z_OK ||
			    pack_build_put(&pb->pack, &pb->packlen, &cap, z, zl) < 0) {
				free(z);
				goto done;
			}
			free(z);
		}
	}
	for (size_t i = 0; i < 20; i++)
		sum[i] = (unsigned char)(pb->packlen * 31 + i);
	if (pack_build_put(&pb->pack, &pb->packlen, &cap, sum, 20) < 0)
		goto done;

	/* the index: header, fan-out, ids, CRCs (unused: zero), 32-bit offsets, checksums */
	unsigned char fan[1024];
	memset(fan, 0, sizeof(fan));
	for (size_t i = 0; i < n; i++) {
		pack_build_oid(i, oid);
		for (unsigned b = oid[0]; b < 256; b++)
			pack_build_be32(fan + 4 * b, (uint32_t)(i + 1));
	}
	memcpy(hdr, "\377tOc", 4);
	pack_build_be32(hdr + 4, 2);
	if (pack_build_put(&pb->idx, &pb->idxlen, &icap, hdr, 8) < 0 ||
	    pack_build_put(&pb->idx, &pb->idxlen, &icap, fan, sizeof(fan)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		pack_build_oid(i, oid);
		if (pack_build_put(&pb->idx, &pb->idxlen, &icap, oid, 20) < 0)
			goto done;
	}
	memset(hdr, 0, 4);
	for (size_t i = 0; i < n; i++)
		if (pack_build_put(&pb->idx, &pb->idxlen, &icap, hdr, 4) < 0)
			goto done;
	for (size_t i = 0; i < n; i++) {
		pack_build_be32(hdr, (uint32_t)off[i]);
		if (pack_build_put(&pb->idx, &pb->idxlen, &icap, hdr, 4) < 0)
			goto done;
	}
	memset(oid, 0, 20);
	if (pack_build_put(&pb->idx, &pb->idxlen, &icap, sum, 20) < 0 ||
	    pack_build_put(&pb->idx, &pb->idxlen, &icap, oid, 20) < 0)
		goto done;
	rc = 0;
done:
	free(off);
	if (rc < 0)
		pack_build_free(pb);
	return rc;
}

#endif
