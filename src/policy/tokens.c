/*
 * tokens: one left-to-right pass that yields candidate identifier tokens, and
 * their salted hash (OpenSSL libcrypto). It does not know environments or
 * rules: env.c and detect/identifiers.c decide what a token means.
 */
#include "policy/tokens.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/util.h"

int tokens_is_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-';
}

static int is_name_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '-';
}

static int is_arn_end(unsigned char c)
{
	return c <= ' ' || c >= 0x7f || strchr("\"'`,;()[]{}<>|\\", c);
}

int tokens_scan(const unsigned char *d, size_t len, tokens_cb cb, void *arg)
{
	size_t i = 0;
	while (i < len) {
		if (!is_name_char(d[i]) || (i > 0 && (is_name_char(d[i - 1]) || d[i - 1] == '_'))) {
			i++;
			continue;
		}
		size_t e = i;
		int letters = 0, digits = 0, seps = 0, under = 0;
		while (e < len && (is_name_char(d[e]) || d[e] == '_')) {
			unsigned char c = d[e];
			letters += isalpha(c) != 0;
			digits += isdigit(c) != 0;
			seps += c == '.' || c == '-';
			under += c == '_';
			e++;
		}
		size_t end = e;
		while (end > i && d[end - 1] == '.') {
			end--;
			seps--;
		}
		size_t n = end - i;
		int rc = 0;
		if (n == 12 && digits == 12) {
			rc = cb(d, i, n, TOKEN_ACCOUNT, arg);
		} else if (n == 3 && !memcmp(d + i, "arn", 3) && e < len && d[e] == ':') {
			size_t a = e;
			while (a < len && a - i < 2048 && !is_arn_end(d[a]))
				a++;
			size_t colons = 0;
			for (size_t k = i; k < a; k++)
				colons += d[k] == ':';
			if (colons >= 5)
				rc = cb(d, i, a - i, TOKEN_ARN, arg);
		} else if (!under && letters && seps && n >= 3 && n <= 253) {
			rc = cb(d, i, n, TOKEN_NAME, arg);
		}
		if (rc)
			return rc;
		i = e;
	}
	return 0;
}

int tokens_hash(const char *salt, const unsigned char *tok, size_t len, unsigned char out[32])
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

struct tokens_hasher {
	EVP_MD_CTX *base, *work;
};

struct tokens_hasher *tokens_hasher_new(const char *salt)
{
	struct tokens_hasher *h = xcalloc(1, sizeof(*h));
	h->base = EVP_MD_CTX_new();
	h->work = EVP_MD_CTX_new();
	if (!h->base || !h->work || EVP_DigestInit_ex(h->base, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(h->base, salt, strlen(salt)) != 1) {
		tokens_hasher_free(h);
		return NULL;
	}
	return h;
}

int tokens_hasher_hash(struct tokens_hasher *h, const unsigned char *tok, size_t len,
                       unsigned char out[32])
{
	unsigned int n = 0;
	if (EVP_MD_CTX_copy_ex(h->work, h->base) != 1 || EVP_DigestUpdate(h->work, tok, len) != 1 ||
	    EVP_DigestFinal_ex(h->work, out, &n) != 1 || n != 32)
		return -1;
	return 0;
}

void tokens_hasher_free(struct tokens_hasher *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->base);
	EVP_MD_CTX_free(h->work);
	free(h);
}
