/*
 * tokens: the candidate tokens that can be infrastructure identifiers (account
 * ids, ARNs, host/bucket-like names). `learn` fingerprints exactly these tokens
 * and scanning hashes exactly these tokens, so a learned fingerprint is found
 * wherever the same text appears. Also the salted SHA-256 of a token.
 */
#ifndef SG_TOKENS_H
#define SG_TOKENS_H

#include <stddef.h>

enum token_kind {
	TOKEN_ACCOUNT, /* exactly 12 digits */
	TOKEN_ARN,     /* arn:PARTITION:SERVICE:... up to a delimiter */
	TOKEN_NAME,    /* [A-Za-z0-9.-] run with a letter and a '-' or '.', 3..253 chars */
};

/* 1 for [A-Za-z0-9_-]: characters that continue an identifier. */
int tokens_is_ident_char(unsigned char c);

/*
 * Calls cb for every candidate token in data (offset and length into data).
 * A non-zero return from cb stops the scan and is returned.
 */
typedef int (*tokens_cb)(const unsigned char *data, size_t off, size_t len, enum token_kind kind,
                         void *arg);
int tokens_scan(const unsigned char *data, size_t len, tokens_cb cb, void *arg);

/* SHA-256 over salt (ASCII) then token. Returns 0, or -1 if libcrypto failed. */
int tokens_hash(const char *salt, const unsigned char *tok, size_t len, unsigned char out[32]);

/* A hasher with the salt already absorbed, for hashing many tokens. */
struct tokens_hasher;
struct tokens_hasher *tokens_hasher_new(const char *salt); /* NULL if libcrypto failed */
int tokens_hasher_hash(struct tokens_hasher *h, const unsigned char *tok, size_t len,
                       unsigned char out[32]);
void tokens_hasher_free(struct tokens_hasher *h);

#endif
