/* commands.h: the ompsweep subcommands. Each takes the arguments after
 * `ompsweep` (argv[0] is the subcommand's own name), prints its own
 * diagnostics (one line on stderr per problem) and returns the process exit
 * status (error.h). full_argc/full_argv: the whole command line, for
 * meta.json. */
#ifndef OSW_COMMANDS_H
#define OSW_COMMANDS_H

int osw_cmd_run(int argc, char **argv, int full_argc, char **full_argv);
int osw_cmd_exec(int argc, char **argv, int full_argc, char **full_argv);
int osw_cmd_compare(int argc, char **argv);
int osw_cmd_tune(int argc, char **argv);
/* tune --search (cli/tune_search.c), from osw_cmd_tune. */
int osw_tune_search(int argc, char **argv);
int osw_cmd_report(int argc, char **argv);
int osw_cmd_plotdata(int argc, char **argv);

#endif
