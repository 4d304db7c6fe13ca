/*
 * tokens: credential shapes in any content, state and plan members included:
 * HCP Terraform/TFE tokens (and TF_TOKEN_* values), AWS access key IDs and
 * secret keys, Vault tokens, PEM/OpenSSH private key blocks. Each hit is
 * shown redacted. Guards: AWS documentation EXAMPLE keys, 40-hex SHAs,
 * low-entropy strings, look-alike secrets (credval.c) and variable references are not
 * findings; a private key blocks only when complete (BEGIN, END, a body that decodes).
 */
#include "detect/detect_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define MAX_SEEN 64

struct tok_scan {
	struct blob *b;
	const unsigned char *d;
	size_t n;
	size_t line_off, line; /* line counting cache (offsets only grow per pass) */
	char *seen[MAX_SEEN];  /* reported values (one finding per value and blob) */
	size_t nseen;
	int aws_key_seen;      /* a real access key ID was found: 40-char secrets nearby count */
};

static int is_alnum(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_b32(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7');
}

static int is_b64(int c)
{
	return is_alnum(c) || c == '+' || c == '/';
}

static size_t line_at(struct tok_scan *t, size_t off)
{
	if (off < t->line_off) {
		t->line_off = 0;
		t->line = 1;
	}
	for (size_t i = t->line_off; i < off; i++)
		if (t->d[i] == '\n')
			t->line++;
	t->line_off = off;
	return t->line;
}

static void report_sev(struct tok_scan *t, const char *rule, enum sg_severity sev,
                       const char *what, size_t off, const unsigned char *val, size_t len,
                       const char *fix)
{
	char *v = xstrndup((const char *)val, len);
	for (size_t i = 0; i < t->nseen; i++) {
		if (!strcmp(t->seen[i], v)) {
			free(v);
			return;
		}
	}
	char red[64];
	finding_redact(v, len, red, sizeof(red));
	cJSON *d = cJSON_CreateObject();
	size_t line = line_at(t, off);
	if (d) {
		cJSON_AddStringToObject(d, "value", red);
		cJSON_AddNumberToObject(d, "line", (double)line);
	}
	char *msg = xasprintf("%s (%s) on line %zu%s: %s", what, red, line,
	                      t->b->state_found ? ", inside a state-like file" : "", fix);
	finding_list_add(t->b->ctx->out, rule, sev, t->b->path, msg, d);
	free(msg);
	if (t->nseen < MAX_SEEN)
		t->seen[t->nseen++] = v;
	else
		free(v);
}

static void report(struct tok_scan *t, const char *rule, const char *what, size_t off,
                   const unsigned char *val, size_t len, const char *fix)
{
	report_sev(t, rule, SG_SEV_BLOCK, what, off, val, len, fix);
}

/* ---------------------------------------------------------------- AWS */

static const char *const aws_prefixes[] = {"AKIA", "ASIA", "ABIA", "ACCA", "A3T", NULL};

/* Length of an access key ID at p (20), or 0. */
static size_t aws_key_at(const unsigned char *d, size_t n, size_t i)
{
	if (i + 20 > n || (i && is_alnum(d[i - 1])) || (i + 20 < n && is_alnum(d[i + 20])))
		return 0;
	size_t start = d[i + 1] == '3' ? 5 : 4; /* A3T + one of [A-Z0-9] */
	if (start == 5 && !isupper(d[i + 3]) && !isdigit(d[i + 3]))
		return 0;
	for (size_t k = start; k < 20; k++)
		if (!is_b32(d[i + k]))
			return 0;
	if (!memcmp(d + i + 13, "EXAMPLE", 7) || util_entropy(d + i, 20) < 3.0)
		return 0;
	return 20;
}

static void scan_aws_keys(struct tok_scan *t)
{
	for (size_t p = 0; aws_prefixes[p]; p++) {
		const unsigned char *h = t->d, *end = t->d + t->n;
		size_t pl = strlen(aws_prefixes[p]);
		while ((h = util_memmem(h, (size_t)(end - h), aws_prefixes[p], pl)) != NULL) {
			size_t i = (size_t)(h - t->d);
			if (aws_key_at(t->d, t->n, i)) {
				t->aws_key_seen = 1;
				report(t, "aws-access-key", "AWS access key ID", i, t->d + i, 20,
				       "deactivate it in IAM and remove it from the history");
			}
			h++;
		}
	}
}

/* 1 if d[i..i+40) is a plausible AWS secret access key, bounded by non-base64 characters. */
static int aws_secret_at(const unsigned char *d, size_t n, size_t i)
{
	if (i + 40 > n || (i && (is_b64(d[i - 1]) || d[i - 1] == '=')) ||
	    (i + 40 < n && (is_b64(d[i + 40]) || d[i + 40] == '=')))
		return 0;
	int hex = 1, up = 0, low = 0, dig = 0;
	for (size_t k = 0; k < 40; k++) {
		int c = d[i + k];
		if (!is_b64(c))
			return 0;
		hex &= isxdigit(c) != 0;
		up |= isupper(c) != 0;
		low |= islower(c) != 0;
		dig |= isdigit(c) != 0;
	}
	if (hex || !(up && low && dig) || util_memmem(d + i, 40, "EXAMPLE", 7))
		return 0;
	if (util_entropy(d + i, 40) < 4.0)
		return 0;
	/* the shape alone is not evidence: an alphabet run, a placeholder run or a copied
	 * example word makes it a look-alike (credval.c) */
	char v[41];
	const char *why;
	memcpy(v, d + i, 40);
	v[40] = 0;
	return cred_judge(v, &why) != CRED_EXAMPLE;
}

/* After a keyword: rest of the identifier, quote, spaces, = or : (or =>), spaces, quote. */
static size_t skip_assignment(const unsigned char *d, size_t n, size_t i)
{
	while (i < n && (is_alnum(d[i]) || d[i] == '_' || d[i] == '-'))
		i++;
	if (i < n && (d[i] == '"' || d[i] == '\''))
		i++;
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	if (i < n && (d[i] == '=' || d[i] == ':')) {
		i++;
		if (i < n && d[i] == '>')
			i++;
	} else {
		return 0;
	}
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	if (i < n && (d[i] == '"' || d[i] == '\''))
		i++;
	return i;
}

static void scan_aws_secrets(struct tok_scan *t)
{
	/* next to an assignment to secret_key / aws_secret_access_key / secret ... */
	const unsigned char *h = t->d, *end = t->d + t->n;
	while ((h = util_memcasemem(h, (size_t)(end - h), "secret", 6)) != NULL) {
		size_t i = skip_assignment(t->d, t->n, (size_t)(h - t->d) + 6);
		if (i && aws_secret_at(t->d, t->n, i))
			report(t, "aws-secret-key", "AWS secret access key", i, t->d + i, 40,
			       "rotate the key pair in IAM and remove it from the history");
		h += 6;
	}
	/* ... or anywhere in a blob that also holds an access key ID */
	if (!t->aws_key_seen)
		return;
	size_t run = 0;
	for (size_t i = 0; i <= t->n; i++) {
		if (i < t->n && is_b64(t->d[i])) {
			run++;
			continue;
		}
		if (run == 40 && aws_secret_at(t->d, t->n, i - 40))
			report(t, "aws-secret-key", "AWS secret access key", i - 40, t->d + i - 40, 40,
			       "rotate the key pair in IAM and remove it from the history");
		run = 0;
	}
}

/* ---------------------------------------------------------------- HCP Terraform / TFE */

static int tfc_tail(int c)
{
	return is_alnum(c) || c == '_' || c == '=' || c == '-';
}

static void scan_tfc(struct tok_scan *t)
{
	const unsigned char *h = t->d, *end = t->d + t->n;
	while ((h = util_memmem(h, (size_t)(end - h), ".atlasv1.", 9)) != NULL) {
		size_t at = (size_t)(h - t->d);
		h += 9;
		if (at < 14)
			continue;
		size_t s = at - 14;
		int ok = !(s && is_alnum(t->d[s - 1]));
		for (size_t k = s; ok && k < at; k++)
			ok = is_alnum(t->d[k]);
		size_t tail = 0;
		while (at + 9 + tail < t->n && tfc_tail(t->d[at + 9 + tail]))
			tail++;
		if (!ok || tail < 60 || tail > 70)
			continue;
		size_t len = 14 + 9 + tail;
		if (util_entropy(t->d + s, len) < 3.5)
			continue;
		report(t, "tfc-token", "HCP Terraform / Terraform Enterprise API token", s, t->d + s,
		       len, "revoke it in the HCP Terraform/TFE token settings");
	}
	/* TF_TOKEN_<host>=<value>: any literal value is a host token */
	h = t->d;
	while ((h = util_memmem(h, (size_t)(end - h), "TF_TOKEN_", 9)) != NULL) {
		size_t name = (size_t)(h - t->d) + 9;
		h += 9;
		size_t k = name;
		while (k < t->n && (is_alnum(t->d[k]) || t->d[k] == '_'))
			k++;
		if (k == name)
			continue;
		size_t v = skip_assignment(t->d, t->n, k);
		if (!v)
			continue;
		size_t e = v;
		while (e < t->n && !isspace(t->d[e]) && t->d[e] != '"' && t->d[e] != '\'' &&
		       t->d[e] != ',' && t->d[e] != ';' && t->d[e] != '}')
			e++;
		const unsigned char *val = t->d + v;
		size_t vl = e - v;
		if (vl < 16 || val[0] == '$' || val[0] == '<' || val[0] == '{' || val[0] == '%' ||
		    util_memmem(val, vl, ".atlasv1.", 9) || util_entropy(val, vl) < 3.0)
			continue;
		report(t, "tfc-token", "Terraform host token in a TF_TOKEN_* variable", v, val, vl,
		       "revoke it on that host and pass it from a secret store");
	}
}

/* ---------------------------------------------------------------- Vault */

static int vault_char(int c)
{
	return is_alnum(c) || c == '_' || c == '-';
}

static void scan_vault(struct tok_scan *t)
{
	static const struct { const char *pfx; size_t lo, hi; } kinds[] = {
		{"hvs.", 90, 120}, {"hvb.", 138, 300}};
	const unsigned char *end = t->d + t->n;
	for (size_t k = 0; k < 2 && (t->b->pf & PF_TOK_VAULT); k++) {
		const unsigned char *h = t->d;
		while ((h = util_memmem(h, (size_t)(end - h), kinds[k].pfx, 4)) != NULL) {
			size_t at = (size_t)(h - t->d), len = 0;
			h += 4;
			if (at && vault_char(t->d[at - 1]))
				continue;
			while (at + 4 + len < t->n && vault_char(t->d[at + 4 + len]))
				len++;
			if (len < kinds[k].lo || len > kinds[k].hi || util_entropy(t->d + at, len + 4) < 3.5)
				continue;
			report(t, "vault-token", "HashiCorp Vault token", at, t->d + at, len + 4,
			       "revoke it (vault token revoke) and remove it from the history");
		}
	}
	/* legacy service tokens "s." + 24 lowercase alnum, only on a line that mentions vault:
	 * the lines are found by "vault", then searched for "s." */
	const unsigned char *v = t->d;
	size_t next_line = 0;
	while ((t->b->pf & PF_TOK_VAULT_LINE) &&
	       (v = util_memcasemem(v, (size_t)(end - v), "vault", 5)) != NULL) {
		size_t ls = (size_t)(v - t->d), le = ls;
		v += 5;
		if (ls < next_line)
			continue; /* this line was searched already */
		while (ls && t->d[ls - 1] != '\n')
			ls--;
		while (le < t->n && t->d[le] != '\n')
			le++;
		next_line = le;
		const unsigned char *h = t->d + ls;
		while ((h = util_memmem(h, (size_t)(t->d + le - h), "s.", 2)) != NULL) {
			size_t at = (size_t)(h - t->d);
			h += 2;
			if ((at && vault_char(t->d[at - 1])) || at + 26 > t->n ||
			    (at + 26 < t->n && vault_char(t->d[at + 26])))
				continue;
			int ok = 1, dig = 0, alpha = 0;
			for (size_t i = at + 2; ok && i < at + 26; i++) {
				int c = t->d[i];
				ok = (c >= 'a' && c <= 'z') || isdigit(c);
				dig |= isdigit(c) != 0;
				alpha |= islower(c) != 0;
			}
			if (!ok || !dig || !alpha)
				continue;
			report(t, "vault-token", "HashiCorp Vault token (legacy format)", at, t->d + at, 26,
			       "revoke it (vault token revoke) and remove it from the history");
		}
	}
}

/* ---------------------------------------------------------------- private keys */

static int is_quote(int c)
{
	return c == '"' || c == '\'' || c == '`';
}

/*
 * 1 if the body of a key block, from `i` up to `end`, decodes: lines of base64 (newlines raw
 * or escaped as \n; indentation, comment markers, quotes and `+` joins of source code
 * around and inside them ignored), header lines with ':' and a PGP "=CRC" line skipped,
 * padding only at the end, and at least 48 decoded bytes (every real key is longer; a
 * two-line excerpt is not).
 */
static int key_body_decodes(const unsigned char *d, size_t i, size_t end)
{
	size_t chars = 0, pad = 0;
	while (i < end) {
		size_t ls = i, le = i;
		while (le < end && d[le] != '\n' && !(d[le] == '\\' && le + 1 < end &&
		                                      (d[le + 1] == 'n' || d[le + 1] == 'r')))
			le++;
		i = le < end ? le + (d[le] == '\\' ? 2 : 1) : end;
		while (ls < le && (isspace(d[ls]) || is_quote(d[ls])))
			ls++;
		/* a key quoted in a comment: "// ", "# ", "; ", "* " before each line */
		if (le - ls >= 2 && d[ls] == '/' && d[ls + 1] == '/')
			ls += 2;
		else if (ls < le && (d[ls] == '#' || d[ls] == ';' || (d[ls] == '*' && le - ls >= 2 &&
		                                                      d[ls + 1] == ' ')))
			ls++;
		while (ls < le && isspace(d[ls]))
			ls++;
		while (le > ls && isspace(d[le - 1]))
			le--;
		/* source code around the line: `"...\n" +` (Go) or `"...",` (lists) */
		if (le - ls >= 2 && ((d[le - 1] == '+' && isspace(d[le - 2])) ||
		                     (d[le - 1] == ',' && is_quote(d[le - 2]))))
			le--;
		while (le > ls && (isspace(d[le - 1]) || is_quote(d[le - 1])))
			le--;
		if (ls == le || memchr(d + ls, ':', le - ls))
			continue;
		if (d[ls] == '=' && le - ls == 5)
			continue; /* PGP armor checksum */
		for (size_t k = ls; k < le; k++) {
			if (is_quote(d[k])) { /* "...` + `..." joins two pieces of one line */
				size_t j = k + 1;
				while (j < le && d[j] == ' ')
					j++;
				if (j >= le || d[j] != '+')
					return 0;
				j++;
				while (j < le && d[j] == ' ')
					j++;
				if (j >= le || !is_quote(d[j]))
					return 0;
				k = j;
				continue;
			}
			if (d[k] == '=') {
				pad++;
				continue;
			}
			if (pad || !(is_b64(d[k]) || d[k] == '-' || d[k] == '_'))
				return 0;
			chars++;
		}
	}
	return pad <= 2 && (chars + pad) % 4 == 0 && chars * 3 / 4 >= 48;
}

static void scan_private_keys(struct tok_scan *t)
{
	static const char *const tails[] = {"PRIVATE KEY-----", "PRIVATE KEY BLOCK-----", NULL};
	const unsigned char *end = t->d + t->n;
	for (size_t k = 0; tails[k]; k++) {
		size_t tl = strlen(tails[k]);
		const unsigned char *h = t->d;
		while ((h = util_memmem(h, (size_t)(end - h), tails[k], tl)) != NULL) {
			size_t at = (size_t)(h - t->d);
			h += tl;
			/* "-----BEGIN " on the same line, at most 40 bytes before */
			size_t lim = at > 50 ? at - 50 : 0;
			const unsigned char *b = NULL;
			for (size_t s = at; s-- > lim;) {
				if (t->d[s] == '\n')
					break;
				if (s + 11 <= t->n && !memcmp(t->d + s, "-----BEGIN ", 11)) {
					b = t->d + s;
					break;
				}
			}
			if (!b)
				continue;
			/* the body runs to -----END, unless another BEGIN comes first */
			size_t body = at + tl;
			const unsigned char *e = util_memmem(t->d + body, t->n - body, "-----END", 8);
			const unsigned char *nb = util_memmem(t->d + body, t->n - body, "-----BEGIN", 10);
			if (e && nb && nb < e)
				e = NULL;
			size_t stop = e ? (size_t)(e - t->d) : t->n;
			/* base64 right after the header (newlines raw or escaped) */
			size_t b64 = 0;
			for (size_t i = body; i < stop && b64 < 64; i++) {
				int c = t->d[i];
				if (c == '\\' && i + 1 < stop && (t->d[i + 1] == 'n' || t->d[i + 1] == 'r'))
					i++;
				else if (is_b64(c) || c == '=')
					b64++;
				else if (!isspace(c) && c != ':' && c != ',' && c != '-' && c != '+' &&
				         !is_quote(c))
					break;
			}
			if (b64 < 64)
				continue; /* a header alone: documentation naming the format */
			size_t off = (size_t)(b - t->d);
			if (e && key_body_decodes(t->d, body, stop))
				report(t, "private-key", "Private key block", off, b, (size_t)(h - b),
				       "revoke/replace the key pair and remove it from the history");
			else
				report_sev(t, "private-key", SG_SEV_WARN,
				           "Incomplete private key block (no END line or a body that does "
				           "not decode: an excerpt, not a usable key)",
				           off, b, (size_t)(h - b),
				           "check that no complete key is committed elsewhere");
		}
	}
}

int tokens_detect(struct blob *b)
{
	if (!(b->pf & PF_TOKENS))
		return 0;
	struct tok_scan t;
	memset(&t, 0, sizeof(t));
	t.b = b;
	t.d = b->data;
	t.n = b->len;
	t.line = 1;
	if (b->pf & PF_TOK_AWS)
		scan_aws_keys(&t);
	if (b->pf & (PF_TOK_SECRET | PF_TOK_AWS))
		scan_aws_secrets(&t);
	if (b->pf & PF_TOK_TFC)
		scan_tfc(&t);
	if (b->pf & (PF_TOK_VAULT | PF_TOK_VAULT_LINE))
		scan_vault(&t);
	if (b->pf & PF_TOK_PKEY)
		scan_private_keys(&t);
	for (size_t i = 0; i < t.nseen; i++)
		free(t.seen[i]);
	return 0;
}
