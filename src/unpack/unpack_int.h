/*
 * unpack_int: what the container readers of unpack/ share and nothing else
 * includes: the budget arithmetic, findings for limits and corruption, member
 * paths, growable member buffers and the decompressing byte reader.
 */
#ifndef SG_UNPACK_INT_H
#define SG_UNPACK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/scan.h"
#include "unpack/unpack.h"

/* Bytes a member must produce before the inflation ratio is judged. */
#define UNPACK_RATIO_FLOOR (1ull << 20)

/* Which budget a check hit (0 = none). Names are the .stateguard.json "limits" keys. */
enum unpack_limit {
	UNPACK_OK = 0,
	UNPACK_LIMIT_DEPTH,   /* archive_depth */
	UNPACK_LIMIT_BYTES,   /* archive_bytes: members past it stream through a window */
	UNPACK_LIMIT_MEMBER,  /* member_bytes: bigger members stream through a window */
	UNPACK_LIMIT_MEMBERS, /* archive_members */
	UNPACK_LIMIT_RATIO,   /* archive_ratio */
	UNPACK_LIMIT_METHOD,  /* a compression method no reader here supports (not configurable) */
	UNPACK_LIMIT_DECODER, /* a stream needing more decoder memory than allowed (fixed) */
	UNPACK_LIMIT_INFLATED, /* inflated_bytes: the hard ceiling per top-level blob */
};

/* The config key of a limit, e.g. "archive_bytes". */
const char *unpack_limit_key(enum unpack_limit l);

/*
 * Budget arithmetic, pure, for a member of `size` bytes from `member_in`
 * compressed bytes. `inflated` is what the top-level blob has inflated so far
 * (all levels), `held` how much of it was read whole. Returns UNPACK_LIMIT_RATIO
 * (a bomb) or UNPACK_LIMIT_INFLATED (over the hard ceiling): refuse; or
 * UNPACK_LIMIT_MEMBER / UNPACK_LIMIT_BYTES: too big to read whole, stream it
 * through a window; or UNPACK_OK: read it whole.
 */
enum unpack_limit unpack_budget_check(const struct scan_limits *l, uint64_t inflated,
                                      uint64_t held, uint64_t member_in, uint64_t size);

/* The value of limit l in l's config (0 for the fixed ones). */
uint64_t unpack_limit_value(const struct scan_limits *l, enum unpack_limit k);

/* 1 if `out` bytes from `in` compressed bytes look like a bomb under l->archive_ratio. */
int unpack_ratio_exceeded(const struct scan_limits *l, uint64_t out, uint64_t in);

/*
 * Reports a limit hit as a blocking `archive-limit` finding on `path`, saying
 * which limit, its value and how to raise it. Repeats of the same limit under
 * one top-level blob are counted on the first finding instead of added.
 */
void unpack_report_limit(struct scan_ctx *ctx, const char *path, enum unpack_limit l,
                         const char *what);

/* Reports a blocking `archive-corrupt` finding ("<format>: <what>"). */
void unpack_report_corrupt(struct scan_ctx *ctx, const char *path, const char *format,
                           const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Reports an `archive-encrypted` finding for member `name` (block if the name looks sensitive). */
void unpack_report_encrypted(struct scan_ctx *ctx, const char *member_path, const char *name,
                             const char *how);

/* 1 if an archive member name looks like state, a plan, .terraform/ or credentials. */
int unpack_name_is_sensitive(const char *name);

/*
 * "<parent>!<name>" with control characters and invalid bytes shown as \xNN, so
 * a hostile name can neither forge report lines nor be mistaken for a file.
 * `name` need not be NUL-terminated. Caller frees.
 */
char *unpack_member_path(const char *parent, const char *name, size_t name_len);

/* A member's bytes, grown as they arrive (never sized from a declared length). */
struct membuf {
	unsigned char *data;
	size_t len, cap;
};
void membuf_append(struct membuf *b, const unsigned char *p, size_t n);
/* Makes the capacity at least n bytes. */
void membuf_reserve(struct membuf *b, size_t n);
/* A member's buffer starts with room for what it declares and one byte more (that byte
 * reveals a liar), capped here; past that it grows as bytes arrive. */
#define MEMBUF_PREALLOC_MAX ((size_t)16 << 20)
void membuf_start(struct membuf *b, uint64_t declared);
/* Where the next bytes go: the free space at the end (doubled when full), at most `most`
 * bytes of it in *room. Add what was written to b->len. */
unsigned char *membuf_room(struct membuf *b, uint64_t most, size_t *room);
void membuf_free(struct membuf *b);

/*
 * The decompressing reader: a compressed stream in memory decoded on demand.
 * Every byte it produces is charged to ctx->inflated and checked against the
 * budget; on a problem it stops and keeps a message (no finding is added: the
 * caller reports with unpack_reader_report).
 */
enum unpack_format {
	UNPACK_NONE = 0,
	UNPACK_ZIP,
	UNPACK_TAR,
	UNPACK_GZIP,
	UNPACK_XZ,
	UNPACK_BZIP2,
	UNPACK_ZSTD,
	UNPACK_ZIP_LZMA, /* a zip member's LZMA data (method 14): never sniffed, only from zip.c */
	/* opened through libarchive (libarchive.c) */
	UNPACK_7Z,
	UNPACK_RAR,
	UNPACK_CPIO,
	UNPACK_LZ4,
	UNPACK_LZIP,
	UNPACK_COMPRESS,
	UNPACK_ISO9660,
	UNPACK_AR,
	UNPACK_LFS, /* a Git LFS pointer (lfs.c): replaced by its object when a store is known */
	UNPACK_UTF16, /* UTF-16/32 text (utf16.c): replaced by its UTF-8 */
};

/* Recognises a container by its first bytes (zip with a prefix too). */
enum unpack_format unpack_sniff(const unsigned char *data, size_t len);
const char *unpack_format_name(enum unpack_format f);

enum reader_state {
	READER_OK = 0,
	READER_END,     /* the stream ended cleanly */
	READER_CORRUPT, /* bad data, bad check value, truncated */
	READER_LIMIT,   /* a budget ran out (reader.limit says which) */
};

struct reader;

/*
 * A decoder consumes r->in from r->in_pos (advancing it) and writes at most
 * cap bytes; at the end of the data or on an error it sets r->state (and
 * r->msg) and returns what it produced.
 */
struct decoder {
	void *state;
	size_t (*decode)(struct decoder *d, struct reader *r, unsigned char *out, size_t cap);
	void (*free)(struct decoder *d);
};

struct reader {
	struct scan_ctx *ctx;
	const unsigned char *in; /* compressed input (or the raw bytes when dec == NULL) */
	size_t in_len, in_pos;
	size_t released;         /* input before this was given back (util_release_pages) */
	struct decoder *dec;     /* NULL: raw bytes, no decoding, nothing charged */
	struct decoder decoder_store;
	enum unpack_format format;
	enum reader_state state;
	enum unpack_limit limit;
	char msg[200];
	int reported;            /* the problem was already turned into a finding */
	uint64_t out;            /* bytes produced so far */
	uint64_t declared;       /* the size the container declares (zip members), else UINT64_MAX */
	unsigned char look[512]; /* look-ahead pushed back by reader_peek */
	size_t look_len, look_pos;
};

/* Opens a reader over raw bytes (dec = NULL) or a compressed stream of `format`. */
int reader_open(struct reader *r, struct scan_ctx *ctx, enum unpack_format format,
                const unsigned char *in, size_t len);
void reader_close(struct reader *r);

/* Reads up to n bytes; fewer only at the end or on a problem (see r->state). */
size_t reader_read(struct reader *r, unsigned char *buf, size_t n);

/* Skips n bytes (decoding them if compressed); returns the number skipped. */
uint64_t reader_skip(struct reader *r, uint64_t n);

/* Raw readers only: a pointer to the next n bytes, consumed; NULL if fewer remain. */
const unsigned char *reader_direct(struct reader *r, size_t n);

/* Makes the first min(n, 512) bytes available again after reading them; returns how many. */
size_t reader_peek(struct reader *r, unsigned char *buf, size_t n);

/* Reports the reader's problem (if any) on path; returns 1 if there was one. */
int reader_report(struct reader *r, const char *path);

/* Decoder constructors (gzip.c, xz.c, bzip2.c, zstd.c); 0 or -1. */
int decoder_gzip_init(struct decoder *d);
int decoder_xz_init(struct decoder *d);
int decoder_bzip2_init(struct decoder *d);
int decoder_zstd_init(struct decoder *d);
int decoder_zip_lzma_init(struct decoder *d);

/*
 * window: a member too big to read whole (above member_bytes, or past
 * archive_bytes), judged as it streams, in chunks of any size: the streaming
 * checks the pipeline installed (scan_stream_*), the container sniff on its first bytes and a zip end
 * record in its last (a nested archive cannot be opened from a window).
 */
struct window {
	const struct scan_ctx *ctx;
	struct scan_stream *ds; /* the pipeline's streaming checks (core/scan.h) */
	unsigned char head[512];
	size_t head_len;
	unsigned char *tail; /* the last WINDOW_TAIL bytes (a zip end record and its comment) */
	size_t tail_len;
	uint64_t size;
};
#define WINDOW_TAIL (65535 + 22)
/* Bytes read from a member per step while it streams through a window. */
#define WINDOW_CHUNK ((size_t)1 << 20)
void window_open(struct window *w, const struct scan_ctx *ctx);
void window_feed(struct window *w, const unsigned char *p, size_t n);
/* The verdict on what was fed as member `mpath`, streamed because of `why` (MEMBER or
 * BYTES): a blocking finding if it cannot be ruled out, else nothing. Frees w. */
void window_close(struct window *w, struct scan_ctx *ctx, const char *mpath,
                  enum unpack_limit why);
/* Frees w without a verdict (the member was reported corrupt or over a limit). */
void window_discard(struct window *w);

/* Container readers. Each scans every member with scan_emit(depth + 1). */
int unpack_zip(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
               unsigned depth);
int unpack_tar(struct scan_ctx *ctx, const char *path, struct reader *r, unsigned depth);
/* 7z, RAR, cpio, ISO 9660, ar, lz4, lzip and .Z through libarchive (libarchive.c). */
int unpack_libarchive(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                      size_t len, unsigned depth);

/* The member name of a decompressed single stream: the base name of path without its
 * compression suffix ("x.tgz" -> "x.tar", "s.lz4" -> "s"), else the name of format f
 * ("x!base64@L3" -> "gzip"). Caller frees. */
char *unpack_stream_member_name(const char *path, enum unpack_format f);

/* Git LFS (lfs.c): a pointer at the top level, when ctx->lfs names a store, is replaced by
 * its object, scanned as `path` at depth + 1 (returns 1: the pointer text itself is not
 * content; an absent or unreadable object is a finding); otherwise it adds nothing and
 * returns 0 (the pointer is plain text). -1 on an internal error. */
int unpack_lfs(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
               unsigned depth);

/* The line number of offsets into text, asked in increasing order (each newline is
 * counted once): how the layers found inside text name what they decode ("@L3"). */
struct unpack_lines {
	const unsigned char *d;
	size_t off;  /* the last offset asked */
	size_t line; /* its line, from 1 */
};
size_t unpack_line_at(struct unpack_lines *l, size_t off);

/*
 * Encoding layers. Each scans what it decodes with scan_emit(depth + 1) under the byte
 * and depth budgets, naming it "<path>!<layer>"; content it does not recognise adds
 * nothing. Each returns 0, or -1 on an internal error.
 */
enum unpack_text {
	UNPACK_TEXT_UTF8 = 0, /* anything not recognised as one of the others */
	UNPACK_TEXT_UTF16LE,
	UNPACK_TEXT_UTF16BE,
	UNPACK_TEXT_UTF32LE,
	UNPACK_TEXT_UTF32BE,
};
/* The text encoding of the content (*bom: bytes of byte-order mark); utf16.c. */
enum unpack_text unpack_text_sniff(const unsigned char *data, size_t len, size_t *bom);
/* UTF-16/32 text, transcoded whole to UTF-8: "<path>!utf-16le" (utf16.c). */
int unpack_utf16(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                 unsigned depth);
/* base64 runs long enough to hold a credential: "<path>!base64@L<line>" (base64.c). */
int unpack_base64(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                  unsigned depth);
/* JSON behind escapes (a string value, a pg COPY line): "<path>!unescaped@L<line>" (escaped.c). */
int unpack_escaped(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                   unsigned depth);

/* 1 if a 512-byte block is a tar header with a valid checksum. */
int tar_header_valid(const unsigned char *block);

/*
 * Parses a tar numeric field (octal, or base-256 when the first byte has bit
 * 0x80). Returns 0 and *out, or -1 when the field is malformed or negative.
 */
int tar_parse_number(const unsigned char *field, size_t len, uint64_t *out);

/* Finds the zip end-of-central-directory record from the end; returns its offset or -1. */
long long zip_find_eocd(const unsigned char *data, size_t len);

#endif
