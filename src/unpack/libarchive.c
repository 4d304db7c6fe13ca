/*
 * libarchive: 7z, RAR 4/5, cpio (newc, odc, bin), ISO 9660, ar and single lz4,
 * lzip and compress (.Z) streams, read from memory through libarchive with only
 * the sniffed format enabled; every member is read under our budgets and scanned.
 * It never writes: no archive_write_disk, no external filter program, no passphrase.
 *
 * Why libarchive here: these formats carry codecs (LZMA/PPMd/BCJ2, RAR's own)
 * that no other well-kept C library reads. Zip stays on libzip with our own
 * directory checks (prefixes, overlaps, lying sizes) and tar on tar.c: tar.gz,
 * tar.zst and tar.xz through libarchive measured no faster, at the same memory,
 * and would lose tar.c's checks (README, Archives).
 *
 * Where libarchive 3.6 trusts hostile input, we look first: rar5_walk() finds
 * RAR 5 encryption records and headers (read as plain data, or refused without
 * saying why); cpio_walk() and iso_check_volumes() bound the sizes libarchive
 * would allocate read-ahead buffers for; sz_coder_memory_max() refuses 7z
 * coders asking for more dictionary than 7-Zip writes, before liblzma gets it.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

/* Bytes asked of archive_read_data at a time. */
#define LA_CHUNK ((size_t)64 << 10)
/* Output not yet matched by counted input: libarchive's lz4 filter counts a block's input
 * only once the whole block (at most 4 MiB) is out. The ratio is judged beyond it. */
#define LA_RATIO_SLACK (((uint64_t)4 << 20) + LA_CHUNK)

/* A RAR 5 file header as rar5_walk() saw it. */
struct rar5_file {
	const unsigned char *name;
	size_t name_len;
	int encrypted;
};

struct la_state {
	struct scan_ctx *ctx;
	struct archive *a;
	const char *path;       /* the archive's display path */
	const char *format;     /* its display name, e.g. "7z" */
	enum unpack_format f;
	locale_t utf8;          /* C.UTF-8 for libarchive's name conversions (7z names are
	                         * UTF-16), this thread only; 0 if unavailable */
	locale_t caller;        /* the thread's locale, restored to scan members */
	uint64_t out;           /* bytes every member of this archive produced so far */
	unsigned depth;
	struct rar5_file *rar5; /* RAR 5 only: its file headers in order */
	size_t rar5_n, rar5_cap;
	int rar5_names_encrypted;
};

enum la_result { LA_NEXT, LA_STOP, LA_ERROR };

/* A RAR 5 variable-length integer (7 bits a byte, low first, at most 10 bytes). */
static int rar5_vint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned i = 0; i < 10 && *p < end; i++) {
		unsigned char b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/* The fields of a RAR 5 file header from its file flags to its name; 0, or -1 if malformed. */
static int rar5_file_fields(const unsigned char *q, const unsigned char *end, struct rar5_file *f)
{
	uint64_t flags, v, nlen;
	if (rar5_vint(&q, end, &flags) < 0 || rar5_vint(&q, end, &v) < 0 ||
	    rar5_vint(&q, end, &v) < 0)
		return -1;
	size_t skip = ((flags & 0x2) ? 4 : 0) + ((flags & 0x4) ? 4 : 0);
	if ((size_t)(end - q) < skip)
		return -1;
	q += skip;
	if (rar5_vint(&q, end, &v) < 0 || rar5_vint(&q, end, &v) < 0 ||
	    rar5_vint(&q, end, &nlen) < 0 || nlen > (uint64_t)(end - q))
		return -1;
	f->name = q;
	f->name_len = (size_t)nlen;
	return 0;
}

/*
 * Walks the RAR 5 block chain (technote: CRC32, header size, type, flags, extra
 * and data sizes) and records each file header (type 2), encrypted when its extra
 * area holds an encryption record (type 1); an archive encryption header (type 4)
 * means every later header, names included, is encrypted. Stops quietly at
 * anything malformed: libarchive then reports it.
 */
static void rar5_walk(struct la_state *s, const unsigned char *d, size_t len)
{
	const unsigned char *p = d + 8, *end = d + len;
	while (len >= 8 && end - p > 4 && s->rar5_n <= s->ctx->limits->archive_members) {
		uint64_t hsize, type, flags, xsize = 0, dsize = 0;
		const unsigned char *q = p + 4;
		if (rar5_vint(&q, end, &hsize) < 0 || hsize > (uint64_t)(end - q))
			return;
		const unsigned char *body_end = q + hsize;
		if (rar5_vint(&q, body_end, &type) < 0 || rar5_vint(&q, body_end, &flags) < 0 ||
		    ((flags & 0x1) && rar5_vint(&q, body_end, &xsize) < 0) ||
		    ((flags & 0x2) && rar5_vint(&q, body_end, &dsize) < 0) ||
		    xsize > (uint64_t)(body_end - q) || dsize > (uint64_t)(end - body_end))
			return;
		if (type == 4) {
			s->rar5_names_encrypted = 1;
			return;
		}
		if (type == 2) {
			struct rar5_file f = {0};
			if (rar5_file_fields(q, body_end - xsize, &f) < 0)
				return;
			const unsigned char *x = body_end - xsize;
			while (x < body_end) {
				uint64_t rsize, rtype;
				if (rar5_vint(&x, body_end, &rsize) < 0 || rsize > (uint64_t)(body_end - x))
					break;
				const unsigned char *rend = x + rsize;
				if (rar5_vint(&x, rend, &rtype) == 0 && rtype == 0x01)
					f.encrypted = 1;
				x = rend;
			}
			xgrow((void **)&s->rar5, &s->rar5_cap, s->rar5_n + 1, sizeof(*s->rar5));
			s->rar5[s->rar5_n++] = f;
		}
		if (type == 5)
			return;
		p = body_end + dsize;
	}
}

/* The most dictionary (LZMA, LZMA2) or model memory (PPMd) 7-Zip itself writes. */
#define SZ_MEMORY_MAX ((uint64_t)1536 << 20)

static uint64_t rd_le(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* A 7z NUMBER: the first byte's leading ones say how many bytes follow. */
static int sz_number(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	if (*p >= end)
		return -1;
	unsigned first = *(*p)++, mask = 0x80;
	uint64_t x = 0;
	for (unsigned i = 0; i < 8; i++, mask >>= 1) {
		if (!(first & mask)) {
			*v = x | (uint64_t)(first & (mask - 1)) << (8 * i);
			return 0;
		}
		if (*p >= end)
			return -1;
		x |= (uint64_t)*(*p)++ << (8 * i);
	}
	*v = x;
	return 0;
}

/* The memory a 7z coder's properties ask for (0 for coders that need little). */
static uint64_t sz_coder_memory(const unsigned char *id, size_t idlen, const unsigned char *pr,
                                uint64_t plen)
{
	if (idlen == 3 && (!memcmp(id, "\x03\x01\x01", 3) || !memcmp(id, "\x03\x04\x01", 3)) &&
	    plen >= 5)
		return rd_le(pr + 1, 4); /* LZMA dictionary, PPMd model size */
	if (idlen == 1 && id[0] == 0x21 && plen >= 1 && pr[0] <= 40)
		return pr[0] == 40 ? 0xffffffffu : (uint64_t)(2 | (pr[0] & 1)) << (pr[0] / 2 + 11);
	return 0;
}

/* The largest coder memory among the folders of a 7z StreamsInfo; stops quietly (keeping
 * what it found) at anything it does not walk: libarchive judges that. */
static uint64_t sz_streams_memory(const unsigned char *p, const unsigned char *end)
{
	uint64_t v, n, folders, max = 0;
	if (p < end && *p == 0x06) { /* PackInfo: position, count, sizes */
		p++;
		if (sz_number(&p, end, &v) < 0 || sz_number(&p, end, &n) < 0)
			return 0;
		for (;;) {
			if (p >= end)
				return 0;
			unsigned id = *p++;
			if (id == 0x00)
				break;
			if (id != 0x09)
				return 0;
			for (uint64_t i = 0; i < n; i++)
				if (sz_number(&p, end, &v) < 0)
					return 0;
		}
	}
	if (end - p < 2 || p[0] != 0x07 || p[1] != 0x0b) /* UnPackInfo, Folder */
		return 0;
	p += 2;
	if (sz_number(&p, end, &folders) < 0 || p >= end || *p++ != 0) /* not external */
		return 0;
	for (uint64_t f = 0; f < folders; f++) {
		uint64_t coders, in = 0, out = 0;
		if (sz_number(&p, end, &coders) < 0 || coders == 0 || coders > 64)
			return max;
		for (uint64_t c = 0; c < coders; c++) {
			if (p >= end)
				return max;
			unsigned flags = *p++;
			size_t idlen = flags & 0x0f;
			uint64_t nin = 1, nout = 1, plen;
			if ((flags & 0x80) || (size_t)(end - p) < idlen)
				return max;
			const unsigned char *id = p;
			p += idlen;
			if ((flags & 0x10) && (sz_number(&p, end, &nin) < 0 || sz_number(&p, end, &nout) < 0 ||
			                       nin > 64 || nout > 64))
				return max;
			in += nin;
			out += nout;
			if (flags & 0x20) {
				if (sz_number(&p, end, &plen) < 0 || plen > (uint64_t)(end - p))
					return max;
				uint64_t m = sz_coder_memory(id, idlen, p, plen);
				max = m > max ? m : max;
				p += plen;
			}
		}
		if (!out || in < out - 1)
			return max;
		for (uint64_t b = 0; b + 1 < out; b++) /* bind pairs */
			if (sz_number(&p, end, &v) < 0 || sz_number(&p, end, &v) < 0)
				return max;
		if (in - (out - 1) > 1) /* packed stream indices */
			for (uint64_t i = 0; i < in - (out - 1); i++)
				if (sz_number(&p, end, &v) < 0)
					return max;
	}
	return max;
}

/*
 * The largest dictionary or model memory a coder asks for in the plain part of a
 * 7z header (7zFormat.txt): the main streams of a plain header, or the streams
 * that decode an encoded (compressed) header, whose own coders stay unchecked.
 */
static uint64_t sz_coder_memory_max(const unsigned char *d, size_t len)
{
	if (len < 32)
		return 0;
	uint64_t off = rd_le(d + 12, 8), size = rd_le(d + 20, 8);
	if (off > len - 32 || size > len - 32 - off || size < 2)
		return 0;
	const unsigned char *p = d + 32 + off, *end = p + size;
	if (p[0] == 0x17) /* EncodedHeader */
		return sz_streams_memory(p + 1, end);
	if (p[0] == 0x01 && p[1] == 0x04) /* Header, MainStreamsInfo */
		return sz_streams_memory(p + 2, end);
	return 0;
}

/* The value of n ASCII digits of `base` (8 or 16) at p; -1 if one is not a digit. */
static int64_t cpio_field(const unsigned char *p, size_t n, unsigned base)
{
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		if (d >= base)
			return -1;
		v = v * base + d;
	}
	return v;
}

/* Which cpio header starts at h (left bytes): 1 newc/crc, 2 odc, 3 bin LE, 4 bin BE, 0 none. */
static int cpio_kind(const unsigned char *h, size_t left)
{
	if (left >= 110 && (!memcmp(h, "070701", 6) || !memcmp(h, "070702", 6)))
		return 1;
	if (left >= 76 && !memcmp(h, "070707", 6))
		return 2;
	if (left >= 26 && h[0] == 0xc7 && h[1] == 0x71)
		return 3;
	if (left >= 26 && h[0] == 0x71 && h[1] == 0xc7)
		return 4;
	return 0;
}

/*
 * Walks cpio headers (newc/crc 110 hex bytes, odc 76 octal bytes, bin 26 bytes in
 * either byte order) up to the trailer, checking that every name and body lies
 * inside the archive and that each header follows the last, of the same kind:
 * libarchive would search past anything else for a header, and trust its sizes.
 * 0, or -1 with the problem in err.
 */
static int cpio_walk(const unsigned char *d, size_t len, uint64_t max_members, char *err,
                     size_t errsz)
{
	size_t pos = 0;
	int first = cpio_kind(d, len);
	for (uint64_t i = 0; i <= max_members && pos < len; i++) {
		size_t left = len - pos, hsize, align;
		int64_t nsize, fsize;
		const unsigned char *h = d + pos;
		int kind = cpio_kind(h, left);
		if (kind != first) {
			snprintf(err, errsz, "no %s header where member %llu should start",
			         kind ? "matching" : "cpio", (unsigned long long)i);
			return -1;
		}
		if (kind == 1) {
			hsize = 110, align = 4;
			nsize = cpio_field(h + 94, 8, 16);
			fsize = cpio_field(h + 54, 8, 16);
		} else if (kind == 2) {
			hsize = 76, align = 1;
			nsize = cpio_field(h + 59, 6, 8);
			fsize = cpio_field(h + 65, 11, 8);
		} else {
			int le = kind == 3;
			hsize = 26, align = 2;
			nsize = le ? h[20] | h[21] << 8 : h[20] << 8 | h[21];
			fsize = le ? (int64_t)(h[22] | h[23] << 8) << 16 | (h[24] | h[25] << 8)
			           : (int64_t)(h[22] << 8 | h[23]) << 16 | (h[24] << 8 | h[25]);
		}
		if (nsize < 0 || fsize < 0) {
			snprintf(err, errsz, "member %llu has a malformed header", (unsigned long long)i);
			return -1;
		}
		size_t npad = (align - (hsize + (size_t)nsize) % align) % align;
		if ((uint64_t)nsize > left - hsize || npad > left - hsize - (size_t)nsize) {
			snprintf(err, errsz, "member %llu declares a %lld-byte name, more than the archive "
			         "holds", (unsigned long long)i, (long long)nsize);
			return -1;
		}
		const unsigned char *name = h + hsize;
		pos += hsize + (size_t)nsize + npad;
		if (nsize == 11 && !memcmp(name, "TRAILER!!!", 11))
			return 0;
		size_t fpad = (align - (size_t)((uint64_t)fsize % align)) % align;
		if ((uint64_t)fsize > len - pos || fpad > len - pos - (size_t)fsize) {
			snprintf(err, errsz, "member %llu declares %lld bytes, more than the archive holds",
			         (unsigned long long)i, (long long)fsize);
			return -1;
		}
		pos += (size_t)fsize + fpad;
	}
	return 0;
}

/*
 * Checks that no ISO 9660 volume descriptor (primary, supplementary) declares a
 * volume larger than the image: libarchive bounds its directory reads by that
 * size, and reads ahead as much. 0, or -1 with the problem in err.
 */
static int iso_check_volumes(const unsigned char *d, size_t len, char *err, size_t errsz)
{
	for (size_t at = 0x8000; at <= len - 2048 && at < 0x8000 + 64 * 2048; at += 2048) {
		const unsigned char *v = d + at;
		if (memcmp(v + 1, "CD001", 5) || v[0] == 255)
			return 0;
		if (v[0] != 1 && v[0] != 2)
			continue;
		uint64_t size = rd_le(v + 80, 4) * rd_le(v + 128, 2);
		if (size > len) {
			snprintf(err, errsz, "the volume declares %llu bytes, more than the %zu of the "
			         "image (truncated?)", (unsigned long long)size, len);
			return -1;
		}
	}
	return 0;
}

/* 1 if the index-th file entry libarchive gave, named `name`, is an encrypted RAR 5 member. */
static int rar5_is_encrypted(const struct la_state *s, size_t index, const char *name)
{
	if (index >= s->rar5_n || !s->rar5[index].encrypted)
		return 0;
	return strlen(name) == s->rar5[index].name_len &&
	       !memcmp(name, s->rar5[index].name, s->rar5[index].name_len);
}

/* Compressed formats decode what they skip, uncharged: after a limit they are not read on. */
static int la_skips_cheaply(enum unpack_format f)
{
	return f == UNPACK_CPIO || f == UNPACK_ISO9660 || f == UNPACK_AR;
}

/* Enables reading of the sniffed format only. 0, or -1 if libarchive here cannot read it
 * without an external program (ARCHIVE_WARN from a filter) or at all. */
static int la_support(struct archive *a, enum unpack_format f, const unsigned char *d)
{
	int r;
	switch (f) {
	case UNPACK_7Z: return archive_read_support_format_7zip(a) == ARCHIVE_OK ? 0 : -1;
	case UNPACK_RAR:
		r = d[6] == 1 ? archive_read_support_format_rar5(a) : archive_read_support_format_rar(a);
		return r == ARCHIVE_OK ? 0 : -1;
	case UNPACK_CPIO: return archive_read_support_format_cpio(a) == ARCHIVE_OK ? 0 : -1;
	case UNPACK_ISO9660: return archive_read_support_format_iso9660(a) == ARCHIVE_OK ? 0 : -1;
	case UNPACK_AR: return archive_read_support_format_ar(a) == ARCHIVE_OK ? 0 : -1;
	case UNPACK_LZ4: r = archive_read_support_filter_lz4(a); break;
	case UNPACK_LZIP: r = archive_read_support_filter_lzip(a); break;
	case UNPACK_COMPRESS: r = archive_read_support_filter_compress(a); break;
	default: return -1;
	}
	if (r != ARCHIVE_OK)
		return -1;
	return archive_read_support_format_raw(a) == ARCHIVE_OK ? 0 : -1;
}

/* libarchive's last error as a display string: control bytes shown as '?', cut short. */
static void la_error(struct archive *a, char *buf, size_t n)
{
	const char *e = archive_error_string(a);
	snprintf(buf, n, "%s", e ? e : "unreadable");
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* Reports libarchive's failure on `where`: out of memory is a decoder limit, else corrupt. */
static void la_report_failure(struct la_state *s, const char *where)
{
	char err[160];
	la_error(s->a, err, sizeof(err));
	if (archive_errno(s->a) == ENOMEM) {
		char what[240];
		snprintf(what, sizeof(what), "%s archive needs more decoder memory than this machine "
		         "gives (%s)", s->format, err);
		unpack_report_limit(s->ctx, where, UNPACK_LIMIT_DECODER, what);
		return;
	}
	unpack_report_corrupt(s->ctx, where, s->format, "%s", err);
}

/* A blocking archive-encrypted finding: the member names themselves are encrypted. */
static void la_report_encrypted_names(struct la_state *s)
{
	char *msg = xasprintf("%s archive with encrypted member names: not even what it holds can "
	                      "be examined, so it is not accepted. Do not commit state, plans or "
	                      "credentials even encrypted; allow this blob after review if it is "
	                      "something else.",
	                      s->format);
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "encryption", "encrypted headers");
	cJSON_AddBoolToObject(d, "sensitive_name", 1);
	finding_list_add(s->ctx->out, "archive-encrypted", SG_SEV_BLOCK, s->path, msg, d);
	free(msg);
}

static const char *la_encryption_name(enum unpack_format f)
{
	return f == UNPACK_7Z ? "7z AES" : f == UNPACK_RAR ? "RAR encryption" : "encryption";
}

/* Reads the current entry's data under the budget and scans it. */
static enum la_result la_read_member(struct la_state *s, struct archive_entry *e,
                                     const char *mpath)
{
	struct scan_ctx *ctx = s->ctx;
	const struct scan_limits *lim = ctx->limits;
	int declared = archive_entry_size_is_set(e) && archive_entry_size(e) >= 0;
	uint64_t size = declared ? (uint64_t)archive_entry_size(e) : 0;
	enum la_result res = LA_NEXT;
	struct membuf mb = {0};
	char what[200], hb[32];

	if (declared) {
		/* sizes only: the ratio is judged on what the archive really inflates, below */
		enum unpack_limit l = unpack_budget_check(lim, ctx->inflated, ctx->held, UINT64_MAX, size);
		if (l != UNPACK_OK) {
			util_human_bytes(size, hb, sizeof(hb));
			snprintf(what, sizeof(what), "%s member declares %s%s", s->format, hb,
			         l == UNPACK_LIMIT_BYTES ? ", more than what is left of the bytes this file "
			                                   "may hold whole, all levels together"
			                                 : "");
			unpack_report_limit(ctx, mpath, l, what);
			return la_skips_cheaply(s->f) ? LA_NEXT : LA_STOP;
		}
	}
	membuf_start(&mb, declared ? size : UINT64_MAX);
	for (;;) {
		size_t want;
		unsigned char *dst = membuf_room(&mb, LA_CHUNK, &want);
		la_ssize_t k = archive_read_data(s->a, dst, want);
		if (k < 0) {
			la_report_failure(s, mpath);
			res = la_skips_cheaply(s->f) && k != ARCHIVE_FATAL ? LA_NEXT : LA_STOP;
			goto done;
		}
		if (k == 0)
			break;
		s->out += (uint64_t)k;
		int64_t in = archive_filter_bytes(s->a, -1);
		enum unpack_limit l =
		    s->out > LA_RATIO_SLACK &&
		            unpack_ratio_exceeded(lim, s->out - LA_RATIO_SLACK, in > 0 ? (uint64_t)in : 0)
		        ? UNPACK_LIMIT_RATIO
		        /* the member so far, against what earlier members inflated and held */
		        : unpack_budget_check(lim, ctx->inflated - mb.len, ctx->held, UINT64_MAX,
		                              (uint64_t)mb.len + (uint64_t)k);
		if (l != UNPACK_OK) {
			if (l == UNPACK_LIMIT_RATIO)
				snprintf(what, sizeof(what), "%s archive inflates more than %llu:1 (a "
				         "compression bomb?)", s->format,
				         (unsigned long long)lim->archive_ratio);
			else
				snprintf(what, sizeof(what), "%s member is too large", s->format);
			unpack_report_limit(ctx, mpath, l, what);
			res = LA_STOP;
			goto done;
		}
		ctx->inflated += (uint64_t)k;
		mb.len += (size_t)k;
		if (declared && mb.len > size) {
			unpack_report_corrupt(ctx, mpath, s->format,
			                      "member holds more than the %llu bytes it declares",
			                      (unsigned long long)size);
			res = LA_STOP;
			goto done;
		}
	}
	if (declared && mb.len < size) {
		unpack_report_corrupt(ctx, mpath, s->format,
		                      "member holds %zu bytes, less than the %llu it declares", mb.len,
		                      (unsigned long long)size);
		res = LA_STOP;
		goto done;
	}
	ctx->held += mb.len;
	if (s->caller)
		uselocale(s->caller);
	if (scan_emit(ctx, mpath, mb.data, mb.len, s->depth + 1) < 0)
		res = LA_ERROR;
	if (s->caller)
		uselocale(s->utf8);
done:
	membuf_free(&mb);
	return res;
}

/* The display name of entry e (UTF-8 when libarchive can convert it); caller frees. */
static char *la_entry_name(const struct la_state *s, struct archive_entry *e)
{
	if (s->f == UNPACK_LZ4 || s->f == UNPACK_LZIP || s->f == UNPACK_COMPRESS)
		return unpack_stream_member_name(s->path, s->f);
	const char *n = archive_entry_pathname_utf8(e);
	if (!n)
		n = archive_entry_pathname(e);
	return xstrdup(n && *n ? n : "(unnamed)");
}

int unpack_libarchive(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                      size_t len, unsigned depth)
{
	struct la_state s = {.ctx = ctx, .path = path, .depth = depth};
	struct archive_entry *e = NULL;
	uint64_t members = 0, files = 0;
	int rc = 0;

	s.f = unpack_sniff(data, len);
	s.format = unpack_format_name(s.f);
	s.utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (s.utf8)
		s.caller = uselocale(s.utf8);
	s.a = archive_read_new();
	if (!s.a)
		util_oom();
	if (la_support(s.a, s.f, data) < 0) {
		char what[128];
		snprintf(what, sizeof(what), "%s content (libarchive here cannot read it)", s.format);
		unpack_report_limit(ctx, path, UNPACK_LIMIT_METHOD, what);
		goto done;
	}
	if (s.f == UNPACK_7Z) {
		uint64_t m = sz_coder_memory_max(data, len);
		if (m > SZ_MEMORY_MAX) {
			char what[200], hb[32];
			snprintf(what, sizeof(what), "7z coder asking for %s of dictionary or model memory "
			         "(7-Zip itself writes at most 1.5 GiB)", util_human_bytes(m, hb, sizeof(hb)));
			unpack_report_limit(ctx, path, UNPACK_LIMIT_DECODER, what);
			goto done;
		}
	}
	if (s.f == UNPACK_CPIO || s.f == UNPACK_ISO9660) {
		char err[160];
		if (s.f == UNPACK_CPIO ? cpio_walk(data, len, ctx->limits->archive_members, err,
		                                   sizeof(err)) < 0
		                       : iso_check_volumes(data, len, err, sizeof(err)) < 0) {
			unpack_report_corrupt(ctx, path, s.format, "%s", err);
			goto done;
		}
	}
	if (s.f == UNPACK_RAR && data[6] == 1) {
		rar5_walk(&s, data, len);
		if (s.rar5_names_encrypted) {
			la_report_encrypted_names(&s);
			goto done;
		}
	}
	if (archive_read_open_memory(s.a, data, len) != ARCHIVE_OK) {
		la_report_failure(&s, path);
		goto done;
	}
	for (;;) {
		int r = archive_read_next_header(s.a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (++members > ctx->limits->archive_members) {
			char what[96];
			snprintf(what, sizeof(what), "%s archive has too many members", s.format);
			unpack_report_limit(ctx, path, UNPACK_LIMIT_MEMBERS, what);
			break;
		}
		if (e && archive_entry_is_metadata_encrypted(e)) {
			la_report_encrypted_names(&s);
			break;
		}
		if (r < ARCHIVE_WARN || r == ARCHIVE_RETRY) {
			la_report_failure(&s, path);
			if (r == ARCHIVE_FATAL)
				break;
			continue;
		}
		char *name = la_entry_name(&s, e);
		char *mpath = unpack_member_path(path, name, strlen(name));
		enum la_result res = LA_NEXT;
		if (archive_entry_is_data_encrypted(e) || rar5_is_encrypted(&s, files++, name))
			unpack_report_encrypted(ctx, mpath, name, la_encryption_name(s.f));
		else if (archive_entry_filetype(e) == AE_IFREG || archive_entry_filetype(e) == 0)
			/* regular files, and ar's members (whose mode has no file type) */
			res = la_read_member(&s, e, mpath);
		free(name);
		free(mpath);
		if (res == LA_ERROR)
			rc = -1;
		if (res != LA_NEXT)
			break;
	}
done:
	archive_read_free(s.a);
	free(s.rar5);
	if (s.utf8) {
		uselocale(s.caller);
		freelocale(s.utf8);
	}
	return rc;
}
