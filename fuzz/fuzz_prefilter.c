/*
 * fuzz_prefilter: the prefilter's soundness on any bytes. (1) Its SIMD and
 * portable paths answer the same for the real anchor table; (2) feeding the
 * same bytes in two chunks (cut where the first input byte says) never rules
 * out a family that the whole buffer lets through: a chunk border may only add
 * flags, never lose one.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/detect_int.h"
#include "detect/multimatch.h"
#include "fuzz_common.h"

static struct multimatch *matcher;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (!matcher) {
		size_t n;
		const struct mm_pattern *a = prefilter_anchors(&n);
		matcher = multimatch_new(a, n);
		if (!matcher)
			abort();
	}
	size_t len = size - 1;
	unsigned char *copy = fuzz_copy(data + 1, len);
	if (!copy)
		return 0;
	if (multimatch_scan(matcher, copy, len, 0) != multimatch_scan_scalar(matcher, copy, len, 0))
		abort();

	unsigned whole = prefilter_run(copy, len);
	size_t cut = len ? (size_t)data[0] * len / 255 : 0;
	struct prefilter pf;
	prefilter_init(&pf);
	prefilter_feed(&pf, copy, cut);
	prefilter_feed(&pf, copy + cut, len - cut);
	unsigned chunked = pf.flags & ~(unsigned)PF_INTERNAL;
	if ((whole & ~chunked) != 0)
		abort();
	free(copy);
	return 0;
}
