/*
 * unpack: recognises containers by their bytes and dispatches them to zip.c,
 * tar.c or a decompressing reader (gzip, xz, bzip2, zstd); owns the budget
 * arithmetic and the archive-limit / archive-corrupt / archive-encrypted
 * findings. It never writes members to disk: names are display strings only.
 */
#include "unpack/unpack.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
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
	case UNPACK_OK: break;
	}
	return "none";
}

static uint64_t limit_value(const struct scan_limits *l, enum unpack_limit k)
{
	switch (k) {
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
                                      uint64_t member_out, uint64_t member_in, uint64_t more)
{
	uint64_t m = sat_add(member_out, more);
	if (unpack_ratio_exceeded(l, m, member_in))
		return UNPACK_LIMIT_RATIO;
	if (m > l->member_bytes)
		return UNPACK_LIMIT_MEMBER;
	if (sat_add(inflated, more) > l->archive_bytes)
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
	uint64_t v = limit_value(ctx->limits, l);
	switch (l) {
	case UNPACK_LIMIT_METHOD:
	case UNPACK_LIMIT_DECODER:
		msg = xasprintf("%s: it cannot be examined, so it is not accepted. Repack it with a "
		                "common method (deflate, gzip, xz) or allow this blob after review.",
		                what);
		break;
	default:
		if (l == UNPACK_LIMIT_BYTES || l == UNPACK_LIMIT_MEMBER)
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
	case UNPACK_NONE: break;
	}
	return "data";
}

/* n ASCII digits of `base` (8 or 16) at d. */
static int all_digits(const unsigned char *d, size_t n, int base)
{
	for (size_t i = 0; i < n; i++)
		if (base == 8 ? !(d[i] >= '0' && d[i] <= '7') : !isxdigit(d[i]))
			return 0;
	return 1;
}

/* Archive and compression formats stateguard does not open, by their magic numbers (cpio
 * by its whole ASCII header, so that text starting with "0707" is not taken for one). */
static enum unpack_format sniff_unopened(const unsigned char *d, size_t len)
{
	if (len >= 6 && !memcmp(d, "7z\xbc\xaf\x27\x1c", 6))
		return UNPACK_7Z;
	if (len >= 7 && !memcmp(d, "Rar!\x1a\x07", 6) && (d[6] == 0 || d[6] == 1))
		return UNPACK_RAR;
	if (len >= 110 && (!memcmp(d, "070701", 6) || !memcmp(d, "070702", 6)) &&
	    all_digits(d + 6, 104, 16))
		return UNPACK_CPIO;
	if (len >= 76 && !memcmp(d, "070707", 6) && all_digits(d + 6, 70, 8))
		return UNPACK_CPIO;
	if (len >= 7 && !memcmp(d, "\x04\x22\x4d\x18", 4))
		return UNPACK_LZ4;
	if (len >= 6 && !memcmp(d, "LZIP", 4) && d[4] == 1)
		return UNPACK_LZIP;
	if (len >= 3 && d[0] == 0x1f && d[1] == 0x9d && (d[2] & 0x1f) >= 9 && (d[2] & 0x1f) <= 16 &&
	    !(d[2] & 0x60))
		return UNPACK_COMPRESS;
	return UNPACK_NONE;
}

enum unpack_format unpack_sniff(const unsigned char *d, size_t len)
{
	if (len >= 4 && d[0] == 'P' && d[1] == 'K' &&
	    ((d[2] == 3 && d[3] == 4) || (d[2] == 5 && d[3] == 6) || (d[2] == 7 && d[3] == 8)))
		return UNPACK_ZIP;
	if (len >= 3 && d[0] == 0x1f && d[1] == 0x8b && d[2] == 8)
		return UNPACK_GZIP;
	if (len >= 6 && !memcmp(d, "\xfd" "7zXZ\0", 6))
		return UNPACK_XZ;
	if (len >= 10 && !memcmp(d, "BZh", 3) && d[3] >= '1' && d[3] <= '9' &&
	    (!memcmp(d + 4, "\x31\x41\x59\x26\x53\x59", 6) || !memcmp(d + 4, "\x17\x72\x45\x38\x50\x90", 6)))
		return UNPACK_BZIP2;
	if (len >= 4 && !memcmp(d, "\x28\xb5\x2f\xfd", 4))
		return UNPACK_ZSTD;
	if (len >= 512 && !memcmp(d + 257, "ustar", 5))
		return UNPACK_TAR;
	enum unpack_format f = sniff_unopened(d, len);
	if (f != UNPACK_NONE)
		return f;
	if (len >= 22 && zip_find_eocd(d, len) >= 0)
		return UNPACK_ZIP;
	return UNPACK_NONE;
}

int unpack_is_container(const unsigned char *data, size_t len)
{
	return unpack_sniff(data, len) != UNPACK_NONE;
}

/* The name a decompressed single stream gets: the base name without its compression suffix. */
static char *stream_member_name(const char *path, enum unpack_format f)
{
	static const char *sfx[][2] = {{".tgz", ".tar"}, {".taz", ".tar"}, {".gz", ""},
	                               {".txz", ".tar"}, {".xz", ""},     {".tbz2", ".tar"},
	                               {".tbz", ".tar"}, {".bz2", ""},    {".tzst", ".tar"},
	                               {".zst", ""},     {".zstd", ""}};
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

/* gzip, xz, bzip2, zstd: a tar inside is read as it streams; anything else is one member. */
static int unpack_stream(struct scan_ctx *ctx, const char *path, enum unpack_format f,
                         const unsigned char *data, size_t len, unsigned depth)
{
	struct reader r;
	struct membuf mb = {0};
	unsigned char head[512];
	char *name = NULL, *mpath = NULL;
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
	unsigned char buf[65536];
	for (;;) {
		size_t want = sizeof(buf);
		uint64_t room = ctx->limits->member_bytes - (uint64_t)mb.len;
		if (room < want)
			want = (size_t)room + 1;
		size_t n = reader_read(&r, buf, want);
		if (n > room) {
			name = stream_member_name(path, f);
			mpath = unpack_member_path(path, name, strlen(name));
			unpack_report_limit(ctx, mpath, UNPACK_LIMIT_MEMBER, "decompressed content is too large");
			goto done;
		}
		membuf_append(&mb, buf, n);
		if (r.state != READER_OK)
			break;
	}
	if (reader_report(&r, path))
		goto done;
	name = stream_member_name(path, f);
	mpath = unpack_member_path(path, name, strlen(name));
	rc = pipeline_scan_member(ctx, mpath, mb.data ? mb.data : (const unsigned char *)"", mb.len,
	                          depth + 1);
done:
	reader_report(&r, path);
	reader_close(&r);
	membuf_free(&mb);
	free(name);
	free(mpath);
	return rc;
}

int unpack_container(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                     unsigned depth)
{
	enum unpack_format f = unpack_sniff(data, len);
	if (f == UNPACK_NONE)
		return 0;
	if (depth >= ctx->limits->archive_depth) {
		char what[128];
		snprintf(what, sizeof(what), "%s archive nested %u levels deep, not opened",
		         unpack_format_name(f), depth);
		unpack_report_limit(ctx, path, UNPACK_LIMIT_DEPTH, what);
		return 0;
	}
	switch (f) {
	case UNPACK_7Z:
	case UNPACK_RAR:
	case UNPACK_CPIO:
	case UNPACK_LZ4:
	case UNPACK_LZIP:
	case UNPACK_COMPRESS: {
		char what[128];
		int archive = f == UNPACK_7Z || f == UNPACK_RAR || f == UNPACK_CPIO;
		snprintf(what, sizeof(what), "%s %s (a format stateguard does not open)",
		         unpack_format_name(f), archive ? "archive" : "compressed file");
		unpack_report_limit(ctx, path, UNPACK_LIMIT_METHOD, what);
		return 0;
	}
	case UNPACK_ZIP:
		return unpack_zip(ctx, path, data, len, depth);
	case UNPACK_TAR: {
		struct reader r;
		reader_open(&r, ctx, UNPACK_NONE, data, len);
		int rc = unpack_tar(ctx, path, &r, depth);
		reader_close(&r);
		return rc;
	}
	default:
		return unpack_stream(ctx, path, f, data, len, depth);
	}
}
