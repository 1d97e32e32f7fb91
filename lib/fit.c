/* fit.c: scaling facts shared by tune and the figures (fit.h). */
#include "fit.h"
#include "rows.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t osw_scale_points(const osw_row *const *rows, size_t n, osw_scale_point *pts, double *t1,
                        int *memory)
{
    size_t npts = 0;
    *memory = 0;
    for (size_t i = 0; i < n; i++) {
        const osw_row *r = rows[i];
        size_t k = 0;
        while (k < npts && pts[k].threads != r->threads)
            k++;
        if (k == npts) {
            /* insert keeping pts sorted by threads */
            while (k > 0 && pts[k - 1].threads > r->threads) {
                pts[k] = pts[k - 1];
                k--;
            }
            npts++;
            pts[k] = (osw_scale_point){
                .threads = r->threads, .median = INFINITY, .gbps = NAN, .ceiling_ratio = NAN};
        }
        osw_scale_point *p = &pts[k];
        if (r->median_s < p->median) {
            p->median = r->median_s;
            p->best = i;
        }
        if (strcmp(r->bound, "memory") == 0 && isfinite(r->gbps_median)) {
            *memory = 1;
            if (!(p->gbps >= r->gbps_median)) {
                p->gbps = r->gbps_median;
                p->ceiling_ratio = r->ceiling_ratio;
            }
        }
    }
    *t1 = npts && pts[0].threads == 1 ? pts[0].median : NAN;
    for (size_t i = 0; i < npts; i++) {
        osw_scale_point *p = &pts[i];
        p->speedup = *t1 / p->median;
        p->team = osw_row_team(rows[p->best]);
        double inv_p = 1.0 / p->team;
        p->karp_flatt = p->team > 1 ? (1 / p->speedup - inv_p) / (1 - inv_p) : NAN;
    }
    return npts;
}

/* Sum of squared residuals of the Amdahl model with serial fraction f. */
static double amdahl_sse(const osw_scale_point *pts, size_t n, double f)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        if (pts[i].team > 1 && isfinite(pts[i].speedup)) {
            double r = 1 / (f + (1 - f) / pts[i].team) - pts[i].speedup;
            s += r * r;
        }
    return s;
}

double osw_amdahl_fit(const osw_scale_point *pts, size_t n, size_t *used)
{
    *used = 0;
    for (size_t i = 0; i < n; i++)
        *used += pts[i].team > 1 && isfinite(pts[i].speedup);
    if (*used < OSW_AMDAHL_MIN_PARALLEL)
        return NAN;
    double best_f = 0, best = INFINITY;
    for (int k = 0; k <= 1000; k++) {
        double f = k / 1000.0, s = amdahl_sse(pts, n, f);
        if (s < best) {
            best = s;
            best_f = f;
        }
    }
    double a = best_f > 0.001 ? best_f - 0.001 : 0, b = best_f < 0.999 ? best_f + 0.001 : 1;
    const double g = (sqrt(5.0) - 1) / 2;
    for (int it = 0; it < 60; it++) {
        double c = b - g * (b - a), d = a + g * (b - a);
        if (amdahl_sse(pts, n, c) < amdahl_sse(pts, n, d))
            b = d;
        else
            a = c;
    }
    return (a + b) / 2;
}

double osw_amdahl_limit(double f)
{
    if (isnan(f))
        return NAN;
    return f > 1e-6 ? 1 / f : INFINITY;
}

void osw_amdahl_why(size_t used, char *buf, size_t len)
{
    snprintf(buf, len, "Amdahl fit needs %d or more thread counts; this run has %zu",
             OSW_AMDAHL_MIN_PARALLEL + 1, used + 1);
}

long osw_saturation(const osw_scale_point *pts, size_t n, int *rising)
{
    *rising = 0;
    size_t nb = 0;
    for (size_t i = 0; i < n; i++)
        nb += isfinite(pts[i].gbps);
    for (size_t i = 0; nb >= 2 && i < n; i++) {
        if (!isfinite(pts[i].gbps))
            continue;
        double later = -INFINITY;
        for (size_t j = i + 1; j < n; j++)
            if (isfinite(pts[j].gbps) && pts[j].gbps > later)
                later = pts[j].gbps;
        if (later == -INFINITY) {
            *rising = 1; /* reached the last count still rising */
            return -1;
        }
        if (later < (1 + OSW_SATURATION_RISE) * pts[i].gbps)
            return (long)i;
    }
    return -1;
}

int osw_serial_wins(double t1, double tpar)
{
    return t1 <= tpar;
}

void osw_crossover_find(const size_t *n, const double *t1, const double *tpar, size_t count,
                        osw_crossover *out)
{
    /* below: the smallest n from which parallel wins at every larger size */
    size_t sizes = 0, below = 0;
    int any_serial = 0, any_parallel = 0;
    for (size_t k = 0; k < count; k++) {
        if (!isfinite(t1[k]) || !isfinite(tpar[k]))
            continue;
        sizes++;
        int serial = osw_serial_wins(t1[k], tpar[k]);
        any_serial |= serial;
        any_parallel |= !serial;
        if (serial)
            below = 0;
        else if (!below)
            below = n[k];
    }
    out->nsizes = sizes;
    out->serial_everywhere = any_serial && !any_parallel;
    out->parallel_everywhere = any_parallel && !any_serial;
    out->below_n = any_serial && any_parallel ? below : 0;
}

double osw_break_even_n(double na, double ra, double nb, double rb)
{
    return exp(log(na) + (log(nb) - log(na)) * ra / (ra - rb));
}
