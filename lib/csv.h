/* csv.h: the output files' rows (RFC 4180, '.' decimals, one header row).
 *
 * Knows nothing of OpenMP or of how rows were measured. A NaN double is
 * written as an empty cell (not available). Each row is formatted whole into
 * memory and written with one write, then flushed, so an interrupted writer
 * leaves only whole rows behind. */
#ifndef OSW_CSV_H
#define OSW_CSV_H

#include <stddef.h>
#include <stdio.h>

/* Bump with any change to the columns of schema.def (recorded in meta.json;
 * unit.csv_schema_version keeps each version's header). */
#define OSW_SCHEMA_VERSION 10

/* struct osw_row's field for each kind of column in schema.def. */
#define OSW_FIELD_STR(name, size)   char name[size];
#define OSW_FIELD_TEXT(name, size)  char name[size];
#define OSW_FIELD_SIZE(name, size)  size_t name;
#define OSW_FIELD_INT(name, size)   int name;
#define OSW_FIELD_COUNT(name, size) int name;
#define OSW_FIELD_BOOL(name, size)  int name;
#define OSW_FIELD_LONG(name, size)  long name;
#define OSW_FIELD_F64(name, size)   double name;

/* One configuration's summary: summary.csv's columns, in order, one field
 * per line of schema.def (which documents each). */
typedef struct osw_row {
#define OSW_COL(name, kind, size, ...) OSW_FIELD_##kind(name, size)
#include "schema.def"
#undef OSW_COL
} osw_row;

extern const char osw_summary_header[];
extern const char osw_samples_header[];

/* Writes the summary header line. Returns 0 or -errno. */
int osw_csv_summary_header(FILE *f);
/* Writes one summary row and flushes. Returns 0 or -errno. */
int osw_csv_summary_row(FILE *f, const osw_row *row);
/* Writes the samples header line. */
int osw_csv_samples_header(FILE *f);
/* Writes the samples of one configuration (one line per rep) in one write
 * and flushes; rounds: the round each sample was taken in (--order
 * interleaved, a live search), NULL: all in round 1. */
int osw_csv_samples_rows(FILE *f, const osw_row *row, const double *seconds, const int *rounds,
                         size_t count);

/* Reading back. A table of strings, header first; cells own their text. */
typedef struct osw_table {
    size_t ncols, nrows; /* nrows excludes the header */
    char **header;       /* ncols names */
    char ***rows;        /* nrows arrays of ncols cells */
    int dropped_partial; /* 1 when a trailing line without newline was ignored */
    char *path;          /* the file read (messages name it) */
    size_t *line;        /* nrows: the line each row starts on (1: the header) */
    /* The columns of a samples row (kernel, n, threads, schedule, chunk,
     * ranks, rep, seconds), looked up once by osw_csv_read: the index or
     * -1; valid when sample_cols_set. */
    int sample_col[10];
    int sample_cols_set;
} osw_table;

/* Reads the whole file path into a fresh NUL-terminated buffer (*len
 * bytes, the NUL not counted; free() it). Returns 0 or -errno (the
 * system's reason: -EISDIR for a directory). */
int osw_read_file(const char *path, char **out, size_t *len);

/* Reads a CSV file written by this module (quoted cells allowed; a UTF-8
 * byte order mark before the header is skipped). Every row must have the
 * header's number of cells; a last line without its newline (a killed
 * writer) is dropped and flagged. A results table, one whose header has
 * every KEY column of schema.def, is checked further: a samples table (one
 * with a `seconds` column) row by row as osw_sample_from_table does; and no
 * configuration key (the KEY columns, `ranks` and, in a samples table,
 * `rep`, as text) may repeat. Summary rows are checked cell by cell when
 * osw_row_from_table reads them. Returns 0, OSW_EFORMAT with "FILE:LINE:
 * what" in err (256 bytes), or -errno with "FILE: strerror" in err (a
 * directory: -EISDIR). */
int osw_csv_read(const char *path, osw_table *t, char *err);
/* The same, from text[0, len) (a copy is taken); name stands for the file in
 * messages. */
int osw_csv_parse(const char *name, const char *text, size_t len, osw_table *t, char *err);
/* Column index of name, or -1. */
int osw_table_col(const osw_table *t, const char *name);
void osw_table_free(osw_table *t);

/* Fills row from cells of table t's row i (columns looked up by name; absent
 * optional columns get defaults). Every cell is checked against what the
 * writer can write: `schedule` is one osw_schedule_name writes (or exec's
 * `default`), the other text a word of osw_cell_is_word (KEY and REQ text
 * not empty), integers whole decimals without sign or leading zero within
 * schema.def's range, numbers decimals (`inf` allowed, never `nan`; an
 * empty cell is not available), the times (unit s) finite and not negative
 * and `median_s` above 0. Returns 0 or OSW_EFORMAT with err set: "missing
 * required column 'X'" when a KEY or REQ column is absent, else "FILE:LINE:
 * column X: 'VALUE' is not ..." (the value cut to 40 bytes, control
 * characters as '?'). */
int osw_row_from_table(const osw_table *t, size_t i, osw_row *row, char *err);

/* 0 when t has every KEY and REQ column of schema.def, else OSW_EFORMAT with
 * "missing required column 'X'" in err (osw_row_from_table's first check, for
 * a caller that names the file itself). */
int osw_table_require_summary(const osw_table *t, char *err);

/* One samples.csv row read back. */
typedef struct osw_sample {
    char kernel[sizeof(((osw_row *)0)->kernel)];
    size_t n;
    int threads;
    char schedule[sizeof(((osw_row *)0)->schedule)];
    int chunk;
    char env[sizeof(((osw_row *)0)->env)]; /* the `env` column, "" without one */
    int ranks;                             /* the `ranks` column when there is one, else 1 */
    int rep;                               /* the `rep` column when there is one, else 0 */
    int round;      /* the `round` column (schema 9) when there is one, else 0 */
    double seconds; /* finite, above 0 */
} osw_sample;

/* Fills s from samples row i of t: the KEY columns as osw_row_from_table
 * checks them, `ranks`, `rep` and `round` (1..2^30) when present, `seconds` a finite
 * decimal above 0. Returns 0 or OSW_EFORMAT with "FILE:LINE: NAME 'VALUE' is
 * not ..." in err ("missing required column 'X'" when t lacks a KEY column
 * or `seconds`). */
int osw_sample_from_table(const osw_table *t, size_t i, osw_sample *s, char *err);

/* The words the writer writes: 1 or more of A-Z a-z 0-9 _ . + @ - (kernel
 * names, exec's program labels and their @BIND tags, bound, status). */
int osw_cell_is_word(const char *s);
/* A schedule cell the writer writes: [monotonic:|nonmonotonic:]KIND, KIND
 * static, dynamic, guided or auto, as osw_schedule_name spells what
 * osw_parse_omp_schedule accepts; or `default` (ompsweep exec without
 * --schedules). */
int osw_cell_is_schedule(const char *s);

#endif
