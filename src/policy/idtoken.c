/*
 * idtoken: one left-to-right pass that yields candidate identifier tokens, and
 * their salted hash (OpenSSL libcrypto). It does not know environments or
 * rules: env.c and detect/identifiers.c decide what a token means.
 */
#include "policy/idtoken.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/util.h"

/* Character classes, one table lookup per byte (no locale). */
enum { C_LETTER = 1, C_DIGIT = 2, C_SEP = 4, C_UNDER = 8 };

static const unsigned char cls[256] = {
	['0' ... '9'] = C_DIGIT, ['A' ... 'Z'] = C_LETTER, ['a' ... 'z'] = C_LETTER,
	['.'] = C_SEP,           ['-'] = C_SEP,            ['_'] = C_UNDER,
};

int idtoken_is_ident_char(unsigned char c)
{
	return (cls[c] & (C_LETTER | C_DIGIT | C_UNDER)) || c == '-';
}

int idtoken_is_lower_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int is_arn_end(unsigned char c)
{
	return c <= ' ' || c >= 0x7f || strchr("\"'`,;()[]{}<>|\\", c);
}

/* Emits the token of the run [i, e) of [A-Za-z0-9._-], if it is a candidate. */
static int emit_run(const unsigned char *d, size_t len, size_t i, size_t e, idtoken_cb cb,
                    void *arg)
{
	unsigned seen = 0, digits = 0, seps = 0;
	for (size_t k = i; k < e; k++) {
		unsigned char c = cls[d[k]];
		seen |= c;
		digits += c == C_DIGIT;
		seps += c == C_SEP;
	}
	/* a run that ends with dots ends at its last name character */
	size_t end = e;
	while (end > i && d[end - 1] == '.') {
		end--;
		seps--;
	}
	size_t n = end - i;
	if (n == 12 && digits == 12)
		return cb(d, i, n, IDTOKEN_ACCOUNT, arg);
	if (n == 3 && !memcmp(d + i, "arn", 3) && e < len && d[e] == ':') {
		size_t a = e;
		while (a < len && a - i < 2048 && !is_arn_end(d[a]))
			a++;
		size_t colons = 0;
		for (size_t k = i; k < a; k++)
			colons += d[k] == ':';
		return colons >= 5 ? cb(d, i, a - i, IDTOKEN_ARN, arg) : 0;
	}
	if (!(seen & C_UNDER) && (seen & C_LETTER) && seps && n >= 3 && n <= 253)
		return cb(d, i, n, IDTOKEN_NAME, arg);
	return 0;
}

int idtoken_scan(const unsigned char *d, size_t len, idtoken_cb cb, void *arg)
{
	size_t i = 0;
	while (i < len) {
		/* skip to the start of a run of [A-Za-z0-9._-] */
		while (i < len && !cls[d[i]])
			i++;
		if (i >= len)
			break;
		size_t e = i;
		while (e < len && cls[d[e]])
			e++;
		int rc = emit_run(d, len, i, e, cb, arg);
		if (rc)
			return rc;
		i = e;
	}
	return 0;
}

int idtoken_scan_at(const unsigned char *d, size_t len, size_t pos, idtoken_cb cb, void *arg,
                    size_t *run_start, size_t *run_end)
{
	size_t i = pos, e = pos;
	*run_start = *run_end = pos;
	if (pos >= len || !cls[d[pos]])
		return 0;
	while (i > 0 && cls[d[i - 1]])
		i--;
	while (e < len && cls[d[e]])
		e++;
	*run_start = i;
	*run_end = e;
	return emit_run(d, len, i, e, cb, arg);
}

int idtoken_hash(const char *salt, const unsigned char *tok, size_t len, unsigned char out[32])
{
	unsigned int n = 0;
	int ok = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(c, salt, strlen(salt)) == 1 && EVP_DigestUpdate(c, tok, len) == 1 &&
	    EVP_DigestFinal_ex(c, out, &n) == 1 && n == 32)
		ok = 1;
	EVP_MD_CTX_free(c);
	return ok ? 0 : -1;
}

struct idtoken_hasher {
	EVP_MD_CTX *base, *work;
};

struct idtoken_hasher *idtoken_hasher_new(const char *salt)
{
	struct idtoken_hasher *h = xcalloc(1, sizeof(*h));
	h->base = EVP_MD_CTX_new();
	h->work = EVP_MD_CTX_new();
	if (!h->base || !h->work || EVP_DigestInit_ex(h->base, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(h->base, salt, strlen(salt)) != 1) {
		idtoken_hasher_free(h);
		return NULL;
	}
	return h;
}

int idtoken_hasher_hash(struct idtoken_hasher *h, const unsigned char *tok, size_t len,
                       unsigned char out[32])
{
	unsigned int n = 0;
	if (EVP_MD_CTX_copy_ex(h->work, h->base) != 1 || EVP_DigestUpdate(h->work, tok, len) != 1 ||
	    EVP_DigestFinal_ex(h->work, out, &n) != 1 || n != 32)
		return -1;
	return 0;
}

void idtoken_hasher_free(struct idtoken_hasher *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->base);
	EVP_MD_CTX_free(h->work);
	free(h);
}
