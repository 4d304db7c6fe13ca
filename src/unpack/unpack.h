/*
 * unpack: recognises containers (zip, gzip, tar, xz, bzip2, zstd) by their
 * bytes and feeds each member back through the pipeline, within the budget of
 * struct scan_limits; the encoding layers (UTF-16/32, base64, escaped text) do
 * the same with what they decode. Budget and corruption problems become archive-limit /
 * archive-corrupt findings (block): a container that cannot be read is never
 * treated as clean.
 */
#ifndef SG_UNPACK_H
#define SG_UNPACK_H

#include <stddef.h>

#include "core/pipeline.h"

/* 1 if the bytes are a container or compressed stream: one this module opens, or one it
 * recognises and refuses as unexaminable (7z, RAR, cpio, lz4, lzip, .Z). */
int unpack_is_container(const unsigned char *data, size_t len);

/*
 * Opens a container and scans every member with pipeline_scan_member(depth+1),
 * member paths being "<path>!<member>"; content that is not a container adds
 * nothing. Returns 0 (findings may have been added), or -1 on an internal error.
 */
int unpack_container(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                     unsigned depth);

/*
 * Encoding layers. Each scans what it decodes with pipeline_scan_member(depth + 1)
 * under the byte and depth budgets, naming it "<path>!<layer>"; content it does
 * not recognise adds nothing. Each returns 0, or -1 on an internal error.
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

#endif
