/*
 * detect_int: what the detector families share inside src/detect/ (never
 * included from outside): the per-blob view handed to every family, the
 * budgeted JSON parse, the prefilter verdicts and small helpers for details.
 */
#ifndef SG_DETECT_INT_H
#define SG_DETECT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/scan.h"

/* ---- prefilter.c: sound "cannot be this family" verdicts ---- */

/* Families the prefilter may rule out (bit flags). */
enum {
	PF_JSON = 1u << 0,       /* a JSON object that may be a JSON artifact (state, snapshot, ...) */
	PF_BINARY = 1u << 1,     /* starts with the "tfstate"/"tfplan" magic */
	PF_HCL = 1u << 2,        /* may hold backend/cloud/remote_state/encryption/credentials blocks */
	PF_PARTIAL = 1u << 3,    /* may be a flat partial backend file */
	PF_TOK_AWS = 1u << 4,    /* AKIA/ASIA/ABIA/ACCA/A3T */
	PF_TOK_SECRET = 1u << 5, /* "secret" in any case, with '=' or ':' later on its line */
	PF_TOK_TFC = 1u << 6,    /* ".atlasv1." or "TF_TOKEN_" */
	PF_TOK_VAULT = 1u << 7,  /* "hvs." / "hvb." */
	PF_TOK_PKEY = 1u << 8,   /* "PRIVATE KEY" */
	PF_TOK_VAULT_LINE = 1u << 11, /* "vault" in any case (legacy "s." tokens need it on their line) */
	PF_TOKENS = PF_TOK_AWS | PF_TOK_SECRET | PF_TOK_TFC | PF_TOK_VAULT | PF_TOK_PKEY |
	            PF_TOK_VAULT_LINE,
	PF_IDS_ARN = 1u << 9,    /* "arn:" */
	PF_IDS_HOST = 1u << 16,  /* ".amazonaws.com", ".cloudfront.net" */
	PF_IDS_EC2 = 1u << 17,   /* '-' + 8 lowercase hex digits (EC2-style ids: "vpc-0a1b2c3d") */
	PF_IDS = PF_IDS_ARN | PF_IDS_HOST | PF_IDS_EC2,
	PF_AZURE = 1u << 10,     /* "/subscriptions/" in any case */
	PF_TF_LOG = 1u << 18,    /* "[TRACE]"/"[DEBUG]"/.../"@level": log levels, or a CRASH banner */
	PF_I_TERRAFORM = 1u << 12, /* internal: "terraform" seen */
	PF_I_TFBLOCK = 1u << 13,   /* internal: "backend"/"cloud"/"encryption" seen */
	PF_I_JSONKEY = 1u << 14,   /* internal: a string starting with a JSON gate key */
	PF_I_ESCAPE = 1u << 15,    /* internal: "\\u", U+017F or U+212A (a key may be spelled so) */
	PF_INTERNAL = PF_I_TERRAFORM | PF_I_TFBLOCK | PF_I_JSONKEY | PF_I_ESCAPE,
};

/* Streaming prefilter: feed chunks in order; the verdict holds for the whole stream. */
struct prefilter {
	unsigned flags;             /* PF_* bits that may match */
	int first_seen;             /* first non-space byte seen */
	size_t bom;                 /* bytes of a leading UTF-8 BOM matched so far */
	unsigned char first;        /* that byte */
	size_t off;                 /* bytes fed so far */
	unsigned char head[8];      /* first bytes (magic) */
	size_t head_len;
	unsigned char tail[32];     /* last bytes of the previous chunk (needles across chunks) */
	size_t tail_len;
};

void prefilter_init(struct prefilter *pf);
void prefilter_feed(struct prefilter *pf, const unsigned char *data, size_t len);
/* The anchor table (for tests and fuzzing: build a matcher of it and compare its paths). */
struct mm_pattern;
const struct mm_pattern *prefilter_anchors(size_t *n);
/* The longest anchor, in bytes (the chunk-border window must be at least this long). */
size_t prefilter_longest_anchor(void);
/* Whole-buffer convenience: init + feed; returns the PF_* bits that may match. */
unsigned prefilter_run(const unsigned char *data, size_t len);

/* ---- json_doc.c: one budgeted cJSON parse per blob ---- */

enum json_status {
	JSON_NOT_TRIED = 0, /* the prefilter ruled JSON artifacts out */
	JSON_OK,            /* root is a parsed object */
	JSON_INVALID,       /* not JSON (or not an object) */
	JSON_TOO_LARGE,     /* above limits->parse_bytes: not parsed */
	JSON_OVER_BUDGET,   /* parse ran out of its memory budget */
};

/*
 * Parses data[0..len) (BOM already skipped) with a memory budget of roughly
 * 8x the input. On JSON_OK *root is set (free with cJSON_Delete).
 */
enum json_status json_doc_parse(const unsigned char *data, size_t len, uint64_t parse_bytes,
                                cJSON **root);

/* Case-insensitive member lookup (Go's encoding/json matches keys that way). */
cJSON *json_get(const cJSON *obj, const char *key);
/* 1 if item is a number with an integral value in [lo, hi]. */
int json_is_int(const cJSON *item, double lo, double hi);
/* 1 if item is a string of the 8-4-4-4-12 hex UUID shape. */
int json_is_uuid(const cJSON *item);

/* ---- the blob view every family receives ---- */

struct blob {
	struct scan_ctx *ctx;
	const char *path;          /* display path */
	const char *base;          /* last component of path (after '/' or '!') */
	const unsigned char *data; /* content with a UTF-8 BOM skipped */
	size_t len;
	unsigned depth;
	unsigned pf;               /* prefilter verdict (PF_* bits) */
	enum json_status json;
	cJSON *root;               /* parsed root object when json == JSON_OK */
	int state_found;           /* a state-like finding was made for this blob */
};

/* ---- families; each returns 0 or -1 on an internal error ---- */

int tf_state_detect(struct blob *b);       /* tf_state.c: v0-v4 state, name fallback */
int tf_backend_detect(struct blob *b);     /* tf_backend.c: snapshot, blocks, partial files */
int tf_show_json_detect(struct blob *b);   /* tf_show_json.c */
int tf_encrypted_detect(struct blob *b);   /* tf_encrypted.c */
int tf_plan_legacy_detect(struct blob *b); /* tf_plan_legacy.c */
int pulumi_detect(struct blob *b);         /* pulumi.c */
int tf_cli_credentials_detect(struct blob *b); /* tf_cli_credentials.c */
int tokens_detect(struct blob *b);         /* tokens.c */
int tf_output_json_detect(struct blob *b); /* tf_output_json.c */
int tf_log_detect(struct blob *b);         /* tf_log.c */
int tf_vars_detect(struct blob *b);        /* tf_vars.c */

/* tf_vars.c: 1 if a file name is a variable-definition file (*.tfvars, *.tfvars.json). */
int tf_vars_name(const char *base);
/* tf_vars.c: 1 if a variable or key name says it holds a secret (password, token, sas, ...). */
int tf_vars_secret_name(const char *name);
/* tf_vars.c: 1 if a value is a placeholder (empty, <...>, ${...}, CHANGE_ME, TODO, xxxx, ...). */
int tf_vars_is_placeholder(const char *v);

/* 1 if a credential value is a placeholder, reference or format string (tf_backend.c). */
int backend_is_placeholder(const char *v);

/* ---- credval.c: is a literal taken by its attribute name a credential? ---- */

enum cred_verdict {
	CRED_PLACEHOLDER = 0, /* no finding: empty, a reference, a server name without a secret */
	CRED_EXAMPLE,         /* a literal that does not look like a credential: a warning */
	CRED_SECRET,          /* random enough to be a secret: blocks (a docs/tests context lowers) */
	CRED_TOKEN,           /* a known token shape: blocks everywhere */
};
/* Judges a NUL-terminated literal; *why receives a static phrase with the evidence. */
enum cred_verdict cred_judge(const char *v, const char **why);

/* Name helpers (detect.c). */
int name_is_state(const char *base, const char *path);
int name_is_backend_snapshot(const char *path);

/* ---- details helpers (tf_state.c) ---- */

/*
 * Per-type counter for "aws_db_instance ×1, aws_vpc ×2" and secret attribute
 * names, shared by the state-like families.
 */
struct type_count {
	char *type;
	size_t n;
};
struct state_summary {
	struct type_count *types;
	size_t ntypes, cap;
	size_t resources; /* managed resource instances: what destroy would delete */
	size_t data_sources;
	cJSON *secret_attrs; /* array of "type.name.attr" strings (names only) */
};
/*
 * Starts a summary and the details object it will fill (*details, owned by the
 * caller). Returns 0, or -1 with nothing left allocated.
 */
int state_summary_init(struct state_summary *s, cJSON **details);
void state_summary_free(struct state_summary *s);
void state_summary_add_type(struct state_summary *s, const char *type, size_t n);
void state_summary_add_secret(struct state_summary *s, const char *res, const char *attr);
/* 1 if an attribute name usually holds a secret (password, secret, token, private_key_pem, ...). */
int secret_attr_name(const char *name);
/* Adds resource_count/resource_types/secret_attributes to details; returns the types text. */
char *state_summary_finish(struct state_summary *s, cJSON *details);

/* Builds the standard state-like message into a new string. */
char *state_message(const char *what, size_t resources, const char *types);

#endif
