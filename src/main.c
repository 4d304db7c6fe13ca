/*
 * main: global options (--help, --version, -q) and dispatch to cmd_<name>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "cmd/commands.h"
#include "core/util.h"

#ifndef SG_VERSION
#define SG_VERSION "0.1.0"
#endif

const struct command commands[] = {
	{"scan", cmd_scan, "scan files and directories on disk"},
	{NULL, NULL, NULL},
};

static void usage(FILE *out)
{
	fputs("usage: stateguard [--version] [--help] [-q] <command> [<args>]\n\n"
	      "Stops Terraform/OpenTofu/Pulumi state, plans, backend caches and credentials\n"
	      "from entering a Git repository.\n\nCommands:\n",
	      out);
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-18s %s\n", c->name, c->summary);
	fputs("\nRun 'stateguard <command> --help' for a command's options.\n"
	      "Exit status: 0 nothing blocking, 1 blocking findings, 2 usage/config/internal error.\n",
	      out);
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("stateguard %s\n", SG_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			sg_quiet = 1;
		} else {
			sg_error("unknown option '%s'; see 'stateguard --help'", argv[i]);
			return SG_EXIT_ERROR;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return SG_EXIT_ERROR;
	}
	for (const struct command *c = commands; c->name; c++) {
		if (!strcmp(c->name, argv[i])) {
			git_libgit2_init();
			int rc = c->fn(argc - i, argv + i);
			if (fflush(stdout) != 0 && rc == 0)
				rc = SG_EXIT_ERROR;
			git_libgit2_shutdown();
			return rc;
		}
	}
	sg_error("'%s' is not a stateguard command; see 'stateguard --help'", argv[i]);
	return SG_EXIT_ERROR;
}
