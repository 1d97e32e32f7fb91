/* csv.c: summary.csv and samples.csv, written a whole row at a time, and a
 * small RFC 4180 reader for reading them back. */
#define _GNU_SOURCE
#include "csv.h"
#include "error.h"
#include "osw_schema_header.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* "kernel,n,...": the names of schema.def's columns joined by commas, which
 * lib/CMakeLists.txt writes into osw_schema_header.h (the preprocessor
 * cannot join them without a stray comma); unit.csv_schema_def checks it
 * against the names the preprocessor reads from schema.def. */
const char osw_summary_header[] = OSW_SUMMARY_HEADER;

/* samples.csv: schema.def's KEY columns, then the sample's number and time. */
const char osw_samples_header[] = "kernel,n,threads,schedule,chunk,rep,seconds";

/* A growing line buffer; formatting into it never fails silently. */
struct line {
    char *buf;
    size_t len, cap;
    int oom;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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

/* One cell per column of schema.def (only the KEY columns when keys_only),
 * comma-separated, each with its column's format; a NaN double is an empty
 * cell. Kernel and schedule names are [a-z0-9_:-] and the other words [a-z_]:
 * no quoting needed. Unrolled so that the compiler checks each format against
 * its field. */
#define PUT_CELL_STR(v, fmt)   put(l, "%s" fmt, sep, v)
#define PUT_CELL_SIZE(v, fmt)  put(l, "%s" fmt, sep, v)
#define PUT_CELL_INT(v, fmt)   put(l, "%s" fmt, sep, v)
#define PUT_CELL_COUNT(v, fmt) put(l, "%s" fmt, sep, v)
#define PUT_CELL_BOOL(v, fmt)  put(l, "%s" fmt, sep, v)
#define PUT_CELL_LONG(v, fmt)  put(l, "%s" fmt, sep, v)
#define PUT_CELL_F64(v, fmt)                                                                       \
    do {                                                                                           \
        if (isnan(v))                                                                              \
            put(l, "%s", sep);                                                                     \
        else                                                                                       \
            put(l, "%s" fmt, sep, v);                                                              \
    } while (0)

enum need { NEED_KEY, NEED_REQ, NEED_OPT };

static void put_cells(struct line *l, const osw_row *r, int keys_only)
{
    const char *sep = "";
#define OSW_COL(name, kind, size, fmt, need, ...)                                                  \
    if (!keys_only || NEED_##need == NEED_KEY) {                                                   \
        PUT_CELL_##kind(r->name, fmt);                                                             \
        sep = ",";                                                                                 \
    }
#include "schema.def"
#undef OSW_COL
}

int osw_csv_summary_row(FILE *f, const osw_row *r)
{
    struct line l = {0};
    put_cells(&l, r, 0);
    put(&l, "\n");
    return emit(f, &l);
}

int osw_csv_samples_rows(FILE *f, const osw_row *r, const double *seconds, size_t count)
{
    struct line l = {0};
    for (size_t i = 0; i < count; i++) {
        put_cells(&l, r, 1);
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

/* The reader's view of schema.def: one entry per column, in file order. */
enum kind { KIND_STR, KIND_SIZE, KIND_INT, KIND_COUNT, KIND_BOOL, KIND_LONG, KIND_F64 };

struct column {
    const char *name;
    enum kind kind;
    enum need need;
    size_t offset, size;  /* of the field in osw_row */
    long min, max;        /* see schema.def */
    long dflt_long;       /* integer kinds */
    double dflt_f64;      /* KIND_F64 */
    const char *dflt_str; /* KIND_STR */
};

#define DFLT_STR(d)   .dflt_str = d
#define DFLT_SIZE(d)  .dflt_long = d
#define DFLT_INT(d)   .dflt_long = d
#define DFLT_COUNT(d) .dflt_long = d
#define DFLT_BOOL(d)  .dflt_long = d
#define DFLT_LONG(d)  .dflt_long = d
#define DFLT_F64(d)   .dflt_f64 = d

static const struct column columns[] = {
#define OSW_COL(name_, kind_, size_, fmt, need_, dflt, min_, max_, unit)                           \
    {.name = #name_,                                                                               \
     .kind = KIND_##kind_,                                                                         \
     .need = NEED_##need_,                                                                         \
     .offset = offsetof(osw_row, name_),                                                           \
     .size = sizeof(((osw_row *)0)->name_),                                                        \
     .min = min_,                                                                                  \
     .max = max_,                                                                                  \
     DFLT_##kind_(dflt)},
#include "schema.def"
#undef OSW_COL
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static int is_integer(enum kind k)
{
    return k != KIND_STR && k != KIND_F64;
}

/* "a or b or c": the names of the columns for which pick is true. */
static void join_names(char *out, size_t len, int (*pick)(const struct column *))
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t c = 0; c < NCOLUMNS; c++)
        if (pick(&columns[c]) && used < len) {
            int w = snprintf(out + used, len - used, "%s%s", used ? " or " : "", columns[c].name);
            used += w > 0 ? (size_t)w : 0;
        }
}

/* Text columns whose text is checked (and not cut to fit). */
static int is_checked_text(const struct column *c)
{
    return c->kind == KIND_STR && c->need != NEED_OPT;
}

static int is_ranged(const struct column *c)
{
    return c->kind == KIND_INT;
}

static int get_double(const osw_table *t, size_t row, const char *name, double dflt, double *out,
                      char *err)
{
    const char *s = cell(t, row, name);
    if (!s || !*s) {
        *out = dflt;
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

/* Checks and stores, in this order: the KEY and REQ columns are there; their
 * text fits ("row 2: kernel or schedule name empty or too long"); the
 * integers, then the doubles, parse; the INT columns are in range ("row 2:
 * threads or chunk out of range"). The first failure is the message. */
int osw_row_from_table(const osw_table *t, size_t i, osw_row *r, char *err)
{
    for (size_t c = 0; c < NCOLUMNS; c++)
        if (columns[c].need != NEED_OPT && osw_table_col(t, columns[c].name) < 0) {
            snprintf(err, 256, "missing required column '%s'", columns[c].name);
            return OSW_EFORMAT;
        }
    memset(r, 0, sizeof(*r));
    char *base = (char *)r;
    for (size_t c = 0; c < NCOLUMNS; c++) {
        const struct column *col = &columns[c];
        if (!is_checked_text(col))
            continue;
        size_t len = strlen(cell(t, i, col->name));
        if (len < (size_t)col->min || len >= col->size) {
            char names[128];
            join_names(names, sizeof(names), is_checked_text);
            snprintf(err, 256, "row %zu: %s name empty or too long", i + 2, names);
            return OSW_EFORMAT;
        }
    }
    for (size_t c = 0; c < NCOLUMNS; c++) {
        const struct column *col = &columns[c];
        if (col->kind != KIND_STR)
            continue;
        const char *s = cell(t, i, col->name);
        snprintf(base + col->offset, col->size, "%s", s ? s : col->dflt_str);
    }
    long v[NCOLUMNS];
    for (size_t c = 0; c < NCOLUMNS; c++)
        if (is_integer(columns[c].kind)) {
            int rc = get_long(t, i, columns[c].name, columns[c].dflt_long, &v[c], err);
            if (rc)
                return rc;
        }
    for (size_t c = 0; c < NCOLUMNS; c++)
        if (columns[c].kind == KIND_F64) {
            int rc = get_double(t, i, columns[c].name, columns[c].dflt_f64,
                                (double *)(base + columns[c].offset), err);
            if (rc)
                return rc;
        }
    for (size_t c = 0; c < NCOLUMNS; c++)
        if (is_ranged(&columns[c]) && (v[c] < columns[c].min || v[c] > columns[c].max)) {
            char names[128];
            join_names(names, sizeof(names), is_ranged);
            snprintf(err, 256, "row %zu: %s out of range", i + 2, names);
            return OSW_EFORMAT;
        }
    for (size_t c = 0; c < NCOLUMNS; c++) {
        void *field = base + columns[c].offset;
        switch (columns[c].kind) {
        case KIND_SIZE:
            *(size_t *)field = (size_t)v[c];
            break;
        case KIND_INT:
            *(int *)field = (int)v[c];
            break;
        case KIND_COUNT:
            *(int *)field = (int)(v[c] > columns[c].max ? columns[c].max : v[c]);
            break;
        case KIND_BOOL:
            *(int *)field = v[c] != 0;
            break;
        case KIND_LONG:
            *(long *)field = v[c];
            break;
        case KIND_STR:
        case KIND_F64:
            break;
        }
    }
    return 0;
}
