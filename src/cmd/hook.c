/*
 * hook: option parsing, the STATEGUARD_SKIP hatch and report output shared by
 * cmd_pre_commit, cmd_pre_push, cmd_pre_receive. Content selection lives in
 * src/source/, policy selection in src/policy/policy_source.c.
 */
#include "cmd/hook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

int hook_parse_options(int argc, char **argv, const char *usage, enum report_format *format,
                       int *argi)
{
	int i;
	*format = REPORT_TEXT;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 1;
		} else if (!strcmp(a, "--format") && i + 1 < argc) {
			v = argv[++i];
		} else if (!strncmp(a, "--format=", 9)) {
			v = a + 9;
		} else if (!strcmp(a, "--format")) {
			sg_error("option '--format' needs a value; see 'stateguard %s --help'", argv[0]);
			return -1;
		} else if (a[0] == '-' && a[1]) {
			sg_error("unknown option '%s' for %s; see 'stateguard %s --help'", a, argv[0],
			         argv[0]);
			return -1;
		} else {
			break;
		}
		if (v && report_format_parse(v, format) < 0) {
			sg_error("unknown format '%s' (text, json or sarif); see 'stateguard %s --help'", v,
			         argv[0]);
			return -1;
		}
	}
	*argi = i;
	return 0;
}

int hook_client_skipped(const char *hook)
{
	const char *reason = getenv("STATEGUARD_SKIP");
	if (!reason || !*reason)
		return 0;
	fprintf(stderr,
	        "stateguard: WARNING: %s checks skipped because STATEGUARD_SKIP is set (reason: "
	        "\"%s\").\nstateguard: the server may still reject state, plans and credentials.\n",
	        hook, reason);
	return 1;
}

int hook_finish(const struct finding_list *l, enum report_format format, enum report_mode mode)
{
	struct report_opts ro = {format, mode, 0};
	FILE *out = format == REPORT_TEXT ? stderr : stdout;
	int rc = finding_list_exit_code(l);

	if (format == REPORT_TEXT && l->n == 0)
		return rc; /* a clean hook is silent */
	ro.color = format == REPORT_TEXT && report_want_color(out);
	if (report_print(out, l, &ro) < 0) {
		sg_error("cannot write the report");
		return SG_EXIT_ERROR;
	}
	return rc;
}
