/*
 * main: global options (--help, --version, -q) and dispatch to cmd_<name>.
 * Owns the command-line manners shared by every command (help, unknown
 * command hints, -q anywhere); each command parses its own options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <cJSON.h>
#include <git2.h>
#include <libdeflate.h>
#include <zip.h>

#include "cmd/commands.h"
#include "core/util.h"

/* The version lives in the VERSION file alone; the Makefile passes it in. */
#ifndef SG_VERSION
#error "SG_VERSION comes from the VERSION file: build with make"
#endif

const struct command commands[] = {
	{"scan", cmd_scan, "scan files and directories on disk"},
	{"pre-commit", cmd_pre_commit, "git hook: check the files staged for a commit"},
	{"pre-merge-commit", cmd_pre_commit, "git hook: check what a merge commit brings in"},
	{"pre-push", cmd_pre_push, "git hook: check every commit a push sends"},
	{"pre-receive", cmd_pre_receive, "server hook: check every object a push brings"},
	{"history", cmd_history, "audit existing history for state that ever leaked"},
	{"install", cmd_install, "install the git hooks (--repo DIR, --global, --server BARE)"},
	{"uninstall", cmd_install, "remove the git hooks, restoring the ones they replaced"},
	{"learn", cmd_learn, "print a .stateguard.json with the identifiers a state controls"},
	{"allow", cmd_allow, "add a reviewed exception for a finding to .stateguard.json"},
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
	fprintf(out, "  %-18s %s\n", "help", "show the help of a command");
	fputs("\nOptions:\n"
	      "  -q, --quiet        print only blocking findings and errors (before or after\n"
	      "                     the command)\n"
	      "  --version          print the version and the library versions\n"
	      "  -h, --help         print this help\n"
	      "\nExamples:\n"
	      "  stateguard scan .                  scan the working directory\n"
	      "  stateguard install                 guard this repository's commits and pushes\n"
	      "  stateguard history --all           audit every commit for leaked state\n"
	      "\nRun 'stateguard <command> --help' for a command's options, 'man stateguard'\n"
	      "for the whole manual. Colour only on a terminal, never with NO_COLOR set.\n"
	      "Exit status: 0 nothing blocking, 1 blocking findings, 2 usage/config/internal error.\n",
	      out);
}

static void version(void)
{
	int maj = 0, min = 0, rev = 0;
	git_libgit2_version(&maj, &min, &rev);
	printf("stateguard %s\n", SG_VERSION);
	printf("License: Apache-2.0 (see LICENSE; no warranty)\n");
	/* libdeflate 1.14 has no run-time version call: the headers' */
	printf("libgit2 %d.%d.%d, libzip %s, cJSON %s, libdeflate %s, %s\n", maj, min, rev,
	       zip_libzip_version(), cJSON_Version(), LIBDEFLATE_VERSION_STRING,
	       archive_version_string());
}

/* Edit distance between two short names, capped: enough to suggest a command. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[33];
	if (la > 32 || lb > 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* The command a mistyped name most likely meant, or NULL. */
static const char *command_suggest(const char *name)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (const struct command *c = commands; c->name; c++) {
		size_t d = edit_distance(name, c->name);
		if (strlen(name) >= 3 && !strncmp(c->name, name, strlen(name)))
			d = 1;
		if (d < best_d) {
			best_d = d;
			best = c->name;
		}
	}
	return best;
}

static int unknown_command(const char *name)
{
	const char *hint = command_suggest(name);
	if (hint)
		sg_error("'%s' is not a stateguard command; did you mean '%s'? See 'stateguard --help'.",
		         name, hint);
	else
		sg_error("'%s' is not a stateguard command; see 'stateguard --help'.", name);
	return SG_EXIT_ERROR;
}

static int run(const struct command *c, int argc, char **argv)
{
	if (c->fn == cmd_pre_commit) /* starts git's index listing first: it overlaps libgit2_init */
		cmd_pre_commit_prepare(argc, argv);
	git_libgit2_init();
	int rc = c->fn(argc, argv);
	if (fflush(stdout) != 0 && rc == 0) {
		sg_error("cannot write to standard output");
		rc = SG_EXIT_ERROR;
	}
	git_libgit2_shutdown();
	return rc;
}

/* `stateguard help [COMMAND]`: the command's own --help. */
static int help(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return fflush(stdout) ? SG_EXIT_ERROR : SG_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		sg_error("unknown option '%s' for help; see 'stateguard --help'.", argv[1]);
		return SG_EXIT_ERROR;
	}
	const struct command *c = command_find(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	char *args[] = {argv[1], "--help", NULL};
	return run(c, 2, args);
}

int main(int argc, char **argv)
{
	int i = 1;
	util_prefault_stack();
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			version();
			return fflush(stdout) ? SG_EXIT_ERROR : SG_EXIT_OK;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return fflush(stdout) ? SG_EXIT_ERROR : SG_EXIT_OK;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			sg_quiet = 1;
		} else {
			sg_error("unknown option '%s'; see 'stateguard --help'.", argv[i]);
			return SG_EXIT_ERROR;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return SG_EXIT_ERROR;
	}
	if (!strcmp(argv[i], "help"))
		return help(argc - i, argv + i);
	const struct command *c = command_find(argv[i]);
	if (!c)
		return unknown_command(argv[i]);

	/* -q/--quiet is global: accept it after the command too (pre-commit framework `args`). */
	int n = 0;
	char **args = xcalloc((size_t)(argc - i) + 1, sizeof(*args));
	for (int j = i, opts = 1; j < argc; j++) {
		if (opts && !strcmp(argv[j], "--"))
			opts = 0;
		if (opts && j > i && (!strcmp(argv[j], "-q") || !strcmp(argv[j], "--quiet"))) {
			sg_quiet = 1;
			continue;
		}
		args[n++] = argv[j];
	}
	sg_trace("%s: start", c->name);
	int rc = run(c, n, args);
	sg_trace("%s: done, exit %d", c->name, rc);
	free(args);
	return rc;
}
