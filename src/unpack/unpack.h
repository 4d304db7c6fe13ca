/*
 * unpack: the layers. A layer is a wrapping that must come off before the
 * detectors can see what it holds: a container (zip, tar; 7z, RAR, cpio, ISO 9660,
 * ar through libarchive), a compressed stream (gzip, xz, bzip2, zstd; lz4, lzip, .Z
 * through libarchive), a text encoding (UTF-16/32), a Git LFS pointer; and the
 * layers that live inside text (base64 runs, escaped strings). Each is recognised by its
 * bytes, opened within the budgets of struct scan_limits, and hands every inner
 * content back with scan_emit(); it never calls the pipeline or the detectors.
 * Budget and corruption problems become archive-limit / archive-corrupt findings
 * (block): a wrapping that cannot be taken off is never treated as clean.
 */
#ifndef SG_UNPACK_H
#define SG_UNPACK_H

#include <stddef.h>

#include "core/scan.h"

/* Every layer's entry point: takes the wrapping off `data` and emits what it holds at
 * depth + 1. Returns 0 (findings may have been added; the detectors still see `data`), 1
 * when `data` was only an encoding of what was emitted (UTF-16 text, a resolved Git LFS
 * pointer: the detectors skip it), or -1 on an internal error. */
typedef int (*unpack_open_fn)(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                              size_t len, unsigned depth);

struct unpack_layer;

/* The layer that wraps `data` whole (one pass over the sniffers), or NULL. */
const struct unpack_layer *unpack_layer_sniff(const unsigned char *data, size_t len);

/* 1 for a container (zip, tar, a compressed stream): its members are scanned one by one,
 * so the identifier rules leave its raw bytes alone. 0 for an encoding. */
int unpack_layer_is_container(const struct unpack_layer *l);

/* Opens `l` over data (see unpack_open_fn); a container at the archive_depth budget is
 * not opened but reported (archive-limit). Encodings check their own depth. */
int unpack_layer_open(const struct unpack_layer *l, struct scan_ctx *ctx, const char *path,
                      const unsigned char *data, size_t len, unsigned depth);

/* Runs the layers that live inside text (not around it) over content no layer claimed. */
int unpack_embedded(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                    unsigned depth);

/* 1 if some layer wraps the bytes (a container or compressed stream, a Git LFS pointer). */
int unpack_is_container(const unsigned char *data, size_t len);

#endif
