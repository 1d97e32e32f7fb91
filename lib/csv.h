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
#define OSW_SCHEMA_VERSION 7

/* struct osw_row's field for each kind of column in schema.def. */
#define OSW_FIELD_STR(name, size)   char name[size];
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
 * and flushes. */
int osw_csv_samples_rows(FILE *f, const osw_row *row, const double *seconds, size_t count);

/* Reading back. A table of strings, header first; cells own their text. */
typedef struct osw_table {
    size_t ncols, nrows; /* nrows excludes the header */
    char **header;       /* ncols names */
    char ***rows;        /* nrows arrays of ncols cells */
    int dropped_partial; /* 1 when a trailing line without newline was ignored */
} osw_table;

/* Reads a CSV file written by this module (quoted cells allowed). Every row
 * must have the header's number of cells; a last line without its newline (a
 * killed writer) is dropped and flagged. Returns 0, OSW_EFORMAT with a
 * message in err (256 bytes), or -errno. */
int osw_csv_read(const char *path, osw_table *t, char *err);
/* Column index of name, or -1. */
int osw_table_col(const osw_table *t, const char *name);
void osw_table_free(osw_table *t);

/* Fills row from cells of table t's row i (columns looked up by name; absent
 * optional columns get defaults). Returns 0 or OSW_EFORMAT with err set. */
int osw_row_from_table(const osw_table *t, size_t i, osw_row *row, char *err);

#endif
