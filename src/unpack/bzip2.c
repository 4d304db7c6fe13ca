/*
 * bzip2: the bzip2 decoder behind reader.c (libbz2), concatenated streams
 * included (pbzip2). Trailing zero padding is accepted, other trailing bytes
 * are corruption. It does not look at what the decoded bytes are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bzlib.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

struct bz {
	bz_stream s;
	int live;        /* s is initialised */
	int stream_done; /* the last stream ended */
};

static size_t bz_decode(struct decoder *d, struct reader *r, unsigned char *out, size_t cap)
{
	struct bz *b = d->state;
	size_t got = 0;
	while (got < cap && r->state == READER_OK) {
		size_t left = r->in_len - r->in_pos;
		if (b->stream_done) {
			size_t z = 0;
			while (z < left && !r->in[r->in_pos + z])
				z++;
			if (z == left) {
				r->in_pos = r->in_len;
				r->state = READER_END;
			} else if (z == 0 && left >= 4 && !memcmp(r->in + r->in_pos, "BZh", 3)) {
				BZ2_bzDecompressEnd(&b->s);
				memset(&b->s, 0, sizeof(b->s));
				b->live = BZ2_bzDecompressInit(&b->s, 0, 0) == BZ_OK;
				if (!b->live) {
					snprintf(r->msg, sizeof(r->msg), "bzip2 decoder could not restart");
					r->state = READER_CORRUPT;
				}
				b->stream_done = 0;
			} else {
				snprintf(r->msg, sizeof(r->msg), "%zu bytes of trailing data after the bzip2 stream",
				         left);
				r->state = READER_CORRUPT;
			}
			continue;
		}
		b->s.next_in = (char *)(r->in + r->in_pos);
		b->s.avail_in = left > (1u << 30) ? (1u << 30) : (unsigned)left;
		b->s.next_out = (char *)(out + got);
		b->s.avail_out = cap - got > (1u << 30) ? (1u << 30) : (unsigned)(cap - got);
		unsigned in0 = b->s.avail_in, out0 = b->s.avail_out;
		int z = BZ2_bzDecompress(&b->s);
		r->in_pos += in0 - b->s.avail_in;
		got += out0 - b->s.avail_out;
		if (z == BZ_STREAM_END) {
			b->stream_done = 1;
		} else if (z == BZ_OK) {
			if (r->in_pos == r->in_len && b->s.avail_out) {
				snprintf(r->msg, sizeof(r->msg), "truncated bzip2 stream");
				r->state = READER_CORRUPT;
			}
		} else {
			snprintf(r->msg, sizeof(r->msg), "bzip2: %s",
			         z == BZ_DATA_ERROR ? "corrupt data or bad CRC"
			         : z == BZ_MEM_ERROR ? "out of decoder memory"
			                             : "invalid stream");
			r->state = READER_CORRUPT;
		}
	}
	return got;
}

static void bz_free(struct decoder *d)
{
	struct bz *b = d->state;
	if (b) {
		if (b->live)
			BZ2_bzDecompressEnd(&b->s);
		free(b);
	}
	d->state = NULL;
}

int decoder_bzip2_init(struct decoder *d)
{
	struct bz *b = xcalloc(1, sizeof(*b));
	if (BZ2_bzDecompressInit(&b->s, 0, 0) != BZ_OK) {
		free(b);
		return -1;
	}
	b->live = 1;
	d->state = b;
	d->decode = bz_decode;
	d->free = bz_free;
	return 0;
}
