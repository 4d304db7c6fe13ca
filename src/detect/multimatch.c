/*
 * multimatch: the one-pass multi-literal matcher behind the prefilter.
 *
 * Why our own: every blob of a history audit goes through the prefilter, so it
 * is the hottest loop stateguard has; calling memmem once per anchor (24+
 * passes, the previous design) cost more than reading the objects. Hyperscan
 * would do this, but it is x86-only, needs a C++ runtime and compiles its
 * database at start-up (a cost every pre-commit would pay); this file is the
 * one idea we need from it, "Teddy", in a few hundred lines.
 *
 * How: each pattern is put in one of 8 buckets. For the first 4 bytes of the
 * patterns, two 16-entry tables per byte position map a byte's low and high
 * nibble to the buckets whose pattern may have that byte there. For 16 input
 * positions at a time, four loads (at +0 .. +3), eight table lookups (pshufb)
 * and ANDs give, per position, the buckets whose first four bytes may start
 * there; only those positions are verified byte by byte (AVX2 does 32
 * positions at a time). Without SSSE3 the same filter runs from exact 256-entry
 * byte tables, one position at a time. STATEGUARD_NO_SIMD=1 forces that path.
 * Both paths verify with the same function, so they give the same answer.
 */
#include "detect/multimatch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "policy/idtoken.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define MM_X86 1
#endif

#define NBUCKETS 8
#define NPOS 4 /* filter bytes per pattern */

struct mm_entry {
	unsigned char s[64];
	size_t len;  /* literal length */
	size_t need; /* bytes needed from the start: len, + 8 for hex8 */
	unsigned flag;
	int ci, hex8, word;
	const char *line_has, *next_in;
	uint32_t head, head_fold, head_mask; /* first 4 bytes: (load | fold) & mask == head */
};

struct multimatch {
	struct mm_entry *p;
	size_t n;
	unsigned all;                       /* OR of every flag */
	unsigned short bucket[NBUCKETS][MM_MAX_PATTERNS]; /* pattern indices per bucket */
	size_t nbucket[NBUCKETS];
	unsigned char lo[NPOS][16], hi[NPOS][16]; /* nibble -> bucket bits (SSSE3 path) */
	unsigned char byte[NPOS][256];            /* byte -> bucket bits (scalar path) */
	int simd; /* 0 scalar, 1 SSSE3, 2 AVX2 */
};

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* May byte c stand at position k of pattern e? (the filter's view of the pattern) */
static int may_be(const struct mm_entry *e, size_t k, unsigned c)
{
	if (k < e->len)
		return e->ci ? fold((unsigned char)c) == fold(e->s[k]) : c == e->s[k];
	if (e->hex8 && k < e->need)
		return idtoken_is_lower_hex((unsigned char)c);
	return 1; /* past the pattern: any byte */
}

struct multimatch *multimatch_new(const struct mm_pattern *patterns, size_t n)
{
	if (n == 0 || n > MM_MAX_PATTERNS)
		return NULL;
	struct multimatch *m = xcalloc(1, sizeof(*m));
	m->p = xcalloc(n, sizeof(*m->p));
	m->n = n;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(patterns[i].s);
		if (len < (patterns[i].hex8 ? 1 : 2) || len >= sizeof(m->p[i].s) ||
		    patterns[i].bucket < 0 || patterns[i].bucket > NBUCKETS) {
			multimatch_free(m);
			return NULL;
		}
		memcpy(m->p[i].s, patterns[i].s, len);
		m->p[i].len = len;
		m->p[i].hex8 = patterns[i].hex8 != 0;
		m->p[i].need = len + (m->p[i].hex8 ? 8 : 0);
		m->p[i].ci = patterns[i].ci != 0;
		m->p[i].flag = patterns[i].flag;
		m->p[i].line_has = patterns[i].line_has;
		m->p[i].word = patterns[i].word != 0;
		m->p[i].next_in = patterns[i].next_in;
		m->all |= patterns[i].flag;
		unsigned char hb[4] = {0}, fb[4] = {0}, mb[4] = {0};
		for (size_t k = 0; k < 4 && k < len; k++) {
			unsigned char c = m->p[i].s[k];
			int letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
			fb[k] = m->p[i].ci && letter ? 0x20 : 0;
			hb[k] = c | fb[k];
			mb[k] = 0xff;
		}
		memcpy(&m->p[i].head, hb, 4); /* compared with a memcpy'd load: any byte order */
		memcpy(&m->p[i].head_fold, fb, 4);
		memcpy(&m->p[i].head_mask, mb, 4);
	}

	/* Buckets: the caller's hint; else patterns whose filter has a wildcard go to the last
	 * one (they would make their companions match anything) and the others are spread by
	 * their folded first byte. Any placement gives the same answer; a good one (patterns
	 * that look alike together) only lets fewer positions through the SIMD filter. */
	for (size_t i = 0; i < n; i++) {
		const struct mm_entry *e = &m->p[i];
		size_t best = NBUCKETS - 1;
		if (patterns[i].bucket > 0)
			best = (size_t)patterns[i].bucket - 1;
		else if (e->need >= NPOS)
			best = fold(e->s[0]) % (NBUCKETS - 1);
		m->bucket[best][m->nbucket[best]++] = (unsigned short)i;
		for (size_t k = 0; k < NPOS; k++)
			for (unsigned c = 0; c < 256; c++)
				if (may_be(e, k, c)) {
					m->byte[k][c] |= (unsigned char)(1u << best);
					m->lo[k][c & 15] |= (unsigned char)(1u << best);
					m->hi[k][c >> 4] |= (unsigned char)(1u << best);
				}
	}
#ifdef MM_X86
	__builtin_cpu_init();
	if (!getenv("STATEGUARD_NO_SIMD"))
		m->simd = __builtin_cpu_supports("avx2") ? 2 : __builtin_cpu_supports("ssse3") ? 1 : 0;
#endif
	return m;
}

void multimatch_free(struct multimatch *m)
{
	if (!m)
		return;
	free(m->p);
	free(m);
}

/* Does the line starting at d hold one of `any` or a block-comment opener? A line cut by the
 * end of the buffer does (the rest is unknown). */
static int line_holds(const unsigned char *d, size_t n, const char *any)
{
	const unsigned char *nl = memchr(d, '\n', n);
	if (!nl)
		return 1;
	size_t len = (size_t)(nl - d);
	for (const char *c = any; *c; c++)
		if (memchr(d, *c, len))
			return 1;
	for (const unsigned char *p = d, *end = d + len;
	     (p = memchr(p, '/', (size_t)(end - p))) != NULL; p++)
		if (p + 1 < end && p[1] == '*')
			return 1;
	return 0;
}

static int entry_at(const struct mm_entry *e, const unsigned char *d, size_t n, size_t at)
{
	if (n - at < e->need)
		return 0;
	if (n - at >= 4) {
		uint32_t x;
		memcpy(&x, d + at, 4);
		if (((x | e->head_fold) & e->head_mask) != e->head)
			return 0;
	}
	if (e->ci) {
		for (size_t k = 0; k < e->len; k++)
			if (fold(d[at + k]) != fold(e->s[k]))
				return 0;
	} else if (memcmp(d + at, e->s, e->len)) {
		return 0;
	}
	for (size_t k = e->len; k < e->need; k++)
		if (!idtoken_is_lower_hex(d[at + k]))
			return 0;
	if (e->word && at > 0 && idtoken_is_ident_char(d[at - 1]))
		return 0;
	if (e->next_in && at + e->need < n && !memchr(e->next_in, d[at + e->need], strlen(e->next_in)))
		return 0;
	return !e->line_has || line_holds(d + at + e->need, n - at - e->need, e->line_has);
}

/* Verifies the patterns of `buckets` at position `at`; returns the updated flags. */
static unsigned verify(const struct multimatch *m, const unsigned char *d, size_t n, size_t at,
                       unsigned buckets, unsigned found)
{
	while (buckets) {
		unsigned b = (unsigned)__builtin_ctz(buckets);
		buckets &= buckets - 1;
		for (size_t j = 0; j < m->nbucket[b]; j++) {
			const struct mm_entry *e = &m->p[m->bucket[b][j]];
			if (!(found & e->flag) && entry_at(e, d, n, at))
				found |= e->flag;
		}
	}
	return found;
}

/* Buckets that may start at `at` by the exact tables; bytes past the end do not narrow. */
static unsigned candidates_at(const struct multimatch *m, const unsigned char *d, size_t n,
                              size_t at)
{
	unsigned c = m->byte[0][d[at]];
	for (size_t k = 1; k < NPOS && at + k < n; k++)
		c &= m->byte[k][d[at + k]];
	return c;
}

static unsigned scan_scalar_from(const struct multimatch *m, const unsigned char *d, size_t n,
                                 size_t from, unsigned found)
{
	for (size_t at = from; at < n && (found & m->all) != m->all; at++) {
		unsigned c = candidates_at(m, d, n, at);
		if (c)
			found = verify(m, d, n, at, c, found);
	}
	return found;
}

unsigned multimatch_scan_scalar(const struct multimatch *m, const unsigned char *d, size_t n,
                                unsigned known)
{
	return scan_scalar_from(m, d, n, 0, known);
}

#ifdef MM_X86
/* Verifies the positions at + j of a SIMD block whose bit j is set in hits (lanes[j]: the
 * buckets the filter let through there). Shared by both vector widths. */
static unsigned verify_hits(const struct multimatch *m, const unsigned char *d, size_t n,
                            size_t at, const unsigned char *lanes, unsigned hits,
                            unsigned found)
{
	while (hits) {
		unsigned j = (unsigned)__builtin_ctz(hits);
		hits &= hits - 1;
		/* the SIMD filter saw nibbles: narrow to the exact byte sets first */
		unsigned buckets = lanes[j] & candidates_at(m, d, n, at + j);
		if (buckets)
			found = verify(m, d, n, at + j, buckets, found);
	}
	return found;
}

__attribute__((target("ssse3"))) static unsigned scan_ssse3(const struct multimatch *m,
                                                            const unsigned char *d, size_t n,
                                                            size_t at, unsigned found)
{
	const __m128i nib = _mm_set1_epi8(0x0f), zero = _mm_setzero_si128();
	__m128i lo[NPOS], hi[NPOS];
	for (size_t k = 0; k < NPOS; k++) {
		lo[k] = _mm_loadu_si128((const __m128i *)m->lo[k]);
		hi[k] = _mm_loadu_si128((const __m128i *)m->hi[k]);
	}
	for (; at + 16 + NPOS - 1 <= n; at += 16) {
		__m128i r = _mm_set1_epi8((char)0xff);
		for (size_t k = 0; k < NPOS; k++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(d + at + k));
			__m128i l = _mm_shuffle_epi8(lo[k], _mm_and_si128(v, nib));
			__m128i h = _mm_shuffle_epi8(hi[k], _mm_and_si128(_mm_srli_epi16(v, 4), nib));
			r = _mm_and_si128(r, _mm_and_si128(l, h));
		}
		unsigned hits = (unsigned)~_mm_movemask_epi8(_mm_cmpeq_epi8(r, zero)) & 0xffffu;
		if (!hits)
			continue;
		unsigned char lanes[16];
		_mm_storeu_si128((__m128i *)lanes, r);
		found = verify_hits(m, d, n, at, lanes, hits, found);
		if ((found & m->all) == m->all)
			return found;
	}
	return scan_scalar_from(m, d, n, at, found);
}

/* The same filter 32 positions at a time (vpshufb looks up within each 128-bit lane,
 * so the 16-entry tables are simply repeated in both lanes). */
__attribute__((target("avx2"))) static unsigned scan_avx2(const struct multimatch *m,
                                                          const unsigned char *d, size_t n,
                                                          unsigned found)
{
	const __m256i nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
	__m256i lo[NPOS], hi[NPOS];
	size_t at = 0;
	for (size_t k = 0; k < NPOS; k++) {
		lo[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)m->lo[k]));
		hi[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)m->hi[k]));
	}
	for (; at + 32 + NPOS - 1 <= n; at += 32) {
		__m256i r = _mm256_set1_epi8((char)0xff);
		for (size_t k = 0; k < NPOS; k++) {
			__m256i v = _mm256_loadu_si256((const __m256i *)(d + at + k));
			__m256i l = _mm256_shuffle_epi8(lo[k], _mm256_and_si256(v, nib));
			__m256i h = _mm256_shuffle_epi8(hi[k], _mm256_and_si256(_mm256_srli_epi16(v, 4), nib));
			r = _mm256_and_si256(r, _mm256_and_si256(l, h));
		}
		unsigned hits = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, zero));
		if (!hits)
			continue;
		unsigned char lanes[32];
		_mm256_storeu_si256((__m256i *)lanes, r);
		found = verify_hits(m, d, n, at, lanes, hits, found);
		if ((found & m->all) == m->all)
			return found;
	}
	return scan_ssse3(m, d, n, at, found);
}
#endif

unsigned multimatch_scan(const struct multimatch *m, const unsigned char *d, size_t n,
                         unsigned known)
{
#ifdef MM_X86
	if (m->simd == 2)
		return scan_avx2(m, d, n, known);
	if (m->simd == 1)
		return scan_ssse3(m, d, n, 0, known);
#endif
	return scan_scalar_from(m, d, n, 0, known);
}
