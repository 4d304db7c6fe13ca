/*
 * hook: what the hook commands share and nothing more: options (--format),
 * the client escape hatch (STATEGUARD_SKIP) and the final report (people on
 * stderr, where git shows hook output; machines on stdout).
 */
#ifndef SG_HOOK_H
#define SG_HOOK_H

#include "core/finding.h"
#include "report/report.h"

/*
 * Parses the options common to hook commands into *format; sets *argi to the first
 * operand. Returns 0, 1 if help was printed (exit 0), -1 on a usage error (printed).
 */
int hook_parse_options(int argc, char **argv, const char *usage, enum report_format *format,
                       int *argi);

/* 1 when STATEGUARD_SKIP holds a reason: a warning naming it has been printed. */
int hook_client_skipped(const char *hook);

/* Prints the findings (text to stderr, JSON/SARIF to stdout) and returns the exit status. */
int hook_finish(const struct finding_list *l, enum report_format format, enum report_mode mode);

#endif
