/*
 * finding: what a scan reports. A finding list owns its findings; each finding
 * owns its strings and its cJSON `details` object. Scan errors (content that
 * could not be read) travel in the same list with `is_error` set, so reporters
 * and exit codes see them and nothing is dropped silently.
 */
#ifndef SG_FINDING_H
#define SG_FINDING_H

#include <stddef.h>

#include <cjson/cJSON.h>

enum sg_severity {
	SG_SEV_INFO = 0,
	SG_SEV_WARN = 1,
	SG_SEV_BLOCK = 2,
};

struct finding {
	char *rule;       /* rule id, e.g. "tf-state" */
	enum sg_severity severity;
	char *path;       /* display path; archive members joined with '!' */
	char *message;    /* one sentence, never contains a secret value */
	cJSON *details;   /* object; never NULL once added to a list */
	char *commit;     /* hex commit id (history and push modes) or NULL */
	char *ref;        /* ref name (push modes) or NULL */
	char *blob;       /* hex id of the top-level git blob, or NULL */
	char *lfs;        /* "sha256:<hex>": the top-level blob is an LFS pointer and the finding
	                     is about the object it names (see finding_display_path), or NULL */
	char *allowed_by; /* reason text of the allow entry that matched, or NULL */
	char *note;       /* policy remark, e.g. "allow entry expired on ..." */
	char *id;         /* FINDING-ID for `stateguard allow` (set by policy_apply) or NULL */
	int is_error;     /* 1: the content could not be examined (exit 2) */
	int lowerable;    /* 1: a block judged by the value's look, not a known token shape: a
	                     documentation or test context (policy) lowers it to warn */
};

struct finding_list {
	struct finding *v;
	size_t n, cap;
};

const char *severity_name(enum sg_severity s);
/* Parses "block"/"warn"/"info"/"off"; returns 0, or -1 if unknown. "off" gives -1 in *out. */
int severity_parse(const char *s, int *out);

void finding_list_init(struct finding_list *l);
void finding_list_free(struct finding_list *l);

/*
 * Appends a finding and returns it. rule, path and message are copied;
 * details, if non-NULL, is taken over (else an empty object is created).
 */
struct finding *finding_list_add(struct finding_list *l, const char *rule, enum sg_severity sev,
                                 const char *path, const char *message, cJSON *details);

/* Appends a scan error: rule "scan-error", severity block, is_error set. */
struct finding *finding_list_add_error(struct finding_list *l, const char *path, const char *fmt,
                                       ...) __attribute__((format(printf, 3, 4)));

/* Removes and frees finding i, keeping the order of the others. */
void finding_list_remove(struct finding_list *l, size_t i);

/* Moves every finding of src to the end of dst; src is left empty. */
void finding_list_move(struct finding_list *dst, struct finding_list *src);

/*
 * The path as reports show it: `path`, with "(LFS sha256:<8 hex>…)" after its top-level
 * part when the finding is about an LFS object, e.g.
 * "infra.zip (LFS sha256:889eea41…)!prod/terraform.tfstate". Caller frees.
 */
char *finding_display_path(const struct finding *f);

/* Counts per severity, ignoring allowed findings. */
struct finding_counts {
	size_t block, warn, info, allowed, errors;
};
void finding_list_count(const struct finding_list *l, struct finding_counts *c);

/* Exit status for a finished scan: 2 if any error, 1 if any blocking finding, else 0. */
int finding_list_exit_code(const struct finding_list *l);

/*
 * Redacts a secret for display: at most the first 4 characters, then "…" and
 * the length, e.g. "AKIA…(20 chars)". Writes into buf.
 */
const char *finding_redact(const char *secret, size_t len, char *buf, size_t bufsz);

#endif
