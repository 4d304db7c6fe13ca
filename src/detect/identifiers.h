/*
 * identifiers: where live-infrastructure identifiers may appear. Built-in warn
 * rules (ARNs with account ids, AWS resource hostnames, EC2-style ids, Azure
 * subscription ids), `prod-identifier` (an environment's identifier or
 * fingerprint outside its paths) and `env-mismatch` (backend configuration of
 * one environment naming another's state).
 */
#ifndef SG_IDENTIFIERS_H
#define SG_IDENTIFIERS_H

#include <stddef.h>

#include "core/scan.h"

/* Which built-in shapes a blob may hold (the prefilter's verdict); 0 turns them off. */
enum {
	IDENT_SHAPES_ARN = 1u << 0,   /* ARNs with an account id ("arn:" seen) */
	IDENT_SHAPES_HOST = 1u << 1,  /* AWS endpoints (".amazonaws.com", ".cloudfront.net" seen) */
	IDENT_SHAPES_EC2 = 1u << 2,   /* EC2-style ids ('-' and 8 hex digits seen) */
	IDENT_SHAPES_AZURE = 1u << 3, /* Azure subscription ids */
	IDENT_SHAPES_AWS = IDENT_SHAPES_ARN | IDENT_SHAPES_HOST | IDENT_SHAPES_EC2,
	IDENT_SHAPES_ALL = IDENT_SHAPES_AWS | IDENT_SHAPES_AZURE,
};

/*
 * Examines one content no container claimed (archive members too: the part of `path` before the first
 * '!' decides which environment it lives in). `shapes`: the built-in warn rules
 * to look for; 0 when a state-like finding was already made (the state covers
 * them) or when the prefilter found none of their anchors. Returns 0, or -1 on
 * an internal error.
 */
int identifiers_detect(struct scan_ctx *ctx, const char *path, const unsigned char *data,
                       size_t len, unsigned shapes);

/*
 * Finds backend configuration in data (backend/cloud blocks, Terragrunt
 * remote_state, partial backend files by name, backend snapshots) and calls cb
 * for each region [off, off+len). Exposed for tests.
 */
typedef int (*identifiers_region_cb)(size_t off, size_t len, void *arg);
int identifiers_backend_regions(const char *path, const unsigned char *data, size_t len,
                                identifiers_region_cb cb, void *arg);

/*
 * What a candidate token (policy/idtoken) is, if it has a built-in shape:
 * "account id", "arn" (with an account id), "endpoint" (AWS resource
 * hostname), "resource id" (EC2-style); NULL otherwise. Used by `learn`.
 */
const char *identifiers_classify(const unsigned char *tok, size_t len, int kind);

#endif
