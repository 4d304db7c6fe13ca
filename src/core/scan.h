/*
 * scan: what every stage of one scan shares: the budgets (struct scan_limits)
 * and the per-scan context (struct scan_ctx) that layers and detectors write
 * findings into. Layers hand inner content back with scan_emit(); the pipeline
 * installs the callback behind it, so nothing below the pipeline calls up into it.
 */
#ifndef SG_SCAN_H
#define SG_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"

struct policy;
struct lfs_store;

/* Budgets, sized for a hook by default (scan_limits_default). */
struct scan_limits {
	unsigned archive_depth;   /* layers nested deeper than this are not opened */
	uint64_t archive_bytes;   /* bytes inflated or decoded per top-level blob and read whole, all
	                           * levels together; past it, members stream through the prefilter */
	uint64_t member_bytes;    /* largest member read whole; bigger ones stream (prefilter) */
	uint64_t inflated_bytes;  /* hard ceiling on bytes inflated per top-level blob (bombs) */
	uint64_t archive_members; /* members per container */
	uint64_t archive_ratio;   /* inflated:compressed ratio treated as a bomb (with >1 MiB out) */
	uint64_t parse_bytes;     /* JSON above this is not fully parsed (prefilter + name only) */
	uint64_t file_bytes;      /* blobs/files above this are not read whole */
};

void scan_limits_default(struct scan_limits *l);

/*
 * The files beside a top-level blob, as its source sees them (the same directory of the
 * same commit, index or file system), for a detector that needs a neighbour's
 * declarations (tf_vars.c: which variables the .tf files declare sensitive).
 * each() calls fn(name, data, len, arg) for every regular file of the directory of `path`
 * whose name ends in one of the NULL-terminated `suffixes`, and returns 0; 1 if the source
 * has no directory for `path` (standard input, objects no commit reaches); -1 with err set
 * when the directory or one of those files could not be read.
 */
typedef void (*scan_sibling_fn)(const char *name, const unsigned char *data, size_t len,
                                void *arg);
struct scan_siblings {
	/* s: this struct, which a source may embed first in its own state */
	int (*each)(const struct scan_siblings *s, const char *path, const char *const *suffixes,
	            scan_sibling_fn fn, void *arg, char *err, size_t errsz);
};

struct scan_ctx;

/*
 * The detectors as the layers see them, installed by the pipeline (so that no layer
 * calls into detect/):
 * - content too big to hold (an archive member above member_bytes, an LFS object above
 *   file_bytes) is judged as it streams: a layer opens a stream, feeds every byte in
 *   order, then finishes it (a blocking finding naming `limit_key` when the content
 *   cannot be ruled out, else nothing) or discards it (no verdict: already reported);
 * - may_match: 0 when no detector family can match the bytes (a decoding layer need
 *   not hand them on), else nonzero;
 * - json_key_at: the length of a gate key of the JSON artifacts ("lineage", ...)
 *   starting at p, just after its opening quote, else 0.
 */
struct scan_stream;
struct scan_detectors {
	struct scan_stream *(*stream_open)(void);
	void (*stream_feed)(struct scan_stream *s, const unsigned char *data, size_t len);
	void (*stream_finish)(struct scan_stream *s, struct scan_ctx *ctx, const char *path,
	                      uint64_t size, const char *limit_key, uint64_t limit);
	void (*stream_discard)(struct scan_stream *s);
	unsigned (*may_match)(const unsigned char *data, size_t len);
	size_t (*json_key_at)(const unsigned char *p, size_t n);
};

/*
 * Where a layer sends inner content: scans `data` as the content at `path`
 * (e.g. "infra.zip!prod/terraform.tfstate"), nested `depth` levels deep.
 * Returns 0, or -1 on an internal error (already reported as a finding).
 */
typedef int (*scan_emit_fn)(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                            size_t len, unsigned depth);

struct scan_ctx {
	const struct scan_limits *limits;
	const struct policy *policy; /* NULL: built-in rules only */
	struct finding_list *out;    /* findings are appended here */
	uint64_t inflated;           /* bytes inflated so far under the current top-level blob */
	uint64_t held;               /* of those, bytes of members read whole (archive_bytes) */
	size_t blob_first;           /* index in out of the current top-level blob's first finding */
	scan_emit_fn emit;           /* set by the pipeline (pipeline_attach) */
	const struct scan_detectors *detectors; /* set by the pipeline (pipeline_attach) */
	/* Git LFS (source/lfsstore.h, read by unpack/lfs.c): the store a hook reads objects from, and what an absent one
	 * means; NULL: no LFS resolution (pointers are plain text). Read-only, shared by threads. */
	const struct lfs_store *lfs;
	const struct scan_siblings *siblings; /* NULL: the source has no directory context */
};

/*
 * Hands inner content found by a layer (a container's member, decoded text) back
 * to the pipeline through ctx->emit. Without a pipeline behind the context (a
 * unit test driving one stage alone) the content is reported as not examined.
 */
int scan_emit(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
              unsigned depth);

/* The calls through ctx->detectors. Without them (no pipeline behind the context) a
 * stream opens as NULL, feed and discard do nothing and finish reports the content as
 * not examined (a scan error): a layer never passes what nobody judged; may_match says
 * 1 (hand everything on) and json_key_at 0. */
struct scan_stream *scan_stream_open(const struct scan_ctx *ctx);
void scan_stream_feed(const struct scan_ctx *ctx, struct scan_stream *s, const unsigned char *data,
                      size_t len);
void scan_stream_finish(struct scan_ctx *ctx, struct scan_stream *s, const char *path,
                        uint64_t size, const char *limit_key, uint64_t limit);
void scan_stream_discard(const struct scan_ctx *ctx, struct scan_stream *s);
unsigned scan_may_match(const struct scan_ctx *ctx, const unsigned char *data, size_t len);
size_t scan_json_key_at(const struct scan_ctx *ctx, const unsigned char *p, size_t n);

#endif
