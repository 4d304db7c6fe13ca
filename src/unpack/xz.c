/*
 * xz: the xz decoder behind reader.c (liblzma), concatenated streams and
 * stream padding included, and the raw LZMA of zip members (method 14), both
 * with a fixed cap on decoder memory. It does not look at what the decoded
 * bytes are.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lzma.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

/* Enough for xz -9 (64 MiB dictionary); larger dictionaries are refused. */
#define XZ_MEMLIMIT (96ull << 20)

struct xz {
	lzma_stream s;
	int zip_lzma; /* raw LZMA1 behind a zip LZMA header, not yet started */
	int raw;      /* raw LZMA1 (a zip member): it may end without an end marker, at r->declared */
};

/* Zip method 14: version (2), properties size (2, = 5), LZMA properties (5), raw LZMA1. */
static int zip_lzma_start(struct xz *x, struct reader *r)
{
	lzma_filter f[2] = {{LZMA_FILTER_LZMA1, NULL}, {LZMA_VLI_UNKNOWN, NULL}};
	const unsigned char *in = r->in + r->in_pos;
	if (r->in_len - r->in_pos < 9 || in[2] != 5 || in[3] != 0 ||
	    lzma_properties_decode(&f[0], NULL, in + 4, 5) != LZMA_OK) {
		snprintf(r->msg, sizeof(r->msg), "bad LZMA header");
		r->state = READER_CORRUPT;
		return -1;
	}
	if (lzma_raw_decoder_memusage(f) > XZ_MEMLIMIT) {
		free(f[0].options);
		snprintf(r->msg, sizeof(r->msg), "needs more than %llu MiB of decoder memory",
		         XZ_MEMLIMIT >> 20);
		r->state = READER_LIMIT;
		r->limit = UNPACK_LIMIT_DECODER;
		return -1;
	}
	lzma_ret z = lzma_raw_decoder(&x->s, f);
	free(f[0].options);
	if (z != LZMA_OK) {
		snprintf(r->msg, sizeof(r->msg), "LZMA decoder could not start");
		r->state = READER_CORRUPT;
		return -1;
	}
	r->in_pos += 9;
	x->zip_lzma = 0;
	x->raw = 1;
	return 0;
}

static size_t xz_decode(struct decoder *d, struct reader *r, unsigned char *out, size_t cap)
{
	struct xz *x = d->state;
	lzma_stream *s = &x->s;
	if (x->zip_lzma && zip_lzma_start(x, r) < 0)
		return 0;
	size_t got = 0;
	while (got < cap && r->state == READER_OK) {
		s->next_in = r->in + r->in_pos;
		s->avail_in = r->in_len - r->in_pos;
		s->next_out = out + got;
		s->avail_out = cap - got;
		if (x->raw && r->declared != UINT64_MAX) {
			/* zip LZMA may have no end marker: the size the member declares is its end
			 * (a lie there fails the member's CRC) */
			if (s->total_out >= r->declared) {
				r->state = READER_END;
				break;
			}
			if (s->avail_out > r->declared - s->total_out)
				s->avail_out = (size_t)(r->declared - s->total_out);
		}
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
	struct xz *x = d->state;
	if (x) {
		lzma_end(&x->s);
		free(x);
	}
	d->state = NULL;
}

static struct xz *xz_new(struct decoder *d)
{
	static const lzma_stream init = LZMA_STREAM_INIT;
	struct xz *x = xcalloc(1, sizeof(*x));
	x->s = init;
	d->state = x;
	d->decode = xz_decode;
	d->free = xz_free;
	return x;
}

int decoder_xz_init(struct decoder *d)
{
	struct xz *x = xz_new(d);
	if (lzma_stream_decoder(&x->s, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK) {
		xz_free(d);
		return -1;
	}
	return 0;
}

int decoder_zip_lzma_init(struct decoder *d)
{
	xz_new(d)->zip_lzma = 1; /* the header is read with the first input */
	return 0;
}
