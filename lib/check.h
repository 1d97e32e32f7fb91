/* check.h: exec's --check, the verification of any program's output.
 *
 * A PCRE2 pattern (multiline, as --metric) whose capturing groups (1 to
 * OSW_CHECK_MAX) each hold a number is searched in every run's output; the
 * numbers found must equal the reference's within rtol. Integers (text of
 * [+-]digits on both sides) compare exactly by default, other numbers within
 * 1e-12 relative; --rtol X sets one tolerance for all. The reference is, in
 * order: --expect's list, the numbers in the output of --check-ref-cmd (run
 * once, before the sweep), or the first run of the 1-thread configuration
 * of the same other settings (the plan runs threads innermost and
 * ascending, so that run comes first). */
#ifndef OSW_CHECK_H
#define OSW_CHECK_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Numbers --check compares at most (its capturing groups). */
#define OSW_CHECK_MAX 8

/* PCRE2's limits for one search (those of --metric). */
#define OSW_CHECK_MATCH_LIMIT    1000000u
#define OSW_CHECK_DEPTH_LIMIT    1000000u
#define OSW_CHECK_HEAP_LIMIT_KIB (256u * 1024u)

typedef struct osw_check osw_check; /* opaque */

/* Numbers found in one output (or given as the reference). */
typedef struct osw_check_values {
    int count;
    double v[OSW_CHECK_MAX];
    int integer[OSW_CHECK_MAX]; /* the text was a whole number: [+-]digits */
} osw_check_values;

/* What a search found, plain data (the executor's scanning child fills it in
 * shared memory). */
typedef struct osw_check_found {
    int status; /* 0 not searched, 1 matched, 2 no match, 3 match limit, 4 error */
    int count;
    char text[OSW_CHECK_MAX][48];
    char error[120];
} osw_check_found;

/* Compiles pattern text; rtol < 0 is the default tolerance. Returns 0 with
 * *out set, OSW_EUSAGE (err set) for a bad pattern or one without 1 to
 * OSW_CHECK_MAX groups, -ENOMEM. */
int osw_check_new(osw_check **out, const char *text, double rtol, char *err, size_t len);
void osw_check_free(osw_check *c);

/* Searches buf[0, len) into *f. */
void osw_check_search(const osw_check *c, const char *buf, size_t len, osw_check_found *f);
/* The numbers of a search: 0, or -1 with why set (no match, a limit, a
 * group that is not a finite number). */
int osw_check_values_of(const osw_check_found *f, osw_check_values *v, char *why, size_t len);
/* The numbers as text, "1.5,2" (for the logs). */
void osw_check_format(const osw_check_values *v, char *buf, size_t len);

/* --expect V[,V...]: the fixed reference; as many numbers as groups.
 * 0 or OSW_EUSAGE with err set. */
int osw_check_expect(osw_check *c, const char *list, char *err, size_t len);
/* --check-ref-cmd: runs cmd once through /bin/sh -c (stdin /dev/null,
 * stdout and stderr together), at most timeout_s seconds, and takes the
 * numbers in its output as the fixed reference. 0, or OSW_EUSAGE with err
 * set when it fails, times out or its output does not match. */
int osw_check_ref_cmd(osw_check *c, const char *cmd, double timeout_s, char *err, size_t len);
/* Whether a fixed reference is set (--expect, --check-ref-cmd). */
int osw_check_fixed(const osw_check *c);

/* The reference for a run of the configuration whose settings other than
 * the thread count are key: the fixed one, else the 1-thread one recorded
 * for key; a 1-thread run (threads 1) with none recorded records got as it
 * and returns it. NULL when there is none (or no memory). */
const osw_check_values *osw_check_reference(osw_check *c, const char *key, int threads,
                                            const osw_check_values *got);

/* 1 when every number of got agrees with ref's within rtol (< 0: exact where
 * both are integers, else 1e-12 relative), else 0; *rel_err gets the largest
 * relative error, |got - ref| / |ref| (|got - ref| where ref is 0); counts
 * that differ disagree, with rel_err inf. */
int osw_check_compare(const osw_check_values *ref, const osw_check_values *got, double rtol,
                      double *rel_err);
/* The tolerance of c (< 0: the default). */
double osw_check_rtol(const osw_check *c);

/* meta.json's "check" member: regex, rtol, reference (kind, values, command). */
cJSON *osw_check_json(const osw_check *c);

#endif
