/* csv.c: summary.csv and samples.csv, written a whole row at a time, and a
 * small RFC 4180 reader for reading them back. */
#define _GNU_SOURCE
#include "csv.h"
#include "error.h"
#include "osw_schema_header.h"
#include "parse.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* "kernel,n,...": the names of schema.def's columns joined by commas, which
 * lib/CMakeLists.txt writes into osw_schema_header.h (the preprocessor
 * cannot join them without a stray comma); unit.csv_schema_def checks it
 * against the names the preprocessor reads from schema.def. */
const char osw_summary_header[] = OSW_SUMMARY_HEADER;

/* samples.csv: schema.def's KEY and KEYOPT columns, then the sample's number
 * and time. */
const char osw_samples_header[] = "kernel,n,threads,schedule,chunk,env,rep,seconds,round";

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
#define PUT_CELL_TEXT(v, fmt)  put_text(l, sep, v)
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

enum need { NEED_KEY, NEED_KEYOPT, NEED_REQ, NEED_OPT };

/* A TEXT cell: as is, or quoted (RFC 4180, a quote doubled) when it holds a
 * comma or a quote. */
static void put_text(struct line *l, const char *sep, const char *v)
{
    if (!strpbrk(v, ",\"")) {
        put(l, "%s%s", sep, v);
        return;
    }
    put(l, "%s\"", sep);
    for (const char *p = v; *p; p++)
        put(l, *p == '"' ? "\"\"" : "%c", *p);
    put(l, "\"");
}

static void put_cells(struct line *l, const osw_row *r, int keys_only)
{
    const char *sep = "";
#define OSW_COL(name, kind, size, fmt, need, ...)                                                  \
    if (!keys_only || NEED_##need == NEED_KEY || NEED_##need == NEED_KEYOPT) {                     \
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

int osw_csv_samples_rows(FILE *f, const osw_row *r, const double *seconds, const int *rounds,
                         size_t count)
{
    struct line l = {0};
    for (size_t i = 0; i < count; i++) {
        put_cells(&l, r, 1);
        put(&l, ",%zu,%.12f,%d\n", i + 1, seconds[i], rounds ? rounds[i] : 1);
    }
    if (count == 0)
        return 0;
    return emit(f, &l);
}

/* ---- reading ---- */

/* The path as messages show it: its last 120 bytes at most ("...tail"), so
 * that the file name and the line fit in a 256-byte message. */
static void show_path(char *out, size_t len, const char *path)
{
    size_t l = strlen(path);
    snprintf(out, len, "%s%s", l > 120 ? "..." : "", l > 120 ? path + l - 117 : path);
}

static int table_fail(char *err, const char *path, size_t line, const char *what)
{
    char shown[128];
    show_path(shown, sizeof(shown), path);
    /* A long message is cut at 256 bytes: the file, the line and the start
     * of what come first. */
    int w = snprintf(err, 256, "%s:%zu: ", shown, line);
    if (w > 0 && w < 256)
        snprintf(err + w, 256 - (size_t)w, "%s", what);
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

int osw_read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            size_t ncap = cap ? 2 * cap : 131072;
            char *grown = realloc(buf, ncap);
            if (!grown) {
                rc = -ENOMEM;
                break;
            }
            buf = grown;
            cap = ncap;
        }
        errno = 0;
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) /* the system's reason: EISDIR for a directory */
                rc = errno ? -errno : -EIO;
            break;
        }
    }
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    if (!buf && !(buf = malloc(1)))
        return -ENOMEM;
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

static int validate_results(osw_table *t, char *err);

static int parse_table(const char *path, char *data, size_t len, osw_table *t, char *err);

int osw_csv_read(const char *path, osw_table *t, char *err)
{
    memset(t, 0, sizeof(*t));
    char shown[128];
    show_path(shown, sizeof(shown), path);
    char *data;
    size_t len;
    int rrc = osw_read_file(path, &data, &len);
    if (rrc) {
        if (rrc != -ENOMEM)
            snprintf(err, 256, "%s: %s", shown, strerror(-rrc));
        return rrc;
    }
    return parse_table(path, data, len, t, err);
}

int osw_csv_parse(const char *name, const char *text, size_t len, osw_table *t, char *err)
{
    memset(t, 0, sizeof(*t));
    char *data = malloc(len + 1);
    if (!data)
        return -ENOMEM;
    memcpy(data, text, len);
    data[len] = '\0';
    return parse_table(name, data, len, t, err);
}

/* The table in data[0, len) (freed here), path naming it in messages. */
static int parse_table(const char *path, char *data, size_t len, osw_table *t, char *err)
{
    if (memchr(data, '\0', len)) {
        free(data);
        return table_fail(err, path, 1, "binary data (NUL byte) in a CSV file");
    }
    t->path = strdup(path);
    if (!t->path) {
        free(data);
        return -ENOMEM;
    }
    /* A last line without its newline is a row a killed writer left half
     * written: drop it. */
    size_t usable = len;
    while (usable > 0 && data[usable - 1] != '\n')
        usable--;
    if (usable < len)
        t->dropped_partial = 1;
    const char *p = data, *end = data + usable;
    /* A UTF-8 byte order mark (spreadsheets write one) is not the header. */
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    int rc = 0;
    size_t line = 1, rows_cap = 0;
    if (p >= end) {
        rc = table_fail(err, path, 1, "empty file (no header row)");
        goto out;
    }
    const char *from = p;
    long ncols = parse_record(&p, end, &t->header);
    if (ncols < 0) {
        rc = ncols == -2 ? -ENOMEM : table_fail(err, path, 1, "malformed header");
        goto out;
    }
    t->ncols = (size_t)ncols;
    while (p < end) {
        /* The record starts on the line after the last one's newlines (a
         * quoted cell may hold some). */
        for (const char *q = from; (q = memchr(q, '\n', (size_t)(p - q))) != NULL; q++)
            line++;
        from = p;
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
            size_t ncap = rows_cap ? 2 * rows_cap : 64;
            char ***grown = realloc(t->rows, ncap * sizeof(*t->rows));
            if (grown)
                t->rows = grown;
            size_t *lines = grown ? realloc(t->line, ncap * sizeof(*t->line)) : NULL;
            if (!lines) {
                free_cells(cells, (size_t)n);
                rc = -ENOMEM;
                goto out;
            }
            t->line = lines;
            rows_cap = ncap;
        }
        t->line[t->nrows] = line;
        t->rows[t->nrows++] = cells;
    }
    rc = validate_results(t, err);
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
    free(t->line);
    free(t->path);
    memset(t, 0, sizeof(*t));
}

/* Cell text of column name in row, or NULL when the column is absent. */
static const char *cell(const osw_table *t, size_t row, const char *name)
{
    int c = osw_table_col(t, name);
    return c < 0 ? NULL : t->rows[row][c];
}

/* ---- what a cell may hold ---- */

int osw_cell_is_word(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '+' || *s == '@' || *s == '-'))
            return 0;
    return 1;
}

int osw_cell_is_schedule(const char *s)
{
    if (strcmp(s, "default") == 0)
        return 1;
    /* What the parser takes, as osw_schedule_name spells it back. */
    size_t len = strlen(s);
    if (len == 0 || len >= 32)
        return 0;
    osw_schedule sched;
    char perr[OSW_ERRLEN], name[32];
    if (osw_parse_schedule_name(s, &sched, perr) != 0)
        return 0;
    return strcmp(osw_schedule_name(&sched, name, sizeof(name)), s) == 0;
}

/* A whole count as the writer prints one: "0", or digits without a leading
 * zero; no sign, no space; at most LONG_MAX. */
static int parse_count_cell(const char *s, long *out)
{
    size_t digits = strspn(s, "0123456789");
    if (digits == 0 || s[digits] != '\0' || (s[0] == '0' && digits > 1) || digits > 19)
        return -1;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE || v > LONG_MAX)
        return -1;
    *out = (long)v;
    return 0;
}

/* A number as printf's %f, %g or %e writes one ("-0.5", "1.5e-07", "inf",
 * "-inf"; E for e as well), never "nan" (the writer leaves a NaN's cell
 * empty), no hexadecimal, no space; within a double's range. */
static int parse_number_cell(const char *s, double *out)
{
    const char *p = s + (*s == '-');
    if (strcmp(p, "inf") == 0) {
        *out = *s == '-' ? -INFINITY : INFINITY;
        return 0;
    }
    size_t whole = strspn(p, "0123456789"), frac = 0;
    p += whole;
    if (*p == '.') {
        frac = strspn(p + 1, "0123456789");
        p += 1 + frac;
    }
    if (whole + frac == 0)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p += 1 + (p[1] == '+' || p[1] == '-');
        size_t exp = strspn(p, "0123456789");
        if (exp == 0)
            return -1;
        p += exp;
    }
    if (*p)
        return -1;
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* A cell's text for a message: at most 40 bytes, control characters and
 * non-ASCII bytes as '?', so that the message stays one printable line. */
static void show_cell(char *out, size_t len, const char *s)
{
    size_t i = 0;
    for (; s[i] && i < 40 && i + 1 < len; i++)
        out[i] = (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f ? '?' : s[i];
    out[i] = '\0';
    if (s[i] && i + 4 < len)
        strcpy(out + i, "...");
}

/* "FILE:LINE: " then fmt: the message for row i of t. */
static int row_fail(const osw_table *t, size_t i, char *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int row_fail(const osw_table *t, size_t i, char *err, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return table_fail(err, t->path ? t->path : "(table)", t->line ? t->line[i] : i + 2, what);
}

/* The reader's view of schema.def: one entry per column, in file order. */
enum kind { KIND_STR, KIND_TEXT, KIND_SIZE, KIND_INT, KIND_COUNT, KIND_BOOL, KIND_LONG, KIND_F64 };

struct column {
    const char *name;
    enum kind kind;
    enum need need;
    size_t offset, size;  /* of the field in osw_row */
    long min, max;        /* see schema.def */
    long dflt_long;       /* integer kinds */
    double dflt_f64;      /* KIND_F64 */
    const char *dflt_str; /* KIND_STR */
    const char *unit;     /* "s": a time, finite and not negative */
};

#define DFLT_STR(d)   .dflt_str = d
#define DFLT_TEXT(d)  .dflt_str = d
#define DFLT_SIZE(d)  .dflt_long = d
#define DFLT_INT(d)   .dflt_long = d
#define DFLT_COUNT(d) .dflt_long = d
#define DFLT_BOOL(d)  .dflt_long = d
#define DFLT_LONG(d)  .dflt_long = d
#define DFLT_F64(d)   .dflt_f64 = d

static const struct column columns[] = {
#define OSW_COL(name_, kind_, size_, fmt, need_, dflt, min_, max_, unit_)                          \
    {.name = #name_,                                                                               \
     .kind = KIND_##kind_,                                                                         \
     .need = NEED_##need_,                                                                         \
     .offset = offsetof(osw_row, name_),                                                           \
     .size = sizeof(((osw_row *)0)->name_),                                                        \
     .min = min_,                                                                                  \
     .max = max_,                                                                                  \
     .unit = unit_,                                                                                \
     DFLT_##kind_(dflt)},
#include "schema.def"
#undef OSW_COL
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* Text cell s of column col: "" when it is good, else why not (for "'VALUE'
 * is not ..."). KEY and REQ text must fit its field; OPT text is cut to
 * fit (schema.def). */
static const char *text_problem(const struct column *col, const char *s)
{
    int schedule = strcmp(col->name, "schedule") == 0;
    if (col->need != NEED_OPT && strlen(s) >= col->size)
        return schedule                 ? "a schedule (too long)"
               : col->kind == KIND_TEXT ? "a text (too long)"
                                        : "a name (too long)";
    if (col->kind == KIND_TEXT) {
        for (const char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                return "a text (control characters)";
        return "";
    }
    if (schedule)
        return osw_cell_is_schedule(s) ? ""
                                       : "a schedule ([monotonic:|nonmonotonic:]static, "
                                         "dynamic, guided or auto, or default)";
    if (!*s)
        return col->need == NEED_OPT ? "" : "a name (empty)";
    return osw_cell_is_word(s) ? "" : "a name (letters, digits and _ . + @ -)";
}

/* Integer cell s of col into *v (the default when an optional column's is
 * empty or absent); "" or why not. */
static const char *integer_problem(const struct column *col, const char *s, long *v)
{
    if ((!s || !*s) && col->need != NEED_OPT)
        return "a count"; /* the writer always writes a key */
    if (!s || !*s) {
        *v = col->dflt_long;
        return "";
    }
    if (parse_count_cell(s, v))
        return "a count";
    if (col->kind == KIND_INT && (*v < col->min || *v > col->max))
        return "in range";
    if (col->kind == KIND_BOOL && *v > 1)
        return "0 or 1";
    return "";
}

/* Number cell s of col into *v (the default when empty or absent); "" or
 * why not. */
static const char *number_problem(const struct column *col, const char *s, double *v)
{
    if (!s || !*s) {
        *v = col->dflt_f64;
        return "";
    }
    if (parse_number_cell(s, v))
        return "a number";
    if (strcmp(col->unit, "s") == 0 && !(isfinite(*v) && *v >= 0))
        return "a time (finite, not negative)";
    if (strcmp(col->name, "median_s") == 0 && !(*v > 0))
        return "a median time (above 0)";
    return "";
}

int osw_table_require_summary(const osw_table *t, char *err)
{
    for (size_t c = 0; c < NCOLUMNS; c++)
        if ((columns[c].need == NEED_KEY || columns[c].need == NEED_REQ) &&
            osw_table_col(t, columns[c].name) < 0) {
            snprintf(err, 256, "missing required column '%s'", columns[c].name);
            return OSW_EFORMAT;
        }
    return 0;
}

/* Checks and stores, column by column in file order; the first bad cell is
 * the message: "FILE:LINE: column threads: '0' is not in range". */
int osw_row_from_table(const osw_table *t, size_t i, osw_row *r, char *err)
{
    int rc = osw_table_require_summary(t, err);
    if (rc)
        return rc;
    memset(r, 0, sizeof(*r));
    char *base = (char *)r;
    for (size_t c = 0; c < NCOLUMNS; c++) {
        const struct column *col = &columns[c];
        const char *s = cell(t, i, col->name);
        void *field = base + col->offset;
        const char *why = "";
        long v = 0;
        switch (col->kind) {
        case KIND_STR:
        case KIND_TEXT:
            if (s)
                why = text_problem(col, s);
            if (!*why)
                snprintf(field, col->size, "%s", s ? s : col->dflt_str);
            break;
        case KIND_F64:
            why = number_problem(col, s, field);
            break;
        case KIND_SIZE:
        case KIND_INT:
        case KIND_COUNT:
        case KIND_BOOL:
        case KIND_LONG:
            why = integer_problem(col, s, &v);
            if (*why)
                break;
            if (col->kind == KIND_SIZE)
                *(size_t *)field = (size_t)v;
            else if (col->kind == KIND_LONG)
                *(long *)field = v;
            else if (col->kind == KIND_COUNT)
                *(int *)field = (int)(v > col->max ? col->max : v);
            else if (col->kind == KIND_BOOL)
                *(int *)field = v != 0;
            else
                *(int *)field = (int)v;
            break;
        }
        if (*why) {
            char shown[48];
            show_cell(shown, sizeof(shown), s);
            return row_fail(t, i, err, "column %s: '%s' is not %s", col->name, shown, why);
        }
    }
    return 0;
}

/* ---- samples.csv ---- */

/* sample_col's order: the KEY and KEYOPT columns of schema.def (kernel, n,
 * threads, schedule, chunk, env), then these. */
enum {
    SC_KERNEL,
    SC_N,
    SC_THREADS,
    SC_SCHEDULE,
    SC_CHUNK,
    SC_ENV,
    SC_RANKS,
    SC_REP,
    SC_SECONDS,
    SC_ROUND,
    SC_COUNT
};

static const char *const sample_names[SC_COUNT] = {
    "kernel", "n", "threads", "schedule", "chunk", "env", "ranks", "rep", "seconds", "round"};

static void find_sample_cols(const osw_table *t, int col[SC_COUNT])
{
    for (int c = 0; c < SC_COUNT; c++)
        col[c] = osw_table_col(t, sample_names[c]);
}

/* One samples row; schedule_ok: the row's schedule cell is known good (the
 * one before had the same). */
static int sample_row(const osw_table *t, const int col[SC_COUNT], size_t i, int schedule_ok,
                      osw_sample *s, char *err)
{
    memset(s, 0, sizeof(*s));
    s->ranks = 1;
    for (int c = 0; c < SC_COUNT; c++)
        if (col[c] < 0 && c != SC_ENV && c != SC_RANKS && c != SC_REP && c != SC_ROUND) {
            snprintf(err, 256, "missing required column '%s'", sample_names[c]);
            return OSW_EFORMAT;
        }
    char **cells = t->rows[i];
    char shown[48];
    const char *why = "";
    int bad = -1;
    long v[SC_COUNT] = {0};
    for (int c = 0; c <= SC_CHUNK && !*why; c++) {
        /* schema.def's KEY columns come first, in this order (unit.csv_schema_def
         * checks osw_samples_header against them). */
        const struct column *kc = &columns[c];
        const char *text = cells[col[c]];
        if (c == SC_SCHEDULE && schedule_ok)
            continue;
        why = kc->kind == KIND_STR ? text_problem(kc, text) : integer_problem(kc, text, &v[c]);
        bad = c;
    }
    if (col[SC_ENV] >= 0 && !*why) {
        why = text_problem(&columns[SC_ENV], cells[col[SC_ENV]]);
        bad = SC_ENV;
    }
    for (int c = SC_RANKS; c <= SC_ROUND && !*why; c++) {
        if (col[c] < 0 || c == SC_SECONDS)
            continue;
        /* a round may be 0: tune --search's search.csv counts from 0 */
        if (parse_count_cell(cells[col[c]], &v[c]) || v[c] < (c == SC_ROUND ? 0 : 1) ||
            v[c] > 1 << 30)
            why = c == SC_ROUND ? "a count in 0..1073741824" : "a count in 1..1073741824";
        bad = c;
    }
    if (*why) {
        show_cell(shown, sizeof(shown), cells[col[bad]]);
        return row_fail(t, i, err, "%s '%s' is not %s", sample_names[bad], shown, why);
    }
    const char *sec = cells[col[SC_SECONDS]];
    if (parse_number_cell(sec, &s->seconds) || !isfinite(s->seconds) || !(s->seconds > 0)) {
        show_cell(shown, sizeof(shown), sec);
        return row_fail(t, i, err, "seconds '%s' is not a positive number", shown);
    }
    /* Lengths checked by text_problem (or the row before's). */
    memcpy(s->kernel, cells[col[SC_KERNEL]], strlen(cells[col[SC_KERNEL]]) + 1);
    memcpy(s->schedule, cells[col[SC_SCHEDULE]], strlen(cells[col[SC_SCHEDULE]]) + 1);
    if (col[SC_ENV] >= 0)
        memcpy(s->env, cells[col[SC_ENV]], strlen(cells[col[SC_ENV]]) + 1);
    s->n = (size_t)v[SC_N];
    s->threads = (int)v[SC_THREADS];
    s->chunk = (int)v[SC_CHUNK];
    if (col[SC_RANKS] >= 0)
        s->ranks = (int)v[SC_RANKS];
    if (col[SC_REP] >= 0)
        s->rep = (int)v[SC_REP];
    if (col[SC_ROUND] >= 0)
        s->round = (int)v[SC_ROUND];
    return 0;
}

int osw_sample_from_table(const osw_table *t, size_t i, osw_sample *s, char *err)
{
    int col[SC_COUNT];
    if (t->sample_cols_set)
        memcpy(col, t->sample_col, sizeof(col));
    else
        find_sample_cols(t, col);
    return sample_row(t, col, i, 0, s, err);
}

/* ---- a results table as a whole ---- */

/* The columns whose cells make a row's key, in compare order; ranks_at:
 * the one that is `ranks` (an empty cell there reads as 1), or -1. */
struct key_cols {
    int col[10];
    int n, ranks_at;
};

static const char *key_cell(const osw_table *t, const struct key_cols *k, size_t row, int c)
{
    const char *s = t->rows[row][k->col[c]];
    return c == k->ranks_at && !*s ? "1" : s;
}

static int key_order(const void *a, const void *b, void *ctx)
{
    const osw_table *t = ((const void **)ctx)[0];
    const struct key_cols *k = ((const void **)ctx)[1];
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    for (int c = 0; c < k->n; c++) {
        int d = strcmp(key_cell(t, k, i, c), key_cell(t, k, j, c));
        if (d)
            return d;
    }
    return (i > j) - (i < j); /* file order among equals */
}

static int same_key(const osw_table *t, const struct key_cols *k, size_t a, size_t b)
{
    for (int c = 0; c < k->n; c++)
        if (strcmp(key_cell(t, k, a, c), key_cell(t, k, b, c)) != 0)
            return 0;
    return 1;
}

/* "triad n=100000 threads=2 dynamic,64 ranks=4 rep 3", from the cells. */
static void key_text(const osw_table *t, size_t i, int samples, char *out, size_t len)
{
    char v[7][48];
    const char *names[7] = {"kernel", "n", "threads", "schedule", "chunk", "ranks", "env"};
    for (int c = 0; c < 7; c++) {
        const char *s = cell(t, i, names[c]);
        show_cell(v[c], sizeof(v[c]), s ? s : "");
    }
    int w = snprintf(out, len, "%s n=%s threads=%s %s", v[0], v[1], v[2], v[3]);
    if (w > 0 && (size_t)w < len && strcmp(v[4], "0") != 0)
        w += snprintf(out + w, len - (size_t)w, ",%s", v[4]);
    if (w > 0 && (size_t)w < len && v[5][0] && strcmp(v[5], "1") != 0)
        w += snprintf(out + w, len - (size_t)w, " ranks=%s", v[5]);
    if (w > 0 && (size_t)w < len && v[6][0])
        w += snprintf(out + w, len - (size_t)w, " %s", v[6]);
    const char *rep = samples ? cell(t, i, "rep") : NULL;
    if (w > 0 && (size_t)w < len && rep) {
        char r[48];
        show_cell(r, sizeof(r), rep);
        snprintf(out + w, len - (size_t)w, " rep %s", r);
    }
}

/* A results table (every KEY column): a samples table's rows each checked,
 * then no key twice. */
static int validate_results(osw_table *t, char *err)
{
    struct key_cols k = {.n = 0};
    for (size_t c = 0; c < NCOLUMNS; c++)
        if (columns[c].need == NEED_KEY) {
            k.col[k.n] = osw_table_col(t, columns[c].name);
            if (k.col[k.n++] < 0)
                return 0; /* not a results table: nothing more to check */
        }
    find_sample_cols(t, t->sample_col);
    t->sample_cols_set = 1;
    int samples = t->sample_col[SC_SECONDS] >= 0;
    for (size_t i = 0; samples && i < t->nrows; i++) {
        osw_sample s;
        /* A schedule cell like the row before's is as good. */
        int same = i > 0 && strcmp(t->rows[i][t->sample_col[SC_SCHEDULE]],
                                   t->rows[i - 1][t->sample_col[SC_SCHEDULE]]) == 0;
        int rc = sample_row(t, t->sample_col, i, same, &s, err);
        if (rc)
            return rc;
    }
    int rep = osw_table_col(t, "rep");
    if (samples && rep < 0)
        return 0; /* samples without their numbers may repeat a key */
    /* More of the key where the table has it: MPI ranks, ranks.csv's rank,
     * a sample's number. */
    k.ranks_at = -1;
    static const char *const more[] = {"env", "ranks", "rank", "rep"};
    for (size_t m = 0; m < sizeof(more) / sizeof(more[0]); m++) {
        int c = osw_table_col(t, more[m]);
        if (c < 0)
            continue;
        if (m == 1)
            k.ranks_at = k.n;
        k.col[k.n++] = c;
    }
    if (t->nrows < 2)
        return 0;
    size_t *order = malloc(t->nrows * sizeof(*order));
    if (!order)
        return -ENOMEM;
    for (size_t i = 0; i < t->nrows; i++)
        order[i] = i;
    const void *ctx[2] = {t, &k};
    qsort_r(order, t->nrows, sizeof(*order), key_order, ctx);
    /* Equal keys sort together, in file order: of each run, the first row
     * and the one repeating it; reported, the repeat first in the file. */
    size_t first = 0, again = 0;
    for (size_t i = 0; i < t->nrows;) {
        size_t j = i + 1;
        while (j < t->nrows && same_key(t, &k, order[i], order[j]))
            j++;
        if (j - i > 1 && (!again || order[i + 1] < again)) {
            first = order[i];
            again = order[i + 1];
        }
        i = j;
    }
    int rc = 0;
    if (again) {
        char key[200];
        key_text(t, again, samples, key, sizeof(key));
        rc = row_fail(t, again, err, "%s %s listed twice (lines %zu and %zu)",
                      samples ? "sample" : "configuration", key, t->line[first], t->line[again]);
    }
    free(order);
    return rc;
}
