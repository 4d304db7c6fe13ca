/*
 * gzip: the gzip decoder behind reader.c (zlib), concatenated members
 * included. Trailing zero padding is accepted, any other trailing byte is
 * corruption. It does not look at what the decoded bytes are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

struct gz {
	z_stream zs;
	int member_done; /* the last member ended; more input must be a new member or padding */
};

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static size_t gz_decode(struct decoder *d, struct reader *r, unsigned char *out, size_t cap)
{
	struct gz *g = d->state;
	size_t got = 0;
	while (got < cap && r->state == READER_OK) {
		size_t left = r->in_len - r->in_pos;
		if (g->member_done) {
			if (left >= 2 && r->in[r->in_pos] == 0x1f && r->in[r->in_pos + 1] == 0x8b) {
				if (inflateReset(&g->zs) != Z_OK) {
					snprintf(r->msg, sizeof(r->msg), "gzip decoder reset failed");
					r->state = READER_CORRUPT;
					break;
				}
				g->member_done = 0;
			} else if (all_zero(r->in + r->in_pos, left)) {
				r->in_pos = r->in_len;
				r->state = READER_END;
				break;
			} else {
				snprintf(r->msg, sizeof(r->msg), "%zu bytes of trailing data after the gzip stream",
				         left);
				r->state = READER_CORRUPT;
				break;
			}
		}
		g->zs.next_in = (unsigned char *)(r->in + r->in_pos);
		g->zs.avail_in = left > (1u << 30) ? (1u << 30) : (uInt)left;
		g->zs.next_out = out + got;
		g->zs.avail_out = cap - got > (1u << 30) ? (1u << 30) : (uInt)(cap - got);
		uInt in0 = g->zs.avail_in, out0 = g->zs.avail_out;
		int z = inflate(&g->zs, Z_NO_FLUSH);
		r->in_pos += in0 - g->zs.avail_in;
		got += out0 - g->zs.avail_out;
		if (z == Z_STREAM_END) {
			g->member_done = 1;
			if (r->in_pos == r->in_len)
				r->state = READER_END;
		} else if (z == Z_BUF_ERROR || (z == Z_OK && r->in_pos == r->in_len && g->zs.avail_out)) {
			if (r->in_pos == r->in_len) {
				snprintf(r->msg, sizeof(r->msg), "truncated gzip stream");
				r->state = READER_CORRUPT;
			}
		} else if (z != Z_OK) {
			snprintf(r->msg, sizeof(r->msg), "gzip: %s", g->zs.msg ? g->zs.msg : "invalid data");
			r->state = z == Z_MEM_ERROR ? READER_LIMIT : READER_CORRUPT;
			r->limit = UNPACK_LIMIT_DECODER;
		}
	}
	return got;
}

static void gz_free(struct decoder *d)
{
	struct gz *g = d->state;
	if (g) {
		inflateEnd(&g->zs);
		free(g);
	}
	d->state = NULL;
}

int decoder_gzip_init(struct decoder *d)
{
	struct gz *g = xcalloc(1, sizeof(*g));
	if (inflateInit2(&g->zs, 15 + 16) != Z_OK) {
		free(g);
		return -1;
	}
	d->state = g;
	d->decode = gz_decode;
	d->free = gz_free;
	return 0;
}
