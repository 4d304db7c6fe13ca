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

/* Case-sensitive anchors of the token families (tokens.c re-checks each hit). */
static const char *const token_anchors[] = {
	"AKIA", "ASIA", "ABIA", "ACCA", "A3T", ".atlasv1.", "hvs.", "hvb.", "PRIVATE KEY",
	"TF_TOKEN_", NULL,
};
/* Case-insensitive anchors of the token families. */
static const char *const token_anchors_ci[] = {"secret", "vault", NULL};

/* HCL blocks and partial backend files (HCL is case-sensitive). */
static const char *const hcl_anchors[] = {
	"backend", "cloud", "remote_state", "encryption", "credentials", "bucket",
	"storage_account_name", "container_name", "organization", "conn_str", "dynamodb_table",
	"address", NULL,
};

void prefilter_init(struct prefilter *pf)
{
	memset(pf, 0, sizeof(*pf));
}

static int any_needle(const unsigned char *d, size_t n, const char *const *needles)
{
	for (size_t i = 0; needles[i]; i++)
		if (util_memmem(d, n, needles[i], strlen(needles[i])))
			return 1;
	return 0;
}

static int any_needle_ci(const unsigned char *d, size_t n, const char *const *needles)
{
	for (size_t i = 0; needles[i]; i++)
		if (util_memcasemem(d, n, needles[i], strlen(needles[i])))
			return 1;
	return 0;
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

/* Checks one contiguous window; `json_possible` says whether the JSON gate still applies. */
static void scan_window(struct prefilter *pf, const unsigned char *d, size_t n)
{
	if ((pf->flags & PF_JSON) == 0 && pf->first == '{' && json_gate(d, n))
		pf->flags |= PF_JSON;
	if (!(pf->flags & PF_TOKENS) &&
	    (any_needle(d, n, token_anchors) || any_needle_ci(d, n, token_anchors_ci)))
		pf->flags |= PF_TOKENS;
	if (!(pf->flags & PF_HCL) && any_needle(d, n, hcl_anchors))
		pf->flags |= PF_HCL | PF_PARTIAL;
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
	return pf.flags;
}
