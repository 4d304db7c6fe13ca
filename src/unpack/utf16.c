/*
 * utf16: the text-encoding layer. UTF-16LE/BE (with a BOM, or without one when every
 * other byte of the first KiB is zero around ASCII text) and UTF-32LE/BE (with a BOM)
 * are transcoded to UTF-8 and scanned as "<path>!utf-16le" etc. instead of the raw bytes.
 * Our own transcoder, not iconv: hostile input must only be replaced (U+FFFD) and counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "unpack/unpack.h"
#include "unpack/unpack_int.h"

/* Bytes looked at to recognise BOM-less UTF-16. */
#define SNIFF_BYTES 1024
/* BOM-less UTF-16 needs at least this many characters, this share of them ASCII text. */
#define SNIFF_MIN_CHARS 4
#define SNIFF_TEXT_PERCENT 90

static const char *const enc_names[] = {
	[UNPACK_TEXT_UTF8] = "utf-8",        [UNPACK_TEXT_UTF16LE] = "utf-16le",
	[UNPACK_TEXT_UTF16BE] = "utf-16be", [UNPACK_TEXT_UTF32LE] = "utf-32le",
	[UNPACK_TEXT_UTF32BE] = "utf-32be",
};

static int ascii_text(unsigned c)
{
	return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f);
}

/* BOM-less UTF-16: in the first KiB the byte at `zero` of every pair is 0 and most others are text. */
static int sniff_nul_pattern(const unsigned char *d, size_t len, int zero)
{
	size_t n = (len < SNIFF_BYTES ? len : SNIFF_BYTES) / 2, text = 0;
	if (n < SNIFF_MIN_CHARS)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (d[2 * i + zero])
			return 0;
		text += ascii_text(d[2 * i + !zero]);
	}
	return text * 100 >= n * SNIFF_TEXT_PERCENT;
}

enum unpack_text unpack_text_sniff(const unsigned char *d, size_t len, size_t *bom)
{
	*bom = 0;
	if (len >= 4 && !memcmp(d, "\xff\xfe\0\0", 4)) {
		*bom = 4;
		return UNPACK_TEXT_UTF32LE;
	}
	if (len >= 4 && !memcmp(d, "\0\0\xfe\xff", 4)) {
		*bom = 4;
		return UNPACK_TEXT_UTF32BE;
	}
	if (len >= 2 && d[0] == 0xff && d[1] == 0xfe) {
		*bom = 2;
		return UNPACK_TEXT_UTF16LE;
	}
	if (len >= 2 && d[0] == 0xfe && d[1] == 0xff) {
		*bom = 2;
		return UNPACK_TEXT_UTF16BE;
	}
	if (len >= 2 && d[1] == 0 && sniff_nul_pattern(d, len, 1))
		return UNPACK_TEXT_UTF16LE;
	if (len >= 2 && d[0] == 0 && sniff_nul_pattern(d, len, 0))
		return UNPACK_TEXT_UTF16BE;
	return UNPACK_TEXT_UTF8;
}

static size_t put_utf8(unsigned char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xc0 | c >> 6);
		o[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xe0 | c >> 12);
		o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | c >> 18);
	o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

struct transcode {
	unsigned char *out;
	size_t len;
	size_t replaced; /* lone surrogates and code points out of range, each now U+FFFD */
	size_t trailing; /* bytes of a truncated last unit (odd length), also U+FFFD */
};

/* Transcodes to UTF-8 into t->out (at most 3 bytes per 2 in; 4 per 4; 3 for a truncated unit). */
static void transcode(enum unpack_text enc, const unsigned char *d, size_t n, struct transcode *t)
{
	int be = enc == UNPACK_TEXT_UTF16BE || enc == UNPACK_TEXT_UTF32BE;
	size_t unit = enc == UNPACK_TEXT_UTF32LE || enc == UNPACK_TEXT_UTF32BE ? 4 : 2, i = 0;
	t->out = xmalloc(n / 2 * 3 + 4); /* + U+FFFD for a truncated last unit, + NUL */
	t->len = t->replaced = 0;
	while (i + unit <= n) {
		const unsigned char *p = d + i;
		uint32_t c;
		i += unit;
		if (unit == 4) {
			c = be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
			       : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
			if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
				c = 0xfffd;
				t->replaced++;
			}
		} else {
			c = be ? (uint32_t)(p[0] << 8 | p[1]) : (uint32_t)(p[1] << 8 | p[0]);
			if (c >= 0xd800 && c <= 0xdbff && i + 2 <= n) {
				uint32_t lo = be ? (uint32_t)(d[i] << 8 | d[i + 1]) : (uint32_t)(d[i + 1] << 8 | d[i]);
				if (lo >= 0xdc00 && lo <= 0xdfff) {
					c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
					i += 2;
				}
			}
			if (c >= 0xd800 && c <= 0xdfff) {
				c = 0xfffd;
				t->replaced++;
			}
		}
		t->len += put_utf8(t->out + t->len, c);
	}
	t->trailing = n - i;
	if (t->trailing)
		t->len += put_utf8(t->out + t->len, 0xfffd);
}

/* An informational finding naming what could not be transcoded (the text is scanned anyway). */
static void report_invalid(struct scan_ctx *ctx, const char *path, enum unpack_text enc,
                           const struct transcode *t)
{
	char replaced[96] = "";
	if (t->replaced)
		snprintf(replaced, sizeof(replaced), "%zu invalid code unit%s (lone surrogates or values "
		         "out of range)", t->replaced, t->replaced == 1 ? "" : "s");
	char *msg = xasprintf("%s text with %s%s%s: scanned with U+FFFD in %s place.", enc_names[enc],
	                      replaced, t->replaced && t->trailing ? " and " : "",
	                      t->trailing ? "a truncated last character (odd length)" : "",
	                      t->replaced + (t->trailing != 0) == 1 ? "its" : "their");
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "encoding", enc_names[enc]);
	cJSON_AddNumberToObject(d, "replaced", (double)t->replaced);
	cJSON_AddNumberToObject(d, "trailing_bytes", (double)t->trailing);
	finding_list_add(ctx->out, "text-encoding", SG_SEV_INFO, path, msg, d);
	free(msg);
}

int unpack_utf16(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                 unsigned depth)
{
	size_t bom;
	enum unpack_text enc = unpack_text_sniff(data, len, &bom);
	struct transcode t = {0};
	char *inner = NULL;
	int rc = 0;
	if (enc == UNPACK_TEXT_UTF8)
		return 0;
	inner = unpack_member_path(path, enc_names[enc], strlen(enc_names[enc]));
	if (depth >= ctx->limits->archive_depth) {
		char what[96];
		snprintf(what, sizeof(what), "%s text nested %u levels deep, not transcoded",
		         enc_names[enc], depth);
		unpack_report_limit(ctx, inner, UNPACK_LIMIT_DEPTH, what);
		goto done;
	}
	/* what the text becomes (at most 1.5x) is charged like unpacked bytes */
	uint64_t most = (uint64_t)(len - bom) / 2 * 3;
	enum unpack_limit l = unpack_budget_check(ctx->limits, ctx->inflated, ctx->held, most, most);
	if (l != UNPACK_OK) {
		unpack_report_limit(ctx, inner, l, "text transcoded from UTF-16/UTF-32 is too large");
		goto done;
	}
	transcode(enc, data + bom, len - bom, &t);
	ctx->inflated += t.len;
	ctx->held += t.len;
	if (t.replaced || t.trailing)
		report_invalid(ctx, inner, enc, &t);
	t.out[t.len] = '\0';
	rc = scan_emit(ctx, inner, t.out, t.len, depth + 1);
done:
	free(t.out);
	free(inner);
	return rc;
}
