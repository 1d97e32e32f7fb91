/* csv.c: summary.csv and samples.csv, written a whole row at a time, and a
 * small RFC 4180 reader for reading them back. */
#define _GNU_SOURCE
#include "csv.h"
#include "error.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char osw_summary_header[] =
    "kernel,n,threads,schedule,chunk,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns,result,status,"
    "stop_reason,huge_page_share";

const char osw_samples_header[] = "kernel,n,threads,schedule,chunk,rep,seconds";

/* A growing line buffer; formatting into it never fails silently. */
struct line {
    char *buf;
    size_t len, cap;
    int oom;
};

static void put(struct line *l, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int need =
            vsnprintf(l->buf ? l->buf + l->len : NULL, l->buf ? l->cap - l->len : 0, fmt, ap);
        va_end(ap);
        if (need < 0) {
            l->oom = 1;
            return;
        }
        if (l->buf && l->len + (size_t)need < l->cap) {
            l->len += (size_t)need;
            return;
        }
        size_t ncap = (l->cap ? l->cap * 2 : 512) + (size_t)need;
        char *grown = realloc(l->buf, ncap);
        if (!grown) {
            l->oom = 1;
            return;
        }
        l->buf = grown;
        l->cap = ncap;
    }
}

/* A double cell with printf format fmt, or an empty cell for NaN. */
static void put_num(struct line *l, const char *fmt, double v)
{
    if (isnan(v))
        put(l, ",");
    else
        put(l, fmt, v);
}

/* Writes the buffer as one fwrite and flushes it. */
static int emit(FILE *f, struct line *l)
{
    int rc = 0;
    if (l->oom)
        rc = -ENOMEM;
    else if (fwrite(l->buf, 1, l->len, f) != l->len || fflush(f) != 0)
        rc = errno ? -errno : -EIO;
    free(l->buf);
    return rc;
}

int osw_csv_summary_header(FILE *f)
{
    struct line l = {0};
    put(&l, "%s\n", osw_summary_header);
    return emit(f, &l);
}

int osw_csv_samples_header(FILE *f)
{
    struct line l = {0};
    put(&l, "%s\n", osw_samples_header);
    return emit(f, &l);
}

/* Kernel and schedule names are [a-z0-9_:-]: no quoting needed. */
static void put_key(struct line *l, const osw_row *r)
{
    put(l, "%s,%zu,%d,%s,%d", r->kernel, r->n, r->threads, r->schedule, r->chunk);
}

int osw_csv_summary_row(FILE *f, const osw_row *r)
{
    struct line l = {0};
    put_key(&l, r);
    put(&l, ",%d", r->reps);
    put_num(&l, ",%.12f", r->min_s);
    put_num(&l, ",%.12f", r->median_s);
    put_num(&l, ",%.12f", r->mean_s);
    put_num(&l, ",%.12f", r->stddev_s);
    put_num(&l, ",%.12f", r->ci_lo_s);
    put_num(&l, ",%.12f", r->ci_hi_s);
    put(&l, ",%d", r->outliers);
    put_num(&l, ",%.4f", r->gbps_median);
    put_num(&l, ",%.4f", r->gbps_best);
    put_num(&l, ",%.6g", r->speedup);
    put_num(&l, ",%.6g", r->efficiency);
    put(&l, ",%d", r->verified);
    put_num(&l, ",%.3g", r->rel_err);
    put(&l, ",%d,%ld", r->ranks, r->inner);
    put_num(&l, ",%.6g", r->speedup_lo);
    put_num(&l, ",%.6g", r->speedup_hi);
    put_num(&l, ",%.4f", r->imbalance);
    put_num(&l, ",%.3f", r->cpu_per_wall);
    put(&l, ",%s", r->bound);
    put_num(&l, ",%.3f", r->overhead_ns);
    put_num(&l, ",%.17g", r->result);
    put(&l, ",%s", r->status);
    put(&l, ",%s", r->stop_reason);
    put_num(&l, ",%.3f", r->huge_page_share);
    put(&l, "\n");
    return emit(f, &l);
}

int osw_csv_samples_rows(FILE *f, const osw_row *r, const double *seconds, size_t count)
{
    struct line l = {0};
    for (size_t i = 0; i < count; i++) {
        put_key(&l, r);
        put(&l, ",%zu,%.12f\n", i + 1, seconds[i]);
    }
    if (count == 0)
        return 0;
    return emit(f, &l);
}

/* ---- reading ---- */

static int table_fail(char *err, const char *path, size_t line, const char *what)
{
    snprintf(err, 256, "%s:%zu: %s", path, line, what);
    return OSW_EFORMAT;
}

/* Length of the cell starting at s (its text once quotes are undone) and
 * where it ends; -1 for a quoted cell without its closing quote. */
static long measure_cell(const char *s, const char *end, const char **after)
{
    long len = 0;
    if (s < end && *s == '"') {
        for (s++;; s++, len++) {
            if (s >= end)
                return -1;
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    s++;
                    continue;
                }
                *after = s + 1;
                return len;
            }
        }
    }
    while (s < end && *s != ',' && *s != '\n' && *s != '\r')
        s++, len++;
    *after = s;
    return len;
}

/* Parses one record starting at *p (quoted cells per RFC 4180). Returns the
 * number of cells, stores them in a fresh array, advances *p past the line
 * end. Returns -1 on a malformed quote, -2 when out of memory. Each cell is
 * measured before it is allocated, so memory stays linear in the input. */
static long parse_record(const char **p, const char *end, char ***cells_out)
{
    size_t cap = 16, n = 0;
    char **cells = malloc(cap * sizeof(*cells));
    if (!cells)
        return -2;
    const char *s = *p;
    for (;;) {
        const char *after;
        long len = measure_cell(s, end, &after);
        if (len < 0)
            goto bad;
        char *cell = malloc((size_t)len + 1);
        if (!cell)
            goto oom;
        if (*s == '"') {
            size_t w = 0;
            for (const char *q = s + 1; q < after - 1; q++) {
                cell[w++] = *q;
                if (*q == '"')
                    q++; /* a doubled quote stands for one */
            }
        } else {
            memcpy(cell, s, (size_t)len);
        }
        cell[len] = '\0';
        s = after;
        if (n == cap) {
            char **grown = realloc(cells, 2 * cap * sizeof(*cells));
            if (!grown) {
                free(cell);
                goto oom;
            }
            cells = grown;
            cap *= 2;
        }
        cells[n++] = cell;
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end && *s == '\r')
            s++;
        if (s < end && *s == '\n') {
            s++;
            break;
        }
        if (s >= end)
            break;
        goto bad; /* text after a closing quote */
    }
    *p = s;
    *cells_out = cells;
    return (long)n;
bad:
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
    return -1;
oom:
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
    return -2;
}

static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

int osw_csv_read(const char *path, osw_table *t, char *err)
{
    memset(t, 0, sizeof(*t));
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, 256, "%s: %s", path, strerror(e));
        return -e;
    }
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            size_t ncap = cap ? 2 * cap : 131072;
            char *grown = realloc(data, ncap);
            if (!grown) {
                free(data);
                fclose(f);
                return -ENOMEM;
            }
            data = grown;
            cap = ncap;
        }
        size_t got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(data);
        snprintf(err, 256, "%s: read error", path);
        return -EIO;
    }
    if (memchr(data, '\0', len)) {
        free(data);
        return table_fail(err, path, 1, "binary data (NUL byte) in a CSV file");
    }
    /* A last line without its newline is a row a killed writer left half
     * written: drop it. */
    size_t usable = len;
    while (usable > 0 && data[usable - 1] != '\n')
        usable--;
    if (usable < len)
        t->dropped_partial = 1;
    const char *p = data, *end = data + usable;
    int rc = 0;
    size_t line = 1, rows_cap = 0;
    if (p >= end) {
        rc = table_fail(err, path, 1, "empty file (no header row)");
        goto out;
    }
    long ncols = parse_record(&p, end, &t->header);
    if (ncols < 0) {
        rc = ncols == -2 ? -ENOMEM : table_fail(err, path, 1, "malformed header");
        goto out;
    }
    t->ncols = (size_t)ncols;
    while (p < end) {
        line++;
        char **cells;
        long n = parse_record(&p, end, &cells);
        if (n < 0) {
            rc = n == -2 ? -ENOMEM : table_fail(err, path, line, "malformed quoted cell");
            goto out;
        }
        if ((size_t)n != t->ncols) {
            free_cells(cells, (size_t)n);
            char what[96];
            snprintf(what, sizeof(what), "%ld cells where the header has %zu", n, t->ncols);
            rc = table_fail(err, path, line, what);
            goto out;
        }
        if (t->nrows == rows_cap) {
            rows_cap = rows_cap ? 2 * rows_cap : 64;
            char ***grown = realloc(t->rows, rows_cap * sizeof(*t->rows));
            if (!grown) {
                free_cells(cells, (size_t)n);
                rc = -ENOMEM;
                goto out;
            }
            t->rows = grown;
        }
        t->rows[t->nrows++] = cells;
    }
out:
    free(data);
    if (rc)
        osw_table_free(t);
    return rc;
}

int osw_table_col(const osw_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->header[i], name) == 0)
            return (int)i;
    return -1;
}

void osw_table_free(osw_table *t)
{
    if (t->header)
        free_cells(t->header, t->ncols);
    for (size_t i = 0; i < t->nrows; i++)
        free_cells(t->rows[i], t->ncols);
    free(t->rows);
    memset(t, 0, sizeof(*t));
}

/* Cell text of column name in row, or NULL when the column is absent. */
static const char *cell(const osw_table *t, size_t row, const char *name)
{
    int c = osw_table_col(t, name);
    return c < 0 ? NULL : t->rows[row][c];
}

static int get_double(const osw_table *t, size_t row, const char *name, double *out, char *err)
{
    const char *s = cell(t, row, name);
    if (!s || !*s) {
        *out = NAN;
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE) {
        snprintf(err, 256, "row %zu: column %s: '%.40s' is not a number", row + 2, name, s);
        return OSW_EFORMAT;
    }
    *out = v;
    return 0;
}

static int get_long(const osw_table *t, size_t row, const char *name, long dflt, long *out,
                    char *err)
{
    const char *s = cell(t, row, name);
    if (!s || !*s) {
        *out = dflt;
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno == ERANGE || v < 0) {
        snprintf(err, 256, "row %zu: column %s: '%.40s' is not a count", row + 2, name, s);
        return OSW_EFORMAT;
    }
    *out = (long)v;
    return 0;
}

int osw_row_from_table(const osw_table *t, size_t i, osw_row *r, char *err)
{
    static const char *required[] = {"kernel", "n", "threads", "schedule", "chunk", "median_s"};
    for (size_t k = 0; k < sizeof(required) / sizeof(required[0]); k++)
        if (osw_table_col(t, required[k]) < 0) {
            snprintf(err, 256, "missing required column '%s'", required[k]);
            return OSW_EFORMAT;
        }
    memset(r, 0, sizeof(*r));
    const char *kernel = cell(t, i, "kernel"), *sched = cell(t, i, "schedule");
    const char *bound = cell(t, i, "bound");
    const char *status = cell(t, i, "status");
    if (!*kernel || strlen(kernel) >= sizeof(r->kernel) || strlen(sched) >= sizeof(r->schedule)) {
        snprintf(err, 256, "row %zu: kernel or schedule name empty or too long", i + 2);
        return OSW_EFORMAT;
    }
    strcpy(r->kernel, kernel);
    strcpy(r->schedule, sched);
    snprintf(r->bound, sizeof(r->bound), "%s", bound ? bound : "");
    const char *stop = cell(t, i, "stop_reason");
    snprintf(r->stop_reason, sizeof(r->stop_reason), "%s", stop ? stop : "");
    snprintf(r->status, sizeof(r->status), "%s", status ? status : "");
    long n, threads, chunk, reps, outliers, verified, ranks, inner;
    int rc = get_long(t, i, "n", 0, &n, err);
    rc = rc ? rc : get_long(t, i, "threads", 0, &threads, err);
    rc = rc ? rc : get_long(t, i, "chunk", 0, &chunk, err);
    rc = rc ? rc : get_long(t, i, "reps", 0, &reps, err);
    rc = rc ? rc : get_long(t, i, "outliers", 0, &outliers, err);
    rc = rc ? rc : get_long(t, i, "verified", 1, &verified, err);
    rc = rc ? rc : get_long(t, i, "ranks", 1, &ranks, err);
    rc = rc ? rc : get_long(t, i, "inner", 1, &inner, err);
    rc = rc ? rc : get_double(t, i, "min_s", &r->min_s, err);
    rc = rc ? rc : get_double(t, i, "median_s", &r->median_s, err);
    rc = rc ? rc : get_double(t, i, "mean_s", &r->mean_s, err);
    rc = rc ? rc : get_double(t, i, "stddev_s", &r->stddev_s, err);
    rc = rc ? rc : get_double(t, i, "ci_lo_s", &r->ci_lo_s, err);
    rc = rc ? rc : get_double(t, i, "ci_hi_s", &r->ci_hi_s, err);
    rc = rc ? rc : get_double(t, i, "gbps_median", &r->gbps_median, err);
    rc = rc ? rc : get_double(t, i, "gbps_best", &r->gbps_best, err);
    rc = rc ? rc : get_double(t, i, "speedup", &r->speedup, err);
    rc = rc ? rc : get_double(t, i, "efficiency", &r->efficiency, err);
    rc = rc ? rc : get_double(t, i, "rel_err", &r->rel_err, err);
    rc = rc ? rc : get_double(t, i, "speedup_lo", &r->speedup_lo, err);
    rc = rc ? rc : get_double(t, i, "speedup_hi", &r->speedup_hi, err);
    rc = rc ? rc : get_double(t, i, "imbalance", &r->imbalance, err);
    rc = rc ? rc : get_double(t, i, "cpu_per_wall", &r->cpu_per_wall, err);
    rc = rc ? rc : get_double(t, i, "overhead_ns", &r->overhead_ns, err);
    rc = rc ? rc : get_double(t, i, "result", &r->result, err);
    rc = rc ? rc : get_double(t, i, "huge_page_share", &r->huge_page_share, err);
    if (rc)
        return rc;
    if (threads < 1 || threads > 1 << 20 || chunk > (1L << 31) - 1) {
        snprintf(err, 256, "row %zu: threads or chunk out of range", i + 2);
        return OSW_EFORMAT;
    }
    r->n = (size_t)n;
    r->threads = (int)threads;
    r->chunk = (int)chunk;
    r->reps = (int)(reps > 1 << 30 ? 1 << 30 : reps);
    r->outliers = (int)(outliers > 1 << 30 ? 1 << 30 : outliers);
    r->verified = verified != 0;
    r->ranks = (int)(ranks > 1 << 30 ? 1 << 30 : ranks);
    r->inner = inner;
    return 0;
}
