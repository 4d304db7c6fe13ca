/*
 * policy: the team's configuration (.stateguard.json): rule severities,
 * environments and their identifiers, reviewed exceptions and limits. It turns
 * raw detector findings into the findings a hook acts on. It never reads
 * content itself beyond the config file.
 */
#ifndef SG_POLICY_H
#define SG_POLICY_H

#include <stddef.h>

#include "core/finding.h"
#include "core/scan.h"

struct policy;

#define POLICY_FILE ".stateguard.json"

/*
 * Parses a config document (`name` is used in messages). On error returns -1
 * and writes "NAME:LINE: KEY: problem" into err. Strict: unknown keys, wrong
 * types, duplicate keys, malformed globs, dates and fingerprints are errors.
 */
int policy_parse(struct policy **out, const char *name, const char *text, size_t len, char *err,
                 size_t errsz);

/* Reads and parses a config file. */
int policy_load_file(struct policy **out, const char *path, char *err, size_t errsz);

void policy_free(struct policy *p);

/*
 * scan and allow: where their config is and what finding paths (and so FINDING-IDs) are
 * relative to. `file` if given (relative to the current directory), else the nearest
 * .stateguard.json in the current directory or above (relative to its directory), else
 * .stateguard.json here, which need not exist. Returns 0 with *path and *root set (the
 * caller frees both), or -1 with errno set if the current directory cannot be resolved.
 */
int policy_locate(const char *file, char **path, char **root);

/*
 * Loads the config at `path` with finding paths relative to `root`. If it does not exist
 * and missing_ok, the built-in rules, still relative to root: the ids scan prints are then
 * the ones allow finds. Returns 0, or -1 with err set.
 */
int policy_load_rooted(struct policy **out, const char *path, const char *root, int missing_ok,
                       char *err, size_t errsz);

/*
 * Makes finding paths relative to `root` before globs are matched (scan of a
 * work tree). Without a root, paths are taken as already relative (hooks).
 */
void policy_set_root(struct policy *p, const char *root);

/* The path relative to the config root, members ('!') kept. Caller frees. */
char *policy_relpath(const struct policy *p, const char *path);

/* Applies limits from the config (if any) over the defaults in l. */
void policy_limits(const struct policy *p, struct scan_limits *l);

/*
 * Applies severities and allow entries to findings [from, l->n) and gives each
 * its FINDING-ID. `p` may be NULL (built-in defaults). Findings of rules set to
 * "off" are removed; an expired allow entry leaves a note on the finding.
 */
void policy_apply(const struct policy *p, struct finding_list *l, size_t from);

/*
 * The short stable id of a finding: "sg-" + 12 hex of SHA-256 over rule, path
 * relative to the root and blob id. Written into out (at least 16 bytes).
 */
void policy_finding_id(const struct policy *p, const struct finding *f, char *out, size_t outsz);

/*
 * Combines a base policy (server or user) with a repository policy into a new
 * one: environments, limits and allow entries come from the repository (limits
 * from the base where it sets them); rules come from the repository except that
 * a rule the base sets to block stays block, and a finding a detector reports
 * at block is never lowered by the repository. Either may be NULL.
 */
struct policy *policy_combine(const struct policy *base, const struct policy *repo);

/*
 * Marks the allow entries of p that `before` does not have as fresh: a fresh
 * entry never allows a finding (a push may not add an exception together with
 * the content it excuses); the finding's note says so.
 */
void policy_mark_fresh(struct policy *p, const struct policy *before);

/* 1 if a server policy asks pre-receive to read the repository's config too. */
int policy_repository_config(const struct policy *p);

/* Environments, for detect/identifiers. */
size_t policy_env_count(const struct policy *p);
const char *policy_env_name(const struct policy *p, size_t env);
/* 1 if the top-level part of a relative path lies in the environment's paths. */
int policy_env_home(const struct policy *p, size_t env, const char *relpath);

/*
 * Finds every identifier and fingerprint of every environment in data, on
 * identifier boundaries. cb gets the environment, the match's offset and length
 * and whether it was a fingerprint; a non-zero return stops the search.
 */
typedef int (*policy_ident_cb)(size_t env, size_t off, size_t len, int hashed, void *arg);
int policy_find_identifiers(const struct policy *p, const unsigned char *data, size_t len,
                            policy_ident_cb cb, void *arg);

#endif
