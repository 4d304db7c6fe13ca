/*
 * report: prints a finished finding list for people (text) or machines (JSON,
 * SARIF). Reporters never see secret values: findings hold redacted text only.
 */
#ifndef SG_REPORT_H
#define SG_REPORT_H

#include <stdio.h>

#include "core/finding.h"

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_SARIF,
};

/* Where the findings came from: changes the advice printed with them. */
enum report_mode {
	REPORT_MODE_SCAN,
	REPORT_MODE_COMMIT,  /* pre-commit, pre-merge-commit */
	REPORT_MODE_PUSH,    /* pre-push */
	REPORT_MODE_RECEIVE, /* pre-receive (server) */
	REPORT_MODE_HISTORY,
};

struct report_opts {
	enum report_format format;
	enum report_mode mode;
	int color; /* ANSI colour (text only) */
};

/* Parses "text", "json" or "sarif"; returns 0 or -1. */
int report_format_parse(const char *s, enum report_format *out);

/* 1 when colour should be used on `f`: a TTY, NO_COLOR unset or empty, TERM not "dumb". */
int report_want_color(FILE *f);

/* Prints the list in the chosen format. Returns 0, or -1 on a write error. */
int report_print(FILE *out, const struct finding_list *l, const struct report_opts *o);

int report_text(FILE *out, const struct finding_list *l, const struct report_opts *o);
int report_json(FILE *out, const struct finding_list *l, const struct report_opts *o);
int report_sarif(FILE *out, const struct finding_list *l, const struct report_opts *o);

/* Builds the JSON object of one finding (shared by JSON and SARIF reporters). */
cJSON *report_finding_json(const struct finding *f);

/*
 * Prints `doc` unformatted on one line, then frees it (shared by JSON and SARIF
 * reporters). Returns 0, or -1 on a write or allocation error.
 */
int report_write_doc(FILE *out, cJSON *doc);

#endif
