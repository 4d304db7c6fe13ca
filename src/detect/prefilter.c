/*
 * prefilter: decides cheaply, and soundly, which detector families cannot
 * match a blob, so ordinary source never reaches a parser. It streams (chunks
 * in order, needles may straddle chunk borders) so oversize files get the same
 * verdict. It only rules families out; the families decide what matches.
 *
 * Soundness of the JSON gate: every JSON artifact is an object (first byte
 * '{' after a BOM/whitespace) with at least one of a few keys. A key can only
 * be spelled literally (any ASCII case, since Go matches keys that way), with
 * a \u escape, or with the two non-ASCII letters Go folds to ASCII (U+017F for
 * 's', U+212A for 'k'); the gate looks for all three.
 */
#include "detect/detect_int.h"

#include <ctype.h>
#include <string.h>

#include "core/util.h"

/* Keys (and one value prefix) that at least one JSON artifact must contain. */
static const char *const json_keys[] = {
	"lineage",      /* state v2-v4, legacy snapshots, encrypted state */
	"modules",      /* state v1-v3 */
	"instances",    /* state v4 resources (lineage may be missing) */
	"backend",      /* backend snapshot */
	"state_store",  /* backend snapshot (pluggable state storage) */
	"format_version", /* terraform show -json */
	"checkpoint",   /* pulumi checkpoint */
	"deployment",   /* pulumi stack export */
	"urn:pulumi:",  /* pulumi resources */
	"encrypted_data", /* opentofu envelope */
	"credentials",  /* credentials.tfrc.json */
	NULL,
};

/* Anchors of the token families (tokens.c re-checks each hit) and the bit each sets. */
static const struct anchor {
	const char *s;
	unsigned flag;
	int ci; /* ASCII case-insensitive */
} anchors[] = {
	{"AKIA", PF_TOK_AWS, 0},      {"ASIA", PF_TOK_AWS, 0},       {"ABIA", PF_TOK_AWS, 0},
	{"ACCA", PF_TOK_AWS, 0},      {"A3T", PF_TOK_AWS, 0},        {".atlasv1.", PF_TOK_TFC, 0},
	{"TF_TOKEN_", PF_TOK_TFC, 0}, {"hvs.", PF_TOK_VAULT, 0},     {"hvb.", PF_TOK_VAULT, 0},
	{"vault", PF_TOK_VAULT, 1},   {"PRIVATE KEY", PF_TOK_PKEY, 0}, {"secret", PF_TOK_SECRET, 1},
	/* HCL: blocks inside `terraform {}`, Terragrunt remote_state, CLI credentials */
	{"terraform", PF_I_TERRAFORM, 0}, {"backend", PF_I_TFBLOCK, 0}, {"cloud", PF_I_TFBLOCK, 0},
	{"encryption", PF_I_TFBLOCK, 0},  {"remote_state", PF_HCL, 0},  {"credentials", PF_HCL, 0},
	/* partial backend files: one key of each identifying pair (tf_backend.c) */
	{"bucket", PF_PARTIAL, 0},    {"storage_account_name", PF_PARTIAL, 0},
	{"organization", PF_PARTIAL, 0}, {"lock_address", PF_PARTIAL, 0}, {"conn_str", PF_PARTIAL, 0},
	{"resource_group_name", PF_PARTIAL, 0},
};

void prefilter_init(struct prefilter *pf)
{
	memset(pf, 0, sizeof(*pf));
}

/* One pass over the quotes of a JSON text: does any string start with a gate key? */
static int json_gate(const unsigned char *d, size_t n)
{
	if (util_memmem(d, n, "\\u", 2) || util_memmem(d, n, "\xc5\xbf", 2) ||
	    util_memmem(d, n, "\xe2\x84\xaa", 3))
		return 1;
	const unsigned char *p = d, *end = d + n;
	while (p < end && (p = memchr(p, '"', (size_t)(end - p))) != NULL) {
		p++;
		for (size_t i = 0; json_keys[i]; i++) {
			size_t kl = strlen(json_keys[i]);
			if ((size_t)(end - p) >= kl && !strncasecmp((const char *)p, json_keys[i], kl))
				return 1;
		}
	}
	return 0;
}

/* Checks one contiguous window for what is not yet known to match. */
static void scan_window(struct prefilter *pf, const unsigned char *d, size_t n)
{
	if ((pf->flags & PF_JSON) == 0 && pf->first == '{' && json_gate(d, n))
		pf->flags |= PF_JSON;
	for (size_t i = 0; i < sizeof(anchors) / sizeof(*anchors); i++) {
		const struct anchor *a = &anchors[i];
		if (pf->flags & a->flag)
			continue;
		size_t l = strlen(a->s);
		if (a->ci ? util_memcasemem(d, n, a->s, l) != NULL : util_memmem(d, n, a->s, l) != NULL)
			pf->flags |= a->flag;
	}
	if ((pf->flags & PF_I_TERRAFORM) && (pf->flags & PF_I_TFBLOCK))
		pf->flags |= PF_HCL;
}

void prefilter_feed(struct prefilter *pf, const unsigned char *data, size_t len)
{
	if (!len)
		return;
	/* magic and first significant byte */
	if (pf->head_len < sizeof(pf->head)) {
		size_t take = sizeof(pf->head) - pf->head_len;
		if (take > len)
			take = len;
		memcpy(pf->head + pf->head_len, data, take);
		pf->head_len += take;
		if ((pf->head_len >= 7 && !memcmp(pf->head, "tfstate", 7)) ||
		    (pf->head_len >= 6 && !memcmp(pf->head, "tfplan", 6)))
			pf->flags |= PF_BINARY;
	}
	size_t i = 0;
	if (pf->off == 0 && len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		i = 3;
	for (; !pf->first_seen && i < len; i++) {
		if (!isspace(data[i])) {
			pf->first_seen = 1;
			pf->first = data[i];
		}
	}
	/* needles straddling the previous chunk's end */
	if (pf->tail_len) {
		unsigned char win[2 * sizeof(pf->tail)];
		size_t take = len < sizeof(pf->tail) ? len : sizeof(pf->tail);
		memcpy(win, pf->tail, pf->tail_len);
		memcpy(win + pf->tail_len, data, take);
		scan_window(pf, win, pf->tail_len + take);
	}
	scan_window(pf, data, len);
	/* keep the last bytes for the next chunk */
	if (len >= sizeof(pf->tail)) {
		memcpy(pf->tail, data + len - sizeof(pf->tail), sizeof(pf->tail));
		pf->tail_len = sizeof(pf->tail);
	} else {
		size_t keep = pf->tail_len + len > sizeof(pf->tail) ? sizeof(pf->tail) - len : pf->tail_len;
		memmove(pf->tail, pf->tail + pf->tail_len - keep, keep);
		memcpy(pf->tail + keep, data, len);
		pf->tail_len = keep + len;
	}
	pf->off += len;
}

unsigned prefilter_run(const unsigned char *data, size_t len)
{
	struct prefilter pf;
	prefilter_init(&pf);
	prefilter_feed(&pf, data, len);
	return pf.flags & ~(unsigned)(PF_I_TERRAFORM | PF_I_TFBLOCK);
}
