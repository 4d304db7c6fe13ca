/*
 * learn: collects the identifiers a Terraform state (or `terraform show -json`
 * output) controls, as the candidate tokens scanning looks for, and writes them
 * into a configuration document, literally or as salted fingerprints.
 */
#ifndef SG_LEARN_H
#define SG_LEARN_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct learn;

struct learn *learn_new(void);
void learn_free(struct learn *l);

/* Adds the identifiers of one parsed state/show-json document. Returns how many were new. */
size_t learn_add_document(struct learn *l, const cJSON *doc);

/* Number of identifiers collected, and per kind ("account id", "arn", ...) for messages. */
size_t learn_count(const struct learn *l);
void learn_summary(const struct learn *l, char *buf, size_t bufsz);

/*
 * Merges the collected identifiers into environment `env` of config `doc`
 * (created if missing), adding `paths`. With `hash`, stores fingerprints
 * "sha256:SALT:HEX" (reusing the environment's salt if it has fingerprints, else a
 * fresh random salt) and reports in *skipped the identifiers a fingerprint could
 * never match (not candidate tokens). Returns 0, or -1 with err set.
 */
int learn_write(const struct learn *l, cJSON *doc, const char *env, char *const *paths,
                size_t npaths, int hash, size_t *skipped, char *err, size_t errsz);

#endif
