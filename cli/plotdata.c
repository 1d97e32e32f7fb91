/* plotdata.c: `ompsweep plotdata DIR [--out TABLEDIR] [--kind KIND]`: the
 * tables the figures of plots/ draw, written by the library's reducer
 * (lib/plotdata.h); this parses, calls it, and names on stderr the figures
 * it leaves out. */
#include "commands.h"
#include "error.h"
#include "options.h"
#include "parse.h"
#include "plotdata.h"

#include <stdio.h>

static void note(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "osw-plots: %s\n", line);
}

int osw_cmd_plotdata(int argc, char **argv)
{
    osw_args a;
    char err[OSW_ERRLEN];
    int status = osw_args_parse(OSW_CMD_PLOTDATA, argc, argv, &a, err, sizeof(err));
    if (status == OSW_ARGS_HELP) {
        osw_usage(OSW_CMD_PLOTDATA, stdout);
        return OSW_EXIT_OK;
    }
    if (status) {
        fprintf(stderr, "ompsweep plotdata: %s (see ompsweep plotdata --help)\n", err);
        return status;
    }
    unsigned kinds = osw_plot_kind(a.kind ? a.kind : "all");
    if (!kinds) {
        fprintf(stderr,
                "ompsweep plotdata: --kind '%s' must be all, speedup, efficiency, overhead, "
                "bandwidth, schedules, size, imbalance, mpi-grid or regions\n",
                a.kind);
        return OSW_EXIT_USAGE;
    }
    char out[4200];
    if (!a.out)
        snprintf(out, sizeof(out), "%s/plotdata", a.operands[0]);
    osw_plotdata_opts o = {
        .input = a.operands[0], .out = a.out ? a.out : out, .kinds = kinds, .note = note};
    char why[512];
    int rc = osw_plotdata(&o, why);
    if (rc) {
        fprintf(stderr, "ompsweep plotdata: %s\n", why[0] ? why : osw_strerror(rc));
        return osw_exit_status(rc);
    }
    return OSW_EXIT_OK;
}
