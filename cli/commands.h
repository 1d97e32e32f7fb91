/* commands.h: the ompsweep subcommands. Each takes the arguments after
 * `ompsweep` (argv[0] is the subcommand's own name), prints its own
 * diagnostics (one line on stderr per problem) and returns the process exit
 * status (error.h). These are the only functions besides main that print. */
#ifndef OSW_COMMANDS_H
#define OSW_COMMANDS_H

/* ompsweep compare BASE_DIR NEW_DIR [--csv] [--alpha A] [--threshold PCT] */
int osw_cmd_compare(int argc, char **argv);

/* ompsweep exec [sweep options] -- PROGRAM ARGS... */
int osw_cmd_exec(int argc, char **argv);

/* ompsweep tune DIR [--json] */
int osw_cmd_tune(int argc, char **argv);

#endif
