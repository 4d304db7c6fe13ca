/*
 * tar: a small, strict tar reader (ustar, GNU long names, pax path/size) over
 * a reader (raw or decompressing). Every header field is bounds-checked; each
 * member goes back through the pipeline, or, above member_bytes (or past
 * archive_bytes), through a window as it streams. It never creates files:
 * names, links and traversal paths are display strings only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

/* Pax extended headers and GNU long names above this are refused as corrupt. */
#define TAR_META_MAX (1u << 20)

int tar_header_valid(const unsigned char *b)
{
	uint64_t want;
	unsigned long sum = 0;
	if (tar_parse_number(b + 148, 8, &want) < 0)
		return 0;
	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : b[i];
	return sum == want && sum != 8 * ' ';
}

int tar_parse_number(const unsigned char *f, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	if (f[0] & 0x80) {
		if (f[0] != 0x80)
			return -1; /* negative (0xff) or reserved */
		for (i = 1; i < len; i++) {
			if (v >> 56)
				return -1;
			v = v << 8 | f[i];
		}
		*out = v;
		return 0;
	}
	while (i < len && f[i] == ' ')
		i++;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 61)
			return -1;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

struct tar_pending {
	char *path;       /* from pax "path" or GNU 'L' */
	int has_size;
	uint64_t size;    /* from pax "size" */
	int sparse;       /* pax GNU.sparse.* seen */
};

static void pending_clear(struct tar_pending *p)
{
	free(p->path);
	memset(p, 0, sizeof(*p));
}

/* Parses pax records "LEN key=value\n". Returns 0, or -1 if malformed. */
static int tar_parse_pax(const unsigned char *d, size_t n, struct tar_pending *p)
{
	size_t pos = 0;
	while (pos < n) {
		size_t len = 0, i = pos;
		while (i < n && d[i] >= '0' && d[i] <= '9' && i - pos < 9)
			len = len * 10 + (size_t)(d[i++] - '0');
		if (i == pos || i >= n || d[i] != ' ' || len < 5 || len > n - pos || d[pos + len - 1] != '\n')
			return -1;
		const unsigned char *k = d + i + 1, *end = d + pos + len - 1;
		const unsigned char *eq = memchr(k, '=', (size_t)(end - k));
		if (!eq)
			return -1;
		size_t klen = (size_t)(eq - k), vlen = (size_t)(end - eq - 1);
		const char *v = (const char *)eq + 1;
		if (klen == 4 && !memcmp(k, "path", 4)) {
			free(p->path);
			p->path = xstrndup(v, vlen);
		} else if (klen == 4 && !memcmp(k, "size", 4)) {
			uint64_t s = 0;
			if (!vlen || vlen > 19)
				return -1;
			for (size_t j = 0; j < vlen; j++) {
				if (v[j] < '0' || v[j] > '9')
					return -1;
				s = s * 10 + (uint64_t)(v[j] - '0');
			}
			p->has_size = 1;
			p->size = s;
		} else if (klen > 11 && !memcmp(k, "GNU.sparse.", 11)) {
			p->sparse = 1;
		}
		pos += len;
	}
	return 0;
}

/* Reads `size` bytes of metadata (pax, long name) into a NUL-terminated buffer. */
static unsigned char *tar_read_meta(struct reader *r, uint64_t size)
{
	unsigned char *m = xmalloc((size_t)size + 1);
	if (reader_read(r, m, (size_t)size) != size) {
		free(m);
		return NULL;
	}
	m[size] = '\0';
	return m;
}

/* Display name of the member of header h: pending long name, else ustar prefix/name. */
static char *tar_member_name(const unsigned char *h, const struct tar_pending *p)
{
	if (p->path)
		return xstrdup(p->path);
	size_t nlen = strnlen((const char *)h, 100);
	if (!memcmp(h + 257, "ustar\0", 6) && h[345]) {
		size_t plen = strnlen((const char *)h + 345, 155);
		return xasprintf("%.*s/%.*s", (int)plen, (const char *)h + 345, (int)nlen,
		                 (const char *)h);
	}
	return xstrndup((const char *)h, nlen);
}

/* Checks that everything after the end-of-archive marker is zero padding. */
static int tar_trailer_clean(struct reader *r)
{
	unsigned char buf[65536];
	if (!r->dec) {
		size_t left = r->in_len - r->in_pos;
		const unsigned char *p = reader_direct(r, left);
		for (size_t i = 0; i < left; i++)
			if (p[i])
				return 0;
		return 1;
	}
	for (;;) {
		size_t k = reader_read(r, buf, sizeof(buf));
		for (size_t i = 0; i < k; i++)
			if (buf[i])
				return 0;
		if (k < sizeof(buf))
			return 1;
	}
}

/* Reads one member's data (size bytes, already checked against member_bytes) and scans it. */
static int tar_scan_data(struct scan_ctx *ctx, const char *mpath, struct reader *r, uint64_t size,
                         unsigned depth, int *truncated)
{
	if (!r->dec) {
		const unsigned char *p = reader_direct(r, (size_t)size);
		if (!p) {
			*truncated = 1;
			return 0;
		}
		return scan_emit(ctx, mpath, p, (size_t)size, depth + 1);
	}
	struct membuf mb = {0};
	uint64_t left = size;
	membuf_start(&mb, size);
	while (left) {
		size_t want;
		unsigned char *dst = membuf_room(&mb, left, &want);
		size_t k = reader_read(r, dst, want);
		mb.len += k;
		left -= k;
		if (k < want)
			break;
	}
	int rc = 0;
	if (left)
		*truncated = 1;
	else
		rc = scan_emit(ctx, mpath, mb.data ? mb.data : (const unsigned char *)"", mb.len,
		               depth + 1);
	membuf_free(&mb);
	return rc;
}

/* Streams one member's data (size bytes) through a window and judges it. */
static void tar_window_data(struct scan_ctx *ctx, const char *mpath, struct reader *r,
                            uint64_t size, enum unpack_limit why, int *truncated)
{
	struct window w;
	unsigned char *buf = r->dec ? xmalloc(WINDOW_CHUNK) : NULL;
	uint64_t left = size;
	window_open(&w, ctx);
	while (left) {
		size_t want = left > WINDOW_CHUNK ? WINDOW_CHUNK : (size_t)left;
		const unsigned char *p = buf ? buf : reader_direct(r, want);
		size_t k = buf ? reader_read(r, buf, want) : p ? want : 0;
		window_feed(&w, p, k);
		left -= k;
		if (k < want)
			break;
	}
	if (left) {
		*truncated = 1;
		window_discard(&w);
	} else {
		window_close(&w, ctx, mpath, why);
	}
	free(buf);
}

int unpack_tar(struct scan_ctx *ctx, const char *path, struct reader *r, unsigned depth)
{
	const struct scan_limits *lim = ctx->limits;
	struct tar_pending pend = {0};
	unsigned char hb[512];
	uint64_t members = 0, offset = 0;
	int rc = 0, truncated = 0;

	for (;;) {
		size_t got = reader_read(r, hb, sizeof(hb));
		if (got == 0 && r->state != READER_CORRUPT && r->state != READER_LIMIT)
			break; /* end of data without the two zero blocks: accepted like tar(1) */
		if (got < sizeof(hb)) {
			truncated = 1;
			break;
		}
		offset += 512;
		static const unsigned char zero[512];
		if (!memcmp(hb, zero, sizeof(hb))) {
			if (!tar_trailer_clean(r) && r->state != READER_LIMIT)
				unpack_report_corrupt(ctx, path, "tar",
				                      "non-zero data after the end-of-archive marker");
			break;
		}
		if (!tar_header_valid(hb)) {
			unpack_report_corrupt(ctx, path, "tar", "bad header checksum at offset %llu",
			                      (unsigned long long)(offset - 512));
			goto done;
		}
		uint64_t size;
		if (tar_parse_number(hb + 124, 12, &size) < 0) {
			unpack_report_corrupt(ctx, path, "tar", "invalid or negative size at offset %llu",
			                      (unsigned long long)(offset - 512));
			goto done;
		}
		char type = (char)hb[156];
		if (pend.has_size && type != 'x' && type != 'g' && type != 'L' && type != 'K')
			size = pend.size;
		if (!r->dec && size > r->in_len - r->in_pos) {
			unpack_report_corrupt(ctx, path, "tar",
			                      "member at offset %llu declares %llu bytes, more than the archive "
			                      "holds",
			                      (unsigned long long)(offset - 512), (unsigned long long)size);
			goto done;
		}
		uint64_t pad = (512 - size % 512) % 512;

		if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
			if (size > TAR_META_MAX) {
				unpack_report_corrupt(ctx, path, "tar", "%llu-byte extended header",
				                      (unsigned long long)size);
				goto done;
			}
			unsigned char *m = tar_read_meta(r, size);
			if (!m) {
				truncated = 1;
				break;
			}
			int bad = 0;
			if (type == 'x') {
				bad = tar_parse_pax(m, (size_t)size, &pend) < 0;
			} else if (type == 'L') {
				free(pend.path);
				pend.path = xstrndup((const char *)m, strnlen((const char *)m, (size_t)size));
			}
			free(m);
			if (bad) {
				unpack_report_corrupt(ctx, path, "tar", "malformed pax header at offset %llu",
				                      (unsigned long long)(offset - 512));
				goto done;
			}
		} else {
			char *name = tar_member_name(hb, &pend);
			char *mpath = unpack_member_path(path, name, strlen(name));
			int regular = type == '0' || type == '\0' || type == '7' ||
			              !strchr("123456", type);
			if (++members > lim->archive_members) {
				unpack_report_limit(ctx, path, UNPACK_LIMIT_MEMBERS, "tar archive has too many members");
				free(name);
				free(mpath);
				goto done;
			}
			if (type == 'S' || pend.sparse) {
				unpack_report_limit(ctx, mpath, UNPACK_LIMIT_METHOD, "sparse tar member");
				if (reader_skip(r, size) != size)
					truncated = 1;
			} else if (!regular && size == 0) {
				/* directory, link, device: nothing to read; the name is never used on disk */
			} else if (size > lim->member_bytes) {
				tar_window_data(ctx, mpath, r, size, UNPACK_LIMIT_MEMBER, &truncated);
			} else if (r->dec && ctx->held + size > lim->archive_bytes) {
				tar_window_data(ctx, mpath, r, size, UNPACK_LIMIT_BYTES, &truncated);
			} else {
				if (r->dec)
					ctx->held += size;
				rc = tar_scan_data(ctx, mpath, r, size, depth, &truncated);
			}
			free(name);
			free(mpath);
			pending_clear(&pend);
			if (rc < 0 || truncated)
				break;
		}
		offset += size;
		if (reader_skip(r, pad) != pad) {
			truncated = 1;
			break;
		}
		offset += pad;
	}
	if (truncated && r->state != READER_CORRUPT && r->state != READER_LIMIT)
		unpack_report_corrupt(ctx, path, "tar", "truncated archive");
done:
	reader_report(r, path);
	pending_clear(&pend);
	return rc;
}
