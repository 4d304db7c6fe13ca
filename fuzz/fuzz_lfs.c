/*
 * fuzz_lfs: Git LFS pointer recognition on any bytes (hostile: every pushed blob
 * reaches it). Besides memory safety: (1) what it accepts has a 64 lower-case hex
 * oid; (2) only the first 1024 bytes decide, as in git-lfs; (3) the canonical
 * text of an accepted pointer is itself accepted with the same oid and size.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "unpack/lfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lfs_pointer p, q;
	unsigned char *copy = calloc(size ? size : 1, 1); /* exact size: ASan sees any overread */
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	int is = lfs_pointer_parse(copy, size, &p);
	if (is && !lfs_maybe_pointer(copy, size))
		abort();
	if (size > LFS_POINTER_MAX && lfs_pointer_parse(copy, LFS_POINTER_MAX, &q) != is)
		abort();
	if (is) {
		for (size_t i = 0; i < 64; i++)
			if (!((p.oid[i] >= '0' && p.oid[i] <= '9') || (p.oid[i] >= 'a' && p.oid[i] <= 'f')))
				abort();
		char canon[256];
		int n = snprintf(canon, sizeof(canon),
		                 "version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %" PRIu64
		                 "\n",
		                 p.oid, p.size);
		if (n <= 0 || !lfs_pointer_parse((const unsigned char *)canon, (size_t)n, &q) ||
		    strcmp(p.oid, q.oid) || p.size != q.size)
			abort();
	}
	free(copy);
	return 0;
}
