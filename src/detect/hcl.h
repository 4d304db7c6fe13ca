/*
 * hcl: a small, tolerant scanner for HCL native syntax (.tf, .hcl, .tfbackend,
 * .terraformrc). It reports blocks, their labels, attributes and a coarse kind
 * of each value, in order, without building a tree and without evaluating
 * anything. It never fails on odd input: what it cannot read it skips.
 *
 * Example: find the bucket of every backend block
 *
 *     static int cb(const struct hcl_event *ev, void *arg) {
 *         if (ev->kind == HCL_EV_ATTR && ev->depth >= 2 &&
 *             hcl_span_eq(ev->frames[ev->depth - 1].type, "backend") &&
 *             hcl_span_eq(ev->name, "bucket") && ev->vkind == HCL_VAL_STRING) { ... }
 *         return 0;
 *     }
 *     hcl_scan(text, len, cb, arg);
 */
#ifndef SG_HCL_H
#define SG_HCL_H

#include <stddef.h>

/* A slice of the scanned text (not NUL-terminated). */
struct hcl_span {
	const char *p;
	size_t len;
};

enum hcl_event_kind {
	HCL_EV_BLOCK, /* a block or an object-valued attribute opens */
	HCL_EV_END,   /* the block opened last closes */
	HCL_EV_ATTR,  /* name = value */
};

enum hcl_value_kind {
	HCL_VAL_STRING,   /* "literal": value = the text between the quotes, still escaped */
	HCL_VAL_TEMPLATE, /* a quoted string with ${...} or %{...}: value = text between quotes */
	HCL_VAL_HEREDOC,  /* <<EOT ... EOT: value = the body (may contain ${...}) */
	HCL_VAL_NULL,     /* null */
	HCL_VAL_BOOL,     /* true / false */
	HCL_VAL_NUMBER,   /* 42, 1.5 */
	HCL_VAL_OBJECT,   /* name = { ... }: also reported as HCL_EV_BLOCK with is_object */
	HCL_VAL_EXPR,     /* anything else: var.x, local.y, func(...), [ ... ], a ? b : c */
};

#define HCL_MAX_LABELS 4
#define HCL_MAX_DEPTH 32

/* One open block: `type "label0" "label1" {` or `type = {` (is_object). */
struct hcl_frame {
	struct hcl_span type;
	struct hcl_span labels[HCL_MAX_LABELS]; /* label text without quotes */
	unsigned nlabels;
	int is_object;
};

struct hcl_event {
	enum hcl_event_kind kind;
	/*
	 * frames[0..depth-1] are the open blocks, outermost first. For HCL_EV_BLOCK
	 * and HCL_EV_END the block itself is frames[depth - 1]; for HCL_EV_ATTR the
	 * attribute sits inside frames[depth - 1] (depth 0: top level).
	 */
	unsigned depth;
	const struct hcl_frame *frames;
	struct hcl_span name;       /* HCL_EV_ATTR: attribute name */
	enum hcl_value_kind vkind;  /* HCL_EV_ATTR: kind of the value */
	struct hcl_span value;      /* HCL_EV_ATTR: see enum hcl_value_kind */
	size_t line;                /* 1-based line of the block type or attribute name */
};

/* Return non-zero from the callback to stop the scan (hcl_scan then returns that value). */
typedef int (*hcl_cb)(const struct hcl_event *ev, void *arg);

/*
 * Scans text[0..len) and calls cb for every block open/close and attribute.
 * Nesting beyond HCL_MAX_DEPTH ends the scan early. Returns 0 or cb's value.
 */
int hcl_scan(const char *text, size_t len, hcl_cb cb, void *arg);

/* 1 if the span equals the NUL-terminated literal. */
int hcl_span_eq(struct hcl_span s, const char *lit);

/* 1 if the value is a literal (STRING, or HEREDOC without ${), non-empty. */
int hcl_value_is_literal(const struct hcl_event *ev);

/* Copies a span into a new NUL-terminated string, decoding \" \\ \n \t escapes. */
char *hcl_span_dup(struct hcl_span s);

#endif
