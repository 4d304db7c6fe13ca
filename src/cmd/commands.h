/*
 * commands: the subcommands, one cmd_<name>.c each. A command parses its
 * arguments, builds a content source, runs the pipeline and reports; the logic
 * lives in the modules it calls. Each returns the process exit status.
 */
#ifndef SG_COMMANDS_H
#define SG_COMMANDS_H

#include <stddef.h>

#include "core/finding.h"
#include "core/scan.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* NULL-terminated table, defined in main.c. */
extern const struct command commands[];

int cmd_scan(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_allow(int argc, char **argv);
int cmd_pre_commit(int argc, char **argv);
void cmd_pre_commit_prepare(int argc, char **argv); /* main calls it before git_libgit2_init */
int cmd_pre_push(int argc, char **argv);
int cmd_pre_receive(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_install(int argc, char **argv);

/* A scan of files on disk, shared by scan and allow (cmd_scan.c). */
struct scan_state {
	struct scan_ctx ctx;
	struct finding_list findings;
	int skip_unscanned; /* unreadable and oversize files add no finding (allow) */
};

/*
 * files_walk callback (arg: struct scan_state): scans one file, sets the git
 * blob id on its findings and applies the policy to them. Returns 0.
 */
int scan_file_one(const char *path, const unsigned char *data, size_t len, const char *err,
                  void *arg);

#endif
