/*
 * policy_int: the parsed configuration, shared by the files of policy/ only
 * (config.c builds it, allow.c and env.c read it). Other modules use policy.h.
 */
#ifndef SG_POLICY_INT_H
#define SG_POLICY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

struct policy_rule {
	char *id;
	int sev;        /* enum sg_severity, or -1 for "off" */
	int keep_block; /* combined policy: a finding that arrives at block stays block */
};

struct policy_allow {
	char *path;  /* glob or NULL */
	char *blob;  /* blob id or NULL */
	char **rules;
	size_t nrules;
	char *reason;
	char *owner;
	char expires[11]; /* "YYYY-MM-DD" or "" */
	int line;
	int fresh; /* added by the content being scanned: never honoured for it */
	char *canon; /* canonical JSON, to compare entries across configs */
};

struct policy_lit {
	const char *text; /* owned by the environment */
	size_t len;
	size_t env;
};

struct policy_fp {
	unsigned char digest[32];
	size_t salt; /* index into policy.salts */
	size_t env;
};

struct policy_env {
	char *name;
	char **paths;
	size_t npaths;
	char **idents;
	size_t nidents;
	size_t nfps;
};

enum { LIMIT_COUNT = 8 };

/* Contexts that lower example-looking credentials to warn (allow.c has the defaults). */
enum { CTX_DOCS = 0, CTX_TESTS = 1, CTX_COUNT = 2 };
extern const char *const policy_context_names[CTX_COUNT + 1]; /* NULL-terminated */

struct policy {
	struct policy_env *envs;
	size_t nenvs;
	struct policy_rule *rules;
	size_t nrules;
	struct policy_allow *allows;
	size_t nallows;
	char **salts;
	size_t nsalts;
	struct policy_fp *fps; /* sorted by (salt, digest) */
	size_t nfps;
	struct policy_lit *lits; /* sorted by text */
	size_t nlits;
	int has_limit[LIMIT_COUNT];
	uint64_t limit[LIMIT_COUNT];
	int has_ctx[CTX_COUNT];  /* "contexts" gave this context's globs (else the defaults) */
	char **ctx[CTX_COUNT];   /* its globs; none: the context is off */
	size_t nctx[CTX_COUNT];
	int repository_config;
	char *root; /* absolute config root, or NULL: finding paths are already relative */
	char *cwd;
};

extern const char *const policy_limit_names[LIMIT_COUNT + 1]; /* NULL-terminated */

/* Builds the lookup tables (lits, sorted fps) after envs are filled. */
void policy_index(struct policy *p);

int policy_fp_cmp(const void *a, const void *b);

#endif
