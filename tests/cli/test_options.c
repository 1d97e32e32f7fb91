/* test_options: the one option table (cli/options.h) against its parser
 * and its usage texts.
 *   test_options            for every command: --help and -h parse as help;
 *                           every option of the table appears in the
 *                           command's usage, and the parser takes it (with
 *                           some value it accepts; never "unknown option");
 *                           an option of another command is refused.
 *   test_options --list CMD the options of CMD (run, exec, mpi, list,
 *                           compare, tune, import-gbench), one a line, for
 *                           the shell test that reads `ompsweep CMD --help`. */
#define _GNU_SOURCE
#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static const struct {
    const char *name;
    unsigned cmd;
} cmds[] = {{"run", OSW_CMD_RUN},
            {"exec", OSW_CMD_EXEC},
            {"mpi", OSW_CMD_MPI},
            {"list", OSW_CMD_LIST},
            {"compare", OSW_CMD_COMPARE},
            {"tune", OSW_CMD_TUNE},
            {"import-gbench", OSW_CMD_IMPORT},
            {"report", OSW_CMD_REPORT},
            {"plotdata", OSW_CMD_PLOTDATA}};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* Values to try: one of them is accepted by every option that takes one. */
static const char *const values[] = {"2",  "20",    "64",         "0.05",  "static",
                                     "on", "table", "sequential", "close", "all",
                                     "x",  "1,2",   "out",        "wall",  "holm"};

/* The operands a command needs, so that only the option is judged. */
static void operands(unsigned cmd, char **argv, int *argc)
{
    static char a[] = "a", b[] = "b", prog[] = "true", out[] = "--out", dir[] = "o";
    if (cmd == OSW_CMD_EXEC)
        argv[(*argc)++] = prog;
    if (cmd == OSW_CMD_COMPARE || cmd == OSW_CMD_TUNE || cmd == OSW_CMD_IMPORT ||
        cmd == OSW_CMD_REPORT || cmd == OSW_CMD_PLOTDATA)
        argv[(*argc)++] = a;
    if (cmd == OSW_CMD_COMPARE)
        argv[(*argc)++] = b;
    if (cmd == OSW_CMD_IMPORT) {
        argv[(*argc)++] = out;
        argv[(*argc)++] = dir;
    }
}

/* Parses CMD OPTION [VALUE] OPERANDS; returns the status, err the message. */
static int parse(unsigned cmd, const char *option, const char *value, char *err)
{
    char *argv[12];
    int argc = 0;
    char name[] = "cmd", opt[64], val[64];
    snprintf(opt, sizeof(opt), "%s", option);
    argv[argc++] = name;
    argv[argc++] = opt;
    if (value) {
        snprintf(val, sizeof(val), "%s", value);
        argv[argc++] = val;
    }
    /* --resume needs --out, --places --bind, --seed --order shuffled (--block
     * interleaved), adaptive flags --reps auto: given, so that only the
     * option itself is judged. */
    static char reps[] = "--reps", autov[] = "auto", o[] = "--out", d[] = "d", b[] = "--bind",
                c[] = "close", order[] = "--order", shuffled[] = "shuffled",
                interleaved[] = "interleaved";
    if ((cmd == OSW_CMD_RUN || cmd == OSW_CMD_EXEC) && strcmp(option, "--order") != 0) {
        argv[argc++] = order;
        argv[argc++] = strcmp(option, "--block") == 0 ? interleaved : shuffled;
    }
    if (cmd == OSW_CMD_RUN && strcmp(option, "--reps") != 0) {
        argv[argc++] = reps;
        argv[argc++] = autov;
    }
    if (cmd == OSW_CMD_RUN) {
        argv[argc++] = o;
        argv[argc++] = d;
    }
    if (cmd == OSW_CMD_EXEC) {
        argv[argc++] = b;
        argv[argc++] = c;
    }
    operands(cmd, argv, &argc);
    argv[argc] = NULL;
    osw_args a;
    return osw_args_parse(cmd, argc, argv, &a, err, 256);
}

static void check_command(unsigned cmd, const char *cmdname)
{
    char *usage = NULL, *list = NULL;
    size_t ulen = 0, llen = 0;
    FILE *u = open_memstream(&usage, &ulen), *l = open_memstream(&list, &llen);
    osw_usage(cmd, u);
    osw_options_list(cmd, l);
    fclose(u);
    fclose(l);
    char err[256];
    if (parse(cmd, "--help", NULL, err) != OSW_ARGS_HELP ||
        parse(cmd, "-h", NULL, err) != OSW_ARGS_HELP) {
        fprintf(stderr, "%s: --help or -h is not help\n", cmdname);
        failures++;
    }
    for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
        char option[64];
        int takes_value = strstr(line, " VALUE") != NULL;
        snprintf(option, sizeof(option), "%.*s", (int)strcspn(line, " "), line);
        char mention[80];
        snprintf(mention, sizeof(mention), "%s%s", option, takes_value ? " " : "");
        if (!strstr(usage, mention)) {
            fprintf(stderr, "%s: --help does not mention %s\n", cmdname, option);
            failures++;
        }
        if (strcmp(option, "--help") == 0)
            continue;
        int accepted = 0;
        for (size_t v = 0; v < (takes_value ? sizeof(values) / sizeof(values[0]) : 1); v++) {
            int rc = parse(cmd, option, takes_value ? values[v] : NULL, err);
            if (rc != 0 && strstr(err, "unknown option")) {
                fprintf(stderr, "%s: %s is in the table but the parser refuses it: %s\n", cmdname,
                        option, err);
                failures++;
                break;
            }
            accepted |= rc == 0;
        }
        if (!accepted) {
            fprintf(stderr, "%s: no value makes %s parse (%s)\n", cmdname, option, err);
            failures++;
        }
    }
    /* An option of no command is refused. */
    if (parse(cmd, "--no-such-option", NULL, err) == 0 || !strstr(err, "unknown option")) {
        fprintf(stderr, "%s: --no-such-option was not refused as unknown\n", cmdname);
        failures++;
    }
    free(usage);
    free(list);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < NCMDS; i++)
            if (strcmp(argv[2], cmds[i].name) == 0) {
                osw_options_list(cmds[i].cmd, stdout);
                return 0;
            }
        fprintf(stderr, "test_options: unknown command %s\n", argv[2]);
        return 2;
    }
    for (size_t i = 0; i < NCMDS; i++)
        check_command(cmds[i].cmd, cmds[i].name);
    /* Options of one command only are refused by the others. */
    char err[256];
    if (parse(OSW_CMD_MPI, "--resume", NULL, err) == 0 || !strstr(err, "unknown option")) {
        fprintf(stderr, "mpi: --resume is not refused\n");
        failures++;
    }
    if (failures)
        fprintf(stderr, "test_options: %d failure(s)\n", failures);
    else
        printf("test_options: ok\n");
    return failures != 0;
}
