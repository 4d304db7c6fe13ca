/*
 * reader: bytes of a container, raw or decoded on demand by one of the
 * decoders (gzip.c, xz.c, bzip2.c, zstd.c). It charges every decoded byte to
 * the top-level blob's budget and stops at the first limit; it knows nothing
 * about the container format it feeds. Input it has consumed is given back
 * (util_release_pages) so a mapped file is not kept resident behind it.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

/* Consumed input is given back in steps of this many bytes. */
#define READER_RELEASE_STEP ((size_t)8 << 20)

int reader_open(struct reader *r, struct scan_ctx *ctx, enum unpack_format format,
                const unsigned char *in, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	r->in = in;
	r->in_len = len;
	r->format = format;
	r->declared = UINT64_MAX;
	if (format == UNPACK_NONE || format == UNPACK_TAR)
		return 0;
	struct decoder *d = &r->decoder_store;
	int rc = -1;
	switch (format) {
	case UNPACK_GZIP: rc = decoder_gzip_init(d); break;
	case UNPACK_XZ: rc = decoder_xz_init(d); break;
	case UNPACK_BZIP2: rc = decoder_bzip2_init(d); break;
	case UNPACK_ZSTD: rc = decoder_zstd_init(d); break;
	case UNPACK_ZIP_LZMA: rc = decoder_zip_lzma_init(d); break;
	default: break;
	}
	if (rc < 0) {
		r->state = READER_CORRUPT;
		return -1;
	}
	r->dec = d;
	return 0;
}

void reader_close(struct reader *r)
{
	if (r->dec && r->dec->free)
		r->dec->free(r->dec);
	r->dec = NULL;
}

static void reader_fail(struct reader *r, enum reader_state st, enum unpack_limit l)
{
	r->state = st;
	r->limit = l;
}

static void reader_release(struct reader *r)
{
	if (r->in_pos - r->released >= READER_RELEASE_STEP) {
		util_release_pages(r->in + r->released, r->in_pos - r->released);
		r->released = r->in_pos;
	}
}

/* Decodes up to n bytes into buf, within the budget. */
static size_t reader_decode(struct reader *r, unsigned char *buf, size_t n)
{
	const struct scan_limits *l = r->ctx->limits;
	size_t got = 0;
	int stalls = 0;
	while (got < n && r->state == READER_OK) {
		uint64_t room = l->inflated_bytes > r->ctx->inflated ? l->inflated_bytes - r->ctx->inflated : 0;
		size_t want = n - got;
		if (room < want)
			want = (size_t)room;
		if (!want) {
			unsigned char probe;
			if (r->dec->decode(r->dec, r, &probe, 1))
				reader_fail(r, READER_LIMIT, UNPACK_LIMIT_INFLATED);
			else if (r->state == READER_OK && ++stalls > 2)
				reader_fail(r, READER_CORRUPT, UNPACK_OK);
			continue;
		}
		size_t before = r->in_pos;
		size_t k = r->dec->decode(r->dec, r, buf + got, want);
		got += k;
		r->out += k;
		r->ctx->inflated += k;
		if (unpack_ratio_exceeded(l, r->out, r->in_pos)) {
			reader_fail(r, READER_LIMIT, UNPACK_LIMIT_RATIO);
			break;
		}
		if (!k && r->in_pos == before && r->state == READER_OK && ++stalls > 2) {
			snprintf(r->msg, sizeof(r->msg), "the decoder made no progress");
			reader_fail(r, READER_CORRUPT, UNPACK_OK);
		}
	}
	reader_release(r);
	return got;
}

size_t reader_read(struct reader *r, unsigned char *buf, size_t n)
{
	size_t got = 0;
	if (r->look_pos < r->look_len) {
		size_t k = r->look_len - r->look_pos;
		if (k > n)
			k = n;
		memcpy(buf, r->look + r->look_pos, k);
		r->look_pos += k;
		got = k;
	}
	if (got == n)
		return got;
	if (!r->dec) {
		size_t k = r->in_len - r->in_pos;
		if (k > n - got)
			k = n - got;
		memcpy(buf + got, r->in + r->in_pos, k);
		r->in_pos += k;
		got += k;
		if (r->in_pos == r->in_len && r->state == READER_OK)
			r->state = READER_END;
		reader_release(r);
		return got;
	}
	return got + reader_decode(r, buf + got, n - got);
}

uint64_t reader_skip(struct reader *r, uint64_t n)
{
	if (!r->dec) {
		uint64_t k = r->in_len - r->in_pos;
		if (k > n)
			k = n;
		r->in_pos += (size_t)k;
		if (r->in_pos == r->in_len && r->state == READER_OK)
			r->state = READER_END;
		reader_release(r);
		return k;
	}
	unsigned char buf[65536];
	uint64_t done = 0;
	while (done < n) {
		size_t want = n - done > sizeof(buf) ? sizeof(buf) : (size_t)(n - done);
		size_t k = reader_read(r, buf, want);
		done += k;
		if (k < want)
			break;
	}
	return done;
}

const unsigned char *reader_direct(struct reader *r, size_t n)
{
	if (r->dec || r->in_len - r->in_pos < n)
		return NULL;
	reader_release(r);
	const unsigned char *p = r->in + r->in_pos;
	r->in_pos += n;
	return p;
}

size_t reader_peek(struct reader *r, unsigned char *buf, size_t n)
{
	if (n > sizeof(r->look))
		n = sizeof(r->look);
	if (!r->dec) {
		size_t k = r->in_len - r->in_pos;
		if (k > n)
			k = n;
		memcpy(buf, r->in + r->in_pos, k);
		return k;
	}
	if (r->look_len == 0)
		r->look_len = reader_decode(r, r->look, sizeof(r->look));
	size_t k = r->look_len < n ? r->look_len : n;
	memcpy(buf, r->look, k);
	return k;
}

int reader_report(struct reader *r, const char *path)
{
	if (r->state != READER_CORRUPT && r->state != READER_LIMIT)
		return 0;
	if (r->reported)
		return 1;
	r->reported = 1;
	const char *fmt = unpack_format_name(r->format);
	if (r->state == READER_LIMIT) {
		char what[300];
		if (r->limit == UNPACK_LIMIT_RATIO)
			snprintf(what, sizeof(what), "%s stream inflates more than %llu:1 (a compression bomb?)",
			         fmt, (unsigned long long)r->ctx->limits->archive_ratio);
		else if (r->limit == UNPACK_LIMIT_INFLATED)
			snprintf(what, sizeof(what), "%s stream: the bytes inflated for this file, all levels "
			         "together, ran out", fmt);
		else
			snprintf(what, sizeof(what), "%s stream: %s", fmt, r->msg[0] ? r->msg : "refused");
		unpack_report_limit(r->ctx, path, r->limit, what);
	} else {
		unpack_report_corrupt(r->ctx, path, fmt, "%s", r->msg[0] ? r->msg : "undecodable data");
	}
	return 1;
}
