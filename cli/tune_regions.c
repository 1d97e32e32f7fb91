/* tune_regions.c: the per-region part of `ompsweep tune DIR` (table
 * format), when DIR holds regions.csv (`ompsweep exec --regions`,
 * docs/regions.md): per region its speedup curve (its best total_s per
 * thread count over the schedules), where it stops scaling, its share of
 * the program's time at the recommended thread count, and Amdahl's serial
 * fraction of the whole program from the regions (the time outside every
 * region is the serial part). */
#define _GNU_SOURCE
#include "tune_regions.h"
#include "error.h"
#include "parse.h"
#include "regions.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A next thread count that gains less than this factor of speedup is where a
 * region stops scaling. */
#define REGION_GAIN 1.10

int osw_tune_regions(const char *dir, const char *base, size_t size, int recommended, FILE *out)
{
    char path[4200], err[OSW_ERRLEN];
    snprintf(path, sizeof(path), "%s/regions.csv", dir);
    osw_region_row *rows = NULL;
    size_t n = 0;
    int rc = osw_regions_csv_read(path, &rows, &n, err);
    if (rc == -ENOENT)
        return 0;
    if (rc) {
        fprintf(stderr, "ompsweep tune: %s\n", err);
        return rc == -ENOMEM ? OSW_EXIT_RESOURCE : OSW_EXIT_USAGE;
    }
    enum { MAX_T = 64 };
    int t[MAX_T];
    int nt = osw_regions_threads(rows, n, base, size, t, MAX_T);
    if (nt == 0) {
        free(rows);
        return 0;
    }
    double serial1 = NAN,
           prog1 = t[0] == 1 ? osw_regions_best_program(rows, n, base, size, 1, &serial1) : NAN;
    double serial_rec = NAN,
           prog_rec = osw_regions_best_program(rows, n, base, size, recommended, &serial_rec);
    fprintf(out, "%s n=%zu: regions (regions.csv; best schedule per thread count%s):\n", base, size,
            t[0] == 1 ? ", speedup against 1 thread" : "");
    /* Each region once, in the order of the file (largest first per
     * configuration). */
    for (size_t i = 0; i < n; i++) {
        const osw_region_row *r = &rows[i], *best = NULL;
        if (!osw_regions_in_group(r, base, size))
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = osw_regions_in_group(&rows[j], base, size) &&
                   strcmp(rows[j].region, r->region) == 0;
        if (seen)
            continue;
        fprintf(out, "  %s%s%s%s\n", r->region, r->function[0] ? " (" : "", r->function,
                r->function[0] ? ")" : "");
        double t1 =
            t[0] == 1 ? osw_regions_best_time(rows, n, base, size, r->region, 1, &best) : NAN;
        double prev = NAN;
        int stop = 0, prev_t = 0;
        fprintf(out, "    %7s  %12s %8s %9s %5s\n", "threads", "total_s", "speedup", "imbalance",
                "team");
        for (int k = 0; k < nt; k++) {
            double tk = osw_regions_best_time(rows, n, base, size, r->region, t[k], &best);
            if (isnan(tk))
                continue;
            double sp = t1 > 0 && tk > 0 ? t1 / tk : NAN;
            fprintf(out, "    %7d  %12.6f ", t[k], tk);
            if (isnan(sp))
                fprintf(out, "%8s", "-");
            else
                fprintf(out, "%8.3f", sp);
            if (isnan(best->imbalance))
                fprintf(out, " %9s", "-");
            else
                fprintf(out, " %9.3f", best->imbalance);
            fprintf(out, " %5d\n", best->team_ran);
            if (!stop && !isnan(prev) && !isnan(sp) && sp < prev * REGION_GAIN)
                stop = prev_t;
            if (!isnan(sp)) {
                prev = sp;
                prev_t = t[k];
            }
        }
        if (isnan(t1))
            fprintf(out, "    no 1-thread run: no speedup\n");
        else if (stop)
            fprintf(out, "    stops scaling at %d thread(s): the next count gains under %.0f%%\n",
                    stop, (REGION_GAIN - 1) * 100);
        else
            fprintf(out, "    still scaling at %d thread(s), the most measured\n", prev_t);
        double at_rec = osw_regions_best_time(rows, n, base, size, r->region, recommended, &best);
        if (!isnan(at_rec) && prog_rec > 0)
            fprintf(out, "    share at the recommended %d thread(s): %.1f%% of the program\n",
                    recommended, 100 * at_rec / prog_rec);
    }
    if (prog1 > 0) {
        double f = serial1 / prog1;
        fprintf(out,
                "  serial (outside every region) at 1 thread: %.6f s of %.6f s: Amdahl's "
                "serial fraction f = %.4f",
                serial1, prog1, f);
        if (f > 0)
            fprintf(out, " (no thread count makes the program more than %.1fx faster)", 1 / f);
        fputc('\n', out);
    }
    if (prog_rec > 0)
        fprintf(out, "  serial at the recommended %d thread(s): %.1f%% of the program\n",
                recommended, 100 * serial_rec / prog_rec);
    fputc('\n', out);
    free(rows);
    return 0;
}
