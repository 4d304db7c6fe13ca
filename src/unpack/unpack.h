/*
 * unpack: recognises containers (zip, gzip, tar, xz, bzip2, zstd, 7z, RAR, cpio,
 * ISO 9660, ar, lz4, lzip, .Z) by their
 * bytes and feeds each member back through the pipeline, within the budget of
 * struct scan_limits. Budget and corruption problems become archive-limit /
 * archive-corrupt findings (block): a container that cannot be read is never
 * treated as clean.
 */
#ifndef SG_UNPACK_H
#define SG_UNPACK_H

#include <stddef.h>

#include "core/pipeline.h"

/* 1 if the bytes are a container or compressed stream this module opens (zip, tar, gzip,
 * xz, bzip2, zstd, and through libarchive 7z, RAR, cpio, ISO 9660, ar, lz4, lzip, .Z). */
int unpack_is_container(const unsigned char *data, size_t len);

/*
 * Opens a container and scans every member with pipeline_scan_member(depth+1),
 * member paths being "<path>!<member>"; content that is not a container adds
 * nothing. Returns 0 (findings may have been added), or -1 on an internal error.
 */
int unpack_container(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                     unsigned depth);

#endif
