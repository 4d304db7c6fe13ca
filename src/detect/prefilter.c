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
 *
 * All anchors are looked for in one pass (multimatch.c): this loop sees every
 * byte of every blob, so it is where a history audit's time goes.
 */
#include "detect/detect_int.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include "core/util.h"
#include "detect/multimatch.h"

/*
 * The anchors. A family may match only if one of its anchors occurs; the
 * families re-check every hit, so an anchor only has to be implied by a match.
 */
#define JSONKEY(k) {"\"" k, PF_I_JSONKEY, 1, 0}
static const struct mm_pattern anchors[] = {
	/* JSON gate: a string that starts with one of the keys every JSON artifact has */
	JSONKEY("lineage"),        /* state v2-v4, legacy snapshots, encrypted state */
	JSONKEY("modules"),        /* state v1-v3 */
	JSONKEY("instances"),      /* state v4 resources (lineage may be missing) */
	JSONKEY("backend"),        /* backend snapshot */
	JSONKEY("state_store"),    /* backend snapshot (pluggable state storage) */
	JSONKEY("format_version"), /* terraform show -json */
	JSONKEY("checkpoint"),     /* pulumi checkpoint */
	JSONKEY("deployment"),     /* pulumi stack export */
	JSONKEY("urn:pulumi:"),    /* pulumi resources (a value) */
	JSONKEY("encrypted_data"), /* opentofu envelope */
	JSONKEY("credentials"),    /* credentials.tfrc.json */
	/* ... or a key spelled with a \u escape or a letter Go folds to ASCII (U+017F, U+212A) */
	{"\\u", PF_I_ESCAPE, 0, 0}, {"\xc5\xbf", PF_I_ESCAPE, 0, 0}, {"\xe2\x84\xaa", PF_I_ESCAPE, 0, 0},
	/* token families (tokens.c) */
	{"AKIA", PF_TOK_AWS, 0, 0}, {"ASIA", PF_TOK_AWS, 0, 0}, {"ABIA", PF_TOK_AWS, 0, 0},
	{"ACCA", PF_TOK_AWS, 0, 0}, {"A3T", PF_TOK_AWS, 0, 0}, {".atlasv1.", PF_TOK_TFC, 0, 0},
	{"TF_TOKEN_", PF_TOK_TFC, 0, 0}, {"hvs.", PF_TOK_VAULT, 0, 0}, {"hvb.", PF_TOK_VAULT, 0, 0},
	{"vault", PF_TOK_VAULT, 1, 0}, {"PRIVATE KEY", PF_TOK_PKEY, 0, 0}, {"secret", PF_TOK_SECRET, 1, 0},
	/* HCL: blocks inside `terraform {}`, Terragrunt remote_state, CLI credentials */
	{"terraform", PF_I_TERRAFORM, 0, 0}, {"backend", PF_I_TFBLOCK, 0, 0},
	{"cloud", PF_I_TFBLOCK, 0, 0}, {"encryption", PF_I_TFBLOCK, 0, 0},
	{"remote_state", PF_HCL, 0, 0}, {"credentials", PF_HCL, 0, 0},
	/* partial backend files: one key of each identifying pair (tf_backend.c) */
	{"bucket", PF_PARTIAL, 0, 0}, {"storage_account_name", PF_PARTIAL, 0, 0},
	{"organization", PF_PARTIAL, 0, 0}, {"lock_address", PF_PARTIAL, 0, 0},
	{"conn_str", PF_PARTIAL, 0, 0}, {"resource_group_name", PF_PARTIAL, 0, 0},
	/* built-in identifier shapes (identifiers.c): ARN, AWS endpoints, EC2 ids */
	{"arn:", PF_IDS, 0, 0}, {".amazonaws.com", PF_IDS, 0, 0}, {".cloudfront.net", PF_IDS, 0, 0},
	{"-", PF_IDS, 0, 1}, /* EC2-style ids: "vpc-" + 8 or 17 hex; the prefix is checked later */
	{"/subscriptions/", PF_AZURE, 1, 0},
};

static struct multimatch *matcher;
static pthread_once_t matcher_once = PTHREAD_ONCE_INIT;

static void matcher_init(void)
{
	matcher = multimatch_new(anchors, sizeof(anchors) / sizeof(*anchors));
}

size_t prefilter_longest_anchor(void)
{
	size_t max = 0;
	for (size_t i = 0; i < sizeof(anchors) / sizeof(*anchors); i++) {
		size_t l = strlen(anchors[i].s) + (anchors[i].hex8 ? 8 : 0);
		max = l > max ? l : max;
	}
	return max;
}

void prefilter_init(struct prefilter *pf)
{
	memset(pf, 0, sizeof(*pf));
	pthread_once(&matcher_once, matcher_init);
}

/* Checks one contiguous window for what is not yet known to match. */
static void scan_window(struct prefilter *pf, const unsigned char *d, size_t n)
{
	if (!matcher) { /* cannot happen with a valid table; if it does, nothing is ruled out */
		pf->flags |= ~0u;
		return;
	}
	pf->flags = multimatch_scan(matcher, d, n, pf->flags);
	if ((pf->flags & PF_I_TERRAFORM) && (pf->flags & PF_I_TFBLOCK))
		pf->flags |= PF_HCL;
	if (pf->first_seen && pf->first == '{' && (pf->flags & (PF_I_JSONKEY | PF_I_ESCAPE)))
		pf->flags |= PF_JSON;
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
	return pf.flags & ~(unsigned)PF_INTERNAL;
}
