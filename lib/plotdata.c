/* plotdata.c: the figures' tables from one summary.csv (plotdata.h). */
#define _GNU_SOURCE
#include "plotdata.h"
#include "regions.h"
#include "csv.h"
#include "error.h"
#include "fit.h"
#include "rows.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const kind_names[] = {"speedup",   "efficiency", "overhead",
                                         "bandwidth", "schedules",  "size",
                                         "imbalance", "mpi-grid",   "regions"};
#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))
/* The summary columns each kind draws (besides `verified`). */
static const char *const kind_columns[] = {"speedup speedup_lo speedup_hi",
                                           "efficiency speedup_lo speedup_hi",
                                           "median_s ci_lo_s ci_hi_s",
                                           "gbps_median bound",
                                           "median_s ci_lo_s ci_hi_s",
                                           "median_s ci_lo_s ci_hi_s",
                                           "imbalance",
                                           "ranks median_s ci_lo_s ci_hi_s",
                                           ""};

unsigned osw_plot_kind(const char *name)
{
    if (strcmp(name, "all") == 0)
        return OSW_PLOT_ALL;
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return 1u << i;
    return 0;
}

const char *osw_plot_kind_name(unsigned kind)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (kind == 1u << i)
            return kind_names[i];
    return "?";
}

/* ---- the rows ---- */

struct pd {
    const osw_plotdata_opts *o;
    osw_row *rows;
    size_t nrows;
    const osw_row **good; /* verified, one process, a positive median */
    size_t ngood;
    char label[256];
    double llc;    /* its llc_bytes, 0 when unknown */
    char **series; /* every series of the good rows, in series order: the style index */
    size_t nseries;
    char *err;
};

/* Rank of a schedule kind for the series order: static, dynamic, guided,
 * auto, other; monotonic: and nonmonotonic: after the plain kind. */
static double series_key(const osw_row *r)
{
    static const char *const kinds[] = {"static", "dynamic", "guided", "auto"};
    const char *s = r->schedule;
    int mod = 0;
    if (strncmp(s, "monotonic:", 10) == 0) {
        s += 10;
        mod = 1;
    } else if (strncmp(s, "nonmonotonic:", 13) == 0) {
        s += 13;
        mod = 2;
    }
    int rank = 5;
    for (int i = 0; i < 4; i++)
        if (strcmp(s, kinds[i]) == 0)
            rank = i + 1;
    return rank * 1e12 + mod * 1e11 + (r->chunk > 0 ? r->chunk : 0);
}

static void series_name(const osw_row *r, char *buf, size_t len)
{
    if (r->chunk > 0)
        snprintf(buf, len, "%s,%d", r->schedule, r->chunk);
    else
        snprintf(buf, len, "%s", r->schedule);
}

/* The schedule without its monotonic:/nonmonotonic: modifier. */
static const char *series_base(const osw_row *r)
{
    const char *c = strchr(r->schedule, ':');
    return c ? c + 1 : r->schedule;
}

static int cmp_series(const void *pa, const void *pb)
{
    const osw_row *a = *(const osw_row *const *)pa, *b = *(const osw_row *const *)pb;
    double ka = series_key(a), kb = series_key(b);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    if (a->threads != b->threads)
        return a->threads < b->threads ? -1 : 1;
    return a->n < b->n ? -1 : a->n > b->n;
}

static int cmp_threads(const void *pa, const void *pb)
{
    const osw_row *a = *(const osw_row *const *)pa, *b = *(const osw_row *const *)pb;
    if (a->threads != b->threads)
        return a->threads < b->threads ? -1 : 1;
    return cmp_series(pa, pb);
}

static int same_series(const osw_row *a, const osw_row *b)
{
    return strcmp(a->schedule, b->schedule) == 0 && a->chunk == b->chunk;
}

/* The style index (1-based) of r's series over the whole summary. */
static size_t style_of(const struct pd *p, const osw_row *r)
{
    char name[96];
    series_name(r, name, sizeof(name));
    for (size_t i = 0; i < p->nseries; i++)
        if (strcmp(p->series[i], name) == 0)
            return i + 1;
    return 1;
}

static int fail(struct pd *p, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct pd *p, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, 512, fmt, ap);
    va_end(ap);
    return rc;
}

static void note(struct pd *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct pd *p, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (p->o->note)
        p->o->note(p->o->ctx, line);
}

/* From meta.json: the machine for the titles, "host (cpu, N cores)", and
 * the last-level cache's size. */
static void read_meta(struct pd *p, const char *meta)
{
    snprintf(p->label, sizeof(p->label), "unknown machine");
    char *text = NULL;
    size_t len = 0;
    if (osw_read_file(meta, &text, &len))
        return;
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!doc)
        return;
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(doc, "host");
    const cJSON *cpu = cJSON_GetObjectItemCaseSensitive(doc, "cpu_model");
    const cJSON *cores = cJSON_GetObjectItemCaseSensitive(doc, "cores");
    char hw[160] = "";
    if (cJSON_IsString(cpu) && cpu->valuestring[0])
        snprintf(hw, sizeof(hw), "%.100s", cpu->valuestring);
    if (cJSON_IsNumber(cores))
        snprintf(hw + strlen(hw), sizeof(hw) - strlen(hw), "%s%d cores", hw[0] ? ", " : "",
                 cores->valueint);
    const cJSON *llc = cJSON_GetObjectItemCaseSensitive(doc, "llc_bytes");
    p->llc = cJSON_IsNumber(llc) && llc->valuedouble > 0 ? llc->valuedouble : 0;
    snprintf(p->label, sizeof(p->label), "%.80s%s%s%s",
             cJSON_IsString(host) && host->valuestring[0] ? host->valuestring : "unknown machine",
             hw[0] ? " (" : "", hw, hw[0] ? ")" : "");
    cJSON_Delete(doc);
}

/* Reads the summary (DIR/summary.csv, or the file itself) and meta.json
 * beside it (for summary-NAME.csv without one: meta-NAME.json). */
static int load(struct pd *p)
{
    char csv[4096], meta[4200];
    struct stat st;
    const char *in = p->o->input;
    if (stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(csv, sizeof(csv), "%s/summary.csv", in);
        snprintf(meta, sizeof(meta), "%s/meta.json", in);
    } else {
        snprintf(csv, sizeof(csv), "%s", in);
        const char *slash = strrchr(in, '/');
        const char *base = slash ? slash + 1 : in;
        int dl = slash ? (int)(slash - in) : 1;
        const char *dir = slash ? in : ".";
        snprintf(meta, sizeof(meta), "%.*s/meta.json", dl, dir);
        size_t bl = strlen(base);
        if (access(meta, R_OK) != 0 && bl > 12 && strncmp(base, "summary-", 8) == 0 &&
            strcmp(base + bl - 4, ".csv") == 0)
            snprintf(meta, sizeof(meta), "%.*s/meta-%.*s.json", dl, dir, (int)(bl - 12), base + 8);
    }
    osw_table tab;
    int rc = osw_csv_read(csv, &tab, p->err);
    if (rc == -ENOMEM)
        return rc;
    if (rc) /* missing, unreadable or malformed: the input's fault */
        return rc == OSW_EFORMAT ? rc : OSW_EUSAGE;
    rc = osw_table_require_summary(&tab, p->err);
    if (rc) {
        char what[400];
        snprintf(what, sizeof(what), "%s", p->err);
        fail(p, rc, "%s: %s", csv, what);
        goto out;
    }
    /* the columns each kind asked for draws: never a figure from defaults */
    for (size_t k = 0; k < NKINDS; k++) {
        if (!(p->o->kinds & (1u << k)))
            continue;
        char cols[128], *save = NULL;
        snprintf(cols, sizeof(cols), "verified %s", kind_columns[k]);
        for (char *c = strtok_r(cols, " ", &save); c; c = strtok_r(NULL, " ", &save))
            if (osw_table_col(&tab, c) < 0) {
                rc = fail(p, OSW_EFORMAT,
                          "%s: missing required column '%s' (the %s figures draw it)", csv, c,
                          kind_names[k]);
                goto out;
            }
    }
    p->rows = calloc(tab.nrows ? tab.nrows : 1, sizeof(*p->rows));
    p->good = calloc(tab.nrows ? tab.nrows : 1, sizeof(*p->good));
    p->series = calloc(tab.nrows ? tab.nrows : 1, sizeof(*p->series));
    if (!p->rows || !p->good || !p->series) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < tab.nrows; i++) {
        rc = osw_row_from_table(&tab, i, &p->rows[i], p->err);
        if (rc)
            goto out;
        p->nrows++;
        const osw_row *r = &p->rows[i];
        if (r->verified == 1 && r->ranks <= 1 && r->median_s > 0)
            p->good[p->ngood++] = r;
    }
    /* the series of the whole summary, in series order: a series keeps its
     * style in every figure */
    const osw_row **sorted = malloc((p->ngood ? p->ngood : 1) * sizeof(*sorted));
    if (!sorted) {
        rc = -ENOMEM;
        goto out;
    }
    memcpy(sorted, p->good, p->ngood * sizeof(*sorted));
    qsort(sorted, p->ngood, sizeof(*sorted), cmp_series);
    for (size_t i = 0; i < p->ngood; i++) {
        if (i && same_series(sorted[i], sorted[i - 1]))
            continue;
        char name[96];
        series_name(sorted[i], name, sizeof(name));
        if (!(p->series[p->nseries++] = strdup(name))) {
            rc = -ENOMEM;
            break;
        }
    }
    free(sorted);
    read_meta(p, meta);
out:
    osw_table_free(&tab);
    return rc;
}

/* ---- one kind's figures, then KIND.gp ---- */

struct fig {
    char kernel[64], title[200], note[400], data[128], threads[512];
    char fitnote[160], cache[200], unit[8], spans[1024];
    size_t n, s0, ns;
    double x0, x1, y0, y1;
    int nfits, ceil, P, main_p, slant, nlose, sat;
    double cpeak, below;
};

struct ser {
    char name[96], title[160];
    size_t style;
    double fit;
};

struct out {
    struct fig *f;
    size_t nf, capf;
    struct ser *s;
    size_t ns, caps;
};

static struct fig *new_fig(struct out *o)
{
    if (o->nf == o->capf) {
        size_t cap = o->capf ? 2 * o->capf : 16;
        struct fig *f = realloc(o->f, cap * sizeof(*f));
        if (!f)
            return NULL;
        o->f = f;
        o->capf = cap;
    }
    struct fig *f = &o->f[o->nf];
    memset(f, 0, sizeof(*f));
    f->s0 = o->ns;
    f->cpeak = f->below = NAN;
    return f;
}

static struct ser *new_ser(struct out *o, struct fig *f)
{
    if (o->ns == o->caps) {
        size_t cap = o->caps ? 2 * o->caps : 32;
        struct ser *s = realloc(o->s, cap * sizeof(*s));
        if (!s)
            return NULL;
        o->s = s;
        o->caps = cap;
    }
    f->ns++;
    struct ser *s = &o->s[o->ns++];
    memset(s, 0, sizeof(*s));
    s->fit = NAN;
    return s;
}

/* A size as people write it: 2^k or 10^k when exact (and at least 1024 or
 * 1000), else the number. */
static void nfmt(size_t n, char *buf, size_t len)
{
    for (int e = 10; e < 64; e++)
        if (n == (size_t)1 << e) {
            snprintf(buf, len, "2^%d", e);
            return;
        }
    size_t t = 1000;
    for (int e = 3; e < 20 && t <= n; e++, t *= 10)
        if (n == t) {
            snprintf(buf, len, "10^%d", e);
            return;
        }
    snprintf(buf, len, "%zu", n);
}

/* The note naming the unverified rows of kernel at n (0: any) and threads
 * (-1: any). */
static void unverified_note(const struct pd *p, const char *kernel, size_t n, int threads,
                            char *buf, size_t len)
{
    size_t nbad = 0, w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->nrows; i++) {
        const osw_row *r = &p->rows[i];
        if (r->verified == 1 || strcmp(r->kernel, kernel) || (n && r->n != n) ||
            (threads >= 0 && r->threads != threads))
            continue;
        if (++nbad > 3)
            continue;
        char s[96];
        series_name(r, s, sizeof(s));
        w += (size_t)snprintf(buf + w, w < len ? len - w : 0, "%s%d threads, %s, n=%zu",
                              nbad == 1 ? "not drawn, failed verification: " : "; ", r->threads, s,
                              r->n);
    }
    if (nbad > 3 && w < len)
        snprintf(buf + w, len - w, "; and %zu more", nbad - 3);
}

/* The kernels of the good rows, in order of first appearance: a fresh
 * array (free() it; the names are the rows'), or NULL when out of memory. */
static const char **kernels(const struct pd *p, size_t *nk)
{
    const char **out = malloc((p->ngood ? p->ngood : 1) * sizeof(*out));
    *nk = 0;
    for (size_t i = 0; out && i < p->ngood; i++) {
        size_t k = 0;
        while (k < *nk && strcmp(out[k], p->good[i]->kernel))
            k++;
        if (k == *nk)
            out[(*nk)++] = p->good[i]->kernel;
    }
    return out;
}

static double pick(double v, double alt)
{
    return isfinite(v) ? v : alt;
}

/* value (0), low (1) and high (2) end of what a kind draws against threads
 * for a row; NaN: the row has none. */
static double kind_value(unsigned kind, const osw_row *r, int end)
{
    double v;
    switch (kind) {
    case OSW_PLOT_SPEEDUP:
        v = r->speedup;
        return end == 0 ? v : pick(end == 1 ? r->speedup_lo : r->speedup_hi, v);
    case OSW_PLOT_EFFICIENCY:
        v = r->efficiency;
        return end == 0 ? v : pick((end == 1 ? r->speedup_lo : r->speedup_hi) / osw_row_team(r), v);
    case OSW_PLOT_OVERHEAD:
        v = r->median_s * 1e6; /* µs per region */
        return end == 0 ? v : pick((end == 1 ? r->ci_lo_s : r->ci_hi_s) * 1e6, v);
    case OSW_PLOT_BANDWIDTH: {
        if (strcmp(r->bound, "memory"))
            return NAN;
        v = r->gbps_median;
        double ci = end == 1 ? r->ci_hi_s : r->ci_lo_s;
        return end == 0 ? v : (isfinite(ci) && ci > 0 ? v * r->median_s / ci : v);
    }
    case OSW_PLOT_IMBALANCE:
        return r->imbalance;
    }
    return NAN;
}

static int write_num(FILE *f, double v)
{
    return isfinite(v) ? fprintf(f, "%.10g", v) : fprintf(f, "NaN");
}

/* A figure against threads: kernel k at its largest n with values, one
 * block "threads value low high" per series. Returns 1 drawn, 0 left out
 * (noted), or a negative error. rows: scratch of ngood. */
static int threads_figure(struct pd *p, struct out *o, unsigned kind, const char *k,
                          int min_threads, const osw_row **rows)
{
    const char *kn = osw_plot_kind_name(kind);
    size_t nr = 0, nmax = 0;
    for (size_t i = 0; i < p->ngood; i++)
        if (!strcmp(p->good[i]->kernel, k) && isfinite(kind_value(kind, p->good[i], 0))) {
            rows[nr++] = p->good[i];
            if (p->good[i]->n > nmax)
                nmax = p->good[i]->n;
        }
    if (!nr) {
        note(p, "%s: no figure for %s: no %s values%s", kn, k, kn,
             kind == OSW_PLOT_SPEEDUP || kind == OSW_PLOT_EFFICIENCY ? " (no 1-thread baseline?)"
                                                                     : "");
        return 0;
    }
    size_t m = 0;
    for (size_t i = 0; i < nr; i++)
        if (rows[i]->n == nmax)
            rows[m++] = rows[i];
    qsort(rows, m, sizeof(*rows), cmp_series);
    int nthreads = 0, tmin = 1 << 30, tmax = 0;
    char T[512] = "";
    const osw_row **byt = malloc(m * sizeof(*byt));
    if (!byt)
        return -ENOMEM;
    memcpy(byt, rows, m * sizeof(*byt));
    qsort(byt, m, sizeof(*byt), cmp_threads);
    for (size_t i = 0; i < m; i++)
        if (!i || byt[i]->threads != byt[i - 1]->threads) {
            nthreads++;
            snprintf(T + strlen(T), sizeof(T) - strlen(T), "%s%d", T[0] ? " " : "",
                     byt[i]->threads);
        }
    tmin = byt[0]->threads;
    tmax = byt[m - 1]->threads;
    free(byt);
    if (nthreads < min_threads) {
        note(p, "%s: no figure for %s: %s for only one thread count at n = %zu", kn, k, kn, nmax);
        return 0;
    }
    struct fig *f = new_fig(o);
    if (!f)
        return -ENOMEM;
    o->nf++;
    snprintf(f->kernel, sizeof(f->kernel), "%s", k);
    f->n = nmax;
    snprintf(f->threads, sizeof(f->threads), "%s", T);
    snprintf(f->data, sizeof(f->data), "%s-%.63s.dat", kn, k);
    char nf[32];
    nfmt(nmax, nf, sizeof(nf));
    snprintf(f->title, sizeof(f->title), ", n = %s", nf);
    unverified_note(p, k, nmax, -1, f->note, sizeof(f->note));
    f->x0 = tmin / 1.2;
    f->x1 = tmax * 1.2;
    f->y0 = INFINITY;
    f->y1 = -INFINITY;

    char path[4300];
    snprintf(path, sizeof(path), "%s/%s", p->o->out, f->data);
    FILE *d = fopen(path, "w");
    if (!d)
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    fprintf(d, "# ompsweep plotdata: %s of %s at n = %zu; one block per series\n", kn, k, nmax);
    for (size_t i = 0; i < m; i++) {
        if (!i || !same_series(rows[i], rows[i - 1])) {
            struct ser *s = new_ser(o, f);
            if (!s) {
                fclose(d);
                return -ENOMEM;
            }
            series_name(rows[i], s->name, sizeof(s->name));
            snprintf(s->title, sizeof(s->title), "%s", s->name);
            s->style = style_of(p, rows[i]);
            fprintf(d, "%s# series %s\n# threads value low high\n", i ? "\n\n" : "", s->name);
        }
        fprintf(d, "%d", rows[i]->threads);
        for (int e = 0; e < 3; e++) {
            double v = kind_value(kind, rows[i], e);
            fputc(' ', d);
            write_num(d, v);
            if (isfinite(v) && (v > 0 || kind != OSW_PLOT_SPEEDUP)) {
                f->y0 = fmin(f->y0, v);
                f->y1 = fmax(f->y1, v);
            }
        }
        fputc('\n', d);
    }
    if (fclose(d))
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    return 1;
}

/* Speedup: per series the Amdahl fit of lib/fit.h (tune's), over the
 * series' own speedups. */
static void speedup_fits(const struct pd *p, struct out *o, struct fig *f)
{
    osw_scale_point pts[256];
    size_t used = 0, most = 0;
    for (size_t j = f->s0; j < f->s0 + f->ns; j++) {
        struct ser *s = &o->s[j];
        size_t np = 0;
        for (size_t i = 0; i < p->ngood && np < 256; i++) {
            const osw_row *r = p->good[i];
            char name[96];
            series_name(r, name, sizeof(name));
            if (strcmp(r->kernel, f->kernel) || r->n != f->n || strcmp(name, s->name) ||
                !isfinite(r->speedup))
                continue;
            pts[np++] = (osw_scale_point){
                .threads = r->threads, .team = osw_row_team(r), .speedup = r->speedup};
        }
        s->fit = osw_amdahl_fit(pts, np, &used);
        most = used > most ? used : most;
        if (isnan(s->fit))
            continue;
        if (s->fit < 0.999) {
            f->nfits++;
            snprintf(s->title, sizeof(s->title), "%s  (f = %.3f)", s->name, s->fit);
        } else { /* f at its bound 1: the curve falls, no Amdahl shape */
            snprintf(s->title, sizeof(s->title), "%s  (Amdahl does not fit)", s->name);
        }
    }
    if (f->nfits == 0) /* osw_amdahl_fit's rule, short enough for a key */
        snprintf(f->fitnote, sizeof(f->fitnote), "no Amdahl fit (%zu thread counts; it needs %d)",
                 most + 1, OSW_AMDAHL_MIN_PARALLEL + 1);
}

/* Bandwidth: where it saturates, tune's rule over the best configuration
 * per thread count (lib/fit.h). */
static int bandwidth_saturation(const struct pd *p, struct fig *f)
{
    const osw_row **rows = malloc((p->ngood ? p->ngood : 1) * sizeof(*rows));
    osw_scale_point *pts = malloc((p->ngood ? p->ngood : 1) * sizeof(*pts));
    if (!rows || !pts) {
        free(rows);
        free(pts);
        return -ENOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < p->ngood; i++)
        if (!strcmp(p->good[i]->kernel, f->kernel) && p->good[i]->n == f->n)
            rows[m++] = p->good[i];
    double t1;
    int memory, rising;
    size_t np = osw_scale_points(rows, m, pts, &t1, &memory);
    long sat = memory ? osw_saturation(pts, np, &rising) : -1;
    f->sat = sat >= 0 ? pts[sat].threads : 0;
    free(rows);
    free(pts);
    return 0;
}

/* Bandwidth: the ceiling, triad's best GB/s per thread count at the same n
 * (bandwidth depends on n through the caches), appended to the figure's
 * data as its last block; and the note when the working set fits in the
 * last-level cache. */
static int bandwidth_ceiling(struct pd *p, struct fig *f, double llc)
{
    int tt[256];
    double best[256];
    size_t nt = 0;
    double bytes = 0;
    for (size_t i = 0; i < p->ngood; i++) {
        const osw_row *r = p->good[i];
        if (!strcmp(r->kernel, f->kernel) && r->n == f->n && isfinite(r->gbps_median))
            bytes = fmax(bytes, r->gbps_median * 1e9 * r->median_s);
        if (strcmp(r->kernel, "triad") || r->n != f->n)
            continue;
        double g = pick(r->gbps_best, r->gbps_median);
        if (!isfinite(g))
            continue;
        size_t k = 0;
        while (k < nt && tt[k] != r->threads)
            k++;
        if (k == nt) {
            if (nt == 256)
                continue;
            while (k > 0 && tt[k - 1] > r->threads) {
                tt[k] = tt[k - 1];
                best[k] = best[k - 1];
                k--;
            }
            nt++;
            tt[k] = r->threads;
            best[k] = g;
        } else if (g > best[k]) {
            best[k] = g;
        }
    }
    if (llc > 0 && bytes > 0 && bytes < 2 * llc)
        snprintf(f->cache, sizeof(f->cache),
                 "working set %.1f MiB < 2 x last-level cache (%.1f MiB): measures cache, not "
                 "memory",
                 bytes / 1048576, llc / 1048576);
    char path[4300];
    snprintf(path, sizeof(path), "%s/%s", p->o->out, f->data);
    FILE *d = fopen(path, "a");
    if (!d)
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    fprintf(d, "\n\n# ceiling: %s\n# threads gbps\n",
            nt ? "triad, best run, same n" : "none (no triad row at this n)");
    f->ceil = nt > 0;
    f->cpeak = nt ? 0 : NAN;
    for (size_t k = 0; k < nt; k++) {
        fprintf(d, "%d %.10g\n", tt[k], best[k]);
        f->cpeak = fmax(f->cpeak, best[k]);
        f->x0 = fmin(f->x0, tt[k] / 1.2);
    }
    if (!nt) /* an empty block would end the file early for `index` */
        fprintf(d, "NaN NaN\n");
    if (fclose(d))
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    if (!nt)
        snprintf(f->title + strlen(f->title), sizeof(f->title) - strlen(f->title),
                 " (no triad at this n: no ceiling)");
    return 0;
}

static int threads_kind(struct pd *p, struct out *o, unsigned kind, double llc)
{
    size_t nk;
    const char **ks = kernels(p, &nk);
    const osw_row **rows = malloc((p->ngood ? p->ngood : 1) * sizeof(*rows));
    int rc = ks && rows ? 0 : -ENOMEM;
    const char *kn = osw_plot_kind_name(kind);
    for (size_t i = 0; i < nk && rc >= 0; i++) {
        int empty = !strcmp(ks[i], "empty");
        if (kind == OSW_PLOT_OVERHEAD && !empty)
            continue;
        if (empty && (kind == OSW_PLOT_SPEEDUP || kind == OSW_PLOT_EFFICIENCY)) {
            note(p,
                 "%s: no figure for empty: an empty worksharing loop has no work to speed up; "
                 "the overhead figure draws its time per region",
                 kn);
            continue;
        }
        if (kind == OSW_PLOT_BANDWIDTH) { /* only the memory-bound kernels */
            int any = 0;
            for (size_t j = 0; j < p->ngood && !any; j++)
                any =
                    !strcmp(p->good[j]->kernel, ks[i]) && isfinite(kind_value(kind, p->good[j], 0));
            if (!any)
                continue;
        }
        int min = kind == OSW_PLOT_OVERHEAD || kind == OSW_PLOT_BANDWIDTH ? 1 : 2;
        rc = threads_figure(p, o, kind, ks[i], min, rows);
        if (rc <= 0)
            continue;
        struct fig *f = &o->f[o->nf - 1];
        int tmax = atoi(strrchr(f->threads, ' ') ? strrchr(f->threads, ' ') + 1 : f->threads);
        if (kind == OSW_PLOT_SPEEDUP) {
            speedup_fits(p, o, f);
            f->y0 = fmin(f->y0, 1) / 1.25;
            f->y1 = fmax(f->y1, tmax) * 1.25;
        } else if (kind == OSW_PLOT_EFFICIENCY) {
            f->y0 = 0;
            f->y1 = fmax(f->y1, 1) * 1.12;
        } else if (kind == OSW_PLOT_OVERHEAD) {
            f->y0 = 0;
            f->y1 = fmax(f->y1, 1e-3) * 1.15;
        } else if (kind == OSW_PLOT_IMBALANCE) {
            f->y0 = 0;
            f->y1 = fmin(1, fmax(0.1, f->y1 * 1.2));
        } else if (kind == OSW_PLOT_BANDWIDTH) {
            rc = bandwidth_ceiling(p, f, llc);
            rc = rc ? rc : bandwidth_saturation(p, f);
            f->y0 = 0;
            f->y1 = fmax(f->y1, f->ceil ? f->cpeak : 0) * 1.15;
        }
        rc = rc < 0 ? rc : 0;
    }
    free(ks);
    free(rows);
    if (rc >= 0 && o->nf == 0)
        note(p, "%s: nothing to draw%s", kn,
             kind == OSW_PLOT_OVERHEAD    ? " (no kernel empty)"
             : kind == OSW_PLOT_BANDWIDTH ? " (no memory-bound rows with GB/s)"
                                          : "");
    return rc < 0 ? rc : 0;
}

/* Schedules: one figure per kernel and thread count P (at the largest n
 * there): one bar per series, "pos median low high series style ratio", the
 * times in the unit the largest one needs; ratio = median / fastest. */
static int schedules_figure(struct pd *p, struct out *o, const char *k, int P, int main_p,
                            const osw_row **rows)
{
    size_t m = 0, nmax = 0;
    for (size_t i = 0; i < p->ngood; i++)
        if (!strcmp(p->good[i]->kernel, k) && p->good[i]->threads == P)
            nmax = p->good[i]->n > nmax ? p->good[i]->n : nmax;
    double tbest = INFINITY, thi = 0;
    for (size_t i = 0; i < p->ngood; i++) {
        const osw_row *r = p->good[i];
        if (strcmp(r->kernel, k) || r->threads != P || r->n != nmax)
            continue;
        rows[m++] = r;
        tbest = fmin(tbest, r->median_s);
        thi = fmax(thi, pick(r->ci_hi_s, r->median_s));
    }
    if (!m)
        return 0;
    qsort(rows, m, sizeof(*rows), cmp_series);
    struct fig *f = new_fig(o);
    if (!f)
        return -ENOMEM;
    o->nf++;
    snprintf(f->kernel, sizeof(f->kernel), "%s", k);
    f->n = nmax;
    f->P = P;
    f->main_p = main_p;
    snprintf(f->data, sizeof(f->data), "schedules-%.63s-%d.dat", k, P);
    char nf[32];
    nfmt(nmax, nf, sizeof(nf));
    snprintf(f->title, sizeof(f->title), ", n = %s", nf);
    unverified_note(p, k, nmax, P, f->note, sizeof(f->note));
    double sc = thi < 1e-6 ? 1e9 : thi < 1e-3 ? 1e6 : thi < 1 ? 1e3 : 1;
    snprintf(f->unit, sizeof(f->unit), "%s",
             sc == 1e9   ? "ns"
             : sc == 1e6 ? "µs"
             : sc == 1e3 ? "ms"
                         : "s");
    f->y0 = 0;
    f->y1 = thi * sc * 1.2;
    char path[4300];
    snprintf(path, sizeof(path), "%s/%s", p->o->out, f->data);
    FILE *d = fopen(path, "w");
    if (!d)
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    fprintf(d, "# ompsweep plotdata: schedules of %s at %d threads, n = %zu, times in %s\n", k, P,
            nmax, f->unit);
    fprintf(d, "# pos median low high series style ratio\n");
    double pos = 0;
    size_t nser = 0, longest = 0;
    for (size_t i = 0; i < m; i++) {
        const osw_row *r = rows[i];
        if (i)
            pos += strcmp(series_base(r), series_base(rows[i - 1])) ? 1.6 : 1;
        char name[96];
        series_name(r, name, sizeof(name));
        nser++;
        longest = strlen(name) > longest ? strlen(name) : longest;
        fprintf(d, "%g %.10g %.10g %.10g %s %zu %.10g\n", pos, r->median_s * sc,
                pick(r->ci_lo_s, r->median_s) * sc, pick(r->ci_hi_s, r->median_s) * sc, name,
                style_of(p, r), r->median_s / tbest);
    }
    f->x0 = -0.75;
    f->x1 = pos + 0.75;
    f->slant = nser > 5 || longest * nser > 60;
    if (fclose(d))
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    return 1;
}

static int schedules_kind(struct pd *p, struct out *o)
{
    size_t nk;
    const char **ks = kernels(p, &nk);
    int pmax = 0;
    for (size_t i = 0; i < p->ngood; i++)
        pmax = p->good[i]->threads > pmax ? p->good[i]->threads : pmax;
    const osw_row **rows = malloc((p->ngood ? p->ngood : 1) * sizeof(*rows));
    int rc = ks && rows ? 0 : -ENOMEM;
    for (size_t i = 0; i < nk && rc >= 0; i++) {
        int drew_main = 0;
        for (int P = 1; P <= pmax && rc >= 0; P++) {
            int any = 0;
            for (size_t j = 0; j < p->ngood && !any; j++)
                any = !strcmp(p->good[j]->kernel, ks[i]) && p->good[j]->threads == P;
            if (any)
                rc = schedules_figure(p, o, ks[i], P, P == pmax, rows);
            drew_main |= rc > 0 && P == pmax;
        }
        if (rc >= 0 && !drew_main)
            note(p, "schedules: no figure for %s: no rows at %d threads", ks[i], pmax);
    }
    free(ks);
    free(rows);
    if (rc >= 0 && o->nf == 0)
        note(p, "schedules: nothing to draw");
    return rc < 0 ? rc : 0;
}

/* Size: per thread count the fastest schedule at each n ("n median low high
 * series"), and where parallel loses: per size, whether 1 thread wins
 * (osw_serial_wins, tune's rule), the shaded stretches "x1 x2 mark" (mark:
 * a break-even line at x2) and tune's crossover below_n. */
struct size_cell {
    size_t n;
    int threads;
    const osw_row *best;
};

static const osw_row *cell(const struct size_cell *c, size_t nc, size_t n, int threads)
{
    for (size_t i = 0; i < nc; i++)
        if (c[i].n == n && c[i].threads == threads)
            return c[i].best;
    return NULL;
}

static void size_spans(struct fig *f, const size_t *ns, size_t nn, const int *ts, size_t nt,
                       const struct size_cell *c, size_t nc)
{
    size_t N[512];
    int lose[512];
    double t1[512], tp[512], x[512];
    size_t m = 0;
    for (size_t i = 0; i < nn && m < 512; i++) {
        const osw_row *one = cell(c, nc, ns[i], 1);
        double par = INFINITY;
        for (size_t j = 0; j < nt; j++) {
            const osw_row *r = ts[j] > 1 ? cell(c, nc, ns[i], ts[j]) : NULL;
            if (r)
                par = fmin(par, r->median_s);
        }
        if (!one || !isfinite(par))
            continue;
        N[m] = ns[i];
        t1[m] = one->median_s;
        tp[m] = par;
        lose[m++] = osw_serial_wins(one->median_s, par);
    }
    osw_crossover cx;
    osw_crossover_find(N, t1, tp, m, &cx);
    f->below = cx.below_n ? (double)cx.below_n : NAN;
    f->nlose = (int)m;
    for (size_t i = 0; i < m; i++) {
        /* where the stretch around N[i] ends towards N[i+1]: where a thread
         * count's time line crosses the 1-thread line (the first crossing
         * when parallel starts to win, the last when it stops), else the
         * geometric midpoint */
        x[i] = i + 1 < m ? sqrt((double)N[i] * N[i + 1]) : 0;
        if (i + 1 == m || lose[i] == lose[i + 1])
            continue;
        int found = 0;
        for (size_t j = 0; j < nt; j++) {
            const osw_row *a = cell(c, nc, N[i], ts[j]), *b = cell(c, nc, N[i + 1], ts[j]);
            if (ts[j] == 1 || !a || !b)
                continue;
            double ra = log(a->median_s / t1[i]), rb = log(b->median_s / t1[i + 1]);
            if (lose[i] ? (ra < 0 || rb >= 0) : (ra >= 0 || rb < 0))
                continue;
            double xc = osw_break_even_n((double)N[i], ra, (double)N[i + 1], rb);
            if (!found || (lose[i] ? xc < x[i] : xc > x[i]))
                x[i] = xc;
            found = 1;
        }
    }
    size_t w = 0;
    for (size_t i = 0; i < m && w < sizeof(f->spans); i++)
        if (lose[i])
            w += (size_t)snprintf(f->spans + w, sizeof(f->spans) - w, "%s%.10g %.10g %d",
                                  w ? " " : "", i == 0 ? f->x0 : x[i - 1],
                                  i + 1 == m ? f->x1 : x[i], i + 1 < m && !lose[i + 1]);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

static int size_figure(struct pd *p, struct out *o, const char *k, struct size_cell *c, size_t *ns,
                       int *ts)
{
    size_t nc = 0, nn = 0, nt = 0;
    double ylo = INFINITY, yhi = 0;
    for (size_t i = 0; i < p->ngood; i++) {
        const osw_row *r = p->good[i];
        if (strcmp(r->kernel, k))
            continue;
        size_t j = 0;
        while (j < nc && !(c[j].n == r->n && c[j].threads == r->threads))
            j++;
        if (j == nc)
            c[nc++] = (struct size_cell){r->n, r->threads, r};
        else if (r->median_s < c[j].best->median_s)
            c[j].best = r;
        for (j = 0; j < nn && ns[j] != r->n; j++)
            ;
        if (j == nn)
            ns[nn++] = r->n;
        for (j = 0; j < nt && ts[j] != r->threads; j++)
            ;
        if (j == nt)
            ts[nt++] = r->threads;
        double v[3] = {r->median_s, r->ci_lo_s, r->ci_hi_s};
        for (int e = 0; e < 3; e++)
            if (isfinite(v[e]) && v[e] > 0) {
                ylo = fmin(ylo, v[e]);
                yhi = fmax(yhi, v[e]);
            }
    }
    if (nn < 2) {
        note(p, "size: no figure for %s: only one size (n = %zu)", k, nn ? ns[0] : 0);
        return 0;
    }
    qsort(ns, nn, sizeof(*ns), cmp_size);
    qsort(ts, nt, sizeof(*ts), cmp_int);
    struct fig *f = new_fig(o);
    if (!f)
        return -ENOMEM;
    o->nf++;
    snprintf(f->kernel, sizeof(f->kernel), "%s", k);
    f->n = ns[nn - 1];
    snprintf(f->data, sizeof(f->data), "size-%.63s.dat", k);
    snprintf(f->title, sizeof(f->title), " (fastest schedule per point)");
    for (size_t j = 0; j < nt; j++)
        snprintf(f->threads + strlen(f->threads), sizeof(f->threads) - strlen(f->threads), "%s%d",
                 j ? " " : "", ts[j]);
    unverified_note(p, k, 0, -1, f->note, sizeof(f->note));
    f->x0 = ns[0] / 2.0;
    f->x1 = ns[nn - 1] * 2.0;
    f->y0 = ylo / 2;
    f->y1 = yhi * 2;
    size_spans(f, ns, nn, ts, nt, c, nc);
    char path[4300];
    snprintf(path, sizeof(path), "%s/%s", p->o->out, f->data);
    FILE *d = fopen(path, "w");
    if (!d)
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    fprintf(d, "# ompsweep plotdata: time vs size of %s; one block per thread count\n", k);
    for (size_t j = 0; j < nt; j++) {
        fprintf(d, "%s# threads %d\n# n median low high series\n", j ? "\n\n" : "", ts[j]);
        for (size_t i = 0; i < nn; i++) {
            const osw_row *r = cell(c, nc, ns[i], ts[j]);
            if (!r)
                continue;
            char name[96];
            series_name(r, name, sizeof(name));
            fprintf(d, "%zu %.10g %.10g %.10g %s\n", r->n, r->median_s,
                    pick(r->ci_lo_s, r->median_s), pick(r->ci_hi_s, r->median_s), name);
        }
    }
    if (fclose(d))
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    return 1;
}

static int size_kind(struct pd *p, struct out *o)
{
    size_t nk, cap = p->ngood ? p->ngood : 1;
    const char **ks = kernels(p, &nk);
    struct size_cell *c = malloc(cap * sizeof(*c));
    size_t *ns = malloc(cap * sizeof(*ns));
    int *ts = malloc(cap * sizeof(*ts)), rc = 0;
    if (!ks || !c || !ns || !ts)
        rc = -ENOMEM;
    for (size_t i = 0; i < nk && rc >= 0; i++)
        rc = size_figure(p, o, ks[i], c, ns, ts);
    free(ks);
    free(c);
    free(ns);
    free(ts);
    if (rc >= 0 && o->nf == 0)
        note(p, "size: nothing to draw (no kernel with two or more sizes)");
    return rc < 0 ? rc : 0;
}

/* MPI grid: hybrid layouts at a fixed total of cores (ranks x threads),
 * one figure per kernel and total: per layout its fastest schedule, "ranks
 * median low high layout series gbps", fewest ranks first. The main total
 * of a kernel is the one with the most layouts (the larger on a tie). Reads
 * every verified row, MPI rows included. */
static int row_ranks(const osw_row *r)
{
    return r->ranks > 0 ? r->ranks : 1;
}

static int mpi_grid_figure(struct pd *p, struct out *o, const char *k, int total, int main_t,
                           const osw_row **rows)
{
    size_t m = 0, nmax = 0;
    for (size_t i = 0; i < p->nrows; i++) {
        const osw_row *r = &p->rows[i];
        if (r->verified == 1 && r->median_s > 0 && !strcmp(r->kernel, k) &&
            row_ranks(r) * r->threads == total)
            nmax = r->n > nmax ? r->n : nmax;
    }
    double tbest = INFINITY, thi = 0;
    int mem = 0, multi = 0;
    const osw_row *first = NULL;
    for (size_t i = 0; i < p->nrows; i++) {
        const osw_row *r = &p->rows[i];
        if (r->verified != 1 || !(r->median_s > 0) || strcmp(r->kernel, k) || r->n != nmax ||
            row_ranks(r) * r->threads != total)
            continue;
        multi |= first && !same_series(r, first);
        first = first ? first : r;
        mem |= !strcmp(r->bound, "memory") && isfinite(r->gbps_median);
        size_t j = 0;
        while (j < m && row_ranks(rows[j]) != row_ranks(r))
            j++;
        if (j == m)
            rows[m++] = r;
        else if (r->median_s < rows[j]->median_s)
            rows[j] = r;
        tbest = fmin(tbest, r->median_s);
        thi = fmax(thi, pick(r->ci_hi_s, r->median_s));
    }
    if (!m)
        return 0;
    for (size_t i = 1; i < m; i++) /* fewest ranks first */
        for (size_t j = i; j > 0 && row_ranks(rows[j - 1]) > row_ranks(rows[j]); j--) {
            const osw_row *t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
        }
    struct fig *f = new_fig(o);
    if (!f)
        return -ENOMEM;
    o->nf++;
    snprintf(f->kernel, sizeof(f->kernel), "%s", k);
    f->n = nmax;
    f->P = total;
    f->main_p = main_t;
    f->slant = multi;
    f->ceil = mem;
    f->nlose = (int)m;
    snprintf(f->data, sizeof(f->data), "mpi-grid-%.63s-%d.dat", k, total);
    char nf[32];
    nfmt(nmax, nf, sizeof(nf));
    snprintf(f->title, sizeof(f->title), ", n = %s", nf);
    unverified_note(p, k, nmax, -1, f->note, sizeof(f->note));
    double sc = thi < 1e-3 ? 1e6 : thi < 1 ? 1e3 : 1;
    snprintf(f->unit, sizeof(f->unit), "%s", sc == 1e6 ? "µs" : sc == 1e3 ? "ms" : "s");
    f->x0 = -0.7;
    f->x1 = m - 0.3;
    f->y0 = 0;
    f->y1 = thi * sc * 1.3;
    char path[4300];
    snprintf(path, sizeof(path), "%s/%s", p->o->out, f->data);
    FILE *d = fopen(path, "w");
    if (!d)
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    fprintf(d, "# ompsweep plotdata: MPI layouts of %s at %d cores, n = %zu, times in %s\n", k,
            total, nmax, f->unit);
    fprintf(d, "# ranks median low high layout series gbps ratio\n");
    for (size_t i = 0; i < m; i++) {
        const osw_row *r = rows[i];
        char name[96];
        series_name(r, name, sizeof(name));
        fprintf(d, "%d %.10g %.10g %.10g %d×%d %s ", row_ranks(r), r->median_s * sc,
                pick(r->ci_lo_s, r->median_s) * sc, pick(r->ci_hi_s, r->median_s) * sc,
                row_ranks(r), r->threads, name);
        write_num(d, strcmp(r->bound, "memory") ? NAN : r->gbps_median);
        fprintf(d, " %.10g\n", r->median_s / tbest);
    }
    if (fclose(d))
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    return 1;
}

static int mpi_grid_kind(struct pd *p, struct out *o)
{
    const osw_row **rows = malloc((p->nrows ? p->nrows : 1) * sizeof(*rows));
    const char **ks = malloc((p->nrows ? p->nrows : 1) * sizeof(*ks));
    int *totals = malloc((p->nrows ? p->nrows : 1) * sizeof(*totals)), rc = 0;
    if (!rows || !ks || !totals)
        rc = -ENOMEM;
    size_t nk = 0;
    for (size_t i = 0; i < p->nrows && !rc; i++) {
        const osw_row *r = &p->rows[i];
        size_t k = 0;
        while (k < nk && strcmp(ks[k], r->kernel))
            k++;
        if (r->verified == 1 && r->median_s > 0 && k == nk)
            ks[nk++] = r->kernel;
    }
    for (size_t k = 0; k < nk && rc >= 0; k++) {
        /* the totals of this kernel, ascending, and how many layouts each has */
        size_t nt = 0, best_layouts = 0;
        int main_t = 0;
        for (size_t i = 0; i < p->nrows; i++) {
            const osw_row *r = &p->rows[i];
            if (r->verified != 1 || !(r->median_s > 0) || strcmp(r->kernel, ks[k]))
                continue;
            int t = row_ranks(r) * r->threads;
            size_t j = 0;
            while (j < nt && totals[j] != t)
                j++;
            if (j == nt)
                totals[nt++] = t;
        }
        qsort(totals, nt, sizeof(*totals), cmp_int);
        for (size_t j = 0; j < nt; j++) {
            int ranks_seen[256], nl = 0;
            for (size_t i = 0; i < p->nrows && nl < 256; i++) {
                const osw_row *r = &p->rows[i];
                if (r->verified != 1 || !(r->median_s > 0) || strcmp(r->kernel, ks[k]) ||
                    row_ranks(r) * r->threads != totals[j])
                    continue;
                int q = 0;
                while (q < nl && ranks_seen[q] != row_ranks(r))
                    q++;
                if (q == nl)
                    ranks_seen[nl++] = row_ranks(r);
            }
            if ((size_t)nl >= best_layouts) {
                best_layouts = (size_t)nl;
                main_t = totals[j];
            }
        }
        for (size_t j = 0; j < nt && rc >= 0; j++)
            rc = mpi_grid_figure(p, o, ks[k], totals[j], totals[j] == main_t, rows);
    }
    free(rows);
    free(ks);
    free(totals);
    if (rc >= 0 && o->nf == 0)
        note(p, "mpi-grid: nothing to draw (no verified rows)");
    return rc < 0 ? rc : 0;
}

/* ---- KIND.gp ---- */

static void gp_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* One array assignment per figure (or series) for a field. */
#define GP_ARRAY(file, name, count, elem, expr)                                                    \
    do {                                                                                           \
        fprintf(file, "array " name "[%zu]\n", (count) ? (count) : 1);                             \
        for (size_t i_ = 0; i_ < (count); i_++) {                                                  \
            elem = i_;                                                                             \
            fprintf(file, name "[%zu] = ", i_ + 1);                                                \
            expr;                                                                                  \
            fputc('\n', file);                                                                     \
        }                                                                                          \
    } while (0)

static int write_index(struct pd *p, const struct out *o, unsigned kind)
{
    char path[4300];
    snprintf(path, sizeof(path), "%s/%s.gp", p->o->out, osw_plot_kind_name(kind));
    FILE *g = fopen(path, "w");
    if (!g)
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    size_t i;
    fprintf(g, "# ompsweep plotdata: the %s figures of %s (docs/plots.md)\n",
            osw_plot_kind_name(kind), p->o->input);
    fprintf(g, "pd_kind = ");
    gp_str(g, osw_plot_kind_name(kind));
    fprintf(g, "\npd_label = ");
    gp_str(g, p->label);
    fprintf(g, "\npd_nstyles_used = %zu\npd_nfig = %zu\n", p->nseries, o->nf);
    const struct fig *F = o->f;
    GP_ARRAY(g, "pd_kernel", o->nf, i, gp_str(g, F[i].kernel));
    GP_ARRAY(g, "pd_n", o->nf, i, fprintf(g, "%zu", F[i].n));
    GP_ARRAY(g, "pd_title", o->nf, i, gp_str(g, F[i].title));
    GP_ARRAY(g, "pd_note", o->nf, i, gp_str(g, F[i].note));
    GP_ARRAY(g, "pd_data", o->nf, i, gp_str(g, F[i].data));
    GP_ARRAY(g, "pd_threads", o->nf, i, gp_str(g, F[i].threads));
    GP_ARRAY(g, "pd_x0", o->nf, i, write_num(g, F[i].x0));
    GP_ARRAY(g, "pd_x1", o->nf, i, write_num(g, F[i].x1));
    GP_ARRAY(g, "pd_y0", o->nf, i, write_num(g, F[i].y0));
    GP_ARRAY(g, "pd_y1", o->nf, i, write_num(g, F[i].y1));
    GP_ARRAY(g, "pd_s0", o->nf, i, fprintf(g, "%zu", F[i].s0));
    GP_ARRAY(g, "pd_ns", o->nf, i, fprintf(g, "%zu", F[i].ns));
    if (kind == OSW_PLOT_SPEEDUP) {
        GP_ARRAY(g, "pd_nfits", o->nf, i, fprintf(g, "%d", F[i].nfits));
        GP_ARRAY(g, "pd_fitnote", o->nf, i, gp_str(g, F[i].fitnote));
    } else if (kind == OSW_PLOT_BANDWIDTH) {
        GP_ARRAY(g, "pd_ceil", o->nf, i, fprintf(g, "%d", F[i].ceil));
        GP_ARRAY(g, "pd_cpeak", o->nf, i, write_num(g, F[i].cpeak));
        GP_ARRAY(g, "pd_cache", o->nf, i, gp_str(g, F[i].cache));
        GP_ARRAY(g, "pd_sat", o->nf, i, fprintf(g, "%d", F[i].sat));
    } else if (kind == OSW_PLOT_SCHEDULES) {
        GP_ARRAY(g, "pd_P", o->nf, i, fprintf(g, "%d", F[i].P));
        GP_ARRAY(g, "pd_main", o->nf, i, fprintf(g, "%d", F[i].main_p));
        GP_ARRAY(g, "pd_unit", o->nf, i, gp_str(g, F[i].unit));
        GP_ARRAY(g, "pd_slant", o->nf, i, fprintf(g, "%d", F[i].slant));
    } else if (kind == OSW_PLOT_SIZE) {
        GP_ARRAY(g, "pd_spans", o->nf, i, gp_str(g, F[i].spans));
        GP_ARRAY(g, "pd_nlose", o->nf, i, fprintf(g, "%d", F[i].nlose));
        GP_ARRAY(g, "pd_below", o->nf, i, write_num(g, F[i].below));
    } else if (kind == OSW_PLOT_MPI_GRID) {
        GP_ARRAY(g, "pd_total", o->nf, i, fprintf(g, "%d", F[i].P));
        GP_ARRAY(g, "pd_main", o->nf, i, fprintf(g, "%d", F[i].main_p));
        GP_ARRAY(g, "pd_unit", o->nf, i, gp_str(g, F[i].unit));
        GP_ARRAY(g, "pd_multi", o->nf, i, fprintf(g, "%d", F[i].slant));
        GP_ARRAY(g, "pd_mem", o->nf, i, fprintf(g, "%d", F[i].ceil));
        GP_ARRAY(g, "pd_nlayouts", o->nf, i, fprintf(g, "%d", F[i].nlose));
    }
    GP_ARRAY(g, "pd_sname", o->ns, i, gp_str(g, o->s[i].name));
    GP_ARRAY(g, "pd_stitle", o->ns, i, gp_str(g, o->s[i].title));
    GP_ARRAY(g, "pd_sstyle", o->ns, i, fprintf(g, "%zu", o->s[i].style));
    if (kind == OSW_PLOT_SPEEDUP)
        GP_ARRAY(g, "pd_sfit", o->ns, i, write_num(g, o->s[i].fit));
    if (fclose(g))
        return fail(p, -errno, "%s: %s", path, strerror(errno));
    return 0;
}

int osw_plotdata(const osw_plotdata_opts *o, char *err)
{
    struct pd p = {.o = o, .err = err};
    err[0] = '\0';
    int rc = load(&p);
    if (!rc && mkdir(o->out, 0777) && errno != EEXIST)
        rc = fail(&p, -errno, "%s: %s", o->out, strerror(errno));
    for (size_t k = 0; k < NKINDS && !rc; k++) {
        unsigned kind = 1u << k;
        if (!(o->kinds & kind))
            continue;
        if (kind == OSW_PLOT_REGIONS) { /* DIR/regions.csv, lib/regions.c */
            /* beside the summary: DIR/regions.csv, or the CSV's folder's */
            char path[4200];
            struct stat st;
            const char *slash = strrchr(o->input, '/');
            if (stat(o->input, &st) == 0 && S_ISDIR(st.st_mode))
                snprintf(path, sizeof(path), "%s/regions.csv", o->input);
            else if (slash)
                snprintf(path, sizeof(path), "%.*s/regions.csv", (int)(slash - o->input), o->input);
            else
                snprintf(path, sizeof(path), "regions.csv");
            char why[1024]; /* OSW_ERRLEN of parse.h */
            int n = osw_regions_tables(path, o->out, p.label, why);
            if (n < 0 && n != -ENOENT)
                snprintf(err, 512, "%.500s", why);
            if (n == -ENOENT || n == 0) {
                if (o->note)
                    o->note(o->ctx, "regions: nothing to draw (no regions.csv: exec --regions "
                                    "writes one)");
                err[0] = '\0';
            } else if (n < 0) {
                rc = n;
            }
            continue;
        }
        struct out out = {0};
        if (kind == OSW_PLOT_SCHEDULES)
            rc = schedules_kind(&p, &out);
        else if (kind == OSW_PLOT_SIZE)
            rc = size_kind(&p, &out);
        else if (kind == OSW_PLOT_MPI_GRID)
            rc = mpi_grid_kind(&p, &out);
        else
            rc = threads_kind(&p, &out, kind, p.llc);
        if (!rc)
            rc = write_index(&p, &out, kind);
        free(out.f);
        free(out.s);
    }
    for (size_t i = 0; i < p.nseries; i++)
        free(p.series[i]);
    free(p.series);
    free(p.good);
    free(p.rows);
    if (rc == -ENOMEM && !err[0])
        snprintf(err, 512, "out of memory");
    return rc;
}
