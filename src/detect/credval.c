/*
 * credval: decides on evidence whether a literal taken because of the attribute it sits in
 * (a backend `secret_key`, a CLI `token`, an encryption `passphrase`) is a credential: a
 * known token shape, or long and random enough to be a secret. Words, sentences, examples
 * everyone copies, template slots, values cut short, environment-variable names and code
 * fragments are not. It reports nothing itself; the families decide the finding.
 */
#include "detect/detect_int.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "core/util.h"

/* Literals that documentation and tests copy from each other (compared case-insensitively). */
static const char *const example_words[] = {
	"foo", "bar", "baz", "foobar", "qux", "secret", "password", "passwd", "passphrase",
	"token", "hunter2", "changeit", "letmein", "admin", "root", "abc123", "s3cr3t",
	"p@ssw0rd", "passw0rd", "qwerty", "123456", "12345678", "dummy", "fake", "sample",
	"mysecret", "mytoken", "mypassword", "supersecret", "test", "testing", NULL,
};

/* Pieces that make a literal an example wherever they appear in it. */
static const char *const example_parts[] = {
	"correct-horse-battery-staple", "correcthorsebatterystaple", "correct horse",
	"abcdefghij", "0123456789", "1234567890", "qwertyuiop", "hunter2", "changeme",
	"passphrase", "password", "redacted", "dummy", "fake", "test", "sample", "replace",
	"insert", "fixme", "todo", "lorem", NULL,
};

static int has_casefold(const char *v, size_t n, const char *needle)
{
	return util_memcasemem((const unsigned char *)v, n, needle, strlen(needle)) != NULL;
}

/* A connection string (URL with a scheme, or libpq "key=value ..." form). */
static int conn_string(const char *v, size_t n)
{
	return util_memmem((const unsigned char *)v, n, "://", 3) ||
	       (has_casefold(v, n, "host=") && (has_casefold(v, n, "dbname=") ||
	                                        has_casefold(v, n, "user=")));
}

/* 1 if a connection string carries a password or key: user:PASS@ or password=/sslkey=. */
static int conn_has_secret(const char *v, size_t n)
{
	const char *s = (const char *)util_memmem((const unsigned char *)v, n, "://", 3);
	if (s) {
		const char *h = s + 3, *end = v + n;
		const char *stop = h;
		while (stop < end && *stop != '/' && *stop != '?' && *stop != '#')
			stop++;
		const char *at = NULL;
		for (const char *q = h; q < stop; q++)
			if (*q == '@')
				at = q;
		if (at) {
			const char *colon = memchr(h, ':', (size_t)(at - h));
			if (colon && colon + 1 < at)
				return 1;
		}
	}
	static const char *const keys[] = {"password=", "pwd=", "sslkey=", "sslpassword=",
	                                   "accountkey=", "sharedaccesskey=", NULL};
	for (size_t k = 0; keys[k]; k++) {
		const unsigned char *p = util_memcasemem((const unsigned char *)v, n, keys[k],
		                                         strlen(keys[k]));
		if (p) {
			size_t off = (size_t)(p - (const unsigned char *)v) + strlen(keys[k]);
			if (off < n && v[off] != '&' && v[off] != ' ' && v[off] != ';')
				return 1;
		}
	}
	return 0;
}

/* A template slot: __NAME__, {{ x }}, ${x}, %{x}, <x>, @@x@@. */
static int template_slot(const char *v, size_t n)
{
	if (n >= 4 && ((v[0] == '_' && v[1] == '_' && v[n - 1] == '_' && v[n - 2] == '_') ||
	               (v[0] == '@' && v[1] == '@' && v[n - 1] == '@' && v[n - 2] == '@')))
		return 1;
	if (n >= 2 && v[0] == '<' && v[n - 1] == '>')
		return 1;
	return util_memmem((const unsigned char *)v, n, "{{", 2) ||
	       util_memmem((const unsigned char *)v, n, "${", 2) ||
	       util_memmem((const unsigned char *)v, n, "%{", 2);
}

/* Longest run of one character, x/z/X/Z/'*' counted as one placeholder class. */
static size_t longest_run(const char *v, size_t n, size_t *xz)
{
	size_t best = 0, run = 0, xrun = 0;
	*xz = 0;
	for (size_t i = 0; i < n; i++) {
		run = i && v[i] == v[i - 1] ? run + 1 : 1;
		int x = strchr("xXzZ*", v[i]) != NULL && v[i];
		xrun = x ? xrun + 1 : 0;
		if (run > best)
			best = run;
		if (xrun > *xz)
			*xz = xrun;
	}
	return best;
}

/* Known token shapes (tokens.c finds them in any file; here they decide a literal). */
static int token_shape(const char *v, size_t n, const char **why)
{
	const unsigned char *u = (const unsigned char *)v;
	const unsigned char *a = util_memmem(u, n, ".atlasv1.", 9);
	if (a && a - u == 14 && n >= 14 + 9 + 60 && n <= 14 + 9 + 70) {
		*why = "the HCP Terraform / TFE token shape (14 characters, .atlasv1., 60+ more)";
		return 1;
	}
	if (n == 20 && (!strncmp(v, "AKIA", 4) || !strncmp(v, "ASIA", 4))) {
		int ok = 1;
		for (size_t i = 4; i < 20 && ok; i++)
			ok = isupper(u[i]) || (u[i] >= '2' && u[i] <= '7');
		if (ok) {
			*why = "the AWS access key id shape";
			return 1;
		}
	}
	if (n >= 94 && n <= 124 && !strncmp(v, "hvs.", 4)) {
		*why = "the Vault service token shape (hvs.)";
		return 1;
	}
	return 0;
}

enum cred_verdict cred_judge(const char *v, const char **why)
{
	size_t n = strlen(v);
	const unsigned char *u = (const unsigned char *)v;
	*why = "";
	if (!n || backend_is_placeholder(v))
		return CRED_PLACEHOLDER;
	if (util_memmem(u, n, "...", 3) || util_memmem(u, n, "\xe2\x80\xa6", 3) ||
	    util_memmem(u, n, "(etc", 4)) {
		*why = "a value cut short (\"...\")";
		return CRED_EXAMPLE;
	}
	if (memchr(v, '`', n) || util_memmem(u, n, " + ", 3) || util_memmem(u, n, "\" +", 3) ||
	    util_memmem(u, n, "+ \"", 3)) {
		*why = "a string built by concatenation in source code, not a literal";
		return CRED_EXAMPLE;
	}
	if (template_slot(v, n)) {
		*why = "a template slot to fill in";
		return CRED_EXAMPLE;
	}
	if (conn_string(v, n)) {
		if (!conn_has_secret(v, n))
			return CRED_PLACEHOLDER; /* names a server, holds no secret */
		*why = "a connection string with a password or key in it";
		return CRED_SECRET;
	}
	const unsigned char *sig = util_memmem(u, n, "sig=", 4);
	if (sig && (sig == u || sig[-1] == '&' || sig[-1] == '?')) {
		size_t k = (size_t)(sig - u) + 4, e = k;
		while (e < n && v[e] != '&')
			e++;
		if (e - k < 16) {
			*why = "a SAS token whose signature is too short to be real";
			return CRED_EXAMPLE;
		}
	}
	if (strchr(v, '{') || strstr(v, "PRIVATE KEY") || strchr(v, '\n')) {
		*why = "inline key material (JSON or PEM)";
		return CRED_SECRET;
	}
	/* runs: a placeholder is short or mostly the run; long DER-in-base64 has "AAAAA" */
	size_t xz, run = longest_run(v, n, &xz);
	if ((run >= 5 || xz >= 4) && (n < 128 || run * 4 >= n || xz * 4 >= n)) {
		*why = "placeholder characters (a run of the same character)";
		return CRED_EXAMPLE;
	}
	if (token_shape(v, n, why))
		return CRED_TOKEN;
	int lower = 0, upper = 0, digit = 0, other = 0, space = 0;
	for (size_t i = 0; i < n; i++) {
		lower |= islower(u[i]) != 0;
		upper |= isupper(u[i]) != 0;
		digit |= isdigit(u[i]) != 0;
		space |= isspace(u[i]) != 0;
		other |= !isalnum(u[i]) && !isspace(u[i]);
	}
	if (space) {
		*why = "words or a sentence (it has spaces)";
		return CRED_EXAMPLE;
	}
	if (upper && !lower) {
		int names = 1;
		for (size_t i = 0; i < n && names; i++)
			names = isupper(u[i]) || isdigit(u[i]) || u[i] == '_';
		if (names && memchr(v, '_', n)) {
			*why = "an environment-variable name (capitals and underscores)";
			return CRED_EXAMPLE;
		}
		if (names && !digit) {
			*why = "a word in capitals";
			return CRED_EXAMPLE;
		}
	}
	for (size_t k = 0; example_words[k]; k++)
		if (strlen(example_words[k]) == n && !strncasecmp(v, example_words[k], n)) {
			*why = "an example everyone copies";
			return CRED_EXAMPLE;
		}
	for (size_t k = 0; example_parts[k]; k++)
		if (has_casefold(v, n, example_parts[k])) {
			*why = "an example everyone copies (a well-known example word in it)";
			return CRED_EXAMPLE;
		}
	if (!other && !digit) {
		*why = "letters only: a word or words, not a generated secret";
		return CRED_EXAMPLE;
	}
	/* words joined by separators (my-backend-key, a.b.c) */
	int words = 1;
	for (size_t i = 0; i < n && words; i++)
		words = isalpha(u[i]) || u[i] == '-' || u[i] == '_' || u[i] == '.';
	if (words) {
		*why = "words joined by separators, not a generated secret";
		return CRED_EXAMPLE;
	}
	/* A sign of randomness: at least 8 characters, letters with digits or symbols, and a
	 * character entropy near its maximum for the length (3.0 bits from 12 characters on). */
	double need = log2((double)n) * 0.9;
	if (need > 3.0)
		need = 3.0;
	if (n < 8 || !(lower || upper) || util_entropy(u, n) < need) {
		*why = n < 8 ? "too short for a secret (under 8 characters)"
		             : "too plain for a secret (too little randomness)";
		return CRED_EXAMPLE;
	}
	*why = "long and random enough to be a secret";
	return CRED_SECRET;
}
