/*
 * pipeline: scans one blob of content, whatever its source. It sits above the
 * stages: layers (unpack/) take wrappings off and hand inner content back
 * through the callback the pipeline installs (scan_emit), and every content
 * goes through the detectors (detect/). It owns the per-blob budget; it does not
 * know where bytes came from (source/) or how findings are filtered (policy/)
 * or printed (report/).
 */
#ifndef SG_PIPELINE_H
#define SG_PIPELINE_H

#include <stddef.h>

#include "core/scan.h"

/* Installs the pipeline behind ctx: ctx->emit (inner content found by a layer) and
 * ctx->detectors (what the layers may ask the detectors). */
void pipeline_attach(struct scan_ctx *ctx);

/*
 * Scans one top-level blob: resets the per-blob budget, attaches the pipeline
 * (pipeline_attach), then scans the content (layers, recursively, and detectors).
 * Returns 0, or -1 on an internal error (already reported as a scan-error finding).
 */
int pipeline_scan_blob(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                       size_t len);

/*
 * Sets the blob id `hex` on every finding added since ctx->blob_first that has
 * none, so that allow entries can pin reviewed content.
 */
void pipeline_stamp_blob(struct scan_ctx *ctx, const char *hex);

#endif
