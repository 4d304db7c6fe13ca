/*
 * detect: recognises Terraform/OpenTofu/Pulumi artifacts and credentials in one
 * blob of (already unpacked) content, by content first; a file name only raises
 * confidence. One file per artifact family; this header is the only entry point.
 */
#ifndef SG_DETECT_H
#define SG_DETECT_H

#include <stddef.h>

#include "core/pipeline.h"

/*
 * Runs every detector over one blob and appends findings to ctx->out.
 * `path` is the display path (may contain '!' for archive members).
 * Returns 0, or -1 on an internal error (reported as a scan-error finding).
 */
int detect_blob(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                unsigned depth);

#endif
