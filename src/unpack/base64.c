/*
 * base64: every run of base64 (either alphabet, padded or not, on one line or wrapped:
 * PEM/MIME columns, YAML block scalars, JSON strings) long enough to hold a credential is
 * decoded; what can matter (a container, what the detectors' prefilter lets through, more
 * base64) is scanned as "<path>!base64@L<line>". Our own decoder: lenient, never failing.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "unpack/unpack.h"
#include "unpack/unpack_int.h"

#ifdef __x86_64__
#include <immintrin.h>
#endif

/* The shortest run decoded: 27 characters hold 20 bytes, an AWS access key id. */
#define B64_MIN 27
/* Wrapped runs: lines of this many characters (a multiple of 4; PEM 64, MIME 76). */
#define B64_WRAP_MIN 48
#define B64_WRAP_MAX 128
/* A short one-line value is scanned with the key it was assigned to ("KEY: value"). */
#define B64_KEYED_MAX 256
#define B64_KEY_MAX 128
/* Decoded values up to this size are gated in batches of about B64_BATCH_BYTES. */
#define B64_BATCH_ITEM 4096
#define B64_BATCH_BYTES (1u << 20)

/* 0..63 for both alphabets ('+' and '-' are 62, '/' and '_' 63); -1 otherwise */
static signed char b64_value[256];
/* 1 for what a run may hold when looking for runs: the alphabets and '\' ("\/" in JSON) */
static unsigned char b64_class[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/*
 * Finding runs: 64 bytes at a time, first a cheap mask of bytes never in a run
 * (portable: space, newline, quote, comma, dot; with AVX2 the exact class by
 * nibble lookup is as cheap), and only where 27 bytes go without one, the exact
 * class mask. `chain` keeps the bits that start 27 set bits in a row; runs
 * across blocks are carried in `run`.
 */
static inline uint64_t chain(uint64_t m)
{
	uint64_t r = m & m >> 1;
	r &= r >> 2;
	r &= r >> 4;
	r &= r >> 8;
	return r & r >> (B64_MIN - 16);
}

/* Where a run of B64_MIN starts given mask m at p and `run` set bytes before it; 0 if none. */
static inline int run_at(uint64_t m, size_t run, size_t p, size_t *at)
{
	size_t lead = m == ~0ull ? 64 : (size_t)__builtin_ctzll(~m);
	uint64_t r;
	if (run + lead >= B64_MIN) {
		*at = p - run;
		return 1;
	}
	if ((r = chain(m)) != 0) {
		*at = p + (size_t)__builtin_ctzll(r);
		return 1;
	}
	return 0;
}

static inline size_t trailing_run(uint64_t m, size_t run)
{
	return m == ~0ull ? run + 64 : (size_t)__builtin_clzll(~m);
}

static uint64_t table_mask(const unsigned char *d)
{
	uint64_t m = 0;
	for (size_t i = 0; i < 64; i++)
		m |= (uint64_t)b64_class[d[i]] << i;
	return m;
}

static uint64_t table_seps(const unsigned char *d)
{
	uint64_t m = 0;
	for (size_t i = 0; i < 64; i++)
		m |= (uint64_t)(d[i] == ' ' || d[i] == '\n' || d[i] == '"' || d[i] == ',' || d[i] == '.') << i;
	return m;
}

/* The start of the first run of B64_MIN class bytes at or after p (d[p - 1] is not in
 * one), or n. */
#define FIND_RUN(name, attr, seps, mask)                                                       \
	attr static size_t name(const unsigned char *d, size_t n, size_t p)                        \
	{                                                                                          \
		size_t run = 0, at; /* bytes before p that may be in the class (may over-count) */     \
		unsigned char pad[64];                                                                 \
		while (p < n) {                                                                        \
			const unsigned char *b = d + p;                                                    \
			size_t avail = n - p;                                                              \
			if (avail < 64) {                                                                  \
				memset(pad, 0, sizeof(pad));                                                   \
				memcpy(pad, b, avail);                                                         \
				b = pad;                                                                       \
			}                                                                                  \
			uint64_t maybe = ~seps(b);                                                         \
			if (run_at(maybe, run, p, &at)) {                                                  \
				size_t exact = 0;                                                              \
				while (exact < run && b64_class[d[p - 1 - exact]])                             \
					exact++;                                                                   \
				uint64_t m = mask(b);                                                          \
				if (run_at(m, exact, p, &at))                                                  \
					return at < n ? at : n;                                                    \
				run = trailing_run(m, exact);                                                  \
			} else {                                                                           \
				run = trailing_run(maybe, run);                                                \
			}                                                                                  \
			p += avail < 64 ? avail : 64;                                                      \
		}                                                                                      \
		return n;                                                                              \
	}

FIND_RUN(find_run_table, , table_seps, table_mask)

#ifdef __x86_64__
#define AVX2 __attribute__((target("avx2")))
/*
 * The class by nibble lookup: a byte is in it when the bits its low nibble allows
 * meet the bits its high nibble allows: 0x2 row: + - / (bit 0); 0x3: digits (1);
 * 0x4 and 0x6: letters after @ and ` (2); 0x5: P-Z \ _ (3); 0x7: p-z (4).
 */
AVX2 static inline uint64_t avx2_mask(const unsigned char *d)
{
	const __m256i lo_bits = _mm256_setr_epi8(
	    0x1a, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1c, 0x05, 0x0c, 0x05, 0x04, 0x0d,
	    0x1a, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1c, 0x05, 0x0c, 0x05, 0x04, 0x0d);
	const __m256i hi_bits = _mm256_setr_epi8(
	    0, 0, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i low4 = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
	uint64_t m = 0;
	for (int k = 0; k < 2; k++) {
		__m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(d + 32 * k));
		__m256i lo = _mm256_shuffle_epi8(lo_bits, _mm256_and_si256(c, low4));
		__m256i hi = _mm256_shuffle_epi8(hi_bits, _mm256_and_si256(_mm256_srli_epi16(c, 4), low4));
		__m256i out = _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), zero);
		m |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(out) << (32 * k);
	}
	return m;
}

/* No cheaper first test than the class itself with the lookup. */
AVX2 static inline uint64_t avx2_seps(const unsigned char *d)
{
	return ~avx2_mask(d);
}

FIND_RUN(find_run_avx2, AVX2, avx2_seps, avx2_mask)
#endif

static size_t (*find_run)(const unsigned char *d, size_t n, size_t p) = find_run_table;


/* The decoder: characters are fed in spans as the run is read, bytes come out in `out`. */
struct b64_dec {
	struct membuf *out;
	uint32_t acc;
	unsigned k;   /* characters in acc */
	size_t chars; /* characters fed */
};

/* Decodes the alphabet characters from d[i] on; returns where they end. */
static size_t dec_span(struct b64_dec *b, const unsigned char *d, size_t i, size_t n)
{
	for (;;) {
		size_t lim = n - i > 65536 ? i + 65536 : n, a = i;
		size_t need = b->out->len + (lim - i) / 4 * 3 + 3;
		if (need > b->out->cap)
			membuf_reserve(b->out, need > b->out->cap * 2 ? need : b->out->cap * 2);
		unsigned char *o = b->out->data + b->out->len;
		uint32_t acc = b->acc;
		unsigned k = b->k;
		for (; i < lim; i++) {
			/* whole groups of 4 while they last, then one character at a time */
			while (k == 0 && i + 4 <= lim) {
				int v0 = b64_value[d[i]], v1 = b64_value[d[i + 1]], v2 = b64_value[d[i + 2]],
				    v3 = b64_value[d[i + 3]];
				if ((v0 | v1 | v2 | v3) < 0)
					break;
				uint32_t g = (uint32_t)v0 << 18 | (uint32_t)v1 << 12 | (uint32_t)v2 << 6 | (uint32_t)v3;
				o[0] = (unsigned char)(g >> 16);
				o[1] = (unsigned char)(g >> 8);
				o[2] = (unsigned char)g;
				o += 3;
				i += 4;
			}
			if (i >= lim)
				break;
			int v = b64_value[d[i]];
			if (v < 0)
				break;
			acc = acc << 6 | (uint32_t)v;
			if (++k == 4) {
				o[0] = (unsigned char)(acc >> 16);
				o[1] = (unsigned char)(acc >> 8);
				o[2] = (unsigned char)acc;
				o += 3;
				k = 0;
				acc = 0;
			}
		}
		b->acc = acc;
		b->k = k;
		b->out->len = (size_t)(o - b->out->data);
		b->chars += i - a;
		if (i < lim || i == n)
			return i;
	}
}

static void dec_feed_slash(struct b64_dec *b)
{
	static const unsigned char slash[] = "/";
	dec_span(b, slash, 0, 1);
}

/* The partial last group: 2 or 3 characters give 1 or 2 bytes; a lone one is dropped. */
static void dec_finish(struct b64_dec *b)
{
	unsigned char t[2];
	if (b->k == 2) {
		t[0] = (unsigned char)(b->acc >> 4);
		membuf_append(b->out, t, 1);
	} else if (b->k == 3) {
		t[0] = (unsigned char)(b->acc >> 10);
		t[1] = (unsigned char)(b->acc >> 2);
		membuf_append(b->out, t, 2);
	}
}

/* Decodes one line's part of a run (alphabet characters and "\\/") from *i; returns its length. */
static size_t seg_read(struct b64_dec *b, const unsigned char *d, size_t n, size_t *i)
{
	size_t seg = 0, k = *i;
	while (k < n) {
		size_t a = k;
		k = dec_span(b, d, k, n);
		seg += k - a;
		if (k + 1 < n && d[k] == '\\' && d[k + 1] == '/') {
			dec_feed_slash(b);
			seg++;
			k += 2;
			continue;
		}
		break;
	}
	*i = k;
	return seg;
}

/* 1 if only padding, a closing quote or comma and spaces stand between k and the line's end. */
static int line_ends(const unsigned char *d, size_t n, size_t k)
{
	while (k < n && d[k] == '=')
		k++;
	while (k < n && (d[k] == ' ' || d[k] == '\t' || d[k] == '"' || d[k] == '\'' || d[k] == ',' ||
	                 d[k] == '\r'))
		k++;
	return k == n || d[k] == '\n';
}

/* 1 if a shorter line after full ones can end a wrapped run: padded, or not a lone
 * character and not an all-lowercase word ("false", "true" after a hash are not). */
static int last_line_ok(const unsigned char *d, size_t j, size_t e, size_t seg, size_t n)
{
	if (e < n && d[e] == '=')
		return 1;
	if (seg % 4 == 1)
		return 0;
	for (size_t k = j; k < e; k++)
		if (d[k] < 'a' || d[k] > 'z')
			return 1;
	return 0;
}

/*
 * Reads and decodes the run starting at i; returns where it ends. A run is
 * wrapped when its first line is B64_WRAP_MIN..B64_WRAP_MAX characters (a
 * multiple of 4, unpadded) and the next lines, after their indentation or an
 * escaped "\n" in a string, are base64 to their end, as long as the first,
 * and the last of them no longer.
 */
static size_t run_read(const unsigned char *d, size_t n, size_t i, struct b64_dec *b)
{
	size_t seg = seg_read(b, d, n, &i), width = seg;
	for (;;) {
		if (i < n && d[i] == '=') {
			while (i < n && d[i] == '=')
				i++;
			return i;
		}
		if (seg != width || width < B64_WRAP_MIN || width > B64_WRAP_MAX || width % 4)
			return i;
		size_t j = i;
		int escaped = 0;
		if (j + 1 < n && d[j] == '\\' && (d[j + 1] == 'n' || d[j + 1] == 'r')) {
			j += d[j + 1] == 'r' && j + 3 < n && d[j + 2] == '\\' && d[j + 3] == 'n' ? 4 : 2;
			escaped = 1;
		} else {
			while (j < n && (d[j] == ' ' || d[j] == '\t' || d[j] == '"' || d[j] == '\'' ||
			                 d[j] == ',' || d[j] == '\r'))
				j++;
			if (j >= n || d[j] != '\n')
				return i;
			j++;
			while (j < n && (d[j] == ' ' || d[j] == '\t'))
				j++;
			if (j < n && (d[j] == '"' || d[j] == '\''))
				j++;
		}
		if (j >= n || b64_value[d[j]] < 0)
			return i;
		/* the next line belongs to the run only if it fits the wrapping */
		struct b64_dec keep = *b;
		size_t keep_len = b->out->len, e = j, s2 = seg_read(b, d, n, &e);
		int fits = s2 == width || (s2 < width && last_line_ok(d, j, e, s2, n));
		if (!fits || (!escaped && !line_ends(d, n, e))) {
			*b = keep;
			b->out->len = keep_len;
			return i;
		}
		i = e;
		seg = s2;
	}
}

/* The key a value at `start` is assigned to on its line ("key: ", "KEY=", "\"key\": \""). */
static size_t key_before(const unsigned char *d, size_t start, size_t *key_start)
{
	size_t k = start;
	if (k && (d[k - 1] == '"' || d[k - 1] == '\''))
		k--;
	while (k && (d[k - 1] == ' ' || d[k - 1] == '\t'))
		k--;
	if (!k || (d[k - 1] != ':' && d[k - 1] != '='))
		return 0;
	k--;
	while (k && (d[k - 1] == ' ' || d[k - 1] == '\t'))
		k--;
	if (k && (d[k - 1] == '"' || d[k - 1] == '\''))
		k--;
	size_t e = k;
	while (k && e - k < B64_KEY_MAX &&
	       (b64_value[d[k - 1]] >= 0 || d[k - 1] == '.') && d[k - 1] != '/' && d[k - 1] != '+')
		k--;
	*key_start = k;
	return e - k;
}

/* 1 if the decoded value is one short line of printable ASCII that is not JSON. */
static int short_line(const unsigned char *d, size_t n)
{
	if (!n || n > B64_KEYED_MAX || d[0] == '{' || d[0] == '[')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (d[i] < 0x20 || d[i] > 0x7e)
			return (d[i] == '\n' || d[i] == '\r') && i + 2 >= n && (i + 1 == n || d[i + 1] == '\n');
	return 1;
}

/* A small decoded value waiting in the batch: its run and its bytes in the batch. */
struct b64_pending {
	size_t start, chars; /* the run: where it starts, its base64 characters */
	size_t off, len;     /* the value in s->batch */
};

struct b64_scan {
	struct scan_ctx *ctx;
	const char *path;
	const unsigned char *d;
	size_t n;
	unsigned depth;
	struct unpack_lines lines; /* the line of an offset, for names */
	struct membuf out, keyed;
	size_t chars;          /* characters of the run just read */
	int stop;              /* a budget ran out: nothing more is decoded */
	/* Small values are gated together: "{" then each value after a line break, so
	 * one prefilter pass rules them all out (it lets through whatever it would let
	 * through alone: the JSON gate is open, and lines stay apart). */
	struct membuf batch;
	struct b64_pending *pend;
	size_t npend, pend_cap;
};

/* Hands one decoded value of the run at `start` on, if it can matter (or `matters`). */
static int value_scan(struct b64_scan *s, size_t start, size_t chars, const unsigned char *emit,
                      size_t elen, int matters)
{
	if (!matters && !scan_may_match(s->ctx, emit, elen) &&
	    find_run(emit, elen, 0) == elen /* not base64 again */)
		return 0;
	char name[40];
	snprintf(name, sizeof(name), "base64@L%zu", unpack_line_at(&s->lines, start));
	char *inner = unpack_member_path(s->path, name, strlen(name));
	int rc = 0;
	if (s->depth >= s->ctx->limits->archive_depth) {
		char what[96];
		snprintf(what, sizeof(what), "base64 nested %u levels deep, not decoded", s->depth);
		unpack_report_limit(s->ctx, inner, UNPACK_LIMIT_DEPTH, what);
		s->stop = 1;
		goto done;
	}
	enum unpack_limit l = unpack_budget_check(s->ctx->limits, s->ctx->inflated, s->ctx->held,
	                                          chars, elen);
	if (l != UNPACK_OK) {
		unpack_report_limit(s->ctx, inner, l, "base64-decoded content");
		s->stop = 1;
		goto done;
	}
	s->ctx->inflated += elen;
	s->ctx->held += elen;
	/* content handed on is NUL-terminated, like every source's */
	unsigned char *copy = xmalloc(elen + 1);
	memcpy(copy, emit, elen);
	copy[elen] = '\0';
	rc = scan_emit(s->ctx, inner, copy, elen, s->depth + 1);
	free(copy);
done:
	free(inner);
	return rc;
}

/* Gates the batch at once; only if something may match are its values looked at one by one. */
static int batch_flush(struct b64_scan *s)
{
	int rc = 0;
	if (s->npend && (scan_may_match(s->ctx, s->batch.data, s->batch.len) ||
	                 find_run(s->batch.data, s->batch.len, 0) < s->batch.len))
		for (size_t i = 0; i < s->npend && rc == 0 && !s->stop; i++)
			rc = value_scan(s, s->pend[i].start, s->pend[i].chars, s->batch.data + s->pend[i].off,
			                s->pend[i].len, 0);
	s->npend = 0;
	s->batch.len = 0;
	return rc;
}

/* Scans what the run at `start` decoded to (s->out) if it can matter. */
static int run_scan(struct b64_scan *s, size_t start)
{
	if (s->chars < B64_MIN)
		return 0;
	const unsigned char *emit = s->out.data;
	size_t elen = s->out.len;
	int container = unpack_is_container(emit, elen);
	size_t ks, kl;
	if (!container && short_line(emit, elen) && (kl = key_before(s->d, start, &ks)) > 0) {
		s->keyed.len = 0;
		membuf_append(&s->keyed, s->d + ks, kl);
		membuf_append(&s->keyed, (const unsigned char *)": ", 2);
		membuf_append(&s->keyed, emit, elen);
		emit = s->keyed.data;
		elen = s->keyed.len;
	}
	/* containers, large values and the binary state/plan magic (which the prefilter
	 * only sees at the very start) go on their own, after what is waiting */
	if (container || elen > B64_BATCH_ITEM || (elen >= 6 && !memcmp(emit, "tfplan", 6)) ||
	    (elen >= 7 && !memcmp(emit, "tfstate", 7))) {
		if (batch_flush(s) < 0)
			return -1;
		return s->stop ? 0 : value_scan(s, start, s->chars, emit, elen, container);
	}
	if (!s->batch.len) {
		membuf_reserve(&s->batch, 4096); /* most blobs have a few short runs */
		membuf_append(&s->batch, (const unsigned char *)"{", 1);
	}
	membuf_append(&s->batch, (const unsigned char *)"\n", 1);
	if (s->npend == s->pend_cap) {
		s->pend_cap = s->pend_cap ? s->pend_cap * 2 : 64;
		s->pend = xrealloc(s->pend, s->pend_cap * sizeof(*s->pend));
	}
	s->pend[s->npend++] = (struct b64_pending){start, s->chars, s->batch.len, elen};
	membuf_append(&s->batch, emit, elen);
	return s->batch.len >= B64_BATCH_BYTES ? batch_flush(s) : 0;
}

static void table_init(void)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	memset(b64_value, -1, sizeof(b64_value));
	for (int i = 0; i < 64; i++)
		b64_value[(unsigned char)abc[i]] = (signed char)i;
	b64_value['-'] = 62;
	b64_value['_'] = 63;
	for (int c = 0; c < 256; c++)
		b64_class[c] = b64_value[c] >= 0 || c == '\\';
#if defined(__x86_64__) && defined(SG_BASE64_PORTABLE) /* a test build of the portable twin */
	(void)find_run_avx2;
#elif defined(__x86_64__)
	if (__builtin_cpu_supports("avx2"))
		find_run = find_run_avx2;
#endif
}

int unpack_base64(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                  unsigned depth)
{
	struct b64_scan s = {.ctx = ctx, .path = path, .d = data, .n = len, .depth = depth, .lines = {data, 0, 1}};
	int rc = 0;
	pthread_once(&table_once, table_init);
	size_t p = 0, at;
	while (!s.stop && p < len && (at = find_run(data, len, p)) < len) {
		struct b64_dec dec = {.out = &s.out};
		s.out.len = 0;
		size_t end = run_read(data, len, at, &dec);
		dec_finish(&dec);
		s.chars = dec.chars;
		if (run_scan(&s, at) < 0) {
			rc = -1;
			break;
		}
		if (end < len && data[end] == '\\')
			p = end + 2; /* an escape ends the run; a run may start right after it */
		else if (end < len && b64_class[data[end]])
			p = end;     /* after padding: the next run may start at once */
		else
			p = end + 1;
	}
	if (rc == 0 && batch_flush(&s) < 0)
		rc = -1;
	membuf_free(&s.out);
	membuf_free(&s.keyed);
	membuf_free(&s.batch);
	free(s.pend);
	return rc;
}
