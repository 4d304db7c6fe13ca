/*
 * xz: the xz decoder behind reader.c (liblzma), concatenated streams and
 * stream padding included, with a fixed cap on decoder memory. It does not
 * look at what the decoded bytes are.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lzma.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

/* Enough for xz -9 (64 MiB dictionary); larger dictionaries are refused. */
#define XZ_MEMLIMIT (96ull << 20)

static size_t xz_decode(struct decoder *d, struct reader *r, unsigned char *out, size_t cap)
{
	lzma_stream *s = d->state;
	size_t got = 0;
	while (got < cap && r->state == READER_OK) {
		s->next_in = r->in + r->in_pos;
		s->avail_in = r->in_len - r->in_pos;
		s->next_out = out + got;
		s->avail_out = cap - got;
		size_t in0 = s->avail_in, out0 = s->avail_out;
		lzma_ret z = lzma_code(s, LZMA_FINISH);
		r->in_pos += in0 - s->avail_in;
		got += out0 - s->avail_out;
		switch (z) {
		case LZMA_OK:
			break;
		case LZMA_STREAM_END:
			r->state = READER_END;
			break;
		case LZMA_MEMLIMIT_ERROR:
			snprintf(r->msg, sizeof(r->msg), "needs more than %llu MiB of decoder memory",
			         XZ_MEMLIMIT >> 20);
			r->state = READER_LIMIT;
			r->limit = UNPACK_LIMIT_DECODER;
			break;
		case LZMA_BUF_ERROR:
			snprintf(r->msg, sizeof(r->msg), "truncated xz stream");
			r->state = READER_CORRUPT;
			break;
		default:
			snprintf(r->msg, sizeof(r->msg), "xz: %s",
			         z == LZMA_DATA_ERROR     ? "corrupt data or bad check value"
			         : z == LZMA_FORMAT_ERROR ? "not an xz stream"
			                                  : "unsupported options or internal error");
			r->state = READER_CORRUPT;
			break;
		}
	}
	return got;
}

static void xz_free(struct decoder *d)
{
	lzma_stream *s = d->state;
	if (s) {
		lzma_end(s);
		free(s);
	}
	d->state = NULL;
}

int decoder_xz_init(struct decoder *d)
{
	static const lzma_stream init = LZMA_STREAM_INIT;
	lzma_stream *s = xmalloc(sizeof(*s));
	*s = init;
	if (lzma_stream_decoder(s, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK) {
		free(s);
		return -1;
	}
	d->state = s;
	d->decode = xz_decode;
	d->free = xz_free;
	return 0;
}
