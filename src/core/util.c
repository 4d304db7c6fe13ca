/*
 * util: allocation wrappers that fail closed (exit 2, never a signal), bounded
 * file/stream reading, read-only file mappings whose pages can be given back,
 * atomic file replacement and byte-string helpers.
 * Nothing here knows about Git or artifacts.
 */
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

int sg_quiet;

void util_oom(void)
{
	static const char msg[] = "stateguard: out of memory; nothing was accepted\n";
	ssize_t r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(SG_EXIT_ERROR);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		util_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		util_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		util_oom();
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		util_oom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		util_oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *out = NULL;
	va_start(ap, fmt);
	int r = vasprintf(&out, fmt, ap);
	va_end(ap);
	if (r < 0)
		util_oom();
	return out;
}

void xgrow(void **v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			util_oom();
		ncap *= 2;
	}
	*v = xrealloc(*v, ncap * size);
	*cap = ncap;
}

/* "stateguard: <prefix><message>\n" on stderr. */
static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "stateguard: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void sg_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void sg_warn(const char *fmt, ...)
{
	va_list ap;
	if (sg_quiet)
		return;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void sg_info(const char *fmt, ...)
{
	va_list ap;
	if (sg_quiet)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void sg_trace(const char *fmt, ...)
{
	static int on = -1;
	static struct timespec t0;
	struct timespec now;
	char prefix[48];
	va_list ap;
	if (on < 0) { /* the first call (main's, before any thread) decides */
		const char *e = getenv("STATEGUARD_TRACE");
		on = e && *e;
		clock_gettime(CLOCK_MONOTONIC, &t0);
	}
	if (!on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	snprintf(prefix, sizeof(prefix), "trace: %.3f ",
	         (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9);
	va_start(ap, fmt);
	vmsg(prefix, fmt, ap);
	va_end(ap);
}

int util_read_stream(FILE *f, size_t max, unsigned char **data, size_t *len)
{
	size_t cap = 0, n = 0;
	unsigned char *buf = NULL;
	int over = 0;

	for (;;) {
		xgrow((void **)&buf, &cap, n + 65536 + 1, 1);
		size_t want = cap - n - 1;
		if (n + want > max)
			want = max - n;
		size_t got = want ? fread(buf + n, 1, want, f) : 0;
		n += got;
		if (n >= max) {
			int c = fgetc(f);
			if (c != EOF)
				over = 1;
			break;
		}
		if (got < want) {
			if (ferror(f)) {
				free(buf);
				return -1;
			}
			break;
		}
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return over;
}

/* The live mappings of util_map_fd, for util_release_pages (a full table only costs that). */
static struct {
	uintptr_t base;
	size_t len;
} util_maps[16];
static pthread_mutex_t util_maps_lock = PTHREAD_MUTEX_INITIALIZER;

const unsigned char *util_map_fd(int fd, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	if (!len || len > SIZE_MAX - 2 * pg) {
		errno = EINVAL;
		return NULL;
	}
	/* a zero page after the file's pages: the byte after the content is always a NUL */
	size_t total = (len + pg - 1) / pg * pg + pg;
	void *base = mmap(NULL, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	if (mmap(base, len, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
		int e = errno;
		munmap(base, total);
		errno = e;
		return NULL;
	}
	pthread_mutex_lock(&util_maps_lock);
	for (size_t i = 0; i < sizeof(util_maps) / sizeof(*util_maps); i++)
		if (!util_maps[i].base) {
			util_maps[i].base = (uintptr_t)base;
			util_maps[i].len = len;
			break;
		}
	pthread_mutex_unlock(&util_maps_lock);
	return base;
}

void util_unmap(const unsigned char *p, size_t len)
{
	if (!p)
		return;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	pthread_mutex_lock(&util_maps_lock);
	for (size_t i = 0; i < sizeof(util_maps) / sizeof(*util_maps); i++)
		if (util_maps[i].base == (uintptr_t)p)
			util_maps[i].base = 0;
	pthread_mutex_unlock(&util_maps_lock);
	munmap((void *)p, (len + pg - 1) / pg * pg + pg);
}

void util_release_pages(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p, b = a + n, lo = 0, hi = 0;
	pthread_mutex_lock(&util_maps_lock);
	for (size_t i = 0; i < sizeof(util_maps) / sizeof(*util_maps); i++) {
		uintptr_t base = util_maps[i].base;
		if (base && a >= base && a < base + util_maps[i].len) {
			lo = a;
			hi = b < base + util_maps[i].len ? b : base + util_maps[i].len;
			break;
		}
	}
	pthread_mutex_unlock(&util_maps_lock);
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	lo = (lo + pg - 1) / pg * pg;
	hi = hi / pg * pg;
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

int util_read_file(const char *path, size_t max, unsigned char **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int rc = -1;
	unsigned char *buf = NULL;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto done;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto done;
	}
	if ((uint64_t)st.st_size > max) {
		*len = (size_t)st.st_size;
		rc = 1;
		goto done;
	}
	size_t size = (size_t)st.st_size, off = 0;
	buf = xmalloc(size + 1);
	while (off < size) {
		ssize_t r = read(fd, buf + off, size - off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto done;
		}
		if (r == 0)
			break; /* file shrank while reading: scan what is there */
		off += (size_t)r;
	}
	buf[off] = 0;
	*data = buf;
	*len = off;
	buf = NULL;
	rc = 0;
done:
	free(buf);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int util_write_file_atomic(const char *path, const char *data, size_t len, const char *tmp,
                           mode_t mode)
{
	struct stat st;
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	if (!mode && stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	int bad = fwrite(data, 1, len, f) != len || (mode && fchmod(fileno(f), mode) < 0);
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) < 0) {
		int saved = errno;
		unlink(tmp);
		errno = saved;
		return -2;
	}
	return 0;
}

/* Searches longer than one segment go segment by segment, giving pages back behind them. */
#define UTIL_SEGMENT ((size_t)8 << 20)

typedef const unsigned char *(*util_finder)(const unsigned char *, size_t, const char *, size_t);

static const unsigned char *find_segmented(util_finder f, const unsigned char *hay, size_t hay_len,
                                           const char *needle, size_t needle_len)
{
	/* a match starting in a segment ends within needle_len - 1 bytes after it */
	while (hay_len - needle_len + 1 > UTIL_SEGMENT) {
		const unsigned char *r = f(hay, UTIL_SEGMENT + needle_len - 1, needle, needle_len);
		if (r)
			return r;
		util_release_pages(hay, UTIL_SEGMENT);
		hay += UTIL_SEGMENT;
		hay_len -= UTIL_SEGMENT;
	}
	return f(hay, hay_len, needle, needle_len);
}

static const unsigned char *find_plain(const unsigned char *hay, size_t hay_len,
                                       const char *needle, size_t needle_len)
{
	return memmem(hay, hay_len, needle, needle_len);
}

const unsigned char *util_memmem(const unsigned char *hay, size_t hay_len, const char *needle,
                                 size_t needle_len)
{
	if (!hay || needle_len > hay_len)
		return NULL;
	return find_segmented(find_plain, hay, hay_len, needle, needle_len);
}

static const unsigned char *casemem_scalar(const unsigned char *hay, size_t hay_len,
                                          const char *needle, size_t needle_len)
{
	if (!hay || needle_len == 0 || needle_len > hay_len)
		return NULL;
	unsigned char lo = (unsigned char)tolower((unsigned char)needle[0]);
	unsigned char up = (unsigned char)toupper((unsigned char)needle[0]);
	const unsigned char *p = hay, *end = hay + hay_len - needle_len + 1;
	/*
	 * Each case of the first byte is searched in windows of at most CASE_WINDOW bytes and the
	 * answer kept until passed: searching the whole rest afresh at every candidate (or every
	 * call, for callers that loop over matches) is quadratic when one case never occurs.
	 */
	enum { CASE_WINDOW = 2048 };
	const unsigned char *pos[2] = {NULL, NULL}, *lim[2] = {p, p};
	const unsigned char ch[2] = {lo, up};
	int ncase = lo == up ? 1 : 2;
	while (p < end) {
		const unsigned char *c = NULL, *stop = end;
		for (int k = 0; k < ncase; k++) {
			if ((pos[k] && pos[k] < p) || (!pos[k] && lim[k] <= p)) {
				size_t w = (size_t)(end - p) < CASE_WINDOW ? (size_t)(end - p) : CASE_WINDOW;
				pos[k] = memchr(p, ch[k], w);
				lim[k] = p + w;
			}
			if (pos[k] && (!c || pos[k] < c))
				c = pos[k];
			if (!pos[k] && lim[k] < stop)
				stop = lim[k];
		}
		if (!c || c >= stop) { /* nothing before the nearest unsearched byte: go on from there */
			p = stop;
			continue;
		}
		if (strncasecmp((const char *)c, needle, needle_len) == 0)
			return c;
		p = c + 1;
	}
	return NULL;
}

#if defined(__SSE2__)
/*
 * 16 positions at a time: a position is a candidate when its first and last bytes equal the
 * needle's (letters compared with their 0x20 bit set, which is exact for ASCII letters);
 * only candidates are compared whole. SSE2 is part of every x86-64.
 */
static const unsigned char *casemem_sse2(const unsigned char *hay, size_t hay_len,
                                         const char *needle, size_t needle_len)
{
	unsigned char c0 = (unsigned char)needle[0], cl = (unsigned char)needle[needle_len - 1];
	int a0 = isalpha(c0) != 0, al = isalpha(cl) != 0;
	const __m128i m0 = _mm_set1_epi8(a0 ? 0x20 : 0), ml = _mm_set1_epi8(al ? 0x20 : 0);
	const __m128i v0 = _mm_set1_epi8((char)(a0 ? (c0 | 0x20) : c0));
	const __m128i vl = _mm_set1_epi8((char)(al ? (cl | 0x20) : cl));
	size_t i = 0;
	for (; i + needle_len - 1 + 16 <= hay_len; i += 16) {
		__m128i first = _mm_loadu_si128((const __m128i *)(hay + i));
		__m128i last = _mm_loadu_si128((const __m128i *)(hay + i + needle_len - 1));
		__m128i eq = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(first, m0), v0),
		                           _mm_cmpeq_epi8(_mm_or_si128(last, ml), vl));
		unsigned mask = (unsigned)_mm_movemask_epi8(eq);
		while (mask) {
			unsigned j = (unsigned)__builtin_ctz(mask);
			mask &= mask - 1;
			if (strncasecmp((const char *)hay + i + j, needle, needle_len) == 0)
				return hay + i + j;
		}
	}
	return casemem_scalar(hay + i, hay_len - i, needle, needle_len);
}
#endif

const unsigned char *util_memcasemem(const unsigned char *hay, size_t hay_len, const char *needle,
                                     size_t needle_len)
{
	if (!hay || needle_len == 0 || needle_len > hay_len)
		return NULL;
#if defined(__SSE2__)
	return find_segmented(casemem_sse2, hay, hay_len, needle, needle_len);
#else
	return find_segmented(casemem_scalar, hay, hay_len, needle, needle_len);
#endif
}

int util_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

const char *util_basename(const char *path)
{
	const char *b = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '!')
			b = p + 1;
	return b;
}

/* Deepest stack the code needs (unpack recursion, cJSON, the dynamic linker) with room to spare. */
#define SG_STACK_PREFAULT (512u << 10)

/*
 * If the stack cannot grow (address space exhausted), the kernel raises SIGSEGV:
 * during the prefault only, that is reported as out of memory (exit 2) from an
 * alternate stack in static storage, never as a crash.
 */
static unsigned char prefault_altstack[16384];

static void prefault_failed(int sig)
{
	(void)sig;
	util_oom();
}

__attribute__((noinline)) static void prefault_touch(void)
{
	volatile unsigned char pad[SG_STACK_PREFAULT];
	for (size_t i = 0; i < sizeof(pad); i += 4096)
		pad[i] = 0;
	pad[sizeof(pad) - 1] = 0;
}

void util_prefault_stack(void)
{
	stack_t ss = {.ss_sp = prefault_altstack, .ss_size = sizeof(prefault_altstack)}, old_ss;
	struct sigaction sa, old_sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = prefault_failed;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	int guarded = sigaltstack(&ss, &old_ss) == 0 && sigaction(SIGSEGV, &sa, &old_sa) == 0;
	prefault_touch();
	if (guarded) {
		sigaction(SIGSEGV, &old_sa, NULL);
		sigaltstack(&old_ss, NULL);
	}
}

const char *util_human_bytes(uint64_t n, char *buf, size_t bufsz)
{
	static const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)n;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, bufsz, "%llu bytes", (unsigned long long)n);
	else
		snprintf(buf, bufsz, "%.1f %s", v, units[u]);
	return buf;
}

double util_entropy(const unsigned char *s, size_t n)
{
	unsigned cnt[256] = {0};
	double e = 0;
	for (size_t i = 0; i < n; i++)
		cnt[s[i]]++;
	for (int i = 0; i < 256; i++)
		if (cnt[i]) {
			double p = (double)cnt[i] / (double)n;
			e -= p * log2(p);
		}
	return e;
}
