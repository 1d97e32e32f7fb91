/* main.c: `ompsweep`: dispatches to the subcommands (commands.h); the
 * top-level usage, --version, `list` and `import-gbench`. */
#define _GNU_SOURCE
#include "commands.h"
#include "error.h"
#include "import_gbench.h"
#include "kernel.h"
#include "measure.h"
#include "options.h"
#include "parse.h"
#include "process.h"
#include "runtime.h"
#include "sysinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef OSW_VERSION
#define OSW_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: ompsweep COMMAND [options]   (ompsweep COMMAND --help for each)\n"
    "\n"
    "commands:\n"
    "  run            sweep the kernels over sizes, schedules and threads in this\n"
    "                 process, verify every result, write summary.csv, samples.csv,\n"
    "                 meta.json\n"
    "  exec           the same sweep over any OpenMP program: ompsweep exec [options]\n"
    "                 -- PROGRAM ARGS...\n"
    "  list           the kernels\n"
    "  compare        two runs, configuration by configuration, with significance tests\n"
    "  tune           recommend OMP_* settings from a run (or run one first: --run)\n"
    "  import-gbench  Google Benchmark JSON of ompsweep-gbench into a run directory\n"
    "  report         one self-contained HTML page of a run: machine, advice, table,\n"
    "                 figures (DIR/report/index.html)\n"
    "  plotdata       the tables the figures draw, from a run (plots/draw-all.sh calls it)\n"
    "\n"
    "  ompsweep --help | --version\n"
    "\n"
    "exit status: 0 all verified, 1 a verification failed, 2 usage error,\n"
    "             3 resource error (memory, threads, disk, output directory), 4 compare\n"
    "             found a significant slowdown beyond --threshold, 129/130/143\n"
    "             interrupted\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("ompsweep: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see ompsweep --help)\n", stderr);
    return OSW_EXIT_USAGE;
}

/* Parses a simple command's options; prints usage or the error. Returns -1
 * to go on, else the exit status. */
static int simple_args(unsigned cmd, int argc, char **argv, osw_args *a)
{
    char err[OSW_ERRLEN];
    int status = osw_args_parse(cmd, argc, argv, a, err, sizeof(err));
    if (status == OSW_ARGS_HELP) {
        osw_usage(cmd, stdout);
        return OSW_EXIT_OK;
    }
    if (status) {
        fprintf(stderr, "ompsweep %s: %s (see ompsweep %s --help)\n", osw_cmd_name(cmd), err,
                osw_cmd_name(cmd));
        return status;
    }
    return -1;
}

static int cmd_list(int argc, char **argv)
{
    osw_args a;
    int status = simple_args(OSW_CMD_LIST, argc, argv, &a);
    if (status >= 0)
        return status;
    int width = (int)strlen("kernel");
    for (size_t i = 0; i < osw_kernel_count; i++)
        if ((int)strlen(osw_kernels[i]->name) > width)
            width = (int)strlen(osw_kernels[i]->name);
    printf("%-*s %-9s %6s %6s  %-10s %s\n", width, "kernel", "bound", "B/unit", "ops", "default_n",
           "summary");
    for (size_t i = 0; i < osw_kernel_count; i++) {
        const osw_kernel *k = osw_kernels[i];
        printf("%-*s %-9s %6.0f %6.0f  %-10zu %s (n: %s)\n", width, k->name, osw_kind_name(k->kind),
               k->bytes_per_elem, k->ops_per_elem, k->default_n, k->summary, k->unit);
    }
    return OSW_EXIT_OK;
}

static int cmd_import_gbench(int argc, char **argv)
{
    osw_args a;
    int status = simple_args(OSW_CMD_IMPORT, argc, argv, &a);
    if (status >= 0)
        return status;
    char err[256] = "";
    int rc = osw_import_gbench(a.operands[0], a.out, a.force, err);
    if (rc) {
        fprintf(stderr, "ompsweep: %s\n", err[0] ? err : osw_strerror(rc));
        return osw_exit_status(rc);
    }
    return OSW_EXIT_OK;
}

/* Whether text is a list of counts, "4" or "4,2", as the OpenMP runtimes
 * parse it. */
static int num_threads_parses(const char *text)
{
    const char *p = text;
    for (;;) {
        p += strspn(p, " \t");
        size_t digits = strspn(p, "0123456789");
        if (digits == 0)
            return 0;
        p += digits;
        p += strspn(p, " \t");
        if (*p == '\0')
            return 1;
        if (*p++ != ',')
            return 0;
    }
}

/* clang's OpenMP runtime (libomp) warns about an OMP_NUM_THREADS it cannot
 * parse and then, in about half the runs, aborts on an internal assertion
 * (kmp_runtime.cpp, max_nproc >= new_nproc). So before any OpenMP call a
 * malformed value is moved to OSW_SAVED_NUM_THREADS and the program starts
 * again without it; the commands read it from there and warn about it as
 * they would about the original (osw_env_num_threads). */
static void restart_without_bad_num_threads(char **argv)
{
    const char *value = getenv("OMP_NUM_THREADS");
    if (value && *value && !num_threads_parses(value)) {
        setenv(OSW_SAVED_NUM_THREADS, value, 1);
        unsetenv("OMP_NUM_THREADS");
        osw_affinity_restore(); /* the re-executed process starts as this one did */
        execv("/proc/self/exe", argv);
        setenv("OMP_NUM_THREADS", getenv(OSW_SAVED_NUM_THREADS), 1); /* no restart: as it was */
        unsetenv(OSW_SAVED_NUM_THREADS);
    }
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], OSW_THREADS_PROBE) == 0)
        return osw_threads_probe_main(argv[2]); /* osw_threads_start's child */
    osw_affinity_save(); /* before any OpenMP call: what exec's children get */
    osw_process_init();
    restart_without_bad_num_threads(argv);
    osw_runtime_fork_safe(); /* the first OpenMP call */
    int status = dispatch(argc, argv);
    return osw_process_finish("ompsweep", status);
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2)
        return usage_error(
            "%s",
            "missing command: run, exec, list, compare, tune, import-gbench, report, plotdata");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return OSW_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("ompsweep %s (OpenMP %d)\n", OSW_VERSION, _OPENMP);
        return OSW_EXIT_OK;
    }
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    /* meta.json's command_line names the program, not the path it ran from. */
    char *argv0 = argv[0], name[] = "ompsweep";
    argv[0] = name;
    int status = -1;
    if (strcmp(cmd, "run") == 0)
        status = osw_cmd_run(sub_argc, sub_argv, argc, argv);
    else if (strcmp(cmd, "exec") == 0)
        status = osw_cmd_exec(sub_argc, sub_argv, argc, argv);
    argv[0] = argv0;
    if (status >= 0)
        return status;
    if (strcmp(cmd, "list") == 0)
        return cmd_list(sub_argc, sub_argv);
    if (strcmp(cmd, "compare") == 0)
        return osw_cmd_compare(sub_argc, sub_argv);
    if (strcmp(cmd, "tune") == 0)
        return osw_cmd_tune(sub_argc, sub_argv);
    if (strcmp(cmd, "import-gbench") == 0)
        return cmd_import_gbench(sub_argc, sub_argv);
    if (strcmp(cmd, "report") == 0)
        return osw_cmd_report(sub_argc, sub_argv);
    if (strcmp(cmd, "plotdata") == 0)
        return osw_cmd_plotdata(sub_argc, sub_argv);
    return usage_error("unknown command '%s'", cmd);
}
