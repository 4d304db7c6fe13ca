/*
 * commands: the subcommands, one cmd_<name>.c each. A command parses its
 * arguments, builds a content source, runs the pipeline and reports; the logic
 * lives in the modules it calls. Each returns the process exit status.
 */
#ifndef SG_COMMANDS_H
#define SG_COMMANDS_H

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

#endif
