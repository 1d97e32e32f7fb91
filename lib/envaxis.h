/* envaxis.h: environment axes: a variable of the OpenMP runtime (or any
 * variable) and the values a sweep gives it, parsed and checked before
 * anything runs.
 *
 * A list is split at ';' and at the commas outside braces and parentheses,
 * except a comma between two places of an explicit OMP_PLACES list: so
 * `threads,cores,{0:2},{2:2}` is three values (the last one a list of two
 * places), and `{0},{1};{0,1}` two. Duplicates are dropped, order kept. The
 * value
 * OSW_ENV_UNSET ("default") unsets the variable in that configuration's
 * process (the runtime's own default); a variable is never set empty
 * (libgomp rejects an empty OMP_WAIT_POLICY).
 *
 * Known variables get their values checked (and normalised to lower case
 * where the runtimes ignore case): OMP_WAIT_POLICY (active, passive),
 * OMP_PROC_BIND (false, true, close, spread, primary, master), OMP_PLACES
 * (threads, cores, ll_caches, numa_domains, sockets, each with an optional
 * (N), or an explicit list of places in OpenMP's syntax), GOMP_SPINCOUNT
 * (a count, with libgomp's k/M/G/T suffixes, or infinite), KMP_BLOCKTIME
 * (milliseconds, or infinite), OMP_MAX_ACTIVE_LEVELS and OMP_THREAD_LIMIT
 * (counts), OMP_DYNAMIC and OMP_DISPLAY_ENV-like booleans (true, false).
 * Any other variable takes any printable value without ';'. OMP_NUM_THREADS
 * and OMP_SCHEDULE are the threads and schedule axes', never an environment
 * axis. */
#ifndef OSW_ENVAXIS_H
#define OSW_ENVAXIS_H

#include <stddef.h>

#define OSW_ENV_NAME_MAX  64
#define OSW_ENV_VALUE_MAX 120

typedef struct osw_env_axis {
    char name[OSW_ENV_NAME_MAX];
    char *text;          /* owned: the values point into it */
    const char **values; /* owned array */
    size_t count;
    const char *flag; /* the option that gave it, for messages */
} osw_env_axis;

/* Parses list as the values of variable name, given by flag ("--places").
 * Returns 0, OSW_EUSAGE with one line in err (OSW_ERRLEN), or -ENOMEM. */
int osw_env_axis_parse(osw_env_axis *ax, const char *flag, const char *name, const char *list,
                       char *err);

/* --env NAME=LIST. */
int osw_env_axis_parse_assign(osw_env_axis *ax, const char *text, char *err);

void osw_env_axis_free(osw_env_axis *ax);

/* Checks one value of variable name: 0, or OSW_EUSAGE with why in err.
 * value is normalised in place (lower case for the OMP_* keywords). */
int osw_env_value_check(const char *flag, const char *name, char *value, char *err);

/* A copy of environ without the variables of vars ("NAME=value"), then
 * vars, except those whose value is OSW_ENV_UNSET (so unset). The strings
 * are borrowed; free() the array alone. NULL when out of memory. */
char **osw_env_build(char *const *vars, size_t nvars);

#endif
