/*
 * idtoken: the candidate tokens that can be infrastructure identifiers (account
 * ids, ARNs, host/bucket-like names). `learn` fingerprints exactly these tokens
 * and scanning hashes exactly these tokens, so a learned fingerprint is found
 * wherever the same text appears. Also the salted SHA-256 of a token.
 */
#ifndef SG_IDTOKEN_H
#define SG_IDTOKEN_H

#include <stddef.h>

enum idtoken_kind {
	IDTOKEN_ACCOUNT, /* exactly 12 digits */
	IDTOKEN_ARN,     /* arn:PARTITION:SERVICE:... up to a delimiter */
	IDTOKEN_NAME,    /* [A-Za-z0-9.-] run with a letter and a '-' or '.', 3..253 chars */
};

/* 1 for [A-Za-z0-9_-]: characters that continue an identifier. */
int idtoken_is_ident_char(unsigned char c);

/* 1 for [0-9a-f]: the digits of the hex part of EC2-style ids (ctype-style signature). */
int idtoken_is_lower_hex(int c);

/*
 * Calls cb for every candidate token in data (offset and length into data).
 * A non-zero return from cb stops the scan and is returned.
 */
typedef int (*idtoken_cb)(const unsigned char *data, size_t off, size_t len, enum idtoken_kind kind,
                         void *arg);
int idtoken_scan(const unsigned char *data, size_t len, idtoken_cb cb, void *arg);

/*
 * The same for the one run of [A-Za-z0-9._-] that holds data[pos] (nothing if data[pos] is
 * not such a character): what idtoken_scan would report for that run. [*run_start,
 * *run_end) receives the run, so a caller can skip other positions inside it.
 */
int idtoken_scan_at(const unsigned char *data, size_t len, size_t pos, idtoken_cb cb, void *arg,
                    size_t *run_start, size_t *run_end);

/* SHA-256 over salt (ASCII) then token. Returns 0, or -1 if libcrypto failed. */
int idtoken_hash(const char *salt, const unsigned char *tok, size_t len, unsigned char out[32]);

/* A hasher with the salt already absorbed, for hashing many tokens. */
struct idtoken_hasher;
struct idtoken_hasher *idtoken_hasher_new(const char *salt); /* NULL if libcrypto failed */
int idtoken_hasher_hash(struct idtoken_hasher *h, const unsigned char *tok, size_t len,
                       unsigned char out[32]);
void idtoken_hasher_free(struct idtoken_hasher *h);

#endif
