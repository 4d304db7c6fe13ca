/*
 * fuzz_hcl: the HCL scanner (src/detect/hcl.h) on an exact-size buffer (no NUL
 * after it, so any read past `len` is caught), checking that every span it
 * reports lies inside the text; then the detectors on the same text under .tf,
 * .tfvars, .terraform.lock.hcl and .env paths.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/detect.h"
#include "detect/hcl.h"
#include "fuzz_common.h"

static const char *const hcl_paths[] = {"main.tf", "prod.auto.tfvars", ".terraform.lock.hcl",
                                        "env/.env"};

struct text {
	const char *p;
	size_t len;
	unsigned long sum;
};

/* Reads every byte of a span (so ASan sees it) after checking it is inside the text. */
static void touch(struct text *t, struct hcl_span s)
{
	if (!s.len)
		return;
	if (s.p < t->p || s.len > t->len || s.p > t->p + t->len - s.len)
		__builtin_trap();
	for (size_t i = 0; i < s.len; i++)
		t->sum += (unsigned char)s.p[i];
}

static int on_event(const struct hcl_event *ev, void *arg)
{
	struct text *t = arg;
	if (ev->depth > HCL_MAX_DEPTH)
		__builtin_trap();
	for (unsigned d = 0; d < ev->depth; d++) {
		if (ev->frames[d].nlabels > HCL_MAX_LABELS)
			__builtin_trap();
		touch(t, ev->frames[d].type);
		for (unsigned l = 0; l < ev->frames[d].nlabels; l++)
			touch(t, ev->frames[d].labels[l]);
	}
	if (ev->kind == HCL_EV_ATTR) {
		touch(t, ev->name);
		touch(t, ev->value);
		char *v = hcl_span_dup(ev->value);
		if (strlen(v) > ev->value.len)
			__builtin_trap();
		free(v);
		(void)hcl_value_is_literal(ev);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_ctx ctx;
	struct scan_limits limits;
	struct finding_list out;

	char *exact = malloc(size ? size : 1);
	if (!exact)
		return 0;
	memcpy(exact, data, size);
	struct text t = {exact, size, 0};
	hcl_scan(exact, size, on_event, &t);
	free(exact);

	unsigned char *copy = fuzz_copy(data, size);
	if (!copy)
		return 0;
	for (size_t i = 0; i < sizeof(hcl_paths) / sizeof(hcl_paths[0]); i++) {
		fuzz_ctx_init(&ctx, &limits, &out);
		detect_blob(&ctx, hcl_paths[i], copy, size, 0, 0);
		finding_list_free(&out);
	}
	free(copy);
	return 0;
}
