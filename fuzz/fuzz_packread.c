/*
 * fuzz_packread: packread on packs git would never write. The input describes
 * up to 64 entries (fuzz/pack_build.h writes them into a real pack and index):
 * any type, OFS or REF delta bases (chains, cycles, bases that are not there),
 * raw bytes where zlib is expected, sizes that lie, delta instructions of any
 * kind. Every entry is read twice with a small delta-base cache; the checks:
 * no crash or leak, a whole (non-delta) entry stored honestly reads back as
 * written, a second read answers exactly as the first (the cache never
 * changes an answer), and packread_type agrees with every successful read.
 *
 * Input: byte 0 picks the cache size, byte 1 the size cap; then per entry
 * [type][base][flags][len][len bytes]. flags bit 0: store raw; bits 1-3: skew
 * the header size by (bits - 4).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "pack_build.h"
#include "source/packread.h"

static int read_one(struct packread_cache *c, size_t i, uint64_t max, unsigned char **data,
                    size_t *size, git_object_t *type)
{
	git_oid id;
	char err[256];
	pack_build_oid(i, id.id);
	*data = NULL;
	*size = 0;
	*type = GIT_OBJECT_INVALID;
	return packread_read(c, &id, max, data, size, type, err, sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caches[] = {0, 64, 4096, 1 << 20};
	static const uint64_t caps[] = {UINT64_MAX, 0, 16, 4096};
	struct pack_build_entry e[64];
	struct pack_build pb;
	struct packread *pr = NULL;
	char err[256];
	size_t n = 0, at = 2;

	if (size < 2)
		return 0;
	while (n < 64 && size - at >= 4) {
		size_t len = data[at + 3];
		if (len > size - at - 4)
			len = size - at - 4;
		e[n] = (struct pack_build_entry){data[at], data[at + 1], data + at + 4, len,
		                                 data[at + 2] & 1, (int64_t)((data[at + 2] >> 1) & 7) - 4};
		at += 4 + len;
		n++;
	}
	if (pack_build(&pb, e, n) < 0)
		return 0;
	if (packread_open_mem(&pr, pb.idx, pb.idxlen, pb.pack, pb.packlen, err, sizeof(err)) < 0)
		abort(); /* what pack_build writes is always well-formed at the file level */
	struct packread_cache *c = packread_cache_new(pr, caches[data[0] & 3]);
	uint64_t max = caps[data[1] & 3];
	if (!c)
		abort();
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t k = 0; k <= n; k++) {
			size_t i = pass ? n - k : k; /* the second pass in reverse: other cache states */
			unsigned char *a = NULL, *b = NULL;
			size_t asz, bsz;
			git_object_t at_, bt;
			int ra = read_one(c, i, max, &a, &asz, &at_);
			int rb = read_one(c, i, max, &b, &bsz, &bt);
			if (ra != rb || (ra == PACKREAD_OK && (asz != bsz || at_ != bt || memcmp(a, b, asz))))
				abort();
			git_oid id;
			git_object_t ht;
			pack_build_oid(i, id.id);
			if (ra == PACKREAD_OK &&
			    (packread_type(c, &id, &ht, err, sizeof(err)) != PACKREAD_OK || ht != at_))
				abort(); /* what reads has the type its headers say */
			if (i == n && ra != PACKREAD_NOT_HERE) /* an id the pack does not hold */
				abort();
			if (i < n && e[i].type >= 1 && e[i].type <= 4 && !e[i].raw && !e[i].size_skew &&
			    (ra != (e[i].len > max ? PACKREAD_TOO_BIG : PACKREAD_OK) || asz != e[i].len ||
			     (ra == PACKREAD_OK && (memcmp(a, e[i].data, asz) || a[asz] != '\0'))))
				abort();
			free(a);
			free(b);
		}
	packread_cache_free(c);
	packread_free(pr);
	pack_build_free(&pb);
	return 0;
}
