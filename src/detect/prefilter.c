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
#include <strings.h>

#include "core/util.h"
#include "detect/detect.h"
#include "detect/multimatch.h"

/*
 * The anchors. A family may match only if one of its anchors occurs; the
 * families re-check every hit, so an anchor only has to be implied by a match.
 * The last field places the anchor in one of multimatch's 8 buckets: anchors
 * that look alike share one, so few positions of ordinary text pass the filter.
 */
#define LIT(s_, f_, b_) {.s = (s_), .flag = (f_), .bucket = (b_)}
#define LIT_CI(s_, f_, b_) {.s = (s_), .flag = (f_), .ci = 1, .bucket = (b_)}
/* An HCL block type or attribute name (hcl.c): a whole identifier, then spaces, '{', '=',
 * ':', a quote or a comment, and the '{' (block) or '=' (attribute) on the same line */
#define HCL_NAME(s_, f_, l_, b_) \
	{.s = (s_), .flag = (f_), .word = 1, .next_in = " \t\r{=:\"/", .line_has = (l_), .bucket = (b_)}
#define JSONKEY(k) LIT_CI("\"" k, PF_I_JSONKEY, 1)
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
	JSONKEY("value"),          /* terraform output -json (every output has "value") */
	/* ... or a key spelled with a \u escape or a letter Go folds to ASCII (U+017F, U+212A) */
	LIT("\\u", PF_I_ESCAPE, 8), LIT("\xc5\xbf", PF_I_ESCAPE, 8), LIT("\xe2\x84\xaa", PF_I_ESCAPE, 8),
	/* token families (tokens.c) */
	LIT("AKIA", PF_TOK_AWS, 2), LIT("ASIA", PF_TOK_AWS, 2), LIT("ABIA", PF_TOK_AWS, 2),
	LIT("ACCA", PF_TOK_AWS, 2), LIT("A3T", PF_TOK_AWS, 8), LIT("PRIVATE KEY", PF_TOK_PKEY, 2),
	LIT("TF_TOKEN_", PF_TOK_TFC, 2), LIT(".atlasv1.", PF_TOK_TFC, 3),
	LIT("hvs.", PF_TOK_VAULT, 6), LIT("hvb.", PF_TOK_VAULT, 6),
	LIT_CI("vault", PF_TOK_VAULT_LINE, 6), {.s = "secret", .flag = PF_TOK_SECRET, .ci = 1, .line_has = "=:", .bucket = 5},
	/* HCL (hcl.c): a block or object opens with '{' on its header's line, an attribute has
	 * '=' (or ':') on its line; a block comment may stand between (its opener counts) */
	HCL_NAME("terraform", PF_I_TERRAFORM, "{", 5), HCL_NAME("backend", PF_I_TFBLOCK, "{", 4),
	HCL_NAME("cloud", PF_I_TFBLOCK, "{", 4), HCL_NAME("encryption", PF_I_TFBLOCK, "{", 6),
	HCL_NAME("remote_state", PF_HCL, "{", 5), HCL_NAME("credentials", PF_HCL, "{", 4),
	/* partial backend files: one key of each identifying pair (tf_backend.c), as attributes
	 * (resource_group_name pairs only with storage_account_name, which is here) */
	HCL_NAME("bucket", PF_PARTIAL, "=", 4), HCL_NAME("storage_account_name", PF_PARTIAL, "=", 5),
	HCL_NAME("organization", PF_PARTIAL, "=", 6), HCL_NAME("lock_address", PF_PARTIAL, "=", 6),
	HCL_NAME("conn_str", PF_PARTIAL, "=", 4),
	/* built-in identifier shapes (identifiers.c): ARN, AWS endpoints, EC2 ids */
	LIT("arn:", PF_IDS_ARN, 4), LIT(".amazonaws.com", PF_IDS_HOST, 3),
	LIT(".cloudfront.net", PF_IDS_HOST, 3),
	/* EC2-style ids: "vpc-" + 8 or 17 hex digits; the prefix is checked later */
	{.s = "-", .flag = PF_IDS_EC2, .hex8 = 1, .bucket = 7},
	LIT_CI("/subscriptions/", PF_AZURE, 3),
	/* Terraform/OpenTofu logs (tf_log.c): a crash banner, or a level on a log line (TF_LOG=json:
	 * the "@level" key) */
	LIT("TERRAFORM CRASH", PF_TF_LOG, 8), LIT("OPENTOFU CRASH", PF_TF_LOG, 8),
	LIT("[TRACE]", PF_TF_LOG, 8), LIT("[DEBUG]", PF_TF_LOG, 8), LIT("[INFO]", PF_TF_LOG, 8),
	LIT("[WARN]", PF_TF_LOG, 8), LIT("[ERROR]", PF_TF_LOG, 8), LIT("\"@level\":\"", PF_TF_LOG, 8),
};

/* Two matchers: every anchor, and all but the JSON gate's (which only matter when the first
 * byte is '{': most blobs are ruled out of JSON at their first byte and skip them). */
static struct multimatch *matcher, *matcher_text;
static pthread_once_t matcher_once = PTHREAD_ONCE_INIT;

/* Where the text matcher puts anchors differently: the JSON keys' bucket is free there, so
 * the two most frequent words of code get buckets of their own. */
static const struct {
	const char *s;
	int bucket;
} text_buckets[] = {{"secret", 1}, {"vault", 8}, {"A3T", 2}};

static void matcher_init(void)
{
	struct mm_pattern text[sizeof(anchors) / sizeof(*anchors)];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(anchors) / sizeof(*anchors); i++) {
		if (anchors[i].flag & (PF_I_JSONKEY | PF_I_ESCAPE))
			continue;
		text[n] = anchors[i];
		for (size_t k = 0; k < sizeof(text_buckets) / sizeof(*text_buckets); k++)
			if (!strcmp(text[n].s, text_buckets[k].s))
				text[n].bucket = text_buckets[k].bucket;
		n++;
	}
	matcher = multimatch_new(anchors, sizeof(anchors) / sizeof(*anchors));
	matcher_text = multimatch_new(text, n);
}

const struct mm_pattern *prefilter_anchors(size_t *n)
{
	*n = sizeof(anchors) / sizeof(*anchors);
	return anchors;
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
	const struct multimatch *m = pf->first_seen && pf->first != '{' ? matcher_text : matcher;
	if (!m) { /* cannot happen with a valid table; if it does, nothing is ruled out */
		pf->flags |= ~0u;
		return;
	}
	pf->flags = multimatch_scan(m, d, n, pf->flags);
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
	/* the first significant byte: after a BOM (which may be cut across chunks), spaces and
	 * zeroed bytes (detect_blob skips leading zeros too: a torn write hides nothing) */
	for (size_t i = 0; !pf->first_seen && i < len; i++) {
		size_t at = pf->off + i;
		if (at < 3 && at == pf->bom && data[i] == (unsigned char)"\xef\xbb\xbf"[at]) {
			pf->bom++;
			continue;
		}
		if (!isspace(data[i]) && data[i] != 0) {
			pf->first_seen = 1;
			pf->first = data[i];
		} else if (!data[i]) { /* a run of zeroed bytes (a preallocated file, a bomb): fast */
			uint64_t w;
			while (i + 1 + sizeof(w) <= len && (memcpy(&w, data + i + 1, sizeof(w)), !w))
				i += sizeof(w);
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
	/* in steps, giving back the pages of a mapped file behind it (util_release_pages) */
	for (size_t step = (size_t)8 << 20; len > step; data += step, len -= step) {
		prefilter_feed(&pf, data, step);
		util_release_pages(data, step);
	}
	prefilter_feed(&pf, data, len);
	return pf.flags & ~(unsigned)PF_INTERNAL;
}

unsigned detect_may_match(const unsigned char *data, size_t len)
{
	return prefilter_run(data, len);
}

size_t detect_json_key_at(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < sizeof(anchors) / sizeof(*anchors); i++) {
		if (!(anchors[i].flag & PF_I_JSONKEY))
			continue;
		const char *k = anchors[i].s + 1; /* after the quote */
		size_t kl = strlen(k);
		if (kl <= n && !strncasecmp((const char *)p, k, kl))
			return kl;
	}
	return 0;
}
