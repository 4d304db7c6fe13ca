/*
 * zstd: the zstd decoder behind reader.c (libzstd), several frames and
 * skippable frames included, windows capped at 128 MiB. It does not look at
 * what the decoded bytes are.
 */
#include <stdio.h>
#include <stdlib.h>

#include <zstd.h>
#include <zstd_errors.h>

#include "unpack/unpack_int.h"

/* 2^27 = 128 MiB: zstd's own default maximum window for decoding. */
#define ZSTD_WINDOW_LOG_MAX 27

struct zs {
	ZSTD_DCtx *dctx;
	int frame_done; /* 1 between frames (nothing pending) */
};

static size_t zs_decode(struct decoder *d, struct reader *r, unsigned char *out, size_t cap)
{
	struct zs *z = d->state;
	size_t got = 0;
	while (got < cap && r->state == READER_OK) {
		if (r->in_pos == r->in_len && z->frame_done) {
			r->state = READER_END;
			break;
		}
		ZSTD_inBuffer in = {r->in, r->in_len, r->in_pos};
		ZSTD_outBuffer ob = {out + got, cap - got, 0};
		size_t ret = ZSTD_decompressStream(z->dctx, &ob, &in);
		int progress = in.pos != r->in_pos || ob.pos;
		r->in_pos = in.pos;
		got += ob.pos;
		if (ZSTD_isError(ret)) {
			snprintf(r->msg, sizeof(r->msg), "zstd: %s", ZSTD_getErrorName(ret));
			if (ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge) {
				r->state = READER_LIMIT;
				r->limit = UNPACK_LIMIT_DECODER;
			} else {
				r->state = READER_CORRUPT;
			}
			break;
		}
		z->frame_done = ret == 0;
		if (!progress && !z->frame_done && r->in_pos == r->in_len) {
			snprintf(r->msg, sizeof(r->msg), "truncated zstd stream");
			r->state = READER_CORRUPT;
		}
	}
	return got;
}

static void zs_free(struct decoder *d)
{
	struct zs *z = d->state;
	if (z) {
		ZSTD_freeDCtx(z->dctx);
		free(z);
	}
	d->state = NULL;
}

int decoder_zstd_init(struct decoder *d)
{
	struct zs *z = calloc(1, sizeof(*z));
	if (!z)
		return -1;
	z->dctx = ZSTD_createDCtx();
	if (!z->dctx ||
	    ZSTD_isError(ZSTD_DCtx_setParameter(z->dctx, ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX))) {
		ZSTD_freeDCtx(z->dctx);
		free(z);
		return -1;
	}
	d->state = z;
	d->decode = zs_decode;
	d->free = zs_free;
	return 0;
}
