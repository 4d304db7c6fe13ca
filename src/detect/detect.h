/*
 * detect: recognises Terraform/OpenTofu/Pulumi artifacts and credentials in one
 * blob of (already unpacked) content, by content first; a file name only raises
 * confidence. One file per artifact family; this header is the only entry point.
 */
#ifndef SG_DETECT_H
#define SG_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/scan.h"

/*
 * Runs every detector over one blob and appends findings to ctx->out.
 * `path` is the display path (may contain '!' for archive members). `wrapped`
 * says a layer (a container) opened these bytes and scans what they hold: the
 * identifier rules then leave them to the members, which come through one by one.
 * Returns 0, or -1 on an internal error (reported as a scan-error finding).
 */
int detect_blob(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                unsigned depth, int wrapped);

/*
 * The sound prefilter on its own, for layers that decode content (unpack/):
 * 0 if no detector family can match the bytes (they need not be scanned), else
 * nonzero. Cheap: one pass of the anchor matcher.
 */
unsigned detect_may_match(const unsigned char *data, size_t len);

/*
 * Length of a JSON key every JSON artifact has one of ("lineage", "format_version",
 * "deployment", ...; the prefilter's JSON gate) starting at p, which is just after
 * the key's opening quote; 0 if none. ASCII case is ignored, as Go does.
 */
size_t detect_json_key_at(const unsigned char *p, size_t n);

/*
 * Content too large to read whole (above limits->file_bytes, or an archive
 * member above member_bytes) is checked by name, the streaming prefilter, the
 * token detectors over overlapping windows and a search for embedded state
 * instead: feed it in order, in chunks of any size, then finish. If it cannot be ruled out as an artifact, finish adds
 * a blocking `scan-limit` finding saying why and how to raise the limit (fail
 * closed); otherwise nothing. One stream per blob; not shared between threads.
 */
struct detect_stream;
struct detect_stream *detect_stream_new(void);
void detect_stream_feed(struct detect_stream *s, const unsigned char *data, size_t len);
/* Reports as described above and frees s. `size` is the whole content's size. */
void detect_stream_finish(struct detect_stream *s, struct scan_ctx *ctx, const char *path,
                          uint64_t size);
/* The same for content above another limit (an archive member above member_bytes): the
 * message names `limit_key` ("member_bytes") and its value `limit`. Frees s. */
void detect_stream_finish_limit(struct detect_stream *s, struct scan_ctx *ctx, const char *path,
                                uint64_t size, const char *limit_key, uint64_t limit);
/* Frees s without a verdict (the caller reported the content otherwise). */
void detect_stream_free(struct detect_stream *s);

#endif
