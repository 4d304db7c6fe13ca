/*
 * detect_run: what the detector unit tests share: one blob through detect_blob
 * with the default limits and no policy, and lookups over the findings.
 */
#ifndef SG_DETECT_RUN_H
#define SG_DETECT_RUN_H

#include "unit.h"

#include "core/finding.h"
#include "pipeline/pipeline.h"
#include "detect/detect.h"

struct run {
	struct scan_limits limits;
	struct scan_ctx ctx;
	struct finding_list out;
};

static inline void run_scan_len(struct run *r, const char *path, const char *text, size_t len)
{
	memset(r, 0, sizeof(*r));
	scan_limits_default(&r->limits);
	finding_list_init(&r->out);
	r->ctx.limits = &r->limits;
	r->ctx.out = &r->out;
	assert_int_equal(detect_blob(&r->ctx, path, (const unsigned char *)text, len, 0, 0), 0);
}

static inline void run_scan(struct run *r, const char *path, const char *text)
{
	run_scan_len(r, path, text, strlen(text));
}

static inline const struct finding *find_rule(const struct run *r, const char *rule)
{
	for (size_t i = 0; i < r->out.n; i++)
		if (!strcmp(r->out.v[i].rule, rule))
			return &r->out.v[i];
	return NULL;
}

static inline size_t count_rule(const struct run *r, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < r->out.n; i++)
		n += !strcmp(r->out.v[i].rule, rule);
	return n;
}

#endif
