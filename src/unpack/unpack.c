/*
 * unpack: the table of layers (a sniffer and an opener each, tried in order) and
 * what every layer shares: the budget arithmetic, the archive-limit /
 * archive-corrupt / archive-encrypted findings, member paths and member
 * buffers. Adding a layer is one file and one table entry (7z, RAR, cpio, ISO
 * 9660, ar, lz4, lzip and .Z are one: libarchive.c). Nothing is ever written
 * to disk: member names are display strings only.
 */
#include "unpack/unpack.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "unpack/lfs.h"
#include "unpack/unpack_int.h"

/* At most this many archive-corrupt / archive-encrypted findings per top-level blob and severity. */
#define UNPACK_MAX_SIMILAR 16
/* How far back in the finding list repeats are looked for. */
#define UNPACK_LOOKBACK 4096

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

const char *unpack_limit_key(enum unpack_limit l)
{
	switch (l) {
	case UNPACK_LIMIT_DEPTH: return "archive_depth";
	case UNPACK_LIMIT_BYTES: return "archive_bytes";
	case UNPACK_LIMIT_MEMBER: return "member_bytes";
	case UNPACK_LIMIT_MEMBERS: return "archive_members";
	case UNPACK_LIMIT_RATIO: return "archive_ratio";
	case UNPACK_LIMIT_METHOD: return "compression_method";
	case UNPACK_LIMIT_DECODER: return "decoder_memory";
	case UNPACK_LIMIT_INFLATED: return "inflated_bytes";
	case UNPACK_OK: break;
	}
	return "none";
}

uint64_t unpack_limit_value(const struct scan_limits *l, enum unpack_limit k)
{
	switch (k) {
	case UNPACK_LIMIT_INFLATED: return l->inflated_bytes;
	case UNPACK_LIMIT_DEPTH: return l->archive_depth;
	case UNPACK_LIMIT_BYTES: return l->archive_bytes;
	case UNPACK_LIMIT_MEMBER: return l->member_bytes;
	case UNPACK_LIMIT_MEMBERS: return l->archive_members;
	case UNPACK_LIMIT_RATIO: return l->archive_ratio;
	default: return 0;
	}
}

int unpack_ratio_exceeded(const struct scan_limits *l, uint64_t out, uint64_t in)
{
	if (!l->archive_ratio || out <= UNPACK_RATIO_FLOOR)
		return 0;
	if (in > UINT64_MAX / l->archive_ratio)
		return 0;
	return out > in * l->archive_ratio;
}

enum unpack_limit unpack_budget_check(const struct scan_limits *l, uint64_t inflated,
                                      uint64_t held, uint64_t member_in, uint64_t size)
{
	if (unpack_ratio_exceeded(l, size, member_in))
		return UNPACK_LIMIT_RATIO;
	if (sat_add(inflated, size) > l->inflated_bytes)
		return UNPACK_LIMIT_INFLATED;
	if (size > l->member_bytes)
		return UNPACK_LIMIT_MEMBER;
	if (sat_add(held, size) > l->archive_bytes)
		return UNPACK_LIMIT_BYTES;
	return UNPACK_OK;
}

/* Counts earlier findings of this blob with `rule` (and `key`=`value` if key); returns the last. */
static struct finding *find_similar(struct scan_ctx *ctx, const char *rule, const char *key,
                                    const char *value, int sev, size_t *count)
{
	struct finding_list *o = ctx->out;
	struct finding *last = NULL;
	size_t i = o->n, stop = ctx->blob_first;
	if (i > UNPACK_LOOKBACK && i - UNPACK_LOOKBACK > stop)
		stop = i - UNPACK_LOOKBACK;
	*count = 0;
	while (i > stop) {
		struct finding *f = &o->v[--i];
		if (strcmp(f->rule, rule) || (sev >= 0 && (int)f->severity != sev))
			continue;
		if (key) {
			cJSON *v = cJSON_GetObjectItemCaseSensitive(f->details, key);
			if (!cJSON_IsString(v) || strcmp(v->valuestring, value))
				continue;
		}
		if (!last)
			last = f;
		(*count)++;
	}
	return last;
}

static void bump_occurrences(struct finding *f)
{
	cJSON *n = cJSON_GetObjectItemCaseSensitive(f->details, "occurrences");
	if (cJSON_IsNumber(n))
		cJSON_SetNumberValue(n, n->valuedouble + 1);
	else
		cJSON_AddNumberToObject(f->details, "occurrences", 2);
}

void unpack_report_limit(struct scan_ctx *ctx, const char *path, enum unpack_limit l,
                         const char *what)
{
	const char *key = unpack_limit_key(l);
	size_t count;
	struct finding *prev = find_similar(ctx, "archive-limit", "limit", key, -1, &count);
	if (prev) {
		bump_occurrences(prev);
		return;
	}
	char *msg, hb[32];
	uint64_t v = unpack_limit_value(ctx->limits, l);
	switch (l) {
	case UNPACK_LIMIT_METHOD:
	case UNPACK_LIMIT_DECODER:
		msg = xasprintf("%s: it cannot be examined, so it is not accepted. Repack it with a "
		                "common method (deflate, gzip, xz) or allow this blob after review.",
		                what);
		break;
	default:
		if (l == UNPACK_LIMIT_BYTES || l == UNPACK_LIMIT_MEMBER || l == UNPACK_LIMIT_INFLATED)
			util_human_bytes(v, hb, sizeof(hb));
		else
			snprintf(hb, sizeof(hb), "%llu%s", (unsigned long long)v,
			         l == UNPACK_LIMIT_RATIO ? ":1" : "");
		msg = xasprintf("%s: over the %s limit (%s), so it was not fully examined and is not "
		                "accepted. If the archive is legitimate, raise \"limits\": {\"%s\": ...} "
		                "in .stateguard.json.",
		                what, key, hb, key);
		break;
	}
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "limit", key);
	if (l != UNPACK_LIMIT_METHOD && l != UNPACK_LIMIT_DECODER)
		cJSON_AddNumberToObject(d, "value", (double)v);
	finding_list_add(ctx->out, "archive-limit", SG_SEV_BLOCK, path, msg, d);
	free(msg);
}

void unpack_report_corrupt(struct scan_ctx *ctx, const char *path, const char *format,
                           const char *fmt, ...)
{
	size_t count;
	struct finding *prev = find_similar(ctx, "archive-corrupt", NULL, NULL, -1, &count);
	if (prev && count >= UNPACK_MAX_SIMILAR) {
		bump_occurrences(prev);
		return;
	}
	va_list ap;
	char *what = NULL;
	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	char *msg = xasprintf("%s archive is corrupt or inconsistent (%s): its content cannot be "
	                      "proven clean, so it is not accepted.",
	                      format, what ? what : "unreadable");
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "format", format);
	cJSON_AddStringToObject(d, "problem", what ? what : "unreadable");
	finding_list_add(ctx->out, "archive-corrupt", SG_SEV_BLOCK, path, msg, d);
	free(msg);
	free(what);
}

int unpack_name_is_sensitive(const char *name)
{
	static const char *parts[] = {"tfstate", "tfplan", ".terraform/", "credentials", ".tfvars",
	                              "terraform.rc", ".terraformrc", "tfconfig/", "pulumi", NULL};
	size_t len = strlen(name);
	for (const char **p = parts; *p; p++)
		if (util_memcasemem((const unsigned char *)name, len, *p, strlen(*p)))
			return 1;
	const char *base = util_basename(name);
	return !strcasecmp(base, "plan") || !strcasecmp(base, "planout") ||
	       util_ends_with(base, ".plan") || !strncmp(name, ".terraform", 10);
}

void unpack_report_encrypted(struct scan_ctx *ctx, const char *member_path, const char *name,
                             const char *how)
{
	int sensitive = unpack_name_is_sensitive(name);
	enum sg_severity sev = sensitive ? SG_SEV_BLOCK : SG_SEV_WARN;
	size_t count;
	struct finding *prev = find_similar(ctx, "archive-encrypted", NULL, NULL, (int)sev, &count);
	if (prev && count >= UNPACK_MAX_SIMILAR) {
		bump_occurrences(prev);
		return;
	}
	char *msg = xasprintf(
	    sensitive ? "encrypted archive member (%s) whose name looks like state, a plan, "
	                ".terraform/ or credentials: its content cannot be examined. Do not commit "
	                "it, even encrypted; keep state in a remote backend."
	              : "encrypted archive member (%s): its content cannot be examined.",
	    how);
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "encryption", how);
	cJSON_AddBoolToObject(d, "sensitive_name", sensitive);
	finding_list_add(ctx->out, "archive-encrypted", sev, member_path, msg, d);
	free(msg);
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t k;
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) || (c == 0xf0 && p[1] < 0x90) ||
	    (c == 0xf4 && p[1] > 0x8f))
		return 0;
	return k;
}

char *unpack_member_path(const char *parent, const char *name, size_t name_len)
{
	size_t plen = strlen(parent), cap = plen + 2 + name_len * 4 + 1, o;
	char *s = xmalloc(cap);
	memcpy(s, parent, plen);
	s[plen] = '!';
	o = plen + 1;
	const unsigned char *p = (const unsigned char *)name;
	for (size_t i = 0; i < name_len;) {
		size_t k = utf8_len(p + i, name_len - i);
		if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))
			k = 0;
		if (k) {
			memcpy(s + o, p + i, k);
			o += k;
			i += k;
		} else {
			o += (size_t)snprintf(s + o, cap - o, "\\x%02x", p[i]);
			i++;
		}
	}
	s[o] = '\0';
	return s;
}

void membuf_append(struct membuf *b, const unsigned char *p, size_t n)
{
	if (!n)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + n)
			cap = cap > SIZE_MAX / 2 ? b->len + n : cap * 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void membuf_reserve(struct membuf *b, size_t n)
{
	if (n > b->cap) {
		b->data = xrealloc(b->data, n);
		b->cap = n;
	}
}

size_t unpack_line_at(struct unpack_lines *l, size_t off)
{
	const unsigned char *p = l->d + l->off, *e = l->d + off;
	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		l->line++;
		p++;
	}
	l->off = off;
	return l->line;
}

void membuf_start(struct membuf *b, uint64_t declared)
{
	membuf_reserve(b, declared < MEMBUF_PREALLOC_MAX ? (size_t)declared + 1 : MEMBUF_PREALLOC_MAX);
}

unsigned char *membuf_room(struct membuf *b, uint64_t most, size_t *room)
{
	if (b->len == b->cap)
		membuf_reserve(b, b->cap ? b->cap * 2 : 65536);
	size_t r = b->cap - b->len;
	*room = r > most ? (size_t)most : r;
	return b->data + b->len;
}

void membuf_free(struct membuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

const char *unpack_format_name(enum unpack_format f)
{
	switch (f) {
	case UNPACK_ZIP: return "zip";
	case UNPACK_TAR: return "tar";
	case UNPACK_GZIP: return "gzip";
	case UNPACK_XZ: return "xz";
	case UNPACK_BZIP2: return "bzip2";
	case UNPACK_ZSTD: return "zstd";
	case UNPACK_ZIP_LZMA: return "zip LZMA";
	case UNPACK_7Z: return "7z";
	case UNPACK_RAR: return "RAR";
	case UNPACK_CPIO: return "cpio";
	case UNPACK_LZ4: return "lz4";
	case UNPACK_LZIP: return "lzip";
	case UNPACK_COMPRESS: return "compress (.Z)";
	case UNPACK_LFS: return "Git LFS pointer";
	case UNPACK_UTF16: return "UTF-16/32 text";
	case UNPACK_ISO9660: return "ISO 9660";
	case UNPACK_AR: return "ar";
	case UNPACK_NONE: break;
	}
	return "data";
}


/* ---- sniffers: each looks at a few bytes; the table below tries them in order ---- */

/* n ASCII digits of `base` (8 or 16) at d. */
static int all_digits(const unsigned char *d, size_t n, int base)
{
	for (size_t i = 0; i < n; i++)
		if (base == 8 ? !(d[i] >= '0' && d[i] <= '7') : !isxdigit(d[i]))
			return 0;
	return 1;
}

/* A binary cpio header (old "bin" format, either byte order): a 26-byte header whose
 * name fits the data, ends with its only NUL and whose mode has a file type. */
static int sniff_cpio_bin(const unsigned char *d, size_t len)
{
	if (len < 28 || !((d[0] == 0xc7 && d[1] == 0x71) || (d[0] == 0x71 && d[1] == 0xc7)))
		return 0;
	int le = d[0] == 0xc7;
	unsigned mode = le ? (unsigned)(d[6] | d[7] << 8) : (unsigned)(d[6] << 8 | d[7]);
	size_t nsize = le ? (size_t)(d[20] | d[21] << 8) : (size_t)(d[20] << 8 | d[21]);
	unsigned type = mode & 0170000;
	if (nsize < 2 || nsize > len - 26 || d[26 + nsize - 1] != 0 ||
	    memchr(d + 26, 0, nsize - 1) != NULL)
		return 0;
	return type == 0100000 || type == 0040000 || type == 0120000 || type == 0020000 ||
	       type == 0060000 || type == 0010000 || type == 0140000 ||
	       (mode == 0 && nsize == 11 && !memcmp(d + 26, "TRAILER!!!", 10));
}

static int sniff_zip_head(const unsigned char *d, size_t len)
{
	return len >= 4 && d[0] == 'P' && d[1] == 'K' &&
	       ((d[2] == 3 && d[3] == 4) || (d[2] == 5 && d[3] == 6) || (d[2] == 7 && d[3] == 8));
}

/* A zip behind a prefix (a self-extracting script): found by its end record. Tried last. */
static int sniff_zip_tail(const unsigned char *d, size_t len)
{
	return len >= 22 && zip_find_eocd(d, len) >= 0;
}

static int sniff_gzip(const unsigned char *d, size_t len)
{
	return len >= 3 && d[0] == 0x1f && d[1] == 0x8b && d[2] == 8;
}

static int sniff_xz(const unsigned char *d, size_t len)
{
	return len >= 6 && !memcmp(d, "\xfd" "7zXZ\0", 6);
}

static int sniff_bzip2(const unsigned char *d, size_t len)
{
	return len >= 10 && !memcmp(d, "BZh", 3) && d[3] >= '1' && d[3] <= '9' &&
	       (!memcmp(d + 4, "\x31\x41\x59\x26\x53\x59", 6) ||
	        !memcmp(d + 4, "\x17\x72\x45\x38\x50\x90", 6));
}

static int sniff_zstd(const unsigned char *d, size_t len)
{
	return len >= 4 && !memcmp(d, "\x28\xb5\x2f\xfd", 4);
}

static int sniff_tar(const unsigned char *d, size_t len)
{
	return len >= 512 && !memcmp(d + 257, "ustar", 5);
}

static int sniff_7z(const unsigned char *d, size_t len)
{
	return len >= 6 && !memcmp(d, "7z\xbc\xaf\x27\x1c", 6);
}

static int sniff_rar(const unsigned char *d, size_t len)
{
	return len >= 7 && !memcmp(d, "Rar!\x1a\x07", 6) && (d[6] == 0 || d[6] == 1);
}

/* cpio by its whole ASCII header, so that text starting with "0707" is not taken for one. */
static int sniff_cpio(const unsigned char *d, size_t len)
{
	if (len >= 110 && (!memcmp(d, "070701", 6) || !memcmp(d, "070702", 6)) &&
	    all_digits(d + 6, 104, 16))
		return 1;
	if (len >= 76 && !memcmp(d, "070707", 6) && all_digits(d + 6, 70, 8))
		return 1;
	return sniff_cpio_bin(d, len);
}

static int sniff_lz4(const unsigned char *d, size_t len)
{
	return len >= 7 && !memcmp(d, "\x04\x22\x4d\x18", 4);
}

static int sniff_lzip(const unsigned char *d, size_t len)
{
	return len >= 6 && !memcmp(d, "LZIP", 4) && d[4] == 1;
}

static int sniff_compress(const unsigned char *d, size_t len)
{
	return len >= 3 && d[0] == 0x1f && d[1] == 0x9d && (d[2] & 0x1f) >= 9 &&
	       (d[2] & 0x1f) <= 16 && !(d[2] & 0x60);
}

static int sniff_ar(const unsigned char *d, size_t len)
{
	return len >= 8 && !memcmp(d, "!<arch>\n", 8);
}

static int sniff_iso9660(const unsigned char *d, size_t len)
{
	return len >= 0x8000 + 2048 && !memcmp(d + 0x8001, "CD001", 5) && d[0x8006] == 1;
}

/* ---- openers ---- */

/* The name a decompressed single stream gets: the base name without its compression suffix. */
char *unpack_stream_member_name(const char *path, enum unpack_format f)
{
	static const char *sfx[][2] = {{".tgz", ".tar"}, {".taz", ".tar"}, {".gz", ""},
	                               {".txz", ".tar"}, {".xz", ""},     {".tbz2", ".tar"},
	                               {".tbz", ".tar"}, {".bz2", ""},    {".tzst", ".tar"},
	                               {".zst", ""},     {".zstd", ""},   {".tlz", ".tar"},
	                               {".lz4", ""},     {".lz", ""},     {".z", ""}};
	const char *base = util_basename(path);
	size_t blen = strlen(base);
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		size_t slen = strlen(sfx[i][0]);
		if (blen > slen && !strcasecmp(base + blen - slen, sfx[i][0]))
			return xasprintf("%.*s%s", (int)(blen - slen), base, sfx[i][1]);
	}
	/* no suffix to drop (e.g. decoded by a layer, "x!base64@L3"): name the format */
	return xstrdup(unpack_format_name(f));
}

/*
 * gzip, xz, bzip2, zstd: a tar inside is read as it streams; anything else is
 * one member, read whole while it fits member_bytes and archive_bytes, and
 * beyond that judged through a window as the rest streams.
 */
static int unpack_stream(struct scan_ctx *ctx, const char *path, enum unpack_format f,
                         const unsigned char *data, size_t len, unsigned depth)
{
	struct reader r;
	struct membuf mb = {0};
	struct window w;
	unsigned char head[512], *buf = NULL;
	char *name = NULL, *mpath = NULL;
	enum unpack_limit why = UNPACK_OK;
	int rc = 0;

	if (reader_open(&r, ctx, f, data, len) < 0) {
		unpack_report_corrupt(ctx, path, unpack_format_name(f), "decoder could not start");
		return 0;
	}
	size_t h = reader_peek(&r, head, sizeof(head));
	if (h == sizeof(head) && tar_header_valid(head) && !memcmp(head + 257, "ustar", 5)) {
		rc = unpack_tar(ctx, path, &r, depth);
		goto done;
	}
	name = unpack_stream_member_name(path, f);
	mpath = unpack_member_path(path, name, strlen(name));
	buf = xmalloc(WINDOW_CHUNK);
	uint64_t total = 0;
	for (;;) {
		size_t n = reader_read(&r, buf, WINDOW_CHUNK);
		total += n;
		if (why == UNPACK_OK) {
			why = total > ctx->limits->member_bytes ? UNPACK_LIMIT_MEMBER
			      : ctx->held + total > ctx->limits->archive_bytes ? UNPACK_LIMIT_BYTES
			                                                       : UNPACK_OK;
			if (why != UNPACK_OK) { /* too big to hold: what is held goes first */
				window_open(&w, ctx);
				window_feed(&w, mb.data, mb.len);
				membuf_free(&mb);
			}
		}
		if (why == UNPACK_OK)
			membuf_append(&mb, buf, n);
		else
			window_feed(&w, buf, n);
		if (r.state != READER_OK)
			break;
	}
	if (reader_report(&r, path)) {
		if (why != UNPACK_OK)
			window_discard(&w);
		goto done;
	}
	if (why != UNPACK_OK) {
		window_close(&w, ctx, mpath, why);
		goto done;
	}
	ctx->held += mb.len;
	rc = scan_emit(ctx, mpath, mb.data ? mb.data : (const unsigned char *)"", mb.len, depth + 1);
done:
	reader_report(&r, path);
	reader_close(&r);
	membuf_free(&mb);
	free(buf);
	free(name);
	free(mpath);
	return rc;
}

static int open_gzip(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                     unsigned depth)
{
	return unpack_stream(ctx, path, UNPACK_GZIP, data, len, depth);
}

static int open_xz(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                   unsigned depth)
{
	return unpack_stream(ctx, path, UNPACK_XZ, data, len, depth);
}

static int open_bzip2(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                      size_t len, unsigned depth)
{
	return unpack_stream(ctx, path, UNPACK_BZIP2, data, len, depth);
}

static int open_zstd(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                     unsigned depth)
{
	return unpack_stream(ctx, path, UNPACK_ZSTD, data, len, depth);
}

static int open_tar(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                    unsigned depth)
{
	struct reader r;
	reader_open(&r, ctx, UNPACK_NONE, data, len);
	int rc = unpack_tar(ctx, path, &r, depth);
	reader_close(&r);
	return rc;
}

/* ---- the layers, tried in this order; the first whose sniffer says yes claims the content ---- */

struct unpack_layer {
	enum unpack_format format;
	int (*sniff)(const unsigned char *data, size_t len);
	unpack_open_fn open;
	/* 1: a container: nested within archive_depth, and the detectors still see its raw bytes */
	unsigned container;
};

/* UTF-16/32 text (utf16.c): scanned as the UTF-8 it transcodes to, and only so. */
static int sniff_utf16(const unsigned char *d, size_t len)
{
	size_t bom;
	return unpack_text_sniff(d, len, &bom) != UNPACK_TEXT_UTF8;
}

static int open_utf16(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                      size_t len, unsigned depth)
{
	return unpack_utf16(ctx, path, data, len, depth) < 0 ? -1 : 1;
}

/* A Git LFS pointer, exactly as git-lfs would recognise one (lfs.c); opened only at the top
 * level and only when the hook names a store: otherwise it is plain text. */
static int sniff_lfs(const unsigned char *d, size_t len)
{
	struct lfs_pointer p;
	return lfs_maybe_pointer(d, len) && lfs_pointer_parse(d, len, &p);
}

static const struct unpack_layer layers[] = {
	{UNPACK_UTF16, sniff_utf16, open_utf16, 0},
	{UNPACK_ZIP, sniff_zip_head, unpack_zip, 1},
	{UNPACK_GZIP, sniff_gzip, open_gzip, 1},
	{UNPACK_XZ, sniff_xz, open_xz, 1},
	{UNPACK_BZIP2, sniff_bzip2, open_bzip2, 1},
	{UNPACK_ZSTD, sniff_zstd, open_zstd, 1},
	{UNPACK_TAR, sniff_tar, open_tar, 1},
	{UNPACK_7Z, sniff_7z, unpack_libarchive, 1},
	{UNPACK_RAR, sniff_rar, unpack_libarchive, 1},
	{UNPACK_CPIO, sniff_cpio, unpack_libarchive, 1},
	{UNPACK_LZ4, sniff_lz4, unpack_libarchive, 1},
	{UNPACK_LZIP, sniff_lzip, unpack_libarchive, 1},
	{UNPACK_COMPRESS, sniff_compress, unpack_libarchive, 1},
	{UNPACK_AR, sniff_ar, unpack_libarchive, 1},
	{UNPACK_ISO9660, sniff_iso9660, unpack_libarchive, 1},
	{UNPACK_ZIP, sniff_zip_tail, unpack_zip, 1},
	{UNPACK_LFS, sniff_lfs, unpack_lfs, 0},
};

/* Layers found inside text rather than around it; each gates itself on cheap, sound tests. */
static const unpack_open_fn embedded[] = {unpack_base64, unpack_escaped, NULL};

const struct unpack_layer *unpack_layer_sniff(const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
		if (layers[i].sniff(data, len))
			return &layers[i];
	return NULL;
}

enum unpack_format unpack_sniff(const unsigned char *data, size_t len)
{
	const struct unpack_layer *l = unpack_layer_sniff(data, len);
	return l ? l->format : UNPACK_NONE;
}

int unpack_is_container(const unsigned char *data, size_t len)
{
	return unpack_layer_sniff(data, len) != NULL;
}

int unpack_layer_is_container(const struct unpack_layer *l)
{
	return l->container;
}

int unpack_layer_open(const struct unpack_layer *l, struct scan_ctx *ctx, const char *path,
                      const unsigned char *data, size_t len, unsigned depth)
{
	if (l->container && depth >= ctx->limits->archive_depth) {
		char what[128];
		snprintf(what, sizeof(what), "%s archive nested %u levels deep, not opened",
		         unpack_format_name(l->format), depth);
		unpack_report_limit(ctx, path, UNPACK_LIMIT_DEPTH, what);
		return 0;
	}
	return l->open(ctx, path, data, len, depth);
}

int unpack_embedded(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                    unsigned depth)
{
	int rc = 0;
	for (const unpack_open_fn *e = embedded; *e; e++)
		if ((*e)(ctx, path, data, len, depth) < 0)
			rc = -1;
	return rc;
}
