/*
 * escaped: JSON behind escapes (a JSON or C/Go string value, a pg_dump COPY field with
 * \n, \t, \\, \NNN, \xHH) is unescaped and scanned as "<path>!unescaped@L<line>". It is
 * driven by the JSON gate's keys seen through an escape (\"lineage, \n  "lineage), so
 * content without such an anchor costs one memchr for '\'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "unpack/unpack.h"
#include "unpack/unpack_int.h"

enum unit_kind {
	UNIT_NONE = 0,
	UNIT_STRING, /* \"key: the key is inside a quoted string */
	UNIT_FIELD,  /* \n  "key: an escaped line break before a plain key (a COPY field) */
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The anchor kind at the backslash d[at]. */
static enum unit_kind anchor_at(const struct scan_ctx *ctx, const unsigned char *d, size_t n,
                                size_t at)
{
	if (at + 2 < n && d[at + 1] == '"' && scan_json_key_at(ctx, d + at + 2, n - at - 2))
		return UNIT_STRING;
	if (at + 1 < n && d[at + 1] == 'n') {
		size_t j = at + 2;
		while (j < n && (d[j] == ' ' || d[j] == '\t'))
			j++;
		if (j + 1 < n && d[j] == '"' && scan_json_key_at(ctx, d + j + 1, n - j - 1))
			return UNIT_FIELD;
	}
	return UNIT_NONE;
}

/* 1 if the quote at d[q] is not escaped (an even number of backslashes before it). */
static int quote_is_real(const unsigned char *d, size_t floor, size_t q)
{
	size_t k = q, bs = 0;
	while (k > floor && d[k - 1] == '\\') {
		k--;
		bs++;
	}
	return !(bs & 1);
}

static void put_utf8(struct membuf *o, uint32_t c)
{
	unsigned char b[4];
	size_t n;
	if (c < 0x80) {
		b[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xc0 | c >> 6);
		b[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xe0 | c >> 12);
		b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | c >> 18);
		b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	membuf_append(o, b, n);
}

/* `digits` hex digits at d[i..] as a number, or -1. */
static long hex_n(const unsigned char *d, size_t n, size_t i, size_t digits)
{
	long v = 0;
	if (i + digits > n)
		return -1;
	for (size_t k = 0; k < digits; k++) {
		int h = hexval(d[i + k]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/*
 * Unescapes d[i..end) into o: JSON (\" \\ \/ \b \f \n \r \t \uXXXX with
 * surrogate pairs), C/Go (\a \v \' \? \NNN \xHH \UXXXXXXXX) and COPY escapes.
 * A STRING unit stops at its closing quote. Returns where it stopped.
 */
static size_t unescape(const unsigned char *d, size_t i, size_t end, enum unit_kind kind,
                       struct membuf *o)
{
	while (i < end) {
		const unsigned char *bs = memchr(d + i, '\\', end - i);
		size_t stop = bs ? (size_t)(bs - d) : end;
		if (kind == UNIT_STRING) {
			const unsigned char *q = memchr(d + i, '"', stop - i);
			if (q) {
				membuf_append(o, d + i, (size_t)(q - d) - i);
				return (size_t)(q - d);
			}
		}
		membuf_append(o, d + i, stop - i);
		i = stop;
		if (i >= end)
			break;
		if (i + 1 >= end) {
			membuf_append(o, d + i, 1);
			return end;
		}
		unsigned char c = d[i + 1], out;
		i += 2;
		switch (c) {
		case 'n': out = '\n'; break;
		case 't': out = '\t'; break;
		case 'r': out = '\r'; break;
		case 'b': out = '\b'; break;
		case 'f': out = '\f'; break;
		case 'v': out = '\v'; break;
		case 'a': out = '\a'; break;
		case 'u':
		case 'U': {
			long v = hex_n(d, end, i, c == 'u' ? 4 : 8);
			if (v < 0) {
				membuf_append(o, d + i - 2, 2);
				continue;
			}
			i += c == 'u' ? 4 : 8;
			if (v >= 0xd800 && v <= 0xdbff && i + 1 < end && d[i] == '\\' && d[i + 1] == 'u') {
				long lo = hex_n(d, end, i + 2, 4);
				if (lo >= 0xdc00 && lo <= 0xdfff) {
					v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
					i += 6;
				}
			}
			if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
				v = 0xfffd;
			put_utf8(o, (uint32_t)v);
			continue;
		}
		case 'x': {
			int h1 = i < end ? hexval(d[i]) : -1;
			if (h1 < 0) {
				membuf_append(o, d + i - 2, 2);
				continue;
			}
			int h2 = i + 1 < end ? hexval(d[i + 1]) : -1;
			out = (unsigned char)(h2 < 0 ? h1 : h1 << 4 | h2);
			i += h2 < 0 ? 1 : 2;
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				unsigned v = c - '0';
				for (int k = 0; k < 2 && i < end && d[i] >= '0' && d[i] <= '7'; k++)
					v = v << 3 | (unsigned)(d[i++] - '0');
				out = (unsigned char)v;
			} else {
				out = c; /* \" \\ \/ \' \? and anything unknown: the character itself */
			}
			break;
		}
		membuf_append(o, &out, 1);
	}
	return end;
}

struct esc_scan {
	struct scan_ctx *ctx;
	const char *path;
	const unsigned char *d;
	size_t n;
	unsigned depth;
	struct unpack_lines lines; /* the line of an offset, for names */
	struct membuf out;
};

/* Scans the unescaped unit that starts at `start` if it can matter. */
static int unit_scan(struct esc_scan *s, size_t start)
{
	const unsigned char *u = s->out.data;
	size_t ulen = s->out.len;
	const unsigned char *brace = ulen ? memchr(u, '{', ulen) : NULL;
	if (brace) {
		ulen -= (size_t)(brace - u);
		u = brace;
	}
	if (!ulen || !scan_may_match(s->ctx, u, ulen))
		return 0;
	char name[40];
	snprintf(name, sizeof(name), "unescaped@L%zu", unpack_line_at(&s->lines, start));
	char *inner = unpack_member_path(s->path, name, strlen(name));
	int rc = 0;
	if (s->depth >= s->ctx->limits->archive_depth) {
		char what[96];
		snprintf(what, sizeof(what), "escaped text nested %u levels deep, not unescaped",
		         s->depth);
		unpack_report_limit(s->ctx, inner, UNPACK_LIMIT_DEPTH, what);
		rc = 1;
		goto done;
	}
	enum unpack_limit l = unpack_budget_check(s->ctx->limits, s->ctx->inflated, s->ctx->held,
	                                          ulen, ulen);
	if (l != UNPACK_OK) {
		unpack_report_limit(s->ctx, inner, l, "unescaped text");
		rc = 1;
		goto done;
	}
	s->ctx->inflated += ulen;
	s->ctx->held += ulen;
	unsigned char *copy = xmalloc(ulen + 1);
	memcpy(copy, u, ulen);
	copy[ulen] = '\0';
	rc = scan_emit(s->ctx, inner, copy, ulen, s->depth + 1) < 0 ? -1 : 0;
	free(copy);
done:
	free(inner);
	return rc;
}

int unpack_escaped(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                   unsigned depth)
{
	struct esc_scan s = {.ctx = ctx, .path = path, .d = data, .n = len, .depth = depth, .lines = {data, 0, 1}};
	/* done: units end there; floor: backward searches never go below it (each byte is
	 * looked at backwards once, whatever the number of anchors) */
	size_t done = 0, floor = 0;
	int rc = 0;
	const unsigned char *p = data, *end = data + len;
	while (rc == 0 && p < end && (p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		size_t at = (size_t)(p - data);
		p++;
		if (at < done)
			continue;
		enum unit_kind kind = anchor_at(ctx, data, len, at);
		if (kind == UNIT_NONE)
			continue;
		size_t start = at, stop;
		if (kind == UNIT_STRING) {
			/* the string's opening quote, on the same line */
			size_t k = at;
			int found = 0;
			while (k > floor && data[k - 1] != '\n') {
				k--;
				if (data[k] == '"' && quote_is_real(data, floor, k)) {
					found = 1;
					break;
				}
			}
			floor = at;
			if (!found)
				continue;
			start = k + 1;
			stop = len;
		} else {
			/* the field: between real tabs or line breaks */
			while (start > floor && data[start - 1] != '\t' && data[start - 1] != '\n')
				start--;
			const unsigned char *nl = memchr(data + at, '\n', len - at);
			stop = nl ? (size_t)(nl - data) : len;
			const unsigned char *tab = memchr(data + at, '\t', stop - at);
			if (tab)
				stop = (size_t)(tab - data);
			floor = at;
		}
		s.out.len = 0;
		size_t e = unescape(data, start, stop, kind, &s.out);
		done = e + 1;
		floor = e;
		p = data + (e < len ? e + 1 : len);
		rc = unit_scan(&s, start);
	}
	membuf_free(&s.out);
	return rc < 0 ? -1 : 0;
}
