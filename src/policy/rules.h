/*
 * rules: the catalog of rule ids stateguard reports, each with a one-line
 * description and the help a reviewer needs (SARIF `help`, config checks).
 * Detectors own when a rule fires; this file only names and explains them.
 */
#ifndef SG_RULES_H
#define SG_RULES_H

struct rule_info {
	const char *id;
	const char *title; /* short description */
	const char *help;  /* what it means and how to fix it */
};

/* The catalog entry for `id`, or NULL for an id the catalog does not know. */
const struct rule_info *rules_find(const char *id);

/* NULL-terminated catalog, in a stable order. */
extern const struct rule_info rules_catalog[];

#endif
